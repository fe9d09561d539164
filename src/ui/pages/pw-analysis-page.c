/* pw-analysis-page.c: step 8 of 9 (notebooks 6.1 and 7.1), per-user analysis and evaluation
 *
 * Per user (question 2): the 5 most recent training interactions (what
 * explains the list), the validation interactions (what the user really
 * watched later), the campaign's top 10 with hits marked, and the 0/1
 * relevance strip of all 25 returned items. On MovieLens 1M the
 * notebook's users 1, 2 and 5002 are one click away; on other data, the
 * first users of the training set.
 *
 * Population (question 3): applying the page runs the workshop's ANALYSIS
 * step, which asks both campaigns for every user with validation rows
 * through the runtime API (progress and Cancel are the window's), and
 * computes the metrics with the engine's definitions. Two charts per
 * campaign set them beside what is known: with the standard definitions,
 * beside this run's offline training metrics and the published offline
 * metrics; with the notebook's NDCG variant, beside the published campaign
 * evaluation (docs/workshop.md, "Published numbers"). Every label says
 * which NDCG it is. The charts go on the session's board.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-analysis-page"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-analysis-page.h"
#include "pw-chart-board.h"
#include "pw-movie-rows.h"
#include "pw-resource-list.h"
#include "pw-step-intro.h"
#include "pw-step-progress.h"
#include "pw-ui.h"
#include "pw-workshop-data.h"
#include "pw-workshop-evaluate.h"

#define N_TOP 10

/* docs/workshop.md, ML-1M with the workshop's split: the notebook's
 * campaign evaluation (its NDCG variant), in the order MRR@25, P@5, P@10,
 * P@25, NDCG@5, NDCG@10, NDCG@25. (The published offline metrics come
 * from pw_workshop_get_published_metric().) */
static const double published_campaign[PW_EVALUATION_N_KINDS][7] = {
  { 0.238, 0.140, 0.110, 0.060, 0.235, 0.288, 0.332 },
  { 0.217, 0.084, 0.069, 0.051, 0.172, 0.221, 0.299 },
};
static const char * const kind_recipes[PW_EVALUATION_N_KINDS] = {
  "aws-user-personalization",
  "aws-similar-items",
};
static const char * const offline_names[7] = {
  "mean_reciprocal_rank_at_25",
  "precision_at_5", "precision_at_10", "precision_at_25",
  "normalized_discounted_cumulative_gain_at_5",
  "normalized_discounted_cumulative_gain_at_10",
  "normalized_discounted_cumulative_gain_at_25",
};

struct _PwAnalysisPage
{
  PwPage parent_instance;

  char *user_id;
  int hits_top10;
  guint strip_length;
  guint n_validation;
  GCancellable *cancellable;
  PwChart *strip_chart;
  PwChart *charts[PW_EVALUATION_N_KINDS][2];

  GtkWidget *ready_box;
  GtkWidget *not_ready;
  AdwEntryRow *user_entry;
  GtkWidget *quick_users;
  GtkWidget *user_columns;
  GtkWidget *strip;
  GtkWidget *strip_caption;
  GtkWidget *evaluation_box;
  GtkWidget *evaluation_hint;
  PwStepProgress *progress;
};

G_DEFINE_FINAL_TYPE (PwAnalysisPage, pw_analysis_page, PW_TYPE_PAGE)

enum {
  PROP_0,
  PROP_USER_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_busy (PwAnalysisPage *self,
          gboolean        busy)
{
  pw_page_set_busy (PW_PAGE (self), busy);
}

static GtkWidget *
column_new (const char *title,
            GtkWidget **out_list)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (title);

  gtk_widget_set_hexpand (box, TRUE);
  gtk_widget_set_size_request (box, 260, -1);
  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  *out_list = pw_movie_list_new (title);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), *out_list);
  return box;
}

