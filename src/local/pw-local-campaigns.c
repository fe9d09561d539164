/* pw-local-campaigns.c: personalize-local's control plane: campaigns and event
 * trackers
 *
 * The operations run with the store's lock held (pw-local-personalize.c
 * dispatches to them); see pw-local-personalize.c for the lifecycles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <math.h>
#include <string.h>

#include "pw-local-control-private.h"
#include "pw-local-store.h"

/* ---- campaigns ---- */

static PwLocalResource *
resolve_version (PwLocalPersonalize  *self,
                 const char          *arn,
                 GError             **error)
{
  if (g_str_has_suffix (arn, "/$LATEST"))
    {
      g_autofree char *solution_arn = g_strndup (arn, strlen (arn) - strlen ("/$LATEST"));
      GHashTableIter iter;
      gpointer value;
      PwLocalResource *latest = NULL;

      if (pw_local_lookup (self, solution_arn, PW_LOCAL_KIND_SOLUTION, error) == NULL)
        return NULL;
      g_hash_table_iter_init (&iter, self->resources);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          PwLocalResource *v = value;

          if (v->kind == PW_LOCAL_KIND_SOLUTION_VERSION && strcmp (pw_local_status (v), PW_LOCAL_STATUS_ACTIVE) == 0
              && g_strcmp0 (json_object_get_string_member (v->obj, "solutionArn"), solution_arn) == 0
              && (latest == NULL || pw_local_compare_newest_first (&v, &latest) < 0))
            latest = v;
        }
      if (latest == NULL)
        g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                     "Solution %s has no ACTIVE version yet.", solution_arn);
      return latest;
    }
  return pw_local_lookup (self, arn, PW_LOCAL_KIND_SOLUTION_VERSION, error);
}

PwLocalResource *
pw_local_resolve_active_version (PwLocalPersonalize  *self,
                                 const char          *arn,
                                 GError             **error)
{
  PwLocalResource *version = resolve_version (self, arn, error);

  if (version == NULL || !pw_local_require_active (version, "Solution version", error))
    return NULL;
  return version;
}

gboolean
pw_local_check_exploration (JsonObject  *config,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (config, "itemExplorationConfig");
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!pw_local_node_has_type (node, T_MAP))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_SERIALIZATION,
                   "itemExplorationConfig must map names to strings, e.g. {\"explorationWeight\": \"0.3\"}");
      return FALSE;
    }
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &value))
    {
      const char *text = json_node_get_string (value);
      char *end = NULL;
      double v = g_ascii_strtod (text, &end);

      if (strcmp (name, "explorationWeight") != 0 && strcmp (name, "explorationItemAgeCutOff") != 0)
        return pw_local_invalid_input (error, "Unknown itemExplorationConfig key %s: use explorationWeight or "
                                       "explorationItemAgeCutOff", name);
      if (end == text || *end != '\0')
        return pw_local_invalid_input (error, "itemExplorationConfig.%s \"%s\" is not a number", name, text);
      if (strcmp (name, "explorationWeight") == 0 && (v < 0 || v > 1))
        return pw_local_invalid_input (error, "itemExplorationConfig.explorationWeight %s must be between 0 and 1",
                                       text);
      if (strcmp (name, "explorationItemAgeCutOff") == 0 && v <= 0)
        return pw_local_invalid_input (error, "itemExplorationConfig.explorationItemAgeCutOff %s must be more than 0 "
                                       "days", text);
    }
  return TRUE;
}

/**
 * pw_local_check_tps:
 * Reads minProvisionedTPS into @tps when @in has it (at least 1); leaves
 * @tps alone when it is absent.
 */
gboolean
pw_local_check_tps (JsonObject  *in,
                    gint64      *tps,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (in, "minProvisionedTPS");
  gint64 value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  value = json_object_get_int_member (in, "minProvisionedTPS");
  if (value < 1)
    return pw_local_invalid_input (error, "1 validation error detected: Value '%" G_GINT64_FORMAT "' at "
                                   "'minProvisionedTPS' failed to satisfy constraint: Member must have value "
                                   "greater than or equal to 1", value);
  *tps = value;
  return TRUE;
}

