"""The Kaplan-Meier estimator against lifelines, and predictions with open faults."""

from __future__ import annotations

import math
import random
import sys
from bisect import bisect_right
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.scoring import (
    DurationModel,
    KaplanMeier,
    OpenFault,
    ResolvedFault,
    predict_duration,
)
from faultkit.scoring.survival import LEVEL_TOLERANCE, NUMPY_FROM, Engine
from faultkit.serialization import from_dict, to_dict
from faultkit.testing.scoring import open_faults, resolved_faults

NOW = datetime(2026, 3, 1, tzinfo=UTC)
H = timedelta(hours=1)
ENGINES: tuple[Engine, ...] = ("python", "numpy")

# ------------------------------------------------------------------ equal to lifelines

durations_with_ties = st.lists(
    st.one_of(
        st.sampled_from([0, 0.0, 1, 2, 2.5, 3, 10]),  # ties and zero durations
        st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False),
        st.integers(min_value=0, max_value=50),
    ),
    min_size=1,
    max_size=60,
)


@st.composite
def samples(draw: st.DrawFn) -> tuple[list[float], list[bool]]:
    durations = draw(durations_with_ties)
    mode = draw(st.sampled_from(["mixed", "all_observed", "all_censored"]))
    if mode == "mixed":
        flags = draw(st.lists(st.booleans(), min_size=len(durations), max_size=len(durations)))
    else:
        flags = [mode == "all_observed"] * len(durations)
    return durations, flags


def lifelines_time(level: float, curve: Any) -> float | None:
    from lifelines.utils import qth_survival_time

    t = qth_survival_time(level, curve)
    return None if t == math.inf else float(t)


def check_against_lifelines(
    durations: list[float], flags: list[bool], engine: Engine = "auto"
) -> None:
    lifelines = pytest.importorskip("lifelines")
    if engine == "numpy":
        pytest.importorskip("numpy")
    kmf = lifelines.KaplanMeierFitter().fit(durations, flags)
    km = KaplanMeier.fit(durations, flags, engine=engine)
    curve = kmf.survival_function_.iloc[:, 0]
    lower = kmf.confidence_interval_.iloc[:, 0]
    upper = kmf.confidence_interval_.iloc[:, 1]
    # lifelines has a row at every distinct duration; the curve steps only where a
    # fault was resolved, and that is where faultkit keeps one: compare at every row.
    assert set(km.times) <= {float(t) for t in curve.index}
    for t, s, lo, hi in zip(curve.index, curve, lower, upper, strict=True):
        i = bisect_right(km.times, t) - 1
        assert abs(km.survival_at(t) - s) <= 1e-9
        assert abs(km.lower[i] - lo) <= 1e-9
        assert abs(km.upper[i] - hi) <= 1e-9
    median = kmf.median_survival_time_
    for q in (0.1, 0.25, 0.5, 0.75, 0.9):
        level = 1 - q
        # lifelines' own answer, with the rounding allowance (see LEVEL_TOLERANCE)...
        assert km.quantile(q) == lifelines_time(level + LEVEL_TOLERANCE, curve)
        low, high = km.quantile_interval(q)
        assert low == lifelines_time(level + LEVEL_TOLERANCE, lower)
        assert high == lifelines_time(level + LEVEL_TOLERANCE, upper)
        # ...which is lifelines' answer itself unless its curve rounds just above the level.
        if not any(level < s <= level + LEVEL_TOLERANCE for s in curve.to_numpy()):
            assert km.quantile(q) == lifelines_time(level, curve)
    if not any(0.5 < s <= 0.5 + LEVEL_TOLERANCE for s in curve.to_numpy()):
        assert km.median == (None if median == math.inf else median)


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=300, deadline=None)
@given(samples())
def test_equal_to_lifelines(engine: Engine, sample: tuple[list[float], list[bool]]) -> None:
    check_against_lifelines(*sample, engine=engine)


