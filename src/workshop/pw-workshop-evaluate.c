/* pw-workshop-evaluate.c: the ANALYSIS step (docs/workshop.md 6.1 and 7.1:
 * every user's list through the runtime API, concurrently within the
 * service's limits, scored with the engine's metric definitions) and the
 * per-user analysis
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-workshop"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pw-aws-error.h"
#include "pw-items.h"
#include "pw-workshop-evaluate.h"
#include "pw-workshop-private.h"

#define EVAL_K 25

static const char *kind_names[PW_EVALUATION_N_KINDS] = { "user-personalization", "similar-items" };
static const char *kind_recipes[PW_EVALUATION_N_KINDS] = {
  "arn:aws:personalize:::recipe/aws-user-personalization",
  "arn:aws:personalize:::recipe/aws-similar-items",
};

const char *
pw_evaluation_kind_to_string (PwEvaluationKind kind)
{
  g_return_val_if_fail (kind < PW_EVALUATION_N_KINDS, NULL);
  return kind_names[kind];
}

/* ---------------------------------------------------------------------
 * Limits
 * --------------------------------------------------------------------- */

typedef struct
{
  guint max_in_flight;
  guint max_per_second;
} Limits;

void
pw_workshop_set_evaluation_limits (PwWorkshop *self,
                                   guint       max_in_flight,
                                   guint       max_per_second)
{
  Limits *l;

  g_return_if_fail (PW_IS_WORKSHOP (self));

  l = g_new0 (Limits, 1);
  l->max_in_flight = MIN (max_in_flight, 64);
  l->max_per_second = MIN (max_per_second, 10000);
  g_object_set_data_full (G_OBJECT (self), "pw-evaluation-limits", l, g_free);
}

static void
get_limits (PwWorkshop *self,
            PwWorkshopBackend backend,
            guint      *in_flight,
            guint      *per_second)
{
  Limits *l = g_object_get_data (G_OBJECT (self), "pw-evaluation-limits");
  gboolean aws = backend == PW_WORKSHOP_BACKEND_AWS;

  *in_flight = l != NULL && l->max_in_flight > 0 ? l->max_in_flight : 4;
  *per_second = l != NULL && l->max_per_second > 0 ? l->max_per_second : (aws ? 20 : 200);
}

/* ---------------------------------------------------------------------
 * Many runtime calls, a few in flight (main context), for the worker
 * --------------------------------------------------------------------- */

typedef struct
{
  PwWorkshopRun *run;
  GPtrArray     *inputs;       /* JsonObject */
  JsonObject   **outputs;
  guint          max_in_flight;
  gint64         spacing_us;   /* between two starts */
  gint64         next_start;
  GSource       *timer;
  /* under lock */
  GMutex         lock;
  GCond          cond;
  guint          next;
  guint          in_flight;
  guint          done;
  GError        *error;
  gboolean       finished;
} Many;

static void many_pump (Many *many);

static gboolean
many_timer_cb (gpointer user_data)
{
  Many *many = user_data;

  g_clear_pointer (&many->timer, g_source_unref);
  many_pump (many);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  Many  *many;
  guint  index;
} CallTag;

static void
many_call_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CallTag *tag = user_data;
  Many *many = tag->many;
  GError *error = NULL;
  JsonObject *out = pw_aws_client_call_finish (PW_AWS_CLIENT (source), result, &error);

  g_mutex_lock (&many->lock);
  many->in_flight--;
  many->done++;
  if (out == NULL)
    {
      if (many->error == NULL)
        {
          const char *user = json_object_get_string_member_with_default (g_ptr_array_index (many->inputs, tag->index),
                                                                         "userId", "?");
          g_prefix_error (&error, _("user %s: "), user);
          many->error = error;
        }
      else
        g_error_free (error);
    }
  else
    many->outputs[tag->index] = out;
  g_mutex_unlock (&many->lock);
  g_free (tag);
  many_pump (many);
}

/* Main context: starts what the limits allow; finishes when all are done
 * (or, after an error, when nothing is in flight any more). */
