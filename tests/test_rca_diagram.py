"""RCA pictures: text fitting, layouts that never overlap, safe SVG, limits."""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import DiagramTooLargeError, InvalidInputError
from faultkit.rca import (
    Box,
    CauseStatus,
    DiagramLimits,
    DiagramStyle,
    Fishbone,
    FishboneCause,
    FiveWhys,
    Layout,
    StepRole,
    WhyStep,
    fishbone_layout,
    fishbone_svg,
    five_whys_layout,
    five_whys_svg,
)
from faultkit.rca.textfit import ASCII_ADVANCES, clean_label, text_width, wrap_label
from faultkit.testing.rca import diagram_limits, diagram_styles, fishbones, five_whys_trees

SVG = "{http://www.w3.org/2000/svg}"
ROOMY = DiagramLimits(
    max_nodes=1000, max_depth=1000, max_causes_per_bone=1000, max_cause_depth=1000
)
HOSTILE = [
    "</text><script>alert(1)</script>",
    "&amp; & &#0; ]]> <![CDATA[x]]>",
    "\"quotes\" and 'apostrophes'",
    "\u202eevil override\u202c and \u2067isolate",
    "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 mixed RTL",
    "emoji \U0001f525\U0001f680 and ZWJ \U0001f468\u200d\U0001f469\u200d\U0001f467",
    "nul \x00 bell \x07 formfeed \x0c lone surrogate \ud800 \ufffe",
    "line\nbreaks\r\nand\ttabs",
    "w" * 10_000,
    "数据库连接池" * 2_000,
]


# --------------------------------------------------------------------------- text


@given(st.text(max_size=300), st.integers(min_value=1, max_value=6))
def test_wrapped_lines_fit_the_width(text: str, max_lines: int) -> None:
    lines = wrap_label(text, 120.0, 13.0, max_lines)
    assert 1 <= len(lines) <= max_lines
    assert all(text_width(line, 13.0) <= 120.0 for line in lines)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_wrapping_keeps_every_character_when_there_is_room(text: str) -> None:
    lines = wrap_label(text, 120.0, 13.0, 10_000)
    assert "".join(lines).replace(" ", "") == clean_label(text).replace(" ", "")


THAI_CLUSTERS = st.builds(
    lambda vowel, base, marks: vowel + base + "".join(marks),
    st.sampled_from(["", "", "\u0e40", "\u0e41", "\u0e42", "\u0e43", "\u0e44"]),  # เ แ โ ใ ไ
    st.characters(min_codepoint=0x0E01, max_codepoint=0x0E2E),  # consonants
    st.lists(st.sampled_from("\u0e34\u0e35\u0e36\u0e37\u0e38\u0e48\u0e49\u0e4a\u0e4c"), max_size=2),
)


def _starts_with_a_mark(line: str) -> bool:
    return bool(line) and unicodedata.category(line[0]).startswith("M")


@given(
    st.lists(THAI_CLUSTERS, min_size=1, max_size=80),
    st.integers(0, 400),
    st.integers(1, 8),
)
def test_a_thai_vowel_sign_or_tone_mark_stays_with_its_letter(
    clusters: list[str], cut: int, max_lines: int
) -> None:
    # Found drawing Thai labels: a word wider than the line was broken between a letter
    # and its tone mark, which began the next line alone (on a dotted circle).
    text = "".join(clusters)
    width = max(40.0, text_width(text[:cut], 13.0) + 0.01)  # a line may end anywhere
    whole = wrap_label(text, float(width), 13.0, 10_000)
    assert "".join(whole) == text
    for lines in (whole, wrap_label(text, float(width), 13.0, max_lines)):
        assert all(text_width(line, 13.0) <= width for line in lines)
        assert not any(_starts_with_a_mark(line) for line in lines)
        # a vowel written before its consonant (เ แ โ ใ ไ) does not end a line
        assert not any(line[-1] in "\u0e40\u0e41\u0e42\u0e43\u0e44" for line in lines[:-1])
    (short,) = wrap_label(text, float(width), 13.0, 1)
    if short.endswith("\u2026"):  # shortened between clusters: the next is no mark
        assert not _starts_with_a_mark(text[len(short) - 1 :])


