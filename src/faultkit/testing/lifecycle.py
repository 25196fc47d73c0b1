"""Hypothesis strategies for the lifecycle's records and for walks through workflows."""

from __future__ import annotations

from datetime import date, time

from hypothesis import strategies as st

from faultkit.lifecycle.fault import Containment, TransitionRecord, Verification
from faultkit.lifecycle.sla import BusinessCalendar
from faultkit.lifecycle.workflow import State, StateCategory, Transition, Workflow
from faultkit.testing.strategies import aware_datetimes, text

__all__ = [
    "business_calendars",
    "containments",
    "legal_paths",
    "state_sequences",
    "transition_records",
    "verifications",
    "workflows",
]

_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)


def transition_records() -> st.SearchStrategy[TransitionRecord]:
    """Any valid :class:`~faultkit.lifecycle.TransitionRecord`."""
    return st.builds(
        TransitionRecord,
        from_state=_names,
        to_state=_names,
        trigger=_names,
        actor=_names,
        at=aware_datetimes(),
        reason=st.none() | text(),
    )


@st.composite
def containments(draw: st.DrawFn) -> Containment:
    """Any valid :class:`~faultkit.lifecycle.Containment` (at least one measure)."""
    isolated = draw(st.booleans())
    plan = draw(st.none() | text())
    workaround = draw(st.none() | text())
    if not isolated and plan is None and workaround is None:
        isolated = True
    return Containment(
        recorded_at=draw(aware_datetimes()),
        unit_isolated=isolated,
        emergency_plan=plan,
        workaround=workaround,
    )


def verifications() -> st.SearchStrategy[Verification]:
    """Any valid :class:`~faultkit.lifecycle.Verification`."""
    return st.builds(
        Verification,
        effective=st.booleans(),
        verified_at=aware_datetimes(),
        verified_by=_names,
        note=st.none() | text(),
    )


@st.composite
def business_calendars(draw: st.DrawFn) -> BusinessCalendar:
    """Business calendars in a few real time zones, with and without holidays."""
    zone = draw(st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"]))
    workdays = tuple(sorted(draw(st.sets(st.integers(0, 6), min_size=1))))
    opens = draw(st.integers(0, 20))
    closes = draw(st.integers(opens + 1, 24))
    holidays = tuple(
        draw(st.lists(st.dates(date(2020, 1, 1), date(2030, 12, 31)), max_size=5, unique=True))
    )
    return BusinessCalendar(
        zone=zone,
        workdays=workdays,
        opens=time(opens),
        closes=time(closes % 24),
        holidays=holidays,
    )


@st.composite
def workflows(draw: st.DrawFn, max_states: int = 6) -> Workflow:
    """Random valid workflow tables: a spine from the initial state, extra edges, no guards."""
    count = draw(st.integers(2, max_states))
    names = [f"s{i}" for i in range(count)]
    categories = list(StateCategory)
    states = [
        State(name=name, category=draw(st.sampled_from(categories)), terminal=(i == count - 1))
        for i, name in enumerate(names)
    ]
    rows = [
        Transition(trigger=f"t{i}", sources=(names[i],), dest=names[i + 1])
        for i in range(count - 1)
    ]
    extra = draw(
        st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)), max_size=2 * count)
    )
    seen = set()
    for k, (source, dest) in enumerate(extra):
        if (source, dest) not in seen:
            seen.add((source, dest))
            rows.append(Transition(trigger=f"x{k}", sources=(source,), dest=dest))
    return Workflow(name="random", states=states, initial=names[0], transitions=rows)


def state_sequences(workflow: Workflow, max_size: int = 12) -> st.SearchStrategy[list[str]]:
    """Any sequence of the workflow's state names (legal or not), starting at the initial."""
    return st.lists(st.sampled_from(workflow.state_names), max_size=max_size).map(
        lambda rest: [workflow.initial, *rest]
    )


@st.composite
def legal_paths(draw: st.DrawFn, workflow: Workflow, max_steps: int = 12) -> list[str]:
    """Trigger names of a random walk through ``workflow`` from its initial state."""
    state = workflow.initial
    triggers: list[str] = []
    for _ in range(draw(st.integers(0, max_steps))):
        options = workflow.triggers_from(state)
        if not options:
            break
        trigger = draw(st.sampled_from(options))
        triggers.append(trigger)
        row = workflow.move(state, trigger)
        assert row is not None
        state = row.dest
    return triggers
