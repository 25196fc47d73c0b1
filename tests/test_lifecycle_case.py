"""The fault case: commands append events, the state is their replay, closure proves the fix."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from faultkit.errors import (
    CommandRefusedError,
    InvalidInputError,
    StorageConflictError,
    TransitionRefusedError,
)
from faultkit.lifecycle import (
    DEFAULT_RCA_POLICY,
    FACTS,
    PROCEDURE,
    ChangeRelation,
    Comment,
    Diagnosis,
    FactChange,
    Fault,
    HoldReason,
    Lifecycle,
    ProcedureState,
    ProcedureTrigger,
    RcaRequirement,
    StateCategory,
    TransitionRecord,
    VerifierRule,
    sla_status,
)
from faultkit.models import (
    Assignee,
    CauseCategory,
    FaultReport,
    Person,
    Severity,
)
from faultkit.rca import Action, ActionKind, ActionStatus, Analysis, FiveWhys
from faultkit.storage import MemoryStore
from faultkit.testing.storage_contract import faults
from printer_fault import AGENT, QA, REVIEWER, T0, PassingChecklist, at, printer_report

S, T = ProcedureState, ProcedureTrigger


def report(fault_id: str = "F-1") -> FaultReport:
    return printer_report(fault_id)


def analysis(fault_id: str = "F-1") -> Analysis:
    """A complete five-whys analysis with one root cause (step ``w1``), no action yet."""
    tree = FiveWhys(id="5W", problem="Queue stalls", evidence_required=False)
    tree = tree.ask(None, "the spooler deadlocks", id="w1", verified=True)
    tree = tree.mark_root_cause("w1", CauseCategory.SOFTWARE_DEFECT)
    return Analysis(fault_id=fault_id, trees=[tree])


AL = Assignee(id="al", name="Al")
CHECKED: dict[str, Any] = {"effective": True, "evidence": ["run 7"]}
FIX = Action(id="A-1", title="Fix the spooler lock", kind=ActionKind.CORRECTIVE, addresses=["w1"])


def replayed(fault: Fault) -> Fault:
    return Fault(report=fault.report, state=fault.state, events=fault.events)


def lifecycle() -> Lifecycle:
    return Lifecycle(checklist=PassingChecklist())


def in_fixing(life: Lifecycle) -> Fault:
    fault = life.open(report(), severity=Severity.SEV3)
    life.fire(fault, T.SUBMIT, actor=AGENT, at=at(1))
    life.fire(fault, T.ACCEPT, actor=REVIEWER, at=at(2))
    life.fire(fault, T.START_ANALYSIS, actor=AGENT, at=at(3))
    fault.attach_analysis(analysis(), actor=AGENT, at=at(3))
    fault.add_action(FIX, actor=AGENT, at=at(3))
    life.fire(fault, T.START_FIX, actor=AGENT, at=at(4))
    return fault


# --------------------------------------------------------------------------- commands


def test_each_command_appends_one_event_saying_who_when_what_and_why() -> None:
    fault = lifecycle().open(report())
    diagnosis = Diagnosis(cause=CauseCategory.SOFTWARE_DEFECT, notes="spooler log read")
    commands: list[tuple[str, Any, Any]] = [
        ("diagnosis", lambda: fault.diagnose(diagnosis, actor=AGENT, at=at(1)), diagnosis),
        ("severity", lambda: fault.set_severity(Severity.SEV2, actor=AGENT, at=at(1)), 2),
        ("priority", lambda: fault.set_priority(2, actor=AGENT, at=at(1)), 2),
        (
            "assignee",
            lambda: fault.assign(Assignee(id="al", name="Al"), actor=AGENT, at=at(1)),
            None,
        ),
        ("containment", lambda: fault.contain(unit_isolated=True, actor=AGENT, at=at(2)), None),
        ("containment", lambda: fault.add_workaround("use tray 2", actor=AGENT, at=at(2)), None),
        ("analysis", lambda: fault.attach_analysis(analysis(), actor=AGENT, at=at(3)), None),
        ("actions", lambda: fault.add_action(FIX, actor=AGENT, at=at(3)), (FIX,)),
        ("actions", lambda: fault.advance_action(FIX.start(), actor=AGENT, at=at(3)), None),
        ("feedback", lambda: fault.link_feedback("fb-1", "cy", actor=AGENT, at=at(4)), None),
        (
            "verification",
            lambda: fault.record_verification(
                effective=True, evidence=["run 7"], actor=QA, at=at(5)
            ),
            None,
        ),
        ("notices", lambda: fault.record_notice("ann", actor=AGENT, at=at(5)), None),
        ("maintenance_docs_updated", lambda: fault.mark_docs_updated(actor=AGENT, at=at(5)), 1),
        ("duplicate_of", lambda: fault.mark_duplicate_of("F-0", actor=AGENT, at=at(5)), "F-0"),
    ]
    for fact, command, after in commands:
        before_events = fault.events
        value_before = getattr(fault, fact)
        event = command()
        assert fault.events == (*before_events, event)
        assert isinstance(event, FactChange)
        assert (event.fact, event.actor) == (fact, event.actor)
        assert event.at >= before_events[-1].at if before_events else True
        assert event.before == value_before
        assert getattr(fault, fact) == event.after
        if after is not None:
            assert event.after == after
    note = fault.comment("called Ann", actor=AGENT, at=at(6), work_note=True)
    assert isinstance(note, Comment)
    assert fault.comments == (note,)
    assert replayed(fault) == fault
    for fact in FACTS:
        assert getattr(replayed(fault), fact) == getattr(fault, fact)
    assert fault.actions[0].status is ActionStatus.IN_PROGRESS


def test_refused_commands_append_nothing_and_say_why() -> None:
    fault = lifecycle().open(report())
    fault.set_severity(Severity.SEV3, actor=AGENT, at=at(1))
    events = fault.events
    refusals: list[tuple[Any, type[Exception], str]] = [
        (
            lambda: fault.set_severity(Severity.SEV1, actor=AGENT, at=at(2)),
            CommandRefusedError,
            "override_needs_reason",
        ),
        (
            lambda: fault.set_severity(Severity.SEV3, actor=AGENT, at=at(2), reason="same"),
            CommandRefusedError,
            "already",
        ),
        (
            lambda: fault.set_priority(2, actor=AGENT, at=T0 - timedelta(days=1)),
            InvalidInputError,
            "never go back in time",
        ),
        (lambda: fault.set_priority(2, actor=AGENT, at=at(0.5)), InvalidInputError, "earlier"),
        (
            lambda: fault.attach_analysis(analysis("F-9"), actor=AGENT, at=at(2)),
            CommandRefusedError,
            "of fault 'F-9'",
        ),
        (lambda: fault.add_action(FIX, actor=AGENT, at=at(2)), CommandRefusedError, "no analysis"),
        (
            lambda: fault.mark_duplicate_of("F-1", actor=AGENT, at=at(2)),
            CommandRefusedError,
            "itself",
        ),
        (lambda: fault.comment(" ", actor=AGENT, at=at(2)), InvalidInputError, "text"),
    ]
    for command, error, words in refusals:
        with pytest.raises(error, match=words) as excinfo:
            command()
        if isinstance(excinfo.value, CommandRefusedError):
            assert excinfo.value.fault_id == "F-1"
        assert fault.events == events
    fault.set_severity(Severity.SEV1, actor=AGENT, at=at(2), reason="two sites down")
    assert fault.events[-1].reason == "two sites down"  # type: ignore[union-attr]
    fault.attach_analysis(analysis(), actor=AGENT, at=at(3))
    fault.add_action(FIX, actor=AGENT, at=at(3))
    with pytest.raises(CommandRefusedError, match="status_moves_forward"):
        fault.advance_action(FIX, actor=AGENT, at=at(3))
    with pytest.raises(CommandRefusedError, match="already recorded"):
        fault.add_action(FIX, actor=AGENT, at=at(3))


def test_a_stream_that_contradicts_itself_is_refused() -> None:
    fault = lifecycle().open(report(), priority=3)
    forged = FactChange(
        fact="priority", command="set_priority", actor="eve", at=at(1), before=1, after=2
    )
    with pytest.raises(InvalidInputError) as excinfo:
        Fault(report=fault.report, state=fault.state, events=(*fault.events, forged))
    assert excinfo.value.field == "events[1].before"
    bad = attrs.evolve(forged, before=3, after=99)
    with pytest.raises(InvalidInputError) as excinfo:
        Fault(report=fault.report, state=fault.state, events=(*fault.events, bad))
    assert excinfo.value.field == "events[1].after"
    early = attrs.evolve(forged, before=3, at=T0 - timedelta(seconds=1))
    with pytest.raises(InvalidInputError, match="earlier"):
        Fault(report=fault.report, state=fault.state, events=[early])


@settings(max_examples=40, deadline=None)
@given(fault=faults())
def test_replay_equals_state(fault: Fault) -> None:
    again = replayed(fault)
    assert again == fault
    for fact in FACTS:
        assert getattr(again, fact) == getattr(fault, fact)


# --------------------------------------------------------------------------- closure


def test_closure_proves_the_fix_and_names_every_unmet_condition() -> None:
    life = lifecycle()
    fault = in_fixing(life)
    fault.link_feedback("fb-7", "cy", actor=AGENT, at=at(4))
    # A verification and notices before the resolve do not count.
    fault.record_verification(effective=True, evidence=["early run"], actor=QA, at=at(4))
    fault.record_notice("ann", actor=AGENT, at=at(4))
    life.fire(fault, T.RESOLVE, actor=AGENT, at=at(5))
    life.fire(fault, T.START_VERIFICATION, actor=AGENT, at=at(6))
    fault.mark_docs_updated(actor=AGENT, at=at(6))
    with pytest.raises(TransitionRefusedError) as excinfo:
        life.fire(fault, T.CLOSE, actor=AGENT, at=at(7))
    unmet = dict(excinfo.value.unmet)
    assert "not after the last resolve" in unmet["fix_verified"]
    assert "A-1 is planned" in unmet["actions_effective"]
    assert "cy" in unmet["result_notified_if_customer"]
    # The resolver cannot verify; the action must be done and verified effective.
    fault.record_verification(effective=True, evidence=["run 8"], actor=AGENT, at=at(7))
    with pytest.raises(TransitionRefusedError, match="resolved the fault and cannot verify"):
        life.fire(fault, T.CLOSE, actor=AGENT, at=at(7))
    fault.advance_action(FIX.start(), actor=AGENT, at=at(7))
    fault.advance_action(FIX.start().complete(at(7)), actor=AGENT, at=at(7))
    done = FIX.start().complete(at(7))
    fault.record_verification(effective=True, evidence=["run 9"], actor=QA, at=at(8))
    with pytest.raises(TransitionRefusedError) as excinfo:
        life.fire(fault, T.CLOSE, actor=AGENT, at=at(8))
    assert set(dict(excinfo.value.unmet)) == {"actions_effective", "result_notified_if_customer"}
    fault.advance_action(
        done.verify(effective=True, at=at(8), result="no stall in 200 jobs"), actor=QA, at=at(8)
    )
    fault.record_notice("ann", actor=AGENT, at=at(8))
    fault.record_notice("cy", actor=AGENT, at=at(8))
    life.fire(fault, T.CLOSE, actor=AGENT, at=at(9))
    assert fault.state == S.CLOSED
    assert fault.closed_at == at(9)
    # A closed fault's facts are frozen: a verification after the close is refused.
    events = fault.events
    with pytest.raises(CommandRefusedError, match="reopen it first"):
        fault.record_verification(effective=False, evidence=["late"], actor=QA, at=at(9.5))
    assert fault.events == events
    fault.comment("Ann thanked us", actor=AGENT, at=at(9.5))  # talk is still taken
    # A reopen voids the verification and the notices, with an event each.
    life.fire(fault, T.REOPEN, actor=AGENT, at=at(10), reason="it stalled again")
    assert fault.verification is None
    assert fault.notices == ()
    voids = fault.events[-3:]
    assert [(e.fact, e.command) for e in voids] == [  # type: ignore[union-attr]
        ("verification", "reopen"),
        ("notices", "reopen"),
        ("closed_at", "reopen"),
    ]
    assert replayed(fault) == fault


def test_a_failed_effectiveness_check_keeps_the_fault_from_closing() -> None:
    life = lifecycle()
    fault = in_fixing(life)
    done = FIX.start().complete(at(4))
    fault.advance_action(done, actor=AGENT, at=at(4))
    life.fire(fault, T.RESOLVE, actor=AGENT, at=at(5))
    fault.advance_action(
        done.verify(effective=False, at=at(6), result="stalled"), actor=QA, at=at(6)
    )
    life.fire(fault, T.START_VERIFICATION, actor=AGENT, at=at(6))
    fault.record_verification(effective=True, evidence=["run"], actor=QA, at=at(6))
    fault.record_notice("ann", actor=AGENT, at=at(6))
    fault.mark_docs_updated(actor=AGENT, at=at(6))
    with pytest.raises(TransitionRefusedError) as excinfo:
        life.fire(fault, T.CLOSE, actor=AGENT, at=at(7))
    assert "A-1 is ineffective" in dict(excinfo.value.unmet)["actions_effective"]
    life.fire(fault, T.REOPEN, actor=AGENT, at=at(7), reason="fix did not hold")
    assert fault.state == S.ANALYSING
    with pytest.raises(TransitionRefusedError, match="ineffective"):  # back to work on it
        life.fire(fault, T.START_FIX, actor=AGENT, at=at(7))


def test_on_hold_while_fixing_with_itil_reasons() -> None:
    life = lifecycle()
    fault = in_fixing(life)
    with pytest.raises(TransitionRefusedError) as excinfo:
        life.fire(fault, T.HOLD, actor=AGENT, at=at(5), reason="lunch")
    assert set(dict(excinfo.value.unmet)) == {"hold_reason_known"}
    life.fire(fault, T.HOLD, actor=AGENT, at=at(5), reason=HoldReason.AWAITING_VENDOR)
    state = PROCEDURE.state(fault.state)
    assert state.category is StateCategory.ON_HOLD
    assert state.pauses_sla

    # The resolution clock stands still while the fix waits (priority 1: round the clock).
    def clock(now: datetime) -> Any:
        return sla_status(fault, now=now, workflow=PROCEDURE, priority=1).resolution

    held, later = clock(at(5)), clock(at(9))
    assert not later.running
    assert later.elapsed == held.elapsed
    life.fire(fault, T.RESUME, actor=AGENT, at=at(6))
    assert fault.state == S.FIXING
    resumed = clock(at(7))
    assert resumed.running
    assert resumed.elapsed == held.elapsed + timedelta(hours=1)


# --------------------------------------------------------------------------- stateful

_ACTORS = (AGENT, QA, REVIEWER)
_REASONS = (None, "because", HoldReason.AWAITING_CALLER.value)
_MAINLINE = (
    T.SUBMIT,
    T.ACCEPT,
    T.START_ANALYSIS,
    T.START_FIX,
    T.RESOLVE,
    T.START_VERIFICATION,
    T.CLOSE,
    T.RESUME,
)
_BACKWARD = frozenset({T.CANCEL, T.REJECT, T.MARK_DUPLICATE, T.RETURN_FOR_INFO, T.MERGE})
_VERIFIERS = VerifierRule(name="quality", people={"quinn", "rita"})  # not bob


@attrs.frozen
class _Problem:
    id: str
    verified: bool
    workaround: str | None

    def has_verified_root_cause(self) -> bool:
        return self.verified

    def known_error_workaround(self) -> str | None:
        return self.workaround


_PROBLEMS = {
    "PRB-open": _Problem("PRB-open", False, None),
    "PRB-rooted": _Problem("PRB-rooted", True, None),
    "KE-1": _Problem("KE-1", True, "restart it"),
}


class CaseMachine(RuleBasedStateMachine):
    """Random commands and triggers, refused ones included, saved with optimistic concurrency.

    After each step: replay equals state, the stream only grows (no event changes),
    events never go back in time, closed implies a verification after the last resolve
    by a person the verifier rule allows (not the resolver) and every corrective action
    verified effective, and the stored stream is a prefix. Actions are advanced on the
    fault or through the lifecycle (a failed check on a resolved fault must send it
    back to analysing in the same command); priority and severity are cleared too.
    """

    def __init__(self) -> None:
        super().__init__()
        self.life = Lifecycle(checklist=PassingChecklist(), verifiers=_VERIFIERS)
        self.store = MemoryStore()
        self.fault = self.life.open(report(), severity=Severity.SEV3)
        self.store.faults.add(self.fault)
        self.version = 1
        self.stale = self.store.faults.get(self.fault.id)
        self.now = T0
        self.seen: tuple[Any, ...] = ()
        # Issue 19: problems, merges, major incidents.
        self.life = Lifecycle(checklist=PassingChecklist(), problems=_PROBLEMS.get)
        self.master = self.life.open(report("F-9"), severity=Severity.SEV3)
        self.merged: list[str] = []
        self.others = 0

    def _try(self, command: Any) -> None:
        before = self.fault.events
        try:
            command()
        except (CommandRefusedError, TransitionRefusedError, InvalidInputError):
            assert self.fault.events == before  # a refused command appends nothing

    @rule(
        trigger=st.sampled_from(PROCEDURE.triggers),
        actor=st.sampled_from(_ACTORS),
        reason=st.sampled_from(_REASONS),
        minutes=st.integers(0, 300),
    )
    def fire(self, trigger: str, actor: Person, reason: str | None, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)
        self._try(
            lambda: self.life.fire(self.fault, trigger, actor=actor, at=self.now, reason=reason)
        )

    @rule(pick=st.integers(0, 20), minutes=st.integers(0, 300), effective=st.booleans())
    def progress(self, pick: int, minutes: int, effective: bool) -> None:
        """Do the next thing the case needs, then fire a forward trigger or a reopen.

        Random commands alone almost never close a fault; this rule makes closing (and
        reopening a closed fault) common, so the closure invariant is exercised.
        """
        self.work(effective, 0)
        self.now += timedelta(minutes=minutes)
        steps = [
            step.trigger
            for step in self.life.next_steps(self.fault, actor=AGENT, at=self.now)
            if step.trigger not in _BACKWARD
        ]
        if not steps:
            return
        mainline = [t for t in steps if t in _MAINLINE]
        trigger = mainline[0] if mainline and pick < 15 else steps[pick % len(steps)]
        actor = REVIEWER if trigger == T.ACCEPT else AGENT
        reason = HoldReason.AWAITING_CHANGE.value if trigger == T.HOLD else "because"
        self._try(
            lambda: self.life.fire(self.fault, trigger, actor=actor, at=self.now, reason=reason)
        )

    @rule(effective=st.booleans(), minutes=st.integers(0, 120))
    def work(self, effective: bool, minutes: int) -> None:
        """Do the next thing the case needs (random commands alone rarely close a fault)."""
        self.now += timedelta(minutes=minutes)
        fault, now = self.fault, self.now
        actions = fault.actions
        live = [a for a in actions if a.status is not ActionStatus.INEFFECTIVE]
        category = PROCEDURE.state(fault.state).category
        if getattr(fault.analysis, "fault_id", None) != fault.id:
            self._try(lambda: fault.attach_analysis(analysis(), actor=AGENT, at=now))
        elif not live:  # none yet, or every one failed its check: plan another
            again = attrs.evolve(FIX, id=f"A-{len(actions) + 1}")
            self._try(lambda: fault.add_action(again, actor=AGENT, at=now))
        elif live[0].status is ActionStatus.PLANNED:
            self._try(lambda: fault.advance_action(live[0].start(), actor=AGENT, at=now))
        elif live[0].status is ActionStatus.IN_PROGRESS:
            done = live[0].complete(now)
            self._try(lambda: fault.advance_action(done, actor=AGENT, at=now))
        elif live[0].status is ActionStatus.DONE and category is StateCategory.RESOLVED:
            checked = live[0].verify(effective=effective, at=now, result="checked")
            self._advance(checked, QA)
        elif fault.state == S.VERIFYING:
            close = next(s for s in self.life.next_steps(fault, actor=AGENT, at=now))
            unmet = dict(close.unmet)
            if "fix_verified" in unmet:
                self._try(lambda: fault.record_verification(**CHECKED, actor=QA, at=now))
            elif "result_notified_if_customer" in unmet:
                for person in ("ann", *(link.author for link in fault.feedback)):
                    self._try(lambda p=person: fault.record_notice(p, actor=AGENT, at=now))
            elif "maintenance_docs_if_rca" in unmet:
                self._try(lambda: fault.mark_docs_updated(actor=AGENT, at=now))

    @rule()
    def contain(self) -> None:
        self._try(lambda: self.fault.contain(unit_isolated=True, actor=AGENT, at=self.now))

    @rule(
        severity=st.sampled_from(Severity),
        reason=st.sampled_from(_REASONS),
        minutes=st.integers(-30, 60),
    )
    def set_severity(self, severity: Severity, reason: str | None, minutes: int) -> None:
        when = self.now + timedelta(minutes=minutes)  # sometimes in the past: refused
        self._try(lambda: self.fault.set_severity(severity, actor=AGENT, at=when, reason=reason))

    @rule(own=st.booleans())
    def attach_analysis(self, own: bool) -> None:
        self._try(
            lambda: self.fault.attach_analysis(
                analysis("F-1" if own else "F-2"), actor=AGENT, at=self.now
            )
        )

    def _advance(self, action: Action, actor: Person) -> None:
        """Record an action through the lifecycle: a failed check on a resolved fault
        sends it back to work in the same command (both events, or none)."""
        fault = self.fault
        before, source = fault.events, fault.state
        try:
            appended = self.life.advance_action(fault, action, actor=actor, at=self.now)
        except (CommandRefusedError, TransitionRefusedError, InvalidInputError):
            assert fault.events == before
            return
        assert fault.events == (*before, *appended)
        resolved = PROCEDURE.state(source).category is StateCategory.RESOLVED
        if action.status is ActionStatus.INEFFECTIVE and resolved:
            assert type(appended[1]) is TransitionRecord
            assert appended[1].trigger == T.REOPEN
            assert fault.state == S.ANALYSING
        else:
            assert len(appended) == 1
            assert fault.state == source

    @rule(fact=st.sampled_from(["priority", "severity"]), reason=st.sampled_from(_REASONS))
    def clear(self, fact: str, reason: str | None) -> None:
        command = getattr(self.fault, f"set_{fact}")
        self._try(lambda: command(None, actor=AGENT, at=self.now, reason=reason))

    @rule(
        step=st.sampled_from(["add", "start", "complete", "effective", "ineffective"]),
        through_lifecycle=st.booleans(),
    )
    def action(self, step: str, through_lifecycle: bool) -> None:
        current = self.fault.actions
        action = current[0] if current else FIX
        if step == "add":
            self._try(lambda: self.fault.add_action(FIX, actor=AGENT, at=self.now))
            return
        try:
            if step == "start":
                new = action.start()
            elif step == "complete":
                new = action.complete(self.now)
            else:
                new = action.verify(effective=step == "effective", at=self.now, result="checked")
        except InvalidInputError:
            return
        if through_lifecycle:
            self._advance(new, QA)
        else:
            self._try(lambda: self.fault.advance_action(new, actor=QA, at=self.now))

    @rule(actor=st.sampled_from(_ACTORS), effective=st.booleans(), evidence=st.booleans())
    def verify(self, actor: Person, effective: bool, evidence: bool) -> None:
        proof = ["run"] if evidence else []
        self._try(
            lambda: self.fault.record_verification(
                effective=effective, evidence=proof, actor=actor, at=self.now
            )
        )

    @rule(recipient=st.sampled_from(["ann", "cy"]))
    def notice(self, recipient: str) -> None:
        self._try(lambda: self.fault.record_notice(recipient, actor=AGENT, at=self.now))

    @rule()
    def link_and_document(self) -> None:
        self._try(lambda: self.fault.link_feedback("fb-1", "cy", actor=AGENT, at=self.now))
        self._try(lambda: self.fault.mark_docs_updated(actor=AGENT, at=self.now))
        self._try(lambda: self.fault.comment("note", actor=AGENT, at=self.now))

    # ------------------------------------------------------------------ issue 19

    @rule(minutes=st.integers(0, 60))
    def merge_into_master(self, minutes: int) -> None:
        """The fault is found to duplicate F-9 (from whatever state it is in)."""
        self.now += timedelta(minutes=minutes)
        before = self.master.events
        try:
            self.life.merge(self.fault, self.master, actor=AGENT, at=self.now, reason="same")
        except (CommandRefusedError, TransitionRefusedError, InvalidInputError):
            assert self.master.events == before
        else:
            assert self.master.duplicates[-1] == self.fault.id

    @rule()
    def merge_another_into_this(self) -> None:
        """Another fault is found to duplicate this one."""
        self.others += 1
        other = self.life.open(report(f"D-{self.others}"), severity=Severity.SEV4)
        before = self.fault.events
        try:
            self.life.merge(other, self.fault, actor=AGENT, at=self.now)
        except (CommandRefusedError, TransitionRefusedError, InvalidInputError):
            assert self.fault.events == before
            assert other.state == S.RECORDED
        else:
            self.merged.append(other.id)
            assert other.duplicate_of == self.fault.id

    @rule(step=st.sampled_from(["declare", "update", "review"]), minutes=st.integers(0, 60))
    def major_incident(self, step: str, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)
        fault, now = self.fault, self.now
        if step == "declare":
            self._try(lambda: fault.declare_major_incident(actor=AGENT, at=now, reason="press"))
        elif step == "update":
            self._try(lambda: fault.record_stakeholder_update("status", actor=AGENT, at=now))
        else:
            self._try(
                lambda: fault.record_post_incident_review(["bob"], "learnt", actor=AGENT, at=now)
            )

    @rule(
        kind=st.sampled_from(["note", "problem", "workaround", "change"]),
        problem=st.sampled_from([*sorted(_PROBLEMS), "PRB-missing"]),
        relation=st.sampled_from(ChangeRelation),
    )
    def rca_evidence(self, kind: str, problem: str, relation: ChangeRelation) -> None:
        """What the RCA policy may accept instead of an analysis, and change links."""
        fault, now = self.fault, self.now
        if kind == "note":
            self._try(lambda: fault.record_resolution_note("cleared", actor=AGENT, at=now))
        elif kind == "problem":
            self._try(lambda: fault.link_problem(problem, actor=AGENT, at=now, reason="better"))
        elif kind == "workaround":
            self._try(lambda: fault.add_workaround("restart it", actor=AGENT, at=now))
        else:
            self._try(lambda: fault.link_change("CHG1", relation, actor=AGENT, at=now))

    @invariant()
    def merges_are_recorded_on_both_sides(self) -> None:
        assert list(self.fault.duplicates) == self.merged
        if self.fault.state == S.DUPLICATE:
            assert self.fault.duplicate_of is not None
        if self.fault.id in self.master.duplicates:
            assert self.fault.duplicate_of == self.master.id
            assert self.fault.state == S.DUPLICATE

    @invariant()
    def closed_means_the_rca_in_proportion_and_the_review(self) -> None:
        fault = self.fault
        if fault.state != S.CLOSED:
            return
        if fault.major_incident is not None:
            assert fault.post_incident_review is not None
        analysis = fault.analysis
        if analysis is not None and not analysis.incomplete_reasons(fault.actions):
            return
        rule = DEFAULT_RCA_POLICY.rule_for(fault.severity, fault.report.product)
        problem = _PROBLEMS.get(fault.problem_id or "")
        if problem is not None and (
            rule.requires is not RcaRequirement.FULL_ANALYSIS
            or problem.has_verified_root_cause()
            or (
                rule.known_error_suffices
                and problem.known_error_workaround() is not None
                and fault.containment is not None
                and fault.containment.workaround is not None
            )
        ):
            return
        assert rule.requires is RcaRequirement.RESOLUTION_NOTE
        assert fault.resolution_note is not None

    @rule()
    def save(self) -> None:
        self.version = self.store.faults.save(self.fault, expected_version=self.version)

    @precondition(lambda self: self.stale.version < self.version)
    @rule()
    def save_a_stale_copy(self) -> None:
        stale = self.stale.item
        stale.comment("late", actor=QA, at=max(stale.last_event_at, self.now))
        with pytest.raises(StorageConflictError):
            self.store.faults.save(stale, expected_version=self.stale.version)
        self.stale = self.store.faults.get(self.fault.id)

    @invariant()
    def replay_equals_state(self) -> None:
        again = replayed(self.fault)
        assert again == self.fault
        for fact in FACTS:
            assert getattr(again, fact) == getattr(self.fault, fact)

    @invariant()
    def history_never_shrinks_or_changes(self) -> None:
        events = self.fault.events
        assert events[: len(self.seen)] == self.seen
        assert all(b.at >= a.at for a, b in itertools.pairwise(events))
        assert all(e.at >= T0 for e in events)
        self.seen = events
        stored = [e.record for e in self.store.events.for_fault(self.fault.id)]
        assert tuple(stored) == events[: len(stored)]

    @invariant()
    def closed_means_the_fix_is_proven(self) -> None:
        fault = self.fault
        if fault.state != S.CLOSED:
            return
        verification = fault.verification
        assert verification is not None
        assert verification.effective
        assert verification.evidence
        resolves = [
            i
            for i, e in enumerate(fault.events)
            if type(e) is TransitionRecord and e.to_state == S.RESOLVED
        ]
        changes = [
            i
            for i, e in enumerate(fault.events)
            if type(e) is FactChange and e.fact == "verification"
        ]
        assert resolves
        assert changes[-1] > resolves[-1]
        assert _VERIFIERS.allows(verification.verified_by)
        assert verification.verified_by != fault.events[resolves[-1]].actor  # type: ignore[union-attr]
        effective = {
            ref
            for a in fault.actions
            if a.status is ActionStatus.VERIFIED_EFFECTIVE
            for ref in a.addresses
        }
        for action in fault.actions:
            if action.kind is not ActionKind.CORRECTIVE:
                continue
            if action.status is ActionStatus.INEFFECTIVE:  # verified, and superseded
                assert effective.issuperset(action.addresses)
            else:
                assert action.status is ActionStatus.VERIFIED_EFFECTIVE


TestCaseMachine = CaseMachine.TestCase
TestCaseMachine.settings = settings(max_examples=80, stateful_step_count=60, deadline=None)


def test_a_short_path_reaches_closure() -> None:
    """The machine's steps can close a fault (so its closure invariant is not vacuous)."""
    life = lifecycle()
    fault = in_fixing(life)
    done = FIX.start().complete(at(4)).verify(effective=True, at=at(4), result="ok")
    fault.advance_action(FIX.start(), actor=QA, at=at(4))
    fault.advance_action(FIX.start().complete(at(4)), actor=QA, at=at(4))
    fault.advance_action(done, actor=QA, at=at(4))
    for trigger in (T.RESOLVE, T.START_VERIFICATION):
        life.fire(fault, trigger, actor=AGENT, at=at(5))
    fault.record_verification(effective=True, evidence=["run"], actor=QA, at=at(6))
    fault.record_notice("ann", actor=AGENT, at=at(6))
    fault.mark_docs_updated(actor=AGENT, at=at(6))
    life.fire(fault, T.CLOSE, actor=AGENT, at=at(6))
    assert fault.state == S.CLOSED
