/* pw-workshop.h: the wizard's driver: back end, client, embedded server,
 * prepared data, state file, resources and the steps of docs/workshop.md
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-aws-client.h"
#include "pw-aws-config.h"
#include "pw-prepare.h"
#include "pw-workshop-error.h"
#include "pw-workshop-resource.h"
#include "pw-workshop-types.h"

G_BEGIN_DECLS

/*
 * PwWorkshop drives the whole workshop, as GNOME Initial Setup's GisDriver
 * drives its pages. Pages (and the command line) receive the workshop and
 * read what earlier steps made from it, never from each other.
 *
 * THREADING. A PwWorkshop belongs to the thread that created it and to that
 * thread's thread-default GMainContext at construction, its "main context".
 * Call every function from that thread. Every signal and every "notify" of
 * the workshop and of its resources is emitted on the main context, never
 * from a worker thread. The main context must be iterated while a step
 * runs (a GTK main loop, or g_main_loop_run() in the command line): the
 * steps do their blocking work in a worker thread, but every AWS call
 * goes through the one PwAwsClient on the main context and every state
 * change is applied there. There are no sync wrappers. In local mode the
 * embedded server is started (its state loaded) in a worker thread too,
 * by the first call that needs the client.
 *
 * THE STATE FILE. JSON, written atomically (g_file_set_contents) after
 * every change and before the next service call: each resource's name is
 * recorded before its Create call, its ARN as soon as the answer comes,
 * its status on every change. It holds kinds, names, ARNs, regions, back
 * end, times, statuses, failure reasons, the data files' checksums, the
 * training options and metrics, and never a key, secret or token. A new
 * PwWorkshop on an existing state file resumes: running a step again
 * finds what already exists (by the recorded ARN, or by looking the
 * recorded name up after a crash between the name and the ARN) instead
 * of failing with ResourceAlreadyExists, and waits for what is still in
 * progress instead of creating it again.
 *
 * COMPLETE. pw_workshop_get_step_state() is COMPLETE only when:
 *   BACKEND: local: the embedded server runs; AWS: STS answered for the
 *     current configuration during this session;
 *   DATA: prepared data is set (pw_workshop_set_prepared()) or the state
 *     records output files that still exist with their recorded checksums;
 *   DATASET_GROUP: the state says the bucket and both uploaded objects, the
 *     dataset group, both schemas and both datasets are ACTIVE, both import
 *     jobs (each waited for by its own ARN) are ACTIVE, and on AWS the role
 *     and its two policy attachments and the bucket policy exist;
 *   TRAINING: a solution and an ACTIVE solution version exist for every
 *     chosen recipe, and their metrics are recorded;
 *   CAMPAIGNS: the two campaigns are ACTIVE on the current versions;
 *   LIVE_EVENTS, BATCH, ANALYSIS: CAMPAIGNS is complete and the state
 *     holds their results (see pw-workshop-events.h, pw-workshop-batch.h,
 *     pw-workshop-evaluate.h); each needs only the steps up to CAMPAIGNS,
 *     not each other;
 *   CLEANUP: the state records at least one resource and all of them are
 *     DELETED.
 * In each case, also nothing earlier was invalidated since the step ran.
 * A step whose resource FAILED is INCOMPLETE. Running a step is also the
 * only way to make it complete: nothing is marked done by being passed.
 *
 * CANCELLING. The workshop owns a window-lifetime GCancellable
 * (pw_workshop_get_cancellable()), cancelled by pw_workshop_shutdown() and
 * on dispose. Every async call here stops when either it or the caller's
 * cancellable is cancelled. A cancelled step leaves every resource it
 * created recorded in the state; running the step again continues.
 */

#define PW_TYPE_WORKSHOP (pw_workshop_get_type ())
G_DECLARE_FINAL_TYPE (PwWorkshop, pw_workshop, PW, WORKSHOP, GObject)

/* Prefix of every name the workshop gives (then a word and a random
 * suffix, e.g. "pw-workshop-dsg-4f2a9c"); pw_workshop_find_leftovers_async()
 * searches for it. */
#define PW_WORKSHOP_NAME_PREFIX "pw-workshop-"

/**
 * PwRecipeInfo:
 * @name: the recipe's name, e.g. "aws-user-personalization"
 * @arn: its ARN, "arn:aws:personalize:::recipe/" + name
 * @preselected: chosen by default (the four of docs/workshop.md 3.1)
 * @legacy: an older recipe (the HRNN family) that AWS no longer offers for
 *   new solutions in most accounts; the local engine maps it
 */
typedef struct
{
  const char *name;
  const char *arn;
  gboolean    preselected;
  gboolean    legacy;
} PwRecipeInfo;

/* The recipes the Training step offers, in display order. Static data. */
const PwRecipeInfo *pw_workshop_get_recipes        (guint *n_recipes);

