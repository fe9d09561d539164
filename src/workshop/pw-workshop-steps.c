/* pw-workshop-steps.c: what every step shares, in the worker thread:
 * create what is missing, find what exists, wait with backoff; and the
 * dispatch to each step's code (pw-workshop-steps-data.c, -training.c,
 * -cleanup.c, and the results steps in -events.c, -batch.c, -evaluate.c)
 *
 * Everything here runs in a worker thread; every service call and every
 * state change goes through pw_workshop_run_*() (pw-workshop-run.c), which
 * do them on the workshop's main context. Every resource is recorded
 * (name, then ARN, then each status) before the next call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-workshop"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pw-aws-error.h"
#include "pw-workshop-private.h"

#define ROLE_FIRST_USE_MS (120 * 1000)

const char * const pw_workshop_role_policies[PW_WORKSHOP_N_ROLE_POLICIES] = {
  "arn:aws:iam::aws:policy/service-role/AmazonPersonalizeFullAccess",
  "arn:aws:iam::aws:policy/AmazonS3FullAccess",
};

/* ---------------------------------------------------------------------
 * Small helpers
 * --------------------------------------------------------------------- */

gboolean
pw_workshop_steps_is_gone_error (const GError *error)
{
  return pw_aws_error_has_code (error, "ResourceNotFoundException") ||
         pw_aws_error_has_code (error, "NoSuchEntity") ||
         pw_aws_error_has_code (error, "NoSuchBucket") ||
         pw_aws_error_has_code (error, "NoSuchKey");
}

guint
pw_workshop_steps_first_delay (PwWorkshopRun *run)
{
  return run->backend == PW_WORKSHOP_BACKEND_LOCAL ? 50 : 2000;
}

guint
pw_workshop_steps_next_delay (PwWorkshopRun *run,
                              guint          delay)
{
  guint max = run->backend == PW_WORKSHOP_BACKEND_LOCAL ? 500 : 30000;

  return MIN (max, delay * 3 / 2 + 1);
}

gboolean
pw_workshop_steps_record_status (PwWorkshopRun       *run,
                                 PwWorkshopResource  *r,
                                 PwResourceStatus     status,
                                 const char          *reason,
                                 GError             **error)
{
  PwResourceChange change = PW_RESOURCE_CHANGE_INIT;

  change.status = status;
  change.failure_reason = reason;
  change.clear_failure_reason = reason == NULL && status != PW_RESOURCE_STATUS_FAILED;
  return pw_workshop_run_record (run, r, &change, error);
}

gboolean
pw_workshop_steps_record_arn (PwWorkshopRun       *run,
                              PwWorkshopResource  *r,
                              const char          *arn,
                              PwResourceStatus     status,
                              GError             **error)
{
  PwResourceChange change = PW_RESOURCE_CHANGE_INIT;

  change.arn = arn;
  change.status = status;
  return pw_workshop_run_record (run, r, &change, error);
}

void
pw_workshop_steps_progress (PwWorkshopRun *run,
                            double         fraction,
                            const char    *format,
                            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  pw_workshop_run_progress (run, fraction, message);
}

PwWorkshopResource *
pw_workshop_steps_find (PwWorkshopRun  *run,
                        PwResourceKind  kind,
                        const char     *detail,
                        const char     *recipe,
                        const char     *parent,
                        gint            generation)
{
  return pw_workshop_resources_find (pw_workshop_run_get_resources (run), kind, detail, recipe, parent, generation);
}

/* @base, or @base-2, -3, … when a live resource of @kind already has it. */
static char *
unique_name (PwWorkshopRun  *run,
             PwResourceKind  kind,
             const char     *base)
{
  GListModel *list = pw_workshop_run_get_resources (run);
  guint n = g_list_model_get_n_items (list);

  for (guint k = 1; ; k++)
    {
      g_autofree char *name = k == 1 ? g_strdup (base) : g_strdup_printf ("%s-%u", base, k);
      gboolean taken = FALSE;

      for (guint i = 0; i < n && !taken; i++)
        {
          g_autoptr(PwWorkshopResource) r = g_list_model_get_item (list, i);

          taken = pw_workshop_resource_get_kind (r) == kind &&
                  pw_workshop_resource_get_status (r) != PW_RESOURCE_STATUS_DELETED &&
                  g_strcmp0 (pw_workshop_resource_get_name (r), name) == 0;
        }
      if (!taken)
        return g_steal_pointer (&name);
    }
}