def test_thai_wraps_between_letters_not_inside_one() -> None:
    text = "เครื่องพิมพ์กระดาษติดบ่อยมากทุกครั้งที่พิมพ์เอกสารยาว"
    for width in (115.0, 130.0, 145.0):  # each broke before a tone mark or vowel sign
        lines = wrap_label(text, width, 13.0, 20)
        assert "".join(lines) == text
        assert not any(_starts_with_a_mark(line) for line in lines)


def test_a_chinese_character_counts_a_full_em() -> None:
    assert unicodedata.east_asian_width("数") == "W"
    assert text_width("数据库", 10.0) == pytest.approx(30.0)
    assert text_width("数据库", 10.0) > text_width("abc", 10.0)
    lines = wrap_label("数据库连接池在高峰期耗尽导致服务中断", 100.0, 10.0, 5)
    assert [len(line) for line in lines] == [10, 8]  # breaks between CJK, no spaces needed


def test_a_10kb_label_is_cut_to_the_line_limit_with_an_ellipsis() -> None:
    for label in ("w" * 10_000, "word " * 2_000, "数" * 10_000):
        lines = wrap_label(label, 150.0, 13.0, 3)
        assert len(lines) == 3
        assert lines[-1].endswith("\u2026")


def test_clean_label_drops_what_xml_forbids_and_bidi_controls() -> None:
    assert clean_label("a\x00b\x07c\ud800d\ufffe\u202ee\u2066f\n\tg") == "abcdef g"


def test_ascii_advances_cover_printable_ascii() -> None:
    assert set(ASCII_ADVANCES) == {chr(c) for c in range(32, 127)}


# --------------------------------------------------------------------------- geometry


def _segments_cross_box(layout: Layout) -> list[tuple[object, Box]]:
    """(line, box) pairs where a line passes through a box's inside (touching is fine)."""
    crossings = []
    for line in layout.lines:
        for (x0, y0), (x1, y1) in zip(line.points, line.points[1:], strict=False):
            for box in layout.boxes:
                if _segment_hits(x0, y0, x1, y1, box, inset=0.5):
                    crossings.append((line, box))
    return crossings


