/* pw-local-error.h: the PW_LOCAL_ERROR domain: AWS error codes the local
 * server answers with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * PwLocalError:
 *
 * One value per AWS error code the server sends. pw_local_error_get_code()
 * gives the code's text; the HTTP status depends on the protocol (see
 * pw_local_error_get_status()).
 */
typedef enum
{
  /* Personalize (JSON 1.1 and REST-JSON) */
  PW_LOCAL_ERROR_INVALID_INPUT,
  PW_LOCAL_ERROR_RESOURCE_NOT_FOUND,
  PW_LOCAL_ERROR_RESOURCE_ALREADY_EXISTS,
  PW_LOCAL_ERROR_RESOURCE_IN_USE,
  PW_LOCAL_ERROR_LIMIT_EXCEEDED,
  PW_LOCAL_ERROR_INVALID_NEXT_TOKEN,
  PW_LOCAL_ERROR_TOO_MANY_TAGS,
  PW_LOCAL_ERROR_SERIALIZATION,
  PW_LOCAL_ERROR_UNKNOWN_OPERATION,
  PW_LOCAL_ERROR_REQUEST_TOO_LARGE,
  PW_LOCAL_ERROR_INTERNAL_FAILURE,
  PW_LOCAL_ERROR_REQUEST_TIMEOUT,
  /* S3 */
  PW_LOCAL_ERROR_NO_SUCH_BUCKET,
  PW_LOCAL_ERROR_NO_SUCH_KEY,
  PW_LOCAL_ERROR_BUCKET_ALREADY_OWNED_BY_YOU,
  PW_LOCAL_ERROR_BUCKET_NOT_EMPTY,
  PW_LOCAL_ERROR_INVALID_BUCKET_NAME,
  PW_LOCAL_ERROR_MALFORMED_POLICY,
  PW_LOCAL_ERROR_NO_SUCH_BUCKET_POLICY,
  PW_LOCAL_ERROR_KEY_TOO_LONG,
  PW_LOCAL_ERROR_ENTITY_TOO_LARGE,
  PW_LOCAL_ERROR_BAD_DIGEST,
  PW_LOCAL_ERROR_CONTENT_SHA256_MISMATCH,
  PW_LOCAL_ERROR_INVALID_ARGUMENT,
  PW_LOCAL_ERROR_INVALID_REQUEST,
  PW_LOCAL_ERROR_NOT_IMPLEMENTED,
  PW_LOCAL_ERROR_METHOD_NOT_ALLOWED,
  PW_LOCAL_ERROR_MALFORMED_XML,
  PW_LOCAL_ERROR_NO_SUCH_UPLOAD,
  PW_LOCAL_ERROR_INVALID_PART,
  PW_LOCAL_ERROR_INVALID_PART_ORDER,
  /* IAM and STS */
  PW_LOCAL_ERROR_NO_SUCH_ENTITY,
  PW_LOCAL_ERROR_ENTITY_ALREADY_EXISTS,
  PW_LOCAL_ERROR_DELETE_CONFLICT,
  PW_LOCAL_ERROR_MALFORMED_POLICY_DOCUMENT,
  PW_LOCAL_ERROR_IAM_INVALID_INPUT,
  PW_LOCAL_ERROR_VALIDATION,
  PW_LOCAL_ERROR_INVALID_ACTION,
  PW_LOCAL_ERROR_MISSING_PARAMETER,
  /* Authentication (any protocol) */
  PW_LOCAL_ERROR_ACCESS_DENIED,
} PwLocalError;

/**
 * PwLocalProtocol:
 * Which family of AWS answers an error is shaped for.
 */
typedef enum
{
  PW_LOCAL_PROTOCOL_JSON,      /* personalize control plane, JSON 1.1 */
  PW_LOCAL_PROTOCOL_RUNTIME,   /* personalize-runtime, REST-JSON */
  PW_LOCAL_PROTOCOL_EVENTS,    /* personalize-events, REST-JSON */
  PW_LOCAL_PROTOCOL_S3,        /* REST-XML */
  PW_LOCAL_PROTOCOL_QUERY,     /* IAM, STS */
} PwLocalProtocol;

#define PW_LOCAL_ERROR (pw_local_error_quark ())
GQuark      pw_local_error_quark      (void);

const char *pw_local_error_get_code   (PwLocalError    code);
guint       pw_local_error_get_status (PwLocalError    code,
                                       PwLocalProtocol protocol);

G_END_DECLS
