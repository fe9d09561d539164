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
#include "pw-backend-page.h"
#include "pw-batch-page.h"
#include "pw-campaigns-page.h"
#include "pw-cleanup-page.h"
#include "pw-data-page.h"
#include "pw-dataset-group-page.h"
#include "pw-live-events-page.h"
#include "pw-page.h"
#include "pw-step-intro.h"
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
save (GtkWidget  *widget,
      const char *name)
{
  g_autofree char *path = pw_test_screenshot_path (name);
  GStatBuf st;

  pw_test_iterate_for (150);
  g_assert_true (pw_test_save_widget_png (widget, path));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 8000);
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
  save (window, light);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  save (window, dark);
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

int
main (int   argc,
      char *argv[])
{
  pw_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pages/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_page);
    }

  return g_test_run ();
}
