"""Bulk event-log validation: the real ServiceNow sample, violations, engine agreement."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import TransitionRefusedError
from faultkit.lifecycle import ITIL, PROCEDURE, Fault, Lifecycle, Workflow
from faultkit.lifecycle.eventlog import ViolationKind, validate_event_log
from faultkit.models import (
    FaultReport,
    Frequency,
    ImpactScope,
    IntakeChannel,
    Person,
    Reporter,
    Urgency,
)
from faultkit.testing.lifecycle import legal_paths, state_sequences, workflows

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def read_sample(path: Path) -> list[tuple[str, str, datetime]]:
    """The sample's (number, incident_state, sys_updated_at): day-first, no zone."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            (
                row["number"],
                row["incident_state"],
                datetime.strptime(row["sys_updated_at"], "%d-%m-%Y %H:%M"),
            )
            for row in csv.DictReader(handle)
        ]


@pytest.fixture(scope="module")
def sample(servicenow_export: Path) -> list[tuple[str, str, datetime]]:
    return read_sample(servicenow_export)


def test_real_servicenow_sample_has_no_illegal_transition(
    sample: list[tuple[str, str, datetime]],
) -> None:
    report = validate_event_log(sample, ITIL)
    assert report.events == 5998
    assert report.incidents == 890
    assert report.illegal_transitions == ()
    assert report.ok
    assert report.transitions > 2000


def test_real_sample_checked_thoroughly(sample: list[tuple[str, str, datetime]]) -> None:
    report = validate_event_log(sample, ITIL, check_order=True, check_start=True)
    assert report.illegal_transitions == ()
    assert report.of_kind(ViolationKind.UNKNOWN_LABEL) == ()
    # The export starts in the middle of some histories, and one row is stamped
    # 11:10 before a row stamped 09:52 of the same incident.
    (reversed_row,) = report.of_kind(ViolationKind.TIME_REVERSED)
    assert reversed_row.incident == "INC0000137"
    assert reversed_row.from_at == datetime(2016, 2, 29, 11, 10)
    assert reversed_row.at == datetime(2016, 2, 29, 9, 52)
    assert len(report.of_kind(ViolationKind.NOT_INITIAL)) > 0


def rows(*events: tuple[str, str]) -> list[tuple[str, str, datetime]]:
    return [(i, label, T0 + timedelta(minutes=k)) for k, (i, label) in enumerate(events)]


def test_illegal_transition_reported_with_positions() -> None:
    log = rows(("A", "New"), ("A", "Closed"), ("B", "New"), ("B", "Active"))
    report = validate_event_log(log, ITIL)
    (violation,) = report.violations
    assert violation.kind is ViolationKind.ILLEGAL_TRANSITION
    assert (violation.incident, violation.row, violation.step) == ("A", 1, 1)
    assert (violation.from_state, violation.to_state) == ("new", "closed")
    assert (violation.from_label, violation.label) == ("New", "Closed")
    assert (violation.from_at, violation.at) == (T0, T0 + timedelta(minutes=1))


def test_repeated_states_and_hold_reasons_collapse() -> None:
    log = rows(
        ("A", "New"),
        ("A", "New"),
        ("A", "Awaiting User Info"),
        ("A", "Awaiting Vendor"),
        ("A", "Active"),
        ("A", "Resolved"),
    )
    report = validate_event_log(log, ITIL)
    assert report.ok
    assert report.transitions == 3


def test_unknown_label_reported() -> None:
    report = validate_event_log(rows(("A", "New"), ("A", "Limbo"), ("A", "Active")), ITIL)
    (violation,) = report.violations
    assert violation.kind is ViolationKind.UNKNOWN_LABEL
    assert (violation.row, violation.label, violation.to_state) == (1, "Limbo", None)
    assert report.incidents == 1


