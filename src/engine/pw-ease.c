/* pw-ease.c: user-personalization's dense model. EASE (Steck, "Embarrassingly
 * Shallow Autoencoders for Sparse Data", WWW 2019): B = I - P / diag (P),
 * P = (XᵀX + λI)⁻¹ in float32 through LAPACK's Cholesky (spotrf + spotri).
 * λ, the user-state recency half life, the sequential part, the time
 * part and the session's genre list (below) are chosen on an internal holdout (a seeded 30% of users,
 * their newest 10% interactions as targets, as the workshop's validation
 * split holds out); the final model is then solved once more on all the
 * data. The same holdout chooses similar-items' popularity exponent
 * (pw_related_tune()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-engine"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "pw-engine-error.h"
#include "pw-metrics.h"
#include "pw-model-private.h"

typedef struct
{
  const PwUserItems *history;   /* items ascending per user */
  float             *gram;
  guint              n;
  float              sign;
  const guint8      *only_users;  /* nullable: only these users */
} GramJob;

/* the upper triangle (b >= a) of the rows [begin, end) */
static void
gram_rows (guint    begin,
           guint    end,
           guint    worker,
           gpointer data)
{
  GramJob *job = data;
  const PwUserItems *history = job->history;

  for (guint u = 0; u < history->n_users; u++)
    {
      const guint32 *items = history->items + history->ptr[u];
      guint len = history->ptr[u + 1] - history->ptr[u], p = 0, lo = 0, hi = len;

      if (job->only_users != NULL && !job->only_users[u])
        continue;
      /* the first item >= begin */
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          if (items[mid] < begin)
            lo = mid + 1;
          else
            hi = mid;
        }
      for (p = lo; p < len && items[p] < end; p++)
        {
          float *row = job->gram + (gsize) items[p] * job->n;
          for (guint q = p; q < len; q++)
            row[items[q]] += job->sign;
        }
    }
}

static void
mirror_rows (guint    begin,
             guint    end,
             guint    worker,
             gpointer data)
{
  GramJob *job = data;
  gsize n = job->n;

  for (gsize a = begin; a < end; a++)
    for (gsize b = 0; b < a; b++)
      job->gram[a * n + b] = job->gram[b * n + a];
}

static int
compare_u32 (gconstpointer a,
             gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

/* gram += sign * XᵀX: the upper triangle (rows split between threads: no
 * two threads write a row; each user's items sorted, so that a thread finds
 * its rows' part of a user by bisection), then mirrored. The counts are
 * whole numbers: exact in float32 whatever the order. */
static void
gram_accumulate (const PwUserItems *history,
                 float             *gram,
                 guint              n,
                 float              sign,
                 const guint8      *only_users,
                 guint              n_threads)
{
  g_autofree guint32 *sorted = g_memdup2 (history->items, sizeof (guint32) * MAX (1, history->ptr[history->n_users]));
  PwUserItems by_item = { history->n_users, history->ptr, sorted };
  GramJob job = { &by_item, gram, n, sign, only_users };
  guint chunk = MAX (16, n / (n_threads * 8) + 1);

  for (guint u = 0; u < history->n_users; u++)
    qsort (sorted + history->ptr[u], history->ptr[u + 1] - history->ptr[u], sizeof (guint32), compare_u32);
  pw_parallel_for (n, chunk, n_threads, gram_rows, &job);
  pw_parallel_for (n, chunk, n_threads, mirror_rows, &job);
}

/**
 * pw_cooccurrence_dense:
 * Returns: (transfer full): the n_warm x n_warm co-occurrence counts XᵀX
 */
float *
pw_cooccurrence_dense (PwModel *self,
                       guint    n_threads)
{
  PwUserItems history;
  float *gram = g_new0 (float, MAX (1, (gsize) self->n_warm * self->n_warm));

  pw_user_items_build (self, &history);
  gram_accumulate (&history, gram, self->n_warm, 1.0f, NULL, n_threads);
  pw_user_items_clear (&history);
  return gram;
}

/* B = I - P / diag (P) from (gram + λI), in @work (n x n). */
static gboolean
ease_solve (const float  *gram,
            float        *work,
            guint         n,
            double        lambda,
            GError      **error)
{
  lapack_int info;
  float *inv_diag;
  gint64 t0 = g_get_monotonic_time ();

  memcpy (work, gram, sizeof (float) * n * n);
  for (guint i = 0; i < n; i++)
    work[(gsize) i * n + i] += (float) lambda;

  info = LAPACKE_spotrf (LAPACK_COL_MAJOR, 'L', (lapack_int) n, work, (lapack_int) n);
  g_debug ("spotrf %u: %.3f s", n, (g_get_monotonic_time () - t0) / 1e6);
  if (info == 0)
    info = LAPACKE_spotri (LAPACK_COL_MAJOR, 'L', (lapack_int) n, work, (lapack_int) n);
  g_debug ("spotri %u: %.3f s", n, (g_get_monotonic_time () - t0) / 1e6);
  if (info != 0)
    {
      g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_FAILED,
                   _("The item-item system could not be solved (LAPACK error %d, λ = %g)"), (int) info, lambda);
      return FALSE;
    }

  /* column-major lower = element (i, j), i >= j, at work[j * n + i]: mirror it */
  for (guint j = 0; j < n; j++)
    for (guint i = j + 1; i < n; i++)
      work[(gsize) i * n + j] = work[(gsize) j * n + i];

  inv_diag = g_new (float, MAX (1, n));
  for (guint i = 0; i < n; i++)
    inv_diag[i] = 1.0f / work[(gsize) i * n + i];
  /* B[j][i] = -P[j][i] / P[i][i]; row j is what history item j adds */
  for (guint j = 0; j < n; j++)
    {
      float *row = work + (gsize) j * n;
      for (guint i = 0; i < n; i++)
        row[i] = -row[i] * inv_diag[i];
      row[j] = 0;
    }
  g_free (inv_diag);
  g_debug ("B %u: %.3f s", n, (g_get_monotonic_time () - t0) / 1e6);
  return TRUE;
}

typedef struct
{
  guint    user;
  guint    n_input;   /* events[0..n_input) */
  guint32 *targets;   /* distinct target items, not in the input */
  guint    n_targets;
} HoldoutUser;

typedef struct
{
  PwModel      *model;
  HoldoutUser  *users;
  guint         n_users;
  double        half_life;
  const double *seq_weights;  /* NULL: the model's own scoring */
  guint         n_seq_weights;
  gboolean      time_part;    /* the weights are the time part's, not the sequential part's */
  double       *values;       /* per user (x n_seq_weights) */
} HoldoutJob;

/* what a holdout user's list is worth: NDCG@10 + NDCG@25 (with MRR@25 as
 * well, the choices moved toward the very top and lost depth: on the
 * 3,700-item synthetic input NDCG@10 0.2231 -> 0.2190, P@5 0.2079 ->
 * 0.2033, for MRR 0.4490 -> 0.4496) */