static void
many_pump (Many *many)
{
  PwAwsClient *client = pw_workshop_get_client (many->run->self);

  g_mutex_lock (&many->lock);
  if (client == NULL && many->error == NULL)
    g_set_error (&many->error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY, _("There is no connection."));
  while (many->error == NULL && many->next < many->inputs->len && many->in_flight < many->max_in_flight &&
         many->timer == NULL)
    {
      gint64 now = g_get_monotonic_time ();
      CallTag *tag;

      if (now < many->next_start)
        {
          many->timer = g_timeout_source_new ((guint) ((many->next_start - now + 999) / 1000));
          g_source_set_callback (many->timer, many_timer_cb, many, NULL);
          g_source_attach (many->timer, many->run->context);
          break;
        }
      many->next_start = MAX (now, many->next_start) + many->spacing_us;
      tag = g_new0 (CallTag, 1);
      tag->many = many;
      tag->index = many->next++;
      many->in_flight++;
      g_mutex_unlock (&many->lock);
      pw_aws_client_call_async (client, PW_AWS_SERVICE_PERSONALIZE_RUNTIME, "GetRecommendations",
                                g_ptr_array_index (many->inputs, tag->index), many->run->cancellable,
                                many_call_done_cb, tag);
      g_mutex_lock (&many->lock);
    }
  if (many->in_flight == 0 && (many->error != NULL || many->done == many->inputs->len))
    {
      if (many->timer != NULL)
        {
          g_source_destroy (many->timer);
          g_clear_pointer (&many->timer, g_source_unref);
        }
      many->finished = TRUE;
      g_cond_signal (&many->cond);
    }
  g_mutex_unlock (&many->lock);
}

static gboolean
many_start_cb (gpointer user_data)
{
  many_pump (user_data);
  return G_SOURCE_REMOVE;
}

/* Worker: runs every input, reporting progress; returns the outputs
 * (each owned by the caller) or NULL with the first error. */
static JsonObject **
run_many (PwWorkshopRun *run,
          GPtrArray     *inputs,
          guint          max_in_flight,
          guint          per_second,
          const char    *what,
          double         base,
          double         span,
          GError       **error)
{
  Many many = { 0 };
  JsonObject **outputs;

  many.run = run;
  many.inputs = inputs;
  many.outputs = g_new0 (JsonObject *, MAX (1, inputs->len));
  many.max_in_flight = MAX (1, max_in_flight);
  many.spacing_us = per_second > 0 ? G_USEC_PER_SEC / per_second : 0;
  g_mutex_init (&many.lock);
  g_cond_init (&many.cond);
  if (inputs->len == 0)
    many.finished = TRUE;
  else
    g_main_context_invoke (run->context, many_start_cb, &many);

  g_mutex_lock (&many.lock);
  while (!many.finished)
    {
      gint64 until = g_get_monotonic_time () + 250 * G_TIME_SPAN_MILLISECOND;
      guint done;

      if (g_cond_wait_until (&many.cond, &many.lock, until) || many.finished)
        continue;
      done = many.done;
      g_mutex_unlock (&many.lock);
      {
        g_autofree char *message = g_strdup_printf (_("Evaluating %s: %u of %u users"), what, done, inputs->len);

        pw_workshop_run_progress (run, base + span * done / inputs->len, message);
      }
      g_mutex_lock (&many.lock);
    }
  g_mutex_unlock (&many.lock);
  g_mutex_clear (&many.lock);
  g_cond_clear (&many.cond);

  outputs = many.outputs;
  if (many.error != NULL)
    {
      for (guint i = 0; i < inputs->len; i++)
        g_clear_pointer (&outputs[i], json_object_unref);
      g_free (outputs);
      g_propagate_error (error, many.error);
      return NULL;
    }
  return outputs;
}

/* ---------------------------------------------------------------------
 * The step (worker)
 * --------------------------------------------------------------------- */

typedef struct
{
  guint       user;          /* interactions user index */
  GHashTable *targets;       /* item id (owned by the interactions) set */
  gint64      last_time;
  guint       last_row;
  gboolean    has_last;
} UserTargets;

static void
user_targets_clear (gpointer data)
{
  UserTargets *u = data;

  g_clear_pointer (&u->targets, g_hash_table_unref);
}

static const char *
campaign_arn_of (PwWorkshopRun *run,
                 const char    *recipe_arn)
{
  PwWorkshopResource *dsg = pw_workshop_steps_find (run, PW_RESOURCE_DATASET_GROUP, NULL, NULL, NULL, -1);
  PwWorkshopResource *solution, *version, *campaign;

  if (dsg == NULL)
    return NULL;
  solution = pw_workshop_steps_find (run, PW_RESOURCE_SOLUTION, NULL, recipe_arn, pw_workshop_resource_get_arn (dsg), -1);
  if (solution == NULL)
    return NULL;
  version = pw_workshop_steps_find (run, PW_RESOURCE_SOLUTION_VERSION, NULL, NULL,
                                    pw_workshop_resource_get_arn (solution),
                                    run->generation[PW_WORKSHOP_STEP_TRAINING]);
  if (version == NULL)
    return NULL;
  campaign = pw_workshop_steps_find (run, PW_RESOURCE_CAMPAIGN, NULL, NULL, pw_workshop_resource_get_arn (version),
                                     run->generation[PW_WORKSHOP_STEP_CAMPAIGNS]);
  if (campaign == NULL || pw_workshop_resource_get_status (campaign) != PW_RESOURCE_STATUS_ACTIVE)
    return NULL;
  return pw_workshop_resource_get_arn (campaign);
}

