/* pw-text-private.h: text decoding, line and CSV tokenising, row errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-data-error.h"

G_BEGIN_DECLS

/* Loads @path whole (a NUL is appended). */
gboolean pw_text_load (const char    *path,
                       char         **contents,
                       gsize         *length,
                       GCancellable  *cancellable,
                       GError       **error);

/* Strips a UTF-8 BOM; refuses UTF-16/32. When @data is not valid UTF-8 and
 * @latin1_fallback, converts it from Latin-1 into *@converted (else an
 * error naming the line). On return *@text and *@text_len point at the UTF-8
 * text (inside @data or *@converted). */
gboolean pw_text_decode (const char  *data,
                         gsize        length,
                         const char  *display_name,
                         gboolean     latin1_fallback,
                         const char **text,
                         gsize       *text_len,
                         char       **converted,
                         gboolean    *was_latin1,
                         GError     **error);

/* Lines: strips "\r\n", "\n" or "\r". Returns FALSE at the end. */
typedef struct
{
  const char *p;
  const char *end;
  guint       line;      /* the number of the line last returned, 1-based */
} PwLines;

void     pw_lines_init (PwLines     *lines,
                        const char  *text,
                        gsize        len);
gboolean pw_lines_next (PwLines     *lines,
                        const char **line,
                        gsize       *len);

/* RFC 4180 records: fields separated by @sep, "quoted" fields with ""
 * escapes and line breaks, CRLF/LF/CR record ends. */
typedef struct
{
  const char *p;
  const char *end;
  guint       line;         /* line at p */
  guint       record_line;  /* first line of the record last returned */
  char        sep;
  GString    *buf;
  GArray     *offsets;
  GPtrArray  *fields;       /* char *, valid until the next call */
} PwCsv;

void pw_csv_init  (PwCsv      *csv,
                   const char *text,
                   gsize       len,
                   char        sep);
void pw_csv_clear (PwCsv      *csv);
/* 1: a record in csv->fields; 0: end of input; -1: *message set (an
 * unterminated quote: the rest of the input is consumed). */
int  pw_csv_next  (PwCsv      *csv,
                   char      **message);
/* TRUE when the record last returned is an empty or blank line. */
gboolean pw_csv_record_is_blank (PwCsv *csv);

/* "FILE, line N, column C (NAME): MESSAGE" as a PW_DATA_ERROR_PARSE. */
GError *pw_row_error_new (const char *file,
                          guint       line,
                          guint       column,
                          const char *column_name,
                          const char *format,
                          ...) G_GNUC_PRINTF (5, 6);

/* Handles a bad row: with PW_READ_SKIP_BAD_ROWS counts it in @report and
 * returns TRUE (go on); otherwise moves @row_error into @error and returns
 * FALSE. */
gboolean pw_row_failed (PwReadFlags   flags,
                        PwReadReport *report,
                        GError       *row_error,
                        GError      **error);

/* Parses a whole string as a decimal integer (optional sign, surrounding
 * spaces allowed). */
gboolean pw_parse_int64  (const char *s,
                          gsize       len,
                          gint64     *out);
/* A non-negative integer with digits only. */
gboolean pw_parse_uint64 (const char *s,
                          gsize       len,
                          guint64    *out);
/* A finite float ("4", "3.5", "1e3"); spaces allowed around it. */
gboolean pw_parse_float  (const char *s,
                          gsize       len,
                          float      *out);

/* An ASCII-trimmed, upper-cased copy (for header names). */
char *pw_header_name (const char *s);

/* Appends @s as one CSV field (quoted when it holds , " CR or LF). */
void pw_csv_append_field (GString    *out,
                          const char *s);
/* Appends a decimal integer. */
void pw_csv_append_int64 (GString *out,
                          gint64   v);
/* Appends the shortest decimal that reads back as @v ("5", "3.5"); nothing
 * for NAN. */
void pw_csv_append_float (GString *out,
                          float    v);

/* Describes a field for an error message: quoted, shortened, escaped. */
char *pw_describe_value (const char *s,
                         gsize       len);

G_END_DECLS
