"""The contract of the fault repository, for every store.

:class:`~faultkit.testing.storage_contract.StorageContract` inherits
:class:`FaultsContract`: faults round-trip (with their event stream), are versioned
(optimistic concurrency), only grow (a shorter or rewritten history is refused naming
the first event that differs), are their own stream, are read as copies; queries by
state, severity, priority, component and report time agree with a plain filter over
what was stored, page after page; bad arguments and forged cursors are
:class:`~faultkit.errors.InvalidInputError`; a corrupt fault is reported with its key.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit.errors import (
    CorruptRecordError,
    InvalidInputError,
    RecordNotFoundError,
    StorageConflictError,
)
from faultkit.lifecycle.events import Comment
from faultkit.lifecycle.fault import Fault
from faultkit.models import (
    Person,
    Severity,
)
from faultkit.rca import Action
from faultkit.storage.protocols import Store
from faultkit.storage.records import FaultQuery, Versioned
from faultkit.testing.storage_data import (
    T0,
    fact_change,
    fault_queries,
    faults,
    fresh_fault,
    indexed_values,
    next_number,
    rebuilt,
    report_order,
    unique_fault,
    with_note,
)
from faultkit.testing.storage_hooks import (
    QUERIES,
    SHARED_STORE,
    StoreHooks,
    all_pages,
    events_cursor,
)

__all__ = ["FaultsContract"]


class FaultsContract(StoreHooks):
    """Faults: round trips, versions, append-only streams, queries and pages."""

    def test_is_a_store(self, store: Store) -> None:
        assert isinstance(store, Store)

    @SHARED_STORE
    @given(fault=faults())
    def test_fault_round_trip(self, store: Store, fault: Fault) -> None:
        fault = unique_fault(fault)
        assert store.faults.add(fault) == 1
        got = store.faults.get(fault.id)
        assert got == Versioned(fault, 1)
        assert got.item is not fault
        assert [e.record for e in store.events.for_fault(fault.id)] == list(fault.events)

    def test_add_twice_conflicts(self, store: Store) -> None:
        fault = fresh_fault()
        store.faults.add(fault)
        with pytest.raises(StorageConflictError) as info:
            store.faults.add(fault)
        assert (info.value.key, info.value.expected, info.value.found) == (fault.id, 0, 1)

    def test_get_missing(self, store: Store) -> None:
        with pytest.raises(RecordNotFoundError) as info:
            store.faults.get("no-such-fault")
        assert info.value.key == "no-such-fault"
        assert isinstance(info.value, KeyError)

    def test_save_checks_the_version(self, store: Store) -> None:
        fault = fresh_fault()
        store.faults.add(fault)
        first = store.faults.get(fault.id)
        changed = with_note(first.item, actor="ana", at=T0, reason="first")
        assert store.faults.save(changed, expected_version=first.version) == 2
        stale = with_note(first.item, actor="ben", at=T0, reason="stale")
        with pytest.raises(StorageConflictError) as info:
            store.faults.save(stale, expected_version=first.version)
        assert (info.value.expected, info.value.found) == (1, 2)
        assert store.faults.get(fault.id) == Versioned(changed, 2)
        assert [e.record for e in store.events.for_fault(fault.id)] == list(changed.events)

    def test_save_missing(self, store: Store) -> None:
        fault = fresh_fault()
        with pytest.raises(RecordNotFoundError):
            store.faults.save(fault, expected_version=1)

    def test_save_refuses_a_shorter_history(self, store: Store) -> None:
        fault = fresh_fault()
        noted = with_note(fault, actor="ana", at=T0)
        store.faults.add(noted)
        with pytest.raises(InvalidInputError) as info:
            store.faults.save(fault, expected_version=1)
        assert info.value.field == "events[0]"
        assert store.faults.get(fault.id).version == 1

    def test_save_refuses_a_rewritten_history(self, store: Store) -> None:
        fault = with_note(with_note(fresh_fault(), actor="ana", at=T0), actor="ben", at=T0)
        store.faults.add(fault)
        first, second = fault.events
        forged = attrs.evolve(second, actor="eve")  # same length, another actor
        rewritten = rebuilt(fault, events=(first, forged))
        with pytest.raises(InvalidInputError) as info:
            store.faults.save(rewritten, expected_version=1)
        assert info.value.field == "events[1]"
        longer = with_note(rewritten, actor="eve", at=T0)  # also refused when it grows
        with pytest.raises(InvalidInputError) as info:
            store.faults.save(longer, expected_version=1)
        assert info.value.field == "events[1]"
        assert store.faults.get(fault.id) == Versioned(fault, 1)
        assert [e.record for e in store.events.for_fault(fault.id)] == [first, second]

    def test_a_stored_fault_is_its_stream(self, store: Store) -> None:
        fault = fresh_fault()
        store.faults.add(fault)
        note = Comment(actor="x", at=T0, text="side door")
        with pytest.raises(InvalidInputError) as info:
            store.events.append(fault.id, [note], expected_length=0)
        assert info.value.field == "fault_id"
        assert store.events.for_fault(fault.id) == ()
        later = with_note(fault, actor="ana", at=T0)
        assert store.faults.save(later, expected_version=1) == 2  # saves still work
        log_only = fresh_fault()
        store.events.append(log_only.id, [note], expected_length=0)
        with pytest.raises(StorageConflictError):  # a stream with no fault: not adopted
            store.faults.add(log_only)

    def test_bad_versions_and_keys(self, store: Store) -> None:
        fault = fresh_fault()
        store.faults.add(fault)
        for bad in (0, -1, True, "1", 1.0):
            with pytest.raises(InvalidInputError):
                store.faults.save(fault, expected_version=bad)  # type: ignore[arg-type]
        for key in ("", "  ", 5, None, "a\x00b"):
            with pytest.raises(InvalidInputError):
                store.faults.get(key)  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError):
            store.faults.add("not a fault")  # type: ignore[arg-type]

    def test_reads_are_copies(self, store: Store) -> None:
        fault = fresh_fault()
        store.faults.add(fault)
        got = store.faults.get(fault.id).item
        actor = Person(id="ana", name="Ana")
        got.set_severity(Severity.SEV1, actor=actor, at=T0)
        got.mark_duplicate_of("elsewhere", actor=actor, at=T0)
        assert store.faults.get(fault.id).item.severity is None
        fault.set_priority(1, actor=actor, at=T0)  # nor is the caller's object
        assert store.faults.get(fault.id).item.priority is None

    def test_unknown_analysis_type_is_refused(self, store: Store) -> None:
        class Notes:
            def incomplete_reasons(self, actions: Iterable[Action] = ()) -> tuple[str, ...]:
                return ()

            def has_corrective_action(self, actions: Iterable[Action] = ()) -> bool:
                return True

        fault = fresh_fault()
        fault.attach_analysis(Notes(), actor=Person(id="ana", name="Ana"), at=T0)
        with pytest.raises(InvalidInputError) as info:
            store.faults.add(fault)
        assert info.value.field == "analysis"
        with pytest.raises(RecordNotFoundError):
            store.faults.get(fault.id)

    @QUERIES
    @given(
        batch=st.lists(
            st.tuples(indexed_values(), st.integers(min_value=0, max_value=20)),
            max_size=8,
        ),
        query=fault_queries(),
        window=st.tuples(
            st.none() | st.integers(min_value=-1, max_value=21),
            st.none() | st.integers(min_value=-1, max_value=21),
        ),
        limit=st.integers(min_value=1, max_value=5),
    )
    def test_query_matches_a_plain_filter(
        self,
        store: Store,
        batch: list[tuple[dict[str, Any], int]],
        query: FaultQuery,
        window: tuple[int | None, int | None],
        limit: int,
    ) -> None:
        # Each example reports its faults on a day of its own and asks only for that day.
        number = next_number()
        day = T0 + timedelta(days=1000 + number)
        mine = []
        for values, minute in batch:
            at = day + timedelta(minutes=minute)
            fault = fresh_fault("q", reported_at=at, component=values.pop("component"))
            facts = [
                fact_change(fact, values.pop(fact), actor="ana", at=at)
                for fact in ("severity", "priority")
                if values[fact] is not None
            ]
            fault = rebuilt(fault, state=values["state"], events=facts)
            mine.append(fault)
        for fault in mine:
            store.faults.add(fault)
        low, high = window
        start = day if low is None else day + timedelta(minutes=low)
        end = day + timedelta(days=1) if high is None else day + timedelta(minutes=high)
        start, end = min(start, end), max(start, end)  # a query's period runs forwards
        query = attrs.evolve(query, reported_from=start, reported_until=end)
        expected = sorted((f for f in mine if query.matches(f)), key=report_order)
        got = all_pages(lambda **kw: store.faults.query(query, **kw), limit)
        assert [item.item for item in got] == expected
        assert all(item.version == 1 for item in got)

    def test_query_pages_are_stable(self, store: Store) -> None:
        batch = [
            fresh_fault("p", reported_at=T0 + timedelta(minutes=next_number() % 5))
            for _ in range(7)
        ]
        for fault in batch:
            store.faults.add(fault)
        first = store.faults.query(limit=3)
        assert len(first.items) == 3
        assert first.next_cursor is not None
        # A fault added before the cursor's position is not returned later; none twice.
        early = fresh_fault("p", reported_at=datetime(1980, 1, 1, tzinfo=UTC))
        store.faults.add(early)
        rest = all_pages(lambda **kw: store.faults.query(**kw) if kw["cursor"] else first, limit=3)
        ids = [item.item.id for item in rest]
        assert len(ids) == len(set(ids)) == len(batch)
        assert early.id not in ids
        assert sorted(batch, key=report_order) == [item.item for item in rest]

    def test_query_refuses_bad_arguments(self, store: Store) -> None:
        for limit in (0, -1, True, 10**9, "5"):
            with pytest.raises(InvalidInputError):
                store.faults.query(limit=limit)  # type: ignore[arg-type]
        for cursor in ("garbage!", "", "W10", 7):
            with pytest.raises(InvalidInputError) as info:
                store.faults.query(cursor=cursor)  # type: ignore[arg-type]
            assert info.value.field == "cursor"
        with pytest.raises(InvalidInputError):
            store.faults.query(cursor=events_cursor(store))
        with pytest.raises(InvalidInputError):
            store.faults.query("state")  # type: ignore[arg-type]

    def test_corrupt_fault_is_reported_with_its_key(self, store: Store) -> None:
        fault = fresh_fault("z")
        store.faults.add(fault)
        try:
            self.corrupt_fault(store, fault.id)
        except NotImplementedError:
            pytest.skip("the store has no corrupt_fault hook")
        with pytest.raises(CorruptRecordError) as info:
            store.faults.get(fault.id)
        assert info.value.key == fault.id
        page = store.faults.query(limit=10)
        assert fault.id in [c.key for c in page.corrupt]
        assert fault.id not in [i.item.id for i in page.items]
