/* test-data-synthetic.c: the synthetic catalogue and the statistics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "pw-data.h"

static void
generate (const PwSyntheticOptions *o,
          PwInteractions          **t,
          PwItems                 **items)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pw_synthetic_generate (o, t, items, &error));
  g_assert_no_error (error);
}

static char *
checksum (PwInteractions *t,
          PwItems        *items)
{
  g_autoptr(GString) text = g_string_new (NULL);

  pw_interactions_append_csv_text (t, NULL, 0, text);
  pw_items_append_catalog_text (items, NULL, text);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->str, text->len);
}

static void
test_determinism (void)
{
  PwSyntheticOptions o = { 7, 300, 400, 30000 };
  g_autoptr(PwInteractions) a = NULL, b = NULL, c = NULL;
  g_autoptr(PwItems) ia = NULL, ib = NULL, ic = NULL;
  g_autofree char *sa = NULL, *sb = NULL, *sc = NULL;

  generate (&o, &a, &ia);
  generate (&o, &b, &ib);
  o.seed = 8;
  generate (&o, &c, &ic);
  sa = checksum (a, ia);
  sb = checksum (b, ib);
  sc = checksum (c, ic);
  g_assert_cmpstr (sa, ==, sb);
  g_assert_cmpstr (sa, !=, sc);
}

static void
test_shape (void)
{
  g_autoptr(PwInteractions) t = NULL;
  g_autoptr(PwItems) items = NULL;
  g_autoptr(PwSplit) split = NULL;
  g_autoptr(PwDataStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *pairs = NULL;
  PwSyntheticOptions o = PW_SYNTHETIC_OPTIONS_DEFAULT;
  guint user, thriller_scifi = 0, total_fan = 0, docs_seen = 0;
  const char *docs[] = { PW_SYNTHETIC_DOCUMENTARY_1, PW_SYNTHETIC_DOCUMENTARY_2, PW_SYNTHETIC_DOCUMENTARY_3 };
  guint n_genres_seen = 0;

  generate (&o, &t, &items);
  g_assert_cmpuint (t->n_rows, ==, 1000209);
  g_assert_cmpuint (t->n_users, ==, 6040);
  g_assert_cmpuint (t->n_items, >=, 3600);
  g_assert_cmpuint (items->n_items, ==, 3706);

  /* Nobody rates a film twice; values are 1..5; the time span is ML-1M's. */
  pairs = g_new0 (guint8, (gsize) t->n_users * t->n_items / 8 + 1);
  for (guint r = 0; r < t->n_rows; r++)
    {
      gsize bit = (gsize) t->users[r] * t->n_items + t->items[r];

      g_assert_false (pairs[bit / 8] & (1u << (bit % 8)));
      pairs[bit / 8] |= 1u << (bit % 8);
      g_assert_true (t->values[r] >= 1 && t->values[r] <= 5 && t->values[r] == floorf (t->values[r]));
      g_assert_cmpint (t->timestamps[r], >=, 956703932);
      g_assert_cmpint (t->timestamps[r], <=, 1046454590);
    }

  /* Titles carry years; genres are MovieLens'. */
  for (guint i = 0; i < items->n_items; i++)
    {
      const char *title = pw_items_get_title (items, i);
      gsize len = strlen (title);

      g_assert_cmpuint (len, >, 7);
      g_assert_true (title[len - 1] == ')' && title[len - 6] == '(');
      g_assert_cmpstr (pw_items_get_genres (items, i), !=, "");
    }

  split = pw_split_new (t, NULL, &error);
  g_assert_no_error (error);
  stats = pw_data_stats_new (t, items, split);
  g_assert_cmpuint (stats->whole.min, >=, 20);
  g_assert_cmpfloat (fabs (stats->whole.median - 96), <, 10);
  g_assert_cmpuint (stats->whole.max, >, 1000);
  g_assert_nonnull (stats->items_per_genre);
  n_genres_seen = stats->items_per_genre->n;
  g_assert_cmpuint (n_genres_seen, ==, 18);
  g_assert_cmpstr (stats->items_per_genre->labels[0], ==, "Drama");
  /* Long-tailed popularity: the most rated film has many times the median. */
  {
    g_autofree guint *per_item = g_new0 (guint, t->n_items);
    g_autofree guint *sorted = NULL;
    PwActivity a;

    for (guint r = 0; r < t->n_rows; r++)
      per_item[t->items[r]]++;
    a = pw_activity_compute (per_item, t->n_items);
    g_assert_cmpfloat (a.max, >, 8 * a.median);
  }

  /* The workshop's user 1200 mostly watches Thriller and Sci-Fi. */
  g_assert_true (pw_interactions_lookup_user (t, PW_SYNTHETIC_THRILLER_FAN, &user));
  for (guint r = 0; r < t->n_rows; r++)
    if (t->users[r] == user)
      {
        guint idx;
        const char *g;

        g_assert_true (pw_items_lookup (items, pw_interactions_get_item_id (t, t->items[r]), &idx));
        g = pw_items_get_genres (items, idx);
        total_fan++;
        thriller_scifi += strstr (g, "Thriller") != NULL || strstr (g, "Sci-Fi") != NULL;
        docs_seen += strstr (g, "Documentary") != NULL;
      }
  g_assert_cmpuint (total_fan, >=, 20);
  g_assert_cmpuint (thriller_scifi * 10, >=, total_fan * 7);
  g_assert_cmpuint (docs_seen * 50, <=, total_fan);

  /* The three documentaries are warm under the default split. */
  for (guint k = 0; k < G_N_ELEMENTS (docs); k++)
    {
      guint item, idx;

      g_assert_true (pw_interactions_lookup_item (t, docs[k], &item));
      g_assert_true (split->item_is_warm[item]);
      g_assert_true (pw_items_lookup (items, docs[k], &idx));
      g_assert_cmpstr (pw_items_get_genres (items, idx), ==, "Documentary");
    }
}

