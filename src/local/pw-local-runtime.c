/* pw-local-runtime.c: GetRecommendations, GetPersonalizedRanking, PutEvents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <math.h>
#include <string.h>

#include "pw-local-jobs-private.h"
#include "pw-local-runtime-private.h"
#include "pw-local-store.h"
#include "pw-time.h"


typedef struct
{
  char       *version_arn;
  PwRecipe    recipe;
  JsonObject *config;
} CampaignInfo;

static void
campaign_info_clear (CampaignInfo *info)
{
  g_free (info->version_arn);
  g_clear_pointer (&info->config, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CampaignInfo, campaign_info_clear)

static gboolean
string_member (JsonObject  *in,
               const char  *name,
               gsize        max,
               gboolean     required,
               const char **out,
               GError     **error)
{
  JsonNode *node = json_object_get_member (in, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                       "1 validation error detected: Value null at '%s' failed to satisfy constraint: "
                       "Member must not be null", name);
          return FALSE;
        }
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT, "%s must be a string", name);
      return FALSE;
    }
  *out = json_node_get_string (node);
  if (strlen (*out) < 1 || strlen (*out) > max)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                   "1 validation error detected: Value at '%s' failed to satisfy constraint: "
                   "Member must have length between 1 and %" G_GSIZE_FORMAT, name, max);
      return FALSE;
    }
  return TRUE;
}

static gboolean
lookup_campaign (PwLocalPersonalize  *self,
                 const char          *arn,
                 CampaignInfo        *info,
                 GError             **error)
{
  PwLocalResource *c;
  PwLocalResource *v;

  if ((c = pw_local_lock_lookup (self, arn, PW_LOCAL_KIND_CAMPAIGN, error)) == NULL)
    return FALSE;
  /* During an update it keeps serving with its old settings, as on AWS. */
  if (strcmp (pw_local_status (c), PW_LOCAL_STATUS_ACTIVE) != 0 && !pw_local_is_updating (c))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_NOT_FOUND,
                   "Campaign %s is not ACTIVE (its status is %s); wait until DescribeCampaign reports ACTIVE.",
                   arn, pw_local_status (c));
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  v = pw_local_lookup (self, json_object_get_string_member (c->obj, "solutionVersionArn"),
                       PW_LOCAL_KIND_SOLUTION_VERSION, error);
  if (v == NULL)
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  if (!pw_local_recipe_of (v, &info->recipe))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INTERNAL_FAILURE,
                   "Solution version %s records no recipe personalize-local knows (%s).", v->arn,
                   json_object_get_string_member_with_default (v->obj, "recipeArn", "none"));
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  info->version_arn = g_strdup (v->arn);
  if (json_object_has_member (c->obj, "campaignConfig"))
    info->config = json_object_ref (json_object_get_object_member (c->obj, "campaignConfig"));
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* Answers an engine's error as the caller's invalid input; FALSE. */
static gboolean
engine_error (GError **error,
              GError  *engine)
{
  g_set_error_literal (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT, engine->message);
  return FALSE;
}

static void
respond_list (PwLocalResponse *response,
              const char      *member,
              GArray          *recs,
              gboolean         scores)
{
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonArray *list = json_array_new ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *rid = g_strconcat ("RID-", uuid, NULL);

  for (guint i = 0; recs != NULL && i < recs->len; i++)
    {
      PwRecommendation *rec = &g_array_index (recs, PwRecommendation, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "itemId", rec->item_id);
      if (scores && rec->has_score)
        json_object_set_double_member (item, "score", rec->score);
      json_array_add_object_element (list, item);
    }
  json_object_set_array_member (out, member, list);
  json_object_set_string_member (out, "recommendationId", rid);
  node = json_node_init_object (json_node_alloc (), out);
  pw_local_response_set_json (response, node);
}

