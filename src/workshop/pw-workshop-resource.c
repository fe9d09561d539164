/* pw-workshop-resource.c: one resource the workshop made (or plans to make)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-workshop"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-workshop-error.h"
#include "pw-workshop-private.h"

struct _PwWorkshopResource
{
  GObject            parent_instance;

  PwResourceKind     kind;
  char              *name;
  char              *arn;
  char              *region;
  PwWorkshopBackend  backend;
  GDateTime         *created;
  GDateTime         *finished;
  PwResourceStatus   status;
  char              *failure_reason;
  char              *parent_arn;
  char              *recipe;
  char              *detail;
  guint              generation;
};

G_DEFINE_FINAL_TYPE (PwWorkshopResource, pw_workshop_resource, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_NAME,
  PROP_ARN,
  PROP_REGION,
  PROP_BACKEND,
  PROP_CREATED,
  PROP_STATUS,
  PROP_FAILURE_REASON,
  PROP_PARENT_ARN,
  PROP_RECIPE,
  PROP_DETAIL,
  PROP_ELAPSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pw_workshop_resource_finalize (GObject *object)
{
  PwWorkshopResource *self = PW_WORKSHOP_RESOURCE (object);

  g_free (self->name);
  g_free (self->arn);
  g_free (self->region);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->finished, g_date_time_unref);
  g_free (self->failure_reason);
  g_free (self->parent_arn);
  g_free (self->recipe);
  g_free (self->detail);

  G_OBJECT_CLASS (pw_workshop_resource_parent_class)->finalize (object);
}

static void
pw_workshop_resource_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PwWorkshopResource *self = PW_WORKSHOP_RESOURCE (object);

  switch (prop_id)
    {
    case PROP_KIND: g_value_set_enum (value, self->kind); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_ARN: g_value_set_string (value, self->arn); break;
    case PROP_REGION: g_value_set_string (value, self->region); break;
    case PROP_BACKEND: g_value_set_enum (value, self->backend); break;
    case PROP_CREATED: g_value_set_boxed (value, self->created); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_FAILURE_REASON: g_value_set_string (value, self->failure_reason); break;
    case PROP_PARENT_ARN: g_value_set_string (value, self->parent_arn); break;
    case PROP_RECIPE: g_value_set_string (value, self->recipe); break;
    case PROP_DETAIL: g_value_set_string (value, self->detail); break;
    case PROP_ELAPSED: g_value_set_double (value, pw_workshop_resource_get_elapsed (self)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pw_workshop_resource_class_init (PwWorkshopResourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pw_workshop_resource_finalize;
  object_class->get_property = pw_workshop_resource_get_property;

  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, PW_TYPE_RESOURCE_KIND,
                                             PW_RESOURCE_ROLE, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_ARN] = g_param_spec_string ("arn", NULL, NULL, NULL, flags);
  properties[PROP_REGION] = g_param_spec_string ("region", NULL, NULL, NULL, flags);
  properties[PROP_BACKEND] = g_param_spec_enum ("backend", NULL, NULL, PW_TYPE_WORKSHOP_BACKEND,
                                                PW_WORKSHOP_BACKEND_LOCAL, flags);
  properties[PROP_CREATED] = g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, PW_TYPE_RESOURCE_STATUS,
                                               PW_RESOURCE_STATUS_PLANNED, flags);
  properties[PROP_FAILURE_REASON] = g_param_spec_string ("failure-reason", NULL, NULL, NULL, flags);
  properties[PROP_PARENT_ARN] = g_param_spec_string ("parent-arn", NULL, NULL, NULL, flags);
  properties[PROP_RECIPE] = g_param_spec_string ("recipe", NULL, NULL, NULL, flags);
  properties[PROP_DETAIL] = g_param_spec_string ("detail", NULL, NULL, NULL, flags);
  properties[PROP_ELAPSED] = g_param_spec_double ("elapsed", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pw_workshop_resource_init (PwWorkshopResource *self)
{
}

PwWorkshopResource *
pw_workshop_resource_new (PwResourceKind     kind,
                          const char        *name,
                          const char        *region,
                          PwWorkshopBackend  backend,
                          GDateTime         *created)
{
  PwWorkshopResource *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (PW_TYPE_WORKSHOP_RESOURCE, NULL);
  self->kind = kind;
  self->name = g_strdup (name);
  self->region = g_strdup (region != NULL ? region : "");
  self->backend = backend;
  self->created = created != NULL ? g_date_time_ref (created) : g_date_time_new_now_utc ();
  return self;
}

#define GETTER(type, field, def)                                \
  type                                                          \
  pw_workshop_resource_get_##field (PwWorkshopResource *self)   \
  {                                                             \
    g_return_val_if_fail (PW_IS_WORKSHOP_RESOURCE (self), def); \
    return self->field;                                         \
  }

GETTER (PwResourceKind, kind, PW_RESOURCE_ROLE)
GETTER (const char *, name, NULL)
GETTER (const char *, arn, NULL)
GETTER (const char *, region, NULL)
GETTER (PwWorkshopBackend, backend, PW_WORKSHOP_BACKEND_LOCAL)
GETTER (GDateTime *, created, NULL)
GETTER (PwResourceStatus, status, PW_RESOURCE_STATUS_PLANNED)
GETTER (const char *, failure_reason, NULL)
GETTER (const char *, parent_arn, NULL)
GETTER (const char *, recipe, NULL)
GETTER (const char *, detail, NULL)

const char *
pw_workshop_resource_get_id (PwWorkshopResource *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP_RESOURCE (self), NULL);

  return self->arn != NULL ? self->arn : self->name;
}

double
pw_workshop_resource_get_elapsed (PwWorkshopResource *self)
{
  g_autoptr(GDateTime) now = NULL;
  GDateTime *end;

  g_return_val_if_fail (PW_IS_WORKSHOP_RESOURCE (self), 0);

  end = self->finished;
  if (end == NULL)
    end = now = g_date_time_new_now_utc ();
  return MAX (0, g_date_time_difference (end, self->created) / (double) G_TIME_SPAN_SECOND);
}

static gboolean
set_string (PwWorkshopResource *self,
            char              **field,
            const char         *value,
            int                 prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return TRUE;
}

gboolean
pw_workshop_resource_set_arn (PwWorkshopResource *self,
                              const char         *arn)
{
  return set_string (self, &self->arn, arn, PROP_ARN);
}

gboolean
pw_workshop_resource_set_failure_reason (PwWorkshopResource *self,
                                         const char         *reason)
{
  return set_string (self, &self->failure_reason, reason, PROP_FAILURE_REASON);
}

gboolean
pw_workshop_resource_set_parent_arn (PwWorkshopResource *self,
                                     const char         *parent_arn)
{
  return set_string (self, &self->parent_arn, parent_arn, PROP_PARENT_ARN);
}

gboolean
pw_workshop_resource_set_recipe (PwWorkshopResource *self,
                                 const char         *recipe)
{
  return set_string (self, &self->recipe, recipe, PROP_RECIPE);
}

gboolean
pw_workshop_resource_set_detail (PwWorkshopResource *self,
                                 const char         *detail)
{
  return set_string (self, &self->detail, detail, PROP_DETAIL);
}

static gboolean
status_is_final (PwResourceStatus status)
{
  return status == PW_RESOURCE_STATUS_ACTIVE ||
         status == PW_RESOURCE_STATUS_FAILED ||
         status == PW_RESOURCE_STATUS_DELETED;
}

gboolean
pw_workshop_resource_set_status (PwWorkshopResource *self,
                                 PwResourceStatus    status)
{
  if (self->status == status)
    return FALSE;
  self->status = status;
  g_clear_pointer (&self->finished, g_date_time_unref);
  if (status_is_final (status))
    self->finished = g_date_time_new_now_utc ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELAPSED]);
  return TRUE;
}

static void
put_string (JsonObject *object,
            const char *member,
            const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
}

JsonObject *
pw_workshop_resource_to_json (PwWorkshopResource *self)
{
  JsonObject *object = json_object_new ();
  g_autofree char *created = g_date_time_format_iso8601 (self->created);

  json_object_set_string_member (object, "kind", pw_resource_kind_to_string (self->kind));
  json_object_set_string_member (object, "name", self->name);
  put_string (object, "arn", self->arn);
  json_object_set_string_member (object, "region", self->region);
  json_object_set_string_member (object, "backend", pw_workshop_backend_to_string (self->backend));
  json_object_set_string_member (object, "created", created);
  if (self->finished != NULL)
    {
      g_autofree char *finished = g_date_time_format_iso8601 (self->finished);
      json_object_set_string_member (object, "finished", finished);
    }
  json_object_set_string_member (object, "status", pw_resource_status_to_string (self->status));
  put_string (object, "failure_reason", self->failure_reason);
  put_string (object, "parent_arn", self->parent_arn);
  put_string (object, "recipe", self->recipe);
  put_string (object, "detail", self->detail);
  return object;
}

/* A string member, or NULL; FALSE (with @error) if present but not a
 * string, or absent when required. */
