"""What figures are grouped by: period, priority, severity, component, channel.

A group key is a tuple with one value per dimension asked for, in the order asked:
the first day of the period the fault was opened in (a :class:`datetime.date`, in the
time zone given; periods are those of :mod:`faultkit.feedback.periods`: calendar day,
ISO week from Monday, calendar month), the :class:`~faultkit.scoring.Priority`, the
:class:`~faultkit.models.Severity`, the component name, the
:class:`~faultkit.models.IntakeChannel`. A fault that lacks a value (no priority
assessed yet) goes to the group whose value is ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from faultkit.dimensions import FAULT_DIMENSIONS, Dimension, check_dimension
from faultkit.errors import InvalidInputError
from faultkit.feedback.periods import Period, check_period, check_tz, next_period, period_start
from faultkit.lifecycle import Fault
from faultkit.scoring import Priority

__all__ = ["GroupValue", "Period"]

GroupValue = Any
"""One value of a group key: a ``date``, ``Priority``, ``Severity``, ``str``,
``IntakeChannel`` or ``None``."""


def check_dimensions(
    group_by: object, allowed: frozenset[Dimension] = FAULT_DIMENSIONS
) -> tuple[Dimension, ...]:
    """``group_by`` as a tuple of distinct :class:`Dimension` members from ``allowed``.

    ``group_by`` is one dimension or a sequence of them; each may be given by its text
    (``"priority"``), as every breakdown takes it (:func:`faultkit.dimensions.check_dimension`).

    Raises:
        InvalidInputError: an item is not a :class:`Dimension` of ``allowed``, or one is
            repeated.
    """
    if isinstance(group_by, Dimension):
        group_by = (group_by,)
    if not isinstance(group_by, Sequence) or isinstance(group_by, str):
        raise InvalidInputError("group_by", group_by, "expected a sequence of Dimension members")
    seen: list[Dimension] = []
    for index, item in enumerate(group_by):
        dimension = check_dimension(item, allowed, f"group_by[{index}]")
        if dimension in seen:
            raise InvalidInputError(f"group_by[{index}]", item, "is repeated")
        seen.append(dimension)
    return tuple(seen)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_QUARTER_HOUR = timedelta(minutes=15)


def period_keyer(period: Period, tz: tzinfo = UTC) -> Callable[[datetime], date]:
    """A fast ``at -> period start`` function for many timestamps.

    Every real time-zone offset is a whole number of quarter hours, so two instants in
    the same UTC quarter hour fall on the same local day: the start of the period is
    computed once per quarter hour seen (with :func:`faultkit.feedback.period_start`)
    and looked up after that.
    """
    check_period(period)
    check_tz(tz)
    cache: dict[int, date] = {}

    def key(at: datetime) -> date:
        slot = (at - _EPOCH) // _QUARTER_HOUR
        found = cache.get(slot)
        if found is None:
            found = cache[slot] = period_start(at, period, tz)
        return found

    return key


def periods_between(first: date, last: date, period: Period) -> list[date]:
    """Every period start from ``first`` to ``last`` (both period starts), in order."""
    out = []
    here = first
    while here <= last:
        out.append(here)
        here = next_period(here, period)
    return out


def fault_keyer(
    group_by: tuple[Dimension, ...], period: Period, tz: tzinfo
) -> Callable[[Fault], tuple[GroupValue, ...]]:
    """A function giving a :class:`~faultkit.lifecycle.Fault` its group key.

    The period is that of ``report.reported_at``; the priority is ``fault.priority``
    as a :class:`~faultkit.scoring.Priority`; the channel and component come from the
    report; the reporter is ``report.reporter.id``.
    """
    period_of = period_keyer(period, tz)

    def value(fault: Fault, dimension: Dimension) -> GroupValue:
        report = fault.report
        if dimension is Dimension.PERIOD:
            return period_of(report.reported_at)
        if dimension is Dimension.PRIORITY:
            return None if fault.priority is None else Priority(fault.priority)
        if dimension is Dimension.SEVERITY:
            return fault.severity
        if dimension is Dimension.COMPONENT:
            return report.component
        if dimension is Dimension.CHANNEL:
            return report.channel
        return report.reporter.id

    def key(fault: Fault) -> tuple[GroupValue, ...]:
        return tuple(value(fault, dimension) for dimension in group_by)

    return key


def sort_key(key: tuple[GroupValue, ...]) -> tuple[tuple[int, Any], ...]:
    """Sort group keys value by value: numbers, dates, date-times, text, ``None`` last.

    Values of one kind sort in their natural order (enums by their value); values of
    different kinds, which Python cannot compare (duck-typed rows giving ``1`` in one
    row and ``"1"`` in another), sort by kind in the order above instead of raising.
    """
    out: list[tuple[int, Any]] = []
    for value in key:
        if value is None:
            out.append((4, ""))
        elif isinstance(value, int | float):  # IntEnum members, bool too
            out.append((0, value))
        elif isinstance(value, datetime):  # naive ones first: the two do not compare
            out.append((2, (value.utcoffset() is not None, value)))
        elif isinstance(value, date):
            out.append((1, value))
        else:
            out.append((3, str(value)))
    return tuple(out)
