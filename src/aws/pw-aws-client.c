/* pw-aws-client.c: the one client for Personalize, S3, IAM and STS (and the local engine)
 *
 * One long-lived SoupSession. Each call is a GTask that runs attempts:
 * build the request from the operation's protocol, sign it (SigV4), send
 * it, then map the answer to JSON or to a PW_AWS_ERROR. Failed attempts are
 * retried in AWS's "standard" mode (throttling and transient failures, at
 * most max_attempts, exponential backoff with full jitter); a create that
 * may have happened is checked before it is repeated (PwAwsRetryPolicy);
 * clock skew reported by the service is corrected from its Date header.
 *
 * Nothing here logs headers or bodies: the session token travels in a
 * header, and no secret ever goes into a message or an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-aws"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "pw-aws-client.h"
#include "pw-aws-error.h"
#include "pw-aws-sigv4.h"
#include "pw-aws-sync-private.h"
#include "pw-aws-xml.h"

#define DOWNLOAD_CHUNK (256 * 1024)
#define MAX_REDIRECTS 2
#define MAX_ERROR_BODY (1024 * 1024)
/* The most an answer read into memory may declare (downloads to a file
 * have no limit): a larger Content-Length is refused when the headers
 * arrive, instead of reading it, or waiting for it, before failing. */
#define MAX_MEMORY_BODY ((goffset) 256 * 1024 * 1024)
/* Standard mode's retry quota: a retry costs 5 tokens (10 after a
 * timeout), a success gives back what its retries cost, or 1. */
#define RETRY_QUOTA 500
#define RETRY_COST 5
#define RETRY_TIMEOUT_COST 10

struct _PwAwsClient
{
  GObject parent_instance;

  SoupSession *session;
  GMainContext *context;
  PwAwsConfig *config;
  guint max_attempts;
  guint base_delay_ms;
  guint max_delay_ms;
  guint timeout_ms;
  gint64 clock_offset;        /* seconds to add to the local clock */
  GHashTable *bucket_regions; /* bucket -> region learnt from redirects */
  guint retry_tokens;
};

G_DEFINE_FINAL_TYPE (PwAwsClient, pw_aws_client, G_TYPE_OBJECT)

/* ------------------------------------------------------------------------ */
/* Calls */

typedef enum
{
  CALL_GENERIC,
  CALL_PUT_FILE,
  CALL_GET_FILE,
} CallKind;

typedef struct
{
  PwAwsClient *client;
  PwAwsService service;
  const PwAwsOperation *op;
  JsonObject *input;
  CallKind kind;

  GFile *file;
  char *content_type;
  goffset file_size;
  char *file_hash;
  PwAwsProgressFunc progress;
  gpointer progress_data;

  guint attempt;
  gboolean skew_corrected;
  guint redirects;
  char *redirect_url;
  gboolean was_ambiguous;
  guint retry_cost;            /* tokens the last retry took */
  gint64 started;              /* wall clock (corrected), seconds */
  GError *check_error;         /* the failure that made us check */
  char *check_token;

  /* The current attempt. */
  SoupMessage *msg;
  char *url_for_people;        /* scheme://host/path, no query */
  GCancellable *user_cancellable;
  GCancellable *attempt_cancellable;
  gulong cancelled_id;
  GSource *timeout_source;
  gboolean timed_out;
  gboolean body_written;
  goffset declared_too_large;  /* the Content-Length refused, -1 if no number, or 0 */
  guint64 transferred;
  guint64 expected_length;
  GInputStream *in;
  GOutputStream *out;
  GByteArray *error_body;
  guint8 *buffer;

  GSource *wait_source;
  GSource *wait_cancel_source;
} Call;

static void start_attempt (GTask *task);

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
call_reset_attempt (Call *call)
{
  clear_source (&call->timeout_source);
  if (call->cancelled_id != 0)
    {
      g_cancellable_disconnect (call->user_cancellable, call->cancelled_id);
      call->cancelled_id = 0;
    }
  if (call->msg != NULL)
    g_signal_handlers_disconnect_matched (call->msg, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, call);
  g_clear_object (&call->msg);
  g_clear_pointer (&call->url_for_people, g_free);
  g_clear_object (&call->attempt_cancellable);
  g_clear_object (&call->in);
  if (call->out != NULL)
    {
      /* An unfinished download: closing with a cancelled cancellable drops
       * the temporary file and leaves the destination as it was. */
      g_autoptr(GCancellable) abort = g_cancellable_new ();

      g_cancellable_cancel (abort);
      if (!g_output_stream_is_closed (call->out))
        g_output_stream_close (call->out, abort, NULL);
      g_clear_object (&call->out);
    }
  g_clear_pointer (&call->error_body, g_byte_array_unref);
  g_clear_pointer (&call->buffer, g_free);
  call->timed_out = FALSE;
  call->body_written = FALSE;
  call->declared_too_large = 0;
  call->transferred = 0;
  call->expected_length = 0;
}

static void
call_clear_wait (Call *call)
{
  clear_source (&call->wait_source);
  clear_source (&call->wait_cancel_source);
}

static void
call_free (Call *call)
{
  call_reset_attempt (call);
  call_clear_wait (call);
  g_clear_object (&call->user_cancellable);
  g_clear_object (&call->client);
  g_clear_pointer (&call->input, json_object_unref);
  g_clear_object (&call->file);
  g_free (call->content_type);
  g_free (call->file_hash);
  g_free (call->redirect_url);
  g_clear_error (&call->check_error);
  g_free (call->check_token);
  g_free (call);
}

/* ------------------------------------------------------------------------ */
/* Small helpers */

static gint64
corrected_now (PwAwsClient *self)
{
  return g_get_real_time () / G_USEC_PER_SEC + self->clock_offset;
}

static const char *
input_string (JsonObject *input,
              const char *member)
{
  JsonNode *node;

  if (input == NULL || (node = json_object_get_member (input, member)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A JSON scalar as query / form text. */
static char *
scalar_to_string (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  if (type == G_TYPE_DOUBLE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
    }
  return NULL;
}

static void
append_form (GString    *out,
             const char *name,
             const char *value)
{
  g_autofree char *n = pw_aws_uri_encode (name, -1, FALSE);
  g_autofree char *v = pw_aws_uri_encode (value, -1, FALSE);

  g_string_append_printf (out, "&%s=%s", n, v);
}

/* Query protocol: structures as A.B, lists as A.member.N, maps as A.entry.N.key/value. */
static void
flatten_query (GString    *out,
               const char *prefix,
               JsonNode   *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      GList *names = json_object_get_members (object);

      /* In insertion order, as the input was written. */
      for (GList *l = names; l != NULL; l = l->next)
        {
          const char *name = l->data;
          g_autofree char *sub = prefix != NULL ? g_strdup_printf ("%s.%s", prefix, name) : g_strdup (name);

          flatten_query (out, sub, json_object_get_member (object, name));
        }
      g_list_free (names);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      if (json_array_get_length (array) == 0)
        append_form (out, prefix, "");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *sub = g_strdup_printf ("%s.member.%u", prefix, i + 1);

          flatten_query (out, sub, json_array_get_element (array, i));
        }
    }
  else if (!JSON_NODE_HOLDS_NULL (node))
    {
      g_autofree char *value = scalar_to_string (node);

      if (value != NULL)
        append_form (out, prefix, value);
    }
}

static char *
json_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* A response header, when present, as a string member of @out. */
static void
copy_header (JsonObject         *out,
             SoupMessageHeaders *headers,
             const char         *header,
             const char         *member)
{
  const char *v = soup_message_headers_get_one (headers, header);

  if (v != NULL)
    json_object_set_string_member (out, member, v);
}

/* A JSON protocol's body: the input, or {}. */
static GBytes *
json_body (JsonObject *input)
{
  char *body = input != NULL ? json_object_to_string (input) : g_strdup ("{}");

  return g_bytes_new_take (body, strlen (body));
}

static gboolean
is_virtual_host_bucket (const char *bucket)
{
  gsize len = strlen (bucket);

  if (len < 3 || len > 63 || !g_ascii_isalnum (bucket[0]) || !g_ascii_isalnum (bucket[len - 1]))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!(g_ascii_islower (bucket[i]) || g_ascii_isdigit (bucket[i]) || bucket[i] == '-'))
      return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Building a request */

typedef struct
{
  char *method;
  char *scheme;
  char *host;
  int port;
  char *path;          /* encoded */
  char *query;         /* encoded, or NULL */
  char *content_type;
  GBytes *body;
  char *payload_hash;
  char *target;        /* X-Amz-Target */
  char *content_md5;
  char *signing_region;
  gboolean s3;
} Request;

static void
request_clear (Request *r)
{
  g_free (r->method);
  g_free (r->scheme);
  g_free (r->host);
  g_free (r->path);
  g_free (r->query);
  g_free (r->content_type);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_free (r->payload_hash);
  g_free (r->target);
  g_free (r->content_md5);
  g_free (r->signing_region);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Request, request_clear)

static gboolean
invalid_input (GError    **error,
               const char *operation,
               const char *member)
{
  g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_INPUT,
               _("%s needs the member “%s” (a string)"), operation, member);
  return FALSE;
}

static void
append_query (GString    *query,
              const char *name,
              const char *value)
{
  g_autofree char *v = NULL;

  if (query->len > 0)
    g_string_append_c (query, '&');
  g_string_append (query, name);
  if (value != NULL)
    {
      v = pw_aws_uri_encode (value, -1, FALSE);
      g_string_append_printf (query, "=%s", v);
    }
}

