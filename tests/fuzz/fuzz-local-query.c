/* fuzz-local-query.c: IAM and STS Query bodies (form-encoded) as
 * personalize-local parses and answers them (read-only actions)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fuzz-local-common.h"

static PwLocalIam *
store (void)
{
  static PwLocalIam *iam;

  if (iam == NULL)
    {
      const char *body = "Action=CreateRole&Version=2010-05-08&RoleName=fuzz-role&AssumeRolePolicyDocument="
                         "%7B%22Statement%22%3A%5B%5D%7D";
      PwLocalRequest request = { 0 };
      PwLocalResponse response = { 0 };
      g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));

      iam = pw_local_iam_new (fuzz_local_dir (), NULL);
      g_assert (iam != NULL);
      request.method = "POST";
      request.raw_path = "/";
      request.body = bytes;
      request.headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
      request.request_id = "fuzz";
      pw_local_iam_handle (iam, &request, &response);
      pw_local_response_clear (&response);
      soup_message_headers_unref (request.headers);
    }
  return iam;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const read_only[] = { "GetRole", "ListRoles", "ListAttachedRolePolicies", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) params = pw_local_parse_form ((const char *) data, size, &error);
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  PwLocalRequest request = { 0 };
  PwLocalResponse response = { 0 };
  const char *action = NULL;

  if (params == NULL)
    {
      fuzz_local_check_error (error);
      return 0;
    }
  request.method = "POST";
  request.raw_path = "/";
  request.body = bytes;
  request.headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  request.request_id = "fuzz";
  if (pw_local_query_check_action (params, "sts", &action, NULL))
    {
      pw_local_sts_handle (store (), "AKIDEXAMPLE", &request, &response);
      g_assert (response.status == 200 || response.status == 400);
      pw_local_response_clear (&response);
    }
  if (pw_local_query_check_action (params, "iam", &action, NULL) && g_strv_contains (read_only, action))
    {
      pw_local_iam_handle (store (), &request, &response);
      g_assert (response.status == 200 || response.status == 400 || response.status == 404);
      pw_local_response_clear (&response);
    }
  soup_message_headers_unref (request.headers);
  return 0;
}
