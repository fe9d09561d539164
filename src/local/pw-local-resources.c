/* pw-local-resources.c: the resource store at the bottom of personalize-local
 *
 * The kinds, the resources (their Describe fields and what only the server
 * keeps), lookup, persistence and the paths of their files, and the events
 * files PutEvents appends to. The control plane (pw-local-personalize.c),
 * the jobs (pw-local-jobs.c) and the runtime (pw-local-runtime.c) call down
 * into it; it calls none of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <string.h>

#include "pw-local-resources-private.h"
#include "pw-local-store.h"
#include "pw-time.h"

const char * const pw_local_kind_dirs[PW_LOCAL_N_KINDS] = {
  "dataset-groups", "schemas", "datasets", "dataset-import-jobs", "solutions",
  "solution-versions", "campaigns", "event-trackers", "batch-inference-jobs",
};

const char * const pw_local_kind_arn_parts[PW_LOCAL_N_KINDS] = {
  "dataset-group/", "schema/", "dataset/", "dataset-import-job/", "solution/",
  "solution/", "campaign/", "event-tracker/", "batch-inference-job/",
};

/* The ARN member of each kind's object. */
const char * const pw_local_kind_arn_members[PW_LOCAL_N_KINDS] = {
  "datasetGroupArn", "schemaArn", "datasetArn", "datasetImportJobArn", "solutionArn",
  "solutionVersionArn", "campaignArn", "eventTrackerArn", "batchInferenceJobArn",
};

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

/* ---- resources ---- */

void
pw_local_resource_free (gpointer data)
{
  PwLocalResource *r = data;

  g_free (r->arn);
  g_clear_pointer (&r->obj, json_object_unref);
  g_clear_pointer (&r->internal, json_object_unref);
  g_free (r);
}

char *
pw_local_resource_path (PwLocalPersonalize *self,
                        PwLocalKind         kind,
                        const char         *arn)
{
  g_autofree char *escaped = pw_local_store_escape (arn + strlen (self->prefix) + 1);
  g_autofree char *file = g_strconcat (escaped, ".json", NULL);

  return g_build_filename (self->state_dir, pw_local_kind_dirs[kind], file, NULL);
}

gboolean
pw_local_persist (PwLocalPersonalize  *self,
                  PwLocalResource     *r,
                  GError             **error)
{
  g_autofree char *path = pw_local_resource_path (self, r->kind, r->arn);
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (root, "kind", r->kind);
  json_object_set_string_member (root, "arn", r->arn);
  json_object_set_object_member (root, "resource", json_object_ref (r->obj));
  json_object_set_object_member (root, "internal", json_object_ref (r->internal));
  json_node_set_object (node, root);
  return pw_local_store_write_json (path, node, error);
}

static JsonNode *deep_copy_node (JsonNode *node);

/* A deep copy: json_node_copy() only takes a reference on objects and
 * arrays, so changing the "copy" would change the original. */
JsonObject *
pw_local_copy_object (JsonObject *obj)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (copy, name, deep_copy_node (value));
  return copy;
}

static JsonNode *
deep_copy_node (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *copy = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (copy, pw_local_copy_object (json_node_get_object (node)));
      return copy;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      JsonArray *copy_array = json_array_sized_new (json_array_get_length (array));
      JsonNode *copy = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (copy_array, deep_copy_node (json_array_get_element (array, i)));
      json_node_take_array (copy, copy_array);
      return copy;
    }
  return json_node_copy (node);
}

/* Remembers @r's fields before a change, so that a failed write can put
 * them back: memory never says what the disk does not (issue 13, item 8). */
void
pw_local_snapshot_take (PwLocalResource   *r,
                        PwLocalSnapshot   *snapshot)
{
  snapshot->obj = pw_local_copy_object (r->obj);
  snapshot->internal = pw_local_copy_object (r->internal);
}

void
pw_local_snapshot_restore (PwLocalResource *r,
                           PwLocalSnapshot *snapshot)
{
  g_clear_pointer (&r->obj, json_object_unref);
  g_clear_pointer (&r->internal, json_object_unref);
  r->obj = g_steal_pointer (&snapshot->obj);
  r->internal = g_steal_pointer (&snapshot->internal);
}

void
pw_local_snapshot_clear (PwLocalSnapshot *snapshot)
{
  g_clear_pointer (&snapshot->obj, json_object_unref);
  g_clear_pointer (&snapshot->internal, json_object_unref);
}

/* Persists @r; when the write fails, @r gets back the fields of @snapshot.
 * Clears @snapshot either way. */
gboolean
pw_local_persist_or_restore (PwLocalPersonalize  *self,
                             PwLocalResource     *r,
                             PwLocalSnapshot     *snapshot,
                             GError             **error)
{
  gboolean ok = pw_local_persist (self, r, error);

  if (!ok)
    pw_local_snapshot_restore (r, snapshot);
  pw_local_snapshot_clear (snapshot);
  return ok;
}

gboolean
pw_local_unpersist (PwLocalPersonalize  *self,
                    PwLocalResource     *r,
                    GError             **error)
{
  g_autofree char *path = pw_local_resource_path (self, r->kind, r->arn);

  return pw_local_store_remove (path, error);
}

