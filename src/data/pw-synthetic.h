/* pw-synthetic.h: a deterministic, MovieLens-1M-shaped synthetic dataset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-interactions.h"
#include "pw-items.h"

G_BEGIN_DECLS

/**
 * PwSyntheticOptions:
 * @seed: the same seed gives the same data, byte for byte
 * @n_users: users (6,040 as in ML-1M)
 * @n_items: movies in the catalogue (3,706, the movies ML-1M's ratings
 *   mention)
 * @n_ratings: ratings in total (1,000,209 as in ML-1M)
 */
typedef struct
{
  guint32 seed;
  guint   n_users;
  guint   n_items;
  guint   n_ratings;
} PwSyntheticOptions;

#define PW_SYNTHETIC_OPTIONS_DEFAULT ((PwSyntheticOptions) { 42, 6040, 3706, 1000209 })

/* A user whose history is mostly Thriller / Sci-Fi (the workshop's user
 * 1200), and three documentaries that other documentary viewers watch
 * together (the workshop's Hoop Dreams, The War Room, Buena Vista Social
 * Club ids). They exist when n_users and n_items are large enough. */
#define PW_SYNTHETIC_THRILLER_FAN "1200"
#define PW_SYNTHETIC_DOCUMENTARY_1 "246"
#define PW_SYNTHETIC_DOCUMENTARY_2 "556"
#define PW_SYNTHETIC_DOCUMENTARY_3 "2677"

/**
 * pw_synthetic_generate:
 * @interactions: (out): ratings (EVENT_TYPE "RATING", values 1-5), users'
 *   rows together and in time order, over April 2000 - February 2003
 * @items: (out): the catalogue: invented titles with years, the 18
 *   MovieLens genres
 *
 * Users have two to four favourite genres that drift over time and watch
 * related films in runs (themes inside a genre), popularity is long-tailed,
 * activity per user is long-tailed (at least 20 ratings each).
 */
gboolean pw_synthetic_generate (const PwSyntheticOptions *options,
                                PwInteractions          **interactions,
                                PwItems                 **items,
                                GError                  **error);

G_END_DECLS
