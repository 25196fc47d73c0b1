"""Response and repair figures over event rows: one streamed pass, grouped, with sizes.

The input is one :class:`EventRow` per update of a fault (an exported event log, or the
history of :class:`~faultkit.lifecycle.Fault` records turned into rows by
:func:`faultkit.metrics.fault_rows`). Each row's state label goes through the
workflow's label map to a state, and the state's *category* (open, active, on hold,
resolved, closed) decides what the row means. Consecutive rows in the same state are
one stay (a field was updated, not the state).

Per fault, from the time it was opened (``opened_at`` of its first row, or that row's
``at``):

- **time to acknowledge**: until the first row in a state that is not of the *open*
  category (taken into work, put on hold, resolved or closed);
- **time to resolve**: until the last entry into a *resolved* state, if the fault was
  not reopened after it (a fault closed or cancelled without passing a resolved state
  has no time to resolve);
- **time to close**: until the first entry into a *closed* state;
- **reopened**: it went from a resolved or closed state back to an open, active or
  on-hold one at least once; **reopen rate** = reopened / resolved at least once;
- **SLA attainment** (with ``sla``, a :class:`~faultkit.lifecycle.SlaPolicy`: targets
  and business calendars per priority). Resolution: resolved with the resolution
  clock (the time spent in open and active states that do not pause the SLA; on-hold
  and resolved stretches do not count) at most the target; a fault not resolved
  (still open at ``now``, or closed without a resolution) counts as breached once its
  clock has run past the target and is left out otherwise; attainment = met /
  (met + breached). Response: left the open states within the response target.
  These are the clocks of :func:`faultkit.lifecycle.sla_status`, read from rows (a
  property test shows they agree); figures per priority take the fault's last
  priority;
- **exported SLA flag**: the share of faults whose last row says the SLA was made
  (ServiceNow's ``made_sla``), where the export gives one;
- **open at the end**: not resolved or closed at the last row, with its age at ``now``.

**MTBF** per component is the mean gap between the opening times of successive faults
of that component: ``(last opened - first opened) / (faults - 1)`` (the gaps telescope,
so the order the faults are read in does not matter).

Rows of one fault must come together (as in every export sorted by incident); with
``contiguous=False`` they may interleave, at the cost of keeping every fault in
memory until the end.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from operator import attrgetter
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.feedback.periods import Period
from faultkit.lifecycle import (
    ROUND_THE_CLOCK,
    BusinessCalendar,
    SlaPolicy,
    StateCategory,
    Workflow,
)
from faultkit.metrics.grouping import (
    Dimension,
    GroupValue,
    check_dimensions,
    check_period,
    check_tz,
    period_keyer,
    periods_between,
    sort_key,
)
from faultkit.metrics.stats import DEFAULT_EXACT_LIMIT, DurationSummary, Rate, _Durations
from faultkit.models import IntakeChannel, Severity
from faultkit.scoring import Priority

__all__ = [
    "EventRow",
    "Group",
    "HandlingFigures",
    "HandlingReport",
    "MtbfFigure",
    "handling_metrics",
]


def _to_priority(value: Any) -> Any:
    """attrs converter: a plain int 1-5 becomes a :class:`Priority`."""
    if type(value) is int and 1 <= value <= 5:
        return Priority(value)
    return value


@attrs.frozen(kw_only=True)
class EventRow:
    """One row of an event log: a fault's state at a time, and its facts then.

    Attributes:
        incident: the fault (incident) id.
        label: the state label as exported (``"Awaiting User Info"``) or a state name;
            the workflow's label map turns it into a state.
        at: when the row was recorded (timezone-aware).
        opened_at: when the fault was opened, if the export says (read from the
            fault's first row; defaults to that row's ``at``).
        priority: the priority then (1 highest to 5), if known.
        severity: the severity then, if known.
        component: the component (or configuration item) at fault, if known.
        channel: the channel the fault came in through, if known.
        made_sla: the export's own flag that the SLA was made, if it has one (read
            from the fault's last row).
    """

    incident: str = attrs.field(validator=v.non_empty_str)
    label: str = attrs.field(validator=v.non_empty_str)
    at: datetime = attrs.field(validator=v.aware_datetime)
    opened_at: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    priority: Priority | None = attrs.field(
        default=None, converter=_to_priority, validator=v.optional_member_of(Priority)
    )
    severity: Severity | None = attrs.field(default=None, validator=v.optional_member_of(Severity))
    component: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    channel: IntakeChannel | None = attrs.field(
        default=None, validator=v.optional_member_of(IntakeChannel)
    )
    made_sla: bool | None = attrs.field(default=None, validator=v.optional_bool)


@attrs.frozen(kw_only=True)
class HandlingFigures:
    """The response and repair figures of one group of faults.

    Attributes:
        faults: how many faults the group holds.
        time_to_acknowledge: opened -> first state not in the open category.
        time_to_resolve: opened -> final resolution (faults resolved at the end).
        time_to_close: opened -> first closed state.
        reopen_rate: faults reopened / faults resolved at least once.
        response_sla: faults that left the open states within their response
            target / faults decided (met, or past the target), or ``None`` when no
            SLA policy was given.
        resolution_sla: faults resolved within their resolution target / faults
            decided (resolved, or unresolved past the target), or ``None`` when no
            SLA policy was given.
        exported_sla: faults whose export flag says the SLA was made / faults with a
            flag.
        open_at_end: faults neither resolved nor closed at their last row.
        open_age: the age at ``now`` of the faults open at the end.
    """

    faults: int
    time_to_acknowledge: DurationSummary
    time_to_resolve: DurationSummary
    time_to_close: DurationSummary
    reopen_rate: Rate
    response_sla: Rate | None
    resolution_sla: Rate | None
    exported_sla: Rate
    open_at_end: int
    open_age: DurationSummary

    @property
    def empty(self) -> bool:
        """The group holds no fault."""
        return self.faults == 0


@attrs.frozen(kw_only=True)
class Group:
    """The figures of the faults sharing one group key.

    Attributes:
        key: one value per grouping dimension, in the order asked for.
        figures: the group's figures (``figures.empty`` for a period with no fault).
    """

    key: tuple[GroupValue, ...]
    figures: HandlingFigures


@attrs.frozen(kw_only=True)
class MtbfFigure:
    """Mean time between failures of one component.

    Attributes:
        component: the component (``None`` collects faults with no component).
        faults: how many faults were opened in it.
        first_opened: when the first of them was opened.
        last_opened: when the last of them was opened.
        mtbf: ``(last_opened - first_opened) / (faults - 1)``; ``None`` with fewer
            than two faults (no gap to measure).
    """

    component: str | None
    faults: int
    first_opened: datetime
    last_opened: datetime
    mtbf: timedelta | None


@attrs.frozen(kw_only=True)
class HandlingReport:
    """Every response and repair figure of an event log, overall and per group.

    Attributes:
        rows: rows read.
        faults: faults (incidents) seen.
        transitions: changes of state (repeated states collapsed).
        unknown_labels: rows skipped because their label is not in the label map.
        unknown_label_examples: up to ten distinct such labels, in order of first sight.
        clamped: durations that came out negative (a row timestamped before the
            fault was opened) and were counted as zero.
        group_by: the dimensions of the group keys.
        overall: the figures over every fault.
        groups: the figures per group key, sorted by key (``None`` last); when grouping
            by period alone, every period from the first to the last is listed, the
            empty ones too.
        mtbf: mean time between failures per component, by component name.
    """

    rows: int
    faults: int
    transitions: int
    unknown_labels: int
    unknown_label_examples: tuple[str, ...]
    clamped: int
    group_by: tuple[Dimension, ...]
    overall: HandlingFigures
    groups: tuple[Group, ...]
    mtbf: tuple[MtbfFigure, ...]

    def group(self, *key: GroupValue) -> HandlingFigures:
        """The figures of the group with this key, or empty figures if it has no fault.

        Args:
            *key: one value per dimension of :attr:`group_by`, in that order.

        Raises:
            InvalidInputError: the key has the wrong number of values.
        """
        if len(key) != len(self.group_by):
            raise InvalidInputError(
                "key", key, f"expected {len(self.group_by)} value(s), one per {self.group_by}"
            )
        for group in self.groups:
            if group.key == key:
                return group.figures
        return _Acc(1).figures(self.overall.resolution_sla is not None)


# Category codes used in the hot loop.
_OPEN, _ACTIVE, _HOLD, _RESOLVED, _CLOSED = 0, 1, 2, 3, 4
_CODES = {
    StateCategory.OPEN: _OPEN,
    StateCategory.ACTIVE: _ACTIVE,
    StateCategory.ON_HOLD: _HOLD,
    StateCategory.RESOLVED: _RESOLVED,
    StateCategory.CLOSED: _CLOSED,
}
_ZERO = timedelta(0)
_US = timedelta(microseconds=1)
_COMPACT_EVERY = 4096  # faults between checks of the exact-value lists
_ADD_EVERY = 4096  # faults the wall-clock loop keeps pending before adding them up


class _Acc:
    """The accumulators of one group: plain lists and counters, cheap to add to."""

    __slots__ = (
        "ack",
        "close",
        "faults",
        "flagged",
        "made",
        "open_age",
        "reopened",
        "resolve",
        "resolved_once",
        "response_decided",
        "response_met",
        "sla_decided",
        "sla_met",
    )

    def __init__(self, limit: int) -> None:
        self.faults = 0
        self.ack = _Durations(limit)
        self.resolve = _Durations(limit)
        self.close = _Durations(limit)
        self.open_age = _Durations(limit)
        self.resolved_once = 0
        self.reopened = 0
        self.sla_met = 0
        self.sla_decided = 0
        self.response_met = 0
        self.response_decided = 0
        self.made = 0
        self.flagged = 0

    @classmethod
    def merge(cls, parts: list[_Acc], limit: int) -> _Acc:
        """One accumulator holding everything ``parts`` hold."""
        out = cls(limit)
        for name in cls.__slots__:
            first = getattr(out, name)
            if isinstance(first, _Durations):
                setattr(out, name, _Durations.merge([getattr(p, name) for p in parts], limit))
            else:
                setattr(out, name, sum(getattr(p, name) for p in parts))
        return out

    def compact(self) -> None:
        self.ack.compact()
        self.resolve.compact()
        self.close.compact()
        self.open_age.compact()

    def figures(self, with_sla: bool) -> HandlingFigures:
        return HandlingFigures(
            faults=self.faults,
            time_to_acknowledge=self.ack.summary(),
            time_to_resolve=self.resolve.summary(),
            time_to_close=self.close.summary(),
            reopen_rate=Rate(numerator=self.reopened, denominator=self.resolved_once),
            response_sla=Rate(numerator=self.response_met, denominator=self.response_decided)
            if with_sla
            else None,
            resolution_sla=Rate(numerator=self.sla_met, denominator=self.sla_decided)
            if with_sla
            else None,
            exported_sla=Rate(numerator=self.made, denominator=self.flagged),
            open_at_end=self.open_age.n,
            open_age=self.open_age.summary(),
        )


def _state_infos(workflow: Workflow) -> dict[str, tuple[int, bool]]:
    """label -> (category code, resolution clock runs); one tuple object per state.

    The tuple's identity stands for the state, so the hot loop tells states apart with
    ``is``. The resolution clock runs in open and active states that do not pause SLA
    clocks (as in :func:`faultkit.lifecycle.sla_status`).
    """
    per_state: dict[str, tuple[int, bool]] = {}
    out: dict[str, tuple[int, bool]] = {}
    for label, name in workflow.label_map.items():
        info = per_state.get(name)
        if info is None:
            state = workflow.state(name)
            code = _CODES[state.category]
            runs = code in (_OPEN, _ACTIVE) and not state.pauses_sla
            info = per_state[name] = (code, runs)
        out[label] = info
    return out


class _Fold:
    """Turns each fault's times into figures, adding them to the group accumulators."""

    def __init__(
        self,
        *,
        now: datetime,
        group_by: tuple[Dimension, ...],
        period: Period,
        tz: tzinfo,
        sla: SlaPolicy | None,
        calendar: BusinessCalendar | None,
        exact_limit: int,
    ) -> None:
        self.now = now
        self.limit = exact_limit
        self.overall = _Acc(exact_limit)
        self.accs: list[_Acc] = [self.overall]
        self.groups: dict[tuple[GroupValue, ...], _Acc] = {}
        self.components: dict[str | None, list[Any]] = {}
        self.clamped = 0
        self.pending = 0
        self.group_by = group_by
        self.calendar = calendar
        self.sla = sla
        # priority -> (response target, resolution target, calendar or None for 24x7)
        self.targets: dict[int, tuple[timedelta, timedelta, BusinessCalendar | None]] = {}
        if sla is not None:
            for level, target in sla.targets.items():
                cal: BusinessCalendar | None = sla.calendar_for(level)
                if cal == ROUND_THE_CLOCK:
                    cal = None
                self.targets[level] = (target.response, target.resolution, cal)
        self.by_level: list[tuple[timedelta, timedelta, BusinessCalendar | None] | None] = [
            self.targets.get(level) for level in range(6)
        ]
        self.keyer = period_keyer(period, tz) if Dimension.PERIOD in group_by else None
        names = [d.value for d in group_by if d is not Dimension.PERIOD]
        self.getter = attrgetter(*names) if names else None
        self.position = group_by.index(Dimension.PERIOD) if self.keyer is not None else -1
        self.single = len(names) == 1
        self.simple = self.getter if self.single and self.keyer is None else None
        # Wall-clock durations and round-the-clock SLA clocks: the fast loop applies.
        self.wall_clock = calendar is None and all(t[2] is None for t in self.targets.values())

    def plain_key(self, value: Any) -> tuple[GroupValue, ...]:
        """The group key of a fault whose one (non-period) dimension has this value."""
        if value is not None and type(value) is not str:
            value = int(value) if isinstance(value, int) else _plain_value(value)
        return (value,)

    def group_acc(self, key: tuple[GroupValue, ...]) -> _Acc:
        """The accumulator of a group key, made on first sight."""
        acc = self.groups.get(key)
        if acc is None:
            acc = self.groups[key] = _Acc(self.limit)
            self.accs.append(acc)
        return acc

    def key(self, opened: datetime, last: Any) -> tuple[GroupValue, ...]:
        """The group key of a fault, with plain values (see :func:`_plain_value`)."""
        getter = self.getter
        if getter is None:
            values: list[GroupValue] = []
        elif self.single:
            values = [_plain_value(getter(last))]
        else:
            values = [_plain_value(value) for value in getter(last)]
        keyer = self.keyer
        if keyer is not None:
            values.insert(self.position, keyer(opened))
        return tuple(values)

    def between(self, start: datetime, end: datetime) -> float:
        """Seconds from ``start`` to ``end``, wall or business time; negatives clamped."""
        calendar = self.calendar
        if calendar is None:
            seconds = (end - start).total_seconds()
        elif end < start:
            seconds = -1.0
        else:
            seconds = calendar.between(start, end).total_seconds()
        if seconds < 0.0:
            self.clamped += 1
            return 0.0
        return seconds

    def clamp(self, seconds: float | None) -> float | None:
        """A negative duration counted (in :attr:`clamped`) and taken as zero."""
        if seconds is not None and seconds < 0.0:
            self.clamped += 1
            return 0.0
        return seconds

    def finish(
        self,
        opened: datetime,
        last: Any,
        ack: datetime | None,
        resolved: datetime | None,
        resolved_once: bool,
        closed: datetime | None,
        reopens: int,
        spans: list[datetime],
    ) -> None:
        now = self.now
        if self.calendar is None:
            ack_s = None if ack is None else (ack - opened).total_seconds()
            res_s = None if resolved is None else (resolved - opened).total_seconds()
            close_s = None if closed is None else (closed - opened).total_seconds()
            age_s = (now - opened).total_seconds() if resolved is None and closed is None else None
            if (
                (ack_s is not None and ack_s < 0.0)
                or (res_s is not None and res_s < 0.0)
                or (close_s is not None and close_s < 0.0)
                or (age_s is not None and age_s < 0.0)
            ):
                ack_s, res_s, close_s, age_s = map(self.clamp, (ack_s, res_s, close_s, age_s))
        else:
            between = self.between
            ack_s = None if ack is None else between(opened, ack)
            res_s = None if resolved is None else between(opened, resolved)
            close_s = None if closed is None else between(opened, closed)
            age_s = between(opened, now) if resolved is None and closed is None else None
        response_met = resolution_met = None
        if self.targets:
            priority = last.priority
            # A list index, not a dict lookup: hashing an IntEnum member runs Python code.
            found = (
                self.by_level[priority]
                if type(priority) is not bool and isinstance(priority, int) and 0 < priority < 6
                else None
            )
            if found is not None:
                response_met, resolution_met = _sla(
                    found, opened, ack, resolved, closed, spans, now
                )
        made = last.made_sla
        if self.group_by:
            simple = self.simple
            if simple is not None:
                value: Any = simple(last)
                if value is not None and type(value) is not str:
                    value = int(value) if isinstance(value, int) else _plain_value(value)
                key = (value,)
            else:
                key = self.key(opened, last)
            acc = self.groups.get(key)
            if acc is None:
                acc = self.groups[key] = _Acc(self.limit)
                self.accs.append(acc)
        else:
            # With groups, the overall figures are the groups' merged at the end.
            acc = self.overall
        acc.faults += 1
        if ack_s is not None:
            acc.ack.values.append(ack_s)
        if res_s is not None:
            acc.resolve.values.append(res_s)
        if close_s is not None:
            acc.close.values.append(close_s)
        if age_s is not None:
            acc.open_age.values.append(age_s)
        if resolved_once:
            acc.resolved_once += 1
            if reopens:
                acc.reopened += 1
        if response_met is not None:
            acc.response_decided += 1
            if response_met:
                acc.response_met += 1
        if resolution_met is not None:
            acc.sla_decided += 1
            if resolution_met:
                acc.sla_met += 1
        if made is not None:
            acc.flagged += 1
            if made:
                acc.made += 1
        component = last.component
        seen = self.components.get(component)
        if seen is None:
            self.components[component] = [1, opened, opened]
        else:
            seen[0] += 1
            if opened < seen[1]:
                seen[1] = opened
            elif opened > seen[2]:
                seen[2] = opened
        self.pending += 1
        if self.pending >= _COMPACT_EVERY:
            self.pending = 0
            for acc in self.accs:
                acc.compact()


