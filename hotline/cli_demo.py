"""``hotline demo``: fill an installation (a new one if the folder is empty) with invented
calls for training, demonstrations and the benchmarks.

Registered by :func:`hotline.cli.build_parser` through :func:`register`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from hotline.i18n import _

Command = Callable[[Any, str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def register(commands: Any, command: Command) -> None:
    """Add ``hotline demo`` to the top-level ``commands``."""
    demo = command(
        commands, "demo", cmd_demo,
        _("fill an installation with invented calls for training and benchmarks"),
    )  # fmt: skip
    demo.add_argument(
        "--contacts", type=int, default=10_000, metavar="N",
        help=_("how many calls to invent (default: 10000)"),
    )  # fmt: skip
    demo.add_argument(
        "--seed", type=int, default=1, metavar="N",
        help=_("the same seed gives the same data (default: 1)"),
    )  # fmt: skip
    demo.add_argument(
        "--years", type=int, default=5, metavar="N",
        help=_("spread the calls over this many years up to today (default: 5)"),
    )  # fmt: skip
    demo.add_argument(
        "--force", action="store_true",
        help=_("load even where real calls exist (only on a copy made for training)"),
    )  # fmt: skip


def cmd_demo(args: argparse.Namespace) -> int:
    from hotline.cli import ENV_PASSWORD, UsageError, _data_dir, _login
    from hotline.demo import generator, installation
    from hotline.store import connection

    if args.contacts < 1 or args.years < 1:
        raise UsageError(_("--contacts and --years must be at least 1."))
    data_dir = _data_dir(args)
    if data_dir.database.exists():
        session = _login(args)
    else:
        # Nothing but invented data in this process and this installation: see connection.py.
        connection.without_memory_security_for_invented_data()
        password = os.environ.get(ENV_PASSWORD) or installation.DEFAULT_PASSWORD
        session, recovery_key = installation.create(data_dir, password)
        print(_("Created a demo installation in %(path)s.") % {"path": data_dir.root})
        names = ", ".join([installation.ADMIN] + [n for n, _r, _d in installation.STAFF])
        print(_("Accounts: %(names)s.") % {"names": names})
        if not os.environ.get(ENV_PASSWORD):
            print(
                _("Every account's password is: %(password)s (shown only now).")
                % {"password": installation.DEFAULT_PASSWORD}
            )
        print(_("Recovery key: %(key)s") % {"key": recovery_key})
    try:

        def progress(done: int) -> None:
            text = _("%(done)d of %(count)d calls written…")
            print(text % {"done": done, "count": args.contacts}, file=sys.stderr)

        result = generator.load(
            session, args.contacts, seed=args.seed, years=args.years, force=args.force,
            progress=progress,
        )  # fmt: skip
    finally:
        session.close()
    rate = result.contacts / result.seconds if result.seconds > 0 else 0.0
    print(
        _("Wrote %(contacts)d demo calls, %(cases)d cases, %(referrals)d referrals, "
          "%(screenings)d screenings and %(reviews)d reviews in %(seconds).1f s "
          "(%(rate)d calls a second).")
        % {"contacts": result.contacts, "cases": result.cases, "referrals": result.referrals,
           "screenings": result.screenings, "reviews": result.reviews,
           "seconds": result.seconds, "rate": int(rate)}
    )  # fmt: skip
    return 0
