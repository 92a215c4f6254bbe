#!/usr/bin/env bash
# Checks the system libraries Qt needs (Linux). Installs them with apt-get when run as
# root on Debian/Ubuntu and something is missing; otherwise says what to install.
# `check-system.sh display` (make run) also checks what Qt's X11 platform plugin loads;
# the tests run offscreen and need only the first list.
set -u
[ "$(uname -s)" = "Linux" ] || exit 0
if ! command -v python3 >/dev/null; then echo "Python 3.11+ is required." >&2; exit 1; fi
python3 - <<'PY' || exit 1
import sys
if sys.version_info < (3, 11):
    sys.exit("Python 3.11 or newer is required (found %s)." % sys.version.split()[0])
PY
needed="libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0"
libs="libGL.so.1 libEGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libdbus-1.so.3 libglib-2.0.so.0"
if [ "${1:-}" = "display" ]; then
    needed="$needed libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0"
    needed="$needed libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0"
    libs="$libs libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-keysyms.so.1 libxcb-image.so.0"
    libs="$libs libxcb-render-util.so.0 libxcb-randr.so.0 libxcb-shape.so.0 libxcb-xfixes.so.0"
    libs="$libs libxcb-xkb.so.1 libxkbcommon-x11.so.0"
fi
missing=""
for lib in $libs; do
    ldconfig -p 2>/dev/null | grep -q "$lib" || missing="$missing $lib"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing system libraries for Qt:$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $needed
else
    echo "Qt needs these system libraries:$missing" >&2
    echo "On Debian/Ubuntu: sudo apt-get install $needed" >&2
    exit 1
fi
