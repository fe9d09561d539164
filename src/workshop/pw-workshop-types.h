/* pw-workshop-types.h: the workshop's enumerations (steps, back ends,
 * resource kinds and statuses) and the regions it offers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * PwWorkshopStep:
 * @PW_WORKSHOP_STEP_BACKEND: choose local engine or AWS; local: start the
 *   embedded server; AWS: check the credentials with STS
 * @PW_WORKSHOP_STEP_DATA: the prepared data and its output folder
 *   (pw_workshop_set_prepared())
 * @PW_WORKSHOP_STEP_DATASET_GROUP: bucket (+ bucket policy on AWS), upload,
 *   IAM role and policies (AWS only), dataset group, two schemas, two
 *   datasets, two import jobs (docs/workshop.md 2.1)
 * @PW_WORKSHOP_STEP_TRAINING: one solution and one solution version per
 *   chosen recipe (`performAutoTraining: false`), then their metrics (notebooks 3.1, 3.2)
 * @PW_WORKSHOP_STEP_CAMPAIGNS: campaigns for user-personalization and
 *   similar-items (minProvisionedTPS 1) (notebooks 4.1, 4.2)
 * @PW_WORKSHOP_STEP_LIVE_EVENTS: the event tracker (notebooks 4.3, 4.4); clicks
 *   through pw_workshop_put_event_async() (pw-workshop-events.h)
 * @PW_WORKSHOP_STEP_BATCH: batch inference for every user (notebook 5.1;
 *   pw-workshop-batch.h)
 * @PW_WORKSHOP_STEP_ANALYSIS: population evaluation of both campaigns
 *   through the runtime API (notebooks 6.1, 7.1; pw-workshop-evaluate.h)
 * @PW_WORKSHOP_STEP_CLEANUP: delete everything the state file lists (notebook 9.1)
 * @PW_WORKSHOP_N_STEPS: the number of steps
 *
 * The wizard's steps, in screen order.
 */
typedef enum
{
  PW_WORKSHOP_STEP_BACKEND,
  PW_WORKSHOP_STEP_DATA,
  PW_WORKSHOP_STEP_DATASET_GROUP,
  PW_WORKSHOP_STEP_TRAINING,
  PW_WORKSHOP_STEP_CAMPAIGNS,
  PW_WORKSHOP_STEP_LIVE_EVENTS,
  PW_WORKSHOP_STEP_BATCH,
  PW_WORKSHOP_STEP_ANALYSIS,
  PW_WORKSHOP_STEP_CLEANUP,
  PW_WORKSHOP_N_STEPS,
} PwWorkshopStep;

/**
 * PwWorkshopStepState:
 * @PW_WORKSHOP_STEP_STATE_NOT_BUILT: no issue has built this step yet; it
 *   can never run nor be complete. Show "not built yet", never a check.
 * @PW_WORKSHOP_STEP_STATE_INCOMPLETE: the step's resources are not (all)
 *   there, or an earlier step changed since it ran (pw_workshop_invalidate_from())
 * @PW_WORKSHOP_STEP_STATE_RUNNING: pw_workshop_run_step_async() is working on it
 * @PW_WORKSHOP_STEP_STATE_COMPLETE: see pw_workshop_get_step_state() for
 *   what each step needs to be complete
 */
typedef enum
{
  PW_WORKSHOP_STEP_STATE_NOT_BUILT,
  PW_WORKSHOP_STEP_STATE_INCOMPLETE,
  PW_WORKSHOP_STEP_STATE_RUNNING,
  PW_WORKSHOP_STEP_STATE_COMPLETE,
} PwWorkshopStepState;

/**
 * PwWorkshopBackend:
 * @PW_WORKSHOP_BACKEND_LOCAL: the embedded personalize-local (the default)
 * @PW_WORKSHOP_BACKEND_AWS: a real AWS account
 */
typedef enum
{
  PW_WORKSHOP_BACKEND_LOCAL,
  PW_WORKSHOP_BACKEND_AWS,
} PwWorkshopBackend;

/**
 * PwResourceKind:
 *
 * What a #PwWorkshopResource is. The order is creation order; cleanup
 * deletes in its own dependency order (pw_workshop_run_step_async() with
 * %PW_WORKSHOP_STEP_CLEANUP).
 */
typedef enum
{
  PW_RESOURCE_ROLE,
  PW_RESOURCE_ROLE_POLICY_ATTACHMENT,
  PW_RESOURCE_BUCKET,
  PW_RESOURCE_BUCKET_POLICY,
  PW_RESOURCE_OBJECT,
  PW_RESOURCE_DATASET_GROUP,
  PW_RESOURCE_SCHEMA,
  PW_RESOURCE_DATASET,
  PW_RESOURCE_IMPORT_JOB,
  PW_RESOURCE_SOLUTION,
  PW_RESOURCE_SOLUTION_VERSION,
  PW_RESOURCE_CAMPAIGN,
  PW_RESOURCE_EVENT_TRACKER,
  PW_RESOURCE_BATCH_JOB,
} PwResourceKind;

