/* pw-test-utils.c: helpers for widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "pw-test-utils.h"
#include "pw-ui.h"

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

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until @done returns TRUE; fails the test after
 * @timeout_ms. */
void
pw_test_iterate_until (gboolean (*done) (gpointer data),
                       gpointer   data,
                       guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

void
pw_test_iterate_for (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

/* Renders @widget as it is on screen and saves it as PNG. */
gboolean
pw_test_save_widget_png (GtkWidget  *widget,
                         const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  graphene_rect_t bounds;

  if (width <= 0 || height <= 0)
    return FALSE;

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return FALSE;

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
