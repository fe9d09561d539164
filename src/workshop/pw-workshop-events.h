/* pw-workshop-events.h: live events (the event tracker, PutEvents and the
 * next list) and the exploration setting (UpdateCampaign)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-workshop.h"

G_BEGIN_DECLS

/*
 * THE LIVE_EVENTS STEP. pw_workshop_run_step_async (self,
 * PW_WORKSHOP_STEP_LIVE_EVENTS, …) creates the event tracker
 * "pw-workshop-tracker-SUFFIX" in the workshop's dataset group (its name is
 * recorded in the state before CreateEventTracker, its ARN as soon as the
 * answer comes, as for every resource; kind PW_RESOURCE_EVENT_TRACKER,
 * parent the dataset group, detail the trackingId) and waits until it is
 * ACTIVE. The step needs CAMPAIGNS complete (NOT_READY otherwise).
 * Running it again reuses the tracker.
 *
 * COMPLETE when CAMPAIGNS is complete and the state holds an ACTIVE event
 * tracker of this step's generation with its trackingId. Cleanup deletes
 * it, and the EVENT_INTERACTIONS dataset it made in the dataset group.
 */

/* The event type every click sends (the workshop's "RATING"). */
#define PW_WORKSHOP_EVENT_TYPE "RATING"

/* (nullable) The trackingId of the current event tracker; %NULL until
 * LIVE_EVENTS completed. */
const char *pw_workshop_get_tracking_id    (PwWorkshop *self);

/* The session id PutEvents uses for @user_id: one per user for the life of
 * this PwWorkshop ("pw-session-" + the user id's hash + a random part),
 * the same on every call. Owned by the workshop. */
const char *pw_workshop_get_session_id     (PwWorkshop *self,
                                            const char *user_id);

/**
 * pw_workshop_set_event_wait:
 * @timeout_ms: how long to wait for the list to change after a click
 *   (0: the default, 30 s on AWS, 5 s on the local engine)
 * @interval_ms: the pause between GetRecommendations tries (0: the
 *   default, 2 s on AWS, 100 ms locally)
 *
 * Tuning for pw_workshop_put_event_async(); tests use short values.
 */
void        pw_workshop_set_event_wait     (PwWorkshop *self,
                                            guint       timeout_ms,
                                            guint       interval_ms);

/**
 * pw_workshop_put_event_async:
 * @user_id: the USER_ID who clicked
 * @item_id: the ITEM_ID clicked
 * @event_value: EVENT_VALUE sent (the workshop sends a rating, e.g. 5)
 * @previous: (nullable) (array zero-terminated=1): the list shown before
 *   the click (best first); %NULL: nothing to compare with
 * @num_results: the length of the next list (1..500)
 *
 * One click: PutEvents to the current tracker (trackingId, userId,
 * sessionId = pw_workshop_get_session_id(), one event: eventType
 * %PW_WORKSHOP_EVENT_TYPE, itemId, eventValue, sentAt = now, an eventId),
 * then GetRecommendations for @user_id on the user-personalization
 * campaign. When the new list equals @previous (same items in the same
 * order), it asks again every interval until it differs or the timeout
 * passes (AWS applies events within seconds, not at once); the finish
 * function then says whether it changed. Needs LIVE_EVENTS complete
 * (NOT_READY otherwise). PutEvents is never retried after it was sent
 * (the client's rule), so a click is never counted twice.
 */
void        pw_workshop_put_event_async    (PwWorkshop          *self,
                                            const char          *user_id,
                                            const char          *item_id,
                                            double               event_value,
                                            const char * const  *previous,
                                            guint                num_results,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/**
 * pw_workshop_put_event_finish:
 * @out_scores: (out) (optional): the scores of the new list (g_free())
 * @out_changed: (out) (optional): %TRUE when the list differs from
 *   @previous (always %TRUE when @previous was %NULL); %FALSE means the
 *   timeout passed with the same list (not an error: say so)
 *
 * Returns: (transfer full): the new list, best first, %NULL-terminated;
 *   %NULL on error (the service's error, with the AWS code).
 */
char      **pw_workshop_put_event_finish   (PwWorkshop    *self,
                                            GAsyncResult  *result,
                                            double       **out_scores,
                                            gboolean      *out_changed,
                                            GError       **error);

/**
 * pw_workshop_update_exploration_async:
 * @weight: explorationWeight, 0..1 (refused with INVALID_DATA outside)
 * @age_cut_off_days: explorationItemAgeCutOff in days, > 0 (≤ 0: 30)
 *
 * Changes the user-personalization campaign's exploration as on AWS:
 * UpdateCampaign with campaignConfig.itemExplorationConfig
 * { "explorationWeight": "0.55", "explorationItemAgeCutOff": "30" }, then
 * DescribeCampaign with backoff until the campaign is ACTIVE again and
 * its latestCampaignUpdate is ACTIVE (UPDATE PENDING and UPDATE
 * IN_PROGRESS are waited for; an update FAILED is an error with its
 * failureReason). While another update is still in progress, the
 * ResourceInUseException is waited out first. On success the workshop's
 * "exploration-weight" becomes @weight and is recorded in the state
 * WITHOUT making the campaigns anew (this is the point: the same campaign
 * changes). Needs CAMPAIGNS complete and no step running (BUSY); the
 * workshop is "busy" with running-step CAMPAIGNS meanwhile.
 */
void        pw_workshop_update_exploration_async  (PwWorkshop          *self,
                                                   double               weight,
                                                   double               age_cut_off_days,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean    pw_workshop_update_exploration_finish (PwWorkshop          *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
