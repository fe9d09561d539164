/* pw-local-server.c: one SoupServer on loopback that routes signed requests
 * to the Personalize, S3, IAM and STS services of personalize-local
 *
 * The server runs in a thread of its own, with its own main context, so
 * that an application embedding it never blocks on a request. Every request
 * must carry a valid SigV4 signature (verified with the aws layer's code)
 * for a key of the credentials file; routing is by the credential scope's
 * service, then X-Amz-Target or the path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "pw-aws-error.h"
#include "pw-aws-sigv4.h"
#include "pw-local-connection.h"
#include "pw-local-private.h"
#include "pw-local-request-reader.h"
#include "pw-local-server.h"
#include "pw-local-sockets.h"
#include "pw-local-store.h"

#define DEFAULT_STEP_MS 300

struct _PwLocalServer
{
  GObject parent_instance;

  char *data_dir;
  char *region;
  char *address;
  guint port;
  char *credentials_file;
  char *config_file;
  guint step_ms;
  guint request_timeout;
  gboolean created_credentials;

  GHashTable *keys;          /* access key id -> secret */
  char *access_key_id;       /* the first key of the file */

  PwLocalS3 *s3;
  PwLocalIam *iam;
  PwLocalPersonalize *personalize;

  GPtrArray *workers;        /* of Worker */
  char *url;
  GMutex start_lock;
  GCond start_cond;
  guint n_started;
  GError *start_error;
  guint64 request_counter;
};

G_DEFINE_FINAL_TYPE (PwLocalServer, pw_local_server, G_TYPE_OBJECT)

/* One SoupServer per worker thread, each on its own main context and its
 * own listening socket; the sockets share the port (SO_REUSEPORT) so the
 * kernel spreads connections over the workers. The worker accepts the
 * connections itself and gives libsoup each one behind a
 * PwLocalRequestReader (see pw-local-request-reader.c). */
typedef struct
{
  PwLocalServer *self;
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  GSocket *socket;
  SoupServer *server;
  GSource *accept_source;
} Worker;

/* Per request state, attached to the SoupServerMessage. */
typedef struct
{
  PwLocalServer *server;
  char *request_id;
  char *service;           /* from the Authorization header, if it parses */
  gsize limit;
  goffset received;
  gboolean too_large;
  gboolean discard;          /* an unsigned upload: its body is dropped */
  gboolean streaming;
  gboolean handled;
  char *temp_path;
  GOutputStream *temp_stream;
  GChecksum *sha256;
  GChecksum *md5;
  gboolean write_failed;
  GSource *timeout;
  char *raw_path;            /* the path as sent, when the reader has it */
} RequestState;

static void
request_state_free (gpointer data)
{
  RequestState *state = data;

  if (state->timeout != NULL)
    {
      g_source_destroy (state->timeout);
      g_source_unref (state->timeout);
    }
  g_clear_object (&state->temp_stream);
  if (state->temp_path != NULL)
    {
      g_unlink (state->temp_path);
      g_free (state->temp_path);
    }
  g_clear_pointer (&state->sha256, g_checksum_free);
  g_clear_pointer (&state->md5, g_checksum_free);
  g_free (state->request_id);
  g_free (state->service);
  g_free (state->raw_path);
  g_free (state);
}

char *
pw_local_server_default_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "personalize-workshop", "local", NULL);
}

static void
pw_local_server_finalize (GObject *object)
{
  PwLocalServer *self = PW_LOCAL_SERVER (object);

  pw_local_server_stop (self);
  g_free (self->data_dir);
  g_free (self->region);
  g_free (self->address);
  g_free (self->credentials_file);
  g_free (self->config_file);
  g_clear_pointer (&self->keys, g_hash_table_unref);
  g_free (self->access_key_id);
  g_free (self->url);
  g_clear_error (&self->start_error);
  g_mutex_clear (&self->start_lock);
  g_cond_clear (&self->start_cond);
  G_OBJECT_CLASS (pw_local_server_parent_class)->finalize (object);
}

static void
pw_local_server_class_init (PwLocalServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pw_local_server_finalize;
}

static void
pw_local_server_init (PwLocalServer *self)
{
  g_mutex_init (&self->start_lock);
  g_cond_init (&self->start_cond);
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * pw_local_server_new:
 * Creates a server; nothing happens until pw_local_server_start().
 */
PwLocalServer *
pw_local_server_new (const PwLocalServerOptions *options)
{
  PwLocalServer *self = g_object_new (PW_TYPE_LOCAL_SERVER, NULL);
  PwLocalServerOptions defaults = { 0 };

  if (options == NULL)
    options = &defaults;
  self->data_dir = options->data_dir != NULL ? g_strdup (options->data_dir) : pw_local_server_default_data_dir ();
  self->region = g_strdup (options->region != NULL ? options->region : PW_LOCAL_DEFAULT_REGION);
  self->address = g_strdup (options->address != NULL ? options->address : "127.0.0.1");
  self->port = options->port;
  self->credentials_file = options->credentials_file != NULL
    ? g_strdup (options->credentials_file)
    : g_build_filename (self->data_dir, "credentials", NULL);
  self->config_file = g_build_filename (self->data_dir, "config", NULL);
  self->step_ms = options->step_ms > 0 ? options->step_ms : DEFAULT_STEP_MS;
  self->request_timeout = options->request_timeout > 0 ? options->request_timeout
                                                      : PW_LOCAL_REQUEST_TIMEOUT_SECONDS;
  if (options->credentials_file == NULL)
    self->created_credentials = !g_file_test (self->credentials_file, G_FILE_TEST_EXISTS);
  return self;
}

static char *
random_string (const char *alphabet,
               guint       length)
{
  GString *out = g_string_sized_new (length);
  gsize n = strlen (alphabet);
  g_autoptr(GError) error = NULL;
  guint8 bytes[64];
  g_autoptr(GFile) file = g_file_new_for_path ("/dev/urandom");
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, &error);
  gsize got = 0;

  g_assert (length <= sizeof bytes);
  if (in != NULL)
    g_input_stream_read_all (G_INPUT_STREAM (in), bytes, length, &got, NULL, NULL);
  for (guint i = got; i < length; i++)
    bytes[i] = (guint8) g_random_int ();
  for (guint i = 0; i < length; i++)
    g_string_append_c (out, alphabet[bytes[i] % n]);
  return g_string_free (out, FALSE);
}

