"""The fault case's rules added after the event-sourced fault: clearing facts, the
verifier rule, a failed effectiveness check sending the fault back to work, the
actions held once by the fault."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.adapters.sql import SqlStore
from faultkit.errors import (
    CommandRefusedError,
    InvalidInputError,
    TransitionRefusedError,
    WorkflowDefinitionError,
)
from faultkit.lifecycle import (
    FactChange,
    Fault,
    FaultCodec,
    Lifecycle,
    Requirement,
    TransitionRecord,
    VerifierRule,
)
from faultkit.lifecycle.migrations import MIGRATED_REASON, upgrade_events
from faultkit.models import Person, Severity
from faultkit.rca import Action, ActionStatus, Analysis
from faultkit.serialization import from_dict, to_dict
from faultkit.storage import MemoryStore
from faultkit.storage.records import micros
from printer_fault import AGENT, QA, PassingChecklist, at
from test_lifecycle_case import (
    FIX,
    S,
    T,
    in_fixing,
    lifecycle,
    replayed,
    report,
)
from test_storage_sql import db_url  # noqa: F401 - the fixture (SQLite and PostgreSQL)

# --------------------------------------------------------------------------- clearing


@pytest.mark.parametrize(
    ("fact", "set_", "value"),
    [
        ("priority", "set_priority", 2),
        ("severity", "set_severity", Severity.SEV2),
        ("duplicate_of", "mark_duplicate_of", "F-0"),
    ],
)
def test_a_fact_is_cleared_only_with_a_reason(fact: str, set_: str, value: Any) -> None:
    fault = lifecycle().open(report())
    command = getattr(fault, set_)
    with pytest.raises(CommandRefusedError, match="already None"):
        command(None, actor=AGENT, at=at(1), reason="nothing to clear")
    command(value, actor=AGENT, at=at(1))
    events = fault.events
    with pytest.raises(CommandRefusedError, match="override or a clearing needs a reason") as exc:
        command(None, actor=AGENT, at=at(2))
    assert (exc.value.fault_id, exc.value.command) == ("F-1", set_)
    assert fault.events == events
    cleared = command(None, actor=AGENT, at=at(2), reason="set on the wrong fault")
    assert isinstance(cleared, FactChange)
    assert (cleared.fact, cleared.before, cleared.after) == (fact, value, None)
    assert cleared.reason == "set on the wrong fault"
    assert getattr(fault, fact) is None
    assert replayed(fault) == fault
    assert getattr(replayed(fault), fact) is None


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        st.tuples(st.none() | st.integers(1, 5), st.none() | st.sampled_from(["why", "re-triage"])),
        max_size=12,
    )
)
def test_priority_set_and_clear_sequences_replay(values: list[tuple[Any, Any]]) -> None:
    """Any sequence of set / clear commands: refused ones append nothing, replay agrees."""
    fault = lifecycle().open(report())
    for hour, (value, reason) in enumerate(values, 1):
        before, events = fault.priority, fault.events
        try:
            fault.set_priority(value, actor=AGENT, at=at(hour), reason=reason)
        except CommandRefusedError:
            assert fault.events == events
            assert value == before or (before is not None and reason is None)
            continue
        assert fault.priority == value
        assert before is None or reason is not None
    assert Fault(report=fault.report, state=fault.state, events=fault.events) == fault
    assert replayed(fault).priority == fault.priority


def test_a_bad_priority_is_still_refused() -> None:
    fault = lifecycle().open(report())
    for bad in (0, 6, "2", 2.0, True):
        with pytest.raises(InvalidInputError, match="1 to 5, or None"):
            fault.set_priority(bad, actor=AGENT, at=at(1))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- actions held once

FIXTURE = Path(__file__).parent / "data" / "fault_stream_embedded_actions.json"
"""A closed fault written by faultkit before the fault held its actions (the code of
commit 80f59a6): its analysis held copies of the actions, re-attached once with other
actions, and every ``add_action`` / ``advance_action`` was an ``"action"`` event."""


def _old_body() -> dict[str, Any]:
    body: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return body


def test_an_old_stream_loads_with_the_actions_on_the_fault() -> None:
    body = _old_body()
    assert any(e.get("fact") == "action" for e in body["events"])  # the old shape
    fault = FaultCodec().load(body)
    assert fault.state == "closed"
    assert [(a.id, a.status) for a in fault.actions] == [
        ("A-1", ActionStatus.VERIFIED_EFFECTIVE),
        ("A-2", ActionStatus.PLANNED),
    ]
    assert isinstance(fault.analysis, Analysis)
    assert not hasattr(fault.analysis, "actions")
    assert fault.analysis.incomplete_reasons(fault.actions) == ()
    facts = [e.fact for e in fault.events if isinstance(e, FactChange)]
    assert "action" not in facts
    # Attaching an analysis used to replace the actions: each time, an event says so.
    migrated = [
        e for e in fault.events if isinstance(e, FactChange) and e.reason == MIGRATED_REASON
    ]
    assert [[a.id for a in e.after] for e in migrated] == [["A-0"], ["A-1"]]
    assert replayed(fault) == fault
    # Written again, it is today's shape: the upgraded old events, unchanged.
    again = FaultCodec().dump(fault)
    assert again["events"] == upgrade_events(body["events"])
    assert FaultCodec().load(again) == fault
    assert upgrade_events(again["events"]) is again["events"]


def test_an_old_event_read_alone_keeps_its_shape() -> None:
    """An event log beside the faults keeps old events as written; each still reads."""
    codec = FaultCodec()
    for data in _old_body()["events"]:
        event = codec.load_event(data)
        if isinstance(event, FactChange) and event.fact == "analysis":
            assert not hasattr(event.after, "actions")
        if isinstance(event, FactChange) and event.fact == "action":
            assert isinstance(event.after, Action)


def test_an_old_stream_in_a_database_is_read_upgraded_and_saved_on(db_url: str) -> None:  # noqa: F811
    body = _old_body()
    with SqlStore(db_url) as store:
        fault = FaultCodec().load(body)
        store.faults.add(fault)
        old_events = [FaultCodec().load_event(e) for e in body["events"]]
        # Put the old body and old event rows in place, as the release wrote them.
        with store.engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE faultkit_faults SET body = :b, history_len = :n WHERE id = 'F-1'"),
                {"b": json.dumps(body), "n": len(body["events"])},
            )
            conn.execute(sa.text("DELETE FROM faultkit_events WHERE fault_id = 'F-1'"))
            for seq, data in enumerate(body["events"]):
                conn.execute(
                    sa.text(
                        "INSERT INTO faultkit_events (fault_id, seq, at_us, body) "
                        "VALUES ('F-1', :s, :a, :b)"
                    ),
                    {"s": seq, "a": micros(old_events[seq].at), "b": json.dumps(data)},
                )
        got = store.faults.get("F-1")
        assert got.item == fault
        reopened = got.item
        lifecycle().fire(reopened, "reopen", actor=AGENT, at=at(8), reason="stalled again")
        assert store.faults.save(reopened, expected_version=got.version) == got.version + 1
        reopened.comment("looking", actor=AGENT, at=at(9))
        assert store.faults.save(reopened, expected_version=got.version + 1) == got.version + 2
        assert store.faults.get("F-1").item == reopened
        log = store.events.for_fault("F-1")
        assert [e.seq for e in log] == list(range(len(log)))  # no gap
        # The log keeps the old events as written; a reader gets them upgraded, as
        # the fault reads them: the fault's events, in order.
        assert [e.record for e in log] == list(reopened.events)
        with store.engine.connect() as conn:
            stored = conn.execute(
                sa.text("SELECT count(*) FROM faultkit_events WHERE fault_id = 'F-1'")
            ).scalar_one()
        added = len(reopened.events) - len(fault.events)
        assert stored == len(body["events"]) + added
        assert len(fault.events) > len(body["events"])  # the upgrade added events


def test_a_reader_of_the_log_gets_an_old_stream_upgraded_on_every_store() -> None:
    body = _old_body()
    fault = FaultCodec().load(body)
    store = MemoryStore()
    store.faults.add(fault)
    store._events["F-1"] = [(0, data) for data in body["events"]]  # as the release wrote it
    log = store.events.for_fault("F-1")
    assert [e.record for e in log] == list(fault.events)
    assert [e.seq for e in log] == list(range(len(fault.events)))
    assert not any(isinstance(e.record, FactChange) and e.record.fact == "action" for e in log)
    # A stream kept without a fault (events.append) is read as it was appended.
    old = [FaultCodec().load_event(data) for data in body["events"]]
    store.events.append("log-only", old, expected_length=0)
    assert [e.record for e in store.events.for_fault("log-only")] == old


# --------------------------------------------------------------------------- the verifier rule


def _ready_to_close(life: Lifecycle) -> Fault:
    """A fault in verifying with its action verified effective and the customer told."""
    fault = in_fixing(life)
    done = FIX.start().complete(at(4))
    fault.advance_action(done, actor=AGENT, at=at(4))
    life.fire(fault, T.RESOLVE, actor=AGENT, at=at(5))
    life.fire(fault, T.START_VERIFICATION, actor=AGENT, at=at(5))
    life.advance_action(
        fault, done.verify(effective=True, at=at(6), result="ok"), actor=QA, at=at(6)
    )
    fault.mark_docs_updated(actor=AGENT, at=at(6))
    return fault


QA_TEAM = VerifierRule(name="quality team", people=["quinn", "vera"])


def test_only_the_people_of_the_verifier_rule_may_verify() -> None:
    life = Lifecycle(checklist=PassingChecklist(), verifiers=QA_TEAM)
    assert life.verifiers is QA_TEAM
    fault = _ready_to_close(life)
    outsider = Person(id="olga", name="Olga")  # not the resolver, not the assignee
    fault.record_verification(effective=True, evidence=["run"], actor=outsider, at=at(7))
    fault.record_notice("ann", actor=AGENT, at=at(7))
    events = fault.events
    with pytest.raises(TransitionRefusedError) as excinfo:
        life.fire(fault, T.CLOSE, actor=AGENT, at=at(7))
    (problem,) = [text for name, text in excinfo.value.unmet if name == "fix_verified"]
    assert "'olga'" in problem
    assert "'quality team'" in problem
    assert "quinn, vera" in problem
    assert fault.events == events
    # The rule comes on top of independence: a listed person who resolved it may not.
    resolver_rule = VerifierRule(name="leads", people={"bob", "quinn"})
    strict = Lifecycle(checklist=PassingChecklist(), verifiers=resolver_rule)
    fault.record_verification(effective=True, evidence=["run"], actor=AGENT, at=at(8))
    fault.record_notice("ann", actor=AGENT, at=at(8))
    unmet = dict(
        next(
            s for s in strict.next_steps(fault, actor=AGENT, at=at(8)) if s.trigger == T.CLOSE
        ).unmet
    )
    assert "resolved the fault and cannot verify" in unmet["fix_verified"]
    assert "may not verify" not in unmet["fix_verified"]
    fault.record_verification(effective=True, evidence=["run"], actor=QA, at=at(9))
    fault.record_notice("ann", actor=AGENT, at=at(9))
    life.fire(fault, T.CLOSE, actor=AGENT, at=at(9))
    assert fault.state == S.CLOSED


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": " ", "people": ["a"]}, "name"),
        ({"name": "qa", "people": []}, "people"),
        ({"name": "qa", "people": "quinn"}, "people"),
        ({"name": "qa", "people": ["quinn", ""]}, "people"),
        ({"name": "qa", "people": [3]}, "people"),
    ],
)
def test_a_bad_verifier_rule_names_the_field(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInputError) as excinfo:
        VerifierRule(**fields)
    assert excinfo.value.field == field
    with pytest.raises(InvalidInputError, match="VerifierRule"):
        Lifecycle(verifiers=["quinn"])  # type: ignore[arg-type]


@given(
    rule=st.builds(
        VerifierRule,
        name=st.text(min_size=1).filter(str.strip),
        people=st.frozensets(st.text(min_size=1).filter(str.strip), min_size=1),
    )
)
def test_a_verifier_rule_round_trips(rule: VerifierRule) -> None:
    assert from_dict(to_dict(rule), VerifierRule) == rule
    assert all(rule.allows(person) and rule.refusal(person) is None for person in rule.people)


# --------------------------------------------------------------------------- back to work


def test_a_failed_effectiveness_check_sends_the_fault_back_to_analysis() -> None:
    life = lifecycle()
    fault = in_fixing(life)
    done = FIX.start().complete(at(4))
    fault.advance_action(done, actor=AGENT, at=at(4))
    life.fire(fault, T.RESOLVE, actor=AGENT, at=at(5))
    life.fire(fault, T.START_VERIFICATION, actor=AGENT, at=at(5))
    fault.record_verification(effective=True, evidence=["run"], actor=QA, at=at(6))
    fault.record_notice("ann", actor=AGENT, at=at(6))
    before = len(fault.events)
    failed = done.verify(effective=False, at=at(7), result="stalled after 3 days")
    appended = life.advance_action(fault, failed, actor=QA, at=at(7))
    assert fault.events[before:] == appended
    change, move, *voids = appended
    assert isinstance(change, FactChange)
    assert change.fact == "actions"
    assert change.after[0].status is ActionStatus.INEFFECTIVE
    assert isinstance(move, TransitionRecord)
    assert (move.from_state, move.trigger, move.to_state) == (S.VERIFYING, "reopen", S.ANALYSING)
    assert (
        move.reason
        == change.reason
        == "effectiveness check of action 'A-1' failed: stalled after 3 days"
    )
    assert (move.actor, move.at) == ("quinn", at(7))
    assert [e.fact for e in voids] == ["verification", "notices"]  # type: ignore[attr-defined]
    assert fault.state == S.ANALYSING
    assert fault.verification is None
    assert replayed(fault) == fault
    # Back to root-cause work: the analysis is open until another corrective action.
    with pytest.raises(TransitionRefusedError, match="ineffective"):
        life.fire(fault, T.START_FIX, actor=AGENT, at=at(8))
    # A second corrective action, verified effective, supersedes the failed one.
    second = attrs.evolve(FIX, id="A-2", title="Rewrite the lock")
    fault.add_action(second, actor=AGENT, at=at(8))
    life.fire(fault, T.START_FIX, actor=AGENT, at=at(8))
    done2 = second.start().complete(at(8))
    fault.advance_action(done2, actor=AGENT, at=at(8))
    life.fire(fault, T.RESOLVE, actor=AGENT, at=at(9))
    life.fire(fault, T.START_VERIFICATION, actor=AGENT, at=at(9))
    fault.record_verification(effective=True, evidence=["run"], actor=QA, at=at(9))
    fault.record_notice("ann", actor=AGENT, at=at(9))
    fault.mark_docs_updated(actor=AGENT, at=at(9))
    with pytest.raises(TransitionRefusedError) as excinfo:
        life.fire(fault, T.CLOSE, actor=AGENT, at=at(9))
    assert dict(excinfo.value.unmet) == {
        "actions_effective": (
            "corrective actions not verified effective: A-1 is ineffective and not superseded "
            "by an effective action, A-2 is done"
        )
    }
    verified = done2.verify(effective=True, at=at(10), result="ok")
    life.advance_action(fault, verified, actor=QA, at=at(10))
    life.fire(fault, T.CLOSE, actor=AGENT, at=at(10))
    assert fault.state == S.CLOSED


def test_a_failed_check_elsewhere_only_records_it_and_a_refusal_appends_nothing() -> None:
    life = lifecycle()
    fault = in_fixing(life)  # fixing: nothing to send back
    done = FIX.start().complete(at(4))
    life.advance_action(fault, done, actor=AGENT, at=at(4))
    (only,) = life.advance_action(
        fault, done.verify(effective=False, at=at(4), result="no"), actor=QA, at=at(4)
    )
    assert fault.state == S.FIXING
    assert isinstance(only, FactChange)
    # No rework trigger: a resolved fault only records the failed check.
    quiet = Lifecycle(checklist=PassingChecklist(), rework_trigger=None)
    other = in_fixing(quiet)
    other.advance_action(done, actor=AGENT, at=at(4))
    quiet.fire(other, T.RESOLVE, actor=AGENT, at=at(5))
    quiet.advance_action(
        other, done.verify(effective=False, at=at(5), result="no"), actor=QA, at=at(5)
    )
    assert other.state == S.RESOLVED
    # A rework trigger whose move is refused: the command appends nothing.
    guarded = Lifecycle(
        checklist=PassingChecklist(),
        requirements=[
            Requirement(name="reason_given", check=lambda f, c: "never", description="no")
        ],
    )
    third = in_fixing(guarded)
    third.advance_action(done, actor=AGENT, at=at(4))
    guarded.fire(third, T.RESOLVE, actor=AGENT, at=at(5))
    events = third.events
    with pytest.raises(CommandRefusedError, match="rework_possible") as excinfo:
        guarded.advance_action(
            third, done.verify(effective=False, at=at(6), result="no"), actor=QA, at=at(6)
        )
    assert "reason_given: never" in str(excinfo.value)
    assert third.events == events
    with pytest.raises(WorkflowDefinitionError, match="rework_trigger"):
        Lifecycle(rework_trigger="redo")
