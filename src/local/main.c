/* main.c: personalize-local, an offline Amazon Personalize for the AWS CLI,
 * boto3 and the Personalize Workshop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "pw-local-server.h"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gboolean
is_loopback (const char *address)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);

  return inet != NULL && g_inet_address_get_is_loopback (inet);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PwLocalServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *bind = NULL;
  g_autofree char *region = NULL;
  g_autofree char *credentials = NULL;
  int port = 0;
  int step_ms = 0;
  PwLocalServerOptions options = { 0 };
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, N_("Port to listen on (default: a free port)"), "N" },
    { "bind", 'b', 0, G_OPTION_ARG_STRING, &bind, N_("Address to listen on (default: 127.0.0.1)"), "ADDR" },
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir, N_("Folder of the server's state"), "DIR" },
    { "region", 'r', 0, G_OPTION_ARG_STRING, &region, N_("Region of ARNs and signatures (default: us-east-1)"), "R" },
    { "credentials-file", 'c', 0, G_OPTION_ARG_FILENAME, &credentials,
      N_("Accept the keys of this AWS CLI credentials file instead of creating one"), "FILE" },
    { "step-ms", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &step_ms, NULL, "MS" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (PW_GETTEXT_PACKAGE, PW_LOCALEDIR);
  bind_textdomain_codeset (PW_GETTEXT_PACKAGE, "UTF-8");
  textdomain (PW_GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("An offline Amazon Personalize, S3, IAM and STS on this computer."));
  g_option_context_add_main_entries (context, entries, PW_GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "personalize-local: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535 || step_ms < 0)
    {
      fprintf (stderr, "personalize-local: %s\n", _("The port must be between 0 and 65535"));
      return 2;
    }
  if (bind != NULL && !is_loopback (bind))
    fprintf (stderr, _("Warning: listening on %s; other computers that reach this address can use the "
                       "server with its keys.\n"), bind);

  options.data_dir = data_dir;
  options.region = region;
  options.address = bind;
  options.port = port;
  options.credentials_file = credentials;
  options.step_ms = step_ms;
  server = pw_local_server_new (&options);
  if (!pw_local_server_start (server, &error))
    {
      fprintf (stderr, "personalize-local: %s\n", error->message);
      return 1;
    }

  if (pw_local_server_get_created_credentials (server))
    printf (_("Wrote new credentials for this server to %s (mode 0600).\n"),
            pw_local_server_get_credentials_file (server));
  printf (_("personalize-local is listening on %s (region %s, data in %s)\n"),
          pw_local_server_get_url (server), pw_local_server_get_region (server),
          pw_local_server_get_data_dir (server));
  printf (_("Try:\n  AWS_SHARED_CREDENTIALS_FILE=%s AWS_CONFIG_FILE=%s aws --endpoint-url %s "
            "personalize list-dataset-groups\n"),
          pw_local_server_get_credentials_file (server), pw_local_server_get_config_file (server),
          pw_local_server_get_url (server));
  printf ("endpoint=%s\n", pw_local_server_get_url (server));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  pw_local_server_stop (server);
  return 0;
}
