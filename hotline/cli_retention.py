"""``hotline retention show|set|preview|apply``: the retention policy (administrators).

Registered by :func:`hotline.cli.build_parser` through :func:`register`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from hotline.formatting import format_date
from hotline.i18n import _, ngettext
from hotline.services import retention
from hotline.services.session import Session

Command = Callable[[Any, str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def register(commands: Any, command: Command) -> None:
    """Add ``hotline retention show|set|preview|apply`` to the top-level ``commands``."""
    from hotline.cli import _Parser

    parser = commands.add_parser(
        "retention", help=_("remove names, phones and notes from old calls (administrators)")
    )
    actions = parser.add_subparsers(
        dest="retention_command", metavar="ACTION", parser_class=_Parser
    )
    actions.required = True
    command(actions, "show", cmd_show, _("show the retention policy"))
    change = command(actions, "set", cmd_set, _("set the retention policy"))
    months = change.add_mutually_exclusive_group(required=True)
    months.add_argument(
        "--months", type=int, metavar="N",
        help=_("clean calls older than N whole months (at least 1)"),
    )  # fmt: skip
    months.add_argument("--off", action="store_true", help=_("keep every call as it is"))
    change.add_argument(
        "--only-acknowledged", action="store_true",
        help=_("clean a call only after the recipient confirmed receiving its batch"),
    )  # fmt: skip
    command(actions, "preview", cmd_preview, _("count what the policy would remove now"))
    apply = command(actions, "apply", cmd_apply, _("remove what the policy says, then compact"))
    apply.add_argument(
        "--yes", action="store_true", help=_("do it (without it, only the preview is shown)")
    )


def _run(args: argparse.Namespace, work: Callable[[Session], int]) -> int:
    from hotline.cli import _with_session

    return _with_session(args, work)


def policy_text(policy: retention.Policy) -> str:
    if policy.months is None:
        return _("Retention is off: calls keep everything that was recorded.")
    text = ngettext(
        "Calls older than %(n)d whole month lose names, phone numbers and notes.",
        "Calls older than %(n)d whole months lose names, phone numbers and notes.",
        policy.months,
    ) % {"n": policy.months}
    if policy.only_acknowledged:
        text += " " + _("Only once the recipient confirmed receiving the batch with the call.")
    return text


def counts_lines(counts: retention.Counts) -> list[str]:
    lines = []
    if counts.cutoff is not None:
        lines.append(
            _("Calls that started before %(day)s are concerned.")
            % {"day": format_date(counts.cutoff, "long")}
        )
    lines.append(
        ngettext(
            "%(n)d call would lose personal data.",
            "%(n)d calls would lose personal data.",
            counts.calls,
        )
        % {"n": counts.calls}
    )
    if counts.waiting:
        lines.append(
            ngettext(
                "%(n)d old call waits for a receipt and is kept as it is.",
                "%(n)d old calls wait for a receipt and are kept as they are.",
                counts.waiting,
            )
            % {"n": counts.waiting}
        )
    lines.append(
        _(
            "Also: %(persons)d persons, %(cases)d case routes, %(referrals)d referrals, "
            "%(screenings)d screenings, %(versions)d saved versions, %(drafts)d drafts, "
            "%(conflicts)d records kept aside."
        )
        % {
            "persons": counts.persons,
            "cases": counts.cases,
            "referrals": counts.referrals,
            "screenings": counts.screenings,
            "versions": counts.versions,
            "drafts": counts.drafts,
            "conflicts": counts.conflicts,
        }
    )
    return lines


def cmd_show(args: argparse.Namespace) -> int:
    def work(session: Session) -> int:
        print(policy_text(retention.get_policy(session)))
        return 0

    return _run(args, work)


def cmd_set(args: argparse.Namespace) -> int:
    def work(session: Session) -> int:
        policy = retention.Policy(
            months=None if args.off else args.months, only_acknowledged=args.only_acknowledged
        )
        print(policy_text(retention.set_policy(session, policy)))
        return 0

    return _run(args, work)


def cmd_preview(args: argparse.Namespace) -> int:
    def work(session: Session) -> int:
        policy = retention.get_policy(session)
        print(policy_text(policy))
        if policy.enabled:
            for line in counts_lines(retention.preview(session, policy)):
                print(line)
        return 0

    return _run(args, work)


def cmd_apply(args: argparse.Namespace) -> int:
    def work(session: Session) -> int:
        policy = retention.get_policy(session)
        print(policy_text(policy))
        if not policy.enabled:
            return 0
        counts = retention.preview(session, policy)
        if not args.yes:
            for line in counts_lines(counts):
                print(line)
            print(_("Nothing was changed. Run the command again with --yes to remove it."))
            return 0
        done = retention.apply(session, policy, expected_calls=counts.calls)
        print(
            ngettext(
                "Removed personal data from %(n)d call; the database was compacted.",
                "Removed personal data from %(n)d calls; the database was compacted.",
                done.calls,
            )
            % {"n": done.calls}
        )
        return 0

    return _run(args, work)
