/* test-pages.c: each workshop page on its own
 *
 * Builds every page of the workshop with a workshop of its own (a
 * temporary state file and local engine folder), shows it in a window,
 * saves a PNG in light and dark mode, checks what a fresh workshop should
 * show (nothing complete, the explanation and its Developer Guide link,
 * an empty diagram), and checks that the page and the window are
 * finalized once closed (no reference leaks, toasts included).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "pw-analysis-page.h"
#include "pw-aws-keyring.h"
#include "pw-aws-test-server.h"
#include "pw-backend-page.h"
#include "pw-batch-page.h"
#include "pw-campaigns-page.h"
#include "pw-cleanup-page.h"
#include "pw-data-page.h"
#include "pw-dataset-group-page.h"
#include "pw-live-events-page.h"
#include "pw-page.h"
#include "pw-resource-list.h"
#include "pw-step-intro.h"
#include "pw-workshop-resource-private.h"
#include "pw-structure-diagram.h"
#include "pw-test-utils.h"
#include "pw-training-page.h"

typedef PwPage *(*PageNew) (PwWorkshop *workshop);

typedef struct
{
  const char *name;
  PageNew create;
  PwWorkshopStep step;
  gboolean has_diagram;
} PageCase;

static const PageCase cases[] = {
  { "backend", pw_backend_page_new, PW_WORKSHOP_STEP_BACKEND, FALSE },
  { "data", pw_data_page_new, PW_WORKSHOP_STEP_DATA, FALSE },
  { "dataset-group", pw_dataset_group_page_new, PW_WORKSHOP_STEP_DATASET_GROUP, TRUE },
  { "training", pw_training_page_new, PW_WORKSHOP_STEP_TRAINING, TRUE },
  { "campaigns", pw_campaigns_page_new, PW_WORKSHOP_STEP_CAMPAIGNS, TRUE },
  { "live-events", pw_live_events_page_new, PW_WORKSHOP_STEP_LIVE_EVENTS, FALSE },
  { "batch", pw_batch_page_new, PW_WORKSHOP_STEP_BATCH, FALSE },
  { "analysis", pw_analysis_page_new, PW_WORKSHOP_STEP_ANALYSIS, FALSE },
  { "cleanup", pw_cleanup_page_new, PW_WORKSHOP_STEP_CLEANUP, FALSE },
};

static gboolean
is_drawn (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static void
test_page (gconstpointer data)
{
  const PageCase *c = data;
  g_autofree char *dir = g_dir_make_tmp ("pw-pages-XXXXXX", NULL);
  g_autoptr(PwWorkshop) workshop = pw_test_new_workshop (dir);
  g_autofree char *light = g_strdup_printf ("page-%s", c->name);
  g_autofree char *dark = g_strdup_printf ("dark-page-%s", c->name);
  GtkWidget *window = gtk_window_new ();
  PwPage *page = g_object_ref_sink (c->create (workshop));
  GtkWidget *intro;
  AdwToast *toast = adw_toast_new ("A toast");
  AdwToast *watched = toast;

  g_assert_true (pw_page_get_workshop (page) == workshop);
  g_assert_cmpuint (pw_page_get_step (page), ==, c->step);
  g_assert_true (pw_page_get_built (page));
  g_assert_false (pw_page_get_complete (page));
  g_assert_nonnull (pw_page_get_title (page));

  /* Every page explains its step and links to the guide. */
  intro = pw_test_find_widget (GTK_WIDGET (page), PW_TYPE_STEP_INTRO, NULL);
  g_assert_nonnull (intro);
  g_assert_cmpuint (strlen (pw_step_intro_get_text (PW_STEP_INTRO (intro))), >, 150);
  g_assert_true (g_str_has_prefix (pw_step_intro_get_uri (PW_STEP_INTRO (intro)),
                                   "https://docs.aws.amazon.com/personalize/latest/dg/"));

  if (c->has_diagram)
    {
      GtkWidget *diagram = pw_test_find_widget (GTK_WIDGET (page), PW_TYPE_STRUCTURE_DIAGRAM, NULL);
      g_autofree char *text = NULL;

      g_assert_nonnull (diagram);
      /* A fresh workshop: every block is an outline, none filled. */
      g_assert_cmpuint (pw_structure_diagram_get_n_filled (PW_STRUCTURE_DIAGRAM (diagram)), ==, 0);
      text = pw_structure_diagram_describe (PW_STRUCTURE_DIAGRAM (diagram));
      g_assert_nonnull (strstr (text, "Dataset group: Not yet"));
      g_assert_nonnull (strstr (text, "Import job (items): Not yet"));
    }

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 800);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  pw_test_iterate_until (is_drawn, page, 10000);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  pw_test_save_screenshot (window, light, 150);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  pw_test_save_screenshot (window, dark, 150);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* A toast that nobody shows is freed at once. */
  g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &watched);
  pw_page_add_toast (page, toast);
  g_assert_null (watched);

  gtk_window_destroy (GTK_WINDOW (window));
  pw_test_iterate_for (50);
  g_assert_finalize_object (page);
  g_clear_object (&workshop);
  pw_test_remove_dir (dir);
}

