"""Severity from impact facts: the built-in rules, their properties and custom tables.

Golden vectors follow faultkit's documented default table
(``faultkit.scoring._tables.DEFAULT_SEVERITY_RULES``), each naming the rule that decides.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import product
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.models import ImpactScope, Severity
from faultkit.scoring import (
    DEFAULT_SEVERITY_RULES,
    DataLoss,
    Impact,
    ImpactAssessment,
    ServiceInterruption,
    SeverityRule,
    SeverityRules,
    assess_severity,
    impact_level,
)
from faultkit.scoring.impact import SCOPE_ORDER
from faultkit.testing.scoring import impact_assessments

S = ImpactScope
I = ServiceInterruption  # noqa: E741 - short names keep the golden table readable
D = DataLoss


def facts(**kw: Any) -> ImpactAssessment:
    kw.setdefault("scope", S.SINGLE_USER)
    return ImpactAssessment(**kw)


GOLDEN = [
    (facts(), Severity.SEV5, "no service, data or exposure impact (cosmetic or informational)"),
    (facts(safety=True), Severity.SEV1, "safety exposure"),
    (facts(data_loss=D.PERMANENT), Severity.SEV1, "permanent data loss"),
    (
        facts(scope=S.WHOLE_SYSTEM, interruption=I.FULL_OUTAGE),
        Severity.SEV1,
        "full outage of the whole system",
    ),
    (facts(security=True), Severity.SEV2, "security exposure"),
    (facts(regulatory=True), Severity.SEV2, "regulatory exposure"),
    (
        facts(scope=S.SITE_OR_REGION, interruption=I.FULL_OUTAGE),
        Severity.SEV2,
        "full outage of a site or region",
    ),
    (
        facts(scope=S.WHOLE_SYSTEM, interruption=I.PARTIAL_OUTAGE),
        Severity.SEV2,
        "partial outage of the whole system",
    ),
    (
        facts(
            scope=S.USER_GROUP,
            interruption=I.PARTIAL_OUTAGE,
            users_affected=600,
            user_base=1000,
        ),
        Severity.SEV2,
        "outage for at least half of the user base",
    ),
    (
        facts(scope=S.SITE_OR_REGION, data_loss=D.RECOVERABLE),
        Severity.SEV2,
        "recoverable data loss beyond a single group",
    ),
    (facts(interruption=I.PARTIAL_OUTAGE), Severity.SEV3, "outage with no workaround"),
    (facts(data_loss=D.RECOVERABLE), Severity.SEV3, "recoverable data loss"),
    (
        facts(scope=S.SITE_OR_REGION, interruption=I.DEGRADED),
        Severity.SEV3,
        "degraded service for a site, a region or more",
    ),
    (
        facts(scope=S.USER_GROUP, interruption=I.PARTIAL_OUTAGE, workaround_available=True),
        Severity.SEV3,
        "outage for a group of users",
    ),
    (
        facts(interruption=I.DEGRADED, users_affected=100),
        Severity.SEV3,
        "service impact for 100 users or more",
    ),
    (
        facts(interruption=I.DEGRADED, users_affected=99),
        Severity.SEV4,
        "degraded or interrupted service",
    ),
    (
        facts(interruption=I.PARTIAL_OUTAGE, workaround_available=True),
        Severity.SEV4,
        "degraded or interrupted service",
    ),
    (
        facts(expected_duration=timedelta(days=1)),
        Severity.SEV4,
        "expected to last a day or more with no workaround",
    ),
    (
        facts(expected_duration=timedelta(days=3), workaround_available=True),
        Severity.SEV5,
        "no service, data or exposure impact (cosmetic or informational)",
    ),
    (
        facts(interruption=I.PARTIAL_OUTAGE, users_affected=400, user_base=1000),
        Severity.SEV3,
        "outage with no workaround",
    ),
]


@pytest.mark.parametrize(("assessment", "level", "reason"), GOLDEN)
def test_golden(assessment: ImpactAssessment, level: Severity, reason: str) -> None:
    result = assess_severity(assessment)
    assert result.level is level
    assert result.reason == reason
    assert str(result) == f"{level.name}: {reason}"
    assert DEFAULT_SEVERITY_RULES.assess(assessment) == result


def first_match(assessment: ImpactAssessment, rules: SeverityRules) -> SeverityRule:
    """The reference reading of a table: the first rule whose conditions all hold."""
    matching = [rule for rule in rules.rules if rule.matches(assessment)]
    return matching[0]


@given(impact_assessments())
def test_every_input_gets_exactly_one_level(assessment: ImpactAssessment) -> None:
    result = assess_severity(assessment)
    assert result.level in Severity
    assert result.rule is first_match(assessment, DEFAULT_SEVERITY_RULES)
    assert result.rule.matches(assessment)


def test_every_discrete_combination_gets_one_level() -> None:
    """All 768 combinations of the discrete facts, each with and without the numbers."""
    seen = set()
    for scope, interruption, loss, safety, security, regulatory, workaround in product(
        SCOPE_ORDER, ServiceInterruption, DataLoss, *([(False, True)] * 4)
    ):
        for numbers in (
            {},
            {"users_affected": 900, "user_base": 1000, "expected_duration": timedelta(days=9)},
        ):
            a = ImpactAssessment(
                scope=scope,
                interruption=interruption,
                data_loss=loss,
                safety=safety,
                security=security,
                regulatory=regulatory,
                workaround_available=workaround,
                **numbers,  # type: ignore[arg-type]
            )
            result = assess_severity(a)
            assert result.rule is first_match(a, DEFAULT_SEVERITY_RULES)
            seen.add(result.level)
    assert seen == set(Severity)


def _worse(assessment: ImpactAssessment, fact: str, data: st.DataObject) -> ImpactAssessment:
    """A copy of ``assessment`` with one fact made worse (or left as bad as it is)."""
    if fact == "scope":
        rank = SCOPE_ORDER.index(assessment.scope)
        return attrs.evolve(assessment, scope=data.draw(st.sampled_from(SCOPE_ORDER[rank:])))
    if fact == "interruption":
        order = list(ServiceInterruption)
        rank = order.index(assessment.interruption)
        return attrs.evolve(assessment, interruption=data.draw(st.sampled_from(order[rank:])))
    if fact == "data_loss":
        order = list(DataLoss)
        rank = order.index(assessment.data_loss)
        return attrs.evolve(assessment, data_loss=data.draw(st.sampled_from(order[rank:])))
    if fact in ("safety", "security", "regulatory", "business_operations"):
        return attrs.evolve(assessment, **{fact: True})
    if fact == "workaround_available":
        return attrs.evolve(assessment, workaround_available=False)
    if fact == "users_affected":
        low = assessment.users_affected or 0
        high = assessment.user_base if assessment.user_base is not None else 10**7
        return attrs.evolve(
            assessment, users_affected=data.draw(st.integers(min_value=low, max_value=high))
        )
    assert fact == "expected_duration"
    low_d = assessment.expected_duration or timedelta(0)
    return attrs.evolve(
        assessment,
        expected_duration=data.draw(
            st.timedeltas(min_value=low_d, max_value=low_d + timedelta(days=30))
        ),
    )


FACTS = [
    "scope",
    "interruption",
    "data_loss",
    "safety",
    "security",
    "regulatory",
    "business_operations",
    "workaround_available",
    "users_affected",
    "expected_duration",
]


@given(impact_assessments(), st.lists(st.sampled_from(FACTS), min_size=1, max_size=4), st.data())
def test_making_any_fact_worse_never_lowers_severity(
    assessment: ImpactAssessment, facts_to_worsen: list[str], data: st.DataObject
) -> None:
    before = assess_severity(assessment).level
    worse = assessment
    for fact in facts_to_worsen:
        worse = _worse(worse, fact, data)
    # Severity values: 1 is the most severe, so "not lower" means "not a larger number".
    assert assess_severity(worse).level <= before


def test_rule_table_is_data() -> None:
    assert len(DEFAULT_SEVERITY_RULES.rules) == 17
    assert DEFAULT_SEVERITY_RULES.rules[-1].is_catch_all
    assert [r.level for r in DEFAULT_SEVERITY_RULES.rules] == sorted(
        r.level for r in DEFAULT_SEVERITY_RULES.rules
    )
    assert DEFAULT_SEVERITY_RULES.rules[7].describe() == (
        "interruption >= partial_outage and share of users >= 0.5"
    )
    assert DEFAULT_SEVERITY_RULES.rules[-1].describe() == "always"


def test_custom_rules() -> None:
    rules = SeverityRules(
        [
            {"level": 1, "reason": "any outage", "min_interruption": "partial_outage"},
            SeverityRule(level=Severity.SEV3, reason="slow", min_interruption=I.DEGRADED),
            {"level": 4, "reason": "else"},
        ],
        name="strict",
    )
    assert assess_severity(facts(interruption=I.FULL_OUTAGE), rules).reason == "any outage"
    assert assess_severity(facts(interruption=I.DEGRADED), rules).level is Severity.SEV3
    assert assess_severity(facts(), rules).level is Severity.SEV4
    assert "strict" in repr(rules)


@pytest.mark.parametrize(
    ("rules", "field", "value"),
    [
        ([], "rules", []),
        ("abc", "rules", "abc"),
        (None, "rules", None),
        ({"level": 1, "reason": "x"}, "rules", {"level": 1, "reason": "x"}),
        ([{"level": 6, "reason": "x"}], "rules[0].level", 6),
        ([{"level": 1, "reason": " "}], "rules[0].reason", " "),
        ([{"level": 1, "reason": "x", "min_scope": "galaxy"}], "rules[0].min_scope", "galaxy"),
        ([{"level": 1, "reason": "x", "colour": "red"}], "rules[0].colour", "red"),
        ([{"level": 1, "reason": "x", "min_users": -1}], "rules[0].min_users", -1),
        ([{"level": 1, "reason": "x", "min_user_share": 1.5}], "rules[0].min_user_share", 1.5),
        ([42], "rules[0]", 42),
        (
            [{"level": 3, "reason": "a", "safety": True}, {"level": 1, "reason": "b"}],
            "rules[1].level",
            "SEV1",
        ),
        (
            [{"level": 1, "reason": "all"}, {"level": 2, "reason": "never"}],
            "rules[0]",
            "all",
        ),
        ([{"level": 1, "reason": "only safety", "safety": True}], "rules[0]", "only safety"),
    ],
)
def test_malformed_rule_tables_are_refused(rules: Any, field: str, value: object) -> None:
    with pytest.raises(InvalidInputError) as info:
        SeverityRules(rules)
    assert info.value.field == field
    assert info.value.value == value


@pytest.mark.parametrize("bad", [None, "sev1", 3, {"scope": "whole_system"}])
def test_assess_refuses_what_is_not_an_assessment(bad: object) -> None:
    with pytest.raises(InvalidInputError) as info:
        assess_severity(bad)  # type: ignore[arg-type]
    assert info.value.field == "facts"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"scope": "whole_system"}, "scope"),
        ({"interruption": "down"}, "interruption"),
        ({"data_loss": True}, "data_loss"),
        ({"users_affected": -1}, "users_affected"),
        ({"user_base": 0}, "user_base"),
        ({"users_affected": 11, "user_base": 10}, "users_affected"),
        ({"safety": 1}, "safety"),
        ({"workaround_available": None}, "workaround_available"),
        ({"expected_duration": 3600}, "expected_duration"),
        ({"expected_duration": timedelta(seconds=-1)}, "expected_duration"),
    ],
)
def test_assessment_validation(kw: dict[str, Any], field: str) -> None:
    kw.setdefault("scope", S.USER_GROUP)
    with pytest.raises(InvalidInputError) as info:
        ImpactAssessment(**kw)
    assert info.value.field == field


def test_user_share() -> None:
    assert facts(users_affected=25, user_base=100).user_share == 0.25
    assert facts(users_affected=25).user_share is None
    assert facts(user_base=100).user_share is None


@given(impact_assessments(), st.lists(st.sampled_from(FACTS), min_size=1, max_size=4), st.data())
def test_making_any_fact_worse_never_lowers_the_impact_level(
    assessment: ImpactAssessment, facts_to_worsen: list[str], data: st.DataObject
) -> None:
    before = impact_level(assessment)
    worse = assessment
    for fact in facts_to_worsen:
        worse = _worse(worse, fact, data)
    assert impact_level(worse) <= before  # Impact 1 is the widest


# ServiceNow's impact definitions (faultkit.scoring.Impact): 1 High = a whole service,
# many users or a critical business function; 2 Medium = a group of users or a
# non-critical function; 3 Low = one user or a small part of a function.
IMPACT_VECTORS: list[tuple[dict[str, Any], Impact]] = [
    ({"scope": ImpactScope.SINGLE_USER}, Impact.LOW),
    ({"scope": ImpactScope.SINGLE_USER, "interruption": ServiceInterruption.DEGRADED}, Impact.LOW),
    ({"scope": ImpactScope.SINGLE_USER, "workaround_available": True}, Impact.LOW),
    ({"scope": ImpactScope.USER_GROUP}, Impact.MEDIUM),
    ({"scope": ImpactScope.SINGLE_USER, "data_loss": DataLoss.RECOVERABLE}, Impact.MEDIUM),
    (
        {"scope": ImpactScope.SINGLE_USER, "interruption": ServiceInterruption.PARTIAL_OUTAGE},
        Impact.MEDIUM,
    ),
    ({"scope": ImpactScope.SITE_OR_REGION}, Impact.HIGH),
    ({"scope": ImpactScope.WHOLE_SYSTEM, "workaround_available": True}, Impact.HIGH),
    ({"scope": ImpactScope.SINGLE_USER, "security": True}, Impact.HIGH),
    ({"scope": ImpactScope.SINGLE_USER, "safety": True}, Impact.HIGH),
    ({"scope": ImpactScope.SINGLE_USER, "regulatory": True}, Impact.HIGH),
    ({"scope": ImpactScope.SINGLE_USER, "business_operations": True}, Impact.HIGH),
    ({"scope": ImpactScope.SINGLE_USER, "data_loss": DataLoss.PERMANENT}, Impact.HIGH),
    (
        {"scope": ImpactScope.SINGLE_USER, "interruption": ServiceInterruption.FULL_OUTAGE},
        Impact.HIGH,
    ),
]


@pytest.mark.parametrize(("facts", "level"), IMPACT_VECTORS)
def test_impact_level_golden_vectors(facts: dict[str, Any], level: Impact) -> None:
    assert impact_level(ImpactAssessment(**facts)) is level


def test_impact_level_refuses_what_is_not_an_assessment() -> None:
    with pytest.raises(InvalidInputError, match="ImpactAssessment"):
        impact_level({"scope": "whole_system"})  # type: ignore[arg-type]
