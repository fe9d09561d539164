/* pw-cli-engine.c: what the engine's subcommands share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pw-cli-engine.h"

static PwDataset *
dataset_from_interactions (PwInteractions *interactions,
                           PwItems        *items)
{
  PwDataset *ds = pw_dataset_new ();

  /* the items file first (its order), then items only seen in interactions */
  if (items != NULL)
    for (guint i = 0; i < items->n_items; i++)
      {
        guint di = pw_dataset_add_item (ds, pw_items_get_id (items, i));
        pw_dataset_set_item_metadata (ds, di, pw_items_get_genres (items, i), -1);
      }
  for (guint r = 0; r < interactions->n_rows; r++)
    {
      float v = interactions->values != NULL ? interactions->values[r] : 1.0f;
      pw_dataset_add_interaction_by_id (ds,
                                        pw_interactions_get_user_id (interactions, interactions->users[r]),
                                        pw_interactions_get_item_id (interactions, interactions->items[r]),
                                        interactions->timestamps[r], isnan (v) ? 1.0f : v);
    }
  return ds;
}

/**
 * pw_cli_engine_load_training:
 * DIR/training_interaction.csv and, when present, DIR/training_item.csv.
 */
PwDataset *
pw_cli_engine_load_training (const char  *dir,
                             GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "training_interaction.csv", NULL);
  g_autofree char *items_path = g_build_filename (dir, "training_item.csv", NULL);
  g_autoptr(PwItems) items = NULL;
  PwInteractions *interactions;
  PwDataset *ds;

  interactions = pw_interactions_read_csv (path, PW_READ_NONE, NULL, NULL, error);
  if (interactions == NULL)
    return NULL;
  if (g_file_test (items_path, G_FILE_TEST_EXISTS))
    {
      items = pw_items_read_csv (items_path, PW_READ_NONE, NULL, NULL, error);
      if (items == NULL)
        {
          pw_interactions_unref (interactions);
          return NULL;
        }
    }
  ds = dataset_from_interactions (interactions, items);
  pw_interactions_unref (interactions);
  return ds;
}

PwDataset *
pw_cli_engine_load_validation (const char  *dir,
                               GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "validation_interaction.csv", NULL);
  PwInteractions *interactions;
  PwDataset *ds;

  interactions = pw_interactions_read_csv (path, PW_READ_NONE, NULL, NULL, error);
  if (interactions == NULL)
    return NULL;
  ds = dataset_from_interactions (interactions, NULL);
  pw_interactions_unref (interactions);
  return ds;
}

/**
 * pw_cli_engine_load_catalog:
 * Returns: (nullable): DIR/catalog.csv (titles, genres), or %NULL when it
 *   is missing or unreadable (lists then show ids and the model's genres)
 */
PwItems *
pw_cli_engine_load_catalog (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "catalog.csv", NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  return pw_items_read_csv (path, PW_READ_SKIP_BAD_ROWS, NULL, NULL, NULL);
}

static gboolean
parse_recipe (const char  *name,
              PwRecipe    *recipe,
              GError     **error)
{
  const char *note = NULL;

  if (name == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--recipe is required"));
      return FALSE;
    }
  if (!pw_recipe_from_name (name, recipe, &note))
    {
      g_autofree char *names = g_strjoinv (", ", (char **) pw_recipe_list_names ());
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unknown recipe “%s” (known: %s)"), name, names);
      return FALSE;
    }
  if (note != NULL)
    g_printerr ("%s\n", _(note));
  return TRUE;
}

PwModel *
pw_cli_engine_train (PwDataset  *dataset,
                     PwRecipe    recipe,
                     double     *seconds,
                     GError    **error)
{
  PwTrainOptions options;
  gint64 t0 = g_get_monotonic_time ();
  PwModel *model;

  pw_train_options_init (&options, recipe);
  model = pw_model_train (dataset, &options, NULL, error);
  if (seconds != NULL)
    *seconds = (g_get_monotonic_time () - t0) / 1e6;
  return model;
}

static void
lookup_item_text (PwModel    *model,
                  PwItems    *catalog,
                  const char *item_id,
                  const char **title,
                  const char **genre)
{
  guint ci;
  gint mi;

  *title = "";
  *genre = "";
  if (catalog != NULL && pw_items_lookup (catalog, item_id, &ci))
    {
      *title = pw_items_get_title (catalog, ci);
      *genre = pw_items_get_genres (catalog, ci);
    }
  mi = pw_model_lookup_item (model, item_id);
  if ((*genre == NULL || **genre == '\0') && mi >= 0 && pw_model_get_item_genres (model, (guint) mi) != NULL)
    *genre = pw_model_get_item_genres (model, (guint) mi);
}

