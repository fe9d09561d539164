/* pw-chart.c: the data a chart shows
 *
 * A chart is categories (labels, or numeric bins for a histogram), one or
 * more series of values over them, a title, axis titles, a value format and
 * an optional highlighted category; or, for the columns kind, one list of
 * marked texts per category (the live-event lists). It knows nothing of widgets: the same
 * object is drawn on screen, exported in a thread (from a copy) and turned
 * into a table for screen readers and the clipboard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-chart"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "pw-chart.h"
#include "pw-chart-bins.h"

typedef struct
{
  char *name;
  GArray *values;   /* double, one per category */
} Series;

typedef struct
{
  GPtrArray *texts;  /* char * */
  GArray *marks;     /* PwChartMark, one per text */
} Column;

struct _PwChart
{
  GObject parent_instance;

  PwChartKind kind;
  char *title;
  char *category_title;
  char *value_title;
  PwChartValueFormat value_format;
  PwChartOrientation orientation;
  int highlight;

  GPtrArray *categories;  /* char * */
  GPtrArray *series;      /* Series * */
  GArray *edges;          /* double, histogram bin edges, or NULL */
  GPtrArray *columns;     /* Column *, one per category (columns kind) */
};

G_DEFINE_FINAL_TYPE (PwChart, pw_chart, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_TITLE,
  PROP_CATEGORY_TITLE,
  PROP_VALUE_TITLE,
  PROP_VALUE_FORMAT,
  PROP_ORIENTATION,
  PROP_HIGHLIGHT,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
series_free (Series *series)
{
  g_free (series->name);
  g_array_unref (series->values);
  g_free (series);
}

static void
column_free (Column *column)
{
  g_ptr_array_unref (column->texts);
  g_array_unref (column->marks);
  g_free (column);
}

static Column *
column_new (void)
{
  Column *column = g_new0 (Column, 1);

  column->texts = g_ptr_array_new_with_free_func (g_free);
  column->marks = g_array_new (FALSE, TRUE, sizeof (PwChartMark));
  return column;
}

static void
emit_changed (PwChart *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
pw_chart_finalize (GObject *object)
{
  PwChart *self = PW_CHART (object);

  g_free (self->title);
  g_free (self->category_title);
  g_free (self->value_title);
  g_ptr_array_unref (self->categories);
  g_ptr_array_unref (self->series);
  g_ptr_array_unref (self->columns);
  g_clear_pointer (&self->edges, g_array_unref);

  G_OBJECT_CLASS (pw_chart_parent_class)->finalize (object);
}

static void
pw_chart_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  PwChart *self = PW_CHART (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_CATEGORY_TITLE:
      g_value_set_string (value, self->category_title);
      break;
    case PROP_VALUE_TITLE:
      g_value_set_string (value, self->value_title);
      break;
    case PROP_VALUE_FORMAT:
      g_value_set_enum (value, self->value_format);
      break;
    case PROP_ORIENTATION:
      g_value_set_enum (value, self->orientation);
      break;
    case PROP_HIGHLIGHT:
      g_value_set_int (value, self->highlight);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_chart_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  PwChart *self = PW_CHART (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_TITLE:
      pw_chart_set_title (self, g_value_get_string (value));
      break;
    case PROP_CATEGORY_TITLE:
      pw_chart_set_category_title (self, g_value_get_string (value));
      break;
    case PROP_VALUE_TITLE:
      pw_chart_set_value_title (self, g_value_get_string (value));
      break;
    case PROP_VALUE_FORMAT:
      pw_chart_set_value_format (self, g_value_get_enum (value));
      break;
    case PROP_ORIENTATION:
      pw_chart_set_orientation (self, g_value_get_enum (value));
      break;
    case PROP_HIGHLIGHT:
      pw_chart_set_highlight (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_chart_class_init (PwChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pw_chart_finalize;
  object_class->get_property = pw_chart_get_property;
  object_class->set_property = pw_chart_set_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       PW_TYPE_CHART_KIND, PW_CHART_KIND_BAR,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATEGORY_TITLE] =
    g_param_spec_string ("category-title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE_TITLE] =
    g_param_spec_string ("value-title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE_FORMAT] =
    g_param_spec_enum ("value-format", NULL, NULL,
                       PW_TYPE_CHART_VALUE_FORMAT, PW_CHART_VALUE_INTEGER,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORIENTATION] =
    g_param_spec_enum ("orientation", NULL, NULL,
                       PW_TYPE_CHART_ORIENTATION, PW_CHART_ORIENTATION_AUTO,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HIGHLIGHT] =
    g_param_spec_int ("highlight", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PwChart::changed:
   *
   * Emitted whenever anything that is drawn changed (data, titles, format).
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pw_chart_init (PwChart *self)
{
  self->highlight = -1;
  self->categories = g_ptr_array_new_with_free_func (g_free);
  self->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_free);
  self->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);
}

/**
 * pw_chart_new:
 * @kind: a bar chart or a histogram
 *
 * Returns: (transfer full): an empty chart
 */
PwChart *
pw_chart_new (PwChartKind kind)
{
  return g_object_new (PW_TYPE_CHART, "kind", kind, NULL);
}

/**
 * pw_chart_copy:
 * @self: a chart
 *
 * A deep copy, e.g. to draw in a thread while the original may change.
 *
 * Returns: (transfer full): the copy
 */
PwChart *
pw_chart_copy (PwChart *self)
{
  PwChart *copy;

  g_return_val_if_fail (PW_IS_CHART (self), NULL);

  copy = pw_chart_new (self->kind);
  copy->title = g_strdup (self->title);
  copy->category_title = g_strdup (self->category_title);
  copy->value_title = g_strdup (self->value_title);
  copy->value_format = self->value_format;
  copy->orientation = self->orientation;
  copy->highlight = self->highlight;
  for (guint i = 0; i < self->categories->len; i++)
    g_ptr_array_add (copy->categories, g_strdup (g_ptr_array_index (self->categories, i)));
  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      Series *c = g_new0 (Series, 1);

      c->name = g_strdup (s->name);
      c->values = g_array_copy (s->values);
      g_ptr_array_add (copy->series, c);
    }
  if (self->edges != NULL)
    copy->edges = g_array_copy (self->edges);
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *col = g_ptr_array_index (self->columns, i);
      Column *c = column_new ();

      for (guint t = 0; t < col->texts->len; t++)
        g_ptr_array_add (c->texts, g_strdup (g_ptr_array_index (col->texts, t)));
      g_array_append_vals (c->marks, col->marks->data, col->marks->len);
      g_ptr_array_add (copy->columns, c);
    }
  return copy;
}

PwChartKind
pw_chart_get_kind (PwChart *self)
{
  g_return_val_if_fail (PW_IS_CHART (self), PW_CHART_KIND_BAR);
  return self->kind;
}

const char *
pw_chart_get_title (PwChart *self)
{
  g_return_val_if_fail (PW_IS_CHART (self), NULL);
  return self->title;
}

void
pw_chart_set_title (PwChart    *self,
                    const char *title)
{
  g_return_if_fail (PW_IS_CHART (self));
  if (set_string (&self->title, title))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
      emit_changed (self);
    }
}

/**
 * pw_chart_get_category_title:
 * @self: a chart
 *
 * Returns: (nullable): the title of the category axis (the bins' axis for
 *   a histogram), e.g. "Genre" or "Interactions per user"
 */
const char *
pw_chart_get_category_title (PwChart *self)
{
  g_return_val_if_fail (PW_IS_CHART (self), NULL);
  return self->category_title;
}

void
pw_chart_set_category_title (PwChart    *self,
                             const char *title)
{
  g_return_if_fail (PW_IS_CHART (self));
  if (set_string (&self->category_title, title))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY_TITLE]);
      emit_changed (self);
    }
}

