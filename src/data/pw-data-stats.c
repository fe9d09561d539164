/* pw-data-stats.c: statistics for the charts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-data"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pw-data-stats.h"
#include "pw-text-private.h"

static int
uint_compare (const void *a,
              const void *b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

PwActivity
pw_activity_compute (const guint *counts,
                     guint        n)
{
  PwActivity a = { 0 };
  g_autofree guint *v = g_new (guint, MAX (n, 1));
  guint m = 0;
  double sum = 0;

  for (guint k = 0; k < n; k++)
    if (counts[k] > 0)
      {
        v[m++] = counts[k];
        sum += counts[k];
      }
  if (m == 0)
    return a;
  qsort (v, m, sizeof (guint), uint_compare);
  a.n_users = m;
  a.min = v[0];
  a.max = v[m - 1];
  a.median = m % 2 ? v[m / 2] : ((double) v[m / 2 - 1] + v[m / 2]) / 2.0;
  a.mean = sum / m;
  return a;
}

PwHistogram *
pw_histogram_new (const guint *values,
                  guint        n,
                  guint        n_bins,
                  gboolean     skip_zeros)
{
  PwHistogram *h = g_new0 (PwHistogram, 1);
  guint lo = G_MAXUINT, hi = 0;
  gboolean any = FALSE;
  double width;

  for (guint k = 0; k < n; k++)
    {
      if (skip_zeros && values[k] == 0)
        continue;
      lo = MIN (lo, values[k]);
      hi = MAX (hi, values[k]);
      any = TRUE;
    }
  if (!any)
    {
      lo = 0;
      hi = 1;
    }
  if (n_bins == 0)
    n_bins = 1;
  /* Integer data: no point in bins narrower than one. */
  if (hi - lo + 1 < n_bins)
    n_bins = MAX (hi - lo + 1, 1);
  h->n_bins = n_bins;
  h->edges = g_new (double, n_bins + 1);
  h->counts = g_new0 (guint64, n_bins);
  width = hi > lo ? (double) (hi - lo) / n_bins : 1.0;
  for (guint b = 0; b <= n_bins; b++)
    h->edges[b] = lo + b * width;
  h->edges[n_bins] = hi > lo ? hi : lo + 1.0;
  for (guint k = 0; k < n; k++)
    {
      guint b;

      if (skip_zeros && values[k] == 0)
        continue;
      b = (guint) floor ((values[k] - lo) / width);
      if (b >= n_bins)
        b = n_bins - 1;
      h->counts[b]++;
    }
  for (guint b = 0; b < n_bins; b++)
    h->max_count = MAX (h->max_count, h->counts[b]);
  return h;
}

void
pw_histogram_free (PwHistogram *histogram)
{
  if (histogram == NULL)
    return;
  g_free (histogram->edges);
  g_free (histogram->counts);
  g_free (histogram);
}

void
pw_bar_series_free (PwBarSeries *series)
{
  if (series == NULL)
    return;
  g_strfreev (series->labels);
  g_free (series->values);
  g_free (series);
}

static PwBarSeries *
bar_series_new (guint n)
{
  PwBarSeries *s = g_new0 (PwBarSeries, 1);

  s->n = n;
  s->labels = g_new0 (char *, n + 1);
  s->values = g_new0 (double, MAX (n, 1));
  return s;
}

static void
bar_series_finish (PwBarSeries *s)
{
  s->max_value = 0;
  for (guint k = 0; k < s->n; k++)
    s->max_value = MAX (s->max_value, s->values[k]);
}

/* Genres ----------------------------------------------------------------- */

typedef struct
{
  const char *name;
  double      items;
  double      rows;
} GenreCount;

static int
genre_compare (const void *a,
               const void *b)
{
  const GenreCount *x = a, *y = b;

  if (x->rows != y->rows)
    return x->rows > y->rows ? -1 : 1;
  return strcmp (x->name, y->name);
}