static gboolean
build_s3 (Call        *call,
          Request     *r,
          const char  *base_path,
          gboolean     custom_endpoint,
          const char  *region,
          GError     **error)
{
  PwAwsClient *self = call->client;
  const char *op = call->op->name;
  const char *bucket = input_string (call->input, "Bucket");
  const char *key = input_string (call->input, "Key");
  const char *bucket_region;
  gboolean object_op = strcmp (op, "PutObject") == 0 || strcmp (op, "GetObject") == 0 ||
                       strcmp (op, "DeleteObject") == 0 || strcmp (op, "HeadObject") == 0;
  g_autofree char *enc_key = NULL;
  g_autofree char *enc_bucket = NULL;
  g_autoptr(GString) query = g_string_new (NULL);

  if (bucket == NULL || *bucket == '\0')
    return invalid_input (error, op, "Bucket");
  if (object_op && (key == NULL || *key == '\0'))
    return invalid_input (error, op, "Key");

  bucket_region = g_hash_table_lookup (self->bucket_regions, bucket);
  if (bucket_region == NULL)
    bucket_region = region;
  g_free (r->signing_region);
  r->signing_region = g_strdup (bucket_region);
  r->s3 = TRUE;

  enc_key = key != NULL ? pw_aws_uri_encode (key, -1, TRUE) : NULL;
  enc_bucket = pw_aws_uri_encode (bucket, -1, FALSE);
  if (!custom_endpoint && is_virtual_host_bucket (bucket))
    {
      g_autofree char *s3_host = pw_aws_service_get_default_host (PW_AWS_SERVICE_S3, bucket_region);

      g_free (r->host);
      r->host = g_strdup_printf ("%s.%s", bucket, s3_host);
      r->path = g_strdup_printf ("/%s", enc_key != NULL ? enc_key : "");
    }
  else
    {
      if (!custom_endpoint)
        {
          g_free (r->host);
          r->host = pw_aws_service_get_default_host (PW_AWS_SERVICE_S3, bucket_region);
        }
      r->path = enc_key != NULL ? g_strdup_printf ("%s/%s/%s", base_path, enc_bucket, enc_key)
                                : g_strdup_printf ("%s/%s", base_path, enc_bucket);
    }

  if (strcmp (op, "CreateBucket") == 0)
    {
      JsonNode *conf = json_object_get_member (call->input, "CreateBucketConfiguration");
      const char *constraint = NULL;

      if (conf != NULL && JSON_NODE_HOLDS_OBJECT (conf))
        constraint = input_string (json_node_get_object (conf), "LocationConstraint");
      else if (strcmp (bucket_region, "us-east-1") != 0)
        constraint = bucket_region;
      if (constraint != NULL)
        {
          g_autofree char *escaped = g_markup_escape_text (constraint, -1);
          char *xml = g_strdup_printf ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                                       "<LocationConstraint>%s</LocationConstraint></CreateBucketConfiguration>",
                                       escaped);

          r->body = g_bytes_new_take (xml, strlen (xml));
          r->content_type = g_strdup ("application/xml");
        }
    }
  else if (strcmp (op, "PutBucketPolicy") == 0)
    {
      const char *policy = input_string (call->input, "Policy");
      g_autoptr(GChecksum) md5 = g_checksum_new (G_CHECKSUM_MD5);
      guint8 digest[16];
      gsize len = sizeof digest;

      if (policy == NULL)
        return invalid_input (error, op, "Policy");
      append_query (query, "policy", NULL);
      r->body = g_bytes_new (policy, strlen (policy));
      r->content_type = g_strdup ("application/json");
      g_checksum_update (md5, (const guchar *) policy, strlen (policy));
      g_checksum_get_digest (md5, digest, &len);
      r->content_md5 = g_base64_encode (digest, len);
    }
  else if (strcmp (op, "PutObject") == 0 && call->kind == CALL_GENERIC)
    {
      const char *body = input_string (call->input, "Body");
      const char *ctype = input_string (call->input, "ContentType");

      r->body = g_bytes_new (body != NULL ? body : "", body != NULL ? strlen (body) : 0);
      r->content_type = g_strdup (ctype != NULL ? ctype : "application/octet-stream");
    }
  else if (strcmp (op, "PutObject") == 0)
    r->content_type = g_strdup (call->content_type != NULL ? call->content_type : "application/octet-stream");
  else if (strcmp (op, "ListObjectsV2") == 0)
    {
      static const struct { const char *member, *param; } params[] = {
        { "ContinuationToken", "continuation-token" },
        { "Delimiter", "delimiter" },
        { "EncodingType", "encoding-type" },
        { "FetchOwner", "fetch-owner" },
        { "MaxKeys", "max-keys" },
        { "Prefix", "prefix" },
        { "StartAfter", "start-after" },
      };

      append_query (query, "list-type", "2");
      for (guint i = 0; i < G_N_ELEMENTS (params); i++)
        {
          JsonNode *node = json_object_get_member (call->input, params[i].member);
          g_autofree char *value = node != NULL ? scalar_to_string (node) : NULL;

          if (value != NULL)
            append_query (query, params[i].param, value);
        }
    }

  if (query->len > 0)
    r->query = g_strdup (query->str);
  return TRUE;
}

static gboolean
build_request (Call     *call,
               Request  *r,
               GError  **error)
{
  PwAwsClient *self = call->client;
  const char *endpoint = call->redirect_url != NULL ? call->redirect_url
                         : pw_aws_config_get_endpoint_url (self->config, call->service);
  gboolean custom = endpoint != NULL;
  g_autofree char *base_path = NULL;
  const char *region = self->config->region;
  PwAwsProtocol protocol = pw_aws_service_get_protocol (call->service);

  if (custom)
    {
      g_autoptr(GUri) uri = g_uri_parse (endpoint, G_URI_FLAGS_ENCODED, NULL);

      if (uri == NULL)
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG,
                       _("The endpoint URL “%s” is not valid"), endpoint);
          return FALSE;
        }
      r->scheme = g_strdup (g_uri_get_scheme (uri));
      r->host = g_strdup (g_uri_get_host (uri));
      r->port = g_uri_get_port (uri);
      base_path = g_strdup (g_uri_get_path (uri));
      if (g_str_has_suffix (base_path, "/"))
        base_path[strlen (base_path) - 1] = '\0';
      if (region == NULL)
        region = "us-east-1";
    }
  else
    {
      if (region == NULL)
        {
          g_set_error_literal (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG,
                               _("No AWS region is set: choose one (--region, AWS_REGION or the profile’s region)"));
          return FALSE;
        }
      r->scheme = g_strdup ("https");
      r->host = pw_aws_service_get_default_host (call->service, region);
      r->port = -1;
      base_path = g_strdup ("");
    }
  r->signing_region = g_strdup (pw_aws_service_get_signing_region (call->service, region));

  if (call->redirect_url != NULL && protocol == PW_AWS_PROTOCOL_REST_XML)
    {
      /* A temporary redirect names the whole URL. */
      g_autoptr(GUri) uri = g_uri_parse (call->redirect_url, G_URI_FLAGS_ENCODED, NULL);

      r->method = g_strdup (call->op->http_method);
      r->path = g_strdup (g_uri_get_path (uri));
      r->query = g_strdup (g_uri_get_query (uri));
      r->s3 = TRUE;
      return TRUE;
    }

  switch (protocol)
    {
    case PW_AWS_PROTOCOL_JSON:
      r->method = g_strdup ("POST");
      r->path = g_strdup_printf ("%s/", base_path);
      r->content_type = g_strdup ("application/x-amz-json-1.1");
      r->target = g_strdup_printf ("AmazonPersonalize.%s", call->op->name);
      r->body = json_body (call->input);
      break;
    case PW_AWS_PROTOCOL_REST_JSON:
      r->method = g_strdup (call->op->http_method);
      r->path = g_strdup_printf ("%s%s", base_path, call->op->path);
      r->content_type = g_strdup ("application/json");
      r->body = json_body (call->input);
      break;
    case PW_AWS_PROTOCOL_QUERY:
      {
        GString *form = g_string_new (NULL);
        gsize len;

        g_string_append_printf (form, "Action=%s&Version=%s", call->op->name,
                                call->service == PW_AWS_SERVICE_IAM ? "2010-05-08" : "2011-06-15");
        if (call->input != NULL)
          {
            g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), call->input);

            flatten_query (form, NULL, node);
          }
        r->method = g_strdup ("POST");
        r->path = g_strdup_printf ("%s/", base_path);
        r->content_type = g_strdup ("application/x-www-form-urlencoded; charset=utf-8");
        len = form->len;
        r->body = g_bytes_new_take (g_string_free (form, FALSE), len);
        break;
      }
    case PW_AWS_PROTOCOL_REST_XML:
      r->method = g_strdup (call->op->http_method);
      if (!build_s3 (call, r, base_path, custom, region, error))
        return FALSE;
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

static char *
host_header (const Request *r)
{
  gboolean default_port = r->port < 0 ||
                          (r->port == 80 && strcmp (r->scheme, "http") == 0) ||
                          (r->port == 443 && strcmp (r->scheme, "https") == 0);
  gboolean ipv6 = strchr (r->host, ':') != NULL;

  if (default_port)
    return ipv6 ? g_strdup_printf ("[%s]", r->host) : g_strdup (r->host);
  return ipv6 ? g_strdup_printf ("[%s]:%d", r->host, r->port) : g_strdup_printf ("%s:%d", r->host, r->port);
}

/* ------------------------------------------------------------------------ */
/* Errors */

/* botocore's standard-mode lists (retries/standard.py), but for
 * LimitExceededException, which botocore counts as throttling: Personalize
 * answers it to creates over a resource quota (5 dataset groups, …; spec
 * 2.4 "LEE"), which no retry fixes, so it is reported at once. */
