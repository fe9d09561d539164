/* test-aws-cli.c: `personalize-workshop-cli call` and `whoami` against the loopback server
 *
 * Runs the real program (PW_CLI) with G_MESSAGES_DEBUG=all and temporary
 * credentials, then searches everything it printed and every file in its
 * HOME and working folder for the secret key and the session token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include "pw-test-require.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pw-aws.h"
#include "pw-aws-test-server.h"

#define AKID "ASIACLITESTKEY000001"
#define SECRET "cli/Secret+Key/ShouldNeverBePrinted0001"
#define TOKEN "CliSessionToken//NeverPrinted+0001=="
#define KEYRING_AKID "ASIAKEYRINGCLI000001"
#define KEYRING_SECRET "keyring/Secret+Key/NeverPrinted000002"
#define KEYRING_TOKEN "KeyringSessionToken//NeverPrinted+0002=="

/* Standard input for the next run_cli(), if any. */
static const char *cli_stdin;

typedef struct
{
  PwAwsTestServer *server;
  char *dir;
  char *home;
  GString *all_output;   /* everything every run printed */
} Fixture;

typedef struct
{
  char *out;
  char *err;
  int status;
  gboolean done;
} Run;

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err, &error));
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  run->done = TRUE;
}

/* Runs the CLI with @args (NULL-terminated) while serving on this thread. */
static Run
run_cli (Fixture     *f,
         const char  *extra_env,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("PW_CLI");
  Run run = { NULL };
  va_list args;
  const char *arg;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  va_start (args, extra_env);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_cwd (launcher, f->dir);
  g_subprocess_launcher_setenv (launcher, "HOME", f->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_ACCESS_KEY_ID", AKID, TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_SECRET_ACCESS_KEY", SECRET, TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_SESSION_TOKEN", TOKEN, TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_REGION", "us-east-1", TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_MAX_ATTEMPTS", "2", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "AWS_PROFILE");
  g_subprocess_launcher_unsetenv (launcher, "AWS_ENDPOINT_URL");
  g_subprocess_launcher_unsetenv (launcher, "AWS_CONFIG_FILE");
  g_subprocess_launcher_unsetenv (launcher, "AWS_SHARED_CREDENTIALS_FILE");
  if (extra_env != NULL)
    {
      g_auto(GStrv) pairs = g_strsplit (extra_env, ";", -1);

      for (guint i = 0; pairs[i] != NULL; i++)
        {
          char *eq = strchr (pairs[i], '=');

          g_assert_nonnull (eq);
          *eq = '\0';
          if (eq[1] == '\0')
            g_subprocess_launcher_unsetenv (launcher, pairs[i]);
          else
            g_subprocess_launcher_setenv (launcher, pairs[i], eq + 1, TRUE);
        }
    }
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, cli_stdin != NULL ? cli_stdin : "", NULL, communicated_cb, &run);
  cli_stdin = NULL;
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);

  g_string_append (f->all_output, run.out);
  g_string_append (f->all_output, run.err);
  return run;
}

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_error ("not JSON (%s): %s", error->message, text);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = pw_aws_test_server_new ();
  pw_aws_test_server_add_key (f->server, AKID, SECRET, TOKEN);
  f->dir = g_dir_make_tmp ("pw-aws-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->home = g_build_filename (f->dir, "home", NULL);
  g_mkdir (f->home, 0700);
  f->all_output = g_string_new (NULL);
}

static gboolean
contains (const char *data,
          gsize       len,
          const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* No form of a secret anywhere: raw, percent-encoded, or base64. */
static void
assert_no_secret (const char *what,
                  const char *data,
                  gsize       len)
{
  const char *secrets[] = { SECRET, TOKEN, KEYRING_SECRET, KEYRING_TOKEN };

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_autofree char *encoded = pw_aws_uri_encode (secrets[i], -1, FALSE);
      g_autofree char *b64 = g_base64_encode ((const guchar *) secrets[i], strlen (secrets[i]));

      if (contains (data, len, secrets[i]) || contains (data, len, encoded) || contains (data, len, b64))
        g_error ("%s contains a secret", what);
    }
}

