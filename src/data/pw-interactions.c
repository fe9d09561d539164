/* pw-interactions.c: an interactions table with interned ids
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-data"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "pw-idmap-private.h"
#include "pw-interactions-private.h"
#include "pw-text-private.h"

typedef struct
{
  gint     ref_count;
  guint    capacity;
  PwIdMap  users;
  PwIdMap  items;
  PwIdMap  event_types;
} Priv;

#define PRIV(self) ((Priv *) (self)->priv)

PwInteractions *
pw_interactions_new (void)
{
  PwInteractions *self = g_new0 (PwInteractions, 1);
  Priv *priv = g_new0 (Priv, 1);

  priv->ref_count = 1;
  pw_id_map_init (&priv->users);
  pw_id_map_init (&priv->items);
  pw_id_map_init (&priv->event_types);
  pw_id_map_intern (&priv->event_types, "");
  self->priv = priv;
  return self;
}

PwInteractions *
pw_interactions_ref (PwInteractions *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&PRIV (self)->ref_count);
  return self;
}

void
pw_interactions_unref (PwInteractions *self)
{
  Priv *priv;

  g_return_if_fail (self != NULL);

  priv = PRIV (self);
  if (!g_atomic_int_dec_and_test (&priv->ref_count))
    return;
  pw_id_map_clear (&priv->users);
  pw_id_map_clear (&priv->items);
  pw_id_map_clear (&priv->event_types);
  g_free (self->users);
  g_free (self->items);
  g_free (self->timestamps);
  g_free (self->values);
  g_free (self->event_types);
  g_free (priv);
  g_free (self);
}

void
pw_interactions_reserve (PwInteractions *self,
                         guint           n_rows)
{
  Priv *priv = PRIV (self);

  if (n_rows <= priv->capacity)
    return;
  self->users = g_renew (guint32, self->users, n_rows);
  self->items = g_renew (guint32, self->items, n_rows);
  self->timestamps = g_renew (gint64, self->timestamps, n_rows);
  self->values = g_renew (float, self->values, n_rows);
  self->event_types = g_renew (guint16, self->event_types, n_rows);
  priv->capacity = n_rows;
}

static inline void
grow (PwInteractions *self)
{
  Priv *priv = PRIV (self);

  if (G_UNLIKELY (self->n_rows == priv->capacity))
    {
      g_assert (priv->capacity < G_MAXUINT / 2);
      pw_interactions_reserve (self, MAX (priv->capacity * 2, 1024));
    }
}

guint16
pw_interactions_intern_event_type (PwInteractions *self,
                                   const char     *event_type,
                                   gsize           len)
{
  Priv *priv = PRIV (self);
  guint32 t;

  if (event_type == NULL || len == 0)
    return 0;
  t = pw_id_map_intern_len (&priv->event_types, event_type, len);
  g_assert (t <= G_MAXUINT16);
  return (guint16) t;
}

void
pw_interactions_append_indices (PwInteractions *self,
                                guint32         user,
                                guint32         item,
                                gint64          timestamp,
                                float           value,
                                guint16         event_type)
{
  guint r;

  grow (self);
  r = self->n_rows++;
  self->users[r] = user;
  self->items[r] = item;
  self->timestamps[r] = timestamp;
  self->values[r] = value;
  self->event_types[r] = event_type;
  self->n_users = pw_id_map_size (&PRIV (self)->users);
  self->n_items = pw_id_map_size (&PRIV (self)->items);
}

guint32
pw_interactions_intern_user (PwInteractions *self,
                             const char     *id,
                             gsize           len)
{
  return pw_id_map_intern_len (&PRIV (self)->users, id, len);
}

guint32
pw_interactions_intern_item (PwInteractions *self,
                             const char     *id,
                             gsize           len)
{
  return pw_id_map_intern_len (&PRIV (self)->items, id, len);
}

guint32
pw_interactions_intern_user_numeric (PwInteractions *self,
                                     guint64         id)
{
  return pw_id_map_intern_numeric (&PRIV (self)->users, id);
}

guint32
pw_interactions_intern_item_numeric (PwInteractions *self,
                                     guint64         id)
{
  return pw_id_map_intern_numeric (&PRIV (self)->items, id);
}

guint
pw_interactions_count_event_types (PwInteractions *self)
{
  return pw_id_map_size (&PRIV (self)->event_types);
}

/* Appends a row of interned ids with its event type by name, and notes
 * which optional columns the table now has. */
static void
append_row (PwInteractions *self,
            guint32         user,
            guint32         item,
            gint64          timestamp,
            float           value,
            const char     *event_type)
{
  guint16 t = pw_interactions_intern_event_type (self, event_type,
                                                 event_type ? strlen (event_type) : 0);

  pw_interactions_append_indices (self, user, item, timestamp, value, t);
  if (!isnan (value))
    self->has_event_value = TRUE;
  if (t != 0)
    self->has_event_type = TRUE;
}

