/* pw-batch-page.h: step 7 of 9 (notebook 5.1), batch inference and its export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-page.h"

G_BEGIN_DECLS

#define PW_TYPE_BATCH_PAGE (pw_batch_page_get_type ())
G_DECLARE_FINAL_TYPE (PwBatchPage, pw_batch_page, PW, BATCH_PAGE, PwPage)

PwPage   *pw_batch_page_new              (PwWorkshop  *workshop);
/* Lines of the output read (0 until read), users in the preview. */
guint     pw_batch_page_get_n_lines      (PwBatchPage *self);
guint     pw_batch_page_get_n_previewed  (PwBatchPage *self);
gboolean  pw_batch_page_get_busy         (PwBatchPage *self);
/* What "Export CSV…" does once a file is chosen. */
void      pw_batch_page_export_to        (PwBatchPage *self,
                                          GFile       *file);
/* (nullable) The last file exported successfully. */
GFile    *pw_batch_page_get_exported     (PwBatchPage *self);

G_END_DECLS
