/* pw-genre-search.c: how much the genres of a session's items count
 * (pw_session_ranks_merge()'s genre list), chosen on the holdout with
 * pseudo-sessions
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

/* The session's genre list (pw_session_ranks_merge()): each holdout user's
 * newest 1, 2 or 3 input interactions (by turns) play a session, clicked
 * after the rest of the input; the weight of the genre list in the
 * session's share is the largest that is within the holdout's noise of
 * the best one or keeps half of its gain (pw_holdout_half_the_gain()), 0
 * unless a weight gains clearly. Popularity
 * (the genre list's prior) is counted without the holdout users' targets. */
#define GENRE_SESSION_MAX 3

typedef struct
{
  PwModel        *model;
  const PwScorer *scorer;
  PwHoldoutUser  *users;
  guint         n_users;
  double        half_life;
  const double *weights;
  guint         n_weights;
  double       *values;       /* per user x n_weights */
} GenreJob;

/* one holdout user's pseudo-session state (FALSE: too short to play one) */
static gboolean
genre_state (GenreJob      *job,
             guint          k,
             PwEvent      **ev,
             guint         *ev_cap,
             PwUserState   *state)
{
  PwModel *m = job->model;
  PwHoldoutUser *hu = &job->users[k];
  GArray *h = g_ptr_array_index (m->histories, hu->user);
  guint n_session = 1 + k % GENRE_SESSION_MAX;

  if (hu->n_input < n_session + 3 || hu->n_targets == 0)
    return FALSE;
  if (hu->n_input > *ev_cap)
    {
      *ev_cap = hu->n_input;
      *ev = g_renew (PwEvent, *ev, *ev_cap);
    }
  memcpy (*ev, h->data, sizeof (PwEvent) * hu->n_input);
  for (guint e = hu->n_input - n_session; e < hu->n_input; e++)
    (*ev)[e].flags |= PW_EVENT_REALTIME;
  pw_user_state_build (m, *ev, hu->n_input, job->half_life, state);
  return TRUE;
}

static void
genre_users (guint    begin,
             guint    end,
             guint    worker,
             gpointer data)
{
  GenreJob *job = data;
  PwModel *m = job->model;
  guint n_batch = end - begin;
  float *scores = g_new (float, MAX (1, m->n_warm));
  guint8 *skip = g_new0 (guint8, MAX (1, m->n_warm));
  g_autofree PwUserState *states = g_new0 (PwUserState, MAX (1, n_batch));
  g_autofree gboolean *played = g_new0 (gboolean, MAX (1, n_batch));
  g_autofree float *history_rows = pw_matrix_alloc ((gsize) m->n_warm * n_batch, FALSE);
  PwEvent *ev = NULL;
  guint ev_cap = 0;

  /* every user's state, and the rows of their older events all at once
   * (each block of rows read once for the batch) */
  for (guint k = begin; k < end; k++)
    {
      memset (job->values + (gsize) k * job->n_weights, 0, sizeof (double) * job->n_weights);
      played[k - begin] = genre_state (job, k, &ev, &ev_cap, &states[k - begin]);
    }
  pw_score_history_rows_batch (m, job->scorer, states, n_batch, history_rows);

  for (guint k = begin; k < end; k++)
    {
      PwHoldoutUser *hu = &job->users[k];
      GArray *h = g_ptr_array_index (m->histories, hu->user);
      double *values = job->values + (gsize) k * job->n_weights;
      PwUserState *state = &states[k - begin];
      PwSessionRanks ranks;

      if (!played[k - begin])
        continue;
      if (pw_session_ranks_build (m, job->scorer, state, TRUE, history_rows + (gsize) (k - begin) * m->n_warm, &ranks)
          && ranks.history != NULL)
        {
          PwScoreParts parts;

          pw_score_parts_build (m, job->scorer, state, &parts);
          for (guint w = 0; w < job->n_weights; w++)
            if (pw_session_ranks_merge (m, &ranks, job->weights[w], scores))
              {
                pw_score_parts_add (m, job->scorer, state, &parts, scores);
                values[w] = pw_holdout_value (m, hu, scores, skip, (const PwEvent *) h->data);
              }
          pw_score_parts_clear (&parts);
        }
      pw_session_ranks_clear (&ranks);
      pw_user_state_clear (state);
    }
  g_free (ev);
  g_free (skip);
  g_free (scores);
}

/**
 * pw_genre_search:
 * The weight of the session's genre list, scored with @scorer and (the
 * genre list's prior) popularity without the holdout users' targets.
 */
double
pw_genre_search (PwModel        *self,
                 const PwScorer *scorer,
                 PwHoldoutUser  *hold,
                 guint           n_hold,
                 double          half_life)
{
  static const double genre_weights[] = { 0, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8 };
  double values[G_N_ELEMENTS (genre_weights)];
  gboolean significant[G_N_ELEMENTS (genre_weights)];
  g_autofree double *user_values = NULL;
  g_autofree guint32 *popularity = NULL;
  g_autofree double *prior = NULL;
  PwScorer sc = *scorer;
  GenreJob job = { self, &sc, hold, n_hold, half_life, genre_weights, G_N_ELEMENTS (genre_weights), NULL };
  double best, weight;
  gint64 t0 = g_get_monotonic_time ();

  if (self->n_genres == 0 || n_hold == 0)
    return 0;
  popularity = g_memdup2 (scorer->popularity, sizeof (guint32) * self->n_items);
  for (guint k = 0; k < n_hold; k++)
    for (guint t = 0; t < hold[k].n_targets; t++)
      if (popularity[hold[k].targets[t]] > 0)
        popularity[hold[k].targets[t]]--;
  sc.popularity = popularity;
  /* the genre list's popularity prior, once for every user */
  sc.popularity_prior = prior = pw_popularity_prior_build (self, popularity);
  user_values = job.values = g_new0 (double, MAX (1, (gsize) n_hold * G_N_ELEMENTS (genre_weights)));
  pw_parallel_for (n_hold, pw_rows_batch_size (n_hold, self->n_threads, 1), self->n_threads, genre_users, &job);

  pw_holdout_summarize (user_values, n_hold, G_N_ELEMENTS (genre_weights), values, significant);
  pw_holdout_choose_weight ("session genre", genre_weights, G_N_ELEMENTS (genre_weights), values, significant, &best);
  weight = pw_holdout_largest_within_noise (user_values, n_hold, genre_weights, G_N_ELEMENTS (genre_weights), values);
  weight = MAX (weight, pw_holdout_half_the_gain (genre_weights, G_N_ELEMENTS (genre_weights), values, significant));
  g_debug ("session genre search: %.3f s, weight %g", (g_get_monotonic_time () - t0) / 1e6, weight);
  return weight;
}
