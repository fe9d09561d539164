/* test-workshop.c: the workflow layer (src/workshop/) against real loopback
 * servers: the scripted AWS test server for refused credentials and
 * throttling, personalize-local in-process on the AWS path (role, bucket
 * policy, a failed import with AWS's reason, cleanup, leftovers), and the
 * local back end for cancel, resume, training, campaigns and invalidation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pw-aws-test-server.h"
#include "pw-data.h"
#include "pw-local-server.h"
#include "pw-workshop.h"
#include "pw-workshop-test-utils.h"

#define AKID "AKIDWORKSHOPTEST"
#define SECRET "workshop-test-secret-never-in-files-0123"

static char *tmp_root;

/* ------------------------------------------------------------------ */

static PwWorkshop *
new_workshop (const char *name,
              const char *local_dir,
              guint       step_ms)
{
  g_autofree char *state = g_build_filename (tmp_root, name, "workshop.json", NULL);
  g_autoptr(GError) error = NULL;
  PwWorkshop *w;

  w = g_initable_new (PW_TYPE_WORKSHOP, NULL, &error, "state-file", state, "local-data-dir", local_dir,
                      "local-step-ms", step_ms, NULL);
  g_assert_no_error (error);
  return w;
}

static guint
count_kind (PwWorkshop     *w,
            PwResourceKind  kind,
            gboolean        live_only)
{
  GListModel *list = pw_workshop_get_resources (w);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (list, i);

      if (pw_workshop_resource_get_kind (r) == kind &&
          (!live_only || pw_resource_status_is_live (pw_workshop_resource_get_status (r))))
        n++;
    }
  return n;
}

static PwWorkshopResource *
first_of_kind (PwWorkshop     *w,
               PwResourceKind  kind)
{
  GListModel *list = pw_workshop_get_resources (w);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (list, i);

      if (pw_workshop_resource_get_kind (r) == kind)
        return r;
    }
  return NULL;
}

/* ------------------------------------------------------------------ */

static void
test_types (void)
{
  g_autofree char *dir = pw_test_workshop_make_dir (tmp_root, "types");
  g_autoptr(PwWorkshop) w = new_workshop ("types", dir, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwAwsConfig) config = pw_aws_config_new ();
  const char * const *regions;
  guint n;

  /* The published table covers every preselected recipe and every metric
   * the workshop shows, each a fraction; nothing for what was not
   * published. */
  {
    const PwRecipeInfo *recipes = pw_workshop_get_recipes (&n);
    const char * const *metrics = pw_workshop_get_metric_names (NULL);
    double value = -1;

    for (guint r = 0; r < n; r++)
      if (recipes[r].preselected)
        for (guint m = 0; metrics[m] != NULL; m++)
          {
            g_assert_true (pw_workshop_get_published_metric (recipes[r].name, metrics[m], &value));
            g_assert_cmpfloat (value, >, 0.0);
            g_assert_cmpfloat (value, <, 1.0);
          }
    value = -1;
    g_assert_false (pw_workshop_get_published_metric ("aws-sims", metrics[0], &value));
    g_assert_false (pw_workshop_get_published_metric ("aws-user-personalization", "no_such_metric", &value));
    g_assert_cmpfloat (value, ==, -1);
  }

  for (guint s = 0; s < PW_WORKSHOP_N_STEPS; s++)
    {
      PwWorkshopStep back;

      g_assert_true (pw_workshop_step_from_string (pw_workshop_step_to_string (s), &back));
      g_assert_cmpint (back, ==, s);
      g_assert_nonnull (pw_workshop_step_get_title (s));
    }
  g_assert_false (pw_workshop_step_from_string ("nonsense", &(PwWorkshopStep) { 0 }));

  /* The results steps are built, incomplete, and need the campaigns. */
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_LIVE_EVENTS), ==, PW_WORKSHOP_STEP_STATE_INCOMPLETE);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_BATCH), ==, PW_WORKSHOP_STEP_STATE_INCOMPLETE);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_ANALYSIS), ==, PW_WORKSHOP_STEP_STATE_INCOMPLETE);
  g_assert_false (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_LIVE_EVENTS, NULL, &error));
  g_assert_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY);
  g_clear_error (&error);

  /* Nothing is complete by being passed. */
  for (guint s = 0; s < PW_WORKSHOP_N_STEPS; s++)
    g_assert_cmpint (pw_workshop_get_step_state (w, s), !=, PW_WORKSHOP_STEP_STATE_COMPLETE);
  g_assert_false (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_DATASET_GROUP, NULL, &error));
  g_assert_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY);
  g_clear_error (&error);
  g_assert_false (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_DATA, NULL, &error));
  g_assert_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY);
  g_clear_error (&error);

  /* Only regions with Personalize. */
  regions = pw_workshop_get_regions (&n);
  g_assert_cmpuint (n, >=, 10);
  g_assert_null (regions[n]);
  g_assert_true (pw_workshop_region_is_valid ("ap-northeast-2"));
  g_assert_false (pw_workshop_region_is_valid ("af-south-1"));
  config->region = g_strdup ("af-south-1");
  g_assert_false (pw_workshop_set_backend (w, PW_WORKSHOP_BACKEND_AWS, config, &error));
  g_assert_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_REGION);
  g_assert_nonnull (strstr (error->message, "af-south-1"));
  g_clear_error (&error);
  g_assert_cmpint (pw_workshop_get_backend (w), ==, PW_WORKSHOP_BACKEND_LOCAL);

  /* Recipes: known names only; the four of the workshop by default. */
  g_assert_cmpuint (g_strv_length ((char **) pw_workshop_get_recipes_chosen (w)), ==, 4);
  g_assert_false (pw_workshop_set_recipes_chosen (w, (const char *[]) { "aws-nonsense", NULL }, &error));
  g_assert_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_INVALID_DATA);
  g_clear_error (&error);
}

