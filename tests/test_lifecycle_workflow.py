"""Workflow tables: checked when built, round-trip as data, diagrams kept up to date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError, WorkflowDefinitionError
from faultkit.feedback.workflow import FEEDBACK_WORKFLOW
from faultkit.lifecycle import (
    ITIL,
    PROCEDURE,
    Comment,
    Lifecycle,
    ProcedureState,
    State,
    StateCategory,
    Transition,
    TransitionRecord,
    Workflow,
    check_follows,
)
from faultkit.lifecycle.diagram import mermaid
from faultkit.problems import PROBLEM_WORKFLOW
from faultkit.serialization import from_dict, from_json, to_dict, to_json
from faultkit.testing.lifecycle import workflows

ROOT = Path(__file__).resolve().parents[1]
OPEN, CLOSED = StateCategory.OPEN, StateCategory.CLOSED


def table(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "name": "tiny",
        "initial": "a",
        "states": [
            State(name="a", category=OPEN),
            State(name="b", category=CLOSED, terminal=True),
        ],
        "transitions": [Transition(trigger="go", sources=["a"], dest="b")],
    }
    base.update(changes)
    return base


def test_a_tiny_table_builds() -> None:
    workflow = Workflow(**table())  # type: ignore[arg-type]
    assert workflow.allows("a", "b")
    assert not workflow.allows("b", "a")
    assert workflow.triggers_from("a") == ("go",)
    assert workflow.label_map == {"a": "a", "b": "b"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"initial": "z"}, "the initial state is 'z', which is not a state"),
        (
            {"transitions": [Transition(trigger="go", sources=["a"], dest="z")]},
            "the destination of trigger 'go' is 'z'",
        ),
        (
            {"transitions": [Transition(trigger="go", sources=["q"], dest="b")]},
            "a source of trigger 'go' is 'q'",
        ),
        (
            {
                "transitions": [
                    Transition(trigger="go", sources=["a"], dest="b"),
                    Transition(trigger="go", sources=["a"], dest="a"),
                ]
            },
            "trigger 'go' is ambiguous from state 'a'",
        ),
        (
            {
                "states": [
                    State(name="a", category=OPEN),
                    State(name="b", category=CLOSED, terminal=True),
                    State(name="c", category=CLOSED, terminal=True),
                ]
            },
            "state(s) 'c' cannot be reached",
        ),
        (
            {"states": [State(name="a", category=OPEN), State(name="b", category=CLOSED)]},
            "state 'b' is a dead end",
        ),
        (
            {"states": [State(name="a", category=OPEN), State(name="a", category=CLOSED)]},
            "state 'a' is defined twice",
        ),
        ({"labels": {"Done": "finished"}}, "the target of label 'Done' is 'finished'"),
        ({"transitions": [Transition(trigger="go", sources=[], dest="b")]}, "has no source"),
    ],
    ids=[
        "initial",
        "dest",
        "source",
        "ambiguous",
        "unreachable",
        "dead-end",
        "twice",
        "label",
        "no-source",
    ],
)
def test_bad_tables_name_the_problem(changes: dict[str, object], message: str) -> None:
    with pytest.raises(WorkflowDefinitionError) as excinfo:
        Workflow(**table(**changes))  # type: ignore[arg-type]
    assert message in str(excinfo.value)
    assert isinstance(excinfo.value, ValueError)


def test_unknown_requirement_names_are_caught_when_the_engine_is_built() -> None:
    workflow = Workflow(
        **table(transitions=[Transition(trigger="go", sources=["a"], dest="b", requires=["x"])])  # type: ignore[arg-type]
    )
    with pytest.raises(WorkflowDefinitionError, match="unknown requirement\\(s\\) 'x'"):
        Lifecycle(workflow)


@pytest.mark.parametrize("workflow", [PROCEDURE, ITIL], ids=["procedure", "itil"])
def test_built_in_tables_round_trip_through_json(workflow: Workflow) -> None:
    again = from_json(to_json(workflow), Workflow)
    assert again == workflow
    assert again.pairs == workflow.pairs
    assert to_dict(again)["states"][0]["category"] == "open"


@settings(max_examples=40, deadline=None)
@given(workflows())
def test_random_tables_round_trip(workflow: Workflow) -> None:
    assert from_dict(to_dict(workflow), Workflow) == workflow


def test_state_names_are_plain_strings_from_enums() -> None:
    names = PROCEDURE.state_names
    assert all(type(name) is str for name in names)
    assert ProcedureState.CLOSED in names
    assert PROCEDURE.state("closed").terminal


def test_without_requirements_keeps_the_shape() -> None:
    bare = PROCEDURE.without_requirements()
    assert bare.pairs == PROCEDURE.pairs
    assert bare.requirement_names == frozenset()
    assert "reviewer_qualified" in PROCEDURE.requirement_names


@pytest.mark.parametrize("workflow", [PROCEDURE, ITIL], ids=["procedure", "itil"])
def test_committed_diagram_is_up_to_date(workflow: Workflow) -> None:
    path = ROOT / "docs" / "diagrams" / f"{workflow.name}.mmd"
    assert path.read_text(encoding="utf-8") == mermaid(workflow), (
        f"{path.name} is out of date: regenerate it with "
        f"faultkit.lifecycle.diagram.mermaid({workflow.name.upper()})"
    )


def test_diagram_shows_every_edge_and_requirement() -> None:
    text = mermaid(ITIL)
    assert text.startswith("stateDiagram-v2\n    [*] --> new\n")
    assert "    new --> resolved : resolve\n" in text
    assert "    resolved --> in_progress : reopen [reason_given]\n" in text
    assert "    closed --> [*]\n" in text
    assert "    on_hold --> duplicate : merge [duplicate_recorded]\n" in text
    edges = sum(len(row.sources) for row in ITIL.transitions)
    ends = sum(state.terminal for state in ITIL.states)  # closed, canceled, duplicate
    assert (ends, text.count(" --> ")) == (3, edges + 1 + ends)


# --------------------------------------------------------------------------- check_follows

_T0 = datetime(2026, 3, 1, tzinfo=UTC)


@st.composite
def next_events(draw: st.DrawFn) -> tuple[Workflow, str, Any]:
    """A workflow, the state the events before left, and a next event (often a valid move)."""
    flow = draw(st.sampled_from([ITIL, PROCEDURE, PROBLEM_WORKFLOW, FEEDBACK_WORKFLOW]))
    state = draw(st.sampled_from(flow.state_names))
    at = _T0 + timedelta(minutes=draw(st.integers(-3, 3)))
    kind = draw(st.sampled_from(["move", "any transition", "comment"]))
    if kind == "comment":
        return flow, state, Comment(actor="bob", at=at, text="noted")
    triggers = (
        flow.triggers_from(state) if kind == "move" and flow.triggers_from(state) else flow.triggers
    )
    trigger = draw(st.sampled_from(triggers))
    row = flow.move(state, trigger)
    to_state = (
        row.dest
        if row is not None and draw(st.booleans())
        else draw(st.sampled_from(flow.state_names))
    )
    from_state = state if draw(st.booleans()) else draw(st.sampled_from(flow.state_names))
    record = TransitionRecord(
        from_state=from_state, to_state=to_state, trigger=trigger, actor="bob", at=at
    )
    return flow, state, record


@settings(max_examples=400)
@given(next_events())
def test_check_follows_accepts_exactly_what_the_table_and_the_clock_allow(
    case: tuple[Workflow, str, Any],
) -> None:
    flow, state, event = case
    expected: str | None = None  # the field a refusal names
    if event.at < _T0:
        expected = "events[4].at"
    elif isinstance(event, TransitionRecord):
        row = flow.move(state, event.trigger)
        if event.from_state != state:
            expected = "events[4].from_state"
        elif row is None or row.dest != event.to_state:
            expected = "events[4].trigger"
    if expected is None:
        check_follows(flow, state, _T0, event, "events[4]")
        return
    with pytest.raises(InvalidInputError) as info:
        check_follows(flow, state, _T0, event, "events[4]")
    assert info.value.field == expected
    assert flow.name in str(info.value) or expected != "events[4].trigger"


def test_problems_and_feedback_cases_replay_by_check_follows() -> None:
    # Both aggregates refuse a stored transition the table lacks, naming the event.
    from faultkit.feedback import EmailFeedback, FeedbackCase
    from faultkit.models import Person
    from faultkit.problems import Problem

    jump = {"kind": "transition", "from_state": "new", "to_state": "closed", "actor": "bob"}
    problem = {
        "record": {
            "id": "PRB-1",
            "title": "Printer queue stalls",
            "product": "PrintHub",
            "opened_at": "2026-03-01T00:00:00+00:00",
            "opened_by": "bob",
        },
        "events": [{**jump, "trigger": "resolve", "at": "2026-03-01T01:00:00+00:00"}],
    }
    with pytest.raises(InvalidInputError) as info:
        from_dict(problem, Problem)
    assert info.value.field == "events[0].trigger"
    assert "the problem workflow has no move from 'new' to 'closed'" in str(info.value)
    case = FeedbackCase.open(
        EmailFeedback(id="fb-1", received_at=_T0, text="The app crashes on login")
    ).fire("acknowledge", actor=Person(id="ana", name="Ana"), at=_T0)
    forged = to_dict(case)
    forged["events"][0]["to_state"] = "closed"
    with pytest.raises(InvalidInputError) as info:
        from_dict(forged, FeedbackCase)
    assert info.value.field == "events[0].trigger"
    assert "the feedback workflow has no move from 'new' to 'closed'" in str(info.value)