/**
 * pw_chart_get_value_title:
 * @self: a chart
 *
 * Returns: (nullable): the title of the value axis, e.g. "Users"
 */
const char *
pw_chart_get_value_title (PwChart *self)
{
  g_return_val_if_fail (PW_IS_CHART (self), NULL);
  return self->value_title;
}

void
pw_chart_set_value_title (PwChart    *self,
                          const char *title)
{
  g_return_if_fail (PW_IS_CHART (self));
  if (set_string (&self->value_title, title))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE_TITLE]);
      emit_changed (self);
    }
}

PwChartValueFormat
pw_chart_get_value_format (PwChart *self)
{
  g_return_val_if_fail (PW_IS_CHART (self), PW_CHART_VALUE_INTEGER);
  return self->value_format;
}

void
pw_chart_set_value_format (PwChart            *self,
                           PwChartValueFormat  format)
{
  g_return_if_fail (PW_IS_CHART (self));
  g_return_if_fail (format <= PW_CHART_VALUE_PERCENT);
  if (self->value_format == format)
    return;
  self->value_format = format;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE_FORMAT]);
  emit_changed (self);
}

PwChartOrientation
pw_chart_get_orientation (PwChart *self)
{
  g_return_val_if_fail (PW_IS_CHART (self), PW_CHART_ORIENTATION_AUTO);
  return self->orientation;
}

