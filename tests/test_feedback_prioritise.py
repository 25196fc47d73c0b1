"""Prioritising feedback through the scoring matrix, with a ranked, explained score."""

from __future__ import annotations

import itertools
import math
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.feedback import (
    Cluster,
    Factor,
    PriorityCase,
    RankedCase,
    RankWeights,
    case_from_cluster,
    impact_from_reach,
    rank,
    tier_of,
    urgency_from_severity,
)
from faultkit.models import Severity, Urgency
from faultkit.scoring import SERVICENOW_MATRIX_NO_PLANNING, Impact, Priority, priority
from faultkit.serialization import from_dict, to_dict
from faultkit.testing.feedback import priority_cases, rank_weights

NOW = datetime(2024, 6, 1, tzinfo=UTC)


def case(name: str, impact: Impact, urgency: Urgency, **kw: object) -> PriorityCase:
    fields: dict[str, object] = {"first_seen": NOW - timedelta(days=2)}
    fields.update(kw)
    return PriorityCase(id=name, impact=impact, urgency=urgency, **fields)  # type: ignore[arg-type]


def test_priority_comes_from_the_scoring_matrix() -> None:
    ranked = rank(
        [case("a", Impact.LOW, Urgency.LOW), case("b", Impact.HIGH, Urgency.HIGH)], now=NOW
    )
    assert [(r.id, r.priority) for r in ranked] == [
        ("b", Priority.CRITICAL),
        ("a", Priority.PLANNING),
    ]
    for r, c in zip(
        ranked,
        [case("b", Impact.HIGH, Urgency.HIGH), case("a", Impact.LOW, Urgency.LOW)],
        strict=True,
    ):
        assert r.priority is priority(c.impact, c.urgency)
    other = rank(
        [case("a", Impact.LOW, Urgency.LOW)], now=NOW, matrix=SERVICENOW_MATRIX_NO_PLANNING
    )
    assert other[0].priority is Priority.LOW


def test_breakdown_follows_the_documented_formula() -> None:
    weights = RankWeights(
        priority=10, frequency=3, reach=4, age=0.25, age_cap_days=30, tiers={"gold": 7}
    )
    (ranked,) = rank(
        [case("a", Impact.MEDIUM, Urgency.MEDIUM, frequency=7, reach=3, tier="gold")],
        now=NOW,
        weights=weights,
    )
    parts = {p.factor: (p.value, p.points) for p in ranked.breakdown}
    assert [p.factor for p in ranked.breakdown] == list(Factor)
    assert parts[Factor.PRIORITY] == (3.0, 30.0)  # Moderate (3): 10 * (6 - 3)
    assert parts[Factor.FREQUENCY] == (7.0, pytest.approx(9.0))  # 3 * log2(8)
    assert parts[Factor.REACH] == (3.0, pytest.approx(8.0))  # 4 * log2(4)
    assert parts[Factor.TIER] == (7.0, 7.0)
    assert parts[Factor.AGE] == (pytest.approx(2.0), pytest.approx(0.5))
    assert ranked.score == pytest.approx(54.5)


def test_age_is_capped_and_frequency_can_outrank() -> None:
    old = case("old", Impact.LOW, Urgency.LOW, first_seen=NOW - timedelta(days=400))
    (ranked,) = rank([old], now=NOW)
    age = next(p for p in ranked.breakdown if p.factor is Factor.AGE)
    assert age.points == pytest.approx(0.25 * 30)
    many = case("many", Impact.MEDIUM, Urgency.LOW, frequency=500, reach=300)
    few = case("few", Impact.MEDIUM, Urgency.MEDIUM, frequency=1, reach=1)
    assert [r.id for r in rank([few, many], now=NOW)] == ["many", "few"]


def test_ties_are_broken_by_priority_then_age_then_id() -> None:
    flat = RankWeights(priority=0, frequency=0, reach=0, age=0, tiers={})
    cases = [
        case("z", Impact.HIGH, Urgency.HIGH),
        case("b", Impact.LOW, Urgency.LOW, first_seen=NOW - timedelta(days=9)),
        case("a", Impact.LOW, Urgency.LOW, first_seen=NOW - timedelta(days=9)),
        case("c", Impact.LOW, Urgency.LOW, first_seen=NOW - timedelta(days=10)),
    ]
    ranked = rank(cases, now=NOW, weights=flat)
    assert [r.id for r in ranked] == ["z", "c", "a", "b"]
    assert [r.rank for r in ranked] == [1, 2, 3, 4]


def test_bad_input() -> None:
    with pytest.raises(InvalidInputError):
        rank([], now=datetime(2024, 1, 1))
    with pytest.raises(InvalidInputError) as info:
        rank([case("a", Impact.LOW, Urgency.LOW), case("a", Impact.LOW, Urgency.LOW)], now=NOW)
    assert info.value.field == "cases[1].id"
    with pytest.raises(InvalidInputError):
        rank(["a"], now=NOW)  # type: ignore[list-item]
    with pytest.raises(InvalidInputError):
        case("a", 1, Urgency.LOW)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        case("a", Impact.LOW, Urgency.LOW, frequency=0)
    with pytest.raises(InvalidInputError):
        RankWeights(priority=-1)
    with pytest.raises(InvalidInputError):
        RankWeights(tiers={"gold": -2})
    with pytest.raises(InvalidInputError):
        rank([], now=NOW, weights="heavy")  # type: ignore[arg-type]


