/* pw-prepare-load.c: reads back the files pw_prepare_run() wrote, so that a
 * restarted application has the prepared data (titles, genres, the split)
 * without preparing again
 *
 * The folder holds training_interaction.csv, validation_interaction.csv,
 * coldstart_interaction.csv and catalog.csv (pw_split_write()). Their rows
 * are read as one interactions table (training rows first, then
 * validation, then cold), the split is rebuilt from which file each row
 * came from, and the statistics are computed again. The split's options
 * (seed, fractions) are not in the files: they come back as zero.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-data"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pw-prepare.h"

static const char * const interaction_files[] = {
  PW_TRAINING_INTERACTIONS_FILE,
  PW_VALIDATION_INTERACTIONS_FILE,
  PW_COLDSTART_INTERACTIONS_FILE,
};

/* The file's bytes, checked against @checksums when it names the file. */
static char *
read_checked (const char  *directory,
              const char  *name,
              GHashTable  *checksums,
              gsize       *length,
              GError     **error)
{
  g_autofree char *path = g_build_filename (directory, name, NULL);
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  const char *expected;

  if (!g_file_get_contents (path, &data, length, &local_error))
    {
      g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_MISSING_FILE,
                   _("The prepared file %s cannot be read: %s"), display, local_error->message);
      return NULL;
    }
  expected = checksums != NULL ? g_hash_table_lookup (checksums, name) : NULL;
  if (expected != NULL)
    {
      g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, *length);

      if (g_ascii_strcasecmp (sha, expected) != 0)
        {
          g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_CHECKSUM,
                       _("The prepared file %s changed since it was prepared"), display);
          return NULL;
        }
    }
  return g_steal_pointer (&data);
}

/* The length of the first line, its newline included. */
static gsize
header_length (const char *data,
               gsize       length)
{
  const char *nl = memchr (data, '\n', length);

  return nl != NULL ? (gsize) (nl - data) + 1 : length;
}

static PwSplit *
rebuild_split (PwInteractions *interactions,
               const guint    *n_rows)
{
  PwSplit *split = g_new0 (PwSplit, 1);
  guint n = interactions->n_rows;
  g_autofree guint8 *seen_user_t = g_new0 (guint8, MAX (interactions->n_users, 1));
  g_autofree guint8 *seen_user_v = g_new0 (guint8, MAX (interactions->n_users, 1));
  g_autofree guint8 *seen_item_t = g_new0 (guint8, MAX (interactions->n_items, 1));
  g_autofree guint8 *seen_item_v = g_new0 (guint8, MAX (interactions->n_items, 1));
  g_autofree guint8 *item_cold = g_new0 (guint8, MAX (interactions->n_items, 1));
  guint k = 0;

  split->interactions = pw_interactions_ref (interactions);
  split->item_is_warm = g_new0 (guint8, MAX (interactions->n_items, 1));
  split->row_set = g_new (guint8, MAX (n, 1));
  split->cold_rows = g_new (guint32, MAX (n, 1));
  split->warm_rows = g_new (guint32, MAX (n, 1));
  split->training_rows = g_new (guint32, MAX (n, 1));
  split->validation_rows = g_new (guint32, MAX (n, 1));

  for (guint r = 0; r < n; r++)
    {
      guint u = interactions->users[r], i = interactions->items[r];

      if (r < n_rows[0])
        {
          split->row_set[r] = PW_SPLIT_TRAINING;
          split->training_rows[split->n_training_rows++] = r;
          split->warm_rows[split->n_warm_rows++] = r;
          split->item_is_warm[i] = 1;
          split->n_training_users += !seen_user_t[u];
          split->n_training_items += !seen_item_t[i];
          seen_user_t[u] = seen_item_t[i] = 1;
        }
      else if (r < n_rows[0] + n_rows[1])
        {
          split->row_set[r] = PW_SPLIT_VALIDATION;
          split->validation_rows[split->n_validation_rows++] = r;
          split->warm_rows[split->n_warm_rows++] = r;
          split->item_is_warm[i] = 1;
          split->n_validation_users += !seen_user_v[u];
          split->n_validation_items += !seen_item_v[i];
          seen_user_v[u] = seen_item_v[i] = 1;
        }
      else
        {
          split->row_set[r] = PW_SPLIT_COLD;
          split->cold_rows[split->n_cold_rows++] = r;
          item_cold[i] = 1;
        }
    }

  /* The item order: cold items first, then warm ones (the split's rule). */
  split->item_order = g_new (guint32, MAX (interactions->n_items, 1));
  for (guint i = 0; i < interactions->n_items; i++)
    if (!split->item_is_warm[i])
      split->item_order[k++] = i;
  split->n_cold_items = k;
  for (guint i = 0; i < interactions->n_items; i++)
    if (split->item_is_warm[i])
      split->item_order[k++] = i;
  split->n_warm_items = k - split->n_cold_items;
  return split;
}