void
pw_chart_set_orientation (PwChart            *self,
                          PwChartOrientation  orientation)
{
  g_return_if_fail (PW_IS_CHART (self));
  g_return_if_fail (orientation <= PW_CHART_ORIENTATION_HORIZONTAL);
  if (self->orientation == orientation)
    return;
  self->orientation = orientation;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORIENTATION]);
  emit_changed (self);
}

/**
 * pw_chart_get_highlight:
 * @self: a chart
 *
 * Returns: the highlighted category, or -1
 */
int
pw_chart_get_highlight (PwChart *self)
{
  g_return_val_if_fail (PW_IS_CHART (self), -1);
  return self->highlight;
}

/**
 * pw_chart_set_highlight:
 * @self: a chart
 * @category: the category to highlight (drawn in full colour, the others
 *   paler), or -1 for none
 */
void
pw_chart_set_highlight (PwChart *self,
                        int      category)
{
  g_return_if_fail (PW_IS_CHART (self));
  if (category < -1)
    category = -1;
  if (self->highlight == category)
    return;
  self->highlight = category;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGHLIGHT]);
  emit_changed (self);
}

/**
 * pw_chart_clear:
 * @self: a chart
 *
 * Removes the categories, series and bins; titles and formats stay.
 */
void
pw_chart_clear (PwChart *self)
{
  g_return_if_fail (PW_IS_CHART (self));
  g_ptr_array_set_size (self->categories, 0);
  g_ptr_array_set_size (self->series, 0);
  g_ptr_array_set_size (self->columns, 0);
  g_clear_pointer (&self->edges, g_array_unref);
  emit_changed (self);
}

/**
 * pw_chart_set_categories:
 * @self: a chart
 * @labels: (array zero-terminated=1) (nullable): the category labels
 *
 * Replaces the categories and removes every series (their values were
 * over the old categories).
 */
void
pw_chart_set_categories (PwChart            *self,
                         const char * const *labels)
{
  g_return_if_fail (PW_IS_CHART (self));

  g_ptr_array_set_size (self->categories, 0);
  g_ptr_array_set_size (self->series, 0);
  g_ptr_array_set_size (self->columns, 0);
  g_clear_pointer (&self->edges, g_array_unref);
  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    g_ptr_array_add (self->categories, g_strdup (labels[i]));
  emit_changed (self);
}

/**
 * pw_chart_add_series:
 * @self: a chart
 * @name: (nullable): the series' name, shown in the legend
 * @values: (array length=n_values): one value per category
 * @n_values: the number of values; missing ones are 0, extra ones ignored
 *
 * Returns: the series' index, which also picks its palette colour
 */
guint
pw_chart_add_series (PwChart      *self,
                     const char   *name,
                     const double *values,
                     guint         n_values)
{
  Series *series;
  guint n;

  g_return_val_if_fail (PW_IS_CHART (self), 0);
  g_return_val_if_fail (values != NULL || n_values == 0, 0);

  n = self->categories->len;
  series = g_new0 (Series, 1);
  series->name = g_strdup (name);
  series->values = g_array_sized_new (FALSE, TRUE, sizeof (double), n);
  g_array_set_size (series->values, n);
  for (guint i = 0; i < MIN (n, n_values); i++)
    g_array_index (series->values, double, i) = isfinite (values[i]) ? values[i] : 0;
  g_ptr_array_add (self->series, series);
  emit_changed (self);

  return self->series->len - 1;
}

