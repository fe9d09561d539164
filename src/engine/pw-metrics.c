/* pw-metrics.c: offline metrics as Amazon Personalize documents them
 * (docs/personalize-api.md section 8), plus the workshop notebook's
 * NDCG variant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-engine"

#include <math.h>
#include <string.h>

#include "pw-metrics.h"

static const PwMetricKey keys[] = {
  { "coverage", G_STRUCT_OFFSET (PwMetrics, coverage), TRUE },
  { "mean_reciprocal_rank_at_25", G_STRUCT_OFFSET (PwMetrics, mean_reciprocal_rank_at_25), TRUE },
  { "normalized_discounted_cumulative_gain_at_5", G_STRUCT_OFFSET (PwMetrics, normalized_discounted_cumulative_gain_at_5), TRUE },
  { "normalized_discounted_cumulative_gain_at_10", G_STRUCT_OFFSET (PwMetrics, normalized_discounted_cumulative_gain_at_10), TRUE },
  { "normalized_discounted_cumulative_gain_at_25", G_STRUCT_OFFSET (PwMetrics, normalized_discounted_cumulative_gain_at_25), TRUE },
  { "precision_at_5", G_STRUCT_OFFSET (PwMetrics, precision_at_5), TRUE },
  { "precision_at_10", G_STRUCT_OFFSET (PwMetrics, precision_at_10), TRUE },
  { "precision_at_25", G_STRUCT_OFFSET (PwMetrics, precision_at_25), TRUE },
  { "workshop_ndcg_at_5", G_STRUCT_OFFSET (PwMetrics, workshop_ndcg_at_5), FALSE },
  { "workshop_ndcg_at_10", G_STRUCT_OFFSET (PwMetrics, workshop_ndcg_at_10), FALSE },
  { "workshop_ndcg_at_25", G_STRUCT_OFFSET (PwMetrics, workshop_ndcg_at_25), FALSE },
};

/**
 * pw_metrics_get_keys:
 * Returns: (array length=n_keys): the metric keys in Personalize's order,
 *   then the workshop variants
 */
const PwMetricKey *
pw_metrics_get_keys (guint *n_keys)
{
  *n_keys = G_N_ELEMENTS (keys);
  return keys;
}

double
pw_metrics_get_value (const PwMetrics   *metrics,
                      const PwMetricKey *key)
{
  return G_STRUCT_MEMBER (double, metrics, key->offset);
}

double
pw_metric_precision_at_k (const gboolean *relevant,
                          guint           n,
                          guint           k)
{
  guint hits = 0;

  if (k == 0)
    return 0;
  for (guint p = 0; p < MIN (n, k); p++)
    hits += relevant[p] ? 1 : 0;
  return (double) hits / k;
}

double
pw_metric_reciprocal_rank_at_k (const gboolean *relevant,
                                guint           n,
                                guint           k)
{
  for (guint p = 0; p < MIN (n, k); p++)
    if (relevant[p])
      return 1.0 / (p + 1);
  return 0;
}

/* 1 / log2 (1 + p) for rank p >= 1 */
static double
discount (guint rank)
{
  return 1.0 / log2 (1.0 + rank);
}

double
pw_metric_ndcg_at_k (const gboolean *relevant,
                     guint           n,
                     guint           n_targets,
                     guint           k)
{
  double dcg = 0, idcg = 0;

  for (guint p = 0; p < MIN (n, k); p++)
    if (relevant[p])
      dcg += discount (p + 1);
  for (guint p = 0; p < MIN (k, n_targets); p++)
    idcg += discount (p + 1);
  return idcg > 0 ? dcg / idcg : 0;
}

/* The notebook's dcg_at_k (r, k, method=0): r[0] + sum r[i] / log2 (i + 1), i >= 1 (0-based) */
static double
workshop_dcg (const gboolean *relevant,
              guint           n,
              guint           k)
{
  double dcg = 0;

  for (guint i = 0; i < MIN (n, k); i++)
    if (relevant[i])
      dcg += i == 0 ? 1.0 : 1.0 / log2 (i + 1.0);
  return dcg;
}

double
pw_metric_workshop_ndcg_at_k (const gboolean *relevant,
                              guint           n,
                              guint           k)
{
  gboolean *sorted = g_newa (gboolean, MAX (1, n));
  guint hits = 0;
  double ideal;

  for (guint i = 0; i < n; i++)
    hits += relevant[i] ? 1 : 0;
  for (guint i = 0; i < n; i++)
    sorted[i] = i < hits;
  ideal = workshop_dcg (sorted, n, k);
  return ideal > 0 ? workshop_dcg (relevant, n, k) / ideal : 0;
}

void
pw_metrics_init (PwMetrics *metrics)
{
  memset (metrics, 0, sizeof *metrics);
}

/**
 * pw_metrics_add_user:
 * @relevant: (array length=n): for each returned item, whether it is a target
 * @n_targets: how many distinct target items the user has
 *
 * Adds one user's values to the sums; call pw_metrics_finish() after the last.
 */
void
pw_metrics_add_user (PwMetrics      *m,
                     const gboolean *relevant,
                     guint           n,
                     guint           n_targets)
{
  m->users++;
  m->precision_at_5 += pw_metric_precision_at_k (relevant, n, 5);
  m->precision_at_10 += pw_metric_precision_at_k (relevant, n, 10);
  m->precision_at_25 += pw_metric_precision_at_k (relevant, n, 25);
  m->mean_reciprocal_rank_at_25 += pw_metric_reciprocal_rank_at_k (relevant, n, 25);
  m->normalized_discounted_cumulative_gain_at_5 += pw_metric_ndcg_at_k (relevant, n, n_targets, 5);
  m->normalized_discounted_cumulative_gain_at_10 += pw_metric_ndcg_at_k (relevant, n, n_targets, 10);
  m->normalized_discounted_cumulative_gain_at_25 += pw_metric_ndcg_at_k (relevant, n, n_targets, 25);
  m->workshop_ndcg_at_5 += pw_metric_workshop_ndcg_at_k (relevant, n, 5);
  m->workshop_ndcg_at_10 += pw_metric_workshop_ndcg_at_k (relevant, n, 10);
  m->workshop_ndcg_at_25 += pw_metric_workshop_ndcg_at_k (relevant, n, 25);
}

/**
 * pw_metrics_finish:
 * Turns the sums into means over the users and sets the coverage.
 */
void
pw_metrics_finish (PwMetrics *m,
                   guint      n_distinct_recommended,
                   guint      n_catalogue)
{
  double u = m->users > 0 ? (double) m->users : 1.0;

  m->precision_at_5 /= u;
  m->precision_at_10 /= u;
  m->precision_at_25 /= u;
  m->mean_reciprocal_rank_at_25 /= u;
  m->normalized_discounted_cumulative_gain_at_5 /= u;
  m->normalized_discounted_cumulative_gain_at_10 /= u;
  m->normalized_discounted_cumulative_gain_at_25 /= u;
  m->workshop_ndcg_at_5 /= u;
  m->workshop_ndcg_at_10 /= u;
  m->workshop_ndcg_at_25 /= u;
  m->coverage = n_catalogue > 0 ? (double) n_distinct_recommended / n_catalogue : 0;
}
