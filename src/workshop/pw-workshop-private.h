/* pw-workshop-private.h: what the workshop's step code (pw-workshop-steps.c)
 * shares with the object (pw-workshop.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "pw-local-server.h"
#include "pw-workshop.h"
#include "pw-workshop-resource-private.h"

G_BEGIN_DECLS

/* Resources also carry the generation of their step that made them (see
 * pw_workshop_invalidate_from()); kept out of the public API. */
guint    pw_workshop_resource_get_generation (PwWorkshopResource *self);
void     pw_workshop_resource_set_generation (PwWorkshopResource *self,
                                              guint               generation);

/*
 * A running step. The step's code runs in a worker thread (run->self is
 * only read there, see below); everything that touches the service or the
 * state goes through the pw_workshop_run_*() functions, which do the work
 * on the workshop's main context and block the worker until it is done.
 *
 * Reading the workshop's resources from the worker is safe because the
 * main context changes them only when a worker asks (the worker is then
 * blocked), and the public setters refuse while a step runs.
 */
typedef struct
{
  PwWorkshop     *self;
  PwWorkshopStep  step;
  GCancellable   *cancellable;   /* the caller's and the workshop's, joined */
  GMainContext   *context;
  PwWorkshopBackend backend;
  char           *region;
  guint           generation[PW_WORKSHOP_N_STEPS];
  char           *suffix;
  char           *output_dir;
  char          **recipes;
  double          exploration_weight;
  GMutex          lock;
  GCond           cond;
  /* Work that is not a step's (pw_workshop_run_custom_async()): run
   * instead of the step's code, with @data. */
  gboolean      (*func) (gpointer run, GError **error);
  gpointer        data;
  GDestroyNotify  data_free;
} PwWorkshopRun;

/* The worker side (pw-workshop-steps.c). */
gboolean pw_workshop_steps_run          (PwWorkshopRun  *run,
                                         GError        **error);

/* Called from the worker; each blocks until the main context did it. */
JsonObject *pw_workshop_run_call        (PwWorkshopRun  *run,
                                         PwAwsService    service,
                                         const char     *operation,
                                         JsonObject     *input,
                                         GError        **error);
JsonArray  *pw_workshop_run_list_all    (PwWorkshopRun  *run,
                                         PwAwsService    service,
                                         const char     *operation,
                                         JsonObject     *input,
                                         const char     *list_member,
                                         GError        **error);
gboolean    pw_workshop_run_put_object  (PwWorkshopRun  *run,
                                         const char     *bucket,
                                         const char     *key,
                                         const char     *path,
                                         GError        **error);

/**
 * PwResourceChange: what pw_workshop_run_record() applies to a resource
 * (NULL strings and -1 statuses leave a field as it is)
 */
typedef struct
{
  const char *arn;
  int         status;
  const char *failure_reason;
  gboolean    clear_failure_reason;
  const char *parent_arn;
  const char *recipe;
  const char *detail;
} PwResourceChange;

#define PW_RESOURCE_CHANGE_INIT { NULL, -1, NULL, FALSE, NULL, NULL, NULL }

/* Adds a new resource (status PLANNED) with the run's region, back end
 * and the step's generation, and writes the state. Returns it (owned by
 * the workshop), or NULL if the state could not be written. */
PwWorkshopResource *pw_workshop_run_add    (PwWorkshopRun          *run,
                                            PwResourceKind          kind,
                                            const char             *name,
                                            const PwResourceChange *change,
                                            GError                **error);
gboolean    pw_workshop_run_record      (PwWorkshopRun          *run,
                                         PwWorkshopResource     *resource,
                                         const PwResourceChange *change,
                                         GError                **error);
/* Progress of the running step (fraction < 0: unknown). */
void        pw_workshop_run_progress    (PwWorkshopRun          *run,
                                         double                  fraction,
                                         const char             *message);
/* Stores the metrics of @recipe's version and writes the state. */
gboolean    pw_workshop_run_set_metrics (PwWorkshopRun          *run,
                                         const char             *recipe,
                                         const char             *version_arn,
                                         JsonObject             *metrics,
                                         GError                **error);
/* Sleeps @ms unless cancelled first (then FALSE with G_IO_ERROR_CANCELLED). */
gboolean    pw_workshop_run_sleep       (PwWorkshopRun          *run,
                                         guint                   ms,
                                         GError                **error);

/* Read from the worker (see above). */
GListModel *pw_workshop_run_get_resources (PwWorkshopRun *run);

/* ---- for the results steps (pw-workshop-events.c, -batch.c, -evaluate.c) ---- */

typedef gboolean (*PwWorkshopRunFunc) (PwWorkshopRun  *run,
                                       GError        **error);

