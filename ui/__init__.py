"""Hotline Desk's PySide6 interface. Imports ``hotline``; the core never imports this."""
