/* pw-aws-operation.h: what the client knows about each operation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pw-aws-service.h"

G_BEGIN_DECLS

/**
 * PwAwsRetryPolicy:
 * @PW_AWS_RETRY_SAFE: reads, and writes that may be repeated (deletes,
 *   attach, put object): retried after any transient failure
 * @PW_AWS_RETRY_CHECK_FIRST: creates: after a failure that may have
 *   happened after the service acted (timeout after sending, 5xx, broken
 *   answer) the client first asks whether the resource exists (a List or
 *   Get call) and returns it if so; it retries only when it does not
 * @PW_AWS_RETRY_NEVER_AFTER_SEND: never repeated after such a failure (no
 *   way to check, e.g. PutEvents): the call fails with PW_AWS_ERROR_AMBIGUOUS
 *
 * Throttling and failures before the request was sent are retried for all.
 */
typedef enum
{
  PW_AWS_RETRY_SAFE,
  PW_AWS_RETRY_CHECK_FIRST,
  PW_AWS_RETRY_NEVER_AFTER_SEND,
} PwAwsRetryPolicy;

/**
 * PwAwsOperation:
 * @service: the service
 * @name: the operation's name in the service model (`CreateDatasetGroup`)
 * @http_method: (nullable): for REST operations
 * @path: (nullable): for REST-JSON operations
 * @retry: see #PwAwsRetryPolicy
 * @check_operation: (nullable): for %PW_AWS_RETRY_CHECK_FIRST, the List or
 *   Get operation that tells whether the create happened
 * @check_filter: (nullable): an input member passed on to the check
 * @check_list: (nullable): the array in the List answer (NULL: a Get whose
 *   success means "it exists")
 * @check_name: (nullable): the member naming the resource, in the input and
 *   in each listed item
 * @check_result: (nullable): the member of the listed item that is also the
 *   create's output (the ARN)
 */
typedef struct
{
  PwAwsService service;
  const char *name;
  const char *http_method;
  const char *path;
  PwAwsRetryPolicy retry;
  const char *check_operation;
  const char *check_filter;
  const char *check_list;
  const char *check_name;
  const char *check_result;
} PwAwsOperation;

const PwAwsOperation *pw_aws_operation_lookup (PwAwsService  service,
                                               const char   *name);
const PwAwsOperation *pw_aws_operation_list   (guint        *n_operations);

G_END_DECLS
