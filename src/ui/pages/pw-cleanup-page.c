/* pw-cleanup-page.c: step 9 of 9 (notebook 9.1), delete everything
 *
 * Lists every resource of the workshop state with its status; applying
 * the page runs the workshop's CLEANUP step, which deletes them in
 * dependency order, and each row follows its resource to "Deleted". A
 * line on top says how many still exist (and so may cost money on AWS).
 * "Find leftovers" asks the back end for resources carrying the
 * workshop's name prefix, remembered or not, and lists them; "Add
 * Leftovers to Cleanup" records them in the state so that applying the
 * page deletes them too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cleanup-page"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-cleanup-page.h"
#include "pw-resource-list.h"
#include "pw-step-intro.h"
#include "pw-step-progress.h"
#include "pw-ui.h"

struct _PwCleanupPage
{
  PwPage parent_instance;

  GListModel *leftovers;
  GCancellable *cancellable;

  GtkLabel *summary_label;
  GtkBox *resources_box;
  GtkBox *leftovers_box;
  GtkButton *leftovers_button;
  GtkButton *adopt_button;
  PwStepProgress *progress;
};

G_DEFINE_FINAL_TYPE (PwCleanupPage, pw_cleanup_page, PW_TYPE_PAGE)

static void
update_summary (PwCleanupPage *self)
{
  PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));
  guint total = workshop ? g_list_model_get_n_items (pw_workshop_get_resources (workshop)) : 0;
  guint live = workshop ? pw_workshop_count_live (workshop) : 0;
  g_autofree char *text = NULL;

  if (total == 0)
    text = g_strdup (_("The workshop has not created anything yet."));
  else if (live == 0)
    text = g_strdup (_("Everything the workshop created is deleted."));
  else
    /* Translators: %u is a number of resources */
    text = g_strdup_printf (ngettext ("%u resource still exists.",
                                         "%u resources still exist.", live), live);
  gtk_label_set_text (self->summary_label, text);
}

static void
find_leftovers_done_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(PwCleanupPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = NULL;
  GtkWidget *child;

  gtk_widget_set_sensitive (GTK_WIDGET (self->leftovers_button), TRUE);
  found = pw_workshop_find_leftovers_finish (PW_WORKSHOP (object), result, &error);
  if (found == NULL)
    {
      pw_page_show_error (PW_PAGE (self), error);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->leftovers_box))) != NULL)
    gtk_box_remove (self->leftovers_box, child);
  g_set_object (&self->leftovers, found);
  if (g_list_model_get_n_items (found) == 0)
    {
      GtkWidget *label = gtk_label_new (_("No leftovers: nothing in this account carries the workshop’s prefix."));
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (self->leftovers_box, label);
    }
  else
    gtk_box_append (self->leftovers_box, pw_resource_list_new (found, 0));
  gtk_widget_set_visible (GTK_WIDGET (self->adopt_button), g_list_model_get_n_items (found) > 0);
}

static void
adopt_leftovers_cb (PwCleanupPage *self)
{
  PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = 0;

  if (workshop == NULL || self->leftovers == NULL)
    return;
  if (!pw_workshop_adopt_leftovers (workshop, self->leftovers, &n, &error))
    {
      pw_page_add_toast (PW_PAGE (self), adw_toast_new (error->message));
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->adopt_button), FALSE);
  if (n == 0)
    text = g_strdup (_("The workshop already lists these leftovers."));
  else
    /* Translators: %u is a number of resources */
    text = g_strdup_printf (ngettext ("%u leftover added: Cleanup deletes it with the rest.",
                                      "%u leftovers added: Cleanup deletes them with the rest.", n), n);
  pw_page_add_toast (PW_PAGE (self), adw_toast_new (text));
}

static void
find_leftovers_cb (PwCleanupPage *self)
{
  PwWorkshop *workshop = pw_page_get_workshop (PW_PAGE (self));

  if (workshop == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->leftovers_button), FALSE);
  pw_workshop_find_leftovers_async (workshop, self->cancellable, find_leftovers_done_cb, g_object_ref (self));
}

static void
pw_cleanup_page_constructed (GObject *object)
{
  PwCleanupPage *self = PW_CLEANUP_PAGE (object);
  PwWorkshop *workshop;

  G_OBJECT_CLASS (pw_cleanup_page_parent_class)->constructed (object);

  workshop = pw_page_get_workshop (PW_PAGE (self));
  pw_step_progress_bind (self->progress, workshop, PW_WORKSHOP_STEP_CLEANUP);
  gtk_box_append (self->resources_box,
                  pw_resource_list_new (workshop ? pw_workshop_get_resources (workshop) : NULL, 0));
  if (workshop != NULL)
    {
      g_signal_connect_object (workshop, "resource-changed", G_CALLBACK (update_summary), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (pw_workshop_get_resources (workshop), "items-changed",
                               G_CALLBACK (update_summary), self, G_CONNECT_SWAPPED);
    }
  update_summary (self);
}

static void
pw_cleanup_page_dispose (GObject *object)
{
  PwCleanupPage *self = PW_CLEANUP_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), PW_TYPE_CLEANUP_PAGE);
  g_clear_object (&self->leftovers);

  G_OBJECT_CLASS (pw_cleanup_page_parent_class)->dispose (object);
}

static void
pw_cleanup_page_finalize (GObject *object)
{
  PwCleanupPage *self = PW_CLEANUP_PAGE (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pw_cleanup_page_parent_class)->finalize (object);
}

static void
pw_cleanup_page_class_init (PwCleanupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pw_cleanup_page_constructed;
  object_class->dispose = pw_cleanup_page_dispose;
  object_class->finalize = pw_cleanup_page_finalize;

  g_type_ensure (PW_TYPE_STEP_INTRO);
  g_type_ensure (PW_TYPE_STEP_PROGRESS);

  gtk_widget_class_set_template_from_resource (widget_class, PW_RESOURCE_BASE "/ui/pw-cleanup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PwCleanupPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PwCleanupPage, resources_box);
  gtk_widget_class_bind_template_child (widget_class, PwCleanupPage, leftovers_box);
  gtk_widget_class_bind_template_child (widget_class, PwCleanupPage, leftovers_button);
  gtk_widget_class_bind_template_child (widget_class, PwCleanupPage, adopt_button);
  gtk_widget_class_bind_template_child (widget_class, PwCleanupPage, progress);
  gtk_widget_class_bind_template_callback (widget_class, find_leftovers_cb);
  gtk_widget_class_bind_template_callback (widget_class, adopt_leftovers_cb);
}

static void
pw_cleanup_page_init (PwCleanupPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  pw_ui_fix_mnemonic_buttons (GTK_WIDGET (self));

  pw_page_set_title (PW_PAGE (self), _("Cleanup"));
  pw_page_set_icon_name (PW_PAGE (self), "user-trash-symbolic");
}

PwPage *
pw_cleanup_page_new (PwWorkshop *workshop)
{
  return g_object_new (PW_TYPE_CLEANUP_PAGE,
                       "workshop", workshop,
                       "step", (guint) PW_WORKSHOP_STEP_CLEANUP,
                       NULL);
}

GListModel *
pw_cleanup_page_get_leftovers (PwCleanupPage *self)
{
  g_return_val_if_fail (PW_IS_CLEANUP_PAGE (self), NULL);

  return self->leftovers;
}
