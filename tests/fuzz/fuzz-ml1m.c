/* fuzz-ml1m.c: libFuzzer target for the ml1m reader (pw_movielens_parse_ml1m_ratings, pw_movielens_parse_ml1m_movies)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  PwReadReport report = { 0 };
  GError *error = NULL;
  guint which;
  PwReadFlags flags = fuzz_flags (&data, &size, &which);

  if (which % 2 == 0)
    {
      PwInteractions *t = pw_movielens_parse_ml1m_ratings ((const char *) data, size, NULL, flags, &report, &error);

      g_assert ((t == NULL) != (error == NULL));
      fuzz_check_interactions (t, &report);
      if (t != NULL)
        pw_interactions_unref (t);
    }
  else
    {
      PwItems *items = pw_movielens_parse_ml1m_movies ((const char *) data, size, NULL, flags, &report, &error);

      g_assert ((items == NULL) != (error == NULL));
      fuzz_check_items (items);
      if (items != NULL)
        pw_items_unref (items);
    }
  g_clear_error (&error);
  pw_read_report_clear (&report);
  return 0;
}
