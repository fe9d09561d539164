/* pw-metrics.h: offline metrics as Amazon Personalize documents them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * PwMetrics:
 * @users: how many users (queries) were scored
 * @precision_at_5: relevant in top K / K, averaged over users
 * @mean_reciprocal_rank_at_25: 1 / rank of the first relevant item in the top 25, else 0
 * @normalized_discounted_cumulative_gain_at_5: DCG / IDCG with binary
 *   relevance, DCG = sum over relevant positions p <= K of 1 / log2 (1 + p),
 *   IDCG over min (K, number of targets) positions
 * @workshop_ndcg_at_5: the workshop notebook's variant: DCG with the first
 *   two positions weighted 1 (r[0] + sum r[i] / log2 (i + 1) for i >= 2),
 *   divided by the same DCG of the returned list's own relevance sorted
 *   (0 when the list has no hit)
 * @coverage: distinct recommended items over all queries / items in the catalogue
 *
 * The field names are Personalize's metric keys (see pw_metrics_get_keys()).
 */
typedef struct
{
  guint  users;
  double coverage;
  double mean_reciprocal_rank_at_25;
  double normalized_discounted_cumulative_gain_at_5;
  double normalized_discounted_cumulative_gain_at_10;
  double normalized_discounted_cumulative_gain_at_25;
  double precision_at_5;
  double precision_at_10;
  double precision_at_25;
  double workshop_ndcg_at_5;
  double workshop_ndcg_at_10;
  double workshop_ndcg_at_25;
} PwMetrics;

/**
 * PwMetricKey:
 * @key: the metric's key (Personalize's for the standard ones)
 * @offset: of the double in #PwMetrics
 * @personalize: %TRUE for the keys GetSolutionMetrics reports
 */
typedef struct
{
  const char *key;
  gsize       offset;
  gboolean    personalize;
} PwMetricKey;

const PwMetricKey *pw_metrics_get_keys (guint *n_keys);
double pw_metrics_get_value (const PwMetrics   *metrics,
                             const PwMetricKey *key);

double pw_metric_precision_at_k       (const gboolean *relevant,
                                       guint           n,
                                       guint           k);
double pw_metric_reciprocal_rank_at_k (const gboolean *relevant,
                                       guint           n,
                                       guint           k);
double pw_metric_ndcg_at_k            (const gboolean *relevant,
                                       guint           n,
                                       guint           n_targets,
                                       guint           k);
double pw_metric_workshop_ndcg_at_k   (const gboolean *relevant,
                                       guint           n,
                                       guint           k);

void   pw_metrics_init                (PwMetrics      *metrics);
void   pw_metrics_add_user            (PwMetrics      *metrics,
                                       const gboolean *relevant,
                                       guint           n,
                                       guint           n_targets);
void   pw_metrics_finish              (PwMetrics      *metrics,
                                       guint           n_distinct_recommended,
                                       guint           n_catalogue);

G_END_DECLS
