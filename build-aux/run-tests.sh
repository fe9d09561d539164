#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages), builds Personalize Workshop
# with warnings as errors, and runs every test headless: an Xvfb display, a
# private D-Bus session bus and an unlocked gnome-keyring, in a private HOME.
# Ends with "N passed, N failed, N skipped" and exits non-zero on a failure.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
builddir="${PW_BUILDDIR:-_build-tests}"

bash build-aux/install-deps.sh

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" -Dwerror=true -Dbuildtype=debugoptimized
fi
ninja -C "$builddir"

# A private environment: a stale login keyring in the real HOME would stay
# locked and hang every libsecret call on an invisible prompt.
session=$(mktemp -d /tmp/pw-test-session.XXXXXX)
trap 'rm -rf "$session"' EXIT
mkdir -p "$session"/{home,runtime,config,data,cache}
chmod 0700 "$session/runtime"
export HOME="$session/home"
export XDG_RUNTIME_DIR="$session/runtime"
export XDG_CONFIG_HOME="$session/config"
export XDG_DATA_HOME="$session/data"
export XDG_CACHE_HOME="$session/cache"
unset WAYLAND_DISPLAY DISPLAY DBUS_SESSION_BUS_ADDRESS
export GDK_BACKEND=x11
export GSETTINGS_BACKEND=memory
export PW_TESTS_REQUIRE_ALL=1
export NO_AT_BRIDGE=1

rm -f "$builddir/meson-logs/testlog.json"
status=0
xvfb-run -a -s "-screen 0 1280x1024x24" \
  dbus-run-session -- bash build-aux/test-session.sh "$builddir" "$@" || status=$?

# The summary line CI reads, counted from meson's own log.
/usr/bin/python3 - "$builddir/meson-logs/testlog.json" <<'PY' || status=1
import json, sys
counts = {'OK': 0, 'FAIL': 0, 'SKIP': 0, 'EXPECTEDFAIL': 0, 'UNEXPECTEDPASS': 0, 'TIMEOUT': 0, 'ERROR': 0}
try:
    lines = open(sys.argv[1], encoding='utf-8').read().splitlines()
except OSError:
    print('0 passed, 1 failed')
    sys.exit(1)
for line in lines:
    if line.strip():
        r = json.loads(line)['result']
        counts[r] = counts.get(r, 0) + 1
passed = counts['OK'] + counts['EXPECTEDFAIL']
failed = counts['FAIL'] + counts['UNEXPECTEDPASS'] + counts['TIMEOUT'] + counts['ERROR']
print(f"{passed} passed, {failed} failed, {counts['SKIP']} skipped")
sys.exit(1 if failed or passed == 0 else 0)
PY
exit $status
