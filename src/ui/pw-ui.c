/* pw-ui.c: what the user interface needs before its first widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pw-ui"

#include "pw-config.h"

#include <gio/gio.h>

#include "pw-bar-chart.h"
#include "pw-histogram.h"
#include "pw-page.h"
#include "pw-resources.h"
#include "pw-ui.h"

/**
 * pw_ui_init:
 *
 * Registers the application's resources and the types its templates use.
 * The resources live in a static library, whose constructor a linker may
 * drop, so they are registered by hand. Safe to call more than once.
 */
void
pw_ui_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      pw_register_resource ();
      g_type_ensure (PW_TYPE_PAGE);
      g_type_ensure (PW_TYPE_BAR_CHART);
      g_type_ensure (PW_TYPE_HISTOGRAM);
      g_once_init_leave (&initialized, 1);
    }
}