static const char * const throttling_codes[] = {
  "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
  "TooManyRequestsException", "ProvisionedThroughputExceededException",
  "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
  "RequestThrottled", "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException", NULL
};
static const char * const transient_codes[] = {
  "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
  "InternalServerError", "ServiceUnavailable", "ServiceFailure", NULL
};
static const char * const skew_codes[] = {
  "RequestTimeTooSkewed", "RequestExpired", "InvalidSignatureException", "SignatureDoesNotMatch",
  "AuthFailure", "RequestInTheFuture", NULL
};

/* "ns#Name" and "Name:http://…" are both "Name". */
static char *
strip_error_code (const char *code)
{
  const char *hash = strrchr (code, '#');
  const char *start = hash != NULL ? hash + 1 : code;
  const char *colon = strchr (start, ':');

  return colon != NULL ? g_strndup (start, colon - start) : g_strdup (start);
}

static GError *
service_error (Call       *call,
               const char *code,
               guint       status,
               const char *request_id,
               const char *message)
{
  const char *title = pw_aws_service_get_title (call->service);

  if (message != NULL && *message != '\0')
    return pw_aws_error_new (PW_AWS_ERROR_SERVICE, code, status, request_id, message,
                             /* Translators: service: message (error code, HTTP status) */
                             _("%s: %s (%s, HTTP %u)"), title, message,
                             code != NULL ? code : soup_status_get_phrase (status), status);
  return pw_aws_error_new (PW_AWS_ERROR_SERVICE, code, status, request_id, NULL,
                           _("%s answered %s (HTTP %u) to %s"), title,
                           code != NULL ? code : soup_status_get_phrase (status), status, call->op->name);
}

static GError *
parse_error_response (Call   *call,
                      GBytes *body)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (call->msg);
  guint status = soup_message_get_status (call->msg);
  const char *request_id = soup_message_headers_get_one (headers, "x-amzn-RequestId");
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  g_autofree char *body_request_id = NULL;
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  PwAwsProtocol protocol = pw_aws_service_get_protocol (call->service);

  if (request_id == NULL)
    request_id = soup_message_headers_get_one (headers, "x-amz-request-id");

  if (protocol == PW_AWS_PROTOCOL_JSON || protocol == PW_AWS_PROTOCOL_REST_JSON)
    {
      const char *type = soup_message_headers_get_one (headers, "x-amzn-ErrorType");
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (type != NULL && *type != '\0')
        code = strip_error_code (type);
      if (len > 0 && json_parser_load_from_data (parser, data, len, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *object = json_node_get_object (json_parser_get_root (parser));
          const char *s;

          if (code == NULL && ((s = input_string (object, "__type")) != NULL || (s = input_string (object, "code")) != NULL ||
                               (s = input_string (object, "Code")) != NULL))
            code = strip_error_code (s);
          if ((s = input_string (object, "message")) != NULL || (s = input_string (object, "Message")) != NULL)
            message = g_strdup (s);
        }
    }
  else if (len > 0)
    {
      g_autoptr(PwAwsXmlNode) root = pw_aws_xml_parse (data, len, NULL);
      PwAwsXmlNode *error_node = NULL;

      if (root != NULL && strcmp (root->name, "Error") == 0)
        error_node = root;
      else if (root != NULL)
        error_node = pw_aws_xml_node_child (root, "Error");
      if (error_node != NULL)
        {
          code = g_strdup (pw_aws_xml_node_child_text (error_node, "Code"));
          message = g_strdup (pw_aws_xml_node_child_text (error_node, "Message"));
          body_request_id = g_strdup (pw_aws_xml_node_child_text (error_node, "RequestId"));
        }
      if (body_request_id == NULL && root != NULL)
        body_request_id = g_strdup (pw_aws_xml_node_child_text (root, "RequestId"));
    }

  if (code == NULL && protocol == PW_AWS_PROTOCOL_REST_XML)
    {
      /* HEAD requests and some errors have no body. */
      if (status == 404)
        code = g_strdup ("NotFound");
      else if (status == 403)
        code = g_strdup ("Forbidden");
      else if (status == 301)
        code = g_strdup ("PermanentRedirect");
    }
  if (code != NULL && *code == '\0')
    g_clear_pointer (&code, g_free);

  return service_error (call, code, status, request_id != NULL ? request_id : body_request_id, message);
}

/* ------------------------------------------------------------------------ */
/* Finishing, retrying, checking */

static void
call_return_error (GTask  *task,
                   GError *error)
{
  Call *call = g_task_get_task_data (task);

  call_reset_attempt (call);
  g_task_return_error (task, error);
}

static void
call_return_object (GTask      *task,
                    JsonObject *object)
{
  Call *call = g_task_get_task_data (task);
  PwAwsClient *self = call->client;

  self->retry_tokens = MIN (RETRY_QUOTA, self->retry_tokens + (call->retry_cost > 0 ? call->retry_cost : 1));
  call_reset_attempt (call);
  g_task_return_pointer (task, object, (GDestroyNotify) json_object_unref);
}

static gboolean
user_cancelled (GTask *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

static void
return_cancelled (GTask *task)
{
  call_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));
}

static gboolean
wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  call_clear_wait (call);
  if (user_cancelled (task))
    return_cancelled (task);
  else
    start_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  call_clear_wait (call);
  return_cancelled (task);
  return G_SOURCE_REMOVE;
}

/* Standard mode: full jitter over an exponential ceiling. */
static void
schedule_retry (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  PwAwsClient *self = call->client;
  guint64 ceiling = (guint64) self->base_delay_ms << MIN (call->attempt - 1, 20u);
  guint delay_ms;
  GCancellable *cancellable = g_task_get_cancellable (task);

  call_reset_attempt (call);
  ceiling = MIN (ceiling, (guint64) self->max_delay_ms);
  delay_ms = (guint) (g_random_double () * ceiling);
  g_debug ("%s: attempt %u failed, retrying in %u ms", call->op->name, call->attempt, delay_ms);

  call->wait_source = g_timeout_source_new (delay_ms);
  g_source_set_callback (call->wait_source, wait_done_cb, g_object_ref (task), g_object_unref);
  g_source_attach (call->wait_source, self->context);
  if (cancellable != NULL)
    {
      call->wait_cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (call->wait_cancel_source, (GSourceFunc) (GCallback) wait_cancelled_cb,
                             g_object_ref (task), g_object_unref);
      g_source_attach (call->wait_cancel_source, self->context);
    }
}

static void check_next_page (GTask *task);

static void
check_failed (GTask  *task,
              GError *check_error)
{
  Call *call = g_task_get_task_data (task);

  if (g_error_matches (check_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      call_return_error (task, check_error);
      return;
    }
  call_return_error (task, pw_aws_error_new (PW_AWS_ERROR_AMBIGUOUS, pw_aws_error_get_code (call->check_error),
                                             pw_aws_error_get_http_status (call->check_error),
                                             pw_aws_error_get_request_id (call->check_error), NULL,
                                             _("%s may or may not have happened (%s), and checking failed: %s"),
                                             call->op->name, call->check_error->message, check_error->message));
  g_error_free (check_error);
}

static void
check_describe_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) described = pw_aws_client_call_finish (call->client, result, &error);
  JsonObject *output = g_object_get_data (G_OBJECT (task), "pw-check-output");
  JsonNode *tracker;

  if (described == NULL)
    {
      check_failed (task, error);
      return;
    }
  tracker = json_object_get_member (described, "eventTracker");
  if (tracker != NULL && JSON_NODE_HOLDS_OBJECT (tracker) &&
      input_string (json_node_get_object (tracker), "trackingId") != NULL)
    json_object_set_string_member (output, "trackingId",
                                   input_string (json_node_get_object (tracker), "trackingId"));
  call_return_object (task, json_object_ref (output));
}

static gboolean
check_item_matches (Call       *call,
                    JsonObject *item)
{
  if (call->op->check_name != NULL)
    return g_strcmp0 (input_string (item, call->op->check_name),
                      input_string (call->input, call->op->check_name)) == 0;
  else
    {
      /* No name to match (solution versions): one created since we began. */
      JsonNode *created = json_object_get_member (item, "creationDateTime");
      const char *status = input_string (item, "status");

      return created != NULL && JSON_NODE_HOLDS_VALUE (created) &&
             json_node_get_double (created) >= (double) (call->started - 300) &&
             status != NULL && g_str_has_prefix (status, "CREATE");
    }
}

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) answer = pw_aws_client_call_finish (call->client, result, &error);
  JsonNode *list;
  const char *next;

  if (answer == NULL)
    {
      if (call->op->check_list == NULL &&
          (pw_aws_error_has_code (error, "NoSuchEntity") || pw_aws_error_has_code (error, "ResourceNotFoundException")))
        {
          g_debug ("%s: checked, it did not happen; retrying", call->op->name);
          g_error_free (error);
          schedule_retry (task);
          return;
        }
      check_failed (task, error);
      return;
    }

  if (call->op->check_list == NULL)
    {
      g_debug ("%s: checked, it happened", call->op->name);
      call_return_object (task, g_steal_pointer (&answer));
      return;
    }

  list = json_object_get_member (answer, call->op->check_list);
  if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
    {
      JsonArray *array = json_node_get_array (list);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *item;
          const char *arn;
          JsonObject *output;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          item = json_node_get_object (node);
          if (!check_item_matches (call, item) || (arn = input_string (item, call->op->check_result)) == NULL)
            continue;

          g_debug ("%s: checked, it happened", call->op->name);
          output = json_object_new ();
          json_object_set_string_member (output, call->op->check_result, arn);
          if (strcmp (call->op->name, "CreateEventTracker") == 0)
            {
              /* Its output also has the tracking id. */
              g_autoptr(JsonObject) describe = json_object_new ();

              json_object_set_string_member (describe, "eventTrackerArn", arn);
              g_object_set_data_full (G_OBJECT (task), "pw-check-output", output,
                                      (GDestroyNotify) json_object_unref);
              pw_aws_client_call_async (call->client, call->service, "DescribeEventTracker", describe,
                                        g_task_get_cancellable (task), check_describe_done_cb,
                                        g_object_ref (task));
              return;
            }
          call_return_object (task, output);
          return;
        }
    }

  next = input_string (answer, "nextToken");
  if (next != NULL && *next != '\0')
    {
      g_free (call->check_token);
      call->check_token = g_strdup (next);
      check_next_page (task);
      return;
    }
  g_debug ("%s: checked, it did not happen; retrying", call->op->name);
  schedule_retry (task);
}

