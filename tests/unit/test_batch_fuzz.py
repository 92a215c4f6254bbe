"""Fuzzing the batch parser: whatever bytes or content arrive, reading them either succeeds
or ends in BatchRejected (a message for the person importing), never in another exception.

Three layers:

* arbitrary bytes, and arbitrary containers (any magic, version, length, manifest, signature,
  payload), through ``envelope.read`` and ``importing.check``;
* mutations of a real batch (bit flips, cuts, insertions, deletions), and mutations of its
  content re-sealed with the sender's real keys, so that they reach decryption, unpacking
  and validation;
* arbitrary JSON-like structures, alone or grafted into real content, through
  ``records.read_content``.

The suite runs a modest number of examples; HOTLINE_FUZZ_EXAMPLES scales every test
(``make fuzz`` runs 20 000 each).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
import shutil
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hotline.errors import BatchRejected
from hotline.exchange import envelope, importing
from hotline.exchange.envelope import Kind
from hotline.exchange.exporting import ExportRequest, export_batch
from hotline.exchange.partners import my_identity
from hotline.exchange.records import Privacy, read_content
from hotline.paths import DataDir
from hotline.services import cases
from hotline.services.session import Session
from tests.unit import batch_crafting as bc
from tests.unit.batch_crafting import Sender, craft
from tests.unit.exchange_support import COORDINATOR, HOTLINE_A, record_call, sign_in

# Read when the module is imported: the test environment fixture clears HOTLINE_* later.
_SCALE = int(os.environ.get("HOTLINE_FUZZ_EXAMPLES", "0") or 0)


def fuzz(examples: int) -> Callable[[Any], Any]:
    return settings(
        max_examples=_SCALE or examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,  # only the environment fixture; no state
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


@dataclass(frozen=True)
class FuzzBench:
    batch: bytes  # a real pseudonymous batch from HOTLINE_A, not imported
    sender: Sender
    content: dict[str, Any]  # its content
    full: dict[str, Any]  # the same calls at the full level
    coordinator: Session


@pytest.fixture(scope="module")
def fuzz_bench(
    network_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FuzzBench]:
    root = tmp_path_factory.mktemp("fuzz") / "network"
    shutil.copytree(network_template, root)
    outbox = root / "outbox"
    outbox.mkdir()
    coordinator = sign_in(DataDir(root / COORDINATOR), "dana")
    a = sign_in(DataDir(root / HOTLINE_A), "bakyt")
    first = record_call(a)
    cases.create_case_from_contact(a, first.id)
    record_call(a, phone="+996 700 111 222", name="Бакыт")
    today = dt.date.today()
    target = coordinator.installation.id
    batch = export_batch(a, ExportRequest(target, Privacy.PSEUDONYMOUS), outbox).path.read_bytes()
    yesterday = today - dt.timedelta(days=1)
    full = export_batch(a, ExportRequest(target, Privacy.FULL, yesterday, today), outbox)
    sender = Sender.of(a, target)
    a.close()
    me = my_identity(coordinator)
    bench = FuzzBench(
        batch=batch,
        sender=sender,
        content=bc.content_of(batch, me),
        full=bc.content_of(full.path.read_bytes(), me),
        coordinator=coordinator,
    )
    importing.check(coordinator, batch)  # the unmutated batch is good
    yield bench
    coordinator.close()


def only_rejected(action: Callable[[], object]) -> bool:
    """Run ``action``; True if it succeeded, False if it was rejected. Any other exception
    propagates and fails the test."""
    message = None
    try:
        action()
    except BatchRejected as error:
        message = error.message
    event("accepted" if message is None else "rejected: " + re.sub(r"\[\d+\]|\.\d+", "", message))
    assert message is None or (isinstance(message, str) and message.strip())
    return message is None


# --- strategies ---------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-3, max_value=3),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(["", "full", "pseudonymous", "aggregate", "WORK", "female", "2026-01-05"]),
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
MANIFEST_KEYS = (
    "format",
    "batch_id",
    "sender",
    "recipient",
    "recipient_fingerprint",
    "sequence",
    "created_at",
    "schema_version",
    "privacy",
    "counts",
    "content_bytes",
    "payload_bytes",
    "payload_sha256",
)


@st.composite
def containers(draw: st.DrawFn) -> bytes:
    """Anything shaped roughly like a container, valid payload length and hash optional."""
    magic = draw(st.sampled_from([k.value for k in Kind]) | st.binary(min_size=8, max_size=8))
    version = draw(st.just(envelope.FORMAT_VERSION) | st.integers(0, 255))
    payload = draw(st.binary(max_size=200))
    manifest: object = draw(
        st.dictionaries(st.sampled_from(MANIFEST_KEYS) | st.text(max_size=8), json_values)
        | json_values
    )
    if isinstance(manifest, dict) and draw(st.booleans()):
        manifest["payload_bytes"] = len(payload)
        manifest["payload_sha256"] = hashlib.sha256(payload).hexdigest()
    body = draw(st.just(envelope.canonical(manifest)) | st.binary(max_size=200))
    length = draw(st.just(len(body)) | st.integers(0, 2**32 - 1))
    signature = draw(st.binary(min_size=64, max_size=64) | st.binary(max_size=80))
    return bc.HEAD.pack(magic, version, length) + body + signature + payload


def mutations(size: int) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.one_of(
        st.tuples(st.just("flip"), st.integers(0, size - 1), st.integers(0, 7)),
        st.tuples(st.just("cut"), st.integers(0, size)),
        st.tuples(st.just("insert"), st.integers(0, size), st.binary(min_size=1, max_size=16)),
        st.tuples(st.just("delete"), st.integers(0, size - 1), st.integers(1, 16)),
    )


def mutate(data: bytes, changes: list[tuple[Any, ...]]) -> bytes:
    for change in changes:
        kind, offset = change[0], min(change[1], len(data))
        if kind == "flip" and offset < len(data):
            data = bc.flip(data, offset, change[2])
        elif kind == "cut":
            data = data[:offset]
        elif kind == "insert":
            data = data[:offset] + change[2] + data[offset:]
        elif kind == "delete":
            data = data[:offset] + data[offset + change[2] :]
    return data


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON document, the document itself included."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


def grafted(document: Any, path: tuple[Any, ...], value: Any, remove: bool) -> Any:
    """A copy of ``document`` with ``value`` put at ``path`` (or what is there removed)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(document, dict):
        copy = dict(document)
        if remove and not rest:
            copy.pop(head, None)
        else:
            copy[head] = grafted(document[head], rest, value, remove)
        return copy
    copy_list = list(document)
    if remove and not rest:
        del copy_list[head]
    else:
        copy_list[head] = grafted(document[head], rest, value, remove)
    return copy_list


