/* pw-aws-test-server.c: a loopback SoupServer that checks SigV4 and answers from a script
 *
 * Every request is verified with pw_aws_sigv4_verify() (the code a real
 * server would use); a request that fails gets the AWS error of its
 * protocol, as the services answer. Bodies are hashed as they arrive and
 * never kept whole beyond 1 MiB, so large uploads stay out of memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <string.h>

#include "pw-aws-test-server.h"

#define KEEP_BODY (1024 * 1024)
#define STREAM_CHUNK (64 * 1024)

typedef struct
{
  PwAwsTestKind kind;
  guint status;
  char *content_type;
  char *body;
  GPtrArray *headers;
  guint64 stream_length;
  guint32 seed;
} Answer;

typedef struct
{
  char *secret;
  char *token;
} Key;

struct _PwAwsTestServer
{
  SoupServer *server;
  char *url;
  GHashTable *keys;
  GQueue answers;
  GPtrArray *requests;
  gint64 clock_offset;
  GPtrArray *hung;
  char *stream_sha256;
};

typedef struct
{
  GChecksum *checksum;
  GByteArray *kept;
  gsize length;
} Incoming;

typedef struct
{
  PwAwsTestServer *self;
  guint64 left;
  guint32 state;
  GChecksum *checksum;
  guint8 *chunk;
} Stream;

static void
key_free (Key *key)
{
  g_free (key->secret);
  g_free (key->token);
  g_free (key);
}

static void
answer_free (Answer *a)
{
  g_free (a->content_type);
  g_free (a->body);
  g_clear_pointer (&a->headers, g_ptr_array_unref);
  g_free (a);
}

static void
request_free (PwAwsTestRequest *r)
{
  g_free (r->method);
  g_free (r->path);
  g_free (r->query);
  g_free (r->target);
  g_free (r->content_type);
  g_free (r->content_md5);
  g_free (r->body);
  g_free (r->body_sha256);
  g_free (r->verify_error);
  g_free (r->scope_region);
  g_free (r->scope_service);
  g_free (r->access_key_id);
  g_free (r);
}

static void
incoming_free (Incoming *in)
{
  g_checksum_free (in->checksum);
  g_byte_array_unref (in->kept);
  g_free (in);
}

/* A deterministic byte stream (xorshift32), for large objects. */
void
pw_aws_test_server_fill (guint8  *buffer,
                         gsize    length,
                         guint32 *state)
{
  guint32 x = *state;

  for (gsize i = 0; i < length; i++)
    {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      buffer[i] = x & 0xff;
    }
  *state = x;
}

static gboolean
lookup_key (const char  *access_key_id,
            char       **out_secret,
            char       **out_token,
            gpointer     user_data)
{
  PwAwsTestServer *self = user_data;
  Key *key = g_hash_table_lookup (self->keys, access_key_id);

  if (key == NULL)
    return FALSE;
  *out_secret = g_strdup (key->secret);
  *out_token = g_strdup (key->token);
  return TRUE;
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              Incoming          *in)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (chunk, &len);

  g_checksum_update (in->checksum, data, len);
  if (in->kept->len < KEEP_BODY)
    g_byte_array_append (in->kept, data, MIN (len, KEEP_BODY - in->kept->len));
  in->length += len;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  Incoming *in = g_new0 (Incoming, 1);

  in->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  in->kept = g_byte_array_new ();
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_object_set_data_full (G_OBJECT (msg), "pw-incoming", in, (GDestroyNotify) incoming_free);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), in);
}

static PwAwsSigv4Dialect
dialect_for (const PwAwsTestRequest *r)
{
  if (r->target != NULL || g_strcmp0 (r->path, "/recommendations") == 0 ||
      g_strcmp0 (r->path, "/personalize-ranking") == 0 || g_strcmp0 (r->path, "/events") == 0)
    return PW_AWS_SIGV4_DIALECT_JSON;
  if (r->content_type != NULL && g_str_has_prefix (r->content_type, "application/x-www-form-urlencoded"))
    return PW_AWS_SIGV4_DIALECT_QUERY;
  return PW_AWS_SIGV4_DIALECT_S3;
}

static void
set_date (SoupServerMessage *msg,
          gint64             offset)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC + offset);
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Date", date);
}

