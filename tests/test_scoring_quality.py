"""Report quality: the 0-100 score against the review standard, and what it lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given

from faultkit.errors import InvalidInputError
from faultkit.models import (
    Attachment,
    AttachmentKind,
    CauseCategory,
    Environment,
    FaultReport,
    Frequency,
    ImpactScope,
    IntakeChannel,
    PreliminaryCause,
    Reporter,
    ReproductionStep,
    Urgency,
)
from faultkit.scoring import (
    DEFAULT_REVIEW_STANDARD,
    FindingKind,
    ReviewStandard,
    report_quality,
)
from faultkit.testing import fault_reports

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


def good_report(**changes: Any) -> FaultReport:
    report = FaultReport(
        id="F-1",
        title="Printer queue stalls after firmware update",
        description=(
            "After the 4.2.1 firmware update, jobs of more than ten pages stay in the "
            "queue and the front panel shows E-301 until the spooler is restarted."
        ),
        observed_at=T0,
        reported_at=T0 + timedelta(hours=1),
        reporter=Reporter(id="u1", name="Ann Example"),
        channel=IntakeChannel.HOTLINE,
        product="PrintHub",
        component="spooler",
        version="4.2.1",
        frequency=Frequency.RECURRING,
        impact_scope=ImpactScope.USER_GROUP,
        affected_users=12,
        steps=(
            ReproductionStep(action="Update the firmware to 4.2.1", at=T0 - timedelta(hours=2)),
            ReproductionStep(
                action="Send a 20-page job",
                expected="it prints",
                actual="it stalls with E-301",
                at=T0 - timedelta(minutes=5),
            ),
        ),
        environment=Environment(os="Windows 11"),
        error_codes=("E-301",),
        attachments=(
            Attachment(kind=AttachmentKind.LOG, uri="s3://logs/1.txt", media_type="text/plain"),
        ),
        preliminary_cause=PreliminaryCause(category=CauseCategory.SOFTWARE_DEFECT),
        urgency=Urgency.MEDIUM,
    )
    return attrs.evolve(report, **changes)


def test_complete_report_scores_100() -> None:
    result = report_quality(good_report())
    assert result.score == 100
    assert result.passed
    assert result.findings == ()
    assert sum(c.weight for c in result.breakdown) == 100


def test_bare_report_lists_everything_missing() -> None:
    bare = FaultReport(
        id="F-2",
        title="broken",
        description="broken",
        observed_at=T0,
        reported_at=T0,
        reporter=Reporter(id="u2", name="Bob"),
        channel=IntakeChannel.EMAIL,
        product="PrintHub",
        frequency=Frequency.ONCE,
        impact_scope=ImpactScope.SINGLE_USER,
        urgency=Urgency.LOW,
    )
    result = report_quality(bare)
    # required 25 * 2/7 = 7.14 (5 of 7 missing) + timestamps 10 (no step times to
    # contradict) + nothing else (the description has three weaknesses) = 17
    assert result.score == 17
    assert not result.passed
    assert result.missing == ("steps_to_reproduce", "error_codes", "attachments", "description")
    assert result.weak == ("required_fields",)
    by_name = {f.criterion: f for f in result.findings}
    assert "component, version, environment, affected_users, preliminary_cause" in (
        by_name["required_fields"].message
    )
    assert "repeats the title" in by_name["description"].message
    assert "mostly generic" in by_name["description"].message


@pytest.mark.parametrize(
    ("changes", "criterion", "kind", "score"),
    [
        ({"steps": ()}, "steps_to_reproduce", FindingKind.MISSING, 80),
        (
            {"steps": (ReproductionStep(action="Print"), ReproductionStep(action="Wait"))},
            "steps_to_reproduce",
            FindingKind.WEAK,
            90,
        ),
        (
            {"steps": (ReproductionStep(action="Print", expected="paper", actual="nothing"),)},
            "steps_to_reproduce",
            FindingKind.WEAK,
            95,
        ),
        ({"error_codes": ()}, "error_codes", FindingKind.MISSING, 90),
        ({"attachments": ()}, "attachments", FindingKind.MISSING, 85),
        (
            {
                "attachments": (
                    Attachment(
                        kind=AttachmentKind.SCREENSHOT, uri="s3://x.png", media_type="image/png"
                    ),
                )
            },
            "attachments",
            FindingKind.WEAK,
            94,
        ),
        ({"component": None, "version": None}, "required_fields", FindingKind.WEAK, 93),
        ({"title": "n/a"}, "required_fields", FindingKind.WEAK, 96),
        ({"description": "Queue stalls on big jobs."}, "description", FindingKind.WEAK, 90),
    ],
)
def test_each_criterion(
    changes: dict[str, Any], criterion: str, kind: FindingKind, score: int
) -> None:
    result = report_quality(good_report(**changes))
    assert [(f.criterion, f.kind) for f in result.findings] == [(criterion, kind)]
    assert result.score == score


@pytest.mark.parametrize(
    ("times", "message"),
    [
        ((T0 - timedelta(minutes=1), T0 - timedelta(minutes=2)), "not in order"),
        ((T0, T0 + timedelta(hours=2)), "after the report"),
        ((T0 - timedelta(days=3), T0), "long before"),
    ],
)
def test_inconsistent_timestamps(times: tuple[datetime, datetime], message: str) -> None:
    steps = tuple(
        ReproductionStep(action=f"step {i}", expected="ok", actual="not ok", at=at)
        for i, at in enumerate(times)
    )
    result = report_quality(good_report(steps=steps))
    assert result.score == 90
    (finding,) = result.findings
    assert finding.criterion == "timestamps"
    assert message in finding.message


def test_standard_is_configurable() -> None:
    standard = ReviewStandard(
        weights={
            "required_fields": 0,
            "steps_to_reproduce": 50,
            "error_codes": 0,
            "attachments": 50,
            "timestamps": 0,
            "description": 0,
        },
        required_fields=["component"],
        min_description_chars=5,
        min_description_words=1,
        pass_score=50,
    )
    result = report_quality(good_report(attachments=(), error_codes=()), standard)
    assert result.score == 50
    assert result.passed
    assert result.missing == ("attachments",)  # error codes weigh nothing here


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"weights": {"required_fields": 100, "colour": 0}}, "weights"),
        ({"weights": {"required_fields": 50}}, "weights"),
        ({"weights": {"required_fields": -1, "description": 101}}, "weights.required_fields"),
        ({"required_fields": ("colour",)}, "required_fields"),
        ({"pass_score": 101}, "pass_score"),
        ({"min_description_chars": -1}, "min_description_chars"),
        ({"max_lead": timedelta(hours=-1)}, "max_lead"),
    ],
)
def test_standard_validation(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        ReviewStandard(**kwargs)
    assert info.value.field == field


def test_refuses_non_reports() -> None:
    with pytest.raises(InvalidInputError) as info:
        report_quality({"title": "x"})  # type: ignore[arg-type]
    assert info.value.field == "report"


@given(fault_reports())
def test_score_is_bounded_and_consistent(report: FaultReport) -> None:
    result = report_quality(report)
    assert 0 <= result.score <= 100
    assert result.passed == (result.score >= DEFAULT_REVIEW_STANDARD.pass_score)
    assert (result.score == 100) == (result.findings == ())
    assert all(0.0 <= c.fraction <= 1.0 for c in result.breakdown)
    assert {f.criterion for f in result.findings} == {
        c.criterion for c in result.breakdown if c.fraction < 1.0
    }


def test_review_standard_is_the_lifecycles_review_checklist() -> None:
    from faultkit.lifecycle.protocols import ChecklistOutcome, ReviewChecklist

    standard = ReviewStandard()
    assert isinstance(standard, ReviewChecklist)
    outcome = standard.assess(good_report(attachments=()))
    assert isinstance(outcome, ChecklistOutcome)
    assert (outcome.passed, outcome.missing) == (True, ("attachments",))
    assert outcome == report_quality(good_report(attachments=()))
