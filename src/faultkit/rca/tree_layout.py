"""The layout of a five-whys tree: left to right, one column a level, subtrees in bands.

The problem statement is at the left; each column to the right holds the answers one
"why" deeper. The rule (a layered tidy layout, linear in the number of steps, no
recursion):

1. each box is as wide as its wrapped text (:func:`~faultkit.rca.textfit.wrap_label`)
   and each column as wide as its widest box;
2. walking the steps bottom-up, a subtree's band is as tall as the larger of its own
   box and its children's bands stacked with a gap;
3. walking top-down, the children's bands are stacked inside their parent's band,
   and each box is centred in its band.

Bands of different subtrees never overlap and boxes of different columns are apart,
so no two boxes intersect. Each edge runs from the middle of its parent's right side
to the gap before the child's column, down or up there, and into the middle of the
child's left side: it crosses no box.
"""

from __future__ import annotations

import attrs

from faultkit.rca.five_whys import FiveWhys, StepRole, WhyStep
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

__all__ = ["five_whys_layout", "step_label"]

_ROLE_STYLES = {
    StepRole.CAUSE: BoxStyle.CAUSE,
    StepRole.ROOT_CAUSE: BoxStyle.ROOT_CAUSE,
    StepRole.CONTRIBUTING_FACTOR: BoxStyle.FACTOR,
}
_LEGEND = (
    (BoxStyle.PROBLEM, "Problem"),
    (BoxStyle.CAUSE, "Answer (because ...)"),
    (BoxStyle.ROOT_CAUSE, "Root cause"),
    (BoxStyle.FACTOR, "Contributing factor"),
)


def step_label(step: WhyStep) -> str:
    """A step's text as drawn: role and category first, ``(verified)`` last."""
    text = step.answer if step.answer.strip() else "(no answer yet)"
    if step.role is StepRole.ROOT_CAUSE:
        head = "Root cause" if step.category is None else f"Root cause ({step.category})"
        text = f"{head}: {text}"
    elif step.role is StepRole.CONTRIBUTING_FACTOR:
        text = f"Contributing factor: {text}"
    if step.verified:
        text += " (verified)"
    return text


def five_whys_layout(
    tree: FiveWhys,
    *,
    style: DiagramStyle = DiagramStyle(),  # noqa: B008 - a frozen value
    limits: DiagramLimits = DiagramLimits(),  # noqa: B008 - a frozen value
) -> Layout:
    """The layout of ``tree`` (module docstring for the rule).

    Raises:
        DiagramTooLargeError: the tree has more steps than ``limits.max_nodes`` or is
            deeper than ``limits.max_depth``.
        InvalidInputError: the font size is under ``limits.min_font_size``.
    """
    style = style.checked(limits)
    where = f"five-whys {tree.id!r}"
    check_limit("max_nodes", len(tree.steps), limits.max_nodes, where)
    check_limit("max_depth", tree.max_level(), limits.max_depth, where)
    sizer = Sizer(style, limits)
    gap = style.gap
    margin = gap
    # node 0 is the problem statement; node i + 1 is tree.steps[i] (depth-first order)
    index = {step.id: i + 1 for i, step in enumerate(tree.steps)}
    parent = [-1] + [0 if s.parent is None else index[s.parent] for s in tree.steps]
    depth = [0] + [tree.depth(s.id) for s in tree.steps]
    boxes = [sizer.box(f"Problem: {tree.problem}", BoxStyle.PROBLEM, None)]
    boxes.extend(sizer.box(step_label(s), _ROLE_STYLES[s.role], s.id) for s in tree.steps)
    count = len(boxes)
    children: list[list[int]] = [[] for _ in range(count)]
    for node in range(1, count):
        children[parent[node]].append(node)
    levels = max(depth) + 1
    column_width = [0.0] * levels
    for node in range(count):
        column_width[depth[node]] = max(column_width[depth[node]], boxes[node].width)
    column_x = [margin]
    for level in range(1, levels):
        column_x.append(column_x[-1] + column_width[level - 1] + 2 * gap)
    vgap = gap / 2
    band = [0.0] * count
    for node in range(count - 1, -1, -1):  # children come after their parent
        stacked = sum(band[kid] for kid in children[node]) + vgap * max(len(children[node]) - 1, 0)
        band[node] = max(boxes[node].height, stacked)
    top = [0.0] * count
    top[0] = margin
    placed: list[Box] = []
    lines: list[Line] = []
    for node in range(count):
        kids = children[node]
        stacked = sum(band[kid] for kid in kids) + vgap * max(len(kids) - 1, 0)
        cursor = top[node] + (band[node] - stacked) / 2
        for kid in kids:
            top[kid] = cursor
            cursor += band[kid] + vgap
        box = boxes[node]
        y = top[node] + (band[node] - box.height) / 2
        placed.append(attrs.evolve(box, x=column_x[depth[node]], y=y))
    for node in range(1, count):
        up, box = placed[parent[node]], placed[node]
        start = (up.right, up.y + up.height / 2)
        end = (box.x, box.y + box.height / 2)
        middle = box.x - gap
        lines.append(
            Line(
                points=(start, (middle, start[1]), (middle, end[1]), end),
                style=LineStyle.EDGE,
            )
        )
    legend_y = top[0] + band[0] + gap
    legend = legend_boxes(sizer, _LEGEND, margin, legend_y, gap)
    width = max(column_x[-1] + column_width[-1], max(b.right for b in legend)) + margin
    height = max(b.bottom for b in legend) + margin
    return Layout(
        kind="five_whys",
        title=tree.problem,
        width=round(width, 2),
        height=round(height, 2),
        font_size=style.font_size,
        line_height=sizer.line_height,
        padding=sizer.padding,
        boxes=(*placed, *legend),
        lines=tuple(lines),
    )
