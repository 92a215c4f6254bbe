"""The role × action matrix in docs/roles.md is exactly what the code enforces."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hotline.roles import PERMISSIONS, Action, Role, allowed

DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"
ROLE_COLUMNS = (Role.OPERATOR, Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN)


def documented() -> dict[Action, dict[Role, bool]]:
    table: dict[Action, dict[Role, bool]] = {}
    for line in DOC.read_text("utf-8").splitlines():
        match = re.match(r"^\| `([a-z_]+)` \|", line)
        if not match:
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        marks = cells[2:6]
        table[Action(match.group(1))] = {
            role: mark == "✓" for role, mark in zip(ROLE_COLUMNS, marks, strict=True)
        }
    return table


def test_every_action_is_documented() -> None:
    assert set(documented()) == set(Action) == set(PERMISSIONS)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", ROLE_COLUMNS)
def test_cell(action: Action, role: Role) -> None:
    assert allowed(role, action) is documented()[action][role]
