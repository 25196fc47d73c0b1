"""Round trips of every RCA structure, and bounded reading of hostile input."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.rca import (
    Action,
    Analysis,
    Fishbone,
    FiveWhys,
    MaintenancePlan,
    RiskItem,
    RiskRegister,
    TrainingRecord,
    TrainingRegister,
    TreeLimits,
    analysis_from_dict,
    analysis_to_dict,
    fishbone_from_dict,
    fishbone_to_dict,
    five_whys_from_dict,
    five_whys_to_dict,
)
from faultkit.serialization import from_dict, from_json, to_dict, to_json
from faultkit.testing.rca import (
    actions,
    analyses,
    fishbones,
    five_whys_trees,
    maintenance_plans,
    risk_items,
    risk_registers,
    training_records,
    training_registers,
)

ROUND_TRIPS: list[tuple[st.SearchStrategy[Any], type[Any]]] = [
    (five_whys_trees(max_steps=25), FiveWhys),
    (fishbones(max_causes=25), Fishbone),
    (actions(), Action),
    (analyses(), Analysis),
    (risk_items(), RiskItem),
    (risk_registers(), RiskRegister),
    (maintenance_plans(), MaintenancePlan),
    (training_records(), TrainingRecord),
    (training_registers(), TrainingRegister),
]


@pytest.mark.parametrize(("strategy", "cls"), ROUND_TRIPS, ids=lambda x: getattr(x, "__name__", ""))
def test_round_trip_through_json(strategy: st.SearchStrategy[Any], cls: type[Any]) -> None:
    @settings(max_examples=30, deadline=None)
    @given(strategy)
    def check(value: Any) -> None:
        data = to_dict(value)
        assert json.loads(json.dumps(data)) == data  # JSON-ready
        assert from_dict(data, cls) == value
        assert from_json(to_json(value), cls) == value

    check()


@settings(max_examples=15, deadline=None)
@given(five_whys_trees(max_steps=25), fishbones(max_causes=25), analyses())
def test_the_rca_functions_agree_with_faultkit_serialization(
    tree: FiveWhys, fish: Fishbone, analysis: Analysis
) -> None:
    assert five_whys_to_dict(tree) == to_dict(tree)
    assert five_whys_from_dict(to_dict(tree)) == tree
    assert fishbone_to_dict(fish) == to_dict(fish)
    assert fishbone_from_dict(to_dict(fish)) == fish
    assert analysis_from_dict(analysis_to_dict(analysis)) == analysis


def test_the_nested_shape_of_a_tree() -> None:
    data = {
        "id": "W",
        "problem": "p",
        "whys": [{"id": "a", "answer": "x", "causes": [{"id": "b", "answer": "y"}]}],
    }
    tree = from_dict(data, FiveWhys)
    assert [(s.id, s.parent) for s in tree.steps] == [("a", None), ("b", "a")]
    assert to_dict(tree)["whys"][0]["causes"][0]["id"] == "b"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"id": "W", "problem": "p", "whys": [{"id": "a", "answer": 3}]}, "whys[0].answer"),
        (
            {"id": "W", "problem": "p", "whys": [{"id": "a", "answer": "x", "causes": [{}]}]},
            "whys[0].causes[0].id",
        ),
        (
            {"id": "W", "problem": "p", "whys": [{"id": "a", "answer": "x", "parent": "z"}]},
            "whys[0].parent",
        ),
        (
            {
                "id": "W",
                "problem": "p",
                "whys": [{"id": "a", "answer": "x"}, {"id": "a", "answer": "y"}],
            },
            "whys[1].id",
        ),
        ({"id": "W", "problem": "p", "whys": {}}, "whys"),
        ({"id": "W", "problem": "p", "whys": ["x"]}, "whys[0]"),
        ({"id": "W", "problem": "p", "colour": "red"}, "colour"),
        ({"id": "W"}, "problem"),
        ({"id": "W", "problem": "p", "origin": {"fishbone": "F"}}, "origin.cause"),
        ({"id": "W", "problem": "p", "max_depth": "3"}, "max_depth"),
    ],
)
def test_bad_trees_name_the_path(data: Any, field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        from_dict(data, FiveWhys)
    assert info.value.field == field


def test_bad_analysis_names_the_path() -> None:
    data = {
        "fault_id": "F",
        "trees": [{"id": "W", "problem": "p", "whys": [{"id": "a", "answer": None}]}],
    }
    with pytest.raises(InvalidInputError) as info:
        from_dict(data, Analysis)
    assert info.value.field == "trees[0].whys[0].answer"
    with pytest.raises(InvalidInputError) as info:
        from_dict({"fault_id": "F", "actions": [{"id": "x"}]}, Analysis)
    assert info.value.field == "actions"  # the fault holds the actions, not the analysis
    with pytest.raises(InvalidInputError) as info:
        from_dict({"fault_id": "F", "fishbone": {"id": "f"}}, Analysis)
    assert info.value.field.startswith("fishbone")


# --------------------------------------------------------------------------- hostile input


def deep_tree(depth: int) -> dict[str, Any]:
    """A chain ``depth`` levels deep, built without recursion."""
    node: dict[str, Any] = {"id": f"s{depth - 1}", "answer": "x"}
    for i in range(depth - 2, -1, -1):
        node = {"id": f"s{i}", "answer": "x", "causes": [node]}
    return {"id": "W", "problem": "p", "max_depth": depth, "whys": [node]}


def wide_fishbone(n: int) -> dict[str, Any]:
    return {
        "id": "F",
        "effect": "e",
        "categories": ["A"],
        "causes": [{"id": str(i), "text": "t", "category": "A"} for i in range(n)],
    }


def test_a_5000_deep_tree_is_refused_by_default_and_read_when_allowed() -> None:
    data = deep_tree(5_000)
    assert sys.getrecursionlimit() < 5_000
    with pytest.raises(InvalidInputError) as info:
        from_dict(data, FiveWhys)
    assert "max_depth" in info.value.reason
    assert info.value.field.count("causes") == 100  # stopped at the first node too deep
    tree = five_whys_from_dict(data, limits=TreeLimits(max_depth=5_000))
    assert tree.max_level() == 5_000
    assert five_whys_from_dict(five_whys_to_dict(tree), limits=TreeLimits(max_depth=5_000)) == tree


def test_a_100000_node_fishbone_is_refused_before_any_node_is_read() -> None:
    data = wide_fishbone(100_000)
    start = time.perf_counter()
    with pytest.raises(InvalidInputError) as info:
        from_dict(data, Fishbone)
    assert "max_nodes" in info.value.reason
    assert info.value.field == "causes"
    # Reading it with limits raised works too, in linear time, without recursion.
    fish = fishbone_from_dict(data, limits=TreeLimits(max_nodes=100_000))
    assert len(fish.causes) == 100_000
    assert time.perf_counter() - start < 60  # a generous sanity bound, not a speed test


def test_self_referencing_and_shared_nodes_are_refused() -> None:
    loop: dict[str, Any] = {"id": "a", "answer": "x"}
    loop["causes"] = [loop]
    with pytest.raises(InvalidInputError) as info:
        five_whys_from_dict({"id": "W", "problem": "p", "whys": [loop]})
    assert info.value.field == "whys[0].causes[0].id"
    assert "duplicate" in info.value.reason
    # A "billion laughs" of shared children: 2**60 paths, stopped at once.
    node: dict[str, Any] = {"id": "leaf", "answer": "x"}
    for i in range(60):
        node = {"id": f"n{i}", "answer": "x", "causes": [node, node]}
    with pytest.raises(InvalidInputError, match="duplicate id"):
        five_whys_from_dict({"id": "W", "problem": "p", "whys": [node]})


def test_nested_children_count_against_the_node_limit() -> None:
    data = {
        "id": "F",
        "effect": "e",
        "categories": ["A"],
        "causes": [
            {
                "id": "top",
                "text": "t",
                "category": "A",
                "causes": [{"id": str(i), "text": "t"} for i in range(50)],
            }
        ],
    }
    with pytest.raises(InvalidInputError) as info:
        fishbone_from_dict(data, limits=TreeLimits(max_nodes=20))
    assert info.value.field == "causes[0].causes"
    assert fishbone_from_dict(data, limits=TreeLimits(max_nodes=51)).depth("49") == 2


def test_deep_json_text_is_invalid_input_not_a_crash() -> None:
    text = json.dumps(deep_tree(50))
    assert from_json(text, FiveWhys).max_level() == 50
    nested = '{"id": "W", "problem": "p", "whys": [' + '{"id": "x", "causes": [' * 5_000
    with pytest.raises(InvalidInputError):
        from_json(nested, FiveWhys)


def test_an_analysis_counts_all_its_nodes_against_one_budget() -> None:
    def tree(i: int) -> dict[str, Any]:
        step = {"id": f"s{i}", "answer": "x", "causes": [{"id": f"t{i}", "answer": "y"}]}
        return {"id": f"W{i}", "problem": "p", "whys": [step]}

    many = {"fault_id": "F", "trees": [tree(i) for i in range(30)]}
    assert len(analysis_from_dict(many, limits=TreeLimits(max_nodes=60)).trees) == 30
    with pytest.raises(InvalidInputError) as info:
        analysis_from_dict(many, limits=TreeLimits(max_nodes=59))
    assert info.value.field.startswith("trees[29]")
    assert "max_nodes" in info.value.reason
    with pytest.raises(InvalidInputError) as info:
        analysis_from_dict(many, limits=TreeLimits(max_nodes=29))
    assert info.value.field == "trees"  # refused before reading any tree


def test_limits_validate_themselves() -> None:
    with pytest.raises(InvalidInputError) as info:
        TreeLimits(max_depth=0)
    assert info.value.field == "max_depth"
