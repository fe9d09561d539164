/* pw-training-page.c: step 4 of 9 (notebooks 3.1 and 3.2), training and offline metrics
 *
 * The recipes to train (the four of the workshop preselected; the legacy
 * HRNN names offered with a note) and user-personalization's exploration
 * weight, both page properties given to the workshop when the page
 * applies. While the workshop trains, the diagram and the list show each
 * solution and version with its status and time. Then the offline metrics
 * of every trained recipe, as a table and as a grouped bar chart (the
 * chart widgets of src/ui/charts/). When the data is MovieLens 1M, a
 * second chart beside it shows the values Amazon Personalize published
 * for the workshop (docs/workshop.md), labelled as such.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-training-page"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-charts.h"
#include "pw-resource-list.h"
#include "pw-step-intro.h"
#include "pw-step-progress.h"
#include "pw-structure-diagram.h"
#include "pw-training-page.h"
#include "pw-ui.h"

struct _PwTrainingPage
{
  PwPage parent_instance;

  GStrv recipes;
  double exploration_weight;
  gboolean updating;
  GPtrArray *recipe_checks;    /* GtkCheckButton, in pw_workshop_get_recipes() order */
  GtkWidget *chart;

  AdwPreferencesGroup *recipes_group;
  GtkSpinButton *exploration_spin;
  GtkBox *diagram_box;
  AdwPreferencesGroup *metrics_group;
  GtkBox *metrics_box;
  GtkBox *resources_box;
  PwStepProgress *progress;
};

G_DEFINE_FINAL_TYPE (PwTrainingPage, pw_training_page, PW_TYPE_PAGE)

enum {
  PROP_0,
  PROP_RECIPES,
  PROP_EXPLORATION_WEIGHT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define TRAINING_KINDS \
  (PW_RESOURCE_KIND_BIT (PW_RESOURCE_SOLUTION) | \
   PW_RESOURCE_KIND_BIT (PW_RESOURCE_SOLUTION_VERSION))

static const char *
short_recipe (const char *recipe)
{
  return g_str_has_prefix (recipe, "aws-") ? recipe + 4 : recipe;
}

/* "normalized_discounted_cumulative_gain_at_10" -> "NDCG@10" */
static char *
short_metric (const char *metric)
{
  const char *at = strstr (metric, "_at_");
  const char *k = at ? at + 4 : NULL;

  if (g_str_equal (metric, "coverage"))
    return g_strdup (_("Coverage"));
  if (g_str_has_prefix (metric, "mean_reciprocal_rank") && k)
    return g_strdup_printf ("MRR@%s", k);
  if (g_str_has_prefix (metric, "normalized_discounted_cumulative_gain") && k)
    return g_strdup_printf ("NDCG@%s", k);
  if (g_str_has_prefix (metric, "precision") && k)
    return g_strdup_printf ("P@%s", k);
  return g_strdup (metric);
}

static gboolean
strv_equal (const char * const *a,
            const char * const *b)
{
  guint n = a ? g_strv_length ((char **) a) : 0;

  if (n != (b ? g_strv_length ((char **) b) : 0))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!g_strv_contains (b, a[i]))
      return FALSE;
  return TRUE;
}

/* The page's options no longer match what the workshop trained. */
static void
check_stale (PwTrainingPage *self)
{
  PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));

  if (workshop == NULL)
    return;
  if (!strv_equal ((const char * const *) self->recipes, pw_workshop_get_recipes_chosen (workshop)) ||
      ABS (self->exploration_weight - pw_workshop_get_exploration_weight (workshop)) > 1e-9)
    pw_page_mark_stale (PW_PAGE (self));
}

static void
recipe_toggled_cb (PwTrainingPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) recipes = NULL;
  guint n = 0;
  const PwRecipeInfo *infos = pw_workshop_get_recipes (&n);

  if (self->updating)
    return;
  for (guint i = 0; i < n && i < self->recipe_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->recipe_checks, i)))
      g_strv_builder_add (builder, infos[i].name);
  recipes = g_strv_builder_end (builder);
  pw_training_page_set_recipes (self, (const char * const *) recipes);
}

static void
exploration_changed_cb (PwTrainingPage *self)
{
  if (self->updating)
    return;
  pw_training_page_set_exploration_weight (self, gtk_spin_button_get_value (self->exploration_spin));
}

