/* pw-items.c: an items table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-data"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pw-idmap-private.h"
#include "pw-interactions-private.h"
#include "pw-items.h"
#include "pw-text-private.h"

typedef struct
{
  gint          ref_count;
  PwIdMap       ids;
  GStringChunk *strings;
  GPtrArray    *titles;        /* const char * */
  GPtrArray    *genres;        /* const char * */
  GPtrArray    *column_names;  /* char * (owned) */
  GPtrArray    *columns;       /* GPtrArray of const char *, per column */
} Priv;

#define PRIV(self) ((Priv *) (self)->priv)

PwItems *
pw_items_new (void)
{
  PwItems *self = g_new0 (PwItems, 1);
  Priv *priv = g_new0 (Priv, 1);

  priv->ref_count = 1;
  pw_id_map_init (&priv->ids);
  priv->strings = g_string_chunk_new (4096);
  priv->titles = g_ptr_array_new ();
  priv->genres = g_ptr_array_new ();
  priv->column_names = g_ptr_array_new_with_free_func (g_free);
  priv->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  self->priv = priv;
  return self;
}

PwItems *
pw_items_ref (PwItems *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&PRIV (self)->ref_count);
  return self;
}

void
pw_items_unref (PwItems *self)
{
  Priv *priv;

  g_return_if_fail (self != NULL);

  priv = PRIV (self);
  if (!g_atomic_int_dec_and_test (&priv->ref_count))
    return;
  pw_id_map_clear (&priv->ids);
  g_string_chunk_free (priv->strings);
  g_ptr_array_unref (priv->titles);
  g_ptr_array_unref (priv->genres);
  g_ptr_array_unref (priv->column_names);
  g_ptr_array_unref (priv->columns);
  g_free (priv);
  g_free (self);
}

static const char *
store (Priv       *priv,
       const char *s)
{
  return g_string_chunk_insert_const (priv->strings, s != NULL ? s : "");
}

guint
pw_items_add (PwItems    *self,
              const char *item_id,
              const char *title,
              const char *genres)
{
  Priv *priv;
  guint index;

  g_return_val_if_fail (self != NULL && item_id != NULL, 0);

  priv = PRIV (self);
  index = pw_id_map_intern (&priv->ids, item_id);
  if (index == priv->titles->len)
    {
      g_ptr_array_add (priv->titles, (gpointer) store (priv, title));
      g_ptr_array_add (priv->genres, (gpointer) store (priv, genres));
      for (guint c = 0; c < priv->columns->len; c++)
        g_ptr_array_add (g_ptr_array_index (priv->columns, c), (gpointer) "");
    }
  else
    {
      g_ptr_array_index (priv->titles, index) = (gpointer) store (priv, title);
      g_ptr_array_index (priv->genres, index) = (gpointer) store (priv, genres);
    }
  self->n_items = priv->titles->len;
  return index;
}

const char *
pw_items_get_id (PwItems *self,
                 guint    item)
{
  g_return_val_if_fail (self != NULL && item < self->n_items, NULL);
  return pw_id_map_get (&PRIV (self)->ids, item);
}

const char *
pw_items_get_title (PwItems *self,
                    guint    item)
{
  g_return_val_if_fail (self != NULL && item < self->n_items, NULL);
  return g_ptr_array_index (PRIV (self)->titles, item);
}

const char *
pw_items_get_genres (PwItems *self,
                     guint    item)
{
  g_return_val_if_fail (self != NULL && item < self->n_items, NULL);
  return g_ptr_array_index (PRIV (self)->genres, item);
}

gboolean
pw_items_lookup (PwItems    *self,
                 const char *item_id,
                 guint      *item)
{
  g_return_val_if_fail (self != NULL && item_id != NULL, FALSE);
  return pw_id_map_lookup (&PRIV (self)->ids, item_id, item);
}

guint
pw_items_get_n_columns (PwItems *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return PRIV (self)->column_names->len;
}

const char *
pw_items_get_column_name (PwItems *self,
                          guint    column)
{
  g_return_val_if_fail (self != NULL && column < PRIV (self)->column_names->len, NULL);
  return g_ptr_array_index (PRIV (self)->column_names, column);
}

const char *
pw_items_get_value (PwItems *self,
                    guint    item,
                    guint    column)
{
  g_return_val_if_fail (self != NULL && item < self->n_items, NULL);
  g_return_val_if_fail (column < PRIV (self)->columns->len, NULL);
  return g_ptr_array_index ((GPtrArray *) g_ptr_array_index (PRIV (self)->columns, column), item);
}

/* Reading ------------------------------------------------------------- */

enum { COL_ITEM, COL_TITLE, COL_GENRE, COL_GENRES, N_COLS };
static const char *const col_names[N_COLS] = { "ITEM_ID", "TITLE", "GENRE", "GENRES" };

