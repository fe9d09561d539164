/* pw-window.h: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pw-page.h"

G_BEGIN_DECLS

#define PW_TYPE_WINDOW (pw_window_get_type ())
G_DECLARE_FINAL_TYPE (PwWindow, pw_window, PW, WINDOW, AdwApplicationWindow)

PwWindow *pw_window_new               (AdwApplication *application);
PwWindow *pw_window_new_with_workshop (AdwApplication *application,
                                       PwWorkshop     *workshop);
PwWorkshop *pw_window_get_workshop    (PwWindow       *self);
guint     pw_window_get_n_steps       (PwWindow       *self);
PwPage   *pw_window_get_step          (PwWindow       *self,
                                       guint           index);
PwPage   *pw_window_get_results       (PwWindow       *self);
PwPage   *pw_window_get_visible_page  (PwWindow       *self);
gboolean  pw_window_go_to_step        (PwWindow       *self,
                                       guint           index);
void      pw_window_show_results      (PwWindow       *self);
void      pw_window_add_toast         (PwWindow       *self,
                                       AdwToast       *toast);

G_END_DECLS
