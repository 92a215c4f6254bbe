"""Cards: export this installation's, register a partner's (trust on first use, by comparing
the fingerprint), disable one."""

from __future__ import annotations

from pathlib import Path

from hotline import audit, training
from hotline.audit import AuditAction
from hotline.errors import InvalidInput
from hotline.exchange import identity as ident
from hotline.fsutil import atomic_write
from hotline.i18n import _
from hotline.roles import Action
from hotline.services.session import Session, utc_now
from hotline.store.repositories import exchange as repo
from hotline.store.repositories.exchange import Partner

RECIPIENT = "recipient"
SENDER = "sender"
CARD_SUFFIX = ".hlcard"


def my_identity(session: Session) -> ident.Identity:
    return ident.load_or_create(session.db, utc_now())


def my_fingerprint(session: Session) -> str:
    return my_identity(session).fingerprint


def export_card(session: Session, path: Path, *, recipient: bool) -> ident.Card:
    """Write this installation's card. A *recipient* card (for a coordinator or a station
    that gathers workstations) also carries the key of the pseudonyms its senders make."""
    session.require(Action.MANAGE_PARTNERS)
    training.refuse(session, _("a card"))
    identity = my_identity(session)
    card = ident.make_card(identity, session.installation, utc_now(), recipient=recipient)
    atomic_write(path, ident.card_bytes(card, identity))
    audit.record(
        session.db,
        session.user.username,
        AuditAction.CARD_EXPORTED,
        "installation",
        session.installation.id,
        kind=RECIPIENT if recipient else SENDER,
        fingerprint=card.fingerprint,
    )
    return card


def read_card(path: Path) -> ident.Card:
    """Read a card to show its names and fingerprint before registering it."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(
            _("The card %(file)s cannot be read: %(reason)s")
            % {"file": path.name, "reason": error.strerror or str(error)}
        ) from error
    return ident.parse_card(data)


def register(session: Session, card: ident.Card, kind: str, fingerprint: str) -> Partner:
    """Register ``card`` as a recipient (we send to it, and accept its update bundles) or a
    sender (we import its batches). ``fingerprint`` is what the person read out and typed or
    confirmed: it must match the card's."""
    session.require(Action.MANAGE_PARTNERS)
    if kind not in (RECIPIENT, SENDER):
        raise ValueError(kind)
    if _plain(fingerprint) != _plain(card.fingerprint):
        raise InvalidInput(
            _(
                "The fingerprint does not match the card. Do not register it: ask the other "
                "office to read its fingerprint to you again."
            )
        )
    if card.installation_id == session.installation.id:
        raise InvalidInput(_("This is this installation's own card."))
    if kind == RECIPIENT and not card.recipient:
        raise InvalidInput(
            _(
                "This card cannot receive batches: ask its office for a recipient card (Export my "
                'card, "others send their batches here").'
            )
        )
    partner = Partner(
        installation_id=card.installation_id,
        kind=kind,
        org_code=card.org_code,
        org_name=card.org_name,
        site_name=card.site_name,
        country=card.country,
        signing_key=card.signing_key,
        encryption_key=card.encryption_key,
        pseudonym_key=card.pseudonym_key if kind == RECIPIENT else None,
        fingerprint=card.fingerprint,
        registered_at=utc_now(),
        registered_by=session.user.username,
        active=True,
    )
    with session.db.transaction():
        previous = repo.partner(session.db, card.installation_id, kind)
        # A new key for a known partner replaces the old one; the audit entry says so.
        repo.save_partner(session.db, partner)
        audit.record(
            session.db,
            session.user.username,
            AuditAction.PARTNER_REGISTERED,
            "installation",
            card.installation_id,
            kind=kind,
            fingerprint=card.fingerprint,
            reason="key_changed" if previous and previous.fingerprint != card.fingerprint else "",
        )
    return partner


def set_active(session: Session, installation_id: str, kind: str, active: bool) -> None:
    session.require(Action.MANAGE_PARTNERS)
    with session.db.transaction():
        repo.set_partner_active(session.db, installation_id, kind, active)
        audit.record(
            session.db,
            session.user.username,
            AuditAction.PARTNER_DISABLED if not active else AuditAction.PARTNER_REGISTERED,
            "installation",
            installation_id,
            kind=kind,
        )


def partners(session: Session, kind: str | None = None) -> list[Partner]:
    return repo.partners(session.db, kind)


def matching(session: Session, kind: str, name: str) -> list[Partner]:
    """The partners of ``kind`` named by ``name``: an installation id, an organisation code
    or "CODE/site", in any case."""
    wanted = name.strip().casefold()
    return [
        p
        for p in repo.partners(session.db, kind)
        if wanted
        in (
            p.installation_id.casefold(),
            p.org_code.casefold(),
            f"{p.org_code}/{p.site_name}".casefold(),
        )
    ]


def find(session: Session, kind: str, name: str) -> Partner:
    """The one partner named by ``name``; a clear error if none or several match."""
    found = matching(session, kind, name)
    if not found:
        if kind == RECIPIENT:
            raise InvalidInput(
                _("No recipient %(name)s is registered. Register its card first.") % {"name": name}
            )
        raise InvalidInput(
            _("No sender %(name)s is registered. Register its card first.") % {"name": name}
        )
    if len(found) > 1:
        raise InvalidInput(
            _("Several partners match %(name)s; give the installation id.") % {"name": name}
        )
    return found[0]


def _plain(text: str) -> str:
    return "".join(c for c in text.upper() if c.isalnum())