/* A damaged state file is an error naming the file, and is left alone. */
static void
test_damaged_state (void)
{
  g_autofree char *dir = pw_test_workshop_make_dir (tmp_root, "damaged");
  g_autofree char *state = g_build_filename (dir, "workshop.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  PwWorkshop *w;

  g_assert_true (g_file_set_contents (state, "{\"version\": 1, \"suffix\": \"x\", \"resources\": [{\"kind\": 3}]}",
                                      -1, NULL));
  w = pw_workshop_new (state, &error);
  g_assert_null (w);
  g_assert_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_STATE_FILE);
  g_assert_nonnull (strstr (error->message, state));
  g_assert_true (g_file_get_contents (state, &after, NULL, NULL));
  g_assert_nonnull (strstr (after, "\"kind\": 3"));
}

/* ------------------------------------------------------------------ */

static PwAwsConfig *
test_server_config (PwAwsTestServer *server,
                    const char      *secret)
{
  PwAwsConfig *config = pw_aws_config_new ();
  g_autoptr(PwAwsCredentials) creds = pw_aws_credentials_new (AKID, secret, NULL, "test");

  config->region = g_strdup ("us-east-1");
  config->endpoint_url = g_strdup (pw_aws_test_server_get_url (server));
  pw_aws_config_set_credentials (config, creds);
  return config;
}

static const char *
sts_error (const char *code)
{
  static char buf[512];

  g_snprintf (buf, sizeof buf, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
              "<Type>Sender</Type><Code>%s</Code><Message>The %s message</Message></Error>"
              "<RequestId>q-req</RequestId></ErrorResponse>", code, code);
  return buf;
}

#define STS_OK "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>" \
  "<Arn>arn:aws:iam::123456789012:user/alice</Arn><UserId>AIDA</UserId><Account>123456789012</Account>" \
  "</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>"