static void
add_interactions (PwAnalysisPage *self,
                  GtkWidget      *list,
                  GPtrArray      *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const PwWorkshopInteraction *row = g_ptr_array_index (rows, i);

      gtk_list_box_append (GTK_LIST_BOX (list),
                           pw_movie_row_new_for_interaction (pw_page_get_workshop (PW_PAGE (self)), row));
    }
  if (rows->len == 0)
    {
      GtkWidget *label = gtk_label_new (_("None"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_list_box_append (GTK_LIST_BOX (list), label);
    }
}

static void
show_analysis (PwAnalysisPage *self,
               PwUserAnalysis *analysis)
{
  GtkWidget *list;
  g_autofree char *title = NULL;
  g_autofree char *caption = NULL;
  g_autoptr(GPtrArray) ranks = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *values = g_new0 (double, MAX (analysis->n_recommended, 1));
  guint hits = 0;

  pw_movie_clear_box (self->user_columns);
  pw_movie_clear_box (self->strip);

  /* Translators: a column of the per-user analysis */
  gtk_box_append (GTK_BOX (self->user_columns), column_new (_("Most Recent in Training"), &list));
  add_interactions (self, list, analysis->recent_training);
  /* Translators: a column of the per-user analysis: what the user watched later */
  gtk_box_append (GTK_BOX (self->user_columns), column_new (_("Watched Later (Validation)"), &list));
  add_interactions (self, list, analysis->validation);
  /* Translators: a column of the per-user analysis */
  gtk_box_append (GTK_BOX (self->user_columns), column_new (_("Top 10 Recommendations"), &list));
  for (guint i = 0; i < analysis->n_recommended && i < N_TOP; i++)
    {
      g_autofree char *rank = g_strdup_printf ("%u", i + 1);

      gtk_list_box_append (GTK_LIST_BOX (list),
                           pw_movie_row_new (pw_page_get_workshop (PW_PAGE (self)), analysis->recommended[i], rank, NULL,
                                             analysis->relevance[i] ? PW_MOVIE_MARK_HIT : PW_MOVIE_MARK_NONE));
    }

  for (guint i = 0; i < analysis->n_recommended; i++)
    {
      GtkWidget *cell = gtk_label_new (analysis->relevance[i] ? "1" : "0");
      g_autofree char *tip = pw_movie_dup_title (pw_page_get_workshop (PW_PAGE (self)), analysis->recommended[i]);
      g_autofree char *tooltip = g_strdup_printf ("%u. %s", i + 1, tip);

      gtk_widget_add_css_class (cell, "strip-cell");
      gtk_widget_add_css_class (cell, analysis->relevance[i] ? "strip-hit" : "strip-miss");
      gtk_widget_add_css_class (cell, "numeric");
      gtk_widget_set_tooltip_text (cell, tooltip);
      gtk_widget_set_hexpand (cell, TRUE);
      gtk_box_append (GTK_BOX (self->strip), cell);
      hits += analysis->relevance[i];
      g_ptr_array_add (ranks, g_strdup_printf ("%u", i + 1));
      values[i] = analysis->relevance[i];
    }
  g_ptr_array_add (ranks, NULL);
  /* Translators: under the relevance strip: hits of all, hits in top 10 */
  caption = g_strdup_printf (_("%u of %u recommended movies were watched later; %u in the top 10."),
                             hits, analysis->n_recommended, analysis->hits_top10);
  gtk_label_set_text (GTK_LABEL (self->strip_caption), caption);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->strip),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, caption, -1);

  pw_chart_clear (self->strip_chart);
  /* Translators: a chart title, %s is a user id */
  title = g_strdup_printf (_("Relevance of the 25 movies recommended to user %s"), analysis->user_id);
  pw_chart_set_title (self->strip_chart, title);
  pw_chart_set_categories (self->strip_chart, (const char * const *) ranks->pdata);
  pw_chart_add_series (self->strip_chart, NULL, values, analysis->n_recommended);
  pw_chart_board_publish (pw_chart_board_get_for_workshop (pw_page_get_workshop (PW_PAGE (self))), "analysis-user", self->strip_chart);

  self->hits_top10 = analysis->hits_top10;
  self->strip_length = analysis->n_recommended;
  self->n_validation = analysis->validation->len;
}

