/* test-local-server.c: personalize-local through raw signed HTTP
 *
 * The server runs in-process (the embedding API) on a free loopback port;
 * requests are signed with the aws layer's SigV4 signer and sent with
 * libsoup. Covers authentication, the control plane lifecycle and errors,
 * paging, S3, IAM/STS, limits (large bodies, huge headers, slow clients)
 * and persistence across a restart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pw-aws-credentials.h"
#include "pw-aws-sigv4.h"
#include "pw-local-server.h"
#include "pw-local-store.h"

#define P "arn:aws:personalize:us-east-1:123456789012"

typedef struct
{
  char *dir;
  PwLocalServer *server;
  SoupSession *session;
  PwAwsCredentials *credentials;
} Fixture;

typedef struct
{
  guint status;
  char *code;
  GBytes *body;
  JsonNode *json;
} Reply;

static void
reply_clear (Reply *r)
{
  g_free (r->code);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_pointer (&r->json, json_node_unref);
}

static void
start_server (Fixture *f)
{
  PwLocalServerOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autofree char *id = NULL;
  g_autofree char *secret = NULL;

  options.data_dir = f->dir;
  options.step_ms = 150;
  options.request_timeout = 1;
  f->server = pw_local_server_new (&options);
  g_assert_true (pw_local_server_start (f->server, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (pw_local_server_get_url (f->server), "http://127.0.0.1:"));
  g_assert_cmpuint (pw_local_server_get_port (f->server), >, 0);
  g_assert_true (g_key_file_load_from_file (keys, pw_local_server_get_credentials_file (f->server), 0, &error));
  id = g_key_file_get_string (keys, "default", "aws_access_key_id", &error);
  secret = g_key_file_get_string (keys, "default", "aws_secret_access_key", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_strstrip (id), ==, pw_local_server_get_access_key_id (f->server));
  g_clear_pointer (&f->credentials, pw_aws_credentials_free);
  f->credentials = pw_aws_credentials_new (id, g_strstrip (secret), NULL, "test");
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("pw-local-test-XXXXXX", NULL);
  f->session = soup_session_new_with_options ("timeout", 30, NULL);
  start_server (f);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  pw_local_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->session);
  g_clear_pointer (&f->credentials, pw_aws_credentials_free);
  remove_tree (f->dir);
  g_free (f->dir);
}

/* Sends a request signed for @service; @secret overrides the secret,
 * @skew_seconds moves the signing clock. */
static void
send_request (Fixture    *f,
              const char *method,
              const char *path,
              const char *query,
              const char *service,
              const char *target,
              const char *content_type,
              const void *body,
              gsize       body_length,
              const char *secret,
              int         skew_seconds,
              gboolean    sign,
              Reply      *reply)
{
  g_autofree char *url = g_strdup_printf ("%s%s%s%s", pw_local_server_get_url (f->server), path,
                                          query != NULL ? "?" : "", query != NULL ? query : "");
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", pw_local_server_get_port (f->server));
  g_autofree char *hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, body != NULL ? body : (const void *) "",
                                                       body_length);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) when = g_date_time_add_seconds (now, skew_seconds);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwAwsCredentials) creds = pw_aws_credentials_copy (f->credentials);
  const char *code;

  g_assert_nonnull (msg);
  soup_message_headers_replace (headers, "Host", host);
  if (target != NULL)
    soup_message_headers_replace (headers, "X-Amz-Target", target);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_length);
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  else if (content_type != NULL)
    soup_message_headers_replace (headers, "Content-Type", content_type);
  if (secret != NULL)
    {
      g_free (creds->secret_access_key);
      creds->secret_access_key = g_strdup (secret);
    }
  if (sign)
    g_assert_true (pw_aws_sigv4_sign (method, path, query, headers, hash, creds, "us-east-1", service, when,
                                      strcmp (service, "s3") == 0 ? PW_AWS_SIGV4_S3 : PW_AWS_SIGV4_NONE,
                                      NULL, &error));
  g_assert_no_error (error);
  reply->body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  code = soup_message_headers_get_one (soup_message_get_response_headers (msg), "x-amzn-ErrorType");
  reply->code = g_strdup (code);
  if (g_bytes_get_size (reply->body) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize len;
      const char *data = g_bytes_get_data (reply->body, &len);

      if (json_parser_load_from_data (parser, data, len, NULL))
        reply->json = json_node_copy (json_parser_get_root (parser));
      else if (reply->code == NULL)
        {
          /* XML errors: <Code>...</Code> */
          g_autofree char *text = g_strndup (data, len);
          const char *a = strstr (text, "<Code>");
          const char *b = strstr (text, "</Code>");

          if (a != NULL && b != NULL)
            reply->code = g_strndup (a + 6, b - a - 6);
        }
    }
}

