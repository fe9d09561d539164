/* pw-lambda-search.c: the holdout's choice of EASE's λ on a smaller
 * problem, so that training solves the whole item-item system only for
 * the λ it keeps.
 *
 * Every candidate λ costs one Cholesky solve and inverse of the n x n
 * system (n³ flops: ~0.3 s at 3,700 items on two cores) and one pass over
 * the holdout. From 3,072 items the candidates are solved on the K items
 * with the most co-occurrences instead (K = 45% of the items, at least
 * 2,048: 17% of the flops at 3,700 items, 9% from 4,552), and each holdout user's lists are ranked among those
 * K items (the items outside them are the rarely seen ones, which λ
 * regularises hardest and which seldom reach a list of 25). The grid and
 * the walk are those of the whole-problem search (octaves of the mean
 * diagonal of XᵀX, from 2 onwards in the better direction), so the two
 * choose from the same values; bench-engine prints both choices and their
 * holdout values side by side (PwTrainOptions.exact_lambda_search).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-engine"

#include <math.h>
#include <string.h>

#include "pw-holdout.h"
#include "pw-metrics.h"

/* the proxy has at least this many items, and is used from half as many
 * again (where it has at most 2/3 of them: under 30% of the flops) */
#define PROXY_MIN_ITEMS 2048

/* the holdout users, their states (n_per_user each: one per half life)
 * and targets in the proxy's items */
typedef struct
{
  guint    k;           /* proxy items */
  guint    n_users;
  guint    n_per_user;  /* states per user */
  guint32 *ptr;         /* n_users x n_per_user + 1: each state's items */
  guint32 *items;       /* proxy indices */
  float   *weights;
  guint32 *target_ptr;  /* n_users + 1 */
  guint32 *targets;     /* proxy indices */
  guint   *n_targets;   /* all of each user's distinct targets */
  const float *b;       /* the candidate's k x k B */
  double  *values;      /* per state */
} Proxy;

const double pw_lambda_factors[PW_LAMBDA_N_FACTORS] = { 0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0 };

/**
 * pw_lambda_walk_next:
 * @f: the candidate just tried
 * @best_f: the best so far
 * @dir: (inout): the direction, 0 before the first two are tried
 *
 * The walk over pw_lambda_factors: 2 (PW_LAMBDA_FIRST) and 4, then onwards
 * in the better direction while each step improves.
 *
 * Returns: the next candidate, or -1 when the walk is over
 */
gint
pw_lambda_walk_next (gint  f,
                     gint  best_f,
                     gint *dir)
{
  gint next;

  if (*dir == 0 && f == PW_LAMBDA_FIRST)
    next = PW_LAMBDA_FIRST + 1;
  else if (*dir == 0)
    {
      *dir = best_f == PW_LAMBDA_FIRST + 1 ? 1 : -1;
      next = best_f + *dir;
    }
  else
    next = best_f == f ? f + *dir : -1;
  return next >= 0 && next < PW_LAMBDA_N_FACTORS ? next : -1;
}

gboolean
pw_lambda_search_uses_proxy (guint n_items)
{
  return n_items >= PROXY_MIN_ITEMS * 3 / 2;
}

static int
compare_diag_desc (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  const float *diag = user_data;
  guint i = *(const guint *) a, j = *(const guint *) b;

  if (diag[i] != diag[j])
    return diag[i] > diag[j] ? -1 : 1;
  return i < j ? -1 : (i > j ? 1 : 0);
}

static void
score_users (guint    begin,
             guint    end,
             guint    worker,
             gpointer data)
{
  Proxy *p = data;
  guint k = p->k, h = p->n_per_user, n_states = (end - begin) * h;
  g_autofree float *scores = pw_matrix_alloc ((gsize) k * n_states, FALSE);
  g_autofree guint8 *skip = g_new0 (guint8, MAX (1, k));

  pw_rows_sum (p->b, k, n_states, p->ptr + (gsize) begin * h, p->items, p->weights, scores);
  for (guint s = begin * h; s < end * h; s++)
    {
      guint u = s / h;
      PwScored top[25];
      gboolean rel[25];
      guint n_top;

      p->values[s] = 0;
      if (p->ptr[s] == p->ptr[s + 1] || p->n_targets[u] == 0)
        continue;
      for (guint q = p->ptr[s]; q < p->ptr[s + 1]; q++)
        skip[p->items[q]] = 1;
      n_top = pw_select_top (scores + (gsize) (s - begin * h) * k, k, skip, 25, top);
      for (guint q = p->ptr[s]; q < p->ptr[s + 1]; q++)
        skip[p->items[q]] = 0;
      for (guint r = 0; r < n_top; r++)
        {
          rel[r] = FALSE;
          for (guint t = p->target_ptr[u]; t < p->target_ptr[u + 1] && !rel[r]; t++)
            rel[r] = p->targets[t] == top[r].index;
        }
      p->values[s] = pw_metric_ndcg_at_k (rel, n_top, p->n_targets[u], 10)
                     + pw_metric_ndcg_at_k (rel, n_top, p->n_targets[u], 25);
    }
}

