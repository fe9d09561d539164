/* pw-workshop-events.c: the LIVE_EVENTS step (the event tracker), clicks
 * (PutEvents, then the next list, waited for on AWS) and the exploration
 * change through UpdateCampaign
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-workshop"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pw-aws-error.h"
#include "pw-workshop-events.h"
#include "pw-workshop-private.h"

#define UP_RECIPE "aws-user-personalization"
#define UP_RECIPE_ARN "arn:aws:personalize:::recipe/aws-user-personalization"

/* ---------------------------------------------------------------------
 * The step (worker)
 * --------------------------------------------------------------------- */

gboolean
pw_workshop_steps_live_events (PwWorkshopRun  *run,
                               GError        **error)
{
  PwWorkshopResource *dsg = pw_workshop_steps_find (run, PW_RESOURCE_DATASET_GROUP, NULL, NULL, NULL, -1);
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(JsonObject) describe = json_object_new ();
  g_autoptr(JsonObject) out = NULL;
  g_autofree char *name = NULL;
  PwWorkshopResource *tracker;
  const char *tracking_id;

  if (dsg == NULL || pw_workshop_resource_get_arn (dsg) == NULL)
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY, _("Create the dataset group first."));
      return FALSE;
    }
  pw_workshop_run_progress (run, 0.1, _("Creating the event tracker"));
  name = g_strdup_printf ("%stracker-%s", PW_WORKSHOP_NAME_PREFIX, run->suffix);
  json_object_set_string_member (input, "datasetGroupArn", pw_workshop_resource_get_arn (dsg));
  /* A dataset group holds one tracker: whatever generation made it, it
   * is reused. */
  tracker = pw_workshop_steps_ensure_active (run, PW_RESOURCE_EVENT_TRACKER, name, NULL, NULL,
                                             pw_workshop_resource_get_arn (dsg), -1, input, error);
  if (tracker == NULL)
    return FALSE;
  pw_workshop_run_progress (run, 0.8, _("Reading the tracking id"));
  json_object_set_string_member (describe, "eventTrackerArn", pw_workshop_resource_get_arn (tracker));
  out = pw_workshop_run_call (run, PW_AWS_SERVICE_PERSONALIZE, "DescribeEventTracker", describe, error);
  if (out == NULL)
    return FALSE;
  tracking_id = pw_workshop_json_get_string (pw_workshop_json_get_object (out, "eventTracker"), "trackingId");
  if (tracking_id == NULL || *tracking_id == '\0' || strlen (tracking_id) > 256)
    {
      g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                   _("DescribeEventTracker answered without a trackingId"));
      return FALSE;
    }
  if (g_strcmp0 (pw_workshop_resource_get_detail (tracker), tracking_id) != 0)
    {
      PwResourceChange change = PW_RESOURCE_CHANGE_INIT;

      change.detail = tracking_id;
      if (!pw_workshop_run_record (run, tracker, &change, error))
        return FALSE;
    }
  pw_workshop_run_progress (run, 1.0, _("The event tracker is ready"));
  return TRUE;
}

/* ---------------------------------------------------------------------
 * Tracking and session ids
 * --------------------------------------------------------------------- */

static PwWorkshopResource *
current_tracker (PwWorkshop *self)
{
  PwWorkshopResource *dsg = pw_workshop_find_current (self, PW_RESOURCE_DATASET_GROUP, NULL, NULL, NULL);
  PwWorkshopResource *tracker;

  if (dsg == NULL || pw_workshop_resource_get_arn (dsg) == NULL)
    return NULL;
  tracker = pw_workshop_find_current (self, PW_RESOURCE_EVENT_TRACKER, NULL, NULL,
                                      pw_workshop_resource_get_arn (dsg));
  if (tracker == NULL || pw_workshop_resource_get_status (tracker) != PW_RESOURCE_STATUS_ACTIVE ||
      pw_workshop_resource_get_detail (tracker) == NULL)
    return NULL;
  return tracker;
}

gboolean
pw_workshop_events_complete (PwWorkshop *self)
{
  return current_tracker (self) != NULL;
}

