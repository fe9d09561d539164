/* pw-analysis-page.h: step 8 of 9 (notebooks 6.1 and 7.1), per-user analysis and evaluation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-charts.h"
#include "pw-page.h"

G_BEGIN_DECLS

#define PW_TYPE_ANALYSIS_PAGE (pw_analysis_page_get_type ())
G_DECLARE_FINAL_TYPE (PwAnalysisPage, pw_analysis_page, PW, ANALYSIS_PAGE, PwPage)

PwPage       *pw_analysis_page_new            (PwWorkshop     *workshop);
const char   *pw_analysis_page_get_user_id    (PwAnalysisPage *self);
void          pw_analysis_page_set_user_id    (PwAnalysisPage *self,
                                               const char     *user_id);
gboolean      pw_analysis_page_get_busy       (PwAnalysisPage *self);
/* The last analysis shown: hits among the top 10, length of the strip. */
int           pw_analysis_page_get_hits_top10 (PwAnalysisPage *self);
guint         pw_analysis_page_get_strip_length (PwAnalysisPage *self);
guint         pw_analysis_page_get_n_validation (PwAnalysisPage *self);
/* (transfer none) (nullable) The evaluation chart of a kind ("standard"
 * definitions or the notebook's variant), once evaluated. */
PwChart      *pw_analysis_page_get_evaluation_chart (PwAnalysisPage *self,
                                                     guint           kind,
                                                     gboolean        notebook_variant);

G_END_DECLS