static void
test_aws_credentials_refused (void)
{
  g_autoptr(PwAwsTestServer) server = pw_aws_test_server_new ();
  g_autofree char *dir = pw_test_workshop_make_dir (tmp_root, "refused");
  g_autoptr(PwWorkshop) w = new_workshop ("refused", dir, 0);
  g_autoptr(PwAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL, *arn = NULL;
  PwTestWait wt = { NULL };

  pw_aws_test_server_add_key (server, AKID, SECRET, NULL);
  config = test_server_config (server, SECRET);
  g_assert_true (pw_workshop_set_backend (w, PW_WORKSHOP_BACKEND_AWS, config, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pw_workshop_get_backend (w), ==, PW_WORKSHOP_BACKEND_AWS);

  pw_aws_test_server_push (server, PW_AWS_TEST_NORMAL, 403, "text/xml", sts_error ("InvalidClientTokenId"), NULL);
  g_assert_false (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_BACKEND, NULL, &error));
  g_assert_true (pw_aws_error_has_code (error, "InvalidClientTokenId"));
  g_assert_nonnull (strstr (error->message, "credentials were not accepted"));
  g_assert_null (strstr (error->message, SECRET));
  g_clear_error (&error);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_BACKEND), ==, PW_WORKSHOP_STEP_STATE_INCOMPLETE);
  g_assert_false (pw_workshop_get_busy (w));

  /* No network: said as such, not as refused credentials. */
  {
    g_autoptr(PwWorkshop) offline = new_workshop ("refused-offline", dir, 0);
    g_autoptr(PwAwsConfig) nowhere = test_server_config (server, SECRET);
    g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
    g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
    g_autoptr(GSocketAddress) bound = NULL;

    /* A port that nobody listens on: bound, never listening. */
    g_assert_true (g_socket_bind (sock, any, FALSE, NULL));
    bound = g_socket_get_local_address (sock, NULL);
    g_free (nowhere->endpoint_url);
    nowhere->endpoint_url = g_strdup_printf ("http://127.0.0.1:%u",
                                             g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
    g_assert_true (pw_workshop_set_backend (offline, PW_WORKSHOP_BACKEND_AWS, nowhere, &error));
    g_assert_false (pw_test_workshop_run_step (offline, PW_WORKSHOP_STEP_BACKEND, NULL, &error));
    g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_NETWORK);
    g_assert_nonnull (strstr (error->message, "network"));
    g_clear_error (&error);
  }

  /* Expired temporary credentials: the same, with AWS's own code. */
  pw_aws_test_server_push (server, PW_AWS_TEST_NORMAL, 403, "text/xml", sts_error ("ExpiredToken"), NULL);
  g_assert_false (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_BACKEND, NULL, &error));
  g_assert_true (pw_aws_error_has_code (error, "ExpiredToken"));
  g_clear_error (&error);

  /* Test connection: account and ARN, and the step is complete. */
  pw_aws_test_server_push (server, PW_AWS_TEST_NORMAL, 200, "text/xml", STS_OK, NULL);
  pw_workshop_test_connection_async (w, NULL, pw_test_wait_cb, &wt);
  g_assert_true (pw_workshop_test_connection_finish (w, pw_test_wait_result (&wt), &account, &arn, &error));
  g_assert_no_error (error);
  g_object_unref (wt.result);
  g_assert_cmpstr (account, ==, "123456789012");
  g_assert_cmpstr (arn, ==, "arn:aws:iam::123456789012:user/alice");
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_BACKEND), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);
  g_assert_true (pw_aws_test_server_get_request (server, 2)->verified);
  g_assert_cmpuint (count_kind (w, PW_RESOURCE_BUCKET, FALSE), ==, 0);
}

static void
test_aws_throttling (void)
{
  g_autoptr(PwAwsTestServer) server = pw_aws_test_server_new ();
  g_autofree char *dir = pw_test_workshop_make_dir (tmp_root, "throttle");
  g_autoptr(PwWorkshop) w = new_workshop ("throttle", dir, 0);
  g_autoptr(PwAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  pw_aws_test_server_add_key (server, AKID, SECRET, NULL);
  config = test_server_config (server, SECRET);
  g_assert_true (pw_workshop_set_backend (w, PW_WORKSHOP_BACKEND_AWS, config, &error));

  /* Throttled twice, then answered: the step succeeds. */
  pw_aws_test_server_push (server, PW_AWS_TEST_NORMAL, 400, "text/xml", sts_error ("Throttling"), NULL);
  pw_aws_test_server_push (server, PW_AWS_TEST_NORMAL, 400, "text/xml", sts_error ("Throttling"), NULL);
  pw_aws_test_server_push (server, PW_AWS_TEST_NORMAL, 200, "text/xml", STS_OK, NULL);
  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_BACKEND, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pw_aws_test_server_get_n_requests (server), ==, 3);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_BACKEND), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);

  /* Throttled beyond the client's attempts: a clear error with the code. */
  for (guint i = 0; i < 3; i++)
    pw_aws_test_server_push (server, PW_AWS_TEST_NORMAL, 400, "text/xml", sts_error ("Throttling"), NULL);
  g_assert_false (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_BACKEND, NULL, &error));
  g_assert_true (pw_aws_error_has_code (error, "Throttling"));
  g_assert_cmpuint (pw_aws_test_server_get_n_requests (server), ==, 6);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_BACKEND), ==, PW_WORKSHOP_STEP_STATE_INCOMPLETE);
}


/* A state that says everything up to training exists on AWS (as a resumed
 * workshop would find it), then the account's campaign quota is reached:
 * AWS's LimitExceededException, said plainly, and nothing lost. */
