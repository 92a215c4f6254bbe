"""``hotline backups``: the backup schedule, a scheduled run (for cron or the Windows Task
Scheduler) and the list of backups in the folder.

The single backup to a file stays ``hotline backup --to FILE``; restoring stays
``hotline restore FILE``. Registered by :func:`hotline.cli.build_parser` through
:func:`register`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hotline.i18n import _, ngettext
from hotline.services import backup_schedule
from hotline.services.backup_schedule import BackupResult, Frequency
from hotline.services.session import Session

Command = Callable[[Any, str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def register(commands: Any, command: Command) -> None:
    """Add ``hotline backups schedule|run|list`` to the top-level ``commands``."""
    from hotline.cli import _Parser

    backups = commands.add_parser(
        "backups", help=_("scheduled backups to a folder, with the oldest removed")
    )
    actions = backups.add_subparsers(dest="backups_command", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    schedule = command(
        actions, "schedule", cmd_backups_schedule,
        _("show or change the backup folder, how often and how many backups to keep"),
    )  # fmt: skip
    schedule.add_argument("--folder", metavar="DIR", help=_("the folder for the backups"))
    schedule.add_argument(
        "--every", choices=[f.value for f in Frequency],
        help=_("how often: daily, weekly or off"),
    )  # fmt: skip
    schedule.add_argument(
        "--keep", type=int, metavar="N",
        help=_("how many backups to keep (default 14); older ones are deleted"),
    )  # fmt: skip
    schedule.add_argument("--json", action="store_true", help=_("machine-readable output"))
    run = command(
        actions, "run", cmd_backups_run,
        _("make the scheduled backup if it is due (for cron or the Task Scheduler)"),
    )  # fmt: skip
    run.add_argument("--now", action="store_true", help=_("make a backup now even if none is due"))
    listing = command(actions, "list", cmd_backups_list, _("list the backups in the folder"))
    listing.add_argument("--json", action="store_true", help=_("machine-readable output"))


def _with_session(args: argparse.Namespace, work: Callable[[Session], int]) -> int:
    from hotline.cli import _with_session

    return _with_session(args, work)


def _schedule_json(schedule: backup_schedule.Schedule) -> dict[str, Any]:
    return {
        "folder": str(schedule.folder) if schedule.folder else None,
        "every": schedule.every.value,
        "keep": schedule.keep,
        "last_at": schedule.last_at.isoformat() if schedule.last_at else None,
    }


def cmd_backups_schedule(args: argparse.Namespace) -> int:
    def work(session: Session) -> int:
        current = backup_schedule.get_schedule(session)
        if args.folder is not None or args.every is not None or args.keep is not None:
            folder = Path(args.folder).expanduser().absolute() if args.folder else current.folder
            every = Frequency(args.every) if args.every else current.every
            keep = args.keep if args.keep is not None else current.keep
            current = backup_schedule.set_schedule(session, folder, every, keep)
        if args.json:
            json.dump(_schedule_json(current), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            return 0
        print(_("Folder: %(path)s") % {"path": current.folder or _("(none)")})
        print(_("How often: %(every)s") % {"every": current.every.label})
        print(_("Backups kept: %(n)d") % {"n": current.keep})
        last = current.last_at.astimezone().strftime("%Y-%m-%d %H:%M") if current.last_at else ""
        print(_("Last backup: %(when)s") % {"when": last or _("never")})
        return 0

    return _with_session(args, work)


def _print_result(result: BackupResult) -> None:
    print(_("Wrote the encrypted backup %(path)s.") % {"path": result.path})
    if result.removed:
        print(
            ngettext(
                "Deleted %(n)d old backup: %(names)s",
                "Deleted %(n)d old backups: %(names)s",
                len(result.removed),
            )
            % {"n": len(result.removed), "names": ", ".join(p.name for p in result.removed)}
        )


def cmd_backups_run(args: argparse.Namespace) -> int:
    def work(session: Session) -> int:
        now = dt.datetime.now(dt.UTC)
        if args.now:
            result: BackupResult | None = backup_schedule.back_up_now(session, now)
        else:
            result = backup_schedule.run_scheduled_backup(session, now)
        if result is None:
            print(_("No backup is due."))
            return 0
        _print_result(result)
        return 0

    return _with_session(args, work)


def cmd_backups_list(args: argparse.Namespace) -> int:
    from hotline.errors import KnownError

    def work(session: Session) -> int:
        folder = backup_schedule.get_schedule(session).folder
        if folder is None:
            raise KnownError(_("No backup folder is set. Set one with “hotline backups schedule”."))
        found = backup_schedule.list_backups(folder, session.installation.org_code)
        if args.json:
            rows = [
                {"file": str(b.path), "made_at": b.made_at.isoformat(), "size": b.size}
                for b in found
            ]
            json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            return 0
        if not found:
            print(_("There is no backup in %(path)s.") % {"path": folder})
        for b in found:
            print(f"{b.made_at:%Y-%m-%d %H:%M}  {b.size:>12}  {b.path.name}")
        return 0

    return _with_session(args, work)
