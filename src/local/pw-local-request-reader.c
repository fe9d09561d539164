/* pw-local-request-reader.c: the input side of a personalize-local
 * connection, read before libsoup reads it
 *
 * libsoup 3.2 builds each request's URI with g_uri_parse(), which removes
 * `.` and `..` segments, before any handler runs, and answers what it
 * cannot parse with an empty 400 (or a reset). personalize-local accepts
 * its connections itself and hands libsoup a GIOStream
 * (PwLocalConnection) whose input is this stream: a pollable stream over
 * the socket's input that passes every byte through a PwLocalHttpFramer.
 *
 * Invariants:
 * - libsoup reads exactly the bytes the client sent, in order, except for
 *   a head the framer refuses: of that head libsoup reads nothing. The
 *   reader then waits until libsoup has finished every request before it
 *   on the connection (pw_local_request_reader_request_done(), from the
 *   server's request-finished / request-aborted), writes the server's
 *   AWS-shaped answer itself, shuts the sending side, reads and drops what
 *   the client still sends (at most DRAIN_SECONDS), then gives libsoup the
 *   end of the stream, and libsoup closes the connection.
 * - Each head libsoup reads has one PwLocalRequestHead in the reader's
 *   queue, in the same order: the server pops one per message in its
 *   early handler (got-headers), and uses the raw target only if it agrees
 *   with the message (same method, path and query as libsoup made).
 * - A head must arrive whole within the request timeout from its first
 *   byte; otherwise the connection is shut down (libsoup sees the head
 *   only once it is whole, so its request-started comes late; the server
 *   counts its own timeout from the head's first byte, see
 *   pw_local_request_reader_next_start()).
 * - Once the connection is taken from libsoup (an answer before the body)
 *   the reader passes every byte through untouched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <string.h>

#include "pw-local-request-reader.h"

#define DRAIN_SECONDS 10
#define READ_SIZE 16384

typedef enum
{
  MODE_FRAMING,    /* bytes go through the framer */
  MODE_WAITING,    /* a refused head: waiting for the earlier answers */
  MODE_DRAINING,   /* answered: dropping what still comes */
  MODE_EOF,        /* libsoup gets the end of the stream */
} Mode;

struct _PwLocalRequestReader
{
  GInputStream parent_instance;

  GSocketConnection *connection;
  GInputStream *base;          /* the socket's input */
  PwLocalHttpFramer *framer;
  GByteArray *out;             /* for libsoup, from out_pos on */
  gsize out_pos;
  Mode mode;
  guint released;              /* heads libsoup was given */
  guint finished;              /* requests libsoup finished */
  guint timeout_seconds;
  GMainContext *context;
  GSource *head_timer;
  gint64 head_timer_start;     /* the start of the head it times */
  GSource *drain_deadline;
  PwLocalRequestReaderAnswerFunc answer;
  gpointer answer_data;
};

static void pw_local_request_reader_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PwLocalRequestReader, pw_local_request_reader, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      pw_local_request_reader_pollable_init))

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* Whether libsoup may read something now without the socket. */
static gboolean
ready_inside (PwLocalRequestReader *self)
{
  return self->out_pos < self->out->len || self->mode == MODE_EOF
    || (self->mode == MODE_WAITING && self->finished >= self->released);
}

/* ---- a source that is ready when ready_inside() is ---- */

typedef struct
{
  GSource source;
  PwLocalRequestReader *reader;
} WakeSource;

static gboolean
wake_prepare (GSource *source,
              gint    *timeout)
{
  *timeout = -1;
  return ready_inside (((WakeSource *) source)->reader);
}

static gboolean
wake_check (GSource *source)
{
  return ready_inside (((WakeSource *) source)->reader);
}

static gboolean
wake_dispatch (GSource     *source,
               GSourceFunc  callback,
               gpointer     user_data)
{
  return callback != NULL ? callback (user_data) : G_SOURCE_CONTINUE;
}

static void
wake_finalize (GSource *source)
{
  g_clear_object (&((WakeSource *) source)->reader);
}