#define TEST_KEY_ID "AKIDPAGETEST"
#define TEST_SECRET "s3cr3t-never-on-screen-0123456789"

static const char identity_xml[] =
  "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
  "<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/workshop</Arn>"
  "<UserId>AIDAPAGETEST</UserId><Account>123456789012</Account></GetCallerIdentityResult>"
  "<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>";

static const char refused_xml[] =
  "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
  "<Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message>"
  "</Error><RequestId>2</RequestId></ErrorResponse>";

static gboolean
subtitle_is_not (gpointer data)
{
  AdwActionRow *row = data;
  const char *subtitle = adw_action_row_get_subtitle (row);

  return subtitle != NULL && !g_str_equal (subtitle, "Connecting…") && !g_str_equal (subtitle, "Not tested yet");
}

static gboolean
keyring_row_says (gpointer data)
{
  const char *subtitle = adw_action_row_get_subtitle (data);

  return subtitle != NULL && strstr (subtitle, TEST_KEY_ID) != NULL;
}

static gboolean
keyring_row_empty (gpointer data)
{
  return g_strcmp0 (adw_action_row_get_subtitle (data), "No keys saved") == 0;
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents,
            const char *env)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  g_setenv (env, path, TRUE);
}

/* The AWS side of the Backend page against a loopback server that answers
 * as STS does: a profile of the AWS CLI, Test Connection showing the
 * account and ARN, then a refusal shown without the secret; typed keys
 * saved to and removed from the real keyring with the page's buttons. */
