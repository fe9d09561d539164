/* pw-test-utils.c: helpers for widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>

#include "pw-test-utils.h"
#include "pw-ui.h"
#include "pw-window.h"

/* Sets up a widget test: GTK, libadwaita, our resources, and the
 * translations built in the build directory. Without a display the test is
 * skipped (a Flatpak build runs the tests without one), unless
 * PW_TESTS_REQUIRE_ALL is set, as the headless test command does. */
void
pw_test_init (int    *argc,
              char ***argv)
{
  const char *localedir = g_getenv ("PW_TEST_LOCALEDIR");

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      if (g_getenv ("PW_TESTS_REQUIRE_ALL") != NULL)
        {
          printf ("Bail out! no display, but PW_TESTS_REQUIRE_ALL is set\n");
          exit (1);
        }
      printf ("1..0 # SKIP no display\n");
      exit (0);
    }

  setlocale (LC_ALL, "");
  bindtextdomain (PW_GETTEXT_PACKAGE, localedir ? localedir : PW_LOCALEDIR);
  bind_textdomain_codeset (PW_GETTEXT_PACKAGE, "UTF-8");
  textdomain (PW_GETTEXT_PACKAGE);

  gtk_test_init (argc, argv, NULL);
  adw_init ();
  pw_ui_init ();
}

/* Renders @widget as it is on screen and saves it as PNG. */
gboolean
pw_test_save_widget_png (GtkWidget  *widget,
                         const char *path)
{
  return pw_test_save_widget_png_on (widget, NULL, path);
}

/**
 * pw_test_save_widget_png_on:
 * @background: (nullable): painted under the widget, for a part of a
 *   window that paints no background of its own
 */
gboolean
pw_test_save_widget_png_on (GtkWidget     *widget,
                            const GdkRGBA *background,
                            const char    *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  graphene_rect_t bounds;

  if (width <= 0 || height <= 0)
    {
      g_test_message ("%s: %s has no size (%d×%d)", path, G_OBJECT_TYPE_NAME (widget), width, height);
      return FALSE;
    }

  /* The paintable shows the widget's last drawn frame: right after a
   * style or content change there may be none until the frame clock has
   * drawn the window again, so wait for one (up to 3 s). */
  for (guint attempt = 0; attempt < 30 && node == NULL; attempt++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) drawn = NULL;

      if (attempt > 0)
        {
          gtk_widget_queue_draw (widget);
          pw_test_iterate_for (100);
        }
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      drawn = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (drawn == NULL)
        continue;
      if (background != NULL)
        {
          g_autoptr(GtkSnapshot) with = gtk_snapshot_new ();
          gtk_snapshot_append_color (with, background, &GRAPHENE_RECT_INIT (0, 0, width, height));
          gtk_snapshot_append_node (with, drawn);
          node = gtk_snapshot_free_to_node (g_steal_pointer (&with));
        }
      else
        node = g_steal_pointer (&drawn);
    }
  if (node == NULL)
    {
      g_test_message ("%s: %s drew nothing (mapped %d, visible %d, %d×%d)", path,
                      G_OBJECT_TYPE_NAME (widget), gtk_widget_get_mapped (widget),
                      gtk_widget_get_visible (widget), width, height);
      return FALSE;
    }

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  graphene_rect_init (&bounds, 0, 0, width, height);
  texture = gsk_renderer_render_texture (renderer, node, &bounds);

  return gdk_texture_save_to_png (texture, path);
}

/* Where screenshots go: $PW_SCREENSHOT_DIR (set by meson to a folder of the
 * build directory), else the current folder. */
char *
pw_test_screenshot_path (const char *name)
{
  const char *dir = g_getenv ("PW_SCREENSHOT_DIR");
  g_autofree char *file = g_strconcat (name, ".png", NULL);

  if (dir == NULL || *dir == '\0')
    dir = ".";
  g_mkdir_with_parents (dir, 0755);

  return g_build_filename (dir, file, NULL);
}

/**
 * pw_test_new_workshop:
 * @dir: a fresh folder for this test
 *
 * A workshop with its state file and its embedded server's data under
 * @dir, and short local status steps, so that tests never touch the
 * user's workshop and do not wait for long.
 */
