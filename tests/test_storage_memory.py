"""The in-memory reference store passes the storage contract."""

from __future__ import annotations

import sys
import threading

import pytest

from faultkit.lifecycle import Fault
from faultkit.storage import MemoryFaultRepository, MemoryStore, Store
from faultkit.storage.memory import _fault_row
from faultkit.testing.storage_contract import (
    StorageContract,
    Success,
    check_no_lost_update,
    race,
    sample_fault,
)


class TestMemoryStore(StorageContract):
    def make_store(self) -> Store:
        return MemoryStore()

    def corrupt_fault(self, store: Store, fault_id: str) -> None:
        assert isinstance(store, MemoryStore)
        store._faults[fault_id].body["state"] = 42

    def corrupt_event(self, store: Store, fault_id: str, seq: int) -> None:
        assert isinstance(store, MemoryStore)
        at_us, body = store._events[fault_id][seq]
        store._events[fault_id][seq] = (at_us, {**body, "at": "not a time"})


class _LastWriterWins(MemoryFaultRepository):
    """A broken repository: no version check, the last save wins."""

    def save(self, fault: Fault, *, expected_version: int) -> int:
        store = self._store
        with store._lock:
            old = store._faults[fault.id]
            store._faults[fault.id] = _fault_row(store._codec, fault, old.version + 1)
            store._append_events(fault.id, fault.events[old.history_len :], old.history_len)
            return old.version + 1


def test_the_race_check_catches_lost_updates() -> None:
    store = MemoryStore()
    store.faults = _LastWriterWins(store)
    ids = ["F-1", "F-2"]
    for fault_id in ids:
        store.faults.add(sample_fault(fault_id))
    results: list[list[Success]] = [[], [], [], []]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often: reads and saves interleave
    try:
        threads = [
            threading.Thread(target=lambda w=w: results[w].extend(race(store, ids, w, 400)))
            for w in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    with pytest.raises(AssertionError):
        check_no_lost_update(store, ids, [s for worker in results for s in worker])