static void
call (Fixture    *f,
      const char *operation,
      const char *json,
      Reply      *reply)
{
  g_autofree char *target = g_strconcat ("AmazonPersonalize.", operation, NULL);

  send_request (f, "POST", "/", NULL, "personalize", target, "application/x-amz-json-1.1",
                json, strlen (json), NULL, 0, TRUE, reply);
}

static const char *
member_string (Reply      *r,
               const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *obj;

  g_assert_nonnull (r->json);
  obj = json_node_get_object (r->json);
  for (guint i = 0; parts[i + 1] != NULL; i++)
    obj = json_object_get_object_member (obj, parts[i]);
  return json_object_get_string_member_with_default (obj, parts[g_strv_length (parts) - 1], NULL);
}

static void
assert_ok (Reply *r)
{
  if (r->status != 200 && r->status != 204)
    g_test_message ("status %u %s: %.*s", r->status, r->code, (int) g_bytes_get_size (r->body),
                    (const char *) g_bytes_get_data (r->body, NULL));
  g_assert_true (r->status == 200 || r->status == 204);
}

static void
assert_error (Reply      *r,
              guint       status,
              const char *code)
{
  g_test_message ("%u %s", r->status, r->code);
  g_assert_cmpuint (r->status, ==, status);
  g_assert_cmpstr (r->code, ==, code);
}

static char *
wait_status (Fixture    *f,
             const char *operation,
             const char *json,
             const char *path,
             const char *want)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      Reply r = { 0 };
      char *status;

      call (f, operation, json, &r);
      assert_ok (&r);
      status = g_strdup (member_string (&r, path));
      reply_clear (&r);
      if (g_strcmp0 (status, want) == 0)
        return status;
      g_free (status);
      g_usleep (30000);
    }
  g_assert_not_reached ();
}

/* Describes the resource every 30 ms (200 times at most) until the answer
 * is a 400, which must be ResourceNotFoundException. */
static void
wait_gone (Fixture    *f,
           const char *operation,
           const char *json)
{
  Reply r = { 0 };

  for (int i = 0; i < 200; i++)
    {
      call (f, operation, json, &r);
      if (r.status == 400)
        break;
      reply_clear (&r);
      g_usleep (30000);
    }
  assert_error (&r, 400, "ResourceNotFoundException");
  reply_clear (&r);
}

/* ---- tests ---- */

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  const char *body = "{}";
  Reply r = { 0 };

  /* Unsigned. */
  send_request (f, "POST", "/", NULL, "personalize", "AmazonPersonalize.ListDatasetGroups",
                "application/x-amz-json-1.1", body, 2, NULL, 0, FALSE, &r);
  assert_error (&r, 403, "MissingAuthenticationTokenException");
  reply_clear (&r);
  /* The wrong secret. */
  send_request (f, "POST", "/", NULL, "personalize", "AmazonPersonalize.ListDatasetGroups",
                "application/x-amz-json-1.1", body, 2, "not-the-secret", 0, TRUE, &r);
  assert_error (&r, 403, "InvalidSignatureException");
  reply_clear (&r);
  /* 16 minutes late. */
  send_request (f, "POST", "/", NULL, "personalize", "AmazonPersonalize.ListDatasetGroups",
                "application/x-amz-json-1.1", body, 2, NULL, -16 * 60, TRUE, &r);
  assert_error (&r, 400, "InvalidSignatureException");
  g_assert_nonnull (strstr (g_bytes_get_data (r.body, NULL), "Signature expired"));
  reply_clear (&r);
  /* 14 minutes early is fine. */
  send_request (f, "POST", "/", NULL, "personalize", "AmazonPersonalize.ListDatasetGroups",
                "application/x-amz-json-1.1", body, 2, NULL, 14 * 60, TRUE, &r);
  assert_ok (&r);
  reply_clear (&r);
  /* An unknown key. */
  g_free (f->credentials->access_key_id);
  f->credentials->access_key_id = g_strdup ("AKIDUNKNOWN");
  send_request (f, "POST", "/", NULL, "personalize", "AmazonPersonalize.ListDatasetGroups",
                "application/x-amz-json-1.1", body, 2, NULL, 0, TRUE, &r);
  assert_error (&r, 403, "UnrecognizedClientException");
  reply_clear (&r);
  /* S3 and IAM answer in their own words. */
  send_request (f, "GET", "/somebucket", NULL, "s3", NULL, NULL, NULL, 0, NULL, 0, TRUE, &r);
  assert_error (&r, 403, "InvalidAccessKeyId");
  reply_clear (&r);
  send_request (f, "POST", "/", NULL, "iam", NULL, "application/x-www-form-urlencoded",
                "Action=ListRoles&Version=2010-05-08", 35, NULL, 0, TRUE, &r);
  assert_error (&r, 403, "InvalidClientTokenId");
  reply_clear (&r);
}

