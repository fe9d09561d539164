/* test-aws-client.c: the client against a real SoupServer on 127.0.0.1
 *
 * The server verifies every signature (pw_aws_sigv4_verify) and answers
 * with recorded AWS-shaped bodies: success for each protocol, every
 * modelled error, throttling then success, timeouts, truncated bodies,
 * invalid JSON and XML, redirects and clock skew.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <string.h>

#include "pw-aws.h"
#include "pw-aws-test-server.h"

#define AKID "ASIATESTTESTTESTTEST"
#define SECRET "test/secret+KEY/abcdefghijklmnopqrstuvwx"
#define TOKEN "IQoJb3JpZ2luX2VjEJr//////////wEaCXRlc3R0b2tlbg=="
#define JSON11 "application/x-amz-json-1.1"
#define ARN_DG "arn:aws:personalize:us-east-1:123456789012:dataset-group/dg1"

typedef struct
{
  PwAwsTestServer *server;
  PwAwsClient *client;
} Fixture;

static GPtrArray *borrowed_inputs;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(PwAwsConfig) config = pw_aws_config_new ();

  f->server = pw_aws_test_server_new ();
  pw_aws_test_server_add_key (f->server, AKID, SECRET, TOKEN);
  config->region = g_strdup ("us-east-1");
  config->endpoint_url = g_strdup (pw_aws_test_server_get_url (f->server));
  config->credentials = pw_aws_credentials_new (AKID, SECRET, TOKEN, "test");
  f->client = pw_aws_client_new (config);
  pw_aws_client_set_retry_delays (f->client, 1, 10);
  pw_aws_client_set_timeout (f->client, 5000);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->client);
  pw_aws_test_server_free (f->server);
  g_clear_pointer (&borrowed_inputs, g_ptr_array_unref);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* An input that lives until the end of the current test. */

static JsonObject *
arg (const char *json)
{
  JsonObject *object = parse_object (json);

  if (borrowed_inputs == NULL)
    borrowed_inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_ptr_array_add (borrowed_inputs, object);
  return object;
}

static PwAwsTestRequest *
request (Fixture *f,
         guint    i)
{
  PwAwsTestRequest *r = pw_aws_test_server_get_request (f->server, i);

  if (!r->verified)
    g_error ("request %u was not verified: %s", i, r->verify_error);
  g_assert_cmpstr (r->access_key_id, ==, AKID);
  return r;
}

static void
assert_all_verified (Fixture *f,
                     guint    n)
{
  g_assert_cmpuint (pw_aws_test_server_get_n_requests (f->server), ==, n);
  for (guint i = 0; i < n; i++)
    request (f, i);
}

/* ---------------------------------------------------------------------- */

static void
test_json_success (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) input = parse_object ("{\"datasetGroupArn\":\"" ARN_DG "\"}");
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) sent = NULL;
  JsonObject *group;
  PwAwsTestRequest *r;

  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11,
                           "{\"datasetGroup\":{\"name\":\"dg1\",\"datasetGroupArn\":\"" ARN_DG "\","
                           "\"status\":\"ACTIVE\",\"creationDateTime\":1.581966286E9,\"unknownMember\":1}}",
                           "x-amzn-RequestId", "req-1", NULL);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "DescribeDatasetGroup", input, NULL, &error);
  g_assert_no_error (error);
  group = json_object_get_object_member (out, "datasetGroup");
  g_assert_cmpstr (json_object_get_string_member (group, "status"), ==, "ACTIVE");
  g_assert_cmpfloat (json_object_get_double_member (group, "creationDateTime"), ==, 1581966286.0);

  assert_all_verified (f, 1);
  r = request (f, 0);
  g_assert_cmpstr (r->method, ==, "POST");
  g_assert_cmpstr (r->path, ==, "/");
  g_assert_cmpstr (r->target, ==, "AmazonPersonalize.DescribeDatasetGroup");
  g_assert_cmpstr (r->content_type, ==, JSON11);
  g_assert_cmpstr (r->scope_service, ==, "personalize");
  g_assert_cmpstr (r->scope_region, ==, "us-east-1");
  sent = parse_object (r->body);
  g_assert_cmpstr (json_object_get_string_member (sent, "datasetGroupArn"), ==, ARN_DG);

  /* Delete* answers with no body at all. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11, "", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "DeleteDatasetGroup", input, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (out), ==, 0);

  /* No input is "{}". */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11, "{\"recipes\":[]}", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "ListRecipes", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request (f, 2)->body, ==, "{}");

  /* Repeatable calls share one kept-alive connection... */
  g_assert_cmpuint (request (f, 0)->remote_port, ==, request (f, 1)->remote_port);
  g_assert_cmpuint (request (f, 1)->remote_port, ==, request (f, 2)->remote_port);
  /* ...a create gets a fresh one (never silently re-sent by libsoup). */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11, "{\"datasetGroupArn\":\"" ARN_DG "\"}", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "CreateDatasetGroup", arg ("{\"name\":\"dg1\"}"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (request (f, 3)->remote_port, !=, request (f, 2)->remote_port);
}

static void
test_rest_json_success (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) input = parse_object ("{\"campaignArn\":\"arn:aws:personalize:us-east-1:123456789012:campaign/c1\","
                                              "\"userId\":\"196\",\"numResults\":10}");
  g_autoptr(JsonObject) events = parse_object ("{\"trackingId\":\"t\",\"sessionId\":\"s\",\"eventList\":"
                                               "[{\"eventType\":\"click\",\"sentAt\":1700000000,\"itemId\":\"50\"}]}");
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) error = NULL;

  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "application/json",
                           "{\"itemList\":[{\"itemId\":\"50\",\"score\":0.0123}],\"recommendationId\":\"RID-1\"}", NULL);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE_RUNTIME, "GetRecommendations", input, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (out, "recommendationId"), ==, "RID-1");
  g_assert_cmpstr (request (f, 0)->path, ==, "/recommendations");
  g_assert_null (request (f, 0)->target);
  g_assert_cmpstr (request (f, 0)->content_type, ==, "application/json");
  g_assert_cmpstr (request (f, 0)->scope_service, ==, "personalize");

  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "application/json",
                           "{\"personalizedRanking\":[{\"itemId\":\"2\"}],\"recommendationId\":\"RID-2\"}", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE_RUNTIME, "GetPersonalizedRanking", input, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request (f, 1)->path, ==, "/personalize-ranking");

  /* PutEvents: 200 with an empty body. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "application/json", "", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE_EVENTS, "PutEvents", events, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request (f, 2)->path, ==, "/events");
  g_assert_cmpstr (request (f, 2)->scope_service, ==, "personalize");
  assert_all_verified (f, 3);
}

typedef struct
{
  PwAwsService service;
  const char *operation;
  guint status;
  const char *content_type;
  const char *body;
  const char *header_type;  /* x-amzn-ErrorType */
  const char *code;
  const char *message;
} ErrorCase;

static const char *
s3_error (const char *code)
{
  static char buf[512];

  g_snprintf (buf, sizeof buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code>"
              "<Message>The %s message</Message><RequestId>s3-req</RequestId><HostId>h</HostId></Error>", code, code);
  return buf;
}

