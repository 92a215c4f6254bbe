"""``hotline coordinator``: the sources of the records gathered here, and the exports in the
layouts of the standards (docs/coordinator.md). ``hotline.cli`` adds these commands with
``register(commands, command)`` inside its parser."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hotline.exchange.aggregates import DEFAULT_K
from hotline.i18n import _, ngettext
from hotline.model.call_log import CallLogFilter
from hotline.services import coordinator
from hotline.services.session import Session

FORMATS = ("htcds-csv", "htcds-xlsx", "ctdc-csv")

Command = Callable[[Any, str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def cmd_sources(args: argparse.Namespace) -> int:
    from hotline import cli

    def work(s: Session) -> int:
        listed = coordinator.sources(s)
        if args.json:
            cli._print_json([{"id": source, "label": label} for source, label in listed])
        else:
            for source, label in listed:
                print(f"{source}\t{label}")
        return 0

    return cli._with_session(args, work)


def cmd_export(args: argparse.Namespace) -> int:
    from hotline import cli

    target = cli._not_there(Path(args.out))
    since = cli._day(args.since, "--since")
    until = cli._day(args.until, "--until")
    if args.k is not None and args.format != "ctdc-csv":
        raise cli.UsageError(_("--k is only for --format ctdc-csv"))

    def work(s: Session) -> int:
        filter = CallLogFilter(
            since=since,
            until=until,
            sources=tuple(dict.fromkeys(coordinator.source_id(s, name) for name in args.source)),
        )
        if args.format == "ctdc-csv":
            result = coordinator.export_ctdc(
                s, filter, target, DEFAULT_K if args.k is None else args.k
            )
            print(
                ngettext(
                    "Wrote %(n)d row to %(path)s.", "Wrote %(n)d rows to %(path)s.", result.rows
                )
                % {"n": result.rows, "path": target}
            )
            if result.dropped:
                print(
                    ngettext(
                        "%(n)d record was left out: it stayed too rare to publish (k = %(k)d).",
                        "%(n)d records were left out: they stayed too rare to publish (k = %(k)d).",
                        result.dropped,
                    )
                    % {"n": result.dropped, "k": result.k}
                )
            return 0
        count = coordinator.export_htcds(
            s, filter, target, "xlsx" if args.format == "htcds-xlsx" else "csv"
        )
        print(
            ngettext("Wrote %(n)d row to %(path)s.", "Wrote %(n)d rows to %(path)s.", count)
            % {"n": count, "path": target}
        )
        return 0

    return cli._with_session(args, work)


def cmd_counts(args: argparse.Namespace) -> int:
    from hotline import cli
    from hotline.exchange.received_counts import received_counts

    def work(s: Session) -> int:
        tables = received_counts(s)
        if args.json:
            cli._print_json(
                [
                    {
                        "batch_id": t.batch_id,
                        "sender": t.sender_id,
                        "since": t.since,
                        "until": t.until,
                        "dimension": t.dimension.value,
                        "total": t.total,
                        "cells": [list(cell) for cell in t.cells],
                    }
                    for t in tables
                ]
            )
            return 0
        withheld = _("fewer than k")
        for t in tables:
            print(f"{t.sender}  {t.since} – {t.until}  {t.dimension.heading}")
            for text, count in t.cells:
                print(f"    {text:40} {withheld if count is None else count}")
            total = withheld if t.total is None else t.total
            print(f"    {_('Total'):40} {total}")
        return 0

    return int(cli._with_session(args, work))


def register(commands: Any, command: Command) -> None:
    """Add ``hotline coordinator sources`` and ``hotline coordinator export``."""
    parent = commands.add_parser(
        "coordinator", help=_("records gathered from the hotlines: sources and standard exports")
    )
    actions = parent.add_subparsers(
        dest="coordinator_command", metavar="ACTION", parser_class=type(parent)
    )
    actions.required = True
    sources = command(
        actions, "sources", cmd_sources,
        _("list where records come from: here (local) and every registered hotline"),
    )  # fmt: skip
    sources.add_argument("--json", action="store_true", help=_("machine-readable output"))
    counts = command(
        actions, "counts", cmd_counts,
        _("the counts received in aggregate batches (withheld counts marked)"),
    )  # fmt: skip
    counts.add_argument("--json", action="store_true", help=_("machine-readable output"))
    export = command(
        actions, "export", cmd_export,
        _("write the records in the HTCDS column layout (CSV or XLSX) or as a k-anonymised "
          "CTDC-style CSV"),
    )  # fmt: skip
    export.add_argument("--format", required=True, choices=FORMATS)
    export.add_argument("--out", required=True, metavar="FILE")
    export.add_argument(
        "--k", type=int, metavar="N",
        help=_("ctdc-csv: every published combination is shared by at least N records "
               "(default %(k)d)") % {"k": DEFAULT_K},
    )  # fmt: skip
    export.add_argument(
        "--source", action="append", default=[], metavar="ID",
        help=_("only records from this source: local, an installation id or an organisation "
               "code (repeatable)"),
    )  # fmt: skip
    export.add_argument("--since", metavar="DATE", help=_("from this day on (YYYY-MM-DD)"))
    export.add_argument("--until", metavar="DATE", help=_("up to this day (YYYY-MM-DD)"))
