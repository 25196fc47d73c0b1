"""Five-whys trees and fishbones: structure, navigation, checks, links."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings

from faultkit import CauseCategory
from faultkit.errors import InvalidInputError
from faultkit.rca import (
    PRESET_CATEGORIES,
    CategoryPreset,
    CauseStatus,
    FindingCode,
    Fishbone,
    FishboneCause,
    FishboneLink,
    FiveWhys,
    StepRole,
    WhyStep,
)
from faultkit.testing.rca import fishbones, five_whys_trees


def printer_tree() -> FiveWhys:
    return FiveWhys(
        id="W-1",
        problem="Print jobs stall after the firmware update",
        steps=(
            WhyStep(id="a", answer="The spooler stops taking jobs"),
            WhyStep(id="b", parent="a", answer="It waits on a lock never released"),
            WhyStep(
                id="c",
                parent="b",
                answer="The update changed the lock order",
                evidence=("log:spooler.txt:311",),
                verified=True,
                role=StepRole.ROOT_CAUSE,
                category=CauseCategory.SOFTWARE_DEFECT,
            ),
            WhyStep(
                id="d",
                parent="a",
                answer="Nobody load-tested the release",
                role=StepRole.CONTRIBUTING_FACTOR,
            ),
        ),
    )


# --------------------------------------------------------------------------- five whys


def test_navigation_on_a_fixed_tree() -> None:
    tree = printer_tree()
    assert [s.id for s in tree.children()] == ["a"]
    assert [s.id for s in tree.children("a")] == ["b", "d"]
    assert [s.id for s in tree.chain("c")] == ["a", "b", "c"]
    assert tree.depth("c") == 3
    assert tree.max_level() == 3
    assert [s.id for s in tree.leaves()] == ["c", "d"]
    assert [s.id for s in tree.root_causes()] == ["c"]
    assert [s.id for s in tree.contributing_factors()] == ["d"]
    assert tree.check() == ()


def test_steps_are_kept_in_depth_first_order_whatever_the_input_order() -> None:
    tree = printer_tree()
    a, b, c, d = tree.steps
    shuffled = FiveWhys(id=tree.id, problem=tree.problem, steps=(c, b, d, a))
    assert [s.id for s in shuffled.steps] == ["a", "b", "c", "d"]
    assert shuffled == tree
    swapped = FiveWhys(id=tree.id, problem=tree.problem, steps=(d, c, b, a))
    assert [s.id for s in swapped.steps] == ["a", "d", "b", "c"]  # siblings keep their order


@pytest.mark.parametrize(
    ("steps", "field", "reason"),
    [
        ((WhyStep(id="a", answer="x"), WhyStep(id="a", answer="y")), "steps[1].id", "duplicate"),
        ((WhyStep(id="a", parent="zz", answer="x"),), "steps[0].parent", "no node"),
        (
            (WhyStep(id="a", parent="b", answer="x"), WhyStep(id="b", parent="a", answer="y")),
            "steps",
            "cycle",
        ),
        ((WhyStep(id="a", parent="a", answer="x"),), "steps", "cycle"),
    ],
)
def test_what_is_not_a_tree_is_refused(steps: tuple[WhyStep, ...], field: str, reason: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        FiveWhys(id="W", problem="p", steps=steps)
    assert info.value.field == field
    assert reason in info.value.reason


def test_a_long_cycle_is_named_without_recursion() -> None:
    n = 5_000
    steps = [WhyStep(id=str(i), parent=str((i + 1) % n), answer="x") for i in range(n)]
    with pytest.raises(InvalidInputError, match="cycle"):
        FiveWhys(id="W", problem="p", steps=steps)


def test_a_5000_deep_chain_is_built_checked_and_compared_without_recursion() -> None:
    n = 5_000
    assert n > sys.getrecursionlimit()
    steps = [WhyStep(id=str(i), parent=str(i - 1) if i else None, answer="x") for i in range(n)]
    tree = FiveWhys(id="W", problem="p", steps=steps, max_depth=n)
    assert tree.depth(str(n - 1)) == n
    assert len(tree.chain(str(n - 1))) == n
    assert [f.code for f in tree.check()] == [FindingCode.NO_ROOT_CAUSE]
    assert tree == FiveWhys(id="W", problem="p", steps=list(reversed(steps)), max_depth=n)


def test_checks_say_what_is_wrong() -> None:
    tree = FiveWhys(
        id="W",
        problem="p",
        max_depth=2,
        categories=("hardware", "supplier"),
        steps=(
            WhyStep(id="a", answer=" "),
            WhyStep(id="b", parent="a", answer="x", role=StepRole.ROOT_CAUSE),
            WhyStep(id="c", parent="b", answer="y", role=StepRole.CAUSE, category="weather"),
        ),
    )
    found = {(f.code, f.node) for f in tree.check()}
    assert found == {
        (FindingCode.EMPTY_ANSWER, "a"),
        (FindingCode.TOO_DEEP, "c"),
        (FindingCode.UNKNOWN_CATEGORY, "c"),
        (FindingCode.ROOT_CAUSE_NOT_LEAF, "b"),
        (FindingCode.ROOT_CAUSE_WITHOUT_EVIDENCE, "b"),
        (FindingCode.ROOT_CAUSE_WITHOUT_CATEGORY, "b"),
        (FindingCode.UNVERIFIED_ROOT_CAUSE, "b"),
    }
    assert all(f.node is None or repr(f.node) in f.message for f in tree.check())


def test_evidence_can_be_optional_and_categories_user_defined() -> None:
    tree = FiveWhys(
        id="W",
        problem="p",
        evidence_required=False,
        categories=("supplier",),
        steps=(
            WhyStep(
                id="a", answer="x", role=StepRole.ROOT_CAUSE, category="supplier", verified=True
            ),
        ),
    )
    assert tree.check() == ()


def test_building_step_by_step() -> None:
    tree = FiveWhys(id="W", problem="p")
    assert [f.code for f in tree.check()] == [FindingCode.NO_ROOT_CAUSE]
    tree = tree.ask(None, "first", id="a").ask("a", "second", id="b", evidence=("e",))
    tree = tree.mark_root_cause("b", CauseCategory.HARDWARE).mark_contributing("a")
    assert tree.step("b").role is StepRole.ROOT_CAUSE
    assert tree.step("b").category == "hardware"
    assert type(tree.step("b").category) is str
    assert tree.step("a").role is StepRole.CONTRIBUTING_FACTOR
    with pytest.raises(InvalidInputError, match="already"):
        tree.ask(None, "again", id="a")
    with pytest.raises(InvalidInputError) as info:
        tree.step("nope")
    assert info.value.field == "step_id"


def test_bad_field_values_are_named() -> None:
    with pytest.raises(InvalidInputError) as info:
        WhyStep(id="a", answer=3)  # type: ignore[arg-type]
    assert info.value.field == "answer"
    with pytest.raises(InvalidInputError) as info:
        FiveWhys(id="W", problem="p", max_depth=0)
    assert info.value.field == "max_depth"
    with pytest.raises(InvalidInputError) as info:
        FiveWhys(id="W", problem="p", categories=("a", "a"))
    assert info.value.field == "categories"


@settings(max_examples=30, deadline=None)
@given(five_whys_trees(max_steps=30))
def test_every_generated_tree_is_a_consistent_forest(tree: FiveWhys) -> None:
    position = {s.id: i for i, s in enumerate(tree.steps)}
    for step in tree.steps:
        if step.parent is not None:
            assert position[step.parent] < position[step.id]
            assert tree.depth(step.id) == tree.depth(step.parent) + 1
        assert tree.chain(step.id)[-1] == step
    assert sum(len(tree.children(s.id)) for s in tree.steps) + len(tree.children()) == len(
        tree.steps
    )


# --------------------------------------------------------------------------- fishbone


def printer_fishbone() -> Fishbone:
    return Fishbone.from_preset(
        CategoryPreset.PROCEDURE,
        id="F-1",
        effect="Print jobs stall",
        causes=(
            FishboneCause(id="fw", text="Firmware 4.2.1 spooler", category="Software defect"),
            FishboneCause(id="lock", text="Lock order changed", parent="fw", votes=4),
            FishboneCause(id="heat", text="Room too warm", category="Environment", votes=1),
            FishboneCause(id="paper", text="Wrong paper", category="User operation"),
        ),
    )


def test_presets_are_the_documented_tables() -> None:
    assert PRESET_CATEGORIES[CategoryPreset.PROCEDURE] == (
        "Hardware",
        "Software defect",
        "User operation",
        "Environment",
    )
    assert len(PRESET_CATEGORIES[CategoryPreset.SIX_M]) == 6
    assert len(PRESET_CATEGORIES[CategoryPreset.EIGHT_P]) == 8
    assert set(PRESET_CATEGORIES) == set(CategoryPreset)


def test_fishbone_navigation_status_and_votes() -> None:
    fish = printer_fishbone()
    assert fish.category_of("lock") == "Software defect"
    assert fish.depth("lock") == 2
    assert [c.id for c in fish.children("fw")] == ["lock"]
    assert [c.id for c in fish.on_category("Software defect")] == ["fw"]
    fish = fish.set_status("paper", CauseStatus.RULED_OUT, evidence=("photo:tray",))
    fish = fish.vote("heat", 5)
    assert fish.cause("paper").evidence == ("photo:tray",)
    assert [c.id for c in fish.by_votes()] == ["heat", "lock", "fw"]
    with pytest.raises(InvalidInputError):
        fish.on_category("Nope")


def test_custom_categories_and_invalid_fishbones() -> None:
    fish = Fishbone(id="F", effect="e", categories=("Supplier", "Weather"))
    assert fish.categories == ("Supplier", "Weather")
    cases = [
        ((FishboneCause(id="a", text="t"),), "causes[0].category", "needs a category"),
        ((FishboneCause(id="a", text="t", category="X"),), "causes[0].category", "not one of"),
        (
            (
                FishboneCause(id="a", text="t", category="Supplier"),
                FishboneCause(id="b", text="t", parent="a", category="Supplier"),
            ),
            "causes[1].category",
            "sub-cause",
        ),
    ]
    for causes, field, reason in cases:
        with pytest.raises(InvalidInputError) as info:
            Fishbone(id="F", effect="e", categories=("Supplier",), causes=causes)
        assert info.value.field == field
        assert reason in info.value.reason
    with pytest.raises(InvalidInputError, match="at least one"):
        Fishbone(id="F", effect="e", categories=())


def test_starting_five_whys_from_a_cause_links_both_ways() -> None:
    fish, tree = printer_fishbone().start_five_whys("lock", id="W-9")
    assert fish.cause("lock").five_whys == "W-9"
    assert tree.origin == FishboneLink(fishbone="F-1", cause="lock")
    assert tree.problem == "Lock order changed"
    with pytest.raises(InvalidInputError, match="already analysed"):
        fish.start_five_whys("lock", id="W-10")


@settings(max_examples=30, deadline=None)
@given(fishbones(max_causes=30))
def test_every_cause_sits_on_one_of_the_categories(fish: Fishbone) -> None:
    for cause in fish.causes:
        assert fish.category_of(cause.id) in fish.categories
    assert len(fish.by_votes()) == sum(c.status is not CauseStatus.RULED_OUT for c in fish.causes)