/**
 * pw_chart_set_bins:
 * @self: a histogram
 * @bins: the bins and their counts
 * @series_name: (nullable): the name of the count series
 *
 * Replaces the data by @bins: one category per bin, labelled with its
 * range, one series of counts, and the edges for the axis.
 */
void
pw_chart_set_bins (PwChart           *self,
                   const PwChartBins *bins,
                   const char        *series_name)
{
  g_autofree double *values = NULL;

  g_return_if_fail (PW_IS_CHART (self));
  g_return_if_fail (bins != NULL);

  g_ptr_array_set_size (self->categories, 0);
  g_ptr_array_set_size (self->series, 0);
  g_ptr_array_set_size (self->columns, 0);
  g_clear_pointer (&self->edges, g_array_unref);

  values = g_new0 (double, MAX (bins->n_bins, 1));
  for (guint i = 0; i < bins->n_bins; i++)
    {
      g_ptr_array_add (self->categories, pw_chart_bins_get_label (bins, i));
      values[i] = bins->counts[i];
    }
  if (bins->n_bins > 0)
    {
      self->edges = g_array_sized_new (FALSE, FALSE, sizeof (double), bins->n_bins + 1);
      g_array_append_vals (self->edges, bins->edges, bins->n_bins + 1);
    }
  /* Emits changed. */
  pw_chart_add_series (self, series_name, values, bins->n_bins);
}

/**
 * pw_chart_add_column:
 * @self: a chart of the columns kind
 * @heading: the column's heading, also its category label
 * @texts: (array length=n_texts): the column's texts: its list, then the
 *   texts that left it
 * @marks: (array length=n_texts) (nullable): each text's mark; %NULL for
 *   none
 * @n_texts: how many
 *
 * Adds a column after the others.
 */
void
pw_chart_add_column (PwChart            *self,
                     const char         *heading,
                     const char * const *texts,
                     const PwChartMark  *marks,
                     guint               n_texts)
{
  Column *column;

  g_return_if_fail (PW_IS_CHART (self));
  g_return_if_fail (self->kind == PW_CHART_KIND_COLUMNS);
  g_return_if_fail (texts != NULL || n_texts == 0);

  column = column_new ();
  for (guint i = 0; i < n_texts; i++)
    {
      PwChartMark mark = marks != NULL && marks[i] <= PW_CHART_MARK_LEFT ? marks[i] : PW_CHART_MARK_NONE;

      g_ptr_array_add (column->texts, g_strdup (texts[i] != NULL ? texts[i] : ""));
      g_array_append_val (column->marks, mark);
    }
  g_ptr_array_add (self->categories, g_strdup (heading != NULL ? heading : ""));
  g_ptr_array_add (self->columns, column);
  emit_changed (self);
}

/* How many texts @column holds (0 for other kinds of chart). */
guint
pw_chart_get_n_cells (PwChart *self,
                      guint    column)
{
  g_return_val_if_fail (PW_IS_CHART (self), 0);

  if (column >= self->columns->len)
    return 0;
  return ((Column *) g_ptr_array_index (self->columns, column))->texts->len;
}

/**
 * pw_chart_get_cell:
 * @mark: (out) (optional): the text's mark
 *
 * Returns: (nullable): the @index-th text of @column, %NULL past the end
 */
const char *
pw_chart_get_cell (PwChart     *self,
                   guint        column,
                   guint        index,
                   PwChartMark *mark)
{
  Column *col;

  g_return_val_if_fail (PW_IS_CHART (self), NULL);

  if (column >= self->columns->len)
    return NULL;
  col = g_ptr_array_index (self->columns, column);
  if (index >= col->texts->len)
    return NULL;
  if (mark != NULL)
    *mark = g_array_index (col->marks, PwChartMark, index);
  return g_ptr_array_index (col->texts, index);
}

