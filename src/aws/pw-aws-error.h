/* pw-aws-error.h: the PW_AWS_ERROR domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pw-aws-service.h"

G_BEGIN_DECLS

/**
 * PwAwsError:
 * @PW_AWS_ERROR_SERVICE: the service answered with an error; its AWS code
 *   (e.g. `ResourceNotFoundException`) is pw_aws_error_get_code()
 * @PW_AWS_ERROR_NETWORK: the request could not be sent or the connection broke
 * @PW_AWS_ERROR_TIMEOUT: no complete answer within the client's timeout
 * @PW_AWS_ERROR_INVALID_RESPONSE: the answer could not be understood
 *   (invalid JSON or XML, truncated body, unexpected redirect)
 * @PW_AWS_ERROR_CREDENTIALS: no usable credentials, or a broken keyring entry
 * @PW_AWS_ERROR_CONFIG: a bad profile, configuration file or endpoint
 * @PW_AWS_ERROR_INVALID_INPUT: the caller's input does not fit the operation
 * @PW_AWS_ERROR_AMBIGUOUS: a request that must not be repeated may or may not
 *   have taken effect, and checking did not tell
 * @PW_AWS_ERROR_SIGNATURE: a signature did not verify (server side); the AWS
 *   code to answer with is pw_aws_error_get_code()
 *
 * Every PW_AWS_ERROR carries side data: the AWS error code string, the HTTP
 * status, the request id and the service's own message (each may be unset).
 */
typedef enum
{
  PW_AWS_ERROR_SERVICE,
  PW_AWS_ERROR_NETWORK,
  PW_AWS_ERROR_TIMEOUT,
  PW_AWS_ERROR_INVALID_RESPONSE,
  PW_AWS_ERROR_CREDENTIALS,
  PW_AWS_ERROR_CONFIG,
  PW_AWS_ERROR_INVALID_INPUT,
  PW_AWS_ERROR_AMBIGUOUS,
  PW_AWS_ERROR_SIGNATURE,
} PwAwsError;

#define PW_AWS_ERROR (pw_aws_error_quark ())
GQuark pw_aws_error_quark (void);

GError     *pw_aws_error_new                 (PwAwsError    code,
                                              const char   *aws_code,
                                              guint         http_status,
                                              const char   *request_id,
                                              const char   *service_message,
                                              const char   *format,
                                              ...) G_GNUC_PRINTF (6, 7);

const char *pw_aws_error_get_code            (const GError *error);
guint       pw_aws_error_get_http_status     (const GError *error);
const char *pw_aws_error_get_request_id      (const GError *error);
const char *pw_aws_error_get_service_message (const GError *error);
gboolean    pw_aws_error_has_code            (const GError *error,
                                              const char   *aws_code);

char       *pw_aws_error_format_body         (PwAwsProtocol  protocol,
                                              const char    *aws_code,
                                              const char    *message,
                                              const char    *request_id,
                                              const char   **out_content_type);

G_END_DECLS
