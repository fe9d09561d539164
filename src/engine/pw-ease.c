/* pw-ease.c: user-personalization's dense model. EASE (Steck, "Embarrassingly
 * Shallow Autoencoders for Sparse Data", WWW 2019): B = I - P / diag (P),
 * P = (XᵀX + λI)⁻¹ in float32 through LAPACK's Cholesky (spotrf + spotri).
 * λ and the user-state recency half life are chosen on an internal holdout
 * (a seeded 10% of users, their newest 10% interactions as targets).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-engine"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include <lapacke.h>

#include "pw-engine-error.h"
#include "pw-metrics.h"
#include "pw-model-private.h"

void
pw_user_items_build (PwModel     *self,
                     PwUserItems *ui)
{
  GArray *items = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint8 *seen = g_new0 (guint8, MAX (1, self->n_items));

  ui->n_users = self->n_train_users;
  ui->ptr = g_new0 (guint32, ui->n_users + 1);
  for (guint u = 0; u < ui->n_users; u++)
    {
      GArray *h = g_ptr_array_index (self->histories, u);
      ui->ptr[u] = items->len;
      for (guint e = 0; e < h->len; e++)
        {
          guint32 it = g_array_index (h, PwEvent, e).item;
          if (!seen[it] && self->dense_of[it] >= 0)
            {
              guint32 d = (guint32) self->dense_of[it];
              seen[it] = 1;
              g_array_append_val (items, d);
            }
        }
      for (guint e = 0; e < h->len; e++)
        seen[g_array_index (h, PwEvent, e).item] = 0;
    }
  ui->ptr[ui->n_users] = items->len;
  ui->items = (guint32 *) g_array_free (items, FALSE);
  g_free (seen);
}

void
pw_user_items_clear (PwUserItems *ui)
{
  g_clear_pointer (&ui->ptr, g_free);
  g_clear_pointer (&ui->items, g_free);
}

typedef struct
{
  const PwUserItems *ui;
  float           *gram;
  guint            n;
  float            sign;
  const guint8    *only_users;  /* nullable: only these users */
} GramJob;

static void
gram_rows (guint    begin,
           guint    end,
           guint    worker,
           gpointer data)
{
  GramJob *job = data;
  const PwUserItems *ui = job->ui;

  for (guint u = 0; u < ui->n_users; u++)
    {
      if (job->only_users != NULL && !job->only_users[u])
        continue;
      for (guint32 p = ui->ptr[u]; p < ui->ptr[u + 1]; p++)
        {
          guint32 a = ui->items[p];
          float *row;
          if (a < begin || a >= end)
            continue;
          row = job->gram + (gsize) a * job->n;
          for (guint32 q = ui->ptr[u]; q < ui->ptr[u + 1]; q++)
            row[ui->items[q]] += job->sign;
        }
    }
}

/* gram += sign * XᵀX (rows split between threads: no two threads write a row) */
static void
gram_accumulate (const PwUserItems *ui,
                 float           *gram,
                 guint            n,
                 float            sign,
                 const guint8    *only_users,
                 guint            n_threads)
{
  GramJob job = { ui, gram, n, sign, only_users };
  guint chunk = MAX (16, n / (n_threads * 4) + 1);

  pw_parallel_for (n, chunk, n_threads, gram_rows, &job);
}

/**
 * pw_cooccurrence_dense:
 * Returns: (transfer full): the n_warm x n_warm co-occurrence counts XᵀX
 */
float *
pw_cooccurrence_dense (PwModel *self,
                       guint    n_threads)
{
  PwUserItems ui;
  float *gram = g_new0 (float, MAX (1, (gsize) self->n_warm * self->n_warm));

  pw_user_items_build (self, &ui);
  gram_accumulate (&ui, gram, self->n_warm, 1.0f, NULL, n_threads);
  pw_user_items_clear (&ui);
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
  PwModel     *model;
  HoldoutUser *users;
  guint        n_users;
  double       half_life;
  double      *values;    /* per user */
} HoldoutJob;

static void
holdout_users (guint    begin,
               guint    end,
               guint    worker,
               gpointer data)
{
  HoldoutJob *job = data;
  PwModel *m = job->model;
  float *scores = g_new (float, MAX (1, m->n_warm));
  guint8 *skip = g_new0 (guint8, MAX (1, m->n_warm));
  PwScored top[25];

  for (guint k = begin; k < end; k++)
    {
      HoldoutUser *hu = &job->users[k];
      GArray *h = g_ptr_array_index (m->histories, hu->user);
      const PwEvent *ev = (const PwEvent *) h->data;
      PwUserState state;
      gboolean rel[25];
      guint n_top;

      pw_user_state_build (m, ev, hu->n_input, job->half_life, &state);
      if (!pw_model_score_dense (m, &state, scores))
        {
          job->values[k] = 0;
          pw_user_state_clear (&state);
          continue;
        }
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
      job->values[k] = pw_metric_ndcg_at_k (rel, n_top, hu->n_targets, 10)
                       + pw_metric_ndcg_at_k (rel, n_top, hu->n_targets, 25);
      pw_user_state_clear (&state);
    }
  g_free (skip);
  g_free (scores);
}

