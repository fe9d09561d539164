/* pw-text-private.h: text decoding, line and CSV tokenising, row errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-data-error.h"
#include "pw-time.h"

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

/* "FILE, line N, column C (NAME): VALUE is outside ..." for a time out of
 * pw-time.h's range, or NULL when @seconds is in range. */
GError *pw_time_range_error_new (const char *file,
                                 guint       line,
                                 guint       column,
                                 const char *column_name,
                                 gint64      seconds);

/* Handles a bad row: with PW_READ_SKIP_BAD_ROWS counts it in @report and
 * returns TRUE (go on); otherwise moves @row_error into @error and returns
 * FALSE. */
gboolean pw_row_failed (PwReadFlags   flags,
                        PwReadReport *report,
                        GError       *row_error,
                        GError      **error);

/* Finds @names (upper-case) in the header record: columns[c] = field index
 * or -1; the first @n_required must be present; duplicates are an error. */
gboolean pw_csv_map_header (PwCsv              *csv,
                            const char         *display_name,
                            const char *const  *names,
                            guint               n_names,
                            guint               n_required,
                            int                *columns,
                            GError            **error);

/* A text read row by row, the frame every reader shares: the text decoded
 * (Latin-1 fallback, noted in the report), blank lines counted, bad rows
 * skipped or fatal as the flags say. A PwTextReadFunc reads it by lines
 * (next_line) or as CSV records with a header (read_header, then
 * next_row), not both. */
typedef struct
{
  const char   *name;       /* the display name, for errors */
  PwReadFlags   flags;
  PwReadReport *report;
  gsize         text_len;   /* of the decoded text */
  gboolean      failed;     /* an error was set: reading stopped */
  PwLines       lines;      /* lines.line: the line last returned */
  PwCsv         csv;        /* csv.fields, csv.record_line: the row */
  guint         n_header;   /* fields in the header */
  char         *converted;
} PwTextReader;

/* Reads a whole table from @reader; NULL with @error set on failure. */
typedef gpointer (*PwTextReadFunc) (PwTextReader  *reader,
                                    gpointer       user_data,
                                    GError       **error);

/* Decodes @data, opens a reader on it (@name names it in errors) and
 * returns what @read makes of it. */
gpointer pw_text_read_data (PwTextReadFunc   read,
                            gpointer         user_data,
                            const char      *data,
                            gsize            length,
                            const char      *name,
                            PwReadFlags      flags,
                            PwReadReport    *report,
                            GError         **error);
/* The same for the file at @path (pw_text_load), named in errors by its
 * display basename. */
gpointer pw_text_read_file (PwTextReadFunc   read,
                            gpointer         user_data,
                            const char      *path,
                            PwReadFlags      flags,
                            PwReadReport    *report,
                            GCancellable    *cancellable,
                            GError         **error);

/* The next line that is not blank; FALSE at the end or once failed. */
gboolean pw_text_reader_next_line   (PwTextReader       *reader,
                                     const char        **line,
                                     gsize              *len);
/* Reads the first record that is not blank as the header
 * (pw_csv_map_header); an empty text is an error. */
gboolean pw_text_reader_read_header (PwTextReader       *reader,
                                     const char *const  *names,
                                     guint               n_names,
                                     guint               n_required,
                                     int                *columns,
                                     GError            **error);
/* The next record with as many fields as the header (a record with another
 * count is a bad row); FALSE at the end or once failed. */
gboolean pw_text_reader_next_row    (PwTextReader       *reader,
                                     GError            **error);
/* Ends a row: without @row_error counts it in the report and returns TRUE;
 * with it, handles it as pw_row_failed does (setting ->failed when it is
 * fatal) and returns FALSE. */
gboolean pw_text_reader_end_row     (PwTextReader       *reader,
                                     GError             *row_error,
                                     GError            **error);

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
