"""RCA pictures as PNG, through the ``plot`` extra (matplotlib): the same layouts as the SVG.

The layout of :func:`~faultkit.rca.five_whys_layout` or
:func:`~faultkit.rca.fishbone_layout` is drawn on a private matplotlib figure (never
through ``pyplot``) one pixel of layout to one pixel of image at ``dpi`` 100, with the
colours of :data:`faultkit.rca.svg.PALETTE`, and returned as PNG bytes.

Fonts and missing glyphs are handled as for the feedback charts
(:mod:`faultkit.plotting`): text is set in DejaVu Sans with the CJK fonts found as
fallbacks, and a label holding characters no installed font has is refused with
:class:`~faultkit.errors.MissingGlyphsError` instead of drawn as empty boxes. An
image wider or taller than :data:`MAX_PNG_SIDE` pixels is refused with
:class:`~faultkit.errors.DiagramTooLargeError` (draw SVG, or raise the scale down).
"""

from __future__ import annotations

from typing import Any

from faultkit.plotting import load_matplotlib, plot_style, save_figure
from faultkit.rca.fishbone import Fishbone
from faultkit.rca.fishbone_layout import fishbone_layout
from faultkit.rca.five_whys import FiveWhys
from faultkit.rca.layout import DiagramLimits, DiagramStyle, Layout, check_limit
from faultkit.rca.svg import LINE_PALETTE, PALETTE
from faultkit.rca.tree_layout import five_whys_layout

__all__ = ["MAX_PNG_SIDE", "TEXT_SETTINGS", "fishbone_png", "five_whys_png", "layout_png"]

MAX_PNG_SIDE = 30_000
"""The widest and tallest PNG drawn, in pixels (the renderer's own limit is 65,536)."""

TEXT_SETTINGS: dict[str, Any] = {"text.hinting": "no_hinting"}
"""matplotlib settings of the text: unhinted, so glyph advances are the font's own (hinted
text rounds each advance to whole pixels, wider than the layout's estimate allows for)."""


def _colour(value: str) -> str:
    return "none" if value == "none" else value


def _draw(figure: Any, layout: Layout, scale: float) -> None:
    from matplotlib.patches import FancyBboxPatch

    ax = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0, layout.width)
    ax.set_ylim(layout.height, 0)
    ax.set_axis_off()
    for line in layout.lines:
        colour, width = LINE_PALETTE[line.style]
        xs = [x for x, _y in line.points]
        ys = [y for _x, y in line.points]
        ax.plot(xs, ys, color=colour, linewidth=width * scale, solid_joinstyle="round")
    points = layout.font_size * scale
    for box in layout.boxes:
        fill, stroke, dash, ink, stroke_width = PALETTE[box.style]
        if stroke != "none" or fill != "none":
            dashes = (0, tuple(float(d) for d in dash.split())) if dash else "solid"
            ax.add_patch(
                FancyBboxPatch(
                    (box.x, box.y),
                    box.width,
                    box.height,
                    boxstyle="round,pad=0,rounding_size=4",
                    facecolor=_colour(fill),
                    edgecolor=_colour(stroke),
                    linewidth=stroke_width * scale,
                    linestyle=dashes,
                )
            )
        for text, baseline in zip(box.lines, layout.baselines(box), strict=True):
            ax.text(
                box.x + layout.padding,
                baseline,
                text,
                fontsize=points,
                color=ink,
                va="baseline",
                ha="left",
            )


def layout_png(layout: Layout, *, dpi: float = 100.0) -> bytes:
    """``layout`` as PNG bytes; one layout pixel is ``dpi / 100`` image pixels.

    Raises:
        DiagramTooLargeError: the image would be over :data:`MAX_PNG_SIDE` pixels.
        MissingGlyphsError: a label holds characters no installed font has.
        ImportError: matplotlib is not installed (the ``plot`` extra).
    """
    ratio = dpi / 100.0
    check_limit("MAX_PNG_SIDE", round(layout.width * ratio), MAX_PNG_SIDE, "the PNG's width")
    check_limit("MAX_PNG_SIDE", round(layout.height * ratio), MAX_PNG_SIDE, "the PNG's height")
    matplotlib, figure_class = load_matplotlib("faultkit.rca.png")
    texts = [line for box in layout.boxes for line in box.lines]
    with (
        plot_style(matplotlib, png=True, texts=texts, what="an RCA picture"),
        matplotlib.rc_context(TEXT_SETTINGS),
    ):
        figure = figure_class(figsize=(layout.width / 100.0, layout.height / 100.0), dpi=100.0)
        _draw(figure, layout, 0.72)  # pixels at 100 dpi to points
        return save_figure(figure, "png", dpi)


def five_whys_png(
    tree: FiveWhys,
    *,
    style: DiagramStyle = DiagramStyle(),  # noqa: B008 - a frozen value
    limits: DiagramLimits = DiagramLimits(),  # noqa: B008 - a frozen value
    dpi: float = 100.0,
) -> bytes:
    """``tree`` as PNG bytes (the layout of :func:`~faultkit.rca.five_whys_layout`).

    Raises:
        DiagramTooLargeError: the tree is past ``limits``, or the image too large.
        MissingGlyphsError: a label holds characters no installed font has.
        ImportError: matplotlib is not installed (the ``plot`` extra).
    """
    return layout_png(five_whys_layout(tree, style=style, limits=limits), dpi=dpi)


def fishbone_png(
    fishbone: Fishbone,
    *,
    style: DiagramStyle = DiagramStyle(),  # noqa: B008 - a frozen value
    limits: DiagramLimits = DiagramLimits(),  # noqa: B008 - a frozen value
    dpi: float = 100.0,
) -> bytes:
    """``fishbone`` as PNG bytes (the layout of :func:`~faultkit.rca.fishbone_layout`).

    Raises:
        DiagramTooLargeError: the fishbone is past ``limits``, or the image too large.
        MissingGlyphsError: a label holds characters no installed font has.
        ImportError: matplotlib is not installed (the ``plot`` extra).
    """
    return layout_png(fishbone_layout(fishbone, style=style, limits=limits), dpi=dpi)
