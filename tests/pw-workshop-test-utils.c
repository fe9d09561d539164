/* pw-workshop-test-utils.c: what the workflow tests share (GLib only; the
 * widget tests get it through pw-test-utils)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include "pw-data.h"
#include "pw-workshop-test-utils.h"

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until @done returns TRUE; fails the test after
 * @timeout_ms. */
void
pw_test_iterate_until (gboolean (*done) (gpointer data),
                       gpointer   data,
                       guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

void
pw_test_iterate_for (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

void
pw_test_wait_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PwTestWait *wait = user_data;

  wait->result = g_object_ref (result);
}

GAsyncResult *
pw_test_wait_result (PwTestWait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wait->result;
}

static gboolean
wait_done (gpointer data)
{
  return ((PwTestWait *) data)->result != NULL;
}

GAsyncResult *
pw_test_wait_result_within (PwTestWait *wait,
                            guint       timeout_ms)
{
  pw_test_iterate_until (wait_done, wait, timeout_ms);
  return wait->result;
}

gboolean
pw_test_workshop_run_step (PwWorkshop      *workshop,
                           PwWorkshopStep   step,
                           GCancellable    *cancellable,
                           GError         **error)
{
  PwTestWait wait = { NULL };
  gboolean ok;

  pw_workshop_run_step_async (workshop, step, cancellable, pw_test_wait_cb, &wait);
  ok = pw_workshop_run_step_finish (workshop, pw_test_wait_result (&wait), error);
  g_object_unref (wait.result);
  return ok;
}

PwPrepareResult *
pw_test_prepare_synthetic (const char *out_dir,
                           guint32     seed,
                           guint       n_users,
                           guint       n_items,
                           guint       n_ratings)
{
  g_autoptr(GError) error = NULL;
  PwPrepareOptions options;
  PwPrepareResult *result;

  pw_prepare_options_init (&options);
  options.synthetic.seed = seed;
  options.synthetic.n_users = n_users;
  options.synthetic.n_items = n_items;
  options.synthetic.n_ratings = n_ratings;
  options.output_dir = out_dir;
  result = pw_prepare_run (&options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return result;
}

char *
pw_test_workshop_make_dir (const char *root,
                           const char *name)
{
  char *dir = g_build_filename (root, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return dir;
}

PwAwsConfig *
pw_test_local_config (PwLocalServer *server,
                      const char    *secret_override)
{
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL, *secret = NULL;
  g_autoptr(PwAwsCredentials) creds = NULL;
  PwAwsConfig *config = pw_aws_config_new ();

  g_assert_true (g_key_file_load_from_file (keys, pw_local_server_get_credentials_file (server), 0, &error));
  id = g_key_file_get_string (keys, "default", "aws_access_key_id", &error);
  secret = g_key_file_get_string (keys, "default", "aws_secret_access_key", &error);
  g_assert_no_error (error);
  creds = pw_aws_credentials_new (g_strstrip (id), secret_override ? secret_override : g_strstrip (secret), NULL, "t");
  config->region = g_strdup ("us-east-1");
  config->endpoint_url = g_strdup (pw_local_server_get_url (server));
  pw_aws_config_set_credentials (config, creds);
  return config;
}

char *
pw_test_workshop_env_init (const char *name_template)
{
  g_autoptr(GError) error = NULL;
  char *root = g_dir_make_tmp (name_template, &error);

  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", root, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", root, TRUE);
  g_setenv ("AWS_CONFIG_FILE", "/nonexistent", TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent", TRUE);
  return root;
}

void
pw_test_workshop_env_done (const char *root,
                           int         status)
{
  if (status == 0)
    pw_remove_tree (root);
}
