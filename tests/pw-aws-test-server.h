/* pw-aws-test-server.h: a loopback SoupServer that checks SigV4 and answers from a script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "pw-aws.h"

G_BEGIN_DECLS

typedef struct _PwAwsTestServer PwAwsTestServer;

/* What the server received. */
typedef struct
{
  char *method;
  char *path;              /* raw, as sent */
  char *query;             /* raw, or NULL */
  char *target;            /* X-Amz-Target, or NULL */
  char *content_type;
  char *content_md5;
  char *body;              /* the first MiB, NUL-terminated */
  gsize body_length;       /* the full length */
  char *body_sha256;
  gboolean verified;       /* the signature checked out */
  char *verify_error;
  char *scope_region;
  char *scope_service;
  char *access_key_id;
  guint16 remote_port;     /* tells connections apart */
} PwAwsTestRequest;

typedef enum
{
  PW_AWS_TEST_NORMAL,
  PW_AWS_TEST_HANG,        /* never answer (the client times out) */
  PW_AWS_TEST_RAW,         /* write `body` as raw bytes on the socket, then close */
  PW_AWS_TEST_STREAM,      /* a generated body of `stream_length` bytes, sent as it is written */
} PwAwsTestKind;

PwAwsTestServer  *pw_aws_test_server_new          (void);
void              pw_aws_test_server_free         (PwAwsTestServer *server);
const char       *pw_aws_test_server_get_url      (PwAwsTestServer *server);
void              pw_aws_test_server_add_key      (PwAwsTestServer *server,
                                                   const char      *access_key_id,
                                                   const char      *secret,
                                                   const char      *token);
void              pw_aws_test_server_set_clock_offset (PwAwsTestServer *server,
                                                       gint64           seconds);
/* Queue an answer; requests take them in order. Extra headers: name,
 * value pairs, NULL-terminated. With nothing queued: 500. */
void              pw_aws_test_server_push         (PwAwsTestServer *server,
                                                   PwAwsTestKind    kind,
                                                   guint            status,
                                                   const char      *content_type,
                                                   const char      *body,
                                                   ...) G_GNUC_NULL_TERMINATED;
void              pw_aws_test_server_push_stream  (PwAwsTestServer *server,
                                                   guint64          length,
                                                   guint32          seed);
guint             pw_aws_test_server_get_n_requests (PwAwsTestServer *server);
PwAwsTestRequest *pw_aws_test_server_get_request  (PwAwsTestServer *server,
                                                   guint            index);
guint             pw_aws_test_server_get_n_pending (PwAwsTestServer *server);
const char       *pw_aws_test_server_get_stream_sha256 (PwAwsTestServer *server);
void              pw_aws_test_server_fill         (guint8          *buffer,
                                                   gsize            length,
                                                   guint32         *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwAwsTestServer, pw_aws_test_server_free)

G_END_DECLS
