/* test-aws-config.c: settings and credentials resolved as the AWS CLI does, and the keyring
 *
 * Temporary config and credentials files, environment variables set per
 * test; the keyring through libsecret's file backend (SECRET_BACKEND=file).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "pw-config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pw-aws.h"

static char *tmp_dir;

static const char * const env_vars[] = {
  "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION",
  "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_PERSONALIZE",
  "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_MAX_ATTEMPTS",
};

static void
clean_env (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (env_vars); i++)
    g_unsetenv (env_vars[i]);
}

static char *
write_file (const char *name,
            const char *text)
{
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
use_files (const char *config,
           const char *credentials)
{
  g_autofree char *c = write_file ("config", config != NULL ? config : "");
  g_autofree char *k = write_file ("credentials", credentials != NULL ? credentials : "");

  clean_env ();
  g_setenv ("AWS_CONFIG_FILE", c, TRUE);
  g_setenv ("AWS_SHARED_CREDENTIALS_FILE", k, TRUE);
}

static void
test_default_files_in_home (void)
{
  g_autofree char *aws = g_build_filename (g_get_home_dir (), ".aws", NULL);
  g_autofree char *c = g_build_filename (aws, "config", NULL);
  g_autofree char *k = g_build_filename (aws, "credentials", NULL);
  g_autoptr(PwAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  clean_env ();
  g_assert_true (g_str_has_prefix (g_get_home_dir (), tmp_dir));
  g_assert_cmpint (g_mkdir_with_parents (aws, 0700), ==, 0);
  g_assert_true (g_file_set_contents (c, "[default]\nregion = ap-northeast-2\n", -1, NULL));
  g_assert_true (g_file_set_contents (k, "[default]\naws_access_key_id = AKIAHOME\naws_secret_access_key = home/secret\n", -1, NULL));

  config = pw_aws_config_resolve (NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->profile, ==, "default");
  g_assert_false (config->profile_explicit);
  g_assert_cmpstr (config->region, ==, "ap-northeast-2");
  g_assert_cmpstr (config->credentials->access_key_id, ==, "AKIAHOME");
  g_assert_cmpstr (config->credentials->secret_access_key, ==, "home/secret");
  g_assert_null (config->credentials->session_token);
  g_assert_cmpstr (config->credentials->source, ==, "shared-credentials-file");
  g_assert_null (config->endpoint_url);
  g_assert_cmpuint (config->max_attempts, ==, 3);
  g_unlink (c);
  g_unlink (k);
}

static void
test_environment_credentials (void)
{
  g_autoptr(PwAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  use_files ("[profile dev]\nregion = eu-west-1\n",
             "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = file-secret\n"
             "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = dev-secret\n");
  g_setenv ("AWS_ACCESS_KEY_ID", "AKIAENV", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "env-secret", TRUE);
  g_setenv ("AWS_SESSION_TOKEN", "env-token", TRUE);

  /* The environment wins over the files... */
  config = pw_aws_config_resolve (NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->credentials->access_key_id, ==, "AKIAENV");
  g_assert_cmpstr (config->credentials->session_token, ==, "env-token");
  g_assert_cmpstr (config->credentials->source, ==, "environment");
  g_clear_pointer (&config, pw_aws_config_free);

  /* ...and over AWS_PROFILE (botocore's order)... */
  g_setenv ("AWS_PROFILE", "dev", TRUE);
  config = pw_aws_config_resolve (NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->profile, ==, "dev");
  g_assert_true (config->profile_explicit);
  g_assert_cmpstr (config->credentials->access_key_id, ==, "AKIAENV");
  g_assert_cmpstr (config->region, ==, "eu-west-1");
  g_clear_pointer (&config, pw_aws_config_free);

  /* ...but not over --profile. */
  config = pw_aws_config_resolve ("dev", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->credentials->access_key_id, ==, "AKIADEV");
  g_assert_null (config->credentials->session_token);
  g_clear_pointer (&config, pw_aws_config_free);

  /* Half a key pair in the environment. */
  g_unsetenv ("AWS_SECRET_ACCESS_KEY");
  config = pw_aws_config_resolve (NULL, NULL, NULL, &error);
  g_assert_null (config);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "AWS_SECRET_ACCESS_KEY"));
}