static double
holdout_value (PwModel           *m,
               const HoldoutUser *hu,
               const float       *scores,
               guint8            *skip,
               const PwEvent     *ev)
{
  PwScored top[25];
  gboolean rel[25];
  guint n_top;

  for (guint e = 0; e < hu->n_input; e++)
    if (m->dense_of[ev[e].item] >= 0)
      skip[m->dense_of[ev[e].item]] = 1;
  n_top = pw_select_top (scores, m->n_warm, skip, 25, top);
  for (guint e = 0; e < hu->n_input; e++)
    if (m->dense_of[ev[e].item] >= 0)
      skip[m->dense_of[ev[e].item]] = 0;
  for (guint p = 0; p < n_top; p++)
    {
      guint32 item = m->warm_items[top[p].index];
      rel[p] = FALSE;
      for (guint t = 0; t < hu->n_targets; t++)
        rel[p] |= hu->targets[t] == item;
    }
  return pw_metric_ndcg_at_k (rel, n_top, hu->n_targets, 10)
         + pw_metric_ndcg_at_k (rel, n_top, hu->n_targets, 25);
}

/* holdout users scored together by pw_model_add_rows_batch() */
#define HOLDOUT_BATCH 128

static void
holdout_users (guint    begin,
               guint    end,
               guint    worker,
               gpointer data)
{
  HoldoutJob *job = data;
  PwModel *m = job->model;
  guint n_batch = end - begin;
  float *batch = g_new (float, MAX (1, (gsize) m->n_warm * n_batch));
  gboolean *any = g_new (gboolean, MAX (1, n_batch));
  PwUserState *states = g_new0 (PwUserState, MAX (1, n_batch));
  float *next = job->seq_weights != NULL ? g_new (float, MAX (1, m->n_warm)) : NULL;
  float *mixed = job->seq_weights != NULL ? g_new (float, MAX (1, m->n_warm)) : NULL;
  guint8 *skip = g_new0 (guint8, MAX (1, m->n_warm));
  gboolean all_plain = TRUE;

  for (guint k = begin; k < end; k++)
    {
      HoldoutUser *hu = &job->users[k];
      GArray *h = g_ptr_array_index (m->histories, hu->user);

      pw_user_state_build (m, (const PwEvent *) h->data, hu->n_input, job->half_life, &states[k - begin]);
      all_plain &= states[k - begin].n_realtime == 0;
    }
  /* without a session a state's base scores are its history rows: all the
   * batch's at once (the same sums, read from the cache) */
  if (all_plain && m->item_factors == NULL)
    pw_model_add_rows_batch (m, states, n_batch, batch, any);
  else
    for (guint k = 0; k < n_batch; k++)
      any[k] = pw_model_score_base (m, &states[k], batch + (gsize) k * m->n_warm);

  for (guint k = begin; k < end; k++)
    {
      HoldoutUser *hu = &job->users[k];
      GArray *h = g_ptr_array_index (m->histories, hu->user);
      const PwEvent *ev = (const PwEvent *) h->data;
      PwUserState *state = &states[k - begin];
      float *scores = batch + (gsize) (k - begin) * m->n_warm;

      if (job->seq_weights == NULL)
        {
          if (any[k - begin])
            pw_model_score_add_parts (m, state, scores);
          job->values[k] = any[k - begin] ? holdout_value (m, hu, scores, skip, ev) : 0;
        }
      else if (!any[k - begin])
        memset (job->values + (gsize) k * job->n_seq_weights, 0, sizeof (double) * job->n_seq_weights);
      else
        {
          /* the two parts once, every weight's mix from them */
          gboolean has_next;

          if (job->time_part)
            pw_model_score_add_parts (m, state, scores);
          has_next = job->time_part ? pw_model_score_time (m, state, next)
                                    : pw_model_score_sequence (m, state, next);
          if (has_next)
            pw_model_scale_unseen (m, state, scores);
          for (guint w = 0; w < job->n_seq_weights; w++)
            {
              memcpy (mixed, scores, sizeof (float) * m->n_warm);
              if (has_next && job->seq_weights[w] > 0)
                cblas_saxpy ((int) m->n_warm, (float) job->seq_weights[w], next, 1, mixed, 1);
              job->values[(gsize) k * job->n_seq_weights + w] = holdout_value (m, hu, mixed, skip, ev);
            }
        }
      pw_user_state_clear (state);
    }
  g_free (skip);
  g_free (mixed);
  g_free (next);
  g_free (states);
  g_free (any);
  g_free (batch);
}

/* The mean of each of @n_values columns of @values (n_users rows) into
 * @out (nullable), and (@significant, nullable) whether each column's gain
 * over the first (0: the part left out), paired over the same users, is
 * more than twice its standard error. Returns the first column's mean. */
static double
holdout_summarize (const double *values,
                   guint         n_users,
                   guint         n_values,
                   double       *out,
                   gboolean     *significant)
{
  double sum = 0;

  for (guint w = 0; w < n_values; w++)
    {
      double s = 0;
      for (guint k = 0; k < n_users; k++)
        s += values[(gsize) k * n_values + w];
      s = n_users > 0 ? s / n_users : 0;
      if (out != NULL)
        out[w] = s;
      if (w == 0)
        sum = s;
    }
  for (guint w = 0; significant != NULL && w < n_values; w++)
    {
      double m = 0, m2 = 0;

      for (guint k = 0; k < n_users; k++)
        {
          double d = values[(gsize) k * n_values + w] - values[(gsize) k * n_values];
          m += d;
          m2 += d * d;
        }
      if (n_users < 2 || w == 0)
        {
          significant[w] = FALSE;
          continue;
        }
      m /= n_users;
      significant[w] = m > 2.0 * sqrt (MAX (0.0, m2 / n_users - m * m) / (n_users - 1));
      g_debug ("holdout: value %u against 0: gain %g, t %g", w, m, m / MAX (1e-12, sqrt (MAX (0.0, m2 / n_users - m * m) / (n_users - 1))));
    }
  return sum;
}

/* the mean holdout value of the model as it scores, or (@seq_weights) of
 * each weight of the sequential part into @out */
static double
holdout_score_full (PwModel      *self,
                    HoldoutUser  *users,
                    guint         n_users,
                    double        half_life,
                    const double *seq_weights,
                    guint         n_seq_weights,
                    gboolean      time_part,
                    double       *out,
                    gboolean     *significant)
{
  guint n_values = seq_weights != NULL ? n_seq_weights : 1;
  HoldoutJob job = { self, users, n_users, half_life, seq_weights, n_seq_weights, time_part,
                     g_new0 (double, MAX (1, (gsize) n_users * n_values)) };
  double sum = 0;

  pw_parallel_for (n_users, HOLDOUT_BATCH, self->n_threads, holdout_users, &job);
  sum = holdout_summarize (job.values, n_users, n_values, out, significant);
  g_free (job.values);
  return sum;
}

