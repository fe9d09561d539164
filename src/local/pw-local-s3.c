/* pw-local-s3.c: the S3 subset of the workshop, path-style: the front
 * door. Parses the request path (bucket names, keys), dispatches to the
 * bucket, object and multipart operations, and holds what their answers
 * share: XML documents, ETags, Content-MD5 checks and XML bodies.
 *
 * The files of S3 (one private header, pw-local-s3-private.h):
 *   pw-local-s3.c            paths, dispatch, answers, body checks
 *   pw-local-s3-store.c      the on-disk store: buckets, objects, keys
 *   pw-local-s3-buckets.c    bucket operations (create, policy, delete)
 *   pw-local-s3-list.c       ListBuckets, ListObjects(V2), list_keys
 *   pw-local-s3-objects.c    object operations (put, get, head, delete)
 *   pw-local-s3-multipart.c  multipart uploads
 *
 * Invariant: every answer either fills @response or sets the GError; the
 * handler here turns the error into the S3 XML error document.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <string.h>

#include "pw-local-s3-private.h"

/* Bucket names: 3-63 of [a-z0-9.-], starting and ending alphanumeric, no
 * "..", not an IP address. */
gboolean
pw_local_s3_valid_bucket_name (const char *name)
{
  gsize len = strlen (name);
  guint dots = 0;
  gboolean all_digits_and_dots = TRUE;

  if (len < 3 || len > 63)
    return FALSE;
  if (!g_ascii_isalnum (name[0]) || !g_ascii_isalnum (name[len - 1]))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char c = name[i];

      if (!(g_ascii_islower (c) || g_ascii_isdigit (c) || c == '.' || c == '-'))
        return FALSE;
      if (c == '.' && name[i + 1] == '.')
        return FALSE;
      if (c == '.')
        dots++;
      else if (!g_ascii_isdigit (c))
        all_digits_and_dots = FALSE;
    }
  return !(all_digits_and_dots && dots == 3);
}

/**
 * pw_local_s3_parse_path:
 * @raw_path: the request path as received, e.g. `/bucket/a%20key`
 *
 * Splits a path-style S3 path into the bucket (%NULL for `/`) and the
 * decoded key (%NULL when the path names only the bucket).
 */
gboolean
pw_local_s3_parse_path (const char  *raw_path,
                        char       **bucket,
                        char       **key,
                        GError     **error)
{
  const char *p;
  const char *slash;
  g_autofree char *b = NULL;
  g_autofree char *k = NULL;

  *bucket = NULL;
  *key = NULL;
  if (raw_path == NULL || raw_path[0] != '/')
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_REQUEST,
                   "The request path must start with '/'");
      return FALSE;
    }
  p = raw_path + 1;
  if (*p == '\0')
    return TRUE;
  slash = strchr (p, '/');
  b = g_uri_unescape_segment (p, slash, NULL);
  if (b == NULL || !pw_local_s3_valid_bucket_name (b))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_BUCKET_NAME,
                   "The specified bucket is not valid: bucket names have 3 to 63 "
                   "characters a-z, 0-9, '.' and '-', and start and end with a letter or digit");
      return FALSE;
    }
  if (slash != NULL && slash[1] != '\0')
    {
      k = g_uri_unescape_string (slash + 1, NULL);
      if (k == NULL || !g_utf8_validate (k, -1, NULL))
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_ARGUMENT,
                       "Object keys must be UTF-8 without NUL bytes");
          return FALSE;
        }
      if (strlen (k) > PW_LOCAL_MAX_KEY_LENGTH)
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_KEY_TOO_LONG,
                       "Your key is too long: at most %d bytes", PW_LOCAL_MAX_KEY_LENGTH);
          return FALSE;
        }
    }
  *bucket = g_steal_pointer (&b);
  *key = g_steal_pointer (&k);
  return TRUE;
}

/* s3://bucket/key (the key may be empty or end with '/'). */
gboolean
pw_local_s3_parse_url (const char  *url,
                       char       **bucket,
                       char       **key)
{
  const char *p;
  const char *slash;

  *bucket = NULL;
  *key = NULL;
  if (url == NULL || !g_str_has_prefix (url, "s3://"))
    return FALSE;
  p = url + 5;
  slash = strchr (p, '/');
  *bucket = slash != NULL ? g_strndup (p, slash - p) : g_strdup (p);
  *key = g_strdup (slash != NULL ? slash + 1 : "");
  if (!pw_local_s3_valid_bucket_name (*bucket))
    {
      g_clear_pointer (bucket, g_free);
      g_clear_pointer (key, g_free);
      return FALSE;
    }
  return TRUE;
}

