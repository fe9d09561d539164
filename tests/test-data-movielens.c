/* test-data-movielens.c: the ml-1m, ml-100k and ml-latest-small readers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "pw-movielens.h"
#include "pw-split.h"

static void
assert_message (GError     *error,
                const char *fragment)
{
  g_assert_nonnull (error);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, fragment);
}

static void
test_ml1m (void)
{
  const char *ratings = "1::1193::5::978300760\r\n"
                        "1::661::3::978302109\r\n"
                        "\r\n"
                        "2::1193::4.5::978300761\r\n";
  /* Latin-1: "Café" and a title with "::"-free parentheses. */
  const char *movies = "1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n"
                       "661::James and the Giant Peach (1996)::Animation|Children's|Musical\n"
                       "3::Caf\xE9 au lait (1993)::Comedy\n";
  g_autoptr(GError) error = NULL;
  PwReadReport report = { 0 };
  g_autoptr(PwInteractions) t = pw_movielens_parse_ml1m_ratings (ratings, strlen (ratings), NULL, 0, &report, &error);
  g_autoptr(PwItems) m = NULL;
  guint idx;

  g_assert_no_error (error);
  g_assert_cmpuint (t->n_rows, ==, 3);
  g_assert_cmpuint (report.n_rows, ==, 3);
  g_assert_cmpuint (report.n_empty_lines, ==, 1);
  g_assert_cmpuint (t->n_users, ==, 2);
  g_assert_cmpuint (t->n_items, ==, 2);
  g_assert_cmpstr (pw_interactions_get_item_id (t, 0), ==, "1193");
  g_assert_cmpfloat (t->values[2], ==, 4.5f);
  g_assert_cmpint (t->timestamps[1], ==, 978302109);
  g_assert_cmpstr (pw_interactions_get_row_event_type (t, 0), ==, "RATING");
  pw_read_report_clear (&report);

  m = pw_movielens_parse_ml1m_movies (movies, strlen (movies), NULL, 0, &report, &error);
  g_assert_no_error (error);
  g_assert_true (report.latin1);
  g_assert_cmpuint (m->n_items, ==, 3);
  g_assert_true (pw_items_lookup (m, "3", &idx));
  g_assert_cmpstr (pw_items_get_title (m, idx), ==, "Café au lait (1993)");
  g_assert_cmpstr (pw_items_get_genres (m, 1), ==, "Animation|Children's|Musical");
  pw_read_report_clear (&report);
}

