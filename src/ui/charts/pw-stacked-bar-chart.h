/* pw-stacked-bar-chart.h: a stacked bar chart widget (shares of a whole)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-chart-view.h"

G_BEGIN_DECLS

#define PW_TYPE_STACKED_BAR_CHART (pw_stacked_bar_chart_get_type ())
G_DECLARE_FINAL_TYPE (PwStackedBarChart, pw_stacked_bar_chart, PW, STACKED_BAR_CHART, PwChartView)

GtkWidget *pw_stacked_bar_chart_new (void);

G_END_DECLS
