/* pw-local-connection.h: an accepted personalize-local connection as
 * libsoup reads it (private to personalize-local)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-local-request-reader.h"

G_BEGIN_DECLS

#define PW_TYPE_LOCAL_CONNECTION (pw_local_connection_get_type ())
G_DECLARE_FINAL_TYPE (PwLocalConnection, pw_local_connection, PW, LOCAL_CONNECTION, GIOStream)

PwLocalConnection *pw_local_connection_new (GSocketConnection    *connection,
                                            PwLocalRequestReader *reader);

G_END_DECLS
