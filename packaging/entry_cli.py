"""PyInstaller's entry script for ``hotline`` (the same as the installed console script)."""

import sys

from hotline.cli import main

if __name__ == "__main__":
    sys.exit(main())
