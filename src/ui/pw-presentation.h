/* pw-presentation.h: the charts full screen, one at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PW_TYPE_PRESENTATION (pw_presentation_get_type ())
G_DECLARE_FINAL_TYPE (PwPresentation, pw_presentation, PW, PRESENTATION, AdwWindow)

PwPresentation *pw_presentation_new          (GListModel     *charts);
guint           pw_presentation_get_position (PwPresentation *self);
void            pw_presentation_set_position (PwPresentation *self,
                                              guint           position);
GtkWidget      *pw_presentation_get_view     (PwPresentation *self);

G_END_DECLS
