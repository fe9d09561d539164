/* pw-local-s3.c: the S3 subset of the workshop, path-style, on disk
 *
 * Layout under DATA_DIR/s3: BUCKET/bucket.json (creation date, policy) and
 * BUCKET/objects/ESCAPED-KEY (the object's bytes). Uploads arrive in
 * DATA_DIR/s3/.incoming and are renamed into place once complete and
 * verified, so an object is either there whole or not at all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "pw-aws-xml.h"
#include "pw-local-private.h"
#include "pw-local-store.h"

#define S3_XMLNS "http://s3.amazonaws.com/doc/2006-03-01/"
/* Escaped keys longer than this do not fit in a file name. */
#define MAX_ESCAPED_KEY 240

typedef struct
{
  char   *key;
  gint64  size;
  char   *etag;   /* hex MD5 */
  double  mtime;
} S3Object;

typedef struct
{
  char       *name;
  char       *dir;
  double      created;
  char       *policy;
  GTree      *objects; /* key -> S3Object */
} S3Bucket;

struct _PwLocalS3
{
  GMutex      lock;
  char       *root;
  char       *incoming;
  char       *uploads;
  char       *region;
  GHashTable *buckets; /* name -> S3Bucket */
  guint       temp_counter;
};

static void
s3_object_free (gpointer data)
{
  S3Object *obj = data;

  g_free (obj->key);
  g_free (obj->etag);
  g_free (obj);
}

static void
s3_bucket_free (gpointer data)
{
  S3Bucket *bucket = data;

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

static S3Bucket *
s3_bucket_new (PwLocalS3  *s3,
               const char *name)
{
  S3Bucket *bucket = g_new0 (S3Bucket, 1);

  bucket->name = g_strdup (name);
  bucket->dir = g_build_filename (s3->root, name, NULL);
  bucket->objects = g_tree_new_full (compare_keys, NULL, NULL, s3_object_free);
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

static gboolean
save_bucket (S3Bucket  *bucket,
             GError   **error)
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
  S3Bucket *bucket;
  const char *file;

  if (node == NULL)
    {
      /* A folder without bucket.json is a CreateBucket that never finished. */
      return;
    }
  obj = json_node_get_object (node);
  bucket = s3_bucket_new (s3, name);
  bucket->created = json_object_get_double_member_with_default (obj, "created", pw_local_now ());
  bucket->policy = g_strdup (json_object_get_string_member_with_default (obj, "policy", NULL));
  g_hash_table_insert (s3->buckets, bucket->name, bucket);

  dir = g_dir_open (objects_dir, 0, NULL);
  while (dir != NULL && (file = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (objects_dir, file, NULL);
      S3Object *o;
      GStatBuf sb;

      if (strstr (file, ".tmp-") != NULL)
        {
          g_unlink (path);
          continue;
        }
      if (g_stat (path, &sb) != 0)
        continue;
      o = g_new0 (S3Object, 1);
      o->key = pw_local_store_unescape (file);
      o->etag = file_md5 (path, &o->size);
      o->mtime = (double) sb.st_mtime;
      if (o->etag == NULL)
        {
          s3_object_free (o);
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
  s3->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, s3_bucket_free);
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

static gboolean
set_no_bucket (GError    **error,
               const char *bucket)
{
  g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_NO_SUCH_BUCKET,
               "The specified bucket does not exist: %s", bucket);
  return FALSE;
}

static gboolean
set_no_key (GError    **error,
            const char *bucket,
            const char *key)
{
  g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_NO_SUCH_KEY,
               "The specified key does not exist: s3://%s/%s", bucket, key);
  return FALSE;
}

/* Takes the lock and returns the bucket with the lock held; or, when there
 * is no such bucket, releases the lock and returns %NULL. */
static S3Bucket *
lock_bucket (PwLocalS3   *s3,
             const char  *name,
             GError     **error)
{
  S3Bucket *bucket;

  g_mutex_lock (&s3->lock);
  bucket = g_hash_table_lookup (s3->buckets, name);
  if (bucket == NULL)
    {
      g_mutex_unlock (&s3->lock);
      set_no_bucket (error, name);
    }
  return bucket;
}

static char *
object_path (S3Bucket   *bucket,
             const char *key,
             GError    **error)
{
  g_autofree char *escaped = pw_local_store_escape (key);

  if (strlen (escaped) > MAX_ESCAPED_KEY)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_KEY_TOO_LONG,
                   "Your key is too long for the local store (at most %d bytes once "
                   "characters other than a-z, 0-9, '.', '-' and '_' are escaped as %%XX)",
                   MAX_ESCAPED_KEY);
      return NULL;
    }
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
  S3Bucket *bucket;

  if ((bucket = lock_bucket (s3, bucket_name, error)) == NULL)
    return NULL;
  if (g_tree_lookup (bucket->objects, key) == NULL)
    {
      g_mutex_unlock (&s3->lock);
      set_no_key (error, bucket_name, key);
      return NULL;
    }
  path = object_path (bucket, key, error);
  /* Readers see whole files: a PUT replaces the file by a rename, and the
   * mapping keeps the old inode alive. */
  if (path != NULL)
    map = g_mapped_file_new (path, FALSE, error);
  g_mutex_unlock (&s3->lock);
  if (map == NULL)
    return NULL;
  return g_mapped_file_get_bytes (map);
}

