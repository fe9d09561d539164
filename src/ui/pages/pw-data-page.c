/* pw-data-page.c: step 2 of 9 (notebooks 1.1-1.2), preparing the data
 *
 * The user picks a source (the synthetic catalogue by default, MovieLens
 * downloaded from GroupLens or from a folder, or their own CSV), and the
 * split options. Applying the page runs pw_prepare_async(): download, read,
 * split and write the workshop's files, with progress and cancel, then hands
 * the result and its folder to the workshop (pw_workshop_set_prepared()),
 * which completes the DATA step and tells later steps when the files
 * changed. Then the page shows the summary and the distributions as charts.
 *
 * The options are properties (source, input, items, output-dir, seed,
 * warm-fraction, holdout-fraction, skip-bad-rows), bound to their widgets;
 * the output folder comes from the workshop (pw_workshop_get_output_dir():
 * the one it recorded, or its default); a page without a workshop (tests)
 * has none until one is set.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-data-page"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-charts.h"
#include "pw-data-page.h"
#include "pw-step-intro.h"
#include "pw-ui.h"

struct _PwDataPage
{
  PwPage parent_instance;

  PwSource source;
  char *input;                 /* ml-*: folder; csv: interactions file */
  char *items;                 /* csv: items file */
  char *output_dir;
  guint seed;
  double warm_fraction;
  double holdout_fraction;
  gboolean skip_bad_rows;
  PwSyntheticOptions synthetic;
  PwPrepareResult *result;
  GtkFileChooserNative *chooser;

  AdwComboRow *source_row;
  AdwActionRow *folder_row;
  GtkButton *folder_clear_button;
  AdwActionRow *input_row;
  AdwActionRow *items_row;
  GtkButton *items_clear_button;
  AdwActionRow *skip_row;
  GtkSwitch *skip_switch;
  GtkSpinButton *seed_spin;
  GtkSpinButton *warm_spin;
  GtkSpinButton *holdout_spin;
  GtkButton *prepare_button;
  AdwPreferencesGroup *progress_group;
  GtkProgressBar *progress_bar;
  AdwPreferencesGroup *summary_group;
  GtkLabel *synthetic_label;
  GtkListBox *summary_list;
  AdwPreferencesGroup *charts_group;
  GtkFlowBox *charts_box;
};

G_DEFINE_FINAL_TYPE (PwDataPage, pw_data_page, PW_TYPE_PAGE)

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_INPUT,
  PROP_ITEMS,
  PROP_OUTPUT_DIR,
  PROP_SEED,
  PROP_WARM_FRACTION,
  PROP_HOLDOUT_FRACTION,
  PROP_SKIP_BAD_ROWS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The combo row's order. */
static const PwSource source_order[] = {
  PW_SOURCE_SYNTHETIC,
  PW_SOURCE_ML_1M,
  PW_SOURCE_ML_100K,
  PW_SOURCE_ML_LATEST_SMALL,
  PW_SOURCE_CSV,
};

static const char *
source_description (PwSource source)
{
  switch (source)
    {
    case PW_SOURCE_SYNTHETIC:
      return _("Invented by this application, shaped like MovieLens 1M: about 6,000 users, 3,700 movies and a million ratings. Needs no network.");
    case PW_SOURCE_ML_1M:
      return _("The workshop’s data: 6,040 users, 3,706 movies, 1,000,209 ratings. Downloaded from GroupLens (6 MB) the first time.");
    case PW_SOURCE_ML_100K:
      return _("943 users, 1,682 movies, 100,000 ratings. Downloaded from GroupLens (5 MB) the first time.");
    case PW_SOURCE_ML_LATEST_SMALL:
      return _("610 users, 9,700 movies, 100,000 ratings. Downloaded from GroupLens (1 MB) the first time.");
    case PW_SOURCE_CSV:
      return _("An interactions CSV with USER_ID, ITEM_ID and TIMESTAMP columns, and optionally an items CSV with ITEM_ID and GENRE.");
    default:
      g_assert_not_reached ();
    }
}

static void
invalidate (PwDataPage *self)
{
  /* What was prepared no longer matches the choices: Next prepares again. */
  if (!pw_page_get_applying (PW_PAGE (self)))
    pw_page_set_complete (PW_PAGE (self), FALSE);
}

