/* pw-chart.h: the data a chart shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pw-chart-enums.h"

G_BEGIN_DECLS

/**
 * PwChartKind:
 * @PW_CHART_KIND_BAR: one bar (or a group of bars, one per series) per
 *   category; categories are labels.
 * @PW_CHART_KIND_HISTOGRAM: contiguous bars over numeric bins; the axis is
 *   labelled at the bin edges (see pw_chart_set_bins()).
 * @PW_CHART_KIND_STACKED: one horizontal bar per category, its series
 *   stacked end to end (shares of a whole, e.g. genres of a list).
 * @PW_CHART_KIND_COLUMNS: lists of texts side by side, one column per
 *   category headed by its label, each text marked as entered or left
 *   (the live-event lists); see pw_chart_add_column(). No series.
 */
typedef enum
{
  PW_CHART_KIND_BAR,
  PW_CHART_KIND_HISTOGRAM,
  PW_CHART_KIND_STACKED,
  PW_CHART_KIND_COLUMNS,
} PwChartKind;

/**
 * PwChartMark:
 * @PW_CHART_MARK_NONE: a text of a column's list, in the list before too.
 * @PW_CHART_MARK_ENTERED: a text that entered the list in this column.
 * @PW_CHART_MARK_LEFT: a text of the column before that left the list;
 *   drawn after the list, struck through.
 */
typedef enum
{
  PW_CHART_MARK_NONE,
  PW_CHART_MARK_ENTERED,
  PW_CHART_MARK_LEFT,
} PwChartMark;

/**
 * PwChartOrientation:
 * @PW_CHART_ORIENTATION_AUTO: vertical bars unless the category labels do
 *   not fit under them; then horizontal bars (bar charts only).
 * @PW_CHART_ORIENTATION_VERTICAL: bars grow upwards.
 * @PW_CHART_ORIENTATION_HORIZONTAL: bars grow to the right, labels on the
 *   left (for many or long category labels, e.g. genres).
 */
typedef enum
{
  PW_CHART_ORIENTATION_AUTO,
  PW_CHART_ORIENTATION_VERTICAL,
  PW_CHART_ORIENTATION_HORIZONTAL,
} PwChartOrientation;

/**
 * PwChartValueFormat:
 * @PW_CHART_VALUE_INTEGER: whole numbers with thousands separators (1,000,209).
 * @PW_CHART_VALUE_FRACTION: three decimals (0.263).
 * @PW_CHART_VALUE_PERCENT: a fraction shown as a percentage (0.125 is 12.5%).
 */
typedef enum
{
  PW_CHART_VALUE_INTEGER,
  PW_CHART_VALUE_FRACTION,
  PW_CHART_VALUE_PERCENT,
} PwChartValueFormat;

/**
 * PwChartTableFormat:
 * @PW_CHART_TABLE_TSV: tab-separated, raw numbers (for spreadsheets).
 * @PW_CHART_TABLE_MARKDOWN: a Markdown table with formatted numbers.
 */
typedef enum
{
  PW_CHART_TABLE_TSV,
  PW_CHART_TABLE_MARKDOWN,
} PwChartTableFormat;

typedef struct _PwChartBins PwChartBins;

#define PW_TYPE_CHART (pw_chart_get_type ())
G_DECLARE_FINAL_TYPE (PwChart, pw_chart, PW, CHART, GObject)

PwChart            *pw_chart_new                    (PwChartKind          kind);
PwChart            *pw_chart_copy                   (PwChart             *self);

PwChartKind         pw_chart_get_kind               (PwChart             *self);
const char         *pw_chart_get_title              (PwChart             *self);
void                pw_chart_set_title              (PwChart             *self,
                                                     const char          *title);
const char         *pw_chart_get_category_title     (PwChart             *self);
void                pw_chart_set_category_title     (PwChart             *self,
                                                     const char          *title);
const char         *pw_chart_get_value_title        (PwChart             *self);
void                pw_chart_set_value_title        (PwChart             *self,
                                                     const char          *title);
PwChartValueFormat  pw_chart_get_value_format       (PwChart             *self);
void                pw_chart_set_value_format       (PwChart             *self,
                                                     PwChartValueFormat   format);
PwChartOrientation  pw_chart_get_orientation        (PwChart             *self);
void                pw_chart_set_orientation        (PwChart             *self,
                                                     PwChartOrientation   orientation);
int                 pw_chart_get_highlight          (PwChart             *self);
void                pw_chart_set_highlight          (PwChart             *self,
                                                     int                  category);

void                pw_chart_clear                  (PwChart             *self);
void                pw_chart_set_categories         (PwChart             *self,
                                                     const char * const  *labels);
guint               pw_chart_add_series             (PwChart             *self,
                                                     const char          *name,
                                                     const double        *values,
                                                     guint                n_values);
void                pw_chart_add_column             (PwChart             *self,
                                                     const char          *heading,
                                                     const char * const  *texts,
                                                     const PwChartMark   *marks,
                                                     guint                n_texts);
guint               pw_chart_get_n_cells            (PwChart             *self,
                                                     guint                column);
const char         *pw_chart_get_cell               (PwChart             *self,
                                                     guint                column,
                                                     guint                index,
                                                     PwChartMark         *mark);
void                pw_chart_set_bins               (PwChart             *self,
                                                     const PwChartBins   *bins,
                                                     const char          *series_name);

guint               pw_chart_get_n_categories       (PwChart             *self);
const char         *pw_chart_get_category           (PwChart             *self,
                                                     guint                index);
guint               pw_chart_get_n_series           (PwChart             *self);
const char         *pw_chart_get_series_name        (PwChart             *self,
                                                     guint                series);
double              pw_chart_get_value              (PwChart             *self,
                                                     guint                series,
                                                     guint                category);
gboolean            pw_chart_get_edges              (PwChart             *self,
                                                     const double       **edges,
                                                     guint               *n_edges);
gboolean            pw_chart_is_empty               (PwChart             *self);
gboolean            pw_chart_get_range              (PwChart             *self,
                                                     double              *min,
                                                     double              *max);

char               *pw_chart_format_value           (PwChart             *self,
                                                     double               value);
char               *pw_chart_to_table               (PwChart             *self,
                                                     PwChartTableFormat   format);
char               *pw_chart_describe               (PwChart             *self);

char               *pw_chart_format_number          (PwChartValueFormat   format,
                                                     double               value);
char               *pw_chart_format_tick            (PwChartValueFormat   format,
                                                     double               value,
                                                     double               step);

G_END_DECLS
