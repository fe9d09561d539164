/* pw-local-sockets.c: the sockets personalize-local listens on
 *
 * Each worker thread listens on its own TCP socket bound with SO_REUSEPORT
 * to the one loopback port (the kernel spreads connections over them), with
 * the longest accept queue the system allows. The workers accept
 * connections themselves (the request reader sees every head before
 * libsoup), so libsoup gets an idle local listener only to keep
 * connections alive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "pw-local-sockets.h"

/* A local socket address no one connects to: libsoup 3.2 keeps a
 * connection alive only while the server has a listener, and ours are
 * accepted by the worker itself. */
GSocket *
pw_local_socket_idle_listener (GError **error)
{
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  GSocket *socket;

  /* (Binding only the family picks an unused abstract name.) */
  if (fd < 0 || bind (fd, (struct sockaddr *) &address, sizeof (sa_family_t)) != 0 || listen (fd, 1) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot make a local listener: %s",
                   g_strerror (saved));
      return NULL;
    }
  socket = g_socket_new_from_fd (fd, error);
  if (socket == NULL)
    close (fd);
  return socket;
}

/* The longest accept queue the system allows: net.core.somaxconn (the
 * kernel caps listen()'s backlog there), else SOMAXCONN. GSocket's default
 * of 10 made every 10th connect of a burst wait a second for a SYN retry. */
static int
listen_backlog (void)
{
  g_autofree char *text = NULL;
  gint64 value = 0;

  if (g_file_get_contents ("/proc/sys/net/core/somaxconn", &text, NULL, NULL))
    value = g_ascii_strtoll (text, NULL, 10);
  if (value <= 0 || value > G_MAXINT)
    value = SOMAXCONN;
  return (int) value;
}

GSocket *
pw_local_socket_listen (GInetAddress  *inet,
                        guint          port,
                        GError       **error)
{
  g_autoptr(GSocket) socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);
  g_autoptr(GSocketAddress) address = NULL;

  if (socket == NULL)
    return NULL;
  if (!g_socket_set_option (socket, SOL_SOCKET, SO_REUSEPORT, 1, error))
    return NULL;
  address = g_inet_socket_address_new (inet, port);
  /* Not g_socket_bind(): it turns SO_REUSEPORT off on TCP sockets. */
  {
    struct sockaddr_storage native;
    gsize length = g_socket_address_get_native_size (address);

    if (!g_socket_address_to_native (address, &native, sizeof native, error))
      return NULL;
    if (bind (g_socket_get_fd (socket), (struct sockaddr *) &native, length) != 0)
      {
        int saved = errno;
        g_autofree char *text = g_inet_address_to_string (inet);

        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                     "Cannot listen on %s:%u: %s", text, port, g_strerror (saved));
        return NULL;
      }
  }
  g_socket_set_listen_backlog (socket, listen_backlog ());
  if (!g_socket_listen (socket, error))
    return NULL;
  return g_steal_pointer (&socket);
}

guint
pw_local_socket_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);

  return local != NULL ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)) : 0;
}