static void
test_aws_quota (void)
{
  g_autoptr(PwAwsTestServer) server = pw_aws_test_server_new ();
  g_autofree char *dir = pw_test_workshop_make_dir (tmp_root, "quota");
  g_autofree char *data_dir = pw_test_workshop_make_dir (tmp_root, "quota/data");
  g_autofree char *state_file = g_build_filename (dir, "workshop.json", NULL);
  g_autofree char *a = g_build_filename (data_dir, "training_interaction.csv", NULL);
  g_autofree char *b = g_build_filename (data_dir, "training_item.csv", NULL);
  g_autofree char *sha_a = NULL, *sha_b = NULL, *state = NULL, *after = NULL;
  g_autoptr(PwAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwWorkshop) w = NULL;
  PwWorkshopResource *campaign;
  const char *ca = "USER_ID,ITEM_ID,EVENT_VALUE,TIMESTAMP,EVENT_TYPE\n1,2,5,1000,RATING\n";
  const char *cb = "ITEM_ID,GENRE\n2,Drama\n";

#define RES(kind, name, arn, extra) \
  "{\"kind\":\"" kind "\",\"name\":\"" name "\"," arn "\"region\":\"us-east-1\",\"backend\":\"aws\"," \
  "\"created\":\"2026-01-01T00:00:00Z\",\"status\":\"active\"" extra "}"
#define P "arn:aws:personalize:us-east-1:1:"
#define UP "arn:aws:personalize:::recipe/aws-user-personalization"
#define SIMS "arn:aws:personalize:::recipe/aws-similar-items"
#define ROLE "arn:aws:iam::1:role/r"
#define M "{\"coverage\":0.1,\"precision_at_5\":0.2}"

  g_assert_true (g_file_set_contents (a, ca, -1, NULL));
  g_assert_true (g_file_set_contents (b, cb, -1, NULL));
  sha_a = g_compute_checksum_for_string (G_CHECKSUM_SHA256, ca, -1);
  sha_b = g_compute_checksum_for_string (G_CHECKSUM_SHA256, cb, -1);
  state = g_strdup_printf (
    "{\"version\":1,\"suffix\":\"s1\",\"backend\":\"aws\",\"region\":\"us-east-1\","
    "\"data\":{\"output_dir\":\"%s\",\"interactions_sha256\":\"%s\",\"items_sha256\":\"%s\"},"
    "\"recipes\":[\"aws-user-personalization\",\"aws-similar-items\"],\"exploration_weight\":0.3,"
    "\"metrics\":{\"aws-user-personalization\":{\"version_arn\":\"" P "sv/1\",\"values\":" M "},"
    "\"aws-similar-items\":{\"version_arn\":\"" P "sv/2\",\"values\":" M "}},"
    "\"metric_order\":[\"aws-user-personalization\",\"aws-similar-items\"],\"resources\":["
    RES ("bucket", "pw-workshop-s1", "", "") ","
    RES ("bucket-policy", "p", "", ",\"parent_arn\":\"pw-workshop-s1\"") ","
    RES ("object", "training_interaction.csv", "", ",\"parent_arn\":\"pw-workshop-s1\",\"detail\":\"INTERACTIONS\"") ","
    RES ("object", "training_item.csv", "", ",\"parent_arn\":\"pw-workshop-s1\",\"detail\":\"ITEMS\"") ","
    RES ("role", "r", "\"arn\":\"" ROLE "\",", "") ","
    RES ("role-policy-attachment", "r1", "", ",\"parent_arn\":\"" ROLE "\",\"detail\":\"p1\"") ","
    RES ("role-policy-attachment", "r2", "", ",\"parent_arn\":\"" ROLE "\",\"detail\":\"p2\"") ","
    RES ("dataset-group", "pw-workshop-dsg-s1", "\"arn\":\"" P "dg\",", "") ","
    RES ("schema", "si", "\"arn\":\"" P "s/1\",", ",\"detail\":\"INTERACTIONS\"") ","
    RES ("schema", "st", "\"arn\":\"" P "s/2\",", ",\"detail\":\"ITEMS\"") ","
    RES ("dataset", "di", "\"arn\":\"" P "d/1\",", ",\"detail\":\"INTERACTIONS\",\"parent_arn\":\"" P "dg\"") ","
    RES ("dataset", "dt", "\"arn\":\"" P "d/2\",", ",\"detail\":\"ITEMS\",\"parent_arn\":\"" P "dg\"") ","
    RES ("import-job", "ji", "\"arn\":\"" P "j/1\",", ",\"detail\":\"INTERACTIONS\",\"parent_arn\":\"" P "d/1\"") ","
    RES ("import-job", "jt", "\"arn\":\"" P "j/2\",", ",\"detail\":\"ITEMS\",\"parent_arn\":\"" P "d/2\"") ","
    RES ("solution", "su", "\"arn\":\"" P "sol/1\",", ",\"recipe\":\"" UP "\",\"parent_arn\":\"" P "dg\"") ","
    RES ("solution", "ss", "\"arn\":\"" P "sol/2\",", ",\"recipe\":\"" SIMS "\",\"parent_arn\":\"" P "dg\"") ","
    RES ("solution-version", "vu", "\"arn\":\"" P "sv/1\",", ",\"recipe\":\"" UP "\",\"parent_arn\":\"" P "sol/1\"") ","
    RES ("solution-version", "vs", "\"arn\":\"" P "sv/2\",", ",\"recipe\":\"" SIMS "\",\"parent_arn\":\"" P "sol/2\"")
    "]}", data_dir, sha_a, sha_b);
  g_assert_true (g_file_set_contents (state_file, state, -1, NULL));

  w = pw_workshop_new (state_file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_DATA), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_DATASET_GROUP), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_TRAINING), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_CAMPAIGNS), ==, PW_WORKSHOP_STEP_STATE_INCOMPLETE);

  pw_aws_test_server_add_key (server, AKID, SECRET, NULL);
  config = test_server_config (server, SECRET);
  g_assert_true (pw_workshop_set_backend (w, PW_WORKSHOP_BACKEND_AWS, config, &error));
  g_assert_no_error (error);
  /* The same back end and region: what exists still counts. */
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_TRAINING), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);
  pw_aws_test_server_push (server, PW_AWS_TEST_NORMAL, 200, "text/xml", STS_OK, NULL);
  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_BACKEND, NULL, &error));

  pw_aws_test_server_push (server, PW_AWS_TEST_NORMAL, 200, "application/x-amz-json-1.1", "{\"campaigns\":[]}", NULL);
  pw_aws_test_server_push (server, PW_AWS_TEST_NORMAL, 400, "application/x-amz-json-1.1",
                           "{\"__type\":\"LimitExceededException\",\"message\":\"You have exceeded the limit of 5 campaigns\"}",
                           NULL);
  g_assert_false (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_CAMPAIGNS, NULL, &error));
  g_assert_true (pw_aws_error_has_code (error, "LimitExceededException"));
  g_assert_nonnull (strstr (error->message, "quota"));
  g_assert_nonnull (strstr (error->message, "pw-workshop-user-personalization-campaign-s1"));
  g_clear_error (&error);
  g_assert_cmpstr (pw_aws_test_server_get_request (server, 2)->target, ==, "AmazonPersonalize.CreateCampaign");
  g_assert_nonnull (strstr (pw_aws_test_server_get_request (server, 2)->body, "\"minProvisionedTPS\":1"));
  g_assert_nonnull (strstr (pw_aws_test_server_get_request (server, 2)->body, "explorationWeight"));
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_CAMPAIGNS), ==, PW_WORKSHOP_STEP_STATE_INCOMPLETE);
  g_assert_false (pw_workshop_get_busy (w));

  /* The name was recorded before the call and stays for a later retry or cleanup. */
  campaign = first_of_kind (w, PW_RESOURCE_CAMPAIGN);
  g_assert_nonnull (campaign);
  g_assert_cmpint (pw_workshop_resource_get_status (campaign), ==, PW_RESOURCE_STATUS_PLANNED);
  g_assert_null (pw_workshop_resource_get_arn (campaign));
  g_assert_true (g_file_get_contents (state_file, &after, NULL, NULL));
  g_assert_nonnull (strstr (after, "pw-workshop-user-personalization-campaign-s1"));
  g_assert_null (strstr (after, SECRET));
}