AGGREGATE = {
    "format": "hotline-batch-content",
    "schema": 1,
    "privacy": "aggregate",
    "aggregates": {
        "k": 11,
        "since": "2026-01-01",
        "until": "2026-01-31",
        "dimensions": {
            "month": {"total": 40, "cells": [["2026-01", 40]]},
            "call_type": {"total": 40, "cells": [["consultation", 29], ["information", None]]},
        },
    },
}


# --- (a) arbitrary bytes and containers ---------------------------------------------------


@fuzz(300)
@given(data=st.binary(max_size=2048))
def test_arbitrary_bytes_are_only_ever_rejected(data: bytes, fuzz_bench: FuzzBench) -> None:
    only_rejected(lambda: envelope.read(data, Kind.BATCH))
    assert not only_rejected(lambda: importing.check(fuzz_bench.coordinator, data))


@fuzz(200)
@given(data=containers())
def test_arbitrary_containers_are_only_ever_rejected(data: bytes, fuzz_bench: FuzzBench) -> None:
    for kind in Kind:
        only_rejected(functools.partial(envelope.read, data, kind))
    assert not only_rejected(lambda: importing.check(fuzz_bench.coordinator, data))


@fuzz(150)
@given(
    changes=st.dictionaries(st.sampled_from(MANIFEST_KEYS), json_values, min_size=1, max_size=3),
    removed=st.lists(st.sampled_from(MANIFEST_KEYS), max_size=2),
)
def test_validly_signed_manifests_with_any_values_are_only_ever_rejected(
    changes: dict[str, Any], removed: list[str], fuzz_bench: FuzzBench
) -> None:
    """Signed with the sender's real key, so the checks after the signature run too."""
    manifest_changes: dict[str, Any] = {**changes, **{key: bc.DELETE for key in removed}}
    manifest_changes.pop("payload_bytes", None)
    manifest_changes.pop("payload_sha256", None)
    data = craft(
        fuzz_bench.sender, fuzz_bench.content, sequence=7, manifest_changes=manifest_changes
    )
    only_rejected(lambda: importing.check(fuzz_bench.coordinator, data))


