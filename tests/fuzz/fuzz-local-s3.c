/* fuzz-local-s3.c: S3 paths and queries as personalize-local parses them,
 * then GET and HEAD through the S3 handler of a store with a few objects
 *
 * Input: METHOD-SELECTOR-BYTE PATH '\n' QUERY
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fuzz-local-common.h"

static PwLocalS3 *
store (void)
{
  static PwLocalS3 *s3;

  if (s3 == NULL)
    {
      static const char *keys[] = { "a.csv", "folder/b.csv", "folder/c d.json", "folder/sub/e", "z%25" };
      PwLocalRequest request = { 0 };
      PwLocalResponse response = { 0 };
      g_autoptr(GError) error = NULL;

      s3 = pw_local_s3_new (fuzz_local_dir (), "us-east-1", &error);
      g_assert_no_error (error);
      request.method = "PUT";
      request.raw_path = "/fuzz-bucket";
      request.headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
      request.request_id = "fuzz";
      pw_local_s3_handle (s3, &request, &response);
      pw_local_response_clear (&response);
      soup_message_headers_unref (request.headers);
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        {
          g_autoptr(GBytes) bytes = g_bytes_new_static (keys[i], strlen (keys[i]));
          g_assert (pw_local_s3_put_object (s3, "fuzz-bucket", keys[i], bytes, NULL));
        }
    }
  return s3;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *methods[] = { "GET", "HEAD", "DELETE", "PUT", "POST" };
  g_autofree char *text = NULL;
  char *newline;
  const char *query = NULL;
  const char *method;
  g_autofree char *bucket = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) params = NULL;

  if (size == 0)
    return 0;
  method = methods[data[0] % G_N_ELEMENTS (methods)];
  text = g_strndup ((const char *) data + 1, size - 1);
  newline = strchr (text, '\n');
  if (newline != NULL)
    {
      *newline = '\0';
      query = newline + 1;
    }

  if (pw_local_s3_parse_path (text, &bucket, &key, &error))
    {
      if (bucket != NULL)
        g_assert (pw_local_s3_valid_bucket_name (bucket));
      if (key != NULL)
        g_assert (g_utf8_validate (key, -1, NULL) && strlen (key) <= PW_LOCAL_MAX_KEY_LENGTH);
    }
  else
    fuzz_local_check_error (error);
  params = pw_local_parse_query (query);
  g_assert (params != NULL);

  /* Only reads (and the bucket-level writes that fail on a full or absent
   * bucket) reach the store. */
  if (text[0] == '/' && (strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0
                         || (bucket != NULL && key == NULL && strcmp (method, "DELETE") == 0
                             && strcmp (bucket, "fuzz-bucket") == 0)))
    {
      PwLocalRequest request = { 0 };
      PwLocalResponse response = { 0 };

      request.method = method;
      request.raw_path = text;
      request.raw_query = query;
      request.headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
      request.request_id = "fuzz";
      pw_local_s3_handle (store (), &request, &response);
      g_assert (response.status >= 200 && response.status < 600);
      pw_local_response_clear (&response);
      soup_message_headers_unref (request.headers);
    }
  {
    g_autofree char *b = NULL;
    g_autofree char *k = NULL;

    if (pw_local_s3_parse_url (text, &b, &k))
      g_assert (pw_local_s3_valid_bucket_name (b) && k != NULL);
  }
  return 0;
}