/**
 * pw_prepare_load:
 * @directory: the folder pw_prepare_run() wrote
 * @source: the source the data came from (recorded by the caller)
 * @checksums: (nullable): file name → expected SHA-256 (hex); a file it
 *   names must match, others are read unchecked
 *
 * Reads the prepared data back (in the calling thread; it may take a
 * second for MovieLens 1M: call it from a worker). A missing or unreadable
 * file is %PW_DATA_ERROR_MISSING_FILE, a file that differs from its
 * checksum %PW_DATA_ERROR_CHECKSUM, both naming the file.
 */
PwPrepareResult *
pw_prepare_load (const char    *directory,
                 PwSource       source,
                 GHashTable    *checksums,
                 GCancellable  *cancellable,
                 GError       **error)
{
  PwPrepareResult *result;
  g_autoptr(GString) all = g_string_new (NULL);
  g_autoptr(PwInteractions) interactions = NULL;
  g_autoptr(PwItems) items = NULL;
  g_autofree char *catalog = NULL;
  g_autofree char *first_header = NULL;
  PwReadReport report = { 0 };
  guint n_rows[G_N_ELEMENTS (interaction_files)] = { 0 };
  gsize length;

  g_return_val_if_fail (directory != NULL, NULL);

  for (guint f = 0; f < G_N_ELEMENTS (interaction_files); f++)
    {
      g_autofree char *data = read_checked (directory, interaction_files[f], checksums, &length, error);
      g_autoptr(PwInteractions) part = NULL;
      gsize header;

      if (data == NULL)
        return NULL;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      /* Each file alone, to count its rows and check it; then all as one. */
      part = pw_interactions_parse_csv (data, length, interaction_files[f], PW_READ_NONE, NULL, error);
      if (part == NULL)
        return NULL;
      n_rows[f] = part->n_rows;
      header = header_length (data, length);
      if (f == 0)
        {
          first_header = g_strndup (data, header);
          g_string_append_len (all, data, length);
        }
      else
        {
          if (header != strlen (first_header) || strncmp (data, first_header, header) != 0)
            {
              g_autofree char *path = g_build_filename (directory, interaction_files[f], NULL);
              g_autofree char *display = g_filename_display_name (path);

              g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_HEADER,
                           _("The prepared file %s has another header than %s"), display,
                           PW_TRAINING_INTERACTIONS_FILE);
              return NULL;
            }
          if (all->len > 0 && all->str[all->len - 1] != '\n')
            g_string_append_c (all, '\n');
          g_string_append_len (all, data + header, length - header);
        }
    }
  interactions = pw_interactions_parse_csv (all->str, all->len, PW_TRAINING_INTERACTIONS_FILE, PW_READ_NONE,
                                            &report, error);
  if (interactions == NULL)
    return NULL;
  if (interactions->n_rows != n_rows[0] + n_rows[1] + n_rows[2] || interactions->n_rows == 0)
    {
      pw_read_report_clear (&report);
      g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_EMPTY,
                   _("The prepared files in %s hold no interactions"), directory);
      return NULL;
    }

  catalog = read_checked (directory, PW_CATALOG_FILE, checksums, &length, error);
  if (catalog == NULL)
    {
      pw_read_report_clear (&report);
      return NULL;
    }
  items = pw_items_parse_csv (catalog, length, PW_CATALOG_FILE, PW_READ_NONE, NULL, error);
  if (items == NULL)
    {
      pw_read_report_clear (&report);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      pw_read_report_clear (&report);
      return NULL;
    }

  result = pw_prepare_result_new ();
  result->source = source;
  result->report = report;
  result->interactions = g_steal_pointer (&interactions);
  result->items = g_steal_pointer (&items);
  result->split = rebuild_split (result->interactions, n_rows);
  result->stats = pw_data_stats_new (result->interactions, result->items, result->split);
  return result;
}
