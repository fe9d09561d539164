/* pw-aws-sigv4.h: AWS Signature Version 4, for signing and for verifying
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libsoup/soup.h>

#include "pw-aws-credentials.h"

G_BEGIN_DECLS

#define PW_AWS_SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define PW_AWS_EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define PW_AWS_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"
/* How far a request's x-amz-date may be from the verifier's clock. */
#define PW_AWS_SIGV4_MAX_SKEW_SECONDS (15 * 60)

/**
 * PwAwsSigv4Flags:
 * @PW_AWS_SIGV4_NONE: the rules of every service but S3
 * @PW_AWS_SIGV4_S3: S3's rules: the path is signed exactly as sent (not
 *   normalised nor encoded again) and `x-amz-content-sha256` is sent and signed
 * @PW_AWS_SIGV4_SIGN_ALL_HEADERS: sign every header present (but
 *   `user-agent`, `expect`, `x-amzn-trace-id`), as botocore does; by default
 *   only `host`, `content-type`, `content-md5` and `x-amz-*` are signed
 */
typedef enum
{
  PW_AWS_SIGV4_NONE = 0,
  PW_AWS_SIGV4_S3 = 1 << 0,
  PW_AWS_SIGV4_SIGN_ALL_HEADERS = 1 << 1,
} PwAwsSigv4Flags;

/* Building blocks (exposed for tests and for the local server). */
char  *pw_aws_sha256_hex                (const void          *data,
                                         gsize                length);
char  *pw_aws_uri_encode                (const char          *text,
                                         gssize               length,
                                         gboolean             keep_slash);
char  *pw_aws_uri_decode                (const char          *text,
                                         gssize               length);
char  *pw_aws_sigv4_format_date         (GDateTime           *when);
char  *pw_aws_sigv4_canonical_uri       (const char          *raw_path,
                                         gboolean             s3);
char  *pw_aws_sigv4_canonical_query     (const char          *raw_query);
char  *pw_aws_sigv4_canonical_request   (const char          *method,
                                         const char          *raw_path,
                                         const char          *raw_query,
                                         SoupMessageHeaders  *headers,
                                         const char * const  *signed_headers,
                                         const char          *payload_hash,
                                         gboolean             s3,
                                         GError             **error);
char  *pw_aws_sigv4_string_to_sign      (const char          *amz_date,
                                         const char          *scope,
                                         const char          *canonical_request);
char  *pw_aws_sigv4_signature           (const char          *secret_access_key,
                                         const char          *date,
                                         const char          *region,
                                         const char          *service,
                                         const char          *string_to_sign);

gboolean pw_aws_sigv4_sign              (const char              *method,
                                         const char              *raw_path,
                                         const char              *raw_query,
                                         SoupMessageHeaders      *headers,
                                         const char              *payload_hash,
                                         const PwAwsCredentials  *credentials,
                                         const char              *region,
                                         const char              *service,
                                         GDateTime               *when,
                                         PwAwsSigv4Flags          flags,
                                         char                   **out_canonical_request,
                                         GError                 **error);

/**
 * PwAwsAuthorization:
 * @access_key_id: the key id from `Credential=`
 * @date: the scope's date, `YYYYMMDD`
 * @region: the scope's region
 * @service: the scope's service
 * @signed_headers: (array zero-terminated=1): the signed header names,
 *   lowercase, sorted
 * @signature: 64 lowercase hex digits
 *
 * A parsed and validated `Authorization: AWS4-HMAC-SHA256 …` header.
 */
typedef struct
{
  char *access_key_id;
  char *date;
  char *region;
  char *service;
  char **signed_headers;
  char *signature;
} PwAwsAuthorization;

PwAwsAuthorization *pw_aws_authorization_parse (const char         *header,
                                                GError            **error);
void                pw_aws_authorization_free  (PwAwsAuthorization *authorization);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwAwsAuthorization, pw_aws_authorization_free)

/**
 * PwAwsSecretLookupFunc:
 * @access_key_id: the key id the request claims
 * @out_secret_access_key: (out): the key's secret, to be freed with
 *   pw_aws_secret_free()
 * @out_session_token: (out) (nullable): the session token the request must
 *   carry, or %NULL for long-term keys
 * @user_data: the data given to pw_aws_sigv4_verify()
 *
 * Returns: %FALSE when the key is unknown
 */
typedef gboolean (*PwAwsSecretLookupFunc) (const char  *access_key_id,
                                           char       **out_secret_access_key,
                                           char       **out_session_token,
                                           gpointer     user_data);

/**
 * PwAwsSigv4Dialect:
 * @PW_AWS_SIGV4_DIALECT_JSON: answer as JSON 1.1 / REST-JSON services do
 *   (`InvalidSignatureException`, `UnrecognizedClientException`, …)
 * @PW_AWS_SIGV4_DIALECT_QUERY: as IAM and STS do (`SignatureDoesNotMatch`,
 *   `InvalidClientTokenId`, `RequestExpired`, …)
 * @PW_AWS_SIGV4_DIALECT_S3: as S3 does (`SignatureDoesNotMatch`,
 *   `InvalidAccessKeyId`, `RequestTimeTooSkewed`, …); also applies S3's
 *   signing rules
 *
 * Which AWS error codes a failed verification reports.
 */
typedef enum
{
  PW_AWS_SIGV4_DIALECT_JSON,
  PW_AWS_SIGV4_DIALECT_QUERY,
  PW_AWS_SIGV4_DIALECT_S3,
} PwAwsSigv4Dialect;

/* The longest a SigV4 presigned URL may live (X-Amz-Expires), a week. */
#define PW_AWS_PRESIGNED_MAX_EXPIRES 604800

/**
 * PwAwsPresignedKind:
 * @PW_AWS_PRESIGNED_NONE: no signature in the query
 * @PW_AWS_PRESIGNED_SIGV4: SigV4 query parameters (`X-Amz-Algorithm`, …)
 * @PW_AWS_PRESIGNED_SIGV2: S3's SigV2 query (`AWSAccessKeyId`, `Signature`,
 *   `Expires`)
 */
typedef enum
{
  PW_AWS_PRESIGNED_NONE,
  PW_AWS_PRESIGNED_SIGV4,
  PW_AWS_PRESIGNED_SIGV2,
} PwAwsPresignedKind;

PwAwsPresignedKind pw_aws_presigned_kind    (const char *raw_query);
char              *pw_aws_presigned_service (const char *raw_query);

gboolean pw_aws_sigv4_verify (const char             *method,
                              const char             *raw_path,
                              const char             *raw_query,
                              SoupMessageHeaders     *headers,
                              const char             *payload_hash,
                              PwAwsSigv4Dialect       dialect,
                              PwAwsSecretLookupFunc   lookup,
                              gpointer                user_data,
                              GDateTime              *now,
                              PwAwsAuthorization    **out_authorization,
                              GError                **error);

gboolean pw_aws_sigv4_verify_server_message (SoupServerMessage      *msg,
                                             const char             *payload_hash,
                                             PwAwsSigv4Dialect       dialect,
                                             PwAwsSecretLookupFunc   lookup,
                                             gpointer                user_data,
                                             GDateTime              *now,
                                             PwAwsAuthorization    **out_authorization,
                                             GError                **error);

G_END_DECLS