static double
holdout_score (PwModel     *self,
               HoldoutUser *users,
               guint        n_users,
               double       half_life)
{
  return holdout_score_full (self, users, n_users, half_life, NULL, 0, FALSE, NULL, NULL);
}

/* A seeded 30% of the users (at most 2,500) with at least 3 distinct items:
 * oldest 90% of their events as input, newest 10% as targets. */
static HoldoutUser *
choose_holdout (PwModel         *self,
                const PwUserItems *history,
                guint32          seed,
                guint           *n_out,
                guint8          *is_holdout)
{
  GRand *rand = g_rand_new_with_seed (seed);
  GArray *eligible = g_array_new (FALSE, FALSE, sizeof (guint));
  HoldoutUser *users;
  guint n;

  for (guint u = 0; u < history->n_users; u++)
    if (history->ptr[u + 1] - history->ptr[u] >= 3)
      g_array_append_val (eligible, u);
  for (guint k = eligible->len; k > 1; k--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) k);
      guint tmp = g_array_index (eligible, guint, k - 1);
      g_array_index (eligible, guint, k - 1) = g_array_index (eligible, guint, j);
      g_array_index (eligible, guint, j) = tmp;
    }
  n = MIN (eligible->len * 3 / 10, 2500);
  if (n < 10)
    n = 0;
  users = g_new0 (HoldoutUser, MAX (1, n));
  for (guint k = 0; k < n; k++)
    {
      guint u = g_array_index (eligible, guint, eligible->len - 1 - k);
      GArray *h = g_ptr_array_index (self->histories, u);
      guint len = h->len;
      guint n_input = (guint) (((guint64) 9 * len) / 10);
      GArray *targets = g_array_new (FALSE, FALSE, sizeof (guint32));

      is_holdout[u] = 1;
      for (guint e = n_input; e < len; e++)
        {
          guint32 it = g_array_index (h, PwEvent, e).item;
          gboolean dup = FALSE;
          for (guint e2 = 0; e2 < n_input && !dup; e2++)
            dup = g_array_index (h, PwEvent, e2).item == it;
          for (guint t = 0; t < targets->len && !dup; t++)
            dup = g_array_index (targets, guint32, t) == it;
          if (!dup)
            g_array_append_val (targets, it);
        }
      users[k].user = u;
      users[k].n_input = n_input;
      users[k].n_targets = targets->len;
      users[k].targets = (guint32 *) g_array_free (targets, FALSE);
    }
  g_array_unref (eligible);
  g_rand_free (rand);
  *n_out = n;
  return users;
}

/* How many of each training user's events the search may learn from: all
 * of them, but for the holdout users only their input part.
 * Returns: (transfer full): n_train_users lengths */
static guint *
holdout_input_lengths (PwModel           *self,
                       const HoldoutUser *hold,
                       guint              n_hold)
{
  guint *len = g_new (guint, MAX (1, self->n_train_users));

  for (guint u = 0; u < self->n_train_users; u++)
    len[u] = ((GArray *) g_ptr_array_index (self->histories, u))->len;
  for (guint k = 0; k < n_hold; k++)
    len[hold[k].user] = hold[k].n_input;
  return len;
}

/* gram += XᵀX of the holdout users' input parts (@input_len) - XᵀX of their
 * whole histories: the counts as if their targets had not happened */
static void
holdout_adjust_gram (PwModel           *self,
                     const PwUserItems *history,
                     const guint8      *is_holdout,
                     const guint       *input_len,
                     float             *gram)
{
  PwUserItems inputs = { history->n_users, g_new0 (guint32, history->n_users + 1), NULL };
  GArray *items = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint u = 0; u < history->n_users; u++)
    {
      GArray *h = g_ptr_array_index (self->histories, u);

      inputs.ptr[u] = items->len;
      for (guint e = 0; is_holdout[u] && e < input_len[u]; e++)
        {
          gint32 d = self->dense_of[g_array_index (h, PwEvent, e).item];
          gboolean dup = FALSE;
          if (d < 0)
            continue;
          for (guint q = inputs.ptr[u]; q < items->len && !dup; q++)
            dup = g_array_index (items, guint32, q) == (guint32) d;
          if (!dup)
            g_array_append_val (items, d);
        }
    }
  inputs.ptr[history->n_users] = items->len;
  inputs.items = (guint32 *) g_array_free (items, FALSE);
  gram_accumulate (history, gram, self->n_warm, -1.0f, is_holdout, self->n_threads);
  gram_accumulate (&inputs, gram, self->n_warm, 1.0f, NULL, self->n_threads);
  pw_user_items_clear (&inputs);
}

/* The sequential part, after SLIT (Choi et al., "Session-aware Linear
 * Item-Item Models for Session-based Recommendation", WWW 2021): a ridge
 * regression from a user's last few items to the items that come next.
 *
 * For every position t of every user's sequence (distinct warm items, oldest
 * first; for holdout users only their input part), the input row x holds the
 * items at t, t-1, ... (n_in of them, weights in_decay^age: what
 * pw_model_score_sequence() builds from a user state) and the target row y the
 * items at t+1 .. t+n_ahead (weights ahead_decay^(k-1)). Then
 * W = (XᵀX + λI)⁻¹ XᵀY, row a = what input item a predicts. Unlike a table
 * of counted transitions it tells the item that follows from the items that
 * merely co-occur, and λ shrinks the rare pairs. */
#define SEQ_MAX_WINDOW 16

typedef struct
{
  guint  n_in;
  double in_decay;
  guint  n_ahead;
  double ahead_decay;
} SeqShape;

/* the shapes the holdout chooses from; the first gets the λ search */
static const SeqShape seq_shapes[] = {
  { 3, 0.5, 8, 0.85 },  /* the last few items, the next several */
  { 1, 1.0, 8, 0.85 },  /* the last item only */
  { 3, 0.5, 3, 0.5 },   /* the very next items */
};

typedef struct
{
  float  *xtx;        /* n x n, symmetric */
  float  *xty;        /* n x n, row-major: [input][target] */
  double  mean_diag;
  guint64 positions;
} SeqStats;

static void seq_stats_clear (SeqStats *st);

typedef struct
{
  PwModel        *model;
  const guint    *input_len;
  SeqStats       *st;
  guint           n_in_max;
  guint           n_ahead_max;
  float           in_w[SEQ_MAX_WINDOW];
  float           out_w[SEQ_MAX_WINDOW];
  guint64        *positions;  /* per worker */
} SeqStatsJob;

/* the rows [begin, end) of XᵀX and XᵀY: every thread reads every
 * sequence and writes only its own rows */
