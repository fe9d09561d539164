/* pw-window.c: the main window
 *
 * A sidebar of the workshop's steps and the Results view, the visible page,
 * and Back / Next / Cancel in the header bar. The window drives the page
 * contract (see pw-page.h): Next applies an incomplete page and moves on when
 * it succeeds; Cancel (or Escape) cancels it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-window"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-analysis-page.h"
#include "pw-backend-page.h"
#include "pw-batch-page.h"
#include "pw-campaigns-page.h"
#include "pw-cleanup-page.h"
#include "pw-data-page.h"
#include "pw-dataset-group-page.h"
#include "pw-live-events-page.h"
#include "pw-results-page.h"
#include "pw-training-page.h"
#include "pw-ui.h"
#include "pw-window.h"
#include "pw-window-private.h"

/* The workshop's steps, in order (docs/workshop.md), each with its page's
 * constructor; a page gets the workshop, never another page. */
static const PwStepInfo step_infos[] = {
  { pw_backend_page_new, PW_WORKSHOP_STEP_BACKEND },
  { pw_data_page_new, PW_WORKSHOP_STEP_DATA },
  { pw_dataset_group_page_new, PW_WORKSHOP_STEP_DATASET_GROUP },
  { pw_training_page_new, PW_WORKSHOP_STEP_TRAINING },
  { pw_campaigns_page_new, PW_WORKSHOP_STEP_CAMPAIGNS },
  { pw_live_events_page_new, PW_WORKSHOP_STEP_LIVE_EVENTS },
  { pw_batch_page_new, PW_WORKSHOP_STEP_BATCH },
  { pw_analysis_page_new, PW_WORKSHOP_STEP_ANALYSIS },
  { pw_cleanup_page_new, PW_WORKSHOP_STEP_CLEANUP },
};

#define N_STEPS G_N_ELEMENTS (step_infos)

const PwStepInfo *
pw_window_get_step_infos (guint *n_infos)
{
  *n_infos = N_STEPS;
  return step_infos;
}


struct _PwWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;
  PwWorkshop *workshop;        /* the wizard's driver; pages get it, not each other */
  GCancellable *cancellable;   /* cancelled when the window closes */
  GCancellable *apply_cancellable;
  gboolean advance_after_apply;  /* Next (TRUE) or the page's own button */
  GPtrArray *pages;            /* steps, then the results view */
  guint visible;               /* index into pages */
  guint last_step;             /* the step to return to from Results */

  AdwLeaflet *leaflet;
  GtkListBox *sidebar;
  GtkStack *stack;
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *page_title;
  GtkButton *back_button;
  GtkButton *next_button;
  GtkButton *cancel_button;
  GtkSpinner *spinner;
};

G_DEFINE_FINAL_TYPE (PwWindow, pw_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_WORKSHOP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static PwPage *
page_at (PwWindow *self,
         guint     index)
{
  g_assert (index < self->pages->len);
  return g_ptr_array_index (self->pages, index);
}

static gboolean
is_results (PwWindow *self,
            guint     index)
{
  return index == N_STEPS;
}

static gboolean
any_applying (PwWindow *self)
{
  return self->apply_cancellable != NULL;
}

/* A step can be opened once every built step before it is complete. A step
 * that is not built yet does not block the ones after it, and is never
 * counted as done. Cleanup can always be opened: deleting what a failed or
 * cancelled step left behind is when it matters most. */
static gboolean
step_reachable (PwWindow *self,
                guint     index)
{
  if (is_results (self, index) || index == PW_WORKSHOP_STEP_CLEANUP)
    return TRUE;

  for (guint i = 0; i < index; i++)
    {
      PwPage *page = page_at (self, i);

      if (pw_page_get_built (page) && !pw_page_get_complete (page))
        return FALSE;
    }

  return TRUE;
}

/* On a narrow screen the header bar has room for the title only if Back is
 * an arrow. */
static void
leaflet_folded_changed_cb (PwWindow   *self,
                           GParamSpec *pspec,
                           AdwLeaflet *leaflet)
{
  if (adw_leaflet_get_folded (leaflet))
    {
      gtk_button_set_icon_name (self->back_button, "go-previous-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->back_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back"),
                                      -1);
    }
  else
    pw_ui_set_button_label (self->back_button, _("_Back"));
}