@pytest.mark.parametrize(
    ("durations", "flags"),
    [
        ([7], [True]),  # a single observation
        ([7], [False]),  # a single open fault
        ([0, 0, 0], [True, True, True]),  # zero durations only
        ([0, 0, 5], [True, False, False]),
        ([3, 3, 3, 3], [False, False, False, False]),  # all censored: no quantile
        ([1, 2, 2, 3], [True, False, True, True]),
        ([1, 1, 1, 2, 2, 2, 9, 9], [True, False, True, True, False, True, True, False]),
    ],
)
@pytest.mark.parametrize("engine", ENGINES)
def test_edge_cases_equal_lifelines(
    durations: list[float], flags: list[bool], engine: Engine
) -> None:
    check_against_lifelines(durations, flags, engine)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("distinct", [False, True])
def test_large_samples_equal_lifelines_by_counting_and_by_sorting(
    distinct: bool, engine: Engine
) -> None:
    # Pure Python counts mostly tied durations and sorts mostly distinct ones; numpy
    # sorts both: every way gives lifelines' rows.
    rng = random.Random(19)
    n = 20_000
    if distinct:
        durations = [rng.lognormvariate(8, 1.3) for _ in range(n)]
    else:
        durations = [float(round(rng.lognormvariate(4, 1))) for _ in range(n)]
    flags = [rng.random() >= 0.3 for _ in range(n)]
    check_against_lifelines(durations, flags, engine)


def test_all_censored_has_no_quantile_and_a_flat_curve() -> None:
    km = KaplanMeier.fit([3, 5, 8], [False, False, False])
    assert (km.times, km.survival) == ((0.0,), (1.0,))
    assert (km.median, km.quantile(0.1), km.quantile_interval(0.5)) == (None, None, (None, None))
    assert (km.n, km.n_events, km.n_censored) == (3, 0, 3)


def test_textbook_median_where_lifelines_rounds_past_it() -> None:
    # Six faults resolved after 1..6 h: S(3 h) = 3/6 exactly, the median is 3 h.
    # lifelines computes S(3 h) = 0.5000000000000001 and answers 4 h.
    km = KaplanMeier.fit([1, 2, 3, 4, 5, 6])
    assert km.survival[3] == pytest.approx(0.5, abs=1e-15)
    assert km.median == 3.0
    lifelines = pytest.importorskip("lifelines")
    assert lifelines.KaplanMeierFitter().fit([1, 2, 3, 4, 5, 6]).median_survival_time_ == 4.0


def test_survival_at_is_a_step_function() -> None:
    km = KaplanMeier.fit([2, 4], [True, True])
    assert [km.survival_at(t) for t in (-1, 0, 1.9, 2, 3, 4, 100)] == [1, 1, 1, 0.5, 0.5, 0, 0]


@pytest.mark.parametrize(
    ("durations", "flags", "field"),
    [
        ([], None, "durations"),
        ([1, -1], None, "durations[1]"),
        ([1, math.nan], None, "durations[1]"),
        ([1, math.inf], None, "durations[1]"),
        ([1, True], None, "durations[1]"),
        ([1, "2"], None, "durations[1]"),
        ([1, 2], [True], "observed"),
        ([1, 2], [True, 1], "observed[1]"),
        ([1, 10**400], None, "durations[1]"),  # past the largest float
        ([*range(100), -0.5], None, "durations[100]"),
        ([*range(100), math.inf], None, "durations[100]"),
    ],
)
@pytest.mark.parametrize("engine", ENGINES)
def test_bad_input_names_the_value(
    durations: list[Any], flags: Any, field: str, engine: Engine
) -> None:
    with pytest.raises(InvalidInputError) as info:
        KaplanMeier.fit(durations, flags, engine=engine)
    assert info.value.field == field


# ------------------------------------------------------------------ numpy and pure Python

