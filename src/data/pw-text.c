/* pw-text.c: text decoding, line and CSV tokenising, row errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-data"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pw-text-private.h"
#include "pw-time.h"

gboolean
pw_text_load (const char    *path,
              char         **contents,
              gsize         *length,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) local_error = NULL;

  if (!g_file_load_contents (file, cancellable, contents, length, NULL, &local_error))
    {
      g_autofree char *display = g_filename_display_name (path);

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_MISSING_FILE,
                     _("%s: no such file"), display);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, local_error->domain, local_error->code,
                     _("Cannot read %s: %s"), display, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static guint
line_of_offset (const char *data,
                gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n')
      line++;
  return line;
}

gboolean
pw_text_decode (const char  *data,
                gsize        length,
                const char  *display_name,
                gboolean     latin1_fallback,
                const char **text,
                gsize       *text_len,
                char       **converted,
                gboolean    *was_latin1,
                GError     **error)
{
  const char *end_valid = NULL;

  *converted = NULL;
  if (was_latin1 != NULL)
    *was_latin1 = FALSE;

  if (length >= 2 && (((guchar) data[0] == 0xFF && (guchar) data[1] == 0xFE) ||
                      ((guchar) data[0] == 0xFE && (guchar) data[1] == 0xFF)))
    {
      g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_ENCODING,
                   _("%s is UTF-16 text; save it as UTF-8 and try again"), display_name);
      return FALSE;
    }
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  if (g_utf8_validate_len (data, length, &end_valid) && memchr (data, '\0', length) == NULL)
    {
      *text = data;
      *text_len = length;
      return TRUE;
    }

  if (end_valid != NULL && (gsize) (end_valid - data) < length && *end_valid == '\0')
    {
      g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_ENCODING,
                   _("%s, line %u: a NUL byte; this is not a text file"),
                   display_name, line_of_offset (data, end_valid - data));
      return FALSE;
    }
  if (memchr (data, '\0', length) != NULL)
    {
      const char *nul = memchr (data, '\0', length);

      g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_ENCODING,
                   _("%s, line %u: a NUL byte; this is not a text file"),
                   display_name, line_of_offset (data, nul - data));
      return FALSE;
    }

  if (!latin1_fallback)
    {
      g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_ENCODING,
                   _("%s, line %u: not valid UTF-8; save the file as UTF-8"),
                   display_name, line_of_offset (data, end_valid - data));
      return FALSE;
    }

  /* Latin-1: every byte is its own code point. */
  {
    char *out = g_malloc (length * 2 + 1);
    char *o = out;

    for (gsize i = 0; i < length; i++)
      {
        guchar c = (guchar) data[i];

        if (c < 0x80)
          *o++ = (char) c;
        else
          {
            *o++ = (char) (0xC0 | (c >> 6));
            *o++ = (char) (0x80 | (c & 0x3F));
          }
      }
    *o = '\0';
    *converted = out;
    *text = out;
    *text_len = o - out;
    if (was_latin1 != NULL)
      *was_latin1 = TRUE;
  }
  return TRUE;
}

void
pw_lines_init (PwLines    *lines,
               const char *text,
               gsize       len)
{
  lines->p = text;
  lines->end = text + len;
  lines->line = 0;
}

gboolean
pw_lines_next (PwLines     *lines,
               const char **line,
               gsize       *len)
{
  const char *p = lines->p;
  const char *e;

  if (p >= lines->end)
    return FALSE;

  e = p;
  while (e < lines->end && *e != '\n' && *e != '\r')
    e++;
  *line = p;
  *len = e - p;
  if (e < lines->end)
    {
      if (*e == '\r' && e + 1 < lines->end && e[1] == '\n')
        e += 2;
      else
        e++;
    }
  lines->p = e;
  lines->line++;
  return TRUE;
}

void
pw_csv_init (PwCsv      *csv,
             const char *text,
             gsize       len,
             char        sep)
{
  csv->p = text;
  csv->end = text + len;
  csv->line = 1;
  csv->record_line = 0;
  csv->sep = sep;
  csv->buf = g_string_sized_new (256);
  csv->offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  csv->fields = g_ptr_array_new ();
}

