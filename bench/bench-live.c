/* bench-live.c: the workshop's real-time experiment (docs/workshop.md 4.4) on
 * any folder `prepare` wrote: the user most devoted to two genres clicks
 * the three most popular films, unseen by them, of a genre they never
 * watched; after each click it prints how many films of that genre the top
 * 10 holds, at exploration 0 and 0.3, with the session's genre list as the
 * holdout chose it and with it turned off. Then NDCG@10 with and without
 * the change: offline (no session, exploration 0) and with each validation
 * user's newest three training interactions replayed as a session.
 *
 *   _build/bench/bench-live DIR [--user ID] [--genre NAME] [--users N] [--clicks-only]
 *                               [--genre-weight W]
 *
 * --genre-weight W fixes the session's genre weight instead of the
 * holdout's choice: to see what a weight would do, not what the engine
 * does.
 *
 * bench/shuffle-genres.py writes a copy of a folder whose genres are
 * shuffled among items of similar popularity (genres not planted).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pw-engine.h"
#include "pw-cli-engine.h"

#define TOP 10

typedef struct
{
  PwDataset  *train;
  guint       n_items;
  guint       n_users;
  GPtrArray  *genre_names;   /* genre index -> name */
  GHashTable *genre_index;   /* name -> index + 1 */
  GPtrArray  *item_genres;   /* per item: GArray of guint genre indices */
  guint      *popularity;    /* distinct training users per item */
  GPtrArray  *user_items;    /* per user: GHashTable of item + 1 */
} Live;

static void
live_clear (Live *live)
{
  g_ptr_array_unref (live->genre_names);
  g_hash_table_unref (live->genre_index);
  g_ptr_array_unref (live->item_genres);
  g_ptr_array_unref (live->user_items);
  g_free (live->popularity);
}

static void
live_init (Live      *live,
           PwDataset *train)
{
  live->train = train;
  live->n_items = pw_dataset_get_n_items (train);
  live->n_users = pw_dataset_get_n_users (train);
  live->genre_names = g_ptr_array_new_with_free_func (g_free);
  live->genre_index = g_hash_table_new (g_str_hash, g_str_equal);
  live->item_genres = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  live->user_items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  live->popularity = g_new0 (guint, MAX (1, live->n_items));

  for (guint i = 0; i < live->n_items; i++)
    {
      const char *g = pw_dataset_get_item_genres (train, i);
      GArray *list = g_array_new (FALSE, FALSE, sizeof (guint));

      if (g != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (g, "|", -1);
          for (guint p = 0; parts[p] != NULL; p++)
            {
              guint gi;

              g_strstrip (parts[p]);
              if (parts[p][0] == '\0')
                continue;
              gi = GPOINTER_TO_UINT (g_hash_table_lookup (live->genre_index, parts[p]));
              if (gi == 0)
                {
                  g_ptr_array_add (live->genre_names, g_strdup (parts[p]));
                  gi = live->genre_names->len;
                  g_hash_table_insert (live->genre_index, g_ptr_array_index (live->genre_names, gi - 1),
                                       GUINT_TO_POINTER (gi));
                }
              gi--;
              g_array_append_val (list, gi);
            }
        }
      g_ptr_array_add (live->item_genres, list);
    }
  for (guint u = 0; u < live->n_users; u++)
    g_ptr_array_add (live->user_items, g_hash_table_new (NULL, NULL));
  for (guint r = 0; r < train->interactions->len; r++)
    {
      const PwInteraction *in = &g_array_index (train->interactions, PwInteraction, r);
      if (g_hash_table_add (g_ptr_array_index (live->user_items, in->user), GUINT_TO_POINTER (in->item + 1)))
        live->popularity[in->item]++;
    }
}

static gboolean
item_has_genre (Live  *live,
                guint  item,
                guint  genre)
{
  GArray *list = g_ptr_array_index (live->item_genres, item);

  for (guint k = 0; k < list->len; k++)
    if (g_array_index (list, guint, k) == genre)
      return TRUE;
  return FALSE;
}

