/* pw-local-s3-list.c: listing S3: ListBuckets, ListObjects and
 * ListObjectsV2 (prefix, delimiter, markers, continuation tokens, URL
 * encoding), and pw_local_s3_list_keys () for the jobs.
 *
 * Invariant: keys come out in byte order (the objects tree's order), so a
 * continuation token, the last key or common prefix returned, resumes
 * exactly after it. Callers hold s3->lock where noted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <string.h>

#include "pw-local-s3-private.h"

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
  PwLocalS3Bucket *bucket;

  if ((bucket = pw_local_s3_lock_bucket (s3, bucket_name, error)) == NULL)
    {
      g_ptr_array_unref (data.keys);
      return NULL;
    }
  g_tree_foreach (bucket->objects, collect_key, &data);
  g_mutex_unlock (&s3->lock);
  return data.keys;
}

static char *
maybe_url_encode (const char *text,
                  gboolean    encode)
{
  if (!encode)
    return g_strdup (text);
  return g_uri_escape_string (text, "/", FALSE);
}

void
pw_local_s3_list_objects (PwLocalS3       *s3,
                          PwLocalS3Bucket *bucket,
                          GHashTable      *query,
                          PwLocalResponse *response)
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
  GString *xml = pw_local_s3_result_begin ("ListBucketResult");
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
            PwLocalS3Object *o = g_tree_lookup (bucket->objects, key);
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
  pw_local_s3_result_end (response, xml, "ListBucketResult");
}

void
pw_local_s3_list_buckets (PwLocalS3       *s3,
                          PwLocalResponse *response)
{
  GString *xml = g_string_new (NULL);
  g_autoptr(GList) names = NULL;

  g_string_append_printf (xml, "<ListAllMyBucketsResult xmlns=\"%s\"><Owner><ID>%s</ID>"
                          "<DisplayName>local</DisplayName></Owner><Buckets>", PW_LOCAL_S3_XMLNS, PW_LOCAL_ACCOUNT_ID);
  names = g_hash_table_get_keys (s3->buckets);
  names = g_list_sort (names, (GCompareFunc) strcmp);
  for (GList *l = names; l != NULL; l = l->next)
    {
      PwLocalS3Bucket *bucket = g_hash_table_lookup (s3->buckets, l->data);
      g_autofree char *date = pw_local_iso8601 (bucket->created, TRUE);

      g_string_append (xml, "<Bucket>");
      pw_local_xml_append_element (xml, "Name", bucket->name);
      pw_local_xml_append_element (xml, "CreationDate", date);
      g_string_append (xml, "</Bucket>");
    }
  g_string_append (xml, "</Buckets></ListAllMyBucketsResult>");
  pw_local_s3_set_xml (response, 200, xml);
}
