/* pw-aws-credentials.c: an access key, its secret and an optional session token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-aws"

#include "pw-config.h"

#include <string.h>

#include "pw-aws-credentials.h"

/**
 * pw_aws_secret_free:
 * @secret: (nullable): a secret string
 *
 * Overwrites @secret, then frees it.
 */
void
pw_aws_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  memset (secret, 0, strlen (secret));
  /* Keep the compiler from dropping the memset. */
  __asm__ __volatile__ ("" : : "r" (secret) : "memory");
  g_free (secret);
}

PwAwsCredentials *
pw_aws_credentials_new (const char *access_key_id,
                        const char *secret_access_key,
                        const char *session_token,
                        const char *source)
{
  PwAwsCredentials *self;

  g_return_val_if_fail (access_key_id != NULL, NULL);
  g_return_val_if_fail (secret_access_key != NULL, NULL);

  self = g_new0 (PwAwsCredentials, 1);
  self->access_key_id = g_strdup (access_key_id);
  self->secret_access_key = g_strdup (secret_access_key);
  self->session_token = (session_token != NULL && *session_token != '\0') ? g_strdup (session_token) : NULL;
  self->source = g_strdup (source);
  return self;
}

PwAwsCredentials *
pw_aws_credentials_copy (const PwAwsCredentials *credentials)
{
  if (credentials == NULL)
    return NULL;
  return pw_aws_credentials_new (credentials->access_key_id,
                                 credentials->secret_access_key,
                                 credentials->session_token,
                                 credentials->source);
}

void
pw_aws_credentials_free (PwAwsCredentials *credentials)
{
  if (credentials == NULL)
    return;
  g_free (credentials->access_key_id);
  pw_aws_secret_free (credentials->secret_access_key);
  pw_aws_secret_free (credentials->session_token);
  g_free (credentials->source);
  g_free (credentials);
}
