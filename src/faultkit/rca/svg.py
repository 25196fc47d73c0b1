"""RCA pictures as SVG, with no dependency: five-whys trees and fishbones.

The SVG is built as a string from a :class:`~faultkit.rca.layout.Layout`. Every piece
of user text is XML-escaped (``& < > " '``) after :func:`~faultkit.rca.textfit.clean_label`
dropped what XML 1.0 forbids, so labels such as ``</text><script>`` stay text; user
ids appear only as escaped ``data-node`` attribute values. Each box is a ``<g>``
holding a ``<title>`` (the whole label, the viewer's tooltip), its frame and one
``<text>`` per line. Colours are in :data:`PALETTE`, presentation attributes rather
than CSS, so every viewer draws them. The output is deterministic.

Fonts: DejaVu Sans first, then the CJK fonts of :data:`faultkit.plotting.CJK_FONTS`,
then the viewer's ``sans-serif``; widths were estimated for DejaVu Sans on the safe
side (:mod:`faultkit.rca.textfit`).

>>> from faultkit.rca import FiveWhys, WhyStep, five_whys_svg
>>> tree = FiveWhys(id="w1", problem="Printer stops", steps=[
...     WhyStep(id="s1", answer="Paper jam </text>")])
>>> svg = five_whys_svg(tree)
>>> svg.startswith("<?xml") and "Paper jam &lt;/text&gt;" in svg
True
"""

from __future__ import annotations

from faultkit.plotting import BASE_FONT, CJK_FONTS
from faultkit.rca.fishbone import Fishbone
from faultkit.rca.fishbone_layout import fishbone_layout
from faultkit.rca.five_whys import FiveWhys
from faultkit.rca.layout import (
    BoxStyle,
    DiagramLimits,
    DiagramStyle,
    Layout,
    LineStyle,
)
from faultkit.rca.textfit import clean_label
from faultkit.rca.tree_layout import five_whys_layout

__all__ = ["LINE_PALETTE", "PALETTE", "fishbone_svg", "five_whys_svg", "layout_svg"]

PALETTE: dict[BoxStyle, tuple[str, str, str, str, float]] = {
    # style: (fill, stroke, dash pattern, text colour, stroke width)
    BoxStyle.PROBLEM: ("#e3ecfa", "#1f4e9c", "", "#0d2a5c", 2.0),
    BoxStyle.CAUSE: ("#ffffff", "#5f6b7a", "", "#1a1a1a", 1.0),
    BoxStyle.ROOT_CAUSE: ("#fde2e1", "#c62828", "", "#7f1010", 2.0),
    BoxStyle.FACTOR: ("#fff4ce", "#b26a00", "", "#5c3700", 1.5),
    BoxStyle.EFFECT: ("#fde2e1", "#c62828", "", "#7f1010", 2.0),
    BoxStyle.CATEGORY: ("#e3ecfa", "#1f4e9c", "", "#0d2a5c", 1.5),
    BoxStyle.OPEN: ("none", "none", "", "#1a1a1a", 0.0),
    BoxStyle.VERIFIED: ("#e3f4e1", "#2e7d32", "", "#1b5e20", 1.5),
    BoxStyle.RULED_OUT: ("#f2f2f2", "#9e9e9e", "4 3", "#6b6b6b", 1.0),
    BoxStyle.LEGEND: ("none", "none", "", "#1a1a1a", 0.0),
}
"""How each kind of box is drawn: fill, stroke, dash pattern, text colour, stroke width."""

LINE_PALETTE: dict[LineStyle, tuple[str, float]] = {
    LineStyle.EDGE: ("#7a8594", 1.2),
    LineStyle.SPINE: ("#263238", 3.0),
    LineStyle.BONE: ("#455a64", 2.0),
    LineStyle.RIB: ("#78909c", 1.0),
}
"""How each kind of line is drawn: colour and width."""

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})


def _xml(text: str) -> str:
    """``text`` as XML character data or attribute value (cleaned, then escaped)."""
    return clean_label(text).translate(_ESCAPES)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def layout_svg(layout: Layout) -> str:
    """The SVG document of ``layout`` (module docstring)."""
    fonts = ", ".join(f"'{f}'" for f in (BASE_FONT, *CJK_FONTS)) + ", sans-serif"
    width, height = _num(layout.width), _num(layout.height)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{fonts}" '
        f'font-size="{_num(layout.font_size)}" data-kind="{layout.kind}">\n',
        f"<title>{_xml(layout.title)}</title>\n",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>\n',
        '<g id="lines" fill="none" stroke-linejoin="round">\n',
    ]
    for line in layout.lines:
        colour, thickness = LINE_PALETTE[line.style]
        points = " ".join(f"{_num(x)},{_num(y)}" for x, y in line.points)
        out.append(
            f'<polyline class="{line.style.value}" points="{points}" stroke="{colour}" '
            f'stroke-width="{_num(thickness)}"/>\n'
        )
    out.append('</g>\n<g id="boxes">\n')
    for box in layout.boxes:
        fill, stroke, dash, ink, stroke_width = PALETTE[box.style]
        node = "" if box.node is None else f' data-node="{_xml(box.node)}"'
        out.append(f'<g class="box {box.style.value}"{node}>\n<title>{_xml(box.title)}</title>\n')
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<rect x="{_num(box.x)}" y="{_num(box.y)}" width="{_num(box.width)}" '
            f'height="{_num(box.height)}" rx="4" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="{_num(stroke_width)}"{dashed}/>\n'
        )
        text_x = _num(box.x + layout.padding)
        weight = ' font-weight="bold"' if box.style is BoxStyle.LEGEND else ""
        for text, baseline in zip(box.lines, layout.baselines(box), strict=True):
            out.append(
                f'<text x="{text_x}" y="{_num(baseline)}" fill="{ink}"{weight}>'
                f"{_xml(text)}</text>\n"
            )
        out.append("</g>\n")
    out.append("</g>\n</svg>\n")
    return "".join(out)


def five_whys_svg(
    tree: FiveWhys,
    *,
    style: DiagramStyle = DiagramStyle(),  # noqa: B008 - a frozen value
    limits: DiagramLimits = DiagramLimits(),  # noqa: B008 - a frozen value
) -> str:
    """``tree`` as an SVG document (:func:`~faultkit.rca.five_whys_layout`'s layout).

    Raises:
        DiagramTooLargeError: the tree is past ``limits``.
        InvalidInputError: the font size is under ``limits.min_font_size``.
    """
    return layout_svg(five_whys_layout(tree, style=style, limits=limits))


def fishbone_svg(
    fishbone: Fishbone,
    *,
    style: DiagramStyle = DiagramStyle(),  # noqa: B008 - a frozen value
    limits: DiagramLimits = DiagramLimits(),  # noqa: B008 - a frozen value
) -> str:
    """``fishbone`` as an SVG document (:func:`~faultkit.rca.fishbone_layout`'s layout).

    Raises:
        DiagramTooLargeError: the fishbone is past ``limits``.
        InvalidInputError: the font size is under ``limits.min_font_size``.
    """
    return layout_svg(fishbone_layout(fishbone, style=style, limits=limits))
