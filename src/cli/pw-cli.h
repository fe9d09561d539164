/* pw-cli.h: personalize-workshop-cli's subcommands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * PwCliCommand:
 * @name: what the user types after `personalize-workshop-cli`
 * @summary: one line for `--help` (marked with N_())
 * @run: runs the subcommand; @argv[0] is the subcommand's name. Returns the
 *   process exit status (0 on success, 1 on failure, 2 on a usage error).
 */
typedef struct
{
  const char *name;
  const char *summary;
  int (*run) (int argc, char **argv);
} PwCliCommand;

const PwCliCommand *pw_cli_get_commands (guint *n_commands);
int                 pw_cli_main         (int    argc,
                                         char **argv);

/* The subcommands. Each lives in its own pw-cli-<name>.c. */
int pw_cli_version (int argc, char **argv);
int pw_cli_prepare (int argc, char **argv);
int pw_cli_evaluate (int argc, char **argv);
int pw_cli_recommend (int argc, char **argv);
int pw_cli_batch (int argc, char **argv);
int pw_cli_credentials (int argc, char **argv);
int pw_cli_whoami  (int argc, char **argv);
int pw_cli_call    (int argc, char **argv);
int pw_cli_run_all (int argc, char **argv);
int pw_cli_cleanup (int argc, char **argv);
int pw_cli_status  (int argc, char **argv);

G_END_DECLS
