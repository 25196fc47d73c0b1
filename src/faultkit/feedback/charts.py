"""Charts of feedback trends and Pareto breakdowns, as PNG or SVG bytes.

Needs the ``plot`` extra, matplotlib (``pip install ".[plot]"`` in a clone of faultkit,
or a built wheel with ``[plot]``); without it, the functions raise :class:`ImportError`
saying so. The rest of :mod:`faultkit.feedback` never imports matplotlib.

The charts are drawn on a private :class:`matplotlib.figure.Figure` (never through
``pyplot``, so no global figure state is touched) and returned as bytes for the caller
to save or serve. Each bar carries an id (``gid``) in the SVG output -
``bar:<key>:<period start>`` for trends, ``bar:<key>`` for Pareto charts,
``spike:<key>:<period start>`` for spike markers - so a test or a web page can find it.
SVG output is deterministic for the same input (fixed hash salt, no date).

**Labels in any script.** SVG keeps text as text, so the viewer's fonts draw it. PNG
draws the glyphs itself: labels are set in DejaVu Sans with, as per-glyph fallbacks,
the CJK fonts found on the machine (:data:`CJK_FONTS`, first found first: Noto Sans
CJK, Source Han Sans, WenQuanYi, Droid Sans Fallback and the system fonts of Windows
and macOS), then those of other scripts (:data:`faultkit.plotting.SCRIPT_FONTS`: Thai,
Lao, Khmer, Myanmar, Devanagari). When a PNG label holds characters no available font
has, the chart is refused with :class:`~faultkit.errors.MissingGlyphsError` naming
them and a Debian package of a font for their script, rather than drawn with empty
boxes: install one (``apt-get install fonts-noto-cjk``, ``fonts-wqy-microhei``,
``fonts-thai-tlwg``...) or draw SVG.

**Readable Pareto charts.** Beyond ``top`` categories (10 by default), the rest are
drawn as one grey bar, ``other (N)``; long labels are shortened with an ellipsis and
slanted to end under their bar.

**Units.** The y-axis names what is counted: ``unit="feedback items"`` by default,
``unit="faults"`` for fault charts.
"""

from __future__ import annotations

import contextlib
import enum
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.feedback.trends import ParetoRow, Series, Spike
from faultkit.plotting import (
    CJK_FONTS,
    cluster_boundary,
    load_matplotlib,
    plot_style,
    save_figure,
)

__all__ = ["CJK_FONTS", "ChartFormat", "pareto_chart", "trend_chart"]

_LABEL_CHARS = 24


class ChartFormat(enum.StrEnum):
    """The image format of a chart."""

    SVG = "svg"
    PNG = "png"


def _matplotlib() -> Any:
    return load_matplotlib("faultkit.feedback.charts")


def _label(key: str | None) -> str:
    return "(none)" if key is None else key


