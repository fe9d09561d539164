/* pw-dataset.h: the plain data the engine trains on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * PwInteraction:
 * @user: index into the dataset's users
 * @item: index into the dataset's items
 * @timestamp: epoch seconds
 * @value: EVENT_VALUE (kept, but the recipes treat interactions as implicit)
 */
typedef struct
{
  guint32 user;
  guint32 item;
  gint64  timestamp;
  float   value;
} PwInteraction;

/**
 * PwDataset:
 * @user_ids: (element-type utf8): string id of each user index
 * @item_ids: (element-type utf8): string id of each item index
 * @item_genres: (element-type utf8): per item, `|`-separated categorical
 *   values (GENRE / GENRES), or %NULL when unknown
 * @item_creation: (element-type gint64): per item, CREATION_TIMESTAMP in
 *   epoch seconds, or -1 when unknown
 * @interactions: (element-type PwInteraction): in file order
 *
 * Plain data: indices are dense, 0..n-1, in order of first appearance.
 * Items may have metadata and no interaction (cold items). Build one with
 * the functions below, or fill the arrays directly and call
 * pw_dataset_reindex().
 */
typedef struct
{
  GPtrArray  *user_ids;
  GPtrArray  *item_ids;
  GPtrArray  *item_genres;
  GArray     *item_creation;
  GArray     *interactions;
  /*< private >*/
  GHashTable *user_index;
  GHashTable *item_index;
} PwDataset;

PwDataset *pw_dataset_new                  (void);
void       pw_dataset_free                 (PwDataset  *dataset);

guint      pw_dataset_add_user             (PwDataset  *dataset,
                                            const char *user_id);
guint      pw_dataset_add_item             (PwDataset  *dataset,
                                            const char *item_id);
void       pw_dataset_set_item_metadata    (PwDataset  *dataset,
                                            guint       item,
                                            const char *genres,
                                            gint64      creation_time);
void       pw_dataset_add_interaction      (PwDataset  *dataset,
                                            guint       user,
                                            guint       item,
                                            gint64      timestamp,
                                            float       value);
void       pw_dataset_add_interaction_by_id (PwDataset  *dataset,
                                             const char *user_id,
                                             const char *item_id,
                                             gint64      timestamp,
                                             float       value);
void       pw_dataset_reindex              (PwDataset  *dataset);

guint      pw_dataset_get_n_users          (const PwDataset *dataset);
guint      pw_dataset_get_n_items          (const PwDataset *dataset);
guint      pw_dataset_get_n_interactions   (const PwDataset *dataset);
const char *pw_dataset_get_user_id         (const PwDataset *dataset,
                                            guint            user);
const char *pw_dataset_get_item_id         (const PwDataset *dataset,
                                            guint            item);
const char *pw_dataset_get_item_genres     (const PwDataset *dataset,
                                            guint            item);
gint       pw_dataset_lookup_user          (const PwDataset *dataset,
                                            const char      *user_id);
gint       pw_dataset_lookup_item          (const PwDataset *dataset,
                                            const char      *item_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwDataset, pw_dataset_free)

G_END_DECLS