void
pw_interactions_append (PwInteractions *self,
                        const char     *user_id,
                        const char     *item_id,
                        gint64          timestamp,
                        float           value,
                        const char     *event_type)
{
  guint32 u, i;

  g_return_if_fail (self != NULL);
  g_return_if_fail (user_id != NULL && item_id != NULL);

  u = pw_interactions_intern_user (self, user_id, strlen (user_id));
  i = pw_interactions_intern_item (self, item_id, strlen (item_id));
  append_row (self, u, i, timestamp, value, event_type);
}

void
pw_interactions_append_numeric (PwInteractions *self,
                                guint64         user_id,
                                guint64         item_id,
                                gint64          timestamp,
                                float           value,
                                const char     *event_type)
{
  guint32 u, i;

  g_return_if_fail (self != NULL);

  u = pw_interactions_intern_user_numeric (self, user_id);
  i = pw_interactions_intern_item_numeric (self, item_id);
  append_row (self, u, i, timestamp, value, event_type);
}

const char *
pw_interactions_get_user_id (PwInteractions *self,
                             guint           user)
{
  g_return_val_if_fail (self != NULL, NULL);
  return pw_id_map_get (&PRIV (self)->users, user);
}

const char *
pw_interactions_get_item_id (PwInteractions *self,
                             guint           item)
{
  g_return_val_if_fail (self != NULL, NULL);
  return pw_id_map_get (&PRIV (self)->items, item);
}

gboolean
pw_interactions_lookup_user (PwInteractions *self,
                             const char     *user_id,
                             guint          *user)
{
  g_return_val_if_fail (self != NULL && user_id != NULL, FALSE);
  return pw_id_map_lookup (&PRIV (self)->users, user_id, user);
}

gboolean
pw_interactions_lookup_item (PwInteractions *self,
                             const char     *item_id,
                             guint          *item)
{
  g_return_val_if_fail (self != NULL && item_id != NULL, FALSE);
  return pw_id_map_lookup (&PRIV (self)->items, item_id, item);
}

guint
pw_interactions_get_n_event_types (PwInteractions *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return pw_id_map_size (&PRIV (self)->event_types);
}

const char *
pw_interactions_get_event_type_name (PwInteractions *self,
                                     guint           event_type)
{
  g_return_val_if_fail (self != NULL, NULL);
  return pw_id_map_get (&PRIV (self)->event_types, event_type);
}

const char *
pw_interactions_get_row_event_type (PwInteractions *self,
                                    guint           row)
{
  g_return_val_if_fail (self != NULL && row < self->n_rows, NULL);
  return pw_id_map_get (&PRIV (self)->event_types, self->event_types[row]);
}

void
pw_interactions_set_all_event_types (PwInteractions *self,
                                     const char     *event_type)
{
  guint16 t;

  g_return_if_fail (self != NULL);

  t = pw_interactions_intern_event_type (self, event_type, event_type ? strlen (event_type) : 0);
  for (guint r = 0; r < self->n_rows; r++)
    self->event_types[r] = t;
  self->has_event_type = t != 0;
}

/* Reading ------------------------------------------------------------- */

enum { COL_USER, COL_ITEM, COL_TIMESTAMP, COL_EVENT_TYPE, COL_EVENT_VALUE, N_COLS };
static const char *const col_names[N_COLS] = {
  "USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE",
};

/* The row's field @column holds no timestamp (or, with @number, no number). */
static GError *
bad_value (PwTextReader *r,
           int           column,
           gboolean      number)
{
  const char *v = g_ptr_array_index (r->csv.fields, column);
  g_autofree char *shown = pw_describe_value (v, strlen (v));

  if (number)
    return pw_row_error_new (r->name, r->csv.record_line, column + 1,
                             "EVENT_VALUE", _("%s is not a number"), shown);
  return pw_row_error_new (r->name, r->csv.record_line, column + 1,
                           "TIMESTAMP", _("%s is not a whole number of seconds"), shown);
}

