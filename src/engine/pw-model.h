/* pw-model.h: a trained recommender
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-dataset.h"
#include "pw-recipe.h"

G_BEGIN_DECLS

/* Default memory budget for dense item-item models: 1 GiB. */
#define PW_DEFAULT_MEMORY_BUDGET ((guint64) 1 << 30)
#define PW_DEFAULT_EXPLORATION_WEIGHT 0.3
#define PW_DEFAULT_EXPLORATION_ITEM_AGE_CUT_OFF_DAYS 30.0
#define PW_MAX_NUM_RESULTS 500

/**
 * PwTrainOptions:
 * @recipe: what to train
 * @lambda: EASE L2 regularisation; <= 0 chooses it on an internal holdout
 *   (a seeded 30% of the users, at most 2,500, newest 10% of their
 *   interactions as targets). The final model is solved on all the data
 *   with what the holdout chose.
 * @recency_half_life: user-state half life in interactions (most recent =
 *   weight 1); 0 chooses it on the internal holdout, < 0 turns recency off
 * @transition_weight: weight of the sequential part (a linear model of
 *   what follows the user's newest items); 0 chooses it, its shape and its
 *   regularisation on the internal holdout (0 included), < 0 turns it off
 * @time_weight: weight of the time part (what was popular in the weeks
 *   around the user's own newest interaction); 0 chooses it on the internal
 *   holdout (0 included), < 0 turns it off
 * @session_genre_weight: how much of a session's share of the list goes to
 *   what fits the genres (and other categorical metadata) of its items,
 *   0..1; 0 chooses it on the internal holdout, with each holdout user's
 *   newest interactions as a pseudo-session (0 included), < 0 turns it off
 * @related_beta: similar-items and sims score a candidate j for a seed i as
 *   c(i, j) / (pop(i)^(1-β) pop(j)^β); 0 chooses β on the internal holdout
 *   (0.5, the cosine, when the co-occurrence is computed on demand)
 * @memory_budget: bytes the dense item-item model may use while training;
 *   above it user-personalization uses implicit ALS (factor model)
 * @n_threads: 0 = one per processor
 * @seed: for the internal holdout and ALS initialisation
 * @als_factors: ALS latent dimension (0 = 64)
 * @als_iterations: ALS sweeps (0 = 12)
 * @force_factor_model: use ALS even when the dense model fits
 * @exact_lambda_search: search λ on all the items; by default, from 3,072
 *   items, the candidates are solved and ranked on the 45% of the items with
 *   the most co-occurrences (pw-lambda-search.c) and only the chosen λ on
 *   all of them (bench-engine compares the two)
 */
typedef struct
{
  PwRecipe recipe;
  double   lambda;
  double   recency_half_life;
  double   transition_weight;
  double   time_weight;
  double   session_genre_weight;
  double   related_beta;
  guint64  memory_budget;
  guint    n_threads;
  guint32  seed;
  guint    als_factors;
  guint    als_iterations;
  gboolean force_factor_model;
  gboolean exact_lambda_search;
} PwTrainOptions;

void pw_train_options_init (PwTrainOptions *options,
                            PwRecipe        recipe);

/**
 * PwRecommendOptions:
 * @num_results: list length (Personalize: default 25, max 500)
 * @keep_interacted: keep items the user already interacted with
 * @exploration_weight: 0..1 (explorationWeight); user-personalization ends a
 *   list of N with round (w · N · C / I) cold items (C explorable items
 *   without interactions, I all items), chosen by genre affinity to the
 *   user; < 0 = the default 0.3
 * @exploration_item_age_cut_off: days; cold items created longer than this
 *   before the newest interaction are not explored; < 0 = 30 days
 */
typedef struct
{
  guint    num_results;
  gboolean keep_interacted;
  double   exploration_weight;
  double   exploration_item_age_cut_off;
} PwRecommendOptions;

void pw_recommend_options_init (PwRecommendOptions *options);

/**
 * PwRecommendation:
 * @item_id: owned by the model (or, for unknown items in a ranking, by the
 *   caller's input); valid while the model lives
 * @item: the model's item index, or -1 for an item the model does not know
 * @score: the score (see has_score)
 * @has_score: %FALSE for unknown items appended by pw_model_rank()
 * @explored: %TRUE when the item was added by exploration
 */
typedef struct
{
  const char *item_id;
  gint        item;
  double      score;
  gboolean    has_score;
  gboolean    explored;
} PwRecommendation;

typedef struct _PwModel PwModel;

PwModel    *pw_model_train           (PwDataset             *dataset,
                                      const PwTrainOptions  *options,
                                      GCancellable          *cancellable,
                                      GError               **error);
void        pw_model_train_async     (PwDataset             *dataset,
                                      const PwTrainOptions  *options,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data);
PwModel    *pw_model_train_finish    (GAsyncResult          *result,
                                      GError               **error);

PwModel    *pw_model_ref             (PwModel               *model);
void        pw_model_unref           (PwModel               *model);

PwRecipe    pw_model_get_recipe      (PwModel               *model);
gboolean    pw_model_is_factor_model (PwModel               *model);
double      pw_model_get_lambda      (PwModel               *model);
double      pw_model_get_recency_half_life (PwModel         *model);
double      pw_model_get_sequence_weight (PwModel           *model);
double      pw_model_get_time_weight (PwModel               *model);
double      pw_model_get_session_genre_weight (PwModel      *model);
guint       pw_model_get_n_items     (PwModel               *model);
guint       pw_model_get_n_users     (PwModel               *model);
const char *pw_model_get_item_id     (PwModel               *model,
                                      guint                  item);
const char *pw_model_get_item_genres (PwModel               *model,
                                      guint                  item);
gint        pw_model_lookup_item     (PwModel               *model,
                                      const char            *item_id);
gboolean    pw_model_has_user        (PwModel               *model,
                                      const char            *user_id);
gboolean    pw_model_item_is_cold    (PwModel               *model,
                                      guint                  item);
GArray     *pw_model_get_user_history (PwModel              *model,
                                       const char           *user_id);

GArray     *pw_model_recommend       (PwModel                  *model,
                                      const char               *user_id,
                                      const PwRecommendOptions *options,
                                      GError                  **error);
GArray     *pw_model_recommend_related (PwModel                  *model,
                                        const char               *item_id,
                                        const char               *user_id,
                                        const PwRecommendOptions *options,
                                        GError                  **error);
GArray     *pw_model_rank            (PwModel                  *model,
                                      const char               *user_id,
                                      const char * const       *item_ids,
                                      guint                     n_item_ids,
                                      GError                  **error);
gboolean    pw_model_put_event       (PwModel                  *model,
                                      const char               *user_id,
                                      const char               *item_id,
                                      gint64                    timestamp,
                                      GError                  **error);

gboolean    pw_model_save            (PwModel               *model,
                                      const char            *path,
                                      GError               **error);
PwModel    *pw_model_load            (const char            *path,
                                      GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwModel, pw_model_unref)

G_END_DECLS
