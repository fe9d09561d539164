/* pw-local-s3-store.c: S3's on-disk store and its in-memory index
 *
 * Layout under DATA_DIR/s3: BUCKET/bucket.json (creation date, policy) and
 * BUCKET/objects/ESCAPED-KEY (the object's bytes; keys are escaped by
 * pw_local_store_escape () and must fit in a file name,
 * PW_LOCAL_S3_MAX_ESCAPED_KEY). Uploads arrive in DATA_DIR/s3/.incoming
 * and are renamed into place once complete and verified, so an object is
 * either there whole or not at all; on start, leftovers of .incoming and
 * folders without bucket.json are not buckets.
 *
 * Invariants: s3->buckets and each bucket's objects tree mirror the disk
 * and change only under s3->lock; a file is renamed into place before the
 * index names it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "pw-local-s3-private.h"
#include "pw-local-store.h"

void
pw_local_s3_object_free (gpointer data)
{
  PwLocalS3Object *obj = data;

  g_free (obj->key);
  g_free (obj->etag);
  g_free (obj);
}

void
pw_local_s3_bucket_free (gpointer data)
{
  PwLocalS3Bucket *bucket = data;

  g_free (bucket->name);
  g_free (bucket->dir);
  g_free (bucket->policy);
  g_tree_unref (bucket->objects);
  g_free (bucket);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  return strcmp (a, b);
}

PwLocalS3Bucket *
pw_local_s3_bucket_new (PwLocalS3  *s3,
                        const char *name)
{
  PwLocalS3Bucket *bucket = g_new0 (PwLocalS3Bucket, 1);

  bucket->name = g_strdup (name);
  bucket->dir = g_build_filename (s3->root, name, NULL);
  bucket->objects = g_tree_new_full (compare_keys, NULL, NULL, pw_local_s3_object_free);
  return bucket;
}

static char *
file_md5 (const char *path,
          gint64     *size)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_MD5);
  g_autoptr(GMappedFile) map = g_mapped_file_new (path, FALSE, NULL);

  if (map == NULL)
    return NULL;
  g_checksum_update (sum, (const guchar *) g_mapped_file_get_contents (map),
                     g_mapped_file_get_length (map));
  *size = g_mapped_file_get_length (map);
  return g_strdup (g_checksum_get_string (sum));
}

gboolean
pw_local_s3_save_bucket (PwLocalS3Bucket  *bucket,
                         GError          **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = g_build_filename (bucket->dir, "bucket.json", NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, bucket->name);
  json_builder_set_member_name (b, "created");
  json_builder_add_double_value (b, bucket->created);
  if (bucket->policy != NULL)
    {
      json_builder_set_member_name (b, "policy");
      json_builder_add_string_value (b, bucket->policy);
    }
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  return pw_local_store_write_json (path, node, error);
}

static void
load_bucket (PwLocalS3  *s3,
             const char *name)
{
  g_autofree char *json_path = g_build_filename (s3->root, name, "bucket.json", NULL);
  g_autofree char *objects_dir = g_build_filename (s3->root, name, "objects", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = pw_local_store_read_json (json_path, &error);
  g_autoptr(GDir) dir = NULL;
  JsonObject *obj;
  PwLocalS3Bucket *bucket;
  const char *file;

  if (node == NULL)
    {
      /* A folder without bucket.json is a CreateBucket that never finished. */
      return;
    }
  obj = json_node_get_object (node);
  bucket = pw_local_s3_bucket_new (s3, name);
  bucket->created = json_object_get_double_member_with_default (obj, "created", pw_local_now ());
  bucket->policy = g_strdup (json_object_get_string_member_with_default (obj, "policy", NULL));
  g_hash_table_insert (s3->buckets, bucket->name, bucket);

  dir = g_dir_open (objects_dir, 0, NULL);
  while (dir != NULL && (file = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (objects_dir, file, NULL);
      PwLocalS3Object *o;
      GStatBuf sb;

      if (strstr (file, ".tmp-") != NULL)
        {
          g_unlink (path);
          continue;
        }
      if (g_stat (path, &sb) != 0)
        continue;
      o = g_new0 (PwLocalS3Object, 1);
      o->key = pw_local_store_unescape (file);
      o->etag = file_md5 (path, &o->size);
      o->mtime = (double) sb.st_mtime;
      if (o->etag == NULL)
        {
          pw_local_s3_object_free (o);
          continue;
        }
      g_tree_replace (bucket->objects, o->key, o);
    }
}