static void
check_next_page (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  g_autoptr(JsonObject) input = json_object_new ();
  const char *filter = call->op->check_filter != NULL ? input_string (call->input, call->op->check_filter) : NULL;

  if (filter != NULL)
    json_object_set_string_member (input, call->op->check_filter, filter);
  if (call->op->check_list != NULL)
    json_object_set_int_member (input, "maxResults", 100);
  if (call->check_token != NULL)
    json_object_set_string_member (input, "nextToken", call->check_token);
  pw_aws_client_call_async (call->client, call->service, call->op->check_operation, input,
                            g_task_get_cancellable (task), check_done_cb, g_object_ref (task));
}

/* An attempt failed with @error. @retryable: throttling or transient.
 * @ambiguous: the service may have acted on the request. */
static void
attempt_failed (GTask    *task,
                GError   *error,
                gboolean  retryable,
                gboolean  ambiguous)
{
  Call *call = g_task_get_task_data (task);

  guint cost = call->timed_out ? RETRY_TIMEOUT_COST : RETRY_COST;

  if (ambiguous)
    call->was_ambiguous = TRUE;
  if (!retryable || call->attempt >= call->client->max_attempts)
    {
      g_debug ("%s: giving up after %u attempt(s)", call->op->name, call->attempt);
      call_return_error (task, error);
      return;
    }
  if (call->client->retry_tokens < cost)
    {
      g_debug ("%s: the retry quota is spent; not retrying", call->op->name);
      call_return_error (task, error);
      return;
    }
  call->client->retry_tokens -= cost;
  call->retry_cost = cost;
  if (!ambiguous || call->op->retry == PW_AWS_RETRY_SAFE)
    {
      g_error_free (error);
      schedule_retry (task);
      return;
    }
  if (call->op->retry == PW_AWS_RETRY_NEVER_AFTER_SEND)
    {
      GError *wrapped = pw_aws_error_new (PW_AWS_ERROR_AMBIGUOUS, pw_aws_error_get_code (error),
                                          pw_aws_error_get_http_status (error),
                                          pw_aws_error_get_request_id (error), NULL,
                                          _("%s may or may not have happened, and repeating it could do it twice: %s"),
                                          call->op->name, error->message);

      g_error_free (error);
      call_return_error (task, wrapped);
      return;
    }

  g_debug ("%s: the failure was ambiguous, checking with %s", call->op->name, call->op->check_operation);
  call_reset_attempt (call);
  g_clear_error (&call->check_error);
  call->check_error = error;
  g_clear_pointer (&call->check_token, g_free);
  check_next_page (task);
}

/* ------------------------------------------------------------------------ */
/* Answers */

static JsonObject *
parse_success (Call     *call,
               GBytes   *body,
               GError  **error)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (call->msg);
  PwAwsProtocol protocol = pw_aws_service_get_protocol (call->service);
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  g_autoptr(GError) local_error = NULL;
  const char *op = call->op->name;

  if (protocol == PW_AWS_PROTOCOL_JSON || protocol == PW_AWS_PROTOCOL_REST_JSON)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;

      if (len == 0)
        return json_object_new ();
      if (!json_parser_load_from_data (parser, data, len, &local_error))
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                       _("%s sent an answer to %s that is not valid JSON: %s"),
                       pw_aws_service_get_title (call->service), op, local_error->message);
          return NULL;
        }
      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                       _("%s sent an answer to %s that is not a JSON object"),
                       pw_aws_service_get_title (call->service), op);
          return NULL;
        }
      return json_object_ref (json_node_get_object (root));
    }

  if (protocol == PW_AWS_PROTOCOL_QUERY || strcmp (op, "ListObjectsV2") == 0)
    {
      g_autoptr(PwAwsXmlNode) root = NULL;
      PwAwsXmlNode *result = NULL;
      g_autoptr(JsonNode) json = NULL;

      root = pw_aws_xml_parse (data != NULL ? data : "", len, &local_error);
      if (root == NULL)
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                       _("%s sent an answer to %s that is not valid XML: %s"),
                       pw_aws_service_get_title (call->service), op, local_error->message);
          return NULL;
        }
      if (protocol == PW_AWS_PROTOCOL_QUERY)
        {
          g_autofree char *result_name = g_strconcat (op, "Result", NULL);
          g_autofree char *response_name = g_strconcat (op, "Response", NULL);

          if (strcmp (root->name, response_name) != 0)
            {
              g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                           _("%s answered %s with <%s>, not <%s>"),
                           pw_aws_service_get_title (call->service), op, root->name, response_name);
              return NULL;
            }
          result = pw_aws_xml_node_child (root, result_name);
          if (result == NULL || result->children->len == 0)
            return json_object_new ();
        }
      else
        {
          if (strcmp (root->name, "ListBucketResult") != 0)
            {
              g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                           _("%s answered %s with <%s>, not <%s>"),
                           pw_aws_service_get_title (call->service), op, root->name, "ListBucketResult");
              return NULL;
            }
          result = root;
        }
      json = pw_aws_xml_node_to_json (result);
      if (!JSON_NODE_HOLDS_OBJECT (json))
        return json_object_new ();
      return json_object_ref (json_node_get_object (json));
    }

  /* S3 answers in headers. */
  {
    JsonObject *out = json_object_new ();

    copy_header (out, headers, "ETag", "ETag");
    copy_header (out, headers, "x-amz-version-id", "VersionId");
    if (strcmp (op, "CreateBucket") == 0)
      copy_header (out, headers, "Location", "Location");
    if (strcmp (op, "GetObject") == 0 || strcmp (op, "HeadObject") == 0)
      {
        goffset length = soup_message_headers_get_content_length (headers);

        if (strcmp (op, "GetObject") == 0)
          length = len;
        json_object_set_int_member (out, "ContentLength", length);
        copy_header (out, headers, "Content-Type", "ContentType");
        copy_header (out, headers, "Last-Modified", "LastModified");
      }
    if (strcmp (op, "GetObject") == 0)
      {
        if (!g_utf8_validate (data != NULL ? data : "", len, NULL))
          {
            json_object_unref (out);
            g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_INPUT,
                         _("The object is not text: download it to a file instead"));
            return NULL;
          }
        {
          g_autofree char *text = g_strndup (data != NULL ? data : "", len);

          json_object_set_string_member (out, "Body", text);
        }
      }
    return out;
  }
}

static gboolean
is_throttling (const GError *error)
{
  const char *code = pw_aws_error_get_code (error);

  return (code != NULL && g_strv_contains (throttling_codes, code)) || pw_aws_error_get_http_status (error) == 429;
}

static gboolean
is_transient (const GError *error)
{
  const char *code = pw_aws_error_get_code (error);
  guint status = pw_aws_error_get_http_status (error);

  return (code != NULL && g_strv_contains (transient_codes, code)) ||
         status == 500 || status == 502 || status == 503 || status == 504;
}

/* Sends the current attempt again (after a clock or region fix): it does
 * not count as a retry. */
static void
repeat_attempt (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  call_reset_attempt (call);
  call->attempt--;
  start_attempt (task);
}

/* Returns TRUE when the attempt is being repeated with a corrected clock. */
static gboolean
maybe_correct_skew (GTask        *task,
                    const GError *error)
{
  Call *call = g_task_get_task_data (task);
  PwAwsClient *self = call->client;
  const char *code = pw_aws_error_get_code (error);
  const char *date;
  g_autoptr(GDateTime) server_time = NULL;
  gint64 skew;

  if (call->skew_corrected || code == NULL || !g_strv_contains (skew_codes, code))
    return FALSE;
  date = soup_message_headers_get_one (soup_message_get_response_headers (call->msg), "Date");
  if (date == NULL || (server_time = soup_date_time_new_from_http_string (date)) == NULL)
    return FALSE;
  skew = g_date_time_to_unix (server_time) - corrected_now (self);
  if (skew > -60 && skew < 60)
    return FALSE;

  self->clock_offset += skew;
  call->skew_corrected = TRUE;
  g_debug ("%s: the service's clock differs from ours by %" G_GINT64_FORMAT " s; signing again",
           call->op->name, skew);
  repeat_attempt (task);
  return TRUE;
}

/* S3 tells where a bucket lives: a permanent redirect (301) or a wrong
 * region (400) with x-amz-bucket-region, or a temporary redirect with a
 * Location. Returns TRUE when the request is being sent again. */
