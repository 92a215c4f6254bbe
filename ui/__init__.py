"""Hotline Desk desktop interface (PySide6). Imports ``hotline``; the core never imports this."""

from ui.qtfix import protect_booleans

# Before any widget exists: PySide6 6.12.0 would otherwise abort the process after a few
# hundred signals (see ui/qtfix.py).
protect_booleans()
