/* pw-batch-page.c: step 7 of 9 (notebook 5.1), batch inference and its export
 *
 * Applying the page runs the workshop's BATCH step: the JSON-lines input
 * of every user's real USER_ID, the batch inference job (its status in the
 * resource list and the step's progress), and the downloaded output. The
 * page then reads the output in a thread, previews the first users' lists
 * with titles and genres, and exports the whole output as CSV (USER_ID,
 * RANK, ITEM_ID, SCORE, TITLE, GENRES) to a file chosen with
 * GtkFileChooserNative, written atomically in a thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-batch-page"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-batch-page.h"
#include "pw-movie-rows.h"
#include "pw-resource-list.h"
#include "pw-step-intro.h"
#include "pw-step-progress.h"
#include "pw-ui.h"
#include "pw-workshop-batch.h"

#define N_PREVIEW 5
#define N_PREVIEW_ITEMS 10

struct _PwBatchPage
{
  PwPage parent_instance;

  GPtrArray *lines;        /* PwBatchLine; NULL until read */
  char *read_path;
  guint n_previewed;
  GFile *exported;
  GCancellable *cancellable;
  GtkFileChooserNative *chooser;

  GtkWidget *ready_box;
  GtkWidget *summary;
  GtkWidget *preview;
  GtkWidget *export_button;
  PwStepProgress *progress;
  AdwPreferencesGroup *job_group;
};

G_DEFINE_FINAL_TYPE (PwBatchPage, pw_batch_page, PW_TYPE_PAGE)

static void
set_busy (PwBatchPage *self,
          gboolean     busy)
{
  pw_page_set_busy (PW_PAGE (self), busy);
  gtk_widget_set_sensitive (self->export_button, !busy && self->lines != NULL);
}

static void
show_preview (PwBatchPage *self)
{
  guint n_items = 0;
  g_autofree char *summary = NULL;

  pw_movie_clear_box (self->preview);
  self->n_previewed = 0;
  for (guint i = 0; i < self->lines->len; i++)
    n_items += ((PwBatchLine *) g_ptr_array_index (self->lines, i))->n_items;
  /* Translators: the batch output's size: users, then recommendations */
  summary = g_strdup_printf (_("%u users, %u recommendations in the output."), self->lines->len, n_items);
  gtk_label_set_text (GTK_LABEL (self->summary), summary);

  for (guint i = 0; i < self->lines->len && i < N_PREVIEW; i++)
    {
      PwBatchLine *line = g_ptr_array_index (self->lines, i);
      GtkWidget *row = adw_expander_row_new ();
      /* Translators: a row of the batch preview, %s is a user id */
      g_autofree char *title = g_strdup_printf (_("User %s"), line->user_id);
      g_autoptr(GString) first = g_string_new (NULL);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      for (guint k = 0; k < line->n_items && k < 3; k++)
        {
          g_autofree char *t = pw_movie_dup_title (pw_page_get_workshop (PW_PAGE (self)), line->items[k]);
          if (k > 0)
            g_string_append (first, " · ");
          g_string_append (first, t);
        }
      if (line->error != NULL)
        adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), line->error);
      else
        adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), first->str);
      for (guint k = 0; k < line->n_items && k < N_PREVIEW_ITEMS; k++)
        {
          g_autofree char *rank = g_strdup_printf ("%u", k + 1);
          g_autofree char *score = line->scores ? g_strdup_printf ("%.4f", line->scores[k]) : NULL;

          adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                    pw_movie_row_new (pw_page_get_workshop (PW_PAGE (self)), line->items[k], rank, score, PW_MOVIE_MARK_NONE));
        }
      if (i == 0)
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
      gtk_list_box_append (GTK_LIST_BOX (self->preview), row);
      self->n_previewed++;
    }
}

static void
parse_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *lines = pw_workshop_batch_parse (task_data, &error);

  if (lines == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, lines, (GDestroyNotify) g_ptr_array_unref);
}

static void
parse_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  PwBatchPage *self = PW_BATCH_PAGE (object);
  g_autoptr(GError) error = NULL;
  GPtrArray *lines = g_task_propagate_pointer (G_TASK (result), &error);

  set_busy (self, FALSE);
  if (lines == NULL)
    {
      pw_page_show_error (PW_PAGE (self), error);
      return;
    }
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  self->lines = lines;
  show_preview (self);
  gtk_widget_set_sensitive (self->export_button, TRUE);
}

static void
read_output (PwBatchPage *self)
{
  const char *path = pw_workshop_get_batch_output (pw_page_get_workshop (PW_PAGE (self)));
  g_autoptr(GTask) task = NULL;

  if (path == NULL || pw_page_get_busy (PW_PAGE (self)) || (self->lines != NULL && g_strcmp0 (path, self->read_path) == 0))
    return;
  g_free (self->read_path);
  self->read_path = g_strdup (path);
  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, parse_cb, NULL);
  g_task_set_source_tag (task, read_output);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, parse_thread);
}