static void
fill_recipes (PwTrainingPage *self)
{
  guint n = 0;
  const PwRecipeInfo *infos = pw_workshop_get_recipes (&n);
  GtkWidget *legacy = NULL;

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), infos[i].name);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   self->recipes && g_strv_contains ((const char * const *) self->recipes, infos[i].name));
      g_signal_connect_object (check, "toggled", G_CALLBACK (recipe_toggled_cb), self, G_CONNECT_SWAPPED);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_ptr_array_add (self->recipe_checks, check);

      if (!infos[i].legacy)
        {
          adw_preferences_group_add (self->recipes_group, row);
          continue;
        }
      /* The legacy HRNN names together, under one note. */
      if (legacy == NULL)
        {
          legacy = adw_expander_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (legacy), _("Legacy Recipes"));
          adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (legacy),
                                         _("The HRNN recipes of older editions of the workshop. AWS no longer offers them for new solutions in most accounts; the local engine trains each as the recipe that replaced it."));
          adw_preferences_group_add (self->recipes_group, legacy);
        }
      adw_expander_row_add_row (ADW_EXPANDER_ROW (legacy), row);
      if (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (legacy), TRUE);
    }
}

static GtkWidget *
metrics_table (PwWorkshop          *workshop,
               char               **trained,
               const char * const  *metrics,
               guint                n_metrics)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  g_autofree double *best = g_new (double, MAX (n_metrics, 1));

  /* The best value of each metric is marked (bold, accent), so that the
   * table reads from the back of a room. */
  for (guint m = 0; m < n_metrics; m++)
    {
      best[m] = -1.0;
      for (guint r = 0; trained[r] != NULL; r++)
        {
          double value;
          if (pw_workshop_get_metric (workshop, trained[r], metrics[m], &value) && value > best[m])
            best[m] = value;
        }
    }

  gtk_grid_set_column_spacing (GTK_GRID (grid), 24);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_widget_set_margin_top (grid, 12);
  gtk_widget_set_margin_bottom (grid, 12);
  gtk_widget_set_margin_start (grid, 18);
  gtk_widget_set_margin_end (grid, 18);
  gtk_widget_add_css_class (grid, "metrics-table");
  gtk_widget_add_css_class (card, "card");
  gtk_box_append (GTK_BOX (card), grid);
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Offline metrics of every recipe"), -1);
  {
    GtkWidget *h = gtk_label_new (_("Recipe"));
    gtk_widget_add_css_class (h, "heading");
    gtk_label_set_xalign (GTK_LABEL (h), 0.0f);
    gtk_grid_attach (GTK_GRID (grid), h, 0, 0, 1, 1);
  }
  for (guint m = 0; m < n_metrics; m++)
    {
      g_autofree char *name = short_metric (metrics[m]);
      GtkWidget *h = gtk_label_new (name);
      gtk_widget_add_css_class (h, "heading");
      gtk_label_set_xalign (GTK_LABEL (h), 1.0f);
      gtk_grid_attach (GTK_GRID (grid), h, m + 1, 0, 1, 1);
    }
  for (guint r = 0; trained[r] != NULL; r++)
    {
      GtkWidget *name = gtk_label_new (short_recipe (trained[r]));
      gtk_label_set_xalign (GTK_LABEL (name), 0.0f);
      gtk_grid_attach (GTK_GRID (grid), name, 0, r + 1, 1, 1);
      for (guint m = 0; m < n_metrics; m++)
        {
          double value;
          g_autofree char *text = NULL;
          GtkWidget *cell;

          gboolean known = pw_workshop_get_metric (workshop, trained[r], metrics[m], &value);

          if (known)
            text = g_strdup_printf ("%.4f", value);
          else
            text = g_strdup ("—");
          cell = gtk_label_new (text);
          gtk_widget_add_css_class (cell, "numeric");
          if (known && value == best[m] && value > 0)
            gtk_widget_add_css_class (cell, "metric-best");
          gtk_label_set_xalign (GTK_LABEL (cell), 1.0f);
          gtk_label_set_selectable (GTK_LABEL (cell), TRUE);
          gtk_grid_attach (GTK_GRID (grid), cell, m + 1, r + 1, 1, 1);
        }
    }
  return card;
}