/* every holdout user's state at each of @half_lives (input part) in the
 * proxy's items, into p (ptr, items, weights, n_per_user, values) */
static void
proxy_states (PwModel       *self,
              PwHoldoutUser *hold,
              guint          n_hold,
              const gint32  *proxy_of,
              const double  *half_lives,
              guint          n_half_lives,
              Proxy         *p)
{
  GArray *items = g_array_new (FALSE, FALSE, sizeof (guint32));
  GArray *weights = g_array_new (FALSE, FALSE, sizeof (float));

  g_free (p->ptr);
  g_free (p->items);
  g_free (p->weights);
  g_free (p->values);
  p->n_per_user = n_half_lives;
  p->ptr = g_new (guint32, (gsize) n_hold * n_half_lives + 1);
  p->values = g_new0 (double, MAX (1, (gsize) n_hold * n_half_lives));
  for (guint u = 0; u < n_hold; u++)
    {
      GArray *h = g_ptr_array_index (self->histories, hold[u].user);

      for (guint w = 0; w < n_half_lives; w++)
        {
          PwUserState state;

          p->ptr[(gsize) u * n_half_lives + w] = items->len;
          pw_user_state_build (self, (const PwEvent *) h->data, hold[u].n_input, half_lives[w], &state);
          for (guint q = 0; q < state.n; q++)
            {
              gint32 d = self->dense_of[state.items[q]];
              if (d >= 0 && proxy_of[d] >= 0)
                {
                  guint32 a = (guint32) proxy_of[d];
                  g_array_append_val (items, a);
                  g_array_append_val (weights, state.weights[q]);
                }
            }
          pw_user_state_clear (&state);
        }
    }
  p->ptr[(gsize) n_hold * n_half_lives] = items->len;
  p->items = (guint32 *) g_array_free (items, FALSE);
  p->weights = (float *) g_array_free (weights, FALSE);
}

/* the mean value of each of the p->n_per_user states into @means */
static void
proxy_score (PwModel     *self,
             Proxy       *p,
             const float *b,
             double      *means)
{
  guint h = p->n_per_user;

  p->b = b;
  pw_parallel_for (p->n_users, pw_rows_batch_size (p->n_users, self->n_threads, h), self->n_threads, score_users, p);
  for (guint w = 0; w < h; w++)
    {
      double sum = 0;
      for (guint u = 0; u < p->n_users; u++)
        sum += p->values[(gsize) u * h + w];
      means[w] = sum / MAX (1, p->n_users);
    }
}

/**
 * pw_lambda_search_proxy:
 * @gram: the holdout's XᵀX (n_warm x n_warm)
 * @mean_diag: the mean of its diagonal (the grid's unit)
 * @half_life: the user states' half life while λ is chosen
 * @half_lives: (nullable): candidate half lives to choose among at the
 *   chosen λ, on the same items (one pass over the holdout for them all)
 * @half_life_out: (out): the chosen one, when @half_lives is given
 *
 * Chooses λ among mean_diag · pw_lambda_factors on the K items with the most
 * co-occurrences, as the whole-problem search walks the grid; then, if
 * asked, the recency half life at that λ.
 *
 * Returns: the λ, or 0 with @error set
 */
