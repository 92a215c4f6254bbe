"""Frozen dataclasses passed between the store, services, CLI and UI."""

from hotline.model.installation import Installation
from hotline.model.user import User

__all__ = ["Installation", "User"]
