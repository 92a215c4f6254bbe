"""Error classes.

A ``KnownError`` is something a person can meet (wrong password, damaged file…): its
message is already translated and is shown as it is. A ``BugError`` means the program
itself is wrong; the UI shows a generic apology and the details go to the log.
"""

from __future__ import annotations


class HotlineError(Exception):
    """Base of every error raised on purpose by the core."""


class KnownError(HotlineError):
    """An error a user can meet; ``str(error)`` is a translated, complete sentence."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class BugError(HotlineError):
    """An internal inconsistency: never expected in normal use."""


class AuthenticationFailed(KnownError):
    """Unknown user, wrong password or wrong recovery key (deliberately not told apart)."""


class AccountLocked(KnownError):
    """Too many failed logins: wait ``retry_after`` seconds, or an admin must unlock."""

    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class DatabaseUnreadable(KnownError):
    """The database file is damaged, not a database, or does not match the key."""


class DatabaseMissing(KnownError):
    """No database where one was expected."""


class SchemaTooNew(KnownError):
    """The database was written by a newer, incompatible version of the program."""


class PermissionDenied(KnownError):
    """The signed-in user's role does not allow the action."""


class InvalidInput(KnownError):
    """A value typed by the user is not acceptable."""


class BatchRejected(KnownError):
    """A batch, receipt or update bundle that is not accepted; nothing was written."""
