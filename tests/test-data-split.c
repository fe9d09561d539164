/* test-data-split.c: NumPy's permutation and the workshop's split
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "pw-numpy-random.h"
#include "pw-split.h"

static void
test_permutation_vectors (void)
{
  /* RandomState(42).permutation(10) */
  static const guint32 p10[] = { 8, 1, 5, 0, 7, 2, 9, 4, 3, 6 };
  /* RandomState(42).permutation(np.arange(1, 21)) */
  static const guint32 p20[] = { 1, 18, 16, 2, 9, 6, 12, 4, 19, 17, 14, 3, 10, 20, 5, 13, 8, 11, 15, 7 };
  g_autofree guint32 *a = pw_numpy_permutation (42, 10);
  g_autofree guint32 *b = pw_numpy_permutation (42, 20);

  for (guint i = 0; i < 10; i++)
    g_assert_cmpuint (a[i], ==, p10[i]);
  for (guint i = 0; i < 20; i++)
    g_assert_cmpuint (b[i] + 1, ==, p20[i]);
}

static void
test_mt19937 (void)
{
  PwMt19937 mt;
  /* The reference outputs of mt19937ar.c: init_by_array({0x123, 0x234,
   * 0x345, 0x456}) then genrand_int32(). */
  static const guint32 key[] = { 0x123, 0x234, 0x345, 0x456 };
  static const guint32 expected[] = { 1067595299U, 955945823U, 477289528U, 4107218783U, 4228976476U };
  /* init_genrand(5489), the default seed of the reference code. */
  static const guint32 expected_5489[] = { 3499211612U, 581869302U, 3890346734U, 3586334585U };

  pw_mt19937_init_by_array (&mt, key, G_N_ELEMENTS (key));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (pw_mt19937_next32 (&mt), ==, expected[i]);
  pw_mt19937_seed (&mt, 5489);
  for (guint i = 0; i < G_N_ELEMENTS (expected_5489); i++)
    g_assert_cmpuint (pw_mt19937_next32 (&mt), ==, expected_5489[i]);
}

static void
test_permutation_is_permutation (void)
{
  gsize n = 3706;
  g_autofree guint32 *p = pw_numpy_permutation (42, n);
  g_autofree guint8 *seen = g_new0 (guint8, n);
  g_autofree guint32 *q = pw_numpy_permutation (43, n);
  guint same = 0;

  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpuint (p[i], <, n);
      g_assert_false (seen[p[i]]);
      seen[p[i]] = 1;
      same += p[i] == q[i];
    }
  /* Another seed gives another order. */
  g_assert_cmpuint (same, <, 20);
}

static void
test_rank_first (void)
{
  g_autoptr(PwInteractions) t = pw_interactions_new ();
  /* user a: timestamps 5, 3, 5, 1 -> ranks by time, ties in row order:
   * 1 (ts 1) -> 1/4, 3 -> 2/4, the first 5 -> 3/4, the second 5 -> 4/4. */
  guint32 rows[] = { 0, 1, 2, 3, 4, 5 };
  double pct[6];

  pw_interactions_append (t, "a", "x", 5, 1, NULL);
  pw_interactions_append (t, "b", "x", 7, 1, NULL);
  pw_interactions_append (t, "a", "y", 3, 1, NULL);
  pw_interactions_append (t, "a", "z", 5, 1, NULL);
  pw_interactions_append (t, "a", "w", 1, 1, NULL);
  pw_interactions_append (t, "b", "y", 7, 1, NULL);
  pw_split_rank_first_pct (t, rows, 6, pct);
  g_assert_cmpfloat (pct[0], ==, 0.75);
  g_assert_cmpfloat (pct[2], ==, 0.5);
  g_assert_cmpfloat (pct[3], ==, 1.0);
  g_assert_cmpfloat (pct[4], ==, 0.25);
  g_assert_cmpfloat (pct[1], ==, 0.5);
  g_assert_cmpfloat (pct[5], ==, 1.0);

  /* Ranking a subset: ties follow the order of the subset's rows. */
  {
    guint32 sub[] = { 3, 0 };
    double p2[2];

    pw_split_rank_first_pct (t, sub, 2, p2);
    g_assert_cmpfloat (p2[0], ==, 0.5);
    g_assert_cmpfloat (p2[1], ==, 1.0);
  }
}

/* A user with 10 warm rows gives exactly one validation row: 9/10 is not
 * greater than 1 - 0.1. */