static void
assert_tree_has_no_secret (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_autofree char *data = NULL;
      gsize len;

      if (g_file_get_contents (path, &data, &len, NULL))
        assert_no_secret (path, data, len);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      assert_tree_has_no_secret (child);
    }
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        remove_tree (child);
      }
  g_remove (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* Every run: nothing printed and no file written holds a secret. */
  assert_no_secret ("the output", f->all_output->str, f->all_output->len);
  assert_tree_has_no_secret (f->dir);
  /* And the debug output was really on. */
  if (f->all_output->len > 0)
    g_assert_nonnull (strstr (f->all_output->str, "-DEBUG"));
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->home);
  g_string_free (f->all_output, TRUE);
  pw_aws_test_server_free (f->server);
}

static void
test_whoami (Fixture       *f,
             gconstpointer  data)
{
  const char *url = pw_aws_test_server_get_url (f->server);
  g_autoptr(JsonObject) out = NULL;
  Run run;

  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/xml",
                           "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                           "<Arn>arn:aws:sts::123456789012:assumed-role/Workshop/alice</Arn><UserId>AROA:alice</UserId>"
                           "<Account>123456789012</Account></GetCallerIdentityResult>"
                           "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>", NULL);
  run = run_cli (f, NULL, "whoami", "--endpoint-url", url, NULL);
  g_assert_cmpint (run.status, ==, 0);
  out = parse_object (run.out);
  g_assert_cmpstr (json_object_get_string_member (out, "Account"), ==, "123456789012");
  g_assert_cmpstr (json_object_get_string_member (out, "Arn"), ==, "arn:aws:sts::123456789012:assumed-role/Workshop/alice");
  g_assert_true (pw_aws_test_server_get_request (f->server, 0)->verified);
  g_assert_nonnull (strstr (run.err, "pw-aws-DEBUG"));
  run_clear (&run);

  /* The endpoint from the environment; a key the server does not know. */
  pw_aws_test_server_add_key (f->server, AKID, "another-secret", TOKEN);
  {
    g_autofree char *env = g_strdup_printf ("AWS_ENDPOINT_URL=%s", url);

    run = run_cli (f, env, "whoami", NULL);
  }
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation"));
  run_clear (&run);

  run = run_cli (f, NULL, "whoami", "extra", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
}

