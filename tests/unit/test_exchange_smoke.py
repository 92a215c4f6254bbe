"""The exchange network fixture works end to end (fuller tests live beside this one)."""

from __future__ import annotations

from hotline.exchange import importing
from tests.unit.exchange_support import COORDINATOR, HOTLINE_A, Network, record_call, send


def test_a_pseudonymous_batch_reaches_the_coordinator(network: Network) -> None:
    hotline = network.session(HOTLINE_A, "bakyt")
    record_call(hotline)
    result = send(hotline, network)
    hotline.close()
    coordinator = network.session(COORDINATOR, "dana")
    first = importing.import_file(coordinator, result.path)
    again = importing.import_file(coordinator, result.path)
    assert first.status is importing.Status.IMPORTED and first.outcome["added"] == 1
    assert again.status is importing.Status.ALREADY
    coordinator.close()
