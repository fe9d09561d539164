/* pw-workshop-private.h: what the files that implement the workshop share:
 * the object's structure (pw-workshop.c and its pw-workshop-*.c parts),
 * the running step (pw-workshop-run.c) and the steps' helpers
 * (pw-workshop-steps*.c and the results steps)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "pw-local-server.h"
#include "pw-workshop.h"
#include "pw-workshop-resource-private.h"

G_BEGIN_DECLS

/* The workshop object, shared by the files that implement it
 * (pw-workshop.c and the pw-workshop-*.c files named in HACKING.md). */
struct _PwWorkshop
{
  GObject            parent_instance;

  char              *state_file;
  char              *local_data_dir;
  guint              local_step_ms;
  GMainContext      *context;

  PwWorkshopBackend  backend;
  char              *region;
  PwAwsConfig       *aws_config;
  PwAwsClient       *client;
  PwLocalServer     *server;
  char              *local_keys_dir;
  GPtrArray         *starting;      /* GTasks waiting for the server's start */
  gboolean           backend_ok;

  PwPrepareResult   *prepared;
  char              *output_dir;
  char              *data_source;
  char              *interactions_sha256;
  char              *items_sha256;
  GHashTable        *data_checksums; /* the other prepared files: name → sha256 */
  char              *default_output_dir;
  gboolean           data_files_ok;
  gboolean           data_invalid;

  char              *suffix;
  guint              generation[PW_WORKSHOP_N_STEPS];
  GListStore        *resources;
  JsonObject        *metrics;       /* recipe → { version_arn, values {} } */
  GPtrArray         *metric_order;  /* recipe names in training order */

  char             **recipes;
  double             exploration_weight;
  JsonObject        *results;       /* the results steps' records */

  GCancellable      *cancellable;
  gboolean           busy;
  PwWorkshopStep     running_step;
  double             progress_fraction;
  char              *progress_message;

  PwWorkshopStepState step_states[PW_WORKSHOP_N_STEPS];
  gboolean           shut_down;
};

#define PW_WORKSHOP_STATE_VERSION 1
#define PW_WORKSHOP_DEFAULT_EXPLORATION_WEIGHT 0.3

/* The object's properties (pw-workshop.c installs them). */
typedef enum
{
  PW_WORKSHOP_PROP_0,
  PW_WORKSHOP_PROP_STATE_FILE,
  PW_WORKSHOP_PROP_LOCAL_DATA_DIR,
  PW_WORKSHOP_PROP_LOCAL_STEP_MS,
  PW_WORKSHOP_PROP_BACKEND,
  PW_WORKSHOP_PROP_REGION,
  PW_WORKSHOP_PROP_CLIENT,
  PW_WORKSHOP_PROP_BUSY,
  PW_WORKSHOP_PROP_RUNNING_STEP,
  PW_WORKSHOP_PROP_PROGRESS_FRACTION,
  PW_WORKSHOP_PROP_PROGRESS_MESSAGE,
  PW_WORKSHOP_PROP_RECIPES,
  PW_WORKSHOP_PROP_EXPLORATION_WEIGHT,
  PW_WORKSHOP_PROP_PREPARED,
  PW_WORKSHOP_N_PROPS
} PwWorkshopProp;

/* pw-workshop.c: notifications and signals, for the other files. */
void     pw_workshop_notify                  (PwWorkshop         *self,
                                              PwWorkshopProp      prop);
void     pw_workshop_emit_step_state_changed (PwWorkshop         *self,
                                              PwWorkshopStep      step);
void     pw_workshop_emit_resource_added     (PwWorkshop         *self,
                                              PwWorkshopResource *resource);
void     pw_workshop_emit_resource_changed   (PwWorkshop         *self,
                                              PwWorkshopResource *resource);
/* pw-workshop.c: the recipe's static data, or NULL if unknown. */
const PwRecipeInfo *pw_workshop_lookup_recipe (const char *name);
/* pw-workshop.c: a new resource-name suffix (12 lowercase hex digits). */
char    *pw_workshop_random_suffix           (void);

/* ---- pw-workshop-state.c: the state file and the step states ---- */

gboolean    pw_workshop_load_state       (PwWorkshop     *self,
                                          GError        **error);
/* Writes the state file atomically. */
gboolean    pw_workshop_save_state       (PwWorkshop     *self,
                                          GError        **error);
/* SHA-256 of the file's contents, or NULL if it cannot be read. */
char       *pw_workshop_file_sha256      (const char     *path);
/* The prepared interactions (or items) file in @dir. */
char       *pw_workshop_data_file        (const char     *dir,
                                          gboolean        items);
/* @member of @object if it is a string (an object), else NULL; @object
 * may be NULL. */
const char *pw_workshop_json_get_string  (JsonObject     *object,
                                          const char     *member);
JsonObject *pw_workshop_json_get_object  (JsonObject     *object,
                                          const char     *member);
/* The most recent resource of @kind in @resources that is not DELETED and
 * matches the given fields (NULL: any; @generation < 0: any), or NULL. */
PwWorkshopResource *pw_workshop_resources_find (GListModel     *resources,
                                                PwResourceKind  kind,
                                                const char     *detail,
                                                const char     *recipe,
                                                const char     *parent,
                                                gint            generation);
/* Whether @r is ACTIVE (and of @generation, unless it is < 0). */
gboolean    pw_workshop_resource_is_active (PwWorkshopResource *r,
                                            gint                generation);
