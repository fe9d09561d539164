/* pw-chart-card.h: a chart with its data table beside it and its exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pw-charts.h"

G_BEGIN_DECLS

#define PW_TYPE_CHART_CARD (pw_chart_card_get_type ())
G_DECLARE_FINAL_TYPE (PwChartCard, pw_chart_card, PW, CHART_CARD, AdwBin)

GtkWidget   *pw_chart_card_new        (PwChart     *chart);
PwChartView *pw_chart_card_get_view   (PwChartCard *self);
GtkLabel    *pw_chart_card_get_table  (PwChartCard *self);

G_END_DECLS
