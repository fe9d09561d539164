/* pw-synthetic.c: a deterministic, MovieLens-1M-shaped synthetic dataset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-data"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "pw-interactions-private.h"
#include "pw-numpy-random.h"
#include "pw-synthetic.h"

/* xoshiro256** seeded with splitmix64: fast, and the same everywhere. */
typedef struct
{
  guint64 s[4];
} Rng;

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += 0x9e3779b97f4a7c15ULL);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static void
rng_seed (Rng     *r,
          guint64  seed)
{
  for (int k = 0; k < 4; k++)
    r->s[k] = splitmix64 (&seed);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static inline guint64
rng_next (Rng *r)
{
  guint64 result = rotl (r->s[1] * 5, 7) * 9;
  guint64 t = r->s[1] << 17;

  r->s[2] ^= r->s[0];
  r->s[3] ^= r->s[1];
  r->s[1] ^= r->s[2];
  r->s[0] ^= r->s[3];
  r->s[2] ^= t;
  r->s[3] = rotl (r->s[3], 45);
  return result;
}

static inline double
rng_uniform (Rng *r)
{
  return (rng_next (r) >> 11) * (1.0 / 9007199254740992.0);
}

static inline guint
rng_below (Rng  *r,
           guint n)
{
  return (guint) ((rng_next (r) >> 32) * n >> 32);
}

static double
rng_normal (Rng *r)
{
  double u1 = rng_uniform (r), u2 = rng_uniform (r);

  if (u1 < 1e-300)
    u1 = 1e-300;
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

/* Index in a cumulative table (last entry = total). */
static guint
pick_cumulative (Rng          *r,
                 const double *cumulative,
                 guint         n)
{
  double x = rng_uniform (r) * cumulative[n - 1];
  guint lo = 0, hi = n - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (cumulative[mid] > x)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

/* The 18 MovieLens genres with ML-1M's movie counts per genre. */
enum { ACTION, ADVENTURE, ANIMATION, CHILDRENS, COMEDY, CRIME, DOCUMENTARY, DRAMA, FANTASY,
       FILM_NOIR, HORROR, MUSICAL, MYSTERY, ROMANCE, SCI_FI, THRILLER, WAR, WESTERN, N_GENRES };
static const struct { const char *name; double weight; } genres[N_GENRES] = {
  { "Action", 503 }, { "Adventure", 283 }, { "Animation", 105 }, { "Children's", 251 },
  { "Comedy", 1200 }, { "Crime", 211 }, { "Documentary", 127 }, { "Drama", 1603 },
  { "Fantasy", 68 }, { "Film-Noir", 44 }, { "Horror", 343 }, { "Musical", 114 },
  { "Mystery", 106 }, { "Romance", 471 }, { "Sci-Fi", 276 }, { "Thriller", 492 },
  { "War", 143 }, { "Western", 68 },
};

static const char *const adjectives[] = {
  "Silent", "Broken", "Golden", "Last", "Hidden", "Crimson", "Lonely", "Wild", "Dark",
  "Bright", "Endless", "Secret", "Frozen", "Burning", "Lost", "Quiet", "Final", "Distant",
  "Savage", "Gentle", "Midnight", "Electric", "Restless", "Hollow", "Iron", "Paper",
  "Velvet", "Northern", "Stolen", "Little", "Crooked", "Painted", "Sleeping", "Wicked",
};
static const char *const nouns[] = {
  "Harbor", "River", "Promise", "Garden", "Road", "Shadow", "Letter", "Kingdom", "Horizon",
  "Echo", "Storm", "Mirror", "Station", "Summer", "Winter", "Highway", "Island", "Machine",
  "Heart", "Signal", "Frontier", "Orchard", "Carnival", "Lighthouse", "Circus", "Voyage",
  "Empire", "Witness", "Harvest", "Canyon", "Ballad", "Alibi", "Verdict", "Planet", "Comet",
  "Outpost", "Detective", "Ransom", "Bridge", "Dynasty", "Paradise", "Saint", "Stranger",
};
static const char *const places[] = {
  "Avalon", "Marrakesh", "Brooklyn", "the Delta", "Kyoto", "Santa Fe", "the North", "Havana",
  "Lisbon", "the Valley", "Memphis", "the Moon", "Mars", "Cairo", "Dublin", "Tijuana",
  "Chinatown", "the Bayou", "Montana", "Nowhere",
};
static const char *const names[] = {
  "Annie", "Max", "Sophie", "Jack", "Rosa", "Eddie", "Clara", "Leo", "Nora", "Sam", "Mabel",
  "Otis", "Ruby", "Walter", "Lola", "Frank",
};
static const char *const doc_subjects[] = {
  "Jazz", "the Deep Sea", "a Small Town", "the Blues", "Basketball", "the Campaign", "Cuba",
  "the Arctic", "Hip Hop", "the Space Race", "Chess", "Coal Country", "the Rainforest",
  "Baseball", "Street Art", "the Desert",
};

#define PICK(r, list) ((list)[rng_below ((r), G_N_ELEMENTS (list))])

static char *
invent_title (Rng *r,
              int  genre)
{
  if (genre == DOCUMENTARY)
    switch (rng_below (r, 4))
      {
      case 0: return g_strdup_printf ("Voices of %s", PICK (r, doc_subjects));
      case 1: return g_strdup_printf ("Inside %s", PICK (r, doc_subjects));
      case 2: return g_strdup_printf ("Portrait of %s", PICK (r, names));
      default: return g_strdup_printf ("%s: A True Story", PICK (r, doc_subjects));
      }
  switch (rng_below (r, 8))
    {
    case 0: return g_strdup_printf ("%s %s, The", PICK (r, adjectives), PICK (r, nouns));
    case 1: return g_strdup_printf ("%s of %s", PICK (r, nouns), PICK (r, places));
    case 2: return g_strdup_printf ("%s's %s", PICK (r, names), PICK (r, nouns));
    case 3: return g_strdup_printf ("%s %s", PICK (r, adjectives), PICK (r, nouns));
    case 4: return g_strdup_printf ("%s, The", PICK (r, nouns));
    case 5: return g_strdup_printf ("%s for %s", PICK (r, nouns), PICK (r, names));
    case 6: return g_strdup_printf ("Return to %s", PICK (r, places));
    default: return g_strdup_printf ("%s in %s", PICK (r, names), PICK (r, places));
    }
}

typedef struct
{
  guint   id;
  int     genre;      /* primary */
  guint   genre_mask;
  guint   cluster;
  double  weight;     /* popularity */
  double  quality;
} Item;

typedef struct
{
  int     genre;
  guint   start;      /* into members */
  guint   n;
  double *cumulative; /* [n] */
  double  total;
} Cluster;

typedef struct
{
  guint   n_clusters;
  guint  *clusters;   /* cluster indices */
  double *cumulative; /* [n_clusters] */
} GenreTable;

typedef struct
{
  double w[N_GENRES];
  double cumulative[N_GENRES];
} Taste;

static void
taste_finish (Taste *t)
{
  double sum = 0;

  for (int g = 0; g < N_GENRES; g++)
    {
      sum += t->w[g];
      t->cumulative[g] = sum;
    }
}

static void
taste_random (Rng   *r,
              Taste *t)
{
  guint k = 2 + rng_below (r, 3);
  double fav[N_GENRES];
  double cum = 0;

  for (int g = 0; g < N_GENRES; g++)
    {
      t->w[g] = 0.06 * genres[g].weight / 6409.0;
      cum += pow (genres[g].weight, 0.7);
      fav[g] = cum;
    }
  for (guint j = 0; j < k; j++)
    {
      guint g = pick_cumulative (r, fav, N_GENRES);

      t->w[g] += exp (0.6 * rng_normal (r)) / k;
    }
  taste_finish (t);
}

/* The ids 246, 556 and 2677 name documentaries of the first documentary
 * theme; make sure that they are warm items under the workshop's default
 * split (seed 42, half the items warm) by giving each cold one's id to the
 * most watched warm documentary of that theme. Ids are only labels. */
static void
place_fixed_documentaries (Item          *items,
                           guint          n_items,
                           const guint32 *row_item,
                           guint          n_rows,
                           const Cluster *clusters,
                           guint          doc_cluster)
{
  static const guint fixed[] = { 246, 556, 2677 };
  g_autofree guint *order = g_new (guint, n_items);
  g_autofree guint *count = g_new0 (guint, n_items);
  g_autofree guint32 *perm = NULL;
  g_autofree guint8 *warm = g_new0 (guint8, n_items);
  guint n_seen = 0;

  for (guint i = 0; i < n_items; i++)
    order[i] = G_MAXUINT;
  for (guint r = 0; r < n_rows; r++)
    {
      if (order[row_item[r]] == G_MAXUINT)
        order[row_item[r]] = n_seen++;
      count[row_item[r]]++;
    }
  perm = pw_numpy_permutation (42, n_seen);
  {
    g_autofree guint8 *warm_order = g_new0 (guint8, MAX (n_seen, 1));

    for (guint k = n_seen / 2; k < n_seen; k++)
      warm_order[perm[k]] = 1;
    for (guint i = 0; i < n_items; i++)
      warm[i] = order[i] != G_MAXUINT && warm_order[order[i]];
  }

  for (guint f = 0; f < G_N_ELEMENTS (fixed); f++)
    {
      guint holder = G_MAXUINT, best = G_MAXUINT;

      for (guint i = 0; i < n_items; i++)
        if (items[i].id == fixed[f])
          holder = i;
      if (holder == G_MAXUINT || warm[holder])
        continue;
      for (guint i = 0; i < n_items; i++)
        {
          gboolean is_fixed = FALSE;

          for (guint g = 0; g < G_N_ELEMENTS (fixed); g++)
            is_fixed |= items[i].id == fixed[g];
          if (is_fixed || !warm[i] || items[i].cluster != doc_cluster ||
              items[i].genre_mask != (1u << DOCUMENTARY))
            continue;
          if (best == G_MAXUINT || count[i] > count[best])
            best = i;
        }
      if (best != G_MAXUINT)
        {
          guint id = items[best].id;

          items[best].id = items[holder].id;
          items[holder].id = id;
        }
    }
}

/* One generation's state, filled in step by step by the functions below,
 * in the order pw_synthetic_generate() calls them. Every step draws from
 * the one generator r, so the steps' order is part of the output: change
 * it and the data changes. */
typedef struct
{
  PwSyntheticOptions o;
  Rng r;

  /* The catalogue. */
  Item *items;                   /* [o.n_items], index = id - 1 until the end */
  guint n_clusters;
  Cluster *clusters;             /* [n_clusters]: the themes */
  guint cluster_base[N_GENRES];  /* a primary genre's first theme */
  GenreTable tables[N_GENRES];   /* a primary genre's themes, by weight */
  guint *members;                /* [o.n_items]: item indices, theme by theme */
  double *member_cumulative;     /* [o.n_items]: their weights, summed per theme */
  GPtrArray *item_titles;        /* [o.n_items] */
  GPtrArray *item_genres;        /* [o.n_items]: "A|B|C" */

  /* The ratings. */
  guint *counts;                 /* [o.n_users]: how many each user gives */
  guint *seen;                   /* [o.n_items]: the last user (+1) who rated it */
  guint32 *row_user;             /* [o.n_ratings] each */
  guint32 *row_item;
  gint64 *row_ts;
  guint8 *row_value;
  guint n_rows;
} Generator;

static const gint64 first_time = 956703932;   /* 2000-04-25, ML-1M's first rating */
static const gint64 last_time = 1046454590;   /* 2003-02-28, its last */

static void
generator_clear (Generator *gen)
{
  for (int g = 0; g < N_GENRES; g++)
    {
      g_free (gen->tables[g].clusters);
      g_free (gen->tables[g].cumulative);
    }
  g_free (gen->items);
  g_free (gen->clusters);
  g_free (gen->members);
  g_free (gen->member_cumulative);
  g_clear_pointer (&gen->item_titles, g_ptr_array_unref);
  g_clear_pointer (&gen->item_genres, g_ptr_array_unref);
  g_free (gen->counts);
  g_free (gen->seen);
  g_free (gen->row_user);
  g_free (gen->row_item);
  g_free (gen->row_ts);
  g_free (gen->row_value);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Generator, generator_clear)

/* Step 1: the items, each with a primary genre (as common as in ML-1M),
 * sometimes more genres, a popularity and a quality. */
static void
invent_items (Generator *gen)
{
  double primary_cum[N_GENRES];
  double cum = 0;

  for (int g = 0; g < N_GENRES; g++)
    {
      cum += genres[g].weight;
      primary_cum[g] = cum;
    }
  gen->items = g_new0 (Item, gen->o.n_items);
  for (guint i = 0; i < gen->o.n_items; i++)
    {
      Item *it = &gen->items[i];
      guint extra;

      it->id = i + 1;
      it->genre = (int) pick_cumulative (&gen->r, primary_cum, N_GENRES);
      it->genre_mask = 1u << it->genre;
      extra = it->genre == DOCUMENTARY ? (rng_uniform (&gen->r) < 0.1)
                                       : (rng_uniform (&gen->r) < 0.5) + (rng_uniform (&gen->r) < 0.15);
      for (guint e = 0; e < extra; e++)
        it->genre_mask |= 1u << pick_cumulative (&gen->r, primary_cum, N_GENRES);
      it->weight = exp (1.5 * rng_normal (&gen->r));
      it->quality = 0.45 * rng_normal (&gen->r);
    }
}

/* Step 2: the workshop's fixed items (no random draws). */
static void
place_workshop_items (Generator *gen)
{
  static const guint docs[] = { 246, 556, 2677 };
  Item *items = gen->items;

  for (guint k = 0; k < G_N_ELEMENTS (docs); k++)
    if (docs[k] <= gen->o.n_items)
      {
        Item *it = &items[docs[k] - 1];

        it->genre = DOCUMENTARY;
        it->genre_mask = 1u << DOCUMENTARY;
        it->weight = 3.0 + k;
        it->quality = 0.6;
      }
  items[0].genre = ANIMATION;
  items[0].genre_mask = (1u << ANIMATION) | (1u << CHILDRENS) | (1u << COMEDY);
  items[0].weight = 12;
  if (588 <= gen->o.n_items)
    {
      items[587].genre = ANIMATION;
      items[587].genre_mask = (1u << ANIMATION) | (1u << CHILDRENS) | (1u << MUSICAL);
      items[587].weight = 8;
    }
}

/* Step 3: themes, groups of related films inside each primary genre; each
 * item joins one of its genre's themes at random. */
static void
group_into_themes (Generator *gen)
{
  guint genre_items[N_GENRES] = { 0 };

  for (guint i = 0; i < gen->o.n_items; i++)
    genre_items[gen->items[i].genre]++;
  for (int g = 0; g < N_GENRES; g++)
    {
      guint n = genre_items[g] == 0 ? 0 : MAX (1, genre_items[g] / (g == DOCUMENTARY ? 22 : 14));

      gen->cluster_base[g] = gen->n_clusters;
      gen->tables[g].n_clusters = n;
      gen->n_clusters += n;
    }
  gen->clusters = g_new0 (Cluster, MAX (gen->n_clusters, 1));
  for (guint i = 0; i < gen->o.n_items; i++)
    {
      Item *it = &gen->items[i];
      guint n = gen->tables[it->genre].n_clusters;
      gboolean fixed_doc = it->genre == DOCUMENTARY && (it->id == 246 || it->id == 556 || it->id == 2677);

      it->cluster = gen->cluster_base[it->genre] + (fixed_doc ? 0 : rng_below (&gen->r, n));
      gen->clusters[it->cluster].genre = it->genre;
      gen->clusters[it->cluster].n++;
    }
}

/* Step 4: the tables to draw from: each theme's members by popularity,
 * each genre's themes by their total popularity (no random draws). */
static void
index_themes (Generator *gen)
{
  Cluster *clusters = gen->clusters;
  guint offset = 0;

  for (guint c = 0; c < gen->n_clusters; c++)
    {
      clusters[c].start = offset;
      offset += clusters[c].n;
      clusters[c].n = 0;
    }
  gen->members = g_new (guint, gen->o.n_items);
  gen->member_cumulative = g_new (double, gen->o.n_items);
  for (guint i = 0; i < gen->o.n_items; i++)
    {
      Cluster *c = &clusters[gen->items[i].cluster];

      gen->members[c->start + c->n++] = i;
    }
  for (guint c = 0; c < gen->n_clusters; c++)
    {
      double cum = 0;

      clusters[c].cumulative = gen->member_cumulative + clusters[c].start;
      for (guint k = 0; k < clusters[c].n; k++)
        {
          cum += gen->items[gen->members[clusters[c].start + k]].weight;
          clusters[c].cumulative[k] = cum;
        }
      clusters[c].total = cum;
    }
  for (int g = 0; g < N_GENRES; g++)
    {
      GenreTable *table = &gen->tables[g];
      double cum = 0;

      table->clusters = g_new (guint, MAX (table->n_clusters, 1));
      table->cumulative = g_new (double, MAX (table->n_clusters, 1));
      for (guint k = 0; k < table->n_clusters; k++)
        {
          table->clusters[k] = gen->cluster_base[g] + k;
          cum += clusters[gen->cluster_base[g] + k].total + 1e-9;
          table->cumulative[k] = cum;
        }
    }
}

/* Step 5: a unique title with a year, and the genres as text. */
static void
name_items (Generator *gen)
{
  g_autoptr(GHashTable) titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gen->item_titles = g_ptr_array_new_with_free_func (g_free);
  gen->item_genres = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < gen->o.n_items; i++)
    {
      Item *it = &gen->items[i];
      guint year = 1995 + (guint) floor (-6.0 * log (1.0 - rng_uniform (&gen->r) * 0.9999));
      g_autofree char *base = invent_title (&gen->r, it->genre);
      g_autofree char *title = NULL;
      GString *genre_text = g_string_new (NULL);

      /* Most films are recent, a long tail reaches back to 1919. */
      year = year > 2000 ? 1995 - (year - 2000) : year;
      year = CLAMP (year, 1919, 2000);
      if (it->id == 1)
        {
          g_free (base);
          base = g_strdup ("Toy Box Adventure");
          year = 1995;
        }
      for (guint n = 1; title == NULL || g_hash_table_contains (titles, title); n++)
        {
          g_free (title);
          title = n == 1 ? g_strdup_printf ("%s (%u)", base, year)
                         : g_strdup_printf ("%s %s (%u)", base, n == 2 ? "II" : n == 3 ? "III" : "IV", year + n - 1);
          if (n > 4)
            {
              g_free (title);
              title = g_strdup_printf ("%s #%u (%u)", base, it->id, year);
            }
        }
      title[0] = g_ascii_toupper (title[0]);
      g_hash_table_add (titles, g_strdup (title));
      for (int g = 0; g < N_GENRES; g++)
        if (it->genre_mask & (1u << g))
          {
            if (genre_text->len > 0)
              g_string_append_c (genre_text, '|');
            g_string_append (genre_text, genres[g].name);
          }
      g_ptr_array_add (gen->item_titles, g_steal_pointer (&title));
      g_ptr_array_add (gen->item_genres, g_string_free (genre_text, FALSE));
    }
}

/* Step 6: how many ratings each user gives: at least 20, log-normal above
 * that, scaled to the total asked for. */
static void
share_out_ratings (Generator *gen)
{
  const PwSyntheticOptions *o = &gen->o;
  g_autofree double *extra = g_new (double, o->n_users);
  guint *counts = gen->counts = g_new (guint, o->n_users);
  double sum = 0, scale;
  guint64 total = 0;
  guint cap = MIN (o->n_items / 2, 2314u);
  guint64 want = o->n_ratings - (guint64) o->n_users * 20;

  for (guint u = 0; u < o->n_users; u++)
    {
      extra[u] = exp (4.33 + 1.14 * rng_normal (&gen->r));
      sum += extra[u];
    }
  scale = want / sum;
  for (int pass = 0; pass < 4; pass++)
    {
      double capped = 0, free_sum = 0;

      for (guint u = 0; u < o->n_users; u++)
        {
          if (20 + extra[u] * scale >= cap)
            capped += cap - 20;
          else
            free_sum += extra[u];
        }
      if (free_sum > 0)
        scale = (want - capped) / free_sum;
    }
  for (guint u = 0; u < o->n_users; u++)
    {
      counts[u] = (guint) MIN ((double) cap, 20 + floor (extra[u] * scale));
      total += counts[u];
    }
  /* Hand out the rounding remainder one by one. */
  for (guint u = 0; total < o->n_ratings; u = (u + 1) % o->n_users)
    if (counts[u] < cap)
      {
        counts[u]++;
        total++;
      }
  for (guint u = 0; total > o->n_ratings; u = (u + 1) % o->n_users)
    if (counts[u] > 20)
      {
        counts[u]--;
        total--;
      }
}

/* A user's taste at first (@a) and at last (@b), and how often the next
 * film comes from the theme of a recent one (@run). */
static void
invent_tastes (Generator *gen,
               guint      u,
               Taste     *a,
               Taste     *b,
               double    *run)
{
  taste_random (&gen->r, a);
  *b = *a;
  /* Drift: one genre gains what another loses. */
  {
    guint from = pick_cumulative (&gen->r, a->cumulative, N_GENRES);
    guint to = rng_below (&gen->r, N_GENRES);

    b->w[to] += b->w[from] * 0.8;
    b->w[from] *= 0.2;
    taste_finish (b);
  }
  if (u == 1199)
    {
      /* The workshop's user 1200: Thriller / Sci-Fi, no documentaries. */
      memset (a, 0, sizeof *a);
      a->w[THRILLER] = 0.5;
      a->w[SCI_FI] = 0.38;
      a->w[ACTION] = 0.12;
      taste_finish (a);
      *b = *a;
      *run = 0.5;
    }
}

/* The next film user @u rates: often from the theme of one of the
 * @n_recent last, else from a theme of a genre @taste likes; never one
 * the user has rated already. */
static guint
pick_item (Generator   *gen,
           guint        u,
           const Taste *taste,
           const guint *recent,
           guint        n_recent,
           double       run)
{
  guint item = G_MAXUINT;

  for (guint attempt = 0; attempt < 12 && item == G_MAXUINT; attempt++)
    {
      const Cluster *cl;
      guint candidate;

      if (n_recent > 0 && attempt < 6 && rng_uniform (&gen->r) < run)
        cl = &gen->clusters[gen->items[recent[rng_below (&gen->r, n_recent)]].cluster];
      else
        {
          int g = (int) pick_cumulative (&gen->r, taste->cumulative, N_GENRES);
          const GenreTable *table = &gen->tables[g];

          if (table->n_clusters == 0)
            continue;
          cl = &gen->clusters[table->clusters[pick_cumulative (&gen->r, table->cumulative, table->n_clusters)]];
        }
      if (cl->n == 0)
        continue;
      candidate = gen->members[cl->start + pick_cumulative (&gen->r, cl->cumulative, cl->n)];
      if (gen->seen[candidate] != u + 1)
        item = candidate;
    }
  if (item == G_MAXUINT)
    {
      /* Anything not yet seen. */
      guint from = rng_below (&gen->r, gen->o.n_items);

      for (guint k2 = 0; k2 < gen->o.n_items; k2++)
        if (gen->seen[(from + k2) % gen->o.n_items] != u + 1)
          {
            item = (from + k2) % gen->o.n_items;
            break;
          }
    }
  g_assert (item != G_MAXUINT);
  return item;
}

/* Time: sessions of a few dozen ratings, seconds apart (often the same
 * second), days or weeks between sessions. */
static gint64
next_time (Generator *gen,
           gint64     now)
{
  if (rng_uniform (&gen->r) < 0.04)
    now += (gint64) (-20.0 * 86400 * log (1.0 - rng_uniform (&gen->r)));
  else if (rng_uniform (&gen->r) >= 0.3)
    now += 1 + rng_below (&gen->r, 40);
  return now;
}

/* 1 to 5 stars: how much the user's tastes like the item's genre, its
 * quality and popularity, the user's @bias, and noise. */
static guint8
rate_item (Generator   *gen,
           const Taste *a,
           const Taste *b,
           double       bias,
           guint        item)
{
  const Item *it = &gen->items[item];
  double affinity = (a->w[it->genre] + b->w[it->genre]) * 0.5 / (a->cumulative[N_GENRES - 1]) * 4.0;
  int value = (int) floor (2.9 + 0.55 * MIN (affinity, 2.0) + it->quality +
                           0.1 * log (it->weight) + bias + 1.0 * rng_normal (&gen->r) + 0.5);

  return (guint8) CLAMP (value, 1, 5);
}

/* Step 7, for each user: their counts[u] ratings, in time order. */
static void
rate_as_user (Generator *gen,
              guint      u)
{
  Taste a, b;
  guint c = gen->counts[u];
  double bias = 0.35 * rng_normal (&gen->r);
  double run = 0.5 + 0.3 * rng_uniform (&gen->r);
  guint recent[3] = { 0, 0, 0 };
  guint n_recent = 0;
  gint64 join, now;
  gint64 first_ts = 0;
  guint row0 = gen->n_rows;

  invent_tastes (gen, u, &a, &b, &run);
  join = rng_uniform (&gen->r) < 0.75 ? first_time + (gint64) (rng_uniform (&gen->r) * 240 * 86400)
                                      : first_time + (gint64) (rng_uniform (&gen->r) * (last_time - first_time - 30 * 86400));
  now = join;

  for (guint k = 0; k < c; k++)
    {
      double s = c > 1 ? (double) k / (c - 1) : 0;
      const Taste *taste = rng_uniform (&gen->r) < s ? &b : &a;
      guint item = pick_item (gen, u, taste, recent, n_recent, run);

      gen->seen[item] = u + 1;
      recent[n_recent < 3 ? n_recent++ : rng_below (&gen->r, 3)] = item;
      if (k > 0)
        now = next_time (gen, now);

      gen->row_user[gen->n_rows] = u;
      gen->row_item[gen->n_rows] = item;
      gen->row_ts[gen->n_rows] = now;
      gen->row_value[gen->n_rows] = rate_item (gen, &a, &b, bias, item);
      gen->n_rows++;
      if (k == 0)
        first_ts = now;
    }
  /* Squeeze the user's history into the dataset's time span. */
  if (now > last_time)
    {
      double f = (double) (last_time - join) / (double) (now - first_ts + 1);

      for (guint row = row0; row < gen->n_rows; row++)
        gen->row_ts[row] = join + (gint64) floor ((gen->row_ts[row] - first_ts) * f);
    }
}

/* Step 7: every user's ratings. */
static void
rate_all (Generator *gen)
{
  gen->row_user = g_new (guint32, gen->o.n_ratings);
  gen->row_item = g_new (guint32, gen->o.n_ratings);
  gen->row_ts = g_new (gint64, gen->o.n_ratings);
  gen->row_value = g_new (guint8, gen->o.n_ratings);
  gen->seen = g_new0 (guint, gen->o.n_items);
  for (guint u = 0; u < gen->o.n_users; u++)
    rate_as_user (gen, u);
  g_assert (gen->n_rows == gen->o.n_ratings);
}

/* Step 9: the ratings as interactions, users and items by id. */
static PwInteractions *
to_interactions (Generator *gen)
{
  PwInteractions *t = pw_interactions_new ();
  guint16 rating_type;

  pw_interactions_reserve (t, gen->n_rows);
  rating_type = pw_interactions_intern_event_type (t, "RATING", 6);
  t->has_event_type = TRUE;
  t->has_event_value = TRUE;
  for (guint row = 0; row < gen->n_rows; row++)
    pw_interactions_append_indices (t,
                                    pw_interactions_intern_user_numeric (t, gen->row_user[row] + 1),
                                    pw_interactions_intern_item_numeric (t, gen->items[gen->row_item[row]].id),
                                    gen->row_ts[row], gen->row_value[row], rating_type);
  return t;
}

/* Step 10: the catalogue in id order. */
static PwItems *
to_catalogue (Generator *gen)
{
  g_autofree guint *by_id = g_new (guint, gen->o.n_items + 1);
  PwItems *catalogue = pw_items_new ();

  for (guint i = 0; i < gen->o.n_items; i++)
    by_id[gen->items[i].id] = i;
  for (guint id = 1; id <= gen->o.n_items; id++)
    {
      char text[16];

      g_snprintf (text, sizeof text, "%u", id);
      pw_items_add (catalogue, text, g_ptr_array_index (gen->item_titles, by_id[id]),
                    g_ptr_array_index (gen->item_genres, by_id[id]));
    }
  return catalogue;
}

gboolean
pw_synthetic_generate (const PwSyntheticOptions *options,
                       PwInteractions          **interactions,
                       PwItems                 **items_out,
                       GError                  **error)
{
  g_auto(Generator) gen = { 0 };
  const PwSyntheticOptions *o = &gen.o;

  g_return_val_if_fail (interactions != NULL && items_out != NULL, FALSE);

  gen.o = options ? *options : PW_SYNTHETIC_OPTIONS_DEFAULT;
  if (o->n_users == 0 || o->n_items < 40 || o->n_ratings < (guint64) o->n_users * 20 ||
      o->n_ratings > (guint64) o->n_users * (o->n_items / 2))
    {
      g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_INVALID_ARGUMENT,
                   _("Synthetic data needs at least 40 items and between 20 ratings per user and half the items per user"));
      return FALSE;
    }

  rng_seed (&gen.r, o->seed);
  invent_items (&gen);
  place_workshop_items (&gen);
  group_into_themes (&gen);
  index_themes (&gen);
  name_items (&gen);
  share_out_ratings (&gen);
  rate_all (&gen);
  /* Step 8. */
  place_fixed_documentaries (gen.items, o->n_items, gen.row_item, gen.n_rows, gen.clusters,
                             gen.cluster_base[DOCUMENTARY]);

  *interactions = to_interactions (&gen);
  *items_out = to_catalogue (&gen);
  return TRUE;
}