static gboolean
maybe_follow_redirect (GTask *task,
                       guint  status)
{
  Call *call = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (call->msg);
  const char *region = soup_message_headers_get_one (headers, "x-amz-bucket-region");
  const char *location = soup_message_headers_get_one (headers, "Location");
  const char *bucket = input_string (call->input, "Bucket");

  if (call->service != PW_AWS_SERVICE_S3 || call->redirects >= MAX_REDIRECTS)
    return FALSE;

  if (region != NULL && bucket != NULL && (status == 301 || status == 400) &&
      g_strcmp0 (g_hash_table_lookup (call->client->bucket_regions, bucket), region) != 0 &&
      g_strcmp0 (region, call->client->config->region) != 0)
    {
      g_debug ("S3 bucket %s is in %s; sending again there", bucket, region);
      g_hash_table_insert (call->client->bucket_regions, g_strdup (bucket), g_strdup (region));
    }
  else if ((status == 302 || status == 307) && location != NULL)
    {
      g_autoptr(GUri) base = g_uri_ref (soup_message_get_uri (call->msg));
      g_autoptr(GUri) target = g_uri_parse_relative (base, location, G_URI_FLAGS_ENCODED, NULL);

      if (target == NULL ||
          (g_strcmp0 (g_uri_get_scheme (target), "https") != 0 && g_strcmp0 (g_uri_get_scheme (target), "http") != 0))
        return FALSE;
      g_free (call->redirect_url);
      call->redirect_url = g_uri_to_string (target);
      g_debug ("S3 redirects %s temporarily; following", call->op->name);
    }
  else
    return FALSE;

  call->redirects++;
  repeat_attempt (task);
  return TRUE;
}

static void
handle_answer (GTask  *task,
               GBytes *body)
{
  Call *call = g_task_get_task_data (task);
  guint status = soup_message_get_status (call->msg);
  const char *request_id;
  GError *error = NULL;
  JsonObject *output;

  request_id = soup_message_headers_get_one (soup_message_get_response_headers (call->msg), "x-amzn-RequestId");
  if (request_id == NULL)
    request_id = soup_message_headers_get_one (soup_message_get_response_headers (call->msg), "x-amz-request-id");
  g_debug ("%s %s (%s) -> HTTP %u, request id %s, attempt %u", soup_message_get_method (call->msg),
           call->url_for_people, call->op->name, status, request_id != NULL ? request_id : "(none)", call->attempt);

  if (status >= 200 && status < 300)
    {
      output = parse_success (call, body, &error);
      if (output == NULL)
        {
          /* A broken answer: the service may have acted. */
          gboolean retry = error->code == PW_AWS_ERROR_INVALID_RESPONSE;

          attempt_failed (task, error, retry, TRUE);
          return;
        }
      call_return_object (task, output);
      return;
    }

  if (maybe_follow_redirect (task, status))
    return;

  if (status >= 300 && status < 400 && call->service != PW_AWS_SERVICE_S3)
    {
      const char *location = soup_message_headers_get_one (soup_message_get_response_headers (call->msg), "Location");

      call_return_error (task, pw_aws_error_new (PW_AWS_ERROR_INVALID_RESPONSE, NULL, status, request_id, NULL,
                                                 _("%s redirected %s to “%s”; check the endpoint URL"),
                                                 pw_aws_service_get_title (call->service), call->op->name,
                                                 location != NULL ? location : "?"));
      return;
    }

  error = parse_error_response (call, body);
  if (maybe_correct_skew (task, error))
    {
      g_error_free (error);
      return;
    }
  if (call->was_ambiguous && strcmp (call->op->name, "CreateBucket") == 0 &&
      pw_aws_error_has_code (error, "BucketAlreadyOwnedByYou"))
    {
      /* The earlier attempt did create it. */
      g_error_free (error);
      call_return_object (task, json_object_new ());
      return;
    }
  if (is_throttling (error))
    attempt_failed (task, error, TRUE, FALSE);
  else if (is_transient (error))
    attempt_failed (task, error, TRUE, TRUE);
  else
    call_return_error (task, error);
}

static void
handle_transport_error (GTask  *task,
                        GError *cause)
{
  Call *call = g_task_get_task_data (task);
  GError *error;

  if (user_cancelled (task))
    {
      g_error_free (cause);
      return_cancelled (task);
      return;
    }
  if (call->declared_too_large != 0)
    {
      /* Not retried: the same server would declare the same. */
      if (call->declared_too_large < 0)
        error = pw_aws_error_new (PW_AWS_ERROR_INVALID_RESPONSE, NULL, 0, NULL, NULL,
                                  _("%s answered %s with a Content-Length that is not a number of bytes (%s)"),
                                  pw_aws_service_get_title (call->service), call->op->name, call->url_for_people);
      else
        {
          g_autofree char *bytes = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) call->declared_too_large);

          error = pw_aws_error_new (PW_AWS_ERROR_INVALID_RESPONSE, NULL, 0, NULL, NULL,
                                    _("%s answered %s with a body of %s bytes, more than the %d MiB "
                                      "this application reads into memory (%s)"),
                                    pw_aws_service_get_title (call->service), call->op->name, bytes,
                                    (int) (MAX_MEMORY_BODY >> 20), call->url_for_people);
        }
      g_error_free (cause);
      call_return_error (task, error);
      return;
    }
  if (call->timed_out)
    error = pw_aws_error_new (PW_AWS_ERROR_TIMEOUT, NULL, 0, NULL, NULL,
                              _("%s did not answer %s within %.1f s (%s)"),
                              pw_aws_service_get_title (call->service), call->op->name,
                              call->client->timeout_ms / 1000.0, call->url_for_people);
  else
    error = pw_aws_error_new (PW_AWS_ERROR_NETWORK, NULL, 0, NULL, NULL,
                              _("Could not reach %s at %s: %s"),
                              pw_aws_service_get_title (call->service), call->url_for_people, cause->message);
  g_debug ("%s: %s (request %s)", call->op->name, cause->message,
           call->body_written ? "sent" : "not sent");
  g_error_free (cause);
  attempt_failed (task, error, TRUE, call->body_written);
}

/* ------------------------------------------------------------------------ */
/* Attempts */

static void
attempt_cancelled_cb (GCancellable *cancellable,
                      GCancellable *attempt_cancellable)
{
  g_cancellable_cancel (attempt_cancellable);
}

static gboolean
attempt_timeout_cb (gpointer user_data)
{
  Call *call = user_data;

  call->timed_out = TRUE;
  g_clear_pointer (&call->timeout_source, g_source_unref);
  g_cancellable_cancel (call->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

/* The timeout is for silence: it restarts whenever bytes move. */
static void
restart_timeout (Call *call)
{
  clear_source (&call->timeout_source);
  if (call->client->timeout_ms == 0)
    return;
  call->timeout_source = g_timeout_source_new (call->client->timeout_ms);
  g_source_set_callback (call->timeout_source, attempt_timeout_cb, call, NULL);
  g_source_attach (call->timeout_source, call->client->context);
}

static void
wrote_body_cb (SoupMessage *msg,
               Call        *call)
{
  call->body_written = TRUE;
}

static void
wrote_body_data_cb (SoupMessage *msg,
                    guint        chunk_size,
                    Call        *call)
{
  call->transferred += chunk_size;
  restart_timeout (call);
  if (call->kind == CALL_PUT_FILE && call->progress != NULL)
    call->progress (call->transferred, call->file_size, call->progress_data);
}

static void
got_headers_cb (SoupMessage *msg,
                Call        *call)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  goffset length;

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    return;
  length = soup_message_headers_get_content_length (headers);
  /* (libsoup reads a negative or overlong number as 2^64 - 1: -1 here.) */
  if (length > MAX_MEMORY_BODY || length < 0)
    {
      call->declared_too_large = length > 0 ? length : -1;
      g_cancellable_cancel (call->attempt_cancellable);
    }
}

static void
send_and_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (body == NULL)
    handle_transport_error (task, error);
  else
    handle_answer (task, body);
}

static void download_read (GTask *task);

/* Writing the destination failed: a cancel, or a PW_AWS_ERROR that names the file. */
static void
return_write_error (GTask  *task,
                    GError *error)
{
  Call *call = g_task_get_task_data (task);

  if (user_cancelled (task))
    {
      g_error_free (error);
      return_cancelled (task);
      return;
    }
  call_return_error (task, pw_aws_error_new (PW_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL, NULL,
                                             _("Could not write %s: %s"),
                                             g_file_peek_path (call->file), error->message));
  g_error_free (error);
}

static void
download_closed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  SoupMessageHeaders *headers;
  JsonObject *out;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      return_write_error (task, error);
      return;
    }
  g_clear_object (&call->out);

  headers = soup_message_get_response_headers (call->msg);
  out = json_object_new ();
  json_object_set_int_member (out, "ContentLength", call->transferred);
  copy_header (out, headers, "ETag", "ETag");
  copy_header (out, headers, "Content-Type", "ContentType");
  copy_header (out, headers, "Last-Modified", "LastModified");
  call_return_object (task, out);
}

static void
download_written_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      /* The attempt was stopped (cancel or timeout), or the file failed. */
      if (user_cancelled (task) || call->timed_out)
        handle_transport_error (task, error);
      else
        return_write_error (task, error);
      return;
    }
  download_read (task);
}

static void
download_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n < 0)
    {
      handle_transport_error (task, error);
      return;
    }
  if (n == 0)
    {
      if (call->expected_length > 0 && call->transferred != call->expected_length)
        {
          handle_transport_error (task, g_error_new (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                                                     "got %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " bytes",
                                                     call->transferred, call->expected_length));
          return;
        }
      clear_source (&call->timeout_source);
      g_output_stream_close_async (call->out, G_PRIORITY_DEFAULT, call->attempt_cancellable,
                                   download_closed_cb, g_object_ref (task));
      return;
    }
  call->transferred += n;
  restart_timeout (call);
  if (call->progress != NULL)
    call->progress (call->transferred, call->expected_length, call->progress_data);
  g_output_stream_write_all_async (call->out, call->buffer, n, G_PRIORITY_DEFAULT, call->attempt_cancellable,
                                   download_written_cb, g_object_ref (task));
}

