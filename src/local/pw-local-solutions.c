/* pw-local-solutions.c: personalize-local's control plane: recipes, solutions and
 * solution versions
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
  json_object_set_string_member (obj, "status", PW_LOCAL_STATUS_ACTIVE);
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

gboolean
pw_local_op_list_recipes (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  const char * const *names = pw_recipe_list_names ();
  const char *provider = pw_local_get_str (in, "recipeProvider");
  const char *domain = pw_local_get_str (in, "domain");
  g_autoptr(JsonObject) out = json_object_new ();
  JsonArray *list = json_array_new ();

  if (provider != NULL && strcmp (provider, "SERVICE") != 0)
    {
      json_array_unref (list);
      pw_local_invalid_input (error, "1 validation error detected: Value '%s' at 'recipeProvider' failed to satisfy "
                              "constraint: Member must satisfy enum value set: [SERVICE]", provider);
      return FALSE;
    }
  if (json_object_has_member (in, "nextToken") && pw_local_get_str (in, "nextToken") != NULL)
    {
      json_array_unref (list);
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_NEXT_TOKEN,
                   "The nextToken is not valid (every recipe fits on one page)");
      return FALSE;
    }
  if (domain == NULL)
    for (guint i = 0; names[i] != NULL; i++)
      json_array_add_object_element (list, recipe_object (names[i], FALSE));
  json_object_set_array_member (out, "recipes", list);
  pw_local_respond_object (response, out);
  return TRUE;
}

gboolean
pw_local_op_describe_recipe (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  const char *arn = pw_local_get_str (in, "recipeArn");
  PwRecipe recipe;

  if (!g_str_has_prefix (arn, "arn:aws:personalize:::recipe/")
      || !pw_recipe_from_name (arn + strlen ("arn:aws:personalize:::recipe/"), &recipe, NULL))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_NOT_FOUND,
                   "Resource Arn %s does not exist.", arn);
      return FALSE;
    }
  pw_local_respond_member (response, "recipe", recipe_object (arn + strlen ("arn:aws:personalize:::recipe/"), TRUE));
  return TRUE;
}

/* ---- solutions ---- */

gboolean
pw_local_op_create_solution (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  const char *recipe_arn = pw_local_get_str (in, "recipeArn");
  g_autofree char *arn = NULL;
  PwLocalResource *group;
  PwLocalResource *r;
  PwRecipe recipe;

  if (!pw_local_check_name (in, "name", error) || !pw_local_check_arn (in, "datasetGroupArn", error) || !pw_local_check_tags (in, error))
    return FALSE;
  if (pw_local_get_bool (in, "performAutoML", FALSE))
    {
      pw_local_invalid_input (error, "personalize-local does not run AutoML; set performAutoML to false and pass a "
                              "recipeArn (ListRecipes shows them)");
      return FALSE;
    }
  if (recipe_arn == NULL)
    {
      pw_local_invalid_input (error, "recipeArn is required when performAutoML is false");
      return FALSE;
    }
  if (!g_str_has_prefix (recipe_arn, "arn:aws:personalize:::recipe/")
      || !pw_recipe_from_name (recipe_arn + strlen ("arn:aws:personalize:::recipe/"), &recipe, NULL))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_NOT_FOUND,
                   "Resource Arn %s does not exist (ListRecipes shows the recipes personalize-local trains).",
                   recipe_arn);
      return FALSE;
    }
  if (json_object_has_member (in, "solutionConfig"))
    {
      JsonObject *config = json_object_get_object_member (in, "solutionConfig");
      JsonNode *threshold = json_object_get_member (config, "eventValueThreshold");
      JsonNode *hp = json_object_get_member (config, "algorithmHyperParameters");

      if (threshold != NULL && !pw_local_node_has_type (threshold, T_STR))
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_SERIALIZATION,
                       "solutionConfig.eventValueThreshold must be a string such as \"3.5\"");
          return FALSE;
        }
      if (threshold != NULL)
        {
          char *end = NULL;
          g_ascii_strtod (json_node_get_string (threshold), &end);
          if (end == json_node_get_string (threshold) || *end != '\0')
            {
              pw_local_invalid_input (error, "solutionConfig.eventValueThreshold \"%s\" is not a number",
                                      json_node_get_string (threshold));
              return FALSE;
            }
        }
      if (hp != NULL && !pw_local_node_has_type (hp, T_MAP))
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_SERIALIZATION,
                       "solutionConfig.algorithmHyperParameters must map names to strings");
          return FALSE;
        }
    }
  if ((group = pw_local_lookup (self, pw_local_get_str (in, "datasetGroupArn"), PW_LOCAL_KIND_DATASET_GROUP, error)) == NULL
      || !pw_local_require_usable (group, "Dataset group", error))
    return FALSE;
  arn = pw_local_make_arn (self, PW_LOCAL_KIND_SOLUTION, pw_local_get_str (in, "name"));
  if (!pw_local_check_exists_not (self, arn, error))
    return FALSE;
  r = pw_local_resource_new (PW_LOCAL_KIND_SOLUTION, arn);
  json_object_set_string_member (r->obj, "name", pw_local_get_str (in, "name"));
  json_object_set_string_member (r->obj, "solutionArn", arn);
  json_object_set_boolean_member (r->obj, "performHPO", pw_local_get_bool (in, "performHPO", FALSE));
  json_object_set_boolean_member (r->obj, "performAutoML", FALSE);
  json_object_set_boolean_member (r->obj, "performAutoTraining", pw_local_get_bool (in, "performAutoTraining", TRUE));
  json_object_set_string_member (r->obj, "recipeArn", recipe_arn);
  json_object_set_string_member (r->obj, "datasetGroupArn", group->arn);
  pw_local_copy_member (r->obj, in, "eventType");
  pw_local_copy_member (r->obj, in, "solutionConfig");
  pw_local_set_status (r, PW_LOCAL_STATUS_CREATE_PENDING);
  pw_local_copy_member (r->internal, in, "tags");
  if (pw_local_add_resource (self, r, error) == NULL)
    return FALSE;
  pw_local_queue_job (self, r, FALSE);
  pw_local_respond_string (response, "solutionArn", arn);
  return TRUE;
}