def _sla(
    found: tuple[timedelta, timedelta, BusinessCalendar | None],
    opened: datetime,
    ack: datetime | None,
    resolved: datetime | None,
    closed: datetime | None,
    spans: list[datetime],
    now: datetime,
) -> tuple[bool | None, bool | None]:
    """(response met, resolution met); ``None`` where not decided yet at ``now``.

    ``spans`` holds the start and end of each stretch the resolution clock ran, flat
    (``[start, end, start, end, ...]``), with a last odd start if it still runs.
    """
    response, resolution, calendar = found
    if calendar is None:
        response_met: bool | None = (
            (ack - opened <= response)
            if ack is not None
            else (False if now - opened > response else None)
        )
        running = _ZERO
        for index in range(0, len(spans) - 1, 2):
            running += spans[index + 1] - spans[index]
        if len(spans) % 2:
            running += now - spans[-1]
    else:
        # Counting stops a microsecond past the target: that decides, and a stretch of
        # decades (a typo in a year) does not reach the calendar's 20-year horizon.
        # Response: from opening until the first state outside the open category.
        over = response + _US
        if ack is not None:
            response_met = calendar.between(opened, ack, at_most=over) <= response
        else:
            response_met = False if calendar.between(opened, now, at_most=over) > response else None
        # Resolution: the time the clock ran, holds and resolved stretches excluded.
        over = resolution + _US
        running = _ZERO
        for index in range(0, len(spans) - 1, 2):
            running += calendar.between(spans[index], spans[index + 1], at_most=over)
        if len(spans) % 2:
            running += calendar.between(spans[-1], now, at_most=over)
    if resolved is not None:
        resolution_met: bool | None = running <= resolution
    elif running > resolution:  # unresolved (still open, or closed unresolved) and late
        resolution_met = False
    else:
        resolution_met = None
    return response_met, resolution_met


