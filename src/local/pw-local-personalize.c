/* pw-local-personalize.c: the Personalize control plane of personalize-local:
 * the operation table and its dispatch, the checks of inputs the
 * operations share, and the lifecycle workers. The operations themselves
 * are in pw-local-datasets.c, pw-local-solutions.c, pw-local-campaigns.c
 * and pw-local-batch.c (pw-local-control-private.h); the resources they
 * act on are in the store, pw-local-resources.c.
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

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "pw-local-control-private.h"
#include "pw-local-runtime-private.h"
#include "pw-local-store.h"

typedef struct
{
  PwLocalPersonalize *self;
  char *arn;
  gboolean delete;
  gboolean update;   /* UpdateCampaign's lifecycle (pw-local-update-campaign.c) */
} Job;

/* ---- input validation ---- */

typedef struct
{
  const char *name;
  MemberType type;
  gboolean required;
} Member;

/* An operation: TRUE with @response set, or FALSE with @error set (never
 * both, never neither; run_operation () checks). */
typedef gboolean (*OpHandler) (PwLocalPersonalize *self,
                               JsonObject         *input,
                               PwLocalResponse    *response,
                               GError            **error);

/* @protocol says how the operation is reached and answered: JSON 1.1 by
 * X-Amz-Target (the control plane, run with the lock held), or REST-JSON
 * by POST to @path (runtime and events, which lock what they need). */
