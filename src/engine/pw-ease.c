/* pw-ease.c: user-personalization's dense model. EASE (Steck, "Embarrassingly
 * Shallow Autoencoders for Sparse Data", WWW 2019): B = I - P / diag (P),
 * P = (XᵀX + λI)⁻¹ in float32 through LAPACK's Cholesky (spotrf + spotri).
 * λ, the user-state recency half life, the sequential part
 * (pw-seq-search.c), the time part (pw-time-search.c) and the session's
 * genre list (pw-genre-search.c) are chosen on the internal holdout
 * (pw-holdout.c); from 3,072 items λ and the half life are chosen on the
 * items with the most co-occurrences (pw-lambda-search.c), and only the
 * chosen λ is solved on all of them. The final model is then solved once
 * more on all the data. The same holdout chooses similar-items' popularity exponent
 * (pw_related_tune()).
 *
 * The direction: pw-model.c calls the trainers (here, pw-als.c); they
 * call the holdout and the searches below them, which score users through
 * pw-scoring.c with a PwScorer of their own (their candidate matrices
 * passed as arguments, the model untouched) and hand their choices back.
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
#include "pw-metrics.h"

/**
 * pw_cooccurrence_dense:
 * Returns: (transfer full): the n_warm x n_warm co-occurrence counts XᵀX
 */
float *
pw_cooccurrence_dense (PwModel *self,
                       guint    n_threads)
{
  PwUserItems history;
  float *gram = pw_matrix_alloc ((gsize) self->n_warm * self->n_warm, TRUE);

  pw_user_items_build (self, &history);
  pw_gram_accumulate (&history, gram, self->n_warm, 1.0f, NULL, n_threads);
  pw_user_items_clear (&history);
  return gram;
}

/* B = I - P / diag (P) from (gram + λI), in @work (n x n). */
gboolean
pw_ease_solve (const float  *gram,
               float        *work,
               guint         n,
               double        lambda,
               GError      **error)
{
  lapack_int info;
  g_autofree float *inv_diag = NULL;
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
  g_debug ("B %u: %.3f s", n, (g_get_monotonic_time () - t0) / 1e6);
  return TRUE;
}

typedef struct
{
  PwModel                  *model;
  const PwHoldoutUser        *users;
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
      const PwHoldoutUser *hu = &job->users[k];
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
  PwHoldoutUser *hold;
  g_autofree guint8 *is_holdout = NULL;
  g_autofree guint *input_len = NULL;
  g_autofree float *adj = NULL;
  g_autofree guint32 *pop = NULL;
  guint n_hold = 0, n = self->n_warm;
  float *full_dense = self->dense;
  guint32 *full_pop = self->popularity;
  PwRecommendOptions ropts;
  double best = -1, best_beta = 0.5;

  if (self->dense == NULL || n == 0)
    return;
  pw_user_items_build (self, &history);
  is_holdout = g_new0 (guint8, MAX (1, history.n_users));
  hold = pw_holdout_choose (self, &history, options->seed, &n_hold, is_holdout);
  if (n_hold > 0)
    {
      /* the counts without the holdout users' targets */
      adj = pw_matrix_dup (full_dense, (gsize) n * n);
      pop = g_memdup2 (full_pop, sizeof (guint32) * self->n_items);
      for (guint k = 0; k < n_hold; k++)
        for (guint t = 0; t < hold[k].n_targets; t++)
          if (pop[hold[k].targets[t]] > 0)
            pop[hold[k].targets[t]]--;
      input_len = pw_holdout_input_lengths (self, hold, n_hold);
      pw_holdout_adjust_gram (self, &history, is_holdout, input_len, adj);

      /* the related lists read the model's counts (pw_model_related_events()):
       * the holdout's stand in for them while β is chosen */
      self->dense = adj;
      self->popularity = pop;
      pw_recommend_options_init (&ropts);
      for (guint b = 0; b < G_N_ELEMENTS (betas) && !g_cancellable_is_cancelled (cancellable); b++)
        {
          g_autofree double *values = g_new0 (double, n_hold);
          RelatedJob job = { self, hold, &ropts, values };
          double sum = 0;

          self->sim_beta = betas[b];
          pw_parallel_for (n_hold, 16, self->n_threads, related_users, &job);
          for (guint k = 0; k < n_hold; k++)
            sum += values[k];
          g_debug ("related holdout: beta %g -> %g", betas[b], sum / n_hold);
          if (sum / n_hold > best)
            {
              best = sum / n_hold;
              best_beta = betas[b];
            }
        }
      self->dense = full_dense;
      self->popularity = full_pop;
    }
  self->sim_beta = best_beta;
  pw_holdout_users_free (hold, n_hold);
  pw_user_items_clear (&history);
}

/* The holdout's search of λ over pw_lambda_factors (of the mean of diag
 * XᵀX), walked as pw_lambda_walk_next() says. Each candidate B is solved
 * into @work and scored as @scorer's dense part; the best ends in *best_b
 * (@work and *best_b trade places). Returns the λ. */