gboolean
pw_local_op_create_campaign (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  g_autofree char *arn = NULL;
  PwLocalResource *version;
  PwLocalResource *r;
  gint64 tps = 1;

  if (!pw_local_check_name (in, "name", error) || !pw_local_check_tags (in, error))
    return FALSE;
  if (!pw_local_check_tps (in, &tps, error))
    return FALSE;
  if (json_object_has_member (in, "campaignConfig")
      && !pw_local_check_exploration (json_object_get_object_member (in, "campaignConfig"), error))
    return FALSE;
  if (!pw_local_check_arn (in, "solutionVersionArn", error)
      || (version = resolve_version (self, pw_local_get_str (in, "solutionVersionArn"), error)) == NULL
      || !pw_local_require_active (version, "Solution version", error))
    return FALSE;
  arn = pw_local_make_arn (self, PW_LOCAL_KIND_CAMPAIGN, pw_local_get_str (in, "name"));
  if (!pw_local_check_exists_not (self, arn, error))
    return FALSE;
  r = pw_local_resource_new (PW_LOCAL_KIND_CAMPAIGN, arn);
  json_object_set_string_member (r->obj, "name", pw_local_get_str (in, "name"));
  json_object_set_string_member (r->obj, "campaignArn", arn);
  json_object_set_string_member (r->obj, "solutionVersionArn", version->arn);
  json_object_set_int_member (r->obj, "minProvisionedTPS", tps);
  pw_local_copy_member (r->obj, in, "campaignConfig");
  pw_local_set_status (r, PW_LOCAL_STATUS_CREATE_PENDING);
  pw_local_copy_member (r->internal, in, "tags");
  if (pw_local_add_resource (self, r, error) == NULL)
    return FALSE;
  pw_local_queue_job (self, r, FALSE);
  pw_local_respond_string (response, "campaignArn", arn);
  return TRUE;
}

gboolean
pw_local_op_describe_campaign (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  return pw_local_op_describe (self, in, PW_LOCAL_KIND_CAMPAIGN, "campaign", response, error);
}

/* Campaigns record their version; a version's ARN is SOLUTION/HEX. */
static gboolean
campaign_of_solution (PwLocalResource *c,
                      const char *solution_arn)
{
  const char *version = json_object_get_string_member (c->obj, "solutionVersionArn");
  gsize len = strlen (solution_arn);

  return strncmp (version, solution_arn, len) == 0 && version[len] == '/' && strchr (version + len + 1, '/') == NULL;
}

gboolean
pw_local_op_list_campaigns (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "name", "campaignArn", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason", NULL };
  if (!pw_local_check_arn (in, "solutionArn", error))
    return FALSE;
  return pw_local_list_page_full (self, PW_LOCAL_KIND_CAMPAIGN, in, NULL, pw_local_get_str (in, "solutionArn"), campaign_of_solution,
                  "campaigns", fields, response, error);
}

gboolean
pw_local_op_delete_campaign (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  PwLocalResource *r;

  if (!pw_local_check_arn (in, "campaignArn", error)
      || (r = pw_local_lookup (self, pw_local_get_str (in, "campaignArn"), PW_LOCAL_KIND_CAMPAIGN, error)) == NULL
      || !pw_local_refuse_if_busy (r, error))
    return FALSE;
  return pw_local_start_delete (self, r, response, error);
}

/* ---- event trackers ---- */

