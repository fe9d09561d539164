/* pw-workshop-steps-cleanup.c: the Cleanup step (worker side): deletes every
 * live resource in dependency order (campaigns and trackers, solutions,
 * datasets, the dataset group, then IAM and S3) and waits until each is
 * gone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-workshop"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "pw-aws-error.h"
#include "pw-workshop-private.h"

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
  guint delay = pw_workshop_steps_first_delay (run);

  for (;;)
    {
      PwResourceStatus status;

      if (!pw_workshop_steps_describe (run, r, &status, error))
        return FALSE;
      if (status != PW_RESOURCE_STATUS_CREATING)
        return TRUE;
      pw_workshop_steps_progress (run, -1, _("Waiting for the %s “%s” to finish before deleting it"),
                                  _(pw_workshop_steps_kind_info (pw_workshop_resource_get_kind (r))->title),
                                  pw_workshop_resource_get_name (r));
      if (!pw_workshop_run_sleep (run, delay, error))
        return FALSE;
      delay = pw_workshop_steps_next_delay (run, delay);
    }
}

/* The same for a resource whose ARN may not be recorded (created just
 * before a crash): its ARN is looked up by name first, and if the service
 * has none it was never made (DELETED). */
static gboolean
find_and_wait_settled (PwWorkshopRun       *run,
                       PwWorkshopResource  *r,
                       GError             **error)
{
  if (pw_workshop_resource_get_arn (r) == NULL)
    {
      g_autofree char *arn = NULL;

      if (!pw_workshop_steps_lookup_by_name (run, r, &arn, error))
        return FALSE;
      if (arn == NULL)
        return pw_workshop_steps_record_status (run, r, PW_RESOURCE_STATUS_DELETED, NULL, error);
      if (!pw_workshop_steps_record_arn (run, r, arn, PW_RESOURCE_STATUS_CREATING, error))
        return FALSE;
    }
  return wait_settled (run, r, error);
}

gboolean
pw_workshop_steps_delete_personalize (PwWorkshopRun       *run,
                                      PwWorkshopResource  *r,
                                      const char          *delete_op,
                                      GError             **error)
{
  const PwWorkshopKindInfo *info = pw_workshop_steps_kind_info (pw_workshop_resource_get_kind (r));
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) local_error = NULL;
  guint delay = pw_workshop_steps_first_delay (run);

  if (!find_and_wait_settled (run, r, error))
    return FALSE;
  if (pw_workshop_resource_get_status (r) == PW_RESOURCE_STATUS_DELETED)
    return TRUE;

  pw_workshop_steps_progress (run, -1, _("Deleting the %s “%s”"), _(info->title), pw_workshop_resource_get_name (r));
  json_object_set_string_member (input, info->arn_member, pw_workshop_resource_get_arn (r));
  for (;;)
    {
      g_clear_error (&local_error);
      out = pw_workshop_run_call (run, PW_AWS_SERVICE_PERSONALIZE, delete_op, input, &local_error);
      if (out != NULL)
        break;
      if (pw_workshop_steps_is_gone_error (local_error))
        return pw_workshop_steps_record_status (run, r, PW_RESOURCE_STATUS_DELETED, NULL, error);
      /* Something it depends on is still going away: wait and try again. */
      if (pw_aws_error_has_code (local_error, "ResourceInUseException") && delay < 60000)
        {
          if (!pw_workshop_run_sleep (run, delay, error))
            return FALSE;
          delay = pw_workshop_steps_next_delay (run, delay) * 2;
          continue;
        }
      g_prefix_error (&local_error, _("Deleting the %s “%s”: "), _(info->title), pw_workshop_resource_get_name (r));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!pw_workshop_steps_record_status (run, r, PW_RESOURCE_STATUS_DELETING, NULL, error))
    return FALSE;
  if (info->describe_op == NULL)
    return pw_workshop_steps_record_status (run, r, PW_RESOURCE_STATUS_DELETED, NULL, error);

  delay = pw_workshop_steps_first_delay (run);
  for (;;)
    {
      PwResourceStatus status;

      if (!pw_workshop_steps_describe (run, r, &status, error))
        return FALSE;
      if (status == PW_RESOURCE_STATUS_DELETED)
        return TRUE;
      if (status != PW_RESOURCE_STATUS_DELETING &&
          !pw_workshop_steps_record_status (run, r, PW_RESOURCE_STATUS_DELETING, NULL, error))
        return FALSE;
      pw_workshop_steps_progress (run, -1, _("Waiting for the %s “%s” to be deleted"), _(info->title),
                                  pw_workshop_resource_get_name (r));
      if (!pw_workshop_run_sleep (run, delay, error))
        return FALSE;
      delay = pw_workshop_steps_next_delay (run, delay);
    }
}