typedef struct
{
  GPtrArray *lines;
  PwItems *items;
  char *path;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_ptr_array_unref (data->lines);
  if (data->items != NULL)
    pw_items_unref (data->items);
  g_free (data->path);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  GError *error = NULL;

  if (pw_workshop_batch_export_csv (data->lines, data->items, data->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  PwBatchPage *self = PW_BATCH_PAGE (object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;

  set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      pw_page_show_error (PW_PAGE (self), error);
      return;
    }
  g_set_object (&self->exported, file);
  name = g_file_get_basename (file);
  /* Translators: %s is a file name */
  text = g_strdup_printf (_("Saved “%s”"), name);
  pw_page_add_toast (PW_PAGE (self), adw_toast_new (text));
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     PwBatchPage     *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->chooser);
  if (file != NULL)
    pw_batch_page_export_to (self, file);
}

static void
export_clicked_cb (PwBatchPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileFilter *filter;

  if (self->lines == NULL || self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export Recommendations"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "recommendations.csv");
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
update_ready (PwBatchPage *self)
{
  PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));

  if (pw_page_show_ready (PW_PAGE (self), PW_WORKSHOP_STEP_BATCH,
                          workshop != NULL && pw_workshop_get_batch_output (workshop) != NULL,
                          self->ready_box, NULL, NULL))
    read_output (self);
}

static void
pw_batch_page_workshop_changed (PwPage         *page,
                                PwWorkshopStep  step)
{
  PwBatchPage *self = PW_BATCH_PAGE (page);

  if (step == PW_WORKSHOP_STEP_BATCH)
    update_ready (self);
}

static void
pw_batch_page_constructed (GObject *object)
{
  PwBatchPage *self = PW_BATCH_PAGE (object);
  PwWorkshop *workshop;

  G_OBJECT_CLASS (pw_batch_page_parent_class)->constructed (object);

  workshop = pw_page_get_workshop (PW_PAGE (self));
  pw_step_progress_bind (self->progress, workshop, PW_WORKSHOP_STEP_BATCH);
  adw_preferences_group_add (self->job_group,
                             pw_resource_list_new (workshop != NULL ? pw_workshop_get_resources (workshop) : NULL,
                                                   PW_RESOURCE_KIND_BIT (PW_RESOURCE_BATCH_JOB)));
  update_ready (self);
}

static void
pw_batch_page_dispose (GObject *object)
{
  PwBatchPage *self = PW_BATCH_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (object), PW_TYPE_BATCH_PAGE);

  G_OBJECT_CLASS (pw_batch_page_parent_class)->dispose (object);
}

static void
pw_batch_page_finalize (GObject *object)
{
  PwBatchPage *self = PW_BATCH_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->exported);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_pointer (&self->read_path, g_free);

  G_OBJECT_CLASS (pw_batch_page_parent_class)->finalize (object);
}

static void
pw_batch_page_class_init (PwBatchPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  PwPageClass *page_class = PW_PAGE_CLASS (klass);

  page_class->workshop_changed = pw_batch_page_workshop_changed;

  object_class->constructed = pw_batch_page_constructed;
  object_class->dispose = pw_batch_page_dispose;
  object_class->finalize = pw_batch_page_finalize;

  g_type_ensure (PW_TYPE_STEP_INTRO);
  g_type_ensure (PW_TYPE_STEP_PROGRESS);
  gtk_widget_class_set_template_from_resource (widget_class, PW_RESOURCE_BASE "/ui/pw-batch-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PwBatchPage, progress);
  gtk_widget_class_bind_template_child (widget_class, PwBatchPage, job_group);
  gtk_widget_class_bind_template_child (widget_class, PwBatchPage, ready_box);
  gtk_widget_class_bind_template_child (widget_class, PwBatchPage, summary);
  gtk_widget_class_bind_template_child (widget_class, PwBatchPage, preview);
  gtk_widget_class_bind_template_child (widget_class, PwBatchPage, export_button);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
}

static void
pw_batch_page_init (PwBatchPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  pw_page_set_title (PW_PAGE (self), _("Batch Export"));
  pw_page_set_icon_name (PW_PAGE (self), "document-save-symbolic");
}

PwPage *
pw_batch_page_new (PwWorkshop *workshop)
{
  return g_object_new (PW_TYPE_BATCH_PAGE,
                       "workshop", workshop,
                       "step", (guint) PW_WORKSHOP_STEP_BATCH,
                       NULL);
}

guint
pw_batch_page_get_n_lines (PwBatchPage *self)
{
  g_return_val_if_fail (PW_IS_BATCH_PAGE (self), 0);
  return self->lines ? self->lines->len : 0;
}

guint
pw_batch_page_get_n_previewed (PwBatchPage *self)
{
  g_return_val_if_fail (PW_IS_BATCH_PAGE (self), 0);
  return self->n_previewed;
}

gboolean
pw_batch_page_get_busy (PwBatchPage *self)
{
  g_return_val_if_fail (PW_IS_BATCH_PAGE (self), FALSE);
  return pw_page_get_busy (PW_PAGE (self));
}

/**
 * pw_batch_page_export_to:
 * @file: a local file
 *
 * Writes the whole output as CSV to @file in a thread (atomically); a
 * toast says when it is saved or why not.
 */
void
pw_batch_page_export_to (PwBatchPage *self,
                         GFile       *file)
{
  g_autoptr(GTask) task = NULL;
  PwPrepareResult *data;
  ExportData *export;

  g_return_if_fail (PW_IS_BATCH_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->lines == NULL || pw_page_get_busy (PW_PAGE (self)))
    return;
  if (g_file_peek_path (file) == NULL)
    {
      pw_page_add_toast (PW_PAGE (self), adw_toast_new (_("Choose a local file to export to")));
      return;
    }
  data = pw_workshop_get_prepared (pw_page_get_workshop (PW_PAGE (self)));
  export = g_new0 (ExportData, 1);
  export->lines = g_ptr_array_ref (self->lines);
  export->items = data && data->items ? pw_items_ref (data->items) : NULL;
  export->path = g_strdup (g_file_peek_path (file));
  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, export_cb, g_object_ref (file));
  g_task_set_source_tag (task, pw_batch_page_export_to);
  g_task_set_task_data (task, export, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

GFile *
pw_batch_page_get_exported (PwBatchPage *self)
{
  g_return_val_if_fail (PW_IS_BATCH_PAGE (self), NULL);
  return self->exported;
}