gboolean
pw_local_op_create_tracker (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  g_autofree char *hex = NULL;
  g_autofree char *arn = NULL;
  g_autofree char *tracking_id = NULL;
  g_autofree char *events_arn = NULL;
  PwLocalResource *group;
  PwLocalResource *existing;
  PwLocalResource *r;

  if (!pw_local_check_name (in, "name", error) || !pw_local_check_arn (in, "datasetGroupArn", error) || !pw_local_check_tags (in, error))
    return FALSE;
  if ((group = pw_local_lookup (self, pw_local_get_str (in, "datasetGroupArn"), PW_LOCAL_KIND_DATASET_GROUP, error)) == NULL
      || !pw_local_require_usable (group, "Dataset group", error))
    return FALSE;
  if ((existing = pw_local_find_child (self, PW_LOCAL_KIND_EVENT_TRACKER, "datasetGroupArn", group->arn, FALSE)) != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_ALREADY_EXISTS,
                   "Dataset group %s already has an event tracker (%s); a group has at most one.",
                   group->arn, existing->arn);
      return FALSE;
    }
  if ((existing = pw_local_find_child (self, PW_LOCAL_KIND_EVENT_TRACKER, "name", pw_local_get_str (in, "name"), FALSE)) != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_ALREADY_EXISTS,
                   "An event tracker named %s already exists: %s.", pw_local_get_str (in, "name"), existing->arn);
      return FALSE;
    }
  do
    {
      g_free (hex);
      g_free (arn);
      hex = pw_local_random_hex8 ();
      arn = pw_local_make_arn (self, PW_LOCAL_KIND_EVENT_TRACKER, hex);
    }
  while (g_hash_table_contains (self->resources, arn));
  tracking_id = g_uuid_string_random ();
  r = pw_local_resource_new (PW_LOCAL_KIND_EVENT_TRACKER, arn);
  json_object_set_string_member (r->obj, "name", pw_local_get_str (in, "name"));
  json_object_set_string_member (r->obj, "eventTrackerArn", arn);
  json_object_set_string_member (r->obj, "accountId", PW_LOCAL_ACCOUNT_ID);
  json_object_set_string_member (r->obj, "trackingId", tracking_id);
  json_object_set_string_member (r->obj, "datasetGroupArn", group->arn);
  pw_local_set_status (r, PW_LOCAL_STATUS_CREATE_PENDING);
  pw_local_copy_member (r->internal, in, "tags");
  if (pw_local_add_resource (self, r, error) == NULL)
    return FALSE;
  pw_local_queue_job (self, r, FALSE);

  /* The EVENT_INTERACTIONS dataset the tracker records into (docs/personalize-api.md 3). */
  events_arn = g_strdup_printf ("%s:dataset/%s/EVENT_INTERACTIONS", self->prefix, pw_local_group_name_of (self, group->arn));
  if (!g_hash_table_contains (self->resources, events_arn))
    {
      PwLocalResource *interactions;
      g_autofree char *interactions_arn = g_strdup_printf ("%s:dataset/%s/INTERACTIONS", self->prefix,
                                                           pw_local_group_name_of (self, group->arn));
      PwLocalResource *d = pw_local_resource_new (PW_LOCAL_KIND_DATASET, events_arn);
      g_autofree char *name = g_strdup_printf ("%s-events", pw_local_get_str (in, "name"));

      json_object_set_string_member (d->obj, "name", name);
      json_object_set_string_member (d->obj, "datasetArn", events_arn);
      json_object_set_string_member (d->obj, "datasetGroupArn", group->arn);
      json_object_set_string_member (d->obj, "datasetType", "EVENT_INTERACTIONS");
      interactions = g_hash_table_lookup (self->resources, interactions_arn);
      if (interactions != NULL)
        pw_local_copy_member (d->obj, interactions->obj, "schemaArn");
      pw_local_set_status (d, PW_LOCAL_STATUS_CREATE_PENDING);
      json_object_set_array_member (d->internal, "files", json_array_new ());
      if (pw_local_add_resource (self, d, NULL) != NULL)
        pw_local_queue_job (self, d, FALSE);
    }
  {
    g_autoptr(JsonObject) out = json_object_new ();

    json_object_set_string_member (out, "eventTrackerArn", arn);
    json_object_set_string_member (out, "trackingId", tracking_id);
    pw_local_respond_object (response, out);
  }
  return TRUE;
}

gboolean
pw_local_op_describe_tracker (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  return pw_local_op_describe (self, in, PW_LOCAL_KIND_EVENT_TRACKER, "eventTracker", response, error);
}

gboolean
pw_local_op_list_trackers (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "name", "eventTrackerArn", "status", "creationDateTime", "lastUpdatedDateTime", NULL };

  if (!pw_local_check_arn (in, "datasetGroupArn", error))
    return FALSE;
  return pw_local_list_page (self, PW_LOCAL_KIND_EVENT_TRACKER, in, "datasetGroupArn", pw_local_get_str (in, "datasetGroupArn"),
               "eventTrackers", fields, response, error);
}

gboolean
pw_local_op_delete_tracker (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  PwLocalResource *r;

  if (!pw_local_check_arn (in, "eventTrackerArn", error)
      || (r = pw_local_lookup (self, pw_local_get_str (in, "eventTrackerArn"), PW_LOCAL_KIND_EVENT_TRACKER, error)) == NULL
      || !pw_local_refuse_if_busy (r, error))
    return FALSE;
  return pw_local_start_delete (self, r, response, error);
}