def _check_common(fmt: Any, width: Any, height: Any, dpi: Any) -> ChartFormat:
    if not isinstance(fmt, ChartFormat):
        raise InvalidInputError("fmt", fmt, "expected a ChartFormat (svg or png)")
    for name, value in (("width", width), ("height", height), ("dpi", dpi)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e4:
            raise InvalidInputError(name, value, "expected a positive number")
    return fmt


@contextlib.contextmanager
def _style(matplotlib: Any, fmt: ChartFormat, texts: Iterable[str]) -> Iterator[None]:
    """The settings every chart is built and saved under (fonts resolve at creation)."""
    with plot_style(matplotlib, png=fmt is ChartFormat.PNG, texts=texts):
        yield


def _render(figure: Any, fmt: ChartFormat, dpi: float) -> bytes:
    return save_figure(figure, fmt.value, dpi)


def _short(label: str) -> str:
    if len(label) <= _LABEL_CHARS:
        return label
    return f"{label[: cluster_boundary(label, _LABEL_CHARS - 1)].rstrip()}\u2026"


def _tail(label: str, size: int) -> str:
    """The last ``size`` characters of ``label``, less the marks of a letter cut off."""
    start = max(len(label) - size, 0)
    while start < len(label) and cluster_boundary(label, start) != start:
        start += 1
    return label[start:]


def _short_labels(labels: Sequence[str]) -> list[str]:
    """Labels cut to ``_LABEL_CHARS`` characters, no two alike.

    Rule: a label cut at its end reads ``Printer tray 2 - paper…``; when two cut labels
    would read the same (components named alike up to the cut: a 311 export's
    ``Department of Housing Preservation and Development`` and ``... and Dev. (HPD)``),
    those keep their beginning and their end (``Department…d Dev. (HPD)``), and any
    still alike are numbered (``#1``, ``#2``): two bars never carry one name.
    """
    cut = [_short(label) for label in labels]
    counts = Counter(cut)
    head = (_LABEL_CHARS - 1) // 2
    tail = _LABEL_CHARS - 1 - head
    cut = [
        f"{label[: cluster_boundary(label, head)].rstrip()}\u2026{_tail(label, tail).lstrip()}"
        if counts[short] > 1 and short != label
        else short
        for label, short in zip(labels, cut, strict=True)
    ]
    counts = Counter(cut)
    seen: Counter[str] = Counter()
    out = []
    for short in cut:
        if counts[short] > 1:
            seen[short] += 1
            short = f"{short} #{seen[short]}"
        out.append(short)
    return out


def _check_unit(unit: Any) -> str:
    if not isinstance(unit, str) or not unit.strip():
        raise InvalidInputError("unit", unit, "expected a non-blank name of what is counted")
    return unit


def _fold_tail(rows: Sequence[ParetoRow], top: Any) -> list[ParetoRow]:
    """The first ``top - 1`` rows and one ``other (N)`` row, when there are more than ``top``."""
    if isinstance(top, bool) or not isinstance(top, int) or top < 2:
        raise InvalidInputError("top", top, "expected an integer of at least 2")
    if len(rows) <= top:
        return list(rows)
    kept, rest = list(rows[: top - 1]), rows[top - 1 :]
    other = ParetoRow(
        key=f"other ({len(rest)})",
        count=sum(r.count for r in rest),
        share=min(100.0, sum(r.share for r in rest)),
        cumulative=rest[-1].cumulative,
        vital=False,
    )
    return [*kept, other]


def trend_chart(
    series: Series | Sequence[Series],
    *,
    fmt: ChartFormat = ChartFormat.SVG,
    title: str | None = None,
    spikes: Sequence[Spike] = (),
    unit: str = "feedback items",
    width: float = 8.0,
    height: float = 4.0,
    dpi: float = 100.0,
) -> bytes:
    """A bar chart of counts per period; several series are stacked, one colour each.

    Args:
        series: one series or several over the same periods (as :func:`trend` makes).
        fmt: SVG or PNG.
        title: the chart's title.
        spikes: spikes to mark with a red triangle above their bar.
        unit: what is counted, the y-axis label (``"faults"`` for fault charts).
        width: the width in inches.
        height: the height in inches.
        dpi: dots per inch (PNG resolution).

    Returns:
        The image as bytes.

    Raises:
        InvalidInputError: no series, series over different periods, or a bad option.
        MissingGlyphsError: a PNG label holds characters no installed font has.
        ImportError: matplotlib is not installed (the ``plot`` extra).
    """
    fmt = _check_common(fmt, width, height, dpi)
    unit = _check_unit(unit)
    listed = [series] if isinstance(series, Series) else list(v.items_of("series", series))
    if not listed or not all(isinstance(s, Series) for s in listed):
        raise InvalidInputError("series", series, "expected one Series or a non-empty list")
    axis = [p.start for p in listed[0].points]
    for index, one in enumerate(listed):
        if [p.start for p in one.points] != axis:
            raise InvalidInputError(f"series[{index}]", one.key, "covers other periods")
    matplotlib, figure_class = _matplotlib()
    texts = [title or "", unit, *(_label(one.key) for one in listed)]
    with _style(matplotlib, fmt, texts):
        figure = figure_class(figsize=(width, height))
        _draw_trend(figure, listed, axis, spikes, title, unit)
        return _render(figure, fmt, dpi)


def _draw_trend(
    figure: Any,
    listed: Sequence[Series],
    axis: Sequence[Any],
    spikes: Sequence[Spike],
    title: str | None,
    unit: str,
) -> None:
    ax = figure.add_subplot()
    positions = list(range(len(axis)))
    bottoms = [0] * len(axis)
    for one in listed:
        counts = [p.count for p in one.points]
        bars = ax.bar(positions, counts, bottom=bottoms, label=_label(one.key), width=0.8)
        for bar, day in zip(bars, axis, strict=True):
            bar.set_gid(f"bar:{_label(one.key)}:{day.isoformat()}")
        bottoms = [b + c for b, c in zip(bottoms, counts, strict=True)]
    index_of = {day: i for i, day in enumerate(axis)}
    gap = 0.05 * max(max(bottoms, default=0), 1)
    for spike in spikes:
        if spike.start in index_of:
            i = index_of[spike.start]
            (marker,) = ax.plot([i], [bottoms[i] + gap], marker="v", color="red", linestyle="none")
            marker.set_gid(f"spike:{_label(spike.key)}:{spike.start.isoformat()}")
    ax.set_ylim(0, max(max(bottoms, default=0), 1) * 1.12)
    step = max(1, len(axis) // 12)
    ax.set_xticks(positions[::step], [d.isoformat() for d in axis[::step]], rotation=45)
    ax.set_ylabel(unit)
    ax.set_xlabel(f"period ({listed[0].period.value})")
    if title:
        ax.set_title(title)
    if len(listed) > 1:
        ax.legend()
    figure.tight_layout()


def pareto_chart(
    rows: Sequence[ParetoRow],
    *,
    fmt: ChartFormat = ChartFormat.SVG,
    title: str | None = None,
    cutoff: float = 80.0,
    top: int = 10,
    unit: str = "feedback items",
    width: float = 8.0,
    height: float = 4.0,
    dpi: float = 100.0,
) -> bytes:
    """A Pareto chart: bars by count, the cumulative share as a line, the cut-off dashed.

    The vital few are drawn in the first colour, the others in grey. Beyond ``top``
    rows, the first ``top - 1`` are drawn and the rest as one ``other (N)`` bar.

    Args:
        rows: the rows of :func:`pareto`, in its order (all of them: the tail is folded).
        fmt: SVG or PNG.
        title: the chart's title.
        cutoff: where to draw the cut-off line, in percent.
        top: the most bars to draw, ``other`` included; at least 2.
        unit: what is counted, the y-axis label (``"faults"`` for fault charts).
        width: the width in inches.
        height: the height in inches.
        dpi: dots per inch (PNG resolution).

    Returns:
        The image as bytes.

    Raises:
        InvalidInputError: no rows or a bad option.
        MissingGlyphsError: a PNG label holds characters no installed font has.
        ImportError: matplotlib is not installed (the ``plot`` extra).
    """
    fmt = _check_common(fmt, width, height, dpi)
    unit = _check_unit(unit)
    rows = v.items_of("rows", rows)
    if not rows or not all(isinstance(r, ParetoRow) for r in rows):
        raise InvalidInputError("rows", rows, "expected a non-empty list of ParetoRow")
    shown = _fold_tail(rows, top)
    matplotlib, figure_class = _matplotlib()
    texts = [title or "", unit, *_short_labels([_label(r.key) for r in shown])]
    with _style(matplotlib, fmt, texts):
        figure = figure_class(figsize=(width, height))
        _draw_pareto(figure, shown, title, cutoff, unit)
        return _render(figure, fmt, dpi)


def _draw_pareto(
    figure: Any, rows: Sequence[ParetoRow], title: str | None, cutoff: float, unit: str
) -> None:
    ax = figure.add_subplot()
    positions = list(range(len(rows)))
    colours = ["C0" if r.vital else "0.7" for r in rows]
    bars = ax.bar(positions, [r.count for r in rows], color=colours, width=0.8)
    for bar, row in zip(bars, rows, strict=True):
        bar.set_gid(f"bar:{_label(row.key)}")
    share = ax.twinx()
    (line,) = share.plot(positions, [r.cumulative for r in rows], color="C1", marker="o")
    line.set_gid("cumulative")
    share.axhline(cutoff, color="C3", linestyle="--", linewidth=1).set_gid("cutoff")
    share.set_ylim(0, 105)
    share.set_ylabel("cumulative share (%)")
    ax.set_xticks(
        positions,
        _short_labels([_label(r.key) for r in rows]),
        rotation=40,
        ha="right",
        rotation_mode="anchor",
    )
    ax.set_ylabel(unit)
    if title:
        ax.set_title(title)
    figure.tight_layout()
