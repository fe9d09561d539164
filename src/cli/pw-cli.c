/* pw-cli.c: personalize-workshop-cli's dispatcher
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-cli"

#include "pw-config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "pw-cli.h"

/* Add a subcommand here and in pw-cli.h; keep the list in workshop order. */
static const PwCliCommand commands[] = {
  { "version", N_("Print the version"), pw_cli_version },
  { "prepare", N_("Prepare the data: read, split and write the CSV files"), pw_cli_prepare },
  { "evaluate", N_("Train a recipe and print its metrics"), pw_cli_evaluate },
  { "recommend", N_("Train a recipe and print recommendations"), pw_cli_recommend },
  { "batch", N_("Batch inference from JSON Lines"), pw_cli_batch },
  { "credentials", N_("Store, show or clear AWS keys in the keyring"), pw_cli_credentials },
  { "whoami", N_("Show the AWS account and identity of the credentials"), pw_cli_whoami },
  { "call", N_("Call one AWS operation with JSON input; print JSON"), pw_cli_call },
  { "run-all", N_("Run every built step of the workshop, then clean up"), pw_cli_run_all },
  { "status", N_("Print the workshop state file as a table"), pw_cli_status },
  { "cleanup", N_("Delete everything the workshop state file lists"), pw_cli_cleanup },
};

const PwCliCommand *
pw_cli_get_commands (guint *n_commands)
{
  if (n_commands != NULL)
    *n_commands = G_N_ELEMENTS (commands);
  return commands;
}

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n  personalize-workshop-cli %s\n\n%s\n",
           _("Usage:"), _("COMMAND [OPTION…]"), _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Run “personalize-workshop-cli COMMAND --help” for a command’s options."));
}

int
pw_cli_version (int    argc,
                char **argv)
{
  if (argc > 1)
    {
      g_printerr (_("%s: unexpected argument “%s”\n"), argv[0], argv[1]);
      return 2;
    }

  g_print ("personalize-workshop-cli %s\n", PW_VERSION);
  return 0;
}

int
pw_cli_main (int    argc,
             char **argv)
{
  const char *name;

  if (argc < 2)
    {
      print_usage (stderr);
      return 2;
    }

  name = argv[1];
  if (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0 || strcmp (name, "help") == 0)
    {
      print_usage (stdout);
      return 0;
    }
  if (strcmp (name, "--version") == 0)
    name = "version";

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  g_printerr (_("Unknown command “%s”.\n"), name);
  print_usage (stderr);
  return 2;
}
