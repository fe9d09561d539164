/* pw-aws-keyring.h: the application's AWS keys in the system keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "pw-aws-credentials.h"

G_BEGIN_DECLS

#define PW_AWS_KEYRING_ATTRIBUTE_PROFILE "profile"
#define PW_AWS_KEYRING_ATTRIBUTE_ACCESS_KEY_ID "access-key-id"

const SecretSchema *pw_aws_keyring_get_schema   (void);

void              pw_aws_keyring_store_async    (const char              *profile,
                                                 const PwAwsCredentials  *credentials,
                                                 GCancellable            *cancellable,
                                                 GAsyncReadyCallback      callback,
                                                 gpointer                 user_data);
gboolean          pw_aws_keyring_store_finish   (GAsyncResult            *result,
                                                 GError                 **error);
gboolean          pw_aws_keyring_store          (const char              *profile,
                                                 const PwAwsCredentials  *credentials,
                                                 GCancellable            *cancellable,
                                                 GError                 **error);

void              pw_aws_keyring_lookup_async   (const char              *profile,
                                                 GCancellable            *cancellable,
                                                 GAsyncReadyCallback      callback,
                                                 gpointer                 user_data);
PwAwsCredentials *pw_aws_keyring_lookup_finish  (GAsyncResult            *result,
                                                 GError                 **error);
PwAwsCredentials *pw_aws_keyring_lookup         (const char              *profile,
                                                 GCancellable            *cancellable,
                                                 GError                 **error);

void              pw_aws_keyring_clear_async    (const char              *profile,
                                                 GCancellable            *cancellable,
                                                 GAsyncReadyCallback      callback,
                                                 gpointer                 user_data);
gboolean          pw_aws_keyring_clear_finish   (GAsyncResult            *result,
                                                 GError                 **error);
gboolean          pw_aws_keyring_clear          (const char              *profile,
                                                 GCancellable            *cancellable,
                                                 GError                 **error);

G_END_DECLS