PwLocalS3 *
pw_local_s3_new (const char  *data_dir,
                 const char  *region,
                 GError     **error)
{
  PwLocalS3 *s3 = g_new0 (PwLocalS3, 1);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_mutex_init (&s3->lock);
  s3->root = g_build_filename (data_dir, "s3", NULL);
  s3->incoming = g_build_filename (s3->root, ".incoming", NULL);
  s3->uploads = g_build_filename (s3->root, ".uploads", NULL);
  s3->region = g_strdup (region);
  s3->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, pw_local_s3_bucket_free);
  if (!pw_local_store_mkdir (s3->incoming, error) || !pw_local_store_mkdir (s3->uploads, error))
    {
      pw_local_s3_free (s3);
      return NULL;
    }
  /* Uploads that never completed. */
  dir = g_dir_open (s3->incoming, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (s3->incoming, name, NULL);
      g_unlink (path);
    }
  g_clear_pointer (&dir, g_dir_close);
  dir = g_dir_open (s3->root, 0, error);
  if (dir == NULL)
    {
      pw_local_s3_free (s3);
      return NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (*name != '.')
      load_bucket (s3, name);
  return s3;
}

void
pw_local_s3_free (PwLocalS3 *s3)
{
  if (s3 == NULL)
    return;
  g_hash_table_unref (s3->buckets);
  g_free (s3->root);
  g_free (s3->incoming);
  g_free (s3->uploads);
  g_free (s3->region);
  g_mutex_clear (&s3->lock);
  g_free (s3);
}

char *
pw_local_s3_temp_path (PwLocalS3 *s3)
{
  guint n;

  g_mutex_lock (&s3->lock);
  n = ++s3->temp_counter;
  g_mutex_unlock (&s3->lock);
  return g_strdup_printf ("%s/upload-%u-%" G_GINT64_FORMAT, s3->incoming, n, g_get_monotonic_time ());
}

gboolean
pw_local_s3_no_bucket (GError     **error,
                       const char  *bucket)
{
  g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_NO_SUCH_BUCKET,
               "The specified bucket does not exist: %s", bucket);
  return FALSE;
}

gboolean
pw_local_s3_no_key (GError     **error,
                    const char  *bucket,
                    const char  *key)
{
  g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_NO_SUCH_KEY,
               "The specified key does not exist: s3://%s/%s", bucket, key);
  return FALSE;
}

/* Takes the lock and returns the bucket with the lock held; or, when there
 * is no such bucket, releases the lock and returns %NULL. */
PwLocalS3Bucket *
pw_local_s3_lock_bucket (PwLocalS3   *s3,
                         const char  *name,
                         GError     **error)
{
  PwLocalS3Bucket *bucket;

  g_mutex_lock (&s3->lock);
  bucket = g_hash_table_lookup (s3->buckets, name);
  if (bucket == NULL)
    {
      g_mutex_unlock (&s3->lock);
      pw_local_s3_no_bucket (error, name);
    }
  return bucket;
}

gboolean
pw_local_s3_check_key_fits (const char  *key,
                            GError     **error)
{
  g_autofree char *escaped = pw_local_store_escape (key);

  if (strlen (escaped) > PW_LOCAL_S3_MAX_ESCAPED_KEY)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_KEY_TOO_LONG,
                   "Your key is too long for the local store (at most %d bytes once "
                   "characters other than a-z, 0-9, '.', '-' and '_' are escaped as %%XX)",
                   PW_LOCAL_S3_MAX_ESCAPED_KEY);
      return FALSE;
    }
  return TRUE;
}