typedef struct
{
  const char *prefix;
  GPtrArray  *keys;
} ListData;

static gboolean
collect_key (gpointer key,
             gpointer value,
             gpointer user_data)
{
  ListData *data = user_data;

  if (g_str_has_prefix (key, data->prefix))
    g_ptr_array_add (data->keys, g_strdup (key));
  else if (strcmp (key, data->prefix) > 0)
    return TRUE;
  return FALSE;
}

GPtrArray *
pw_local_s3_list_keys (PwLocalS3   *s3,
                       const char  *bucket_name,
                       const char  *prefix,
                       GError     **error)
{
  ListData data = { prefix != NULL ? prefix : "", g_ptr_array_new_with_free_func (g_free) };
  S3Bucket *bucket;

  if ((bucket = lock_bucket (s3, bucket_name, error)) == NULL)
    {
      g_ptr_array_unref (data.keys);
      return NULL;
    }
  g_tree_foreach (bucket->objects, collect_key, &data);
  g_mutex_unlock (&s3->lock);
  return data.keys;
}

/* Takes the file at @temp_path (already flushed) as the object's content. */
static gboolean
commit_object (PwLocalS3   *s3,
               const char  *bucket_name,
               const char  *key,
               const char  *temp_path,
               const char  *md5_hex,
               gint64       size,
               GError     **error)
{
  g_autofree char *path = NULL;
  S3Bucket *bucket;
  S3Object *o;

  if ((bucket = lock_bucket (s3, bucket_name, error)) == NULL)
    return FALSE;
  path = object_path (bucket, key, error);
  if (path == NULL || !pw_local_store_rename (temp_path, path, error))
    {
      g_mutex_unlock (&s3->lock);
      return FALSE;
    }
  o = g_new0 (S3Object, 1);
  o->key = g_strdup (key);
  o->etag = g_strdup (md5_hex);
  o->size = size;
  o->mtime = pw_local_now ();
  g_tree_replace (bucket->objects, o->key, o);
  g_mutex_unlock (&s3->lock);
  return TRUE;
}

/* Writes @data to a temporary file and commits it as the object. */
static gboolean
store_object (PwLocalS3      *s3,
              const char     *bucket_name,
              const char     *key,
              gconstpointer   data,
              gsize           size,
              const char     *md5_hex,
              GError        **error)
{
  g_autofree char *temp = pw_local_s3_temp_path (s3);

  if (!pw_local_s3_bucket_exists (s3, bucket_name))
    return set_no_bucket (error, bucket_name);
  if (!pw_local_store_write (temp, data, size, 0600, error))
    return FALSE;
  if (!commit_object (s3, bucket_name, key, temp, md5_hex, size, error))
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

  return store_object (s3, bucket_name, key, bytes, size, md5, error);
}