static void
seq_stats_rows (guint    begin,
                guint    end,
                guint    worker,
                gpointer data)
{
  SeqStatsJob *job = data;
  PwModel *self = job->model;
  SeqStats *st = job->st;
  guint n = self->n_warm;
  g_autofree guint32 *seq = g_new (guint32, 1);
  g_autofree guint32 *stamp = g_new0 (guint32, MAX (1, n));
  guint seq_cap = 1;

  for (guint u = 0; u < self->n_train_users; u++)
    {
      GArray *h = g_ptr_array_index (self->histories, u);
      guint len = job->input_len != NULL ? job->input_len[u] : h->len, m = 0;

      if (len > seq_cap)
        {
          seq_cap = len;
          seq = g_renew (guint32, seq, seq_cap);
        }
      for (guint e = 0; e < len; e++)
        {
          gint32 d = self->dense_of[g_array_index (h, PwEvent, e).item];
          if (d >= 0 && stamp[d] != u + 1)
            {
              stamp[d] = u + 1;
              seq[m++] = (guint32) d;
            }
        }
      for (guint t = 0; t + 1 < m; t++)
        {
          guint n_in = MIN (t + 1, job->n_in_max);
          guint n_out = MIN (m - 1 - t, job->n_ahead_max);

          for (guint j = 0; j < n_in; j++)
            {
              guint32 a = seq[t - j];
              float *row_x, *row_y;

              if (a < begin || a >= end)
                continue;
              row_x = st->xtx != NULL ? st->xtx + (gsize) a * n : NULL;
              row_y = st->xty + (gsize) a * n;
              for (guint j2 = 0; row_x != NULL && j2 < n_in; j2++)
                row_x[seq[t - j2]] += job->in_w[j] * job->in_w[j2];
              for (guint k = 0; k < n_out; k++)
                row_y[seq[t + 1 + k]] += job->in_w[j] * job->out_w[k];
            }
          if (begin == 0)
            job->positions[worker]++;
        }
    }
}

/* XᵀY, and XᵀX when @with_xtx (else st->xtx is NULL: the counted
 * transitions need only XᵀY) */
static void
seq_stats_build (PwModel           *self,
                 const guint       *input_len,
                 const SeqShape    *shape,
                 gboolean           with_xtx,
                 SeqStats          *st)
{
  guint n = self->n_warm;
  guint n_threads = self->n_threads;
  g_autofree guint64 *positions = g_new0 (guint64, n_threads);
  SeqStatsJob job = { self, input_len, st, CLAMP (shape->n_in, 1, SEQ_MAX_WINDOW),
                      CLAMP (shape->n_ahead, 1, SEQ_MAX_WINDOW), { 0 }, { 0 }, positions };

  st->xtx = with_xtx ? g_new0 (float, (gsize) n * n) : NULL;
  st->xty = g_new0 (float, (gsize) n * n);
  job.in_w[0] = 1;
  for (guint j = 1; j < job.n_in_max; j++)
    job.in_w[j] = job.in_w[j - 1] * (float) shape->in_decay;
  job.out_w[0] = 1;
  for (guint k = 1; k < job.n_ahead_max; k++)
    job.out_w[k] = job.out_w[k - 1] * (float) shape->ahead_decay;
  pw_parallel_for (n, MAX (16, n / (n_threads * 4) + 1), n_threads, seq_stats_rows, &job);
  st->positions = 0;
  for (guint w = 0; w < n_threads; w++)
    st->positions += positions[w];
  st->mean_diag = 0;
  for (guint i = 0; st->xtx != NULL && i < n; i++)
    st->mean_diag += st->xtx[(gsize) i * n + i];
  st->mean_diag /= MAX (1, n);
}

/* XᵀX once a λ needs it */
static void
seq_stats_ensure_xtx (PwModel        *self,
                      const guint    *input_len,
                      const SeqShape *shape,
                      SeqStats       *st)
{
  if (st->xtx == NULL)
    {
      seq_stats_clear (st);
      seq_stats_build (self, input_len, shape, TRUE, st);
    }
}

static void
seq_stats_clear (SeqStats *st)
{
  g_clear_pointer (&st->xtx, g_free);
  g_clear_pointer (&st->xty, g_free);
}

/* W = (XᵀX + λI)⁻¹ XᵀY into @out (row-major), @work: n x n scratch.
 * Row-major XᵀY is, read column-major, (XᵀY)ᵀ = M; with A = LLᵀ symmetric,
 * M A⁻¹ = M L⁻ᵀ L⁻¹ is Wᵀ column-major, that is W row-major: two
 * triangular solves from the right, no transposing. */
static gboolean
seq_solve (const SeqStats *st,
           guint           n,
           double          lambda,
           float          *work,
           float          *out,
           GError        **error)
{
  lapack_int info;

  memcpy (work, st->xtx, sizeof (float) * n * n);
  for (guint i = 0; i < n; i++)
    work[(gsize) i * n + i] += (float) lambda;
  info = LAPACKE_spotrf (LAPACK_COL_MAJOR, 'L', (lapack_int) n, work, (lapack_int) n);
  if (info != 0)
    {
      g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_FAILED,
                   _("The item-item system could not be solved (LAPACK error %d, λ = %g)"), (int) info, lambda);
      return FALSE;
    }
  memcpy (out, st->xty, sizeof (float) * n * n);
  cblas_strsm (CblasColMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit,
               (int) n, (int) n, 1.0f, work, (int) n, out, (int) n);
  cblas_strsm (CblasColMajor, CblasRight, CblasLower, CblasNoTrans, CblasNonUnit,
               (int) n, (int) n, 1.0f, work, (int) n, out, (int) n);
  for (guint a = 0; a < n; a++)
    out[(gsize) a * n + a] = 0;
  return TRUE;
}

/* the weight with the best holdout value among the first (0: the part left
 * out) and those whose gain over it is clearly more than the holdout's
 * noise (@significant) */
static double
choose_weight (const char     *part,
               const double   *weights,
               guint           n,
               const double   *values,
               const gboolean *significant,
               double         *best_value)
{
  double best = -1, w = 0;

  for (guint k = 0; k < n; k++)
    {
      g_debug ("EASE holdout: %s weight %g -> %g%s", part, weights[k], values[k],
               significant[k] ? " (a clear gain)" : "");
      if (values[k] > best && (k == 0 || significant[k]))
        {
          best = values[k];
          w = weights[k];
        }
    }
  *best_value = best;
  return w;
}

/* the best weight of the sequential part for the current self->seq, by
 * holdout score (0 included); returns that score */
static double
search_seq_weight (PwModel     *self,
                   HoldoutUser *hold,
                   guint        n_hold,
                   double       half_life,
                   double      *best_w,
                   gboolean    *any_gain)
{
  static const double seq_weights[] = { 0, 0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0 };
  double values[G_N_ELEMENTS (seq_weights)];
  gboolean significant[G_N_ELEMENTS (seq_weights)];
  double best = -1;

  holdout_score_full (self, hold, n_hold, half_life, seq_weights, G_N_ELEMENTS (seq_weights), FALSE,
                      values, significant);
  *best_w = choose_weight ("sequence", seq_weights, G_N_ELEMENTS (seq_weights), values, significant, &best);
  *any_gain = FALSE;
  for (guint k = 1; k < G_N_ELEMENTS (seq_weights); k++)
    *any_gain |= values[k] > values[0];
  self->seq_weight = *best_w;
  return best;
}