static const char *
query_error (const char *code)
{
  static char buf[512];

  g_snprintf (buf, sizeof buf, "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>"
              "<Code>%s</Code><Message>The %s message</Message></Error><RequestId>q-req</RequestId></ErrorResponse>", code, code);
  return buf;
}

static void
run_error_case (Fixture         *f,
                const ErrorCase *c,
                const char      *body)
{
  g_autoptr(JsonObject) input = parse_object ("{\"Bucket\":\"b\",\"Key\":\"k\",\"RoleName\":\"r\",\"name\":\"n\"}");
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) error = NULL;
  guint before = pw_aws_test_server_get_n_requests (f->server);

  if (c->header_type != NULL)
    pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, c->status, c->content_type, body,
                             "x-amzn-ErrorType", c->header_type, "x-amzn-RequestId", "hdr-req", NULL);
  else
    pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, c->status, c->content_type, body,
                             "x-amzn-RequestId", "hdr-req", NULL);
  out = pw_aws_client_call (f->client, c->service, c->operation, input, NULL, &error);
  g_assert_null (out);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_SERVICE);
  g_assert_cmpstr (pw_aws_error_get_code (error), ==, c->code);
  g_assert_cmpuint (pw_aws_error_get_http_status (error), ==, c->status);
  g_assert_cmpstr (pw_aws_error_get_request_id (error), ==, "hdr-req");
  if (c->message != NULL)
    {
      g_assert_cmpstr (pw_aws_error_get_service_message (error), ==, c->message);
      g_assert_nonnull (strstr (error->message, c->message));
    }
  g_assert_nonnull (strstr (error->message, c->code));
  /* Not retried: one request. */
  g_assert_cmpuint (pw_aws_test_server_get_n_requests (f->server), ==, before + 1);
  request (f, before);
}

static void
test_modelled_errors (Fixture       *f,
                      gconstpointer  data)
{
  static const char * const personalize[] = {
    "InvalidInputException", "ResourceNotFoundException", "ResourceAlreadyExistsException",
    "LimitExceededException", "ResourceInUseException", "TooManyTagsException",
    "TooManyTagKeysException", "InvalidNextTokenException", "AccessDeniedException",
  };
  static const struct { const char *code; guint status; } s3[] = {
    { "NoSuchBucket", 404 }, { "NoSuchKey", 404 }, { "BucketAlreadyExists", 409 },
    { "BucketAlreadyOwnedByYou", 409 }, { "BucketNotEmpty", 409 }, { "AccessDenied", 403 },
    { "InvalidAccessKeyId", 403 }, { "InvalidBucketName", 400 }, { "InvalidLocationConstraint", 400 },
    { "MalformedPolicy", 400 },
  };
  static const struct { const char *code; guint status; } iam[] = {
    { "NoSuchEntity", 404 }, { "EntityAlreadyExists", 409 }, { "DeleteConflict", 409 },
    { "LimitExceeded", 409 }, { "ConcurrentModification", 409 }, { "MalformedPolicyDocument", 400 },
    { "InvalidInput", 400 }, { "UnmodifiableEntity", 400 },
  };
  guint count = 0;

  for (guint i = 0; i < G_N_ELEMENTS (personalize); i++)
    {
      /* The three spellings of __type. */
      g_autofree char *plain = g_strdup_printf ("{\"__type\":\"%s\",\"message\":\"m%u\"}", personalize[i], i);
      g_autofree char *ns = g_strdup_printf ("{\"__type\":\"com.amazonaws.personalize#%s\",\"Message\":\"m%u\"}", personalize[i], i);
      g_autofree char *url = g_strdup_printf ("{\"__type\":\"%s:http://internal.amazon.com/coral/\",\"message\":\"m%u\"}", personalize[i], i);
      g_autofree char *message = g_strdup_printf ("m%u", i);
      ErrorCase c = { PW_AWS_SERVICE_PERSONALIZE, "DescribeDatasetGroup", 400, JSON11, NULL, NULL, personalize[i], message };

      run_error_case (f, &c, plain);
      run_error_case (f, &c, ns);
      run_error_case (f, &c, url);
      count += 3;
    }
  {
    ErrorCase c = { PW_AWS_SERVICE_PERSONALIZE, "DescribeDatasetGroup", 403, JSON11, NULL, NULL,
                    "UnrecognizedClientException", "The security token included in the request is invalid." };
    run_error_case (f, &c, "{\"__type\":\"UnrecognizedClientException\",\"message\":\"The security token included in the request is invalid.\"}");
    count++;
  }

  /* REST-JSON: the code comes in x-amzn-ErrorType. */
  {
    ErrorCase runtime[] = {
      { PW_AWS_SERVICE_PERSONALIZE_RUNTIME, "GetRecommendations", 400, "application/json", NULL,
        "InvalidInputException:http://internal.amazon.com/coral/com.amazonaws.personalize/", "InvalidInputException", "bad input" },
      { PW_AWS_SERVICE_PERSONALIZE_RUNTIME, "GetPersonalizedRanking", 404, "application/json", NULL,
        "ResourceNotFoundException", "ResourceNotFoundException", "bad input" },
      { PW_AWS_SERVICE_PERSONALIZE_EVENTS, "PutEvents", 400, "application/json", NULL,
        "InvalidInputException", "InvalidInputException", "bad input" },
      { PW_AWS_SERVICE_PERSONALIZE_EVENTS, "PutEvents", 404, "application/json", NULL,
        "ResourceNotFoundException", "ResourceNotFoundException", "bad input" },
      { PW_AWS_SERVICE_PERSONALIZE_EVENTS, "PutEvents", 409, "application/json", NULL,
        "ResourceInUseException", "ResourceInUseException", "bad input" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (runtime); i++, count++)
      run_error_case (f, &runtime[i], "{\"message\":\"bad input\"}");
    /* Or only in the body. */
    {
      ErrorCase c = { PW_AWS_SERVICE_PERSONALIZE_RUNTIME, "GetRecommendations", 404, "application/json", NULL, NULL,
                      "ResourceNotFoundException", "no campaign" };
      run_error_case (f, &c, "{\"__type\":\"ResourceNotFoundException\",\"Message\":\"no campaign\"}");
      count++;
    }
  }

  for (guint i = 0; i < G_N_ELEMENTS (s3); i++, count++)
    {
      g_autofree char *message = g_strdup_printf ("The %s message", s3[i].code);
      ErrorCase c = { PW_AWS_SERVICE_S3, i % 2 ? "GetObject" : "CreateBucket", s3[i].status, "application/xml",
                      NULL, NULL, s3[i].code, message };

      run_error_case (f, &c, s3_error (s3[i].code));
    }
  /* A HEAD has no body: the status tells. */
  {
    ErrorCase c = { PW_AWS_SERVICE_S3, "HeadObject", 404, NULL, NULL, NULL, "NotFound", NULL };
    run_error_case (f, &c, NULL);
    count++;
  }

  for (guint i = 0; i < G_N_ELEMENTS (iam); i++, count++)
    {
      g_autofree char *message = g_strdup_printf ("The %s message", iam[i].code);
      ErrorCase c = { PW_AWS_SERVICE_IAM, i % 2 ? "GetRole" : "DeleteRole", iam[i].status, "text/xml",
                      NULL, NULL, iam[i].code, message };

      run_error_case (f, &c, query_error (iam[i].code));
    }
  {
    ErrorCase sts[] = {
      { PW_AWS_SERVICE_STS, "GetCallerIdentity", 403, "text/xml", NULL, NULL, "InvalidClientTokenId", "The InvalidClientTokenId message" },
      { PW_AWS_SERVICE_STS, "GetCallerIdentity", 400, "text/xml", NULL, NULL, "ExpiredToken", "The ExpiredToken message" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (sts); i++, count++)
      run_error_case (f, &sts[i], query_error (sts[i].code));
  }
  g_test_message ("%u error answers mapped", count);
}

static void
test_throttling_then_success (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonObject) input = parse_object ("{\"datasetGroupArn\":\"" ARN_DG "\"}");
  g_autoptr(JsonObject) events = parse_object ("{\"trackingId\":\"t\",\"sessionId\":\"s\",\"eventList\":[]}");
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) error = NULL;

  /* JSON 1.1 */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 400, JSON11,
                           "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11, "{\"datasetGroup\":{}}", NULL);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "DescribeDatasetGroup", input, NULL, &error);
  g_assert_no_error (error);
  assert_all_verified (f, 2);
  /* The retry took 5 tokens, the success gave them back. */
  g_assert_cmpuint (pw_aws_client_get_retry_tokens (f->client), ==, 500);

  /* S3 SlowDown (503) */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 503, "application/xml", s3_error ("SlowDown"), NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 204, NULL, NULL, NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_S3, "DeleteBucket",
                            arg ("{\"Bucket\":\"b\"}"), NULL, &error);
  g_assert_no_error (error);
  assert_all_verified (f, 4);

  /* IAM Throttling, then 429 */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 400, "text/xml", query_error ("Throttling"), NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 429, "text/xml", "", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/xml",
                           "<GetRoleResponse><GetRoleResult><Role><RoleName>r</RoleName></Role></GetRoleResult></GetRoleResponse>", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_IAM, "GetRole", arg ("{\"RoleName\":\"r\"}"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (out, "Role"), "RoleName"), ==, "r");
  assert_all_verified (f, 7);

  /* Throttling is safe to repeat even for PutEvents: nothing happened. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 400, "application/json", "{}",
                           "x-amzn-ErrorType", "ThrottlingException", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "application/json", "", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE_EVENTS, "PutEvents", events, NULL, &error);
  g_assert_no_error (error);
  assert_all_verified (f, 9);

  /* At most 3 attempts. */
  for (int i = 0; i < 4; i++)
    pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 400, JSON11, "{\"__type\":\"ThrottlingException\"}", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "DescribeDatasetGroup", input, NULL, &error);
  g_assert_null (out);
  g_assert_true (pw_aws_error_has_code (error, "ThrottlingException"));
  assert_all_verified (f, 12);
  g_assert_cmpuint (pw_aws_test_server_get_n_pending (f->server), ==, 1);
  /* 500, -10 +5 (IAM: two retries, one refunded), -10 (two retries, no success). */
  g_assert_cmpuint (pw_aws_client_get_retry_tokens (f->client), ==, 485);
  g_clear_error (&error);

  /* And the number is settable. */
  pw_aws_client_set_max_attempts (f->client, 1);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "DescribeDatasetGroup", input, NULL, &error);
  g_assert_true (pw_aws_error_has_code (error, "ThrottlingException"));
  assert_all_verified (f, 13);
}