static char *
display_path (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return g_file_get_parse_name (file);
}

static void
update_rows (PwDataPage *self)
{
  gboolean movielens = self->source == PW_SOURCE_ML_1M ||
                       self->source == PW_SOURCE_ML_100K ||
                       self->source == PW_SOURCE_ML_LATEST_SMALL;
  gboolean csv = self->source == PW_SOURCE_CSV;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->source_row), source_description (self->source));

  gtk_widget_set_visible (GTK_WIDGET (self->folder_row), movielens);
  gtk_widget_set_visible (GTK_WIDGET (self->input_row), csv);
  gtk_widget_set_visible (GTK_WIDGET (self->items_row), csv);
  gtk_widget_set_visible (GTK_WIDGET (self->skip_row), self->source != PW_SOURCE_SYNTHETIC);

  if (movielens)
    {
      g_autofree char *shown = self->input ? display_path (self->input) : NULL;
      adw_action_row_set_subtitle (self->folder_row,
                                   shown ? shown : _("Download from GroupLens (kept for next time)"));
      gtk_widget_set_visible (GTK_WIDGET (self->folder_clear_button), self->input != NULL);
    }
  if (csv)
    {
      g_autofree char *input = self->input ? display_path (self->input) : NULL;
      g_autofree char *items = self->items ? display_path (self->items) : NULL;
      adw_action_row_set_subtitle (self->input_row, input ? input : _("None chosen"));
      adw_action_row_set_subtitle (self->items_row, items ? items : _("None: items will have no genres"));
      gtk_widget_set_visible (GTK_WIDGET (self->items_clear_button), self->items != NULL);
    }
}

static void
source_changed_cb (PwDataPage *self)
{
  guint selected = adw_combo_row_get_selected (self->source_row);
  PwSource source;

  if (selected >= G_N_ELEMENTS (source_order))
    return;
  source = source_order[selected];
  if (source == self->source)
    return;

  /* A folder of one data set is not a file of another. */
  self->source = source;
  g_clear_pointer (&self->input, g_free);
  g_clear_pointer (&self->items, g_free);
  update_rows (self);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INPUT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEMS]);
}

typedef enum
{
  CHOOSE_FOLDER,
  CHOOSE_INPUT,
  CHOOSE_ITEMS,
} ChooseTarget;

static void
chooser_response_cb (PwDataPage           *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  ChooseTarget target = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "target"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path == NULL)
        pw_page_add_toast (PW_PAGE (self), adw_toast_new (_("Only files on this computer can be read")));
      else if (target == CHOOSE_ITEMS)
        pw_data_page_set_items (self, path);
      else
        pw_data_page_set_input (self, path);
    }

  g_clear_object (&self->chooser);
}

static void
open_chooser (PwDataPage   *self,
              ChooseTarget  target)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *title;
  GtkFileChooserAction action = GTK_FILE_CHOOSER_ACTION_OPEN;

  if (self->chooser != NULL)
    return;

  switch (target)
    {
    case CHOOSE_FOLDER:
      title = _("Choose the Unpacked MovieLens Folder");
      action = GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER;
      break;
    case CHOOSE_INPUT:
      title = _("Choose an Interactions CSV File");
      break;
    case CHOOSE_ITEMS:
      title = _("Choose an Items CSV File");
      break;
    default:
      g_assert_not_reached ();
    }

  self->chooser = gtk_file_chooser_native_new (title,
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               action, NULL, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (target != CHOOSE_FOLDER)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, _("CSV Files"));
      gtk_file_filter_add_mime_type (filter, "text/csv");
      gtk_file_filter_add_pattern (filter, "*.csv");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
    }
  g_object_set_data (G_OBJECT (self->chooser), "target", GINT_TO_POINTER (target));
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
choose_folder_cb (PwDataPage *self)
{
  open_chooser (self, CHOOSE_FOLDER);
}

static void
choose_input_cb (PwDataPage *self)
{
  open_chooser (self, CHOOSE_INPUT);
}

static void
choose_items_cb (PwDataPage *self)
{
  open_chooser (self, CHOOSE_ITEMS);
}

static void
folder_clear_cb (PwDataPage *self)
{
  pw_data_page_set_input (self, NULL);
}

static void
items_clear_cb (PwDataPage *self)
{
  pw_data_page_set_items (self, NULL);
}