/* The offline metrics the workshop shows, in table order (docs/workshop.md 3.2):
 * "coverage", "mean_reciprocal_rank_at_25",
 * "normalized_discounted_cumulative_gain_at_5", "…_at_10", "…_at_25",
 * "precision_at_5", "precision_at_10", "precision_at_25". */
const char * const *pw_workshop_get_metric_names   (guint *n_names);

/* What Amazon Personalize published for @recipe's solution on MovieLens 1M
 * with the workshop's split (docs/workshop.md, "Published numbers"):
 * @metric is a name of pw_workshop_get_metric_names(). FALSE (and @value
 * untouched) for a recipe or metric it did not publish. */
gboolean            pw_workshop_get_published_metric (const char *recipe,
                                                      const char *metric,
                                                      double     *value);

/* Default file: g_get_user_data_dir()/personalize-workshop/workshop.json. */
char               *pw_workshop_get_default_state_file (void);

/**
 * pw_workshop_new:
 * @state_file: (nullable): the state file; %NULL: the default
 * @error: a state file that exists but cannot be read or parsed
 *
 * Loads the state file if it exists (resuming: the resources, back end,
 * region, options and metrics it records come back), or starts empty.
 * Starts nothing and calls nothing. The embedded server's data directory
 * is g_get_user_data_dir()/personalize-workshop/local (persistent, so a
 * resumed workshop finds its resources). PwWorkshop is a GInitable: to
 * set the other construct-only properties, use
 * g_initable_new (PW_TYPE_WORKSHOP, NULL, &error, "state-file", path,
 * "local-data-dir", dir, NULL). Create it in the thread (and under the
 * thread-default main context) that will use it.
 */
PwWorkshop         *pw_workshop_new                (const char  *state_file,
                                                    GError     **error);

/*
 * Properties:
 *   state-file          (construct-only) string
 *   local-data-dir      (construct-only, nullable) string: the embedded
 *                       server's data directory; %NULL = the default above
 *   local-step-ms       (construct-only) uint: the embedded server's status
 *                       step length (PwLocalServerOptions.step_ms); 0 = its
 *                       default
 *   backend             PwWorkshopBackend (read-only; pw_workshop_set_backend())
 *   region              string (read-only; from the configuration given)
 *   client              PwAwsClient (read-only, nullable): %NULL until the
 *                       BACKEND step ran; replaced when the back end or the
 *                       configuration changes
 *   busy                gboolean: a step or a cleanup is running
 *   running-step        PwWorkshopStep: the step running (meaningful while busy)
 *   progress-fraction   double: 0..1 of the running step; -1 when unknown
 *                       (pulse)
 *   progress-message    (nullable) string: what the running step does now,
 *                       translated, one line ("Waiting for dataset
 *                       “pw-workshop-…”")
 *   recipes             GStrv: the recipe names chosen for TRAINING
 *   exploration-weight  double 0..1: user-personalization's
 *                       explorationWeight (default 0.3)
 *   prepared            PwPrepareResult (read-only, nullable): see
 *                       pw_workshop_get_prepared()
 *
 * Signals (all on the main context):
 *   step-state-changed (PwWorkshopStep step): pw_workshop_get_step_state()
 *     of @step changed (emitted once per step that changed, in step order)
 *   resource-added (PwWorkshopResource *resource): a new entry in the state
 *     (also visible as items-changed on pw_workshop_get_resources())
 *   resource-changed (PwWorkshopResource *resource): one or more of its
 *     properties changed (after their notify signals)
 */

PwWorkshopBackend   pw_workshop_get_backend        (PwWorkshop  *self);

/**
 * pw_workshop_set_backend:
 * @config: (nullable): AWS: the configuration (region, credentials or
 *   profile, optional endpoint); copied, secrets kept in memory only.
 *   Ignored for LOCAL.
 *
 * Chooses the back end. Fails with BACKEND_IN_USE while the state lists
 * live resources on another back end or region, with BUSY while a step
 * runs, with REGION for an AWS region without Personalize. The BACKEND
 * step must run again (this calls nothing). Choosing another back end or
 * region also invalidates from DATASET_GROUP; the same one again (new
 * keys, or a resumed workshop) keeps what exists there.
 */
gboolean            pw_workshop_set_backend        (PwWorkshop         *self,
                                                    PwWorkshopBackend   backend,
                                                    const PwAwsConfig  *config,
                                                    GError            **error);
const char         *pw_workshop_get_region         (PwWorkshop  *self);
PwAwsClient        *pw_workshop_get_client         (PwWorkshop  *self);
/* The embedded server's URL in local mode once started, else %NULL. */
const char         *pw_workshop_get_local_url      (PwWorkshop  *self);
GCancellable       *pw_workshop_get_cancellable    (PwWorkshop  *self);
const char         *pw_workshop_get_state_file     (PwWorkshop  *self);

