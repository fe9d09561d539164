/* test-data-download.c: downloads against a local SoupServer, and safe
 * archive extraction (the zips are built here with libarchive)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "pw-data.h"

/* Zips ------------------------------------------------------------------ */

typedef struct
{
  const char *name;
  const char *contents;   /* NULL for a folder */
  const char *link;       /* a symbolic link's target */
  gsize       size;       /* for big members filled with 'x' */
} Member;

static void
write_zip (const char   *path,
           const Member *members,
           guint         n)
{
  struct archive *a = archive_write_new ();
  struct archive_entry *e;

  g_assert_cmpint (archive_write_set_format_zip (a), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_filename (a, path), ==, ARCHIVE_OK);
  for (guint k = 0; k < n; k++)
    {
      g_autofree char *big = NULL;
      const char *data = members[k].contents;
      gsize len = data ? strlen (data) : 0;

      if (members[k].size > 0)
        {
          big = g_malloc (members[k].size);
          memset (big, 'x', members[k].size);
          data = big;
          len = members[k].size;
        }
      e = archive_entry_new ();
      archive_entry_set_pathname (e, members[k].name);
      archive_entry_set_mtime (e, 978300760, 0);
      if (members[k].link != NULL)
        {
          archive_entry_set_filetype (e, AE_IFLNK);
          archive_entry_set_symlink (e, members[k].link);
          archive_entry_set_perm (e, 0777);
          archive_entry_set_size (e, 0);
        }
      else if (data == NULL)
        {
          archive_entry_set_filetype (e, AE_IFDIR);
          archive_entry_set_perm (e, 0755);
          archive_entry_set_size (e, 0);
        }
      else
        {
          archive_entry_set_filetype (e, AE_IFREG);
          archive_entry_set_perm (e, 0644);
          archive_entry_set_size (e, len);
        }
      g_assert_cmpint (archive_write_header (a, e), ==, ARCHIVE_OK);
      if (data != NULL && len > 0)
        g_assert_cmpint (archive_write_data (a, data, len), ==, (la_ssize_t) len);
      archive_entry_free (e);
    }
  g_assert_cmpint (archive_write_close (a), ==, ARCHIVE_OK);
  archive_write_free (a);
}

