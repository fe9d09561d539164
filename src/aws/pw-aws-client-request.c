/* pw-aws-client-request.c: PwAwsClient's requests and answers, in each protocol
 *
 * A call becomes a request here: method, host (S3: virtual-hosted or
 * path-style, and the bucket's region once learnt), path, query and body
 * for the JSON, REST-JSON, query and REST-XML protocols, ready to sign.
 * A successful answer becomes the operation's JSON output here too. Errors
 * are read in pw-aws-client-retry.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-aws"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "pw-aws-client-private.h"
#include "pw-aws-error.h"
#include "pw-aws-sigv4.h"
#include "pw-aws-xml.h"

/* ------------------------------------------------------------------------ */
/* Small helpers */

const char *
pw_aws_input_string (JsonObject *input,
                     const char *member)
{
  JsonNode *node;

  if (input == NULL || (node = json_object_get_member (input, member)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A JSON scalar as query / form text. */
static char *
scalar_to_string (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  if (type == G_TYPE_DOUBLE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
    }
  return NULL;
}

static void
append_form (GString    *out,
             const char *name,
             const char *value)
{
  g_autofree char *n = pw_aws_uri_encode (name, -1, FALSE);
  g_autofree char *v = pw_aws_uri_encode (value, -1, FALSE);

  g_string_append_printf (out, "&%s=%s", n, v);
}

/* Query protocol: structures as A.B, lists as A.member.N, maps as A.entry.N.key/value. */
static void
flatten_query (GString    *out,
               const char *prefix,
               JsonNode   *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      GList *names = json_object_get_members (object);

      /* In insertion order, as the input was written. */
      for (GList *l = names; l != NULL; l = l->next)
        {
          const char *name = l->data;
          g_autofree char *sub = prefix != NULL ? g_strdup_printf ("%s.%s", prefix, name) : g_strdup (name);

          flatten_query (out, sub, json_object_get_member (object, name));
        }
      g_list_free (names);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      if (json_array_get_length (array) == 0)
        append_form (out, prefix, "");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *sub = g_strdup_printf ("%s.member.%u", prefix, i + 1);

          flatten_query (out, sub, json_array_get_element (array, i));
        }
    }
  else if (!JSON_NODE_HOLDS_NULL (node))
    {
      g_autofree char *value = scalar_to_string (node);

      if (value != NULL)
        append_form (out, prefix, value);
    }
}

static char *
json_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* A response header, when present, as a string member of @out. */
void
pw_aws_copy_header (JsonObject         *out,
                    SoupMessageHeaders *headers,
                    const char         *header,
                    const char         *member)
{
  const char *v = soup_message_headers_get_one (headers, header);

  if (v != NULL)
    json_object_set_string_member (out, member, v);
}

/* A JSON protocol's body: the input, or {}. */
static GBytes *
json_body (JsonObject *input)
{
  char *body = input != NULL ? json_object_to_string (input) : g_strdup ("{}");

  return g_bytes_new_take (body, strlen (body));
}

static gboolean
is_virtual_host_bucket (const char *bucket)
{
  gsize len = strlen (bucket);

  if (len < 3 || len > 63 || !g_ascii_isalnum (bucket[0]) || !g_ascii_isalnum (bucket[len - 1]))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!(g_ascii_islower (bucket[i]) || g_ascii_isdigit (bucket[i]) || bucket[i] == '-'))
      return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Building a request */

void
pw_aws_request_clear (PwAwsRequest *r)
{
  g_free (r->method);
  g_free (r->scheme);
  g_free (r->host);
  g_free (r->path);
  g_free (r->query);
  g_free (r->content_type);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_free (r->payload_hash);
  g_free (r->target);
  g_free (r->content_md5);
  g_free (r->signing_region);
}

static gboolean
invalid_input (GError    **error,
               const char *operation,
               const char *member)
{
  g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_INPUT,
               _("%s needs the member “%s” (a string)"), operation, member);
  return FALSE;
}

