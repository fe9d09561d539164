/* pw-evaluation.c: solution metrics (GetSolutionMetrics) and the workshop's
 * validation evaluation (notebooks 6.1 and 7.1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-engine"

#include <glib/gi18n.h>
#include <string.h>

#include "pw-engine-error.h"
#include "pw-evaluation.h"
#include "pw-model-private.h"

#define EVAL_K 25

typedef struct
{
  PwEvent *events;      /* input, oldest first */
  guint    n_events;
  gint     seed_item;   /* related-items seed, -1 = none */
  guint32  user_hash;
  gint32  *targets;     /* model item index, or -1 for unknown */
  guint    n_targets;
  /* results */
  gint32  *recs;
  gboolean *rel;
  guint    n_recs;
} EvalQuery;

typedef struct
{
  PwModel                  *model;
  EvalQuery                *queries;
  const PwRecommendOptions *options;
  GCancellable             *cancellable;
} EvalJob;

static void
eval_query_store (EvalQuery *eq,
                  GArray    *recs)
{
  eq->n_recs = recs->len;
  eq->recs = g_new (gint32, MAX (1, recs->len));
  eq->rel = g_new (gboolean, MAX (1, recs->len));
  for (guint p = 0; p < eq->n_recs; p++)
    {
      gint item = g_array_index (recs, PwRecommendation, p).item;
      eq->recs[p] = item;
      eq->rel[p] = FALSE;
      for (guint t = 0; t < eq->n_targets; t++)
        eq->rel[p] |= eq->targets[t] == item;
    }
  g_array_unref (recs);
}

/* EASE's lists for queries [begin, end), their history rows summed all at
 * once (pw_score_rows_batch()); FALSE when a query has a session (then
 * each is scored on its own) */
static gboolean
eval_queries_batched (EvalJob *job,
                      guint    begin,
                      guint    end)
{
  PwModel *m = job->model;
  guint n_batch = end - begin;
  g_autofree PwUserState *states = g_new0 (PwUserState, MAX (1, n_batch));
  g_autofree gboolean *any = g_new (gboolean, MAX (1, n_batch));
  g_autofree float *batch = NULL;
  gboolean plain = TRUE;
  PwScorer sc;

  for (guint q = begin; q < end; q++)
    {
      EvalQuery *eq = &job->queries[q];

      pw_user_state_build (m, eq->events, eq->n_events, m->half_life, &states[q - begin]);
      plain &= states[q - begin].n_realtime == 0;
    }
  if (plain)
    {
      batch = pw_matrix_alloc ((gsize) m->n_warm * n_batch, FALSE);
      pw_scorer_init (&sc, m);
      pw_score_rows_batch (m, &sc, states, n_batch, batch, any);
    }
  for (guint q = begin; q < end; q++)
    {
      EvalQuery *eq = &job->queries[q];
      float *scores = plain ? batch + (gsize) (q - begin) * m->n_warm : NULL;

      if (plain && !g_cancellable_is_cancelled (job->cancellable))
        {
          if (any[q - begin])
            pw_score_add_parts (m, &sc, &states[q - begin], scores);
          eval_query_store (eq, pw_model_recommend_scored (m, eq->events, eq->n_events, eq->user_hash,
                                                           job->options, &states[q - begin], scores,
                                                           any[q - begin]));
        }
      pw_user_state_clear (&states[q - begin]);
    }
  return plain;
}

static void
eval_queries (guint    begin,
              guint    end,
              guint    worker,
              gpointer data)
{
  EvalJob *job = data;
  PwRecipeType type = pw_recipe_get_type_for (job->model->recipe);

  if (g_cancellable_is_cancelled (job->cancellable))
    return;
  if (type != PW_RECIPE_TYPE_RELATED_ITEMS && job->model->recipe != PW_RECIPE_POPULARITY_COUNT
      && job->model->item_factors == NULL && job->model->dense != NULL
      && job->options->num_results > 0 && eval_queries_batched (job, begin, end))
    return;
  for (guint q = begin; q < end; q++)
    {
      EvalQuery *eq = &job->queries[q];

      if (g_cancellable_is_cancelled (job->cancellable))
        return;
      if (type == PW_RECIPE_TYPE_RELATED_ITEMS)
        eval_query_store (eq, pw_model_related_events (job->model, eq->seed_item, eq->events, eq->n_events,
                                                        job->options));
      else
        eval_query_store (eq, pw_model_recommend_events (job->model, eq->events, eq->n_events, eq->user_hash,
                                                         job->options));
    }
}

