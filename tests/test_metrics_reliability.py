"""MTRS, MTBF and MTBSI (ITIL 4 names): golden vectors, identities, merging, bad input.

Golden vectors:

- ITIL Service Design (2011), 4.4.5.2, the availability worked example: a 24 x 7
  service observed for 5,020 hours with two breaks, of 6 and 14 hours. ITIL's formulas:
  MTBSI = available time / breaks = 5,020 / 2 = 2,510 h; MTBF = (available time - total
  downtime) / breaks = (5,020 - 20) / 2 = 2,500 h; MTRS = downtime / breaks = 20 / 2 =
  10 h. The numbers are recomputed by hand below, not taken from the code.
- A small timeline worked by hand, with overlapping faults.

The property tests check the identities on random timelines against a brute-force
count of covered minutes (another way to compute the downtime than the code's merge of
intervals).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.metrics import ReliabilityFigure, Timeline, reliability_figure

T0 = datetime(2024, 1, 1, tzinfo=UTC)
H = timedelta(hours=1)
M = timedelta(minutes=1)


def at(hours: float) -> datetime:
    return T0 + hours * H


def test_itil_worked_example() -> None:
    # 5,020 h observed, breaks at 1,000 h (6 h long) and 3,000 h (14 h long).
    available, downtime, breaks = 5020, 6 + 14, 2
    fig = reliability_figure([(at(1000), at(1006)), (at(3000), at(3014))], window=(at(0), at(5020)))
    assert (fig.faults, fig.restored, fig.breaks) == (2, 2, breaks)
    assert fig.available == available * H
    assert fig.downtime == downtime * H
    assert fig.mtbsi == available / breaks * H == 2510 * H
    assert fig.mtbf == (available - downtime) / breaks * H == 2500 * H
    assert fig.mtrs == downtime / breaks * H == 10 * H
    assert fig.mtbsi == fig.mtbf + fig.mtrs  # ITIL's identity, exact here


def test_hand_worked_timeline_with_overlap() -> None:
    # Faults of one component: A 0-4 h, B 2-6 h (overlaps A), C 10-11 h, D 20 h never
    # restored. Own timeline: 0-20 h, 3 breaks. Down 0-6 h and 10-11 h: 7 h.
    fig = reliability_figure(
        [(at(0), at(4)), (at(2), at(6)), (at(10), at(11)), (at(20), None)], component="db"
    )
    assert (fig.component, fig.faults, fig.restored, fig.breaks) == ("db", 4, 3, 3)
    assert (fig.first_opened, fig.last_opened) == (at(0), at(20))
    assert fig.downtime == 7 * H
    assert fig.mtrs == (4 + 4 + 1) / 3 * H  # per incident, the overlap counts twice
    assert fig.mtbsi == 20 / 3 * H
    assert fig.mtbf == (20 - 7) / 3 * H
    # Overlap breaks ITIL's identity: MTBSI = MTBF + downtime / breaks, not + MTRS.
    assert fig.mtbsi - fig.mtbf == pytest.approx(7 / 3 * H, abs=timedelta(microseconds=1))
    assert fig.mtbsi != fig.mtbf + fig.mtrs


def test_window_cuts_outages_and_counts_breaks_inside() -> None:
    # A starts before the window (no break, but its downtime inside counts); B inside,
    # not restored: down until the window's end.
    fig = reliability_figure([(at(-5), at(2)), (at(6), None)], window=(at(0), at(10)))
    assert (fig.faults, fig.restored, fig.breaks) == (1, 0, 1)
    assert fig.downtime == 2 * H + 4 * H
    assert fig.mtbf == 4 * H
    assert fig.mtbsi == 10 * H
    assert fig.mtrs is None


def test_fewer_than_two_faults_have_no_gap() -> None:
    empty = reliability_figure([])
    assert empty.faults == 0
    assert empty.first_opened is None
    assert empty.mtbsi is None
    one = reliability_figure([(at(0), at(3))])
    assert one.mtrs == 3 * H
    assert one.mtbf is None
    assert one.mtbsi is None


def test_restored_before_opened_counts_as_zero() -> None:
    fig = reliability_figure([(at(5), at(1)), (at(10), at(12))])
    assert fig.mtrs == 1 * H  # (0 + 2) / 2
    assert fig.downtime == timedelta(0)
    assert fig.mtbf == 5 * H


@pytest.mark.parametrize(
    ("outages", "window", "field"),
    [
        ([(datetime(2024, 1, 1), None)], None, "outages[0].opened"),
        ([(T0, datetime(2024, 1, 2))], None, "outages[0].restored"),
        ([(T0,)], None, "outages[0]"),
        (["not a pair"], None, "outages[0]"),
        ([(T0, None)], (T0 + H, T0), "window.end"),
        ([(T0, None)], (T0,), "window"),
    ],
)
def test_bad_input_names_the_field(outages: list[object], window: object, field: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        reliability_figure(outages, window=window)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError)
    assert field in str(caught.value)


# Random timelines in whole minutes: (start, length or None) per fault.
FAULTS = st.lists(
    st.tuples(st.integers(0, 3000), st.none() | st.integers(0, 600)), min_size=0, max_size=25
)


def _outages(faults: list[tuple[int, int | None]]) -> list[tuple[datetime, datetime | None]]:
    return [(T0 + s * M, None if d is None else T0 + (s + d) * M) for s, d in faults]


def _covered_minutes(faults: list[tuple[int, int | None]], low: int, high: int) -> int:
    """Brute force: the minutes in [low, high) with at least one fault not restored."""
    down = set()
    for start, length in faults:
        end = high if length is None else start + length
        down.update(range(max(start, low), min(end, high)))
    return len(down)


@settings(max_examples=300, deadline=None)
@given(FAULTS)
def test_uptime_plus_downtime_is_the_window(faults: list[tuple[int, int | None]]) -> None:
    fig = reliability_figure(_outages(faults))
    assert fig.faults == len(faults)
    assert fig.restored == sum(1 for _s, d in faults if d is not None)
    if len(faults) < 2:
        assert fig.mtbf is None
        assert fig.mtbsi is None
        return
    low, high = min(s for s, _d in faults), max(s for s, _d in faults)
    assert fig.available == (high - low) * M
    assert fig.downtime == _covered_minutes(faults, low, high) * M
    assert fig.breaks == len(faults) - 1
    # Always: MTBSI * breaks = MTBF * breaks + downtime (each to the microsecond).
    assert fig.mtbsi is not None
    assert fig.mtbf is not None
    assert abs(fig.mtbsi * fig.breaks - (fig.mtbf * fig.breaks + fig.downtime)) <= fig.breaks * (
        timedelta(microseconds=1)
    )
    assert timedelta(0) <= fig.mtbf <= fig.mtbsi
    restored = [d for _s, d in faults if d is not None]
    assert fig.mtrs == (sum(restored) * M / len(restored) if restored else None)


@st.composite
def separate_outages(draw: st.DrawFn) -> list[tuple[int, int | None]]:
    """Outages that never overlap, each restored before the next failure."""
    faults = []
    start = draw(st.integers(0, 100))
    for _ in range(draw(st.integers(2, 15))):
        length = draw(st.integers(0, 300))
        faults.append((start, length))
        start += length + draw(st.integers(1, 500))
    return faults


@settings(max_examples=300, deadline=None)
@given(separate_outages())
def test_mtbsi_is_mtbf_plus_mtrs_without_overlap(faults: list[tuple[int, int | None]]) -> None:
    """ITIL's MTBSI = MTBF + MTRS holds where its assumptions do: no overlap, every
    outage restored before the next failure, and MTRS over the breaks of the window
    (every fault but the last, whose outage lies after the last failure start)."""
    fig = reliability_figure(_outages(faults))
    breaks_mtrs = sum(d for _s, d in faults[:-1] if d is not None) * M / (len(faults) - 1)
    assert fig.mtbsi is not None
    assert fig.mtbf is not None
    assert abs(fig.mtbsi - (fig.mtbf + breaks_mtrs)) <= timedelta(microseconds=2)
    # With a window that ends after the last restoration, it holds with every fault.
    last_start, last_length = faults[-1]
    end = last_start + (last_length or 0) + 1
    windowed = reliability_figure(_outages(faults), window=(T0, T0 + end * M))
    assert windowed.mtbsi is not None
    assert windowed.mtbf is not None
    assert windowed.mtrs is not None
    assert abs(windowed.mtbsi - (windowed.mtbf + windowed.mtrs)) <= timedelta(microseconds=2)


@settings(max_examples=150, deadline=None)
@given(FAULTS, st.integers(0, 25), st.randoms(use_true_random=False))
def test_timelines_merge_in_any_split_and_order(
    faults: list[tuple[int, int | None]], cut: int, rng: random.Random
) -> None:
    outages = _outages(faults)
    single = reliability_figure(outages, component="x")
    shuffled = list(outages)
    rng.shuffle(shuffled)
    left, right = Timeline(), Timeline()
    for opened, restored in shuffled[:cut]:
        left.add(opened, restored)
    for opened, restored in shuffled[cut:]:
        right.add(opened, restored)
    merged = left.merge(right).figure("x")
    assert (merged.faults, merged.restored, merged.downtime, merged.mtbf, merged.mtbsi) == (
        single.faults,
        single.restored,
        single.downtime,
        single.mtbf,
        single.mtbsi,
    )
    assert merged.mtrs == single.mtrs


def test_many_outages_stay_merged() -> None:
    # 5,000 faults that all overlap one long outage: the timeline keeps few intervals.
    timeline = Timeline()
    for minute in range(5000):
        timeline.add(T0 + minute * M, T0 + (minute + 10) * M)
    assert len(timeline.spans) + len(timeline.pending) <= 2 * 130
    fig = timeline.figure(None)
    assert fig.downtime == 4999 * M  # cut at the last failure's start
    assert fig.mtbf == timedelta(0)


def test_time_zones_do_not_matter() -> None:
    east = timezone(timedelta(hours=5))
    utc = reliability_figure([(at(0), at(1)), (at(10), at(12))])
    mixed = reliability_figure([(at(0).astimezone(east), at(1)), (at(10), at(12).astimezone(east))])
    assert (utc.mtrs, utc.mtbf, utc.mtbsi) == (mixed.mtrs, mixed.mtbf, mixed.mtbsi)
    assert isinstance(mixed, ReliabilityFigure)
