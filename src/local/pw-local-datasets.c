/* pw-local-datasets.c: personalize-local's control plane: dataset groups, schemas,
 * datasets and import jobs
 *
 * The operations run with the store's lock held (pw-local-personalize.c
 * dispatches to them); see pw-local-personalize.c for the lifecycles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <math.h>
#include <string.h>

#include "pw-local-control-private.h"
#include "pw-local-store.h"

/* ---- dataset groups ---- */

/* A domain, when given, is one of the two Personalize knows. */
static gboolean
check_domain (const char  *domain,
              GError     **error)
{
  if (domain != NULL && strcmp (domain, "ECOMMERCE") != 0 && strcmp (domain, "VIDEO_ON_DEMAND") != 0)
    return pw_local_invalid_input (error, "1 validation error detected: Value '%s' at 'domain' failed to satisfy "
                                   "constraint: Member must satisfy enum value set: [ECOMMERCE, VIDEO_ON_DEMAND]",
                                   domain);
  return TRUE;
}

gboolean
pw_local_op_create_dataset_group (PwLocalPersonalize  *self,
                                  JsonObject          *in,
                                  PwLocalResponse     *response,
                                  GError             **error)
{
  const char *domain = pw_local_get_str (in, "domain");
  g_autofree char *arn = NULL;
  PwLocalResource *r;

  if (!pw_local_check_name (in, "name", error) || !pw_local_check_role_arn (in, "roleArn", error) || !pw_local_check_tags (in, error))
    return FALSE;
  if (!check_domain (domain, error))
    return FALSE;
  arn = pw_local_make_arn (self, PW_LOCAL_KIND_DATASET_GROUP, pw_local_get_str (in, "name"));
  if (!pw_local_check_exists_not (self, arn, error))
    return FALSE;
  r = pw_local_resource_new (PW_LOCAL_KIND_DATASET_GROUP, arn);
  json_object_set_string_member (r->obj, "name", pw_local_get_str (in, "name"));
  json_object_set_string_member (r->obj, "datasetGroupArn", arn);
  pw_local_set_status (r, PW_LOCAL_STATUS_CREATE_PENDING);
  pw_local_copy_member (r->obj, in, "roleArn");
  pw_local_copy_member (r->obj, in, "kmsKeyArn");
  pw_local_copy_member (r->obj, in, "domain");
  pw_local_copy_member (r->internal, in, "tags");
  if (pw_local_add_resource (self, r, error) == NULL)
    return FALSE;
  pw_local_queue_job (self, r, FALSE);
  {
    g_autoptr(JsonObject) out = json_object_new ();

    json_object_set_string_member (out, "datasetGroupArn", arn);
    pw_local_copy_member (out, in, "domain");
    pw_local_respond_object (response, out);
  }
  return TRUE;
}

gboolean
pw_local_op_describe (PwLocalPersonalize  *self,
                      JsonObject          *in,
                      PwLocalKind          kind,
                      const char          *member,
                      PwLocalResponse     *response,
                      GError             **error)
{
  PwLocalResource *r;
  JsonObject *obj;

  if (!pw_local_check_arn (in, pw_local_kind_arn_members[kind], error))
    return FALSE;
  r = pw_local_lookup (self, pw_local_get_str (in, pw_local_kind_arn_members[kind]), kind, error);
  if (r == NULL)
    return FALSE;
  obj = pw_local_copy_object (r->obj);
  if (kind == PW_LOCAL_KIND_SOLUTION)
    {
      /* The newest version, as a summary. */
      GHashTableIter iter;
      gpointer value;
      PwLocalResource *latest = NULL;

      g_hash_table_iter_init (&iter, self->resources);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          PwLocalResource *v = value;

          if (v->kind == PW_LOCAL_KIND_SOLUTION_VERSION
              && g_strcmp0 (json_object_get_string_member (v->obj, "solutionArn"), r->arn) == 0
              && (latest == NULL || pw_local_compare_newest_first (&v, &latest) < 0))
            latest = v;
        }
      if (latest != NULL)
        {
          static const char * const fields[] = {
            "solutionVersionArn", "status", "trainingMode", "trainingType", "creationDateTime",
            "lastUpdatedDateTime", "failureReason", NULL };

          json_object_set_object_member (obj, "latestSolutionVersion", pw_local_summary_of (latest->obj, fields));
        }
    }
  pw_local_respond_member (response, member, obj);
  return TRUE;
}