/* Writes DATA_DIR/credentials (mode 0600) and DATA_DIR/config on first start. */
static gboolean
ensure_credentials (PwLocalServer  *self,
                    GError        **error)
{
  g_autofree char *id = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *text = NULL;
  g_autofree char *config = NULL;

  if (!g_file_test (self->config_file, G_FILE_TEST_EXISTS))
    {
      config = g_strdup_printf ("[default]\nregion = %s\noutput = json\n", self->region);
      if (!pw_local_store_write (self->config_file, config, strlen (config), 0600, error))
        return FALSE;
    }
  if (g_file_test (self->credentials_file, G_FILE_TEST_EXISTS))
    return TRUE;
  id = random_string ("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
  secret = random_string ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40);
  text = g_strdup_printf ("# personalize-local: keys for the local server only; they open nothing on AWS.\n"
                          "[default]\naws_access_key_id = PLOC%s\naws_secret_access_key = %s\n",
                          id, secret);
  memset (secret, 0, strlen (secret));
  if (!pw_local_store_write (self->credentials_file, text, strlen (text), 0600, error))
    {
      memset (text, 0, strlen (text));
      return FALSE;
    }
  memset (text, 0, strlen (text));
  return TRUE;
}

static gboolean
load_credentials (PwLocalServer  *self,
                  GError        **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_auto(GStrv) groups = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (file, self->credentials_file, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Cannot read the credentials file %s: %s", self->credentials_file, local_error->message);
      return FALSE;
    }
  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *id = g_key_file_get_string (file, groups[i], "aws_access_key_id", NULL);
      g_autofree char *secret = g_key_file_get_string (file, groups[i], "aws_secret_access_key", NULL);

      if (id == NULL || secret == NULL)
        continue;
      g_strstrip (id);
      g_strstrip (secret);
      if (self->access_key_id == NULL || strcmp (groups[i], "default") == 0)
        {
          g_free (self->access_key_id);
          self->access_key_id = g_strdup (id);
        }
      g_hash_table_replace (self->keys, g_steal_pointer (&id), g_steal_pointer (&secret));
    }
  if (g_hash_table_size (self->keys) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The credentials file %s has no profile with aws_access_key_id and "
                   "aws_secret_access_key", self->credentials_file);
      return FALSE;
    }
  return TRUE;
}

static gboolean
lookup_secret (const char  *access_key_id,
               char       **out_secret,
               char       **out_token,
               gpointer     user_data)
{
  PwLocalServer *self = user_data;
  const char *secret = g_hash_table_lookup (self->keys, access_key_id);

  if (secret == NULL)
    return FALSE;
  *out_secret = g_strdup (secret);
  *out_token = NULL;
  return TRUE;
}

/* ---- requests ---- */

static void
close_connection (SoupServerMessage *msg)
{
  g_autoptr(PwLocalRequestReader) reader = pw_local_request_reader_for_message (msg);

  if (reader != NULL)
    pw_local_request_reader_shutdown (reader);
}

static gboolean
request_timeout_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  RequestState *state = g_object_get_data (G_OBJECT (msg), "pw-local-state");

  if (state != NULL && !state->handled)
    {
      g_debug ("Closing a connection that sent no complete request in time");
      close_connection (msg);
    }
  return G_SOURCE_REMOVE;
}

static RequestState *
get_state (PwLocalServer     *self,
           SoupServerMessage *msg)
{
  RequestState *state = g_object_get_data (G_OBJECT (msg), "pw-local-state");

  if (state == NULL)
    {
      state = g_new0 (RequestState, 1);
      state->server = self;
      state->request_id = g_uuid_string_random ();
      state->limit = PW_LOCAL_MAX_JSON_BODY;
      g_object_set_data_full (G_OBJECT (msg), "pw-local-state", state, request_state_free);
    }
  return state;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  PwLocalServer *self = user_data;
  RequestState *state = get_state (self, msg);
  g_autoptr(PwLocalRequestReader) reader = pw_local_request_reader_for_message (msg);
  gint64 left = (gint64) self->request_timeout * G_USEC_PER_SEC;
  gint64 start = 0;

  /* Slow clients: a request must arrive whole within the timeout, counted
   * from the first byte of its head (the reader passes a head on whole).
   * The source holds no reference: it is destroyed with the state. */
  if (reader != NULL && pw_local_request_reader_next_start (reader, &start))
    left -= g_get_monotonic_time () - start;
  state->timeout = g_timeout_source_new ((guint) CLAMP (left / 1000, 0, G_MAXINT));
  g_source_set_callback (state->timeout, request_timeout_cb, msg, NULL);
  g_source_attach (state->timeout, g_main_context_get_thread_default ());
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  RequestState *state = user_data;
  gsize size;
  const guchar *data = g_bytes_get_data (chunk, &size);

  state->received += size;
  if (state->streaming)
    {
      if ((goffset) state->received > PW_LOCAL_MAX_OBJECT_SIZE)
        state->too_large = TRUE;
      if (state->too_large || state->write_failed)
        return;
      g_checksum_update (state->sha256, data, size);
      g_checksum_update (state->md5, data, size);
      if (!g_output_stream_write_all (state->temp_stream, data, size, NULL, NULL, NULL))
        state->write_failed = TRUE;
      return;
    }
  if ((gsize) state->received > state->limit && !state->too_large)
    {
      /* Stop keeping the body; the handler answers 413. */
      state->too_large = TRUE;
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      soup_message_body_truncate (soup_server_message_get_request_body (msg));
    }
}

/* The request's path, percent-encoded the way AWS clients encode (and S3
 * clients sign) it: all but A-Za-z0-9-_.~ and '/'. It is the path as the
 * client sent it (state->raw_path, from the request reader), so that `.`
 * and `..` segments stay as signed; else libsoup's (GUri has decoded
 * escaped unreserved characters and removed dot segments there). The
 * server is made with raw-paths, so decoding is ours, and `%00` or a bad
 * escape gets an AWS-shaped answer. %NULL when it does not decode. */
static char *
request_path (SoupServerMessage *msg,
              RequestState      *state)
{
  const char *path = state->raw_path != NULL ? state->raw_path : g_uri_get_path (soup_server_message_get_uri (msg));
  g_autofree char *decoded = g_uri_unescape_string (path, NULL);

  if (decoded == NULL)
    return NULL;
  return pw_aws_uri_encode (decoded, -1, TRUE);
}

static PwLocalProtocol guess_protocol (const char         *service,
                                       SoupMessageHeaders *headers,
                                       const char         *raw_path);

