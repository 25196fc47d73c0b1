"""Feedback trends: counts per period (time-zone aware), Pareto, c-chart spikes."""

from __future__ import annotations

import itertools
import math
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.feedback import (
    FEEDBACK_DIMENSIONS,
    Classification,
    Dimension,
    Feedback,
    FeedbackType,
    HotlineFeedback,
    ParetoRow,
    Period,
    Point,
    RuleClassifier,
    Series,
    Spike,
    category_counts,
    classify_all,
    next_period,
    pareto,
    period_start,
    spikes,
    trend,
)
from faultkit.models import IntakeChannel
from faultkit.serialization import from_dict, to_dict
from faultkit.testing.feedback import any_feedback

BERLIN = ZoneInfo("Europe/Berlin")


def item(i: int, at: datetime, **kw: object) -> Feedback:
    fields: dict[str, object] = {
        "id": f"f{i}",
        "channel": IntakeChannel.STAFF,
        "received_at": at,
        "text": kw.pop("text", "printer jams"),
    }
    fields.update(kw)
    return Feedback(**fields)  # type: ignore[arg-type]


def test_period_start_in_a_time_zone_and_across_dst() -> None:
    late_sunday = datetime(2024, 3, 31, 22, 30, tzinfo=UTC)  # Monday 00:30 in Berlin (CEST)
    assert period_start(late_sunday, Period.DAY) == date(2024, 3, 31)
    assert period_start(late_sunday, Period.DAY, BERLIN) == date(2024, 4, 1)
    assert period_start(late_sunday, Period.WEEK) == date(2024, 3, 25)
    assert period_start(late_sunday, Period.WEEK, BERLIN) == date(2024, 4, 1)
    assert period_start(late_sunday, Period.MONTH, BERLIN) == date(2024, 4, 1)
    # 31 March 2024 is the DST change in Berlin: 23 hours, still one day.
    dst_day = [datetime(2024, 3, 30, 23, 0, tzinfo=UTC) + timedelta(hours=h) for h in range(23)]
    assert {period_start(d, Period.DAY, BERLIN) for d in dst_day} == {date(2024, 3, 31)}
    assert next_period(date(2024, 12, 1), Period.MONTH) == date(2025, 1, 1)
    with pytest.raises(InvalidInputError):
        period_start(datetime(2024, 1, 1), Period.DAY)
    with pytest.raises(InvalidInputError):
        period_start(late_sunday, "day")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        period_start(late_sunday, Period.DAY, "Europe/Berlin")  # type: ignore[arg-type]


def test_daily_counts_fill_gaps_and_respect_the_time_zone() -> None:
    items = [
        item(1, datetime(2024, 5, 1, 10, tzinfo=UTC)),
        item(2, datetime(2024, 5, 1, 23, 30, tzinfo=UTC)),  # 2 May in Berlin
        item(3, datetime(2024, 5, 4, 8, tzinfo=UTC)),
    ]
    (utc,) = trend(items, period=Period.DAY)
    assert utc.key == "all"
    assert [(p.start.day, p.count) for p in utc.points] == [(1, 2), (2, 0), (3, 0), (4, 1)]
    (local,) = trend(items, period=Period.DAY, tz=BERLIN)
    assert [(p.start.day, p.count) for p in local.points] == [(1, 1), (2, 1), (3, 0), (4, 1)]
    assert local.total == 3


