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

/* Writing the set -----------------------------------------------------
 *
 * The six files change together or not at all, even when the process is
 * killed half-way, and the output folder may hold other files. Layout:
 *
 *   OUT/.pw-split                -> .pw-split-AbC123   (a symbolic link)
 *   OUT/.pw-split-AbC123/        the six files of one run
 *   OUT/training_interaction.csv -> .pw-split/training_interaction.csv
 *   ... (one such link per file name; they never change once made)
 *
 * A run writes its six files into a new folder OUT/.pw-split-XXXXXX, then
 * points OUT/.pw-split at it with one rename(2) of a new link over the old
 * one: every name switches from the old set to the new one at that single
 * instant. Before the first switch the per-name links dangle (nothing can
 * be read); regular files an older version wrote are first hard-linked
 * into a set folder that .pw-split points at, so that turning each name
 * into a link never shows a mix. Each run starts by removing what a killed
 * run left: set folders .pw-split does not point at and temporary links. */

#define SET_LINK ".pw-split"
#define SET_PREFIX ".pw-split-"
#define TEMP_LINK_PREFIX ".pw-link-"

static const char *const set_files[] = {
  PW_TRAINING_INTERACTIONS_FILE, PW_VALIDATION_INTERACTIONS_FILE, PW_COLDSTART_INTERACTIONS_FILE,
  PW_WARM_INTERACTIONS_FILE, PW_TRAINING_ITEMS_FILE, PW_CATALOG_FILE,
};

static gboolean
io_error (GError    **error,
          int         saved,
          const char *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               _("Cannot write %s: %s"), display, g_strerror (saved));
  return FALSE;
}

/* Removes a set folder (flat: it only ever holds files). */
static void
remove_set_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

/* What a killed run left behind: set folders that .pw-split does not point
 * at, temporary links, and the temporary files of the older one-by-one
 * writer (".training_interaction.csv.XXXXXX"). */
static void
remove_leftovers (const char *directory)
{
  g_autofree char *link = g_build_filename (directory, SET_LINK, NULL);
  g_autofree char *current = g_file_read_link (link, NULL);
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (directory, name, NULL);
      GStatBuf st;

      if (g_lstat (path, &st) != 0)
        continue;
      if (g_str_has_prefix (name, SET_PREFIX) && S_ISDIR (st.st_mode) && g_strcmp0 (name, current) != 0)
        remove_set_dir (path);
      else if (g_str_has_prefix (name, TEMP_LINK_PREFIX) && S_ISLNK (st.st_mode))
        g_unlink (path);
      else if (name[0] == '.' && S_ISREG (st.st_mode))
        for (guint k = 0; k < G_N_ELEMENTS (set_files); k++)
          {
            gsize n = strlen (set_files[k]);

            if (strncmp (name + 1, set_files[k], n) == 0 && name[1 + n] == '.' && strlen (name + 2 + n) == 6)
              g_unlink (path);
          }
    }
}

static gboolean
fsync_dir (const char  *path,
           GError     **error)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      return io_error (error, saved, path);
    }
  close (fd);
  return TRUE;
}

/* Makes @directory/@name a symbolic link to @target, atomically (a new
 * link renamed over whatever was there). */
static gboolean
replace_with_link (const char  *directory,
                   const char  *name,
                   const char  *target,
                   GError     **error)
{
  g_autofree char *final = g_build_filename (directory, name, NULL);
  g_autofree char *temp = NULL;

  for (guint attempt = 0; ; attempt++)
    {
      g_free (temp);
      temp = g_strdup_printf ("%s/" TEMP_LINK_PREFIX "%08x", directory, g_random_int ());
      if (symlink (target, temp) == 0)
        break;
      if (errno != EEXIST || attempt > 100)
        return io_error (error, errno, final);
    }
  if (g_rename (temp, final) != 0)
    {
      int saved = errno;

      g_unlink (temp);
      return io_error (error, saved, final);
    }
  return TRUE;
}

static gboolean
write_file (const char  *set_dir,
            const char  *name,
            GString     *text,
            GError     **error)
{
  g_autofree char *path = g_build_filename (set_dir, name, NULL);
  const char *data = text->str;
  gsize left = text->len;
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

  if (fd < 0)
    return io_error (error, errno, name);
  while (left > 0)
    {
      gssize n = write (fd, data, left);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = n < 0 ? errno : ENOSPC;

          close (fd);
          return io_error (error, saved, path);
        }
      data += n;
      left -= n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    return io_error (error, errno, path);
  return TRUE;
}