gboolean    pw_workshop_cleanup_complete (PwWorkshop     *self);
PwWorkshopStepState pw_workshop_compute_step_state (PwWorkshop     *self,
                                                    PwWorkshopStep  step);

/* ---- pw-workshop.c ---- */

/* TRUE (and BUSY) if a step runs. */
gboolean    pw_workshop_refuse_if_busy   (PwWorkshop     *self,
                                          GError        **error);

/* ---- pw-workshop-backend.c: the embedded server and the client ---- */

void        pw_workshop_stop_server      (PwWorkshop     *self);
/* Makes the client (and starts the embedded server) for the back end. */
gboolean    pw_workshop_ensure_client    (PwWorkshop     *self,
                                          GError        **error);
void        pw_workshop_ensure_client_async  (PwWorkshop          *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    pw_workshop_ensure_client_finish (PwWorkshop          *self,
                                              GAsyncResult        *result,
                                              GError             **error);


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

/* ---- pw-workshop-run.c: running steps ---- */

PwWorkshopRun *pw_workshop_run_new       (PwWorkshop     *self,
                                          PwWorkshopStep  step,
                                          GCancellable   *cancellable);
void        pw_workshop_run_free         (PwWorkshopRun  *run);
/* A new cancellable cancelled with @cancellable (may be NULL) or with the
 * workshop's. */
GCancellable *pw_workshop_join_cancellables (PwWorkshop   *self,
                                             GCancellable *cancellable);

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

/* pw-workshop-steps.c, for the steps' code (worker side): pw_workshop_resources_find ()
 * on the resources the worker may read. */
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


/* ---- pw-workshop-steps.c: what the step files share (worker side) ---- */

/* What the steps know of each kind of Personalize resource. */
typedef struct
{
  PwResourceKind  kind;
  const char     *title;         /* for messages, N_() */
  const char     *create_op;
  const char     *arn_member;    /* in the create's answer and the list items */
  const char     *describe_op;   /* NULL: usable at once (schemas) */
  const char     *describe_member;
  const char     *list_op;
  const char     *list_filter;   /* input member of the list: the parent ARN */
  const char     *list_member;
  const char     *name_member;   /* NULL: no name (solution versions) */
} PwWorkshopKindInfo;

typedef struct
{
  PwResourceKind  kind;
  const char     *name;
  const char     *detail;
  const char     *recipe;
  const char     *parent;
  gint            generation;   /* -1: reused across generations */
  JsonObject     *input;        /* the create's input, without the name */
  gboolean        role_first_use;
} PwWorkshopWant;

#define PW_WORKSHOP_N_ROLE_POLICIES 2
/* The managed policies attached to the workshop's IAM role. */
extern const char * const pw_workshop_role_policies[PW_WORKSHOP_N_ROLE_POLICIES];

const PwWorkshopKindInfo *pw_workshop_steps_kind_info (PwResourceKind kind);
/* Records @status (and @reason, or clears it unless FAILED). */
gboolean    pw_workshop_steps_record_status (PwWorkshopRun       *run,
                                             PwWorkshopResource  *resource,
                                             PwResourceStatus     status,
                                             const char          *reason,
                                             GError             **error);
gboolean    pw_workshop_steps_record_arn (PwWorkshopRun       *run,
                                          PwWorkshopResource  *resource,
                                          const char          *arn,
                                          PwResourceStatus     status,
                                          GError             **error);
void        pw_workshop_steps_progress   (PwWorkshopRun  *run,
                                          double          fraction,
                                          const char     *format,
                                          ...) G_GNUC_PRINTF (3, 4);
/* "aws-user-personalization" for its ARN (or name). */
const char *pw_workshop_steps_short_recipe (const char *recipe);
gboolean    pw_workshop_steps_arn_in_state (PwWorkshopRun *run,
                                            const char    *arn);
/* Finds the ARN of @resource by its name in the service's list. */
gboolean    pw_workshop_steps_lookup_by_name (PwWorkshopRun       *run,
                                              PwWorkshopResource  *resource,
                                              char               **out_arn,
                                              GError             **error);
/* Finds or records and creates @want; does not wait. */
PwWorkshopResource *pw_workshop_steps_ensure (PwWorkshopRun        *run,
                                              const PwWorkshopWant *want,
                                              GError              **error);
PwResourceStatus pw_workshop_steps_map_status (const char *status);
gboolean    pw_workshop_steps_describe   (PwWorkshopRun       *run,
                                          PwWorkshopResource  *resource,
                                          PwResourceStatus    *out_status,
                                          GError             **error);

/* One file per group of steps. */
gboolean    pw_workshop_steps_run_dataset_group (PwWorkshopRun  *run,
                                                 GError        **error);
gboolean    pw_workshop_steps_run_training      (PwWorkshopRun  *run,
                                                 GError        **error);
gboolean    pw_workshop_steps_run_campaigns     (PwWorkshopRun  *run,
                                                 GError        **error);
gboolean    pw_workshop_steps_run_cleanup       (PwWorkshopRun  *run,
                                                 GError        **error);
/* pw-workshop-steps-cleanup.c: deletes a Personalize resource with
 * @delete_op and waits until it is gone (also replaces outdated campaigns). */
gboolean    pw_workshop_steps_delete_personalize (PwWorkshopRun       *run,
                                                  PwWorkshopResource  *resource,
                                                  const char          *delete_op,
                                                  GError             **error);
/* pw-workshop-steps-cleanup.c: the live resources of @kind (not owned). */
GPtrArray  *pw_workshop_steps_live_of_kind      (PwWorkshopRun  *run,
                                                 PwResourceKind  kind);

G_END_DECLS