static void
append_query (GString    *query,
              const char *name,
              const char *value)
{
  g_autofree char *v = NULL;

  if (query->len > 0)
    g_string_append_c (query, '&');
  g_string_append (query, name);
  if (value != NULL)
    {
      v = pw_aws_uri_encode (value, -1, FALSE);
      g_string_append_printf (query, "=%s", v);
    }
}

static gboolean
build_s3 (PwAwsCall    *call,
          PwAwsRequest *r,
          const char   *base_path,
          gboolean      custom_endpoint,
          const char   *region,
          GError      **error)
{
  PwAwsClient *self = call->client;
  const char *op = call->op->name;
  const char *bucket = pw_aws_input_string (call->input, "Bucket");
  const char *key = pw_aws_input_string (call->input, "Key");
  const char *bucket_region;
  gboolean object_op = strcmp (op, "PutObject") == 0 || strcmp (op, "GetObject") == 0 ||
                       strcmp (op, "DeleteObject") == 0 || strcmp (op, "HeadObject") == 0;
  g_autofree char *enc_key = NULL;
  g_autofree char *enc_bucket = NULL;
  g_autoptr(GString) query = g_string_new (NULL);

  /* ListBuckets is the one call on the service itself: GET / */
  if (strcmp (op, "ListBuckets") == 0)
    {
      g_free (r->signing_region);
      r->signing_region = g_strdup (region);
      r->s3 = TRUE;
      if (!custom_endpoint)
        {
          g_free (r->host);
          r->host = pw_aws_service_get_default_host (PW_AWS_SERVICE_S3, region);
        }
      r->path = g_strdup_printf ("%s/", base_path);
      return TRUE;
    }
  if (bucket == NULL || *bucket == '\0')
    return invalid_input (error, op, "Bucket");
  if (object_op && (key == NULL || *key == '\0'))
    return invalid_input (error, op, "Key");

  bucket_region = g_hash_table_lookup (self->bucket_regions, bucket);
  if (bucket_region == NULL)
    bucket_region = region;
  g_free (r->signing_region);
  r->signing_region = g_strdup (bucket_region);
  r->s3 = TRUE;

  enc_key = key != NULL ? pw_aws_uri_encode (key, -1, TRUE) : NULL;
  enc_bucket = pw_aws_uri_encode (bucket, -1, FALSE);
  if (!custom_endpoint && is_virtual_host_bucket (bucket))
    {
      g_autofree char *s3_host = pw_aws_service_get_default_host (PW_AWS_SERVICE_S3, bucket_region);

      g_free (r->host);
      r->host = g_strdup_printf ("%s.%s", bucket, s3_host);
      r->path = g_strdup_printf ("/%s", enc_key != NULL ? enc_key : "");
    }
  else
    {
      if (!custom_endpoint)
        {
          g_free (r->host);
          r->host = pw_aws_service_get_default_host (PW_AWS_SERVICE_S3, bucket_region);
        }
      r->path = enc_key != NULL ? g_strdup_printf ("%s/%s/%s", base_path, enc_bucket, enc_key)
                                : g_strdup_printf ("%s/%s", base_path, enc_bucket);
    }

  if (strcmp (op, "CreateBucket") == 0)
    {
      JsonNode *conf = json_object_get_member (call->input, "CreateBucketConfiguration");
      const char *constraint = NULL;

      if (conf != NULL && JSON_NODE_HOLDS_OBJECT (conf))
        constraint = pw_aws_input_string (json_node_get_object (conf), "LocationConstraint");
      else if (strcmp (bucket_region, "us-east-1") != 0)
        constraint = bucket_region;
      if (constraint != NULL)
        {
          g_autofree char *escaped = g_markup_escape_text (constraint, -1);
          char *xml = g_strdup_printf ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                                       "<LocationConstraint>%s</LocationConstraint></CreateBucketConfiguration>",
                                       escaped);

          r->body = g_bytes_new_take (xml, strlen (xml));
          r->content_type = g_strdup ("application/xml");
        }
    }
  else if (strcmp (op, "PutBucketPolicy") == 0)
    {
      const char *policy = pw_aws_input_string (call->input, "Policy");
      g_autoptr(GChecksum) md5 = g_checksum_new (G_CHECKSUM_MD5);
      guint8 digest[16];
      gsize len = sizeof digest;

      if (policy == NULL)
        return invalid_input (error, op, "Policy");
      append_query (query, "policy", NULL);
      r->body = g_bytes_new (policy, strlen (policy));
      r->content_type = g_strdup ("application/json");
      g_checksum_update (md5, (const guchar *) policy, strlen (policy));
      g_checksum_get_digest (md5, digest, &len);
      r->content_md5 = g_base64_encode (digest, len);
    }
  else if (strcmp (op, "PutObject") == 0 && call->kind == PW_AWS_CALL_GENERIC)
    {
      const char *body = pw_aws_input_string (call->input, "Body");
      const char *ctype = pw_aws_input_string (call->input, "ContentType");

      r->body = g_bytes_new (body != NULL ? body : "", body != NULL ? strlen (body) : 0);
      r->content_type = g_strdup (ctype != NULL ? ctype : "application/octet-stream");
    }
  else if (strcmp (op, "PutObject") == 0)
    r->content_type = g_strdup (call->content_type != NULL ? call->content_type : "application/octet-stream");
  else if (strcmp (op, "ListObjectsV2") == 0)
    {
      static const struct { const char *member, *param; } params[] = {
        { "ContinuationToken", "continuation-token" },
        { "Delimiter", "delimiter" },
        { "EncodingType", "encoding-type" },
        { "FetchOwner", "fetch-owner" },
        { "MaxKeys", "max-keys" },
        { "Prefix", "prefix" },
        { "StartAfter", "start-after" },
      };

      append_query (query, "list-type", "2");
      for (guint i = 0; i < G_N_ELEMENTS (params); i++)
        {
          JsonNode *node = json_object_get_member (call->input, params[i].member);
          g_autofree char *value = node != NULL ? scalar_to_string (node) : NULL;

          if (value != NULL)
            append_query (query, params[i].param, value);
        }
    }

  if (query->len > 0)
    r->query = g_strdup (query->str);
  return TRUE;
}

