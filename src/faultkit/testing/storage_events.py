"""The contract of the event log, for every store.

:class:`~faultkit.testing.storage_contract.StorageContract` inherits
:class:`EventsContract`: appends under an expected stream length, reads per fault and
across faults by time (page after page, against a plain filter), a save appends only
the new events, and a corrupt event is reported with its key.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit.errors import (
    CorruptRecordError,
    InvalidInputError,
    StorageConflictError,
)
from faultkit.lifecycle.events import TransitionRecord
from faultkit.storage.protocols import Store
from faultkit.storage.records import Event, micros
from faultkit.testing.storage_data import (
    T0,
    fresh_fault,
    next_number,
    with_note,
)
from faultkit.testing.storage_hooks import (
    SHARED_STORE,
    StoreHooks,
    all_pages,
)

__all__ = ["EventsContract"]


class EventsContract(StoreHooks):
    """The event log: appends, reads per fault and by time, corrupt events."""

    def test_event_log_append_and_read(self, store: Store) -> None:
        one = TransitionRecord(from_state="a", to_state="b", trigger="go", actor="x", at=T0)
        two = attrs.evolve(one, at=T0 + timedelta(hours=1), reason="later")
        appended = store.events.append("log-1", [one], expected_length=0)
        assert appended == (Event(fault_id="log-1", seq=0, record=one),)
        with pytest.raises(StorageConflictError) as info:
            store.events.append("log-1", [two], expected_length=0)
        assert (info.value.expected, info.value.found) == (0, 1)
        store.events.append("log-1", [two], expected_length=1)
        assert [e.record for e in store.events.for_fault("log-1")] == [one, two]
        assert [e.seq for e in store.events.for_fault("log-1")] == [0, 1]
        assert store.events.for_fault("log-2") == ()
        assert store.events.append("log-1", [], expected_length=2) == ()

    def test_event_log_refuses_bad_input(self, store: Store) -> None:
        with pytest.raises(InvalidInputError):
            store.events.append("log", ["not a record"], expected_length=0)  # type: ignore[list-item]
        with pytest.raises(InvalidInputError):
            store.events.append("log", [], expected_length=-1)
        with pytest.raises(InvalidInputError):
            store.events.between(datetime(2024, 1, 1), T0)  # naive
        assert store.events.for_fault("log") == ()

    @SHARED_STORE
    @given(
        times=st.lists(
            st.integers(min_value=0, max_value=50).map(lambda m: T0 + timedelta(minutes=m)),
            max_size=12,
        ),
        low=st.integers(min_value=-5, max_value=55),
        width=st.integers(min_value=0, max_value=60),
        limit=st.integers(min_value=1, max_value=4),
    )
    def test_events_between(
        self, store: Store, times: list[datetime], low: int, width: int, limit: int
    ) -> None:
        day = T0 - timedelta(days=400 + next_number())  # this example's own period
        shift = day - T0
        written: list[Event] = []
        for index, at in enumerate(times):
            record = TransitionRecord(
                from_state="a", to_state="a", trigger="t", actor="x", at=at + shift
            )
            fault_id = f"ev-{index % 3}-{day.date()}"
            length = len(store.events.for_fault(fault_id))
            written.extend(store.events.append(fault_id, [record], expected_length=length))
        start = T0 + shift + timedelta(minutes=low)
        end = start + timedelta(minutes=width)
        expected = sorted(
            (e for e in written if start <= e.at < end),
            key=lambda e: (micros(e.at), e.fault_id, e.seq),
        )
        got = all_pages(lambda **kw: store.events.between(start, end, **kw), limit)
        assert got == expected

    def test_save_appends_only_the_new_records(self, store: Store) -> None:
        fault = fresh_fault()
        store.faults.add(fault)
        current = store.faults.get(fault.id)
        for n in range(3):
            changed = with_note(current.item, actor="ana", at=T0, reason=f"n{n}")
            store.faults.save(changed, expected_version=current.version)
            current = store.faults.get(fault.id)
        # A save without new events appends nothing.
        store.faults.save(current.item, expected_version=current.version)
        events = store.events.for_fault(fault.id)
        assert [e.record for e in events] == list(store.faults.get(fault.id).item.events)
        assert [e.seq for e in events] == list(range(len(fault.events) + 3))

    def test_corrupt_event_is_reported_with_its_key(self, store: Store) -> None:
        record = TransitionRecord(from_state="a", to_state="b", trigger="t", actor="x", at=T0)
        store.events.append("log-c", [record, record], expected_length=0)
        try:
            self.corrupt_event(store, "log-c", 1)
        except NotImplementedError:
            pytest.skip("the store has no corrupt_event hook")
        with pytest.raises(CorruptRecordError) as info:
            store.events.for_fault("log-c")
        assert info.value.key == "log-c#1"
        page = store.events.between(T0, T0 + timedelta(seconds=1))
        assert [c.key for c in page.corrupt] == ["log-c#1"]
        assert [e.seq for e in page.items] == [0]
