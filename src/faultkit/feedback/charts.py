"""Charts of feedback trends and Pareto breakdowns, as PNG or SVG bytes.

Needs the ``plot`` extra (``pip install "faultkit[plot]"``, which installs matplotlib);
without it, the functions raise :class:`ImportError` saying so. The rest of
:mod:`faultkit.feedback` never imports matplotlib.

The charts are drawn on a private :class:`matplotlib.figure.Figure` (never through
``pyplot``, so no global figure state is touched) and returned as bytes for the caller
to save or serve. Each bar carries an id (``gid``) in the SVG output -
``bar:<key>:<period start>`` for trends, ``bar:<key>`` for Pareto charts,
``spike:<key>:<period start>`` for spike markers - so a test or a web page can find it.
SVG output is deterministic for the same input (fixed hash salt, no date).
"""

from __future__ import annotations

import enum
import io
from collections.abc import Sequence
from typing import Any

from faultkit.errors import InvalidInputError
from faultkit.feedback.trends import ParetoRow, Series, Spike

__all__ = ["ChartFormat", "pareto_chart", "trend_chart"]


class ChartFormat(enum.StrEnum):
    """The image format of a chart."""

    SVG = "svg"
    PNG = "png"


def _matplotlib() -> Any:
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            "faultkit.feedback.charts needs matplotlib: pip install 'faultkit[plot]'"
        ) from exc
    return matplotlib, Figure


def _label(key: str | None) -> str:
    return "(none)" if key is None else key


def _check_common(fmt: Any, width: Any, height: Any, dpi: Any, ylabel: Any) -> ChartFormat:
    if not isinstance(fmt, ChartFormat):
        raise InvalidInputError("fmt", fmt, "expected a ChartFormat (svg or png)")
    if not isinstance(ylabel, str) or not ylabel.strip():
        raise InvalidInputError("ylabel", ylabel, "expected a non-empty text")
    for name, value in (("width", width), ("height", height), ("dpi", dpi)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e4:
            raise InvalidInputError(name, value, "expected a positive number")
    return fmt


def _render(figure: Any, matplotlib: Any, fmt: ChartFormat, dpi: float) -> bytes:
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt is ChartFormat.SVG else {"Software": None}
    with matplotlib.rc_context({"svg.hashsalt": "faultkit", "svg.fonttype": "none"}):
        figure.savefig(buffer, format=fmt.value, dpi=dpi, metadata=metadata)
    return buffer.getvalue()


def trend_chart(
    series: Series | Sequence[Series],
    *,
    fmt: ChartFormat = ChartFormat.SVG,
    title: str | None = None,
    spikes: Sequence[Spike] = (),
    ylabel: str = "feedback items",
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
        ylabel: what the bars count (the y axis label): ``"faults"`` for faults.
        width: the width in inches.
        height: the height in inches.
        dpi: dots per inch (PNG resolution).

    Returns:
        The image as bytes.

    Raises:
        InvalidInputError: no series, series over different periods, or a bad option.
        ImportError: matplotlib is not installed (the ``plot`` extra).
    """
    fmt = _check_common(fmt, width, height, dpi, ylabel)
    listed = [series] if isinstance(series, Series) else list(series)
    if not listed or not all(isinstance(s, Series) for s in listed):
        raise InvalidInputError("series", series, "expected one Series or a non-empty list")
    axis = [p.start for p in listed[0].points]
    for index, one in enumerate(listed):
        if [p.start for p in one.points] != axis:
            raise InvalidInputError(f"series[{index}]", one.key, "covers other periods")
    matplotlib, figure_class = _matplotlib()
    figure = figure_class(figsize=(width, height))
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
    ax.set_ylabel(ylabel)
    ax.set_xlabel(f"period ({listed[0].period.value})")
    if title:
        ax.set_title(title)
    if len(listed) > 1:
        ax.legend()
    figure.tight_layout()
    return _render(figure, matplotlib, fmt, dpi)


def pareto_chart(
    rows: Sequence[ParetoRow],
    *,
    fmt: ChartFormat = ChartFormat.SVG,
    title: str | None = None,
    cutoff: float = 80.0,
    ylabel: str = "feedback items",
    width: float = 8.0,
    height: float = 4.0,
    dpi: float = 100.0,
) -> bytes:
    """A Pareto chart: bars by count, the cumulative share as a line, the cut-off dashed.

    The vital few are drawn in the first colour, the others in grey.

    Args:
        rows: the rows of :func:`pareto`, in its order.
        fmt: SVG or PNG.
        title: the chart's title.
        cutoff: where to draw the cut-off line, in percent.
        ylabel: what the bars count (the y axis label): ``"faults"`` for faults.
        width: the width in inches.
        height: the height in inches.
        dpi: dots per inch (PNG resolution).

    Returns:
        The image as bytes.

    Raises:
        InvalidInputError: no rows or a bad option.
        ImportError: matplotlib is not installed (the ``plot`` extra).
    """
    fmt = _check_common(fmt, width, height, dpi, ylabel)
    if not rows or not all(isinstance(r, ParetoRow) for r in rows):
        raise InvalidInputError("rows", rows, "expected a non-empty list of ParetoRow")
    matplotlib, figure_class = _matplotlib()
    figure = figure_class(figsize=(width, height))
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
    ax.set_xticks(positions, [_label(r.key) for r in rows], rotation=30)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    figure.tight_layout()
    return _render(figure, matplotlib, fmt, dpi)
