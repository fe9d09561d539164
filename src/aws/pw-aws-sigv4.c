/* pw-aws-sigv4.c: AWS Signature Version 4, for signing and for verifying
 *
 * The same functions build the canonical request on both sides: the client
 * signs with pw_aws_sigv4_sign() and a server recomputes and compares with
 * pw_aws_sigv4_verify(). Nothing here logs a secret or puts one in an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-aws"

#include "pw-config.h"

#include <stdio.h>
#include <string.h>

#include "pw-aws-error.h"
#include "pw-aws-sigv4.h"

char *
pw_aws_sha256_hex (const void *data,
                   gsize       length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);
}

static gboolean
is_unreserved (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.' || c == '~';
}

/**
 * pw_aws_uri_encode:
 * @text: bytes to encode
 * @length: length of @text, or -1 if nul-terminated
 * @keep_slash: leave `/` as is (paths)
 *
 * Percent-encodes every byte but `A-Za-z0-9-_.~` (RFC 3986, uppercase hex),
 * as SigV4 wants.
 */
char *
pw_aws_uri_encode (const char *text,
                   gssize      length,
                   gboolean    keep_slash)
{
  GString *out;

  if (length < 0)
    length = strlen (text);
  out = g_string_sized_new (length + 8);
  for (gssize i = 0; i < length; i++)
    {
      guchar c = text[i];

      if (is_unreserved (c) || (keep_slash && c == '/'))
        g_string_append_c (out, c);
      else
        g_string_append_printf (out, "%%%02X", c);
    }
  return g_string_free (out, FALSE);
}

/**
 * pw_aws_uri_decode:
 *
 * Decodes `%XX` escapes (and only those: `+` stays `+`). Invalid escapes are
 * kept literally. The result may contain any byte but NUL (`%00` is kept).
 */
char *
pw_aws_uri_decode (const char *text,
                   gssize      length)
{
  GString *out;

  if (length < 0)
    length = strlen (text);
  out = g_string_sized_new (length);
  for (gssize i = 0; i < length; i++)
    {
      if (text[i] == '%' && i + 2 < length
          && g_ascii_isxdigit (text[i + 1]) && g_ascii_isxdigit (text[i + 2]))
        {
          int v = g_ascii_xdigit_value (text[i + 1]) * 16 + g_ascii_xdigit_value (text[i + 2]);
          if (v != 0)
            {
              g_string_append_c (out, (char) v);
              i += 2;
              continue;
            }
        }
      g_string_append_c (out, text[i]);
    }
  return g_string_free (out, FALSE);
}

char *
pw_aws_sigv4_format_date (GDateTime *when)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (when);

  return g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
}

/* RFC 3986 5.2.4, and consecutive slashes collapsed, as botocore does. */
static char *
remove_dot_segments (const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  g_autoptr(GPtrArray) out = g_ptr_array_new ();
  gsize len = strlen (path);
  GString *result;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *p = parts[i];

      if (*p == '\0' || strcmp (p, ".") == 0)
        continue;
      if (strcmp (p, "..") == 0)
        {
          if (out->len > 0)
            g_ptr_array_remove_index (out, out->len - 1);
          continue;
        }
      g_ptr_array_add (out, (gpointer) p);
    }

  result = g_string_new (path[0] == '/' ? "/" : "");
  for (guint i = 0; i < out->len; i++)
    {
      if (i > 0)
        g_string_append_c (result, '/');
      g_string_append (result, g_ptr_array_index (out, i));
    }
  if (len > 0 && path[len - 1] == '/' && out->len > 0)
    g_string_append_c (result, '/');
  return g_string_free (result, FALSE);
}

/**
 * pw_aws_sigv4_canonical_uri:
 * @raw_path: the path exactly as sent on the request line (percent-encoded)
 * @s3: S3's rule
 *
 * S3: the path as sent. Others: the path with dot segments and repeated
 * slashes removed, then URI-encoded again (so `%20` becomes `%2520`).
 */
char *
pw_aws_sigv4_canonical_uri (const char *raw_path,
                            gboolean    s3)
{
  g_autofree char *normalized = NULL;

  if (raw_path == NULL || *raw_path == '\0')
    return g_strdup ("/");
  if (s3)
    return g_strdup (raw_path);
  normalized = remove_dot_segments (raw_path);
  if (*normalized == '\0')
    return g_strdup ("/");
  return pw_aws_uri_encode (normalized, -1, TRUE);
}

typedef struct
{
  char *key;
  char *value;
} QueryPair;

static int
compare_query_pairs (gconstpointer a,
                     gconstpointer b)
{
  const QueryPair *pa = a, *pb = b;
  int c = strcmp (pa->key, pb->key);

  return c != 0 ? c : strcmp (pa->value, pb->value);
}

/**
 * pw_aws_sigv4_canonical_query:
 * @raw_query: (nullable): the query as sent, without `?`
 *
 * Each name and value is decoded and encoded again (RFC 3986), the pairs are
 * sorted by name then value, a name without `=` gets an empty value.
 */
char *
pw_aws_sigv4_canonical_query (const char *raw_query)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GArray) pairs = NULL;
  GString *out;

  if (raw_query == NULL || *raw_query == '\0')
    return g_strdup ("");

  parts = g_strsplit (raw_query, "&", -1);
  pairs = g_array_new (FALSE, FALSE, sizeof (QueryPair));
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *eq;
      g_autofree char *k = NULL, *v = NULL;
      QueryPair pair;

      if (*parts[i] == '\0')
        continue;
      eq = strchr (parts[i], '=');
      k = pw_aws_uri_decode (parts[i], eq != NULL ? eq - parts[i] : -1);
      v = pw_aws_uri_decode (eq != NULL ? eq + 1 : "", -1);
      pair.key = pw_aws_uri_encode (k, -1, FALSE);
      pair.value = pw_aws_uri_encode (v, -1, FALSE);
      g_array_append_val (pairs, pair);
    }
  g_array_sort (pairs, compare_query_pairs);

  out = g_string_new (NULL);
  for (guint i = 0; i < pairs->len; i++)
    {
      QueryPair *pair = &g_array_index (pairs, QueryPair, i);

      if (i > 0)
        g_string_append_c (out, '&');
      g_string_append_printf (out, "%s=%s", pair->key, pair->value);
      g_free (pair->key);
      g_free (pair->value);
    }
  return g_string_free (out, FALSE);
}

