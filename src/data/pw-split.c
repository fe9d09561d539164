/* pw-split.c: the workshop's split
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-data"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pw-data-error.h"
#include "pw-interactions-private.h"
#include "pw-numpy-random.h"
#include "pw-split.h"

gboolean
pw_split_options_validate (const PwSplitOptions *options,
                           GError              **error)
{
  if (!(options->warm_fraction >= 0.0 && options->warm_fraction <= 1.0))
    {
      g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_INVALID_ARGUMENT,
                   _("The warm fraction must be between 0 and 1, not %g"), options->warm_fraction);
      return FALSE;
    }
  if (!(options->holdout_fraction >= 0.0 && options->holdout_fraction <= 1.0))
    {
      g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_INVALID_ARGUMENT,
                   _("The holdout fraction must be between 0 and 1, not %g"), options->holdout_fraction);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  gint64  ts;
  guint32 pos;   /* position in the rows being ranked */
} Key;

static int
key_compare (const void *a,
             const void *b)
{
  const Key *x = a, *y = b;

  if (x->ts != y->ts)
    return x->ts < y->ts ? -1 : 1;
  return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void
pw_split_rank_first_pct (PwInteractions *interactions,
                         const guint32  *rows,
                         guint           n_rows,
                         double         *pct)
{
  guint n_users = interactions->n_users;
  g_autofree guint32 *start = g_new0 (guint32, (gsize) n_users + 1);
  g_autofree Key *keys = g_new (Key, MAX (n_rows, 1));
  g_autofree guint32 *fill = NULL;

  /* Group by user, keeping file order inside each group (counting sort). */
  for (guint k = 0; k < n_rows; k++)
    start[interactions->users[rows[k]] + 1]++;
  for (guint u = 0; u < n_users; u++)
    start[u + 1] += start[u];
  fill = g_memdup2 (start, sizeof (guint32) * n_users);
  for (guint k = 0; k < n_rows; k++)
    {
      guint u = interactions->users[rows[k]];
      Key *key = &keys[fill[u]++];

      key->ts = interactions->timestamps[rows[k]];
      key->pos = k;
    }

  for (guint u = 0; u < n_users; u++)
    {
      guint32 a = start[u], b = start[u + 1];
      double count = (double) (b - a);
      gboolean sorted = TRUE;

      for (guint32 k = a + 1; k < b && sorted; k++)
        if (keys[k].ts < keys[k - 1].ts)
          sorted = FALSE;
      if (!sorted)
        qsort (keys + a, b - a, sizeof (Key), key_compare);
      for (guint32 k = a; k < b; k++)
        pct[keys[k].pos] = (double) (k - a + 1) / count;
    }
}

PwSplit *
pw_split_new (PwInteractions       *interactions,
              const PwSplitOptions *options,
              GError              **error)
{
  g_autoptr(PwSplit) split = NULL;
  PwSplitOptions defaults = PW_SPLIT_OPTIONS_DEFAULT;
  g_autofree double *pct = NULL;
  g_autofree guint8 *seen_user_t = NULL, *seen_user_v = NULL, *seen_item_t = NULL, *seen_item_v = NULL;
  double threshold;
  guint n_items, n_rows;

  g_return_val_if_fail (interactions != NULL, NULL);

  if (options == NULL)
    options = &defaults;
  if (!pw_split_options_validate (options, error))
    return NULL;

  n_items = interactions->n_items;
  n_rows = interactions->n_rows;
  split = g_new0 (PwSplit, 1);
  split->interactions = pw_interactions_ref (interactions);
  split->options = *options;

  /* Items in order of first appearance are the dense indices 0..n-1. */
  split->item_order = pw_numpy_permutation (options->seed, n_items);
  split->n_cold_items = (guint) floor ((double) n_items * (1.0 - options->warm_fraction) + 1e-9);
  split->n_cold_items = MIN (split->n_cold_items, n_items);
  split->n_warm_items = n_items - split->n_cold_items;
  split->item_is_warm = g_new0 (guint8, MAX (n_items, 1));
  for (guint k = split->n_cold_items; k < n_items; k++)
    split->item_is_warm[split->item_order[k]] = 1;

  split->row_set = g_new (guint8, MAX (n_rows, 1));
  split->cold_rows = g_new (guint32, MAX (n_rows, 1));
  split->warm_rows = g_new (guint32, MAX (n_rows, 1));
  for (guint r = 0; r < n_rows; r++)
    {
      if (split->item_is_warm[interactions->items[r]])
        split->warm_rows[split->n_warm_rows++] = r;
      else
        {
          split->cold_rows[split->n_cold_rows++] = r;
          split->row_set[r] = PW_SPLIT_COLD;
        }
    }

  pct = g_new (double, MAX (split->n_warm_rows, 1));
  pw_split_rank_first_pct (interactions, split->warm_rows, split->n_warm_rows, pct);

  threshold = 1.0 - options->holdout_fraction;
  split->training_rows = g_new (guint32, MAX (split->n_warm_rows, 1));
  split->validation_rows = g_new (guint32, MAX (split->n_warm_rows, 1));
  seen_user_t = g_new0 (guint8, MAX (interactions->n_users, 1));
  seen_user_v = g_new0 (guint8, MAX (interactions->n_users, 1));
  seen_item_t = g_new0 (guint8, MAX (n_items, 1));
  seen_item_v = g_new0 (guint8, MAX (n_items, 1));
  for (guint k = 0; k < split->n_warm_rows; k++)
    {
      guint r = split->warm_rows[k];
      guint u = interactions->users[r], i = interactions->items[r];

      if (pct[k] > threshold)
        {
          split->validation_rows[split->n_validation_rows++] = r;
          split->row_set[r] = PW_SPLIT_VALIDATION;
          split->n_validation_users += !seen_user_v[u];
          split->n_validation_items += !seen_item_v[i];
          seen_user_v[u] = seen_item_v[i] = 1;
        }
      else
        {
          split->training_rows[split->n_training_rows++] = r;
          split->row_set[r] = PW_SPLIT_TRAINING;
          split->n_training_users += !seen_user_t[u];
          split->n_training_items += !seen_item_t[i];
          seen_user_t[u] = seen_item_t[i] = 1;
        }
    }
  return g_steal_pointer (&split);
}

void
pw_split_free (PwSplit *split)
{
  if (split == NULL)
    return;
  g_clear_pointer (&split->interactions, pw_interactions_unref);
  g_free (split->item_order);
  g_free (split->item_is_warm);
  g_free (split->row_set);
  g_free (split->cold_rows);
  g_free (split->warm_rows);
  g_free (split->training_rows);
  g_free (split->validation_rows);
  g_free (split);
}

/* Writing the set ----------------------------------------------------- */

typedef struct
{
  char *final_path;
  char *temp_path;
} Pending;

static void
pending_discard (GArray *pending)
{
  for (guint k = 0; k < pending->len; k++)
    {
      Pending *p = &g_array_index (pending, Pending, k);

      if (p->temp_path != NULL)
        g_unlink (p->temp_path);
      g_free (p->temp_path);
      g_free (p->final_path);
    }
  g_array_set_size (pending, 0);
}

static gboolean
write_temp (GArray      *pending,
            const char  *directory,
            const char  *name,
            GString     *text,
            GError     **error)
{
  Pending p;
  int fd;
  const char *data = text->str;
  gsize left = text->len;

  p.final_path = g_build_filename (directory, name, NULL);
  p.temp_path = g_strdup_printf ("%s/.%s.XXXXXX", directory, name);
  fd = g_mkstemp_full (p.temp_path, O_WRONLY, 0644);
  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (p.final_path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot write %s: %s"), display, g_strerror (saved));
      g_free (p.final_path);
      g_free (p.temp_path);
      return FALSE;
    }
  g_array_append_val (pending, p);
  while (left > 0)
    {
      gssize n = write (fd, data, left);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;
          g_autofree char *display = g_filename_display_name (p.final_path);

          close (fd);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Cannot write %s: %s"), display, g_strerror (saved));
          return FALSE;
        }
      data += n;
      left -= n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (p.final_path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot write %s: %s"), display, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
pw_split_write (PwSplit       *split,
                PwItems       *items,
                const char    *directory,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  g_autoptr(GString) text = g_string_new (NULL);
  PwInteractions *t;
  struct { const char *name; const guint32 *rows; guint n; } sets[4];
  gboolean ok = TRUE;

  g_return_val_if_fail (split != NULL && directory != NULL, FALSE);

  t = split->interactions;
  if (g_mkdir_with_parents (directory, 0755) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (directory);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder %s: %s"), display, g_strerror (saved));
      return FALSE;
    }

  sets[0].name = PW_TRAINING_INTERACTIONS_FILE;
  sets[0].rows = split->training_rows;
  sets[0].n = split->n_training_rows;
  sets[1].name = PW_VALIDATION_INTERACTIONS_FILE;
  sets[1].rows = split->validation_rows;
  sets[1].n = split->n_validation_rows;
  sets[2].name = PW_COLDSTART_INTERACTIONS_FILE;
  sets[2].rows = split->cold_rows;
  sets[2].n = split->n_cold_rows;
  sets[3].name = PW_WARM_INTERACTIONS_FILE;
  sets[3].rows = split->warm_rows;
  sets[3].n = split->n_warm_rows;

  for (guint k = 0; ok && k < G_N_ELEMENTS (sets); k++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      g_string_truncate (text, 0);
      pw_interactions_append_csv_text (t, sets[k].rows, sets[k].n, text);
      ok = write_temp (pending, directory, sets[k].name, text, error);
    }
  if (ok)
    {
      g_string_truncate (text, 0);
      pw_items_append_training_text (items, t, text);
      ok = write_temp (pending, directory, PW_TRAINING_ITEMS_FILE, text, error);
    }
  if (ok)
    {
      g_string_truncate (text, 0);
      pw_items_append_catalog_text (items, t, text);
      ok = write_temp (pending, directory, PW_CATALOG_FILE, text, error);
    }
  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;

  for (guint k = 0; ok && k < pending->len; k++)
    {
      Pending *p = &g_array_index (pending, Pending, k);

      if (g_rename (p->temp_path, p->final_path) != 0)
        {
          int saved = errno;
          g_autofree char *display = g_filename_display_name (p->final_path);

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Cannot write %s: %s"), display, g_strerror (saved));
          ok = FALSE;
          break;
        }
      g_clear_pointer (&p->temp_path, g_free);
    }
  pending_discard (pending);
  return ok;
}
