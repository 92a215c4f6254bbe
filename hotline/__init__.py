"""Hotline Desk core: the domain model, encrypted store and services. No Qt here."""

__version__ = "0.1.0"
