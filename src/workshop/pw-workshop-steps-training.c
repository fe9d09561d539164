/* pw-workshop-steps-training.c: the Training and Campaigns steps (worker
 * side): a solution and a version per chosen recipe, their metrics, then
 * the campaigns (outdated ones replaced)
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
 * TRAINING
 * --------------------------------------------------------------------- */

gboolean
pw_workshop_steps_run_training (PwWorkshopRun  *run,
                                GError        **error)
{
  PwWorkshopResource *dsg = pw_workshop_steps_find (run, PW_RESOURCE_DATASET_GROUP, NULL, NULL, NULL, -1);
  gint g = run->generation[PW_WORKSHOP_STEP_TRAINING];
  guint n = g_strv_length (run->recipes);
  g_autoptr(GPtrArray) versions = g_ptr_array_new ();
  const PwRecipeInfo *all;
  guint n_all;

  all = pw_workshop_get_recipes (&n_all);
  if (dsg == NULL || n == 0)
    {
      g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                   dsg == NULL ? _("Create the dataset group first.") : _("Choose at least one recipe."));
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      const char *recipe_arn = NULL;
      g_autoptr(JsonObject) input = json_object_new ();
      g_autofree char *name = NULL;
      PwWorkshopWant want = { PW_RESOURCE_SOLUTION, NULL, NULL, NULL, pw_workshop_resource_get_arn (dsg), -1, input, FALSE };
      PwWorkshopResource *solution;

      for (guint k = 0; k < n_all; k++)
        if (strcmp (all[k].name, run->recipes[i]) == 0)
          recipe_arn = all[k].arn;
      g_assert (recipe_arn != NULL);
      name = g_strdup_printf ("%s%s-%s", PW_WORKSHOP_NAME_PREFIX, pw_workshop_steps_short_recipe (recipe_arn),
                              run->suffix);
      want.name = name;
      want.recipe = recipe_arn;
      json_object_set_string_member (input, "datasetGroupArn", pw_workshop_resource_get_arn (dsg));
      json_object_set_string_member (input, "recipeArn", recipe_arn);
      /* AWS's default (true) retrains every 7 days and bills for it. */
      json_object_set_boolean_member (input, "performAutoTraining", FALSE);
      pw_workshop_steps_progress (run, 0.05 * i / n, _("Creating the solution for %s"), run->recipes[i]);
      if ((solution = pw_workshop_steps_ensure (run, &want, error)) == NULL)
        return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      const char *recipe_arn = NULL;
      PwWorkshopResource *solution, *version;
      g_autoptr(JsonObject) input = json_object_new ();
      g_autofree char *name = NULL;
      PwWorkshopWant want = { PW_RESOURCE_SOLUTION_VERSION, NULL, NULL, NULL, NULL, g, input, FALSE };

      for (guint k = 0; k < n_all; k++)
        if (strcmp (all[k].name, run->recipes[i]) == 0)
          recipe_arn = all[k].arn;
      solution = pw_workshop_steps_find (run, PW_RESOURCE_SOLUTION, NULL, recipe_arn,
                                         pw_workshop_resource_get_arn (dsg), -1);
      g_assert (solution != NULL);
      /* A careful client waits for the solution before its version. */
      if (!pw_workshop_steps_wait_active (run, solution, error))
        return FALSE;
      name = g_strdup_printf ("%s version %d", pw_workshop_resource_get_name (solution), g + 1);
      want.name = name;
      want.recipe = recipe_arn;
      want.parent = pw_workshop_resource_get_arn (solution);
      json_object_set_string_member (input, "solutionArn", want.parent);
      json_object_set_string_member (input, "trainingMode", "FULL");
      pw_workshop_steps_progress (run, 0.05 + 0.05 * i / n, _("Starting the training of %s"), run->recipes[i]);
      if ((version = pw_workshop_steps_ensure (run, &want, error)) == NULL)
        return FALSE;
      g_ptr_array_add (versions, version);
    }

  for (guint i = 0; i < n; i++)
    {
      PwWorkshopResource *version = g_ptr_array_index (versions, i);
      g_autoptr(JsonObject) input = json_object_new ();
      g_autoptr(JsonObject) out = NULL;
      JsonObject *metrics;

      pw_workshop_steps_progress (run, 0.1 + 0.9 * i / n, _("Training %s (%u of %u)"), run->recipes[i], i + 1, n);
      if (!pw_workshop_steps_wait_active (run, version, error))
        return FALSE;
      json_object_set_string_member (input, "solutionVersionArn", pw_workshop_resource_get_arn (version));
      out = pw_workshop_run_call (run, PW_AWS_SERVICE_PERSONALIZE, "GetSolutionMetrics", input, error);
      if (out == NULL)
        {
          g_prefix_error (error, _("Reading the metrics of %s: "), run->recipes[i]);
          return FALSE;
        }
      if ((metrics = pw_workshop_json_get_object (out, "metrics")) == NULL)
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                       _("GetSolutionMetrics answered without metrics for %s"), run->recipes[i]);
          return FALSE;
        }
      if (!pw_workshop_run_set_metrics (run, run->recipes[i], pw_workshop_resource_get_arn (version), metrics, error))
        return FALSE;
    }
  pw_workshop_steps_progress (run, 1.0, _("Training is done"));
  return TRUE;
}