void
pw_csv_clear (PwCsv *csv)
{
  if (csv->buf != NULL)
    g_string_free (csv->buf, TRUE);
  g_clear_pointer (&csv->offsets, g_array_unref);
  g_clear_pointer (&csv->fields, g_ptr_array_unref);
  csv->buf = NULL;
}

int
pw_csv_next (PwCsv  *csv,
             char  **message)
{
  const char *p = csv->p;
  const char *end = csv->end;
  GString *buf = csv->buf;
  const char sep = csv->sep;
  gboolean done = FALSE;
  gsize n_fields = 0;

  if (p >= end)
    return 0;

  g_string_truncate (buf, 0);
  csv->record_line = csv->line;

  while (!done)
    {
      gsize start = buf->len;

      if (n_fields == csv->offsets->len)
        g_array_set_size (csv->offsets, n_fields + 8);
      g_array_index (csv->offsets, gsize, n_fields++) = start;

      if (p < end && *p == '"')
        {
          guint quote_line = csv->line;

          p++;
          for (;;)
            {
              const char *q = memchr (p, '"', end - p);

              if (q == NULL)
                {
                  *message = g_strdup_printf (_("line %u: a quoted field is never closed"), quote_line);
                  csv->p = end;
                  return -1;
                }
              for (const char *k = p; k < q; k++)
                if (*k == '\n' || (*k == '\r' && (k + 1 >= q || k[1] != '\n')))
                  csv->line++;
              g_string_append_len (buf, p, q - p);
              p = q + 1;
              if (p < end && *p == '"')
                {
                  g_string_append_c (buf, '"');
                  p++;
                  continue;
                }
              break;
            }
        }
      /* Unquoted text (or text after a closing quote, kept as is). */
      {
        const char *s = p;

        while (p < end && *p != sep && *p != '\n' && *p != '\r')
          p++;
        if (p > s)
          g_string_append_len (buf, s, p - s);
      }
      g_string_append_c (buf, '\0');

      if (p >= end)
        done = TRUE;
      else if (*p == sep)
        p++;
      else
        {
          if (*p == '\r' && p + 1 < end && p[1] == '\n')
            p += 2;
          else
            p++;
          csv->line++;
          done = TRUE;
        }
    }

  csv->p = p;
  g_ptr_array_set_size (csv->fields, n_fields);
  for (gsize i = 0; i < n_fields; i++)
    csv->fields->pdata[i] = buf->str + g_array_index (csv->offsets, gsize, i);
  return 1;
}