static char *
tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("pw-dl-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
test_extract_good (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *zip = g_build_filename (dir, "ml-1m.zip", NULL);
  g_autofree char *dest = g_build_filename (dir, "out", NULL);
  g_autofree char *ratings = g_build_filename (dest, "ml-1m", "ratings.dat", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const Member members[] = {
    { "ml-1m/", NULL, NULL, 0 },
    { "ml-1m/ratings.dat", "1::1::5::978300760\n", NULL, 0 },
    { "ml-1m/movies.dat", "1::A (1999)::Drama\n", NULL, 0 },
  };

  write_zip (zip, members, G_N_ELEMENTS (members));
  g_assert_true (pw_archive_extract (zip, dest, 1000, 10000, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (ratings, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "1::1::5::978300760\n");
  pw_remove_tree (dir);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

static void
expect_unsafe (const Member *members,
               guint         n,
               guint64       max_member,
               guint64       max_total,
               const char   *fragment)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *zip = g_build_filename (dir, "bad.zip", NULL);
  g_autofree char *dest = g_build_filename (dir, "sub", "out", NULL);
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autoptr(GError) error = NULL;
  GDir *d;

  write_zip (zip, members, n);
  g_assert_false (pw_archive_extract (zip, dest, max_member, max_total, NULL, &error));
  g_assert_error (error, PW_DATA_ERROR, PW_DATA_ERROR_UNSAFE_ARCHIVE);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” lacks “%s”", error->message, fragment);
  /* Nothing is left behind: no destination, no temporary folder, nothing
   * written outside. */
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  d = g_dir_open (sub, 0, NULL);
  g_assert_nonnull (d);
  g_assert_null (g_dir_read_name (d));
  g_dir_close (d);
  {
    g_autofree char *evil = g_build_filename (dir, "evil", NULL);

    g_assert_false (g_file_test (evil, G_FILE_TEST_EXISTS));
  }
  pw_remove_tree (dir);
}

static void
test_extract_unsafe (void)
{
  const Member dotdot[] = { { "ok.txt", "fine", NULL, 0 }, { "../../evil", "gotcha", NULL, 0 } };
  const Member inner[] = { { "a/b/../../../../evil", "gotcha", NULL, 0 } };
  const Member absolute[] = { { "/tmp/pw-evil-absolute", "gotcha", NULL, 0 } };
  const Member symlink[] = { { "ml-1m/ratings.dat", NULL, "/etc/passwd", 0 } };
  const Member big[] = { { "big.dat", NULL, NULL, 5000 } };
  const Member total[] = { { "a.dat", NULL, NULL, 600 }, { "b.dat", NULL, NULL, 600 } };
  const Member twice[] = { { "a.dat", "1", NULL, 0 }, { "a.dat", "2", NULL, 0 } };
  const Member backslash[] = { { "..\\evil", "gotcha", NULL, 0 } };

  expect_unsafe (dotdot, 2, 1000, 10000, "“../../evil”: its path leaves the folder");
  expect_unsafe (inner, 1, 1000, 10000, "leaves the folder");
  expect_unsafe (absolute, 1, 1000, 10000, "its path is absolute");
  g_assert_false (g_file_test ("/tmp/pw-evil-absolute", G_FILE_TEST_EXISTS));
  expect_unsafe (symlink, 1, 1000, 10000, "symbolic link");
  expect_unsafe (big, 1, 1000, 10000, "larger than allowed");
  expect_unsafe (total, 2, 1000, 1000, "unpacks to more than allowed");
  expect_unsafe (twice, 2, 1000, 10000, "appears twice");
  /* libarchive reads a zip’s backslashes as folder separators. */
  expect_unsafe (backslash, 1, 1000, 10000, "leaves the folder");
}

static void
test_extract_not_archive (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *zip = g_build_filename (dir, "x.zip", NULL);
  g_autofree char *dest = g_build_filename (dir, "out", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (zip, "this is not a zip file at all", -1, NULL));
  g_assert_false (pw_archive_extract (zip, dest, 1000, 1000, NULL, &error));
  g_assert_error (error, PW_DATA_ERROR, PW_DATA_ERROR_ARCHIVE);
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  pw_remove_tree (dir);
}

/* A local server ------------------------------------------------------- */

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  GMutex        lock;
  GCond         cond;
  char         *base;
  GBytes       *content;        /* /data.zip */
  GBytes       *zip;            /* /ml-100k.zip */
  char         *content_md5;
  char         *zip_md5;
  guint         n_requests;
  guint         n_range_requests;
  guint         n_zip_requests;
} Server;

static Server *server;

static void
serve_bytes (SoupServerMessage *msg,
             GBytes            *bytes,
             gboolean           honour_range)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  gsize size = g_bytes_get_size (bytes);
  SoupRange *ranges = NULL;
  int n_ranges = 0;

  if (honour_range && soup_message_headers_get_ranges (req, size, &ranges, &n_ranges) && n_ranges == 1)
    {
      g_autoptr(GBytes) part = g_bytes_new_from_bytes (bytes, ranges[0].start,
                                                       ranges[0].end - ranges[0].start + 1);

      g_mutex_lock (&server->lock);
      server->n_range_requests++;
      g_mutex_unlock (&server->lock);
      soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
      soup_message_headers_set_content_range (resp, ranges[0].start, ranges[0].end, size);
      soup_server_message_set_response (msg, "application/zip", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (part, NULL), g_bytes_get_size (part));
      soup_message_headers_free_ranges (req, ranges);
      return;
    }
  if (ranges != NULL)
    soup_message_headers_free_ranges (req, ranges);
  /* SoupServer answers Range requests by itself; a server that ignores
   * them is one that never sees them. */
  if (!honour_range)
    soup_message_headers_remove (req, "Range");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/zip", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), size);
}

static void
truncate_cb (SoupServerMessage *msg,
             gpointer           user_data)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);
  GOutputStream *out = g_io_stream_get_output_stream (stream);
  gsize size = g_bytes_get_size (server->content);
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\n"
                                           "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n", size);

  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, g_bytes_get_data (server->content, NULL), 100000, NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
  g_object_unref (stream);
}

