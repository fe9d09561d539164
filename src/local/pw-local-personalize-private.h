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
  PW_LOCAL_KIND_DATASET_GROUP,
  PW_LOCAL_KIND_SCHEMA,
  PW_LOCAL_KIND_DATASET,
  PW_LOCAL_KIND_IMPORT_JOB,
  PW_LOCAL_KIND_SOLUTION,
  PW_LOCAL_KIND_SOLUTION_VERSION,
  PW_LOCAL_KIND_CAMPAIGN,
  PW_LOCAL_KIND_EVENT_TRACKER,
  PW_LOCAL_KIND_BATCH_JOB,
  PW_LOCAL_N_KINDS
} PwLocalKind;

/**
 * PwLocalResource:
 * @obj: the fields Describe* returns
 * @internal: what only the server needs (files, metrics, tags, ...)
 */
typedef struct
{
  PwLocalKind  kind;
  char        *arn;
  JsonObject  *obj;
  JsonObject  *internal;
} PwLocalResource;

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
  GHashTable   *resources;    /* arn -> PwLocalResource */
  GHashTable   *campaign_models; /* campaign arn -> PwModel */
  GThreadPool  *quick_pool;
  GThreadPool  *heavy_pool;
  GCancellable *cancellable;
  gint          stopping;
};

#define PW_LOCAL_STATUS_CREATE_PENDING "CREATE PENDING"
#define PW_LOCAL_STATUS_CREATE_IN_PROGRESS "CREATE IN_PROGRESS"
#define PW_LOCAL_STATUS_ACTIVE "ACTIVE"
#define PW_LOCAL_STATUS_CREATE_FAILED "CREATE FAILED"
#define PW_LOCAL_STATUS_DELETE_PENDING "DELETE PENDING"
#define PW_LOCAL_STATUS_DELETE_IN_PROGRESS "DELETE IN_PROGRESS"

/* pw-local-personalize.c */
PwLocalResource *pw_local_lookup          (PwLocalPersonalize *self,
                                      const char         *arn,
                                      PwLocalKind         kind,
                                      GError            **error);
PwLocalResource *pw_local_lock_lookup     (PwLocalPersonalize *self,
                                      const char         *arn,
                                      PwLocalKind         kind,
                                      GError            **error);
const char *pw_local_status          (PwLocalResource    *resource);
gboolean    pw_local_is_usable       (PwLocalResource    *resource);
gboolean    pw_local_persist         (PwLocalPersonalize *self,
                                      PwLocalResource    *resource,
                                      GError            **error);
void        pw_local_snapshot_take   (PwLocalResource    *resource,
                                      PwLocalSnapshot    *snapshot);
void        pw_local_snapshot_restore (PwLocalResource   *resource,
                                      PwLocalSnapshot    *snapshot);
void        pw_local_snapshot_clear  (PwLocalSnapshot    *snapshot);
gboolean    pw_local_persist_or_restore (PwLocalPersonalize *self,
                                      PwLocalResource    *resource,
                                      PwLocalSnapshot    *snapshot,
                                      GError            **error);
char       *pw_local_model_path      (PwLocalPersonalize *self,
                                      const char         *version_arn);
char       *pw_local_events_path     (PwLocalPersonalize *self,
                                      const char         *group_arn);
gboolean    pw_local_recipe_of       (PwLocalResource    *version_or_solution,
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