static void
test_profiles (void)
{
  g_autoptr(PwAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  use_files ("# comment\n; another\n[default]\nregion=us-west-2\n\n"
             "[profile work]\nregion : eu-central-1\naws_access_key_id = AKIACONFIG\n"
             "aws_secret_access_key = config-secret\naws_session_token = config-token\n"
             "s3 =\n  addressing_style = path\n  max_concurrent_requests = 2\n"
             "endpoint_url = http://127.0.0.1:4566\nmax_attempts = 5\n"
             "[profile both]\nregion = sa-east-1\naws_access_key_id = AKIACONF2\naws_secret_access_key = c2\n"
             "[sso-session x]\nsso_region = us-east-1\n"
             "[notaprofile]\nregion = xx\n",
             "[both]\naws_access_key_id = AKIACREDS\naws_secret_access_key = creds-secret\n"
             "[only-creds]\naws_access_key_id = AKIAONLY\naws_secret_access_key = only\nregion = us-east-2\n");

  /* Keys in the config file, with a token; nested settings skipped over. */
  config = pw_aws_config_resolve ("work", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->region, ==, "eu-central-1");
  g_assert_cmpstr (config->credentials->access_key_id, ==, "AKIACONFIG");
  g_assert_cmpstr (config->credentials->session_token, ==, "config-token");
  g_assert_cmpstr (config->credentials->source, ==, "config-file");
  g_assert_cmpstr (config->endpoint_url, ==, "http://127.0.0.1:4566");
  g_assert_cmpuint (config->max_attempts, ==, 5);
  g_clear_pointer (&config, pw_aws_config_free);

  /* The credentials file wins over the config file. */
  config = pw_aws_config_resolve ("both", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->credentials->access_key_id, ==, "AKIACREDS");
  g_assert_cmpstr (config->region, ==, "sa-east-1");
  g_clear_pointer (&config, pw_aws_config_free);

  config = pw_aws_config_resolve ("only-creds", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->credentials->access_key_id, ==, "AKIAONLY");
  g_assert_cmpstr (config->region, ==, "us-east-2");
  g_clear_pointer (&config, pw_aws_config_free);

  /* The default profile has no keys: not an error, no credentials. */
  config = pw_aws_config_resolve (NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (config->credentials);
  g_assert_cmpstr (config->region, ==, "us-west-2");
  g_clear_pointer (&config, pw_aws_config_free);

  /* A profile that does not exist ("[notaprofile]" in config is not one). */
  config = pw_aws_config_resolve ("notaprofile", NULL, NULL, &error);
  g_assert_null (config);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "notaprofile"));
  g_clear_error (&error);
  g_setenv ("AWS_PROFILE", "nope", TRUE);
  config = pw_aws_config_resolve (NULL, NULL, NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG);
  g_clear_error (&error);
  g_unsetenv ("AWS_PROFILE");

  /* The application's own profiles may live only in the keyring. */
  config = pw_aws_config_resolve_full ("keyring-only", NULL, NULL, PW_AWS_CONFIG_ALLOW_UNKNOWN_PROFILE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->profile, ==, "keyring-only");
  g_assert_false (config->profile_in_files);
  g_assert_null (config->credentials);
  g_assert_cmpstr (config->region, ==, NULL);
  g_clear_pointer (&config, pw_aws_config_free);
  config = pw_aws_config_resolve ("work", NULL, NULL, &error);
  g_assert_true (config->profile_in_files);
  g_clear_pointer (&config, pw_aws_config_free);

  names = pw_aws_config_list_profiles (&error);
  g_assert_no_error (error);
  {
    g_autofree char *joined = g_strjoinv (",", names);
    g_assert_cmpstr (joined, ==, "both,default,only-creds,work");
  }
}

