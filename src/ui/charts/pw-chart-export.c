/* pw-chart-export.c: charts as PNG, SVG and PDF files
 *
 * Every format is drawn by pw_chart_draw() from the model alone, into
 * memory, then written atomically (a temporary file in the same folder,
 * fsync, rename). The async variant draws a copy of the chart in a thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-chart-export"

#include "pw-config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "pw-chart-draw.h"
#include "pw-chart-export.h"

G_DEFINE_QUARK (pw-chart-error-quark, pw_chart_error)

static const char * const extensions[] = { "png", "svg", "pdf" };

/**
 * pw_chart_format_for_file:
 * @file: a file
 * @format: (out): the format its name asks for
 *
 * Returns: whether the name ends in .png, .svg or .pdf (any case)
 */
gboolean
pw_chart_format_for_file (GFile         *file,
                          PwChartFormat *format)
{
  g_autofree char *name = NULL;
  const char *dot;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  name = g_file_get_basename (file);
  dot = name != NULL ? strrchr (name, '.') : NULL;
  if (dot == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_ascii_strcasecmp (dot + 1, extensions[i]) == 0)
      {
        *format = (PwChartFormat) i;
        return TRUE;
      }
  return FALSE;
}

const char *
pw_chart_format_get_extension (PwChartFormat format)
{
  g_return_val_if_fail (format <= PW_CHART_FORMAT_PDF, NULL);
  return extensions[format];
}

static cairo_status_t
write_to_array_cb (void                *closure,
                   const unsigned char *data,
                   unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* cairo draws text as glyph outlines in SVG: carry the words too, as the
 * document's <title> and <desc> (the table), for search and screen readers. */
static GByteArray *
add_svg_text (PwChart    *chart,
              GByteArray *svg)
{
  g_autofree char *title = g_markup_escape_text (pw_chart_get_title (chart) != NULL ? pw_chart_get_title (chart) : "", -1);
  g_autofree char *table = pw_chart_to_table (chart, PW_CHART_TABLE_MARKDOWN);
  g_autofree char *desc = g_markup_escape_text (table, -1);
  g_autofree char *insert = g_strdup_printf ("\n<title>%s</title>\n<desc>%s</desc>", title, desc);
  const char *start = (const char *) svg->data;
  const char *svg_tag = g_strstr_len (start, svg->len, "<svg");
  const char *end;
  GByteArray *out;

  if (svg_tag == NULL)
    return svg;
  end = memchr (svg_tag, '>', svg->len - (svg_tag - start));
  if (end == NULL)
    return svg;

  out = g_byte_array_sized_new (svg->len + strlen (insert));
  g_byte_array_append (out, svg->data, end + 1 - start);
  g_byte_array_append (out, (const guint8 *) insert, strlen (insert));
  g_byte_array_append (out, (const guint8 *) end + 1, svg->len - (end + 1 - start));
  g_byte_array_unref (svg);
  return out;
}

/**
 * pw_chart_render:
 * @chart: a chart
 * @format: PNG, SVG or PDF
 * @width: width in pixels (points for PDF)
 * @height: height
 * @style: (nullable): colours and fonts; %NULL for the light default
 *
 * Draws @chart into a file's contents, with an opaque background.
 *
 * Returns: (transfer full): the file's bytes, or %NULL with @error set
 */
GBytes *
pw_chart_render (PwChart             *chart,
                 PwChartFormat        format,
                 int                  width,
                 int                  height,
                 const PwChartStyle  *style,
                 GError             **error)
{
  g_autoptr(PwChartStyle) own_style = NULL;
  GByteArray *data;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (PW_IS_CHART (chart), NULL);
  g_return_val_if_fail (format <= PW_CHART_FORMAT_PDF, NULL);

  if (width <= 0 || height <= 0 || width > 16384 || height > 16384)
    {
      g_set_error (error, PW_CHART_ERROR, PW_CHART_ERROR_FAILED,
                   _("Cannot draw a chart of %d × %d pixels"), width, height);
      return NULL;
    }

  own_style = style != NULL ? pw_chart_style_copy (style) : pw_chart_style_new (FALSE);
  own_style->fill_background = TRUE;

  data = g_byte_array_new ();
  switch (format)
    {
    case PW_CHART_FORMAT_SVG:
      surface = cairo_svg_surface_create_for_stream (write_to_array_cb, data, width, height);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      break;
    case PW_CHART_FORMAT_PDF:
      surface = cairo_pdf_surface_create_for_stream (write_to_array_cb, data, width, height);
      if (pw_chart_get_title (chart) != NULL)
        cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, pw_chart_get_title (chart));
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Personalize Workshop");
      break;
    case PW_CHART_FORMAT_PNG:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      break;
    }

  cr = cairo_create (surface);
  pw_chart_draw (chart, cr, width, height, own_style);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS && format == PW_CHART_FORMAT_PNG)
    status = cairo_surface_write_to_png_stream (surface, write_to_array_cb, data);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PW_CHART_ERROR, PW_CHART_ERROR_FAILED,
                   _("Cannot draw the chart: %s"), cairo_status_to_string (status));
      g_byte_array_unref (data);
      return NULL;
    }

  if (format == PW_CHART_FORMAT_SVG)
    data = add_svg_text (chart, data);

  return g_byte_array_free_to_bytes (data);
}