/* Progress and results */

/* Counts with thousands separators, as the workshop prints them and as the
 * charts label them. */
static char *
format_count (guint64 value)
{
  return pw_chart_format_number (PW_CHART_VALUE_INTEGER, (double) value);
}

static void
prepare_progress_cb (PwPreparePhase phase,
                     guint64        done,
                     guint64        total,
                     gpointer       user_data)
{
  PwDataPage *self = user_data;
  g_autofree char *text = NULL;

  switch (phase)
    {
    case PW_PREPARE_DOWNLOADING:
      if (total > 0)
        {
          g_autofree char *done_s = g_format_size (done);
          g_autofree char *total_s = g_format_size (total);
          /* Translators: download progress, e.g. "Downloading… 2.1 MB of 5.9 MB" */
          text = g_strdup_printf (_("Downloading… %s of %s"), done_s, total_s);
          gtk_progress_bar_set_fraction (self->progress_bar, (double) done / (double) total);
        }
      else
        {
          g_autofree char *done_s = g_format_size (done);
          text = g_strdup_printf (_("Downloading… %s"), done_s);
          gtk_progress_bar_pulse (self->progress_bar);
        }
      break;
    case PW_PREPARE_READING:
      text = g_strdup (_("Reading the ratings…"));
      gtk_progress_bar_set_fraction (self->progress_bar, 0.25);
      break;
    case PW_PREPARE_SPLITTING:
      text = g_strdup (_("Splitting into training and validation…"));
      gtk_progress_bar_set_fraction (self->progress_bar, 0.5);
      break;
    case PW_PREPARE_WRITING:
      text = g_strdup (_("Writing the files…"));
      gtk_progress_bar_set_fraction (self->progress_bar, 0.75);
      break;
    case PW_PREPARE_DONE:
    default:
      text = g_strdup (_("Done"));
      gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
      break;
    }

  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
add_summary_row (PwDataPage *self,
                 const char *title,
                 const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  gtk_list_box_append (self->summary_list, row);
}

static void
add_summary_count (PwDataPage *self,
                   const char *title,
                   guint64     value)
{
  g_autofree char *text = format_count (value);

  add_summary_row (self, title, text);
}

static void
add_summary_activity (PwDataPage       *self,
                      const char       *title,
                      const PwActivity *activity)
{
  /* Translators: interactions per user: minimum, median, maximum */
  g_autofree char *text = g_strdup_printf (_("min %u · median %g · max %u"),
                                           activity->min, activity->median, activity->max);

  add_summary_row (self, title, text);
}

static void
fill_summary (PwDataPage *self)
{
  const PwPrepareResult *r = self->result;
  const PwDataStats *s = r->stats;
  const PwSplit *split = r->split;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->summary_list))) != NULL)
    gtk_list_box_remove (self->summary_list, child);

  gtk_widget_set_visible (GTK_WIDGET (self->synthetic_label), r->source == PW_SOURCE_SYNTHETIC);

  add_summary_count (self, _("Interactions"), s->n_rows);
  add_summary_count (self, _("Users"), s->n_users);
  add_summary_count (self, _("Movies"), s->n_items);
  add_summary_count (self, _("Warm movies"), split->n_warm_items);
  add_summary_count (self, _("Cold movies"), split->n_cold_items);
  add_summary_count (self, _("Training interactions"), split->n_training_rows);
  add_summary_count (self, _("Training users"), split->n_training_users);
  add_summary_count (self, _("Training movies"), split->n_training_items);
  add_summary_count (self, _("Validation interactions"), split->n_validation_rows);
  add_summary_count (self, _("Validation users"), split->n_validation_users);
  add_summary_count (self, _("Validation movies"), split->n_validation_items);
  add_summary_activity (self, _("Interactions per user"), &s->whole);
  add_summary_activity (self, _("Training interactions per user"), &s->training);
  add_summary_activity (self, _("Validation interactions per user"), &s->validation);
  if (r->report.n_skipped > 0)
    add_summary_count (self, _("Bad rows skipped"), r->report.n_skipped);
  if (self->output_dir != NULL)
    {
      g_autofree char *shown = display_path (self->output_dir);
      add_summary_row (self, _("Files written to"), shown);
    }
}

