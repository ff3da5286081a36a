#!/bin/sh
# Screenshots of the window at 1400, 800 and 400 px wide, light and dark, for the README:
# the real app under a virtual display of that width, a sequential run then a concurrent
# one of the default cities on the demo server, then the screen grabbed whole.
# Needs xvfb-run, dbus-run-session and ImageMagick's import.
# Usage: build-aux/window-screenshots.sh BUILD_DIR OUTPUT_DIR
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
build=$(realpath "$1")
out=$(realpath "$2")
app="$build/src/gui/async-weather"
height=860

shoot () {
  width=$1 scheme=$2 name=$3
  home=$(mktemp -d)
  # Settings of their own (the window's size), a history of their own.
  cat > "$home/run.sh" <<SCRIPT
#!/bin/sh
set -eu
export XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache"
export GSETTINGS_BACKEND=keyfile GSETTINGS_SCHEMA_DIR="$build/data" GDK_BACKEND=x11
export ADW_DEBUG_COLOR_SCHEME=$scheme NO_AT_BRIDGE=1 LC_ALL=C.UTF-8
# GNOME's title buttons, as its settings daemon gives them.
mkdir -p "$home/config/gtk-4.0"
printf '[Settings]\ngtk-decoration-layout=appmenu:close\n' > "$home/config/gtk-4.0/settings.ini"
gsettings set io.github.asyncweather.AsyncWeather window-width $width
gsettings set io.github.asyncweather.AsyncWeather window-height $height
"$app" --run=sequential --demo-latency=0.3 &
pid=\$!
sleep 6
"$app" --run=concurrent
sleep 4
import -window root "$out/$name"
kill \$pid
SCRIPT
  dbus-run-session -- xvfb-run -a -s "-screen 0 ${width}x${height}x24" sh "$home/run.sh"
  rm -rf "$home"
}

for width in 1400 800 400; do
  shoot $width prefer-light "window-$width.png"
  shoot $width prefer-dark "window-$width-dark.png"
done