/* The time part: interactions per warm item in week-wide buckets (wider
 * when the data spans more than 512 weeks), for holdout users only their
 * input part. */
#define TIME_MAX_BUCKETS 512
#define TIME_BUCKET_WIDTH ((gint64) 7 * 86400)

static void
time_counts_build (PwModel           *self,
                   const guint       *input_len)
{
  gint64 lo = G_MAXINT64, hi = G_MININT64;
  guint64 span, width = TIME_BUCKET_WIDTH;
  guint n_buckets;

  g_clear_pointer (&self->time_counts, g_free);
  self->n_buckets = 0;
  for (guint u = 0; u < self->n_train_users; u++)
    {
      GArray *h = g_ptr_array_index (self->histories, u);
      for (guint e = 0; e < h->len; e++)
        {
          gint64 t = g_array_index (h, PwEvent, e).timestamp;
          lo = MIN (lo, t);
          hi = MAX (hi, t);
        }
    }
  if (lo > hi)
    return;
  /* hi - lo in unsigned arithmetic: exact for any two gint64 (the
   * entry points refuse absurd times, but a model must never overflow
   * here: -1e300 and 1e300 once asked for 1.8 TB). The width doubles
   * until at most TIME_MAX_BUCKETS buckets remain, so it stays below
   * 2^56. */
  span = (guint64) hi - (guint64) lo;
  while (span / width + 1 > TIME_MAX_BUCKETS)
    width *= 2;
  n_buckets = (guint) (span / width + 1);
  self->time_counts = g_new0 (float, (gsize) n_buckets * self->n_warm);
  self->n_buckets = n_buckets;
  self->bucket_start = lo;
  self->bucket_width = (gint64) width;
  for (guint u = 0; u < self->n_train_users; u++)
    {
      GArray *h = g_ptr_array_index (self->histories, u);
      guint len = input_len != NULL ? input_len[u] : h->len;

      for (guint e = 0; e < len; e++)
        {
          const PwEvent *ev = &g_array_index (h, PwEvent, e);
          gint32 d = self->dense_of[ev->item];
          if (d >= 0)
            self->time_counts[(gsize) (((guint64) ev->timestamp - (guint64) lo) / width) * self->n_warm + d] += 1;
        }
    }
}

/* the time part's weight on the holdout (0 included: then it is dropped) */
static void
time_search (PwModel     *self,
             HoldoutUser *hold,
             guint        n_hold,
             const guint *input_len,
             double       half_life)
{
  static const double time_weights[] = { 0, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2 };
  double values[G_N_ELEMENTS (time_weights)];
  gboolean significant[G_N_ELEMENTS (time_weights)];
  double best = -1;

  time_counts_build (self, input_len);
  if (self->time_counts == NULL || self->n_buckets < 2)
    {
      g_clear_pointer (&self->time_counts, g_free);
      self->n_buckets = 0;
      return;
    }
  self->time_weight = 0;
  holdout_score_full (self, hold, n_hold, half_life, time_weights, G_N_ELEMENTS (time_weights), TRUE,
                      values, significant);
  self->time_weight = choose_weight ("time", time_weights, G_N_ELEMENTS (time_weights), values, significant, &best);
  if (self->time_weight == 0)
    {
      g_clear_pointer (&self->time_counts, g_free);
      self->n_buckets = 0;
    }
}

/* The session's genre list (pw_session_ranks_merge()): each holdout user's
 * newest 1, 2 or 3 input interactions (by turns) play a session, clicked
 * after the rest of the input; the weight of the genre list in the
 * session's share is the one whose lists find the targets best, 0 unless
 * a weight's gain is clearly more than the holdout's noise. Popularity
 * (the genre list's prior) is counted without the holdout users' targets. */
#define GENRE_SESSION_MAX 3

typedef struct
{
  PwModel      *model;
  HoldoutUser  *users;
  guint         n_users;
  double        half_life;
  const double *weights;
  guint         n_weights;
  double       *values;       /* per user x n_weights */
} GenreJob;

static void
genre_users (guint    begin,
             guint    end,
             guint    worker,
             gpointer data)
{
  GenreJob *job = data;
  PwModel *m = job->model;
  float *scores = g_new (float, MAX (1, m->n_warm));
  guint8 *skip = g_new0 (guint8, MAX (1, m->n_warm));
  PwEvent *ev = NULL;
  guint ev_cap = 0;

  for (guint k = begin; k < end; k++)
    {
      HoldoutUser *hu = &job->users[k];
      GArray *h = g_ptr_array_index (m->histories, hu->user);
      guint n_session = 1 + k % GENRE_SESSION_MAX;
      double *values = job->values + (gsize) k * job->n_weights;
      PwSessionRanks ranks;
      PwUserState state;

      memset (values, 0, sizeof (double) * job->n_weights);
      if (hu->n_input < n_session + 3 || hu->n_targets == 0)
        continue;
      if (hu->n_input > ev_cap)
        {
          ev_cap = hu->n_input;
          ev = g_renew (PwEvent, ev, ev_cap);
        }
      memcpy (ev, h->data, sizeof (PwEvent) * hu->n_input);
      for (guint e = hu->n_input - n_session; e < hu->n_input; e++)
        ev[e].flags |= PW_EVENT_REALTIME;
      pw_user_state_build (m, ev, hu->n_input, job->half_life, &state);
      if (pw_session_ranks_build (m, &state, TRUE, &ranks) && ranks.history != NULL)
        {
          PwScoreParts parts;

          pw_score_parts_build (m, &state, &parts);
          for (guint w = 0; w < job->n_weights; w++)
            if (pw_session_ranks_merge (m, &ranks, job->weights[w], scores))
              {
                pw_score_parts_add (m, &state, &parts, scores);
                values[w] = holdout_value (m, hu, scores, skip, ev);
              }
          pw_score_parts_clear (&parts);
        }
      pw_session_ranks_clear (&ranks);
      pw_user_state_clear (&state);
    }
  g_free (ev);
  g_free (skip);
  g_free (scores);
}

/* The largest weight whose holdout value is within the noise of the best
 * one's: its mean loss against the best, paired over the same users, is
 * less than twice its standard error. (For the session's genre list: as
 * strong as the holdout allows without a loss it can measure, because
 * where co-occurrence does not lead to a clicked genre, the genre list is
 * what does.) @values: n_users x n_weights; @means: their column means. */