static void
test_lifecycle (Fixture       *f,
                gconstpointer  data)
{
  Reply r = { 0 };
  g_autofree char *status = NULL;

  call (f, "CreateDatasetGroup", "{\"name\":\"dg-one\"}", &r);
  assert_ok (&r);
  g_assert_cmpstr (member_string (&r, "datasetGroupArn"), ==, P ":dataset-group/dg-one");
  reply_clear (&r);
  call (f, "DescribeDatasetGroup", "{\"datasetGroupArn\":\"" P ":dataset-group/dg-one\"}", &r);
  assert_ok (&r);
  g_assert_cmpstr (member_string (&r, "datasetGroup.status"), ==, "CREATE PENDING");
  reply_clear (&r);
  status = wait_status (f, "DescribeDatasetGroup", "{\"datasetGroupArn\":\"" P ":dataset-group/dg-one\"}",
                        "datasetGroup.status", "CREATE IN_PROGRESS");
  g_free (status);
  status = wait_status (f, "DescribeDatasetGroup", "{\"datasetGroupArn\":\"" P ":dataset-group/dg-one\"}",
                        "datasetGroup.status", "ACTIVE");

  call (f, "CreateDatasetGroup", "{\"name\":\"dg-one\"}", &r);
  assert_error (&r, 400, "ResourceAlreadyExistsException");
  reply_clear (&r);

  /* A schema and dataset keep the group in use. */
  call (f, "CreateSchema", "{\"name\":\"s1\",\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Interactions\\\","
        "\\\"fields\\\":[{\\\"name\\\":\\\"USER_ID\\\",\\\"type\\\":\\\"string\\\"},{\\\"name\\\":\\\"ITEM_ID\\\","
        "\\\"type\\\":\\\"string\\\"},{\\\"name\\\":\\\"TIMESTAMP\\\",\\\"type\\\":\\\"long\\\"}]}\"}", &r);
  assert_ok (&r);
  reply_clear (&r);
  call (f, "CreateDataset", "{\"name\":\"d1\",\"schemaArn\":\"" P ":schema/s1\",\"datasetGroupArn\":\""
        P ":dataset-group/dg-one\",\"datasetType\":\"interactions\"}", &r);
  assert_ok (&r);
  g_assert_cmpstr (member_string (&r, "datasetArn"), ==, P ":dataset/dg-one/INTERACTIONS");
  reply_clear (&r);
  call (f, "DeleteDataset", "{\"datasetArn\":\"" P ":dataset/dg-one/INTERACTIONS\"}", &r);
  assert_error (&r, 400, "ResourceInUseException"); /* still CREATE PENDING */
  reply_clear (&r);
  call (f, "DeleteDatasetGroup", "{\"datasetGroupArn\":\"" P ":dataset-group/dg-one\"}", &r);
  assert_error (&r, 400, "ResourceInUseException");
  g_assert_nonnull (strstr (g_bytes_get_data (r.body, NULL), "dataset/dg-one/INTERACTIONS"));
  reply_clear (&r);
  g_free (status);
  status = wait_status (f, "DescribeDataset", "{\"datasetArn\":\"" P ":dataset/dg-one/INTERACTIONS\"}",
                        "dataset.status", "ACTIVE");
  call (f, "DeleteSchema", "{\"schemaArn\":\"" P ":schema/s1\"}", &r);
  assert_error (&r, 400, "ResourceInUseException");
  reply_clear (&r);
  call (f, "DeleteDataset", "{\"datasetArn\":\"" P ":dataset/dg-one/INTERACTIONS\"}", &r);
  assert_ok (&r);
  reply_clear (&r);
  call (f, "DescribeDataset", "{\"datasetArn\":\"" P ":dataset/dg-one/INTERACTIONS\"}", &r);
  assert_ok (&r);
  g_assert_true (g_str_has_prefix (member_string (&r, "dataset.status"), "DELETE"));
  reply_clear (&r);
  wait_gone (f, "DescribeDataset", "{\"datasetArn\":\"" P ":dataset/dg-one/INTERACTIONS\"}");
  call (f, "DeleteSchema", "{\"schemaArn\":\"" P ":schema/s1\"}", &r);
  assert_ok (&r);
  reply_clear (&r);
  call (f, "DeleteDatasetGroup", "{\"datasetGroupArn\":\"" P ":dataset-group/dg-one\"}", &r);
  assert_ok (&r);
  reply_clear (&r);
  call (f, "DescribeDatasetGroup", "{\"datasetGroupArn\":\"" P ":dataset-group/dg-one\"}", &r);
  g_assert_cmpstr (member_string (&r, "datasetGroup.status"), ==, "DELETE PENDING");
  reply_clear (&r);
  wait_gone (f, "DescribeDatasetGroup", "{\"datasetGroupArn\":\"" P ":dataset-group/dg-one\"}");
  call (f, "ListDatasetGroups", "{}", &r);
  assert_ok (&r);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (r.json),
                                                                           "datasetGroups")), ==, 0);
  reply_clear (&r);
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  static const struct
  {
    const char *operation;
    const char *body;
    const char *code;
  } cases[] = {
    { "CreateDatasetGroup", "{\"name\":\"bad name\"}", "InvalidInputException" },
    { "CreateDatasetGroup", "{\"name\":\"" "a123456789012345678901234567890123456789012345678901234567890123" "\"}",
      "InvalidInputException" },
    { "CreateDatasetGroup", "{}", "InvalidInputException" },
    { "CreateDatasetGroup", "{\"name\":\"ok\",\"colour\":\"blue\"}", "InvalidInputException" },
    { "CreateDatasetGroup", "{\"name\":42}", "SerializationException" },
    { "CreateDatasetGroup", "{\"name\":", "SerializationException" },
    { "CreateDatasetGroup", "[1,2]", "SerializationException" },
    { "CreateDatasetGroup", "{\"name\":\"ok\",\"domain\":\"SPORTS\"}", "InvalidInputException" },
    { "CreateDatasetGroup", "{\"name\":\"ok\",\"roleArn\":\"not-a-role\"}", "InvalidInputException" },
    { "DescribeDatasetGroup", "{\"datasetGroupArn\":\"" P ":dataset-group/none\"}", "ResourceNotFoundException" },
    { "DescribeDatasetGroup", "{\"datasetGroupArn\":\"arn:nope\"}", "InvalidInputException" },
    { "DescribeSolution", "{\"solutionArn\":\"" P ":dataset-group/none\"}", "ResourceNotFoundException" },
    { "ListDatasetGroups", "{\"maxResults\":0}", "InvalidInputException" },
    { "ListDatasetGroups", "{\"nextToken\":\"garbage\"}", "InvalidNextTokenException" },
    { "CreateSchema", "{\"name\":\"s\",\"schema\":\"{\\\"type\\\":\\\"record\\\"}\"}", "InvalidInputException" },
    { "CreateSchema", "{\"name\":\"s\",\"schema\":\"not json\"}", "InvalidInputException" },
    { "CreateSolution", "{\"name\":\"s\",\"datasetGroupArn\":\"" P ":dataset-group/none\","
      "\"recipeArn\":\"arn:aws:personalize:::recipe/aws-user-personalization\"}", "ResourceNotFoundException" },
    { "CreateSolution", "{\"name\":\"s\",\"datasetGroupArn\":\"" P ":dataset-group/none\","
      "\"recipeArn\":\"arn:aws:personalize:::recipe/aws-nothing\"}", "ResourceNotFoundException" },
    { "GetSolutionMetrics", "{\"solutionVersionArn\":\"" P ":solution/a/12345678\"}", "ResourceNotFoundException" },
    { "Explode", "{}", "UnknownOperationException" },
  };
  g_autoptr(GString) deep = g_string_new ("{\"name\":");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Reply r = { 0 };

      g_test_message ("%s %s", cases[i].operation, cases[i].body);
      call (f, cases[i].operation, cases[i].body, &r);
      assert_error (&r, 400, cases[i].code);
      /* JSON 1.1 errors carry __type and a message. */
      g_assert_cmpstr (member_string (&r, "__type"), ==, cases[i].code);
      g_assert_true (strlen (member_string (&r, "message")) > 10);
      reply_clear (&r);
    }
  /* Deep nesting is refused before any parser recurses. */
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  {
    Reply r = { 0 };

    call (f, "CreateDatasetGroup", deep->str, &r);
    assert_error (&r, 400, "SerializationException");
    reply_clear (&r);
  }
}

