/* test-wizard.c: the whole workshop, driven through the real window
 *
 * Local mode, small synthetic data. The test only does what a person does:
 * it activates the window's actions (Next, the page's own run, Back),
 * clicks the pages' buttons and types into their entries, and never calls
 * the workflow to make progress. Each page is saved as a PNG with its
 * results on it (PW_SCREENSHOT_DIR), in light mode and a few in dark mode.
 * At the end it checks through the workshop's resource model, state file
 * and the back end's own list calls that cleanup left nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pw-application.h"
#include "pw-backend-page.h"
#include "pw-campaigns-page.h"
#include "pw-charts.h"
#include "pw-cleanup-page.h"
#include "pw-data-page.h"
#include "pw-page.h"
#include "pw-resource-list.h"
#include "pw-structure-diagram.h"
#include "pw-test-utils.h"
#include "pw-training-page.h"
#include "pw-window.h"

static PwApplication *app;

static gboolean
page_done_or_failed (gpointer data)
{
  PwPage *page = data;

  return !pw_page_get_applying (page);
}

/* The page's whole content, below the fold too (the child of its
 * scrolled window), or the window when the page has no scroller. */
static GtkWidget *
page_content (PwPage *page)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (page));

  if (GTK_IS_SCROLLED_WINDOW (child))
    {
      GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (child));
      if (GTK_IS_VIEWPORT (viewport))
        return gtk_viewport_get_child (GTK_VIEWPORT (viewport));
      return viewport;
    }
  return child;
}

static void
save_on (GtkWidget     *widget,
         const GdkRGBA *background,
         const char    *name)
{
  g_autofree char *path = pw_test_screenshot_path (name);
  GStatBuf st;

  pw_test_iterate_for (150);
  g_assert_true (pw_test_save_widget_png_on (widget, background, path));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 10000);
  g_test_message ("saved %s", path);
}

static void
save (GtkWidget  *widget,
      const char *name)
{
  save_on (widget, NULL, name);
}

/* The window as the audience sees it, and the whole page. */
static void
save_page (PwWindow   *window,
           PwPage     *page,
           const char *name)
{
  g_autofree char *full = g_strdup_printf ("%s-full", name);
  /* The page's content paints no background of its own: put libadwaita
   * 1.2's window background under it, or dark mode is light text on
   * nothing. */
  GdkRGBA background;

  gdk_rgba_parse (&background, adw_style_manager_get_dark (adw_style_manager_get_default ())
                               ? "#242424" : "#fafafa");
  save (GTK_WIDGET (window), name);
  save_on (page_content (page), &background, full);
}

/* Runs the visible page's step with its own action (win.apply: the window
 * stays on the page) and waits for the page to finish, up to @timeout_ms. */
static void
run_page (PwWindow *window,
          PwPage   *page,
          guint     timeout_ms)
{
  g_assert_true (pw_window_get_visible_page (window) == page);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL));
  g_assert_true (pw_page_get_applying (page));
  pw_test_iterate_until (page_done_or_failed, page, timeout_ms);
  g_assert_true (pw_page_get_complete (page));
}

static void
next (PwWindow *window,
      PwPage   *to)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next", NULL));
  pw_test_wait_for_page (window, to, 10000);
}

static gboolean
label_has_text (gpointer data)
{
  AdwActionRow *row = data;
  const char *subtitle = adw_action_row_get_subtitle (row);

  return subtitle != NULL && g_str_has_prefix (subtitle, "arn:");
}

static gboolean
recommended (gpointer data)
{
  return pw_campaigns_page_get_n_recommended (data) > 0;
}

static gboolean
similar_found (gpointer data)
{
  return pw_campaigns_page_get_n_similar (data) > 0;
}

static gboolean
leftovers_listed (gpointer data)
{
  return pw_cleanup_page_get_leftovers (data) != NULL;
}

/* What the back end itself lists (through the workshop's one client). */
static guint
count_listed (PwWorkshop   *workshop,
              PwAwsService  service,
              const char   *operation,
              const char   *member)
{
  PwTestWait w = { NULL };
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (pw_workshop_get_client (workshop));
  pw_aws_client_list_all_async (pw_workshop_get_client (workshop), service, operation, input, member,
                                NULL, pw_test_wait_cb, &w);
  items = pw_aws_client_list_all_finish (pw_workshop_get_client (workshop), pw_test_wait_result_within (&w, 20000),
                                         &error);
  g_object_unref (w.result);
  g_assert_no_error (error);
  g_assert_nonnull (items);
  return json_array_get_length (items);
}

