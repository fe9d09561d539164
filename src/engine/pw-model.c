/* pw-model.c: a trained recommender: training dispatch, user state,
 * recommendations, related items, ranking and real-time events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-engine"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include <cblas.h>

#include "pw-engine-error.h"
#include "pw-model-private.h"

#define RECENCY_FLOOR 0.2

void
pw_train_options_init (PwTrainOptions *options,
                       PwRecipe        recipe)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->recipe = recipe;
  options->memory_budget = PW_DEFAULT_MEMORY_BUDGET;
  options->seed = 42;
}

void
pw_recommend_options_init (PwRecommendOptions *options)
{
  g_return_if_fail (options != NULL);

  options->num_results = 25;
  options->keep_interacted = FALSE;
  options->exploration_weight = -1;
  options->exploration_item_age_cut_off = -1;
}

PwModel *
pw_model_new_empty (PwRecipe recipe)
{
  PwModel *self = g_new0 (PwModel, 1);

  self->ref_count = 1;
  self->recipe = recipe;
  g_rw_lock_init (&self->lock);
  self->n_threads = pw_parallel_n_threads (0);
  self->item_ids = g_ptr_array_new_with_free_func (g_free);
  self->item_genres = g_ptr_array_new_with_free_func (g_free);
  self->item_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->user_ids = g_ptr_array_new_with_free_func (g_free);
  self->user_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->histories = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  self->recency_floor = RECENCY_FLOOR;
  self->half_life = -1;
  self->seq_n_in = 3;
  self->seq_in_decay = 0.5;
  self->sim_beta = 0.5;
  return self;
}

PwModel *
pw_model_ref (PwModel *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
pw_model_unref (PwModel *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_hash_table_unref (self->item_index);
  g_hash_table_unref (self->user_index);
  g_ptr_array_unref (self->item_ids);
  g_ptr_array_unref (self->item_genres);
  g_ptr_array_unref (self->user_ids);
  g_ptr_array_unref (self->histories);
  g_free (self->item_creation);
  g_free (self->popularity);
  g_free (self->pop_order);
  g_free (self->warm_items);
  g_free (self->dense_of);
  g_free (self->genre_ptr);
  g_free (self->genre_idx);
  g_free (self->genre_idf);
  g_free (self->genre_norm);
  g_free (self->dense);
  g_free (self->seq);
  g_free (self->time_counts);
  g_free (self->item_factors);
  g_free (self->gram);
  g_free (self->iu_ptr);
  g_free (self->iu_users);
  g_rw_lock_clear (&self->lock);
  g_free (self);
}

/* events by time (stable sorts keep file order for ties) */
int
pw_event_compare_time (gconstpointer a,
                       gconstpointer b)
{
  const PwEvent *x = a, *y = b;

  return (x->timestamp > y->timestamp) - (x->timestamp < y->timestamp);
}

static guint
intern_user (PwModel    *self,
             const char *user_id)
{
  gpointer value;
  char *copy;

  if (g_hash_table_lookup_extended (self->user_index, user_id, NULL, &value))
    return GPOINTER_TO_UINT (value);
  copy = g_strdup (user_id);
  g_ptr_array_add (self->user_ids, copy);
  g_ptr_array_add (self->histories, g_array_new (FALSE, FALSE, sizeof (PwEvent)));
  g_hash_table_insert (self->user_index, copy, GUINT_TO_POINTER (self->user_ids->len - 1));
  return self->user_ids->len - 1;
}

static int
compare_popularity (gconstpointer a,
                    gconstpointer b,
                    gpointer      data)
{
  const guint32 *pop = data;
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  if (pop[x] != pop[y])
    return pop[x] > pop[y] ? -1 : 1;
  return (x > y) - (x < y);
}

/* Everything derived from the saved primitives (ids, genres, histories of the
 * training users): popularity, warm items, metadata index. */