static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *token = NULL;
  guint pages = 0;

  for (int i = 0; i < 5; i++)
    {
      Reply r = { 0 };
      g_autofree char *body = g_strdup_printf ("{\"name\":\"group-%d\"}", i);

      call (f, "CreateDatasetGroup", body, &r);
      assert_ok (&r);
      reply_clear (&r);
    }
  do
    {
      Reply r = { 0 };
      g_autofree char *body = token != NULL ? g_strdup_printf ("{\"maxResults\":2,\"nextToken\":\"%s\"}", token)
                                            : g_strdup ("{\"maxResults\":2}");
      JsonArray *groups;

      call (f, "ListDatasetGroups", body, &r);
      assert_ok (&r);
      groups = json_object_get_array_member (json_node_get_object (r.json), "datasetGroups");
      g_assert_cmpuint (json_array_get_length (groups), <=, 2);
      for (guint i = 0; i < json_array_get_length (groups); i++)
        g_assert_true (g_hash_table_add (seen, g_strdup (json_object_get_string_member (
          json_array_get_object_element (groups, i), "name"))));
      g_free (token);
      token = g_strdup (member_string (&r, "nextToken"));
      pages++;
      reply_clear (&r);
    }
  while (token != NULL);
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 5);
}

static void
test_s3_iam_sts (Fixture       *f,
                 gconstpointer  data)
{
  Reply r = { 0 };
  const char *csv = "USER_ID,ITEM_ID,TIMESTAMP\n1,2,3\n";
  const char *form;

  send_request (f, "PUT", "/test-bucket", NULL, "s3", NULL, NULL, NULL, 0, NULL, 0, TRUE, &r);
  assert_ok (&r);
  reply_clear (&r);
  send_request (f, "PUT", "/Bad_Bucket", NULL, "s3", NULL, NULL, NULL, 0, NULL, 0, TRUE, &r);
  assert_error (&r, 400, "InvalidBucketName");
  reply_clear (&r);
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *path = g_strdup_printf ("/test-bucket/folder/file%%20%d.csv", i);

      send_request (f, "PUT", path, NULL, "s3", NULL, "text/csv", csv, strlen (csv), NULL, 0, TRUE, &r);
      assert_ok (&r);
      reply_clear (&r);
    }
  /* A badly signed upload is refused and stores nothing. */
  send_request (f, "PUT", "/test-bucket/evil", NULL, "s3", NULL, "text/csv", csv, strlen (csv), "wrong-secret", 0,
                TRUE, &r);
  assert_error (&r, 403, "SignatureDoesNotMatch");
  reply_clear (&r);
  send_request (f, "GET", "/test-bucket/evil", NULL, "s3", NULL, NULL, NULL, 0, NULL, 0, TRUE, &r);
  assert_error (&r, 404, "NoSuchKey");
  reply_clear (&r);
  send_request (f, "GET", "/test-bucket/folder/file%201.csv", NULL, "s3", NULL, NULL, NULL, 0, NULL, 0, TRUE, &r);
  assert_ok (&r);
  g_assert_cmpmem (g_bytes_get_data (r.body, NULL), g_bytes_get_size (r.body), csv, strlen (csv));
  reply_clear (&r);
  send_request (f, "GET", "/test-bucket", "list-type=2&max-keys=2&prefix=folder%2F", "s3", NULL, NULL, NULL, 0,
                NULL, 0, TRUE, &r);
  assert_ok (&r);
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (r.body, NULL), g_bytes_get_size (r.body));

    g_assert_nonnull (strstr (text, "<KeyCount>2</KeyCount>"));
    g_assert_nonnull (strstr (text, "<IsTruncated>true</IsTruncated>"));
    g_assert_nonnull (strstr (text, "<Key>folder/file 0.csv</Key>"));
    g_assert_nonnull (strstr (text, "<NextContinuationToken>"));
  }
  reply_clear (&r);
  send_request (f, "GET", "/test-bucket/missing", NULL, "s3", NULL, NULL, NULL, 0, NULL, 0, TRUE, &r);
  assert_error (&r, 404, "NoSuchKey");
  reply_clear (&r);
  send_request (f, "GET", "/no-such-bucket/x", NULL, "s3", NULL, NULL, NULL, 0, NULL, 0, TRUE, &r);
  assert_error (&r, 404, "NoSuchBucket");
  reply_clear (&r);
  send_request (f, "DELETE", "/test-bucket", NULL, "s3", NULL, NULL, NULL, 0, NULL, 0, TRUE, &r);
  assert_error (&r, 409, "BucketNotEmpty");
  reply_clear (&r);

  /* DeleteObjects, then the empty bucket goes. */
  {
    const char *xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                      "<Object><Key>folder/file 0.csv</Key></Object><Object><Key>folder/file 1.csv</Key></Object>"
                      "<Object><Key>folder/file 2.csv</Key></Object><Object><Key>never-there</Key></Object></Delete>";

    send_request (f, "POST", "/test-bucket", "delete=", "s3", NULL, "application/xml", xml, strlen (xml),
                  NULL, 0, TRUE, &r);
    assert_ok (&r);
    g_assert_nonnull (strstr (g_bytes_get_data (r.body, NULL), "<Deleted><Key>folder/file 2.csv</Key></Deleted>"));
    reply_clear (&r);
    send_request (f, "POST", "/test-bucket", "delete=", "s3", NULL, "application/xml", "<Delete><Object>", 16,
                  NULL, 0, TRUE, &r);
    assert_error (&r, 400, "MalformedXML");
    reply_clear (&r);
    send_request (f, "DELETE", "/test-bucket", NULL, "s3", NULL, NULL, NULL, 0, NULL, 0, TRUE, &r);
    g_assert_cmpuint (r.status, ==, 204);
    reply_clear (&r);
  }

  form = "Action=GetCallerIdentity&Version=2011-06-15";
  send_request (f, "POST", "/", NULL, "sts", NULL, "application/x-www-form-urlencoded; charset=utf-8",
                form, strlen (form), NULL, 0, TRUE, &r);
  assert_ok (&r);
  g_assert_nonnull (strstr (g_bytes_get_data (r.body, NULL), "<Account>123456789012</Account>"));
  reply_clear (&r);
  form = "Action=GetRole&Version=2010-05-08&RoleName=nobody";
  send_request (f, "POST", "/", NULL, "iam", NULL, "application/x-www-form-urlencoded; charset=utf-8",
                form, strlen (form), NULL, 0, TRUE, &r);
  assert_error (&r, 404, "NoSuchEntity");
  reply_clear (&r);
  form = "Action=CreateRole&Version=2010-05-08&RoleName=r1&AssumeRolePolicyDocument=%7Bnot";
  send_request (f, "POST", "/", NULL, "iam", NULL, "application/x-www-form-urlencoded; charset=utf-8",
                form, strlen (form), NULL, 0, TRUE, &r);
  assert_error (&r, 400, "MalformedPolicyDocument");
  reply_clear (&r);
}