const char *
pw_workshop_get_tracking_id (PwWorkshop *self)
{
  PwWorkshopResource *tracker;

  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);
  tracker = current_tracker (self);
  return tracker != NULL ? pw_workshop_resource_get_detail (tracker) : NULL;
}

const char *
pw_workshop_get_session_id (PwWorkshop *self,
                            const char *user_id)
{
  GHashTable *sessions;
  const char *id;

  g_return_val_if_fail (PW_IS_WORKSHOP (self), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  sessions = g_object_get_data (G_OBJECT (self), "pw-sessions");
  if (sessions == NULL)
    {
      sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_object_set_data_full (G_OBJECT (self), "pw-sessions", sessions, (GDestroyNotify) g_hash_table_unref);
    }
  id = g_hash_table_lookup (sessions, user_id);
  if (id == NULL)
    {
      char *session = g_strdup_printf ("pw-session-%08x-%08x", g_str_hash (user_id), g_random_int ());

      g_hash_table_insert (sessions, g_strdup (user_id), session);
      id = session;
    }
  return id;
}

typedef struct
{
  guint timeout_ms;
  guint interval_ms;
} EventWait;

void
pw_workshop_set_event_wait (PwWorkshop *self,
                            guint       timeout_ms,
                            guint       interval_ms)
{
  EventWait *w;

  g_return_if_fail (PW_IS_WORKSHOP (self));

  w = g_new0 (EventWait, 1);
  w->timeout_ms = timeout_ms;
  w->interval_ms = interval_ms;
  g_object_set_data_full (G_OBJECT (self), "pw-event-wait", w, g_free);
}

static void
event_wait (PwWorkshop *self,
            guint      *timeout_ms,
            guint      *interval_ms)
{
  EventWait *w = g_object_get_data (G_OBJECT (self), "pw-event-wait");
  gboolean aws = pw_workshop_get_backend (self) == PW_WORKSHOP_BACKEND_AWS;

  *timeout_ms = w != NULL && w->timeout_ms > 0 ? w->timeout_ms : (aws ? 30000 : 5000);
  *interval_ms = w != NULL && w->interval_ms > 0 ? w->interval_ms : (aws ? 2000 : 100);
}

/* ---------------------------------------------------------------------
 * A click
 * --------------------------------------------------------------------- */

typedef struct
{
  char      **previous;
  char       *user_id;
  char       *campaign_arn;
  guint       num_results;
  gint64      deadline;
  guint       interval_ms;
  char      **items;
  double     *scores;
  gboolean    changed;
} Click;

static void
click_free (Click *c)
{
  g_strfreev (c->previous);
  g_free (c->user_id);
  g_free (c->campaign_arn);
  g_strfreev (c->items);
  g_free (c->scores);
  g_free (c);
}

static void ask_next_list (GTask *task);

static void
cancel_joined_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/* One cancellable that the caller's and the workshop's window-lifetime
 * one both cancel. */
static GCancellable *
join_cancellable (PwWorkshop   *self,
                  GCancellable *cancellable)
{
  GCancellable *joined = g_cancellable_new ();

  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (cancel_joined_cb), g_object_ref (joined), g_object_unref);
  g_cancellable_connect (pw_workshop_get_cancellable (self), G_CALLBACK (cancel_joined_cb), g_object_ref (joined),
                         g_object_unref);
  return joined;
}

static gboolean
retry_cb (gpointer user_data)
{
  ask_next_list (user_data);
  return G_SOURCE_REMOVE;
}

