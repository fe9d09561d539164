/* pw-local-personalize.c: the Personalize control plane of personalize-local
 *
 * Every resource is one JSON file under DATA_DIR/personalize/KIND/, written
 * atomically before the answer leaves, so a crash never loses an
 * acknowledged create or delete, and never leaves half a resource. Status
 * lifecycles (CREATE PENDING > CREATE IN_PROGRESS > ACTIVE | CREATE FAILED,
 * DELETE PENDING > DELETE IN_PROGRESS > gone) are driven by worker threads;
 * on start, resources caught in a transition resume it (imports and
 * training start again from their inputs).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <string.h>

#include "pw-local-personalize-private.h"
#include "pw-local-store.h"

static const char *kind_dirs[N_KINDS] = {
  "dataset-groups", "schemas", "datasets", "dataset-import-jobs", "solutions",
  "solution-versions", "campaigns", "event-trackers", "batch-inference-jobs",
};

static const char *kind_arn_parts[N_KINDS] = {
  "dataset-group/", "schema/", "dataset/", "dataset-import-job/", "solution/",
  "solution/", "campaign/", "event-tracker/", "batch-inference-job/",
};

/* The ARN member of each kind's object. */
static const char *kind_arn_members[N_KINDS] = {
  "datasetGroupArn", "schemaArn", "datasetArn", "datasetImportJobArn", "solutionArn",
  "solutionVersionArn", "campaignArn", "eventTrackerArn", "batchInferenceJobArn",
};

typedef struct
{
  PwLocalPersonalize *self;
  char *arn;
  gboolean delete;
  gboolean update;   /* UpdateCampaign's lifecycle (pw-local-update-campaign.c) */
} Job;

/* ---- input validation ---- */

typedef enum
{
  T_STR,
  T_INT,
  T_BOOL,
  T_NUM,
  T_OBJ,
  T_ARR,
  T_MAP,
} MemberType;

typedef struct
{
  const char *name;
  MemberType type;
  gboolean required;
} Member;

typedef void (*OpHandler) (PwLocalPersonalize *self,
                           JsonObject         *input,
                           PwLocalResponse    *response,
                           GError            **error);

typedef struct
{
  const char *name;
  OpHandler handler;
  const Member *members;
} Operation;

#define END { NULL, 0, FALSE }
#define TAGS { "tags", T_ARR, FALSE }
#define PAGING { "nextToken", T_STR, FALSE }, { "maxResults", T_INT, FALSE }

static const Member m_create_dataset_group[] = {
  { "name", T_STR, TRUE }, { "roleArn", T_STR, FALSE }, { "kmsKeyArn", T_STR, FALSE },
  { "domain", T_STR, FALSE }, TAGS, END };
static const Member m_dataset_group_arn[] = { { "datasetGroupArn", T_STR, TRUE }, END };
static const Member m_paging[] = { PAGING, END };
static const Member m_create_schema[] = {
  { "name", T_STR, TRUE }, { "schema", T_STR, TRUE }, { "domain", T_STR, FALSE }, END };
static const Member m_schema_arn[] = { { "schemaArn", T_STR, TRUE }, END };
static const Member m_list_schemas[] = { PAGING, END };
static const Member m_create_dataset[] = {
  { "name", T_STR, TRUE }, { "schemaArn", T_STR, TRUE }, { "datasetGroupArn", T_STR, TRUE },
  { "datasetType", T_STR, TRUE }, TAGS, END };
static const Member m_dataset_arn[] = { { "datasetArn", T_STR, TRUE }, END };
static const Member m_list_datasets[] = { { "datasetGroupArn", T_STR, FALSE }, PAGING, END };
static const Member m_create_import[] = {
  { "jobName", T_STR, TRUE }, { "datasetArn", T_STR, TRUE }, { "dataSource", T_OBJ, TRUE },
  { "roleArn", T_STR, FALSE }, { "importMode", T_STR, FALSE },
  { "publishAttributionMetricsToS3", T_BOOL, FALSE }, TAGS, END };
static const Member m_import_arn[] = { { "datasetImportJobArn", T_STR, TRUE }, END };
static const Member m_list_imports[] = { { "datasetArn", T_STR, FALSE }, PAGING, END };
static const Member m_list_recipes[] = {
  { "recipeProvider", T_STR, FALSE }, { "domain", T_STR, FALSE }, PAGING, END };
static const Member m_recipe_arn[] = { { "recipeArn", T_STR, TRUE }, END };
static const Member m_create_solution[] = {
  { "name", T_STR, TRUE }, { "datasetGroupArn", T_STR, TRUE }, { "recipeArn", T_STR, FALSE },
  { "performHPO", T_BOOL, FALSE }, { "performAutoML", T_BOOL, FALSE },
  { "performAutoTraining", T_BOOL, FALSE }, { "performIncrementalUpdate", T_BOOL, FALSE },
  { "eventType", T_STR, FALSE }, { "solutionConfig", T_OBJ, FALSE }, TAGS, END };
static const Member m_solution_arn[] = { { "solutionArn", T_STR, TRUE }, END };
static const Member m_list_solutions[] = { { "datasetGroupArn", T_STR, FALSE }, PAGING, END };
static const Member m_create_version[] = {
  { "solutionArn", T_STR, TRUE }, { "name", T_STR, FALSE }, { "trainingMode", T_STR, FALSE }, TAGS, END };
static const Member m_version_arn[] = { { "solutionVersionArn", T_STR, TRUE }, END };
static const Member m_list_versions[] = { { "solutionArn", T_STR, FALSE }, PAGING, END };
static const Member m_create_campaign[] = {
  { "name", T_STR, TRUE }, { "solutionVersionArn", T_STR, TRUE }, { "minProvisionedTPS", T_INT, FALSE },
  { "campaignConfig", T_OBJ, FALSE }, TAGS, END };
static const Member m_campaign_arn[] = { { "campaignArn", T_STR, TRUE }, END };
static const Member m_update_campaign[] = {
  { "campaignArn", T_STR, TRUE }, { "solutionVersionArn", T_STR, FALSE }, { "minProvisionedTPS", T_INT, FALSE },
  { "campaignConfig", T_OBJ, FALSE }, END };
static const Member m_list_campaigns[] = { { "solutionArn", T_STR, FALSE }, PAGING, END };
static const Member m_create_tracker[] = {
  { "name", T_STR, TRUE }, { "datasetGroupArn", T_STR, TRUE }, TAGS, END };
static const Member m_tracker_arn[] = { { "eventTrackerArn", T_STR, TRUE }, END };
static const Member m_list_trackers[] = { { "datasetGroupArn", T_STR, FALSE }, PAGING, END };
static const Member m_create_batch[] = {
  { "jobName", T_STR, TRUE }, { "solutionVersionArn", T_STR, TRUE }, { "jobInput", T_OBJ, TRUE },
  { "jobOutput", T_OBJ, TRUE }, { "roleArn", T_STR, TRUE }, { "numResults", T_INT, FALSE },
  { "filterArn", T_STR, FALSE }, { "batchInferenceJobConfig", T_OBJ, FALSE },
  { "batchInferenceJobMode", T_STR, FALSE }, { "themeGenerationConfig", T_OBJ, FALSE }, TAGS, END };
static const Member m_batch_arn[] = { { "batchInferenceJobArn", T_STR, TRUE }, END };
static const Member m_list_batch[] = { { "solutionVersionArn", T_STR, FALSE }, PAGING, END };
static const Member m_get_recommendations[] = {
  { "campaignArn", T_STR, FALSE }, { "recommenderArn", T_STR, FALSE }, { "userId", T_STR, FALSE },
  { "itemId", T_STR, FALSE }, { "numResults", T_INT, FALSE }, { "context", T_MAP, FALSE },
  { "filterArn", T_STR, FALSE }, { "filterValues", T_MAP, FALSE }, { "promotions", T_ARR, FALSE },
  { "metadataColumns", T_OBJ, FALSE }, END };
static const Member m_get_ranking[] = {
  { "campaignArn", T_STR, TRUE }, { "inputList", T_ARR, TRUE }, { "userId", T_STR, TRUE },
  { "context", T_MAP, FALSE }, { "filterArn", T_STR, FALSE }, { "filterValues", T_MAP, FALSE },
  { "metadataColumns", T_OBJ, FALSE }, END };
static const Member m_put_events[] = {
  { "trackingId", T_STR, TRUE }, { "userId", T_STR, FALSE }, { "sessionId", T_STR, TRUE },
  { "eventList", T_ARR, TRUE }, END };

static const char *
type_name (MemberType type)
{
  switch (type)
    {
    case T_STR: return "a string";
    case T_INT: return "an integer";
    case T_BOOL: return "a boolean";
    case T_NUM: return "a number";
    case T_OBJ: return "an object";
    case T_ARR: return "an array";
    case T_MAP: return "an object of strings";
    default: return "a value";
    }
}

static gboolean
node_has_type (JsonNode   *node,
               MemberType  type)
{
  switch (type)
    {
    case T_STR:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
    case T_INT:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
    case T_BOOL:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
    case T_NUM:
      return JSON_NODE_HOLDS_VALUE (node) && (json_node_get_value_type (node) == G_TYPE_INT64
                                              || json_node_get_value_type (node) == G_TYPE_DOUBLE);
    case T_OBJ:
      return JSON_NODE_HOLDS_OBJECT (node);
    case T_ARR:
      return JSON_NODE_HOLDS_ARRAY (node);
    case T_MAP:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *value;

        if (!JSON_NODE_HOLDS_OBJECT (node))
          return FALSE;
        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &value))
          if (!node_has_type (value, T_STR))
            return FALSE;
        return TRUE;
      }
    default:
      return FALSE;
    }
}

static JsonObject *
parse_members (const char    *operation,
               const Member  *members,
               const char    *data,
               gsize          length,
               GError       **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *input;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (length == 0)
    root = json_node_init_object (json_node_alloc (), json_object_new ());
  else if ((root = pw_local_json_parse (data, length, error)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_SERIALIZATION,
                   "The request body of %s must be a JSON object", operation);
      return NULL;
    }
  input = json_node_get_object (root);
  json_object_iter_init (&iter, input);
  while (json_object_iter_next (&iter, &name, &value))
    {
      const Member *m = NULL;

      for (guint i = 0; members[i].name != NULL; i++)
        if (strcmp (members[i].name, name) == 0)
          m = &members[i];
      if (m == NULL)
        {
          g_autoptr(GString) known = g_string_new (NULL);

          for (guint i = 0; members[i].name != NULL; i++)
            g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", members[i].name);
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                       "Unknown parameter \"%s\" in %s; the parameters are: %s",
                       name, operation, known->str);
          return NULL;
        }
      if (JSON_NODE_HOLDS_NULL (value))
        continue;
      if (!node_has_type (value, m->type))
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_SERIALIZATION,
                       "Parameter %s of %s must be %s", name, operation, type_name (m->type));
          return NULL;
        }
    }
  for (guint i = 0; members[i].name != NULL; i++)
    {
      JsonNode *node = json_object_get_member (input, members[i].name);

      if (members[i].required && (node == NULL || JSON_NODE_HOLDS_NULL (node)))
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                       "1 validation error detected: Value null at '%s' failed to satisfy "
                       "constraint: Member must not be null (%s)", members[i].name, operation);
          return NULL;
        }
    }
  return json_object_ref (input);
}

