/* pw-model-io.c: saving and loading trained models (binary, versioned,
 * written atomically)
 *
 * Layout (little-endian as the machine writes it; the header's byte-order
 * mark rejects a file from a machine of the other order):
 *   "PWMODEL\n" u32 version u32 byte-order-mark u32 recipe
 *   f64 lambda, half_life, recency_floor, als_alpha, als_reg, seq_weight,
 *   u32 seq_n_in, f64 seq_in_decay, f64 time_weight, f64 sim_beta,
 *   f64 session_genre_weight
 *   u32 n_items, per item: str id, str genres (or none), i64 creation
 *   u32 n_users, u32 n_train_users, per user: str id, u32 n,
 *     n x (u32 item, u32 flags, i64 time)
 *   u32 n_warm, u8 has_dense [n_warm² f32], u8 has_seq [n_warm² f32],
 *   u32 n_buckets [i64 bucket_start, i64 bucket_width, n_buckets·n_warm f32],
 *   u32 k [n_warm·k f32, k² f32]
 *   "END\n"
 * str = u32 length (0xffffffff = none) + bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-engine"

#include <glib/gi18n.h>
#include <string.h>

#include "pw-engine-error.h"
#include "pw-model-private.h"

#define MAGIC "PWMODEL\n"
#define END_MAGIC "END\n"
#define FORMAT_VERSION 3u
#define BYTE_ORDER_MARK 0x01020304u
#define NO_STRING 0xffffffffu

static void
put (GByteArray   *out,
     gconstpointer data,
     gsize         len)
{
  g_byte_array_append (out, data, (guint) len);
}

static void
put_u32 (GByteArray *out,
         guint32     v)
{
  put (out, &v, sizeof v);
}

static void
put_i64 (GByteArray *out,
         gint64      v)
{
  put (out, &v, sizeof v);
}

static void
put_f64 (GByteArray *out,
         double      v)
{
  put (out, &v, sizeof v);
}

static void
put_str (GByteArray *out,
         const char *s)
{
  if (s == NULL)
    {
      put_u32 (out, NO_STRING);
      return;
    }
  put_u32 (out, (guint32) strlen (s));
  put (out, s, strlen (s));
}

/**
 * pw_model_save:
 * @path: the file to write (replaced atomically: temporary file, fsync, rename)
 */
gboolean
pw_model_save (PwModel     *self,
               const char  *path,
               GError     **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gboolean ok;

  g_return_val_if_fail (self != NULL && path != NULL, FALSE);

  put (out, MAGIC, 8);
  put_u32 (out, FORMAT_VERSION);
  put_u32 (out, BYTE_ORDER_MARK);
  put_u32 (out, (guint32) self->recipe);
  put_f64 (out, self->lambda);
  put_f64 (out, self->half_life);
  put_f64 (out, self->recency_floor);
  put_f64 (out, self->als_alpha);
  put_f64 (out, self->als_reg);
  put_f64 (out, self->seq_weight);
  put_u32 (out, self->seq_n_in);
  put_f64 (out, self->seq_in_decay);
  put_f64 (out, self->time_weight);
  put_f64 (out, self->sim_beta);
  put_f64 (out, self->session_genre_weight);

  put_u32 (out, self->n_items);
  for (guint i = 0; i < self->n_items; i++)
    {
      put_str (out, g_ptr_array_index (self->item_ids, i));
      put_str (out, g_ptr_array_index (self->item_genres, i));
      put_i64 (out, self->item_creation[i]);
    }

  g_rw_lock_reader_lock (&self->lock);
  put_u32 (out, self->user_ids->len);
  put_u32 (out, self->n_train_users);
  for (guint u = 0; u < self->user_ids->len; u++)
    {
      GArray *h = g_ptr_array_index (self->histories, u);
      put_str (out, g_ptr_array_index (self->user_ids, u));
      put_u32 (out, h->len);
      for (guint e = 0; e < h->len; e++)
        {
          PwEvent *ev = &g_array_index (h, PwEvent, e);
          put_u32 (out, ev->item);
          put_u32 (out, ev->flags);
          put_i64 (out, ev->timestamp);
        }
    }
  g_rw_lock_reader_unlock (&self->lock);

  put_u32 (out, self->n_warm);
  {
    guint8 has_dense = self->dense != NULL;
    guint8 has_seq = self->seq != NULL;

    put (out, &has_dense, 1);
    if (has_dense)
      put (out, self->dense, sizeof (float) * self->n_warm * self->n_warm);
    put (out, &has_seq, 1);
    if (has_seq)
      put (out, self->seq, sizeof (float) * self->n_warm * self->n_warm);
  }
  put_u32 (out, self->time_counts != NULL ? self->n_buckets : 0);
  if (self->time_counts != NULL && self->n_buckets > 0)
    {
      put_i64 (out, self->bucket_start);
      put_i64 (out, self->bucket_width);
      put (out, self->time_counts, sizeof (float) * self->n_buckets * self->n_warm);
    }
  put_u32 (out, self->item_factors != NULL ? self->k : 0);
  if (self->item_factors != NULL)
    {
      put (out, self->item_factors, sizeof (float) * self->n_warm * self->k);
      put (out, self->gram, sizeof (float) * self->k * self->k);
    }
  put (out, END_MAGIC, 4);

  ok = g_file_set_contents_full (path, (const char *) out->data, out->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0644, error);
  return ok;
}

