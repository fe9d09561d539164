/* pw-movielens.h: the MovieLens readers (ml-1m, ml-100k, ml-latest-small)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-interactions.h"
#include "pw-items.h"

G_BEGIN_DECLS

typedef enum
{
  PW_MOVIELENS_1M,
  PW_MOVIELENS_100K,
  PW_MOVIELENS_LATEST_SMALL,
} PwMovieLensFormat;

/* "ml-1m", "ml-100k", "ml-latest-small" */
const char *pw_movielens_format_to_string   (PwMovieLensFormat  format);
gboolean    pw_movielens_format_from_string (const char        *name,
                                             PwMovieLensFormat *format);
/* https://files.grouplens.org/datasets/movielens/<name>.zip */
char       *pw_movielens_get_url            (PwMovieLensFormat  format);

/**
 * pw_movielens_read_folder:
 * @folder: a folder holding the dataset's files, or holding the folder the
 *   zip unpacks to (`ml-1m/`, `ml-100k/`, `ml-latest-small/`)
 * @interactions: (out): the ratings, EVENT_TYPE "RATING", EVENT_VALUE the
 *   rating, ids as in the files
 * @items: (out): the movies: title and genres (`|`-joined), UTF-8
 *
 * ml-1m: ratings.dat and movies.dat (`::`, Latin-1); ml-100k: u.data (tabs)
 * and u.item (`|`, 19 genre flags, Latin-1); ml-latest-small: ratings.csv
 * and movies.csv (RFC 4180). Bad rows fail with file, line and column, or
 * are skipped and counted with %PW_READ_SKIP_BAD_ROWS.
 */
gboolean pw_movielens_read_folder (PwMovieLensFormat   format,
                                   const char         *folder,
                                   PwReadFlags         flags,
                                   PwReadReport       *report,
                                   PwInteractions    **interactions,
                                   PwItems           **items,
                                   GCancellable       *cancellable,
                                   GError            **error);

/* The parsers, from memory (@name is used in messages). */
PwInteractions *pw_movielens_parse_ml1m_ratings   (const char *data, gsize length, const char *name,
                                                   PwReadFlags flags, PwReadReport *report, GError **error);
PwItems        *pw_movielens_parse_ml1m_movies    (const char *data, gsize length, const char *name,
                                                   PwReadFlags flags, PwReadReport *report, GError **error);
PwInteractions *pw_movielens_parse_ml100k_data    (const char *data, gsize length, const char *name,
                                                   PwReadFlags flags, PwReadReport *report, GError **error);
PwItems        *pw_movielens_parse_ml100k_items   (const char *data, gsize length, const char *name,
                                                   PwReadFlags flags, PwReadReport *report, GError **error);
PwInteractions *pw_movielens_parse_latest_ratings (const char *data, gsize length, const char *name,
                                                   PwReadFlags flags, PwReadReport *report, GError **error);
PwItems        *pw_movielens_parse_latest_movies  (const char *data, gsize length, const char *name,
                                                   PwReadFlags flags, PwReadReport *report, GError **error);

G_END_DECLS
