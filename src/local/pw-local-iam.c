/* pw-local-iam.c: the IAM roles and the STS identity of the workshop
 *
 * Roles live in DATA_DIR/iam/roles/NAME.json. Policies are not evaluated
 * (one local user may do everything); their documents are checked for
 * being JSON so that mistakes show up as they would on AWS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-local"

#include "pw-config.h"

#include <string.h>

#include "pw-local-private.h"
#include "pw-local-store.h"

#define IAM_XMLNS "https://iam.amazonaws.com/doc/2010-05-08/"
#define STS_XMLNS "https://sts.amazonaws.com/doc/2011-06-15/"

struct _PwLocalIam
{
  GMutex      lock;
  char       *dir;
  GHashTable *roles; /* name -> JsonObject */
};

static char *
role_path (PwLocalIam *iam,
           const char *name)
{
  g_autofree char *file = g_strconcat (name, ".json", NULL);

  return g_build_filename (iam->dir, file, NULL);
}

PwLocalIam *
pw_local_iam_new (const char  *data_dir,
                  GError     **error)
{
  PwLocalIam *iam = g_new0 (PwLocalIam, 1);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_mutex_init (&iam->lock);
  iam->dir = g_build_filename (data_dir, "iam", "roles", NULL);
  iam->roles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  if (!pw_local_store_mkdir (iam->dir, error) || (dir = g_dir_open (iam->dir, 0, error)) == NULL)
    {
      pw_local_iam_free (iam);
      return NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (iam->dir, name, NULL);
      g_autoptr(JsonNode) node = NULL;
      const char *role_name;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      node = pw_local_store_read_json (path, NULL);
      if (node == NULL)
        continue;
      role_name = json_object_get_string_member_with_default (json_node_get_object (node), "RoleName", NULL);
      if (role_name != NULL)
        g_hash_table_insert (iam->roles, g_strdup (role_name), json_object_ref (json_node_get_object (node)));
    }
  return iam;
}

void
pw_local_iam_free (PwLocalIam *iam)
{
  if (iam == NULL)
    return;
  g_hash_table_unref (iam->roles);
  g_free (iam->dir);
  g_mutex_clear (&iam->lock);
  g_free (iam);
}

gboolean
pw_local_iam_role_exists (PwLocalIam *iam,
                          const char *role_arn)
{
  const char *slash;
  gboolean found;
  const char *prefix = "arn:aws:iam::" PW_LOCAL_ACCOUNT_ID ":role/";

  if (role_arn == NULL || !g_str_has_prefix (role_arn, prefix))
    return FALSE;
  slash = strrchr (role_arn, '/');
  g_mutex_lock (&iam->lock);
  found = g_hash_table_contains (iam->roles, slash + 1);
  g_mutex_unlock (&iam->lock);
  return found;
}

static gboolean
save_role (PwLocalIam  *iam,
           JsonObject  *role,
           GError     **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *path = role_path (iam, json_object_get_string_member (role, "RoleName"));

  json_node_set_object (node, role);
  return pw_local_store_write_json (path, node, error);
}

static gboolean
valid_role_name (const char *name)
{
  gsize len = strlen (name);

  if (len < 1 || len > 64)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || strchr ("_+=,.@-", *p) != NULL))
      return FALSE;
  return TRUE;
}

static const char *
require (GHashTable  *params,
         const char  *name,
         GError     **error)
{
  const char *value = g_hash_table_lookup (params, name);

  if (value == NULL)
    g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_VALIDATION,
                 "1 validation error detected: Value null at '%c%s' failed to satisfy constraint: "
                 "Member must not be null", g_ascii_tolower (name[0]), name + 1);
  return value;
}

static gboolean
check_policy_document (const char  *document,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (strlen (document) > 2048
      || !json_parser_load_from_data (parser, document, -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "Statement"))
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_MALFORMED_POLICY_DOCUMENT,
                   "The policy document must be a JSON object of at most 2048 characters "
                   "with a \"Statement\"");
      return FALSE;
    }
  return TRUE;
}