/* Sends @partial on a new connection and waits for the server to close it:
 * it must, within 10 s. Returns how long that took (µs). */
static gint64
send_partial_request (Fixture       *f,
                      GSocketClient *client,
                      const char    *partial)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) conn = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                                       pw_local_server_get_port (f->server),
                                                                       NULL, &error);
  char buffer[64];
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;
  gssize n;

  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), partial, strlen (partial),
                             NULL, NULL, NULL);
  n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buffer, sizeof buffer, NULL, NULL);
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpint (n, <=, 0);
  g_assert_cmpint (elapsed, <, 10 * G_USEC_PER_SEC);
  return elapsed;
}

static void
test_limits (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *big = g_malloc (2 * 1024 * 1024 + 1);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  Reply r = { 0 };

  /* A body over the limit: 413, and the server goes on. */
  memset (big, ' ', 2 * 1024 * 1024);
  big[0] = '{';
  big[2 * 1024 * 1024 - 1] = '}';
  big[2 * 1024 * 1024] = '\0';
  call (f, "ListDatasetGroups", big, &r);
  assert_error (&r, 413, "RequestEntityTooLargeException");
  reply_clear (&r);
  call (f, "ListDatasetGroups", "{}", &r);
  assert_ok (&r);
  reply_clear (&r);

  /* A huge header and a slow client: the connection is refused or
   * closed, and the server keeps serving. */
  {
    g_autoptr(GSocketConnection) conn = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                                         pw_local_server_get_port (f->server),
                                                                         NULL, &error);
    GOutputStream *out;
    GInputStream *in;
    g_autoptr(GString) request = g_string_new ("POST / HTTP/1.1\r\nHost: x\r\nX-Big: ");
    char buffer[256];
    gssize n;

    g_assert_no_error (error);
    for (int i = 0; i < 512 * 1024; i++)
      g_string_append_c (request, 'a');
    g_string_append (request, "\r\n\r\n");
    out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
    in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
    g_output_stream_write_all (out, request->str, request->len, NULL, NULL, NULL);
    n = g_input_stream_read (in, buffer, sizeof buffer - 1, NULL, NULL);
    if (n > 0)
      {
        buffer[n] = '\0';
        g_test_message ("huge header answer: %.40s", buffer);
        g_assert_true (g_str_has_prefix (buffer, "HTTP/1.1 4"));
      }
  }
  /* A body cut short: the server closes it after its request timeout
   * (1 s here). */
  send_partial_request (f, client, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
  /* Half a request head (the request reader holds a head until it is
   * whole, so libsoup has not seen it): closed after the timeout too. */
  g_assert_cmpint (send_partial_request (f, client, "POST / HTTP/1.1\r\nHost: x\r\nContent-Le"),
                   >=, G_USEC_PER_SEC / 2);
  call (f, "ListDatasetGroups", "{}", &r);
  assert_ok (&r);
  reply_clear (&r);
}

