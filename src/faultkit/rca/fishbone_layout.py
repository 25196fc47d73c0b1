"""The layout of a fishbone: the effect at the head, the spine, bones above and below.

The rule (linear in the number of causes, no recursion):

1. The categories alternate above and below the spine (the first above), left to
   right in their order; each has a box at the far end of its bone, all those of a
   side on one line, and its bone slants from there to the spine (``x`` moves
   :data:`SLANT` pixels towards the head for each pixel nearer the spine).
2. A bone's causes are rows in depth-first order, from the top of the side down;
   each row is the cause's wrapped text sitting on its rib, a horizontal line to
   the bone. A sub-cause's rib stops at a line parallel to the bone, one indent
   further from it per level, which joins it to its parent's rib.
3. A row's text ends left of the bone, and of every joining line in its row, where
   they come nearest (at the row's edge farthest from the spine), by at least the
   rib stub.
4. Each bone with its rows and label takes a band of ``x``; bands of a side are
   placed left to right a gap apart, and the effect is placed right of them all.

Rows of a bone are stacked, sides are apart (above and below the spine), and bands
do not share ``x``: no two boxes intersect, and no line crosses a box's text.

A cause's text says its votes; verified causes are drawn green and begin with
``✓``, ruled-out ones grey and dashed and begin with ``✗``; a legend says so.
"""

from __future__ import annotations

import attrs

from faultkit.rca.fishbone import CauseStatus, Fishbone, FishboneCause
from faultkit.rca.layout import (
    Box,
    BoxStyle,
    DiagramLimits,
    DiagramStyle,
    Layout,
    Line,
    LineStyle,
    Sizer,
    check_limit,
    legend_boxes,
)

__all__ = ["SLANT", "cause_label", "fishbone_layout"]

SLANT = 0.5
"""How far (in ``x``) a bone moves towards the head for each pixel nearer the spine."""

_STATUS = {
    CauseStatus.OPEN: (BoxStyle.OPEN, ""),
    CauseStatus.VERIFIED: (BoxStyle.VERIFIED, "\u2713 "),
    CauseStatus.RULED_OUT: (BoxStyle.RULED_OUT, "\u2717 "),
}
_LEGEND = (
    (BoxStyle.OPEN, "Open cause"),
    (BoxStyle.VERIFIED, "\u2713 Verified"),
    (BoxStyle.RULED_OUT, "\u2717 Ruled out"),
)


def cause_label(cause: FishboneCause) -> str:
    """A cause's text as drawn: its status mark first, its votes last."""
    plural = "s" if cause.votes != 1 else ""
    votes = f" ({cause.votes}\u00a0vote{plural})" if cause.votes else ""  # kept on one line
    return f"{_STATUS[cause.status][1]}{cause.text}{votes}"


@attrs.frozen
class _Row:
    box: Box
    depth: int
    parent: int  # index of the parent row on the bone, -1 for a top-level cause


def _rows(fishbone: Fishbone, sizer: Sizer, limits: DiagramLimits) -> dict[str, list[_Row]]:
    rows: dict[str, list[_Row]] = {c: [] for c in fishbone.categories}
    current: list[_Row] = []
    where: dict[str, int] = {}
    for cause in fishbone.causes:
        if cause.parent is None:
            assert cause.category is not None  # checked at construction
            current = rows[cause.category]
        depth = fishbone.depth(cause.id)
        check_limit("max_cause_depth", depth, limits.max_cause_depth, f"cause {cause.id!r}")
        style = _STATUS[cause.status][0]
        box = sizer.box(cause_label(cause), style, cause.id)
        parent = -1 if cause.parent is None else where[cause.parent]
        where[cause.id] = len(current)
        current.append(_Row(box=box, depth=depth, parent=parent))
    for category, listed in rows.items():
        check_limit(
            "max_causes_per_bone", len(listed), limits.max_causes_per_bone, f"bone {category!r}"
        )
    return rows


@attrs.frozen
class _Bone:
    boxes: list[Box]
    lines: list[Line]
    left: float
    right: float


