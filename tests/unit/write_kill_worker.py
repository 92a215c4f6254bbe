"""Child process for the write kill test (tests/unit/test_write_kill.py): signs in as an
operator and saves calls through the real service without end, until it is killed.

    python -m tests.unit.write_kill_worker DATA_DIR USER SEED < (password PW | key HEX)

The first line on stdin is how to sign in: ``password …`` signs in like the program does
(Argon2, about a quarter of a second); ``key …`` opens the database with its raw key, the
same session without the key derivation, so that most rounds spend their time writing.

Then it says ``ready`` and loops: a new call (Cyrillic, Kazakh or Uzbek text, a phone,
topics, now and then a screening), an edit of an earlier call (possibly one saved by an
earlier, killed child), or now and then a case opened from a call. Before each save it
says ``try KIND CONTACT_ID MARKER`` (the marker is unique to the write and is in the notes)
and after the save has returned ``ack KIND CONTACT_ID VERSION DIGEST [CASE_ID]``, where the
digest is over ``contact_digest`` of the call as saved. It also says ``begin`` and
``commit`` when the database is sent those statements, so that the test knows whether a
kill landed inside a save's transaction.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from hotline import vault
from hotline.model.contact import Caller, Consent, Contact, FollowUp
from hotline.model.contact_json import contact_to_dict
from hotline.paths import DataDir, resources_dir
from hotline.phones import parse_phone
from hotline.screening.script import Script, load_script_file
from hotline.services import cases, contacts, screening, session
from hotline.services.session import Session
from hotline.store.repositories import contacts as contacts_repo
from hotline.store.repositories import installation as installation_repo
from hotline.store.repositories import users as users_repo

_MARKS = {"BEGIN IMMEDIATE": "begin", "COMMIT": "commit"}
TOPICS = (
    "DOC.TAKEN", "WORK.OFFER", "WORK.WAGES", "MISSING.ABROAD", "TRAF.SUSPECTED",
    "HELP.SHELTER", "HELP.LEGAL", "FAMILY.FORCED", "RETURN.REPATRIATION", "OTHER.INFO",
)  # fmt: skip
CALL_TYPES = ("consultation", "trafficking_concern", "missing_person", "follow_up")
# Cyrillic (Russian, Kyrgyz), Kazakh and Uzbek (Latin and Cyrillic) text.
PHRASES = (
    "Работодатель забрал паспорт и не платит третий месяц",
    "Кызым Москвага кетип, эки жумадан бери байланышпай жатат",
    "Қызым Дубайға жұмысқа кетті, төлқұжатын алып қойған",
    "Ukam Rossiyada ishlayapti, pasportini olib qo‘yishgan",
    "Акам Қозоғистонда, иш ҳақини бермаяпти",
    "Ғалым ағасы ұялы телефонын өшіріп тастады",
    "Ёрдам керак: ишга таклиф қилишди, шартнома йўқ",
)
NAMES = ("Айгүл Асанова", "Гүлнара Жұмабаева", "Dilnoza Yo‘ldosheva", "Шохрух Тошматов")


def contact_digest(contact: Contact) -> str:
    """What the test compares: every field of the call as the service saves it."""
    return dict_digest(contact_to_dict(contact))


def dict_digest(data: dict[str, Any]) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _say(line: str) -> None:
    print(line, flush=True)


def _trace(statement: str) -> None:
    mark = _MARKS.get(statement)
    if mark is not None:
        _say(mark)


def _sign_in(data_dir: DataDir, user: str, how: str) -> Session:
    kind, _, secret = how.partition(" ")
    if kind == "password":
        return session.login(data_dir, user, secret)
    db, key = vault.open_with_any(data_dir, [bytes.fromhex(secret)])
    account = users_repo.by_username(db, user)
    profile = installation_repo.get(db)
    assert account is not None and profile is not None
    return Session(data_dir, db, account, profile, key)


class Writer:
    def __init__(self, s: Session, rng: random.Random, seed: int) -> None:
        self.s = s
        self.rng = rng
        self.seed = seed
        self.count = 0
        self._script: Script | None = None

    def marker(self) -> str:
        self.count += 1
        return f"W{self.seed}x{self.count}"

    def text(self, marker: str) -> str:
        return f"{self.rng.choice(PHRASES)} [{marker}]"

    def script(self) -> Script:
        if self._script is None:
            self._script = load_script_file(resources_dir() / "scripts" / "job-offer.toml")
        return self._script

    def new_call(self, marker: str) -> Contact:
        rng = self.rng
        call = contacts.new_contact(self.s)
        phone = None if rng.random() < 0.15 else f"+996 555 {rng.randrange(10**6):06d}"
        call = replace(
            call,
            call_type=rng.choice(CALL_TYPES),
            caller=Caller(sex=rng.choice(("female", "male")), name=rng.choice(NAMES), region="Ош"),
            phone=None if phone is None else parse_phone(phone, self.s.installation.country),
            summary=self.text(marker),
            notes=f"{self.text(marker)}\n{marker}",
            topics=tuple(rng.sample(TOPICS, rng.randint(0, 3))),
            consent=Consent(keep_data=True, refer=rng.choice((None, True)), share=True),
        )
        if rng.random() < 0.2:
            answers = {"caller": "self", "danger": rng.choice(("yes", "no")),
                       "age": rng.randint(15, 50), "who_offers": ["stranger"]}  # fmt: skip
            call, _result = screening.screen(call, self.script(), answers)
        return call

    def edit(self, earlier: Contact, marker: str) -> Contact:
        rng = self.rng
        follow = FollowUp(reason=self.text(marker), done=rng.random() < 0.3)
        return replace(
            earlier,
            notes=f"{earlier.notes[-300:]}\n{self.text(marker)}\n{marker}",
            topics=tuple(rng.sample(TOPICS, rng.randint(0, 3))),
            phone=parse_phone(f"0555 {rng.randrange(10**6):06d}", self.s.installation.country),
            follow_up=follow,
        )

    def earlier(self, without_case: bool = False) -> Contact | None:
        sql = "SELECT id FROM contacts WHERE operator = ?"
        if without_case:
            sql += " AND case_id IS NULL"
        row = self.s.db.one(sql + " ORDER BY random() LIMIT 1", (self.s.user.username,))
        return None if row is None else contacts_repo.get(self.s.db, row[0])

    def step(self) -> None:
        roll = self.rng.random()
        marker = self.marker()
        if roll < 0.05:
            call = self.earlier(without_case=True)
            if call is not None:
                _say(f"try case {call.id} {marker}")
                case = cases.create_case_from_contact(self.s, call.id)
                saved = contacts_repo.get(self.s.db, call.id)
                assert saved is not None
                _say(f"ack case {saved.id} {saved.version} {contact_digest(saved)} {case.id}")
                return
        if roll < 0.5:
            earlier = self.earlier()
            if earlier is not None:
                # As the call window does it: opened (audited as a view), changed, saved.
                opened = contacts.get_contact(self.s, earlier.id)
                _say(f"try edit {opened.id} {marker}")
                saved = contacts.save_contact(self.s, self.edit(opened, marker))
                _say(f"ack edit {saved.id} {saved.version} {contact_digest(saved)}")
                return
        call = self.new_call(marker)
        _say(f"try new {call.id} {marker}")
        saved = contacts.save_contact(self.s, call)
        _say(f"ack new {saved.id} {saved.version} {contact_digest(saved)}")


def main() -> None:
    data_dir, user, seed = sys.argv[1:4]
    how = sys.stdin.readline().strip()
    s = _sign_in(DataDir(Path(data_dir)), user, how)
    s.db._conn.set_trace_callback(_trace)
    writer = Writer(s, random.Random(int(seed)), int(seed))
    _say("ready")
    while True:
        writer.step()


if __name__ == "__main__":
    main()