static void
test_call (Fixture       *f,
           gconstpointer  data)
{
  const char *url = pw_aws_test_server_get_url (f->server);
  g_autoptr(JsonObject) out = NULL;
  g_autofree char *upload = g_build_filename (f->dir, "interactions.csv", NULL);
  g_autofree char *download = g_build_filename (f->dir, "downloaded.csv", NULL);
  g_autofree char *input_file = g_build_filename (f->dir, "input.json", NULL);
  g_autofree char *file_arg = NULL;
  g_autofree char *body_json = NULL;
  g_autofree char *contents = NULL;
  PwAwsTestRequest *r;
  Run run;

  /* JSON 1.1 */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "application/x-amz-json-1.1",
                           "{\"datasetGroup\":{\"name\":\"dg\",\"status\":\"ACTIVE\"}}", NULL);
  run = run_cli (f, NULL, "call", "personalize", "DescribeDatasetGroup",
                 "{\"datasetGroupArn\":\"arn:aws:personalize:us-east-1:123456789012:dataset-group/dg\"}",
                 "--endpoint-url", url, NULL);
  g_assert_cmpint (run.status, ==, 0);
  out = parse_object (run.out);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (out, "datasetGroup"), "status"), ==, "ACTIVE");
  r = pw_aws_test_server_get_request (f->server, 0);
  g_assert_true (r->verified);
  g_assert_cmpstr (r->target, ==, "AmazonPersonalize.DescribeDatasetGroup");
  run_clear (&run);

  /* S3 ListObjectsV2: XML printed as JSON. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "application/xml",
                           "<ListBucketResult><Name>b</Name><Prefix>p/</Prefix><KeyCount>1</KeyCount>"
                           "<IsTruncated>false</IsTruncated><Contents><Key>p/a.csv</Key><Size>5</Size></Contents></ListBucketResult>", NULL);
  run = run_cli (f, NULL, "call", "s3", "ListObjectsV2", "{\"Bucket\": \"b\", \"Prefix\": \"p/\"}",
                 "--endpoint-url", url, "--region", "eu-west-1", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_clear_pointer (&out, json_object_unref);
  out = parse_object (run.out);
  g_assert_cmpint (json_object_get_int_member (out, "KeyCount"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (out, "Contents"), 0), "Key"), ==, "p/a.csv");
  r = pw_aws_test_server_get_request (f->server, 1);
  g_assert_true (r->verified);
  g_assert_cmpstr (r->path, ==, "/b");
  g_assert_cmpstr (r->query, ==, "list-type=2&prefix=p%2F");
  g_assert_cmpstr (r->scope_region, ==, "eu-west-1");
  run_clear (&run);

  /* IAM, the input from a file. */
  g_assert_true (g_file_set_contents (input_file, "{\"RoleName\": \"PersonalizeRole\"}", -1, NULL));
  file_arg = g_strconcat ("file://", input_file, NULL);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/xml",
                           "<GetRoleResponse><GetRoleResult><Role><RoleName>PersonalizeRole</RoleName>"
                           "<Arn>arn:aws:iam::123456789012:role/PersonalizeRole</Arn></Role></GetRoleResult></GetRoleResponse>", NULL);
  run = run_cli (f, NULL, "call", "iam", "GetRole", file_arg, "--endpoint-url", url, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "arn:aws:iam::123456789012:role/PersonalizeRole"));
  g_assert_cmpstr (pw_aws_test_server_get_request (f->server, 2)->body, ==,
                   "Action=GetRole&Version=2010-05-08&RoleName=PersonalizeRole");
  run_clear (&run);

  /* PutObject from a file, GetObject to a file. */
  g_assert_true (g_file_set_contents (upload, "USER_ID,ITEM_ID,TIMESTAMP\n1,2,3\n", -1, NULL));
  body_json = g_strdup_printf ("{\"Bucket\":\"b\",\"Key\":\"in/interactions.csv\",\"Body\":\"%s\"}", upload);
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, NULL, NULL, "ETag", "\"e\"", NULL);
  run = run_cli (f, NULL, "call", "s3", "PutObject", body_json, "--endpoint-url", url, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"ETag\""));
  r = pw_aws_test_server_get_request (f->server, 3);
  g_assert_true (r->verified);
  g_assert_cmpstr (r->body, ==, "USER_ID,ITEM_ID,TIMESTAMP\n1,2,3\n");
  run_clear (&run);

  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/csv", "a,b\n1,2\n", NULL);
  run = run_cli (f, NULL, "call", "s3", "GetObject", "{\"Bucket\":\"b\",\"Key\":\"out/x.csv\"}",
                 "--outfile", download, "--endpoint-url", url, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (download, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "a,b\n1,2\n");
  g_assert_nonnull (strstr (run.out, "\"ContentLength\" : 8"));
  run_clear (&run);

  /* An error: its code and message, exit 1. */
  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 400, "application/x-amz-json-1.1",
                           "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Could not find resource arn:x\"}",
                           "x-amzn-RequestId", "req-404", NULL);
  run = run_cli (f, NULL, "call", "personalize", "DescribeCampaign", "{\"campaignArn\":\"arn:x\"}",
                 "--endpoint-url", url, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "An error occurred (ResourceNotFoundException) when calling the DescribeCampaign "
                                     "operation: Could not find resource arn:x"));
  g_assert_nonnull (strstr (run.err, "req-404"));
  g_assert_cmpstr (run.out, ==, "");
  run_clear (&run);

  /* Usage errors: exit 2, no request. */
  run = run_cli (f, NULL, "call", "ec2", "DescribeInstances", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "ec2"));
  run_clear (&run);
  run = run_cli (f, NULL, "call", "personalize", "ListRecipes", "{not json", "--endpoint-url", url, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  run = run_cli (f, NULL, "call", "personalize", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  g_assert_cmpuint (pw_aws_test_server_get_n_requests (f->server), ==, 6);
}

static void
test_profile (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *aws = g_build_filename (f->home, ".aws", NULL);
  g_autofree char *config = g_build_filename (aws, "config", NULL);
  g_autofree char *credentials = g_build_filename (aws, "credentials", NULL);
  g_autofree char *config_text = g_strdup_printf ("[profile local]\nregion = ap-northeast-2\nendpoint_url = %s\n",
                                                  pw_aws_test_server_get_url (f->server));
  Run run;

  g_mkdir (aws, 0700);
  g_assert_true (g_file_set_contents (config, config_text, -1, NULL));
  g_assert_true (g_file_set_contents (credentials, "[local]\naws_access_key_id = AKIAPROFILEKEY000001\n"
                                      "aws_secret_access_key = " SECRET "\n", -1, NULL));
  pw_aws_test_server_add_key (f->server, "AKIAPROFILEKEY000001", SECRET, NULL);

  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "application/x-amz-json-1.1", "{\"recipes\":[]}", NULL);
  /* --profile wins over the environment's keys; AWS_REGION would win over the profile's region. */
  run = run_cli (f, "AWS_REGION=", "call", "personalize", "ListRecipes", "--profile", "local", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (pw_aws_test_server_get_request (f->server, 0)->access_key_id, ==, "AKIAPROFILEKEY000001");
  g_assert_cmpstr (pw_aws_test_server_get_request (f->server, 0)->scope_region, ==, "ap-northeast-2");
  run_clear (&run);

  run = run_cli (f, NULL, "call", "personalize", "ListRecipes", "--profile", "missing", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "missing"));
  run_clear (&run);

  /* The config file itself holds the secret, but nothing the CLI writes or prints may. */
  g_unlink (credentials);
}

