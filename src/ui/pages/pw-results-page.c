/* pw-results-page.c: every chart of the session in one place
 *
 * The Results view (docs/workshop.md "Its three questions"): the data and genre
 * distributions of the prepared data and the offline metrics of every
 * trained recipe (made here from what the workshop recorded), then every
 * chart the other pages published on the session's PwChartBoard: live
 * event genre shares, per-user analysis, evaluation. Each is a
 * PwChartCard: the chart, its table beside it (copyable, the text
 * alternative), and export to PNG, SVG and PDF at slide size. "Present"
 * opens the full-screen presentation of the same charts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-results-page"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-chart-card.h"
#include "pw-results-page.h"
#include "pw-ui.h"

struct _PwResultsPage
{
  PwPage parent_instance;

  PwChartBoard *board;
  GtkBox *cards;
  GtkWidget *empty;
};

G_DEFINE_FINAL_TYPE (PwResultsPage, pw_results_page, PW_TYPE_PAGE)

static PwChart *
histogram_chart (const char  *title,
                 const guint *per_user,
                 guint        n_users)
{
  GtkWidget *widget = g_object_ref_sink (pw_histogram_new ());
  PwChart *chart = g_object_ref (pw_chart_view_get_chart (PW_CHART_VIEW (widget)));
  g_autofree guint *values = g_new (guint, MAX (n_users, 1));
  guint n = 0;

  for (guint i = 0; i < n_users; i++)
    if (per_user[i] > 0)
      values[n++] = per_user[i];
  pw_chart_set_title (chart, title);
  pw_chart_set_category_title (chart, _("Interactions per user"));
  pw_chart_set_value_title (chart, _("Users"));
  pw_histogram_set_values (PW_HISTOGRAM (widget), values, n, PW_CHART_BINNING_LOG, 0);
  g_object_unref (widget);
  return chart;
}

static PwChart *
genre_chart (const char        *title,
             const char        *value_title,
             const PwBarSeries *series)
{
  PwChart *chart = pw_chart_new (PW_CHART_KIND_BAR);

  pw_chart_set_title (chart, title);
  pw_chart_set_category_title (chart, _("Genre"));
  pw_chart_set_value_title (chart, value_title);
  pw_chart_set_orientation (chart, PW_CHART_ORIENTATION_HORIZONTAL);
  pw_chart_set_categories (chart, (const char * const *) series->labels);
  pw_chart_add_series (chart, NULL, series->values, series->n);
  return chart;
}

/* "normalized_discounted_cumulative_gain_at_10" -> "NDCG@10" */
static char *
short_metric (const char *metric)
{
  const char *at = g_strrstr (metric, "_at_");
  const char *k = at ? at + 4 : "";

  if (g_str_has_prefix (metric, "mean_reciprocal_rank"))
    return g_strdup_printf ("MRR@%s", k);
  if (g_str_has_prefix (metric, "normalized_discounted"))
    return g_strdup_printf ("NDCG@%s", k);
  if (g_str_has_prefix (metric, "precision"))
    return g_strdup_printf ("P@%s", k);
  return g_strdup (metric);
}

static PwChart *
metrics_chart (PwWorkshop *workshop)
{
  g_auto(GStrv) trained = pw_workshop_dup_trained_recipes (workshop);
  guint n_metrics;
  const char * const *metrics = pw_workshop_get_metric_names (&n_metrics);
  g_autoptr(GPtrArray) categories = g_ptr_array_new_with_free_func (g_free);
  PwChart *chart;

  if (trained == NULL || trained[0] == NULL)
    return NULL;
  for (guint m = 0; m < n_metrics; m++)
    g_ptr_array_add (categories, short_metric (metrics[m]));
  g_ptr_array_add (categories, NULL);

  chart = pw_chart_new (PW_CHART_KIND_BAR);
  pw_chart_set_title (chart, _("Offline metrics of every recipe"));
  pw_chart_set_category_title (chart, _("Metric"));
  pw_chart_set_value_title (chart, _("Value"));
  pw_chart_set_value_format (chart, PW_CHART_VALUE_FRACTION);
  pw_chart_set_orientation (chart, PW_CHART_ORIENTATION_VERTICAL);
  pw_chart_set_categories (chart, (const char * const *) categories->pdata);
  for (guint r = 0; trained[r] != NULL; r++)
    {
      g_autofree double *values = g_new0 (double, n_metrics);
      const char *name = trained[r];

      for (guint m = 0; m < n_metrics; m++)
        pw_workshop_get_metric (workshop, trained[r], metrics[m], &values[m]);
      if (g_str_has_prefix (name, "aws-"))
        name += 4;
      pw_chart_add_series (chart, name, values, n_metrics);
    }
  return chart;
}

/* The charts made from what the workshop recorded: published first, so
 * they lead the board in workshop order. */