static void
test_wizard_local (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pw-wizard-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autoptr(PwWorkshop) workshop = pw_test_new_workshop (dir);
  const PwSyntheticOptions small = { 7, 300, 240, 15000 };
  PwWindow *window;
  PwPage *backend, *data, *group, *training, *campaigns, *cleanup;
  GtkWidget *widget;
  GListModel *resources;
  guint n_created;

  pw_test_set_dark (FALSE);
  window = g_object_ref (pw_window_new_with_workshop (ADW_APPLICATION (app), workshop));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  gtk_window_present (GTK_WINDOW (window));
  pw_test_iterate_until (pw_test_widget_is_drawn, window, 10000);

  backend = pw_window_get_step (window, PW_WORKSHOP_STEP_BACKEND);
  data = pw_window_get_step (window, PW_WORKSHOP_STEP_DATA);
  group = pw_window_get_step (window, PW_WORKSHOP_STEP_DATASET_GROUP);
  training = pw_window_get_step (window, PW_WORKSHOP_STEP_TRAINING);
  campaigns = pw_window_get_step (window, PW_WORKSHOP_STEP_CAMPAIGNS);
  cleanup = pw_window_get_step (window, PW_WORKSHOP_STEP_CLEANUP);
  pw_test_wait_for_page (window, backend, 10000);

  /* Nothing is complete yet, and nothing after the first step opens but
   * Cleanup (always open, and with nothing to delete it completes nothing). */
  for (guint i = 0; i < PW_WORKSHOP_N_STEPS; i++)
    g_assert_false (pw_page_get_complete (pw_window_get_step (window, i)));
  g_assert_false (pw_window_go_to_step (window, PW_WORKSHOP_STEP_DATASET_GROUP));
  g_assert_true (pw_window_go_to_step (window, PW_WORKSHOP_STEP_CLEANUP));
  pw_test_wait_for_page (window, cleanup, 10000);
  g_assert_true (pw_window_go_to_step (window, PW_WORKSHOP_STEP_BACKEND));

  /* 1. Backend: local by default, nothing to type; Test Connection shows
   * who we are. */
  g_assert_cmpint (pw_backend_page_get_backend (PW_BACKEND_PAGE (backend)), ==, PW_WORKSHOP_BACKEND_LOCAL);
  widget = pw_test_find_widget (GTK_WIDGET (backend), GTK_TYPE_BUTTON, "_Test Connection");
  g_assert_nonnull (widget);
  g_signal_emit_by_name (widget, "clicked");
  pw_test_iterate_until (label_has_text,
                         pw_test_find_widget (GTK_WIDGET (backend), ADW_TYPE_ACTION_ROW, "Signed In As"),
                         20000);
  g_assert_nonnull (pw_backend_page_get_account (PW_BACKEND_PAGE (backend)));
  g_assert_true (pw_page_get_complete (backend));
  save_page (window, backend, "wizard-01-backend");
  next (window, data);

  /* 2. Data: small synthetic data; the folder is the test's. */
  pw_data_page_set_synthetic (PW_DATA_PAGE (data), &small);
  pw_data_page_set_output_dir (PW_DATA_PAGE (data), data_dir);
  run_page (window, data, 60000);
  g_assert_nonnull (pw_workshop_get_prepared (workshop));
  g_assert_cmpstr (pw_workshop_get_output_dir (workshop), ==, data_dir);
  save_page (window, data, "wizard-02-data");
  next (window, group);

  /* 3. Dataset group: Next on an incomplete page runs its step. */
  g_assert_false (pw_page_get_complete (group));
  save_page (window, group, "wizard-03-dataset-group-before");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next", NULL));
  pw_test_iterate_until (page_done_or_failed, group, 180000);
  g_assert_true (pw_page_get_complete (group));
  pw_test_wait_for_page (window, training, 10000);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL);
  pw_test_wait_for_page (window, group, 10000);
  widget = pw_test_find_widget (GTK_WIDGET (group), PW_TYPE_STRUCTURE_DIAGRAM, NULL);
  g_assert_nonnull (widget);
  pw_test_iterate_for (100);
  /* The group, two schemas, two datasets and two import jobs, all active. */
  g_assert_cmpuint (pw_structure_diagram_get_n_active (PW_STRUCTURE_DIAGRAM (widget)), >=, 7);
  save_page (window, group, "wizard-03-dataset-group");
  pw_test_set_dark (TRUE);
  save_page (window, group, "dark-wizard-03-dataset-group");
  pw_test_set_dark (FALSE);
  next (window, training);

  /* 4. Training: the four preselected recipes; metrics table and chart. */
  g_assert_cmpuint (g_strv_length ((char **) pw_training_page_get_recipes (PW_TRAINING_PAGE (training))), ==, 4);
  run_page (window, training, 300000);
  pw_test_iterate_for (200);
  g_assert_nonnull (pw_training_page_get_chart (PW_TRAINING_PAGE (training)));
  {
    PwChart *chart = pw_chart_view_get_chart (PW_CHART_VIEW (pw_training_page_get_chart (PW_TRAINING_PAGE (training))));
    g_assert_cmpuint (pw_chart_get_n_series (chart), ==, 4);
    g_assert_cmpuint (pw_chart_get_n_categories (chart), ==, 8);
  }
  save_page (window, training, "wizard-04-training");
  pw_test_set_dark (TRUE);
  save_page (window, training, "dark-wizard-04-training");
  pw_test_set_dark (FALSE);
  next (window, campaigns);

  /* 5. Campaigns, then a user's recommendations and similar movies, typed
   * as a person would. */
  run_page (window, campaigns, 180000);
  widget = pw_test_find_widget (GTK_WIDGET (campaigns), ADW_TYPE_ENTRY_ROW, "User ID");
  g_assert_nonnull (widget);
  {
    PwPrepareResult *prepared = pw_workshop_get_prepared (workshop);
    const char *user = pw_interactions_get_user_id (prepared->interactions, 0);
    const char *title = pw_items_get_title (prepared->items, 0);
    g_autofree char *part = g_utf8_substring (title, 0, MIN (g_utf8_strlen (title, -1), 6));

    gtk_editable_set_text (GTK_EDITABLE (widget), user);
    g_signal_emit_by_name (widget, "apply");
    pw_test_iterate_until (recommended, campaigns, 20000);
    g_assert_cmpuint (pw_campaigns_page_get_n_recommended (PW_CAMPAIGNS_PAGE (campaigns)), ==, 10);
    g_assert_cmpstr (pw_campaigns_page_get_user_id (PW_CAMPAIGNS_PAGE (campaigns)), ==, user);

    widget = pw_test_find_widget (GTK_WIDGET (campaigns), ADW_TYPE_ENTRY_ROW, "Movie Title");
    g_assert_nonnull (widget);
    gtk_editable_set_text (GTK_EDITABLE (widget), part);
    g_signal_emit_by_name (widget, "apply");
    pw_test_iterate_until (similar_found, campaigns, 20000);
    g_assert_cmpuint (pw_campaigns_page_get_n_similar (PW_CAMPAIGNS_PAGE (campaigns)), >, 0);
  }
  save_page (window, campaigns, "wizard-05-campaigns");
  pw_test_set_dark (TRUE);
  save_page (window, campaigns, "dark-wizard-05-campaigns");
  pw_test_set_dark (FALSE);

  /* 6-8. Live events, batch, analysis: built; Next runs each (the event
   * tracker, the batch job, the evaluation) before it moves on. */
  for (guint i = PW_WORKSHOP_STEP_LIVE_EVENTS; i <= PW_WORKSHOP_STEP_ANALYSIS; i++)
    {
      PwPage *page = pw_window_get_step (window, i);
      PwPage *after = i < PW_WORKSHOP_STEP_ANALYSIS ? pw_window_get_step (window, i + 1) : cleanup;

      if (pw_window_get_visible_page (window) != page)
        next (window, page);
      g_assert_true (pw_page_get_built (page));
      if (i == PW_WORKSHOP_STEP_LIVE_EVENTS)
        save_page (window, page, "wizard-06-live-events");
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next", NULL));
      pw_test_wait_for_page (window, after, 180000);
      g_assert_true (pw_page_get_complete (page));
    }

  /* 9. Cleanup: everything goes, each row to Deleted. */
  resources = pw_workshop_get_resources (workshop);
  n_created = g_list_model_get_n_items (resources);
  g_assert_cmpuint (n_created, >=, 13);
  g_assert_cmpuint (pw_workshop_count_live (workshop), ==, n_created);
  save_page (window, cleanup, "wizard-09-cleanup-before");
  run_page (window, cleanup, 180000);
  g_assert_cmpuint (pw_workshop_count_live (workshop), ==, 0);
  for (guint i = 0; i < g_list_model_get_n_items (resources); i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (resources, i);
      g_assert_cmpint (pw_workshop_resource_get_status (r), ==, PW_RESOURCE_STATUS_DELETED);
    }

  /* Find Leftovers (the button) finds none. */
  widget = pw_test_find_widget (GTK_WIDGET (cleanup), GTK_TYPE_BUTTON, "_Find Leftovers");
  g_assert_nonnull (widget);
  g_signal_emit_by_name (widget, "clicked");
  pw_test_iterate_until (leftovers_listed, cleanup, 30000);
  g_assert_cmpuint (g_list_model_get_n_items (pw_cleanup_page_get_leftovers (PW_CLEANUP_PAGE (cleanup))), ==, 0);
  save_page (window, cleanup, "wizard-09-cleanup");

  /* The back end agrees: its own list calls return nothing. */
  g_assert_cmpuint (count_listed (workshop, PW_AWS_SERVICE_PERSONALIZE, "ListDatasetGroups", "datasetGroups"), ==, 0);
  g_assert_cmpuint (count_listed (workshop, PW_AWS_SERVICE_PERSONALIZE, "ListCampaigns", "campaigns"), ==, 0);
  g_assert_cmpuint (count_listed (workshop, PW_AWS_SERVICE_PERSONALIZE, "ListSolutions", "solutions"), ==, 0);
  g_assert_cmpuint (count_listed (workshop, PW_AWS_SERVICE_PERSONALIZE, "ListSchemas", "schemas"), ==, 0);

  /* And so does the state file: every entry deleted. */
  {
    g_autofree char *contents = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_true (g_file_get_contents (pw_workshop_get_state_file (workshop), &contents, NULL, NULL));
    g_assert_true (json_parser_load_from_data (parser, contents, -1, NULL));
    g_assert_null (strstr (contents, "\"active\""));
    g_assert_null (strstr (contents, "\"creating\""));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_clear_object (&workshop);
  pw_test_remove_dir (dir);
}

