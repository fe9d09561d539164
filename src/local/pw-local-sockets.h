/* pw-local-sockets.h: the sockets personalize-local listens on (private)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GSocket *pw_local_socket_listen        (GInetAddress  *inet,
                                        guint          port,
                                        GError       **error);
GSocket *pw_local_socket_idle_listener (GError       **error);
guint    pw_local_socket_port          (GSocket       *socket);

G_END_DECLS
