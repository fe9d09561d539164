/* pw-aws-config.h: profiles, region, endpoint and credentials as the AWS CLI resolves them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pw-aws-credentials.h"
#include "pw-aws-service.h"

G_BEGIN_DECLS

#define PW_AWS_DEFAULT_MAX_ATTEMPTS 3

/**
 * PwAwsConfig:
 * @profile: the profile in use ("default" unless chosen)
 * @profile_explicit: chosen by an argument or AWS_PROFILE
 * @region: (nullable): the region
 * @endpoint_url: (nullable): one endpoint for every service (local engine)
 * @service_endpoint_urls: per service (AWS_ENDPOINT_URL_<SERVICE>); win over
 *   @endpoint_url unless an endpoint was given as an argument
 * @credentials: (nullable): the keys, if found
 * @max_attempts: attempts per call (AWS_MAX_ATTEMPTS / max_attempts)
 */
typedef struct
{
  char *profile;
  gboolean profile_explicit;
  char *region;
  char *endpoint_url;
  char *service_endpoint_urls[PW_AWS_N_SERVICES];
  PwAwsCredentials *credentials;
  guint max_attempts;
  gboolean profile_in_files;
} PwAwsConfig;

/**
 * PwAwsConfigFlags:
 * @PW_AWS_CONFIG_NONE: as the AWS CLI: a named profile must be in a file
 * @PW_AWS_CONFIG_ALLOW_UNKNOWN_PROFILE: a named profile may be in neither
 *   file (it may live in the application's keyring); @profile_in_files tells
 */
typedef enum
{
  PW_AWS_CONFIG_NONE = 0,
  PW_AWS_CONFIG_ALLOW_UNKNOWN_PROFILE = 1 << 0,
} PwAwsConfigFlags;

PwAwsConfig *pw_aws_config_new               (void);
PwAwsConfig *pw_aws_config_copy              (const PwAwsConfig *config);
void         pw_aws_config_free              (PwAwsConfig       *config);
PwAwsConfig *pw_aws_config_resolve           (const char        *profile,
                                              const char        *region,
                                              const char        *endpoint_url,
                                              GError           **error);
PwAwsConfig *pw_aws_config_resolve_full      (const char        *profile,
                                              const char        *region,
                                              const char        *endpoint_url,
                                              PwAwsConfigFlags   flags,
                                              GError           **error);
const char  *pw_aws_config_get_endpoint_url  (const PwAwsConfig *config,
                                              PwAwsService       service);
void         pw_aws_config_set_credentials   (PwAwsConfig       *config,
                                              const PwAwsCredentials *credentials);

char       **pw_aws_config_list_profiles     (GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PwAwsConfig, pw_aws_config_free)

G_END_DECLS
