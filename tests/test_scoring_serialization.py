"""Scoring records round-trip through faultkit's JSON wire format (durations included)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.models import ImpactScope
from faultkit.scoring import (
    DEFAULT_REVIEW_STANDARD,
    DEFAULT_SEVERITY_RULES,
    FmeaRating,
    ImpactAssessment,
    QueueItem,
    ResolvedFault,
    ReviewStandard,
    SeverityResult,
    SeverityRule,
    assess_severity,
)
from faultkit.serialization import from_dict, from_json, to_dict, to_json
from faultkit.testing.scoring import (
    fmea_ratings,
    impact_assessments,
    queue_items,
    resolved_faults,
)


@given(fmea_ratings())
def test_fmea_rating_round_trip(rating: FmeaRating) -> None:
    assert from_json(to_json(rating), FmeaRating) == rating


@given(queue_items())
def test_queue_item_round_trip(item: QueueItem) -> None:
    assert from_json(to_json(item), QueueItem) == item


@given(impact_assessments())
def test_impact_assessment_round_trip(facts: ImpactAssessment) -> None:
    again = from_json(to_json(facts), ImpactAssessment)
    assert again == facts
    assert assess_severity(again) == assess_severity(facts)


@given(resolved_faults())
def test_resolved_fault_round_trip(fault: ResolvedFault) -> None:
    # Enum grouping values come back as their plain values, which compare and hash equal.
    assert from_json(to_json(fault), ResolvedFault) == fault


@pytest.mark.parametrize("rule", DEFAULT_SEVERITY_RULES.rules, ids=lambda r: r.reason)
def test_severity_rules_and_results_round_trip(rule: SeverityRule) -> None:
    assert from_json(to_json(rule), SeverityRule) == rule
    result = SeverityResult(rule.level, rule)
    assert from_json(to_json(result), SeverityResult) == result


def test_quality_standard_round_trip() -> None:
    assert from_json(to_json(DEFAULT_REVIEW_STANDARD), ReviewStandard) == (DEFAULT_REVIEW_STANDARD)


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (timedelta(0), "PT0S"),
        (timedelta(hours=2), "PT2H"),
        (timedelta(days=3), "P3D"),
        (timedelta(days=1, hours=2, minutes=30), "P1DT2H30M"),
        (timedelta(seconds=0.5), "PT0.5S"),
        (-timedelta(minutes=90), "-PT1H30M"),
    ],
)
def test_durations_are_iso_8601(duration: timedelta, text: str) -> None:
    assert to_dict(duration) == text
    assert from_dict(text, timedelta) == duration


@given(st.timedeltas())
def test_any_duration_round_trips_exactly(duration: timedelta) -> None:
    assert from_json(to_json(duration), timedelta) == duration


@pytest.mark.parametrize("bad", ["P", "PT", "P1DT", "1D", "P-1D", "PT1.1234567S", "pt1h", 3600])
def test_bad_durations_are_refused_with_their_path(bad: object) -> None:
    with pytest.raises(InvalidInputError) as info:
        from_dict(
            {"scope": ImpactScope.USER_GROUP.value, "expected_duration": bad}, ImpactAssessment
        )
    assert info.value.field == "expected_duration"
    assert info.value.value == bad
