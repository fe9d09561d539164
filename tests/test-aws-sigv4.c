/* test-aws-sigv4.c: SigV4 signing and verification
 *
 * docs/personalize-api.md's worked vector (1.5), the building blocks, the strict Authorization
 * parser, verification (what a server does), and a comparison with
 * botocore over generated requests when python3-botocore is installed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include "pw-test-require.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "pw-aws.h"

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define BODY "{\"datasetGroupArn\":\"arn:aws:personalize:us-east-1:123456789012:dataset-group/dg1\"}"

static SoupMessageHeaders *
vector_headers (void)
{
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);

  soup_message_headers_append (headers, "Host", "personalize.us-east-1.amazonaws.com");
  soup_message_headers_append (headers, "Content-Type", "application/x-amz-json-1.1");
  soup_message_headers_append (headers, "X-Amz-Target", "AmazonPersonalize.DescribeDatasetGroup");
  return headers;
}

static GDateTime *
vector_date (void)
{
  return g_date_time_new_utc (2024, 1, 15, 12, 0, 0);
}

static void
test_spec_vector (void)
{
  g_autoptr(SoupMessageHeaders) headers = vector_headers ();
  g_autoptr(PwAwsCredentials) creds = pw_aws_credentials_new (AKID, SECRET, NULL, "test");
  g_autoptr(GDateTime) when = vector_date ();
  g_autofree char *payload_hash = pw_aws_sha256_hex (BODY, strlen (BODY));
  g_autofree char *canonical = NULL;
  g_autofree char *canonical_hash = NULL;
  g_autoptr(GError) error = NULL;
  const char *auth;

  g_assert_cmpstr (payload_hash, ==, "a087732e6a7c1db8e830c3a5998226395c410ead165694778ee68b7928b488b5");
  g_assert_true (pw_aws_sigv4_sign ("POST", "/", NULL, headers, payload_hash, creds, "us-east-1",
                                    "personalize", when, PW_AWS_SIGV4_NONE, &canonical, &error));
  g_assert_no_error (error);
  canonical_hash = pw_aws_sha256_hex (canonical, strlen (canonical));
  g_assert_cmpstr (canonical_hash, ==, "0b20d9bb8ff7e88c0420bbf9a3909a72f5513cde0eca7ab331a5af162574e794");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Amz-Date"), ==, "20240115T120000Z");
  auth = soup_message_headers_get_one (headers, "Authorization");
  g_assert_cmpstr (auth, ==,
                   "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/personalize/aws4_request, "
                   "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                   "Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30");
  /* No session token, not S3: neither header is added. */
  g_assert_null (soup_message_headers_get_one (headers, "X-Amz-Security-Token"));
  g_assert_null (soup_message_headers_get_one (headers, "X-Amz-Content-SHA256"));
}

static void
test_building_blocks (void)
{
  struct { const char *in; gboolean slash; const char *out; } enc[] = {
    { "abcXYZ019-_.~", FALSE, "abcXYZ019-_.~" },
    { "a b/c", FALSE, "a%20b%2Fc" },
    { "a b/c", TRUE, "a%20b/c" },
    { "é✓", FALSE, "%C3%A9%E2%9C%93" },
    { "+*%=&", FALSE, "%2B%2A%25%3D%26" },
  };
  struct { const char *in; gboolean s3; const char *out; } uris[] = {
    { "", FALSE, "/" },
    { "/", FALSE, "/" },
    { "/a%20b/c", FALSE, "/a%2520b/c" },
    { "/a%20b/c", TRUE, "/a%20b/c" },
    { "/a/./b/../c//d/", FALSE, "/a/c/d/" },
    { "/a/./b/../c//d/", TRUE, "/a/./b/../c//d/" },
    { "/..", FALSE, "/" },
  };
  struct { const char *in; const char *out; } queries[] = {
    { NULL, "" },
    { "", "" },
    { "policy", "policy=" },
    { "b=2&a=3&a=1", "a=1&a=3&b=2" },
    { "list-type=2&prefix=a%2Fb%20c", "list-type=2&prefix=a%2Fb%20c" },
    { "x=a b&y=%7e", "x=a%20b&y=~" },
    { "B=1&a=1&_=1", "B=1&_=1&a=1" },
  };
  g_autofree char *date = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 11, 29, 5, 4, 3);

  for (guint i = 0; i < G_N_ELEMENTS (enc); i++)
    {
      g_autofree char *s = pw_aws_uri_encode (enc[i].in, -1, enc[i].slash);
      g_assert_cmpstr (s, ==, enc[i].out);
    }
  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autofree char *s = pw_aws_sigv4_canonical_uri (uris[i].in, uris[i].s3);
      g_assert_cmpstr (s, ==, uris[i].out);
    }
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *s = pw_aws_sigv4_canonical_query (queries[i].in);
      g_assert_cmpstr (s, ==, queries[i].out);
    }
  date = pw_aws_sigv4_format_date (when);
  g_assert_cmpstr (date, ==, "20261129T050403Z");
}