/* After an answer given before the body was read: the client may still be
 * sending (or may have declared bytes it never sends). Read and drop what
 * comes for a while, so that closing does not reset the connection before
 * the client has read the answer, then close. */
typedef struct
{
  GIOStream *stream;
  GSource *source;
  GSource *deadline;
} Drain;

static void
drain_free (Drain *drain)
{
  if (drain->source != NULL)
    {
      g_source_destroy (drain->source);
      g_source_unref (drain->source);
    }
  if (drain->deadline != NULL)
    {
      g_source_destroy (drain->deadline);
      g_source_unref (drain->deadline);
    }
  g_io_stream_close (drain->stream, NULL, NULL);
  g_object_unref (drain->stream);
  g_free (drain);
}

static gboolean
drain_deadline_cb (gpointer user_data)
{
  Drain *drain = user_data;

  g_clear_pointer (&drain->deadline, g_source_unref);
  drain_free (drain);
  return G_SOURCE_REMOVE;
}

static gboolean
drain_readable_cb (GObject  *stream,
                   gpointer  user_data)
{
  Drain *drain = user_data;
  char buffer[16384];
  gssize n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream), buffer, sizeof buffer,
                                                       NULL, NULL);

  if (n > 0 || n == -1)
    {
      /* More to drop, or a spurious wake-up (would block). */
      if (n > 0 || g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (stream)) == FALSE)
        return G_SOURCE_CONTINUE;
    }
  /* End of stream, or an error. */
  g_clear_pointer (&drain->source, g_source_unref);
  drain_free (drain);
  return G_SOURCE_REMOVE;
}

/* A whole answer (status line, headers, AWS error body) that closes the
 * connection, for writing on the socket directly. */
static GBytes *
error_answer_bytes (PwLocalProtocol  protocol,
                    const char      *request_id,
                    const char      *code,
                    guint            status,
                    const char      *message)
{
  PwLocalResponse response = { 0 };
  GString *head = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
  gsize body_size = 0;
  const guint8 *body;

  pw_local_response_set_aws_error (&response, protocol, request_id, code, status, message);
  body = response.body != NULL ? g_bytes_get_data (response.body, &body_size) : NULL;
  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  g_string_append_printf (head, "Date: %s\r\nServer: personalize-local/" PW_VERSION "\r\n", date);
  if (protocol == PW_LOCAL_PROTOCOL_S3)
    g_string_append_printf (head, "x-amz-request-id: %s\r\nx-amz-id-2: %s\r\n", request_id, request_id);
  else
    g_string_append_printf (head, "x-amzn-RequestId: %s\r\n", request_id);
  for (guint i = 0; response.headers != NULL && i + 1 < response.headers->len; i += 2)
    if (g_ascii_strcasecmp (response.headers->pdata[i], "Content-Length") != 0)
      g_string_append_printf (head, "%s: %s\r\n", (const char *) response.headers->pdata[i],
                              (const char *) response.headers->pdata[i + 1]);
  if (response.content_type != NULL)
    g_string_append_printf (head, "Content-Type: %s\r\n", response.content_type);
  g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n", body_size);
  if (body_size > 0)
    g_string_append_len (head, (const char *) body, (gssize) body_size);
  pw_local_response_clear (&response);
  return g_string_free_to_bytes (head);
}

/* Answers MSG now, before its body, and closes its connection: libsoup
 * would otherwise read the whole declared body first (or wait for it until
 * the request timeout) before any handler may answer. The connection is
 * taken from libsoup and the answer written on it directly. */
static void
answer_before_body (SoupServerMessage *msg,
                    RequestState      *state,
                    PwLocalProtocol    protocol,
                    const char        *code,
                    guint              status,
                    const char        *message)
{
  g_autoptr(GBytes) answer = error_answer_bytes (protocol, state->request_id, code, status, message);
  g_autoptr(PwLocalRequestReader) reader = pw_local_request_reader_for_message (msg);
  g_autoptr(GIOStream) stream = NULL;
  GInputStream *in;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (answer, &size);
  Drain *drain;

  state->handled = TRUE;
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  /* The reader passes on whatever comes now, to be dropped. */
  if (reader != NULL)
    pw_local_request_reader_pass_through (reader);
  /* A few hundred bytes: they fit the socket's send buffer at once. */
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), data, size, NULL, NULL, NULL);
  g_output_stream_flush (g_io_stream_get_output_stream (stream), NULL, NULL);
  if (reader != NULL)
    g_socket_shutdown (pw_local_request_reader_get_socket (reader), FALSE, TRUE, NULL);

  in = g_io_stream_get_input_stream (stream);
  drain = g_new0 (Drain, 1);
  drain->stream = g_steal_pointer (&stream);
  if (!G_IS_POLLABLE_INPUT_STREAM (in) || !g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (in)))
    {
      drain_free (drain);
      return;
    }
  drain->source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (in), NULL);
  g_source_set_callback (drain->source, (GSourceFunc) (void (*) (void)) drain_readable_cb, drain, NULL);
  g_source_attach (drain->source, g_main_context_get_thread_default ());
  drain->deadline = g_timeout_source_new_seconds (10);
  g_source_set_callback (drain->deadline, drain_deadline_cb, drain, NULL);
  g_source_attach (drain->deadline, g_main_context_get_thread_default ());
}

/* The Content-Length header as a number: digits only, at most 18 of them
 * (libsoup reads "-1" as 2^64 - 1, and larger numbers saturate). */
static gboolean
parse_content_length (const char *text,
                      goffset    *out)
{
  guint64 value = 0;

  if (text == NULL)
    return FALSE;
  while (*text == ' ' || *text == '\t')
    text++;
  if (!g_ascii_isdigit (*text))
    return FALSE;
  for (guint digits = 0; g_ascii_isdigit (*text); text++, digits++)
    {
      if (digits >= 18)
        return FALSE;
      value = value * 10 + (guint64) (*text - '0');
    }
  while (*text == ' ' || *text == '\t')
    text++;
  if (*text != '\0')
    return FALSE;
  *out = (goffset) value;
  return TRUE;
}

/* The head the request reader kept for MSG: its raw target becomes the
 * request's path, but only if GLib's parse of it, the one libsoup made,
 * gives exactly MSG's method, path and query; a mismatch (which would
 * mean the reader lost track of the requests) stops the use of raw
 * targets on the connection. */
