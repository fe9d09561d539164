#!/usr/bin/env bash
# Runs inside xvfb-run + dbus-run-session (see run-tests.sh): unlocks a
# gnome-keyring for libsecret, proves it works, then runs meson test.
set -euo pipefail
builddir="$1"
shift

printf 'pw-test-keyring' | gnome-keyring-daemon --unlock --components=secrets >/dev/null

for _ in $(seq 1 100); do
  owner=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
            --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null || true)
  [ "$owner" = "(true,)" ] && break
  sleep 0.1
done
locked=$(gdbus call --session --dest org.freedesktop.secrets \
           --object-path /org/freedesktop/secrets/collection/login \
           --method org.freedesktop.DBus.Properties.Get org.freedesktop.Secret.Collection Locked 2>/dev/null || true)
if [ "$locked" != "(<false>,)" ]; then
  echo "run-tests: the test keyring is not unlocked ($locked)" >&2
  exit 1
fi
# gnome-keyring-daemon --unlock exits 0 even when it failed: prove it.
printf 'probe' | timeout 10 secret-tool store --label='pw test probe' pw-test probe
[ "$(timeout 10 secret-tool lookup pw-test probe)" = "probe" ]
timeout 10 secret-tool clear pw-test probe

meson test -C "$builddir" --print-errorlogs "$@"