gboolean
pw_local_op_describe_solution (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  return pw_local_op_describe (self, in, PW_LOCAL_KIND_SOLUTION, "solution", response, error);
}

gboolean
pw_local_op_list_solutions (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "name", "solutionArn", "status", "creationDateTime", "lastUpdatedDateTime", "recipeArn", NULL };

  if (!pw_local_check_arn (in, "datasetGroupArn", error))
    return FALSE;
  return pw_local_list_page (self, PW_LOCAL_KIND_SOLUTION, in, "datasetGroupArn", pw_local_get_str (in, "datasetGroupArn"),
               "solutions", fields, response, error);
}

static PwLocalResource *
find_campaign_of_solution (PwLocalPersonalize *self,
                           PwLocalResource    *solution)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->resources);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PwLocalResource *c = value;
      const char *version;

      if (c->kind != PW_LOCAL_KIND_CAMPAIGN)
        continue;
      version = json_object_get_string_member (c->obj, "solutionVersionArn");
      if (g_str_has_prefix (version, solution->arn) && version[strlen (solution->arn)] == '/')
        return c;
    }
  return NULL;
}

gboolean
pw_local_op_delete_solution (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  PwLocalResource *r;
  PwLocalResource *busy;

  if (!pw_local_check_arn (in, "solutionArn", error)
      || (r = pw_local_lookup (self, pw_local_get_str (in, "solutionArn"), PW_LOCAL_KIND_SOLUTION, error)) == NULL
      || !pw_local_refuse_if_busy (r, error))
    return FALSE;
  if ((busy = find_campaign_of_solution (self, r)) != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "Cannot delete solution %s: campaign %s uses one of its versions; delete the campaign first.",
                   r->arn, busy->arn);
      return FALSE;
    }
  if ((busy = pw_local_find_child (self, PW_LOCAL_KIND_SOLUTION_VERSION, "solutionArn", r->arn, TRUE)) != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "Cannot delete solution %s while version %s is training.", r->arn, busy->arn);
      return FALSE;
    }
  return pw_local_start_delete (self, r, response, error);
}

/* ---- solution versions ---- */