static void
take_raw_path (SoupServerMessage *msg,
               RequestState      *state)
{
  g_autoptr(PwLocalRequestReader) reader = pw_local_request_reader_for_message (msg);
  g_autoptr(PwLocalRequestHead) head = NULL;
  GUri *uri = soup_server_message_get_uri (msg);

  if (reader == NULL || (head = pw_local_request_reader_pop (reader)) == NULL)
    return;
  if (g_strcmp0 (head->method, soup_server_message_get_method (msg)) != 0
      || (head->raw_target != NULL
          && (g_strcmp0 (head->path, g_uri_get_path (uri)) != 0
              || g_strcmp0 (head->query, g_uri_get_query (uri)) != 0)))
    {
      g_debug ("The request reader's head does not match libsoup's request; using libsoup's paths");
      pw_local_request_reader_pass_through (reader);
      return;
    }
  if (head->raw_target != NULL)
    state->raw_path = g_strndup (head->raw_target, strcspn (head->raw_target, "?#"));
}

static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  PwLocalServer *self = user_data;
  RequestState *state = get_state (self, msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(PwAwsAuthorization) auth = NULL;
  goffset length = soup_message_headers_get_content_length (headers);

  take_raw_path (msg, state);
  if (authorization != NULL)
    auth = pw_aws_authorization_parse (authorization, NULL);
  if (auth != NULL)
    state->service = g_strdup (auth->service);
  else if (authorization == NULL)
    state->service = pw_aws_presigned_service (g_uri_get_query (soup_server_message_get_uri (msg)));
  /* Only S3 keeps the path as sent: SigV4 normalises the path of every
   * other service, and their paths are fixed names. */
  if (g_strcmp0 (state->service, "s3") != 0)
    g_clear_pointer (&state->raw_path, g_free);

  if (g_strcmp0 (state->service, "s3") == 0)
    state->limit = PW_LOCAL_MAX_S3_SMALL_BODY;
  else if (g_strcmp0 (state->service, "iam") == 0 || g_strcmp0 (state->service, "sts") == 0)
    state->limit = PW_LOCAL_MAX_QUERY_BODY;

  /* S3 object uploads go to a file, never into memory. */
  if (g_strcmp0 (state->service, "s3") == 0 && strcmp (method, "PUT") == 0)
    {
      g_autofree char *encoded = request_path (msg, state);
      const char *slash = encoded != NULL && encoded[0] == '/' ? strchr (encoded + 1, '/') : NULL;

      /* Only a signed upload may write to the disk: S3 signs the declared
       * payload hash, so the signature is checked before the body. */
      if (slash != NULL && slash[1] != '\0'
          && !pw_aws_sigv4_verify (method, encoded, g_uri_get_query (soup_server_message_get_uri (msg)), headers,
                                   NULL, PW_AWS_SIGV4_DIALECT_S3, lookup_secret, self, NULL, NULL, NULL))
        {
          state->discard = TRUE;
          soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
        }
      else if (slash != NULL && slash[1] != '\0')
        {
          g_autoptr(GFile) file = NULL;
          GFileOutputStream *out;

          state->temp_path = pw_local_s3_temp_path (self->s3);
          file = g_file_new_for_path (state->temp_path);
          out = g_file_create (file, G_FILE_CREATE_PRIVATE, NULL, NULL);
          if (out != NULL)
            {
              state->temp_stream = G_OUTPUT_STREAM (out);
              state->streaming = TRUE;
              state->sha256 = g_checksum_new (G_CHECKSUM_SHA256);
              state->md5 = g_checksum_new (G_CHECKSUM_MD5);
            }
        }
    }

  /* A length that is no number, or more than any request may carry (a
   * lie: nobody sends it), is answered now: waiting for a body that never
   * comes would hold the connection until the request timeout. A body
   * merely over this request's limit is read and dropped, then answered
   * 413 (too_large below): answering before a body that IS being sent
   * would close the connection under the sender, who then sees a reset
   * instead of the answer. */
  if (soup_message_headers_get_one (headers, "Content-Length") != NULL)
    {
      const char *raw_path = state->raw_path != NULL ? state->raw_path : g_uri_get_path (soup_server_message_get_uri (msg));
      PwLocalProtocol protocol = guess_protocol (state->service, headers, raw_path);
      const char *text = soup_message_headers_get_one (headers, "Content-Length");
      goffset declared = 0;
      /* (An upload whose signature failed is read and dropped, to answer
       * SignatureDoesNotMatch; it may be as large as any upload.) */
      gsize limit = state->streaming || state->discard ? (gsize) PW_LOCAL_MAX_OBJECT_SIZE : state->limit;

      if (!parse_content_length (text, &declared))
        {
          g_autofree char *shown = g_utf8_make_valid (text, MIN (strlen (text), 40));
          g_autofree char *message = g_strdup_printf ("The Content-Length header '%s' is not a number of bytes "
                                                      "(0 to 999999999999999999)", shown);

          answer_before_body (msg, state, protocol,
                              protocol == PW_LOCAL_PROTOCOL_S3 ? "InvalidArgument" : "SerializationException",
                              400, message);
          return;
        }
      if ((guint64) declared > (guint64) PW_LOCAL_MAX_OBJECT_SIZE)
        {
          g_autofree char *message = g_strdup_printf ("The request declares a body of %" G_GINT64_FORMAT " bytes; "
                                                      "the limit for this kind of request is %" G_GSIZE_FORMAT,
                                                      (gint64) declared, limit);

          answer_before_body (msg, state, protocol,
                              protocol == PW_LOCAL_PROTOCOL_S3 ? "EntityTooLarge" : "RequestEntityTooLargeException",
                              protocol == PW_LOCAL_PROTOCOL_S3 ? 400 : 413, message);
          return;
        }
      length = declared;
    }

  if (state->streaming || (length > 0 && (gsize) length > state->limit))
    {
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      if (!state->streaming)
        state->too_large = TRUE;
    }
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), state);
}

static PwLocalProtocol
guess_protocol (const char        *service,
                SoupMessageHeaders *headers,
                const char        *raw_path)
{
  const char *content_type = soup_message_headers_get_one (headers, "Content-Type");

  if (g_strcmp0 (service, "s3") == 0)
    return PW_LOCAL_PROTOCOL_S3;
  if (g_strcmp0 (service, "iam") == 0 || g_strcmp0 (service, "sts") == 0)
    return PW_LOCAL_PROTOCOL_QUERY;
  if (g_strcmp0 (service, "personalize") == 0 || soup_message_headers_get_one (headers, "X-Amz-Target") != NULL)
    {
      if (g_str_has_prefix (raw_path, "/events"))
        return PW_LOCAL_PROTOCOL_EVENTS;
      if (g_str_has_prefix (raw_path, "/recommendations") || g_str_has_prefix (raw_path, "/personalize-ranking"))
        return PW_LOCAL_PROTOCOL_RUNTIME;
      return PW_LOCAL_PROTOCOL_JSON;
    }
  if (content_type != NULL && g_str_has_prefix (content_type, "application/x-www-form-urlencoded"))
    return PW_LOCAL_PROTOCOL_QUERY;
  if (content_type != NULL && strstr (content_type, "json") != NULL)
    return PW_LOCAL_PROTOCOL_JSON;
  return PW_LOCAL_PROTOCOL_S3;
}

