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

void
pw_interactions_append (PwInteractions *self,
                        const char     *user_id,
                        const char     *item_id,
                        gint64          timestamp,
                        float           value,
                        const char     *event_type)
{
  guint32 u, i;
  guint16 t;

  g_return_if_fail (self != NULL);
  g_return_if_fail (user_id != NULL && item_id != NULL);

  u = pw_interactions_intern_user (self, user_id, strlen (user_id));
  i = pw_interactions_intern_item (self, item_id, strlen (item_id));
  t = pw_interactions_intern_event_type (self, event_type, event_type ? strlen (event_type) : 0);
  pw_interactions_append_indices (self, u, i, timestamp, value, t);
  if (!isnan (value))
    self->has_event_value = TRUE;
  if (t != 0)
    self->has_event_type = TRUE;
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
  guint16 t;

  g_return_if_fail (self != NULL);

  u = pw_interactions_intern_user_numeric (self, user_id);
  i = pw_interactions_intern_item_numeric (self, item_id);
  t = pw_interactions_intern_event_type (self, event_type, event_type ? strlen (event_type) : 0);
  pw_interactions_append_indices (self, u, i, timestamp, value, t);
  if (!isnan (value))
    self->has_event_value = TRUE;
  if (t != 0)
    self->has_event_type = TRUE;
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

gboolean
pw_csv_map_header (PwCsv              *csv,
                   const char         *display_name,
                   const char *const  *names,
                   guint               n_names,
                   guint               n_required,
                   int                *columns,
                   GError            **error)
{
  GPtrArray *fields = csv->fields;
  g_autofree int *first_seen = g_new (int, n_names);

  for (guint c = 0; c < n_names; c++)
    columns[c] = first_seen[c] = -1;

  for (guint f = 0; f < fields->len; f++)
    {
      g_autofree char *name = pw_header_name (g_ptr_array_index (fields, f));

      for (guint c = 0; c < n_names; c++)
        if (strcmp (name, names[c]) == 0)
          {
            if (columns[c] >= 0)
              {
                g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_HEADER,
                             _("%s, line %u: the header names %s twice (columns %u and %u)"),
                             display_name, csv->record_line, names[c], (guint) columns[c] + 1, f + 1);
                return FALSE;
              }
            columns[c] = f;
          }
    }

  /* Any other repeated name is a mistake too. */
  for (guint f = 0; f < fields->len; f++)
    for (guint g = f + 1; g < fields->len; g++)
      {
        g_autofree char *a = pw_header_name (g_ptr_array_index (fields, f));
        g_autofree char *b = pw_header_name (g_ptr_array_index (fields, g));

        if (*a != '\0' && strcmp (a, b) == 0)
          {
            g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_HEADER,
                         _("%s, line %u: the header names %s twice (columns %u and %u)"),
                         display_name, csv->record_line, a, f + 1, g + 1);
            return FALSE;
          }
        if (fields->len > 64)
          break;
      }

  for (guint c = 0; c < n_required; c++)
    if (columns[c] < 0)
      {
        g_autoptr(GString) found = g_string_new (NULL);

        for (guint f = 0; f < fields->len; f++)
          {
            if (f > 0)
              g_string_append (found, ", ");
            g_string_append (found, g_ptr_array_index (fields, f));
          }
        g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_HEADER,
                     _("%s, line %u: the header has no %s column (it has: %s)"),
                     display_name, csv->record_line, names[c], found->str);
        return FALSE;
      }
  return TRUE;
}

static GError *
field_count_error (PwCsv      *csv,
                   const char *display_name,
                   guint       expected)
{
  return pw_row_error_new (display_name, csv->record_line, 0, NULL,
                           _("expected %u fields as in the header, found %u"),
                           expected, csv->fields->len);
}