static void
download_read (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  g_input_stream_read_async (call->in, call->buffer, DOWNLOAD_CHUNK, G_PRIORITY_DEFAULT,
                             call->attempt_cancellable, download_read_cb, g_object_ref (task));
}

static void
download_replaced_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  GFileOutputStream *out = g_file_replace_finish (G_FILE (source), result, &error);

  if (out == NULL)
    {
      return_write_error (task, error);
      return;
    }
  call->out = G_OUTPUT_STREAM (out);
  call->buffer = g_malloc (DOWNLOAD_CHUNK);
  download_read (task);
}

static void
error_body_read_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (chunk == NULL)
    {
      handle_transport_error (task, error);
      return;
    }
  if (g_bytes_get_size (chunk) > 0 && call->error_body->len < MAX_ERROR_BODY)
    {
      g_byte_array_append (call->error_body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      g_input_stream_read_bytes_async (call->in, 64 * 1024, G_PRIORITY_DEFAULT, call->attempt_cancellable,
                                       error_body_read_cb, g_object_ref (task));
      return;
    }
  {
    g_autoptr(GBytes) body = g_bytes_new (call->error_body->data, call->error_body->len);

    handle_answer (task, body);
  }
}

static void
download_sent_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  guint status;

  call->in = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (call->in == NULL)
    {
      handle_transport_error (task, error);
      return;
    }
  status = soup_message_get_status (call->msg);
  if (status < 200 || status >= 300)
    {
      call->error_body = g_byte_array_new ();
      g_input_stream_read_bytes_async (call->in, 64 * 1024, G_PRIORITY_DEFAULT, call->attempt_cancellable,
                                       error_body_read_cb, g_object_ref (task));
      return;
    }
  g_debug ("GET %s (GetObject) -> HTTP %u, streaming to a file", call->url_for_people, status);
  if (soup_message_headers_get_encoding (soup_message_get_response_headers (call->msg)) == SOUP_ENCODING_CONTENT_LENGTH)
    call->expected_length = soup_message_headers_get_content_length (soup_message_get_response_headers (call->msg));
  g_file_replace_async (call->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, G_PRIORITY_DEFAULT,
                        call->attempt_cancellable, download_replaced_cb, g_object_ref (task));
}

static void
start_attempt (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  PwAwsClient *self = call->client;
  g_auto(Request) r = { 0 };
  GError *error = NULL;
  g_autofree char *host = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GDateTime) when = NULL;
  SoupMessageHeaders *headers;
  const char *hash;
  PwAwsSigv4Flags flags;

  if (user_cancelled (task))
    {
      return_cancelled (task);
      return;
    }
  call->attempt++;
  if (call->attempt == 1)
    call->started = corrected_now (self);

  if (self->config->credentials == NULL)
    {
      call_return_error (task, pw_aws_error_new (PW_AWS_ERROR_CREDENTIALS, NULL, 0, NULL, NULL,
                                                 _("No AWS credentials: set a profile (--profile or AWS_PROFILE), "
                                                   "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or store keys in the keyring")));
      return;
    }
  if (!build_request (call, &r, &error))
    {
      call_return_error (task, error);
      return;
    }

  uri = g_uri_build (G_URI_FLAGS_ENCODED, r.scheme, NULL, r.host, r.port, r.path, r.query, NULL);
  call->url_for_people = g_uri_join (G_URI_FLAGS_ENCODED, r.scheme, NULL, r.host, r.port, r.path, NULL, NULL);
  call->msg = soup_message_new_from_uri (r.method, uri);
  soup_message_add_flags (call->msg, SOUP_MESSAGE_NO_REDIRECT);
  /* libsoup opens a new connection for every POST unless told the request
   * may be repeated (it re-sends on a keep-alive connection that turns out
   * dead). Reads and repeatable writes may reuse connections; creates and
   * PutEvents always get a fresh one. */
  if (call->op->retry == PW_AWS_RETRY_SAFE)
    soup_message_add_flags (call->msg, SOUP_MESSAGE_IDEMPOTENT);
  headers = soup_message_get_request_headers (call->msg);
  host = host_header (&r);
  soup_message_headers_replace (headers, "Host", host);
  soup_message_headers_replace (headers, "User-Agent", "personalize-workshop/" PW_VERSION);
  if (r.target != NULL)
    soup_message_headers_replace (headers, "X-Amz-Target", r.target);
  if (r.content_md5 != NULL)
    soup_message_headers_replace (headers, "Content-MD5", r.content_md5);

  if (call->kind == CALL_PUT_FILE)
    {
      GFileInputStream *stream = g_file_read (call->file, NULL, &error);

      if (stream == NULL)
        {
          call_return_error (task, pw_aws_error_new (PW_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL, NULL,
                                                     _("Could not read %s: %s"),
                                                     g_file_peek_path (call->file), error->message));
          g_error_free (error);
          return;
        }
      soup_message_set_request_body (call->msg, r.content_type, G_INPUT_STREAM (stream), call->file_size);
      g_object_unref (stream);
      hash = call->file_hash;
    }
  else if (r.body != NULL)
    {
      gsize len;
      const void *data = g_bytes_get_data (r.body, &len);

      soup_message_set_request_body_from_bytes (call->msg, r.content_type, r.body);
      r.payload_hash = pw_aws_sha256_hex (data, len);
      hash = r.payload_hash;
    }
  else
    hash = PW_AWS_EMPTY_SHA256;

  when = g_date_time_new_from_unix_utc (corrected_now (self));
  flags = r.s3 ? PW_AWS_SIGV4_S3 : PW_AWS_SIGV4_NONE;
  if (!pw_aws_sigv4_sign (r.method, r.path, r.query, headers, hash, self->config->credentials,
                          r.signing_region, pw_aws_service_get_signing_name (call->service),
                          when, flags, NULL, &error))
    {
      call_return_error (task, error);
      return;
    }

  call->attempt_cancellable = g_cancellable_new ();
  if (call->user_cancellable != NULL)
    call->cancelled_id = g_cancellable_connect (call->user_cancellable, G_CALLBACK (attempt_cancelled_cb),
                                                g_object_ref (call->attempt_cancellable), g_object_unref);
  restart_timeout (call);
  g_signal_connect (call->msg, "wrote-body", G_CALLBACK (wrote_body_cb), call);
  g_signal_connect (call->msg, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), call);

  if (call->kind == CALL_GET_FILE)
    soup_session_send_async (self->session, call->msg, G_PRIORITY_DEFAULT, call->attempt_cancellable,
                             download_sent_cb, g_object_ref (task));
  else
    {
      g_signal_connect (call->msg, "got-headers", G_CALLBACK (got_headers_cb), call);
      soup_session_send_and_read_async (self->session, call->msg, G_PRIORITY_DEFAULT, call->attempt_cancellable,
                                        send_and_read_cb, g_object_ref (task));
    }
}

static Call *
call_alloc (PwAwsClient          *self,
            PwAwsService          service,
            const PwAwsOperation *op,
            JsonObject           *input,
            CallKind              kind,
            GCancellable         *cancellable)
{
  Call *call = g_new0 (Call, 1);

  call->client = g_object_ref (self);
  call->service = service;
  call->op = op;
  call->input = input != NULL ? json_object_ref (input) : json_object_new ();
  call->kind = kind;
  call->user_cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  return call;
}

static GTask *
call_new (PwAwsClient          *self,
          PwAwsService          service,
          const PwAwsOperation *op,
          JsonObject           *input,
          CallKind              kind,
          GCancellable         *cancellable,
          GAsyncReadyCallback   callback,
          gpointer              user_data,
          gpointer              source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call_alloc (self, service, op, input, kind, cancellable),
                        (GDestroyNotify) call_free);
  return task;
}

/* S3 PutObject or GetObject of @bucket/@key, streamed from or to @file. */
static GTask *
object_call_new (PwAwsClient         *self,
                 CallKind             kind,
                 const char          *bucket,
                 const char          *key,
                 GFile               *file,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             source_tag)
{
  g_autoptr(JsonObject) input = json_object_new ();
  const char *operation = kind == CALL_PUT_FILE ? "PutObject" : "GetObject";
  GTask *task;
  Call *call;

  json_object_set_string_member (input, "Bucket", bucket);
  json_object_set_string_member (input, "Key", key);
  task = call_new (self, PW_AWS_SERVICE_S3, pw_aws_operation_lookup (PW_AWS_SERVICE_S3, operation),
                   input, kind, cancellable, callback, user_data, source_tag);
  call = g_task_get_task_data (task);
  call->file = g_object_ref (file);
  return task;
}

static const PwAwsOperation *
lookup_operation (PwAwsService   service,
                  const char    *operation,
                  GError       **error)
{
  const PwAwsOperation *op = pw_aws_operation_lookup (service, operation);

  if (op == NULL)
    g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_INPUT,
                 _("%s has no operation “%s” that this application knows"),
                 pw_aws_service_get_name (service), operation);
  return op;
}

/**
 * pw_aws_client_get_request_url:
 * @input: (nullable): the operation's input
 * @out_signing_region: (out) (optional): the region the request is signed for
 *
 * Where the client would send @operation, without sending it: the service's
 * AWS host for the region (S3: virtual-hosted for DNS-safe bucket names,
 * path-style otherwise and for custom endpoints), or the endpoint URL.
 *
 * Returns: the URL with its query, or %NULL with an error
 */
