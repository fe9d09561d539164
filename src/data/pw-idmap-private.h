/* pw-idmap-private.h: string ids interned to dense indices
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  GStringChunk *chunk;
  GPtrArray    *ids;       /* char * into chunk, by index */
  GHashTable   *index;     /* char * -> index + 1 */
  guint32      *numeric;   /* small decimal id -> index + 1 */
  guint         numeric_len;
} PwIdMap;

void        pw_id_map_init           (PwIdMap    *map);
void        pw_id_map_clear          (PwIdMap    *map);
guint32     pw_id_map_intern         (PwIdMap    *map,
                                      const char *id);
guint32     pw_id_map_intern_len     (PwIdMap    *map,
                                      const char *id,
                                      gsize       len);
guint32     pw_id_map_intern_numeric (PwIdMap    *map,
                                      guint64     id);
gboolean    pw_id_map_lookup         (PwIdMap    *map,
                                      const char *id,
                                      guint      *index);

static inline guint
pw_id_map_size (PwIdMap *map)
{
  return map->ids->len;
}

static inline const char *
pw_id_map_get (PwIdMap *map,
               guint    index)
{
  return index < map->ids->len ? g_ptr_array_index (map->ids, index) : NULL;
}

G_END_DECLS