void
pw_model_prepare (PwModel *self)
{
  g_autoptr(GHashTable) genres = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GArray *idx = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree guint32 *df = NULL;
  g_autofree guint8 *seen = NULL;

  self->n_items = self->item_ids->len;
  g_clear_pointer (&self->popularity, g_free);
  g_clear_pointer (&self->pop_order, g_free);
  g_clear_pointer (&self->warm_items, g_free);
  g_clear_pointer (&self->dense_of, g_free);
  g_clear_pointer (&self->genre_ptr, g_free);
  g_clear_pointer (&self->genre_idx, g_free);
  g_clear_pointer (&self->genre_idf, g_free);
  g_clear_pointer (&self->genre_norm, g_free);

  g_hash_table_remove_all (self->item_index);
  for (guint i = 0; i < self->n_items; i++)
    g_hash_table_insert (self->item_index, g_ptr_array_index (self->item_ids, i), GUINT_TO_POINTER (i));
  g_hash_table_remove_all (self->user_index);
  for (guint u = 0; u < self->user_ids->len; u++)
    g_hash_table_insert (self->user_index, g_ptr_array_index (self->user_ids, u), GUINT_TO_POINTER (u));

  /* popularity: distinct training users per item */
  self->popularity = g_new0 (guint32, self->n_items);
  seen = g_new0 (guint8, self->n_items);
  self->max_timestamp = G_MININT64;
  for (guint u = 0; u < self->n_train_users && u < self->histories->len; u++)
    {
      GArray *h = g_ptr_array_index (self->histories, u);
      for (guint e = 0; e < h->len; e++)
        {
          PwEvent *ev = &g_array_index (h, PwEvent, e);
          if (!seen[ev->item])
            {
              seen[ev->item] = 1;
              self->popularity[ev->item]++;
            }
          self->max_timestamp = MAX (self->max_timestamp, ev->timestamp);
        }
      for (guint e = 0; e < h->len; e++)
        seen[g_array_index (h, PwEvent, e).item] = 0;
    }
  if (self->max_timestamp == G_MININT64)
    self->max_timestamp = 0;

  self->pop_order = g_new (guint32, self->n_items);
  for (guint i = 0; i < self->n_items; i++)
    self->pop_order[i] = i;
  g_qsort_with_data (self->pop_order, self->n_items, sizeof (guint32), compare_popularity, self->popularity);

  self->dense_of = g_new (gint32, self->n_items);
  self->n_warm = 0;
  for (guint i = 0; i < self->n_items; i++)
    self->dense_of[i] = self->popularity[i] > 0 ? (gint32) self->n_warm++ : -1;
  self->warm_items = g_new (guint32, MAX (1, self->n_warm));
  for (guint i = 0; i < self->n_items; i++)
    if (self->dense_of[i] >= 0)
      self->warm_items[self->dense_of[i]] = i;

  /* genres: CSR of categorical values, idf weights */
  self->genre_ptr = g_new0 (guint32, self->n_items + 1);
  for (guint i = 0; i < self->n_items; i++)
    {
      const char *g = g_ptr_array_index (self->item_genres, i);
      self->genre_ptr[i] = idx->len;
      if (g != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (g, "|", -1);
          for (guint p = 0; parts[p] != NULL; p++)
            {
              gpointer value;
              guint32 gi;
              gboolean dup = FALSE;

              g_strstrip (parts[p]);
              if (parts[p][0] == '\0')
                continue;
              if (!g_hash_table_lookup_extended (genres, parts[p], NULL, &value))
                {
                  value = GUINT_TO_POINTER (g_hash_table_size (genres));
                  g_hash_table_insert (genres, g_strdup (parts[p]), value);
                }
              gi = GPOINTER_TO_UINT (value);
              for (guint q = self->genre_ptr[i]; q < idx->len; q++)
                dup |= g_array_index (idx, guint32, q) == gi;
              if (!dup)
                g_array_append_val (idx, gi);
            }
        }
    }
  self->genre_ptr[self->n_items] = idx->len;
  self->n_genres = g_hash_table_size (genres);
  self->genre_idx = (guint32 *) g_array_free (idx, FALSE);
  df = g_new0 (guint32, MAX (1, self->n_genres));
  for (guint q = 0; q < self->genre_ptr[self->n_items]; q++)
    df[self->genre_idx[q]]++;
  self->genre_idf = g_new0 (float, MAX (1, self->n_genres));
  for (guint g = 0; g < self->n_genres; g++)
    self->genre_idf[g] = (float) log (1.0 + (double) self->n_items / (double) MAX (1, df[g]));
  self->genre_norm = g_new0 (float, self->n_items);
  for (guint i = 0; i < self->n_items; i++)
    {
      double s = 0;
      for (guint q = self->genre_ptr[i]; q < self->genre_ptr[i + 1]; q++)
        s += (double) self->genre_idf[self->genre_idx[q]] * self->genre_idf[self->genre_idx[q]];
      self->genre_norm[i] = (float) sqrt (s);
    }
}

