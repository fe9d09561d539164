/* pw-aws-service.c: the services the workshop talks to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-aws"

#include "pw-config.h"

#include <string.h>

#include "pw-aws-service.h"

typedef struct
{
  const char *name;          /* as the AWS CLI names it */
  const char *title;         /* for people */
  PwAwsProtocol protocol;
  const char *signing_name;
  const char *env_suffix;    /* AWS_ENDPOINT_URL_<suffix> */
} ServiceInfo;

static const ServiceInfo services[PW_AWS_N_SERVICES] = {
  [PW_AWS_SERVICE_PERSONALIZE] = { "personalize", "Amazon Personalize", PW_AWS_PROTOCOL_JSON, "personalize", "PERSONALIZE" },
  [PW_AWS_SERVICE_PERSONALIZE_RUNTIME] = { "personalize-runtime", "Amazon Personalize Runtime", PW_AWS_PROTOCOL_REST_JSON, "personalize", "PERSONALIZE_RUNTIME" },
  [PW_AWS_SERVICE_PERSONALIZE_EVENTS] = { "personalize-events", "Amazon Personalize Events", PW_AWS_PROTOCOL_REST_JSON, "personalize", "PERSONALIZE_EVENTS" },
  [PW_AWS_SERVICE_S3] = { "s3", "Amazon S3", PW_AWS_PROTOCOL_REST_XML, "s3", "S3" },
  [PW_AWS_SERVICE_IAM] = { "iam", "AWS IAM", PW_AWS_PROTOCOL_QUERY, "iam", "IAM" },
  [PW_AWS_SERVICE_STS] = { "sts", "AWS STS", PW_AWS_PROTOCOL_QUERY, "sts", "STS" },
};

const char *
pw_aws_service_get_name (PwAwsService service)
{
  g_return_val_if_fail (service < PW_AWS_N_SERVICES, NULL);
  return services[service].name;
}

const char *
pw_aws_service_get_title (PwAwsService service)
{
  g_return_val_if_fail (service < PW_AWS_N_SERVICES, NULL);
  return services[service].title;
}

gboolean
pw_aws_service_from_name (const char   *name,
                          PwAwsService *out_service)
{
  for (guint i = 0; i < PW_AWS_N_SERVICES; i++)
    if (g_strcmp0 (services[i].name, name) == 0)
      {
        *out_service = i;
        return TRUE;
      }
  return FALSE;
}

PwAwsProtocol
pw_aws_service_get_protocol (PwAwsService service)
{
  return services[service].protocol;
}

const char *
pw_aws_service_get_signing_name (PwAwsService service)
{
  return services[service].signing_name;
}

const char *
pw_aws_service_get_env_suffix (PwAwsService service)
{
  return services[service].env_suffix;
}

static const char *
dns_suffix (const char *region)
{
  return g_str_has_prefix (region, "cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

/**
 * pw_aws_service_get_default_host:
 *
 * The AWS host of @service in @region (for S3 the path-style regional host;
 * the client puts the bucket in front for virtual-hosted requests).
 */
char *
pw_aws_service_get_default_host (PwAwsService  service,
                                 const char   *region)
{
  switch (service)
    {
    case PW_AWS_SERVICE_PERSONALIZE:
      return g_strdup_printf ("personalize.%s.%s", region, dns_suffix (region));
    case PW_AWS_SERVICE_PERSONALIZE_RUNTIME:
      return g_strdup_printf ("personalize-runtime.%s.%s", region, dns_suffix (region));
    case PW_AWS_SERVICE_PERSONALIZE_EVENTS:
      return g_strdup_printf ("personalize-events.%s.%s", region, dns_suffix (region));
    case PW_AWS_SERVICE_S3:
      if (strcmp (region, "us-east-1") == 0)
        return g_strdup ("s3.amazonaws.com");
      return g_strdup_printf ("s3.%s.%s", region, dns_suffix (region));
    case PW_AWS_SERVICE_IAM:
      return g_str_has_prefix (region, "cn-") ? g_strdup ("iam.cn-north-1.amazonaws.com.cn")
                                              : g_strdup ("iam.amazonaws.com");
    case PW_AWS_SERVICE_STS:
      return g_strdup_printf ("sts.%s.%s", region, dns_suffix (region));
    case PW_AWS_N_SERVICES:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* IAM is global: it signs for us-east-1 (cn-north-1 in China). */
const char *
pw_aws_service_get_signing_region (PwAwsService service,
                                   const char  *region)
{
  if (service == PW_AWS_SERVICE_IAM)
    return g_str_has_prefix (region, "cn-") ? "cn-north-1" : "us-east-1";
  return region;
}
