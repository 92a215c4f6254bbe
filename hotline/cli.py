"""The ``hotline`` command: a thin, scriptable layer over the services.

Exit codes: 0 success, 1 an error a person can fix (message on stderr), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from hotline import __version__, audit
from hotline.errors import BugError, KnownError
from hotline.formatting import country_name, format_datetime
from hotline.i18n import _, language_from_environment, ngettext, normalize_language, set_language
from hotline.model.call_log import CallLogFilter
from hotline.model.contact import Contact
from hotline.model.contact_json import contact_to_dict
from hotline.model.organisation import Organisation
from hotline.model.statistics import Dimension, Period
from hotline.paths import DataDir
from hotline.phones import parse_phone
from hotline.reports.monthly import write_monthly_report
from hotline.reports.spreadsheet import csv_text
from hotline.reports.tables import plain_text
from hotline.roles import Role
from hotline.screening.engine import evaluate, reason_text
from hotline.screening.script import Script, ScriptError, load_script_file
from hotline.services import (
    contact_import,
    contacts,
    directory,
    maintenance,
    reports,
    screening,
    setup,
    statistics,
    users,
)
from hotline.services import session as session_service
from hotline.slips import SlipRequest, render_slip
from hotline.statistics_labels import label
from hotline.store.repositories import settings as settings_repo
from hotline.taxonomy import taxonomy

ENV_USER = "HOTLINE_USER"
ENV_PASSWORD = "HOTLINE_PASSWORD"
ENV_NEW_PASSWORD = "HOTLINE_NEW_PASSWORD"
ENV_RECOVERY_KEY = "HOTLINE_RECOVERY_KEY"


class UsageError(Exception):
    """Wrong use of the command line (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise UsageError(message)


# --- secrets and accounts --------------------------------------------------------------


def _read_secret_file(path: str) -> str:
    try:
        text = Path(path).read_text("utf-8")
    except OSError as error:
        raise KnownError(
            _("Cannot read the password file %(path)s: %(reason)s")
            % {"path": path, "reason": error.strerror}
        ) from error
    return text.splitlines()[0] if text else ""


def _prompt(label: str, env: str, *, confirm: bool = False) -> str:
    if not sys.stdin.isatty():
        raise KnownError(
            _("Nothing was given for %(env)s. Set it, use a file option, or run interactively.")
            % {"env": env}
        )
    first = getpass.getpass(label)
    if confirm and getpass.getpass(_("Type it again: ")) != first:
        raise KnownError(_("The two passwords are not the same."))
    return first


def _password(args: argparse.Namespace, *, confirm: bool = False) -> str:
    if os.environ.get(ENV_PASSWORD):
        return os.environ[ENV_PASSWORD]
    if args.password_file:
        return _read_secret_file(args.password_file)
    return _prompt(_("Password: "), ENV_PASSWORD, confirm=confirm)


def _new_password(args: argparse.Namespace) -> str:
    if os.environ.get(ENV_NEW_PASSWORD):
        return os.environ[ENV_NEW_PASSWORD]
    if getattr(args, "new_password_file", None):
        return _read_secret_file(args.new_password_file)
    return _prompt(_("New password: "), ENV_NEW_PASSWORD, confirm=True)


def _username(args: argparse.Namespace, data_dir: DataDir | None = None) -> str:
    name = args.user or os.environ.get(ENV_USER)
    if name:
        return str(name)
    if data_dir is not None and data_dir.keyslots.exists():
        from hotline import keys

        names = keys.load_slot_file(data_dir.keyslots).usernames()
        if len(names) == 1:
            return names[0]
    raise UsageError(_("Say who you are with --user NAME (or %(env)s).") % {"env": ENV_USER})


def _data_dir(args: argparse.Namespace) -> DataDir:
    return DataDir.resolve(args.data_dir)


def _installed(args: argparse.Namespace) -> DataDir:
    data_dir = _data_dir(args)
    if not data_dir.database.exists():
        raise KnownError(
            _("There is no installation in %(path)s.") % {"path": data_dir.root},
            hint=_("Create one with “hotline init”, or give the right --data-dir."),
        )
    return data_dir


def _login(args: argparse.Namespace) -> session_service.Session:
    data_dir = _installed(args)
    return session_service.login(data_dir, _username(args, data_dir), _password(args))


def _with_session(args: argparse.Namespace, work: Callable[[session_service.Session], int]) -> int:
    session = _login(args)
    try:
        return work(session)
    finally:
        session.close()


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


# --- commands --------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    data_dir = _data_dir(args)
    username = args.user or os.environ.get(ENV_USER) or "admin"
    request = setup.SetupRequest(
        org_code=args.org_code,
        org_name=args.org_name,
        country=args.country,
        site_name=args.site or args.org_name,
        admin_username=username,
        admin_password=_password(args, confirm=True),
        admin_display_name=args.display_name or "",
        language=normalize_language(args.lang or "") or "en",
    )
    result = setup.initialize(data_dir, request)
    result.session.close()
    print(_("Created the installation in %(path)s.") % {"path": data_dir.root})
    print(_("Administrator: %(name)s") % {"name": result.session.user.username})
    print()
    print(_("RECOVERY KEY (shown only now; write it down and keep it locked away):"))
    print()
    print("    " + result.recovery_key)
    print()
    print(_("With it an administrator's password can be reset if every password is lost."))
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        user = users.add_user(
            s,
            args.name,
            Role(args.role),
            _new_password(args),
            args.display_name or "",
            normalize_language(args.language or "") or "en",
        )
        print(_("Added %(name)s (%(role)s).") % {"name": user.username, "role": user.role.label})
        return 0

    return _with_session(args, work)


def cmd_user_list(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        found = users.list_users(s)
        if args.json:
            _print_json(
                [
                    {
                        "id": u.id,
                        "username": u.username,
                        "display_name": u.display_name,
                        "role": u.role.value,
                        "active": u.active,
                        "language": u.language,
                        "locked": users.is_locked(s, u.username),
                        "failed_attempts": users.failed_attempts(s, u.username),
                        "created_at": u.created_at,
                    }
                    for u in found
                ]
            )
            return 0
        for u in found:
            state = _("active") if u.active else _("disabled")
            print(f"{u.username:<20} {u.role.label:<16} {state:<10} {u.display_name}")
        return 0

    return _with_session(args, work)


def cmd_user_disable(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        users.disable_user(s, args.name)
        print(_("Disabled %(name)s; that password no longer opens anything.") % {"name": args.name})
        return 0

    return _with_session(args, work)


def cmd_user_enable(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        users.enable_user(s, args.name, _new_password(args))
        print(_("Enabled %(name)s with a new password.") % {"name": args.name})
        return 0

    return _with_session(args, work)


def cmd_user_passwd(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        target = args.name or s.user.username
        users.change_password(s, target, _new_password(args))
        print(_("Changed the password of %(name)s.") % {"name": target})
        return 0

    return _with_session(args, work)


def cmd_user_role(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        user = users.set_role(s, args.name, Role(args.role))
        print(_("%(name)s is now: %(role)s.") % {"name": user.username, "role": user.role.label})
        return 0

    return _with_session(args, work)


def cmd_user_unlock(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        users.unlock_user(s, args.name)
        print(_("Unlocked %(name)s.") % {"name": args.name})
        return 0

    return _with_session(args, work)


def cmd_check(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        report = maintenance.check(s)
        if args.json:
            _print_json(
                {
                    "ok": report.ok,
                    "database_problems": report.database_problems,
                    "audit_entries": report.audit_chain.entries,
                    "audit_first_bad_entry": report.audit_chain.first_bad_seq,
                }
            )
        else:
            if report.database_problems:
                print(_("The database is damaged:"), file=sys.stderr)
                for problem in report.database_problems[:20]:
                    print("  " + problem, file=sys.stderr)
            else:
                print(_("Database: encryption and structure are intact."))
            if report.audit_chain.ok:
                print(
                    ngettext(
                        "Audit log: %(n)d entry, chain intact.",
                        "Audit log: %(n)d entries, chain intact.",
                        report.audit_chain.entries,
                    )
                    % {"n": report.audit_chain.entries}
                )
            else:
                print(
                    _("The audit log was altered: the chain breaks at entry %(seq)d.")
                    % {"seq": report.audit_chain.first_bad_seq},
                    file=sys.stderr,
                )
        return 0 if report.ok else 1

    return _with_session(args, work)


def cmd_audit(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        from hotline.roles import Action

        s.require(Action.VIEW_AUDIT_LOG)
        rows = audit.recent(s.db, args.limit)
        if args.json:
            _print_json(
                [
                    {
                        "seq": r.seq,
                        "at": r.at,
                        "actor": r.actor,
                        "action": r.action,
                        "target_type": r.target_type,
                        "target_id": r.target_id,
                        "details": json.loads(r.details),
                    }
                    for r in rows
                ]
            )
        else:
            for r in rows:
                print(f"{r.seq:>6} {r.at} {r.actor or '-':<16} {r.action:<24} {r.details}")
        return 0

    return _with_session(args, work)


def cmd_backup(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        target = maintenance.backup(s, Path(args.to))
        print(_("Wrote the encrypted backup %(path)s.") % {"path": target})
        return 0

    return _with_session(args, work)


def cmd_restore(args: argparse.Namespace) -> int:
    data_dir = _data_dir(args)
    info = maintenance.restore(data_dir, Path(args.file), _username(args), _password(args))
    print(
        _("Restored the backup made on %(date)s into %(path)s.")
        % {"date": info.created_at, "path": data_dir.root}
    )
    return 0


def cmd_key_rotate(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        maintenance.rotate_key(s)
        print(_("The database is now encrypted with a new key."))
        return 0

    return _with_session(args, work)


def cmd_key_recovery(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        recovery = maintenance.replace_recovery_key(s)
        print(_("NEW RECOVERY KEY (the old one no longer works; write this one down):"))
        print()
        print("    " + recovery)
        return 0

    return _with_session(args, work)


def cmd_recover(args: argparse.Namespace) -> int:
    data_dir = _installed(args)
    recovery = os.environ.get(ENV_RECOVERY_KEY) or _prompt(_("Recovery key: "), ENV_RECOVERY_KEY)
    session = session_service.recovery_session(data_dir, recovery, _username(args))
    try:
        users.change_password(session, session.user.username, _new_password(args))
        users.unlock_user(session, session.user.username)
    finally:
        session.close()
    print(_("A new password was set for %(name)s.") % {"name": session.user.username})
    return 0


# --- contacts ----------------------------------------------------------------------------


def _read_json(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text("utf-8")
    except OSError as error:
        raise KnownError(
            _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
        ) from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise KnownError(
            _("%(path)s is not valid JSON (line %(line)d): %(reason)s")
            % {"path": path, "line": error.lineno, "reason": error.msg}
        ) from error


def _since(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as error:
        raise UsageError(_("--since takes a date like 2026-11-01")) from error
    if not 1990 <= day.year <= 2099:
        raise UsageError(_("--since takes a date like 2026-11-01"))
    local = dt.datetime.combine(day, dt.time()).astimezone()
    return local.astimezone(dt.UTC)


def cmd_contact_add(args: argparse.Namespace) -> int:
    data = _read_json(args.json_file)
    items = data if isinstance(data, list) else [data]

    def work(s: session_service.Session) -> int:
        built = [contacts.contact_from_json(s, item) for item in items]
        with s.db.transaction():
            saved = [contacts.save_contact(s, c) for c in built]
        _print_json([{"id": c.id, "reference": c.reference, "version": c.version} for c in saved])
        return 0

    return _with_session(args, work)


def cmd_contact_show(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        contact = contacts.get_contact(s, args.id)
        data = contact_to_dict(contact)
        if args.json:
            _print_json(data)
        else:
            for key, value in data.items():
                print(f"{key:<18} {value}")
        return 0

    return _with_session(args, work)


def cmd_contact_list(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        phone = parse_phone(args.phone, s.installation.country) if args.phone else None
        query = contacts.ListQuery(
            phone=phone,
            since=_since(args.since),
            mine=args.mine,
            follow_up_open=args.follow_up,
            limit=args.limit,
        )
        found = contacts.list_contacts(s, query)
        if args.json:
            _print_json(
                [
                    {
                        "id": c.id,
                        "reference": c.reference,
                        "started_at": c.started_at.isoformat(),
                        "operator": c.operator,
                        "channel": c.channel,
                        "call_type": c.call_type,
                        "risk_level": c.risk_level,
                        "case_id": c.case_id,
                        "case_reference": c.case_reference,
                        "follow_up_date": None
                        if c.follow_up_date is None
                        else c.follow_up_date.isoformat(),
                        "phone": c.phone_display,
                    }
                    for c in found
                ]
            )
        else:
            for c in found:
                when = format_datetime(c.started_at.astimezone(), "short")
                kind = taxonomy().label("call_types", c.call_type)
                print(f"{c.reference:<20} {when:<20} {c.operator:<12} {kind}")
        return 0

    return _with_session(args, work)


def cmd_contact_import(args: argparse.Namespace) -> int:
    zone: dt.tzinfo | None = None
    if args.utc_offset:
        try:
            zone = dt.datetime.strptime(args.utc_offset, "%z").tzinfo
        except ValueError as error:
            raise UsageError(_("--utc-offset takes an offset like +06:00")) from error

    def work(s: session_service.Session) -> int:
        saved = contact_import.import_journal(s, Path(args.file), zone)
        print(
            ngettext("Imported %(n)d call.", "Imported %(n)d calls.", len(saved))
            % {"n": len(saved)}
        )
        return 0

    return _with_session(args, work)


# --- screening scripts -------------------------------------------------------------------


def _script_from(target: str) -> Script:
    path = Path(target)
    if path.suffix == ".toml" or path.exists():
        try:
            return load_script_file(path)
        except ScriptError as error:
            raise KnownError(
                _("The script cannot be used:"), hint="\n".join(error.problems)
            ) from error
    return screening.get_script(None, target)


def cmd_script_list(args: argparse.Namespace) -> int:
    found = screening.available(None)
    if args.json:
        _print_json(
            [
                {"id": s.id, "version": s.version, "title": s.title, "current": s.current}
                for s in found
            ]
        )
    else:
        for s in found:
            print(f"{s.id:<20} {s.version:>3}  {s.title}")
    return 0


def cmd_script_check(args: argparse.Namespace) -> int:
    script = _script_from(args.file)
    print(
        ngettext(
            "%(id)s version %(version)d is valid: %(n)d question.",
            "%(id)s version %(version)d is valid: %(n)d questions.",
            len(script.questions),
        )
        % {"id": script.id, "version": script.version, "n": len(script.questions)}
    )
    return 0


def cmd_script_run(args: argparse.Namespace) -> int:
    script = _script_from(args.script)
    answers = _read_json(args.answers)
    if not isinstance(answers, dict):
        raise KnownError(_("The answers must be a JSON object: question id → answer."))
    result = evaluate(script, answers)
    lang = normalize_language(args.lang or "") or "en"
    data: dict[str, Any] = {
        "script": script.id,
        "version": script.version,
        "visible": list(result.visible),
        "indicators": [
            {
                "code": i.code,
                "category": i.category,
                "weight": i.weight,
                "htcds": f"{i.htcds_field}.{i.htcds_value}" if i.htcds_field else None,
                "text": i.text.get_text(lang),
            }
            for i in result.indicators
        ],
        "flags": list(result.flags),
        "score": result.score,
        "level": result.level,
        "reasons": [{"level": r.level, "text": reason_text(r, lang)} for r in result.reasons],
        "actions": [a.get_text(lang) for a in result.actions],
        "services": list(result.services),
    }
    if args.json:
        _print_json(data)
    else:
        print(taxonomy().label("risk_levels", result.level))
        for reason in result.reasons:
            print(f"  - {reason_text(reason, lang)}")
    return 0


# --- referral directory ------------------------------------------------------------------


def _organisation_json(org: Organisation) -> dict[str, Any]:
    return {
        "id": org.id,
        "name": org.name,
        "other_names": list(org.other_names),
        "type": org.type,
        "services": list(org.services),
        "country": org.country,
        "region": org.region,
        "city": org.city,
        "address": org.address,
        "phones": list(org.phones),
        "email": org.email,
        "languages": list(org.languages),
        "target_groups": list(org.target_groups),
        "notes": org.notes,
        "source": org.source,
        "verified_on": org.verified_on,
        "historical": org.historical,
        "active": org.active,
    }


def cmd_directory_search(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        found = directory.search(
            s, args.query or "", service=args.service, country=args.country,
            target_group=args.target, language=args.language,
        )  # fmt: skip
        if args.json:
            _print_json([_organisation_json(o) for o in found])
        else:
            for org in found:
                place = ", ".join(p for p in (org.city, country_name(org.country or "")) if p)
                mark = _(" (historical, unverified)") if org.historical else ""
                print(f"{org.name}{mark} — {place} — {', '.join(org.phones)}")
        return 0

    return _with_session(args, work)


def cmd_directory_export(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        target = Path(args.file)
        if target.exists():
            raise KnownError(
                _("%(path)s already exists; choose a new file name.") % {"path": target}
            )
        target.write_text(directory.export_csv(s), "utf-8")
        print(_("Wrote %(path)s.") % {"path": target})
        return 0

    return _with_session(args, work)


def cmd_directory_import(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        try:
            text = Path(args.file).read_text("utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise KnownError(
                _("Cannot read %(path)s: %(reason)s") % {"path": args.file, "reason": error}
            ) from error
        count = directory.import_csv(s, text)
        print(ngettext("Imported %(n)d entry.", "Imported %(n)d entries.", count) % {"n": count})
        return 0

    return _with_session(args, work)


# --- referral slips ----------------------------------------------------------------------

HOTLINE_PHONE = "hotline.phone"


def cmd_slip(args: argparse.Namespace) -> int:
    def work(s: session_service.Session) -> int:
        contact = contacts.get_contact(s, args.contact)
        org = directory.get(s, args.organisation)
        phone = args.hotline_phone or settings_repo.get(s.db, HOTLINE_PHONE)
        if not phone:
            raise UsageError(_("Give the hotline's own number once with --hotline-phone."))
        if args.hotline_phone:
            with s.db.transaction():
                settings_repo.put(s.db, HOTLINE_PHONE, args.hotline_phone)
        name = ""
        if args.caller_name:
            if contact.consent.keep_data is not True or not contact.caller.name:
                raise KnownError(
                    _(
                        "The caller's name can be printed only if the caller agreed to keep "
                        "personal data and gave a name."
                    )
                )
            name = contact.caller.name
        language = normalize_language(args.slip_lang or "") or _caller_language(contact)
        target = Path(args.to)
        if target.exists():
            raise KnownError(
                _("%(path)s already exists; choose a new file name.") % {"path": target}
            )
        pdf = render_slip(
            SlipRequest(
                organisation=org,
                service=args.service,
                reference=contact.reference,
                hotline_name=s.installation.org_name,
                hotline_phone=phone,
                language=language,
                date=dt.date.today(),
                caller_name=name,
                size=args.size,
                phone_in_qr=args.phone_in_qr,
            )
        )
        target.write_bytes(pdf)
        audit.record(
            s.db, s.user.username, audit.AuditAction.RECORD_PRINTED, "contact", contact.id,
            format="slip", language=language,
        )  # fmt: skip
        print(_("Wrote the referral slip %(path)s.") % {"path": target})
        return 0

    return _with_session(args, work)


def _caller_language(contact: Contact) -> str:
    code = contact.call_language or ""
    return {"uz": "uz_Latn"}.get(code, code) if code in ("ru", "ky", "kk", "uz", "tg") else "ru"


# --- statistics, exports and reports -------------------------------------------------------


def _day(text: str | None, option: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise UsageError(
            _("%(option)s takes a date like 2026-11-01") % {"option": option}
        ) from error


def _period(text: str) -> Period:
    first, _dots, last = text.partition("..")
    try:
        period = Period(dt.date.fromisoformat(first), dt.date.fromisoformat(last))
    except ValueError as error:
        raise UsageError(_("--compare takes two dates like 2026-10-01..2026-10-31")) from error
    if period.first > period.last:
        raise UsageError(_("--compare takes two dates like 2026-10-01..2026-10-31"))
    return period


def _log_filter(args: argparse.Namespace) -> CallLogFilter:
    tax = taxonomy()
    return CallLogFilter(
        since=_day(args.since, "--since"),
        until=_day(args.until, "--until"),
        operators=tuple(args.operator),
        call_types=tax.check_all("call_types", tuple(args.call_type), "--call-type"),
        topics=tax.check_all("topics", tuple(args.topic), "--topic"),
        risk_levels=tax.check_all("risk_levels", tuple(args.risk), "--risk"),
        languages=tax.check_all("call_languages", tuple(args.language), "--language"),
        caller_countries=tuple(c.upper() for c in args.country),
    )


def _with_sources(
    session: session_service.Session, filter: CallLogFilter, args: argparse.Namespace
) -> CallLogFilter:
    """The filter narrowed to the sources named by --source (they need the database)."""
    if not args.source:
        return filter
    from hotline.services import coordinator

    sources = tuple(dict.fromkeys(coordinator.source_id(session, s) for s in args.source))
    return dataclasses.replace(filter, sources=sources)


def _not_there(target: Path) -> Path:
    if target.exists():
        raise KnownError(_("%(path)s already exists; choose a new file name.") % {"path": target})
    return target


def _stats_json(view: reports.StatisticsView) -> dict[str, Any]:
    return {
        "filter": view.filter.to_dict(),
        "summary": dataclasses.asdict(view.summary),
        "breakdowns": [
            {
                "dimension": b.dimension.value,
                "total": b.total,
                "cells": [
                    {"code": c.code, "label": label(b.dimension, c.code), "count": c.count}
                    for c in b.cells
                ],
            }
            for b in view.breakdowns
        ],
        "crosstabs": [
            {
                "rows": x.rows.value,
                "columns": x.columns.value,
                "cells": [
                    {"row": r, "column": c, "count": x.get(r, c)}
                    for r in x.row_codes()
                    for c in x.column_codes()
                    if x.get(r, c)
                ],
            }
            for x in view.crosstabs
        ],
        "comparisons": [
            {
                "dimension": c.dimension.value,
                "first": [c.first.first.isoformat(), c.first.last.isoformat()],
                "second": [c.second.first.isoformat(), c.second.last.isoformat()],
                "rows": [
                    {"code": code, "label": label(c.dimension, code), "first": a, "second": b}
                    for code, a, b in c.rows
                ],
                "totals": list(c.totals),
            }
            for c in view.comparisons
        ],
    }


def cmd_stats(args: argparse.Namespace) -> int:
    filter = _log_filter(args)
    dimensions = (
        tuple(Dimension(d) for d in dict.fromkeys(args.by))
        if args.by
        else statistics.DASHBOARD_DIMENSIONS
    )
    split = Dimension(args.split) if args.split else None
    compare_with = _period(args.compare) if args.compare else None

    def work(s: session_service.Session) -> int:
        filter_here = _with_sources(s, filter, args)
        view = reports.statistics_view(
            s, filter_here, dimensions, split=split, compare_with=compare_with
        )
        if args.json:
            _print_json(_stats_json(view))
        elif args.csv:
            sys.stdout.write(csv_text(view.tables()))
        else:
            sys.stdout.write(plain_text(view.tables()))
        return 0

    return _with_session(args, work)


def cmd_calls_export(args: argparse.Namespace) -> int:
    target = _not_there(Path(args.out))
    fmt: reports.Format = args.format or ("xlsx" if target.suffix.lower() == ".xlsx" else "csv")
    filter = _log_filter(args)

    def work(s: session_service.Session) -> int:
        filter_here = _with_sources(s, filter, args)
        count = reports.export_call_list(s, filter_here, target, fmt, tuple(args.with_columns))
        print(
            ngettext("Wrote %(n)d call to %(path)s.", "Wrote %(n)d calls to %(path)s.", count)
            % {"n": count, "path": target}
        )
        return 0

    return _with_session(args, work)


def cmd_report_monthly(args: argparse.Namespace) -> int:
    try:
        month = dt.datetime.strptime(args.month, "%Y-%m")
    except ValueError as error:
        raise UsageError(_("--month takes a month like 2026-11")) from error
    target = _not_there(Path(args.out))

    def work(s: session_service.Session) -> int:
        write_monthly_report(s, Period.month(month.year, month.month), target)
        print(_("Wrote the monthly report %(path)s.") % {"path": target})
        return 0

    return _with_session(args, work)


# --- parser ----------------------------------------------------------------------------


def _common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--data-dir",
        default=default,
        metavar="DIR",
        help=_("installation folder (default: $HOTLINE_DATA_DIR or the platform data folder)"),
    )
    parser.add_argument(
        "--user", default=default, metavar="NAME", help=_("your user name ($HOTLINE_USER)")
    )
    parser.add_argument(
        "--password-file",
        default=default,
        metavar="FILE",
        help=_(
            "read your password from the first line of FILE (else $HOTLINE_PASSWORD or a prompt)"
        ),
    )
    parser.add_argument(
        "--lang",
        default=default,
        metavar="LANG",
        help=_("language of messages: en ru ky kk uz_Latn uz_Cyrl tg (default: from $LANG)"),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hotline",
        description=_("Hotline Desk: encrypted records for anti-trafficking hotlines."),
    )
    parser.add_argument("--version", action="version", version=f"hotline {__version__}")
    _common(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    def command(
        parent: Any, name: str, func: Callable[[argparse.Namespace], int], help_text: str
    ) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = parent.add_parser(
            name, help=help_text, description=help_text
        )
        _common(sub, top=False)
        sub.set_defaults(func=func)
        return sub

    init = command(
        commands, "init", cmd_init, _("create a new installation and its first administrator")
    )
    init.add_argument("--org-code", required=True, help=_("organisation code, e.g. KG-SEZIM"))
    init.add_argument("--org-name", required=True, help=_("organisation name"))
    init.add_argument("--country", required=True, help=_("two-letter country code, e.g. KG"))
    init.add_argument("--site", help=_("hotline site name (default: the organisation name)"))
    init.add_argument("--display-name", help=_("the administrator's full name"))

    user = commands.add_parser("user", help=_("manage user accounts"))
    user_commands = user.add_subparsers(dest="user_command", metavar="ACTION", parser_class=_Parser)
    user_commands.required = True
    roles = [r.value for r in Role]
    add = command(
        user_commands,
        "add",
        cmd_user_add,
        _("add a user (new password from $HOTLINE_NEW_PASSWORD, --new-password-file or a prompt)"),
    )
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=roles)
    add.add_argument("--display-name")
    add.add_argument("--language", help=_("interface language of the new user"))
    add.add_argument("--new-password-file", metavar="FILE")
    listing = command(user_commands, "list", cmd_user_list, _("list users"))
    listing.add_argument("--json", action="store_true", help=_("machine-readable output"))
    disable = command(
        user_commands, "disable", cmd_user_disable, _("disable a user and delete their key slot")
    )
    disable.add_argument("name")
    enable = command(
        user_commands, "enable", cmd_user_enable, _("enable a disabled user with a new password")
    )
    enable.add_argument("name")
    enable.add_argument("--new-password-file", metavar="FILE")
    passwd = command(
        user_commands, "passwd", cmd_user_passwd, _("change a password (yours if no name is given)")
    )
    passwd.add_argument("name", nargs="?")
    passwd.add_argument("--new-password-file", metavar="FILE")
    role = command(user_commands, "role", cmd_user_role, _("change a user's role"))
    role.add_argument("name")
    role.add_argument("role", choices=roles)
    unlock = command(
        user_commands, "unlock", cmd_user_unlock, _("unlock an account locked by failed logins")
    )
    unlock.add_argument("name")

    check = command(
        commands, "check", cmd_check, _("verify encryption, database structure and the audit chain")
    )
    check.add_argument("--json", action="store_true", help=_("machine-readable output"))
    audit_cmd = command(commands, "audit", cmd_audit, _("show the newest audit log entries"))
    audit_cmd.add_argument("--limit", type=int, default=50)
    audit_cmd.add_argument("--json", action="store_true", help=_("machine-readable output"))
    backup = command(commands, "backup", cmd_backup, _("write an encrypted backup file"))
    backup.add_argument("--to", required=True, metavar="FILE")
    restore = command(
        commands,
        "restore",
        cmd_restore,
        _("replace the installation with a backup (administrators of the backup only)"),
    )
    restore.add_argument("file", metavar="FILE")

    key = commands.add_parser("key", help=_("database key and recovery key"))
    key_commands = key.add_subparsers(dest="key_command", metavar="ACTION", parser_class=_Parser)
    key_commands.required = True
    command(
        key_commands, "rotate", cmd_key_rotate, _("re-encrypt the database with a new random key")
    )
    command(
        key_commands,
        "recovery",
        cmd_key_recovery,
        _("replace the recovery key (prints the new one)"),
    )
    recover = command(
        commands,
        "recover",
        cmd_recover,
        _(
            "set a new administrator password with the recovery key "
            "($HOTLINE_RECOVERY_KEY or a prompt)"
        ),
    )
    recover.add_argument("--new-password-file", metavar="FILE")

    contact = commands.add_parser("contact", help=_("record, show, list and import calls"))
    contact_commands = contact.add_subparsers(
        dest="contact_command", metavar="ACTION", parser_class=_Parser
    )
    contact_commands.required = True
    add_contact = command(
        contact_commands, "add", cmd_contact_add,
        _("add calls from a JSON file (one object or a list; - reads standard input)"),
    )  # fmt: skip
    add_contact.add_argument("--json", dest="json_file", required=True, metavar="FILE")
    show = command(contact_commands, "show", cmd_contact_show, _("show one call"))
    show.add_argument("id", help=_("the call's id or reference"))
    show.add_argument("--json", action="store_true", help=_("machine-readable output"))
    listing_contacts = command(contact_commands, "list", cmd_contact_list, _("list calls"))
    listing_contacts.add_argument("--phone", help=_("only calls from this number, in any format"))
    listing_contacts.add_argument("--since", metavar="DATE", help=_("only calls from this date on"))
    listing_contacts.add_argument("--mine", action="store_true", help=_("only my calls"))
    listing_contacts.add_argument(
        "--follow-up", action="store_true", help=_("only calls with an open follow-up")
    )
    listing_contacts.add_argument("--limit", type=int, default=500)
    listing_contacts.add_argument("--json", action="store_true", help=_("machine-readable output"))
    import_contacts = command(
        contact_commands, "import", cmd_contact_import,
        _("import a spreadsheet journal (CSV); all rows or none"),
    )  # fmt: skip
    import_contacts.add_argument("file", metavar="FILE.csv")
    import_contacts.add_argument(
        "--utc-offset", metavar="+HH:MM", help=_("time zone of the dates in the file")
    )
    script = commands.add_parser("script", help=_("screening scripts"))
    script_commands = script.add_subparsers(
        dest="script_command", metavar="ACTION", parser_class=_Parser
    )
    script_commands.required = True
    script_list = command(script_commands, "list", cmd_script_list, _("list the shipped scripts"))
    script_list.add_argument("--json", action="store_true", help=_("machine-readable output"))
    script_check = command(script_commands, "check", cmd_script_check, _("validate a script file"))
    script_check.add_argument("file", metavar="FILE.toml")
    script_run = command(
        script_commands, "run", cmd_script_run,
        _("evaluate answers: visible questions, indicators, risk level and reasons"),
    )  # fmt: skip
    script_run.add_argument("script", metavar="ID|FILE.toml")
    script_run.add_argument("--answers", required=True, metavar="FILE.json")
    script_run.add_argument("--json", action="store_true", help=_("machine-readable output"))
    directory_parser = commands.add_parser("directory", help=_("the referral directory"))
    directory_commands = directory_parser.add_subparsers(
        dest="directory_command", metavar="ACTION", parser_class=_Parser
    )
    directory_commands.required = True
    dsearch = command(
        directory_commands, "search", cmd_directory_search,
        _("find services by need, place, language and target group"),
    )  # fmt: skip
    dsearch.add_argument("query", nargs="?", default="", help=_("name or place, any script"))
    dsearch.add_argument("--service", help=_("service type code, e.g. shelter"))
    dsearch.add_argument("--country", help=_("two-letter country code"))
    dsearch.add_argument("--target", help=_("target group code, e.g. women"))
    dsearch.add_argument("--language", help=_("language spoken, e.g. ky"))
    dsearch.add_argument("--json", action="store_true", help=_("machine-readable output"))
    dexport = command(
        directory_commands, "export", cmd_directory_export, _("write the directory to a CSV file")
    )
    dexport.add_argument("file", metavar="FILE.csv")
    dimport = command(
        directory_commands, "import", cmd_directory_import,
        _("add or change entries from a CSV file; all rows or none"),
    )  # fmt: skip
    dimport.add_argument("file", metavar="FILE.csv")
    slip = command(commands, "slip", cmd_slip, _("write a referral slip (PDF) for a call"))
    slip.add_argument("contact", metavar="CALL", help=_("the call's reference or id"))
    slip.add_argument("--organisation", required=True, metavar="ID", help=_("directory entry id"))
    slip.add_argument("--service", help=_("service type code, e.g. shelter"))
    slip.add_argument("--to", required=True, metavar="FILE.pdf")
    slip.add_argument(
        "--slip-lang", metavar="LANG", help=_("language of the slip (default: the call's)")
    )
    slip.add_argument("--size", choices=["a6", "a4half"], default="a6")
    slip.add_argument(
        "--caller-name", action="store_true", help=_("print the caller's name (only with consent)")
    )
    slip.add_argument(
        "--phone-in-qr", action="store_true", help=_("put the service's phone in the QR code")
    )
    slip.add_argument(
        "--hotline-phone", metavar="NUMBER", help=_("the hotline's own number (remembered)")
    )
    stats = command(
        commands, "stats", cmd_stats,
        _("statistics: the summary and tables of counts, as text, JSON or CSV"),
    )  # fmt: skip
    _filter_options(stats)
    dimensions = [d.value for d in Dimension]
    stats.add_argument(
        "--by", nargs="+", action="extend", choices=dimensions, metavar="DIM",
        help=_("count by these dimensions (default: those of the dashboard): %(choices)s")
        % {"choices": ", ".join(dimensions)},
    )  # fmt: skip
    shape = stats.add_mutually_exclusive_group()
    splits = [d.value for d in statistics.SPLIT_DIMENSIONS]
    shape.add_argument(
        "--split", choices=splits, metavar="DIM",
        help=_("split each table into columns by: %(choices)s") % {"choices": ", ".join(splits)},
    )  # fmt: skip
    shape.add_argument(
        "--compare", metavar="FIRST..LAST",
        help=_("compare the period of --since and --until with this one"),
    )  # fmt: skip
    output = stats.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help=_("machine-readable output"))
    output.add_argument("--csv", action="store_true", help=_("the tables as CSV"))
    calls = commands.add_parser("calls", help=_("the call log of the whole installation"))
    calls_commands = calls.add_subparsers(
        dest="calls_command", metavar="ACTION", parser_class=_Parser
    )
    calls_commands.required = True
    calls_export = command(
        calls_commands, "export", cmd_calls_export,
        _("write the filtered call list to a CSV or XLSX file (codes and short facts)"),
    )  # fmt: skip
    calls_export.add_argument("--out", required=True, metavar="FILE")
    calls_export.add_argument(
        "--format", choices=reports.FORMATS,
        help=_("csv or xlsx (default: from the file name, else csv)"),
    )  # fmt: skip
    _filter_options(calls_export)
    calls_export.add_argument(
        "--with", dest="with_columns", action="append", default=[],
        choices=reports.IDENTIFYING_COLUMNS, metavar="COLUMN",
        help=_("add an identifying or free-text column (supervisors only): %(choices)s")
        % {"choices": ", ".join(reports.IDENTIFYING_COLUMNS)},
    )  # fmt: skip
    report = commands.add_parser("report", help=_("printable reports"))
    report_commands = report.add_subparsers(
        dest="report_command", metavar="ACTION", parser_class=_Parser
    )
    report_commands.required = True
    monthly = command(
        report_commands, "monthly", cmd_report_monthly, _("write the monthly report (PDF)")
    )
    monthly.add_argument("--month", required=True, metavar="YYYY-MM")
    monthly.add_argument("--out", required=True, metavar="FILE.pdf")
    from hotline import (
        cli_backups,
        cli_bench,
        cli_coordinator,
        cli_demo,
        cli_diagnostics,
        cli_exchange,
        cli_retention,
        cli_updates,
    )

    cli_exchange.register(commands, command, _Parser)
    cli_updates.register(commands, command)
    cli_coordinator.register(commands, command)
    cli_retention.register(commands, command)
    cli_backups.register(commands, command)
    cli_demo.register(commands, command)
    cli_bench.register(commands, command)
    cli_diagnostics.register(commands, command)
    return parser


def _filter_options(parser: argparse.ArgumentParser) -> None:
    """The call-log filter: a period and codes (each option repeatable)."""
    parser.add_argument("--since", metavar="DATE", help=_("from this day on (YYYY-MM-DD)"))
    parser.add_argument("--until", metavar="DATE", help=_("up to this day (YYYY-MM-DD)"))
    for option, metavar, help_text in (
        ("--operator", "NAME", _("only calls taken by this user (repeatable)")),
        ("--call-type", "CODE", _("only this call type, e.g. missing_person (repeatable)")),
        ("--topic", "CODE", _("only this topic and its subtopics, e.g. MISSING (repeatable)")),
        ("--risk", "LEVEL", _("only this risk level, e.g. high (repeatable)")),
        ("--language", "CODE", _("only calls in this language, e.g. ky (repeatable)")),
        ("--country", "CODE", _("only callers in this country, e.g. KG (repeatable)")),
        ("--source", "ORG", _("only calls recorded by this hotline, or local (repeatable)")),
    ):
        parser.add_argument(option, action="append", default=[], metavar=metavar, help=help_text)


def main(argv: Sequence[str] | None = None) -> int:
    from hotline import logging_filter

    logging_filter.configure()
    argv = list(sys.argv[1:] if argv is None else argv)
    # The language must be set before the parser is built so that --help is translated.
    lang = _peek_lang(argv)
    set_language(normalize_language(lang) or "en" if lang else language_from_environment())
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        code: int = args.func(args)
        return code
    except UsageError as error:
        print(f"hotline: {error}", file=sys.stderr)
        return 2
    except KnownError as error:
        print(_("Error: %(message)s") % {"message": error}, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 1
    except (BugError, Exception) as error:
        print(
            _("Internal error (%(kind)s). Nothing more was changed; please report it.")
            % {"kind": type(error).__name__},
            file=sys.stderr,
        )
        if os.environ.get("HOTLINE_DEBUG"):
            raise
        return 1


def _peek_lang(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


if __name__ == "__main__":
    sys.exit(main())