gboolean
pw_local_op_create_version (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  const char *mode = pw_local_get_str (in, "trainingMode");
  g_autofree char *hex = NULL;
  g_autofree char *arn = NULL;
  PwLocalResource *solution;
  PwLocalResource *busy;
  PwLocalResource *r;
  PwRecipe recipe;

  if (!pw_local_check_arn (in, "solutionArn", error) || !pw_local_check_name (in, "name", error) || !pw_local_check_tags (in, error))
    return FALSE;
  if (mode == NULL)
    mode = "FULL";
  if (strcmp (mode, "FULL") != 0 && strcmp (mode, "UPDATE") != 0 && strcmp (mode, "AUTOTRAIN") != 0)
    {
      pw_local_invalid_input (error, "1 validation error detected: Value '%s' at 'trainingMode' failed to satisfy "
                              "constraint: Member must satisfy enum value set: [FULL, UPDATE, AUTOTRAIN]", mode);
      return FALSE;
    }
  if ((solution = pw_local_lookup (self, pw_local_get_str (in, "solutionArn"), PW_LOCAL_KIND_SOLUTION, error)) == NULL
      || !pw_local_require_usable (solution, "Solution", error))
    return FALSE;
  pw_local_recipe_of (solution, &recipe);
  if (strcmp (mode, "UPDATE") == 0)
    {
      GHashTableIter iter;
      gpointer value;
      gboolean has_full = FALSE;

      g_hash_table_iter_init (&iter, self->resources);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          PwLocalResource *v = value;

          if (v->kind == PW_LOCAL_KIND_SOLUTION_VERSION
              && g_strcmp0 (json_object_get_string_member (v->obj, "solutionArn"), solution->arn) == 0
              && strcmp (pw_local_status (v), PW_LOCAL_STATUS_ACTIVE) == 0)
            has_full = TRUE;
        }
      if (recipe != PW_RECIPE_USER_PERSONALIZATION || !has_full)
        {
          pw_local_invalid_input (error, "trainingMode UPDATE needs a user-personalization solution with an ACTIVE "
                                  "FULL version; train with trainingMode FULL first");
          return FALSE;
        }
    }
  if ((busy = pw_local_find_child (self, PW_LOCAL_KIND_SOLUTION_VERSION, "solutionArn", solution->arn, TRUE)) != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_RESOURCE_IN_USE,
                   "There is already a solution version in progress for %s: %s.", solution->arn, busy->arn);
      return FALSE;
    }
  do
    {
      g_free (hex);
      g_free (arn);
      hex = pw_local_random_hex8 ();
      arn = g_strdup_printf ("%s/%s", solution->arn, hex);
    }
  while (g_hash_table_contains (self->resources, arn));
  r = pw_local_resource_new (PW_LOCAL_KIND_SOLUTION_VERSION, arn);
  pw_local_copy_member (r->obj, in, "name");
  json_object_set_string_member (r->obj, "solutionVersionArn", arn);
  json_object_set_string_member (r->obj, "solutionArn", solution->arn);
  pw_local_copy_member (r->obj, solution->obj, "performHPO");
  pw_local_copy_member (r->obj, solution->obj, "performAutoML");
  pw_local_copy_member (r->obj, solution->obj, "recipeArn");
  pw_local_copy_member (r->obj, solution->obj, "eventType");
  pw_local_copy_member (r->obj, solution->obj, "datasetGroupArn");
  pw_local_copy_member (r->obj, solution->obj, "solutionConfig");
  json_object_set_string_member (r->obj, "trainingMode", mode);
  json_object_set_string_member (r->obj, "trainingType", "MANUAL");
  pw_local_set_status (r, PW_LOCAL_STATUS_CREATE_PENDING);
  pw_local_copy_member (r->internal, in, "tags");
  if (pw_local_add_resource (self, r, error) == NULL)
    return FALSE;
  pw_local_queue_job (self, r, FALSE);
  pw_local_respond_string (response, "solutionVersionArn", arn);
  return TRUE;
}

gboolean
pw_local_op_describe_version (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  return pw_local_op_describe (self, in, PW_LOCAL_KIND_SOLUTION_VERSION, "solutionVersion", response, error);
}

gboolean
pw_local_op_list_versions (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  static const char * const fields[] = {
    "solutionVersionArn", "status", "trainingMode", "trainingType", "creationDateTime", "lastUpdatedDateTime",
    "failureReason", NULL };

  if (!pw_local_check_arn (in, "solutionArn", error))
    return FALSE;
  return pw_local_list_page (self, PW_LOCAL_KIND_SOLUTION_VERSION, in, "solutionArn", pw_local_get_str (in, "solutionArn"),
               "solutionVersions", fields, response, error);
}

gboolean
pw_local_op_get_solution_metrics (PwLocalPersonalize *self, JsonObject *in, PwLocalResponse *response, GError **error)
{
  PwLocalResource *r;
  g_autoptr(JsonObject) out = json_object_new ();
  JsonNode *metrics;

  if (!pw_local_check_arn (in, "solutionVersionArn", error)
      || (r = pw_local_lookup (self, pw_local_get_str (in, "solutionVersionArn"), PW_LOCAL_KIND_SOLUTION_VERSION, error)) == NULL
      || !pw_local_require_active (r, "Solution version", error))
    return FALSE;
  json_object_set_string_member (out, "solutionVersionArn", r->arn);
  metrics = json_object_get_member (r->internal, "metrics");
  json_object_set_member (out, "metrics",
                          metrics != NULL ? json_node_copy (metrics)
                                          : json_node_init_object (json_node_alloc (), json_object_new ()));
  pw_local_respond_object (response, out);
  return TRUE;
}
