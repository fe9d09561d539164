/* pw-workshop-leftovers.c: leftovers: the worker lists what the workshop
 * made in the account but the state file does not hold (by the name
 * prefix), and pw_workshop_adopt_leftovers() records them so that the
 * Cleanup step deletes them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-workshop"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "pw-aws-error.h"
#include "pw-workshop-private.h"

/* ---------------------------------------------------------------------
 * Leftovers
 * --------------------------------------------------------------------- */

static gboolean
add_leftovers (PwWorkshopRun  *run,
               GListStore     *store,
               PwResourceKind  kind,
               JsonObject     *input,
               const char     *parent,
               GError        **error)
{
  const PwWorkshopKindInfo *info = pw_workshop_steps_kind_info (kind);
  g_autoptr(JsonArray) list = NULL;
  g_autoptr(GError) local_error = NULL;

  list = pw_workshop_run_list_all (run, PW_AWS_SERVICE_PERSONALIZE, info->list_op, input, info->list_member,
                                   &local_error);
  if (list == NULL)
    {
      if (pw_workshop_steps_is_gone_error (local_error))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);
      const char *name = pw_workshop_json_get_string (item, "name");
      const char *arn = pw_workshop_json_get_string (item, info->arn_member);
      const char *status = pw_workshop_json_get_string (item, "status");
      g_autoptr(PwWorkshopResource) r = NULL;
      g_autoptr(GDateTime) created = NULL;
      JsonNode *date;

      if (name == NULL || arn == NULL)
        continue;
      /* Everything inside a workshop dataset group is the workshop's,
       * whatever its name (e.g. the tracker's EVENT_INTERACTIONS). */
      if (parent == NULL && !g_str_has_prefix (name, PW_WORKSHOP_NAME_PREFIX))
        continue;
      date = json_object_get_member (item, "creationDateTime");
      if (date != NULL && JSON_NODE_HOLDS_VALUE (date) &&
          (json_node_get_value_type (date) == G_TYPE_DOUBLE || json_node_get_value_type (date) == G_TYPE_INT64))
        created = g_date_time_new_from_unix_utc ((gint64) json_node_get_double (date));
      r = pw_workshop_resource_new (kind, name, run->region, run->backend, created);
      pw_workshop_resource_set_arn (r, arn);
      /* No status in the list (S3, IAM): it exists, so it is ACTIVE. */
      pw_workshop_resource_set_status (r, status == NULL ? PW_RESOURCE_STATUS_ACTIVE
                                                         : pw_workshop_steps_map_status (status));
      if (parent != NULL)
        pw_workshop_resource_set_parent_arn (r, parent);
      g_list_store_append (store, r);
    }
  return TRUE;
}

/* One item of ListBuckets or ListRoles: a leftover of @kind if its name
 * (@name_member) carries the prefix (and it has its ARN, @arn_member,
 * unless that is NULL). */
static void
add_named_leftover (PwWorkshopRun  *run,
                    GListStore     *store,
                    PwResourceKind  kind,
                    JsonNode       *node,
                    const char     *name_member,
                    const char     *arn_member,
                    const char     *date_member)
{
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(PwWorkshopResource) r = NULL;
  JsonObject *item;
  const char *name, *arn, *date;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;
  item = json_node_get_object (node);
  name = pw_workshop_json_get_string (item, name_member);
  arn = arn_member != NULL ? pw_workshop_json_get_string (item, arn_member) : NULL;
  if (name == NULL || (arn_member != NULL && arn == NULL) || !g_str_has_prefix (name, PW_WORKSHOP_NAME_PREFIX))
    return;
  date = pw_workshop_json_get_string (item, date_member);
  created = date != NULL ? g_date_time_new_from_iso8601 (date, NULL) : NULL;
  r = pw_workshop_resource_new (kind, name, run->region, run->backend, created);
  if (arn != NULL)
    pw_workshop_resource_set_arn (r, arn);
  pw_workshop_resource_set_status (r, PW_RESOURCE_STATUS_ACTIVE);
  g_list_store_append (store, r);
}

/* S3 buckets (ListBuckets) and IAM roles (ListRoles) whose names carry the
 * prefix. Roles are global and buckets of every region are listed: the
 * region recorded is the workshop's. */
static gboolean
add_bucket_and_role_leftovers (PwWorkshopRun  *run,
                               GListStore     *store,
                               GError        **error)
{
  g_autoptr(JsonObject) none = json_object_new ();
  g_autoptr(JsonObject) buckets = NULL;
  g_autoptr(JsonArray) roles = NULL;
  JsonNode *list;

  buckets = pw_workshop_run_call (run, PW_AWS_SERVICE_S3, "ListBuckets", none, error);
  if (buckets == NULL)
    return FALSE;
  list = json_object_get_member (buckets, "Buckets");
  if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
      add_named_leftover (run, store, PW_RESOURCE_BUCKET, json_array_get_element (json_node_get_array (list), i),
                          "Name", NULL, "CreationDate");

  roles = pw_workshop_run_list_all (run, PW_AWS_SERVICE_IAM, "ListRoles", none, "Roles", error);
  if (roles == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (roles); i++)
    add_named_leftover (run, store, PW_RESOURCE_ROLE, json_array_get_element (roles, i),
                        "RoleName", "Arn", "CreateDate");
  return TRUE;
}