gboolean
pw_local_op_describe_dataset_group (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  return pw_local_op_describe (self, in, PW_LOCAL_KIND_DATASET_GROUP, "datasetGroup", response, error);
}

gboolean
pw_local_op_list_dataset_groups (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "name", "datasetGroupArn", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason", "domain", NULL };

  return pw_local_list_page (self, PW_LOCAL_KIND_DATASET_GROUP, in, NULL, NULL, "datasetGroups", fields, response, error);
}

gboolean
pw_local_refuse_if_busy (PwLocalResource *r,
                GError     **error)
{
  if (pw_local_is_creating (r) || pw_local_is_deleting (r) || pw_local_is_updating (r))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "%s is %s; wait until it is ACTIVE or CREATE FAILED.", r->arn, pw_local_status (r));
      return FALSE;
    }
  return TRUE;
}

PwLocalResource *
pw_local_find_child (PwLocalPersonalize *self,
            PwLocalKind         kind,
            const char         *member,
            const char         *value,
            gboolean            only_running)
{
  GHashTableIter iter;
  gpointer v;

  g_hash_table_iter_init (&iter, self->resources);
  while (g_hash_table_iter_next (&iter, NULL, &v))
    {
      PwLocalResource *r = v;

      if (r->kind == kind
          && g_strcmp0 (json_object_get_string_member_with_default (r->obj, member, NULL), value) == 0
          && (!only_running || pw_local_is_creating (r)))
        return r;
    }
  return NULL;
}

gboolean
pw_local_start_delete (PwLocalPersonalize  *self,
                       PwLocalResource     *r,
                       PwLocalResponse     *response,
                       GError             **error)
{
  PwLocalSnapshot before;

  pw_local_snapshot_take (r, &before);
  pw_local_set_status (r, PW_LOCAL_STATUS_DELETE_PENDING);
  if (!pw_local_persist_or_restore (self, r, &before, error))
    return FALSE;
  pw_local_queue_job (self, r, TRUE);
  pw_local_respond_empty (response);
  return TRUE;
}

gboolean
pw_local_op_delete_dataset_group (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  PwLocalResource *r;
  PwLocalResource *child;

  if (!pw_local_check_arn (in, "datasetGroupArn", error)
      || (r = pw_local_lookup (self, pw_local_get_str (in, "datasetGroupArn"), PW_LOCAL_KIND_DATASET_GROUP, error)) == NULL
      || !pw_local_refuse_if_busy (r, error))
    return FALSE;
  if ((child = pw_local_find_child (self, PW_LOCAL_KIND_EVENT_TRACKER, "datasetGroupArn", r->arn, FALSE)) != NULL
      || (child = pw_local_find_child (self, PW_LOCAL_KIND_SOLUTION, "datasetGroupArn", r->arn, FALSE)) != NULL
      || (child = pw_local_find_child (self, PW_LOCAL_KIND_DATASET, "datasetGroupArn", r->arn, FALSE)) != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "Cannot delete dataset group %s: %s still uses it; delete its event trackers, "
                   "solutions and datasets first.", r->arn, child->arn);
      return FALSE;
    }
  return pw_local_start_delete (self, r, response, error);
}

/* ---- schemas ---- */

static gboolean
valid_field_name (const char *name)
{
  if (name == NULL || *name == '\0' || !(g_ascii_isalpha (name[0]) || name[0] == '_'))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || *p == '_'))
      return FALSE;
  return TRUE;
}

static gboolean
valid_primitive (const char *type)
{
  static const char * const types[] = { "float", "double", "int", "long", "string", "boolean", "null", NULL };

  return type != NULL && g_strv_contains (types, type);
}

/**
 * pw_local_validate_avro_schema:
 * Checks a Personalize schema: an Avro record, flat, with primitive or
 * nullable primitive fields.
 */
