/* pw-chart-style.h: the colours and fonts a chart is drawn with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PW_CHART_N_PALETTE 7

/**
 * PwChartStyle:
 * @foreground: text, axes and grid lines (grid lines at low alpha)
 * @background: painted behind the chart when @fill_background is set
 * @accent: the colour of a chart with one series
 * @palette: the colours of several series: the GNOME palette's blue,
 *   green, yellow, orange, red, purple and brown
 * @font: the base font (the size is in points); titles are larger
 * @scale: multiplies every font size and line width: 1 on screen, about
 *   1.5-2 for a projector (see pw_chart_style_set_presentation())
 * @fill_background: whether the chart paints its background (exports do;
 *   a widget lets the window show through)
 */
typedef struct _PwChartStyle
{
  GdkRGBA foreground;
  GdkRGBA background;
  GdkRGBA accent;
  GdkRGBA palette[PW_CHART_N_PALETTE];
  PangoFontDescription *font;
  double scale;
  gboolean fill_background;
} PwChartStyle;

#define PW_TYPE_CHART_STYLE (pw_chart_style_get_type ())

#define PW_CHART_PRESENTATION_SCALE 1.6

GType         pw_chart_style_get_type          (void) G_GNUC_CONST;
PwChartStyle *pw_chart_style_new               (gboolean            dark);
PwChartStyle *pw_chart_style_new_for_widget    (GtkWidget          *widget);
PwChartStyle *pw_chart_style_copy              (const PwChartStyle *self);
void          pw_chart_style_free              (PwChartStyle       *self);
void          pw_chart_style_set_presentation  (PwChartStyle       *self,
                                                gboolean            presentation);
gboolean      pw_chart_style_is_dark           (const PwChartStyle *self);
void          pw_chart_style_get_series_color  (const PwChartStyle *self,
                                                guint               series,
                                                guint               n_series,
                                                GdkRGBA            *color);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwChartStyle, pw_chart_style_free)

G_END_DECLS