double
pw_lambda_search_proxy (PwModel        *self,
                        PwHoldoutUser  *hold,
                        guint           n_hold,
                        const float    *gram,
                        double          mean_diag,
                        double          half_life,
                        const double   *half_lives,
                        guint           n_half_lives,
                        double         *half_life_out,
                        GCancellable   *cancellable,
                        GError        **error)
{
  const double *factors = pw_lambda_factors;
  guint n = self->n_warm, k = MAX (MIN (n, PROXY_MIN_ITEMS), (guint) (0.45 * n));
  g_autofree float *diag = g_new (float, MAX (1, n));
  g_autofree guint *order = g_new (guint, MAX (1, n));
  g_autofree gint32 *proxy_of = g_new (gint32, MAX (1, n));
  g_autofree float *sub = NULL;
  g_autofree float *work = NULL;
  g_autofree float *best_b = NULL;
  GArray *targets = g_array_new (FALSE, FALSE, sizeof (guint32));
  Proxy p = { 0 };
  gint f = PW_LAMBDA_FIRST, dir = 0, best_f = -1;
  double best = -1;
  gint64 t0 = g_get_monotonic_time ();

  /* the proxy's items: the k with the largest diagonal (co-occurrences) */
  for (guint i = 0; i < n; i++)
    {
      diag[i] = gram[(gsize) i * n + i];
      order[i] = i;
      proxy_of[i] = -1;
    }
  g_qsort_with_data (order, (gint) n, sizeof (guint), compare_diag_desc, diag);
  for (guint a = 0; a < k; a++)
    proxy_of[order[a]] = (gint32) a;
  sub = pw_matrix_alloc ((gsize) k * k, FALSE);
  work = pw_matrix_alloc ((gsize) k * k, FALSE);
  best_b = pw_matrix_alloc ((gsize) k * k, FALSE);
  for (guint a = 0; a < k; a++)
    for (guint b = 0; b < k; b++)
      sub[(gsize) a * k + b] = gram[(gsize) order[a] * n + order[b]];

  /* each holdout user's targets among them, and state (input part) */
  p.k = k;
  p.n_users = n_hold;
  p.target_ptr = g_new (guint32, n_hold + 1);
  p.n_targets = g_new (guint, MAX (1, n_hold));
  for (guint u = 0; u < n_hold; u++)
    {
      p.target_ptr[u] = targets->len;
      p.n_targets[u] = hold[u].n_targets;
      for (guint t = 0; t < hold[u].n_targets; t++)
        {
          gint32 d = self->dense_of[hold[u].targets[t]];
          if (d >= 0 && proxy_of[d] >= 0)
            {
              guint32 a = (guint32) proxy_of[d];
              g_array_append_val (targets, a);
            }
        }
    }
  p.target_ptr[n_hold] = targets->len;
  p.targets = (guint32 *) g_array_free (targets, FALSE);
  proxy_states (self, hold, n_hold, proxy_of, &half_life, 1, &p);

  /* the whole-problem search's walk over the same grid */
  while (f >= 0 && !g_cancellable_is_cancelled (cancellable))
    {
      double score;
      gint64 t1 = g_get_monotonic_time ();

      if (!pw_ease_solve (sub, work, k, factors[f] * mean_diag, error))
        {
          best_f = -1;
          break;
        }
      proxy_score (self, &p, work, &score);
      g_debug ("EASE holdout (%u of %u items): lambda %g -> %g (%.3f s)", k, n, factors[f] * mean_diag, score,
               (g_get_monotonic_time () - t1) / 1e6);
      if (score > best)
        {
          float *tmp = best_b;
          best_b = work;
          work = tmp;
          best = score;
          best_f = f;
        }
      f = pw_lambda_walk_next (f, best_f, &dir);
    }

  /* the half lives at that λ, all in one pass */
  if (best_f >= 0 && half_lives != NULL && n_half_lives > 0 && !g_cancellable_is_cancelled (cancellable))
    {
      g_autofree double *means = g_new (double, n_half_lives);
      double best_h = -1;

      proxy_states (self, hold, n_hold, proxy_of, half_lives, n_half_lives, &p);
      proxy_score (self, &p, best_b, means);
      for (guint w = 0; w < n_half_lives; w++)
        {
          g_debug ("EASE holdout (%u of %u items): half life %g -> %g", k, n, half_lives[w], means[w]);
          if (means[w] > best_h)
            {
              best_h = means[w];
              *half_life_out = half_lives[w];
            }
        }
    }
  g_debug ("lambda search on %u of %u items: %.3f s", k, n, (g_get_monotonic_time () - t0) / 1e6);

  g_free (p.ptr);
  g_free (p.items);
  g_free (p.weights);
  g_free (p.target_ptr);
  g_free (p.targets);
  g_free (p.n_targets);
  g_free (p.values);
  if (best_f < 0 || g_cancellable_is_cancelled (cancellable))
    {
      if (error == NULL || *error == NULL)
        g_cancellable_set_error_if_cancelled (cancellable, error);
      return 0;
    }
  return factors[best_f] * mean_diag;
}
