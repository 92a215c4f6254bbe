"""Logging that cannot carry record content: a scrubbing filter and a scrubbed crash hook.

The program never logs record content in the first place (log messages are fixed English
sentences with ids, counts and user names); this is defence in depth for the day a value
slips into a message, an argument or an exception:

- a record object of the data model passed as an argument is shown as its type and id;
- the message is rendered once, masked (phone-number-like digit runs, e-mail addresses,
  recovery keys, long hexadecimal or base64 runs) and frozen: ``args`` are dropped, so no
  handler can render the raw values again;
- an exception keeps its type and its traceback frames (file, line, function, source
  line: program text, never data), but its message is withheld, except for the messages
  of the operating system and of the database engine, which hold no record values, and
  even those are masked. Local variables are never captured, and the exception object
  (and with it its frames and their locals) is dropped from the record;
- ``install_crash_hook`` sends unhandled exceptions (``sys.excepthook``, also what Qt
  calls for an exception in a slot, and ``threading.excepthook``) through the same
  logging, so a crash report is scrubbed too.

``configure`` is what the desktop application and the CLI call at start-up. Log records go
to stderr only; the program writes no log file of its own.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import Final

MASK: Final = "[…]"
WITHHELD: Final = "(message withheld)"

_PHONE = re.compile(r"\+?\d(?:[\s().\-/]*\d){5,}")
_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}(?::\d{2}(?::\d{2})?)?)?")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_RECOVERY_KEY = re.compile(r"\b[A-Z2-7]{5}(?:-[A-Z2-7]{5}){3,}\b")
_HEX_RUN = re.compile(r"\b[0-9a-fA-F]{40,}\b")
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{40,}={0,2}")
_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"

# Exceptions whose messages come from the operating system or the database engine.
_ENGINE_MODULES: Final = ("sqlite3", "sqlcipher3", "_sqlite3")


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    if _ISO_DATE_TIME.fullmatch(text.strip()):
        return text  # a date or time in a message is not a phone number
    return MASK


def _blob(match: re.Match[str]) -> str:
    text = match.group(0)
    if (
        any(c.isdigit() for c in text)
        and any(c.isupper() for c in text)
        and any(c.islower() for c in text)
    ):
        return MASK  # key material, a token: not a path or a word
    return text


def scrub(text: str) -> str:
    """``text`` with everything in a known-sensitive format masked."""
    text = _EMAIL.sub(MASK, text)
    text = _RECOVERY_KEY.sub(MASK, text)
    text = _HEX_RUN.sub(MASK, text)
    text = _BASE64_RUN.sub(_blob, text)
    return _PHONE.sub(_phone, text)


def _exception_line(error: BaseException) -> str:
    kind = type(error)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    if isinstance(error, OSError):
        detail = f"[Errno {error.errno}] {error.strerror}" if error.strerror else WITHHELD
    elif kind.__module__.split(".")[0] in _ENGINE_MODULES:
        detail = scrub(str(error))
    else:
        detail = WITHHELD
    return f"{name}: {detail}\n"


def exception_text(error: BaseException) -> str:
    """A traceback of ``error`` and its chain without their messages or any locals."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = error
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, _CONTEXT
        else:
            current = None
    parts: list[str] = []
    for item, _link in reversed(chain):
        if item.__traceback__ is not None:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.extract_tb(item.__traceback__).format())
        parts.append(_exception_line(item))
        parts.append(_link)
    return scrub("".join(parts)).rstrip("\n")


def _is_record(value: object) -> bool:
    """A record object of the data model (a call, a person, a case, a draft...)."""
    module = type(value).__module__
    return dataclasses.is_dataclass(value) and (
        module.startswith("hotline.model") or module.startswith("hotline.store")
    )


def _safe_arg(value: object) -> object:
    if _is_record(value):
        return f"<{type(value).__name__} {getattr(value, 'id', '')}>".replace(" >", ">")
    return value


class ScrubFilter(logging.Filter):
    """Masks what a record would write (see the module text); never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_safe_arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _safe_arg(v) for k, v in record.args.items()}
        if _is_record(record.msg):
            record.msg = _safe_arg(record.msg)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: keep the fixed text, drop the values
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = None
        if record.exc_info:
            error = record.exc_info[1]
            record.exc_text = exception_text(error) if error is not None else None
            record.exc_info = None  # frames hold locals: let them go
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


def install(logger: logging.Logger | None = None) -> ScrubFilter:
    """Put one ScrubFilter on every handler of ``logger`` (the root logger by default).
    A filter on a handler sees every record that reaches it, propagated ones included."""
    target = logger or logging.getLogger()
    found = next(
        (f for h in target.handlers for f in h.filters if isinstance(f, ScrubFilter)), None
    )
    chosen = found or ScrubFilter()
    for handler in target.handlers:
        if chosen not in handler.filters:
            handler.addFilter(chosen)
    return chosen


_crash_log = logging.getLogger("hotline.crash")


def _excepthook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, tb)
        return
    _crash_log.critical("unhandled error", exc_info=(kind, error, tb))


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or isinstance(args.exc_value, SystemExit):
        return
    _crash_log.critical(
        "unhandled error in thread %s",
        args.thread.name if args.thread else "?",
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )


def install_crash_hook() -> None:
    """Unhandled exceptions go to the scrubbed log. A hook someone else installed on
    purpose (a debugger, a test harness) is left in place."""
    if sys.excepthook is sys.__excepthook__:
        sys.excepthook = _excepthook
    if threading.excepthook is threading.__excepthook__:
        threading.excepthook = _thread_excepthook


def configure(level: int = logging.WARNING, filename: Path | None = None) -> None:
    """Log to stderr (or ``filename``, for tests and diagnosis) through the filter, and
    send unhandled exceptions there too. When logging was set up already (a host
    program, a test runner), its handlers are left alone: call ``install`` for them."""
    root = logging.getLogger()
    before = list(root.handlers)
    fmt = "%(levelname)s %(name)s: %(message)s"
    if filename is None:
        logging.basicConfig(level=level, format=fmt)
    else:
        logging.basicConfig(level=level, format=fmt, filename=filename, encoding="utf-8")
    scrubber = ScrubFilter()
    for handler in root.handlers:
        if handler not in before:
            handler.addFilter(scrubber)
    install_crash_hook()
