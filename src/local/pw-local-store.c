/* pw-local-store.c: atomic writes (write, fsync, rename, fsync the folder)
 *
 * Everything the server acknowledges is on disk before the answer leaves:
 * a file is written to a temporary name in its folder, flushed, renamed over
 * the old one, and the folder is flushed, so a crash leaves either the old
 * or the new file, never half of one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "pw-local-store.h"

static gboolean
set_errno_error (GError    **error,
                 int          saved,
                 const char  *what,
                 const char  *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               "%s %s: %s", what, path, g_strerror (saved));
  return FALSE;
}

void
pw_local_store_sync_dir (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

gboolean
pw_local_store_mkdir (const char  *dir,
                      GError     **error)
{
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_errno_error (error, errno, "Cannot create folder", dir);
  return TRUE;
}

/* Writes all of @data to @fd, again after EINTR; FALSE with errno set. */
static gboolean
write_all (int         fd,
           const char *data,
           gsize       length)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      data += n;
      length -= n;
    }
  return TRUE;
}

gboolean
pw_local_store_write (const char  *path,
                      const void  *data,
                      gsize        length,
                      int          mode,
                      GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp = NULL;
  int fd;

  if (!pw_local_store_mkdir (dir, error))
    return FALSE;
  tmp = g_strdup_printf ("%s.tmp-XXXXXX", path);
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, mode);
  if (fd < 0)
    return set_errno_error (error, errno, "Cannot create", tmp);
  if (!write_all (fd, data, length))
    {
      int saved = errno;

      close (fd);
      g_unlink (tmp);
      return set_errno_error (error, saved, "Cannot write", path);
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      return set_errno_error (error, saved, "Cannot flush", path);
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      return set_errno_error (error, saved, "Cannot rename to", path);
    }
  pw_local_store_sync_dir (dir);
  return TRUE;
}

gboolean
pw_local_store_write_json (const char  *path,
                           JsonNode    *node,
                           GError     **error)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  gsize length;

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &length);
  return pw_local_store_write (path, text, length, 0600, error);
}

JsonNode *
pw_local_store_read_json (const char  *path,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not a JSON object", path);
      return NULL;
    }
  return json_node_copy (root);
}

gboolean
pw_local_store_rename (const char  *from,
                       const char  *to,
                       GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (to);

  if (!pw_local_store_mkdir (dir, error))
    return FALSE;
  if (g_rename (from, to) != 0)
    return set_errno_error (error, errno, "Cannot rename to", to);
  pw_local_store_sync_dir (dir);
  return TRUE;
}

gboolean
pw_local_store_remove (const char  *path,
                       GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_unlink (path) != 0 && errno != ENOENT)
    return set_errno_error (error, errno, "Cannot remove", path);
  pw_local_store_sync_dir (dir);
  return TRUE;
}

/* A crash in the middle of an append leaves a line without its '\n':
 * cut it off, so the next line does not glue onto it. */
static void
drop_torn_line (int fd)
{
  off_t end = lseek (fd, 0, SEEK_END);
  off_t pos = end;
  char buffer[4096];

  while (pos > 0)
    {
      off_t start = pos > (off_t) sizeof buffer ? pos - (off_t) sizeof buffer : 0;
      ssize_t n = pread (fd, buffer, pos - start, start);

      if (n <= 0)
        return;
      for (ssize_t i = n - 1; i >= 0; i--)
        if (buffer[i] == '\n')
          {
            if (start + i + 1 != end && ftruncate (fd, start + i + 1) != 0)
              g_warning ("Cannot cut a torn line: %s", g_strerror (errno));
            return;
          }
      pos = start;
    }
  if (end > 0 && ftruncate (fd, 0) != 0)
    g_warning ("Cannot cut a torn line: %s", g_strerror (errno));
}

/* Appends one line and flushes it; a torn last line (a crash in the middle
 * of write) is skipped by readers, which only trust lines ending in '\n'. */
gboolean
pw_local_store_append_line (const char  *path,
                            const char  *line,
                            GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = g_strconcat (line, "\n", NULL);
  gboolean created;
  int fd;

  if (!pw_local_store_mkdir (dir, error))
    return FALSE;
  created = !g_file_test (path, G_FILE_TEST_EXISTS);
  fd = open (path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_errno_error (error, errno, "Cannot open", path);
  drop_torn_line (fd);
  if (!write_all (fd, text, strlen (text)))
    {
      int saved = errno;

      close (fd);
      return set_errno_error (error, saved, "Cannot write", path);
    }
  if (fdatasync (fd) != 0)
    {
      int saved = errno;

      close (fd);
      return set_errno_error (error, saved, "Cannot flush", path);
    }
  close (fd);
  if (created)
    pw_local_store_sync_dir (dir);
  return TRUE;
}

/* A name as a file name: [A-Za-z0-9._-] kept (but a leading '.'), every
 * other byte as %XX. */
char *
pw_local_store_escape (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *) name; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || (*p == '.' && p != (const guchar *) name))
        g_string_append_c (out, *p);
      else
        g_string_append_printf (out, "%%%02X", *p);
    }
  return g_string_free (out, FALSE);
}

char *
pw_local_store_unescape (const char *file_name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = file_name; *p != '\0'; p++)
    {
      if (*p == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        {
          g_string_append_c (out, (char) (g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2])));
          p += 2;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}
