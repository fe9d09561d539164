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
#define SIMS_MIN_COINTERACTION 3.0f
#define SIMILAR_GENRE_WEIGHT 0.05f
#define SIMILAR_POPULARITY_WEIGHT 0.001f

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
  GHashTable *genres = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GArray *idx = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint32 *df;
  guint8 *seen = g_new0 (guint8, self->n_items);

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
  g_free (seen);
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
  g_free (seen);
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
  g_free (df);
  g_hash_table_unref (genres);
}

/* item -> training users, for co-occurrence rows computed on demand */
void
pw_model_build_item_users (PwModel *self)
{
  guint32 *fill;
  guint8 *seen = g_new0 (guint8, MAX (1, self->n_items));

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
  g_free (fill);
  g_free (seen);
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

  self = model_new_from_dataset (dataset, options->recipe);
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

/* ---- user state ---- */

/**
 * pw_user_state_build:
 * Distinct items of @events, newest first, weighted
 * floor + (1 - floor) * 2^(-rank / half_life) (1 when @half_life <= 0).
 *
 * Real-time events (PutEvents) are marked: they form the session part of
 * the state (see pw_model_score_dense()).
 */
void
pw_user_state_build (PwModel       *self,
                     const PwEvent *events,
                     guint          n_events,
                     double         half_life,
                     PwUserState   *state)
{
  GHashTable *seen = NULL;
  guint rank = 0;

  state->items = g_new (guint32, MAX (1, n_events));
  state->weights = g_new (float, MAX (1, n_events));
  state->realtime = g_new (guint8, MAX (1, n_events));
  state->n = 0;
  state->n_realtime = 0;
  state->has_time = FALSE;
  state->time = 0;
  for (gint e = (gint) n_events - 1; e >= 0 && !state->has_time; e--)
    if (!(events[e].flags & PW_EVENT_REALTIME))
      {
        state->has_time = TRUE;
        state->time = events[e].timestamp;
      }
  if (n_events > 64)
    seen = g_hash_table_new (NULL, NULL);

  for (gint e = (gint) n_events - 1; e >= 0; e--)
    {
      guint32 it = events[e].item;
      gboolean dup = FALSE;

      if (seen != NULL)
        {
          if (!g_hash_table_add (seen, GUINT_TO_POINTER (it + 1)))
            dup = TRUE;
        }
      else
        for (guint k = 0; k < state->n && !dup; k++)
          dup = state->items[k] == it;
      if (dup)
        continue;
      state->items[state->n] = it;
      state->weights[state->n] = half_life > 0
        ? (float) (self->recency_floor + (1.0 - self->recency_floor) * exp2 (-(double) rank / half_life))
        : 1.0f;
      state->realtime[state->n] = (events[e].flags & PW_EVENT_REALTIME) != 0;
      state->n_realtime += state->realtime[state->n];
      state->n++;
      rank++;
    }
  if (seen != NULL)
    g_hash_table_unref (seen);
}

void
pw_user_state_clear (PwUserState *state)
{
  g_clear_pointer (&state->items, g_free);
  g_clear_pointer (&state->weights, g_free);
  g_clear_pointer (&state->realtime, g_free);
  state->n = 0;
  state->n_realtime = 0;
}

#define SESSION_RANK_OFFSET 5.0

/* @keys (@n) sorted ascending by an LSD radix sort, skipping the bytes that
 * are the same in every key; @tmp: scratch of the same length. Returns
 * the buffer that holds the sorted keys (@keys or @tmp). */
static guint64 *
radix_sort_u64 (guint64 *keys,
                guint64 *tmp,
                guint    n)
{
  guint64 all_or = 0, all_and = G_MAXUINT64;

  for (guint i = 0; i < n; i++)
    {
      all_or |= keys[i];
      all_and &= keys[i];
    }
  for (guint shift = 0; shift < 64; shift += 8)
    {
      guint count[256] = { 0 }, pos = 0;
      guint64 *t;

      if ((((all_or ^ all_and) >> shift) & 0xff) == 0)
        continue;
      for (guint i = 0; i < n; i++)
        count[(keys[i] >> shift) & 0xff]++;
      for (guint b = 0; b < 256; b++)
        {
          guint c = count[b];
          count[b] = pos;
          pos += c;
        }
      for (guint i = 0; i < n; i++)
        tmp[count[(keys[i] >> shift) & 0xff]++] = keys[i];
      t = keys;
      keys = tmp;
      tmp = t;
    }
  return keys;
}

/* each warm item's rank by @scores (0 = best; ties by index) among the items
 * the state does not hold; those it holds rank last */
static void
unseen_ranks (PwModel           *self,
              const PwUserState *state,
              const float       *scores,
              guint32           *ranks)
{
  guint64 *keys = g_new (guint64, (gsize) MAX (1, self->n_warm) * 2), *sorted;
  guint8 *held = g_new0 (guint8, MAX (1, self->n_warm));
  guint m = 0;

  for (guint k = 0; k < state->n; k++)
    if (self->dense_of[state->items[k]] >= 0)
      held[self->dense_of[state->items[k]]] = 1;
  for (guint i = 0; i < self->n_warm; i++)
    if (held[i])
      ranks[i] = self->n_warm;
    else
      {
        /* a key that sorts ascending by (score desc, index asc) */
        float f = scores[i] == 0 ? 0.0f : scores[i];
        guint32 bits;

        memcpy (&bits, &f, sizeof bits);
        bits = (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);  /* ascending by score */
        keys[m++] = ((guint64) ~bits << 32) | i;
      }
  sorted = radix_sort_u64 (keys, keys + MAX (1, self->n_warm), m);
  for (guint r = 0; r < m; r++)
    ranks[(guint32) sorted[r]] = r;
  g_free (held);
  g_free (keys);
}

/* the session's share of the preference after n real-time events:
 * n / (n + 2): a third after one click, a half after two, 60% after three */
static double
session_share (guint n_realtime)
{
  return (double) n_realtime / (n_realtime + 2.0);
}

static gboolean score_base_genre (PwModel           *self,
                                  const PwUserState *state,
                                  double             genre_weight,
                                  float             *scores);
static float    item_affinity    (PwModel           *self,
                                  const float       *profile,
                                  guint32            item);

static void
add_rows (PwModel           *self,
          const PwUserState *state,
          gint               only_realtime,
          float             *scores)
{
  memset (scores, 0, sizeof (float) * self->n_warm);
  for (guint k = 0; k < state->n; k++)
    {
      gint32 d = self->dense_of[state->items[k]];

      if (d < 0 || (only_realtime >= 0 && state->realtime[k] != only_realtime))
        continue;
      cblas_saxpy ((int) self->n_warm, state->weights[k], self->dense + (gsize) d * self->n_warm, 1, scores, 1);
    }
}

/* The column width of pw_model_add_rows_batch()'s blocks: 256 floats, so
 * that a block of every dense row (n_warm KiB) stays in the cache while many
 * users read it. */
#define ROWS_BATCH_COLUMNS 256

/**
 * pw_model_add_rows_batch:
 * What add_rows() computes for one state (the weighted sum of its warm
 * items' dense rows), for @n_states states at once into @scores
 * (n_states x n_warm, row-major), column block by column block: the rows
 * of a block are read once from memory and then from the cache by every
 * state, where one state at a time reads the whole matrix from memory.
 * The same sums in the same order as add_rows(). @any (n_states) tells
 * whether each state has a warm item (a row of zeros when not).
 */
void
pw_model_add_rows_batch (PwModel           *self,
                         const PwUserState *states,
                         guint              n_states,
                         float             *scores,
                         gboolean          *any)
{
  gsize n = self->n_warm;

  memset (scores, 0, sizeof (float) * n * n_states);
  for (guint s = 0; s < n_states; s++)
    {
      any[s] = FALSE;
      for (guint k = 0; k < states[s].n && !any[s]; k++)
        any[s] = self->dense_of[states[s].items[k]] >= 0;
    }
  for (gsize c0 = 0; c0 < n; c0 += ROWS_BATCH_COLUMNS)
    {
      int width = (int) MIN (ROWS_BATCH_COLUMNS, n - c0);

      for (guint s = 0; s < n_states; s++)
        {
          const PwUserState *state = &states[s];
          float *out = scores + s * n + c0;

          for (guint k = 0; k < state->n; k++)
            {
              gint32 d = self->dense_of[state->items[k]];
              if (d >= 0)
                cblas_saxpy (width, state->weights[k], self->dense + (gsize) d * n + c0, 1, out, 1);
            }
        }
    }
}

/* the largest score among items the state does not hold */
static float
max_unseen (PwModel           *self,
            const PwUserState *state,
            const float       *scores,
            guint8            *marks)
{
  float max = 0;

  for (guint k = 0; k < state->n; k++)
    if (self->dense_of[state->items[k]] >= 0)
      marks[self->dense_of[state->items[k]]] = 1;
  for (guint i = 0; i < self->n_warm; i++)
    if (!marks[i] && scores[i] > max)
      max = scores[i];
  for (guint k = 0; k < state->n; k++)
    if (self->dense_of[state->items[k]] >= 0)
      marks[self->dense_of[state->items[k]]] = 0;
  return max;
}


/* @v scaled to a maximum of 1 over the items the state does not hold;
 * FALSE (and @v untouched) when that maximum is not positive */
gboolean
pw_model_scale_unseen (PwModel           *self,
                       const PwUserState *state,
                       float             *v)
{
  guint8 *marks = g_new0 (guint8, MAX (1, self->n_warm));
  float max = max_unseen (self, state, v, marks);

  g_free (marks);
  if (max <= 0)
    return FALSE;
  cblas_sscal ((int) self->n_warm, 1.0f / max, v, 1);
  return TRUE;
}

/**
 * pw_model_score_sequence:
 * The sequential part for @state into @next (n_warm): what follows the
 * newest seq_n_in warm items, weighted seq_in_decay^age (its input as it was
 * trained), scaled to a maximum of 1 over the items the state does not hold.
 *
 * Returns: %FALSE when there is nothing to add (no sequential part, or no
 * positive score)
 */
gboolean
pw_model_score_sequence (PwModel           *self,
                         const PwUserState *state,
                         float             *next)
{
  double w = 1;
  guint used = 0;

  if (self->seq == NULL)
    return FALSE;
  memset (next, 0, sizeof (float) * self->n_warm);
  for (guint k = 0; k < state->n && used < self->seq_n_in; k++)
    {
      gint32 d = self->dense_of[state->items[k]];
      if (d < 0)
        continue;
      cblas_saxpy ((int) self->n_warm, (float) w, self->seq + (gsize) d * self->n_warm, 1, next, 1);
      w *= self->seq_in_decay;
      used++;
    }
  return pw_model_scale_unseen (self, state, next);
}

/**
 * pw_model_score_time:
 * What was popular around the user's own time (the newest event that is not
 * real-time: a campaign's clicks happen now, long after the data) into
 * @popular (n_warm): the bucket of that time and its two neighbours
 * (weights 1/2, 1, 1/2), scaled to a maximum of 1 over the items the state
 * does not hold.
 *
 * Returns: %FALSE when there is nothing to add
 */
gboolean
pw_model_score_time (PwModel           *self,
                     const PwUserState *state,
                     float             *popular)
{
  gint64 b;

  if (self->time_counts == NULL || self->n_buckets == 0 || !state->has_time || self->bucket_width <= 0)
    return FALSE;
  /* unsigned: exact for any two times (no overflow for absurd ones) */
  b = state->time < self->bucket_start ? -1
    : (gint64) MIN (((guint64) state->time - (guint64) self->bucket_start) / (guint64) self->bucket_width,
                    (guint64) G_MAXINT64);
  if (b < 0 || b >= (gint64) self->n_buckets)
    return FALSE;
  memset (popular, 0, sizeof (float) * self->n_warm);
  for (gint64 c = b - 1; c <= b + 1; c++)
    if (c >= 0 && c < (gint64) self->n_buckets)
      cblas_saxpy ((int) self->n_warm, c == b ? 1.0f : 0.5f,
                   self->time_counts + (gsize) c * self->n_warm, 1, popular, 1);
  return pw_model_scale_unseen (self, state, popular);
}

/**
 * pw_model_score_dense:
 * Scores every warm item for @state into @scores (n_warm): the EASE sum of
 * the state's rows (B rows weighted by recency), or the ALS fold-in.
 *
 * A state with real-time events (the session) and older history merges the
 * two lists by rank, with the session's share growing with its clicks
 * (session_share()), so that a few clicks visibly move a long history's
 * list whatever its length and however its scores are spread. The
 * session's share is split between what co-occurs with its items and
 * what fits their genres (session_genre_weight, chosen on the holdout with
 * pseudo-sessions): on real data a rare genre's films are seldom watched
 * together, and the genre list is what moves the list toward it. Without
 * a session the list is what it was before sessions had genres.
 *
 * With the sequential part (seq_weight > 0, chosen on the holdout), what
 * follows the newest items is added; with the time part (time_weight > 0,
 * chosen there too), what was popular around the user's own time.
 *
 * Returns: %FALSE when the state has no warm item and no session to go by
 *   (@scores untouched)
 */
gboolean
pw_model_score_dense (PwModel           *self,
                      const PwUserState *state,
                      float             *scores)
{
  if (!pw_model_score_base (self, state, scores))
    return FALSE;
  pw_model_score_add_parts (self, state, scores);
  return TRUE;
}

void
pw_model_score_add_parts (PwModel           *self,
                          const PwUserState *state,
                          float             *scores)
{
  PwScoreParts parts;

  pw_score_parts_build (self, state, &parts);
  pw_score_parts_add (self, state, &parts, scores);
  pw_score_parts_clear (&parts);
}

/* the sequential and time parts of a state, computed once (the holdout
 * adds them to many mixes of the same state) */
void
pw_score_parts_build (PwModel           *self,
                      const PwUserState *state,
                      PwScoreParts      *parts)
{
  memset (parts, 0, sizeof *parts);
  if (self->item_factors != NULL)
    return;
  if (self->seq != NULL && self->seq_weight > 0)
    {
      parts->next = g_new (float, MAX (1, self->n_warm));
      if (!pw_model_score_sequence (self, state, parts->next))
        g_clear_pointer (&parts->next, g_free);
    }
  if (self->time_counts != NULL && self->time_weight > 0)
    {
      parts->popular = g_new (float, MAX (1, self->n_warm));
      if (!pw_model_score_time (self, state, parts->popular))
        g_clear_pointer (&parts->popular, g_free);
    }
}

/* scores += seq_weight · next and time_weight · popular, what comes before
 * each addition scaled to a maximum of 1 over the unseen items */
void
pw_score_parts_add (PwModel            *self,
                    const PwUserState  *state,
                    const PwScoreParts *parts,
                    float              *scores)
{
  if (parts->next != NULL)
    {
      pw_model_scale_unseen (self, state, scores);
      cblas_saxpy ((int) self->n_warm, (float) self->seq_weight, parts->next, 1, scores, 1);
    }
  if (parts->popular != NULL)
    {
      pw_model_scale_unseen (self, state, scores);
      cblas_saxpy ((int) self->n_warm, (float) self->time_weight, parts->popular, 1, scores, 1);
    }
}

void
pw_score_parts_clear (PwScoreParts *parts)
{
  g_clear_pointer (&parts->next, g_free);
  g_clear_pointer (&parts->popular, g_free);
}

/* pw_model_score_dense() without the sequential and time parts */
gboolean
pw_model_score_base (PwModel           *self,
                     const PwUserState *state,
                     float             *scores)
{
  return score_base_genre (self, state, self->session_genre_weight, scores);
}

/* The session's genre list: every warm item's fit to the genres (and other
 * categorical values) of the session's items, cold ones included (idf
 * weighted cosine), times a prior that orders equally fitting items by
 * what co-occurs with the session (@rows, the session's rows, or NULL) and
 * by popularity: among the films of the clicked genre, those that go with
 * the clicks first. FALSE when the session's items have no metadata. */
static gboolean
session_genre_scores (PwModel           *self,
                      const PwUserState *state,
                      const float       *rows,
                      float             *out)
{
  float *profile = g_new0 (float, MAX (1, self->n_genres));
  double total = 0, max_pop_log, max_row = 0;
  gboolean any = FALSE;

  for (guint k = 0; k < state->n; k++)
    {
      guint32 it = state->items[k];

      if (!state->realtime[k] || self->genre_ptr[it] == self->genre_ptr[it + 1])
        continue;
      for (guint q = self->genre_ptr[it]; q < self->genre_ptr[it + 1]; q++)
        profile[self->genre_idx[q]] += state->weights[k];
      total += state->weights[k];
      any = TRUE;
    }
  if (!any)
    {
      g_free (profile);
      return FALSE;
    }
  for (guint g = 0; g < self->n_genres; g++)
    profile[g] = (float) (profile[g] / total) * self->genre_idf[g];
  max_pop_log = log1p ((double) self->popularity[self->pop_order[0]]);
  for (guint d = 0; rows != NULL && d < self->n_warm; d++)
    max_row = MAX (max_row, rows[d]);
  for (guint d = 0; d < self->n_warm; d++)
    {
      guint32 item = self->warm_items[d];
      double pop = max_pop_log > 0 ? log1p ((double) self->popularity[item]) / max_pop_log : 1;
      double co = max_row > 0 ? MAX (0.0, rows[d]) / max_row : 0;

      out[d] = item_affinity (self, profile, item) * (float) (0.1 + 0.3 * pop + 0.6 * co);
    }
  g_free (profile);
  return TRUE;
}

/* pw_model_score_base() with the session's genre list weighted @genre_weight */
static gboolean
score_base_genre (PwModel           *self,
                  const PwUserState *state,
                  double             genre_weight,
                  float             *scores)
{
  gboolean any = FALSE, any_rt = FALSE, any_hist = FALSE;

  for (guint k = 0; k < state->n; k++)
    if (self->dense_of[state->items[k]] >= 0)
      {
        any = TRUE;
        any_rt |= state->realtime[k];
        any_hist |= !state->realtime[k];
      }

  if (self->item_factors != NULL)
    {
      float *x;
      PwUserState boosted = *state;
      double w_rt = 0, w_hist = 0;

      if (!any)
        return FALSE;
      /* the same share, as weights of the fold-in */
      x = g_new0 (float, self->k);
      boosted.weights = g_memdup2 (state->weights, sizeof (float) * MAX (1, state->n));
      for (guint k = 0; k < state->n; k++)
        *(state->realtime[k] ? &w_rt : &w_hist) += state->weights[k];
      if (any_rt && any_hist)
        {
          double share = session_share (state->n_realtime);
          double f = share / (1.0 - share) * w_hist / w_rt;
          for (guint k = 0; k < state->n; k++)
            if (state->realtime[k])
              boosted.weights[k] *= (float) f;
        }
      pw_als_fold_in (self, &boosted, x);
      cblas_sgemv (CblasRowMajor, CblasNoTrans, (int) self->n_warm, (int) self->k, 1.0f,
                   self->item_factors, (int) self->k, x, 1, 0.0f, scores, 1);
      g_free (boosted.weights);
      g_free (x);
      return TRUE;
    }

  /* a session: its lists merged with the history's by rank (with a genre
   * weight of 0 exactly the merge of the history and the session rows) */
  if (state->n_realtime > 0 && ((any_rt && any_hist) || genre_weight > 0))
    {
      PwSessionRanks ranks;
      gboolean merged = FALSE;

      if (pw_session_ranks_build (self, state, genre_weight > 0, &ranks))
        merged = pw_session_ranks_merge (self, &ranks, genre_weight, scores);
      pw_session_ranks_clear (&ranks);
      if (merged)
        return TRUE;
    }
  if (!any)
    return FALSE;
  add_rows (self, state, -1, scores);
  return TRUE;
}

/**
 * pw_session_ranks_build:
 * The lists a state with a session (real-time events) is merged from, each
 * as ranks among the items the state does not hold: the history's (older
 * events), the session's co-occurrence (its rows) and the session's genre
 * list (session_genre_scores(), only when @with_genre). A list that has
 * nothing to rank is %NULL.
 *
 * Returns: %FALSE when the state has no session, or neither a session row
 *   nor session metadata (then the state is scored as before sessions)
 */
gboolean
pw_session_ranks_build (PwModel           *self,
                        const PwUserState *state,
                        gboolean           with_genre,
                        PwSessionRanks    *ranks)
{
  gboolean any_rt = FALSE, any_hist = FALSE;
  float *v, *rows;

  memset (ranks, 0, sizeof *ranks);
  if (state->n_realtime == 0 || self->item_factors != NULL)
    return FALSE;
  for (guint k = 0; k < state->n; k++)
    if (self->dense_of[state->items[k]] >= 0)
      {
        any_rt |= state->realtime[k];
        any_hist |= !state->realtime[k];
      }
  v = g_new (float, MAX (1, self->n_warm));
  rows = g_new (float, MAX (1, self->n_warm));
  if (any_rt)
    {
      add_rows (self, state, 1, rows);
      ranks->session = g_new (guint32, MAX (1, self->n_warm));
      unseen_ranks (self, state, rows, ranks->session);
    }
  if (with_genre && session_genre_scores (self, state, any_rt ? rows : NULL, v))
    {
      ranks->genre = g_new (guint32, MAX (1, self->n_warm));
      unseen_ranks (self, state, v, ranks->genre);
      /* what does not fit is not on the genre list: all last alike */
      for (guint d = 0; d < self->n_warm; d++)
        if (v[d] <= 0)
          ranks->genre[d] = self->n_warm;
    }
  g_free (rows);
  if (!any_rt && ranks->genre == NULL)
    {
      g_free (v);
      return FALSE;
    }
  if (any_hist)
    {
      add_rows (self, state, 0, v);
      ranks->history = g_new (guint32, MAX (1, self->n_warm));
      unseen_ranks (self, state, v, ranks->history);
    }
  ranks->share = any_hist ? session_share (state->n_realtime) : 1.0;
  g_free (v);
  return TRUE;
}

void
pw_session_ranks_clear (PwSessionRanks *ranks)
{
  g_clear_pointer (&ranks->history, g_free);
  g_clear_pointer (&ranks->session, g_free);
  g_clear_pointer (&ranks->genre, g_free);
}

/**
 * pw_session_ranks_merge:
 * The lists merged by rank into @scores (n_warm), so that the session's
 * share of the top does not depend on how any list's scores are spread:
 * history (1 - share), the session share × (1 - @genre_weight) for its
 * co-occurrence and share × @genre_weight for its genre list. After one
 * click the session's first item comes about 5th, after two the lists
 * alternate (SESSION_RANK_OFFSET = 5). A missing list's share goes to the
 * session's other one.
 *
 * Returns: %FALSE when nothing is left to merge (a session of cold items
 *   without metadata and no history, or a genre list only, weighted 0)
 */
gboolean
pw_session_ranks_merge (PwModel              *self,
                        const PwSessionRanks *ranks,
                        double                genre_weight,
                        float                *scores)
{
  double w_h = ranks->history != NULL ? 1.0 - ranks->share : 0;
  double w_s = ranks->share * (1.0 - genre_weight), w_g = ranks->share * genre_weight;

  if (ranks->genre == NULL || genre_weight <= 0)
    {
      w_s = ranks->share;
      w_g = 0;
    }
  if (ranks->session == NULL)
    {
      w_g += w_s;
      w_s = 0;
    }
  if (w_g > 0 && ranks->genre == NULL)
    return FALSE;
  if (w_h + w_s + w_g <= 0)
    return FALSE;
  for (guint i = 0; i < self->n_warm; i++)
    scores[i] = (float) ((w_h > 0 ? w_h / (ranks->history[i] + SESSION_RANK_OFFSET) : 0)
                         + (w_s > 0 ? w_s / (ranks->session[i] + SESSION_RANK_OFFSET) : 0)
                         + (w_g > 0 ? w_g / (ranks->genre[i] + SESSION_RANK_OFFSET) : 0));
  return TRUE;
}

/* profile += @scale × the genre profile of the state's items (@only_realtime:
 * 0 history, 1 session, -1 all), recency weighted, idf */
static void
add_genre_profile (PwModel           *self,
                   const PwUserState *state,
                   gint               only_realtime,
                   double             scale,
                   float             *profile)
{
  float *part = g_new0 (float, MAX (1, self->n_genres));
  double total = 0;

  for (guint k = 0; k < state->n; k++)
    {
      guint32 it = state->items[k];

      if (only_realtime >= 0 && state->realtime[k] != only_realtime)
        continue;
      for (guint q = self->genre_ptr[it]; q < self->genre_ptr[it + 1]; q++)
        part[self->genre_idx[q]] += state->weights[k];
      total += state->weights[k];
    }
  if (total > 0)
    for (guint g = 0; g < self->n_genres; g++)
      profile[g] += (float) (part[g] / total * scale) * self->genre_idf[g];
  g_free (part);
}

/* The user's current interests as a genre profile (idf): the history's,
 * and with a session the session's beside it with the session's share of
 * the list (session_share()), so that what the user clicks now counts as
 * much in exploration as in the list. */
static void
genre_affinity (PwModel           *self,
                const PwUserState *state,
                float             *profile)
{
  memset (profile, 0, sizeof (float) * MAX (1, self->n_genres));
  if (state->n_realtime == 0 || state->n_realtime == state->n)
    add_genre_profile (self, state, -1, 1.0, profile);
  else
    {
      double share = session_share (state->n_realtime);

      add_genre_profile (self, state, 0, 1.0 - share, profile);
      add_genre_profile (self, state, 1, share, profile);
    }
}

static float
item_affinity (PwModel     *self,
               const float *profile,
               guint32      item)
{
  float s = 0;

  if (self->genre_norm[item] <= 0)
    return 0;
  for (guint q = self->genre_ptr[item]; q < self->genre_ptr[item + 1]; q++)
    s += profile[self->genre_idx[q]] * self->genre_idf[self->genre_idx[q]];
  return s / self->genre_norm[item];
}

static void
append_rec (PwModel *self,
            GArray  *out,
            guint32  item,
            double   score,
            gboolean has_score,
            gboolean explored)
{
  PwRecommendation r;

  r.item_id = g_ptr_array_index (self->item_ids, item);
  r.item = (gint) item;
  r.score = score;
  r.has_score = has_score;
  r.explored = explored;
  g_array_append_val (out, r);
}

static guint8 *
exclusion_marks (PwModel       *self,
                 const PwEvent *events,
                 guint          n_events,
                 gboolean       keep)
{
  guint8 *skip = g_new0 (guint8, MAX (1, self->n_items));

  if (!keep)
    for (guint e = 0; e < n_events; e++)
      skip[events[e].item] = 1;
  return skip;
}

/* seconds from item @i's creation to the newest interaction, in double:
 * exact enough, and no overflow for any two times */
static double
item_age (PwModel *self,
          guint    i)
{
  return (double) self->max_timestamp - (double) self->item_creation[i];
}

/* Exploration: the cold items (no training interaction; created within the
 * age cut-off when the creation time is known) ranked by genre affinity to
 * the user's current interests (genre_affinity(): the session included, so
 * they follow the clicks), ties by a per-user hash so that lists differ
 * between users. */
static guint
explore_cold (PwModel                  *self,
              const PwUserState        *state,
              guint32                   user_hash,
              const guint8             *skip,
              double                    cut_off_days,
              guint                     want,
              PwScored                 *out)
{
  float *profile, *scores;
  guint n;
  double cut_off = cut_off_days * 86400.0;

  if (want == 0)
    return 0;
  profile = g_new0 (float, MAX (1, self->n_genres));
  scores = g_new (float, MAX (1, self->n_items));
  genre_affinity (self, state, profile);
  for (guint i = 0; i < self->n_items; i++)
    {
      if (self->dense_of[i] >= 0 || skip[i]
          || (self->item_creation[i] >= 0 && item_age (self, i) > cut_off))
        {
          scores[i] = -G_MAXFLOAT;
          continue;
        }
      /* a per-user hash orders equal affinities, so that lists differ */
      scores[i] = item_affinity (self, profile, i) + (float) (pw_hash_pair (user_hash, i) >> 8) * 1e-12f;
    }
  n = pw_select_top (scores, self->n_items, NULL, want, out);
  while (n > 0 && out[n - 1].score == -G_MAXFLOAT)
    n--;
  g_free (scores);
  g_free (profile);
  return n;
}

static guint
count_explorable (PwModel *self,
                  double   cut_off_days)
{
  double cut_off = cut_off_days * 86400.0;
  guint n = 0;

  for (guint i = 0; i < self->n_items; i++)
    if (self->dense_of[i] < 0
        && (self->item_creation[i] < 0 || item_age (self, i) <= cut_off))
      n++;
  return n;
}

static double
resolve_weight (PwModel                  *self,
                const PwRecommendOptions *options)
{
  double w = options->exploration_weight;

  /* exploration is user-personalization's (a campaign's itemExplorationConfig) */
  if (self->recipe != PW_RECIPE_USER_PERSONALIZATION)
    return 0;
  if (w < 0)
    w = PW_DEFAULT_EXPLORATION_WEIGHT;
  return CLAMP (w, 0.0, 1.0);
}

/* softmax of @scores over the candidates (sums to 1 over them), with an
 * inverse temperature that puts the best candidate SOFTMAX_SPREAD times
 * above the SOFTMAX_RANK-th: scale-free, and the numbers a list shows stay
 * readable however peaked the scores are */
#define SOFTMAX_RANK 100
#define SOFTMAX_SPREAD 100.0

/* the k-th largest of @v (0-based, k < n), reordering @v: quickselect */
static float
kth_largest (float *v,
             guint  n,
             guint  k)
{
  guint lo = 0, hi = n - 1;

  while (lo < hi)
    {
      float pivot = v[lo + (hi - lo) / 2];
      guint i = lo, j = hi;

      while (i <= j)
        {
          while (v[i] > pivot)
            i++;
          while (v[j] < pivot)
            j--;
          if (i <= j)
            {
              float t = v[i];
              v[i] = v[j];
              v[j] = t;
              i++;
              if (j == 0)
                break;
              j--;
            }
        }
      if (k <= j)
        hi = j;
      else if (k >= i)
        lo = i;
      else
        break;
    }
  return v[k];
}

static void
softmax_params (const float  *scores,
                guint         n,
                const guint8 *skip,
                double       *beta,
                double       *max_out,
                double       *log_z)
{
  float *candidates = g_new (float, MAX (1, n));
  float max = -G_MAXFLOAT, low;
  guint m = 0;
  double z = 0, gap;

  for (guint i = 0; i < n; i++)
    if ((skip == NULL || !skip[i]) && scores[i] == scores[i])
      {
        candidates[m++] = scores[i];
        max = MAX (max, scores[i]);
      }
  if (m == 0)
    {
      g_free (candidates);
      *beta = 1;
      *max_out = 0;
      *log_z = 0;
      return;
    }
  low = kth_largest (candidates, m, MIN (m, SOFTMAX_RANK) - 1);
  g_free (candidates);
  gap = (double) max - low;
  *beta = gap > 1e-12 ? log (SOFTMAX_SPREAD) / gap : 1.0;
  *max_out = max;
  for (guint i = 0; i < n; i++)
    if (skip == NULL || !skip[i])
      z += exp (*beta * (scores[i] - *max_out));
  *log_z = log (z);
}

/**
 * pw_model_recommend_events:
 * The user-personalization / popularity list for a history (@events, oldest
 * first). The caller holds the model's lock (or owns @events).
 *
 * Exploration: with weight w, a list of N items ends with
 * round (w * N * C / I) cold items (C explorable cold items, I all items),
 * chosen by genre affinity to the user's history.
 */
GArray *
pw_model_recommend_events (PwModel                  *self,
                           const PwEvent            *events,
                           guint                     n_events,
                           guint32                   user_hash,
                           const PwRecommendOptions *options)
{
  g_autofree float *scores = g_new (float, MAX (1, self->n_warm));
  PwUserState state = { 0 };
  gboolean personal = FALSE;
  GArray *out;

  pw_user_state_build (self, events, n_events, self->half_life, &state);
  if (self->recipe != PW_RECIPE_POPULARITY_COUNT && MIN (options->num_results, self->n_items) > 0)
    personal = pw_model_score_dense (self, &state, scores);
  out = pw_model_recommend_scored (self, events, n_events, user_hash, options, &state, scores, personal);
  pw_user_state_clear (&state);
  return out;
}

/**
 * pw_model_recommend_scored:
 * pw_model_recommend_events() from the user's state (@state, built from
 * @events with the model's half life) and, when @personal, its scores
 * (pw_model_score_dense()) in @scores (n_warm; overwritten with
 * popularity when not @personal): what the evaluation calls after scoring
 * many users at once.
 */
GArray *
pw_model_recommend_scored (PwModel                  *self,
                           const PwEvent            *events,
                           guint                     n_events,
                           guint32                   user_hash,
                           const PwRecommendOptions *options,
                           const PwUserState        *state,
                           float                    *scores,
                           gboolean                  personal)
{
  guint n = MIN (options->num_results, self->n_items);
  double weight = resolve_weight (self, options);
  double cut_off = options->exploration_item_age_cut_off < 0
    ? PW_DEFAULT_EXPLORATION_ITEM_AGE_CUT_OFF_DAYS : options->exploration_item_age_cut_off;
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (PwRecommendation), n);
  guint8 *skip, *skip_dense;
  PwScored *top, *cold;
  guint n_top, n_explore = 0, n_cold = 0, n_warm_take;
  double beta = 1, max = 0, log_z = 0;

  if (n == 0)
    return out;

  skip = exclusion_marks (self, events, n_events, options->keep_interacted);
  skip_dense = g_new0 (guint8, MAX (1, self->n_warm));
  for (guint d = 0; d < self->n_warm; d++)
    skip_dense[d] = skip[self->warm_items[d]];
  if (!personal)
    for (guint d = 0; d < self->n_warm; d++)
      scores[d] = (float) self->popularity[self->warm_items[d]] / (float) MAX (1, self->n_train_users);
  else
    softmax_params (scores, self->n_warm, skip_dense, &beta, &max, &log_z);

  if (weight > 0)
    {
      guint explorable = count_explorable (self, cut_off);
      n_explore = (guint) floor (weight * n * (double) explorable / (double) self->n_items + 0.5);
      n_explore = MIN (n_explore, n);
    }

  top = g_new (PwScored, n);
  cold = g_new (PwScored, n);
  n_top = pw_select_top (scores, self->n_warm, skip_dense, n, top);
  n_warm_take = MIN (n_top, n - n_explore);
  if (weight > 0)
    n_cold = explore_cold (self, state, user_hash, skip, cut_off, n - n_warm_take, cold);
  n_warm_take = MIN (n_top, n - n_cold);

  for (guint k = 0; k < n_warm_take; k++)
    {
      guint32 item = self->warm_items[top[k].index];
      double score = personal ? exp (beta * (top[k].score - max) - log_z) : top[k].score;
      append_rec (self, out, item, score, TRUE, FALSE);
    }
  /* explored items follow, with scores below the last exploited one */
  for (guint k = 0; k < n_cold; k++)
    {
      double base = n_warm_take > 0 ? g_array_index (out, PwRecommendation, n_warm_take - 1).score
                                    : 1.0 / MAX (1, self->n_items);
      double score = base * 0.5 * (1.0 - (double) k / (2.0 * n_cold));
      append_rec (self, out, cold[k].index, score, TRUE, TRUE);
    }

  g_free (top);
  g_free (cold);
  g_free (skip_dense);
  g_free (skip);
  return out;
}

