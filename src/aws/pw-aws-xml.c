/* pw-aws-xml.c: the XML of S3, IAM and STS answers, and its JSON form
 *
 * The JSON form follows the AWS CLI's output for the operations the
 * workshop uses: `member` lists and S3's flattened lists become arrays,
 * counts and sizes numbers, IsTruncated a boolean, and IAM's URL-encoded
 * policy documents JSON objects.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-aws"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pw-aws-error.h"
#include "pw-aws-sigv4.h"
#include "pw-aws-xml.h"

void
pw_aws_xml_node_free (PwAwsXmlNode *node)
{
  if (node == NULL)
    return;
  g_free (node->name);
  g_string_free (node->text, TRUE);
  g_ptr_array_unref (node->children);
  g_free (node);
}

static PwAwsXmlNode *
node_new (const char *qname)
{
  PwAwsXmlNode *node = g_new0 (PwAwsXmlNode, 1);
  const char *colon = strrchr (qname, ':');

  node->name = g_strdup (colon != NULL ? colon + 1 : qname);
  node->text = g_string_new (NULL);
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) pw_aws_xml_node_free);
  return node;
}

typedef struct
{
  PwAwsXmlNode *root;
  GPtrArray *stack;
} ParseState;

static void
start_element (GMarkupParseContext  *context,
               const char           *element_name,
               const char          **attribute_names,
               const char          **attribute_values,
               gpointer              user_data,
               GError              **error)
{
  ParseState *state = user_data;
  PwAwsXmlNode *node = node_new (element_name);

  if (state->stack->len == 0)
    {
      if (state->root != NULL)
        {
          pw_aws_xml_node_free (node);
          g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                               "more than one root element");
          return;
        }
      state->root = node;
    }
  else
    {
      PwAwsXmlNode *parent = g_ptr_array_index (state->stack, state->stack->len - 1);

      g_ptr_array_add (parent->children, node);
    }
  g_ptr_array_add (state->stack, node);
}

static void
end_element (GMarkupParseContext  *context,
             const char           *element_name,
             gpointer              user_data,
             GError              **error)
{
  ParseState *state = user_data;

  g_ptr_array_remove_index (state->stack, state->stack->len - 1);
}

static void
text (GMarkupParseContext  *context,
      const char           *data,
      gsize                 length,
      gpointer              user_data,
      GError              **error)
{
  ParseState *state = user_data;

  if (state->stack->len > 0)
    {
      PwAwsXmlNode *node = g_ptr_array_index (state->stack, state->stack->len - 1);

      g_string_append_len (node->text, data, length);
    }
  else
    {
      for (gsize i = 0; i < length; i++)
        if (!g_ascii_isspace (data[i]))
          {
            g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                                 "text outside of the root element");
            return;
          }
    }
}

/**
 * pw_aws_xml_parse:
 *
 * Returns: the root element, or %NULL with a G_MARKUP_ERROR (line and
 *   column in the message) for anything that is not one well-formed element
 */
PwAwsXmlNode *
pw_aws_xml_parse (const char  *data,
                  gsize        length,
                  GError     **error)
{
  static const GMarkupParser parser = { start_element, end_element, text, NULL, NULL };
  ParseState state = { NULL, g_ptr_array_new () };
  GMarkupParseContext *context;
  const char *p = data;
  gsize left = length;
  gboolean ok;

  /* GMarkup does not take the XML declaration. */
  while (left > 0 && g_ascii_isspace (*p))
    p++, left--;
  if (left > 5 && strncmp (p, "<?xml", 5) == 0)
    {
      const char *end = g_strstr_len (p, left, "?>");

      if (end != NULL)
        {
          left -= end + 2 - p;
          p = end + 2;
        }
    }

  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &state, NULL);
  ok = g_markup_parse_context_parse (context, p, left, error) &&
       g_markup_parse_context_end_parse (context, error);
  g_markup_parse_context_free (context);
  g_ptr_array_unref (state.stack);
  if (ok && state.root == NULL)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_EMPTY, "no element");
      ok = FALSE;
    }
  if (!ok)
    {
      pw_aws_xml_node_free (state.root);
      return NULL;
    }
  return state.root;
}