guint
pw_chart_get_n_categories (PwChart *self)
{
  g_return_val_if_fail (PW_IS_CHART (self), 0);
  return self->categories->len;
}

const char *
pw_chart_get_category (PwChart *self,
                       guint    index)
{
  g_return_val_if_fail (PW_IS_CHART (self), NULL);
  g_return_val_if_fail (index < self->categories->len, NULL);
  return g_ptr_array_index (self->categories, index);
}

guint
pw_chart_get_n_series (PwChart *self)
{
  g_return_val_if_fail (PW_IS_CHART (self), 0);
  return self->series->len;
}

/**
 * pw_chart_get_series_name:
 * @self: a chart
 * @series: a series index
 *
 * Returns: (nullable): its name
 */
const char *
pw_chart_get_series_name (PwChart *self,
                          guint    series)
{
  g_return_val_if_fail (PW_IS_CHART (self), NULL);
  g_return_val_if_fail (series < self->series->len, NULL);
  return ((Series *) g_ptr_array_index (self->series, series))->name;
}

double
pw_chart_get_value (PwChart *self,
                    guint    series,
                    guint    category)
{
  Series *s;

  g_return_val_if_fail (PW_IS_CHART (self), 0);
  g_return_val_if_fail (series < self->series->len, 0);

  s = g_ptr_array_index (self->series, series);
  g_return_val_if_fail (category < s->values->len, 0);
  return g_array_index (s->values, double, category);
}

/**
 * pw_chart_get_edges:
 * @self: a chart
 * @edges: (out) (array length=n_edges) (transfer none) (optional): bin edges
 * @n_edges: (out) (optional): their number (categories + 1)
 *
 * Returns: whether the categories are numeric bins (pw_chart_set_bins())
 */
gboolean
pw_chart_get_edges (PwChart       *self,
                    const double **edges,
                    guint         *n_edges)
{
  g_return_val_if_fail (PW_IS_CHART (self), FALSE);

  if (edges != NULL)
    *edges = self->edges != NULL ? (const double *) (gpointer) self->edges->data : NULL;
  if (n_edges != NULL)
    *n_edges = self->edges != NULL ? self->edges->len : 0;
  return self->edges != NULL;
}

/**
 * pw_chart_is_empty:
 * @self: a chart
 *
 * Returns: whether there is nothing to draw: no categories or no series
 */
gboolean
pw_chart_is_empty (PwChart *self)
{
  g_return_val_if_fail (PW_IS_CHART (self), TRUE);
  if (self->kind == PW_CHART_KIND_COLUMNS)
    return self->columns->len == 0;
  return self->categories->len == 0 || self->series->len == 0;
}

/**
 * pw_chart_get_range:
 * @self: a chart
 * @min: (out): the smallest value
 * @max: (out): the largest value
 *
 * Returns: FALSE if the chart is empty
 */
gboolean
pw_chart_get_range (PwChart *self,
                    double  *min,
                    double  *max)
{
  double lo = G_MAXDOUBLE;
  double hi = -G_MAXDOUBLE;

  g_return_val_if_fail (PW_IS_CHART (self), FALSE);

  if (pw_chart_is_empty (self))
    {
      *min = *max = 0;
      return FALSE;
    }
  /* Stacked: the range of the categories' totals. */
  for (guint i = 0; self->kind == PW_CHART_KIND_STACKED && i < self->categories->len; i++)
    {
      double total = 0;

      for (guint s = 0; s < self->series->len; s++)
        total += MAX (0, pw_chart_get_value (self, s, i));
      lo = MIN (lo, total);
      hi = MAX (hi, total);
    }
  for (guint s = 0; self->kind != PW_CHART_KIND_STACKED && s < self->series->len; s++)
    {
      Series *series = g_ptr_array_index (self->series, s);

      for (guint i = 0; i < series->values->len; i++)
        {
          double v = g_array_index (series->values, double, i);

          lo = MIN (lo, v);
          hi = MAX (hi, v);
        }
    }
  *min = lo;
  *max = hi;
  return TRUE;
}

/* Groups the digits of a whole number by three with ",". The workshop's
 * figures are written this way in English and in Korean alike. */