static void
analyze_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PwAnalysisPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwUserAnalysis) analysis = pw_workshop_analyze_user_finish (PW_WORKSHOP (object), result, &error);

  set_busy (self, FALSE);
  if (analysis == NULL)
    {
      pw_page_show_error (PW_PAGE (self), error);
      return;
    }
  show_analysis (self, analysis);
}

static void
user_entry_apply_cb (PwAnalysisPage *self)
{
  g_autofree char *id = pw_ui_editable_dup_stripped (GTK_EDITABLE (self->user_entry));

  if (id != NULL)
    pw_analysis_page_set_user_id (self, id);
}

static void
quick_user_clicked_cb (GtkButton      *button,
                       PwAnalysisPage *self)
{
  pw_analysis_page_set_user_id (self, g_object_get_data (G_OBJECT (button), "user-id"));
}

static void
fill_quick_users (PwAnalysisPage *self)
{
  PwPrepareResult *data = pw_workshop_get_prepared (pw_page_get_workshop (PW_PAGE (self)));
  static const char * const notebook_users[] = { "1", "2", "5002", NULL };
  g_auto(GStrv) first = NULL;
  const char * const *users = notebook_users;

  pw_movie_clear_box (self->quick_users);
  if (data == NULL)
    return;
  /* The notebook's users exist in ML-1M; other data has its own first users. */
  if (data->source != PW_SOURCE_ML_1M)
    users = (const char * const *) (first = pw_workshop_search_users (pw_page_get_workshop (PW_PAGE (self)), "", 3));
  for (guint i = 0; users != NULL && users[i] != NULL; i++)
    {
      /* Translators: a button that analyses one user, %s is the user id */
      g_autofree char *label = g_strdup_printf (_("User %s"), users[i]);
      GtkWidget *button = gtk_button_new_with_label (label);

      gtk_widget_add_css_class (button, "pill");
      g_object_set_data_full (G_OBJECT (button), "user-id", g_strdup (users[i]), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (quick_user_clicked_cb), self, 0);
      gtk_box_append (GTK_BOX (self->quick_users), button);
    }
}

/* Evaluation charts. */