static void
send_response (SoupServerMessage *msg,
               RequestState      *state,
               PwLocalProtocol    protocol,
               PwLocalResponse   *response)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gboolean head = strcmp (soup_server_message_get_method (msg), "HEAD") == 0;

  soup_server_message_set_status (msg, response->status != 0 ? response->status : 500, NULL);
  if (protocol == PW_LOCAL_PROTOCOL_S3)
    {
      soup_message_headers_replace (headers, "x-amz-request-id", state->request_id);
      soup_message_headers_replace (headers, "x-amz-id-2", state->request_id);
    }
  else
    soup_message_headers_replace (headers, "x-amzn-RequestId", state->request_id);
  for (guint i = 0; response->headers != NULL && i + 1 < response->headers->len; i += 2)
    {
      const char *name = response->headers->pdata[i];
      const char *value = response->headers->pdata[i + 1];

      if (g_ascii_strcasecmp (name, "Content-Length") == 0)
        {
          if (head)
            soup_message_headers_set_content_length (headers, g_ascii_strtoll (value, NULL, 10));
          continue;
        }
      soup_message_headers_replace (headers, name, value);
    }
  if (response->content_type != NULL)
    soup_message_headers_replace (headers, "Content-Type", response->content_type);
  if (response->body != NULL && !head)
    soup_message_body_append_bytes (soup_server_message_get_response_body (msg), response->body);
  if (state->too_large)
    soup_message_headers_replace (headers, "Connection", "close");
}

static void
answer_error (SoupServerMessage *msg,
              RequestState      *state,
              PwLocalProtocol    protocol,
              const char        *code,
              guint              status,
              const char        *message)
{
  PwLocalResponse response = { 0 };

  pw_local_response_set_aws_error (&response, protocol, state->request_id, code, status, message);
  send_response (msg, state, protocol, &response);
  pw_local_response_clear (&response);
}

/* The request's body, as the signature check and the services need it:
 * an upload streamed to a temporary file (flushed, with its SHA-256 and
 * MD5), or the body in memory. Returns FALSE when it answered the request
 * (the upload could not be stored). */
static gboolean
take_body (SoupServerMessage *msg,
           RequestState      *state,
           PwLocalProtocol    protocol,
           GBytes           **body,
           char             **payload_hash,
           guint8             md5[16])
{
  if (state->streaming)
    {
      gsize len = 16;

      if (state->write_failed
          || !g_output_stream_close (state->temp_stream, NULL, NULL))
        {
          answer_error (msg, state, protocol, "InternalError", 500,
                        "The server could not store the upload (is the disk full?)");
          return FALSE;
        }
      {
        /* Flush before the object can be acknowledged. */
        int fd = g_open (state->temp_path, O_RDONLY, 0);
        if (fd >= 0)
          {
            fsync (fd);
            close (fd);
          }
      }
      *payload_hash = g_strdup (g_checksum_get_string (state->sha256));
      g_checksum_get_digest (state->md5, md5, &len);
    }
  else
    {
      SoupMessageBody *req_body = soup_server_message_get_request_body (msg);

      *body = state->discard ? g_bytes_new (NULL, 0) : soup_message_body_flatten (req_body);
      if (!state->discard)
        *payload_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, *body);
    }
  return TRUE;
}

/* SigV4 (or an S3 presigned URL) against the server's keys, then the
 * region of the credential scope. Returns the authorization, or %NULL
 * when it answered the request with AWS's error. */
static PwAwsAuthorization *
check_signature (PwLocalServer     *self,
                 SoupServerMessage *msg,
                 RequestState      *state,
                 PwLocalProtocol    protocol,
                 const char        *raw_path,
                 const char        *payload_hash)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *raw_query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(PwAwsAuthorization) auth = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  PwAwsSigv4Dialect dialect;
  const char *expected_region;

  switch (protocol)
    {
    case PW_LOCAL_PROTOCOL_S3:
      dialect = PW_AWS_SIGV4_DIALECT_S3;
      break;
    case PW_LOCAL_PROTOCOL_QUERY:
      dialect = PW_AWS_SIGV4_DIALECT_QUERY;
      break;
    default:
      dialect = PW_AWS_SIGV4_DIALECT_JSON;
      break;
    }
  if (!pw_aws_sigv4_verify (soup_server_message_get_method (msg), raw_path, raw_query, headers, payload_hash,
                            dialect, lookup_secret, self, NULL, &auth, &error))
    {
      const char *code = pw_aws_error_get_code (error);
      guint status = pw_aws_error_get_http_status (error);

      answer_error (msg, state, protocol, code != NULL ? code : "InvalidSignatureException",
                    status != 0 ? status : 403, error->message);
      return NULL;
    }

  if (state->discard)
    {
      answer_error (msg, state, protocol, "SignatureDoesNotMatch", 403,
                    "The request signature we calculated does not match the signature you provided");
      return NULL;
    }
  expected_region = strcmp (auth->service, "iam") == 0 ? "us-east-1" : self->region;
  /* (A SigV2 presigned S3 URL names no region.) */
  if (*auth->region == '\0' || strcmp (auth->region, expected_region) == 0)
    return g_steal_pointer (&auth);

  if (protocol == PW_LOCAL_PROTOCOL_S3)
    {
      message = g_strdup_printf ("The authorization header is malformed; the region '%s' is wrong; "
                                 "expecting '%s' (personalize-local serves region %s)",
                                 auth->region, expected_region, self->region);
      answer_error (msg, state, protocol, "AuthorizationHeaderMalformed", 400, message);
    }
  else
    {
      message = g_strdup_printf ("Credential should be scoped to a valid region, not '%s'; "
                                 "this personalize-local serves '%s' (use --region %s on the client, "
                                 "or start the server with --region %s)",
                                 auth->region, expected_region, expected_region, auth->region);
      answer_error (msg, state, protocol,
                    protocol == PW_LOCAL_PROTOCOL_QUERY ? "SignatureDoesNotMatch" : "InvalidSignatureException",
                    403, message);
    }
  return NULL;
}

