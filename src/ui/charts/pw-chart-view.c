/* pw-chart-view.c: the base class of the chart widgets
 *
 * The widget is thin (docs/style.md, Charts): it owns a PwChart, reads its
 * colours from the theme when the style changes (so dark mode is right),
 * and at each snapshot lays the chart out for its current size and paints
 * it with the same code as the exports. It keeps that last layout to find
 * the bar under the pointer for tooltips.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-chart-view"

#include "pw-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "pw-chart-draw.h"
#include "pw-chart-export.h"
#include "pw-chart-view.h"

typedef struct
{
  PwChart *chart;
  PwChartStyle *style;       /* from the theme; NULL until needed */
  PwChartLayout *layout;     /* the last one drawn */
  GtkWidget *menu;
  GCancellable *cancellable;
  gboolean presentation;
  gulong changed_id;
} PwChartViewPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (PwChartView, pw_chart_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CHART,
  PROP_PRESENTATION,
  N_PROPS
};

enum {
  ADD_TOAST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_accessible (PwChartView *self)
{
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);
  g_autofree char *description = pw_chart_describe (priv->chart);
  const char *title = pw_chart_get_title (priv->chart);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title != NULL ? title : _("Chart"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static void
chart_changed_cb (PwChartView *self,
                  PwChart     *chart)
{
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);

  g_clear_pointer (&priv->layout, pw_chart_layout_free);
  update_accessible (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.copy-table", !pw_chart_is_empty (chart));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
style_changed (PwChartView *self)
{
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);

  g_clear_pointer (&priv->style, pw_chart_style_free);
  g_clear_pointer (&priv->layout, pw_chart_layout_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
dark_changed_cb (PwChartView *self)
{
  style_changed (self);
}

static const PwChartStyle *
ensure_style (PwChartView *self)
{
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);

  if (priv->style == NULL)
    {
      priv->style = pw_chart_style_new_for_widget (GTK_WIDGET (self));
      pw_chart_style_set_presentation (priv->style, priv->presentation);
    }
  return priv->style;
}

static void
pw_chart_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  PwChartView *self = PW_CHART_VIEW (widget);
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoContext *context;
  const PwChartStyle *style;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  style = ensure_style (self);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  context = pango_cairo_create_context (cr);
  g_clear_pointer (&priv->layout, pw_chart_layout_free);
  priv->layout = pw_chart_layout_new (priv->chart, context, width, height, style);
  pw_chart_layout_paint (priv->layout, cr);
  g_object_unref (context);
  cairo_destroy (cr);
}

static void
pw_chart_view_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  PwChartView *self = PW_CHART_VIEW (widget);
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);
  double s = priv->presentation ? PW_CHART_PRESENTATION_SCALE : 1;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) (200 * s);
      *natural = (int) (480 * s);
    }
  else
    {
      *minimum = (int) (150 * s);
      *natural = (int) (320 * s);
    }
}

static void
pw_chart_view_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  PwChartView *self = PW_CHART_VIEW (widget);
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);

  g_clear_pointer (&priv->layout, pw_chart_layout_free);
  if (priv->menu != NULL)
    gtk_popover_present (GTK_POPOVER (priv->menu));
}

static void
pw_chart_view_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (pw_chart_view_parent_class)->css_changed (widget, change);
  style_changed (PW_CHART_VIEW (widget));
}

static void
pw_chart_view_system_setting_changed (GtkWidget         *widget,
                                      GtkSystemSetting   setting)
{
  GTK_WIDGET_CLASS (pw_chart_view_parent_class)->system_setting_changed (widget, setting);
  style_changed (PW_CHART_VIEW (widget));
}

static gboolean
pw_chart_view_query_tooltip (GtkWidget  *widget,
                             int         x,
                             int         y,
                             gboolean    keyboard_mode,
                             GtkTooltip *tooltip)
{
  PwChartView *self = PW_CHART_VIEW (widget);
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);
  g_autofree char *value = NULL;
  g_autofree char *text = NULL;
  int series = -1;
  int category;

  if (priv->layout == NULL)
    return FALSE;
  category = pw_chart_layout_find_bar (priv->layout, x, y, &series);
  if (category < 0 || series < 0)
    return FALSE;

  value = pw_chart_format_value (priv->chart, pw_chart_get_value (priv->chart, series, category));
  if (pw_chart_get_n_series (priv->chart) > 1 && pw_chart_get_series_name (priv->chart, series) != NULL)
    /* Translators: a bar's tooltip: category, series and value, e.g. "NDCG@10 — user-personalization: 0.275" */
    text = g_strdup_printf (_("%s — %s: %s"), pw_chart_get_category (priv->chart, category),
                            pw_chart_get_series_name (priv->chart, series), value);
  else
    /* Translators: a bar's tooltip: category and value, e.g. "Drama: 1,603" */
    text = g_strdup_printf (_("%s: %s"), pw_chart_get_category (priv->chart, category), value);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
