/* pw-step-intro.h: a few plain sentences on a step, with a link to the guide
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PW_TYPE_STEP_INTRO (pw_step_intro_get_type ())
G_DECLARE_FINAL_TYPE (PwStepIntro, pw_step_intro, PW, STEP_INTRO, AdwBin)

GtkWidget  *pw_step_intro_new      (const char  *text,
                                    const char  *uri);
const char *pw_step_intro_get_text (PwStepIntro *self);
void        pw_step_intro_set_text (PwStepIntro *self,
                                    const char  *text);
const char *pw_step_intro_get_uri  (PwStepIntro *self);
void        pw_step_intro_set_uri  (PwStepIntro *self,
                                    const char  *uri);

G_END_DECLS
