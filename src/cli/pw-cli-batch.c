/* pw-cli-batch.c: `batch`: batch inference, JSON Lines in and out, in the
 * formats of docs/personalize-api.md section 6
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-cli.h"
#include "pw-cli-engine.h"

/* One output line for one input line; problems go into its "error". */
static char *
infer_line (PwModel                  *model,
            PwRecipe                  recipe,
            const PwRecommendOptions *ropts,
            JsonNode                 *input,
            gboolean                 *failed)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) list = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj = JSON_NODE_HOLDS_OBJECT (input) ? json_node_get_object (input) : NULL;
  PwRecipeType type = pw_recipe_get_type_for (recipe);
  const char *user = NULL, *item = NULL;
  gboolean with_scores = recipe == PW_RECIPE_USER_PERSONALIZATION || recipe == PW_RECIPE_PERSONALIZED_RANKING;

  if (obj != NULL && json_object_has_member (obj, "userId")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "userId")))
    user = json_object_get_string_member (obj, "userId");
  if (obj != NULL && json_object_has_member (obj, "itemId")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "itemId")))
    item = json_object_get_string_member (obj, "itemId");

  if (obj == NULL)
    g_set_error (&error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_INVALID_INPUT, _("The line is not a JSON object"));
  else if (type == PW_RECIPE_TYPE_RELATED_ITEMS)
    {
      if (item == NULL)
        g_set_error (&error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_INVALID_INPUT, _("itemId is required"));
      else
        list = pw_model_recommend_related (model, item, NULL, ropts, &error);
    }
  else if (type == PW_RECIPE_TYPE_PERSONALIZED_RANKING)
    {
      JsonArray *arr = json_object_has_member (obj, "itemList")
                       && JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "itemList"))
                       ? json_object_get_array_member (obj, "itemList") : NULL;
      if (user == NULL || arr == NULL)
        g_set_error (&error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_INVALID_INPUT, _("userId and itemList are required"));
      else
        {
          guint n = json_array_get_length (arr);
          const char **ids = g_new0 (const char *, n + 1);
          gboolean ok = TRUE;

          for (guint k = 0; k < n; k++)
            {
              JsonNode *node = json_array_get_element (arr, k);
              if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
                ok = FALSE;
              else
                ids[k] = json_node_get_string (node);
            }
          if (!ok)
            g_set_error (&error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_INVALID_INPUT, _("itemList must hold item id strings"));
          else
            list = pw_model_rank (model, user, ids, n, &error);
          g_free (ids);
        }
    }
  else if (user == NULL)
    g_set_error (&error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_INVALID_INPUT, _("userId is required"));
  else
    list = pw_model_recommend (model, user, ropts, &error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "input");
  json_builder_add_value (b, json_node_copy (input));
  json_builder_set_member_name (b, "output");
  if (list != NULL)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "recommendedItems");
      json_builder_begin_array (b);
      for (guint k = 0; k < list->len; k++)
        json_builder_add_string_value (b, g_array_index (list, PwRecommendation, k).item_id);
      json_builder_end_array (b);
      if (with_scores)
        {
          json_builder_set_member_name (b, "scores");
          json_builder_begin_array (b);
          for (guint k = 0; k < list->len; k++)
            {
              const PwRecommendation *r = &g_array_index (list, PwRecommendation, k);
              if (r->has_score)
                json_builder_add_double_value (b, pw_cli_engine_round (r->score));
              else
                json_builder_add_null_value (b);
            }
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "error");
  *failed = error != NULL;
  if (error != NULL)
    json_builder_add_string_value (b, error->message);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return pw_cli_engine_to_json (root);
}

int
pw_cli_batch (int    argc,
              char **argv)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *recipe_name = NULL;
  g_autofree char *input_path = NULL;
  g_autofree char *output_path = NULL;
  int num_results = 25;
  double exploration_weight = PW_DEFAULT_EXPLORATION_WEIGHT;
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, N_("Folder with the files prepare wrote"), N_("DIR") },
    { "recipe", 0, 0, G_OPTION_ARG_STRING, &recipe_name, N_("Recipe, e.g. aws-user-personalization"), N_("NAME") },
    { "input", 0, 0, G_OPTION_ARG_FILENAME, &input_path, N_("JSON Lines input"), N_("FILE") },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output_path, N_("JSON Lines output (usually the input name + .out)"), N_("FILE") },
    { "num-results", 0, 0, G_OPTION_ARG_INT, &num_results, N_("List length (default 25, at most 500)"), N_("N") },
    { "exploration-weight", 0, 0, G_OPTION_ARG_DOUBLE, &exploration_weight, N_("explorationWeight, 0 to 1 (default 0.3)"), N_("W") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwDataset) train = NULL;
  g_autoptr(PwModel) model = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *contents = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  PwRecipe recipe;
  PwRecommendOptions ropts;
  guint n_lines = 0, n_errors = 0;

  g_option_context_set_summary (context, _("Batch inference: one JSON object per input line "
                                           "({\"userId\"}, {\"itemId\"} or {\"userId\", \"itemList\"}), "
                                           "one {\"input\", \"output\", \"error\"} line per input in the output."));
  g_option_context_add_main_entries (context, entries, PW_GETTEXT_PACKAGE);
  if (!pw_cli_engine_parse_command_line (context, &argc, &argv, &recipe_name, &recipe))
    return 2;
  if (data_dir == NULL || input_path == NULL || output_path == NULL)
    {
      g_printerr (_("%s: --data, --input and --output are required\n"), argv[0]);
      return 2;
    }
  if (!pw_cli_engine_check_options (argc, argv, num_results, exploration_weight))
    return 2;

  if (!g_file_get_contents (input_path, &contents, NULL, &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }
  lines = g_strsplit (contents, "\n", -1);
  /* every line must be JSON before anything is trained */
  for (guint k = 0; lines[k] != NULL; k++)
    {
      g_strstrip (lines[k]);
      if (lines[k][0] == '\0')
        continue;
      if (!json_parser_load_from_data (parser, lines[k], -1, &error))
        {
          g_printerr (_("%s: %s, line %u: %s\n"), argv[0], input_path, k + 1, error->message);
          return 1;
        }
    }

  train = pw_cli_engine_load_training (data_dir, &error);
  if (train == NULL)
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }
  model = pw_cli_engine_train (train, recipe, NULL, &error);
  if (model == NULL)
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }

  pw_cli_engine_recommend_options (&ropts, num_results, exploration_weight);
  for (guint k = 0; lines[k] != NULL; k++)
    {
      g_autofree char *line = NULL;
      gboolean failed = FALSE;

      if (lines[k][0] == '\0')
        continue;
      json_parser_load_from_data (parser, lines[k], -1, NULL);
      line = infer_line (model, recipe, &ropts, json_parser_get_root (parser), &failed);
      if (failed)
        n_errors++;
      g_string_append (out, line);
      g_string_append_c (out, '\n');
      n_lines++;
    }

  if (!g_file_set_contents_full (output_path, out->str, (gssize) out->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }
  g_print (_("%u lines written to %s (%u with an error)\n"), n_lines, output_path, n_errors);
  return 0;
}