/* Each of the six names in @directory is the link SET_LINK/NAME, without
 * ever showing a mix of sets (see above). */
static gboolean
ensure_name_links (const char  *directory,
                   GError     **error)
{
  g_autofree char *set_link = g_build_filename (directory, SET_LINK, NULL);
  g_autofree char *current = g_file_read_link (set_link, NULL);
  gboolean any_regular = FALSE;

  for (guint k = 0; k < G_N_ELEMENTS (set_files); k++)
    {
      g_autofree char *path = g_build_filename (directory, set_files[k], NULL);
      GStatBuf st;

      if (g_lstat (path, &st) == 0 && S_ISREG (st.st_mode))
        any_regular = TRUE;
    }
  if (current == NULL && any_regular)
    {
      /* Files of an older writer: keep them visible through a set folder
       * of their own while the names become links. */
      g_autofree char *old_dir = g_build_filename (directory, SET_PREFIX "XXXXXX", NULL);
      g_autofree char *old_name = NULL;

      if (g_mkdtemp_full (old_dir, 0755) == NULL)
        return io_error (error, errno, old_dir);
      for (guint k = 0; k < G_N_ELEMENTS (set_files); k++)
        {
          g_autofree char *path = g_build_filename (directory, set_files[k], NULL);
          g_autofree char *kept = g_build_filename (old_dir, set_files[k], NULL);
          GStatBuf st;

          if (g_lstat (path, &st) == 0 && S_ISREG (st.st_mode) && link (path, kept) != 0)
            {
              int saved = errno;

              remove_set_dir (old_dir);
              return io_error (error, saved, path);
            }
        }
      old_name = g_path_get_basename (old_dir);
      if (!fsync_dir (old_dir, error) || !replace_with_link (directory, SET_LINK, old_name, error))
        {
          remove_set_dir (old_dir);
          return FALSE;
        }
    }
  for (guint k = 0; k < G_N_ELEMENTS (set_files); k++)
    {
      g_autofree char *path = g_build_filename (directory, set_files[k], NULL);
      g_autofree char *target = g_build_filename (SET_LINK, set_files[k], NULL);
      g_autofree char *now = g_file_read_link (path, NULL);

      if (g_strcmp0 (now, target) != 0 && !replace_with_link (directory, set_files[k], target, error))
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
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *set_dir = NULL;
  g_autofree char *set_name = NULL;
  g_autofree char *link = NULL;
  g_autofree char *previous = NULL;
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
  remove_leftovers (directory);

  /* A folder in the way of a name would stop the run half-way: check
   * first. */
  for (guint k = 0; k < G_N_ELEMENTS (set_files); k++)
    {
      g_autofree char *path = g_build_filename (directory, set_files[k], NULL);
      GStatBuf st;

      if (g_lstat (path, &st) == 0 && S_ISDIR (st.st_mode))
        return io_error (error, EISDIR, path);
    }

  set_dir = g_build_filename (directory, SET_PREFIX "XXXXXX", NULL);
  if (g_mkdtemp_full (set_dir, 0755) == NULL)
    return io_error (error, errno, set_dir);

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
      ok = write_file (set_dir, sets[k].name, text, error);
    }
  if (ok)
    {
      g_string_truncate (text, 0);
      pw_items_append_training_text (items, t, text);
      ok = write_file (set_dir, PW_TRAINING_ITEMS_FILE, text, error);
    }
  if (ok)
    {
      g_string_truncate (text, 0);
      pw_items_append_catalog_text (items, t, text);
      ok = write_file (set_dir, PW_CATALOG_FILE, text, error);
    }
  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;
  ok = ok && fsync_dir (set_dir, error) && ensure_name_links (directory, error);

  /* The one switch. */
  link = g_build_filename (directory, SET_LINK, NULL);
  previous = g_file_read_link (link, NULL);
  set_name = g_path_get_basename (set_dir);
  ok = ok && replace_with_link (directory, SET_LINK, set_name, error) && fsync_dir (directory, error);
  if (!ok)
    {
      g_autofree char *now = g_file_read_link (link, NULL);

      /* unless the switch itself happened (only the fsync failed) */
      if (g_strcmp0 (now, set_name) != 0)
        remove_set_dir (set_dir);
      return FALSE;
    }
  if (previous != NULL && g_str_has_prefix (previous, SET_PREFIX) && strchr (previous, '/') == NULL)
    {
      g_autofree char *old_dir = g_build_filename (directory, previous, NULL);

      remove_set_dir (old_dir);
    }
  return TRUE;
}
