/* pw-archive.c: safe extraction of zip archives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-data"

#include "pw-config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pw-archive.h"
#include "pw-data-error.h"

void
pw_remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      GDir *dir = g_dir_open (path, 0, NULL);
      const char *name;

      if (dir != NULL)
        {
          while ((name = g_dir_read_name (dir)) != NULL)
            {
              g_autofree char *child = g_build_filename (path, name, NULL);

              pw_remove_tree (child);
            }
          g_dir_close (dir);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* NULL when @name is safe, else why not. */
static const char *
unsafe_reason (const char *name)
{
  g_auto(GStrv) parts = NULL;

  if (name == NULL || *name == '\0')
    return _("it has no name");
  if (name[0] == '/' || name[0] == '\\' ||
      (g_ascii_isalpha (name[0]) && name[1] == ':'))
    return _("its path is absolute");
  if (strchr (name, '\\') != NULL)
    return _("its path uses backslashes");
  parts = g_strsplit (name, "/", -1);
  for (guint k = 0; parts[k] != NULL; k++)
    if (strcmp (parts[k], "..") == 0)
      return _("its path leaves the folder (“..”)");
  return NULL;
}

static gboolean
unsafe (GError    **error,
        const char *archive_name,
        const char *member,
        const char *reason)
{
  g_autofree char *shown = g_utf8_make_valid (member ? member : "", -1);

  g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_UNSAFE_ARCHIVE,
               _("%s: refusing the member “%s”: %s"), archive_name, shown, reason);
  return FALSE;
}

static gboolean
extract_into (struct archive *a,
              const char     *archive_name,
              const char     *root,
              guint64         max_member_size,
              guint64         max_total_size,
              GCancellable   *cancellable,
              GError        **error)
{
  struct archive_entry *entry;
  guint64 total = 0;
  int rc;
  g_autofree char *buf = g_malloc (65536);

  while ((rc = archive_read_next_header (a, &entry)) == ARCHIVE_OK || rc == ARCHIVE_WARN)
    {
      const char *name = archive_entry_pathname (entry);
      mode_t type = archive_entry_filetype (entry);
      const char *reason = unsafe_reason (name);
      g_autofree char *path = NULL;
      g_autofree char *parent = NULL;
      guint64 written = 0;
      int fd;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (reason != NULL)
        return unsafe (error, archive_name, name, reason);
      if (archive_entry_symlink (entry) != NULL || type == AE_IFLNK)
        return unsafe (error, archive_name, name, _("it is a symbolic link"));
      if (archive_entry_hardlink (entry) != NULL)
        return unsafe (error, archive_name, name, _("it is a hard link"));
      if (type != AE_IFREG && type != AE_IFDIR)
        return unsafe (error, archive_name, name, _("it is not a plain file or folder"));
      if (archive_entry_size_is_set (entry) && (guint64) archive_entry_size (entry) > max_member_size)
        return unsafe (error, archive_name, name, _("it is larger than allowed"));

      path = g_build_filename (root, name, NULL);
      if (type == AE_IFDIR)
        {
          if (g_mkdir_with_parents (path, 0755) != 0)
            {
              int saved = errno;

              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                           _("Cannot create the folder %s: %s"), path, g_strerror (saved));
              return FALSE;
            }
          continue;
        }

      parent = g_path_get_dirname (path);
      if (g_mkdir_with_parents (parent, 0755) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Cannot create the folder %s: %s"), parent, g_strerror (saved));
          return FALSE;
        }
      fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
      if (fd < 0)
        {
          int saved = errno;

          if (saved == EEXIST)
            return unsafe (error, archive_name, name, _("it appears twice"));
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Cannot write %s: %s"), path, g_strerror (saved));
          return FALSE;
        }
      for (;;)
        {
          la_ssize_t n = archive_read_data (a, buf, 65536);

          if (n == 0)
            break;
          if (n < 0)
            {
              g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_ARCHIVE,
                           _("%s: cannot read the member “%s”: %s"), archive_name, name,
                           archive_error_string (a) ? archive_error_string (a) : "?");
              close (fd);
              return FALSE;
            }
          written += n;
          total += n;
          if (written > max_member_size)
            {
              close (fd);
              return unsafe (error, archive_name, name, _("it is larger than allowed"));
            }
          if (total > max_total_size)
            {
              close (fd);
              return unsafe (error, archive_name, name, _("the archive unpacks to more than allowed"));
            }
          if (write (fd, buf, n) != n)
            {
              int saved = errno;

              close (fd);
              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                           _("Cannot write %s: %s"), path, g_strerror (saved));
              return FALSE;
            }
        }
      if (close (fd) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Cannot write %s: %s"), path, g_strerror (saved));
          return FALSE;
        }
    }
  if (rc != ARCHIVE_EOF)
    {
      g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_ARCHIVE,
                   _("%s is not a readable archive: %s"), archive_name,
                   archive_error_string (a) ? archive_error_string (a) : "?");
      return FALSE;
    }
  return TRUE;
}

gboolean
pw_archive_extract (const char    *archive_path,
                    const char    *destination,
                    guint64        max_member_size,
                    guint64        max_total_size,
                    GCancellable  *cancellable,
                    GError       **error)
{
  struct archive *a;
  g_autofree char *archive_name = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *base = NULL;
  g_autofree char *temp = NULL;
  gboolean ok;

  g_return_val_if_fail (archive_path != NULL && destination != NULL, FALSE);

  archive_name = g_filename_display_basename (archive_path);
  parent = g_path_get_dirname (destination);
  base = g_path_get_basename (destination);
  if (g_mkdir_with_parents (parent, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder %s: %s"), parent, g_strerror (saved));
      return FALSE;
    }
  temp = g_strdup_printf ("%s/.%s.XXXXXX", parent, base);
  if (g_mkdtemp (temp) == NULL)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder %s: %s"), parent, g_strerror (saved));
      return FALSE;
    }

  a = archive_read_new ();
  archive_read_support_format_zip (a);
  archive_read_support_filter_none (a);
  if (archive_read_open_filename (a, archive_path, 65536) != ARCHIVE_OK)
    {
      g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_ARCHIVE,
                   _("%s is not a readable archive: %s"), archive_name,
                   archive_error_string (a) ? archive_error_string (a) : "?");
      ok = FALSE;
    }
  else
    ok = extract_into (a, archive_name, temp, max_member_size, max_total_size, cancellable, error);
  archive_read_free (a);

  if (ok && g_rename (temp, destination) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder %s: %s"), destination, g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    pw_remove_tree (temp);
  return ok;
}