static gboolean
page_not_applying (gpointer data)
{
  return !pw_page_get_applying (data);
}

/* Cancel stops a step without losing what it made; the step runs again
 * from there, and Cleanup (always reachable) deletes it all. */
static void
test_wizard_cancel_and_retry (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pw-wizard-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autoptr(PwWorkshop) workshop = pw_test_new_workshop (dir);
  const PwSyntheticOptions small = { 7, 300, 240, 15000 };
  PwWindow *window;
  PwPage *data, *group, *cleanup;
  guint n_before_retry;

  window = g_object_ref (pw_window_new_with_workshop (ADW_APPLICATION (app), workshop));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  gtk_window_present (GTK_WINDOW (window));
  pw_test_iterate_until (pw_test_widget_is_drawn, window, 10000);
  data = pw_window_get_step (window, PW_WORKSHOP_STEP_DATA);
  group = pw_window_get_step (window, PW_WORKSHOP_STEP_DATASET_GROUP);
  cleanup = pw_window_get_step (window, PW_WORKSHOP_STEP_CLEANUP);

  next (window, data);
  pw_data_page_set_synthetic (PW_DATA_PAGE (data), &small);
  pw_data_page_set_output_dir (PW_DATA_PAGE (data), data_dir);
  next (window, group);

  /* Start the dataset group and cancel it (Escape's action) as soon as
   * the first resource is recorded. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.apply", NULL));
  g_assert_true (pw_page_get_applying (group));
  while (g_list_model_get_n_items (pw_workshop_get_resources (workshop)) == 0 && pw_page_get_applying (group))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
  pw_test_iterate_until (page_not_applying, group, 30000);
  g_assert_false (pw_page_get_complete (group));
  n_before_retry = g_list_model_get_n_items (pw_workshop_get_resources (workshop));
  g_assert_cmpuint (n_before_retry, >, 0);
  save_page (window, group, "wizard-03-dataset-group-cancelled");

  /* The steps after it stay locked. */
  g_assert_false (pw_window_go_to_step (window, PW_WORKSHOP_STEP_TRAINING));

  /* Run again: it completes, reusing what the cancelled run made. */
  run_page (window, group, 180000);
  g_assert_cmpuint (pw_workshop_get_step_state (workshop, PW_WORKSHOP_STEP_DATASET_GROUP), ==,
                    PW_WORKSHOP_STEP_STATE_COMPLETE);

  /* Cleanup opens although Training and Campaigns never ran. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-to-step", "i",
                                             (gint32) PW_WORKSHOP_STEP_CLEANUP + 1));
  pw_test_wait_for_page (window, cleanup, 10000);
  run_page (window, cleanup, 180000);
  g_assert_cmpuint (pw_workshop_count_live (workshop), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_clear_object (&workshop);
  pw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  pw_test_init (&argc, &argv);
  app = pw_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/wizard/local", test_wizard_local);
  g_test_add_func ("/wizard/cancel-and-retry", test_wizard_cancel_and_retry);

  return g_test_run ();
}
