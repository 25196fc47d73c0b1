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

import enum
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from faultkit.errors import InvalidInputError
from faultkit.feedback.periods import Period, next_period, period_start

__all__ = ["Dimension", "GroupValue", "Period"]

GroupValue = Any
"""One value of a group key: a ``date``, ``Priority``, ``Severity``, ``str``,
``IntakeChannel`` or ``None``."""


class Dimension(enum.StrEnum):
    """What a figure can be grouped by."""

    PERIOD = "period"
    """The period (day, week, month) the fault was opened in."""
    PRIORITY = "priority"
    """The fault's priority (1 highest to 5)."""
    SEVERITY = "severity"
    """The fault's severity (SEV1 worst to SEV5)."""
    COMPONENT = "component"
    """The component the fault is in."""
    CHANNEL = "channel"
    """The channel the fault was reported through."""


def check_dimensions(group_by: object) -> tuple[Dimension, ...]:
    """``group_by`` as a tuple of distinct :class:`Dimension` members.

    Raises:
        InvalidInputError: an item is not a :class:`Dimension`, or one is repeated.
    """
    if isinstance(group_by, Dimension):
        return (group_by,)
    if not isinstance(group_by, Sequence) or isinstance(group_by, str):
        raise InvalidInputError("group_by", group_by, "expected a sequence of Dimension members")
    seen: list[Dimension] = []
    for index, item in enumerate(group_by):
        if not isinstance(item, Dimension):
            allowed = ", ".join(d.name for d in Dimension)
            raise InvalidInputError(f"group_by[{index}]", item, f"expected a Dimension ({allowed})")
        if item in seen:
            raise InvalidInputError(f"group_by[{index}]", item, "is repeated")
        seen.append(item)
    return tuple(seen)


def check_period(period: object) -> Period:
    """``period`` if it is a :class:`Period`; else :class:`InvalidInputError`."""
    if not isinstance(period, Period):
        allowed = ", ".join(repr(p.value) for p in Period)
        raise InvalidInputError("period", period, f"expected a Period ({allowed})")
    return period


def check_tz(tz: object) -> tzinfo:
    """``tz`` if it is a ``tzinfo``; else :class:`InvalidInputError`."""
    if not isinstance(tz, tzinfo):
        raise InvalidInputError("tz", tz, "expected a tzinfo such as ZoneInfo('Europe/Berlin')")
    return tz


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