/* ------------------------------------------------------------------ */

static JsonObject *
load_state_json (PwWorkshop *w,
                 char      **out_text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (pw_workshop_get_state_file (w), out_text, NULL, &error));
  g_assert_true (json_parser_load_from_data (parser, *out_text, -1, &error));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The AWS path (role, bucket policy, roleArn) against personalize-local,
 * a server that answers as AWS does; a bad file makes the import fail. */
static void
test_aws_path_failed_import (void)
{
  g_autofree char *server_dir = pw_test_workshop_make_dir (tmp_root, "aws-local/server");
  g_autofree char *data_dir = pw_test_workshop_make_dir (tmp_root, "aws-local/data");
  g_autofree char *bad = g_build_filename (data_dir, "training_interaction.csv", NULL);
  g_autoptr(PwLocalServer) server = NULL;
  g_autoptr(PwWorkshop) w = new_workshop ("aws-local", NULL, 0);
  g_autoptr(PwAwsConfig) wrong = NULL, config = NULL;
  g_autoptr(PwPrepareResult) prepared = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GListModel) leftovers = NULL;
  PwWorkshopResource *job = NULL;
  PwLocalServerOptions options = { 0 };
  GListModel *list;
  JsonArray *resources;
  gboolean found = FALSE;
  PwTestWait wt = { NULL };

  options.data_dir = server_dir;
  options.step_ms = 20;
  server = pw_local_server_new (&options);
  g_assert_true (pw_local_server_start (server, &error));
  g_assert_no_error (error);

  /* Wrong secret: refused by the server, said plainly. */
  wrong = pw_test_local_config (server, "not-the-right-secret-at-all-000000000000");
  g_assert_true (pw_workshop_set_backend (w, PW_WORKSHOP_BACKEND_AWS, wrong, &error));
  g_assert_false (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_BACKEND, NULL, &error));
  g_assert_true (pw_aws_error_has_code (error, "UnrecognizedClientException") ||
                 pw_aws_error_has_code (error, "InvalidClientTokenId") ||
                 pw_aws_error_has_code (error, "SignatureDoesNotMatch"));
  g_assert_nonnull (strstr (error->message, "not accepted"));
  g_clear_error (&error);

  config = pw_test_local_config (server, NULL);
  g_assert_true (pw_workshop_set_backend (w, PW_WORKSHOP_BACKEND_AWS, config, &error));
  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_BACKEND, NULL, &error));
  g_assert_no_error (error);

  /* Good items, interactions without the TIMESTAMP column. */
  prepared = pw_test_prepare_synthetic (data_dir, 42, 200, 150, 12000);
  g_assert_true (g_file_set_contents (bad, "USER_ID,ITEM_ID,EVENT_VALUE,EVENT_TYPE\n1,2,5,RATING\n", -1, NULL));
  g_assert_true (pw_workshop_set_prepared (w, prepared, data_dir, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_DATA), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);

  g_assert_false (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_DATASET_GROUP, NULL, &error));
  g_assert_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_RESOURCE_FAILED);
  g_assert_nonnull (strstr (error->message, "TIMESTAMP"));
  g_clear_error (&error);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_DATASET_GROUP), ==,
                   PW_WORKSHOP_STEP_STATE_INCOMPLETE);

  /* AWS only: the role with its two policies, and the bucket policy. */
  g_assert_cmpuint (count_kind (w, PW_RESOURCE_ROLE, TRUE), ==, 1);
  g_assert_cmpuint (count_kind (w, PW_RESOURCE_ROLE_POLICY_ATTACHMENT, TRUE), ==, 2);
  g_assert_cmpuint (count_kind (w, PW_RESOURCE_BUCKET_POLICY, TRUE), ==, 1);
  g_assert_true (g_str_has_prefix (pw_workshop_resource_get_arn (first_of_kind (w, PW_RESOURCE_ROLE)), "arn:aws:iam::"));

  list = pw_workshop_get_resources (w);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (list, i);

      if (pw_workshop_resource_get_kind (r) == PW_RESOURCE_IMPORT_JOB &&
          g_strcmp0 (pw_workshop_resource_get_detail (r), "INTERACTIONS") == 0)
        job = r;
    }
  g_assert_nonnull (job);
  g_assert_cmpint (pw_workshop_resource_get_status (job), ==, PW_RESOURCE_STATUS_FAILED);
  g_assert_nonnull (strstr (pw_workshop_resource_get_failure_reason (job), "TIMESTAMP"));

  /* The state file says the same, and holds no secret. */
  state = load_state_json (w, &text);
  g_assert_null (strstr (text, config->credentials->secret_access_key));
  g_assert_null (strstr (text, "secret"));
  resources = json_object_get_array_member (state, "resources");
  for (guint i = 0; i < json_array_get_length (resources); i++)
    {
      JsonObject *r = json_array_get_object_element (resources, i);

      if (g_strcmp0 (json_object_get_string_member (r, "kind"), "import-job") == 0 &&
          g_strcmp0 (json_object_get_string_member (r, "status"), "failed") == 0)
        found = strstr (json_object_get_string_member (r, "failure_reason"), "TIMESTAMP") != NULL;
    }
  g_assert_true (found);

  /* Cleanup deletes everything, the role and the failed job's dataset too. */
  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_CLEANUP, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pw_workshop_count_live (w), ==, 0);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_CLEANUP), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);
  {
    g_autoptr(JsonObject) input = json_object_new ();
    g_autoptr(JsonObject) out = NULL;

    json_object_set_string_member (input, "RoleName", pw_workshop_resource_get_name (first_of_kind (w, PW_RESOURCE_ROLE)));
    out = pw_aws_client_call (pw_workshop_get_client (w), PW_AWS_SERVICE_IAM, "GetRole", input, NULL, &error);
    g_assert_null (out);
    g_assert_true (pw_aws_error_has_code (error, "NoSuchEntity"));
    g_clear_error (&error);
  }
  pw_workshop_find_leftovers_async (w, NULL, pw_test_wait_cb, &wt);
  leftovers = pw_workshop_find_leftovers_finish (w, pw_test_wait_result (&wt), &error);
  g_assert_no_error (error);
  g_object_unref (wt.result);
  g_assert_cmpuint (g_list_model_get_n_items (leftovers), ==, 0);

  pw_workshop_shutdown (w);
  pw_local_server_stop (server);
}

