/* pw-engine-synthetic.c: clustered synthetic interaction data for tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-engine"

#include <math.h>
#include <string.h>

#include "pw-engine-synthetic.h"

static const char * const genres[] = {
  "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
  "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War",
  "Western",
};

void
pw_engine_synthetic_options_init (PwEngineSyntheticOptions *options)
{
  options->n_users = 600;
  options->n_items = 400;
  options->n_interactions = 30000;
  options->n_clusters = 36;
  options->cold_fraction = 0.1;
  options->min_per_user = 10;
  options->seed = 1;
}

const char *
pw_engine_synthetic_genre_name (guint genre)
{
  return genres[genre % G_N_ELEMENTS (genres)];
}

guint
pw_engine_synthetic_cluster_genre (guint cluster)
{
  return cluster % G_N_ELEMENTS (genres);
}

/* sample an index from cumulative weights */
static guint
sample_cumulative (const double *cum,
                   guint         n,
                   GRand        *rand)
{
  double x = g_rand_double (rand) * cum[n - 1];
  guint lo = 0, hi = n - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (cum[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/**
 * pw_engine_synthetic_dataset_new:
 * @item_clusters: (out) (optional) (transfer full): each item's cluster
 */
PwDataset *
pw_engine_synthetic_dataset_new (const PwEngineSyntheticOptions *o,
                          guint                   **item_clusters)
{
  PwDataset *ds = pw_dataset_new ();
  GRand *rand = g_rand_new_with_seed (o->seed);
  guint n_clusters = MAX (1, o->n_clusters);
  guint *cluster_of = g_new (guint, o->n_items);
  double *weight = g_new (double, o->n_items);
  gboolean *cold = g_new0 (gboolean, o->n_items);
  GPtrArray *members = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  GPtrArray *member_cum = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  double *global_cum = g_new (double, o->n_items);
  double *activity = g_new (double, o->n_users);
  double activity_sum = 0;
  guint8 *seen = g_new0 (guint8, o->n_items);
  guint *seen_list = g_new (guint, o->n_items);
  gint64 t_base = 956703932;  /* April 2000, like MovieLens 1M */

  for (guint c = 0; c < n_clusters; c++)
    {
      g_ptr_array_add (members, g_array_new (FALSE, FALSE, sizeof (guint)));
      g_ptr_array_add (member_cum, g_array_new (FALSE, FALSE, sizeof (double)));
    }

  for (guint i = 0; i < o->n_items; i++)
    {
      char id[16];
      guint c = (guint) g_rand_int_range (rand, 0, (gint32) n_clusters);
      guint g = pw_engine_synthetic_cluster_genre (c);
      g_autofree char *genre = NULL;

      g_snprintf (id, sizeof id, "%u", i + 1);
      pw_dataset_add_item (ds, id);
      cluster_of[i] = c;
      if (g_rand_double (rand) < 0.3)
        {
          guint g2 = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (genres));
          genre = g2 != g ? g_strdup_printf ("%s|%s", genres[g], genres[g2]) : g_strdup (genres[g]);
        }
      else
        genre = g_strdup (genres[g]);
      pw_dataset_set_item_metadata (ds, i, genre, -1);
      cold[i] = g_rand_double (rand) < o->cold_fraction;
      /* Zipf-like popularity */
      weight[i] = 1.0 / pow (1.0 + g_rand_double (rand) * 50.0, 1.2);
      if (!cold[i])
        {
          double prev;
          GArray *m = g_ptr_array_index (members, c);
          GArray *cum = g_ptr_array_index (member_cum, c);
          prev = cum->len > 0 ? g_array_index (cum, double, cum->len - 1) : 0;
          prev += weight[i];
          g_array_append_val (m, i);
          g_array_append_val (cum, prev);
        }
      global_cum[i] = (i > 0 ? global_cum[i - 1] : 0) + (cold[i] ? 0 : weight[i]);
    }

  for (guint u = 0; u < o->n_users; u++)
    {
      activity[u] = exp (g_rand_double (rand) * 3.0);
      activity_sum += activity[u];
    }

  for (guint u = 0; u < o->n_users; u++)
    {
      char id[16];
      guint user, n_tastes = 1 + (guint) g_rand_int_range (rand, 0, 3);
      guint tastes[3];
      guint n = MAX (o->min_per_user, (guint) (activity[u] / activity_sum * o->n_interactions));
      gint64 t = t_base + g_rand_int_range (rand, 0, 86400 * 300);
      guint n_seen = 0;

      g_snprintf (id, sizeof id, "%u", u + 1);
      user = pw_dataset_add_user (ds, id);
      for (guint k = 0; k < n_tastes; k++)
        tastes[k] = (guint) g_rand_int_range (rand, 0, (gint32) n_clusters);
      n = MIN (n, o->n_items / 2);

      for (guint p = 0; p < n; p++)
        {
          guint item = G_MAXUINT;
          double progress = (double) p / MAX (1, n);

          for (guint attempt = 0; attempt < 20 && item == G_MAXUINT; attempt++)
            {
              guint cand;
              if (g_rand_double (rand) < 0.1)
                cand = sample_cumulative (global_cum, o->n_items, rand);
              else
                {
                  /* drift: later interactions favour later tastes */
                  double w[3], sum = 0, x;
                  guint k;
                  GArray *m, *cum;

                  for (k = 0; k < n_tastes; k++)
                    {
                      w[k] = exp (2.5 * progress * k - 1.0 * k);
                      sum += w[k];
                    }
                  x = g_rand_double (rand) * sum;
                  for (k = 0; k + 1 < n_tastes && x > w[k]; k++)
                    x -= w[k];
                  m = g_ptr_array_index (members, tastes[k]);
                  cum = g_ptr_array_index (member_cum, tastes[k]);
                  if (m->len == 0)
                    continue;
                  cand = g_array_index (m, guint, sample_cumulative ((double *) cum->data, cum->len, rand));
                }
              if (!seen[cand] && !cold[cand])
                item = cand;
            }
          if (item == G_MAXUINT)
            continue;
          seen[item] = 1;
          seen_list[n_seen++] = item;
          t += 1 + g_rand_int_range (rand, 0, 3600);
          pw_dataset_add_interaction (ds, user, item, t, (float) (1 + g_rand_int_range (rand, 0, 5)));
        }
      for (guint k = 0; k < n_seen; k++)
        seen[seen_list[k]] = 0;
    }

  if (item_clusters != NULL)
    *item_clusters = g_steal_pointer (&cluster_of);
  g_free (cluster_of);
  g_free (seen);
  g_free (seen_list);
  g_free (activity);
  g_free (global_cum);
  g_free (weight);
  g_free (cold);
  g_ptr_array_unref (members);
  g_ptr_array_unref (member_cum);
  g_rand_free (rand);
  return ds;
}
