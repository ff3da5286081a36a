#!/bin/sh
# meson setup succeeds where none of the test tools is installed (xvfb-run, dbus-run-session,
# desktop-file-validate, appstreamcli, msgmerge…): with -Dtests=false, and with the tests on
# (then they register skips). Only the build's own tools are on the PATH.
# Usage: check-setup-without-tools.sh SOURCE_ROOT
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
root=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir "$tmp/bin"
for tool in meson ninja cc gcc ld as ar pkg-config python3 sh sed git \
            glib-compile-resources glib-compile-schemas glib-mkenums msgfmt xgettext; do
  path=$(command -v "$tool") && ln -s "$path" "$tmp/bin/$tool"
done

for options in -Dtests=false -Dtests=true; do
  if ! PATH="$tmp/bin" meson setup "$tmp/build$options" "$root" "$options" >"$tmp/log" 2>&1; then
    echo "meson setup $options failed without the test tools:"
    tail -n 5 "$tmp/log"
    exit 1
  fi
  echo "ok: meson setup $options"
done
