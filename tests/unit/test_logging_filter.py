"""The logging filter: record content never reaches a log, even when code is careless.

Failing operations run with the root logger at DEBUG, a file handler and a list handler
carrying the production filter, and an unfiltered control handler: the canaries must be
absent from every filtered record (message, args, exception text) and from the file, and
present in the control (so the test would fail without the filter).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from hotline import keys, logging_filter
from hotline.errors import KnownError
from hotline.model.contact import Caller
from hotline.paths import DataDir
from hotline.phones import parse_phone
from hotline.services import contacts, users
from tests.conftest import sign_in
from tests.unit.canary_support import CANARIES

NEEDLES = (CANARIES["notes"], CANARIES["caller name"], CANARIES["phone"], "709 183 274")


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.lines.append(self.format(record))


@pytest.fixture
def logs(tmp_path: Path) -> Iterator[tuple[Collect, Collect, Path]]:
    root = logging.getLogger()
    filtered, control = Collect(), Collect()
    scrubber = logging_filter.ScrubFilter()
    filtered.addFilter(scrubber)
    file_handler = logging.FileHandler(tmp_path / "test.log", encoding="utf-8")
    file_handler.addFilter(scrubber)
    old = root.level
    root.setLevel(logging.DEBUG)
    for handler in (control, filtered, file_handler):  # control first: sees the raw record
        root.addHandler(handler)
    try:
        yield filtered, control, tmp_path / "test.log"
    finally:
        for handler in (control, filtered, file_handler):
            root.removeHandler(handler)
        file_handler.close()
        root.setLevel(old)


def _texts(record: logging.LogRecord) -> list[str]:
    return [str(record.msg), repr(record.args), record.exc_text or "", record.getMessage()]


def _assert_clean(filtered: Collect, control: Collect, log_file: Path) -> None:
    assert filtered.records and len(filtered.records) == len(control.records)
    raw = "\n".join(control.lines)
    assert any(n in raw for n in NEEDLES), "the failures did not carry any canary"
    written = "\n".join(filtered.lines) + log_file.read_text("utf-8")
    for record in filtered.records:
        written += "\n".join(_texts(record))
    leaked = [n for n in NEEDLES if n in written]
    assert leaked == []


def test_a_failing_save_with_canaries_logs_none_of_them(
    data_dir: DataDir, logs: tuple[Collect, Collect, Path]
) -> None:
    filtered, control, log_file = logs
    session = sign_in(data_dir, "olga")
    contact = replace(
        contacts.new_contact(session),
        caller=Caller(name=CANARIES["caller name"]),
        phone=parse_phone(CANARIES["phone"], "KG"),
        notes=CANARIES["notes"],
    )
    saved = contacts.save_contact(session, contact)
    log = logging.getLogger("ui.calls.call_editor")
    stale = replace(saved, notes=CANARIES["notes"] + " 2")
    contacts.save_contact(session, replace(saved, summary="newer"))
    with pytest.raises(KnownError) as failure:  # a stale version: someone saved in between
        contacts.save_contact(session, stale)
    try:
        raise ValueError(f"cannot save {stale.notes} for {stale.phone}") from failure.value
    except ValueError:
        log.exception("could not save the call")
    log.debug("saving %r", stale)  # careless: a whole record as an argument
    log.debug("saving %(call)s", {"call": stale})
    log.warning("call from %s about %s", CANARIES["phone"], "+996 709 183 274")
    session.close()
    _assert_clean(filtered, control, log_file)
    masked = [r for r in filtered.records if "ValueError" in (r.exc_text or "")]
    assert masked and logging_filter.WITHHELD in (masked[0].exc_text or "")
    assert "Traceback (most recent call last)" in (masked[0].exc_text or "")
    assert masked[0].exc_info is None  # the frames (and their locals) are let go


def test_the_language_remember_failure_logs_no_content(
    data_dir: DataDir, logs: tuple[Collect, Collect, Path]
) -> None:
    """As ui.desk does when users.set_language fails (here: the database is gone)."""
    filtered, control, log_file = logs
    session = sign_in(data_dir, "olga")
    session.db.close()
    log = logging.getLogger("ui.desk")
    try:
        users.set_language(session, "ky")
    except Exception:
        log.exception("could not remember the language of %s", session.user.username)
    # The control needs a canary to prove the test can fail: a careless extra line.
    log.error("language for %s", CANARIES["phone"])
    _assert_clean(filtered, control, log_file)
    assert "olga" in "\n".join(filtered.lines)  # user names are not record content


def test_scrub_masks_sensitive_formats_and_keeps_the_rest() -> None:
    recovery = keys.new_recovery_key()
    text = (
        f"call +996 (555) 12-34-56 or 0555123456, mail a.b@example.kg, key {recovery}, "
        "token QWxhZGRpbjpvcGVuIHNlc2FtZQ0123456789abcdefXYZ on 2026-11-22 10:15:00, "
        "line 42 in /work/main/hotline/services/contacts_and_more_and_more_words.py"
    )
    scrubbed = logging_filter.scrub(text)
    for secret in ("555", "123456", "a.b@example.kg", recovery, "QWxhZGRpbjpv"):
        assert secret not in scrubbed
    for kept in ("2026-11-22 10:15:00", "line 42", "contacts_and_more_and_more_words.py"):
        assert kept in scrubbed


def test_os_and_engine_messages_are_kept_others_withheld() -> None:
    assert logging_filter.exception_text(OSError(28, "No space left on device")).endswith(
        "OSError: [Errno 28] No space left on device"
    )
    from sqlcipher3 import dbapi2

    text = logging_filter.exception_text(dbapi2.IntegrityError("UNIQUE constraint failed: x.id"))
    assert text.endswith("UNIQUE constraint failed: x.id")
    assert logging_filter.exception_text(KeyError(CANARIES["notes"])).endswith(
        "KeyError: " + logging_filter.WITHHELD
    )


def test_crash_hook_logs_scrubbed(
    logs: tuple[Collect, Collect, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    filtered, control, log_file = logs
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    monkeypatch.setattr(threading, "excepthook", threading.__excepthook__)
    logging_filter.install_crash_hook()
    assert sys.excepthook is not sys.__excepthook__
    try:
        raise RuntimeError(CANARIES["notes"] + " " + CANARIES["phone"])
    except RuntimeError as error:
        sys.excepthook(RuntimeError, error, error.__traceback__)

    def crash() -> None:
        raise KeyError(CANARIES["caller name"])

    thread = threading.Thread(target=crash, name="worker")
    thread.start()
    thread.join()
    _assert_clean(filtered, control, log_file)
    assert [r.name for r in filtered.records] == ["hotline.crash", "hotline.crash"]