gboolean
pw_local_get_recommendations (PwLocalPersonalize  *self,
                              JsonObject          *in,
                              PwLocalResponse     *response,
                              GError             **error)
{
  const char *campaign_arn;
  const char *user_id;
  const char *item_id;
  g_autoptr(PwModel) model = NULL;
  g_autoptr(GArray) recs = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(CampaignInfo) info = { 0 };
  PwRecommendOptions options;
  PwRecipeType type;
  gint64 num_results = 25;

  if (json_object_has_member (in, "recommenderArn") && !JSON_NODE_HOLDS_NULL (json_object_get_member (in, "recommenderArn")))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                   "personalize-local serves campaigns, not domain recommenders: pass a campaignArn");
      return FALSE;
    }
  if (!string_member (in, "campaignArn", 256, TRUE, &campaign_arn, error)
      || !string_member (in, "userId", 256, FALSE, &user_id, error)
      || !string_member (in, "itemId", 256, FALSE, &item_id, error))
    return FALSE;
  if (json_object_has_member (in, "numResults") && !JSON_NODE_HOLDS_NULL (json_object_get_member (in, "numResults")))
    {
      num_results = json_object_get_int_member (in, "numResults");
      if (num_results < 0 || num_results > 500)
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                       "numResults %" G_GINT64_FORMAT " must be between 0 and 500", num_results);
          return FALSE;
        }
    }
  if (json_object_has_member (in, "filterArn") && !JSON_NODE_HOLDS_NULL (json_object_get_member (in, "filterArn")))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_NOT_FOUND,
                   "Resource Arn %s does not exist (personalize-local has no filters).",
                   json_object_get_string_member (in, "filterArn"));
      return FALSE;
    }
  if (json_object_has_member (in, "promotions") && !JSON_NODE_HOLDS_NULL (json_object_get_member (in, "promotions")))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                   "personalize-local does not support promotions (they need filters)");
      return FALSE;
    }
  if (json_object_has_member (in, "context") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (in, "context"))
      && json_object_get_size (json_object_get_object_member (in, "context")) > 150)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT, "context has more than 150 entries");
      return FALSE;
    }
  if (!lookup_campaign (self, campaign_arn, &info, error))
    return FALSE;
  type = pw_recipe_get_type_for (info.recipe);
  pw_recommend_options_init (&options);
  options.num_results = (guint) num_results;
  pw_local_exploration_options (info.config, &options);

  if (type == PW_RECIPE_TYPE_PERSONALIZED_RANKING)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                   "Campaign %s ranks items (recipe %s): call GetPersonalizedRanking with an inputList",
                   campaign_arn, pw_recipe_to_name (info.recipe));
      return FALSE;
    }
  if (type == PW_RECIPE_TYPE_RELATED_ITEMS && item_id == NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                   "Campaign %s recommends related items (recipe %s): itemId is required",
                   campaign_arn, pw_recipe_to_name (info.recipe));
      return FALSE;
    }
  if (type == PW_RECIPE_TYPE_USER_PERSONALIZATION && user_id == NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                   "Campaign %s recommends items for users (recipe %s): userId is required",
                   campaign_arn, pw_recipe_to_name (info.recipe));
      return FALSE;
    }
  if ((model = pw_local_campaign_model (self, campaign_arn, error)) == NULL)
    return FALSE;
  if (num_results == 0)
    recs = g_array_new (FALSE, FALSE, sizeof (PwRecommendation));
  else if (type == PW_RECIPE_TYPE_RELATED_ITEMS)
    recs = pw_model_recommend_related (model, item_id, user_id, &options, &local_error);
  else
    recs = pw_model_recommend (model, user_id, &options, &local_error);
  if (recs == NULL)
    return engine_error (error, local_error);
  respond_list (response, "itemList", recs, info.recipe == PW_RECIPE_USER_PERSONALIZATION);
  return TRUE;
}