/* Trimall: strip, and runs of whitespace become one space. */
static void
append_trimmed (GString    *out,
                const char *value)
{
  gboolean pending_space = FALSE;
  gboolean any = FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          pending_space = any;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_c (out, *p);
      any = TRUE;
    }
}

/* Every value of header @name (case-insensitive), trimmed, joined by ','.
 * Returns NULL when the header is absent. */
static char *
header_values (SoupMessageHeaders *headers,
               const char         *name)
{
  SoupMessageHeadersIter iter;
  const char *hname, *hvalue;
  GString *out = NULL;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &hname, &hvalue))
    {
      if (g_ascii_strcasecmp (hname, name) != 0)
        continue;
      if (out == NULL)
        out = g_string_new (NULL);
      else
        g_string_append_c (out, ',');
      append_trimmed (out, hvalue);
    }
  return out != NULL ? g_string_free (out, FALSE) : NULL;
}

char *
pw_aws_sigv4_canonical_request (const char          *method,
                                const char          *raw_path,
                                const char          *raw_query,
                                SoupMessageHeaders  *headers,
                                const char * const  *signed_headers,
                                const char          *payload_hash,
                                gboolean             s3,
                                GError             **error)
{
  g_autofree char *uri = pw_aws_sigv4_canonical_uri (raw_path, s3);
  g_autofree char *query = pw_aws_sigv4_canonical_query (raw_query);
  g_autofree char *method_up = g_ascii_strup (method, -1);
  g_autofree char *names = g_strjoinv (";", (char **) signed_headers);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%s\n%s\n%s\n", method_up, uri, query);
  for (guint i = 0; signed_headers[i] != NULL; i++)
    {
      g_autofree char *value = header_values (headers, signed_headers[i]);

      if (value == NULL)
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_SIGNATURE,
                       "The signed header “%s” is missing from the request",
                       signed_headers[i]);
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_printf (out, "%s:%s\n", signed_headers[i], value);
    }
  g_string_append_printf (out, "\n%s\n%s", names, payload_hash);
  return g_string_free (out, FALSE);
}

char *
pw_aws_sigv4_string_to_sign (const char *amz_date,
                             const char *scope,
                             const char *canonical_request)
{
  g_autofree char *hash = pw_aws_sha256_hex (canonical_request, strlen (canonical_request));

  return g_strdup_printf (PW_AWS_SIGV4_ALGORITHM "\n%s\n%s\n%s", amz_date, scope, hash);
}

static void
hmac_sha256 (const guchar *key,
             gsize         key_len,
             const char   *msg,
             guchar        out[32])
{
  GHmac *hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  gsize len = 32;

  g_hmac_update (hmac, (const guchar *) msg, strlen (msg));
  g_hmac_get_digest (hmac, out, &len);
  g_hmac_unref (hmac);
}

char *
pw_aws_sigv4_signature (const char *secret_access_key,
                        const char *date,
                        const char *region,
                        const char *service,
                        const char *string_to_sign)
{
  char *key = g_strconcat ("AWS4", secret_access_key, NULL);
  guchar k1[32], k2[32];
  char *hex;

  hmac_sha256 ((const guchar *) key, strlen (key), date, k1);
  pw_aws_secret_free (key);
  hmac_sha256 (k1, 32, region, k2);
  hmac_sha256 (k2, 32, service, k1);
  hmac_sha256 (k1, 32, "aws4_request", k2);
  hmac_sha256 (k2, 32, string_to_sign, k1);

  hex = g_malloc (65);
  for (int i = 0; i < 32; i++)
    {
      hex[2 * i] = "0123456789abcdef"[k1[i] >> 4];
      hex[2 * i + 1] = "0123456789abcdef"[k1[i] & 15];
    }
  hex[64] = '\0';
  memset (k1, 0, sizeof k1);
  memset (k2, 0, sizeof k2);
  return hex;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
header_is_signed_by_default (const char *lower)
{
  return strcmp (lower, "host") == 0 || strcmp (lower, "content-type") == 0 ||
         strcmp (lower, "content-md5") == 0 || g_str_has_prefix (lower, "x-amz-");
}

/* The lowercase, sorted, unique names of the headers to sign. */
static GPtrArray *
choose_signed_headers (SoupMessageHeaders *headers,
                       PwAwsSigv4Flags     flags)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  SoupMessageHeadersIter iter;
  const char *hname, *hvalue;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &hname, &hvalue))
    {
      g_autofree char *lower = g_ascii_strdown (hname, -1);
      gboolean seen = FALSE;

      if (strcmp (lower, "authorization") == 0)
        continue;
      if (flags & PW_AWS_SIGV4_SIGN_ALL_HEADERS)
        {
          if (strcmp (lower, "user-agent") == 0 || strcmp (lower, "expect") == 0 ||
              strcmp (lower, "x-amzn-trace-id") == 0)
            continue;
        }
      else if (!header_is_signed_by_default (lower))
        continue;
      for (guint i = 0; i < names->len && !seen; i++)
        seen = strcmp (g_ptr_array_index (names, i), lower) == 0;
      if (!seen)
        g_ptr_array_add (names, g_steal_pointer (&lower));
    }
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return names;
}

/**
 * pw_aws_sigv4_sign:
 * @method: the HTTP method
 * @raw_path: the path as it will be sent (percent-encoded)
 * @raw_query: (nullable): the query as it will be sent
 * @headers: the request headers; must hold `Host` (and `Content-Type` when
 *   there is a body). Sets `X-Amz-Date`, `X-Amz-Security-Token` (temporary
 *   credentials), `X-Amz-Content-SHA256` (S3) and `Authorization`.
 * @payload_hash: hex SHA-256 of the body, or %PW_AWS_UNSIGNED_PAYLOAD (S3)
 * @credentials: the keys
 * @region: the signing region
 * @service: the signing name (`personalize` for runtime and events too)
 * @when: the signing time (the client adds its clock correction)
 * @flags: S3 rules, which headers to sign
 * @out_canonical_request: (out) (optional): the canonical request (no
 *   secret in it), for debugging and tests
 */
