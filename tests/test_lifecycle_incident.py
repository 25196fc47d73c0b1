"""Issue 19 on the fault side: RCA in proportion, problem links, duplicates at any stage,
major incidents and change links."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit.errors import (
    CommandRefusedError,
    FaultkitError,
    InvalidInputError,
    TransitionRefusedError,
    WorkflowDefinitionError,
)
from faultkit.lifecycle import (
    DEFAULT_MAJOR_INCIDENT_POLICY,
    DEFAULT_RCA_POLICY,
    ITIL,
    PROCEDURE,
    ChangeRelation,
    FactChange,
    Fault,
    Lifecycle,
    LinkedProblem,
    MajorIncidentPolicy,
    ProcedureState,
    ProcedureTrigger,
    RcaPolicy,
    RcaRequirement,
    RcaRule,
    stakeholder_updates_due,
)
from faultkit.lifecycle.codec import default_codec
from faultkit.models import (
    FaultReport,
    Severity,
)
from faultkit.rca import Action, ActionKind, Analysis, CauseStatus, Fishbone, FishboneCause
from faultkit.serialization import from_dict, to_dict
from faultkit.testing.lifecycle import (
    change_links,
    major_incident_policies,
    major_incidents,
    post_incident_reviews,
    rca_policies,
    stakeholder_updates,
)
from printer_fault import AGENT, QA, REVIEWER, PassingChecklist, at, printer_report

S, T = ProcedureState, ProcedureTrigger


@attrs.frozen
class Problem:
    """A stand-in for ``faultkit.problems.Problem``: the protocol only."""

    id: str
    verified: bool = False
    workaround: str | None = None

    def has_verified_root_cause(self) -> bool:
        return self.verified

    def known_error_workaround(self) -> str | None:
        return self.workaround


def report(fault_id: str = "F-1", product: str = "PrintHub") -> FaultReport:
    return printer_report(fault_id, product=product, customer=False)


def fishbone_analysis(fault_id: str = "F-1") -> Analysis:
    """A complete analysis by fishbone alone: one verified cause (its action: :data:`FIX`)."""
    bone = Fishbone(
        id="FB",
        effect="Queue stalls",
        categories=("Software",),
        causes=(
            FishboneCause(
                id="lock",
                text="Spooler lock order",
                category="Software",
                status=CauseStatus.VERIFIED,
                evidence=("log:311",),
            ),
        ),
    )
    return Analysis(fault_id=fault_id, fishbone=bone)


FIX = Action(id="A-1", title="Fix lock order", kind=ActionKind.CORRECTIVE, addresses=["lock"])
"""The corrective action of :func:`fishbone_analysis`'s root cause (the fault holds it)."""


def attach_fishbone_analysis(fault: Fault, when: datetime) -> None:
    """Attach :func:`fishbone_analysis` and its corrective action to ``fault``."""
    fault.attach_analysis(fishbone_analysis(fault.id), actor=AGENT, at=when)
    fault.add_action(FIX, actor=AGENT, at=when)


def life(**kwargs: Any) -> Lifecycle:
    return Lifecycle(checklist=PassingChecklist(), **kwargs)


def fixing(lc: Lifecycle, severity: Severity, fault_id: str = "F-1", **report_kw: Any) -> Fault:
    """A fault in fixing with no analysis (its RCA policy lets it start the fix)."""
    fault = lc.open(report(fault_id, **report_kw), severity=severity)
    lc.fire(fault, T.SUBMIT, actor=AGENT, at=at(1))
    lc.fire(fault, T.ACCEPT, actor=REVIEWER, at=at(2))
    if severity.is_severe:
        fault.contain(unit_isolated=True, actor=AGENT, at=at(2))
    lc.fire(fault, T.START_ANALYSIS, actor=AGENT, at=at(3))
    return fault


def close(lc: Lifecycle, fault: Fault, hours: float) -> None:
    lc.fire(fault, T.START_VERIFICATION, actor=AGENT, at=at(hours))
    fault.record_verification(effective=True, evidence=["run 7"], actor=QA, at=at(hours))
    lc.fire(fault, T.CLOSE, actor=AGENT, at=at(hours))


def unmet(excinfo: pytest.ExceptionInfo[TransitionRefusedError]) -> dict[str, str]:
    return dict(excinfo.value.unmet)


# --------------------------------------------------------------------------- the protocol


def test_a_problem_is_a_linked_problem_structurally() -> None:
    assert isinstance(Problem("PRB-1"), LinkedProblem)
    assert not isinstance(object(), LinkedProblem)


# --------------------------------------------------------------------------- the policy