typedef struct
{
  const guint8 *data;
  gsize         len;
  gsize         pos;
  gboolean      failed;
} Reader;

static gboolean
take (Reader  *r,
      gpointer dest,
      gsize    len)
{
  if (r->failed || len > r->len - r->pos)
    {
      r->failed = TRUE;
      return FALSE;
    }
  memcpy (dest, r->data + r->pos, len);
  r->pos += len;
  return TRUE;
}

static guint32
take_u32 (Reader *r)
{
  guint32 v = 0;
  take (r, &v, sizeof v);
  return v;
}

static gint64
take_i64 (Reader *r)
{
  gint64 v = 0;
  take (r, &v, sizeof v);
  return v;
}

static double
take_f64 (Reader *r)
{
  double v = 0;
  take (r, &v, sizeof v);
  return v;
}

static char *
take_str (Reader *r)
{
  guint32 len = take_u32 (r);
  char *s;

  if (r->failed || len == NO_STRING)
    return NULL;
  if (len > r->len - r->pos)
    {
      r->failed = TRUE;
      return NULL;
    }
  s = g_strndup ((const char *) r->data + r->pos, len);
  r->pos += len;
  return s;
}

/* room for @count elements of @size bytes left in the file? */
static gboolean
fits (Reader *r,
      guint64 count,
      gsize   size)
{
  if (r->failed || (size > 0 && count > (r->len - r->pos) / size))
    {
      r->failed = TRUE;
      return FALSE;
    }
  return TRUE;
}

static PwModel *
corrupt (const char  *path,
         const char  *what,
         PwModel     *partial,
         GError     **error)
{
  g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_CORRUPT,
               _("%s is not a usable model file: %s"), path, what);
  if (partial != NULL)
    pw_model_unref (partial);
  return NULL;
}

/**
 * pw_model_load:
 * Returns: (transfer full): the model saved in @path, or %NULL with
 *   %PW_ENGINE_ERROR_CORRUPT (truncated, damaged, other version) or a
 *   GFileError
 */
