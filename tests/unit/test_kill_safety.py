"""SIGKILL during a password change or a key rotation never locks the installation out.

A child process changes the admin password and rotates the database key in a loop; we
kill it at a random moment and check that the database opens with the last acknowledged
password or the one being set (never neither), that an uninvolved account still opens
it, and that both integrity checks and the audit chain are clean.

`make soak` runs 5 000 rounds (HOTLINE_KILL_RUNS); the suite runs 40.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from hotline import keys
from hotline.errors import AuthenticationFailed
from hotline.paths import DataDir
from hotline.services import maintenance, session
from tests.conftest import ADMIN_PASSWORD, PASSWORDS, Template
from tests.helpers.key_churn import password

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("HOTLINE_KILL_RUNS", "40"))


@dataclass(frozen=True)
class Outcome:
    acknowledged: int
    opened_with: int
    transitional: bool
    problems: tuple[str, ...]


def _transitional(data_dir: DataDir) -> bool:
    """Was the kill in the middle of a multi-file change?"""
    if data_dir.rekey_staging.exists():
        return True
    slot_file = keys.load_slot_file(data_dir.keyslots)
    return any(len(s.sealed) > 1 for s in slot_file.slots)


def _one_round(template: Path, work: Path, seed: int) -> Outcome:
    rng = random.Random(seed)
    data_dir = DataDir(work / "data")
    shutil.copytree(template, data_dir.root)
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.key_churn", str(data_dir.root), ADMIN_PASSWORD],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    time.sleep(rng.uniform(0.0, 1.2))
    child.send_signal(signal.SIGKILL)
    out, _err = child.communicate()
    acknowledged = 0
    for line in out.splitlines():
        if line.startswith("password "):
            acknowledged = int(line.split()[1])
    transitional = _transitional(data_dir)
    problems: list[str] = []
    opened_with = -1
    for n in (acknowledged, acknowledged + 1):
        try:
            s = session.login(data_dir, "admin", password(n, ADMIN_PASSWORD))
        except AuthenticationFailed:
            continue
        opened_with = n
        report = maintenance.check(s)
        problems.extend(report.database_problems)
        if not report.audit_chain.ok:
            problems.append("audit chain broken")
        s.close()
        break
    else:
        problems.append("admin locked out")
    try:
        session.login(data_dir, "olga", PASSWORDS["olga"]).close()
    except Exception as error:
        problems.append(f"olga cannot sign in: {error}")
    shutil.rmtree(work)
    return Outcome(acknowledged, opened_with, transitional, tuple(problems))


@pytest.mark.slow
def test_sigkill_during_password_change_and_rotation(template: Template, tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(
            pool.map(lambda i: _one_round(template.root, tmp_path / f"round-{i}", i), range(RUNS))
        )
    failures = [o for o in outcomes if o.problems]
    assert not failures, failures[:5]
    assert all(o.opened_with in (o.acknowledged, o.acknowledged + 1) for o in outcomes)
    # The kills must really land inside the operations, or the test proves nothing.
    assert sum(o.transitional for o in outcomes) >= 1
    assert len({o.acknowledged for o in outcomes}) >= 3
    print(
        f"{RUNS} kills: {sum(o.transitional for o in outcomes)} mid-operation, "
        f"{sum(o.opened_with == o.acknowledged + 1 for o in outcomes)} with the new password"
    )
