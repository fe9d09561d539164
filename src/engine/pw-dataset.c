/* pw-dataset.c: the plain data the engine trains on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-engine"

#include "pw-dataset.h"

PwDataset *
pw_dataset_new (void)
{
  PwDataset *self = g_new0 (PwDataset, 1);

  self->user_ids = g_ptr_array_new_with_free_func (g_free);
  self->item_ids = g_ptr_array_new_with_free_func (g_free);
  self->item_genres = g_ptr_array_new_with_free_func (g_free);
  self->item_creation = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->interactions = g_array_new (FALSE, FALSE, sizeof (PwInteraction));
  self->user_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->item_index = g_hash_table_new (g_str_hash, g_str_equal);
  return self;
}

void
pw_dataset_free (PwDataset *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->user_index);
  g_hash_table_unref (self->item_index);
  g_ptr_array_unref (self->user_ids);
  g_ptr_array_unref (self->item_ids);
  g_ptr_array_unref (self->item_genres);
  g_array_unref (self->item_creation);
  g_array_unref (self->interactions);
  g_free (self);
}

guint
pw_dataset_add_user (PwDataset  *self,
                     const char *user_id)
{
  gpointer value;
  char *copy;

  g_return_val_if_fail (self != NULL && user_id != NULL, 0);

  if (g_hash_table_lookup_extended (self->user_index, user_id, NULL, &value))
    return GPOINTER_TO_UINT (value);
  copy = g_strdup (user_id);
  g_ptr_array_add (self->user_ids, copy);
  g_hash_table_insert (self->user_index, copy, GUINT_TO_POINTER (self->user_ids->len - 1));
  return self->user_ids->len - 1;
}

guint
pw_dataset_add_item (PwDataset  *self,
                     const char *item_id)
{
  gpointer value;
  char *copy;
  gint64 unknown = -1;

  g_return_val_if_fail (self != NULL && item_id != NULL, 0);

  if (g_hash_table_lookup_extended (self->item_index, item_id, NULL, &value))
    return GPOINTER_TO_UINT (value);
  copy = g_strdup (item_id);
  g_ptr_array_add (self->item_ids, copy);
  g_ptr_array_add (self->item_genres, NULL);
  g_array_append_val (self->item_creation, unknown);
  g_hash_table_insert (self->item_index, copy, GUINT_TO_POINTER (self->item_ids->len - 1));
  return self->item_ids->len - 1;
}

void
pw_dataset_set_item_metadata (PwDataset  *self,
                              guint       item,
                              const char *genres,
                              gint64      creation_time)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (item < self->item_ids->len);

  g_free (g_ptr_array_index (self->item_genres, item));
  g_ptr_array_index (self->item_genres, item) = (genres != NULL && *genres != '\0') ? g_strdup (genres) : NULL;
  g_array_index (self->item_creation, gint64, item) = creation_time;
}

void
pw_dataset_add_interaction (PwDataset *self,
                            guint      user,
                            guint      item,
                            gint64     timestamp,
                            float      value)
{
  PwInteraction it = { user, item, timestamp, value };

  g_return_if_fail (self != NULL);
  g_return_if_fail (user < self->user_ids->len);
  g_return_if_fail (item < self->item_ids->len);

  g_array_append_val (self->interactions, it);
}

void
pw_dataset_add_interaction_by_id (PwDataset  *self,
                                  const char *user_id,
                                  const char *item_id,
                                  gint64      timestamp,
                                  float       value)
{
  guint u = pw_dataset_add_user (self, user_id);
  guint i = pw_dataset_add_item (self, item_id);

  pw_dataset_add_interaction (self, u, i, timestamp, value);
}

/**
 * pw_dataset_reindex:
 *
 * Rebuilds the id lookups and pads the metadata arrays after the public
 * arrays were filled directly.
 */
void
pw_dataset_reindex (PwDataset *self)
{
  g_return_if_fail (self != NULL);

  g_hash_table_remove_all (self->user_index);
  g_hash_table_remove_all (self->item_index);
  for (guint u = 0; u < self->user_ids->len; u++)
    g_hash_table_insert (self->user_index, g_ptr_array_index (self->user_ids, u), GUINT_TO_POINTER (u));
  for (guint i = 0; i < self->item_ids->len; i++)
    g_hash_table_insert (self->item_index, g_ptr_array_index (self->item_ids, i), GUINT_TO_POINTER (i));
  while (self->item_genres->len < self->item_ids->len)
    g_ptr_array_add (self->item_genres, NULL);
  while (self->item_creation->len < self->item_ids->len)
    {
      gint64 unknown = -1;
      g_array_append_val (self->item_creation, unknown);
    }
}

guint
pw_dataset_get_n_users (const PwDataset *self)
{
  return self->user_ids->len;
}

guint
pw_dataset_get_n_items (const PwDataset *self)
{
  return self->item_ids->len;
}

guint
pw_dataset_get_n_interactions (const PwDataset *self)
{
  return self->interactions->len;
}

const char *
pw_dataset_get_user_id (const PwDataset *self,
                        guint            user)
{
  g_return_val_if_fail (user < self->user_ids->len, NULL);
  return g_ptr_array_index (self->user_ids, user);
}

const char *
pw_dataset_get_item_id (const PwDataset *self,
                        guint            item)
{
  g_return_val_if_fail (item < self->item_ids->len, NULL);
  return g_ptr_array_index (self->item_ids, item);
}

const char *
pw_dataset_get_item_genres (const PwDataset *self,
                            guint            item)
{
  g_return_val_if_fail (item < self->item_ids->len, NULL);
  return g_ptr_array_index (self->item_genres, item);
}

gint
pw_dataset_lookup_user (const PwDataset *self,
                        const char      *user_id)
{
  gpointer value;

  if (user_id == NULL || !g_hash_table_lookup_extended (self->user_index, user_id, NULL, &value))
    return -1;
  return GPOINTER_TO_INT (value);
}

gint
pw_dataset_lookup_item (const PwDataset *self,
                        const char      *item_id)
{
  gpointer value;

  if (item_id == NULL || !g_hash_table_lookup_extended (self->item_index, item_id, NULL, &value))
    return -1;
  return GPOINTER_TO_INT (value);
}