static void
test_headers_trim_and_repeat (void)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  const char *names[] = { "host", "x-amz-meta-a", NULL };
  g_autofree char *cr = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_append (headers, "Host", "h");
  soup_message_headers_append (headers, "X-Amz-Meta-A", "  one   two\t three ");
  soup_message_headers_append (headers, "x-amz-meta-a", "four");
  cr = pw_aws_sigv4_canonical_request ("get", "/", "", headers, names, PW_AWS_EMPTY_SHA256, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cr, ==, "GET\n/\n\nhost:h\nx-amz-meta-a:one two three,four\n\nhost;x-amz-meta-a\n"
                   PW_AWS_EMPTY_SHA256);

  {
    const char *missing[] = { "host", "x-amz-date", NULL };
    g_autofree char *none = pw_aws_sigv4_canonical_request ("GET", "/", "", headers, missing,
                                                            PW_AWS_EMPTY_SHA256, FALSE, &error);
    g_assert_null (none);
    g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_SIGNATURE);
  }
}

static void
test_authorization_parse (void)
{
  const char *good = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/personalize/aws4_request, "
                     "SignedHeaders=content-type;host;x-amz-date, "
                     "Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30";
  const char *bad[] = {
    "",
    "AWS4-HMAC-SHA1 Credential=AKIDEXAMPLE/20240115/us-east-1/personalize/aws4_request, SignedHeaders=host, Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/personalize/aws4_request, SignedHeaders=host",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/personalize/aws4_request, SignedHeaders=host, Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30, Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/personalize, SignedHeaders=host, Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/personalize/aws5_request, SignedHeaders=host, Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20241315/us-east-1/personalize/aws4_request, SignedHeaders=host, Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2024011/us-east-1/personalize/aws4_request, SignedHeaders=host, Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30",
    "AWS4-HMAC-SHA256 Credential=/20240115/us-east-1/personalize/aws4_request, SignedHeaders=host, Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/US-EAST-1/personalize/aws4_request, SignedHeaders=host, Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/personalize/aws4_request, SignedHeaders=x-amz-date;host, Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/personalize/aws4_request, SignedHeaders=host;host, Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/personalize/aws4_request, SignedHeaders=Host;x-amz-date, Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/personalize/aws4_request, SignedHeaders=x-amz-date, Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/personalize/aws4_request, SignedHeaders=host, Signature=A63751ABB62389CDB6F958FFAB5A2A42AFF418426C0875AA5B54289BCABF8A30",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/personalize/aws4_request, SignedHeaders=host, Signature=a63751abb62389",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/personalize/aws4_request, SignedHeaders=host, Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30, Extra=1",
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/personalize/aws4_request,, SignedHeaders=host, Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30",
    "AWS4-HMAC-SHA256Credential=AKIDEXAMPLE/20240115/us-east-1/personalize/aws4_request, SignedHeaders=host, Signature=a63751abb62389cdb6f958ffab5a2a42aff418426c0875aa5b54289bcabf8a30",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PwAwsAuthorization) auth = pw_aws_authorization_parse (good, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (auth->access_key_id, ==, "AKIDEXAMPLE");
  g_assert_cmpstr (auth->date, ==, "20240115");
  g_assert_cmpstr (auth->region, ==, "us-east-1");
  g_assert_cmpstr (auth->service, ==, "personalize");
  g_assert_cmpuint (g_strv_length (auth->signed_headers), ==, 3);
  g_assert_cmpstr (auth->signed_headers[1], ==, "host");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(PwAwsAuthorization) a = pw_aws_authorization_parse (bad[i], &e);

      if (a != NULL)
        g_error ("accepted bad header %u: %s", i, bad[i]);
      g_assert_error (e, PW_AWS_ERROR, PW_AWS_ERROR_SIGNATURE);
      g_assert_cmpstr (pw_aws_error_get_code (e), ==, "IncompleteSignature");
    }
}