/* Keys stored with `credentials store` on the real gnome-keyring, then used
 * by `whoami` (the session token from the keyring travels signed). */
static void
test_keyring_credentials (Fixture       *f,
                          gconstpointer  data)
{
  const char *url = pw_aws_test_server_get_url (f->server);
  const char *no_env_keys = "AWS_ACCESS_KEY_ID=;AWS_SECRET_ACCESS_KEY=;AWS_SESSION_TOKEN=";
  g_autoptr(JsonObject) out = NULL;
  PwAwsTestRequest *r;
  Run run;

  if (g_getenv ("SECRET_BACKEND") != NULL || !pw_test_secret_service_running ())
    {
      pw_test_skip_unless_required ("no Secret Service on the session bus (run build-aux/run-tests.sh)");
      return;
    }
  pw_aws_test_server_add_key (f->server, KEYRING_AKID, KEYRING_SECRET, KEYRING_TOKEN);

  cli_stdin = KEYRING_AKID "\n" KEYRING_SECRET "\n" KEYRING_TOKEN "\n";
  run = run_cli (f, no_env_keys, "credentials", "store", "--profile", "pw-cli-test", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, KEYRING_AKID));
  run_clear (&run);

  run = run_cli (f, no_env_keys, "credentials", "show", "--profile", "pw-cli-test", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "pw-cli-test " KEYRING_AKID " (keyring)\n");
  run_clear (&run);

  /* The environment's keys come first, as for the AWS CLI. */
  run = run_cli (f, NULL, "credentials", "show", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "default " AKID " (environment)\n");
  run_clear (&run);

  pw_aws_test_server_push (f->server, PW_AWS_TEST_NORMAL, 200, "text/xml",
                           "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::1:user/k</Arn>"
                           "<Account>111111111111</Account></GetCallerIdentityResult></GetCallerIdentityResponse>", NULL);
  run = run_cli (f, no_env_keys, "whoami", "--profile", "pw-cli-test", "--endpoint-url", url, NULL);
  g_assert_cmpint (run.status, ==, 0);
  out = parse_object (run.out);
  g_assert_cmpstr (json_object_get_string_member (out, "Account"), ==, "111111111111");
  r = pw_aws_test_server_get_request (f->server, 0);
  g_assert_true (r->verified);
  g_assert_cmpstr (r->access_key_id, ==, KEYRING_AKID);
  run_clear (&run);

  run = run_cli (f, no_env_keys, "credentials", "clear", "--profile", "pw-cli-test", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run = run_cli (f, no_env_keys, "credentials", "show", "--profile", "pw-cli-test", NULL);
  g_assert_cmpint (run.status, ==, 1);
  run_clear (&run);
  run = run_cli (f, no_env_keys, "whoami", "--profile", "pw-cli-test", "--endpoint-url", url, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "pw-cli-test"));
  run_clear (&run);

  /* Keys are read from standard input only. */
  cli_stdin = "";
  run = run_cli (f, no_env_keys, "credentials", "store", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/aws/cli/whoami", Fixture, NULL, fixture_setup, test_whoami, fixture_teardown);
  g_test_add ("/aws/cli/call", Fixture, NULL, fixture_setup, test_call, fixture_teardown);
  g_test_add ("/aws/cli/profile", Fixture, NULL, fixture_setup, test_profile, fixture_teardown);
  g_test_add ("/aws/cli/keyring-credentials", Fixture, NULL, fixture_setup, test_keyring_credentials, fixture_teardown);
  return g_test_run ();
}