pw_chart_view_constructed (GObject *object)
{
  PwChartView *self = PW_CHART_VIEW (object);
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);

  G_OBJECT_CLASS (pw_chart_view_parent_class)->constructed (object);

  if (priv->chart == NULL)
    {
      g_autoptr(PwChart) chart = pw_chart_new (PW_CHART_VIEW_GET_CLASS (self)->chart_kind);

      pw_chart_view_set_chart (self, chart);
    }
}

static void
pw_chart_view_dispose (GObject *object)
{
  PwChartView *self = PW_CHART_VIEW (object);
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  g_clear_pointer (&priv->menu, gtk_widget_unparent);
  g_clear_signal_handler (&priv->changed_id, priv->chart);
  g_clear_object (&priv->chart);
  g_clear_pointer (&priv->layout, pw_chart_layout_free);
  g_clear_pointer (&priv->style, pw_chart_style_free);

  G_OBJECT_CLASS (pw_chart_view_parent_class)->dispose (object);
}

static void
pw_chart_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PwChartView *self = PW_CHART_VIEW (object);
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CHART:
      g_value_set_object (value, priv->chart);
      break;
    case PROP_PRESENTATION:
      g_value_set_boolean (value, priv->presentation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_chart_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PwChartView *self = PW_CHART_VIEW (object);

  switch (prop_id)
    {
    case PROP_CHART:
      if (g_value_get_object (value) != NULL)
        pw_chart_view_set_chart (self, g_value_get_object (value));
      break;
    case PROP_PRESENTATION:
      pw_chart_view_set_presentation (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
copy_table_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  pw_chart_view_copy_table (PW_CHART_VIEW (widget));
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  pw_chart_view_save_as (PW_CHART_VIEW (widget));
}

static void
show_menu (PwChartView *self,
           double       x,
           double       y)
{
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);

  if (priv->menu == NULL)
    {
      g_autoptr(GMenu) menu = g_menu_new ();

      g_menu_append (menu, _("_Copy as Table"), "chart.copy-table");
      g_menu_append (menu, _("_Save Image As…"), "chart.save-as");
      g_menu_append (menu, _("_Presentation Size"), "chart.presentation");
      priv->menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
      gtk_popover_set_has_arrow (GTK_POPOVER (priv->menu), FALSE);
      gtk_widget_set_halign (priv->menu, GTK_ALIGN_START);
      gtk_widget_set_parent (priv->menu, GTK_WIDGET (self));
    }
  gtk_popover_set_pointing_to (GTK_POPOVER (priv->menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (priv->menu));
}

static void
show_menu_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  show_menu (PW_CHART_VIEW (widget), gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0);
}

static void
secondary_pressed_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      PwChartView     *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  show_menu (self, x, y);
}

static void
long_pressed_cb (GtkGestureLongPress *gesture,
                 double               x,
                 double               y,
                 PwChartView         *self)
{
  show_menu (self, x, y);
}

