/* pw-histogram.h: a histogram widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-chart-bins.h"
#include "pw-chart-view.h"

G_BEGIN_DECLS

#define PW_TYPE_HISTOGRAM (pw_histogram_get_type ())
G_DECLARE_FINAL_TYPE (PwHistogram, pw_histogram, PW, HISTOGRAM, PwChartView)

GtkWidget *pw_histogram_new         (void);
void       pw_histogram_set_bins    (PwHistogram       *self,
                                     const PwChartBins *bins);
void       pw_histogram_set_values  (PwHistogram       *self,
                                     const guint       *values,
                                     gsize              n_values,
                                     PwChartBinning     binning,
                                     guint              max_bins);

G_END_DECLS