static const char *
get_str (JsonObject *input,
         const char *name)
{
  JsonNode *node = json_object_get_member (input, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_bool (JsonObject *input,
          const char *name,
          gboolean    default_value)
{
  JsonNode *node = json_object_get_member (input, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return default_value;
  return json_node_get_boolean (node);
}

/* Sets an InvalidInputException with a printf-style message. */
gboolean
pw_local_invalid_input (GError    **error,
                        const char *format,
                        ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT, message);
  g_free (message);
  return FALSE;
}

static gboolean
check_name (JsonObject  *input,
            const char  *member,
            GError     **error)
{
  const char *name = get_str (input, member);
  gsize len = name != NULL ? strlen (name) : 0;

  if (name == NULL)
    return TRUE;
  if (len < 1 || len > 63)
    return pw_local_invalid_input (error, "1 validation error detected: Value '%s' at '%s' failed to satisfy "
                                   "constraint: Member must have length between 1 and 63", name, member);
  if (!g_ascii_isalnum (name[0]))
    return pw_local_invalid_input (error, "1 validation error detected: Value '%s' at '%s' failed to satisfy "
                                   "constraint: Member must satisfy regular expression pattern: "
                                   "^[a-zA-Z0-9][a-zA-Z0-9\\-_]*", name, member);
  for (const char *p = name; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || *p == '-' || *p == '_'))
      return pw_local_invalid_input (error, "1 validation error detected: Value '%s' at '%s' failed to satisfy "
                                     "constraint: Member must satisfy regular expression pattern: "
                                     "^[a-zA-Z0-9][a-zA-Z0-9\\-_]*", name, member);
  return TRUE;
}

static gboolean
check_arn (JsonObject  *input,
           const char  *member,
           GError     **error)
{
  const char *arn = get_str (input, member);
  g_auto(GStrv) parts = NULL;

  if (arn == NULL)
    return TRUE;
  parts = g_strsplit (arn, ":", 6);
  if (strlen (arn) > 256 || g_strv_length (parts) < 6 || strcmp (parts[0], "arn") != 0
      || *parts[1] == '\0' || strcmp (parts[2], "personalize") != 0 || *parts[5] == '\0')
    return pw_local_invalid_input (error, "1 validation error detected: Value '%s' at '%s' failed to satisfy "
                                   "constraint: Member must satisfy regular expression pattern: "
                                   "arn:([a-z\\d-]+):personalize:.*:.*:.+ and have at most 256 characters", arn,
                                   member);
  return TRUE;
}

static gboolean
check_role_arn (JsonObject  *input,
                const char  *member,
                GError     **error)
{
  const char *arn = get_str (input, member);
  const char *p;
  guint digits = 0;

  if (arn == NULL)
    return TRUE;
  if (!g_str_has_prefix (arn, "arn:aws:iam::") || strlen (arn) > 256)
    goto bad;
  p = arn + strlen ("arn:aws:iam::");
  while (g_ascii_isdigit (*p))
    p++, digits++;
  if (digits != 12 || !g_str_has_prefix (p, ":role/") || p[6] == '\0')
    goto bad;
  for (p += 6; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || strchr ("_+=,.@-/", *p) != NULL))
      goto bad;
  return TRUE;
bad:
  return pw_local_invalid_input (error, "1 validation error detected: Value '%s' at '%s' failed to satisfy "
                                 "constraint: Member must satisfy regular expression pattern: "
                                 "arn:([a-z\\d-]+):iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+", arn, member);
}

static gboolean
check_s3_path (const char  *path,
               const char  *member,
               GError     **error)
{
  if (path == NULL)
    return pw_local_invalid_input (error, "1 validation error detected: Value null at '%s' failed to satisfy "
                                   "constraint: Member must not be null", member);
  if (strlen (path) > 256 || !(g_str_has_prefix (path, "s3://") || g_str_has_prefix (path, "http://")
                               || g_str_has_prefix (path, "https://")) || strstr (path, "://")[3] == '\0')
    return pw_local_invalid_input (error, "1 validation error detected: Value '%s' at '%s' failed to satisfy "
                                   "constraint: Member must satisfy regular expression pattern: (s3|http|https)://.+ "
                                   "and have at most 256 characters", path, member);
  if (!g_str_has_prefix (path, "s3://"))
    return pw_local_invalid_input (error, "personalize-local reads and writes only s3:// locations (its own S3), not "
                                   "%s", path);
  return TRUE;
}

static gboolean
check_tags (JsonObject  *input,
            GError     **error)
{
  JsonArray *tags;

  if (!json_object_has_member (input, "tags") || JSON_NODE_HOLDS_NULL (json_object_get_member (input, "tags")))
    return TRUE;
  tags = json_object_get_array_member (input, "tags");
  if (json_array_get_length (tags) > 200)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_TOO_MANY_TAGS,
                   "%u tags: a resource has at most 200", json_array_get_length (tags));
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (tags); i++)
    {
      JsonNode *node = json_array_get_element (tags, i);
      JsonObject *tag;
      const char *key;
      const char *value;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return pw_local_invalid_input (error, "tags[%u] must be an object with tagKey and tagValue", i);
      tag = json_node_get_object (node);
      key = get_str (tag, "tagKey");
      value = get_str (tag, "tagValue");
      if (key == NULL || strlen (key) < 1 || strlen (key) > 128)
        return pw_local_invalid_input (error, "tags[%u].tagKey must be a string of 1 to 128 characters", i);
      if (value == NULL || strlen (value) > 256)
        return pw_local_invalid_input (error, "tags[%u].tagValue must be a string of at most 256 characters", i);
    }
  return TRUE;
}

/* ---- resources ---- */

static void
resource_free (gpointer data)
{
  Resource *r = data;

  g_free (r->arn);
  g_clear_pointer (&r->obj, json_object_unref);
  g_clear_pointer (&r->internal, json_object_unref);
  g_free (r);
}

static char *
resource_path (PwLocalPersonalize *self,
               Kind                kind,
               const char         *arn)
{
  g_autofree char *escaped = pw_local_store_escape (arn + strlen (self->prefix) + 1);
  g_autofree char *file = g_strconcat (escaped, ".json", NULL);

  return g_build_filename (self->state_dir, kind_dirs[kind], file, NULL);
}

gboolean
pw_local_persist (PwLocalPersonalize  *self,
                  Resource            *r,
                  GError             **error)
{
  g_autofree char *path = resource_path (self, r->kind, r->arn);
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (root, "kind", r->kind);
  json_object_set_string_member (root, "arn", r->arn);
  json_object_set_object_member (root, "resource", json_object_ref (r->obj));
  json_object_set_object_member (root, "internal", json_object_ref (r->internal));
  json_node_set_object (node, root);
  return pw_local_store_write_json (path, node, error);
}

static gboolean
unpersist (PwLocalPersonalize  *self,
           Resource            *r,
           GError             **error)
{
  g_autofree char *path = resource_path (self, r->kind, r->arn);

  return pw_local_store_remove (path, error);
}

static Resource *
resource_new (Kind        kind,
              const char *arn)
{
  Resource *r = g_new0 (Resource, 1);
  double now = pw_local_now ();

  r->kind = kind;
  r->arn = g_strdup (arn);
  r->obj = json_object_new ();
  r->internal = json_object_new ();
  json_object_set_double_member (r->obj, "creationDateTime", now);
  json_object_set_double_member (r->obj, "lastUpdatedDateTime", now);
  return r;
}

const char *
pw_local_status (Resource *r)
{
  return json_object_get_string_member_with_default (r->obj, "status", "");
}

static void
set_status (Resource   *r,
            const char *status)
{
  json_object_set_string_member (r->obj, "status", status);
  json_object_set_double_member (r->obj, "lastUpdatedDateTime", pw_local_now ());
}

static gboolean
is_creating (Resource *r)
{
  const char *status = pw_local_status (r);

  return strcmp (status, STATUS_CREATE_PENDING) == 0 || strcmp (status, STATUS_CREATE_IN_PROGRESS) == 0;
}

static gboolean
is_deleting (Resource *r)
{
  return g_str_has_prefix (pw_local_status (r), "DELETE");
}

Resource *
pw_local_lookup (PwLocalPersonalize  *self,
                 const char          *arn,
                 Kind                 kind,
                 GError             **error)
{
  Resource *r = arn != NULL ? g_hash_table_lookup (self->resources, arn) : NULL;

  if (r == NULL || r->kind != kind)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_NOT_FOUND,
                   "Resource Arn %s does not exist.", arn != NULL ? arn : "(null)");
      return NULL;
    }
  return r;
}

/* pw_local_lookup() with the lock taken; when the lookup fails, the lock is
 * released again. */
Resource *
pw_local_lock_lookup (PwLocalPersonalize  *self,
                      const char          *arn,
                      Kind                 kind,
                      GError             **error)
{
  Resource *r;

  g_mutex_lock (&self->lock);
  r = pw_local_lookup (self, arn, kind, error);
  if (r == NULL)
    g_mutex_unlock (&self->lock);
  return r;
}

char *
pw_local_model_path (PwLocalPersonalize *self,
                     const char         *version_arn)
{
  g_autofree char *escaped = pw_local_store_escape (version_arn + strlen (self->prefix) + 1);
  g_autofree char *file = g_strconcat (escaped, ".model", NULL);

  return g_build_filename (self->models_dir, file, NULL);
}

char *
pw_local_events_path (PwLocalPersonalize *self,
                      const char         *group_arn)
{
  g_autofree char *escaped = pw_local_store_escape (group_arn + strlen (self->prefix) + 1);
  g_autofree char *file = g_strconcat (escaped, ".jsonl", NULL);

  return g_build_filename (self->events_dir, file, NULL);
}

gboolean
pw_local_recipe_of (Resource *r,
                    PwRecipe *recipe)
{
  const char *arn = json_object_get_string_member_with_default (r->obj, "recipeArn", "");
  const char *slash = strrchr (arn, '/');

  return slash != NULL && pw_recipe_from_name (slash + 1, recipe, NULL);
}

static char *
make_arn (PwLocalPersonalize *self,
          Kind                kind,
          const char         *id)
{
  return g_strdup_printf ("%s:%s%s", self->prefix, kind_arn_parts[kind], id);
}

static char *
random_hex8 (void)
{
  return g_strdup_printf ("%08x", g_random_int ());
}

/* Creates, persists and registers a resource; the caller holds the lock. */
static Resource *
add_resource (PwLocalPersonalize  *self,
              Resource            *r,
              GError             **error)
{
  if (!pw_local_persist (self, r, error))
    {
      resource_free (r);
      return NULL;
    }
  g_hash_table_insert (self->resources, r->arn, r);
  return r;
}

static void
queue_job (PwLocalPersonalize *self,
           Resource           *r,
           gboolean            delete)
{
  Job *job = g_new0 (Job, 1);
  gboolean heavy = !delete && (r->kind == KIND_IMPORT_JOB || r->kind == KIND_SOLUTION_VERSION
                               || r->kind == KIND_BATCH_JOB);

  job->self = self;
  job->arn = g_strdup (r->arn);
  job->delete = delete;
  g_thread_pool_push (heavy ? self->heavy_pool : self->quick_pool, job, NULL);
}

