/* pw-model-private.h: the model's insides, shared by the engine's files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-model.h"

G_BEGIN_DECLS

/* One interaction in a user's history, oldest first. */
typedef struct
{
  guint32 item;
  guint32 flags;      /* PW_EVENT_REALTIME */
  gint64  timestamp;
} PwEvent;

#define PW_EVENT_REALTIME 1u

/* A user's state for scoring: distinct items, newest first, with weights. */
typedef struct
{
  guint32 *items;      /* model item indices */
  float   *weights;
  guint8  *realtime;   /* from PutEvents (the session) */
  guint    n;
  guint    n_realtime;
  gint64   time;       /* the newest event's time that is not real-time */
  gboolean has_time;
} PwUserState;

struct _PwModel
{
  gint       ref_count;
  PwRecipe   recipe;
  GRWLock    lock;      /* histories and users: put_event writes */
  guint      n_threads;

  /* items */
  guint      n_items;
  GPtrArray *item_ids;
  GPtrArray *item_genres;
  gint64    *item_creation;
  GHashTable *item_index;
  gint64     max_timestamp;

  /* users */
  GPtrArray *user_ids;
  GHashTable *user_index;
  GPtrArray *histories;          /* GArray of PwEvent per user */
  guint      n_train_users;      /* users known at training */

  /* training statistics */
  guint32   *popularity;         /* distinct training users per item */
  guint32   *pop_order;          /* items by popularity desc, index asc */
  guint      n_warm;             /* items with training interactions */
  guint32   *warm_items;         /* dense -> item */
  gint32    *dense_of;           /* item -> dense or -1 */

  /* metadata (derived from item_genres) */
  guint      n_genres;
  guint32   *genre_ptr;          /* n_items + 1 */
  guint32   *genre_idx;
  float     *genre_idf;
  float     *genre_norm;         /* per item: sqrt (sum idf^2) */

  /* parameters */
  double     lambda;
  double     half_life;          /* <= 0: no recency */
  double     recency_floor;
  double     seq_weight;         /* weight of the sequential part, 0 = none */
  guint      seq_n_in;           /* its input: the newest seq_n_in warm items */
  double     seq_in_decay;       /* weighted seq_in_decay^age */
  double     session_genre_weight; /* the session's genre list's part of
                                  * the session's share, 0 = none */

  /* dense item-item matrix, n_warm x n_warm, row-major:
   * user-personalization: EASE B; similar-items/sims: co-occurrence counts */
  float     *dense;

  /* the sequential part (pw-seq-search.c): what follows the last items,
   * n_warm x n_warm, row = input item, or NULL */
  float     *seq;

  /* the time part (pw-time-search.c): interactions per item in time buckets
   * (n_buckets x n_warm, row-major), or NULL; what was popular around the
   * user's own time, added with time_weight (0 = none) */
  float     *time_counts;
  guint      n_buckets;
  gint64     bucket_start;
  gint64     bucket_width;       /* seconds */
  double     time_weight;

  /* similar-items / sims: c(i, j) / (pop(i)^(1-β) pop(j)^β) */
  double     sim_beta;

  /* factor model (ALS), n_warm x k */
  guint      k;
  float     *item_factors;
  float     *gram;               /* k x k: YtY */
  double     als_alpha;
  double     als_reg;

  /* item -> users CSR of the training data (co-occurrence on the fly) */
  guint32   *iu_ptr;
  guint32   *iu_users;
};

int      pw_event_compare_time       (gconstpointer a,
                                      gconstpointer b);

PwModel *pw_model_new_empty          (PwRecipe recipe);
void     pw_model_prepare            (PwModel *model);
void     pw_model_build_item_users   (PwModel *model);

void     pw_user_state_build         (PwModel       *model,
                                      const PwEvent *events,
                                      guint          n_events,
                                      double         half_life,
                                      PwUserState   *state);
void     pw_user_state_clear         (PwUserState   *state);

/* ---- how a user is scored (pw-scoring.c) ----
 *
 * What a user's scores are made of: the matrices and weights below, the
 * model's own (pw_scorer_init()) or, in a holdout search, the candidates
 * it is trying, passed as an argument (the model is left as it is). */