static GtkWidget *
metrics_chart (const char          *title,
               const char * const  *categories,
               GPtrArray           *series_names,
               GArray              *values,
               guint                n_metrics)
{
  GtkWidget *widget = pw_bar_chart_new ();
  PwChart *chart = pw_chart_view_get_chart (PW_CHART_VIEW (widget));

  pw_chart_clear (chart);
  pw_chart_set_title (chart, title);
  pw_chart_set_category_title (chart, _("Metric"));
  pw_chart_set_value_title (chart, _("Value"));
  pw_chart_set_value_format (chart, PW_CHART_VALUE_FRACTION);
  pw_chart_set_orientation (chart, PW_CHART_ORIENTATION_VERTICAL);
  pw_chart_set_categories (chart, categories);
  for (guint s = 0; s < series_names->len; s++)
    pw_chart_add_series (chart, g_ptr_array_index (series_names, s),
                         &g_array_index (values, double, s * n_metrics), n_metrics);
  gtk_widget_set_size_request (widget, 420, 380);
  gtk_widget_set_hexpand (widget, TRUE);
  return widget;
}

static void
chart_add_toast_cb (PwTrainingPage *self,
                    AdwToast       *toast)
{
  pw_page_add_toast (PW_PAGE (self), g_object_ref (toast));
}

static void
fill_metrics (PwTrainingPage *self)
{
  PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));
  g_auto(GStrv) trained = NULL;
  guint n_metrics = 0;
  const char * const *metrics;
  g_autoptr(GPtrArray) categories = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) values = g_array_new (FALSE, TRUE, sizeof (double));
  GtkWidget *child;
  GtkWidget *charts;
  PwPrepareResult *prepared;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->metrics_box))) != NULL)
    gtk_box_remove (self->metrics_box, child);
  self->chart = NULL;

  if (workshop == NULL ||
      pw_workshop_get_step_state (workshop, PW_WORKSHOP_STEP_TRAINING) != PW_WORKSHOP_STEP_STATE_COMPLETE)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->metrics_group), FALSE);
      return;
    }
  trained = pw_workshop_dup_trained_recipes (workshop);
  if (trained == NULL || trained[0] == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->metrics_group), FALSE);
      return;
    }

  metrics = pw_workshop_get_metric_names (&n_metrics);
  gtk_box_append (self->metrics_box, metrics_table (workshop, trained, metrics, n_metrics));

  for (guint m = 0; m < n_metrics; m++)
    g_ptr_array_add (categories, short_metric (metrics[m]));
  g_ptr_array_add (categories, NULL);
  for (guint r = 0; trained[r] != NULL; r++)
    {
      g_ptr_array_add (names, (gpointer) short_recipe (trained[r]));
      for (guint m = 0; m < n_metrics; m++)
        {
          double v = 0.0;
          if (!pw_workshop_get_metric (workshop, trained[r], metrics[m], &v) || !isfinite (v))
            v = 0.0;
          g_array_append_val (values, v);
        }
    }

  charts = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  gtk_box_set_homogeneous (GTK_BOX (charts), TRUE);
  self->chart = metrics_chart (_("Offline metrics of this run"),
                               (const char * const *) categories->pdata, names, values, n_metrics);
  g_signal_connect_object (self->chart, "add-toast", G_CALLBACK (chart_add_toast_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (charts), self->chart);

  /* The published values belong to MovieLens 1M and the workshop's split. */
  prepared = pw_workshop_get_prepared (workshop);
  if (prepared != NULL && prepared->source == PW_SOURCE_ML_1M && n_metrics == 8)
    {
      g_autoptr(GPtrArray) ref_names = g_ptr_array_new ();
      g_autoptr(GArray) ref_values = g_array_new (FALSE, TRUE, sizeof (double));
      GtkWidget *reference;

      for (guint r = 0; trained[r] != NULL; r++)
        {
          double published[8];
          gboolean all = TRUE;

          for (guint m = 0; m < 8; m++)
            all = all && pw_workshop_get_published_metric (trained[r], metrics[m], &published[m]);
          if (all)
            {
              g_ptr_array_add (ref_names, (gpointer) short_recipe (trained[r]));
              g_array_append_vals (ref_values, published, 8);
            }
        }
      if (ref_names->len > 0)
        {
          reference = metrics_chart (_("Reference: published by Amazon Personalize (MovieLens 1M, the workshop’s split)"),
                                     (const char * const *) categories->pdata, ref_names, ref_values, n_metrics);
          g_signal_connect_object (reference, "add-toast", G_CALLBACK (chart_add_toast_cb), self, G_CONNECT_SWAPPED);
          gtk_box_append (GTK_BOX (charts), reference);
        }
    }
  gtk_box_append (self->metrics_box, charts);
  gtk_widget_set_visible (GTK_WIDGET (self->metrics_group), TRUE);
}