/* Personalize: the control plane by X-Amz-Target (POST /), the runtime
 * and events by their REST paths. */
static void
route_personalize (PwLocalServer        *self,
                   RequestState         *state,
                   const PwLocalRequest *request,
                   PwLocalResponse      *response)
{
  const char *target = soup_message_headers_get_one (request->headers, "X-Amz-Target");
  g_autoptr(GError) error = NULL;

  if (target != NULL)
    {
      if (!g_str_has_prefix (target, "AmazonPersonalize.") || strcmp (request->method, "POST") != 0
          || strcmp (request->raw_path, "/") != 0)
        {
          g_set_error (&error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_UNKNOWN_OPERATION,
                       "Unknown operation %s: control plane requests are POST / with "
                       "X-Amz-Target: AmazonPersonalize.<Operation>", target);
          pw_local_response_set_error (response, PW_LOCAL_PROTOCOL_JSON, state->request_id, NULL, error);
        }
      else
        pw_local_personalize_handle_control (self->personalize, target + strlen ("AmazonPersonalize."),
                                             request, response);
    }
  else if (!pw_local_personalize_handle_rest (self->personalize, request->raw_path, request, response))
    {
      g_set_error (&error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_UNKNOWN_OPERATION,
                   "Unknown operation %s %s: personalize-local serves POST /recommendations, "
                   "/personalize-ranking and /events, and the control plane with X-Amz-Target",
                   request->method, request->raw_path);
      pw_local_response_set_error (response, PW_LOCAL_PROTOCOL_RUNTIME, state->request_id, NULL, error);
    }
}

/* A whole request, once libsoup has read it: the early answers (a bad
 * path, a body over the limit), the body, the signature, then the service
 * the credential scope names. */
static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *unused_path,
            GHashTable        *unused_query,
            gpointer           user_data)
{
  PwLocalServer *self = user_data;
  RequestState *state = get_state (self, msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *raw_path = request_path (msg, state);
  PwLocalProtocol protocol = guess_protocol (state->service, headers, raw_path != NULL ? raw_path : g_uri_get_path (uri));
  g_autoptr(GBytes) body = NULL;
  g_autofree char *payload_hash = NULL;
  g_autoptr(PwAwsAuthorization) auth = NULL;
  PwLocalRequest request = { 0 };
  PwLocalResponse response = { 0 };
  guint8 md5[16];

  state->handled = TRUE;
  if (state->timeout != NULL)
    {
      g_source_destroy (state->timeout);
      g_clear_pointer (&state->timeout, g_source_unref);
    }

  if (raw_path == NULL)
    {
      answer_error (msg, state, protocol, protocol == PW_LOCAL_PROTOCOL_S3 ? "InvalidURI" : "SerializationException",
                    400, "Couldn't parse the specified URI: the path has a bad %-escape or an encoded NUL (%00)");
      return;
    }

  if (state->too_large)
    {
      g_autofree char *message = g_strdup_printf ("The request body is larger than %" G_GSIZE_FORMAT
                                                  " bytes, the limit for this kind of request",
                                                  state->streaming ? (gsize) PW_LOCAL_MAX_OBJECT_SIZE : state->limit);

      answer_error (msg, state, protocol,
                    protocol == PW_LOCAL_PROTOCOL_S3 ? "EntityTooLarge" : "RequestEntityTooLargeException",
                    protocol == PW_LOCAL_PROTOCOL_S3 ? 400 : 413, message);
      return;
    }

  if (!take_body (msg, state, protocol, &body, &payload_hash, md5))
    return;
  auth = check_signature (self, msg, state, protocol, raw_path, payload_hash);
  if (auth == NULL)
    return;

  request.method = soup_server_message_get_method (msg);
  request.raw_path = raw_path;
  request.raw_query = g_uri_get_query (uri);
  request.headers = headers;
  request.body = body;
  request.region = *auth->region != '\0' ? auth->region : self->region;
  request.request_id = state->request_id;
  if (state->streaming)
    {
      request.body_file = state->temp_path;
      request.body_md5 = md5;
      request.body_size = state->received;
    }

  if (strcmp (auth->service, "s3") == 0)
    pw_local_s3_handle (self->s3, &request, &response);
  else if (strcmp (auth->service, "iam") == 0)
    pw_local_iam_handle (self->iam, &request, &response);
  else if (strcmp (auth->service, "sts") == 0)
    pw_local_sts_handle (self->iam, auth->access_key_id, &request, &response);
  else if (strcmp (auth->service, "personalize") == 0)
    route_personalize (self, state, &request, &response);
  else
    {
      g_autofree char *message = g_strdup_printf ("personalize-local does not serve the service '%s' "
                                                  "(it serves personalize, s3, iam and sts)", auth->service);
      answer_error (msg, state, protocol, "UnrecognizedClientException", 400, message);
      return;
    }

  if (state->streaming && request.body_file != NULL && !g_file_test (state->temp_path, G_FILE_TEST_EXISTS))
    g_clear_pointer (&state->temp_path, g_free); /* the object took the file */
  send_response (msg, state, protocol, &response);
  pw_local_response_clear (&response);
}

/* ---- thread ---- */

static void
signal_started (PwLocalServer *self,
                GError        *error)
{
  g_mutex_lock (&self->start_lock);
  self->n_started++;
  if (error != NULL && self->start_error == NULL)
    self->start_error = error;
  else if (error != NULL)
    g_error_free (error);
  g_cond_signal (&self->start_cond);
  g_mutex_unlock (&self->start_lock);
}

static void
request_done_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  g_autoptr(PwLocalRequestReader) reader = pw_local_request_reader_for_message (msg);

  if (reader != NULL)
    pw_local_request_reader_request_done (reader);
}

/* The protocol of a refused head, from what came of it. */
static PwLocalProtocol
guess_head_protocol (GBytes *head)
{
  gsize size = 0;
  const char *data = head != NULL ? g_bytes_get_data (head, &size) : NULL;
  g_autofree char *text = data != NULL ? g_ascii_strdown (data, (gssize) size) : NULL;

  if (text == NULL)
    return PW_LOCAL_PROTOCOL_S3;
  if (strstr (text, "/s3/aws4_request") != NULL)
    return PW_LOCAL_PROTOCOL_S3;
  if (strstr (text, "/iam/aws4_request") != NULL || strstr (text, "/sts/aws4_request") != NULL)
    return PW_LOCAL_PROTOCOL_QUERY;
  if (strstr (text, "\nx-amz-target:") != NULL || strstr (text, "/personalize/aws4_request") != NULL)
    return PW_LOCAL_PROTOCOL_JSON;
  return PW_LOCAL_PROTOCOL_S3;
}

