/* pw-aws-config.c: profiles, region, endpoint and credentials as the AWS CLI resolves them
 *
 * Precedence (botocore's): the profile is the argument, else AWS_PROFILE,
 * else "default". Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
 * AWS_SESSION_TOKEN unless a profile was given as an argument, then the
 * shared credentials file, then the config file. Region: the argument,
 * AWS_REGION, AWS_DEFAULT_REGION, the profile. Endpoint: the argument,
 * AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's endpoint_url.
 * The keyring is the caller's last resort (pw-aws-keyring.h): it is async.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-aws"

#include "pw-config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "pw-aws-config.h"
#include "pw-aws-error.h"

/* An INI file as botocore reads it: "[section]", "key = value" (or ':'),
 * comments starting with '#' or ';', indented lines continue the previous
 * key (nested settings such as "s3 =\n  addressing_style = path"). */
typedef GHashTable IniFile; /* section name -> (key -> value) */

static IniFile *
ini_parse (const char  *path,
           gboolean    *out_missing,
           GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) lines = NULL;
  IniFile *ini = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_hash_table_unref);
  GHashTable *section = NULL;
  char *last_key = NULL;

  *out_missing = FALSE;
  if (!g_file_get_contents (path, &text, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          *out_missing = TRUE;
          return ini;
        }
      g_hash_table_unref (ini);
      g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG,
                   _("Could not read %s: %s"), path, local_error->message);
      return NULL;
    }

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gboolean indented = line[0] == ' ' || line[0] == '\t';
      char *stripped = g_strstrip (line);
      char *sep;

      if (*stripped == '\0' || *stripped == '#' || *stripped == ';')
        continue;
      if (indented && section != NULL && last_key != NULL)
        {
          /* A nested setting: store it as "parent.key". */
          char *eq = strchr (stripped, '=');

          if (eq != NULL)
            {
              *eq = '\0';
              g_hash_table_insert (section,
                                   g_strdup_printf ("%s.%s", last_key, g_strstrip (stripped)),
                                   g_strdup (g_strstrip (eq + 1)));
            }
          continue;
        }
      if (*stripped == '[')
        {
          char *end = strchr (stripped, ']');
          g_autofree char *name = NULL;

          if (end == NULL)
            {
              g_hash_table_unref (ini);
              g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG,
                           _("%s, line %u: a section name must end with “]”"), path, i + 1);
              return NULL;
            }
          name = g_strstrip (g_strndup (stripped + 1, end - stripped - 1));
          section = g_hash_table_lookup (ini, name);
          if (section == NULL)
            {
              section = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) pw_aws_secret_free);
              g_hash_table_insert (ini, g_strdup (name), section);
            }
          last_key = NULL;
          continue;
        }
      sep = strpbrk (stripped, "=:");
      if (sep == NULL || section == NULL)
        {
          g_hash_table_unref (ini);
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG,
                       section == NULL ? _("%s, line %u: a setting outside of any [section]")
                                       : _("%s, line %u: expected “name = value”"),
                       path, i + 1);
          return NULL;
        }
      *sep = '\0';
      {
        g_autofree char *key = g_ascii_strdown (g_strstrip (stripped), -1);

        last_key = key;
        g_hash_table_replace (section, g_steal_pointer (&key), g_strdup (g_strstrip (sep + 1)));
      }
    }
  return ini;
}

static char *
expand_home (const char *path)
{
  if (path[0] == '~' && (path[1] == '/' || path[1] == '\0'))
    return g_build_filename (g_get_home_dir (), path + 1, NULL);
  return g_strdup (path);
}

static char *
config_file_path (void)
{
  const char *env = g_getenv ("AWS_CONFIG_FILE");

  return env != NULL && *env != '\0' ? expand_home (env)
                                     : g_build_filename (g_get_home_dir (), ".aws", "config", NULL);
}

