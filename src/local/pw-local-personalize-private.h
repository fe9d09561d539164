/* pw-local-personalize-private.h: the Personalize state shared by the
 * control plane, the jobs and the runtime
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-dataset.h"
#include "pw-engine-error.h"
#include "pw-evaluation.h"
#include "pw-metrics.h"
#include "pw-model.h"
#include "pw-recipe.h"
#include "pw-local-private.h"

G_BEGIN_DECLS

typedef enum
{
  KIND_DATASET_GROUP,
  KIND_SCHEMA,
  KIND_DATASET,
  KIND_IMPORT_JOB,
  KIND_SOLUTION,
  KIND_SOLUTION_VERSION,
  KIND_CAMPAIGN,
  KIND_EVENT_TRACKER,
  KIND_BATCH_JOB,
  N_KINDS
} Kind;

/**
 * Resource:
 * @obj: the fields Describe* returns
 * @internal: what only the server needs (files, metrics, tags, ...)
 */
typedef struct
{
  Kind        kind;
  char       *arn;
  JsonObject *obj;
  JsonObject *internal;
} Resource;

/* Fields of a resource before a change (pw_local_persist_or_restore()). */
typedef struct
{
  JsonObject *obj;
  JsonObject *internal;
} PwLocalSnapshot;

struct _PwLocalPersonalize
{
  GMutex        lock;         /* the resources and their files */
  GMutex        models_lock;  /* campaign_models */
  char         *data_dir;
  char         *state_dir;
  char         *models_dir;
  char         *imports_dir;
  char         *events_dir;
  char         *region;
  char         *prefix;       /* arn:aws:personalize:REGION:ACCOUNT */
  PwLocalS3    *s3;
  PwLocalIam   *iam;
  guint         step_ms;
  GHashTable   *resources;    /* arn -> Resource */
  GHashTable   *campaign_models; /* campaign arn -> PwModel */
  GThreadPool  *quick_pool;
  GThreadPool  *heavy_pool;
  GCancellable *cancellable;
  gint          stopping;
};

#define STATUS_CREATE_PENDING "CREATE PENDING"
#define STATUS_CREATE_IN_PROGRESS "CREATE IN_PROGRESS"
#define STATUS_ACTIVE "ACTIVE"
#define STATUS_CREATE_FAILED "CREATE FAILED"
#define STATUS_DELETE_PENDING "DELETE PENDING"
#define STATUS_DELETE_IN_PROGRESS "DELETE IN_PROGRESS"

/* pw-local-personalize.c */
Resource   *pw_local_lookup          (PwLocalPersonalize *self,
                                      const char         *arn,
                                      Kind                kind,
                                      GError            **error);
Resource   *pw_local_lock_lookup     (PwLocalPersonalize *self,
                                      const char         *arn,
                                      Kind                kind,
                                      GError            **error);
const char *pw_local_status          (Resource           *resource);
gboolean    pw_local_is_usable       (Resource           *resource);
gboolean    pw_local_persist         (PwLocalPersonalize *self,
                                      Resource           *resource,
                                      GError            **error);
void        pw_local_snapshot_take   (Resource           *resource,
                                      PwLocalSnapshot    *snapshot);
void        pw_local_snapshot_restore (Resource          *resource,
                                      PwLocalSnapshot    *snapshot);
void        pw_local_snapshot_clear  (PwLocalSnapshot    *snapshot);
gboolean    pw_local_persist_or_restore (PwLocalPersonalize *self,
                                      Resource           *resource,
                                      PwLocalSnapshot    *snapshot,
                                      GError            **error);
char       *pw_local_model_path      (PwLocalPersonalize *self,
                                      const char         *version_arn);
char       *pw_local_events_path     (PwLocalPersonalize *self,
                                      const char         *group_arn);
gboolean    pw_local_recipe_of       (Resource           *version_or_solution,
                                      PwRecipe           *recipe);
gboolean    pw_local_invalid_input   (GError            **error,
                                      const char         *format,
                                      ...) G_GNUC_PRINTF (2, 3);

/* pw-local-jobs.c: run in worker threads, without the lock held. */
gboolean    pw_local_job_import      (PwLocalPersonalize *self,
                                      const char         *job_arn,
                                      GError            **error);
gboolean    pw_local_job_train       (PwLocalPersonalize *self,
                                      const char         *version_arn,
                                      GError            **error);
gboolean    pw_local_job_batch       (PwLocalPersonalize *self,
                                      const char         *job_arn,
                                      GError            **error);
PwModel    *pw_local_campaign_model  (PwLocalPersonalize *self,
                                      const char         *campaign_arn,
                                      GError            **error);
GPtrArray  *pw_local_read_events     (const char         *path);

/* pw-local-runtime.c */
void        pw_local_get_recommendations (PwLocalPersonalize   *self,
                                          JsonObject           *input,
                                          PwLocalResponse      *response,
                                          GError              **error);
void        pw_local_get_personalized_ranking (PwLocalPersonalize *self,
                                          JsonObject           *input,
                                          PwLocalResponse      *response,
                                          GError              **error);
void        pw_local_put_events      (PwLocalPersonalize   *self,
                                      JsonObject           *input,
                                      PwLocalResponse      *response,
                                      GError              **error);
gboolean    pw_local_event_time      (JsonObject           *event,
                                      gint64               *seconds);

G_END_DECLS
