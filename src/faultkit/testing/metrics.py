"""Hypothesis strategies for the records of :mod:`faultkit.metrics`.

``event_logs()`` draws whole event logs: several faults, each a walk through a
workflow's table (legal moves only, with repeated rows and export labels), so
figures can be checked against rules that hold for any history.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from faultkit.lifecycle import ITIL, Workflow
from faultkit.metrics import DurationSummary, EventRow, Rate
from faultkit.models import IntakeChannel, Severity
from faultkit.scoring import Priority
from faultkit.testing.strategies import aware_datetimes

__all__ = ["duration_summaries", "event_logs", "event_rows", "fault_histories", "rates"]

_T0 = datetime(2024, 1, 1, tzinfo=UTC)


def rates() -> st.SearchStrategy[Rate]:
    """:class:`~faultkit.metrics.Rate` values (the numerator never above the denominator)."""
    return st.integers(min_value=0, max_value=10_000).flatmap(
        lambda d: st.builds(Rate, numerator=st.integers(0, d), denominator=st.just(d))
    )


@st.composite
def duration_summaries(draw: st.DrawFn) -> DurationSummary:
    """:class:`~faultkit.metrics.DurationSummary` values, empty ones included."""
    values = sorted(
        draw(st.lists(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400))))
    )
    if not values:
        return DurationSummary(n=0)
    return DurationSummary(
        n=len(values),
        mean=sum(values, timedelta(0)) / len(values),
        median=values[len(values) // 2],
        p90=values[(len(values) * 9) // 10],
        minimum=values[0],
        maximum=values[-1],
        exact=draw(st.booleans()),
    )


_FACTS: dict[str, st.SearchStrategy[Any]] = {
    "priority": st.none() | st.sampled_from(Priority),
    "severity": st.none() | st.sampled_from(Severity),
    "component": st.none() | st.sampled_from(["db", "web", "spooler"]),
    "channel": st.none() | st.sampled_from(IntakeChannel),
    "made_sla": st.none() | st.booleans(),
}


def event_rows() -> st.SearchStrategy[EventRow]:
    """Single :class:`~faultkit.metrics.EventRow` values with any facts."""
    return st.builds(
        EventRow,
        incident=st.text(min_size=1, max_size=12).filter(str.strip),
        label=st.sampled_from(sorted(ITIL.label_map)),
        at=aware_datetimes(),
        opened_at=st.none() | aware_datetimes(),
        **_FACTS,
    )


@st.composite
def fault_histories(
    draw: st.DrawFn,
    incident: str = "F-1",
    workflow: Workflow = ITIL,
    start: datetime = _T0,
    max_steps: int = 8,
) -> list[EventRow]:
    """The rows of one fault: a walk through ``workflow`` from its initial state.

    Each row moves along a pair of the table or repeats the current state (a field
    update); labels are drawn among the export labels of the state; gaps are 0 to 72
    hours, whole minutes.
    """
    labels: dict[str, list[str]] = {}
    for label, name in workflow.label_map.items():
        labels.setdefault(name, []).append(label)
    moves: dict[str, list[str]] = {}
    move_on = st.booleans()
    for source, dest in sorted(workflow.pairs):
        moves.setdefault(source, []).append(dest)
    facts: dict[str, Any] = {name: draw(strategy) for name, strategy in _FACTS.items()}
    at = start
    state = workflow.initial
    rows = [EventRow(incident=incident, label=draw(st.sampled_from(labels[state])), at=at, **facts)]
    for _ in range(draw(st.integers(min_value=0, max_value=max_steps))):
        options = moves.get(state, [])
        moving: bool = draw(move_on)
        if options and moving:
            state = draw(st.sampled_from(options))
        at = at + timedelta(minutes=draw(st.integers(min_value=0, max_value=72 * 60)))
        rows.append(
            EventRow(incident=incident, label=draw(st.sampled_from(labels[state])), at=at, **facts)
        )
    return rows


@st.composite
def event_logs(draw: st.DrawFn, workflow: Workflow = ITIL, max_faults: int = 6) -> list[EventRow]:
    """An event log of up to ``max_faults`` faults, rows of each fault together."""
    rows: list[EventRow] = []
    for index in range(draw(st.integers(min_value=0, max_value=max_faults))):
        opened = _T0 + timedelta(hours=draw(st.integers(min_value=0, max_value=24 * 60)))
        rows.extend(draw(fault_histories(f"F-{index:03d}", workflow, opened)))
    return rows