static void
test_ambiguous_creates (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) create = parse_object ("{\"name\":\"dg1\"}");
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) error = NULL;

  /* A 500 after sending: the list shows the group, so no second create. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 500, JSON11, "{\"__type\":\"InternalFailure\"}", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11,
                           "{\"datasetGroups\":[{\"name\":\"other\",\"datasetGroupArn\":\"arn:x/other\"}],\"nextToken\":\"p2\"}", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11,
                           "{\"datasetGroups\":[{\"name\":\"dg1\",\"datasetGroupArn\":\"" ARN_DG "\"}]}", NULL);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "CreateDatasetGroup", create, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (out, "datasetGroupArn"), ==, ARN_DG);
  assert_all_verified (f, 3);
  g_assert_cmpstr (request (f, 0)->target, ==, "AmazonPersonalize.CreateDatasetGroup");
  g_assert_cmpstr (request (f, 1)->target, ==, "AmazonPersonalize.ListDatasetGroups");
  g_assert_cmpstr (request (f, 2)->target, ==, "AmazonPersonalize.ListDatasetGroups");
  g_assert_nonnull (strstr (request (f, 2)->body, "\"nextToken\":\"p2\""));

  /* Not in the list: it did not happen, so it is created again. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 502, "text/html", "<html>Bad Gateway</html>", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11, "{\"datasetGroups\":[]}", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11, "{\"datasetGroupArn\":\"" ARN_DG "\"}", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "CreateDatasetGroup", create, NULL, &error);
  g_assert_no_error (error);
  assert_all_verified (f, 6);
  g_assert_cmpstr (request (f, 5)->target, ==, "AmazonPersonalize.CreateDatasetGroup");

  /* The check itself fails: the error says it may have happened. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 500, JSON11, "{\"__type\":\"InternalFailure\"}", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 400, JSON11, "{\"__type\":\"AccessDeniedException\"}", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "CreateDatasetGroup", create, NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_AMBIGUOUS);
  g_clear_error (&error);
  assert_all_verified (f, 8);

  /* PutEvents cannot be checked: never sent twice. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 500, "application/json", "{}",
                           "x-amzn-ErrorType", "InternalFailure", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE_EVENTS, "PutEvents",
                            arg ("{\"trackingId\":\"t\",\"sessionId\":\"s\",\"eventList\":[]}"), NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_AMBIGUOUS);
  g_assert_cmpstr (pw_aws_error_get_code (error), ==, "InternalFailure");
  g_clear_error (&error);
  assert_all_verified (f, 9);

  /* IAM CreateRole: checked with GetRole. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 500, "text/xml", query_error ("ServiceFailure"), NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/xml",
                           "<GetRoleResponse><GetRoleResult><Role><RoleName>r</RoleName><Arn>arn:aws:iam::1:role/r</Arn></Role>"
                           "</GetRoleResult></GetRoleResponse>", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_IAM, "CreateRole",
                            arg ("{\"RoleName\":\"r\",\"AssumeRolePolicyDocument\":\"{}\"}"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (out, "Role"), "Arn"), ==, "arn:aws:iam::1:role/r");
  assert_all_verified (f, 11);
  g_assert_nonnull (strstr (request (f, 10)->body, "Action=GetRole&"));

  /* CreateEventTracker: the check also fetches the tracking id. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 503, JSON11, "{\"__type\":\"ServiceUnavailable\"}", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11,
                           "{\"eventTrackers\":[{\"name\":\"t1\",\"eventTrackerArn\":\"arn:et/abc\"}]}", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11,
                           "{\"eventTracker\":{\"eventTrackerArn\":\"arn:et/abc\",\"trackingId\":\"tid-1\"}}", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "CreateEventTracker",
                            arg ("{\"name\":\"t1\",\"datasetGroupArn\":\"" ARN_DG "\"}"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (out, "trackingId"), ==, "tid-1");
  assert_all_verified (f, 14);
  g_assert_cmpstr (request (f, 13)->target, ==, "AmazonPersonalize.DescribeEventTracker");
  g_assert_nonnull (strstr (request (f, 12)->body, ARN_DG));
}

static void
test_timeouts (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonObject) input = parse_object ("{\"datasetGroupArn\":\"" ARN_DG "\"}");
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  pw_aws_client_set_timeout (f->client, 200);

  /* A read times out, is retried, then succeeds. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_HANG, 0, NULL, NULL, NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11, "{\"datasetGroup\":{\"status\":\"ACTIVE\"}}", NULL);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "DescribeDatasetGroup", input, NULL, &error);
  g_assert_no_error (error);
  assert_all_verified (f, 2);

  /* Always silent: a timeout error after 3 attempts. */
  for (int i = 0; i < 3; i++)
    pw_aws_test_server_push (f->server, PW_AWS_TEST_HANG, 0, NULL, NULL, NULL);
  start = g_get_monotonic_time ();
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "DescribeDatasetGroup", input, NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 3 * 200 * 1000);
  g_clear_error (&error);
  assert_all_verified (f, 5);

  /* A create that timed out after sending is checked before repeating. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_HANG, 0, NULL, NULL, NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11,
                           "{\"schemas\":[{\"name\":\"s1\",\"schemaArn\":\"arn:schema/s1\"}]}", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "CreateSchema",
                            arg ("{\"name\":\"s1\",\"schema\":\"{}\"}"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (out, "schemaArn"), ==, "arn:schema/s1");
  assert_all_verified (f, 7);
  g_assert_cmpstr (request (f, 6)->target, ==, "AmazonPersonalize.ListSchemas");

  /* PutEvents that timed out: ambiguous, not repeated. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_HANG, 0, NULL, NULL, NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE_EVENTS, "PutEvents",
                            arg ("{\"trackingId\":\"t\",\"sessionId\":\"s\",\"eventList\":[]}"), NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_AMBIGUOUS);
  assert_all_verified (f, 8);
}

static void
test_broken_answers (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) input = parse_object ("{\"datasetGroupArn\":\"" ARN_DG "\"}");
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) error = NULL;
  const char *truncated = "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 100\r\n\r\n{\"datasetGro";

  /* Truncated, then fine. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_RAW, 0, NULL, truncated, NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11, "{\"datasetGroup\":{}}", NULL);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "DescribeDatasetGroup", input, NULL, &error);
  g_assert_no_error (error);
  assert_all_verified (f, 2);

  /* Always truncated. */
  for (int i = 0; i < 3; i++)
    pw_aws_test_server_push (f->server, PW_AWS_TEST_RAW, 0, NULL, truncated, NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "DescribeDatasetGroup", input, NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_NETWORK);
  g_clear_error (&error);
  assert_all_verified (f, 5);

  /* A Content-Length no answer read into memory may have (10^12, and
   * -1, which libsoup reads as 2^64 - 1): refused when the headers arrive,
   * not retried, and said so. */
  {
    const char *lying[] = {
      "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 1000000000000\r\n\r\n{\"a\"",
      "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: -1\r\n\r\n{}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (lying); i++)
      {
        guint before = pw_aws_test_server_get_n_requests (f->server);

        pw_aws_test_server_push (f->server, PW_AWS_TEST_RAW, 0, NULL, lying[i], NULL);
        g_clear_pointer (&out, json_object_unref);
        out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "DescribeDatasetGroup", input, NULL, &error);
        g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE);
        g_assert_nonnull (strstr (error->message, i == 0 ? "1000000000000 bytes" : "not a number of bytes"));
        g_test_message ("%s", error->message);
        g_clear_error (&error);
        /* One attempt: not retried. */
        g_assert_cmpuint (pw_aws_test_server_get_n_requests (f->server), ==, before + 1);
        g_assert_cmpuint (pw_aws_test_server_get_n_pending (f->server), ==, 0);
      }
  }

  /* Invalid JSON, then fine. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11, "{\"datasetGroup\": {", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11, "{\"datasetGroup\":{}}", NULL);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "DescribeDatasetGroup", input, NULL, &error);
  g_assert_no_error (error);
  assert_all_verified (f, 9);

  /* Always invalid: a JSON array, then garbage. */
  pw_aws_client_set_max_attempts (f->client, 2);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11, "[1,2]", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11, "not json", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "DescribeDatasetGroup", input, NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "JSON"));
  g_clear_error (&error);

  /* Invalid XML (STS), wrong root (IAM). */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/xml", "<GetCallerIdentityResponse><Get", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/xml", "<a></b>", NULL);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_STS, "GetCallerIdentity", NULL, NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "XML"));
  g_clear_error (&error);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/xml", "<Other/>", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/xml", "<Other/>", NULL);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_IAM, "GetRole", arg ("{\"RoleName\":\"r\"}"), NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  /* An error body that is not JSON still gives the status. */
  pw_aws_client_set_max_attempts (f->client, 1);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 502, "text/html", "<html>", NULL);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "DescribeDatasetGroup", input, NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_SERVICE);
  g_assert_cmpuint (pw_aws_error_get_http_status (error), ==, 502);
  g_assert_null (pw_aws_error_get_code (error));
  assert_all_verified (f, 16);
}