static void
next_list_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Click *c = g_task_get_task_data (task);
  g_autoptr(JsonObject) out = NULL;
  GError *error = NULL;
  JsonArray *list;
  GPtrArray *items;
  GArray *scores;

  out = pw_aws_client_call_finish (PW_AWS_CLIENT (source), result, &error);
  if (out == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (json_object_get_member (out, "itemList") == NULL ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (out, "itemList")))
    {
      g_task_return_new_error (task, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                               _("GetRecommendations answered without an itemList"));
      g_object_unref (task);
      return;
    }
  list = json_object_get_array_member (out, "itemList");
  items = g_ptr_array_new ();
  scores = g_array_new (FALSE, TRUE, sizeof (double));
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      const char *id;
      double score;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          (id = pw_workshop_json_get_string (json_node_get_object (node), "itemId")) == NULL)
        continue;
      score = json_object_get_double_member_with_default (json_node_get_object (node), "score", 0);
      g_ptr_array_add (items, g_strdup (id));
      g_array_append_val (scores, score);
    }
  g_ptr_array_add (items, NULL);
  g_strfreev (c->items);
  g_free (c->scores);
  c->items = (char **) g_ptr_array_free (items, FALSE);
  c->scores = (double *) g_array_free (scores, FALSE);
  c->changed = c->previous == NULL || !g_strv_equal ((const char * const *) c->previous,
                                                     (const char * const *) c->items);
  if (!c->changed && g_get_monotonic_time () < c->deadline &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      /* AWS applies events within seconds: ask again. */
      GSource *timeout = g_timeout_source_new (c->interval_ms);

      g_source_set_callback (timeout, retry_cb, task, NULL);
      g_source_attach (timeout, g_main_context_get_thread_default ());
      g_source_unref (timeout);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
ask_next_list (GTask *task)
{
  PwWorkshop *self = g_task_get_source_object (task);
  Click *c = g_task_get_task_data (task);
  g_autoptr(JsonObject) input = json_object_new ();
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error) ||
      pw_workshop_get_client (self) == NULL)
    {
      if (error == NULL)
        g_set_error (&error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY, _("There is no connection."));
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  json_object_set_string_member (input, "campaignArn", c->campaign_arn);
  json_object_set_string_member (input, "userId", c->user_id);
  json_object_set_int_member (input, "numResults", c->num_results);
  pw_aws_client_call_async (pw_workshop_get_client (self), PW_AWS_SERVICE_PERSONALIZE_RUNTIME,
                            "GetRecommendations", input, g_task_get_cancellable (task), next_list_done_cb, task);
}

static void
put_events_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  PwWorkshop *self = g_task_get_source_object (task);
  Click *c = g_task_get_task_data (task);
  g_autoptr(JsonObject) out = NULL;
  GError *error = NULL;
  guint timeout_ms;

  out = pw_aws_client_call_finish (PW_AWS_CLIENT (source), result, &error);
  if (out == NULL)
    {
      g_prefix_error (&error, _("Sending the click (PutEvents): "));
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  event_wait (self, &timeout_ms, &c->interval_ms);
  c->deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  ask_next_list (task);
}

