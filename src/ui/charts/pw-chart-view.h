/* pw-chart-view.h: the base class of the chart widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pw-chart.h"
#include "pw-chart-export.h"
#include "pw-chart-style.h"

G_BEGIN_DECLS

#define PW_TYPE_CHART_VIEW (pw_chart_view_get_type ())
G_DECLARE_DERIVABLE_TYPE (PwChartView, pw_chart_view, PW, CHART_VIEW, GtkWidget)

/**
 * PwChartViewClass:
 * @chart_kind: the kind of chart a new view of this class holds
 *
 * A widget that draws a #PwChart with pw_chart_draw() at its current size,
 * in the theme's colours, with a text alternative for screen readers, a
 * tooltip per bar, and the actions `chart.copy-table` (Ctrl+C) and
 * `chart.save-as` (a file chooser; PNG, SVG or PDF), also in its context
 * menu. Subclasses only add convenient setters for their kind of data.
 */
struct _PwChartViewClass
{
  GtkWidgetClass parent_class;

  PwChartKind chart_kind;

  /*< private >*/
  gpointer padding[8];
};

PwChart      *pw_chart_view_get_chart         (PwChartView        *self);
void          pw_chart_view_set_chart         (PwChartView        *self,
                                               PwChart            *chart);
gboolean      pw_chart_view_get_presentation  (PwChartView        *self);
void          pw_chart_view_set_presentation  (PwChartView        *self,
                                               gboolean            presentation);
PwChartStyle *pw_chart_view_get_style         (PwChartView        *self);
char         *pw_chart_view_get_table         (PwChartView        *self,
                                               PwChartTableFormat  format);
void          pw_chart_view_copy_table        (PwChartView        *self);
void          pw_chart_view_save_as           (PwChartView        *self);
void          pw_chart_view_save_to           (PwChartView        *self,
                                               GFile              *file,
                                               PwChartFormat       format);

G_END_DECLS
