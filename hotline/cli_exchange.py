"""``hotline card``, ``hotline export``, ``hotline import``, ``hotline receipt`` and
``hotline batches``: the batch exchange on the command line (docs/batch-format.md)."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hotline.errors import BatchRejected
from hotline.exchange import exporting, importing, partners, receipts
from hotline.exchange.aggregates import DEFAULT_K
from hotline.exchange.records import Privacy
from hotline.i18n import _
from hotline.services.session import Session

Command = Callable[..., argparse.ArgumentParser]


def _cli() -> Any:
    from hotline import cli  # the helpers of the main module; imported late (no cycle)

    return cli


def _with_session(args: argparse.Namespace, work: Callable[[Session], int]) -> int:
    result: int = _cli()._with_session(args, work)
    return result


def _day(text: str | None, option: str) -> dt.date | None:
    day: dt.date | None = _cli()._day(text, option)
    return day


def _print_json(data: Any) -> None:
    _cli()._print_json(data)


# --- cards ---------------------------------------------------------------------------------


def cmd_card_export(args: argparse.Namespace) -> int:
    target = Path(args.out)

    def work(s: Session) -> int:
        card = partners.export_card(s, target, recipient=args.recipient)
        print(_("Wrote this installation's card to %(path)s.") % {"path": target})
        print(_("Fingerprint: %(fingerprint)s") % {"fingerprint": card.fingerprint})
        return 0

    return _with_session(args, work)


def cmd_card_show(args: argparse.Namespace) -> int:
    card = partners.read_card(Path(args.file))
    data = {
        "installation_id": card.installation_id,
        "org_code": card.org_code,
        "org_name": card.org_name,
        "site_name": card.site_name,
        "country": card.country,
        "fingerprint": card.fingerprint,
        "recipient": card.recipient,
    }
    if args.json:
        _print_json(data)
        return 0
    print(_("Organisation: %(name)s (%(code)s)") % {"name": card.org_name, "code": card.org_code})
    print(_("Site: %(site)s, %(country)s") % {"site": card.site_name, "country": card.country})
    print(_("Fingerprint: %(fingerprint)s") % {"fingerprint": card.fingerprint})
    if card.recipient:
        print(_("This card can receive batches."))
    print(_("Compare the fingerprint with the other office by phone before registering it."))
    return 0


def cmd_card_register(args: argparse.Namespace) -> int:
    card = partners.read_card(Path(args.file))

    def work(s: Session) -> int:
        partner = partners.register(s, card, args.kind, args.fingerprint)
        if args.kind == partners.RECIPIENT:
            print(_("Registered %(name)s as a recipient of batches.") % {"name": partner.label})
        else:
            print(_("Registered %(name)s as a sender of batches.") % {"name": partner.label})
        return 0

    return _with_session(args, work)


def cmd_card_list(args: argparse.Namespace) -> int:
    def work(s: Session) -> int:
        own = partners.my_fingerprint(s)
        rows = partners.partners(s)
        if args.json:
            _print_json(
                {
                    "fingerprint": own,
                    "partners": [
                        {
                            "installation_id": p.installation_id,
                            "kind": p.kind,
                            "org_code": p.org_code,
                            "org_name": p.org_name,
                            "site_name": p.site_name,
                            "country": p.country,
                            "fingerprint": p.fingerprint,
                            "registered_at": p.registered_at,
                            "active": p.active,
                        }
                        for p in rows
                    ],
                }
            )
            return 0
        print(_("This installation's fingerprint: %(fingerprint)s") % {"fingerprint": own})
        for p in rows:
            kind = _("recipient") if p.kind == partners.RECIPIENT else _("sender")
            state = "" if p.active else " " + _("(disabled)")
            print(f"{kind:10} {p.label:30} {p.fingerprint}{state}")
        return 0

    return _with_session(args, work)


# --- batches -------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    since = _day(args.since, "--since")
    until = _day(args.until, "--until")
    folder = Path(args.out_dir)

    def work(s: Session) -> int:
        recipient = partners.find(s, partners.RECIPIENT, args.to)
        request = exporting.ExportRequest(
            recipient.installation_id, Privacy(args.privacy), since, until, args.k
        )
        result = exporting.export_batch(s, request, folder)
        batch = result.batch
        if args.json:
            _print_json(
                {
                    "file": str(result.path),
                    "batch_id": batch.batch_id,
                    "sequence": batch.sequence,
                    "privacy": batch.privacy,
                    "counts": batch.counts,
                }
            )
            return 0
        print(
            _("Wrote batch %(sequence)d for %(recipient)s to %(path)s.")
            % {"sequence": batch.sequence, "recipient": recipient.label, "path": result.path}
        )
        print(", ".join(f"{name}: {n}" for name, n in batch.counts.items()))
        return 0

    return _with_session(args, work)


def _outcome_text(outcome: dict[str, int]) -> str:
    return ", ".join(f"{name}: {n}" for name, n in outcome.items())


def cmd_import(args: argparse.Namespace) -> int:
    receipt_dir = None if args.receipts is None else Path(args.receipts)

    def work(s: Session) -> int:
        failed = 0
        report: list[dict[str, Any]] = []
        for name in args.files:
            path = Path(name)
            try:
                result = importing.import_file(s, path)
            except BatchRejected as error:
                failed += 1
                report.append({"file": name, "status": "rejected", "message": error.message})
                if not args.json:
                    print(
                        _("%(file)s: refused. %(message)s")
                        % {"file": path.name, "message": error.message}
                    )
                continue
            entry: dict[str, Any] = {
                "file": name,
                "status": result.status.value,
                "batch_id": result.batch_id,
                "sender": result.sender.org_code,
                "sequence": result.sequence,
                "outcome": result.outcome,
                "missing": list(result.missing_before),
            }
            if receipt_dir is not None:
                entry["receipt"] = str(receipts.write_receipt(s, result.batch_id, receipt_dir))
            report.append(entry)
            if args.json:
                continue
            values = {"file": path.name, "n": result.sequence, "sender": result.sender.label}
            if result.status is importing.Status.ALREADY:
                print(_("%(file)s: batch %(n)d from %(sender)s was already imported.") % values)
            else:
                print(_("%(file)s: imported batch %(n)d from %(sender)s.") % values)
                print("  " + _outcome_text(result.outcome))
            for n in result.missing_before:
                print(
                    "  "
                    + _("Batch %(n)d from %(sender)s has not arrived yet.")
                    % {"n": n, "sender": result.sender.label}
                )
        if args.json:
            _print_json(report)
        return 1 if failed else 0

    return _with_session(args, work)


def cmd_receipt_read(args: argparse.Namespace) -> int:
    def work(s: Session) -> int:
        for name in args.files:
            batch = receipts.read_receipt(s, Path(name))
            outcome = (batch.receipt or {}).get("outcome", {})
            print(
                _("Batch %(n)d was received on %(when)s: %(outcome)s")
                % {
                    "n": batch.sequence,
                    "when": (batch.receipt or {}).get("received_at", ""),
                    "outcome": _outcome_text(outcome),
                }
            )
        return 0

    return _with_session(args, work)


def cmd_batches(args: argparse.Namespace) -> int:
    def work(s: Session) -> int:
        sent = exporting.sent_batches(s) if _may(s, "export_batches") else []
        ledger = importing.ledger(s) if _may(s, "import_batches") else []
        gaps = importing.gaps(s) if _may(s, "import_batches") else []
        if args.json:
            _print_json(
                {
                    "sent": [
                        {
                            "batch_id": b.batch_id,
                            "recipient": b.recipient_id,
                            "sequence": b.sequence,
                            "created_at": b.created_at,
                            "privacy": b.privacy,
                            "counts": b.counts,
                            "receipt": b.receipt,
                        }
                        for b in sent
                    ],
                    "imported": [
                        {
                            "batch_id": e.batch_id,
                            "sender": e.sender_id,
                            "sequence": e.sequence,
                            "imported_at": e.imported_at,
                            "privacy": e.privacy,
                            "outcome": e.outcome,
                        }
                        for e in ledger
                    ],
                    "missing": {p.org_code: list(m) for p, m in gaps},
                }
            )
            return 0
        for b in sent:
            state = (
                _("received %(when)s") % {"when": b.receipt.get("received_at", "")}
                if b.receipt
                else _("no receipt yet")
            )
            print(f"→ {b.sequence:6d} {b.created_at} {b.privacy:13} {state}")
        for e in ledger:
            print(f"← {e.sequence:6d} {e.imported_at} {e.privacy:13} {_outcome_text(e.outcome)}")
        for partner, missing in gaps:
            for n in missing:
                print(
                    _("Batch %(n)d from %(sender)s has not arrived yet.")
                    % {"n": n, "sender": partner.label}
                )
        return 0

    return _with_session(args, work)


def _may(session: Session, action: str) -> bool:
    from hotline.roles import Action, allowed

    return allowed(session.user.role, Action(action))


# --- the parser ----------------------------------------------------------------------------


def register(commands: Any, command: Command, parser_class: type[argparse.ArgumentParser]) -> None:
    card = commands.add_parser("card", help=_("this installation's card and its partners' cards"))
    card_commands = card.add_subparsers(
        dest="card_command", metavar="ACTION", parser_class=parser_class
    )
    card_commands.required = True
    export_card = command(
        card_commands, "export", cmd_card_export, _("write this installation's card to a file")
    )
    export_card.add_argument("--out", required=True, metavar="FILE")
    export_card.add_argument(
        "--recipient",
        action="store_true",
        help=_("other offices send their batches here (coordinator or gathering station)"),
    )
    show = command(card_commands, "show", cmd_card_show, _("show a card and its fingerprint"))
    show.add_argument("file", metavar="FILE")
    show.add_argument("--json", action="store_true", help=_("machine-readable output"))
    reg = command(
        card_commands,
        "register",
        cmd_card_register,
        _("register a partner's card (after comparing the fingerprint)"),
    )
    reg.add_argument("file", metavar="FILE")
    reg.add_argument(
        "--as",
        dest="kind",
        required=True,
        choices=(partners.RECIPIENT, partners.SENDER),
        help=_("recipient: we send batches to it; sender: we import its batches"),
    )
    reg.add_argument(
        "--fingerprint",
        required=True,
        help=_("the fingerprint the other office read to you (groups of four)"),
    )
    card_list = command(
        card_commands, "list", cmd_card_list, _("this installation's fingerprint and its partners")
    )
    card_list.add_argument("--json", action="store_true", help=_("machine-readable output"))

    export = command(
        commands, "export", cmd_export, _("write a signed, encrypted batch for a recipient")
    )
    export.add_argument(
        "--to", required=True, metavar="RECIPIENT", help=_("organisation code of the recipient")
    )
    export.add_argument(
        "--privacy",
        required=True,
        choices=[p.value for p in Privacy],
        help=_("full, pseudonymous (no names, phones or free text) or aggregate (counts only)"),
    )
    export.add_argument(
        "--since",
        metavar="DATE",
        help=_("first day of the period (else: changes since the last batch)"),
    )
    export.add_argument("--until", metavar="DATE", help=_("last day of the period"))
    export.add_argument(
        "--k", type=int, default=DEFAULT_K, help=_("aggregate: counts under k are withheld")
    )
    export.add_argument("--out-dir", required=True, metavar="DIR", help=_("folder for the batch"))
    export.add_argument("--json", action="store_true", help=_("machine-readable output"))

    imp = command(commands, "import", cmd_import, _("import batches from registered senders"))
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument(
        "--receipts", metavar="DIR", help=_("write a signed receipt for each batch into DIR")
    )
    imp.add_argument("--json", action="store_true", help=_("machine-readable output"))

    receipt = commands.add_parser("receipt", help=_("receipts sent back by a recipient"))
    receipt_commands = receipt.add_subparsers(
        dest="receipt_command", metavar="ACTION", parser_class=parser_class
    )
    receipt_commands.required = True
    read = command(receipt_commands, "read", cmd_receipt_read, _("read receipts for sent batches"))
    read.add_argument("files", nargs="+", metavar="FILE")

    batches = command(commands, "batches", cmd_batches, _("batches sent and imported, and gaps"))
    batches.add_argument("--json", action="store_true", help=_("machine-readable output"))
