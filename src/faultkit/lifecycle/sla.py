"""SLA clocks: response and resolution targets per priority, in business time.

Business time is counted on a :class:`BusinessCalendar`: working days and hours in a
time zone, minus holidays (fixed dates and RFC 5545 recurrence rules, read with
python-dateutil's ``rrulestr``). A clock is computed from the fault's history, never
stored: it runs while the fault is in a state of the right category and stops while
it is in a state that pauses SLA clocks (on hold).

* The **response** clock runs from the report (``report.reported_at``) while the
  fault is in an *open* state, and stops for good the first time it leaves the open
  category (taken into work, put on hold, resolved or closed).
* The **resolution** clock runs from the report while the fault is open or active and
  not in a pausing state; it stops while the fault is resolved or closed and runs
  again after a reopen.

Default targets (:data:`DEFAULT_SLA_POLICY`), from the "standard incident SLA
baseline" quoted in the ServiceNow Community thread "SLAs for incident"
(servicenow.com/community, 2025): P1 15 minutes / 4 hours and P2 30 minutes / 8
hours, both round the clock; P3 4 business hours / 3 business days and P4 1 business
day / 5 business days on an 8x5 calendar. The baseline stops at P4; faultkit adds P5
(planning) at 2 / 10 business days. A business day is the calendar's working hours
(8 hours on the default calendar, Monday to Friday 09:00-17:00 UTC).
"""

from __future__ import annotations

import zoneinfo
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs
from dateutil import rrule, tz

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.lifecycle.workflow import StateCategory, Workflow

if TYPE_CHECKING:
    from faultkit.lifecycle.fault import Fault

__all__ = [
    "DEFAULT_CALENDAR",
    "DEFAULT_SLA_POLICY",
    "ROUND_THE_CLOCK",
    "BusinessCalendar",
    "ClockStatus",
    "SlaPolicy",
    "SlaStatus",
    "SlaTarget",
    "sla_status",
]

_MIDNIGHT = time(0)
_DAY = timedelta(days=1)
_MAX_DAYS = 366 * 20  # a clock that cannot finish within 20 years is a broken calendar
_LONG_SPAN = timedelta(days=366)  # shorter spans never reach the horizon: count them
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_US = timedelta(microseconds=1)
_ZERO = timedelta(0)
_DAY_US = 86_400_000_000
_YEARS_KEPT = 64  # year tables cached per calendar before the cache starts over


def _out_of_range(field: str, value: datetime) -> InvalidInputError:
    """The error for business time that would reach past year 1 or year 9999."""
    return InvalidInputError(
        field, value, "the business time reaches past the dates Python holds (years 1 to 9999)"
    )


