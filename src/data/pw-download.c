/* pw-download.c: downloads with progress, resume and checksum
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-data"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <errno.h>
#include <string.h>

#include "pw-archive.h"
#include "pw-data-error.h"
#include "pw-download.h"

#define USER_AGENT "personalize-workshop/" PW_VERSION

static SoupSession *
new_session (void)
{
  return soup_session_new_with_options ("user-agent", USER_AGENT, "timeout", 60, NULL);
}

char *
pw_data_get_cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "personalize-workshop", NULL);
}

char *
pw_file_md5 (const char    *path,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, cancellable, error);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_MD5);
  g_autofree guchar *buf = g_malloc (65536);

  if (in == NULL)
    return NULL;
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), buf, 65536, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_checksum_update (sum, buf, n);
    }
  return g_strdup (g_checksum_get_string (sum));
}

static char *
find_md5 (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guint n = 0;

      while (g_ascii_isxdigit (p[n]))
        n++;
      if (n == 32 && (p == text || !g_ascii_isalnum (p[-1])))
        return g_ascii_strdown (p, 32);
      if (n > 0)
        p += n - 1;
    }
  return NULL;
}

char *
pw_download_fetch_md5 (const char    *url,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;

  if (msg == NULL)
    return NULL;
  body = soup_session_send_and_read (session, msg, cancellable, &local_error);
  if (body == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (soup_message_get_status (msg) != SOUP_STATUS_OK || g_bytes_get_size (body) > 4096)
    return NULL;
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return find_md5 (text);
}

static gboolean
http_error (GError     **error,
            SoupMessage *msg,
            const char  *url)
{
  g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_DOWNLOAD,
               _("Downloading %s failed: HTTP %u %s"), url,
               soup_message_get_status (msg),
               soup_message_get_reason_phrase (msg) ? soup_message_get_reason_phrase (msg) : "");
  return FALSE;
}

gboolean
pw_download_file (const char          *url,
                  const char          *destination,
                  const char          *expected_md5,
                  PwDownloadProgress   progress,
                  gpointer             user_data,
                  GCancellable        *cancellable,
                  GError             **error)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GFile) part = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *part_path = g_strconcat (destination, ".part", NULL);
  g_autofree guchar *buf = NULL;
  GStatBuf st;
  guint64 have = 0, total = 0, received;
  goffset length;
  guint status;

  g_return_val_if_fail (url != NULL && destination != NULL, FALSE);

  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid URL"), url);
      return FALSE;
    }
  part = g_file_new_for_path (part_path);
  if (g_stat (part_path, &st) == 0 && st.st_size > 0)
    {
      have = st.st_size;
      soup_message_headers_set_range (soup_message_get_request_headers (msg), (goffset) have, -1);
    }

  body = soup_session_send (session, msg, cancellable, &local_error);
  if (body == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_DOWNLOAD,
                     _("Downloading %s failed: %s"), url, local_error->message);
      return FALSE;
    }
  status = soup_message_get_status (msg);
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (msg));

  if (status == SOUP_STATUS_PARTIAL_CONTENT && have > 0)
    {
      goffset start = 0, end = 0, size = 0;

      if (!soup_message_headers_get_content_range (soup_message_get_response_headers (msg),
                                                   &start, &end, &size) ||
          (guint64) start != have)
        {
          /* Not the range we asked for: start again. */
          g_input_stream_close (body, NULL, NULL);
          g_unlink (part_path);
          return pw_download_file (url, destination, expected_md5, progress, user_data, cancellable, error);
        }
      total = size > 0 ? (guint64) size : 0;
      out = g_file_append_to (part, G_FILE_CREATE_NONE, cancellable, error);
    }
  else if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && have > 0)
    {
      /* The part is whole already, or stale: start again. */
      g_input_stream_close (body, NULL, NULL);
      g_unlink (part_path);
      return pw_download_file (url, destination, expected_md5, progress, user_data, cancellable, error);
    }
  else if (status == SOUP_STATUS_OK)
    {
      have = 0;
      total = length > 0 ? (guint64) length : 0;
      out = g_file_replace (part, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, error);
    }
  else
    return http_error (error, msg, url);
  if (out == NULL)
    return FALSE;

  received = have;
  if (progress != NULL)
    progress (received, total, user_data);
  buf = g_malloc (65536);
  for (;;)
    {
      gssize n = g_input_stream_read (body, buf, 65536, cancellable, &local_error);

      if (n < 0)
        {
          g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            {
              g_autofree char *bytes = g_strdup_printf ("%" G_GUINT64_FORMAT, received);

              g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_DOWNLOAD,
                           _("Downloading %s failed after %s bytes: %s"),
                           url, bytes, local_error->message);
            }
          return FALSE;
        }
      if (n == 0)
        break;
      if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), buf, n, NULL, cancellable, error))
        {
          g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
          return FALSE;
        }
      received += n;
      if (progress != NULL)
        progress (received, total, user_data);
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error))
    return FALSE;
  g_input_stream_close (body, NULL, NULL);

  if (total > 0 && received != total)
    {
      g_autofree char *a = g_strdup_printf ("%" G_GUINT64_FORMAT, received);
      g_autofree char *b = g_strdup_printf ("%" G_GUINT64_FORMAT, total);

      g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_DOWNLOAD,
                   _("Downloading %s stopped after %s of %s bytes"), url, a, b);
      return FALSE;
    }

  if (expected_md5 != NULL)
    {
      g_autofree char *md5 = pw_file_md5 (part_path, cancellable, error);

      if (md5 == NULL)
        return FALSE;
      if (g_ascii_strcasecmp (md5, expected_md5) != 0)
        {
          g_unlink (part_path);
          g_set_error (error, PW_DATA_ERROR, PW_DATA_ERROR_CHECKSUM,
                       _("%s is damaged: its MD5 checksum is %s, expected %s"), url, md5, expected_md5);
          return FALSE;
        }
    }

  if (g_rename (part_path, destination) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot write %s: %s"), destination, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
pw_movielens_fetch (PwMovieLensFormat    format,
                    const char          *cache_dir,
                    const char          *base_url,
                    PwDownloadProgress   progress,
                    gpointer             user_data,
                    char               **folder,
                    GCancellable        *cancellable,
                    GError             **error)
{
  const char *name = pw_movielens_format_to_string (format);
  g_autofree char *default_cache = NULL;
  g_autofree char *zip_url = NULL, *md5_url = NULL;
  g_autofree char *zip_path = NULL, *unpacked = NULL, *marker = NULL;
  g_autofree char *md5 = NULL;

  g_return_val_if_fail (name != NULL && folder != NULL, FALSE);

  if (cache_dir == NULL)
    cache_dir = default_cache = pw_data_get_cache_dir ();
  if (base_url == NULL)
    base_url = "https://files.grouplens.org/datasets/movielens";
  zip_url = g_strdup_printf ("%s/%s.zip", base_url, name);
  md5_url = g_strdup_printf ("%s/%s.zip.md5", base_url, name);
  zip_path = g_strdup_printf ("%s/%s.zip", cache_dir, name);
  unpacked = g_build_filename (cache_dir, name, NULL);
  marker = g_build_filename (cache_dir, name, ".complete", NULL);

  if (g_file_test (marker, G_FILE_TEST_IS_REGULAR))
    {
      *folder = g_steal_pointer (&unpacked);
      return TRUE;
    }
  if (g_mkdir_with_parents (cache_dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder %s: %s"), cache_dir, g_strerror (saved));
      return FALSE;
    }

  md5 = pw_download_fetch_md5 (md5_url, cancellable, error);
  if (md5 == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (g_file_test (zip_path, G_FILE_TEST_IS_REGULAR) && md5 != NULL)
    {
      g_autofree char *have = pw_file_md5 (zip_path, cancellable, NULL);

      if (g_strcmp0 (have, md5) != 0)
        g_unlink (zip_path);
    }
  if (!g_file_test (zip_path, G_FILE_TEST_IS_REGULAR) &&
      !pw_download_file (zip_url, zip_path, md5, progress, user_data, cancellable, error))
    return FALSE;

  pw_remove_tree (unpacked);
  if (!pw_archive_extract (zip_path, unpacked, PW_ARCHIVE_DEFAULT_MAX_MEMBER,
                           PW_ARCHIVE_DEFAULT_MAX_TOTAL, cancellable, error))
    {
      /* A damaged or unsafe zip is not kept: the next try downloads again. */
      if (error != NULL && *error != NULL && (*error)->domain == PW_DATA_ERROR)
        g_unlink (zip_path);
      return FALSE;
    }
  if (!g_file_set_contents (marker, zip_url, -1, error))
    return FALSE;
  *folder = g_steal_pointer (&unpacked);
  return TRUE;
}
