#!/bin/sh
# `meson install --destdir` gives a complete tree: binaries, desktop file, metainfo, icons,
# schema and translations where a desktop expects them.
# Usage: check-install.sh BUILD_DIR
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
build=$1
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

DESTDIR="$dest" meson install -C "$build" --quiet >/dev/null
prefix=$(meson introspect "$build" --buildoptions |
  python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"][0])')
root=$dest$prefix
id=io.github.asyncweather.AsyncWeather

status=0
for file in \
  bin/async-weather bin/async-weather-cli \
  share/applications/$id.desktop share/metainfo/$id.metainfo.xml \
  share/icons/hicolor/scalable/apps/$id.svg \
  share/icons/hicolor/symbolic/apps/$id-symbolic.svg \
  share/glib-2.0/schemas/$id.gschema.xml \
  share/locale/fr/LC_MESSAGES/async-weather.mo \
  share/locale/zh_CN/LC_MESSAGES/async-weather.mo
do
  if [ -e "$root/$file" ]; then
    echo "ok - $file"
  else
    echo "not ok - $file is missing"
    status=1
  fi
done
# The desktop file and the metainfo speak every language of po/LINGUAS.
for lang in $(cat "$(dirname "$0")/../po/LINGUAS"); do
  if grep -q "^Comment\[$lang\]=" "$root/share/applications/$id.desktop" &&
     grep -q "xml:lang=\"$lang\"" "$root/share/metainfo/$id.metainfo.xml"; then
    echo "ok - desktop file and metainfo in $lang"
  else
    echo "not ok - the desktop file or the metainfo lacks $lang"
    status=1
  fi
done
exit $status
