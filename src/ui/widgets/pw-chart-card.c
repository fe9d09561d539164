/* pw-chart-card.c: a chart with its data table beside it and its exports
 *
 * The Results view shows each chart of the session as a card: the chart
 * (a PwChartView following the chart's "changed" signal), its data as a
 * table beside it (a selectable label, so it can be copied, and the text
 * alternative a screen reader reads), and buttons to copy the table and to
 * save the chart as PNG, SVG or PDF at slide size (PwChartView's save-as).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-chart-card"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pw-chart-card.h"
#include "pw-ui.h"

struct _PwChartCard
{
  AdwBin parent_instance;

  GtkScrolledWindow *scroller;
  PwChartView *view;
  GtkLabel *table;
};

G_DEFINE_FINAL_TYPE (PwChartCard, pw_chart_card, ADW_TYPE_BIN)

/* The chart's table as aligned columns of monospace text: aligned as the
 * Markdown rule says (numbers right, labels and titles left), a rule under
 * the header. Readable on a projector, selectable,
 * and what a screen reader reads. */
static char *
format_table (PwChart *chart)
{
  g_autofree char *markdown = pw_chart_to_table (chart, PW_CHART_TABLE_MARKDOWN);
  g_auto(GStrv) lines = g_strsplit (markdown, "\n", -1);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GArray) widths = g_array_new (FALSE, TRUE, sizeof (glong));
  g_autoptr(GArray) right = g_array_new (FALSE, TRUE, sizeof (gboolean));
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char **cells;

      char *line = g_strstrip (lines[i]);
      gsize n = strlen (line);

      /* "| a | b |" rows; the "|---|---:|" rule gives the alignments and is
       * drawn below the header instead. */
      if (g_str_has_prefix (line, "|---") || g_str_has_prefix (line, "| ---"))
        {
          g_auto(GStrv) rule = g_strsplit (line, "|", -1);

          for (guint c = 1; rule[c] != NULL && rule[c + 1] != NULL; c++)
            {
              gboolean r = g_str_has_suffix (g_strstrip (rule[c]), ":");

              g_array_append_val (right, r);
            }
          continue;
        }
      if (n < 2 || line[0] != '|')
        continue;
      line[n - 1] = '\0';
      cells = g_strsplit (line + 1, "|", -1);
      for (guint c = 0; cells[c] != NULL; c++)
        {
          glong len = g_utf8_strlen (g_strstrip (cells[c]), -1);

          if (c >= widths->len)
            g_array_set_size (widths, c + 1);
          g_array_index (widths, glong, c) = MAX (g_array_index (widths, glong, c), len);
        }
      g_ptr_array_add (rows, cells);
    }
  for (guint r = 0; r < rows->len; r++)
    {
      char **cells = g_ptr_array_index (rows, r);

      for (guint c = 0; cells[c] != NULL; c++)
        {
          glong pad = g_array_index (widths, glong, c) - g_utf8_strlen (cells[c], -1);
          gboolean align_right = r > 0 && (c < right->len ? g_array_index (right, gboolean, c) : c > 0);

          if (c > 0)
            g_string_append (out, "  ");
          if (align_right)
            for (glong k = 0; k < pad; k++)
              g_string_append_c (out, ' ');
          g_string_append (out, cells[c]);
          if (!align_right)
            for (glong k = 0; k < pad && cells[c + 1] != NULL; k++)
              g_string_append_c (out, ' ');
        }
      g_string_append_c (out, '\n');
      if (r == 0)
        {
          glong total = 0;

          for (guint c = 0; c < widths->len; c++)
            total += g_array_index (widths, glong, c) + (c > 0 ? 2 : 0);
          for (glong k = 0; k < total; k++)
            g_string_append (out, "─");
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (out, FALSE);
}

static void
update_table (PwChartCard *self)
{
  PwChart *chart = pw_chart_view_get_chart (self->view);
  g_autofree char *table = format_table (chart);

  gtk_label_set_text (self->table, table);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->table),
                                  /* Translators: the accessible name of a chart's data table */
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, pw_chart_get_title (chart) ? pw_chart_get_title (chart) : _("Data"),
                                  -1);
}

static void
copy_clicked_cb (PwChartCard *self)
{
  pw_chart_view_copy_table (self->view);
}

static void
save_clicked_cb (PwChartCard *self)
{
  pw_chart_view_save_as (self->view);
}

static void
pw_chart_card_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PW_TYPE_CHART_CARD);

  G_OBJECT_CLASS (pw_chart_card_parent_class)->dispose (object);
}

static void
pw_chart_card_class_init (PwChartCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_chart_card_dispose;

  gtk_widget_class_set_css_name (widget_class, "chartcard");

  g_type_ensure (PW_TYPE_BAR_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, PW_RESOURCE_BASE "/ui/pw-chart-card.ui");
  gtk_widget_class_bind_template_child (widget_class, PwChartCard, scroller);
  gtk_widget_class_bind_template_child (widget_class, PwChartCard, view);
  gtk_widget_class_bind_template_child (widget_class, PwChartCard, table);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
}

static void
pw_chart_card_init (PwChartCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * pw_chart_card_new:
 * @chart: the chart to show (shared: the card follows its changes)
 */
GtkWidget *
pw_chart_card_new (PwChart *chart)
{
  PwChartCard *self;

  g_return_val_if_fail (PW_IS_CHART (chart), NULL);

  self = g_object_new (PW_TYPE_CHART_CARD, NULL);
  if (pw_chart_get_kind (chart) == PW_CHART_KIND_COLUMNS)
    {
      /* Lists side by side want the card's whole width; the table goes
       * under them. */
      gtk_orientable_set_orientation (GTK_ORIENTABLE (adw_bin_get_child (ADW_BIN (self))), GTK_ORIENTATION_VERTICAL);
      gtk_widget_set_size_request (GTK_WIDGET (self->view), 420, 560);
      gtk_scrolled_window_set_min_content_height (self->scroller, 260);
    }
  pw_chart_view_set_chart (self->view, chart);
  g_signal_connect_object (chart, "changed", G_CALLBACK (update_table), self, G_CONNECT_SWAPPED);
  update_table (self);
  return GTK_WIDGET (self);
}

PwChartView *
pw_chart_card_get_view (PwChartCard *self)
{
  g_return_val_if_fail (PW_IS_CHART_CARD (self), NULL);
  return self->view;
}

GtkLabel *
pw_chart_card_get_table (PwChartCard *self)
{
  g_return_val_if_fail (PW_IS_CHART_CARD (self), NULL);
  return self->table;
}
