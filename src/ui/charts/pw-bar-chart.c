/* pw-bar-chart.c: a bar chart widget
 *
 * Categories with one value each (items per genre) or several series side
 * by side (metrics per recipe). Many or long labels switch to horizontal
 * bars by themselves; see PwChartView for the rest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-bar-chart"

#include "pw-config.h"

#include "pw-bar-chart.h"

struct _PwBarChart
{
  PwChartView parent_instance;
};

G_DEFINE_FINAL_TYPE (PwBarChart, pw_bar_chart, PW_TYPE_CHART_VIEW)

static void
pw_bar_chart_class_init (PwBarChartClass *klass)
{
  PW_CHART_VIEW_CLASS (klass)->chart_kind = PW_CHART_KIND_BAR;
}

static void
pw_bar_chart_init (PwBarChart *self)
{
}

GtkWidget *
pw_bar_chart_new (void)
{
  return g_object_new (PW_TYPE_BAR_CHART, NULL);
}

/**
 * pw_bar_chart_set_data:
 * @self: a bar chart
 * @labels: (array zero-terminated=1): the category labels
 * @values: (array length=n_values): one value per label
 * @n_values: the number of values
 *
 * Replaces the data by one unnamed series. Titles and formats stay; for
 * several series use pw_chart_set_categories() and pw_chart_add_series()
 * on pw_chart_view_get_chart().
 */
void
pw_bar_chart_set_data (PwBarChart         *self,
                       const char * const *labels,
                       const double       *values,
                       guint               n_values)
{
  PwChart *chart;

  g_return_if_fail (PW_IS_BAR_CHART (self));

  chart = pw_chart_view_get_chart (PW_CHART_VIEW (self));
  pw_chart_set_categories (chart, labels);
  if (labels != NULL && labels[0] != NULL)
    pw_chart_add_series (chart, NULL, values, n_values);
}
