/* pw-seq-search.c: user-personalization's sequential part and its search
 * on the holdout (the SLIT regression below); the trainer (pw-ease.c)
 * sets the model from the choice.
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
#include "pw-holdout.h"

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

  st->xtx = with_xtx ? pw_matrix_alloc ((gsize) n * n, TRUE) : NULL;
  st->xty = pw_matrix_alloc ((gsize) n * n, TRUE);
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

/* the best weight of the sequential part of @scorer (its seq), by
 * holdout score (0 included); returns that score */
static double
search_seq_weight (PwModel        *self,
                   const PwScorer *scorer,
                   PwHoldoutUser  *hold,
                   guint        n_hold,
                   double       half_life,
                   double      *best_w,
                   gboolean    *any_gain)
{
  static const double seq_weights[] = { 0, 0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0 };
  double values[G_N_ELEMENTS (seq_weights)];
  gboolean significant[G_N_ELEMENTS (seq_weights)];
  double best = -1;

  pw_holdout_score_mixes (self, scorer, hold, n_hold, half_life, seq_weights, G_N_ELEMENTS (seq_weights), FALSE,
                      values, significant);
  *best_w = pw_holdout_choose_weight ("sequence", seq_weights, G_N_ELEMENTS (seq_weights), values, significant, &best);
  *any_gain = FALSE;
  for (guint k = 1; k < G_N_ELEMENTS (seq_weights); k++)
    *any_gain |= values[k] > values[0];
  return best;
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

/**
 * pw_seq_search:
 * Chooses the sequential part on the holdout: first the counted
 * transitions of the first shape, a cheap probe (when even they do not
 * help, the order says nothing and the search ends there); then that
 * shape's regression with λ 0.25 and 0.0625 (times the mean of diag XᵀX),
 * then the other shapes at the better one. Scores with @scorer and each
 * candidate as its sequential part; the best into @choice (matrix NULL,
 * weight 0 when nothing helps). @work: n x n scratch.
 */
gboolean
pw_seq_search (PwModel        *self,
               const PwScorer *scorer,
               PwHoldoutUser  *hold,
               guint           n_hold,
               const guint    *input_len,
               double          half_life,
               float          *work,
               PwSeqChoice    *choice,
               GCancellable   *cancellable,
               GError        **error)
{
  static const double factors[] = { 0.25, 0.0625 };
  guint n = self->n_warm;
  float *cand = pw_matrix_alloc ((gsize) n * n, FALSE), *best_seq = NULL;
  double best = -1, best_w = 0, best_factor = SEQ_COUNTS;
  guint best_shape = 0;
  gint lambda_f = 0;
  gint64 t0 = g_get_monotonic_time ();
  gboolean ok = TRUE;
  PwScorer sc = *scorer;

  memset (choice, 0, sizeof *choice);
  for (guint s = 0; ok && s < G_N_ELEMENTS (seq_shapes) && !g_cancellable_is_cancelled (cancellable); s++)
    {
      SeqStats st;
      gint f = s == 0 ? -1 : lambda_f, shape_best_f = -1;
      double shape_best = -1;

      sc.seq_n_in = seq_shapes[s].n_in;
      sc.seq_in_decay = seq_shapes[s].in_decay;
      /* the first shape's probe needs only XᵀY; the others go straight to a λ */
      seq_stats_build (self, input_len, &seq_shapes[s], s > 0 && seq_shapes[s].n_in > 1, &st);
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
          sc.seq = cand;
          g_debug ("sequence matrix: %.3f s", (g_get_monotonic_time () - t0) / 1e6);
          score = search_seq_weight (self, &sc, hold, n_hold, half_life, &w, &any_gain);
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
              cand = tmp != NULL ? tmp : pw_matrix_alloc ((gsize) n * n, FALSE);
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
  if (!ok)
    {
      g_free (best_seq);
      return FALSE;
    }
  if (best_w > 0)
    {
      choice->matrix = best_seq;
      choice->weight = best_w;
      choice->shape = best_shape;
      choice->factor = best_factor;
      choice->n_in = seq_shapes[best_shape].n_in;
      choice->in_decay = seq_shapes[best_shape].in_decay;
    }
  else
    g_free (best_seq);
  g_debug ("sequence part: %.3f s, shape %u, %s %g, weight %g", (g_get_monotonic_time () - t0) / 1e6,
           best_shape, best_factor < 0 ? "counted" : "lambda factor", MAX (best_factor, 0), choice->weight);
  return TRUE;
}

/**
 * pw_seq_part_build:
 * @choice's matrix (its shape and λ factor) from all the training data,
 * into choice->matrix (allocated when NULL). @work: n x n scratch.
 */
gboolean
pw_seq_part_build (PwModel      *self,
                   PwSeqChoice  *choice,
                   float        *work,
                   GError      **error)
{
  const SeqShape *shape = &seq_shapes[MIN (choice->shape, G_N_ELEMENTS (seq_shapes) - 1)];
  guint n = self->n_warm;
  SeqStats st;
  gboolean ok;

  seq_stats_build (self, NULL, shape, choice->factor >= 0 && shape->n_in > 1, &st);
  if (choice->matrix == NULL)
    choice->matrix = pw_matrix_alloc ((gsize) n * n, FALSE);
  choice->n_in = shape->n_in;
  choice->in_decay = shape->in_decay;
  ok = seq_matrix (&st, shape, n, choice->factor, work, choice->matrix, error);
  seq_stats_clear (&st);
  if (!ok)
    g_clear_pointer (&choice->matrix, g_free);
  return ok;
}
