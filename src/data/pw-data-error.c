/* pw-data-error.c: the data layer's error domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-data"

#include <string.h>

#include "pw-data-error.h"

G_DEFINE_QUARK (pw-data-error-quark, pw_data_error)

void
pw_read_report_clear (PwReadReport *report)
{
  g_return_if_fail (report != NULL);

  g_clear_pointer (&report->first_skipped, g_free);
  memset (report, 0, sizeof *report);
}