gboolean
pw_local_validate_avro_schema (const char  *text,
                               GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *obj;
  JsonArray *fields;

  if (strlen (text) > 20000)
    return pw_local_invalid_input (error, "The schema has %" G_GSIZE_FORMAT " characters; at most 20000 are allowed",
                                   strlen (text));
  root = pw_local_json_parse (text, strlen (text), &parse_error);
  if (root == NULL)
    return pw_local_invalid_input (error, "The schema is not valid JSON: %s", parse_error->message);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return pw_local_invalid_input (error, "The schema must be a JSON object (an Avro record)");
  obj = json_node_get_object (root);
  if (g_strcmp0 (pw_local_get_str (obj, "type"), "record") != 0)
    return pw_local_invalid_input (error, "The schema's \"type\" must be \"record\"");
  if (!valid_field_name (pw_local_get_str (obj, "name")))
    return pw_local_invalid_input (error, "The schema needs a \"name\" such as \"Interactions\" (letters, digits, "
                                   "'_')");
  if (!json_object_has_member (obj, "fields") || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "fields"))
      || json_array_get_length (json_object_get_array_member (obj, "fields")) == 0)
    return pw_local_invalid_input (error, "The schema needs a non-empty \"fields\" array");
  fields = json_object_get_array_member (obj, "fields");
  if (json_array_get_length (fields) > 100)
    return pw_local_invalid_input (error, "The schema has %u fields; at most 100 are allowed",
                                   json_array_get_length (fields));
  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      JsonNode *node = json_array_get_element (fields, i);
      JsonObject *field;
      JsonNode *type;
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return pw_local_invalid_input (error, "fields[%u] must be an object with \"name\" and \"type\"", i);
      field = json_node_get_object (node);
      name = pw_local_get_str (field, "name");
      if (!valid_field_name (name))
        return pw_local_invalid_input (error, "fields[%u] needs a \"name\" of letters, digits and '_'", i);
      if (g_hash_table_contains (seen, name))
        return pw_local_invalid_input (error, "The field %s appears twice in the schema", name);
      g_hash_table_add (seen, (gpointer) name);
      type = json_object_get_member (field, "type");
      if (type == NULL)
        return pw_local_invalid_input (error, "Field %s has no \"type\"", name);
      if (JSON_NODE_HOLDS_ARRAY (type))
        {
          JsonArray *alternatives = json_node_get_array (type);
          guint non_null = 0;

          for (guint j = 0; j < json_array_get_length (alternatives); j++)
            {
              JsonNode *alt = json_array_get_element (alternatives, j);
              const char *t = JSON_NODE_HOLDS_VALUE (alt) && json_node_get_value_type (alt) == G_TYPE_STRING
                ? json_node_get_string (alt) : NULL;

              if (!valid_primitive (t))
                return pw_local_invalid_input (error, "Field %s: Personalize schemas are flat; a union may only hold "
                                               "float, double, int, long, string, boolean and null", name);
              if (strcmp (t, "null") != 0)
                non_null++;
            }
          if (non_null != 1)
            return pw_local_invalid_input (error, "Field %s: a union must be one type and \"null\", e.g. [\"null\", "
                                           "\"string\"]", name);
        }
      else if (!JSON_NODE_HOLDS_VALUE (type) || json_node_get_value_type (type) != G_TYPE_STRING
               || !valid_primitive (json_node_get_string (type)) || strcmp (json_node_get_string (type), "null") == 0)
        return pw_local_invalid_input (error, "Field %s: the type must be float, double, int, long, string or boolean "
                                       "(Personalize schemas are flat: no records, arrays, maps or enums)", name);
    }
  return TRUE;
}

static const char *
field_type (JsonObject *field)
{
  JsonNode *type = json_object_get_member (field, "type");

  if (JSON_NODE_HOLDS_ARRAY (type))
    {
      JsonArray *alternatives = json_node_get_array (type);

      for (guint j = 0; j < json_array_get_length (alternatives); j++)
        if (strcmp (json_array_get_string_element (alternatives, j), "null") != 0)
          return json_array_get_string_element (alternatives, j);
      return "null";
    }
  return json_node_get_string (type);
}