def _plain_value(value: Any) -> Any:
    """An enum member as its plain value (hashing a member runs Python code; its value
    hashes in C); anything else unchanged. :func:`_enum_value` turns it back."""
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return str.__str__(value)
    return value


_ENUMS: dict[Dimension, type[Priority] | type[Severity] | type[IntakeChannel]] = {
    Dimension.PRIORITY: Priority,
    Dimension.SEVERITY: Severity,
    Dimension.CHANNEL: IntakeChannel,
}


def _enum_value(dimension: Dimension, value: Any) -> GroupValue:
    """A plain group-key value back as the dimension's enum member."""
    kind = _ENUMS.get(dimension)
    if value is None or kind is None:
        return value
    try:
        return kind(value)
    except ValueError:  # a row that is not an EventRow may carry any value
        return value


_START = (-1, False)  # the "state" before a fault's first row
_ROW_DIMENSIONS = frozenset(Dimension) - {Dimension.REPORTER}


def handling_metrics(
    rows: Iterable[EventRow],
    workflow: Workflow,
    *,
    now: datetime,
    group_by: Sequence[Dimension] = (),
    period: Period = Period.MONTH,
    tz: tzinfo = UTC,
    sla: SlaPolicy | None = None,
    calendar: BusinessCalendar | None = None,
    contiguous: bool = True,
    exact_limit: int = DEFAULT_EXACT_LIMIT,
) -> HandlingReport:
    """Every response and repair figure of an event log, in one pass over its rows.

    Args:
        rows: the rows, read once (any iterable; a generator keeps memory flat). Any
            object with the attributes of :class:`EventRow` will do.
        workflow: the workflow whose label map and state categories give the rows
            their meaning (``faultkit.lifecycle.ITIL`` for ServiceNow exports).
        now: the time the figures are taken at (ages of open faults, SLA breaches of
            unresolved ones); timezone-aware.
        group_by: the dimensions of the group keys (none: overall figures only).
        period: the period length when grouping by :attr:`Dimension.PERIOD`.
        tz: the time zone whose calendar decides the period of a fault.
        sla: SLA targets and calendars per priority (``faultkit.lifecycle.SlaPolicy``)
            for response and resolution attainment; ``None`` leaves them out.
        calendar: measure the times to acknowledge, resolve and close (and the age of
            open faults) in this calendar's business time instead of wall time.
        contiguous: the rows of each fault come together (the default, and the only
            way memory stays flat); ``False`` accepts interleaved faults.
        exact_limit: values per group kept for exact medians and P90 before the
            quantile sketch takes over (see :mod:`faultkit.metrics.stats`).

    Returns:
        The :class:`HandlingReport`, overall and per group, with sample sizes.

    Raises:
        InvalidInputError: a bad argument (naive ``now``, unknown dimension, ...).
    """
    v.check_aware("now", now)
    dims = check_dimensions(group_by, _ROW_DIMENSIONS)
    check_period(period)
    check_tz(tz)
    if sla is not None and not isinstance(sla, SlaPolicy):
        raise InvalidInputError("sla", sla, "expected a faultkit.lifecycle.SlaPolicy")
    if calendar is not None and not isinstance(calendar, BusinessCalendar):
        raise InvalidInputError("calendar", calendar, "expected a BusinessCalendar")
    if not isinstance(workflow, Workflow):
        raise InvalidInputError("workflow", workflow, "expected a faultkit.lifecycle.Workflow")
    if isinstance(exact_limit, bool) or not isinstance(exact_limit, int) or exact_limit < 1:
        raise InvalidInputError("exact_limit", exact_limit, "expected a positive int")
    infos = _state_infos(workflow)
    fold = _Fold(
        now=now,
        group_by=dims,
        period=period,
        tz=tz,
        sla=sla,
        calendar=calendar,
        exact_limit=exact_limit,
    )
    if contiguous:
        counts = _read_contiguous(rows, infos, fold)
    else:
        counts = _read_interleaved(rows, infos, fold)
    n_rows, n_faults, transitions, unknown, examples = counts
    return _report(fold, dims, period, n_rows, n_faults, transitions, unknown, examples)


