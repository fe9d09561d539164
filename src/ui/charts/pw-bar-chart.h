/* pw-bar-chart.h: a bar chart widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-chart-view.h"

G_BEGIN_DECLS

#define PW_TYPE_BAR_CHART (pw_bar_chart_get_type ())
G_DECLARE_FINAL_TYPE (PwBarChart, pw_bar_chart, PW, BAR_CHART, PwChartView)

GtkWidget *pw_bar_chart_new       (void);
void       pw_bar_chart_set_data  (PwBarChart         *self,
                                   const char * const *labels,
                                   const double       *values,
                                   guint               n_values);

G_END_DECLS