static JsonObject *
copy_object (JsonObject *obj)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), obj);
  g_autoptr(JsonNode) copy = json_node_copy (node);

  return json_object_ref (json_node_get_object (copy));
}

static JsonObject *
summary_of (JsonObject         *obj,
            const char * const *fields)
{
  JsonObject *out = json_object_new ();

  for (guint i = 0; fields[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (obj, fields[i]);

      if (node != NULL)
        json_object_set_member (out, fields[i], json_node_copy (node));
    }
  return out;
}

static void
respond_object (PwLocalResponse *response,
                JsonObject      *out)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), out);

  pw_local_response_set_json (response, node);
}

static void
respond_member (PwLocalResponse *response,
                const char      *member,
                JsonObject      *obj)
{
  g_autoptr(JsonObject) out = json_object_new ();

  json_object_set_object_member (out, member, obj);
  respond_object (response, out);
}

static void
respond_string (PwLocalResponse *response,
                const char      *member,
                const char      *value)
{
  g_autoptr(JsonObject) out = json_object_new ();

  json_object_set_string_member (out, member, value);
  respond_object (response, out);
}

static void
respond_empty (PwLocalResponse *response)
{
  g_autoptr(JsonObject) out = json_object_new ();

  respond_object (response, out);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  Resource *x = *(Resource **) a;
  Resource *y = *(Resource **) b;
  double dx = json_object_get_double_member_with_default (x->obj, "creationDateTime", 0);
  double dy = json_object_get_double_member_with_default (y->obj, "creationDateTime", 0);

  if (dx != dy)
    return dx < dy ? 1 : -1;
  return strcmp (x->arn, y->arn);
}

typedef gboolean (*FilterFunc) (Resource *r, const char *value);

static gboolean
list_page_full (PwLocalPersonalize  *self,
           Kind                 kind,
           JsonObject          *input,
           const char          *filter_member,
           const char          *filter_value,
           FilterFunc           filter,
           const char          *list_name,
           const char * const  *fields,
           PwLocalResponse     *response,
           GError             **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(JsonObject) out = json_object_new ();
  JsonArray *list = json_array_new ();
  GHashTableIter iter;
  gpointer value;
  gint64 max_results = 100;
  guint64 offset = 0;
  const char *token = get_str (input, "nextToken");

  if (json_object_has_member (input, "maxResults")
      && !JSON_NODE_HOLDS_NULL (json_object_get_member (input, "maxResults")))
    {
      max_results = json_object_get_int_member (input, "maxResults");
      if (max_results < 1 || max_results > 100)
        {
          json_array_unref (list);
          return pw_local_invalid_input (error, "1 validation error detected: Value '%" G_GINT64_FORMAT "' at "
                                         "'maxResults' failed to satisfy constraint: Member must have value "
                                         "between 1 and 100", max_results);
        }
    }
  if (token != NULL)
    {
      gsize len = 0;
      g_autofree guchar *raw = strlen (token) <= 1500 ? g_base64_decode (token, &len) : NULL;
      g_autofree char *text = raw != NULL ? g_strndup ((const char *) raw, len) : NULL;
      char *end = NULL;

      if (text == NULL || !g_str_has_prefix (text, "pw1:")
          || (offset = g_ascii_strtoull (text + 4, &end, 10), end == text + 4 || *end != '\0'))
        {
          json_array_unref (list);
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_NEXT_TOKEN,
                       "The nextToken is not valid; pass the nextToken of the previous answer unchanged");
          return FALSE;
        }
    }

  g_hash_table_iter_init (&iter, self->resources);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Resource *r = value;

      if (r->kind != kind)
        continue;
      if (filter_member != NULL && filter_value != NULL
          && g_strcmp0 (json_object_get_string_member_with_default (r->obj, filter_member, NULL), filter_value) != 0)
        continue;
      if (filter != NULL && filter_value != NULL && !filter (r, filter_value))
        continue;
      g_ptr_array_add (all, r);
    }
  g_ptr_array_sort (all, compare_newest_first);
  for (guint64 i = offset; i < all->len && i < offset + (guint64) max_results; i++)
    {
      Resource *r = all->pdata[i];

      json_array_add_object_element (list, summary_of (r->obj, fields));
    }
  json_object_set_array_member (out, list_name, list);
  if (offset + (guint64) max_results < all->len)
    {
      g_autofree char *text = g_strdup_printf ("pw1:%" G_GUINT64_FORMAT, offset + (guint64) max_results);
      g_autofree char *next = g_base64_encode ((const guchar *) text, strlen (text));

      json_object_set_string_member (out, "nextToken", next);
    }
  respond_object (response, out);
  return TRUE;
}

static gboolean
list_page (PwLocalPersonalize  *self,
           Kind                 kind,
           JsonObject          *input,
           const char          *filter_member,
           const char          *filter_value,
           const char          *list_name,
           const char * const  *fields,
           PwLocalResponse     *response,
           GError             **error)
{
  return list_page_full (self, kind, input, filter_member, filter_value, NULL, list_name, fields, response, error);
}

static gboolean
check_exists_not (PwLocalPersonalize  *self,
                  const char          *arn,
                  GError             **error)
{
  if (g_hash_table_contains (self->resources, arn))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_ALREADY_EXISTS,
                   "Resource Arn %s already exists.", arn);
      return FALSE;
    }
  return TRUE;
}

static gboolean
require_active (Resource    *r,
                const char  *what,
                GError     **error)
{
  if (strcmp (pw_local_status (r), STATUS_ACTIVE) != 0)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "%s %s is not ACTIVE (its status is %s); wait until Describe reports ACTIVE.",
                   what, r->arn, pw_local_status (r));
      return FALSE;
    }
  return TRUE;
}

static void
copy_member (JsonObject *to,
             JsonObject *from,
             const char *name)
{
  JsonNode *node = json_object_get_member (from, name);

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    json_object_set_member (to, name, json_node_copy (node));
}

static const char *
group_name_of (PwLocalPersonalize *self,
               const char         *group_arn)
{
  return group_arn + strlen (self->prefix) + 1 + strlen ("dataset-group/");
}

/* ---- dataset groups ---- */

static void
op_create_dataset_group (PwLocalPersonalize *self,
                         JsonObject         *in,
                         PwLocalResponse    *response,
                         GError            **error)
{
  const char *domain = get_str (in, "domain");
  g_autofree char *arn = NULL;
  Resource *r;

  if (!check_name (in, "name", error) || !check_role_arn (in, "roleArn", error) || !check_tags (in, error))
    return;
  if (domain != NULL && strcmp (domain, "ECOMMERCE") != 0 && strcmp (domain, "VIDEO_ON_DEMAND") != 0)
    {
      pw_local_invalid_input (error, "1 validation error detected: Value '%s' at 'domain' failed to satisfy "
                              "constraint: Member must satisfy enum value set: [ECOMMERCE, VIDEO_ON_DEMAND]", domain);
      return;
    }
  arn = make_arn (self, KIND_DATASET_GROUP, get_str (in, "name"));
  if (!check_exists_not (self, arn, error))
    return;
  r = resource_new (KIND_DATASET_GROUP, arn);
  json_object_set_string_member (r->obj, "name", get_str (in, "name"));
  json_object_set_string_member (r->obj, "datasetGroupArn", arn);
  set_status (r, STATUS_CREATE_PENDING);
  copy_member (r->obj, in, "roleArn");
  copy_member (r->obj, in, "kmsKeyArn");
  copy_member (r->obj, in, "domain");
  copy_member (r->internal, in, "tags");
  if (add_resource (self, r, error) == NULL)
    return;
  queue_job (self, r, FALSE);
  {
    g_autoptr(JsonObject) out = json_object_new ();

    json_object_set_string_member (out, "datasetGroupArn", arn);
    copy_member (out, in, "domain");
    respond_object (response, out);
  }
}

static void
op_describe (PwLocalPersonalize *self,
             JsonObject         *in,
             Kind                kind,
             const char         *member,
             PwLocalResponse    *response,
             GError            **error)
{
  Resource *r;
  JsonObject *obj;

  if (!check_arn (in, kind_arn_members[kind], error))
    return;
  r = pw_local_lookup (self, get_str (in, kind_arn_members[kind]), kind, error);
  if (r == NULL)
    return;
  obj = copy_object (r->obj);
  if (kind == KIND_SOLUTION)
    {
      /* The newest version, as a summary. */
      GHashTableIter iter;
      gpointer value;
      Resource *latest = NULL;

      g_hash_table_iter_init (&iter, self->resources);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Resource *v = value;

          if (v->kind == KIND_SOLUTION_VERSION
              && g_strcmp0 (json_object_get_string_member (v->obj, "solutionArn"), r->arn) == 0
              && (latest == NULL || compare_newest_first (&v, &latest) < 0))
            latest = v;
        }
      if (latest != NULL)
        {
          static const char * const fields[] = {
            "solutionVersionArn", "status", "trainingMode", "trainingType", "creationDateTime",
            "lastUpdatedDateTime", "failureReason", NULL };

          json_object_set_object_member (obj, "latestSolutionVersion", summary_of (latest->obj, fields));
        }
    }
  respond_member (response, member, obj);
}

static void
op_describe_dataset_group (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  op_describe (self, in, KIND_DATASET_GROUP, "datasetGroup", response, error);
}

static void
op_list_dataset_groups (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "name", "datasetGroupArn", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason", "domain", NULL };

  list_page (self, KIND_DATASET_GROUP, in, NULL, NULL, "datasetGroups", fields, response, error);
}

static gboolean
refuse_if_busy (Resource    *r,
                GError     **error)
{
  if (is_creating (r) || is_deleting (r) || pw_local_is_updating (r))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "%s is %s; wait until it is ACTIVE or CREATE FAILED.", r->arn, pw_local_status (r));
      return FALSE;
    }
  return TRUE;
}

static Resource *
find_child (PwLocalPersonalize *self,
            Kind                kind,
            const char         *member,
            const char         *value,
            gboolean            only_running)
{
  GHashTableIter iter;
  gpointer v;

  g_hash_table_iter_init (&iter, self->resources);
  while (g_hash_table_iter_next (&iter, NULL, &v))
    {
      Resource *r = v;

      if (r->kind == kind
          && g_strcmp0 (json_object_get_string_member_with_default (r->obj, member, NULL), value) == 0
          && (!only_running || is_creating (r)))
        return r;
    }
  return NULL;
}

static void
start_delete (PwLocalPersonalize  *self,
              Resource            *r,
              PwLocalResponse     *response,
              GError             **error)
{
  set_status (r, STATUS_DELETE_PENDING);
  if (!pw_local_persist (self, r, error))
    return;
  queue_job (self, r, TRUE);
  respond_empty (response);
}