/* Every live resource of @kind, oldest first (a snapshot). */
GPtrArray *
pw_workshop_steps_live_of_kind (PwWorkshopRun  *run,
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
  g_autoptr(GPtrArray) children = pw_workshop_steps_live_of_kind (run, kind);

  for (guint i = 0; i < children->len; i++)
    {
      PwWorkshopResource *c = g_ptr_array_index (children, i);

      if (parent == NULL || g_strcmp0 (pw_workshop_resource_get_parent_arn (c), parent) == 0)
        if (!pw_workshop_steps_record_status (run, c, PW_RESOURCE_STATUS_DELETED, NULL, error))
          return FALSE;
    }
  return TRUE;
}

static gboolean
delete_campaigns_and_solutions (PwWorkshopRun  *run,
                                GError        **error)
{
  g_autoptr(GPtrArray) campaigns = pw_workshop_steps_live_of_kind (run, PW_RESOURCE_CAMPAIGN);
  g_autoptr(GPtrArray) solutions = pw_workshop_steps_live_of_kind (run, PW_RESOURCE_SOLUTION);
  g_autoptr(GPtrArray) versions = pw_workshop_steps_live_of_kind (run, PW_RESOURCE_SOLUTION_VERSION);

  for (guint i = 0; i < campaigns->len; i++)
    if (!pw_workshop_steps_delete_personalize (run, g_ptr_array_index (campaigns, i), "DeleteCampaign", error))
      return FALSE;
  /* A solution cannot be deleted while a version trains. */
  for (guint i = 0; i < versions->len; i++)
    if (!find_and_wait_settled (run, g_ptr_array_index (versions, i), error))
      return FALSE;
  for (guint i = 0; i < solutions->len; i++)
    {
      PwWorkshopResource *s = g_ptr_array_index (solutions, i);

      if (!pw_workshop_steps_delete_personalize (run, s, "DeleteSolution", error) ||
          !mark_children_deleted (run, PW_RESOURCE_SOLUTION_VERSION, pw_workshop_resource_get_arn (s), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
delete_datasets (PwWorkshopRun  *run,
                 GError        **error)
{
  g_autoptr(GPtrArray) groups = pw_workshop_steps_live_of_kind (run, PW_RESOURCE_DATASET_GROUP);
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
          if (pw_workshop_steps_is_gone_error (local_error))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      for (guint k = 0; k < json_array_get_length (list); k++)
        {
          JsonObject *item = json_array_get_object_element (list, k);
          const char *arn = pw_workshop_json_get_string (item, "datasetArn");
          const char *name = pw_workshop_json_get_string (item, "name");
          PwResourceChange change = PW_RESOURCE_CHANGE_INIT;

          if (arn == NULL || pw_workshop_steps_arn_in_state (run, arn))
            continue;
          change.arn = arn;
          change.status = PW_RESOURCE_STATUS_ACTIVE;
          change.parent_arn = pw_workshop_resource_get_arn (g);
          change.detail = pw_workshop_json_get_string (item, "datasetType");
          if (pw_workshop_run_add (run, PW_RESOURCE_DATASET, name != NULL ? name : arn, &change, error) == NULL)
            return FALSE;
        }
    }

  datasets = pw_workshop_steps_live_of_kind (run, PW_RESOURCE_DATASET);
  for (guint i = 0; i < datasets->len; i++)
    {
      PwWorkshopResource *d = g_ptr_array_index (datasets, i);
      g_autoptr(GPtrArray) jobs = pw_workshop_steps_live_of_kind (run, PW_RESOURCE_IMPORT_JOB);

      /* An import in progress blocks the delete: let it finish. */
      for (guint k = 0; k < jobs->len; k++)
        {
          PwWorkshopResource *j = g_ptr_array_index (jobs, k);

          if (g_strcmp0 (pw_workshop_resource_get_parent_arn (j), pw_workshop_resource_get_arn (d)) != 0)
            continue;
          if (!find_and_wait_settled (run, j, error))
            return FALSE;
        }
      if (!pw_workshop_steps_delete_personalize (run, d, "DeleteDataset", error) ||
          !mark_children_deleted (run, PW_RESOURCE_IMPORT_JOB, pw_workshop_resource_get_arn (d), error))
        return FALSE;
    }
  /* Import jobs whose dataset was never created. */
  {
    g_autoptr(GPtrArray) jobs = pw_workshop_steps_live_of_kind (run, PW_RESOURCE_IMPORT_JOB);

    for (guint k = 0; k < jobs->len; k++)
      {
        PwWorkshopResource *j = g_ptr_array_index (jobs, k);

        if (!pw_workshop_steps_record_status (run, j, PW_RESOURCE_STATUS_DELETED, NULL, error))
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
  g_autoptr(GPtrArray) all = pw_workshop_steps_live_of_kind (run, kind);

  for (guint i = 0; i < all->len; i++)
    if (!pw_workshop_steps_delete_personalize (run, g_ptr_array_index (all, i), delete_op, error))
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
  if (out == NULL && !pw_workshop_steps_is_gone_error (local_error))
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
  g_autoptr(GPtrArray) attachments = pw_workshop_steps_live_of_kind (run, PW_RESOURCE_ROLE_POLICY_ATTACHMENT);
  g_autoptr(GPtrArray) roles = pw_workshop_steps_live_of_kind (run, PW_RESOURCE_ROLE);

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
      if (listed == NULL && !pw_workshop_steps_is_gone_error (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      for (guint k = 0; k < G_N_ELEMENTS (pw_workshop_role_policies); k++)
        {
          g_autoptr(JsonObject) detach = json_object_new ();

          if (listed == NULL)
            break;
          pw_workshop_steps_progress (run, -1, _("Detaching %s from the role “%s”"), pw_workshop_role_policies[k],
                                      pw_workshop_resource_get_name (role));
          json_object_set_string_member (detach, "RoleName", pw_workshop_resource_get_name (role));
          json_object_set_string_member (detach, "PolicyArn", pw_workshop_role_policies[k]);
          if (!call_gone_ok (run, role, PW_AWS_SERVICE_IAM, "DetachRolePolicy", detach, error))
            return FALSE;
        }
      for (guint k = 0; k < attachments->len; k++)
        {
          PwWorkshopResource *a = g_ptr_array_index (attachments, k);

          if (g_strcmp0 (pw_workshop_resource_get_parent_arn (a), pw_workshop_resource_get_arn (role)) == 0 ||
              pw_workshop_resource_get_arn (role) == NULL)
            if (!pw_workshop_steps_record_status (run, a, PW_RESOURCE_STATUS_DELETED, NULL, error))
              return FALSE;
        }
      pw_workshop_steps_progress (run, -1, _("Deleting the IAM role “%s”"), pw_workshop_resource_get_name (role));
      json_object_set_string_member (input, "RoleName", pw_workshop_resource_get_name (role));
      if (!call_gone_ok (run, role, PW_AWS_SERVICE_IAM, "DeleteRole", input, error) ||
          !pw_workshop_steps_record_status (run, role, PW_RESOURCE_STATUS_DELETED, NULL, error))
        return FALSE;
    }
  return mark_children_deleted (run, PW_RESOURCE_ROLE_POLICY_ATTACHMENT, NULL, error);
}

static gboolean
delete_s3 (PwWorkshopRun  *run,
           GError        **error)
{
  g_autoptr(GPtrArray) buckets = pw_workshop_steps_live_of_kind (run, PW_RESOURCE_BUCKET);
  g_autoptr(GPtrArray) objects = pw_workshop_steps_live_of_kind (run, PW_RESOURCE_OBJECT);

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
      if (listed == NULL && !pw_workshop_steps_is_gone_error (local_error))
        {
          g_prefix_error (&local_error, _("Listing the bucket “%s”: "), bucket);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      for (guint k = 0; listed != NULL && k < json_array_get_length (listed); k++)
        {
          const char *key = pw_workshop_json_get_string (json_array_get_object_element (listed, k), "Key");
          g_autoptr(JsonObject) del = json_object_new ();

          if (key == NULL)
            continue;
          pw_workshop_steps_progress (run, -1, _("Deleting s3://%s/%s"), bucket, key);
          json_object_set_string_member (del, "Bucket", bucket);
          json_object_set_string_member (del, "Key", key);
          if (!call_gone_ok (run, b, PW_AWS_SERVICE_S3, "DeleteObject", del, error))
            return FALSE;
        }
      for (guint k = 0; k < objects->len; k++)
        {
          PwWorkshopResource *o = g_ptr_array_index (objects, k);

          if (g_strcmp0 (pw_workshop_resource_get_parent_arn (o), bucket) == 0 &&
              !pw_workshop_steps_record_status (run, o, PW_RESOURCE_STATUS_DELETED, NULL, error))
            return FALSE;
        }
      pw_workshop_steps_progress (run, -1, _("Deleting the S3 bucket “%s”"), bucket);
      json_object_set_string_member (input, "Bucket", bucket);
      if (!call_gone_ok (run, b, PW_AWS_SERVICE_S3, "DeleteBucket", input, error) ||
          !pw_workshop_steps_record_status (run, b, PW_RESOURCE_STATUS_DELETED, NULL, error))
        return FALSE;
    }
  /* The bucket policy went with its bucket; objects of no bucket were never uploaded. */
  return mark_children_deleted (run, PW_RESOURCE_BUCKET_POLICY, NULL, error) &&
         mark_children_deleted (run, PW_RESOURCE_OBJECT, NULL, error);
}

gboolean
pw_workshop_steps_run_cleanup (PwWorkshopRun  *run,
                               GError        **error)
{
  pw_workshop_steps_progress (run, 0.0, _("Deleting the campaigns and solutions"));
  if (!delete_campaigns_and_solutions (run, error))
    return FALSE;
  pw_workshop_steps_progress (run, 0.3, _("Deleting the event trackers"));
  if (!delete_all_of (run, PW_RESOURCE_EVENT_TRACKER, "DeleteEventTracker", error))
    return FALSE;
  pw_workshop_steps_progress (run, 0.4, _("Deleting the datasets"));
  if (!delete_datasets (run, error))
    return FALSE;
  pw_workshop_steps_progress (run, 0.6, _("Deleting the schemas and the dataset group"));
  if (!delete_all_of (run, PW_RESOURCE_SCHEMA, "DeleteSchema", error) ||
      !delete_all_of (run, PW_RESOURCE_DATASET_GROUP, "DeleteDatasetGroup", error))
    return FALSE;
  /* Batch jobs cannot be deleted; they went with the dataset group. */
  if (!mark_children_deleted (run, PW_RESOURCE_BATCH_JOB, NULL, error))
    return FALSE;
  pw_workshop_steps_progress (run, 0.8, _("Deleting the IAM role"));
  if (!delete_iam (run, error))
    return FALSE;
  pw_workshop_steps_progress (run, 0.9, _("Deleting the S3 objects and bucket"));
  if (!delete_s3 (run, error))
    return FALSE;
  pw_workshop_steps_progress (run, 1.0, _("Everything is deleted"));
  return TRUE;
}