/* Like pw_workshop_run_step_async() for @step (busy, progress, cancel,
 * "running-step"), but runs @func in the worker instead of the step's
 * code, with run->data = @data (freed with @data_free). Only checks that
 * nothing runs (BUSY). Finish with pw_workshop_run_step_finish(). */
void        pw_workshop_run_custom_async (PwWorkshop          *self,
                                          PwWorkshopStep       step,
                                          PwWorkshopRunFunc    func,
                                          gpointer             data,
                                          GDestroyNotify       data_free,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);

/* The most recent resource of @kind not DELETED matching the given fields
 * (NULL: any). Main context. */
PwWorkshopResource *pw_workshop_find_current (PwWorkshop     *self,
                                              PwResourceKind  kind,
                                              const char     *detail,
                                              const char     *recipe,
                                              const char     *parent);
/* The ACTIVE campaign of @recipe ("aws-user-personalization") on its
 * current version, or NULL. */
PwWorkshopResource *pw_workshop_current_campaign (PwWorkshop *self,
                                                  const char *recipe);
PwWorkshopResource *pw_workshop_current_version  (PwWorkshop *self,
                                                  const char *recipe);
guint       pw_workshop_get_generation   (PwWorkshop     *self,
                                          PwWorkshopStep  step);
/* The results' part of the state file ("results" object; owned by the
 * workshop, changed only on the main context); write with
 * pw_workshop_save_results(). */
JsonObject *pw_workshop_get_results      (PwWorkshop     *self);
gboolean    pw_workshop_save_results     (PwWorkshop     *self,
                                          GError        **error);
/* Records the weight without making the campaigns anew (UpdateCampaign). */
void        pw_workshop_record_exploration_weight (PwWorkshop *self,
                                                   double      weight);
/* Recomputes every step's state (emits step-state-changed). */
void        pw_workshop_refresh_step_states (PwWorkshop *self);

/* pw-workshop-results.c: whether LIVE_EVENTS, BATCH, ANALYSIS are complete. */
gboolean    pw_workshop_results_step_complete (PwWorkshop     *self,
                                               PwWorkshopStep  step);
/* pw-workshop-events.c */
gboolean    pw_workshop_events_complete  (PwWorkshop     *self);
/* Worker: sets results[@member] = @value (a reference is taken) and
 * writes the state, on the main context. */
gboolean    pw_workshop_run_set_result   (PwWorkshopRun  *run,
                                          const char     *member,
                                          JsonObject     *value,
                                          GError        **error);
/* Worker: GetObject to @path, atomically. */
gboolean    pw_workshop_run_get_object   (PwWorkshopRun  *run,
                                          const char     *bucket,
                                          const char     *key,
                                          const char     *path,
                                          GError        **error);

/* pw-workshop-steps.c, for the results steps' code (worker side). */
PwWorkshopResource *pw_workshop_steps_find   (PwWorkshopRun  *run,
                                              PwResourceKind  kind,
                                              const char     *detail,
                                              const char     *recipe,
                                              const char     *parent,
                                              gint            generation);
/* Finds or records and creates (Create* with @input and the name) a
 * Personalize resource of @kind (EVENT_TRACKER, BATCH_JOB, …) named @name
 * (made unique), then waits until ACTIVE. */
PwWorkshopResource *pw_workshop_steps_ensure_active (PwWorkshopRun  *run,
                                                     PwResourceKind  kind,
                                                     const char     *name,
                                                     const char     *detail,
                                                     const char     *recipe,
                                                     const char     *parent,
                                                     gint            generation,
                                                     JsonObject     *input,
                                                     GError        **error);
gboolean    pw_workshop_steps_wait_active (PwWorkshopRun       *run,
                                           PwWorkshopResource  *resource,
                                           GError             **error);
gboolean    pw_workshop_steps_record_status (PwWorkshopRun       *run,
                                             PwWorkshopResource  *resource,
                                             PwResourceStatus     status,
                                             GError             **error);
/* The workshop's IAM role ARN on AWS (NULL locally). */
const char *pw_workshop_steps_role_arn (PwWorkshopRun *run);
/* Backoff delays of the back end. */
guint       pw_workshop_steps_first_delay (PwWorkshopRun *run);
guint       pw_workshop_steps_next_delay  (PwWorkshopRun *run,
                                           guint          delay);
gboolean    pw_workshop_steps_is_gone_error (const GError *error);

/* The steps' code in the worker. */
gboolean    pw_workshop_steps_live_events (PwWorkshopRun  *run,
                                           GError        **error);
gboolean    pw_workshop_steps_batch       (PwWorkshopRun  *run,
                                           GError        **error);
gboolean    pw_workshop_steps_analysis    (PwWorkshopRun  *run,
                                           GError        **error);

G_END_DECLS
