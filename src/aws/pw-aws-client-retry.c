/* pw-aws-client-retry.c: PwAwsClient's errors and retries
 *
 * An answer that is not a success becomes a PW_AWS_ERROR (the AWS error
 * code, HTTP status and request id from the body or headers). Then, in
 * AWS's "standard" mode: throttling and transient failures are retried,
 * at most max_attempts times, after an exponential backoff with full
 * jitter, while the retry quota lasts; a create that may have happened is
 * checked (PwAwsRetryPolicy) before it is repeated; a clock skew is
 * corrected from the Date header and an S3 redirect is followed, and
 * neither counts as a retry. This is also where a call returns.
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
#include "pw-aws-xml.h"

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
service_error (PwAwsCall  *call,
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
parse_error_response (PwAwsCall *call,
                      GBytes    *body)
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

          if (code == NULL && ((s = pw_aws_input_string (object, "__type")) != NULL || (s = pw_aws_input_string (object, "code")) != NULL ||
                               (s = pw_aws_input_string (object, "Code")) != NULL))
            code = strip_error_code (s);
          if ((s = pw_aws_input_string (object, "message")) != NULL || (s = pw_aws_input_string (object, "Message")) != NULL)
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

void
pw_aws_call_return_error (GTask  *task,
                          GError *error)
{
  PwAwsCall *call = g_task_get_task_data (task);

  pw_aws_call_reset_attempt (call);
  g_task_return_error (task, error);
}

void
pw_aws_call_return_object (GTask      *task,
                           JsonObject *object)
{
  PwAwsCall *call = g_task_get_task_data (task);
  PwAwsClient *self = call->client;

  self->retry_tokens = MIN (RETRY_QUOTA, self->retry_tokens + (call->retry_cost > 0 ? call->retry_cost : 1));
  pw_aws_call_reset_attempt (call);
  g_task_return_pointer (task, object, (GDestroyNotify) json_object_unref);
}

gboolean
pw_aws_call_user_cancelled (GTask *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

void
pw_aws_call_return_cancelled (GTask *task)
{
  pw_aws_call_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));
}

static gboolean
wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  PwAwsCall *call = g_task_get_task_data (task);

  pw_aws_call_clear_wait (call);
  if (pw_aws_call_user_cancelled (task))
    pw_aws_call_return_cancelled (task);
  else
    pw_aws_call_start_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  PwAwsCall *call = g_task_get_task_data (task);

  pw_aws_call_clear_wait (call);
  pw_aws_call_return_cancelled (task);
  return G_SOURCE_REMOVE;
}

/* Standard mode: full jitter over an exponential ceiling. */
static void
schedule_retry (GTask *task)
{
  PwAwsCall *call = g_task_get_task_data (task);
  PwAwsClient *self = call->client;
  guint64 ceiling = (guint64) self->base_delay_ms << MIN (call->attempt - 1, 20u);
  guint delay_ms;
  GCancellable *cancellable = g_task_get_cancellable (task);

  pw_aws_call_reset_attempt (call);
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
  PwAwsCall *call = g_task_get_task_data (task);

  if (g_error_matches (check_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      pw_aws_call_return_error (task, check_error);
      return;
    }
  pw_aws_call_return_error (task, pw_aws_error_new (PW_AWS_ERROR_AMBIGUOUS, pw_aws_error_get_code (call->check_error),
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
  PwAwsCall *call = g_task_get_task_data (task);
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
      pw_aws_input_string (json_node_get_object (tracker), "trackingId") != NULL)
    json_object_set_string_member (output, "trackingId",
                                   pw_aws_input_string (json_node_get_object (tracker), "trackingId"));
  pw_aws_call_return_object (task, json_object_ref (output));
}

static gboolean
check_item_matches (PwAwsCall  *call,
                    JsonObject *item)
{
  if (call->op->check_name != NULL)
    return g_strcmp0 (pw_aws_input_string (item, call->op->check_name),
                      pw_aws_input_string (call->input, call->op->check_name)) == 0;
  else
    {
      /* No name to match (solution versions): one created since we began. */
      JsonNode *created = json_object_get_member (item, "creationDateTime");
      const char *status = pw_aws_input_string (item, "status");

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
  PwAwsCall *call = g_task_get_task_data (task);
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
      pw_aws_call_return_object (task, g_steal_pointer (&answer));
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
          if (!check_item_matches (call, item) || (arn = pw_aws_input_string (item, call->op->check_result)) == NULL)
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
          pw_aws_call_return_object (task, output);
          return;
        }
    }

  next = pw_aws_input_string (answer, "nextToken");
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
  PwAwsCall *call = g_task_get_task_data (task);
  g_autoptr(JsonObject) input = json_object_new ();
  const char *filter = call->op->check_filter != NULL ? pw_aws_input_string (call->input, call->op->check_filter) : NULL;

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
  PwAwsCall *call = g_task_get_task_data (task);

  guint cost = call->timed_out ? RETRY_TIMEOUT_COST : RETRY_COST;

  if (ambiguous)
    call->was_ambiguous = TRUE;
  if (!retryable || call->attempt >= call->client->max_attempts)
    {
      g_debug ("%s: giving up after %u attempt(s)", call->op->name, call->attempt);
      pw_aws_call_return_error (task, error);
      return;
    }
  if (call->client->retry_tokens < cost)
    {
      g_debug ("%s: the retry quota is spent; not retrying", call->op->name);
      pw_aws_call_return_error (task, error);
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
      pw_aws_call_return_error (task, wrapped);
      return;
    }

  g_debug ("%s: the failure was ambiguous, checking with %s", call->op->name, call->op->check_operation);
  pw_aws_call_reset_attempt (call);
  g_clear_error (&call->check_error);
  call->check_error = error;
  g_clear_pointer (&call->check_token, g_free);
  check_next_page (task);
}

/* ------------------------------------------------------------------------ */
/* Answers: retry, fix and go again, or give up */

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
  PwAwsCall *call = g_task_get_task_data (task);

  pw_aws_call_reset_attempt (call);
  call->attempt--;
  pw_aws_call_start_attempt (task);
}

