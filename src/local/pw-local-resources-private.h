/* pw-local-resources-private.h: the resource store of personalize-local
 * (the kinds, the resources, the shared state, lookup and persistence),
 * which the control plane, the jobs and the runtime call down into
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

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
#define PW_LOCAL_STATUS_UPDATE_PENDING "UPDATE PENDING"
#define PW_LOCAL_STATUS_UPDATE_IN_PROGRESS "UPDATE IN_PROGRESS"
#define PW_LOCAL_STATUS_UPDATE_FAILED "UPDATE FAILED"

/* The store's directory per kind, the ARN part and the ARN member of each
 * kind's Describe object. */
extern const char * const pw_local_kind_dirs[PW_LOCAL_N_KINDS];
extern const char * const pw_local_kind_arn_parts[PW_LOCAL_N_KINDS];
extern const char * const pw_local_kind_arn_members[PW_LOCAL_N_KINDS];

PwLocalResource *pw_local_resource_new     (PwLocalKind          kind,
                                            const char          *arn);
void             pw_local_resource_free    (gpointer             resource);
char            *pw_local_make_arn         (PwLocalPersonalize  *self,
                                            PwLocalKind          kind,
                                            const char          *id);
char            *pw_local_resource_path    (PwLocalPersonalize  *self,
                                            PwLocalKind          kind,
                                            const char          *arn);
PwLocalResource *pw_local_lookup           (PwLocalPersonalize  *self,
                                            const char          *arn,
                                            PwLocalKind          kind,
                                            GError             **error);
PwLocalResource *pw_local_lock_lookup      (PwLocalPersonalize  *self,
                                            const char          *arn,
                                            PwLocalKind          kind,
                                            GError             **error);
const char      *pw_local_status           (PwLocalResource     *resource);
void             pw_local_set_status       (PwLocalResource     *resource,
                                            const char          *status);
gboolean         pw_local_is_creating      (PwLocalResource     *resource);
gboolean         pw_local_is_deleting      (PwLocalResource     *resource);
gboolean         pw_local_is_updating      (PwLocalResource     *resource);
void             pw_local_set_update_status (PwLocalResource    *resource,
                                             const char         *status);
gboolean         pw_local_is_usable        (PwLocalResource     *resource);
gboolean         pw_local_persist          (PwLocalPersonalize  *self,
                                            PwLocalResource     *resource,
                                            GError             **error);
gboolean         pw_local_unpersist        (PwLocalPersonalize  *self,
                                            PwLocalResource     *resource,
                                            GError             **error);
JsonObject      *pw_local_copy_object      (JsonObject          *obj);
void             pw_local_snapshot_take    (PwLocalResource     *resource,
                                            PwLocalSnapshot     *snapshot);
void             pw_local_snapshot_restore (PwLocalResource     *resource,
                                            PwLocalSnapshot     *snapshot);
void             pw_local_snapshot_clear   (PwLocalSnapshot     *snapshot);
gboolean         pw_local_persist_or_restore (PwLocalPersonalize *self,
                                            PwLocalResource     *resource,
                                            PwLocalSnapshot     *snapshot,
                                            GError             **error);
char            *pw_local_model_path       (PwLocalPersonalize  *self,
                                            const char          *version_arn);
char            *pw_local_events_path      (PwLocalPersonalize  *self,
                                            const char          *group_arn);
GPtrArray       *pw_local_read_events      (const char          *path);
gboolean         pw_local_event_time       (JsonObject          *event,
                                            gint64              *seconds);
gboolean         pw_local_recipe_of        (PwLocalResource     *version_or_solution,
                                            PwRecipe            *recipe);
gboolean         pw_local_invalid_input    (GError             **error,
                                            const char          *format,
                                            ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
