"""What a draft holds: the contact as typed so far (``contact_to_dict``) and the phone
number exactly as typed, which may not be a valid number yet."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hotline.i18n import _
from hotline.model.contact import Contact
from hotline.model.contact_json import contact_from_dict, contact_to_dict
from hotline.store.repositories.records import Draft
from ui.calls.common import when

DRAFT_FORMAT = 1
AUTOSAVE_MS = 3000


def draft_data(contact: Contact, phone_text: str) -> dict[str, Any]:
    return {"format": DRAFT_FORMAT, "contact": contact_to_dict(contact), "phone_text": phone_text}


def draft_contact(data: dict[str, Any]) -> tuple[Contact, str]:
    return contact_from_dict(data["contact"]), str(data.get("phone_text") or "")


def draft_time(draft: Draft) -> dt.datetime:
    return dt.datetime.fromisoformat(draft.updated_at)


def offer_text(draft: Draft) -> str:
    return _("Restore the call you were typing at %(time)s?") % {"time": when(draft_time(draft))}
