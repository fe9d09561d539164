/* test-aws-s3-stream.c: large S3 objects stream through files, never whole in memory
 *
 * A 64 MiB upload from a file and a 64 MiB download generated on the fly by
 * the loopback server, both verified by SHA-256, with the process's resident
 * memory sampled during the transfer; plus failures that must leave the
 * destination file as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pw-aws.h"
#include "pw-aws-test-server.h"

#define AKID "AKIASTREAMTEST000000"
#define SECRET "stream/secret/key/0123456789abcdefghijkl"
#define SIZE (64 * 1024 * 1024)
/* Both sides of the transfer live in this process: a copy of the object in
 * memory anywhere would add 64 MiB. */
#define MAX_GROWTH_KB (24 * 1024)

typedef struct
{
  PwAwsTestServer *server;
  PwAwsClient *client;
  char *dir;
  gint64 base_rss_kb;
  gint64 peak_rss_kb;
  guint64 last_done;
  guint64 last_total;
  guint n_progress;
  gboolean monotonic;
} Fixture;

static gint64
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen ("VmRSS:"), NULL, 10);
}

static void
progress_cb (guint64  done,
             guint64  total,
             gpointer user_data)
{
  Fixture *f = user_data;
  gint64 rss = rss_kb ();

  if (done < f->last_done)
    f->monotonic = FALSE;
  f->last_done = done;
  f->last_total = total;
  f->n_progress++;
  f->peak_rss_kb = MAX (f->peak_rss_kb, rss);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(PwAwsConfig) config = pw_aws_config_new ();
  g_autoptr(GError) error = NULL;

  f->server = pw_aws_test_server_new ();
  pw_aws_test_server_add_key (f->server, AKID, SECRET, NULL);
  config->region = g_strdup ("us-east-1");
  config->endpoint_url = g_strdup (pw_aws_test_server_get_url (f->server));
  config->credentials = pw_aws_credentials_new (AKID, SECRET, NULL, "test");
  f->client = pw_aws_client_new (config);
  pw_aws_client_set_retry_delays (f->client, 1, 10);
  f->dir = g_dir_make_tmp ("pw-aws-stream-XXXXXX", &error);
  g_assert_no_error (error);
  f->monotonic = TRUE;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_assert_finalize_object (f->client);
  pw_aws_test_server_free (f->server);
}

static char *
write_big_file (const char *path,
                guint32     seed)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *chunk = g_malloc (1024 * 1024);
  FILE *fp = fopen (path, "wb");

  g_assert_nonnull (fp);
  for (int i = 0; i < SIZE / (1024 * 1024); i++)
    {
      pw_aws_test_server_fill (chunk, 1024 * 1024, &seed);
      g_checksum_update (checksum, chunk, 1024 * 1024);
      g_assert_cmpuint (fwrite (chunk, 1, 1024 * 1024, fp), ==, 1024 * 1024);
    }
  g_assert_cmpint (fclose (fp), ==, 0);
  return g_strdup (g_checksum_get_string (checksum));
}

static char *
file_sha256 (const char *path)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *chunk = g_malloc (1024 * 1024);
  FILE *fp = fopen (path, "rb");
  size_t n;

  g_assert_nonnull (fp);
  while ((n = fread (chunk, 1, 1024 * 1024, fp)) > 0)
    g_checksum_update (checksum, chunk, n);
  fclose (fp);
  return g_strdup (g_checksum_get_string (checksum));
}

static void
test_upload (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "interactions.csv", NULL);
  g_autofree char *sha = write_big_file (path, 7);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) error = NULL;
  PwAwsTestRequest *r;

  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, NULL, NULL, "ETag", "\"big\"", NULL);
  f->base_rss_kb = f->peak_rss_kb = rss_kb ();
  out = pw_aws_client_put_object (f->client, "bucket", "data/interactions.csv", file, "text/csv",
                                  progress_cb, f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (out, "ETag"), ==, "\"big\"");

  r = pw_aws_test_server_get_request (f->server, 0);
  g_assert_true (r->verified);
  g_assert_cmpstr (r->method, ==, "PUT");
  g_assert_cmpstr (r->path, ==, "/bucket/data/interactions.csv");
  g_assert_cmpstr (r->content_type, ==, "text/csv");
  g_assert_cmpuint (r->body_length, ==, SIZE);
  g_assert_cmpstr (r->body_sha256, ==, sha);

  g_assert_true (f->monotonic);
  g_assert_cmpuint (f->n_progress, >, 10);
  g_assert_cmpuint (f->last_done, ==, SIZE);
  g_assert_cmpuint (f->last_total, ==, SIZE);
  g_test_message ("upload: resident memory grew by %" G_GINT64_FORMAT " KiB at most", f->peak_rss_kb - f->base_rss_kb);
  g_assert_cmpint (f->peak_rss_kb - f->base_rss_kb, <, MAX_GROWTH_KB);

  /* A file that is not there: the caller's error, no request. */
  {
    g_autoptr(GFile) missing = g_file_new_build_filename (f->dir, "missing.csv", NULL);
    g_autoptr(JsonObject) none = pw_aws_client_put_object (f->client, "bucket", "k", missing, NULL, NULL, NULL, NULL, &error);

    g_assert_null (none);
    g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "missing.csv"));
    g_assert_cmpuint (pw_aws_test_server_get_n_requests (f->server), ==, 1);
  }
}

