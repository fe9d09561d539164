/* pw-workshop-steps.c: what each step does, in the worker thread: create
 * what is missing, find what exists, wait with backoff, delete in order
 *
 * Everything here runs in a worker thread; every service call and every
 * state change goes through pw_workshop_run_*() (pw-workshop.c), which do
 * them on the workshop's main context. Every resource is recorded (name,
 * then ARN, then each status) before the next call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-workshop"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pw-aws-error.h"
#include "pw-workshop-private.h"

#define INTERACTIONS "INTERACTIONS"
#define ITEMS "ITEMS"
#define INTERACTIONS_KEY "training_interaction.csv"
#define ITEMS_KEY "training_item.csv"
#define ROLE_FIRST_USE_MS (120 * 1000)

static const char interactions_schema[] =
  "{\"type\": \"record\", \"name\": \"Interactions\", \"namespace\": \"com.amazonaws.personalize.schema\", "
  "\"fields\": [{\"name\": \"USER_ID\", \"type\": \"string\"}, {\"name\": \"ITEM_ID\", \"type\": \"string\"}, "
  "{\"name\": \"EVENT_VALUE\", \"type\": \"float\"}, {\"name\": \"TIMESTAMP\", \"type\": \"long\"}, "
  "{\"name\": \"EVENT_TYPE\", \"type\": \"string\"}], \"version\": \"1.0\"}";

static const char items_schema[] =
  "{\"type\": \"record\", \"name\": \"Items\", \"namespace\": \"com.amazonaws.personalize.schema\", "
  "\"fields\": [{\"name\": \"ITEM_ID\", \"type\": \"string\"}, "
  "{\"name\": \"GENRE\", \"type\": \"string\", \"categorical\": true}], \"version\": \"1.0\"}";

static const char trust_policy[] =
  "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
  "\"Principal\": {\"Service\": \"personalize.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}";

static const char * const role_policies[] = {
  "arn:aws:iam::aws:policy/service-role/AmazonPersonalizeFullAccess",
  "arn:aws:iam::aws:policy/AmazonS3FullAccess",
};

/* ---------------------------------------------------------------------
 * Small helpers
 * --------------------------------------------------------------------- */

