/* test-aws-keyring.c: the keyring entry on a real gnome-keyring
 *
 * run-tests.sh starts gnome-keyring-daemon with an unlocked login
 * collection on a private session bus; without a Secret Service on the bus
 * the test is skipped (it never touches the user's own keyring: the test
 * session has its own HOME).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include "pw-test-require.h"

#include <string.h>

#include "pw-aws.h"

static void
test_gnome_keyring (void)
{
  g_autoptr(PwAwsCredentials) creds = pw_aws_credentials_new ("ASIAGNOMEKEYRING", "gnome/keyring+secret", "gnome-token", NULL);
  g_autoptr(PwAwsCredentials) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = NULL;
  g_autoptr(GList) items = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  if (g_getenv ("SECRET_BACKEND") != NULL)
    {
      pw_test_skip_unless_required ("SECRET_BACKEND is set: not the real keyring");
      return;
    }
  if (!pw_test_secret_service_running ())
    {
      pw_test_skip_unless_required ("no Secret Service on the session bus (run build-aux/run-tests.sh)");
      return;
    }

  g_assert_true (pw_aws_keyring_store ("pw-test-profile", creds, NULL, &error));
  g_assert_no_error (error);

  found = pw_aws_keyring_lookup ("pw-test-profile", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->access_key_id, ==, "ASIAGNOMEKEYRING");
  g_assert_cmpstr (found->secret_access_key, ==, "gnome/keyring+secret");
  g_assert_cmpstr (found->session_token, ==, "gnome-token");

  /* What another Secret Service client sees: the key id as an attribute,
   * a label for people, the secret and the token as the secret. */
  raw = secret_password_lookup_sync (pw_aws_keyring_get_schema (), NULL, &error,
                                     "profile", "pw-test-profile", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (raw, ==, "gnome/keyring+secret\ngnome-token");
  items = secret_password_search_sync (pw_aws_keyring_get_schema (), SECRET_SEARCH_ALL, NULL, &error,
                                       "access-key-id", "ASIAGNOMEKEYRING", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_retrievable_get_label (items->data);
  g_assert_nonnull (strstr (label, "pw-test-profile"));
  g_assert_null (strstr (label, "gnome/keyring+secret"));
  attributes = secret_retrievable_get_attributes (items->data);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "profile"), ==, "pw-test-profile");
  g_list_free_full (g_steal_pointer (&items), g_object_unref);

  g_assert_true (pw_aws_keyring_clear ("pw-test-profile", NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&found, pw_aws_credentials_free);
  found = pw_aws_keyring_lookup ("pw-test-profile", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (found);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/aws/keyring/gnome-keyring", test_gnome_keyring);
  return g_test_run ();
}
