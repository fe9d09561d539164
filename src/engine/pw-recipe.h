/* pw-recipe.h: Personalize recipe names and what the engine runs for them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * PwRecipe:
 * @PW_RECIPE_USER_PERSONALIZATION: `aws-user-personalization`: EASE item-item
 *   model (or implicit ALS above the memory budget), recency-weighted user
 *   state, real-time events, cold-item exploration
 * @PW_RECIPE_POPULARITY_COUNT: `aws-popularity-count`: unique users per item
 * @PW_RECIPE_SIMILAR_ITEMS: `aws-similar-items`: co-occurrence blended with
 *   genre similarity
 * @PW_RECIPE_SIMS: `aws-sims`: co-occurrence only
 * @PW_RECIPE_PERSONALIZED_RANKING: `aws-personalized-ranking`: re-ranks a
 *   given list with the user-personalization model
 */
typedef enum
{
  PW_RECIPE_USER_PERSONALIZATION,
  PW_RECIPE_POPULARITY_COUNT,
  PW_RECIPE_SIMILAR_ITEMS,
  PW_RECIPE_SIMS,
  PW_RECIPE_PERSONALIZED_RANKING,
} PwRecipe;

/**
 * PwRecipeType:
 * The recipeType Personalize reports.
 */
typedef enum
{
  PW_RECIPE_TYPE_USER_PERSONALIZATION,
  PW_RECIPE_TYPE_RELATED_ITEMS,
  PW_RECIPE_TYPE_PERSONALIZED_RANKING,
} PwRecipeType;

gboolean     pw_recipe_from_name (const char  *name,
                                  PwRecipe    *recipe,
                                  const char **legacy_note);
const char  *pw_recipe_to_name   (PwRecipe     recipe);
PwRecipeType pw_recipe_get_type_for (PwRecipe  recipe);
const char  *pw_recipe_type_to_string (PwRecipeType type);
const char * const *pw_recipe_list_names (void);

G_END_DECLS
