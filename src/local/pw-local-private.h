/* pw-local-private.h: what the parts of the local server share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pw-local-error.h"

G_BEGIN_DECLS

#define PW_LOCAL_ACCOUNT_ID "123456789012"
#define PW_LOCAL_DEFAULT_REGION "us-east-1"

/* Limits (docs/personalize-api.md 1.2, 2.1, 5, 7). */
#define PW_LOCAL_MAX_JSON_BODY (1024 * 1024)
#define PW_LOCAL_MAX_QUERY_BODY (256 * 1024)
#define PW_LOCAL_MAX_S3_SMALL_BODY (1024 * 1024)
#define PW_LOCAL_MAX_OBJECT_SIZE ((goffset) 5 << 30)
#define PW_LOCAL_MAX_KEY_LENGTH 1024
#define PW_LOCAL_REQUEST_TIMEOUT_SECONDS 60

typedef struct _PwLocalS3 PwLocalS3;
typedef struct _PwLocalIam PwLocalIam;
typedef struct _PwLocalPersonalize PwLocalPersonalize;

/**
 * PwLocalRequest:
 * A request as the router hands it to a service: the raw path and query
 * (percent-encoded, as received), the headers and the body, either in
 * memory (@body) or, for S3 object uploads, in a temporary file
 * (@body_file, with its MD5 in @body_md5).
 */
typedef struct
{
  const char         *method;
  const char         *raw_path;
  const char         *raw_query;
  SoupMessageHeaders *headers;
  GBytes             *body;
  const char         *body_file;
  const guint8       *body_md5;
  goffset             body_size;
  const char         *region;
  const char         *request_id;
} PwLocalRequest;

typedef struct
{
  guint       status;
  char       *content_type;
  GBytes     *body;
  GPtrArray  *headers; /* name, value, name, value, ... */
} PwLocalResponse;

void     pw_local_response_clear       (PwLocalResponse *response);
void     pw_local_response_set         (PwLocalResponse *response,
                                        guint            status,
                                        const char      *content_type,
                                        GBytes          *body);
void     pw_local_response_set_text    (PwLocalResponse *response,
                                        guint            status,
                                        const char      *content_type,
                                        const char      *text);
void     pw_local_response_set_json    (PwLocalResponse *response,
                                        JsonNode        *node);
void     pw_local_response_add_header  (PwLocalResponse *response,
                                        const char      *name,
                                        const char      *value);
void     pw_local_response_set_error   (PwLocalResponse *response,
                                        PwLocalProtocol  protocol,
                                        const char      *request_id,
                                        const char      *resource,
                                        const GError    *error);
void     pw_local_response_set_aws_error (PwLocalResponse *response,
                                          PwLocalProtocol  protocol,
                                          const char      *request_id,
                                          const char      *code,
                                          guint            status,
                                          const char      *message);

/* Helpers shared by the services. */
double   pw_local_now                  (void);
char    *pw_local_iso8601              (double           when,
                                        gboolean         milliseconds);
char    *pw_local_xml_escape           (const char      *text);
void     pw_local_xml_append_element   (GString         *xml,
                                        const char      *name,
                                        const char      *value);
GHashTable *pw_local_parse_form        (const char      *text,
                                        gsize            length,
                                        GError         **error);
GHashTable *pw_local_parse_query       (const char      *raw_query);
gboolean pw_local_json_check_depth     (const char      *data,
                                        gsize            length,
                                        guint            max_depth);
JsonNode *pw_local_json_parse          (const char      *data,
                                        gsize            length,
                                        GError         **error);

/* S3 (pw-local-s3*.c; pw-local-s3.c says which file owns what): thread-safe. */
PwLocalS3 *pw_local_s3_new             (const char      *data_dir,
                                        const char      *region,
                                        GError         **error);
void     pw_local_s3_free              (PwLocalS3       *s3);
void     pw_local_s3_handle            (PwLocalS3       *s3,
                                        const PwLocalRequest *request,
                                        PwLocalResponse *response);
gboolean pw_local_s3_parse_path        (const char      *raw_path,
                                        char           **bucket,
                                        char           **key,
                                        GError         **error);
gboolean pw_local_s3_parse_url         (const char      *url,
                                        char           **bucket,
                                        char           **key);
gboolean pw_local_s3_valid_bucket_name (const char      *name);
GBytes  *pw_local_s3_get_object        (PwLocalS3       *s3,
                                        const char      *bucket,
                                        const char      *key,
                                        GError         **error);
GPtrArray *pw_local_s3_list_keys       (PwLocalS3       *s3,
                                        const char      *bucket,
                                        const char      *prefix,
                                        GError         **error);
gboolean pw_local_s3_put_object        (PwLocalS3       *s3,
                                        const char      *bucket,
                                        const char      *key,
                                        GBytes          *data,
                                        GError         **error);
gboolean pw_local_s3_bucket_exists     (PwLocalS3       *s3,
                                        const char      *bucket);
char    *pw_local_s3_temp_path         (PwLocalS3       *s3);

/* IAM and STS (pw-local-iam.c): thread-safe. */
PwLocalIam *pw_local_iam_new           (const char      *data_dir,
                                        GError         **error);
void     pw_local_iam_free             (PwLocalIam      *iam);
void     pw_local_iam_handle           (PwLocalIam      *iam,
                                        const PwLocalRequest *request,
                                        PwLocalResponse *response);
void     pw_local_sts_handle           (PwLocalIam      *iam,
                                        const char      *access_key_id,
                                        const PwLocalRequest *request,
                                        PwLocalResponse *response);
gboolean pw_local_iam_role_exists      (PwLocalIam      *iam,
                                        const char      *role_arn);
gboolean pw_local_query_check_action   (GHashTable      *params,
                                        const char      *service,
                                        const char     **action,
                                        GError         **error);

/* Personalize (pw-local-personalize.c). */
PwLocalPersonalize *pw_local_personalize_new (const char *data_dir,
                                        const char      *region,
                                        PwLocalS3       *s3,
                                        PwLocalIam      *iam,
                                        guint            step_ms,
                                        GError         **error);
void     pw_local_personalize_start    (PwLocalPersonalize *self);
void     pw_local_personalize_free     (PwLocalPersonalize *self);
void     pw_local_personalize_handle_control (PwLocalPersonalize *self,
                                        const char      *operation,
                                        const PwLocalRequest *request,
                                        PwLocalResponse *response);
gboolean pw_local_personalize_handle_rest (PwLocalPersonalize *self,
                                        const char      *path,
                                        const PwLocalRequest *request,
                                        PwLocalResponse *response);
JsonObject *pw_local_personalize_parse_input (const char *operation,
                                        const char      *data,
                                        gsize            length,
                                        GError         **error);
gboolean pw_local_validate_avro_schema (const char      *text,
                                        GError         **error);

G_END_DECLS