typedef struct
{
  const float   *dense;             /* EASE B (n_warm x n_warm), or NULL */
  const float   *seq;               /* the sequential part, or NULL */
  double         seq_weight;        /* 0 = none */
  guint          seq_n_in;
  double         seq_in_decay;
  const float   *time_counts;       /* the time part, or NULL */
  guint          n_buckets;
  gint64         bucket_start;
  gint64         bucket_width;
  double         time_weight;       /* 0 = none */
  double         session_genre_weight;
  const guint32 *popularity;        /* the genre list's prior (per item) */
  const double  *popularity_prior;  /* log1p (popularity) / log1p (the most popular
                                     * item's), per item: a search's cache, or NULL */
} PwScorer;

void     pw_scorer_init              (PwScorer          *scorer,
                                      PwModel           *model);

/* Scores every warm item for a user state into @scores (n_warm) as the
 * model does (pw_score_dense() with the model's scorer). Returns FALSE
 * when the state has no warm item (then @scores is untouched). */
gboolean pw_model_score_dense        (PwModel           *model,
                                      const PwUserState *state,
                                      float             *scores);

/* pw_score_dense() is pw_score_base() (the history, and the session
 * merged with it by rank: its rows and its genre list),
 * + seq_weight * pw_score_sequence(), + time_weight * pw_score_time(),
 * what comes before each addition scaled by pw_model_scale_unseen() */
gboolean pw_score_dense              (PwModel           *model,
                                      const PwScorer    *scorer,
                                      const PwUserState *state,
                                      float             *scores);
gboolean pw_score_base               (PwModel           *model,
                                      const PwScorer    *scorer,
                                      const PwUserState *state,
                                      float             *scores);
/* the history rows of many states without a session at once (what
 * pw_score_base() is for them), for the holdout and the evaluation */
void     pw_rows_sum                 (const float       *dense,
                                      gsize              n,
                                      guint              n_states,
                                      const guint32     *ptr,
                                      const guint32     *rows,
                                      const float       *weights,
                                      float             *scores);
guint    pw_rows_batch_size          (guint              n_users,
                                      guint              n_threads,
                                      guint              n_states);
void     pw_score_rows_batch         (PwModel           *model,
                                      const PwScorer    *scorer,
                                      const PwUserState *states,
                                      guint              n_states,
                                      float             *scores,
                                      gboolean          *any);
void     pw_score_history_rows_batch (PwModel           *model,
                                      const PwScorer    *scorer,
                                      const PwUserState *states,
                                      guint              n_states,
                                      float             *scores);
double  *pw_popularity_prior_build   (PwModel           *model,
                                      const guint32     *popularity);
gboolean pw_score_sequence           (PwModel           *model,
                                      const PwScorer    *scorer,
                                      const PwUserState *state,
                                      float             *next);
gboolean pw_score_time               (PwModel           *model,
                                      const PwScorer    *scorer,
                                      const PwUserState *state,
                                      float             *popular);
gboolean pw_model_scale_unseen       (PwModel           *model,
                                      const PwUserState *state,
                                      float             *scores);

/* A session's lists as ranks, built once and merged for any weight of the
 * genre list: what the holdout's genre search varies. */
typedef struct
{
  guint32 *history;   /* the older events' list, or NULL */
  guint32 *session;   /* the session's co-occurrence list, or NULL */
  guint32 *genre;     /* the session's genre list, or NULL */
  double   share;     /* the session's share: session_share (n_realtime) */
} PwSessionRanks;

gboolean pw_session_ranks_build      (PwModel              *model,
                                      const PwScorer       *scorer,
                                      const PwUserState    *state,
                                      gboolean              with_genre,
                                      const float          *history_rows,
                                      PwSessionRanks       *ranks);
gboolean pw_session_ranks_merge      (PwModel              *model,
                                      const PwSessionRanks *ranks,
                                      double                genre_weight,
                                      float                *scores);
void     pw_session_ranks_clear      (PwSessionRanks       *ranks);
/* scores += the sequential and time parts (as pw_score_dense() adds them
 * to pw_score_base()) */
void     pw_score_add_parts          (PwModel              *model,
                                      const PwScorer       *scorer,
                                      const PwUserState    *state,
                                      float                *scores);

/* the same, in two steps: the parts once, added to many scores */
typedef struct
{
  float *next;      /* the sequential part, or NULL */
  float *popular;   /* the time part, or NULL */
} PwScoreParts;

void     pw_score_parts_build        (PwModel              *model,
                                      const PwScorer       *scorer,
                                      const PwUserState    *state,
                                      PwScoreParts         *parts);