larger_samples = st.integers(min_value=1, max_value=400).flatmap(
    lambda n: st.tuples(
        st.lists(
            st.one_of(
                st.integers(min_value=0, max_value=30),  # many ties
                st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False),
            ),
            min_size=n,
            max_size=n,
        ),
        st.one_of(st.none(), st.lists(st.booleans(), min_size=n, max_size=n)),
    )
)


@settings(max_examples=200, deadline=None)
@given(larger_samples, st.sampled_from([0.05, 0.01, 0.3]))
def test_numpy_and_pure_python_give_the_same_curve(
    sample: tuple[list[float], list[bool] | None], alpha: float
) -> None:
    pytest.importorskip("numpy")
    durations, flags = sample
    ours = KaplanMeier.fit(durations, flags, alpha=alpha, engine="python")
    theirs = KaplanMeier.fit(durations, flags, alpha=alpha, engine="numpy")
    assert (ours.times, ours.at_risk, ours.events, ours.n) == (
        theirs.times,
        theirs.at_risk,
        theirs.events,
        theirs.n,
    )
    for column in ("survival", "lower", "upper"):
        a, b = getattr(ours, column), getattr(theirs, column)
        assert len(a) == len(b)
        assert max(abs(x - y) for x, y in zip(a, b, strict=True)) <= 1e-12, column
    assert all(isinstance(t, float) for t in theirs.times)
    assert all(type(k) is int for k in (*theirs.at_risk, *theirs.events))


def test_auto_is_pure_python_without_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    durations = [float(i % 37) for i in range(NUMPY_FROM * 3)]
    flags = [i % 5 != 0 for i in range(len(durations))]
    with_numpy = KaplanMeier.fit(durations, flags)
    monkeypatch.setitem(sys.modules, "numpy", None)  # import numpy now fails
    monkeypatch.delitem(sys.modules, "faultkit.scoring.survival_numpy", raising=False)
    without = KaplanMeier.fit(durations, flags)
    assert (without.times, without.at_risk) == (with_numpy.times, with_numpy.at_risk)
    assert without.survival == pytest.approx(with_numpy.survival, abs=1e-12)
    with pytest.raises(InvalidInputError) as info:
        KaplanMeier.fit(durations, flags, engine="numpy")
    assert (info.value.field, info.value.value) == ("engine", "numpy")
    assert "not installed" in str(info.value)


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(InvalidInputError) as info:
        KaplanMeier.fit([1.0], engine="fortran")  # type: ignore[arg-type]
    assert info.value.field == "engine"


@pytest.mark.parametrize("engine", ENGINES)
def test_ints_past_float_precision_merge(engine: Engine) -> None:
    # 2**60 and 2**60 + 1 are one float: one time of the curve, two faults resolved.
    # (lifelines 0.30 keeps the ints apart and shows two rows at the same float time.)
    km = KaplanMeier.fit([2**60, 2**60 + 1, 3], engine=engine)
    assert (km.times, km.events, km.survival) == (
        (0.0, 3.0, float(2**60)),
        (0, 1, 2),
        (1.0, 2 / 3, 0.0),
    )


def test_bad_levels_and_alpha_are_refused() -> None:
    km = KaplanMeier.fit([1, 2])
    for call, field in (
        (lambda: km.quantile(1.5), "q"),
        (lambda: km.quantile_interval(-0.1), "q"),
        (lambda: km.time_at_survival(True), "level"),
        (lambda: km.survival_at(math.nan), "t"),
        (lambda: KaplanMeier.fit([1], alpha=0), "alpha"),
    ):
        with pytest.raises(InvalidInputError) as info:
            call()
        assert info.value.field == field


# ------------------------------------------------------------------ predictions


def resolved(hours: float, **groups: Any) -> ResolvedFault:
    return ResolvedFault(duration=hours * H, groups=groups)


def still_open(hours: float, **groups: Any) -> OpenFault:
    return OpenFault(reported_at=NOW - hours * H, groups=groups)


