/* pw-local-s3-buckets.c: S3 bucket operations: CreateBucket,
 * HeadBucket, GetBucketLocation, Put/Get/DeleteBucketPolicy and
 * DeleteBucket; a GET on a bucket lists it (pw-local-s3-list.c) and a
 * POST ?delete deletes objects (pw-local-s3-objects.c).
 *
 * Invariant: bucket.json is written before a bucket enters s3->buckets
 * and removed first when it goes, so a folder without it is not a bucket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "pw-local-s3-private.h"
#include "pw-local-store.h"

static gboolean
create_bucket (PwLocalS3             *s3,
               const char            *name,
               const PwLocalRequest  *request,
               GError               **error)
{
  PwLocalS3Bucket *bucket;
  gsize size;
  const char *body = pw_local_s3_request_body (request, &size);

  if (size > 0)
    {
      g_autofree char *text = g_strndup (body, size);
      const char *open = strstr (text, "<LocationConstraint>");
      const char *close = strstr (text, "</LocationConstraint>");

      if (strstr (text, "CreateBucketConfiguration") == NULL)
        return pw_local_s3_malformed_xml (error);
      if (open != NULL && close != NULL && close > open)
        {
          g_autofree char *constraint = g_strndup (open + 20, close - open - 20);

          if (strcmp (constraint, s3->region) != 0)
            {
              g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_ARGUMENT,
                           "The location constraint %s is not this server's region %s "
                           "(start personalize-local with --region %s, or create the bucket in %s)",
                           constraint, s3->region, constraint, s3->region);
              return FALSE;
            }
        }
    }
  g_mutex_lock (&s3->lock);
  if (g_hash_table_contains (s3->buckets, name))
    {
      g_mutex_unlock (&s3->lock);
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_BUCKET_ALREADY_OWNED_BY_YOU,
                   "Your previous request to create the named bucket succeeded and you already own it: %s", name);
      return FALSE;
    }
  bucket = pw_local_s3_bucket_new (s3, name);
  bucket->created = pw_local_now ();
  if (!pw_local_store_mkdir (bucket->dir, error) || !pw_local_s3_save_bucket (bucket, error))
    {
      g_mutex_unlock (&s3->lock);
      pw_local_s3_bucket_free (bucket);
      return FALSE;
    }
  g_hash_table_insert (s3->buckets, bucket->name, bucket);
  g_mutex_unlock (&s3->lock);
  return TRUE;
}

static gboolean
put_bucket_policy (PwLocalS3             *s3,
                   const char            *name,
                   const PwLocalRequest  *request,
                   GError               **error)
{
  gsize size;
  const char *body = pw_local_s3_request_body (request, &size);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  PwLocalS3Bucket *bucket;
  g_autofree char *old = NULL;

  if (!pw_local_s3_check_body_md5 (request, body, size, NULL, error))
    return FALSE;
  if (size > 20 * 1024 || !json_parser_load_from_data (parser, body, size, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "Statement"))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_MALFORMED_POLICY,
                   "Policies must be valid JSON objects of at most 20 KB with a \"Statement\"");
      return FALSE;
    }
  if ((bucket = pw_local_s3_lock_bucket (s3, name, error)) == NULL)
    return FALSE;
  old = bucket->policy;
  bucket->policy = g_strndup (body, size);
  if (!pw_local_s3_save_bucket (bucket, error))
    {
      g_free (bucket->policy);
      bucket->policy = g_steal_pointer (&old);
      g_mutex_unlock (&s3->lock);
      return FALSE;
    }
  g_mutex_unlock (&s3->lock);
  return TRUE;
}

gboolean
pw_local_s3_handle_bucket (PwLocalS3             *s3,
                           const char            *name,
                           GHashTable            *query,
                           const PwLocalRequest  *request,
                           PwLocalResponse       *response,
                           GError               **error)
{
  const char *method = request->method;
  PwLocalS3Bucket *bucket;

  if (g_hash_table_contains (query, "policy"))
    {
      if (strcmp (method, "PUT") == 0)
        {
          if (!put_bucket_policy (s3, name, request, error))
            return FALSE;
          pw_local_response_set (response, 204, NULL, NULL);
          return TRUE;
        }
      if ((bucket = pw_local_s3_lock_bucket (s3, name, error)) == NULL)
        return FALSE;
      if (strcmp (method, "GET") == 0)
        {
          if (bucket->policy == NULL)
            {
              g_mutex_unlock (&s3->lock);
              g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_NO_SUCH_BUCKET_POLICY,
                           "The bucket policy does not exist: %s", name);
              return FALSE;
            }
          pw_local_response_set_text (response, 200, "application/json", bucket->policy);
          g_mutex_unlock (&s3->lock);
          return TRUE;
        }
      if (strcmp (method, "DELETE") == 0)
        {
          g_clear_pointer (&bucket->policy, g_free);
          if (!pw_local_s3_save_bucket (bucket, error))
            {
              g_mutex_unlock (&s3->lock);
              return FALSE;
            }
          g_mutex_unlock (&s3->lock);
          pw_local_response_set (response, 204, NULL, NULL);
          return TRUE;
        }
      g_mutex_unlock (&s3->lock);
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_METHOD_NOT_ALLOWED,
                   "The specified method is not allowed against this resource: %s ?policy", method);
      return FALSE;
    }

  if (strcmp (method, "POST") == 0 && g_hash_table_contains (query, "delete"))
    return pw_local_s3_delete_objects (s3, name, request, response, error);
  if (strcmp (method, "PUT") == 0)
    {
      if (g_hash_table_size (query) > 0)
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_NOT_IMPLEMENTED,
                       "This bucket operation is not implemented by personalize-local "
                       "(it serves CreateBucket, PutBucketPolicy, ListObjectsV2, DeleteBucket)");
          return FALSE;
        }
      if (!create_bucket (s3, name, request, error))
        return FALSE;
      pw_local_response_set (response, 200, NULL, NULL);
      {
        g_autofree char *location = g_strdup_printf ("/%s", name);
        pw_local_response_add_header (response, "Location", location);
      }
      return TRUE;
    }

  if ((bucket = pw_local_s3_lock_bucket (s3, name, error)) == NULL)
    return FALSE;
  if (strcmp (method, "HEAD") == 0)
    {
      g_mutex_unlock (&s3->lock);
      pw_local_response_set (response, 200, NULL, NULL);
      pw_local_response_add_header (response, "x-amz-bucket-region", s3->region);
      return TRUE;
    }
  if (strcmp (method, "GET") == 0)
    {
      if (g_hash_table_contains (query, "location"))
        {
          GString *xml = g_string_new (NULL);

          g_string_append_printf (xml, "<LocationConstraint xmlns=\"%s\">%s</LocationConstraint>",
                                  PW_LOCAL_S3_XMLNS, strcmp (s3->region, "us-east-1") == 0 ? "" : s3->region);
          g_mutex_unlock (&s3->lock);
          pw_local_s3_set_xml (response, 200, xml);
          return TRUE;
        }
      pw_local_s3_list_objects (s3, bucket, query, response);
      g_mutex_unlock (&s3->lock);
      return TRUE;
    }
  if (strcmp (method, "DELETE") == 0)
    {
      g_autofree char *json = g_build_filename (bucket->dir, "bucket.json", NULL);
      g_autofree char *objects = g_build_filename (bucket->dir, "objects", NULL);

      if (g_tree_nnodes (bucket->objects) > 0)
        {
          g_mutex_unlock (&s3->lock);
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_BUCKET_NOT_EMPTY,
                       "The bucket you tried to delete is not empty: %s has %d objects",
                       name, g_tree_nnodes (bucket->objects));
          return FALSE;
        }
      /* bucket.json goes first: without it the folder is not a bucket. */
      if (!pw_local_store_remove (json, error))
        {
          g_mutex_unlock (&s3->lock);
          return FALSE;
        }
      g_rmdir (objects);
      g_rmdir (bucket->dir);
      g_hash_table_remove (s3->buckets, name);
      g_mutex_unlock (&s3->lock);
      pw_local_response_set (response, 204, NULL, NULL);
      return TRUE;
    }
  g_mutex_unlock (&s3->lock);
  g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_NOT_IMPLEMENTED,
               "%s on a bucket is not implemented by personalize-local", method);
  return FALSE;
}