static GSourceFuncs wake_funcs = { wake_prepare, wake_check, wake_dispatch, wake_finalize, NULL, NULL };

/* A child source's own callback: the parent's runs too. */
static gboolean
wake_child_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* ---- the object ---- */

static void
pw_local_request_reader_finalize (GObject *object)
{
  PwLocalRequestReader *self = PW_LOCAL_REQUEST_READER (object);

  clear_source (&self->head_timer);
  clear_source (&self->drain_deadline);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->framer, pw_local_http_framer_free);
  g_clear_pointer (&self->out, g_byte_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (pw_local_request_reader_parent_class)->finalize (object);
}

static gboolean
head_timeout_cb (gpointer user_data)
{
  PwLocalRequestReader *self = user_data;

  g_debug ("Closing a connection that sent no complete request head in time");
  g_clear_pointer (&self->head_timer, g_source_unref);
  pw_local_request_reader_shutdown (self);
  return G_SOURCE_REMOVE;
}

static gboolean
drain_deadline_cb (gpointer user_data)
{
  PwLocalRequestReader *self = user_data;

  g_clear_pointer (&self->drain_deadline, g_source_unref);
  self->mode = MODE_EOF;
  return G_SOURCE_REMOVE;
}

static GSource *
attach_timeout (PwLocalRequestReader *self,
                guint                 ms,
                GSourceFunc           func)
{
  GSource *source = g_timeout_source_new (ms);

  /* No reference: the source goes with the reader (finalize, close). */
  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);
  return source;
}

/* The head timer runs while part of a head has come. */
static void
update_head_timer (PwLocalRequestReader *self)
{
  gint64 start = 0;

  if (self->mode != MODE_FRAMING || !pw_local_http_framer_in_head (self->framer, &start))
    {
      clear_source (&self->head_timer);
      return;
    }
  if (self->head_timer != NULL && self->head_timer_start != start)
    clear_source (&self->head_timer);   /* a new head began in the same read */
  if (self->head_timer == NULL)
    {
      gint64 left = (gint64) self->timeout_seconds * G_USEC_PER_SEC - (g_get_monotonic_time () - start);

      self->head_timer = attach_timeout (self, (guint) CLAMP (left / 1000, 0, G_MAXINT), head_timeout_cb);
      self->head_timer_start = start;
    }
}

/* Writes the answer to the refused head, closes the sending side, and
 * starts dropping what comes. */
static void
answer_refused_head (PwLocalRequestReader *self)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (self->connection));
  GSocket *socket = g_socket_connection_get_socket (self->connection);
  const char *detail = NULL;
  GBytes *head = NULL;
  guint status = 0;
  PwLocalHeadError error = pw_local_http_framer_get_error (self->framer, &status, &detail, &head);
  g_autoptr(GBytes) answer = self->answer (error, status, detail, head, self->answer_data);
  gsize size = 0;
  const guint8 *data = answer != NULL ? g_bytes_get_data (answer, &size) : NULL;

  /* A few hundred bytes: they fit the socket's send buffer at once. */
  if (size > 0)
    g_output_stream_write_all (out, data, size, NULL, NULL, NULL);
  g_socket_shutdown (socket, FALSE, TRUE, NULL);
  self->mode = MODE_DRAINING;
  clear_source (&self->drain_deadline);
  self->drain_deadline = attach_timeout (self, DRAIN_SECONDS * 1000, drain_deadline_cb);
}