/* The catalogue the model knows: the items of training_item.csv and of the
 * training interactions. */
static guint
catalogue_size (PwWorkshopRun   *run,
                PwPrepareResult *p)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *path = g_build_filename (run->output_dir != NULL ? run->output_dir : ".",
                                            "training_item.csv", NULL);
  g_autoptr(PwItems) items = pw_items_read_csv (path, PW_READ_SKIP_BAD_ROWS, NULL, NULL, NULL);
  guint n;

  for (guint k = 0; k < p->split->n_training_rows; k++)
    g_hash_table_add (ids, (gpointer) pw_interactions_get_item_id (p->interactions,
                                                                    p->interactions->items[p->split->training_rows[k]]));
  for (guint i = 0; items != NULL && i < items->n_items; i++)
    g_hash_table_add (ids, (gpointer) pw_items_get_id (items, i));
  n = g_hash_table_size (ids);
  return n;
}

static JsonObject *
metrics_to_json (const PwMetrics *m)
{
  JsonObject *o = json_object_new ();
  guint n_keys;
  const PwMetricKey *keys = pw_metrics_get_keys (&n_keys);

  for (guint k = 0; k < n_keys; k++)
    json_object_set_double_member (o, keys[k].key, pw_metrics_get_value (m, &keys[k]));
  json_object_set_int_member (o, "users", m->users);
  return o;
}

static void
metrics_from_json (JsonObject *o,
                   PwMetrics  *m)
{
  guint n_keys;
  const PwMetricKey *keys = pw_metrics_get_keys (&n_keys);

  pw_metrics_init (m);
  for (guint k = 0; k < n_keys; k++)
    *(double *) ((guint8 *) m + keys[k].offset) = json_object_get_double_member_with_default (o, keys[k].key, 0);
  m->users = (guint) CLAMP (json_object_get_int_member_with_default (o, "users", 0), 0, G_MAXUINT);
}