def _read_contiguous(
    rows: Iterable[Any], infos: dict[str, tuple[int, bool]], fold: _Fold
) -> tuple[int, int, int, int, list[str]]:
    """Read rows whose faults come together: the wall-clock loop when it applies."""
    if fold.wall_clock:
        return _read_wall_clock(rows, infos, fold)
    return _read_general(rows, infos, fold)


def _read_general(
    rows: Iterable[Any], infos: dict[str, tuple[int, bool]], fold: _Fold
) -> tuple[int, int, int, int, list[str]]:
    """The loop for every case (business calendars too): :meth:`_Fold.finish` per fault."""
    finish = fold.finish
    n_rows = 0
    n_faults = 0
    transitions = 0
    unknown = 0
    examples: list[str] = []
    current: str | None = None
    state: tuple[int, bool] = _START
    last: Any = None
    opened: datetime = fold.now
    ack: datetime | None = None
    resolved: datetime | None = None
    resolved_once = False
    closed: datetime | None = None
    reopens = 0
    spans: list[datetime] = []
    for n_rows, row in enumerate(rows, 1):  # noqa: B007 - n_rows is read after the loop
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
                finish(opened, last, ack, resolved, resolved_once, closed, reopens, spans)
            current = incident
            n_faults += 1
            opened = row.opened_at or row.at
            state = _START
            ack = resolved = closed = None
            resolved_once = False
            reopens = 0
            spans = []
            transitions -= 1  # the first row is not a change of state
        if info is not state:
            transitions += 1
            at = row.at
            if state[1]:
                spans.append(at)
            code = info[0]
            if code == _RESOLVED:
                resolved = at
                resolved_once = True
            elif code == _CLOSED:
                if closed is None:
                    closed = at
            elif state[0] >= _RESOLVED:
                reopens += 1
                resolved = closed = None
            if ack is None and code:
                ack = at
            if info[1]:
                spans.append(opened if state is _START else at)
            state = info
        last = row
    if current is not None:
        finish(opened, last, ack, resolved, resolved_once, closed, reopens, spans)
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
    """The faults of one group not yet added to its :class:`_Acc`: plain lists.

    The durations are timedeltas (turned into seconds in bulk by :meth:`add_to`); the
    outcomes are tuples ``(resolved once, reopened, response met, resolution met,
    exported SLA flag)``, counted in bulk.
    """

    __slots__ = ("acc", "ack", "age", "close", "outcomes", "resolve")

    def __init__(self, acc: _Acc) -> None:
        self.acc = acc
        self.ack: list[timedelta] = []
        self.resolve: list[timedelta] = []
        self.close: list[timedelta] = []
        self.age: list[timedelta] = []
        self.outcomes: list[tuple[bool, bool, bool | None, bool | None, bool | None]] = []

    def add_to(self, fold: _Fold) -> None:
        """Add the pending faults to the accumulator and empty the lists.

        Negative durations are counted in ``fold.clamped`` and taken as zero, as
        :meth:`_Fold.clamp` does.
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


def _add_openings(components: dict[Any, list[Any]], openings: dict[Any, list[datetime]]) -> None:
    """Fold the opening times gathered per component into ``[count, first, last]``.

    ``min`` and ``max`` keep the first of equal times, as :meth:`_Fold.finish` does.
    """
    for component, times in openings.items():
        first, last = min(times), max(times)
        seen = components.get(component)
        if seen is None:
            components[component] = [len(times), first, last]
        else:
            seen[0] += len(times)
            if first < seen[1]:
                seen[1] = first
            if last > seen[2]:
                seen[2] = last
    openings.clear()


def _read_wall_clock(
    rows: Iterable[Any], infos: dict[str, tuple[int, bool]], fold: _Fold
) -> tuple[int, int, int, int, list[str]]:
    """The hot loop for wall-clock figures: what :func:`_read_general` computes, faster.

    Per row: two attribute reads, a dict lookup and two comparisons. Per change of
    state: a few more. Per fault: its durations as timedeltas (the SLA clocks compare
    them with the targets exactly), appended with its outcomes to its group's
    :class:`_Pending` lists, and its opening time to its component's list. Every
    ``_ADD_EVERY`` faults the pending faults go to the group accumulators in bulk;
    every ``_COMPACT_EVERY`` faults (the points where :meth:`_Fold.finish` compacts,
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
    local[_END_LABEL] = (_OPEN, False)
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

    openings: dict[Any, list[datetime]] = {}
    components = fold.components
    accs = fold.accs
    since = fold.pending  # faults since the last compaction, before ``step``
    countdown = step = min(_ADD_EVERY, _COMPACT_EVERY - since)
    n_rows = 0
    n_faults = 0
    transitions = 0
    unknown = 0
    examples: list[str] = []
    current: Any = None
    state: tuple[int, bool] = _START
    code = _OPEN  # the category code of ``state``
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
    for n_rows, row in enumerate(itertools.chain(rows, (_END,))):  # noqa: B007
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
                            running += now - start
                        if resolved is not None:
                            resolution_met = running <= resolution
                        elif running > resolution:
                            resolution_met = False
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
                times = openings.get(component)
                if times is None:
                    openings[component] = [opened]
                else:
                    times.append(opened)
                countdown -= 1
                if not countdown:
                    # Pending faults go to the accumulators every _ADD_EVERY faults
                    # (memory); these are compacted every _COMPACT_EVERY, as finish does.
                    since += step
                    for each in pendings:
                        each.add_to(fold)
                    _add_openings(components, openings)
                    if since >= _COMPACT_EVERY:
                        since = 0
                        for acc in accs:
                            acc.compact()
                    countdown = step = min(_ADD_EVERY, _COMPACT_EVERY - since)
            if row is _END:
                break
            current = incident
            n_faults += 1
            opened = row.opened_at or row.at
            # The first row: an entry into its state, not a change of state.
            code, runs = info
            resolved = closed = None
            resolved_once = reopened = False
            running = _ZERO
            start = opened
            if code:
                ack = at = row.at
                if code == _RESOLVED:
                    resolved = at
                    resolved_once = True
                elif code == _CLOSED:
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
                running += at - start
            else:
                start = at
        code, runs = info
        if code == _RESOLVED:
            resolved = at
            resolved_once = True
        elif code == _CLOSED:
            if closed is None:
                closed = at
        elif was >= _RESOLVED:
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
    return n_rows, n_faults, transitions, unknown, examples


def _read_interleaved(
    rows: Iterable[Any], infos: dict[str, tuple[int, bool]], fold: _Fold
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
    _, n_faults, transitions, unknown, examples = _read_contiguous(ordered, infos, fold)
    return n_rows, n_faults, transitions, unknown, examples


def _report(
    fold: _Fold,
    dims: tuple[Dimension, ...],
    period: Period,
    n_rows: int,
    n_faults: int,
    transitions: int,
    unknown: int,
    examples: list[str],
) -> HandlingReport:
    with_sla = fold.sla is not None
    groups = dict(fold.groups)
    if dims == (Dimension.PERIOD,) and groups:
        starts: list[date] = [key[0] for key in groups]
        for start in periods_between(min(starts), max(starts), period):
            groups.setdefault((start,), _Acc(fold.limit))
    restored = {
        tuple(_enum_value(dim, value) for dim, value in zip(dims, key, strict=True)): acc
        for key, acc in groups.items()
    }
    ordered = sorted(restored.items(), key=lambda item: sort_key(item[0]))
    mtbf = []
    for component, (count, first_opened, last_opened) in sorted(
        fold.components.items(), key=lambda item: (item[0] is None, item[0] or "")
    ):
        gap = None if count < 2 else (last_opened - first_opened) / (count - 1)
        mtbf.append(
            MtbfFigure(
                component=component,
                faults=count,
                first_opened=first_opened,
                last_opened=last_opened,
                mtbf=gap,
            )
        )
    return HandlingReport(
        rows=n_rows,
        faults=n_faults,
        transitions=transitions,
        unknown_labels=unknown,
        unknown_label_examples=tuple(examples),
        clamped=fold.clamped,
        group_by=dims,
        overall=(
            _Acc.merge(list(fold.groups.values()), fold.limit) if dims else fold.overall
        ).figures(with_sla),
        groups=tuple(Group(key=key, figures=acc.figures(with_sla)) for key, acc in ordered),
        mtbf=tuple(mtbf),
    )