def _weekdays(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not tuple:
        raise InvalidInputError(
            attribute.name, value, "expected a list or tuple of weekdays 0 (Monday) to 6 (Sunday)"
        )
    if not value:
        raise InvalidInputError(attribute.name, value, "expected at least one weekday (0-6)")
    for day in value:
        if type(day) is not int or not 0 <= day <= 6:
            raise InvalidInputError(attribute.name, value, "weekdays are 0 (Monday) to 6 (Sunday)")


def _time_of_day(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not time or value.tzinfo is not None:
        raise InvalidInputError(attribute.name, value, "expected a time of day without zone")


def _dates(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not tuple or any(type(day) is not date for day in value):
        raise InvalidInputError(attribute.name, value, "expected a sequence of dates")


def _zone(name: str) -> tzinfo | None:
    """The ``tzinfo`` for an IANA zone name, or ``None`` when the name is unknown.

    ``UTC`` is :data:`datetime.UTC`; other names use the standard library's
    :class:`zoneinfo.ZoneInfo` (several times faster to convert with than dateutil's
    zones), and dateutil's bundled database where the system has no zone data.
    """
    if name == "UTC":
        return UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return tz.gettz(name)


def _zone_name(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.non_empty_str(_inst, attribute, value)
    if _zone(value) is None:
        raise InvalidInputError(attribute.name, value, "not a known IANA time zone name")


class _Year:
    """The working windows of one (local) calendar year, as UTC microseconds.

    ``begins[i]``/``ends[i]``: the i-th working window (Unix epoch microseconds),
    ``days[i]``: its local date (ordinal), ``cum[i]``: the working time of the windows
    before it (``cum[-1]`` is the year's total), ``first_on[d]``: the index of the first
    window on or after day ``d`` of the year (0 = 1 January), ``jan1``: the ordinal of
    1 January, ``size``: the number of days, ``year``: the year. ``ok`` is false when
    the windows are not in order without overlap (a daylight-saving change inside the
    working hours can do that, or a year at the end of the ``datetime`` range): the
    calendar then walks day by day instead.
    """

    __slots__ = ("begins", "cum", "days", "ends", "first_on", "jan1", "ok", "size", "year")

    def __init__(self, year: int) -> None:
        self.year = year
        self.jan1 = date(year, 1, 1).toordinal()
        self.size = date(year, 12, 31).toordinal() + 1 - self.jan1
        self.begins: list[int] = []
        self.ends: list[int] = []
        self.days: list[int] = []
        self.cum: list[int] = [0]
        self.first_on: list[int] = []
        self.ok = True


@attrs.frozen(kw_only=True)
class BusinessCalendar:
    """When the clock runs: working days and hours in a time zone, minus holidays.

    Attributes:
        zone: IANA time zone name the hours are in (``"Europe/Berlin"``).
        workdays: the working weekdays, 0 = Monday ... 6 = Sunday.
        opens: when the working day starts (local time).
        closes: when it ends (local time); ``00:00`` means midnight at the end of the
            day, so ``opens=00:00, closes=00:00`` is round the clock.
        holidays: fixed non-working dates.
        holiday_rules: RFC 5545 recurrence rules for recurring holidays, as
            ``dateutil.rrule.rrulestr`` reads them, with a date-only ``DTSTART``
            (``"DTSTART:20200101\\nRRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25"``).
    """

    zone: str = attrs.field(default="UTC", validator=_zone_name)
    workdays: tuple[int, ...] = attrs.field(
        default=(0, 1, 2, 3, 4), converter=v.list_to_tuple, validator=_weekdays
    )
    opens: time = attrs.field(default=time(9), validator=_time_of_day)
    closes: time = attrs.field(default=time(17), validator=_time_of_day)
    holidays: tuple[date, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=_dates
    )
    holiday_rules: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )

    _tz: tzinfo = attrs.field(init=False, eq=False, repr=False)
    _rules: tuple[Any, ...] = attrs.field(init=False, eq=False, repr=False)
    _by_year: dict[int, frozenset[date]] = attrs.field(init=False, eq=False, repr=False)
    _years: dict[int, _Year] = attrs.field(init=False, eq=False, repr=False)
    _recent: list[_Year] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.closes != _MIDNIGHT and self.closes <= self.opens:
            raise InvalidInputError("closes", self.closes, "must be later than opens")
        rules = []
        for index, text in enumerate(self.holiday_rules):
            try:
                rules.append(rrule.rrulestr(text, forceset=True))
            except (ValueError, TypeError) as exc:
                raise InvalidInputError(
                    f"holiday_rules[{index}]", text, f"not a recurrence rule: {exc}"
                ) from None
        object.__setattr__(self, "_tz", _zone(self.zone))
        object.__setattr__(self, "_rules", tuple(rules))
        object.__setattr__(self, "_by_year", {})
        object.__setattr__(self, "_years", {})
        object.__setattr__(self, "_recent", [])

    # ------------------------------------------------------------------ days

    def _holidays_in(self, year: int) -> frozenset[date]:
        found = self._by_year.get(year)
        if found is None:
            days = {day for day in self.holidays if day.year == year}
            start, end = datetime(year, 1, 1), datetime(year, 12, 31, 23, 59, 59)
            for rule in self._rules:
                days.update(when.date() for when in rule.between(start, end, inc=True))
            found = self._by_year[year] = frozenset(days)
        return found

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working weekday and not a holiday."""
        return day.weekday() in self.workdays and day not in self._holidays_in(day.year)

    def _year(self, year: int) -> _Year:
        """The working windows of ``year`` (cached, a bounded number of years)."""
        found = self._years.get(year)
        if found is None:
            if len(self._years) >= _YEARS_KEPT:
                self._years.clear()
            found = self._years[year] = self._build_year(year)
        return found

    def _build_year(self, year: int) -> _Year:
        zone, opens, closes = self._tz, self.opens, self.closes
        workdays = frozenset(self.workdays)
        holidays = self._holidays_in(year)
        table = _Year(year)
        jan1 = table.jan1
        begins, ends, days, cum, first_on = (
            table.begins,
            table.ends,
            table.days,
            table.cum,
            table.first_on,
        )
        total, last_end = 0, None
        try:
            for ordinal in range(jan1, jan1 + table.size):
                first_on.append(len(begins))
                day = date.fromordinal(ordinal)
                if day.weekday() not in workdays or day in holidays:
                    continue
                # The same local-to-UTC conversion as _windows (the exact walk).
                begin = datetime.combine(day, opens, tzinfo=zone)
                if closes == _MIDNIGHT:
                    end = datetime.combine(day + _DAY, _MIDNIGHT, tzinfo=zone)
                else:
                    end = datetime.combine(day, closes, tzinfo=zone)
                low = (begin.astimezone(UTC) - _EPOCH) // _US
                high = (end.astimezone(UTC) - _EPOCH) // _US
                if high < low or (last_end is not None and last_end > low):
                    table.ok = False
                total += max(high - low, 0)
                begins.append(low)
                ends.append(high)
                days.append(ordinal)
                cum.append(total)
                last_end = high
        except OverflowError:  # the last days of year 9999
            table.ok = False
        first_on.append(len(begins))
        return table

    def _table_of(self, day: int) -> _Year:
        """The table of the year of ``day`` (an ordinal), the last one used if it fits."""
        recent = self._recent
        if recent:
            table = recent[0]
            if 0 <= day - table.jan1 < table.size:
                return table
            table = self._year(date.fromordinal(day).year)
            recent[0] = table
        else:
            table = self._year(date.fromordinal(day).year)
            recent.append(table)
        return table

    def _windows(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working windows (UTC) from the local day of ``start`` on, day by day."""
        zone = self._tz
        day = start.astimezone(zone).date()
        for _ in range(_MAX_DAYS):
            if self.is_working_day(day):
                begin = datetime.combine(day, self.opens, tzinfo=zone)
                if self.closes == _MIDNIGHT:
                    end = datetime.combine(day + _DAY, _MIDNIGHT, tzinfo=zone)
                else:
                    end = datetime.combine(day, self.closes, tzinfo=zone)
                yield begin.astimezone(UTC), end.astimezone(UTC)
            day += _DAY
        raise InvalidInputError(
            "calendar", self, "no working time found within 20 years (check holidays)"
        )

    # ------------------------------------------------------------------ arithmetic
    #
    # Both operations count the working windows of the local days from the local day
    # of ``start`` on, for at most _MAX_DAYS days, as _windows yields them. The fast
    # paths read the same windows from per-year tables (prefix sums of the working
    # time, found by bisection), so a whole year costs one step; where a year's windows
    # are out of order, or a result would fall beyond _MAX_DAYS, they give up (None)
    # and the exact day-by-day walk (_walk_between, _walk_add) answers or raises.

    def _first_day(self, start: datetime, low: int) -> int:
        """The local date (ordinal) of the moment ``start``, ``low`` microseconds after
        the epoch: the day the walk starts on.

        Converted through UTC: ``astimezone`` to the zone ``start`` is already in keeps
        its wall time as written, and a wall time in a daylight-saving gap is then on
        the wrong date (America/Santiago, 2020-09-06 00:00 with ``fold=1`` is the
        moment 2020-09-05 23:00 -04:00, which is on the 5th).
        """
        zone = self._tz
        if zone is UTC:
            return _EPOCH_ORDINAL + low // _DAY_US
        return start.astimezone(UTC).astimezone(zone).toordinal()

    def _fast_between(self, start: int, end: int, first_day: int) -> int | None:
        limit = first_day + _MAX_DAYS - 1
        table = self._table_of(first_day)
        year = table.year
        index = table.first_on[first_day - table.jan1]
        total = 0
        while True:
            if not table.ok:
                return None
            begins, cum = table.begins, table.cum
            stop = bisect_left(begins, end, index)  # the walk stops at this window
            floor = cum[index]
            if stop > index:
                ends = table.ends
                last = stop - 1
                begin = begins[last]
                total += max(cum[last] + min(end - begin, ends[last] - begin) - floor, 0)
                at = bisect_right(begins, start, 0, stop) - 1
                if at >= 0:
                    begin = begins[at]
                    total -= max(cum[at] + min(start - begin, ends[at] - begin) - floor, 0)
            if stop < len(begins):
                return total if table.days[stop] <= limit else None
            year += 1
            if year > 9999 or date(year, 1, 1).toordinal() > limit:
                return None
            table, index = self._year(year), 0

    def _fast_add(self, start: int, left: int, first_day: int) -> int | None:
        limit = first_day + _MAX_DAYS - 1
        table = self._table_of(first_day)
        year = table.year
        index = table.first_on[first_day - table.jan1]
        while True:
            if not table.ok:
                return None
            cum, begins = table.cum, table.begins
            at = bisect_right(begins, start) - 1
            if at < 0:
                base = cum[index]
            else:
                begin = begins[at]
                base = max(cum[at] + min(start - begin, table.ends[at] - begin), cum[index])
            target = base + left
            if target <= cum[-1]:
                found = bisect_left(cum, target, index + 1) - 1
                if table.days[found] > limit:
                    return None
                return begins[found] + target - cum[found]
            left = target - cum[-1]
            year += 1
            if year > 9999 or date(year, 1, 1).toordinal() > limit:
                return None
            table, index = self._year(year), 0

    def between(
        self, start: datetime, end: datetime, *, at_most: timedelta | None = None
    ) -> timedelta:
        """Business time from ``start`` to ``end`` (zero when ``end`` is not later).

        Args:
            start: where the count starts (timezone-aware).
            end: where it ends (timezone-aware).
            at_most: count no further than this much business time: the result is
                ``min(business time, at_most)``, exactly, and a span longer than the
                calendar's 20-year horizon is fine when ``at_most`` is reached within
                it. Deciding whether a clock exceeded a target needs no more (pass the
                target plus a microsecond).

        Raises:
            InvalidInputError: a naive datetime; a span longer than 20 years (without
                an ``at_most`` reached before that); or one reaching past year 9999.
        """
        v.check_aware("start", start)
        v.check_aware("end", end)
        # The moments in UTC microseconds: comparing or subtracting two datetimes with
        # the same tzinfo reads their wall times only, so an end written in a fold
        # (fold=0 after a start with fold=1) would look later than it is.
        low, high = (start - _EPOCH) // _US, (end - _EPOCH) // _US
        span = timedelta(0, 0, high - low)
        if span <= _ZERO:
            return _ZERO
        if at_most is not None:
            if type(at_most) is not timedelta or at_most < _ZERO:
                raise InvalidInputError("at_most", at_most, "expected a timedelta >= 0")
            if span > _LONG_SPAN:
                # add() finds where at_most is reached without walking to end; before
                # that moment the business time is less than at_most, from it on more.
                try:
                    reached = self.add(start, at_most)
                except InvalidInputError:
                    pass  # at_most is not reached in time: count the whole span
                else:
                    if high >= (reached - _EPOCH) // _US:
                        return at_most
        try:
            found = self._fast_between(low, high, self._first_day(start, low))
            counted = self._walk_between(start, end) if found is None else timedelta(0, 0, found)
        except InvalidInputError as error:
            if error.field == "calendar" and span > timedelta(days=365 * 19):
                raise InvalidInputError(
                    "end",
                    end,
                    f"{span.days} days after start ({start.isoformat()}): beyond "
                    "the calendar's 20-year horizon (at_most= decides against a target)",
                ) from None
            raise
        except (OverflowError, ValueError):  # ValueError: "year 10000 is out of range"
            raise _out_of_range("end", end) from None
        return counted if at_most is None or counted <= at_most else at_most

    def _walk_between(self, start: datetime, end: datetime) -> timedelta:
        total = timedelta(0)
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        for begin, close in self._windows(start):
            if begin >= end:
                break
            low, high = max(begin, start), min(close, end)
            if high > low:
                total += high - low
        return total

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment ``duration`` of business time after ``start`` (in the calendar's zone).

        The earliest such moment: a zero duration gives ``start`` itself, and a
        duration that ends exactly at a closing time gives that closing time. The
        result is a wall time that exists in the zone: a ``start`` written in a
        daylight-saving gap (Europe/Berlin, 2024-03-31 02:30) comes back as the same
        moment read on the clock (03:30 +02:00).
        """
        v.check_aware("start", start)
        if type(duration) is not timedelta or duration < _ZERO:
            raise InvalidInputError("duration", duration, "expected a timedelta >= 0")
        zone = self._tz
        low = (start - _EPOCH) // _US
        try:
            if not duration:  # through UTC: a wall time in a gap becomes one that exists
                return start.astimezone(UTC).astimezone(zone)
            found = self._fast_add(low, duration // _US, self._first_day(start, low))
            if found is None:
                return self._walk_add(start, duration)
            moment = _EPOCH + timedelta(0, 0, found)
            return moment if zone is UTC else moment.astimezone(zone)
        except InvalidInputError:
            raise
        except (OverflowError, ValueError):  # ValueError: "year 10000 is out of range"
            raise _out_of_range("start", start) from None

    def _walk_add(self, start: datetime, duration: timedelta) -> datetime:
        start = start.astimezone(UTC)
        left = duration
        for begin, close in self._windows(start):
            low = max(begin, start)
            if close <= low:
                continue
            if left <= close - low:
                return (low + left).astimezone(self._tz)
            left -= close - low
        raise AssertionError("unreachable")  # pragma: no cover - _windows raises first


DEFAULT_CALENDAR = BusinessCalendar()
"""Monday to Friday, 09:00-17:00 UTC, no holidays."""

ROUND_THE_CLOCK = BusinessCalendar(
    workdays=(0, 1, 2, 3, 4, 5, 6), opens=_MIDNIGHT, closes=_MIDNIGHT
)
"""Every day, all day (24x7)."""


def _non_negative_timedelta(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not timedelta or value <= timedelta(0):
        raise InvalidInputError(attribute.name, value, "expected a positive duration")


@attrs.frozen(kw_only=True)
class SlaTarget:
    """The response and resolution targets of one priority.

    Attributes:
        response: business time allowed until the fault leaves the open states.
        resolution: business time allowed until it is resolved (holds excluded).
        calendar: the calendar this priority is measured on; ``None`` for the
            policy's calendar.
    """

    response: timedelta = attrs.field(validator=_non_negative_timedelta)
    resolution: timedelta = attrs.field(validator=_non_negative_timedelta)
    calendar: BusinessCalendar | None = attrs.field(
        default=None, validator=v.optional_instance(BusinessCalendar)
    )


def _targets(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Mapping) or not value:
        raise InvalidInputError(attribute.name, value, "expected targets by priority 1..5")
    for key, item in value.items():
        if type(key) is bool or not isinstance(key, int) or not 1 <= key <= 5:
            raise InvalidInputError(attribute.name, key, "priorities are numbers 1 to 5")
        if not isinstance(item, SlaTarget):
            raise InvalidInputError(f"{attribute.name}[{key}]", item, "expected an SlaTarget")


def _int_keys(value: Any) -> Any:
    """attrs converter: priority keys as plain ints (``Priority`` members, or the digit
    strings JSON object keys become)."""
    if isinstance(value, Mapping):
        return MappingProxyType({_priority_key(key): item for key, item in value.items()})
    return value


def _priority_key(key: Any) -> Any:
    if isinstance(key, int) and not isinstance(key, bool):
        return int(key)
    if type(key) is str and key.isdecimal() and len(key) == 1:
        return int(key)
    return key


@attrs.frozen(kw_only=True)
class SlaPolicy:
    """SLA targets by priority (1 highest ... 5), and the calendar they are measured on.

    Attributes:
        targets: the target of each priority; ``faultkit.scoring.Priority`` members
            work as keys.
        calendar: the calendar of targets that do not name their own.
    """

    targets: Mapping[int, SlaTarget] = attrs.field(converter=_int_keys, validator=_targets)
    calendar: BusinessCalendar = attrs.field(
        default=DEFAULT_CALENDAR, validator=v.instance(BusinessCalendar)
    )

    def target(self, priority: int) -> SlaTarget:
        """The target for ``priority``.

        Raises:
            InvalidInputError: the policy has no target for it.
        """
        found = self.targets.get(int(priority))
        if found is None:
            raise InvalidInputError("priority", priority, "the SLA policy has no target for it")
        return found

    def calendar_for(self, priority: int) -> BusinessCalendar:
        """The calendar ``priority`` is measured on."""
        return self.target(priority).calendar or self.calendar


_H, _D = timedelta(hours=1), timedelta(hours=8)  # a business day: 8 working hours

DEFAULT_SLA_POLICY = SlaPolicy(
    targets={
        1: SlaTarget(response=timedelta(minutes=15), resolution=4 * _H, calendar=ROUND_THE_CLOCK),
        2: SlaTarget(response=timedelta(minutes=30), resolution=8 * _H, calendar=ROUND_THE_CLOCK),
        3: SlaTarget(response=4 * _H, resolution=3 * _D),
        4: SlaTarget(response=1 * _D, resolution=5 * _D),
        5: SlaTarget(response=2 * _D, resolution=10 * _D),
    },
)
"""The default targets (see the module docstring for their source)."""


@attrs.frozen(kw_only=True)
class ClockStatus:
    """Where one SLA clock stands at ``now``.

    Attributes:
        target: the business time allowed.
        elapsed: the business time the clock has run.
        remaining: ``target - elapsed``, never below zero.
        breached: the clock has run past its target.
        running: the clock is running now (not paused, not stopped).
        stopped_at: when the clock stopped for good (response met), if it did.
        breaches_at: when it will breach if it keeps running; the moment it breached
            when it has; ``None`` when it is not running and not breached.
    """

    target: timedelta
    elapsed: timedelta
    remaining: timedelta
    breached: bool
    running: bool
    stopped_at: datetime | None
    breaches_at: datetime | None


@attrs.frozen(kw_only=True)
class SlaStatus:
    """Both SLA clocks of a fault at ``now``.

    Attributes:
        priority: the priority the targets were taken for.
        response: the response clock.
        resolution: the resolution clock.
    """

    priority: int
    response: ClockStatus
    resolution: ClockStatus


def _segments(fault: Fault, now: datetime) -> list[tuple[str, datetime, datetime]]:
    """(state, from, to) spans from the report to ``now``, read from the history."""
    history = fault.history
    state = history[0].from_state if history else fault.state
    since = fault.report.reported_at
    spans = []
    for record in history:
        if record.at >= now:
            break
        spans.append((state, since, record.at))
        state, since = record.to_state, record.at
    if now > since:
        spans.append((state, since, now))
    return spans


def _clock(
    spans: list[tuple[str, datetime, datetime]],
    runs: dict[str, bool],
    stops: frozenset[str],
    target: timedelta,
    calendar: BusinessCalendar,
) -> ClockStatus:
    elapsed = timedelta(0)
    breached_at: datetime | None = None
    stopped_at: datetime | None = None
    running = False
    for state, begin, end in spans:
        if state in stops:
            stopped_at = begin
            running = False
            break
        running = runs[state]
        if not running:
            continue
        used = calendar.between(begin, end)
        if breached_at is None and elapsed + used > target:
            breached_at = calendar.add(begin, target - elapsed)
        elapsed += used
    remaining = max(target - elapsed, timedelta(0))
    if breached_at is not None:
        breaches_at: datetime | None = breached_at
    elif running:
        breaches_at = calendar.add(spans[-1][2], remaining)
    else:
        breaches_at = None
    return ClockStatus(
        target=target,
        elapsed=elapsed,
        remaining=remaining,
        breached=breached_at is not None,
        running=running,
        stopped_at=stopped_at,
        breaches_at=breaches_at,
    )


def sla_status(
    fault: Fault,
    *,
    now: datetime,
    workflow: Workflow,
    policy: SlaPolicy = DEFAULT_SLA_POLICY,
    priority: int | None = None,
) -> SlaStatus:
    """Compute a fault's response and resolution clocks at ``now`` from its history.

    Args:
        fault: the fault.
        now: the moment to measure at (timezone-aware).
        workflow: the workflow the fault runs in (its states' categories and pause
            flags drive the clocks).
        policy: the targets and calendars.
        priority: the priority to take targets for; by default ``fault.priority``.

    Raises:
        InvalidInputError: ``now`` is naive, no priority is given or recorded, or
            the policy has no target for it.
    """
    v.check_aware("now", now)
    level = priority if priority is not None else fault.priority
    if level is None:
        raise InvalidInputError("priority", None, "the fault has no priority; give priority=")
    target = policy.target(level)
    calendar = policy.calendar_for(level)
    known = set(workflow.state_names)
    for name in (fault.state, *(r.from_state for r in fault.history)):
        if name not in known:
            raise InvalidInputError(
                "fault.state", name, f"not a state of workflow {workflow.name!r}"
            )
    spans = _segments(fault, now)
    if not spans:  # now is at or before the report: nothing has run yet
        spans = [(fault.state, fault.report.reported_at, fault.report.reported_at)]
    respond_runs: dict[str, bool] = {}
    resolve_runs: dict[str, bool] = {}
    response_stops = []
    for state in workflow.states:
        respond_runs[state.name] = state.category is StateCategory.OPEN and not state.pauses_sla
        resolve_runs[state.name] = (
            state.category in (StateCategory.OPEN, StateCategory.ACTIVE) and not state.pauses_sla
        )
        if state.category is not StateCategory.OPEN:
            response_stops.append(state.name)
    return SlaStatus(
        priority=int(level),
        response=_clock(spans, respond_runs, frozenset(response_stops), target.response, calendar),
        resolution=_clock(spans, resolve_runs, frozenset(), target.resolution, calendar),
    )