/* per genre: how many of the user's items have it */
static guint *
user_genre_counts (Live  *live,
                   guint  user)
{
  guint *counts = g_new0 (guint, MAX (1, live->genre_names->len));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, g_ptr_array_index (live->user_items, user));
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      GArray *list = g_ptr_array_index (live->item_genres, GPOINTER_TO_UINT (key) - 1);
      for (guint k = 0; k < list->len; k++)
        counts[g_array_index (list, guint, k)]++;
    }
  return counts;
}

/* the share of the user's items that have one of their two commonest genres */
static double
devotion (Live  *live,
          guint  user,
          guint *first,
          guint *second)
{
  g_autofree guint *counts = user_genre_counts (live, user);
  GHashTable *items = g_ptr_array_index (live->user_items, user);
  GHashTableIter iter;
  gpointer key;
  guint a = 0, b = 0, n = 0;

  for (guint g = 0; g < live->genre_names->len; g++)
    if (counts[g] > counts[a])
      a = g;
  b = a == 0 ? 1 : 0;
  for (guint g = 0; g < live->genre_names->len; g++)
    if (g != a && counts[g] > counts[b])
      b = g;
  g_hash_table_iter_init (&iter, items);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint item = GPOINTER_TO_UINT (key) - 1;
      n += item_has_genre (live, item, a) || item_has_genre (live, item, b);
    }
  *first = a;
  *second = b;
  return g_hash_table_size (items) > 0 ? (double) n / g_hash_table_size (items) : 0;
}

static int
compare_guint (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return (x > y) - (x < y);
}

/* the user most devoted to two genres, among those with at least the
 * median number of items (so that a user with a handful of films does not
 * win by chance) */
static gint
choose_user (Live *live)
{
  g_autofree guint *sizes = g_new (guint, MAX (1, live->n_users));
  guint median;
  double best = -1;
  gint best_u = -1;

  for (guint u = 0; u < live->n_users; u++)
    sizes[u] = g_hash_table_size (g_ptr_array_index (live->user_items, u));
  qsort (sizes, live->n_users, sizeof (guint), compare_guint);
  median = live->n_users > 0 ? sizes[live->n_users / 2] : 0;
  for (guint u = 0; u < live->n_users; u++)
    {
      guint a, b, n = g_hash_table_size (g_ptr_array_index (live->user_items, u));
      double d;

      if (n < MAX (median, 10))
        continue;
      d = devotion (live, u, &a, &b);
      if (d > best + 1e-12)
        {
          best = d;
          best_u = (gint) u;
        }
    }
  return best_u;
}

/* the @n most popular items of @genre the user has not seen, into @out */
static guint
popular_unseen (Live  *live,
                guint  user,
                guint  genre,
                guint  n,
                guint *out)
{
  GHashTable *seen = g_ptr_array_index (live->user_items, user);
  guint m = 0;

  for (guint k = 0; k < n; k++)
    {
      gint best = -1;

      for (guint i = 0; i < live->n_items; i++)
        {
          gboolean taken = FALSE;

          if (live->popularity[i] == 0 || !item_has_genre (live, i, genre)
              || g_hash_table_contains (seen, GUINT_TO_POINTER (i + 1)))
            continue;
          for (guint j = 0; j < m && !taken; j++)
            taken = out[j] == i;
          if (!taken && (best < 0 || live->popularity[i] > live->popularity[best]))
            best = (gint) i;
        }
      if (best < 0)
        break;
      out[m++] = (guint) best;
    }
  return m;
}

/* a genre the user never watched whose third most popular film is the most
 * popular (so that three clicks are on films people watch) */
static gint
choose_genre (Live  *live,
              guint  user)
{
  g_autofree guint *counts = user_genre_counts (live, user);
  gint best = -1;
  guint best_pop = 0;

  for (guint g = 0; g < live->genre_names->len; g++)
    {
      guint films[3];

      if (counts[g] > 0 || popular_unseen (live, user, g, 3, films) < 3)
        continue;
      if (best < 0 || live->popularity[films[2]] > best_pop)
        {
          best = (gint) g;
          best_pop = live->popularity[films[2]];
        }
    }
  return best;
}

