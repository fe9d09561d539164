/* pw-local-s3-multipart.c: S3 multipart uploads (what `aws s3 cp` and
 * boto3's upload_file use above 8 MB): CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload and AbortMultipartUpload, under
 * DATA_DIR/s3/.uploads/ID/: meta.json (bucket and key), part-NNNNN.
 *
 * Invariants: an upload ID is 32 hex digits and names its bucket and key
 * in meta.json (anything else is NoSuchUpload); Complete concatenates the
 * parts into a temporary file, syncs it and commits it as one object, so
 * the object appears whole or not at all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "pw-archive.h"
#include "pw-local-s3-private.h"
#include "pw-local-store.h"

static char *
upload_dir (PwLocalS3   *s3,
            const char  *upload_id,
            const char  *bucket_name,
            const char  *key,
            GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *meta_path = NULL;
  g_autoptr(JsonNode) meta = NULL;
  JsonObject *obj;

  for (const char *p = upload_id; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      goto missing;
  if (strlen (upload_id) != 32)
    goto missing;
  dir = g_build_filename (s3->uploads, upload_id, NULL);
  meta_path = g_build_filename (dir, "meta.json", NULL);
  meta = pw_local_store_read_json (meta_path, NULL);
  if (meta == NULL)
    goto missing;
  obj = json_node_get_object (meta);
  if (g_strcmp0 (json_object_get_string_member_with_default (obj, "bucket", NULL), bucket_name) != 0
      || g_strcmp0 (json_object_get_string_member_with_default (obj, "key", NULL), key) != 0)
    goto missing;
  return g_steal_pointer (&dir);

missing:
  g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_NO_SUCH_UPLOAD,
               "The specified multipart upload does not exist for s3://%s/%s", bucket_name, key);
  return NULL;
}

static char *
part_path (const char *dir,
           guint       number)
{
  g_autofree char *name = g_strdup_printf ("part-%05u", number);

  return g_build_filename (dir, name, NULL);
}

static gboolean
create_upload (PwLocalS3        *s3,
               const char       *bucket_name,
               const char       *key,
               PwLocalResponse  *response,
               GError          **error)
{
  g_autofree char *id = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *meta_path = NULL;
  g_autoptr(JsonObject) meta = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  GString *xml;

  if (!pw_local_s3_bucket_exists (s3, bucket_name))
    return pw_local_s3_no_bucket (error, bucket_name);
  if (!pw_local_s3_check_key_fits (key, error))
    return FALSE;
  id = g_strdup_printf ("%08x%08x%08x%08x", g_random_int (), g_random_int (), g_random_int (), g_random_int ());
  dir = g_build_filename (s3->uploads, id, NULL);
  meta_path = g_build_filename (dir, "meta.json", NULL);
  json_object_set_string_member (meta, "bucket", bucket_name);
  json_object_set_string_member (meta, "key", key);
  node = json_node_init_object (json_node_alloc (), meta);
  if (!pw_local_store_write_json (meta_path, node, error))
    return FALSE;
  xml = pw_local_s3_result_begin ("InitiateMultipartUploadResult");
  pw_local_xml_append_element (xml, "Bucket", bucket_name);
  pw_local_xml_append_element (xml, "Key", key);
  pw_local_xml_append_element (xml, "UploadId", id);
  pw_local_s3_result_end (response, xml, "InitiateMultipartUploadResult");
  return TRUE;
}

/* @dir: the upload's folder (upload_dir ()) */
static gboolean
upload_part (const char            *dir,
             GHashTable            *query,
             const PwLocalRequest  *request,
             PwLocalResponse       *response,
             GError               **error)
{
  const char *number_text = g_hash_table_lookup (query, "partNumber");
  g_autofree char *path = NULL;
  g_autofree char *etag = NULL;
  char *end = NULL;
  guint64 number;

  number = number_text != NULL ? g_ascii_strtoull (number_text, &end, 10) : 0;
  if (number_text == NULL || end == number_text || *end != '\0' || number < 1 || number > 10000)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_ARGUMENT,
                   "Part number must be an integer between 1 and 10000, inclusive");
      return FALSE;
    }
  if (request->body_file == NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_REQUEST, "An upload part needs a body");
      return FALSE;
    }
  if (!pw_local_s3_check_content_md5 (request, request->body_md5, error))
    return FALSE;
  path = part_path (dir, (guint) number);
  if (!pw_local_store_rename (request->body_file, path, error))
    return FALSE;
  etag = pw_local_s3_digest_hex (request->body_md5);
  pw_local_response_set (response, 200, NULL, NULL);
  pw_local_s3_add_etag_header (response, etag);
  return TRUE;
}