typedef struct
{
  const char *name;
  OpHandler handler;
  const Member *members;
  PwLocalProtocol protocol;
  const char *path;
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

gboolean
pw_local_node_has_type (JsonNode   *node,
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
          if (!pw_local_node_has_type (value, T_STR))
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
      if (!pw_local_node_has_type (value, m->type))
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

const char *
pw_local_get_str (JsonObject *input,
         const char *name)
{
  JsonNode *node = json_object_get_member (input, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
pw_local_get_bool (JsonObject *input,
          const char *name,
          gboolean    default_value)
{
  JsonNode *node = json_object_get_member (input, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return default_value;
  return json_node_get_boolean (node);
}

gboolean
pw_local_check_name (JsonObject  *input,
            const char  *member,
            GError     **error)
{
  const char *name = pw_local_get_str (input, member);
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

gboolean
pw_local_check_arn (JsonObject  *input,
           const char  *member,
           GError     **error)
{
  const char *arn = pw_local_get_str (input, member);
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

gboolean
pw_local_check_role_arn (JsonObject  *input,
                const char  *member,
                GError     **error)
{
  const char *arn = pw_local_get_str (input, member);
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

gboolean
pw_local_check_s3_path (const char  *path,
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

gboolean
pw_local_check_tags (JsonObject  *input,
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
      key = pw_local_get_str (tag, "tagKey");
      value = pw_local_get_str (tag, "tagValue");
      if (key == NULL || strlen (key) < 1 || strlen (key) > 128)
        return pw_local_invalid_input (error, "tags[%u].tagKey must be a string of 1 to 128 characters", i);
      if (value == NULL || strlen (value) > 256)
        return pw_local_invalid_input (error, "tags[%u].tagValue must be a string of at most 256 characters", i);
    }
  return TRUE;
}

char *
pw_local_random_hex8 (void)
{
  return g_strdup_printf ("%08x", g_random_int ());
}

/* Creates, persists and registers a resource; the caller holds the lock. */
PwLocalResource *
pw_local_add_resource (PwLocalPersonalize  *self,
              PwLocalResource     *r,
              GError             **error)
{
  if (!pw_local_persist (self, r, error))
    {
      pw_local_resource_free (r);
      return NULL;
    }
  g_hash_table_insert (self->resources, r->arn, r);
  return r;
}

void
pw_local_queue_job (PwLocalPersonalize *self,
           PwLocalResource    *r,
           gboolean            delete)
{
  Job *job = g_new0 (Job, 1);
  gboolean heavy = !delete && (r->kind == PW_LOCAL_KIND_IMPORT_JOB || r->kind == PW_LOCAL_KIND_SOLUTION_VERSION
                               || r->kind == PW_LOCAL_KIND_BATCH_JOB);

  job->self = self;
  job->arn = g_strdup (r->arn);
  job->delete = delete;
  g_thread_pool_push (heavy ? self->heavy_pool : self->quick_pool, job, NULL);
}

void
pw_local_queue_update (PwLocalPersonalize *self,
                       PwLocalResource    *r)
{
  Job *job = g_new0 (Job, 1);

  job->self = self;
  job->arn = g_strdup (r->arn);
  job->update = TRUE;
  g_thread_pool_push (self->quick_pool, job, NULL);
}

JsonObject *
pw_local_summary_of (JsonObject         *obj,
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

void
pw_local_respond_object (PwLocalResponse *response,
                JsonObject      *out)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), out);

  pw_local_response_set_json (response, node);
}

void
pw_local_respond_member (PwLocalResponse *response,
                const char      *member,
                JsonObject      *obj)
{
  g_autoptr(JsonObject) out = json_object_new ();

  json_object_set_object_member (out, member, obj);
  pw_local_respond_object (response, out);
}

void
pw_local_respond_string (PwLocalResponse *response,
                const char      *member,
                const char      *value)
{
  g_autoptr(JsonObject) out = json_object_new ();

  json_object_set_string_member (out, member, value);
  pw_local_respond_object (response, out);
}

void
pw_local_respond_empty (PwLocalResponse *response)
{
  g_autoptr(JsonObject) out = json_object_new ();

  pw_local_respond_object (response, out);
}

int
pw_local_compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  PwLocalResource *x = *(PwLocalResource **) a;
  PwLocalResource *y = *(PwLocalResource **) b;
  double dx = json_object_get_double_member_with_default (x->obj, "creationDateTime", 0);
  double dy = json_object_get_double_member_with_default (y->obj, "creationDateTime", 0);

  if (dx != dy)
    return dx < dy ? 1 : -1;
  return strcmp (x->arn, y->arn);
}


gboolean
pw_local_list_page_full (PwLocalPersonalize  *self,
           PwLocalKind          kind,
           JsonObject          *input,
           const char          *filter_member,
           const char          *filter_value,
           PwLocalFilterFunc           filter,
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
  const char *token = pw_local_get_str (input, "nextToken");

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
      PwLocalResource *r = value;

      if (r->kind != kind)
        continue;
      if (filter_member != NULL && filter_value != NULL
          && g_strcmp0 (json_object_get_string_member_with_default (r->obj, filter_member, NULL), filter_value) != 0)
        continue;
      if (filter != NULL && filter_value != NULL && !filter (r, filter_value))
        continue;
      g_ptr_array_add (all, r);
    }
  g_ptr_array_sort (all, pw_local_compare_newest_first);
  for (guint64 i = offset; i < all->len && i < offset + (guint64) max_results; i++)
    {
      PwLocalResource *r = all->pdata[i];

      json_array_add_object_element (list, pw_local_summary_of (r->obj, fields));
    }
  json_object_set_array_member (out, list_name, list);
  if (offset + (guint64) max_results < all->len)
    {
      g_autofree char *text = g_strdup_printf ("pw1:%" G_GUINT64_FORMAT, offset + (guint64) max_results);
      g_autofree char *next = g_base64_encode ((const guchar *) text, strlen (text));

      json_object_set_string_member (out, "nextToken", next);
    }
  pw_local_respond_object (response, out);
  return TRUE;
}

gboolean
pw_local_list_page (PwLocalPersonalize  *self,
           PwLocalKind          kind,
           JsonObject          *input,
           const char          *filter_member,
           const char          *filter_value,
           const char          *list_name,
           const char * const  *fields,
           PwLocalResponse     *response,
           GError             **error)
{
  return pw_local_list_page_full (self, kind, input, filter_member, filter_value, NULL, list_name, fields, response, error);
}

gboolean
pw_local_check_exists_not (PwLocalPersonalize  *self,
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

gboolean
pw_local_require_active (PwLocalResource *r,
                const char  *what,
                GError     **error)
{
  if (strcmp (pw_local_status (r), PW_LOCAL_STATUS_ACTIVE) != 0)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "%s %s is not ACTIVE (its status is %s); wait until Describe reports ACTIVE.",
                   what, r->arn, pw_local_status (r));
      return FALSE;
    }
  return TRUE;
}

gboolean
pw_local_require_usable (PwLocalResource *r,
                const char  *what,
                GError     **error)
{
  if (!pw_local_is_usable (r))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "%s %s cannot be used (its status is %s).", what, r->arn, pw_local_status (r));
      return FALSE;
    }
  return TRUE;
}

void
pw_local_copy_member (JsonObject *to,
             JsonObject *from,
             const char *name)
{
  JsonNode *node = json_object_get_member (from, name);

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    json_object_set_member (to, name, json_node_copy (node));
}

const char *
pw_local_group_name_of (PwLocalPersonalize *self,
               const char         *group_arn)
{
  return group_arn + strlen (self->prefix) + 1 + strlen ("dataset-group/");
}

/* ---- dispatch ---- */

/* the control plane: JSON 1.1, no path */
#define CONTROL PW_LOCAL_PROTOCOL_JSON, NULL
static const Operation operations[] = {
  { "CreateDatasetGroup", pw_local_op_create_dataset_group, m_create_dataset_group, CONTROL },
  { "DescribeDatasetGroup", pw_local_op_describe_dataset_group, m_dataset_group_arn, CONTROL },
  { "ListDatasetGroups", pw_local_op_list_dataset_groups, m_paging, CONTROL },
  { "DeleteDatasetGroup", pw_local_op_delete_dataset_group, m_dataset_group_arn, CONTROL },
  { "CreateSchema", pw_local_op_create_schema, m_create_schema, CONTROL },
  { "DescribeSchema", pw_local_op_describe_schema, m_schema_arn, CONTROL },
  { "ListSchemas", pw_local_op_list_schemas, m_list_schemas, CONTROL },
  { "DeleteSchema", pw_local_op_delete_schema, m_schema_arn, CONTROL },
  { "CreateDataset", pw_local_op_create_dataset, m_create_dataset, CONTROL },
  { "DescribeDataset", pw_local_op_describe_dataset, m_dataset_arn, CONTROL },
  { "ListDatasets", pw_local_op_list_datasets, m_list_datasets, CONTROL },
  { "DeleteDataset", pw_local_op_delete_dataset, m_dataset_arn, CONTROL },
  { "CreateDatasetImportJob", pw_local_op_create_import, m_create_import, CONTROL },
  { "DescribeDatasetImportJob", pw_local_op_describe_import, m_import_arn, CONTROL },
  { "ListDatasetImportJobs", pw_local_op_list_imports, m_list_imports, CONTROL },
  { "ListRecipes", pw_local_op_list_recipes, m_list_recipes, CONTROL },
  { "DescribeRecipe", pw_local_op_describe_recipe, m_recipe_arn, CONTROL },
  { "CreateSolution", pw_local_op_create_solution, m_create_solution, CONTROL },
  { "DescribeSolution", pw_local_op_describe_solution, m_solution_arn, CONTROL },
  { "ListSolutions", pw_local_op_list_solutions, m_list_solutions, CONTROL },
  { "DeleteSolution", pw_local_op_delete_solution, m_solution_arn, CONTROL },
  { "CreateSolutionVersion", pw_local_op_create_version, m_create_version, CONTROL },
  { "DescribeSolutionVersion", pw_local_op_describe_version, m_version_arn, CONTROL },
  { "ListSolutionVersions", pw_local_op_list_versions, m_list_versions, CONTROL },
  { "GetSolutionMetrics", pw_local_op_get_solution_metrics, m_version_arn, CONTROL },
  { "CreateCampaign", pw_local_op_create_campaign, m_create_campaign, CONTROL },
  { "DescribeCampaign", pw_local_op_describe_campaign, m_campaign_arn, CONTROL },
  { "ListCampaigns", pw_local_op_list_campaigns, m_list_campaigns, CONTROL },
  { "DeleteCampaign", pw_local_op_delete_campaign, m_campaign_arn, CONTROL },
  { "UpdateCampaign", pw_local_update_campaign, m_update_campaign, CONTROL },
  { "CreateEventTracker", pw_local_op_create_tracker, m_create_tracker, CONTROL },
  { "DescribeEventTracker", pw_local_op_describe_tracker, m_tracker_arn, CONTROL },
  { "ListEventTrackers", pw_local_op_list_trackers, m_list_trackers, CONTROL },
  { "DeleteEventTracker", pw_local_op_delete_tracker, m_tracker_arn, CONTROL },
  { "CreateBatchInferenceJob", pw_local_op_create_batch, m_create_batch, CONTROL },
  { "DescribeBatchInferenceJob", pw_local_op_describe_batch, m_batch_arn, CONTROL },
  { "ListBatchInferenceJobs", pw_local_op_list_batch, m_list_batch, CONTROL },
  /* REST operations (runtime and events), routed by path */
  { "GetRecommendations", pw_local_get_recommendations, m_get_recommendations,
    PW_LOCAL_PROTOCOL_RUNTIME, "/recommendations" },
  { "GetPersonalizedRanking", pw_local_get_personalized_ranking, m_get_ranking,
    PW_LOCAL_PROTOCOL_RUNTIME, "/personalize-ranking" },
  { "PutEvents", pw_local_put_events, m_put_events, PW_LOCAL_PROTOCOL_EVENTS, "/events" },
};
#undef CONTROL

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
  gboolean ok = FALSE;

  if (op == NULL || op->protocol != protocol)
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
          ok = op->handler (self, input, response, &error);
          g_mutex_unlock (&self->lock);
        }
      else
        ok = op->handler (self, input, response, &error);
      /* A handler that breaks its contract is a bug of ours: the caller
       * gets an InternalFailure, never a half answer or a success that
       * hides an error. */
      if (ok == (error != NULL))
        {
          g_warning ("%s returned %s %s an error", operation, ok ? "TRUE" : "FALSE", ok ? "with" : "without");
          g_clear_error (&error);
          g_set_error (&error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INTERNAL_FAILURE,
                       "personalize-local failed inside %s; its log says more", operation);
          ok = FALSE;
        }
    }
  if (!ok)
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
  const Operation *op = NULL;

  if (strcmp (request->method, "POST") != 0)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (operations) && op == NULL; i++)
    if (operations[i].path != NULL && strcmp (operations[i].path, path) == 0)
      op = &operations[i];
  if (op == NULL)
    return FALSE;
  run_operation (self, op->name, op->protocol, request, response);
  if (response->content_type != NULL && strcmp (response->content_type, "application/x-amz-json-1.1") == 0)
    {
      g_free (response->content_type);
      response->content_type = g_strdup ("application/json");
    }
  return TRUE;
}