static void
pw_chart_view_class_init (PwChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pw_chart_view_constructed;
  object_class->dispose = pw_chart_view_dispose;
  object_class->get_property = pw_chart_view_get_property;
  object_class->set_property = pw_chart_view_set_property;

  widget_class->snapshot = pw_chart_view_snapshot;
  widget_class->measure = pw_chart_view_measure;
  widget_class->size_allocate = pw_chart_view_size_allocate;
  widget_class->css_changed = pw_chart_view_css_changed;
  widget_class->system_setting_changed = pw_chart_view_system_setting_changed;
  widget_class->query_tooltip = pw_chart_view_query_tooltip;

  klass->chart_kind = PW_CHART_KIND_BAR;

  properties[PROP_CHART] =
    g_param_spec_object ("chart", NULL, NULL, PW_TYPE_CHART,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PwChartView::add-toast:
   * @toast: the toast
   *
   * Asks the page to show a toast (after an export). The toast is lent
   * (transfer none): a handler that keeps it takes its own reference, for
   * example `pw_page_add_toast (page, g_object_ref (toast))`.
   */
  signals[ADD_TOAST] =
    g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_css_name (widget_class, "pwchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);

  gtk_widget_class_install_action (widget_class, "chart.copy-table", NULL, copy_table_action);
  gtk_widget_class_install_action (widget_class, "chart.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "chart.show-menu", NULL, show_menu_action);
  gtk_widget_class_install_property_action (widget_class, "chart.presentation", "presentation");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "chart.copy-table", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "chart.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "chart.show-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "chart.show-menu", NULL);
}

static void
pw_chart_view_init (PwChartView *self)
{
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();

  priv->cancellable = g_cancellable_new ();

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (secondary_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (long_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (long_press));

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * pw_chart_view_get_chart:
 * @self: a chart view
 *
 * Returns: (transfer none): the chart it shows; change it to change the view
 */
PwChart *
pw_chart_view_get_chart (PwChartView *self)
{
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);

  g_return_val_if_fail (PW_IS_CHART_VIEW (self), NULL);
  return priv->chart;
}

/**
 * pw_chart_view_set_chart:
 * @self: a chart view
 * @chart: the chart to show
 */
void
pw_chart_view_set_chart (PwChartView *self,
                         PwChart     *chart)
{
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);

  g_return_if_fail (PW_IS_CHART_VIEW (self));
  g_return_if_fail (PW_IS_CHART (chart));

  if (priv->chart == chart)
    return;
  g_clear_signal_handler (&priv->changed_id, priv->chart);
  g_set_object (&priv->chart, chart);
  priv->changed_id = g_signal_connect_object (chart, "changed", G_CALLBACK (chart_changed_cb),
                                              self, G_CONNECT_SWAPPED);
  chart_changed_cb (self, chart);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHART]);
}

gboolean
pw_chart_view_get_presentation (PwChartView *self)
{
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);

  g_return_val_if_fail (PW_IS_CHART_VIEW (self), FALSE);
  return priv->presentation;
}

/**
 * pw_chart_view_set_presentation:
 * @self: a chart view
 * @presentation: whether to draw large enough for a projector
 */
void
pw_chart_view_set_presentation (PwChartView *self,
                                gboolean     presentation)
{
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);

  g_return_if_fail (PW_IS_CHART_VIEW (self));

  presentation = !!presentation;
  if (priv->presentation == presentation)
    return;
  priv->presentation = presentation;
  style_changed (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTATION]);
}

/**
 * pw_chart_view_get_style:
 * @self: a chart view
 *
 * Returns: (transfer full): the style it draws with now (from the theme)
 */
PwChartStyle *
pw_chart_view_get_style (PwChartView *self)
{
  g_return_val_if_fail (PW_IS_CHART_VIEW (self), NULL);
  return pw_chart_style_copy (ensure_style (self));
}

/**
 * pw_chart_view_get_table:
 * @self: a chart view
 * @format: TSV or Markdown
 *
 * Returns: (transfer full): the chart's text alternative
 */
char *
pw_chart_view_get_table (PwChartView        *self,
                         PwChartTableFormat  format)
{
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);

  g_return_val_if_fail (PW_IS_CHART_VIEW (self), NULL);
  return pw_chart_to_table (priv->chart, format);
}

/**
 * pw_chart_view_copy_table:
 * @self: a chart view
 *
 * Puts the chart's table on the clipboard as tab-separated text, which
 * spreadsheets and text editors both take.
 */
void
pw_chart_view_copy_table (PwChartView *self)
{
  g_autofree char *table = NULL;

  g_return_if_fail (PW_IS_CHART_VIEW (self));

  table = pw_chart_view_get_table (self, PW_CHART_TABLE_TSV);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), table);
}

static char *
suggested_name (PwChart *chart)
{
  const char *title = pw_chart_get_title (chart);
  GString *name = g_string_new (NULL);

  for (const char *p = title != NULL ? title : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || c == '\\' || c == ':' || g_unichar_iscntrl (c))
        g_string_append_c (name, '-');
      else
        g_string_append_unichar (name, c);
    }
  if (name->len == 0)
    g_string_append (name, _("Chart"));
  g_string_append (name, ".png");
  return g_string_free (name, FALSE);
}

