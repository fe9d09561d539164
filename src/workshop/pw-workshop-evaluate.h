/* pw-workshop-evaluate.h: the ANALYSIS step (population evaluation of both
 * campaigns through the runtime API) and the per-user analysis
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-metrics.h"
#include "pw-workshop.h"
#include "pw-workshop-data.h"

G_BEGIN_DECLS

/**
 * PwEvaluationKind:
 * @PW_EVALUATION_USER_PERSONALIZATION: GetRecommendations(userId) on the
 *   user-personalization campaign (docs/workshop.md 6.1)
 * @PW_EVALUATION_SIMILAR_ITEMS: GetRecommendations(itemId = the user's
 *   last training item: greatest TIMESTAMP, ties the last row) on the
 *   similar-items campaign (7.1)
 */
typedef enum
{
  PW_EVALUATION_USER_PERSONALIZATION,
  PW_EVALUATION_SIMILAR_ITEMS,
  PW_EVALUATION_N_KINDS,
} PwEvaluationKind;

/*
 * THE ANALYSIS STEP. pw_workshop_run_step_async (self,
 * PW_WORKSHOP_STEP_ANALYSIS, …) needs CAMPAIGNS complete and the prepared
 * data in memory (NOT_READY otherwise). For each kind above, for every
 * user with validation rows, it asks the campaign for 25 items through
 * the runtime API of the current back end (the one PwAwsClient), several
 * requests in flight at once within the service's limits (at most
 * "max-in-flight" requests outstanding and at most "max-per-second"
 * started per second; ThrottlingException is retried by the client with
 * backoff), and scores each list against the user's validation items
 * with the engine's definitions (pw-metrics.h: pw_metrics_add_user() with
 * n_targets = the number of distinct validation items, then
 * pw_metrics_finish() with the distinct recommended items over the
 * catalogue = the distinct ITEM_IDs of the uploaded training_item.csv and
 * training_interaction.csv, what the model knows). Similar-items requests
 * carry the userId too, so the user's own items are left out, as the
 * engine's evaluation does. That is the engine's own
 * pw_evaluate_validation() on the same lists, so the numbers equal the
 * engine's evaluation of the same model with the campaign's exploration
 * settings; both the standard NDCG and the notebook's variant
 * (workshop_ndcg_at_K) are filled. Progress: the
 * fraction of lists fetched, message "Evaluating user-personalization:
 * 1,200 of 6,040 users". Cancel stops it and records nothing; a failed
 * request fails the step with the service's error (user id in the
 * message). The results are recorded in the state file.
 *
 * COMPLETE when CAMPAIGNS is complete and the state holds both
 * evaluations made on the current campaigns (same campaign ARNs) in this
 * step's generation.
 */

/* Defaults: local 4 in flight, 200 per second; AWS 4 in flight, 20 per
 * second (a 1-TPS campaign bursts; 6,040 users take about 5 minutes).
 * 0 keeps the default. Takes effect at the next run. */
void        pw_workshop_set_evaluation_limits (PwWorkshop *self,
                                               guint       max_in_flight,
                                               guint       max_per_second);

/**
 * pw_workshop_get_evaluation:
 * @out_metrics: (out): the metrics (users = the users scored)
 * @out_seconds: (out) (optional): how long the requests took
 *
 * The recorded evaluation of @kind; FALSE when there is none for the
 * current campaigns.
 */
gboolean    pw_workshop_get_evaluation    (PwWorkshop       *self,
                                           PwEvaluationKind  kind,
                                           PwMetrics        *out_metrics,
                                           double           *out_seconds);

/* "user-personalization" / "similar-items" (stable, for files and the state) */
const char *pw_evaluation_kind_to_string  (PwEvaluationKind kind);

/**
 * PwUserAnalysis:
 * @user_id: the user
 * @recent_training: (element-type PwWorkshopInteraction): the 5 most recent
 *   training interactions, newest first
 * @validation: (element-type PwWorkshopInteraction): every validation
 *   interaction, newest first
 * @recommended: the campaign's 25 items, best first, %NULL-terminated
 * @scores: their scores
 * @n_recommended: the length of @recommended (25 unless the catalogue is
 *   smaller)
 * @relevance: [n_recommended] 1 when the item is among the validation
 *   items, else 0: the relevance strip
 * @hits_top10: how many of the first 10 are hits
 *
 * docs/workshop.md 6.1's per-user analysis.
 */
typedef struct
{
  char       *user_id;
  GPtrArray  *recent_training;
  GPtrArray  *validation;
  char      **recommended;
  double     *scores;
  guint       n_recommended;
  guint8     *relevance;
  guint       hits_top10;
} PwUserAnalysis;

void        pw_user_analysis_free         (PwUserAnalysis *analysis);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwUserAnalysis, pw_user_analysis_free)

/**
 * pw_workshop_analyze_user_async:
 *
 * GetRecommendations (25) for @user_id on the user-personalization
 * campaign, with the user's data. Needs CAMPAIGNS complete and the
 * prepared data (NOT_READY); an unknown user is INVALID_DATA.
 */
void            pw_workshop_analyze_user_async  (PwWorkshop          *self,
                                                 const char          *user_id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
PwUserAnalysis *pw_workshop_analyze_user_finish (PwWorkshop          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
