"""Workflow tables: checked when built, round-trip as data, diagrams kept up to date."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

from faultkit.errors import WorkflowDefinitionError
from faultkit.lifecycle import (
    ITIL,
    PROCEDURE,
    Lifecycle,
    ProcedureState,
    State,
    StateCategory,
    Transition,
    Workflow,
)
from faultkit.lifecycle.diagram import mermaid
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
    edges = sum(len(row.sources) for row in ITIL.transitions)
    assert text.count(" --> ") == edges + 1 + 2