static PwModel *
train_model (PwDataset *train,
             double     genre_weight)
{
  PwTrainOptions options;
  g_autoptr(GError) error = NULL;
  PwModel *model;

  pw_train_options_init (&options, PW_RECIPE_USER_PERSONALIZATION);
  options.session_genre_weight = genre_weight;
  model = pw_model_train (train, &options, NULL, &error);
  if (model == NULL)
    g_error ("training failed: %s", error->message);
  return model;
}

/* films of @genre in a top-10 list; @ids: the list's ids, joined */
static guint
count_genre (Live   *live,
             GArray *list,
             guint   genre,
             char  **ids)
{
  GString *s = g_string_new (NULL);
  guint n = 0;

  for (guint k = 0; k < list->len && k < TOP; k++)
    {
      const PwRecommendation *r = &g_array_index (list, PwRecommendation, k);
      gint item = pw_dataset_lookup_item (live->train, r->item_id);

      g_string_append_printf (s, "%s%s", k > 0 ? "," : "", r->item_id);
      n += item >= 0 && item_has_genre (live, (guint) item, genre);
    }
  *ids = g_string_free (s, FALSE);
  return n;
}

static void
run_clicks (Live        *live,
            PwModel     *model,
            const char  *label,
            const char  *user_id,
            const guint *clicks,
            guint        genre)
{
  static const double explorations[] = { 0.0, 0.3 };
  char *previous[G_N_ELEMENTS (explorations)] = { NULL };

  printf ("\n%s (the session's genre weight %.2f):\n", label, pw_model_get_session_genre_weight (model));
  printf ("| clicks | %-15s | changed | %-15s | changed |\n", "exploration 0", "exploration 0.3");
  printf ("|--------|-----------------|---------|-----------------|---------|\n");
  for (gint c = -1; c < 3; c++)
    {
      g_autoptr(GError) error = NULL;

      if (c >= 0 && !pw_model_put_event (model, user_id, pw_dataset_get_item_id (live->train, clicks[c]),
                                         2000000000 + c, &error))
        g_error ("PutEvents: %s", error->message);
      printf ("| %6d |", c + 1);
      for (guint e = 0; e < G_N_ELEMENTS (explorations); e++)
        {
          PwRecommendOptions o;
          g_autoptr(GArray) list = NULL;
          char *ids;
          guint n;

          pw_recommend_options_init (&o);
          o.num_results = TOP;
          o.exploration_weight = explorations[e];
          list = pw_model_recommend (model, user_id, &o, &error);
          if (list == NULL)
            g_error ("GetRecommendations: %s", error->message);
          n = count_genre (live, list, genre, &ids);
          {
            g_autofree char *cell = g_strdup_printf ("%u of %s", n, (const char *) g_ptr_array_index (live->genre_names, genre));
            printf (" %-15s | %-7s |", cell, previous[e] == NULL ? "-" : strcmp (previous[e], ids) != 0 ? "yes" : "NO");
          }
          g_free (previous[e]);
          previous[e] = ids;
        }
      printf ("\n");
    }
  for (guint e = 0; e < G_N_ELEMENTS (explorations); e++)
    g_free (previous[e]);
}

/* NDCG@10 of each validation user's list (exploration 0) after their newest
 * three training interactions are replayed as clicks */