/* ---- jobs that crash the server ----
 *
 * A job whose input makes the process crash would crash it again at every
 * start if it were simply resumed. Two guards (issue 13, item 2):
 * - crash marks: while a create job runs, the path "STATE-FILE.crashed" is
 *   in crash_marks[]; a fatal signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
 *   SIGABRT, SIGTRAP: g_error's breakpoint) creates those files with
 *   open(2) only (async-signal-safe), then hands the signal on to the
 *   handler that was there before (the default, or a sanitizer's). At the
 *   next start a job with a mark becomes CREATE FAILED instead of running.
 * - attempts: "attempts" in the job's internal record counts runs that
 *   started and never ended (it is persisted before the job runs and taken
 *   back when the job finishes or is stopped cleanly). kill -9 leaves one
 *   behind and the job resumes once; a job found with two (killed or
 *   crashed twice, whatever the signal) becomes CREATE FAILED. */
#define N_CRASH_MARKS 8
#define MAX_ATTEMPTS 2
static char *crash_marks[N_CRASH_MARKS];
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP };
static struct sigaction crash_previous[G_N_ELEMENTS (crash_signals)];

static void
crash_handler (int        sig,
               siginfo_t *info,
               void      *context)
{
  for (guint i = 0; i < N_CRASH_MARKS; i++)
    {
      const char *path = g_atomic_pointer_get (&crash_marks[i]);

      if (path != NULL)
        {
          int fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

          if (fd >= 0)
            close (fd);
        }
    }
  for (guint k = 0; k < G_N_ELEMENTS (crash_signals); k++)
    if (crash_signals[k] == sig)
      {
        struct sigaction *previous = &crash_previous[k];

        sigaction (sig, previous, NULL);
        if ((previous->sa_flags & SA_SIGINFO) && previous->sa_sigaction != NULL)
          previous->sa_sigaction (sig, info, context);
        else if (previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN)
          previous->sa_handler (sig);
        else
          raise (sig);  /* delivered with the default action on return */
        return;
      }
}