/* "aws-user-personalization" → "user-personalization" */
const char *
pw_workshop_steps_short_recipe (const char *recipe)
{
  const char *slash = strrchr (recipe, '/');

  if (slash != NULL)
    recipe = slash + 1;
  return g_str_has_prefix (recipe, "aws-") ? recipe + 4 : recipe;
}

/* ---------------------------------------------------------------------
 * Personalize resources: create or find, then wait
 * --------------------------------------------------------------------- */

static const PwWorkshopKindInfo kinds[] = {
  { PW_RESOURCE_DATASET_GROUP, N_("dataset group"), "CreateDatasetGroup", "datasetGroupArn", "DescribeDatasetGroup",
    "datasetGroup", "ListDatasetGroups", NULL, "datasetGroups", "name" },
  { PW_RESOURCE_SCHEMA, N_("schema"), "CreateSchema", "schemaArn", NULL, NULL, "ListSchemas", NULL, "schemas", "name" },
  { PW_RESOURCE_DATASET, N_("dataset"), "CreateDataset", "datasetArn", "DescribeDataset", "dataset", "ListDatasets",
    "datasetGroupArn", "datasets", "name" },
  { PW_RESOURCE_IMPORT_JOB, N_("import job"), "CreateDatasetImportJob", "datasetImportJobArn",
    "DescribeDatasetImportJob", "datasetImportJob", "ListDatasetImportJobs", "datasetArn", "datasetImportJobs",
    "jobName" },
  { PW_RESOURCE_SOLUTION, N_("solution"), "CreateSolution", "solutionArn", "DescribeSolution", "solution",
    "ListSolutions", "datasetGroupArn", "solutions", "name" },
  { PW_RESOURCE_SOLUTION_VERSION, N_("solution version"), "CreateSolutionVersion", "solutionVersionArn",
    "DescribeSolutionVersion", "solutionVersion", "ListSolutionVersions", "solutionArn", "solutionVersions", NULL },
  { PW_RESOURCE_CAMPAIGN, N_("campaign"), "CreateCampaign", "campaignArn", "DescribeCampaign", "campaign",
    "ListCampaigns", NULL, "campaigns", "name" },
  { PW_RESOURCE_EVENT_TRACKER, N_("event tracker"), "CreateEventTracker", "eventTrackerArn", "DescribeEventTracker",
    "eventTracker", "ListEventTrackers", "datasetGroupArn", "eventTrackers", "name" },
  { PW_RESOURCE_BATCH_JOB, "batch inference job", "CreateBatchInferenceJob", "batchInferenceJobArn",
    "DescribeBatchInferenceJob", "batchInferenceJob", "ListBatchInferenceJobs", "solutionVersionArn",
    "batchInferenceJobs", "jobName" },
};

const PwWorkshopKindInfo *
pw_workshop_steps_kind_info (PwResourceKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      return &kinds[i];
  return NULL;
}

gboolean
pw_workshop_steps_arn_in_state (PwWorkshopRun *run,
                                const char    *arn)
{
  GListModel *list = pw_workshop_run_get_resources (run);
  guint n = g_list_model_get_n_items (list);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (list, i);

      if (g_strcmp0 (pw_workshop_resource_get_arn (r), arn) == 0)
        return TRUE;
    }
  return FALSE;
}

/* After a crash between recording the name and recording the ARN: is it
 * there? Returns the ARN (or NULL when it is not; FALSE on error). */