/* ---- HTTP ---- */

static void
set_xml (PwLocalResponse *response,
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
static GString *
result_begin (const char *root)
{
  GString *xml = g_string_new (NULL);

  g_string_append_printf (xml, "<%s xmlns=\"%s\">", root, S3_XMLNS);
  return xml;
}

/* ... </@root>, sent as a 200 response. */
static void
result_end (PwLocalResponse *response,
            GString         *xml,
            const char      *root)
{
  g_string_append_printf (xml, "</%s>", root);
  set_xml (response, 200, xml);
}

static const char *
request_body (const PwLocalRequest *request,
              gsize                *size)
{
  *size = 0;
  return request->body != NULL ? g_bytes_get_data (request->body, size) : "";
}

static char *
digest_hex (const guint8 *digest)
{
  GString *hex = g_string_new (NULL);

  for (guint i = 0; i < 16; i++)
    g_string_append_printf (hex, "%02x", digest[i]);
  return g_string_free (hex, FALSE);
}

static void
add_etag_header (PwLocalResponse *response,
                 const char      *etag)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", etag);

  pw_local_response_add_header (response, "ETag", quoted);
}

static gboolean
set_malformed_xml (GError **error)
{
  g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_MALFORMED_XML,
               "The XML you provided was not well-formed or did not validate against our published schema");
  return FALSE;
}

static char *
maybe_url_encode (const char *text,
                  gboolean    encode)
{
  if (!encode)
    return g_strdup (text);
  return g_uri_escape_string (text, "/", FALSE);
}

static gboolean
create_bucket (PwLocalS3             *s3,
               const char            *name,
               const PwLocalRequest  *request,
               GError               **error)
{
  S3Bucket *bucket;
  gsize size;
  const char *body = request_body (request, &size);

  if (size > 0)
    {
      g_autofree char *text = g_strndup (body, size);
      const char *open = strstr (text, "<LocationConstraint>");
      const char *close = strstr (text, "</LocationConstraint>");

      if (strstr (text, "CreateBucketConfiguration") == NULL)
        return set_malformed_xml (error);
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
  bucket = s3_bucket_new (s3, name);
  bucket->created = pw_local_now ();
  if (!pw_local_store_mkdir (bucket->dir, error) || !save_bucket (bucket, error))
    {
      g_mutex_unlock (&s3->lock);
      s3_bucket_free (bucket);
      return FALSE;
    }
  g_hash_table_insert (s3->buckets, bucket->name, bucket);
  g_mutex_unlock (&s3->lock);
  return TRUE;
}

static gboolean
check_content_md5 (const PwLocalRequest  *request,
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
static gboolean
check_body_md5 (const PwLocalRequest  *request,
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
  if (!check_content_md5 (request, digest, error))
    return FALSE;
  if (md5_hex != NULL)
    *md5_hex = digest_hex (digest);
  return TRUE;
}

static gboolean
put_bucket_policy (PwLocalS3             *s3,
                   const char            *name,
                   const PwLocalRequest  *request,
                   GError               **error)
{
  gsize size;
  const char *body = request_body (request, &size);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  S3Bucket *bucket;
  g_autofree char *old = NULL;

  if (!check_body_md5 (request, body, size, NULL, error))
    return FALSE;
  if (size > 20 * 1024 || !json_parser_load_from_data (parser, body, size, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "Statement"))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_MALFORMED_POLICY,
                   "Policies must be valid JSON objects of at most 20 KB with a \"Statement\"");
      return FALSE;
    }
  if ((bucket = lock_bucket (s3, name, error)) == NULL)
    return FALSE;
  old = bucket->policy;
  bucket->policy = g_strndup (body, size);
  if (!save_bucket (bucket, error))
    {
      g_free (bucket->policy);
      bucket->policy = g_steal_pointer (&old);
      g_mutex_unlock (&s3->lock);
      return FALSE;
    }
  g_mutex_unlock (&s3->lock);
  return TRUE;
}

