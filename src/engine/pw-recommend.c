/* pw-recommend.c: lists from scores: user-personalization's (softmax
 * scores, exploration of cold items by genre fit), similar-items' and
 * sims' related items
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

#define SIMS_MIN_COINTERACTION 3.0f
#define SIMILAR_GENRE_WEIGHT 0.05f
#define SIMILAR_POPULARITY_WEIGHT 0.001f

void
pw_recommendation_append (PwModel *self,
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
 * the user's current interests (pw_genre_affinity(): the session included, so
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
  pw_genre_affinity (self, state, profile);
  for (guint i = 0; i < self->n_items; i++)
    {
      if (self->dense_of[i] >= 0 || skip[i]
          || (self->item_creation[i] >= 0 && item_age (self, i) > cut_off))
        {
          scores[i] = -G_MAXFLOAT;
          continue;
        }
      /* a per-user hash orders equal affinities, so that lists differ */
      scores[i] = pw_item_affinity (self, profile, i) + (float) (pw_hash_pair (user_hash, i) >> 8) * 1e-12f;
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

void
pw_softmax_params (const float  *scores,
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
    pw_softmax_params (scores, self->n_warm, skip_dense, &beta, &max, &log_z);

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
      pw_recommendation_append (self, out, item, score, TRUE, FALSE);
    }
  /* explored items follow, with scores below the last exploited one */
  for (guint k = 0; k < n_cold; k++)
    {
      double base = n_warm_take > 0 ? g_array_index (out, PwRecommendation, n_warm_take - 1).score
                                    : 1.0 / MAX (1, self->n_items);
      double score = base * 0.5 * (1.0 - (double) k / (2.0 * n_cold));
      pw_recommendation_append (self, out, cold[k].index, score, TRUE, TRUE);
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
              float g = profile != NULL ? pw_item_affinity (self, profile, i) : 0;
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
          pw_recommendation_append (self, out, top[k].index, top[k].score, TRUE, FALSE);
          skip[top[k].index] = 1;
        }
    }

  /* popular items for an unknown seed and to fill the list */
  for (guint p = 0; p < self->n_items && out->len < n; p++)
    {
      guint32 item = self->pop_order[p];
      if (skip[item] || self->popularity[item] == 0)
        continue;
      pw_recommendation_append (self, out, item, 0.0, TRUE, FALSE);
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