static gboolean
pw_workshop_steps_find_leftovers (PwWorkshopRun  *run,
                                  GListStore     *store,
                                  GError        **error)
{
  g_autoptr(JsonObject) none = json_object_new ();
  guint n;

  /* No progress here: a step may be running and owns the progress. */
  if (!add_leftovers (run, store, PW_RESOURCE_DATASET_GROUP, none, NULL, error) ||
      !add_leftovers (run, store, PW_RESOURCE_SCHEMA, none, NULL, error) ||
      !add_leftovers (run, store, PW_RESOURCE_CAMPAIGN, none, NULL, error))
    return FALSE;

  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PwWorkshopResource) g = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autoptr(JsonObject) input = json_object_new ();

      if (pw_workshop_resource_get_kind (g) != PW_RESOURCE_DATASET_GROUP)
        continue;
      json_object_set_string_member (input, "datasetGroupArn", pw_workshop_resource_get_arn (g));
      if (!add_leftovers (run, store, PW_RESOURCE_DATASET, input, pw_workshop_resource_get_arn (g), error) ||
          !add_leftovers (run, store, PW_RESOURCE_SOLUTION, input, pw_workshop_resource_get_arn (g), error) ||
          !add_leftovers (run, store, PW_RESOURCE_EVENT_TRACKER, input, pw_workshop_resource_get_arn (g), error))
        return FALSE;
    }
  return add_bucket_and_role_leftovers (run, store, error);
}
/* ---------------------------------------------------------------------
 * Leftovers (the worker lists, the main context returns)
 * --------------------------------------------------------------------- */

static void
leftovers_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  PwWorkshopRun *run = task_data;
  g_autoptr(GListStore) store = g_list_store_new (PW_TYPE_WORKSHOP_RESOURCE);
  GError *error = NULL;

  if (pw_workshop_steps_find_leftovers (run, store, &error))
    g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
leftovers_client_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  PwWorkshop *self = PW_WORKSHOP (source);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!pw_workshop_ensure_client_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, pw_workshop_run_new (self, PW_WORKSHOP_N_STEPS, g_task_get_cancellable (task)),
                        (GDestroyNotify) pw_workshop_run_free);
  g_task_run_in_thread (task, leftovers_in_thread);
}

void
pw_workshop_find_leftovers_async (PwWorkshop          *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GCancellable) joined = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PW_IS_WORKSHOP (self));

  joined = pw_workshop_join_cancellables (self, cancellable);
  task = g_task_new (self, joined, callback, user_data);
  g_task_set_source_tag (task, pw_workshop_find_leftovers_async);
  g_task_set_check_cancellable (task, FALSE);
  pw_workshop_ensure_client_async (self, joined, leftovers_client_cb, g_steal_pointer (&task));
}

GListModel *
pw_workshop_find_leftovers_finish (PwWorkshop    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------
 * Adopting leftovers
 * --------------------------------------------------------------------- */

gboolean
pw_workshop_adopt_leftovers (PwWorkshop  *self,
                             GListModel  *leftovers,
                             guint       *out_n_adopted,
                             GError     **error)
{
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  guint n, before;

  g_return_val_if_fail (PW_IS_WORKSHOP (self), FALSE);
  g_return_val_if_fail (G_IS_LIST_MODEL (leftovers), FALSE);

  if (out_n_adopted != NULL)
    *out_n_adopted = 0;
  if (pw_workshop_refuse_if_busy (self, error))
    return FALSE;

  before = g_list_model_get_n_items (G_LIST_MODEL (self->resources));
  n = g_list_model_get_n_items (leftovers);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (leftovers, i);
      const char *id = pw_workshop_resource_get_id (r);
      PwWorkshopResource *known;

      if (!PW_IS_WORKSHOP_RESOURCE (r) || id == NULL ||
          !pw_resource_status_is_live (pw_workshop_resource_get_status (r)))
        continue;
      /* Already recorded (live or not): a resource listed again is the
       * same one; an entry DELETED in the state that exists again is
       * recorded anew. */
      known = pw_workshop_find_resource (self, id);
      if (known != NULL && pw_resource_status_is_live (pw_workshop_resource_get_status (known)))
        continue;
      if (pw_workshop_resource_get_backend (r) != self->backend ||
          g_strcmp0 (pw_workshop_resource_get_region (r), self->region) != 0)
        continue;
      pw_workshop_resource_set_generation (r, 0);
      g_list_store_append (self->resources, r);
      g_ptr_array_add (added, g_object_ref (r));
    }
  if (added->len == 0)
    return TRUE;
  if (!pw_workshop_save_state (self, error))
    {
      g_list_store_splice (self->resources, before, added->len, NULL, 0);
      return FALSE;
    }
  for (guint i = 0; i < added->len; i++)
    pw_workshop_emit_resource_added (self, g_ptr_array_index (added, i));
  pw_workshop_refresh_step_states (self);
  if (out_n_adopted != NULL)
    *out_n_adopted = added->len;
  return TRUE;
}