char *
pw_aws_client_get_request_url (PwAwsClient  *self,
                               PwAwsService  service,
                               const char   *operation,
                               JsonObject   *input,
                               char        **out_signing_region,
                               GError      **error)
{
  const PwAwsOperation *op;
  Call *call;
  g_auto(Request) r = { 0 };
  char *url = NULL;

  g_return_val_if_fail (PW_IS_AWS_CLIENT (self), NULL);

  op = lookup_operation (service, operation, error);
  if (op == NULL)
    return NULL;
  call = call_alloc (self, service, op, input, CALL_GENERIC, NULL);
  if (build_request (call, &r, error))
    {
      url = g_uri_join (G_URI_FLAGS_ENCODED, r.scheme, NULL, r.host, r.port, r.path, r.query, NULL);
      if (out_signing_region != NULL)
        *out_signing_region = g_strdup (r.signing_region);
    }
  call_free (call);
  return url;
}

/* ------------------------------------------------------------------------ */
/* Public API */

/**
 * pw_aws_client_call_async:
 * @service: the service
 * @operation: an operation of pw_aws_operation_list() for @service
 * @input: (nullable): the input, with the service model's member names;
 *   S3 takes `Bucket`, `Key`, `Prefix`, … as the AWS CLI does
 *
 * Calls @operation, with retries. pw_aws_client_call_finish() returns the
 * answer as a JSON object, or an error: a PW_AWS_ERROR, or G_IO_ERROR_CANCELLED.
 */
void
pw_aws_client_call_async (PwAwsClient         *self,
                          PwAwsService         service,
                          const char          *operation,
                          JsonObject          *input,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  const PwAwsOperation *op;
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (PW_IS_AWS_CLIENT (self));
  g_return_if_fail (service < PW_AWS_N_SERVICES);
  g_return_if_fail (operation != NULL);

  op = lookup_operation (service, operation, &error);
  if (op == NULL)
    {
      g_task_report_error (self, callback, user_data, pw_aws_client_call_async, error);
      return;
    }
  task = call_new (self, service, op, input, CALL_GENERIC, cancellable, callback, user_data,
                   pw_aws_client_call_async);
  start_attempt (task);
}

JsonObject *
pw_aws_client_call_finish (PwAwsClient   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
hash_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Call *call = task_data;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (DOWNLOAD_CHUNK);
  GError *error = NULL;
  gssize n;

  in = g_file_read (call->file, cancellable, &error);
  if (in == NULL)
    goto fail;
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, DOWNLOAD_CHUNK, cancellable, &error)) > 0)
    g_checksum_update (checksum, buffer, n);
  if (n < 0)
    goto fail;
  g_task_return_pointer (task, g_strdup (g_checksum_get_string (checksum)), g_free);
  return;

fail:
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, error);
  else
    {
      g_task_return_error (task, pw_aws_error_new (PW_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL, NULL,
                                                   _("Could not read %s: %s"),
                                                   g_file_peek_path (call->file), error->message));
      g_error_free (error);
    }
}

static void
file_hashed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;

  call->file_hash = g_task_propagate_pointer (G_TASK (result), &error);
  if (call->file_hash == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  start_attempt (task);
}

/**
 * pw_aws_client_put_object_async:
 * @file: a local file, streamed (never read whole into memory)
 * @content_type: (nullable): its type (default application/octet-stream)
 * @progress: (nullable): called as bytes are sent
 *
 * S3 PutObject from a file. Over https the body is sent as
 * UNSIGNED-PAYLOAD; over http (the local engine) its SHA-256 is computed
 * first, in a thread. pw_aws_client_put_object_finish() returns {"ETag"}.
 */
void
pw_aws_client_put_object_async (PwAwsClient         *self,
                                const char          *bucket,
                                const char          *key,
                                GFile               *file,
                                const char          *content_type,
                                PwAwsProgressFunc    progress,
                                gpointer             progress_data,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFileInfo) info = NULL;
  GError *error = NULL;
  Call *call;
  const char *endpoint;

  g_return_if_fail (PW_IS_AWS_CLIENT (self));
  g_return_if_fail (bucket != NULL && key != NULL && G_IS_FILE (file));

  task = object_call_new (self, CALL_PUT_FILE, bucket, key, file,
                          cancellable, callback, user_data, pw_aws_client_put_object_async);
  call = g_task_get_task_data (task);
  call->content_type = g_strdup (content_type);
  call->progress = progress;
  call->progress_data = progress_data;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_task_return_error (task, pw_aws_error_new (PW_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL, NULL,
                                                   _("Could not read %s: %s"), g_file_peek_path (file),
                                                   error != NULL ? error->message : _("not a regular file")));
      g_clear_error (&error);
      return;
    }
  call->file_size = g_file_info_get_size (info);

  endpoint = pw_aws_config_get_endpoint_url (self->config, PW_AWS_SERVICE_S3);
  if (endpoint == NULL || g_str_has_prefix (endpoint, "https:"))
    {
      call->file_hash = g_strdup (PW_AWS_UNSIGNED_PAYLOAD);
      start_attempt (task);
    }
  else
    {
      GTask *hash_task = g_task_new (NULL, cancellable, file_hashed_cb, g_object_ref (task));

      g_task_set_task_data (hash_task, call, NULL);
      g_task_run_in_thread (hash_task, hash_file_thread);
      g_object_unref (hash_task);
    }
}

JsonObject *
pw_aws_client_put_object_finish (PwAwsClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * pw_aws_client_get_object_async:
 * @destination: the file to write, replaced atomically when the download
 *   completes (left as it was on failure)
 * @progress: (nullable): called as bytes arrive
 *
 * S3 GetObject to a file, streamed. pw_aws_client_get_object_finish()
 * returns {"ContentLength", "ETag", "ContentType", "LastModified"}.
 */
void
pw_aws_client_get_object_async (PwAwsClient         *self,
                                const char          *bucket,
                                const char          *key,
                                GFile               *destination,
                                PwAwsProgressFunc    progress,
                                gpointer             progress_data,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (PW_IS_AWS_CLIENT (self));
  g_return_if_fail (bucket != NULL && key != NULL && G_IS_FILE (destination));

  task = object_call_new (self, CALL_GET_FILE, bucket, key, destination,
                          cancellable, callback, user_data, pw_aws_client_get_object_async);
  call = g_task_get_task_data (task);
  call->progress = progress;
  call->progress_data = progress_data;
  start_attempt (task);
}

JsonObject *
pw_aws_client_get_object_finish (PwAwsClient   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Listing every page. */

#define MAX_PAGES 10000

typedef struct
{
  PwAwsService service;
  char *operation;
  JsonObject *input;
  char *list_member;
  JsonArray *items;
  GHashTable *tokens_seen;
  guint pages;
} ListAll;

static void
list_all_free (ListAll *data)
{
  g_free (data->operation);
  json_object_unref (data->input);
  g_free (data->list_member);
  json_array_unref (data->items);
  g_hash_table_unref (data->tokens_seen);
  g_free (data);
}

/* Where each protocol keeps its paging token, in the input and the output. */
static void
paging_members (PwAwsService   service,
                const char   **in_member,
                const char   **out_member)
{
  switch (service)
    {
    case PW_AWS_SERVICE_S3:
      *in_member = "ContinuationToken";
      *out_member = "NextContinuationToken";
      break;
    case PW_AWS_SERVICE_IAM:
    case PW_AWS_SERVICE_STS:
      *in_member = "Marker";
      *out_member = "Marker";
      break;
    default:
      *in_member = "nextToken";
      *out_member = "nextToken";
      break;
    }
}

static void list_all_page_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
list_all_next (GTask *task)
{
  PwAwsClient *self = g_task_get_source_object (task);
  ListAll *data = g_task_get_task_data (task);

  pw_aws_client_call_async (self, data->service, data->operation, data->input,
                            g_task_get_cancellable (task), list_all_page_cb, g_object_ref (task));
}

static void
list_all_page_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListAll *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) page = pw_aws_client_call_finish (PW_AWS_CLIENT (source), result, &error);
  const char *in_member, *out_member;
  const char *token;
  JsonNode *list;
  JsonNode *truncated;

  if (page == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data->pages++;
  list = json_object_get_member (page, data->list_member);
  if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
    {
      JsonArray *array = json_node_get_array (list);

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (data->items, json_node_copy (json_array_get_element (array, i)));
    }

  paging_members (data->service, &in_member, &out_member);
  token = input_string (page, out_member);
  truncated = json_object_get_member (page, "IsTruncated");
  if (truncated != NULL && JSON_NODE_HOLDS_VALUE (truncated) && json_node_get_value_type (truncated) == G_TYPE_BOOLEAN &&
      !json_node_get_boolean (truncated))
    token = NULL;
  if (token == NULL || *token == '\0')
    {
      g_task_return_pointer (task, json_array_ref (data->items), (GDestroyNotify) json_array_unref);
      return;
    }
  if (g_hash_table_contains (data->tokens_seen, token) || data->pages >= MAX_PAGES)
    {
      g_task_return_new_error (task, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                               _("%s keeps answering %s with the same page"),
                               pw_aws_service_get_title (data->service), data->operation);
      return;
    }
  g_hash_table_add (data->tokens_seen, g_strdup (token));
  json_object_set_string_member (data->input, in_member, token);
  list_all_next (task);
}

/**
 * pw_aws_client_list_all_async:
 * @operation: a List operation (ListDatasets, ListObjectsV2,
 *   ListAttachedRolePolicies, …)
 * @input: (nullable): its input, without a paging token
 * @list_member: the array to gather (`datasets`, `Contents`,
 *   `AttachedPolicies`, …)
 *
 * Calls @operation page after page (Personalize's nextToken, S3's
 * continuation token, IAM's Marker) and returns every item of @list_member.
 */
void
pw_aws_client_list_all_async (PwAwsClient         *self,
                              PwAwsService         service,
                              const char          *operation,
                              JsonObject          *input,
                              const char          *list_member,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ListAll *data;

  g_return_if_fail (PW_IS_AWS_CLIENT (self));
  g_return_if_fail (operation != NULL && list_member != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_aws_client_list_all_async);
  data = g_new0 (ListAll, 1);
  data->service = service;
  data->operation = g_strdup (operation);
  if (input != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), input);
      g_autoptr(JsonNode) copy = json_node_copy (node);

      data->input = json_object_ref (json_node_get_object (copy));
    }
  else
    data->input = json_object_new ();
  data->list_member = g_strdup (list_member);
  data->items = json_array_new ();
  data->tokens_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) list_all_free);
  list_all_next (task);
}

