"""What the parts of the storage contract kit share: the store hooks, settings, paging.

Each part (:mod:`~faultkit.testing.storage_faults`, :mod:`~faultkit.testing.storage_events`,
:mod:`~faultkit.testing.storage_records`, :mod:`~faultkit.testing.storage_cases`,
:mod:`~faultkit.testing.storage_race`) is a :class:`StoreHooks`: its tests take the
``store`` fixture, an empty store from :meth:`StoreHooks.make_store`.
:class:`~faultkit.testing.storage_contract.StorageContract` joins them all.

Needs the ``test`` extra (pytest and hypothesis).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from faultkit.lifecycle.events import TransitionRecord
from faultkit.storage.protocols import Store
from faultkit.testing.storage_data import T0

__all__ = ["QUERIES", "SHARED_STORE", "StoreHooks", "all_pages", "events_cursor"]


class StoreHooks:
    """How the contract's tests get a store; override :meth:`make_store` (at least)."""

    def make_store(self) -> Store:
        """An empty store (override this)."""
        raise NotImplementedError

    def close_store(self, store: Store) -> None:
        """Release the store after a test (override if it needs closing)."""

    def corrupt_fault(self, store: Store, fault_id: str) -> None:
        """Damage the stored data of ``fault_id`` (override to run the corruption tests)."""
        raise NotImplementedError

    def corrupt_event(self, store: Store, fault_id: str, seq: int) -> None:
        """Damage the stored event ``seq`` of ``fault_id`` (override to run its test)."""
        raise NotImplementedError

    @pytest.fixture
    def store(self) -> Iterator[Store]:
        """A fresh store from :meth:`make_store`, closed after the test."""
        made = self.make_store()
        try:
            yield made
        finally:
            self.close_store(made)


def all_pages(read: Any, limit: int) -> list[Any]:
    """Every item of a paged query, ``read(limit=..., cursor=...)``, checking each page.

    No page reports a corrupt record, none is longer than ``limit``, every page before
    the last is full, and the pages end.
    """
    items: list[Any] = []
    cursor = None
    for _ in range(100_000):
        page = read(limit=limit, cursor=cursor)
        assert not page.corrupt
        assert len(page.items) <= limit
        items.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return items
        assert len(page.items) == limit, "a page before the last is full"
    raise AssertionError("pagination does not end")  # pragma: no cover


SHARED_STORE = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        # One test method, many store classes: each subclass is its own executor.
        HealthCheck.differing_executors,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

"""Hypothesis settings of a contract test: one store per test, shared by its examples."""

QUERIES = settings(SHARED_STORE, max_examples=30)
"""Hypothesis settings of the query tests (more examples)."""


def events_cursor(store: Store) -> str:
    """A cursor of the event log (``between``): what a query of another kind must refuse."""
    record = TransitionRecord(from_state="a", to_state="b", trigger="t", actor="x", at=T0)
    store.events.append("log-x", [record, record], expected_length=0)
    page = store.events.between(T0, T0 + timedelta(seconds=1), limit=1)
    assert page.next_cursor is not None
    return page.next_cursor