PwAwsXmlNode *
pw_aws_xml_node_child (const PwAwsXmlNode *node,
                       const char         *name)
{
  if (node == NULL)
    return NULL;
  for (guint i = 0; i < node->children->len; i++)
    {
      PwAwsXmlNode *child = g_ptr_array_index (node->children, i);

      if (strcmp (child->name, name) == 0)
        return child;
    }
  return NULL;
}

const char *
pw_aws_xml_node_child_text (const PwAwsXmlNode *node,
                            const char         *name)
{
  PwAwsXmlNode *child = pw_aws_xml_node_child (node, name);

  return child != NULL ? child->text->str : NULL;
}

static const char * const list_names[] = {
  "Contents", "CommonPrefixes", "AttachedPolicies", "Tags", "Roles", "Policies", "PermissionsBoundary", NULL
};
static const char * const flattened_lists[] = { "Contents", "CommonPrefixes", NULL };
static const char * const integer_names[] = { "KeyCount", "MaxKeys", "Size", "MaxSessionDuration", NULL };
static const char * const boolean_names[] = { "IsTruncated", NULL };

static JsonNode *
leaf_to_json (const PwAwsXmlNode *node)
{
  const char *s = node->text->str;
  JsonNode *json = json_node_new (JSON_NODE_VALUE);

  if (g_strv_contains (integer_names, node->name))
    {
      gint64 v;

      if (g_ascii_string_to_signed (s, 10, G_MININT64, G_MAXINT64, &v, NULL))
        {
          json_node_set_int (json, v);
          return json;
        }
    }
  if (g_strv_contains (boolean_names, node->name) && (strcmp (s, "true") == 0 || strcmp (s, "false") == 0))
    {
      json_node_set_boolean (json, strcmp (s, "true") == 0);
      return json;
    }
  if (strcmp (node->name, "AssumeRolePolicyDocument") == 0 || strcmp (node->name, "PolicyDocument") == 0)
    {
      g_autofree char *decoded = pw_aws_uri_decode (s, -1);
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, decoded, -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          json_node_unref (json);
          return json_node_copy (json_parser_get_root (parser));
        }
    }
  json_node_set_string (json, s);
  return json;
}

JsonNode *
pw_aws_xml_node_to_json (const PwAwsXmlNode *node)
{
  gboolean all_members = node->children->len > 0;
  GHashTable *repeated;
  JsonObject *object;
  JsonNode *json;

  if (node->children->len == 0)
    {
      if (g_strv_contains (list_names, node->name) && !g_strv_contains (flattened_lists, node->name))
        {
          JsonArray *empty = json_array_new ();

          json = json_node_init_array (json_node_alloc (), empty);
          json_array_unref (empty);
          return json;
        }
      return leaf_to_json (node);
    }

  for (guint i = 0; i < node->children->len && all_members; i++)
    all_members = strcmp (((PwAwsXmlNode *) g_ptr_array_index (node->children, i))->name, "member") == 0;
  if (all_members)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < node->children->len; i++)
        json_array_add_element (array, pw_aws_xml_node_to_json (g_ptr_array_index (node->children, i)));
      /* json_node_init_array() takes its own reference. */
      json = json_node_init_array (json_node_alloc (), array);
      json_array_unref (array);
      return json;
    }

  object = json_object_new ();
  repeated = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < node->children->len; i++)
    {
      PwAwsXmlNode *child = g_ptr_array_index (node->children, i);
      JsonNode *value = pw_aws_xml_node_to_json (child);
      JsonNode *existing = json_object_get_member (object, child->name);

      if (g_strv_contains (flattened_lists, child->name) && existing == NULL)
        {
          json_object_set_array_member (object, child->name, json_array_new ());
          existing = json_object_get_member (object, child->name);
          g_hash_table_add (repeated, child->name);
        }
      if (existing == NULL)
        {
          json_object_set_member (object, child->name, value);
          continue;
        }
      if (!g_hash_table_contains (repeated, child->name))
        {
          /* A repeated element: the first one becomes an array. */
          JsonArray *array = json_array_new ();

          json_array_add_element (array, json_node_copy (existing));
          json_object_set_array_member (object, child->name, array);
          existing = json_object_get_member (object, child->name);
          g_hash_table_add (repeated, child->name);
        }
      json_array_add_element (json_node_get_array (existing), value);
    }
  g_hash_table_unref (repeated);
  json = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return json;
}
