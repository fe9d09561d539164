/* pw-aws-keyring.c: the application's AWS keys in the system keyring
 *
 * One item per profile label. Attributes (not secret): the profile label and
 * the access key id. The secret: the secret access key, then, when the keys
 * are temporary, a newline and the session token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-aws"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pw-aws-error.h"
#include "pw-aws-keyring.h"
#include "pw-aws-sync-private.h"

const SecretSchema *
pw_aws_keyring_get_schema (void)
{
  static const SecretSchema schema = {
    PW_SCHEMA_ID ".AwsCredentials",
    SECRET_SCHEMA_NONE,
    {
      { PW_AWS_KEYRING_ATTRIBUTE_PROFILE, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { PW_AWS_KEYRING_ATTRIBUTE_ACCESS_KEY_ID, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static char *
make_secret (const PwAwsCredentials *credentials)
{
  if (credentials->session_token != NULL)
    return g_strconcat (credentials->secret_access_key, "\n", credentials->session_token, NULL);
  return g_strdup (credentials->secret_access_key);
}

static PwAwsCredentials *
credentials_from_secret (const char  *access_key_id,
                         const char  *secret,
                         const char  *profile,
                         GError     **error)
{
  const char *nl;
  char *key;
  PwAwsCredentials *creds;

  if (access_key_id == NULL || *access_key_id == '\0' || secret == NULL || *secret == '\0' || *secret == '\n')
    {
      g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CREDENTIALS,
                   _("The keyring entry for the profile “%s” is incomplete"), profile);
      return NULL;
    }
  nl = strchr (secret, '\n');
  key = nl != NULL ? g_strndup (secret, nl - secret) : g_strdup (secret);
  creds = pw_aws_credentials_new (access_key_id, key, nl != NULL ? nl + 1 : NULL, "keyring");
  pw_aws_secret_free (key);
  return creds;
}

static char *
make_label (const char *profile)
{
  /* Translators: the name of a keyring entry, as Passwords and Keys shows it. */
  return g_strdup_printf (_("Personalize Workshop AWS keys (%s)"), profile);
}

static void
keyring_error (GError    **error,
               GError     *cause)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, cause);
      return;
    }
  g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CREDENTIALS,
               _("The keyring is not available: %s"), cause->message);
  g_error_free (cause);
}

static void
return_keyring_error (GTask  *task,
                      GError *cause)
{
  GError *error = NULL;

  keyring_error (&error, cause);
  g_task_return_error (task, error);
}

/* Store: clear the profile's old entry (its key id may differ), then store. */

typedef struct
{
  char *profile;
  PwAwsCredentials *credentials;
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_free (data->profile);
  pw_aws_credentials_free (data->credentials);
  g_free (data);
}

static void
store_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      return_keyring_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
store_cleared_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *label = NULL;
  char *secret;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      return_keyring_error (task, error);
      return;
    }
  label = make_label (data->profile);
  secret = make_secret (data->credentials);
  secret_password_store (pw_aws_keyring_get_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                         g_task_get_cancellable (task), store_done_cb, g_object_ref (task),
                         PW_AWS_KEYRING_ATTRIBUTE_PROFILE, data->profile,
                         PW_AWS_KEYRING_ATTRIBUTE_ACCESS_KEY_ID, data->credentials->access_key_id,
                         NULL);
  pw_aws_secret_free (secret);
}

/**
 * pw_aws_keyring_store_async:
 * @profile: the profile label ("default", or a name the user chose)
 * @credentials: the keys to keep
 *
 * Replaces the profile's entry in the default collection.
 */
void
pw_aws_keyring_store_async (const char             *profile,
                            const PwAwsCredentials *credentials,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  StoreData *data;

  g_return_if_fail (profile != NULL && credentials != NULL);

  g_task_set_source_tag (task, pw_aws_keyring_store_async);
  data = g_new0 (StoreData, 1);
  data->profile = g_strdup (profile);
  data->credentials = pw_aws_credentials_copy (credentials);
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);
  secret_password_clear (pw_aws_keyring_get_schema (), cancellable, store_cleared_cb, g_object_ref (task),
                         PW_AWS_KEYRING_ATTRIBUTE_PROFILE, profile, NULL);
}