gboolean
pw_aws_sigv4_sign (const char              *method,
                   const char              *raw_path,
                   const char              *raw_query,
                   SoupMessageHeaders      *headers,
                   const char              *payload_hash,
                   const PwAwsCredentials  *credentials,
                   const char              *region,
                   const char              *service,
                   GDateTime               *when,
                   PwAwsSigv4Flags          flags,
                   char                   **out_canonical_request,
                   GError                 **error)
{
  g_autofree char *amz_date = pw_aws_sigv4_format_date (when);
  g_autofree char *date = g_strndup (amz_date, 8);
  g_autofree char *scope = g_strdup_printf ("%s/%s/%s/aws4_request", date, region, service);
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *sts = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *signed_list = NULL;
  g_autofree char *auth = NULL;

  g_return_val_if_fail (credentials != NULL, FALSE);
  g_return_val_if_fail (payload_hash != NULL, FALSE);

  soup_message_headers_remove (headers, "Authorization");
  soup_message_headers_replace (headers, "X-Amz-Date", amz_date);
  soup_message_headers_remove (headers, "X-Amz-Security-Token");
  if (credentials->session_token != NULL)
    soup_message_headers_replace (headers, "X-Amz-Security-Token", credentials->session_token);
  if (flags & PW_AWS_SIGV4_S3)
    soup_message_headers_replace (headers, "X-Amz-Content-SHA256", payload_hash);
  if (soup_message_headers_get_one (headers, "Host") == NULL)
    {
      g_set_error_literal (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_INPUT,
                           "A request to sign needs a Host header");
      return FALSE;
    }

  names = choose_signed_headers (headers, flags);
  canonical = pw_aws_sigv4_canonical_request (method, raw_path, raw_query, headers,
                                              (const char * const *) names->pdata,
                                              payload_hash, (flags & PW_AWS_SIGV4_S3) != 0,
                                              error);
  if (canonical == NULL)
    return FALSE;
  sts = pw_aws_sigv4_string_to_sign (amz_date, scope, canonical);
  signature = pw_aws_sigv4_signature (credentials->secret_access_key, date, region, service, sts);
  signed_list = g_strjoinv (";", (char **) names->pdata);
  auth = g_strdup_printf (PW_AWS_SIGV4_ALGORITHM " Credential=%s/%s, SignedHeaders=%s, Signature=%s",
                          credentials->access_key_id, scope, signed_list, signature);
  soup_message_headers_replace (headers, "Authorization", auth);
  if (out_canonical_request != NULL)
    *out_canonical_request = g_steal_pointer (&canonical);
  return TRUE;
}

void
pw_aws_authorization_free (PwAwsAuthorization *authorization)
{
  if (authorization == NULL)
    return;
  g_free (authorization->access_key_id);
  g_free (authorization->date);
  g_free (authorization->region);
  g_free (authorization->service);
  g_strfreev (authorization->signed_headers);
  g_free (authorization->signature);
  g_free (authorization);
}

static gboolean
all_chars (const char *s,
           gboolean  (*ok) (char c))
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!ok (*s))
      return FALSE;
  return TRUE;
}

static gboolean
is_key_char (char c)
{
  return g_ascii_isupper (c) || g_ascii_isdigit (c) || g_ascii_islower (c);
}

static gboolean
is_scope_char (char c)
{
  return g_ascii_islower (c) || g_ascii_isdigit (c) || c == '-';
}

static gboolean
is_header_name_char (char c)
{
  return g_ascii_islower (c) || g_ascii_isdigit (c) || c == '-' || c == '_' || c == '.';
}

static gboolean
is_lower_hex (char c)
{
  return g_ascii_isdigit (c) || (c >= 'a' && c <= 'f');
}

static gboolean
valid_date (const char *d)
{
  int y, m, day;

  if (strlen (d) != 8)
    return FALSE;
  for (int i = 0; i < 8; i++)
    if (!g_ascii_isdigit (d[i]))
      return FALSE;
  y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
  m = (d[4] - '0') * 10 + (d[5] - '0');
  day = (d[6] - '0') * 10 + (d[7] - '0');
  return g_date_valid_dmy (day, m, y);
}

static gboolean
malformed (GError    **error,
           const char *what)
{
  g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_SIGNATURE,
               "Malformed Authorization header: %s", what);
  return FALSE;
}

/**
 * pw_aws_authorization_parse:
 * @header: an `Authorization` header value
 *
 * Strict: the algorithm must be AWS4-HMAC-SHA256; `Credential`,
 * `SignedHeaders` and `Signature` must each appear exactly once (in any
 * order, separated by commas with optional spaces) and nothing else; the
 * scope must be `KEY/YYYYMMDD/region/service/aws4_request` with a valid date;
 * the signed headers must be lowercase, sorted, unique and include `host`;
 * the signature must be 64 lowercase hex digits.
 *
 * Returns: (transfer full): the parts, or %NULL with a PW_AWS_ERROR_SIGNATURE
 *   error whose code is `IncompleteSignature`
 */
