/* pw-step-progress.c: the progress of a running workshop step
 *
 * A progress bar with the workshop's one-line message ("Waiting for
 * dataset …"), shown while the workshop runs this page's step. When the
 * workshop does not know the fraction (-1) the bar pulses. Cancel is the
 * window's (header bar and Escape).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-step-progress"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-step-progress.h"
#include "pw-ui.h"

struct _PwStepProgress
{
  AdwBin parent_instance;

  PwWorkshop *workshop;
  PwWorkshopStep step;
  GtkProgressBar *bar;
  guint pulse_id;
};

G_DEFINE_FINAL_TYPE (PwStepProgress, pw_step_progress, ADW_TYPE_BIN)

static gboolean
pulse_cb (gpointer data)
{
  PwStepProgress *self = data;

  gtk_progress_bar_pulse (self->bar);
  return G_SOURCE_CONTINUE;
}

static void
update (PwStepProgress *self)
{
  gboolean running = self->workshop != NULL &&
                     pw_workshop_get_busy (self->workshop) &&
                     pw_workshop_get_running_step (self->workshop) == self->step;
  double fraction;
  const char *message;

  gtk_widget_set_visible (GTK_WIDGET (self), running);
  if (!running)
    {
      g_clear_handle_id (&self->pulse_id, g_source_remove);
      return;
    }

  fraction = pw_workshop_get_progress_fraction (self->workshop);
  message = pw_workshop_get_progress_message (self->workshop);
  gtk_progress_bar_set_text (self->bar, message ? message : _("Working…"));
  if (fraction < 0)
    {
      if (self->pulse_id == 0)
        self->pulse_id = g_timeout_add (150, pulse_cb, self);
    }
  else
    {
      g_clear_handle_id (&self->pulse_id, g_source_remove);
      gtk_progress_bar_set_fraction (self->bar, CLAMP (fraction, 0.0, 1.0));
    }
}

static void
pw_step_progress_dispose (GObject *object)
{
  PwStepProgress *self = PW_STEP_PROGRESS (object);

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_object (&self->workshop);

  G_OBJECT_CLASS (pw_step_progress_parent_class)->dispose (object);
}

static void
pw_step_progress_class_init (PwStepProgressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pw_step_progress_dispose;

  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass), PW_RESOURCE_BASE "/ui/pw-step-progress.ui");
}

static void
pw_step_progress_init (PwStepProgress *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The template's only widget, the bin's child (not a bound child: the
   * bin itself unparents it). */
  self->bar = GTK_PROGRESS_BAR (adw_bin_get_child (ADW_BIN (self)));
}

GtkWidget *
pw_step_progress_new (PwWorkshop     *workshop,
                      PwWorkshopStep  step)
{
  PwStepProgress *self = g_object_new (PW_TYPE_STEP_PROGRESS, NULL);

  pw_step_progress_bind (self, workshop, step);
  return GTK_WIDGET (self);
}

/**
 * pw_step_progress_bind:
 *
 * Follows @workshop's progress while it runs @step (once; for a widget
 * made by a template).
 */
void
pw_step_progress_bind (PwStepProgress *self,
                       PwWorkshop     *workshop,
                       PwWorkshopStep  step)
{
  g_return_if_fail (PW_IS_STEP_PROGRESS (self));
  g_return_if_fail (workshop == NULL || PW_IS_WORKSHOP (workshop));
  g_return_if_fail (self->workshop == NULL);

  self->step = step;
  if (workshop != NULL)
    {
      self->workshop = g_object_ref (workshop);
      g_signal_connect_object (workshop, "notify::busy", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (workshop, "notify::running-step", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (workshop, "notify::progress-fraction", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (workshop, "notify::progress-message", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
    }
  update (self);
}
