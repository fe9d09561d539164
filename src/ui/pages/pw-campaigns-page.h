/* pw-campaigns-page.h: step 5 of 9 (notebooks 4.1 and 4.2), campaigns and recommendations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-page.h"

G_BEGIN_DECLS

#define PW_TYPE_CAMPAIGNS_PAGE (pw_campaigns_page_get_type ())
G_DECLARE_FINAL_TYPE (PwCampaignsPage, pw_campaigns_page, PW, CAMPAIGNS_PAGE, PwPage)

PwPage     *pw_campaigns_page_new             (PwWorkshop      *workshop);
const char *pw_campaigns_page_get_user_id     (PwCampaignsPage *self);
void        pw_campaigns_page_set_user_id     (PwCampaignsPage *self,
                                               const char      *user_id);
const char *pw_campaigns_page_get_item_query  (PwCampaignsPage *self);
void        pw_campaigns_page_set_item_query  (PwCampaignsPage *self,
                                               const char      *query);
/* How many recommended / similar items the last answers listed. */
guint       pw_campaigns_page_get_n_recommended (PwCampaignsPage *self);
guint       pw_campaigns_page_get_n_similar     (PwCampaignsPage *self);

G_END_DECLS
