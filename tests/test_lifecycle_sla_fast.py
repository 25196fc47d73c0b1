"""The fast business-time arithmetic gives exactly what the day-by-day walk gives.

``BusinessCalendar.add`` and ``between`` read per-year tables of working windows. The
oracle here is the original algorithm, copied: walk the local days from the local day
of the start, convert each working day's opening and closing times to UTC, clip.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.lifecycle.sla import BusinessCalendar

ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",  # 30-minute daylight-saving shift
    "Asia/Kathmandu",  # +05:45, one offset change in 1986
    "America/Santiago",  # changes at midnight
    "America/Havana",  # changes at midnight (00:00 -> 01:00)
    "Asia/Beirut",  # changes at midnight (00:00 -> 01:00, 00:00 -> 23:00)
    "America/Sao_Paulo",  # changed at midnight until 2019
]
MAX_DAYS = 366 * 20


def _zone(name: str) -> tzinfo:
    return UTC if name == "UTC" else zoneinfo.ZoneInfo(name)


def _oracle_windows(
    calendar: BusinessCalendar, start: datetime
) -> Iterator[tuple[datetime, datetime]]:
    zone = _zone(calendar.zone)
    day = start.astimezone(zone).date()
    for _ in range(MAX_DAYS):
        if calendar.is_working_day(day):
            begin = datetime.combine(day, calendar.opens, tzinfo=zone)
            if calendar.closes == time(0):
                end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
            else:
                end = datetime.combine(day, calendar.closes, tzinfo=zone)
            yield begin.astimezone(UTC), end.astimezone(UTC)
        day += timedelta(days=1)
    raise InvalidInputError("calendar", calendar, "no working time found within 20 years")


def oracle_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    total = timedelta(0)
    # In UTC before comparing: two datetimes with the same tzinfo compare as wall
    # times, fold ignored (23:01 fold=0 is "after" 23:00 fold=1, an hour later).
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        return total
    for begin, close in _oracle_windows(calendar, start):
        if begin >= end:
            break
        low, high = max(begin, start), min(close, end)
        if high > low:
            total += high - low
    return total


def oracle_add(calendar: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
    zone = _zone(calendar.zone)
    if not duration:
        # Through UTC, as every other result here: astimezone() to the zone start is
        # already in would keep a wall time that does not exist (a daylight-saving gap).
        return start.astimezone(UTC).astimezone(zone)
    start = start.astimezone(UTC)
    left = duration
    for begin, close in _oracle_windows(calendar, start):
        low = max(begin, start)
        if close <= low:
            continue
        if left <= close - low:
            return (low + left).astimezone(zone)
        left -= close - low
    raise AssertionError("unreachable")


RULES = [
    "DTSTART:20000101\nRRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25,26",
    "DTSTART:20000101\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",  # the spring-forward Sunday
    "DTSTART:20000101\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1MO",
    "DTSTART:20000101\nRRULE:FREQ=MONTHLY;BYDAY=1FR",
    "DTSTART:20210601\nRRULE:FREQ=WEEKLY;COUNT=30;BYDAY=WE",
    "DTSTART:20000101\nRRULE:FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1",
]

# Times of day near the daylight-saving changes (02:00-03:00, Lord Howe's 02:00-02:30,
# midnight changes) as well as anywhere.
_minutes = st.one_of(
    st.sampled_from([0, 30, 60, 90, 120, 135, 150, 165, 180, 210, 540, 1020, 1410, 1439]),
    st.integers(0, 24 * 60 - 1),
)


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    zone = draw(st.sampled_from(ZONES))
    workdays = tuple(sorted(draw(st.sets(st.integers(0, 6), min_size=1))))
    if draw(st.booleans()):
        opens, closes = time(0), time(0)  # round the clock
    else:
        first, second = sorted(draw(st.lists(_minutes, min_size=2, max_size=2, unique=True)))
        if draw(st.booleans()):
            first, second = second, 0  # closes at midnight
        opens, closes = time(*divmod(first, 60)), time(*divmod(second, 60))
    holidays = draw(
        st.lists(st.dates(date(2018, 1, 1), date(2032, 12, 31)), max_size=40, unique=True)
    )
    rules = draw(st.lists(st.sampled_from(RULES), max_size=3, unique=True))
    return BusinessCalendar(
        zone=zone,
        workdays=workdays,
        opens=opens,
        closes=closes,
        holidays=holidays,
        holiday_rules=rules,
    )


@st.composite
def moments(draw: st.DrawFn, calendar: BusinessCalendar) -> datetime:
    naive = draw(st.datetimes(datetime(2018, 1, 1), datetime(2031, 12, 31)))
    if draw(st.booleans()):
        naive = naive.replace(second=0, microsecond=0)
    kind = draw(st.sampled_from(["utc", "zone", "offset"]))
    if kind == "utc":
        return naive.replace(tzinfo=UTC)
    if kind == "zone":
        return naive.replace(tzinfo=_zone(calendar.zone), fold=draw(st.integers(0, 1)))
    minutes = draw(st.integers(-14 * 60, 14 * 60))
    return naive.replace(tzinfo=timezone(timedelta(minutes=minutes)))


_spans = st.one_of(
    st.timedeltas(timedelta(0), timedelta(hours=30)),
    st.timedeltas(timedelta(0), timedelta(days=40)),
    st.timedeltas(timedelta(0), timedelta(days=3 * 366)),
    st.integers(0, 24 * 40).map(lambda quarter: timedelta(minutes=15 * quarter)),
)


def _same_moment(got: datetime, want: datetime) -> None:
    assert got == want
    assert got.isoformat() == want.isoformat()
    assert got.tzinfo is want.tzinfo
    assert got.fold == want.fold


def _check(calendar: BusinessCalendar, start: datetime, spans: list[timedelta]) -> None:
    for span in spans:
        end = start + span
        try:
            want = oracle_between(calendar, start, end)
        except InvalidInputError:  # beyond the 20-year horizon
            with pytest.raises(InvalidInputError):
                calendar.between(start, end)
        else:
            assert calendar.between(start, end) == want
        # zero, unless start + span (fold=0) is an earlier moment than start (fold=1)
        assert calendar.between(end, start) == oracle_between(calendar, end, start)
        if end.astimezone(UTC) >= start.astimezone(UTC):
            assert calendar.between(end, start) == timedelta(0)
        try:
            reached = oracle_add(calendar, start, span)
        except InvalidInputError:
            with pytest.raises(InvalidInputError):
                calendar.add(start, span)
        else:
            _same_moment(calendar.add(start, span), reached)


@st.composite
def cases(draw: st.DrawFn) -> tuple[BusinessCalendar, datetime, list[timedelta]]:
    calendar = draw(calendars())
    return calendar, draw(moments(calendar)), [draw(_spans) for _ in range(3)]


_SANTIAGO = zoneinfo.ZoneInfo("America/Santiago")


@settings(max_examples=150, deadline=None)
@given(case=cases())
@example(  # found by this test: a start written in the gap of a change at midnight
    case=(
        BusinessCalendar(
            zone="America/Santiago", workdays=(0, 1, 2, 3, 4, 5), opens=time(0), closes=time(0)
        ),
        datetime(2020, 9, 6, tzinfo=_SANTIAGO, fold=1),
        [timedelta(minutes=15), timedelta(hours=1), timedelta(days=1)],
    )
)
def test_add_and_between_match_the_day_walk(
    case: tuple[BusinessCalendar, datetime, list[timedelta]],
) -> None:
    _check(*case)


def test_a_start_written_in_a_gap_at_midnight_counts_from_its_moment() -> None:
    # Chile put its clocks forward at 2020-09-06 00:00 -04:00 to 01:00 -03:00: the wall
    # time 00:00 of that Sunday does not exist. Written with fold=1 it takes the offset
    # after the change, -03:00, and names the moment 03:00 UTC, which is Saturday
    # 23:00 -04:00 on the clock: the last hour of Saturday (a working day, round the
    # clock until Sunday begins at 04:00 UTC), then Sunday (not a working day).
    calendar = BusinessCalendar(
        zone="America/Santiago", workdays=(0, 1, 2, 3, 4, 5), opens=time(0), closes=time(0)
    )
    start = datetime(2020, 9, 6, tzinfo=_SANTIAGO, fold=1)
    saturday_ends = datetime(2020, 9, 6, 4, tzinfo=UTC)
    assert start.astimezone(UTC) == datetime(2020, 9, 6, 3, tzinfo=UTC)
    end = start + timedelta(minutes=15)  # 00:15, fold=0: 01:15 -03:00, on Sunday
    assert calendar.between(start, end) == saturday_ends - start == timedelta(hours=1)
    assert calendar.between(start, end) == oracle_between(calendar, start, end)
    half = calendar.add(start, timedelta(minutes=30))
    assert half.isoformat() == "2020-09-05T23:30:00-04:00"
    _same_moment(half, oracle_add(calendar, start, timedelta(minutes=30)))
    # Past Saturday's last hour: Monday 00:00 (Sunday is skipped)
    assert calendar.add(start, timedelta(minutes=90)).isoformat() == "2020-09-07T00:30:00-03:00"
    # The same moment written in UTC, or as Saturday 23:00, gives the same answers.
    for same in (start.astimezone(UTC), datetime(2020, 9, 5, 23, tzinfo=_SANTIAGO)):
        assert calendar.between(same, end) == timedelta(hours=1)
        _same_moment(calendar.add(same, timedelta(minutes=30)), half)
    # A zero duration gives the moment as a wall time that exists.
    assert calendar.add(start, timedelta(0)).isoformat() == "2020-09-05T23:00:00-04:00"


def test_an_end_written_in_a_fold_is_compared_as_a_moment_not_as_a_wall_time() -> None:
    # Chile put its clocks back at 2018-05-13 00:00 -03:00 to 2018-05-12 23:00 -04:00:
    # Saturday's 23:00-23:59 happened twice. 23:00 fold=1 (the second time, 03:00 UTC)
    # is an hour after 23:01 fold=0 (02:01 UTC), though its wall time reads earlier.
    calendar = BusinessCalendar(
        zone="America/Santiago", workdays=tuple(range(7)), opens=time(0), closes=time(0)
    )
    later = datetime(2018, 5, 12, 23, tzinfo=_SANTIAGO, fold=1)
    earlier = datetime(2018, 5, 12, 23, 1, tzinfo=_SANTIAGO)
    real = later.astimezone(UTC) - earlier.astimezone(UTC)
    assert real == timedelta(minutes=59)
    assert calendar.between(later, earlier) == timedelta(0)  # not minus one minute
    assert calendar.between(earlier, later) == real  # round the clock: all of it
    assert calendar.between(earlier, later, at_most=timedelta(minutes=5)) == timedelta(minutes=5)


def _midnight_changes(name: str) -> list[date]:
    """The days (2018-2025) whose local midnight is in a gap or a fold in zone ``name``."""
    zone = _zone(name)
    found, day = [], date(2018, 1, 1)
    while day < date(2026, 1, 1):
        for when in (datetime.combine(day, time(0)), datetime.combine(day, time(23, 30))):
            if (
                when.replace(tzinfo=zone).utcoffset()
                != when.replace(tzinfo=zone, fold=1).utcoffset()
            ):
                found.append(day + timedelta(days=1) if when.hour else day)
        day += timedelta(days=1)
    return sorted(set(found))


@pytest.mark.parametrize(
    "name", ["America/Santiago", "America/Havana", "Asia/Beirut", "America/Sao_Paulo"]
)
def test_changes_at_midnight_match_the_day_walk_from_every_wall_time_near_them(
    name: str,
) -> None:
    zone = _zone(name)
    changes = _midnight_changes(name)
    assert len(changes) >= 2  # a spring-forward and a fall-back at least
    spans = [timedelta(minutes=m) for m in (1, 15, 60, 90, 24 * 60 + 30)]
    for change in changes:
        for days in ((0, 1, 2, 3, 4, 5, 6), (change.weekday(),), ((change.weekday() - 1) % 7,)):
            for opens, closes in ((time(0), time(0)), (time(23), time(0)), (time(0), time(1))):
                calendar = BusinessCalendar(zone=name, workdays=days, opens=opens, closes=closes)
                for minutes in range(-90, 121, 15):
                    wall = datetime.combine(change, time(0)) + timedelta(minutes=minutes)
                    for fold in (0, 1):
                        _check(calendar, wall.replace(tzinfo=zone, fold=fold), spans)


def test_hours_straddling_the_spring_forward_gap_take_the_exact_walk() -> None:
    # 02:30 does not exist on 31 March 2024 in Berlin (read as 03:30 CEST), 03:15 does:
    # that day's window closes before it opens, the year's windows are out of order.
    calendar = BusinessCalendar(
        zone="Europe/Berlin", workdays=tuple(range(7)), opens=time(2, 30), closes=time(3, 15)
    )
    assert not calendar._year(2024).ok
    start = datetime(2024, 3, 29, 12, tzinfo=UTC)
    _check(calendar, start, [timedelta(minutes=m) for m in (1, 30, 45, 60, 200, 2000)])


@settings(max_examples=60, deadline=None)
@given(calendar=calendars(), data=st.data())
def test_between_is_exact_for_both_ends_anywhere(
    calendar: BusinessCalendar, data: st.DataObject
) -> None:
    start, end = data.draw(moments(calendar)), data.draw(moments(calendar))
    assert calendar.between(start, end) == oracle_between(calendar, start, end)


def test_the_twenty_year_horizon_is_kept() -> None:
    calendar = BusinessCalendar(zone="Europe/Berlin")
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with pytest.raises(InvalidInputError):
        oracle_between(calendar, start, start + timedelta(days=MAX_DAYS + 10))
    with pytest.raises(InvalidInputError):
        calendar.between(start, start + timedelta(days=MAX_DAYS + 10))
    near = start + timedelta(days=MAX_DAYS - 10)
    assert calendar.between(start, near) == oracle_between(calendar, start, near)
    worked = calendar.between(start, near)
    _same_moment(calendar.add(start, worked), oracle_add(calendar, start, worked))
    with pytest.raises(InvalidInputError):
        calendar.add(start, worked + timedelta(days=30))


def test_many_years_overflow_the_table_cache_without_changing_results() -> None:
    calendar = BusinessCalendar(zone="America/New_York", holiday_rules=[RULES[0]])
    for year in range(1950, 2050, 1):
        start = datetime(year, 3, 7, 16, tzinfo=UTC)
        assert calendar.between(start, start + timedelta(days=9)) == oracle_between(
            calendar, start, start + timedelta(days=9)
        )
        _same_moment(
            calendar.add(start, 20 * timedelta(hours=1)),
            oracle_add(calendar, start, 20 * timedelta(hours=1)),
        )
    assert len(calendar._years) <= 64


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "America/Adak"])
def test_business_time_past_year_9999_or_before_year_1_is_a_named_error(zone: str) -> None:
    # The day walk itself overflows there (OverflowError); the calendar names the value.
    calendar = BusinessCalendar(zone=zone, workdays=tuple(range(7)), opens=time(0), closes=time(0))
    late = datetime(9999, 12, 31, 20, tzinfo=UTC)
    with pytest.raises(OverflowError):
        oracle_add(calendar, late, timedelta(hours=30))
    with pytest.raises(InvalidInputError) as caught:
        calendar.add(late, timedelta(hours=30))
    assert caught.value.field == "start"
    assert caught.value.value == late
    assert "9999" in caught.value.reason
    with pytest.raises(InvalidInputError, match="9999") as caught:
        calendar.between(datetime(9999, 12, 30, tzinfo=UTC), late)
    assert caught.value.field == "end"
    # still in year 9999 where it was written, in year 10000 in UTC
    west = datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-12)))
    with pytest.raises(InvalidInputError, match="9999"):
        calendar.add(west, timedelta(minutes=1))
    with pytest.raises(InvalidInputError, match="9999"):
        calendar.between(late, west)
    early = datetime(1, 1, 1, 1, tzinfo=UTC)
    if zone == "UTC":
        _same_moment(calendar.add(early, timedelta(hours=1)), early + timedelta(hours=1))
    else:  # the local day of the start begins (in UTC) before year 1
        with pytest.raises(InvalidInputError, match="year"):
            calendar.add(early, timedelta(hours=1))


@settings(max_examples=120, deadline=None)
@given(
    calendar=calendars(),
    data=st.data(),
    at_most=st.one_of(
        st.timedeltas(timedelta(0), timedelta(hours=40)),
        st.timedeltas(timedelta(0), timedelta(days=400)),
    ),
)
def test_between_at_most_is_the_smaller_of_the_count_and_the_cap(
    calendar: BusinessCalendar, data: st.DataObject, at_most: timedelta
) -> None:
    start = data.draw(moments(calendar))
    end = start + data.draw(_spans)
    try:
        want = min(oracle_between(calendar, start, end), at_most)
    except InvalidInputError:  # the whole span is beyond the horizon: so is the cap
        with pytest.raises(InvalidInputError):
            calendar.between(start, end, at_most=at_most)
    else:
        assert calendar.between(start, end, at_most=at_most) == want


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/Adak"])
def test_between_at_most_counts_spans_past_the_horizon_and_year_9999(zone: str) -> None:
    calendar = BusinessCalendar(zone=zone)
    start = datetime(2016, 2, 29, 1, 16, tzinfo=UTC)
    for end in (
        start + timedelta(days=30 * 366),  # a year typed 2046 instead of 2016
        datetime(9999, 12, 31, 23, 50, tzinfo=timezone(timedelta(hours=-10))),  # UTC: 10000
    ):
        with pytest.raises(InvalidInputError, match=r"horizon|9999") as caught:
            calendar.between(start, end)
        assert caught.value.field == "end"
        target = timedelta(hours=8)
        assert calendar.between(start, end, at_most=target + timedelta(microseconds=1)) > target
        assert calendar.between(start, end, at_most=target) == target
    with pytest.raises(InvalidInputError, match="at_most"):
        calendar.between(start, start + timedelta(days=1), at_most=timedelta(-1))