static void
install_crash_handler (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      struct sigaction action = { 0 };

      action.sa_sigaction = crash_handler;
      action.sa_flags = SA_SIGINFO | SA_ONSTACK;
      sigemptyset (&action.sa_mask);
      for (guint k = 0; k < G_N_ELEMENTS (crash_signals); k++)
        sigaction (crash_signals[k], &action, &crash_previous[k]);
      g_once_init_leave (&installed, 1);
    }
}

/* The kinds whose creation runs real work (reads data, trains, loads a
 * model): the ones a bad input could crash. */
static gboolean
does_work (PwLocalKind kind)
{
  return kind == PW_LOCAL_KIND_IMPORT_JOB || kind == PW_LOCAL_KIND_SOLUTION_VERSION || kind == PW_LOCAL_KIND_BATCH_JOB
         || kind == PW_LOCAL_KIND_CAMPAIGN;
}

/* Returns the slot taken (or -1 when all are busy: the job then only has
 * the attempts guard). */
static int
crash_mark_begin (const char *path)
{
  for (guint i = 0; i < N_CRASH_MARKS; i++)
    if (g_atomic_pointer_compare_and_exchange (&crash_marks[i], NULL, (gpointer) path))
      return (int) i;
  return -1;
}

static void
crash_mark_end (int slot)
{
  if (slot >= 0)
    g_atomic_pointer_set (&crash_marks[slot], NULL);
}

