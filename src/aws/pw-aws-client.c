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
 * This file has the object, its public API and the making of calls; the
 * rest of the class is cut along its seams over pw-aws-client-private.h:
 * pw-aws-client-request.c (requests and answers in each protocol),
 * pw-aws-client-retry.c (errors and retries) and pw-aws-client-transfer.c
 * (attempts and streamed transfers).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-aws"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "pw-aws-client-private.h"
#include "pw-aws-error.h"
#include "pw-aws-sigv4.h"
#include "pw-aws-sync-private.h"

G_DEFINE_FINAL_TYPE (PwAwsClient, pw_aws_client, G_TYPE_OBJECT)

/* ------------------------------------------------------------------------ */
/* Calls */

void
pw_aws_clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

void
pw_aws_call_reset_attempt (PwAwsCall *call)
{
  pw_aws_clear_source (&call->timeout_source);
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

void
pw_aws_call_clear_wait (PwAwsCall *call)
{
  pw_aws_clear_source (&call->wait_source);
  pw_aws_clear_source (&call->wait_cancel_source);
}

static void
call_free (PwAwsCall *call)
{
  pw_aws_call_reset_attempt (call);
  pw_aws_call_clear_wait (call);
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

/* Small helpers */

gint64
pw_aws_client_corrected_now (PwAwsClient *self)
{
  return g_get_real_time () / G_USEC_PER_SEC + self->clock_offset;
}

/* ------------------------------------------------------------------------ */
/* Calls: making them, and the requests' URLs */

static PwAwsCall *
call_alloc (PwAwsClient          *self,
            PwAwsService          service,
            const PwAwsOperation *op,
            JsonObject           *input,
            PwAwsCallKind         kind,
            GCancellable         *cancellable)
{
  PwAwsCall *call = g_new0 (PwAwsCall, 1);

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
          PwAwsCallKind         kind,
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
object_call_new (PwAwsClient        *self,
                 PwAwsCallKind       kind,
                 const char         *bucket,
                 const char         *key,
                 GFile              *file,
                 GCancellable       *cancellable,
                 GAsyncReadyCallback callback,
                 gpointer            user_data,
                 gpointer            source_tag)
{
  g_autoptr(JsonObject) input = json_object_new ();
  const char *operation = kind == PW_AWS_CALL_PUT_FILE ? "PutObject" : "GetObject";
  GTask *task;
  PwAwsCall *call;

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
  PwAwsCall *call;
  g_auto(PwAwsRequest) r = { 0 };
  char *url = NULL;

  g_return_val_if_fail (PW_IS_AWS_CLIENT (self), NULL);

  op = lookup_operation (service, operation, error);
  if (op == NULL)
    return NULL;
  call = call_alloc (self, service, op, input, PW_AWS_CALL_GENERIC, NULL);
  if (pw_aws_call_build_request (call, &r, error))
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
  task = call_new (self, service, op, input, PW_AWS_CALL_GENERIC, cancellable, callback, user_data,
                   pw_aws_client_call_async);
  pw_aws_call_start_attempt (task);
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
  PwAwsCall *call = task_data;
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
  PwAwsCall *call = g_task_get_task_data (task);
  GError *error = NULL;

  call->file_hash = g_task_propagate_pointer (G_TASK (result), &error);
  if (call->file_hash == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  pw_aws_call_start_attempt (task);
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
  PwAwsCall *call;
  const char *endpoint;

  g_return_if_fail (PW_IS_AWS_CLIENT (self));
  g_return_if_fail (bucket != NULL && key != NULL && G_IS_FILE (file));

  task = object_call_new (self, PW_AWS_CALL_PUT_FILE, bucket, key, file,
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
      pw_aws_call_start_attempt (task);
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
  PwAwsCall *call;

  g_return_if_fail (PW_IS_AWS_CLIENT (self));
  g_return_if_fail (bucket != NULL && key != NULL && G_IS_FILE (destination));

  task = object_call_new (self, PW_AWS_CALL_GET_FILE, bucket, key, destination,
                          cancellable, callback, user_data, pw_aws_client_get_object_async);
  call = g_task_get_task_data (task);
  call->progress = progress;
  call->progress_data = progress_data;
  pw_aws_call_start_attempt (task);
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
  token = pw_aws_input_string (page, out_member);
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
  if (pw_aws_input_string (out, "Account") == NULL)
    {
      g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                   _("%s answered %s without an account"), "AWS STS", "GetCallerIdentity");
      return FALSE;
    }
  if (out_account != NULL)
    *out_account = g_strdup (pw_aws_input_string (out, "Account"));
  if (out_arn != NULL)
    *out_arn = g_strdup (pw_aws_input_string (out, "Arn"));
  if (out_user_id != NULL)
    *out_user_id = g_strdup (pw_aws_input_string (out, "UserId"));
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