static void
list_objects (PwLocalS3            *s3,
              S3Bucket             *bucket,
              GHashTable           *query,
              PwLocalResponse      *response)
{
  const char *prefix = g_hash_table_lookup (query, "prefix");
  const char *delimiter = g_hash_table_lookup (query, "delimiter");
  const char *token = g_hash_table_lookup (query, "continuation-token");
  const char *start_after = g_hash_table_lookup (query, "start-after");
  const char *max_keys_text = g_hash_table_lookup (query, "max-keys");
  const char *encoding = g_hash_table_lookup (query, "encoding-type");
  gboolean url = g_strcmp0 (encoding, "url") == 0;
  gboolean v2 = g_strcmp0 (g_hash_table_lookup (query, "list-type"), "2") == 0;
  const char *marker = v2 ? NULL : g_hash_table_lookup (query, "marker");
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) prefixes = g_ptr_array_new_with_free_func (g_free);
  ListData data = { prefix != NULL ? prefix : "", keys };
  guint64 max_keys = 1000;
  guint count = 0;
  gboolean truncated = FALSE;
  g_autofree char *last = NULL;
  GString *xml = result_begin ("ListBucketResult");
  g_autofree char *enc_prefix = maybe_url_encode (prefix != NULL ? prefix : "", url);

  if (max_keys_text != NULL)
    max_keys = MIN (g_ascii_strtoull (max_keys_text, NULL, 10), 1000);
  if (token != NULL)
    {
      gsize len = 0;
      guchar *raw = g_base64_decode (token, &len);

      after = g_strndup ((const char *) raw, len);
      g_free (raw);
    }
  else if (start_after != NULL)
    after = g_strdup (start_after);
  else if (marker != NULL)
    after = g_strdup (marker);

  g_tree_foreach (bucket->objects, collect_key, &data);

  pw_local_xml_append_element (xml, "Name", bucket->name);
  pw_local_xml_append_element (xml, "Prefix", enc_prefix);
  if (delimiter != NULL)
    {
      g_autofree char *d = maybe_url_encode (delimiter, url);
      pw_local_xml_append_element (xml, "Delimiter", d);
    }
  if (url)
    pw_local_xml_append_element (xml, "EncodingType", "url");
  g_string_append_printf (xml, "<MaxKeys>%" G_GUINT64_FORMAT "</MaxKeys>", max_keys);
  if (token != NULL)
    pw_local_xml_append_element (xml, "ContinuationToken", token);
  if (start_after != NULL && v2)
    pw_local_xml_append_element (xml, "StartAfter", start_after);
  if (marker != NULL)
    pw_local_xml_append_element (xml, "Marker", marker);

  {
    GString *contents = g_string_new (NULL);

    for (guint i = 0; i < keys->len; i++)
      {
        const char *key = keys->pdata[i];
        const char *rest = key + strlen (data.prefix);
        const char *d = (delimiter != NULL && *delimiter != '\0') ? strstr (rest, delimiter) : NULL;

        if (after != NULL && strcmp (key, after) <= 0)
          continue;
        if (count >= max_keys)
          {
            truncated = TRUE;
            break;
          }
        if (d != NULL)
          {
            g_autofree char *common = g_strndup (key, (d - key) + strlen (delimiter));
            g_autofree char *enc = NULL;

            if (prefixes->len > 0 && strcmp (g_ptr_array_index (prefixes, prefixes->len - 1), common) == 0)
              continue;
            g_ptr_array_add (prefixes, g_strdup (common));
            enc = maybe_url_encode (common, url);
            g_string_append (contents, "<CommonPrefixes>");
            pw_local_xml_append_element (contents, "Prefix", enc);
            g_string_append (contents, "</CommonPrefixes>");
            /* Continue after every key under this common prefix. */
            g_free (last);
            last = g_strconcat (common, "\xf4\x8f\xbf\xbf", NULL);
          }
        else
          {
            S3Object *o = g_tree_lookup (bucket->objects, key);
            g_autofree char *enc = maybe_url_encode (key, url);
            g_autofree char *date = pw_local_iso8601 (o->mtime, TRUE);

            g_string_append (contents, "<Contents>");
            pw_local_xml_append_element (contents, "Key", enc);
            pw_local_xml_append_element (contents, "LastModified", date);
            g_string_append_printf (contents, "<ETag>&quot;%s&quot;</ETag><Size>%" G_GINT64_FORMAT
                                    "</Size><StorageClass>STANDARD</StorageClass></Contents>",
                                    o->etag, o->size);
            g_free (last);
            last = g_strdup (key);
          }
        count++;
      }
    g_string_append_printf (xml, "<KeyCount>%u</KeyCount><IsTruncated>%s</IsTruncated>",
                            count, truncated ? "true" : "false");
    if (truncated && last != NULL)
      {
        if (v2)
          {
            g_autofree char *next = g_base64_encode ((const guchar *) last, strlen (last));
            pw_local_xml_append_element (xml, "NextContinuationToken", next);
          }
        else
          pw_local_xml_append_element (xml, "NextMarker", last);
      }
    g_string_append_len (xml, contents->str, contents->len);
    g_string_free (contents, TRUE);
  }
  result_end (response, xml, "ListBucketResult");
}

