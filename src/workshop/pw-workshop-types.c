/* pw-workshop-types.c: the workshop's enumerations, their names and titles,
 * and the regions where Amazon Personalize exists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-workshop"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pw-workshop-types.h"

G_DEFINE_ENUM_TYPE (PwWorkshopStep, pw_workshop_step,
  G_DEFINE_ENUM_VALUE (PW_WORKSHOP_STEP_BACKEND, "backend"),
  G_DEFINE_ENUM_VALUE (PW_WORKSHOP_STEP_DATA, "data"),
  G_DEFINE_ENUM_VALUE (PW_WORKSHOP_STEP_DATASET_GROUP, "dataset-group"),
  G_DEFINE_ENUM_VALUE (PW_WORKSHOP_STEP_TRAINING, "training"),
  G_DEFINE_ENUM_VALUE (PW_WORKSHOP_STEP_CAMPAIGNS, "campaigns"),
  G_DEFINE_ENUM_VALUE (PW_WORKSHOP_STEP_LIVE_EVENTS, "live-events"),
  G_DEFINE_ENUM_VALUE (PW_WORKSHOP_STEP_BATCH, "batch"),
  G_DEFINE_ENUM_VALUE (PW_WORKSHOP_STEP_ANALYSIS, "analysis"),
  G_DEFINE_ENUM_VALUE (PW_WORKSHOP_STEP_CLEANUP, "cleanup"))

G_DEFINE_ENUM_TYPE (PwWorkshopStepState, pw_workshop_step_state,
  G_DEFINE_ENUM_VALUE (PW_WORKSHOP_STEP_STATE_NOT_BUILT, "not-built"),
  G_DEFINE_ENUM_VALUE (PW_WORKSHOP_STEP_STATE_INCOMPLETE, "incomplete"),
  G_DEFINE_ENUM_VALUE (PW_WORKSHOP_STEP_STATE_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (PW_WORKSHOP_STEP_STATE_COMPLETE, "complete"))

G_DEFINE_ENUM_TYPE (PwWorkshopBackend, pw_workshop_backend,
  G_DEFINE_ENUM_VALUE (PW_WORKSHOP_BACKEND_LOCAL, "local"),
  G_DEFINE_ENUM_VALUE (PW_WORKSHOP_BACKEND_AWS, "aws"))

G_DEFINE_ENUM_TYPE (PwResourceKind, pw_resource_kind,
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_ROLE, "role"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_ROLE_POLICY_ATTACHMENT, "role-policy-attachment"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_BUCKET, "bucket"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_BUCKET_POLICY, "bucket-policy"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_OBJECT, "object"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_DATASET_GROUP, "dataset-group"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_SCHEMA, "schema"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_DATASET, "dataset"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_IMPORT_JOB, "import-job"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_SOLUTION, "solution"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_SOLUTION_VERSION, "solution-version"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_CAMPAIGN, "campaign"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_EVENT_TRACKER, "event-tracker"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_BATCH_JOB, "batch-job"))

G_DEFINE_ENUM_TYPE (PwResourceStatus, pw_resource_status,
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_STATUS_PLANNED, "planned"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_STATUS_CREATING, "creating"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_STATUS_ACTIVE, "active"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_STATUS_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_STATUS_DELETING, "deleting"),
  G_DEFINE_ENUM_VALUE (PW_RESOURCE_STATUS_DELETED, "deleted"))

/* The nicks above are the stable names; one pair of helpers serves all. */
static const char *
enum_to_string (GType type,
                int   value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  g_type_class_unref (klass); /* static types: the class stays */
  return v != NULL ? v->value_nick : NULL;
}

static gboolean
enum_from_string (GType       type,
                  const char *name,
                  int        *out)
{
  GEnumClass *klass;
  GEnumValue *v;

  if (name == NULL)
    return FALSE;
  klass = g_type_class_ref (type);
  v = g_enum_get_value_by_nick (klass, name);
  g_type_class_unref (klass);
  if (v == NULL)
    return FALSE;
  *out = v->value;
  return TRUE;
}

#define ENUM_STRING_FUNCS(Type, prefix, TYPE_MACRO)                     \
  const char *                                                          \
  prefix##_to_string (Type value)                                       \
  {                                                                     \
    return enum_to_string (TYPE_MACRO, value);                          \
  }                                                                     \
  gboolean                                                              \
  prefix##_from_string (const char *name,                               \
                        Type       *out)                                \
  {                                                                     \
    int v;                                                              \
    g_return_val_if_fail (out != NULL, FALSE);                          \
    if (!enum_from_string (TYPE_MACRO, name, &v))                       \
      return FALSE;                                                     \
    *out = (Type) v;                                                    \
    return TRUE;                                                        \
  }

