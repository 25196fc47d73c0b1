"""Duration prediction: type-7 quantiles and the hierarchical fallback.

Quantile golden values: Hyndman & Fan (1996) definition 7, the default of R's
``quantile()`` and numpy's ``percentile()``; for the sample 3, 6, 7, 8, 8, 10, 13, 15,
16, 20 they are Q1 = 7.25, median = 9, Q3 = 14.5 (the worked example of the Wikipedia
article "Quantile", R-7 column). Python's ``statistics.quantiles(method="inclusive")``
is the same definition and serves as an independent oracle in the property test.
"""

from __future__ import annotations

import statistics
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.models import Severity
from faultkit.scoring import (
    DurationModel,
    DurationPrediction,
    ResolvedFault,
    predict_duration,
    quantile,
)
from faultkit.testing.scoring import resolved_faults

SAMPLE = [3, 6, 7, 8, 8, 10, 13, 15, 16, 20]


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        (SAMPLE, 0.25, 7.25),
        (SAMPLE, 0.5, 9.0),
        (SAMPLE, 0.75, 14.5),
        (SAMPLE, 0.0, 3.0),
        (SAMPLE, 1.0, 20.0),
        (list(range(1, 11)), 0.9, 9.1),
        ([1, 2, 3, 4], 0.5, 2.5),
        ([42], 0.9, 42.0),
        ([5, 1], 0.5, 3.0),  # unsorted input
    ],
)
def test_quantile_golden(values: list[float], q: float, expected: float) -> None:
    assert quantile(values, q) == pytest.approx(expected)


@given(
    st.lists(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), min_size=2, max_size=50),
    st.integers(min_value=1, max_value=99),
)
def test_quantile_matches_statistics_inclusive(values: list[float], percent: int) -> None:
    oracle = statistics.quantiles(values, n=100, method="inclusive")[percent - 1]
    assert quantile(values, percent / 100) == pytest.approx(oracle, rel=1e-9, abs=1e-6)