static gboolean
write_atomically (GFile         *file,
                  GBytes        *bytes,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *path = g_file_get_path (file);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  /* A temporary file in the same folder, fsync, rename. */
  if (path != NULL)
    return g_file_set_contents_full (path, data, size,
                                     G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                     0644, error);

  return g_file_replace_contents (file, data, size, NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION,
                                  NULL, cancellable, error);
}

/**
 * pw_chart_export:
 * @chart: a chart
 * @file: where to write
 * @format: PNG, SVG or PDF
 * @width: width in pixels (points for PDF); %PW_CHART_EXPORT_WIDTH is a slide
 * @height: height
 * @style: (nullable): colours and fonts; %NULL for the light default
 * @cancellable: (nullable): a cancellable
 * @error: the error
 *
 * Draws @chart and writes it to @file atomically: the file is either
 * replaced completely or left as it was.
 *
 * Returns: whether it was written
 */
gboolean
pw_chart_export (PwChart             *chart,
                 GFile               *file,
                 PwChartFormat        format,
                 int                  width,
                 int                  height,
                 const PwChartStyle  *style,
                 GCancellable        *cancellable,
                 GError             **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (PW_IS_CHART (chart), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  bytes = pw_chart_render (chart, format, width, height, style, error);
  if (bytes == NULL)
    return FALSE;
  return write_atomically (file, bytes, cancellable, error);
}

typedef struct
{
  PwChart *chart;
  GFile *file;
  PwChartFormat format;
  int width;
  int height;
  PwChartStyle *style;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->chart);
  g_clear_object (&data->file);
  g_clear_pointer (&data->style, pw_chart_style_free);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  GError *error = NULL;

  if (pw_chart_export (data->chart, data->file, data->format, data->width, data->height,
                       data->style, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * pw_chart_export_async:
 * @chart: a chart
 * @file: where to write
 * @format: PNG, SVG or PDF
 * @width: width in pixels (points for PDF)
 * @height: height
 * @style: (nullable): colours and fonts; %NULL for the light default
 * @cancellable: (nullable): a cancellable
 * @callback: called when the file is written
 * @user_data: for @callback
 *
 * pw_chart_export() in a thread, on a copy of @chart taken now: @chart may
 * change meanwhile.
 */
void
pw_chart_export_async (PwChart             *chart,
                       GFile               *file,
                       PwChartFormat        format,
                       int                  width,
                       int                  height,
                       const PwChartStyle  *style,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (PW_IS_CHART (chart));
  g_return_if_fail (G_IS_FILE (file));

  data = g_new0 (ExportData, 1);
  data->chart = pw_chart_copy (chart);
  data->file = g_object_ref (file);
  data->format = format;
  data->width = width;
  data->height = height;
  data->style = style != NULL ? pw_chart_style_copy (style) : NULL;

  task = g_task_new (chart, cancellable, callback, user_data);
  g_task_set_source_tag (task, pw_chart_export_async);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
pw_chart_export_finish (PwChart       *chart,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, chart), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