/* Returns TRUE when the attempt is being repeated with a corrected clock. */
static gboolean
maybe_correct_skew (GTask        *task,
                    const GError *error)
{
  PwAwsCall *call = g_task_get_task_data (task);
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
  skew = g_date_time_to_unix (server_time) - pw_aws_client_corrected_now (self);
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
  PwAwsCall *call = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (call->msg);
  const char *region = soup_message_headers_get_one (headers, "x-amz-bucket-region");
  const char *location = soup_message_headers_get_one (headers, "Location");
  const char *bucket = pw_aws_input_string (call->input, "Bucket");

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

void
pw_aws_call_handle_answer (GTask  *task,
                           GBytes *body)
{
  PwAwsCall *call = g_task_get_task_data (task);
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
      output = pw_aws_call_parse_success (call, body, &error);
      if (output == NULL)
        {
          /* A broken answer: the service may have acted. */
          gboolean retry = error->code == PW_AWS_ERROR_INVALID_RESPONSE;

          attempt_failed (task, error, retry, TRUE);
          return;
        }
      pw_aws_call_return_object (task, output);
      return;
    }

  if (maybe_follow_redirect (task, status))
    return;

  if (status >= 300 && status < 400 && call->service != PW_AWS_SERVICE_S3)
    {
      const char *location = soup_message_headers_get_one (soup_message_get_response_headers (call->msg), "Location");

      pw_aws_call_return_error (task, pw_aws_error_new (PW_AWS_ERROR_INVALID_RESPONSE, NULL, status, request_id, NULL,
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
      pw_aws_call_return_object (task, json_object_new ());
      return;
    }
  if (is_throttling (error))
    attempt_failed (task, error, TRUE, FALSE);
  else if (is_transient (error))
    attempt_failed (task, error, TRUE, TRUE);
  else
    pw_aws_call_return_error (task, error);
}

void
pw_aws_call_handle_transport_error (GTask  *task,
                                    GError *cause)
{
  PwAwsCall *call = g_task_get_task_data (task);
  GError *error;

  if (pw_aws_call_user_cancelled (task))
    {
      g_error_free (cause);
      pw_aws_call_return_cancelled (task);
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
      pw_aws_call_return_error (task, error);
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