static void
op_delete_dataset_group (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  Resource *r;
  Resource *child;

  if (!check_arn (in, "datasetGroupArn", error)
      || (r = pw_local_lookup (self, get_str (in, "datasetGroupArn"), KIND_DATASET_GROUP, error)) == NULL
      || !refuse_if_busy (r, error))
    return;
  if ((child = find_child (self, KIND_EVENT_TRACKER, "datasetGroupArn", r->arn, FALSE)) != NULL
      || (child = find_child (self, KIND_SOLUTION, "datasetGroupArn", r->arn, FALSE)) != NULL
      || (child = find_child (self, KIND_DATASET, "datasetGroupArn", r->arn, FALSE)) != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "Cannot delete dataset group %s: %s still uses it; delete its event trackers, "
                   "solutions and datasets first.", r->arn, child->arn);
      return;
    }
  start_delete (self, r, response, error);
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
  if (g_strcmp0 (get_str (obj, "type"), "record") != 0)
    return pw_local_invalid_input (error, "The schema's \"type\" must be \"record\"");
  if (!valid_field_name (get_str (obj, "name")))
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
      name = get_str (field, "name");
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

static void
op_create_schema (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  const char *domain = get_str (in, "domain");
  g_autofree char *arn = NULL;
  Resource *r;

  if (!check_name (in, "name", error) || !pw_local_validate_avro_schema (get_str (in, "schema"), error))
    return;
  if (domain != NULL && strcmp (domain, "ECOMMERCE") != 0 && strcmp (domain, "VIDEO_ON_DEMAND") != 0)
    {
      pw_local_invalid_input (error, "1 validation error detected: Value '%s' at 'domain' failed to satisfy "
                              "constraint: Member must satisfy enum value set: [ECOMMERCE, VIDEO_ON_DEMAND]", domain);
      return;
    }
  arn = make_arn (self, KIND_SCHEMA, get_str (in, "name"));
  if (!check_exists_not (self, arn, error))
    return;
  r = resource_new (KIND_SCHEMA, arn);
  json_object_set_string_member (r->obj, "name", get_str (in, "name"));
  json_object_set_string_member (r->obj, "schemaArn", arn);
  json_object_set_string_member (r->obj, "schema", get_str (in, "schema"));
  copy_member (r->obj, in, "domain");
  if (add_resource (self, r, error) != NULL)
    respond_string (response, "schemaArn", arn);
}

static void
op_describe_schema (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  op_describe (self, in, KIND_SCHEMA, "schema", response, error);
}

static void
op_list_schemas (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "name", "schemaArn", "creationDateTime", "lastUpdatedDateTime", "domain", NULL };

  list_page (self, KIND_SCHEMA, in, NULL, NULL, "schemas", fields, response, error);
}

static void
op_delete_schema (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  Resource *r;
  Resource *user;

  if (!check_arn (in, "schemaArn", error)
      || (r = pw_local_lookup (self, get_str (in, "schemaArn"), KIND_SCHEMA, error)) == NULL)
    return;
  if ((user = find_child (self, KIND_DATASET, "schemaArn", r->arn, FALSE)) != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "Cannot delete schema %s: dataset %s uses it; delete the dataset first.", r->arn, user->arn);
      return;
    }
  if (!unpersist (self, r, error))
    return;
  g_hash_table_remove (self->resources, r->arn);
  respond_empty (response);
}

/* ---- datasets ---- */

static void
op_create_dataset (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const types[] = { "INTERACTIONS", "ITEMS", "USERS", "ACTIONS", "ACTION_INTERACTIONS", NULL };
  g_autofree char *type = NULL;
  g_autofree char *id = NULL;
  g_autofree char *arn = NULL;
  Resource *group;
  Resource *schema;
  Resource *r;

  if (!check_name (in, "name", error) || !check_arn (in, "schemaArn", error)
      || !check_arn (in, "datasetGroupArn", error) || !check_tags (in, error))
    return;
  type = g_ascii_strup (get_str (in, "datasetType"), -1);
  if (!g_strv_contains (types, type))
    {
      pw_local_invalid_input (error, "Invalid datasetType %s: use Interactions, Items, Users, Actions or "
                              "Action_Interactions", get_str (in, "datasetType"));
      return;
    }
  if ((group = pw_local_lookup (self, get_str (in, "datasetGroupArn"), KIND_DATASET_GROUP, error)) == NULL
      || (schema = pw_local_lookup (self, get_str (in, "schemaArn"), KIND_SCHEMA, error)) == NULL
      || !require_active (group, "Dataset group", error))
    return;
  if (!schema_fits_type (json_object_get_string_member (schema->obj, "schema"), type, error))
    return;
  id = g_strdup_printf ("%s/%s", group_name_of (self, group->arn), type);
  arn = make_arn (self, KIND_DATASET, id);
  if (!check_exists_not (self, arn, error))
    return;
  r = resource_new (KIND_DATASET, arn);
  json_object_set_string_member (r->obj, "name", get_str (in, "name"));
  json_object_set_string_member (r->obj, "datasetArn", arn);
  json_object_set_string_member (r->obj, "datasetGroupArn", group->arn);
  json_object_set_string_member (r->obj, "datasetType", type);
  json_object_set_string_member (r->obj, "schemaArn", schema->arn);
  set_status (r, STATUS_CREATE_PENDING);
  copy_member (r->internal, in, "tags");
  json_object_set_array_member (r->internal, "files", json_array_new ());
  if (add_resource (self, r, error) == NULL)
    return;
  queue_job (self, r, FALSE);
  respond_string (response, "datasetArn", arn);
}

static void
op_describe_dataset (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  op_describe (self, in, KIND_DATASET, "dataset", response, error);
}

static void
op_list_datasets (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "name", "datasetArn", "datasetType", "status", "creationDateTime", "lastUpdatedDateTime", NULL };

  if (check_arn (in, "datasetGroupArn", error))
    list_page (self, KIND_DATASET, in, "datasetGroupArn", get_str (in, "datasetGroupArn"),
               "datasets", fields, response, error);
}

static void
op_delete_dataset (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  Resource *r;
  Resource *busy;
  GHashTableIter iter;
  gpointer value;

  if (!check_arn (in, "datasetArn", error)
      || (r = pw_local_lookup (self, get_str (in, "datasetArn"), KIND_DATASET, error)) == NULL
      || !refuse_if_busy (r, error))
    return;
  if ((busy = find_child (self, KIND_IMPORT_JOB, "datasetArn", r->arn, TRUE)) != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "Cannot delete dataset %s while import job %s is running.", r->arn, busy->arn);
      return;
    }
  g_hash_table_iter_init (&iter, self->resources);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Resource *v = value;

      if (v->kind == KIND_SOLUTION_VERSION && is_creating (v)
          && g_strcmp0 (json_object_get_string_member (v->obj, "datasetGroupArn"),
                        json_object_get_string_member (r->obj, "datasetGroupArn")) == 0)
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                       "Cannot delete dataset %s while solution version %s is training on it.", r->arn, v->arn);
          return;
        }
    }
  start_delete (self, r, response, error);
}

/* ---- import jobs ---- */

static void
op_create_import (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  JsonObject *source = json_object_get_object_member (in, "dataSource");
  const char *location = get_str (source, "dataLocation");
  const char *mode = get_str (in, "importMode");
  g_autofree char *arn = NULL;
  Resource *dataset;
  Resource *r;
  JsonObject *ds;

  if (!check_name (in, "jobName", error) || !check_arn (in, "datasetArn", error)
      || !check_role_arn (in, "roleArn", error) || !check_tags (in, error)
      || !check_s3_path (location, "dataSource.dataLocation", error))
    return;
  if (mode != NULL && strcmp (mode, "FULL") != 0 && strcmp (mode, "INCREMENTAL") != 0)
    {
      pw_local_invalid_input (error, "1 validation error detected: Value '%s' at 'importMode' failed to satisfy "
                              "constraint: Member must satisfy enum value set: [FULL, INCREMENTAL]", mode);
      return;
    }
  if ((dataset = pw_local_lookup (self, get_str (in, "datasetArn"), KIND_DATASET, error)) == NULL
      || !require_active (dataset, "Dataset", error))
    return;
  arn = make_arn (self, KIND_IMPORT_JOB, get_str (in, "jobName"));
  if (!check_exists_not (self, arn, error))
    return;
  r = resource_new (KIND_IMPORT_JOB, arn);
  json_object_set_string_member (r->obj, "jobName", get_str (in, "jobName"));
  json_object_set_string_member (r->obj, "datasetImportJobArn", arn);
  json_object_set_string_member (r->obj, "datasetArn", dataset->arn);
  ds = json_object_new ();
  json_object_set_string_member (ds, "dataLocation", location);
  json_object_set_object_member (r->obj, "dataSource", ds);
  copy_member (r->obj, in, "roleArn");
  set_status (r, STATUS_CREATE_PENDING);
  json_object_set_string_member (r->obj, "importMode", mode != NULL ? mode : "FULL");
  json_object_set_boolean_member (r->obj, "publishAttributionMetricsToS3",
                                  get_bool (in, "publishAttributionMetricsToS3", FALSE));
  copy_member (r->internal, in, "tags");
  if (add_resource (self, r, error) == NULL)
    return;
  queue_job (self, r, FALSE);
  respond_string (response, "datasetImportJobArn", arn);
}

static void
op_describe_import (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  op_describe (self, in, KIND_IMPORT_JOB, "datasetImportJob", response, error);
}

static void
op_list_imports (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "datasetImportJobArn", "jobName", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason",
    "importMode", NULL };

  if (check_arn (in, "datasetArn", error))
    list_page (self, KIND_IMPORT_JOB, in, "datasetArn", get_str (in, "datasetArn"),
               "datasetImportJobs", fields, response, error);
}

/* ---- recipes ---- */

#define RECIPE_DATE 1543622400.0 /* 2018-12-01, when Personalize was announced */

static JsonObject *
recipe_object (const char *name,
               gboolean    full)
{
  JsonObject *obj = json_object_new ();
  g_autofree char *arn = g_strdup_printf ("arn:aws:personalize:::recipe/%s", name);
  PwRecipe recipe;
  const char *note = NULL;

  pw_recipe_from_name (name, &recipe, &note);
  json_object_set_string_member (obj, "name", name);
  json_object_set_string_member (obj, "recipeArn", arn);
  json_object_set_string_member (obj, "status", STATUS_ACTIVE);
  json_object_set_double_member (obj, "creationDateTime", RECIPE_DATE);
  json_object_set_double_member (obj, "lastUpdatedDateTime", RECIPE_DATE);
  if (full)
    {
      g_autofree char *algorithm = g_strdup_printf ("arn:aws:personalize:::algorithm/%s", name);
      g_autofree char *type = g_strdup (pw_recipe_type_to_string (pw_recipe_get_type_for (recipe)));

      json_object_set_string_member (obj, "algorithmArn", algorithm);
      json_object_set_string_member (obj, "recipeType", type);
      json_object_set_string_member (obj, "description",
                                     note != NULL ? note : "Trained by the personalize-local engine");
    }
  return obj;
}