static void
test_redirects (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = g_strdup_printf ("%s/elsewhere/bucket/key", pw_aws_test_server_get_url (f->server));

  /* S3 temporary redirect: followed and signed again. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 307, "application/xml", s3_error ("TemporaryRedirect"),
                           "Location", location, NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/plain", "hello", "ETag", "\"e\"", NULL);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_S3, "GetObject",
                            arg ("{\"Bucket\":\"bucket\",\"Key\":\"key\"}"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (out, "Body"), ==, "hello");
  assert_all_verified (f, 2);
  g_assert_cmpstr (request (f, 1)->path, ==, "/elsewhere/bucket/key");

  /* S3 permanent redirect to the bucket's region: signed for that region. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 301, "application/xml", s3_error ("PermanentRedirect"),
                           "x-amz-bucket-region", "eu-west-1", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 204, NULL, NULL, NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_S3, "DeleteObject",
                            arg ("{\"Bucket\":\"far\",\"Key\":\"k\"}"), NULL, &error);
  g_assert_no_error (error);
  assert_all_verified (f, 4);
  g_assert_cmpstr (request (f, 2)->scope_region, ==, "us-east-1");
  g_assert_cmpstr (request (f, 3)->scope_region, ==, "eu-west-1");

  /* Redirect loops end (after two redirects). */
  for (int i = 0; i < 3; i++)
    pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 307, "application/xml", s3_error ("TemporaryRedirect"),
                             "Location", location, NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_S3, "GetObject",
                            arg ("{\"Bucket\":\"bucket\",\"Key\":\"key\"}"), NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_SERVICE);
  g_assert_cmpuint (pw_aws_error_get_http_status (error), ==, 307);
  g_assert_cmpuint (pw_aws_test_server_get_n_pending (f->server), ==, 0);
  g_clear_error (&error);

  /* A JSON service redirecting: an error that points at the endpoint. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 301, "text/html", "moved", "Location", "https://example.invalid/", NULL);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "ListRecipes", NULL, NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE);
  if (strstr (error->message, "https://example.invalid/") == NULL)
    g_error ("%s", error->message);
}

static void
test_clock_skew (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) error = NULL;

  /* The server's clock is an hour ahead: the first request of each
   * protocol fails verification (the server answers as AWS does), the
   * client learns the offset from Date and signs again. */
  pw_aws_test_server_set_clock_offset (f->server, 3600);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11, "{\"recipes\":[]}", NULL);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "ListRecipes", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pw_aws_test_server_get_n_requests (f->server), ==, 2);
  g_assert_false (pw_aws_test_server_get_request (f->server, 0)->verified);
  request (f, 1);
  g_assert_cmpint (ABS (pw_aws_client_get_clock_offset (f->client) - 3600), <=, 2);

  /* S3 (RequestTimeTooSkewed) and STS (RequestExpired), from a client an hour behind. */
  pw_aws_test_server_set_clock_offset (f->server, -3600);
  pw_aws_client_set_clock_offset (f->client, 0);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 204, NULL, NULL, NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_S3, "DeleteBucket", arg ("{\"Bucket\":\"b\"}"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pw_aws_test_server_get_n_requests (f->server), ==, 4);
  g_assert_false (pw_aws_test_server_get_request (f->server, 2)->verified);
  request (f, 3);

  pw_aws_client_set_clock_offset (f->client, 0);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/xml",
                           "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account>"
                           "</GetCallerIdentityResult></GetCallerIdentityResponse>", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_STS, "GetCallerIdentity", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pw_aws_test_server_get_n_requests (f->server), ==, 6);
  request (f, 5);
  g_assert_cmpint (ABS (pw_aws_client_get_clock_offset (f->client) + 3600), <=, 2);
}

