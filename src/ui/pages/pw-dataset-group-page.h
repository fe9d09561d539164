/* pw-dataset-group-page.h: step 3 of 9 (notebook 2.1), the dataset group and the imports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-page.h"

G_BEGIN_DECLS

#define PW_TYPE_DATASET_GROUP_PAGE (pw_dataset_group_page_get_type ())
G_DECLARE_FINAL_TYPE (PwDatasetGroupPage, pw_dataset_group_page, PW, DATASET_GROUP_PAGE, PwPage)

PwPage *pw_dataset_group_page_new (PwWorkshop *workshop);

G_END_DECLS
