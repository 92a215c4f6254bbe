"""Fixtures shared by the unit tests beyond those of tests/conftest.py."""

from tests.unit.exchange_support import network, network_template  # noqa: F401
