/* pw-engine-synthetic.h: clustered synthetic interaction data for tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-dataset.h"

G_BEGIN_DECLS

/**
 * PwEngineSyntheticOptions:
 * @n_users: users (ids "1".."n")
 * @n_items: items (ids "1".."n"), all with a genre
 * @n_interactions: about this many interactions in total
 * @n_clusters: taste clusters; each belongs to one of the 18 MovieLens genres
 * @cold_fraction: share of items that get metadata but no interaction
 * @min_per_user: interactions per user at least (MovieLens 1M: 20)
 * @seed: everything follows from it
 *
 * Users like 1 to 3 clusters and drift from one to the next over time;
 * items have a Zipf-like popularity inside their cluster; 10% of the
 * interactions are popular items of any cluster.
 */
typedef struct
{
  guint   n_users;
  guint   n_items;
  guint   n_interactions;
  guint   n_clusters;
  double  cold_fraction;
  guint   min_per_user;
  guint32 seed;
} PwEngineSyntheticOptions;

void       pw_engine_synthetic_options_init (PwEngineSyntheticOptions       *options);
PwDataset *pw_engine_synthetic_dataset_new  (const PwEngineSyntheticOptions *options,
                                      guint                   **item_clusters);
const char *pw_engine_synthetic_genre_name  (guint                     genre);
guint      pw_engine_synthetic_cluster_genre (guint                    cluster);

G_END_DECLS