/**
 * PwResourceStatus:
 * @PW_RESOURCE_STATUS_PLANNED: the name is recorded, the Create call may or
 *   may not have reached the service (a crash here is resolved on resume by
 *   looking the name up)
 * @PW_RESOURCE_STATUS_CREATING: created, not yet usable (CREATE PENDING /
 *   CREATE IN_PROGRESS, an upload in progress)
 * @PW_RESOURCE_STATUS_ACTIVE: usable (ACTIVE; an uploaded object; an
 *   attached policy)
 * @PW_RESOURCE_STATUS_FAILED: CREATE FAILED; the failure reason says why.
 *   It still exists and costs nothing, and cleanup deletes it.
 * @PW_RESOURCE_STATUS_DELETING: a delete was asked for and is in progress
 * @PW_RESOURCE_STATUS_DELETED: gone (deleted, or found already gone)
 *
 * Import jobs, solution versions and batch jobs cannot be deleted; they go
 * to DELETED with their parent.
 */
typedef enum
{
  PW_RESOURCE_STATUS_PLANNED,
  PW_RESOURCE_STATUS_CREATING,
  PW_RESOURCE_STATUS_ACTIVE,
  PW_RESOURCE_STATUS_FAILED,
  PW_RESOURCE_STATUS_DELETING,
  PW_RESOURCE_STATUS_DELETED,
} PwResourceStatus;

#define PW_TYPE_WORKSHOP_STEP (pw_workshop_step_get_type ())
#define PW_TYPE_WORKSHOP_STEP_STATE (pw_workshop_step_state_get_type ())
#define PW_TYPE_WORKSHOP_BACKEND (pw_workshop_backend_get_type ())
#define PW_TYPE_RESOURCE_KIND (pw_resource_kind_get_type ())
#define PW_TYPE_RESOURCE_STATUS (pw_resource_status_get_type ())

GType pw_workshop_step_get_type       (void) G_GNUC_CONST;
GType pw_workshop_step_state_get_type (void) G_GNUC_CONST;
GType pw_workshop_backend_get_type    (void) G_GNUC_CONST;
GType pw_resource_kind_get_type       (void) G_GNUC_CONST;
GType pw_resource_status_get_type     (void) G_GNUC_CONST;

/* Stable identifiers (the state file uses them; never translated):
 * steps "backend", "data", "dataset-group", "training", "campaigns",
 * "live-events", "batch", "analysis", "cleanup"; back ends "local", "aws";
 * kinds "role", "role-policy-attachment", "bucket", "bucket-policy",
 * "object", "dataset-group", "schema", "dataset", "import-job", "solution",
 * "solution-version", "campaign", "event-tracker", "batch-job"; statuses
 * "planned", "creating", "active", "failed", "deleting", "deleted".
 * The from_string functions return FALSE for anything else. */
const char *pw_workshop_step_to_string       (PwWorkshopStep     step);
gboolean    pw_workshop_step_from_string     (const char        *name,
                                              PwWorkshopStep    *out_step);
const char *pw_workshop_backend_to_string    (PwWorkshopBackend  backend);
gboolean    pw_workshop_backend_from_string  (const char        *name,
                                              PwWorkshopBackend *out_backend);
const char *pw_resource_kind_to_string       (PwResourceKind     kind);
gboolean    pw_resource_kind_from_string     (const char        *name,
                                              PwResourceKind    *out_kind);
const char *pw_resource_status_to_string     (PwResourceStatus   status);
gboolean    pw_resource_status_from_string   (const char        *name,
                                              PwResourceStatus  *out_status);

/* For people: translated titles ("Dataset group", "Active", …). */
const char *pw_workshop_step_get_title       (PwWorkshopStep     step);
const char *pw_resource_kind_get_title       (PwResourceKind     kind);
const char *pw_resource_status_get_title     (PwResourceStatus   status);

/* TRUE for the steps this build implements (all of them). */
gboolean    pw_workshop_step_is_built        (PwWorkshopStep     step);

/* TRUE while a resource in @status may still cost money or block a
 * delete: every status except DELETED. */
gboolean    pw_resource_status_is_live       (PwResourceStatus   status);

/**
 * pw_workshop_get_regions:
 * @n_regions: (out) (optional): the number of regions
 *
 * The AWS regions where Amazon Personalize exists, the ones the Backend
 * page may offer (codes such as "us-east-1", then a %NULL). Static data.
 */
const char * const *pw_workshop_get_regions     (guint      *n_regions);
gboolean            pw_workshop_region_is_valid (const char *region);

G_END_DECLS