static void
fill_evaluation_chart (PwAnalysisPage   *self,
                       PwEvaluationKind  kind,
                       gboolean          variant,
                       const PwMetrics  *m)
{
  PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));
  PwChart *chart = self->charts[kind][variant];
  const char *categories[8];
  double measured[7];
  double offline[7];
  gboolean have_offline = TRUE;
  g_autofree char *title = NULL;
  const char *campaign = kind == PW_EVALUATION_USER_PERSONALIZATION ? "user-personalization" : "similar-items";

  categories[0] = "MRR@25";
  categories[1] = "P@5";
  categories[2] = "P@10";
  categories[3] = "P@25";
  /* Translators: chart labels that say which NDCG definition a value uses */
  categories[4] = variant ? _("NDCG@5 (notebook)") : _("NDCG@5 (standard)");
  categories[5] = variant ? _("NDCG@10 (notebook)") : _("NDCG@10 (standard)");
  categories[6] = variant ? _("NDCG@25 (notebook)") : _("NDCG@25 (standard)");
  categories[7] = NULL;

  measured[0] = m->mean_reciprocal_rank_at_25;
  measured[1] = m->precision_at_5;
  measured[2] = m->precision_at_10;
  measured[3] = m->precision_at_25;
  measured[4] = variant ? m->workshop_ndcg_at_5 : m->normalized_discounted_cumulative_gain_at_5;
  measured[5] = variant ? m->workshop_ndcg_at_10 : m->normalized_discounted_cumulative_gain_at_10;
  measured[6] = variant ? m->workshop_ndcg_at_25 : m->normalized_discounted_cumulative_gain_at_25;

  pw_chart_clear (chart);
  if (variant)
    /* Translators: a chart title, %s is a campaign (user-personalization) */
    title = g_strdup_printf (_("%s: evaluation and the published notebook"), campaign);
  else
    /* Translators: a chart title, %s is a campaign (user-personalization) */
    title = g_strdup_printf (_("%s: evaluation and the offline metrics"), campaign);
  pw_chart_set_title (chart, title);
  pw_chart_set_categories (chart, categories);
  /* Translators: a chart series: metrics computed here from the campaign's answers */
  pw_chart_add_series (chart, _("This evaluation (API)"), measured, 7);
  if (!variant)
    {
      for (guint i = 0; i < 7; i++)
        have_offline = have_offline && pw_workshop_get_metric (workshop, kind_recipes[kind], offline_names[i], &offline[i]);
      if (have_offline)
        /* Translators: a chart series: GetSolutionMetrics of this run's training */
        pw_chart_add_series (chart, _("Training metrics (this run)"), offline, 7);
      /* Translators: a chart series: the numbers Amazon Personalize published for the workshop */
      {
        double published[7];
        gboolean have_published = TRUE;

        for (guint i = 0; i < 7; i++)
          have_published = have_published
                           && pw_workshop_get_published_metric (kind_recipes[kind], offline_names[i], &published[i]);
        g_assert (have_published);
        pw_chart_add_series (chart, _("Published offline (Personalize, ML-1M)"), published, 7);
      }
    }
  else
    /* Translators: a chart series: the workshop notebook's published evaluation */
    pw_chart_add_series (chart, _("Published evaluation (notebook, ML-1M)"), published_campaign[kind], 7);
}

static void
show_evaluations (PwAnalysisPage *self)
{
  PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));
  PwChartBoard *board = pw_chart_board_get_for_workshop (workshop);
  gboolean any = FALSE;

  pw_movie_clear_box (self->evaluation_box);
  for (guint kind = 0; kind < PW_EVALUATION_N_KINDS; kind++)
    {
      PwMetrics m;
      double seconds = 0;

      if (!pw_workshop_get_evaluation (workshop, kind, &m, &seconds))
        continue;
      any = TRUE;
      for (guint variant = 0; variant < 2; variant++)
        {
          GtkWidget *view = pw_bar_chart_new ();
          g_autofree char *id = g_strdup_printf ("evaluation-%s-%s", pw_evaluation_kind_to_string (kind),
                                                 variant ? "notebook" : "standard");

          fill_evaluation_chart (self, kind, variant, &m);
          pw_chart_view_set_chart (PW_CHART_VIEW (view), self->charts[kind][variant]);
          gtk_widget_set_size_request (view, 480, variant ? 460 : 560);
          gtk_box_append (GTK_BOX (self->evaluation_box), view);
          pw_chart_board_publish (board, id, self->charts[kind][variant]);
        }
      {
        /* Translators: under an evaluation: %s the campaign, %u users, %.0f seconds */
        g_autofree char *text = g_strdup_printf (_("%s: %u users evaluated in %.0f s."),
                                                 pw_evaluation_kind_to_string (kind), m.users, seconds);
        GtkWidget *label = gtk_label_new (text);

        gtk_widget_add_css_class (label, "dim-label");
        gtk_label_set_xalign (GTK_LABEL (label), 0);
        gtk_box_append (GTK_BOX (self->evaluation_box), label);
      }
    }
  gtk_widget_set_visible (self->evaluation_hint, !any);
}

static void
update_ready (PwAnalysisPage *self)
{
  PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));
  gboolean became_ready = FALSE;
  gboolean ready = pw_page_show_ready (PW_PAGE (self), PW_WORKSHOP_STEP_CAMPAIGNS,
                                       workshop != NULL && pw_workshop_get_prepared (workshop) != NULL,
                                       self->ready_box, self->not_ready, &became_ready);

  if (became_ready)
    fill_quick_users (self);
  if (ready)
    show_evaluations (self);
}