static char *
credentials_file_path (void)
{
  const char *env = g_getenv ("AWS_SHARED_CREDENTIALS_FILE");

  return env != NULL && *env != '\0' ? expand_home (env)
                                     : g_build_filename (g_get_home_dir (), ".aws", "credentials", NULL);
}

static GHashTable *
config_profile_section (IniFile    *config,
                        const char *profile)
{
  g_autofree char *name = g_strdup_printf ("profile %s", profile);
  GHashTable *section = g_hash_table_lookup (config, name);

  if (section == NULL && strcmp (profile, "default") == 0)
    section = g_hash_table_lookup (config, "default");
  return section;
}

static const char *
nonempty_env (const char *name)
{
  const char *v = g_getenv (name);

  return v != NULL && *v != '\0' ? v : NULL;
}

PwAwsConfig *
pw_aws_config_new (void)
{
  PwAwsConfig *self = g_new0 (PwAwsConfig, 1);

  self->profile = g_strdup ("default");
  self->max_attempts = PW_AWS_DEFAULT_MAX_ATTEMPTS;
  return self;
}

PwAwsConfig *
pw_aws_config_copy (const PwAwsConfig *config)
{
  PwAwsConfig *self = g_new0 (PwAwsConfig, 1);

  self->profile = g_strdup (config->profile);
  self->profile_explicit = config->profile_explicit;
  self->region = g_strdup (config->region);
  self->endpoint_url = g_strdup (config->endpoint_url);
  for (guint i = 0; i < PW_AWS_N_SERVICES; i++)
    self->service_endpoint_urls[i] = g_strdup (config->service_endpoint_urls[i]);
  self->credentials = pw_aws_credentials_copy (config->credentials);
  self->max_attempts = config->max_attempts;
  self->profile_in_files = config->profile_in_files;
  return self;
}

void
pw_aws_config_free (PwAwsConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->profile);
  g_free (config->region);
  g_free (config->endpoint_url);
  for (guint i = 0; i < PW_AWS_N_SERVICES; i++)
    g_free (config->service_endpoint_urls[i]);
  pw_aws_credentials_free (config->credentials);
  g_free (config);
}

void
pw_aws_config_set_credentials (PwAwsConfig            *config,
                               const PwAwsCredentials *credentials)
{
  pw_aws_credentials_free (config->credentials);
  config->credentials = pw_aws_credentials_copy (credentials);
}

const char *
pw_aws_config_get_endpoint_url (const PwAwsConfig *config,
                                PwAwsService       service)
{
  if (config->service_endpoint_urls[service] != NULL)
    return config->service_endpoint_urls[service];
  return config->endpoint_url;
}

static gboolean
check_endpoint (const char  *url,
                const char  *where,
                GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG,
                   _("The endpoint URL “%s” (%s) is not an http:// or https:// URL"), url, where);
      return FALSE;
    }
  return TRUE;
}

static PwAwsCredentials *
credentials_from_section (GHashTable  *section,
                          const char  *path,
                          const char  *profile,
                          const char  *source,
                          GError     **error)
{
  const char *akid, *secret, *token;

  if (section == NULL)
    return NULL;
  akid = g_hash_table_lookup (section, "aws_access_key_id");
  secret = g_hash_table_lookup (section, "aws_secret_access_key");
  token = g_hash_table_lookup (section, "aws_session_token");
  if (token == NULL)
    token = g_hash_table_lookup (section, "aws_security_token");
  if (akid == NULL && secret == NULL)
    return NULL;
  if (akid == NULL || secret == NULL || *akid == '\0' || *secret == '\0')
    {
      g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CREDENTIALS,
                   _("Profile “%s” in %s has only one of aws_access_key_id and aws_secret_access_key"),
                   profile, path);
      return NULL;
    }
  return pw_aws_credentials_new (akid, secret, token, source);
}