static void
op_list_recipes (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  const char * const *names = pw_recipe_list_names ();
  const char *provider = get_str (in, "recipeProvider");
  const char *domain = get_str (in, "domain");
  g_autoptr(JsonObject) out = json_object_new ();
  JsonArray *list = json_array_new ();

  if (provider != NULL && strcmp (provider, "SERVICE") != 0)
    {
      json_array_unref (list);
      pw_local_invalid_input (error, "1 validation error detected: Value '%s' at 'recipeProvider' failed to satisfy "
                              "constraint: Member must satisfy enum value set: [SERVICE]", provider);
      return;
    }
  if (json_object_has_member (in, "nextToken") && get_str (in, "nextToken") != NULL)
    {
      json_array_unref (list);
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_NEXT_TOKEN,
                   "The nextToken is not valid (every recipe fits on one page)");
      return;
    }
  if (domain == NULL)
    for (guint i = 0; names[i] != NULL; i++)
      json_array_add_object_element (list, recipe_object (names[i], FALSE));
  json_object_set_array_member (out, "recipes", list);
  respond_object (response, out);
}

static void
op_describe_recipe (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  const char *arn = get_str (in, "recipeArn");
  PwRecipe recipe;

  if (!g_str_has_prefix (arn, "arn:aws:personalize:::recipe/")
      || !pw_recipe_from_name (arn + strlen ("arn:aws:personalize:::recipe/"), &recipe, NULL))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_NOT_FOUND,
                   "Resource Arn %s does not exist.", arn);
      return;
    }
  respond_member (response, "recipe", recipe_object (arn + strlen ("arn:aws:personalize:::recipe/"), TRUE));
}

/* ---- solutions ---- */

static void
op_create_solution (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  const char *recipe_arn = get_str (in, "recipeArn");
  g_autofree char *arn = NULL;
  Resource *group;
  Resource *r;
  PwRecipe recipe;

  if (!check_name (in, "name", error) || !check_arn (in, "datasetGroupArn", error) || !check_tags (in, error))
    return;
  if (get_bool (in, "performAutoML", FALSE))
    {
      pw_local_invalid_input (error, "personalize-local does not run AutoML; set performAutoML to false and pass a "
                              "recipeArn (ListRecipes shows them)");
      return;
    }
  if (recipe_arn == NULL)
    {
      pw_local_invalid_input (error, "recipeArn is required when performAutoML is false");
      return;
    }
  if (!g_str_has_prefix (recipe_arn, "arn:aws:personalize:::recipe/")
      || !pw_recipe_from_name (recipe_arn + strlen ("arn:aws:personalize:::recipe/"), &recipe, NULL))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_NOT_FOUND,
                   "Resource Arn %s does not exist (ListRecipes shows the recipes personalize-local trains).",
                   recipe_arn);
      return;
    }
  if (json_object_has_member (in, "solutionConfig"))
    {
      JsonObject *config = json_object_get_object_member (in, "solutionConfig");
      JsonNode *threshold = json_object_get_member (config, "eventValueThreshold");
      JsonNode *hp = json_object_get_member (config, "algorithmHyperParameters");

      if (threshold != NULL && !node_has_type (threshold, T_STR))
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_SERIALIZATION,
                       "solutionConfig.eventValueThreshold must be a string such as \"3.5\"");
          return;
        }
      if (threshold != NULL)
        {
          char *end = NULL;
          g_ascii_strtod (json_node_get_string (threshold), &end);
          if (end == json_node_get_string (threshold) || *end != '\0')
            {
              pw_local_invalid_input (error, "solutionConfig.eventValueThreshold \"%s\" is not a number",
                                      json_node_get_string (threshold));
              return;
            }
        }
      if (hp != NULL && !node_has_type (hp, T_MAP))
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_SERIALIZATION,
                       "solutionConfig.algorithmHyperParameters must map names to strings");
          return;
        }
    }
  if ((group = pw_local_lookup (self, get_str (in, "datasetGroupArn"), KIND_DATASET_GROUP, error)) == NULL
      || !require_active (group, "Dataset group", error))
    return;
  arn = make_arn (self, KIND_SOLUTION, get_str (in, "name"));
  if (!check_exists_not (self, arn, error))
    return;
  r = resource_new (KIND_SOLUTION, arn);
  json_object_set_string_member (r->obj, "name", get_str (in, "name"));
  json_object_set_string_member (r->obj, "solutionArn", arn);
  json_object_set_boolean_member (r->obj, "performHPO", get_bool (in, "performHPO", FALSE));
  json_object_set_boolean_member (r->obj, "performAutoML", FALSE);
  json_object_set_boolean_member (r->obj, "performAutoTraining", get_bool (in, "performAutoTraining", TRUE));
  json_object_set_string_member (r->obj, "recipeArn", recipe_arn);
  json_object_set_string_member (r->obj, "datasetGroupArn", group->arn);
  copy_member (r->obj, in, "eventType");
  copy_member (r->obj, in, "solutionConfig");
  set_status (r, STATUS_CREATE_PENDING);
  copy_member (r->internal, in, "tags");
  if (add_resource (self, r, error) == NULL)
    return;
  queue_job (self, r, FALSE);
  respond_string (response, "solutionArn", arn);
}

static void
op_describe_solution (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  op_describe (self, in, KIND_SOLUTION, "solution", response, error);
}

static void
op_list_solutions (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "name", "solutionArn", "status", "creationDateTime", "lastUpdatedDateTime", "recipeArn", NULL };

  if (check_arn (in, "datasetGroupArn", error))
    list_page (self, KIND_SOLUTION, in, "datasetGroupArn", get_str (in, "datasetGroupArn"),
               "solutions", fields, response, error);
}

static Resource *
find_campaign_of_solution (PwLocalPersonalize *self,
                           Resource           *solution)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->resources);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Resource *c = value;
      const char *version;

      if (c->kind != KIND_CAMPAIGN)
        continue;
      version = json_object_get_string_member (c->obj, "solutionVersionArn");
      if (g_str_has_prefix (version, solution->arn) && version[strlen (solution->arn)] == '/')
        return c;
    }
  return NULL;
}

static void
op_delete_solution (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  Resource *r;
  Resource *busy;

  if (!check_arn (in, "solutionArn", error)
      || (r = pw_local_lookup (self, get_str (in, "solutionArn"), KIND_SOLUTION, error)) == NULL
      || !refuse_if_busy (r, error))
    return;
  if ((busy = find_campaign_of_solution (self, r)) != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "Cannot delete solution %s: campaign %s uses one of its versions; delete the campaign first.",
                   r->arn, busy->arn);
      return;
    }
  if ((busy = find_child (self, KIND_SOLUTION_VERSION, "solutionArn", r->arn, TRUE)) != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "Cannot delete solution %s while version %s is training.", r->arn, busy->arn);
      return;
    }
  start_delete (self, r, response, error);
}

/* ---- solution versions ---- */

static void
op_create_version (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  const char *mode = get_str (in, "trainingMode");
  g_autofree char *hex = NULL;
  g_autofree char *arn = NULL;
  Resource *solution;
  Resource *busy;
  Resource *r;
  PwRecipe recipe;

  if (!check_arn (in, "solutionArn", error) || !check_name (in, "name", error) || !check_tags (in, error))
    return;
  if (mode == NULL)
    mode = "FULL";
  if (strcmp (mode, "FULL") != 0 && strcmp (mode, "UPDATE") != 0 && strcmp (mode, "AUTOTRAIN") != 0)
    {
      pw_local_invalid_input (error, "1 validation error detected: Value '%s' at 'trainingMode' failed to satisfy "
                              "constraint: Member must satisfy enum value set: [FULL, UPDATE, AUTOTRAIN]", mode);
      return;
    }
  if ((solution = pw_local_lookup (self, get_str (in, "solutionArn"), KIND_SOLUTION, error)) == NULL
      || !require_active (solution, "Solution", error))
    return;
  pw_local_recipe_of (solution, &recipe);
  if (strcmp (mode, "UPDATE") == 0)
    {
      GHashTableIter iter;
      gpointer value;
      gboolean has_full = FALSE;

      g_hash_table_iter_init (&iter, self->resources);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Resource *v = value;

          if (v->kind == KIND_SOLUTION_VERSION
              && g_strcmp0 (json_object_get_string_member (v->obj, "solutionArn"), solution->arn) == 0
              && strcmp (pw_local_status (v), STATUS_ACTIVE) == 0)
            has_full = TRUE;
        }
      if (recipe != PW_RECIPE_USER_PERSONALIZATION || !has_full)
        {
          pw_local_invalid_input (error, "trainingMode UPDATE needs a user-personalization solution with an ACTIVE "
                                  "FULL version; train with trainingMode FULL first");
          return;
        }
    }
  if ((busy = find_child (self, KIND_SOLUTION_VERSION, "solutionArn", solution->arn, TRUE)) != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "There is already a solution version in progress for %s: %s.", solution->arn, busy->arn);
      return;
    }
  do
    {
      g_free (hex);
      g_free (arn);
      hex = random_hex8 ();
      arn = g_strdup_printf ("%s/%s", solution->arn, hex);
    }
  while (g_hash_table_contains (self->resources, arn));
  r = resource_new (KIND_SOLUTION_VERSION, arn);
  copy_member (r->obj, in, "name");
  json_object_set_string_member (r->obj, "solutionVersionArn", arn);
  json_object_set_string_member (r->obj, "solutionArn", solution->arn);
  copy_member (r->obj, solution->obj, "performHPO");
  copy_member (r->obj, solution->obj, "performAutoML");
  copy_member (r->obj, solution->obj, "recipeArn");
  copy_member (r->obj, solution->obj, "eventType");
  copy_member (r->obj, solution->obj, "datasetGroupArn");
  copy_member (r->obj, solution->obj, "solutionConfig");
  json_object_set_string_member (r->obj, "trainingMode", mode);
  json_object_set_string_member (r->obj, "trainingType", "MANUAL");
  set_status (r, STATUS_CREATE_PENDING);
  copy_member (r->internal, in, "tags");
  if (add_resource (self, r, error) == NULL)
    return;
  queue_job (self, r, FALSE);
  respond_string (response, "solutionVersionArn", arn);
}

static void
op_describe_version (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  op_describe (self, in, KIND_SOLUTION_VERSION, "solutionVersion", response, error);
}

static void
op_list_versions (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "solutionVersionArn", "status", "trainingMode", "trainingType", "creationDateTime", "lastUpdatedDateTime",
    "failureReason", NULL };

  if (check_arn (in, "solutionArn", error))
    list_page (self, KIND_SOLUTION_VERSION, in, "solutionArn", get_str (in, "solutionArn"),
               "solutionVersions", fields, response, error);
}

static void
op_get_solution_metrics (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  Resource *r;
  g_autoptr(JsonObject) out = json_object_new ();
  JsonNode *metrics;

  if (!check_arn (in, "solutionVersionArn", error)
      || (r = pw_local_lookup (self, get_str (in, "solutionVersionArn"), KIND_SOLUTION_VERSION, error)) == NULL
      || !require_active (r, "Solution version", error))
    return;
  json_object_set_string_member (out, "solutionVersionArn", r->arn);
  metrics = json_object_get_member (r->internal, "metrics");
  json_object_set_member (out, "metrics",
                          metrics != NULL ? json_node_copy (metrics)
                                          : json_node_init_object (json_node_alloc (), json_object_new ()));
  respond_object (response, out);
}

/* ---- campaigns ---- */