void     pw_score_parts_add          (PwModel              *model,
                                      const PwScorer       *scorer,
                                      const PwUserState    *state,
                                      const PwScoreParts   *parts,
                                      float                *scores);
void     pw_score_parts_clear        (PwScoreParts         *parts);

GArray  *pw_model_recommend_events   (PwModel                  *model,
                                      const PwEvent            *events,
                                      guint                     n_events,
                                      guint32                   user_hash,
                                      const PwRecommendOptions *options);
GArray  *pw_model_recommend_scored   (PwModel                  *model,
                                      const PwEvent            *events,
                                      guint                     n_events,
                                      guint32                   user_hash,
                                      const PwRecommendOptions *options,
                                      const PwUserState        *state,
                                      float                    *scores,
                                      gboolean                  personal);
GArray  *pw_model_related_events     (PwModel                  *model,
                                      gint                      seed_item,
                                      const PwEvent            *events,
                                      guint                     n_events,
                                      const PwRecommendOptions *options);

/* lists (pw-recommend.c) */
void     pw_recommendation_append    (PwModel      *model,
                                      GArray       *out,
                                      guint32       item,
                                      double        score,
                                      gboolean      has_score,
                                      gboolean      explored);
/* the softmax that turns scores into AWS-like probabilities: @beta
 * spreads the top SOFTMAX_RANK scores over a factor of 100 */
void     pw_softmax_params           (const float  *scores,
                                      guint         n,
                                      const guint8 *skip,
                                      double       *beta,
                                      double       *max_out,
                                      double       *log_z);

/* the user's current interests as an idf-weighted genre profile
 * (n_genres), the session included, and an item's fit to it
 * (pw-scoring.c) */
void     pw_genre_affinity           (PwModel           *model,
                                      const PwUserState *state,
                                      float             *profile);
float    pw_item_affinity            (PwModel           *model,
                                      const float       *profile,
                                      guint32            item);

/* per training user: distinct warm items as dense indices (CSR) */
typedef struct
{
  guint    n_users;
  guint32 *ptr;
  guint32 *items;
} PwUserItems;

void     pw_user_items_build         (PwModel     *model,
                                      PwUserItems *user_items);
void     pw_user_items_clear         (PwUserItems *user_items);
/* gram += sign · XᵀX of the histories (of @only_users, nullable), n x n
 * (pw-user-state.c) */
void     pw_gram_accumulate          (const PwUserItems *history,
                                      float             *gram,
                                      guint              n,
                                      float              sign,
                                      const guint8      *only_users,
                                      guint              n_threads);

/* EASE (pw-ease.c) and ALS (pw-als.c) */
gboolean pw_ease_train               (PwModel              *model,
                                      const PwTrainOptions *options,
                                      GCancellable         *cancellable,
                                      GError              **error);
void     pw_related_tune             (PwModel              *model,
                                      const PwTrainOptions *options,
                                      GCancellable         *cancellable);
gboolean pw_als_train                (PwModel              *model,
                                      const PwTrainOptions *options,
                                      GCancellable         *cancellable,
                                      GError              **error);
void     pw_als_fold_in              (PwModel           *model,
                                      const PwUserState *state,
                                      float             *x);
float   *pw_cooccurrence_dense       (PwModel *model,
                                      guint    n_threads);

/* large matrices (pw-matrix.c): 2 MiB-aligned, on huge pages where the
 * kernel allows; freed with g_free() */
float   *pw_matrix_alloc             (gsize        n_floats,
                                      gboolean     zero);
float   *pw_matrix_dup               (const float *m,
                                      gsize        n_floats);

/* threads (pw-parallel.c) */
typedef void (*PwParallelFunc) (guint    begin,
                                guint    end,
                                guint    worker,
                                gpointer user_data);
guint    pw_parallel_n_threads       (guint requested);
void     pw_parallel_for             (guint          n,
                                      guint          chunk,
                                      guint          n_threads,
                                      PwParallelFunc func,
                                      gpointer       user_data);

/* top-k selection: (score desc, index asc) */
typedef struct
{
  float   score;
  guint32 index;
} PwScored;

guint    pw_select_top               (const float   *scores,
                                      guint          n,
                                      const guint8  *skip,
                                      guint          k,
                                      PwScored      *out);

guint32  pw_hash_pair                (guint32 a,
                                      guint32 b);

G_END_DECLS
