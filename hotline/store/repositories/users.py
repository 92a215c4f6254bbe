from __future__ import annotations

from hotline.model.user import User
from hotline.roles import Role
from hotline.store.connection import Database, Row

_SELECT = (
    "SELECT id, username, display_name, role, active, language, version, created_at,"
    " updated_at FROM users"
)


def _user(row: Row) -> User:
    return User(
        id=row["id"],
        username=row["username"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        active=bool(row["active"]),
        language=row["language"],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def insert(db: Database, user: User) -> None:
    db.execute(
        "INSERT INTO users (id, username, display_name, role, active, language, version,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            user.id,
            user.username,
            user.display_name,
            user.role.value,
            int(user.active),
            user.language,
            user.version,
            user.created_at,
            user.updated_at,
        ),
    )


def by_username(db: Database, username: str) -> User | None:
    row = db.one(_SELECT + " WHERE username = ?", (username,))
    return None if row is None else _user(row)


def all_users(db: Database) -> list[User]:
    return [_user(r) for r in db.query(_SELECT + " ORDER BY username")]


def count_active_admins(db: Database) -> int:
    return int(db.scalar("SELECT count(*) FROM users WHERE role = 'admin' AND active = 1"))


def update(db: Database, user: User) -> None:
    """Save changed fields; ``user.version`` must be the stored version plus one."""
    db.execute(
        "UPDATE users SET display_name = ?, role = ?, active = ?, language = ?, version = ?,"
        " updated_at = ? WHERE id = ? AND version = ?",
        (
            user.display_name,
            user.role.value,
            int(user.active),
            user.language,
            user.version,
            user.updated_at,
            user.id,
            user.version - 1,
        ),
    )
