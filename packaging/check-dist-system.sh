#!/usr/bin/env bash
# What `make dist` needs from the system besides the virtual environment.
# PyInstaller reads shared-library dependencies with ldd and objdump on Linux.
set -u
missing=0
if [ "$(uname -s)" = "Linux" ]; then
    if ! command -v objdump >/dev/null 2>&1; then
        echo "make dist: 'objdump' is missing; PyInstaller needs it to find library dependencies." >&2
        echo "  Install it with:  sudo apt-get install binutils" >&2
        missing=1
    fi
    if ! command -v ldd >/dev/null 2>&1; then
        echo "make dist: 'ldd' is missing." >&2
        echo "  Install it with:  sudo apt-get install libc-bin" >&2
        missing=1
    fi
fi
exit $missing
