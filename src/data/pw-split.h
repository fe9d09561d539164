/* pw-split.h: the workshop's split into cold, warm, training and validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-interactions.h"
#include "pw-items.h"

G_BEGIN_DECLS

/**
 * PwSplitOptions:
 * @seed: NumPy RandomState seed for the item permutation (42)
 * @warm_fraction: share of the permuted items that are warm (0.5): the
 *   first floor(n * (1 - warm_fraction)) are cold, the rest warm
 * @holdout_fraction: per user, warm rows with percentile rank above
 *   1 - holdout_fraction go to validation (0.1)
 */
typedef struct
{
  guint32 seed;
  double  warm_fraction;
  double  holdout_fraction;
} PwSplitOptions;

#define PW_SPLIT_OPTIONS_DEFAULT ((PwSplitOptions) { 42, 0.5, 0.1 })

typedef enum
{
  PW_SPLIT_COLD = 0,
  PW_SPLIT_TRAINING = 1,
  PW_SPLIT_VALIDATION = 2,
} PwSplitSet;

/**
 * PwSplit:
 * @interactions: the table split (a reference)
 * @options: the options used
 * @item_order: [n_items] the permuted items (item indices): the workshop's
 *   `np.random.RandomState(seed).permutation(unique_items)`
 * @n_cold_items: items in item_order[0 .. n_cold_items - 1]
 * @n_warm_items: the rest
 * @item_is_warm: [n_items] 1 for a warm item
 * @row_set: [n_rows] a #PwSplitSet per row
 * @cold_rows, @warm_rows, @training_rows, @validation_rows: row numbers in
 *   file order, with their counts
 * @n_training_users, @n_validation_users: users with at least one row there
 * @n_training_items, @n_validation_items: items with at least one row there
 *
 * The workshop's split (docs/workshop.md, "The split"), reproduced exactly.
 */
typedef struct
{
  PwInteractions *interactions;
  PwSplitOptions  options;
  guint32        *item_order;
  guint           n_cold_items;
  guint           n_warm_items;
  guint8         *item_is_warm;
  guint8         *row_set;
  guint32        *cold_rows;
  guint           n_cold_rows;
  guint32        *warm_rows;
  guint           n_warm_rows;
  guint32        *training_rows;
  guint           n_training_rows;
  guint32        *validation_rows;
  guint           n_validation_rows;
  guint           n_training_users;
  guint           n_validation_users;
  guint           n_training_items;
  guint           n_validation_items;
} PwSplit;

/* Checks the options (fractions within [0, 1]). */
gboolean  pw_split_options_validate (const PwSplitOptions *options,
                                     GError              **error);

PwSplit  *pw_split_new              (PwInteractions       *interactions,
                                     const PwSplitOptions *options,
                                     GError              **error);
void      pw_split_free             (PwSplit              *split);

/**
 * pw_split_rank_first_pct:
 * @interactions: the table
 * @rows: the rows to rank (row numbers in file order)
 * @n_rows: their number
 * @pct: [n_rows] out: pandas `groupby(USER_ID).TIMESTAMP.rank(pct=True,
 *   method='first')` of each row (ties broken by order in @rows)
 */
void      pw_split_rank_first_pct   (PwInteractions       *interactions,
                                     const guint32        *rows,
                                     guint                 n_rows,
                                     double               *pct);

/* The names of the files pw_split_write() makes. */
#define PW_TRAINING_INTERACTIONS_FILE   "training_interaction.csv"
#define PW_VALIDATION_INTERACTIONS_FILE "validation_interaction.csv"
#define PW_COLDSTART_INTERACTIONS_FILE  "coldstart_interaction.csv"
#define PW_WARM_INTERACTIONS_FILE       "warm_interaction.csv"
#define PW_TRAINING_ITEMS_FILE          "training_item.csv"
#define PW_CATALOG_FILE                 "catalog.csv"

/**
 * pw_split_write:
 * @split: the split
 * @items: (nullable): item metadata (genres, titles)
 * @directory: the output folder (created if needed)
 *
 * Writes training_interaction.csv, validation_interaction.csv,
 * coldstart_interaction.csv, warm_interaction.csv, training_item.csv and
 * catalog.csv, all or nothing, even when the process is killed: the set
 * is written into a new folder @directory/.pw-split-XXXXXX, and each name
 * is a symbolic link through @directory/.pw-split, which one rename(2)
 * points at the new folder (pw-split.c explains the layout). Other files
 * in @directory are left alone; what a killed run left is removed by the
 * next one.
 */
gboolean  pw_split_write            (PwSplit              *split,
                                     PwItems              *items,
                                     const char           *directory,
                                     GCancellable         *cancellable,
                                     GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwSplit, pw_split_free)

G_END_DECLS