/* @dir: the upload's folder (upload_dir ()) */
static gboolean
complete_upload (PwLocalS3             *s3,
                 const char            *dir,
                 const char            *bucket_name,
                 const char            *key,
                 const PwLocalRequest  *request,
                 PwLocalResponse       *response,
                 GError               **error)
{
  g_autoptr(PwAwsXmlNode) root = NULL;
  g_autofree char *temp = NULL;
  g_autoptr(GChecksum) etags = g_checksum_new (G_CHECKSUM_MD5);
  g_autofree char *etag = NULL;
  GOutputStream *out = NULL;
  g_autoptr(GFile) file = NULL;
  guint n_parts = 0;
  guint last = 0;
  gint64 size = 0;
  GString *xml;

  if ((root = pw_local_s3_parse_xml_body (request, "CompleteMultipartUpload", error)) == NULL)
    return FALSE;
  temp = pw_local_s3_temp_path (s3);
  file = g_file_new_for_path (temp);
  out = G_OUTPUT_STREAM (g_file_create (file, G_FILE_CREATE_PRIVATE, NULL, error));
  if (out == NULL)
    return FALSE;
  for (guint i = 0; i < root->children->len; i++)
    {
      PwAwsXmlNode *part = root->children->pdata[i];
      const char *number_text;
      g_autofree char *path = NULL;
      g_autoptr(GMappedFile) map = NULL;
      g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_MD5);
      guint8 digest[16];
      gsize dlen = sizeof digest;
      guint number;

      if (strcmp (part->name, "Part") != 0)
        continue;
      number_text = pw_aws_xml_node_child_text (part, "PartNumber");
      number = number_text != NULL ? (guint) g_ascii_strtoull (number_text, NULL, 10) : 0;
      if (number < 1 || number > 10000 || number <= last)
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_PART_ORDER,
                       "The list of parts was not in ascending order (part %s)", number_text ? number_text : "?");
          goto fail;
        }
      last = number;
      path = part_path (dir, number);
      map = g_mapped_file_new (path, FALSE, NULL);
      if (map == NULL)
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_PART,
                       "One or more of the specified parts could not be found: part %u was never uploaded", number);
          goto fail;
        }
      g_checksum_update (sum, (const guchar *) g_mapped_file_get_contents (map), g_mapped_file_get_length (map));
      g_checksum_get_digest (sum, digest, &dlen);
      g_checksum_update (etags, digest, dlen);
      if (g_mapped_file_get_length (map) > 0
          && !g_output_stream_write_all (out, g_mapped_file_get_contents (map), g_mapped_file_get_length (map),
                                         NULL, NULL, error))
        goto fail;
      size += g_mapped_file_get_length (map);
      n_parts++;
    }
  if (n_parts == 0)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_MALFORMED_XML,
                   "You must specify at least one part");
      goto fail;
    }
  if (!g_output_stream_close (out, NULL, error))
    goto fail;
  g_clear_object (&out);
  {
    int fd = open (temp, O_RDONLY);

    if (fd >= 0)
      {
        fsync (fd);
        close (fd);
      }
  }
  etag = g_strdup_printf ("%s-%u", g_checksum_get_string (etags), n_parts);
  if (!pw_local_s3_commit_object (s3, bucket_name, key, temp, etag, size, error))
    goto fail;
  pw_remove_tree (dir);
  xml = pw_local_s3_result_begin ("CompleteMultipartUploadResult");
  {
    g_autofree char *location = g_strdup_printf ("/%s/%s", bucket_name, key);
    g_autofree char *quoted = g_strdup_printf ("\"%s\"", etag);

    pw_local_xml_append_element (xml, "Location", location);
    pw_local_xml_append_element (xml, "Bucket", bucket_name);
    pw_local_xml_append_element (xml, "Key", key);
    pw_local_xml_append_element (xml, "ETag", quoted);
  }
  pw_local_s3_result_end (response, xml, "CompleteMultipartUploadResult");
  return TRUE;

fail:
  g_clear_object (&out);
  g_unlink (temp);
  return FALSE;
}

gboolean
pw_local_s3_handle_upload (PwLocalS3             *s3,
                           const char            *bucket_name,
                           const char            *key,
                           GHashTable            *query,
                           const PwLocalRequest  *request,
                           PwLocalResponse       *response,
                           GError               **error)
{
  const char *method = request->method;
  g_autofree char *dir = NULL;

  if (!g_hash_table_contains (query, "uploadId"))
    return create_upload (s3, bucket_name, key, response, error);
  if (strcmp (method, "PUT") != 0 && strcmp (method, "POST") != 0 && strcmp (method, "DELETE") != 0)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_NOT_IMPLEMENTED,
                   "ListParts is not implemented by personalize-local");
      return FALSE;
    }
  dir = upload_dir (s3, g_hash_table_lookup (query, "uploadId"), bucket_name, key, error);
  if (dir == NULL)
    return FALSE;
  if (strcmp (method, "PUT") == 0)
    return upload_part (dir, query, request, response, error);
  if (strcmp (method, "POST") == 0)
    return complete_upload (s3, dir, bucket_name, key, request, response, error);
  /* AbortMultipartUpload */
  pw_remove_tree (dir);
  pw_local_response_set (response, 204, NULL, NULL);
  return TRUE;
}
