/* pw-storefront.h: the live events as a small movie site, for an audience
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pw-workshop.h"

G_BEGIN_DECLS

#define PW_TYPE_STOREFRONT (pw_storefront_get_type ())
G_DECLARE_FINAL_TYPE (PwStorefront, pw_storefront, PW, STOREFRONT, AdwBin)

GtkWidget          *pw_storefront_new              (PwWorkshop   *workshop);
const char         *pw_storefront_get_user_id      (PwStorefront *self);
void                pw_storefront_set_user_id      (PwStorefront *self,
                                                    const char   *user_id);
gboolean            pw_storefront_click            (PwStorefront *self,
                                                    const char   *item_id);
gboolean            pw_storefront_get_busy         (PwStorefront *self);
const char * const *pw_storefront_get_recommended  (PwStorefront *self);
const char * const *pw_storefront_get_similar      (PwStorefront *self);
const char         *pw_storefront_get_seed         (PwStorefront *self);
guint               pw_storefront_get_n_refreshes  (PwStorefront *self);

G_END_DECLS