/**
 * pw_aws_config_resolve:
 * @profile: (nullable): the profile given as an argument (`--profile`)
 * @region: (nullable): the region given as an argument (`--region`)
 * @endpoint_url: (nullable): the endpoint given as an argument (`--endpoint-url`)
 *
 * Resolves settings the way the AWS CLI does (see the top of this file).
 * Missing credentials are not an error here: @credentials stays %NULL and
 * the caller may look in the keyring.
 *
 * Returns: the configuration, or %NULL on a named profile that does not
 *   exist, an unreadable or malformed file, half a key pair, or a bad
 *   endpoint URL (PW_AWS_ERROR_CONFIG or _CREDENTIALS; the message names the
 *   file and line, never a secret)
 */
PwAwsConfig *
pw_aws_config_resolve (const char  *profile,
                       const char  *region,
                       const char  *endpoint_url,
                       GError     **error)
{
  return pw_aws_config_resolve_full (profile, region, endpoint_url, PW_AWS_CONFIG_NONE, error);
}

/**
 * pw_aws_config_resolve_full:
 * @flags: %PW_AWS_CONFIG_ALLOW_UNKNOWN_PROFILE for profiles that may live
 *   only in the keyring
 *
 * pw_aws_config_resolve() with flags.
 */
PwAwsConfig *
pw_aws_config_resolve_full (const char        *profile,
                            const char        *region,
                            const char        *endpoint_url,
                            PwAwsConfigFlags   flags,
                            GError           **error)
{
  g_autoptr(PwAwsConfig) self = pw_aws_config_new ();
  g_autofree char *config_path = config_file_path ();
  g_autofree char *creds_path = credentials_file_path ();
  g_autoptr(GHashTable) config = NULL;
  g_autoptr(GHashTable) creds = NULL;
  gboolean config_missing, creds_missing;
  GHashTable *config_section, *creds_section;
  gboolean profile_from_argument = profile != NULL && *profile != '\0';
  const char *env_akid, *env_secret, *v;

  if (profile_from_argument)
    self->profile_explicit = TRUE;
  else if ((profile = nonempty_env ("AWS_PROFILE")) != NULL ||
           (profile = nonempty_env ("AWS_DEFAULT_PROFILE")) != NULL)
    self->profile_explicit = TRUE;
  else
    profile = "default";
  g_free (self->profile);
  self->profile = g_strdup (profile);

  config = ini_parse (config_path, &config_missing, error);
  if (config == NULL)
    return NULL;
  creds = ini_parse (creds_path, &creds_missing, error);
  if (creds == NULL)
    return NULL;
  config_section = config_profile_section (config, profile);
  creds_section = g_hash_table_lookup (creds, profile);

  self->profile_in_files = config_section != NULL || creds_section != NULL;
  if (self->profile_explicit && strcmp (profile, "default") != 0 && !self->profile_in_files &&
      !(flags & PW_AWS_CONFIG_ALLOW_UNKNOWN_PROFILE))
    {
      g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG,
                   _("The profile “%s” is not in %s nor in %s"), profile, creds_path, config_path);
      return NULL;
    }

  /* Region. */
  if (region != NULL && *region != '\0')
    self->region = g_strdup (region);
  else if ((v = nonempty_env ("AWS_REGION")) != NULL || (v = nonempty_env ("AWS_DEFAULT_REGION")) != NULL)
    self->region = g_strdup (v);
  else if (config_section != NULL && (v = g_hash_table_lookup (config_section, "region")) != NULL && *v != '\0')
    self->region = g_strdup (v);
  else if (creds_section != NULL && (v = g_hash_table_lookup (creds_section, "region")) != NULL && *v != '\0')
    self->region = g_strdup (v);

  /* Endpoints. */
  if (endpoint_url != NULL && *endpoint_url != '\0')
    {
      if (!check_endpoint (endpoint_url, "--endpoint-url", error))
        return NULL;
      self->endpoint_url = g_strdup (endpoint_url);
    }
  else
    {
      for (guint i = 0; i < PW_AWS_N_SERVICES; i++)
        {
          g_autofree char *name = g_strconcat ("AWS_ENDPOINT_URL_", pw_aws_service_get_env_suffix (i), NULL);

          if ((v = nonempty_env (name)) != NULL)
            {
              if (!check_endpoint (v, name, error))
                return NULL;
              self->service_endpoint_urls[i] = g_strdup (v);
            }
        }
      if ((v = nonempty_env ("AWS_ENDPOINT_URL")) != NULL)
        {
          if (!check_endpoint (v, "AWS_ENDPOINT_URL", error))
            return NULL;
          self->endpoint_url = g_strdup (v);
        }
      else if (config_section != NULL && (v = g_hash_table_lookup (config_section, "endpoint_url")) != NULL && *v != '\0')
        {
          if (!check_endpoint (v, config_path, error))
            return NULL;
          self->endpoint_url = g_strdup (v);
        }
    }

  /* Attempts. */
  if ((v = nonempty_env ("AWS_MAX_ATTEMPTS")) != NULL ||
      (config_section != NULL && (v = g_hash_table_lookup (config_section, "max_attempts")) != NULL))
    {
      guint64 n;

      if (!g_ascii_string_to_unsigned (v, 10, 1, 20, &n, NULL))
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG,
                       _("max_attempts must be a whole number from 1 to 20, not “%s”"), v);
          return NULL;
        }
      self->max_attempts = n;
    }

  /* Credentials. */
  env_akid = nonempty_env ("AWS_ACCESS_KEY_ID");
  env_secret = nonempty_env ("AWS_SECRET_ACCESS_KEY");
  if (!profile_from_argument && (env_akid != NULL || env_secret != NULL))
    {
      if (env_akid == NULL || env_secret == NULL)
        {
          g_set_error_literal (error, PW_AWS_ERROR, PW_AWS_ERROR_CREDENTIALS,
                               _("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together"));
          return NULL;
        }
      v = nonempty_env ("AWS_SESSION_TOKEN");
      if (v == NULL)
        v = nonempty_env ("AWS_SECURITY_TOKEN");
      self->credentials = pw_aws_credentials_new (env_akid, env_secret, v, "environment");
    }
  else
    {
      g_autoptr(GError) local_error = NULL;

      self->credentials = credentials_from_section (creds_section, creds_path, profile,
                                                    "shared-credentials-file", &local_error);
      if (self->credentials == NULL && local_error == NULL)
        self->credentials = credentials_from_section (config_section, config_path, profile,
                                                      "config-file", &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  g_debug ("Profile %s, region %s, endpoint %s, credentials from %s",
           self->profile, self->region != NULL ? self->region : "(none)",
           self->endpoint_url != NULL ? self->endpoint_url : "(AWS)",
           self->credentials != NULL ? self->credentials->source : "(nowhere yet)");
  return g_steal_pointer (&self);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

/**
 * pw_aws_config_list_profiles:
 *
 * Returns: (transfer full): the sorted names of the profiles in the config
 *   and credentials files
 */
char **
pw_aws_config_list_profiles (GError **error)
{
  g_autofree char *config_path = config_file_path ();
  g_autofree char *creds_path = credentials_file_path ();
  g_autoptr(GHashTable) config = NULL;
  g_autoptr(GHashTable) creds = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean missing;
  GHashTableIter iter;
  gpointer key;
  GPtrArray *out;

  config = ini_parse (config_path, &missing, error);
  if (config == NULL)
    return NULL;
  creds = ini_parse (creds_path, &missing, error);
  if (creds == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, config);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (g_str_has_prefix (key, "profile "))
        g_hash_table_add (names, (char *) key + strlen ("profile "));
      else if (strcmp (key, "default") == 0)
        g_hash_table_add (names, key);
    }
  g_hash_table_iter_init (&iter, creds);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (names, key);

  out = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (out, g_strdup (key));
  g_ptr_array_sort (out, compare_names);
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}
