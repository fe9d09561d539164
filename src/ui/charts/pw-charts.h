/* pw-charts.h: the chart widgets, their model, drawing and export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-bar-chart.h"
#include "pw-chart.h"
#include "pw-chart-bins.h"
#include "pw-chart-draw.h"
#include "pw-chart-export.h"
#include "pw-chart-style.h"
#include "pw-chart-view.h"
#include "pw-histogram.h"
#include "pw-stacked-bar-chart.h"