static void
pw_analysis_page_workshop_changed (PwPage         *page,
                                   PwWorkshopStep  step)
{
  PwAnalysisPage *self = PW_ANALYSIS_PAGE (page);

  /* Mapped (any step), or a step the page shows. */
  if (step == PW_WORKSHOP_N_STEPS || step == PW_WORKSHOP_STEP_CAMPAIGNS ||
      step == PW_WORKSHOP_STEP_ANALYSIS || step == PW_WORKSHOP_STEP_DATA)
    update_ready (self);
}

static void
pw_analysis_page_constructed (GObject *object)
{
  PwAnalysisPage *self = PW_ANALYSIS_PAGE (object);

  G_OBJECT_CLASS (pw_analysis_page_parent_class)->constructed (object);

  pw_step_progress_bind (self->progress, pw_page_get_workshop (PW_PAGE (self)), PW_WORKSHOP_STEP_ANALYSIS);
  update_ready (self);
}

static void
pw_analysis_page_dispose (GObject *object)
{
  PwAnalysisPage *self = PW_ANALYSIS_PAGE (object);

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (object), PW_TYPE_ANALYSIS_PAGE);

  G_OBJECT_CLASS (pw_analysis_page_parent_class)->dispose (object);
}

static void
pw_analysis_page_finalize (GObject *object)
{
  PwAnalysisPage *self = PW_ANALYSIS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_object (&self->strip_chart);
  for (guint k = 0; k < PW_EVALUATION_N_KINDS; k++)
    for (guint v = 0; v < 2; v++)
      g_clear_object (&self->charts[k][v]);

  G_OBJECT_CLASS (pw_analysis_page_parent_class)->finalize (object);
}

