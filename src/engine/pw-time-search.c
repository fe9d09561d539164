/* pw-time-search.c: user-personalization's time part (what was popular
 * around the user's own time, from interactions per item in time
 * buckets) and the search of its weight on the holdout
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

/* The time part: interactions per warm item in week-wide buckets (wider
 * when the data spans more than 512 weeks), for holdout users only their
 * input part. */
#define TIME_MAX_BUCKETS 512
#define TIME_BUCKET_WIDTH ((gint64) 7 * 86400)

void
pw_time_counts_build (PwModel           *self,
                      const guint       *input_len,
                      PwTimeCounts      *tc)
{
  gint64 lo = G_MAXINT64, hi = G_MININT64;
  guint64 span, width = TIME_BUCKET_WIDTH;
  guint n_buckets;

  memset (tc, 0, sizeof *tc);
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
  tc->counts = g_new0 (float, (gsize) n_buckets * self->n_warm);
  tc->n_buckets = n_buckets;
  tc->start = lo;
  tc->width = (gint64) width;
  for (guint u = 0; u < self->n_train_users; u++)
    {
      GArray *h = g_ptr_array_index (self->histories, u);
      guint len = input_len != NULL ? input_len[u] : h->len;

      for (guint e = 0; e < len; e++)
        {
          const PwEvent *ev = &g_array_index (h, PwEvent, e);
          gint32 d = self->dense_of[ev->item];
          if (d >= 0)
            tc->counts[(gsize) (((guint64) ev->timestamp - (guint64) lo) / width) * self->n_warm + d] += 1;
        }
    }
}

/**
 * pw_time_search:
 * The time part's weight on the holdout (0 included: then it is dropped),
 * scored with @scorer and the holdout's time counts (@input_len) as its
 * time part, which are left in @counts when the weight is not 0 (else
 * @counts is empty).
 */
double
pw_time_search (PwModel        *self,
                const PwScorer *scorer,
                PwHoldoutUser  *hold,
                guint           n_hold,
                const guint    *input_len,
                double          half_life,
                PwTimeCounts   *counts)
{
  static const double time_weights[] = { 0, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2 };
  double values[G_N_ELEMENTS (time_weights)];
  gboolean significant[G_N_ELEMENTS (time_weights)];
  double best = -1, weight;
  PwScorer sc = *scorer;

  pw_time_counts_build (self, input_len, counts);
  if (counts->counts == NULL || counts->n_buckets < 2)
    {
      g_clear_pointer (&counts->counts, g_free);
      counts->n_buckets = 0;
      return 0;
    }
  sc.time_counts = counts->counts;
  sc.n_buckets = counts->n_buckets;
  sc.bucket_start = counts->start;
  sc.bucket_width = counts->width;
  sc.time_weight = 0;
  pw_holdout_score_mixes (self, &sc, hold, n_hold, half_life, time_weights, G_N_ELEMENTS (time_weights), TRUE,
                          values, significant);
  weight = pw_holdout_choose_weight ("time", time_weights, G_N_ELEMENTS (time_weights), values, significant, &best);
  if (weight == 0)
    {
      g_clear_pointer (&counts->counts, g_free);
      counts->n_buckets = 0;
    }
  return weight;
}
