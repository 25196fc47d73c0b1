"""Calendar periods (day, week, month) in a chosen time zone.

A feedback item belongs to the period that contains its time *as seen in the time zone
of the report*: an e-mail received at 23:30 UTC on a Sunday is Monday's in Berlin, and a
daylight-saving change never splits or merges a day. Weeks are ISO 8601 weeks and start
on Monday; months start on the 1st.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta, tzinfo

from faultkit._validators import check_aware
from faultkit.errors import InvalidInputError

__all__ = ["Period", "check_period", "check_tz", "next_period", "period_start"]


class Period(enum.StrEnum):
    """The length of a reporting period."""

    DAY = "day"
    """A calendar day."""
    WEEK = "week"
    """An ISO 8601 week, Monday to Sunday."""
    MONTH = "month"
    """A calendar month."""


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


def period_start(at: datetime, period: Period, tz: tzinfo = UTC) -> date:
    """The first day of the ``period`` that contains ``at``, seen in the time zone ``tz``.

    Args:
        at: a timezone-aware datetime.
        period: day, week (ISO, from Monday) or month.
        tz: the time zone whose calendar decides the day (UTC by default).

    Returns:
        The date the period starts on.

    Raises:
        InvalidInputError: ``at`` is naive, ``period`` is not a :class:`Period`, or
            ``tz`` is not a ``tzinfo``.
    """
    check_aware("at", at)
    check_period(period)
    day = at.astimezone(check_tz(tz)).date()
    if period is Period.DAY:
        return day
    if period is Period.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def next_period(start: date, period: Period) -> date:
    """The start of the period after the one starting on ``start``."""
    check_period(period)
    if period is Period.DAY:
        return start + timedelta(days=1)
    if period is Period.WEEK:
        return start + timedelta(days=7)
    if start.month == 12:
        return date(start.year + 1, 1, 1)
    return date(start.year, start.month + 1, 1)