static double
largest_within_noise (const double *values,
                      guint         n_users,
                      const double *weights,
                      guint         n_weights,
                      const double *means)
{
  guint best = 0;
  double chosen = weights[0];

  for (guint w = 1; w < n_weights; w++)
    if (means[w] > means[best])
      best = w;
  for (guint w = 0; w < n_weights; w++)
    {
      double m = 0, m2 = 0, se;

      if (w == best)
        {
          chosen = MAX (chosen, weights[w]);
          continue;
        }
      for (guint k = 0; k < n_users; k++)
        {
          double d = values[(gsize) k * n_weights + best] - values[(gsize) k * n_weights + w];
          m += d;
          m2 += d * d;
        }
      if (n_users < 2)
        continue;
      m /= n_users;
      se = sqrt (MAX (0.0, m2 / n_users - m * m) / (n_users - 1));
      g_debug ("EASE holdout: %s weight %g: loss against the best (%g) %g, t %g", "session genre",
               weights[w], weights[best], m, m / MAX (1e-12, se));
      if (m < 2.0 * se)
        chosen = MAX (chosen, weights[w]);
    }
  return chosen;
}

static void
genre_search (PwModel     *self,
              HoldoutUser *hold,
              guint        n_hold,
              double       half_life)
{
  static const double genre_weights[] = { 0, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8 };
  double values[G_N_ELEMENTS (genre_weights)];
  gboolean significant[G_N_ELEMENTS (genre_weights)];
  GenreJob job = { self, hold, n_hold, half_life, genre_weights, G_N_ELEMENTS (genre_weights),
                   g_new0 (double, MAX (1, (gsize) n_hold * G_N_ELEMENTS (genre_weights))) };
  guint32 *full_pop = self->popularity;
  double best;
  gint64 t0 = g_get_monotonic_time ();

  self->session_genre_weight = 0;
  if (self->n_genres == 0 || n_hold == 0)
    {
      g_free (job.values);
      return;
    }
  self->popularity = g_memdup2 (full_pop, sizeof (guint32) * self->n_items);
  for (guint k = 0; k < n_hold; k++)
    for (guint t = 0; t < hold[k].n_targets; t++)
      if (self->popularity[hold[k].targets[t]] > 0)
        self->popularity[hold[k].targets[t]]--;
  pw_parallel_for (n_hold, 16, self->n_threads, genre_users, &job);
  g_free (self->popularity);
  self->popularity = full_pop;

  holdout_summarize (job.values, n_hold, G_N_ELEMENTS (genre_weights), values, significant);
  choose_weight ("session genre", genre_weights, G_N_ELEMENTS (genre_weights), values, significant, &best);
  self->session_genre_weight = largest_within_noise (job.values, n_hold, genre_weights,
                                                     G_N_ELEMENTS (genre_weights), values);
  g_debug ("session genre search: %.3f s, weight %g", (g_get_monotonic_time () - t0) / 1e6,
           self->session_genre_weight);
  g_free (job.values);
}

/* The sequential matrix for a λ factor (of the mean diagonal of XᵀX), or,
 * for SEQ_COUNTS, the counted transitions: XᵀY with rows scaled to sum 1.
 * @work: n x n scratch. */
#define SEQ_COUNTS (-1.0)

static gboolean
seq_matrix (const SeqStats *st,
            const SeqShape *shape,
            guint           n,
            double          factor,
            float          *work,
            float          *out,
            GError        **error)
{
  /* one input item: XᵀX is diagonal, W's rows are XᵀY's scaled, and a
   * row's scale changes nothing (scoring reads one row and scales it to a
   * maximum of 1): every λ is XᵀY itself */
  if (factor >= 0 && shape->n_in == 1)
    {
      memcpy (out, st->xty, sizeof (float) * n * n);
      for (guint a = 0; a < n; a++)
        out[(gsize) a * n + a] = 0;
      return TRUE;
    }
  if (factor >= 0)
    return seq_solve (st, n, factor * MAX (st->mean_diag, 1e-6), work, out, error);
  memcpy (out, st->xty, sizeof (float) * n * n);
  for (guint a = 0; a < n; a++)
    {
      float *row = out + (gsize) a * n;
      double sum = 0;

      row[a] = 0;
      for (guint b = 0; b < n; b++)
        sum += row[b];
      if (sum > 0)
        cblas_sscal ((int) n, (float) (1.0 / sum), row, 1);
    }
  return TRUE;
}

/* Chooses the sequential part on the holdout: first the counted
 * transitions of the first shape, a cheap probe (when even they do not
 * help, the order says nothing and the search ends there); then that
 * shape's regression with λ 0.25 and 0.0625 (times the mean of diag XᵀX),
 * then the other shapes at the better one. Leaves the best in
 * self->seq and its settings (seq NULL, weight 0 when nothing helps).
 * @work: n x n scratch. */
static gboolean
seq_search (PwModel      *self,
            HoldoutUser  *hold,
            guint         n_hold,
            const guint  *input_len,
            double        half_life,
            float        *work,
            guint        *shape_out,
            double       *factor_out,
            GCancellable *cancellable,
            GError      **error)
{
  static const double factors[] = { 0.25, 0.0625 };
  guint n = self->n_warm;
  float *cand = g_new (float, (gsize) n * n), *best_seq = NULL;
  double best = -1, best_w = 0, best_factor = SEQ_COUNTS;
  guint best_shape = 0;
  gint lambda_f = 0;
  gint64 t0 = g_get_monotonic_time ();
  gboolean ok = TRUE;

  for (guint s = 0; ok && s < G_N_ELEMENTS (seq_shapes) && !g_cancellable_is_cancelled (cancellable); s++)
    {
      SeqStats st;
      gint f = s == 0 ? -1 : lambda_f, shape_best_f = -1;
      double shape_best = -1;

      self->seq_n_in = seq_shapes[s].n_in;
      self->seq_in_decay = seq_shapes[s].in_decay;
      seq_stats_build (self, input_len, &seq_shapes[s], FALSE, &st);
      g_debug ("sequence stats, shape %u: %.3f s", s, (g_get_monotonic_time () - t0) / 1e6);
      while (f < (gint) G_N_ELEMENTS (factors) && !g_cancellable_is_cancelled (cancellable))
        {
          double w, score, factor = f < 0 ? SEQ_COUNTS : factors[f];
          gboolean any_gain;

          if (factor >= 0 && seq_shapes[s].n_in > 1)
            seq_stats_ensure_xtx (self, input_len, &seq_shapes[s], &st);
          ok = seq_matrix (&st, &seq_shapes[s], n, factor, work, cand, error);
          if (!ok)
            break;
          self->seq = cand;
          g_debug ("sequence matrix: %.3f s", (g_get_monotonic_time () - t0) / 1e6);
          score = search_seq_weight (self, hold, n_hold, half_life, &w, &any_gain);
          g_debug ("EASE holdout: sequence shape %u, %s %g (weight %g) -> %g", s,
                   f < 0 ? "counted" : "lambda", f < 0 ? 0 : factor * st.mean_diag, w, score);
          if (f >= 0 && score > shape_best)
            {
              shape_best = score;
              shape_best_f = f;
            }
          if (score > best)
            {
              float *tmp = best_seq;
              best_seq = cand;
              cand = tmp != NULL ? tmp : g_new (float, (gsize) n * n);
              best = score;
              best_w = w;
              best_factor = factor;
              best_shape = s;
            }
          if (f < 0)
            {
              if (!any_gain)
                break;  /* the probe: the order says nothing */
              f = 0;
            }
          else if (s == 0 && f == 0)
            f = 1;
          else
            break;  /* the first shape tries two λ, the others take the better */
        }
      seq_stats_clear (&st);
      if (s == 0 && best_w == 0 && shape_best_f < 0)
        break;
      if (s == 0 && shape_best_f >= 0)
        lambda_f = shape_best_f;
    }
  g_free (cand);
  self->seq = NULL;
  self->seq_weight = 0;
  if (!ok)
    {
      g_free (best_seq);
      return FALSE;
    }
  if (best_w > 0)
    {
      self->seq = best_seq;
      self->seq_weight = best_w;
      self->seq_n_in = seq_shapes[best_shape].n_in;
      self->seq_in_decay = seq_shapes[best_shape].in_decay;
      *shape_out = best_shape;
      *factor_out = best_factor;
    }
  else
    g_free (best_seq);
  g_debug ("sequence part: %.3f s, shape %u, %s %g, weight %g", (g_get_monotonic_time () - t0) / 1e6,
           best_shape, best_factor < 0 ? "counted" : "lambda factor", MAX (best_factor, 0), self->seq_weight);
  return TRUE;
}

