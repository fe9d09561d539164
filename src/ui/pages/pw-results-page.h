/* pw-results-page.h: every chart of the session in one place
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-chart-board.h"
#include "pw-page.h"
#include "pw-presentation.h"

G_BEGIN_DECLS

#define PW_TYPE_RESULTS_PAGE (pw_results_page_get_type ())
G_DECLARE_FINAL_TYPE (PwResultsPage, pw_results_page, PW, RESULTS_PAGE, PwPage)

PwPage         *pw_results_page_new          (PwWorkshop    *workshop);
void            pw_results_page_refresh      (PwResultsPage *self);
guint           pw_results_page_get_n_charts (PwResultsPage *self);
PwPresentation *pw_results_page_present      (PwResultsPage *self);

G_END_DECLS
