"""The fault case's rules added after the event-sourced fault: clearing facts, the
verifier rule, a failed effectiveness check sending the fault back to work, the
actions held once by the fault."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import CommandRefusedError, InvalidInputError
from faultkit.lifecycle import FactChange, Fault
from faultkit.models import Severity
from test_lifecycle_case import AGENT, at, lifecycle, replayed, report

# --------------------------------------------------------------------------- clearing


@pytest.mark.parametrize(
    ("fact", "set_", "value"),
    [
        ("priority", "set_priority", 2),
        ("severity", "set_severity", Severity.SEV2),
        ("duplicate_of", "mark_duplicate_of", "F-0"),
    ],
)
def test_a_fact_is_cleared_only_with_a_reason(fact: str, set_: str, value: Any) -> None:
    fault = lifecycle().open(report())
    command = getattr(fault, set_)
    with pytest.raises(CommandRefusedError, match="already None"):
        command(None, actor=AGENT, at=at(1), reason="nothing to clear")
    command(value, actor=AGENT, at=at(1))
    events = fault.events
    with pytest.raises(CommandRefusedError, match="override or a clearing needs a reason") as exc:
        command(None, actor=AGENT, at=at(2))
    assert (exc.value.fault_id, exc.value.command) == ("F-1", set_)
    assert fault.events == events
    cleared = command(None, actor=AGENT, at=at(2), reason="set on the wrong fault")
    assert isinstance(cleared, FactChange)
    assert (cleared.fact, cleared.before, cleared.after) == (fact, value, None)
    assert cleared.reason == "set on the wrong fault"
    assert getattr(fault, fact) is None
    assert replayed(fault) == fault
    assert getattr(replayed(fault), fact) is None


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        st.tuples(st.none() | st.integers(1, 5), st.none() | st.sampled_from(["why", "re-triage"])),
        max_size=12,
    )
)
def test_priority_set_and_clear_sequences_replay(values: list[tuple[Any, Any]]) -> None:
    """Any sequence of set / clear commands: refused ones append nothing, replay agrees."""
    fault = lifecycle().open(report())
    for hour, (value, reason) in enumerate(values, 1):
        before, events = fault.priority, fault.events
        try:
            fault.set_priority(value, actor=AGENT, at=at(hour), reason=reason)
        except CommandRefusedError:
            assert fault.events == events
            assert value == before or (before is not None and reason is None)
            continue
        assert fault.priority == value
        assert before is None or reason is not None
    assert Fault(report=fault.report, state=fault.state, events=fault.events) == fault
    assert replayed(fault).priority == fault.priority


def test_a_bad_priority_is_still_refused() -> None:
    fault = lifecycle().open(report())
    for bad in (0, 6, "2", 2.0, True):
        with pytest.raises(InvalidInputError, match="1 to 5, or None"):
            fault.set_priority(bad, actor=AGENT, at=at(1))  # type: ignore[arg-type]