/* item -> training users, for co-occurrence rows computed on demand */
void
pw_model_build_item_users (PwModel *self)
{
  g_autofree guint32 *fill = NULL;
  g_autofree guint8 *seen = g_new0 (guint8, MAX (1, self->n_items));

  g_clear_pointer (&self->iu_ptr, g_free);
  g_clear_pointer (&self->iu_users, g_free);
  self->iu_ptr = g_new0 (guint32, self->n_items + 1);
  for (guint i = 0; i < self->n_items; i++)
    self->iu_ptr[i + 1] = self->iu_ptr[i] + self->popularity[i];
  self->iu_users = g_new (guint32, MAX (1, self->iu_ptr[self->n_items]));
  fill = g_memdup2 (self->iu_ptr, sizeof (guint32) * self->n_items);
  for (guint u = 0; u < self->n_train_users; u++)
    {
      GArray *h = g_ptr_array_index (self->histories, u);
      for (guint e = 0; e < h->len; e++)
        {
          guint32 it = g_array_index (h, PwEvent, e).item;
          if (!seen[it])
            {
              seen[it] = 1;
              self->iu_users[fill[it]++] = u;
            }
        }
      for (guint e = 0; e < h->len; e++)
        seen[g_array_index (h, PwEvent, e).item] = 0;
    }
}

static PwModel *
model_new_from_dataset (PwDataset *dataset,
                        PwRecipe   recipe)
{
  PwModel *self = pw_model_new_empty (recipe);
  guint n_items = pw_dataset_get_n_items (dataset);

  self->item_creation = g_new (gint64, MAX (1, n_items));
  for (guint i = 0; i < n_items; i++)
    {
      const char *genres = pw_dataset_get_item_genres (dataset, i);
      g_ptr_array_add (self->item_ids, g_strdup (pw_dataset_get_item_id (dataset, i)));
      g_ptr_array_add (self->item_genres, g_strdup (genres));
      self->item_creation[i] = g_array_index (dataset->item_creation, gint64, i);
    }
  self->n_items = n_items;

  for (guint u = 0; u < pw_dataset_get_n_users (dataset); u++)
    intern_user (self, pw_dataset_get_user_id (dataset, u));
  for (guint r = 0; r < dataset->interactions->len; r++)
    {
      const PwInteraction *it = &g_array_index (dataset->interactions, PwInteraction, r);
      PwEvent ev = { it->item, 0, it->timestamp };
      g_array_append_val (g_ptr_array_index (self->histories, it->user), ev);
    }
  /* oldest first; ties keep file order (stable sort) */
  for (guint u = 0; u < self->histories->len; u++)
    {
      GArray *h = g_ptr_array_index (self->histories, u);
      g_array_sort (h, pw_event_compare_time);
    }
  self->n_train_users = self->user_ids->len;
  pw_model_prepare (self);
  return self;
}

