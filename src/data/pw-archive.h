/* pw-archive.h: safe extraction of zip archives (libarchive)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* ML-1M's largest member is 24.6 MB; ml-latest-small's archive is 1 MB. */
#define PW_ARCHIVE_DEFAULT_MAX_MEMBER (256 * 1024 * 1024)
#define PW_ARCHIVE_DEFAULT_MAX_TOTAL  (1024 * 1024 * 1024)

/**
 * pw_archive_extract:
 * @archive_path: a zip (or any format libarchive reads)
 * @destination: the folder to create; it must not exist yet
 * @max_member_size: refuse a member larger than this (bytes)
 * @max_total_size: refuse archives that unpack to more than this
 *
 * Unpacks into a temporary folder next to @destination and renames it into
 * place when everything succeeded. Refuses (%PW_DATA_ERROR_UNSAFE_ARCHIVE)
 * absolute paths, `..` components, symbolic and hard links, devices and
 * members over the limits; nothing is left behind on failure.
 */
gboolean pw_archive_extract (const char    *archive_path,
                             const char    *destination,
                             guint64        max_member_size,
                             guint64        max_total_size,
                             GCancellable  *cancellable,
                             GError       **error);

/* Removes a folder tree (no link is followed). */
void     pw_remove_tree     (const char    *path);

G_END_DECLS
