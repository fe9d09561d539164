/* pw-chart-draw.c: one cairo draw function for screen and export
 *
 * Drawing is done in two steps: a layout measures every text with Pango and
 * places titles, legend, axes, grid, bars and labels as a list of items in
 * pixels; painting then draws the list with cairo. The widget keeps its last
 * layout to find the bar under the pointer, tests check the items (nothing
 * overlaps, "No data" is shown), and exports paint the same list onto PNG,
 * SVG and PDF surfaces. Nothing here touches a widget, so exports can run
 * in a thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-chart-draw"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "pw-chart-bins.h"
#include "pw-chart-draw.h"

struct _PwChartLayout
{
  GArray *items;          /* PwChartItem */
  gboolean horizontal;
  gboolean fill_background;
  GdkRGBA background;
  int width;
  int height;
};

/* Font sizes relative to the style's base font. */
static const struct {
  double size;
  PangoWeight weight;
  double alpha;
} role_fonts[] = {
  [PW_CHART_ROLE_TITLE] = { 1.45, PANGO_WEIGHT_BOLD, 1.0 },
  [PW_CHART_ROLE_AXIS_TITLE] = { 1.0, PANGO_WEIGHT_BOLD, 0.8 },
  [PW_CHART_ROLE_TICK_LABEL] = { 0.9, PANGO_WEIGHT_NORMAL, 0.7 },
  [PW_CHART_ROLE_CATEGORY_LABEL] = { 1.0, PANGO_WEIGHT_NORMAL, 0.9 },
  [PW_CHART_ROLE_VALUE_LABEL] = { 0.9, PANGO_WEIGHT_NORMAL, 0.9 },
  [PW_CHART_ROLE_LEGEND_LABEL] = { 1.0, PANGO_WEIGHT_NORMAL, 0.9 },
  [PW_CHART_ROLE_NO_DATA] = { 1.3, PANGO_WEIGHT_NORMAL, 0.55 },
  [PW_CHART_ROLE_COLUMN_HEADING] = { 1.05, PANGO_WEIGHT_BOLD, 1.0 },
  [PW_CHART_ROLE_CELL] = { 1.0, PANGO_WEIGHT_NORMAL, 0.9 },
};

typedef struct
{
  PwChart *chart;
  const PwChartStyle *style;
  PangoContext *context;
  PwChartLayout *layout;
  double s;       /* scale */
  double pad;     /* outer margin */
  double gap;     /* between a label and what it labels */
  double value_scale;  /* < 1 when value labels are made smaller to fit */
} Builder;

static void
item_clear (PwChartItem *item)
{
  g_clear_pointer (&item->text, g_free);
  g_clear_object (&item->layout);
}

static GdkRGBA
with_alpha (const GdkRGBA *color,
            double         alpha)
{
  GdkRGBA c = *color;

  c.alpha *= alpha;
  return c;
}

static PwChartItem *
add_item (Builder         *b,
          PwChartItemType  type,
          PwChartRole      role)
{
  PwChartItem item = { 0 };

  item.type = type;
  item.role = role;
  item.category = -1;
  item.series = -1;
  g_array_append_val (b->layout->items, item);
  return &g_array_index (b->layout->items, PwChartItem, b->layout->items->len - 1);
}

/* A text measured but not placed yet (x = y = 0); @max_width > 0 ellipsizes
 * it to that width. Items may move in memory when more are added, so the
 * caller places it by index. */
static guint
add_text (Builder     *b,
          PwChartRole  role,
          const char  *text,
          double       max_width)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_copy (b->style->font);
  g_autoptr(PangoLayout) layout = pango_layout_new (b->context);
  PangoAttrList *attrs;
  PwChartItem *item;
  PangoRectangle logical;
  double size = pango_font_description_get_size (font) / (double) PANGO_SCALE;

  if (size <= 0)
    size = 11;
  if (role == PW_CHART_ROLE_VALUE_LABEL)
    size *= b->value_scale;
  pango_font_description_set_size (font, (int) (size * role_fonts[role].size * b->s * PANGO_SCALE));
  pango_font_description_set_weight (font, role_fonts[role].weight);
  pango_layout_set_font_description (layout, font);

  /* Tabular figures keep columns of numbers aligned. */
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  pango_layout_set_text (layout, text, -1);
  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_extents (layout, NULL, &logical);

  item = add_item (b, PW_CHART_ITEM_TEXT, role);
  item->text = g_strdup (text);
  item->layout = g_steal_pointer (&layout);
  item->width = max_width > 0 ? MIN (logical.width, max_width) : logical.width;
  item->height = logical.height;
  item->color = with_alpha (&b->style->foreground, role_fonts[role].alpha);

  return b->layout->items->len - 1;
}

static PwChartItem *
item_at (Builder *b,
         guint    index)
{
  return &g_array_index (b->layout->items, PwChartItem, index);
}

static void
remove_items_from (Builder *b,
                   guint    index)
{
  for (guint i = index; i < b->layout->items->len; i++)
    item_clear (item_at (b, i));
  g_array_set_size (b->layout->items, index);
}

static void
move_text (Builder *b,
           guint    index,
           double   x,
           double   y)
{
  PwChartItem *item = item_at (b, index);

  item->x = x;
  item->y = y;
}

/* Bold, in full colour: the highlighted category's label. */
static void
emphasize_text (Builder *b,
                guint    index)
{
  PwChartItem *item = item_at (b, index);
  PangoFontDescription *font = pango_font_description_copy (pango_layout_get_font_description (item->layout));
  PangoRectangle logical;

  pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (item->layout, font);
  pango_font_description_free (font);
  pango_layout_get_pixel_extents (item->layout, NULL, &logical);
  item->width = pango_layout_get_width (item->layout) > 0
                ? MIN (logical.width, pango_layout_get_width (item->layout) / (double) PANGO_SCALE)
                : logical.width;
  item->height = logical.height;
  item->color = b->style->foreground;
}

static void
rotate_text (Builder *b,
             guint    index)
{
  PwChartItem *item = item_at (b, index);
  double w = item->width;

  item->rotated = TRUE;
  item->width = item->height;
  item->height = w;
}

/* The height of one line of text in @role's font. */
static double
line_height (Builder     *b,
             PwChartRole  role)
{
  guint index = add_text (b, role, "0", 0);
  double h = item_at (b, index)->height;

  remove_items_from (b, index);
  return h;
}

