/* fuzz-common.h: shared by the fuzz targets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "pw-data.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The first byte picks the reader's mode (stop or skip bad rows) and which
 * of the target's parsers runs; the rest is the file. Every table that
 * comes back is checked for consistency. */
static inline PwReadFlags
fuzz_flags (const uint8_t **data,
            size_t         *size,
            guint          *which)
{
  guint8 first;

  if (*size == 0)
    {
      *which = 0;
      return PW_READ_NONE;
    }
  first = (*data)[0];
  (*data)++;
  (*size)--;
  *which = first >> 1;
  return (first & 1) ? PW_READ_SKIP_BAD_ROWS : PW_READ_NONE;
}

static inline void
fuzz_check_interactions (PwInteractions *t,
                         PwReadReport   *report)
{
  if (t == NULL)
    return;
  g_assert (report->n_rows == t->n_rows);
  for (guint r = 0; r < t->n_rows; r++)
    {
      g_assert (t->users[r] < t->n_users);
      g_assert (t->items[r] < t->n_items);
      g_assert (pw_interactions_get_row_event_type (t, r) != NULL);
    }
  for (guint u = 0; u < t->n_users; u++)
    {
      guint back;

      g_assert (pw_interactions_lookup_user (t, pw_interactions_get_user_id (t, u), &back) && back == u);
    }
  for (guint i = 0; i < t->n_items; i++)
    g_assert (g_utf8_validate (pw_interactions_get_item_id (t, i), -1, NULL));
  if (t->n_rows > 0 && t->n_rows < 5000)
    {
      PwSplit *split = pw_split_new (t, NULL, NULL);
      GString *out = g_string_new (NULL);
      PwInteractions *back;

      g_assert (split != NULL);
      g_assert (split->n_cold_rows + split->n_training_rows + split->n_validation_rows == t->n_rows);
      pw_split_free (split);
      /* What we write reads back the same. */
      pw_interactions_append_csv_text (t, NULL, 0, out);
      back = pw_interactions_parse_csv (out->str, out->len, "round-trip", 0, NULL, NULL);
      g_assert (back != NULL);
      g_assert (back->n_rows == t->n_rows && back->n_users == t->n_users && back->n_items == t->n_items);
      for (guint r = 0; r < t->n_rows; r++)
        g_assert (back->timestamps[r] == t->timestamps[r]);
      pw_interactions_unref (back);
      g_string_free (out, TRUE);
    }
}

static inline void
fuzz_check_items (PwItems *items)
{
  if (items == NULL)
    return;
  for (guint i = 0; i < items->n_items; i++)
    {
      g_assert (g_utf8_validate (pw_items_get_id (items, i), -1, NULL));
      g_assert (g_utf8_validate (pw_items_get_title (items, i), -1, NULL));
      g_assert (g_utf8_validate (pw_items_get_genres (items, i), -1, NULL));
    }
  if (items->n_items < 2000)
    {
      GString *out = g_string_new (NULL);
      PwItems *back;

      pw_items_append_catalog_text (items, NULL, out);
      back = pw_items_parse_csv (out->str, out->len, "round-trip", 0, NULL, NULL);
      g_assert (back != NULL && back->n_items == items->n_items);
      for (guint i = 0; i < items->n_items; i++)
        {
          g_assert (g_str_equal (pw_items_get_title (back, i), pw_items_get_title (items, i)));
          g_assert (g_str_equal (pw_items_get_genres (back, i), pw_items_get_genres (items, i)));
        }
      pw_items_unref (back);
      g_string_free (out, TRUE);
    }
}

typedef PwInteractions *(*FuzzInteractionsParser) (const char *data, gsize length, const char *name,
                                                   PwReadFlags flags, PwReadReport *report, GError **error);
typedef PwItems *(*FuzzItemsParser) (const char *data, gsize length, const char *name,
                                     PwReadFlags flags, PwReadReport *report, GError **error);

/* One input for a reader's pair of parsers: the first byte picks the mode
 * and the parser (fuzz_flags()), the table that comes back is checked. */
static inline int
fuzz_reader (const uint8_t          *data,
             size_t                  size,
             FuzzInteractionsParser  parse_interactions,
             FuzzItemsParser         parse_items)
{
  PwReadReport report = { 0 };
  GError *error = NULL;
  guint which;
  PwReadFlags flags = fuzz_flags (&data, &size, &which);

  if (which % 2 == 0)
    {
      PwInteractions *t = parse_interactions ((const char *) data, size, NULL, flags, &report, &error);

      g_assert ((t == NULL) != (error == NULL));
      fuzz_check_interactions (t, &report);
      if (t != NULL)
        pw_interactions_unref (t);
    }
  else
    {
      PwItems *items = parse_items ((const char *) data, size, NULL, flags, &report, &error);

      g_assert ((items == NULL) != (error == NULL));
      fuzz_check_items (items);
      if (items != NULL)
        pw_items_unref (items);
    }
  g_clear_error (&error);
  pw_read_report_clear (&report);
  return 0;
}
