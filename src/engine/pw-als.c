/* pw-als.c: user-personalization's factor model for catalogues above the
 * dense model's memory budget: implicit-feedback ALS (Hu, Koren, Volinsky
 * 2008) with conjugate-gradient updates (Takács, Pilászy, Tikk 2011), so
 * memory and time grow with the data, not with items².
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

#define ALS_ALPHA 4.0
#define ALS_REG 1.0
#define ALS_CG_STEPS 3
#define ALS_FOLD_IN_STEPS 12

/* short vectors (k ~ 64): plain loops beat library calls */
static inline float
dot (const float *a,
     const float *b,
     guint        k)
{
  float s = 0;

  for (guint i = 0; i < k; i++)
    s += a[i] * b[i];
  return s;
}

static inline void
axpy (float        alpha,
      const float *x,
      float       *y,
      guint        k)
{
  for (guint i = 0; i < k; i++)
    y[i] += alpha * x[i];
}

/* A v = YtY v + reg v + sum_i (c_i - 1) (y_i . v) y_i */
static void
apply_a (const float   *factors,
         guint          k,
         const float   *gram,
         float          reg,
         const guint32 *idx,
         const float   *conf,
         guint          n_idx,
         const float   *v,
         float         *out)
{
  for (guint r = 0; r < k; r++)
    out[r] = dot (gram + (gsize) r * k, v, k) + reg * v[r];
  for (guint j = 0; j < n_idx; j++)
    {
      const float *y = factors + (gsize) idx[j] * k;
      axpy (dot (y, v, k) * (conf[j] - 1.0f), y, out, k);
    }
}

/* a few CG steps on A x = b, b = sum_i c_i y_i, from the current x */
static void
cg_solve (const float   *factors,
          guint          k,
          const float   *gram,
          float          reg,
          const guint32 *idx,
          const float   *conf,
          guint          n_idx,
          float         *x,
          guint          steps,
          float         *scratch)
{
  float *r = scratch, *p = scratch + k, *ap = scratch + 2 * k;
  float rs_old, rs_new;

  apply_a (factors, k, gram, reg, idx, conf, n_idx, x, ap);
  memset (r, 0, sizeof (float) * k);
  for (guint j = 0; j < n_idx; j++)
    axpy (conf[j], factors + (gsize) idx[j] * k, r, k);
  axpy (-1.0f, ap, r, k);
  memcpy (p, r, sizeof (float) * k);
  rs_old = dot (r, r, k);
  for (guint s = 0; s < steps && rs_old > 1e-12f; s++)
    {
      float alpha, pap;

      apply_a (factors, k, gram, reg, idx, conf, n_idx, p, ap);
      pap = dot (p, ap, k);
      if (pap <= 0)
        break;
      alpha = rs_old / pap;
      axpy (alpha, p, x, k);
      axpy (-alpha, ap, r, k);
      rs_new = dot (r, r, k);
      for (guint i = 0; i < k; i++)
        p[i] = r[i] + (rs_new / rs_old) * p[i];
      rs_old = rs_new;
    }
}

typedef struct
{
  const guint32 *ptr;
  const guint32 *idx;
  const float   *fixed;    /* the other side's factors */
  float         *solved;   /* this side's factors */
  const float   *gram;
  guint          k;
  float          alpha;
  float          reg;
  float        **conf;     /* per worker */
  float        **scratch;  /* per worker */
} SweepJob;

static void
sweep_rows (guint    begin,
            guint    end,
            guint    worker,
            gpointer data)
{
  SweepJob *job = data;

  for (guint r = begin; r < end; r++)
    {
      guint n = job->ptr[r + 1] - job->ptr[r];
      for (guint j = 0; j < n; j++)
        job->conf[worker][j] = 1.0f + job->alpha;
      cg_solve (job->fixed, job->k, job->gram, job->reg, job->idx + job->ptr[r], job->conf[worker], n,
                job->solved + (gsize) r * job->k, ALS_CG_STEPS, job->scratch[worker]);
    }
}

static void
compute_gram (const float *factors,
              guint        n,
              guint        k,
              float       *gram)
{
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) k, (int) k, (int) n,
               1.0f, factors, (int) k, factors, (int) k, 0.0f, gram, (int) k);
}