typedef struct
{
  PwModel                  *model;
  const HoldoutUser        *users;
  const PwRecommendOptions *options;
  double                   *values;
} RelatedJob;

static void
related_users (guint    begin,
               guint    end,
               guint    worker,
               gpointer data)
{
  RelatedJob *job = data;

  for (guint k = begin; k < end; k++)
    {
      const HoldoutUser *hu = &job->users[k];
      GArray *h = g_ptr_array_index (job->model->histories, hu->user);
      const PwEvent *ev = (const PwEvent *) h->data;
      g_autoptr(GArray) recs = NULL;
      gboolean rel[25];
      guint n_rec;

      job->values[k] = 0;
      if (hu->n_input == 0 || hu->n_targets == 0)
        continue;
      recs = pw_model_related_events (job->model, (gint) ev[hu->n_input - 1].item, ev, hu->n_input, job->options);
      n_rec = MIN (recs->len, 25);
      for (guint p = 0; p < n_rec; p++)
        {
          gint item = g_array_index (recs, PwRecommendation, p).item;
          rel[p] = FALSE;
          for (guint t = 0; t < hu->n_targets; t++)
            rel[p] |= (gint) hu->targets[t] == item;
        }
      job->values[k] = pw_metric_ndcg_at_k (rel, n_rec, hu->n_targets, 10)
                       + pw_metric_ndcg_at_k (rel, n_rec, hu->n_targets, 25);
    }
}

/**
 * pw_related_tune:
 * Similar-items and sims score a candidate j for a seed i as
 * c(i, j) / (pop(i)^(1-β) · pop(j)^β): β = 1/2 is the cosine, less favours
 * popular candidates more. β is chosen on the internal holdout: each
 * holdout user is seeded with the last item of their input part, as the
 * evaluations do, on co-occurrence counts and popularity without their
 * targets. Needs the dense co-occurrence (self->dense).
 */
void
pw_related_tune (PwModel              *self,
                 const PwTrainOptions *options,
                 GCancellable         *cancellable)
{
  static const double betas[] = { 0, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8 };
  PwUserItems history;
  HoldoutUser *hold;
  guint8 *is_holdout;
  guint *input_len;
  guint n_hold = 0, n = self->n_warm;
  float *full_dense = self->dense, *adj;
  guint32 *full_pop = self->popularity, *pop;
  PwRecommendOptions ropts;
  double best = -1, best_beta = 0.5;

  if (self->dense == NULL || n == 0)
    return;
  pw_user_items_build (self, &history);
  is_holdout = g_new0 (guint8, MAX (1, history.n_users));
  hold = choose_holdout (self, &history, options->seed, &n_hold, is_holdout);
  if (n_hold == 0)
    goto out;

  /* the counts without the holdout users' targets */
  adj = g_memdup2 (full_dense, sizeof (float) * n * n);
  pop = g_memdup2 (full_pop, sizeof (guint32) * self->n_items);
  for (guint k = 0; k < n_hold; k++)
    for (guint t = 0; t < hold[k].n_targets; t++)
      if (pop[hold[k].targets[t]] > 0)
        pop[hold[k].targets[t]]--;
  input_len = holdout_input_lengths (self, hold, n_hold);
  holdout_adjust_gram (self, &history, is_holdout, input_len, adj);
  g_free (input_len);

  self->dense = adj;
  self->popularity = pop;
  pw_recommend_options_init (&ropts);
  for (guint b = 0; b < G_N_ELEMENTS (betas) && !g_cancellable_is_cancelled (cancellable); b++)
    {
      RelatedJob job = { self, hold, &ropts, g_new0 (double, n_hold) };
      double sum = 0;

      self->sim_beta = betas[b];
      pw_parallel_for (n_hold, 16, self->n_threads, related_users, &job);
      for (guint k = 0; k < n_hold; k++)
        sum += job.values[k];
      g_free (job.values);
      g_debug ("related holdout: beta %g -> %g", betas[b], sum / n_hold);
      if (sum / n_hold > best)
        {
          best = sum / n_hold;
          best_beta = betas[b];
        }
    }
  self->dense = full_dense;
  self->popularity = full_pop;
  g_free (adj);
  g_free (pop);

out:
  self->sim_beta = best_beta;
  for (guint k = 0; k < n_hold; k++)
    g_free (hold[k].targets);
  g_free (hold);
  g_free (is_holdout);
  pw_user_items_clear (&history);
}