gboolean
pw_csv_record_is_blank (PwCsv *csv)
{
  const char *s;

  if (csv->fields->len != 1)
    return FALSE;
  for (s = g_ptr_array_index (csv->fields, 0); *s != '\0'; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

GError *
pw_row_error_new (const char *file,
                  guint       line,
                  guint       column,
                  const char *column_name,
                  const char *format,
                  ...)
{
  va_list args;
  g_autofree char *detail = NULL;
  GError *error;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  if (column > 0 && column_name != NULL)
    /* Translators: FILE, line N, column N (COLUMN NAME): what is wrong */
    error = g_error_new (PW_DATA_ERROR, PW_DATA_ERROR_PARSE, _("%s, line %u, column %u (%s): %s"),
                         file, line, column, column_name, detail);
  else if (column > 0)
    error = g_error_new (PW_DATA_ERROR, PW_DATA_ERROR_PARSE, _("%s, line %u, column %u: %s"),
                         file, line, column, detail);
  else
    error = g_error_new (PW_DATA_ERROR, PW_DATA_ERROR_PARSE, _("%s, line %u: %s"),
                         file, line, detail);
  return error;
}

gboolean
pw_row_failed (PwReadFlags   flags,
               PwReadReport *report,
               GError       *row_error,
               GError      **error)
{
  if ((flags & PW_READ_SKIP_BAD_ROWS) != 0)
    {
      if (report != NULL)
        {
          report->n_skipped++;
          if (report->first_skipped == NULL)
            report->first_skipped = g_strdup (row_error->message);
        }
      g_error_free (row_error);
      return TRUE;
    }
  g_propagate_error (error, row_error);
  return FALSE;
}

gboolean
pw_csv_map_header (PwCsv              *csv,
                   const char         *display_name,
                   const char *const  *names,
                   guint               n_names,
                   guint               n_required,
                   int                *columns,
                   GError            **error)
{
  GPtrArray *fields = csv->fields;
  g_autofree int *first_seen = g_new (int, n_names);

  for (guint c = 0; c < n_names; c++)
    columns[c] = first_seen[c] = -1;

  for (guint f = 0; f < fields->len; f++)
    {
      g_autofree char *name = pw_header_name (g_ptr_array_index (fields, f));

      for (guint c = 0; c < n_names; c++)
        if (strcmp (name, names[c]) == 0)
          {
            if (columns[c] >= 0)
              {
                g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_HEADER,
                             _("%s, line %u: the header names %s twice (columns %u and %u)"),
                             display_name, csv->record_line, names[c], (guint) columns[c] + 1, f + 1);
                return FALSE;
              }
            columns[c] = f;
          }
    }

  /* Any other repeated name is a mistake too. */
  for (guint f = 0; f < fields->len; f++)
    for (guint g = f + 1; g < fields->len; g++)
      {
        g_autofree char *a = pw_header_name (g_ptr_array_index (fields, f));
        g_autofree char *b = pw_header_name (g_ptr_array_index (fields, g));

        if (*a != '\0' && strcmp (a, b) == 0)
          {
            g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_HEADER,
                         _("%s, line %u: the header names %s twice (columns %u and %u)"),
                         display_name, csv->record_line, a, f + 1, g + 1);
            return FALSE;
          }
        if (fields->len > 64)
          break;
      }

  for (guint c = 0; c < n_required; c++)
    if (columns[c] < 0)
      {
        g_autoptr(GString) found = g_string_new (NULL);

        for (guint f = 0; f < fields->len; f++)
          {
            if (f > 0)
              g_string_append (found, ", ");
            g_string_append (found, g_ptr_array_index (fields, f));
          }
        g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_HEADER,
                     _("%s, line %u: the header has no %s column (it has: %s)"),
                     display_name, csv->record_line, names[c], found->str);
        return FALSE;
      }
  return TRUE;
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

gpointer
pw_text_read_data (PwTextReadFunc   read,
                   gpointer         user_data,
                   const char      *data,
                   gsize            length,
                   const char      *name,
                   PwReadFlags      flags,
                   PwReadReport    *report,
                   GError         **error)
{
  PwTextReader reader = { 0 };
  const char *text;
  gboolean latin1 = FALSE;
  gpointer result;

  if (!pw_text_decode (data ? data : "", length, name, TRUE,
                       &text, &reader.text_len, &reader.converted, &latin1, error))
    return NULL;
  if (report != NULL && latin1)
    report->latin1 = TRUE;
  reader.name = name;
  reader.flags = flags;
  reader.report = report;
  pw_lines_init (&reader.lines, text, reader.text_len);
  pw_csv_init (&reader.csv, text, reader.text_len, ',');
  result = read (&reader, user_data, error);
  pw_csv_clear (&reader.csv);
  g_free (reader.converted);
  return result;
}

gpointer
pw_text_read_file (PwTextReadFunc   read,
                   gpointer         user_data,
                   const char      *path,
                   PwReadFlags      flags,
                   PwReadReport    *report,
                   GCancellable    *cancellable,
                   GError         **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  gsize length;

  if (!pw_text_load (path, &contents, &length, cancellable, error))
    return NULL;
  display = g_filename_display_basename (path);
  return pw_text_read_data (read, user_data, contents, length, display, flags, report, error);
}

gboolean
pw_text_reader_next_line (PwTextReader  *reader,
                          const char   **line,
                          gsize         *len)
{
  while (!reader->failed && pw_lines_next (&reader->lines, line, len))
    {
      if (!is_blank (*line, *len))
        return TRUE;
      if (reader->report != NULL)
        reader->report->n_empty_lines++;
    }
  return FALSE;
}