static void
test_s3_operations (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *contents;
  PwAwsTestRequest *r;
  const char *policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
  g_autoptr(JsonObject) policy_input = json_object_new ();
  g_autofree char *md5 = NULL;

  /* CreateBucket outside us-east-1 carries its LocationConstraint. */
  pw_aws_client_set_region (f->client, "eu-west-1");
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, NULL, NULL, "Location", "/my-bucket", NULL);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_S3, "CreateBucket", arg ("{\"Bucket\":\"my-bucket\"}"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (out, "Location"), ==, "/my-bucket");
  r = request (f, 0);
  g_assert_cmpstr (r->method, ==, "PUT");
  g_assert_cmpstr (r->path, ==, "/my-bucket");
  g_assert_nonnull (strstr (r->body, "<LocationConstraint>eu-west-1</LocationConstraint>"));
  g_assert_cmpstr (r->scope_service, ==, "s3");
  g_assert_cmpstr (r->scope_region, ==, "eu-west-1");
  pw_aws_client_set_region (f->client, "us-east-1");

  /* PutBucketPolicy: ?policy and Content-MD5. */
  json_object_set_string_member (policy_input, "Bucket", "my-bucket");
  json_object_set_string_member (policy_input, "Policy", policy);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 204, NULL, NULL, NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_S3, "PutBucketPolicy", policy_input, NULL, &error);
  g_assert_no_error (error);
  r = request (f, 1);
  g_assert_cmpstr (r->query, ==, "policy");
  g_assert_cmpstr (r->body, ==, policy);
  {
    g_autoptr(GChecksum) c = g_checksum_new (G_CHECKSUM_MD5);
    guint8 d[16];
    gsize l = 16;

    g_checksum_update (c, (const guchar *) policy, strlen (policy));
    g_checksum_get_digest (c, d, &l);
    md5 = g_base64_encode (d, l);
  }
  g_assert_cmpstr (r->content_md5, ==, md5);

  /* ListObjectsV2: query parameters, XML to JSON. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "application/xml",
                           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                           "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>my-bucket</Name>"
                           "<Prefix>data/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
                           "<Contents><Key>data/a b.csv</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified>"
                           "<ETag>&quot;e1&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>"
                           "<Contents><Key>data/é.json</Key><Size>3</Size></Contents></ListBucketResult>", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_S3, "ListObjectsV2",
                            arg ("{\"Bucket\":\"my-bucket\",\"Prefix\":\"data/a b\",\"MaxKeys\":5,"
                                          "\"ContinuationToken\":\"t/+=\"}"), NULL, &error);
  g_assert_no_error (error);
  r = request (f, 2);
  g_assert_cmpstr (r->method, ==, "GET");
  g_assert_cmpstr (r->path, ==, "/my-bucket");
  g_assert_cmpstr (r->query, ==, "list-type=2&continuation-token=t%2F%2B%3D&max-keys=5&prefix=data%2Fa%20b");
  g_assert_cmpint (json_object_get_int_member (out, "KeyCount"), ==, 2);
  g_assert_false (json_object_get_boolean_member (out, "IsTruncated"));
  contents = json_object_get_array_member (out, "Contents");
  g_assert_cmpuint (json_array_get_length (contents), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contents, 0), "ETag"), ==, "\"e1\"");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (contents, 1), "Size"), ==, 3);

  /* A single Contents is still a list. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "application/xml",
                           "<ListBucketResult><KeyCount>1</KeyCount><Contents><Key>k</Key></Contents></ListBucketResult>", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_S3, "ListObjectsV2", arg ("{\"Bucket\":\"b\"}"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (out, "Contents")), ==, 1);

  /* Keys with spaces and unicode: encoded in the path, signed as sent. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, NULL, NULL, "ETag", "\"x\"", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_S3, "PutObject",
                            arg ("{\"Bucket\":\"b\",\"Key\":\"dir/a b/한글 é+.csv\",\"Body\":\"USER_ID\\n\"}"),
                            NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (out, "ETag"), ==, "\"x\"");
  r = request (f, 4);
  g_assert_cmpstr (r->path, ==, "/b/dir/a%20b/%ED%95%9C%EA%B8%80%20%C3%A9%2B.csv");
  g_assert_cmpstr (r->body, ==, "USER_ID\n");

  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 204, NULL, NULL, NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_S3, "DeleteObject",
                            arg ("{\"Bucket\":\"b\",\"Key\":\"k\"}"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request (f, 5)->method, ==, "DELETE");
  assert_all_verified (f, 6);

  /* Missing members are the caller's error, before any request. */
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_S3, "GetObject", arg ("{\"Bucket\":\"b\"}"), NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Key"));
  assert_all_verified (f, 6);
}