static Resource *
resolve_version (PwLocalPersonalize  *self,
                 const char          *arn,
                 GError             **error)
{
  if (g_str_has_suffix (arn, "/$LATEST"))
    {
      g_autofree char *solution_arn = g_strndup (arn, strlen (arn) - strlen ("/$LATEST"));
      GHashTableIter iter;
      gpointer value;
      Resource *latest = NULL;

      if (pw_local_lookup (self, solution_arn, KIND_SOLUTION, error) == NULL)
        return NULL;
      g_hash_table_iter_init (&iter, self->resources);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Resource *v = value;

          if (v->kind == KIND_SOLUTION_VERSION && strcmp (pw_local_status (v), STATUS_ACTIVE) == 0
              && g_strcmp0 (json_object_get_string_member (v->obj, "solutionArn"), solution_arn) == 0
              && (latest == NULL || compare_newest_first (&v, &latest) < 0))
            latest = v;
        }
      if (latest == NULL)
        g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                     "Solution %s has no ACTIVE version yet.", solution_arn);
      return latest;
    }
  return pw_local_lookup (self, arn, KIND_SOLUTION_VERSION, error);
}

static gboolean
check_exploration (JsonObject  *config,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (config, "itemExplorationConfig");
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!node_has_type (node, T_MAP))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_SERIALIZATION,
                   "itemExplorationConfig must map names to strings, e.g. {\"explorationWeight\": \"0.3\"}");
      return FALSE;
    }
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &value))
    {
      const char *text = json_node_get_string (value);
      char *end = NULL;
      double v = g_ascii_strtod (text, &end);

      if (strcmp (name, "explorationWeight") != 0 && strcmp (name, "explorationItemAgeCutOff") != 0)
        return pw_local_invalid_input (error, "Unknown itemExplorationConfig key %s: use explorationWeight or "
                                       "explorationItemAgeCutOff", name);
      if (end == text || *end != '\0')
        return pw_local_invalid_input (error, "itemExplorationConfig.%s \"%s\" is not a number", name, text);
      if (strcmp (name, "explorationWeight") == 0 && (v < 0 || v > 1))
        return pw_local_invalid_input (error, "itemExplorationConfig.explorationWeight %s must be between 0 and 1",
                                       text);
      if (strcmp (name, "explorationItemAgeCutOff") == 0 && v <= 0)
        return pw_local_invalid_input (error, "itemExplorationConfig.explorationItemAgeCutOff %s must be more than 0 "
                                       "days", text);
    }
  return TRUE;
}

static void
op_create_campaign (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  g_autofree char *arn = NULL;
  Resource *version;
  Resource *r;
  gint64 tps = 1;

  if (!check_name (in, "name", error) || !check_tags (in, error))
    return;
  if (json_object_has_member (in, "minProvisionedTPS")
      && !JSON_NODE_HOLDS_NULL (json_object_get_member (in, "minProvisionedTPS")))
    {
      tps = json_object_get_int_member (in, "minProvisionedTPS");
      if (tps < 1)
        {
          pw_local_invalid_input (error, "1 validation error detected: Value '%" G_GINT64_FORMAT "' at "
                                  "'minProvisionedTPS' failed to satisfy constraint: Member must have value "
                                  "greater than or equal to 1", tps);
          return;
        }
    }
  if (json_object_has_member (in, "campaignConfig")
      && !check_exploration (json_object_get_object_member (in, "campaignConfig"), error))
    return;
  if (!check_arn (in, "solutionVersionArn", error)
      || (version = resolve_version (self, get_str (in, "solutionVersionArn"), error)) == NULL
      || !require_active (version, "Solution version", error))
    return;
  arn = make_arn (self, KIND_CAMPAIGN, get_str (in, "name"));
  if (!check_exists_not (self, arn, error))
    return;
  r = resource_new (KIND_CAMPAIGN, arn);
  json_object_set_string_member (r->obj, "name", get_str (in, "name"));
  json_object_set_string_member (r->obj, "campaignArn", arn);
  json_object_set_string_member (r->obj, "solutionVersionArn", version->arn);
  json_object_set_int_member (r->obj, "minProvisionedTPS", tps);
  copy_member (r->obj, in, "campaignConfig");
  set_status (r, STATUS_CREATE_PENDING);
  copy_member (r->internal, in, "tags");
  if (add_resource (self, r, error) == NULL)
    return;
  queue_job (self, r, FALSE);
  respond_string (response, "campaignArn", arn);
}

static void
op_describe_campaign (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  op_describe (self, in, KIND_CAMPAIGN, "campaign", response, error);
}

/* Campaigns record their version; a version's ARN is SOLUTION/HEX. */
static gboolean
campaign_of_solution (Resource   *c,
                      const char *solution_arn)
{
  const char *version = json_object_get_string_member (c->obj, "solutionVersionArn");
  gsize len = strlen (solution_arn);

  return strncmp (version, solution_arn, len) == 0 && version[len] == '/' && strchr (version + len + 1, '/') == NULL;
}

static void
op_list_campaigns (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "name", "campaignArn", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason", NULL };
  if (!check_arn (in, "solutionArn", error))
    return;
  list_page_full (self, KIND_CAMPAIGN, in, NULL, get_str (in, "solutionArn"), campaign_of_solution,
                  "campaigns", fields, response, error);
}

static void
op_delete_campaign (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  Resource *r;

  if (!check_arn (in, "campaignArn", error)
      || (r = pw_local_lookup (self, get_str (in, "campaignArn"), KIND_CAMPAIGN, error)) == NULL
      || !refuse_if_busy (r, error))
    return;
  start_delete (self, r, response, error);
}

/* For UpdateCampaign (pw-local-update-campaign.c). */
gboolean
pw_local_check_exploration (JsonObject  *config,
                            GError     **error)
{
  return check_exploration (config, error);
}

Resource *
pw_local_resolve_active_version (PwLocalPersonalize  *self,
                                 const char          *arn,
                                 GError             **error)
{
  Resource *version = resolve_version (self, arn, error);

  if (version == NULL || !require_active (version, "Solution version", error))
    return NULL;
  return version;
}

void
pw_local_set_status (Resource   *r,
                     const char *status)
{
  set_status (r, status);
}

void
pw_local_queue_update (PwLocalPersonalize *self,
                       Resource           *r)
{
  Job *job = g_new0 (Job, 1);

  job->self = self;
  job->arn = g_strdup (r->arn);
  job->update = TRUE;
  g_thread_pool_push (self->quick_pool, job, NULL);
}

/* ---- event trackers ---- */

static void
op_create_tracker (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  g_autofree char *hex = NULL;
  g_autofree char *arn = NULL;
  g_autofree char *tracking_id = NULL;
  g_autofree char *events_arn = NULL;
  Resource *group;
  Resource *existing;
  Resource *r;

  if (!check_name (in, "name", error) || !check_arn (in, "datasetGroupArn", error) || !check_tags (in, error))
    return;
  if ((group = pw_local_lookup (self, get_str (in, "datasetGroupArn"), KIND_DATASET_GROUP, error)) == NULL
      || !require_active (group, "Dataset group", error))
    return;
  if ((existing = find_child (self, KIND_EVENT_TRACKER, "datasetGroupArn", group->arn, FALSE)) != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_ALREADY_EXISTS,
                   "Dataset group %s already has an event tracker (%s); a group has at most one.",
                   group->arn, existing->arn);
      return;
    }
  if ((existing = find_child (self, KIND_EVENT_TRACKER, "name", get_str (in, "name"), FALSE)) != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_ALREADY_EXISTS,
                   "An event tracker named %s already exists: %s.", get_str (in, "name"), existing->arn);
      return;
    }
  do
    {
      g_free (hex);
      g_free (arn);
      hex = random_hex8 ();
      arn = make_arn (self, KIND_EVENT_TRACKER, hex);
    }
  while (g_hash_table_contains (self->resources, arn));
  tracking_id = g_uuid_string_random ();
  r = resource_new (KIND_EVENT_TRACKER, arn);
  json_object_set_string_member (r->obj, "name", get_str (in, "name"));
  json_object_set_string_member (r->obj, "eventTrackerArn", arn);
  json_object_set_string_member (r->obj, "accountId", PW_LOCAL_ACCOUNT_ID);
  json_object_set_string_member (r->obj, "trackingId", tracking_id);
  json_object_set_string_member (r->obj, "datasetGroupArn", group->arn);
  set_status (r, STATUS_CREATE_PENDING);
  copy_member (r->internal, in, "tags");
  if (add_resource (self, r, error) == NULL)
    return;
  queue_job (self, r, FALSE);

  /* The EVENT_INTERACTIONS dataset the tracker records into (spec 3). */
  events_arn = g_strdup_printf ("%s:dataset/%s/EVENT_INTERACTIONS", self->prefix, group_name_of (self, group->arn));
  if (!g_hash_table_contains (self->resources, events_arn))
    {
      Resource *interactions;
      g_autofree char *interactions_arn = g_strdup_printf ("%s:dataset/%s/INTERACTIONS", self->prefix,
                                                           group_name_of (self, group->arn));
      Resource *d = resource_new (KIND_DATASET, events_arn);
      g_autofree char *name = g_strdup_printf ("%s-events", get_str (in, "name"));

      json_object_set_string_member (d->obj, "name", name);
      json_object_set_string_member (d->obj, "datasetArn", events_arn);
      json_object_set_string_member (d->obj, "datasetGroupArn", group->arn);
      json_object_set_string_member (d->obj, "datasetType", "EVENT_INTERACTIONS");
      interactions = g_hash_table_lookup (self->resources, interactions_arn);
      if (interactions != NULL)
        copy_member (d->obj, interactions->obj, "schemaArn");
      set_status (d, STATUS_CREATE_PENDING);
      json_object_set_array_member (d->internal, "files", json_array_new ());
      if (add_resource (self, d, NULL) != NULL)
        queue_job (self, d, FALSE);
    }
  {
    g_autoptr(JsonObject) out = json_object_new ();

    json_object_set_string_member (out, "eventTrackerArn", arn);
    json_object_set_string_member (out, "trackingId", tracking_id);
    respond_object (response, out);
  }
}

static void
op_describe_tracker (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  op_describe (self, in, KIND_EVENT_TRACKER, "eventTracker", response, error);
}

static void
op_list_trackers (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "name", "eventTrackerArn", "status", "creationDateTime", "lastUpdatedDateTime", NULL };

  if (check_arn (in, "datasetGroupArn", error))
    list_page (self, KIND_EVENT_TRACKER, in, "datasetGroupArn", get_str (in, "datasetGroupArn"),
               "eventTrackers", fields, response, error);
}

static void
op_delete_tracker (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  Resource *r;

  if (!check_arn (in, "eventTrackerArn", error)
      || (r = pw_local_lookup (self, get_str (in, "eventTrackerArn"), KIND_EVENT_TRACKER, error)) == NULL
      || !refuse_if_busy (r, error))
    return;
  start_delete (self, r, response, error);
}

/* ---- batch inference ---- */

