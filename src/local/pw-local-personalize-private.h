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
#define STATUS_UPDATE_PENDING "UPDATE PENDING"
#define STATUS_UPDATE_IN_PROGRESS "UPDATE IN_PROGRESS"
#define STATUS_UPDATE_FAILED "UPDATE FAILED"

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
gboolean    pw_local_persist         (PwLocalPersonalize *self,
                                      Resource           *resource,
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

/* Sleeps one status step; FALSE when the server stops. */
gboolean    pw_local_wait_step       (PwLocalPersonalize *self);
void        pw_local_set_status      (Resource           *resource,
                                      const char         *status);
gboolean    pw_local_check_exploration (JsonObject       *campaign_config,
                                      GError            **error);
/* The version @arn names (or SOLUTION/$LATEST), which must be ACTIVE;
 * caller holds the lock. */
Resource   *pw_local_resolve_active_version (PwLocalPersonalize *self,
                                      const char         *arn,
                                      GError            **error);
void        pw_local_queue_update    (PwLocalPersonalize *self,
                                      Resource           *campaign);

/* pw-local-update-campaign.c: UpdateCampaign and its lifecycle. */
void        pw_local_update_campaign (PwLocalPersonalize   *self,
                                      JsonObject           *input,
                                      PwLocalResponse      *response,
                                      GError              **error);
/* Worker: UPDATE PENDING > UPDATE IN_PROGRESS > ACTIVE. */
void        pw_local_run_update      (PwLocalPersonalize *self,
                                      const char         *campaign_arn);
/* The campaign is in an update (UPDATE PENDING / IN_PROGRESS). */
gboolean    pw_local_is_updating     (Resource           *resource);
/* Sets the campaign's and its latestCampaignUpdate's status. */
void        pw_local_set_update_status (Resource         *campaign,
                                      const char         *status);

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

G_END_DECLS
