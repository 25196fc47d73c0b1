"""The contract of the record repositories (feedback, actions, risks, clusters), for every store.

:class:`~faultkit.testing.storage_contract.StorageContract` inherits
:class:`RecordsContract`: each record round-trips, is kept once by its key, is
versioned and pages by key. (The record kinds of :mod:`faultkit.storage.kinds` have
their own part, :mod:`faultkit.testing.storage_kinds`.)
"""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest
from hypothesis import given

from faultkit.errors import (
    InvalidInputError,
    RecordNotFoundError,
    StorageConflictError,
)
from faultkit.feedback import (
    Cluster,
    Feedback,
    HotlineFeedback,
)
from faultkit.rca import Action, RiskItem
from faultkit.storage.protocols import Store
from faultkit.storage.records import Versioned
from faultkit.testing.feedback import any_feedback, clusters
from faultkit.testing.rca import actions, risk_items
from faultkit.testing.storage_data import (
    T0,
    unique_id,
)
from faultkit.testing.storage_hooks import (
    SHARED_STORE,
    StoreHooks,
    all_pages,
)

__all__ = ["RecordsContract"]


class RecordsContract(StoreHooks):
    """Records: round trips, versions, pages by key."""

    @SHARED_STORE
    @given(item=any_feedback())
    def test_feedback_round_trip(self, store: Store, item: Feedback) -> None:
        item = attrs.evolve(item, id=unique_id("fb"))
        assert store.feedback.add(item) == 1
        assert store.feedback.get(item.id) == Versioned(item, 1)

    @SHARED_STORE
    @given(item=actions())
    def test_action_round_trip(self, store: Store, item: Action) -> None:
        item = attrs.evolve(item, id=unique_id("ac"))
        assert store.actions.add(item) == 1
        assert store.actions.get(item.id) == Versioned(item, 1)
        done = item.complete(T0) if item.status.value in ("planned", "in_progress") else item
        assert store.actions.save(done, expected_version=1) == 2
        assert store.actions.get(item.id) == Versioned(done, 2)

    @SHARED_STORE
    @given(item=risk_items())
    def test_risk_round_trip(self, store: Store, item: RiskItem) -> None:
        item = attrs.evolve(item, id=unique_id("rk"))
        assert store.risks.add(item) == 1
        assert store.risks.get(item.id) == Versioned(item, 1)

    @SHARED_STORE
    @given(item=clusters())
    def test_cluster_round_trip(self, store: Store, item: Cluster) -> None:
        item = attrs.evolve(item, id=unique_id("cl"))
        assert store.clusters.add(item) == 1
        assert store.clusters.get(item.id) == Versioned(item, 1)

    def test_records_versions_and_pages(self, store: Store) -> None:
        items = [
            HotlineFeedback(
                id=f"r-{n:03d}",
                received_at=T0 + timedelta(minutes=n),
                call_started_at=T0 + timedelta(minutes=n),
                agent="desk-1",
                text=f"text {n}",
            )
            for n in range(7)
        ]
        for item in reversed(items):
            store.feedback.add(item)
        with pytest.raises(StorageConflictError) as info:
            store.feedback.add(items[0])
        assert (info.value.expected, info.value.found) == (0, 1)
        changed = attrs.evolve(items[0], text="changed")
        assert store.feedback.save(changed, expected_version=1) == 2
        with pytest.raises(StorageConflictError) as info:
            store.feedback.save(items[0], expected_version=1)
        assert (info.value.expected, info.value.found) == (1, 2)
        with pytest.raises(RecordNotFoundError):
            store.feedback.get("r-999")
        with pytest.raises(RecordNotFoundError):
            store.feedback.save(attrs.evolve(items[0], id="r-999"), expected_version=1)
        got = all_pages(store.feedback.query, limit=3)
        assert [v.item for v in got] == [changed, *items[1:]]
        assert [v.version for v in got] == [2] + [1] * 6
        assert store.clusters.query().items == ()
        assert store.actions.query().items == ()
        assert store.risks.query().items == ()
        with pytest.raises(InvalidInputError):
            store.feedback.add("text")  # type: ignore[arg-type]
