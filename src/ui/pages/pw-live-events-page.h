/* pw-live-events-page.h: step 6 of 9 (notebooks 4.3 and 4.4), live events and exploration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-charts.h"
#include "pw-page.h"

G_BEGIN_DECLS

#define PW_TYPE_LIVE_EVENTS_PAGE (pw_live_events_page_get_type ())
G_DECLARE_FINAL_TYPE (PwLiveEventsPage, pw_live_events_page, PW, LIVE_EVENTS_PAGE, PwPage)

PwPage             *pw_live_events_page_new          (PwWorkshop       *workshop);
const char         *pw_live_events_page_get_user_id  (PwLiveEventsPage *self);
void                pw_live_events_page_set_user_id  (PwLiveEventsPage *self,
                                                      const char       *user_id);
gboolean            pw_live_events_page_get_busy     (PwLiveEventsPage *self);
guint               pw_live_events_page_get_n_lists  (PwLiveEventsPage *self);
const char * const *pw_live_events_page_get_list     (PwLiveEventsPage *self,
                                                      guint             index);
guint               pw_live_events_page_get_n_history (PwLiveEventsPage *self);
PwChart            *pw_live_events_page_get_shares_chart (PwLiveEventsPage *self);
int                 pw_live_events_page_get_n_cold   (PwLiveEventsPage *self);
double              pw_live_events_page_get_applied_weight (PwLiveEventsPage *self);
GtkWidget          *pw_live_events_page_open_storefront (PwLiveEventsPage *self);

G_END_DECLS