/* The answer to a head the request reader refuses (what libsoup would
 * answer with an empty 400, or not at all). */
static GBytes *
answer_head_cb (PwLocalHeadError  error,
                guint             status,
                const char       *detail,
                GBytes           *head,
                gpointer          user_data)
{
  PwLocalProtocol protocol = guess_head_protocol (head);
  gboolean s3 = protocol == PW_LOCAL_PROTOCOL_S3;
  g_autofree char *request_id = g_uuid_string_random ();
  g_autofree char *message = NULL;
  const char *code;

  switch (error)
    {
    case PW_LOCAL_HEAD_HTTP09:
      code = s3 ? "InvalidRequest" : "SerializationException";
      message = g_strdup_printf ("HTTP/0.9 requests are not supported: the request line '%s' has no HTTP "
                                 "version; send HTTP/1.1", detail);
      break;
    case PW_LOCAL_HEAD_VERSION:
      code = "HttpVersionNotSupported";
      message = g_strdup_printf ("The HTTP version specified is not supported: '%s'; send HTTP/1.1", detail);
      break;
    case PW_LOCAL_HEAD_TOO_LARGE:
      code = s3 ? "RequestHeaderSectionTooLarge" : "SerializationException";
      message = g_strdup_printf ("Your request header section exceeds the maximum allowed size "
                                 "(%d bytes, request line and headers)", PW_LOCAL_MAX_REQUEST_HEAD);
      break;
    case PW_LOCAL_HEAD_BAD_HEADERS:
      code = s3 ? "InvalidRequest" : "SerializationException";
      message = g_strdup_printf ("A header line of the request '%s' is malformed", detail);
      break;
    case PW_LOCAL_HEAD_BAD_URI:
      code = s3 ? "InvalidURI" : "SerializationException";
      message = g_strdup_printf ("Couldn't parse the specified URI: '%s'", detail);
      break;
    case PW_LOCAL_HEAD_BAD_HOST:
      code = s3 ? "InvalidRequest" : "SerializationException";
      message = g_strdup_printf ("The request '%s' has no Host header, or one that is not a host name", detail);
      break;
    case PW_LOCAL_HEAD_TRANSFER_ENCODING:
      code = "NotImplemented";
      message = g_strdup ("A header you provided implies functionality that is not implemented: the only "
                          "Transfer-Encoding personalize-local reads is chunked");
      break;
    case PW_LOCAL_HEAD_CONTENT_LENGTH:
      code = s3 ? "InvalidArgument" : "SerializationException";
      message = g_strdup ("The Content-Length header is not a number of bytes (0 to 999999999999999999)");
      break;
    case PW_LOCAL_HEAD_GARBAGE:
    default:
      code = s3 ? "InvalidRequest" : "SerializationException";
      message = g_strdup_printf ("The request does not start with an HTTP/1.1 request line "
                                 "(METHOD TARGET HTTP/1.1): '%s'", detail);
      break;
    }
  return error_answer_bytes (protocol, request_id, code, status, message);
}

static void
accept_connection (Worker  *worker,
                   GSocket *client)
{
  PwLocalServer *self = worker->self;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(PwLocalRequestReader) reader = NULL;
  g_autoptr(PwLocalConnection) stream = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_set_option (client, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  connection = g_socket_connection_factory_create_connection (client);
  local = g_socket_get_local_address (client, NULL);
  remote = g_socket_get_remote_address (client, NULL);
  if (local == NULL || remote == NULL)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return;
    }
  reader = pw_local_request_reader_new (connection, self->request_timeout, answer_head_cb, self);
  pw_local_request_reader_attach (reader, remote);
  stream = pw_local_connection_new (connection, reader);
  if (!soup_server_accept_iostream (worker->server, G_IO_STREAM (stream), local, remote, &error))
    {
      g_debug ("Cannot serve a connection: %s", error->message);
      g_io_stream_close (G_IO_STREAM (stream), NULL, NULL);
    }
}

