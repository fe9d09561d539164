/* pw-movielens.c: the MovieLens readers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-data"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "pw-interactions-private.h"
#include "pw-movielens.h"
#include "pw-text-private.h"

static const char *const format_names[] = { "ml-1m", "ml-100k", "ml-latest-small" };

const char *
pw_movielens_format_to_string (PwMovieLensFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), NULL);
  return format_names[format];
}

gboolean
pw_movielens_format_from_string (const char        *name,
                                 PwMovieLensFormat *format)
{
  for (guint k = 0; k < G_N_ELEMENTS (format_names); k++)
    if (g_strcmp0 (name, format_names[k]) == 0)
      {
        if (format != NULL)
          *format = (PwMovieLensFormat) k;
        return TRUE;
      }
  return FALSE;
}

char *
pw_movielens_get_url (PwMovieLensFormat format)
{
  return g_strdup_printf ("https://files.grouplens.org/datasets/movielens/%s.zip",
                          pw_movielens_format_to_string (format));
}

#define MAX_FIELDS 32

/* Splits on @sep; returns the number of fields (possibly > MAX_FIELDS, of
 * which the first MAX_FIELDS are recorded). */
static guint
split_fields (const char  *line,
              gsize        len,
              const char  *sep,
              gsize        sep_len,
              const char **starts,
              gsize       *lens)
{
  const char *p = line, *end = line + len;
  guint n = 0;

  for (;;)
    {
      const char *q = p;

      /* Find sep[0] with memchr, then check the rest of the separator. */
      for (;;)
        {
          q = q < end ? memchr (q, sep[0], end - q) : NULL;
          if (q == NULL || (gsize) (end - q) < sep_len)
            {
              q = end;
              break;
            }
          if (sep_len == 1 || memcmp (q + 1, sep + 1, sep_len - 1) == 0)
            break;
          q++;
        }
      if (n < MAX_FIELDS)
        {
          starts[n] = p;
          lens[n] = q - p;
        }
      n++;
      if (q == end)
        break;
      p = q + sep_len;
    }
  return n;
}

typedef enum { NOT_ID, NOT_NUMBER, NOT_SECONDS, NOT_FLAG } ValueProblem;

static GError *
value_error (const char  *name,
             guint        line,
             guint        column,
             const char  *column_name,
             const char  *s,
             gsize        len,
             ValueProblem problem)
{
  g_autofree char *shown = pw_describe_value (s, len);

  switch (problem)
    {
    case NOT_ID:
      return pw_row_error_new (name, line, column, column_name, _("%s is not a numeric id"), shown);
    case NOT_NUMBER:
      return pw_row_error_new (name, line, column, column_name, _("%s is not a number"), shown);
    case NOT_SECONDS:
      return pw_row_error_new (name, line, column, column_name, _("%s is not a whole number of seconds"), shown);
    case NOT_FLAG:
    default:
      return pw_row_error_new (name, line, column, column_name, _("%s is not a genre flag (0 or 1)"), shown);
    }
}

/* One rating row from its four fields; NULL on success. */
static GError *
add_rating (PwInteractions     *self,
            const char         *name,
            guint               line,
            const char *const  *col_names,
            const int          *cols,
            const char        **starts,
            const gsize        *lens,
            guint16             rating_type)
{
  guint64 user, item;
  float rating;
  gint64 ts;

  if (!pw_parse_uint64 (starts[cols[0]], lens[cols[0]], &user))
    return value_error (name, line, cols[0] + 1, col_names[0], starts[cols[0]], lens[cols[0]],
                        NOT_ID);
  if (!pw_parse_uint64 (starts[cols[1]], lens[cols[1]], &item))
    return value_error (name, line, cols[1] + 1, col_names[1], starts[cols[1]], lens[cols[1]],
                        NOT_ID);
  if (!pw_parse_float (starts[cols[2]], lens[cols[2]], &rating))
    return value_error (name, line, cols[2] + 1, col_names[2], starts[cols[2]], lens[cols[2]],
                        NOT_NUMBER);
  if (!pw_parse_int64 (starts[cols[3]], lens[cols[3]], &ts))
    return value_error (name, line, cols[3] + 1, col_names[3], starts[cols[3]], lens[cols[3]],
                        NOT_SECONDS);
  if (!pw_time_in_range (ts))
    return pw_time_range_error_new (name, line, cols[3] + 1, col_names[3], ts);
  pw_interactions_append_indices (self,
                                  pw_interactions_intern_user_numeric (self, user),
                                  pw_interactions_intern_item_numeric (self, item),
                                  ts, rating, rating_type);
  return NULL;
}

