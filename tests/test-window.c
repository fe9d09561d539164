/* test-window.c: the main window, walked as a user would
 *
 * Opens the real window under Xvfb, walks every step with Next and Back,
 * opens the Results view, and saves a PNG of each page under the build
 * directory (PW_SCREENSHOT_DIR) so that they can be looked at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "pw-application.h"
#include "pw-data-page.h"
#include "pw-page.h"
#include "pw-test-utils.h"
#include "pw-ui.h"
#include "pw-window.h"

/* One application for the whole program: a registered application exports
 * its actions on the session bus, and a second one at the same path fails. */
static PwApplication *app;

typedef struct
{
  char *dir;
  PwWorkshop *workshop;
  PwWindow *window;
} Fixture;

static void save_page_of (GtkWidget *widget, const char *name);

static void
save_page (PwWindow   *window,
           const char *name)
{
  save_page_of (GTK_WIDGET (window), name);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  /* A workshop of the test's own (state file and local engine data in a
   * temporary folder), and the test's own reference to the window, so
   * that it can check the window is finalized once closed. */
  f->dir = g_dir_make_tmp ("pw-window-XXXXXX", NULL);
  f->workshop = pw_test_new_workshop (f->dir);
  f->window = g_object_ref (pw_window_new_with_workshop (ADW_APPLICATION (app), f->workshop));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 760);
  gtk_window_present (GTK_WINDOW (f->window));
  pw_test_iterate_until (pw_test_widget_is_drawn, f->window, 10000);
  pw_test_iterate_until (pw_test_window_settled, f->window, 5000);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (f->window));
      g_assert_finalize_object (f->window);
    }
  g_clear_object (&f->workshop);
  pw_test_remove_dir (f->dir);
  g_free (f->dir);
}

static void
save_page_of (GtkWidget  *widget,
              const char *name)
{
  g_autofree char *path = pw_test_screenshot_path (name);
  GStatBuf st;

  /* Let the frame clock paint the page once more before the grab. */
  pw_test_iterate_for (100);
  g_assert_true (pw_test_save_widget_png (widget, path));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  /* A blank window compresses to a few hundred bytes; a page with text and
   * icons does not. */
  g_assert_cmpint (st.st_size, >, 10000);
  g_test_message ("saved %s", path);
}

