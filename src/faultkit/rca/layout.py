"""What every RCA picture is made of: boxes of wrapped text, connecting lines, limits.

A layout is computed once (:func:`faultkit.rca.five_whys_layout`,
:func:`faultkit.rca.fishbone_layout`) and drawn twice: as SVG by
:mod:`faultkit.rca.svg` (no dependency) and as PNG by :mod:`faultkit.rca.png`
(matplotlib). Coordinates are pixels, ``y`` growing downwards, like SVG.

Layouts guarantee that no two boxes intersect (the test suite checks it on random
trees and fishbones) and that every line of text fits its box (widths are estimated
on the safe side, :mod:`faultkit.rca.textfit`). A diagram too large to draw readably
is refused with :class:`~faultkit.errors.DiagramTooLargeError` against
:class:`DiagramLimits`; text is never made smaller than ``min_font_size``. Labels
longer than ``max_label_lines`` lines are shortened with an ellipsis (the SVG keeps
the whole text as the box's tooltip); nodes are never dropped.
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from faultkit.errors import DiagramTooLargeError, InvalidInputError
from faultkit.rca.textfit import text_width, wrap_label

__all__ = [
    "Box",
    "BoxStyle",
    "DiagramLimits",
    "DiagramStyle",
    "Layout",
    "Line",
    "LineStyle",
    "Sizer",
    "check_limit",
    "legend_boxes",
]


class BoxStyle(enum.StrEnum):
    """How a box is drawn; the colours are in :data:`faultkit.rca.svg.PALETTE`."""

    PROBLEM = "problem"
    """The problem statement at the root of a five-whys tree."""
    CAUSE = "cause"
    """An answer that is neither a root cause nor a contributing factor."""
    ROOT_CAUSE = "root_cause"
    """A root cause (red)."""
    FACTOR = "factor"
    """A contributing factor (amber)."""
    EFFECT = "effect"
    """The effect at the head of a fishbone."""
    CATEGORY = "category"
    """A category at the end of a fishbone bone."""
    OPEN = "open"
    """A fishbone cause not yet checked (text on its rib, no frame)."""
    VERIFIED = "verified"
    """A fishbone cause confirmed by evidence (green)."""
    RULED_OUT = "ruled_out"
    """A fishbone cause checked and excluded (grey, dashed)."""
    LEGEND = "legend"
    """The title of the legend."""


@attrs.frozen(kw_only=True)
class Box:
    """A rectangle holding lines of text, left-aligned, top to bottom.

    Attributes:
        x: left edge.
        y: top edge.
        width: width; every line's estimated width plus twice the padding fits in it.
        height: height; the lines at the layout's line height plus the padding.
        lines: the text, wrapped (and shortened past the line limit).
        style: how it is drawn.
        title: the whole label (the tooltip of the SVG box).
        node: the id of the step or cause drawn, ``None`` for other boxes.
    """

    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...]
    style: BoxStyle
    title: str
    node: str | None = None

    @property
    def right(self) -> float:
        """The right edge."""
        return self.x + self.width

    @property
    def bottom(self) -> float:
        """The bottom edge."""
        return self.y + self.height

    def intersects(self, other: Box) -> bool:
        """Whether the two rectangles share more than an edge."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )


class LineStyle(enum.StrEnum):
    """How a line is drawn."""

    EDGE = "edge"
    """A five-whys edge (parent to answer)."""
    SPINE = "spine"
    """The fishbone's spine."""
    BONE = "bone"
    """A category bone."""
    RIB = "rib"
    """A cause's rib (its text sits on it)."""


@attrs.frozen(kw_only=True)
class Line:
    """A polyline.

    Attributes:
        points: the points, in order.
        style: how it is drawn.
    """

    points: tuple[tuple[float, float], ...]
    style: LineStyle


@attrs.frozen(kw_only=True)
class Layout:
    """A picture ready to draw.

    Attributes:
        kind: ``"five_whys"`` or ``"fishbone"``.
        title: what the picture shows (the problem or the effect).
        width: the picture's width.
        height: the picture's height.
        font_size: the font size of all text, in pixels.
        line_height: the distance between two lines of text.
        padding: the space between a box's edge and its text.
        boxes: the boxes, in drawing order.
        lines: the lines, drawn under the boxes.
    """

    kind: str
    title: str
    width: float
    height: float
    font_size: float
    line_height: float
    padding: float
    boxes: tuple[Box, ...]
    lines: tuple[Line, ...]

    def baselines(self, box: Box) -> tuple[float, ...]:
        """The baseline ``y`` of each line of ``box``'s text."""
        descent = 0.25 * self.font_size
        top = box.y + self.padding
        return tuple(
            top + (i + 1) * self.line_height - descent - (self.line_height - self.font_size) / 2
            for i in range(len(box.lines))
        )


