"""Partial states merged over chunks give the single-pass figures.

Counts and rates exactly; durations exactly while they fit the exact limit, and, once
sketched, the very sketch a single pass builds (median and P90 within the stated 0.5 %
of the exact rank item).
"""

from __future__ import annotations

import itertools
import math
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.metrics import Rate, summarize
from faultkit.metrics.partial import DurationState, RateState, merge_all

DURATIONS = st.lists(
    st.one_of(
        st.just(timedelta(0)),
        st.integers(0, 90 * 24 * 3600 * 1_000_000).map(lambda us: timedelta(microseconds=us)),
    ),
    max_size=80,
)


def chunks(draw: st.DrawFn, items: list[timedelta]) -> list[list[timedelta]]:
    cuts = sorted(draw(st.lists(st.integers(0, len(items)), max_size=6)))
    bounds = [0, *cuts, len(items)]
    return [items[a:b] for a, b in itertools.pairwise(bounds)]


@settings(max_examples=200, deadline=None)
@given(st.data(), DURATIONS, st.integers(0, 40))
def test_chunked_durations_equal_single_pass(
    data: st.DataObject, items: list[timedelta], limit: int
) -> None:
    parts = chunks(data.draw, items)
    order = data.draw(st.permutations(range(len(parts))))
    states = [DurationState.of_timedeltas(parts[i], limit=limit) for i in order]
    merged = merge_all(states, DurationState(limit=limit)).summary()
    single = summarize(items, exact_limit=limit)
    assert merged.n == single.n == len(items)
    assert merged.exact == single.exact
    assert (merged.median, merged.p90) == (single.median, single.p90)
    assert (merged.minimum, merged.maximum) == (single.minimum, single.maximum)
    if items:
        assert merged.mean is not None
        assert single.mean is not None
        assert abs(merged.mean - single.mean) <= timedelta(microseconds=1)
    else:
        assert merged.mean is None


@settings(max_examples=100, deadline=None)
@given(DURATIONS.filter(lambda items: len(items) > 5))
def test_sketched_quantiles_within_the_stated_bound(items: list[timedelta]) -> None:
    seconds = sorted(item.total_seconds() for item in items)
    half = len(items) // 2
    state = DurationState.of_timedeltas(items[:half], limit=2).merge(
        DurationState.of_timedeltas(items[half:], limit=2)
    )
    figures = state.summary()
    assert not figures.exact
    for q, got in ((0.5, figures.median), (0.9, figures.p90)):
        assert got is not None
        exact = seconds[math.floor(q * (len(seconds) - 1))]
        # 0.5 % relative, plus the microsecond the figures are rounded to
        assert abs(got.total_seconds() - exact) <= 0.005 * exact + 1e-6


@settings(max_examples=100, deadline=None)
@given(DURATIONS, DURATIONS, DURATIONS, st.integers(0, 50))
def test_merge_is_associative_and_commutative(
    a: list[timedelta], b: list[timedelta], c: list[timedelta], limit: int
) -> None:
    x, y, z = (DurationState.of_timedeltas(items, limit=limit) for items in (a, b, c))
    left = x.merge(y).merge(z).summary()
    right = z.merge(x.merge(y)).summary()
    assert (left.n, left.median, left.p90, left.minimum, left.maximum) == (
        right.n,
        right.median,
        right.p90,
        right.minimum,
        right.maximum,
    )


@given(st.lists(st.one_of(st.none(), st.booleans())), st.integers(0, 30))
def test_rates_merge_exactly(flags: list[bool | None], cut: int) -> None:
    merged = RateState.of(flags[:cut]).merge(RateState.of(flags[cut:])).rate()
    decided = [f for f in flags if f is not None]
    assert merged == Rate(numerator=sum(decided), denominator=len(decided))


def test_bad_input_is_named() -> None:
    with pytest.raises(InvalidInputError) as caught:
        DurationState.of([1.0, -2.0])
    assert caught.value.field == "seconds[1]"
    with pytest.raises(InvalidInputError):
        DurationState.of_timedeltas([timedelta(1), 3])  # type: ignore[list-item]
    with pytest.raises(InvalidInputError):
        DurationState(limit=1).merge(DurationState(limit=2))
    with pytest.raises(InvalidInputError):
        RateState(numerator=2, denominator=1)


def test_empty_states() -> None:
    assert DurationState().summary().empty
    assert merge_all([], RateState()).rate().value is None
