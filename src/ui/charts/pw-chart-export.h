/* pw-chart-export.h: charts as PNG, SVG and PDF files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-chart.h"
#include "pw-chart-style.h"

G_BEGIN_DECLS

#define PW_CHART_ERROR (pw_chart_error_quark ())

typedef enum
{
  PW_CHART_ERROR_FAILED,
  PW_CHART_ERROR_UNKNOWN_FORMAT,
} PwChartError;

typedef enum
{
  PW_CHART_FORMAT_PNG,
  PW_CHART_FORMAT_SVG,
  PW_CHART_FORMAT_PDF,
} PwChartFormat;

/* A 16:9 slide. */
#define PW_CHART_EXPORT_WIDTH 1600
#define PW_CHART_EXPORT_HEIGHT 900

GQuark      pw_chart_error_quark          (void);
gboolean    pw_chart_format_for_file      (GFile               *file,
                                           PwChartFormat       *format);
const char *pw_chart_format_get_extension (PwChartFormat        format);
GBytes     *pw_chart_render               (PwChart             *chart,
                                           PwChartFormat        format,
                                           int                  width,
                                           int                  height,
                                           const PwChartStyle  *style,
                                           GError             **error);
gboolean    pw_chart_export               (PwChart             *chart,
                                           GFile               *file,
                                           PwChartFormat        format,
                                           int                  width,
                                           int                  height,
                                           const PwChartStyle  *style,
                                           GCancellable        *cancellable,
                                           GError             **error);
void        pw_chart_export_async         (PwChart             *chart,
                                           GFile               *file,
                                           PwChartFormat        format,
                                           int                  width,
                                           int                  height,
                                           const PwChartStyle  *style,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean    pw_chart_export_finish        (PwChart             *chart,
                                           GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
