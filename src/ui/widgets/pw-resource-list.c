/* pw-resource-list.c: the workshop's resources as a live list
 *
 * One row per PwWorkshopResource of a kind the page cares about: what it
 * is, its name, its status (text and colour), how long it has taken, and
 * the service's failure reason when it failed. Rows follow the resources'
 * notify signals; a one-second tick keeps the clocks of resources in
 * progress running. This list is also the text alternative of the
 * structure diagram beside it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-resource-list"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-resource-list.h"
#include "pw-ui.h"

struct _PwResourceList
{
  AdwBin parent_instance;

  GListModel *model;
  guint kinds;
  GtkFilterListModel *filtered;
  GtkCustomFilter *filter;
  GtkListBox *list;
  guint tick_id;
};

G_DEFINE_FINAL_TYPE (PwResourceList, pw_resource_list, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_KINDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * pw_resource_format_elapsed:
 *
 * "45 s", "3 min 05 s", "1 h 02 min": short enough for a row.
 */
char *
pw_resource_format_elapsed (double seconds)
{
  guint64 s;

  if (!(seconds >= 0) || seconds > 100 * 24 * 3600.0)
    return g_strdup ("");
  s = (guint64) seconds;
  if (seconds < 10)
    /* Translators: elapsed time in seconds, with one decimal */
    return g_strdup_printf (_("%.1f s"), seconds);
  if (s < 60)
    /* Translators: elapsed time in seconds */
    return g_strdup_printf (_("%u s"), (guint) s);
  if (s < 3600)
    /* Translators: elapsed time, minutes and seconds */
    return g_strdup_printf (_("%u min %02u s"), (guint) (s / 60), (guint) (s % 60));
  /* Translators: elapsed time, hours and minutes */
  return g_strdup_printf (_("%u h %02u min"), (guint) (s / 3600), (guint) ((s / 60) % 60));
}

static const char *
status_css_class (PwResourceStatus status)
{
  switch (status)
    {
    case PW_RESOURCE_STATUS_PLANNED: return "planned";
    case PW_RESOURCE_STATUS_CREATING: return "creating";
    case PW_RESOURCE_STATUS_ACTIVE: return "active";
    case PW_RESOURCE_STATUS_FAILED: return "failed";
    case PW_RESOURCE_STATUS_DELETING: return "deleting";
    case PW_RESOURCE_STATUS_DELETED: return "deleted";
    default: return "planned";
    }
}

static gboolean
in_progress (PwResourceStatus status)
{
  return status == PW_RESOURCE_STATUS_PLANNED ||
         status == PW_RESOURCE_STATUS_CREATING ||
         status == PW_RESOURCE_STATUS_DELETING;
}

static double
elapsed_now (PwWorkshopResource *resource)
{
  GDateTime *created = pw_workshop_resource_get_created (resource);

  if (in_progress (pw_workshop_resource_get_status (resource)) && created != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      return g_date_time_difference (now, created) / (double) G_TIME_SPAN_SECOND;
    }
  return pw_workshop_resource_get_elapsed (resource);
}

static void
update_row (GtkWidget *row)
{
  PwWorkshopResource *resource = g_object_get_data (G_OBJECT (row), "resource");
  GtkLabel *status = g_object_get_data (G_OBJECT (row), "status");
  GtkLabel *elapsed = g_object_get_data (G_OBJECT (row), "elapsed");
  PwResourceStatus st = pw_workshop_resource_get_status (resource);
  const char *reason = pw_workshop_resource_get_failure_reason (resource);
  const char *detail = pw_workshop_resource_get_detail (resource);
  g_autofree char *time = pw_resource_format_elapsed (elapsed_now (resource));
  g_autofree char *subtitle = NULL;
  static const char *classes[] = { "planned", "creating", "active", "failed", "deleting", "deleted" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (status), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (status), status_css_class (st));
  gtk_label_set_text (status, pw_resource_status_get_title (st));
  gtk_label_set_text (elapsed, time);

  if (reason != NULL && *reason != '\0')
    subtitle = g_strdup_printf ("%s\n%s", pw_workshop_resource_get_name (resource), reason);
  else if (detail != NULL && *detail != '\0')
    subtitle = g_strdup_printf ("%s · %s", pw_workshop_resource_get_name (resource), detail);
  else
    subtitle = g_strdup (pw_workshop_resource_get_name (resource));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (reason != NULL && *reason != '\0')
    gtk_widget_add_css_class (row, "resource-failed");
  else
    gtk_widget_remove_css_class (row, "resource-failed");

  {
    /* Translators: a resource row for screen readers: kind, name, status */
    g_autofree char *label = g_strdup_printf (_("%s %s: %s"),
                                              pw_resource_kind_get_title (pw_workshop_resource_get_kind (resource)),
                                              pw_workshop_resource_get_name (resource),
                                              pw_resource_status_get_title (st));
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  }
}