static GtkWidget *
new_histogram (const char  *title,
               const guint *per_user,
               guint        n_users)
{
  GtkWidget *widget = pw_histogram_new ();
  PwChart *chart = pw_chart_view_get_chart (PW_CHART_VIEW (widget));
  g_autofree guint *values = g_new (guint, MAX (n_users, 1));
  guint n = 0;

  /* Users without rows in this set are not part of its distribution. */
  for (guint i = 0; i < n_users; i++)
    if (per_user[i] > 0)
      values[n++] = per_user[i];

  pw_chart_set_title (chart, title);
  pw_chart_set_category_title (chart, _("Interactions per user"));
  pw_chart_set_value_title (chart, _("Users"));
  pw_histogram_set_values (PW_HISTOGRAM (widget), values, n, PW_CHART_BINNING_LOG, 0);
  return widget;
}

static GtkWidget *
new_bar_chart (const char        *title,
               const char        *category_title,
               const char        *value_title,
               const PwBarSeries *series,
               PwChartOrientation orientation)
{
  GtkWidget *widget = pw_bar_chart_new ();
  PwChart *chart = pw_chart_view_get_chart (PW_CHART_VIEW (widget));

  pw_chart_set_title (chart, title);
  pw_chart_set_category_title (chart, category_title);
  pw_chart_set_value_title (chart, value_title);
  pw_chart_set_orientation (chart, orientation);
  pw_bar_chart_set_data (PW_BAR_CHART (widget), (const char * const *) series->labels,
                         series->values, series->n);
  return widget;
}

static void
chart_add_toast_cb (PwDataPage *self,
                    AdwToast   *toast)
{
  pw_page_add_toast (PW_PAGE (self), g_object_ref (toast));
}

static void
add_chart (PwDataPage *self,
           GtkWidget  *chart,
           gboolean    tall)
{
  gtk_widget_set_size_request (chart, 360, tall ? 480 : 340);
  g_signal_connect_object (chart, "add-toast", G_CALLBACK (chart_add_toast_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_flow_box_append (self->charts_box, chart);
}

static void
fill_charts (PwDataPage *self)
{
  const PwDataStats *s = self->result->stats;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->charts_box))) != NULL)
    gtk_flow_box_remove (self->charts_box, child);

  add_chart (self, new_histogram (_("Interactions per user (all data)"), s->per_user_whole, s->n_users), FALSE);
  if (s->per_user_training != NULL)
    add_chart (self, new_histogram (_("Interactions per user (training)"), s->per_user_training, s->n_users), FALSE);
  if (s->per_user_validation != NULL)
    add_chart (self, new_histogram (_("Interactions per user (validation)"), s->per_user_validation, s->n_users), FALSE);
  if (s->items_per_genre != NULL)
    add_chart (self, new_bar_chart (_("Movies per genre"), _("Genre"), _("Movies"),
                                    s->items_per_genre, PW_CHART_ORIENTATION_HORIZONTAL), TRUE);
  if (s->interactions_per_genre != NULL)
    add_chart (self, new_bar_chart (_("Interactions per genre"), _("Genre"), _("Interactions"),
                                    s->interactions_per_genre, PW_CHART_ORIENTATION_HORIZONTAL), TRUE);
  if (s->event_values != NULL)
    add_chart (self, new_bar_chart (_("Ratings"), _("Rating"), _("Interactions"),
                                    s->event_values, PW_CHART_ORIENTATION_VERTICAL), FALSE);
  if (s->per_month != NULL)
    add_chart (self, new_bar_chart (_("Interactions over time"), _("Month"), _("Interactions"),
                                    s->per_month, PW_CHART_ORIENTATION_VERTICAL), FALSE);
}

static void
prepare_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PwDataPage *self = g_task_get_source_object (task);
  g_autoptr(PwPrepareResult) prepared = NULL;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->progress_group), FALSE);

  prepared = pw_prepare_finish (result, &error);
  if (prepared == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  {
    PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));

    if (workshop != NULL &&
        !pw_workshop_set_prepared (workshop, prepared, self->output_dir, &error))
      {
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
  }

  g_clear_pointer (&self->result, pw_prepare_result_free);
  self->result = g_steal_pointer (&prepared);
  fill_summary (self);
  fill_charts (self);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_group), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->charts_group), TRUE);

  if (self->result->report.n_skipped > 0)
    {
      g_autofree char *count = format_count (self->result->report.n_skipped);
      /* Translators: %s is a count such as "1,204" */
      g_autofree char *text = g_strdup_printf (_("%s bad rows were skipped"), count);
      pw_page_add_toast (PW_PAGE (self), adw_toast_new (text));
    }

  g_task_return_boolean (task, TRUE);
}