typedef struct
{
  PwChartView *self;
  char *name;
} SaveData;

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SaveData *data = user_data;
  g_autoptr(PwChartView) self = data->self;
  g_autofree char *name = data->name;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(AdwToast) toast = NULL;

  g_free (data);
  if (!pw_chart_export_finish (PW_CHART (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not save the chart: %s"), error->message);
    }
  else
    /* Translators: a toast, %s is a file name */
    text = g_strdup_printf (_("Saved “%s”"), name);
  toast = adw_toast_new (text);
  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
}

/**
 * pw_chart_view_save_to:
 * @self: a chart view
 * @file: where to save
 * @format: the format to use when @file's name has no known extension
 *
 * Saves the chart for slides and documents: light colours with the
 * theme's accent, presentation size (%PW_CHART_EXPORT_WIDTH ×
 * %PW_CHART_EXPORT_HEIGHT), in a thread. The format follows the name's
 * extension; a name without one gets @format's. Emits
 * #PwChartView::add-toast when done (not when cancelled, e.g. because the
 * widget was destroyed).
 */
void
pw_chart_view_save_to (PwChartView   *self,
                       GFile         *file,
                       PwChartFormat  format)
{
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);
  g_autoptr(GFile) target = NULL;
  g_autoptr(PwChartStyle) style = NULL;
  SaveData *data;

  g_return_if_fail (PW_IS_CHART_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (pw_chart_format_for_file (file, &format))
    target = g_object_ref (file);
  else
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *with_ext = g_strconcat (name, ".", pw_chart_format_get_extension (format), NULL);
      g_autoptr(GFile) parent = g_file_get_parent (file);

      target = parent != NULL ? g_file_get_child (parent, with_ext) : g_file_new_for_path (with_ext);
    }

  style = pw_chart_style_new (FALSE);
  style->accent = ensure_style (self)->accent;
  pw_chart_style_set_presentation (style, TRUE);

  data = g_new0 (SaveData, 1);
  data->self = g_object_ref (self);
  data->name = g_file_get_basename (target);
  pw_chart_export_async (priv->chart, target, format,
                         PW_CHART_EXPORT_WIDTH, PW_CHART_EXPORT_HEIGHT, style,
                         priv->cancellable, export_done_cb, data);
}

/* The save dialog's filters, added in this order: the chosen filter's
 * position in the dialog's list is its row here. */
static const struct
{
  const char *name;
  const char *mime_type;
  PwChartFormat format;
} save_filters[] = {
  { N_("PNG Image"), "image/png", PW_CHART_FORMAT_PNG },
  { N_("SVG Image"), "image/svg+xml", PW_CHART_FORMAT_SVG },
  { N_("PDF Document"), "application/pdf", PW_CHART_FORMAT_PDF },
};

static void
add_save_filters (GtkFileChooser *chooser)
{
  for (guint i = 0; i < G_N_ELEMENTS (save_filters); i++)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _(save_filters[i].name));
      gtk_file_filter_add_mime_type (filter, save_filters[i].mime_type);
      gtk_file_chooser_add_filter (chooser, filter);
    }
}

/* The format of the filter chosen in @chooser; PNG when none is. */
static PwChartFormat
chosen_format (GtkFileChooser *chooser)
{
  GtkFileFilter *chosen = gtk_file_chooser_get_filter (chooser);
  g_autoptr(GListModel) filters = gtk_file_chooser_get_filters (chooser);
  guint n = MIN (g_list_model_get_n_items (filters), G_N_ELEMENTS (save_filters));

  for (guint i = 0; chosen != NULL && i < n; i++)
    {
      g_autoptr(GtkFileFilter) filter = g_list_model_get_item (filters, i);

      if (filter == chosen)
        return save_filters[i].format;
    }
  return PW_CHART_FORMAT_PNG;
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  PwChartView     *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  if (file != NULL)
    pw_chart_view_save_to (self, file, chosen_format (GTK_FILE_CHOOSER (dialog)));

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/**
 * pw_chart_view_save_as:
 * @self: a chart view
 *
 * Asks where to save the chart (a GtkFileChooserNative, so the portal's
 * dialog in a sandbox) and writes it there as PNG, SVG or PDF, chosen by
 * the file name's extension or the filter, in a thread. Emits
 * #PwChartView::add-toast when done.
 */
void
pw_chart_view_save_as (PwChartView *self)
{
  PwChartViewPrivate *priv = pw_chart_view_get_instance_private (self);
  GtkFileChooserNative *dialog;
  GtkRoot *root;
  g_autofree char *name = NULL;

  g_return_if_fail (PW_IS_CHART_VIEW (self));

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = gtk_file_chooser_native_new (_("Save Chart"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  add_save_filters (GTK_FILE_CHOOSER (dialog));
  name = suggested_name (priv->chart);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);

  g_signal_connect_object (dialog, "response", G_CALLBACK (save_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}