static void
test_region_and_endpoint_precedence (void)
{
  g_autoptr(PwAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  use_files ("[default]\nregion = eu-north-1\nendpoint_url = http://profile.invalid:1\n", NULL);

  config = pw_aws_config_resolve (NULL, NULL, NULL, &error);
  g_assert_cmpstr (config->region, ==, "eu-north-1");
  g_assert_cmpstr (pw_aws_config_get_endpoint_url (config, PW_AWS_SERVICE_S3), ==, "http://profile.invalid:1");
  g_clear_pointer (&config, pw_aws_config_free);

  g_setenv ("AWS_DEFAULT_REGION", "us-west-1", TRUE);
  g_setenv ("AWS_ENDPOINT_URL", "http://127.0.0.1:1000", TRUE);
  g_setenv ("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:2000", TRUE);
  config = pw_aws_config_resolve (NULL, NULL, NULL, &error);
  g_assert_cmpstr (config->region, ==, "us-west-1");
  g_assert_cmpstr (pw_aws_config_get_endpoint_url (config, PW_AWS_SERVICE_S3), ==, "http://127.0.0.1:2000");
  g_assert_cmpstr (pw_aws_config_get_endpoint_url (config, PW_AWS_SERVICE_PERSONALIZE), ==, "http://127.0.0.1:1000");
  g_clear_pointer (&config, pw_aws_config_free);

  g_setenv ("AWS_REGION", "us-east-2", TRUE);
  config = pw_aws_config_resolve (NULL, NULL, NULL, &error);
  g_assert_cmpstr (config->region, ==, "us-east-2");
  g_clear_pointer (&config, pw_aws_config_free);

  /* Arguments win over everything. */
  config = pw_aws_config_resolve (NULL, "ca-central-1", "http://127.0.0.1:3000", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->region, ==, "ca-central-1");
  g_assert_cmpstr (pw_aws_config_get_endpoint_url (config, PW_AWS_SERVICE_S3), ==, "http://127.0.0.1:3000");
  g_assert_cmpstr (pw_aws_config_get_endpoint_url (config, PW_AWS_SERVICE_STS), ==, "http://127.0.0.1:3000");
  g_clear_pointer (&config, pw_aws_config_free);

  config = pw_aws_config_resolve (NULL, NULL, "ftp://127.0.0.1", &error);
  g_assert_null (config);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "ftp://127.0.0.1"));
  g_clear_error (&error);

  g_setenv ("AWS_MAX_ATTEMPTS", "0", TRUE);
  config = pw_aws_config_resolve (NULL, NULL, NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG);
  g_clear_error (&error);
  g_setenv ("AWS_MAX_ATTEMPTS", "7", TRUE);
  config = pw_aws_config_resolve (NULL, NULL, NULL, &error);
  g_assert_cmpuint (config->max_attempts, ==, 7);
}