static void
cooccurrence_row (PwModel *self,
                  guint32  dense_seed,
                  float   *row)
{
  guint32 seed = self->warm_items[dense_seed];
  guint8 *seen;

  if (self->dense != NULL)
    {
      memcpy (row, self->dense + (gsize) dense_seed * self->n_warm, sizeof (float) * self->n_warm);
      return;
    }
  memset (row, 0, sizeof (float) * self->n_warm);
  seen = g_new0 (guint8, MAX (1, self->n_items));
  for (guint32 p = self->iu_ptr[seed]; p < self->iu_ptr[seed + 1]; p++)
    {
      GArray *h = g_ptr_array_index (self->histories, self->iu_users[p]);
      for (guint e = 0; e < h->len; e++)
        {
          guint32 it = g_array_index (h, PwEvent, e).item;
          if (!seen[it] && self->dense_of[it] >= 0)
            {
              seen[it] = 1;
              row[self->dense_of[it]] += 1.0f;
            }
        }
      for (guint e = 0; e < h->len; e++)
        seen[g_array_index (h, PwEvent, e).item] = 0;
    }
  g_free (seen);
}

/**
 * pw_model_related_events:
 * @seed_item: the model's item index, or -1 for an unknown item
 *
 * similar-items: cosine of co-occurrence + a genre-similarity term (so that
 * cold items have neighbours) + a tiny popularity prior; sims: co-occurrence
 * cosine among pairs seen together at least 3 times. Unknown seed (or a cold
 * seed for sims): popular items. Remaining slots are filled by popularity.
 */
