"""Maintenance and inspection plans as recurrence rules (python-dateutil ``rrule``).

A plan's schedule is an RFC 5545 ``RRULE`` (``FREQ=WEEKLY;BYDAY=MO``, with or without
the ``RRULE:`` prefix) read by :func:`dateutil.rrule.rrulestr` from a timezone-aware
``start``. Optionally, occurrences that fall on a weekend or a listed holiday move to
the following (or preceding) business day. Plans recur at most hourly: a minutely or
secondly maintenance rule is refused, so a horizon never holds more occurrences than
can be listed.

Rules whose filters could never match are refused (dateutil would search for them
until the year 9999), and every query scans a bounded stretch from the plan's start
(:data:`MAX_SCAN_OCCURRENCES`, :data:`MAX_SCAN_YEARS`).

A shift keeps the occurrence's time of day, so it needs at most one occurrence a day
(``FREQ=DAILY`` or coarser, one time of day): then shifted occurrences stay in order.
An hourly rule is kept to business hours with ``BYDAY=MO,TU,WE,TH,FR`` instead.

Nothing here reads the clock: pass ``now`` / ``after``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import attrs
from dateutil.rrule import rrule, rrulestr

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.models import Person

__all__ = ["MAX_SCAN_OCCURRENCES", "MAX_SCAN_YEARS", "DayShift", "MaintenancePlan", "PlanKind"]

MAX_SCAN_YEARS = 400
"""The longest span, from a plan's start to the date asked about, that a query scans."""
MAX_SCAN_OCCURRENCES = 200_000
"""The most raw occurrences a query scans from a plan's start (an hourly rule: 22 years)."""

_TOO_FREQUENT = frozenset({"MINUTELY", "SECONDLY"})
_FORBIDDEN = ("DTSTART", "EXDATE", "RDATE", "EXRULE", "\n", "\r")


class PlanKind(enum.StrEnum):
    """What the plan schedules."""

    MAINTENANCE = "maintenance"
    """Preventive maintenance: replace, clean, update, calibrate."""
    INSPECTION = "inspection"
    """Inspection: look, measure, test, without changing anything."""


class DayShift(enum.StrEnum):
    """What happens to an occurrence on a weekend or a holiday."""

    NONE = "none"
    """It stays where the rule puts it."""
    FOLLOWING = "following"
    """It moves to the next business day."""
    PRECEDING = "preceding"
    """It moves to the previous business day."""