/* ------------------------------------------------------------------ */

typedef struct
{
  GCancellable *cancellable;
  gboolean      fired;
} CancelOnImport;

static void
resource_status_cb (PwWorkshopResource *r,
                    GParamSpec         *pspec,
                    CancelOnImport     *c)
{
  if (!c->fired && pw_workshop_resource_get_kind (r) == PW_RESOURCE_IMPORT_JOB &&
      pw_workshop_resource_get_status (r) == PW_RESOURCE_STATUS_CREATING)
    {
      c->fired = TRUE;
      g_cancellable_cancel (c->cancellable);
    }
}

static void
resource_added_cb (PwWorkshop         *w,
                   PwWorkshopResource *r,
                   CancelOnImport     *c)
{
  g_signal_connect (r, "notify::status", G_CALLBACK (resource_status_cb), c);
}

static void
assert_metric_sane (PwWorkshop *w,
                    const char *recipe)
{
  const char * const *names = pw_workshop_get_metric_names (NULL);

  for (guint i = 0; names[i] != NULL; i++)
    {
      double v = -1;

      g_assert_true (pw_workshop_get_metric (w, recipe, names[i], &v));
      g_assert_cmpfloat (v, >=, 0);
      g_assert_cmpfloat (v, <=, 1);
    }
}

