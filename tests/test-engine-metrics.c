/* test-engine-metrics.c: the metric functions against hand-computed cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "pw-engine.h"

#define EPS 1e-4

static void
test_spec_example (void)
{
  /* docs/personalize-api.md section 8: hits at 2 and 5, K = 5:
   * (1/log 3 + 1/log 6) / (1/log 2 + 1/log 3) = 0.6241 */
  gboolean rel[] = { FALSE, TRUE, FALSE, FALSE, TRUE };

  g_assert_cmpfloat_with_epsilon (pw_metric_ndcg_at_k (rel, 5, 2, 5), 0.6241, EPS);
  /* more targets than K: the ideal has K hits */
  g_assert_cmpfloat_with_epsilon (pw_metric_ndcg_at_k (rel, 5, 10, 5),
                                  (1 / log2 (3) + 1 / log2 (6))
                                  / (1 + 1 / log2 (3) + 1 / log2 (4) + 1 / log2 (5) + 1 / log2 (6)), 1e-9);
}

static void
test_ndcg_ideal_over_targets (void)
{
  gboolean rel[25] = { TRUE };
  gboolean none[25] = { FALSE };

  /* one hit at rank 1, 3 targets, K = 5: 1 / (1 + 1/log2 3 + 1/log2 4) */
  g_assert_cmpfloat_with_epsilon (pw_metric_ndcg_at_k (rel, 25, 3, 5), 1.0 / (1.0 + 0.63093 + 0.5), EPS);
  /* one target, hit at rank 1: perfect */
  g_assert_cmpfloat_with_epsilon (pw_metric_ndcg_at_k (rel, 25, 1, 10), 1.0, 1e-12);
  g_assert_cmpfloat (pw_metric_ndcg_at_k (none, 25, 4, 25), ==, 0.0);
  /* no targets: 0, not a division by zero */
  g_assert_cmpfloat (pw_metric_ndcg_at_k (rel, 25, 0, 25), ==, 0.0);
  /* a hit beyond K does not count */
  {
    gboolean late[25] = { FALSE };
    late[7] = TRUE;
    g_assert_cmpfloat (pw_metric_ndcg_at_k (late, 25, 1, 5), ==, 0.0);
    g_assert_cmpfloat_with_epsilon (pw_metric_ndcg_at_k (late, 25, 1, 10), 1.0 / log2 (9.0), 1e-12);
  }
}

