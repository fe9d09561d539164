/* pw-workshop-resource-private.h: what only the workshop may do to a resource
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "pw-workshop-resource.h"

G_BEGIN_DECLS

PwWorkshopResource *pw_workshop_resource_new          (PwResourceKind      kind,
                                                       const char         *name,
                                                       const char         *region,
                                                       PwWorkshopBackend   backend,
                                                       GDateTime          *created);
/* Each returns TRUE when the value changed (and notified). */
gboolean pw_workshop_resource_set_arn            (PwWorkshopResource *self,
                                                  const char         *arn);
gboolean pw_workshop_resource_set_status         (PwWorkshopResource *self,
                                                  PwResourceStatus    status);
gboolean pw_workshop_resource_set_failure_reason (PwWorkshopResource *self,
                                                  const char         *reason);
gboolean pw_workshop_resource_set_parent_arn     (PwWorkshopResource *self,
                                                  const char         *parent_arn);
gboolean pw_workshop_resource_set_recipe         (PwWorkshopResource *self,
                                                  const char         *recipe);
gboolean pw_workshop_resource_set_detail         (PwWorkshopResource *self,
                                                  const char         *detail);

/* The state file's form of one resource. from_json checks every member and
 * says which one is wrong. */
JsonObject         *pw_workshop_resource_to_json   (PwWorkshopResource *self);
PwWorkshopResource *pw_workshop_resource_from_json (JsonObject         *object,
                                                    GError            **error);

G_END_DECLS