gboolean
pw_workshop_steps_lookup_by_name (PwWorkshopRun       *run,
                                  PwWorkshopResource  *r,
                                  char               **out_arn,
                                  GError             **error)
{
  const PwWorkshopKindInfo *info = pw_workshop_steps_kind_info (pw_workshop_resource_get_kind (r));
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(JsonArray) list = NULL;
  const char *parent = pw_workshop_resource_get_parent_arn (r);

  *out_arn = NULL;
  if (info == NULL)
    return TRUE;
  if (info->list_filter != NULL)
    {
      if (parent == NULL)
        return TRUE;
      json_object_set_string_member (input, info->list_filter, parent);
    }
  list = pw_workshop_run_list_all (run, PW_AWS_SERVICE_PERSONALIZE, info->list_op, input, info->list_member, error);
  if (list == NULL)
    {
      /* The parent went away: so did this. */
      if (pw_workshop_steps_is_gone_error (*error))
        {
          g_clear_error (error);
          return TRUE;
        }
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);
      const char *arn = pw_workshop_json_get_string (item, info->arn_member);

      if (item == NULL || arn == NULL)
        continue;
      if (info->name_member != NULL
          ? g_strcmp0 (pw_workshop_json_get_string (item, info->name_member), pw_workshop_resource_get_name (r)) == 0
          : !pw_workshop_steps_arn_in_state (run, arn))
        {
          *out_arn = g_strdup (arn);
          return TRUE;
        }
    }
  return TRUE;
}

static gboolean
call_create (PwWorkshopRun       *run,
             const PwWorkshopKindInfo      *info,
             const PwWorkshopWant          *want,
             PwWorkshopResource  *r,
             GError             **error)
{
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) local_error = NULL;
  guint delay = pw_workshop_steps_first_delay (run);
  gint64 role_deadline = g_get_monotonic_time () + (gint64) ROLE_FIRST_USE_MS * 1000;

  if (info->name_member != NULL)
    json_object_set_string_member (want->input, info->name_member, pw_workshop_resource_get_name (r));
  for (;;)
    {
      g_clear_error (&local_error);
      out = pw_workshop_run_call (run, PW_AWS_SERVICE_PERSONALIZE, info->create_op, want->input, &local_error);
      if (out != NULL)
        break;
      /* IAM is eventually consistent: a new role may not be usable for a
       * while (the notebooks slept 60 s). Retry its first use instead. */
      if (want->role_first_use && run->backend == PW_WORKSHOP_BACKEND_AWS &&
          pw_aws_error_has_code (local_error, "InvalidInputException") &&
          g_get_monotonic_time () < role_deadline)
        {
          pw_workshop_steps_progress (run, -1, _("Waiting for the new IAM role to be usable"));
          if (!pw_workshop_run_sleep (run, delay, error))
            return FALSE;
          delay = pw_workshop_steps_next_delay (run, delay);
          continue;
        }
      if (pw_aws_error_has_code (local_error, "ResourceAlreadyExistsException"))
        {
          g_autofree char *arn = NULL;

          if (!pw_workshop_steps_lookup_by_name (run, r, &arn, error))
            return FALSE;
          if (arn != NULL)
            return pw_workshop_steps_record_arn (run, r, arn, PW_RESOURCE_STATUS_CREATING, error);
        }
      if (pw_aws_error_has_code (local_error, "LimitExceededException"))
        g_prefix_error (&local_error, _("An account quota is reached (an account holds 5 campaigns by "
                                        "default, for example): delete what you no longer need or ask AWS "
                                        "for a higher quota. "));
      g_prefix_error (&local_error, _("Creating the %s “%s”: "), _(info->title), pw_workshop_resource_get_name (r));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (pw_workshop_json_get_string (out, info->arn_member) == NULL)
    {
      g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                   _("%s answered without %s"), info->create_op, info->arn_member);
      return FALSE;
    }
  return pw_workshop_steps_record_arn (run, r, pw_workshop_json_get_string (out, info->arn_member),
                     info->describe_op != NULL ? PW_RESOURCE_STATUS_CREATING : PW_RESOURCE_STATUS_ACTIVE, error);
}

