"""The in-memory reference store passes the storage contract."""

from __future__ import annotations

from faultkit.storage import MemoryStore, Store
from faultkit.testing.storage_contract import StorageContract


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