def _positive(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e6:
        raise InvalidInputError(attribute.name, value, "expected a positive number")


@attrs.frozen(kw_only=True)
class DiagramLimits:
    """Beyond these, a picture is refused with :class:`~faultkit.errors.DiagramTooLargeError`.

    A font size under ``min_font_size`` is refused with
    :class:`~faultkit.errors.InvalidInputError`: pictures never shrink text to fit.

    The defaults keep a picture readable on a screen or an A3 page at 100 %: a
    five-whys tree of up to 150 steps and 12 levels; a fishbone of up to 10
    categories, 15 causes on a bone (sub-causes included) and 4 levels of sub-causes.

    Attributes:
        max_nodes: the most steps of a five-whys tree.
        max_depth: the deepest level of a five-whys tree.
        max_categories: the most bones of a fishbone.
        max_causes_per_bone: the most causes on one bone, sub-causes included.
        max_cause_depth: the deepest level of sub-causes on a fishbone.
        max_label_lines: the most lines of a label; longer ones end with an ellipsis.
        min_font_size: the smallest font size accepted, in pixels.
    """

    max_nodes: int = attrs.field(default=150, validator=_positive)
    max_depth: int = attrs.field(default=12, validator=_positive)
    max_categories: int = attrs.field(default=10, validator=_positive)
    max_causes_per_bone: int = attrs.field(default=15, validator=_positive)
    max_cause_depth: int = attrs.field(default=4, validator=_positive)
    max_label_lines: int = attrs.field(default=5, validator=_positive)
    min_font_size: float = attrs.field(default=9.0, validator=_positive)


@attrs.frozen(kw_only=True)
class DiagramStyle:
    """Sizes of a picture, in pixels.

    Attributes:
        font_size: the font size of all text; at least the limits' ``min_font_size``.
        label_width: the widest a line of a label may be (text wraps beyond).
        gap: the space between neighbouring boxes, columns and bones.
    """

    font_size: float = attrs.field(default=13.0, validator=_positive)
    label_width: float = attrs.field(default=210.0, validator=_positive)
    gap: float = attrs.field(default=24.0, validator=_positive)

    def checked(self, limits: DiagramLimits) -> DiagramStyle:
        """This style, refused (:class:`~faultkit.errors.InvalidInputError`) when its font
        is under ``limits.min_font_size`` or its label width holds under three em."""
        if self.font_size < limits.min_font_size:
            raise InvalidInputError(
                "font_size",
                self.font_size,
                f"under the limits' min_font_size {limits.min_font_size:g}: text would be "
                "unreadable",
            )
        if self.label_width < 3 * self.font_size:
            raise InvalidInputError(
                "label_width", self.label_width, "must hold at least three font sizes"
            )
        return self


class Sizer:
    """Makes boxes of wrapped text at one style (placed at the origin: move them with
    ``attrs.evolve``)."""

    def __init__(self, style: DiagramStyle, limits: DiagramLimits) -> None:
        self.font = style.font_size
        self.width = style.label_width
        self.max_lines = limits.max_label_lines
        self.line_height = round(1.3 * style.font_size, 2)
        self.padding = round(0.5 * style.font_size, 2)

    def box(self, text: str, style: BoxStyle, node: str | None, max_lines: int = 0) -> Box:
        """A box at the origin holding ``text`` wrapped to the label width, in at most
        ``max_lines`` lines (the limits' ``max_label_lines`` when 0)."""
        lines = wrap_label(text, self.width, self.font, max_lines or self.max_lines)
        inner = max(text_width(line, self.font) for line in lines)
        return Box(
            x=0.0,
            y=0.0,
            width=round(max(inner, 3 * self.font) + 2 * self.padding + 1, 2),
            height=round(len(lines) * self.line_height + 2 * self.padding, 2),
            lines=lines,
            style=style,
            title=text,
            node=node,
        )


def legend_boxes(
    sizer: Sizer, items: tuple[tuple[BoxStyle, str], ...], x: float, y: float, gap: float
) -> list[Box]:
    """A row of legend boxes from ``(x, y)``: a title, then one sample box per item."""
    boxes = [sizer.box("Legend:", BoxStyle.LEGEND, None, 1)]
    boxes.extend(sizer.box(text, style, None, 1) for style, text in items)
    placed = []
    for box in boxes:
        placed.append(attrs.evolve(box, x=x, y=y))
        x += box.width + gap / 2
    return placed


def check_limit(name: str, size: float, maximum: float, where: str) -> None:
    """Raise :class:`~faultkit.errors.DiagramTooLargeError` when ``size > maximum``."""
    if size > maximum:
        raise DiagramTooLargeError(name, size, maximum, where)
