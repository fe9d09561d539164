/* pw-test-require.h: a skipped test is a failure under the test command
 *
 * build-aux/run-tests.sh installs everything the tests need and sets
 * PW_TESTS_REQUIRE_ALL, so that a missing display, keyring or package fails
 * there instead of passing as a skip. Elsewhere (a Flatpak build, a bare
 * `meson test`) such a test is skipped. Also: whether the session has a
 * Secret Service (the keyring tests need one).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

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

/* Whether org.freedesktop.secrets has an owner on the session bus. */
static inline gboolean
pw_test_secret_service_running (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}