static gboolean
get_string (JsonObject  *object,
            const char  *member,
            gboolean     required,
            const char **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_STATE_FILE,
                   _("a resource has no “%s”"), member);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_STATE_FILE,
                   _("a resource’s “%s” is not a string"), member);
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

PwWorkshopResource *
pw_workshop_resource_from_json (JsonObject  *object,
                                GError     **error)
{
  const char *kind_s, *name, *arn, *region, *backend_s, *created_s, *finished_s, *status_s;
  const char *reason, *parent, *recipe, *detail;
  PwResourceKind kind;
  PwWorkshopBackend backend;
  PwResourceStatus status;
  g_autoptr(GDateTime) created = NULL;
  PwWorkshopResource *self;

  if (!get_string (object, "kind", TRUE, &kind_s, error) ||
      !get_string (object, "name", TRUE, &name, error) ||
      !get_string (object, "arn", FALSE, &arn, error) ||
      !get_string (object, "region", TRUE, &region, error) ||
      !get_string (object, "backend", TRUE, &backend_s, error) ||
      !get_string (object, "created", TRUE, &created_s, error) ||
      !get_string (object, "finished", FALSE, &finished_s, error) ||
      !get_string (object, "status", TRUE, &status_s, error) ||
      !get_string (object, "failure_reason", FALSE, &reason, error) ||
      !get_string (object, "parent_arn", FALSE, &parent, error) ||
      !get_string (object, "recipe", FALSE, &recipe, error) ||
      !get_string (object, "detail", FALSE, &detail, error))
    return NULL;

  if (!pw_resource_kind_from_string (kind_s, &kind))
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_STATE_FILE,
                   _("unknown resource kind “%s”"), kind_s);
      return NULL;
    }
  if (!pw_workshop_backend_from_string (backend_s, &backend))
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_STATE_FILE,
                   _("unknown back end “%s”"), backend_s);
      return NULL;
    }
  if (!pw_resource_status_from_string (status_s, &status))
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_STATE_FILE,
                   _("unknown resource status “%s”"), status_s);
      return NULL;
    }
  created = g_date_time_new_from_iso8601 (created_s, NULL);
  if (created == NULL || *name == '\0')
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_STATE_FILE,
                   _("resource “%s” has an invalid name or creation time"), name);
      return NULL;
    }

  self = pw_workshop_resource_new (kind, name, region, backend, created);
  self->arn = g_strdup (arn);
  self->status = status;
  if (finished_s != NULL)
    self->finished = g_date_time_new_from_iso8601 (finished_s, NULL);
  self->failure_reason = g_strdup (reason);
  self->parent_arn = g_strdup (parent);
  self->recipe = g_strdup (recipe);
  self->detail = g_strdup (detail);
  return self;
}

guint
pw_workshop_resource_get_generation (PwWorkshopResource *self)
{
  g_return_val_if_fail (PW_IS_WORKSHOP_RESOURCE (self), 0);
  return self->generation;
}

void
pw_workshop_resource_set_generation (PwWorkshopResource *self,
                                     guint               generation)
{
  g_return_if_fail (PW_IS_WORKSHOP_RESOURCE (self));
  self->generation = generation;
}