gboolean
pw_workshop_steps_analysis (PwWorkshopRun  *run,
                            GError        **error)
{
  PwPrepareResult *p = pw_workshop_get_prepared (run->self);
  g_autoptr(GArray) users = NULL;
  g_autofree gint *slot = NULL;
  g_autoptr(JsonObject) record = json_object_new ();
  guint max_in_flight, per_second, n_catalogue;

  if (p == NULL || p->split == NULL)
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                   _("The prepared data is not loaded: prepare the data first."));
      return FALSE;
    }
  get_limits (run->self, run->backend, &max_in_flight, &per_second);

  /* Each user with validation rows: the distinct validation items, and the
   * last training item (greatest TIMESTAMP, ties: the last row). */
  users = g_array_new (FALSE, TRUE, sizeof (UserTargets));
  g_array_set_clear_func (users, user_targets_clear);
  slot = g_new (gint, MAX (1, p->interactions->n_users));
  for (guint u = 0; u < p->interactions->n_users; u++)
    slot[u] = -1;
  for (guint k = 0; k < p->split->n_validation_rows; k++)
    {
      guint row = p->split->validation_rows[k];
      guint u = p->interactions->users[row];
      UserTargets *t;

      if (slot[u] < 0)
        {
          UserTargets fresh = { u, g_hash_table_new (g_str_hash, g_str_equal), 0, 0, FALSE };

          slot[u] = (gint) users->len;
          g_array_append_val (users, fresh);
        }
      t = &g_array_index (users, UserTargets, slot[u]);
      g_hash_table_add (t->targets, (gpointer) pw_interactions_get_item_id (p->interactions, p->interactions->items[row]));
    }
  for (guint k = 0; k < p->split->n_training_rows; k++)
    {
      guint row = p->split->training_rows[k];
      gint s = slot[p->interactions->users[row]];
      UserTargets *t;

      if (s < 0)
        continue;
      t = &g_array_index (users, UserTargets, s);
      if (!t->has_last || p->interactions->timestamps[row] >= t->last_time)
        {
          t->has_last = TRUE;
          t->last_time = p->interactions->timestamps[row];
          t->last_row = row;
        }
    }
  if (users->len == 0)
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_INVALID_DATA, _("No user has validation rows."));
      return FALSE;
    }
  n_catalogue = catalogue_size (run, p);

  for (guint kind = 0; kind < PW_EVALUATION_N_KINDS; kind++)
    {
      const char *campaign = campaign_arn_of (run, kind_recipes[kind]);
      g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      g_autoptr(GArray) asked = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GHashTable) recommended = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      JsonObject **outputs;
      JsonObject *one;
      PwMetrics metrics;
      gint64 start;

      if (campaign == NULL)
        {
          g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                       _("There is no active campaign for %s: run the Campaigns step first."), kind_names[kind]);
          return FALSE;
        }
      for (guint i = 0; i < users->len; i++)
        {
          UserTargets *t = &g_array_index (users, UserTargets, i);
          JsonObject *input;

          /* Similar items need a seed: a user without training rows has none. */
          if (kind == PW_EVALUATION_SIMILAR_ITEMS && !t->has_last)
            continue;
          input = json_object_new ();
          json_object_set_string_member (input, "campaignArn", campaign);
          json_object_set_string_member (input, "userId", pw_interactions_get_user_id (p->interactions, t->user));
          if (kind == PW_EVALUATION_SIMILAR_ITEMS)
            json_object_set_string_member (input, "itemId",
                                           pw_interactions_get_item_id (p->interactions,
                                                                        p->interactions->items[t->last_row]));
          json_object_set_int_member (input, "numResults", EVAL_K);
          g_ptr_array_add (inputs, input);
          g_array_append_val (asked, i);
        }

      start = g_get_monotonic_time ();
      outputs = run_many (run, inputs, max_in_flight, per_second, kind_names[kind],
                          0.5 * kind, 0.5, error);
      if (outputs == NULL)
        {
          g_prefix_error (error, _("Evaluating %s (GetRecommendations): "), kind_names[kind]);
          return FALSE;
        }

      pw_metrics_init (&metrics);
      for (guint q = 0; q < inputs->len; q++)
        {
          UserTargets *t = &g_array_index (users, UserTargets, g_array_index (asked, guint, q));
          JsonNode *node = outputs[q] != NULL ? json_object_get_member (outputs[q], "itemList") : NULL;
          JsonArray *list = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
          gboolean relevant[EVAL_K] = { FALSE };
          guint n = 0;

          for (guint i = 0; list != NULL && i < json_array_get_length (list) && n < EVAL_K; i++)
            {
              JsonNode *e = json_array_get_element (list, i);
              const char *id;

              if (!JSON_NODE_HOLDS_OBJECT (e) ||
                  (id = json_object_get_string_member_with_default (json_node_get_object (e), "itemId", NULL)) == NULL)
                continue;
              relevant[n++] = g_hash_table_contains (t->targets, id);
              if (!g_hash_table_contains (recommended, id))
                g_hash_table_add (recommended, g_strdup (id));
            }
          pw_metrics_add_user (&metrics, relevant, n, g_hash_table_size (t->targets));
          g_clear_pointer (&outputs[q], json_object_unref);
        }
      g_free (outputs);
      pw_metrics_finish (&metrics, g_hash_table_size (recommended), n_catalogue);

      one = json_object_new ();
      json_object_set_string_member (one, "campaign_arn", campaign);
      json_object_set_double_member (one, "seconds", (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
      json_object_set_int_member (one, "catalogue", n_catalogue);
      json_object_set_object_member (one, "metrics", metrics_to_json (&metrics));
      json_object_set_object_member (record, kind_names[kind], one);
    }
  json_object_set_int_member (record, "generation", run->generation[PW_WORKSHOP_STEP_ANALYSIS]);
  if (!pw_workshop_run_set_result (run, "evaluation", record, error))
    return FALSE;
  pw_workshop_run_progress (run, 1.0, _("The evaluation is done"));
  return TRUE;
}

