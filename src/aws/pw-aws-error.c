/* pw-aws-error.c: the PW_AWS_ERROR domain, an extended GError
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-aws"

#include "pw-config.h"

#include <json-glib/json-glib.h>

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

static char *
xml_escape (const char *text)
{
  return g_markup_escape_text (text != NULL ? text : "", -1);
}

/**
 * pw_aws_error_format_body:
 * @protocol: the service's protocol
 * @aws_code: the error code (`ResourceNotFoundException`, `NoSuchKey`, …)
 * @message: (nullable): the message for people
 * @request_id: (nullable): the request id
 * @out_content_type: (out) (optional): the Content-Type to send with it
 *
 * An error body shaped as the real service sends it, for a server (the
 * local engine) to answer with; the client parses exactly these. JSON 1.1
 * and REST-JSON: `{"__type": CODE, "message": …}` (REST-JSON servers also
 * send the code in `x-amzn-ErrorType`); Query: `<ErrorResponse><Error>…`;
 * S3: `<Error><Code>…`.
 */
char *
pw_aws_error_format_body (PwAwsProtocol  protocol,
                          const char    *aws_code,
                          const char    *message,
                          const char    *request_id,
                          const char   **out_content_type)
{
  g_autofree char *code = xml_escape (aws_code);
  g_autofree char *text = xml_escape (message);
  g_autofree char *rid = xml_escape (request_id);

  g_return_val_if_fail (aws_code != NULL, NULL);

  switch (protocol)
    {
    case PW_AWS_PROTOCOL_JSON:
    case PW_AWS_PROTOCOL_REST_JSON:
      {
        g_autoptr(JsonBuilder) builder = json_builder_new ();
        g_autoptr(JsonGenerator) generator = json_generator_new ();
        g_autoptr(JsonNode) root = NULL;

        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "__type");
        json_builder_add_string_value (builder, aws_code);
        json_builder_set_member_name (builder, "message");
        json_builder_add_string_value (builder, message != NULL ? message : "");
        json_builder_end_object (builder);
        root = json_builder_get_root (builder);
        json_generator_set_root (generator, root);
        if (out_content_type != NULL)
          *out_content_type = protocol == PW_AWS_PROTOCOL_JSON ? "application/x-amz-json-1.1" : "application/json";
        return json_generator_to_data (generator, NULL);
      }
    case PW_AWS_PROTOCOL_QUERY:
      if (out_content_type != NULL)
        *out_content_type = "text/xml";
      return g_strdup_printf ("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                              "<Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>"
                              "<RequestId>%s</RequestId></ErrorResponse>", code, text, rid);
    case PW_AWS_PROTOCOL_REST_XML:
    default:
      if (out_content_type != NULL)
        *out_content_type = "application/xml";
      return g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<Error><Code>%s</Code><Message>%s</Message><RequestId>%s</RequestId></Error>",
                              code, text, rid);
    }
}