gboolean
pw_aws_call_build_request (PwAwsCall    *call,
                           PwAwsRequest *r,
                           GError      **error)
{
  PwAwsClient *self = call->client;
  const char *endpoint = call->redirect_url != NULL ? call->redirect_url
                         : pw_aws_config_get_endpoint_url (self->config, call->service);
  gboolean custom = endpoint != NULL;
  g_autofree char *base_path = NULL;
  const char *region = self->config->region;
  PwAwsProtocol protocol = pw_aws_service_get_protocol (call->service);

  if (custom)
    {
      g_autoptr(GUri) uri = g_uri_parse (endpoint, G_URI_FLAGS_ENCODED, NULL);

      if (uri == NULL)
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG,
                       _("The endpoint URL “%s” is not valid"), endpoint);
          return FALSE;
        }
      r->scheme = g_strdup (g_uri_get_scheme (uri));
      r->host = g_strdup (g_uri_get_host (uri));
      r->port = g_uri_get_port (uri);
      base_path = g_strdup (g_uri_get_path (uri));
      if (g_str_has_suffix (base_path, "/"))
        base_path[strlen (base_path) - 1] = '\0';
      if (region == NULL)
        region = "us-east-1";
    }
  else
    {
      if (region == NULL)
        {
          g_set_error_literal (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG,
                               _("No AWS region is set: choose one (--region, AWS_REGION or the profile’s region)"));
          return FALSE;
        }
      r->scheme = g_strdup ("https");
      r->host = pw_aws_service_get_default_host (call->service, region);
      r->port = -1;
      base_path = g_strdup ("");
    }
  r->signing_region = g_strdup (pw_aws_service_get_signing_region (call->service, region));

  if (call->redirect_url != NULL && protocol == PW_AWS_PROTOCOL_REST_XML)
    {
      /* A temporary redirect names the whole URL. */
      g_autoptr(GUri) uri = g_uri_parse (call->redirect_url, G_URI_FLAGS_ENCODED, NULL);

      r->method = g_strdup (call->op->http_method);
      r->path = g_strdup (g_uri_get_path (uri));
      r->query = g_strdup (g_uri_get_query (uri));
      r->s3 = TRUE;
      return TRUE;
    }

  switch (protocol)
    {
    case PW_AWS_PROTOCOL_JSON:
      r->method = g_strdup ("POST");
      r->path = g_strdup_printf ("%s/", base_path);
      r->content_type = g_strdup ("application/x-amz-json-1.1");
      r->target = g_strdup_printf ("AmazonPersonalize.%s", call->op->name);
      r->body = json_body (call->input);
      break;
    case PW_AWS_PROTOCOL_REST_JSON:
      r->method = g_strdup (call->op->http_method);
      r->path = g_strdup_printf ("%s%s", base_path, call->op->path);
      r->content_type = g_strdup ("application/json");
      r->body = json_body (call->input);
      break;
    case PW_AWS_PROTOCOL_QUERY:
      {
        GString *form = g_string_new (NULL);
        gsize len;

        g_string_append_printf (form, "Action=%s&Version=%s", call->op->name,
                                call->service == PW_AWS_SERVICE_IAM ? "2010-05-08" : "2011-06-15");
        if (call->input != NULL)
          {
            g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), call->input);

            flatten_query (form, NULL, node);
          }
        r->method = g_strdup ("POST");
        r->path = g_strdup_printf ("%s/", base_path);
        r->content_type = g_strdup ("application/x-www-form-urlencoded; charset=utf-8");
        len = form->len;
        r->body = g_bytes_new_take (g_string_free (form, FALSE), len);
        break;
      }
    case PW_AWS_PROTOCOL_REST_XML:
      r->method = g_strdup (call->op->http_method);
      if (!build_s3 (call, r, base_path, custom, region, error))
        return FALSE;
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

