"""Figures over :class:`~faultkit.lifecycle.Fault` records.

:func:`fault_rows` turns faults into the :class:`~faultkit.metrics.EventRow` stream
that :func:`~faultkit.metrics.handling_metrics` reads, so faults kept by an
application and exported event logs give the same figures by the same code: one row
for the state the fault started in, at its report time, then one row per state change
and per change of the priority or the severity, each with the values of that time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from faultkit.lifecycle import FactChange, Fault, TransitionRecord
from faultkit.metrics.rows import EventRow
from faultkit.models import Severity
from faultkit.scoring import Priority

__all__ = ["fault_rows"]

_ROW_FACTS = frozenset({"priority", "severity"})
"""The facts whose change is a row of its own (the columns an event row carries)."""


def fault_rows(faults: Iterable[Fault]) -> Iterator[EventRow]:
    """The event rows of each fault's stream, fault after fault (lazily).

    The rows an exported event log has (an audit export writes a row per update):

    - a row in the fault's first state at ``report.reported_at``, with the priority
      and severity given when it was opened (the fact changes at the report time
      before any transition);
    - a row per :class:`~faultkit.lifecycle.TransitionRecord` (its ``to_state`` at its
      time);
    - a row per later :class:`~faultkit.lifecycle.FactChange` of the priority or the
      severity (the state it was in, at the change's time).

    Each row carries the priority and severity *as they were at that event* (not the
    fault's current ones), and the report's component and channel. The last row of a
    fault carries its current priority and severity.

    Args:
        faults: the faults, read once.
    """
    for fault in faults:
        yield from _rows_of(fault)


def _rows_of(fault: Fault) -> Iterator[EventRow]:
    """The rows of one fault (see :func:`fault_rows`)."""
    report = fault.report
    opened = report.reported_at
    events = fault.events
    history = fault.history
    state = history[0].from_state if history else fault.state
    priority: int | None = None
    severity: Severity | None = None
    index = 0
    while index < len(events):  # the facts given with the report
        event = events[index]
        if type(event) is not FactChange or event.at != opened:
            break
        if event.fact == "priority":
            priority = event.after
        elif event.fact == "severity":
            severity = event.after
        index += 1

    def row(label: str, at: datetime) -> EventRow:
        return EventRow(
            incident=report.id,
            label=label,
            at=at,
            opened_at=opened,
            priority=None if priority is None else Priority(priority),
            severity=severity,
            component=report.component,
            channel=report.channel,
        )

    yield row(state, opened)
    for event in events[index:]:
        if type(event) is TransitionRecord:
            state = event.to_state
            yield row(state, event.at)
        elif type(event) is FactChange and event.fact in _ROW_FACTS:
            if event.fact == "priority":
                priority = event.after
            else:
                severity = event.after
            yield row(state, event.at)