gboolean
pw_ease_train (PwModel              *self,
               const PwTrainOptions *options,
               GCancellable         *cancellable,
               GError              **error)
{
  static const double factors[] = { 0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0 };
  static const double half_lives[] = { -1, 2, 5, 20, 80 };
  PwUserItems history;
  guint n = self->n_warm;
  float *gram, *work, *best_b = NULL;
  double mean_diag = 0, lambda = options->lambda, half_life = options->recency_half_life;
  gboolean search_lambda = options->lambda <= 0, search_half_life = options->recency_half_life == 0;
  gboolean search_seq = options->transition_weight == 0;
  gboolean search_time = options->time_weight == 0;
  gboolean search_genre = options->session_genre_weight == 0;
  guint8 *is_holdout = NULL;
  guint *input_len = NULL;
  HoldoutUser *hold = NULL;
  guint n_hold = 0, seq_shape = 0;
  double seq_lambda_factor = 1;
  gboolean ok = TRUE;

  if (n == 0)
    {
      g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_TOO_LITTLE_DATA,
                   _("There are no items with interactions to train on"));
      return FALSE;
    }

  pw_user_items_build (self, &history);
  gram = g_new0 (float, (gsize) n * n);
  work = g_new (float, (gsize) n * n);
  {
    gint64 t0 = g_get_monotonic_time ();
    gram_accumulate (&history, gram, n, 1.0f, NULL, self->n_threads);
    g_debug ("gram %u: %.3f s", n, (g_get_monotonic_time () - t0) / 1e6);
  }
  for (guint i = 0; i < n; i++)
    mean_diag += gram[(gsize) i * n + i];
  mean_diag /= n;
  if (half_life < 0)
    half_life = -1;

  if (search_lambda || search_half_life || search_seq || search_time || search_genre)
    {
      is_holdout = g_new0 (guint8, MAX (1, history.n_users));
      hold = choose_holdout (self, &history, options->seed, &n_hold, is_holdout);
    }
  if (search_lambda)
    lambda = mean_diag;
  if (search_half_life)
    half_life = 20;

  if (n_hold > 0)
    {
      /* The search's model: every interaction but the holdout users' targets
       * (about 3% of the data). */
      double best = -1, score = 0;
      gint best_f = -1;

      input_len = holdout_input_lengths (self, hold, n_hold);
      holdout_adjust_gram (self, &history, is_holdout, input_len, gram);

      best_b = g_new (float, (gsize) n * n);
      self->dense = work;
      if (search_lambda)
        {
          /* λ = factor * mean (diag XᵀX): 2 and 4, then onwards in the better
           * direction while it improves */
          gint f = 4, dir = 0;

          while (ok && f >= 0 && f < (gint) G_N_ELEMENTS (factors) && !g_cancellable_is_cancelled (cancellable))
            {
              ok = ease_solve (gram, work, n, factors[f] * mean_diag, error);
              if (!ok)
                break;
              score = holdout_score (self, hold, n_hold, half_life);
              g_debug ("EASE holdout: lambda %g -> %g", factors[f] * mean_diag, score);
              if (score > best)
                {
                  float *tmp = best_b;
                  best_b = work;
                  work = tmp;
                  self->dense = work;
                  best = score;
                  best_f = f;
                }
              if (dir == 0)
                {
                  if (f == 4)
                    {
                      f = 5;
                      continue;
                    }
                  dir = best_f == 5 ? 1 : -1;
                  f = best_f + dir;
                }
              else if (best_f == f)
                f += dir;
              else
                break;
            }
          lambda = factors[MAX (best_f, 0)] * mean_diag;
        }
      else
        {
          ok = ease_solve (gram, best_b, n, lambda, error);
        }

      /* the recency half life, then the sequential part (on only when the
       * holdout says it helps), then the half life again beside it */
      if (ok && (search_half_life || search_seq || search_time || search_genre) && !g_cancellable_is_cancelled (cancellable))
        {
          gboolean use_seq = search_seq && (guint64) n * n * sizeof (float) * 6 <= options->memory_budget;

          self->dense = best_b;
          self->seq_weight = 0;
          g_clear_pointer (&gram, g_free);  /* its memory goes to the sequential part */
          for (guint round = 0; round < 2 && ok && !g_cancellable_is_cancelled (cancellable); round++)
            {
              if (search_half_life)
                {
                  best = -1;
                  for (guint k = 0; k < G_N_ELEMENTS (half_lives); k++)
                    {
                      score = holdout_score (self, hold, n_hold, half_lives[k]);
                      g_debug ("EASE holdout: half life %g -> %g", half_lives[k], score);
                      if (score > best)
                        {
                          best = score;
                          half_life = half_lives[k];
                        }
                    }
                }
              if (round > 0 || !use_seq)
                break;
              ok = seq_search (self, hold, n_hold, input_len, half_life, work,
                               &seq_shape, &seq_lambda_factor, cancellable, error);
              if (self->seq_weight == 0)
                break;
            }
        }
      /* what was popular around the user's own time */
      if (ok && search_time && !g_cancellable_is_cancelled (cancellable))
        time_search (self, hold, n_hold, input_len, half_life);
      /* how much the genres of a session's items count */
      if (ok && search_genre && !g_cancellable_is_cancelled (cancellable))
        genre_search (self, hold, n_hold, half_life);
      self->dense = NULL;

      /* the final model: the chosen settings on all the data */
      if (ok && !g_cancellable_is_cancelled (cancellable))
        {
          g_free (gram);
          gram = g_new0 (float, (gsize) n * n);
          gram_accumulate (&history, gram, n, 1.0f, NULL, self->n_threads);
          ok = ease_solve (gram, best_b, n, lambda, error);
          g_clear_pointer (&gram, g_free);
          if (ok && self->seq != NULL)
            {
              SeqStats st;

              seq_stats_build (self, NULL, &seq_shapes[seq_shape], seq_lambda_factor >= 0, &st);
              ok = seq_matrix (&st, &seq_shapes[seq_shape], n, seq_lambda_factor, work, self->seq, error);
              seq_stats_clear (&st);
            }
          if (ok && self->time_counts != NULL)
            time_counts_build (self, NULL);
        }
      g_free (work);
      work = best_b;
    }
  else
    ok = ease_solve (gram, work, n, lambda, error);

  for (guint k = 0; k < n_hold; k++)
    g_free (hold[k].targets);
  g_free (hold);
  g_free (is_holdout);
  g_free (input_len);
  pw_user_items_clear (&history);
  g_free (gram);
  self->dense = NULL;

  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;
  if (!ok)
    {
      g_free (work);
      g_clear_pointer (&self->seq, g_free);
      g_clear_pointer (&self->time_counts, g_free);
      return FALSE;
    }
  if (options->time_weight > 0)
    {
      /* fixed weight: the time part of all the training data */
      time_counts_build (self, NULL);
      self->time_weight = self->time_counts != NULL ? options->time_weight : 0;
    }
  if (options->transition_weight > 0)
    {
      /* fixed weight: the sequential part of all the training data */
      SeqStats st;
      float *scratch = g_new (float, (gsize) n * n);

      g_clear_pointer (&self->seq, g_free);
      self->seq_n_in = seq_shapes[0].n_in;
      self->seq_in_decay = seq_shapes[0].in_decay;
      seq_stats_build (self, NULL, &seq_shapes[0], TRUE, &st);
      self->seq = g_new (float, (gsize) n * n);
      if (!seq_solve (&st, n, MAX (st.mean_diag, 1e-6), scratch, self->seq, error))
        {
          g_clear_pointer (&self->seq, g_free);
          g_free (scratch);
          g_free (work);
          seq_stats_clear (&st);
          return FALSE;
        }
      g_free (scratch);
      seq_stats_clear (&st);
      self->seq_weight = options->transition_weight;
    }
  if (options->session_genre_weight > 0)
    self->session_genre_weight = MIN (options->session_genre_weight, 1.0);
  else if (options->session_genre_weight < 0)
    self->session_genre_weight = 0;
  self->dense = work;
  self->lambda = lambda;
  self->half_life = half_life;
  g_debug ("EASE: %u items, lambda %g, half life %g", n, lambda, half_life);
  return TRUE;
}
