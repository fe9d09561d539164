/* test-workshop-start.c: the embedded personalize-local starts off the main
 * loop: with a data folder whose state takes long to load (a big S3 object
 * is read for its checksum), the main loop keeps iterating while the
 * workshop starts the server, and the server then serves that state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "pw-workshop.h"
#include "pw-workshop-test-utils.h"

#define BIG_OBJECT_SIZE ((goffset) 384 * 1024 * 1024)

static char *tmp_root;

typedef struct
{
  gint64 last;
  gint64 max_gap;
  guint  ticks;
} Ticks;

static gboolean
tick_cb (gpointer user_data)
{
  Ticks *t = user_data;
  gint64 now = g_get_monotonic_time ();

  t->max_gap = MAX (t->max_gap, now - t->last);
  t->last = now;
  t->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
test_start_off_main_loop (void)
{
  g_autofree char *state = g_build_filename (tmp_root, "start", "workshop.json", NULL);
  g_autofree char *local = g_build_filename (tmp_root, "start", "local", NULL);
  g_autofree char *bucket_dir = g_build_filename (local, "s3", "pw-workshop-big", NULL);
  g_autofree char *objects = g_build_filename (bucket_dir, "objects", NULL);
  g_autofree char *bucket_json = g_build_filename (bucket_dir, "bucket.json", NULL);
  g_autofree char *big = g_build_filename (objects, "big.csv", NULL);
  g_autofree char *account = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwWorkshop) w = NULL;
  g_autoptr(GListModel) found = NULL;
  PwTestWait wait = { NULL };
  Ticks t = { 0 };
  gint64 start, total;
  guint source;
  int fd;

  /* A persisted bucket with a big (sparse) object: loading it reads it all. */
  g_assert_cmpint (g_mkdir_with_parents (objects, 0700), ==, 0);
  g_assert_true (g_file_set_contents (bucket_json, "{\"created\": 1700000000}", -1, NULL));
  fd = g_open (big, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, BIG_OBJECT_SIZE), ==, 0);
  g_assert_cmpint (close (fd), ==, 0);

  w = g_initable_new (PW_TYPE_WORKSHOP, NULL, &error, "state-file", state, "local-data-dir", local, NULL);
  g_assert_no_error (error);

  t.last = start = g_get_monotonic_time ();
  source = g_timeout_add (5, tick_cb, &t);
  pw_workshop_test_connection_async (w, NULL, pw_test_wait_cb, &wait);
  /* The call returned at once: the server is not started in it. */
  g_assert_null (pw_workshop_get_local_url (w));
  pw_test_wait_result (&wait);
  total = g_get_monotonic_time () - start;
  g_source_remove (source);
  g_assert_true (pw_workshop_test_connection_finish (w, wait.result, &account, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_nonnull (account);
  g_assert_nonnull (pw_workshop_get_local_url (w));
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_BACKEND), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);

  /* Loading took a while, and the main loop ran all along: no gap near
   * the whole wait (blocking, the first tick would come only at the end). */
  g_test_message ("start and STS: %.3f s, %u ticks, longest gap %.3f s",
                  total / 1e6, t.ticks, t.max_gap / 1e6);
  g_assert_cmpint (total, >, 100 * 1000);
  g_assert_cmpuint (t.ticks, >=, 5);
  g_assert_cmpint (t.max_gap, <, total / 2);

  /* The state loaded in the thread is what the server serves. */
  pw_workshop_find_leftovers_async (w, NULL, pw_test_wait_cb, &wait);
  pw_test_wait_result (&wait);
  found = pw_workshop_find_leftovers_finish (w, wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);
  {
    g_autoptr(PwWorkshopResource) r = g_list_model_get_item (found, 0);

    g_assert_cmpstr (pw_workshop_resource_get_name (r), ==, "pw-workshop-big");
  }
  pw_workshop_shutdown (w);
}

/* Two callers while the server starts: one server, both answered. */
static void
test_start_shared (void)
{
  g_autofree char *state = g_build_filename (tmp_root, "shared", "workshop.json", NULL);
  g_autofree char *local = g_build_filename (tmp_root, "shared", "local", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwWorkshop) w = NULL;
  g_autoptr(GListModel) found = NULL;
  PwTestWait a = { NULL }, b = { NULL };

  w = g_initable_new (PW_TYPE_WORKSHOP, NULL, &error, "state-file", state, "local-data-dir", local, NULL);
  g_assert_no_error (error);
  pw_workshop_test_connection_async (w, NULL, pw_test_wait_cb, &a);
  pw_workshop_find_leftovers_async (w, NULL, pw_test_wait_cb, &b);
  pw_test_wait_result (&a);
  pw_test_wait_result (&b);
  g_assert_true (pw_workshop_test_connection_finish (w, a.result, NULL, NULL, &error));
  g_assert_no_error (error);
  found = pw_workshop_find_leftovers_finish (w, b.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 0);
  g_clear_object (&a.result);
  g_clear_object (&b.result);
  pw_workshop_shutdown (w);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  tmp_root = g_dir_make_tmp ("test-workshop-start-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", tmp_root, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", tmp_root, TRUE);
  g_setenv ("AWS_CONFIG_FILE", "/nonexistent", TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent", TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/workshop-start/off-main-loop", test_start_off_main_loop);
  g_test_add_func ("/workshop-start/shared", test_start_shared);
  status = g_test_run ();

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_root);
    (void) system (cmd);
  }
  return status;
}
