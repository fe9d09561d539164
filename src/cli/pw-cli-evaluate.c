/* pw-cli-evaluate.c: `evaluate`: solution metrics and the validation
 * evaluation of a recipe on the files `prepare` wrote
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-cli.h"
#include "pw-cli-engine.h"

static void
add_metrics (JsonBuilder     *b,
             const PwMetrics *m,
             gboolean         with_workshop)
{
  const PwMetricKey *keys;
  guint n_keys;

  keys = pw_metrics_get_keys (&n_keys);
  for (guint k = 0; k < n_keys; k++)
    {
      if (!keys[k].personalize && !with_workshop)
        continue;
      json_builder_set_member_name (b, keys[k].key);
      json_builder_add_double_value (b, pw_cli_engine_round (pw_metrics_get_value (m, &keys[k])));
    }
}

static void
print_metrics (const PwMetrics *m,
               gboolean         with_workshop)
{
  const PwMetricKey *keys;
  guint n_keys;

  keys = pw_metrics_get_keys (&n_keys);
  for (guint k = 0; k < n_keys; k++)
    {
      if (!keys[k].personalize && !with_workshop)
        continue;
      g_print ("  %-46s %.4f%s\n", keys[k].key, pw_metrics_get_value (m, &keys[k]),
               keys[k].personalize ? "" : _("  (the workshop notebook’s NDCG)"));
    }
}

int
pw_cli_evaluate (int    argc,
                 char **argv)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *recipe_name = NULL;
  int num_results = 25;
  double exploration_weight = PW_DEFAULT_EXPLORATION_WEIGHT;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, N_("Folder with the files prepare wrote"), N_("DIR") },
    { "recipe", 0, 0, G_OPTION_ARG_STRING, &recipe_name, N_("Recipe, e.g. aws-user-personalization"), N_("NAME") },
    { "num-results", 0, 0, G_OPTION_ARG_INT, &num_results, N_("Recommendations per user in the validation evaluation (default 25)"), N_("N") },
    { "exploration-weight", 0, 0, G_OPTION_ARG_DOUBLE, &exploration_weight, N_("The campaign’s explorationWeight, 0 to 1 (default 0.3)"), N_("W") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwDataset) train = NULL;
  g_autoptr(PwDataset) validation = NULL;
  g_autoptr(PwModel) model = NULL;
  PwRecipe recipe;
  PwTrainOptions options;
  PwRecommendOptions ropts;
  PwMetrics solution, valid;
  double train_s, solution_s, eval_s;
  gboolean ease;
  gint64 t0;

  g_option_context_set_summary (context, _("Trains a recipe on DIR/training_interaction.csv and DIR/training_item.csv, "
                                           "prints its solution metrics and its evaluation against "
                                           "DIR/validation_interaction.csv."));
  g_option_context_add_main_entries (context, entries, PW_GETTEXT_PACKAGE);
  if (!pw_cli_engine_parse_command_line (context, &argc, &argv, &recipe_name, &recipe))
    return 2;
  if (data_dir == NULL)
    {
      g_printerr (_("%s: --data is required\n"), argv[0]);
      return 2;
    }
  if (!pw_cli_engine_check_options (argc, argv, num_results, exploration_weight))
    return 2;

  train = pw_cli_engine_load_training (data_dir, &error);
  if (train != NULL)
    validation = pw_cli_engine_load_validation (data_dir, &error);
  if (validation == NULL)
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }

  t0 = g_get_monotonic_time ();
  pw_train_options_init (&options, recipe);
  if (!pw_evaluate_solution (train, &options, &solution, NULL, &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }
  solution_s = (g_get_monotonic_time () - t0) / 1e6;

  model = pw_cli_engine_train (train, recipe, &train_s, &error);
  if (model == NULL)
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }
  pw_cli_engine_recommend_options (&ropts, num_results, exploration_weight);
  t0 = g_get_monotonic_time ();
  if (!pw_evaluate_validation (model, validation, &ropts, &valid, NULL, &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }
  eval_s = (g_get_monotonic_time () - t0) / 1e6;
  ease = (recipe == PW_RECIPE_USER_PERSONALIZATION || recipe == PW_RECIPE_PERSONALIZED_RANKING)
         && !pw_model_is_factor_model (model);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "recipe");
      json_builder_add_string_value (b, pw_recipe_to_name (recipe));
      json_builder_set_member_name (b, "train_seconds");
      json_builder_add_double_value (b, pw_cli_engine_round (train_s));
      json_builder_set_member_name (b, "evaluate_seconds");
      json_builder_add_double_value (b, pw_cli_engine_round (eval_s));
      json_builder_set_member_name (b, "solution_seconds");
      json_builder_add_double_value (b, pw_cli_engine_round (solution_s));
      json_builder_set_member_name (b, "exploration_weight");
      json_builder_add_double_value (b, recipe == PW_RECIPE_USER_PERSONALIZATION ? exploration_weight : 0);
      if (ease)
        {
          /* what the internal holdout chose */
          json_builder_set_member_name (b, "model");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "lambda");
          json_builder_add_double_value (b, pw_cli_engine_round (pw_model_get_lambda (model)));
          json_builder_set_member_name (b, "recency_half_life");
          if (pw_model_get_recency_half_life (model) > 0)
            json_builder_add_double_value (b, pw_model_get_recency_half_life (model));
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "sequence_weight");
          json_builder_add_double_value (b, pw_model_get_sequence_weight (model));
          json_builder_set_member_name (b, "time_weight");
          json_builder_add_double_value (b, pw_model_get_time_weight (model));
          json_builder_set_member_name (b, "session_genre_weight");
          json_builder_add_double_value (b, pw_model_get_session_genre_weight (model));
          json_builder_end_object (b);
        }
      json_builder_set_member_name (b, "solution_metrics");
      json_builder_begin_object (b);
      add_metrics (b, &solution, FALSE);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "validation");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "users");
      json_builder_add_int_value (b, valid.users);
      add_metrics (b, &valid, TRUE);
      json_builder_end_object (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      text = pw_cli_engine_to_json (root);
      g_print ("%s\n", text);
      return 0;
    }

  g_print (_("Recipe: %s (%s model)\n"), pw_recipe_to_name (recipe),
           recipe == PW_RECIPE_POPULARITY_COUNT ? "popularity"
           : pw_recipe_get_type_for (recipe) == PW_RECIPE_TYPE_RELATED_ITEMS ? "co-occurrence"
           : pw_model_is_factor_model (model) ? "ALS" : "EASE");
  g_print (_("Training: %.2f s; solution metrics: %.2f s; validation evaluation: %.2f s\n"),
           train_s, solution_s, eval_s);
  if (ease)
    {
      double half_life = pw_model_get_recency_half_life (model);
      g_autofree char *recency = half_life > 0
        ? g_strdup_printf (g_dngettext (PW_GETTEXT_PACKAGE, "%g interaction", "%g interactions", (gulong) half_life), half_life)
        : g_strdup (_("off"));

      g_print (_("Chosen on an internal holdout: λ %.1f, recency half life %s, "
                 "weight of what comes next %.3g, weight of what was popular at the user’s time %.3g\n"),
               pw_model_get_lambda (model), recency,
               pw_model_get_sequence_weight (model), pw_model_get_time_weight (model));
      g_print (_("A session’s share that goes to what fits the genres of its clicks: %.2f\n"),
               pw_model_get_session_genre_weight (model));
    }
  g_print ("\n");
  g_print (_("Solution metrics (a random 10%% of users held out, no exploration):\n"));
  print_metrics (&solution, FALSE);
  g_print ("\n");
  g_print (_("Validation evaluation (%u users, %d recommendations each, exploration weight %.2f):\n"),
           valid.users, num_results, recipe == PW_RECIPE_USER_PERSONALIZATION ? exploration_weight : 0.0);
  print_metrics (&valid, TRUE);
  return 0;
}