def test_the_default_policy_is_the_issues_table() -> None:
    rule = DEFAULT_RCA_POLICY.rule_for
    assert rule(Severity.SEV1).requires is RcaRequirement.FULL_ANALYSIS
    assert rule(Severity.SEV2).requires is RcaRequirement.FULL_ANALYSIS
    assert rule(Severity.SEV3).requires is RcaRequirement.PROBLEM_OR_ANALYSIS
    assert rule(Severity.SEV4).requires is RcaRequirement.RESOLUTION_NOTE
    assert rule(Severity.SEV5).requires is RcaRequirement.RESOLUTION_NOTE
    assert rule(None) == RcaRule(requires=RcaRequirement.FULL_ANALYSIS, known_error_suffices=False)


@given(rca_policies())
def test_a_policy_round_trips_through_plain_data(policy: RcaPolicy) -> None:
    data = json.loads(json.dumps(policy.to_dict()))
    assert RcaPolicy.from_dict(data) == policy


def test_a_product_overrides_its_rows_only() -> None:
    strict = RcaRule(requires=RcaRequirement.FULL_ANALYSIS, known_error_suffices=False)
    policy = attrs.evolve(DEFAULT_RCA_POLICY, products={"PrintHub": {Severity.SEV5: strict}})
    assert policy.rule_for(Severity.SEV5, "PrintHub") == strict
    assert policy.rule_for(Severity.SEV4, "PrintHub") == DEFAULT_RCA_POLICY.rule_for(Severity.SEV4)
    assert policy.rule_for(Severity.SEV5, "Other") == DEFAULT_RCA_POLICY.rule_for(Severity.SEV5)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["severities"].pop("SEV4"), "severities"),
        (lambda d: d["severities"]["SEV2"].update(requires="a haiku"), "severities.SEV2.requires"),
        (
            lambda d: d["products"].update({"Printer X": {"SEV3": {"requires": "nope"}}}),
            "products.Printer X.SEV3.requires",
        ),
        (lambda d: d["products"].update({"Printer X": {"SEV9": {}}}), "products.Printer X.SEV9"),
        (
            lambda d: d["unassessed"].update(known_error_suffices="yes"),
            "unassessed.known_error_suffices",
        ),
        (lambda d: d.update(colour="red"), "colour"),
        (lambda d: d["severities"]["SEV1"].update(why=1), "severities.SEV1.why"),
    ],
)
def test_a_bad_policy_names_the_key_path(change: Any, field: str) -> None:
    data = DEFAULT_RCA_POLICY.to_dict()
    change(data)
    with pytest.raises(InvalidInputError) as excinfo:
        RcaPolicy.from_dict(data)
    assert excinfo.value.field == field
    assert isinstance(excinfo.value, ValueError)


# --------------------------------------------------------------------------- RCA in proportion


def reference(
    rule: RcaRule,
    *,
    analysis: bool,
    problem: Problem | None,
    linked: bool,
    workaround: bool,
    note: bool,
) -> bool:
    """The policy's rule read literally, written apart from the requirement."""
    if analysis:
        return True
    if problem is not None and linked:
        if rule.known_error_suffices and problem.workaround is not None and workaround:
            return True
        if rule.requires is not RcaRequirement.FULL_ANALYSIS or problem.verified:
            return True
    return rule.requires is RcaRequirement.RESOLUTION_NOTE and note


@given(
    policy=rca_policies(),
    severity=st.sampled_from(Severity),
    analysis=st.booleans(),
    problem=st.none() | st.builds(Problem, id=st.just("PRB-1"), verified=st.booleans(),
                                  workaround=st.none() | st.just("restart the spooler")),
    found=st.booleans(),
    workaround=st.booleans(),
    note=st.booleans(),
)  # fmt: skip
def test_resolve_follows_the_policy_table(
    policy: RcaPolicy,
    severity: Severity,
    analysis: bool,
    problem: Problem | None,
    found: bool,
    workaround: bool,
    note: bool,
) -> None:
    lookup = {problem.id: problem} if problem is not None and found else {}
    lc = life(rca_policy=policy, problems=lookup.get)
    fault = fixing(life(), severity)  # in analysis
    if analysis:
        attach_fishbone_analysis(fault, at(3))
    if problem is not None:
        fault.link_problem(problem.id, actor=AGENT, at=at(3))
    if workaround:
        fault.add_workaround("restart the spooler", actor=AGENT, at=at(3))
    if note:
        fault.record_resolution_note("restarted the spooler", actor=AGENT, at=at(3))
    rule = policy.rule_for(severity, fault.report.product)
    expected = reference(
        rule, analysis=analysis, problem=problem, linked=found, workaround=workaround, note=note
    )
    steps = {s.trigger: s for s in lc.next_steps(fault, actor=AGENT, at=at(4))}
    assert steps[T.START_FIX].allowed == (
        expected or (rule.requires is RcaRequirement.RESOLUTION_NOTE)
    )
    fault = _rebuilt_in(fault, "fixing", severity, analysis, problem, workaround, note)
    before = fault.events
    if expected:
        lc.fire(fault, T.RESOLVE, actor=AGENT, at=at(5))
        assert fault.state == S.RESOLVED
    else:
        with pytest.raises(TransitionRefusedError) as excinfo:
            lc.fire(fault, T.RESOLVE, actor=AGENT, at=at(5))
        why = unmet(excinfo)["rca_in_proportion"]
        assert f"requires for a {severity.name} fault" in why
        assert rule.requires.described in why
        assert fault.events == before