static void
publish_workshop_charts (PwResultsPage *self)
{
  PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));
  PwPrepareResult *data = workshop ? pw_workshop_get_prepared (workshop) : NULL;
  g_autoptr(PwChart) metrics = NULL;

  if (data != NULL && data->stats != NULL)
    {
      const PwDataStats *s = data->stats;
      g_autoptr(PwChart) whole = histogram_chart (_("Interactions per user (all data)"),
                                                  s->per_user_whole, s->n_users);

      pw_chart_board_publish (self->board, "data-activity", whole);
      if (s->per_user_training != NULL)
        {
          g_autoptr(PwChart) c = histogram_chart (_("Interactions per user (training)"),
                                                  s->per_user_training, s->n_users);
          pw_chart_board_publish (self->board, "data-training", c);
        }
      if (s->per_user_validation != NULL)
        {
          g_autoptr(PwChart) c = histogram_chart (_("Interactions per user (validation)"),
                                                  s->per_user_validation, s->n_users);
          pw_chart_board_publish (self->board, "data-validation", c);
        }
      if (s->items_per_genre != NULL)
        {
          g_autoptr(PwChart) c = genre_chart (_("Movies per genre"), _("Movies"), s->items_per_genre);
          pw_chart_board_publish (self->board, "data-genres", c);
        }
      if (s->interactions_per_genre != NULL)
        {
          g_autoptr(PwChart) c = genre_chart (_("Interactions per genre"), _("Interactions"), s->interactions_per_genre);
          pw_chart_board_publish (self->board, "data-genre-interactions", c);
        }
    }

  if (workshop != NULL && (metrics = metrics_chart (workshop)) != NULL)
    pw_chart_board_publish (self->board, "training-metrics", metrics);
}

static void
rebuild_cards (PwResultsPage *self)
{
  GListModel *model = pw_chart_board_get_model (self->board);
  guint n = g_list_model_get_n_items (model);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->cards))) != NULL)
    gtk_box_remove (self->cards, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PwChart) chart = g_list_model_get_item (model, i);
      gtk_box_append (self->cards, pw_chart_card_new (chart));
    }
  gtk_widget_set_visible (self->empty, n == 0);
}

/* Mapped: metrics may have been recorded since (a resumed workshop). */
static void
pw_results_page_workshop_changed (PwPage         *page,
                                  PwWorkshopStep  step)
{
  PwResultsPage *self = PW_RESULTS_PAGE (page);

  if (self->board != NULL &&
      (step == PW_WORKSHOP_N_STEPS || step == PW_WORKSHOP_STEP_DATA || step == PW_WORKSHOP_STEP_TRAINING))
    publish_workshop_charts (self);
}

static void
pw_results_page_constructed (GObject *object)
{
  PwResultsPage *self = PW_RESULTS_PAGE (object);
  PwWorkshop *workshop;

  G_OBJECT_CLASS (pw_results_page_parent_class)->constructed (object);

  workshop = pw_page_get_workshop (PW_PAGE (self));
  g_return_if_fail (workshop != NULL);
  self->board = g_object_ref (pw_chart_board_get_for_workshop (workshop));
  g_signal_connect_object (pw_chart_board_get_model (self->board), "items-changed",
                           G_CALLBACK (rebuild_cards), self, G_CONNECT_SWAPPED);
  publish_workshop_charts (self);
  rebuild_cards (self);
}

static void
pw_results_page_dispose (GObject *object)
{
  PwResultsPage *self = PW_RESULTS_PAGE (object);

  g_clear_object (&self->board);
  gtk_widget_dispose_template (GTK_WIDGET (object), PW_TYPE_RESULTS_PAGE);

  G_OBJECT_CLASS (pw_results_page_parent_class)->dispose (object);
}

static void
present_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  pw_results_page_present (PW_RESULTS_PAGE (widget));
}

static void
pw_results_page_class_init (PwResultsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  PW_PAGE_CLASS (klass)->workshop_changed = pw_results_page_workshop_changed;
  object_class->constructed = pw_results_page_constructed;
  object_class->dispose = pw_results_page_dispose;

  gtk_widget_class_install_action (widget_class, "results.present", NULL, present_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "results.present", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, PW_RESOURCE_BASE "/ui/pw-results-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PwResultsPage, cards);
  gtk_widget_class_bind_template_child (widget_class, PwResultsPage, empty);
}

static void
pw_results_page_init (PwResultsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  pw_page_set_title (PW_PAGE (self), _("Results"));
  pw_page_set_icon_name (PW_PAGE (self), "x-office-presentation-symbolic");
}

PwPage *
pw_results_page_new (PwWorkshop *workshop)
{
  return g_object_new (PW_TYPE_RESULTS_PAGE,
                       "workshop", workshop,
                       "step", (guint) PW_WORKSHOP_N_STEPS,
                       NULL);
}

/* Makes the workshop's own charts again (data, metrics). */
void
pw_results_page_refresh (PwResultsPage *self)
{
  g_return_if_fail (PW_IS_RESULTS_PAGE (self));
  publish_workshop_charts (self);
}

guint
pw_results_page_get_n_charts (PwResultsPage *self)
{
  g_return_val_if_fail (PW_IS_RESULTS_PAGE (self), 0);
  return g_list_model_get_n_items (pw_chart_board_get_model (self->board));
}

/**
 * pw_results_page_present:
 *
 * Opens the presentation: full screen, one chart at a time.
 *
 * Returns: (transfer none): the presentation window
 */
PwPresentation *
pw_results_page_present (PwResultsPage *self)
{
  PwPresentation *presentation;
  GtkRoot *root;

  g_return_val_if_fail (PW_IS_RESULTS_PAGE (self), NULL);

  presentation = pw_presentation_new (pw_chart_board_get_model (self->board));
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (presentation), GTK_WINDOW (root));
      gtk_window_set_application (GTK_WINDOW (presentation), gtk_window_get_application (GTK_WINDOW (root)));
    }
  gtk_window_fullscreen (GTK_WINDOW (presentation));
  gtk_window_present (GTK_WINDOW (presentation));
  return presentation;
}
