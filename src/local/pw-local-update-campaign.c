/* pw-local-update-campaign.c: UpdateCampaign with AWS's lifecycle
 *
 * UpdateCampaign {campaignArn*, solutionVersionArn, minProvisionedTPS,
 * campaignConfig} → {campaignArn}. The campaign must be ACTIVE
 * (ResourceInUseException otherwise, also while an update runs); a
 * missing campaign or version is ResourceNotFoundException; bad values are
 * InvalidInputException. The campaign then goes UPDATE PENDING → UPDATE
 * IN_PROGRESS (for 20 status steps) → ACTIVE, and DescribeCampaign shows the change in
 * latestCampaignUpdate {solutionVersionArn, minProvisionedTPS,
 * campaignConfig, status, failureReason, creationDateTime,
 * lastUpdatedDateTime}. While it runs the campaign keeps serving with its
 * old settings; at ACTIVE the new ones replace them, so GetRecommendations
 * applies the new itemExplorationConfig from then on. The record is
 * persisted at each change, and a server restarted in the middle resumes
 * the update.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <string.h>

#include "pw-local-control-private.h"

#define UPDATE_STEPS 20

gboolean
pw_local_update_campaign (PwLocalPersonalize  *self,
                          JsonObject          *in,
                          PwLocalResponse     *response,
                          GError             **error)
{
  const char *arn = json_object_get_string_member_with_default (in, "campaignArn", NULL);
  JsonObject *update;
  JsonNode *node;
  PwLocalResource *c;
  PwLocalResource *version = NULL;
  gint64 tps = 0; /* 0: keep the campaign's */
  double now = pw_local_now ();
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *out;

  if (arn == NULL || strlen (arn) > 256 || !g_str_has_prefix (arn, "arn:"))
    {
      pw_local_invalid_input (error, "1 validation error detected: Value '%s' at 'campaignArn' failed to satisfy "
                              "constraint: Member must satisfy regular expression pattern: arn:([a-z\\d-]+):"
                              "personalize:.*:.*:.+", arn != NULL ? arn : "");
      return FALSE;
    }
  if (!pw_local_check_tps (in, &tps, error))
    return FALSE;
  node = json_object_get_member (in, "campaignConfig");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node)
      && !pw_local_check_exploration (json_node_get_object (node), error))
    return FALSE;
  node = json_object_get_member (in, "solutionVersionArn");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node)
      && strlen (json_node_get_string (node)) > 256)
    {
      pw_local_invalid_input (error, "1 validation error detected: Value at 'solutionVersionArn' failed to "
                              "satisfy constraint: Member must have length less than or equal to 256");
      return FALSE;
    }

  if ((c = pw_local_lookup (self, arn, PW_LOCAL_KIND_CAMPAIGN, error)) == NULL)
    return FALSE;
  if (strcmp (pw_local_status (c), PW_LOCAL_STATUS_ACTIVE) != 0)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "Campaign %s is %s; it can be updated only when it is ACTIVE.", arn, pw_local_status (c));
      return FALSE;
    }
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node)
      && (version = pw_local_resolve_active_version (self, json_node_get_string (node), error)) == NULL)
    return FALSE;
  if (version != NULL)
    {
      /* The same solution only: a campaign serves one recipe. */
      const char *current = json_object_get_string_member (c->obj, "solutionVersionArn");
      const char *slash = strrchr (current, '/');

      if (slash == NULL || strncmp (version->arn, current, slash - current + 1) != 0
          || strchr (version->arn + (slash - current) + 1, '/') != NULL)
        {
          pw_local_invalid_input (error, "Solution version %s does not belong to the solution of campaign %s "
                                  "(%s).", version->arn, arn, current);
          return FALSE;
        }
    }

  update = json_object_new ();
  json_object_set_string_member (update, "solutionVersionArn",
                                 version != NULL ? version->arn
                                                 : json_object_get_string_member (c->obj, "solutionVersionArn"));
  json_object_set_int_member (update, "minProvisionedTPS",
                              tps > 0 ? tps : json_object_get_int_member_with_default (c->obj, "minProvisionedTPS", 1));
  node = json_object_get_member (in, "campaignConfig");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    json_object_set_member (update, "campaignConfig", json_node_copy (node));
  else if (json_object_has_member (c->obj, "campaignConfig"))
    json_object_set_member (update, "campaignConfig",
                            json_node_copy (json_object_get_member (c->obj, "campaignConfig")));
  json_object_set_double_member (update, "creationDateTime", now);
  json_object_set_double_member (update, "lastUpdatedDateTime", now);
  json_object_set_object_member (c->obj, "latestCampaignUpdate", update);
  pw_local_set_update_status (c, PW_LOCAL_STATUS_UPDATE_PENDING);
  if (!pw_local_persist (self, c, error))
    return FALSE;
  pw_local_queue_update (self, c);

  out = json_object_new ();
  json_object_set_string_member (out, "campaignArn", arn);
  answer = json_node_init_object (json_node_alloc (), out);
  json_object_unref (out);
  pw_local_response_set_json (response, answer);
  return TRUE;
}

/* Worker thread. */
void
pw_local_run_update (PwLocalPersonalize *self,
                     const char         *arn)
{
  g_autoptr(GError) error = NULL;
  PwLocalResource *c;
  JsonObject *update;
  gboolean new_version;

  if (!pw_local_wait_step (self))
    return;
  g_mutex_lock (&self->lock);
  c = g_hash_table_lookup (self->resources, arn);
  if (c == NULL || !pw_local_is_updating (c))
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  pw_local_set_update_status (c, PW_LOCAL_STATUS_UPDATE_IN_PROGRESS);
  pw_local_persist (self, c, NULL);
  g_mutex_unlock (&self->lock);

  /* A redeploy is slow on AWS (minutes); here it spends UPDATE_STEPS
   * status steps in progress, long enough to be seen. */
  for (guint i = 0; i < UPDATE_STEPS; i++)
    if (!pw_local_wait_step (self))
      return;

  g_mutex_lock (&self->lock);
  c = g_hash_table_lookup (self->resources, arn);
  if (c == NULL || !pw_local_is_updating (c)
      || (update = json_object_get_object_member (c->obj, "latestCampaignUpdate")) == NULL)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  new_version = g_strcmp0 (json_object_get_string_member (update, "solutionVersionArn"),
                           json_object_get_string_member (c->obj, "solutionVersionArn")) != 0;
  json_object_set_string_member (c->obj, "solutionVersionArn",
                                 json_object_get_string_member (update, "solutionVersionArn"));
  json_object_set_int_member (c->obj, "minProvisionedTPS",
                              json_object_get_int_member_with_default (update, "minProvisionedTPS", 1));
  if (json_object_has_member (update, "campaignConfig"))
    json_object_set_member (c->obj, "campaignConfig",
                            json_node_copy (json_object_get_member (update, "campaignConfig")));
  pw_local_set_update_status (c, PW_LOCAL_STATUS_ACTIVE);
  if (!pw_local_persist (self, c, &error))
    g_warning ("Cannot record the update of %s: %s", arn, error->message);
  if (new_version)
    {
      /* The next request loads the new version's model. */
      g_mutex_lock (&self->models_lock);
      g_hash_table_remove (self->campaign_models, arn);
      g_mutex_unlock (&self->models_lock);
    }
  g_mutex_unlock (&self->lock);
}