def test_helpers() -> None:
    assert [impact_from_reach(n) for n in (0, 4, 5, 49, 50)] == [
        Impact.LOW,
        Impact.LOW,
        Impact.MEDIUM,
        Impact.MEDIUM,
        Impact.HIGH,
    ]
    with pytest.raises(InvalidInputError):
        impact_from_reach(-1)
    with pytest.raises(InvalidInputError):
        impact_from_reach(3, high=2, medium=5)
    assert [urgency_from_severity(s) for s in Severity] == [
        Urgency.HIGH,
        Urgency.HIGH,
        Urgency.MEDIUM,
        Urgency.LOW,
        Urgency.LOW,
    ]
    assert urgency_from_severity(None) is Urgency.LOW
    with pytest.raises(InvalidInputError):
        urgency_from_severity(1)  # type: ignore[arg-type]
    assert tier_of(["premium", None, "enterprise", "basic"]) == "enterprise"
    assert tier_of([None]) is None


def test_case_from_cluster() -> None:
    cluster = Cluster(
        id="C-f1",
        feedback_ids=("f1", "f2", "f3"),
        size=3,
        customers=2,
        anonymous=1,
        first_seen=NOW - timedelta(days=1),
        last_seen=NOW,
        fault_id="F-9",
    )
    built = case_from_cluster(
        cluster, urgency=Urgency.HIGH, tier="premium", fault_priority=Priority.HIGH
    )
    assert (built.id, built.frequency, built.reach, built.fault_id) == ("C-f1", 3, 3, "F-9")
    assert built.impact is Impact.LOW
    given_impact = case_from_cluster(
        cluster, urgency=Urgency.HIGH, impact=Impact.HIGH, fault_priority=Priority.HIGH
    )
    assert given_impact.impact is Impact.HIGH
    (ranked,) = rank([built], now=NOW)
    assert ranked.fault_id == "F-9"


def test_a_cluster_linked_to_a_fault_takes_the_faults_priority() -> None:
    # Issue 18: three reports, low urgency -> P4 by the matrix, though the fault is P2.
    linked = Cluster(
        id="C-1",
        feedback_ids=("f1", "f2", "f3"),
        size=3,
        customers=3,
        first_seen=NOW - timedelta(days=1),
        last_seen=NOW,
        fault_id="F-2",
    )
    for fault_priority in Priority:
        case = case_from_cluster(linked, urgency=Urgency.LOW, fault_priority=fault_priority)
        (ranked,) = rank([case], now=NOW)
        assert ranked.priority is fault_priority
        points = {p.factor: p.points for p in ranked.breakdown}
        assert points[Factor.PRIORITY] == 10.0 * (6 - int(fault_priority))
    with pytest.raises(InvalidInputError, match="F-2") as missing:
        case_from_cluster(linked, urgency=Urgency.LOW)
    assert missing.value.field == "fault_priority"
    loose = attrs.evolve(linked, fault_id=None)
    with pytest.raises(InvalidInputError, match="linked to no fault"):
        case_from_cluster(loose, urgency=Urgency.LOW, fault_priority=Priority.HIGH)
    with pytest.raises(InvalidInputError):
        case_from_cluster(linked, urgency=Urgency.LOW, fault_priority=2)  # type: ignore[arg-type]
    assert case_from_cluster(loose, urgency=Urgency.LOW).priority is None


@settings(max_examples=80, deadline=None)
@given(st.lists(priority_cases(), max_size=15, unique_by=lambda c: c.id), rank_weights())
def test_ranking_is_a_stable_total_order(cases: list[PriorityCase], weights: RankWeights) -> None:
    now = datetime(2200, 1, 1, tzinfo=UTC)
    ranked = rank(cases, now=now, weights=weights)
    assert sorted(r.id for r in ranked) == sorted(c.id for c in cases)
    assert [r.rank for r in ranked] == list(range(1, len(cases) + 1))
    assert all(a.score >= b.score for a, b in itertools.pairwise(ranked))
    for r in ranked:
        assert r.score == pytest.approx(math.fsum(p.points for p in r.breakdown), abs=1e-6)
    assert rank(list(reversed(cases)), now=now, weights=weights) == ranked


@settings(max_examples=40, deadline=None)
@given(priority_cases(), rank_weights())
def test_records_round_trip(item: PriorityCase, weights: RankWeights) -> None:
    assert from_dict(to_dict(item), PriorityCase) == item
    assert from_dict(to_dict(weights), RankWeights) == weights
    (ranked,) = rank([item], now=datetime(2200, 1, 1, tzinfo=UTC), weights=weights)
    assert from_dict(to_dict(ranked), RankedCase) == ranked
