"""Response and repair figures on a hand-made history, every figure worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from faultkit.errors import InvalidInputError
from faultkit.feedback import Period
from faultkit.lifecycle import ITIL, ROUND_THE_CLOCK, BusinessCalendar, SlaPolicy, SlaTarget
from faultkit.metrics import (
    Dimension,
    DurationSummary,
    EventRow,
    Rate,
    handling_metrics,
    summarize,
)
from faultkit.metrics.stats import DurationAccumulator
from faultkit.models import IntakeChannel
from faultkit.scoring import Priority

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)  # a Monday
H = timedelta(hours=1)


def _rows(incident: str, steps: list[tuple[str, float]], **facts: object) -> list[EventRow]:
    opened = T0 + steps[0][1] * H
    return [
        EventRow(incident=incident, label=label, at=T0 + hours * H, opened_at=opened, **facts)  # type: ignore[arg-type]
        for label, hours in steps
    ]


# INC1 (P2, db): acknowledged after 1 h, resolved after 5 h, closed after 29 h.
# INC2 (P2, db), opened at +24 h: on hold 26-30 h, resolved at 34 h, reopened at 36 h,
#   resolved again at 40 h, closed at 64 h: ack 2 h, resolve 16 h, close 40 h.
# INC3 (P4, web), opened at +48 h, active from 49 h, still open at now = +72 h.
HISTORY = [
    *_rows(
        "INC1",
        [("New", 0), ("Active", 1), ("Active", 2), ("Resolved", 5), ("Closed", 29)],
        priority=2,
        component="db",
        channel=IntakeChannel.HOTLINE,
        made_sla=True,
    ),
    *_rows(
        "INC2",
        [
            ("New", 24),
            ("Awaiting User Info", 26),
            ("Active", 30),
            ("Resolved", 34),
            ("Active", 36),
            ("Resolved", 40),
            ("Closed", 64),
        ],
        priority=2,
        component="db",
        channel=IntakeChannel.EMAIL,
    ),
    *_rows(
        "INC3",
        [("New", 48), ("Active", 49)],
        priority=4,
        component="web",
        channel=IntakeChannel.HOTLINE,
        made_sla=False,
    ),
]
NOW = T0 + 72 * H

# 24x7 targets: P2 respond in 90 min, resolve in 8 h; P4 respond in 30 min, resolve in 12 h.
POLICY = SlaPolicy(
    targets={
        2: SlaTarget(response=timedelta(minutes=90), resolution=8 * H),
        4: SlaTarget(response=timedelta(minutes=30), resolution=12 * H),
    },
    calendar=ROUND_THE_CLOCK,
)


def test_overall_figures_by_hand() -> None:
    report = handling_metrics(HISTORY, ITIL, now=NOW, sla=POLICY)
    assert (report.rows, report.faults) == (14, 3)
    # INC1: New->Active->Resolved->Closed (3); INC2: 6 changes; INC3: 1.
    assert report.transitions == 10
    assert report.unknown_labels == 0
    assert report.clamped == 0
    fig = report.overall
    assert fig.faults == 3
    # ack: 1 h, 2 h, 1 h -> mean 80 min, median 1 h, P90 = 1 + 0.8 * (2 - 1) h (type 7).
    assert fig.time_to_acknowledge == DurationSummary(
        n=3,
        mean=timedelta(minutes=80),
        median=H,
        p90=timedelta(minutes=108),
        minimum=H,
        maximum=2 * H,
    )
    # resolve: 5 h, 16 h -> mean = median = 10.5 h, P90 = 5 + 0.9 * 11 h = 14.9 h.
    assert fig.time_to_resolve == DurationSummary(
        n=2,
        mean=10.5 * H,
        median=10.5 * H,
        p90=14.9 * H,
        minimum=5 * H,
        maximum=16 * H,
    )
    # close: 29 h, 40 h.
    assert fig.time_to_close.n == 2
    assert fig.time_to_close.median == 34.5 * H
    assert fig.time_to_close.p90 == 38.9 * H
    # INC1 and INC2 were resolved at least once; INC2 was reopened.
    assert fig.reopen_rate == Rate(numerator=1, denominator=2)
    assert fig.reopen_rate.percent == 50.0
    # Export flags: INC1 made, INC3 not, INC2 no flag.
    assert fig.exported_sla == Rate(numerator=1, denominator=2)
    # INC3 is open at the end, 24 h old at now.
    assert fig.open_at_end == 1
    assert fig.open_age.median == 24 * H
    # Response: INC1 1 h <= 90 min (met); INC2 2 h (missed); INC3 1 h > 30 min (missed).
    assert fig.response_sla == Rate(numerator=1, denominator=3)
    # Resolution clock: INC1 New 1 h + Active 4 h = 5 h <= 8 h (met); INC2 New 2 h +
    # Active 4 h + (reopened) Active 4 h = 10 h > 8 h, the hold and the resolved
    # stretch not counted (missed); INC3 unresolved, 1 h + 23 h = 24 h > 12 h (missed).
    assert fig.resolution_sla == Rate(numerator=1, denominator=3)
    # Breaches per fault (INC2, INC3) and per row (INC2's 7 rows + INC3's 2 rows).
    assert fig.resolution_sla_breaches == 2
    assert fig.breached_rows == 7 + 2


def test_breached_rows_leave_out_unknown_labels() -> None:
    parked = EventRow(incident="INC2", label="Parked", at=T0 + 25 * H, priority=2)
    rows = [*HISTORY[:6], parked, *HISTORY[6:], EventRow(incident="INC3", label="?", at=NOW)]
    for loop_rows in (rows, iter(rows)):
        fig = handling_metrics(loop_rows, ITIL, now=NOW, sla=POLICY).overall
        assert fig.breached_rows == 7 + 2
    business = handling_metrics(
        rows, ITIL, now=NOW, sla=POLICY, calendar=BusinessCalendar(zone="UTC")
    ).overall
    assert business.breached_rows == 7 + 2
    assert handling_metrics(rows, ITIL, now=NOW).overall.resolution_sla_breaches is None


def test_grouped_by_priority_by_hand() -> None:
    report = handling_metrics(HISTORY, ITIL, now=NOW, group_by=[Dimension.PRIORITY], sla=POLICY)
    assert [group.key for group in report.groups] == [(Priority.HIGH,), (Priority.LOW,)]
    high = report.group(Priority.HIGH)
    assert high.faults == 2
    assert high.time_to_resolve.median == 10.5 * H
    assert high.reopen_rate == Rate(numerator=1, denominator=2)
    assert high.resolution_sla == Rate(numerator=1, denominator=2)
    low = report.group(Priority.LOW)
    assert low.faults == 1
    assert low.open_at_end == 1
    # Nothing resolved among P4 faults: the figures say so instead of dividing by zero.
    assert low.time_to_resolve.empty
    assert low.time_to_resolve.median is None
    assert low.reopen_rate.empty
    assert low.reopen_rate.value is None
    # A priority with no fault at all is an empty group.
    critical = report.group(Priority.CRITICAL)
    assert critical.empty
    assert critical.resolution_sla == Rate(numerator=0, denominator=0)
    with pytest.raises(InvalidInputError, match="key"):
        report.group(Priority.HIGH, "db")


def test_grouped_by_period_lists_empty_periods() -> None:
    report = handling_metrics(
        HISTORY, ITIL, now=NOW, group_by=(Dimension.PERIOD,), period=Period.DAY
    )
    keys = [group.key for group in report.groups]
    assert keys == [(date(2024, 3, 4),), (date(2024, 3, 5),), (date(2024, 3, 6),)]
    assert [group.figures.faults for group in report.groups] == [1, 1, 1]
    # Faults opened on 4, 5 and 6 March; group by month: one group.
    monthly = handling_metrics(HISTORY, ITIL, now=NOW, group_by=(Dimension.PERIOD,))
    assert [g.key for g in monthly.groups] == [(date(2024, 3, 1),)]
    # A gap between periods shows as an empty group.
    late = _rows("INC9", [("New", 24 * 9)], priority=3)
    gapped = handling_metrics(
        HISTORY + late, ITIL, now=NOW + 9 * 24 * H, group_by=(Dimension.PERIOD,), period=Period.DAY
    )
    assert len(gapped.groups) == 10
    assert gapped.group(date(2024, 3, 8)).empty


def test_grouped_by_two_dimensions() -> None:
    report = handling_metrics(
        HISTORY, ITIL, now=NOW, group_by=(Dimension.COMPONENT, Dimension.CHANNEL)
    )
    assert [g.key for g in report.groups] == [
        ("db", IntakeChannel.EMAIL),
        ("db", IntakeChannel.HOTLINE),
        ("web", IntakeChannel.HOTLINE),
    ]
    assert report.group("db", IntakeChannel.EMAIL).time_to_resolve.median == 16 * H


def test_reliability_per_component() -> None:
    # db: INC1 opened 0 h, restored (resolved) 5 h; INC2 opened 24 h, finally resolved
    # 40 h. Window: first to last failure, 0-24 h, one break; down 0-5 h.
    report = handling_metrics(HISTORY, ITIL, now=NOW)
    db, web = report.reliability
    assert (db.component, db.faults, db.restored, db.breaks) == ("db", 2, 2, 1)
    assert db.mtrs == (5 * H + 16 * H) / 2
    assert db.mtbsi == 24 * H  # what faultkit called "MTBF" before
    assert db.downtime == 5 * H
    assert db.mtbf == 19 * H
    # INC3 is not restored: no MTRS; one fault: no gap to measure
    assert (web.component, web.faults, web.restored) == ("web", 1, 0)
    assert web.mtrs is None
    assert web.mtbf is None
    assert web.mtbsi is None


def test_business_time_variant() -> None:
    # 09:00-17:00 Monday to Friday: INC1 opened Monday 09:00, resolved 14:00 (5 h),
    # closed Tuesday 14:00 (8 h Monday + 5 h Tuesday = 13 h).
    report = handling_metrics(HISTORY[:5], ITIL, now=NOW, calendar=BusinessCalendar())
    assert report.overall.time_to_resolve.median == 5 * H
    assert report.overall.time_to_close.median == 13 * H


def test_interleaved_rows_give_the_same_figures() -> None:
    interleaved = sorted(HISTORY, key=lambda row: row.at)
    assert interleaved != HISTORY
    a = handling_metrics(HISTORY, ITIL, now=NOW, sla=POLICY, group_by=(Dimension.PRIORITY,))
    b = handling_metrics(
        interleaved, ITIL, now=NOW, sla=POLICY, group_by=(Dimension.PRIORITY,), contiguous=False
    )
    assert a == b


def test_unknown_labels_are_counted_not_dropped_silently() -> None:
    rows = [*HISTORY[:2], EventRow(incident="INC1", label="Parked", at=T0 + 2 * H), *HISTORY[2:5]]
    report = handling_metrics(rows, ITIL, now=NOW)
    assert report.unknown_labels == 1
    assert report.unknown_label_examples == ("Parked",)
    assert report.overall.time_to_resolve.median == 5 * H


def test_negative_durations_are_clamped_and_counted() -> None:
    rows = [
        EventRow(incident="X", label="New", at=T0, opened_at=T0 + H),
        EventRow(incident="X", label="Resolved", at=T0 + timedelta(minutes=30)),
    ]
    report = handling_metrics(rows, ITIL, now=NOW)
    assert report.overall.time_to_resolve.median == timedelta(0)
    assert report.clamped == 2  # acknowledge and resolve


def test_empty_log() -> None:
    report = handling_metrics([], ITIL, now=NOW, group_by=(Dimension.PERIOD,))
    assert report.faults == 0
    assert report.groups == ()
    assert report.overall.empty
    assert report.overall.time_to_acknowledge.empty


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"now": datetime(2024, 1, 1)}, "now"),
        ({"group_by": ["priority"]}, "group_by[0]"),
        ({"group_by": [Dimension.PRIORITY, Dimension.PRIORITY]}, "group_by[1]"),
        ({"group_by": Dimension.TEAM}, "group_by[0]"),  # one dimension, of surveys only
        ({"group_by": [Dimension.PRIORITY, Dimension.REPORTER]}, "group_by[1]"),  # not on a row
        ({"period": "month"}, "period"),
        ({"tz": "UTC"}, "tz"),
        ({"sla": {2: H}}, "sla"),
        ({"calendar": "8x5"}, "calendar"),
        ({"exact_limit": 0}, "exact_limit"),
    ],
)
def test_bad_arguments_name_the_field(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"now": NOW, **kwargs}
    with pytest.raises(InvalidInputError) as info:
        handling_metrics(HISTORY, ITIL, **args)  # type: ignore[arg-type]
    assert info.value.field == field


def test_event_row_validates() -> None:
    with pytest.raises(InvalidInputError, match="at"):
        EventRow(incident="X", label="New", at=datetime(2024, 1, 1))
    with pytest.raises(InvalidInputError, match="priority"):
        EventRow(incident="X", label="New", at=T0, priority=7)
    assert EventRow(incident="X", label="New", at=T0, priority=3).priority is Priority.MODERATE


def test_summarize_and_sketch() -> None:
    assert summarize([]).empty
    assert summarize([H, 3 * H]).median == 2 * H
    with pytest.raises(InvalidInputError, match=r"durations\[1\]"):
        summarize([H, -H])
    # Above the exact limit, quantiles come from the sketch, within 0.5 %; merging
    # accumulators (the overall figures of a grouped report) keeps the figures.
    halves = [DurationAccumulator(100), DurationAccumulator(100)]
    for s in range(1, 1001):
        halves[s % 2].add(float(s))
    merged = DurationAccumulator.merge(halves, 100).summary()
    assert merged == summarize([timedelta(seconds=s) for s in range(1, 1001)], exact_limit=100)
    values = [timedelta(seconds=s) for s in range(1, 1001)]
    sketched = summarize(values, exact_limit=100)
    exact = summarize(values)
    assert exact.exact
    assert not sketched.exact
    assert sketched.n == exact.n == 1000
    assert sketched.mean == exact.mean
    assert sketched.maximum == exact.maximum
    assert sketched.median is not None
    assert exact.median is not None
    assert abs(sketched.median / exact.median - 1) <= 0.006
    assert sketched.p90 is not None
    assert exact.p90 is not None
    assert abs(sketched.p90 / exact.p90 - 1) <= 0.006


def test_rate_and_summary_refuse_inconsistent_values() -> None:
    with pytest.raises(InvalidInputError, match="numerator"):
        Rate(numerator=3, denominator=2)
    with pytest.raises(InvalidInputError, match="n"):
        DurationSummary(n=0, mean=H)
    with pytest.raises(InvalidInputError, match="n"):
        DurationSummary(n=2)


def test_report_records_round_trip() -> None:
    from faultkit.metrics import HandlingFigures
    from faultkit.serialization import from_dict, to_dict

    report = handling_metrics(HISTORY, ITIL, now=NOW, sla=POLICY, group_by=(Dimension.PRIORITY,))
    assert from_dict(to_dict(report.overall), HandlingFigures) == report.overall
    data = to_dict(report)
    assert data["groups"][0]["key"] == [2]
    assert data["overall"]["time_to_resolve"]["median"] == "PT10H30M"


def test_rows_of_any_type_with_the_attributes() -> None:
    # Not EventRow values: nothing validated them, and odd values pass through as keys.
    from types import SimpleNamespace

    rows = [
        SimpleNamespace(
            incident="X",
            label=label,
            at=T0 + hours * H,
            opened_at=None,
            priority=9,
            severity=None,
            component=None,
            channel="fax",
            made_sla=None,
        )
        for label, hours in [("New", 0), ("Resolved", 2)]
    ]
    report = handling_metrics(rows, ITIL, now=NOW, group_by=(Dimension.PRIORITY, Dimension.CHANNEL))
    assert [g.key for g in report.groups] == [(9, "fax")]
    assert report.group(9, "fax").time_to_resolve.median == 2 * H


def test_sla_decisions_for_stretches_past_the_calendar_horizon() -> None:
    # A resolved-at typed decades late (or a "never" placeholder near year 9999) is
    # decided like any late fault: the clocks stop counting just past the target.
    from faultkit.lifecycle import DEFAULT_SLA_POLICY

    decades = timedelta(days=30 * 366)
    rows = [
        EventRow(incident="LATE", label="New", at=T0, priority=3),
        EventRow(incident="LATE", label="Resolved", at=T0 + decades, priority=3),
        EventRow(incident="NEVER", label="New", at=T0, priority=3),
        EventRow(incident="NEVER", label="Active", at=T0 + H, priority=3),
        EventRow(
            incident="NEVER", label="Resolved", at=datetime(9999, 12, 31, tzinfo=UTC), priority=3
        ),
        EventRow(incident="SOON", label="New", at=T0, priority=3),
        EventRow(incident="SOON", label="Active", at=T0 + H, priority=3),
        EventRow(incident="SOON", label="Resolved", at=T0 + 2 * H, priority=3),
    ]
    report = handling_metrics(rows, ITIL, now=T0 + 2 * decades, sla=DEFAULT_SLA_POLICY)
    assert report.overall.resolution_sla == Rate(numerator=1, denominator=3)
    assert report.overall.response_sla == Rate(numerator=2, denominator=3)


def test_a_clock_stretch_that_ends_before_it_starts_is_counted_as_zero() -> None:
    # The clock runs 0-5 h (New), stops on hold, starts again at 7 h (Active) and
    # "stops" at 6 h (Resolved, a row out of time order): that stretch counts as 0 and
    # is one correction; the resolution clock is 5 h (met, 8 h target).
    rows = _rows(
        "INC7",
        [("New", 0), ("Awaiting User Info", 5), ("Active", 7), ("Resolved", 6)],
        priority=2,
    )
    office = BusinessCalendar(zone="UTC")  # 09:00-17:00, Monday to Friday
    office_policy = SlaPolicy(
        targets={2: SlaTarget(response=90 * H, resolution=80 * H)}, calendar=office
    )
    # the wall-clock loop; the general loop with wall-clock SLA; business-time SLA
    for policy, calendar in ((POLICY, None), (POLICY, office), (office_policy, None)):
        for given in (rows, iter(rows)):
            report = handling_metrics(given, ITIL, now=NOW, sla=policy, calendar=calendar)
            assert report.clamped == 1
            assert report.overall.resolution_sla == Rate(numerator=1, denominator=1)
    assert handling_metrics(rows, ITIL, now=NOW).clamped == 0  # no SLA: no clock


def test_a_business_clock_past_year_one_is_left_out_and_counted() -> None:
    # Opened at 0001-01-01 00:00+14:00, before the first instant Python holds in UTC: the
    # business-time clock cannot be counted; the fault is left out of SLA attainment.
    early = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))
    rows = [
        EventRow(incident="OLD", label="New", at=early, opened_at=early, priority=3),
        *_rows("INC1", [("New", 0), ("Resolved", 2)], priority=3),
    ]
    office = SlaPolicy(
        targets={3: SlaTarget(response=4 * H, resolution=24 * H)},
        calendar=BusinessCalendar(zone="UTC"),
    )
    report = handling_metrics(rows, ITIL, now=NOW, sla=office)
    assert report.sla_skipped == 1
    assert report.overall.resolution_sla is not None
    assert report.overall.resolution_sla.denominator == 1  # INC1 only
    assert report.faults == 2