static void
pw_analysis_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PwAnalysisPage *self = PW_ANALYSIS_PAGE (object);

  switch (prop_id)
    {
    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_analysis_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PwAnalysisPage *self = PW_ANALYSIS_PAGE (object);

  switch (prop_id)
    {
    case PROP_USER_ID:
      pw_analysis_page_set_user_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_analysis_page_class_init (PwAnalysisPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PwPageClass *page_class = PW_PAGE_CLASS (klass);

  page_class->workshop_changed = pw_analysis_page_workshop_changed;

  object_class->constructed = pw_analysis_page_constructed;
  object_class->dispose = pw_analysis_page_dispose;
  object_class->finalize = pw_analysis_page_finalize;
  object_class->get_property = pw_analysis_page_get_property;
  object_class->set_property = pw_analysis_page_set_property;

  properties[PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PW_TYPE_STEP_INTRO);
  g_type_ensure (PW_TYPE_STEP_PROGRESS);
  gtk_widget_class_set_template_from_resource (widget_class, PW_RESOURCE_BASE "/ui/pw-analysis-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PwAnalysisPage, progress);
  gtk_widget_class_bind_template_child (widget_class, PwAnalysisPage, not_ready);
  gtk_widget_class_bind_template_child (widget_class, PwAnalysisPage, ready_box);
  gtk_widget_class_bind_template_child (widget_class, PwAnalysisPage, user_entry);
  gtk_widget_class_bind_template_child (widget_class, PwAnalysisPage, quick_users);
  gtk_widget_class_bind_template_child (widget_class, PwAnalysisPage, user_columns);
  gtk_widget_class_bind_template_child (widget_class, PwAnalysisPage, strip);
  gtk_widget_class_bind_template_child (widget_class, PwAnalysisPage, strip_caption);
  gtk_widget_class_bind_template_child (widget_class, PwAnalysisPage, evaluation_hint);
  gtk_widget_class_bind_template_child (widget_class, PwAnalysisPage, evaluation_box);
  gtk_widget_class_bind_template_callback (widget_class, user_entry_apply_cb);
}

static void
pw_analysis_page_init (PwAnalysisPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->hits_top10 = -1;
  self->strip_chart = pw_chart_new (PW_CHART_KIND_BAR);
  pw_chart_set_category_title (self->strip_chart, _("Rank"));
  pw_chart_set_value_title (self->strip_chart, _("Watched later (1) or not (0)"));
  pw_chart_set_orientation (self->strip_chart, PW_CHART_ORIENTATION_VERTICAL);
  for (guint k = 0; k < PW_EVALUATION_N_KINDS; k++)
    for (guint v = 0; v < 2; v++)
      {
        self->charts[k][v] = pw_chart_new (PW_CHART_KIND_BAR);
        pw_chart_set_value_format (self->charts[k][v], PW_CHART_VALUE_FRACTION);
        /* Horizontal: every label whole, with its NDCG definition. */
        pw_chart_set_orientation (self->charts[k][v], PW_CHART_ORIENTATION_HORIZONTAL);
        pw_chart_set_category_title (self->charts[k][v], _("Metric"));
        pw_chart_set_value_title (self->charts[k][v], _("Value"));
      }

  pw_page_set_title (PW_PAGE (self), _("Analysis"));
  pw_page_set_icon_name (PW_PAGE (self), "edit-find-symbolic");
}

PwPage *
pw_analysis_page_new (PwWorkshop *workshop)
{
  return g_object_new (PW_TYPE_ANALYSIS_PAGE,
                       "workshop", workshop,
                       "step", (guint) PW_WORKSHOP_STEP_ANALYSIS,
                       NULL);
}

const char *
pw_analysis_page_get_user_id (PwAnalysisPage *self)
{
  g_return_val_if_fail (PW_IS_ANALYSIS_PAGE (self), NULL);
  return self->user_id;
}

/**
 * pw_analysis_page_set_user_id:
 *
 * Analyses @user_id: asks the user-personalization campaign for 25 items
 * and shows them beside the user's data.
 */
void
pw_analysis_page_set_user_id (PwAnalysisPage *self,
                              const char     *user_id)
{
  g_return_if_fail (PW_IS_ANALYSIS_PAGE (self));

  if (user_id == NULL || pw_page_get_busy (PW_PAGE (self)))
    return;
  if (pw_ui_set_str (&self->user_id, user_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_ID]);
  pw_ui_editable_sync_text (GTK_EDITABLE (self->user_entry), user_id);
  set_busy (self, TRUE);
  pw_workshop_analyze_user_async (pw_page_get_workshop (PW_PAGE (self)), user_id, self->cancellable,
                                  analyze_cb, g_object_ref (self));
}

gboolean
pw_analysis_page_get_busy (PwAnalysisPage *self)
{
  g_return_val_if_fail (PW_IS_ANALYSIS_PAGE (self), FALSE);
  return pw_page_get_busy (PW_PAGE (self));
}

int
pw_analysis_page_get_hits_top10 (PwAnalysisPage *self)
{
  g_return_val_if_fail (PW_IS_ANALYSIS_PAGE (self), -1);
  return self->hits_top10;
}

guint
pw_analysis_page_get_strip_length (PwAnalysisPage *self)
{
  g_return_val_if_fail (PW_IS_ANALYSIS_PAGE (self), 0);
  return self->strip_length;
}

guint
pw_analysis_page_get_n_validation (PwAnalysisPage *self)
{
  g_return_val_if_fail (PW_IS_ANALYSIS_PAGE (self), 0);
  return self->n_validation;
}

PwChart *
pw_analysis_page_get_evaluation_chart (PwAnalysisPage *self,
                                       guint           kind,
                                       gboolean        notebook_variant)
{
  g_return_val_if_fail (PW_IS_ANALYSIS_PAGE (self), NULL);
  g_return_val_if_fail (kind < PW_EVALUATION_N_KINDS, NULL);

  if (!pw_workshop_get_evaluation (pw_page_get_workshop (PW_PAGE (self)), kind, &(PwMetrics) { 0 }, NULL))
    return NULL;
  return self->charts[kind][!!notebook_variant];
}
