/* pw-cli-aws.c: `call` (any workshop operation, JSON in and out) and `whoami`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "pw-aws.h"
#include "pw-cli.h"

typedef struct
{
  char *profile;
  char *region;
  char *endpoint_url;
  char *outfile;
} AwsOptions;

static void
aws_options_clear (AwsOptions *o)
{
  g_free (o->profile);
  g_free (o->region);
  g_free (o->endpoint_url);
  g_free (o->outfile);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AwsOptions, aws_options_clear)

/* Parses the command line with @entries (translated); prints what is
 * wrong. FALSE: exit with status 2. */
static gboolean
parse_command_line (GOptionContext       *context,
                    const GOptionEntry   *entries,
                    int                  *argc,
                    char               ***argv)
{
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, PW_GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, PW_GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s: %s\n", (*argv)[0], error->message);
      return FALSE;
    }
  return TRUE;
}

static GOptionEntry *
aws_option_entries (AwsOptions *o,
                    gboolean    with_outfile)
{
  GOptionEntry entries[] = {
    { "endpoint-url", 0, 0, G_OPTION_ARG_STRING, &o->endpoint_url,
      N_("Send every request to URL (e.g. the local engine)"), N_("URL") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &o->region, N_("The AWS region"), N_("REGION") },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &o->profile,
      N_("A profile of ~/.aws/config and ~/.aws/credentials, or of the keyring"), N_("PROFILE") },
    { "outfile", 0, 0, G_OPTION_ARG_FILENAME, &o->outfile,
      N_("S3 GetObject: write the object to FILE"), N_("FILE") },
    { NULL }
  };

  if (!with_outfile)
    entries[3] = entries[4];
  return g_memdup2 (entries, sizeof entries);
}

/* Settings as the AWS CLI resolves them, then the keyring as a last resort. */
static PwAwsClient *
make_client (AwsOptions  *o,
             GError     **error)
{
  g_autoptr(PwAwsConfig) config = pw_aws_config_resolve_full (o->profile, o->region, o->endpoint_url,
                                                               PW_AWS_CONFIG_ALLOW_UNKNOWN_PROFILE, error);

  if (config == NULL)
    return NULL;
  if (config->credentials == NULL)
    {
      g_autoptr(GError) keyring_error = NULL;
      g_autoptr(PwAwsCredentials) creds = pw_aws_keyring_lookup (config->profile, NULL, &keyring_error);

      if (creds != NULL)
        pw_aws_config_set_credentials (config, creds);
      else if (keyring_error != NULL)
        g_debug ("No keys in the keyring: %s", keyring_error->message);
      if (creds == NULL && config->profile_explicit && !config->profile_in_files &&
          strcmp (config->profile, "default") != 0)
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_CONFIG,
                       _("The profile “%s” is not in the AWS configuration files nor in the keyring"),
                       config->profile);
          return NULL;
        }
    }
  return pw_aws_client_new (config);
}

static void
print_json (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 4);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static int
report_error (const char   *operation,
              const GError *error)
{
  if (error->domain == PW_AWS_ERROR && pw_aws_error_get_code (error) != NULL)
    {
      const char *message = pw_aws_error_get_service_message (error);

      /* The AWS CLI's wording, which scripts grep for. */
      g_printerr ("An error occurred (%s) when calling the %s operation: %s\n",
                  pw_aws_error_get_code (error), operation,
                  message != NULL ? message : error->message);
      if (pw_aws_error_get_request_id (error) != NULL)
        g_printerr (_("Request id: %s\n"), pw_aws_error_get_request_id (error));
    }
  else
    g_printerr ("%s\n", error->message);
  return 1;
}

static JsonObject *
parse_input (const char  *text,
             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *where = _("The JSON argument");

  if (g_str_has_prefix (text, "file://"))
    {
      where = text + strlen ("file://");
      if (!g_file_get_contents (where, &contents, NULL, &local_error))
        {
          g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_INPUT,
                       _("Could not read %s: %s"), where, local_error->message);
          return NULL;
        }
      text = contents;
    }
  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_INPUT,
                   _("%s is not valid JSON: %s"), where, local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, PW_AWS_ERROR, PW_AWS_ERROR_INVALID_INPUT,
                   _("%s must be a JSON object, e.g. {\"Bucket\": \"b\"}"), where);
      return NULL;
    }
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static void
print_services (FILE *stream)
{
  fprintf (stream, "%s", _("Services and operations:\n"));
  for (guint s = 0; s < PW_AWS_N_SERVICES; s++)
    {
      guint n;
      const PwAwsOperation *ops = pw_aws_operation_list (&n);
      gboolean first = TRUE;

      fprintf (stream, "  %s:", pw_aws_service_get_name (s));
      for (guint i = 0; i < n; i++)
        if (ops[i].service == s)
          {
            fprintf (stream, "%s %s", first ? "" : ",", ops[i].name);
            first = FALSE;
          }
      fprintf (stream, "\n");
    }
}