/* ---------------------------------------------------------------------
 * CAMPAIGNS
 * --------------------------------------------------------------------- */

gboolean
pw_workshop_steps_run_campaigns (PwWorkshopRun  *run,
                                 GError        **error)
{
  const char *recipes[] = { "arn:aws:personalize:::recipe/aws-user-personalization",
                            "arn:aws:personalize:::recipe/aws-similar-items" };
  gint gt = run->generation[PW_WORKSHOP_STEP_TRAINING];
  gint gc = run->generation[PW_WORKSHOP_STEP_CAMPAIGNS];
  PwWorkshopResource *dsg = pw_workshop_steps_find (run, PW_RESOURCE_DATASET_GROUP, NULL, NULL, NULL, -1);
  PwWorkshopResource *campaigns[2];

  for (guint i = 0; i < G_N_ELEMENTS (recipes); i++)
    {
      PwWorkshopResource *solution, *version, *campaign;
      g_autoptr(GPtrArray) existing = pw_workshop_steps_live_of_kind (run, PW_RESOURCE_CAMPAIGN);
      g_autoptr(JsonObject) input = json_object_new ();
      g_autofree char *name = NULL;
      PwWorkshopWant want = { PW_RESOURCE_CAMPAIGN, NULL, NULL, recipes[i], NULL, gc, input, FALSE };

      solution = dsg != NULL ? pw_workshop_steps_find (run, PW_RESOURCE_SOLUTION, NULL, recipes[i],
                                                       pw_workshop_resource_get_arn (dsg), -1)
                             : NULL;
      version = solution != NULL ? pw_workshop_steps_find (run, PW_RESOURCE_SOLUTION_VERSION, NULL, NULL,
                                                           pw_workshop_resource_get_arn (solution), gt) : NULL;
      if (version == NULL || pw_workshop_resource_get_status (version) != PW_RESOURCE_STATUS_ACTIVE)
        {
          g_set_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY,
                       _("Train %s first."), pw_workshop_steps_short_recipe (recipes[i]));
          return FALSE;
        }
      /* A campaign of an older version or setting goes first: campaigns bill while they exist. */
      campaign = pw_workshop_steps_find (run, PW_RESOURCE_CAMPAIGN, NULL, recipes[i],
                                         pw_workshop_resource_get_arn (version), gc);
      for (guint k = 0; k < existing->len; k++)
        {
          PwWorkshopResource *c = g_ptr_array_index (existing, k);

          if (c != campaign && g_strcmp0 (pw_workshop_resource_get_recipe (c), recipes[i]) == 0 &&
              !pw_workshop_steps_delete_personalize (run, c, "DeleteCampaign", error))
            return FALSE;
        }

      name = g_strdup_printf ("%s%s-campaign-%s", PW_WORKSHOP_NAME_PREFIX, pw_workshop_steps_short_recipe (recipes[i]),
                              run->suffix);
      want.name = name;
      want.parent = pw_workshop_resource_get_arn (version);
      json_object_set_string_member (input, "solutionVersionArn", want.parent);
      json_object_set_int_member (input, "minProvisionedTPS", 1);
      if (i == 0)
        {
          JsonObject *config = json_object_new ();
          JsonObject *exploration = json_object_new ();
          g_autofree char *weight = g_strdup_printf ("%.2f", run->exploration_weight);

          json_object_set_string_member (exploration, "explorationWeight", weight);
          json_object_set_string_member (exploration, "explorationItemAgeCutOff", "30");
          json_object_set_object_member (config, "itemExplorationConfig", exploration);
          json_object_set_object_member (input, "campaignConfig", config);
        }
      pw_workshop_steps_progress (run, 0.1 + 0.4 * i, _("Creating the campaign for %s"),
                                  pw_workshop_steps_short_recipe (recipes[i]));
      if ((campaigns[i] = pw_workshop_steps_ensure (run, &want, error)) == NULL)
        return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (recipes); i++)
    {
      pw_workshop_steps_progress (run, 0.5 + 0.25 * i, _("Deploying the campaign for %s"),
                                  pw_workshop_steps_short_recipe (recipes[i]));
      if (!pw_workshop_steps_wait_active (run, campaigns[i], error))
        return FALSE;
    }
  pw_workshop_steps_progress (run, 1.0, _("The campaigns are ready"));
  return TRUE;
}