void
pw_workshop_put_event_async (PwWorkshop          *self,
                             const char          *user_id,
                             const char          *item_id,
                             double               event_value,
                             const char * const  *previous,
                             guint                num_results,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  g_autoptr(GCancellable) joined = NULL;
  PwWorkshopResource *tracker, *campaign;
  g_autoptr(JsonObject) input = NULL;
  g_autofree char *event_id = NULL;
  JsonObject *event;
  JsonArray *list;
  Click *c;

  g_return_if_fail (PW_IS_WORKSHOP (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  joined = join_cancellable (self, cancellable);
  task = g_task_new (self, joined, callback, user_data);
  g_task_set_source_tag (task, pw_workshop_put_event_async);
  tracker = current_tracker (self);
  campaign = pw_workshop_current_campaign (self, UP_RECIPE);
  if (tracker == NULL || campaign == NULL || pw_workshop_get_client (self) == NULL ||
      pw_workshop_get_step_state (self, PW_WORKSHOP_STEP_LIVE_EVENTS) != PW_WORKSHOP_STEP_STATE_COMPLETE)
    {
      g_task_return_new_error (task, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                               _("Run the Live Events step first: it creates the event tracker."));
      g_object_unref (task);
      return;
    }
  if (user_id == NULL || *user_id == '\0' || strlen (user_id) > 256 ||
      item_id == NULL || *item_id == '\0' || strlen (item_id) > 256 ||
      num_results < 1 || num_results > 500 || !(event_value == event_value))
    {
      g_task_return_new_error (task, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_INVALID_DATA,
                               _("A click needs a user id and an item id (1 to 256 characters), a number as its "
                                 "value, and between 1 and 500 results."));
      g_object_unref (task);
      return;
    }

  c = g_new0 (Click, 1);
  c->previous = previous != NULL ? g_strdupv ((char **) previous) : NULL;
  c->user_id = g_strdup (user_id);
  c->campaign_arn = g_strdup (pw_workshop_resource_get_arn (campaign));
  c->num_results = num_results;
  g_task_set_task_data (task, c, (GDestroyNotify) click_free);

  input = json_object_new ();
  json_object_set_string_member (input, "trackingId", pw_workshop_resource_get_detail (tracker));
  json_object_set_string_member (input, "userId", user_id);
  json_object_set_string_member (input, "sessionId", pw_workshop_get_session_id (self, user_id));
  list = json_array_new ();
  event = json_object_new ();
  event_id = g_uuid_string_random ();
  json_object_set_string_member (event, "eventId", event_id);
  json_object_set_string_member (event, "eventType", PW_WORKSHOP_EVENT_TYPE);
  json_object_set_string_member (event, "itemId", item_id);
  json_object_set_double_member (event, "eventValue", event_value);
  json_object_set_double_member (event, "sentAt", (double) g_get_real_time () / G_USEC_PER_SEC);
  json_array_add_object_element (list, event);
  json_object_set_array_member (input, "eventList", list);
  pw_aws_client_call_async (pw_workshop_get_client (self), PW_AWS_SERVICE_PERSONALIZE_EVENTS, "PutEvents", input,
                            joined, put_events_done_cb, task);
}

char **
pw_workshop_put_event_finish (PwWorkshop    *self,
                              GAsyncResult  *result,
                              double       **out_scores,
                              gboolean      *out_changed,
                              GError       **error)
{
  Click *c;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  c = g_task_get_task_data (G_TASK (result));
  if (out_scores != NULL)
    *out_scores = g_steal_pointer (&c->scores);
  if (out_changed != NULL)
    *out_changed = c->changed;
  return g_steal_pointer (&c->items);
}

/* ---------------------------------------------------------------------
 * Exploration (UpdateCampaign)
 * --------------------------------------------------------------------- */

typedef struct
{
  char   *campaign_arn;
  double  weight;
  double  age_cut_off;
} Exploration;

static void
exploration_free (Exploration *e)
{
  g_free (e->campaign_arn);
  g_free (e);
}

static gboolean
update_exploration_worker (PwWorkshopRun  *run,
                           GError        **error)
{
  Exploration *e = run->data;
  g_autoptr(JsonObject) input = json_object_new ();
  JsonObject *config = json_object_new ();
  JsonObject *exploration = json_object_new ();
  char weight[G_ASCII_DTOSTR_BUF_SIZE], cut_off[G_ASCII_DTOSTR_BUF_SIZE];
  guint delay = pw_workshop_steps_first_delay (run);
  gint64 busy_deadline = g_get_monotonic_time () +
                         (run->backend == PW_WORKSHOP_BACKEND_AWS ? 1800 : 60) * G_USEC_PER_SEC;

  g_ascii_formatd (weight, sizeof weight, "%.2f", e->weight);
  g_ascii_formatd (cut_off, sizeof cut_off, "%g", e->age_cut_off);
  json_object_set_string_member (exploration, "explorationWeight", weight);
  json_object_set_string_member (exploration, "explorationItemAgeCutOff", cut_off);
  json_object_set_object_member (config, "itemExplorationConfig", exploration);
  json_object_set_string_member (input, "campaignArn", e->campaign_arn);
  json_object_set_object_member (input, "campaignConfig", config);

  pw_workshop_run_progress (run, -1, _("Updating the campaign's exploration"));
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonObject) out = pw_workshop_run_call (run, PW_AWS_SERVICE_PERSONALIZE, "UpdateCampaign", input,
                                                        &local_error);

      if (out != NULL)
        break;
      /* An update (or the campaign's creation) still runs: wait it out. */
      if (pw_aws_error_has_code (local_error, "ResourceInUseException") &&
          g_get_monotonic_time () < busy_deadline)
        {
          pw_workshop_run_progress (run, -1, _("Waiting for the campaign's previous update"));
          if (!pw_workshop_run_sleep (run, delay, error))
            return FALSE;
          delay = pw_workshop_steps_next_delay (run, delay);
          continue;
        }
      g_prefix_error (&local_error, _("Updating the campaign (UpdateCampaign): "));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  delay = pw_workshop_steps_first_delay (run);
  for (;;)
    {
      g_autoptr(JsonObject) describe = json_object_new ();
      g_autoptr(JsonObject) out = NULL;
      JsonObject *campaign, *update;
      const char *status, *update_status;

      json_object_set_string_member (describe, "campaignArn", e->campaign_arn);
      if ((out = pw_workshop_run_call (run, PW_AWS_SERVICE_PERSONALIZE, "DescribeCampaign", describe, error)) == NULL)
        return FALSE;
      campaign = pw_workshop_json_get_object (out, "campaign");
      update = pw_workshop_json_get_object (campaign, "latestCampaignUpdate");
      status = pw_workshop_json_get_string (campaign, "status");
      update_status = pw_workshop_json_get_string (update, "status");
      if (status == NULL)
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                       _("DescribeCampaign answered without a status"));
          return FALSE;
        }
      if ((update_status != NULL && strstr (update_status, "FAILED") != NULL) || strstr (status, "FAILED") != NULL)
        {
          const char *reason = pw_workshop_json_get_string (update, "failureReason");

          if (reason == NULL)
            reason = pw_workshop_json_get_string (campaign, "failureReason");
          g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_RESOURCE_FAILED,
                       _("The campaign update failed: %s"), reason != NULL ? reason : _("no reason given"));
          return FALSE;
        }
      if (strcmp (status, "ACTIVE") == 0 && (update_status == NULL || strcmp (update_status, "ACTIVE") == 0))
        break;
      pw_workshop_run_progress (run, -1, update_status != NULL && g_str_has_prefix (update_status, "UPDATE")
                                         ? _("The campaign is updating") : _("Waiting for the campaign"));
      if (!pw_workshop_run_sleep (run, delay, error))
        return FALSE;
      delay = pw_workshop_steps_next_delay (run, delay);
    }
  pw_workshop_run_progress (run, 1.0, _("The campaign uses the new exploration"));
  return TRUE;
}