/* Checks that a (valid) schema has what a dataset type needs. */
static gboolean
schema_fits_type (const char  *schema,
                  const char  *type,
                  GError     **error)
{
  g_autoptr(JsonNode) root = pw_local_json_parse (schema, strlen (schema), NULL);
  JsonArray *fields = json_object_get_array_member (json_node_get_object (root), "fields");
  const char *required[4] = { NULL };
  guint n_fields = json_array_get_length (fields);

  if (strcmp (type, "INTERACTIONS") == 0)
    {
      required[0] = "USER_ID";
      required[1] = "ITEM_ID";
      required[2] = "TIMESTAMP";
    }
  else if (strcmp (type, "ITEMS") == 0)
    required[0] = "ITEM_ID";
  else if (strcmp (type, "USERS") == 0)
    required[0] = "USER_ID";
  else if (strcmp (type, "ACTIONS") == 0)
    required[0] = "ACTION_ID";
  else
    {
      required[0] = "USER_ID";
      required[1] = "ACTION_ID";
      required[2] = "TIMESTAMP";
    }
  for (guint i = 0; required[i] != NULL; i++)
    {
      const char *want = strcmp (required[i], "TIMESTAMP") == 0 ? "long" : "string";
      gboolean found = FALSE;

      for (guint j = 0; j < n_fields; j++)
        {
          JsonObject *field = json_array_get_object_element (fields, j);

          if (strcmp (json_object_get_string_member (field, "name"), required[i]) == 0)
            {
              const char *t = field_type (field);

              if (strcmp (t, want) != 0 && !(strcmp (want, "long") == 0 && strcmp (t, "int") == 0))
                return pw_local_invalid_input (error, "The schema's %s field has type %s; a %s dataset needs %s",
                                               required[i], t, type, want);
              found = TRUE;
            }
        }
      if (!found)
        return pw_local_invalid_input (error, "The schema lacks the field %s that a %s dataset requires "
                                       "(required: USER_ID string, ITEM_ID string, TIMESTAMP long for interactions; "
                                       "ITEM_ID for items; USER_ID for users)", required[i], type);
    }
  if ((strcmp (type, "ITEMS") == 0 || strcmp (type, "USERS") == 0) && n_fields < 2)
    return pw_local_invalid_input (error, "A %s schema needs at least one metadata field besides %s", type,
                                   required[0]);
  return TRUE;
}

gboolean
pw_local_op_create_schema (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  const char *domain = pw_local_get_str (in, "domain");
  g_autofree char *arn = NULL;
  PwLocalResource *r;

  if (!pw_local_check_name (in, "name", error) || !pw_local_validate_avro_schema (pw_local_get_str (in, "schema"), error))
    return FALSE;
  if (!check_domain (domain, error))
    return FALSE;
  arn = pw_local_make_arn (self, PW_LOCAL_KIND_SCHEMA, pw_local_get_str (in, "name"));
  if (!pw_local_check_exists_not (self, arn, error))
    return FALSE;
  r = pw_local_resource_new (PW_LOCAL_KIND_SCHEMA, arn);
  json_object_set_string_member (r->obj, "name", pw_local_get_str (in, "name"));
  json_object_set_string_member (r->obj, "schemaArn", arn);
  json_object_set_string_member (r->obj, "schema", pw_local_get_str (in, "schema"));
  pw_local_copy_member (r->obj, in, "domain");
  if (pw_local_add_resource (self, r, error) == NULL)
    return FALSE;
  pw_local_respond_string (response, "schemaArn", arn);
  return TRUE;
}

gboolean
pw_local_op_describe_schema (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  return pw_local_op_describe (self, in, PW_LOCAL_KIND_SCHEMA, "schema", response, error);
}

gboolean
pw_local_op_list_schemas (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "name", "schemaArn", "creationDateTime", "lastUpdatedDateTime", "domain", NULL };

  return pw_local_list_page (self, PW_LOCAL_KIND_SCHEMA, in, NULL, NULL, "schemas", fields, response, error);
}

gboolean
pw_local_op_delete_schema (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  PwLocalResource *r;
  PwLocalResource *user;

  if (!pw_local_check_arn (in, "schemaArn", error)
      || (r = pw_local_lookup (self, pw_local_get_str (in, "schemaArn"), PW_LOCAL_KIND_SCHEMA, error)) == NULL)
    return FALSE;
  if ((user = pw_local_find_child (self, PW_LOCAL_KIND_DATASET, "schemaArn", r->arn, FALSE)) != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "Cannot delete schema %s: dataset %s uses it; delete the dataset first.", r->arn, user->arn);
      return FALSE;
    }
  if (!pw_local_unpersist (self, r, error))
    return FALSE;
  g_hash_table_remove (self->resources, r->arn);
  pw_local_respond_empty (response);
  return TRUE;
}