gboolean
pw_local_get_personalized_ranking (PwLocalPersonalize  *self,
                                   JsonObject          *in,
                                   PwLocalResponse     *response,
                                   GError             **error)
{
  const char *campaign_arn;
  const char *user_id;
  JsonArray *input_list = json_object_get_array_member (in, "inputList");
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(PwModel) model = NULL;
  g_autoptr(GArray) recs = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(CampaignInfo) info = { 0 };

  if (!string_member (in, "campaignArn", 256, TRUE, &campaign_arn, error)
      || !string_member (in, "userId", 256, TRUE, &user_id, error))
    return FALSE;
  if (json_array_get_length (input_list) < 1 || json_array_get_length (input_list) > 500)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                   "inputList has %u items; it needs 1 to 500", json_array_get_length (input_list));
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (input_list); i++)
    {
      JsonNode *n = json_array_get_element (input_list, i);

      if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING
          || strlen (json_node_get_string (n)) < 1 || strlen (json_node_get_string (n)) > 256)
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                       "inputList[%u] must be an item id (a string of 1 to 256 characters)", i);
          return FALSE;
        }
      g_ptr_array_add (ids, (gpointer) json_node_get_string (n));
    }
  if (!lookup_campaign (self, campaign_arn, &info, error))
    return FALSE;
  if (pw_recipe_get_type_for (info.recipe) != PW_RECIPE_TYPE_PERSONALIZED_RANKING)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                   "Campaign %s does not rank items (recipe %s): GetPersonalizedRanking needs a campaign of "
                   "aws-personalized-ranking", campaign_arn, pw_recipe_to_name (info.recipe));
      return FALSE;
    }
  if ((model = pw_local_campaign_model (self, campaign_arn, error)) == NULL)
    return FALSE;
  recs = pw_model_rank (model, user_id, (const char * const *) ids->pdata, ids->len, &local_error);
  if (recs == NULL)
    return engine_error (error, local_error);
  respond_list (response, "personalizedRanking", recs, TRUE);
  return TRUE;
}

static gboolean
event_invalid (GError    **error,
               guint       index,
               const char *format,
               ...) G_GNUC_PRINTF (3, 4);

static gboolean
event_invalid (GError    **error,
               guint       index,
               const char *format,
               ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT, "eventList[%u]: %s", index, message);
  return FALSE;
}