typedef struct
{
  const char *akid;
  const char *secret;
  const char *token;
} Keys;

static gboolean
lookup_keys (const char  *access_key_id,
             char       **out_secret,
             char       **out_token,
             gpointer     user_data)
{
  Keys *keys = user_data;

  if (g_strcmp0 (access_key_id, keys->akid) != 0)
    return FALSE;
  *out_secret = g_strdup (keys->secret);
  *out_token = g_strdup (keys->token);
  return TRUE;
}

static void
assert_verify_fails (SoupMessageHeaders *headers,
                     const char         *payload_hash,
                     PwAwsSigv4Dialect   dialect,
                     Keys               *keys,
                     GDateTime          *now,
                     const char         *code)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = pw_aws_sigv4_verify ("POST", "/", NULL, headers, payload_hash, dialect, lookup_keys, keys,
                                     now, NULL, &error);

  g_assert_false (ok);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_SIGNATURE);
  g_assert_cmpstr (pw_aws_error_get_code (error), ==, code);
  g_assert_cmpuint (pw_aws_error_get_http_status (error), >=, 400);
  /* Never the secret in an error. */
  g_assert_null (strstr (error->message, keys->secret));
}

static void
test_verify (void)
{
  Keys keys = { AKID, SECRET, NULL };
  Keys temp = { "ASIATEMP", "temporary/secret", "the-session-token" };
  g_autoptr(GDateTime) when = vector_date ();
  g_autoptr(GDateTime) later = g_date_time_add_minutes (when, 14);
  g_autoptr(GDateTime) too_late = g_date_time_add_minutes (when, 16);
  g_autofree char *hash = pw_aws_sha256_hex (BODY, strlen (BODY));
  g_autofree char *other_hash = pw_aws_sha256_hex ("{}", 2);
  g_autoptr(PwAwsCredentials) creds = pw_aws_credentials_new (AKID, SECRET, NULL, "test");
  g_autoptr(PwAwsCredentials) temp_creds = pw_aws_credentials_new (temp.akid, temp.secret, temp.token, "test");
  g_autoptr(PwAwsAuthorization) auth = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *h;

  /* The signed request verifies, within 15 minutes. */
  h = vector_headers ();
  g_assert_true (pw_aws_sigv4_sign ("POST", "/", NULL, h, hash, creds, "us-east-1", "personalize", when, 0, NULL, NULL));
  g_assert_true (pw_aws_sigv4_verify ("POST", "/", NULL, h, hash, PW_AWS_SIGV4_DIALECT_JSON, lookup_keys, &keys,
                                      later, &auth, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (auth->service, ==, "personalize");
  g_assert_cmpstr (auth->region, ==, "us-east-1");

  /* Tampering. */
  assert_verify_fails (h, other_hash, PW_AWS_SIGV4_DIALECT_JSON, &keys, when, "InvalidSignatureException");
  assert_verify_fails (h, hash, PW_AWS_SIGV4_DIALECT_JSON, &keys, too_late, "InvalidSignatureException");
  assert_verify_fails (h, hash, PW_AWS_SIGV4_DIALECT_QUERY, &keys, too_late, "RequestExpired");
  assert_verify_fails (h, hash, PW_AWS_SIGV4_DIALECT_S3, &keys, too_late, "RequestTimeTooSkewed");
  assert_verify_fails (h, hash, PW_AWS_SIGV4_DIALECT_JSON, &temp, when, "UnrecognizedClientException");
  {
    Keys wrong = { AKID, "not-the-secret", NULL };
    assert_verify_fails (h, hash, PW_AWS_SIGV4_DIALECT_JSON, &wrong, when, "InvalidSignatureException");
    assert_verify_fails (h, hash, PW_AWS_SIGV4_DIALECT_QUERY, &wrong, when, "SignatureDoesNotMatch");
  }
  soup_message_headers_replace (h, "X-Amz-Target", "AmazonPersonalize.DeleteDatasetGroup");
  assert_verify_fails (h, hash, PW_AWS_SIGV4_DIALECT_JSON, &keys, when, "InvalidSignatureException");
  soup_message_headers_remove (h, "X-Amz-Target");
  assert_verify_fails (h, hash, PW_AWS_SIGV4_DIALECT_JSON, &keys, when, "InvalidSignatureException");
  soup_message_headers_remove (h, "Authorization");
  assert_verify_fails (h, hash, PW_AWS_SIGV4_DIALECT_JSON, &keys, when, "MissingAuthenticationTokenException");
  soup_message_headers_replace (h, "Authorization", "AWS4-HMAC-SHA256 Credential=x");
  assert_verify_fails (h, hash, PW_AWS_SIGV4_DIALECT_JSON, &keys, when, "IncompleteSignatureException");
  soup_message_headers_unref (h);

  /* Session tokens: required when the key is temporary, and must match. */
  h = vector_headers ();
  g_assert_true (pw_aws_sigv4_sign ("POST", "/", NULL, h, hash, temp_creds, "us-east-1", "personalize", when, 0, NULL, NULL));
  g_assert_cmpstr (soup_message_headers_get_one (h, "X-Amz-Security-Token"), ==, temp.token);
  g_assert_true (pw_aws_sigv4_verify ("POST", "/", NULL, h, hash, PW_AWS_SIGV4_DIALECT_JSON, lookup_keys, &temp,
                                      when, NULL, NULL));
  {
    Keys other_token = { temp.akid, temp.secret, "another-token" };
    assert_verify_fails (h, hash, PW_AWS_SIGV4_DIALECT_JSON, &other_token, when, "UnrecognizedClientException");
  }
  soup_message_headers_remove (h, "X-Amz-Security-Token");
  assert_verify_fails (h, hash, PW_AWS_SIGV4_DIALECT_JSON, &temp, when, "UnrecognizedClientException");
  soup_message_headers_unref (h);

  /* S3: x-amz-content-sha256 is signed and must match the body. */
  h = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_append (h, "Host", "127.0.0.1:9000");
  g_assert_true (pw_aws_sigv4_sign ("POST", "/", NULL, h, hash, creds, "us-east-1", "s3", when,
                                    PW_AWS_SIGV4_S3, NULL, NULL));
  g_assert_cmpstr (soup_message_headers_get_one (h, "X-Amz-Content-SHA256"), ==, hash);
  g_assert_true (pw_aws_sigv4_verify ("POST", "/", NULL, h, hash, PW_AWS_SIGV4_DIALECT_S3, lookup_keys, &keys,
                                      when, NULL, NULL));
  g_assert_true (pw_aws_sigv4_verify ("POST", "/", NULL, h, NULL, PW_AWS_SIGV4_DIALECT_S3, lookup_keys, &keys,
                                      when, NULL, NULL));
  assert_verify_fails (h, other_hash, PW_AWS_SIGV4_DIALECT_S3, &keys, when, "XAmzContentSHA256Mismatch");
  soup_message_headers_unref (h);

  /* S3 UNSIGNED-PAYLOAD: any body. */
  h = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_append (h, "Host", "127.0.0.1:9000");
  g_assert_true (pw_aws_sigv4_sign ("POST", "/", NULL, h, PW_AWS_UNSIGNED_PAYLOAD, creds, "us-east-1", "s3",
                                    when, PW_AWS_SIGV4_S3, NULL, NULL));
  g_assert_true (pw_aws_sigv4_verify ("POST", "/", NULL, h, other_hash, PW_AWS_SIGV4_DIALECT_S3, lookup_keys, &keys,
                                      when, NULL, NULL));
  soup_message_headers_remove (h, "X-Amz-Content-SHA256");
  assert_verify_fails (h, other_hash, PW_AWS_SIGV4_DIALECT_S3, &keys, when, "InvalidRequest");
  soup_message_headers_unref (h);
}

static void
test_botocore (void)
{
  const char *script = g_test_get_filename (G_TEST_DIST, "aws-botocore-cases.py", NULL);
  const char *argv[] = { "/usr/bin/python3", script, "400", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *cases;
  guint matched = 0, verified = 0, n;

  if (!g_file_test (argv[0], G_FILE_TEST_IS_EXECUTABLE))
    {
      pw_test_skip_unless_required ("/usr/bin/python3 is not installed");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
    {
      pw_test_skip_unless_required ("python3-botocore is not installed");
      return;
    }
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("aws-botocore-cases.py failed: %s\n%s", error->message, err);

  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  cases = json_object_get_array_member (root, "cases");
  n = json_array_get_length (cases);
  g_assert_cmpuint (n, ==, 400);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      JsonArray *hdrs = json_object_get_array_member (c, "headers");
      g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
      g_autoptr(PwAwsCredentials) creds = NULL;
      gsize body_len;
      g_autofree guchar *body = g_base64_decode (json_object_get_string_member (c, "body"), &body_len);
      g_autofree char *body_hash = pw_aws_sha256_hex (body, body_len);
      gboolean s3 = json_object_get_boolean_member (c, "s3");
      gboolean unsigned_payload = json_object_get_boolean_member (c, "unsigned_payload");
      const char *amz_date = json_object_get_string_member (c, "amz_date");
      g_autoptr(GDateTime) when = NULL;
      g_autofree char *canonical = NULL;
      g_autofree char *date_iso = NULL;
      const char *token = json_object_get_null_member (c, "session_token") ? NULL
                          : json_object_get_string_member (c, "session_token");
      Keys keys;
      g_autoptr(GError) e = NULL;

      date_iso = g_strdup_printf ("%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", amz_date, amz_date + 4, amz_date + 6,
                                  amz_date + 9, amz_date + 11, amz_date + 13);
      when = g_date_time_new_from_iso8601 (date_iso, NULL);
      g_assert_nonnull (when);
      soup_message_headers_append (headers, "Host", json_object_get_string_member (c, "host"));
      for (guint j = 0; j < json_array_get_length (hdrs); j++)
        {
          JsonArray *pair = json_array_get_array_element (hdrs, j);
          soup_message_headers_append (headers, json_array_get_string_element (pair, 0),
                                       json_array_get_string_element (pair, 1));
        }
      creds = pw_aws_credentials_new (json_object_get_string_member (c, "access_key_id"),
                                      json_object_get_string_member (c, "secret_access_key"), token, "test");

      g_assert_true (pw_aws_sigv4_sign (json_object_get_string_member (c, "method"),
                                        json_object_get_string_member (c, "path"),
                                        json_object_get_string_member (c, "query"),
                                        headers, unsigned_payload ? PW_AWS_UNSIGNED_PAYLOAD : body_hash,
                                        creds, json_object_get_string_member (c, "region"),
                                        json_object_get_string_member (c, "service"), when,
                                        (s3 ? PW_AWS_SIGV4_S3 : 0) | PW_AWS_SIGV4_SIGN_ALL_HEADERS,
                                        &canonical, &e));
      g_assert_no_error (e);
      if (g_strcmp0 (canonical, json_object_get_string_member (c, "canonical_request")) != 0 ||
          g_strcmp0 (soup_message_headers_get_one (headers, "Authorization"),
                     json_object_get_string_member (c, "authorization")) != 0)
        {
          g_test_message ("%s: %s\nours:\n%s\nbotocore:\n%s", json_object_get_string_member (c, "name"),
                          json_object_get_string_member (c, "url"), canonical,
                          json_object_get_string_member (c, "canonical_request"));
          continue;
        }
      matched++;

      /* A server verifying botocore's own signature with the same code. */
      soup_message_headers_replace (headers, "Authorization", json_object_get_string_member (c, "authorization"));
      keys.akid = creds->access_key_id;
      keys.secret = creds->secret_access_key;
      keys.token = token;
      if (pw_aws_sigv4_verify (json_object_get_string_member (c, "method"),
                               json_object_get_string_member (c, "path"),
                               json_object_get_string_member (c, "query"), headers, body_hash,
                               s3 ? PW_AWS_SIGV4_DIALECT_S3 : PW_AWS_SIGV4_DIALECT_JSON,
                               lookup_keys, &keys, when, NULL, &e))
        verified++;
      else
        g_test_message ("%s: verification failed: %s", json_object_get_string_member (c, "name"), e->message);
    }
  g_test_message ("botocore %s: %u of %u cases matched, %u verified",
                  json_object_get_string_member (root, "botocore"), matched, n, verified);
  g_print ("# botocore %s: %u of %u cases matched, %u verified\n",
           json_object_get_string_member (root, "botocore"), matched, n, verified);
  g_assert_cmpuint (matched, ==, n);
  g_assert_cmpuint (verified, ==, n);
}

/* Presigned URLs made by botocore 1.29 (S3SigV4QueryAuth and
 * SigV4QueryAuth, frozen at 2024-01-15 11:50:00 UTC, one hour) for
 * GET http://127.0.0.1:8080/bucket/key%20x. */
#define PRESIGNED_S3 "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240115%2Fus-east-1%2Fs3%2Faws4_request" \
  "&X-Amz-Date=20240115T115000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host" \
  "&X-Amz-Signature=ef93944650e041cab270368df5eab5a265993653c6fa2f6fc9be55c9986577eb"
#define PRESIGNED_JSON "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240115%2Fus-east-1%2Fpersonalize%2Faws4_request" \
  "&X-Amz-Date=20240115T115000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host" \
  "&X-Amz-Signature=a9358957571252316ba5c73899033deed4fc4733894ba72e1cefd7b9205ff9b2"

static void
assert_presigned (const char        *query,
                  PwAwsSigv4Dialect  dialect,
                  GDateTime         *now,
                  const char        *code,
                  const char        *message)
{
  Keys keys = { "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", NULL };
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwAwsAuthorization) auth = NULL;
  gboolean ok;

  soup_message_headers_append (headers, "Host", "127.0.0.1:8080");
  ok = pw_aws_sigv4_verify ("GET", "/bucket/key%20x", query, headers, NULL, dialect, lookup_keys, &keys, now,
                            &auth, &error);
  soup_message_headers_unref (headers);
  if (code == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpstr (auth->access_key_id, ==, "AKIDEXAMPLE");
      return;
    }
  g_assert_false (ok);
  g_assert_cmpstr (pw_aws_error_get_code (error), ==, code);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

static void
test_presigned (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2024, 1, 15, 12, 0, 0);
  g_autoptr(GDateTime) late = g_date_time_new_utc (2024, 1, 15, 12, 50, 1);
  g_autoptr(GDateTime) last = g_date_time_new_utc (2024, 1, 15, 12, 50, 0);
  g_autoptr(GDateTime) after_v2 = g_date_time_new_utc (2024, 1, 15, 13, 0, 1);
  g_autofree char *tampered = g_strdup (PRESIGNED_S3);
  g_autofree char *week = NULL;
  g_autofree char *v2 = NULL;

  g_assert_cmpint (pw_aws_presigned_kind (PRESIGNED_S3), ==, PW_AWS_PRESIGNED_SIGV4);
  g_assert_cmpint (pw_aws_presigned_kind ("AWSAccessKeyId=A&Signature=x&Expires=1"), ==, PW_AWS_PRESIGNED_SIGV2);
  g_assert_cmpint (pw_aws_presigned_kind ("list-type=2"), ==, PW_AWS_PRESIGNED_NONE);
  {
    g_autofree char *service = pw_aws_presigned_service (PRESIGNED_JSON);
    g_assert_cmpstr (service, ==, "personalize");
  }

  assert_presigned (PRESIGNED_S3, PW_AWS_SIGV4_DIALECT_S3, now, NULL, NULL);
  assert_presigned (PRESIGNED_S3, PW_AWS_SIGV4_DIALECT_S3, last, NULL, NULL);
  assert_presigned (PRESIGNED_JSON, PW_AWS_SIGV4_DIALECT_JSON, now, NULL, NULL);
  assert_presigned (PRESIGNED_S3, PW_AWS_SIGV4_DIALECT_S3, late, "AccessDenied", "Request has expired");
  tampered[strlen (tampered) - 1] = '0';
  assert_presigned (tampered, PW_AWS_SIGV4_DIALECT_S3, now, "SignatureDoesNotMatch", NULL);
  assert_presigned (PRESIGNED_JSON, PW_AWS_SIGV4_DIALECT_S3, now, "SignatureDoesNotMatch", NULL);
  week = g_strconcat (PRESIGNED_S3, "&x=1", NULL);
  assert_presigned (week, PW_AWS_SIGV4_DIALECT_S3, now, "SignatureDoesNotMatch", NULL);
  g_clear_pointer (&week, g_free);
  week = g_strdup (PRESIGNED_S3);
  memcpy (strstr (week, "Expires=3600") + strlen ("Expires="), "9999", 4);
  assert_presigned (week, PW_AWS_SIGV4_DIALECT_S3, now, "SignatureDoesNotMatch", NULL);
  {
    const char *bad[] = { "0", "-1", "604801", "1e3", "", "99999999999999999999" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *q = g_strdup_printf ("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%%2F20240115"
                                              "%%2Fus-east-1%%2Fs3%%2Faws4_request&X-Amz-Date=20240115T115000Z"
                                              "&X-Amz-Expires=%s&X-Amz-SignedHeaders=host&X-Amz-Signature=%s",
                                              bad[i], "ef93944650e041cab270368df5eab5a265993653c6fa2f6fc9be55c9986577eb");

        assert_presigned (q, PW_AWS_SIGV4_DIALECT_S3, now, "AuthorizationQueryParametersError", NULL);
      }
  }
  /* SigV2: HMAC-SHA1 of "GET\n\n\n1705323600\n/bucket/key%20x", base64. */
  {
    guchar digest[20];
    gsize len = sizeof digest;
    GHmac *hmac = g_hmac_new (G_CHECKSUM_SHA1, (const guchar *) "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", 40);
    const char *sts = "GET\n\n\n1705323600\n/bucket/key%20x";
    g_autofree char *b64 = NULL;
    g_autofree char *escaped = NULL;

    g_hmac_update (hmac, (const guchar *) sts, strlen (sts));
    g_hmac_get_digest (hmac, digest, &len);
    g_hmac_unref (hmac);
    b64 = g_base64_encode (digest, len);
    escaped = g_uri_escape_string (b64, NULL, FALSE);
    v2 = g_strdup_printf ("AWSAccessKeyId=AKIDEXAMPLE&Expires=1705323600&Signature=%s", escaped);
    assert_presigned (v2, PW_AWS_SIGV4_DIALECT_S3, now, NULL, NULL);
    assert_presigned (v2, PW_AWS_SIGV4_DIALECT_S3, late, NULL, NULL);
    assert_presigned (v2, PW_AWS_SIGV4_DIALECT_S3, after_v2, "AccessDenied", "Request has expired");
    assert_presigned (v2, PW_AWS_SIGV4_DIALECT_JSON, now, "IncompleteSignatureException", NULL);
    g_free (v2);
    v2 = g_strdup_printf ("AWSAccessKeyId=AKIDEXAMPLE&Expires=1705323601&Signature=%s", escaped);
    assert_presigned (v2, PW_AWS_SIGV4_DIALECT_S3, now, "SignatureDoesNotMatch", NULL);
    g_free (v2);
    v2 = g_strdup_printf ("AWSAccessKeyId=AKIDEXAMPLE&Expires=-1&Signature=%s", escaped);
    assert_presigned (v2, PW_AWS_SIGV4_DIALECT_S3, now, "AccessDenied", NULL);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/aws/sigv4/spec-vector", test_spec_vector);
  g_test_add_func ("/aws/sigv4/building-blocks", test_building_blocks);
  g_test_add_func ("/aws/sigv4/headers-trim-and-repeat", test_headers_trim_and_repeat);
  g_test_add_func ("/aws/sigv4/authorization-parse", test_authorization_parse);
  g_test_add_func ("/aws/sigv4/verify", test_verify);
  g_test_add_func ("/aws/sigv4/botocore", test_botocore);
  g_test_add_func ("/aws/sigv4/presigned", test_presigned);

  return g_test_run ();
}
