/* pw-items.h: an items table (ITEM_ID, TITLE, GENRE and other categorical
 * columns)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-data-error.h"
#include "pw-interactions.h"

G_BEGIN_DECLS

/**
 * PwItems:
 * @n_items: number of items
 *
 * A reference-counted table of items, in file order. Every item has an id,
 * a title ("" when unknown) and genres ("Action|Comedy", "" when none);
 * items CSVs may add other categorical columns (pw_items_get_value()).
 */
typedef struct _PwItems PwItems;

struct _PwItems
{
  guint    n_items;

  /*< private >*/
  gpointer priv;
};

PwItems    *pw_items_new            (void);
PwItems    *pw_items_ref            (PwItems     *self);
void        pw_items_unref          (PwItems     *self);

/* Adds an item (or replaces its title and genres); returns its index. */
guint       pw_items_add            (PwItems     *self,
                                     const char  *item_id,
                                     const char  *title,
                                     const char  *genres);
const char *pw_items_get_id         (PwItems     *self,
                                     guint        item);
const char *pw_items_get_title      (PwItems     *self,
                                     guint        item);
const char *pw_items_get_genres     (PwItems     *self,
                                     guint        item);
gboolean    pw_items_lookup         (PwItems     *self,
                                     const char  *item_id,
                                     guint       *item);

/* Extra categorical columns (beyond TITLE and GENRE) from an items CSV. */
guint       pw_items_get_n_columns  (PwItems     *self);
const char *pw_items_get_column_name (PwItems    *self,
                                     guint        column);
const char *pw_items_get_value      (PwItems     *self,
                                     guint        item,
                                     guint        column);

/**
 * pw_items_read_csv:
 *
 * Reads an items CSV: ITEM_ID (required) and any other columns; TITLE
 * becomes the title, GENRE (or GENRES) the genres, the rest are kept as
 * categorical columns. Same rules as pw_interactions_read_csv(); a repeated
 * ITEM_ID is a bad row.
 */
PwItems    *pw_items_read_csv       (const char    *path,
                                     PwReadFlags    flags,
                                     PwReadReport  *report,
                                     GCancellable  *cancellable,
                                     GError       **error);
PwItems    *pw_items_parse_csv      (const char    *data,
                                     gsize          length,
                                     const char    *display_name,
                                     PwReadFlags    flags,
                                     PwReadReport  *report,
                                     GError       **error);

/* training_item.csv: ITEM_ID,GENRE for every item of @interactions (in
 * their order of first appearance); genres from @self (may be NULL). */
void        pw_items_append_training_text (PwItems        *self,
                                     PwInteractions *interactions,
                                     GString        *out);
/* catalog.csv: ITEM_ID,TITLE,GENRE for every item of @self, then the items
 * of @interactions (may be NULL) that @self lacks. */
void        pw_items_append_catalog_text  (PwItems        *self,
                                     PwInteractions *interactions,
                                     GString        *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwItems, pw_items_unref)

G_END_DECLS