ENUM_STRING_FUNCS (PwWorkshopStep, pw_workshop_step, PW_TYPE_WORKSHOP_STEP)
ENUM_STRING_FUNCS (PwWorkshopBackend, pw_workshop_backend, PW_TYPE_WORKSHOP_BACKEND)
ENUM_STRING_FUNCS (PwResourceKind, pw_resource_kind, PW_TYPE_RESOURCE_KIND)
ENUM_STRING_FUNCS (PwResourceStatus, pw_resource_status, PW_TYPE_RESOURCE_STATUS)

const char *
pw_workshop_step_get_title (PwWorkshopStep step)
{
  switch (step)
    {
    case PW_WORKSHOP_STEP_BACKEND: return _("Backend & Credentials");
    case PW_WORKSHOP_STEP_DATA: return _("Data");
    case PW_WORKSHOP_STEP_DATASET_GROUP: return _("Dataset Group");
    case PW_WORKSHOP_STEP_TRAINING: return _("Training");
    case PW_WORKSHOP_STEP_CAMPAIGNS: return _("Campaigns");
    case PW_WORKSHOP_STEP_LIVE_EVENTS: return _("Live Events");
    case PW_WORKSHOP_STEP_BATCH: return _("Batch Inference");
    case PW_WORKSHOP_STEP_ANALYSIS: return _("Analysis");
    case PW_WORKSHOP_STEP_CLEANUP: return _("Cleanup");
    case PW_WORKSHOP_N_STEPS:
    default:
      return NULL;
    }
}

const char *
pw_resource_kind_get_title (PwResourceKind kind)
{
  switch (kind)
    {
    case PW_RESOURCE_ROLE: return _("IAM role");
    case PW_RESOURCE_ROLE_POLICY_ATTACHMENT: return _("Role policy");
    case PW_RESOURCE_BUCKET: return _("S3 bucket");
    case PW_RESOURCE_BUCKET_POLICY: return _("Bucket policy");
    case PW_RESOURCE_OBJECT: return _("S3 object");
    case PW_RESOURCE_DATASET_GROUP: return _("Dataset group");
    case PW_RESOURCE_SCHEMA: return _("Schema");
    case PW_RESOURCE_DATASET: return _("Dataset");
    case PW_RESOURCE_IMPORT_JOB: return _("Import job");
    case PW_RESOURCE_SOLUTION: return _("Solution");
    case PW_RESOURCE_SOLUTION_VERSION: return _("Solution version");
    case PW_RESOURCE_CAMPAIGN: return _("Campaign");
    case PW_RESOURCE_EVENT_TRACKER: return _("Event tracker");
    case PW_RESOURCE_BATCH_JOB: return _("Batch inference job");
    default:
      return NULL;
    }
}

const char *
pw_resource_status_get_title (PwResourceStatus status)
{
  switch (status)
    {
    case PW_RESOURCE_STATUS_PLANNED: return _("Planned");
    case PW_RESOURCE_STATUS_CREATING: return _("Creating");
    case PW_RESOURCE_STATUS_ACTIVE: return _("Active");
    case PW_RESOURCE_STATUS_FAILED: return _("Failed");
    case PW_RESOURCE_STATUS_DELETING: return _("Deleting");
    case PW_RESOURCE_STATUS_DELETED: return _("Deleted");
    default:
      return NULL;
    }
}

gboolean
pw_workshop_step_is_built (PwWorkshopStep step)
{
  return step < PW_WORKSHOP_N_STEPS;
}

gboolean
pw_resource_status_is_live (PwResourceStatus status)
{
  return status != PW_RESOURCE_STATUS_DELETED;
}

/* The regions of the Amazon Personalize endpoints table (AWS General
 * Reference, "Amazon Personalize endpoints and quotas"). */
static const char * const regions[] = {
  "us-east-1",
  "us-east-2",
  "us-west-2",
  "ap-south-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ca-central-1",
  "eu-central-1",
  "eu-west-1",
  NULL,
};

const char * const *
pw_workshop_get_regions (guint *n_regions)
{
  if (n_regions != NULL)
    *n_regions = G_N_ELEMENTS (regions) - 1;
  return regions;
}

gboolean
pw_workshop_region_is_valid (const char *region)
{
  if (region == NULL)
    return FALSE;
  for (guint i = 0; regions[i] != NULL; i++)
    if (strcmp (regions[i], region) == 0)
      return TRUE;
  return FALSE;
}
