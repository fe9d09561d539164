/* bench-prepare.c: how long reading, splitting and writing an ML-1M-sized
 * ratings.dat takes, and the peak memory; with python3-pandas installed,
 * the same read and split in pandas for comparison. Not a test: run
 *   _build/tests/bench-prepare [--no-pandas] [--rounds N]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "pw-data.h"

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static const char pandas_script[] =
  "import sys, time\n"
  "import numpy as np, pandas as pd\n"
  "path, engine = sys.argv[1], sys.argv[2]\n"
  "t0 = time.perf_counter()\n"
  "if engine == 'python':\n"
  "    df = pd.read_csv(path, sep='::', engine='python', header=None,\n"
  "                     names=['USER_ID', 'ITEM_ID', 'EVENT_VALUE', 'TIMESTAMP'])\n"
  "else:\n"
  "    df = pd.read_csv(path, sep=':', header=None, usecols=[0, 2, 4, 6],\n"
  "                     names=['USER_ID', 'a', 'ITEM_ID', 'b', 'EVENT_VALUE', 'c', 'TIMESTAMP'])\n"
  "df['EVENT_TYPE'] = 'RATING'\n"
  "t1 = time.perf_counter()\n"
  "unique_items = df.ITEM_ID.unique()\n"
  "shuffled = np.random.RandomState(42).permutation(unique_items)\n"
  "warm_items = shuffled[len(shuffled) // 2:]\n"
  "warm = df[df.ITEM_ID.isin(warm_items)].copy()\n"
  "warm['rank'] = warm.groupby('USER_ID').TIMESTAMP.rank(pct=True, method='first')\n"
  "train = warm[warm['rank'] <= 0.9]\n"
  "valid = warm[warm['rank'] > 0.9]\n"
  "t2 = time.perf_counter()\n"
  "import resource\n"
  "print(f'{t1 - t0:.3f} {t2 - t1:.3f} {len(train)} {len(valid)} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}')\n";

int
main (int   argc,
      char *argv[])
{
  gboolean no_pandas = FALSE;
  int rounds = 3;
  GOptionEntry entries[] = {
    { "no-pandas", 0, 0, G_OPTION_ARG_NONE, &no_pandas, "Do not compare with pandas", NULL },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Repeat the read and split N times (3)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwInteractions) gen = NULL;
  g_autoptr(PwItems) gen_items = NULL;
  g_autofree char *dir = NULL, *sub = NULL, *ratings = NULL, *movies = NULL, *out = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  PwSyntheticOptions synthetic = PW_SYNTHETIC_OPTIONS_DEFAULT;
  double t0, t_gen, best_read = 1e9, best_split = 1e9, best_stats = 1e9, t_write;
  guint n_training = 0, n_validation = 0;
  struct rusage usage;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }

  t0 = now ();
  if (!pw_synthetic_generate (&synthetic, &gen, &gen_items, &error))
    g_error ("%s", error->message);
  t_gen = now () - t0;

  dir = g_dir_make_tmp ("pw-bench-XXXXXX", &error);
  g_assert_no_error (error);
  sub = g_build_filename (dir, "ml-1m", NULL);
  g_mkdir (sub, 0700);
  ratings = g_build_filename (sub, "ratings.dat", NULL);
  movies = g_build_filename (sub, "movies.dat", NULL);
  out = g_build_filename (dir, "out", NULL);
  for (guint r = 0; r < gen->n_rows; r++)
    g_string_append_printf (text, "%s::%s::%.0f::%" G_GINT64_FORMAT "\n",
                            pw_interactions_get_user_id (gen, gen->users[r]),
                            pw_interactions_get_item_id (gen, gen->items[r]),
                            gen->values[r], gen->timestamps[r]);
  g_assert_true (g_file_set_contents (ratings, text->str, text->len, NULL));
  g_string_truncate (text, 0);
  for (guint i = 0; i < gen_items->n_items; i++)
    g_string_append_printf (text, "%s::%s::%s\n", pw_items_get_id (gen_items, i),
                            pw_items_get_title (gen_items, i), pw_items_get_genres (gen_items, i));
  g_assert_true (g_file_set_contents (movies, text->str, text->len, NULL));
  g_clear_pointer (&gen, pw_interactions_unref);
  g_clear_pointer (&gen_items, pw_items_unref);

  printf ("Synthetic ML-1M-sized data: generated in %.3f s, written as %s\n", t_gen, ratings);

  for (int round = 0; round < MAX (rounds, 1); round++)
    {
      g_autoptr(PwInteractions) t = NULL;
      g_autoptr(PwItems) items = NULL;
      g_autoptr(PwSplit) split = NULL;
      g_autoptr(PwDataStats) stats = NULL;
      double a, b, c, d;

      a = now ();
      if (!pw_movielens_read_folder (PW_MOVIELENS_1M, dir, 0, NULL, &t, &items, NULL, &error))
        g_error ("%s", error->message);
      b = now ();
      split = pw_split_new (t, NULL, &error);
      g_assert_no_error (error);
      c = now ();
      stats = pw_data_stats_new (t, items, split);
      d = now ();
      best_read = MIN (best_read, b - a);
      best_split = MIN (best_split, c - b);
      best_stats = MIN (best_stats, d - c);
      n_training = split->n_training_rows;
      n_validation = split->n_validation_rows;
      if (round == 0)
        {
          double e = now ();

          if (!pw_split_write (split, items, out, NULL, &error))
            g_error ("%s", error->message);
          t_write = now () - e;
          printf ("Rows: %u, users %u, items %u; training %u, validation %u\n",
                  t->n_rows, t->n_users, t->n_items, n_training, n_validation);
        }
    }
  getrusage (RUSAGE_SELF, &usage);
  printf ("C (best of %d):  read %.3f s + split %.3f s = %.3f s; statistics %.3f s; writing the six files %.3f s\n",
          MAX (rounds, 1), best_read, best_split, best_read + best_split, best_stats, t_write);
  printf ("C peak memory (max RSS): %.0f MiB\n", usage.ru_maxrss / 1024.0);

  if (!no_pandas)
    {
      const char *engines[] = { "python", "c" };

      for (guint k = 0; k < G_N_ELEMENTS (engines); k++)
        {
          const char *args[] = { "/usr/bin/python3", "-c", pandas_script, ratings, engines[k], NULL };
          g_autofree char *std_out = NULL, *std_err = NULL;
          int status = 0;
          double read_s, split_s, rss;
          guint tr, va;

          if (!g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                             &std_out, &std_err, &status, NULL) ||
              !g_spawn_check_wait_status (status, NULL) ||
              sscanf (std_out, "%lf %lf %u %u %lf", &read_s, &split_s, &tr, &va, &rss) != 5)
            {
              printf ("pandas: not available (%s)\n", std_err ? g_strstrip (std_err) : "?");
              break;
            }
          printf ("pandas (read_csv engine=%s): read %.3f s + split %.3f s = %.3f s; peak memory %.0f MiB; %s\n",
                  engines[k], read_s, split_s, read_s + split_s, rss,
                  tr == n_training && va == n_validation ? "same counts" : "DIFFERENT counts");
        }
    }

  pw_remove_tree (dir);
  return 0;
}
