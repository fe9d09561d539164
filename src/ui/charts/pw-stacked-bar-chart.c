/* pw-stacked-bar-chart.c: a stacked bar chart widget (shares of a whole)
 *
 * One horizontal bar per category with its series end to end, e.g. the
 * genre shares of each recommendation list in Live Events: categories are
 * the lists, series the genres, values fractions. See PwChartView for the
 * rest (theme colours, table, tooltips, export).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-stacked-bar-chart"

#include "pw-config.h"

#include "pw-stacked-bar-chart.h"

struct _PwStackedBarChart
{
  PwChartView parent_instance;
};

G_DEFINE_FINAL_TYPE (PwStackedBarChart, pw_stacked_bar_chart, PW_TYPE_CHART_VIEW)

static void
pw_stacked_bar_chart_class_init (PwStackedBarChartClass *klass)
{
  PW_CHART_VIEW_CLASS (klass)->chart_kind = PW_CHART_KIND_STACKED;
}

static void
pw_stacked_bar_chart_init (PwStackedBarChart *self)
{
}

GtkWidget *
pw_stacked_bar_chart_new (void)
{
  return g_object_new (PW_TYPE_STACKED_BAR_CHART, NULL);
}
