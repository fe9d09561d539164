/* pw-data-error.h: the data layer's error domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PW_DATA_ERROR (pw_data_error_quark ())

/**
 * PwDataError:
 * @PW_DATA_ERROR_PARSE: a file's content is malformed; the message names the
 *   file, the line and the column.
 * @PW_DATA_ERROR_HEADER: a CSV header lacks a required column or repeats one.
 * @PW_DATA_ERROR_ENCODING: text in an encoding we cannot read.
 * @PW_DATA_ERROR_EMPTY: no usable rows.
 * @PW_DATA_ERROR_INVALID_ARGUMENT: an option is out of range.
 * @PW_DATA_ERROR_DOWNLOAD: an HTTP failure (status, truncated transfer).
 * @PW_DATA_ERROR_CHECKSUM: a downloaded file does not match its checksum.
 * @PW_DATA_ERROR_UNSAFE_ARCHIVE: an archive member with an absolute path,
 *   `..`, a link, or a size over the limit.
 * @PW_DATA_ERROR_ARCHIVE: an archive that libarchive cannot read.
 * @PW_DATA_ERROR_MISSING_FILE: a dataset folder lacks an expected file.
 */
typedef enum
{
  PW_DATA_ERROR_PARSE,
  PW_DATA_ERROR_HEADER,
  PW_DATA_ERROR_ENCODING,
  PW_DATA_ERROR_EMPTY,
  PW_DATA_ERROR_INVALID_ARGUMENT,
  PW_DATA_ERROR_DOWNLOAD,
  PW_DATA_ERROR_CHECKSUM,
  PW_DATA_ERROR_UNSAFE_ARCHIVE,
  PW_DATA_ERROR_ARCHIVE,
  PW_DATA_ERROR_MISSING_FILE,
} PwDataError;

GQuark pw_data_error_quark (void);

/**
 * PwReadFlags:
 * @PW_READ_NONE: stop at the first bad row with an error.
 * @PW_READ_SKIP_BAD_ROWS: skip bad rows, count them in the #PwReadReport.
 */
typedef enum
{
  PW_READ_NONE = 0,
  PW_READ_SKIP_BAD_ROWS = 1 << 0,
} PwReadFlags;

/**
 * PwReadReport:
 * @n_rows: rows read (data rows, not counting the header)
 * @n_skipped: bad rows skipped (only with %PW_READ_SKIP_BAD_ROWS)
 * @n_empty_lines: empty lines ignored
 * @first_skipped: the error message of the first skipped row, or %NULL
 * @latin1: %TRUE when the file was not UTF-8 and was read as Latin-1
 *
 * What a reader saw. Zero-initialise it; several reads may accumulate into
 * one report; free its contents with pw_read_report_clear().
 */
typedef struct
{
  guint64  n_rows;
  guint64  n_skipped;
  guint64  n_empty_lines;
  char    *first_skipped;
  gboolean latin1;
} PwReadReport;

void pw_read_report_clear (PwReadReport *report);

G_END_DECLS
