/* pw-chart-style.c: the colours and fonts a chart is drawn with
 *
 * A widget reads its style from the current theme at each change (the
 * foreground colour and libadwaita's named colours), so dark mode is right;
 * exports use the light default unless given another style.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-chart-style"

#include "pw-config.h"

#include "pw-chart-style.h"

G_DEFINE_BOXED_TYPE (PwChartStyle, pw_chart_style, pw_chart_style_copy, pw_chart_style_free)

/* The GNOME palette (the HIG's), the "3" shades. */
static const char * const palette[PW_CHART_N_PALETTE] = {
  "#3584e4", /* blue */
  "#33d17a", /* green */
  "#f6d32d", /* yellow */
  "#ff7800", /* orange */
  "#e01b24", /* red */
  "#9141ac", /* purple */
  "#986a44", /* brown */
};

/**
 * pw_chart_style_new:
 * @dark: whether to use libadwaita's dark colours
 *
 * The default style: libadwaita's window colours and blue accent, the
 * GNOME palette, Cantarell 11 (or the closest font), an opaque background.
 *
 * Returns: (transfer full): the style
 */
PwChartStyle *
pw_chart_style_new (gboolean dark)
{
  PwChartStyle *self = g_new0 (PwChartStyle, 1);

  if (dark)
    {
      gdk_rgba_parse (&self->foreground, "#ffffff");
      gdk_rgba_parse (&self->background, "#242424");
      gdk_rgba_parse (&self->accent, "#3584e4");
    }
  else
    {
      gdk_rgba_parse (&self->foreground, "rgba(0,0,0,0.8)");
      gdk_rgba_parse (&self->background, "#ffffff");
      gdk_rgba_parse (&self->accent, "#3584e4");
    }
  for (guint i = 0; i < PW_CHART_N_PALETTE; i++)
    gdk_rgba_parse (&self->palette[i], palette[i]);
  self->font = pango_font_description_from_string ("Cantarell 11");
  self->scale = 1;
  self->fill_background = TRUE;

  return self;
}

/**
 * pw_chart_style_new_for_widget:
 * @widget: a widget
 *
 * The style of @widget as the theme draws it now: its foreground colour,
 * libadwaita's `window_bg_color` and `accent_bg_color`, and its font. The
 * background is not filled (the widget's parent shows through).
 *
 * Returns: (transfer full): the style
 */
PwChartStyle *
pw_chart_style_new_for_widget (GtkWidget *widget)
{
  PwChartStyle *self;
  GtkStyleContext *context;
  PangoContext *pango;
  GdkRGBA color;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  context = gtk_widget_get_style_context (widget);
  gtk_style_context_get_color (context, &color);
  /* A light foreground means a dark theme. */
  self = pw_chart_style_new (0.2126 * color.red + 0.7152 * color.green + 0.0722 * color.blue > 0.5);
  self->foreground = color;
  if (gtk_style_context_lookup_color (context, "window_bg_color", &color))
    self->background = color;
  if (gtk_style_context_lookup_color (context, "accent_bg_color", &color))
    self->accent = color;

  pango = gtk_widget_get_pango_context (widget);
  if (pango != NULL && pango_context_get_font_description (pango) != NULL)
    {
      PangoFontDescription *font = pango_font_description_copy (pango_context_get_font_description (pango));

      if (pango_font_description_get_size (font) <= 0)
        pango_font_description_set_size (font, 11 * PANGO_SCALE);
      pango_font_description_free (self->font);
      self->font = font;
    }
  self->fill_background = FALSE;

  return self;
}

PwChartStyle *
pw_chart_style_copy (const PwChartStyle *self)
{
  PwChartStyle *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->font = pango_font_description_copy (self->font);
  return copy;
}

void
pw_chart_style_free (PwChartStyle *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->font, pango_font_description_free);
  g_free (self);
}

/**
 * pw_chart_style_set_presentation:
 * @self: a style
 * @presentation: whether to draw large enough for a projector
 *
 * Sets the scale to %PW_CHART_PRESENTATION_SCALE or back to 1.
 */
void
pw_chart_style_set_presentation (PwChartStyle *self,
                                 gboolean      presentation)
{
  g_return_if_fail (self != NULL);
  self->scale = presentation ? PW_CHART_PRESENTATION_SCALE : 1;
}

/**
 * pw_chart_style_is_dark:
 * @self: a style
 *
 * Returns: whether the foreground is light (a dark theme)
 */
gboolean
pw_chart_style_is_dark (const PwChartStyle *self)
{
  const GdkRGBA *c = &self->foreground;

  g_return_val_if_fail (self != NULL, FALSE);
  return 0.2126 * c->red + 0.7152 * c->green + 0.0722 * c->blue > 0.5;
}

/**
 * pw_chart_style_get_series_color:
 * @self: a style
 * @series: a series index
 * @n_series: how many series the chart has
 * @color: (out): the series' colour: the accent for a single series, the
 *   palette in order for several
 */
void
pw_chart_style_get_series_color (const PwChartStyle *self,
                                 guint               series,
                                 guint               n_series,
                                 GdkRGBA            *color)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (color != NULL);

  if (n_series <= 1)
    *color = self->accent;
  else
    *color = self->palette[series % PW_CHART_N_PALETTE];
}