static double
text_width (Builder     *b,
            PwChartRole  role,
            const char  *text)
{
  guint index = add_text (b, role, text, 0);
  double w = item_at (b, index)->width;

  remove_items_from (b, index);
  return w;
}

static void
add_line (Builder       *b,
          PwChartRole    role,
          double         x0,
          double         y0,
          double         x1,
          double         y1,
          const GdkRGBA *color,
          double         width)
{
  PwChartItem *item = add_item (b, PW_CHART_ITEM_LINE, role);

  item->x = x0;
  item->y = y0;
  item->width = x1 - x0;
  item->height = y1 - y0;
  item->color = *color;
  item->line_width = width;
}

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

/* Lets the text at @index wrap onto at most @lines lines of @max_width. */
static void
wrap_text (Builder *b,
           guint    index,
           double   max_width,
           int      lines)
{
  PwChartItem *item = item_at (b, index);
  PangoRectangle logical;

  pango_layout_set_width (item->layout, (int) (max_width * PANGO_SCALE));
  pango_layout_set_wrap (item->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize (item->layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_height (item->layout, -lines);
  pango_layout_get_pixel_extents (item->layout, NULL, &logical);
  item->width = MIN (logical.width, max_width);
  item->height = logical.height;
}

/* Title and legend; returns the y below them. */
static double
layout_header (Builder *b,
               int      width)
{
  PwChart *chart = b->chart;
  double y = b->pad;
  guint n_series = pw_chart_get_n_series (chart);

  if (has_text (pw_chart_get_title (chart)))
    {
      guint t = add_text (b, PW_CHART_ROLE_TITLE, pw_chart_get_title (chart), width - 2 * b->pad);

      move_text (b, t, b->pad, y);
      y += item_at (b, t)->height + 1.5 * b->gap;
    }

  if (n_series > 1 && !pw_chart_is_empty (chart))
    {
      double lh = line_height (b, PW_CHART_ROLE_LEGEND_LABEL);
      double swatch = round (lh * 0.65);
      double x = b->pad;

      for (guint s = 0; s < n_series; s++)
        {
          const char *name = pw_chart_get_series_name (chart, s);
          guint t = add_text (b, PW_CHART_ROLE_LEGEND_LABEL, name != NULL ? name : "", 0);
          double entry = swatch + b->gap + item_at (b, t)->width;
          PwChartItem *sw;

          if (x > b->pad && x + entry > width - b->pad)
            {
              x = b->pad;
              y += lh + b->gap / 2;
            }
          move_text (b, t, x + swatch + b->gap, y);
          sw = add_item (b, PW_CHART_ITEM_RECT, PW_CHART_ROLE_SWATCH);
          sw->x = x;
          sw->y = y + (lh - swatch) / 2;
          sw->width = sw->height = swatch;
          sw->radius = 2 * b->s;
          sw->series = s;
          pw_chart_style_get_series_color (b->style, s, n_series, &sw->color);
          x += entry + 3 * b->gap;
        }
      y += lh + b->gap;
    }

  return y;
}

static void
add_bar (Builder *b,
         guint    category,
         guint    series,
         double   x,
         double   y,
         double   w,
         double   h,
         int      bar_end)
{
  PwChart *chart = b->chart;
  int highlight = pw_chart_get_highlight (chart);
  PwChartItem *item = add_item (b, PW_CHART_ITEM_RECT, PW_CHART_ROLE_BAR);

  item->x = x;
  item->y = y;
  item->width = w;
  item->height = h;
  item->category = category;
  item->series = series;
  item->bar_end = bar_end;
  item->radius = MIN (4 * b->s, MIN (w, h) / 2);
  pw_chart_style_get_series_color (b->style, series, pw_chart_get_n_series (chart), &item->color);
  if (highlight >= 0 && (guint) highlight != category)
    {
      /* Paler, but opaque: grid lines do not show through. */
      const GdkRGBA *bg = &b->style->background;

      item->color.red = 0.4 * item->color.red + 0.6 * bg->red;
      item->color.green = 0.4 * item->color.green + 0.6 * bg->green;
      item->color.blue = 0.4 * item->color.blue + 0.6 * bg->blue;
    }
}

static double
widest_value_label (Builder *b)
{
  PwChart *chart = b->chart;
  double widest = 0;

  for (guint s = 0; s < pw_chart_get_n_series (chart); s++)
    for (guint i = 0; i < pw_chart_get_n_categories (chart); i++)
      {
        g_autofree char *text = pw_chart_format_value (chart, pw_chart_get_value (chart, s, i));

        widest = MAX (widest, text_width (b, PW_CHART_ROLE_VALUE_LABEL, text));
      }
  return widest;
}

static double
widest_category_label (Builder *b)
{
  PwChart *chart = b->chart;
  double widest = 0;

  for (guint i = 0; i < pw_chart_get_n_categories (chart); i++)
    {
      guint index = add_text (b, PW_CHART_ROLE_CATEGORY_LABEL, pw_chart_get_category (chart, i), 0);

      /* The highlighted label is bold, so wider. */
      if ((int) i == pw_chart_get_highlight (chart))
        emphasize_text (b, index);
      widest = MAX (widest, item_at (b, index)->width);
      remove_items_from (b, index);
    }
  return widest;
}

static void
value_range (PwChart *chart,
             double  *lo,
             double  *hi)
{
  pw_chart_get_range (chart, lo, hi);
  *lo = MIN (*lo, 0);
  *hi = MAX (*hi, 0);
}

/* A vertical bar chart's geometry, worked out step by step by the
 * vertical_* functions below, in the order layout_vertical() calls them. */
typedef struct
{
  guint n;                   /* categories */
  guint n_series;
  gboolean histogram;
  const double *edges;       /* the bins' n + 1 edges, when use_edges */
  gboolean use_edges;        /* label the bins' edges, not the categories */
  PwChartValueFormat format;
  double value_h;            /* a value label's line height */
  const char *x_title;
  const char *y_title;

  double lo, hi;             /* the value axis, from the first to the last tick */
  double first, step;        /* the ticks */
  guint n_ticks;
  double tick_w;             /* the widest tick label */

  double plot_x, plot_y, plot_w, plot_h;
  double bottom;             /* the plot's bottom, where the labels hang */
  double label_gap;          /* from the bottom to the category labels */
  double slot;               /* one category's width */
} VerticalPlot;

/* Vertical space: headroom for value labels over the tallest bar, then the
 * plot, the category labels and the axis title. Returns FALSE when no
 * plot fits. */
static gboolean
vertical_fit_height (Builder      *b,
                     VerticalPlot *p,
                     double        top,
                     int           height)
{
  double tick_h = line_height (b, PW_CHART_ROLE_TICK_LABEL);
  double cat_h = line_height (b, PW_CHART_ROLE_CATEGORY_LABEL);
  double axis_h = line_height (b, PW_CHART_ROLE_AXIS_TITLE);

  p->value_h = line_height (b, PW_CHART_ROLE_VALUE_LABEL);
  /* The labels under the axis keep clear of the lowest tick label, which
   * is centred on the axis. */
  p->label_gap = MAX (b->gap, ceil (tick_h / 2) + 1);
  p->plot_y = top + p->value_h + b->gap / 2;
  p->bottom = height - b->pad - cat_h - p->label_gap;
  if (has_text (p->x_title))
    p->bottom -= axis_h + b->gap;
  /* Negative values are labelled under their bars: room below the plot. */
  value_range (b->chart, &p->lo, &p->hi);
  if (p->lo < 0)
    {
      p->label_gap += p->value_h + b->gap / 2;
      p->bottom -= p->value_h + b->gap / 2;
    }
  p->plot_h = p->bottom - p->plot_y;
  return p->plot_h >= 4 * b->s;
}

/* As many round ticks as fit the plot's height; the axis then runs from
 * the first to the last. */
static void
vertical_choose_ticks (Builder      *b,
                       VerticalPlot *p)
{
  double tick_h = line_height (b, PW_CHART_ROLE_TICK_LABEL);
  guint max_ticks = CLAMP ((guint) (p->plot_h / (tick_h * 1.8)), 2, 10);

  p->n_ticks = pw_chart_nice_ticks (p->lo, p->hi, max_ticks, p->format == PW_CHART_VALUE_INTEGER,
                                    &p->first, &p->step);
  for (guint t = 0; t < p->n_ticks; t++)
    {
      g_autofree char *text = pw_chart_format_tick (p->format, p->first + t * p->step, p->step);

      p->tick_w = MAX (p->tick_w, text_width (b, PW_CHART_ROLE_TICK_LABEL, text));
    }
  p->lo = p->first;
  p->hi = p->first + (p->n_ticks - 1) * p->step;
}

/* Horizontal space: the axis title and tick labels on the left. Returns
 * FALSE when no plot fits. */
static gboolean
vertical_fit_width (Builder      *b,
                    VerticalPlot *p,
                    int           width)
{
  double axis_h = line_height (b, PW_CHART_ROLE_AXIS_TITLE);
  double left = b->pad + (has_text (p->y_title) ? axis_h + b->gap : 0) + p->tick_w + b->gap;
  double right = b->pad;

  if (p->use_edges)
    {
      /* Edge labels are centred on the last edge: leave room for half. */
      g_autofree char *last = pw_chart_format_number (PW_CHART_VALUE_INTEGER, p->edges[p->n]);

      right += text_width (b, PW_CHART_ROLE_CATEGORY_LABEL, last) / 2;
    }
  p->plot_x = left;
  p->plot_w = width - right - p->plot_x;
  return p->plot_w >= 4 * b->s;
}

/* The y of value @v. */
static double
vertical_y (const VerticalPlot *p,
            double              v)
{
  return p->plot_y + p->plot_h - (v - p->lo) / (p->hi - p->lo) * p->plot_h;
}

/* Grid lines and tick labels. */
static void
vertical_add_ticks (Builder            *b,
                    const VerticalPlot *p)
{
  GdkRGBA grid = with_alpha (&b->style->foreground, 0.12);

  for (guint t = 0; t < p->n_ticks; t++)
    {
      double v = p->first + t * p->step;
      double y = round (vertical_y (p, v)) + 0.5;
      g_autofree char *text = pw_chart_format_tick (p->format, v, p->step);
      guint index;

      if (fabs (v) > p->step * 1e-9)
        add_line (b, PW_CHART_ROLE_GRID, p->plot_x, y, p->plot_x + p->plot_w, y, &grid, MAX (1, b->s));
      index = add_text (b, PW_CHART_ROLE_TICK_LABEL, text, 0);
      move_text (b, index, p->plot_x - b->gap - item_at (b, index)->width, y - item_at (b, index)->height / 2);
    }
}

/* The bars, each with its value over it (under it when negative) if the
 * values fit, a little smaller if need be; the highlighted category's
 * values always. Then the zero line over the bars' feet. */
static void
vertical_add_bars (Builder      *b,
                   VerticalPlot *p)
{
  PwChart *chart = b->chart;
  GdkRGBA base = with_alpha (&b->style->foreground, 0.5);
  double group, bar_w;
  gboolean show_values;

  p->slot = p->plot_w / p->n;
  if (p->histogram)
    group = p->slot - MIN (MAX (1, 2 * b->s), p->slot / 4);
  else
    group = p->slot * (p->n_series > 1 ? 0.8 : 0.7);
  bar_w = group / p->n_series;

  show_values = widest_value_label (b) <= (p->histogram ? p->slot : bar_w) - 2;
  if (!show_values)
    {
      b->value_scale = 0.8;
      show_values = widest_value_label (b) <= (p->histogram ? p->slot : bar_w) - 2;
      if (!show_values)
        b->value_scale = 1;
    }

  for (guint i = 0; i < p->n; i++)
    for (guint s = 0; s < p->n_series; s++)
      {
        double v = pw_chart_get_value (chart, s, i);
        double y0 = vertical_y (p, 0);
        double y1 = vertical_y (p, v);
        double x = p->plot_x + i * p->slot + (p->slot - group) / 2 + s * bar_w;

        if (fabs (y1 - y0) >= 0.5)
          add_bar (b, i, s, x, MIN (y0, y1), bar_w, fabs (y1 - y0), v >= 0 ? 1 : -1);

        if (show_values || (int) i == pw_chart_get_highlight (chart))
          {
            g_autofree char *text = pw_chart_format_value (chart, v);
            guint index = add_text (b, PW_CHART_ROLE_VALUE_LABEL, text, 0);
            PwChartItem *item = item_at (b, index);
            double ly = v >= 0 ? MIN (y0, y1) - b->gap / 2 - item->height : MAX (y0, y1) + b->gap / 2;

            item->category = i;
            item->series = s;
            move_text (b, index, x + bar_w / 2 - item->width / 2, ly);
          }
      }

  {
    double y = round (vertical_y (p, 0)) + 0.5;

    add_line (b, PW_CHART_ROLE_BASELINE, p->plot_x, y, p->plot_x + p->plot_w, y, &base, MAX (1, b->s));
  }
}

/* A histogram's bin edges under the axis, each with a tick, thinned out so
 * that none overlap; the last one moves to the last edge. */
static void
vertical_add_edge_labels (Builder            *b,
                          const VerticalPlot *p)
{
  GdkRGBA base = with_alpha (&b->style->foreground, 0.5);
  double widest = 0;
  guint label_every;

  for (guint i = 0; i <= p->n; i++)
    {
      g_autofree char *text = pw_chart_format_number (PW_CHART_VALUE_INTEGER, p->edges[i]);

      widest = MAX (widest, text_width (b, PW_CHART_ROLE_CATEGORY_LABEL, text));
    }
  label_every = (guint) ceil ((widest + 2 * b->gap) / p->slot);
  label_every = MAX (label_every, 1);
  for (guint i = 0; i <= p->n; i += label_every)
    {
      /* The last label moves to the last edge: the axis ends labelled. */
      guint e = i > 0 && i + label_every > p->n ? p->n : i;
      g_autofree char *text = pw_chart_format_number (PW_CHART_VALUE_INTEGER, p->edges[e]);
      guint index = add_text (b, PW_CHART_ROLE_CATEGORY_LABEL, text, 0);
      double x = p->plot_x + e * p->slot;

      add_line (b, PW_CHART_ROLE_GRID, x, p->bottom, x, p->bottom + b->gap / 2, &base, MAX (1, b->s));
      move_text (b, index, x - item_at (b, index)->width / 2, p->bottom + p->label_gap);
    }
}

/* The category labels under their bars, thinned out so that none overlap. */
static void
vertical_add_category_labels (Builder            *b,
                              const VerticalPlot *p)
{
  PwChart *chart = b->chart;
  double widest = widest_category_label (b);
  guint label_every = MAX (1, (guint) ceil ((widest + b->gap) / p->slot));

  for (guint i = 0; i < p->n; i += label_every)
    {
      guint index = add_text (b, PW_CHART_ROLE_CATEGORY_LABEL, pw_chart_get_category (chart, i),
                              p->slot * label_every - b->gap);
      PwChartItem *item;

      if ((int) i == pw_chart_get_highlight (chart))
        emphasize_text (b, index);
      item = item_at (b, index);
      item->category = i;
      move_text (b, index, p->plot_x + (i + 0.5) * p->slot - item->width / 2, p->bottom + p->label_gap);
    }
}

/* The category axis's title at the bottom, the value axis's on the left. */
static void
vertical_add_axis_titles (Builder            *b,
                          const VerticalPlot *p,
                          int                 height)
{
  if (has_text (p->x_title))
    {
      guint index = add_text (b, PW_CHART_ROLE_AXIS_TITLE, p->x_title, p->plot_w);

      move_text (b, index, p->plot_x + p->plot_w / 2 - item_at (b, index)->width / 2,
                 height - b->pad - item_at (b, index)->height);
    }
  if (has_text (p->y_title))
    {
      guint index = add_text (b, PW_CHART_ROLE_AXIS_TITLE, p->y_title, p->plot_h + p->value_h);

      rotate_text (b, index);
      move_text (b, index, b->pad, p->plot_y + p->plot_h / 2 - item_at (b, index)->height / 2);
    }
}

/* Stacked bars: one per category, its series end to end from zero, each
 * segment labelled inside when its value fits, in black or white, whichever
 * reads better on the segment's colour. */
static void
layout_stacked (Builder *b,
                double   plot_x,
                double   plot_y,
                double   plot_w,
                double   row,
                double   bar_h,
                double   lo,
                double   hi)
{
  PwChart *chart = b->chart;
  guint n_series = pw_chart_get_n_series (chart);

  for (guint i = 0; i < pw_chart_get_n_categories (chart); i++)
    {
      double acc = 0;
      double y = plot_y + i * row + (row - bar_h) / 2;

      for (guint s = 0; s < n_series; s++)
        {
          double v = MAX (0, pw_chart_get_value (chart, s, i));
          double x0 = plot_x + (acc - lo) / (hi - lo) * plot_w;
          double x1 = plot_x + (acc + v - lo) / (hi - lo) * plot_w;
          g_autofree char *text = NULL;
          PwChartItem *bar;
          guint index;

          acc += v;
          if (x1 - x0 < 0.5)
            continue;
          add_bar (b, i, s, x0, y, x1 - x0, bar_h, 1);
          bar = item_at (b, b->layout->items->len - 1);
          bar->radius = 0;
          text = pw_chart_format_value (chart, v);
          index = add_text (b, PW_CHART_ROLE_VALUE_LABEL, text, 0);
          if (item_at (b, index)->width + b->gap > x1 - x0 || item_at (b, index)->height > bar_h)
            {
              remove_items_from (b, index);
              continue;
            }
          {
            const GdkRGBA *c = &item_at (b, index - 1)->color;
            double luminance = 0.2126 * c->red + 0.7152 * c->green + 0.0722 * c->blue;
            PwChartItem *item = item_at (b, index);

            item->color = luminance > 0.55 ? (GdkRGBA) { 0, 0, 0, 0.87 } : (GdkRGBA) { 1, 1, 1, 1 };
            item->category = i;
            item->series = s;
            move_text (b, index, (x0 + x1) / 2 - item->width / 2, y + bar_h / 2 - item->height / 2);
          }
        }
    }
}

typedef struct
{
  guint n;           /* columns */
  guint n_rows;      /* the longest list */
  guint n_left;      /* the most texts that left one list */
  double col_w;
  double col_gap;
  double row_h;
  double rank_w;
  double heading_h;
  double left_h;     /* the "Left the list" caption */
  double bottom;     /* nothing is drawn below */
} ColumnsPlot;

/* Measures the columns at the builder's current scale; returns the height
 * they need below @top. */
static double
columns_measure (Builder     *b,
                 ColumnsPlot *p)
{
  guint mark = b->layout->items->len;
  double need;

  p->row_h = round (line_height (b, PW_CHART_ROLE_CELL) * 1.35);
  p->rank_w = text_width (b, PW_CHART_ROLE_TICK_LABEL, "10") + b->gap;
  p->heading_h = 0;
  for (guint c = 0; c < p->n; c++)
    {
      guint t = add_text (b, PW_CHART_ROLE_COLUMN_HEADING, pw_chart_get_category (b->chart, c), p->col_w);

      wrap_text (b, t, p->col_w, 2);
      p->heading_h = MAX (p->heading_h, item_at (b, t)->height);
    }
  remove_items_from (b, mark);
  p->left_h = line_height (b, PW_CHART_ROLE_LEGEND_LABEL);
  need = p->heading_h + b->gap + p->n_rows * p->row_h;
  if (p->n_left > 0)
    need += 2 * b->gap + p->left_h + b->gap / 2 + p->n_left * p->row_h;
  return need + b->pad;
}

/* Where a line strikes a text through: a little above the middle of its
 * lower-case letters, above the baseline. */
static double
strike_y (const PwChartItem *item)
{
  double baseline = pango_layout_get_baseline (item->layout) / (double) PANGO_SCALE;

  return round (item->y + baseline * 0.68);
}

/* The legend of the marks: a tinted swatch for "entered", a struck-through
 * sample for "left"; returns the y below it. */
static double
columns_add_legend (Builder *b,
                    double   y,
                    int      width)
{
  double lh = line_height (b, PW_CHART_ROLE_LEGEND_LABEL);
  double swatch = round (lh * 0.75);
  /* Translators: the legend of the live-event columns */
  guint t = add_text (b, PW_CHART_ROLE_LEGEND_LABEL, _("Entered the list"), 0);
  double x = b->pad;
  PwChartItem *sw = add_item (b, PW_CHART_ITEM_RECT, PW_CHART_ROLE_MARK);
  GdkRGBA dim = with_alpha (&b->style->foreground, 0.55);

  sw->x = x;
  sw->y = y + (lh - swatch) / 2;
  sw->width = sw->height = swatch;
  sw->radius = 2 * b->s;
  sw->color = with_alpha (&b->style->palette[1], 0.3);
  move_text (b, t, x + swatch + b->gap, y);
  x += swatch + b->gap + item_at (b, t)->width + 3 * b->gap;

  /* Translators: the legend of the live-event columns */
  t = add_text (b, PW_CHART_ROLE_LEGEND_LABEL, _("Left the list"), 0);
  if (x + item_at (b, t)->width > width - b->pad)
    {
      x = b->pad;
      y += lh + b->gap / 2;
    }
  item_at (b, t)->color = dim;
  move_text (b, t, x, y);
  add_line (b, PW_CHART_ROLE_MARK, x, strike_y (item_at (b, t)), x + item_at (b, t)->width, strike_y (item_at (b, t)),
            &dim, MAX (1, b->s));
  return y + lh + 1.5 * b->gap;
}

/* One row of a column: its rank (none for texts that left), the text,
 * tinted green (as the page marks "New") when it entered, struck through when it left. */
static void
columns_add_cell (Builder           *b,
                  const ColumnsPlot *p,
                  guint              column,
                  guint              rank,
                  double             x,
                  double             y,
                  const char        *text,
                  PwChartMark        mark)
{
  double text_x = x + (mark == PW_CHART_MARK_LEFT ? 0 : p->rank_w);
  guint t;

  /* A chart too small for every row shows the rows that fit, never text
   * beyond its edges (the table beside it has them all). */
  if (y + p->row_h > p->bottom || x + p->col_w - text_x < 1)
    return;
  if (mark == PW_CHART_MARK_ENTERED)
    {
      PwChartItem *tint = add_item (b, PW_CHART_ITEM_RECT, PW_CHART_ROLE_MARK);

      tint->x = x - b->gap / 2;
      tint->y = y;
      tint->width = p->col_w + b->gap / 2;
      tint->height = p->row_h - MAX (1, round (b->s));
      tint->radius = 3 * b->s;
      tint->category = column;
      tint->color = with_alpha (&b->style->palette[1], 0.3);
    }
  if (mark != PW_CHART_MARK_LEFT)
    {
      g_autofree char *number = g_strdup_printf ("%u", rank);
      guint r = add_text (b, PW_CHART_ROLE_TICK_LABEL, number, 0);
      PwChartItem *item = item_at (b, r);

      item->category = column;
      move_text (b, r, x + p->rank_w - b->gap - item->width, y + (p->row_h - item->height) / 2);
    }
  t = add_text (b, PW_CHART_ROLE_CELL, text, x + p->col_w - text_x);
  item_at (b, t)->category = column;
  if (mark == PW_CHART_MARK_ENTERED)
    emphasize_text (b, t);
  move_text (b, t, text_x, y + (p->row_h - item_at (b, t)->height) / 2);
  if (mark == PW_CHART_MARK_LEFT)
    {
      PwChartItem *item = item_at (b, t);
      GdkRGBA dim = with_alpha (&b->style->foreground, 0.55);
      double mid = strike_y (item);
      double w = item->width;

      item->color = dim;
      add_line (b, PW_CHART_ROLE_MARK, text_x, mid, text_x + w, mid, &dim, MAX (1, b->s));
    }
}

/* The columns kind: lists side by side, each headed by its label; the
 * type shrinks (down to half) until the longest column fits. */
static void
layout_columns (Builder *b,
                double   top,
                int      width,
                int      height)
{
  PwChart *chart = b->chart;
  ColumnsPlot p = { 0 };
  GdkRGBA grid = with_alpha (&b->style->foreground, 0.15);
  double scale = b->s;

  p.n = pw_chart_get_n_categories (chart);
  for (guint c = 0; c < p.n; c++)
    {
      guint n_listed = 0;
      guint n_cells = pw_chart_get_n_cells (chart, c);

      for (guint i = 0; i < n_cells; i++)
        {
          PwChartMark mark = PW_CHART_MARK_NONE;

          pw_chart_get_cell (chart, c, i, &mark);
          n_listed += mark != PW_CHART_MARK_LEFT;
        }
      p.n_rows = MAX (p.n_rows, n_listed);
      p.n_left = MAX (p.n_left, n_cells - n_listed);
    }

  top = columns_add_legend (b, top, width);
  p.bottom = height - b->pad;
  for (guint attempt = 0; attempt < 4; attempt++)
    {
      double need;

      p.col_gap = round (3 * b->gap);
      p.col_w = MAX (1, (width - 2 * b->pad - (p.n - 1) * p.col_gap) / p.n);
      need = columns_measure (b, &p);
      if (need <= height - top || b->s <= scale * 0.5)
        break;
      b->s = MAX (scale * 0.5, b->s * (height - top) / need * 0.98);
      b->gap = round (6 * b->s);
    }

  for (guint c = 0; c < p.n; c++)
    {
      double x = b->pad + c * (p.col_w + p.col_gap);
      double y = top;
      guint rank = 0;
      gboolean left_caption = FALSE;
      guint t;

      if (y + p.heading_h > p.bottom)
        break;
      t = add_text (b, PW_CHART_ROLE_COLUMN_HEADING, pw_chart_get_category (chart, c), p.col_w);
      wrap_text (b, t, p.col_w, 2);
      item_at (b, t)->category = c;
      move_text (b, t, x, y + p.heading_h - item_at (b, t)->height);
      y += p.heading_h + b->gap / 2;
      add_line (b, PW_CHART_ROLE_BASELINE, x, y, x + p.col_w, y, &grid, MAX (1, b->s));
      y += b->gap / 2;
      if (c > 0)
        add_line (b, PW_CHART_ROLE_GRID, x - p.col_gap / 2, top, x - p.col_gap / 2, height - b->pad, &grid, MAX (1, b->s));

      for (guint i = 0; i < pw_chart_get_n_cells (chart, c); i++)
        {
          PwChartMark mark = PW_CHART_MARK_NONE;
          const char *text = pw_chart_get_cell (chart, c, i, &mark);

          if (mark == PW_CHART_MARK_LEFT)
            continue;
          columns_add_cell (b, &p, c, ++rank, x, y, text, mark);
          y += p.row_h;
        }
      y = top + p.heading_h + b->gap + p.n_rows * p.row_h + 2 * b->gap;
      for (guint i = 0; i < pw_chart_get_n_cells (chart, c); i++)
        {
          PwChartMark mark = PW_CHART_MARK_NONE;
          const char *text = pw_chart_get_cell (chart, c, i, &mark);

          if (mark != PW_CHART_MARK_LEFT)
            continue;
          if (!left_caption && y + p.left_h <= p.bottom)
            {
              guint l = add_text (b, PW_CHART_ROLE_LEGEND_LABEL, _("Left the list"), p.col_w);

              item_at (b, l)->category = c;
              move_text (b, l, x, y);
              y += p.left_h + b->gap / 2;
              left_caption = TRUE;
            }
          columns_add_cell (b, &p, c, 0, x, y, text, mark);
          y += p.row_h;
        }
    }
}

static void
layout_vertical (Builder *b,
                 double   top,
                 int      width,
                 int      height)
{
  PwChart *chart = b->chart;
  VerticalPlot p = { 0 };
  guint n_edges = 0;

  p.n = pw_chart_get_n_categories (chart);
  p.n_series = pw_chart_get_n_series (chart);
  p.histogram = pw_chart_get_kind (chart) == PW_CHART_KIND_HISTOGRAM;
  p.use_edges = p.histogram && pw_chart_get_edges (chart, &p.edges, &n_edges) && n_edges == p.n + 1;
  p.format = pw_chart_get_value_format (chart);
  p.x_title = pw_chart_get_category_title (chart);
  p.y_title = pw_chart_get_value_title (chart);

  if (!vertical_fit_height (b, &p, top, height))
    return;
  vertical_choose_ticks (b, &p);
  if (!vertical_fit_width (b, &p, width))
    return;
  vertical_add_ticks (b, &p);
  vertical_add_bars (b, &p);
  if (p.use_edges)
    vertical_add_edge_labels (b, &p);
  else
    vertical_add_category_labels (b, &p);
  vertical_add_axis_titles (b, &p, height);
}

static void
layout_horizontal (Builder *b,
                   double   top,
                   int      width,
                   int      height)
{
  PwChart *chart = b->chart;
  guint n = pw_chart_get_n_categories (chart);
  guint n_series = pw_chart_get_n_series (chart);
  PwChartValueFormat format = pw_chart_get_value_format (chart);
  double tick_h = line_height (b, PW_CHART_ROLE_TICK_LABEL);
  double cat_h = line_height (b, PW_CHART_ROLE_CATEGORY_LABEL);
  double value_h = line_height (b, PW_CHART_ROLE_VALUE_LABEL);
  double axis_h = line_height (b, PW_CHART_ROLE_AXIS_TITLE);
  const char *cat_title = pw_chart_get_category_title (chart);
  const char *value_title = pw_chart_get_value_title (chart);
  double lo, hi, first, step;
  double plot_x, plot_y, plot_w, plot_h, label_w, value_w, row, group, bar_h, tick_w, labels_right;
  guint n_ticks, max_ticks, label_every;
  gboolean show_values;
  GdkRGBA grid = with_alpha (&b->style->foreground, 0.12);
  GdkRGBA base = with_alpha (&b->style->foreground, 0.5);

  label_w = MIN (widest_category_label (b), width * 0.4);
  value_w = widest_value_label (b);

  plot_y = top;
  plot_h = height - b->pad - tick_h - b->gap - plot_y;
  if (has_text (value_title))
    plot_h -= axis_h + b->gap;
  row = plot_h / n;
  show_values = row >= value_h * 0.9 && pw_chart_get_kind (chart) != PW_CHART_KIND_STACKED;

  value_range (chart, &lo, &hi);
  {
    /* The widest tick label: a round number with one more digit than the
     * largest value (the last tick may round up to it). */
    double round_up = pow (10, ceil (log10 (MAX (MAX (fabs (lo), fabs (hi)), 1e-6)) + 1e-9));
    g_autofree char *widest = pw_chart_format_number (format, round_up);

    tick_w = text_width (b, PW_CHART_ROLE_TICK_LABEL, widest);
  }

  /* The last tick label is centred on the plot's right end. */
  labels_right = b->pad + (has_text (cat_title) ? axis_h + b->gap : 0) + label_w;
  plot_x = labels_right + b->gap;
  /* Negative values are labelled left of their bars. */
  if (lo < 0 && show_values)
    plot_x += value_w + b->gap;
  plot_w = width - b->pad - plot_x - MAX (show_values ? value_w + b->gap : 0, tick_w / 2);
  if (plot_w < 4 * b->s || plot_h < 4 * b->s)
    return;
  max_ticks = CLAMP ((guint) (plot_w / (tick_w + 3 * b->gap)), 2, 8);
  n_ticks = pw_chart_nice_ticks (lo, hi, max_ticks, format == PW_CHART_VALUE_INTEGER, &first, &step);
  lo = first;
  hi = first + (n_ticks - 1) * step;

  for (guint t = 0; t < n_ticks; t++)
    {
      double v = first + t * step;
      double x = round (plot_x + (v - lo) / (hi - lo) * plot_w) + 0.5;
      g_autofree char *text = pw_chart_format_tick (format, v, step);
      guint index;

      if (fabs (v) > step * 1e-9)
        add_line (b, PW_CHART_ROLE_GRID, x, plot_y, x, plot_y + plot_h, &grid, MAX (1, b->s));
      index = add_text (b, PW_CHART_ROLE_TICK_LABEL, text, 0);
      move_text (b, index, x - item_at (b, index)->width / 2, plot_y + plot_h + b->gap);
    }

  /* Bars no thicker than about two lines of text, however few rows. */
  group = MIN (row * (n_series > 1 ? 0.8 : 0.7), n_series * 1.6 * cat_h);
  bar_h = group / n_series;
  if (pw_chart_get_kind (chart) == PW_CHART_KIND_STACKED)
    layout_stacked (b, plot_x, plot_y, plot_w, row, MIN (row * 0.7, 2.4 * cat_h), lo, hi);
  for (guint i = 0; pw_chart_get_kind (chart) != PW_CHART_KIND_STACKED && i < n; i++)
    for (guint s = 0; s < n_series; s++)
      {
        double v = pw_chart_get_value (chart, s, i);
        double x0 = plot_x + (0 - lo) / (hi - lo) * plot_w;
        double x1 = plot_x + (v - lo) / (hi - lo) * plot_w;
        double y = plot_y + i * row + (row - group) / 2 + s * bar_h;

        if (fabs (x1 - x0) >= 0.5)
          add_bar (b, i, s, MIN (x0, x1), y, fabs (x1 - x0), bar_h, v >= 0 ? 1 : -1);
        if ((show_values && bar_h >= value_h * 0.75) ||
            (show_values && n_series == 1) ||
            (int) i == pw_chart_get_highlight (chart))
          {
            g_autofree char *text = pw_chart_format_value (chart, v);
            guint index = add_text (b, PW_CHART_ROLE_VALUE_LABEL, text, 0);
            PwChartItem *item = item_at (b, index);
            double lx = v >= 0 ? MAX (x0, x1) + b->gap / 2 : MIN (x0, x1) - b->gap / 2 - item->width;

            item->category = i;
            item->series = s;
            move_text (b, index, lx, y + bar_h / 2 - item->height / 2);
          }
      }

  {
    double x = round (plot_x + (0 - lo) / (hi - lo) * plot_w) + 0.5;

    add_line (b, PW_CHART_ROLE_BASELINE, x, plot_y, x, plot_y + plot_h, &base, MAX (1, b->s));
  }

  label_every = MAX (1, (guint) ceil (cat_h / row));
  for (guint i = 0; i < n; i += label_every)
    {
      guint index = add_text (b, PW_CHART_ROLE_CATEGORY_LABEL, pw_chart_get_category (chart, i), label_w);
      PwChartItem *item;

      if ((int) i == pw_chart_get_highlight (chart))
        emphasize_text (b, index);
      item = item_at (b, index);
      item->category = i;
      move_text (b, index, labels_right - item->width, plot_y + (i + 0.5) * row - item->height / 2);
    }

  if (has_text (value_title))
    {
      guint index = add_text (b, PW_CHART_ROLE_AXIS_TITLE, value_title, plot_w);

      move_text (b, index, plot_x + plot_w / 2 - item_at (b, index)->width / 2,
                 height - b->pad - item_at (b, index)->height);
    }
  if (has_text (cat_title))
    {
      guint index = add_text (b, PW_CHART_ROLE_AXIS_TITLE, cat_title, plot_h);

      rotate_text (b, index);
      move_text (b, index, b->pad, plot_y + plot_h / 2 - item_at (b, index)->height / 2);
    }
}

/* Whether the category labels fit under vertical bars. */
static gboolean
labels_fit_vertically (Builder *b,
                       int      width)
{
  guint n = pw_chart_get_n_categories (b->chart);
  /* A rough plot width: the tick labels and the axis title take ~15%. */
  double slot = (width - 2 * b->pad) * 0.85 / n;

  return widest_category_label (b) + b->gap <= slot;
}

/**
 * pw_chart_layout_new:
 * @chart: a chart
 * @context: the Pango context to measure text with (from the cairo
 *   context it will be painted on: pango_cairo_create_context())
 * @width: the width in pixels
 * @height: the height in pixels
 * @style: colours and fonts
 *
 * Places everything the chart draws.
 *
 * Returns: (transfer full): the layout
 */
PwChartLayout *
pw_chart_layout_new (PwChart            *chart,
                     PangoContext       *context,
                     int                 width,
                     int                 height,
                     const PwChartStyle *style)
{
  PwChartLayout *self;
  Builder b = { 0 };
  double top;

  g_return_val_if_fail (PW_IS_CHART (chart), NULL);
  g_return_val_if_fail (PANGO_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (style != NULL, NULL);

  self = g_new0 (PwChartLayout, 1);
  self->items = g_array_new (FALSE, TRUE, sizeof (PwChartItem));
  g_array_set_clear_func (self->items, (GDestroyNotify) item_clear);
  self->width = width;
  self->height = height;
  self->fill_background = style->fill_background;
  self->background = style->background;

  if (width <= 0 || height <= 0)
    return self;

  b.chart = chart;
  b.style = style;
  b.context = context;
  b.layout = self;
  b.s = style->scale > 0 ? style->scale : 1;
  b.pad = round (MIN (16 * b.s, MIN (width, height) / 16.0));
  b.gap = round (6 * b.s);
  b.value_scale = 1;

  top = layout_header (&b, width);

  if (pw_chart_is_empty (chart))
    {
      guint index = add_text (&b, PW_CHART_ROLE_NO_DATA, _("No data"), width - 2 * b.pad);
      PwChartItem *item = item_at (&b, index);

      move_text (&b, index, (width - item->width) / 2,
                 MAX (top, top + (height - top - item->height) / 2));
      return self;
    }

  if (pw_chart_get_kind (chart) == PW_CHART_KIND_COLUMNS)
    {
      layout_columns (&b, top, width, height);
      return self;
    }

  switch (pw_chart_get_orientation (chart))
    {
    case PW_CHART_ORIENTATION_HORIZONTAL:
      self->horizontal = pw_chart_get_kind (chart) != PW_CHART_KIND_HISTOGRAM;
      break;
    case PW_CHART_ORIENTATION_VERTICAL:
      self->horizontal = pw_chart_get_kind (chart) == PW_CHART_KIND_STACKED;
      break;
    case PW_CHART_ORIENTATION_AUTO:
    default:
      self->horizontal = pw_chart_get_kind (chart) == PW_CHART_KIND_STACKED ||
                         (pw_chart_get_kind (chart) == PW_CHART_KIND_BAR && !labels_fit_vertically (&b, width));
      break;
    }

  if (self->horizontal)
    layout_horizontal (&b, top, width, height);
  else
    layout_vertical (&b, top, width, height);

  return self;
}

void
pw_chart_layout_free (PwChartLayout *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->items);
  g_free (self);
}

guint
pw_chart_layout_get_n_items (PwChartLayout *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->items->len;
}

const PwChartItem *
pw_chart_layout_get_item (PwChartLayout *self,
                          guint          index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->items->len, NULL);
  return &g_array_index (self->items, PwChartItem, index);
}

gboolean
pw_chart_layout_is_horizontal (PwChartLayout *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->horizontal;
}

/**
 * pw_chart_layout_find_bar:
 * @self: a layout
 * @x: a point
 * @y: a point
 * @series: (out) (optional): the bar's series
 *
 * Finds the bar at (@x, @y), or under it or beside it within its category's
 * band, so that short bars are easy to point at.
 *
 * Returns: the bar's category, or -1
 */
int
pw_chart_layout_find_bar (PwChartLayout *self,
                          double         x,
                          double         y,
                          int           *series)
{
  g_return_val_if_fail (self != NULL, -1);

  for (guint i = 0; i < self->items->len; i++)
    {
      const PwChartItem *item = &g_array_index (self->items, PwChartItem, i);

      if (item->role != PW_CHART_ROLE_BAR)
        continue;
      if (x >= item->x && x < item->x + item->width && y >= item->y && y < item->y + item->height)
        {
          if (series != NULL)
            *series = item->series;
          return item->category;
        }
    }
  return -1;
}

/* A rectangle with its outer end (the end away from the baseline) rounded. */
static void
bar_path (cairo_t           *cr,
          const PwChartItem *item,
          gboolean           horizontal)
{
  double x = item->x, y = item->y, w = item->width, h = item->height;
  double r = item->radius;

  if (r < 0.5 || item->role != PW_CHART_ROLE_BAR)
    {
      if (r >= 0.5)
        {
          /* Swatches: all corners. */
          cairo_new_sub_path (cr);
          cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
          cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
          cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
          cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
          cairo_close_path (cr);
        }
      else
        cairo_rectangle (cr, x, y, w, h);
      return;
    }

  cairo_new_sub_path (cr);
  if (!horizontal && item->bar_end > 0)
    {
      cairo_move_to (cr, x, y + h);
      cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
      cairo_arc (cr, x + w - r, y + r, r, 3 * G_PI / 2, 2 * G_PI);
      cairo_line_to (cr, x + w, y + h);
    }
  else if (!horizontal)
    {
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x + w, y);
      cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
      cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
    }
  else if (item->bar_end > 0)
    {
      cairo_move_to (cr, x, y);
      cairo_arc (cr, x + w - r, y + r, r, 3 * G_PI / 2, 2 * G_PI);
      cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
      cairo_line_to (cr, x, y + h);
    }
  else
    {
      cairo_move_to (cr, x + w, y);
      cairo_line_to (cr, x + w, y + h);
      cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
      cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
    }
  cairo_close_path (cr);
}