/* Runs the queries on the model's threads and sums the metrics in query
 * order (deterministic). */
static void
run_queries (PwModel                  *model,
             EvalQuery                *queries,
             guint                     n_queries,
             const PwRecommendOptions *options,
             guint                     n_catalogue,
             GCancellable             *cancellable,
             PwMetrics                *metrics)
{
  EvalJob job = { model, queries, options, cancellable };
  guint8 *recommended = g_new0 (guint8, MAX (1, model->n_items));
  guint distinct = 0;

  pw_parallel_for (n_queries, pw_rows_batch_size (n_queries, model->n_threads, 1), model->n_threads, eval_queries, &job);
  pw_metrics_init (metrics);
  for (guint q = 0; q < n_queries; q++)
    {
      pw_metrics_add_user (metrics, queries[q].rel, queries[q].n_recs, queries[q].n_targets);
      for (guint p = 0; p < queries[q].n_recs; p++)
        if (queries[q].recs[p] >= 0 && !recommended[queries[q].recs[p]])
          {
            recommended[queries[q].recs[p]] = 1;
            distinct++;
          }
    }
  pw_metrics_finish (metrics, distinct, n_catalogue);
  g_free (recommended);
}

static void
free_queries (EvalQuery *queries,
              guint      n)
{
  for (guint q = 0; q < n; q++)
    {
      g_free (queries[q].events);
      g_free (queries[q].targets);
      g_free (queries[q].recs);
      g_free (queries[q].rel);
    }
  g_free (queries);
}

static void
add_target (GArray *targets,
            gint32  item)
{
  for (guint t = 0; t < targets->len; t++)
    if (g_array_index (targets, gint32, t) == item)
      return;
  g_array_append_val (targets, item);
}

static void
free_array (gpointer data)
{
  if (data != NULL)
    g_array_unref (data);
}

/**
 * pw_evaluate_solution:
 * @options: the training options (recipe, seed, ...)
 *
 * Personalize's offline metrics: a seeded random 10% of the users (with at
 * least 2 interactions) is held out; the model is trained on the other
 * users; each held-out user's oldest 90% interactions are the input, the
 * newest 10% (rank r of n with 10 r > 9 n) the targets. 25 items are
 * recommended per user, without exploration, leaving out the input items;
 * related-items recipes are seeded with the user's last input item.
 * Coverage is over all items of @dataset.
 */