static JsonObject *
lookup_role (PwLocalIam  *iam,
             GHashTable  *params,
             GError     **error)
{
  const char *name = require (params, "RoleName", error);
  JsonObject *role;

  if (name == NULL)
    return NULL;
  role = g_hash_table_lookup (iam->roles, name);
  if (role == NULL)
    g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_NO_SUCH_ENTITY,
                 "The role with name %s cannot be found.", name);
  return role;
}

static void
append_role (GString    *xml,
             JsonObject *role)
{
  g_autofree char *doc = g_uri_escape_string (json_object_get_string_member (role, "AssumeRolePolicyDocument"),
                                              NULL, FALSE);
  g_autofree char *date = pw_local_iso8601 (json_object_get_double_member (role, "CreateDate"), FALSE);
  const char *description = json_object_get_string_member_with_default (role, "Description", NULL);

  g_string_append (xml, "<Role>");
  pw_local_xml_append_element (xml, "Path", json_object_get_string_member (role, "Path"));
  pw_local_xml_append_element (xml, "RoleName", json_object_get_string_member (role, "RoleName"));
  pw_local_xml_append_element (xml, "RoleId", json_object_get_string_member (role, "RoleId"));
  pw_local_xml_append_element (xml, "Arn", json_object_get_string_member (role, "Arn"));
  pw_local_xml_append_element (xml, "CreateDate", date);
  pw_local_xml_append_element (xml, "AssumeRolePolicyDocument", doc);
  if (description != NULL)
    pw_local_xml_append_element (xml, "Description", description);
  g_string_append (xml, "<MaxSessionDuration>3600</MaxSessionDuration></Role>");
}

static char *
new_role_id (void)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  GString *id = g_string_new ("AROA");

  for (int i = 0; i < 17; i++)
    g_string_append_c (id, alphabet[g_random_int_range (0, 32)]);
  return g_string_free (id, FALSE);
}