def test_open_faults_lengthen_the_prediction() -> None:
    history = [resolved(h, category="hw") for h in (1, 2, 3, 4)]
    short = DurationModel(history).predict(category="hw")
    assert (short.p50, short.p90, short.open) == (2 * H, 4 * H, 0)
    history += [still_open(h, category="hw") for h in (10, 20, 30, 40)]
    model = DurationModel(history, now=NOW, min_samples=5)
    p = model.predict(category="hw")
    assert (p.samples, p.open, p.group) == (8, 4, (("category", "hw"),))
    # S = 7/8, 6/8, 5/8, 4/8 after 1..4 h; then only open faults: S stays 0.5.
    assert (p.p10, p.p50, p.p90) == (1 * H, 4 * H, None)
    assert p.p90_interval == (None, None)
    assert model.curve((("category", "hw"),)).n_censored == 4


def test_open_faults_need_now_and_must_not_be_in_the_future() -> None:
    with pytest.raises(InvalidInputError) as info:
        DurationModel([resolved(1), still_open(2)])
    assert info.value.field == "now"
    with pytest.raises(InvalidInputError) as info:
        DurationModel([resolved(1), still_open(-2)], now=NOW)
    assert info.value.field == "history[1].reported_at"
    with pytest.raises(InvalidInputError) as info:
        DurationModel([resolved(1)], now=datetime(2026, 3, 1))
    assert info.value.field == "now"
    with pytest.raises(InvalidInputError) as info:
        OpenFault(reported_at=datetime(2026, 1, 1))
    assert info.value.field == "reported_at"
    with pytest.raises(InvalidInputError) as info:
        DurationModel([resolved(1)]).curve((("category", "x"),))
    assert info.value.field == "group"


@settings(max_examples=100, deadline=None)
@given(
    st.lists(resolved_faults(), min_size=1, max_size=40),
    st.lists(open_faults(now=NOW), min_size=1, max_size=20),
    resolved_faults(),
)
def test_open_faults_never_shorten_a_quantile(
    done: list[ResolvedFault], pending: list[OpenFault], new: ResolvedFault
) -> None:
    # Adding a right-censored observation raises n_i at every t_i up to it and changes
    # nothing after: S(t) never decreases, so no quantile gets shorter.
    before = DurationModel(done, min_samples=1).predict(new.groups)
    after_model = DurationModel([*done, *pending], now=NOW, min_samples=1)
    group_members = after_model.curve(before.group)
    assume(group_members.n > before.samples)  # some open fault is in the same group
    after = after_model.predict(dict(before.group))
    assert after.group == before.group
    for q in ("p10", "p50", "p90"):
        old, new_value = getattr(before, q), getattr(after, q)
        assert old is not None
        assert new_value is None or new_value >= old


@given(open_faults(now=NOW))
def test_open_faults_round_trip(fault: OpenFault) -> None:
    assert from_dict(to_dict(fault), OpenFault) == fault


def test_one_shot_helper_takes_open_faults() -> None:
    p = predict_duration(
        [resolved(1), resolved(2), still_open(5)], {}, now=NOW, keys=(), min_samples=1
    )
    assert (p.samples, p.open, p.p50) == (3, 1, 2 * H)


def test_hostile_but_valid_inputs() -> None:
    # Iterators are read once; extreme magnitudes and one huge tie are fine.
    km = KaplanMeier.fit(iter([1e308, 0.0, 5e-324]), iter([True, False, True]))
    assert (km.median, km.quantile(0.9)) == (5e-324, 1e308)  # S: 1, 1/2, 0
    same = KaplanMeier.fit([7.0] * 100_000)
    assert (same.times, same.survival, same.median) == ((0.0, 7.0), (1.0, 0.0), 7.0)
    open_ones = KaplanMeier.fit([7.0] * 100_000, [False] * 100_000)
    assert (open_ones.median, open_ones.n_censored) == (None, 100_000)
    check_against_lifelines([1e308, 0.0, 5e-324, 3.0], [True, False, True, False])
