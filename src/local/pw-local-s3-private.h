/* pw-local-s3-private.h: what the files of personalize-local's S3 share
 * (see pw-local-s3.c for which file owns what)
 *
 * The bucket and object index (PwLocalS3Bucket, PwLocalS3Object) belongs
 * to pw-local-s3-store.c; other files read and change it only with
 * s3->lock held (pw_local_s3_lock_bucket () returns with it held).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pw-aws-xml.h"
#include "pw-local-private.h"

G_BEGIN_DECLS

#define PW_LOCAL_S3_XMLNS "http://s3.amazonaws.com/doc/2006-03-01/"
/* Escaped keys longer than this do not fit in a file name. */
#define PW_LOCAL_S3_MAX_ESCAPED_KEY 240

typedef struct
{
  char   *key;
  gint64  size;
  char   *etag;   /* hex MD5, or MD5-of-MD5s-N for a multipart object */
  double  mtime;
} PwLocalS3Object;

typedef struct
{
  char       *name;
  char       *dir;      /* DATA_DIR/s3/NAME */
  double      created;
  char       *policy;   /* JSON text, or NULL */
  GTree      *objects;  /* key -> PwLocalS3Object, in byte order */
} PwLocalS3Bucket;

struct _PwLocalS3
{
  GMutex      lock;     /* guards buckets, their objects and temp_counter */
  char       *root;     /* DATA_DIR/s3 */
  char       *incoming; /* DATA_DIR/s3/.incoming: bodies being received */
  char       *uploads;  /* DATA_DIR/s3/.uploads: multipart uploads */
  char       *region;
  GHashTable *buckets;  /* name -> PwLocalS3Bucket */
  guint       temp_counter;
};

/* pw-local-s3-store.c: the index and the disk */
void             pw_local_s3_object_free    (gpointer              data);
PwLocalS3Bucket *pw_local_s3_bucket_new     (PwLocalS3            *s3,
                                             const char           *name);
void             pw_local_s3_bucket_free    (gpointer              data);
/* Writes BUCKET/bucket.json atomically. */
gboolean         pw_local_s3_save_bucket    (PwLocalS3Bucket      *bucket,
                                             GError              **error);
/* NoSuchBucket / NoSuchKey; both return FALSE. */
gboolean         pw_local_s3_no_bucket      (GError              **error,
                                             const char           *bucket);
gboolean         pw_local_s3_no_key         (GError              **error,
                                             const char           *bucket,
                                             const char           *key);
/* Returns the bucket with s3->lock held, or NULL (lock released). */
PwLocalS3Bucket *pw_local_s3_lock_bucket    (PwLocalS3            *s3,
                                             const char           *name,
                                             GError              **error);
/* FALSE (KeyTooLong) when @key, escaped, does not fit in a file name. */
gboolean         pw_local_s3_check_key_fits (const char           *key,
                                             GError              **error);
char            *pw_local_s3_object_path    (PwLocalS3Bucket      *bucket,
                                             const char           *key,
                                             GError              **error);
/* Renames @temp_path (complete, flushed) into place as the object. */
gboolean         pw_local_s3_commit_object  (PwLocalS3            *s3,
                                             const char           *bucket_name,
                                             const char           *key,
                                             const char           *temp_path,
                                             const char           *md5_hex,
                                             gint64                size,
                                             GError              **error);
/* Writes @data to a temporary file and commits it as the object. */
gboolean         pw_local_s3_store_object   (PwLocalS3            *s3,
                                             const char           *bucket_name,
                                             const char           *key,
                                             gconstpointer         data,
                                             gsize                 size,
                                             const char           *md5_hex,
                                             GError              **error);

/* pw-local-s3.c: answers and request bodies */
void             pw_local_s3_set_xml           (PwLocalResponse      *response,
                                                guint                 status,
                                                GString              *xml);
GString         *pw_local_s3_result_begin      (const char           *root);
void             pw_local_s3_result_end        (PwLocalResponse      *response,
                                                GString              *xml,
                                                const char           *root);
const char      *pw_local_s3_request_body      (const PwLocalRequest *request,
                                                gsize                *size);
char            *pw_local_s3_digest_hex        (const guint8         *digest);
void             pw_local_s3_add_etag_header   (PwLocalResponse      *response,
                                                const char           *etag);
gboolean         pw_local_s3_malformed_xml     (GError              **error);
gboolean         pw_local_s3_check_content_md5 (const PwLocalRequest *request,
                                                const guint8         *digest,
                                                GError              **error);
gboolean         pw_local_s3_check_body_md5    (const PwLocalRequest *request,
                                                gconstpointer         data,
                                                gsize                 size,
                                                char                **md5_hex,
                                                GError              **error);
PwAwsXmlNode    *pw_local_s3_parse_xml_body    (const PwLocalRequest *request,
                                                const char           *root_name,
                                                GError              **error);

/* pw-local-s3-buckets.c */
gboolean         pw_local_s3_handle_bucket  (PwLocalS3            *s3,
                                             const char           *name,
                                             GHashTable           *query,
                                             const PwLocalRequest *request,
                                             PwLocalResponse      *response,
                                             GError              **error);

/* pw-local-s3-list.c; both with s3->lock held */
void             pw_local_s3_list_objects   (PwLocalS3            *s3,
                                             PwLocalS3Bucket      *bucket,
                                             GHashTable           *query,
                                             PwLocalResponse      *response);
void             pw_local_s3_list_buckets   (PwLocalS3            *s3,
                                             PwLocalResponse      *response);

/* pw-local-s3-objects.c */
gboolean         pw_local_s3_delete_objects (PwLocalS3            *s3,
                                             const char           *bucket_name,
                                             const PwLocalRequest *request,
                                             PwLocalResponse      *response,
                                             GError              **error);
gboolean         pw_local_s3_handle_object  (PwLocalS3            *s3,
                                             const char           *bucket_name,
                                             const char           *key,
                                             GHashTable           *query,
                                             const PwLocalRequest *request,
                                             PwLocalResponse      *response,
                                             GError              **error);

/* pw-local-s3-multipart.c: POST ?uploads, and anything with ?uploadId */
gboolean         pw_local_s3_handle_upload  (PwLocalS3            *s3,
                                             const char           *bucket_name,
                                             const char           *key,
                                             GHashTable           *query,
                                             const PwLocalRequest *request,
                                             PwLocalResponse      *response,
                                             GError              **error);

G_END_DECLS