# --- (b) mutations of a real batch --------------------------------------------------------


@fuzz(300)
@given(data=st.data())
def test_a_mutated_batch_is_rejected_unless_unchanged(
    data: st.DataObject, fuzz_bench: FuzzBench
) -> None:
    original = fuzz_bench.batch
    changes = data.draw(st.lists(mutations(len(original)), min_size=1, max_size=3))
    mutated = mutate(original, changes)
    accepted = only_rejected(lambda: importing.check(fuzz_bench.coordinator, mutated))
    # Every byte is signed or hashed: only a mutation that undid itself gets through.
    assert not accepted or mutated == original


@fuzz(200)
@given(data=st.data())
def test_mutated_content_sealed_anew_is_rejected_or_valid(
    data: st.DataObject, fuzz_bench: FuzzBench
) -> None:
    raw = envelope.canonical(fuzz_bench.content)
    compressed = zlib.compress(raw, 6)
    if data.draw(st.booleans()):
        changed = mutate(raw, data.draw(st.lists(mutations(len(raw)), min_size=1, max_size=3)))
        declared = data.draw(st.just(len(changed)) | st.integers(0, 2 * len(changed)))
        sealed = craft(
            fuzz_bench.sender, fuzz_bench.content, sequence=7, raw=changed, content_bytes=declared
        )
    else:
        changes = data.draw(st.lists(mutations(len(compressed)), min_size=1, max_size=3))
        sealed = craft(
            fuzz_bench.sender,
            fuzz_bench.content,
            sequence=7,
            compressed=mutate(compressed, changes),
            content_bytes=len(raw),
        )
    only_rejected(lambda: importing.check(fuzz_bench.coordinator, sealed))


# --- (c) arbitrary content ----------------------------------------------------------------


@fuzz(150)
@given(
    content=st.dictionaries(
        st.sampled_from(["format", "schema", "privacy", "contacts", "persons", "cases"])
        | st.text(max_size=8),
        json_values,
    ),
    privacy=st.sampled_from(Privacy),
)
def test_arbitrary_content_is_only_ever_rejected(content: dict[str, Any], privacy: Privacy) -> None:
    # Where the keys of the header are absent, good values take the fuzz past them.
    content.setdefault("format", "hotline-batch-content")
    content.setdefault("schema", 1)
    content.setdefault("privacy", privacy.value)
    only_rejected(lambda: read_content(content, privacy))


@fuzz(400)
@given(data=st.data(), value=json_values, remove=st.booleans())
def test_real_content_with_anything_grafted_in_is_rejected_or_valid(
    data: st.DataObject, value: Any, remove: bool, fuzz_bench: FuzzBench
) -> None:
    content, privacy = data.draw(
        st.sampled_from(
            [
                (fuzz_bench.content, Privacy.PSEUDONYMOUS),
                (fuzz_bench.full, Privacy.FULL),
                (AGGREGATE, Privacy.AGGREGATE),
            ]
        )
    )
    # Not the document itself: arbitrary whole documents are the test above.
    where = data.draw(st.sampled_from(list(paths(content))[1:]))
    changed = grafted(content, where, value, remove)
    only_rejected(lambda: read_content(changed, privacy))


def test_the_fuzz_starts_from_valid_material(fuzz_bench: FuzzBench) -> None:
    """The mutations start from things that pass: otherwise the fuzz would test little."""
    assert read_content(fuzz_bench.content, Privacy.PSEUDONYMOUS).contacts
    assert read_content(fuzz_bench.full, Privacy.FULL).cases
    assert read_content(AGGREGATE, Privacy.AGGREGATE).aggregates is not None
    resealed = craft(fuzz_bench.sender, fuzz_bench.content, sequence=7)
    assert importing.check(fuzz_bench.coordinator, resealed).content.contacts