static double
lambda_search (PwModel        *self,
               PwScorer       *scorer,
               PwHoldoutUser  *hold,
               guint           n_hold,
               const float    *gram,
               double          mean_diag,
               double          half_life,
               float         **work,
               float         **best_b,
               gboolean       *ok,
               GCancellable   *cancellable,
               GError        **error)
{
  const double *factors = pw_lambda_factors;
  guint n = self->n_warm;
  gint f = PW_LAMBDA_FIRST, dir = 0, best_f = -1;
  double best = -1;

  while (*ok && f >= 0 && !g_cancellable_is_cancelled (cancellable))
    {
      double score;

      *ok = pw_ease_solve (gram, *work, n, factors[f] * mean_diag, error);
      if (!*ok)
        break;
      scorer->dense = *work;
      score = pw_holdout_score (self, scorer, hold, n_hold, half_life);
      g_debug ("EASE holdout: lambda %g -> %g", factors[f] * mean_diag, score);
      if (score > best)
        {
          float *tmp = *best_b;
          *best_b = *work;
          *work = tmp;
          best = score;
          best_f = f;
        }
      f = pw_lambda_walk_next (f, best_f, &dir);
    }
  scorer->dense = NULL;
  return factors[MAX (best_f, 0)] * mean_diag;
}

/**
 * pw_ease_train:
 * The EASE model with its settings chosen on the holdout (those the
 * options leave at 0): λ, then the recency half life, the sequential part
 * (and the half life again beside it), the time part and the session's
 * genre list, each search scoring with the holdout's model as a PwScorer
 * of its own; then the chosen settings solved on all the data into the
 * model.
 */
