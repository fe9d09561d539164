/* main.c: personalize-workshop-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pw-config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "pw-cli.h"

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (PW_GETTEXT_PACKAGE, PW_LOCALEDIR);
  bind_textdomain_codeset (PW_GETTEXT_PACKAGE, "UTF-8");
  textdomain (PW_GETTEXT_PACKAGE);

  return pw_cli_main (argc, argv);
}