/* Checks one event and turns it into the line the events file keeps. */
static JsonObject *
parse_event (JsonNode    *node,
             guint        index,
             const char  *user,
             const char  *session,
             GError     **error)
{
  static const char * const known[] = {
    "eventId", "eventType", "eventValue", "itemId", "properties", "sentAt", "recommendationId",
    "impression", "metricAttribution", NULL };
  static const char * const reserved[] = {
    "userId", "sessionId", "eventType", "timestamp", "recommendationId", "impression", NULL };
  g_autoptr(JsonObject) line = json_object_new ();
  g_autoptr(JsonNode) props_root = NULL;
  JsonObject *ev;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;
  const char *event_type = NULL;
  const char *item = NULL;
  JsonNode *sent_at;
  JsonNode *event_value;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      event_invalid (error, index, "an event must be an object");
      return NULL;
    }
  ev = json_node_get_object (node);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  if (strlen (text) > 10 * 1024)
    {
      event_invalid (error, index, "an event has at most 10 KB");
      return NULL;
    }
  json_object_iter_init (&iter, ev);
  while (json_object_iter_next (&iter, &name, &value))
    if (!g_strv_contains (known, name))
      {
        event_invalid (error, index, "unknown member \"%s\"", name);
        return NULL;
      }
  if (!string_member (ev, "eventType", 256, TRUE, &event_type, error)
      || !string_member (ev, "itemId", 256, FALSE, &item, error))
    {
      g_prefix_error (error, "eventList[%u]: ", index);
      return NULL;
    }
  sent_at = json_object_get_member (ev, "sentAt");
  if (sent_at == NULL || !JSON_NODE_HOLDS_VALUE (sent_at)
      || (json_node_get_value_type (sent_at) != G_TYPE_INT64 && json_node_get_value_type (sent_at) != G_TYPE_DOUBLE))
    {
      event_invalid (error, index, "sentAt is required: the time of the event in epoch seconds");
      return NULL;
    }
  {
    gint64 seconds;

    if (!pw_time_from_double (json_node_get_double (sent_at), &seconds))
      {
        event_invalid (error, index, "sentAt %g is not a time between 1970-01-01 and 9999-12-31 "
                       "(epoch seconds %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT ")",
                       json_node_get_double (sent_at), PW_TIME_MIN, PW_TIME_MAX);
        return NULL;
      }
  }
  event_value = json_object_get_member (ev, "eventValue");
  if (event_value != NULL && !JSON_NODE_HOLDS_NULL (event_value)
      && (!JSON_NODE_HOLDS_VALUE (event_value)
          || (json_node_get_value_type (event_value) != G_TYPE_INT64
              && json_node_get_value_type (event_value) != G_TYPE_DOUBLE)))
    {
      event_invalid (error, index, "eventValue must be a number");
      return NULL;
    }
  if (json_object_has_member (ev, "recommendationId"))
    {
      const char *rid;

      if (!string_member (ev, "recommendationId", 40, FALSE, &rid, error))
        {
          g_prefix_error (error, "eventList[%u]: ", index);
          return NULL;
        }
    }
  if (json_object_has_member (ev, "impression"))
    {
      JsonNode *imp = json_object_get_member (ev, "impression");

      if (!JSON_NODE_HOLDS_ARRAY (imp) || json_array_get_length (json_node_get_array (imp)) < 1
          || json_array_get_length (json_node_get_array (imp)) > 25)
        {
          event_invalid (error, index, "impression must be a list of 1 to 25 item ids");
          return NULL;
        }
    }
  if (json_object_has_member (ev, "properties") && !JSON_NODE_HOLDS_NULL (json_object_get_member (ev, "properties")))
    {
      const char *props;
      g_autoptr(GError) parse_error = NULL;

      if (!string_member (ev, "properties", 1024, FALSE, &props, error))
        {
          g_prefix_error (error, "eventList[%u]: ", index);
          return NULL;
        }
      props_root = pw_local_json_parse (props, strlen (props), &parse_error);
      if (props_root == NULL || !JSON_NODE_HOLDS_OBJECT (props_root))
        {
          event_invalid (error, index, "properties must be a JSON object serialized as a string, "
                         "e.g. \"{\\\"itemId\\\": \\\"270\\\"}\"");
          return NULL;
        }
      json_object_iter_init (&iter, json_node_get_object (props_root));
      while (json_object_iter_next (&iter, &name, &value))
        {
          if (g_strv_contains (reserved, name))
            {
              event_invalid (error, index, "properties may not hold %s (it is a field of the event itself)", name);
              return NULL;
            }
          if (strcmp (name, "itemId") == 0)
            {
              if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING
                  || strlen (json_node_get_string (value)) < 1 || strlen (json_node_get_string (value)) > 256)
                {
                  event_invalid (error, index, "properties.itemId must be a string of 1 to 256 characters");
                  return NULL;
                }
              if (item == NULL)
                item = json_node_get_string (value);
            }
        }
    }
  json_object_set_string_member (line, "userId", user != NULL ? user : session);
  json_object_set_string_member (line, "sessionId", session);
  if (item != NULL)
    json_object_set_string_member (line, "itemId", item);
  json_object_set_string_member (line, "eventType", event_type);
  json_object_set_double_member (line, "sentAt", json_node_get_double (sent_at));
  if (event_value != NULL && !JSON_NODE_HOLDS_NULL (event_value))
    json_object_set_double_member (line, "eventValue", json_node_get_double (event_value));
  if (json_object_has_member (ev, "eventId"))
    json_object_set_member (line, "eventId", json_node_copy (json_object_get_member (ev, "eventId")));
  if (props_root != NULL)
    json_object_set_object_member (line, "properties", json_object_ref (json_node_get_object (props_root)));
  json_object_set_double_member (line, "receivedAt", pw_local_now ());
  return g_steal_pointer (&line);
}

