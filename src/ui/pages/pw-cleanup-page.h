/* pw-cleanup-page.h: step 9 of 9 (notebook 9.1), delete everything
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-page.h"

G_BEGIN_DECLS

#define PW_TYPE_CLEANUP_PAGE (pw_cleanup_page_get_type ())
G_DECLARE_FINAL_TYPE (PwCleanupPage, pw_cleanup_page, PW, CLEANUP_PAGE, PwPage)

PwPage     *pw_cleanup_page_new          (PwWorkshop    *workshop);
/* The last "Find leftovers" answer (NULL before the first). */
GListModel *pw_cleanup_page_get_leftovers (PwCleanupPage *self);

G_END_DECLS
