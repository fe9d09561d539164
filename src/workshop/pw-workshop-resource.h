/* pw-workshop-resource.h: one resource the workshop made (or plans to make)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pw-workshop-types.h"

G_BEGIN_DECLS

#define PW_TYPE_WORKSHOP_RESOURCE (pw_workshop_resource_get_type ())
G_DECLARE_FINAL_TYPE (PwWorkshopResource, pw_workshop_resource, PW, WORKSHOP_RESOURCE, GObject)

/*
 * A PwWorkshopResource mirrors one entry of the workshop state file. The
 * items of pw_workshop_get_resources() are these; the UI binds to their
 * properties for a live list and the structure diagram.
 *
 * Read-only for everyone but the PwWorkshop that owns it: the workshop
 * changes them, always on its main context (the thread-default context of
 * whoever created the PwWorkshop), so "notify" fires there and nowhere
 * else. Every change has already been written to the state file when the
 * notification fires.
 *
 * Properties (all read-only, all notify on change only):
 *   kind            PwResourceKind
 *   name            the resource's name (role name, bucket name, object
 *                   key, Personalize name); fixed
 *   arn             (nullable) the ARN; %NULL while PLANNED, and for
 *                   buckets and objects (S3 has no ARNs in its answers)
 *   region          the region it lives in; fixed
 *   backend         PwWorkshopBackend; fixed
 *   created         (nullable) GDateTime (UTC) when the workshop first
 *                   recorded it; fixed
 *   status          PwResourceStatus
 *   failure-reason  (nullable) the service's failureReason, or the error
 *                   that stopped a delete; %NULL when none
 *   parent-arn      (nullable) the ARN (or bucket name for an object) of
 *                   what it belongs to: a dataset's dataset group, an import
 *                   job's dataset, a version's solution, a campaign's
 *                   solution version, a policy attachment's role name
 *   recipe          (nullable) the recipe ARN for solutions, solution
 *                   versions and campaigns; %NULL otherwise
 *   detail          (nullable) one short extra fact, e.g. the dataset type
 *                   ("INTERACTIONS", "ITEMS") or the attached policy ARN
 *   elapsed         seconds since @created until it became ACTIVE, FAILED
 *                   or DELETED, or until now while it is in progress
 *                   (recomputed at each status change; a UI that shows a
 *                   running clock computes it itself from @created)
 */

PwResourceKind    pw_workshop_resource_get_kind           (PwWorkshopResource *self);
const char       *pw_workshop_resource_get_name           (PwWorkshopResource *self);
const char       *pw_workshop_resource_get_arn            (PwWorkshopResource *self);
const char       *pw_workshop_resource_get_region         (PwWorkshopResource *self);
PwWorkshopBackend pw_workshop_resource_get_backend        (PwWorkshopResource *self);
GDateTime        *pw_workshop_resource_get_created        (PwWorkshopResource *self);
PwResourceStatus  pw_workshop_resource_get_status         (PwWorkshopResource *self);
const char       *pw_workshop_resource_get_failure_reason (PwWorkshopResource *self);
const char       *pw_workshop_resource_get_parent_arn     (PwWorkshopResource *self);
const char       *pw_workshop_resource_get_recipe         (PwWorkshopResource *self);
const char       *pw_workshop_resource_get_detail         (PwWorkshopResource *self);
double            pw_workshop_resource_get_elapsed        (PwWorkshopResource *self);

/* The ARN when there is one, else the name: how the state file and
 * pw_workshop_find_resource() identify it. */
const char       *pw_workshop_resource_get_id             (PwWorkshopResource *self);

G_END_DECLS
