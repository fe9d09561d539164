/* pw-test-utils.h: helpers for widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pw-workshop.h"

G_BEGIN_DECLS

void     pw_test_init                 (int        *argc,
                                       char     ***argv);
void     pw_test_iterate_until        (gboolean  (*done) (gpointer data),
                                       gpointer    data,
                                       guint       timeout_ms);
void     pw_test_iterate_for          (guint       ms);
gboolean pw_test_save_widget_png      (GtkWidget  *widget,
                                       const char *path);
gboolean pw_test_save_widget_png_on   (GtkWidget     *widget,
                                       const GdkRGBA *background,
                                       const char    *path);
char    *pw_test_screenshot_path      (const char *name);
void     pw_test_save_screenshot      (GtkWidget  *widget,
                                       const char *name,
                                       guint       settle_ms);
void     pw_test_set_dark             (gboolean    dark);
PwWorkshop *pw_test_new_workshop      (const char *dir);
GtkWidget  *pw_test_find_widget       (GtkWidget  *root,
                                       GType       type,
                                       const char *text);
void        pw_test_remove_dir        (const char *dir);

G_END_DECLS
