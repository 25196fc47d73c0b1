"""The loops that read event rows fault by fault and feed the fold.

Internal to :mod:`faultkit.metrics`. :func:`read_contiguous` picks the wall-clock loop
(:func:`read_wall_clock`) when every duration is wall-clock time, and the general one
(:func:`read_general`, business calendars too) otherwise; a property test shows both
give the same report. :func:`read_interleaved` gathers the rows of each fault first.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from faultkit.metrics._accumulators import (
    CLOSED,
    COMPACT_EVERY,
    OPEN,
    RESOLVED,
    START,
    Accumulator,
)
from faultkit.metrics._fold import Fold
from faultkit.metrics.grouping import GroupValue
from faultkit.metrics.reliability import Timeline
from faultkit.scoring import Priority

__all__ = ["read_contiguous", "read_general", "read_interleaved", "read_wall_clock"]

_ZERO = timedelta(0)
_ADD_EVERY = 4096  # faults the wall-clock loop keeps pending before adding them up


def read_contiguous(
    rows: Iterable[Any], infos: dict[str, tuple[int, bool]], fold: Fold
) -> tuple[int, int, int, int, list[str]]:
    """Read rows whose faults come together: the wall-clock loop when it applies."""
    if fold.wall_clock:
        return read_wall_clock(rows, infos, fold)
    return read_general(rows, infos, fold)


def read_general(
    rows: Iterable[Any], infos: dict[str, tuple[int, bool]], fold: Fold
) -> tuple[int, int, int, int, list[str]]:
    """The loop for every case (business calendars too): :meth:`Fold.finish` per fault."""
    finish = fold.finish
    n_rows = 0
    n_faults = 0
    transitions = 0
    unknown = 0
    examples: list[str] = []
    current: str | None = None
    state: tuple[int, bool] = START
    last: Any = None
    opened: datetime = fold.now
    ack: datetime | None = None
    resolved: datetime | None = None
    resolved_once = False
    closed: datetime | None = None
    reopens = 0
    spans: list[datetime] = []
    first_index = unknown_before = 0  # the fault's first row, unknown rows before it
    for n_rows, row in enumerate(rows, 1):
        try:
            info = infos[row.label]
        except KeyError:
            unknown += 1
            if len(examples) < 10 and row.label not in examples:
                examples.append(row.label)
            continue
        incident = row.incident
        if incident != current:
            if current is not None:
                rows_of = n_rows - first_index - (unknown - unknown_before)
                finish(opened, last, ack, resolved, resolved_once, closed, reopens, spans, rows_of)
            current = incident
            first_index, unknown_before = n_rows, unknown
            n_faults += 1
            opened = row.opened_at or row.at
            state = START
            ack = resolved = closed = None
            resolved_once = False
            reopens = 0
            spans = []
            transitions -= 1  # the first row is not a change of state
        if info is not state:
            transitions += 1
            at = row.at
            if state[1] and not info[1]:  # the resolution clock stops
                spans.append(at)
            code = info[0]
            if code == RESOLVED:
                resolved = at
                resolved_once = True
            elif code == CLOSED:
                if closed is None:
                    closed = at
            elif state[0] >= RESOLVED:
                reopens += 1
                resolved = closed = None
            if ack is None and code:
                ack = at
            if info[1] and not state[1]:  # the resolution clock starts
                spans.append(opened if state is START else at)
            state = info
        last = row
    if current is not None:
        rows_of = n_rows + 1 - first_index - (unknown - unknown_before)
        finish(opened, last, ack, resolved, resolved_once, closed, reopens, spans, rows_of)
    return n_rows, n_faults, transitions, unknown, examples


_SECONDS = timedelta.total_seconds
_END_LABEL = object()  # the label (and incident) of the sentinel row after the last one


class _End:
    """The sentinel row after the last one: a new fault, so the last fault is finished."""

    __slots__ = ()
    label = _END_LABEL
    incident = _END_LABEL


_END = _End()


class _Pending:
    """The faults of one group not yet added to its :class:`Accumulator`: plain lists.

    The durations are timedeltas (turned into seconds in bulk by :meth:`add_to`); the
    outcomes are tuples ``(resolved once, reopened, response met, resolution met,
    exported SLA flag)``, counted in bulk; ``breached_rows`` adds up the rows of the
    faults whose resolution SLA was breached.
    """

    __slots__ = ("acc", "ack", "age", "breached_rows", "close", "outcomes", "resolve")

    def __init__(self, acc: Accumulator) -> None:
        self.acc = acc
        self.ack: list[timedelta] = []
        self.resolve: list[timedelta] = []
        self.close: list[timedelta] = []
        self.age: list[timedelta] = []
        self.outcomes: list[tuple[bool, bool, bool | None, bool | None, bool | None]] = []
        self.breached_rows = 0

    def add_to(self, fold: Fold) -> None:
        """Add the pending faults to the accumulator and empty the lists.

        Negative durations are counted in ``fold.clamped`` and taken as zero, as
        :meth:`Fold.clamp` does.
        """
        acc = self.acc
        for pending, durations in (
            (self.ack, acc.ack),
            (self.resolve, acc.resolve),
            (self.close, acc.close),
            (self.age, acc.open_age),
        ):
            if pending:
                seconds = list(map(_SECONDS, pending))
                pending.clear()
                if min(seconds) < 0.0:
                    fold.clamped += sum(1 for x in seconds if x < 0.0)
                    seconds = [0.0 if x < 0.0 else x for x in seconds]
                durations.values.extend(seconds)
        outcomes = self.outcomes
        acc.faults += len(outcomes)
        acc.breached_rows += self.breached_rows
        self.breached_rows = 0
        for (resolved_once, reopened, response, resolution, made), count in Counter(
            outcomes
        ).items():
            if resolved_once:
                acc.resolved_once += count
                if reopened:
                    acc.reopened += count
            if response is not None:
                acc.response_decided += count
                if response:
                    acc.response_met += count
            if resolution is not None:
                acc.sla_decided += count
                if resolution:
                    acc.sla_met += count
            if made is not None:
                acc.flagged += count
                if made:
                    acc.made += count
        outcomes.clear()


def _add_openings(
    components: dict[Any, Timeline], openings: dict[Any, list[tuple[datetime, datetime | None]]]
) -> None:
    """Add the faults gathered per component, ``(opened, restored)``, to their timelines."""
    for component, outages in openings.items():
        timeline = components.get(component)
        if timeline is None:
            timeline = components[component] = Timeline()
        timeline.add_many(outages)
    openings.clear()


def read_wall_clock(
    rows: Iterable[Any], infos: dict[str, tuple[int, bool]], fold: Fold
) -> tuple[int, int, int, int, list[str]]:
    """The hot loop for wall-clock figures: what :func:`read_general` computes, faster.

    Per row: two attribute reads, a dict lookup and two comparisons. Per change of
    state: a few more. Per fault: its durations as timedeltas (the SLA clocks compare
    them with the targets exactly), appended with its outcomes to its group's
    :class:`_Pending` lists, and its opening time to its component's list. Every
    ``_ADD_EVERY`` faults the pending faults go to the group accumulators in bulk;
    every ``COMPACT_EVERY`` faults (the points where :meth:`Fold.finish` compacts,
    so the exact-or-sketched outcome is the same) these are compacted.
    """
    now = fold.now
    sla_on = bool(fold.targets)
    by_level = fold.by_level
    # The same states (one tuple object each), with a running clock only with SLA.
    local: dict[Any, tuple[int, bool]] = {}
    renamed: dict[int, tuple[int, bool]] = {}
    for label, info in infos.items():
        mine = renamed.get(id(info))
        if mine is None:
            mine = renamed[id(info)] = (info[0], info[1] and sla_on)
        local[label] = mine
    local[_END_LABEL] = (OPEN, False)
    # A fault's group: none, one non-period dimension (looked up by its raw value),
    # or a key made by the fold.
    mode = 0 if not fold.group_by else (1 if fold.simple is not None else 2)
    getter: Any = fold.simple
    pendings: list[_Pending] = []
    by_key: dict[tuple[GroupValue, ...], _Pending] = {}
    by_value: dict[Any, _Pending] = {}
    overall = _Pending(fold.overall)
    if mode == 0:
        pendings.append(overall)

    def pending_of(key: tuple[GroupValue, ...]) -> _Pending:
        found = by_key.get(key)
        if found is None:
            found = by_key[key] = _Pending(fold.group_acc(key))
            pendings.append(found)
        return found

    openings: dict[Any, list[tuple[datetime, datetime | None]]] = {}
    components = fold.components
    accs = fold.accs
    since = fold.pending  # faults since the last compaction, before ``step``
    countdown = step = min(_ADD_EVERY, COMPACT_EVERY - since)
    n_rows = 0
    n_faults = 0
    transitions = 0
    unknown = 0
    examples: list[str] = []
    current: Any = None
    state: tuple[int, bool] = START
    code = OPEN  # the category code of ``state``
    runs = False  # the resolution clock runs in ``state``
    last: Any = None
    opened: datetime = now
    start: datetime = now  # when the clock last started running
    running = _ZERO  # the clock's time before ``start``
    ack: datetime | None = None
    resolved: datetime | None = None
    resolved_once = False
    closed: datetime | None = None
    reopened = False
    first_index = unknown_before = 0  # the fault's first row, unknown rows before it
    fixes = clock_fixes = 0  # clock stretches counted as zero: this fault's, all faults'
    for n_rows, row in enumerate(itertools.chain(rows, (_END,))):
        try:
            info = local[row.label]
        except KeyError:
            unknown += 1
            if len(examples) < 10 and row.label not in examples:
                examples.append(row.label)
            continue
        if info is state and row.incident == current:  # a field was updated, not the state
            last = row
            continue
        incident = row.incident
        if incident != current:
            if current is not None:
                # The fault that ended at the previous row, ``last``.
                if mode == 1:
                    value = getter(last)
                    pending = by_value.get(value)
                    if pending is None:
                        pending = by_value[value] = pending_of(fold.plain_key(value))
                elif mode == 0:
                    pending = overall
                else:
                    pending = pending_of(fold.key(opened, last))
                response_met = resolution_met = None
                if ack is None:  # never left the open states: not resolved or closed
                    age = now - opened
                    pending.age.append(age)
                else:
                    acked = ack - opened
                    pending.ack.append(acked)
                    if resolved is not None:
                        pending.resolve.append(resolved - opened)
                    if closed is not None:
                        pending.close.append(closed - opened)
                    if resolved is None and closed is None:
                        age = now - opened
                        pending.age.append(age)
                if sla_on:
                    priority = last.priority
                    # A list index, not a dict lookup, for the usual Priority member.
                    found = (
                        by_level[priority]
                        if type(priority) is Priority
                        or (
                            type(priority) is not bool
                            and isinstance(priority, int)
                            and 0 < priority < 6
                        )
                        else None
                    )
                    if found is not None:
                        response, resolution = found[0], found[1]
                        if ack is not None:
                            response_met = acked <= response
                        elif age > response:
                            response_met = False
                        if runs:
                            if now < start:
                                fixes += 1
                            else:
                                running += now - start
                        clock_fixes += fixes
                        if resolved is not None:
                            resolution_met = running <= resolution
                        elif running > resolution:
                            resolution_met = False
                if resolution_met is False:
                    pending.breached_rows += n_rows - first_index - (unknown - unknown_before)
                made = last.made_sla
                pending.outcomes.append(
                    (
                        resolved_once,
                        reopened,
                        response_met,
                        resolution_met,
                        made if made is None or made is True or made is False else bool(made),
                    )
                )
                component = last.component
                outage = (opened, resolved if resolved is not None else closed)
                times = openings.get(component)
                if times is None:
                    openings[component] = [outage]
                else:
                    times.append(outage)
                countdown -= 1
                if not countdown:
                    # Pending faults go to the accumulators every _ADD_EVERY faults
                    # (memory); these are compacted every COMPACT_EVERY, as finish does.
                    since += step
                    for each in pendings:
                        each.add_to(fold)
                    _add_openings(components, openings)
                    if since >= COMPACT_EVERY:
                        since = 0
                        for acc in accs:
                            acc.compact()
                    countdown = step = min(_ADD_EVERY, COMPACT_EVERY - since)
            if row is _END:
                break
            current = incident
            first_index, unknown_before = n_rows, unknown
            n_faults += 1
            opened = row.opened_at or row.at
            # The first row: an entry into its state, not a change of state.
            code, runs = info
            resolved = closed = None
            resolved_once = reopened = False
            running = _ZERO
            fixes = 0
            start = opened
            if code:
                ack = at = row.at
                if code == RESOLVED:
                    resolved = at
                    resolved_once = True
                elif code == CLOSED:
                    closed = at
            else:
                ack = None
            state = info
            last = row
            continue
        # A change of state within the fault.
        transitions += 1
        at = row.at
        was = code
        if runs is not info[1]:
            if runs:
                if at < start:  # rows out of time order: the stretch counts as zero
                    fixes += 1
                else:
                    running += at - start
            else:
                start = at
        code, runs = info
        if code == RESOLVED:
            resolved = at
            resolved_once = True
        elif code == CLOSED:
            if closed is None:
                closed = at
        elif was >= RESOLVED:
            reopened = True
            resolved = closed = None
        if ack is None and code:
            ack = at
        state = info
        last = row
    for each in pendings:
        each.add_to(fold)
    _add_openings(components, openings)
    fold.pending = since + step - countdown
    fold.clamped += clock_fixes
    return n_rows, n_faults, transitions, unknown, examples


def read_interleaved(
    rows: Iterable[Any], infos: dict[str, tuple[int, bool]], fold: Fold
) -> tuple[int, int, int, int, list[str]]:
    """Rows of faults in any order: gather them by fault first, then read each fault."""
    by_fault: dict[str, list[Any]] = {}
    n_rows = 0
    for n_rows, row in enumerate(rows, 1):  # noqa: B007 - n_rows is read after the loop
        found = by_fault.get(row.incident)
        if found is None:
            by_fault[row.incident] = [row]
        else:
            found.append(row)
    ordered = (row for fault_rows in by_fault.values() for row in fault_rows)
    _, n_faults, transitions, unknown, examples = read_contiguous(ordered, infos, fold)
    return n_rows, n_faults, transitions, unknown, examples
