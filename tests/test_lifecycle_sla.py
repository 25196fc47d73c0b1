"""SLA clocks in business time: weekends, holidays, time zones, pauses, breaches."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.lifecycle import ITIL, Lifecycle
from faultkit.lifecycle.sla import (
    DEFAULT_SLA_POLICY,
    ROUND_THE_CLOCK,
    BusinessCalendar,
    SlaPolicy,
    SlaTarget,
    sla_status,
)
from faultkit.models import (
    FaultReport,
    Frequency,
    ImpactScope,
    IntakeChannel,
    Person,
    Reporter,
    Urgency,
)
from faultkit.serialization import from_json, to_json
from faultkit.testing.lifecycle import business_calendars

H = timedelta(hours=1)
UTC9TO5 = BusinessCalendar()
CHRISTMAS = "DTSTART:20200101\nRRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25,26"
AGENT = Person(id="a", name="A")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def test_weekend_is_skipped() -> None:
    friday_4pm, monday_10am = utc(2024, 3, 8, 16), utc(2024, 3, 11, 10)
    assert UTC9TO5.between(friday_4pm, monday_10am) == 2 * H
    assert UTC9TO5.add(friday_4pm, 2 * H) == monday_10am


def test_outside_hours_counts_nothing() -> None:
    assert UTC9TO5.between(utc(2024, 3, 9, 10), utc(2024, 3, 10, 18)) == timedelta(0)
    assert UTC9TO5.between(utc(2024, 3, 8, 18), utc(2024, 3, 8, 23)) == timedelta(0)
    assert UTC9TO5.add(utc(2024, 3, 9, 10), timedelta(0)) == utc(2024, 3, 9, 10)
    assert UTC9TO5.add(utc(2024, 3, 9, 10), timedelta(minutes=1)) == utc(2024, 3, 11, 9, 1)


def test_holidays_from_dates_and_rrules() -> None:
    calendar = BusinessCalendar(holidays=[date(2024, 12, 24)], holiday_rules=[CHRISTMAS])
    assert not calendar.is_working_day(date(2024, 12, 24))
    assert not calendar.is_working_day(date(2031, 12, 25))
    assert calendar.is_working_day(date(2024, 12, 27))
    # Monday 23rd 16:00 -> Friday 27th 10:00: 1 h + (24th, 25th, 26th off) + 1 h.
    assert calendar.between(utc(2024, 12, 23, 16), utc(2024, 12, 27, 10)) == 2 * H


def test_time_zone_and_daylight_saving() -> None:
    berlin = BusinessCalendar(zone="Europe/Berlin")
    # 09:00-17:00 Berlin is 08:00-16:00 UTC in winter, 07:00-15:00 UTC in summer.
    assert berlin.between(utc(2024, 1, 15, 7), utc(2024, 1, 15, 9)) == H
    assert berlin.between(utc(2024, 7, 15, 7), utc(2024, 7, 15, 9)) == 2 * H
    always_berlin = BusinessCalendar(
        zone="Europe/Berlin", workdays=tuple(range(7)), opens=time(0), closes=time(0)
    )
    spring_day = always_berlin.between(utc(2024, 3, 30, 23), utc(2024, 3, 31, 22))
    assert spring_day == 23 * H  # the day the clocks go forward has 23 hours
    assert always_berlin.add(utc(2024, 3, 30, 23), 23 * H) == utc(2024, 3, 31, 22)
    new_york = BusinessCalendar(zone="America/New_York")
    friday_5pm_est = utc(2024, 3, 8, 22)  # EST until the 10th: UTC-5
    monday_930_edt = utc(2024, 3, 11, 13, 30)  # EDT from the 10th: UTC-4
    assert new_york.add(friday_5pm_est, timedelta(minutes=30)) == monday_930_edt


def test_bad_calendars_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="zone"):
        BusinessCalendar(zone="Mars/Olympus")
    with pytest.raises(InvalidInputError, match="closes"):
        BusinessCalendar(opens=time(17), closes=time(9))
    with pytest.raises(InvalidInputError, match=r"holiday_rules\[0\]"):
        BusinessCalendar(holiday_rules=["RRULE:FREQ=SOMETIMES"])
    with pytest.raises(InvalidInputError, match="weekday"):
        BusinessCalendar(workdays=[7])
    with pytest.raises(InvalidInputError, match="at least one weekday"):
        BusinessCalendar(workdays=[])
    with pytest.raises(InvalidInputError, match="list or tuple of weekdays"):
        BusinessCalendar(workdays=range(7))  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="naive"):
        UTC9TO5.between(datetime(2024, 1, 1), utc(2024, 1, 2))
    every_day_off = BusinessCalendar(
        workdays=[0], holiday_rules=["DTSTART:20200101\nRRULE:FREQ=WEEKLY;BYDAY=MO"]
    )
    with pytest.raises(InvalidInputError, match="no working time"):
        every_day_off.add(utc(2024, 1, 1), H)


@settings(max_examples=60, deadline=None)
@given(
    business_calendars(),
    st.datetimes(datetime(2023, 1, 1), datetime(2025, 12, 31), timezones=st.just(UTC)),
    st.timedeltas(timedelta(0), timedelta(days=10)),
    st.timedeltas(timedelta(0), timedelta(days=10)),
)
def test_business_time_adds_up(
    calendar: BusinessCalendar, start: datetime, first: timedelta, second: timedelta
) -> None:
    middle, end = start + first, start + first + second
    assert calendar.between(start, end) == calendar.between(start, middle) + calendar.between(
        middle, end
    )
    worked = calendar.between(start, end)
    reached = calendar.add(start, worked)
    assert reached <= end
    assert calendar.between(start, reached) == worked


def report(at: datetime) -> FaultReport:
    return FaultReport(
        id="INC1",
        title="t",
        description="d",
        observed_at=at,
        reported_at=at,
        reporter=Reporter(id="r", name="R"),
        channel=IntakeChannel.EMAIL,
        product="p",
        frequency=Frequency.ONCE,
        impact_scope=ImpactScope.SINGLE_USER,
        urgency=Urgency.LOW,
    )


POLICY = SlaPolicy(targets={3: SlaTarget(response=2 * H, resolution=8 * H)})


def test_response_clock_stops_when_work_starts() -> None:
    lifecycle = Lifecycle(ITIL)
    fault = lifecycle.open(report(utc(2024, 3, 8, 16)), priority=3)  # Friday 16:00
    status = sla_status(fault, now=utc(2024, 3, 8, 16, 30), workflow=ITIL, policy=POLICY)
    assert status.response.elapsed == timedelta(minutes=30)
    assert status.response.running
    assert status.response.breaches_at == utc(2024, 3, 11, 10)  # over the weekend
    lifecycle.fire(fault, "start", actor=AGENT, at=utc(2024, 3, 11, 10, 30))
    status = sla_status(fault, now=utc(2024, 3, 12, 12), workflow=ITIL, policy=POLICY)
    assert status.response.elapsed == timedelta(hours=2, minutes=30)
    assert status.response.breached
    assert status.response.breaches_at == utc(2024, 3, 11, 10)
    assert status.response.stopped_at == utc(2024, 3, 11, 10, 30)
    assert not status.response.running
    assert status.response.remaining == timedelta(0)


def test_resolution_clock_pauses_on_hold_and_restarts_on_reopen() -> None:
    lifecycle = Lifecycle(ITIL)
    fault = lifecycle.open(report(utc(2024, 3, 11, 9)), priority=3)  # Monday 09:00
    lifecycle.fire(fault, "start", actor=AGENT, at=utc(2024, 3, 11, 10))
    lifecycle.fire(fault, "hold", actor=AGENT, at=utc(2024, 3, 11, 12), reason="caller")
    lifecycle.fire(fault, "resume", actor=AGENT, at=utc(2024, 3, 13, 9))
    on_hold = sla_status(fault, now=utc(2024, 3, 12, 12), workflow=ITIL, policy=POLICY)
    assert on_hold.resolution.elapsed == 3 * H
    assert not on_hold.resolution.running
    assert on_hold.resolution.breaches_at is None
    lifecycle.fire(fault, "resolve", actor=AGENT, at=utc(2024, 3, 13, 11))
    resolved = sla_status(fault, now=utc(2024, 3, 20, 9), workflow=ITIL, policy=POLICY)
    assert resolved.resolution.elapsed == 5 * H
    assert resolved.resolution.remaining == 3 * H
    assert not resolved.resolution.breached
    lifecycle.fire(fault, "reopen", actor=AGENT, at=utc(2024, 3, 14, 9), reason="back")
    reopened = sla_status(fault, now=utc(2024, 3, 14, 13), workflow=ITIL, policy=POLICY)
    assert reopened.resolution.elapsed == 9 * H
    assert reopened.resolution.breached
    assert reopened.resolution.breaches_at == utc(2024, 3, 14, 12)


def test_default_policy_runs_p1_round_the_clock() -> None:
    fault = Lifecycle(ITIL).open(report(utc(2024, 3, 9, 22)), priority=1)  # Saturday night
    status = sla_status(fault, now=utc(2024, 3, 10, 1), workflow=ITIL)
    assert DEFAULT_SLA_POLICY.calendar_for(1) is ROUND_THE_CLOCK
    assert status.response.breached
    assert status.response.breaches_at == utc(2024, 3, 9, 22, 15)
    assert status.resolution.elapsed == 3 * H
    assert status.resolution.breaches_at == utc(2024, 3, 10, 2)
    p4 = sla_status(fault, now=utc(2024, 3, 10, 1), workflow=ITIL, priority=4)
    assert p4.resolution.elapsed == timedelta(0)
    assert p4.resolution.breaches_at == utc(2024, 3, 15, 17)  # 5 x 8 h from Monday 09:00


def test_priority_is_required() -> None:
    fault = Lifecycle(ITIL).open(report(utc(2024, 3, 9, 22)))
    with pytest.raises(InvalidInputError, match="priority"):
        sla_status(fault, now=utc(2024, 3, 10), workflow=ITIL)
    with pytest.raises(InvalidInputError, match="no target"):
        sla_status(fault, now=utc(2024, 3, 10), workflow=ITIL, policy=POLICY, priority=1)


def test_fault_of_another_workflow_is_refused() -> None:
    from faultkit.lifecycle import PROCEDURE

    fault = Lifecycle(ITIL).open(report(utc(2024, 3, 9, 22)), priority=3)
    with pytest.raises(InvalidInputError, match="not a state of workflow 'procedure'"):
        sla_status(fault, now=utc(2024, 3, 10), workflow=PROCEDURE, policy=POLICY)


@settings(max_examples=40, deadline=None)
@given(business_calendars())
def test_calendars_round_trip(calendar: BusinessCalendar) -> None:
    assert from_json(to_json(calendar), BusinessCalendar) == calendar


def test_policies_round_trip_through_json() -> None:
    policy = SlaPolicy(
        targets={
            2: SlaTarget(response=H, resolution=9 * H, calendar=ROUND_THE_CLOCK),
            3: SlaTarget(response=4 * H, resolution=timedelta(days=3)),
        },
        calendar=BusinessCalendar(zone="Asia/Kolkata", holiday_rules=[CHRISTMAS]),
    )
    text = to_json(policy)
    assert '"2": {"response": "PT1H"' in text  # JSON object keys are strings
    assert from_json(text, SlaPolicy) == policy
    assert from_json(to_json(DEFAULT_SLA_POLICY), SlaPolicy) == DEFAULT_SLA_POLICY
    with pytest.raises(TypeError):
        DEFAULT_SLA_POLICY.targets[1] = policy.targets[2]  # type: ignore[index]
