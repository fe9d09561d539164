/* pw-page.h: the wizard page contract
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pw-workshop.h"

G_BEGIN_DECLS

#define PW_TYPE_PAGE (pw_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (PwPage, pw_page, PW, PAGE, AdwBin)

/**
 * PwPageClass:
 * @apply_async: does the step's work (off the main loop); the default
 *   runs the page's workshop step (pw_workshop_run_step_async()), or,
 *   for a page without one, has nothing to do and succeeds at once.
 * @apply_finish: finishes @apply_async.
 * @workshop_changed: a step of the page's workshop changed state (@step),
 *   or the page was mapped (@step is %PW_WORKSHOP_N_STEPS: anything may
 *   have changed while it was hidden). Pages that show one state or
 *   another (ready or not) update themselves here.
 *
 * A wizard page (the contract of GNOME Initial Setup): a page is `complete`
 * when its step is done, `applying` while its work runs, and `apply` does
 * the work with a cancellable. The window drives Back/Next, the spinner and
 * Cancel; a page talks upward through the `add-toast` signal.
 *
 * A page of the workshop is created with the #PwWorkshop and its
 * #PwWorkshopStep (construct-only). The workshop is then the only truth:
 * the page is complete exactly when pw_workshop_get_step_state() says
 * COMPLETE (and nothing on the page changed since, see
 * pw_page_mark_stale()), and built exactly when the step is built.
 */
struct _PwPageClass
{
  AdwBinClass parent_class;

  void     (*apply_async)  (PwPage              *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data);
  gboolean (*apply_finish) (PwPage              *self,
                            GAsyncResult        *result,
                            GError             **error);
  void     (*workshop_changed) (PwPage          *self,
                                PwWorkshopStep   step);
};

const char *pw_page_get_title        (PwPage              *self);
void        pw_page_set_title        (PwPage              *self,
                                      const char          *title);
const char *pw_page_get_icon_name    (PwPage              *self);
void        pw_page_set_icon_name    (PwPage              *self,
                                      const char          *icon_name);
gboolean    pw_page_get_complete     (PwPage              *self);
void        pw_page_set_complete     (PwPage              *self,
                                      gboolean             complete);
gboolean    pw_page_get_applying     (PwPage              *self);
gboolean    pw_page_get_built        (PwPage              *self);
void        pw_page_apply_async      (PwPage              *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean    pw_page_apply_finish     (PwPage              *self,
                                      GAsyncResult        *result,
                                      GError             **error);
void        pw_page_add_toast        (PwPage              *self,
                                      AdwToast            *toast);
void        pw_page_show_error       (PwPage              *self,
                                      const GError        *error);
gboolean    pw_page_show_ready       (PwPage              *self,
                                      PwWorkshopStep       step,
                                      gboolean             has_data,
                                      GtkWidget           *ready_box,
                                      GtkWidget           *not_ready,
                                      gboolean            *became_ready);
PwWorkshop *pw_page_get_workshop     (PwPage              *self);
guint       pw_page_get_step         (PwPage              *self);
void        pw_page_mark_stale       (PwPage              *self);
gboolean    pw_page_get_busy         (PwPage              *self);
void        pw_page_set_busy         (PwPage              *self,
                                      gboolean             busy);
void        pw_page_step_done_cb     (GObject             *workshop,
                                      GAsyncResult        *result,
                                      gpointer             task);

G_END_DECLS