def _rebuilt_in(
    fault: Fault,
    state: str,
    severity: Severity,
    analysis: bool,
    problem: Problem | None,
    workaround: bool,
    note: bool,
) -> Fault:
    """A fault in ``state`` (an imported case: no history) with the given evidence."""
    fresh = Fault(report=fault.report, state=state)
    fresh.set_severity(severity, actor=AGENT, at=at(3))
    if analysis:
        attach_fishbone_analysis(fresh, at(3))
    if problem is not None:
        fresh.link_problem(problem.id, actor=AGENT, at=at(3))
    if workaround:
        fresh.add_workaround("restart the spooler", actor=AGENT, at=at(3))
    if note:
        fresh.record_resolution_note("restarted the spooler", actor=AGENT, at=at(3))
    return fresh


def test_a_sev5_with_a_note_resolves_and_closes_without_an_analysis() -> None:
    lc = life()
    fault = fixing(lc, Severity.SEV5)
    lc.fire(fault, T.START_FIX, actor=AGENT, at=at(4))
    with pytest.raises(TransitionRefusedError) as excinfo:
        lc.fire(fault, T.RESOLVE, actor=AGENT, at=at(5))
    assert unmet(excinfo)["rca_in_proportion"] == (
        "the RCA policy requires for a SEV5 fault: a resolution note "
        "(fault.record_resolution_note), a problem link or an analysis "
        "(a known error with its workaround would do); found: no analysis, no problem linked, "
        "no resolution note"
    )
    fault.record_resolution_note("Cleared the stuck job; cosmetic", actor=AGENT, at=at(5))
    lc.fire(fault, T.RESOLVE, actor=AGENT, at=at(5))
    close(lc, fault, 6)
    assert fault.state == S.CLOSED
    assert fault.analysis is None


@pytest.mark.parametrize("from_closed", [False, True])
def test_a_reopen_voids_the_resolution_note_so_a_minor_fault_writes_a_fresh_one(
    from_closed: bool,
) -> None:
    # The note said what resolved the fault; the reopen says it did not hold. Like the
    # verification and the notices, the note is voided by an event of the reopen.
    lc = life()
    fault = fixing(lc, Severity.SEV4)
    lc.fire(fault, T.START_FIX, actor=AGENT, at=at(4))
    fault.record_resolution_note("Restarted the spooler", actor=AGENT, at=at(5))
    lc.fire(fault, T.RESOLVE, actor=AGENT, at=at(5))
    if from_closed:
        close(lc, fault, 6)
    else:
        lc.fire(fault, T.START_VERIFICATION, actor=AGENT, at=at(6))
    start = len(fault.events)
    lc.fire(fault, T.REOPEN, actor=AGENT, at=at(7), reason="queue stalls again")
    voided = {e.fact: e for e in fault.events[start + 1 :] if isinstance(e, FactChange)}
    note = voided["resolution_note"]
    assert (note.before, note.after, note.command, note.at) == (
        "Restarted the spooler",
        None,
        "reopen",
        at(7),
    )
    assert note.reason == "voided by reopen: queue stalls again"
    assert fault.resolution_note is None
    assert ("closed_at" in voided) == from_closed
    lc.fire(fault, T.START_FIX, actor=AGENT, at=at(8))  # a note is needed at resolve only
    with pytest.raises(TransitionRefusedError) as excinfo:
        lc.fire(fault, T.RESOLVE, actor=AGENT, at=at(9))
    assert "no resolution note" in unmet(excinfo)["rca_in_proportion"]
    fault.record_resolution_note("Replaced the spooler's disk", actor=AGENT, at=at(9))
    lc.fire(fault, T.RESOLVE, actor=AGENT, at=at(9))
    close(lc, fault, 10)
    assert fault.state == S.CLOSED
    assert default_codec().load(json.loads(json.dumps(default_codec().dump(fault)))) == fault