static void
test_query_operations (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) input = json_object_new ();
  const char *trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                      "{\"Service\":\"personalize.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
  g_autofree char *encoded_trust = pw_aws_uri_encode (trust, -1, FALSE);
  g_autofree char *expected_body = NULL;
  g_autofree char *response = NULL;
  g_autofree char *account = NULL;
  JsonObject *role, *doc;
  JsonArray *policies;
  PwAwsTestRequest *r;

  json_object_set_string_member (input, "RoleName", "PersonalizeRole");
  json_object_set_string_member (input, "AssumeRolePolicyDocument", trust);
  response = g_strdup_printf ("<CreateRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><CreateRoleResult><Role>"
                              "<Path>/</Path><RoleName>PersonalizeRole</RoleName><RoleId>AROAEXAMPLE</RoleId>"
                              "<Arn>arn:aws:iam::123456789012:role/PersonalizeRole</Arn><CreateDate>2024-01-15T12:00:00Z</CreateDate>"
                              "<AssumeRolePolicyDocument>%s</AssumeRolePolicyDocument></Role></CreateRoleResult>"
                              "<ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></CreateRoleResponse>", encoded_trust);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/xml", response, NULL);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_IAM, "CreateRole", input, NULL, &error);
  g_assert_no_error (error);
  role = json_object_get_object_member (out, "Role");
  g_assert_cmpstr (json_object_get_string_member (role, "Arn"), ==, "arn:aws:iam::123456789012:role/PersonalizeRole");
  doc = json_object_get_object_member (role, "AssumeRolePolicyDocument");
  g_assert_cmpstr (json_object_get_string_member (doc, "Version"), ==, "2012-10-17");
  r = request (f, 0);
  expected_body = g_strdup_printf ("Action=CreateRole&Version=2010-05-08&RoleName=PersonalizeRole&AssumeRolePolicyDocument=%s",
                                   encoded_trust);
  g_assert_cmpstr (r->body, ==, expected_body);
  g_assert_cmpstr (r->content_type, ==, "application/x-www-form-urlencoded; charset=utf-8");
  /* IAM is global: signed for us-east-1 whatever the region. */
  g_assert_cmpstr (r->scope_service, ==, "iam");
  g_assert_cmpstr (r->scope_region, ==, "us-east-1");

  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/xml",
                           "<ListAttachedRolePoliciesResponse><ListAttachedRolePoliciesResult><AttachedPolicies>"
                           "<member><PolicyName>AmazonS3FullAccess</PolicyName><PolicyArn>arn:aws:iam::aws:policy/AmazonS3FullAccess</PolicyArn></member>"
                           "</AttachedPolicies><IsTruncated>false</IsTruncated></ListAttachedRolePoliciesResult>"
                           "</ListAttachedRolePoliciesResponse>", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_IAM, "ListAttachedRolePolicies",
                            arg ("{\"RoleName\":\"PersonalizeRole\"}"), NULL, &error);
  g_assert_no_error (error);
  policies = json_object_get_array_member (out, "AttachedPolicies");
  g_assert_cmpuint (json_array_get_length (policies), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (policies, 0), "PolicyName"), ==,
                   "AmazonS3FullAccess");

  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/xml",
                           "<AttachRolePolicyResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AttachRolePolicyResponse>", NULL);
  g_clear_pointer (&out, json_object_unref);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_IAM, "AttachRolePolicy",
                            arg ("{\"RoleName\":\"r\",\"PolicyArn\":\"arn:aws:iam::aws:policy/AmazonS3FullAccess\"}"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (out), ==, 0);
  g_assert_cmpstr (request (f, 2)->body, ==,
                   "Action=AttachRolePolicy&Version=2010-05-08&RoleName=r&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FAmazonS3FullAccess");

  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/xml",
                           "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                           "<Arn>arn:aws:iam::123456789012:user/alice</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>"
                           "</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>", NULL);
  g_assert_true (pw_aws_client_get_caller_identity (f->client, &account, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (account, ==, "123456789012");
  g_assert_cmpstr (request (f, 3)->body, ==, "Action=GetCallerIdentity&Version=2011-06-15");
  g_assert_cmpstr (request (f, 3)->scope_service, ==, "sts");
  assert_all_verified (f, 4);
}

static void
cancel_soon (GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
test_cancel_and_misuse (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwAwsClient) bare = NULL;
  gint64 start;

  /* Cancelled while the server is silent. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_HANG, 0, NULL, NULL, NULL);
  g_timeout_add_once (100, (GSourceOnceFunc) cancel_soon, cancellable);
  start = g_get_monotonic_time ();
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "ListRecipes", NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_clear_error (&error);

  /* Cancelled during a backoff wait. */
  pw_aws_client_set_retry_delays (f->client, 5000, 5000);
  g_cancellable_reset (cancellable);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 400, JSON11, "{\"__type\":\"ThrottlingException\"}", NULL);
  g_timeout_add_once (300, (GSourceOnceFunc) cancel_soon, cancellable);
  start = g_get_monotonic_time ();
  g_random_set_seed (1);
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "ListRecipes", NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_clear_error (&error);

  /* Unknown operation, no credentials, no region for AWS: no request. */
  out = pw_aws_client_call (f->client, PW_AWS_SERVICE_PERSONALIZE, "CreateFilter", NULL, NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  bare = pw_aws_client_new (NULL);
  out = pw_aws_client_call (bare, PW_AWS_SERVICE_STS, "GetCallerIdentity", NULL, NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CREDENTIALS);
  g_clear_error (&error);
  {
    g_autoptr(PwAwsCredentials) creds = pw_aws_credentials_new ("AKID", "s", NULL, "test");
    pw_aws_client_set_credentials (bare, creds);
  }
  out = pw_aws_client_call (bare, PW_AWS_SERVICE_STS, "GetCallerIdentity", NULL, NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG);
  g_clear_error (&error);

  /* Nothing listening: a network error, retried, not ambiguous. */
  pw_aws_client_set_retry_delays (bare, 1, 1);
  pw_aws_client_set_endpoint_url (bare, "http://127.0.0.1:9");
  out = pw_aws_client_call (bare, PW_AWS_SERVICE_PERSONALIZE, "CreateDatasetGroup",
                            arg ("{\"name\":\"x\"}"), NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "127.0.0.1:9"));
  g_assert_cmpuint (pw_aws_test_server_get_n_requests (f->server), ==, 2);
}

static void
test_every_operation_known (void)
{
  /* docs/personalize-api.md's list of operations used by the workshop. */
  static const struct { PwAwsService s; const char *op; } used[] = {
    { PW_AWS_SERVICE_STS, "GetCallerIdentity" }, { PW_AWS_SERVICE_S3, "CreateBucket" },
    { PW_AWS_SERVICE_S3, "PutObject" }, { PW_AWS_SERVICE_S3, "GetObject" },
    { PW_AWS_SERVICE_S3, "PutBucketPolicy" }, { PW_AWS_SERVICE_S3, "ListObjectsV2" },
    { PW_AWS_SERVICE_S3, "DeleteObject" }, { PW_AWS_SERVICE_S3, "DeleteBucket" },
    { PW_AWS_SERVICE_IAM, "CreateRole" }, { PW_AWS_SERVICE_IAM, "AttachRolePolicy" },
    { PW_AWS_SERVICE_IAM, "DetachRolePolicy" }, { PW_AWS_SERVICE_IAM, "DeleteRole" },
    { PW_AWS_SERVICE_IAM, "GetRole" }, { PW_AWS_SERVICE_IAM, "ListAttachedRolePolicies" },
    { PW_AWS_SERVICE_PERSONALIZE_RUNTIME, "GetRecommendations" },
    { PW_AWS_SERVICE_PERSONALIZE_RUNTIME, "GetPersonalizedRanking" },
    { PW_AWS_SERVICE_PERSONALIZE_EVENTS, "PutEvents" },
  };
  static const char * const personalize[] = {
    "CreateDatasetGroup", "DescribeDatasetGroup", "ListDatasetGroups", "DeleteDatasetGroup",
    "CreateSchema", "DescribeSchema", "DeleteSchema", "CreateDataset", "DescribeDataset",
    "ListDatasets", "DeleteDataset", "CreateDatasetImportJob", "DescribeDatasetImportJob",
    "ListRecipes", "CreateSolution", "DescribeSolution", "ListSolutions", "DeleteSolution",
    "CreateSolutionVersion", "DescribeSolutionVersion", "ListSolutionVersions", "GetSolutionMetrics",
    "CreateCampaign", "DescribeCampaign", "ListCampaigns", "DeleteCampaign", "CreateEventTracker",
    "DescribeEventTracker", "DeleteEventTracker", "CreateBatchInferenceJob", "DescribeBatchInferenceJob",
  };
  guint n;
  const PwAwsOperation *all = pw_aws_operation_list (&n);

  for (guint i = 0; i < G_N_ELEMENTS (used); i++)
    g_assert_nonnull (pw_aws_operation_lookup (used[i].s, used[i].op));
  for (guint i = 0; i < G_N_ELEMENTS (personalize); i++)
    g_assert_nonnull (pw_aws_operation_lookup (PW_AWS_SERVICE_PERSONALIZE, personalize[i]));
  /* Every create is checked before a repeat, and its check operation exists. */
  for (guint i = 0; i < n; i++)
    {
      if (g_str_has_prefix (all[i].name, "Create") && all[i].service != PW_AWS_SERVICE_S3)
        {
          g_assert_cmpint (all[i].retry, ==, PW_AWS_RETRY_CHECK_FIRST);
          g_assert_nonnull (pw_aws_operation_lookup (all[i].service, all[i].check_operation));
        }
    }
  g_assert_cmpint (pw_aws_operation_lookup (PW_AWS_SERVICE_PERSONALIZE_EVENTS, "PutEvents")->retry, ==,
                   PW_AWS_RETRY_NEVER_AFTER_SEND);
}