static gboolean
accept_cb (GSocket      *socket,
           GIOCondition  condition,
           gpointer      user_data)
{
  Worker *worker = user_data;

  /* All that wait (a burst), a bounded number per wake-up. */
  for (guint i = 0; i < 256; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) client = g_socket_accept (socket, NULL, &error);

      if (client == NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            g_debug ("accept: %s", error->message);
          break;
        }
      accept_connection (worker, client);
    }
  return G_SOURCE_CONTINUE;
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  PwLocalServer *self = worker->self;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSocket) idle = NULL;
  GError *error = NULL;

  g_main_context_push_thread_default (worker->context);
  /* raw-paths: libsoup neither decodes the path nor refuses encoded `..`
   * with an empty 400; request_path() does both, with AWS's errors. */
  server = soup_server_new ("server-header", "personalize-local/" PW_VERSION " ", "raw-paths", TRUE, NULL);
  soup_server_add_early_handler (server, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (server, NULL, handler_cb, self, NULL);
  g_signal_connect (server, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (server, "request-finished", G_CALLBACK (request_done_cb), self);
  g_signal_connect (server, "request-aborted", G_CALLBACK (request_done_cb), self);
  idle = pw_local_socket_idle_listener (&error);
  if (idle == NULL || !soup_server_listen_socket (server, idle, 0, &error))
    {
      g_main_context_pop_thread_default (worker->context);
      signal_started (self, error);
      return NULL;
    }
  worker->server = server;
  g_socket_set_blocking (worker->socket, FALSE);
  worker->accept_source = g_socket_create_source (worker->socket, G_IO_IN, NULL);
  g_source_set_callback (worker->accept_source, (GSourceFunc) (void (*) (void)) accept_cb, worker, NULL);
  g_source_attach (worker->accept_source, worker->context);
  signal_started (self, NULL);
  g_main_loop_run (worker->loop);
  g_source_destroy (worker->accept_source);
  g_clear_pointer (&worker->accept_source, g_source_unref);
  soup_server_disconnect (server);
  worker->server = NULL;
  g_clear_object (&server);
  g_main_context_pop_thread_default (worker->context);
  return NULL;
}

static void
worker_free (gpointer data)
{
  Worker *worker = data;

  if (worker->accept_source != NULL)
    {
      g_source_destroy (worker->accept_source);
      g_clear_pointer (&worker->accept_source, g_source_unref);
    }
  g_clear_object (&worker->socket);
  g_clear_pointer (&worker->loop, g_main_loop_unref);
  g_clear_pointer (&worker->context, g_main_context_unref);
  g_free (worker);
}

static void stop_workers (PwLocalServer *self);

/**
 * pw_local_server_start:
 * Loads the state (restarting jobs that were running), writes the
 * credentials on first start, and listens. Returns once the server accepts
 * connections (pw_local_server_get_url()).
 */
gboolean
pw_local_server_start (PwLocalServer  *self,
                       GError        **error)
{
  g_return_val_if_fail (PW_IS_LOCAL_SERVER (self), FALSE);
  g_return_val_if_fail (self->workers == NULL, FALSE);

  if (!pw_local_store_mkdir (self->data_dir, error))
    return FALSE;
  g_chmod (self->data_dir, 0700);
  if (!ensure_credentials (self, error) || !load_credentials (self, error))
    return FALSE;
  if (self->s3 == NULL && (self->s3 = pw_local_s3_new (self->data_dir, self->region, error)) == NULL)
    return FALSE;
  if (self->iam == NULL && (self->iam = pw_local_iam_new (self->data_dir, error)) == NULL)
    return FALSE;
  if (self->personalize == NULL
      && (self->personalize = pw_local_personalize_new (self->data_dir, self->region, self->s3, self->iam,
                                                        self->step_ms, error)) == NULL)
    return FALSE;

  {
    g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (self->address);
    guint n_workers = g_getenv ("PW_LOCAL_WORKERS") != NULL ? (guint) CLAMP (atoi (g_getenv ("PW_LOCAL_WORKERS")), 1, 16) : (guint) CLAMP (g_get_num_processors (), 2, 4);
    g_autofree char *host = NULL;

    if (inet == NULL)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not an IP address: %s", self->address);
        return FALSE;
      }
    if (self->port != 0)
      {
        /* A port someone already listens on (maybe another
         * personalize-local, whose sockets would otherwise take ours into
         * their group) is an error, as without SO_REUSEPORT. */
        g_autoptr(GSocket) probe = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                                                 G_SOCKET_PROTOCOL_TCP, error);
        g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, self->port);

        if (probe == NULL || !g_socket_bind (probe, address, TRUE, error))
          return FALSE;
        g_socket_close (probe, NULL);
      }
    self->workers = g_ptr_array_new_with_free_func (worker_free);
    for (guint i = 0; i < n_workers; i++)
      {
        Worker *worker = g_new0 (Worker, 1);

        worker->self = self;
        worker->socket = pw_local_socket_listen (inet, self->port, error);
        if (worker->socket == NULL)
          {
            worker_free (worker);
            g_clear_pointer (&self->workers, g_ptr_array_unref);
            return FALSE;
          }
        if (i == 0)
          self->port = pw_local_socket_port (worker->socket);
        worker->context = g_main_context_new ();
        worker->loop = g_main_loop_new (worker->context, FALSE);
        g_ptr_array_add (self->workers, worker);
      }
    host = g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6
      ? g_strdup_printf ("[%s]", self->address) : g_strdup (self->address);
    g_free (self->url);
    self->url = g_strdup_printf ("http://%s:%u", host, self->port);
    self->n_started = 0;
    for (guint i = 0; i < self->workers->len; i++)
      {
        Worker *worker = self->workers->pdata[i];

        worker->thread = g_thread_new ("pw-local-server", worker_thread, worker);
      }
    g_mutex_lock (&self->start_lock);
    while (self->n_started < self->workers->len)
      g_cond_wait (&self->start_cond, &self->start_lock);
    g_mutex_unlock (&self->start_lock);
    if (self->start_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&self->start_error));
        stop_workers (self);
        return FALSE;
      }
  }
  pw_local_personalize_start (self->personalize);
  return TRUE;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
stop_workers (PwLocalServer *self)
{
  if (self->workers == NULL)
    return;
  for (guint i = 0; i < self->workers->len; i++)
    {
      Worker *worker = self->workers->pdata[i];

      if (worker->thread != NULL)
        {
          g_main_context_invoke (worker->context, quit_cb, worker->loop);
          g_thread_join (g_steal_pointer (&worker->thread));
        }
    }
  g_clear_pointer (&self->workers, g_ptr_array_unref);
}

/**
 * pw_local_server_stop:
 * Stops listening and waits for running jobs to reach a safe point. What
 * was acknowledged is on disk; jobs that did not finish restart on the next
 * start.
 */
void
pw_local_server_stop (PwLocalServer *self)
{
  g_return_if_fail (PW_IS_LOCAL_SERVER (self));

  stop_workers (self);
  g_clear_pointer (&self->personalize, pw_local_personalize_free);
  g_clear_pointer (&self->iam, pw_local_iam_free);
  g_clear_pointer (&self->s3, pw_local_s3_free);
}

const char *
pw_local_server_get_url (PwLocalServer *self)
{
  g_return_val_if_fail (PW_IS_LOCAL_SERVER (self), NULL);
  return self->url;
}

guint
pw_local_server_get_port (PwLocalServer *self)
{
  g_return_val_if_fail (PW_IS_LOCAL_SERVER (self), 0);
  return self->port;
}

const char *
pw_local_server_get_region (PwLocalServer *self)
{
  g_return_val_if_fail (PW_IS_LOCAL_SERVER (self), NULL);
  return self->region;
}

const char *
pw_local_server_get_data_dir (PwLocalServer *self)
{
  g_return_val_if_fail (PW_IS_LOCAL_SERVER (self), NULL);
  return self->data_dir;
}

const char *
pw_local_server_get_credentials_file (PwLocalServer *self)
{
  g_return_val_if_fail (PW_IS_LOCAL_SERVER (self), NULL);
  return self->credentials_file;
}

const char *
pw_local_server_get_config_file (PwLocalServer *self)
{
  g_return_val_if_fail (PW_IS_LOCAL_SERVER (self), NULL);
  return self->config_file;
}

const char *
pw_local_server_get_access_key_id (PwLocalServer *self)
{
  g_return_val_if_fail (PW_IS_LOCAL_SERVER (self), NULL);
  return self->access_key_id;
}

gboolean
pw_local_server_get_created_credentials (PwLocalServer *self)
{
  g_return_val_if_fail (PW_IS_LOCAL_SERVER (self), FALSE);
  return self->created_credentials;
}
