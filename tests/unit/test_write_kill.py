"""SIGKILL while calls are being saved loses no acknowledged save and leaves none in part.

Each of two lanes keeps one data folder across its rounds (restored from a pristine copy
every RESTORE_EVERY rounds, so that the checks stay quick as the database grows). A round
starts a child (tests/unit/write_kill_worker.py) that signs in as the operator olga — with
her password every PASSWORD_EVERY rounds, otherwise with the database key, the same session
without the Argon2 derivation — and saves calls through ``contacts.save_contact`` without
end: new calls, edits of earlier calls (also those of earlier, killed children), now and
then a screening or a case. The child says ``ack`` with the record's id, version and a
digest of what was saved after each save returns, ``try`` with a unique marker before it,
and ``begin``/``commit`` when those statements go to the database. It is killed with
SIGKILL 20-300 ms after it says "ready" (a child writes for that long).

Then this process opens the database (signing in with the password every PASSWORD_EVERY
rounds) and checks that both integrity checks and the audit chain are clean; that every
acknowledged version of every call is there with exactly the acknowledged content; that
every call agrees with itself (its row, its topics rows, its versions 1..N in
record_versions, its audit entries "created" once and "edited" for versions 2..N) and every
case has its person, versions and audit entry; and that beyond the acknowledged saves there
is at most the one in flight, whole, carrying its marker, and only if its COMMIT had been
sent. The test requires kills inside a save's open transaction, or it would prove nothing.

Measured, 200 rounds on 2 cores shared with other test runs (load 5-7): 124 s, 83 s of
CPU (so about 45 s on an idle machine); 110 kills inside a save's transaction, 47 after
its COMMIT was sent (37 of those found committed), 43 between or before saves; 1 093
acknowledged saves. The child's start-up (imports, 0.2 s of CPU) is most of a round.

`make soak` runs 5 000 rounds (HOTLINE_WRITE_KILL_RUNS); the suite runs 100 (200 until the
suite outgrew ten minutes).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from hotline import audit, vault
from hotline.model.contact import Contact
from hotline.paths import DataDir
from hotline.services import session as session_service
from hotline.store.connection import Database, integrity_problems
from hotline.store.repositories import contacts as contacts_repo
from tests.conftest import PASSWORDS, Template
from tests.unit.write_kill_worker import contact_digest, dict_digest

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("HOTLINE_WRITE_KILL_RUNS", "100"))
LANES = 2
RESTORE_EVERY = 50  # rounds of a lane on one data folder before it starts afresh
PASSWORD_EVERY = 10  # rounds signed in with the password (child and check), not the key
KILL_AFTER = (0.02, 0.30)  # seconds after the child's "ready"
USER = "olga"


@dataclass
class Expected:
    """What the lane's data folder must hold: every acknowledged (or found committed)
    version of every call, by digest, and the cases known to exist."""

    versions: dict[str, dict[int, str]] = field(default_factory=dict)
    cases: set[str] = field(default_factory=set)

    def current(self, contact_id: str) -> int:
        return max(self.versions[contact_id])


@dataclass(frozen=True)
class Round:
    acks: int
    moment: str  # between saves, before BEGIN, inside the transaction, after COMMIT
    found_in_flight: bool  # the unacknowledged save was there after the kill
    seconds: float
    start: float  # the child's start-up and sign-in, to "ready"
    check: float  # opening the database after the kill and checking it
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Child:
    acks: list[tuple[str, str, int, str, str | None]]  # kind, id, version, digest, case
    in_flight: tuple[str, str, str] | None  # kind, id, marker of the save not acknowledged
    moment: str
    failure: str | None


def _read(out: str, returncode: int | None) -> Child:
    acks: list[tuple[str, str, int, str, str | None]] = []
    in_flight: tuple[str, str, str] | None = None
    moment = "between"
    lines = out.split("\n")
    complete = lines[:-1]  # a line cut by the kill has no newline: ignore it
    for line in complete:
        words = line.split()
        if not words:
            continue
        if words[0] == "try":
            in_flight = (words[1], words[2], words[3])
            moment = "before"
        elif words[0] == "begin" and in_flight is not None:
            moment = "inside"
        elif words[0] == "commit" and in_flight is not None:
            moment = "committing"
        elif words[0] == "ack":
            case = words[5] if len(words) > 5 else None
            acks.append((words[1], words[2], int(words[3]), words[4], case))
            in_flight = None
            moment = "between"
    failure = None
    if returncode != -signal.SIGKILL or "Traceback" in out:
        failure = f"the child failed ({returncode}): {out[-1500:]}"
    return Child(acks, in_flight, moment, failure)


@dataclass(frozen=True)
class Stored:
    contacts: dict[str, Contact]
    versions: dict[str, dict[int, str]]  # digests of record_versions, by call and version


def _contact_state(db: Database) -> tuple[Stored, list[str]]:
    """Every call as stored, and what is wrong with any of them on its own."""
    problems: list[str] = []
    versions: dict[str, dict[int, str]] = defaultdict(dict)
    for record_id, version, data in db.query(
        "SELECT record_id, version, data FROM record_versions WHERE record_type = 'contact'"
    ):
        versions[record_id][int(version)] = dict_digest(json.loads(data))
    topics: dict[str, list[str]] = defaultdict(list)
    for contact_id, topic in db.query("SELECT contact_id, topic FROM contact_topics"):
        topics[contact_id].append(topic)
    created: Counter[str] = Counter()
    edited: dict[str, list[int]] = defaultdict(list)
    for target_id, action, details in db.query(
        "SELECT target_id, action, details FROM audit_log WHERE target_type = 'contact'"
        " AND action IN (?, ?)",
        (audit.AuditAction.RECORD_CREATED.value, audit.AuditAction.RECORD_EDITED.value),
    ):
        if action == audit.AuditAction.RECORD_CREATED.value:
            created[target_id] += 1
        else:
            edited[target_id].append(int(json.loads(details)["version"]))
    stored: dict[str, Contact] = {}
    ids = [str(r[0]) for r in db.query("SELECT id FROM contacts")]
    for contact_id in ids:
        contact = contacts_repo.get(db, contact_id)
        assert contact is not None
        stored[contact_id] = contact
        v = contact.version
        mine = versions.get(contact_id, {})
        if sorted(mine) != list(range(1, v + 1)):
            problems.append(f"call {contact_id} v{v} has versions {sorted(mine)}")
        elif mine[v] != contact_digest(contact):
            problems.append(f"call {contact_id} v{v} differs from its stored version")
        if sorted(topics.get(contact_id, [])) != sorted(contact.topics):
            problems.append(f"call {contact_id} v{v} topics rows {topics.get(contact_id)}")
        if created[contact_id] != 1 or sorted(edited[contact_id]) != list(range(2, v + 1)):
            problems.append(
                f"call {contact_id} v{v}: audited created {created[contact_id]}x, "
                f"edited {sorted(edited[contact_id])}"
            )
    for orphan in (set(versions) | set(topics) | set(created) | set(edited)) - set(ids):
        problems.append(f"versions, topics or audit entries of a call not there: {orphan}")
    return Stored(stored, dict(versions)), problems


def _case_state(db: Database) -> tuple[set[str], list[str]]:
    problems: list[str] = []
    found = {str(r[0]): str(r[1]) for r in db.query("SELECT id, person_id FROM cases")}
    persons = {str(r[0]) for r in db.query("SELECT id FROM persons")}
    kept = {
        (str(r[0]), str(r[1]))
        for r in db.query(
            "SELECT record_type, record_id FROM record_versions WHERE record_type IN"
            " ('case', 'person') AND version = 1"
        )
    }
    audited = Counter(
        str(r[0])
        for r in db.query(
            "SELECT target_id FROM audit_log WHERE target_type = 'case' AND action = ?",
            (audit.AuditAction.RECORD_CREATED.value,),
        )
    )
    linked = Counter(
        str(r[0]) for r in db.query("SELECT case_id FROM contacts WHERE case_id IS NOT NULL")
    )
    for case_id, person_id in found.items():
        if person_id not in persons or ("person", person_id) not in kept:
            problems.append(f"case {case_id} without its person or the person's version")
        if ("case", case_id) not in kept or audited[case_id] != 1 or linked[case_id] != 1:
            problems.append(
                f"case {case_id}: version kept {('case', case_id) in kept}, audited "
                f"{audited[case_id]}x, {linked[case_id]} calls"
            )
    if len(persons) != len(found) or set(audited) - set(found):
        problems.append(f"{len(persons)} persons, {len(found)} cases, audited {set(audited)}")
    return set(found), problems


def _check(db: Database, expected: Expected, child: Child) -> tuple[bool, list[str]]:
    """Compare the database with what the child acknowledged; fold what it holds into
    ``expected``. True if the unacknowledged save was found committed."""
    problems = list(integrity_problems(db))
    chain = audit.verify(db)
    if not chain.ok:
        problems.append(f"audit chain broken: {chain}")
    state, own = _contact_state(db)
    stored = state.contacts
    problems.extend(own)
    cases, own = _case_state(db)
    problems.extend(own)
    versions = {cid: dict(v) for cid, v in expected.versions.items()}
    known_cases = set(expected.cases)
    for _kind, cid, version, digest, case in child.acks:
        versions.setdefault(cid, {})[version] = digest
        if case is not None:
            known_cases.add(case)
    extra: list[tuple[str, int]] = []
    for cid, acked in versions.items():
        contact = stored.get(cid)
        if contact is None:
            problems.append(f"acknowledged call {cid} v{max(acked)} is lost")
            continue
        for version, digest in acked.items():
            if state.versions.get(cid, {}).get(version) != digest:
                problems.append(f"acknowledged call {cid} v{version} is not as saved")
        if contact.version > max(acked):
            extra.extend((cid, v) for v in range(max(acked) + 1, contact.version + 1))
    extra.extend((cid, 1) for cid in stored if cid not in versions)
    extra_cases = cases - known_cases
    problems.extend(f"acknowledged case {c} is lost" for c in known_cases - cases)
    found = bool(extra or extra_cases)
    if found:
        flight = child.in_flight
        if child.moment != "committing" or flight is None:
            problems.append(f"unacknowledged {extra} {extra_cases} (kill {child.moment})")
        elif len(extra) != 1 or extra[0][0] != flight[1]:
            problems.append(f"unacknowledged {extra}, in flight {flight}")
        else:
            contact = stored[flight[1]]
            if flight[0] == "case":
                if extra_cases != {contact.case_id}:
                    problems.append(f"in-flight case {extra_cases}, the call's {contact.case_id}")
            elif extra_cases or flight[2] not in contact.notes:
                problems.append(f"in-flight save {flight} not the one found ({extra_cases})")
    # What is there now is what the next round must find.
    for cid in stored:
        expected.versions.setdefault(cid, {}).update(state.versions.get(cid, {}))
    expected.cases |= cases
    return found, problems


def _open(data_dir: DataDir, key: bytes, with_password: bool) -> tuple[Database, object]:
    if with_password:
        s = session_service.login(data_dir, USER, PASSWORDS[USER])
        return s.db, s
    db, _key = vault.open_with_any(data_dir, [key])
    return db, db


def _one_round(data_dir: DataDir, key: bytes, expected: Expected, seed: int) -> Round:
    rng = random.Random(seed)
    started = time.perf_counter()
    with_password = seed % PASSWORD_EVERY == 0
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.unit.write_kill_worker", str(data_dir.root), USER,
         str(seed)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
    )  # fmt: skip
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(f"password {PASSWORDS[USER]}\n" if with_password else f"key {key.hex()}\n")
    child.stdin.close()
    first = child.stdout.readline()
    ready = time.perf_counter()
    if first.strip() == "ready":
        time.sleep(rng.uniform(*KILL_AFTER))
    child.send_signal(signal.SIGKILL)
    out = child.stdout.read()
    child.stdout.close()
    result = _read(first + out, child.wait())
    problems = [] if result.failure is None else [result.failure]
    killed = time.perf_counter()
    db, closer = _open(data_dir, key, with_password)
    try:
        found, checked = _check(db, expected, result)
        problems.extend(checked)
    finally:
        closer.close()  # type: ignore[attr-defined]
    done = time.perf_counter()
    return Round(
        len(result.acks),
        result.moment,
        found,
        done - started,
        ready - started,
        done - killed,
        tuple(problems),
    )


def _lane(template: Path, work: Path, key: bytes, seeds: range) -> list[Round]:
    rounds: list[Round] = []
    expected = Expected()
    data_dir = DataDir(work)
    for n, seed in enumerate(seeds):
        if n % RESTORE_EVERY == 0:
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(template, work)
            expected = Expected()
        rounds.append(_one_round(data_dir, key, expected, seed))
        if rounds[-1].problems:
            break  # the folder is no longer what the next round would expect
    return rounds


def _spread(values: list[float]) -> str:
    ordered = sorted(values)
    return f"{ordered[len(ordered) // 2]:.2f} s (at most {ordered[-1]:.2f})"


@pytest.mark.slow
def test_sigkill_while_saving_calls_loses_nothing_acknowledged(
    template: Template, tmp_path: Path
) -> None:
    s = session_service.login(DataDir(template.root), USER, PASSWORDS[USER])
    key = s.key
    s.close()
    started = time.perf_counter()
    per_lane = -(-RUNS // LANES)
    with ThreadPoolExecutor(max_workers=LANES) as pool:
        lanes = list(
            pool.map(
                lambda lane: _lane(
                    template.root, tmp_path / f"lane-{lane}", key,
                    range(lane * per_lane, min(RUNS, (lane + 1) * per_lane)),
                ),
                range(LANES),
            )
        )  # fmt: skip
    rounds = [r for lane in lanes for r in lane]
    failures = [r for r in rounds if r.problems]
    assert not failures, [f.problems[:5] for f in failures[:3]]
    moments = Counter(r.moment for r in rounds)
    summary = (
        f"{len(rounds)} kills in {time.perf_counter() - started:.1f} s: {dict(moments)}; "
        f"{sum(r.acks for r in rounds)} acknowledged saves; "
        f"{sum(r.found_in_flight for r in rounds)} unacknowledged saves found committed; "
        f"a round takes {_spread([r.seconds for r in rounds])}, the child's start "
        f"{_spread([r.start for r in rounds])}, the check {_spread([r.check for r in rounds])}"
    )
    print(summary)
    assert len(rounds) == RUNS
    # Kills inside a save's open transaction, or the test proves nothing.
    assert moments["inside"] >= 1, summary
    assert sum(r.acks for r in rounds) >= RUNS // 2, summary