int
pw_cli_call (int    argc,
             char **argv)
{
  g_auto(AwsOptions) o = { NULL };
  g_autofree GOptionEntry *entries = aws_option_entries (&o, TRUE);
  g_autoptr(GOptionContext) context = g_option_context_new (_("SERVICE OPERATION [JSON]"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PwAwsClient) client = NULL;
  g_autoptr(JsonObject) input = NULL;
  g_autoptr(JsonObject) output = NULL;
  PwAwsService service;
  const char *operation;
  int status = 0;

  /* stdout is for the JSON answer: debug messages go to stderr. */
  g_log_writer_default_set_use_stderr (TRUE);

  g_option_context_set_summary (context, _("Calls one operation of Amazon Personalize, S3, IAM or STS "
                                           "(or the local engine) and prints the answer as JSON. JSON uses "
                                           "the service's member names, as “aws … --cli-input-json” does; "
                                           "“file://PATH” reads it from a file. S3 PutObject’s Body is a "
                                           "file to upload."));
  if (!parse_command_line (context, entries, &argc, &argv))
    return 2;
  if (argc < 3 || argc > 4)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      print_services (stderr);
      return 2;
    }
  if (!pw_aws_service_from_name (argv[1], &service))
    {
      g_printerr (_("Unknown service “%s”.\n"), argv[1]);
      print_services (stderr);
      return 2;
    }
  operation = argv[2];
  if (pw_aws_operation_lookup (service, operation) == NULL)
    {
      g_printerr (_("%s has no operation “%s” that this application knows.\n"), argv[1], operation);
      print_services (stderr);
      return 2;
    }
  if (argc == 4)
    {
      input = parse_input (argv[3], &error);
      if (input == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
    }
  else
    input = json_object_new ();

  client = make_client (&o, &error);
  if (client == NULL)
    return report_error (operation, error);

  if (service == PW_AWS_SERVICE_S3 && strcmp (operation, "PutObject") == 0 && member_string (input, "Body") != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (member_string (input, "Body"));

      output = pw_aws_client_put_object (client, member_string (input, "Bucket") ? member_string (input, "Bucket") : "",
                                         member_string (input, "Key") ? member_string (input, "Key") : "",
                                         file, member_string (input, "ContentType"), NULL, NULL, NULL, &error);
    }
  else if (service == PW_AWS_SERVICE_S3 && strcmp (operation, "GetObject") == 0 && o.outfile != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (o.outfile);

      output = pw_aws_client_get_object (client, member_string (input, "Bucket") ? member_string (input, "Bucket") : "",
                                         member_string (input, "Key") ? member_string (input, "Key") : "",
                                         file, NULL, NULL, NULL, &error);
    }
  else
    output = pw_aws_client_call (client, service, operation, input, NULL, &error);

  if (output == NULL)
    status = report_error (operation, error);
  else
    print_json (output);
  return status;
}

int
pw_cli_whoami (int    argc,
               char **argv)
{
  g_auto(AwsOptions) o = { NULL };
  g_autofree GOptionEntry *entries = aws_option_entries (&o, FALSE);
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PwAwsClient) client = NULL;
  g_autoptr(JsonObject) output = NULL;
  int status = 0;

  g_log_writer_default_set_use_stderr (TRUE);
  g_option_context_set_summary (context, _("Shows which account and identity the credentials belong to "
                                           "(STS GetCallerIdentity)."));
  if (!parse_command_line (context, entries, &argc, &argv))
    return 2;
  if (argc > 1)
    {
      g_printerr (_("%s: unexpected argument “%s”\n"), argv[0], argv[1]);
      return 2;
    }
  client = make_client (&o, &error);
  if (client != NULL)
    output = pw_aws_client_call (client, PW_AWS_SERVICE_STS, "GetCallerIdentity", NULL, NULL, &error);
  if (output == NULL)
    status = report_error ("GetCallerIdentity", error);
  else
    print_json (output);
  return status;
}

