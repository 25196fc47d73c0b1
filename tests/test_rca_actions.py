"""Actions, the analysis' completeness, the risk register, plans and training records."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pytest
from dateutil.rrule import WEEKLY, rrule
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit import CauseCategory
from faultkit.errors import InvalidInputError
from faultkit.models import Person, Training
from faultkit.rca import (
    Action,
    ActionKind,
    ActionStatus,
    Analysis,
    CategoryPreset,
    DayShift,
    DocumentKind,
    Fishbone,
    FishboneCause,
    FiveWhys,
    MaintenancePlan,
    PlanKind,
    RiskItem,
    RiskRegister,
    StepRole,
    TrainingRecord,
    TrainingRegister,
    WhyStep,
    documentation_updated,
    effectiveness_checks_due,
    overdue_actions,
)
from faultkit.scoring import ActionPriority, FmeaRating
from faultkit.testing.rca import analyses_with_actions, maintenance_plans
from faultkit.testing.strategies import aware_datetimes

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def fix(**changes: object) -> Action:
    fields: dict[str, object] = {
        "id": "A-1",
        "title": "Restore the lock order",
        "kind": ActionKind.CORRECTIVE,
        "addresses": ("c",),
        "due": T0 + timedelta(days=7),
    }
    fields.update(changes)
    return Action(**fields)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- actions


def test_an_action_moves_from_planned_to_verified() -> None:
    action = fix()
    assert not action.is_overdue(T0)
    assert action.is_overdue(T0 + timedelta(days=8))
    done = action.start().complete(T0 + timedelta(days=5))
    assert not done.is_overdue(T0 + timedelta(days=8))
    assert done.effectiveness_check_due == T0 + timedelta(days=35)
    assert not done.effectiveness_check_pending(T0 + timedelta(days=34))
    assert done.effectiveness_check_pending(T0 + timedelta(days=35))
    ok = done.verify(effective=True, at=T0 + timedelta(days=36), result="no recurrence in 30 days")
    assert ok.status is ActionStatus.VERIFIED_EFFECTIVE
    assert not ok.effectiveness_check_pending(T0 + timedelta(days=40))
    bad = done.verify(effective=False, at=T0 + timedelta(days=36), result="stalled again")
    assert bad.status is ActionStatus.INEFFECTIVE


def test_refused_state_changes_and_inconsistent_actions() -> None:
    with pytest.raises(InvalidInputError):
        fix().verify(effective=True, at=T0, result="x")
    with pytest.raises(InvalidInputError):
        fix().start().start()
    with pytest.raises(InvalidInputError) as info:
        fix(status=ActionStatus.DONE)
    assert info.value.field == "completed_at"
    with pytest.raises(InvalidInputError) as info:
        fix(kind=ActionKind.DOCUMENTATION_UPDATE)
    assert info.value.field == "document"
    assert fix(kind=ActionKind.DOCUMENTATION_UPDATE, document=DocumentKind.OPERATING_MANUAL)
    with pytest.raises(InvalidInputError) as info:
        fix(
            status=ActionStatus.INEFFECTIVE,
            completed_at=T0,
            verified_at=T0 - timedelta(days=1),
            verification_result="x",
        )
    assert info.value.field == "verified_at"
    with pytest.raises(InvalidInputError) as info:
        fix().is_overdue(datetime(2024, 3, 1))
    assert info.value.field == "now"


def test_overdue_and_effectiveness_lists_are_sorted() -> None:
    late = fix(id="late", due=T0 - timedelta(days=1))
    later = fix(id="later", due=T0 - timedelta(days=3))
    done = fix(id="done", due=T0 - timedelta(days=5)).complete(T0 - timedelta(days=40))
    assert [a.id for a in overdue_actions([late, done, later, fix()], T0)] == ["later", "late"]
    assert [a.id for a in effectiveness_checks_due([late, done], T0)] == ["done"]


@settings(max_examples=30, deadline=None)
@given(aware_datetimes(), st.integers(-1000, 1000))
def test_an_open_action_is_overdue_exactly_after_its_due_date(due: datetime, hours: int) -> None:
    now = due + timedelta(hours=hours)
    assert fix(due=due).is_overdue(now) == (hours > 0)


# --------------------------------------------------------------------------- analysis


def complete_analysis() -> Analysis:
    fish = Fishbone.from_preset(
        CategoryPreset.PROCEDURE,
        id="F-1",
        effect="Jobs stall",
        causes=(FishboneCause(id="fw", text="Firmware spooler", category="Software defect"),),
    )
    fish, tree = fish.start_five_whys("fw", id="W-1")
    tree = tree.ask(None, "Spooler waits on a lock", id="b")
    tree = tree.with_step(
        WhyStep(
            id="c",
            parent="b",
            answer="Lock order changed in 4.2.1",
            evidence=("log:311",),
            verified=True,
            role=StepRole.ROOT_CAUSE,
            category=CauseCategory.SOFTWARE_DEFECT,
        )
    )
    return Analysis(fault_id="FLT-1", fishbone=fish, trees=(tree,))


def test_a_complete_analysis_has_no_reasons() -> None:
    analysis, actions = complete_analysis(), (fix(),)
    assert analysis.incomplete_reasons(actions) == ()
    assert analysis.has_corrective_action(actions)
    assert [s.id for s in analysis.root_causes()] == ["c"]
    assert analysis.actions_for("c", actions) == actions
    assert analysis.actions_for("b", actions) == ()
    assert overdue_actions(actions, T0 + timedelta(days=30)) == actions
    assert analysis.tree("W-1") is analysis.trees[0]
    with pytest.raises(InvalidInputError):
        analysis.tree("W-404")


def test_documentation_updates_count_once_done() -> None:
    assert not documentation_updated((fix(),))
    docs = fix(
        id="A-2",
        kind=ActionKind.DOCUMENTATION_UPDATE,
        document=DocumentKind.MAINTENANCE_DOCS,
    )
    assert not documentation_updated((fix(), docs))
    done = (fix(), docs.complete(T0))
    assert documentation_updated(done, DocumentKind.MAINTENANCE_DOCS)
    assert not documentation_updated(done, DocumentKind.OPERATING_MANUAL)


def test_the_analysis_satisfies_the_lifecycle_protocol() -> None:
    from faultkit.lifecycle.protocols import RootCauseAnalysis

    assert isinstance(complete_analysis(), RootCauseAnalysis)
    assert isinstance(Analysis(fault_id="F"), RootCauseAnalysis)


def test_an_ineffective_action_reopens_the_question() -> None:
    analysis = complete_analysis()
    failed = (fix().complete(T0).verify(effective=False, at=T0, result="recurred"),)
    assert not analysis.has_corrective_action(failed)
    (reason,) = analysis.incomplete_reasons(failed)
    assert "ineffective" in reason
    assert "'c'" in reason
    fixed = (*failed, fix(id="A-2", title="Rewrite the locking"))
    assert analysis.incomplete_reasons(fixed) == ()


def test_incomplete_reasons_name_what_is_missing() -> None:
    assert Analysis(fault_id="F").incomplete_reasons() == (
        "no root cause reached: record a five-whys analysis, or verify a fishbone cause "
        "with evidence",
    )
    analysis, actions = complete_analysis(), (fix(),)
    assert analysis.incomplete_reasons() == ("root cause 'c' has no corrective action",)
    assert not analysis.has_corrective_action()
    stray = (*actions, fix(id="A-9", addresses=("zz",)))
    assert any("'zz'" in r for r in analysis.incomplete_reasons(stray))
    unlinked = attrs_evolve(analysis, fishbone=None)
    assert any("fishbone 'F-1'" in r for r in unlinked.incomplete_reasons(actions))
    tree = analysis.trees[0]
    orphan = attrs_evolve(analysis, trees=(attrs_evolve(tree, origin=None),))
    assert any("does not link back" in r for r in orphan.incomplete_reasons(actions))
    open_tree = analysis.with_tree(tree.ask("c", "", id="e"))
    reasons = open_tree.incomplete_reasons(actions)
    assert any("no answer" in r for r in reasons)
    assert any("further whys" in r for r in reasons)


def test_duplicate_ids_across_trees_are_refused() -> None:
    a = FiveWhys(id="W-1", problem="p", steps=(WhyStep(id="s", answer="x"),))
    b = FiveWhys(id="W-2", problem="p", steps=(WhyStep(id="s", answer="x"),))
    with pytest.raises(InvalidInputError) as info:
        Analysis(fault_id="F", trees=(a, b))
    assert info.value.field == "trees[1].steps[0].id"
    with pytest.raises(InvalidInputError):
        Analysis(fault_id="F", trees=(a, a))
    with pytest.raises(TypeError):
        Analysis(fault_id="F", actions=(fix(),))  # type: ignore[call-arg]  # the fault's


@settings(max_examples=30, deadline=None)
@given(analyses_with_actions())
def test_the_protocol_methods_agree(drawn: tuple[Analysis, tuple[Action, ...]]) -> None:
    analysis, actions = drawn
    reasons = analysis.incomplete_reasons(actions)
    assert all(isinstance(r, str) and r for r in reasons)
    if not reasons:
        assert analysis.has_corrective_action(actions)
    if not analysis.root_causes():
        assert not analysis.has_corrective_action(actions)
    for step in analysis.root_causes():
        mine = analysis.actions_for(step.id, actions)
        assert all(step.id in a.addresses for a in mine)
    # An action that addresses no step of the analysis changes nothing but a reason.
    assert analysis.has_corrective_action(actions) == analysis.has_corrective_action(
        (*actions, fix(id="stray-id", addresses=("no-such-step",)))
    ) or any(s.id == "no-such-step" for t in analysis.trees for s in t.steps)


def attrs_evolve(instance: Any, **changes: Any) -> Any:
    return attrs.evolve(instance, **changes)


# --------------------------------------------------------------------------- risk register


def test_risk_items_use_the_scoring_functions_and_keep_the_first_rating() -> None:
    # Golden values: RPN 7 x 4 x 6 = 168; AP(9, 2, 7) = H and AP(9, 2, 2) = L are the
    # AIAG-VDA FMEA Handbook (2019) examples quoted in faultkit.scoring's docstrings.
    item = RiskItem(
        id="R-1",
        item="Spooler",
        failure_mode="Deadlock under load",
        effect="All jobs stall",
        cause="Lock order not enforced",
        rating=FmeaRating(severity=9, occurrence=2, detection=7),
        controls=("smoke test",),
    )
    assert item.rpn == 126
    assert item.action_priority is ActionPriority.HIGH
    after = item.rerate(
        FmeaRating(severity=9, occurrence=2, detection=2),
        by="u-1",
        at=T0,
        justification="a lock-order checker in CI",
        actions=("A-1",),
    )
    assert after.action_priority is ActionPriority.LOW
    assert (after.initial_rpn, after.rpn) == (126, 36)
    assert after.mitigations == ("A-1",)
    other = RiskItem(
        id="R-2",
        item="Tray",
        failure_mode="Jam",
        effect="One job fails",
        cause="Wrong paper",
        rating=FmeaRating(severity=7, occurrence=4, detection=6),
    )
    assert other.rpn == 168
    register = RiskRegister(items=(item, other))
    assert [i.id for i in register.ranked()] == ["R-1", "R-2"]
    assert [i.id for i in register.needing_action()] == ["R-1"]
    rerated = register.rerate(
        "R-1",
        FmeaRating(severity=9, occurrence=2, detection=2),
        by="u-1",
        at=T0,
        justification="detection control added",
        actions=("A-1",),
    )
    assert "R-1" not in [i.id for i in rerated.needing_action()]
    with pytest.raises(InvalidInputError):
        RiskRegister(items=(item, item))
    with pytest.raises(InvalidInputError) as info:
        RiskItem(**{**attrs_asdict(item), "reratings": after.reratings * 2})
    assert info.value.field == "reratings[1].before"


def attrs_asdict(instance: Any) -> dict[str, Any]:
    return attrs.asdict(instance, recurse=False)


# --------------------------------------------------------------------------- plans


def test_a_monthly_inspection_with_business_day_shift() -> None:
    plan = MaintenancePlan(
        id="P-1",
        title="Inspect the fuser",
        kind=PlanKind.INSPECTION,
        rule="RRULE:FREQ=MONTHLY;BYMONTHDAY=1",
        start=datetime(2024, 1, 1, 9, tzinfo=UTC),
        shift=DayShift.FOLLOWING,
        holidays=(date(2024, 1, 1),),
    )
    end = datetime(2024, 7, 1, tzinfo=UTC)
    days = [d.date() for d in plan.occurrences(plan.start, end)]
    # 2024-01-01 is a holiday, 2024-06-01 a Saturday: both move to the next business day.
    assert days == [
        date(2024, 1, 2),
        date(2024, 2, 1),
        date(2024, 3, 1),
        date(2024, 4, 1),
        date(2024, 5, 1),
        date(2024, 6, 3),
    ]
    sat = datetime(2024, 6, 1, 12, tzinfo=UTC)
    assert plan.next_due(sat) == datetime(2024, 6, 3, 9, tzinfo=UTC)
    assert plan.last_due(sat) == datetime(2024, 5, 1, 9, tzinfo=UTC)
    assert plan.is_overdue(sat)
    assert not plan.is_overdue(sat, last_done=datetime(2024, 5, 1, 10, tzinfo=UTC))
    assert plan.is_overdue(datetime(2024, 6, 3, 10, tzinfo=UTC), last_done=sat)
    preceding = attrs_evolve(plan, shift=DayShift.PRECEDING)
    assert preceding.next_due(datetime(2024, 5, 30, tzinfo=UTC)) == datetime(
        2024, 5, 31, 9, tzinfo=UTC
    )
    assert plan.rrule.after(sat) == datetime(2024, 7, 1, 9, tzinfo=UTC)


def test_the_rule_agrees_with_dateutil_and_ends() -> None:
    start = datetime(2024, 1, 1, 8, tzinfo=UTC)
    plan = MaintenancePlan(
        id="P", title="t", kind=PlanKind.MAINTENANCE, rule="FREQ=WEEKLY;COUNT=3", start=start
    )
    expected = tuple(rrule(WEEKLY, count=3, dtstart=start))
    assert plan.occurrences(start, start + timedelta(days=100)) == expected
    assert plan.next_due(expected[-1]) is None
    assert plan.last_due(start - timedelta(days=1)) is None
    assert not plan.is_overdue(start - timedelta(days=1))


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SECONDLY",
        "FREQ=MINUTELY;INTERVAL=5",
        "FREQ=FORTNIGHTLY",
        "DTSTART:20240101\nRRULE:FREQ=DAILY",
        "",
        # Rules that could never match: dateutil would search to the year 9999.
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=MONTHLY;BYMONTHDAY=40",
        "FREQ=MONTHLY;BYDAY=6MO",
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=9",
        "FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=20",
        "FREQ=YEARLY;BYWEEKNO=20",
    ],
)
def test_bad_rules_are_refused(rule: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        MaintenancePlan(id="P", title="t", kind=PlanKind.MAINTENANCE, rule=rule, start=T0)
    assert info.value.field == "rule"


def test_a_shift_needs_at_most_one_occurrence_a_day() -> None:
    for rule in ("FREQ=HOURLY", "FREQ=DAILY;BYHOUR=9,17"):
        with pytest.raises(InvalidInputError) as info:
            MaintenancePlan(
                id="P",
                title="t",
                kind=PlanKind.INSPECTION,
                rule=rule,
                start=T0,
                shift=DayShift.FOLLOWING,
            )
        assert info.value.field == "shift"
    weekdays = MaintenancePlan(
        id="P",
        title="t",
        kind=PlanKind.INSPECTION,
        rule="FREQ=HOURLY;BYDAY=MO,TU,WE,TH,FR",
        start=datetime(2024, 3, 1, 16, tzinfo=UTC),  # a Friday
    )
    assert weekdays.next_due(datetime(2024, 3, 1, 23, 30, tzinfo=UTC)) == datetime(
        2024, 3, 4, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("rule", "first"),
    [
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", datetime(2024, 2, 29, tzinfo=UTC)),
        ("FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR", datetime(2024, 9, 13, tzinfo=UTC)),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", datetime(2024, 1, 31, tzinfo=UTC)),
        ("FREQ=MONTHLY;BYDAY=-1FR", datetime(2024, 1, 26, tzinfo=UTC)),
    ],
)
def test_unusual_rules_that_match_are_accepted(rule: str, first: datetime) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    plan = MaintenancePlan(id="P", title="t", kind=PlanKind.INSPECTION, rule=rule, start=start)
    assert plan.next_due(start) == first
    assert plan.next_due(start) == plan.rrule.after(start)


def test_queries_scan_a_bounded_stretch_from_the_start() -> None:
    hourly = MaintenancePlan(
        id="P",
        title="t",
        kind=PlanKind.INSPECTION,
        rule="FREQ=HOURLY",
        start=datetime(1990, 1, 1, tzinfo=UTC),
    )
    with pytest.raises(InvalidInputError) as info:
        hourly.next_due(datetime(2100, 1, 1, tzinfo=UTC))
    assert info.value.field == "start"
    ancient = MaintenancePlan(
        id="P",
        title="t",
        kind=PlanKind.INSPECTION,
        rule="FREQ=YEARLY",
        start=datetime(1000, 1, 1, tzinfo=UTC),
    )
    with pytest.raises(InvalidInputError) as info:
        ancient.last_due(datetime(2024, 1, 1, tzinfo=UTC))
    assert "years" in info.value.reason
    yearly = MaintenancePlan(
        id="P", title="t", kind=PlanKind.INSPECTION, rule="FREQ=YEARLY;INTERVAL=5", start=T0
    )
    assert yearly.next_due(T0, horizon=timedelta(days=365)) is None
    assert yearly.next_due(T0) == datetime(2029, 3, 1, 9, tzinfo=UTC)


def test_a_horizon_is_bounded() -> None:
    plan = MaintenancePlan(
        id="P", title="t", kind=PlanKind.INSPECTION, rule="FREQ=HOURLY", start=T0
    )
    with pytest.raises(InvalidInputError) as info:
        plan.occurrences(T0, T0 + timedelta(days=3650), limit=100)
    assert info.value.field == "end"


@settings(max_examples=30, deadline=None)
@given(maintenance_plans(), aware_datetimes())
def test_shifted_occurrences_are_business_days_and_next_due_is_the_next_one(
    plan: MaintenancePlan, now: datetime
) -> None:
    nxt = plan.next_due(now)
    if nxt is not None:
        assert nxt > now
        if plan.shift is not DayShift.NONE:
            assert nxt.weekday() < 5
            assert nxt.date() not in plan.holidays
        horizon = plan.occurrences(now, nxt)
        assert horizon[-1] == nxt
        assert all(when in (nxt, now) for when in horizon)
    last = plan.last_due(now)
    if last is not None:
        assert last <= now
        assert plan.is_overdue(now)
        assert not plan.is_overdue(now, last_done=last)


# --------------------------------------------------------------------------- training


def test_training_records_expire_and_make_reviewers() -> None:
    ann = Person(id="u1", name="Ann")
    bob = Person(id="u2", name="Bob")
    register = TrainingRegister(
        records=(
            TrainingRecord(person=ann, training=Training(product_area="PrintHub")),
            TrainingRecord(
                person=bob,
                training=Training(product_area="PrintHub", expires_at=T0 + timedelta(days=10)),
                completed_at=T0 - timedelta(days=355),
            ),
        )
    )
    assert register.is_trained("u2", "PrintHub", T0)
    assert not register.is_trained("u2", "PrintHub", T0 + timedelta(days=10))
    assert register.trained("PrintHub", T0 + timedelta(days=11)) == (ann,)
    assert [r.person.id for r in register.expiring(T0, timedelta(days=30))] == ["u2"]
    assert [r.person.id for r in register.expired(T0 + timedelta(days=11))] == ["u2"]
    carl = Person(id="u3", name="Carl")
    grown = register.with_record(
        TrainingRecord(person=carl, training=Training(product_area="LabelPro"))
    )
    assert grown.trained("LabelPro", T0) == (carl,)
    assert register.trained("LabelPro", T0) == ()
    reviewer = register.reviewer("u2")
    assert reviewer.is_qualified("PrintHub", T0)
    assert not reviewer.is_qualified("PrintHub", T0 + timedelta(days=11))
    with pytest.raises(InvalidInputError):
        register.reviewer("nobody")
    with pytest.raises(InvalidInputError):
        TrainingRecord(
            person=ann, training=Training(product_area="x", expires_at=T0), completed_at=T0
        )