def test_a_sev1_linked_to_a_problem_resolves_once_the_problem_has_a_verified_root_cause() -> None:
    problems = {"PRB-1": Problem("PRB-1")}
    lc = life(problems=problems.get)
    fault = fixing(lc, Severity.SEV1)
    fault.link_problem("PRB-1", actor=AGENT, at=at(3))
    with pytest.raises(TransitionRefusedError) as excinfo:
        lc.fire(fault, T.START_FIX, actor=AGENT, at=at(4))
    assert (
        "problem 'PRB-1' has no verified root cause" in unmet(excinfo)["root_cause_in_proportion"]
    )
    problems["PRB-1"] = Problem("PRB-1", verified=True)
    lc.fire(fault, T.START_FIX, actor=AGENT, at=at(4))
    lc.fire(fault, T.RESOLVE, actor=AGENT, at=at(5))
    # Without the lookup, the lifecycle cannot see the problem: it says so.
    fault2 = fixing(life(), Severity.SEV3, "F-2")
    fault2.link_problem("PRB-1", actor=AGENT, at=at(3))
    with pytest.raises(TransitionRefusedError, match="problem 'PRB-1' could not be looked up"):
        life().fire(fault2, T.START_FIX, actor=AGENT, at=at(4))


def test_a_known_error_with_the_workaround_on_the_fault_resolves_a_sev2() -> None:
    problems = {"KE-7": Problem("KE-7", workaround="power-cycle the spooler")}
    lc = life(problems=problems.get)
    fault = fixing(lc, Severity.SEV2)
    fault.link_problem("KE-7", actor=AGENT, at=at(3))
    with pytest.raises(TransitionRefusedError, match="no workaround is recorded on the fault"):
        lc.fire(fault, T.START_FIX, actor=AGENT, at=at(4))
    fault.add_workaround("power-cycle the spooler", actor=AGENT, at=at(4))
    lc.fire(fault, T.START_FIX, actor=AGENT, at=at(4))
    lc.fire(fault, T.RESOLVE, actor=AGENT, at=at(5))
    # A policy whose SEV2 row does not take known errors refuses the same case.
    strict = attrs.evolve(
        DEFAULT_RCA_POLICY,
        severities={
            **DEFAULT_RCA_POLICY.severities,
            Severity.SEV2: RcaRule(
                requires=RcaRequirement.FULL_ANALYSIS, known_error_suffices=False
            ),
        },
    )
    strict_life = life(problems=problems.get, rca_policy=strict)
    other = fixing(strict_life, Severity.SEV2, "F-2")
    other.link_problem("KE-7", actor=AGENT, at=at(3))
    other.add_workaround("power-cycle the spooler", actor=AGENT, at=at(3))
    with pytest.raises(TransitionRefusedError, match="has no verified root cause"):
        strict_life.fire(other, T.START_FIX, actor=AGENT, at=at(4))


def test_a_lookup_that_returns_something_else_is_bad_input() -> None:
    lc = life(problems=lambda _id: "not a problem")  # type: ignore[arg-type,return-value]
    fault = fixing(life(), Severity.SEV3)
    fault.link_problem("PRB-1", actor=AGENT, at=at(3))
    with pytest.raises(InvalidInputError, match="did not return a problem"):
        lc.fire(fault, T.START_FIX, actor=AGENT, at=at(4))


def test_relinking_a_problem_needs_a_reason() -> None:
    fault = fixing(life(), Severity.SEV3)
    fault.link_problem("PRB-1", actor=AGENT, at=at(3))
    with pytest.raises(CommandRefusedError, match="override_needs_reason"):
        fault.link_problem("PRB-2", actor=AGENT, at=at(3))
    event = fault.link_problem("PRB-2", actor=AGENT, at=at(3), reason="PRB-1 was a dup")
    assert (event.before, event.after, event.command) == ("PRB-1", "PRB-2", "link_problem")
    with pytest.raises(InvalidInputError):
        fault.link_problem("  ", actor=AGENT, at=at(3), reason="x")


# --------------------------------------------------------------------------- duplicates

_OPEN_STATES = [s.name for s in PROCEDURE.states if not s.terminal]


