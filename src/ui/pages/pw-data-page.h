/* pw-data-page.h: step 2 of 9 (notebooks 1.1-1.2), preparing the data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-page.h"
#include "pw-prepare.h"

G_BEGIN_DECLS

#define PW_TYPE_DATA_PAGE (pw_data_page_get_type ())
G_DECLARE_FINAL_TYPE (PwDataPage, pw_data_page, PW, DATA_PAGE, PwPage)

PwPage                *pw_data_page_new            (PwWorkshop  *workshop);
PwSource               pw_data_page_get_source     (PwDataPage  *self);
void                   pw_data_page_set_source     (PwDataPage  *self,
                                                    PwSource     source);
void                   pw_data_page_set_input      (PwDataPage  *self,
                                                    const char  *path);
void                   pw_data_page_set_items      (PwDataPage  *self,
                                                    const char  *path);
const char            *pw_data_page_get_output_dir (PwDataPage  *self);
void                   pw_data_page_set_output_dir (PwDataPage  *self,
                                                    const char  *path);
void                   pw_data_page_set_skip_bad_rows (PwDataPage *self,
                                                       gboolean    skip);
void                   pw_data_page_set_synthetic  (PwDataPage               *self,
                                                    const PwSyntheticOptions *options);
const PwPrepareResult *pw_data_page_get_result     (PwDataPage  *self);

G_END_DECLS