static void
op_create_batch (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  JsonObject *job_input = json_object_get_object_member (in, "jobInput");
  JsonObject *job_output = json_object_get_object_member (in, "jobOutput");
  JsonNode *source = json_object_get_member (job_input, "s3DataSource");
  JsonNode *destination = json_object_get_member (job_output, "s3DataDestination");
  const char *mode = get_str (in, "batchInferenceJobMode");
  const char *input_path;
  const char *output_path;
  g_autofree char *arn = NULL;
  Resource *version;
  Resource *r;
  gint64 num_results = 25;

  if (!check_name (in, "jobName", error) || !check_role_arn (in, "roleArn", error) || !check_tags (in, error))
    return;
  if (source == NULL || !JSON_NODE_HOLDS_OBJECT (source) || destination == NULL
      || !JSON_NODE_HOLDS_OBJECT (destination))
    {
      pw_local_invalid_input (error, "jobInput.s3DataSource and jobOutput.s3DataDestination are required objects "
                              "with a \"path\"");
      return;
    }
  input_path = get_str (json_node_get_object (source), "path");
  output_path = get_str (json_node_get_object (destination), "path");
  if (!check_s3_path (input_path, "jobInput.s3DataSource.path", error)
      || !check_s3_path (output_path, "jobOutput.s3DataDestination.path", error))
    return;
  if (mode != NULL && strcmp (mode, "BATCH_INFERENCE") != 0)
    {
      pw_local_invalid_input (error, "batchInferenceJobMode %s is not supported by personalize-local; use "
                              "BATCH_INFERENCE", mode);
      return;
    }
  if (get_str (in, "filterArn") != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_NOT_FOUND,
                   "Resource Arn %s does not exist (personalize-local has no filters).", get_str (in, "filterArn"));
      return;
    }
  if (json_object_has_member (in, "numResults") && !JSON_NODE_HOLDS_NULL (json_object_get_member (in, "numResults")))
    {
      num_results = json_object_get_int_member (in, "numResults");
      if (num_results < 1 || num_results > 500)
        {
          pw_local_invalid_input (error, "numResults %" G_GINT64_FORMAT " must be between 1 and 500", num_results);
          return;
        }
    }
  if (json_object_has_member (in, "batchInferenceJobConfig")
      && !check_exploration (json_object_get_object_member (in, "batchInferenceJobConfig"), error))
    return;
  if (!check_arn (in, "solutionVersionArn", error)
      || (version = pw_local_lookup (self, get_str (in, "solutionVersionArn"), KIND_SOLUTION_VERSION, error)) == NULL
      || !require_active (version, "Solution version", error))
    return;
  arn = make_arn (self, KIND_BATCH_JOB, get_str (in, "jobName"));
  if (!check_exists_not (self, arn, error))
    return;
  r = resource_new (KIND_BATCH_JOB, arn);
  json_object_set_string_member (r->obj, "jobName", get_str (in, "jobName"));
  json_object_set_string_member (r->obj, "batchInferenceJobArn", arn);
  json_object_set_string_member (r->obj, "solutionVersionArn", version->arn);
  json_object_set_int_member (r->obj, "numResults", num_results);
  copy_member (r->obj, in, "jobInput");
  copy_member (r->obj, in, "jobOutput");
  copy_member (r->obj, in, "batchInferenceJobConfig");
  copy_member (r->obj, in, "roleArn");
  json_object_set_string_member (r->obj, "batchInferenceJobMode", "BATCH_INFERENCE");
  set_status (r, STATUS_CREATE_PENDING);
  copy_member (r->internal, in, "tags");
  if (add_resource (self, r, error) == NULL)
    return;
  queue_job (self, r, FALSE);
  respond_string (response, "batchInferenceJobArn", arn);
}

static void
op_describe_batch (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  op_describe (self, in, KIND_BATCH_JOB, "batchInferenceJob", response, error);
}

static void
op_list_batch (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "batchInferenceJobArn", "jobName", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason",
    "solutionVersionArn", "batchInferenceJobMode", NULL };

  if (check_arn (in, "solutionVersionArn", error))
    list_page (self, KIND_BATCH_JOB, in, "solutionVersionArn", get_str (in, "solutionVersionArn"),
               "batchInferenceJobs", fields, response, error);
}

/* ---- dispatch ---- */

static const Operation operations[] = {
  { "CreateDatasetGroup", op_create_dataset_group, m_create_dataset_group },
  { "DescribeDatasetGroup", op_describe_dataset_group, m_dataset_group_arn },
  { "ListDatasetGroups", op_list_dataset_groups, m_paging },
  { "DeleteDatasetGroup", op_delete_dataset_group, m_dataset_group_arn },
  { "CreateSchema", op_create_schema, m_create_schema },
  { "DescribeSchema", op_describe_schema, m_schema_arn },
  { "ListSchemas", op_list_schemas, m_list_schemas },
  { "DeleteSchema", op_delete_schema, m_schema_arn },
  { "CreateDataset", op_create_dataset, m_create_dataset },
  { "DescribeDataset", op_describe_dataset, m_dataset_arn },
  { "ListDatasets", op_list_datasets, m_list_datasets },
  { "DeleteDataset", op_delete_dataset, m_dataset_arn },
  { "CreateDatasetImportJob", op_create_import, m_create_import },
  { "DescribeDatasetImportJob", op_describe_import, m_import_arn },
  { "ListDatasetImportJobs", op_list_imports, m_list_imports },
  { "ListRecipes", op_list_recipes, m_list_recipes },
  { "DescribeRecipe", op_describe_recipe, m_recipe_arn },
  { "CreateSolution", op_create_solution, m_create_solution },
  { "DescribeSolution", op_describe_solution, m_solution_arn },
  { "ListSolutions", op_list_solutions, m_list_solutions },
  { "DeleteSolution", op_delete_solution, m_solution_arn },
  { "CreateSolutionVersion", op_create_version, m_create_version },
  { "DescribeSolutionVersion", op_describe_version, m_version_arn },
  { "ListSolutionVersions", op_list_versions, m_list_versions },
  { "GetSolutionMetrics", op_get_solution_metrics, m_version_arn },
  { "CreateCampaign", op_create_campaign, m_create_campaign },
  { "DescribeCampaign", op_describe_campaign, m_campaign_arn },
  { "ListCampaigns", op_list_campaigns, m_list_campaigns },
  { "DeleteCampaign", op_delete_campaign, m_campaign_arn },
  { "UpdateCampaign", pw_local_update_campaign, m_update_campaign },
  { "CreateEventTracker", op_create_tracker, m_create_tracker },
  { "DescribeEventTracker", op_describe_tracker, m_tracker_arn },
  { "ListEventTrackers", op_list_trackers, m_list_trackers },
  { "DeleteEventTracker", op_delete_tracker, m_tracker_arn },
  { "CreateBatchInferenceJob", op_create_batch, m_create_batch },
  { "DescribeBatchInferenceJob", op_describe_batch, m_batch_arn },
  { "ListBatchInferenceJobs", op_list_batch, m_list_batch },
  /* REST operations (runtime and events), routed by path. */
  { "GetRecommendations", pw_local_get_recommendations, m_get_recommendations },
  { "GetPersonalizedRanking", pw_local_get_personalized_ranking, m_get_ranking },
  { "PutEvents", pw_local_put_events, m_put_events },
};

static const Operation *
find_operation (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    if (strcmp (operations[i].name, name) == 0)
      return &operations[i];
  return NULL;
}

/**
 * pw_local_personalize_parse_input:
 * Parses and checks a request body for @operation: JSON, an object, known
 * members of the right types, required members present.
 */
JsonObject *
pw_local_personalize_parse_input (const char  *operation,
                                  const char  *data,
                                  gsize        length,
                                  GError     **error)
{
  const Operation *op = find_operation (operation);

  if (op == NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_UNKNOWN_OPERATION,
                   "Unknown operation %s (personalize-local serves the operations of the Personalize workshop)",
                   operation);
      return NULL;
    }
  return parse_members (operation, op->members, data, length, error);
}

static void
run_operation (PwLocalPersonalize   *self,
               const char           *operation,
               PwLocalProtocol       protocol,
               const PwLocalRequest *request,
               PwLocalResponse      *response)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) input = NULL;
  gsize length = 0;
  const char *data = request->body != NULL ? g_bytes_get_data (request->body, &length) : "";
  const Operation *op = find_operation (operation);

  if (op == NULL || (protocol == PW_LOCAL_PROTOCOL_JSON) != (op->handler != pw_local_get_recommendations
                                                             && op->handler != pw_local_get_personalized_ranking
                                                             && op->handler != pw_local_put_events))
    {
      g_set_error (&error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_UNKNOWN_OPERATION,
                   "Unknown operation %s (personalize-local serves the operations of the Personalize workshop)",
                   operation);
    }
  else if ((input = parse_members (operation, op->members, data, length, &error)) != NULL)
    {
      if (protocol == PW_LOCAL_PROTOCOL_JSON)
        {
          g_mutex_lock (&self->lock);
          op->handler (self, input, response, &error);
          g_mutex_unlock (&self->lock);
        }
      else
        op->handler (self, input, response, &error);
    }
  if (error != NULL)
    {
      pw_local_response_clear (response);
      pw_local_response_set_error (response, protocol, request->request_id, NULL, error);
    }
}

void
pw_local_personalize_handle_control (PwLocalPersonalize   *self,
                                     const char           *operation,
                                     const PwLocalRequest *request,
                                     PwLocalResponse      *response)
{
  run_operation (self, operation, PW_LOCAL_PROTOCOL_JSON, request, response);
}

gboolean
pw_local_personalize_handle_rest (PwLocalPersonalize   *self,
                                  const char           *path,
                                  const PwLocalRequest *request,
                                  PwLocalResponse      *response)
{
  const char *operation;
  PwLocalProtocol protocol;

  if (strcmp (request->method, "POST") != 0)
    return FALSE;
  if (strcmp (path, "/recommendations") == 0)
    operation = "GetRecommendations", protocol = PW_LOCAL_PROTOCOL_RUNTIME;
  else if (strcmp (path, "/personalize-ranking") == 0)
    operation = "GetPersonalizedRanking", protocol = PW_LOCAL_PROTOCOL_RUNTIME;
  else if (strcmp (path, "/events") == 0)
    operation = "PutEvents", protocol = PW_LOCAL_PROTOCOL_EVENTS;
  else
    return FALSE;
  run_operation (self, operation, protocol, request, response);
  if (response->content_type != NULL && strcmp (response->content_type, "application/x-amz-json-1.1") == 0)
    {
      g_free (response->content_type);
      response->content_type = g_strdup ("application/json");
    }
  return TRUE;
}

/* ---- lifecycle workers ---- */

gboolean
pw_local_wait_step (PwLocalPersonalize *self)
{
  for (guint waited = 0; waited < self->step_ms; waited += 20)
    {
      if (g_atomic_int_get (&self->stopping))
        return FALSE;
      g_usleep (MIN (20, self->step_ms - waited) * 1000);
    }
  return !g_atomic_int_get (&self->stopping);
}

/* Removes the records of @kind whose @member is @arn (jobs, which cannot
 * be deleted on their own, go with what they belong to). */
static void
remove_children_locked (PwLocalPersonalize *self,
                        Kind                kind,
                        const char         *member,
                        const char         *arn)
{
  g_autoptr(GPtrArray) children = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->resources);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Resource *c = value;

      if (c->kind == kind && g_strcmp0 (json_object_get_string_member_with_default (c->obj, member, NULL), arn) == 0)
        g_ptr_array_add (children, c);
    }
  for (guint i = 0; i < children->len; i++)
    {
      Resource *c = children->pdata[i];

      if (unpersist (self, c, NULL))
        g_hash_table_remove (self->resources, c->arn);
    }
}