/* ---- datasets ---- */

gboolean
pw_local_op_create_dataset (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const types[] = { "INTERACTIONS", "ITEMS", "USERS", "ACTIONS", "ACTION_INTERACTIONS", NULL };
  g_autofree char *type = NULL;
  g_autofree char *id = NULL;
  g_autofree char *arn = NULL;
  PwLocalResource *group;
  PwLocalResource *schema;
  PwLocalResource *r;

  if (!pw_local_check_name (in, "name", error) || !pw_local_check_arn (in, "schemaArn", error)
      || !pw_local_check_arn (in, "datasetGroupArn", error) || !pw_local_check_tags (in, error))
    return FALSE;
  type = g_ascii_strup (pw_local_get_str (in, "datasetType"), -1);
  if (!g_strv_contains (types, type))
    {
      pw_local_invalid_input (error, "Invalid datasetType %s: use Interactions, Items, Users, Actions or "
                              "Action_Interactions", pw_local_get_str (in, "datasetType"));
      return FALSE;
    }
  if ((group = pw_local_lookup (self, pw_local_get_str (in, "datasetGroupArn"), PW_LOCAL_KIND_DATASET_GROUP, error)) == NULL
      || (schema = pw_local_lookup (self, pw_local_get_str (in, "schemaArn"), PW_LOCAL_KIND_SCHEMA, error)) == NULL
      || !pw_local_require_usable (group, "Dataset group", error))
    return FALSE;
  if (!schema_fits_type (json_object_get_string_member (schema->obj, "schema"), type, error))
    return FALSE;
  id = g_strdup_printf ("%s/%s", pw_local_group_name_of (self, group->arn), type);
  arn = pw_local_make_arn (self, PW_LOCAL_KIND_DATASET, id);
  if (!pw_local_check_exists_not (self, arn, error))
    return FALSE;
  r = pw_local_resource_new (PW_LOCAL_KIND_DATASET, arn);
  json_object_set_string_member (r->obj, "name", pw_local_get_str (in, "name"));
  json_object_set_string_member (r->obj, "datasetArn", arn);
  json_object_set_string_member (r->obj, "datasetGroupArn", group->arn);
  json_object_set_string_member (r->obj, "datasetType", type);
  json_object_set_string_member (r->obj, "schemaArn", schema->arn);
  pw_local_set_status (r, PW_LOCAL_STATUS_CREATE_PENDING);
  pw_local_copy_member (r->internal, in, "tags");
  json_object_set_array_member (r->internal, "files", json_array_new ());
  if (pw_local_add_resource (self, r, error) == NULL)
    return FALSE;
  pw_local_queue_job (self, r, FALSE);
  pw_local_respond_string (response, "datasetArn", arn);
  return TRUE;
}

gboolean
pw_local_op_describe_dataset (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  return pw_local_op_describe (self, in, PW_LOCAL_KIND_DATASET, "dataset", response, error);
}

gboolean
pw_local_op_list_datasets (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "name", "datasetArn", "datasetType", "status", "creationDateTime", "lastUpdatedDateTime", NULL };

  if (!pw_local_check_arn (in, "datasetGroupArn", error))
    return FALSE;
  return pw_local_list_page (self, PW_LOCAL_KIND_DATASET, in, "datasetGroupArn", pw_local_get_str (in, "datasetGroupArn"),
               "datasets", fields, response, error);
}

