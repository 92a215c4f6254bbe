#!/usr/bin/env bash
# Checks the system libraries Qt needs (Linux). Installs them with apt-get when run as
# root on Debian/Ubuntu and something is missing; otherwise says what to install.
set -u
[ "$(uname -s)" = "Linux" ] || exit 0
if ! command -v python3 >/dev/null; then echo "Python 3.11+ is required." >&2; exit 1; fi
python3 - <<'PY' || exit 1
import sys
if sys.version_info < (3, 11):
    sys.exit("Python 3.11 or newer is required (found %s)." % sys.version.split()[0])
PY
needed="libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0"
missing=""
for lib in libGL.so.1 libEGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libdbus-1.so.3 libglib-2.0.so.0; do
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