char *
pw_aws_request_host_header (const PwAwsRequest *r)
{
  gboolean default_port = r->port < 0 ||
                          (r->port == 80 && strcmp (r->scheme, "http") == 0) ||
                          (r->port == 443 && strcmp (r->scheme, "https") == 0);
  gboolean ipv6 = strchr (r->host, ':') != NULL;

  if (default_port)
    return ipv6 ? g_strdup_printf ("[%s]", r->host) : g_strdup (r->host);
  return ipv6 ? g_strdup_printf ("[%s]:%d", r->host, r->port) : g_strdup_printf ("%s:%d", r->host, r->port);
}

/* ------------------------------------------------------------------------ */
/* Answers */

/* ListAllMyBucketsResult → { "Buckets": [ { "Name", "CreationDate" } ] },
 * as boto3 shows it (the XML has <Bucket> elements, not <member>). */
static JsonObject *
parse_list_buckets (PwAwsCall   *call,
                    const char  *data,
                    gsize        len,
                    GError     **error)
{
  g_autoptr(PwAwsXmlNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  PwAwsXmlNode *buckets;
  JsonObject *out;
  JsonArray *array = json_array_new ();

  root = pw_aws_xml_parse (data != NULL ? data : "", len, &local_error);
  if (root == NULL || strcmp (root->name, "ListAllMyBucketsResult") != 0)
    {
      json_array_unref (array);
      g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                   _("%s answered %s with <%s>, not <%s>"), pw_aws_service_get_title (call->service),
                   "ListBuckets", root != NULL ? root->name : (local_error != NULL ? local_error->message : "?"),
                   "ListAllMyBucketsResult");
      return NULL;
    }
  buckets = pw_aws_xml_node_child (root, "Buckets");
  for (guint i = 0; buckets != NULL && i < buckets->children->len; i++)
    {
      PwAwsXmlNode *b = g_ptr_array_index (buckets->children, i);
      const char *name = pw_aws_xml_node_child_text (b, "Name");
      const char *date = pw_aws_xml_node_child_text (b, "CreationDate");
      JsonObject *item;

      if (strcmp (b->name, "Bucket") != 0 || name == NULL)
        continue;
      item = json_object_new ();
      json_object_set_string_member (item, "Name", name);
      if (date != NULL)
        json_object_set_string_member (item, "CreationDate", date);
      json_array_add_object_element (array, item);
    }
  out = json_object_new ();
  json_object_set_array_member (out, "Buckets", array);
  return out;
}