gboolean
pw_workshop_get_evaluation (PwWorkshop       *self,
                            PwEvaluationKind  kind,
                            PwMetrics        *out_metrics,
                            double           *out_seconds)
{
  JsonObject *results, *evaluation, *one;
  PwWorkshopResource *campaign;

  g_return_val_if_fail (PW_IS_WORKSHOP (self), FALSE);
  g_return_val_if_fail (kind < PW_EVALUATION_N_KINDS, FALSE);
  g_return_val_if_fail (out_metrics != NULL, FALSE);

  results = pw_workshop_get_results (self);
  campaign = pw_workshop_current_campaign (self, kind == PW_EVALUATION_SIMILAR_ITEMS ? "aws-similar-items"
                                                                                    : "aws-user-personalization");
  if (campaign == NULL || !json_object_has_member (results, "evaluation") ||
      (evaluation = json_object_get_object_member (results, "evaluation")) == NULL ||
      !json_object_has_member (evaluation, kind_names[kind]) ||
      (one = json_object_get_object_member (evaluation, kind_names[kind])) == NULL ||
      g_strcmp0 (json_object_get_string_member_with_default (one, "campaign_arn", NULL),
                 pw_workshop_resource_get_arn (campaign)) != 0 ||
      !json_object_has_member (one, "metrics") || json_object_get_object_member (one, "metrics") == NULL)
    return FALSE;
  metrics_from_json (json_object_get_object_member (one, "metrics"), out_metrics);
  if (out_seconds != NULL)
    *out_seconds = json_object_get_double_member_with_default (one, "seconds", 0);
  return TRUE;
}

/* ---------------------------------------------------------------------
 * Per-user analysis
 * --------------------------------------------------------------------- */

void
pw_user_analysis_free (PwUserAnalysis *analysis)
{
  if (analysis == NULL)
    return;
  g_free (analysis->user_id);
  g_clear_pointer (&analysis->recent_training, g_ptr_array_unref);
  g_clear_pointer (&analysis->validation, g_ptr_array_unref);
  g_strfreev (analysis->recommended);
  g_free (analysis->scores);
  g_free (analysis->relevance);
  g_free (analysis);
}

static void
analysis_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PwWorkshop *self = g_task_get_source_object (task);
  g_autoptr(PwUserAnalysis) a = NULL;
  g_autoptr(GHashTable) targets = g_hash_table_new (g_str_hash, g_str_equal);
  GError *error = NULL;
  double *scores = NULL;
  char **items;

  items = pw_workshop_recommend_finish (self, result, &scores, &error);
  if (items == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  a = g_object_steal_data (G_OBJECT (task), "pw-analysis");
  a->recommended = items;
  a->scores = scores;
  a->n_recommended = g_strv_length (items);
  a->relevance = g_new0 (guint8, MAX (1, a->n_recommended));
  for (guint i = 0; i < a->validation->len; i++)
    g_hash_table_add (targets, ((PwWorkshopInteraction *) g_ptr_array_index (a->validation, i))->item_id);
  for (guint i = 0; i < a->n_recommended; i++)
    {
      a->relevance[i] = g_hash_table_contains (targets, items[i]) ? 1 : 0;
      if (i < 10)
        a->hits_top10 += a->relevance[i];
    }
  g_task_return_pointer (task, g_steal_pointer (&a), (GDestroyNotify) pw_user_analysis_free);
}

void
pw_workshop_analyze_user_async (PwWorkshop          *self,
                                const char          *user_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  PwUserAnalysis *a;
  GError *error = NULL;
  guint u;

  g_return_if_fail (PW_IS_WORKSHOP (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_workshop_analyze_user_async);
  if (pw_workshop_get_prepared (self) == NULL)
    {
      g_task_return_new_error (task, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                               _("The prepared data is not loaded: prepare the data first."));
      g_object_unref (task);
      return;
    }
  if (user_id == NULL || !pw_interactions_lookup_user (pw_workshop_get_prepared (self)->interactions, user_id, &u))
    {
      g_task_return_new_error (task, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_INVALID_DATA,
                               _("There is no user “%s” in the data."), user_id != NULL ? user_id : "");
      g_object_unref (task);
      return;
    }
  a = g_new0 (PwUserAnalysis, 1);
  a->user_id = g_strdup (user_id);
  a->recent_training = pw_workshop_get_user_history (self, user_id, FALSE, 5, &error);
  a->validation = pw_workshop_get_user_history (self, user_id, TRUE, 0, &error);
  g_object_set_data_full (G_OBJECT (task), "pw-analysis", a, (GDestroyNotify) pw_user_analysis_free);
  pw_workshop_recommend_async (self, user_id, EVAL_K, cancellable, analysis_done_cb, task);
}

PwUserAnalysis *
pw_workshop_analyze_user_finish (PwWorkshop    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
