/* pw-step-progress.h: the progress of a running workshop step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pw-workshop.h"

G_BEGIN_DECLS

#define PW_TYPE_STEP_PROGRESS (pw_step_progress_get_type ())
G_DECLARE_FINAL_TYPE (PwStepProgress, pw_step_progress, PW, STEP_PROGRESS, AdwBin)

GtkWidget *pw_step_progress_new (PwWorkshop     *workshop,
                                 PwWorkshopStep  step);
void       pw_step_progress_bind (PwStepProgress *self,
                                  PwWorkshop     *workshop,
                                  PwWorkshopStep  step);

G_END_DECLS