static void
test_window_walk (Fixture       *f,
                  gconstpointer  data)
{
  guint n_steps = pw_window_get_n_steps (f->window);

  g_assert_cmpuint (n_steps, ==, 9);

  /* Every page's icon exists in the icon theme (a missing one is drawn as
   * a broken image). */
  {
    GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (f->window)));
    for (guint i = 0; i <= n_steps; i++)
      {
        PwPage *page = i < n_steps ? pw_window_get_step (f->window, i) : pw_window_get_results (f->window);
        g_assert_true (gtk_icon_theme_has_icon (theme, pw_page_get_icon_name (page)));
      }
    g_assert_true (gtk_icon_theme_has_icon (theme, "sidebar-show-symbolic"));
  }
  g_assert_true (pw_window_get_visible_page (f->window) == pw_window_get_step (f->window, 0));

  /* Later steps are locked until the earlier ones are done. */
  g_assert_false (pw_window_go_to_step (f->window, 3));
  g_assert_true (pw_window_get_visible_page (f->window) == pw_window_get_step (f->window, 0));

  /* Back does nothing on the first step. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back", NULL);
  pw_test_iterate_for (50);
  g_assert_true (pw_window_get_visible_page (f->window) == pw_window_get_step (f->window, 0));

  /* Every step's page says what it is; none is complete yet. */
  for (guint i = 0; i < n_steps; i++)
    {
      PwPage *page = pw_window_get_step (f->window, i);
      gboolean built = TRUE;

      g_assert_cmpuint (pw_page_get_step (page), ==, i);
      g_assert_true (pw_page_get_workshop (page) == f->workshop);
      g_assert_cmpint (pw_page_get_built (page), ==, built);
      g_assert_false (pw_page_get_complete (page));
      /* Nobody can call a step done that the workshop has not done. */
      pw_page_set_complete (page, TRUE);
      g_assert_false (pw_page_get_complete (page));
    }

  /* Next on the first step runs it (the local engine starts) and moves on. */
  save_page (f->window, "step-01-backend-credentials");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.next", NULL));
  pw_test_wait_for_page (f->window, pw_window_get_step (f->window, 1), 5000);
  g_assert_true (pw_page_get_complete (pw_window_get_step (f->window, 0)));
  save_page (f->window, "step-02-data");

  /* The Data page is not done, so the steps after it stay locked; but
   * Cleanup is always open. */
  g_assert_false (pw_window_go_to_step (f->window, 2));
  g_assert_false (pw_window_go_to_step (f->window, 5));
  g_assert_true (pw_window_go_to_step (f->window, n_steps - 1));
  pw_test_wait_for_page (f->window, pw_window_get_step (f->window, n_steps - 1), 5000);

  /* Back from there goes to the nearest step that can be opened (Data),
   * not to a locked one; Alt+1 style navigation to a reachable step;
   * Ctrl+R to Results and back again. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back", NULL);
  pw_test_wait_for_page (f->window, pw_window_get_step (f->window, 1), 5000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.go-to-step", "i", 1));
  pw_test_wait_for_page (f->window, pw_window_get_step (f->window, 0), 5000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.go-to-step", "i", 2));
  pw_test_wait_for_page (f->window, pw_window_get_step (f->window, 1), 5000);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-results", NULL);
  pw_test_wait_for_page (f->window, pw_window_get_results (f->window), 5000);
  save_page (f->window, "results");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-results", NULL);
  pw_test_wait_for_page (f->window, pw_window_get_step (f->window, 1), 5000);
}

static gboolean
page_is_complete (gpointer data)
{
  return pw_page_get_complete (data);
}

static void
test_window_apply_stays (Fixture       *f,
                         gconstpointer  data)
{
  PwPage *data_page = pw_window_get_step (f->window, 1);
  const PwSyntheticOptions small = { 7, 300, 240, 15000 };
  g_autofree char *out = g_build_filename (f->dir, "data", NULL);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.next", NULL);
  pw_test_wait_for_page (f->window, data_page, 5000);
  pw_data_page_set_synthetic (PW_DATA_PAGE (data_page), &small);
  pw_data_page_set_output_dir (PW_DATA_PAGE (data_page), out);

  /* A page's own button (win.apply) runs the step and stays, so that the
   * user sees what it did; Next then moves on without running it again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.apply", NULL));
  pw_test_iterate_until (page_is_complete, data_page, 60000);
  pw_test_iterate_for (300);
  g_assert_true (pw_window_get_visible_page (f->window) == data_page);
  save_page (f->window, "step-02-data-prepared");

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.next", NULL);
  pw_test_wait_for_page (f->window, pw_window_get_step (f->window, 2), 5000);
}

static void
test_window_dark (Fixture       *f,
                  gconstpointer  data)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  pw_test_iterate_for (200);
  g_assert_true (adw_style_manager_get_dark (manager));
  save_page (f->window, "dark-step-01-backend-credentials");
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_window_narrow (Fixture       *f,
                    gconstpointer  data)
{
  /* On a narrow screen the sidebar folds away; the page stays usable. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 400, 700);
  pw_test_iterate_for (400);
  save_page (f->window, "narrow-step-01");
}

static void
test_window_korean (void)
{
  g_autoptr(PwWindow) window = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pw-window-XXXXXX", NULL);
  g_autoptr(PwWorkshop) workshop = pw_test_new_workshop (dir);
  const char *old = g_getenv ("LANGUAGE");
  g_autofree char *saved = g_strdup (old);

  /* The workshop's audience reads Korean: a window opened in Korean shows
   * Korean titles and buttons. */
  g_setenv ("LANGUAGE", "ko", TRUE);
  setlocale (LC_ALL, "");   /* drops gettext's cache of looked-up strings */

  window = g_object_ref (pw_window_new_with_workshop (ADW_APPLICATION (app), workshop));
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_window_present (GTK_WINDOW (window));
  pw_test_iterate_until (pw_test_widget_is_drawn, window, 10000);
  pw_test_iterate_until (pw_test_window_settled, window, 5000);

  g_assert_cmpstr (pw_page_get_title (pw_window_get_step (window, 0)), ==, "백엔드 및 자격 증명");
  g_assert_cmpstr (pw_page_get_title (pw_window_get_results (window)), ==, "결과");
  save_page (window, "ko-step-01");

  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (g_steal_pointer (&window));
  g_clear_object (&workshop);
  pw_test_remove_dir (dir);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
about_is_shown (gpointer data)
{
  return find_toplevel (ADW_TYPE_ABOUT_WINDOW) != NULL;
}

