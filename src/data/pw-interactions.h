/* pw-interactions.h: an interactions table (USER_ID, ITEM_ID, TIMESTAMP,
 * EVENT_VALUE, EVENT_TYPE) with ids interned to dense indices
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-data-error.h"

G_BEGIN_DECLS

/**
 * PwInteractions:
 * @n_rows: number of rows
 * @n_users: number of distinct users
 * @n_items: number of distinct items
 * @users: [n_rows] dense user index of each row; users are numbered in order
 *   of first appearance (0, 1, ...)
 * @items: [n_rows] dense item index; items are numbered in order of first
 *   appearance, which is the order `pandas.unique()` gives
 * @timestamps: [n_rows] TIMESTAMP (seconds since the epoch)
 * @values: [n_rows] EVENT_VALUE, NAN when absent
 * @event_types: [n_rows] index into the event type names
 *   (pw_interactions_get_event_type_name()); "" when absent
 * @has_event_value: the source had an EVENT_VALUE column (or ratings)
 * @has_event_type: the source had an EVENT_TYPE column (or is MovieLens)
 *
 * A reference-counted table. The public fields are read-only; build one
 * with pw_interactions_new() and pw_interactions_append(), or with a reader.
 * Ids are strings (Personalize's schema); MovieLens ids are canonical
 * decimal strings ("1193").
 */
typedef struct _PwInteractions PwInteractions;

struct _PwInteractions
{
  guint     n_rows;
  guint     n_users;
  guint     n_items;
  guint32  *users;
  guint32  *items;
  gint64   *timestamps;
  float    *values;
  guint16  *event_types;
  gboolean  has_event_value;
  gboolean  has_event_type;

  /*< private >*/
  gpointer  priv;
};

PwInteractions *pw_interactions_new              (void);
PwInteractions *pw_interactions_ref              (PwInteractions *self);
void            pw_interactions_unref            (PwInteractions *self);

/* Appends one row; interns the ids. @event_type may be NULL (""). */
void            pw_interactions_append           (PwInteractions *self,
                                                  const char     *user_id,
                                                  const char     *item_id,
                                                  gint64          timestamp,
                                                  float           value,
                                                  const char     *event_type);
/* The same with numeric ids (their decimal strings are the ids). */
void            pw_interactions_append_numeric   (PwInteractions *self,
                                                  guint64         user_id,
                                                  guint64         item_id,
                                                  gint64          timestamp,
                                                  float           value,
                                                  const char     *event_type);

const char     *pw_interactions_get_user_id      (PwInteractions *self,
                                                  guint           user);
const char     *pw_interactions_get_item_id      (PwInteractions *self,
                                                  guint           item);
/* Dense index of an id; FALSE when it does not occur. */
gboolean        pw_interactions_lookup_user      (PwInteractions *self,
                                                  const char     *user_id,
                                                  guint          *user);
gboolean        pw_interactions_lookup_item      (PwInteractions *self,
                                                  const char     *item_id,
                                                  guint          *item);
guint           pw_interactions_get_n_event_types (PwInteractions *self);
const char     *pw_interactions_get_event_type_name (PwInteractions *self,
                                                  guint           event_type);
/* The event type of a row ("" when absent). */
const char     *pw_interactions_get_row_event_type (PwInteractions *self,
                                                  guint           row);
/* Sets every row's event type (e.g. "RATING" for MovieLens). */
void            pw_interactions_set_all_event_types (PwInteractions *self,
                                                  const char     *event_type);

/**
 * pw_interactions_read_csv:
 * @path: a Personalize-format interactions CSV: a header with USER_ID,
 *   ITEM_ID and TIMESTAMP (required) and EVENT_TYPE, EVENT_VALUE (optional),
 *   names case-insensitive, any order, other columns ignored
 * @flags: %PW_READ_SKIP_BAD_ROWS to skip bad rows instead of failing
 * @report: (nullable): what was read and skipped
 *
 * Reads the files `prepare` writes (training_interaction.csv, ...) and
 * users' own CSVs: UTF-8 (a BOM is skipped; other text is read as Latin-1),
 * RFC 4180 quoting, CRLF or LF, empty lines ignored. TIMESTAMP is an integer
 * (seconds); EVENT_VALUE a number or empty. Errors name the file, line and
 * column.
 */
PwInteractions *pw_interactions_read_csv         (const char     *path,
                                                  PwReadFlags     flags,
                                                  PwReadReport   *report,
                                                  GCancellable   *cancellable,
                                                  GError        **error);
/* The same from memory; @display_name is used in messages. */
PwInteractions *pw_interactions_parse_csv        (const char     *data,
                                                  gsize           length,
                                                  const char     *display_name,
                                                  PwReadFlags     flags,
                                                  PwReadReport   *report,
                                                  GError        **error);

/* Appends the CSV text (header USER_ID,ITEM_ID,EVENT_VALUE,TIMESTAMP,
 * EVENT_TYPE) of @rows (@n_rows row numbers in order), or of every row when
 * @rows is NULL. */
void            pw_interactions_append_csv_text  (PwInteractions *self,
                                                  const guint32  *rows,
                                                  guint           n_rows,
                                                  GString        *out);
/* Writes that text to @path atomically. */
gboolean        pw_interactions_write_csv        (PwInteractions *self,
                                                  const char     *path,
                                                  const guint32  *rows,
                                                  guint           n_rows,
                                                  GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwInteractions, pw_interactions_unref)

G_END_DECLS
