/* pw-placeholder-page.h: a step that says what it will do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-page.h"

G_BEGIN_DECLS

#define PW_TYPE_PLACEHOLDER_PAGE (pw_placeholder_page_get_type ())
G_DECLARE_FINAL_TYPE (PwPlaceholderPage, pw_placeholder_page, PW, PLACEHOLDER_PAGE, PwPage)

PwPage             *pw_placeholder_page_new             (const char         *title,
                                                         const char         *icon_name,
                                                         const char         *description,
                                                         const char * const *tasks);
const char         *pw_placeholder_page_get_description (PwPlaceholderPage  *self);
const char * const *pw_placeholder_page_get_tasks       (PwPlaceholderPage  *self);

G_END_DECLS
