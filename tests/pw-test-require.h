/* pw-test-require.h: a skipped test is a failure under the test command
 *
 * build-aux/run-tests.sh installs everything the tests need and sets
 * PW_TESTS_REQUIRE_ALL, so that a missing display, keyring or package fails
 * there instead of passing as a skip. Elsewhere (a Flatpak build, a bare
 * `meson test`) such a test is skipped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

static inline void
pw_test_skip_unless_required (const char *why)
{
  if (g_getenv ("PW_TESTS_REQUIRE_ALL") != NULL)
    {
      g_test_message ("required but missing: %s", why);
      g_test_fail ();
    }
  else
    g_test_skip (why);
}
