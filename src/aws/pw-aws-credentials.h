/* pw-aws-credentials.h: an access key, its secret and an optional session token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * PwAwsCredentials:
 * @access_key_id: the access key id (not secret; may be logged)
 * @secret_access_key: the secret; never log, print or write it
 * @session_token: (nullable): the session token of temporary credentials;
 *   as secret as the key
 * @source: (nullable): where they came from, for people: "environment",
 *   "shared-credentials-file", "config-file", "keyring", …
 *
 * pw_aws_credentials_free() overwrites the secrets before freeing them.
 */
typedef struct
{
  char *access_key_id;
  char *secret_access_key;
  char *session_token;
  char *source;
} PwAwsCredentials;

PwAwsCredentials *pw_aws_credentials_new  (const char             *access_key_id,
                                           const char             *secret_access_key,
                                           const char             *session_token,
                                           const char             *source);
PwAwsCredentials *pw_aws_credentials_copy (const PwAwsCredentials *credentials);
void              pw_aws_credentials_free (PwAwsCredentials       *credentials);

void              pw_aws_secret_free      (char                   *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwAwsCredentials, pw_aws_credentials_free)

G_END_DECLS
