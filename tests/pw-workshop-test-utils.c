/* pw-workshop-test-utils.c: what the workflow tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include "pw-data.h"
#include "pw-workshop-test-utils.h"

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