/* Cancels the window-lifetime cancellable and stops the embedded server
 * once nothing runs. Call when the window closes. Idempotent. */
void                pw_workshop_shutdown           (PwWorkshop  *self);

gboolean            pw_workshop_get_busy           (PwWorkshop  *self);
PwWorkshopStep      pw_workshop_get_running_step   (PwWorkshop  *self);
double              pw_workshop_get_progress_fraction (PwWorkshop *self);
const char         *pw_workshop_get_progress_message  (PwWorkshop *self);

PwWorkshopStepState pw_workshop_get_step_state     (PwWorkshop     *self,
                                                    PwWorkshopStep  step);

/**
 * pw_workshop_invalidate_from:
 * @step: the first step that no longer holds
 *
 * The one place that marks steps incomplete: @step and every later step
 * become INCOMPLETE until they run again (recorded in the state file).
 * BACKEND: the connection must be checked again. DATA: the prepared data
 * is dropped until pw_workshop_set_prepared() (the same files again then
 * outdate nothing later).
 * Resources are not deleted; running an invalidated step again reuses
 * what still fits (dataset group, schemas, datasets, solutions) and makes
 * what depends on the change anew (import jobs, solution versions,
 * campaigns). pw_workshop_set_prepared() and pw_workshop_set_backend()
 * call it themselves.
 */
void                pw_workshop_invalidate_from    (PwWorkshop     *self,
                                                    PwWorkshopStep  step);

/**
 * pw_workshop_set_prepared:
 * @result: (transfer none): the prepared data; the workshop takes a reference
 * @output_dir: the folder where pw_prepare wrote the files
 *   (training_interaction.csv and training_item.csv are uploaded)
 *
 * Completes the DATA step. Checks that the two files exist and records
 * their checksums. When they differ from what the state recorded,
 * invalidates from DATASET_GROUP. The workshop owns both from now on
 * (pw_workshop_get_prepared(), pw_workshop_get_output_dir()).
 */
gboolean            pw_workshop_set_prepared       (PwWorkshop       *self,
                                                    PwPrepareResult  *result,
                                                    const char       *output_dir,
                                                    GError          **error);
/* (nullable) (transfer none) */
PwPrepareResult    *pw_workshop_get_prepared       (PwWorkshop  *self);
/* The output folder recorded (also after a resume), else the default
 * g_get_user_data_dir()/personalize-workshop/data. Never %NULL. */
const char         *pw_workshop_get_output_dir     (PwWorkshop  *self);

/**
 * pw_workshop_load_prepared_async:
 *
 * After a restart the DATA step can be complete from the files on disk
 * while pw_workshop_get_prepared() is %NULL. This reads the prepared files
 * back in a worker thread (pw_prepare_load(): the interactions with the
 * split, catalog.csv's titles and genres, the statistics), checking them
 * against the checksums in the state, then sets the "prepared" property
 * (notify) on the main context. Succeeds at once when prepared data is
 * set. Fails with NOT_READY when the DATA step has no files, and with
 * INVALID_DATA naming the file when one is gone or changed (then the DATA
 * step becomes incomplete).
 */