static char *
crash_mark_path (PwLocalPersonalize *self,
                 PwLocalResource    *r)
{
  g_autofree char *path = pw_local_resource_path (self, r->kind, r->arn);

  return g_strconcat (path, ".crashed", NULL);
}

/* Takes back the attempt of a run that ended without a crash. */
static void
attempt_ended (PwLocalPersonalize *self,
               const char         *arn)
{
  PwLocalResource *r;

  g_mutex_lock (&self->lock);
  r = g_hash_table_lookup (self->resources, arn);
  if (r != NULL && json_object_has_member (r->internal, "attempts"))
    {
      gint64 attempts = json_object_get_int_member (r->internal, "attempts");

      if (attempts > 1)
        json_object_set_int_member (r->internal, "attempts", attempts - 1);
      else
        json_object_remove_member (r->internal, "attempts");
      if (pw_local_is_creating (r))
        pw_local_persist (self, r, NULL);
    }
  g_mutex_unlock (&self->lock);
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
                        PwLocalKind         kind,
                        const char         *member,
                        const char         *arn)
{
  g_autoptr(GPtrArray) children = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->resources);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PwLocalResource *c = value;

      if (c->kind == kind && g_strcmp0 (json_object_get_string_member_with_default (c->obj, member, NULL), arn) == 0)
        g_ptr_array_add (children, c);
    }
  for (guint i = 0; i < children->len; i++)
    {
      PwLocalResource *c = children->pdata[i];

      if (pw_local_unpersist (self, c, NULL))
        g_hash_table_remove (self->resources, c->arn);
    }
}