static double
session_ndcg (PwModel   *model,
              PwDataset *train,
              PwDataset *validation,
              guint      max_users)
{
  guint n_users = pw_dataset_get_n_users (validation), used = 0;
  GPtrArray *targets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  GPtrArray *newest = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  double sum = 0;

  for (guint u = 0; u < n_users; u++)
    g_ptr_array_add (targets, g_hash_table_new (g_str_hash, g_str_equal));
  for (guint r = 0; r < validation->interactions->len; r++)
    {
      const PwInteraction *in = &g_array_index (validation->interactions, PwInteraction, r);
      g_hash_table_add (g_ptr_array_index (targets, in->user),
                        (gpointer) pw_dataset_get_item_id (validation, in->item));
    }
  for (guint u = 0; u < pw_dataset_get_n_users (train); u++)
    g_ptr_array_add (newest, g_array_new (FALSE, FALSE, sizeof (PwInteraction)));
  for (guint r = 0; r < train->interactions->len; r++)
    {
      const PwInteraction *in = &g_array_index (train->interactions, PwInteraction, r);
      g_array_append_val (g_ptr_array_index (newest, in->user), *in);
    }

  for (guint u = 0; u < n_users && used < max_users; u++)
    {
      const char *user_id = pw_dataset_get_user_id (validation, u);
      gint tu = pw_dataset_lookup_user (train, user_id);
      GHashTable *t = g_ptr_array_index (targets, u);
      g_autoptr(GArray) list = NULL;
      PwRecommendOptions o;
      gboolean rel[TOP];
      GArray *h;
      g_autofree PwInteraction *sorted = NULL;

      if (tu < 0)
        continue;
      h = g_ptr_array_index (newest, tu);
      if (h->len < 6 || g_hash_table_size (t) == 0)
        continue;
      sorted = g_memdup2 (h->data, sizeof (PwInteraction) * h->len);
      /* the newest three by time (stable for ties: file order) */
      for (guint i = 1; i < h->len; i++)
        for (guint j = i; j > 0 && sorted[j - 1].timestamp > sorted[j].timestamp; j--)
          {
            PwInteraction x = sorted[j];
            sorted[j] = sorted[j - 1];
            sorted[j - 1] = x;
          }
      for (guint k = h->len - 3; k < h->len; k++)
        pw_model_put_event (model, user_id, pw_dataset_get_item_id (train, sorted[k].item),
                            2000000000 + k, NULL);
      pw_recommend_options_init (&o);
      o.num_results = TOP;
      o.exploration_weight = 0;
      list = pw_model_recommend (model, user_id, &o, NULL);
      for (guint k = 0; k < TOP; k++)
        rel[k] = k < list->len && g_hash_table_contains (t, g_array_index (list, PwRecommendation, k).item_id);
      sum += pw_metric_ndcg_at_k (rel, MIN (list->len, TOP), g_hash_table_size (t), TOP);
      used++;
    }
  g_ptr_array_unref (newest);
  g_ptr_array_unref (targets);
  return used > 0 ? sum / used : 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *user_arg = NULL;
  g_autofree char *genre_arg = NULL;
  int max_users = 1000;
  gboolean clicks_only = FALSE;
  double forced_weight = 0;
  GOptionEntry entries[] = {
    { "genre-weight", 0, 0, G_OPTION_ARG_DOUBLE, &forced_weight,
      "A fixed weight of the session's genre list (0 < W <= 1) instead of the holdout's choice: a diagnosis, "
      "not what the engine does", "W" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user_arg, "This user instead of the most devoted one", "ID" },
    { "genre", 0, 0, G_OPTION_ARG_STRING, &genre_arg, "Click this genre's films", "NAME" },
    { "users", 0, 0, G_OPTION_ARG_INT, &max_users, "Validation users for the session NDCG (default 1000)", "N" },
    { "clicks-only", 0, 0, G_OPTION_ARG_NONE, &clicks_only, "Only the clicks, no NDCG", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("DIR");
  g_autoptr(GError) error = NULL;
  g_autoptr(PwDataset) train = NULL;
  g_autoptr(PwDataset) validation = NULL;
  g_autoptr(PwModel) with = NULL;
  g_autoptr(PwModel) without = NULL;
  Live live;
  gint user, genre;
  guint clicks[3], first, second;
  const char *user_id;
  double d;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      fprintf (stderr, "usage: %s DIR [--user ID] [--genre NAME] [--users N] [--genre-weight W]%s%s\n", argv[0],
               error != NULL ? ": " : "", error != NULL ? error->message : "");
      return 2;
    }
  train = pw_cli_engine_load_training (argv[1], &error);
  if (train != NULL)
    validation = pw_cli_engine_load_validation (argv[1], &error);
  if (validation == NULL)
    {
      fprintf (stderr, "%s: %s\n", argv[0], error->message);
      return 1;
    }
  live_init (&live, train);
  printf ("%s: %u training rows, %u users, %u items, %u genres\n", argv[1],
          pw_dataset_get_n_interactions (train), live.n_users, live.n_items, live.genre_names->len);

  user = user_arg != NULL ? pw_dataset_lookup_user (train, user_arg) : choose_user (&live);
  if (user < 0)
    {
      fprintf (stderr, "%s: no such user (or no user with enough history)\n", argv[0]);
      live_clear (&live);
      return 1;
    }
  user_id = pw_dataset_get_user_id (train, (guint) user);
  d = devotion (&live, (guint) user, &first, &second);
  genre = -1;
  if (genre_arg != NULL)
    genre = (gint) GPOINTER_TO_UINT (g_hash_table_lookup (live.genre_index, genre_arg)) - 1;
  else
    genre = choose_genre (&live, (guint) user);
  if (genre < 0 || popular_unseen (&live, (guint) user, (guint) genre, 3, clicks) < 3)
    {
      fprintf (stderr, "%s: no genre with three popular films the user has not seen\n", argv[0]);
      live_clear (&live);
      return 1;
    }
  printf ("User %s: %u films, %.0f%% %s or %s; clicks on the three most popular %s films: ",
          user_id, g_hash_table_size (g_ptr_array_index (live.user_items, user)), 100 * d,
          (char *) g_ptr_array_index (live.genre_names, first), (char *) g_ptr_array_index (live.genre_names, second),
          (char *) g_ptr_array_index (live.genre_names, genre));
  for (guint k = 0; k < 3; k++)
    printf ("%s%s (%u users)", k > 0 ? ", " : "", pw_dataset_get_item_id (train, clicks[k]), live.popularity[clicks[k]]);
  printf ("\n");

  if (forced_weight < 0 || forced_weight > 1)
    {
      fprintf (stderr, "%s: --genre-weight must be in [0, 1]\n", argv[0]);
      return 1;
    }
  with = train_model (train, forced_weight);
  without = train_model (train, -1);
  run_clicks (&live, with, "With the session's genre list", user_id, clicks, (guint) genre);
  run_clicks (&live, without, "Without it (co-occurrence only; exploration reads the session in both)",
              user_id, clicks, (guint) genre);

  if (clicks_only)
    {
      live_clear (&live);
      return 0;
    }
  {
    PwTrainOptions options;
    PwMetrics on, off;

    pw_train_options_init (&options, PW_RECIPE_USER_PERSONALIZATION);
    options.session_genre_weight = forced_weight;
    if (!pw_evaluate_solution (train, &options, &on, NULL, &error))
      g_error ("%s", error->message);
    options.session_genre_weight = -1;
    if (!pw_evaluate_solution (train, &options, &off, NULL, &error))
      g_error ("%s", error->message);
    printf ("\nOffline NDCG@10 (solution metrics, no session, exploration 0): %.4f with, %.4f without (%+.2f%%)\n",
            on.normalized_discounted_cumulative_gain_at_10, off.normalized_discounted_cumulative_gain_at_10,
            off.normalized_discounted_cumulative_gain_at_10 > 0
              ? 100 * (on.normalized_discounted_cumulative_gain_at_10 / off.normalized_discounted_cumulative_gain_at_10 - 1) : 0);
  }
  {
    g_autoptr(PwModel) a = train_model (train, forced_weight);
    g_autoptr(PwModel) b = train_model (train, -1);
    PwRecommendOptions o;
    PwMetrics ma, mb;
    double sa, sb;

    pw_recommend_options_init (&o);
    o.exploration_weight = 0;
    if (!pw_evaluate_validation (a, validation, &o, &ma, NULL, &error)
        || !pw_evaluate_validation (b, validation, &o, &mb, NULL, &error))
      g_error ("%s", error->message);
    printf ("Validation NDCG@10 (no session, exploration 0): %.4f with, %.4f without\n",
            ma.normalized_discounted_cumulative_gain_at_10, mb.normalized_discounted_cumulative_gain_at_10);
    sa = session_ndcg (a, train, validation, (guint) MAX (1, max_users));
    sb = session_ndcg (b, train, validation, (guint) MAX (1, max_users));
    printf ("Validation NDCG@10 with each user's newest 3 training items replayed as a session "
            "(%d users at most, exploration 0): %.4f with, %.4f without (%+.2f%%)\n",
            max_users, sa, sb, sb > 0 ? 100 * (sa / sb - 1) : 0);
  }
  live_clear (&live);
  return 0;
}
