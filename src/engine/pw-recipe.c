/* pw-recipe.c: Personalize recipe names and what the engine runs for them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-engine"

#include <glib/gi18n.h>
#include <string.h>

#include "pw-recipe.h"

static const struct
{
  const char *name;
  PwRecipe    recipe;
  const char *legacy_note;
} recipes[] = {
  { "aws-user-personalization", PW_RECIPE_USER_PERSONALIZATION, NULL },
  { "aws-popularity-count", PW_RECIPE_POPULARITY_COUNT, NULL },
  { "aws-similar-items", PW_RECIPE_SIMILAR_ITEMS, NULL },
  { "aws-sims", PW_RECIPE_SIMS, NULL },
  { "aws-personalized-ranking", PW_RECIPE_PERSONALIZED_RANKING, NULL },
  { "aws-hrnn", PW_RECIPE_USER_PERSONALIZATION,
    N_("aws-hrnn is a legacy recipe; it runs as aws-user-personalization") },
  { "aws-hrnn-metadata", PW_RECIPE_USER_PERSONALIZATION,
    N_("aws-hrnn-metadata is a legacy recipe; it runs as aws-user-personalization") },
  { "aws-hrnn-coldstart", PW_RECIPE_USER_PERSONALIZATION,
    N_("aws-hrnn-coldstart is a legacy recipe; it runs as aws-user-personalization (which explores cold items)") },
};

static const char * const names[] = {
  "aws-user-personalization", "aws-popularity-count", "aws-similar-items", "aws-sims",
  "aws-personalized-ranking", "aws-hrnn", "aws-hrnn-metadata", "aws-hrnn-coldstart", NULL,
};

/**
 * pw_recipe_from_name:
 * @name: a recipe name, optionally as an ARN (`arn:aws:personalize:::recipe/NAME`)
 * @recipe: (out): the recipe the engine runs
 * @legacy_note: (out) (optional): for the legacy HRNN names, a sentence
 *   saying which recipe runs instead (untranslated: pass it to _()); %NULL
 *   otherwise
 *
 * Returns: %FALSE for an unknown name
 */
gboolean
pw_recipe_from_name (const char  *name,
                     PwRecipe    *recipe,
                     const char **legacy_note)
{
  const char *slash;

  if (legacy_note != NULL)
    *legacy_note = NULL;
  if (name == NULL)
    return FALSE;
  slash = strrchr (name, '/');
  if (slash != NULL && g_str_has_prefix (name, "arn:"))
    name = slash + 1;

  for (guint i = 0; i < G_N_ELEMENTS (recipes); i++)
    if (strcmp (recipes[i].name, name) == 0)
      {
        *recipe = recipes[i].recipe;
        if (legacy_note != NULL)
          *legacy_note = recipes[i].legacy_note;
        return TRUE;
      }
  return FALSE;
}

const char *
pw_recipe_to_name (PwRecipe recipe)
{
  for (guint i = 0; i < G_N_ELEMENTS (recipes); i++)
    if (recipes[i].recipe == recipe)
      return recipes[i].name;
  g_return_val_if_reached (NULL);
}

PwRecipeType
pw_recipe_get_type_for (PwRecipe recipe)
{
  switch (recipe)
    {
    case PW_RECIPE_SIMILAR_ITEMS:
    case PW_RECIPE_SIMS:
      return PW_RECIPE_TYPE_RELATED_ITEMS;
    case PW_RECIPE_PERSONALIZED_RANKING:
      return PW_RECIPE_TYPE_PERSONALIZED_RANKING;
    case PW_RECIPE_USER_PERSONALIZATION:
    case PW_RECIPE_POPULARITY_COUNT:
    default:
      return PW_RECIPE_TYPE_USER_PERSONALIZATION;
    }
}

const char *
pw_recipe_type_to_string (PwRecipeType type)
{
  switch (type)
    {
    case PW_RECIPE_TYPE_RELATED_ITEMS:
      return "RELATED_ITEMS";
    case PW_RECIPE_TYPE_PERSONALIZED_RANKING:
      return "PERSONALIZED_RANKING";
    case PW_RECIPE_TYPE_USER_PERSONALIZATION:
    default:
      return "USER_PERSONALIZATION";
    }
}

/**
 * pw_recipe_list_names:
 *
 * Returns: (transfer none): every recipe name the engine accepts, %NULL-terminated
 */
const char * const *
pw_recipe_list_names (void)
{
  return names;
}