PwAwsAuthorization *
pw_aws_authorization_parse (const char  *header,
                            GError     **error)
{
  g_autoptr(PwAwsAuthorization) auth = g_new0 (PwAwsAuthorization, 1);
  g_auto(GStrv) parts = NULL;
  const char *rest;
  g_autofree char *credential = NULL;
  g_autofree char *signed_headers = NULL;
  g_autofree char *signature = NULL;
  g_auto(GStrv) scope = NULL;
  g_autoptr(GError) local_error = NULL;

  if (header == NULL)
    {
      malformed (&local_error, "missing");
      goto fail;
    }
  if (!g_str_has_prefix (header, PW_AWS_SIGV4_ALGORITHM " "))
    {
      malformed (&local_error, "the algorithm is not " PW_AWS_SIGV4_ALGORITHM);
      goto fail;
    }
  rest = header + strlen (PW_AWS_SIGV4_ALGORITHM);
  while (*rest == ' ')
    rest++;

  parts = g_strsplit (rest, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *p = g_strstrip (parts[i]);
      char **slot;
      const char *value;

      if (g_str_has_prefix (p, "Credential="))
        slot = &credential, value = p + strlen ("Credential=");
      else if (g_str_has_prefix (p, "SignedHeaders="))
        slot = &signed_headers, value = p + strlen ("SignedHeaders=");
      else if (g_str_has_prefix (p, "Signature="))
        slot = &signature, value = p + strlen ("Signature=");
      else
        {
          malformed (&local_error, "unknown or empty component");
          goto fail;
        }
      if (*slot != NULL)
        {
          malformed (&local_error, "a component appears twice");
          goto fail;
        }
      if (strchr (value, ' ') != NULL)
        {
          malformed (&local_error, "a component contains a space");
          goto fail;
        }
      *slot = g_strdup (value);
    }
  if (credential == NULL || signed_headers == NULL || signature == NULL)
    {
      malformed (&local_error, "Credential, SignedHeaders and Signature are all required");
      goto fail;
    }

  scope = g_strsplit (credential, "/", -1);
  if (g_strv_length (scope) != 5)
    {
      malformed (&local_error, "the credential must be KEY/DATE/REGION/SERVICE/aws4_request");
      goto fail;
    }
  if (!all_chars (scope[0], is_key_char) || strlen (scope[0]) > 128)
    {
      malformed (&local_error, "invalid access key id");
      goto fail;
    }
  if (!valid_date (scope[1]))
    {
      malformed (&local_error, "invalid date in the credential scope");
      goto fail;
    }
  if (!all_chars (scope[2], is_scope_char) || !all_chars (scope[3], is_scope_char))
    {
      malformed (&local_error, "invalid region or service in the credential scope");
      goto fail;
    }
  if (strcmp (scope[4], "aws4_request") != 0)
    {
      malformed (&local_error, "the credential scope must end with aws4_request");
      goto fail;
    }

  auth->signed_headers = g_strsplit (signed_headers, ";", -1);
  {
    gboolean has_host = FALSE;

    for (guint i = 0; auth->signed_headers[i] != NULL; i++)
      {
        if (!all_chars (auth->signed_headers[i], is_header_name_char))
          {
            malformed (&local_error, "invalid name in SignedHeaders");
            goto fail;
          }
        if (i > 0 && strcmp (auth->signed_headers[i - 1], auth->signed_headers[i]) >= 0)
          {
            malformed (&local_error, "SignedHeaders must be sorted and unique");
            goto fail;
          }
        has_host |= strcmp (auth->signed_headers[i], "host") == 0;
      }
    if (!has_host)
      {
        malformed (&local_error, "SignedHeaders must include host");
        goto fail;
      }
  }

  if (strlen (signature) != 64 || !all_chars (signature, is_lower_hex))
    {
      malformed (&local_error, "the signature must be 64 lowercase hex digits");
      goto fail;
    }

  auth->access_key_id = g_strdup (scope[0]);
  auth->date = g_strdup (scope[1]);
  auth->region = g_strdup (scope[2]);
  auth->service = g_strdup (scope[3]);
  auth->signature = g_steal_pointer (&signature);
  return g_steal_pointer (&auth);

fail:
  if (error != NULL)
    *error = pw_aws_error_new (PW_AWS_ERROR_SIGNATURE, "IncompleteSignature", 400, NULL, NULL,
                               "%s", local_error->message);
  return NULL;
}

static gboolean
constant_time_equal (const char *a,
                     const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guchar diff = la != lb;

  for (gsize i = 0; i < la && i < lb; i++)
    diff |= (guchar) (a[i] ^ b[i]);
  return diff == 0;
}

static gboolean
strv_has (char       **strv,
          const char  *s)
{
  return g_strv_contains ((const char * const *) strv, s);
}

static gboolean
verify_fail (GError           **error,
             PwAwsSigv4Dialect  dialect,
             const char        *json_code,
             const char        *query_code,
             const char        *s3_code,
             guint              status,
             const char        *message)
{
  const char *code = dialect == PW_AWS_SIGV4_DIALECT_S3 ? s3_code :
                     dialect == PW_AWS_SIGV4_DIALECT_QUERY ? query_code : json_code;

  if (error != NULL)
    *error = pw_aws_error_new (PW_AWS_ERROR_SIGNATURE, code, status, NULL, message, "%s", message);
  return FALSE;
}

static GDateTime *
parse_amz_date (const char *s)
{
  int y, mo, d, h, mi, sec;
  char z;

  if (s == NULL || strlen (s) != 16)
    return NULL;
  if (sscanf (s, "%4d%2d%2dT%2d%2d%2d%c", &y, &mo, &d, &h, &mi, &sec, &z) != 7 || z != 'Z')
    return NULL;
  return g_date_time_new_utc (y, mo, d, h, mi, sec);
}

/* ---- query-string authentication (presigned URLs) ---- */

/* The decoded value of NAME in RAW_QUERY (the first one), or NULL; *COUNT
 * (optional) tells how many times NAME occurs. */
static char *
query_get (const char *raw_query,
           const char *name,
           guint      *count)
{
  g_auto(GStrv) parts = NULL;
  char *value = NULL;
  guint n = 0;

  if (raw_query != NULL)
    parts = g_strsplit (raw_query, "&", -1);
  for (guint i = 0; parts != NULL && parts[i] != NULL; i++)
    {
      const char *eq = strchr (parts[i], '=');
      g_autofree char *key = pw_aws_uri_decode (parts[i], eq != NULL ? eq - parts[i] : -1);

      if (strcmp (key, name) != 0)
        continue;
      if (n++ == 0)
        value = pw_aws_uri_decode (eq != NULL ? eq + 1 : "", -1);
    }
  if (count != NULL)
    *count = n;
  return value;
}

/* RAW_QUERY without its NAME parameters, as sent otherwise. */
static char *
query_without (const char *raw_query,
               const char *name)
{
  g_auto(GStrv) parts = g_strsplit (raw_query != NULL ? raw_query : "", "&", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *eq = strchr (parts[i], '=');
      g_autofree char *key = pw_aws_uri_decode (parts[i], eq != NULL ? eq - parts[i] : -1);

      if (*parts[i] == '\0' || strcmp (key, name) == 0)
        continue;
      if (out->len > 0)
        g_string_append_c (out, '&');
      g_string_append (out, parts[i]);
    }
  return g_string_free (out, FALSE);
}

/**
 * pw_aws_presigned_kind:
 * @raw_query: (nullable): a request's query as received
 *
 * Which query-string authentication a request uses: SigV4's
 * (`X-Amz-Algorithm`, `X-Amz-Credential`, … `X-Amz-Signature`), S3's older
 * SigV2 form (`AWSAccessKeyId`, `Signature`, `Expires`), which botocore and
 * the AWS CLI still produce for `generate_presigned_url` and `aws s3
 * presign` unless told `signature_version = s3v4`, or none.
 */