def walk_to(lc: Lifecycle, fault: Fault, state: str) -> None:
    """Fire the triggers that take a fresh SEV4 fault to ``state`` (no requirement in the way)."""
    path = {
        S.RECORDED: [],
        S.IN_REVIEW: [T.SUBMIT],
        S.NEEDS_INFO: [T.SUBMIT, T.RETURN_FOR_INFO],
        S.DIAGNOSING: [T.SUBMIT, T.ACCEPT],
        S.CONTAINING: [T.SUBMIT, T.ACCEPT, T.CONTAIN],
        S.ANALYSING: [T.SUBMIT, T.ACCEPT, T.START_ANALYSIS],
        S.FIXING: [T.SUBMIT, T.ACCEPT, T.START_ANALYSIS, T.START_FIX],
        S.ON_HOLD: [T.SUBMIT, T.ACCEPT, T.START_ANALYSIS, T.START_FIX, T.HOLD],
        S.RESOLVED: [T.SUBMIT, T.ACCEPT, T.START_ANALYSIS, T.START_FIX, "note", T.RESOLVE],
        S.VERIFYING: [
            T.SUBMIT, T.ACCEPT, T.START_ANALYSIS, T.START_FIX, "note", T.RESOLVE,
            T.START_VERIFICATION,
        ],
    }[ProcedureState(state)]  # fmt: skip
    for hour, trigger in enumerate(path, start=1):
        if trigger == "note":
            fault.record_resolution_note("cleared", actor=AGENT, at=at(hour))
            continue
        actor = REVIEWER if trigger in (T.ACCEPT, T.RETURN_FOR_INFO) else AGENT
        reason = {T.RETURN_FOR_INFO: "steps?", T.HOLD: "awaiting_vendor"}.get(trigger)
        lc.fire(fault, trigger, actor=actor, at=at(hour), reason=reason)
    assert fault.state == state


@pytest.mark.parametrize("state", _OPEN_STATES)
def test_a_duplicate_is_merged_from_any_open_state_and_both_histories_stay(state: str) -> None:
    lc = life()
    master = lc.open(report("F-1"), severity=Severity.SEV4)
    dup = lc.open(report("F-2"), severity=Severity.SEV4)
    walk_to(lc, dup, state)
    dup_before, master_before = dup.events, master.events
    record = lc.merge(dup, master, actor=AGENT, at=at(20), reason="same E-301")
    assert (record.from_state, record.to_state, record.trigger) == (state, S.DUPLICATE, "merge")
    assert dup.state == S.DUPLICATE
    assert dup.duplicate_of == "F-1"
    assert master.duplicates == ("F-2",)
    assert dup.events[: len(dup_before)] == dup_before  # nothing rewritten
    assert master.events[: len(master_before)] == master_before
    (merged,) = master.events[len(master_before) :]
    assert (merged.command, merged.before, merged.after, merged.reason) == (  # type: ignore[union-attr]
        "merge",
        (),
        ("F-2",),
        "same E-301",
    )
    for fault in (dup, master):
        assert default_codec().load(json.loads(json.dumps(default_codec().dump(fault)))) == fault


def test_merge_refusals_append_nothing_to_either_fault() -> None:
    lc = life()
    master = lc.open(report("F-1"), severity=Severity.SEV4)
    dup = lc.open(report("F-2"), severity=Severity.SEV4)
    third = lc.open(report("F-3"), severity=Severity.SEV4)
    cancelled = lc.open(report("F-4"), severity=Severity.SEV4)
    lc.fire(cancelled, T.CANCEL, actor=AGENT, at=at(1), reason="withdrawn")

    def refused(rule: str, duplicate: Fault, into: Fault) -> None:
        before = (duplicate.events, into.events)
        with pytest.raises(CommandRefusedError) as excinfo:
            lc.merge(duplicate, into, actor=AGENT, at=at(5))
        assert excinfo.value.rule == rule
        assert (duplicate.events, into.events) == before

    opened = dup.events
    refused("not_itself", dup, dup)
    refused("master_open", dup, cancelled)
    lc.merge(third, master, actor=AGENT, at=at(2))
    refused("no_chains", dup, third)
    with pytest.raises(TransitionRefusedError):  # already merged: a terminal state
        lc.merge(third, dup, actor=AGENT, at=at(3))
    with pytest.raises(InvalidInputError, match="earlier than the last event of fault 'F-1'"):
        lc.merge(dup, master, actor=AGENT, at=at(1))
    assert master.duplicates == ("F-3",)
    assert dup.events == opened
    lc.merge(dup, master, actor=AGENT, at=at(3))
    assert master.duplicates == ("F-3", "F-2")


