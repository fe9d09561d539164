/* pw-aws-service.h: the services the workshop talks to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  PW_AWS_SERVICE_PERSONALIZE,
  PW_AWS_SERVICE_PERSONALIZE_RUNTIME,
  PW_AWS_SERVICE_PERSONALIZE_EVENTS,
  PW_AWS_SERVICE_S3,
  PW_AWS_SERVICE_IAM,
  PW_AWS_SERVICE_STS,
  PW_AWS_N_SERVICES
} PwAwsService;

typedef enum
{
  PW_AWS_PROTOCOL_JSON,       /* AWS JSON 1.1, X-Amz-Target */
  PW_AWS_PROTOCOL_REST_JSON,
  PW_AWS_PROTOCOL_REST_XML,
  PW_AWS_PROTOCOL_QUERY,
} PwAwsProtocol;

const char    *pw_aws_service_get_name          (PwAwsService  service);
const char    *pw_aws_service_get_title         (PwAwsService  service);
gboolean       pw_aws_service_from_name         (const char   *name,
                                                 PwAwsService *out_service);
PwAwsProtocol  pw_aws_service_get_protocol      (PwAwsService  service);
const char    *pw_aws_service_get_signing_name  (PwAwsService  service);
const char    *pw_aws_service_get_env_suffix    (PwAwsService  service);
char          *pw_aws_service_get_default_host  (PwAwsService  service,
                                                 const char   *region);
const char    *pw_aws_service_get_signing_region (PwAwsService service,
                                                  const char  *region);

G_END_DECLS
