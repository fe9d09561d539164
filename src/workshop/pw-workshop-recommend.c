/* pw-workshop-recommend.c: recommendations and similar items from the
 * current campaigns (GetRecommendations on the main context)
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
 * Recommendations
 * --------------------------------------------------------------------- */

typedef struct
{
  char   **items;
  double  *scores;
} Recommendations;

static void
recommendations_free (Recommendations *r)
{
  g_strfreev (r->items);
  g_free (r->scores);
  g_free (r);
}

static void
recommend_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) out = NULL;
  GError *error = NULL;
  Recommendations *r;
  JsonArray *list;
  guint n;

  out = pw_aws_client_call_finish (PW_AWS_CLIENT (source), result, &error);
  if (out == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!json_object_has_member (out, "itemList") || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (out, "itemList")))
    {
      g_task_return_new_error (task, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                               _("GetRecommendations answered without an itemList"));
      return;
    }
  list = json_object_get_array_member (out, "itemList");
  n = json_array_get_length (list);
  r = g_new0 (Recommendations, 1);
  r->items = g_new0 (char *, n + 1);
  r->scores = g_new0 (double, MAX (n, 1));
  for (guint i = 0, j = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *item;
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      item = json_node_get_object (node);
      if ((id = pw_workshop_json_get_string (item, "itemId")) == NULL)
        continue;
      r->items[j] = g_strdup (id);
      r->scores[j] = json_object_get_double_member_with_default (item, "score", 0);
      j++;
    }
  g_task_return_pointer (task, r, (GDestroyNotify) recommendations_free);
}

static void
recommend_async (PwWorkshop          *self,
                 const char          *recipe,
                 const char          *member,
                 const char          *id,
                 guint                num_results,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             tag)
{
  g_autoptr(GCancellable) joined = pw_workshop_join_cancellables (self, cancellable);
  GTask *task = g_task_new (self, joined, callback, user_data);
  g_autoptr(JsonObject) input = json_object_new ();
  PwWorkshopResource *version, *campaign = NULL;

  g_task_set_source_tag (task, tag);
  g_task_set_check_cancellable (task, FALSE);
  version = pw_workshop_current_version (self, recipe);
  if (version != NULL)
    campaign = pw_workshop_find_current (self, PW_RESOURCE_CAMPAIGN, NULL, NULL,
                                         pw_workshop_resource_get_arn (version));
  if (self->client == NULL || !pw_workshop_resource_is_active (campaign, -1))
    {
      g_task_return_new_error (task, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                               _("There is no active campaign for %s yet: run the Campaigns step first."), recipe);
      g_object_unref (task);
      return;
    }
  if (id == NULL || *id == '\0' || num_results < 1 || num_results > 500)
    {
      g_task_return_new_error (task, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_INVALID_DATA,
                               _("Give an id and between 1 and 500 results."));
      g_object_unref (task);
      return;
    }
  json_object_set_string_member (input, "campaignArn", pw_workshop_resource_get_arn (campaign));
  json_object_set_string_member (input, member, id);
  json_object_set_int_member (input, "numResults", num_results);
  pw_aws_client_call_async (self->client, PW_AWS_SERVICE_PERSONALIZE_RUNTIME, "GetRecommendations", input,
                            joined, recommend_done_cb, task);
}

static char **
recommend_finish (PwWorkshop    *self,
                  GAsyncResult  *result,
                  double       **out_scores,
                  GError       **error)
{
  Recommendations *r = g_task_propagate_pointer (G_TASK (result), error);
  char **items;

  if (r == NULL)
    return NULL;
  items = g_steal_pointer (&r->items);
  if (out_scores != NULL)
    *out_scores = g_steal_pointer (&r->scores);
  recommendations_free (r);
  return items;
}

void
pw_workshop_recommend_async (PwWorkshop          *self,
                             const char          *user_id,
                             guint                num_results,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (PW_IS_WORKSHOP (self));
  recommend_async (self, "aws-user-personalization", "userId", user_id, num_results, cancellable,
                   callback, user_data, pw_workshop_recommend_async);
}

char **
pw_workshop_recommend_finish (PwWorkshop    *self,
                              GAsyncResult  *result,
                              double       **out_scores,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return recommend_finish (self, result, out_scores, error);
}

void
pw_workshop_similar_items_async (PwWorkshop          *self,
                                 const char          *item_id,
                                 guint                num_results,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (PW_IS_WORKSHOP (self));
  recommend_async (self, "aws-similar-items", "itemId", item_id, num_results, cancellable,
                   callback, user_data, pw_workshop_similar_items_async);
}

char **
pw_workshop_similar_items_finish (PwWorkshop    *self,
                                  GAsyncResult  *result,
                                  double       **out_scores,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return recommend_finish (self, result, out_scores, error);
}