static const char *
str_member (JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
obj_member (JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static gboolean
is_gone_error (const GError *error)
{
  return pw_aws_error_has_code (error, "ResourceNotFoundException") ||
         pw_aws_error_has_code (error, "NoSuchEntity") ||
         pw_aws_error_has_code (error, "NoSuchBucket") ||
         pw_aws_error_has_code (error, "NoSuchKey");
}

static guint
first_delay (PwWorkshopRun *run)
{
  return run->backend == PW_WORKSHOP_BACKEND_LOCAL ? 50 : 2000;
}

static guint
next_delay (PwWorkshopRun *run,
            guint          delay)
{
  guint max = run->backend == PW_WORKSHOP_BACKEND_LOCAL ? 500 : 30000;

  return MIN (max, delay * 3 / 2 + 1);
}

static gboolean
record_status (PwWorkshopRun       *run,
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

static gboolean
record_arn (PwWorkshopRun       *run,
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

static void
progress (PwWorkshopRun *run,
          double         fraction,
          const char    *format,
          ...) G_GNUC_PRINTF (3, 4);

static void
progress (PwWorkshopRun *run,
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

/* The most recent resource of @kind that is not DELETED and matches the
 * given fields (NULL: any); @generation < 0: any. */
static PwWorkshopResource *
find (PwWorkshopRun  *run,
      PwResourceKind  kind,
      const char     *detail,
      const char     *recipe,
      const char     *parent,
      gint            generation)
{
  GListModel *list = pw_workshop_run_get_resources (run);
  guint n = g_list_model_get_n_items (list);

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (list, i - 1);

      if (pw_workshop_resource_get_kind (r) != kind ||
          pw_workshop_resource_get_status (r) == PW_RESOURCE_STATUS_DELETED)
        continue;
      if (detail != NULL && g_strcmp0 (pw_workshop_resource_get_detail (r), detail) != 0)
        continue;
      if (recipe != NULL && g_strcmp0 (pw_workshop_resource_get_recipe (r), recipe) != 0)
        continue;
      if (parent != NULL && g_strcmp0 (pw_workshop_resource_get_parent_arn (r), parent) != 0)
        continue;
      if (generation >= 0 && pw_workshop_resource_get_generation (r) != (guint) generation)
        continue;
      return r; /* the store keeps it */
    }
  return NULL;
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
static const char *
short_recipe (const char *recipe)
{
  const char *slash = strrchr (recipe, '/');

  if (slash != NULL)
    recipe = slash + 1;
  return g_str_has_prefix (recipe, "aws-") ? recipe + 4 : recipe;
}

/* ---------------------------------------------------------------------
 * Personalize resources: create or find, then wait
 * --------------------------------------------------------------------- */

typedef struct
{
  PwResourceKind  kind;
  const char     *title;         /* for messages, N_() */
  const char     *create_op;
  const char     *arn_member;    /* in the create's answer and the list items */
  const char     *describe_op;   /* NULL: usable at once (schemas) */
  const char     *describe_member;
  const char     *list_op;
  const char     *list_filter;   /* input member of the list: the parent ARN */
  const char     *list_member;
  const char     *name_member;   /* NULL: no name (solution versions) */
} KindInfo;

static const KindInfo kinds[] = {
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

static const KindInfo *
kind_info (PwResourceKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      return &kinds[i];
  return NULL;
}

static gboolean
arn_in_state (PwWorkshopRun *run,
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
static gboolean
lookup_by_name (PwWorkshopRun       *run,
                PwWorkshopResource  *r,
                char               **out_arn,
                GError             **error)
{
  const KindInfo *info = kind_info (pw_workshop_resource_get_kind (r));
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
      if (is_gone_error (*error))
        {
          g_clear_error (error);
          return TRUE;
        }
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);
      const char *arn = str_member (item, info->arn_member);

      if (item == NULL || arn == NULL)
        continue;
      if (info->name_member != NULL
          ? g_strcmp0 (str_member (item, info->name_member), pw_workshop_resource_get_name (r)) == 0
          : !arn_in_state (run, arn))
        {
          *out_arn = g_strdup (arn);
          return TRUE;
        }
    }
  return TRUE;
}

typedef struct
{
  PwResourceKind  kind;
  const char     *name;
  const char     *detail;
  const char     *recipe;
  const char     *parent;
  gint            generation;   /* -1: reused across generations */
  JsonObject     *input;        /* the create's input, without the name */
  gboolean        role_first_use;
} Want;

static gboolean
call_create (PwWorkshopRun       *run,
             const KindInfo      *info,
             const Want          *want,
             PwWorkshopResource  *r,
             GError             **error)
{
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) local_error = NULL;
  guint delay = first_delay (run);
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
          progress (run, -1, _("Waiting for the new IAM role to be usable"));
          if (!pw_workshop_run_sleep (run, delay, error))
            return FALSE;
          delay = next_delay (run, delay);
          continue;
        }
      if (pw_aws_error_has_code (local_error, "ResourceAlreadyExistsException"))
        {
          g_autofree char *arn = NULL;

          if (!lookup_by_name (run, r, &arn, error))
            return FALSE;
          if (arn != NULL)
            return record_arn (run, r, arn, PW_RESOURCE_STATUS_CREATING, error);
        }
      if (pw_aws_error_has_code (local_error, "LimitExceededException"))
        g_prefix_error (&local_error, _("An account quota is reached (an account holds 5 campaigns by "
                                        "default, for example): delete what you no longer need or ask AWS "
                                        "for a higher quota. "));
      g_prefix_error (&local_error, _("Creating the %s “%s”: "), _(info->title), pw_workshop_resource_get_name (r));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (str_member (out, info->arn_member) == NULL)
    {
      g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                   _("%s answered without %s"), info->create_op, info->arn_member);
      return FALSE;
    }
  return record_arn (run, r, str_member (out, info->arn_member),
                     info->describe_op != NULL ? PW_RESOURCE_STATUS_CREATING : PW_RESOURCE_STATUS_ACTIVE, error);
}

/* Finds the current resource @want describes, or records and creates it.
 * Does not wait. */
static PwWorkshopResource *
ensure (PwWorkshopRun  *run,
        const Want     *want,
        GError        **error)
{
  const KindInfo *info = kind_info (want->kind);
  PwWorkshopResource *r;

  g_assert (info != NULL);

  r = find (run, want->kind, want->detail, want->recipe, want->parent, want->generation);
  if (r != NULL && pw_workshop_resource_get_status (r) == PW_RESOURCE_STATUS_FAILED)
    r = NULL; /* a failed one stays for cleanup; make another */
  if (r == NULL)
    {
      PwResourceChange change = PW_RESOURCE_CHANGE_INIT;
      g_autofree char *name = unique_name (run, want->kind, want->name);

      change.detail = want->detail;
      change.recipe = want->recipe;
      change.parent_arn = want->parent;
      progress (run, -1, _("Creating the %s “%s”"), _(info->title), name);
      if ((r = pw_workshop_run_add (run, want->kind, name, &change, error)) == NULL)
        return NULL;
    }
  if (pw_workshop_resource_get_arn (r) == NULL)
    {
      g_autofree char *arn = NULL;

      /* Recorded but maybe never created (or created just before a crash). */
      if (!lookup_by_name (run, r, &arn, error))
        return NULL;
      if (arn != NULL)
        {
          if (!record_arn (run, r, arn, info->describe_op != NULL ? PW_RESOURCE_STATUS_CREATING
                                                                  : PW_RESOURCE_STATUS_ACTIVE, error))
            return NULL;
        }
      else if (!call_create (run, info, want, r, error))
        return NULL;
    }
  return r;
}

static PwResourceStatus
map_status (const char *status)
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
static gboolean
describe (PwWorkshopRun       *run,
          PwWorkshopResource  *r,
          PwResourceStatus    *out_status,
          GError             **error)
{
  const KindInfo *info = kind_info (pw_workshop_resource_get_kind (r));
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
      if (is_gone_error (local_error))
        {
          *out_status = PW_RESOURCE_STATUS_DELETED;
          return record_status (run, r, PW_RESOURCE_STATUS_DELETED, NULL, error);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  object = obj_member (out, info->describe_member);
  status = map_status (str_member (object, "status"));
  *out_status = status;
  return record_status (run, r, status, str_member (object, "failureReason"), error);
}

/* Describe with backoff until ACTIVE; CREATE FAILED and a vanished
 * resource are errors. */
static gboolean
wait_active (PwWorkshopRun       *run,
             PwWorkshopResource  *r,
             GError             **error)
{
  const KindInfo *info = kind_info (pw_workshop_resource_get_kind (r));
  guint delay = first_delay (run);

  for (;;)
    {
      PwResourceStatus status;

      if (!describe (run, r, &status, error))
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
      progress (run, -1, _("Waiting for the %s “%s”"), _(info->title), pw_workshop_resource_get_name (r));
      if (!pw_workshop_run_sleep (run, delay, error))
        return FALSE;
      delay = next_delay (run, delay);
    }
}

/* ---------------------------------------------------------------------
 * S3 and IAM
 * --------------------------------------------------------------------- */

static gboolean
ensure_bucket (PwWorkshopRun  *run,
               char          **out_bucket,
               GError        **error)
{
  PwWorkshopResource *r = find (run, PW_RESOURCE_BUCKET, NULL, NULL, NULL, -1);
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) local_error = NULL;

  if (r == NULL)
    {
      g_autofree char *name = g_strconcat (PW_WORKSHOP_NAME_PREFIX, run->suffix, NULL);

      if ((r = pw_workshop_run_add (run, PW_RESOURCE_BUCKET, name, NULL, error)) == NULL)
        return FALSE;
    }
  *out_bucket = g_strdup (pw_workshop_resource_get_name (r));
  if (pw_workshop_resource_get_status (r) == PW_RESOURCE_STATUS_ACTIVE)
    return TRUE;

  progress (run, -1, _("Creating the S3 bucket “%s”"), *out_bucket);
  json_object_set_string_member (input, "Bucket", *out_bucket);
  out = pw_workshop_run_call (run, PW_AWS_SERVICE_S3, "CreateBucket", input, &local_error);
  if (out == NULL && !pw_aws_error_has_code (local_error, "BucketAlreadyOwnedByYou"))
    {
      if (pw_aws_error_has_code (local_error, "BucketAlreadyExists"))
        {
          g_autoptr(GError) record_error = NULL;

          /* Someone else's: forget the name so that the next run picks another. */
          record_status (run, r, PW_RESOURCE_STATUS_DELETED, local_error->message, &record_error);
        }
      g_prefix_error (&local_error, _("Creating the S3 bucket “%s”: "), *out_bucket);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return record_status (run, r, PW_RESOURCE_STATUS_ACTIVE, NULL, error);
}

static gboolean
ensure_bucket_policy (PwWorkshopRun  *run,
                      const char     *bucket,
                      GError        **error)
{
  PwWorkshopResource *r = find (run, PW_RESOURCE_BUCKET_POLICY, NULL, NULL, bucket, -1);
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(JsonObject) out = NULL;
  g_autofree char *policy = NULL;

  if (r == NULL)
    {
      PwResourceChange change = PW_RESOURCE_CHANGE_INIT;
      g_autofree char *name = g_strconcat (bucket, " policy", NULL);

      change.parent_arn = bucket;
      if ((r = pw_workshop_run_add (run, PW_RESOURCE_BUCKET_POLICY, name, &change, error)) == NULL)
        return FALSE;
    }
  if (pw_workshop_resource_get_status (r) == PW_RESOURCE_STATUS_ACTIVE)
    return TRUE;
  policy = g_strdup_printf ("{\"Version\": \"2012-10-17\", \"Id\": \"PersonalizeS3BucketAccessPolicy\", "
                            "\"Statement\": [{\"Sid\": \"PersonalizeS3BucketAccessPolicy\", \"Effect\": \"Allow\", "
                            "\"Principal\": {\"Service\": \"personalize.amazonaws.com\"}, "
                            "\"Action\": [\"s3:GetObject\", \"s3:ListBucket\"], "
                            "\"Resource\": [\"arn:aws:s3:::%s\", \"arn:aws:s3:::%s/*\"]}]}", bucket, bucket);
  json_object_set_string_member (input, "Bucket", bucket);
  json_object_set_string_member (input, "Policy", policy);
  progress (run, -1, _("Letting Amazon Personalize read the bucket “%s”"), bucket);
  out = pw_workshop_run_call (run, PW_AWS_SERVICE_S3, "PutBucketPolicy", input, error);
  if (out == NULL)
    {
      g_prefix_error (error, _("Setting the policy of the bucket “%s”: "), bucket);
      return FALSE;
    }
  return record_status (run, r, PW_RESOURCE_STATUS_ACTIVE, NULL, error);
}

static gboolean
upload (PwWorkshopRun  *run,
        const char     *bucket,
        const char     *detail,
        const char     *key,
        GError        **error)
{
  gint g = run->generation[PW_WORKSHOP_STEP_DATASET_GROUP];
  PwWorkshopResource *r = find (run, PW_RESOURCE_OBJECT, detail, NULL, bucket, g);
  PwWorkshopResource *old;
  g_autofree char *path = g_build_filename (run->output_dir, key, NULL);

  /* The same key from an earlier generation is replaced by this upload. */
  while ((old = find (run, PW_RESOURCE_OBJECT, detail, NULL, bucket, -1)) != NULL && old != r)
    {
      if (r != NULL && pw_workshop_resource_get_generation (old) == (guint) g)
        break;
      if (!record_status (run, old, PW_RESOURCE_STATUS_DELETED, _("replaced by a new upload"), error))
        return FALSE;
    }
  if (r == NULL)
    {
      PwResourceChange change = PW_RESOURCE_CHANGE_INIT;

      change.detail = detail;
      change.parent_arn = bucket;
      if ((r = pw_workshop_run_add (run, PW_RESOURCE_OBJECT, key, &change, error)) == NULL)
        return FALSE;
    }
  if (pw_workshop_resource_get_status (r) == PW_RESOURCE_STATUS_ACTIVE)
    return TRUE;
  if (!record_status (run, r, PW_RESOURCE_STATUS_CREATING, NULL, error))
    return FALSE;
  if (!pw_workshop_run_put_object (run, bucket, key, path, error))
    {
      g_prefix_error (error, _("Uploading %s to the bucket “%s”: "), path, bucket);
      return FALSE;
    }
  return record_status (run, r, PW_RESOURCE_STATUS_ACTIVE, NULL, error);
}

static gboolean
ensure_role (PwWorkshopRun  *run,
             char          **out_role_arn,
             GError        **error)
{
  PwWorkshopResource *r = find (run, PW_RESOURCE_ROLE, NULL, NULL, NULL, -1);
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *role_name;
  const char *arn;

  if (r == NULL)
    {
      g_autofree char *name = g_strconcat (PW_WORKSHOP_NAME_PREFIX, "role-", run->suffix, NULL);

      if ((r = pw_workshop_run_add (run, PW_RESOURCE_ROLE, name, NULL, error)) == NULL)
        return FALSE;
    }
  role_name = pw_workshop_resource_get_name (r);
  if (pw_workshop_resource_get_arn (r) == NULL)
    {
      progress (run, -1, _("Creating the IAM role “%s”"), role_name);
      json_object_set_string_member (input, "RoleName", role_name);
      json_object_set_string_member (input, "AssumeRolePolicyDocument", trust_policy);
      out = pw_workshop_run_call (run, PW_AWS_SERVICE_IAM, "CreateRole", input, &local_error);
      if (out == NULL && pw_aws_error_has_code (local_error, "EntityAlreadyExists"))
        {
          g_autoptr(JsonObject) get = json_object_new ();

          g_clear_error (&local_error);
          json_object_set_string_member (get, "RoleName", role_name);
          out = pw_workshop_run_call (run, PW_AWS_SERVICE_IAM, "GetRole", get, &local_error);
        }
      if (out == NULL)
        {
          g_prefix_error (&local_error, _("Creating the IAM role “%s”: "), role_name);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      arn = str_member (obj_member (out, "Role"), "Arn");
      if (arn == NULL)
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE, _("CreateRole answered without Role.Arn"));
          return FALSE;
        }
      if (!record_arn (run, r, arn, PW_RESOURCE_STATUS_ACTIVE, error))
        return FALSE;
    }
  *out_role_arn = g_strdup (pw_workshop_resource_get_arn (r));

  for (guint i = 0; i < G_N_ELEMENTS (role_policies); i++)
    {
      PwWorkshopResource *a = find (run, PW_RESOURCE_ROLE_POLICY_ATTACHMENT, role_policies[i], NULL,
                                    *out_role_arn, -1);
      g_autoptr(JsonObject) attach = json_object_new ();
      g_autoptr(JsonObject) attached = NULL;

      if (a == NULL)
        {
          PwResourceChange change = PW_RESOURCE_CHANGE_INIT;
          g_autofree char *name = g_strdup_printf ("%s: %s", role_name, strrchr (role_policies[i], '/') + 1);

          change.detail = role_policies[i];
          change.parent_arn = *out_role_arn;
          if ((a = pw_workshop_run_add (run, PW_RESOURCE_ROLE_POLICY_ATTACHMENT, name, &change, error)) == NULL)
            return FALSE;
        }
      if (pw_workshop_resource_get_status (a) == PW_RESOURCE_STATUS_ACTIVE)
        continue;
      json_object_set_string_member (attach, "RoleName", role_name);
      json_object_set_string_member (attach, "PolicyArn", role_policies[i]);
      attached = pw_workshop_run_call (run, PW_AWS_SERVICE_IAM, "AttachRolePolicy", attach, error);
      if (attached == NULL)
        {
          g_prefix_error (error, _("Attaching %s to the role “%s”: "), role_policies[i], role_name);
          return FALSE;
        }
      if (!record_status (run, a, PW_RESOURCE_STATUS_ACTIVE, NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------------
 * DATASET_GROUP
 * --------------------------------------------------------------------- */

static gboolean
run_dataset_group (PwWorkshopRun  *run,
                   GError        **error)
{
  g_autofree char *bucket = NULL;
  g_autofree char *role_arn = NULL;
  g_autofree char *dsg_name = g_strconcat (PW_WORKSHOP_NAME_PREFIX, "dsg-", run->suffix, NULL);
  gint g = run->generation[PW_WORKSHOP_STEP_DATASET_GROUP];
  const char *details[] = { INTERACTIONS, ITEMS };
  const char *keys[] = { INTERACTIONS_KEY, ITEMS_KEY };
  const char *schemas[] = { interactions_schema, items_schema };
  const char *words[] = { "interactions", "items" };
  const char *labels[] = { N_("interactions"), N_("items") };
  PwWorkshopResource *jobs[2];
  PwWorkshopResource *dsg;
  const char *dsg_arn;

  if (run->output_dir == NULL)
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY, _("Prepare the data first."));
      return FALSE;
    }

  progress (run, 0.0, _("Creating the S3 bucket"));
  if (!ensure_bucket (run, &bucket, error))
    return FALSE;
  if (run->backend == PW_WORKSHOP_BACKEND_AWS && !ensure_bucket_policy (run, bucket, error))
    return FALSE;
  for (guint i = 0; i < 2; i++)
    if (!upload (run, bucket, details[i], keys[i], error))
      return FALSE;
  if (run->backend == PW_WORKSHOP_BACKEND_AWS && !ensure_role (run, &role_arn, error))
    return FALSE;

  progress (run, 0.3, _("Creating the dataset group"));
  {
    g_autoptr(JsonObject) input = json_object_new ();
    Want want = { PW_RESOURCE_DATASET_GROUP, dsg_name, NULL, NULL, NULL, -1, input, FALSE };

    if ((dsg = ensure (run, &want, error)) == NULL || !wait_active (run, dsg, error))
      return FALSE;
  }
  dsg_arn = pw_workshop_resource_get_arn (dsg);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonObject) schema_input = json_object_new ();
      g_autoptr(JsonObject) dataset_input = json_object_new ();
      g_autofree char *schema_name = g_strdup_printf ("%s%s-schema-%s", PW_WORKSHOP_NAME_PREFIX, words[i], run->suffix);
      g_autofree char *dataset_name = g_strdup_printf ("%s%s-%s", PW_WORKSHOP_NAME_PREFIX, words[i], run->suffix);
      Want want_schema = { PW_RESOURCE_SCHEMA, schema_name, details[i], NULL, NULL, -1, schema_input, FALSE };
      Want want_dataset = { PW_RESOURCE_DATASET, dataset_name, details[i], NULL, dsg_arn, -1, dataset_input, FALSE };
      PwWorkshopResource *schema, *dataset;

      json_object_set_string_member (schema_input, "schema", schemas[i]);
      progress (run, 0.35 + 0.1 * i, _("Creating the %s schema and dataset"), _(labels[i]));
      if ((schema = ensure (run, &want_schema, error)) == NULL || !wait_active (run, schema, error))
        return FALSE;
      json_object_set_string_member (dataset_input, "schemaArn", pw_workshop_resource_get_arn (schema));
      json_object_set_string_member (dataset_input, "datasetGroupArn", dsg_arn);
      json_object_set_string_member (dataset_input, "datasetType", details[i]);
      if ((dataset = ensure (run, &want_dataset, error)) == NULL || !wait_active (run, dataset, error))
        return FALSE;
    }

  /* Both imports run at once; each is waited for by its own ARN. */
  for (guint i = 0; i < 2; i++)
    {
      PwWorkshopResource *dataset = find (run, PW_RESOURCE_DATASET, details[i], NULL, dsg_arn, -1);
      g_autoptr(JsonObject) input = json_object_new ();
      JsonObject *source = json_object_new ();
      g_autofree char *location = g_strdup_printf ("s3://%s/%s", bucket, keys[i]);
      g_autofree char *job_name = g_strdup_printf ("%s%s-import-%s-%d", PW_WORKSHOP_NAME_PREFIX, words[i],
                                                   run->suffix, g + 1);
      Want want = { PW_RESOURCE_IMPORT_JOB, job_name, details[i], NULL, NULL, g, input, TRUE };

      g_assert (dataset != NULL);
      want.parent = pw_workshop_resource_get_arn (dataset);
      json_object_set_string_member (source, "dataLocation", location);
      json_object_set_string_member (input, "datasetArn", want.parent);
      json_object_set_object_member (input, "dataSource", source);
      if (role_arn != NULL)
        json_object_set_string_member (input, "roleArn", role_arn);
      progress (run, 0.55, _("Importing the %s"), _(labels[i]));
      if ((jobs[i] = ensure (run, &want, error)) == NULL)
        return FALSE;
    }
  for (guint i = 0; i < 2; i++)
    {
      progress (run, 0.6 + 0.2 * i, _("Importing the %s"), _(labels[i]));
      if (!wait_active (run, jobs[i], error))
        return FALSE;
    }
  progress (run, 1.0, _("The dataset group is ready"));
  return TRUE;
}

/* ---------------------------------------------------------------------
 * TRAINING
 * --------------------------------------------------------------------- */

static gboolean
run_training (PwWorkshopRun  *run,
              GError        **error)
{
  PwWorkshopResource *dsg = find (run, PW_RESOURCE_DATASET_GROUP, NULL, NULL, NULL, -1);
  gint g = run->generation[PW_WORKSHOP_STEP_TRAINING];
  guint n = g_strv_length (run->recipes);
  g_autoptr(GPtrArray) versions = g_ptr_array_new ();
  const PwRecipeInfo *all;
  guint n_all;

  all = pw_workshop_get_recipes (&n_all);
  if (dsg == NULL || n == 0)
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                   dsg == NULL ? _("Create the dataset group first.") : _("Choose at least one recipe."));
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      const char *recipe_arn = NULL;
      g_autoptr(JsonObject) input = json_object_new ();
      g_autofree char *name = NULL;
      Want want = { PW_RESOURCE_SOLUTION, NULL, NULL, NULL, pw_workshop_resource_get_arn (dsg), -1, input, FALSE };
      PwWorkshopResource *solution;

      for (guint k = 0; k < n_all; k++)
        if (strcmp (all[k].name, run->recipes[i]) == 0)
          recipe_arn = all[k].arn;
      g_assert (recipe_arn != NULL);
      name = g_strdup_printf ("%s%s-%s", PW_WORKSHOP_NAME_PREFIX, short_recipe (recipe_arn), run->suffix);
      want.name = name;
      want.recipe = recipe_arn;
      json_object_set_string_member (input, "datasetGroupArn", pw_workshop_resource_get_arn (dsg));
      json_object_set_string_member (input, "recipeArn", recipe_arn);
      /* AWS's default (true) retrains every 7 days and bills for it. */
      json_object_set_boolean_member (input, "performAutoTraining", FALSE);
      progress (run, 0.05 * i / n, _("Creating the solution for %s"), run->recipes[i]);
      if ((solution = ensure (run, &want, error)) == NULL)
        return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      const char *recipe_arn = NULL;
      PwWorkshopResource *solution, *version;
      g_autoptr(JsonObject) input = json_object_new ();
      g_autofree char *name = NULL;
      Want want = { PW_RESOURCE_SOLUTION_VERSION, NULL, NULL, NULL, NULL, g, input, FALSE };

      for (guint k = 0; k < n_all; k++)
        if (strcmp (all[k].name, run->recipes[i]) == 0)
          recipe_arn = all[k].arn;
      solution = find (run, PW_RESOURCE_SOLUTION, NULL, recipe_arn, pw_workshop_resource_get_arn (dsg), -1);
      g_assert (solution != NULL);
      /* A careful client waits for the solution before its version. */
      if (!wait_active (run, solution, error))
        return FALSE;
      name = g_strdup_printf ("%s version %d", pw_workshop_resource_get_name (solution), g + 1);
      want.name = name;
      want.recipe = recipe_arn;
      want.parent = pw_workshop_resource_get_arn (solution);
      json_object_set_string_member (input, "solutionArn", want.parent);
      json_object_set_string_member (input, "trainingMode", "FULL");
      progress (run, 0.05 + 0.05 * i / n, _("Starting the training of %s"), run->recipes[i]);
      if ((version = ensure (run, &want, error)) == NULL)
        return FALSE;
      g_ptr_array_add (versions, version);
    }

  for (guint i = 0; i < n; i++)
    {
      PwWorkshopResource *version = g_ptr_array_index (versions, i);
      g_autoptr(JsonObject) input = json_object_new ();
      g_autoptr(JsonObject) out = NULL;
      JsonObject *metrics;

      progress (run, 0.1 + 0.9 * i / n, _("Training %s (%u of %u)"), run->recipes[i], i + 1, n);
      if (!wait_active (run, version, error))
        return FALSE;
      json_object_set_string_member (input, "solutionVersionArn", pw_workshop_resource_get_arn (version));
      out = pw_workshop_run_call (run, PW_AWS_SERVICE_PERSONALIZE, "GetSolutionMetrics", input, error);
      if (out == NULL)
        {
          g_prefix_error (error, _("Reading the metrics of %s: "), run->recipes[i]);
          return FALSE;
        }
      if ((metrics = obj_member (out, "metrics")) == NULL)
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                       _("GetSolutionMetrics answered without metrics for %s"), run->recipes[i]);
          return FALSE;
        }
      if (!pw_workshop_run_set_metrics (run, run->recipes[i], pw_workshop_resource_get_arn (version), metrics, error))
        return FALSE;
    }
  progress (run, 1.0, _("Training is done"));
  return TRUE;
}