def _segment_hits(x0: float, y0: float, x1: float, y1: float, box: Box, inset: float) -> bool:
    """Liang-Barsky clipping of the segment against the box shrunk by ``inset``."""
    left, right = box.x + inset, box.right - inset
    top, bottom = box.y + inset, box.bottom - inset
    if left >= right or top >= bottom:
        return False
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - left), (dx, right - x0), (-dy, y0 - top), (dy, bottom - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def assert_readable(layout: Layout) -> None:
    boxes = layout.boxes
    for i, box in enumerate(boxes):
        assert min(box.x, box.y) >= 0, box
        assert box.right <= layout.width + 1e-6, box
        assert box.bottom <= layout.height + 1e-6, box
        inner = box.width - 2 * layout.padding
        assert all(text_width(line, layout.font_size) <= inner for line in box.lines), box
        assert len(box.lines) * layout.line_height + 2 * layout.padding <= box.height + 1e-6
        for other in boxes[i + 1 :]:
            assert not box.intersects(other), (box, other)
    assert _segments_cross_box(layout) == []


@settings(max_examples=150, deadline=None)
@given(five_whys_trees(max_steps=40), diagram_styles())
def test_five_whys_layout_never_overlaps(tree: FiveWhys, style: DiagramStyle) -> None:
    layout = five_whys_layout(tree, style=style, limits=ROOMY)
    assert_readable(layout)
    assert [b.node for b in layout.boxes if b.node is not None] == [s.id for s in tree.steps]


@settings(max_examples=150, deadline=None)
@given(fishbones(max_causes=30), diagram_styles())
def test_fishbone_layout_never_overlaps(fishbone: Fishbone, style: DiagramStyle) -> None:
    layout = fishbone_layout(fishbone, style=style, limits=ROOMY)
    assert_readable(layout)
    assert sorted(b.node for b in layout.boxes if b.node is not None) == sorted(
        c.id for c in fishbone.causes
    )


def _tree(n: int, fanout: int = 3) -> FiveWhys:
    steps = [
        WhyStep(
            id=f"s{i}",
            parent=None if i < fanout else f"s{i // fanout - 1}",
            answer=f"because {i}",
        )
        for i in range(n)
    ]
    return FiveWhys(id="w", problem="p", steps=steps)


def test_a_parent_is_centred_on_its_answers_and_left_of_them() -> None:
    layout = five_whys_layout(_tree(12))
    by_node = {b.node: b for b in layout.boxes if b.node is not None}
    kids = [by_node[f"s{i}"] for i in (3, 4, 5)]
    parent = by_node["s0"]
    middle = (kids[0].y + kids[-1].bottom) / 2
    assert parent.y + parent.height / 2 == pytest.approx(middle)
    assert all(k.x > parent.right for k in kids)


def test_fishbone_sides_alternate_and_the_effect_is_the_head() -> None:
    fb = Fishbone(
        id="f",
        effect="Outage",
        categories=["A", "B", "C"],
        causes=[
            FishboneCause(id=f"c{i}", text=f"cause {i}", category="ABC"[i % 3]) for i in range(6)
        ],
    )
    layout = fishbone_layout(fb)
    spine = next(ln for ln in layout.lines if ln.style == "spine")
    spine_y = spine.points[0][1]
    by_node = {b.node: b for b in layout.boxes if b.node is not None}
    assert by_node["c0"].bottom < spine_y < by_node["c1"].y  # A above, B below
    assert by_node["c2"].bottom < spine_y  # C above
    effect = next(b for b in layout.boxes if b.style == "effect")
    drawn = [b for b in layout.boxes if b.node is not None or b.style == "category"]
    assert len(drawn) == 9
    assert all(b.right < effect.x for b in drawn)


# --------------------------------------------------------------------------- SVG


@pytest.mark.parametrize("label", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_labels_stay_text(label: str) -> None:
    tree = FiveWhys(
        id=label,
        problem=label,
        steps=[
            WhyStep(id=label, answer=label, role=StepRole.ROOT_CAUSE, category=label),
            WhyStep(id="b", parent=label, answer=label),
        ],
    )
    fb = Fishbone(
        id=label,
        effect=label,
        categories=[label],
        causes=[FishboneCause(id=label, text=label, category=label, status=CauseStatus.VERIFIED)],
    )
    for svg in (five_whys_svg(tree), fishbone_svg(fb)):
        root = ET.fromstring(svg.encode("utf-8"))
        assert root.tag == f"{SVG}svg"
        assert not root.findall(f".//{SVG}script")
        assert "<script" not in svg
        titles = [t.text or "" for t in root.iter(f"{SVG}title")]
        assert clean_label(label) in titles[0]
        nodes = [g.get("data-node") for g in root.iter(f"{SVG}g") if g.get("data-node")]
        assert clean_label(label) in nodes


@settings(max_examples=60, deadline=None)
@given(five_whys_trees(max_steps=15), fishbones(max_causes=15))
def test_svg_parses_and_shows_every_node(tree: FiveWhys, fishbone: Fishbone) -> None:
    for svg, count in (
        (five_whys_svg(tree, limits=ROOMY), len(tree.steps)),
        (fishbone_svg(fishbone, limits=ROOMY), len(fishbone.causes)),
    ):
        root = ET.fromstring(svg.encode("utf-8"))
        nodes = [g for g in root.iter(f"{SVG}g") if g.get("data-node") is not None]
        assert len(nodes) == count
        assert float(root.get("width", "0")) > 0


def test_svg_is_deterministic_and_styles_roles() -> None:
    tree = _tree(6).mark_root_cause("s5", "software").mark_contributing("s4")
    svg = five_whys_svg(tree)
    assert svg == five_whys_svg(tree)
    root = ET.fromstring(svg)
    classes = {g.get("data-node"): g.get("class") for g in root.iter(f"{SVG}g")}
    assert classes["s5"] == "box root_cause"
    assert classes["s4"] == "box factor"
    assert classes["s0"] == "box cause"


# --------------------------------------------------------------------------- limits


def test_a_tree_past_the_node_limit_is_refused_naming_the_limit() -> None:
    with pytest.raises(DiagramTooLargeError) as info:
        five_whys_svg(_tree(151))
    assert (info.value.limit, info.value.size, info.value.maximum) == ("max_nodes", 151, 150)
    assert str(info.value).startswith("five-whys 'w' is too large to draw readably")
    assert isinstance(info.value, ValueError)
    five_whys_svg(_tree(150))  # at the limit: drawn


def test_a_deep_tree_and_a_crowded_bone_are_refused() -> None:
    chain = FiveWhys(
        id="deep",
        problem="p",
        steps=[
            WhyStep(id=f"s{i}", parent=None if i == 0 else f"s{i - 1}", answer="x")
            for i in range(13)
        ],
    )
    with pytest.raises(DiagramTooLargeError, match="max_depth"):
        five_whys_layout(chain)
    crowded = Fishbone(
        id="f",
        effect="e",
        categories=["Machine"],
        causes=[FishboneCause(id=f"c{i}", text="x", category="Machine") for i in range(16)],
    )
    with pytest.raises(DiagramTooLargeError, match=r"bone 'Machine'.*max_causes_per_bone = 15"):
        fishbone_layout(crowded)
    fishbone_layout(crowded, limits=DiagramLimits(max_causes_per_bone=16))


def test_a_font_under_the_minimum_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"font_size.*min_font_size 9"):
        five_whys_layout(_tree(3), style=DiagramStyle(font_size=6))
    with pytest.raises(InvalidInputError, match="font_size"):
        DiagramStyle(font_size=0)


def test_votes_stay_on_one_line_with_their_number() -> None:
    fb = Fishbone(
        id="f",
        effect="e",
        categories=["Machine"],
        causes=[
            FishboneCause(
                id="c",
                text="Database connection pool exhausted at peak",
                category="Machine",
                votes=5,
            )
        ],
    )
    (box,) = [b for b in fishbone_layout(fb).boxes if b.node == "c"]
    assert any(line.endswith("(5\u00a0votes)") for line in box.lines), box.lines
    assert wrap_label("a\u00a0b c\u00a0d", 13.0 * 2.5, 13.0, 5) == ("a\u00a0b", "c\u00a0d")


def _past_limits(record: FiveWhys | Fishbone, limits: DiagramLimits) -> set[str]:
    """The limits ``record`` is past, computed from the record itself."""
    past = set()
    if limits.min_font_size > DiagramStyle().font_size:
        past.add("min_font_size")
    if isinstance(record, FiveWhys):
        if len(record.steps) > limits.max_nodes:
            past.add("max_nodes")
        if record.max_level() > limits.max_depth:
            past.add("max_depth")
        return past
    if len(record.categories) > limits.max_categories:
        past.add("max_categories")
    per_bone = dict.fromkeys(record.categories, 0)
    for cause in record.causes:
        per_bone[record.category_of(cause.id)] += 1
        if record.depth(cause.id) > limits.max_cause_depth:
            past.add("max_cause_depth")
    if max(per_bone.values()) > limits.max_causes_per_bone:
        past.add("max_causes_per_bone")
    return past


@settings(max_examples=100, deadline=None)
@given(five_whys_trees(max_steps=12), fishbones(max_causes=12), diagram_limits())
def test_within_the_limits_a_picture_is_drawn_past_them_refused(
    tree: FiveWhys, fishbone: Fishbone, limits: DiagramLimits
) -> None:
    """Drawn exactly when the record is within every limit; a refusal names one it is past."""
    for record in (tree, fishbone):
        past = _past_limits(record, limits)
        draw = five_whys_layout if isinstance(record, FiveWhys) else fishbone_layout
        if not past:
            draw(record, limits=limits)  # type: ignore[operator]
            continue
        with pytest.raises((DiagramTooLargeError, InvalidInputError)) as info:
            draw(record, limits=limits)  # type: ignore[operator]
        found = getattr(info.value, "limit", None) or "min_font_size"
        assert found in past