static void
assert_url (PwAwsClient  *client,
            PwAwsService  service,
            const char   *operation,
            const char   *input_json,
            const char   *url,
            const char   *signing_region)
{
  g_autoptr(JsonObject) input = input_json != NULL ? arg (input_json) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *region = NULL;
  g_autofree char *got = pw_aws_client_get_request_url (client, service, operation, input, &region, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, url);
  g_assert_cmpstr (region, ==, signing_region);
}

static void
test_aws_endpoints (void)
{
  g_autoptr(PwAwsConfig) config = pw_aws_config_new ();
  g_autoptr(PwAwsClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *none = NULL;

  config->region = g_strdup ("us-west-2");
  client = pw_aws_client_new (config);
  assert_url (client, PW_AWS_SERVICE_PERSONALIZE, "ListRecipes", NULL,
              "https://personalize.us-west-2.amazonaws.com/", "us-west-2");
  assert_url (client, PW_AWS_SERVICE_PERSONALIZE_RUNTIME, "GetRecommendations", NULL,
              "https://personalize-runtime.us-west-2.amazonaws.com/recommendations", "us-west-2");
  assert_url (client, PW_AWS_SERVICE_PERSONALIZE_EVENTS, "PutEvents", NULL,
              "https://personalize-events.us-west-2.amazonaws.com/events", "us-west-2");
  assert_url (client, PW_AWS_SERVICE_IAM, "GetRole", NULL, "https://iam.amazonaws.com/", "us-east-1");
  assert_url (client, PW_AWS_SERVICE_STS, "GetCallerIdentity", NULL, "https://sts.us-west-2.amazonaws.com/", "us-west-2");
  /* S3: virtual-hosted on AWS, path-style when the name is not DNS-safe. */
  assert_url (client, PW_AWS_SERVICE_S3, "GetObject", "{\"Bucket\":\"my-bucket\",\"Key\":\"dir/a b.csv\"}",
              "https://my-bucket.s3.us-west-2.amazonaws.com/dir/a%20b.csv", "us-west-2");
  assert_url (client, PW_AWS_SERVICE_S3, "ListObjectsV2", "{\"Bucket\":\"my-bucket\",\"Prefix\":\"x\"}",
              "https://my-bucket.s3.us-west-2.amazonaws.com/?list-type=2&prefix=x", "us-west-2");
  assert_url (client, PW_AWS_SERVICE_S3, "GetObject", "{\"Bucket\":\"my.bucket\",\"Key\":\"k\"}",
              "https://s3.us-west-2.amazonaws.com/my.bucket/k", "us-west-2");
  assert_url (client, PW_AWS_SERVICE_S3, "DeleteBucket", "{\"Bucket\":\"Upper_Case\"}",
              "https://s3.us-west-2.amazonaws.com/Upper_Case", "us-west-2");
  pw_aws_client_set_region (client, "us-east-1");
  assert_url (client, PW_AWS_SERVICE_S3, "DeleteBucket", "{\"Bucket\":\"123456789012reinventpersonalizeworkshop\"}",
              "https://123456789012reinventpersonalizeworkshop.s3.amazonaws.com/", "us-east-1");
  pw_aws_client_set_region (client, "cn-north-1");
  assert_url (client, PW_AWS_SERVICE_PERSONALIZE, "ListRecipes", NULL,
              "https://personalize.cn-north-1.amazonaws.com.cn/", "cn-north-1");
  assert_url (client, PW_AWS_SERVICE_IAM, "GetRole", NULL, "https://iam.cn-north-1.amazonaws.com.cn/", "cn-north-1");

  /* A custom endpoint (the local engine), with a base path: path-style S3. */
  pw_aws_client_set_region (client, "eu-west-1");
  pw_aws_client_set_endpoint_url (client, "http://127.0.0.1:9000/base/");
  assert_url (client, PW_AWS_SERVICE_PERSONALIZE, "ListRecipes", NULL, "http://127.0.0.1:9000/base/", "eu-west-1");
  assert_url (client, PW_AWS_SERVICE_PERSONALIZE_RUNTIME, "GetPersonalizedRanking", NULL,
              "http://127.0.0.1:9000/base/personalize-ranking", "eu-west-1");
  assert_url (client, PW_AWS_SERVICE_S3, "PutObject", "{\"Bucket\":\"my-bucket\",\"Key\":\"k.csv\"}",
              "http://127.0.0.1:9000/base/my-bucket/k.csv", "eu-west-1");
  assert_url (client, PW_AWS_SERVICE_IAM, "GetRole", NULL, "http://127.0.0.1:9000/base/", "us-east-1");

  /* No region and no endpoint: a configuration error. */
  pw_aws_client_set_endpoint_url (client, NULL);
  pw_aws_client_set_region (client, NULL);
  none = pw_aws_client_get_request_url (client, PW_AWS_SERVICE_STS, "GetCallerIdentity", NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG);
}

typedef struct
{
  guint done;
  guint ok;
} Pending;

static void
concurrent_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Pending *p = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) out = pw_aws_client_call_finish (PW_AWS_CLIENT (source), result, &error);

  g_assert_no_error (error);
  if (json_object_has_member (out, "datasetGroup"))
    p->ok++;
  p->done++;
}

/* The async API from a main loop, several calls in flight at once. */
static void
test_concurrent_async (Fixture       *f,
                       gconstpointer  data)
{
  Pending p = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  /* The first request to arrive is throttled: it retries while the others go on. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 400, JSON11, "{\"__type\":\"ThrottlingException\"}", NULL);
  for (int i = 0; i < 6; i++)
    pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11, "{\"datasetGroup\":{}}", NULL);
  for (int i = 0; i < 6; i++)
    pw_aws_client_call_async (f->client, PW_AWS_SERVICE_PERSONALIZE, "DescribeDatasetGroup",
                              arg ("{\"datasetGroupArn\":\"" ARN_DG "\"}"), cancellable, concurrent_done_cb, &p);
  /* Nothing is sent until the main loop runs. */
  g_assert_cmpuint (p.done, ==, 0);
  while (p.done < 6)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (p.ok, ==, 6);
  assert_all_verified (f, 7);
  g_assert_cmpuint (pw_aws_test_server_get_n_pending (f->server), ==, 0);
}