static void
pw_data_page_apply_async (PwPage              *page,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  PwDataPage *self = PW_DATA_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  PwPrepareOptions options;

  g_task_set_source_tag (task, pw_data_page_apply_async);

  if (self->source == PW_SOURCE_CSV && self->input == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "%s", _("Choose an interactions CSV file first"));
      return;
    }

  pw_prepare_options_init (&options);
  options.source = self->source;
  options.input = self->input;
  options.items = self->items;
  options.output_dir = self->output_dir;
  options.split.seed = self->seed;
  options.split.warm_fraction = self->warm_fraction;
  options.split.holdout_fraction = self->holdout_fraction;
  options.flags = self->skip_bad_rows ? PW_READ_SKIP_BAD_ROWS : PW_READ_NONE;
  options.synthetic = self->synthetic;

  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, _("Starting…"));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_group), TRUE);

  pw_prepare_async (&options,
                    prepare_progress_cb, g_object_ref (self), g_object_unref,
                    cancellable, prepare_cb, g_steal_pointer (&task));
}

static gboolean
pw_data_page_apply_finish (PwPage        *page,
                           GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
pw_data_page_dispose (GObject *object)
{
  PwDataPage *self = PW_DATA_PAGE (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_DATA_PAGE);

  G_OBJECT_CLASS (pw_data_page_parent_class)->dispose (object);
}

static void
pw_data_page_finalize (GObject *object)
{
  PwDataPage *self = PW_DATA_PAGE (object);

  g_clear_pointer (&self->input, g_free);
  g_clear_pointer (&self->items, g_free);
  g_clear_pointer (&self->output_dir, g_free);
  g_clear_pointer (&self->result, pw_prepare_result_free);

  G_OBJECT_CLASS (pw_data_page_parent_class)->finalize (object);
}

static void
pw_data_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PwDataPage *self = PW_DATA_PAGE (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_int (value, self->source);
      break;
    case PROP_INPUT:
      g_value_set_string (value, self->input);
      break;
    case PROP_ITEMS:
      g_value_set_string (value, self->items);
      break;
    case PROP_OUTPUT_DIR:
      g_value_set_string (value, self->output_dir);
      break;
    case PROP_SEED:
      g_value_set_uint (value, self->seed);
      break;
    case PROP_WARM_FRACTION:
      g_value_set_double (value, self->warm_fraction);
      break;
    case PROP_HOLDOUT_FRACTION:
      g_value_set_double (value, self->holdout_fraction);
      break;
    case PROP_SKIP_BAD_ROWS:
      g_value_set_boolean (value, self->skip_bad_rows);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Sets one of the preparation options (seed, warm and holdout fractions)
 * from its property: a new value makes what was prepared stale. */
static void
set_option (PwDataPage   *self,
            guint         prop_id,
            const GValue *value)
{
  gboolean changed = FALSE;

  switch (prop_id)
    {
    case PROP_SEED:
      changed = self->seed != g_value_get_uint (value);
      self->seed = g_value_get_uint (value);
      break;
    case PROP_WARM_FRACTION:
      changed = self->warm_fraction != g_value_get_double (value);
      self->warm_fraction = g_value_get_double (value);
      break;
    case PROP_HOLDOUT_FRACTION:
      changed = self->holdout_fraction != g_value_get_double (value);
      self->holdout_fraction = g_value_get_double (value);
      break;
    default:
      g_return_if_reached ();
    }
  if (!changed)
    return;
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
pw_data_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PwDataPage *self = PW_DATA_PAGE (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      pw_data_page_set_source (self, g_value_get_int (value));
      break;
    case PROP_INPUT:
      pw_data_page_set_input (self, g_value_get_string (value));
      break;
    case PROP_ITEMS:
      pw_data_page_set_items (self, g_value_get_string (value));
      break;
    case PROP_OUTPUT_DIR:
      if (g_value_get_string (value) != NULL)
        pw_data_page_set_output_dir (self, g_value_get_string (value));
      break;
    case PROP_SEED:
    case PROP_WARM_FRACTION:
    case PROP_HOLDOUT_FRACTION:
      set_option (self, prop_id, value);
      break;
    case PROP_SKIP_BAD_ROWS:
      pw_data_page_set_skip_bad_rows (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
workshop_prepared_cb (PwDataPage *self)
{
  PwPrepareResult *prepared = pw_workshop_get_prepared (pw_page_get_workshop (PW_PAGE (self)));

  /* While applying, the page's own result arrives at the end of apply. */
  if (prepared == NULL || prepared == self->result || pw_page_get_applying (PW_PAGE (self)))
    return;
  g_clear_pointer (&self->result, pw_prepare_result_unref);
  self->result = pw_prepare_result_ref (prepared);
  fill_summary (self);
  fill_charts (self);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_group), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->charts_group), TRUE);
}

static void
pw_data_page_constructed (GObject *object)
{
  PwDataPage *self = PW_DATA_PAGE (object);
  PwWorkshop *workshop;

  G_OBJECT_CLASS (pw_data_page_parent_class)->constructed (object);

  /* The output folder is the workshop's: the one it recorded (a resumed
   * workshop finds its files there), else its default. The prepared data
   * may come later (a resumed workshop reads its files in a worker). */
  workshop = pw_page_get_workshop (PW_PAGE (self));
  if (workshop != NULL)
    {
      pw_ui_set_str (&self->output_dir, pw_workshop_get_output_dir (workshop));
      g_signal_connect_object (workshop, "notify::prepared", G_CALLBACK (workshop_prepared_cb), self,
                               G_CONNECT_SWAPPED);
      workshop_prepared_cb (self);
    }

  /* The widgets show the properties, and edit them. */
  g_object_bind_property (self, "seed", gtk_spin_button_get_adjustment (self->seed_spin), "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "warm-fraction", gtk_spin_button_get_adjustment (self->warm_spin), "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "holdout-fraction", gtk_spin_button_get_adjustment (self->holdout_spin), "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "skip-bad-rows", self->skip_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

/* The button in the page says what Next will do, until it is done. */
static void
update_prepare_button (PwDataPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->prepare_button),
                          !pw_page_get_complete (PW_PAGE (self)) &&
                          !pw_page_get_applying (PW_PAGE (self)));
}

static void
pw_data_page_class_init (PwDataPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PwPageClass *page_class = PW_PAGE_CLASS (klass);

  page_class->apply_async = pw_data_page_apply_async;
  page_class->apply_finish = pw_data_page_apply_finish;

  object_class->constructed = pw_data_page_constructed;
  object_class->dispose = pw_data_page_dispose;
  object_class->finalize = pw_data_page_finalize;
  object_class->get_property = pw_data_page_get_property;
  object_class->set_property = pw_data_page_set_property;

  properties[PROP_SOURCE] =
    g_param_spec_int ("source", NULL, NULL, 0, G_MAXINT, PW_SOURCE_SYNTHETIC,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_INPUT] =
    g_param_spec_string ("input", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ITEMS] =
    g_param_spec_string ("items", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OUTPUT_DIR] =
    g_param_spec_string ("output-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SEED] =
    g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT32, 42,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WARM_FRACTION] =
    g_param_spec_double ("warm-fraction", NULL, NULL, 0.05, 0.95, 0.5,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HOLDOUT_FRACTION] =
    g_param_spec_double ("holdout-fraction", NULL, NULL, 0.01, 0.5, 0.1,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SKIP_BAD_ROWS] =
    g_param_spec_boolean ("skip-bad-rows", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PW_TYPE_BAR_CHART);
  g_type_ensure (PW_TYPE_HISTOGRAM);
  g_type_ensure (PW_TYPE_STEP_INTRO);

  gtk_widget_class_set_template_from_resource (widget_class, PW_RESOURCE_BASE "/ui/pw-data-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, source_row);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, folder_row);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, folder_clear_button);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, input_row);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, items_row);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, items_clear_button);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, skip_row);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, skip_switch);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, warm_spin);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, holdout_spin);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, prepare_button);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, progress_group);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, summary_group);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, synthetic_label);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, summary_list);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, charts_group);
  gtk_widget_class_bind_template_child (widget_class, PwDataPage, charts_box);
  gtk_widget_class_bind_template_callback (widget_class, source_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_folder_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_input_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_items_cb);
  gtk_widget_class_bind_template_callback (widget_class, folder_clear_cb);
  gtk_widget_class_bind_template_callback (widget_class, items_clear_cb);
}

static void
pw_data_page_init (PwDataPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  pw_ui_fix_mnemonic_buttons (GTK_WIDGET (self));

  self->source = PW_SOURCE_SYNTHETIC;
  self->seed = 42;
  self->warm_fraction = 0.5;
  self->holdout_fraction = 0.1;
  self->synthetic = PW_SYNTHETIC_OPTIONS_DEFAULT;

  g_signal_connect (self, "notify::complete", G_CALLBACK (update_prepare_button), NULL);
  g_signal_connect (self, "notify::applying", G_CALLBACK (update_prepare_button), NULL);
  pw_page_set_title (PW_PAGE (self), _("Data"));
  pw_page_set_icon_name (PW_PAGE (self), "x-office-spreadsheet-symbolic");
  update_rows (self);
}

/**
 * pw_data_page_new:
 * @workshop: (nullable): the workshop; %NULL for a page on its own (tests)
 */
PwPage *
pw_data_page_new (PwWorkshop *workshop)
{
  return g_object_new (PW_TYPE_DATA_PAGE,
                       "workshop", workshop,
                       "step", (guint) PW_WORKSHOP_STEP_DATA,
                       NULL);
}

PwSource
pw_data_page_get_source (PwDataPage *self)
{
  g_return_val_if_fail (PW_IS_DATA_PAGE (self), PW_SOURCE_SYNTHETIC);

  return self->source;
}

void
pw_data_page_set_source (PwDataPage *self,
                         PwSource    source)
{
  g_return_if_fail (PW_IS_DATA_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (source_order); i++)
    if (source_order[i] == source)
      adw_combo_row_set_selected (self->source_row, i);
}

/**
 * pw_data_page_set_input:
 * @path: (nullable): for MovieLens, a folder with the unpacked data set
 *   (%NULL: download it); for CSV, the interactions file
 */
void
pw_data_page_set_input (PwDataPage *self,
                        const char *path)
{
  g_return_if_fail (PW_IS_DATA_PAGE (self));

  if (g_strcmp0 (self->input, path) == 0)
    return;
  pw_ui_set_str (&self->input, path);
  update_rows (self);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INPUT]);
}

void
pw_data_page_set_items (PwDataPage *self,
                        const char *path)
{
  g_return_if_fail (PW_IS_DATA_PAGE (self));

  if (g_strcmp0 (self->items, path) == 0)
    return;
  pw_ui_set_str (&self->items, path);
  update_rows (self);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEMS]);
}