static void
test_precision_mrr (void)
{
  gboolean rel[] = { TRUE, FALSE, TRUE, FALSE, FALSE };
  gboolean late[30] = { FALSE };

  g_assert_cmpfloat_with_epsilon (pw_metric_precision_at_k (rel, 5, 5), 0.4, 1e-12);
  /* a list shorter than K still divides by K */
  g_assert_cmpfloat_with_epsilon (pw_metric_precision_at_k (rel, 5, 10), 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (pw_metric_precision_at_k (rel, 5, 25), 0.08, 1e-12);
  g_assert_cmpfloat_with_epsilon (pw_metric_reciprocal_rank_at_k (rel, 5, 25), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (pw_metric_reciprocal_rank_at_k (rel + 1, 4, 25), 0.5, 1e-12);
  late[25] = TRUE;  /* rank 26 */
  g_assert_cmpfloat (pw_metric_reciprocal_rank_at_k (late, 30, 25), ==, 0.0);
  late[24] = TRUE;  /* rank 25 */
  g_assert_cmpfloat_with_epsilon (pw_metric_reciprocal_rank_at_k (late, 30, 25), 1.0 / 25, 1e-12);
}

static void
test_workshop_ndcg (void)
{
  /* the notebook: dcg = r[0] + sum r[i] / log2 (i + 1), i >= 1 (0-based);
   * ideal = the same list sorted. Hits at ranks 2 and 5, K = 5:
   * (1/log2 2 + 1/log2 5) / (1 + 1/log2 2) = 1.43068 / 2 */
  gboolean rel[25] = { FALSE, TRUE, FALSE, FALSE, TRUE };
  gboolean late[25] = { FALSE };

  g_assert_cmpfloat_with_epsilon (pw_metric_workshop_ndcg_at_k (rel, 25, 5), (1.0 + 1.0 / log2 (5)) / 2.0, 1e-12);
  /* K = 10 and 25 do not change either: both hits are in the top 5 */
  g_assert_cmpfloat_with_epsilon (pw_metric_workshop_ndcg_at_k (rel, 25, 25), (1.0 + 1.0 / log2 (5)) / 2.0, 1e-12);
  /* a hit after K: the ideal (sorted list) has it first, the list has nothing */
  late[20] = TRUE;
  g_assert_cmpfloat (pw_metric_workshop_ndcg_at_k (late, 25, 5), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (pw_metric_workshop_ndcg_at_k (late, 25, 25), 1.0 / log2 (21), 1e-12);
  /* it differs from the standard one: 2 targets, hits at 2 and 5 */
  g_assert_cmpfloat (fabs (pw_metric_workshop_ndcg_at_k (rel, 25, 5) - pw_metric_ndcg_at_k (rel, 25, 2, 5)), >, 0.05);
}

static void
test_accumulate (void)
{
  gboolean a[25] = { TRUE, FALSE, FALSE, FALSE, TRUE };
  gboolean b[25] = { FALSE };
  PwMetrics m;

  b[2] = TRUE;
  pw_metrics_init (&m);
  pw_metrics_add_user (&m, a, 25, 2);
  pw_metrics_add_user (&m, b, 25, 1);
  pw_metrics_finish (&m, 30, 120);
  g_assert_cmpuint (m.users, ==, 2);
  g_assert_cmpfloat_with_epsilon (m.precision_at_5, (0.4 + 0.2) / 2, 1e-12);
  g_assert_cmpfloat_with_epsilon (m.precision_at_25, (2.0 / 25 + 1.0 / 25) / 2, 1e-12);
  g_assert_cmpfloat_with_epsilon (m.mean_reciprocal_rank_at_25, (1.0 + 1.0 / 3) / 2, 1e-12);
  g_assert_cmpfloat_with_epsilon (m.normalized_discounted_cumulative_gain_at_5,
                                  ((1 + 1 / log2 (6)) / (1 + 1 / log2 (3)) + 1 / log2 (4)) / 2, 1e-12);
  g_assert_cmpfloat_with_epsilon (m.coverage, 0.25, 1e-12);
}

static void
test_keys (void)
{
  static const char * const expected[] = {
    "coverage", "mean_reciprocal_rank_at_25", "normalized_discounted_cumulative_gain_at_5",
    "normalized_discounted_cumulative_gain_at_10", "normalized_discounted_cumulative_gain_at_25",
    "precision_at_5", "precision_at_10", "precision_at_25",
  };
  const PwMetricKey *keys;
  guint n, n_personalize = 0;
  PwMetrics m;

  keys = pw_metrics_get_keys (&n);
  pw_metrics_init (&m);
  m.precision_at_10 = 0.5;
  for (guint k = 0; k < n; k++)
    {
      if (keys[k].personalize)
        {
          g_assert_cmpstr (keys[k].key, ==, expected[n_personalize]);
          n_personalize++;
        }
      else
        g_assert_true (g_str_has_prefix (keys[k].key, "workshop_ndcg_at_"));
      if (strcmp (keys[k].key, "precision_at_10") == 0)
        g_assert_cmpfloat (pw_metrics_get_value (&m, &keys[k]), ==, 0.5);
    }
  g_assert_cmpuint (n_personalize, ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected) + 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/metrics/spec-example", test_spec_example);
  g_test_add_func ("/engine/metrics/ndcg-ideal", test_ndcg_ideal_over_targets);
  g_test_add_func ("/engine/metrics/precision-mrr", test_precision_mrr);
  g_test_add_func ("/engine/metrics/workshop-ndcg", test_workshop_ndcg);
  g_test_add_func ("/engine/metrics/accumulate", test_accumulate);
  g_test_add_func ("/engine/metrics/keys", test_keys);
  return g_test_run ();
}