/* An empty table of ratings: each row a RATING event with its value. */
static PwInteractions *
ratings_new (guint16 *rating_type)
{
  PwInteractions *self = pw_interactions_new ();

  *rating_type = pw_interactions_intern_event_type (self, "RATING", 6);
  self->has_event_type = TRUE;
  self->has_event_value = TRUE;
  return self;
}

/* The ratings files of ml-1m and ml-100k: four fields a line. */
typedef struct
{
  const char        *sep;
  const char        *sep_shown;
  const char *const *col_names;
} RatingLines;

static gpointer
read_rating_lines (PwTextReader  *r,
                   gpointer       user_data,
                   GError       **error)
{
  const RatingLines *format = user_data;
  g_autoptr(PwInteractions) self = NULL;
  static const int cols[4] = { 0, 1, 2, 3 };
  const char *line;
  gsize len;
  gsize sep_len = strlen (format->sep);
  guint16 rating_type;

  self = ratings_new (&rating_type);
  pw_interactions_reserve (self, MAX (16, r->text_len / 20));
  while (pw_text_reader_next_line (r, &line, &len))
    {
      const char *starts[MAX_FIELDS];
      gsize lens[MAX_FIELDS];
      guint n;
      GError *row_error;

      n = split_fields (line, len, format->sep, sep_len, starts, lens);
      if (n != 4)
        row_error = pw_row_error_new (r->name, r->lines.line, 0, NULL,
                                      _("expected 4 fields separated by %s, found %u"),
                                      format->sep_shown, n);
      else
        row_error = add_rating (self, r->name, r->lines.line, format->col_names, cols,
                                starts, lens, rating_type);
      pw_text_reader_end_row (r, row_error, error);
    }
  if (r->failed)
    return NULL;
  return g_steal_pointer (&self);
}

PwInteractions *
pw_movielens_parse_ml1m_ratings (const char    *data,
                                 gsize          length,
                                 const char    *name,
                                 PwReadFlags    flags,
                                 PwReadReport  *report,
                                 GError       **error)
{
  static const char *const names[] = { "UserID", "MovieID", "Rating", "Timestamp" };
  RatingLines format = { "::", "“::”", names };

  return pw_text_read_data (read_rating_lines, &format, data, length, name ? name : "ratings.dat",
                            flags, report, error);
}

PwInteractions *
pw_movielens_parse_ml100k_data (const char    *data,
                                gsize          length,
                                const char    *name,
                                PwReadFlags    flags,
                                PwReadReport  *report,
                                GError       **error)
{
  static const char *const names[] = { "user id", "item id", "rating", "timestamp" };
  RatingLines format = { "\t", _("tabs"), names };

  return pw_text_read_data (read_rating_lines, &format, data, length, name ? name : "u.data",
                            flags, report, error);
}

/* Items ---------------------------------------------------------------- */

typedef struct
{
  PwItems    *items;
  GHashTable *lines;    /* canonical id -> line */
} ItemsBuilder;