static double
holdout_score (PwModel     *self,
               HoldoutUser *users,
               guint        n_users,
               double       half_life)
{
  HoldoutJob job = { self, users, n_users, half_life, g_new0 (double, MAX (1, n_users)) };
  double sum = 0;

  pw_parallel_for (n_users, 16, self->n_threads, holdout_users, &job);
  for (guint k = 0; k < n_users; k++)
    sum += job.values[k];
  g_free (job.values);
  return n_users > 0 ? sum / n_users : 0;
}

/* A seeded 10% of the users with at least 3 distinct items: oldest 90% of
 * their events as input, newest 10% as targets. */
static HoldoutUser *
choose_holdout (PwModel         *self,
                const PwUserItems *ui,
                guint32          seed,
                guint           *n_out,
                guint8          *is_holdout)
{
  GRand *rand = g_rand_new_with_seed (seed);
  GArray *eligible = g_array_new (FALSE, FALSE, sizeof (guint));
  HoldoutUser *users;
  guint n;

  for (guint u = 0; u < ui->n_users; u++)
    if (ui->ptr[u + 1] - ui->ptr[u] >= 3)
      g_array_append_val (eligible, u);
  for (guint k = eligible->len; k > 1; k--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) k);
      guint tmp = g_array_index (eligible, guint, k - 1);
      g_array_index (eligible, guint, k - 1) = g_array_index (eligible, guint, j);
      g_array_index (eligible, guint, j) = tmp;
    }
  n = MIN (eligible->len / 10, 1000);
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

#define SEQ_WINDOW 3

/* Next-item transitions: for each user's sequence (for holdout users only
 * their input part), item p is followed by the items at p+1..p+3 with
 * weights 1, 1/2, 1/3; rows normalised to sum 1 (P(next = j | i)). */
static float *
transitions_build (PwModel           *self,
                   const HoldoutUser *hold,
                   guint              n_hold,
                   const guint8      *is_holdout)
{
  guint n = self->n_warm;
  float *t = g_new0 (float, (gsize) n * n);
  guint32 *seq = g_new (guint32, 1);
  guint seq_cap = 1;

  for (guint u = 0; u < self->n_train_users; u++)
    {
      GArray *h = g_ptr_array_index (self->histories, u);
      guint len = h->len, m = 0;

      if (is_holdout != NULL && is_holdout[u])
        for (guint j = 0; j < n_hold; j++)
          if (hold[j].user == u)
            len = hold[j].n_input;
      if (len > seq_cap)
        {
          seq_cap = len;
          seq = g_renew (guint32, seq, seq_cap);
        }
      for (guint e = 0; e < len; e++)
        {
          gint32 d = self->dense_of[g_array_index (h, PwEvent, e).item];
          if (d >= 0 && (m == 0 || seq[m - 1] != (guint32) d))
            seq[m++] = (guint32) d;
        }
      for (guint p = 0; p < m; p++)
        for (guint q = p + 1; q < m && q <= p + SEQ_WINDOW; q++)
          t[(gsize) seq[p] * n + seq[q]] += 1.0f / (float) (q - p);
    }
  for (guint i = 0; i < n; i++)
    {
      float *row = t + (gsize) i * n;
      double sum = 0;
      for (guint j = 0; j < n; j++)
        sum += row[j];
      if (sum > 0)
        for (guint j = 0; j < n; j++)
          row[j] = (float) (row[j] / sum);
    }
  g_free (seq);
  return t;
}