static void
step_state_changed_cb (PwTrainingPage *self,
                       PwWorkshopStep  step)
{
  if (step == PW_WORKSHOP_STEP_TRAINING)
    fill_metrics (self);
}

static void
pw_training_page_apply_async (PwPage              *page,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  PwTrainingPage *self = PW_TRAINING_PAGE (page);
  PwWorkshop *workshop = pw_page_get_workshop (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, pw_training_page_apply_async);
  if (self->recipes == NULL || self->recipes[0] == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "%s", _("Choose at least one recipe"));
      return;
    }
  if (!pw_workshop_set_recipes_chosen (workshop, (const char * const *) self->recipes, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  pw_workshop_set_exploration_weight (workshop, self->exploration_weight);
  pw_workshop_run_step_async (workshop, PW_WORKSHOP_STEP_TRAINING, cancellable,
                              pw_page_step_done_cb, g_steal_pointer (&task));
}

static gboolean
pw_training_page_apply_finish (PwPage        *page,
                               GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
pw_training_page_constructed (GObject *object)
{
  PwTrainingPage *self = PW_TRAINING_PAGE (object);
  PwWorkshop *workshop;

  G_OBJECT_CLASS (pw_training_page_parent_class)->constructed (object);

  workshop = pw_page_get_workshop (PW_PAGE (self));
  if (workshop != NULL)
    {
      const char * const *chosen = pw_workshop_get_recipes_chosen (workshop);

      if (chosen != NULL && chosen[0] != NULL)
        {
          g_strfreev (self->recipes);
          self->recipes = g_strdupv ((char **) chosen);
        }
      self->exploration_weight = pw_workshop_get_exploration_weight (workshop);
      g_signal_connect_object (workshop, "step-state-changed",
                               G_CALLBACK (step_state_changed_cb), self, G_CONNECT_SWAPPED);
    }

  self->updating = TRUE;
  fill_recipes (self);
  gtk_spin_button_set_value (self->exploration_spin, self->exploration_weight);
  self->updating = FALSE;

  pw_step_progress_bind (self->progress, workshop, PW_WORKSHOP_STEP_TRAINING);
  gtk_box_append (self->diagram_box, pw_structure_diagram_new (workshop));
  gtk_box_append (self->resources_box,
                  pw_resource_list_new (workshop ? pw_workshop_get_resources (workshop) : NULL,
                                        TRAINING_KINDS));
  fill_metrics (self);
}

static void
pw_training_page_dispose (GObject *object)
{
  PwTrainingPage *self = PW_TRAINING_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), PW_TYPE_TRAINING_PAGE);
  g_clear_pointer (&self->recipe_checks, g_ptr_array_unref);
  self->chart = NULL;

  G_OBJECT_CLASS (pw_training_page_parent_class)->dispose (object);
}

static void
pw_training_page_finalize (GObject *object)
{
  PwTrainingPage *self = PW_TRAINING_PAGE (object);

  g_clear_pointer (&self->recipes, g_strfreev);

  G_OBJECT_CLASS (pw_training_page_parent_class)->finalize (object);
}

