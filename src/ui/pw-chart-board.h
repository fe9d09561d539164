/* pw-chart-board.h: every chart of the session, for the Results view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-charts.h"
#include "pw-workshop.h"

G_BEGIN_DECLS

#define PW_TYPE_CHART_BOARD (pw_chart_board_get_type ())
G_DECLARE_FINAL_TYPE (PwChartBoard, pw_chart_board, PW, CHART_BOARD, GObject)

PwChartBoard *pw_chart_board_get_for_workshop (PwWorkshop   *workshop);
GListModel   *pw_chart_board_get_model        (PwChartBoard *self);
void          pw_chart_board_publish          (PwChartBoard *self,
                                               const char   *id,
                                               PwChart      *chart);
PwChart      *pw_chart_board_lookup           (PwChartBoard *self,
                                               const char   *id);
const char   *pw_chart_board_get_chart_id     (PwChart      *chart);

G_END_DECLS
