"""``hotline about``: versions, data folder, database size, last backup, last batch sent and
acknowledged, as the About dialog's "Copy details" gives them (no personal data).

Registered by :func:`hotline.cli.build_parser` through :func:`register`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from hotline.i18n import _
from hotline.services import diagnostics
from hotline.services.session import Session

Command = Callable[[Any, str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def register(commands: Any, command: Command) -> None:
    """Add ``hotline about`` to the top-level ``commands``."""
    command(
        commands, "about", cmd_about,
        _("show versions, the data folder, the last backup and the last batch (for support)"),
    )  # fmt: skip


def cmd_about(args: argparse.Namespace) -> int:
    from hotline.cli import _with_session

    def work(session: Session) -> int:
        sys.stdout.write(diagnostics.plain_text(diagnostics.gather(session)))
        return 0

    return _with_session(args, work)