PwModel *
pw_model_train (PwDataset             *dataset,
                const PwTrainOptions  *options,
                GCancellable          *cancellable,
                GError               **error)
{
  g_autoptr(PwModel) self = NULL;
  PwTrainOptions defaults;
  guint64 dense_bytes;
  gint64 t0;

  g_return_val_if_fail (dataset != NULL, NULL);

  if (options == NULL)
    {
      pw_train_options_init (&defaults, PW_RECIPE_USER_PERSONALIZATION);
      options = &defaults;
    }

  if (dataset->interactions->len == 0)
    {
      g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_TOO_LITTLE_DATA,
                   _("There are no interactions to train on"));
      return NULL;
    }
  for (guint r = 0; r < dataset->interactions->len; r++)
    {
      const PwInteraction *it = &g_array_index (dataset->interactions, PwInteraction, r);
      if (it->user >= pw_dataset_get_n_users (dataset) || it->item >= pw_dataset_get_n_items (dataset))
        {
          g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_INVALID_INPUT,
                       _("Interaction %u refers to a user or item index out of range"), r + 1);
          return NULL;
        }
    }

  t0 = g_get_monotonic_time ();
  self = model_new_from_dataset (dataset, options->recipe);
  g_debug ("model from the dataset: %.3f s", (g_get_monotonic_time () - t0) / 1e6);
  self->n_threads = pw_parallel_n_threads (options->n_threads);
  dense_bytes = (guint64) self->n_warm * self->n_warm * sizeof (float);

  switch (options->recipe)
    {
    case PW_RECIPE_POPULARITY_COUNT:
      break;

    case PW_RECIPE_SIMILAR_ITEMS:
    case PW_RECIPE_SIMS:
      if (dense_bytes <= options->memory_budget)
        {
          self->dense = pw_cooccurrence_dense (self, self->n_threads);
          if (options->related_beta > 0)
            self->sim_beta = options->related_beta;
          else if (dense_bytes * 2 <= options->memory_budget)
            pw_related_tune (self, options, cancellable);
        }
      else
        pw_model_build_item_users (self);
      break;

    case PW_RECIPE_USER_PERSONALIZATION:
    case PW_RECIPE_PERSONALIZED_RANKING:
    default:
      if (!options->force_factor_model && dense_bytes * 3 <= options->memory_budget)
        {
          if (!pw_ease_train (self, options, cancellable, error))
            return NULL;
        }
      else if (!pw_als_train (self, options, cancellable, error))
        return NULL;
      break;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return g_steal_pointer (&self);
}

static void
train_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  PwDataset *dataset = g_object_get_data (G_OBJECT (task), "pw-dataset");
  GError *error = NULL;
  PwModel *model = pw_model_train (dataset, task_data, cancellable, &error);

  if (model == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, model, (GDestroyNotify) pw_model_unref);
}

/**
 * pw_model_train_async:
 * @dataset: must stay alive and unchanged until the callback runs
 */
void
pw_model_train_async (PwDataset            *dataset,
                      const PwTrainOptions *options,
                      GCancellable         *cancellable,
                      GAsyncReadyCallback   callback,
                      gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  PwTrainOptions *copy = g_new (PwTrainOptions, 1);

  if (options != NULL)
    *copy = *options;
  else
    pw_train_options_init (copy, PW_RECIPE_USER_PERSONALIZATION);
  g_task_set_source_tag (task, pw_model_train_async);
  g_task_set_task_data (task, copy, g_free);
  g_object_set_data (G_OBJECT (task), "pw-dataset", dataset);
  g_task_run_in_thread (task, train_thread);
}

PwModel *
pw_model_train_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- accessors ---- */

PwRecipe
pw_model_get_recipe (PwModel *self)
{
  return self->recipe;
}

gboolean
pw_model_is_factor_model (PwModel *self)
{
  return self->item_factors != NULL;
}

double
pw_model_get_lambda (PwModel *self)
{
  return self->lambda;
}

double
pw_model_get_recency_half_life (PwModel *self)
{
  return self->half_life;
}

/* the weight of the sequential part (what comes next), 0 = none */
double
pw_model_get_sequence_weight (PwModel *self)
{
  return self->seq != NULL ? self->seq_weight : 0;
}

/* the weight of the time part (what was popular at the user's time), 0 = none */
double
pw_model_get_time_weight (PwModel *self)
{
  return self->time_counts != NULL ? self->time_weight : 0;
}

/* how much of the session's share its genre list takes, 0 = none */
double
pw_model_get_session_genre_weight (PwModel *self)
{
  return self->session_genre_weight;
}

guint
pw_model_get_n_items (PwModel *self)
{
  return self->n_items;
}

guint
pw_model_get_n_users (PwModel *self)
{
  guint n;

  g_rw_lock_reader_lock (&self->lock);
  n = self->user_ids->len;
  g_rw_lock_reader_unlock (&self->lock);
  return n;
}

const char *
pw_model_get_item_id (PwModel *self,
                      guint    item)
{
  g_return_val_if_fail (item < self->n_items, NULL);
  return g_ptr_array_index (self->item_ids, item);
}