static void
test_holdout_boundary (void)
{
  g_autoptr(PwInteractions) t = pw_interactions_new ();
  g_autoptr(PwSplit) s = NULL;
  g_autoptr(GError) error = NULL;
  PwSplitOptions opts = PW_SPLIT_OPTIONS_DEFAULT;

  opts.warm_fraction = 1.0;
  for (guint k = 0; k < 10; k++)
    {
      char item[8];

      g_snprintf (item, sizeof item, "%u", k);
      pw_interactions_append (t, "u", item, 100 - k, 1, NULL);
    }
  s = pw_split_new (t, &opts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->n_cold_items, ==, 0);
  g_assert_cmpuint (s->n_validation_rows, ==, 1);
  /* The latest row is the first one (timestamp 100). */
  g_assert_cmpuint (s->validation_rows[0], ==, 0);
  g_assert_cmpuint (s->n_training_rows, ==, 9);
}

static void
test_split_invariants (void)
{
  g_autoptr(PwInteractions) t = pw_interactions_new ();
  g_autoptr(PwSplit) s = NULL;
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (7);
  g_autofree guint *warm_per_user = NULL, *val_per_user = NULL;
  guint n_items = 301;

  for (guint u = 0; u < 200; u++)
    {
      guint n = 20 + g_rand_int_range (rand, 0, 80);

      for (guint k = 0; k < n; k++)
        pw_interactions_append_numeric (t, u + 1, g_rand_int_range (rand, 1, n_items + 1),
                                        978300000 + g_rand_int_range (rand, 0, 50), /* many ties */
                                        g_rand_int_range (rand, 1, 6), "RATING");
    }
  g_rand_free (rand);

  s = pw_split_new (t, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->n_cold_items, ==, t->n_items / 2);
  g_assert_cmpuint (s->n_cold_items + s->n_warm_items, ==, t->n_items);
  g_assert_cmpuint (s->n_cold_rows + s->n_warm_rows, ==, t->n_rows);
  g_assert_cmpuint (s->n_training_rows + s->n_validation_rows, ==, s->n_warm_rows);

  /* The cold items are the first half of the permutation. */
  {
    g_autofree guint32 *perm = pw_numpy_permutation (42, t->n_items);

    for (guint k = 0; k < t->n_items; k++)
      g_assert_cmpuint (s->item_is_warm[perm[k]], ==, k >= t->n_items / 2);
  }

  warm_per_user = g_new0 (guint, t->n_users);
  val_per_user = g_new0 (guint, t->n_users);
  for (guint r = 0; r < t->n_rows; r++)
    {
      gboolean warm = s->item_is_warm[t->items[r]];

      g_assert_cmpuint (s->row_set[r] != PW_SPLIT_COLD, ==, warm);
      if (warm)
        warm_per_user[t->users[r]]++;
      if (s->row_set[r] == PW_SPLIT_VALIDATION)
        val_per_user[t->users[r]]++;
    }
  for (guint u = 0; u < t->n_users; u++)
    {
      /* #{k in 1..n : k/n > 0.9} */
      guint expected = 0;

      for (guint k = 1; k <= warm_per_user[u]; k++)
        expected += (double) k / warm_per_user[u] > 1.0 - 0.1;
      g_assert_cmpuint (val_per_user[u], ==, expected);
    }
  /* Every validation row is no earlier than the same user's training rows. */
  for (guint k = 0; k < s->n_validation_rows; k++)
    {
      guint v = s->validation_rows[k];

      for (guint j = 0; j < s->n_training_rows; j++)
        {
          guint r = s->training_rows[j];

          if (t->users[r] == t->users[v])
            g_assert_cmpint (t->timestamps[r], <=, t->timestamps[v]);
        }
    }
  /* Rows keep file order. */
  for (guint k = 1; k < s->n_training_rows; k++)
    g_assert_cmpuint (s->training_rows[k - 1], <, s->training_rows[k]);
}

