/* pw-local-store.h: files of the local server, written atomically
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean    pw_local_store_write       (const char    *path,
                                        const void    *data,
                                        gsize          length,
                                        int            mode,
                                        GError       **error);
gboolean    pw_local_store_write_json  (const char    *path,
                                        JsonNode      *node,
                                        GError       **error);
JsonNode   *pw_local_store_read_json   (const char    *path,
                                        GError       **error);
gboolean    pw_local_store_rename      (const char    *from,
                                        const char    *to,
                                        GError       **error);
gboolean    pw_local_store_remove      (const char    *path,
                                        GError       **error);
gboolean    pw_local_store_append_line (const char    *path,
                                        const char    *line,
                                        GError       **error);
void        pw_local_store_sync_dir    (const char    *dir);
gboolean    pw_local_store_mkdir       (const char    *dir,
                                        GError       **error);
char       *pw_local_store_escape      (const char    *name);
char       *pw_local_store_unescape    (const char    *file_name);

G_END_DECLS
