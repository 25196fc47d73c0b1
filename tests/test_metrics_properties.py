"""Rules that hold for any history: property tests of the metrics."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta, timezone

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.dimensions import FAULT_DIMENSIONS
from faultkit.lifecycle import (
    DEFAULT_SLA_POLICY,
    ITIL,
    PROCEDURE,
    Fault,
    SlaPolicy,
    SlaTarget,
    TransitionRecord,
    review_times,
    sla_status,
)
from faultkit.metrics import (
    Dimension,
    DurationSummary,
    EventRow,
    Rate,
    ReliabilityFigure,
    fault_rows,
    handling_metrics,
    quality_metrics,
    reliability_figure,
)
from faultkit.models import (
    FaultReport,
    Frequency,
    ImpactScope,
    IntakeChannel,
    Reporter,
    Severity,
    Urgency,
)
from faultkit.serialization import from_dict, to_dict
from faultkit.testing.lifecycle import fault_from_snapshot
from faultkit.testing.metrics import (
    duration_summaries,
    event_logs,
    event_rows,
    fault_histories,
    rates,
)

NOW = datetime(2024, 9, 1, tzinfo=UTC)
SETTINGS = settings(max_examples=60, deadline=None)
POLICY_24X7 = SlaPolicy(
    targets={
        level: SlaTarget(response=timedelta(hours=level), resolution=timedelta(hours=8 * level))
        for level in range(1, 6)
    },
    calendar=DEFAULT_SLA_POLICY.targets[1].calendar,  # round the clock
)


@SETTINGS
@given(event_logs())
def test_rates_are_within_0_and_100(rows: list[EventRow]) -> None:
    report = handling_metrics(rows, ITIL, now=NOW, sla=POLICY_24X7, group_by=(Dimension.PRIORITY,))
    for figures in [report.overall, *(g.figures for g in report.groups)]:
        for rate in (
            figures.reopen_rate,
            figures.response_sla,
            figures.resolution_sla,
            figures.exported_sla,
        ):
            assert rate is not None
            if rate.empty:
                assert rate.value is None
                assert rate.percent is None
            else:
                assert rate.percent is not None
                assert 0.0 <= rate.percent <= 100.0


@SETTINGS
@given(event_logs(), st.integers(min_value=0, max_value=10 * 24 * 60))
def test_a_faster_resolved_fault_never_raises_the_median(
    rows: list[EventRow], minutes: int
) -> None:
    before = handling_metrics(rows, ITIL, now=NOW).overall.time_to_resolve
    start = datetime(2023, 6, 1, tzinfo=UTC)
    fast = timedelta(minutes=minutes)
    if before.minimum is not None:
        fast = min(fast, before.minimum)
    extra = [
        EventRow(incident="Z-fast", label="New", at=start),
        EventRow(incident="Z-fast", label="Resolved", at=start + fast),
    ]
    after = handling_metrics(rows + extra, ITIL, now=NOW).overall.time_to_resolve
    assert after.n == before.n + 1
    if before.median is not None:
        assert after.median is not None
        assert after.median <= before.median
        assert after.p90 is not None
        assert before.p90 is not None
        assert after.p90 <= before.p90


@SETTINGS
@given(event_logs(), st.sampled_from(sorted(FAULT_DIMENSIONS - {Dimension.REPORTER})))
def test_groups_partition_the_faults(rows: list[EventRow], dimension: Dimension) -> None:
    report = handling_metrics(rows, ITIL, now=NOW, group_by=(dimension,), sla=POLICY_24X7)
    overall = report.overall
    groups = [group.figures for group in report.groups]
    assert sum(g.faults for g in groups) == overall.faults == report.faults
    assert sum(g.time_to_resolve.n for g in groups) == overall.time_to_resolve.n
    assert sum(g.reopen_rate.numerator for g in groups) == overall.reopen_rate.numerator
    assert overall.resolution_sla is not None
    assert (
        sum(g.resolution_sla.denominator for g in groups if g.resolution_sla is not None)
        == overall.resolution_sla.denominator
    )
    assert sum(m.faults for m in report.reliability) == report.faults
    # The overall figures of a grouped report (the groups merged) are the ungrouped ones.
    assert overall == handling_metrics(rows, ITIL, now=NOW, sla=POLICY_24X7).overall


@SETTINGS
@given(event_logs(), st.randoms(use_true_random=False))
def test_interleaving_does_not_change_the_figures(rows: list[EventRow], rnd: object) -> None:
    import random

    assert isinstance(rnd, random.Random)
    # Shuffle the faults' rows together, keeping each fault's own order.
    queues: dict[str, list[EventRow]] = {}
    for row in rows:
        queues.setdefault(row.incident, []).append(row)
    mixed: list[EventRow] = []
    while queues:
        incident = rnd.choice(sorted(queues))
        mixed.append(queues[incident].pop(0))
        if not queues[incident]:
            del queues[incident]
    a = handling_metrics(rows, ITIL, now=NOW, group_by=(Dimension.COMPONENT,))
    b = handling_metrics(mixed, ITIL, now=NOW, group_by=(Dimension.COMPONENT,), contiguous=False)
    assert a == b


def _fault(rows: list[EventRow], priority: int) -> Fault:
    """A lifecycle Fault with the history the rows describe (repeated states collapsed)."""
    first = rows[0]
    report = FaultReport(
        id=first.incident,
        title="t",
        description="d",
        observed_at=first.at,
        reported_at=first.at,
        reporter=Reporter(id="u1", name="Ann"),
        channel=IntakeChannel.HOTLINE,
        product="p",
        frequency=Frequency.ONCE,
        impact_scope=ImpactScope.SINGLE_USER,
        urgency=Urgency.HIGH,
    )
    state = ITIL.label_map[first.label]
    history = []
    for row in rows[1:]:
        to_state = ITIL.label_map[row.label]
        if to_state != state:
            history.append(
                TransitionRecord(
                    from_state=state, to_state=to_state, trigger="t", actor="a", at=row.at
                )
            )
            state = to_state
    return fault_from_snapshot(report, state, history, priority=priority)


@settings(max_examples=40, deadline=None)
@given(fault_histories(max_steps=8), st.integers(min_value=1, max_value=5), st.booleans())
def test_sla_attainment_agrees_with_the_lifecycle_clocks(
    rows: list[EventRow], priority: int, business: bool
) -> None:
    fault = _fault(rows, priority)
    policy = DEFAULT_SLA_POLICY if business else POLICY_24X7
    now = rows[-1].at + timedelta(hours=1)
    status = sla_status(fault, now=now, workflow=ITIL, policy=policy)
    figures = handling_metrics(fault_rows([fault]), ITIL, now=now, sla=policy).overall
    assert figures.response_sla is not None
    assert figures.resolution_sla is not None
    if figures.response_sla.denominator:
        assert (figures.response_sla.numerator == 1) is not status.response.breached
    else:
        assert not status.response.breached
    if figures.resolution_sla.denominator:
        assert (figures.resolution_sla.numerator == 1) is not status.resolution.breached
    else:
        assert not status.resolution.breached


def test_fault_rows_and_procedure_workflow() -> None:
    rows = [
        EventRow(incident="F", label="recorded", at=NOW),
        EventRow(incident="F", label="in_review", at=NOW + timedelta(hours=1)),
        EventRow(incident="F", label="diagnosing", at=NOW + timedelta(hours=3)),
        EventRow(incident="F", label="resolved", at=NOW + timedelta(hours=7)),
    ]
    fault = _procedure_fault(rows)
    report = handling_metrics(fault_rows([fault]), PROCEDURE, now=NOW + timedelta(days=1))
    assert report.rows == 4
    assert report.overall.time_to_acknowledge.median == timedelta(hours=3)
    assert report.overall.time_to_resolve.median == timedelta(hours=7)


def _procedure_fault(rows: list[EventRow]) -> Fault:
    fault = _fault_report_only(rows[0])
    history = [
        TransitionRecord(from_state=a.label, to_state=b.label, trigger="t", actor="x", at=b.at)
        for a, b in itertools.pairwise(rows)
    ]
    return Fault(report=fault, state=rows[-1].label, events=history)


def _fault_report_only(row: EventRow) -> FaultReport:
    return FaultReport(
        id=row.incident,
        title="t",
        description="d",
        observed_at=row.at,
        reported_at=row.at,
        reporter=Reporter(id="u1", name="Ann"),
        channel=IntakeChannel.EMAIL,
        product="p",
        component="spooler",
        frequency=Frequency.ONCE,
        impact_scope=ImpactScope.SINGLE_USER,
        urgency=Urgency.LOW,
    )


@settings(max_examples=40, deadline=None)
@given(st.one_of(event_rows(), rates(), duration_summaries()))
def test_records_round_trip(record: object) -> None:
    assert from_dict(to_dict(record), type(record)) == record


def test_reliability_figure_round_trips() -> None:
    figure = reliability_figure([(NOW, NOW + timedelta(hours=1)), (NOW + timedelta(hours=5), None)])
    assert from_dict(to_dict(figure), ReliabilityFigure) == figure
    assert from_dict(to_dict(Rate(numerator=1, denominator=2)), Rate).value == 0.5
    assert from_dict(to_dict(DurationSummary(n=0)), DurationSummary).empty


def _procedure_faults(rows: list[EventRow], severity: int) -> Fault:
    """A procedure-workflow Fault from a drawn history (repeated states collapsed)."""
    report = _fault_report_only(rows[0])
    state = PROCEDURE.label_map[rows[0].label]
    history = []
    for row in rows[1:]:
        to_state = PROCEDURE.label_map[row.label]
        if to_state != state:
            history.append(
                TransitionRecord(
                    from_state=state, to_state=to_state, trigger="t", actor="a", at=row.at
                )
            )
            state = to_state
    return fault_from_snapshot(report, state, history, severity=Severity(severity))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(fault_histories(workflow=PROCEDURE, max_steps=10), st.integers(1, 5)),
        max_size=6,
    )
)
def test_quality_figures_hold_for_any_procedure_history(
    drawn: list[tuple[list[EventRow], int]],
) -> None:
    faults = [
        _procedure_faults([attrs.evolve(row, incident=f"F{index}") for row in rows], severity)
        for index, (rows, severity) in enumerate(drawn)
    ]
    report = quality_metrics(faults, PROCEDURE, now=NOW, group_by=[Dimension.SEVERITY])
    overall = report.overall
    assert overall.faults == len(faults)
    rounds = sum(len(review_times(fault)) for fault in faults)
    assert overall.review_turnaround.n == rounds
    assert overall.returned_for_info.numerator <= overall.returned_for_info.denominator
    severe = sum(1 for fault in faults if fault.severity is not None and fault.severity.is_severe)
    assert overall.severe_rca_finished == Rate(numerator=0, denominator=severe)
    groups = [group.figures for group in report.groups]
    assert sum(g.faults for g in groups) == overall.faults
    assert sum(g.review_turnaround.n for g in groups) == rounds
    assert sum(g.returned_for_info.denominator for g in groups) == (
        overall.returned_for_info.denominator
    )


group_values = st.one_of(
    st.none(),
    st.integers(-5, 9),
    st.sampled_from(list(Severity)),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.just(UTC)),
    st.datetimes(timezones=st.sampled_from([timezone(timedelta(hours=-7)), UTC])),
    st.text(max_size=3),
)


@settings(max_examples=200)
@given(st.lists(st.tuples(group_values, group_values), max_size=12))
def test_group_keys_of_any_kinds_sort_and_one_kind_sorts_naturally(
    keys: list[tuple[object, object]],
) -> None:
    from faultkit.metrics.grouping import sort_key

    ordered = sorted(keys, key=sort_key)  # never raises, whatever the mix
    assert sorted(ordered, key=sort_key) == ordered
    assert [key[0] is None for key in ordered] == sorted(key[0] is None for key in ordered)
    numbers = [key[0] for key in ordered if type(key[0]) is int]
    assert numbers == sorted(numbers)
    days = [key[0] for key in ordered if type(key[0]) is date]
    assert days == sorted(days)
    aware = [key[0] for key in ordered if isinstance(key[0], datetime) and key[0].tzinfo]
    assert aware == sorted(aware)
    texts = [key[0] for key in ordered if type(key[0]) is str]
    assert texts == sorted(texts)


def test_aware_group_keys_sort_by_instant() -> None:
    from faultkit.metrics.grouping import sort_key

    west = timezone(timedelta(hours=-7))
    early = datetime(2024, 1, 2, 1, 0, tzinfo=UTC)  # reads later, happens earlier
    late = datetime(2024, 1, 1, 20, 0, tzinfo=west)  # 03:00 UTC on the 2nd
    assert late.isoformat() < early.isoformat()
    naive = datetime(2030, 1, 1)
    assert sorted([(late,), (None,), (early,), (naive,)], key=sort_key) == [
        (naive,),
        (early,),
        (late,),
        (None,),
    ]