@pytest.mark.parametrize("workflow", ["procedure", "itil"])
def test_fire_refuses_merge_naming_lifecycle_merge(workflow: str) -> None:
    # A merge records both faults; fire has only one: it must not record half a merge.
    lc = life() if workflow == "procedure" else life(workflow=ITIL)
    master = lc.open(report("F-1"), severity=Severity.SEV4)
    dup = lc.open(report("F-2"), severity=Severity.SEV4)
    dup.mark_duplicate_of("F-1", actor=AGENT, at=at(1))  # duplicate_recorded is met
    before = (dup.state, dup.events, master.events)
    with pytest.raises(TransitionRefusedError) as excinfo:
        lc.fire(dup, "merge", actor=AGENT, at=at(2))
    assert excinfo.value.unmet[0][0] == "merged_by_lifecycle_merge"
    assert "Lifecycle.merge(duplicate, master" in str(excinfo.value)
    assert "merge" in excinfo.value.allowed  # the table allows it; fire does not
    assert (dup.state, dup.events, master.events) == before
    steps = {step.trigger: step for step in lc.next_steps(dup, actor=AGENT, at=at(2))}
    assert not steps["merge"].allowed
    assert steps["merge"].unmet[0][0] == "merged_by_lifecycle_merge"
    assert not lc.can_fire(dup, "merge", actor=AGENT, at=at(2))
    lc.merge(dup, master, actor=AGENT, at=at(2))
    assert (dup.state, master.duplicates) == ("duplicate", ("F-2",))


def test_merge_trigger_is_a_choice_of_the_lifecycle() -> None:
    # merge_trigger=None: fire may move a fault to duplicate alone (the caller records
    # the master); an unknown trigger is a definition error.
    lc = life(merge_trigger=None)
    dup = lc.open(report("F-2"), severity=Severity.SEV4)
    dup.mark_duplicate_of("F-1", actor=AGENT, at=at(1))
    assert lc.fire(dup, "merge", actor=AGENT, at=at(2)).to_state == S.DUPLICATE
    with pytest.raises(WorkflowDefinitionError, match="merge_trigger 'fold'"):
        life(merge_trigger="fold")
    bare = Lifecycle(attrs.evolve(ITIL, transitions=ITIL.transitions[:-1], states=ITIL.states[:-1]))
    with pytest.raises(InvalidInputError, match="not a trigger of workflow 'itil'"):
        bare.merge(bare.open(report("F-2")), bare.open(report("F-1")), actor=AGENT, at=at(1))


@pytest.mark.parametrize("state", ["new", "in_progress", "on_hold", "resolved"])
def test_itil_closes_an_incident_as_a_duplicate_from_any_state_before_closure(state: str) -> None:
    lc = life(workflow=ITIL)
    master = lc.open(report("INC-1"), severity=Severity.SEV4)
    dup = lc.open(report("INC-2"), severity=Severity.SEV4)
    path = {
        "new": [],
        "in_progress": ["start"],
        "on_hold": ["hold"],
        "resolved": ["start", "resolve"],
    }[state]
    for hour, trigger in enumerate(path, start=1):
        lc.fire(dup, trigger, actor=AGENT, at=at(hour), reason="awaiting_caller")
    record = lc.merge(dup, master, actor=AGENT, at=at(5), reason="same outage")
    assert (record.from_state, record.to_state) == (state, "duplicate")
    assert (dup.duplicate_of, dup.closed_at, master.duplicates) == ("INC-1", at(5), ("INC-2",))
    assert ITIL.state("duplicate").terminal
    assert lc.next_steps(dup, actor=AGENT, at=at(6)) == ()


# --------------------------------------------------------------------------- major incidents


