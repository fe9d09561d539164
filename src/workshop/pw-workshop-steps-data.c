/* pw-workshop-steps-data.c: the Dataset group step (worker side): the S3
 * bucket and its policy, the IAM role and its policies, the uploads, then
 * the dataset group, schemas, datasets and import jobs
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

#define INTERACTIONS "INTERACTIONS"
#define ITEMS "ITEMS"
#define INTERACTIONS_KEY "training_interaction.csv"
#define ITEMS_KEY "training_item.csv"

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


/* ---------------------------------------------------------------------
 * S3 and IAM
 * --------------------------------------------------------------------- */

static gboolean
ensure_bucket (PwWorkshopRun  *run,
               char          **out_bucket,
               GError        **error)
{
  PwWorkshopResource *r = pw_workshop_steps_find (run, PW_RESOURCE_BUCKET, NULL, NULL, NULL, -1);
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

  pw_workshop_steps_progress (run, -1, _("Creating the S3 bucket “%s”"), *out_bucket);
  json_object_set_string_member (input, "Bucket", *out_bucket);
  out = pw_workshop_run_call (run, PW_AWS_SERVICE_S3, "CreateBucket", input, &local_error);
  if (out == NULL && !pw_aws_error_has_code (local_error, "BucketAlreadyOwnedByYou"))
    {
      if (pw_aws_error_has_code (local_error, "BucketAlreadyExists"))
        {
          g_autoptr(GError) record_error = NULL;

          /* Someone else's: forget the name so that the next run picks another. */
          pw_workshop_steps_record_status (run, r, PW_RESOURCE_STATUS_DELETED, local_error->message, &record_error);
        }
      g_prefix_error (&local_error, _("Creating the S3 bucket “%s”: "), *out_bucket);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return pw_workshop_steps_record_status (run, r, PW_RESOURCE_STATUS_ACTIVE, NULL, error);
}

static gboolean
ensure_bucket_policy (PwWorkshopRun  *run,
                      const char     *bucket,
                      GError        **error)
{
  PwWorkshopResource *r = pw_workshop_steps_find (run, PW_RESOURCE_BUCKET_POLICY, NULL, NULL, bucket, -1);
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
  pw_workshop_steps_progress (run, -1, _("Letting Amazon Personalize read the bucket “%s”"), bucket);
  out = pw_workshop_run_call (run, PW_AWS_SERVICE_S3, "PutBucketPolicy", input, error);
  if (out == NULL)
    {
      g_prefix_error (error, _("Setting the policy of the bucket “%s”: "), bucket);
      return FALSE;
    }
  return pw_workshop_steps_record_status (run, r, PW_RESOURCE_STATUS_ACTIVE, NULL, error);
}

static gboolean
upload (PwWorkshopRun  *run,
        const char     *bucket,
        const char     *detail,
        const char     *key,
        GError        **error)
{
  gint g = run->generation[PW_WORKSHOP_STEP_DATASET_GROUP];
  PwWorkshopResource *r = pw_workshop_steps_find (run, PW_RESOURCE_OBJECT, detail, NULL, bucket, g);
  PwWorkshopResource *old;
  g_autofree char *path = g_build_filename (run->output_dir, key, NULL);

  /* The same key from an earlier generation is replaced by this upload. */
  while ((old = pw_workshop_steps_find (run, PW_RESOURCE_OBJECT, detail, NULL, bucket, -1)) != NULL && old != r)
    {
      if (r != NULL && pw_workshop_resource_get_generation (old) == (guint) g)
        break;
      if (!pw_workshop_steps_record_status (run, old, PW_RESOURCE_STATUS_DELETED, _("replaced by a new upload"), error))
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
  if (!pw_workshop_steps_record_status (run, r, PW_RESOURCE_STATUS_CREATING, NULL, error))
    return FALSE;
  if (!pw_workshop_run_put_object (run, bucket, key, path, error))
    {
      g_prefix_error (error, _("Uploading %s to the bucket “%s”: "), path, bucket);
      return FALSE;
    }
  return pw_workshop_steps_record_status (run, r, PW_RESOURCE_STATUS_ACTIVE, NULL, error);
}

static gboolean
ensure_role (PwWorkshopRun  *run,
             char          **out_role_arn,
             GError        **error)
{
  PwWorkshopResource *r = pw_workshop_steps_find (run, PW_RESOURCE_ROLE, NULL, NULL, NULL, -1);
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
      pw_workshop_steps_progress (run, -1, _("Creating the IAM role “%s”"), role_name);
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
      arn = pw_workshop_json_get_string (pw_workshop_json_get_object (out, "Role"), "Arn");
      if (arn == NULL)
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE, _("CreateRole answered without Role.Arn"));
          return FALSE;
        }
      if (!pw_workshop_steps_record_arn (run, r, arn, PW_RESOURCE_STATUS_ACTIVE, error))
        return FALSE;
    }
  *out_role_arn = g_strdup (pw_workshop_resource_get_arn (r));

  for (guint i = 0; i < G_N_ELEMENTS (pw_workshop_role_policies); i++)
    {
      PwWorkshopResource *a = pw_workshop_steps_find (run, PW_RESOURCE_ROLE_POLICY_ATTACHMENT,
                                                      pw_workshop_role_policies[i], NULL, *out_role_arn, -1);
      g_autoptr(JsonObject) attach = json_object_new ();
      g_autoptr(JsonObject) attached = NULL;

      if (a == NULL)
        {
          PwResourceChange change = PW_RESOURCE_CHANGE_INIT;
          const char *policy = strrchr (pw_workshop_role_policies[i], '/') + 1;
          g_autofree char *name = g_strdup_printf ("%s: %s", role_name, policy);

          change.detail = pw_workshop_role_policies[i];
          change.parent_arn = *out_role_arn;
          if ((a = pw_workshop_run_add (run, PW_RESOURCE_ROLE_POLICY_ATTACHMENT, name, &change, error)) == NULL)
            return FALSE;
        }
      if (pw_workshop_resource_get_status (a) == PW_RESOURCE_STATUS_ACTIVE)
        continue;
      json_object_set_string_member (attach, "RoleName", role_name);
      json_object_set_string_member (attach, "PolicyArn", pw_workshop_role_policies[i]);
      attached = pw_workshop_run_call (run, PW_AWS_SERVICE_IAM, "AttachRolePolicy", attach, error);
      if (attached == NULL)
        {
          g_prefix_error (error, _("Attaching %s to the role “%s”: "), pw_workshop_role_policies[i], role_name);
          return FALSE;
        }
      if (!pw_workshop_steps_record_status (run, a, PW_RESOURCE_STATUS_ACTIVE, NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------------
 * DATASET_GROUP
 * --------------------------------------------------------------------- */

gboolean
pw_workshop_steps_run_dataset_group (PwWorkshopRun  *run,
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

  pw_workshop_steps_progress (run, 0.0, _("Creating the S3 bucket"));
  if (!ensure_bucket (run, &bucket, error))
    return FALSE;
  if (run->backend == PW_WORKSHOP_BACKEND_AWS && !ensure_bucket_policy (run, bucket, error))
    return FALSE;
  for (guint i = 0; i < 2; i++)
    if (!upload (run, bucket, details[i], keys[i], error))
      return FALSE;
  if (run->backend == PW_WORKSHOP_BACKEND_AWS && !ensure_role (run, &role_arn, error))
    return FALSE;

  pw_workshop_steps_progress (run, 0.3, _("Creating the dataset group"));
  {
    g_autoptr(JsonObject) input = json_object_new ();
    PwWorkshopWant want = { PW_RESOURCE_DATASET_GROUP, dsg_name, NULL, NULL, NULL, -1, input, FALSE };

    if ((dsg = pw_workshop_steps_ensure (run, &want, error)) == NULL ||
        !pw_workshop_steps_wait_active (run, dsg, error))
      return FALSE;
  }
  dsg_arn = pw_workshop_resource_get_arn (dsg);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonObject) schema_input = json_object_new ();
      g_autoptr(JsonObject) dataset_input = json_object_new ();
      g_autofree char *schema_name = g_strdup_printf ("%s%s-schema-%s", PW_WORKSHOP_NAME_PREFIX, words[i], run->suffix);
      g_autofree char *dataset_name = g_strdup_printf ("%s%s-%s", PW_WORKSHOP_NAME_PREFIX, words[i], run->suffix);
      PwWorkshopWant want_schema = { PW_RESOURCE_SCHEMA, schema_name, details[i], NULL, NULL, -1, schema_input, FALSE };
      PwWorkshopWant want_dataset = { PW_RESOURCE_DATASET, dataset_name, details[i], NULL, dsg_arn, -1, dataset_input, FALSE };
      PwWorkshopResource *schema, *dataset;

      json_object_set_string_member (schema_input, "schema", schemas[i]);
      pw_workshop_steps_progress (run, 0.35 + 0.1 * i, _("Creating the %s schema and dataset"), _(labels[i]));
      if ((schema = pw_workshop_steps_ensure (run, &want_schema, error)) == NULL ||
          !pw_workshop_steps_wait_active (run, schema, error))
        return FALSE;
      json_object_set_string_member (dataset_input, "schemaArn", pw_workshop_resource_get_arn (schema));
      json_object_set_string_member (dataset_input, "datasetGroupArn", dsg_arn);
      json_object_set_string_member (dataset_input, "datasetType", details[i]);
      if ((dataset = pw_workshop_steps_ensure (run, &want_dataset, error)) == NULL ||
          !pw_workshop_steps_wait_active (run, dataset, error))
        return FALSE;
    }

  /* Both imports run at once; each is waited for by its own ARN. */
  for (guint i = 0; i < 2; i++)
    {
      PwWorkshopResource *dataset = pw_workshop_steps_find (run, PW_RESOURCE_DATASET, details[i], NULL, dsg_arn, -1);
      g_autoptr(JsonObject) input = json_object_new ();
      JsonObject *source = json_object_new ();
      g_autofree char *location = g_strdup_printf ("s3://%s/%s", bucket, keys[i]);
      g_autofree char *job_name = g_strdup_printf ("%s%s-import-%s-%d", PW_WORKSHOP_NAME_PREFIX, words[i],
                                                   run->suffix, g + 1);
      PwWorkshopWant want = { PW_RESOURCE_IMPORT_JOB, job_name, details[i], NULL, NULL, g, input, TRUE };

      g_assert (dataset != NULL);
      want.parent = pw_workshop_resource_get_arn (dataset);
      json_object_set_string_member (source, "dataLocation", location);
      json_object_set_string_member (input, "datasetArn", want.parent);
      json_object_set_object_member (input, "dataSource", source);
      if (role_arn != NULL)
        json_object_set_string_member (input, "roleArn", role_arn);
      pw_workshop_steps_progress (run, 0.55, _("Importing the %s"), _(labels[i]));
      if ((jobs[i] = pw_workshop_steps_ensure (run, &want, error)) == NULL)
        return FALSE;
    }
  for (guint i = 0; i < 2; i++)
    {
      pw_workshop_steps_progress (run, 0.6 + 0.2 * i, _("Importing the %s"), _(labels[i]));
      if (!pw_workshop_steps_wait_active (run, jobs[i], error))
        return FALSE;
    }
  pw_workshop_steps_progress (run, 1.0, _("The dataset group is ready"));
  return TRUE;
}