static GError *
add_movie (ItemsBuilder *b,
           const char   *name,
           guint         line,
           guint         id_column,
           const char   *id_column_name,
           const char   *id_s,
           gsize         id_len,
           const char   *title,
           const char   *genres)
{
  guint64 id;
  char canonical[24];
  gpointer seen;

  if (!pw_parse_uint64 (id_s, id_len, &id))
    return value_error (name, line, id_column, id_column_name, id_s, id_len, NOT_ID);
  g_snprintf (canonical, sizeof canonical, "%" G_GUINT64_FORMAT, id);
  seen = g_hash_table_lookup (b->lines, canonical);
  if (seen != NULL)
    return pw_row_error_new (name, line, id_column, id_column_name,
                             _("the item “%s” already appeared on line %u"),
                             canonical, GPOINTER_TO_UINT (seen));
  g_hash_table_insert (b->lines, g_strdup (canonical), GUINT_TO_POINTER (line));
  pw_items_add (b->items, canonical, title, genres);
  return NULL;
}

static void
builder_init (ItemsBuilder *b)
{
  b->items = pw_items_new ();
  b->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static PwItems *
builder_finish (ItemsBuilder *b,
                gboolean      ok)
{
  g_hash_table_unref (b->lines);
  if (!ok)
    {
      pw_items_unref (b->items);
      return NULL;
    }
  return b->items;
}

/* One line of a movies file: adds its movie or returns the row's error. */
typedef GError *(*MovieLineParser) (ItemsBuilder *b,
                                    const char   *name,
                                    guint         line_number,
                                    const char   *line,
                                    gsize         len);

/* The line-based movie files (ml-1m movies.dat, ml-100k u.item), each line
 * read by the MovieLineParser @user_data points at. */
static gpointer
read_movie_lines (PwTextReader  *r,
                  gpointer       user_data,
                  GError       **error)
{
  MovieLineParser parse_line = *(const MovieLineParser *) user_data;
  ItemsBuilder b;
  const char *line;
  gsize len;

  builder_init (&b);
  while (pw_text_reader_next_line (r, &line, &len))
    pw_text_reader_end_row (r, parse_line (&b, r->name, r->lines.line, line, len), error);
  return builder_finish (&b, !r->failed);
}

/* MovieID::Title::Genres (the title may hold "::"). */
static GError *
parse_ml1m_movie (ItemsBuilder *b,
                  const char   *name,
                  guint         line_number,
                  const char   *line,
                  gsize         len)
{
  const char *first = NULL, *last = NULL;
  g_autofree char *title = NULL;
  g_autofree char *genres = NULL;

  for (gsize i = 0; i + 1 < len; i++)
    if (line[i] == ':' && line[i + 1] == ':')
      {
        if (first == NULL)
          first = line + i;
        last = line + i;
        i++;
      }
  if (first == NULL || first == last)
    return pw_row_error_new (name, line_number, 0, NULL,
                             _("expected MovieID::Title::Genres"));

  title = g_strndup (first + 2, last - first - 2);
  genres = g_strndup (last + 2, line + len - last - 2);
  g_strstrip (title);
  g_strstrip (genres);
  return add_movie (b, name, line_number, 1, "MovieID", line, first - line, title, genres);
}

PwItems *
pw_movielens_parse_ml1m_movies (const char    *data,
                                gsize          length,
                                const char    *name,
                                PwReadFlags    flags,
                                PwReadReport  *report,
                                GError       **error)
{
  MovieLineParser parse_line = parse_ml1m_movie;

  return pw_text_read_data (read_movie_lines, &parse_line, data, length, name ? name : "movies.dat",
                            flags, report, error);
}

static const char *const ml100k_genres[19] = {
  "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
  "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
  "Romance", "Sci-Fi", "Thriller", "War", "Western",
};

/* 24 fields separated by "|": id, title, dates, URL, 19 genre flags. */
static GError *
parse_ml100k_item (ItemsBuilder *b,
                   const char   *name,
                   guint         line_number,
                   const char   *line,
                   gsize         len)
{
  const char *starts[MAX_FIELDS];
  gsize lens[MAX_FIELDS];
  guint n;
  g_autoptr(GString) genres = NULL;
  g_autofree char *title = NULL;

  n = split_fields (line, len, "|", 1, starts, lens);
  if (n != 24)
    return pw_row_error_new (name, line_number, 0, NULL,
                             _("expected 24 fields separated by “|”, found %u"), n);

  genres = g_string_new (NULL);
  title = g_strndup (starts[1], lens[1]);
  for (guint g = 0; g < 19; g++)
    {
      const char *f = starts[5 + g];

      if (lens[5 + g] != 1 || (f[0] != '0' && f[0] != '1'))
        return value_error (name, line_number, 6 + g, ml100k_genres[g], f, lens[5 + g],
                            NOT_FLAG);
      if (f[0] == '1')
        {
          if (genres->len > 0)
            g_string_append_c (genres, '|');
          g_string_append (genres, ml100k_genres[g]);
        }
    }
  return add_movie (b, name, line_number, 1, "movie id", starts[0], lens[0],
                    g_strstrip (title), genres->str);
}

PwItems *
pw_movielens_parse_ml100k_items (const char    *data,
                                 gsize          length,
                                 const char    *name,
                                 PwReadFlags    flags,
                                 PwReadReport  *report,
                                 GError       **error)
{
  MovieLineParser parse_line = parse_ml100k_item;

  return pw_text_read_data (read_movie_lines, &parse_line, data, length, name ? name : "u.item",
                            flags, report, error);
}

/* ml-latest-small: RFC 4180 CSV with a header ------------------------- */

static gpointer
read_latest_ratings (PwTextReader  *r,
                     gpointer       user_data,
                     GError       **error)
{
  static const char *const names[] = { "USERID", "MOVIEID", "RATING", "TIMESTAMP" };
  static const char *const shown[] = { "userId", "movieId", "rating", "timestamp" };
  g_autoptr(PwInteractions) self = NULL;
  int cols[4];
  guint16 rating_type;

  if (!pw_text_reader_read_header (r, names, 4, 4, cols, error))
    return NULL;

  self = ratings_new (&rating_type);
  while (pw_text_reader_next_row (r, error))
    {
      const char *starts[MAX_FIELDS];
      gsize lens[MAX_FIELDS];

      for (guint k = 0; k < r->csv.fields->len && k < MAX_FIELDS; k++)
        {
          starts[k] = g_ptr_array_index (r->csv.fields, k);
          lens[k] = strlen (starts[k]);
        }
      pw_text_reader_end_row (r, add_rating (self, r->name, r->csv.record_line, shown, cols,
                                             starts, lens, rating_type),
                              error);
    }
  if (r->failed)
    return NULL;
  return g_steal_pointer (&self);
}

PwInteractions *
pw_movielens_parse_latest_ratings (const char    *data,
                                   gsize          length,
                                   const char    *name,
                                   PwReadFlags    flags,
                                   PwReadReport  *report,
                                   GError       **error)
{
  return pw_text_read_data (read_latest_ratings, NULL, data, length, name ? name : "ratings.csv",
                            flags, report, error);
}

static gpointer
read_latest_movies (PwTextReader  *r,
                    gpointer       user_data,
                    GError       **error)
{
  static const char *const names[] = { "MOVIEID", "TITLE", "GENRES" };
  int cols[3];
  ItemsBuilder b;

  if (!pw_text_reader_read_header (r, names, 3, 3, cols, error))
    return NULL;

  builder_init (&b);
  while (pw_text_reader_next_row (r, error))
    {
      GPtrArray *f = r->csv.fields;
      const char *id = g_ptr_array_index (f, cols[0]);

      pw_text_reader_end_row (r, add_movie (&b, r->name, r->csv.record_line, cols[0] + 1, "movieId",
                                            id, strlen (id),
                                            g_ptr_array_index (f, cols[1]),
                                            g_ptr_array_index (f, cols[2])),
                              error);
    }
  return builder_finish (&b, !r->failed);
}

PwItems *
pw_movielens_parse_latest_movies (const char    *data,
                                  gsize          length,
                                  const char    *name,
                                  PwReadFlags    flags,
                                  PwReadReport  *report,
                                  GError       **error)
{
  return pw_text_read_data (read_latest_movies, NULL, data, length, name ? name : "movies.csv",
                            flags, report, error);
}

/* Folders -------------------------------------------------------------- */

static char *
find_file (const char *folder,
           const char *subfolder,
           const char *file)
{
  g_autofree char *direct = g_build_filename (folder, file, NULL);
  g_autofree char *nested = g_build_filename (folder, subfolder, file, NULL);

  if (g_file_test (direct, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&direct);
  if (g_file_test (nested, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&nested);
  return NULL;
}

typedef PwInteractions *(*RatingsParser) (const char *, gsize, const char *, PwReadFlags, PwReadReport *, GError **);
typedef PwItems *(*ItemsParser) (const char *, gsize, const char *, PwReadFlags, PwReadReport *, GError **);

gboolean
pw_movielens_read_folder (PwMovieLensFormat   format,
                          const char         *folder,
                          PwReadFlags         flags,
                          PwReadReport       *report,
                          PwInteractions    **interactions,
                          PwItems           **items,
                          GCancellable       *cancellable,
                          GError            **error)
{
  static const struct {
    const char *ratings, *movies;
    RatingsParser parse_ratings;
    ItemsParser parse_items;
  } formats[] = {
    { "ratings.dat", "movies.dat", pw_movielens_parse_ml1m_ratings, pw_movielens_parse_ml1m_movies },
    { "u.data", "u.item", pw_movielens_parse_ml100k_data, pw_movielens_parse_ml100k_items },
    { "ratings.csv", "movies.csv", pw_movielens_parse_latest_ratings, pw_movielens_parse_latest_movies },
  };
  const char *sub;
  g_autofree char *ratings_path = NULL, *movies_path = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(PwInteractions) t = NULL;
  g_autoptr(PwItems) m = NULL;

  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (formats), FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);

  sub = pw_movielens_format_to_string (format);
  ratings_path = find_file (folder, sub, formats[format].ratings);
  movies_path = find_file (folder, sub, formats[format].movies);
  if (ratings_path == NULL || movies_path == NULL)
    {
      g_autofree char *display = g_filename_display_name (folder);

      g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_MISSING_FILE,
                   _("%s has no %s: it does not look like the %s dataset"),
                   display, ratings_path == NULL ? formats[format].ratings : formats[format].movies, sub);
      return FALSE;
    }

  if (!pw_text_load (ratings_path, &contents, &length, cancellable, error))
    return FALSE;
  t = formats[format].parse_ratings (contents, length, formats[format].ratings, flags, report, error);
  g_clear_pointer (&contents, g_free);
  if (t == NULL)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!pw_text_load (movies_path, &contents, &length, cancellable, error))
    return FALSE;
  /* The movies file's rows are not counted as interaction rows. */
  {
    PwReadReport movies_report = { 0 };

    m = formats[format].parse_items (contents, length, formats[format].movies, flags, &movies_report, error);
    if (report != NULL)
      {
        report->n_skipped += movies_report.n_skipped;
        report->n_empty_lines += movies_report.n_empty_lines;
        report->latin1 |= movies_report.latin1;
        if (report->first_skipped == NULL)
          report->first_skipped = g_steal_pointer (&movies_report.first_skipped);
      }
    pw_read_report_clear (&movies_report);
  }
  if (m == NULL)
    return FALSE;

  *interactions = g_steal_pointer (&t);
  *items = g_steal_pointer (&m);
  return TRUE;
}
