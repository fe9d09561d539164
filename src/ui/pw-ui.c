/* pw-ui.c: what the user interface needs before its first widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-ui"

#include "pw-config.h"

#include <gtk/gtk.h>

#include "pw-bar-chart.h"
#include "pw-histogram.h"
#include "pw-page.h"
#include "pw-resources.h"
#include "pw-ui.h"

/**
 * pw_ui_init:
 *
 * Registers the application's resources and the types its templates use.
 * The resources live in a static library, whose constructor a linker may
 * drop, so they are registered by hand. Safe to call more than once.
 */
void
pw_ui_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      pw_register_resource ();
      g_type_ensure (PW_TYPE_PAGE);
      g_type_ensure (PW_TYPE_BAR_CHART);
      g_type_ensure (PW_TYPE_HISTOGRAM);
      g_once_init_leave (&initialized, 1);
    }
}

/* GTK 4.8 names a button with a mnemonic "_Next Next" on the accessibility
 * bus: the label it sets as its accessible label (underscore included),
 * then its content. Dropping the former leaves the name a screen reader
 * should say. */
static void
fix_mnemonic_name (GtkButton *button)
{
  if (gtk_button_get_use_underline (button) && gtk_button_get_label (button) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/**
 * pw_ui_set_button_label:
 *
 * Sets a button's label (with a mnemonic) and keeps its accessible name
 * right.
 */
void
pw_ui_set_button_label (GtkButton  *button,
                        const char *label)
{
  g_return_if_fail (GTK_IS_BUTTON (button));

  gtk_button_set_label (button, label);
  fix_mnemonic_name (button);
}

/**
 * pw_ui_fix_mnemonic_buttons:
 *
 * Gives every button with a mnemonic under @root its plain accessible name
 * (see pw_ui_set_button_label()); for templates, after init_template().
 */
void
pw_ui_fix_mnemonic_buttons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root))
    fix_mnemonic_name (GTK_BUTTON (root));

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    pw_ui_fix_mnemonic_buttons (child);
}

gboolean
pw_ui_set_str (char       **ptr,
               const char  *value)
{
  if (g_strcmp0 (*ptr, value) == 0)
    return FALSE;
  g_free (*ptr);
  *ptr = g_strdup (value);
  return TRUE;
}

char *
pw_ui_editable_dup_stripped (GtkEditable *editable)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (GTK_IS_EDITABLE (editable), NULL);

  text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));
  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

void
pw_ui_editable_sync_text (GtkEditable *editable,
                          const char  *text)
{
  g_return_if_fail (GTK_IS_EDITABLE (editable));

  if (text == NULL)
    text = "";
  if (g_strcmp0 (gtk_editable_get_text (editable), text) != 0)
    gtk_editable_set_text (editable, text);
}