const char *
pw_model_get_item_genres (PwModel *self,
                          guint    item)
{
  g_return_val_if_fail (item < self->n_items, NULL);
  return g_ptr_array_index (self->item_genres, item);
}

gint
pw_model_lookup_item (PwModel    *self,
                      const char *item_id)
{
  gpointer value;

  if (item_id == NULL || !g_hash_table_lookup_extended (self->item_index, item_id, NULL, &value))
    return -1;
  return GPOINTER_TO_INT (value);
}

static gint
lookup_user_locked (PwModel    *self,
                    const char *user_id)
{
  gpointer value;

  if (user_id == NULL || !g_hash_table_lookup_extended (self->user_index, user_id, NULL, &value))
    return -1;
  return GPOINTER_TO_INT (value);
}

gboolean
pw_model_has_user (PwModel    *self,
                   const char *user_id)
{
  gboolean known;

  g_rw_lock_reader_lock (&self->lock);
  known = lookup_user_locked (self, user_id) >= 0;
  g_rw_lock_reader_unlock (&self->lock);
  return known;
}

/**
 * pw_model_item_is_cold:
 * Returns: %TRUE for an item of the items dataset that had no training interaction
 */
gboolean
pw_model_item_is_cold (PwModel *self,
                       guint    item)
{
  g_return_val_if_fail (item < self->n_items, FALSE);
  return self->dense_of[item] < 0;
}

/**
 * pw_model_get_user_history:
 *
 * Returns: (transfer full) (nullable) (element-type guint32): the user's item
 *   indices, oldest first, including real-time events; %NULL for an unknown user
 */
GArray *
pw_model_get_user_history (PwModel    *self,
                           const char *user_id)
{
  GArray *out = NULL;
  gint u;

  g_rw_lock_reader_lock (&self->lock);
  u = lookup_user_locked (self, user_id);
  if (u >= 0)
    {
      GArray *h = g_ptr_array_index (self->histories, u);
      out = g_array_sized_new (FALSE, FALSE, sizeof (guint32), h->len);
      for (guint e = 0; e < h->len; e++)
        g_array_append_val (out, g_array_index (h, PwEvent, e).item);
    }
  g_rw_lock_reader_unlock (&self->lock);
  return out;
}

/* What GetRecommendations checks before it looks: @options (the defaults,
 * in @defaults, when NULL), numResults, that the id is there and that the
 * recipe takes that kind of id (@related: an item id). */
static const PwRecommendOptions *
check_request (PwModel                  *self,
               const PwRecommendOptions *options,
               PwRecommendOptions       *defaults,
               const char               *id,
               gboolean                  related,
               GError                  **error)
{
  if (options == NULL)
    {
      pw_recommend_options_init (defaults);
      options = defaults;
    }
  if (options->num_results > PW_MAX_NUM_RESULTS)
    {
      g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_INVALID_INPUT,
                   _("numResults is %u; it must be at most %u"), options->num_results, PW_MAX_NUM_RESULTS);
      return NULL;
    }
  if (id == NULL || *id == '\0')
    {
      g_set_error_literal (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_INVALID_INPUT,
                           related ? _("An item id is required") : _("A user id is required"));
      return NULL;
    }
  if ((pw_recipe_get_type_for (self->recipe) == PW_RECIPE_TYPE_RELATED_ITEMS) != related)
    {
      g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_INVALID_INPUT,
                   related ? _("The %s recipe recommends items for a user: give a user id")
                           : _("The %s recipe recommends items related to an item: give an item id"),
                   pw_recipe_to_name (self->recipe));
      return NULL;
    }
  return options;
}

/* a known user's history (oldest first), or none; the caller holds the lock */
static const PwEvent *
user_events_locked (PwModel    *self,
                    const char *user_id,
                    guint      *n_events)
{
  gint u = lookup_user_locked (self, user_id);
  GArray *h;

  *n_events = 0;
  if (u < 0)
    return NULL;
  h = g_ptr_array_index (self->histories, u);
  *n_events = h->len;
  return (const PwEvent *) h->data;
}

/* Both GetRecommendations forms: check the request, then read the user's
 * events under the lock and rank either for the user or, when @related,
 * around the seed @item_id. */