gboolean
pw_local_put_events (PwLocalPersonalize  *self,
                     JsonObject          *in,
                     PwLocalResponse     *response,
                     GError             **error)
{
  const char *tracking_id;
  const char *user;
  const char *session;
  JsonArray *list = json_object_get_array_member (in, "eventList");
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) campaigns = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *events_path = NULL;
  g_autofree char *group_arn = NULL;
  GHashTableIter iter;
  gpointer value;
  PwLocalResource *tracker = NULL;

  if (!string_member (in, "trackingId", 256, TRUE, &tracking_id, error)
      || !string_member (in, "userId", 256, FALSE, &user, error)
      || !string_member (in, "sessionId", 256, TRUE, &session, error))
    return FALSE;
  if (json_array_get_length (list) < 1 || json_array_get_length (list) > 10)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                   "eventList has %u events; send 1 to 10 per call", json_array_get_length (list));
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *line = parse_event (json_array_get_element (list, i), i, user, session, error);

      if (line == NULL)
        return FALSE;
      g_ptr_array_add (lines, line);
    }

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->resources);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PwLocalResource *r = value;

      if (r->kind == PW_LOCAL_KIND_EVENT_TRACKER
          && g_strcmp0 (json_object_get_string_member (r->obj, "trackingId"), tracking_id) == 0)
        tracker = r;
    }
  if (tracker == NULL)
    {
      g_mutex_unlock (&self->lock);
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_NOT_FOUND,
                   "No event tracker has the trackingId %s (DescribeEventTracker shows it).", tracking_id);
      return FALSE;
    }
  /* A tracker records from the moment CreateEventTracker answers. */
  if (!pw_local_is_usable (tracker))
    {
      g_mutex_unlock (&self->lock);
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "The event tracker %s cannot record events (its status is %s).",
                   tracker->arn, pw_local_status (tracker));
      return FALSE;
    }
  group_arn = g_strdup (json_object_get_string_member (tracker->obj, "datasetGroupArn"));
  g_hash_table_iter_init (&iter, self->resources);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PwLocalResource *c = value;
      PwLocalResource *v;

      if (c->kind != PW_LOCAL_KIND_CAMPAIGN || strcmp (pw_local_status (c), PW_LOCAL_STATUS_ACTIVE) != 0)
        continue;
      v = g_hash_table_lookup (self->resources, json_object_get_string_member (c->obj, "solutionVersionArn"));
      if (v != NULL && g_strcmp0 (json_object_get_string_member (v->obj, "datasetGroupArn"), group_arn) == 0)
        g_ptr_array_add (campaigns, g_strdup (c->arn));
    }
  events_path = pw_local_events_path (self, group_arn);
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < lines->len; i++)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), lines->pdata[i]);
      g_autofree char *one = NULL;

      json_generator_set_root (gen, node);
      one = json_generator_to_data (gen, NULL);
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, one);
    }

  /* Recorded before it is applied or acknowledged; models loaded later
   * replay the file, so the order is kept under models_lock. */
  g_mutex_lock (&self->models_lock);
  if (!pw_local_store_append_line (events_path, text->str, error))
    {
      g_mutex_unlock (&self->models_lock);
      return FALSE;
    }
  for (guint c = 0; c < campaigns->len; c++)
    {
      PwModel *model = g_hash_table_lookup (self->campaign_models, campaigns->pdata[c]);

      if (model == NULL)
        continue;
      for (guint i = 0; i < lines->len; i++)
        {
          JsonObject *line = lines->pdata[i];
          const char *item = json_object_get_string_member_with_default (line, "itemId", NULL);
          gint64 sent_at;

          if (item != NULL && pw_local_event_time (line, &sent_at))
            pw_model_put_event (model, json_object_get_string_member (line, "userId"), item, sent_at, NULL);
        }
    }
  g_mutex_unlock (&self->models_lock);
  pw_local_response_set (response, 200, "application/json", NULL);
  return TRUE;
}