PwLocalResource *
pw_local_resource_new (PwLocalKind kind,
                       const char *arn)
{
  PwLocalResource *r = g_new0 (PwLocalResource, 1);
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
pw_local_status (PwLocalResource *r)
{
  return json_object_get_string_member_with_default (r->obj, "status", "");
}

void
pw_local_set_status (PwLocalResource *r,
                     const char *status)
{
  json_object_set_string_member (r->obj, "status", status);
  json_object_set_double_member (r->obj, "lastUpdatedDateTime", pw_local_now ());
}

gboolean
pw_local_is_creating (PwLocalResource *r)
{
  const char *status = pw_local_status (r);

  return strcmp (status, PW_LOCAL_STATUS_CREATE_PENDING) == 0
         || strcmp (status, PW_LOCAL_STATUS_CREATE_IN_PROGRESS) == 0;
}

gboolean
pw_local_is_deleting (PwLocalResource *r)
{
  return g_str_has_prefix (pw_local_status (r), "DELETE");
}

/* A campaign in an update (UPDATE PENDING / IN_PROGRESS). */
gboolean
pw_local_is_updating (PwLocalResource *r)
{
  return r->kind == PW_LOCAL_KIND_CAMPAIGN && g_str_has_prefix (pw_local_status (r), "UPDATE ")
         && strcmp (pw_local_status (r), PW_LOCAL_STATUS_UPDATE_FAILED) != 0;
}

/* Sets the campaign's and its latestCampaignUpdate's status. */
void
pw_local_set_update_status (PwLocalResource *r,
                            const char *status)
{
  JsonObject *update = json_object_get_object_member (r->obj, "latestCampaignUpdate");

  pw_local_set_status (r, status);
  if (update != NULL)
    {
      json_object_set_string_member (update, "status", status);
      json_object_set_double_member (update, "lastUpdatedDateTime", pw_local_now ());
    }
}

PwLocalResource *
pw_local_lookup (PwLocalPersonalize  *self,
                 const char          *arn,
                 PwLocalKind          kind,
                 GError             **error)
{
  PwLocalResource *r = arn != NULL ? g_hash_table_lookup (self->resources, arn) : NULL;

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
PwLocalResource *
pw_local_lock_lookup (PwLocalPersonalize  *self,
                      const char          *arn,
                      PwLocalKind          kind,
                      GError             **error)
{
  PwLocalResource *r;

  g_mutex_lock (&self->lock);
  r = pw_local_lookup (self, arn, kind, error);
  if (r == NULL)
    g_mutex_unlock (&self->lock);
  return r;
}

/* DIR/ESCAPED-ARN-WITHOUT-PREFIX.SUFFIX */
static char *
arn_file_path (PwLocalPersonalize *self,
               const char         *dir,
               const char         *arn,
               const char         *suffix)
{
  g_autofree char *escaped = pw_local_store_escape (arn + strlen (self->prefix) + 1);
  g_autofree char *file = g_strconcat (escaped, suffix, NULL);

  return g_build_filename (dir, file, NULL);
}

char *
pw_local_model_path (PwLocalPersonalize *self,
                     const char         *version_arn)
{
  return arn_file_path (self, self->models_dir, version_arn, ".model");
}

char *
pw_local_events_path (PwLocalPersonalize *self,
                      const char         *group_arn)
{
  return arn_file_path (self, self->events_dir, group_arn, ".jsonl");
}

gboolean
pw_local_recipe_of (PwLocalResource *r,
                    PwRecipe *recipe)
{
  const char *arn = json_object_get_string_member_with_default (r->obj, "recipeArn", "");
  const char *slash = strrchr (arn, '/');

  return slash != NULL && pw_recipe_from_name (slash + 1, recipe, NULL);
}

char *
pw_local_make_arn (PwLocalPersonalize *self,
                   PwLocalKind         kind,
                   const char         *id)
{
  return g_strdup_printf ("%s:%s%s", self->prefix, pw_local_kind_arn_parts[kind], id);
}

/* A configuration-only resource (dataset group, dataset, solution, event
 * tracker) does no work while it is created: it is usable from the moment
 * Create* answers, as on AWS where CreateSolutionVersion straight after
 * CreateSolution works (issue 13, items 11 and 12; the README has the
 * table). Only a failed or deleting one is refused. */
gboolean
pw_local_is_usable (PwLocalResource *r)
{
  return strcmp (pw_local_status (r), PW_LOCAL_STATUS_ACTIVE) == 0 || pw_local_is_creating (r);
}

/* Complete lines of an events file (a torn last line is skipped). */
GPtrArray *
pw_local_read_events (const char *path)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *text = NULL;
  gsize length = 0;
  gsize start = 0;

  if (!g_file_get_contents (path, &text, &length, NULL))
    return events;
  while (start < length)
    {
      const char *nl = memchr (text + start, '\n', length - start);
      g_autoptr(JsonNode) node = NULL;

      if (nl == NULL)
        break;
      node = pw_local_json_parse (text + start, nl - (text + start), NULL);
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (events, json_object_ref (json_node_get_object (node)));
      else
        g_ptr_array_add (events, json_object_new ()); /* keep the count */
      start = nl - text + 1;
    }
  return events;
}

/**
 * pw_local_event_time:
 * The sentAt of a recorded event in whole seconds. FALSE when it is missing
 * or out of pw-time.h's range: PutEvents refuses such times, but an events
 * file written before it did may hold them, and they are skipped rather
 * than fed to training.
 */
gboolean
pw_local_event_time (JsonObject *event,
                     gint64     *seconds)
{
  JsonNode *node = json_object_get_member (event, "sentAt");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_INT64 && json_node_get_value_type (node) != G_TYPE_DOUBLE))
    return FALSE;
  return pw_time_from_double (json_node_get_double (node), seconds);
}