static gpointer
read_interactions (PwTextReader  *r,
                  gpointer       user_data,
                   GError       **error)
{
  g_autoptr(PwInteractions) self = NULL;
  int col[N_COLS];
  const char *last_event_type = NULL;
  guint16 last_event_index = 0;

  self = pw_interactions_new ();
  pw_interactions_reserve (self, MAX (16, r->text_len / 24));
  if (!pw_text_reader_read_header (r, col_names, N_COLS, 3, col, error))
    return NULL;
  self->has_event_type = col[COL_EVENT_TYPE] >= 0;
  self->has_event_value = col[COL_EVENT_VALUE] >= 0;

  while (pw_text_reader_next_row (r, error))
    {
      GPtrArray *f = r->csv.fields;
      guint line = r->csv.record_line;
      const char *user_s, *item_s, *ts_s, *value_s;
      gsize user_len, item_len;
      gint64 ts;
      float value = NAN;
      guint16 t = 0;
      GError *row_error = NULL;

      user_s = g_ptr_array_index (f, col[COL_USER]);
      item_s = g_ptr_array_index (f, col[COL_ITEM]);
      user_len = strlen (user_s);
      item_len = strlen (item_s);
      ts_s = g_ptr_array_index (f, col[COL_TIMESTAMP]);
      value_s = col[COL_EVENT_VALUE] >= 0 ? g_ptr_array_index (f, col[COL_EVENT_VALUE]) : NULL;

      if (user_len == 0)
        row_error = pw_row_error_new (r->name, line, col[COL_USER] + 1,
                                      "USER_ID", _("the user id is empty"));
      else if (item_len == 0)
        row_error = pw_row_error_new (r->name, line, col[COL_ITEM] + 1,
                                      "ITEM_ID", _("the item id is empty"));
      else if (!pw_parse_int64 (ts_s, strlen (ts_s), &ts))
        row_error = bad_value (r, col[COL_TIMESTAMP], FALSE);
      else if (!pw_time_in_range (ts))
        row_error = pw_time_range_error_new (r->name, line, col[COL_TIMESTAMP] + 1, "TIMESTAMP", ts);
      else if (value_s != NULL && *value_s != '\0' &&
               !pw_parse_float (value_s, strlen (value_s), &value))
        row_error = bad_value (r, col[COL_EVENT_VALUE], TRUE);
      else if (col[COL_EVENT_TYPE] >= 0 &&
               pw_interactions_count_event_types (self) >= G_MAXUINT16 &&
               !pw_id_map_lookup (&PRIV (self)->event_types,
                                  g_ptr_array_index (f, col[COL_EVENT_TYPE]), NULL))
        row_error = pw_row_error_new (r->name, line, col[COL_EVENT_TYPE] + 1,
                                      "EVENT_TYPE", _("too many different event types"));

      if (!pw_text_reader_end_row (r, row_error, error))
        continue;

      if (col[COL_EVENT_TYPE] >= 0)
        {
          const char *ev = g_ptr_array_index (f, col[COL_EVENT_TYPE]);

          /* Most files repeat one event type. */
          if (last_event_type != NULL && strcmp (ev, last_event_type) == 0)
            t = last_event_index;
          else
            {
              t = pw_interactions_intern_event_type (self, ev, strlen (ev));
              last_event_type = pw_interactions_get_event_type_name (self, t);
              last_event_index = t;
            }
        }
      pw_interactions_append_indices (self,
                                      pw_interactions_intern_user (self, user_s, user_len),
                                      pw_interactions_intern_item (self, item_s, item_len),
                                      ts, value, t);
    }
  if (r->failed)
    return NULL;
  return g_steal_pointer (&self);
}

PwInteractions *
pw_interactions_parse_csv (const char    *data,
                           gsize          length,
                           const char    *display_name,
                           PwReadFlags    flags,
                           PwReadReport  *report,
                           GError       **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  return pw_text_read_data (read_interactions, NULL, data, length,
                            display_name ? display_name : "CSV", flags, report, error);
}

PwInteractions *
pw_interactions_read_csv (const char    *path,
                          PwReadFlags    flags,
                          PwReadReport  *report,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return pw_text_read_file (read_interactions, NULL, path, flags, report, cancellable, error);
}

/* Writing ------------------------------------------------------------- */

void
pw_interactions_append_csv_text (PwInteractions *self,
                                 const guint32  *rows,
                                 guint           n_rows,
                                 GString        *out)
{
  Priv *priv;
  guint n;

  g_return_if_fail (self != NULL && out != NULL);

  priv = PRIV (self);
  n = rows != NULL ? n_rows : self->n_rows;
  g_string_append (out, "USER_ID,ITEM_ID,EVENT_VALUE,TIMESTAMP,EVENT_TYPE\n");
  for (guint k = 0; k < n; k++)
    {
      guint r = rows != NULL ? rows[k] : k;

      g_assert (r < self->n_rows);
      pw_csv_append_field (out, pw_id_map_get (&priv->users, self->users[r]));
      g_string_append_c (out, ',');
      pw_csv_append_field (out, pw_id_map_get (&priv->items, self->items[r]));
      g_string_append_c (out, ',');
      pw_csv_append_float (out, self->values[r]);
      g_string_append_c (out, ',');
      pw_csv_append_int64 (out, self->timestamps[r]);
      g_string_append_c (out, ',');
      pw_csv_append_field (out, pw_id_map_get (&priv->event_types, self->event_types[r]));
      g_string_append_c (out, '\n');
    }
}

gboolean
pw_write_file_atomic (const char  *path,
                      const char  *contents,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (path, contents, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local_error))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, local_error->domain, local_error->code,
                   _("Cannot write %s: %s"), display, local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
pw_interactions_write_csv (PwInteractions *self,
                           const char     *path,
                           const guint32  *rows,
                           guint           n_rows,
                           GError        **error)
{
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (self != NULL && path != NULL, FALSE);

  out = g_string_sized_new (64 + (gsize) (rows ? n_rows : self->n_rows) * 32);
  pw_interactions_append_csv_text (self, rows, n_rows, out);
  return pw_write_file_atomic (path, out->str, out->len, error);
}