static gpointer
read_items (PwTextReader  *r,
           gpointer       user_data,
            GError       **error)
{
  g_autoptr(PwItems) self = NULL;
  g_autoptr(GArray) lines = NULL;
  g_autoptr(GArray) extra = NULL;
  GPtrArray *f;
  int col[N_COLS];
  int genre_col;
  Priv *priv;

  self = pw_items_new ();
  priv = PRIV (self);
  lines = g_array_new (FALSE, FALSE, sizeof (guint));
  extra = g_array_new (FALSE, FALSE, sizeof (guint));
  if (!pw_text_reader_read_header (r, col_names, N_COLS, 1, col, error))
    return NULL;

  f = r->csv.fields;
  genre_col = col[COL_GENRE] >= 0 ? col[COL_GENRE] : col[COL_GENRES];
  for (guint c = 0; c < f->len; c++)
    {
      g_autofree char *name = pw_header_name (g_ptr_array_index (f, c));

      if ((int) c == col[COL_ITEM] || (int) c == col[COL_TITLE] || (int) c == genre_col ||
          *name == '\0')
        continue;
      g_array_append_val (extra, c);
      g_ptr_array_add (priv->column_names, g_steal_pointer (&name));
      g_ptr_array_add (priv->columns, g_ptr_array_new ());
    }

  while (pw_text_reader_next_row (r, error))
    {
      const char *id = g_ptr_array_index (f, col[COL_ITEM]);
      guint existing;
      guint index;
      GError *row_error = NULL;

      if (*id == '\0')
        row_error = pw_row_error_new (r->name, r->csv.record_line, col[COL_ITEM] + 1,
                                      "ITEM_ID", _("the item id is empty"));
      else if (pw_id_map_lookup (&priv->ids, id, &existing))
        {
          g_autofree char *shown = pw_describe_value (id, strlen (id));

          row_error = pw_row_error_new (r->name, r->csv.record_line, col[COL_ITEM] + 1,
                                        "ITEM_ID", _("the item %s already appeared on line %u"),
                                        shown, g_array_index (lines, guint, existing));
        }
      if (!pw_text_reader_end_row (r, row_error, error))
        continue;

      index = pw_items_add (self, id,
                            col[COL_TITLE] >= 0 ? g_ptr_array_index (f, col[COL_TITLE]) : "",
                            genre_col >= 0 ? g_ptr_array_index (f, genre_col) : "");
      g_array_append_val (lines, r->csv.record_line);
      for (guint e = 0; e < extra->len; e++)
        g_ptr_array_index ((GPtrArray *) g_ptr_array_index (priv->columns, e), index) =
          (gpointer) store (priv, g_ptr_array_index (f, g_array_index (extra, guint, e)));
    }
  if (r->failed)
    return NULL;
  return g_steal_pointer (&self);
}

PwItems *
pw_items_parse_csv (const char    *data,
                    gsize          length,
                    const char    *display_name,
                    PwReadFlags    flags,
                    PwReadReport  *report,
                    GError       **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  return pw_text_read_data (read_items, NULL, data, length,
                            display_name ? display_name : "CSV", flags, report, error);
}

PwItems *
pw_items_read_csv (const char    *path,
                   PwReadFlags    flags,
                   PwReadReport  *report,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return pw_text_read_file (read_items, NULL, path, flags, report, cancellable, error);
}

/* Writing ------------------------------------------------------------- */

void
pw_items_append_training_text (PwItems        *self,
                               PwInteractions *interactions,
                               GString        *out)
{
  g_return_if_fail (interactions != NULL && out != NULL);

  g_string_append (out, "ITEM_ID,GENRE\n");
  for (guint i = 0; i < interactions->n_items; i++)
    {
      const char *id = pw_interactions_get_item_id (interactions, i);
      guint index;

      pw_csv_append_field (out, id);
      g_string_append_c (out, ',');
      if (self != NULL && pw_items_lookup (self, id, &index))
        pw_csv_append_field (out, pw_items_get_genres (self, index));
      g_string_append_c (out, '\n');
    }
}

void
pw_items_append_catalog_text (PwItems        *self,
                              PwInteractions *interactions,
                              GString        *out)
{
  g_return_if_fail (out != NULL);

  g_string_append (out, "ITEM_ID,TITLE,GENRE\n");
  if (self != NULL)
    for (guint i = 0; i < self->n_items; i++)
      {
        pw_csv_append_field (out, pw_items_get_id (self, i));
        g_string_append_c (out, ',');
        pw_csv_append_field (out, pw_items_get_title (self, i));
        g_string_append_c (out, ',');
        pw_csv_append_field (out, pw_items_get_genres (self, i));
        g_string_append_c (out, '\n');
      }
  if (interactions != NULL)
    for (guint i = 0; i < interactions->n_items; i++)
      {
        const char *id = pw_interactions_get_item_id (interactions, i);

        if (self != NULL && pw_items_lookup (self, id, NULL))
          continue;
        pw_csv_append_field (out, id);
        g_string_append (out, ",,\n");
      }
}
