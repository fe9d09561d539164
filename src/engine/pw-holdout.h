/* pw-holdout.h: the trainers' internal holdout (pw-holdout.c) and the
 * searches that choose the parts of user-personalization on it: the
 * sequential part (pw-seq-search.c), the time part (pw-time-search.c) and
 * the session's genre list (pw-genre-search.c). The searches leave the
 * model alone: they score with a PwScorer of their own and hand their
 * choice back to the trainer (pw-ease.c), which sets the model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-model-private.h"

G_BEGIN_DECLS

typedef struct
{
  guint    user;
  guint    n_input;   /* events[0..n_input) */
  guint32 *targets;   /* distinct target items, not in the input */
  guint    n_targets;
} PwHoldoutUser;

PwHoldoutUser *pw_holdout_choose               (PwModel             *model,
                                                const PwUserItems   *history,
                                                guint32              seed,
                                                guint               *n_out,
                                                guint8              *is_holdout);
void           pw_holdout_users_free           (PwHoldoutUser       *users,
                                                guint                n_users);
guint         *pw_holdout_input_lengths        (PwModel             *model,
                                                const PwHoldoutUser *hold,
                                                guint                n_hold);
void           pw_holdout_adjust_gram          (PwModel             *model,
                                                const PwUserItems   *history,
                                                const guint8        *is_holdout,
                                                const guint         *input_len,
                                                float               *gram);
double         pw_holdout_value                (PwModel             *model,
                                                const PwHoldoutUser *hu,
                                                const float         *scores,
                                                guint8              *skip,
                                                const PwEvent       *ev);
double         pw_holdout_score                (PwModel             *model,
                                                const PwScorer      *scorer,
                                                PwHoldoutUser       *users,
                                                guint                n_users,
                                                double               half_life);
void           pw_holdout_score_half_lives     (PwModel             *model,
                                                const PwScorer      *scorer,
                                                PwHoldoutUser       *users,
                                                guint                n_users,
                                                const double        *half_lives,
                                                guint                n_half_lives,
                                                double              *out);
double         pw_holdout_score_mixes          (PwModel             *model,
                                                const PwScorer      *scorer,
                                                PwHoldoutUser       *users,
                                                guint                n_users,
                                                double               half_life,
                                                const double        *weights,
                                                guint                n_weights,
                                                gboolean             time_part,
                                                double              *out,
                                                gboolean            *significant);
double         pw_holdout_summarize            (const double        *values,
                                                guint                n_users,
                                                guint                n_values,
                                                double              *out,
                                                gboolean            *significant);
double         pw_holdout_choose_weight        (const char          *part,
                                                const double        *weights,
                                                guint                n,
                                                const double        *values,
                                                const gboolean      *significant,
                                                double              *best_value);
double         pw_holdout_half_the_gain        (const double        *weights,
                                                guint                n,
                                                const double        *values,
                                                const gboolean      *significant);
double         pw_holdout_largest_within_noise (const double        *values,
                                                guint                n_users,
                                                const double        *weights,
                                                guint                n_weights,
                                                const double        *means);

/* EASE's B for one λ (pw-ease.c), and the choice of λ on the items with
 * the most co-occurrences (pw-lambda-search.c) */
gboolean       pw_ease_solve                   (const float         *gram,
                                                float               *work,
                                                guint                n,
                                                double               lambda,
                                                GError             **error);
gboolean       pw_lambda_search_uses_proxy     (guint                n_items);

/* λ's grid (factors of the mean diagonal of XᵀX) and the walk both λ
 * searches take over it */
#define PW_LAMBDA_N_FACTORS 8
extern const double pw_lambda_factors[PW_LAMBDA_N_FACTORS];
#define PW_LAMBDA_FIRST 4
gint           pw_lambda_walk_next             (gint                 f,
                                                gint                 best_f,
                                                gint                *dir);
double         pw_lambda_search_proxy          (PwModel             *model,
                                                PwHoldoutUser       *hold,
                                                guint                n_hold,
                                                const float         *gram,
                                                double               mean_diag,
                                                double               half_life,
                                                const double        *half_lives,
                                                guint                n_half_lives,
                                                double              *half_life_out,
                                                GCancellable        *cancellable,
                                                GError             **error);

/* the sequential part (pw-seq-search.c) */
typedef struct
{
  float  *matrix;     /* n_warm x n_warm (transfer full), NULL: none */
  double  weight;
  guint   shape;
  double  factor;     /* of the mean diagonal of XᵀX, or < 0: counted */
  guint   n_in;
  double  in_decay;
} PwSeqChoice;

gboolean       pw_seq_search                   (PwModel             *model,
                                                const PwScorer      *scorer,
                                                PwHoldoutUser       *hold,
                                                guint                n_hold,
                                                const guint         *input_len,
                                                double               half_life,
                                                float               *work,
                                                PwSeqChoice         *choice,
                                                GCancellable        *cancellable,
                                                GError             **error);
gboolean       pw_seq_part_build               (PwModel             *model,
                                                PwSeqChoice         *choice,
                                                float               *work,
                                                GError             **error);

/* the time part (pw-time-search.c) */
typedef struct
{
  float  *counts;     /* n_buckets x n_warm (transfer full), or NULL */
  guint   n_buckets;
  gint64  start;
  gint64  width;      /* seconds */
} PwTimeCounts;

void           pw_time_counts_build            (PwModel             *model,
                                                const guint         *input_len,
                                                PwTimeCounts        *counts);
double         pw_time_search                  (PwModel             *model,
                                                const PwScorer      *scorer,
                                                PwHoldoutUser       *hold,
                                                guint                n_hold,
                                                const guint         *input_len,
                                                double               half_life,
                                                PwTimeCounts        *counts);

/* the session's genre list (pw-genre-search.c) */
double         pw_genre_search                 (PwModel             *model,
                                                const PwScorer      *scorer,
                                                PwHoldoutUser       *hold,
                                                guint                n_hold,
                                                double               half_life);

G_END_DECLS