static void
remove_resource_locked (PwLocalPersonalize *self,
                        PwLocalResource    *r)
{
  g_autoptr(GError) error = NULL;

  if (r->kind == PW_LOCAL_KIND_SOLUTION)
    {
      GHashTableIter iter;
      gpointer value;
      g_autoptr(GPtrArray) versions = g_ptr_array_new ();

      g_hash_table_iter_init (&iter, self->resources);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          PwLocalResource *v = value;

          if (v->kind == PW_LOCAL_KIND_SOLUTION_VERSION
              && g_strcmp0 (json_object_get_string_member (v->obj, "solutionArn"), r->arn) == 0)
            g_ptr_array_add (versions, v);
        }
      for (guint i = 0; i < versions->len; i++)
        {
          PwLocalResource *v = versions->pdata[i];
          g_autofree char *model = pw_local_model_path (self, v->arn);

          remove_children_locked (self, PW_LOCAL_KIND_BATCH_JOB, "solutionVersionArn", v->arn);
          /* The record goes first: a version without a model file would
           * look trained but broken; a model file without a record is
           * only garbage. */
          if (pw_local_unpersist (self, v, &error))
            {
              pw_local_store_remove (model, NULL);
              g_hash_table_remove (self->resources, v->arn);
            }
          g_clear_error (&error);
        }
    }
  if (r->kind == PW_LOCAL_KIND_CAMPAIGN)
    {
      g_mutex_lock (&self->models_lock);
      g_hash_table_remove (self->campaign_models, r->arn);
      g_mutex_unlock (&self->models_lock);
    }
  if (!pw_local_unpersist (self, r, &error))
    {
      g_warning ("Cannot delete %s: %s", r->arn, error->message);
      return;
    }
  if (r->kind == PW_LOCAL_KIND_DATASET)
    remove_children_locked (self, PW_LOCAL_KIND_IMPORT_JOB, "datasetArn", r->arn);
  if (r->kind == PW_LOCAL_KIND_DATASET)
    {
      JsonArray *files = json_object_get_array_member (r->internal, "files");

      for (guint i = 0; files != NULL && i < json_array_get_length (files); i++)
        pw_local_store_remove (json_array_get_string_element (files, i), NULL);
    }
  if (r->kind == PW_LOCAL_KIND_DATASET_GROUP)
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
  PwLocalResource *r;

  if (!pw_local_wait_step (self))
    return;
  g_mutex_lock (&self->lock);
  r = g_hash_table_lookup (self->resources, arn);
  if (r == NULL || !pw_local_is_deleting (r))
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  if (r->kind != PW_LOCAL_KIND_DATASET_GROUP)
    {
      PwLocalSnapshot before;

      pw_local_snapshot_take (r, &before);
      pw_local_set_status (r, PW_LOCAL_STATUS_DELETE_IN_PROGRESS);
      pw_local_persist_or_restore (self, r, &before, NULL);
      g_mutex_unlock (&self->lock);
      if (!pw_local_wait_step (self))
        return;
      g_mutex_lock (&self->lock);
      r = g_hash_table_lookup (self->resources, arn);
    }
  if (r != NULL && pw_local_is_deleting (r))
    remove_resource_locked (self, r);
  g_mutex_unlock (&self->lock);
}

