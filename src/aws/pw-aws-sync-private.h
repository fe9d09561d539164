/* pw-aws-sync-private.h: running the aws layer's async calls synchronously
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* pw_aws_sync_begin (context); start the call with pw_aws_sync_done_cb and
 * &result (a GAsyncResult * set to NULL); pw_aws_sync_wait (context, &result);
 * then finish it with result (owned). */
void pw_aws_sync_begin   (GMainContext  *context);
void pw_aws_sync_done_cb (GObject       *source,
                          GAsyncResult  *result,
                          gpointer       user_data);
void pw_aws_sync_wait    (GMainContext  *context,
                          GAsyncResult **result);

G_END_DECLS
