/* pw-backend-page.h: step 1 of 9, where the workshop runs and with which keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-page.h"

G_BEGIN_DECLS

#define PW_TYPE_BACKEND_PAGE (pw_backend_page_get_type ())
G_DECLARE_FINAL_TYPE (PwBackendPage, pw_backend_page, PW, BACKEND_PAGE, PwPage)

PwPage            *pw_backend_page_new         (PwWorkshop        *workshop);
PwWorkshopBackend  pw_backend_page_get_backend (PwBackendPage     *self);
void               pw_backend_page_set_backend (PwBackendPage     *self,
                                                PwWorkshopBackend  backend);
const char        *pw_backend_page_get_region  (PwBackendPage     *self);
void               pw_backend_page_set_region  (PwBackendPage     *self,
                                                const char        *region);
const char        *pw_backend_page_get_profile (PwBackendPage     *self);
void               pw_backend_page_set_profile (PwBackendPage     *self,
                                                const char        *profile);
const char        *pw_backend_page_get_account (PwBackendPage     *self);

G_END_DECLS