static void
test_options_rejected (void)
{
  PwSyntheticOptions o = { 1, 10, 10, 100 };
  PwInteractions *t = NULL;
  PwItems *items = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (pw_synthetic_generate (&o, &t, &items, &error));
  g_assert_error (error, PW_DATA_ERROR, PW_DATA_ERROR_INVALID_ARGUMENT);
  g_assert_null (t);
}

static void
test_stats (void)
{
  g_autoptr(PwInteractions) t = pw_interactions_new ();
  g_autoptr(PwItems) items = pw_items_new ();
  g_autoptr(PwDataStats) stats = NULL;
  guint counts[] = { 3, 0, 1, 4 };
  PwActivity a = pw_activity_compute (counts, 4);
  g_autoptr(PwHistogram) h = NULL;
  guint values[] = { 1, 2, 2, 3, 10 };

  g_assert_cmpuint (a.n_users, ==, 3);
  g_assert_cmpuint (a.min, ==, 1);
  g_assert_cmpfloat (a.median, ==, 3);
  g_assert_cmpuint (a.max, ==, 4);
  a = pw_activity_compute (counts, 1);
  g_assert_cmpfloat (a.median, ==, 3);
  {
    guint even[] = { 1, 2, 3, 10 };

    a = pw_activity_compute (even, 4);
    g_assert_cmpfloat (a.median, ==, 2.5);
  }

  h = pw_histogram_new (values, 5, 3, TRUE);
  g_assert_cmpuint (h->n_bins, ==, 3);
  g_assert_cmpfloat (h->edges[0], ==, 1);
  g_assert_cmpfloat (h->edges[3], ==, 10);
  g_assert_cmpuint (h->counts[0], ==, 4);
  g_assert_cmpuint (h->counts[1], ==, 0);
  g_assert_cmpuint (h->counts[2], ==, 1);
  g_assert_cmpuint (h->max_count, ==, 4);

  pw_items_add (items, "a", "A (1990)", "Drama|Comedy");
  pw_items_add (items, "b", "B (1991)", "Drama");
  /* 2000-04-30 23:59:59 UTC, 2000-05-01 00:00:00, 2000-07-15 */
  pw_interactions_append (t, "u1", "a", 957139199, 4, "RATING");
  pw_interactions_append (t, "u1", "b", 957139200, 5, "RATING");
  pw_interactions_append (t, "u2", "b", 963619200, 4, "RATING");
  pw_interactions_append (t, "u2", "c", 963619201, 3.5f, "RATING");
  stats = pw_data_stats_new (t, items, NULL);
  g_assert_cmpuint (stats->items_per_genre->n, ==, 2);
  g_assert_cmpstr (stats->items_per_genre->labels[0], ==, "Drama");
  g_assert_cmpfloat (stats->items_per_genre->values[0], ==, 2);
  g_assert_cmpfloat (stats->interactions_per_genre->values[0], ==, 3);
  g_assert_cmpstr (stats->interactions_per_genre->labels[1], ==, "Comedy");
  g_assert_cmpfloat (stats->interactions_per_genre->values[1], ==, 1);
  g_assert_cmpuint (stats->event_values->n, ==, 3);
  g_assert_cmpstr (stats->event_values->labels[0], ==, "3.5");
  g_assert_cmpfloat (stats->event_values->values[1], ==, 2);
  g_assert_cmpuint (stats->per_month->n, ==, 4);
  g_assert_cmpstr (stats->per_month->labels[0], ==, "2000-04");
  g_assert_cmpstr (stats->per_month->labels[3], ==, "2000-07");
  g_assert_cmpfloat (stats->per_month->values[0], ==, 1);
  g_assert_cmpfloat (stats->per_month->values[1], ==, 1);
  g_assert_cmpfloat (stats->per_month->values[2], ==, 0);
  g_assert_cmpfloat (stats->per_month->values[3], ==, 2);
  g_assert_null (stats->histogram_training);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/synthetic/determinism", test_determinism);
  g_test_add_func ("/data/synthetic/shape", test_shape);
  g_test_add_func ("/data/synthetic/options-rejected", test_options_rejected);
  g_test_add_func ("/data/stats/basics", test_stats);

  return g_test_run ();
}