/* What a server formats with pw_aws_error_format_body(), the client reads back. */
static void
test_error_bodies_round_trip (Fixture       *f,
                              gconstpointer  data)
{
  static const struct { PwAwsService service; const char *op; const char *code; guint status; } cases[] = {
    { PW_AWS_SERVICE_PERSONALIZE, "DescribeSchema", "ResourceNotFoundException", 400 },
    { PW_AWS_SERVICE_PERSONALIZE_RUNTIME, "GetRecommendations", "InvalidInputException", 400 },
    { PW_AWS_SERVICE_PERSONALIZE_EVENTS, "PutEvents", "ResourceInUseException", 409 },
    { PW_AWS_SERVICE_S3, "DeleteBucket", "BucketNotEmpty", 409 },
    { PW_AWS_SERVICE_IAM, "DeleteRole", "DeleteConflict", 409 },
    { PW_AWS_SERVICE_STS, "GetCallerIdentity", "AccessDenied", 403 },
  };
  const char *message = "Name <a&b> \"quoted\" — 한글 é";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *content_type = NULL;
      g_autofree char *body = pw_aws_error_format_body (pw_aws_service_get_protocol (cases[i].service),
                                                        cases[i].code, message, "rid-7", &content_type);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) out = NULL;

      pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, cases[i].status, content_type, body, NULL);
      out = pw_aws_client_call (f->client, cases[i].service, cases[i].op,
                                arg ("{\"Bucket\":\"b\",\"RoleName\":\"r\"}"), NULL, &error);
      g_assert_null (out);
      g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_SERVICE);
      g_assert_cmpstr (pw_aws_error_get_code (error), ==, cases[i].code);
      g_assert_cmpstr (pw_aws_error_get_service_message (error), ==, message);
      g_assert_cmpuint (pw_aws_error_get_http_status (error), ==, cases[i].status);
      if (cases[i].service != PW_AWS_SERVICE_PERSONALIZE && cases[i].service != PW_AWS_SERVICE_PERSONALIZE_RUNTIME &&
          cases[i].service != PW_AWS_SERVICE_PERSONALIZE_EVENTS)
        g_assert_cmpstr (pw_aws_error_get_request_id (error), ==, "rid-7");
    }
  assert_all_verified (f, G_N_ELEMENTS (cases));
}

static void
test_list_all (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) sent = NULL;

  /* Personalize: nextToken. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11,
                           "{\"datasets\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"nextToken\":\"t1\"}", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11,
                           "{\"datasets\":[],\"nextToken\":\"t2\"}", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11, "{\"datasets\":[{\"name\":\"c\"}]}", NULL);
  items = pw_aws_client_list_all (f->client, PW_AWS_SERVICE_PERSONALIZE, "ListDatasets",
                                  arg ("{\"datasetGroupArn\":\"" ARN_DG "\"}"), "datasets", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (items), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 2), "name"), ==, "c");
  sent = parse_object (request (f, 2)->body);
  g_assert_cmpstr (json_object_get_string_member (sent, "nextToken"), ==, "t2");
  g_assert_cmpstr (json_object_get_string_member (sent, "datasetGroupArn"), ==, ARN_DG);
  g_clear_pointer (&items, json_array_unref);

  /* S3: IsTruncated and NextContinuationToken. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "application/xml",
                           "<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>n/1=</NextContinuationToken>"
                           "<Contents><Key>a</Key></Contents><Contents><Key>b</Key></Contents></ListBucketResult>", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "application/xml",
                           "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>c</Key></Contents></ListBucketResult>", NULL);
  items = pw_aws_client_list_all (f->client, PW_AWS_SERVICE_S3, "ListObjectsV2", arg ("{\"Bucket\":\"b\"}"),
                                  "Contents", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (items), ==, 3);
  g_assert_cmpstr (request (f, 4)->query, ==, "list-type=2&continuation-token=n%2F1%3D");
  g_clear_pointer (&items, json_array_unref);

  /* IAM: Marker. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/xml",
                           "<ListAttachedRolePoliciesResponse><ListAttachedRolePoliciesResult><AttachedPolicies>"
                           "<member><PolicyName>p1</PolicyName></member></AttachedPolicies><IsTruncated>true</IsTruncated>"
                           "<Marker>m1</Marker></ListAttachedRolePoliciesResult></ListAttachedRolePoliciesResponse>", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/xml",
                           "<ListAttachedRolePoliciesResponse><ListAttachedRolePoliciesResult><AttachedPolicies>"
                           "<member><PolicyName>p2</PolicyName></member></AttachedPolicies><IsTruncated>false</IsTruncated>"
                           "</ListAttachedRolePoliciesResult></ListAttachedRolePoliciesResponse>", NULL);
  items = pw_aws_client_list_all (f->client, PW_AWS_SERVICE_IAM, "ListAttachedRolePolicies",
                                  arg ("{\"RoleName\":\"r\"}"), "AttachedPolicies", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  g_assert_cmpstr (request (f, 6)->body, ==, "Action=ListAttachedRolePolicies&Version=2010-05-08&RoleName=r&Marker=m1");
  g_clear_pointer (&items, json_array_unref);

  /* A service that repeats a page does not loop forever. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11, "{\"campaigns\":[],\"nextToken\":\"same\"}", NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, JSON11, "{\"campaigns\":[],\"nextToken\":\"same\"}", NULL);
  items = pw_aws_client_list_all (f->client, PW_AWS_SERVICE_PERSONALIZE, "ListCampaigns", NULL, "campaigns", NULL, &error);
  g_assert_null (items);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE);
  assert_all_verified (f, 9);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/aws/client/json-success", test_json_success);
  ADD ("/aws/client/rest-json-success", test_rest_json_success);
  ADD ("/aws/client/modelled-errors", test_modelled_errors);
  ADD ("/aws/client/throttling-then-success", test_throttling_then_success);
  ADD ("/aws/client/ambiguous-creates", test_ambiguous_creates);
  ADD ("/aws/client/timeouts", test_timeouts);
  ADD ("/aws/client/broken-answers", test_broken_answers);
  ADD ("/aws/client/redirects", test_redirects);
  ADD ("/aws/client/clock-skew", test_clock_skew);
  ADD ("/aws/client/s3-operations", test_s3_operations);
  ADD ("/aws/client/query-operations", test_query_operations);
  ADD ("/aws/client/cancel-and-misuse", test_cancel_and_misuse);
  ADD ("/aws/client/concurrent-async", test_concurrent_async);
  ADD ("/aws/client/error-bodies-round-trip", test_error_bodies_round_trip);
  ADD ("/aws/client/list-all", test_list_all);
  g_test_add_func ("/aws/client/every-operation-known", test_every_operation_known);
  g_test_add_func ("/aws/client/aws-endpoints", test_aws_endpoints);

  return g_test_run ();
}