GArray *
pw_model_related_events (PwModel                  *self,
                         gint                      seed_item,
                         const PwEvent            *events,
                         guint                     n_events,
                         const PwRecommendOptions *options)
{
  guint n = MIN (options->num_results, self->n_items);
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (PwRecommendation), n);
  guint8 *skip;
  float *scores, *row = NULL, *profile = NULL;
  PwScored *top;
  guint n_top = 0;
  gboolean warm_seed = seed_item >= 0 && self->dense_of[seed_item] >= 0;
  gboolean genre_seed = seed_item >= 0 && self->recipe != PW_RECIPE_SIMS && self->genre_norm[seed_item] > 0;
  double max_pop_log = log1p ((double) (self->n_items > 0 ? self->popularity[self->pop_order[0]] : 0));

  if (n == 0)
    return out;
  skip = exclusion_marks (self, events, n_events, options->keep_interacted);
  if (seed_item >= 0)
    skip[seed_item] = 1;
  scores = g_new (float, MAX (1, self->n_items));
  top = g_new (PwScored, n);

  if (warm_seed || genre_seed)
    {
      if (warm_seed)
        {
          row = g_new (float, MAX (1, self->n_warm));
          cooccurrence_row (self, (guint32) self->dense_of[seed_item], row);
        }
      if (genre_seed)
        {
          profile = g_new0 (float, MAX (1, self->n_genres));
          for (guint q = self->genre_ptr[seed_item]; q < self->genre_ptr[seed_item + 1]; q++)
            profile[self->genre_idx[q]] = self->genre_idf[self->genre_idx[q]] / self->genre_norm[seed_item];
        }
      for (guint i = 0; i < self->n_items; i++)
        {
          float s = -G_MAXFLOAT;
          gint32 d = self->dense_of[i];

          if (row != NULL && d >= 0 && row[d] > 0)
            {
              double c = row[d];
              if (self->recipe == PW_RECIPE_SIMS && c < SIMS_MIN_COINTERACTION)
                c = 0;
              if (c > 0)
                s = (float) (c / (pow ((double) self->popularity[seed_item], 1.0 - self->sim_beta)
                                  * pow ((double) self->popularity[i], self->sim_beta)));
            }
          if (self->recipe == PW_RECIPE_SIMILAR_ITEMS)
            {
              float g = profile != NULL ? item_affinity (self, profile, i) : 0;
              if (s == -G_MAXFLOAT)
                s = 0;
              s += SIMILAR_GENRE_WEIGHT * g
                   + SIMILAR_POPULARITY_WEIGHT * (float) (max_pop_log > 0 ? log1p (self->popularity[i]) / max_pop_log : 0);
            }
          scores[i] = s;
        }
      n_top = pw_select_top (scores, self->n_items, skip, n, top);
      while (n_top > 0 && top[n_top - 1].score == -G_MAXFLOAT)
        n_top--;
      for (guint k = 0; k < n_top; k++)
        {
          append_rec (self, out, top[k].index, top[k].score, TRUE, FALSE);
          skip[top[k].index] = 1;
        }
    }

  /* popular items for an unknown seed and to fill the list */
  for (guint p = 0; p < self->n_items && out->len < n; p++)
    {
      guint32 item = self->pop_order[p];
      if (skip[item] || self->popularity[item] == 0)
        continue;
      append_rec (self, out, item, 0.0, TRUE, FALSE);
      if (out->len > 1)
        g_array_index (out, PwRecommendation, out->len - 1).score =
          MIN (g_array_index (out, PwRecommendation, out->len - 2).score,
               (double) self->popularity[item] / MAX (1, self->n_train_users) * 1e-3);
      else
        g_array_index (out, PwRecommendation, 0).score = (double) self->popularity[item] / MAX (1, self->n_train_users) * 1e-3;
    }

  g_free (profile);
  g_free (row);
  g_free (top);
  g_free (scores);
  g_free (skip);
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
  PwRecommendOptions defaults;
  GArray *out;
  const PwEvent *events;
  guint n_events;

  g_return_val_if_fail (self != NULL, NULL);

  options = check_request (self, options, &defaults, user_id, FALSE, error);
  if (options == NULL)
    return NULL;

  g_rw_lock_reader_lock (&self->lock);
  events = user_events_locked (self, user_id, &n_events);
  out = pw_model_recommend_events (self, events, n_events, g_str_hash (user_id), options);
  g_rw_lock_reader_unlock (&self->lock);
  return out;
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
  PwRecommendOptions defaults;
  GArray *out;
  const PwEvent *events;
  guint n_events;

  g_return_val_if_fail (self != NULL, NULL);

  options = check_request (self, options, &defaults, item_id, TRUE, error);
  if (options == NULL)
    return NULL;

  g_rw_lock_reader_lock (&self->lock);
  events = user_events_locked (self, user_id, &n_events);
  out = pw_model_related_events (self, pw_model_lookup_item (self, item_id), events, n_events, options);
  g_rw_lock_reader_unlock (&self->lock);
  return out;
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
  float *scores;
  RankEntry *ranked;
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
      softmax_params (scores, self->n_warm, NULL, &b, &m, &lz);
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
      append_rec (self, out, (guint32) item, score, TRUE, FALSE);
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
  g_free (ranked);
  g_free (scores);
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
