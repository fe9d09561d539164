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

G_END_DECLS
