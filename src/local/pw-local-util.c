/* pw-local-util.c: responses, errors in each protocol's shape, small parsers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <string.h>

#include "pw-local-private.h"

void
pw_local_response_clear (PwLocalResponse *response)
{
  g_clear_pointer (&response->content_type, g_free);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->headers, g_ptr_array_unref);
  response->status = 0;
}

void
pw_local_response_set (PwLocalResponse *response,
                       guint            status,
                       const char      *content_type,
                       GBytes          *body)
{
  response->status = status;
  g_free (response->content_type);
  response->content_type = g_strdup (content_type);
  g_clear_pointer (&response->body, g_bytes_unref);
  response->body = body != NULL ? g_bytes_ref (body) : NULL;
}

void
pw_local_response_set_text (PwLocalResponse *response,
                            guint            status,
                            const char      *content_type,
                            const char      *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  pw_local_response_set (response, status, content_type, bytes);
}

void
pw_local_response_set_json (PwLocalResponse *response,
                            JsonNode        *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  gsize length;
  char *text;

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &length);
  g_clear_pointer (&response->body, g_bytes_unref);
  response->body = g_bytes_new_take (text, length);
  response->status = 200;
  g_free (response->content_type);
  response->content_type = g_strdup ("application/x-amz-json-1.1");
}

void
pw_local_response_add_header (PwLocalResponse *response,
                              const char      *name,
                              const char      *value)
{
  if (response->headers == NULL)
    response->headers = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (response->headers, g_strdup (name));
  g_ptr_array_add (response->headers, g_strdup (value));
}

char *
pw_local_xml_escape (const char *text)
{
  return g_markup_escape_text (text != NULL ? text : "", -1);
}

/* Appends <@name>@value</@name>, with @value escaped. */
void
pw_local_xml_append_element (GString    *xml,
                             const char *name,
                             const char *value)
{
  g_autofree char *escaped = pw_local_xml_escape (value);

  g_string_append_printf (xml, "<%s>%s</%s>", name, escaped, name);
}

void
pw_local_response_set_aws_error (PwLocalResponse *response,
                                 PwLocalProtocol  protocol,
                                 const char      *request_id,
                                 const char      *code,
                                 guint            status,
                                 const char      *message)
{
  g_autofree char *valid = g_utf8_make_valid (message != NULL ? message : "", -1);
  g_autofree char *msg = pw_local_xml_escape (valid);
  g_autofree char *rid = pw_local_xml_escape (request_id);
  g_autofree char *text = NULL;

  message = valid;

  switch (protocol)
    {
    case PW_LOCAL_PROTOCOL_JSON:
    case PW_LOCAL_PROTOCOL_RUNTIME:
    case PW_LOCAL_PROTOCOL_EVENTS:
      {
        g_autoptr(JsonBuilder) b = json_builder_new ();
        g_autoptr(JsonNode) node = NULL;

        json_builder_begin_object (b);
        json_builder_set_member_name (b, "__type");
        json_builder_add_string_value (b, code);
        json_builder_set_member_name (b, "message");
        json_builder_add_string_value (b, message);
        json_builder_end_object (b);
        node = json_builder_get_root (b);
        pw_local_response_set_json (response, node);
        response->status = status;
        if (protocol != PW_LOCAL_PROTOCOL_JSON)
          {
            g_free (response->content_type);
            response->content_type = g_strdup ("application/json");
          }
        pw_local_response_add_header (response, "x-amzn-ErrorType", code);
        return;
      }
    case PW_LOCAL_PROTOCOL_S3:
      text = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<Error><Code>%s</Code><Message>%s</Message>"
                              "<RequestId>%s</RequestId><HostId>%s</HostId></Error>",
                              code, msg, rid, rid);
      break;
    case PW_LOCAL_PROTOCOL_QUERY:
    default:
      text = g_strdup_printf ("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                              "<Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error>"
                              "<RequestId>%s</RequestId></ErrorResponse>",
                              status >= 500 ? "Receiver" : "Sender", code, msg, rid);
      break;
    }
  pw_local_response_set_text (response, status, "text/xml", text);
}

void
pw_local_response_set_error (PwLocalResponse *response,
                             PwLocalProtocol  protocol,
                             const char      *request_id,
                             const char      *resource,
                             const GError    *error)
{
  PwLocalError code = PW_LOCAL_ERROR_INTERNAL_FAILURE;

  if (error->domain == PW_LOCAL_ERROR)
    code = error->code;
  else
    g_warning ("Internal failure: %s", error->message);
  pw_local_response_set_aws_error (response, protocol, request_id,
                                   pw_local_error_get_code (code),
                                   pw_local_error_get_status (code, protocol),
                                   error->message);
}

double
pw_local_now (void)
{
  /* Millisecond precision, as the service reports. */
  return (double) (g_get_real_time () / 1000) / 1000.0;
}

char *
pw_local_iso8601 (double   when,
                  gboolean milliseconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc ((gint64) when);
  g_autofree char *base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  int ms = (int) ((when - (double) (gint64) when) * 1000.0);

  if (milliseconds)
    return g_strdup_printf ("%s.%03dZ", base, CLAMP (ms, 0, 999));
  return g_strdup_printf ("%sZ", base);
}

/* application/x-www-form-urlencoded: '+' is a space, %XX a byte. */
static char *
form_decode (const char *text,
             gsize       length)
{
  GString *out = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '+')
        g_string_append_c (out, ' ');
      else if (text[i] == '%' && i + 2 < length
               && g_ascii_isxdigit (text[i + 1]) && g_ascii_isxdigit (text[i + 2]))
        {
          char c = (char) (g_ascii_xdigit_value (text[i + 1]) * 16
                           + g_ascii_xdigit_value (text[i + 2]));

          if (c == '\0')
            {
              g_string_free (out, TRUE);
              return NULL;
            }
          g_string_append_c (out, c);
          i += 2;
        }
      else if (text[i] == '\0')
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      else
        g_string_append_c (out, text[i]);
    }
  return g_string_free (out, FALSE);
}