static char *
group_thousands (double value)
{
  g_autofree char *digits = g_strdup_printf ("%.0f", fabs (round (value)));
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  if (round (value) < 0)
    g_string_append_c (out, '-');
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/**
 * pw_chart_format_number:
 * @format: how to show values
 * @value: a value
 *
 * Formats a value the same way in every locale, so that the figures match
 * the workshop's: 1,000,209 / 0.263 / 12.5%.
 *
 * Returns: (transfer full): the text
 */
char *
pw_chart_format_number (PwChartValueFormat format,
                        double             value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  switch (format)
    {
    case PW_CHART_VALUE_FRACTION:
      return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.3f", value));
    case PW_CHART_VALUE_PERCENT:
      /* Translators: a percentage, e.g. "12.5%" */
      return g_strdup_printf (_("%s%%"), g_ascii_formatd (buf, sizeof buf, "%.1f", value * 100));
    case PW_CHART_VALUE_INTEGER:
    default:
      return group_thousands (value);
    }
}

/**
 * pw_chart_format_tick:
 * @format: how to show values
 * @value: a tick
 * @step: the distance between ticks
 *
 * Like pw_chart_format_number() but with as many decimals as the ticks
 * need and no more: 0.05, 0.10 ... or 10%, 20% ...
 *
 * Returns: (transfer full): the text
 */
char *
pw_chart_format_tick (PwChartValueFormat format,
                      double             value,
                      double             step)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char fmt[16];
  int decimals;

  if (fabs (value) < step * 1e-9)
    value = 0;

  switch (format)
    {
    case PW_CHART_VALUE_FRACTION:
      decimals = CLAMP ((int) ceil (-log10 (step) - 1e-9), 0, 6);
      g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
      return g_strdup (g_ascii_formatd (buf, sizeof buf, fmt, value));
    case PW_CHART_VALUE_PERCENT:
      decimals = CLAMP ((int) ceil (-log10 (step * 100) - 1e-9), 0, 6);
      g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
      return g_strdup_printf (_("%s%%"), g_ascii_formatd (buf, sizeof buf, fmt, value * 100));
    case PW_CHART_VALUE_INTEGER:
    default:
      if (step < 1)
        {
          decimals = CLAMP ((int) ceil (-log10 (step) - 1e-9), 0, 6);
          g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
          return g_strdup (g_ascii_formatd (buf, sizeof buf, fmt, value));
        }
      return group_thousands (value);
    }
}

/**
 * pw_chart_format_value:
 * @self: a chart
 * @value: a value
 *
 * Returns: (transfer full): @value in the chart's value format
 */
char *
pw_chart_format_value (PwChart *self,
                       double   value)
{
  g_return_val_if_fail (PW_IS_CHART (self), NULL);
  return pw_chart_format_number (self->value_format, value);
}

static const char *
category_header (PwChart *self)
{
  if (self->category_title != NULL && *self->category_title != '\0')
    return self->category_title;
  return _("Category");
}

static const char *
series_header (PwChart *self,
               guint    s)
{
  Series *series = g_ptr_array_index (self->series, s);

  if (series->name != NULL && *series->name != '\0')
    return series->name;
  if (self->value_title != NULL && *self->value_title != '\0')
    return self->value_title;
  return _("Value");
}

/* TSV cells must not hold tabs or line breaks; Markdown cells no "|". */
static void
append_cell (GString            *out,
             const char         *text,
             PwChartTableFormat  format)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\t' || *p == '\n' || *p == '\r')
        g_string_append_c (out, ' ');
      else if (*p == '|' && format == PW_CHART_TABLE_MARKDOWN)
        g_string_append (out, "\\|");
      else
        g_string_append_c (out, *p);
    }
}

/* The shortest text that reads back as the same double, "." as the decimal
 * point in every locale: 0.0944, not 0.094399999999999998. */
