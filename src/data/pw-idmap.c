/* pw-idmap.c: string ids interned to dense indices
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-data"

#include <string.h>

#include "pw-idmap-private.h"

/* Decimal ids below this go through a direct table. */
#define NUMERIC_LIMIT (1u << 24)

void
pw_id_map_init (PwIdMap *map)
{
  map->chunk = g_string_chunk_new (4096);
  map->ids = g_ptr_array_new ();
  map->index = g_hash_table_new (g_str_hash, g_str_equal);
  map->numeric = NULL;
  map->numeric_len = 0;
}

void
pw_id_map_clear (PwIdMap *map)
{
  g_clear_pointer (&map->index, g_hash_table_unref);
  g_clear_pointer (&map->ids, g_ptr_array_unref);
  g_clear_pointer (&map->chunk, g_string_chunk_free);
  g_clear_pointer (&map->numeric, g_free);
  map->numeric_len = 0;
}

static guint32
intern_new (PwIdMap    *map,
            const char *id,
            gsize       len)
{
  char *copy = g_string_chunk_insert_len (map->chunk, id, len);
  guint32 index = map->ids->len;

  g_ptr_array_add (map->ids, copy);
  g_hash_table_insert (map->index, copy, GUINT_TO_POINTER (index + 1));
  return index;
}

static gboolean
small_decimal (const char *id,
               gsize       len,
               guint64    *value)
{
  guint64 v = 0;

  if (len == 0 || len > 8 || (id[0] == '0' && len > 1))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (id[i] < '0' || id[i] > '9')
        return FALSE;
      v = v * 10 + (id[i] - '0');
    }
  if (v >= NUMERIC_LIMIT)
    return FALSE;
  *value = v;
  return TRUE;
}

guint32
pw_id_map_intern_numeric (PwIdMap *map,
                          guint64  id)
{
  char tmp[24];
  int len;
  gpointer found;
  guint32 index;

  if (id < NUMERIC_LIMIT && id < map->numeric_len && map->numeric[id] != 0)
    return map->numeric[id] - 1;

  len = g_snprintf (tmp, sizeof tmp, "%" G_GUINT64_FORMAT, id);
  found = g_hash_table_lookup (map->index, tmp);
  index = found != NULL ? GPOINTER_TO_UINT (found) - 1 : intern_new (map, tmp, len);

  if (id < NUMERIC_LIMIT)
    {
      if (id >= map->numeric_len)
        {
          guint new_len = MAX (map->numeric_len * 2, 1024);

          while (new_len <= id)
            new_len *= 2;
          new_len = MIN (new_len, NUMERIC_LIMIT);
          map->numeric = g_renew (guint32, map->numeric, new_len);
          memset (map->numeric + map->numeric_len, 0,
                  (new_len - map->numeric_len) * sizeof (guint32));
          map->numeric_len = new_len;
        }
      map->numeric[id] = index + 1;
    }
  return index;
}

guint32
pw_id_map_intern_len (PwIdMap    *map,
                      const char *id,
                      gsize       len)
{
  guint64 v;
  gpointer found;

  if (small_decimal (id, len, &v))
    return pw_id_map_intern_numeric (map, v);

  if (id[len] == '\0')
    found = g_hash_table_lookup (map->index, id);
  else
    {
      g_autofree char *copy = g_strndup (id, len);
      found = g_hash_table_lookup (map->index, copy);
    }
  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  return intern_new (map, id, len);
}

guint32
pw_id_map_intern (PwIdMap    *map,
                  const char *id)
{
  return pw_id_map_intern_len (map, id, strlen (id));
}

gboolean
pw_id_map_lookup (PwIdMap    *map,
                  const char *id,
                  guint      *index)
{
  gpointer found = g_hash_table_lookup (map->index, id);

  if (found == NULL)
    return FALSE;
  if (index != NULL)
    *index = GPOINTER_TO_UINT (found) - 1;
  return TRUE;
}
