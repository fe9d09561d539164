/* pw-workshop-test-utils.h: what the workflow tests share: a private
 * environment, waiting for an async result, running one step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-workshop.h"

G_BEGIN_DECLS

/* An async result caught by pw_test_wait_cb() (user_data: the PwTestWait). */
typedef struct
{
  GAsyncResult *result;
} PwTestWait;

void          pw_test_wait_cb           (GObject        *source,
                                         GAsyncResult   *result,
                                         gpointer        user_data);
/* Iterates the default main context until the result came; borrowed. */
GAsyncResult *pw_test_wait_result       (PwTestWait     *wait);

/* Runs @step to its end on the default main context. */
gboolean      pw_test_workshop_run_step (PwWorkshop     *workshop,
                                         PwWorkshopStep  step,
                                         GCancellable   *cancellable,
                                         GError        **error);

/* Makes a temporary folder from @name_template (g_dir_make_tmp()) and
 * points XDG_DATA_HOME and XDG_RUNTIME_DIR at it, and the AWS CLI's files
 * nowhere, before GLib caches them: nothing of the user's is touched.
 * Returns the folder. */
char         *pw_test_workshop_env_init (const char     *name_template);
/* Removes @root when the tests passed (@status 0); kept for a look when
 * they failed. */
void          pw_test_workshop_env_done (const char     *root,
                                         int             status);

G_END_DECLS