static void
append_raw_number (GString *out,
                   double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int digits = 6; digits <= 17; digits++)
    {
      char fmt[8];

      g_snprintf (fmt, sizeof fmt, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, fmt, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

static guint
column_n_listed (Column *column)
{
  guint n = 0;

  for (guint i = 0; i < column->marks->len; i++)
    n += g_array_index (column->marks, PwChartMark, i) != PW_CHART_MARK_LEFT;
  return n;
}

/* The k-th text of @column with @left marks or not, or NULL. */
static const char *
column_nth (Column      *column,
            gboolean     left,
            guint        k,
            PwChartMark *mark)
{
  for (guint i = 0; i < column->texts->len; i++)
    {
      PwChartMark m = g_array_index (column->marks, PwChartMark, i);

      if ((m == PW_CHART_MARK_LEFT) == left && k-- == 0)
        {
          *mark = m;
          return g_ptr_array_index (column->texts, i);
        }
    }
  return NULL;
}

/* The columns kind: a header row of headings, one row per rank, then the
 * texts that left, "+ " before a text that entered and "− " before one that
 * left, so that the marks survive copying. */
static char *
columns_to_table (PwChart            *self,
                  PwChartTableFormat  format)
{
  GString *out = g_string_new (NULL);
  gboolean md = format == PW_CHART_TABLE_MARKDOWN;
  guint n = self->columns->len;
  guint n_rows = 0;
  guint n_left = 0;

  if (md)
    g_string_append (out, "| ");
  /* Translators: the first column of a table of ranked lists */
  append_cell (out, _("Rank"), format);
  for (guint c = 0; c < n; c++)
    {
      Column *column = g_ptr_array_index (self->columns, c);

      g_string_append (out, md ? " | " : "\t");
      append_cell (out, g_ptr_array_index (self->categories, c), format);
      n_rows = MAX (n_rows, column_n_listed (column));
      n_left = MAX (n_left, column->texts->len - column_n_listed (column));
    }
  g_string_append (out, md ? " |\n" : "\n");
  if (md)
    {
      g_string_append (out, "|---:");
      for (guint c = 0; c < n; c++)
        g_string_append (out, "|---");
      g_string_append (out, "|\n");
    }

  for (guint r = 0; r < n_rows + n_left; r++)
    {
      gboolean left = r >= n_rows;
      g_autofree char *label = NULL;

      if (!left)
        label = g_strdup_printf ("%u", r + 1);
      else if (r == n_rows)
        /* Translators: the row label of the movies that left a list */
        label = g_strdup (_("Left the list"));
      else
        label = g_strdup ("");
      if (md)
        g_string_append (out, "| ");
      append_cell (out, label, format);
      for (guint c = 0; c < n; c++)
        {
          PwChartMark mark = PW_CHART_MARK_NONE;
          const char *text = column_nth (g_ptr_array_index (self->columns, c), left, left ? r - n_rows : r, &mark);

          g_string_append (out, md ? " | " : "\t");
          if (text == NULL)
            continue;
          if (mark == PW_CHART_MARK_ENTERED)
            g_string_append (out, "+ ");
          else if (mark == PW_CHART_MARK_LEFT)
            g_string_append (out, "− ");
          append_cell (out, text, format);
        }
      g_string_append (out, md ? " |\n" : "\n");
    }
  return g_string_free (out, FALSE);
}

/**
 * pw_chart_to_table:
 * @self: a chart
 * @format: TSV (raw numbers, for spreadsheets) or Markdown (formatted)
 *
 * The chart's text alternative: one row per category, one column per
 * series, with a header row. An empty chart gives the header row only.
 *
 * Returns: (transfer full): the table, lines ending in "\n"
 */
char *
pw_chart_to_table (PwChart            *self,
                   PwChartTableFormat  format)
{
  GString *out;
  gboolean md = format == PW_CHART_TABLE_MARKDOWN;
  guint n_series;

  g_return_val_if_fail (PW_IS_CHART (self), NULL);

  if (self->kind == PW_CHART_KIND_COLUMNS)
    return columns_to_table (self, format);

  out = g_string_new (NULL);
  n_series = self->series->len;

  if (md)
    g_string_append (out, "| ");
  append_cell (out, category_header (self), format);
  for (guint s = 0; s < MAX (n_series, 1); s++)
    {
      g_string_append (out, md ? " | " : "\t");
      append_cell (out, n_series > 0 ? series_header (self, s)
                                     : (self->value_title != NULL ? self->value_title : _("Value")),
                   format);
    }
  g_string_append (out, md ? " |\n" : "\n");
  if (md)
    {
      g_string_append (out, "|---");
      for (guint s = 0; s < MAX (n_series, 1); s++)
        g_string_append (out, "|---:");
      g_string_append (out, "|\n");
    }

  if (n_series == 0)
    return g_string_free (out, FALSE);

  for (guint i = 0; i < self->categories->len; i++)
    {
      if (md)
        g_string_append (out, "| ");
      append_cell (out, g_ptr_array_index (self->categories, i), format);
      for (guint s = 0; s < n_series; s++)
        {
          double v = pw_chart_get_value (self, s, i);

          g_string_append (out, md ? " | " : "\t");
          if (md)
            {
              g_autofree char *text = pw_chart_format_value (self, v);

              g_string_append (out, text);
            }
          else
            append_raw_number (out, v);
        }
      g_string_append (out, md ? " |\n" : "\n");
    }
  return g_string_free (out, FALSE);
}

/**
 * pw_chart_describe:
 * @self: a chart
 *
 * A sentence for screen readers (the accessible description): the kind of
 * chart and every value, e.g. "Bar chart, 3 categories. Drama: 1,603.
 * Comedy: 1,200. Action: 503."
 *
 * Returns: (transfer full): the description
 */
char *
pw_chart_describe (PwChart *self)
{
  GString *out;
  guint n;

  g_return_val_if_fail (PW_IS_CHART (self), NULL);

  out = g_string_new (NULL);
  n = self->categories->len;
  if (pw_chart_is_empty (self))
    {
      g_string_append (out, _("No data"));
      return g_string_free (out, FALSE);
    }

  if (self->kind == PW_CHART_KIND_COLUMNS)
    {
      g_string_append_printf (out, g_dngettext (NULL, "Lists side by side, %u list.", "Lists side by side, %u lists.", n), n);
      for (guint c = 0; c < n; c++)
        {
          Column *column = g_ptr_array_index (self->columns, c);

          g_string_append_c (out, ' ');
          g_string_append (out, g_ptr_array_index (self->categories, c));
          g_string_append (out, ": ");
          for (guint i = 0; i < column->texts->len; i++)
            {
              PwChartMark mark = g_array_index (column->marks, PwChartMark, i);

              if (i > 0)
                g_string_append (out, ", ");
              if (mark == PW_CHART_MARK_ENTERED)
                /* Translators: before a movie that entered a list, in a screen reader's description */
                g_string_append (out, _("new: "));
              else if (mark == PW_CHART_MARK_LEFT)
                /* Translators: before a movie that left a list, in a screen reader's description */
                g_string_append (out, _("left: "));
              g_string_append (out, g_ptr_array_index (column->texts, i));
            }
          g_string_append_c (out, '.');
        }
      return g_string_free (out, FALSE);
    }

  if (self->kind == PW_CHART_KIND_HISTOGRAM)
    g_string_append_printf (out, g_dngettext (NULL, "Histogram, %u bin.", "Histogram, %u bins.", n), n);
  else if (self->kind == PW_CHART_KIND_STACKED)
    g_string_append_printf (out, g_dngettext (NULL, "Stacked bar chart, %u bar.", "Stacked bar chart, %u bars.", n), n);
  else
    g_string_append_printf (out, g_dngettext (NULL, "Bar chart, %u category.", "Bar chart, %u categories.", n), n);

  for (guint i = 0; i < n; i++)
    {
      g_string_append_c (out, ' ');
      g_string_append (out, g_ptr_array_index (self->categories, i));
      g_string_append (out, ": ");
      for (guint s = 0; s < self->series->len; s++)
        {
          g_autofree char *value = pw_chart_format_value (self, pw_chart_get_value (self, s, i));

          if (s > 0)
            g_string_append (out, ", ");
          if (self->series->len > 1)
            g_string_append_printf (out, "%s %s", series_header (self, s), value);
          else
            g_string_append (out, value);
        }
      g_string_append_c (out, '.');
    }
  return g_string_free (out, FALSE);
}
