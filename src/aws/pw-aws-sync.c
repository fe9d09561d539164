/* pw-aws-sync.c: running the aws layer's async calls synchronously
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-aws"

#include "pw-config.h"

#include "pw-aws-sync-private.h"

/* Makes @context the thread default until pw_aws_sync_wait(). */
void
pw_aws_sync_begin (GMainContext *context)
{
  g_main_context_push_thread_default (context);
}

/* @user_data: a GAsyncResult **, given a reference to @result. */
void
pw_aws_sync_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Iterates @context until *@result is set, then pops it as the thread default. */
void
pw_aws_sync_wait (GMainContext  *context,
                  GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
}