char *
pw_local_s3_object_path (PwLocalS3Bucket  *bucket,
                         const char       *key,
                         GError          **error)
{
  g_autofree char *escaped = NULL;

  if (!pw_local_s3_check_key_fits (key, error))
    return NULL;
  escaped = pw_local_store_escape (key);
  return g_build_filename (bucket->dir, "objects", escaped, NULL);
}

gboolean
pw_local_s3_bucket_exists (PwLocalS3  *s3,
                           const char *bucket)
{
  gboolean exists;

  g_mutex_lock (&s3->lock);
  exists = g_hash_table_contains (s3->buckets, bucket);
  g_mutex_unlock (&s3->lock);
  return exists;
}

GBytes *
pw_local_s3_get_object (PwLocalS3   *s3,
                        const char  *bucket_name,
                        const char  *key,
                        GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GMappedFile) map = NULL;
  PwLocalS3Bucket *bucket;

  if ((bucket = pw_local_s3_lock_bucket (s3, bucket_name, error)) == NULL)
    return NULL;
  if (g_tree_lookup (bucket->objects, key) == NULL)
    {
      g_mutex_unlock (&s3->lock);
      pw_local_s3_no_key (error, bucket_name, key);
      return NULL;
    }
  path = pw_local_s3_object_path (bucket, key, error);
  /* Readers see whole files: a PUT replaces the file by a rename, and the
   * mapping keeps the old inode alive. */
  if (path != NULL)
    map = g_mapped_file_new (path, FALSE, error);
  g_mutex_unlock (&s3->lock);
  if (map == NULL)
    return NULL;
  return g_mapped_file_get_bytes (map);
}

/* Takes the file at @temp_path (already flushed) as the object's content. */
gboolean
pw_local_s3_commit_object (PwLocalS3   *s3,
                           const char  *bucket_name,
                           const char  *key,
                           const char  *temp_path,
                           const char  *md5_hex,
                           gint64       size,
                           GError     **error)
{
  g_autofree char *path = NULL;
  PwLocalS3Bucket *bucket;
  PwLocalS3Object *o;

  if ((bucket = pw_local_s3_lock_bucket (s3, bucket_name, error)) == NULL)
    return FALSE;
  path = pw_local_s3_object_path (bucket, key, error);
  if (path == NULL || !pw_local_store_rename (temp_path, path, error))
    {
      g_mutex_unlock (&s3->lock);
      return FALSE;
    }
  o = g_new0 (PwLocalS3Object, 1);
  o->key = g_strdup (key);
  o->etag = g_strdup (md5_hex);
  o->size = size;
  o->mtime = pw_local_now ();
  g_tree_replace (bucket->objects, o->key, o);
  g_mutex_unlock (&s3->lock);
  return TRUE;
}

/* Writes @data to a temporary file and commits it as the object. */
gboolean
pw_local_s3_store_object (PwLocalS3      *s3,
                          const char     *bucket_name,
                          const char     *key,
                          gconstpointer   data,
                          gsize           size,
                          const char     *md5_hex,
                          GError        **error)
{
  g_autofree char *temp = pw_local_s3_temp_path (s3);

  if (!pw_local_s3_bucket_exists (s3, bucket_name))
    return pw_local_s3_no_bucket (error, bucket_name);
  if (!pw_local_store_write (temp, data, size, 0600, error))
    return FALSE;
  if (!pw_local_s3_commit_object (s3, bucket_name, key, temp, md5_hex, size, error))
    {
      g_unlink (temp);
      return FALSE;
    }
  return TRUE;
}

gboolean
pw_local_s3_put_object (PwLocalS3   *s3,
                        const char  *bucket_name,
                        const char  *key,
                        GBytes      *data,
                        GError     **error)
{
  g_autofree char *md5 = g_compute_checksum_for_bytes (G_CHECKSUM_MD5, data);
  gsize size;
  gconstpointer bytes = g_bytes_get_data (data, &size);

  return pw_local_s3_store_object (s3, bucket_name, key, bytes, size, md5, error);
}
