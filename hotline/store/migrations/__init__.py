"""Numbered schema migrations, applied in order, each in its own transaction.

``PRAGMA user_version`` holds ``major * 1000 + applied``, where ``applied`` is how many
migrations ran. A migration whose first line is ``-- breaking`` starts a new major version:
older programs refuse such a database instead of misreading it. Non-breaking migrations
only add (tables, columns, indexes), so an older program may still open the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from hotline.errors import SchemaTooNew
from hotline.i18n import _
from hotline.store.connection import Database

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    sql: str

    @property
    def breaking(self) -> bool:
        return self.sql.lstrip().startswith("-- breaking")


def all_migrations() -> list[Migration]:
    found = []
    for entry in resources.files(__package__).iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.number)
    if [m.number for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError("migrations must be numbered 0001, 0002, … without gaps")
    return found


def major_after(migrations: list[Migration], applied: int) -> int:
    return 1 + sum(1 for m in migrations[1:applied] if m.breaking)


def encode_version(major: int, applied: int) -> int:
    return major * 1000 + applied


def decode_version(version: int) -> tuple[int, int]:
    return divmod(version, 1000)


def current_version() -> int:
    migrations = all_migrations()
    return encode_version(major_after(migrations, len(migrations)), len(migrations))


def check_compatible(db: Database) -> None:
    migrations = all_migrations()
    supported = major_after(migrations, len(migrations))
    major, _applied = decode_version(db.user_version)
    if major > supported:
        raise SchemaTooNew(
            _(
                "This database was written by a newer version of Hotline Desk "
                "(data format %(found)d); this version understands format %(supported)d."
            )
            % {"found": major, "supported": supported},
            hint=_("Install the newer version of Hotline Desk. The database was not changed."),
        )


def migrate(db: Database) -> int:
    """Bring the schema up to date; return how many migrations ran."""
    check_compatible(db)
    migrations = all_migrations()
    _major, applied = decode_version(db.user_version)
    ran = 0
    for migration in migrations[applied:]:
        with db.transaction():
            for statement in split_statements(migration.sql):
                db.execute(statement)
            done = migration.number
            db.set_user_version(encode_version(major_after(migrations, done), done))
        ran += 1
    return ran


def split_statements(sql: str) -> list[str]:
    """Split a migration into statements; triggers (BEGIN … END;) stay whole."""
    statements: list[str] = []
    buffer: list[str] = []
    in_trigger = False
    for line in sql.splitlines():
        stripped = line.strip()
        if not buffer and (not stripped or stripped.startswith("--")):
            continue
        buffer.append(line)
        upper = stripped.upper()
        if upper.startswith("CREATE TRIGGER"):
            in_trigger = True
        if (in_trigger and upper == "END;") or (not in_trigger and stripped.endswith(";")):
            statements.append("\n".join(buffer))
            buffer, in_trigger = [], False
    if buffer and "".join(buffer).strip():
        statements.append("\n".join(buffer))
    return statements