def test_an_incident_with_unknown_labels_only_is_still_an_incident() -> None:
    log = rows(("A", "New"), ("B", "Limbo"), ("A", "Active"), ("B", "Limbo"), ("C", "Limbo"))
    report = validate_event_log(log, ITIL)
    assert report.incidents == 3  # distinct ids seen, as documented
    assert [v.incident for v in report.violations] == ["B", "B", "C"]
    # ... whichever comes first for an incident, known label or not
    later = rows(("A", "Limbo"), ("A", "New"), ("A", "Active"))
    assert validate_event_log(later, ITIL).incidents == 1


def test_interleaved_incidents() -> None:
    log = rows(("B", "New"), ("A", "New"), ("B", "Active"), ("A", "Closed"), ("B", "Resolved"))
    report = validate_event_log(log, ITIL)
    assert report.incidents == 2
    assert report.transitions == 3
    (violation,) = report.violations
    assert (violation.incident, violation.row, violation.step) == ("A", 3, 1)
    # An iterator works too (it is read once into a list).
    assert validate_event_log(iter(log), ITIL) == report


# The report of every fault the engine replays below: its content does not matter here.
REPORT = FaultReport(
    id="F",
    title="t",
    description="d",
    observed_at=T0,
    reported_at=T0,
    reporter=Reporter(id="r", name="R"),
    channel=IntakeChannel.EMAIL,
    product="p",
    frequency=Frequency.ONCE,
    impact_scope=ImpactScope.SINGLE_USER,
    urgency=Urgency.LOW,
)


def fire_like_the_engine(workflow: Workflow, states: list[str]) -> list[int]:
    """Replay a state sequence through the engine; the positions it cannot follow."""
    lifecycle = Lifecycle(workflow.without_requirements(), merge_trigger=None)  # the table alone
    actor = Person(id="a", name="A")
    refused = []
    state = states[0]
    for position, target in enumerate(states[1:], start=1):
        if target == state:
            continue
        fault = Fault(report=REPORT, state=state)
        moved = False
        for trigger in workflow.triggers:
            try:
                record = lifecycle.fire(fault, trigger, actor=actor, at=T0)
            except TransitionRefusedError:
                continue
            if record.to_state == target:
                moved = True
                break
            fault = Fault(report=REPORT, state=state)
        if not moved:
            refused.append(position)
        state = target
    return refused


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_engine_and_bulk_validator_agree(data: st.DataObject) -> None:
    workflow = data.draw(st.sampled_from([PROCEDURE, ITIL]) | workflows())
    states = data.draw(state_sequences(workflow))
    log = [("X", state, T0) for state in states]
    report = validate_event_log(log, workflow)
    assert [v.row for v in report.violations] == fire_like_the_engine(workflow, states)
    assert report.ok == (fire_like_the_engine(workflow, states) == [])


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_engine_walks_are_clean_logs(data: st.DataObject) -> None:
    workflow = data.draw(st.sampled_from([PROCEDURE, ITIL]) | workflows())
    triggers = data.draw(legal_paths(workflow))
    lifecycle = Lifecycle(workflow.without_requirements(), merge_trigger=None)  # the table alone
    fault = Fault(
        report=REPORT,
        state=workflow.initial,
    )
    for minute, trigger in enumerate(triggers):
        lifecycle.fire(
            fault, trigger, actor=Person(id="a", name="A"), at=T0 + timedelta(minutes=minute)
        )
    log = [("F", workflow.initial, T0)] + [("F", r.to_state, r.at) for r in fault.history]
    report = validate_event_log(log, workflow, check_order=True, check_start=True)
    assert report.ok
    assert report.transitions == sum(r.from_state != r.to_state for r in fault.history)


def test_itil_hold_reasons_cover_the_awaiting_labels() -> None:
    from faultkit.lifecycle import ITIL_HOLD_REASONS

    awaiting = {label for label in ITIL.labels if label.startswith("Awaiting")}
    assert set(ITIL_HOLD_REASONS) == awaiting
    assert all(ITIL.label_map[label] == "on_hold" for label in awaiting)