/* `credentials store|show|clear`: the application's keys in the keyring.
 * store reads the key id, the secret and an optional session token from
 * standard input, one per line: never from the command line, which other
 * users can see. */

static char *
read_line (FILE *stream)
{
  GString *line = g_string_new (NULL);
  int c;

  while ((c = fgetc (stream)) != EOF && c != '\n')
    g_string_append_c (line, (char) c);
  if (c == EOF && line->len == 0)
    {
      g_string_free (line, TRUE);
      return NULL;
    }
  return g_strstrip (g_string_free (line, FALSE));
}

int
pw_cli_credentials (int    argc,
                    char **argv)
{
  g_auto(AwsOptions) o = { NULL };
  GOptionEntry entries[] = {
    { "profile", 0, 0, G_OPTION_ARG_STRING, &o.profile,
      N_("The keyring entry’s profile label (default: AWS_PROFILE or “default”)"), N_("PROFILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("store|show|clear"));
  g_autoptr(GError) error = NULL;
  g_autofree char *profile = NULL;
  int status = 0;

  g_log_writer_default_set_use_stderr (TRUE);
  g_option_context_set_summary (context, _("Keeps AWS keys in the system keyring. “store” reads the access "
                                           "key id, the secret access key and, for temporary keys, the "
                                           "session token from standard input, one per line. “show” tells "
                                           "which keys would be used and where they come from, without the "
                                           "secret."));
  if (!parse_command_line (context, entries, &argc, &argv))
    return 2;
  if (argc != 2 || !g_strv_contains ((const char * const[]) { "store", "show", "clear", NULL }, argv[1]))
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return 2;
    }
  if (o.profile != NULL)
    profile = g_strdup (o.profile);
  else if (g_getenv ("AWS_PROFILE") != NULL && *g_getenv ("AWS_PROFILE") != '\0')
    profile = g_strdup (g_getenv ("AWS_PROFILE"));
  else
    profile = g_strdup ("default");

  if (strcmp (argv[1], "store") == 0)
    {
      g_autofree char *akid = read_line (stdin);
      char *secret = read_line (stdin);
      char *token = read_line (stdin);
      g_autoptr(PwAwsCredentials) creds = NULL;

      if (akid == NULL || *akid == '\0' || secret == NULL || *secret == '\0')
        {
          g_printerr ("%s", _("Give the access key id and the secret access key on standard input, one per line.\n"));
          status = 2;
        }
      else
        {
          creds = pw_aws_credentials_new (akid, secret, token, "keyring");
          if (pw_aws_keyring_store (profile, creds, NULL, &error))
            g_print (_("Stored the keys %s for the profile “%s” in the keyring.\n"), akid, profile);
          else
            status = report_error ("", error);
        }
      pw_aws_secret_free (secret);
      pw_aws_secret_free (token);
    }
  else if (strcmp (argv[1], "clear") == 0)
    {
      if (pw_aws_keyring_clear (profile, NULL, &error))
        g_print (_("Removed the keys of the profile “%s” from the keyring.\n"), profile);
      else
        status = report_error ("", error);
    }
  else
    {
      /* What `call` would use: the AWS CLI's chain, then the keyring. */
      g_autoptr(PwAwsConfig) config = pw_aws_config_resolve_full (o.profile, NULL, NULL,
                                                                   PW_AWS_CONFIG_ALLOW_UNKNOWN_PROFILE, &error);
      g_autoptr(PwAwsCredentials) creds = NULL;

      if (config == NULL)
        status = report_error ("", error);
      else if (config->credentials != NULL)
        g_print ("%s %s (%s)\n", config->profile, config->credentials->access_key_id, config->credentials->source);
      else if ((creds = pw_aws_keyring_lookup (config->profile, NULL, &error)) != NULL)
        g_print ("%s %s (%s)\n", config->profile, creds->access_key_id, creds->source);
      else if (error != NULL)
        status = report_error ("", error);
      else
        {
          g_printerr (_("No AWS keys for the profile “%s”.\n"), config->profile);
          status = 1;
        }
    }
  return status;
}