static void
update_controls (PwWindow *self)
{
  PwPage *page = page_at (self, self->visible);
  gboolean applying = any_applying (self);
  gboolean results = is_results (self, self->visible);
  g_autofree char *subtitle = NULL;

  adw_window_title_set_title (self->page_title, pw_page_get_title (page));
  if (!results)
    /* Translators: the window subtitle, e.g. "Step 2 of 9" */
    subtitle = g_strdup_printf (_("Step %u of %u"), self->visible + 1, (guint) N_STEPS);
  adw_window_title_set_subtitle (self->page_title, subtitle ? subtitle : "");

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), !results);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), !results && !applying);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), applying);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), applying);
  gtk_spinner_set_spinning (self->spinner, applying);

  if (self->visible + 1 == N_STEPS)
    pw_ui_set_button_label (self->next_button, _("_Finish"));
  else if (!results && !pw_page_get_built (page))
    /* Translators: Next on a step that is not built yet */
    pw_ui_set_button_label (self->next_button, _("_Skip"));
  else
    pw_ui_set_button_label (self->next_button, _("_Next"));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back",
                                 !results && !applying && self->visible > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next", !results && !applying);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.apply", !results && !applying);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", applying);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-results", !applying);

  for (guint i = 0; i < self->pages->len; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->sidebar, i);
      gtk_widget_set_sensitive (GTK_WIDGET (row), !applying && step_reachable (self, i));
    }
}

static void
show_page (PwWindow *self,
           guint     index)
{
  PwPage *page = page_at (self, index);
  GtkListBoxRow *row;

  self->visible = index;
  if (!is_results (self, index))
    self->last_step = index;

  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (page));

  row = gtk_list_box_get_row_at_index (self->sidebar, index);
  if (gtk_list_box_get_selected_row (self->sidebar) != row)
    gtk_list_box_select_row (self->sidebar, row);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  update_controls (self);
}

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  PwPage *page = PW_PAGE (object);
  g_autoptr(PwWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  guint index;

  g_clear_object (&self->apply_cancellable);

  if (!pw_page_apply_finish (page, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (!g_cancellable_is_cancelled (self->cancellable))
            {
              pw_window_add_toast (self, adw_toast_new (_("Cancelled")));
              update_controls (self);
            }
          return;
        }

      pw_window_add_toast (self, adw_toast_new (error->message));
      update_controls (self);
      return;
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (!g_ptr_array_find (self->pages, page, &index))
    g_assert_not_reached ();

  if (!self->advance_after_apply)
    {
      update_controls (self);
      return;
    }

  if (index + 1 < N_STEPS)
    show_page (self, index + 1);
  else
    show_page (self, N_STEPS);
}

/* Runs the visible page's step; on success moves to the next step when
 * @advance, or stays to show what the step did. */
static void
apply_page (PwWindow *self,
            gboolean  advance)
{
  PwPage *page;

  if (any_applying (self) || is_results (self, self->visible))
    return;

  page = page_at (self, self->visible);
  /* A step that is not built yet has nothing to run: Next passes it without
   * calling it done. */
  if (pw_page_get_complete (page) || !pw_page_get_built (page))
    {
      if (advance)
        show_page (self, self->visible + 1);
      return;
    }

  self->advance_after_apply = advance;
  self->apply_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->cancellable, "cancelled",
                           G_CALLBACK (g_cancellable_cancel), self->apply_cancellable,
                           G_CONNECT_SWAPPED);
  update_controls (self);
  pw_page_apply_async (page, self->apply_cancellable, apply_cb, g_object_ref (self));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PwWindow *self = PW_WINDOW (widget);

  guint index;

  if (any_applying (self) || is_results (self, self->visible) || self->visible == 0)
    return;

  /* The nearest step before that can be opened (from Cleanup, opened
   * early, that is the step the workshop stopped at). */
  index = self->visible - 1;
  while (index > 0 && !step_reachable (self, index))
    index--;
  show_page (self, index);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  apply_page (PW_WINDOW (widget), TRUE);
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  apply_page (PW_WINDOW (widget), FALSE);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PwWindow *self = PW_WINDOW (widget);

  if (self->apply_cancellable != NULL)
    g_cancellable_cancel (self->apply_cancellable);
}

