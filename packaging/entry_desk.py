"""PyInstaller's entry script for ``hotline-desk`` (the same as the installed gui-script)."""

import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
