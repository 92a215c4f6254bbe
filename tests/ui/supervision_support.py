"""Calls of known content for the supervision window tests, saved by operator "olga"."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hotline.model.contact import Caller, Consent
from hotline.paths import DataDir
from hotline.services import contacts
from tests.conftest import sign_in

KYRGYZ_NOTE = "Кыргызстандагы мигранттардын документтери алынып калган"
LATIN_NOTE = "Job offer in Dubai shopping mall, no contract"


def seed_calls(data_dir: DataDir, count: int = 30) -> list[str]:
    """``count`` calls over the last ``count`` days: every third high risk, every fifth
    in Russian (the rest in Kyrgyz), the first one with the Kyrgyz note, the second with
    the English one."""
    operator = sign_in(data_dir, "olga")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    ids = []
    try:
        for i in range(count):
            notes = KYRGYZ_NOTE if i == 0 else LATIN_NOTE if i == 1 else f"Обычный звонок {i}"
            contact = replace(
                contacts.new_contact(operator),
                started_at=now - dt.timedelta(days=i, minutes=5),
                call_type="consultation",
                caller=Caller(sex="female" if i % 2 else "male", country="KG", region="Ош"),
                call_language="ru" if i % 5 == 0 else "ky",
                topics=("WORK.OFFER",) if i % 2 else ("DOC.TAKEN",),
                summary=f"Звонок {i}",
                notes=notes,
                risk_level="high" if i % 3 == 0 else "low",
                consent=Consent(keep_data=True, share=bool(i % 2)),
            )
            ids.append(contacts.save_contact(operator, contact).id)
    finally:
        operator.close()
    return ids
