/* pw-local-error.c: AWS error codes and HTTP statuses of the local server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include "pw-local-error.h"

G_DEFINE_QUARK (pw-local-error-quark, pw_local_error)

typedef struct
{
  PwLocalError error;
  const char *code;
  guint status;
} ErrorInfo;

/* Statuses as docs/personalize-api.md 1.4 and 9 give them. */
static const ErrorInfo errors[] = {
  { PW_LOCAL_ERROR_INVALID_INPUT, "InvalidInputException", 400 },
  { PW_LOCAL_ERROR_RESOURCE_NOT_FOUND, "ResourceNotFoundException", 400 },
  { PW_LOCAL_ERROR_RESOURCE_ALREADY_EXISTS, "ResourceAlreadyExistsException", 400 },
  { PW_LOCAL_ERROR_RESOURCE_IN_USE, "ResourceInUseException", 400 },
  { PW_LOCAL_ERROR_LIMIT_EXCEEDED, "LimitExceededException", 400 },
  { PW_LOCAL_ERROR_INVALID_NEXT_TOKEN, "InvalidNextTokenException", 400 },
  { PW_LOCAL_ERROR_TOO_MANY_TAGS, "TooManyTagsException", 400 },
  { PW_LOCAL_ERROR_SERIALIZATION, "SerializationException", 400 },
  { PW_LOCAL_ERROR_UNKNOWN_OPERATION, "UnknownOperationException", 400 },
  { PW_LOCAL_ERROR_REQUEST_TOO_LARGE, "RequestEntityTooLargeException", 413 },
  { PW_LOCAL_ERROR_INTERNAL_FAILURE, "InternalFailure", 500 },
  { PW_LOCAL_ERROR_REQUEST_TIMEOUT, "RequestTimeout", 400 },
  { PW_LOCAL_ERROR_NO_SUCH_BUCKET, "NoSuchBucket", 404 },
  { PW_LOCAL_ERROR_NO_SUCH_KEY, "NoSuchKey", 404 },
  { PW_LOCAL_ERROR_BUCKET_ALREADY_OWNED_BY_YOU, "BucketAlreadyOwnedByYou", 409 },
  { PW_LOCAL_ERROR_BUCKET_NOT_EMPTY, "BucketNotEmpty", 409 },
  { PW_LOCAL_ERROR_INVALID_BUCKET_NAME, "InvalidBucketName", 400 },
  { PW_LOCAL_ERROR_MALFORMED_POLICY, "MalformedPolicy", 400 },
  { PW_LOCAL_ERROR_NO_SUCH_BUCKET_POLICY, "NoSuchBucketPolicy", 404 },
  { PW_LOCAL_ERROR_KEY_TOO_LONG, "KeyTooLongError", 400 },
  { PW_LOCAL_ERROR_ENTITY_TOO_LARGE, "EntityTooLarge", 400 },
  { PW_LOCAL_ERROR_BAD_DIGEST, "BadDigest", 400 },
  { PW_LOCAL_ERROR_CONTENT_SHA256_MISMATCH, "XAmzContentSHA256Mismatch", 400 },
  { PW_LOCAL_ERROR_INVALID_ARGUMENT, "InvalidArgument", 400 },
  { PW_LOCAL_ERROR_INVALID_REQUEST, "InvalidRequest", 400 },
  { PW_LOCAL_ERROR_NOT_IMPLEMENTED, "NotImplemented", 501 },
  { PW_LOCAL_ERROR_METHOD_NOT_ALLOWED, "MethodNotAllowed", 405 },
  { PW_LOCAL_ERROR_MALFORMED_XML, "MalformedXML", 400 },
  { PW_LOCAL_ERROR_NO_SUCH_UPLOAD, "NoSuchUpload", 404 },
  { PW_LOCAL_ERROR_INVALID_PART, "InvalidPart", 400 },
  { PW_LOCAL_ERROR_INVALID_PART_ORDER, "InvalidPartOrder", 400 },
  { PW_LOCAL_ERROR_NO_SUCH_ENTITY, "NoSuchEntity", 404 },
  { PW_LOCAL_ERROR_ENTITY_ALREADY_EXISTS, "EntityAlreadyExists", 409 },
  { PW_LOCAL_ERROR_DELETE_CONFLICT, "DeleteConflict", 409 },
  { PW_LOCAL_ERROR_MALFORMED_POLICY_DOCUMENT, "MalformedPolicyDocument", 400 },
  { PW_LOCAL_ERROR_IAM_INVALID_INPUT, "InvalidInput", 400 },
  { PW_LOCAL_ERROR_VALIDATION, "ValidationError", 400 },
  { PW_LOCAL_ERROR_INVALID_ACTION, "InvalidAction", 400 },
  { PW_LOCAL_ERROR_MISSING_PARAMETER, "MissingParameter", 400 },
  { PW_LOCAL_ERROR_ACCESS_DENIED, "AccessDeniedException", 400 },
};

static const ErrorInfo *
lookup (PwLocalError code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (errors); i++)
    if (errors[i].error == code)
      return &errors[i];
  return &errors[0];
}

const char *
pw_local_error_get_code (PwLocalError code)
{
  return lookup (code)->code;
}

guint
pw_local_error_get_status (PwLocalError    code,
                           PwLocalProtocol protocol)
{
  /* Runtime and events answer ResourceNotFound with 404, events answer
   * ResourceInUse with 409; the control plane uses 400 for every modeled
   * error (docs/personalize-api.md 1.4). */
  if (code == PW_LOCAL_ERROR_RESOURCE_NOT_FOUND
      && (protocol == PW_LOCAL_PROTOCOL_RUNTIME || protocol == PW_LOCAL_PROTOCOL_EVENTS))
    return 404;
  if (code == PW_LOCAL_ERROR_RESOURCE_IN_USE && protocol == PW_LOCAL_PROTOCOL_EVENTS)
    return 409;
  if (code == PW_LOCAL_ERROR_ACCESS_DENIED && protocol == PW_LOCAL_PROTOCOL_S3)
    return 403;
  return lookup (code)->status;
}