static gboolean
iam_dispatch (PwLocalIam   *iam,
              const char   *action,
              GHashTable   *params,
              GString      *result,
              GError      **error)
{
  JsonObject *role;

  if (strcmp (action, "CreateRole") == 0)
    {
      const char *name = require (params, "RoleName", error);
      const char *doc = name != NULL ? require (params, "AssumeRolePolicyDocument", error) : NULL;
      const char *path = g_hash_table_lookup (params, "Path");
      const char *description = g_hash_table_lookup (params, "Description");
      g_autofree char *arn = NULL;
      g_autofree char *id = NULL;
      g_autoptr(JsonObject) obj = NULL;

      if (doc == NULL)
        return FALSE;
      if (!valid_role_name (name))
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_VALIDATION,
                       "1 validation error detected: Value '%s' at 'roleName' failed to satisfy constraint: "
                       "Member must have length 1-64 and match [\\w+=,.@-]+", name);
          return FALSE;
        }
      if (path == NULL)
        path = "/";
      if (path[0] != '/' || !g_str_has_suffix (path, "/") || strlen (path) > 512)
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_VALIDATION,
                       "The path %s must begin and end with '/'", path);
          return FALSE;
        }
      if (!check_policy_document (doc, error))
        return FALSE;
      if (g_hash_table_contains (iam->roles, name))
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_ENTITY_ALREADY_EXISTS,
                       "Role with name %s already exists.", name);
          return FALSE;
        }
      arn = g_strdup_printf ("arn:aws:iam::%s:role%s%s", PW_LOCAL_ACCOUNT_ID, path, name);
      id = new_role_id ();
      obj = json_object_new ();
      json_object_set_string_member (obj, "RoleName", name);
      json_object_set_string_member (obj, "RoleId", id);
      json_object_set_string_member (obj, "Arn", arn);
      json_object_set_string_member (obj, "Path", path);
      json_object_set_double_member (obj, "CreateDate", (double) g_get_real_time () / G_USEC_PER_SEC);
      json_object_set_string_member (obj, "AssumeRolePolicyDocument", doc);
      if (description != NULL)
        json_object_set_string_member (obj, "Description", description);
      json_object_set_array_member (obj, "AttachedPolicies", json_array_new ());
      if (!save_role (iam, obj, error))
        return FALSE;
      g_hash_table_insert (iam->roles, g_strdup (name), json_object_ref (obj));
      append_role (result, obj);
      return TRUE;
    }
  if (strcmp (action, "GetRole") == 0)
    {
      if ((role = lookup_role (iam, params, error)) == NULL)
        return FALSE;
      append_role (result, role);
      return TRUE;
    }
  if (strcmp (action, "AttachRolePolicy") == 0 || strcmp (action, "DetachRolePolicy") == 0)
    {
      gboolean attach = action[0] == 'A';
      const char *policy;
      JsonArray *attached;
      gint found = -1;

      if ((role = lookup_role (iam, params, error)) == NULL
          || (policy = require (params, "PolicyArn", error)) == NULL)
        return FALSE;
      if (!g_str_has_prefix (policy, "arn:aws:iam::") || strstr (policy, ":policy/") == NULL)
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_IAM_INVALID_INPUT,
                       "ARN %s is not valid: a policy ARN looks like arn:aws:iam::aws:policy/NAME", policy);
          return FALSE;
        }
      attached = json_object_get_array_member (role, "AttachedPolicies");
      for (guint i = 0; i < json_array_get_length (attached); i++)
        if (g_strcmp0 (json_array_get_string_element (attached, i), policy) == 0)
          found = i;
      if (attach && found < 0)
        json_array_add_string_element (attached, policy);
      else if (!attach && found < 0)
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_NO_SUCH_ENTITY,
                       "Policy %s was not found attached to role %s.", policy,
                       json_object_get_string_member (role, "RoleName"));
          return FALSE;
        }
      else if (!attach)
        json_array_remove_element (attached, found);
      return save_role (iam, role, error);
    }
  if (strcmp (action, "ListAttachedRolePolicies") == 0)
    {
      JsonArray *attached;

      if ((role = lookup_role (iam, params, error)) == NULL)
        return FALSE;
      attached = json_object_get_array_member (role, "AttachedPolicies");
      g_string_append (result, "<AttachedPolicies>");
      for (guint i = 0; i < json_array_get_length (attached); i++)
        {
          const char *arn = json_array_get_string_element (attached, i);
          const char *slash = strrchr (arn, '/');

          g_string_append (result, "<member>");
          pw_local_xml_append_element (result, "PolicyName", slash != NULL ? slash + 1 : arn);
          pw_local_xml_append_element (result, "PolicyArn", arn);
          g_string_append (result, "</member>");
        }
      g_string_append (result, "</AttachedPolicies><IsTruncated>false</IsTruncated>");
      return TRUE;
    }
  if (strcmp (action, "DeleteRole") == 0)
    {
      g_autofree char *path = NULL;
      JsonArray *attached;

      if ((role = lookup_role (iam, params, error)) == NULL)
        return FALSE;
      attached = json_object_get_array_member (role, "AttachedPolicies");
      if (json_array_get_length (attached) > 0)
        {
          g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_DELETE_CONFLICT,
                       "Cannot delete entity, must detach all policies first (%u attached; "
                       "use DetachRolePolicy).", json_array_get_length (attached));
          return FALSE;
        }
      path = role_path (iam, json_object_get_string_member (role, "RoleName"));
      if (!pw_local_store_remove (path, error))
        return FALSE;
      g_hash_table_remove (iam->roles, json_object_get_string_member (role, "RoleName"));
      return TRUE;
    }
  if (strcmp (action, "ListRoles") == 0)
    {
      g_autoptr(GList) names = g_list_sort (g_hash_table_get_keys (iam->roles), (GCompareFunc) strcmp);

      g_string_append (result, "<Roles>");
      for (GList *l = names; l != NULL; l = l->next)
        {
          GString *member = g_string_new (NULL);

          append_role (member, g_hash_table_lookup (iam->roles, l->data));
          /* A list holds <member> elements, not <Role>. */
          g_string_erase (member, 0, strlen ("<Role>"));
          g_string_truncate (member, member->len - strlen ("</Role>"));
          g_string_append_printf (result, "<member>%s</member>", member->str);
          g_string_free (member, TRUE);
        }
      g_string_append (result, "</Roles><IsTruncated>false</IsTruncated>");
      return TRUE;
    }
  g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_ACTION,
               "Could not find operation %s for version 2010-05-08 (personalize-local serves CreateRole, "
               "GetRole, DeleteRole, ListRoles, AttachRolePolicy, DetachRolePolicy, ListAttachedRolePolicies)",
               action);
  return FALSE;
}