static void
compute_genres (PwDataStats    *stats,
                PwInteractions *t,
                PwItems        *items)
{
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) genres = g_array_new (FALSE, TRUE, sizeof (GenreCount));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  /* Item -> its genre indices: offsets into a flat list. */
  g_autofree guint32 *first = g_new0 (guint32, (gsize) t->n_items + 1);
  g_autoptr(GArray) flat = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint i = 0; i < t->n_items; i++)
    {
      guint idx;

      first[i] = flat->len;
      if (items != NULL && pw_items_lookup (items, pw_interactions_get_item_id (t, i), &idx))
        {
          g_auto(GStrv) parts = g_strsplit (pw_items_get_genres (items, idx), "|", -1);

          for (guint p = 0; parts[p] != NULL; p++)
            {
              gpointer found;
              guint32 g;

              g_strstrip (parts[p]);
              if (*parts[p] == '\0')
                continue;
              found = g_hash_table_lookup (index, parts[p]);
              if (found == NULL)
                {
                  GenreCount c = { 0 };
                  char *name = g_strdup (parts[p]);

                  g_ptr_array_add (names, name);
                  c.name = name;
                  g_array_append_val (genres, c);
                  g = genres->len - 1;
                  g_hash_table_insert (index, name, GUINT_TO_POINTER (g + 1));
                }
              else
                g = GPOINTER_TO_UINT (found) - 1;
              g_array_append_val (flat, g);
              g_array_index (genres, GenreCount, g).items++;
            }
        }
    }
  first[t->n_items] = flat->len;
  if (genres->len == 0)
    return;

  for (guint r = 0; r < t->n_rows; r++)
    {
      guint i = t->items[r];

      for (guint32 k = first[i]; k < first[i + 1]; k++)
        g_array_index (genres, GenreCount, g_array_index (flat, guint32, k)).rows++;
    }

  qsort (genres->data, genres->len, sizeof (GenreCount), genre_compare);
  stats->items_per_genre = bar_series_new (genres->len);
  stats->interactions_per_genre = bar_series_new (genres->len);
  for (guint g = 0; g < genres->len; g++)
    {
      GenreCount *c = &g_array_index (genres, GenreCount, g);

      stats->items_per_genre->labels[g] = g_strdup (c->name);
      stats->items_per_genre->values[g] = c->items;
      stats->interactions_per_genre->labels[g] = g_strdup (c->name);
      stats->interactions_per_genre->values[g] = c->rows;
    }
  bar_series_finish (stats->items_per_genre);
  bar_series_finish (stats->interactions_per_genre);
}

/* Event values --------------------------------------------------------- */

static void
compute_event_values (PwDataStats    *stats,
                      PwInteractions *t)
{
  float distinct[51];
  double counts[51];
  guint n_distinct = 0, m = 0;
  gboolean few = TRUE;

  /* Ratings take a handful of values: count them directly. */
  for (guint r = 0; r < t->n_rows && few; r++)
    {
      float v = t->values[r];
      guint k;

      if (isnan (v))
        continue;
      m++;
      for (k = 0; k < n_distinct && distinct[k] != v; k++)
        ;
      if (k == n_distinct)
        {
          if (n_distinct == 50)
            few = FALSE;
          else
            {
              distinct[n_distinct] = v;
              counts[n_distinct++] = 0;
            }
        }
      if (few)
        counts[k]++;
    }
  if (few && m == 0)
    return;

  if (few)
    {
      guint order[50];

      for (guint k = 0; k < n_distinct; k++)
        order[k] = k;
      /* Insertion sort by value: at most 50. */
      for (guint k = 1; k < n_distinct; k++)
        for (guint j = k; j > 0 && distinct[order[j]] < distinct[order[j - 1]]; j--)
          {
            guint tmp = order[j];

            order[j] = order[j - 1];
            order[j - 1] = tmp;
          }
      stats->event_values = bar_series_new (n_distinct);
      for (guint k = 0; k < n_distinct; k++)
        {
          GString *label = g_string_new (NULL);

          pw_csv_append_float (label, distinct[order[k]]);
          stats->event_values->labels[k] = g_string_free (label, FALSE);
          stats->event_values->values[k] = counts[order[k]];
        }
    }
  else
    {
      guint n_bins = 20;
      double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE, width;

      for (guint r = 0; r < t->n_rows; r++)
        if (!isnan (t->values[r]))
          {
            lo = MIN (lo, t->values[r]);
            hi = MAX (hi, t->values[r]);
          }
      width = (hi - lo) / n_bins;
      stats->event_values = bar_series_new (n_bins);
      for (guint b = 0; b < n_bins; b++)
        {
          char a[G_ASCII_DTOSTR_BUF_SIZE], z[G_ASCII_DTOSTR_BUF_SIZE];

          g_ascii_formatd (a, sizeof a, "%.3g", lo + b * width);
          g_ascii_formatd (z, sizeof z, "%.3g", lo + (b + 1) * width);
          stats->event_values->labels[b] = g_strdup_printf ("%s–%s", a, z);
        }
      for (guint r = 0; r < t->n_rows; r++)
        if (!isnan (t->values[r]))
          {
            guint b = width > 0 ? (guint) ((t->values[r] - lo) / width) : 0;

            stats->event_values->values[MIN (b, n_bins - 1)]++;
          }
    }
  bar_series_finish (stats->event_values);
}

/* Time ------------------------------------------------------------------ */

/* Days since 1970-01-01 to a civil year and month (H. Hinnant's algorithm). */
static void
civil_from_days (gint64  z,
                 gint64 *year,
                 guint  *month)
{
  gint64 era, yoe, y, doy, mp;
  guint m;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  {
    gint64 doe = z - era * 146097;

    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  }
  mp = (5 * doy + 2) / 153;
  m = (guint) (mp < 10 ? mp + 3 : mp - 9);
  *year = y + (m <= 2);
  *month = m;
}