PwAwsPresignedKind
pw_aws_presigned_kind (const char *raw_query)
{
  g_autofree char *algorithm = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *key = NULL;

  if (raw_query == NULL || *raw_query == '\0')
    return PW_AWS_PRESIGNED_NONE;
  algorithm = query_get (raw_query, "X-Amz-Algorithm", NULL);
  signature = query_get (raw_query, "X-Amz-Signature", NULL);
  if (algorithm != NULL || signature != NULL)
    return PW_AWS_PRESIGNED_SIGV4;
  key = query_get (raw_query, "AWSAccessKeyId", NULL);
  g_clear_pointer (&signature, g_free);
  signature = query_get (raw_query, "Signature", NULL);
  if (key != NULL && signature != NULL)
    return PW_AWS_PRESIGNED_SIGV2;
  return PW_AWS_PRESIGNED_NONE;
}

/**
 * pw_aws_presigned_service:
 * @raw_query: (nullable): a request's query as received
 *
 * Returns: (transfer full) (nullable): the service of a presigned URL's
 *   credential scope (`s3` for SigV2), or %NULL when it has none
 */
char *
pw_aws_presigned_service (const char *raw_query)
{
  g_autofree char *credential = NULL;
  g_auto(GStrv) scope = NULL;

  switch (pw_aws_presigned_kind (raw_query))
    {
    case PW_AWS_PRESIGNED_SIGV2:
      return g_strdup ("s3");
    case PW_AWS_PRESIGNED_SIGV4:
      credential = query_get (raw_query, "X-Amz-Credential", NULL);
      if (credential == NULL)
        return NULL;
      scope = g_strsplit (credential, "/", -1);
      if (g_strv_length (scope) != 5 || !all_chars (scope[3], is_scope_char))
        return NULL;
      return g_strdup (scope[3]);
    case PW_AWS_PRESIGNED_NONE:
    default:
      return NULL;
    }
}

/* S3's sub-resources that SigV2 signs, sorted. */
static const char * const sigv2_subresources[] = {
  "acl", "cors", "delete", "lifecycle", "location", "logging", "notification", "partNumber", "policy",
  "requestPayment", "response-cache-control", "response-content-disposition", "response-content-encoding",
  "response-content-language", "response-content-type", "response-expires", "restore", "tagging", "torrent",
  "uploadId", "uploads", "versionId", "versioning", "versions", "website", NULL
};

/* A SigV2 presigned S3 URL (AWSAccessKeyId, Expires, Signature). */
static gboolean
verify_presigned_v2 (const char             *method,
                     const char             *raw_path,
                     const char             *raw_query,
                     SoupMessageHeaders     *headers,
                     PwAwsSigv4Dialect       dialect,
                     PwAwsSecretLookupFunc   lookup,
                     gpointer                user_data,
                     GDateTime              *server_now,
                     PwAwsAuthorization    **out_authorization,
                     GError                **error)
{
  g_autofree char *key = query_get (raw_query, "AWSAccessKeyId", NULL);
  g_autofree char *signature = query_get (raw_query, "Signature", NULL);
  g_autofree char *expires = query_get (raw_query, "Expires", NULL);
  g_autofree char *token = query_get (raw_query, "x-amz-security-token", NULL);
  g_autoptr(GPtrArray) amz = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *method_up = g_ascii_strup (method, -1);
  g_autofree char *expected = NULL;
  char *secret = NULL;
  char *expected_token = NULL;
  GString *sts;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  gint64 expires_at;
  char *end = NULL;
  guchar digest[20];
  gsize digest_len = sizeof digest;
  GHmac *hmac;
  guint n_sub = 0;

  if (dialect != PW_AWS_SIGV4_DIALECT_S3)
    return verify_fail (error, dialect, "IncompleteSignatureException", "IncompleteSignature", "", 400,
                        "Query-string authentication with AWSAccessKeyId and Signature is S3's only");
  if (expires == NULL || *expires == '\0')
    return verify_fail (error, dialect, "", "", "AccessDenied", 403,
                        "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters");
  expires_at = g_ascii_strtoll (expires, &end, 10);
  if (*end != '\0' || !g_ascii_isdigit (expires[0]) || expires_at <= 0 || expires_at == G_MAXINT64)
    return verify_fail (error, dialect, "", "", "AccessDenied", 403,
                        "Invalid date (should be seconds since epoch): the Expires parameter is not a number");
  if (g_date_time_to_unix (server_now) > expires_at)
    return verify_fail (error, dialect, "", "", "AccessDenied", 403, "Request has expired");
  if (!lookup (key, &secret, &expected_token, user_data))
    return verify_fail (error, dialect, "", "", "InvalidAccessKeyId", 403,
                        "The AWS Access Key Id you provided does not exist in our records.");
  if (expected_token != NULL || token != NULL)
    {
      gboolean token_ok = token != NULL && expected_token != NULL && constant_time_equal (token, expected_token);

      pw_aws_secret_free (expected_token);
      if (!token_ok)
        {
          pw_aws_secret_free (secret);
          return verify_fail (error, dialect, "", "", "InvalidToken", 403,
                              "The provided token is malformed or otherwise invalid.");
        }
    }

  /* StringToSign: VERB, Content-MD5, Content-Type, Expires, the x-amz-*
   * headers (and the query's x-amz-security-token), then the resource. */
  sts = g_string_new (NULL);
  g_string_append_printf (sts, "%s\n", method_up);
  value = soup_message_headers_get_one (headers, "Content-MD5");
  g_string_append_printf (sts, "%s\n", value != NULL ? value : "");
  value = soup_message_headers_get_one (headers, "Content-Type");
  g_string_append_printf (sts, "%s\n", value != NULL ? value : "");
  g_string_append_printf (sts, "%s\n", expires);
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autofree char *lower = g_ascii_strdown (name, -1);

      if (g_str_has_prefix (lower, "x-amz-"))
        g_ptr_array_add (amz, g_strdup_printf ("%s:%s", lower, value));
    }
  if (token != NULL)
    g_ptr_array_add (amz, g_strdup_printf ("x-amz-security-token:%s", token));
  g_ptr_array_sort (amz, compare_strings);
  for (guint i = 0; i < amz->len; i++)
    g_string_append_printf (sts, "%s\n", (const char *) amz->pdata[i]);
  g_string_append (sts, raw_path != NULL && *raw_path != '\0' ? raw_path : "/");
  for (guint i = 0; sigv2_subresources[i] != NULL; i++)
    {
      guint count = 0;
      g_autofree char *sub = query_get (raw_query, sigv2_subresources[i], &count);

      if (count == 0)
        continue;
      g_string_append_c (sts, n_sub++ == 0 ? '?' : '&');
      g_string_append (sts, sigv2_subresources[i]);
      if (sub != NULL && *sub != '\0')
        g_string_append_printf (sts, "=%s", sub);
    }

  hmac = g_hmac_new (G_CHECKSUM_SHA1, (const guchar *) secret, strlen (secret));
  pw_aws_secret_free (secret);
  g_hmac_update (hmac, (const guchar *) sts->str, sts->len);
  g_hmac_get_digest (hmac, digest, &digest_len);
  g_hmac_unref (hmac);
  g_string_free (sts, TRUE);
  expected = g_base64_encode (digest, digest_len);
  if (!constant_time_equal (expected, signature))
    return verify_fail (error, dialect, "", "", "SignatureDoesNotMatch", 403,
                        "The request signature we calculated does not match the signature you provided. "
                        "Check your key and signing method.");
  if (out_authorization != NULL)
    {
      PwAwsAuthorization *auth = g_new0 (PwAwsAuthorization, 1);

      auth->access_key_id = g_steal_pointer (&key);
      auth->date = g_strdup ("");
      auth->region = g_strdup ("");
      auth->service = g_strdup ("s3");
      auth->signed_headers = g_new0 (char *, 1);
      auth->signature = g_steal_pointer (&signature);
      *out_authorization = auth;
    }
  return TRUE;
}