void                pw_workshop_load_prepared_async  (PwWorkshop          *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean            pw_workshop_load_prepared_finish (PwWorkshop          *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

const char * const *pw_workshop_get_recipes_chosen (PwWorkshop         *self);
/* @recipes: names from pw_workshop_get_recipes(); unknown names are
 * refused (FALSE, error). Invalidates from TRAINING when they change. */
gboolean            pw_workshop_set_recipes_chosen (PwWorkshop         *self,
                                                    const char * const *recipes,
                                                    GError            **error);
double              pw_workshop_get_exploration_weight (PwWorkshop *self);
void                pw_workshop_set_exploration_weight (PwWorkshop *self,
                                                        double      weight);

/* (transfer none) A GListModel of PwWorkshopResource: every entry of the
 * state, in the order recorded, deleted ones included (status DELETED).
 * Items are only ever appended, on the main context. */
GListModel         *pw_workshop_get_resources      (PwWorkshop  *self);
/* (nullable) (transfer none) By ARN or, for buckets and objects, name. */
PwWorkshopResource *pw_workshop_find_resource      (PwWorkshop  *self,
                                                    const char  *id);
/* Resources not DELETED. */
guint               pw_workshop_count_live         (PwWorkshop  *self);

/**
 * pw_workshop_get_metric:
 * @recipe: a recipe name ("aws-user-personalization")
 * @metric: a name of pw_workshop_get_metric_names() (or any other name
 *   GetSolutionMetrics returned)
 * @out_value: (out)
 *
 * The offline metric recorded for @recipe's current solution version by
 * the TRAINING step. FALSE if none.
 */
gboolean            pw_workshop_get_metric         (PwWorkshop  *self,
                                                    const char  *recipe,
                                                    const char  *metric,
                                                    double      *out_value);
/* (transfer full) The recipes with recorded metrics, in training order. */
char              **pw_workshop_dup_trained_recipes (PwWorkshop *self);

/**
 * pw_workshop_run_step_async:
 * @step: a built step; not DATA (pw_workshop_set_prepared() completes it)
 *
 * Runs @step: creates what it needs and is not there, waits (Describe
 * with backoff) until it is ACTIVE, records everything. Fails with
 * NOT_BUILT for steps not built, BUSY while another step runs, NOT_READY
 * when an earlier step is incomplete. Progress goes to "progress-fraction"
 * and "progress-message"; resources to the list. Running a complete step
 * again checks its resources and returns.
 *
 * CLEANUP deletes every live resource of the state in dependency order
 * (campaigns, solutions, the event tracker, datasets including
 * EVENT_INTERACTIONS, schemas, dataset group, bucket policy, role policies
 * and role, objects and bucket), waiting for each delete that the next
 * one needs; a resource already gone counts as deleted. It runs even when
 * earlier steps are incomplete (that is when it matters), and starts the
 * embedded server first in local mode.
 */
void                pw_workshop_run_step_async     (PwWorkshop          *self,
                                                    PwWorkshopStep       step,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean            pw_workshop_run_step_finish    (PwWorkshop          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* STS GetCallerIdentity through the current back end (local: the
 * embedded server, started if needed). Success completes the BACKEND step
 * (the same as running it); failure leaves it incomplete, with the
 * service's error (UnrecognizedClientException, InvalidClientTokenId,
 * ExpiredToken, a network error). */
void                pw_workshop_test_connection_async  (PwWorkshop          *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean            pw_workshop_test_connection_finish (PwWorkshop          *self,
                                                        GAsyncResult        *result,
                                                        char               **out_account,
                                                        char               **out_arn,
                                                        GError             **error);

/**
 * pw_workshop_recommend_async:
 * @user_id: a USER_ID of the data
 * @num_results: 1..500
 *
 * GetRecommendations on the user-personalization campaign (CAMPAIGNS must
 * be complete). Finish returns the item ids best first (transfer full,
 * %NULL-terminated) and, if @out_scores is not %NULL, their scores
 * (g_free()).
 */
void                pw_workshop_recommend_async    (PwWorkshop          *self,
                                                    const char          *user_id,
                                                    guint                num_results,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
char              **pw_workshop_recommend_finish   (PwWorkshop          *self,
                                                    GAsyncResult        *result,
                                                    double             **out_scores,
                                                    GError             **error);
/* The same on the similar-items campaign for an ITEM_ID. */
void                pw_workshop_similar_items_async  (PwWorkshop          *self,
                                                      const char          *item_id,
                                                      guint                num_results,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
char              **pw_workshop_similar_items_finish (PwWorkshop          *self,
                                                      GAsyncResult        *result,
                                                      double             **out_scores,
                                                      GError             **error);

/**
 * pw_workshop_find_leftovers_async:
 *
 * Lists, in the current back end and region, the resources whose names
 * start with %PW_WORKSHOP_NAME_PREFIX: dataset groups, schemas and
 * campaigns, everything inside such a dataset group (datasets, including
 * EVENT_INTERACTIONS, solutions, event trackers), S3 buckets
 * (ListBuckets: of every region) and IAM roles (ListRoles), whether or
 * not the state lists them. Finish returns a
 * new GListModel of PwWorkshopResource (transfer full) not attached to the
 * state; an empty model means none. Needs a client (local: starts the
 * server; AWS: pw_workshop_set_backend() first); does not need BACKEND to
 * be complete.
 */
void                pw_workshop_find_leftovers_async  (PwWorkshop          *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GListModel         *pw_workshop_find_leftovers_finish (PwWorkshop          *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/**
 * pw_workshop_adopt_leftovers:
 * @leftovers: PwWorkshopResources, as pw_workshop_find_leftovers_finish()
 *   returns them
 * @out_n_adopted: (out) (optional): how many were added
 *
 * Records the live leftovers of the current back end and region in the
 * state (appended, written before this returns), so that the CLEANUP step
 * deletes them with the rest (a bucket with all its objects, a role with
 * the workshop's two policies detached). What the state already lists as
 * live is skipped. Once adopted a resource is the workshop's: a step that
 * needs one of its kind may use it, as after a resume. Fails with BUSY
 * while a step runs, or when the state cannot be written (then nothing
 * is added).
 */
gboolean            pw_workshop_adopt_leftovers       (PwWorkshop          *self,
                                                       GListModel          *leftovers,
                                                       guint               *out_n_adopted,
                                                       GError             **error);

G_END_DECLS