static void
test_download (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "json_input.json.out", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = NULL;

  pw_aws_test_server_push_stream (f->server, SIZE, 42);
  f->base_rss_kb = f->peak_rss_kb = rss_kb ();
  out = pw_aws_client_get_object (f->client, "bucket", "json_input.json.out", file, progress_cb, f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (out, "ContentLength"), ==, SIZE);
  g_assert_cmpstr (json_object_get_string_member (out, "ETag"), ==, "\"stream\"");
  g_assert_true (pw_aws_test_server_get_request (f->server, 0)->verified);

  sha = file_sha256 (path);
  g_assert_cmpstr (sha, ==, pw_aws_test_server_get_stream_sha256 (f->server));
  g_assert_true (f->monotonic);
  g_assert_cmpuint (f->last_done, ==, SIZE);
  g_assert_cmpuint (f->last_total, ==, SIZE);
  g_test_message ("download: resident memory grew by %" G_GINT64_FORMAT " KiB at most", f->peak_rss_kb - f->base_rss_kb);
  g_assert_cmpint (f->peak_rss_kb - f->base_rss_kb, <, MAX_GROWTH_KB);
}

static guint
count_files (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_download_failures (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "out.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  const char *truncated = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nETag: \"t\"\r\n\r\n{\"input\":";

  g_assert_true (g_file_set_contents (path, "previous", -1, NULL));

  /* Truncated every time: an error, and the old file is untouched. */
  for (int i = 0; i < 3; i++)
    pw_aws_test_server_push (f->server, PW_AWS_TEST_RAW, 0, NULL, truncated, NULL);
  out = pw_aws_client_get_object (f->client, "bucket", "out.json", file, NULL, NULL, NULL, &error);
  g_assert_null (out);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "previous");
  g_assert_cmpuint (count_files (f->dir), ==, 1);
  g_assert_cmpuint (pw_aws_test_server_get_n_requests (f->server), ==, 3);

  /* Missing object: the S3 error, file untouched. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 404, "application/xml",
                           "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
                           "<RequestId>rq</RequestId></Error>", NULL);
  out = pw_aws_client_get_object (f->client, "bucket", "out.json", file, NULL, NULL, NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_SERVICE);
  g_assert_cmpstr (pw_aws_error_get_code (error), ==, "NoSuchKey");
  g_assert_cmpstr (pw_aws_error_get_request_id (error), ==, "rq");
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "previous");

  /* Truncated once, then whole: replaced. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_RAW, 0, NULL, truncated, NULL);
  pw_aws_test_server_push_stream (f->server, 300000, 3);
  out = pw_aws_client_get_object (f->client, "bucket", "out.json", file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  {
    g_autofree char *sha = file_sha256 (path);
    g_assert_cmpstr (sha, ==, pw_aws_test_server_get_stream_sha256 (f->server));
  }
  g_assert_cmpuint (count_files (f->dir), ==, 1);
  for (guint i = 0; i < pw_aws_test_server_get_n_requests (f->server); i++)
    g_assert_true (pw_aws_test_server_get_request (f->server, i)->verified);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/aws/s3-stream/upload", Fixture, NULL, fixture_setup, test_upload, fixture_teardown);
  g_test_add ("/aws/s3-stream/download", Fixture, NULL, fixture_setup, test_download, fixture_teardown);
  g_test_add ("/aws/s3-stream/download-failures", Fixture, NULL, fixture_setup, test_download_failures, fixture_teardown);

  return g_test_run ();
}
