"""The rules of :func:`~faultkit.lifecycle.eventlog.validate_event_log` by numpy, for sorted logs.

:class:`SortedLogCheck` takes an event log chunk by chunk (a chunk: each row's
incident id, state number - ``-1`` for a label the workflow lacks - and, for
``check_order``, its time in microseconds) and gives the row engine's detailed pass
for a log whose rows of one incident come together (sorted by incident), whatever it
holds. Per row, with the incident's rows before it in the log:

- the *previous known row* is the incident's last earlier row with a state; the
  row's *step* is its distance from the incident's first row with a state, 0 when
  there is none before it (rows with unknown labels before the first known one
  count for nothing, as in the row engine);
- a row with a state and a previous known row is a transition when the states
  differ, illegal when the workflow's table (a boolean matrix) lacks the pair, and
  (``check_order``) time-reversed when it is timestamped before that row;
- a row with a state and no previous known row is ``not_initial`` (``check_start``)
  when its state is not the workflow's initial one;
- a row without a state is an ``unknown_label`` violation.

Everything is computed on whole chunks with numpy (a running maximum gives each row
its previous known row; in a chunk whose labels all have a state, the usual case, it
is simply the row above in the same incident, and the step and previous row are only
worked out for the rows a violation names); Python only builds the violations,
through a callback that turns a row into its labels and times. The incident open at
the end of a chunk is carried into the next. Counts: transitions, and incidents (runs
of equal ids, each id being one run in a sorted log).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from faultkit.lifecycle.eventlog import Violation, ViolationKind

__all__ = ["Describe", "SortedLogCheck"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Describe = Callable[[int], tuple[str, str, datetime | None]]
"""A row of the chunk (its index there) -> its incident id, label and time."""


@attrs.define
class SortedLogCheck:
    """The checks of a log sorted by incident, a chunk at a time (module docstring).

    Args:
        allowed: ``allowed[a, b]``: the workflow's table allows state ``a`` to ``b``.
        names: the state name of each state number.
        initial: the initial state's number.
        check_start: flag incidents whose first known row is not in ``initial``.
        check_order: flag rows timestamped before their previous known row.
    """

    allowed: BoolArray
    names: list[str]
    initial: int
    check_start: bool = False
    check_order: bool = False
    rows: int = 0
    transitions: int = 0
    incidents: int = 0
    violations: list[Violation] = attrs.Factory(list)
    # the incident open at the end of the last chunk
    _last_id: Any = None
    _first_known: int = -1  # its first row with a state (log index), -1 for none yet
    _known_row: int = -1  # its last row with a state (log index)
    _known_state: int = -1
    _known_time: int = 0
    _known_text: tuple[str, str, datetime | None] = ("", "", None)  # its id, label, time

    def add(
        self,
        same: BoolArray,
        states: IntArray,
        times: IntArray | None,
        first_id: Any,
        last_id: Any,
        describe: Describe,
    ) -> None:
        """Check one chunk of ``len(states)`` rows.

        Args:
            same: ``same[i]`` for ``i >= 1``: row ``i`` has row ``i - 1``'s id
                (``same[0]`` is ignored: ``first_id`` is compared with the last chunk's).
            states: each row's state number, ``-1`` for an unknown label.
            times: each row's time in microseconds (``check_order`` only).
            first_id: the chunk's first id; last_id: its last.
            describe: a row of the chunk (by index) -> its id, label and time; called
                for the rows violations name and for the last known row of the chunk.
        """
        n = len(states)
        if n == 0:
            return
        base = self.rows
        same = same.copy()
        same[0] = self._last_id is not None and first_id == self._last_id
        if not same[0]:
            self._first_known = self._known_row = -1
        if bool((states >= 0).all()):
            self._add_known(same, states, times, describe)
        else:
            self._add_any(same, states, times, describe)
        self.rows = base + n
        self._last_id = last_id

    def _add_known(
        self, same: BoolArray, states: IntArray, times: IntArray | None, describe: Describe
    ) -> None:
        """:meth:`add` for a chunk whose rows all have a state (``same[0]`` set).

        A row's previous known row is the row above when it has that row's id (the
        carried incident's last known row for row 0), so no running maximum is needed;
        the step and previous row are worked out for the rows a violation names only.
        """
        n = len(states)
        base = self.rows
        carried = bool(same[0]) and self._known_row >= 0
        above = np.empty(n, np.int64)
        above[0] = self._known_state if carried else -1
        above[1:] = states[:-1]
        previous_state = np.where(same, above, -1)
        moved = previous_state >= 0
        changed = moved & (states != previous_state)
        illegal = changed & ~self.allowed.take(
            np.maximum(previous_state, 0) * len(self.names) + states
        )
        marks = illegal.copy()
        not_initial: BoolArray | None = None
        if self.check_start:
            not_initial = ~moved & (states != self.initial)
            marks |= not_initial
        reversed_: BoolArray | None = None
        if self.check_order and times is not None:
            earlier = np.empty(n, np.int64)
            earlier[0] = self._known_time
            earlier[1:] = times[:-1]
            reversed_ = moved & (times < earlier)
            marks |= reversed_
        starts = np.flatnonzero(~same)
        carried_first = self._first_known if self._first_known >= 0 else base
        if marks.any():
            marked = np.flatnonzero(marks)
            run = np.searchsorted(starts, marked, side="right") - 1
            run_starts = np.append(starts, 0).take(np.maximum(run, 0)) + base
            first = np.where(run >= 0, run_starts, carried_first)
            here = marked + base
            step = np.zeros(n, np.int64)
            step[marked] = np.where(first < here, here - first, 0)
            previous = np.full(n, -1, np.int64)
            previous[marked] = np.where(
                moved[marked], np.where(marked > 0, here - 1, self._known_row), -1
            )
            flags = (np.zeros(n, np.bool_), illegal, not_initial, reversed_)
            self._flag(marks, flags, step, previous, states, base, describe)
        self.transitions += int(np.count_nonzero(changed))
        self.incidents += len(starts)
        self._first_known = int(starts[-1]) + base if len(starts) else carried_first
        self._known_row = base + n - 1
        self._known_state = int(states[-1])
        self._known_text = describe(n - 1)
        if times is not None:
            self._known_time = int(times[-1])

    def _add_any(
        self, same: BoolArray, states: IntArray, times: IntArray | None, describe: Describe
    ) -> None:
        """:meth:`add` for any chunk (``same[0]`` set): unknown labels are skipped over."""
        n = len(states)
        base = self.rows
        index = np.arange(n, dtype=np.int64)
        starts = np.flatnonzero(~same)
        run = np.cumsum(~same) - 1  # each row's run; -1: the incident carried in
        run_start = np.where(run >= 0, np.append(starts, 0)[np.maximum(run, 0)], 0)
        known = states >= 0
        # the first known row (log index, -1 for none) of the carried run, then of each run
        first_known = np.full(len(starts) + 1, -1, np.int64)
        known_rows = np.flatnonzero(known)
        known_runs = run[known_rows]
        leading = np.ones(len(known_rows), np.bool_)
        leading[1:] = known_runs[1:] != known_runs[:-1]
        first_known[known_runs[leading] + 1] = known_rows[leading] + base
        if self._first_known >= 0:
            first_known[0] = self._first_known
        incident_first = first_known[run + 1]
        here = base + index
        step = np.where((incident_first >= 0) & (incident_first < here), here - incident_first, 0)
        # the previous known row: the last known one before, in the same run, or carried
        last_known = np.maximum.accumulate(np.where(known, index, -1))
        before = np.empty(n, np.int64)
        before[0] = -1
        before[1:] = last_known[:-1]
        inside = (before >= 0) & (before >= run_start)
        carried = ~inside & (run < 0) & (self._known_row >= 0)
        at_before = np.maximum(before, 0)
        previous = np.where(inside, before + base, np.where(carried, self._known_row, -1))
        previous_state = np.where(
            inside, states[at_before], np.where(carried, self._known_state, -1)
        )
        moved = known & (previous >= 0)
        changed = moved & (states != previous_state)
        illegal = changed & ~self.allowed[np.maximum(previous_state, 0), np.maximum(states, 0)]
        unknown = ~known
        marks = illegal | unknown
        not_initial: BoolArray | None = None
        if self.check_start:
            not_initial = known & (previous < 0) & (states != self.initial)
            marks |= not_initial
        reversed_: BoolArray | None = None
        if self.check_order and times is not None:
            previous_time = np.where(
                inside, times[at_before], np.where(carried, self._known_time, 0)
            )
            reversed_ = moved & (times < previous_time)
            marks |= reversed_
        if marks.any():
            flags = (unknown, illegal, not_initial, reversed_)
            self._flag(marks, flags, step, previous, states, base, describe)
        self.transitions += int(np.count_nonzero(changed))
        self.incidents += len(starts)
        # the incident open at the end: its first and last known rows
        last_run = int(run[-1])
        self._first_known = int(first_known[last_run + 1])
        tail = int(last_known[-1])
        if tail >= 0 and tail >= int(run_start[-1]):
            self._known_row = base + tail
            self._known_state = int(states[tail])
            self._known_text = describe(tail)
            if times is not None:
                self._known_time = int(times[tail])
        elif last_run >= 0:
            self._known_row = -1

    def _flag(
        self,
        marks: BoolArray,
        flags: tuple[BoolArray, BoolArray, BoolArray | None, BoolArray | None],
        step: IntArray,
        previous: IntArray,
        states: IntArray,
        base: int,
        describe: Describe,
    ) -> None:
        """The violations of the marked rows, in the row engine's order."""
        unknown, illegal, not_initial, reversed_ = flags
        names = self.names
        for i in np.flatnonzero(marks).tolist():
            incident, label, at = describe(i)
            row = base + i
            if unknown[i]:
                kind = ViolationKind.UNKNOWN_LABEL
                self.violations.append(
                    Violation(
                        kind=kind,
                        incident=incident,
                        row=row,
                        step=int(step[i]),
                        label=label,
                        to_state=None,
                        at=at,
                    )
                )
                continue
            state = names[int(states[i])]
            if not_initial is not None and not_initial[i]:
                self.violations.append(
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
                continue
            before = int(previous[i])
            if before >= base:
                _id, from_label, from_at = describe(before - base)
                from_state = names[int(states[before - base])]
            else:
                _id, from_label, from_at = self._known_text
                from_state = names[self._known_state]
            kinds = []
            if reversed_ is not None and reversed_[i]:
                kinds.append(ViolationKind.TIME_REVERSED)
            if illegal[i]:
                kinds.append(ViolationKind.ILLEGAL_TRANSITION)
            self.violations.extend(
                Violation(
                    kind=kind,
                    incident=incident,
                    row=row,
                    step=int(step[i]),
                    label=label,
                    to_state=state,
                    at=at,
                    from_label=from_label,
                    from_state=from_state,
                    from_at=from_at,
                )
                for kind in kinds
            )