#define PRESIGNED_V4_PARAMETERS "Query-string authentication version 4 requires the X-Amz-Algorithm, " \
  "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."

/* A SigV4 presigned URL: the X-Amz-* query parameters instead of the
 * Authorization header; the canonical query is every parameter but
 * X-Amz-Signature; S3 signs UNSIGNED-PAYLOAD. */
static gboolean
verify_presigned_v4 (const char             *method,
                     const char             *raw_path,
                     const char             *raw_query,
                     SoupMessageHeaders     *headers,
                     const char             *payload_hash,
                     PwAwsSigv4Dialect       dialect,
                     PwAwsSecretLookupFunc   lookup,
                     gpointer                user_data,
                     GDateTime              *server_now,
                     PwAwsAuthorization    **out_authorization,
                     GError                **error)
{
  gboolean s3 = dialect == PW_AWS_SIGV4_DIALECT_S3;
  static const char * const names[] = { "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date",
                                        "X-Amz-SignedHeaders", "X-Amz-Expires" };
  char *values[G_N_ELEMENTS (names)] = { NULL };
  g_autofree char *token = NULL;
  g_autofree char *header = NULL;
  g_autofree char *signed_query = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *sts = NULL;
  g_autofree char *signature = NULL;
  g_autoptr(PwAwsAuthorization) auth = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GDateTime) signed_at = NULL;
  const char *content_sha;
  const char *hash;
  char *secret = NULL;
  char *expected_token = NULL;
  gint64 expires;
  char *end = NULL;
  gboolean ok = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      guint count = 0;

      values[i] = query_get (raw_query, names[i], &count);
      if (values[i] == NULL || *values[i] == '\0' || count != 1)
        {
          verify_fail (error, dialect, "IncompleteSignatureException", "IncompleteSignature",
                       "AuthorizationQueryParametersError", 400, PRESIGNED_V4_PARAMETERS);
          goto out;
        }
    }
  if (strcmp (values[0], PW_AWS_SIGV4_ALGORITHM) != 0)
    {
      verify_fail (error, dialect, "IncompleteSignatureException", "IncompleteSignature",
                   "AuthorizationQueryParametersError", 400,
                   "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
      goto out;
    }
  expires = g_ascii_strtoll (values[5], &end, 10);
  if (*end != '\0' || !(g_ascii_isdigit (values[5][0]) || values[5][0] == '-'))
    {
      verify_fail (error, dialect, "IncompleteSignatureException", "IncompleteSignature",
                   "AuthorizationQueryParametersError", 400, "X-Amz-Expires should be a number");
      goto out;
    }
  if (expires < 1)
    {
      verify_fail (error, dialect, "IncompleteSignatureException", "IncompleteSignature",
                   "AuthorizationQueryParametersError", 400, "X-Amz-Expires must be non-negative and not zero");
      goto out;
    }
  if (expires > PW_AWS_PRESIGNED_MAX_EXPIRES)
    {
      verify_fail (error, dialect, "IncompleteSignatureException", "IncompleteSignature",
                   "AuthorizationQueryParametersError", 400,
                   "X-Amz-Expires must be less than a week (in seconds) that is 604800");
      goto out;
    }
  signed_at = parse_amz_date (values[3]);
  if (signed_at == NULL)
    {
      verify_fail (error, dialect, "IncompleteSignatureException", "IncompleteSignature",
                   "AuthorizationQueryParametersError", 400,
                   "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
      goto out;
    }
  header = g_strdup_printf (PW_AWS_SIGV4_ALGORITHM " Credential=%s, SignedHeaders=%s, Signature=%s",
                            values[1], values[4], values[2]);
  auth = pw_aws_authorization_parse (header, &parse_error);
  if (auth == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Error parsing the X-Amz-Credential, X-Amz-SignedHeaders or "
                                                  "X-Amz-Signature parameter: %s", parse_error->message);

      verify_fail (error, dialect, "IncompleteSignatureException", "IncompleteSignature",
                   "AuthorizationQueryParametersError", 400, message);
      goto out;
    }
  if (strncmp (values[3], auth->date, 8) != 0)
    {
      verify_fail (error, dialect, "InvalidSignatureException", "SignatureDoesNotMatch",
                   "AuthorizationQueryParametersError", 400,
                   "The credential scope's date does not match X-Amz-Date");
      goto out;
    }
  {
    GTimeSpan age = g_date_time_difference (server_now, signed_at) / G_TIME_SPAN_SECOND;

    if (age > expires)
      {
        verify_fail (error, dialect, "InvalidSignatureException", "RequestExpired", "AccessDenied", 403,
                     "Request has expired");
        goto out;
      }
    if (age < -PW_AWS_SIGV4_MAX_SKEW_SECONDS)
      {
        verify_fail (error, dialect, "InvalidSignatureException", "RequestExpired", "AccessDenied", 403,
                     "Request is not valid yet");
        goto out;
      }
  }

  if (!lookup (auth->access_key_id, &secret, &expected_token, user_data))
    {
      verify_fail (error, dialect, "UnrecognizedClientException", "InvalidClientTokenId", "InvalidAccessKeyId", 403,
                   "The AWS Access Key Id you provided does not exist in our records.");
      goto out;
    }
  token = query_get (raw_query, "X-Amz-Security-Token", NULL);
  if (expected_token != NULL || token != NULL)
    {
      gboolean token_ok = token != NULL && expected_token != NULL && constant_time_equal (token, expected_token);

      pw_aws_secret_free (expected_token);
      if (!token_ok)
        {
          pw_aws_secret_free (secret);
          verify_fail (error, dialect, "UnrecognizedClientException", "InvalidClientTokenId", "InvalidToken", 403,
                       "The security token included in the request is invalid");
          goto out;
        }
    }

  /* S3: the payload is UNSIGNED-PAYLOAD unless a signed
   * x-amz-content-sha256 header says otherwise. */
  content_sha = strv_has (auth->signed_headers, "x-amz-content-sha256")
    ? soup_message_headers_get_one (headers, "X-Amz-Content-SHA256") : NULL;
  if (s3)
    hash = content_sha != NULL ? content_sha : PW_AWS_UNSIGNED_PAYLOAD;
  else
    hash = payload_hash != NULL ? payload_hash : PW_AWS_EMPTY_SHA256;
  signed_query = query_without (raw_query, "X-Amz-Signature");
  canonical = pw_aws_sigv4_canonical_request (method, raw_path, signed_query, headers,
                                              (const char * const *) auth->signed_headers, hash, s3, NULL);
  if (canonical == NULL)
    {
      pw_aws_secret_free (secret);
      verify_fail (error, dialect, "InvalidSignatureException", "SignatureDoesNotMatch", "SignatureDoesNotMatch", 403,
                   "A header listed in X-Amz-SignedHeaders is missing");
      goto out;
    }
  scope = g_strdup_printf ("%s/%s/%s/aws4_request", auth->date, auth->region, auth->service);
  sts = pw_aws_sigv4_string_to_sign (values[3], scope, canonical);
  signature = pw_aws_sigv4_signature (secret, auth->date, auth->region, auth->service, sts);
  pw_aws_secret_free (secret);
  if (!constant_time_equal (signature, auth->signature))
    {
      verify_fail (error, dialect, "InvalidSignatureException", "SignatureDoesNotMatch", "SignatureDoesNotMatch", 403,
                   "The request signature we calculated does not match the signature you provided. "
                   "Check your key and signing method.");
      goto out;
    }
  if (out_authorization != NULL)
    *out_authorization = g_steal_pointer (&auth);
  ok = TRUE;

out:
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_free (values[i]);
  return ok;
}