/* The next record that is not blank. */
static gboolean
next_record (PwTextReader  *reader,
             GError       **error)
{
  char *message = NULL;
  int rc;

  while (!reader->failed && (rc = pw_csv_next (&reader->csv, &message)) != 0)
    {
      if (rc < 0)
        {
          g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_PARSE, "%s, %s", reader->name, message);
          g_free (message);
          reader->failed = TRUE;
          return FALSE;
        }
      if (!pw_csv_record_is_blank (&reader->csv))
        return TRUE;
      if (reader->report != NULL)
        reader->report->n_empty_lines++;
    }
  return FALSE;
}

gboolean
pw_text_reader_read_header (PwTextReader       *reader,
                            const char *const  *names,
                            guint               n_names,
                            guint               n_required,
                            int                *columns,
                            GError            **error)
{
  if (!next_record (reader, error))
    {
      if (!reader->failed)
        g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_HEADER,
                     _("%s is empty: it has no header line"), reader->name);
      reader->failed = TRUE;
      return FALSE;
    }
  if (!pw_csv_map_header (&reader->csv, reader->name, names, n_names, n_required, columns, error))
    {
      reader->failed = TRUE;
      return FALSE;
    }
  reader->n_header = reader->csv.fields->len;
  return TRUE;
}

gboolean
pw_text_reader_next_row (PwTextReader  *reader,
                         GError       **error)
{
  while (next_record (reader, error))
    {
      if (reader->csv.fields->len == reader->n_header)
        return TRUE;
      pw_text_reader_end_row (reader,
                              pw_row_error_new (reader->name, reader->csv.record_line, 0, NULL,
                                                _("expected %u fields as in the header, found %u"),
                                                reader->n_header, reader->csv.fields->len),
                              error);
    }
  return FALSE;
}

gboolean
pw_text_reader_end_row (PwTextReader  *reader,
                        GError        *row_error,
                        GError       **error)
{
  if (row_error == NULL)
    {
      if (reader->report != NULL)
        reader->report->n_rows++;
      return TRUE;
    }
  if (!pw_row_failed (reader->flags, reader->report, row_error, error))
    reader->failed = TRUE;
  return FALSE;
}

static void
trim (const char **s,
      gsize       *len)
{
  while (*len > 0 && g_ascii_isspace ((*s)[0]))
    {
      (*s)++;
      (*len)--;
    }
  while (*len > 0 && g_ascii_isspace ((*s)[*len - 1]))
    (*len)--;
}

gboolean
pw_parse_uint64 (const char *s,
                 gsize       len,
                 guint64    *out)
{
  guint64 v = 0;

  trim (&s, &len);
  if (len == 0 || len > 20)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      guint d;

      if (s[i] < '0' || s[i] > '9')
        return FALSE;
      d = s[i] - '0';
      if (v > (G_MAXUINT64 - d) / 10)
        return FALSE;
      v = v * 10 + d;
    }
  *out = v;
  return TRUE;
}

gboolean
pw_parse_int64 (const char *s,
                gsize       len,
                gint64     *out)
{
  gboolean negative = FALSE;
  guint64 v;

  trim (&s, &len);
  if (len > 0 && (s[0] == '-' || s[0] == '+'))
    {
      negative = s[0] == '-';
      s++;
      len--;
    }
  if (!pw_parse_uint64 (s, len, &v) || len == 0 || g_ascii_isspace (s[0]))
    return FALSE;
  if (negative)
    {
      if (v > (guint64) G_MAXINT64 + 1)
        return FALSE;
      *out = v == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) v;
    }
  else
    {
      if (v > G_MAXINT64)
        return FALSE;
      *out = (gint64) v;
    }
  return TRUE;
}