PwModel *
pw_model_load (const char  *path,
               GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  Reader r = { 0 };
  char magic[8];
  guint32 version, bom, recipe, n_items, n_users, n_train, n_warm, n_buckets, k;
  guint8 has_dense = 0, has_seq = 0;
  char end[4];
  PwModel *self;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return NULL;
  r.data = (const guint8 *) g_mapped_file_get_contents (file);
  r.len = g_mapped_file_get_length (file);

  if (!take (&r, magic, 8) || memcmp (magic, MAGIC, 8) != 0)
    return corrupt (path, _("it does not start with the model signature"), NULL, error);
  version = take_u32 (&r);
  bom = take_u32 (&r);
  if (bom != BYTE_ORDER_MARK)
    return corrupt (path, _("it was written on a machine of another byte order"), NULL, error);
  if (version != FORMAT_VERSION)
    {
      g_set_error (error, PW_ENGINE_ERROR, PW_ENGINE_ERROR_CORRUPT,
                   _("%s is a model file of format version %u; this program reads version %u"),
                   path, version, FORMAT_VERSION);
      return NULL;
    }
  recipe = take_u32 (&r);
  if (recipe > PW_RECIPE_PERSONALIZED_RANKING)
    return corrupt (path, _("unknown recipe"), NULL, error);

  self = pw_model_new_empty ((PwRecipe) recipe);
  self->lambda = take_f64 (&r);
  self->half_life = take_f64 (&r);
  self->recency_floor = take_f64 (&r);
  self->als_alpha = take_f64 (&r);
  self->als_reg = take_f64 (&r);
  self->seq_weight = take_f64 (&r);
  self->seq_n_in = take_u32 (&r);
  self->seq_in_decay = take_f64 (&r);
  self->time_weight = take_f64 (&r);
  self->sim_beta = take_f64 (&r);
  self->session_genre_weight = take_f64 (&r);
  if (!(self->session_genre_weight >= 0 && self->session_genre_weight <= 1))
    return corrupt (path, _("the session's genre weight is not between 0 and 1"), self, error);

  n_items = take_u32 (&r);
  if (!fits (&r, n_items, 4 + 4 + 8))
    return corrupt (path, _("the file is truncated"), self, error);
  self->item_creation = g_new (gint64, MAX (1, n_items));
  for (guint i = 0; i < n_items && !r.failed; i++)
    {
      char *id = take_str (&r);
      if (id == NULL)
        return corrupt (path, _("an item has no id"), self, error);
      g_ptr_array_add (self->item_ids, id);
      g_ptr_array_add (self->item_genres, take_str (&r));
      self->item_creation[i] = take_i64 (&r);
    }
  self->n_items = n_items;

  n_users = take_u32 (&r);
  n_train = take_u32 (&r);
  if (n_train > n_users || !fits (&r, n_users, 4 + 4))
    return corrupt (path, _("the user table is damaged"), self, error);
  for (guint u = 0; u < n_users && !r.failed; u++)
    {
      char *id = take_str (&r);
      guint32 n;
      GArray *h;

      if (id == NULL)
        return corrupt (path, _("a user has no id"), self, error);
      n = take_u32 (&r);
      if (!fits (&r, n, 16))
        {
          g_free (id);
          return corrupt (path, _("the file is truncated"), self, error);
        }
      h = g_array_sized_new (FALSE, FALSE, sizeof (PwEvent), n);
      for (guint e = 0; e < n; e++)
        {
          PwEvent ev;
          ev.item = take_u32 (&r);
          ev.flags = take_u32 (&r) & PW_EVENT_REALTIME;
          ev.timestamp = take_i64 (&r);
          if (ev.item >= n_items)
            {
              g_free (id);
              g_array_unref (h);
              return corrupt (path, _("an event refers to an item that does not exist"), self, error);
            }
          g_array_append_val (h, ev);
        }
      g_ptr_array_add (self->user_ids, id);
      g_ptr_array_add (self->histories, h);
    }
  if (r.failed)
    return corrupt (path, _("the file is truncated"), self, error);
  self->n_train_users = n_train;
  pw_model_prepare (self);

  n_warm = take_u32 (&r);
  if (n_warm != self->n_warm)
    return corrupt (path, _("the item table does not match the model"), self, error);
  take (&r, &has_dense, 1);
  if (has_dense)
    {
      if (!fits (&r, (guint64) n_warm * n_warm, sizeof (float)))
        return corrupt (path, _("the file is truncated"), self, error);
      self->dense = pw_matrix_alloc ((gsize) n_warm * n_warm, FALSE);
      take (&r, self->dense, sizeof (float) * n_warm * n_warm);
    }
  take (&r, &has_seq, 1);
  if (has_seq)
    {
      if (!fits (&r, (guint64) n_warm * n_warm, sizeof (float)))
        return corrupt (path, _("the file is truncated"), self, error);
      self->seq = pw_matrix_alloc ((gsize) n_warm * n_warm, FALSE);
      take (&r, self->seq, sizeof (float) * n_warm * n_warm);
    }
  n_buckets = take_u32 (&r);
  if (n_buckets > 0)
    {
      if (n_buckets > 4096 || !fits (&r, (guint64) n_buckets * n_warm + 4, sizeof (float)))
        return corrupt (path, _("the file is truncated"), self, error);
      self->n_buckets = n_buckets;
      self->bucket_start = take_i64 (&r);
      self->bucket_width = take_i64 (&r);
      self->time_counts = g_new (float, MAX (1, (gsize) n_buckets * n_warm));
      take (&r, self->time_counts, sizeof (float) * n_buckets * n_warm);
    }
  k = take_u32 (&r);
  if (k > 0)
    {
      if (k > 4096 || !fits (&r, (guint64) n_warm * k + (guint64) k * k, sizeof (float)))
        return corrupt (path, _("the file is truncated"), self, error);
      self->k = k;
      self->item_factors = g_new (float, MAX (1, (gsize) n_warm * k));
      self->gram = g_new (float, (gsize) k * k);
      take (&r, self->item_factors, sizeof (float) * n_warm * k);
      take (&r, self->gram, sizeof (float) * k * k);
    }
  if (!take (&r, end, 4) || memcmp (end, END_MAGIC, 4) != 0 || r.pos != r.len)
    return corrupt (path, _("the file is truncated or has trailing data"), self, error);

  if ((recipe == PW_RECIPE_USER_PERSONALIZATION || recipe == PW_RECIPE_PERSONALIZED_RANKING)
      && self->dense == NULL && self->item_factors == NULL)
    return corrupt (path, _("the model's matrices are missing"), self, error);
  if ((recipe == PW_RECIPE_SIMILAR_ITEMS || recipe == PW_RECIPE_SIMS) && self->dense == NULL)
    pw_model_build_item_users (self);
  return self;
}
