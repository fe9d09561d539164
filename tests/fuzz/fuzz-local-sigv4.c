/* fuzz-local-sigv4.c: the SigV4 Authorization header as personalize-local
 * receives it: parsed, then verified against a request built around it;
 * then the same bytes as a presigned URL's query string
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fuzz-local-common.h"
#include "pw-aws-error.h"
#include "pw-aws-sigv4.h"

static gboolean
lookup (const char  *id,
        char       **secret,
        char       **token,
        gpointer     data)
{
  if (strcmp (id, "AKIDEXAMPLE") != 0)
    return FALSE;
  *secret = g_strdup ("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  *token = NULL;
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *header = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwAwsAuthorization) auth = pw_aws_authorization_parse (header, &error);
  SoupMessageHeaders *headers;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2024, 1, 15, 12, 0, 0);

  if (auth != NULL)
    {
      g_assert (auth->access_key_id != NULL && auth->service != NULL && auth->region != NULL);
      g_assert (strlen (auth->signature) == 64);
      for (guint i = 0; auth->signed_headers[i] != NULL; i++)
        {
          g_assert (*auth->signed_headers[i] != '\0');
          if (i > 0)
            g_assert (strcmp (auth->signed_headers[i - 1], auth->signed_headers[i]) < 0);
        }
    }
  else
    g_assert (error != NULL);

  /* The whole verification, for every dialect. */
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_append (headers, "Host", "127.0.0.1:8080");
  soup_message_headers_append (headers, "X-Amz-Date", "20240115T120000Z");
  soup_message_headers_append (headers, "Content-Type", "application/x-amz-json-1.1");
  soup_message_headers_append (headers, "X-Amz-Content-SHA256", PW_AWS_EMPTY_SHA256);
  if (memchr (data, '\0', size) == NULL && memchr (data, '\n', size) == NULL && memchr (data, '\r', size) == NULL)
    soup_message_headers_append (headers, "Authorization", header);
  for (int dialect = PW_AWS_SIGV4_DIALECT_JSON; dialect <= PW_AWS_SIGV4_DIALECT_S3; dialect++)
    {
      g_autoptr(GError) verify_error = NULL;
      g_autoptr(PwAwsAuthorization) out = NULL;

      if (pw_aws_sigv4_verify ("POST", "/bucket/key%20x", "a=1&b", headers, PW_AWS_EMPTY_SHA256, dialect,
                               lookup, NULL, now, &out, &verify_error))
        g_assert (out != NULL);
      else
        g_assert (verify_error != NULL && pw_aws_error_get_http_status (verify_error) >= 400);
    }
  soup_message_headers_unref (headers);

  /* The same bytes as a presigned URL's query (no Authorization header). */
  if (memchr (data, '\0', size) == NULL)
    {
      g_autofree char *service = pw_aws_presigned_service (header);

      g_assert (service == NULL || *service != '\0');
      headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
      soup_message_headers_append (headers, "Host", "127.0.0.1:8080");
      for (int dialect = PW_AWS_SIGV4_DIALECT_JSON; dialect <= PW_AWS_SIGV4_DIALECT_S3; dialect++)
        {
          g_autoptr(GError) verify_error = NULL;
          g_autoptr(PwAwsAuthorization) out = NULL;

          if (pw_aws_sigv4_verify ("GET", "/bucket/key%20x", header, headers, NULL, dialect,
                                   lookup, NULL, now, &out, &verify_error))
            g_assert (out != NULL && out->service != NULL && out->region != NULL);
          else
            g_assert (verify_error != NULL && pw_aws_error_get_http_status (verify_error) >= 400
                      && g_utf8_validate (verify_error->message, -1, NULL));
        }
      soup_message_headers_unref (headers);
    }
  return 0;
}
