/* pw-aws-client-private.h: what the parts of PwAwsClient share
 *
 * PwAwsClient is one class cut into four files over this header:
 * pw-aws-client.c (the object, the public API and making calls),
 * pw-aws-client-request.c (turning a call into a request, and a success
 * answer into JSON), pw-aws-client-retry.c (errors, retries, the check of
 * an ambiguous create) and pw-aws-client-transfer.c (sending an attempt,
 * timeouts, and streaming bodies to and from files).
 *
 * A call is a GTask whose task data is a PwAwsCall; the functions below
 * that take a GTask expect such a task.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pw-aws-client.h"

G_BEGIN_DECLS

#define DOWNLOAD_CHUNK (256 * 1024)
#define MAX_REDIRECTS 2
#define MAX_ERROR_BODY (1024 * 1024)
/* The most an answer read into memory may declare (downloads to a file
 * have no limit): a larger Content-Length is refused when the headers
 * arrive, instead of reading it, or waiting for it, before failing. */
#define MAX_MEMORY_BODY ((goffset) 256 * 1024 * 1024)
/* Standard mode's retry quota: a retry costs 5 tokens (10 after a
 * timeout), a success gives back what its retries cost, or 1. */
#define RETRY_QUOTA 500
#define RETRY_COST 5
#define RETRY_TIMEOUT_COST 10

struct _PwAwsClient
{
  GObject parent_instance;

  SoupSession *session;
  GMainContext *context;
  PwAwsConfig *config;
  guint max_attempts;
  guint base_delay_ms;
  guint max_delay_ms;
  guint timeout_ms;
  gint64 clock_offset;        /* seconds to add to the local clock */
  GHashTable *bucket_regions; /* bucket -> region learnt from redirects */
  guint retry_tokens;
};

/* Calls */

typedef enum
{
  PW_AWS_CALL_GENERIC,
  PW_AWS_CALL_PUT_FILE,
  PW_AWS_CALL_GET_FILE,
} PwAwsCallKind;

typedef struct
{
  PwAwsClient *client;
  PwAwsService service;
  const PwAwsOperation *op;
  JsonObject *input;
  PwAwsCallKind kind;

  GFile *file;
  char *content_type;
  goffset file_size;
  char *file_hash;
  PwAwsProgressFunc progress;
  gpointer progress_data;

  guint attempt;
  gboolean skew_corrected;
  guint redirects;
  char *redirect_url;
  gboolean was_ambiguous;
  guint retry_cost;            /* tokens the last retry took */
  gint64 started;              /* wall clock (corrected), seconds */
  GError *check_error;         /* the failure that made us check */
  char *check_token;

  /* The current attempt. */
  SoupMessage *msg;
  char *url_for_people;        /* scheme://host/path, no query */
  GCancellable *user_cancellable;
  GCancellable *attempt_cancellable;
  gulong cancelled_id;
  GSource *timeout_source;
  gboolean timed_out;
  gboolean body_written;
  goffset declared_too_large;  /* the Content-Length refused, -1 if no number, or 0 */
  guint64 transferred;
  guint64 expected_length;
  GInputStream *in;
  GOutputStream *out;
  GByteArray *error_body;
  guint8 *buffer;

  GSource *wait_source;
  GSource *wait_cancel_source;
} PwAwsCall;

/* Requests */

typedef struct
{
  char *method;
  char *scheme;
  char *host;
  int port;
  char *path;          /* encoded */
  char *query;         /* encoded, or NULL */
  char *content_type;
  GBytes *body;
  char *payload_hash;
  char *target;        /* X-Amz-Target */
  char *content_md5;
  char *signing_region;
  gboolean s3;
} PwAwsRequest;

void pw_aws_request_clear (PwAwsRequest *r);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PwAwsRequest, pw_aws_request_clear)

/* pw-aws-client.c */
void         pw_aws_clear_source                (GSource      **source);
void         pw_aws_call_reset_attempt          (PwAwsCall     *call);
void         pw_aws_call_clear_wait             (PwAwsCall     *call);
gint64       pw_aws_client_corrected_now        (PwAwsClient   *self);

/* pw-aws-client-request.c */
const char  *pw_aws_input_string                (JsonObject          *input,
                                                 const char          *member);
void         pw_aws_copy_header                 (JsonObject          *out,
                                                 SoupMessageHeaders  *headers,
                                                 const char          *header,
                                                 const char          *member);
gboolean     pw_aws_call_build_request          (PwAwsCall           *call,
                                                 PwAwsRequest        *r,
                                                 GError             **error);
char        *pw_aws_request_host_header         (const PwAwsRequest  *r);
JsonObject  *pw_aws_call_parse_success          (PwAwsCall           *call,
                                                 GBytes              *body,
                                                 GError             **error);

/* pw-aws-client-retry.c */
void         pw_aws_call_return_error           (GTask        *task,
                                                 GError       *error);
void         pw_aws_call_return_object          (GTask        *task,
                                                 JsonObject   *object);
gboolean     pw_aws_call_user_cancelled         (GTask        *task);
void         pw_aws_call_return_cancelled       (GTask        *task);
void         pw_aws_call_handle_answer          (GTask        *task,
                                                 GBytes       *body);
void         pw_aws_call_handle_transport_error (GTask        *task,
                                                 GError       *cause);

/* pw-aws-client-transfer.c */
void         pw_aws_call_start_attempt          (GTask        *task);

G_END_DECLS