/* A NUL (\u0000) inside a JSON string is refused wherever strings enter
 * (issue 13, item 3): it used to cut the string short, so a name became
 * its prefix and an ARN followed by \u0000x acted on the real resource. */
static void
test_nul_strings (Fixture       *f,
                  gconstpointer  data)
{
  static const struct
  {
    const char *operation;
    const char *body;
  } cases[] = {
    { "CreateDatasetGroup", "{\"name\":\"ok\\u0000evil\"}" },
    { "CreateDatasetGroup", "{\"name\":\"ok\\u0000\"}" },
    { "DescribeDatasetGroup", "{\"datasetGroupArn\":\"" P ":dataset-group/real\\u0000x\"}" },
    { "DeleteDatasetGroup", "{\"datasetGroupArn\":\"" P ":dataset-group/real\\u0000x\"}" },
    { "ListDatasetGroups", "{\"nextToken\":\"\\u0000\"}" },
    { "CreateSchema", "{\"name\":\"s\\u0000\",\"schema\":\"{}\"}" },
    { "CreateDatasetGroup", "{\"name\":\"ok\",\"tags\":[{\"tagKey\":\"k\\u0000\",\"tagValue\":\"v\"}]}" },
  };
  static const struct
  {
    const char *path;
    const char *service;
    const char *body;
  } rest[] = {
    { "/recommendations", "personalize", "{\"campaignArn\":\"" P ":campaign/c\\u0000x\",\"userId\":\"1\"}" },
    { "/recommendations", "personalize", "{\"campaignArn\":\"" P ":campaign/c\",\"userId\":\"1\\u0000\"}" },
    { "/events", "personalize", "{\"trackingId\":\"t\\u0000\",\"sessionId\":\"s\",\"eventList\":"
      "[{\"eventType\":\"click\",\"sentAt\":1700000000,\"itemId\":\"1\"}]}" },
  };
  Reply r = { 0 };

  call (f, "CreateDatasetGroup", "{\"name\":\"real\"}", &r);
  assert_ok (&r);
  reply_clear (&r);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s %s", cases[i].operation, cases[i].body);
      call (f, cases[i].operation, cases[i].body, &r);
      assert_error (&r, 400, "InvalidInputException");
      g_assert_nonnull (strstr (member_string (&r, "message"), "NUL"));
      reply_clear (&r);
    }
  for (guint i = 0; i < G_N_ELEMENTS (rest); i++)
    {
      g_test_message ("%s %s", rest[i].path, rest[i].body);
      send_request (f, "POST", rest[i].path, NULL, rest[i].service, NULL, "application/json",
                    rest[i].body, strlen (rest[i].body), NULL, 0, TRUE, &r);
      g_assert_cmpuint (r.status, ==, 400);
      g_assert_nonnull (strstr ((const char *) g_bytes_get_data (r.body, NULL), "InvalidInputException"));
      reply_clear (&r);
    }
  /* Nothing was made or changed: no group "ok", and "real" is not being
   * deleted. */
  call (f, "DescribeDatasetGroup", "{\"datasetGroupArn\":\"" P ":dataset-group/ok\"}", &r);
  assert_error (&r, 400, "ResourceNotFoundException");
  reply_clear (&r);
  call (f, "DescribeDatasetGroup", "{\"datasetGroupArn\":\"" P ":dataset-group/real\"}", &r);
  assert_ok (&r);
  g_assert_false (g_str_has_prefix (member_string (&r, "datasetGroup.status"), "DELETE"));
  reply_clear (&r);
  /* An escaped backslash followed by "u0000" is text, not a NUL. */
  call (f, "CreateSchema", "{\"name\":\"text\",\"schema\":\"\\\\u0000\"}", &r);
  assert_error (&r, 400, "InvalidInputException");
  g_assert_null (strstr (member_string (&r, "message"), "NUL"));
  reply_clear (&r);
}