static GArray *
recommend_for (PwModel                  *self,
               gboolean                  related,
               const char               *item_id,
               const char               *user_id,
               const PwRecommendOptions *options,
               GError                  **error)
{
  PwRecommendOptions defaults;
  GArray *out;
  const PwEvent *events;
  guint n_events;

  options = check_request (self, options, &defaults, related ? item_id : user_id, related, error);
  if (options == NULL)
    return NULL;

  g_rw_lock_reader_lock (&self->lock);
  events = user_events_locked (self, user_id, &n_events);
  if (related)
    out = pw_model_related_events (self, pw_model_lookup_item (self, item_id), events, n_events, options);
  else
    out = pw_model_recommend_events (self, events, n_events, g_str_hash (user_id), options);
  g_rw_lock_reader_unlock (&self->lock);
  return out;
}

/**
 * pw_model_recommend:
 * @user_id: a user id; an unknown user gets popular items (and exploration)
 * @options: (nullable): %NULL for the defaults
 *
 * GetRecommendations with a userId, for user-personalization,
 * popularity-count and personalized-ranking models. Items the user
 * interacted with (training and real-time events) are left out unless
 * @options->keep_interacted.
 *
 * Returns: (transfer full) (element-type PwRecommendation): best first
 */
GArray *
pw_model_recommend (PwModel                  *self,
                    const char               *user_id,
                    const PwRecommendOptions *options,
                    GError                  **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  return recommend_for (self, FALSE, NULL, user_id, options, error);
}

/**
 * pw_model_recommend_related:
 * @item_id: the seed item
 * @user_id: (nullable): when given and known, the user's items are left out
 *   unless @options->keep_interacted
 *
 * GetRecommendations with an itemId, for similar-items and sims models.
 *
 * Returns: (transfer full) (element-type PwRecommendation): best first
 */
GArray *
pw_model_recommend_related (PwModel                  *self,
                            const char               *item_id,
                            const char               *user_id,
                            const PwRecommendOptions *options,
                            GError                  **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  return recommend_for (self, TRUE, item_id, user_id, options, error);
}

typedef struct
{
  float   score;
  guint32 position;
} RankEntry;

static int
compare_rank_entry (gconstpointer a,
                    gconstpointer b)
{
  const RankEntry *x = a, *y = b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return (x->position > y->position) - (x->position < y->position);
}

/**
 * pw_model_rank:
 * @user_id: the user (unknown: items ranked by popularity)
 * @item_ids: (array length=n_item_ids): the inputList
 *
 * GetPersonalizedRanking: every input is returned; items the model was
 * trained on are ranked by the user-personalization score (softmax over the
 * input list), untrained and unknown items follow in input order without a
 * score. Works with user-personalization and personalized-ranking models
 * (popularity-count ranks by popularity).
 *
 * Returns: (transfer full) (element-type PwRecommendation)
 */