/* ---------------------------------------------------------------------
 * CLEANUP (also used to replace outdated campaigns)
 * --------------------------------------------------------------------- */

/* Waits until @r is no longer being created (nothing in CREATE PENDING or
 * CREATE IN_PROGRESS can be deleted). */
static gboolean
wait_settled (PwWorkshopRun       *run,
              PwWorkshopResource  *r,
              GError             **error)
{
  guint delay = first_delay (run);

  for (;;)
    {
      PwResourceStatus status;

      if (!describe (run, r, &status, error))
        return FALSE;
      if (status != PW_RESOURCE_STATUS_CREATING)
        return TRUE;
      progress (run, -1, _("Waiting for the %s “%s” to finish before deleting it"),
                _(kind_info (pw_workshop_resource_get_kind (r))->title), pw_workshop_resource_get_name (r));
      if (!pw_workshop_run_sleep (run, delay, error))
        return FALSE;
      delay = next_delay (run, delay);
    }
}

/* Deletes a Personalize resource and waits until it is gone. */
static gboolean
delete_personalize (PwWorkshopRun       *run,
                    PwWorkshopResource  *r,
                    const char          *delete_op,
                    GError             **error)
{
  const KindInfo *info = kind_info (pw_workshop_resource_get_kind (r));
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) local_error = NULL;
  guint delay = first_delay (run);

  if (pw_workshop_resource_get_arn (r) == NULL)
    {
      g_autofree char *arn = NULL;

      if (!lookup_by_name (run, r, &arn, error))
        return FALSE;
      if (arn == NULL)
        return record_status (run, r, PW_RESOURCE_STATUS_DELETED, NULL, error);
      if (!record_arn (run, r, arn, PW_RESOURCE_STATUS_CREATING, error))
        return FALSE;
    }
  if (!wait_settled (run, r, error))
    return FALSE;
  if (pw_workshop_resource_get_status (r) == PW_RESOURCE_STATUS_DELETED)
    return TRUE;

  progress (run, -1, _("Deleting the %s “%s”"), _(info->title), pw_workshop_resource_get_name (r));
  json_object_set_string_member (input, info->arn_member, pw_workshop_resource_get_arn (r));
  for (;;)
    {
      g_clear_error (&local_error);
      out = pw_workshop_run_call (run, PW_AWS_SERVICE_PERSONALIZE, delete_op, input, &local_error);
      if (out != NULL)
        break;
      if (is_gone_error (local_error))
        return record_status (run, r, PW_RESOURCE_STATUS_DELETED, NULL, error);
      /* Something it depends on is still going away: wait and try again. */
      if (pw_aws_error_has_code (local_error, "ResourceInUseException") && delay < 60000)
        {
          if (!pw_workshop_run_sleep (run, delay, error))
            return FALSE;
          delay = next_delay (run, delay) * 2;
          continue;
        }
      g_prefix_error (&local_error, _("Deleting the %s “%s”: "), _(info->title), pw_workshop_resource_get_name (r));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!record_status (run, r, PW_RESOURCE_STATUS_DELETING, NULL, error))
    return FALSE;
  if (info->describe_op == NULL)
    return record_status (run, r, PW_RESOURCE_STATUS_DELETED, NULL, error);

  delay = first_delay (run);
  for (;;)
    {
      PwResourceStatus status;

      if (!describe (run, r, &status, error))
        return FALSE;
      if (status == PW_RESOURCE_STATUS_DELETED)
        return TRUE;
      if (status != PW_RESOURCE_STATUS_DELETING &&
          !record_status (run, r, PW_RESOURCE_STATUS_DELETING, NULL, error))
        return FALSE;
      progress (run, -1, _("Waiting for the %s “%s” to be deleted"), _(info->title), pw_workshop_resource_get_name (r));
      if (!pw_workshop_run_sleep (run, delay, error))
        return FALSE;
      delay = next_delay (run, delay);
    }
}