/* Local back end: cancel during the import wait, resume in a new
 * workshop, train, deploy, recommend, invalidate, clean up. */
static void
test_local_cancel_resume (void)
{
  g_autofree char *local_dir = pw_test_workshop_make_dir (tmp_root, "resume/local");
  g_autofree char *data_dir = pw_test_workshop_make_dir (tmp_root, "resume/data");
  g_autoptr(PwPrepareResult) prepared = pw_test_prepare_synthetic (data_dir, 42, 200, 150, 12000);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) job_arns = g_ptr_array_new_with_free_func (g_free);
  CancelOnImport c = { cancellable, FALSE };
  PwWorkshop *w;
  GListModel *list;
  const char *chosen[] = { "aws-user-personalization", "aws-similar-items", "aws-popularity-count", NULL };
  g_auto(GStrv) trained = NULL;
  char **items;
  PwTestWait wt = { NULL };

  w = new_workshop ("resume", local_dir, 300);
  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_BACKEND, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (pw_workshop_get_local_url (w));
  g_assert_true (pw_workshop_set_prepared (w, prepared, data_dir, &error));
  g_signal_connect (w, "resource-added", G_CALLBACK (resource_added_cb), &c);
  g_assert_false (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_DATASET_GROUP, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (c.fired);
  g_assert_false (pw_workshop_get_busy (w));
  g_assert_cmpuint (count_kind (w, PW_RESOURCE_DATASET_GROUP, TRUE), ==, 1);
  g_assert_cmpuint (count_kind (w, PW_RESOURCE_IMPORT_JOB, TRUE), >=, 1);
  list = pw_workshop_get_resources (w);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(PwWorkshopResource) r = g_list_model_get_item (list, i);

      if (pw_workshop_resource_get_kind (r) == PW_RESOURCE_IMPORT_JOB)
        g_ptr_array_add (job_arns, g_strdup (pw_workshop_resource_get_arn (r)));
    }
  g_assert_finalize_object (w);

  /* A new workshop on the same state file goes on. */
  w = new_workshop ("resume", local_dir, 30);
  g_assert_cmpuint (count_kind (w, PW_RESOURCE_DATASET_GROUP, TRUE), ==, 1);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_DATA), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);
  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_BACKEND, NULL, &error));
  g_assert_true (pw_workshop_set_prepared (w, prepared, data_dir, &error));
  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_DATASET_GROUP, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_DATASET_GROUP), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);
  /* Waited for, not made again. */
  g_assert_cmpuint (count_kind (w, PW_RESOURCE_IMPORT_JOB, FALSE), ==, 2);
  g_assert_cmpuint (count_kind (w, PW_RESOURCE_DATASET, FALSE), ==, 2);
  g_assert_cmpuint (count_kind (w, PW_RESOURCE_SCHEMA, FALSE), ==, 2);
  g_assert_cmpuint (count_kind (w, PW_RESOURCE_BUCKET, FALSE), ==, 1);
  g_assert_cmpuint (count_kind (w, PW_RESOURCE_ROLE, FALSE), ==, 0);
  list = pw_workshop_get_resources (w);
  for (guint k = 0; k < job_arns->len; k++)
    {
      const char *before = g_ptr_array_index (job_arns, k);

      if (before != NULL)
        g_assert_nonnull (pw_workshop_find_resource (w, before));
    }

  /* Running a complete step again finds everything and adds nothing. */
  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_DATASET_GROUP, NULL, &error));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 10);

  g_assert_true (pw_workshop_set_recipes_chosen (w, chosen, &error));
  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_TRAINING, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_TRAINING), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);
  trained = pw_workshop_dup_trained_recipes (w);
  g_assert_cmpuint (g_strv_length (trained), ==, 3);
  for (guint i = 0; chosen[i] != NULL; i++)
    assert_metric_sane (w, chosen[i]);
  g_assert_cmpuint (count_kind (w, PW_RESOURCE_SOLUTION_VERSION, FALSE), ==, 3);

  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_CAMPAIGNS, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_kind (w, PW_RESOURCE_CAMPAIGN, TRUE), ==, 2);
  pw_workshop_recommend_async (w, "1", 10, NULL, pw_test_wait_cb, &wt);
  items = pw_workshop_recommend_finish (w, pw_test_wait_result (&wt), NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&wt.result);
  g_assert_cmpuint (g_strv_length (items), ==, 10);
  g_strfreev (items);
  pw_workshop_similar_items_async (w, "1", 5, NULL, pw_test_wait_cb, &wt);
  items = pw_workshop_similar_items_finish (w, pw_test_wait_result (&wt), NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&wt.result);
  g_assert_cmpuint (g_strv_length (items), ==, 5);
  g_assert_false (g_strv_contains ((const char * const *) items, "1"));
  g_strfreev (items);

  /* An earlier step changed: the later ones are incomplete until run. */
  pw_workshop_invalidate_from (w, PW_WORKSHOP_STEP_TRAINING);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_DATASET_GROUP), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_TRAINING), ==, PW_WORKSHOP_STEP_STATE_INCOMPLETE);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_CAMPAIGNS), ==, PW_WORKSHOP_STEP_STATE_INCOMPLETE);
  g_assert_false (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_CAMPAIGNS, NULL, &error));
  g_assert_error (error, PW_WORKSHOP_ERROR, PW_WORKSHOP_ERROR_NOT_READY);
  g_clear_error (&error);

  /* The data changed: everything after it is outdated; the same files
   * again bring the dataset group back, the training stays outdated. */
  pw_workshop_invalidate_from (w, PW_WORKSHOP_STEP_DATA);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_DATA), ==, PW_WORKSHOP_STEP_STATE_INCOMPLETE);
  g_assert_null (pw_workshop_get_prepared (w));
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_DATASET_GROUP), ==, PW_WORKSHOP_STEP_STATE_INCOMPLETE);
  g_assert_true (pw_workshop_set_prepared (w, prepared, data_dir, &error));
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_DATA), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);

  g_assert_true (pw_test_workshop_run_step (w, PW_WORKSHOP_STEP_CLEANUP, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pw_workshop_count_live (w), ==, 0);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_DATASET_GROUP), ==, PW_WORKSHOP_STEP_STATE_INCOMPLETE);
  g_assert_cmpint (pw_workshop_get_step_state (w, PW_WORKSHOP_STEP_CLEANUP), ==, PW_WORKSHOP_STEP_STATE_COMPLETE);

  /* The back end cannot change while something is live; now it can. */
  {
    g_autoptr(PwAwsConfig) config = pw_aws_config_new ();

    config->region = g_strdup ("eu-west-1");
    g_assert_true (pw_workshop_set_backend (w, PW_WORKSHOP_BACKEND_AWS, config, &error));
    g_assert_no_error (error);
  }
  g_assert_finalize_object (w);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tmp_root = pw_test_workshop_env_init ("test-workshop-XXXXXX");

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/workshop/types", test_types);
  g_test_add_func ("/workshop/damaged-state", test_damaged_state);
  g_test_add_func ("/workshop/aws/credentials-refused", test_aws_credentials_refused);
  g_test_add_func ("/workshop/aws/throttling", test_aws_throttling);
  g_test_add_func ("/workshop/aws/quota", test_aws_quota);
  g_test_add_func ("/workshop/aws/local-server-failed-import", test_aws_path_failed_import);
  g_test_add_func ("/workshop/local/cancel-resume", test_local_cancel_resume);
  status = g_test_run ();

  pw_test_workshop_env_done (tmp_root, status);
  return status;
}