static void
remove_resource_locked (PwLocalPersonalize *self,
                        Resource           *r)
{
  g_autoptr(GError) error = NULL;

  if (r->kind == KIND_SOLUTION)
    {
      GHashTableIter iter;
      gpointer value;
      g_autoptr(GPtrArray) versions = g_ptr_array_new ();

      g_hash_table_iter_init (&iter, self->resources);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Resource *v = value;

          if (v->kind == KIND_SOLUTION_VERSION
              && g_strcmp0 (json_object_get_string_member (v->obj, "solutionArn"), r->arn) == 0)
            g_ptr_array_add (versions, v);
        }
      for (guint i = 0; i < versions->len; i++)
        {
          Resource *v = versions->pdata[i];
          g_autofree char *model = pw_local_model_path (self, v->arn);

          remove_children_locked (self, KIND_BATCH_JOB, "solutionVersionArn", v->arn);
          /* The record goes first: a version without a model file would
           * look trained but broken; a model file without a record is
           * only garbage. */
          if (unpersist (self, v, &error))
            {
              pw_local_store_remove (model, NULL);
              g_hash_table_remove (self->resources, v->arn);
            }
          g_clear_error (&error);
        }
    }
  if (r->kind == KIND_CAMPAIGN)
    {
      g_mutex_lock (&self->models_lock);
      g_hash_table_remove (self->campaign_models, r->arn);
      g_mutex_unlock (&self->models_lock);
    }
  if (!unpersist (self, r, &error))
    {
      g_warning ("Cannot delete %s: %s", r->arn, error->message);
      return;
    }
  if (r->kind == KIND_DATASET)
    remove_children_locked (self, KIND_IMPORT_JOB, "datasetArn", r->arn);
  if (r->kind == KIND_DATASET)
    {
      JsonArray *files = json_object_get_array_member (r->internal, "files");

      for (guint i = 0; files != NULL && i < json_array_get_length (files); i++)
        pw_local_store_remove (json_array_get_string_element (files, i), NULL);
    }
  if (r->kind == KIND_DATASET_GROUP)
    {
      g_autofree char *events = pw_local_events_path (self, r->arn);
      pw_local_store_remove (events, NULL);
    }
  g_hash_table_remove (self->resources, r->arn);
}

static void
run_delete (PwLocalPersonalize *self,
            const char         *arn)
{
  Resource *r;

  if (!pw_local_wait_step (self))
    return;
  g_mutex_lock (&self->lock);
  r = g_hash_table_lookup (self->resources, arn);
  if (r == NULL || !is_deleting (r))
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  if (r->kind != KIND_DATASET_GROUP)
    {
      set_status (r, STATUS_DELETE_IN_PROGRESS);
      pw_local_persist (self, r, NULL);
      g_mutex_unlock (&self->lock);
      if (!pw_local_wait_step (self))
        return;
      g_mutex_lock (&self->lock);
      r = g_hash_table_lookup (self->resources, arn);
    }
  if (r != NULL && is_deleting (r))
    remove_resource_locked (self, r);
  g_mutex_unlock (&self->lock);
}

static void
run_create (PwLocalPersonalize *self,
            const char         *arn)
{
  g_autoptr(GError) error = NULL;
  Resource *r;
  Kind kind;
  gboolean ok = TRUE;

  if (!pw_local_wait_step (self))
    return;
  g_mutex_lock (&self->lock);
  r = g_hash_table_lookup (self->resources, arn);
  if (r == NULL || !is_creating (r))
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  set_status (r, STATUS_CREATE_IN_PROGRESS);
  pw_local_persist (self, r, NULL);
  kind = r->kind;
  g_mutex_unlock (&self->lock);

  switch (kind)
    {
    case KIND_IMPORT_JOB:
      ok = pw_local_job_import (self, arn, &error);
      break;
    case KIND_SOLUTION_VERSION:
      ok = pw_local_job_train (self, arn, &error);
      break;
    case KIND_BATCH_JOB:
      ok = pw_local_job_batch (self, arn, &error);
      break;
    case KIND_CAMPAIGN:
      {
        g_autoptr(PwModel) model = NULL;

        if (!pw_local_wait_step (self))
          return;
        model = pw_local_campaign_model (self, arn, &error);
        ok = model != NULL;
      }
      break;
    default:
      if (!pw_local_wait_step (self))
        return;
      break;
    }

  /* Every job spends at least one step IN_PROGRESS, as on AWS. */
  if (kind == KIND_IMPORT_JOB || kind == KIND_SOLUTION_VERSION || kind == KIND_BATCH_JOB)
    pw_local_wait_step (self);

  /* Stopped (or cancelled) in the middle: the job starts again at the
   * next start, from its inputs. */
  if (g_atomic_int_get (&self->stopping)
      || (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    return;

  g_mutex_lock (&self->lock);
  r = g_hash_table_lookup (self->resources, arn);
  if (r != NULL && is_creating (r))
    {
      if (ok)
        {
          set_status (r, STATUS_ACTIVE);
          json_object_remove_member (r->obj, "failureReason");
        }
      else
        {
          set_status (r, STATUS_CREATE_FAILED);
          json_object_set_string_member (r->obj, "failureReason", error->message);
        }
      if (!pw_local_persist (self, r, &error))
        g_warning ("Cannot record the status of %s: %s", arn, error->message);
    }
  g_mutex_unlock (&self->lock);
}

static void
job_run (gpointer data,
         gpointer user_data)
{
  Job *job = data;

  if (job->update)
    pw_local_run_update (job->self, job->arn);
  else if (job->delete)
    run_delete (job->self, job->arn);
  else
    run_create (job->self, job->arn);
  g_free (job->arn);
  g_free (job);
}

/* ---- life ---- */

static void
load_state (PwLocalPersonalize *self)
{
  for (guint kind = 0; kind < N_KINDS; kind++)
    {
      g_autofree char *dir_path = g_build_filename (self->state_dir, kind_dirs[kind], NULL);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonNode) node = NULL;
          JsonObject *root;
          Resource *r;

          if (strstr (name, ".tmp-") != NULL)
            {
              /* A write that never reached its rename. */
              pw_local_store_remove (path, NULL);
              continue;
            }
          if (!g_str_has_suffix (name, ".json"))
            continue;
          node = pw_local_store_read_json (path, &error);
          if (node == NULL)
            {
              g_warning ("Skipping %s: %s", path, error->message);
              continue;
            }
          root = json_node_get_object (node);
          if (!json_object_has_member (root, "arn") || !json_object_has_member (root, "resource")
              || !json_object_has_member (root, "internal"))
            {
              g_warning ("Skipping %s: not a personalize-local resource", path);
              continue;
            }
          r = g_new0 (Resource, 1);
          r->kind = kind;
          r->arn = g_strdup (json_object_get_string_member (root, "arn"));
          r->obj = json_object_ref (json_object_get_object_member (root, "resource"));
          r->internal = json_object_ref (json_object_get_object_member (root, "internal"));
          g_hash_table_insert (self->resources, r->arn, r);
        }
    }
}

/* Temporary files of writes a crash interrupted. */
static void
remove_stray_files (const char *dir_path,
                    const char *suffix)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (!g_str_has_suffix (name, suffix) || strstr (name, ".tmp-") != NULL)
      {
        g_autofree char *path = g_build_filename (dir_path, name, NULL);

        pw_local_store_remove (path, NULL);
      }
}

PwLocalPersonalize *
pw_local_personalize_new (const char  *data_dir,
                          const char  *region,
                          PwLocalS3   *s3,
                          PwLocalIam  *iam,
                          guint        step_ms,
                          GError     **error)
{
  PwLocalPersonalize *self = g_new0 (PwLocalPersonalize, 1);

  g_mutex_init (&self->lock);
  g_mutex_init (&self->models_lock);
  self->data_dir = g_strdup (data_dir);
  self->state_dir = g_build_filename (data_dir, "personalize", NULL);
  self->models_dir = g_build_filename (data_dir, "models", NULL);
  self->imports_dir = g_build_filename (data_dir, "imports", NULL);
  self->events_dir = g_build_filename (data_dir, "events", NULL);
  self->region = g_strdup (region);
  self->prefix = g_strdup_printf ("arn:aws:personalize:%s:%s", region, PW_LOCAL_ACCOUNT_ID);
  self->s3 = s3;
  self->iam = iam;
  self->step_ms = step_ms;
  self->resources = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, resource_free);
  self->campaign_models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) pw_model_unref);
  self->cancellable = g_cancellable_new ();
  for (guint kind = 0; kind < N_KINDS; kind++)
    {
      g_autofree char *dir = g_build_filename (self->state_dir, kind_dirs[kind], NULL);

      if (!pw_local_store_mkdir (dir, error))
        {
          pw_local_personalize_free (self);
          return NULL;
        }
    }
  if (!pw_local_store_mkdir (self->models_dir, error) || !pw_local_store_mkdir (self->imports_dir, error)
      || !pw_local_store_mkdir (self->events_dir, error))
    {
      pw_local_personalize_free (self);
      return NULL;
    }
  load_state (self);
  remove_stray_files (self->models_dir, ".model");
  remove_stray_files (self->imports_dir, ".csv");
  self->quick_pool = g_thread_pool_new (job_run, NULL, 4, FALSE, NULL);
  self->heavy_pool = g_thread_pool_new (job_run, NULL, 2, FALSE, NULL);
  return self;
}

/* Resumes what was in a transition when the server stopped. */
void
pw_local_personalize_start (PwLocalPersonalize *self)
{
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->resources);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Resource *r = value;

      if (is_creating (r))
        {
          g_message ("Resuming %s (%s)", r->arn, pw_local_status (r));
          set_status (r, STATUS_CREATE_PENDING);
          pw_local_persist (self, r, NULL);
          queue_job (self, r, FALSE);
        }
      else if (is_deleting (r))
        {
          set_status (r, STATUS_DELETE_PENDING);
          pw_local_persist (self, r, NULL);
          queue_job (self, r, TRUE);
        }
      else if (pw_local_is_updating (r))
        {
          pw_local_set_update_status (r, STATUS_UPDATE_PENDING);
          pw_local_persist (self, r, NULL);
          pw_local_queue_update (self, r);
        }
    }
  g_mutex_unlock (&self->lock);
}

void
pw_local_personalize_free (PwLocalPersonalize *self)
{
  if (self == NULL)
    return;
  g_atomic_int_set (&self->stopping, TRUE);
  g_cancellable_cancel (self->cancellable);
  if (self->quick_pool != NULL)
    g_thread_pool_free (self->quick_pool, TRUE, TRUE);
  if (self->heavy_pool != NULL)
    g_thread_pool_free (self->heavy_pool, TRUE, TRUE);
  g_hash_table_unref (self->resources);
  g_hash_table_unref (self->campaign_models);
  g_object_unref (self->cancellable);
  g_free (self->data_dir);
  g_free (self->state_dir);
  g_free (self->models_dir);
  g_free (self->imports_dir);
  g_free (self->events_dir);
  g_free (self->region);
  g_free (self->prefix);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->models_lock);
  g_free (self);
}