static void
test_broken_files (void)
{
  g_autoptr(PwAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  use_files ("[default]\nregion = us-east-1\n[profile x\nregion = y\n", NULL);
  config = pw_aws_config_resolve (NULL, NULL, NULL, &error);
  g_assert_null (config);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "config, line 3"));
  g_clear_error (&error);

  use_files (NULL, "aws_access_key_id = AKIA\n");
  config = pw_aws_config_resolve (NULL, NULL, NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "credentials, line 1"));
  g_clear_error (&error);

  use_files (NULL, "[default]\nthis line has no separator\n");
  config = pw_aws_config_resolve (NULL, NULL, NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_clear_error (&error);

  /* Half a pair: named, and the secret is not repeated back. */
  use_files (NULL, "[default]\naws_secret_access_key = do-not-print-me\n");
  config = pw_aws_config_resolve (NULL, NULL, NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "default"));
  g_assert_null (strstr (error->message, "do-not-print-me"));
  g_clear_error (&error);

  /* A directory where a file should be. */
  clean_env ();
  g_setenv ("AWS_CONFIG_FILE", tmp_dir, TRUE);
  config = pw_aws_config_resolve (NULL, NULL, NULL, &error);
  g_assert_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, tmp_dir));
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  return memmem (data, len, needle, strlen (needle)) != NULL;
}

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static void
test_keyring_file_backend (void)
{
  g_autoptr(PwAwsCredentials) creds = pw_aws_credentials_new ("ASIAKEYRING", "keyring/secret+1", "keyring-token", NULL);
  g_autoptr(PwAwsCredentials) plain = pw_aws_credentials_new ("AKIAKEYRING2", "second-secret", NULL, NULL);
  g_autoptr(PwAwsCredentials) found = NULL;
  g_autoptr(GError) error = NULL;
  const char *file = g_getenv ("SECRET_FILE_TEST_PATH");
  const SecretSchema *schema = pw_aws_keyring_get_schema ();
  Wait wait = { NULL };

  g_assert_true (schema == pw_aws_keyring_get_schema ());
  g_assert_cmpstr (schema->name, ==, PW_SCHEMA_ID ".AwsCredentials");
  g_assert_cmpstr (schema->attributes[0].name, ==, "profile");
  g_assert_cmpstr (schema->attributes[1].name, ==, "access-key-id");
  g_assert_null (schema->attributes[2].name);

  /* Nothing yet. */
  found = pw_aws_keyring_lookup ("workshop", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (found);

  /* Async store and lookup, on the default main context. */
  pw_aws_keyring_store_async ("workshop", creds, NULL, done_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (pw_aws_keyring_store_finish (wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  pw_aws_keyring_lookup_async ("workshop", NULL, done_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  found = pw_aws_keyring_lookup_finish (wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_cmpstr (found->access_key_id, ==, "ASIAKEYRING");
  g_assert_cmpstr (found->secret_access_key, ==, "keyring/secret+1");
  g_assert_cmpstr (found->session_token, ==, "keyring-token");
  g_assert_cmpstr (found->source, ==, "keyring");
  g_clear_pointer (&found, pw_aws_credentials_free);

  /* The file backend encrypts: neither secret is in the file. */
  g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));
  g_assert_false (file_contains (file, "keyring/secret+1"));
  g_assert_false (file_contains (file, "keyring-token"));

  /* Another profile is separate; storing again replaces (new key id). */
  g_assert_true (pw_aws_keyring_store ("other", plain, NULL, &error));
  g_assert_true (pw_aws_keyring_store ("workshop", plain, NULL, &error));
  g_assert_no_error (error);
  found = pw_aws_keyring_lookup ("workshop", NULL, &error);
  g_assert_cmpstr (found->access_key_id, ==, "AKIAKEYRING2");
  g_assert_null (found->session_token);
  g_clear_pointer (&found, pw_aws_credentials_free);
  {
    g_autoptr(GList) items = secret_password_search_sync (schema, SECRET_SEARCH_ALL, NULL, &error,
                                                          "profile", "workshop", NULL);
    g_assert_cmpuint (g_list_length (items), ==, 1);
    g_list_free_full (g_steal_pointer (&items), g_object_unref);
  }

  /* Clear one profile, the other stays. */
  g_assert_true (pw_aws_keyring_clear ("workshop", NULL, &error));
  g_assert_no_error (error);
  found = pw_aws_keyring_lookup ("workshop", NULL, &error);
  g_assert_null (found);
  found = pw_aws_keyring_lookup ("other", NULL, &error);
  g_assert_nonnull (found);
  g_assert_true (pw_aws_keyring_clear ("other", NULL, &error));
  /* Clearing nothing is fine. */
  g_assert_true (pw_aws_keyring_clear ("other", NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  g_autofree char *keyring = NULL;
  int status;

  tmp_dir = g_dir_make_tmp ("pw-aws-config-XXXXXX", &error);
  g_assert_no_error (error);
  home = g_build_filename (tmp_dir, "home", NULL);
  g_mkdir (home, 0700);
  /* Before anything asks GLib for the home directory. */
  g_setenv ("HOME", home, TRUE);
  keyring = g_build_filename (tmp_dir, "keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "pw-test-file-keyring", TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/aws/config/default-files-in-home", test_default_files_in_home);
  g_test_add_func ("/aws/config/environment-credentials", test_environment_credentials);
  g_test_add_func ("/aws/config/profiles", test_profiles);
  g_test_add_func ("/aws/config/region-and-endpoint-precedence", test_region_and_endpoint_precedence);
  g_test_add_func ("/aws/config/broken-files", test_broken_files);
  g_test_add_func ("/aws/keyring/file-backend", test_keyring_file_backend);
  status = g_test_run ();

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
    (void) !system (cmd);
  }
  return status;
}
