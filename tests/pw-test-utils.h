/* pw-test-utils.h: helpers for widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void     pw_test_init                 (int        *argc,
                                       char     ***argv);
void     pw_test_iterate_until        (gboolean  (*done) (gpointer data),
                                       gpointer    data,
                                       guint       timeout_ms);
void     pw_test_iterate_for          (guint       ms);
gboolean pw_test_save_widget_png      (GtkWidget  *widget,
                                       const char *path);
char    *pw_test_screenshot_path      (const char *name);

G_END_DECLS
