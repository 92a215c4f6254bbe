from __future__ import annotations

from dataclasses import dataclass

from hotline.roles import Role


@dataclass(frozen=True)
class User:
    id: str
    username: str
    display_name: str
    role: Role
    active: bool
    language: str
    version: int
    created_at: str
    updated_at: str