/* Every live resource of @kind, oldest first (a snapshot). */
static GPtrArray *
live_of_kind (PwWorkshopRun  *run,
              PwResourceKind  kind)
{
  GListModel *list = pw_workshop_run_get_resources (run);
  guint n = g_list_model_get_n_items (list);
  GPtrArray *array = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (list, i);

      if (pw_workshop_resource_get_kind (r) == kind &&
          pw_workshop_resource_get_status (r) != PW_RESOURCE_STATUS_DELETED)
        g_ptr_array_add (array, r);
    }
  return array;
}

/* Marks DELETED the live resources of @kind whose parent is @parent (they
 * went with it: import jobs, solution versions). */
static gboolean
mark_children_deleted (PwWorkshopRun   *run,
                       PwResourceKind   kind,
                       const char      *parent,
                       GError         **error)
{
  g_autoptr(GPtrArray) children = live_of_kind (run, kind);

  for (guint i = 0; i < children->len; i++)
    {
      PwWorkshopResource *c = g_ptr_array_index (children, i);

      if (parent == NULL || g_strcmp0 (pw_workshop_resource_get_parent_arn (c), parent) == 0)
        if (!record_status (run, c, PW_RESOURCE_STATUS_DELETED, NULL, error))
          return FALSE;
    }
  return TRUE;
}

