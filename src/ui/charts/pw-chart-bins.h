/* pw-chart-bins.h: integer values into histogram bins, and nice axis ticks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * PwChartBinning:
 * @PW_CHART_BINNING_LINEAR: bins of one round width (1, 2 or 5 x 10^k).
 * @PW_CHART_BINNING_LOG: edges on the 1-1.5-2-3-5-7 x 10^k ladder (or a
 *   coarser one when there would be too many bins): for long-tailed data
 *   such as interactions per user.
 */
typedef enum
{
  PW_CHART_BINNING_LINEAR,
  PW_CHART_BINNING_LOG,
} PwChartBinning;

/**
 * PwChartBins:
 * @binning: how the edges were chosen
 * @n_bins: the number of bins
 * @edges: (array length=n_bins+1): whole-number edges; bin i holds the
 *   values v with edges[i] <= v < edges[i + 1]
 * @counts: (array length=n_bins): how many values fell in each bin
 * @total: the number of values
 * @min: the smallest value (0 when there are none)
 * @max: the largest value (0 when there are none)
 */
typedef struct _PwChartBins
{
  PwChartBinning binning;
  guint n_bins;
  double *edges;
  guint64 *counts;
  guint64 total;
  guint min;
  guint max;
} PwChartBins;

#define PW_TYPE_CHART_BINS (pw_chart_bins_get_type ())

GType        pw_chart_bins_get_type   (void) G_GNUC_CONST;
PwChartBins *pw_chart_bins_new        (const guint       *values,
                                       gsize              n_values,
                                       PwChartBinning     binning,
                                       guint              max_bins);
PwChartBins *pw_chart_bins_copy       (const PwChartBins *self);
void         pw_chart_bins_free       (PwChartBins       *self);
int          pw_chart_bins_find       (const PwChartBins *self,
                                       guint              value);
char        *pw_chart_bins_get_label  (const PwChartBins *self,
                                       guint              bin);

double       pw_chart_nice_step       (double             rough);
guint        pw_chart_nice_ticks      (double             min,
                                       double             max,
                                       guint              max_ticks,
                                       gboolean           integer,
                                       double            *first,
                                       double            *step);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwChartBins, pw_chart_bins_free)

G_END_DECLS
