/* pw-histogram.c: a histogram widget
 *
 * Counts of values in numeric bins (interactions per user), drawn as
 * contiguous bars with the bin edges on the axis. Log-friendly bins make a
 * long tail readable; see pw-chart-bins.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-histogram"

#include "pw-config.h"

#include "pw-histogram.h"

struct _PwHistogram
{
  PwChartView parent_instance;
};

G_DEFINE_FINAL_TYPE (PwHistogram, pw_histogram, PW_TYPE_CHART_VIEW)

static void
pw_histogram_class_init (PwHistogramClass *klass)
{
  PW_CHART_VIEW_CLASS (klass)->chart_kind = PW_CHART_KIND_HISTOGRAM;
}

static void
pw_histogram_init (PwHistogram *self)
{
}

GtkWidget *
pw_histogram_new (void)
{
  return g_object_new (PW_TYPE_HISTOGRAM, NULL);
}

/**
 * pw_histogram_set_bins:
 * @self: a histogram
 * @bins: bins and their counts
 *
 * Shows @bins; titles and formats stay.
 */
void
pw_histogram_set_bins (PwHistogram       *self,
                       const PwChartBins *bins)
{
  g_return_if_fail (PW_IS_HISTOGRAM (self));
  g_return_if_fail (bins != NULL);

  pw_chart_set_bins (pw_chart_view_get_chart (PW_CHART_VIEW (self)), bins, NULL);
}

/**
 * pw_histogram_set_values:
 * @self: a histogram
 * @values: (array length=n_values): the values, e.g. interactions per user
 * @n_values: their number
 * @binning: linear or log-friendly bins
 * @max_bins: the most bins wanted (0: 20)
 *
 * Bins @values (pw_chart_bins_new()) and shows them.
 */
void
pw_histogram_set_values (PwHistogram    *self,
                         const guint    *values,
                         gsize           n_values,
                         PwChartBinning  binning,
                         guint           max_bins)
{
  g_autoptr(PwChartBins) bins = NULL;

  g_return_if_fail (PW_IS_HISTOGRAM (self));

  bins = pw_chart_bins_new (values, n_values, binning, max_bins);
  pw_histogram_set_bins (self, bins);
}