static void
resource_notify_cb (GtkWidget *row)
{
  update_row (row);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  PwWorkshopResource *resource = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *status = gtk_label_new (NULL);
  GtkWidget *elapsed = gtk_label_new (NULL);
  g_autofree char *escaped = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 pw_resource_kind_get_title (pw_workshop_resource_get_kind (resource)));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  gtk_widget_add_css_class (status, "resource-status");
  gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (elapsed, "numeric");
  gtk_widget_add_css_class (elapsed, "dim-label");
  gtk_widget_set_valign (elapsed, GTK_ALIGN_CENTER);
  gtk_label_set_width_chars (GTK_LABEL (elapsed), 10);
  gtk_label_set_xalign (GTK_LABEL (elapsed), 1.0f);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), elapsed);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), status);

  g_object_set_data_full (G_OBJECT (row), "resource", g_object_ref (resource), g_object_unref);
  g_object_set_data (G_OBJECT (row), "status", status);
  g_object_set_data (G_OBJECT (row), "elapsed", elapsed);
  g_signal_connect_object (resource, "notify", G_CALLBACK (resource_notify_cb), row,
                           G_CONNECT_SWAPPED);
  update_row (row);
  return row;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  PwResourceList *self = user_data;

  return self->kinds == 0 ||
         (self->kinds & PW_RESOURCE_KIND_BIT (pw_workshop_resource_get_kind (item))) != 0;
}

static gboolean
tick_cb (gpointer data)
{
  PwResourceList *self = data;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return G_SOURCE_CONTINUE;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      PwWorkshopResource *resource = g_object_get_data (G_OBJECT (row), "resource");
      if (resource != NULL && in_progress (pw_workshop_resource_get_status (resource)))
        update_row (row);
    }
  return G_SOURCE_CONTINUE;
}

static void
pw_resource_list_map (GtkWidget *widget)
{
  PwResourceList *self = PW_RESOURCE_LIST (widget);

  GTK_WIDGET_CLASS (pw_resource_list_parent_class)->map (widget);
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
}

static void
pw_resource_list_unmap (GtkWidget *widget)
{
  PwResourceList *self = PW_RESOURCE_LIST (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  GTK_WIDGET_CLASS (pw_resource_list_parent_class)->unmap (widget);
}

static void
pw_resource_list_dispose (GObject *object)
{
  PwResourceList *self = PW_RESOURCE_LIST (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->list != NULL)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->filtered);
  g_clear_object (&self->model);
  self->filter = NULL;
  self->list = NULL;

  G_OBJECT_CLASS (pw_resource_list_parent_class)->dispose (object);
}

static void
pw_resource_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PwResourceList *self = PW_RESOURCE_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_KINDS:
      g_value_set_uint (value, self->kinds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_resource_list_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PwResourceList *self = PW_RESOURCE_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      pw_resource_list_set_model (self, g_value_get_object (value));
      break;
    case PROP_KINDS:
      pw_resource_list_set_kinds (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_resource_list_class_init (PwResourceListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pw_resource_list_dispose;
  object_class->get_property = pw_resource_list_get_property;
  object_class->set_property = pw_resource_list_set_property;
  widget_class->map = pw_resource_list_map;
  widget_class->unmap = pw_resource_list_unmap;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_KINDS] =
    g_param_spec_uint ("kinds", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, PW_RESOURCE_BASE "/ui/pw-resource-list.ui");
}

static void
pw_resource_list_init (PwResourceList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The bin's child (not a bound child: the bin unparents it). */
  self->list = GTK_LIST_BOX (adw_bin_get_child (ADW_BIN (self)));
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->filtered), create_row, self, NULL);
}

GtkWidget *
pw_resource_list_new (GListModel *resources,
                      guint       kinds)
{
  return g_object_new (PW_TYPE_RESOURCE_LIST, "model", resources, "kinds", kinds, NULL);
}

GListModel *
pw_resource_list_get_model (PwResourceList *self)
{
  g_return_val_if_fail (PW_IS_RESOURCE_LIST (self), NULL);

  return self->model;
}

void
pw_resource_list_set_model (PwResourceList *self,
                            GListModel     *resources)
{
  g_return_if_fail (PW_IS_RESOURCE_LIST (self));
  g_return_if_fail (resources == NULL || G_IS_LIST_MODEL (resources));

  if (!g_set_object (&self->model, resources))
    return;
  gtk_filter_list_model_set_model (self->filtered, resources);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

guint
pw_resource_list_get_kinds (PwResourceList *self)
{
  g_return_val_if_fail (PW_IS_RESOURCE_LIST (self), 0);

  return self->kinds;
}

void
pw_resource_list_set_kinds (PwResourceList *self,
                            guint           kinds)
{
  g_return_if_fail (PW_IS_RESOURCE_LIST (self));

  if (self->kinds == kinds)
    return;
  self->kinds = kinds;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KINDS]);
}

guint
pw_resource_list_get_n_shown (PwResourceList *self)
{
  g_return_val_if_fail (PW_IS_RESOURCE_LIST (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}