gboolean
pw_local_op_delete_dataset (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  PwLocalResource *r;
  PwLocalResource *busy;
  GHashTableIter iter;
  gpointer value;

  if (!pw_local_check_arn (in, "datasetArn", error)
      || (r = pw_local_lookup (self, pw_local_get_str (in, "datasetArn"), PW_LOCAL_KIND_DATASET, error)) == NULL
      || !pw_local_refuse_if_busy (r, error))
    return FALSE;
  if ((busy = pw_local_find_child (self, PW_LOCAL_KIND_IMPORT_JOB, "datasetArn", r->arn, TRUE)) != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "Cannot delete dataset %s while import job %s is running.", r->arn, busy->arn);
      return FALSE;
    }
  g_hash_table_iter_init (&iter, self->resources);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PwLocalResource *v = value;

      if (v->kind == PW_LOCAL_KIND_SOLUTION_VERSION && pw_local_is_creating (v)
          && g_strcmp0 (json_object_get_string_member (v->obj, "datasetGroupArn"),
                        json_object_get_string_member (r->obj, "datasetGroupArn")) == 0)
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                       "Cannot delete dataset %s while solution version %s is training on it.", r->arn, v->arn);
          return FALSE;
        }
    }
  return pw_local_start_delete (self, r, response, error);
}

/* ---- import jobs ---- */

gboolean
pw_local_op_create_import (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  JsonObject *source = json_object_get_object_member (in, "dataSource");
  const char *location = pw_local_get_str (source, "dataLocation");
  const char *mode = pw_local_get_str (in, "importMode");
  g_autofree char *arn = NULL;
  PwLocalResource *dataset;
  PwLocalResource *r;
  JsonObject *ds;

  if (!pw_local_check_name (in, "jobName", error) || !pw_local_check_arn (in, "datasetArn", error)
      || !pw_local_check_role_arn (in, "roleArn", error) || !pw_local_check_tags (in, error)
      || !pw_local_check_s3_path (location, "dataSource.dataLocation", error))
    return FALSE;
  if (mode != NULL && strcmp (mode, "FULL") != 0 && strcmp (mode, "INCREMENTAL") != 0)
    {
      pw_local_invalid_input (error, "1 validation error detected: Value '%s' at 'importMode' failed to satisfy "
                              "constraint: Member must satisfy enum value set: [FULL, INCREMENTAL]", mode);
      return FALSE;
    }
  if ((dataset = pw_local_lookup (self, pw_local_get_str (in, "datasetArn"), PW_LOCAL_KIND_DATASET, error)) == NULL
      || !pw_local_require_usable (dataset, "Dataset", error))
    return FALSE;
  arn = pw_local_make_arn (self, PW_LOCAL_KIND_IMPORT_JOB, pw_local_get_str (in, "jobName"));
  if (!pw_local_check_exists_not (self, arn, error))
    return FALSE;
  r = pw_local_resource_new (PW_LOCAL_KIND_IMPORT_JOB, arn);
  json_object_set_string_member (r->obj, "jobName", pw_local_get_str (in, "jobName"));
  json_object_set_string_member (r->obj, "datasetImportJobArn", arn);
  json_object_set_string_member (r->obj, "datasetArn", dataset->arn);
  ds = json_object_new ();
  json_object_set_string_member (ds, "dataLocation", location);
  json_object_set_object_member (r->obj, "dataSource", ds);
  pw_local_copy_member (r->obj, in, "roleArn");
  pw_local_set_status (r, PW_LOCAL_STATUS_CREATE_PENDING);
  json_object_set_string_member (r->obj, "importMode", mode != NULL ? mode : "FULL");
  json_object_set_boolean_member (r->obj, "publishAttributionMetricsToS3",
                                  pw_local_get_bool (in, "publishAttributionMetricsToS3", FALSE));
  pw_local_copy_member (r->internal, in, "tags");
  if (pw_local_add_resource (self, r, error) == NULL)
    return FALSE;
  pw_local_queue_job (self, r, FALSE);
  pw_local_respond_string (response, "datasetImportJobArn", arn);
  return TRUE;
}

gboolean
pw_local_op_describe_import (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  return pw_local_op_describe (self, in, PW_LOCAL_KIND_IMPORT_JOB, "datasetImportJob", response, error);
}

gboolean
pw_local_op_list_imports (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "datasetImportJobArn", "jobName", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason",
    "importMode", NULL };

  if (!pw_local_check_arn (in, "datasetArn", error))
    return FALSE;
  return pw_local_list_page (self, PW_LOCAL_KIND_IMPORT_JOB, in, "datasetArn", pw_local_get_str (in, "datasetArn"),
               "datasetImportJobs", fields, response, error);
}