def test_a_sev1_becomes_a_major_incident_when_it_is_accepted_and_needs_a_review() -> None:
    lc = life()
    fault = lc.open(report(), severity=Severity.SEV1)
    lc.fire(fault, T.SUBMIT, actor=AGENT, at=at(1))
    assert fault.major_incident is None  # in review: not yet worked on
    lc.fire(fault, T.ACCEPT, actor=REVIEWER, at=at(2))
    declared = fault.major_incident
    assert declared is not None
    assert declared.automatic
    assert declared.declared_at == at(2)
    assert declared.declared_by == "rita"
    assert "SEV1" in declared.reason
    assert fault.events[-1].command == "declare_major_incident"  # type: ignore[union-attr]
    due = stakeholder_updates_due(fault, at(2.25))
    assert due.due_at == at(2.5)
    assert not due.overdue
    late = stakeholder_updates_due(fault, at(3))
    assert late.overdue
    assert late.overdue_by == timedelta(minutes=30)
    fault.record_stakeholder_update("Printing down at site A", actor=AGENT, at=at(3))
    assert stakeholder_updates_due(fault, at(3)).due_at == at(3.5)
    fault.contain(unit_isolated=True, actor=AGENT, at=at(3))
    lc.fire(fault, T.START_ANALYSIS, actor=AGENT, at=at(3))
    assert sum(getattr(e, "command", "") == "declare_major_incident" for e in fault.events) == 1
    attach_fishbone_analysis(fault, at(4))
    lc.fire(fault, T.START_FIX, actor=AGENT, at=at(4))
    lc.fire(fault, T.RESOLVE, actor=AGENT, at=at(5))
    assert stakeholder_updates_due(fault, at(9), workflow=PROCEDURE).due_at is None
    assert stakeholder_updates_due(fault, at(9)).overdue  # no workflow: only closure stops it
    lc.fire(fault, T.START_VERIFICATION, actor=AGENT, at=at(6))
    fault.record_verification(effective=True, evidence=["run 7"], actor=QA, at=at(6))
    fault.mark_docs_updated(actor=AGENT, at=at(6))
    action = fault.actions[0]
    fault.advance_action(action.complete(at=at(6)), actor=AGENT, at=at(6))
    fault.advance_action(
        action.complete(at=at(6)).verify(effective=True, at=at(6), result="no stall"),
        actor=QA,
        at=at(6),
    )
    with pytest.raises(TransitionRefusedError) as excinfo:
        lc.fire(fault, T.CLOSE, actor=AGENT, at=at(7))
    assert set(unmet(excinfo)) == {"post_incident_review_if_major"}
    with pytest.raises(CommandRefusedError, match="before the major incident was declared"):
        fault.record_post_incident_review(["bob"], "x", actor=AGENT, at=at(7), held_at=at(1))
    fault.record_post_incident_review(
        ["bob", "quinn"], "Lock order", actor=AGENT, at=at(7), analysis_ref="FB"
    )
    lc.fire(fault, T.CLOSE, actor=AGENT, at=at(7))
    assert stakeholder_updates_due(fault, at(30)).due_at is None


def test_a_major_incident_by_hand_needs_a_reason_and_is_declared_once() -> None:
    lc = life()
    fault = lc.open(report(), severity=Severity.SEV3)
    walk_to(lc, fault, S.ANALYSING)
    assert fault.major_incident is None  # SEV3: not automatic
    with pytest.raises(CommandRefusedError, match="not a major incident"):
        fault.record_stakeholder_update("hello", actor=AGENT, at=at(5))
    with pytest.raises(InvalidInputError, match="needs a reason"):
        fault.declare_major_incident(actor=AGENT, at=at(5), reason=None)  # type: ignore[arg-type]
    fault.declare_major_incident(actor=AGENT, at=at(5), reason="press enquiry")
    with pytest.raises(CommandRefusedError, match="changes_something"):
        fault.declare_major_incident(actor=AGENT, at=at(6), reason="again")
    policy = MajorIncidentPolicy(cadence={Severity.SEV3: timedelta(minutes=10)})
    assert stakeholder_updates_due(fault, at(5), policy=policy).due_at == at(5) + timedelta(
        minutes=10
    )
    # The default policy has no SEV3 row: the default cadence (an hour).
    assert stakeholder_updates_due(fault, at(5)).cadence == timedelta(hours=1)


def test_a_policy_without_automatic_severities_declares_nothing() -> None:
    lc = life(major_incidents=MajorIncidentPolicy(automatic=()))
    fault = lc.open(report(), severity=Severity.SEV1)
    walk_to(lc, fault, S.DIAGNOSING)
    assert fault.major_incident is None


@given(major_incident_policies())
def test_a_major_incident_policy_round_trips_through_plain_data(
    policy: MajorIncidentPolicy,
) -> None:
    data = json.loads(json.dumps(policy.to_dict()))
    assert MajorIncidentPolicy.from_dict(data) == policy


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"automatic": ["SEV9"]}, "automatic[0]"),
        ({"cadence_minutes": {"SEV1": 0}}, "cadence_minutes.SEV1"),
        ({"cadence_minutes": {"SEV1": "30"}}, "cadence_minutes.SEV1"),
        ({"default_cadence_minutes": -5}, "default_cadence_minutes"),
        ({"cadence": {}}, "cadence"),
    ],
)
def test_a_bad_major_incident_policy_names_the_key(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInputError) as excinfo:
        MajorIncidentPolicy.from_dict(data)
    assert excinfo.value.field == field


