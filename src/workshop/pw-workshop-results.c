/* pw-workshop-results.c: what the results steps (LIVE_EVENTS, BATCH,
 * ANALYSIS) share: their completeness, and the worker's way to the main
 * context for the results record, S3 downloads and many runtime calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-workshop"

#include "pw-config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pw-workshop-batch.h"
#include "pw-workshop-evaluate.h"
#include "pw-workshop-private.h"

/* ---------------------------------------------------------------------
 * Completeness (main context)
 * --------------------------------------------------------------------- */

static gboolean
batch_complete (PwWorkshop *self)
{
  JsonObject *results = pw_workshop_get_results (self);
  JsonObject *batch;
  PwWorkshopResource *version = pw_workshop_current_version (self, "aws-user-personalization");
  PwWorkshopResource *job;
  const char *path;

  if (version == NULL || !json_object_has_member (results, "batch") ||
      (batch = json_object_get_object_member (results, "batch")) == NULL)
    return FALSE;
  if (json_object_get_int_member_with_default (batch, "generation", -1) !=
      (gint64) pw_workshop_get_generation (self, PW_WORKSHOP_STEP_BATCH))
    return FALSE;
  if (g_strcmp0 (json_object_get_string_member_with_default (batch, "version_arn", NULL),
                 pw_workshop_resource_get_arn (version)) != 0)
    return FALSE;
  job = pw_workshop_find_resource (self, json_object_get_string_member_with_default (batch, "job_arn", ""));
  if (job == NULL || pw_workshop_resource_get_status (job) != PW_RESOURCE_STATUS_ACTIVE)
    return FALSE;
  path = json_object_get_string_member_with_default (batch, "output", NULL);
  return path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

static gboolean
analysis_complete (PwWorkshop *self)
{
  JsonObject *results = pw_workshop_get_results (self);
  JsonObject *evaluation;
  const char *recipes[PW_EVALUATION_N_KINDS] = { "aws-user-personalization", "aws-similar-items" };

  if (!json_object_has_member (results, "evaluation") ||
      (evaluation = json_object_get_object_member (results, "evaluation")) == NULL)
    return FALSE;
  if (json_object_get_int_member_with_default (evaluation, "generation", -1) !=
      (gint64) pw_workshop_get_generation (self, PW_WORKSHOP_STEP_ANALYSIS))
    return FALSE;
  for (guint k = 0; k < PW_EVALUATION_N_KINDS; k++)
    {
      PwWorkshopResource *campaign = pw_workshop_current_campaign (self, recipes[k]);
      JsonObject *one;

      if (campaign == NULL || !json_object_has_member (evaluation, pw_evaluation_kind_to_string (k)) ||
          (one = json_object_get_object_member (evaluation, pw_evaluation_kind_to_string (k))) == NULL ||
          g_strcmp0 (json_object_get_string_member_with_default (one, "campaign_arn", NULL),
                     pw_workshop_resource_get_arn (campaign)) != 0 ||
          !json_object_has_member (one, "metrics"))
        return FALSE;
    }
  return TRUE;
}

gboolean
pw_workshop_results_step_complete (PwWorkshop     *self,
                                   PwWorkshopStep  step)
{
  switch (step)
    {
    case PW_WORKSHOP_STEP_LIVE_EVENTS:
      return pw_workshop_events_complete (self);
    case PW_WORKSHOP_STEP_BATCH:
      return batch_complete (self);
    case PW_WORKSHOP_STEP_ANALYSIS:
      return analysis_complete (self);
    default:
      return FALSE;
    }
}

/* ---------------------------------------------------------------------
 * The worker's way to the main context
 * --------------------------------------------------------------------- */

typedef struct
{
  PwWorkshopRun *run;
  GMutex         lock;
  GCond          cond;
  gboolean       done;
  /* in */
  const char    *member;
  JsonObject    *value;
  const char    *bucket;
  const char    *key;
  const char    *path;
  /* out */
  gboolean       ok;
  GError        *error;
} MainCall;

static void
main_call_done (MainCall *call)
{
  g_mutex_lock (&call->lock);
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->lock);
}

static void
main_call_wait (MainCall     *call,
                GSourceFunc   func)
{
  g_mutex_init (&call->lock);
  g_cond_init (&call->cond);
  g_main_context_invoke (call->run->context, func, call);
  g_mutex_lock (&call->lock);
  while (!call->done)
    g_cond_wait (&call->cond, &call->lock);
  g_mutex_unlock (&call->lock);
  g_mutex_clear (&call->lock);
  g_cond_clear (&call->cond);
}

static gboolean
set_result_cb (gpointer user_data)
{
  MainCall *call = user_data;
  PwWorkshop *self = call->run->self;

  json_object_set_object_member (pw_workshop_get_results (self), call->member, json_object_ref (call->value));
  call->ok = pw_workshop_save_results (self, &call->error);
  main_call_done (call);
  return G_SOURCE_REMOVE;
}

gboolean
pw_workshop_run_set_result (PwWorkshopRun  *run,
                            const char     *member,
                            JsonObject     *value,
                            GError        **error)
{
  MainCall call = { run };

  call.member = member;
  call.value = value;
  main_call_wait (&call, set_result_cb);
  if (!call.ok)
    g_propagate_error (error, call.error);
  return call.ok;
}

static void
get_object_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  MainCall *call = user_data;
  g_autoptr(JsonObject) out = pw_aws_client_get_object_finish (PW_AWS_CLIENT (source), result, &call->error);

  call->ok = out != NULL;
  main_call_done (call);
}

static gboolean
get_object_cb (gpointer user_data)
{
  MainCall *call = user_data;
  PwAwsClient *client = pw_workshop_get_client (call->run->self);
  g_autoptr(GFile) file = g_file_new_for_path (call->path);

  if (client == NULL)
    {
      g_set_error (&call->error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY, _("There is no connection."));
      main_call_done (call);
      return G_SOURCE_REMOVE;
    }
  pw_aws_client_get_object_async (client, call->bucket, call->key, file, NULL, NULL, call->run->cancellable,
                                  get_object_done_cb, call);
  return G_SOURCE_REMOVE;
}

/* Downloads s3://@bucket/@key to @path atomically (a temporary file
 * beside it, renamed at the end). */
gboolean
pw_workshop_run_get_object (PwWorkshopRun  *run,
                            const char     *bucket,
                            const char     *key,
                            const char     *path,
                            GError        **error)
{
  MainCall call = { run };
  g_autofree char *tmp = g_strdup_printf ("%s.part-%08x", path, g_random_int ());

  call.bucket = bucket;
  call.key = key;
  call.path = tmp;
  main_call_wait (&call, get_object_cb);
  if (!call.ok)
    {
      g_unlink (tmp);
      g_propagate_error (error, call.error);
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot write %s: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