/* Finds the current resource @want describes, or records and creates it.
 * Does not wait. */
PwWorkshopResource *
pw_workshop_steps_ensure (PwWorkshopRun  *run,
                          const PwWorkshopWant     *want,
                          GError        **error)
{
  const PwWorkshopKindInfo *info = pw_workshop_steps_kind_info (want->kind);
  PwWorkshopResource *r;

  g_assert (info != NULL);

  r = pw_workshop_steps_find (run, want->kind, want->detail, want->recipe, want->parent, want->generation);
  if (r != NULL && pw_workshop_resource_get_status (r) == PW_RESOURCE_STATUS_FAILED)
    r = NULL; /* a failed one stays for cleanup; make another */
  if (r == NULL)
    {
      PwResourceChange change = PW_RESOURCE_CHANGE_INIT;
      g_autofree char *name = unique_name (run, want->kind, want->name);

      change.detail = want->detail;
      change.recipe = want->recipe;
      change.parent_arn = want->parent;
      pw_workshop_steps_progress (run, -1, _("Creating the %s “%s”"), _(info->title), name);
      if ((r = pw_workshop_run_add (run, want->kind, name, &change, error)) == NULL)
        return NULL;
    }
  if (pw_workshop_resource_get_arn (r) == NULL)
    {
      g_autofree char *arn = NULL;

      /* Recorded but maybe never created (or created just before a crash). */
      if (!pw_workshop_steps_lookup_by_name (run, r, &arn, error))
        return NULL;
      if (arn != NULL)
        {
          if (!pw_workshop_steps_record_arn (run, r, arn, info->describe_op != NULL ? PW_RESOURCE_STATUS_CREATING
                                                                  : PW_RESOURCE_STATUS_ACTIVE, error))
            return NULL;
        }
      else if (!call_create (run, info, want, r, error))
        return NULL;
    }
  return r;
}

PwResourceStatus
pw_workshop_steps_map_status (const char *status)
{
  if (status == NULL)
    return PW_RESOURCE_STATUS_CREATING;
  if (strcmp (status, "ACTIVE") == 0)
    return PW_RESOURCE_STATUS_ACTIVE;
  if (strcmp (status, "CREATE FAILED") == 0)
    return PW_RESOURCE_STATUS_FAILED;
  if (g_str_has_prefix (status, "DELETE"))
    return PW_RESOURCE_STATUS_DELETING;
  return PW_RESOURCE_STATUS_CREATING;
}

/* One Describe: the resource's status and failure reason recorded. */
gboolean
pw_workshop_steps_describe (PwWorkshopRun       *run,
                            PwWorkshopResource  *r,
                            PwResourceStatus    *out_status,
                            GError             **error)
{
  const PwWorkshopKindInfo *info = pw_workshop_steps_kind_info (pw_workshop_resource_get_kind (r));
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  PwResourceStatus status;

  if (info->describe_op == NULL)
    {
      *out_status = PW_RESOURCE_STATUS_ACTIVE;
      return TRUE;
    }
  json_object_set_string_member (input, info->arn_member, pw_workshop_resource_get_arn (r));
  out = pw_workshop_run_call (run, PW_AWS_SERVICE_PERSONALIZE, info->describe_op, input, &local_error);
  if (out == NULL)
    {
      if (pw_workshop_steps_is_gone_error (local_error))
        {
          *out_status = PW_RESOURCE_STATUS_DELETED;
          return pw_workshop_steps_record_status (run, r, PW_RESOURCE_STATUS_DELETED, NULL, error);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  object = pw_workshop_json_get_object (out, info->describe_member);
  status = pw_workshop_steps_map_status (pw_workshop_json_get_string (object, "status"));
  *out_status = status;
  return pw_workshop_steps_record_status (run, r, status, pw_workshop_json_get_string (object, "failureReason"), error);
}

/* Describe with backoff until ACTIVE; CREATE FAILED and a vanished
 * resource are errors. */
gboolean
pw_workshop_steps_wait_active (PwWorkshopRun       *run,
                               PwWorkshopResource  *r,
                               GError             **error)
{
  const PwWorkshopKindInfo *info = pw_workshop_steps_kind_info (pw_workshop_resource_get_kind (r));
  guint delay = pw_workshop_steps_first_delay (run);

  for (;;)
    {
      PwResourceStatus status;

      if (!pw_workshop_steps_describe (run, r, &status, error))
        return FALSE;
      if (status == PW_RESOURCE_STATUS_ACTIVE)
        return TRUE;
      if (status == PW_RESOURCE_STATUS_FAILED)
        {
          g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_RESOURCE_FAILED,
                       _("The %s “%s” failed: %s"), _(info->title), pw_workshop_resource_get_name (r),
                       pw_workshop_resource_get_failure_reason (r) != NULL
                       ? pw_workshop_resource_get_failure_reason (r) : _("no reason given"));
          return FALSE;
        }
      if (status == PW_RESOURCE_STATUS_DELETED || status == PW_RESOURCE_STATUS_DELETING)
        {
          g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_RESOURCE_FAILED,
                       _("The %s “%s” was deleted outside the workshop; run the step again to make it anew."),
                       _(info->title), pw_workshop_resource_get_name (r));
          return FALSE;
        }
      pw_workshop_steps_progress (run, -1, _("Waiting for the %s “%s”"), _(info->title),
                                  pw_workshop_resource_get_name (r));
      if (!pw_workshop_run_sleep (run, delay, error))
        return FALSE;
      delay = pw_workshop_steps_next_delay (run, delay);
    }
}

