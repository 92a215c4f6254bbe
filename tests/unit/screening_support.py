"""Small readers of an engine Result, shared by the scenario tests of every script."""

from __future__ import annotations

from hotline.screening.engine import Result, reason_text


def codes(result: Result) -> set[str]:
    """Codes of the indicators that fired."""
    return {i.code for i in result.indicators}


def reasons(result: Result, language: str = "en") -> list[str]:
    return [reason_text(r, language) for r in result.reasons]


def htcds(result: Result) -> set[str]:
    """Fired indicators as HTCDS field.value pairs."""
    return {f"{i.htcds_field}.{i.htcds_value}" for i in result.indicators if i.htcds_field}


def actions(result: Result, language: str = "en") -> str:
    return "\n".join(a.get_text(language) for a in result.actions)
