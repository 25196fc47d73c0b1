"""Mermaid and outline rendering of five-whys trees and fishbones, on fixed examples."""

from __future__ import annotations

import re

from hypothesis import given, settings

from faultkit import CauseCategory
from faultkit.rca import (
    CategoryPreset,
    CauseStatus,
    Fishbone,
    FishboneCause,
    FiveWhys,
    StepRole,
    WhyStep,
    fishbone_mermaid,
    fishbone_outline,
    five_whys_mermaid,
    five_whys_outline,
)
from faultkit.testing.rca import fishbones, five_whys_trees

TREE = FiveWhys(
    id="W-1",
    problem='Jobs stall with "E-301"',
    steps=(
        WhyStep(id="a", answer="Spooler stops"),
        WhyStep(id="b", parent="a", answer="Lock never released", question="Why does it stop?"),
        WhyStep(
            id="c",
            parent="b",
            answer="Lock order changed in 4.2.1",
            evidence=("log:311",),
            verified=True,
            role=StepRole.ROOT_CAUSE,
            category=CauseCategory.SOFTWARE_DEFECT,
        ),
        WhyStep(id="d", parent="a", answer="No load test", role=StepRole.CONTRIBUTING_FACTOR),
    ),
)

TREE_MERMAID = """\
flowchart TD
    problem["Problem: Jobs stall with #quot;E-301#quot;"]
    n0["Spooler stops"]
    problem -->|why?| n0
    n1["Lock never released"]
    n0 -->|"Why does it stop?"| n1
    n2["Root cause (software_defect): Lock order changed in 4.2.1 (verified)"]:::root
    n1 -->|why?| n2
    n3["Contributing factor: No load test"]:::factor
    n0 -->|why?| n3
    classDef root fill:#fde2e1,stroke:#c62828,stroke-width:2px
    classDef factor fill:#fff4ce,stroke:#b26a00
"""

TREE_OUTLINE = """\
**Problem:** Jobs stall with "E-301"

- Spooler stops
  - Lock never released
    - **Root cause (software_defect):** Lock order changed in 4.2.1 [verified; evidence: log:311]
  - *Contributing factor:* No load test
"""

FISH = Fishbone.from_preset(
    CategoryPreset.PROCEDURE,
    id="F-1",
    effect="Jobs stall",
    causes=(
        FishboneCause(id="fw", text="Firmware spooler", category="Software defect", votes=3),
        FishboneCause(
            id="lock", text="Lock order", parent="fw", status=CauseStatus.VERIFIED, five_whys="W-1"
        ),
        FishboneCause(
            id="paper",
            text="Wrong paper",
            category="User operation",
            status=CauseStatus.RULED_OUT,
            evidence=("photo:tray",),
        ),
    ),
)

FISH_MERMAID = """\
flowchart LR
    effect[["Jobs stall"]]
    b0(["Hardware"]) --> effect
    b1(["Software defect"]) --> effect
    b2(["User operation"]) --> effect
    b3(["Environment"]) --> effect
    n0["Firmware spooler (3 votes)"]
    n0 --> b1
    n1["Lock order (verified)"]:::verified
    n1 --> n0
    n2["Wrong paper (ruled out)"]:::ruled_out
    n2 --> b2
    classDef verified fill:#e3f4e1,stroke:#2e7d32,stroke-width:2px
    classDef ruled_out fill:#eeeeee,stroke:#9e9e9e,stroke-dasharray:4 3
"""

FISH_OUTLINE = """\
**Effect:** Jobs stall

- **Hardware**
  - (no causes)
- **Software defect**
  - Firmware spooler (3 votes)
    - Lock order (verified) -> five-whys W-1
- **User operation**
  - Wrong paper (ruled out) [evidence: photo:tray]
- **Environment**
  - (no causes)
"""


def test_five_whys_mermaid_on_a_fixed_example() -> None:
    assert five_whys_mermaid(TREE) == TREE_MERMAID


def test_five_whys_outline_on_a_fixed_example() -> None:
    assert five_whys_outline(TREE) == TREE_OUTLINE


def test_fishbone_mermaid_on_a_fixed_example() -> None:
    assert fishbone_mermaid(FISH) == FISH_MERMAID


def test_fishbone_outline_on_a_fixed_example() -> None:
    assert fishbone_outline(FISH) == FISH_OUTLINE


# A small grammar of the Mermaid lines the renderers write: a header, node
# definitions with a quoted label, edges between generated names, class definitions.
_LABEL = r'"[^"\n]*"'
_NAME = r"(?:n\d+|b\d+|problem|effect)"
_LINE = re.compile(
    "|".join(
        [
            r"flowchart (?:TD|LR)",
            rf"    {_NAME}\[{_LABEL}\](?::::\w+)?",
            rf"    {_NAME}\[\[{_LABEL}\]\]",
            rf"    b\d+\(\[{_LABEL}\]\) --> effect",
            rf"    {_NAME} -->(?:\|why\?\||\|{_LABEL}\|)? {_NAME}",
            r"    classDef \w+ [\w#:,.\- ]+",
        ]
    )
)


def assert_mermaid_grammar(text: str) -> None:
    lines = text.splitlines()
    assert lines
    for line in lines:
        assert _LINE.fullmatch(line), line
    # No raw character that would end a label or start markup inside a label.
    for label in re.findall(r'"([^"\n]*)"', text):
        assert "<" not in label.replace("<br/>", "")
        assert ">" not in label.replace("<br/>", "")


def test_hostile_labels_are_escaped() -> None:
    tree = FiveWhys(
        id="W",
        problem='a "quoted"\n<script>alert(1)</script> #1 & `x`',
        steps=(WhyStep(id='"]; click n0 call evil()', answer="]] --> x\nline 2"),),
    )
    text = five_whys_mermaid(tree)
    assert_mermaid_grammar(text)
    assert "#quot;quoted#quot;<br/>#lt;script#gt;" in text
    assert "#35;1 #amp; #96;x#96;" in text
    assert "click" not in text  # ids never reach the diagram


@settings(max_examples=30, deadline=None)
@given(five_whys_trees(max_steps=25))
def test_every_tree_renders_to_well_formed_mermaid_and_outline(tree: FiveWhys) -> None:
    text = five_whys_mermaid(tree)
    assert_mermaid_grammar(text)
    assert text.count("-->") == len(tree.steps)
    outline = five_whys_outline(tree).splitlines()
    assert len(outline) == 2 + len(tree.steps)
    for line, step in zip(outline[2:], tree.steps, strict=True):
        assert line.startswith("  " * (tree.depth(step.id) - 1) + "- ")


@settings(max_examples=30, deadline=None)
@given(fishbones(max_causes=25))
def test_every_fishbone_renders_to_well_formed_mermaid(fish: Fishbone) -> None:
    text = fishbone_mermaid(fish)
    assert_mermaid_grammar(text)
    assert text.count("-->") == len(fish.categories) + len(fish.causes)
    outline = fishbone_outline(fish)
    assert outline.count("\n- **") == len(fish.categories)
