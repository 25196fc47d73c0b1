"""Bulk validation of exported event logs against a workflow table.

An export of an ITSM tool has one row per update of an incident: its id, a state
label and a timestamp. :func:`validate_event_log` maps each label through the
workflow's label map, collapses consecutive rows in the same state (a field was
updated, not the state) and reports every transition the workflow does not allow,
with the incident id, the positions and the timestamps.

This is bulk work, so it reads the workflow *table* directly (one set lookup per
change of state) instead of firing the engine per event; a property test shows both
readers of the table agree. Rows of different incidents may be interleaved.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import attrs

from faultkit.lifecycle.workflow import Workflow

__all__ = ["EventLogReport", "Violation", "ViolationKind", "validate_event_log"]


class ViolationKind(enum.StrEnum):
    """What is wrong with a row of an event log."""

    ILLEGAL_TRANSITION = "illegal_transition"
    """The workflow has no trigger from the previous state to this one."""
    UNKNOWN_LABEL = "unknown_label"
    """The state label is not in the workflow's label map (the row is skipped)."""
    TIME_REVERSED = "time_reversed"
    """The row is timestamped earlier than the incident's previous row."""
    NOT_INITIAL = "not_initial"
    """The incident's first row is not in the initial state (only with ``check_start``)."""


@attrs.frozen(kw_only=True)
class Violation:
    """One problem found in an event log.

    Attributes:
        kind: what is wrong.
        incident: the incident id.
        row: the 0-based index of the offending row in the log.
        step: the 0-based index of the row among the incident's rows.
        label: the offending row's state label.
        to_state: the state that label maps to (``None`` for an unknown label).
        at: the offending row's timestamp (``None`` for a log without timestamps).
        from_label: the label of the incident's previous row, if any.
        from_state: the state of the incident's previous row, if any.
        from_at: the timestamp of the incident's previous row, if any.
    """

    kind: ViolationKind
    incident: str
    row: int
    step: int
    label: str
    to_state: str | None
    at: datetime | None
    from_label: str | None = None
    from_state: str | None = None
    from_at: datetime | None = None


@attrs.frozen(kw_only=True)
class EventLogReport:
    """The result of validating an event log.

    Attributes:
        workflow: the name of the workflow the log was checked against.
        events: rows read.
        incidents: distinct incident ids seen.
        transitions: changes of state found (repeated states collapsed).
        violations: every problem found, in log order.
    """

    workflow: str
    events: int
    incidents: int
    transitions: int
    violations: tuple[Violation, ...]

    @property
    def ok(self) -> bool:
        """No violation of any kind."""
        return not self.violations

    def of_kind(self, kind: ViolationKind) -> tuple[Violation, ...]:
        """The violations of one kind, in log order."""
        return tuple(item for item in self.violations if item.kind is kind)

    @property
    def illegal_transitions(self) -> tuple[Violation, ...]:
        """The transitions the workflow does not allow."""
        return self.of_kind(ViolationKind.ILLEGAL_TRANSITION)


def validate_event_log(
    rows: Iterable[tuple[str, str, datetime | None]],
    workflow: Workflow,
    *,
    check_start: bool = False,
    check_order: bool = False,
) -> EventLogReport:
    """Check an exported event log against ``workflow``'s table.

    Args:
        rows: ``(incident id, state label, timestamp)`` per row, in log order (rows of
            one incident in the order they happened; incidents may interleave). A log
            without timestamps gives ``None``: transitions are then checked in file
            order, and ``check_order`` skips the rows without one.
        workflow: the workflow; its :attr:`~faultkit.lifecycle.Workflow.label_map`
            turns labels into states.
        check_start: also report incidents whose first row is not in the initial
            state (off by default: exports often start in the middle of a history).
        check_order: also report rows timestamped earlier than their incident's
            previous row (off by default: it reads every timestamp, which costs
            about as much again as the rest). Timestamps must then be all naive or
            all aware.

    Returns:
        The :class:`EventLogReport`: counts, and each violation with incident id,
        positions, labels, states and timestamps.

    A first pass reads only incident ids and labels; when it finds a problem (or a
    check that needs more is asked for), a second pass collects the details.
    """
    if not isinstance(rows, Sequence):
        rows = list(rows)
    clean, transitions, incidents = _fast_pass(rows, workflow)
    if clean and not check_start and not check_order:
        return EventLogReport(
            workflow=workflow.name,
            events=len(rows),
            incidents=incidents,
            transitions=transitions,
            violations=(),
        )
    return _detailed_pass(rows, workflow, check_start=check_start, check_order=check_order)


def _moves(workflow: Workflow) -> dict[str, dict[str, Any]]:
    """``moves[state][next]`` is ``moves[next]`` for every move the workflow allows.

    One dict lookup per change of state both checks the move and steps to the next
    state's table.
    """
    moves: dict[str, dict[str, Any]] = {name: {} for name in workflow.state_names}
    for source, dest in workflow.pairs:
        moves[source][dest] = moves[dest]
    return moves