def test_breakdowns_share_one_axis() -> None:
    items = [
        item(1, datetime(2024, 1, 15, tzinfo=UTC), product="A", text="app crashes"),
        item(2, datetime(2024, 3, 2, tzinfo=UTC), product="B", text="please add export"),
        item(3, datetime(2024, 3, 9, tzinfo=UTC), text="app crashes again"),
    ]
    by_product = trend(items, period=Period.MONTH, by=Dimension.PRODUCT)
    assert [s.key for s in by_product] == ["A", "B", None]
    assert all(
        [p.start for p in s.points] == [date(2024, m, 1) for m in (1, 2, 3)] for s in by_product
    )
    assert [p.count for p in by_product[0].points] == [1, 0, 0]
    by_type = trend(items, period=Period.MONTH, by=Dimension.TYPE, classifier=RuleClassifier())
    assert {s.key: s.total for s in by_type} == {"defect": 2, "feature_request": 1}
    stored = classify_all(items, RuleClassifier())
    assert trend(items, period=Period.MONTH, by=Dimension.TYPE, classifier=stored) == by_type
    by_channel = trend(items, period=Period.MONTH, by=Dimension.CHANNEL)
    assert [(s.key, s.total) for s in by_channel] == [("staff", 3)]
    given_types = {f.id: Classification(type=FeedbackType.PRAISE) for f in items}
    assert [s.key for s in trend(items, by=Dimension.TYPE, classifier=given_types)] == ["praise"]
    with pytest.raises(InvalidInputError) as missing:
        trend(items, by=Dimension.TYPE, classifier={})
    assert missing.value.field == "classifier['f1']"


def test_counting_by_type_never_falls_back_to_the_default_rules() -> None:
    items = [item(1, datetime(2024, 1, 15, tzinfo=UTC), text="app crashes")]
    # the caller said praise; the default rules would say defect: the caller wins
    said = {"f1": Classification(type=FeedbackType.PRAISE, type_rule="agent")}
    assert category_counts(items, Dimension.TYPE, classifier=said) == {"praise": 1}
    assert [s.key for s in trend(items, by=Dimension.TYPE, classifier=said)] == ["praise"]
    for call in (
        lambda: category_counts(items, Dimension.TYPE),
        lambda: trend(items, by=Dimension.TYPE),
    ):
        with pytest.raises(InvalidInputError, match="classification of each item"):
            call()
    with pytest.raises(InvalidInputError, match="Classifier or a mapping"):
        category_counts(items, Dimension.TYPE, classifier="rules")  # type: ignore[arg-type]


@pytest.mark.parametrize("by", [Dimension.PRIORITY, Dimension.TEAM, "period", "nosuch", 7])
def test_counts_refuse_a_dimension_feedback_does_not_carry(by: object) -> None:
    # one Dimension serves faults, feedback and surveys: each breakdown names its own
    items = [item(1, datetime(2024, 1, 15, tzinfo=UTC))]
    for call in (
        lambda: category_counts(items, by),  # type: ignore[arg-type]
        lambda: trend(items, by=by),  # type: ignore[arg-type]
    ):
        with pytest.raises(InvalidInputError) as caught:
            call()
        assert caught.value.field == "by"
        assert "(channel, product, type)" in caught.value.reason


def test_explicit_range_and_empty_input() -> None:
    items = [item(1, datetime(2024, 5, 8, tzinfo=UTC))]
    (weekly,) = trend(items, period=Period.WEEK, start=date(2024, 5, 1), end=date(2024, 5, 20))
    assert [p.start for p in weekly.points] == [
        date(2024, 4, 29),
        date(2024, 5, 6),
        date(2024, 5, 13),
        date(2024, 5, 20),
    ]
    assert [p.count for p in weekly.points] == [0, 1, 0, 0]
    assert trend([]) == ()
    (empty,) = trend([], start=date(2024, 5, 1), end=date(2024, 5, 1), period=Period.DAY)
    assert empty.points == (Point(start=date(2024, 5, 1), count=0),)
    with pytest.raises(InvalidInputError):
        trend(items, start=date(2024, 6, 1), end=date(2024, 5, 1))
    with pytest.raises(InvalidInputError):
        trend(["x"])  # type: ignore[list-item]


def _received(item: Feedback, at: datetime) -> Feedback:
    """``item`` received at ``at`` (a call moves with it: it cannot start after)."""
    if isinstance(item, HotlineFeedback):
        return attrs.evolve(item, received_at=at, call_started_at=at)
    return attrs.evolve(item, received_at=at)