gboolean
pw_evaluate_solution (PwDataset             *dataset,
                      const PwTrainOptions  *options,
                      PwMetrics             *metrics,
                      GCancellable          *cancellable,
                      GError               **error)
{
  g_autoptr(PwDataset) train = pw_dataset_new ();
  g_autoptr(PwModel) model = NULL;
  guint n_users = pw_dataset_get_n_users (dataset);
  guint *counts = g_new0 (guint, MAX (1, n_users));
  guint8 *held = g_new0 (guint8, MAX (1, n_users));
  GPtrArray *per_user;
  GArray *eligible = g_array_new (FALSE, FALSE, sizeof (guint));
  GRand *rand = g_rand_new_with_seed (options->seed);
  EvalQuery *queries;
  guint n_hold, q = 0;
  PwRecommendOptions ropts;

  for (guint r = 0; r < dataset->interactions->len; r++)
    counts[g_array_index (dataset->interactions, PwInteraction, r).user]++;
  for (guint u = 0; u < n_users; u++)
    if (counts[u] >= 2)
      g_array_append_val (eligible, u);
  for (guint k = eligible->len; k > 1; k--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) k);
      guint tmp = g_array_index (eligible, guint, k - 1);
      g_array_index (eligible, guint, k - 1) = g_array_index (eligible, guint, j);
      g_array_index (eligible, guint, j) = tmp;
    }
  g_rand_free (rand);
  n_hold = (eligible->len + 5) / 10;
  if (n_hold == 0 || n_hold >= n_users)
    {
      g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_TOO_LITTLE_DATA,
                   _("Too few users with 2 or more interactions to compute solution metrics"));
      g_array_unref (eligible);
      g_free (counts);
      g_free (held);
      return FALSE;
    }
  for (guint k = 0; k < n_hold; k++)
    held[g_array_index (eligible, guint, k)] = 1;
  g_array_unref (eligible);

  /* the training dataset: same items in the same order, the other users */
  for (guint i = 0; i < pw_dataset_get_n_items (dataset); i++)
    {
      guint ti = pw_dataset_add_item (train, pw_dataset_get_item_id (dataset, i));
      pw_dataset_set_item_metadata (train, ti, pw_dataset_get_item_genres (dataset, i),
                                    g_array_index (dataset->item_creation, gint64, i));
    }
  per_user = g_ptr_array_new_with_free_func (free_array);
  for (guint u = 0; u < n_users; u++)
    g_ptr_array_add (per_user, held[u] ? g_array_new (FALSE, FALSE, sizeof (PwEvent)) : NULL);
  for (guint r = 0; r < dataset->interactions->len; r++)
    {
      const PwInteraction *it = &g_array_index (dataset->interactions, PwInteraction, r);
      if (held[it->user])
        {
          PwEvent ev = { it->item, 0, it->timestamp };
          g_array_append_val (g_ptr_array_index (per_user, it->user), ev);
        }
      else
        pw_dataset_add_interaction (train, pw_dataset_add_user (train, pw_dataset_get_user_id (dataset, it->user)),
                                    it->item, it->timestamp, it->value);
    }

  model = pw_model_train (train, options, cancellable, error);
  if (model == NULL)
    {
      g_ptr_array_unref (per_user);
      g_free (counts);
      g_free (held);
      return FALSE;
    }

  queries = g_new0 (EvalQuery, n_hold);
  for (guint u = 0; u < n_users; u++)
    {
      GArray *ev;
      guint len, n_input;
      GArray *targets;

      if (!held[u])
        continue;
      ev = g_ptr_array_index (per_user, u);
      g_array_sort (ev, pw_event_compare_time);
      len = ev->len;
      n_input = (guint) (((guint64) 9 * len) / 10);
      targets = g_array_new (FALSE, FALSE, sizeof (gint32));
      for (guint e = n_input; e < len; e++)
        {
          guint32 it = g_array_index (ev, PwEvent, e).item;
          gboolean in_input = FALSE;
          for (guint e2 = 0; e2 < n_input && !in_input; e2++)
            in_input = g_array_index (ev, PwEvent, e2).item == it;
          if (!in_input)
            add_target (targets, (gint32) it);
        }
      queries[q].events = g_memdup2 (ev->data, sizeof (PwEvent) * MAX (1, n_input));
      queries[q].n_events = n_input;
      queries[q].seed_item = n_input > 0 ? (gint) g_array_index (ev, PwEvent, n_input - 1).item : -1;
      queries[q].user_hash = g_str_hash (pw_dataset_get_user_id (dataset, u));
      queries[q].n_targets = targets->len;
      queries[q].targets = (gint32 *) g_array_free (targets, FALSE);
      q++;
    }
  g_ptr_array_unref (per_user);

  pw_recommend_options_init (&ropts);
  ropts.num_results = EVAL_K;
  ropts.exploration_weight = 0;
  run_queries (model, queries, n_hold, &ropts, pw_dataset_get_n_items (dataset), cancellable, metrics);
  free_queries (queries, n_hold);
  g_free (counts);
  g_free (held);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/**
 * pw_evaluate_validation:
 * @validation: the validation interactions (ids are looked up in @model)
 * @options: (nullable): list length (default 25) and exploration settings
 *
 * The workshop's campaign evaluation: 25 items for every user of
 * @validation (related-items models are seeded with the user's last training
 * item and told the user, so seen items are left out), scored against the
 * user's validation items.
 */
