"""Managing accounts: add, disable, enable, change role or password, unlock."""

from __future__ import annotations

import uuid
from dataclasses import replace

from hotline import audit, keys, validation
from hotline.audit import AuditAction
from hotline.errors import InvalidInput, KnownError
from hotline.i18n import _
from hotline.model.user import User
from hotline.roles import Action, Role
from hotline.services.session import Session, utc_now
from hotline.store.repositories import users as users_repo


def _existing(session: Session, username: str) -> User:
    user = users_repo.by_username(session.db, username.strip().lower())
    if user is None:
        raise KnownError(_("There is no user called %(name)s.") % {"name": username})
    return user


def _replace_slots(session: Session, username: str, password: str) -> None:
    """Give ``username`` one fresh slot for the current database key, dropping old ones."""
    path = session.data_dir.keyslots
    current = keys.load_slot_file(path)
    slot = keys.make_user_slot(current.installation_id, username, password, [session.key])
    updated = current.without(lambda s: s.kind == "user" and s.username == username)
    keys.save_slot_file(path, updated.with_slots([slot]))


def list_users(session: Session) -> list[User]:
    session.require(Action.VIEW_USERS)
    return users_repo.all_users(session.db)


def add_user(
    session: Session,
    username: str,
    role: Role,
    password: str,
    display_name: str = "",
    language: str = "en",
) -> User:
    session.require(Action.MANAGE_USERS)
    name = validation.username(username)
    secret = validation.password(password, name)
    if users_repo.by_username(session.db, name) is not None:
        raise InvalidInput(_("The user name %(name)s is already taken.") % {"name": name})
    now = utc_now()
    user = User(
        id=str(uuid.uuid4()),
        username=name,
        display_name=validation.display_name(display_name, name),
        role=role,
        active=True,
        language=language,
        version=1,
        created_at=now,
        updated_at=now,
    )
    with session.db.transaction():
        users_repo.insert(session.db, user)
        audit.record(
            session.db,
            session.user.username,
            AuditAction.USER_ADDED,
            "user",
            user.id,
            role=role.value,
        )
    _replace_slots(session, name, secret)
    return user


def _save(session: Session, user: User, action: AuditAction, **details: str) -> User:
    updated = replace(user, version=user.version + 1, updated_at=utc_now())
    with session.db.transaction():
        users_repo.update(session.db, updated)
        audit.record(session.db, session.user.username, action, "user", user.id, **details)
    return updated


def _refuse_losing_last_admin(session: Session, user: User) -> None:
    if user.role is Role.ADMIN and user.active and users_repo.count_active_admins(session.db) <= 1:
        raise KnownError(
            _("%(name)s is the only active administrator; add another administrator first.")
            % {"name": user.username}
        )


def disable_user(session: Session, username: str) -> User:
    """Disable the account and delete its key slots: its password opens nothing any more."""
    session.require(Action.MANAGE_USERS)
    user = _existing(session, username)
    if not user.active:
        return user
    _refuse_losing_last_admin(session, user)
    # Database first: if we are killed before the slot goes, the account is already refused.
    updated = _save(session, replace(user, active=False), AuditAction.USER_DISABLED)
    path = session.data_dir.keyslots
    current = keys.load_slot_file(path)
    keys.save_slot_file(
        path, current.without(lambda s: s.kind == "user" and s.username == user.username)
    )
    return updated


def enable_user(session: Session, username: str, new_password: str) -> User:
    """Enable a disabled account; it needs a new password, its old slot is gone."""
    session.require(Action.MANAGE_USERS)
    user = _existing(session, username)
    secret = validation.password(new_password, user.username)
    updated = user
    if not user.active:
        updated = _save(session, replace(user, active=True), AuditAction.USER_ENABLED)
    _replace_slots(session, user.username, secret)
    return updated


def change_password(session: Session, username: str, new_password: str) -> None:
    """Re-wrap only this user's slot. Users change their own; admins change anyone's."""
    target = _existing(session, username)
    if target.username != session.user.username:
        session.require(Action.MANAGE_USERS)
    else:
        session.require(Action.CHANGE_OWN_PASSWORD)
    if not target.active:
        raise KnownError(
            _("%(name)s is disabled; enable the account to give it a password.")
            % {"name": target.username}
        )
    secret = validation.password(new_password, target.username)
    _replace_slots(session, target.username, secret)
    audit.record(
        session.db, session.user.username, AuditAction.USER_PASSWORD_CHANGED, "user", target.id
    )


def set_role(session: Session, username: str, role: Role) -> User:
    session.require(Action.MANAGE_USERS)
    user = _existing(session, username)
    if user.role is role:
        return user
    if role is not Role.ADMIN:
        _refuse_losing_last_admin(session, user)
    return _save(
        session,
        replace(user, role=role),
        AuditAction.USER_ROLE_CHANGED,
        role=role.value,
        old_role=user.role.value,
    )


def set_language(session: Session, language: str) -> User:
    """Remember the signed-in user's interface language."""
    user = users_repo.by_username(session.db, session.user.username)
    assert user is not None
    if user.language == language:
        return user
    updated = replace(user, language=language, version=user.version + 1, updated_at=utc_now())
    with session.db.transaction():
        users_repo.update(session.db, updated)
    session.user = updated
    return updated


def unlock_user(session: Session, username: str) -> None:
    """Clear the failed-login counter of an account that was locked out."""
    session.require(Action.MANAGE_USERS)
    user = _existing(session, username)
    path = session.data_dir.keyslots
    current = keys.load_slot_file(path)
    cleared = [keys.clear_failures(s) for s in current.user_slots(user.username)]
    keys.save_slot_file(path, current.replace_slots(cleared))
    audit.record(session.db, session.user.username, AuditAction.USER_UNLOCKED, "user", user.id)


def failed_attempts(session: Session, username: str) -> int:
    slots = keys.load_slot_file(session.data_dir.keyslots).user_slots(username)
    return max((s.failures for s in slots), default=0)


def is_locked(session: Session, username: str) -> bool:
    slots = keys.load_slot_file(session.data_dir.keyslots).user_slots(username)
    return any(s.locked for s in slots)