static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  Reply r = { 0 };
  g_autofree char *status = NULL;
  g_autofree char *url = NULL;
  g_autofree char *id = g_strdup (pw_local_server_get_access_key_id (f->server));

  call (f, "CreateDatasetGroup", "{\"name\":\"kept\"}", &r);
  assert_ok (&r);
  reply_clear (&r);
  send_request (f, "PUT", "/kept-bucket", NULL, "s3", NULL, NULL, NULL, 0, NULL, 0, TRUE, &r);
  assert_ok (&r);
  reply_clear (&r);
  send_request (f, "PUT", "/kept-bucket/k", NULL, "s3", NULL, NULL, "hello", 5, NULL, 0, TRUE, &r);
  assert_ok (&r);
  reply_clear (&r);
  /* Stopped in CREATE PENDING: the next start finishes the job. */
  pw_local_server_stop (f->server);
  g_clear_object (&f->server);
  start_server (f);
  g_assert_cmpstr (pw_local_server_get_access_key_id (f->server), ==, id);
  status = wait_status (f, "DescribeDatasetGroup", "{\"datasetGroupArn\":\"" P ":dataset-group/kept\"}",
                        "datasetGroup.status", "ACTIVE");
  send_request (f, "GET", "/kept-bucket/k", NULL, "s3", NULL, NULL, NULL, 0, NULL, 0, TRUE, &r);
  assert_ok (&r);
  g_assert_cmpmem (g_bytes_get_data (r.body, NULL), g_bytes_get_size (r.body), "hello", 5);
  reply_clear (&r);
}

