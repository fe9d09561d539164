/* pw-download.h: downloads with progress, resume and checksum (libsoup)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pw-movielens.h"

G_BEGIN_DECLS

/**
 * PwDownloadProgress:
 * @received: bytes of the file we have (including a resumed part)
 * @total: the file's size, or 0 when the server does not say
 *
 * Called from the thread that downloads.
 */
typedef void (*PwDownloadProgress) (guint64  received,
                                    guint64  total,
                                    gpointer user_data);

/**
 * pw_download_file:
 * @url: an http(s) URL
 * @destination: where the file goes; `DESTINATION.part` holds a partial
 *   download, resumed with a Range request when the server allows it and
 *   restarted otherwise
 * @expected_md5: (nullable): 32 hex digits; a mismatch deletes the file and
 *   fails with %PW_DATA_ERROR_CHECKSUM
 *
 * A synchronous download (run it in a thread): HTTP errors and truncated
 * transfers fail with %PW_DATA_ERROR_DOWNLOAD (a truncated part is kept for
 * resuming), cancellation with %G_IO_ERROR_CANCELLED.
 */
gboolean pw_download_file       (const char          *url,
                                 const char          *destination,
                                 const char          *expected_md5,
                                 PwDownloadProgress   progress,
                                 gpointer             user_data,
                                 GCancellable        *cancellable,
                                 GError             **error);

/**
 * pw_download_fetch_md5:
 * @url: the URL of a checksum file ("HEX  name" or "MD5 (name) = HEX")
 *
 * Returns: (transfer full) (nullable): the checksum in lower case, or
 * %NULL when the server has none (404) or it cannot be read; @error is
 * set only for cancellation.
 */
char    *pw_download_fetch_md5  (const char          *url,
                                 GCancellable        *cancellable,
                                 GError             **error);

/* MD5 of a file, lower-case hex. */
char    *pw_file_md5            (const char          *path,
                                 GCancellable        *cancellable,
                                 GError             **error);

/* g_get_user_cache_dir()/personalize-workshop */
char    *pw_data_get_cache_dir  (void);

/**
 * pw_movielens_fetch:
 * @cache_dir: (nullable): where downloads go (pw_data_get_cache_dir())
 * @base_url: (nullable): the folder URL holding `<name>.zip` and
 *   `<name>.zip.md5` (GroupLens by default; tests use a local server)
 * @folder: (out): the unpacked dataset, ready for pw_movielens_read_folder()
 *
 * Downloads (or reuses) the dataset's zip in the cache, verifies its MD5
 * when the server publishes one, and unpacks it safely once.
 */
gboolean pw_movielens_fetch     (PwMovieLensFormat    format,
                                 const char          *cache_dir,
                                 const char          *base_url,
                                 PwDownloadProgress   progress,
                                 gpointer             user_data,
                                 char               **folder,
                                 GCancellable        *cancellable,
                                 GError             **error);

G_END_DECLS