gboolean
pw_aws_keyring_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Lookup: search with the profile label, then read the first item's secret. */

static void
lookup_retrieved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SecretRetrievable *item = SECRET_RETRIEVABLE (source);
  GError *error = NULL;
  SecretValue *value;
  g_autoptr(GHashTable) attributes = NULL;
  PwAwsCredentials *creds;

  value = secret_retrievable_retrieve_secret_finish (item, result, &error);
  if (value == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "no secret");
      return_keyring_error (task, error);
      return;
    }
  attributes = secret_retrievable_get_attributes (item);
  creds = credentials_from_secret (g_hash_table_lookup (attributes, PW_AWS_KEYRING_ATTRIBUTE_ACCESS_KEY_ID),
                                   secret_value_get_text (value),
                                   g_task_get_task_data (task), &error);
  secret_value_unref (value);
  if (creds == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, creds, (GDestroyNotify) pw_aws_credentials_free);
}

static void
lookup_searched_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      return_keyring_error (task, error);
      return;
    }
  if (items == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  secret_retrievable_retrieve_secret (SECRET_RETRIEVABLE (items->data), g_task_get_cancellable (task),
                                      lookup_retrieved_cb, g_object_ref (task));
  g_list_free_full (items, g_object_unref);
}

/**
 * pw_aws_keyring_lookup_async:
 * @profile: the profile label
 *
 * pw_aws_keyring_lookup_finish() returns %NULL without an error when the
 * keyring has no entry for @profile.
 */
void
pw_aws_keyring_lookup_async (const char          *profile,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (profile != NULL);

  g_task_set_source_tag (task, pw_aws_keyring_lookup_async);
  g_task_set_task_data (task, g_strdup (profile), g_free);
  secret_password_search (pw_aws_keyring_get_schema (),
                          SECRET_SEARCH_LOAD_SECRETS | SECRET_SEARCH_UNLOCK,
                          cancellable, lookup_searched_cb, g_object_ref (task),
                          PW_AWS_KEYRING_ATTRIBUTE_PROFILE, profile, NULL);
}

PwAwsCredentials *
pw_aws_keyring_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      return_keyring_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * pw_aws_keyring_clear_async:
 * @profile: the profile label
 *
 * Removes the profile's entry; succeeds when there was none.
 */
void
pw_aws_keyring_clear_async (const char          *profile,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (profile != NULL);

  g_task_set_source_tag (task, pw_aws_keyring_clear_async);
  secret_password_clear (pw_aws_keyring_get_schema (), cancellable, clear_done_cb, g_object_ref (task),
                         PW_AWS_KEYRING_ATTRIBUTE_PROFILE, profile, NULL);
}

gboolean
pw_aws_keyring_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Sync wrappers: run the async call on a private main context. */

gboolean
pw_aws_keyring_store (const char              *profile,
                      const PwAwsCredentials  *credentials,
                      GCancellable            *cancellable,
                      GError                 **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  pw_aws_sync_begin (context);
  pw_aws_keyring_store_async (profile, credentials, cancellable, pw_aws_sync_done_cb, &result);
  pw_aws_sync_wait (context, &result);
  return pw_aws_keyring_store_finish (result, error);
}

PwAwsCredentials *
pw_aws_keyring_lookup (const char    *profile,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  pw_aws_sync_begin (context);
  pw_aws_keyring_lookup_async (profile, cancellable, pw_aws_sync_done_cb, &result);
  pw_aws_sync_wait (context, &result);
  return pw_aws_keyring_lookup_finish (result, error);
}

gboolean
pw_aws_keyring_clear (const char    *profile,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  pw_aws_sync_begin (context);
  pw_aws_keyring_clear_async (profile, cancellable, pw_aws_sync_done_cb, &result);
  pw_aws_sync_wait (context, &result);
  return pw_aws_keyring_clear_finish (result, error);
}