static void
go_to_step_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PwWindow *self = PW_WINDOW (widget);
  gint32 step = g_variant_get_int32 (parameter);

  /* Steps are numbered from 1, as on screen. */
  if (step >= 1)
    pw_window_go_to_step (self, step - 1);
}

static void
show_results_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  pw_window_show_results (PW_WINDOW (widget));
}

static void
toggle_results_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PwWindow *self = PW_WINDOW (widget);

  if (is_results (self, self->visible))
    pw_window_go_to_step (self, self->last_step);
  else
    pw_window_show_results (self);
}

static void
show_steps_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PwWindow *self = PW_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_widget_grab_focus (GTK_WIDGET (self->sidebar));
}

static void
sidebar_row_activated_cb (PwWindow      *self,
                          GtkListBoxRow *row)
{
  guint index = gtk_list_box_row_get_index (row);

  if (any_applying (self) || !step_reachable (self, index))
    return;

  show_page (self, index);
}

static void
sidebar_row_selected_cb (PwWindow      *self,
                         GtkListBoxRow *row)
{
  /* Keep the selection on the visible page when a row cannot be opened. */
  if (row == NULL || (guint) gtk_list_box_row_get_index (row) == self->visible)
    return;

  if (any_applying (self) || !step_reachable (self, gtk_list_box_row_get_index (row)))
    {
      gtk_list_box_select_row (self->sidebar,
                               gtk_list_box_get_row_at_index (self->sidebar, self->visible));
      return;
    }

  show_page (self, gtk_list_box_row_get_index (row));
}

static void
sidebar_header_func (GtkListBoxRow *row,
                     GtkListBoxRow *before,
                     gpointer       user_data)
{
  PwWindow *self = user_data;

  if (is_results (self, gtk_list_box_row_get_index (row)))
    {
      if (gtk_list_box_row_get_header (row) == NULL)
        gtk_list_box_row_set_header (row, gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
    }
  else
    gtk_list_box_row_set_header (row, NULL);
}

static void
page_complete_changed_cb (PwWindow   *self,
                          GParamSpec *pspec,
                          PwPage     *page)
{
  update_controls (self);
}

static void
page_add_toast_cb (PwWindow *self,
                   AdwToast *toast,
                   PwPage   *page)
{
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (toast));
}

static GtkWidget *
create_sidebar_row (PwPage *page,
                    guint   number)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *done = gtk_image_new_from_icon_name ("object-select-symbolic");
  GtkWidget *not_built = NULL;

  g_object_bind_property (page, "icon-name", icon, "icon-name", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page, "title", label, "label", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page, "complete", done, "visible", G_BINDING_SYNC_CREATE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (done, "step-done");
  /* Translators: the accessible description of a finished step */
  gtk_accessible_update_property (GTK_ACCESSIBLE (done),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Done"),
                                  -1);

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), done);
  if (!pw_page_get_built (page))
    {
      /* Translators: shown in the sidebar beside a step that a later
       * version will bring; keep it short */
      not_built = gtk_label_new (_("Not built yet"));
      gtk_widget_add_css_class (not_built, "step-not-built");
      gtk_widget_add_css_class (not_built, "caption");
      gtk_widget_set_valign (not_built, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), not_built);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, pw_page_get_title (page),
                                  -1);
  if (number > 0)
    {
      /* Translators: the accessible description of a sidebar row */
      g_autofree char *step = g_strdup_printf (_("Step %u of %u"), number, (guint) N_STEPS);
      g_autofree char *description = NULL;

      if (not_built != NULL)
        /* Translators: the accessible description of a step a later version
         * will bring: "Step 6 of 9, not built yet" */
        description = g_strdup_printf (_("%s, not built yet"), step);
      else
        description = g_steal_pointer (&step);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                      -1);
    }

  return row;
}

static PwPage *
create_page (PwWindow         *self,
             const PwStepInfo *info)
{
  return info->create (self->workshop);
}