static gboolean
delete_campaigns_and_solutions (PwWorkshopRun  *run,
                                GError        **error)
{
  g_autoptr(GPtrArray) campaigns = live_of_kind (run, PW_RESOURCE_CAMPAIGN);
  g_autoptr(GPtrArray) solutions = live_of_kind (run, PW_RESOURCE_SOLUTION);
  g_autoptr(GPtrArray) versions = live_of_kind (run, PW_RESOURCE_SOLUTION_VERSION);

  for (guint i = 0; i < campaigns->len; i++)
    if (!delete_personalize (run, g_ptr_array_index (campaigns, i), "DeleteCampaign", error))
      return FALSE;
  /* A solution cannot be deleted while a version trains. */
  for (guint i = 0; i < versions->len; i++)
    {
      PwWorkshopResource *v = g_ptr_array_index (versions, i);

      if (pw_workshop_resource_get_arn (v) == NULL)
        {
          g_autofree char *arn = NULL;

          if (!lookup_by_name (run, v, &arn, error))
            return FALSE;
          if (arn == NULL)
            {
              if (!record_status (run, v, PW_RESOURCE_STATUS_DELETED, NULL, error))
                return FALSE;
              continue;
            }
          if (!record_arn (run, v, arn, PW_RESOURCE_STATUS_CREATING, error))
            return FALSE;
        }
      if (!wait_settled (run, v, error))
        return FALSE;
    }
  for (guint i = 0; i < solutions->len; i++)
    {
      PwWorkshopResource *s = g_ptr_array_index (solutions, i);

      if (!delete_personalize (run, s, "DeleteSolution", error) ||
          !mark_children_deleted (run, PW_RESOURCE_SOLUTION_VERSION, pw_workshop_resource_get_arn (s), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
delete_datasets (PwWorkshopRun  *run,
                 GError        **error)
{
  g_autoptr(GPtrArray) groups = live_of_kind (run, PW_RESOURCE_DATASET_GROUP);
  g_autoptr(GPtrArray) datasets = NULL;

  /* The EVENT_INTERACTIONS dataset an event tracker made is not in the
   * state: list every group's datasets and record what is missing. */
  for (guint i = 0; i < groups->len; i++)
    {
      PwWorkshopResource *g = g_ptr_array_index (groups, i);
      g_autoptr(JsonObject) input = json_object_new ();
      g_autoptr(JsonArray) list = NULL;
      g_autoptr(GError) local_error = NULL;

      if (pw_workshop_resource_get_arn (g) == NULL)
        continue;
      json_object_set_string_member (input, "datasetGroupArn", pw_workshop_resource_get_arn (g));
      list = pw_workshop_run_list_all (run, PW_AWS_SERVICE_PERSONALIZE, "ListDatasets", input, "datasets",
                                       &local_error);
      if (list == NULL)
        {
          if (is_gone_error (local_error))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      for (guint k = 0; k < json_array_get_length (list); k++)
        {
          JsonObject *item = json_array_get_object_element (list, k);
          const char *arn = str_member (item, "datasetArn");
          PwResourceChange change = PW_RESOURCE_CHANGE_INIT;

          if (arn == NULL || arn_in_state (run, arn))
            continue;
          change.arn = arn;
          change.status = PW_RESOURCE_STATUS_ACTIVE;
          change.parent_arn = pw_workshop_resource_get_arn (g);
          change.detail = str_member (item, "datasetType");
          if (pw_workshop_run_add (run, PW_RESOURCE_DATASET,
                                   str_member (item, "name") != NULL ? str_member (item, "name") : arn,
                                   &change, error) == NULL)
            return FALSE;
        }
    }

  datasets = live_of_kind (run, PW_RESOURCE_DATASET);
  for (guint i = 0; i < datasets->len; i++)
    {
      PwWorkshopResource *d = g_ptr_array_index (datasets, i);
      g_autoptr(GPtrArray) jobs = live_of_kind (run, PW_RESOURCE_IMPORT_JOB);

      /* An import in progress blocks the delete: let it finish. */
      for (guint k = 0; k < jobs->len; k++)
        {
          PwWorkshopResource *j = g_ptr_array_index (jobs, k);

          if (g_strcmp0 (pw_workshop_resource_get_parent_arn (j), pw_workshop_resource_get_arn (d)) != 0)
            continue;
          if (pw_workshop_resource_get_arn (j) == NULL)
            {
              g_autofree char *arn = NULL;

              if (!lookup_by_name (run, j, &arn, error))
                return FALSE;
              if (arn == NULL)
                {
                  if (!record_status (run, j, PW_RESOURCE_STATUS_DELETED, NULL, error))
                    return FALSE;
                  continue;
                }
              if (!record_arn (run, j, arn, PW_RESOURCE_STATUS_CREATING, error))
                return FALSE;
            }
          if (!wait_settled (run, j, error))
            return FALSE;
        }
      if (!delete_personalize (run, d, "DeleteDataset", error) ||
          !mark_children_deleted (run, PW_RESOURCE_IMPORT_JOB, pw_workshop_resource_get_arn (d), error))
        return FALSE;
    }
  /* Import jobs whose dataset was never created. */
  {
    g_autoptr(GPtrArray) jobs = live_of_kind (run, PW_RESOURCE_IMPORT_JOB);

    for (guint k = 0; k < jobs->len; k++)
      {
        PwWorkshopResource *j = g_ptr_array_index (jobs, k);

        if (!record_status (run, j, PW_RESOURCE_STATUS_DELETED, NULL, error))
          return FALSE;
      }
  }
  return TRUE;
}

static gboolean
delete_all_of (PwWorkshopRun   *run,
               PwResourceKind   kind,
               const char      *delete_op,
               GError         **error)
{
  g_autoptr(GPtrArray) all = live_of_kind (run, kind);

  for (guint i = 0; i < all->len; i++)
    if (!delete_personalize (run, g_ptr_array_index (all, i), delete_op, error))
      return FALSE;
  return TRUE;
}

static gboolean
call_gone_ok (PwWorkshopRun       *run,
              PwWorkshopResource  *r,
              PwAwsService         service,
              const char          *operation,
              JsonObject          *input,
              GError             **error)
{
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) local_error = NULL;

  out = pw_workshop_run_call (run, service, operation, input, &local_error);
  if (out == NULL && !is_gone_error (local_error))
    {
      g_prefix_error (&local_error, _("Deleting the %s “%s”: "),
                      pw_resource_kind_get_title (pw_workshop_resource_get_kind (r)), pw_workshop_resource_get_name (r));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
delete_iam (PwWorkshopRun  *run,
            GError        **error)
{
  g_autoptr(GPtrArray) attachments = live_of_kind (run, PW_RESOURCE_ROLE_POLICY_ATTACHMENT);
  g_autoptr(GPtrArray) roles = live_of_kind (run, PW_RESOURCE_ROLE);

  for (guint i = 0; i < roles->len; i++)
    {
      PwWorkshopResource *role = g_ptr_array_index (roles, i);
      g_autoptr(JsonObject) input = json_object_new ();
      g_autoptr(JsonObject) list_input = json_object_new ();
      g_autoptr(JsonObject) listed = NULL;
      g_autoptr(GError) local_error = NULL;

      /* Policies attached but not recorded (a crash right after Attach). */
      json_object_set_string_member (list_input, "RoleName", pw_workshop_resource_get_name (role));
      listed = pw_workshop_run_call (run, PW_AWS_SERVICE_IAM, "ListAttachedRolePolicies", list_input, &local_error);
      if (listed == NULL && !is_gone_error (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      for (guint k = 0; k < G_N_ELEMENTS (role_policies); k++)
        {
          g_autoptr(JsonObject) detach = json_object_new ();

          if (listed == NULL)
            break;
          progress (run, -1, _("Detaching %s from the role “%s”"), role_policies[k],
                    pw_workshop_resource_get_name (role));
          json_object_set_string_member (detach, "RoleName", pw_workshop_resource_get_name (role));
          json_object_set_string_member (detach, "PolicyArn", role_policies[k]);
          if (!call_gone_ok (run, role, PW_AWS_SERVICE_IAM, "DetachRolePolicy", detach, error))
            return FALSE;
        }
      for (guint k = 0; k < attachments->len; k++)
        {
          PwWorkshopResource *a = g_ptr_array_index (attachments, k);

          if (g_strcmp0 (pw_workshop_resource_get_parent_arn (a), pw_workshop_resource_get_arn (role)) == 0 ||
              pw_workshop_resource_get_arn (role) == NULL)
            if (!record_status (run, a, PW_RESOURCE_STATUS_DELETED, NULL, error))
              return FALSE;
        }
      progress (run, -1, _("Deleting the IAM role “%s”"), pw_workshop_resource_get_name (role));
      json_object_set_string_member (input, "RoleName", pw_workshop_resource_get_name (role));
      if (!call_gone_ok (run, role, PW_AWS_SERVICE_IAM, "DeleteRole", input, error) ||
          !record_status (run, role, PW_RESOURCE_STATUS_DELETED, NULL, error))
        return FALSE;
    }
  return mark_children_deleted (run, PW_RESOURCE_ROLE_POLICY_ATTACHMENT, NULL, error);
}

static gboolean
delete_s3 (PwWorkshopRun  *run,
           GError        **error)
{
  g_autoptr(GPtrArray) buckets = live_of_kind (run, PW_RESOURCE_BUCKET);
  g_autoptr(GPtrArray) objects = live_of_kind (run, PW_RESOURCE_OBJECT);

  for (guint i = 0; i < buckets->len; i++)
    {
      PwWorkshopResource *b = g_ptr_array_index (buckets, i);
      const char *bucket = pw_workshop_resource_get_name (b);
      g_autoptr(JsonObject) list_input = json_object_new ();
      g_autoptr(JsonArray) listed = NULL;
      g_autoptr(JsonObject) input = json_object_new ();
      g_autoptr(GError) local_error = NULL;

      /* Everything in the bucket is the workshop's: it made the bucket. */
      json_object_set_string_member (list_input, "Bucket", bucket);
      listed = pw_workshop_run_list_all (run, PW_AWS_SERVICE_S3, "ListObjectsV2", list_input, "Contents",
                                         &local_error);
      if (listed == NULL && !is_gone_error (local_error))
        {
          g_prefix_error (&local_error, _("Listing the bucket “%s”: "), bucket);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      for (guint k = 0; listed != NULL && k < json_array_get_length (listed); k++)
        {
          const char *key = str_member (json_array_get_object_element (listed, k), "Key");
          g_autoptr(JsonObject) del = json_object_new ();

          if (key == NULL)
            continue;
          progress (run, -1, _("Deleting s3://%s/%s"), bucket, key);
          json_object_set_string_member (del, "Bucket", bucket);
          json_object_set_string_member (del, "Key", key);
          if (!call_gone_ok (run, b, PW_AWS_SERVICE_S3, "DeleteObject", del, error))
            return FALSE;
        }
      for (guint k = 0; k < objects->len; k++)
        {
          PwWorkshopResource *o = g_ptr_array_index (objects, k);

          if (g_strcmp0 (pw_workshop_resource_get_parent_arn (o), bucket) == 0 &&
              !record_status (run, o, PW_RESOURCE_STATUS_DELETED, NULL, error))
            return FALSE;
        }
      progress (run, -1, _("Deleting the S3 bucket “%s”"), bucket);
      json_object_set_string_member (input, "Bucket", bucket);
      if (!call_gone_ok (run, b, PW_AWS_SERVICE_S3, "DeleteBucket", input, error) ||
          !record_status (run, b, PW_RESOURCE_STATUS_DELETED, NULL, error))
        return FALSE;
    }
  /* The bucket policy went with its bucket; objects of no bucket were never uploaded. */
  return mark_children_deleted (run, PW_RESOURCE_BUCKET_POLICY, NULL, error) &&
         mark_children_deleted (run, PW_RESOURCE_OBJECT, NULL, error);
}

static gboolean
run_cleanup (PwWorkshopRun  *run,
             GError        **error)
{
  progress (run, 0.0, _("Deleting the campaigns and solutions"));
  if (!delete_campaigns_and_solutions (run, error))
    return FALSE;
  progress (run, 0.3, _("Deleting the event trackers"));
  if (!delete_all_of (run, PW_RESOURCE_EVENT_TRACKER, "DeleteEventTracker", error))
    return FALSE;
  progress (run, 0.4, _("Deleting the datasets"));
  if (!delete_datasets (run, error))
    return FALSE;
  progress (run, 0.6, _("Deleting the schemas and the dataset group"));
  if (!delete_all_of (run, PW_RESOURCE_SCHEMA, "DeleteSchema", error) ||
      !delete_all_of (run, PW_RESOURCE_DATASET_GROUP, "DeleteDatasetGroup", error))
    return FALSE;
  /* Batch jobs cannot be deleted; they went with the dataset group. */
  if (!mark_children_deleted (run, PW_RESOURCE_BATCH_JOB, NULL, error))
    return FALSE;
  progress (run, 0.8, _("Deleting the IAM role"));
  if (!delete_iam (run, error))
    return FALSE;
  progress (run, 0.9, _("Deleting the S3 objects and bucket"));
  if (!delete_s3 (run, error))
    return FALSE;
  progress (run, 1.0, _("Everything is deleted"));
  return TRUE;
}

/* ---------------------------------------------------------------------
 * CAMPAIGNS
 * --------------------------------------------------------------------- */

static gboolean
run_campaigns (PwWorkshopRun  *run,
               GError        **error)
{
  const char *recipes[] = { "arn:aws:personalize:::recipe/aws-user-personalization",
                            "arn:aws:personalize:::recipe/aws-similar-items" };
  gint gt = run->generation[PW_WORKSHOP_STEP_TRAINING];
  gint gc = run->generation[PW_WORKSHOP_STEP_CAMPAIGNS];
  PwWorkshopResource *dsg = find (run, PW_RESOURCE_DATASET_GROUP, NULL, NULL, NULL, -1);
  PwWorkshopResource *campaigns[2];

  for (guint i = 0; i < G_N_ELEMENTS (recipes); i++)
    {
      PwWorkshopResource *solution, *version, *campaign;
      g_autoptr(GPtrArray) existing = live_of_kind (run, PW_RESOURCE_CAMPAIGN);
      g_autoptr(JsonObject) input = json_object_new ();
      g_autofree char *name = NULL;
      Want want = { PW_RESOURCE_CAMPAIGN, NULL, NULL, recipes[i], NULL, gc, input, FALSE };

      solution = dsg != NULL ? find (run, PW_RESOURCE_SOLUTION, NULL, recipes[i], pw_workshop_resource_get_arn (dsg), -1)
                             : NULL;
      version = solution != NULL ? find (run, PW_RESOURCE_SOLUTION_VERSION, NULL, NULL,
                                         pw_workshop_resource_get_arn (solution), gt) : NULL;
      if (version == NULL || pw_workshop_resource_get_status (version) != PW_RESOURCE_STATUS_ACTIVE)
        {
          g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                       _("Train %s first."), short_recipe (recipes[i]));
          return FALSE;
        }
      /* A campaign of an older version or setting goes first: campaigns bill while they exist. */
      campaign = find (run, PW_RESOURCE_CAMPAIGN, NULL, recipes[i], pw_workshop_resource_get_arn (version), gc);
      for (guint k = 0; k < existing->len; k++)
        {
          PwWorkshopResource *c = g_ptr_array_index (existing, k);

          if (c != campaign && g_strcmp0 (pw_workshop_resource_get_recipe (c), recipes[i]) == 0 &&
              !delete_personalize (run, c, "DeleteCampaign", error))
            return FALSE;
        }

      name = g_strdup_printf ("%s%s-campaign-%s", PW_WORKSHOP_NAME_PREFIX, short_recipe (recipes[i]), run->suffix);
      want.name = name;
      want.parent = pw_workshop_resource_get_arn (version);
      json_object_set_string_member (input, "solutionVersionArn", want.parent);
      json_object_set_int_member (input, "minProvisionedTPS", 1);
      if (i == 0)
        {
          JsonObject *config = json_object_new ();
          JsonObject *exploration = json_object_new ();
          g_autofree char *weight = g_strdup_printf ("%.2f", run->exploration_weight);

          json_object_set_string_member (exploration, "explorationWeight", weight);
          json_object_set_string_member (exploration, "explorationItemAgeCutOff", "30");
          json_object_set_object_member (config, "itemExplorationConfig", exploration);
          json_object_set_object_member (input, "campaignConfig", config);
        }
      progress (run, 0.1 + 0.4 * i, _("Creating the campaign for %s"), short_recipe (recipes[i]));
      if ((campaigns[i] = ensure (run, &want, error)) == NULL)
        return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (recipes); i++)
    {
      progress (run, 0.5 + 0.25 * i, _("Deploying the campaign for %s"), short_recipe (recipes[i]));
      if (!wait_active (run, campaigns[i], error))
        return FALSE;
    }
  progress (run, 1.0, _("The campaigns are ready"));
  return TRUE;
}

/* ---------------------------------------------------------------------
 * For the results steps (pw-workshop-private.h)
 * --------------------------------------------------------------------- */

PwWorkshopResource *
pw_workshop_steps_find (PwWorkshopRun  *run,
                        PwResourceKind  kind,
                        const char     *detail,
                        const char     *recipe,
                        const char     *parent,
                        gint            generation)
{
  return find (run, kind, detail, recipe, parent, generation);
}

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
  Want want = { kind, name, detail, recipe, parent, generation, input, FALSE };
  PwWorkshopResource *r = ensure (run, &want, error);

  if (r == NULL || !wait_active (run, r, error))
    return NULL;
  return r;
}

gboolean
pw_workshop_steps_wait_active (PwWorkshopRun       *run,
                               PwWorkshopResource  *resource,
                               GError             **error)
{
  return wait_active (run, resource, error);
}

gboolean
pw_workshop_steps_record_status (PwWorkshopRun       *run,
                                 PwWorkshopResource  *resource,
                                 PwResourceStatus     status,
                                 GError             **error)
{
  return record_status (run, resource, status, NULL, error);
}

const char *
pw_workshop_steps_role_arn (PwWorkshopRun *run)
{
  PwWorkshopResource *role;

  if (run->backend != PW_WORKSHOP_BACKEND_AWS)
    return NULL;
  role = find (run, PW_RESOURCE_ROLE, NULL, NULL, NULL, -1);
  return role != NULL ? pw_workshop_resource_get_arn (role) : NULL;
}

guint
pw_workshop_steps_first_delay (PwWorkshopRun *run)
{
  return first_delay (run);
}

guint
pw_workshop_steps_next_delay (PwWorkshopRun *run,
                              guint          delay)
{
  return next_delay (run, delay);
}

gboolean
pw_workshop_steps_is_gone_error (const GError *error)
{
  return is_gone_error (error);
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
      return run_dataset_group (run, error);
    case PW_WORKSHOP_STEP_TRAINING:
      return run_training (run, error);
    case PW_WORKSHOP_STEP_CAMPAIGNS:
      return run_campaigns (run, error);
    case PW_WORKSHOP_STEP_CLEANUP:
      return run_cleanup (run, error);
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

/* ---------------------------------------------------------------------
 * Leftovers
 * --------------------------------------------------------------------- */

static gboolean
add_leftovers (PwWorkshopRun  *run,
               GListStore     *store,
               PwResourceKind  kind,
               JsonObject     *input,
               const char     *parent,
               GError        **error)
{
  const KindInfo *info = kind_info (kind);
  g_autoptr(JsonArray) list = NULL;
  g_autoptr(GError) local_error = NULL;

  list = pw_workshop_run_list_all (run, PW_AWS_SERVICE_PERSONALIZE, info->list_op, input, info->list_member,
                                   &local_error);
  if (list == NULL)
    {
      if (is_gone_error (local_error))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);
      const char *name = str_member (item, "name");
      const char *arn = str_member (item, info->arn_member);
      g_autoptr(PwWorkshopResource) r = NULL;
      g_autoptr(GDateTime) created = NULL;
      JsonNode *date;

      if (name == NULL || arn == NULL)
        continue;
      /* Everything inside a workshop dataset group is the workshop's,
       * whatever its name (e.g. the tracker's EVENT_INTERACTIONS). */
      if (parent == NULL && !g_str_has_prefix (name, PW_WORKSHOP_NAME_PREFIX))
        continue;
      date = json_object_get_member (item, "creationDateTime");
      if (date != NULL && JSON_NODE_HOLDS_VALUE (date) &&
          (json_node_get_value_type (date) == G_TYPE_DOUBLE || json_node_get_value_type (date) == G_TYPE_INT64))
        created = g_date_time_new_from_unix_utc ((gint64) json_node_get_double (date));
      r = pw_workshop_resource_new (kind, name, run->region, run->backend, created);
      pw_workshop_resource_set_arn (r, arn);
      pw_workshop_resource_set_status (r, map_status (str_member (item, "status")) == PW_RESOURCE_STATUS_CREATING &&
                                          str_member (item, "status") == NULL
                                          ? PW_RESOURCE_STATUS_ACTIVE : map_status (str_member (item, "status")));
      if (parent != NULL)
        pw_workshop_resource_set_parent_arn (r, parent);
      g_list_store_append (store, r);
    }
  return TRUE;
}

gboolean pw_workshop_steps_find_leftovers (PwWorkshopRun  *run,
                                           GListStore     *store,
                                           GError        **error);

gboolean
pw_workshop_steps_find_leftovers (PwWorkshopRun  *run,
                                  GListStore     *store,
                                  GError        **error)
{
  g_autoptr(JsonObject) none = json_object_new ();
  guint n;

  /* No progress here: a step may be running and owns the progress. */
  if (!add_leftovers (run, store, PW_RESOURCE_DATASET_GROUP, none, NULL, error) ||
      !add_leftovers (run, store, PW_RESOURCE_SCHEMA, none, NULL, error) ||
      !add_leftovers (run, store, PW_RESOURCE_CAMPAIGN, none, NULL, error))
    return FALSE;

  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PwWorkshopResource) g = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autoptr(JsonObject) input = json_object_new ();

      if (pw_workshop_resource_get_kind (g) != PW_RESOURCE_DATASET_GROUP)
        continue;
      json_object_set_string_member (input, "datasetGroupArn", pw_workshop_resource_get_arn (g));
      if (!add_leftovers (run, store, PW_RESOURCE_DATASET, input, pw_workshop_resource_get_arn (g), error) ||
          !add_leftovers (run, store, PW_RESOURCE_SOLUTION, input, pw_workshop_resource_get_arn (g), error) ||
          !add_leftovers (run, store, PW_RESOURCE_EVENT_TRACKER, input, pw_workshop_resource_get_arn (g), error))
        return FALSE;
    }
  return TRUE;
}