gboolean
pw_ease_train (PwModel              *self,
               const PwTrainOptions *options,
               GCancellable         *cancellable,
               GError              **error)
{
  static const double factors[] = { 0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0 };
  static const double half_lives[] = { -1, 2, 5, 20, 80 };
  static const double seq_weights[] = { 0, 0.125, 0.25, 0.5, 1.0, 2.0, 4.0 };
  PwUserItems ui;
  guint n = self->n_warm;
  float *gram, *work, *best_b = NULL;
  double mean_diag = 0, lambda = options->lambda, half_life = options->recency_half_life;
  gboolean search_lambda = options->lambda <= 0, search_half_life = options->recency_half_life == 0;
  gboolean search_seq = options->transition_weight == 0;
  guint8 *is_holdout = NULL;
  HoldoutUser *hold = NULL;
  guint n_hold = 0;
  gboolean ok = TRUE;

  if (n == 0)
    {
      g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_TOO_LITTLE_DATA,
                   _("There are no items with interactions to train on"));
      return FALSE;
    }

  pw_user_items_build (self, &ui);
  gram = g_new0 (float, (gsize) n * n);
  work = g_new (float, (gsize) n * n);
  {
    gint64 t0 = g_get_monotonic_time ();
    gram_accumulate (&ui, gram, n, 1.0f, NULL, self->n_threads);
    g_debug ("gram %u: %.3f s", n, (g_get_monotonic_time () - t0) / 1e6);
  }
  for (guint i = 0; i < n; i++)
    mean_diag += gram[(gsize) i * n + i];
  mean_diag /= n;
  if (half_life < 0)
    half_life = -1;

  if (search_lambda || search_half_life || search_seq)
    {
      is_holdout = g_new0 (guint8, MAX (1, ui.n_users));
      hold = choose_holdout (self, &ui, options->seed, &n_hold, is_holdout);
    }
  if (search_lambda)
    lambda = mean_diag;
  if (search_half_life)
    half_life = 20;

  if (n_hold > 0)
    {
      /* The search's model: every interaction but the holdout users' targets
       * (about 1% of the data); the best candidate is the final model. */
      PwUserItems inputs = { ui.n_users, g_new0 (guint32, ui.n_users + 1), NULL };
      GArray *items = g_array_new (FALSE, FALSE, sizeof (guint32));
      double best = -1, score = 0;
      gint best_f = -1;

      for (guint u = 0, k = 0; u < ui.n_users; u++)
        {
          inputs.ptr[u] = items->len;
          if (k < n_hold && is_holdout[u])
            {
              HoldoutUser *hu = NULL;
              GArray *h = g_ptr_array_index (self->histories, u);
              for (guint j = 0; j < n_hold && hu == NULL; j++)
                if (hold[j].user == u)
                  hu = &hold[j];
              for (guint e = 0; hu != NULL && e < hu->n_input; e++)
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
        }
      inputs.ptr[ui.n_users] = items->len;
      inputs.items = (guint32 *) g_array_free (items, FALSE);
      gram_accumulate (&ui, gram, n, -1.0f, is_holdout, self->n_threads);
      gram_accumulate (&inputs, gram, n, 1.0f, NULL, self->n_threads);
      pw_user_items_clear (&inputs);

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

      /* the recency half life, then the weight of what follows the last
       * items (on only when the holdout says it helps), then both again */
      if (ok && (search_half_life || search_seq) && !g_cancellable_is_cancelled (cancellable))
        {
          gboolean use_seq = search_seq && (guint64) n * n * sizeof (float) * 4 <= options->memory_budget;
          double best_w = 0;

          self->dense = best_b;
          self->seq_weight = 0;
          if (use_seq)
            self->seq = transitions_build (self, hold, n_hold, is_holdout);
          for (guint round = 0; round < 2 && !g_cancellable_is_cancelled (cancellable); round++)
            {
              double before_hl = half_life, before_w = best_w;

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
              if (use_seq)
                {
                  best = -1;
                  for (guint k = 0; k < G_N_ELEMENTS (seq_weights); k++)
                    {
                      self->seq_weight = seq_weights[k];
                      score = holdout_score (self, hold, n_hold, half_life);
                      g_debug ("EASE holdout: transitions %g -> %g", seq_weights[k], score);
                      if (score > best)
                        {
                          best = score;
                          best_w = seq_weights[k];
                        }
                      else if (k >= 2)
                        break;  /* past the best */
                    }
                  self->seq_weight = best_w;
                }
              /* a second round only when the transitions changed the picture */
              if (round > 0 || !use_seq || !search_half_life || best_w == 0
                  || (before_hl == half_life && before_w == best_w))
                break;
            }
          if (best_w == 0)
            g_clear_pointer (&self->seq, g_free);
        }
      self->dense = NULL;
      g_free (work);
      work = best_b;
    }
  else
    ok = ease_solve (gram, work, n, lambda, error);

  for (guint k = 0; k < n_hold; k++)
    g_free (hold[k].targets);
  g_free (hold);
  g_free (is_holdout);
  pw_user_items_clear (&ui);
  g_free (gram);
  self->dense = NULL;

  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;
  if (!ok)
    {
      g_free (work);
      g_clear_pointer (&self->seq, g_free);
      return FALSE;
    }
  if (options->transition_weight > 0)
    {
      /* fixed weight: transitions of all the training data */
      g_clear_pointer (&self->seq, g_free);
      self->seq = transitions_build (self, NULL, 0, NULL);
      self->seq_weight = options->transition_weight;
    }
  self->dense = work;
  self->lambda = lambda;
  self->half_life = half_life;
  g_debug ("EASE: %u items, lambda %g, half life %g", n, lambda, half_life);
  return TRUE;
}
