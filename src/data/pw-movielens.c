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

static gboolean
is_blank (const char *s,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (s[i]))
      return FALSE;
  return TRUE;
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
  pw_interactions_append_indices (self,
                                  pw_interactions_intern_user_numeric (self, user),
                                  pw_interactions_intern_item_numeric (self, item),
                                  ts, rating, rating_type);
  return NULL;
}

static PwInteractions *
parse_rating_lines (const char         *data,
                    gsize               length,
                    const char         *name,
                    const char         *sep,
                    const char         *sep_shown,
                    const char *const  *col_names,
                    PwReadFlags         flags,
                    PwReadReport       *report,
                    GError            **error)
{
  g_autoptr(PwInteractions) self = NULL;
  g_autofree char *converted = NULL;
  static const int cols[4] = { 0, 1, 2, 3 };
  const char *text;
  gsize text_len;
  gboolean latin1;
  PwLines lines;
  const char *line;
  gsize len;
  gsize sep_len = strlen (sep);
  guint16 rating_type;

  if (!pw_text_decode (data ? data : "", length, name, TRUE, &text, &text_len, &converted, &latin1, error))
    return NULL;
  if (report != NULL && latin1)
    report->latin1 = TRUE;

  self = pw_interactions_new ();
  pw_interactions_reserve (self, MAX (16, text_len / 20));
  rating_type = pw_interactions_intern_event_type (self, "RATING", 6);
  self->has_event_type = TRUE;
  self->has_event_value = TRUE;
  pw_lines_init (&lines, text, text_len);
  while (pw_lines_next (&lines, &line, &len))
    {
      const char *starts[MAX_FIELDS];
      gsize lens[MAX_FIELDS];
      guint n;
      GError *row_error;

      if (is_blank (line, len))
        {
          if (report != NULL)
            report->n_empty_lines++;
          continue;
        }
      n = split_fields (line, len, sep, sep_len, starts, lens);
      if (n != 4)
        row_error = pw_row_error_new (name, lines.line, 0, NULL,
                                      _("expected 4 fields separated by %s, found %u"), sep_shown, n);
      else
        row_error = add_rating (self, name, lines.line, col_names, cols, starts, lens, rating_type);
      if (row_error != NULL)
        {
          if (!pw_row_failed (flags, report, row_error, error))
            return NULL;
          continue;
        }
      if (report != NULL)
        report->n_rows++;
    }
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

  return parse_rating_lines (data, length, name ? name : "ratings.dat", "::", "“::”", names,
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

  return parse_rating_lines (data, length, name ? name : "u.data", "\t", _("tabs"), names,
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

PwItems *
pw_movielens_parse_ml1m_movies (const char    *data,
                                gsize          length,
                                const char    *name,
                                PwReadFlags    flags,
                                PwReadReport  *report,
                                GError       **error)
{
  g_autofree char *converted = NULL;
  const char *text;
  gsize text_len;
  gboolean latin1;
  PwLines lines;
  const char *line;
  gsize len;
  ItemsBuilder b;
  gboolean ok = TRUE;

  if (name == NULL)
    name = "movies.dat";
  if (!pw_text_decode (data ? data : "", length, name, TRUE, &text, &text_len, &converted, &latin1, error))
    return NULL;
  if (report != NULL && latin1)
    report->latin1 = TRUE;

  builder_init (&b);
  pw_lines_init (&lines, text, text_len);
  while (ok && pw_lines_next (&lines, &line, &len))
    {
      const char *first = NULL, *last = NULL;
      GError *row_error = NULL;

      if (is_blank (line, len))
        {
          if (report != NULL)
            report->n_empty_lines++;
          continue;
        }
      for (gsize i = 0; i + 1 < len; i++)
        if (line[i] == ':' && line[i + 1] == ':')
          {
            if (first == NULL)
              first = line + i;
            last = line + i;
            i++;
          }
      if (first == NULL || first == last)
        row_error = pw_row_error_new (name, lines.line, 0, NULL,
                                      _("expected MovieID::Title::Genres"));
      else
        {
          g_autofree char *title = g_strndup (first + 2, last - first - 2);
          g_autofree char *genres = g_strndup (last + 2, line + len - last - 2);

          g_strstrip (title);
          g_strstrip (genres);
          row_error = add_movie (&b, name, lines.line, 1, "MovieID", line, first - line, title, genres);
        }
      if (row_error != NULL)
        ok = pw_row_failed (flags, report, row_error, error);
      else if (report != NULL)
        report->n_rows++;
    }
  return builder_finish (&b, ok);
}

static const char *const ml100k_genres[19] = {
  "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
  "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
  "Romance", "Sci-Fi", "Thriller", "War", "Western",
};

PwItems *
pw_movielens_parse_ml100k_items (const char    *data,
                                 gsize          length,
                                 const char    *name,
                                 PwReadFlags    flags,
                                 PwReadReport  *report,
                                 GError       **error)
{
  g_autofree char *converted = NULL;
  const char *text;
  gsize text_len;
  gboolean latin1;
  PwLines lines;
  const char *line;
  gsize len;
  ItemsBuilder b;
  gboolean ok = TRUE;

  if (name == NULL)
    name = "u.item";
  if (!pw_text_decode (data ? data : "", length, name, TRUE, &text, &text_len, &converted, &latin1, error))
    return NULL;
  if (report != NULL && latin1)
    report->latin1 = TRUE;

  builder_init (&b);
  pw_lines_init (&lines, text, text_len);
  while (ok && pw_lines_next (&lines, &line, &len))
    {
      const char *starts[MAX_FIELDS];
      gsize lens[MAX_FIELDS];
      guint n;
      GError *row_error = NULL;

      if (is_blank (line, len))
        {
          if (report != NULL)
            report->n_empty_lines++;
          continue;
        }
      n = split_fields (line, len, "|", 1, starts, lens);
      if (n != 24)
        row_error = pw_row_error_new (name, lines.line, 0, NULL,
                                      _("expected 24 fields separated by “|”, found %u"), n);
      else
        {
          g_autoptr(GString) genres = g_string_new (NULL);
          g_autofree char *title = g_strndup (starts[1], lens[1]);

          for (guint g = 0; g < 19 && row_error == NULL; g++)
            {
              const char *f = starts[5 + g];

              if (lens[5 + g] != 1 || (f[0] != '0' && f[0] != '1'))
                row_error = value_error (name, lines.line, 6 + g, ml100k_genres[g], f, lens[5 + g],
                                         NOT_FLAG);
              else if (f[0] == '1')
                {
                  if (genres->len > 0)
                    g_string_append_c (genres, '|');
                  g_string_append (genres, ml100k_genres[g]);
                }
            }
          if (row_error == NULL)
            row_error = add_movie (&b, name, lines.line, 1, "movie id", starts[0], lens[0],
                                   g_strstrip (title), genres->str);
        }
      if (row_error != NULL)
        ok = pw_row_failed (flags, report, row_error, error);
      else if (report != NULL)
        report->n_rows++;
    }
  return builder_finish (&b, ok);
}

/* ml-latest-small: RFC 4180 CSV with a header ------------------------- */

static gboolean
csv_begin (const char  *data,
           gsize        length,
           const char  *name,
           char       **converted,
           PwCsv       *csv,
           PwReadReport *report,
           GError     **error)
{
  const char *text;
  gsize text_len;
  gboolean latin1;

  if (!pw_text_decode (data ? data : "", length, name, TRUE, &text, &text_len, converted, &latin1, error))
    return FALSE;
  if (report != NULL && latin1)
    report->latin1 = TRUE;
  pw_csv_init (csv, text, text_len, ',');
  return TRUE;
}

/* Returns 1 with a record, 0 at the end, -1 on a fatal error. */
static int
csv_next_record (PwCsv        *csv,
                 const char   *name,
                 PwReadReport *report,
                 GError      **error)
{
  for (;;)
    {
      char *message = NULL;
      int rc = pw_csv_next (csv, &message);

      if (rc < 0)
        {
          g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_PARSE, "%s, %s", name, message);
          g_free (message);
          return -1;
        }
      if (rc == 0)
        return 0;
      if (pw_csv_record_is_blank (csv))
        {
          if (report != NULL)
            report->n_empty_lines++;
          continue;
        }
      return 1;
    }
}

PwInteractions *
pw_movielens_parse_latest_ratings (const char    *data,
                                   gsize          length,
                                   const char    *name,
                                   PwReadFlags    flags,
                                   PwReadReport  *report,
                                   GError       **error)
{
  static const char *const names[] = { "USERID", "MOVIEID", "RATING", "TIMESTAMP" };
  static const char *const shown[] = { "userId", "movieId", "rating", "timestamp" };
  g_autoptr(PwInteractions) self = NULL;
  g_autofree char *converted = NULL;
  PwCsv csv;
  int cols[4];
  guint n_header;
  guint16 rating_type;
  gboolean ok = TRUE;
  int rc;

  if (name == NULL)
    name = "ratings.csv";
  if (!csv_begin (data, length, name, &converted, &csv, report, error))
    return NULL;

  rc = csv_next_record (&csv, name, report, error);
  if (rc == 0)
    g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_HEADER, _("%s is empty: it has no header line"), name);
  if (rc <= 0 || !pw_csv_map_header (&csv, name, names, 4, 4, cols, error))
    {
      pw_csv_clear (&csv);
      return NULL;
    }
  n_header = csv.fields->len;

  self = pw_interactions_new ();
  rating_type = pw_interactions_intern_event_type (self, "RATING", 6);
  self->has_event_type = TRUE;
  self->has_event_value = TRUE;
  while (ok && (rc = csv_next_record (&csv, name, report, error)) > 0)
    {
      const char *starts[MAX_FIELDS];
      gsize lens[MAX_FIELDS];
      GError *row_error;

      if (csv.fields->len != n_header)
        row_error = pw_row_error_new (name, csv.record_line, 0, NULL,
                                      _("expected %u fields as in the header, found %u"),
                                      n_header, csv.fields->len);
      else
        {
          for (guint k = 0; k < csv.fields->len && k < MAX_FIELDS; k++)
            {
              starts[k] = g_ptr_array_index (csv.fields, k);
              lens[k] = strlen (starts[k]);
            }
          row_error = add_rating (self, name, csv.record_line, shown, cols, starts, lens, rating_type);
        }
      if (row_error != NULL)
        ok = pw_row_failed (flags, report, row_error, error);
      else if (report != NULL)
        report->n_rows++;
    }
  pw_csv_clear (&csv);
  if (!ok || rc < 0)
    return NULL;
  return g_steal_pointer (&self);
}

PwItems *
pw_movielens_parse_latest_movies (const char    *data,
                                  gsize          length,
                                  const char    *name,
                                  PwReadFlags    flags,
                                  PwReadReport  *report,
                                  GError       **error)
{
  static const char *const names[] = { "MOVIEID", "TITLE", "GENRES" };
  g_autofree char *converted = NULL;
  PwCsv csv;
  int cols[3];
  guint n_header;
  gboolean ok = TRUE;
  ItemsBuilder b;
  int rc;

  if (name == NULL)
    name = "movies.csv";
  if (!csv_begin (data, length, name, &converted, &csv, report, error))
    return NULL;

  rc = csv_next_record (&csv, name, report, error);
  if (rc == 0)
    g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_HEADER, _("%s is empty: it has no header line"), name);
  if (rc <= 0 || !pw_csv_map_header (&csv, name, names, 3, 3, cols, error))
    {
      pw_csv_clear (&csv);
      return NULL;
    }
  n_header = csv.fields->len;

  builder_init (&b);
  while (ok && (rc = csv_next_record (&csv, name, report, error)) > 0)
    {
      GPtrArray *f = csv.fields;
      GError *row_error;

      if (f->len != n_header)
        row_error = pw_row_error_new (name, csv.record_line, 0, NULL,
                                      _("expected %u fields as in the header, found %u"),
                                      n_header, f->len);
      else
        {
          const char *id = g_ptr_array_index (f, cols[0]);

          row_error = add_movie (&b, name, csv.record_line, cols[0] + 1, "movieId", id, strlen (id),
                                 g_ptr_array_index (f, cols[1]), g_ptr_array_index (f, cols[2]));
        }
      if (row_error != NULL)
        ok = pw_row_failed (flags, report, row_error, error);
      else if (report != NULL)
        report->n_rows++;
    }
  pw_csv_clear (&csv);
  return builder_finish (&b, ok && rc >= 0);
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