PwWorkshop *
pw_test_new_workshop (const char *dir)
{
  g_autofree char *state = g_build_filename (dir, "workshop.json", NULL);
  g_autofree char *local = g_build_filename (dir, "local", NULL);
  g_autoptr(GError) error = NULL;
  PwWorkshop *workshop;

  workshop = g_initable_new (PW_TYPE_WORKSHOP, NULL, &error,
                             "state-file", state,
                             "local-data-dir", local,
                             "local-step-ms", 20u,
                             NULL);
  g_assert_no_error (error);
  return workshop;
}

/* Depth first: the first widget of @type whose label (a button), title (a
 * preferences row) or text (a label) is @text; %NULL text matches any. */
GtkWidget *
pw_test_find_widget (GtkWidget  *root,
                     GType       type,
                     const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        {
          const char *shown = NULL;

          if (GTK_IS_BUTTON (child))
            shown = gtk_button_get_label (GTK_BUTTON (child));
          else if (ADW_IS_PREFERENCES_ROW (child))
            shown = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child));
          else if (GTK_IS_LABEL (child))
            shown = gtk_label_get_label (GTK_LABEL (child));
          if (text == NULL || g_strcmp0 (shown, text) == 0)
            return child;
        }
      found = pw_test_find_widget (child, type, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFileInfo *info;
      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));
          remove_tree (child);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

void
pw_test_remove_dir (const char *dir)
{
  g_autoptr(GFile) file = g_file_new_for_path (dir);

  remove_tree (file);
}

void
pw_test_apply_cb (GObject      *page,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PwTestApply *apply = user_data;

  apply->ok = pw_page_apply_finish (PW_PAGE (page), result, &apply->error);
  apply->done = TRUE;
}

static gboolean
apply_done (gpointer data)
{
  return ((PwTestApply *) data)->done;
}

void
pw_test_apply_wait (PwTestApply *apply,
                    guint        timeout_ms)
{
  pw_test_iterate_until (apply_done, apply, timeout_ms);
}

void
pw_test_page_apply (PwPage       *page,
                    GCancellable *cancellable,
                    PwTestApply  *apply,
                    guint         timeout_ms)
{
  pw_page_apply_async (page, cancellable, pw_test_apply_cb, apply);
  pw_test_apply_wait (apply, timeout_ms);
}

gboolean
pw_test_widget_is_drawn (gpointer widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

void
pw_test_save_screenshot (GtkWidget  *widget,
                         const char *name,
                         guint       settle_ms)
{
  g_autofree char *path = pw_test_screenshot_path (name);
  GStatBuf st;

  pw_test_iterate_for (settle_ms);
  g_assert_true (pw_test_save_widget_png (widget, path));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 8000);
  g_test_message ("saved %s", path);
}

gboolean
pw_test_window_settled (gpointer window)
{
  GtkWidget *page = GTK_WIDGET (pw_window_get_visible_page (window));
  GtkWidget *stack = gtk_widget_get_parent (page);

  return gtk_widget_get_mapped (page) && !gtk_stack_get_transition_running (GTK_STACK (stack));
}

typedef struct
{
  PwWindow *window;
  PwPage   *page;
} WaitPage;

static gboolean
page_is_visible (gpointer data)
{
  WaitPage *w = data;

  return pw_window_get_visible_page (w->window) == w->page && pw_test_window_settled (w->window);
}

void
pw_test_wait_for_page (PwWindow *window,
                       PwPage   *page,
                       guint     timeout_ms)
{
  WaitPage w = { window, page };

  pw_test_iterate_until (page_is_visible, &w, timeout_ms);
}

void
pw_test_set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  pw_test_iterate_for (200);
}

PwChartLayout *
pw_test_layout_chart (PwChart            *chart,
                      int                 width,
                      int                 height,
                      const PwChartStyle *style)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  PangoContext *context = pango_cairo_create_context (cr);
  PwChartLayout *layout = pw_chart_layout_new (chart, context, width, height, style);

  g_object_unref (context);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return layout;
}