void
pw_local_s3_set_xml (PwLocalResponse *response,
                     guint            status,
                     GString         *xml)
{
  g_autoptr(GBytes) bytes = NULL;

  g_string_prepend (xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  bytes = g_bytes_new_take (xml->str, xml->len);
  g_string_free (xml, FALSE);
  pw_local_response_set (response, status, "application/xml", bytes);
}

/* A result document: <@root xmlns="..."> ... */
GString *
pw_local_s3_result_begin (const char *root)
{
  GString *xml = g_string_new (NULL);

  g_string_append_printf (xml, "<%s xmlns=\"%s\">", root, PW_LOCAL_S3_XMLNS);
  return xml;
}

/* ... </@root>, sent as a 200 response. */
void
pw_local_s3_result_end (PwLocalResponse *response,
                        GString         *xml,
                        const char      *root)
{
  g_string_append_printf (xml, "</%s>", root);
  pw_local_s3_set_xml (response, 200, xml);
}

const char *
pw_local_s3_request_body (const PwLocalRequest *request,
                          gsize                *size)
{
  *size = 0;
  return request->body != NULL ? g_bytes_get_data (request->body, size) : "";
}

char *
pw_local_s3_digest_hex (const guint8 *digest)
{
  GString *hex = g_string_new (NULL);

  for (guint i = 0; i < 16; i++)
    g_string_append_printf (hex, "%02x", digest[i]);
  return g_string_free (hex, FALSE);
}

void
pw_local_s3_add_etag_header (PwLocalResponse *response,
                             const char      *etag)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", etag);

  pw_local_response_add_header (response, "ETag", quoted);
}

gboolean
pw_local_s3_malformed_xml (GError **error)
{
  g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_MALFORMED_XML,
               "The XML you provided was not well-formed or did not validate against our published schema");
  return FALSE;
}

gboolean
pw_local_s3_check_content_md5 (const PwLocalRequest  *request,
                               const guint8          *digest,
                               GError               **error)
{
  const char *header = soup_message_headers_get_one (request->headers, "Content-MD5");
  gsize len = 0;
  g_autofree guchar *given = NULL;

  if (header == NULL)
    return TRUE;
  given = g_base64_decode (header, &len);
  if (len != 16)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_ARGUMENT,
                   "The Content-MD5 you specified is not valid: base64 of 16 bytes expected");
      return FALSE;
    }
  if (memcmp (given, digest, 16) != 0)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_BAD_DIGEST,
                   "The Content-MD5 you specified did not match what we received");
      return FALSE;
    }
  return TRUE;
}

/* Checks @data against the request's Content-MD5 (if any); @md5_hex (if
 * not %NULL) receives the hex MD5 of @data. */
gboolean
pw_local_s3_check_body_md5 (const PwLocalRequest  *request,
                            gconstpointer          data,
                            gsize                  size,
                            char                 **md5_hex,
                            GError               **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_MD5);
  guint8 digest[16];
  gsize dlen = sizeof digest;

  g_checksum_update (sum, data, size);
  g_checksum_get_digest (sum, digest, &dlen);
  if (!pw_local_s3_check_content_md5 (request, digest, error))
    return FALSE;
  if (md5_hex != NULL)
    *md5_hex = pw_local_s3_digest_hex (digest);
  return TRUE;
}

/* A cheap guard before building a tree: no deeper than @max elements. */
static gboolean
xml_depth_ok (const char *data,
              gsize       length,
              guint       max)
{
  guint depth = 0;

  for (gsize i = 0; i + 1 < length; i++)
    {
      if (data[i] != '<')
        continue;
      if (data[i + 1] == '/')
        {
          if (depth > 0)
            depth--;
        }
      else if (data[i + 1] != '?' && data[i + 1] != '!')
        {
          const char *end = memchr (data + i, '>', length - i);

          if (end == NULL)
            return TRUE; /* the parser reports it */
          if (end[-1] != '/' && ++depth > max)
            return FALSE;
        }
    }
  return TRUE;
}

PwAwsXmlNode *
pw_local_s3_parse_xml_body (const PwLocalRequest  *request,
                            const char            *root_name,
                            GError               **error)
{
  gsize size;
  const char *data = pw_local_s3_request_body (request, &size);
  PwAwsXmlNode *root;

  if (size == 0 || !xml_depth_ok (data, size, 8) || !g_utf8_validate (data, size, NULL)
      || (root = pw_aws_xml_parse (data, size, NULL)) == NULL)
    {
      pw_local_s3_malformed_xml (error);
      return NULL;
    }
  if (g_strcmp0 (root->name, root_name) != 0)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_MALFORMED_XML,
                   "The XML body must be a <%s> element", root_name);
      pw_aws_xml_node_free (root);
      return NULL;
    }
  return root;
}

void
pw_local_s3_handle (PwLocalS3            *s3,
                    const PwLocalRequest *request,
                    PwLocalResponse      *response)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bucket = NULL;
  g_autofree char *key = NULL;
  g_autofree char *resource = NULL;
  g_autoptr(GHashTable) query = pw_local_parse_query (request->raw_query);
  gboolean ok;

  if (!pw_local_s3_parse_path (request->raw_path, &bucket, &key, &error))
    ok = FALSE;
  else if (bucket == NULL)
    {
      if (strcmp (request->method, "GET") == 0)
        {
          g_mutex_lock (&s3->lock);
          pw_local_s3_list_buckets (s3, response);
          g_mutex_unlock (&s3->lock);
          ok = TRUE;
        }
      else
        {
          g_set_error (error == NULL ? &error : NULL, PW_LOCAL_ERROR, PW_LOCAL_ERROR_METHOD_NOT_ALLOWED,
                       "The specified method is not allowed against the service: %s /", request->method);
          ok = FALSE;
        }
    }
  else if (key == NULL)
    ok = pw_local_s3_handle_bucket (s3, bucket, query, request, response, &error);
  else
    ok = pw_local_s3_handle_object (s3, bucket, key, query, request, response, &error);

  if (!ok)
    {
      pw_local_response_clear (response);
      pw_local_response_set_error (response, PW_LOCAL_PROTOCOL_S3, request->request_id, resource, error);
    }
}