static void
add_page (PwWindow *self,
          PwPage   *page,
          guint     number)
{
  g_ptr_array_add (self->pages, page);
  gtk_stack_add_child (self->stack, GTK_WIDGET (page));
  gtk_list_box_append (self->sidebar, create_sidebar_row (page, number));
  g_signal_connect_object (page, "notify::complete",
                           G_CALLBACK (page_complete_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "add-toast",
                           G_CALLBACK (page_add_toast_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
load_window_state (PwWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (PwWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);
}

static gboolean
pw_window_close_request (GtkWindow *window)
{
  PwWindow *self = PW_WINDOW (window);

  save_window_state (self);
  g_cancellable_cancel (self->cancellable);
  /* Everything created so far is in the state file; what runs stops. */
  if (self->workshop != NULL)
    pw_workshop_shutdown (self->workshop);

  return GTK_WINDOW_CLASS (pw_window_parent_class)->close_request (window);
}

static void
pw_window_dispose (GObject *object)
{
  PwWindow *self = PW_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->workshop != NULL)
    pw_workshop_shutdown (self->workshop);
  gtk_widget_dispose_template (GTK_WIDGET (self), PW_TYPE_WINDOW);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_object (&self->workshop);
  g_clear_object (&self->apply_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pw_window_parent_class)->dispose (object);
}

/* The state file cannot be read: say so, keep it untouched (the workshop
 * never overwrites a corrupt file) and start a fresh one beside it, so that
 * nothing it lists is lost and the window still works. */
static PwWorkshop *
create_workshop (PwWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = pw_workshop_get_default_state_file ();
  PwWorkshop *workshop = pw_workshop_new (path, &error);

  if (workshop != NULL)
    return workshop;

  g_warning ("%s", error->message);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
    g_autofree char *dir = g_path_get_dirname (path);
    g_autofree char *name = g_strdup_printf ("workshop-%s.json", stamp);
    g_autofree char *fresh = g_build_filename (dir, name, NULL);
    /* Translators: %s says why the saved workshop could not be read */
    g_autofree char *text = g_strdup_printf (_("The saved workshop could not be read, so a new one was started: %s"),
                                             error->message);
    AdwToast *toast = adw_toast_new (text);

    g_clear_error (&error);
    workshop = pw_workshop_new (fresh, &error);
    if (workshop == NULL)
      g_error ("%s", error->message);
    adw_toast_set_timeout (toast, 0);
    adw_toast_overlay_add_toast (self->toast_overlay, toast);
  }
  return workshop;
}

/* A resumed workshop's prepared data comes back from its files in a worker
 * (pages read it when the "prepared" property changes). */
static void
prepared_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PwWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pw_workshop_load_prepared_finish (PW_WORKSHOP (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    pw_window_add_toast (self, adw_toast_new (error->message));
}

static void
pw_window_constructed (GObject *object)
{
  PwWindow *self = PW_WINDOW (object);

  G_OBJECT_CLASS (pw_window_parent_class)->constructed (object);

  if (self->workshop == NULL)
    self->workshop = create_workshop (self);

  for (guint i = 0; i < N_STEPS; i++)
    add_page (self, create_page (self, &step_infos[i]), i + 1);
  add_page (self, pw_results_page_new (self->workshop), 0);

  load_window_state (self);

  if (pw_workshop_get_step_state (self->workshop, PW_WORKSHOP_STEP_DATA) == PW_WORKSHOP_STEP_STATE_COMPLETE &&
      pw_workshop_get_prepared (self->workshop) == NULL)
    pw_workshop_load_prepared_async (self->workshop, self->cancellable, prepared_loaded_cb, g_object_ref (self));

  /* A resumed workshop opens where it stopped: the first built step that
   * is not complete. */
  {
    guint first = 0;

    while (first + 1 < N_STEPS &&
           (pw_page_get_complete (page_at (self, first)) || !pw_page_get_built (page_at (self, first))))
      first++;
    show_page (self, first);
  }
}

static void
pw_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PwWindow *self = PW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WORKSHOP:
      g_value_set_object (value, self->workshop);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PwWindow *self = PW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WORKSHOP:
      self->workshop = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_window_class_init (PwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  window_class->close_request = pw_window_close_request;

  object_class->constructed = pw_window_constructed;
  object_class->dispose = pw_window_dispose;
  object_class->get_property = pw_window_get_property;
  object_class->set_property = pw_window_set_property;

  /**
   * PwWindow:workshop:
   *
   * The workshop the window drives (construct-only); when none is given
   * the window opens the default state file. Every page gets it.
   */
  properties[PROP_WORKSHOP] =
    g_param_spec_object ("workshop", NULL, NULL, PW_TYPE_WORKSHOP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, PW_RESOURCE_BASE "/ui/pw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PwWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, page_title);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, next_button);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PwWindow, spinner);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_selected_cb);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "win.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.go-to-step", "i", go_to_step_action);
  gtk_widget_class_install_action (widget_class, "win.show-results", NULL, show_results_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-results", NULL, toggle_results_action);
  gtk_widget_class_install_action (widget_class, "win.show-steps", NULL, show_steps_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.toggle-results", NULL);
  for (guint i = 0; i < N_STEPS; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.go-to-step", "i", (gint32) i + 1);
}

static void
pw_window_init (PwWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (PW_SCHEMA_ID);
  self->cancellable = g_cancellable_new ();
  self->pages = g_ptr_array_new ();

  if (PW_DEVEL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  gtk_list_box_set_header_func (self->sidebar, sidebar_header_func, self, NULL);
  g_signal_connect_object (self->leaflet, "notify::folded",
                           G_CALLBACK (leaflet_folded_changed_cb), self,
                           G_CONNECT_SWAPPED);
  leaflet_folded_changed_cb (self, NULL, self->leaflet);
  pw_ui_set_button_label (self->cancel_button, gtk_button_get_label (self->cancel_button));
}

PwWindow *
pw_window_new (AdwApplication *application)
{
  return g_object_new (PW_TYPE_WINDOW, "application", application, NULL);
}

/**
 * pw_window_new_with_workshop:
 * @workshop: the workshop to drive (a test's own state file, say)
 */
PwWindow *
pw_window_new_with_workshop (AdwApplication *application,
                             PwWorkshop     *workshop)
{
  g_return_val_if_fail (PW_IS_WORKSHOP (workshop), NULL);

  return g_object_new (PW_TYPE_WINDOW, "application", application, "workshop", workshop, NULL);
}

PwWorkshop *
pw_window_get_workshop (PwWindow *self)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), NULL);

  return self->workshop;
}

guint
pw_window_get_n_steps (PwWindow *self)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), 0);

  return N_STEPS;
}

/**
 * pw_window_get_step:
 * @index: from 0 to pw_window_get_n_steps() - 1
 *
 * For the window's own use and tests: pages never reach each other through
 * the window; what an earlier step made, they read from the workshop.
 *
 * Returns: (transfer none): the page of step @index
 */
PwPage *
pw_window_get_step (PwWindow *self,
                    guint     index)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), NULL);
  g_return_val_if_fail (index < N_STEPS, NULL);

  return page_at (self, index);
}

PwPage *
pw_window_get_results (PwWindow *self)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), NULL);

  return page_at (self, N_STEPS);
}

PwPage *
pw_window_get_visible_page (PwWindow *self)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), NULL);

  return page_at (self, self->visible);
}

/**
 * pw_window_go_to_step:
 *
 * Shows step @index if every step before it is complete and nothing is
 * being applied.
 *
 * Returns: whether the step is now visible
 */
gboolean
pw_window_go_to_step (PwWindow *self,
                      guint     index)
{
  g_return_val_if_fail (PW_IS_WINDOW (self), FALSE);

  if (index >= N_STEPS || any_applying (self) || !step_reachable (self, index))
    return FALSE;

  show_page (self, index);
  return TRUE;
}

void
pw_window_show_results (PwWindow *self)
{
  g_return_if_fail (PW_IS_WINDOW (self));

  if (!any_applying (self))
    show_page (self, N_STEPS);
}

/**
 * pw_window_add_toast:
 * @toast: (transfer full): the toast to show
 *
 * Shows @toast, taking the caller's reference (the rule of
 * pw_page_add_toast()).
 */
void
pw_window_add_toast (PwWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (PW_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