def _fast_pass(
    rows: Sequence[tuple[str, str, datetime | None]], workflow: Workflow
) -> tuple[bool, int, int]:
    """(no illegal transition or unknown label, transitions, incidents), read cheaply.

    Exports are usually sorted by incident id; while they are, an incident never comes
    back and nothing needs parking. The first time an id sorts lower than the one
    before, the reading restarts with :func:`_interleaved_pass`.
    """
    label_map = workflow._label_map  # the dict itself (the property is read-only)
    moves = _moves(workflow)
    current: str | None = None
    state = ""
    allowed: dict[str, Any] = {}
    transitions = 0
    incidents = 0
    clean = True
    for incident, label, _at in rows:
        try:
            new_state = label_map[label]
        except KeyError:
            clean = False
            continue
        if incident == current:
            # State names are canonical objects (see Workflow): identity tells them apart.
            if new_state is not state:
                transitions += 1
                state = new_state
                try:
                    allowed = allowed[new_state]
                except KeyError:
                    clean = False
                    allowed = moves[new_state]
            continue
        if current is not None and incident < current:
            return _interleaved_pass(rows, workflow, moves)
        current = incident
        incidents += 1
        state = new_state
        allowed = moves[new_state]
    return clean, transitions, incidents


def _interleaved_pass(
    rows: Sequence[tuple[str, str, datetime | None]],
    workflow: Workflow,
    moves: dict[str, dict[str, Any]],
) -> tuple[bool, int, int]:
    """The fast pass for logs whose incidents interleave: park each incident's state."""
    label_map = workflow._label_map
    parked: dict[str, str] = {}
    current: str | None = None
    state = ""
    allowed: dict[str, Any] = {}
    transitions = 0
    clean = True
    for incident, label, _at in rows:
        try:
            new_state = label_map[label]
        except KeyError:
            clean = False
            continue
        if incident == current:
            if new_state is not state:
                transitions += 1
                state = new_state
                try:
                    allowed = allowed[new_state]
                except KeyError:
                    clean = False
                    allowed = moves[new_state]
            continue
        if current is not None:
            parked[current] = state
        current = incident
        previous = parked.get(incident)
        if previous is not None and new_state is not previous:
            transitions += 1
            if new_state not in moves[previous]:
                clean = False
        state = new_state
        allowed = moves[new_state]
    if current is not None:
        parked[current] = state
    return clean, transitions, len(parked)


def _detailed_pass(
    rows: Sequence[tuple[str, str, datetime | None]],
    workflow: Workflow,
    *,
    check_start: bool,
    check_order: bool,
) -> EventLogReport:
    """Every violation with its positions: the slower reading, for logs with problems."""
    label_map = workflow.label_map
    pairs = workflow.pairs
    initial = workflow.initial
    last: dict[str, tuple[str, str, datetime | None, int]] = {}
    unknown_only: set[str] = set()  # incidents seen with unknown labels alone, so far
    violations: list[Violation] = []
    transitions = 0
    for row, (incident, label, at) in enumerate(rows):
        state = label_map.get(label)
        previous = last.get(incident)
        step = 0 if previous is None else previous[3] + 1
        if state is None:
            if previous is None:
                unknown_only.add(incident)
            violations.append(
                Violation(
                    kind=ViolationKind.UNKNOWN_LABEL,
                    incident=incident,
                    row=row,
                    step=step,
                    label=label,
                    to_state=None,
                    at=at,
                )
            )
            if previous is not None:
                last[incident] = (*previous[:3], step)
            continue
        if previous is None:
            if check_start and state != initial:
                violations.append(
                    Violation(
                        kind=ViolationKind.NOT_INITIAL,
                        incident=incident,
                        row=row,
                        step=0,
                        label=label,
                        to_state=state,
                        at=at,
                    )
                )
            last[incident] = (state, label, at, 0)
            continue
        from_state, _from_label, from_at, _ = previous
        if check_order and at is not None and from_at is not None and at < from_at:
            violations.append(
                _violation(
                    ViolationKind.TIME_REVERSED, incident, row, step, label, state, at, previous
                )
            )
        if state != from_state:
            transitions += 1
            if (from_state, state) not in pairs:
                violations.append(
                    _violation(
                        ViolationKind.ILLEGAL_TRANSITION,
                        incident,
                        row,
                        step,
                        label,
                        state,
                        at,
                        previous,
                    )
                )
        last[incident] = (state, label, at, step)
    return EventLogReport(
        workflow=workflow.name,
        events=len(rows),
        incidents=len(last) + len(unknown_only.difference(last)),
        transitions=transitions,
        violations=tuple(violations),
    )


def _violation(
    kind: ViolationKind,
    incident: str,
    row: int,
    step: int,
    label: str,
    state: str,
    at: datetime | None,
    previous: tuple[str, str, datetime | None, int],
) -> Violation:
    return Violation(
        kind=kind,
        incident=incident,
        row=row,
        step=step,
        label=label,
        to_state=state,
        at=at,
        from_label=previous[1],
        from_state=previous[0],
        from_at=previous[2],
    )