static gssize
pw_local_request_reader_read_nonblocking (GPollableInputStream  *stream,
                                          void                  *buffer,
                                          gsize                  count,
                                          GError               **error)
{
  PwLocalRequestReader *self = PW_LOCAL_REQUEST_READER (stream);
  guint8 chunk[READ_SIZE];

  for (;;)
    {
      gssize n;

      if (self->out_pos < self->out->len)
        {
          gsize give = MIN (count, self->out->len - self->out_pos);

          memcpy (buffer, self->out->data + self->out_pos, give);
          self->out_pos += give;
          if (self->out_pos == self->out->len)
            {
              g_byte_array_set_size (self->out, 0);
              self->out_pos = 0;
            }
          return (gssize) give;
        }

      switch (self->mode)
        {
        case MODE_EOF:
          return 0;

        case MODE_WAITING:
          if (self->finished < self->released)
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "Operation would block");
              return -1;
            }
          answer_refused_head (self);
          continue;

        case MODE_DRAINING:
          n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base), chunk, sizeof chunk,
                                                        NULL, error);
          if (n > 0)
            continue;
          if (n == 0)
            {
              self->mode = MODE_EOF;
              return 0;
            }
          return -1;

        case MODE_FRAMING:
        default:
          {
            guint before = pw_local_http_framer_get_n_heads (self->framer);
            gboolean ok;

            n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base), chunk,
                                                          sizeof chunk, NULL, error);
            if (n <= 0)
              return n;
            ok = pw_local_http_framer_feed (self->framer, chunk, (gsize) n, g_get_monotonic_time (), self->out);
            self->released += pw_local_http_framer_get_n_heads (self->framer) - before;
            if (!ok)
              self->mode = MODE_WAITING;
            update_head_timer (self);
          }
          continue;
        }
    }
}

/* A blocking read (libsoup's server reads without blocking; this is for
 * completeness): waits on the socket between non-blocking reads. While a
 * refused head waits for libsoup there is nothing to wait for. */
static gssize
pw_local_request_reader_read_fn (GInputStream  *stream,
                                 void          *buffer,
                                 gsize          count,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  PwLocalRequestReader *self = PW_LOCAL_REQUEST_READER (stream);

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      gssize n = pw_local_request_reader_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream), buffer, count,
                                                           &local_error);

      if (n >= 0 || !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)
          || self->mode == MODE_WAITING)
        {
          if (n < 0)
            g_propagate_error (error, g_steal_pointer (&local_error));
          return n;
        }
      if (!g_socket_condition_wait (g_socket_connection_get_socket (self->connection), G_IO_IN, cancellable, error))
        return -1;
    }
}

static gboolean
pw_local_request_reader_close_fn (GInputStream  *stream,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  PwLocalRequestReader *self = PW_LOCAL_REQUEST_READER (stream);

  clear_source (&self->head_timer);
  clear_source (&self->drain_deadline);
  self->mode = MODE_EOF;
  return TRUE;
}

static gboolean
pw_local_request_reader_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static gboolean
pw_local_request_reader_is_readable (GPollableInputStream *stream)
{
  PwLocalRequestReader *self = PW_LOCAL_REQUEST_READER (stream);

  if (ready_inside (self))
    return TRUE;
  return (self->mode == MODE_FRAMING || self->mode == MODE_DRAINING)
    && g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
pw_local_request_reader_create_source (GPollableInputStream *stream,
                                       GCancellable         *cancellable)
{
  PwLocalRequestReader *self = PW_LOCAL_REQUEST_READER (stream);
  GSource *source = g_pollable_source_new (G_OBJECT (stream));
  GSource *wake = g_source_new (&wake_funcs, sizeof (WakeSource));

  ((WakeSource *) wake)->reader = g_object_ref (self);
  g_source_set_callback (wake, wake_child_cb, NULL, NULL);
  g_source_add_child_source (source, wake);
  g_source_unref (wake);
  /* (While a refused head waits, the socket is not read: no busy loop.) */
  if (self->mode == MODE_FRAMING || self->mode == MODE_DRAINING)
    {
      GSource *base = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base), NULL);

      g_source_set_dummy_callback (base);
      g_source_add_child_source (source, base);
      g_source_unref (base);
    }
  if (cancellable != NULL)
    {
      GSource *cancel = g_cancellable_source_new (cancellable);

      g_source_set_dummy_callback (cancel);
      g_source_add_child_source (source, cancel);
      g_source_unref (cancel);
    }
  return source;
}

