/* pw-cli-recommend.c: `recommend`: one list for a user (optionally after
 * click events, one list per click), for an item, or a ranking
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "pw-config.h"

#include <glib/gi18n.h>

#include "pw-cli.h"
#include "pw-cli-engine.h"

static char **
split_ids (const char *list)
{
  g_auto(GStrv) parts = g_strsplit (list, ",", -1);
  GPtrArray *out = g_ptr_array_new ();

  for (guint k = 0; parts[k] != NULL; k++)
    {
      g_strstrip (parts[k]);
      if (parts[k][0] != '\0')
        g_ptr_array_add (out, g_strdup (parts[k]));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

static const char *
item_title (PwItems    *catalog,
            const char *item_id)
{
  guint ci;

  if (catalog != NULL && pw_items_lookup (catalog, item_id, &ci))
    return pw_items_get_title (catalog, ci);
  return "";
}

int
pw_cli_recommend (int    argc,
                  char **argv)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *recipe_name = NULL;
  g_autofree char *user = NULL;
  g_autofree char *item = NULL;
  g_autofree char *events = NULL;
  g_autofree char *rank = NULL;
  int num_results = 25;
  double exploration_weight = PW_DEFAULT_EXPLORATION_WEIGHT;
  gboolean keep = FALSE, json = FALSE;
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, N_("Folder with the files prepare wrote"), N_("DIR") },
    { "recipe", 0, 0, G_OPTION_ARG_STRING, &recipe_name, N_("Recipe, e.g. aws-user-personalization"), N_("NAME") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Recommend for this user"), N_("ID") },
    { "events", 0, 0, G_OPTION_ARG_STRING, &events, N_("Click these items in order, printing a list after each"), N_("ITEM,ITEM,…") },
    { "item", 0, 0, G_OPTION_ARG_STRING, &item, N_("Recommend items related to this item"), N_("ID") },
    { "rank", 0, 0, G_OPTION_ARG_STRING, &rank, N_("Rank these items for the user"), N_("ITEM,ITEM,…") },
    { "num-results", 0, 0, G_OPTION_ARG_INT, &num_results, N_("List length (default 25, at most 500)"), N_("N") },
    { "exploration-weight", 0, 0, G_OPTION_ARG_DOUBLE, &exploration_weight, N_("explorationWeight, 0 to 1 (default 0.3)"), N_("W") },
    { "keep-interacted", 0, 0, G_OPTION_ARG_NONE, &keep, N_("Keep items the user already interacted with"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwDataset) train = NULL;
  g_autoptr(PwModel) model = NULL;
  g_autoptr(PwItems) catalog = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(GStrv) event_ids = NULL;
  g_auto(GStrv) rank_ids = NULL;  /* unknown items in a ranking point here */
  PwRecipe recipe;
  PwRecommendOptions ropts;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_option_context_set_summary (context, _("Trains a recipe on the files in DIR and prints recommendations: "
                                           "--user ID [--events …], --item ID, or --user ID --rank …"));
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
  if ((user == NULL) == (item == NULL) || (item != NULL && (events != NULL || rank != NULL))
      || (events != NULL && rank != NULL))
    {
      g_printerr (_("%s: give --user ID [--events ITEM,…], --item ID, or --user ID --rank ITEM,…\n"), argv[0]);
      return 2;
    }

  event_ids = split_ids (events != NULL ? events : "");
  if (events != NULL && event_ids[0] == NULL)
    {
      g_printerr (_("%s: --events names no item\n"), argv[0]);
      return 2;
    }

  train = pw_cli_engine_load_training (data_dir, &error);
  if (train == NULL)
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }
  catalog = pw_cli_engine_load_catalog (data_dir);
  /* every clicked item must be in the catalogue before training:
   * a typo is an error that names it, not a list that silently ignores it
   * (PutEvents itself accepts unknown items, as AWS does) */
  for (guint k = 0; event_ids[k] != NULL; k++)
    if (pw_dataset_lookup_item (train, event_ids[k]) < 0)
      {
        g_printerr (_("%s: --events: item “%s” is not in the catalogue of %s (training_item.csv)\n"),
                    argv[0], event_ids[k], data_dir);
        return 1;
      }

  model = pw_cli_engine_train (train, recipe, NULL, &error);
  if (model == NULL)
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }

  pw_cli_engine_recommend_options (&ropts, num_results, exploration_weight);
  ropts.keep_interacted = keep;
  rank_ids = split_ids (rank != NULL ? rank : "");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, item != NULL ? "item" : "user");
  json_builder_add_string_value (b, item != NULL ? item : user);
  json_builder_set_member_name (b, "lists");
  json_builder_begin_array (b);

  for (gint k = -1; k < (gint) g_strv_length (event_ids); k++)
    {
      g_autoptr(GArray) list = NULL;

      if (k >= 0 && !pw_model_put_event (model, user, event_ids[k], now + k, &error))
        {
          g_printerr ("%s: %s\n", argv[0], error->message);
          return 1;
        }

      if (item != NULL)
        list = pw_model_recommend_related (model, item, NULL, &ropts, &error);
      else if (rank != NULL)
        list = pw_model_rank (model, user, (const char * const *) rank_ids, g_strv_length (rank_ids), &error);
      else
        list = pw_model_recommend (model, user, &ropts, &error);
      if (list == NULL)
        {
          g_printerr ("%s: %s\n", argv[0], error->message);
          return 1;
        }

      if (json)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "event");
          if (k >= 0)
            json_builder_add_string_value (b, event_ids[k]);
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "itemList");
          json_builder_add_value (b, pw_cli_engine_list_to_json (model, catalog, list));
          json_builder_end_object (b);
          continue;
        }

      if (k >= 0)
        g_print (_("\nAfter a click on %s %s:\n"), event_ids[k], item_title (catalog, event_ids[k]));
      else if (item != NULL)
        g_print (_("Items related to %s %s (%s):\n"), item, item_title (catalog, item), pw_recipe_to_name (recipe));
      else if (rank != NULL)
        g_print (_("Ranking for user %s (%s):\n"), user, pw_recipe_to_name (recipe));
      else
        g_print (_("Recommendations for user %s (%s%s):\n"), user, pw_recipe_to_name (recipe),
                 pw_model_has_user (model, user) ? "" : _(", unknown user: popular items"));
      pw_cli_engine_print_list (model, catalog, list);
    }

  json_builder_end_array (b);
  json_builder_end_object (b);
  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (b);
      g_autofree char *text = pw_cli_engine_to_json (root);
      g_print ("%s\n", text);
    }
  return 0;
}