@pytest.mark.parametrize(
    ("values", "q", "field"),
    [
        ([], 0.5, "values"),
        ([1, 2], 1.5, "q"),
        ([1, 2], -0.1, "q"),
        ([1, 2], True, "q"),
        ([1, float("nan")], 0.5, "values[1]"),
        ([1, "2"], 0.5, "values[1]"),
    ],
)
def test_quantile_refuses(values: list[object], q: object, field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        quantile(values, q)  # type: ignore[arg-type]
    assert info.value.field == field


def fault(hours: float, **groups: object) -> ResolvedFault:
    return ResolvedFault(duration=timedelta(hours=hours), groups=groups)  # type: ignore[arg-type]


HISTORY = (
    # hardware / psu / SEV2: 6 faults, 1..6 hours
    [fault(h, category="hardware", component="psu", severity=Severity.SEV2) for h in range(1, 7)]
    # hardware / psu / SEV4: 2 faults
    + [fault(h, category="hardware", component="psu", severity=Severity.SEV4) for h in (10, 12)]
    # hardware / fan: 3 faults, severity unknown
    + [fault(h, category="hardware", component="fan") for h in (20, 30, 40)]
    # software: 4 faults
    + [fault(h, category="software_defect", component="ui") for h in (50, 60, 70, 80)]
)


def test_most_specific_group_when_it_has_enough() -> None:
    model = DurationModel(HISTORY, min_samples=5)
    p = model.predict(category="hardware", component="psu", severity=Severity.SEV2)
    assert p.samples == 6
    assert p.fallback == 0
    assert p.sufficient
    assert p.group == (("category", "hardware"), ("component", "psu"), ("severity", Severity.SEV2))
    # Kaplan-Meier with every fault resolved: the first duration with S(t) <= 1 - q,
    # S(3 h) = 3/6 (P50), S(6 h) = 0 (P90), S(1 h) = 5/6 (P10).
    assert (p.p10, p.p50, p.p90) == (timedelta(hours=1), timedelta(hours=3), timedelta(hours=6))
    assert p.open == 0


def test_falls_back_to_broader_groups() -> None:
    model = DurationModel(HISTORY, min_samples=5)
    # psu / SEV4 has 2 -> psu has 8
    p = model.predict({"category": "hardware", "component": "psu", "severity": Severity.SEV4})
    assert (p.samples, p.fallback) == (8, 1)
    # fan has 3 -> hardware has 11
    p = model.predict(category="hardware", component="fan", severity=Severity.SEV1)
    assert (p.samples, p.fallback, p.group) == (11, 2, (("category", "hardware"),))
    # software has 4 -> all history (15)
    p = model.predict(category="software_defect", component="ui")
    assert (p.samples, p.fallback, p.group, p.sufficient) == (15, 3, (), True)
    # an unknown category: straight to all history
    p = model.predict(category="environment")
    assert (p.samples, p.fallback) == (15, 3)


def test_minimum_sample_count_is_configurable() -> None:
    p = DurationModel(HISTORY, min_samples=2).predict(
        category="hardware", component="psu", severity=Severity.SEV4
    )
    assert (p.samples, p.fallback, p.p50) == (2, 0, timedelta(hours=10))
    p = DurationModel(HISTORY, min_samples=1).predict(category="software_defect", component="ui")
    assert (p.samples, p.fallback) == (4, 1)


def test_too_little_history_says_so() -> None:
    p = DurationModel(HISTORY, min_samples=100).predict(category="hardware")
    assert (p.samples, p.fallback, p.sufficient) == (15, 3, False)


def test_unknown_values_only_count_in_broader_groups() -> None:
    model = DurationModel(HISTORY, min_samples=1)
    # The fan faults have no severity: they are not in any (hardware, fan, SEVn) group.
    p = model.predict(category="hardware", component="fan", severity=Severity.SEV3)
    assert (p.samples, p.fallback) == (3, 1)
    # A new fault with an unknown component stops at its category.
    p = model.predict(category="hardware", component=None, severity=Severity.SEV2)
    assert (p.samples, p.fallback) == (11, 2)


def test_custom_keys_and_one_shot_helper() -> None:
    p = predict_duration(HISTORY, {"component": "ui"}, keys=("component",), min_samples=3)
    # Golden values: lifelines 0.30.3, KaplanMeierFitter().fit([50, 60, 70, 80]):
    # median_survival_time_ 60, median_survival_times(confidence_interval_) 50 and 80,
    # qth_survival_time(0.1, ...) 80 on the curve, 60 and 80 on the band.
    h = timedelta(hours=1)
    assert p == DurationPrediction(
        p10=50 * h,
        p50=60 * h,
        p90=80 * h,
        p50_interval=(50 * h, 80 * h),
        p90_interval=(60 * h, 80 * h),
        samples=4,
        open=0,
        group=(("component", "ui"),),
        fallback=0,
        sufficient=True,
    )


def test_prediction_inputs_are_checked() -> None:
    model = DurationModel(HISTORY)
    with pytest.raises(InvalidInputError) as info:
        model.predict(category=["hardware"])  # type: ignore[arg-type]
    assert (info.value.field, info.value.value) == ("category", ["hardware"])
    with pytest.raises(InvalidInputError) as info:
        model.predict("hardware")  # type: ignore[arg-type]
    assert info.value.field == "values"


def test_no_history_no_prediction() -> None:
    with pytest.raises(InvalidInputError) as info:
        DurationModel([]).predict(category="x")
    assert info.value.field == "history"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"min_samples": 0}, "min_samples"),
        ({"min_samples": 2.5}, "min_samples"),
        ({"keys": "category"}, "keys"),
        ({"keys": ("a", "a")}, "keys"),
        ({"keys": ("a", "")}, "keys"),
    ],
)
def test_model_arguments_are_checked(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        DurationModel(HISTORY, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_history_items_are_checked() -> None:
    with pytest.raises(InvalidInputError) as info:
        DurationModel([*HISTORY[:2], {"duration": 3}])  # type: ignore[list-item]
    assert info.value.field == "history[2]"
    with pytest.raises(InvalidInputError) as info:
        ResolvedFault(duration=timedelta(hours=-1))
    assert info.value.field == "duration"
    with pytest.raises(InvalidInputError) as info:
        ResolvedFault(duration=3600)  # type: ignore[arg-type]
    assert info.value.field == "duration"
    with pytest.raises(InvalidInputError) as info:
        ResolvedFault(duration=timedelta(0), groups={"tags": ["a"]})
    assert info.value.field == "groups.tags"


@given(
    st.lists(resolved_faults(), min_size=1, max_size=60),
    resolved_faults(),
    st.integers(min_value=1, max_value=8),
)
def test_prediction_properties(history: list[ResolvedFault], new: ResolvedFault, k: int) -> None:
    model = DurationModel(history, min_samples=k)
    p = model.predict(new.groups)
    assert p.p50 <= p.p90
    assert p.sufficient == (p.samples >= k)
    assert p.sufficient or p.group == ()
    members = [
        f.duration.total_seconds()
        for f in history
        if all(f.groups.get(key) == value for key, value in p.group)
    ]
    assert len(members) == p.samples
    # All resolved: Kaplan-Meier's quantile is the empirical one (Hyndman & Fan type 1),
    # the smallest x with at least ceil(q n) of the durations <= x.
    ordered = sorted(members)
    n = len(ordered)
    assert p.p10 is not None
    assert p.p50 is not None
    assert p.p90 is not None
    assert p.p10.total_seconds() == pytest.approx(ordered[-(-n // 10) - 1], abs=1e-3)
    assert p.p50.total_seconds() == pytest.approx(ordered[-(-n // 2) - 1], abs=1e-3)
    assert p.p90.total_seconds() == pytest.approx(ordered[-(-9 * n // 10) - 1], abs=1e-3)
