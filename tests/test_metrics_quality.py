"""Quality of handling, review figures, the improvement backlog and the feedback loop,
on hand-made faults whose figures are worked out by hand below."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from faultkit import CauseCategory
from faultkit.errors import InvalidInputError
from faultkit.feedback import (
    Cluster,
    Feedback,
    SurveyKind,
    SurveyResponse,
)
from faultkit.lifecycle import PROCEDURE, TransitionRecord
from faultkit.metrics import (
    BacklogBy,
    Dimension,
    Rate,
    feedback_loop,
    improvement_backlog,
    quality_metrics,
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
from faultkit.rca import Action, ActionKind, Analysis, FiveWhys
from faultkit.scoring import report_quality
from faultkit.testing.lifecycle import fault_from_snapshot

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)
NOW = T0 + timedelta(days=30)


def _report(
    fid: str,
    at: datetime,
    *,
    component: str,
    channel: IntakeChannel,
    reporter: str,
    codes: tuple[str, ...],
) -> FaultReport:
    return FaultReport(
        id=fid,
        title="Queue stalls",
        description="Jobs stay in the queue and the device stops.",
        observed_at=at,
        reported_at=at,
        reporter=Reporter(id=reporter, name=reporter.upper()),
        channel=channel,
        product="PrintHub",
        component=component,
        frequency=Frequency.RECURRING,
        impact_scope=ImpactScope.USER_GROUP,
        error_codes=codes,
        urgency=Urgency.HIGH,
    )


def _history(start: datetime, steps: list[tuple[str, str, float]]) -> list[TransitionRecord]:
    return [
        TransitionRecord(from_state=a, to_state=b, trigger="t", actor="x", at=start + hours * H)
        for a, b, hours in steps
    ]


def _analysis(fid: str, category: CauseCategory) -> Analysis:
    tree = FiveWhys(id=f"5W-{fid}", problem="Queue stalls", evidence_required=False)
    tree = tree.ask(None, "a cause", id=f"w-{fid}", verified=True)
    tree = tree.mark_root_cause(f"w-{fid}", category)
    return Analysis(fault_id=fid, trees=[tree])


def _action(aid: str, step: str, kind: ActionKind = ActionKind.CORRECTIVE) -> Action:
    return Action(id=aid, title="fix it", kind=kind, addresses=[step], due=T0 + timedelta(days=10))


# F1: SEV1, spooler, E-301; reviewed 1-3 h, returned for info, reviewed again 5-6 h;
#     closed at 48 h; complete analysis (process/method) with a corrective action
#     verified effective; result notice at 50 h.
F1 = fault_from_snapshot(
    report=_report(
        "F1",
        T0,
        component="spooler",
        channel=IntakeChannel.HOTLINE,
        reporter="u1",
        codes=("E-301",),
    ),
    state="closed",
    history=_history(
        T0,
        [
            ("recorded", "in_review", 1),
            ("in_review", "needs_info", 3),
            ("needs_info", "in_review", 5),
            ("in_review", "diagnosing", 6),
            ("diagnosing", "analysing", 8),
            ("analysing", "fixing", 10),
            ("fixing", "resolved", 20),
            ("resolved", "verifying", 30),
            ("verifying", "closed", 48),
        ],
    ),
    severity=Severity.SEV1,
    priority=1,
    analysis=_analysis("F1", CauseCategory.PROCESS_METHOD),
    actions=(
        _action("A-1", "w-F1")
        .start()
        .complete(T0 + 20 * H)
        .verify(effective=True, at=T0 + 40 * H, result="no E-301 since"),
    ),
    result_notice_at=T0 + 50 * H,
)
# F2: SEV2, spooler, E-301, reported at 24 h (before F1 closed: not a recurrence);
#     reviewed 25-29 h; analysis incomplete (hardware root cause, only a preventive
#     action, planned, due at 10 days: overdue at now = 30 days).
F2 = fault_from_snapshot(
    report=_report(
        "F2",
        T0 + 24 * H,
        component="spooler",
        channel=IntakeChannel.EMAIL,
        reporter="u2",
        codes=("E-301",),
    ),
    state="diagnosing",
    history=_history(T0 + 24 * H, [("recorded", "in_review", 1), ("in_review", "diagnosing", 5)]),
    severity=Severity.SEV2,
    priority=2,
    analysis=_analysis("F2", CauseCategory.HARDWARE),
    actions=(_action("A-2", "w-F2", ActionKind.PREVENTIVE),),
)
# F3: SEV4, spooler, E-301, reported at 72 h: within 30 days of F1's closure (48 h),
#     so F1 recurred. Never reviewed, no analysis.
F3 = fault_from_snapshot(
    report=_report(
        "F3",
        T0 + 72 * H,
        component="spooler",
        channel=IntakeChannel.HOTLINE,
        reporter="u1",
        codes=("E-301",),
    ),
    state="recorded",
    severity=Severity.SEV4,
)
# F4: SEV3, web, no error code (no fingerprint); reviewed 96-97 h, closed at 100 h;
#     software-defect root cause whose corrective action proved ineffective.
F4 = fault_from_snapshot(
    report=_report(
        "F4", T0 + 96 * H, component="web", channel=IntakeChannel.EMAIL, reporter="u2", codes=()
    ),
    state="closed",
    history=_history(
        T0 + 96 * H,
        [
            ("recorded", "in_review", 0),
            ("in_review", "diagnosing", 1),
            ("diagnosing", "fixing", 2),
            ("fixing", "resolved", 3),
            ("resolved", "verifying", 3.5),
            ("verifying", "closed", 4),
        ],
    ),
    severity=Severity.SEV3,
    priority=3,
    analysis=_analysis("F4", CauseCategory.SOFTWARE_DEFECT),
    actions=(
        _action("A-3", "w-F4")
        .start()
        .complete(T0 + 98 * H)
        .verify(effective=False, at=T0 + 99 * H, result="E-500 again"),
    ),
)
FAULTS = [F1, F2, F3, F4]


def test_quality_figures_by_hand() -> None:
    report = quality_metrics(FAULTS, PROCEDURE, now=NOW)
    fig = report.overall
    assert report.faults == fig.faults == 4
    # Severe: F1 (finished) and F2 (its root cause has no corrective action).
    assert fig.severe_rca_finished == Rate(numerator=1, denominator=2)
    # Corrective actions verified: A-1 effective, A-3 ineffective.
    assert fig.action_effectiveness == Rate(numerator=1, denominator=2)
    # Open actions: A-2, due at 10 days, still planned at 30 days.
    assert fig.overdue_actions == Rate(numerator=1, denominator=1)
    assert report.overdue == (("F2", "A-2"),)
    # Closed with a fingerprint: F1 only; F3 came 24 h after its closure.
    assert fig.recurrence == Rate(numerator=1, denominator=1)
    assert report.recurred == (("F1", "F3"),)
    # Review rounds: F1 2 h and 1 h, F2 4 h, F4 1 h -> median 1.5 h, mean 2 h.
    assert fig.review_turnaround.n == 4
    assert fig.review_turnaround.median == 1.5 * H
    assert fig.review_turnaround.mean == 2 * H
    # Reviewed: F1, F2, F4; returned for information: F1.
    assert fig.returned_for_info == Rate(numerator=1, denominator=3)
    # Report quality: the scores scoring gives each report.
    scores = [report_quality(f.report).score for f in FAULTS]
    assert fig.report_quality.n == 4
    assert fig.report_quality.mean == sum(scores) / 4
    # Result notice: F1 only, 50 h after its report.
    assert fig.time_to_result_notice.n == 1
    assert fig.time_to_result_notice.median == 50 * H


def test_recurrence_window_and_fingerprint() -> None:
    # A 12-hour window: F3 came 24 h after F1's closure, too late.
    narrow = quality_metrics(FAULTS, PROCEDURE, now=NOW, window=12 * H)
    assert narrow.overall.recurrence == Rate(numerator=0, denominator=1)
    # Fingerprint by component: F4 (web) is closed and nothing followed it.
    by_component = quality_metrics(
        FAULTS, PROCEDURE, now=NOW, fingerprint=lambda f: f.report.component
    )
    assert by_component.overall.recurrence == Rate(numerator=1, denominator=2)


def test_quality_grouped_by_severity_and_trend_per_reporter() -> None:
    report = quality_metrics(FAULTS, PROCEDURE, now=NOW, group_by=[Dimension.SEVERITY])
    assert report.group(Severity.SEV1).severe_rca_finished == Rate(numerator=1, denominator=1)
    assert report.group(Severity.SEV2).overdue_actions == Rate(numerator=1, denominator=1)
    assert report.group(Severity.SEV5).empty
    assert report.group(Severity.SEV4).severe_rca_finished.empty
    trend = quality_metrics(
        FAULTS,
        PROCEDURE,
        now=NOW,
        group_by=(Dimension.PERIOD, Dimension.REPORTER),
        period=__import__("faultkit.feedback", fromlist=["Period"]).Period.WEEK,
    )
    assert [g.key for g in trend.groups] == [(date(2024, 3, 4), "u1"), (date(2024, 3, 4), "u2")]
    assert sum(g.figures.report_quality.n for g in trend.groups) == 4


def test_quality_bad_arguments() -> None:
    with pytest.raises(InvalidInputError, match="window"):
        quality_metrics(FAULTS, PROCEDURE, now=NOW, window=timedelta(0))
    with pytest.raises(InvalidInputError, match="now"):
        quality_metrics(FAULTS, PROCEDURE, now=datetime(2024, 1, 1))
    with pytest.raises(InvalidInputError, match=r"faults\[0\]"):
        quality_metrics(["F1"], PROCEDURE, now=NOW)  # type: ignore[list-item]


def test_reporter_grouping_is_for_faults_only() -> None:
    from faultkit.lifecycle import ITIL
    from faultkit.metrics import handling_metrics

    with pytest.raises(InvalidInputError, match=r"group_by\[0\]"):
        handling_metrics([], ITIL, now=NOW, group_by=[Dimension.REPORTER])


def test_improvement_backlog_by_root_cause_and_component() -> None:
    bars = improvement_backlog(FAULTS)
    # One fault per category, ties by name, faults without a root cause last.
    assert [(b.key, b.count, b.faults) for b in bars] == [
        ("hardware", 1, ("F2",)),
        ("process_method", 1, ("F1",)),
        ("software_defect", 1, ("F4",)),
        (None, 1, ("F3",)),
    ]
    assert [b.cumulative for b in bars] == [25.0, 50.0, 75.0, 100.0]
    components = improvement_backlog(FAULTS, BacklogBy.COMPONENT, cutoff=70)
    assert [(b.key, b.count, b.share, b.vital) for b in components] == [
        ("spooler", 3, 75.0, True),
        ("web", 1, 25.0, False),
    ]
    assert components[0].faults == ("F1", "F2", "F3")
    with pytest.raises(InvalidInputError, match="by"):
        improvement_backlog(FAULTS, "component")  # type: ignore[arg-type]


def _staff(fid: str, at: datetime) -> Feedback:
    return Feedback(id=fid, channel=IntakeChannel.STAFF, received_at=at, text="printer stops")


def test_feedback_loop_by_hand() -> None:
    items = [
        _staff("FB1", T0 - 2 * H),  # before F1 was reported: F1 was first heard here
        _staff("FB2", T0 + 5 * H),
        Feedback(
            id="FB3", channel=IntakeChannel.MONITORING, received_at=T0 + 40 * 24 * H, text="slow"
        ),
    ]
    clusters = [
        Cluster(
            id="C-FB1",
            feedback_ids=("FB1", "FB2"),
            size=2,
            customers=0,
            anonymous=2,
            first_seen=T0 - 2 * H,
            last_seen=T0 + 5 * H,
            fault_id="F1",
        ),
        Cluster(
            id="C-FB3",
            feedback_ids=("FB3",),
            size=1,
            customers=0,
            anonymous=1,
            first_seen=T0 + 40 * 24 * H,
            last_seen=T0 + 40 * 24 * H,
        ),
    ]
    surveys = [
        SurveyResponse(id="S1", kind=SurveyKind.CSAT, score=5, answered_at=T0 + 60 * H),
        SurveyResponse(id="S2", kind=SurveyKind.CSAT, score=3, answered_at=T0 + 61 * H),
    ]
    loop = feedback_loop(items, clusters=clusters, faults=FAULTS, surveys=surveys)
    assert loop.feedback == 3
    # Volume per month: 2 in March, 1 in April.
    assert loop.volume is not None
    assert [(p.start, p.count) for p in loop.volume.points] == [
        (date(2024, 3, 1), 2),
        (date(2024, 4, 1), 1),
    ]
    # Conversion: FB1 and FB2 belong to a cluster linked to F1.
    assert loop.conversion == Rate(numerator=2, denominator=3)
    assert dict(loop.conversion_by_channel) == {
        IntakeChannel.MONITORING: Rate(numerator=0, denominator=1),
        IntakeChannel.STAFF: Rate(numerator=2, denominator=2),
    }
    assert dict(loop.conversion_by_period)[date(2024, 4, 1)] == Rate(numerator=0, denominator=1)
    # F1 was first heard of at -2 h (FB1); result notice at 50 h: 52 h.
    assert loop.time_to_result_notice.median == 52 * H
    # CSAT in March: one of two answers in the top two boxes (4-5 of 5).
    (march,) = loop.csat
    assert march.key == "2024-03-01"
    assert march.result.n == 2
    assert march.result.score == 50.0
    assert loop.nps == ()


def test_feedback_loop_empty() -> None:
    loop = feedback_loop([])
    assert loop.feedback == 0
    assert loop.volume is None
    assert loop.conversion.empty
    assert loop.time_to_result_notice.empty


def test_quality_records_round_trip() -> None:
    from faultkit.metrics import BacklogBar, QualityFigures, ScoreSummary
    from faultkit.serialization import from_dict, to_dict

    report = quality_metrics(FAULTS, PROCEDURE, now=NOW)
    assert from_dict(to_dict(report.overall), QualityFigures) == report.overall
    bar = improvement_backlog(FAULTS)[0]
    assert from_dict(to_dict(bar), BacklogBar) == bar
    assert from_dict(to_dict(ScoreSummary(n=0)), ScoreSummary).empty


@pytest.mark.parametrize("by", list(BacklogBy))
def test_backlog_shares_add_up(by: BacklogBy) -> None:
    bars = improvement_backlog(FAULTS * 3, by)
    assert sum(b.count for b in bars) == sum(len(b.faults) for b in bars)
    assert bars[-1].cumulative == 100.0
    assert abs(sum(b.share for b in bars) - 100.0) < 1e-9
    assert [b.count for b in bars] == sorted((b.count for b in bars), reverse=True)