static void
run_create (PwLocalPersonalize *self,
            const char         *arn)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mark_path = NULL;
  PwLocalResource *r;
  PwLocalKind kind;
  gboolean ok = TRUE;
  int slot;

  if (!pw_local_wait_step (self))
    return;
  g_mutex_lock (&self->lock);
  r = g_hash_table_lookup (self->resources, arn);
  if (r == NULL || !pw_local_is_creating (r))
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  pw_local_set_status (r, PW_LOCAL_STATUS_CREATE_IN_PROGRESS);
  kind = r->kind;
  /* Counted before it runs (see "jobs that crash the server"); only what
   * does real work is guarded: a configuration cannot crash anything. */
  if (does_work (kind))
    {
      json_object_set_int_member (r->internal, "attempts",
                                  json_object_get_int_member_with_default (r->internal, "attempts", 0) + 1);
      mark_path = crash_mark_path (self, r);
    }
  pw_local_persist (self, r, NULL);
  g_mutex_unlock (&self->lock);
  slot = mark_path != NULL ? crash_mark_begin (mark_path) : -1;

  switch (kind)
    {
    case PW_LOCAL_KIND_IMPORT_JOB:
      ok = pw_local_job_import (self, arn, &error);
      break;
    case PW_LOCAL_KIND_SOLUTION_VERSION:
      ok = pw_local_job_train (self, arn, &error);
      break;
    case PW_LOCAL_KIND_BATCH_JOB:
      ok = pw_local_job_batch (self, arn, &error);
      break;
    case PW_LOCAL_KIND_CAMPAIGN:
      {
        g_autoptr(PwModel) model = NULL;

        if (pw_local_wait_step (self))
          {
            model = pw_local_campaign_model (self, arn, &error);
            ok = model != NULL;
          }
      }
      break;
    default:
      pw_local_wait_step (self);
      break;
    }
  crash_mark_end (slot);

  /* Every job spends at least one step IN_PROGRESS, as on AWS. */
  if (kind == PW_LOCAL_KIND_IMPORT_JOB || kind == PW_LOCAL_KIND_SOLUTION_VERSION || kind == PW_LOCAL_KIND_BATCH_JOB)
    pw_local_wait_step (self);
  /* The run ends here, not when its work did: a kill during that last
   * step still finds the job IN_PROGRESS at the next start, and counts as
   * an interrupted run like any other. */
  attempt_ended (self, arn);

  /* Stopped (or cancelled) in the middle: the job starts again at the
   * next start, from its inputs. */
  if (g_atomic_int_get (&self->stopping)
      || (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    return;

  g_mutex_lock (&self->lock);
  r = g_hash_table_lookup (self->resources, arn);
  if (r != NULL && pw_local_is_creating (r))
    {
      PwLocalSnapshot before;

      pw_local_snapshot_take (r, &before);
      if (ok)
        {
          pw_local_set_status (r, PW_LOCAL_STATUS_ACTIVE);
          json_object_remove_member (r->obj, "failureReason");
        }
      else
        {
          pw_local_set_status (r, PW_LOCAL_STATUS_CREATE_FAILED);
          json_object_set_string_member (r->obj, "failureReason", error->message);
        }
      /* When the write fails, memory keeps what the disk says (IN_PROGRESS):
       * the next start runs the job again. */
      g_clear_error (&error);
      if (!pw_local_persist_or_restore (self, r, &before, &error))
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
  for (guint kind = 0; kind < PW_LOCAL_N_KINDS; kind++)
    {
      g_autofree char *dir_path = g_build_filename (self->state_dir, pw_local_kind_dirs[kind], NULL);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonNode) node = NULL;
          JsonObject *root;
          PwLocalResource *r;

          if (strstr (name, ".tmp-") != NULL)
            {
              /* A write that never reached its rename. */
              pw_local_store_remove (path, NULL);
              continue;
            }
          if (g_str_has_suffix (name, ".json.crashed"))
            {
              /* the crash mark of a resource that is gone */
              g_autofree char *record = g_strndup (path, strlen (path) - strlen (".crashed"));

              if (!g_file_test (record, G_FILE_TEST_EXISTS))
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
          r = g_new0 (PwLocalResource, 1);
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
  self->resources = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, pw_local_resource_free);
  self->campaign_models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) pw_model_unref);
  self->cancellable = g_cancellable_new ();
  for (guint kind = 0; kind < PW_LOCAL_N_KINDS; kind++)
    {
      g_autofree char *dir = g_build_filename (self->state_dir, pw_local_kind_dirs[kind], NULL);

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

  install_crash_handler ();
  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->resources);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PwLocalResource *r = value;

      g_autofree char *mark = crash_mark_path (self, r);
      gboolean crashed = g_file_test (mark, G_FILE_TEST_EXISTS);

      if (pw_local_is_creating (r) && does_work (r->kind)
          && (crashed || json_object_get_int_member_with_default (r->internal, "attempts", 0) >= MAX_ATTEMPTS))
        {
          const char *reason = crashed
            ? "personalize-local crashed while this job ran; it is not run again so that it cannot crash "
              "the server again. Check its input and create it again."
            : "This job was interrupted twice without finishing (the server was killed or crashed while "
              "it ran); it is not run again. Check its input and create it again.";

          g_warning ("Not resuming %s: %s", r->arn, reason);
          pw_local_set_status (r, PW_LOCAL_STATUS_CREATE_FAILED);
          json_object_set_string_member (r->obj, "failureReason", reason);
          json_object_remove_member (r->internal, "attempts");
          if (!pw_local_persist (self, r, NULL))
            g_warning ("Cannot record the status of %s", r->arn);
        }
      else if (pw_local_is_creating (r))
        {
          g_message ("Resuming %s (%s)", r->arn, pw_local_status (r));
          pw_local_set_status (r, PW_LOCAL_STATUS_CREATE_PENDING);
          pw_local_persist (self, r, NULL);
          pw_local_queue_job (self, r, FALSE);
        }
      else if (pw_local_is_deleting (r))
        {
          pw_local_set_status (r, PW_LOCAL_STATUS_DELETE_PENDING);
          pw_local_persist (self, r, NULL);
          pw_local_queue_job (self, r, TRUE);
        }
      else if (pw_local_is_updating (r))
        {
          pw_local_set_update_status (r, PW_LOCAL_STATUS_UPDATE_PENDING);
          pw_local_persist (self, r, NULL);
          pw_local_queue_update (self, r);
        }
      if (crashed)
        pw_local_store_remove (mark, NULL);
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
  /* Queued jobs still run, and return at once (stopping is set): dropping
   * them would leak their Job. */
  if (self->quick_pool != NULL)
    g_thread_pool_free (self->quick_pool, FALSE, TRUE);
  if (self->heavy_pool != NULL)
    g_thread_pool_free (self->heavy_pool, FALSE, TRUE);
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
