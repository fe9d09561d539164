/* pw-ui.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void pw_ui_init                     (void);
void pw_ui_set_button_label         (GtkButton  *button,
                                     const char *label);
void pw_ui_fix_mnemonic_buttons     (GtkWidget  *root);

G_END_DECLS