/* --credentials-file: the keys of every profile of an existing file work;
 * nothing is written over it. */
static void
test_credentials_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pw-local-test-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "my-credentials", NULL);
  const char *text = "[default]\naws_access_key_id = AKIDONE\naws_secret_access_key = secret-one\n"
                     "[other]\naws_access_key_id=AKIDTWO\naws_secret_access_key=secret-two\n";
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *after = NULL;
  PwLocalServerOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };
  Reply r = { 0 };

  g_assert_true (g_file_set_contents (file, text, -1, NULL));
  options.data_dir = data_dir;
  options.credentials_file = file;
  f.dir = g_strdup (dir);
  f.session = soup_session_new ();
  f.server = pw_local_server_new (&options);
  g_assert_true (pw_local_server_start (f.server, &error));
  g_assert_no_error (error);
  g_assert_false (pw_local_server_get_created_credentials (f.server));
  g_assert_cmpstr (pw_local_server_get_access_key_id (f.server), ==, "AKIDONE");
  g_assert_false (g_file_test (pw_local_server_get_config_file (f.server), G_FILE_TEST_IS_DIR));
  f.credentials = pw_aws_credentials_new ("AKIDTWO", "secret-two", NULL, "test");
  call (&f, "ListDatasetGroups", "{}", &r);
  assert_ok (&r);
  reply_clear (&r);
  g_assert_true (g_file_get_contents (file, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, text);
  {
    g_autofree char *own = g_build_filename (data_dir, "credentials", NULL);

    g_assert_false (g_file_test (own, G_FILE_TEST_EXISTS));
  }
  fixture_teardown (&f, NULL);
}

/* The events file after a crash in the middle of an append. */
static void
test_store_torn_line (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pw-local-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "events.jsonl", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "{\"a\":1}\n{\"b\":", -1, NULL));
  g_assert_true (pw_local_store_append_line (path, "{\"c\":3}", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "{\"a\":1}\n{\"c\":3}\n");
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_set_contents (path, "torn", -1, NULL));
  g_assert_true (pw_local_store_append_line (path, "x", &error));
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "x\n");
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/local/auth", Fixture, NULL, fixture_setup, test_auth, fixture_teardown);
  g_test_add ("/local/lifecycle", Fixture, NULL, fixture_setup, test_lifecycle, fixture_teardown);
  g_test_add ("/local/errors", Fixture, NULL, fixture_setup, test_errors, fixture_teardown);
  g_test_add ("/local/paging", Fixture, NULL, fixture_setup, test_paging, fixture_teardown);
  g_test_add ("/local/s3-iam-sts", Fixture, NULL, fixture_setup, test_s3_iam_sts, fixture_teardown);
  g_test_add ("/local/limits", Fixture, NULL, fixture_setup, test_limits, fixture_teardown);
  g_test_add ("/local/nul-strings", Fixture, NULL, fixture_setup, test_nul_strings, fixture_teardown);
  g_test_add ("/local/restart", Fixture, NULL, fixture_setup, test_restart, fixture_teardown);
  g_test_add_func ("/local/credentials-file", test_credentials_file);
  g_test_add_func ("/local/store-torn-line", test_store_torn_line);
  return g_test_run ();
}