static void
test_ml1m_errors (void)
{
  struct { const char *text; const char *fragment; } cases[] = {
    { "1::2::3\n", "ratings.dat, line 1: expected 4 fields separated by “::”, found 3" },
    { "1::2::3::4\n1::2::3::4::5\n", "line 2: expected 4 fields separated by “::”, found 5" },
    { "x1::2::3::4\n", "line 1, column 1 (UserID): “x1” is not a numeric id" },
    { "1::-2::3::4\n", "column 2 (MovieID): “-2” is not a numeric id" },
    { "1::2::five::4\n", "column 3 (Rating): “five” is not a number" },
    { "1::2::3::2000-01-01\n", "column 4 (Timestamp): “2000-01-01” is not a whole number of seconds" },
    { "1::2::3::99999999999999999999999\n", "is not a whole number of seconds" },
    /* issue 13, item 2: times outside 1970 .. 9999 (pw-time.h) */
    { "1::2::3::-9223372036854775808\n",
      "line 1, column 4 (Timestamp): -9223372036854775808 is not a time between 1970 and the year 9999" },
    { "1::2::3::4\n1::2::3::-1\n", "line 2, column 4 (Timestamp): -1 is not a time" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PwInteractions) t =
        pw_movielens_parse_ml1m_ratings (cases[k].text, strlen (cases[k].text), NULL, 0, NULL, &error);

      g_assert_null (t);
      g_assert_error (error, PW_DATA_ERROR, PW_DATA_ERROR_PARSE);
      assert_message (error, cases[k].fragment);
    }

  {
    const char *text = "1::2::3::4\nbad\n3::4::5::6\n";
    g_autoptr(GError) error = NULL;
    PwReadReport report = { 0 };
    g_autoptr(PwInteractions) t =
      pw_movielens_parse_ml1m_ratings (text, strlen (text), NULL, PW_READ_SKIP_BAD_ROWS, &report, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (t->n_rows, ==, 2);
    g_assert_cmpuint (report.n_skipped, ==, 1);
    pw_read_report_clear (&report);
  }
  {
    const char *movies = "1::Title (1999)::Drama\n1::Again (2000)::Comedy\n";
    const char *movies2 = "1 Title (1999) Drama\n";
    g_autoptr(GError) error = NULL;

    g_assert_null (pw_movielens_parse_ml1m_movies (movies, strlen (movies), NULL, 0, NULL, &error));
    assert_message (error, "movies.dat, line 2, column 1 (MovieID): the item “1” already appeared on line 1");
    g_clear_error (&error);
    g_assert_null (pw_movielens_parse_ml1m_movies (movies2, strlen (movies2), NULL, 0, NULL, &error));
    assert_message (error, "movies.dat, line 1: expected MovieID::Title::Genres");
  }
}

static void
test_ml100k (void)
{
  const char *data = "196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t302\t1\t881250950\n";
  const char *item = "242|Kolya (1996)|24-Jan-1997||http://us.imdb.com/M/title-exact?Kolya%20(1996)|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n"
                     "302|L.A. Confidential (1997)|01-Jan-1997||http://x|0|0|0|0|0|0|1|0|0|0|1|0|0|1|0|0|1|0|0\n"
                     "1|Le Ch\xE2teau (1990)|01-Jan-1990||x|1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(PwInteractions) t = pw_movielens_parse_ml100k_data (data, strlen (data), NULL, 0, NULL, &error);
  g_autoptr(PwItems) m = NULL;
  const char *bad_flags = "1|T|d||u|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|2|0|0|0\n";
  const char *short_line = "1|T|d||u|0|0\n";
  const char *bad_data = "196 242 3 881250949\n";

  g_assert_no_error (error);
  g_assert_cmpuint (t->n_rows, ==, 3);
  g_assert_cmpuint (t->n_users, ==, 2);
  g_assert_cmpstr (pw_interactions_get_user_id (t, t->users[2]), ==, "196");

  m = pw_movielens_parse_ml100k_items (item, strlen (item), NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (m->n_items, ==, 3);
  g_assert_cmpstr (pw_items_get_genres (m, 0), ==, "Comedy");
  g_assert_cmpstr (pw_items_get_genres (m, 1), ==, "Crime|Film-Noir|Mystery|Thriller");
  g_assert_cmpstr (pw_items_get_title (m, 2), ==, "Le Château (1990)");
  g_assert_cmpstr (pw_items_get_genres (m, 2), ==, "unknown");

  g_clear_pointer (&m, pw_items_unref);
  g_assert_null (pw_movielens_parse_ml100k_items (bad_flags, strlen (bad_flags), NULL, 0, NULL, &error));
  assert_message (error, "u.item, line 1, column 21 (Sci-Fi): “2” is not a genre flag (0 or 1)");
  g_clear_error (&error);
  g_assert_null (pw_movielens_parse_ml100k_items (short_line, strlen (short_line), NULL, 0, NULL, &error));
  assert_message (error, "expected 24 fields separated by “|”, found 7");
  g_clear_error (&error);
  g_assert_null (pw_movielens_parse_ml100k_data (bad_data, strlen (bad_data), NULL, 0, NULL, &error));
  assert_message (error, "u.data, line 1: expected 4 fields separated by tabs, found 1");
}

static void
test_latest_small (void)
{
  const char *ratings = "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.0,964981247\n2,1,2.5,1445714835\n";
  const char *movies = "movieId,title,genres\r\n"
                       "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\r\n"
                       "3,\"American President, The (1995)\",Comedy|Drama|Romance\r\n"
                       "4,\"Tale of \"\"Two\"\" Cities\nA (1917)\",(no genres listed)\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(PwInteractions) t = pw_movielens_parse_latest_ratings (ratings, strlen (ratings), NULL, 0, NULL, &error);
  g_autoptr(PwItems) m = NULL;
  const char *dup_header = "userId,movieId,rating,timestamp,userId\n";
  const char *bad = "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,abc,4.0,964981247\n";

  g_assert_no_error (error);
  g_assert_cmpuint (t->n_rows, ==, 3);
  g_assert_cmpfloat (t->values[2], ==, 2.5f);

  m = pw_movielens_parse_latest_movies (movies, strlen (movies), NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (m->n_items, ==, 3);
  g_assert_cmpstr (pw_items_get_title (m, 1), ==, "American President, The (1995)");
  g_assert_cmpstr (pw_items_get_title (m, 2), ==, "Tale of \"Two\" Cities\nA (1917)");

  g_assert_null (pw_movielens_parse_latest_ratings (dup_header, strlen (dup_header), NULL, 0, NULL, &error));
  g_assert_error (error, PW_DATA_ERROR, PW_DATA_ERROR_HEADER);
  assert_message (error, "USERID twice");
  g_clear_error (&error);
  g_assert_null (pw_movielens_parse_latest_ratings (bad, strlen (bad), NULL, 0, NULL, &error));
  assert_message (error, "ratings.csv, line 3, column 2 (movieId): “abc” is not a numeric id");
  g_clear_error (&error);
  g_assert_null (pw_movielens_parse_latest_movies ("", 0, NULL, 0, NULL, &error));
  g_assert_error (error, PW_DATA_ERROR, PW_DATA_ERROR_HEADER);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* A small ml-1m-format folder (generated), read and split: the split's
 * invariants hold. */
static void
test_ml1m_folder_split (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pw-ml1m-XXXXXX", &error);
  g_autofree char *sub = g_build_filename (dir, "ml-1m", NULL);
  g_autoptr(GString) ratings = g_string_new (NULL);
  g_autoptr(GString) movies = g_string_new (NULL);
  g_autoptr(PwInteractions) t = NULL;
  g_autoptr(PwItems) m = NULL;
  g_autoptr(PwSplit) s = NULL;
  GRand *rand = g_rand_new_with_seed (1);
  g_autofree guint *warm = NULL, *val = NULL;
  guint n_rows = 0;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  for (guint i = 1; i <= 150; i++)
    g_string_append_printf (movies, "%u::Movie %u (19%02u)::%s\n", i, i, i % 100,
                            i % 3 ? "Drama" : "Comedy|Romance");
  for (guint u = 1; u <= 60; u++)
    {
      guint n = 20 + g_rand_int_range (rand, 0, 40);

      for (guint k = 0; k < n; k++)
        {
          g_string_append_printf (ratings, "%u::%d::%d::%d\n", u, g_rand_int_range (rand, 1, 151),
                                  g_rand_int_range (rand, 1, 6), 956703932 + g_rand_int_range (rand, 0, 100));
          n_rows++;
        }
    }
  g_rand_free (rand);
  write_file (sub, "ratings.dat", ratings->str);
  write_file (sub, "movies.dat", movies->str);

  g_assert_true (pw_movielens_read_folder (PW_MOVIELENS_1M, dir, 0, NULL, &t, &m, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (t->n_rows, ==, n_rows);
  g_assert_cmpuint (t->n_users, ==, 60);
  g_assert_cmpuint (m->n_items, ==, 150);

  s = pw_split_new (t, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->n_cold_rows + s->n_training_rows + s->n_validation_rows, ==, n_rows);
  g_assert_cmpuint (s->n_cold_items, ==, t->n_items / 2);
  warm = g_new0 (guint, t->n_users);
  val = g_new0 (guint, t->n_users);
  for (guint k = 0; k < s->n_warm_rows; k++)
    warm[t->users[s->warm_rows[k]]]++;
  for (guint k = 0; k < s->n_validation_rows; k++)
    {
      guint r = s->validation_rows[k];

      g_assert_true (s->item_is_warm[t->items[r]]);
      val[t->users[r]]++;
    }
  for (guint u = 0; u < t->n_users; u++)
    {
      /* About a tenth of each user's warm rows, at least one when any. */
      g_assert_cmpuint (val[u], <=, warm[u] / 10 + 1);
      g_assert_cmpuint (val[u] * 10 + 9, >=, warm[u]);
      if (warm[u] > 0)
        g_assert_cmpuint (val[u], >=, 1);
    }

  /* The same folder given directly works too; a wrong format is named. */
  g_clear_pointer (&t, pw_interactions_unref);
  g_clear_pointer (&m, pw_items_unref);
  g_assert_true (pw_movielens_read_folder (PW_MOVIELENS_1M, sub, 0, NULL, &t, &m, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (pw_movielens_read_folder (PW_MOVIELENS_100K, sub, 0, NULL, &t, &m, NULL, &error));
  g_assert_error (error, PW_DATA_ERROR, PW_DATA_ERROR_MISSING_FILE);
  assert_message (error, "has no u.data");

  {
    g_autofree char *a = g_build_filename (sub, "ratings.dat", NULL);
    g_autofree char *b = g_build_filename (sub, "movies.dat", NULL);

    g_remove (a);
    g_remove (b);
    g_rmdir (sub);
    g_rmdir (dir);
  }
}

static void
test_formats (void)
{
  PwMovieLensFormat f;
  g_autofree char *url = NULL;

  g_assert_true (pw_movielens_format_from_string ("ml-100k", &f));
  g_assert_cmpint (f, ==, PW_MOVIELENS_100K);
  g_assert_false (pw_movielens_format_from_string ("ml-20m", &f));
  url = pw_movielens_get_url (PW_MOVIELENS_1M);
  g_assert_cmpstr (url, ==, "https://files.grouplens.org/datasets/movielens/ml-1m.zip");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/movielens/ml-1m", test_ml1m);
  g_test_add_func ("/data/movielens/ml-1m-errors", test_ml1m_errors);
  g_test_add_func ("/data/movielens/ml-100k", test_ml100k);
  g_test_add_func ("/data/movielens/ml-latest-small", test_latest_small);
  g_test_add_func ("/data/movielens/ml-1m-folder-split", test_ml1m_folder_split);
  g_test_add_func ("/data/movielens/formats", test_formats);

  return g_test_run ();
}