static void
list_buckets (PwLocalS3       *s3,
              PwLocalResponse *response)
{
  GString *xml = g_string_new (NULL);
  g_autoptr(GList) names = NULL;

  g_string_append_printf (xml, "<ListAllMyBucketsResult xmlns=\"%s\"><Owner><ID>%s</ID>"
                          "<DisplayName>local</DisplayName></Owner><Buckets>", S3_XMLNS, PW_LOCAL_ACCOUNT_ID);
  names = g_hash_table_get_keys (s3->buckets);
  names = g_list_sort (names, (GCompareFunc) strcmp);
  for (GList *l = names; l != NULL; l = l->next)
    {
      S3Bucket *bucket = g_hash_table_lookup (s3->buckets, l->data);
      g_autofree char *date = pw_local_iso8601 (bucket->created, TRUE);

      g_string_append (xml, "<Bucket>");
      pw_local_xml_append_element (xml, "Name", bucket->name);
      pw_local_xml_append_element (xml, "CreationDate", date);
      g_string_append (xml, "</Bucket>");
    }
  g_string_append (xml, "</Buckets></ListAllMyBucketsResult>");
  set_xml (response, 200, xml);
}


/* ---- XML bodies (DeleteObjects, CompleteMultipartUpload) ---- */

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

static PwAwsXmlNode *
parse_xml_body (const PwLocalRequest  *request,
                const char            *root_name,
                GError               **error)
{
  gsize size;
  const char *data = request_body (request, &size);
  PwAwsXmlNode *root;

  if (size == 0 || !xml_depth_ok (data, size, 8) || !g_utf8_validate (data, size, NULL)
      || (root = pw_aws_xml_parse (data, size, NULL)) == NULL)
    {
      set_malformed_xml (error);
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

static gboolean
delete_objects (PwLocalS3             *s3,
                const char            *bucket_name,
                const PwLocalRequest  *request,
                PwLocalResponse       *response,
                GError               **error)
{
  g_autoptr(PwAwsXmlNode) root = parse_xml_body (request, "Delete", error);
  const char *quiet;
  GString *xml;
  S3Bucket *bucket;
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
  if ((bucket = lock_bucket (s3, bucket_name, error)) == NULL)
    return FALSE;
  xml = result_begin ("DeleteResult");
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
          path = object_path (bucket, key, &local_error);
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
  result_end (response, xml, "DeleteResult");
  return TRUE;
}

/* ---- multipart uploads (what `aws s3 cp` and boto3's upload_file use
 * above 8 MB) under DATA_DIR/s3/.uploads/ID/: meta.json, part-NNNNN ---- */

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

static void
remove_upload_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
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
  g_autofree char *escaped = pw_local_store_escape (key);
  GString *xml;

  if (!pw_local_s3_bucket_exists (s3, bucket_name))
    return set_no_bucket (error, bucket_name);
  if (strlen (escaped) > MAX_ESCAPED_KEY)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_KEY_TOO_LONG,
                   "Your key is too long for the local store (at most %d bytes once escaped)", MAX_ESCAPED_KEY);
      return FALSE;
    }
  id = g_strdup_printf ("%08x%08x%08x%08x", g_random_int (), g_random_int (), g_random_int (), g_random_int ());
  dir = g_build_filename (s3->uploads, id, NULL);
  meta_path = g_build_filename (dir, "meta.json", NULL);
  json_object_set_string_member (meta, "bucket", bucket_name);
  json_object_set_string_member (meta, "key", key);
  node = json_node_init_object (json_node_alloc (), meta);
  if (!pw_local_store_write_json (meta_path, node, error))
    return FALSE;
  xml = result_begin ("InitiateMultipartUploadResult");
  pw_local_xml_append_element (xml, "Bucket", bucket_name);
  pw_local_xml_append_element (xml, "Key", key);
  pw_local_xml_append_element (xml, "UploadId", id);
  result_end (response, xml, "InitiateMultipartUploadResult");
  return TRUE;
}