static void
test_backend_aws (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pw-pages-XXXXXX", NULL);
  g_autoptr(PwWorkshop) workshop = pw_test_new_workshop (dir);
  g_autoptr(PwAwsTestServer) server = pw_aws_test_server_new ();
  g_autofree char *config = NULL;
  g_autofree char *credentials = g_strdup_printf ("[pwtest]\naws_access_key_id = %s\naws_secret_access_key = %s\n",
                                                  TEST_KEY_ID, TEST_SECRET);
  GtkWidget *window = gtk_window_new ();
  PwPage *page;
  GtkWidget *test_button, *account_row, *arn_row, *keyring_row;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwAwsCredentials) stored = NULL;

  pw_aws_test_server_add_key (server, TEST_KEY_ID, TEST_SECRET, NULL);
  config = g_strdup_printf ("[profile pwtest]\nregion = eu-west-1\nendpoint_url = %s\n",
                            pw_aws_test_server_get_url (server));
  write_file (dir, "config", config, "AWS_CONFIG_FILE");
  write_file (dir, "credentials", credentials, "AWS_SHARED_CREDENTIALS_FILE");
  pw_aws_keyring_clear ("default", NULL, NULL);

  page = g_object_ref_sink (pw_backend_page_new (workshop));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 1000);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  pw_test_iterate_until (is_drawn, page, 10000);

  /* Only Personalize regions are accepted. */
  pw_backend_page_set_region (PW_BACKEND_PAGE (page), "xx-nowhere-9");
  g_assert_cmpstr (pw_backend_page_get_region (PW_BACKEND_PAGE (page)), ==, "us-east-1");

  pw_backend_page_set_backend (PW_BACKEND_PAGE (page), PW_WORKSHOP_BACKEND_AWS);
  pw_backend_page_set_profile (PW_BACKEND_PAGE (page), "pwtest");
  g_assert_cmpstr (pw_backend_page_get_profile (PW_BACKEND_PAGE (page)), ==, "pwtest");
  pw_backend_page_set_region (PW_BACKEND_PAGE (page), "eu-west-1");
  g_assert_cmpstr (pw_backend_page_get_region (PW_BACKEND_PAGE (page)), ==, "eu-west-1");

  test_button = pw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Test Connection");
  account_row = pw_test_find_widget (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW, "Account");
  arn_row = pw_test_find_widget (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW, "Signed In As");
  g_assert_nonnull (test_button);
  g_assert_nonnull (account_row);
  g_assert_nonnull (arn_row);

  pw_aws_test_server_push (server, PW_AWS_TEST_NORMAL, 200, "text/xml", identity_xml, NULL);
  g_signal_emit_by_name (test_button, "clicked");
  pw_test_iterate_until (subtitle_is_not, account_row, 20000);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (account_row)), ==, "123456789012");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (arn_row)), ==, "arn:aws:iam::123456789012:user/workshop");
  g_assert_cmpstr (pw_backend_page_get_account (PW_BACKEND_PAGE (page)), ==, "123456789012");
  g_assert_true (pw_aws_test_server_get_request (server, 0)->verified);
  g_assert_cmpstr (pw_aws_test_server_get_request (server, 0)->scope_region, ==, "eu-west-1");
  g_assert_true (pw_page_get_complete (page));
  pw_test_save_screenshot (window, "page-backend-aws", 150);

  /* Refused keys: said plainly, the secret nowhere. */
  pw_aws_test_server_push (server, PW_AWS_TEST_NORMAL, 403, "text/xml", refused_xml, NULL);
  pw_backend_page_set_region (PW_BACKEND_PAGE (page), "us-east-1");
  g_assert_false (pw_page_get_complete (page));
  g_signal_emit_by_name (test_button, "clicked");
  pw_test_iterate_until (subtitle_is_not, account_row, 20000);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (account_row)), ==, "Could not connect");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (arn_row)), "security token"));
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (arn_row)), TEST_SECRET));
  g_assert_false (pw_page_get_complete (page));
  pw_test_save_screenshot (window, "page-backend-aws-refused", 150);

  /* Typed keys go to the keyring with Save Keys, and away with Remove. */
  pw_backend_page_set_profile (PW_BACKEND_PAGE (page), NULL);
  gtk_editable_set_text (GTK_EDITABLE (pw_test_find_widget (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "Access Key ID")),
                         TEST_KEY_ID);
  gtk_editable_set_text (GTK_EDITABLE (pw_test_find_widget (GTK_WIDGET (page), ADW_TYPE_PASSWORD_ENTRY_ROW, "Secret Access Key")),
                         TEST_SECRET);
  keyring_row = pw_test_find_widget (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW, "System Keyring");
  g_assert_nonnull (keyring_row);
  g_signal_emit_by_name (pw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Save Keys"), "clicked");
  pw_test_iterate_until (keyring_row_says, keyring_row, 20000);
  stored = pw_aws_keyring_lookup ("default", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->access_key_id, ==, TEST_KEY_ID);
  g_assert_cmpstr (stored->secret_access_key, ==, TEST_SECRET);
  pw_test_save_screenshot (window, "page-backend-aws-keys", 150);
  /* The page keeps the secret out of its properties. */
  {
    g_autofree char *props = NULL;
    guint n = 0;
    g_autofree GParamSpec **specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (page), &n);
    GString *all = g_string_new (NULL);

    for (guint i = 0; i < n; i++)
      if (specs[i]->value_type == G_TYPE_STRING && (specs[i]->flags & G_PARAM_READABLE))
        {
          g_autofree char *v = NULL;
          g_object_get (page, specs[i]->name, &v, NULL);
          g_string_append_printf (all, "%s\n", v ? v : "");
        }
    props = g_string_free (all, FALSE);
    g_assert_null (strstr (props, TEST_SECRET));
  }

  g_signal_emit_by_name (pw_test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Remove Keys"), "clicked");
  pw_test_iterate_until (keyring_row_empty, keyring_row, 20000);
  g_clear_pointer (&stored, pw_aws_credentials_free);
  stored = pw_aws_keyring_lookup ("default", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (stored);

  gtk_window_destroy (GTK_WINDOW (window));
  pw_test_iterate_for (50);
  g_assert_finalize_object (page);
  g_unsetenv ("AWS_CONFIG_FILE");
  g_unsetenv ("AWS_SHARED_CREDENTIALS_FILE");
  g_clear_object (&workshop);
  pw_test_remove_dir (dir);
}

/* The live list: a row per resource of the chosen kinds, its status in
 * words and colour, its time, and the service's failure reason; rows
 * follow the resources' changes and the model's additions. */
static void
test_resource_list (void)
{
  g_autoptr(GListStore) store = g_list_store_new (PW_TYPE_WORKSHOP_RESOURCE);
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();
  g_autoptr(PwWorkshopResource) job = pw_workshop_resource_new (PW_RESOURCE_IMPORT_JOB, "pw-workshop-items-import-1",
                                                                "us-east-1", PW_WORKSHOP_BACKEND_LOCAL, created);
  g_autoptr(PwWorkshopResource) bucket = pw_workshop_resource_new (PW_RESOURCE_BUCKET, "pw-workshop-1",
                                                                   "us-east-1", PW_WORKSHOP_BACKEND_LOCAL, created);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = g_object_ref_sink (pw_resource_list_new (G_LIST_MODEL (store),
                                                             PW_RESOURCE_KIND_BIT (PW_RESOURCE_IMPORT_JOB)));
  GtkWidget *row, *status;
  const char *reason = "Input CSV is missing the required column ITEM_ID (line 1)";
  g_autofree char *t1 = pw_resource_format_elapsed (4.25);
  g_autofree char *t2 = pw_resource_format_elapsed (75);
  g_autofree char *t3 = pw_resource_format_elapsed (3725);
  g_autofree char *t4 = pw_resource_format_elapsed (-1);

  g_assert_cmpstr (t1, ==, "4.2 s");
  g_assert_cmpstr (t2, ==, "1 min 15 s");
  g_assert_cmpstr (t3, ==, "1 h 02 min");
  g_assert_cmpstr (t4, ==, "");

  g_assert_cmpuint (pw_resource_list_get_n_shown (PW_RESOURCE_LIST (list)), ==, 0);
  g_list_store_append (store, bucket);
  g_list_store_append (store, job);
  /* Only the kinds asked for. */
  g_assert_cmpuint (pw_resource_list_get_n_shown (PW_RESOURCE_LIST (list)), ==, 1);

  pw_workshop_resource_set_status (job, PW_RESOURCE_STATUS_CREATING);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 300);
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));
  pw_test_iterate_until (is_drawn, list, 10000);

  row = pw_test_find_widget (list, ADW_TYPE_ACTION_ROW, "Import job");
  g_assert_nonnull (row);
  status = pw_test_find_widget (row, GTK_TYPE_LABEL, "Creating");
  g_assert_nonnull (status);
  g_assert_true (gtk_widget_has_css_class (status, "creating"));

  /* The import fails: the row says so, with the service's reason. */
  pw_workshop_resource_set_failure_reason (job, reason);
  pw_workshop_resource_set_status (job, PW_RESOURCE_STATUS_FAILED);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (status)), ==, "Failed");
  g_assert_true (gtk_widget_has_css_class (status, "failed"));
  g_assert_false (gtk_widget_has_css_class (status, "creating"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), reason));
  g_assert_true (gtk_widget_has_css_class (row, "resource-failed"));
  pw_test_save_screenshot (window, "resource-list-failed", 150);

  /* Widening the kinds shows the bucket too. */
  pw_resource_list_set_kinds (PW_RESOURCE_LIST (list), 0);
  g_assert_cmpuint (pw_resource_list_get_n_shown (PW_RESOURCE_LIST (list)), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
  pw_test_iterate_for (50);
  g_assert_finalize_object (list);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* After a restart the Data page takes the workshop's folder and shows the
 * data the workshop reads back from it; a fresh workshop's page takes the
 * workshop's default folder. */
static void
test_data_resumed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pw-pages-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "data", NULL);
  g_autofree char *fresh_dir = g_build_filename (dir, "fresh", NULL);
  g_autoptr(PwPrepareResult) prepared = NULL;
  g_autoptr(GError) error = NULL;
  PwPrepareOptions options;
  PwWorkshop *workshop;
  GAsyncResult *result = NULL;
  GtkWidget *page;

  pw_prepare_options_init (&options);
  options.synthetic.n_users = 200;
  options.synthetic.n_items = 150;
  options.synthetic.n_ratings = 12000;
  options.output_dir = out;
  prepared = pw_prepare_run (&options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  workshop = pw_test_new_workshop (dir);
  g_assert_true (pw_workshop_set_prepared (workshop, prepared, out, &error));
  g_object_unref (workshop);

  workshop = pw_test_new_workshop (dir);
  page = g_object_ref_sink (GTK_WIDGET (pw_data_page_new (workshop)));
  g_assert_cmpstr (pw_data_page_get_output_dir (PW_DATA_PAGE (page)), ==, out);
  g_assert_null (pw_data_page_get_result (PW_DATA_PAGE (page)));
  pw_workshop_load_prepared_async (workshop, NULL, loaded_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (pw_workshop_load_prepared_finish (workshop, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_nonnull (pw_data_page_get_result (PW_DATA_PAGE (page)));
  g_assert_true (pw_data_page_get_result (PW_DATA_PAGE (page)) == pw_workshop_get_prepared (workshop));
  g_assert_cmpuint (pw_data_page_get_result (PW_DATA_PAGE (page))->split->n_training_rows, ==,
                    prepared->split->n_training_rows);
  g_object_unref (page);
  pw_test_iterate_for (50);
  g_object_unref (workshop);

  g_assert_cmpint (g_mkdir_with_parents (fresh_dir, 0700), ==, 0);
  workshop = pw_test_new_workshop (fresh_dir);
  page = g_object_ref_sink (GTK_WIDGET (pw_data_page_new (workshop)));
  g_assert_nonnull (pw_workshop_get_output_dir (workshop));
  g_assert_cmpstr (pw_data_page_get_output_dir (PW_DATA_PAGE (page)), ==, pw_workshop_get_output_dir (workshop));
  g_object_unref (page);
  g_object_unref (workshop);
  pw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  pw_test_init (&argc, &argv);
  {
    /* The application's style sheet, as AdwApplication loads it, so that
     * the pictures look as the application does. */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
    gtk_css_provider_load_from_resource (css, PW_RESOURCE_BASE "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pages/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_page);
    }

  g_test_add_func ("/pages/backend-aws", test_backend_aws);
  g_test_add_func ("/pages/resource-list", test_resource_list);
  g_test_add_func ("/pages/data-resumed", test_data_resumed);

  return g_test_run ();
}
