#!/usr/bin/env bash
# Installs the Debian 12 packages Personalize Workshop needs to build, run and
# test. Does nothing when everything is already there.
set -euo pipefail

packages=(
  build-essential meson ninja-build pkg-config gettext itstool
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsecret-1-dev liblapacke-dev libopenblas-dev
  libarchive-dev
  desktop-file-utils appstream
  xvfb xauth x11-utils imagemagick dbus-daemon dbus-x11 gnome-keyring
  libsecret-tools at-spi2-core python3-dogtail python3-yaml
  awscli python3-botocore python3-boto3 clang
  fonts-cantarell fonts-nanum
  python3-numpy python3-pandas
  strace
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -o DPkg::Lock::Timeout=600 >&2
$sudo apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2