gboolean
pw_als_train (PwModel              *self,
              const PwTrainOptions *options,
              GCancellable         *cancellable,
              GError              **error)
{
  PwUserItems history;
  guint k = options->als_factors > 0 ? options->als_factors : 64;
  guint iterations = options->als_iterations > 0 ? options->als_iterations : 12;
  guint n_items = self->n_warm, n_users = self->n_train_users;
  guint32 *iptr, *iidx, *fill;
  float *users, *items, *gram;
  GRand *rand;
  SweepJob job;
  guint max_len = 1;

  if (n_items == 0)
    {
      g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_TOO_LITTLE_DATA,
                   _("There are no items with interactions to train on"));
      return FALSE;
    }

  pw_user_items_build (self, &history);
  /* transpose: item -> users */
  iptr = g_new0 (guint32, n_items + 1);
  for (guint32 p = 0; p < history.ptr[n_users]; p++)
    iptr[history.items[p] + 1]++;
  for (guint i = 0; i < n_items; i++)
    iptr[i + 1] += iptr[i];
  iidx = g_new (guint32, MAX (1, history.ptr[n_users]));
  fill = g_memdup2 (iptr, sizeof (guint32) * n_items);
  for (guint u = 0; u < n_users; u++)
    for (guint32 p = history.ptr[u]; p < history.ptr[u + 1]; p++)
      iidx[fill[history.items[p]]++] = u;
  g_free (fill);
  for (guint u = 0; u < n_users; u++)
    max_len = MAX (max_len, history.ptr[u + 1] - history.ptr[u]);
  for (guint i = 0; i < n_items; i++)
    max_len = MAX (max_len, iptr[i + 1] - iptr[i]);

  rand = g_rand_new_with_seed (options->seed);
  users = g_new0 (float, MAX (1, (gsize) n_users * k));
  items = g_new (float, (gsize) n_items * k);
  for (gsize j = 0; j < (gsize) n_items * k; j++)
    items[j] = (float) (g_rand_double (rand) - 0.5) * 0.1f;
  g_rand_free (rand);
  gram = g_new (float, (gsize) k * k);

  job.k = k;
  job.alpha = (float) ALS_ALPHA;
  job.reg = (float) ALS_REG;
  job.gram = gram;
  job.conf = g_new (float *, self->n_threads);
  job.scratch = g_new (float *, self->n_threads);
  for (guint t = 0; t < self->n_threads; t++)
    {
      job.conf[t] = g_new (float, max_len);
      job.scratch[t] = g_new (float, 3 * k);
    }

  for (guint it = 0; it < iterations && !g_cancellable_is_cancelled (cancellable); it++)
    {
      compute_gram (items, n_items, k, gram);
      job.ptr = history.ptr;
      job.idx = history.items;
      job.fixed = items;
      job.solved = users;
      pw_parallel_for (n_users, 64, self->n_threads, sweep_rows, &job);

      compute_gram (users, n_users, k, gram);
      job.ptr = iptr;
      job.idx = iidx;
      job.fixed = users;
      job.solved = items;
      pw_parallel_for (n_items, 16, self->n_threads, sweep_rows, &job);
    }

  for (guint t = 0; t < self->n_threads; t++)
    {
      g_free (job.conf[t]);
      g_free (job.scratch[t]);
    }
  g_free (job.conf);
  g_free (job.scratch);
  g_free (users);
  g_free (iptr);
  g_free (iidx);
  pw_user_items_clear (&history);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_free (items);
      g_free (gram);
      return FALSE;
    }

  compute_gram (items, n_items, k, gram);
  self->k = k;
  self->item_factors = items;
  self->gram = gram;
  self->als_alpha = ALS_ALPHA;
  self->als_reg = ALS_REG;
  if (options->recency_half_life != 0)
    self->half_life = options->recency_half_life < 0 ? -1 : options->recency_half_life;
  else
    self->half_life = 20;
  return TRUE;
}

/* A user's factors from their (recency-weighted) state: c_j = 1 + alpha * w_j */
void
pw_als_fold_in (PwModel           *self,
                const PwUserState *state,
                float             *x)
{
  guint32 *idx = g_new (guint32, MAX (1, state->n));
  float *conf = g_new (float, MAX (1, state->n));
  float *scratch = g_new (float, 3 * self->k);
  guint n = 0;

  for (guint j = 0; j < state->n; j++)
    {
      gint32 d = self->dense_of[state->items[j]];
      if (d < 0)
        continue;
      idx[n] = (guint32) d;
      conf[n] = 1.0f + (float) self->als_alpha * state->weights[j];
      n++;
    }
  memset (x, 0, sizeof (float) * self->k);
  cg_solve (self->item_factors, self->k, self->gram, (float) self->als_reg, idx, conf, n, x,
            ALS_FOLD_IN_STEPS, scratch);
  g_free (scratch);
  g_free (conf);
  g_free (idx);
}