static void
answer_auth_error (SoupServerMessage *msg,
                   PwAwsSigv4Dialect  dialect,
                   const GError      *error,
                   gint64             offset)
{
  PwAwsProtocol protocol = dialect == PW_AWS_SIGV4_DIALECT_JSON ? PW_AWS_PROTOCOL_JSON :
                           dialect == PW_AWS_SIGV4_DIALECT_QUERY ? PW_AWS_PROTOCOL_QUERY : PW_AWS_PROTOCOL_REST_XML;
  const char *content_type = NULL;
  g_autofree char *body = pw_aws_error_format_body (protocol, pw_aws_error_get_code (error), error->message,
                                                    "auth-error-request", &content_type);

  set_date (msg, offset);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "x-amzn-RequestId", "auth-error-request");
  soup_server_message_set_status (msg, pw_aws_error_get_http_status (error), NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
wrote_chunk_cb (SoupServerMessage *msg,
                Stream            *stream)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize n;

  if (stream->left == 0)
    {
      g_free (stream->self->stream_sha256);
      stream->self->stream_sha256 = g_strdup (g_checksum_get_string (stream->checksum));
      soup_message_body_complete (body);
      return;
    }
  n = MIN (stream->left, STREAM_CHUNK);
  pw_aws_test_server_fill (stream->chunk, n, &stream->state);
  g_checksum_update (stream->checksum, stream->chunk, n);
  stream->left -= n;
  soup_message_body_append (body, SOUP_MEMORY_COPY, stream->chunk, n);
}

static void
stream_free (Stream *stream)
{
  g_checksum_free (stream->checksum);
  g_free (stream->chunk);
  g_free (stream);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  PwAwsTestServer *self = user_data;
  Incoming *in = g_object_get_data (G_OBJECT (msg), "pw-incoming");
  SoupMessageHeaders *req_headers = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  PwAwsTestRequest *r = g_new0 (PwAwsTestRequest, 1);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC + self->clock_offset);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwAwsAuthorization) auth = NULL;
  PwAwsSigv4Dialect dialect;
  Answer *answer;

  r->method = g_strdup (soup_server_message_get_method (msg));
  r->path = g_strdup (g_uri_get_path (uri));
  r->query = g_strdup (g_uri_get_query (uri));
  r->target = g_strdup (soup_message_headers_get_one (req_headers, "X-Amz-Target"));
  r->content_type = g_strdup (soup_message_headers_get_one (req_headers, "Content-Type"));
  r->content_md5 = g_strdup (soup_message_headers_get_one (req_headers, "Content-MD5"));
  r->body = g_strndup ((const char *) in->kept->data, in->kept->len);
  r->body_length = in->length;
  r->body_sha256 = g_strdup (g_checksum_get_string (in->checksum));
  r->remote_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (soup_server_message_get_remote_address (msg)));
  g_ptr_array_add (self->requests, r);

  dialect = dialect_for (r);
  r->verified = pw_aws_sigv4_verify_server_message (msg, r->body_sha256, dialect, lookup_key, self, now, &auth, &error);
  if (!r->verified)
    {
      r->verify_error = g_strdup_printf ("%s (path %s, query %s)", error->message, r->path, r->query ? r->query : "");
      answer_auth_error (msg, dialect, error, self->clock_offset);
      return;
    }
  r->scope_region = g_strdup (auth->region);
  r->scope_service = g_strdup (auth->service);
  r->access_key_id = g_strdup (auth->access_key_id);

  answer = g_queue_pop_head (&self->answers);
  if (answer == NULL)
    {
      soup_server_message_set_status (msg, 500, "No answer queued");
      return;
    }

  set_date (msg, self->clock_offset);
  switch (answer->kind)
    {
    case PW_AWS_TEST_HANG:
      soup_server_message_pause (msg);
      g_ptr_array_add (self->hung, g_object_ref (msg));
      break;

    case PW_AWS_TEST_RAW:
      {
        g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
        GOutputStream *out = g_io_stream_get_output_stream (stream);

        g_output_stream_write_all (out, answer->body, strlen (answer->body), NULL, NULL, NULL);
        g_io_stream_close (stream, NULL, NULL);
        break;
      }

    case PW_AWS_TEST_STREAM:
      {
        Stream *stream = g_new0 (Stream, 1);

        stream->self = self;
        stream->left = answer->stream_length;
        stream->state = answer->seed;
        stream->checksum = g_checksum_new (G_CHECKSUM_SHA256);
        stream->chunk = g_malloc (STREAM_CHUNK);
        soup_server_message_set_status (msg, 200, NULL);
        soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg), answer->stream_length);
        soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", "\"stream\"");
        soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-Type", "application/octet-stream");
        soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
        g_object_set_data_full (G_OBJECT (msg), "pw-stream", stream, (GDestroyNotify) stream_free);
        g_signal_connect (msg, "wrote-chunk", G_CALLBACK (wrote_chunk_cb), stream);
        wrote_chunk_cb (msg, stream);
        break;
      }

    case PW_AWS_TEST_NORMAL:
    default:
      {
        SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

        soup_server_message_set_status (msg, answer->status, NULL);
        for (guint i = 0; answer->headers != NULL && i + 1 < answer->headers->len; i += 2)
          soup_message_headers_replace (headers, g_ptr_array_index (answer->headers, i),
                                        g_ptr_array_index (answer->headers, i + 1));
        if (answer->body != NULL)
          soup_server_message_set_response (msg, answer->content_type, SOUP_MEMORY_COPY,
                                            answer->body, strlen (answer->body));
        break;
      }
    }
  answer_free (answer);
}