gboolean
pw_evaluate_validation (PwModel                  *model,
                        PwDataset                *validation,
                        const PwRecommendOptions *options,
                        PwMetrics                *metrics,
                        GCancellable             *cancellable,
                        GError                  **error)
{
  guint n_users = pw_dataset_get_n_users (validation);
  GPtrArray *targets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  EvalQuery *queries;
  PwRecommendOptions ropts;

  if (options != NULL)
    ropts = *options;
  else
    pw_recommend_options_init (&ropts);
  if (ropts.num_results == 0)
    ropts.num_results = EVAL_K;
  ropts.keep_interacted = FALSE;

  if (n_users == 0)
    {
      g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_TOO_LITTLE_DATA,
                   _("The validation data has no users"));
      g_ptr_array_unref (targets);
      return FALSE;
    }

  for (guint u = 0; u < n_users; u++)
    g_ptr_array_add (targets, g_array_new (FALSE, FALSE, sizeof (gint32)));
  for (guint r = 0; r < validation->interactions->len; r++)
    {
      const PwInteraction *it = &g_array_index (validation->interactions, PwInteraction, r);
      gint item = pw_model_lookup_item (model, pw_dataset_get_item_id (validation, it->item));
      /* an item the model does not know still counts as a target; encode it
       * uniquely below -1 so that distinct unknown items stay distinct */
      add_target (g_ptr_array_index (targets, it->user), item >= 0 ? item : -2 - (gint32) it->item);
    }

  queries = g_new0 (EvalQuery, n_users);
  g_rw_lock_reader_lock (&model->lock);
  for (guint u = 0; u < n_users; u++)
    {
      const char *user_id = pw_dataset_get_user_id (validation, u);
      GArray *t = g_ptr_array_index (targets, u);
      gint mu = -1;
      gpointer value;

      if (g_hash_table_lookup_extended (model->user_index, user_id, NULL, &value))
        mu = GPOINTER_TO_INT (value);
      if (mu >= 0)
        {
          GArray *h = g_ptr_array_index (model->histories, mu);
          queries[u].events = g_memdup2 (h->data, sizeof (PwEvent) * MAX (1, h->len));
          queries[u].n_events = h->len;
          queries[u].seed_item = h->len > 0 ? (gint) g_array_index (h, PwEvent, h->len - 1).item : -1;
        }
      else
        queries[u].seed_item = -1;
      queries[u].user_hash = g_str_hash (user_id);
      queries[u].n_targets = t->len;
      queries[u].targets = g_memdup2 (t->data, sizeof (gint32) * MAX (1, t->len));
    }
  run_queries (model, queries, n_users, &ropts, model->n_items, cancellable, metrics);
  g_rw_lock_reader_unlock (&model->lock);

  free_queries (queries, n_users);
  g_ptr_array_unref (targets);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

typedef struct
{
  PwDataset          *dataset;
  PwModel            *model;
  PwTrainOptions      train;
  PwRecommendOptions  recommend;
} EvaluateData;

static void
evaluate_data_free (EvaluateData *data)
{
  g_clear_pointer (&data->model, pw_model_unref);
  g_free (data);
}

static void
evaluate_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  EvaluateData *data = task_data;
  PwMetrics metrics;
  GError *error = NULL;
  gboolean ok;

  if (data->model != NULL)
    ok = pw_evaluate_validation (data->model, data->dataset, &data->recommend, &metrics, cancellable, &error);
  else
    ok = pw_evaluate_solution (data->dataset, &data->train, &metrics, cancellable, &error);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_memdup2 (&metrics, sizeof metrics), g_free);
}

static gboolean
evaluate_finish (GAsyncResult  *result,
                 PwMetrics     *metrics,
                 GError       **error)
{
  g_autofree PwMetrics *m = g_task_propagate_pointer (G_TASK (result), error);

  if (m == NULL)
    return FALSE;
  if (metrics != NULL)
    *metrics = *m;
  return TRUE;
}

/**
 * pw_evaluate_solution_async:
 * @dataset: must stay alive and unchanged until the callback runs
 *
 * pw_evaluate_solution() in a worker thread.
 */
void
pw_evaluate_solution_async (PwDataset            *dataset,
                            const PwTrainOptions *options,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  EvaluateData *data = g_new0 (EvaluateData, 1);

  g_return_if_fail (dataset != NULL && options != NULL);

  data->dataset = dataset;
  data->train = *options;
  g_task_set_source_tag (task, pw_evaluate_solution_async);
  g_task_set_task_data (task, data, (GDestroyNotify) evaluate_data_free);
  g_task_run_in_thread (task, evaluate_thread);
}

gboolean
pw_evaluate_solution_finish (GAsyncResult  *result,
                             PwMetrics     *metrics,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return evaluate_finish (result, metrics, error);
}

/**
 * pw_evaluate_validation_async:
 * @validation: must stay alive and unchanged until the callback runs
 *
 * pw_evaluate_validation() in a worker thread.
 */
void
pw_evaluate_validation_async (PwModel                  *model,
                              PwDataset                *validation,
                              const PwRecommendOptions *options,
                              GCancellable             *cancellable,
                              GAsyncReadyCallback       callback,
                              gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  EvaluateData *data = g_new0 (EvaluateData, 1);

  g_return_if_fail (model != NULL && validation != NULL);

  data->dataset = validation;
  data->model = pw_model_ref (model);
  if (options != NULL)
    data->recommend = *options;
  else
    pw_recommend_options_init (&data->recommend);
  g_task_set_source_tag (task, pw_evaluate_validation_async);
  g_task_set_task_data (task, data, (GDestroyNotify) evaluate_data_free);
  g_task_run_in_thread (task, evaluate_thread);
}

gboolean
pw_evaluate_validation_finish (GAsyncResult  *result,
                               PwMetrics     *metrics,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return evaluate_finish (result, metrics, error);
}