def test_default_major_incident_policy() -> None:
    assert DEFAULT_MAJOR_INCIDENT_POLICY.automatic == frozenset({Severity.SEV1})
    assert DEFAULT_MAJOR_INCIDENT_POLICY.cadence_for(Severity.SEV1) == timedelta(minutes=30)
    with pytest.raises(InvalidInputError):
        stakeholder_updates_due(Fault(report=report(), state="recorded"), datetime(2024, 1, 1))


# --------------------------------------------------------------------------- change links


def test_change_links_are_events_and_queryable() -> None:
    fault = fixing(life(), Severity.SEV3)
    fault.link_change("CHG0030012", ChangeRelation.CAUSED_BY, actor=AGENT, at=at(4))
    fault.link_change("CHG0030099", ChangeRelation.FIXED_BY, actor=AGENT, at=at(5), note="rollback")
    fault.link_change("CHG0030012", ChangeRelation.FIXED_BY, actor=AGENT, at=at(5))
    assert fault.changes_by(ChangeRelation.CAUSED_BY) == ("CHG0030012",)
    assert fault.changes_by(ChangeRelation.FIXED_BY) == ("CHG0030099", "CHG0030012")
    with pytest.raises(CommandRefusedError, match="already linked as caused_by"):
        fault.link_change("CHG0030012", ChangeRelation.CAUSED_BY, actor=AGENT, at=at(6))
    with pytest.raises(InvalidInputError):
        fault.link_change("CHG1", "caused_by", actor=AGENT, at=at(6))  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        fault.link_change(" ", ChangeRelation.CAUSED_BY, actor=AGENT, at=at(6))
    assert sum(getattr(e, "fact", None) == "changes" for e in fault.events) == 3
    with pytest.raises(FaultkitError, match="link_change"):
        fault.changes = ()  # type: ignore[misc]


# --------------------------------------------------------------------------- the records


@given(
    st.one_of(
        change_links(),
        major_incidents(),
        stakeholder_updates(),
        post_incident_reviews(),
    )
)
def test_new_records_round_trip(record: Any) -> None:
    data = json.loads(json.dumps(to_dict(record)))
    assert from_dict(data, type(record)) == record


# --------------------------------------------------------------------------- hostile input


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "severities",
        {"severities": []},
        {"severities": {"SEV1": "full_analysis"}},
        {"severities": {1: {"requires": "full_analysis"}}},
        {"severities": {"SEV1": {"requires": ["full_analysis"]}}},
        {"severities": {"SEV1": {"requires": "x" * 100_000}}},
        {"severities": {"SEV1": {"requires": {"a": {"b": {"c": {}}}}}}},
        {**DEFAULT_RCA_POLICY.to_dict(), "products": []},
        {**DEFAULT_RCA_POLICY.to_dict(), "products": {"P": None}},
    ],
)
def test_hostile_policies_are_refused_as_bad_input(data: Any) -> None:
    with pytest.raises(InvalidInputError) as excinfo:
        RcaPolicy.from_dict(data)
    assert len(str(excinfo.value)) < 2_000  # a huge value is shortened in the message


@pytest.mark.parametrize(
    "minutes", [float("nan"), float("inf"), True, None, 10**9, [30], {"m": 30}]
)
def test_hostile_cadences_are_refused(minutes: Any) -> None:
    with pytest.raises(InvalidInputError):
        MajorIncidentPolicy.from_dict({"cadence_minutes": {"SEV1": minutes}})


def test_huge_and_odd_references_round_trip_through_the_codec() -> None:
    fault = fixing(life(), Severity.SEV3)
    ref = "CHG-" + "\u202e\x00é" * 20_000
    fault.link_change(ref, ChangeRelation.FIXED_BY, actor=AGENT, at=at(4))
    fault.link_problem("PRB-\u4e2d\u6587", actor=AGENT, at=at(4))
    fault.record_resolution_note("line 1\nline 2\r\n\t", actor=AGENT, at=at(4))
    again = default_codec().load(json.loads(json.dumps(default_codec().dump(fault))))
    assert again == fault
    assert again.changes_by(ChangeRelation.FIXED_BY) == (ref,)
    assert again.problem_id == "PRB-\u4e2d\u6587"


def test_a_stored_stream_with_a_bad_new_fact_is_refused_naming_the_event() -> None:
    fault = fixing(life(), Severity.SEV3)
    fault.link_change("CHG1", ChangeRelation.CAUSED_BY, actor=AGENT, at=at(4))
    data = default_codec().dump(fault)
    data["events"][-1]["after"][0]["relation"] = "caused_by_aliens"
    with pytest.raises(InvalidInputError) as excinfo:
        default_codec().load(data)
    assert excinfo.value.field.startswith(f"events[{len(data['events']) - 1}].after")
