"""Charts (the ``plot`` extra): the picture is checked, bar by bar, in the SVG output."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from faultkit.errors import InvalidInputError
from faultkit.feedback import ParetoRow, Period, Point, Series, pareto, spikes

pytest.importorskip("matplotlib", reason="charts need the plot extra (matplotlib)")

from faultkit.feedback.charts import ChartFormat, pareto_chart, trend_chart

SVG = "{http://www.w3.org/2000/svg}"
COUNTS = [4, 5, 3, 4, 5, 4, 3, 4, 15]


def _series(counts: list[int], key: str = "all") -> Series:
    return Series(
        key=key,
        period=Period.DAY,
        points=tuple(
            Point(start=date(2024, 5, 1) + timedelta(days=i), count=c) for i, c in enumerate(counts)
        ),
    )


def _groups(svg: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {g.attrib["id"]: g for g in root.iter(f"{SVG}g") if "id" in g.attrib}


def _box(group: ET.Element) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a bar's rectangle path, in SVG units (y grows down)."""
    path = group.find(f"{SVG}path")
    assert path is not None
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.attrib["d"])]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def test_trend_chart_bars_are_proportional_to_the_counts() -> None:
    series = _series(COUNTS)
    svg = trend_chart(series, title="Daily feedback", spikes=spikes(series))
    groups = _groups(svg)
    bars = [groups[f"bar:all:{p.start.isoformat()}"] for p in series.points]
    boxes = [_box(b) for b in bars]
    heights = [bottom - top for _, top, _, bottom in boxes]
    unit = heights[-1] / COUNTS[-1]
    assert heights == pytest.approx([c * unit for c in COUNTS], rel=1e-4)
    assert [left for left, *_ in boxes] == sorted(left for left, *_ in boxes)  # in time order
    assert len({bottom for *_, bottom in boxes}) == 1  # one baseline
    # The spike is marked above its bar.
    marker = groups["spike:all:2024-05-09"].find(f".//{SVG}use")
    assert marker is not None
    assert float(marker.attrib["y"]) < boxes[-1][1]
    assert b"Daily feedback" in svg
    assert b"2024-05-09" in svg
    assert svg == trend_chart(series, title="Daily feedback", spikes=spikes(series))


def test_stacked_series_and_png() -> None:
    a, b = _series([1, 2, 3], key="defect"), _series([3, 2, 1], key="question")
    groups = _groups(trend_chart([a, b]))
    lower = _box(groups["bar:defect:2024-05-01"])
    upper = _box(groups["bar:question:2024-05-01"])
    assert upper[3] == pytest.approx(lower[1], abs=1e-3)  # stacked: question sits on defect
    png = trend_chart([a, b], fmt=ChartFormat.PNG, width=6, height=3, dpi=50)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (300, 150)
    import matplotlib.image

    pixels = matplotlib.image.imread(io.BytesIO(png))
    blue = (abs(pixels[..., 0] - 0x1F / 255) < 0.02) & (abs(pixels[..., 2] - 0xB4 / 255) < 0.02)
    assert blue.sum() > 100  # the first series' bars are drawn in matplotlib's C0 blue


def test_pareto_chart() -> None:
    rows = pareto({"defect": 50, "question": 20, "praise": 10, "usability": 10, None: 10})
    svg = pareto_chart(rows, title="Where feedback comes from")
    groups = _groups(svg)
    bars = [groups[f"bar:{r.key or '(none)'}"] for r in rows]
    heights = [bottom - top for _, top, _, bottom in map(_box, bars)]
    assert heights == pytest.approx([c * heights[0] / 50 for c in (50, 20, 10, 10, 10)], rel=1e-4)
    assert "cumulative" in groups
    assert "cutoff" in groups
    styles = [bar.find(f"{SVG}path").attrib["style"] for bar in bars]  # type: ignore[union-attr]
    assert ["#1f77b4" in s for s in styles] == [True, True, True, False, False]  # vital few


def test_bad_chart_input() -> None:
    with pytest.raises(InvalidInputError):
        trend_chart([])
    with pytest.raises(InvalidInputError):
        trend_chart([_series([1, 2]), _series([1])])
    with pytest.raises(InvalidInputError):
        trend_chart(_series([1]), fmt="gif")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        trend_chart(_series([1]), width=0)
    with pytest.raises(InvalidInputError):
        pareto_chart([])


def test_charts_label_what_they_count() -> None:
    series = Series(key=None, period=Period.MONTH, points=[Point(start=date(2024, 1, 1), count=3)])
    svg = trend_chart(series, ylabel="faults opened").decode()
    assert "faults opened" in svg
    assert "feedback items" not in svg
    rows = [ParetoRow(key="db", count=3, share=100.0, cumulative=100.0, vital=True)]
    svg = pareto_chart(rows, ylabel="faults").decode()
    assert "faults" in svg
    assert "feedback items" not in svg
    assert "feedback items" in pareto_chart(rows).decode()  # the default is unchanged
    with pytest.raises(InvalidInputError, match="ylabel"):
        pareto_chart(rows, ylabel=" ")


def test_report_pareto_keeps_the_top_categories_and_one_other_bar() -> None:
    from faultkit.cli.report import PARETO_TOP, pareto_rows

    ranked = [(f"Category {i}", 100 - i) for i in range(29)]
    rows = pareto_rows(ranked)
    assert len(rows) == PARETO_TOP + 1
    assert [r.key for r in rows[:PARETO_TOP]] == [key for key, _c in ranked[:PARETO_TOP]]
    other = rows[-1]
    assert other.key == f"other ({29 - PARETO_TOP})"
    assert other.count == sum(count for _k, count in ranked[PARETO_TOP:])
    assert not other.vital
    assert other.cumulative == pytest.approx(100.0)
    assert len(pareto_rows(ranked[:5])) == 5  # few categories: no "other" bar