JsonObject *
pw_aws_call_parse_success (PwAwsCall *call,
                           GBytes    *body,
                           GError   **error)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (call->msg);
  PwAwsProtocol protocol = pw_aws_service_get_protocol (call->service);
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  g_autoptr(GError) local_error = NULL;
  const char *op = call->op->name;

  if (protocol == PW_AWS_PROTOCOL_JSON || protocol == PW_AWS_PROTOCOL_REST_JSON)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;

      if (len == 0)
        return json_object_new ();
      if (!json_parser_load_from_data (parser, data, len, &local_error))
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                       _("%s sent an answer to %s that is not valid JSON: %s"),
                       pw_aws_service_get_title (call->service), op, local_error->message);
          return NULL;
        }
      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                       _("%s sent an answer to %s that is not a JSON object"),
                       pw_aws_service_get_title (call->service), op);
          return NULL;
        }
      return json_object_ref (json_node_get_object (root));
    }

  if (strcmp (op, "ListBuckets") == 0)
    return parse_list_buckets (call, data, len, error);
  if (protocol == PW_AWS_PROTOCOL_QUERY || strcmp (op, "ListObjectsV2") == 0)
    {
      g_autoptr(PwAwsXmlNode) root = NULL;
      PwAwsXmlNode *result = NULL;
      g_autoptr(JsonNode) json = NULL;

      root = pw_aws_xml_parse (data != NULL ? data : "", len, &local_error);
      if (root == NULL)
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                       _("%s sent an answer to %s that is not valid XML: %s"),
                       pw_aws_service_get_title (call->service), op, local_error->message);
          return NULL;
        }
      if (protocol == PW_AWS_PROTOCOL_QUERY)
        {
          g_autofree char *result_name = g_strconcat (op, "Result", NULL);
          g_autofree char *response_name = g_strconcat (op, "Response", NULL);

          if (strcmp (root->name, response_name) != 0)
            {
              g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                           _("%s answered %s with <%s>, not <%s>"),
                           pw_aws_service_get_title (call->service), op, root->name, response_name);
              return NULL;
            }
          result = pw_aws_xml_node_child (root, result_name);
          if (result == NULL || result->children->len == 0)
            return json_object_new ();
        }
      else
        {
          if (strcmp (root->name, "ListBucketResult") != 0)
            {
              g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_RESPONSE,
                           _("%s answered %s with <%s>, not <%s>"),
                           pw_aws_service_get_title (call->service), op, root->name, "ListBucketResult");
              return NULL;
            }
          result = root;
        }
      json = pw_aws_xml_node_to_json (result);
      if (!JSON_NODE_HOLDS_OBJECT (json))
        return json_object_new ();
      return json_object_ref (json_node_get_object (json));
    }

  /* S3 answers in headers. */
  {
    JsonObject *out = json_object_new ();

    pw_aws_copy_header (out, headers, "ETag", "ETag");
    pw_aws_copy_header (out, headers, "x-amz-version-id", "VersionId");
    if (strcmp (op, "CreateBucket") == 0)
      pw_aws_copy_header (out, headers, "Location", "Location");
    if (strcmp (op, "GetObject") == 0 || strcmp (op, "HeadObject") == 0)
      {
        goffset length = soup_message_headers_get_content_length (headers);

        if (strcmp (op, "GetObject") == 0)
          length = len;
        json_object_set_int_member (out, "ContentLength", length);
        pw_aws_copy_header (out, headers, "Content-Type", "ContentType");
        pw_aws_copy_header (out, headers, "Last-Modified", "LastModified");
      }
    if (strcmp (op, "GetObject") == 0)
      {
        if (!g_utf8_validate (data != NULL ? data : "", len, NULL))
          {
            json_object_unref (out);
            g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_INPUT,
                         _("The object is not text: download it to a file instead"));
            return NULL;
          }
        {
          g_autofree char *text = g_strndup (data != NULL ? data : "", len);

          json_object_set_string_member (out, "Body", text);
        }
      }
    return out;
  }
}