gboolean
pw_ease_train (PwModel              *self,
               const PwTrainOptions *options,
               GCancellable         *cancellable,
               GError              **error)
{
  static const double half_lives[] = { -1, 2, 5, 20, 80 };
  PwUserItems history;
  guint n = self->n_warm;
  g_autofree float *gram = NULL;
  g_autofree guint8 *is_holdout = NULL;
  g_autofree guint *input_len = NULL;
  g_autofree float *work = NULL;
  g_autofree float *best_b = NULL;
  double mean_diag = 0, lambda = options->lambda, half_life = options->recency_half_life;
  double time_weight = 0, genre_weight = 0;
  gboolean search_lambda = options->lambda <= 0, search_half_life = options->recency_half_life == 0;
  gboolean search_seq = options->transition_weight == 0;
  gboolean search_time = options->time_weight == 0;
  gboolean search_genre = options->session_genre_weight == 0;
  PwHoldoutUser *hold = NULL;
  PwSeqChoice seq = { NULL, 0, 0, 1.0, 0, 0 };
  PwTimeCounts time_counts = { NULL, 0, 0, 0 };
  PwScorer sc;
  guint n_hold = 0;
  gboolean ok = TRUE, half_life_chosen = FALSE;

  if (n == 0)
    {
      g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_TOO_LITTLE_DATA,
                   _("There are no items with interactions to train on"));
      return FALSE;
    }

  {
    gint64 t0 = g_get_monotonic_time ();
    pw_user_items_build (self, &history);
    g_debug ("user items: %.3f s", (g_get_monotonic_time () - t0) / 1e6);
  }
  gram = pw_matrix_alloc ((gsize) n * n, TRUE);
  work = pw_matrix_alloc ((gsize) n * n, FALSE);
  {
    gint64 t0 = g_get_monotonic_time ();
    pw_gram_accumulate (&history, gram, n, 1.0f, NULL, self->n_threads);
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
      hold = pw_holdout_choose (self, &history, options->seed, &n_hold, is_holdout);
    }
  if (search_lambda)
    lambda = mean_diag;
  if (search_half_life)
    half_life = 20;

  /* the search's model, as a scorer: no part until one is chosen */
  pw_scorer_init (&sc, self);
  sc.seq = NULL;
  sc.seq_weight = 0;
  sc.time_counts = NULL;
  sc.time_weight = 0;
  sc.session_genre_weight = 0;

  if (n_hold > 0)
    {
      /* The search's model: every interaction but the holdout users' targets
       * (about 3% of the data). */
      input_len = pw_holdout_input_lengths (self, hold, n_hold);
      pw_holdout_adjust_gram (self, &history, is_holdout, input_len, gram);

      best_b = pw_matrix_alloc ((gsize) n * n, FALSE);
      if (search_lambda && !options->exact_lambda_search && pw_lambda_search_uses_proxy (n))
        {
          /* λ and then the half life on the proxy's items */
          lambda = pw_lambda_search_proxy (self, hold, n_hold, gram, mean_diag, half_life,
                                           search_half_life ? half_lives : NULL, G_N_ELEMENTS (half_lives),
                                           &half_life, cancellable, error);
          ok = lambda > 0 && pw_ease_solve (gram, best_b, n, lambda, error);
          half_life_chosen = search_half_life;
        }
      else if (search_lambda)
        lambda = lambda_search (self, &sc, hold, n_hold, gram, mean_diag, half_life, &work, &best_b, &ok,
                                cancellable, error);
      else
        ok = pw_ease_solve (gram, best_b, n, lambda, error);

      /* the recency half life, then the sequential part (on only when the
       * holdout says it helps), then the half life again beside it */
      if (ok && (search_half_life || search_seq || search_time || search_genre) && !g_cancellable_is_cancelled (cancellable))
        {
          gboolean use_seq = search_seq && (guint64) n * n * sizeof (float) * 6 <= options->memory_budget;

          sc.dense = best_b;
          g_clear_pointer (&gram, g_free);  /* its memory goes to the sequential part */
          for (guint round = 0; round < 2 && ok && !g_cancellable_is_cancelled (cancellable); round++)
            {
              if (search_half_life && !(round == 0 && half_life_chosen))
                {
                  double best = -1, scores[G_N_ELEMENTS (half_lives)];

                  pw_holdout_score_half_lives (self, &sc, hold, n_hold, half_lives, G_N_ELEMENTS (half_lives), scores);
                  for (guint k = 0; k < G_N_ELEMENTS (half_lives); k++)
                    {
                      g_debug ("EASE holdout: half life %g -> %g", half_lives[k], scores[k]);
                      if (scores[k] > best)
                        {
                          best = scores[k];
                          half_life = half_lives[k];
                        }
                    }
                }
              if (round > 0 || !use_seq)
                break;
              ok = pw_seq_search (self, &sc, hold, n_hold, input_len, half_life, work, &seq, cancellable, error);
              if (seq.weight == 0)
                break;
              sc.seq = seq.matrix;
              sc.seq_weight = seq.weight;
              sc.seq_n_in = seq.n_in;
              sc.seq_in_decay = seq.in_decay;
            }
        }
      /* what was popular around the user's own time */
      sc.dense = best_b;
      if (ok && search_time && !g_cancellable_is_cancelled (cancellable))
        {
          time_weight = pw_time_search (self, &sc, hold, n_hold, input_len, half_life, &time_counts);
          sc.time_counts = time_counts.counts;
          sc.n_buckets = time_counts.n_buckets;
          sc.bucket_start = time_counts.start;
          sc.bucket_width = time_counts.width;
          sc.time_weight = time_weight;
        }
      /* how much the genres of a session's items count */
      if (ok && search_genre && !g_cancellable_is_cancelled (cancellable))
        genre_weight = pw_genre_search (self, &sc, hold, n_hold, half_life);

      /* the final model: the chosen settings on all the data */
      if (ok && !g_cancellable_is_cancelled (cancellable))
        {
          /* the full XᵀX in the scratch matrix (its pages are mapped
           * already: a fresh 55 MB one costs ~13,000 page faults) */
          g_clear_pointer (&gram, g_free);
          memset (work, 0, sizeof (float) * n * n);
          pw_gram_accumulate (&history, work, n, 1.0f, NULL, self->n_threads);
          ok = pw_ease_solve (work, best_b, n, lambda, error);
          if (ok && seq.matrix != NULL)
            ok = pw_seq_part_build (self, &seq, work, error);
          if (ok && time_counts.counts != NULL)
            {
              g_free (time_counts.counts);
              pw_time_counts_build (self, NULL, &time_counts);
            }
        }
      g_free (work);
      work = g_steal_pointer (&best_b);
    }
  else
    ok = pw_ease_solve (gram, work, n, lambda, error);

  pw_holdout_users_free (hold, n_hold);
  pw_user_items_clear (&history);

  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;
  if (ok && options->time_weight > 0)
    {
      /* fixed weight: the time part of all the training data */
      pw_time_counts_build (self, NULL, &time_counts);
      time_weight = time_counts.counts != NULL ? options->time_weight : 0;
    }
  if (ok && options->transition_weight > 0)
    {
      /* fixed weight: the sequential part of all the training data, the
       * first shape at λ = the mean of its diag XᵀX */
      g_autofree float *scratch = pw_matrix_alloc ((gsize) n * n, FALSE);

      g_clear_pointer (&seq.matrix, g_free);
      seq.shape = 0;
      seq.factor = 1.0;
      ok = pw_seq_part_build (self, &seq, scratch, error);
      seq.weight = options->transition_weight;
    }
  if (!ok)
    {
      g_free (seq.matrix);
      g_free (time_counts.counts);
      return FALSE;
    }

  if (options->session_genre_weight > 0)
    genre_weight = MIN (options->session_genre_weight, 1.0);
  else if (options->session_genre_weight < 0)
    genre_weight = 0;
  self->session_genre_weight = genre_weight;
  if (seq.matrix != NULL)
    {
      self->seq = seq.matrix;
      self->seq_weight = seq.weight;
      self->seq_n_in = seq.n_in;
      self->seq_in_decay = seq.in_decay;
    }
  if (time_counts.counts != NULL)
    {
      self->time_counts = time_counts.counts;
      self->n_buckets = time_counts.n_buckets;
      self->bucket_start = time_counts.start;
      self->bucket_width = time_counts.width;
      self->time_weight = time_weight;
    }
  self->dense = g_steal_pointer (&work);
  self->lambda = lambda;
  self->half_life = half_life;
  g_debug ("EASE: %u items, lambda %g, half life %g", n, lambda, half_life);
  return TRUE;
}
