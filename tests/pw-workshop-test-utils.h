/* pw-workshop-test-utils.h: what the workflow tests share: a private
 * environment, iterating the main context, waiting for an async result,
 * running one step (GLib only; pw-test-utils.h adds the widget helpers)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-aws.h"
#include "pw-data.h"
#include "pw-local-server.h"
#include "pw-workshop.h"

G_BEGIN_DECLS

/* Iterates the default main context until @done returns TRUE; fails the
 * test after @timeout_ms. */
void          pw_test_iterate_until     (gboolean      (*done) (gpointer data),
                                         gpointer        data,
                                         guint           timeout_ms);
/* Iterates the default main context for @ms. */
void          pw_test_iterate_for       (guint           ms);

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
/* The same, but fails the test after @timeout_ms. */
GAsyncResult *pw_test_wait_result_within (PwTestWait    *wait,
                                          guint          timeout_ms);

/* Runs @step to its end on the default main context. */
gboolean      pw_test_workshop_run_step (PwWorkshop     *workshop,
                                         PwWorkshopStep  step,
                                         GCancellable   *cancellable,
                                         GError        **error);

/* Generated data (PW_SOURCE_SYNTHETIC, the default split) prepared into
 * @out_dir; fails the test if it cannot be. The default seed is 42. */
PwPrepareResult *pw_test_prepare_synthetic (const char *out_dir,
                                            guint32     seed,
                                            guint       n_users,
                                            guint       n_items,
                                            guint       n_ratings);
/* @root/@name, made with its parents (fails the test if it cannot be). */
char         *pw_test_workshop_make_dir (const char     *root,
                                         const char     *name);
/* AWS settings for personalize-local @server used as an AWS endpoint: its
 * keys (or its key id with @secret_override), us-east-1. */
PwAwsConfig  *pw_test_local_config      (PwLocalServer  *server,
                                         const char     *secret_override);

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