static void
exploration_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PwWorkshop *self = PW_WORKSHOP (source);
  GError *error = NULL;

  if (!pw_workshop_run_step_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  pw_workshop_record_exploration_weight (self, *(double *) g_task_get_task_data (task));
  g_task_return_boolean (task, TRUE);
}

void
pw_workshop_update_exploration_async (PwWorkshop          *self,
                                      double               weight,
                                      double               age_cut_off_days,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PwWorkshopResource *campaign;
  Exploration *e;
  double *w;

  g_return_if_fail (PW_IS_WORKSHOP (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_workshop_update_exploration_async);
  if (!(weight >= 0 && weight <= 1))
    {
      g_task_return_new_error (task, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_INVALID_DATA,
                               _("The exploration weight must be between 0 and 1."));
      return;
    }
  if (!(age_cut_off_days > 0) || age_cut_off_days > 36500)
    age_cut_off_days = 30;
  campaign = pw_workshop_current_campaign (self, UP_RECIPE);
  if (campaign == NULL ||
      pw_workshop_get_step_state (self, PW_WORKSHOP_STEP_CAMPAIGNS) != PW_WORKSHOP_STEP_STATE_COMPLETE)
    {
      g_task_return_new_error (task, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                               _("There is no active campaign for %s yet: run the Campaigns step first."), UP_RECIPE);
      return;
    }
  w = g_new (double, 1);
  *w = weight;
  g_task_set_task_data (task, w, g_free);
  e = g_new0 (Exploration, 1);
  e->campaign_arn = g_strdup (pw_workshop_resource_get_arn (campaign));
  e->weight = weight;
  e->age_cut_off = age_cut_off_days;
  pw_workshop_run_custom_async (self, PW_WORKSHOP_STEP_CAMPAIGNS, update_exploration_worker, e,
                                (GDestroyNotify) exploration_free, cancellable, exploration_done_cb,
                                g_steal_pointer (&task));
}

gboolean
pw_workshop_update_exploration_finish (PwWorkshop    *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