gboolean
pw_parse_float (const char *s,
                gsize       len,
                float      *out)
{
  char tmp[64];
  char *endp = NULL;
  double v;

  trim (&s, &len);
  if (len == 0 || len >= sizeof tmp)
    return FALSE;
  /* Whole numbers (ratings) need no strtod. */
  if (len <= 6)
    {
      guint whole = 0;
      gsize i;

      for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        whole = whole * 10 + (s[i] - '0');
      if (i == len)
        {
          *out = (float) whole;
          return TRUE;
        }
    }
  /* g_ascii_strtod accepts "nan", "inf" and hex; we want plain decimals. */
  for (gsize i = 0; i < len; i++)
    if (!(g_ascii_isdigit (s[i]) || s[i] == '.' || s[i] == '-' || s[i] == '+' ||
          s[i] == 'e' || s[i] == 'E'))
      return FALSE;
  memcpy (tmp, s, len);
  tmp[len] = '\0';
  errno = 0;
  v = g_ascii_strtod (tmp, &endp);
  if (endp != tmp + len || errno != 0 || !isfinite (v) || fabs (v) > G_MAXFLOAT)
    return FALSE;
  *out = (float) v;
  return TRUE;
}

char *
pw_header_name (const char *s)
{
  gsize len = strlen (s);

  trim (&s, &len);
  return g_ascii_strup (s, len);
}

void
pw_csv_append_field (GString    *out,
                     const char *s)
{
  if (s == NULL)
    return;
  if (strpbrk (s, ",\"\r\n") == NULL)
    {
      g_string_append (out, s);
      return;
    }
  g_string_append_c (out, '"');
  for (; *s != '\0'; s++)
    {
      if (*s == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *s);
    }
  g_string_append_c (out, '"');
}

void
pw_csv_append_int64 (GString *out,
                     gint64   v)
{
  char buf[24];
  char *p = buf + sizeof buf;
  guint64 u = v < 0 ? (guint64) 0 - (guint64) v : (guint64) v;

  do
    {
      *--p = (char) ('0' + u % 10);
      u /= 10;
    }
  while (u > 0);
  if (v < 0)
    *--p = '-';
  g_string_append_len (out, p, buf + sizeof buf - p);
}

void
pw_csv_append_float (GString *out,
                     float    v)
{
  char tmp[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (v))
    return;
  if (v == floorf (v) && fabsf (v) < 1e9f)
    {
      pw_csv_append_int64 (out, (gint64) v);
      return;
    }
  for (int digits = 6; digits <= 9; digits++)
    {
      g_ascii_formatd (tmp, sizeof tmp, digits == 6 ? "%.6g" : digits == 7 ? "%.7g" : digits == 8 ? "%.8g" : "%.9g", v);
      if ((float) g_ascii_strtod (tmp, NULL) == v)
        break;
    }
  g_string_append (out, tmp);
}

char *
pw_describe_value (const char *s,
                   gsize       len)
{
  GString *out = g_string_new ("“");
  gsize n = MIN (len, 40);
  const char *end;

  /* Cut on a character boundary. */
  if (!g_utf8_validate_len (s, n, &end))
    n = end - s;
  for (gsize i = 0; i < n; i++)
    {
      if ((guchar) s[i] < 0x20)
        g_string_append_printf (out, "\\x%02x", (guchar) s[i]);
      else
        g_string_append_c (out, s[i]);
    }
  if (n < len)
    g_string_append (out, "…");
  g_string_append (out, "”");
  return g_string_free (out, FALSE);
}

GError *
pw_time_range_error_new (const char *file,
                         guint       line,
                         guint       column,
                         const char *column_name,
                         gint64      seconds)
{
  g_autofree char *shown = g_strdup_printf ("%" G_GINT64_FORMAT, seconds);

  if (pw_time_in_range (seconds))
    return NULL;
  if (seconds > PW_TIME_MAX && pw_time_in_range (seconds / 1000))
    return pw_row_error_new (file, line, column, column_name,
                             /* Translators: %s is a number */
                             _("%s is after the year 9999: times are seconds since 1970, not milliseconds"),
                             shown);
  return pw_row_error_new (file, line, column, column_name,
                           /* Translators: %s is a number */
                           _("%s is not a time between 1970 and the year 9999 (seconds since "
                             "1970-01-01 UTC)"), shown);
}