/**
 * pw_chart_layout_paint:
 * @self: a layout
 * @cr: a cairo context, with the same font options as the Pango context
 *   the layout was made with
 *
 * Paints the layout: background (if the style fills it), then every item.
 */
void
pw_chart_layout_paint (PwChartLayout *self,
                       cairo_t       *cr)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  if (self->fill_background)
    {
      gdk_cairo_set_source_rgba (cr, &self->background);
      cairo_rectangle (cr, 0, 0, self->width, self->height);
      cairo_fill (cr);
    }

  for (guint i = 0; i < self->items->len; i++)
    {
      const PwChartItem *item = &g_array_index (self->items, PwChartItem, i);

      gdk_cairo_set_source_rgba (cr, &item->color);
      switch (item->type)
        {
        case PW_CHART_ITEM_RECT:
          bar_path (cr, item, self->horizontal);
          cairo_fill (cr);
          break;
        case PW_CHART_ITEM_LINE:
          cairo_set_line_width (cr, item->line_width);
          cairo_move_to (cr, item->x, item->y);
          cairo_rel_line_to (cr, item->width, item->height);
          cairo_stroke (cr);
          break;
        case PW_CHART_ITEM_TEXT:
          cairo_save (cr);
          if (item->rotated)
            {
              cairo_translate (cr, item->x, item->y + item->height);
              cairo_rotate (cr, -G_PI / 2);
            }
          else
            cairo_translate (cr, item->x, item->y);
          pango_cairo_update_layout (cr, item->layout);
          pango_cairo_show_layout (cr, item->layout);
          cairo_restore (cr);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  cairo_restore (cr);
}

/**
 * pw_chart_draw:
 * @chart: a chart
 * @cr: where to draw, with (0, 0) at the chart's top left corner
 * @width: the width in pixels (or points for PDF)
 * @height: the height
 * @style: colours and fonts
 *
 * Draws @chart: the one draw function behind the widgets and every export.
 * Safe to call from any thread, one chart per thread.
 */
void
pw_chart_draw (PwChart            *chart,
               cairo_t            *cr,
               int                 width,
               int                 height,
               const PwChartStyle *style)
{
  PangoContext *context;
  g_autoptr(PwChartLayout) layout = NULL;

  g_return_if_fail (PW_IS_CHART (chart));
  g_return_if_fail (cr != NULL);
  g_return_if_fail (style != NULL);

  context = pango_cairo_create_context (cr);
  layout = pw_chart_layout_new (chart, context, width, height, style);
  pw_chart_layout_paint (layout, cr);
  g_object_unref (context);
}