PwAwsTestServer *
pw_aws_test_server_new (void)
{
  PwAwsTestServer *self = g_new0 (PwAwsTestServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  /* raw-paths: the path as sent, which is what was signed. */
  self->server = soup_server_new ("raw-paths", TRUE, NULL);
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) key_free);
  g_queue_init (&self->answers);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  self->hung = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb), self);
  soup_server_add_handler (self->server, NULL, handler, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("cannot listen on loopback: %s", error->message);
  uris = soup_server_get_uris (self->server);
  self->url = g_uri_to_string (uris->data);
  if (g_str_has_suffix (self->url, "/"))
    self->url[strlen (self->url) - 1] = '\0';
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return self;
}

void
pw_aws_test_server_free (PwAwsTestServer *self)
{
  for (guint i = 0; i < self->hung->len; i++)
    soup_server_message_unpause (g_ptr_array_index (self->hung, i));
  g_ptr_array_unref (self->hung);
  soup_server_disconnect (self->server);
  g_object_unref (self->server);
  g_hash_table_unref (self->keys);
  g_queue_clear_full (&self->answers, (GDestroyNotify) answer_free);
  g_ptr_array_unref (self->requests);
  g_free (self->url);
  g_free (self->stream_sha256);
  g_free (self);
}

const char *
pw_aws_test_server_get_url (PwAwsTestServer *self)
{
  return self->url;
}

void
pw_aws_test_server_add_key (PwAwsTestServer *self,
                            const char      *access_key_id,
                            const char      *secret,
                            const char      *token)
{
  Key *key = g_new0 (Key, 1);

  key->secret = g_strdup (secret);
  key->token = g_strdup (token);
  g_hash_table_replace (self->keys, g_strdup (access_key_id), key);
}

void
pw_aws_test_server_set_clock_offset (PwAwsTestServer *self,
                                     gint64           seconds)
{
  self->clock_offset = seconds;
}

void
pw_aws_test_server_push (PwAwsTestServer *self,
                         PwAwsTestKind    kind,
                         guint            status,
                         const char      *content_type,
                         const char      *body,
                         ...)
{
  Answer *a = g_new0 (Answer, 1);
  va_list args;
  const char *name;

  a->kind = kind;
  a->status = status;
  a->content_type = g_strdup (content_type);
  a->body = g_strdup (body);
  a->headers = g_ptr_array_new_with_free_func (g_free);
  va_start (args, body);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      g_ptr_array_add (a->headers, g_strdup (name));
      g_ptr_array_add (a->headers, g_strdup (va_arg (args, const char *)));
    }
  va_end (args);
  g_queue_push_tail (&self->answers, a);
}

void
pw_aws_test_server_push_stream (PwAwsTestServer *self,
                                guint64          length,
                                guint32          seed)
{
  Answer *a = g_new0 (Answer, 1);

  a->kind = PW_AWS_TEST_STREAM;
  a->stream_length = length;
  a->seed = seed;
  g_queue_push_tail (&self->answers, a);
}

guint
pw_aws_test_server_get_n_requests (PwAwsTestServer *self)
{
  return self->requests->len;
}

PwAwsTestRequest *
pw_aws_test_server_get_request (PwAwsTestServer *self,
                                guint            index)
{
  g_assert_cmpuint (index, <, self->requests->len);
  return g_ptr_array_index (self->requests, index);
}

guint
pw_aws_test_server_get_n_pending (PwAwsTestServer *self)
{
  return g_queue_get_length (&self->answers);
}

const char *
pw_aws_test_server_get_stream_sha256 (PwAwsTestServer *self)
{
  return self->stream_sha256;
}