/**
 * pw_aws_sigv4_verify:
 * @method: the request's method
 * @raw_path: the path exactly as received (percent-encoded, from the request
 *   line). A SoupServer must be made with #SoupServer:raw-paths %TRUE, or
 *   it hands over a decoded path that no longer matches the signature.
 * @raw_query: (nullable): the query exactly as received
 * @headers: the request headers as received (with `Host`)
 * @payload_hash: (nullable): hex SHA-256 of the body the server received;
 *   %NULL when the server did not hash it (then S3 requests must carry
 *   `x-amz-content-sha256`, and the server must check the body against it)
 * @dialect: which AWS codes to report, and S3's signing rules
 * @lookup: finds the secret (and the session token to expect) for a key id
 * @user_data: for @lookup
 * @now: (nullable): the server's clock (default: now)
 * @out_authorization: (out) (optional): the parsed header on success, to
 *   check the scope's service and region
 *
 * Recomputes the signature of a received request with the same code that
 * signs, and compares in constant time. A request without an Authorization
 * header may carry its signature in the query (a presigned URL, see
 * pw_aws_presigned_kind()): SigV4's X-Amz-* parameters, with
 * X-Amz-Expires between 1 and 604800 seconds and the URL refused once it
 * has expired (`AccessDenied` "Request has expired" for S3), or for S3 the
 * SigV2 form (`AWSAccessKeyId`, `Expires`, `Signature`). A request with
 * both is refused, as S3 does. Checks: a well-formed Authorization
 * header, a signed `x-amz-date` within 15 minutes of @now and matching the
 * scope's date, every signed header present, a signed
 * `x-amz-security-token` equal to the one @lookup expects, and for S3 a
 * `x-amz-content-sha256` that matches @payload_hash.
 *
 * Returns: %TRUE when the signature is valid; otherwise a
 *   PW_AWS_ERROR_SIGNATURE error whose pw_aws_error_get_code() and
 *   pw_aws_error_get_http_status() are what the server should answer
 */