static void
test_options (void)
{
  g_autoptr(PwInteractions) t = pw_interactions_new ();
  g_autoptr(GError) error = NULL;
  PwSplitOptions opts = PW_SPLIT_OPTIONS_DEFAULT;

  pw_interactions_append (t, "u", "i", 1, 1, NULL);
  opts.holdout_fraction = 1.5;
  g_assert_null (pw_split_new (t, &opts, &error));
  g_assert_error (error, PW_DATA_ERROR, PW_DATA_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  opts.holdout_fraction = 0.1;
  opts.warm_fraction = NAN;
  g_assert_null (pw_split_new (t, &opts, &error));
  g_assert_error (error, PW_DATA_ERROR, PW_DATA_ERROR_INVALID_ARGUMENT);
}

static void
test_write_set (void)
{
  g_autoptr(PwInteractions) t = pw_interactions_new ();
  g_autoptr(PwItems) items = pw_items_new ();
  g_autoptr(PwSplit) s = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pw-split-XXXXXX", &error);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  const char *names[] = { PW_TRAINING_INTERACTIONS_FILE, PW_VALIDATION_INTERACTIONS_FILE,
                          PW_COLDSTART_INTERACTIONS_FILE, PW_WARM_INTERACTIONS_FILE,
                          PW_TRAINING_ITEMS_FILE, PW_CATALOG_FILE };
  guint total_lines = 0;

  for (guint u = 1; u <= 5; u++)
    for (guint i = 1; i <= 12; i++)
      pw_interactions_append_numeric (t, u, (u * 7 + i) % 12 + 1, 1000 + i, i % 5 + 1, "RATING");
  pw_items_add (items, "1", "One, \"the\" film (1999)", "Drama|Thriller");
  s = pw_split_new (t, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pw_split_write (s, items, out, NULL, &error));
  g_assert_no_error (error);
  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_autofree char *path = g_build_filename (out, names[k], NULL);
      g_autofree char *contents = NULL;
      guint lines = 0;

      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      for (char *c = contents; *c; c++)
        lines += *c == '\n';
      if (k < 2)
        total_lines += lines - 1;
      if (k == 3)
        g_assert_cmpuint (lines - 1, ==, total_lines);
      if (k == 4)
        {
          g_assert_cmpuint (lines, ==, 13);
          g_assert_true (g_str_has_prefix (contents, "ITEM_ID,GENRE\n"));
        }
      if (k == 5)
        g_assert_nonnull (strstr (contents, "1,\"One, \"\"the\"\" film (1999)\",Drama|Thriller\n"));
      g_assert_cmpint (g_remove (path), ==, 0);
    }

  /* When one file cannot be put in place, none is: the earlier ones keep
   * their old contents and no temporary file is left. */
  {
    g_autofree char *training = g_build_filename (out, PW_TRAINING_INTERACTIONS_FILE, NULL);
    g_autofree char *catalog = g_build_filename (out, PW_CATALOG_FILE, NULL);
    g_autofree char *contents = NULL;
    GDir *d;
    const char *name;
    guint n_names = 0, n_sets = 0;

    g_assert_true (g_file_set_contents (training, "old", -1, NULL));
    g_assert_cmpint (g_mkdir (catalog, 0700), ==, 0);
    g_assert_false (pw_split_write (s, items, out, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
    g_clear_error (&error);
    g_assert_true (g_file_get_contents (training, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "old");
    /* the two names, and the earlier run's set (.pw-split and the one
     * folder it points at: see pw_split_write()) */
    d = g_dir_open (out, 0, NULL);
    while ((name = g_dir_read_name (d)) != NULL)
      if (!g_str_has_prefix (name, ".pw-split"))
        n_names++;
      else
        n_sets += g_str_has_prefix (name, ".pw-split-");
    g_dir_close (d);
    g_assert_cmpuint (n_names, ==, 2);
    g_assert_cmpuint (n_sets, ==, 1);
    g_assert_cmpint (g_remove (training), ==, 0);
    g_assert_cmpint (g_rmdir (catalog), ==, 0);
  }

  /* the set folder and its link */
  {
    g_autoptr(GDir) d = g_dir_open (out, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (out, name, NULL);

        if (g_str_has_prefix (name, ".pw-split-"))
          {
            g_autoptr(GDir) set = g_dir_open (path, 0, NULL);
            const char *file;

            while ((file = g_dir_read_name (set)) != NULL)
              {
                g_autofree char *child = g_build_filename (path, file, NULL);
                g_assert_cmpint (g_remove (child), ==, 0);
              }
          }
        g_assert_cmpint (g_remove (path), ==, 0);
      }
  }

  /* A folder that cannot be written leaves nothing behind. */
  g_assert_cmpint (g_chmod (out, 0500), ==, 0);
  if (access (out, W_OK) != 0)
    {
      GDir *d;

      g_assert_false (pw_split_write (s, items, out, NULL, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
      d = g_dir_open (out, 0, NULL);
      g_assert_null (g_dir_read_name (d));
      g_dir_close (d);
    }
  g_chmod (out, 0700);
  g_assert_cmpint (g_rmdir (out), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/split/permutation-vectors", test_permutation_vectors);
  g_test_add_func ("/data/split/mt19937", test_mt19937);
  g_test_add_func ("/data/split/permutation-is-permutation", test_permutation_is_permutation);
  g_test_add_func ("/data/split/rank-first", test_rank_first);
  g_test_add_func ("/data/split/holdout-boundary", test_holdout_boundary);
  g_test_add_func ("/data/split/invariants", test_split_invariants);
  g_test_add_func ("/data/split/options", test_options);
  g_test_add_func ("/data/split/write-set", test_write_set);

  return g_test_run ();
}
