#!/bin/sh
# Every catalogue is valid and complete against a fresh template of the sources.
# Usage: check-po.sh SOURCE_ROOT
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
root=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$root"
xgettext --from-code=UTF-8 --add-comments=Translators --keyword=_ --keyword=N_ \
  --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  --files-from=po/POTFILES.in --directory="$root" --output="$tmp/fresh.pot" 2>/dev/null ||
  { echo "not ok - xgettext failed"; exit 1; }

status=0
for lang in $(cat po/LINGUAS); do
  po=po/$lang.po
  msgfmt --check --output-file=/dev/null "$po" || { echo "$po: msgfmt --check failed"; status=1; }
  msgmerge --quiet --output-file="$tmp/$lang.po" "$po" "$tmp/fresh.pot"
  stats=$(msgfmt --statistics --output-file=/dev/null "$tmp/$lang.po" 2>&1)
  echo "$lang: $stats"
  case "$stats" in
    *untranslated*|*fuzzy*) echo "$po is not complete"; status=1 ;;
  esac
done
[ -n "$(cat po/LINGUAS)" ] || { echo "po/LINGUAS is empty"; status=1; }
exit $status