/* ---------------------------------------------------------------------
 * For the results steps (pw-workshop-private.h)
 * --------------------------------------------------------------------- */

PwWorkshopResource *
pw_workshop_steps_ensure_active (PwWorkshopRun  *run,
                                 PwResourceKind  kind,
                                 const char     *name,
                                 const char     *detail,
                                 const char     *recipe,
                                 const char     *parent,
                                 gint            generation,
                                 JsonObject     *input,
                                 GError        **error)
{
  PwWorkshopWant want = { kind, name, detail, recipe, parent, generation, input, FALSE };
  PwWorkshopResource *r = pw_workshop_steps_ensure (run, &want, error);

  if (r == NULL || !pw_workshop_steps_wait_active (run, r, error))
    return NULL;
  return r;
}

const char *
pw_workshop_steps_role_arn (PwWorkshopRun *run)
{
  PwWorkshopResource *role;

  if (run->backend != PW_WORKSHOP_BACKEND_AWS)
    return NULL;
  role = pw_workshop_steps_find (run, PW_RESOURCE_ROLE, NULL, NULL, NULL, -1);
  return role != NULL ? pw_workshop_resource_get_arn (role) : NULL;
}

gboolean
pw_workshop_steps_run (PwWorkshopRun  *run,
                       GError        **error)
{
  if (run->func != NULL)
    return run->func (run, error);
  switch (run->step)
    {
    case PW_WORKSHOP_STEP_DATASET_GROUP:
      return pw_workshop_steps_run_dataset_group (run, error);
    case PW_WORKSHOP_STEP_TRAINING:
      return pw_workshop_steps_run_training (run, error);
    case PW_WORKSHOP_STEP_CAMPAIGNS:
      return pw_workshop_steps_run_campaigns (run, error);
    case PW_WORKSHOP_STEP_CLEANUP:
      return pw_workshop_steps_run_cleanup (run, error);
    case PW_WORKSHOP_STEP_LIVE_EVENTS:
      return pw_workshop_steps_live_events (run, error);
    case PW_WORKSHOP_STEP_BATCH:
      return pw_workshop_steps_batch (run, error);
    case PW_WORKSHOP_STEP_ANALYSIS:
      return pw_workshop_steps_analysis (run, error);
    case PW_WORKSHOP_STEP_BACKEND:
    case PW_WORKSHOP_STEP_DATA:
    case PW_WORKSHOP_N_STEPS:
    default:
      g_assert_not_reached ();
    }
}