_recent = st.tuples(any_feedback(), st.integers(0, 90 * 24 * 60)).map(
    lambda pair: _received(pair[0], datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=pair[1]))
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(_recent, max_size=25),
    st.sampled_from(Period),
    st.sampled_from(sorted(FEEDBACK_DIMENSIONS)),
)
def test_counts_add_up(items: list[Feedback], period: Period, by: Dimension) -> None:
    classifier = RuleClassifier() if by is Dimension.TYPE else None
    found = trend(items, period=period, by=by, classifier=classifier)
    assert sum(s.total for s in found) == len(items)
    axes = {tuple(p.start for p in s.points) for s in found}
    assert len(axes) <= 1
    for axis in axes:
        assert all(next_period(a, period) == b for a, b in itertools.pairwise(axis))
    assert sum(category_counts(items, by, classifier=classifier).values()) == len(items)


def test_pareto_vital_few() -> None:
    rows = pareto({"defect": 50, "question": 20, "praise": 10, "usability": 10, None: 10})
    assert [r.key for r in rows] == ["defect", "question", "praise", "usability", None]
    assert [r.vital for r in rows] == [True, True, True, False, False]
    assert rows[1] == ParetoRow(key="question", count=20, share=20.0, cumulative=70.0, vital=True)
    assert rows[-1].cumulative == 100.0
    assert [r.vital for r in pareto({"a": 80, "b": 20})] == [True, False]
    assert pareto({"a": 0}) == ()
    with pytest.raises(InvalidInputError):
        pareto({"a": -1})
    with pytest.raises(InvalidInputError):
        pareto({"a": 1}, cutoff=0)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(min_size=1).filter(str.strip), st.integers(0, 1000), max_size=12))
def test_pareto_properties(counts: dict[str, int]) -> None:
    rows = pareto(counts)  # type: ignore[arg-type]
    assert [r.count for r in rows] == sorted((c for c in counts.values() if c), reverse=True)
    if rows:
        assert math.isclose(rows[-1].cumulative, 100.0)
        vital = [r for r in rows if r.vital]
        assert vital == list(rows[: len(vital)])
        assert vital[-1].cumulative >= 80.0 - 1e-9
        assert len(vital) == 1 or vital[-2].cumulative < 80.0


def _series(counts: list[int], key: str = "all") -> Series:
    return Series(
        key=key,
        period=Period.DAY,
        points=tuple(
            Point(start=date(2024, 5, 1) + timedelta(days=i), count=c) for i, c in enumerate(counts)
        ),
    )


def test_spikes_c_chart_rule() -> None:
    # Eight days averaging 4: limit 4 + 3 * 2 = 10 (Montgomery's c chart).
    series = _series([4, 3, 5, 4, 4, 5, 3, 4, 11])
    (spike,) = spikes(series)
    assert spike == Spike(
        key="all", start=date(2024, 5, 9), count=11, expected=4.0, upper_limit=10.0
    )
    assert spikes(_series([4, 3, 5, 4, 4, 5, 3, 4, 10])) == ()  # on the limit is not above it
    # A count equal to the limit is not above it; a quiet history needs min_count.
    assert spikes(_series([0, 0, 0, 0, 2])) == ()
    assert [s.count for s in spikes(_series([0, 0, 0, 0, 3]))] == [3]
    assert spikes(_series([1, 1, 1, 50])) == ()  # not enough history
    assert len(spikes([series, _series([1, 1, 1, 1, 9], key="b")])) == 2
    for bad in ({"window": 0}, {"min_history": 9}, {"sigma": 0}):
        with pytest.raises(InvalidInputError):
            spikes(series, **bad)  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 30), max_size=30))
def test_spikes_are_above_their_limit(counts: list[int]) -> None:
    for spike in spikes(_series(counts)):
        assert spike.count > spike.upper_limit >= spike.expected
        assert spike.count >= 3
    flat = _series([max(counts, default=0)] * len(counts))
    assert spikes(flat) == ()


def test_trend_records_round_trip() -> None:
    series = _series([1, 2, 3])
    assert from_dict(to_dict(series), Series) == series
    row = pareto({"a": 3, "b": 1})[0]
    assert from_dict(to_dict(row), ParetoRow) == row
    (spike,) = spikes(_series([1, 1, 1, 1, 9]))
    assert from_dict(to_dict(spike), Spike) == spike
    assert to_dict(series)["points"][0] == {"start": "2024-05-01", "count": 1}