def _bone(
    label: Box,
    rows: list[_Row],
    *,
    above: bool,
    side: float,
    sizer: Sizer,
    gap: float,
) -> _Bone:
    """A bone drawn with its spine point at (0, 0); ``side`` is the side's height."""
    font = sizer.font
    indent, stub, row_gap = 1.2 * font, 1.6 * font, round(0.35 * font, 2)

    def bone_x(y: float) -> float:
        return -abs(y) * SLANT

    if above:
        label_y = -side
        cursor = label_y + label.height + row_gap
        end_y = label_y + label.height
    else:
        label_y = side - label.height
        cursor = gap
        end_y = label_y
    boxes = [attrs.evolve(label, x=bone_x(end_y) - label.width / 2, y=label_y)]
    lines = [Line(points=((bone_x(end_y), end_y), (0.0, 0.0)), style=LineStyle.BONE)]
    ribs: list[tuple[float, float]] = []  # (y, x where the row's rib meets its line)
    last_child: dict[int, int] = {}
    for i, row in enumerate(rows):
        top, bottom = cursor, cursor + row.box.height
        far = min(bone_x(top), bone_x(bottom))
        offset = (row.depth - 1) * indent
        box = attrs.evolve(row.box, x=far - offset - stub - row.box.width, y=top)
        boxes.append(box)
        meet = bone_x(bottom) - offset
        ribs.append((bottom, meet))
        lines.append(Line(points=((box.x, bottom), (meet, bottom)), style=LineStyle.RIB))
        if row.parent >= 0:
            last_child[row.parent] = i
        cursor = bottom + row_gap
    for parent, child in last_child.items():
        y0, y1 = ribs[parent][0], ribs[child][0]
        offset = rows[parent].depth * indent
        lines.append(
            Line(points=((bone_x(y0) - offset, y0), (bone_x(y1) - offset, y1)), style=LineStyle.RIB)
        )
    return _Bone(
        boxes=boxes,
        lines=lines,
        left=min(b.x for b in boxes),
        right=max(0.0, max(b.right for b in boxes)),
    )


def _side_height(labels: list[Box], rows: list[list[_Row]], sizer: Sizer, gap: float) -> float:
    row_gap = round(0.35 * sizer.font, 2)
    tallest = 0.0
    for label, listed in zip(labels, rows, strict=True):
        height = label.height + row_gap + sum(r.box.height + row_gap for r in listed)
        tallest = max(tallest, height)
    return tallest + gap


def fishbone_layout(
    fishbone: Fishbone,
    *,
    style: DiagramStyle = DiagramStyle(),  # noqa: B008 - a frozen value
    limits: DiagramLimits = DiagramLimits(),  # noqa: B008 - a frozen value
) -> Layout:
    """The layout of ``fishbone`` (module docstring for the rule).

    Raises:
        DiagramTooLargeError: more categories than ``limits.max_categories``, more
            causes on a bone than ``limits.max_causes_per_bone``, or sub-causes deeper
            than ``limits.max_cause_depth``.
        InvalidInputError: the font size is under ``limits.min_font_size``.
    """
    style = style.checked(limits)
    check_limit(
        "max_categories",
        len(fishbone.categories),
        limits.max_categories,
        f"fishbone {fishbone.id!r}",
    )
    sizer = Sizer(style, limits)
    gap = style.gap
    rows = _rows(fishbone, sizer, limits)
    labels = [sizer.box(c, BoxStyle.CATEGORY, None, 2) for c in fishbone.categories]
    sides: dict[bool, list[int]] = {True: [], False: []}
    for i in range(len(fishbone.categories)):
        sides[i % 2 == 0].append(i)
    heights = {
        above: _side_height(
            [labels[i] for i in listed], [rows[fishbone.categories[i]] for i in listed], sizer, gap
        )
        if listed
        else gap
        for above, listed in sides.items()
    }
    boxes: list[Box] = []
    lines: list[Line] = []
    right_end = gap
    spine_start = float("inf")
    for above, listed in sides.items():
        x = gap
        for i in listed:
            bone = _bone(
                labels[i],
                rows[fishbone.categories[i]],
                above=above,
                side=heights[above],
                sizer=sizer,
                gap=gap,
            )
            shift = x - bone.left
            boxes.extend(attrs.evolve(b, x=b.x + shift) for b in bone.boxes)
            lines.extend(
                Line(points=tuple((px + shift, py) for px, py in ln.points), style=ln.style)
                for ln in bone.lines
            )
            spine_start = min(spine_start, shift)
            x = bone.right + shift + gap
        right_end = max(right_end, x)
    effect = sizer.box(fishbone.effect, BoxStyle.EFFECT, None)
    effect = attrs.evolve(effect, x=right_end, y=-effect.height / 2)
    boxes.append(effect)
    lines.insert(0, Line(points=((spine_start - gap, 0.0), (effect.x, 0.0)), style=LineStyle.SPINE))
    top = min(-heights[True], effect.y) - gap
    legend = legend_boxes(sizer, _LEGEND, gap, max(heights[False], effect.bottom) + gap, gap)
    boxes.extend(legend)
    width = max(b.right for b in boxes) + gap
    height = max(b.bottom for b in boxes) + gap - top
    return Layout(
        kind="fishbone",
        title=fishbone.effect,
        width=round(width, 2),
        height=round(height, 2),
        font_size=style.font_size,
        line_height=sizer.line_height,
        padding=sizer.padding,
        boxes=tuple(attrs.evolve(b, y=b.y - top) for b in boxes),
        lines=tuple(
            Line(points=tuple((px, py - top) for px, py in ln.points), style=ln.style)
            for ln in lines
        ),
    )
