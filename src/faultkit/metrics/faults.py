"""Figures over :class:`~faultkit.lifecycle.Fault` records.

:func:`fault_rows` turns faults into the :class:`~faultkit.metrics.EventRow` stream
that :func:`~faultkit.metrics.handling_metrics` reads, so faults kept by an
application and exported event logs give the same figures by the same code: one row
for the state the fault started in, at its report time, then one row per entry of its
history.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from faultkit.lifecycle import Fault
from faultkit.metrics.rows import EventRow
from faultkit.scoring import Priority

__all__ = ["fault_rows"]


def fault_rows(faults: Iterable[Fault]) -> Iterator[EventRow]:
    """The event rows of each fault's history, fault after fault (lazily).

    Args:
        faults: the faults, read once.

    Yields:
        For each fault: a row in its first state at ``report.reported_at``, then one
        row per :class:`~faultkit.lifecycle.TransitionRecord`, each carrying the
        fault's current priority, severity, component and channel.
    """
    for fault in faults:
        report = fault.report
        history = fault.history
        opened = report.reported_at
        first = history[0].from_state if history else fault.state
        steps = [(first, opened), *((record.to_state, record.at) for record in history)]
        for label, at in steps:
            yield EventRow(
                incident=report.id,
                label=label,
                at=at,
                opened_at=opened,
                priority=None if fault.priority is None else Priority(fault.priority),
                severity=fault.severity,
                component=report.component,
                channel=report.channel,
            )