static gboolean
upload_part (PwLocalS3             *s3,
             const char            *bucket_name,
             const char            *key,
             GHashTable            *query,
             const PwLocalRequest  *request,
             PwLocalResponse       *response,
             GError               **error)
{
  const char *number_text = g_hash_table_lookup (query, "partNumber");
  g_autofree char *dir = upload_dir (s3, g_hash_table_lookup (query, "uploadId"), bucket_name, key, error);
  g_autofree char *path = NULL;
  g_autofree char *etag = NULL;
  char *end = NULL;
  guint64 number;

  if (dir == NULL)
    return FALSE;
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
  if (!check_content_md5 (request, request->body_md5, error))
    return FALSE;
  path = part_path (dir, (guint) number);
  if (!pw_local_store_rename (request->body_file, path, error))
    return FALSE;
  etag = digest_hex (request->body_md5);
  pw_local_response_set (response, 200, NULL, NULL);
  add_etag_header (response, etag);
  return TRUE;
}

static gboolean
complete_upload (PwLocalS3             *s3,
                 const char            *bucket_name,
                 const char            *key,
                 GHashTable            *query,
                 const PwLocalRequest  *request,
                 PwLocalResponse       *response,
                 GError               **error)
{
  g_autofree char *dir = upload_dir (s3, g_hash_table_lookup (query, "uploadId"), bucket_name, key, error);
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

  if (dir == NULL || (root = parse_xml_body (request, "CompleteMultipartUpload", error)) == NULL)
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
  if (!commit_object (s3, bucket_name, key, temp, etag, size, error))
    goto fail;
  remove_upload_dir (dir);
  xml = result_begin ("CompleteMultipartUploadResult");
  {
    g_autofree char *location = g_strdup_printf ("/%s/%s", bucket_name, key);
    g_autofree char *quoted = g_strdup_printf ("\"%s\"", etag);

    pw_local_xml_append_element (xml, "Location", location);
    pw_local_xml_append_element (xml, "Bucket", bucket_name);
    pw_local_xml_append_element (xml, "Key", key);
    pw_local_xml_append_element (xml, "ETag", quoted);
  }
  result_end (response, xml, "CompleteMultipartUploadResult");
  return TRUE;

fail:
  g_clear_object (&out);
  g_unlink (temp);
  return FALSE;
}

static gboolean
handle_bucket (PwLocalS3             *s3,
               const char            *name,
               GHashTable            *query,
               const PwLocalRequest  *request,
               PwLocalResponse       *response,
               GError               **error)
{
  const char *method = request->method;
  S3Bucket *bucket;

  if (g_hash_table_contains (query, "policy"))
    {
      if (strcmp (method, "PUT") == 0)
        {
          if (!put_bucket_policy (s3, name, request, error))
            return FALSE;
          pw_local_response_set (response, 204, NULL, NULL);
          return TRUE;
        }
      if ((bucket = lock_bucket (s3, name, error)) == NULL)
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
          if (!save_bucket (bucket, error))
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
    return delete_objects (s3, name, request, response, error);
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

  if ((bucket = lock_bucket (s3, name, error)) == NULL)
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
                                  S3_XMLNS, strcmp (s3->region, "us-east-1") == 0 ? "" : s3->region);
          g_mutex_unlock (&s3->lock);
          set_xml (response, 200, xml);
          return TRUE;
        }
      list_objects (s3, bucket, query, response);
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

