/* pw-test-utils.h: helpers for widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pw-charts.h"
#include "pw-page.h"
#include "pw-window.h"
#include "pw-workshop.h"
#include "pw-workshop-test-utils.h"

G_BEGIN_DECLS

void     pw_test_init                 (int        *argc,
                                       char     ***argv);
gboolean pw_test_save_widget_png      (GtkWidget  *widget,
                                       const char *path);
gboolean pw_test_save_widget_png_on   (GtkWidget     *widget,
                                       const GdkRGBA *background,
                                       const char    *path);
char    *pw_test_screenshot_path      (const char *name);
/* Iterates @settle_ms, saves @widget as PNG under the screenshot folder as
 * @name.png and checks that the file holds a real picture (> 8000 bytes). */
void     pw_test_save_screenshot      (GtkWidget  *widget,
                                       const char *name,
                                       guint       settle_ms);
/* Forces the dark (or light) style and lets the widgets redraw (200 ms). */
void     pw_test_set_dark             (gboolean    dark);
/* For pw_test_iterate_until(): @widget is mapped and has a width. */
gboolean pw_test_widget_is_drawn      (gpointer    widget);
/* For pw_test_iterate_until(): @window's visible page is mapped and its
 * stack is not in a transition. */
gboolean pw_test_window_settled       (gpointer    window);
/* Iterates until @page is @window's visible page, settled; fails the test
 * after @timeout_ms. */
void     pw_test_wait_for_page        (PwWindow   *window,
                                       PwPage     *page,
                                       guint       timeout_ms);
PwWorkshop *pw_test_new_workshop      (const char *dir);
GtkWidget  *pw_test_find_widget       (GtkWidget  *root,
                                       GType       type,
                                       const char *text);
void        pw_test_remove_dir        (const char *dir);

/* A page's apply, caught by pw_test_apply_cb() (user_data: the
 * PwTestApply): done, and its result. Clear @error after a failure. */
typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} PwTestApply;

void        pw_test_apply_cb          (GObject      *page,
                                       GAsyncResult *result,
                                       gpointer      user_data);
/* Iterates until the apply is done; fails the test after @timeout_ms. */
void        pw_test_apply_wait        (PwTestApply  *apply,
                                       guint         timeout_ms);
/* pw_page_apply_async() into @apply, then pw_test_apply_wait(). */
void        pw_test_page_apply        (PwPage       *page,
                                       GCancellable *cancellable,
                                       PwTestApply  *apply,
                                       guint         timeout_ms);

/* Lays @chart out at @width x @height with @style, measuring text on a
 * 1x1 image surface: no display needed. Free with pw_chart_layout_free(). */
PwChartLayout *pw_test_layout_chart   (PwChart            *chart,
                                       int                 width,
                                       int                 height,
                                       const PwChartStyle *style);

G_END_DECLS