/**
 * pw_local_query_check_action:
 * Checks the Action and Version of an IAM or STS Query request.
 */
gboolean
pw_local_query_check_action (GHashTable  *params,
                             const char  *service,
                             const char **action,
                             GError     **error)
{
  const char *version = g_hash_table_lookup (params, "Version");
  const char *expected = strcmp (service, "iam") == 0 ? "2010-05-08" : "2011-06-15";

  *action = g_hash_table_lookup (params, "Action");
  if (*action == NULL)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_MISSING_PARAMETER,
                   "The request must contain the parameter Action");
      return FALSE;
    }
  if (version == NULL || strcmp (version, expected) != 0)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_ACTION,
                   "Could not find operation %s for version %s (%s speaks version %s)",
                   *action, version != NULL ? version : "(none)", service, expected);
      return FALSE;
    }
  return TRUE;
}

static void
answer (PwLocalResponse *response,
        const char      *xmlns,
        const char      *action,
        const char      *request_id,
        GString         *result)
{
  g_autoptr(GString) xml = g_string_new (NULL);

  g_string_append_printf (xml, "<%sResponse xmlns=\"%s\">", action, xmlns);
  if (result->len > 0)
    g_string_append_printf (xml, "<%sResult>%s</%sResult>", action, result->str, action);
  g_string_append_printf (xml, "<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>",
                          request_id, action);
  pw_local_response_set_text (response, 200, "text/xml", xml->str);
}

static GHashTable *
parse_body (const PwLocalRequest  *request,
            GError               **error)
{
  gsize size = 0;
  const char *data = request->body != NULL ? g_bytes_get_data (request->body, &size) : "";

  if (strcmp (request->method, "POST") != 0)
    {
      g_set_error (error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_ACTION,
                   "IAM and STS take POST requests with a form body (got %s)", request->method);
      return NULL;
    }
  return pw_local_parse_form (data, size, error);
}

void
pw_local_iam_handle (PwLocalIam           *iam,
                     const PwLocalRequest *request,
                     PwLocalResponse      *response)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) params = parse_body (request, &error);
  g_autoptr(GString) result = g_string_new (NULL);
  const char *action = NULL;
  gboolean ok = FALSE;

  if (params != NULL && pw_local_query_check_action (params, "iam", &action, &error))
    {
      g_mutex_lock (&iam->lock);
      ok = iam_dispatch (iam, action, params, result, &error);
      g_mutex_unlock (&iam->lock);
    }
  if (ok)
    answer (response, IAM_XMLNS, action, request->request_id, result);
  else
    pw_local_response_set_error (response, PW_LOCAL_PROTOCOL_QUERY, request->request_id, NULL, error);
}

void
pw_local_sts_handle (PwLocalIam           *iam,
                     const char           *access_key_id,
                     const PwLocalRequest *request,
                     PwLocalResponse      *response)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) params = parse_body (request, &error);
  g_autoptr(GString) result = g_string_new (NULL);
  const char *action = NULL;

  if (params == NULL || !pw_local_query_check_action (params, "sts", &action, &error))
    {
      pw_local_response_set_error (response, PW_LOCAL_PROTOCOL_QUERY, request->request_id, NULL, error);
      return;
    }
  if (strcmp (action, "GetCallerIdentity") != 0)
    {
      g_set_error (&error, PW_LOCAL_ERROR, PW_LOCAL_ERROR_INVALID_ACTION,
                   "Could not find operation %s for version 2011-06-15 "
                   "(personalize-local serves GetCallerIdentity)", action);
      pw_local_response_set_error (response, PW_LOCAL_PROTOCOL_QUERY, request->request_id, NULL, error);
      return;
    }
  g_string_append (result, "<Arn>arn:aws:iam::" PW_LOCAL_ACCOUNT_ID ":user/local</Arn>");
  pw_local_xml_append_element (result, "UserId", access_key_id);
  g_string_append (result, "<Account>" PW_LOCAL_ACCOUNT_ID "</Account>");
  answer (response, STS_XMLNS, action, request->request_id, result);
}
