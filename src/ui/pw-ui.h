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

/* g_set_str() of GLib 2.76 (we support 2.74): replaces *@ptr with a copy
 * of @value; FALSE when they were equal (nothing to notify). */
gboolean pw_ui_set_str              (char      **ptr,
                                     const char *value);

/* What was typed into @editable (a user id, a title), without spaces at
 * either end; %NULL when nothing else was typed. */
char    *pw_ui_editable_dup_stripped (GtkEditable *editable);
/* Shows @text (%NULL: nothing) in @editable unless it shows it already,
 * so that an entry already holding it keeps its cursor and emits no
 * "changed". */
void     pw_ui_editable_sync_text    (GtkEditable *editable,
                                      const char  *text);

G_END_DECLS
