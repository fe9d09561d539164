/* pw-aws-error.c: the PW_AWS_ERROR domain, an extended GError
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-aws"

#include "pw-config.h"

#include "pw-aws-error.h"

typedef struct
{
  char *aws_code;
  guint http_status;
  char *request_id;
  char *service_message;
} PwAwsErrorPrivate;

static void
pw_aws_error_private_init (PwAwsErrorPrivate *priv)
{
}

static void
pw_aws_error_private_copy (const PwAwsErrorPrivate *src,
                           PwAwsErrorPrivate       *dest)
{
  dest->aws_code = g_strdup (src->aws_code);
  dest->http_status = src->http_status;
  dest->request_id = g_strdup (src->request_id);
  dest->service_message = g_strdup (src->service_message);
}

static void
pw_aws_error_private_clear (PwAwsErrorPrivate *priv)
{
  g_clear_pointer (&priv->aws_code, g_free);
  g_clear_pointer (&priv->request_id, g_free);
  g_clear_pointer (&priv->service_message, g_free);
}

G_DEFINE_EXTENDED_ERROR (PwAwsError, pw_aws_error)

GError *
pw_aws_error_new (PwAwsError  code,
                  const char *aws_code,
                  guint       http_status,
                  const char *request_id,
                  const char *service_message,
                  const char *format,
                  ...)
{
  va_list args;
  GError *error;
  PwAwsErrorPrivate *priv;

  va_start (args, format);
  error = g_error_new_valist (PW_AWS_ERROR, code, format, args);
  va_end (args);

  priv = pw_aws_error_get_private (error);
  priv->aws_code = g_strdup (aws_code);
  priv->http_status = http_status;
  priv->request_id = g_strdup (request_id);
  priv->service_message = g_strdup (service_message);
  return error;
}

/**
 * pw_aws_error_get_code:
 * @error: a GError
 *
 * Returns: (nullable): the AWS error code (`ThrottlingException`, `NoSuchKey`,
 *   …) of a PW_AWS_ERROR, or %NULL (other domains, or no code)
 */
const char *
pw_aws_error_get_code (const GError *error)
{
  if (error == NULL || error->domain != PW_AWS_ERROR)
    return NULL;
  return pw_aws_error_get_private (error)->aws_code;
}

guint
pw_aws_error_get_http_status (const GError *error)
{
  if (error == NULL || error->domain != PW_AWS_ERROR)
    return 0;
  return pw_aws_error_get_private (error)->http_status;
}

const char *
pw_aws_error_get_request_id (const GError *error)
{
  if (error == NULL || error->domain != PW_AWS_ERROR)
    return NULL;
  return pw_aws_error_get_private (error)->request_id;
}

const char *
pw_aws_error_get_service_message (const GError *error)
{
  if (error == NULL || error->domain != PW_AWS_ERROR)
    return NULL;
  return pw_aws_error_get_private (error)->service_message;
}

gboolean
pw_aws_error_has_code (const GError *error,
                       const char   *aws_code)
{
  return g_strcmp0 (pw_aws_error_get_code (error), aws_code) == 0 && aws_code != NULL;
}