void
pw_cli_engine_print_list (PwModel *model,
                          PwItems *catalog,
                          GArray  *list)
{
  g_print ("  %3s  %-8s  %-10s  %s\n", "#", "ITEM_ID", "SCORE", _("TITLE (GENRE)"));
  for (guint k = 0; k < list->len; k++)
    {
      const PwRecommendation *r = &g_array_index (list, PwRecommendation, k);
      const char *title, *genre;
      char score[32];

      lookup_item_text (model, catalog, r->item_id, &title, &genre);
      if (r->has_score)
        g_snprintf (score, sizeof score, "%.6f", r->score);
      else
        g_strlcpy (score, "-", sizeof score);
      g_print ("  %3u  %-8s  %-10s  %s (%s)%s\n", k + 1, r->item_id, score, title, genre,
               r->explored ? _(" [exploration]") : "");
    }
}

/* values in JSON: six decimals are plenty and read well */
double
pw_cli_engine_round (double value)
{
  if (value != 0 && fabs (value) < 1e-4)
    {
      char buf[32];
      g_ascii_formatd (buf, sizeof buf, "%.4g", value);
      return g_ascii_strtod (buf, NULL);
    }
  return round (value * 1e6) / 1e6;
}

JsonNode *
pw_cli_engine_list_to_json (PwModel *model,
                            PwItems *catalog,
                            GArray  *list)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint k = 0; k < list->len; k++)
    {
      const PwRecommendation *r = &g_array_index (list, PwRecommendation, k);
      const char *title, *genre;

      lookup_item_text (model, catalog, r->item_id, &title, &genre);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "itemId");
      json_builder_add_string_value (b, r->item_id);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, title);
      json_builder_set_member_name (b, "genre");
      json_builder_add_string_value (b, genre);
      json_builder_set_member_name (b, "score");
      if (r->has_score)
        json_builder_add_double_value (b, pw_cli_engine_round (r->score));
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

static void
write_json (GString  *out,
            JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *obj = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (obj);
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            g_autoptr(JsonNode) key = json_node_init_string (json_node_alloc (), l->data);
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            write_json (out, key);
            g_string_append_c (out, ':');
            write_json (out, json_object_get_member (obj, l->data));
          }
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *arr = json_node_get_array (node);
        g_string_append_c (out, '[');
        for (guint k = 0; k < json_array_get_length (arr); k++)
          {
            if (k > 0)
              g_string_append_c (out, ',');
            write_json (out, json_array_get_element (arr, k));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          /* 7 significant digits instead of json-glib's 17 */
          g_ascii_formatd (buf, sizeof buf, "%.7g", json_node_get_double (node));
          g_string_append (out, buf);
          if (strpbrk (buf, ".eEn") == NULL)
            g_string_append (out, ".0");
        }
      else
        {
          g_autoptr(JsonGenerator) gen = json_generator_new ();
          g_autofree char *text = NULL;
          json_generator_set_root (gen, node);
          text = json_generator_to_data (gen, NULL);
          g_string_append (out, text);
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

/* Compact JSON; doubles with 7 significant digits. */
char *
pw_cli_engine_to_json (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  write_json (out, node);
  return g_string_free (out, FALSE);
}

/**
 * pw_cli_engine_parse_command_line:
 * What evaluate, recommend and batch start with: parses the command line
 * with @context's entries, then the recipe that --recipe (*@recipe_name,
 * set by the parse) names. Prints what is wrong.
 *
 * Returns: %FALSE when the command should exit with status 2
 */
gboolean
pw_cli_engine_parse_command_line (GOptionContext   *context,
                                  int              *argc,
                                  char           ***argv,
                                  char * const     *recipe_name,
                                  PwRecipe         *recipe)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error)
      || !parse_recipe (*recipe_name, recipe, &error))
    {
      g_printerr ("%s: %s\n", (*argv)[0], error->message);
      return FALSE;
    }
  return TRUE;
}

/* The recommendation options of --num-results and --exploration-weight. */
void
pw_cli_engine_recommend_options (PwRecommendOptions *options,
                                 int                 num_results,
                                 double              exploration_weight)
{
  pw_recommend_options_init (options);
  options->num_results = (guint) num_results;
  options->exploration_weight = exploration_weight;
}

/**
 * pw_cli_engine_check_options:
 * The checks evaluate, recommend and batch share: no stray argument,
 * --num-results and --exploration-weight in range. Prints what is wrong.
 *
 * Returns: %FALSE when the command should exit with status 2
 */
gboolean
pw_cli_engine_check_options (int     argc,
                             char  **argv,
                             int     num_results,
                             double  exploration_weight)
{
  if (argc > 1)
    {
      g_printerr (_("%s: unexpected argument “%s”\n"), argv[0], argv[1]);
      return FALSE;
    }
  if (num_results < 1 || num_results > PW_MAX_NUM_RESULTS)
    {
      g_printerr (_("%s: --num-results must be between 1 and %d\n"), argv[0], PW_MAX_NUM_RESULTS);
      return FALSE;
    }
  if (exploration_weight < 0 || exploration_weight > 1)
    {
      g_printerr (_("%s: --exploration-weight must be between 0 and 1\n"), argv[0]);
      return FALSE;
    }
  return TRUE;
}