static void
handler (SoupServer        *soup_server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  g_mutex_lock (&server->lock);
  server->n_requests++;
  if (g_str_equal (path, "/ml/ml-100k.zip"))
    server->n_zip_requests++;
  g_mutex_unlock (&server->lock);

  if (g_str_equal (path, "/data.zip"))
    serve_bytes (msg, server->content, TRUE);
  else if (g_str_equal (path, "/norange/data.zip"))
    serve_bytes (msg, server->content, FALSE);
  else if (g_str_equal (path, "/data.zip.md5"))
    {
      g_autofree char *text = g_strdup_printf ("%s  data.zip\n", server->content_md5);

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
    }
  else if (g_str_equal (path, "/bsd.md5"))
    {
      g_autofree char *text = g_strdup_printf ("MD5 (data.zip) = %s\n", server->content_md5);

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
    }
  else if (g_str_equal (path, "/truncated/data.zip"))
    {
      truncate_cb (msg, NULL);
    }
  else if (g_str_equal (path, "/ml/ml-100k.zip"))
    serve_bytes (msg, server->zip, TRUE);
  else if (g_str_equal (path, "/ml/ml-100k.zip.md5"))
    {
      g_autofree char *text = g_strdup_printf ("%s  ml-100k.zip\n", server->zip_md5);

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static gpointer
server_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (server->context);
  server->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server->server, NULL, handler, NULL, NULL);
  soup_server_listen_local (server->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server->server);
  g_mutex_lock (&server->lock);
  server->base = g_uri_to_string (uris->data);
  if (g_str_has_suffix (server->base, "/"))
    server->base[strlen (server->base) - 1] = '\0';
  g_cond_signal (&server->cond);
  g_mutex_unlock (&server->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (server->loop);
  soup_server_disconnect (server->server);
  g_clear_object (&server->server);
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

static char *
url (const char *path)
{
  return g_strconcat (server->base, path, NULL);
}

static GBytes *
make_content (gsize size)
{
  guint8 *data = g_malloc (size);
  guint32 x = 12345;

  for (gsize i = 0; i < size; i++)
    {
      x = x * 1103515245 + 12345;
      data[i] = x >> 24;
    }
  return g_bytes_new_take (data, size);
}

static GBytes *
make_ml100k_zip (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "ml-100k.zip", NULL);
  char *contents;
  gsize len;
  const Member members[] = {
    { "ml-100k/u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t302\t1\t881250950\n", NULL, 0 },
    { "ml-100k/u.item", "242|Kolya (1996)|24-Jan-1997||x|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n"
                        "302|L.A. Confidential (1997)|01-Jan-1997||x|0|0|0|0|0|0|1|0|0|0|1|0|0|1|0|0|1|0|0\n", NULL, 0 },
  };

  write_zip (path, members, G_N_ELEMENTS (members));
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  pw_remove_tree (dir);
  return g_bytes_new_take (contents, len);
}

typedef struct
{
  guint64       first;
  guint64       last;
  guint64       total;
  guint         calls;
  GCancellable *cancel_after_first;
} ProgressLog;

static void
progress_cb (guint64  received,
             guint64  total,
             gpointer user_data)
{
  ProgressLog *log = user_data;

  if (log->calls == 0)
    log->first = received;
  g_assert_cmpuint (received, >=, log->last);
  log->last = received;
  log->total = total;
  log->calls++;
  if (log->cancel_after_first != NULL && received > 0)
    g_cancellable_cancel (log->cancel_after_first);
}

static gboolean
file_equals (const char *path,
             GBytes     *bytes)
{
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;
  return len == g_bytes_get_size (bytes) && memcmp (contents, g_bytes_get_data (bytes, NULL), len) == 0;
}

static void
test_download (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *dest = g_build_filename (dir, "data.zip", NULL);
  g_autofree char *u = url ("/data.zip");
  g_autoptr(GError) error = NULL;
  ProgressLog log = { 0 };

  g_assert_true (pw_download_file (u, dest, server->content_md5, progress_cb, &log, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (file_equals (dest, server->content));
  g_assert_cmpuint (log.first, ==, 0);
  g_assert_cmpuint (log.last, ==, g_bytes_get_size (server->content));
  g_assert_cmpuint (log.total, ==, g_bytes_get_size (server->content));
  g_assert_cmpuint (log.calls, >, 2);
  pw_remove_tree (dir);
}

static void
test_checksum (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *dest = g_build_filename (dir, "data.zip", NULL);
  g_autofree char *part = g_build_filename (dir, "data.zip.part", NULL);
  g_autofree char *u = url ("/data.zip");
  g_autofree char *md5_url = url ("/data.zip.md5");
  g_autofree char *bsd_url = url ("/bsd.md5");
  g_autofree char *missing_url = url ("/nothing.md5");
  g_autofree char *md5 = NULL, *bsd = NULL, *missing = NULL;
  g_autoptr(GError) error = NULL;

  md5 = pw_download_fetch_md5 (md5_url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (md5, ==, server->content_md5);
  bsd = pw_download_fetch_md5 (bsd_url, NULL, &error);
  g_assert_cmpstr (bsd, ==, server->content_md5);
  missing = pw_download_fetch_md5 (missing_url, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (missing);

  g_assert_false (pw_download_file (u, dest, "0123456789abcdef0123456789abcdef", NULL, NULL, NULL, &error));
  g_assert_error (error, PW_DATA_ERROR, PW_DATA_ERROR_CHECKSUM);
  g_assert_nonnull (strstr (error->message, "0123456789abcdef0123456789abcdef"));
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  pw_remove_tree (dir);
}

static void
test_http_error (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *dest = g_build_filename (dir, "x.zip", NULL);
  g_autofree char *u = url ("/missing.zip");
  g_autoptr(GError) error = NULL;

  g_assert_false (pw_download_file (u, dest, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, PW_DATA_ERROR, PW_DATA_ERROR_DOWNLOAD);
  g_assert_nonnull (strstr (error->message, "HTTP 404"));
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  pw_remove_tree (dir);
}

static void
test_cancel (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *dest = g_build_filename (dir, "data.zip", NULL);
  g_autofree char *u = url ("/data.zip");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  ProgressLog log = { 0 };

  log.cancel_after_first = cancellable;
  g_assert_false (pw_download_file (u, dest, NULL, progress_cb, &log, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (log.last, <, g_bytes_get_size (server->content));
  pw_remove_tree (dir);
}

static void
test_truncated_then_resume (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *dest = g_build_filename (dir, "data.zip", NULL);
  g_autofree char *part = g_build_filename (dir, "data.zip.part", NULL);
  g_autofree char *bad = url ("/truncated/data.zip");
  g_autofree char *good = url ("/data.zip");
  g_autoptr(GError) error = NULL;
  ProgressLog log = { 0 };
  GStatBuf st;
  guint ranges_before;

  g_assert_false (pw_download_file (bad, dest, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, PW_DATA_ERROR, PW_DATA_ERROR_DOWNLOAD);
  g_clear_error (&error);
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_stat (part, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 100000);

  ranges_before = server->n_range_requests;
  g_assert_true (pw_download_file (good, dest, server->content_md5, progress_cb, &log, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (server->n_range_requests, ==, ranges_before + 1);
  g_assert_cmpuint (log.first, ==, 100000);
  g_assert_true (file_equals (dest, server->content));
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  pw_remove_tree (dir);
}

static void
test_restart_without_range (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *dest = g_build_filename (dir, "data.zip", NULL);
  g_autofree char *part = g_build_filename (dir, "data.zip.part", NULL);
  g_autofree char *u = url ("/norange/data.zip");
  g_autoptr(GError) error = NULL;

  /* A stale part that the server will not resume. */
  g_assert_true (g_file_set_contents (part, "garbage that must go", -1, NULL));
  g_assert_true (pw_download_file (u, dest, server->content_md5, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (file_equals (dest, server->content));
  pw_remove_tree (dir);
}

static void
test_fetch_movielens (void)
{
  g_autofree char *cache = tmp_dir ();
  g_autofree char *base = url ("/ml");
  g_autofree char *folder = NULL, *again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwInteractions) t = NULL;
  g_autoptr(PwItems) items = NULL;
  ProgressLog log = { 0 };
  guint zips;

  zips = server->n_zip_requests;
  g_assert_true (pw_movielens_fetch (PW_MOVIELENS_100K, cache, base, progress_cb, &log, &folder, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (server->n_zip_requests, ==, zips + 1);
  g_assert_cmpuint (log.last, ==, g_bytes_get_size (server->zip));
  g_assert_true (pw_movielens_read_folder (PW_MOVIELENS_100K, folder, 0, NULL, &t, &items, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (t->n_rows, ==, 3);
  g_assert_cmpuint (items->n_items, ==, 2);

  /* The second time comes from the cache. */
  g_assert_true (pw_movielens_fetch (PW_MOVIELENS_100K, cache, base, NULL, NULL, &again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, folder);
  g_assert_cmpuint (server->n_zip_requests, ==, zips + 1);

  /* A damaged zip in the cache (and no unpacked folder) is fetched again. */
  {
    g_autofree char *zip = g_build_filename (cache, "ml-100k.zip", NULL);
    g_autofree char *third = NULL;

    pw_remove_tree (folder);
    g_assert_true (g_file_set_contents (zip, "damaged", -1, NULL));
    g_assert_true (pw_movielens_fetch (PW_MOVIELENS_100K, cache, base, NULL, NULL, &third, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (server->n_zip_requests, ==, zips + 2);
  }
  pw_remove_tree (cache);
}

static void
prepare_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PwPrepareResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = pw_prepare_finish (result, &error);
  g_assert_no_error (error);
}

static void
prepare_progress_cb (PwPreparePhase phase,
                     guint64        done,
                     guint64        total,
                     gpointer       user_data)
{
  GArray *phases = user_data;

  /* Delivered in the main context of the caller. */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  if (phases->len == 0 || g_array_index (phases, int, phases->len - 1) != (int) phase)
    g_array_append_val (phases, phase);
}

/* pw_prepare_async() downloads, unpacks, reads, splits and writes without
 * blocking the main loop, reporting progress there. */
static void
test_prepare_async (void)
{
  g_autofree char *cache = tmp_dir ();
  g_autofree char *out = g_build_filename (cache, "out", NULL);
  g_autofree char *training = g_build_filename (out, PW_TRAINING_INTERACTIONS_FILE, NULL);
  g_autofree char *base = url ("/ml");
  g_autoptr(GArray) phases = g_array_new (FALSE, FALSE, sizeof (int));
  PwPrepareResult *result = NULL;
  PwPrepareOptions options;

  pw_prepare_options_init (&options);
  options.source = PW_SOURCE_ML_100K;
  options.cache_dir = cache;
  options.base_url = base;
  options.output_dir = out;
  options.split.warm_fraction = 1.0;
  pw_prepare_async (&options, prepare_progress_cb, g_array_ref (phases), (GDestroyNotify) g_array_unref,
                    NULL, prepare_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (result->interactions->n_rows, ==, 3);
  g_assert_cmpuint (result->split->n_warm_items, ==, 2);
  g_assert_cmpuint (result->split->n_validation_rows, ==, 2);
  g_assert_true (g_file_test (training, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (phases->len, ==, 5);
  g_assert_cmpint (g_array_index (phases, int, 0), ==, PW_PREPARE_DOWNLOADING);
  g_assert_cmpint (g_array_index (phases, int, 1), ==, PW_PREPARE_READING);
  g_assert_cmpint (g_array_index (phases, int, 4), ==, PW_PREPARE_DONE);
  pw_prepare_result_free (result);
  pw_remove_tree (cache);
}

static void
prepare_cancelled_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;
  PwPrepareResult *r = pw_prepare_finish (result, &error);

  g_assert_null (r);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *done = TRUE;
}

/* A cancelled prepare writes nothing and says so. */
static void
test_prepare_cancel (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  PwPrepareOptions options;
  gboolean done = FALSE;

  pw_prepare_options_init (&options);
  options.synthetic.n_users = 200;
  options.synthetic.n_ratings = 8000;
  options.synthetic.n_items = 300;
  options.output_dir = out;
  g_cancellable_cancel (cancellable);
  pw_prepare_async (&options, NULL, NULL, NULL, cancellable, prepare_cancelled_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  pw_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  server = g_new0 (Server, 1);
  g_mutex_init (&server->lock);
  g_cond_init (&server->cond);
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  server->content = make_content (3 * 1024 * 1024 + 77);
  server->content_md5 = g_compute_checksum_for_bytes (G_CHECKSUM_MD5, server->content);
  server->zip = make_ml100k_zip ();
  server->zip_md5 = g_compute_checksum_for_bytes (G_CHECKSUM_MD5, server->zip);
  g_mutex_lock (&server->lock);
  server->thread = g_thread_new ("server", server_thread, NULL);
  while (server->base == NULL)
    g_cond_wait (&server->cond, &server->lock);
  g_mutex_unlock (&server->lock);
  g_assert_true (g_str_has_prefix (server->base, "http://127.0.0.1:"));

  g_test_add_func ("/data/archive/extract", test_extract_good);
  g_test_add_func ("/data/archive/unsafe", test_extract_unsafe);
  g_test_add_func ("/data/archive/not-an-archive", test_extract_not_archive);
  g_test_add_func ("/data/download/whole", test_download);
  g_test_add_func ("/data/download/checksum", test_checksum);
  g_test_add_func ("/data/download/http-error", test_http_error);
  g_test_add_func ("/data/download/cancel", test_cancel);
  g_test_add_func ("/data/download/truncated-then-resume", test_truncated_then_resume);
  g_test_add_func ("/data/download/restart-without-range", test_restart_without_range);
  g_test_add_func ("/data/download/fetch-movielens", test_fetch_movielens);
  g_test_add_func ("/data/prepare/async", test_prepare_async);
  g_test_add_func ("/data/prepare/cancel", test_prepare_cancel);

  status = g_test_run ();

  g_main_loop_quit (server->loop);
  g_main_context_wakeup (server->context);
  g_thread_join (server->thread);
  return status;
}
