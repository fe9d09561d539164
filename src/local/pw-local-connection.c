/* pw-local-connection.c: an accepted personalize-local connection as
 * libsoup reads it
 *
 * The GIOStream personalize-local gives soup_server_accept_iostream(): its
 * input is a PwLocalRequestReader over the socket's input (which sees
 * every request head before libsoup does), its output the socket's own.
 * Closing it closes the socket connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include "pw-local-connection.h"

struct _PwLocalConnection
{
  GIOStream parent_instance;

  GSocketConnection *connection;
  PwLocalRequestReader *reader;
};

G_DEFINE_FINAL_TYPE (PwLocalConnection, pw_local_connection, G_TYPE_IO_STREAM)

static void
pw_local_connection_finalize (GObject *object)
{
  PwLocalConnection *self = PW_LOCAL_CONNECTION (object);

  g_clear_object (&self->reader);
  g_clear_object (&self->connection);
  G_OBJECT_CLASS (pw_local_connection_parent_class)->finalize (object);
}

static GInputStream *
pw_local_connection_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (PW_LOCAL_CONNECTION (stream)->reader);
}

static GOutputStream *
pw_local_connection_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (G_IO_STREAM (PW_LOCAL_CONNECTION (stream)->connection));
}

static gboolean
pw_local_connection_close_fn (GIOStream     *stream,
                              GCancellable  *cancellable,
                              GError       **error)
{
  PwLocalConnection *self = PW_LOCAL_CONNECTION (stream);

  g_input_stream_close (G_INPUT_STREAM (self->reader), NULL, NULL);
  return g_io_stream_close (G_IO_STREAM (self->connection), cancellable, error);
}

static void
pw_local_connection_class_init (PwLocalConnectionClass *klass)
{
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = pw_local_connection_finalize;
  stream_class->get_input_stream = pw_local_connection_get_input_stream;
  stream_class->get_output_stream = pw_local_connection_get_output_stream;
  stream_class->close_fn = pw_local_connection_close_fn;
}

static void
pw_local_connection_init (PwLocalConnection *self)
{
}

PwLocalConnection *
pw_local_connection_new (GSocketConnection    *connection,
                         PwLocalRequestReader *reader)
{
  PwLocalConnection *self = g_object_new (PW_TYPE_LOCAL_CONNECTION, NULL);

  self->connection = g_object_ref (connection);
  self->reader = g_object_ref (reader);
  return self;
}
