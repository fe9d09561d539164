#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages), builds Personalize Workshop
# and launches it with its defaults, from the source tree (nothing is
# installed system-wide besides the packages).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash build-aux/install-deps.sh

if [ ! -f _build/build.ninja ]; then
  meson setup _build --prefix="$top/_build/install"
fi
ninja -C _build install >/dev/null

export GSETTINGS_SCHEMA_DIR="$top/_build/install/share/glib-2.0/schemas"
export XDG_DATA_DIRS="$top/_build/install/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
exec "$top/_build/install/bin/personalize-workshop" "$@"