/**
 * pw_local_parse_form:
 * Parses an IAM/STS Query body. A repeated name, a NUL byte, or text that
 * is not UTF-8 once decoded is an error.
 */
GHashTable *
pw_local_parse_form (const char  *text,
                     gsize        length,
                     GError     **error)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gsize start = 0;

  while (start < length)
    {
      gsize end = start;
      gsize eq;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      while (end < length && text[end] != '&')
        end++;
      eq = start;
      while (eq < end && text[eq] != '=')
        eq++;
      if (end > start)
        {
          name = form_decode (text + start, eq - start);
          value = eq < end ? form_decode (text + eq + 1, end - eq - 1) : g_strdup ("");
          if (name == NULL || value == NULL
              || !g_utf8_validate (name, -1, NULL) || !g_utf8_validate (value, -1, NULL))
            {
              g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_IAM_INVALID_INPUT,
                           "The request body is not valid UTF-8 form data (near byte %" G_GSIZE_FORMAT ")", start);
              return NULL;
            }
          if (*name == '\0')
            {
              g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_IAM_INVALID_INPUT,
                           "Empty parameter name in the request body (byte %" G_GSIZE_FORMAT ")", start);
              return NULL;
            }
          if (g_hash_table_contains (params, name))
            {
              g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_IAM_INVALID_INPUT,
                           "Parameter %s appears more than once", name);
              return NULL;
            }
          g_hash_table_insert (params, g_steal_pointer (&name), g_steal_pointer (&value));
        }
      start = end + 1;
    }
  return g_steal_pointer (&params);
}

/* A raw query as a table of decoded names and values ('+' kept as '+',
 * as S3 sends spaces as %20). Later duplicates are ignored. */
GHashTable *
pw_local_parse_query (const char *raw_query)
{
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) parts = NULL;

  if (raw_query == NULL || *raw_query == '\0')
    return params;
  parts = g_strsplit (raw_query, "&", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *eq = strchr (parts[i], '=');
      char *name;
      char *value;

      if (*parts[i] == '\0')
        continue;
      if (eq != NULL)
        *eq = '\0';
      name = g_uri_unescape_string (parts[i], NULL);
      value = eq != NULL ? g_uri_unescape_string (eq + 1, NULL) : g_strdup ("");
      if (name == NULL || value == NULL || g_hash_table_contains (params, name)
          || !g_utf8_validate (name, -1, NULL) || !g_utf8_validate (value, -1, NULL))
        {
          g_free (name);
          g_free (value);
          continue;
        }
      g_hash_table_insert (params, name, value);
    }
  return params;
}

/**
 * pw_local_json_check_depth:
 * Scans JSON text for nesting deeper than @max_depth (outside strings)
 * before a recursive parser sees it.
 */
gboolean
pw_local_json_check_depth (const char *data,
                           gsize       length,
                           guint       max_depth)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }
  return TRUE;
}

/* Whether a JSON string in @data holds the escape \u0000: json-glib turns
 * it into a NUL that silently cuts the C string short ("ok\u0000evil"
 * would name a resource "ok"). No name, ARN or id may hold a NUL, so the
 * request is refused here, once for every operation. */
static gboolean
has_nul_escape (const char *data,
                gsize       length)
{
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (!in_string)
        {
          in_string = c == '"';
          continue;
        }
      if (c == '"')
        in_string = FALSE;
      else if (c == '\\' && i + 1 < length)
        {
          if (data[i + 1] == 'u' && i + 5 < length && memcmp (data + i + 2, "0000", 4) == 0)
            return TRUE;
          i++;
        }
    }
  return FALSE;
}

/* json-glib reads "\222" as an octal escape and so can make strings that
 * are not UTF-8 out of valid text: refuse them (the depth is bounded). */
static gboolean
strings_are_utf8 (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node))
    return json_node_get_value_type (node) != G_TYPE_STRING
           || g_utf8_validate (json_node_get_string (node), -1, NULL);
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!strings_are_utf8 (json_array_get_element (array, i)))
          return FALSE;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &value))
        if (!g_utf8_validate (name, -1, NULL) || !strings_are_utf8 (value))
          return FALSE;
    }
  return TRUE;
}

JsonNode *
pw_local_json_parse (const char  *data,
                     gsize        length,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (memchr (data, '\0', length) != NULL || !g_utf8_validate (data, length, NULL))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_SERIALIZATION,
                   "The request body is not UTF-8 JSON text");
      return NULL;
    }
  if (!pw_local_json_check_depth (data, length, 32))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_SERIALIZATION,
                   "The request body nests deeper than 32 levels");
      return NULL;
    }
  if (has_nul_escape (data, length))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_INPUT,
                   "The request body has a string with a NUL character (\\u0000); "
                   "names, ARNs and ids cannot hold one");
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      /* json-glib may quote bytes of the input that are not UTF-8 (it
       * reads \222 as an octal escape). */
      g_autofree char *message = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_SERIALIZATION,
                   "The request body is not valid JSON: %s", message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_SERIALIZATION,
                   "The request body is empty JSON");
      return NULL;
    }
  if (!strings_are_utf8 (root))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_SERIALIZATION,
                   "The request body has a string that is not UTF-8 (JSON has no octal escapes)");
      return NULL;
    }
  return json_node_copy (root);
}
