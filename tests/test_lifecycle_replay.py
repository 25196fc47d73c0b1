"""Rebuilding a fault from its stream checks every event, however its times are shared.

``Fault(report=..., state=..., events=...)`` skips the time comparison when an event's
time is the very object of the one before (a stream read from storage shares equal
times); these tests plant a step back in time, a foreign object and a subclass of an
event at every position of random streams, with times shared and not, and check that
the refusal names the event, as it does event by event.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.lifecycle import Comment, Fault, FaultCodec
from faultkit.models import Person
from faultkit.testing.storage_contract import faults, sample_fault

AGENT = Person(id="agent", name="Agent")


class _Note(Comment):
    """A subclass of an event: still an event (the slow path takes it, as before)."""


def _with_comments(fault: Fault, count: int, shared: bool) -> Fault:
    at = fault.last_event_at
    for k in range(count):
        when = at if shared else datetime.fromisoformat(at.isoformat())
        fault.comment(f"note {k}", actor=AGENT, at=when, work_note=k % 2 == 0)
    return fault


@settings(max_examples=40, deadline=None)
@given(
    faults(max_history=3),
    st.integers(min_value=1, max_value=5),
    st.booleans(),
    st.data(),
)
def test_a_step_back_in_time_is_named_wherever_it_is(
    fault: Fault, count: int, shared: bool, data: st.DataObject
) -> None:
    fault = _with_comments(fault, count, shared)
    events = list(fault.events)
    assert Fault(report=fault.report, state=fault.state, events=events) == fault
    stored = FaultCodec().load(FaultCodec().dump(fault))  # times shared by the reader
    assert stored == fault
    index = data.draw(st.integers(min_value=0, max_value=len(events) - 1))
    earlier = fault.report.reported_at - timedelta(microseconds=1)
    events[index] = attrs.evolve(events[index], at=earlier)
    with pytest.raises(InvalidInputError) as caught:
        Fault(report=fault.report, state=fault.state, events=events)
    assert caught.value.field == f"events[{index}].at"


@settings(max_examples=30, deadline=None)
@given(faults(max_history=3), st.integers(min_value=1, max_value=4), st.data())
def test_a_foreign_object_is_named_and_a_subclass_is_still_an_event(
    fault: Fault, count: int, data: st.DataObject
) -> None:
    fault = _with_comments(fault, count, shared=True)
    events: list[Any] = list(fault.events)
    index = data.draw(st.integers(min_value=0, max_value=len(events) - 1))
    foreign = list(events)
    foreign[index] = {"kind": "comment"}
    with pytest.raises(InvalidInputError) as caught:
        Fault(report=fault.report, state=fault.state, events=foreign)
    assert caught.value.field == f"events[{index}]"
    last = events[-1]
    note = _Note(actor="agent", at=last.at, text="a subclass", work_note=True)
    rebuilt = Fault(report=fault.report, state=fault.state, events=(*events, note))
    assert rebuilt.events[-1] is note
    assert rebuilt.severity == fault.severity


@pytest.mark.parametrize("events", ["text", b"bytes", {"kind": "comment"}, 3])
def test_events_that_are_not_a_sequence_are_refused(events: Any) -> None:
    fault = sample_fault("F-1")
    with pytest.raises(InvalidInputError) as caught:
        Fault(report=fault.report, state=fault.state, events=events)
    assert caught.value.field == "events"
