/* pw-chart-draw.h: one cairo draw function for screen and export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include "pw-chart.h"
#include "pw-chart-style.h"

G_BEGIN_DECLS

typedef enum
{
  PW_CHART_ITEM_RECT,
  PW_CHART_ITEM_LINE,
  PW_CHART_ITEM_TEXT,
} PwChartItemType;

typedef enum
{
  PW_CHART_ROLE_BAR,
  PW_CHART_ROLE_SWATCH,
  PW_CHART_ROLE_GRID,
  PW_CHART_ROLE_BASELINE,
  PW_CHART_ROLE_TITLE,
  PW_CHART_ROLE_AXIS_TITLE,
  PW_CHART_ROLE_TICK_LABEL,
  PW_CHART_ROLE_CATEGORY_LABEL,
  PW_CHART_ROLE_VALUE_LABEL,
  PW_CHART_ROLE_LEGEND_LABEL,
  PW_CHART_ROLE_NO_DATA,
  PW_CHART_ROLE_COLUMN_HEADING,
  PW_CHART_ROLE_CELL,
  PW_CHART_ROLE_MARK,
} PwChartRole;

/**
 * PwChartItem:
 * @type: a filled rectangle, a line or a text
 * @role: what it is
 * @x: left (a line's start)
 * @y: top (a line's start)
 * @width: width (a line's x extent, may be 0)
 * @height: height (a line's y extent, may be 0)
 * @color: its colour
 * @text: (nullable): the text of a text item
 * @rotated: whether a text reads bottom to top (the rectangle is the
 *   rotated text's box)
 * @category: the category a bar or label belongs to, or -1
 * @series: the series a bar or swatch belongs to, or -1
 *
 * One thing the chart draws, in pixels from the top left corner.
 */
typedef struct
{
  PwChartItemType type;
  PwChartRole role;
  double x;
  double y;
  double width;
  double height;
  GdkRGBA color;
  char *text;
  gboolean rotated;
  int category;
  int series;
  /*< private >*/
  PangoLayout *layout;
  double line_width;
  double radius;
  int bar_end;
} PwChartItem;

typedef struct _PwChartLayout PwChartLayout;

void                pw_chart_draw                   (PwChart            *chart,
                                                     cairo_t            *cr,
                                                     int                 width,
                                                     int                 height,
                                                     const PwChartStyle *style);

PwChartLayout      *pw_chart_layout_new             (PwChart            *chart,
                                                     PangoContext       *context,
                                                     int                 width,
                                                     int                 height,
                                                     const PwChartStyle *style);
void                pw_chart_layout_free            (PwChartLayout      *self);
void                pw_chart_layout_paint           (PwChartLayout      *self,
                                                     cairo_t            *cr);
guint               pw_chart_layout_get_n_items     (PwChartLayout      *self);
const PwChartItem  *pw_chart_layout_get_item        (PwChartLayout      *self,
                                                     guint               index);
gboolean            pw_chart_layout_is_horizontal   (PwChartLayout      *self);
int                 pw_chart_layout_find_bar        (PwChartLayout      *self,
                                                     double              x,
                                                     double              y,
                                                     int                *series);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwChartLayout, pw_chart_layout_free)

G_END_DECLS