static void
pw_training_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PwTrainingPage *self = PW_TRAINING_PAGE (object);

  switch (prop_id)
    {
    case PROP_RECIPES:
      g_value_set_boxed (value, self->recipes);
      break;
    case PROP_EXPLORATION_WEIGHT:
      g_value_set_double (value, self->exploration_weight);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_training_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PwTrainingPage *self = PW_TRAINING_PAGE (object);

  switch (prop_id)
    {
    case PROP_RECIPES:
      pw_training_page_set_recipes (self, g_value_get_boxed (value));
      break;
    case PROP_EXPLORATION_WEIGHT:
      pw_training_page_set_exploration_weight (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_training_page_class_init (PwTrainingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PwPageClass *page_class = PW_PAGE_CLASS (klass);

  page_class->apply_async = pw_training_page_apply_async;
  page_class->apply_finish = pw_training_page_apply_finish;

  object_class->constructed = pw_training_page_constructed;
  object_class->dispose = pw_training_page_dispose;
  object_class->finalize = pw_training_page_finalize;
  object_class->get_property = pw_training_page_get_property;
  object_class->set_property = pw_training_page_set_property;

  properties[PROP_RECIPES] =
    g_param_spec_boxed ("recipes", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_EXPLORATION_WEIGHT] =
    g_param_spec_double ("exploration-weight", NULL, NULL, 0.0, 1.0, 0.3,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PW_TYPE_STEP_INTRO);
  g_type_ensure (PW_TYPE_STEP_PROGRESS);

  gtk_widget_class_set_template_from_resource (widget_class, PW_RESOURCE_BASE "/ui/pw-training-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PwTrainingPage, recipes_group);
  gtk_widget_class_bind_template_child (widget_class, PwTrainingPage, exploration_spin);
  gtk_widget_class_bind_template_child (widget_class, PwTrainingPage, diagram_box);
  gtk_widget_class_bind_template_child (widget_class, PwTrainingPage, metrics_group);
  gtk_widget_class_bind_template_child (widget_class, PwTrainingPage, metrics_box);
  gtk_widget_class_bind_template_child (widget_class, PwTrainingPage, resources_box);
  gtk_widget_class_bind_template_child (widget_class, PwTrainingPage, progress);
}

static void
pw_training_page_init (PwTrainingPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 0;
  const PwRecipeInfo *infos = pw_workshop_get_recipes (&n);

  for (guint i = 0; i < n; i++)
    if (infos[i].preselected)
      g_strv_builder_add (builder, infos[i].name);
  self->recipes = g_strv_builder_end (builder);
  self->exploration_weight = 0.3;
  self->recipe_checks = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  pw_ui_fix_mnemonic_buttons (GTK_WIDGET (self));
  g_signal_connect_object (self->exploration_spin, "value-changed",
                           G_CALLBACK (exploration_changed_cb), self, G_CONNECT_SWAPPED);

  pw_page_set_title (PW_PAGE (self), _("Training"));
  pw_page_set_icon_name (PW_PAGE (self), "system-run-symbolic");
}

PwPage *
pw_training_page_new (PwWorkshop *workshop)
{
  return g_object_new (PW_TYPE_TRAINING_PAGE,
                       "workshop", workshop,
                       "step", (guint) PW_WORKSHOP_STEP_TRAINING,
                       NULL);
}

const char * const *
pw_training_page_get_recipes (PwTrainingPage *self)
{
  g_return_val_if_fail (PW_IS_TRAINING_PAGE (self), NULL);

  return (const char * const *) self->recipes;
}

/**
 * pw_training_page_set_recipes:
 * @recipes: names from pw_workshop_get_recipes(); others are ignored
 */
void
pw_training_page_set_recipes (PwTrainingPage     *self,
                              const char * const *recipes)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;
  guint n = 0;
  const PwRecipeInfo *infos = pw_workshop_get_recipes (&n);

  g_return_if_fail (PW_IS_TRAINING_PAGE (self));

  for (guint i = 0; i < n; i++)
    if (recipes != NULL && g_strv_contains (recipes, infos[i].name))
      g_strv_builder_add (builder, infos[i].name);
  kept = g_strv_builder_end (builder);
  if (strv_equal ((const char * const *) kept, (const char * const *) self->recipes) &&
      g_strv_length (kept) == g_strv_length (self->recipes))
    return;

  g_strfreev (self->recipes);
  self->recipes = g_steal_pointer (&kept);
  self->updating = TRUE;
  for (guint i = 0; i < n && i < self->recipe_checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->recipe_checks, i),
                                 g_strv_contains ((const char * const *) self->recipes, infos[i].name));
  self->updating = FALSE;
  check_stale (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECIPES]);
}

double
pw_training_page_get_exploration_weight (PwTrainingPage *self)
{
  g_return_val_if_fail (PW_IS_TRAINING_PAGE (self), 0.0);

  return self->exploration_weight;
}

void
pw_training_page_set_exploration_weight (PwTrainingPage *self,
                                         double          weight)
{
  g_return_if_fail (PW_IS_TRAINING_PAGE (self));

  if (!(weight >= 0.0 && weight <= 1.0))
    return;
  if (self->exploration_weight == weight)
    return;
  self->exploration_weight = weight;
  self->updating = TRUE;
  gtk_spin_button_set_value (self->exploration_spin, weight);
  self->updating = FALSE;
  check_stale (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPLORATION_WEIGHT]);
}

/**
 * pw_training_page_get_chart:
 *
 * Returns: (nullable) (transfer none): the metrics chart, once trained
 */
GtkWidget *
pw_training_page_get_chart (PwTrainingPage *self)
{
  g_return_val_if_fail (PW_IS_TRAINING_PAGE (self), NULL);

  return self->chart;
}