static void
pw_local_request_reader_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = pw_local_request_reader_can_poll;
  iface->is_readable = pw_local_request_reader_is_readable;
  iface->create_source = pw_local_request_reader_create_source;
  iface->read_nonblocking = pw_local_request_reader_read_nonblocking;
}

static void
pw_local_request_reader_class_init (PwLocalRequestReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = pw_local_request_reader_finalize;
  stream_class->read_fn = pw_local_request_reader_read_fn;
  stream_class->close_fn = pw_local_request_reader_close_fn;
}

static void
pw_local_request_reader_init (PwLocalRequestReader *self)
{
  self->framer = pw_local_http_framer_new ();
  self->out = g_byte_array_new ();
}

/**
 * pw_local_request_reader_new:
 * @connection: the accepted connection; its input is read only through
 *   the reader from now on
 * @timeout_seconds: how long a request head may take to arrive
 * @answer: makes the answer to a refused head
 *
 * Runs in the thread-default main context of the caller.
 */
PwLocalRequestReader *
pw_local_request_reader_new (GSocketConnection              *connection,
                             guint                           timeout_seconds,
                             PwLocalRequestReaderAnswerFunc  answer,
                             gpointer                        user_data)
{
  PwLocalRequestReader *self = g_object_new (PW_TYPE_LOCAL_REQUEST_READER, NULL);

  self->connection = g_object_ref (connection);
  self->base = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  self->timeout_seconds = timeout_seconds;
  self->answer = answer;
  self->answer_data = user_data;
  self->context = g_main_context_ref_thread_default ();
  return self;
}

/* The server finds the reader of a message through the remote address it
 * gave soup_server_accept_iostream(): libsoup hands that very object back
 * (soup_server_message_get_remote_address()). */
#define READER_KEY "pw-local-request-reader"

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

void
pw_local_request_reader_attach (PwLocalRequestReader *self,
                                GSocketAddress       *remote)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  g_object_set_data_full (G_OBJECT (remote), READER_KEY, ref, weak_ref_free);
}

/* (transfer full): the reader of MSG's connection, or %NULL. */
PwLocalRequestReader *
pw_local_request_reader_for_message (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  GWeakRef *ref = remote != NULL ? g_object_get_data (G_OBJECT (remote), READER_KEY) : NULL;

  return ref != NULL ? g_weak_ref_get (ref) : NULL;
}

/* The head of the message libsoup has just parsed (in got-headers). */
PwLocalRequestHead *
pw_local_request_reader_pop (PwLocalRequestReader *self)
{
  return pw_local_http_framer_pop (self->framer);
}

/* When the first byte of the next message's head came (in
 * request-started, before its pop). */
gboolean
pw_local_request_reader_next_start (PwLocalRequestReader *self,
                                    gint64               *start_time)
{
  const PwLocalRequestHead *head = pw_local_http_framer_peek (self->framer);

  if (head == NULL)
    return FALSE;
  *start_time = head->start_time;
  return TRUE;
}

/* libsoup finished (or aborted) a request of this connection. */
void
pw_local_request_reader_request_done (PwLocalRequestReader *self)
{
  self->finished++;
  if (self->mode == MODE_WAITING && self->finished >= self->released)
    g_main_context_wakeup (self->context);
}

/* The connection left libsoup: every byte goes through untouched. */
void
pw_local_request_reader_pass_through (PwLocalRequestReader *self)
{
  pw_local_http_framer_lose (self->framer);
  if (self->mode == MODE_WAITING)
    self->mode = MODE_FRAMING;
  clear_source (&self->head_timer);
}

GSocket *
pw_local_request_reader_get_socket (PwLocalRequestReader *self)
{
  return g_socket_connection_get_socket (self->connection);
}

/* Shuts the connection down both ways: libsoup reads its end and closes. */
void
pw_local_request_reader_shutdown (PwLocalRequestReader *self)
{
  g_socket_shutdown (g_socket_connection_get_socket (self->connection), TRUE, TRUE, NULL);
  self->mode = MODE_EOF;
  clear_source (&self->head_timer);
}