static void
add_object_headers (PwLocalResponse *response,
                    S3Object        *o)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((gint64) o->mtime);
  g_autofree char *date = g_date_time_format (dt, "%a, %d %b %Y %H:%M:%S GMT");

  add_etag_header (response, o->etag);
  pw_local_response_add_header (response, "Last-Modified", date);
  pw_local_response_add_header (response, "Accept-Ranges", "bytes");
}

static gboolean
handle_object (PwLocalS3             *s3,
               const char            *bucket_name,
               const char            *key,
               GHashTable            *query,
               const PwLocalRequest  *request,
               PwLocalResponse       *response,
               GError               **error)
{
  const char *method = request->method;
  S3Bucket *bucket;
  S3Object *o;

  if (soup_message_headers_get_one (request->headers, "x-amz-copy-source") != NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_NOT_IMPLEMENTED,
                   "Copies are not implemented by personalize-local; download and upload the object");
      return FALSE;
    }
  if (strcmp (method, "POST") == 0 && g_hash_table_contains (query, "uploads"))
    return create_upload (s3, bucket_name, key, response, error);
  if (g_hash_table_contains (query, "uploadId"))
    {
      if (strcmp (method, "PUT") == 0)
        return upload_part (s3, bucket_name, key, query, request, response, error);
      if (strcmp (method, "POST") == 0)
        return complete_upload (s3, bucket_name, key, query, request, response, error);
      if (strcmp (method, "DELETE") == 0)
        {
          g_autofree char *dir = upload_dir (s3, g_hash_table_lookup (query, "uploadId"), bucket_name, key, error);

          if (dir == NULL)
            return FALSE;
          remove_upload_dir (dir);
          pw_local_response_set (response, 204, NULL, NULL);
          return TRUE;
        }
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_NOT_IMPLEMENTED,
                   "ListParts is not implemented by personalize-local");
      return FALSE;
    }
  if (strcmp (method, "PUT") == 0)
    {
      g_autofree char *md5_hex = NULL;

      if (request->body_file != NULL)
        {
          if (!check_content_md5 (request, request->body_md5, error))
            return FALSE;
          md5_hex = digest_hex (request->body_md5);
          if (!commit_object (s3, bucket_name, key, request->body_file, md5_hex, request->body_size, error))
            return FALSE;
        }
      else
        {
          gsize size;
          const char *data = request_body (request, &size);

          if (!check_body_md5 (request, data, size, &md5_hex, error)
              || !store_object (s3, bucket_name, key, data, size, md5_hex, error))
            return FALSE;
        }
      pw_local_response_set (response, 200, NULL, NULL);
      add_etag_header (response, md5_hex);
      return TRUE;
    }

  if ((bucket = lock_bucket (s3, bucket_name, error)) == NULL)
    return FALSE;
  o = g_tree_lookup (bucket->objects, key);
  if (strcmp (method, "DELETE") == 0)
    {
      if (o != NULL)
        {
          g_autofree char *path = object_path (bucket, key, NULL);

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
      return set_no_key (error, bucket_name, key);
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
      g_autofree char *path = object_path (bucket, key, error);
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
          list_buckets (s3, response);
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
    ok = handle_bucket (s3, bucket, query, request, response, &error);
  else
    ok = handle_object (s3, bucket, key, query, request, response, &error);

  if (!ok)
    {
      pw_local_response_clear (response);
      pw_local_response_set_error (response, PW_LOCAL_PROTOCOL_S3, request->request_id, resource, error);
    }
}
