/* pw-local-s3-objects.c: S3 object operations: PutObject (streamed to a
 * temporary file by the server, or small bodies in memory), GetObject,
 * HeadObject, DeleteObject and DeleteObjects; copies are refused.
 * Multipart uploads are in pw-local-s3-multipart.c.
 *
 * Invariant: a body is checked against Content-MD5 before it is committed;
 * readers map whole files, as a PUT replaces an object by a rename.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <string.h>

#include "pw-local-s3-private.h"
#include "pw-local-store.h"

gboolean
pw_local_s3_delete_objects (PwLocalS3             *s3,
                            const char            *bucket_name,
                            const PwLocalRequest  *request,
                            PwLocalResponse       *response,
                            GError               **error)
{
  g_autoptr(PwAwsXmlNode) root = pw_local_s3_parse_xml_body (request, "Delete", error);
  const char *quiet;
  GString *xml;
  PwLocalS3Bucket *bucket;
  guint n_objects = 0;

  if (root == NULL)
    return FALSE;
  quiet = pw_aws_xml_node_child_text (root, "Quiet");
  for (guint i = 0; i < root->children->len; i++)
    if (strcmp (((PwAwsXmlNode *) root->children->pdata[i])->name, "Object") == 0)
      n_objects++;
  if (n_objects > 1000)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_MALFORMED_XML,
                   "DeleteObjects takes at most 1000 keys (%u given)", n_objects);
      return FALSE;
    }
  if ((bucket = pw_local_s3_lock_bucket (s3, bucket_name, error)) == NULL)
    return FALSE;
  xml = pw_local_s3_result_begin ("DeleteResult");
  for (guint i = 0; i < root->children->len; i++)
    {
      PwAwsXmlNode *child = root->children->pdata[i];
      const char *key;
      g_autofree char *path = NULL;
      g_autoptr(GError) local_error = NULL;

      if (strcmp (child->name, "Object") != 0)
        continue;
      key = pw_aws_xml_node_child_text (child, "Key");
      if (key == NULL || *key == '\0' || strlen (key) > PW_LOCAL_MAX_KEY_LENGTH)
        {
          g_string_append (xml, "<Error>");
          pw_local_xml_append_element (xml, "Key", key != NULL ? key : "");
          g_string_append (xml, "<Code>InvalidArgument</Code><Message>A key of 1 to 1024 bytes is required</Message></Error>");
          continue;
        }
      if (g_tree_lookup (bucket->objects, key) != NULL)
        {
          path = pw_local_s3_object_path (bucket, key, &local_error);
          if (path == NULL || !pw_local_store_remove (path, &local_error))
            {
              g_string_append (xml, "<Error>");
              pw_local_xml_append_element (xml, "Key", key);
              g_string_append (xml, "<Code>InternalError</Code>");
              pw_local_xml_append_element (xml, "Message", local_error->message);
              g_string_append (xml, "</Error>");
              continue;
            }
          g_tree_remove (bucket->objects, key);
        }
      if (g_strcmp0 (quiet, "true") != 0)
        {
          g_string_append (xml, "<Deleted>");
          pw_local_xml_append_element (xml, "Key", key);
          g_string_append (xml, "</Deleted>");
        }
    }
  g_mutex_unlock (&s3->lock);
  pw_local_s3_result_end (response, xml, "DeleteResult");
  return TRUE;
}

static void
add_object_headers (PwLocalResponse *response,
                    PwLocalS3Object        *o)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((gint64) o->mtime);
  g_autofree char *date = g_date_time_format (dt, "%a, %d %b %Y %H:%M:%S GMT");

  pw_local_s3_add_etag_header (response, o->etag);
  pw_local_response_add_header (response, "Last-Modified", date);
  pw_local_response_add_header (response, "Accept-Ranges", "bytes");
}

gboolean
pw_local_s3_handle_object (PwLocalS3             *s3,
                           const char            *bucket_name,
                           const char            *key,
                           GHashTable            *query,
                           const PwLocalRequest  *request,
                           PwLocalResponse       *response,
                           GError               **error)
{
  const char *method = request->method;
  PwLocalS3Bucket *bucket;
  PwLocalS3Object *o;

  if (soup_message_headers_get_one (request->headers, "x-amz-copy-source") != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_NOT_IMPLEMENTED,
                   "Copies are not implemented by personalize-local; download and upload the object");
      return FALSE;
    }
  if ((strcmp (method, "POST") == 0 && g_hash_table_contains (query, "uploads"))
      || g_hash_table_contains (query, "uploadId"))
    return pw_local_s3_handle_upload (s3, bucket_name, key, query, request, response, error);
  if (strcmp (method, "PUT") == 0)
    {
      g_autofree char *md5_hex = NULL;

      if (request->body_file != NULL)
        {
          if (!pw_local_s3_check_content_md5 (request, request->body_md5, error))
            return FALSE;
          md5_hex = pw_local_s3_digest_hex (request->body_md5);
          if (!pw_local_s3_commit_object (s3, bucket_name, key, request->body_file, md5_hex, request->body_size, error))
            return FALSE;
        }
      else
        {
          gsize size;
          const char *data = pw_local_s3_request_body (request, &size);

          if (!pw_local_s3_check_body_md5 (request, data, size, &md5_hex, error)
              || !pw_local_s3_store_object (s3, bucket_name, key, data, size, md5_hex, error))
            return FALSE;
        }
      pw_local_response_set (response, 200, NULL, NULL);
      pw_local_s3_add_etag_header (response, md5_hex);
      return TRUE;
    }

  if ((bucket = pw_local_s3_lock_bucket (s3, bucket_name, error)) == NULL)
    return FALSE;
  o = g_tree_lookup (bucket->objects, key);
  if (strcmp (method, "DELETE") == 0)
    {
      if (o != NULL)
        {
          g_autofree char *path = pw_local_s3_object_path (bucket, key, NULL);

          if (path != NULL && !pw_local_store_remove (path, error))
            {
              g_mutex_unlock (&s3->lock);
              return FALSE;
            }
          g_tree_remove (bucket->objects, key);
        }
      g_mutex_unlock (&s3->lock);
      pw_local_response_set (response, 204, NULL, NULL);
      return TRUE;
    }
  if (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0)
    {
      g_mutex_unlock (&s3->lock);
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_METHOD_NOT_ALLOWED,
                   "The specified method is not allowed against this resource: %s on an object", method);
      return FALSE;
    }
  if (o == NULL)
    {
      g_mutex_unlock (&s3->lock);
      return pw_local_s3_no_key (error, bucket_name, key);
    }
  add_object_headers (response, o);
  if (strcmp (method, "HEAD") == 0)
    {
      g_autofree char *length = g_strdup_printf ("%" G_GINT64_FORMAT, o->size);

      g_mutex_unlock (&s3->lock);
      pw_local_response_set (response, 200, "binary/octet-stream", NULL);
      pw_local_response_add_header (response, "Content-Length", length);
      return TRUE;
    }
  else
    {
      g_autofree char *path = pw_local_s3_object_path (bucket, key, error);
      g_autoptr(GMappedFile) map = path != NULL ? g_mapped_file_new (path, FALSE, error) : NULL;
      g_autoptr(GBytes) bytes = NULL;

      g_mutex_unlock (&s3->lock);
      if (map == NULL)
        return FALSE;
      bytes = g_mapped_file_get_bytes (map);
      pw_local_response_set (response, 200, "binary/octet-stream", bytes);
      return TRUE;
    }
}
