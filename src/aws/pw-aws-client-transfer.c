/* pw-aws-client-transfer.c: PwAwsClient's attempts and streamed transfers
 *
 * One attempt: build the request, sign it (SigV4), send it on the
 * session, with a timeout for silence (it restarts whenever bytes move)
 * and the caller's cancellable. A PutObject from a file streams the file
 * as the body; a GetObject to a file streams the answer into the
 * destination, replaced atomically when it is complete, with progress.
 * What comes back goes to pw-aws-client-retry.c.
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
  PwAwsCall *call = user_data;

  call->timed_out = TRUE;
  g_clear_pointer (&call->timeout_source, g_source_unref);
  g_cancellable_cancel (call->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

/* The timeout is for silence: it restarts whenever bytes move. */
static void
restart_timeout (PwAwsCall *call)
{
  pw_aws_clear_source (&call->timeout_source);
  if (call->client->timeout_ms == 0)
    return;
  call->timeout_source = g_timeout_source_new (call->client->timeout_ms);
  g_source_set_callback (call->timeout_source, attempt_timeout_cb, call, NULL);
  g_source_attach (call->timeout_source, call->client->context);
}

static void
wrote_body_cb (SoupMessage *msg,
               PwAwsCall   *call)
{
  call->body_written = TRUE;
}

static void
wrote_body_data_cb (SoupMessage *msg,
                    guint        chunk_size,
                    PwAwsCall   *call)
{
  call->transferred += chunk_size;
  restart_timeout (call);
  if (call->kind == PW_AWS_CALL_PUT_FILE && call->progress != NULL)
    call->progress (call->transferred, call->file_size, call->progress_data);
}

static void
got_headers_cb (SoupMessage *msg,
                PwAwsCall   *call)
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
    pw_aws_call_handle_transport_error (task, error);
  else
    pw_aws_call_handle_answer (task, body);
}

static void download_read (GTask *task);

/* Writing the destination failed: a cancel, or a PW_AWS_ERROR that names the file. */
static void
return_write_error (GTask  *task,
                    GError *error)
{
  PwAwsCall *call = g_task_get_task_data (task);

  if (pw_aws_call_user_cancelled (task))
    {
      g_error_free (error);
      pw_aws_call_return_cancelled (task);
      return;
    }
  pw_aws_call_return_error (task, pw_aws_error_new (PW_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL, NULL,
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
  PwAwsCall *call = g_task_get_task_data (task);
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
  pw_aws_copy_header (out, headers, "ETag", "ETag");
  pw_aws_copy_header (out, headers, "Content-Type", "ContentType");
  pw_aws_copy_header (out, headers, "Last-Modified", "LastModified");
  pw_aws_call_return_object (task, out);
}

static void
download_written_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PwAwsCall *call = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      /* The attempt was stopped (cancel or timeout), or the file failed. */
      if (pw_aws_call_user_cancelled (task) || call->timed_out)
        pw_aws_call_handle_transport_error (task, error);
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
  PwAwsCall *call = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n < 0)
    {
      pw_aws_call_handle_transport_error (task, error);
      return;
    }
  if (n == 0)
    {
      if (call->expected_length > 0 && call->transferred != call->expected_length)
        {
          pw_aws_call_handle_transport_error (task, g_error_new (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                                                                 "got %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " bytes",
                                                                 call->transferred, call->expected_length));
          return;
        }
      pw_aws_clear_source (&call->timeout_source);
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
  PwAwsCall *call = g_task_get_task_data (task);

  g_input_stream_read_async (call->in, call->buffer, DOWNLOAD_CHUNK, G_PRIORITY_DEFAULT,
                             call->attempt_cancellable, download_read_cb, g_object_ref (task));
}

static void
download_replaced_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PwAwsCall *call = g_task_get_task_data (task);
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
  PwAwsCall *call = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (chunk == NULL)
    {
      pw_aws_call_handle_transport_error (task, error);
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

    pw_aws_call_handle_answer (task, body);
  }
}

static void
download_sent_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PwAwsCall *call = g_task_get_task_data (task);
  GError *error = NULL;
  guint status;

  call->in = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (call->in == NULL)
    {
      pw_aws_call_handle_transport_error (task, error);
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

void
pw_aws_call_start_attempt (GTask *task)
{
  PwAwsCall *call = g_task_get_task_data (task);
  PwAwsClient *self = call->client;
  g_auto(PwAwsRequest) r = { 0 };
  GError *error = NULL;
  g_autofree char *host = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GDateTime) when = NULL;
  SoupMessageHeaders *headers;
  const char *hash;
  PwAwsSigv4Flags flags;

  if (pw_aws_call_user_cancelled (task))
    {
      pw_aws_call_return_cancelled (task);
      return;
    }
  call->attempt++;
  if (call->attempt == 1)
    call->started = pw_aws_client_corrected_now (self);

  if (self->config->credentials == NULL)
    {
      pw_aws_call_return_error (task, pw_aws_error_new (PW_AWS_ERROR_CREDENTIALS, NULL, 0, NULL, NULL,
                                                        _("No AWS credentials: set a profile (--profile or AWS_PROFILE), "
                                                          "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or store keys in the keyring")));
      return;
    }
  if (!pw_aws_call_build_request (call, &r, &error))
    {
      pw_aws_call_return_error (task, error);
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
  host = pw_aws_request_host_header (&r);
  soup_message_headers_replace (headers, "Host", host);
  soup_message_headers_replace (headers, "User-Agent", "personalize-workshop/" PW_VERSION);
  if (r.target != NULL)
    soup_message_headers_replace (headers, "X-Amz-Target", r.target);
  if (r.content_md5 != NULL)
    soup_message_headers_replace (headers, "Content-MD5", r.content_md5);

  if (call->kind == PW_AWS_CALL_PUT_FILE)
    {
      GFileInputStream *stream = g_file_read (call->file, NULL, &error);

      if (stream == NULL)
        {
          pw_aws_call_return_error (task, pw_aws_error_new (PW_AWS_ERROR_INVALID_INPUT, NULL, 0, NULL, NULL,
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

  when = g_date_time_new_from_unix_utc (pw_aws_client_corrected_now (self));
  flags = r.s3 ? PW_AWS_SIGV4_S3 : PW_AWS_SIGV4_NONE;
  if (!pw_aws_sigv4_sign (r.method, r.path, r.query, headers, hash, self->config->credentials,
                          r.signing_region, pw_aws_service_get_signing_name (call->service),
                          when, flags, NULL, &error))
    {
      pw_aws_call_return_error (task, error);
      return;
    }

  call->attempt_cancellable = g_cancellable_new ();
  if (call->user_cancellable != NULL)
    call->cancelled_id = g_cancellable_connect (call->user_cancellable, G_CALLBACK (attempt_cancelled_cb),
                                                g_object_ref (call->attempt_cancellable), g_object_unref);
  restart_timeout (call);
  g_signal_connect (call->msg, "wrote-body", G_CALLBACK (wrote_body_cb), call);
  g_signal_connect (call->msg, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), call);

  if (call->kind == PW_AWS_CALL_GET_FILE)
    soup_session_send_async (self->session, call->msg, G_PRIORITY_DEFAULT, call->attempt_cancellable,
                             download_sent_cb, g_object_ref (task));
  else
    {
      g_signal_connect (call->msg, "got-headers", G_CALLBACK (got_headers_cb), call);
      soup_session_send_and_read_async (self->session, call->msg, G_PRIORITY_DEFAULT, call->attempt_cancellable,
                                        send_and_read_cb, g_object_ref (task));
    }
}