GArray *
pw_model_rank (PwModel            *self,
               const char         *user_id,
               const char * const *item_ids,
               guint               n_item_ids,
               GError            **error)
{
  GArray *out;
  PwUserState state = { 0 };
  g_autofree float *scores = NULL;
  g_autofree RankEntry *ranked = NULL;
  guint n_ranked = 0;
  gboolean personal = FALSE;
  double beta = 1, z = 0, max = -G_MAXDOUBLE;
  gint u;

  g_return_val_if_fail (self != NULL, NULL);

  if (pw_recipe_get_type_for (self->recipe) == PW_RECIPE_TYPE_RELATED_ITEMS)
    {
      g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_INVALID_INPUT,
                   _("The %s recipe cannot rank items for a user"), pw_recipe_to_name (self->recipe));
      return NULL;
    }
  if (user_id == NULL || *user_id == '\0')
    {
      g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_INVALID_INPUT, _("A user id is required"));
      return NULL;
    }
  if (n_item_ids > PW_MAX_NUM_RESULTS)
    {
      g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_INVALID_INPUT,
                   _("The input list has %u items; it may have at most %u"), n_item_ids, PW_MAX_NUM_RESULTS);
      return NULL;
    }

  out = g_array_sized_new (FALSE, FALSE, sizeof (PwRecommendation), n_item_ids);
  scores = g_new (float, MAX (1, self->n_warm));
  ranked = g_new (RankEntry, MAX (1, n_item_ids));

  g_rw_lock_reader_lock (&self->lock);
  u = lookup_user_locked (self, user_id);
  if (u >= 0)
    {
      GArray *h = g_ptr_array_index (self->histories, u);
      pw_user_state_build (self, (const PwEvent *) h->data, h->len, self->half_life, &state);
    }
  g_rw_lock_reader_unlock (&self->lock);

  if (self->recipe != PW_RECIPE_POPULARITY_COUNT && state.n > 0)
    personal = pw_model_score_dense (self, &state, scores);
  if (!personal)
    for (guint d = 0; d < self->n_warm; d++)
      scores[d] = (float) self->popularity[self->warm_items[d]];
  else
    {
      double b, m, lz;
      pw_softmax_params (scores, self->n_warm, NULL, &b, &m, &lz);
      beta = b;
    }

  for (guint k = 0; k < n_item_ids; k++)
    {
      gint item = pw_model_lookup_item (self, item_ids[k]);
      if (item >= 0 && self->dense_of[item] >= 0)
        {
          ranked[n_ranked].score = scores[self->dense_of[item]];
          ranked[n_ranked].position = k;
          max = MAX (max, ranked[n_ranked].score);
          n_ranked++;
        }
    }
  qsort (ranked, n_ranked, sizeof (RankEntry), compare_rank_entry);
  for (guint k = 0; k < n_ranked; k++)
    z += exp (beta * (ranked[k].score - max));
  for (guint k = 0; k < n_ranked; k++)
    {
      gint item = pw_model_lookup_item (self, item_ids[ranked[k].position]);
      double score = personal ? exp (beta * (ranked[k].score - max)) / z
                              : (double) ranked[k].score / MAX (1, self->n_train_users);
      pw_recommendation_append (self, out, (guint32) item, score, TRUE, FALSE);
    }
  for (guint k = 0; k < n_item_ids; k++)
    {
      gint item = pw_model_lookup_item (self, item_ids[k]);
      if (item < 0 || self->dense_of[item] < 0)
        {
          PwRecommendation r = { item >= 0 ? g_ptr_array_index (self->item_ids, item) : item_ids[k],
                                 item, 0.0, FALSE, FALSE };
          g_array_append_val (out, r);
        }
    }

  pw_user_state_clear (&state);
  return out;
}

/**
 * pw_model_put_event:
 * @user_id: the user; an unknown user is added (an anonymous session)
 * @item_id: an item of the model (trained or cold)
 * @timestamp: sentAt, epoch seconds
 *
 * A real-time event (PutEvents): it joins the user's state at once, so the
 * next pw_model_recommend() reflects it and leaves the item out.
 *
 * Returns: %FALSE with %PW_ENGINE_ERROR_NOT_FOUND for an item the model does
 *   not know (Personalize keeps such events for the next training)
 */
gboolean
pw_model_put_event (PwModel     *self,
                    const char  *user_id,
                    const char  *item_id,
                    gint64       timestamp,
                    GError     **error)
{
  PwEvent ev;
  GArray *h;
  gint item;
  guint pos;
  guint u;

  g_return_val_if_fail (self != NULL, FALSE);

  if (user_id == NULL || *user_id == '\0')
    {
      g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_INVALID_INPUT, _("A user id is required"));
      return FALSE;
    }
  item = pw_model_lookup_item (self, item_id);
  if (item < 0)
    {
      g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_NOT_FOUND,
                   _("Item “%s” is not in the model"), item_id != NULL ? item_id : "");
      return FALSE;
    }

  ev.item = (guint32) item;
  ev.flags = PW_EVENT_REALTIME;
  ev.timestamp = timestamp;
  g_rw_lock_writer_lock (&self->lock);
  /* intern_user() may grow (and so move) the histories array: look the
   * user up first, index after. */
  u = intern_user (self, user_id);
  h = g_ptr_array_index (self->histories, u);
  pos = h->len;
  while (pos > 0 && g_array_index (h, PwEvent, pos - 1).timestamp > timestamp)
    pos--;
  g_array_insert_val (h, pos, ev);
  g_rw_lock_writer_unlock (&self->lock);
  return TRUE;
}
