/* pw-aws-client.h: the one client for Personalize, S3, IAM and STS (and the local engine)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pw-aws-config.h"
#include "pw-aws-operation.h"
#include "pw-aws-service.h"

G_BEGIN_DECLS

#define PW_TYPE_AWS_CLIENT (pw_aws_client_get_type ())
G_DECLARE_FINAL_TYPE (PwAwsClient, pw_aws_client, PW, AWS_CLIENT, GObject)

/**
 * PwAwsProgressFunc:
 * @done: bytes sent or received so far
 * @total: the object's size (0 if unknown)
 *
 * Called on the client's main context while an S3 object moves.
 */
typedef void (*PwAwsProgressFunc) (guint64  done,
                                   guint64  total,
                                   gpointer user_data);

PwAwsClient *pw_aws_client_new                    (const PwAwsConfig  *config);
const PwAwsConfig *pw_aws_client_get_config       (PwAwsClient        *self);
void         pw_aws_client_set_credentials        (PwAwsClient        *self,
                                                   const PwAwsCredentials *credentials);
void         pw_aws_client_set_endpoint_url       (PwAwsClient        *self,
                                                   const char         *endpoint_url);
void         pw_aws_client_set_region             (PwAwsClient        *self,
                                                   const char         *region);
void         pw_aws_client_set_max_attempts       (PwAwsClient        *self,
                                                   guint               max_attempts);
void         pw_aws_client_set_retry_delays       (PwAwsClient        *self,
                                                   guint               base_ms,
                                                   guint               max_ms);
void         pw_aws_client_set_timeout            (PwAwsClient        *self,
                                                   guint               timeout_ms);
gint64       pw_aws_client_get_clock_offset       (PwAwsClient        *self);
guint        pw_aws_client_get_retry_tokens       (PwAwsClient        *self);
void         pw_aws_client_set_clock_offset       (PwAwsClient        *self,
                                                   gint64              seconds);

/* Any operation of pw_aws_operation_list(), JSON in, JSON out. The input
 * uses the service model's member names (as `aws --cli-input-json`); the
 * output is the JSON answer, XML answers converted to JSON. */
void         pw_aws_client_call_async             (PwAwsClient         *self,
                                                   PwAwsService         service,
                                                   const char          *operation,
                                                   JsonObject          *input,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
JsonObject  *pw_aws_client_call_finish            (PwAwsClient         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
JsonObject  *pw_aws_client_call                   (PwAwsClient         *self,
                                                   PwAwsService         service,
                                                   const char          *operation,
                                                   JsonObject          *input,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* Every page of a List operation, gathered. */
void         pw_aws_client_list_all_async         (PwAwsClient         *self,
                                                   PwAwsService         service,
                                                   const char          *operation,
                                                   JsonObject          *input,
                                                   const char          *list_member,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
JsonArray   *pw_aws_client_list_all_finish        (PwAwsClient         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
JsonArray   *pw_aws_client_list_all               (PwAwsClient         *self,
                                                   PwAwsService         service,
                                                   const char          *operation,
                                                   JsonObject          *input,
                                                   const char          *list_member,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

char        *pw_aws_client_get_request_url        (PwAwsClient         *self,
                                                   PwAwsService         service,
                                                   const char          *operation,
                                                   JsonObject          *input,
                                                   char               **out_signing_region,
                                                   GError             **error);

/* S3 objects streamed from and to files, never whole in memory. */
void         pw_aws_client_put_object_async       (PwAwsClient         *self,
                                                   const char          *bucket,
                                                   const char          *key,
                                                   GFile               *file,
                                                   const char          *content_type,
                                                   PwAwsProgressFunc    progress,
                                                   gpointer             progress_data,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
JsonObject  *pw_aws_client_put_object_finish      (PwAwsClient         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
JsonObject  *pw_aws_client_put_object             (PwAwsClient         *self,
                                                   const char          *bucket,
                                                   const char          *key,
                                                   GFile               *file,
                                                   const char          *content_type,
                                                   PwAwsProgressFunc    progress,
                                                   gpointer             progress_data,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
void         pw_aws_client_get_object_async       (PwAwsClient         *self,
                                                   const char          *bucket,
                                                   const char          *key,
                                                   GFile               *destination,
                                                   PwAwsProgressFunc    progress,
                                                   gpointer             progress_data,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
JsonObject  *pw_aws_client_get_object_finish      (PwAwsClient         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
JsonObject  *pw_aws_client_get_object             (PwAwsClient         *self,
                                                   const char          *bucket,
                                                   const char          *key,
                                                   GFile               *destination,
                                                   PwAwsProgressFunc    progress,
                                                   gpointer             progress_data,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* Typed shortcut: STS GetCallerIdentity's Account, Arn and UserId. */
gboolean     pw_aws_client_get_caller_identity    (PwAwsClient         *self,
                                                   char               **out_account,
                                                   char               **out_arn,
                                                   char               **out_user_id,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

G_END_DECLS
