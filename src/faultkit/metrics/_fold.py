"""The fold: each fault's times turned into figures, added to its group's accumulators.

Internal to :mod:`faultkit.metrics`: :class:`Fold` is what the reading loops of
:mod:`faultkit.metrics._loops` feed, and :func:`build_report` turns a fold into the
public :class:`~faultkit.metrics.HandlingReport`. The rules are in the docstring of
:mod:`faultkit.metrics.handling`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from operator import attrgetter
from typing import Any

from faultkit.dimensions import Dimension
from faultkit.errors import InvalidInputError
from faultkit.feedback.periods import Period
from faultkit.lifecycle import ROUND_THE_CLOCK, BusinessCalendar, SlaPolicy
from faultkit.metrics._accumulators import COMPACT_EVERY, Accumulator
from faultkit.metrics.figures import Group, HandlingReport
from faultkit.metrics.grouping import (
    GroupValue,
    period_keyer,
    periods_between,
    sort_key,
)
from faultkit.metrics.reliability import Timeline
from faultkit.models import IntakeChannel, Severity
from faultkit.scoring import Priority

__all__ = ["Fold", "build_report", "enum_value", "plain_value"]

_ZERO = timedelta(0)
_US = timedelta(microseconds=1)


class Fold:
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
        self.overall = Accumulator(exact_limit)
        self.accs: list[Accumulator] = [self.overall]
        self.groups: dict[tuple[GroupValue, ...], Accumulator] = {}
        self.components: dict[str | None, Timeline] = {}
        self.clamped = 0
        self.sla_skipped = 0  # faults whose SLA clocks ran past the dates Python holds
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
            value = int(value) if isinstance(value, int) else plain_value(value)
        return (value,)

    def group_acc(self, key: tuple[GroupValue, ...]) -> Accumulator:
        """The accumulator of a group key, made on first sight."""
        acc = self.groups.get(key)
        if acc is None:
            acc = self.groups[key] = Accumulator(self.limit)
            self.accs.append(acc)
        return acc

    def key(self, opened: datetime, last: Any) -> tuple[GroupValue, ...]:
        """The group key of a fault, with plain values (see :func:`plain_value`)."""
        getter = self.getter
        if getter is None:
            values: list[GroupValue] = []
        elif self.single:
            values = [plain_value(getter(last))]
        else:
            values = [plain_value(value) for value in getter(last)]
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
        rows: int,
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
                try:
                    response_met, resolution_met, fixes = _sla(
                        found, opened, ack, resolved, closed, spans, now
                    )
                except InvalidInputError:  # a business calendar past year 1 or 9999
                    self.sla_skipped += 1
                else:
                    self.clamped += fixes
        made = last.made_sla
        if self.group_by:
            simple = self.simple
            if simple is not None:
                value: Any = simple(last)
                if value is not None and type(value) is not str:
                    value = int(value) if isinstance(value, int) else plain_value(value)
                key = (value,)
            else:
                key = self.key(opened, last)
            acc = self.groups.get(key)
            if acc is None:
                acc = self.groups[key] = Accumulator(self.limit)
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
            else:
                acc.breached_rows += rows
        if made is not None:
            acc.flagged += 1
            if made:
                acc.made += 1
        component = last.component
        timeline = self.components.get(component)
        if timeline is None:
            timeline = self.components[component] = Timeline()
        timeline.add(opened, resolved if resolved is not None else closed)
        self.pending += 1
        if self.pending >= COMPACT_EVERY:
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
) -> tuple[bool | None, bool | None, int]:
    """(response met, resolution met, stretches corrected); ``None`` where not decided.

    ``spans`` holds the start and end of each stretch the resolution clock ran, flat
    (``[start, end, start, end, ...]``), with a last odd start if it still runs. A
    stretch that ends before it starts (rows out of time order) counts as zero, and is
    counted in the third value.
    """
    if len(spans) % 2:
        spans = [*spans, now]
    fixes = 0
    for index in range(0, len(spans), 2):
        if spans[index + 1] < spans[index]:
            fixes += 1
    response, resolution, calendar = found
    if calendar is None:
        response_met: bool | None = (
            (ack - opened <= response)
            if ack is not None
            else (False if now - opened > response else None)
        )
        running = _ZERO
        for index in range(0, len(spans), 2):
            stretch = spans[index + 1] - spans[index]
            if stretch > _ZERO:
                running += stretch
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
        for index in range(0, len(spans), 2):
            if spans[index + 1] > spans[index]:
                running += calendar.between(spans[index], spans[index + 1], at_most=over)
    if resolved is not None:
        resolution_met: bool | None = running <= resolution
    elif running > resolution:  # unresolved (still open, or closed unresolved) and late
        resolution_met = False
    else:
        resolution_met = None
    return response_met, resolution_met, fixes


def plain_value(value: Any) -> Any:
    """An enum member as its plain value (hashing a member runs Python code; its value
    hashes in C); anything else unchanged. :func:`enum_value` turns it back."""
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


def enum_value(dimension: Dimension, value: Any) -> GroupValue:
    """A plain group-key value back as the dimension's enum member."""
    kind = _ENUMS.get(dimension)
    if value is None or kind is None:
        return value
    try:
        return kind(value)
    except ValueError:  # a row that is not an EventRow may carry any value
        return value


def build_report(
    fold: Fold,
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
            groups.setdefault((start,), Accumulator(fold.limit))
    restored = {
        tuple(enum_value(dim, value) for dim, value in zip(dims, key, strict=True)): acc
        for key, acc in groups.items()
    }
    ordered = sorted(restored.items(), key=lambda item: sort_key(item[0]))
    reliability = tuple(
        timeline.figure(component)
        for component, timeline in sorted(
            fold.components.items(), key=lambda item: (item[0] is None, item[0] or "")
        )
    )
    return HandlingReport(
        rows=n_rows,
        faults=n_faults,
        transitions=transitions,
        unknown_labels=unknown,
        unknown_label_examples=tuple(examples),
        clamped=fold.clamped,
        sla_skipped=fold.sla_skipped,
        group_by=dims,
        overall=(
            Accumulator.merge(list(fold.groups.values()), fold.limit) if dims else fold.overall
        ).figures(with_sla),
        groups=tuple(Group(key=key, figures=acc.figures(with_sla)) for key, acc in ordered),
        reliability=reliability,
    )