PwInteractions *
pw_interactions_parse_csv (const char    *data,
                           gsize          length,
                           const char    *display_name,
                           PwReadFlags    flags,
                           PwReadReport  *report,
                           GError       **error)
{
  g_autoptr(PwInteractions) self = NULL;
  g_autofree char *converted = NULL;
  const char *text;
  gsize text_len;
  gboolean latin1 = FALSE;
  PwCsv csv;
  int col[N_COLS];
  guint n_header = 0;
  gboolean have_header = FALSE;
  gboolean ok = TRUE;
  char *message = NULL;
  const char *last_event_type = NULL;
  guint16 last_event_index = 0;
  int rc;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (display_name == NULL)
    display_name = "CSV";
  if (!pw_text_decode (data ? data : "", length, display_name, TRUE,
                       &text, &text_len, &converted, &latin1, error))
    return NULL;
  if (report != NULL && latin1)
    report->latin1 = TRUE;

  self = pw_interactions_new ();
  pw_interactions_reserve (self, MAX (16, text_len / 24));
  pw_csv_init (&csv, text, text_len, ',');

  while (ok && (rc = pw_csv_next (&csv, &message)) != 0)
    {
      GPtrArray *f = csv.fields;
      const char *user_s, *item_s;
      gsize user_len, item_len;
      gint64 ts;
      float value = NAN;
      guint16 t = 0;
      GError *row_error = NULL;

      if (rc < 0)
        {
          g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_PARSE, "%s, %s", display_name, message);
          g_free (message);
          ok = FALSE;
          break;
        }
      if (pw_csv_record_is_blank (&csv))
        {
          if (report != NULL)
            report->n_empty_lines++;
          continue;
        }
      if (!have_header)
        {
          if (!pw_csv_map_header (&csv, display_name, col_names, N_COLS, 3, col, error))
            {
              ok = FALSE;
              break;
            }
          have_header = TRUE;
          n_header = f->len;
          self->has_event_type = col[COL_EVENT_TYPE] >= 0;
          self->has_event_value = col[COL_EVENT_VALUE] >= 0;
          continue;
        }

      if (report != NULL)
        report->n_rows++;

      if (f->len != n_header)
        row_error = field_count_error (&csv, display_name, n_header);
      else
        {
          user_s = g_ptr_array_index (f, col[COL_USER]);
          item_s = g_ptr_array_index (f, col[COL_ITEM]);
          user_len = strlen (user_s);
          item_len = strlen (item_s);

          if (user_len == 0)
            row_error = pw_row_error_new (display_name, csv.record_line, col[COL_USER] + 1,
                                          "USER_ID", _("the user id is empty"));
          else if (item_len == 0)
            row_error = pw_row_error_new (display_name, csv.record_line, col[COL_ITEM] + 1,
                                          "ITEM_ID", _("the item id is empty"));
          else if (!pw_parse_int64 (g_ptr_array_index (f, col[COL_TIMESTAMP]),
                                    strlen (g_ptr_array_index (f, col[COL_TIMESTAMP])), &ts))
            {
              const char *v = g_ptr_array_index (f, col[COL_TIMESTAMP]);
              g_autofree char *shown = pw_describe_value (v, strlen (v));

              row_error = pw_row_error_new (display_name, csv.record_line, col[COL_TIMESTAMP] + 1,
                                            "TIMESTAMP", _("%s is not a whole number of seconds"), shown);
            }
          else if (col[COL_EVENT_VALUE] >= 0 &&
                   *(const char *) g_ptr_array_index (f, col[COL_EVENT_VALUE]) != '\0' &&
                   !pw_parse_float (g_ptr_array_index (f, col[COL_EVENT_VALUE]),
                                    strlen (g_ptr_array_index (f, col[COL_EVENT_VALUE])), &value))
            {
              const char *v = g_ptr_array_index (f, col[COL_EVENT_VALUE]);
              g_autofree char *shown = pw_describe_value (v, strlen (v));

              row_error = pw_row_error_new (display_name, csv.record_line, col[COL_EVENT_VALUE] + 1,
                                            "EVENT_VALUE", _("%s is not a number"), shown);
            }
          else if (col[COL_EVENT_TYPE] >= 0 &&
                   pw_interactions_count_event_types (self) >= G_MAXUINT16 &&
                   !pw_id_map_lookup (&PRIV (self)->event_types,
                                      g_ptr_array_index (f, col[COL_EVENT_TYPE]), NULL))
            row_error = pw_row_error_new (display_name, csv.record_line, col[COL_EVENT_TYPE] + 1,
                                          "EVENT_TYPE", _("too many different event types"));
        }

      if (row_error != NULL)
        {
          if (report != NULL)
            report->n_rows--;
          ok = pw_row_failed (flags, report, row_error, error);
          continue;
        }

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
  pw_csv_clear (&csv);

  if (!ok)
    return NULL;
  if (!have_header)
    {
      g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_HEADER,
                   _("%s is empty: it has no header line"), display_name);
      return NULL;
    }
  return g_steal_pointer (&self);
}

PwInteractions *
pw_interactions_read_csv (const char    *path,
                          PwReadFlags    flags,
                          PwReadReport  *report,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!pw_text_load (path, &contents, &length, cancellable, error))
    return NULL;
  display = g_filename_display_basename (path);
  return pw_interactions_parse_csv (contents, length, display, flags, report, error);
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