const char *
pw_data_page_get_output_dir (PwDataPage *self)
{
  g_return_val_if_fail (PW_IS_DATA_PAGE (self), NULL);

  return self->output_dir;
}

void
pw_data_page_set_output_dir (PwDataPage *self,
                             const char *path)
{
  g_return_if_fail (PW_IS_DATA_PAGE (self));
  g_return_if_fail (path != NULL);

  if (g_strcmp0 (self->output_dir, path) == 0)
    return;
  pw_ui_set_str (&self->output_dir, path);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTPUT_DIR]);
}

void
pw_data_page_set_skip_bad_rows (PwDataPage *self,
                                gboolean    skip)
{
  g_return_if_fail (PW_IS_DATA_PAGE (self));

  skip = !!skip;
  if (self->skip_bad_rows == skip)
    return;
  self->skip_bad_rows = skip;
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SKIP_BAD_ROWS]);
}

/* Smaller synthetic data, for tests and demonstrations on slow machines. */
void
pw_data_page_set_synthetic (PwDataPage               *self,
                            const PwSyntheticOptions *options)
{
  g_return_if_fail (PW_IS_DATA_PAGE (self));
  g_return_if_fail (options != NULL);

  self->synthetic = *options;
  invalidate (self);
}

/**
 * pw_data_page_get_result:
 *
 * Returns: (nullable): what the last successful apply prepared
 */
const PwPrepareResult *
pw_data_page_get_result (PwDataPage *self)
{
  g_return_val_if_fail (PW_IS_DATA_PAGE (self), NULL);

  return self->result;
}