static gint64
month_index (gint64 ts)
{
  gint64 days = ts >= 0 ? ts / 86400 : -((-ts + 86399) / 86400);
  gint64 year;
  guint month;

  civil_from_days (days, &year, &month);
  return year * 12 + (month - 1);
}

static void
compute_time (PwDataStats    *stats,
              PwInteractions *t)
{
  gint64 first, last;
  gboolean yearly;
  guint n;

  if (t->n_rows == 0)
    return;
  /* Dates far outside the calendar are not worth a chart. */
  if (stats->first_timestamp < -62135596800 || stats->last_timestamp > 253402300799)
    return;
  first = month_index (stats->first_timestamp);
  last = month_index (stats->last_timestamp);
  yearly = last - first >= 240;
  if (yearly)
    {
      first /= 12;
      last /= 12;
    }
  n = (guint) (last - first + 1);
  stats->per_month = bar_series_new (n);
  for (guint k = 0; k < n; k++)
    {
      gint64 idx = first + k;

      if (yearly)
        stats->per_month->labels[k] = g_strdup_printf ("%" G_GINT64_FORMAT, idx);
      else
        stats->per_month->labels[k] = g_strdup_printf ("%04" G_GINT64_FORMAT "-%02u",
                                                       idx / 12, (guint) (idx % 12) + 1);
    }
  for (guint r = 0; r < t->n_rows; r++)
    {
      gint64 idx = month_index (t->timestamps[r]);

      if (yearly)
        idx /= 12;
      stats->per_month->values[idx - first]++;
    }
  bar_series_finish (stats->per_month);
}

PwDataStats *
pw_data_stats_new (PwInteractions *interactions,
                   PwItems        *items,
                   PwSplit        *split)
{
  PwDataStats *stats;
  PwInteractions *t = interactions;

  g_return_val_if_fail (interactions != NULL, NULL);
  g_return_val_if_fail (split == NULL || split->interactions == interactions, NULL);

  stats = g_new0 (PwDataStats, 1);
  stats->n_rows = t->n_rows;
  stats->n_users = t->n_users;
  stats->n_items = t->n_items;
  stats->per_user_whole = g_new0 (guint, MAX (t->n_users, 1));
  stats->first_timestamp = G_MAXINT64;
  stats->last_timestamp = G_MININT64;
  for (guint r = 0; r < t->n_rows; r++)
    {
      stats->per_user_whole[t->users[r]]++;
      stats->first_timestamp = MIN (stats->first_timestamp, t->timestamps[r]);
      stats->last_timestamp = MAX (stats->last_timestamp, t->timestamps[r]);
    }
  if (t->n_rows == 0)
    stats->first_timestamp = stats->last_timestamp = 0;
  stats->whole = pw_activity_compute (stats->per_user_whole, t->n_users);
  stats->histogram_whole = pw_histogram_new (stats->per_user_whole, t->n_users,
                                             PW_DATA_STATS_HISTOGRAM_BINS, TRUE);
  if (split != NULL)
    {
      stats->per_user_training = g_new0 (guint, MAX (t->n_users, 1));
      stats->per_user_validation = g_new0 (guint, MAX (t->n_users, 1));
      for (guint k = 0; k < split->n_training_rows; k++)
        stats->per_user_training[t->users[split->training_rows[k]]]++;
      for (guint k = 0; k < split->n_validation_rows; k++)
        stats->per_user_validation[t->users[split->validation_rows[k]]]++;
      stats->training = pw_activity_compute (stats->per_user_training, t->n_users);
      stats->validation = pw_activity_compute (stats->per_user_validation, t->n_users);
      stats->histogram_training = pw_histogram_new (stats->per_user_training, t->n_users,
                                                    PW_DATA_STATS_HISTOGRAM_BINS, TRUE);
      stats->histogram_validation = pw_histogram_new (stats->per_user_validation, t->n_users,
                                                      PW_DATA_STATS_HISTOGRAM_BINS, TRUE);
    }
  compute_genres (stats, t, items);
  compute_event_values (stats, t);
  compute_time (stats, t);
  return stats;
}

void
pw_data_stats_free (PwDataStats *stats)
{
  if (stats == NULL)
    return;
  g_free (stats->per_user_whole);
  g_free (stats->per_user_training);
  g_free (stats->per_user_validation);
  pw_histogram_free (stats->histogram_whole);
  pw_histogram_free (stats->histogram_training);
  pw_histogram_free (stats->histogram_validation);
  pw_bar_series_free (stats->items_per_genre);
  pw_bar_series_free (stats->interactions_per_genre);
  pw_bar_series_free (stats->event_values);
  pw_bar_series_free (stats->per_month);
  g_free (stats);
}