static gboolean
shortcuts_are_shown (gpointer data)
{
  return find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW) != NULL;
}

static void
test_window_about_and_shortcuts (Fixture       *f,
                                 gconstpointer  data)
{
  GtkWindow *about;
  GtkWindow *shortcuts;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  pw_test_iterate_until (about_is_shown, NULL, 5000);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Personalize Workshop");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PW_VERSION);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (f->window));
  pw_test_iterate_for (300);
  save_page_of (GTK_WIDGET (about), "about");
  gtk_window_destroy (about);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-help-overlay", NULL));
  pw_test_iterate_until (shortcuts_are_shown, NULL, 5000);
  shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  pw_test_iterate_for (300);
  save_page_of (GTK_WIDGET (shortcuts), "shortcuts");
  gtk_window_close (shortcuts);
}

static void
test_window_size_saved (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (PW_SCHEMA_ID);

  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);
  pw_test_iterate_for (100);
  gtk_window_close (GTK_WINDOW (f->window));
  pw_test_iterate_for (50);
  g_assert_finalize_object (f->window);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* A new window opens at the saved size. */
  f->window = g_object_ref (pw_window_new_with_workshop (ADW_APPLICATION (app), f->workshop));
  {
    int width, height;
    gtk_window_get_default_size (GTK_WINDOW (f->window), &width, &height);
    g_assert_cmpint (width, ==, 1000);
    g_assert_cmpint (height, ==, 700);
  }
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
test_window_toast_freed (Fixture       *f,
                         gconstpointer  data)
{
  PwPage *page = pw_window_get_step (f->window, 0);
  AdwToast *dismissed = adw_toast_new ("Shown then dismissed");
  AdwToast *open = adw_toast_new ("Still shown when the window closes");
  AdwToast *direct = adw_toast_new ("From the window");
  AdwToast *watch_dismissed = dismissed;
  AdwToast *watch_open = open;
  AdwToast *watch_direct = direct;

  g_object_add_weak_pointer (G_OBJECT (dismissed), (gpointer *) &watch_dismissed);
  g_object_add_weak_pointer (G_OBJECT (open), (gpointer *) &watch_open);
  g_object_add_weak_pointer (G_OBJECT (direct), (gpointer *) &watch_direct);

  /* A page's toast goes through the window to the overlay; once dismissed
   * the overlay drops it and nothing else holds it. */
  adw_toast_set_timeout (dismissed, 0);
  pw_page_add_toast (page, dismissed);
  pw_test_iterate_for (200);
  g_assert_nonnull (watch_dismissed);
  adw_toast_dismiss (watch_dismissed);
  pw_test_iterate_until (pointer_cleared, &watch_dismissed, 5000);
  g_assert_null (watch_dismissed);

  /* Toasts still queued or shown are freed with the window. */
  adw_toast_set_timeout (open, 0);
  adw_toast_set_timeout (direct, 0);
  pw_page_add_toast (page, open);
  pw_window_add_toast (f->window, direct);
  pw_test_iterate_for (100);
  g_assert_nonnull (watch_open);
  g_assert_nonnull (watch_direct);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (g_steal_pointer (&f->window));
  pw_test_iterate_for (50);
  g_assert_null (watch_open);
  g_assert_null (watch_direct);
}

int
main (int   argc,
      char *argv[])
{
  pw_test_init (&argc, &argv);
  app = pw_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add ("/window/walk", Fixture, NULL, fixture_set_up, test_window_walk, fixture_tear_down);
  g_test_add ("/window/apply-stays", Fixture, NULL, fixture_set_up, test_window_apply_stays, fixture_tear_down);
  g_test_add ("/window/dark", Fixture, NULL, fixture_set_up, test_window_dark, fixture_tear_down);
  g_test_add ("/window/narrow", Fixture, NULL, fixture_set_up, test_window_narrow, fixture_tear_down);
  g_test_add_func ("/window/korean", test_window_korean);
  g_test_add ("/window/about-and-shortcuts", Fixture, NULL, fixture_set_up, test_window_about_and_shortcuts, fixture_tear_down);
  g_test_add ("/window/toast-freed", Fixture, NULL, fixture_set_up, test_window_toast_freed, fixture_tear_down);
  g_test_add ("/window/size-saved", Fixture, NULL, fixture_set_up, test_window_size_saved, fixture_tear_down);

  return g_test_run ();
}