gboolean
pw_aws_sigv4_verify (const char             *method,
                     const char             *raw_path,
                     const char             *raw_query,
                     SoupMessageHeaders     *headers,
                     const char             *payload_hash,
                     PwAwsSigv4Dialect       dialect,
                     PwAwsSecretLookupFunc   lookup,
                     gpointer                user_data,
                     GDateTime              *now,
                     PwAwsAuthorization    **out_authorization,
                     GError                **error)
{
  gboolean s3 = dialect == PW_AWS_SIGV4_DIALECT_S3;
  const char *header = soup_message_headers_get_one (headers, "Authorization");
  g_autoptr(PwAwsAuthorization) auth = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GDateTime) request_time = NULL;
  g_autoptr(GDateTime) server_now = NULL;
  const char *amz_date;
  const char *token;
  const char *content_sha;
  const char *hash;
  char *secret = NULL;
  char *expected_token = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *sts = NULL;
  g_autofree char *signature = NULL;
  GTimeSpan skew;
  gboolean ok;

  switch (pw_aws_presigned_kind (raw_query))
    {
    case PW_AWS_PRESIGNED_SIGV4:
    case PW_AWS_PRESIGNED_SIGV2:
      if (header != NULL)
        return verify_fail (error, dialect, "IncompleteSignatureException", "IncompleteSignature",
                            "InvalidArgument", 400,
                            "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
                            "Signature query string parameter or the Authorization header should be specified");
      server_now = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
      if (pw_aws_presigned_kind (raw_query) == PW_AWS_PRESIGNED_SIGV2)
        return verify_presigned_v2 (method, raw_path, raw_query, headers, dialect, lookup, user_data, server_now,
                                    out_authorization, error);
      return verify_presigned_v4 (method, raw_path, raw_query, headers, payload_hash, dialect, lookup, user_data,
                                  server_now, out_authorization, error);
    case PW_AWS_PRESIGNED_NONE:
    default:
      break;
    }

  if (header == NULL)
    return verify_fail (error, dialect, "MissingAuthenticationTokenException", "MissingAuthenticationToken",
                        "AccessDenied", 403, "Request is missing Authentication Token");

  auth = pw_aws_authorization_parse (header, &parse_error);
  if (auth == NULL)
    return verify_fail (error, dialect, "IncompleteSignatureException", "IncompleteSignature",
                        "AuthorizationHeaderMalformed", 400, parse_error->message);

  amz_date = soup_message_headers_get_one (headers, "X-Amz-Date");
  request_time = parse_amz_date (amz_date);
  if (request_time == NULL || !strv_has (auth->signed_headers, "x-amz-date"))
    return verify_fail (error, dialect, "IncompleteSignatureException", "IncompleteSignature",
                        "AccessDenied", 400, "A signed X-Amz-Date header (YYYYMMDDTHHMMSSZ) is required");
  if (strncmp (amz_date, auth->date, 8) != 0)
    return verify_fail (error, dialect, "InvalidSignatureException", "SignatureDoesNotMatch",
                        "AuthorizationHeaderMalformed", 400,
                        "The credential scope's date does not match X-Amz-Date");

  server_now = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  skew = g_date_time_difference (server_now, request_time) / G_TIME_SPAN_SECOND;
  if (skew > PW_AWS_SIGV4_MAX_SKEW_SECONDS || skew < -PW_AWS_SIGV4_MAX_SKEW_SECONDS)
    {
      g_autofree char *now_text = pw_aws_sigv4_format_date (server_now);
      g_autofree char *message = g_strdup_printf ("Signature expired: %s is not within 15 minutes of the server time %s",
                                                  amz_date, now_text);

      return verify_fail (error, dialect, "InvalidSignatureException", "RequestExpired",
                          "RequestTimeTooSkewed", dialect == PW_AWS_SIGV4_DIALECT_S3 ? 403 : 400, message);
    }

  if (!lookup (auth->access_key_id, &secret, &expected_token, user_data))
    return verify_fail (error, dialect, "UnrecognizedClientException", "InvalidClientTokenId",
                        "InvalidAccessKeyId", 403, "The security token included in the request is invalid");

  token = soup_message_headers_get_one (headers, "X-Amz-Security-Token");
  if (expected_token != NULL || token != NULL)
    {
      gboolean token_ok = token != NULL && expected_token != NULL &&
                          strv_has (auth->signed_headers, "x-amz-security-token") &&
                          constant_time_equal (token, expected_token);

      pw_aws_secret_free (expected_token);
      if (!token_ok)
        {
          pw_aws_secret_free (secret);
          return verify_fail (error, dialect, "UnrecognizedClientException", "InvalidClientTokenId",
                              "InvalidToken", 403, "The security token included in the request is invalid");
        }
    }

  content_sha = soup_message_headers_get_one (headers, "X-Amz-Content-SHA256");
  if (s3 && content_sha == NULL)
    {
      pw_aws_secret_free (secret);
      return verify_fail (error, dialect, "", "", "InvalidRequest", 400,
                          "Missing required header for this request: x-amz-content-sha256");
    }
  if (content_sha != NULL && strcmp (content_sha, PW_AWS_UNSIGNED_PAYLOAD) != 0)
    {
      if (strlen (content_sha) != 64 || !all_chars (content_sha, is_lower_hex))
        {
          pw_aws_secret_free (secret);
          return verify_fail (error, dialect, "InvalidSignatureException", "SignatureDoesNotMatch",
                              "InvalidArgument", 400, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a SHA-256 in hex");
        }
      if (payload_hash != NULL && strcmp (content_sha, payload_hash) != 0)
        {
          pw_aws_secret_free (secret);
          return verify_fail (error, dialect, "InvalidSignatureException", "SignatureDoesNotMatch",
                              "XAmzContentSHA256Mismatch", 400,
                              "The provided x-amz-content-sha256 header does not match what was computed");
        }
    }
  /* S3 signs the header's value; other services hash the body. */
  hash = s3 || payload_hash == NULL ? content_sha : payload_hash;
  if (hash == NULL)
    hash = PW_AWS_EMPTY_SHA256;

  canonical = pw_aws_sigv4_canonical_request (method, raw_path, raw_query, headers,
                                              (const char * const *) auth->signed_headers,
                                              hash, s3, NULL);
  if (canonical == NULL)
    {
      pw_aws_secret_free (secret);
      return verify_fail (error, dialect, "InvalidSignatureException", "SignatureDoesNotMatch",
                          "SignatureDoesNotMatch", 403, "A header listed in SignedHeaders is missing");
    }
  scope = g_strdup_printf ("%s/%s/%s/aws4_request", auth->date, auth->region, auth->service);
  sts = pw_aws_sigv4_string_to_sign (amz_date, scope, canonical);
  signature = pw_aws_sigv4_signature (secret, auth->date, auth->region, auth->service, sts);
  pw_aws_secret_free (secret);

  ok = constant_time_equal (signature, auth->signature);
  if (!ok)
    return verify_fail (error, dialect, "InvalidSignatureException", "SignatureDoesNotMatch",
                        "SignatureDoesNotMatch", 403,
                        "The request signature we calculated does not match the signature you provided");

  if (out_authorization != NULL)
    *out_authorization = g_steal_pointer (&auth);
  return TRUE;
}

/**
 * pw_aws_sigv4_verify_server_message:
 * @msg: a request received by a SoupServer made with #SoupServer:raw-paths
 *   %TRUE (so that the path is as sent, not decoded)
 * @payload_hash: (nullable): hex SHA-256 of the body as received
 *
 * pw_aws_sigv4_verify() with the method, path, query and headers of @msg.
 */
gboolean
pw_aws_sigv4_verify_server_message (SoupServerMessage      *msg,
                                    const char             *payload_hash,
                                    PwAwsSigv4Dialect       dialect,
                                    PwAwsSecretLookupFunc   lookup,
                                    gpointer                user_data,
                                    GDateTime              *now,
                                    PwAwsAuthorization    **out_authorization,
                                    GError                **error)
{
  GUri *uri;

  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (msg), FALSE);

  uri = soup_server_message_get_uri (msg);
  return pw_aws_sigv4_verify (soup_server_message_get_method (msg), g_uri_get_path (uri), g_uri_get_query (uri),
                              soup_server_message_get_request_headers (msg), payload_hash, dialect,
                              lookup, user_data, now, out_authorization, error);
}