def _rule_text(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.non_empty_str(_inst, attribute, value)
    upper = value.upper()
    for word in _FORBIDDEN:
        if word in upper:
            raise InvalidInputError(
                attribute.name,
                value,
                "give a single RRULE (FREQ=...); the start is the plan's start field",
            )


_ALLOWED_PARTS = frozenset(
    {
        "FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYDAY", "BYMONTH", "BYMONTHDAY",
        "BYHOUR", "BYMINUTE", "BYSECOND", "BYSETPOS",
    }
)  # fmt: skip
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_ORDINAL = re.compile(r"([+-]?\d+)?([A-Z]{2})")


def _ints(text: str) -> list[int]:
    return [int(item) for item in text.split(",") if item.strip()]


def _never_matches(parts: dict[str, str]) -> str | None:
    """Why the rule's filters could never match, or ``None``: dateutil would search on
    to the year 9999 for a rule that never matches, so such rules are refused here.

    The check is conservative: it refuses a few unusual rules that could match.
    """
    unknown = sorted(set(parts) - _ALLOWED_PARTS)
    if unknown:
        return f"{', '.join(unknown)} not supported in plans"
    months = _ints(parts.get("BYMONTH", "")) or list(range(1, 13))
    monthdays = _ints(parts.get("BYMONTHDAY", ""))
    if monthdays and not any(
        1 <= abs(d) <= _MONTH_DAYS[m - 1] for m in months if 1 <= m <= 12 for d in monthdays
    ):
        return "no month has the days BYMONTHDAY names"
    days = [_ORDINAL.fullmatch(d.strip()) for d in parts.get("BYDAY", "").split(",") if d.strip()]
    ordinals = [int(m.group(1)) for m in days if m is not None and m.group(1)]
    plain = len(days) - len(ordinals)
    freq = parts.get("FREQ", "")
    if ordinals and (monthdays or "BYSETPOS" in parts):
        return "numbered weekdays (BYDAY=2MO) cannot be combined with BYMONTHDAY or BYSETPOS"
    monthly = freq == "MONTHLY" or (freq == "YEARLY" and "BYMONTH" in parts)
    if any(not 1 <= abs(n) <= (5 if monthly else 53) for n in ordinals):
        return "a numbered weekday (BYDAY) beyond what a month or year holds"
    if "BYSETPOS" in parts:
        if monthdays:
            return "BYSETPOS cannot be combined with BYMONTHDAY in plans"
        per_day = 1
        for key in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            per_day *= max(1, len(_ints(parts.get(key, ""))))
        weekdays = max(1, plain)
        smallest = {"WEEKLY": weekdays, "MONTHLY": 4 * plain, "YEARLY": 52 * plain}.get(freq, 1)
        if freq == "YEARLY" and "BYMONTH" in parts:
            smallest = 4 * plain * len(months)
        positions = _ints(parts["BYSETPOS"])
        if not positions or any(not 1 <= abs(p) <= smallest * per_day for p in positions):
            return "a BYSETPOS beyond the occurrences one period surely holds"
    return None


def _holidays(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not tuple:
        raise InvalidInputError(attribute.name, value, "expected a sequence of dates")
    for i, day in enumerate(value):
        if type(day) is not date:
            raise InvalidInputError(f"{attribute.name}[{i}]", day, "expected a date")


def _to_dates(value: Any) -> Any:
    if type(value) is list or type(value) is tuple:
        return tuple(date.fromisoformat(d) if type(d) is str else d for d in value)
    return value


def _safe_dates(value: Any) -> Any:
    try:
        return _to_dates(value)
    except ValueError:
        return value  # the validator names the offending item


@attrs.frozen(kw_only=True)
class MaintenancePlan:
    """A recurring maintenance or inspection task.

    Attributes:
        id: identifier; not blank.
        title: what is done; not blank.
        kind: maintenance or inspection.
        rule: the RFC 5545 recurrence rule (``FREQ=MONTHLY;BYMONTHDAY=1``), at most
            hourly.
        start: the first possible occurrence and the time of day (timezone-aware).
        shift: whether weekend and holiday occurrences move to a business day.
        holidays: the dates that are not business days besides weekends.
        owner: who carries it out, if assigned.

    Raises:
        InvalidInputError: the rule is not a valid RRULE, recurs more often than
            hourly, or a value has the wrong type.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    title: str = attrs.field(validator=v.non_empty_str)
    kind: PlanKind = attrs.field(validator=v.member_of(PlanKind))
    rule: str = attrs.field(validator=_rule_text)
    start: datetime = attrs.field(validator=v.aware_datetime)
    shift: DayShift = attrs.field(default=DayShift.NONE, validator=v.member_of(DayShift))
    holidays: tuple[date, ...] = attrs.field(default=(), converter=_safe_dates, validator=_holidays)
    owner: Person | None = attrs.field(default=None, validator=v.optional_instance(Person))
    _rrule: rrule = attrs.field(init=False, eq=False, hash=False, repr=False)
    _holiday_set: frozenset[date] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        text = self.rule.strip()
        if text.upper().startswith("RRULE:"):
            text = text[6:]
        parts = dict(p.split("=", 1) for p in text.upper().split(";") if "=" in p)
        try:
            never = _never_matches(parts)
        except ValueError:
            never = None  # not numbers where numbers belong: rrulestr says why below
        if never is not None:
            raise InvalidInputError("rule", self.rule, never)
        if parts.get("FREQ") in _TOO_FREQUENT:
            raise InvalidInputError("rule", self.rule, "plans recur at most hourly")
        if self.shift is not DayShift.NONE and (
            parts.get("FREQ") == "HOURLY"
            or any("," in parts.get(key, "") for key in ("BYHOUR", "BYMINUTE", "BYSECOND"))
        ):
            raise InvalidInputError(
                "shift",
                self.shift,
                "a business-day shift needs at most one occurrence a day (FREQ=DAILY or "
                "coarser, one time of day); limit hourly rules to weekdays with BYDAY",
            )
        try:
            parsed = rrulestr(text, dtstart=self.start, cache=False)
        except (ValueError, TypeError, OverflowError) as exc:
            raise InvalidInputError("rule", self.rule, f"not an RFC 5545 RRULE: {exc}") from None
        if not isinstance(parsed, rrule):  # pragma: no cover - a single RRULE gives an rrule
            raise InvalidInputError("rule", self.rule, "give a single RRULE")
        object.__setattr__(self, "_rrule", parsed)
        object.__setattr__(self, "_holiday_set", frozenset(self.holidays))

    @property
    def rrule(self) -> rrule:
        """The parsed :class:`dateutil.rrule.rrule` (occurrences before any shift)."""
        return self._rrule

    # ------------------------------------------------------------------ business days

    def _is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holiday_set

    def _shift(self, when: datetime) -> datetime:
        if self.shift is DayShift.NONE:
            return when
        step = timedelta(days=1 if self.shift is DayShift.FOLLOWING else -1)
        while not self._is_business_day(when.date()):
            when += step
        return when

    def _window(self) -> timedelta:
        # The farthest a shift can move an occurrence: a weekend plus every holiday.
        return timedelta(days=0 if self.shift is DayShift.NONE else len(self.holidays) + 3)

    # ------------------------------------------------------------------ schedule

    def _scan(self, cap: datetime) -> Iterator[datetime]:
        """Raw occurrences from the start up to ``cap``, within the scan bounds.

        dateutil iterates from the rule's start whatever the query, and a rule whose
        filters never match (``FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30``) would search until
        the year 9999: the rule is cut at ``cap`` (its COUNT is counted here), and the
        scan refuses spans and occurrence counts past :data:`MAX_SCAN_YEARS` and
        :data:`MAX_SCAN_OCCURRENCES`.
        """
        if cap - self.start > timedelta(days=365.25 * MAX_SCAN_YEARS):
            raise InvalidInputError(
                "start",
                self.start,
                f"more than {MAX_SCAN_YEARS} years before the date asked about: "
                "move the plan's start closer",
            )
        # dateutil keeps the parsed UNTIL and COUNT in these (stable, private) attributes.
        until: datetime | None = getattr(self._rrule, "_until", None)
        count: int | None = getattr(self._rrule, "_count", None)
        rule = self._rrule.replace(count=None, until=cap if until is None else min(until, cap))
        for index, raw in enumerate(rule):
            if count is not None and index >= count:
                return
            if index >= MAX_SCAN_OCCURRENCES:
                raise InvalidInputError(
                    "start",
                    self.start,
                    f"more than {MAX_SCAN_OCCURRENCES} occurrences between the plan's start "
                    "and the date asked about: move the plan's start closer",
                )
            yield raw

    def _shifted(self, low: datetime, cap: datetime) -> Iterator[datetime]:
        """Shifted occurrences, non-decreasing, of the raw ones from ``low`` to ``cap``."""
        previous = None
        for raw in self._scan(cap):
            if raw < low:
                continue
            when = self._shift(raw)
            if when != previous:
                previous = when
                yield when

    def next_due(
        self, after: datetime, *, horizon: timedelta = timedelta(days=36_525)
    ) -> datetime | None:
        """The first (shifted) occurrence strictly after ``after``.

        Args:
            after: the point in time (timezone-aware).
            horizon: how far past ``after`` to look (100 years by default).

        Returns:
            The occurrence, or ``None`` when the rule has ended or has no occurrence
            within ``horizon``.

        Raises:
            InvalidInputError: ``after`` is naive, or the scan bounds are exceeded.
        """
        v.check_aware("after", after)
        window = self._window()
        for when in self._shifted(after - window, after + horizon + window):
            if when > after:
                return when if when <= after + horizon else None
        return None

    def occurrences(
        self, start: datetime, end: datetime, *, limit: int = 10_000
    ) -> tuple[datetime, ...]:
        """The (shifted) occurrences from ``start`` to ``end``, both included.

        Args:
            start: the beginning of the horizon (timezone-aware).
            end: the end of the horizon (timezone-aware).
            limit: the most occurrences returned before giving up.

        Raises:
            InvalidInputError: a naive bound, more than ``limit`` occurrences, or the
                scan bounds are exceeded.
        """
        v.check_aware("start", start)
        v.check_aware("end", end)
        window = self._window()
        found: list[datetime] = []
        for when in self._shifted(start - window, end + window):
            if when > end:
                break
            if when < start:
                continue
            if len(found) == limit:
                raise InvalidInputError(
                    "end", end, f"the horizon holds more than {limit} occurrences"
                )
            found.append(when)
        return tuple(found)

    def last_due(self, now: datetime) -> datetime | None:
        """The latest (shifted) occurrence at or before ``now``; ``None`` if none yet.

        Raises:
            InvalidInputError: ``now`` is naive, or the scan bounds are exceeded.
        """
        v.check_aware("now", now)
        last = None
        for raw in self._scan(now + self._window()):
            when = self._shift(raw)
            if when <= now:
                last = when  # shifted occurrences never go backwards
        return last

    def is_overdue(self, now: datetime, last_done: datetime | None = None) -> bool:
        """Whether an occurrence fell due by ``now`` and was not done since.

        Args:
            now: the current time (timezone-aware).
            last_done: when the task was last carried out, if ever.
        """
        due = self.last_due(now)
        if due is None:
            return False
        if last_done is None:
            return True
        v.check_aware("last_done", last_done)
        return last_done < due