JsonArray *
pw_aws_client_list_all_finish (PwAwsClient   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Sync wrappers: they iterate the client's main context (the one that was
 * the thread default when the client was made) until the call ends, so
 * they must run on the thread that owns it. */

JsonObject *
pw_aws_client_call (PwAwsClient   *self,
                    PwAwsService   service,
                    const char    *operation,
                    JsonObject    *input,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (PW_IS_AWS_CLIENT (self), NULL);
  pw_aws_sync_begin (self->context);
  pw_aws_client_call_async (self, service, operation, input, cancellable, pw_aws_sync_done_cb, &result);
  pw_aws_sync_wait (self->context, &result);
  return pw_aws_client_call_finish (self, result, error);
}

JsonObject *
pw_aws_client_put_object (PwAwsClient        *self,
                          const char         *bucket,
                          const char         *key,
                          GFile              *file,
                          const char         *content_type,
                          PwAwsProgressFunc   progress,
                          gpointer            progress_data,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (PW_IS_AWS_CLIENT (self), NULL);
  pw_aws_sync_begin (self->context);
  pw_aws_client_put_object_async (self, bucket, key, file, content_type, progress, progress_data,
                                  cancellable, pw_aws_sync_done_cb, &result);
  pw_aws_sync_wait (self->context, &result);
  return pw_aws_client_put_object_finish (self, result, error);
}

JsonObject *
pw_aws_client_get_object (PwAwsClient        *self,
                          const char         *bucket,
                          const char         *key,
                          GFile              *destination,
                          PwAwsProgressFunc   progress,
                          gpointer            progress_data,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (PW_IS_AWS_CLIENT (self), NULL);
  pw_aws_sync_begin (self->context);
  pw_aws_client_get_object_async (self, bucket, key, destination, progress, progress_data,
                                  cancellable, pw_aws_sync_done_cb, &result);
  pw_aws_sync_wait (self->context, &result);
  return pw_aws_client_get_object_finish (self, result, error);
}

JsonArray *
pw_aws_client_list_all (PwAwsClient   *self,
                        PwAwsService   service,
                        const char    *operation,
                        JsonObject    *input,
                        const char    *list_member,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (PW_IS_AWS_CLIENT (self), NULL);
  pw_aws_sync_begin (self->context);
  pw_aws_client_list_all_async (self, service, operation, input, list_member, cancellable, pw_aws_sync_done_cb, &result);
  pw_aws_sync_wait (self->context, &result);
  return pw_aws_client_list_all_finish (self, result, error);
}

gboolean
pw_aws_client_get_caller_identity (PwAwsClient   *self,
                                   char         **out_account,
                                   char         **out_arn,
                                   char         **out_user_id,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  g_autoptr(JsonObject) out = pw_aws_client_call (self, PW_AWS_SERVICE_STS, "GetCallerIdentity", NULL,
                                                  cancellable, error);

  if (out == NULL)
    return FALSE;
  if (input_string (out, "Account") == NULL)
    {
      g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                   _("%s answered %s without an account"), "AWS STS", "GetCallerIdentity");
      return FALSE;
    }
  if (out_account != NULL)
    *out_account = g_strdup (input_string (out, "Account"));
  if (out_arn != NULL)
    *out_arn = g_strdup (input_string (out, "Arn"));
  if (out_user_id != NULL)
    *out_user_id = g_strdup (input_string (out, "UserId"));
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* The object */

static void
pw_aws_client_finalize (GObject *object)
{
  PwAwsClient *self = PW_AWS_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->config, pw_aws_config_free);
  g_clear_pointer (&self->bucket_regions, g_hash_table_unref);

  G_OBJECT_CLASS (pw_aws_client_parent_class)->finalize (object);
}

static void
pw_aws_client_class_init (PwAwsClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pw_aws_client_finalize;
}

static void
pw_aws_client_init (PwAwsClient *self)
{
  self->context = g_main_context_ref_thread_default ();
  /* libsoup's own timeouts are off: ours (restart_timeout) measure silence
   * in milliseconds and tell a timeout from a cancel. */
  self->session = soup_session_new_with_options ("timeout", 0, "idle-timeout", 60,
                                                 "user-agent", "personalize-workshop/" PW_VERSION,
                                                 NULL);
  self->max_attempts = PW_AWS_DEFAULT_MAX_ATTEMPTS;
  self->base_delay_ms = 1000;
  self->max_delay_ms = 20000;
  self->timeout_ms = 60000;
  self->bucket_regions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->retry_tokens = RETRY_QUOTA;
}

/**
 * pw_aws_client_new:
 * @config: the settings (copied); see pw_aws_config_resolve()
 *
 * The client belongs to the thread-default main context at this point:
 * its callbacks run there.
 */
PwAwsClient *
pw_aws_client_new (const PwAwsConfig *config)
{
  PwAwsClient *self = g_object_new (PW_TYPE_AWS_CLIENT, NULL);

  self->config = config != NULL ? pw_aws_config_copy (config) : pw_aws_config_new ();
  self->max_attempts = self->config->max_attempts > 0 ? self->config->max_attempts : PW_AWS_DEFAULT_MAX_ATTEMPTS;
  return self;
}

const PwAwsConfig *
pw_aws_client_get_config (PwAwsClient *self)
{
  g_return_val_if_fail (PW_IS_AWS_CLIENT (self), NULL);
  return self->config;
}

void
pw_aws_client_set_credentials (PwAwsClient            *self,
                               const PwAwsCredentials *credentials)
{
  g_return_if_fail (PW_IS_AWS_CLIENT (self));
  pw_aws_config_set_credentials (self->config, credentials);
}

/**
 * pw_aws_client_set_endpoint_url:
 * @endpoint_url: (nullable): one endpoint for every service (e.g. the local
 *   engine's `http://127.0.0.1:PORT`), or %NULL for AWS
 */
void
pw_aws_client_set_endpoint_url (PwAwsClient *self,
                                const char  *endpoint_url)
{
  g_return_if_fail (PW_IS_AWS_CLIENT (self));
  g_free (self->config->endpoint_url);
  self->config->endpoint_url = g_strdup (endpoint_url);
  for (guint i = 0; i < PW_AWS_N_SERVICES; i++)
    g_clear_pointer (&self->config->service_endpoint_urls[i], g_free);
}

void
pw_aws_client_set_region (PwAwsClient *self,
                          const char  *region)
{
  g_return_if_fail (PW_IS_AWS_CLIENT (self));
  g_free (self->config->region);
  self->config->region = g_strdup (region);
}

void
pw_aws_client_set_max_attempts (PwAwsClient *self,
                                guint        max_attempts)
{
  g_return_if_fail (PW_IS_AWS_CLIENT (self));
  self->max_attempts = MAX (max_attempts, 1);
}

/**
 * pw_aws_client_set_retry_delays:
 * @base_ms: the first backoff ceiling (default 1000)
 * @max_ms: the largest ceiling (default 20000)
 */
void
pw_aws_client_set_retry_delays (PwAwsClient *self,
                                guint        base_ms,
                                guint        max_ms)
{
  g_return_if_fail (PW_IS_AWS_CLIENT (self));
  self->base_delay_ms = base_ms;
  self->max_delay_ms = max_ms;
}

/**
 * pw_aws_client_set_timeout:
 * @timeout_ms: how long an attempt may go without bytes moving (0: never;
 *   default 60 s)
 */
void
pw_aws_client_set_timeout (PwAwsClient *self,
                           guint        timeout_ms)
{
  g_return_if_fail (PW_IS_AWS_CLIENT (self));
  self->timeout_ms = timeout_ms;
}

/**
 * pw_aws_client_get_clock_offset:
 *
 * Returns: seconds added to the local clock when signing, learnt from the
 *   services' Date headers after a clock-skew error
 */
gint64
pw_aws_client_get_clock_offset (PwAwsClient *self)
{
  g_return_val_if_fail (PW_IS_AWS_CLIENT (self), 0);
  return self->clock_offset;
}

/**
 * pw_aws_client_get_retry_tokens:
 *
 * Returns: what is left of the retry quota (standard mode: 500 at first; a
 *   retry costs 5, or 10 after a timeout; a success gives back its retry's
 *   cost, or 1). No retries when it runs out, so that a failing service is
 *   not hammered.
 */
guint
pw_aws_client_get_retry_tokens (PwAwsClient *self)
{
  g_return_val_if_fail (PW_IS_AWS_CLIENT (self), 0);
  return self->retry_tokens;
}

void
pw_aws_client_set_clock_offset (PwAwsClient *self,
                                gint64       seconds)
{
  g_return_if_fail (PW_IS_AWS_CLIENT (self));
  self->clock_offset = seconds;
}
