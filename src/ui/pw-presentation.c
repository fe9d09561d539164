/* pw-presentation.c: the charts full screen, one at a time
 *
 * Presenting mode for a projector: a full-screen window that shows one
 * chart of the session at a time in large type (the chart view's
 * presentation style), with the chart's position ("3 of 7") and a line
 * saying how to move. Right, Down, Page Down and Space go forward; Left,
 * Up, Page Up and Backspace go back; Home and End jump; Escape leaves.
 * Colours come from the theme, so light and dark are both right. The
 * window follows the model: charts published while presenting appear.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-presentation"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-charts.h"
#include "pw-presentation.h"
#include "pw-ui.h"

struct _PwPresentation
{
  AdwWindow parent_instance;

  GListModel *charts;
  guint position;

  GtkWidget *view;
  GtkWidget *empty;
  GtkLabel *counter;
};

G_DEFINE_FINAL_TYPE (PwPresentation, pw_presentation, ADW_TYPE_WINDOW)

static void
show_position (PwPresentation *self)
{
  guint n = self->charts ? g_list_model_get_n_items (self->charts) : 0;
  g_autofree char *counter = NULL;

  gtk_widget_set_visible (self->view, n > 0);
  gtk_widget_set_visible (self->empty, n == 0);
  if (n == 0)
    {
      gtk_label_set_text (self->counter, "");
      return;
    }
  self->position = MIN (self->position, n - 1);
  {
    g_autoptr(PwChart) chart = g_list_model_get_item (self->charts, self->position);
    pw_chart_view_set_chart (PW_CHART_VIEW (self->view), chart);
  }
  /* Translators: the position of the chart shown full screen, "3 of 7" */
  counter = g_strdup_printf (_("%u of %u"), self->position + 1, n);
  gtk_label_set_text (self->counter, counter);
}

static void
items_changed_cb (PwPresentation *self)
{
  show_position (self);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PwPresentation *self = PW_PRESENTATION (widget);
  int delta = g_variant_get_int32 (parameter);
  guint n = g_list_model_get_n_items (self->charts);

  if (n == 0)
    return;
  if (delta == G_MININT32)
    pw_presentation_set_position (self, 0);
  else if (delta == G_MAXINT32)
    pw_presentation_set_position (self, n - 1);
  else if (delta < 0 && self->position > 0)
    pw_presentation_set_position (self, self->position - 1);
  else if (delta > 0 && self->position + 1 < n)
    pw_presentation_set_position (self, self->position + 1);
}

static void
leave_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
pw_presentation_dispose (GObject *object)
{
  PwPresentation *self = PW_PRESENTATION (object);

  g_clear_object (&self->charts);
  gtk_widget_dispose_template (GTK_WIDGET (object), PW_TYPE_PRESENTATION);

  G_OBJECT_CLASS (pw_presentation_parent_class)->dispose (object);
}

static void
pw_presentation_class_init (PwPresentationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_presentation_dispose;

  gtk_widget_class_install_action (widget_class, "presentation.move", "i", move_action);
  gtk_widget_class_install_action (widget_class, "presentation.leave", NULL, leave_action);

  g_type_ensure (PW_TYPE_BAR_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, PW_RESOURCE_BASE "/ui/pw-presentation.ui");
  gtk_widget_class_bind_template_child (widget_class, PwPresentation, view);
  gtk_widget_class_bind_template_child (widget_class, PwPresentation, empty);
  gtk_widget_class_bind_template_child (widget_class, PwPresentation, counter);
}

/* The keys, in a controller of the capture phase: they move between charts
 * before the window's own arrow keys could move the focus. */
static void
add_keys (PwPresentation *self)
{
  const struct { guint key; int delta; } keys[] = {
    { GDK_KEY_Right, 1 }, { GDK_KEY_Down, 1 }, { GDK_KEY_Page_Down, 1 }, { GDK_KEY_space, 1 },
    { GDK_KEY_Left, -1 }, { GDK_KEY_Up, -1 }, { GDK_KEY_Page_Up, -1 }, { GDK_KEY_BackSpace, -1 },
    { GDK_KEY_Home, G_MININT32 }, { GDK_KEY_End, G_MAXINT32 },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (controller, "presentation-keys");
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new_with_arguments (gtk_keyval_trigger_new (keys[i].key, 0),
                                                                           gtk_named_action_new ("presentation.move"),
                                                                           "i", keys[i].delta));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("presentation.leave")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
pw_presentation_init (PwPresentation *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_keys (self);
}

/**
 * pw_presentation_new:
 * @charts: a GListModel of PwChart (the session's board)
 *
 * Returns: (transfer none): a new window (call gtk_window_fullscreen() and
 *   present it; it belongs to GTK's window list)
 */
PwPresentation *
pw_presentation_new (GListModel *charts)
{
  PwPresentation *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (charts), NULL);

  self = g_object_new (PW_TYPE_PRESENTATION, NULL);
  self->charts = g_object_ref (charts);
  g_signal_connect_object (charts, "items-changed", G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
  show_position (self);
  return self;
}

guint
pw_presentation_get_position (PwPresentation *self)
{
  g_return_val_if_fail (PW_IS_PRESENTATION (self), 0);
  return self->position;
}

void
pw_presentation_set_position (PwPresentation *self,
                              guint           position)
{
  g_return_if_fail (PW_IS_PRESENTATION (self));

  self->position = position;
  show_position (self);
}

GtkWidget *
pw_presentation_get_view (PwPresentation *self)
{
  g_return_val_if_fail (PW_IS_PRESENTATION (self), NULL);
  return self->view;
}
