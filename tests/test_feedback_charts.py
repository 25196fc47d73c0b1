"""Charts (the ``plot`` extra): the picture is checked, bar by bar, in the SVG output."""

from __future__ import annotations

import io
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from faultkit.errors import FaultkitError, InvalidInputError, MissingGlyphsError
from faultkit.feedback import Period, Point, Series, pareto, spikes

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


def _cjk_font_installed() -> bool:
    from matplotlib import font_manager

    from faultkit.feedback.charts import CJK_FONTS

    pareto_chart(pareto({"x": 1}), fmt=ChartFormat.PNG, dpi=10)  # registers fonts found
    return bool({e.name for e in font_manager.fontManager.ttflist}.intersection(CJK_FONTS))


def test_cjk_labels_are_drawn_in_png_and_kept_as_text_in_svg() -> None:
    counts = {"送餐慢": 30, "味道差": 20, "defect": 10}
    svg = pareto_chart(pareto(counts), title="外卖反馈")
    for label in ("送餐慢", "味道差", "外卖反馈"):
        assert label.encode() in svg  # text, for the viewer's fonts to draw
    if not _cjk_font_installed():
        if os.environ.get("CI"):
            pytest.fail("CI installs a CJK font (.ci/run): none was found")
        pytest.skip("no CJK font on this machine (Debian: fonts-noto-cjk or fonts-wqy-microhei)")

    def one_label(text: str) -> bytes:
        return pareto_chart(pareto({text: 5}), fmt=ChartFormat.PNG, dpi=50)

    # A missing glyph is drawn as the same empty box whatever the character: two
    # different labels giving the same picture would mean boxes.
    assert one_label("送餐慢") != one_label("味道差")
    assert one_label("送餐慢") != one_label("送餐快")


def _font_has(text: str) -> bool:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    return any(
        all(ord(c) in FT2Font(entry.fname).get_charmap() for c in text if not c.isspace())
        for entry in font_manager.fontManager.ttflist
        if entry.fname.lower().endswith((".ttf", ".otf"))
    )


def test_thai_labels_draw_with_a_thai_font_and_the_hint_names_one() -> None:
    # Found on Thai social-media reviews (wisesight): DejaVu and the CJK fonts have no
    # Thai; a Thai font installed (Debian fonts-thai-tlwg: Loma, Garuda...) is a fallback.
    thai = {"ส่งของช้ามาก": 12, "หน้าจอแตก": 7}
    pareto_chart(pareto({"x": 1}), fmt=ChartFormat.PNG, dpi=10)  # registers fonts found
    if not _font_has("ส่งของช้ามากหน้าจอแตก"):
        with pytest.raises(MissingGlyphsError) as info:
            pareto_chart(pareto(thai), fmt=ChartFormat.PNG)
        assert "fonts-thai-tlwg" in str(info.value)
        pytest.skip("no Thai font on this machine (Debian: fonts-thai-tlwg)")

    def one_label(text: str) -> bytes:
        return pareto_chart(pareto({text: 5}), fmt=ChartFormat.PNG, dpi=50)

    assert pareto_chart(pareto(thai), fmt=ChartFormat.PNG).startswith(b"\x89PNG")
    # different labels, different pictures: no empty boxes
    assert one_label("ส่งของช้า") != one_label("หน้าจอแตก")


def test_a_long_thai_label_is_cut_between_letters_not_inside_one() -> None:
    # Cut at 23 code points, "...ที่สั่งซื้อ" lost the vowel sign and tone mark of ซ, and
    # "เครื่องพิมพ์" its last mark; cut between letters, no mark is lost or alone.
    not_received = "ไม่ได้รับสินค้าที่สั่งซื้อภายในเวลาที่กำหนดไว้"
    jams = "เครื่องพิมพ์กระดาษติดบ่อยมากทุกครั้งที่พิมพ์"
    svg = pareto_chart(pareto({not_received: 9, jams: 5, jams[:-5] + "สแกน": 4}))
    assert "ไม่ได้รับสินค้าที่สั่ง\u2026".encode() in svg
    assert "เครื่องพิม\u2026".encode() in svg  # the label alike up to the cut keeps its end
    labels = re.findall("([^<>]*)\u2026([^<>]*)<", svg.decode())
    assert labels
    for head, tail in labels:
        assert not (tail and unicodedata.category(tail[0]).startswith("M"))
        assert not (head and head[-1] in "\u0e40\u0e41\u0e42\u0e43\u0e44")


def test_right_to_left_and_indic_labels_need_a_matplotlib_that_shapes_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Before matplotlib 3.11 (libraqm) a PNG drew Arabic and Hebrew left to right with
    # unjoined letters (matplotlib issue 30557): the chart is refused, not drawn wrong.
    from faultkit import plotting

    arabic = {"التوصيل بطيء": 5, "late": 2}
    monkeypatch.setattr(plotting, "text_shaping", lambda: False)
    with pytest.raises(MissingGlyphsError) as info:
        pareto_chart(pareto(arabic), fmt=ChartFormat.PNG)
    assert "matplotlib 3.11" in str(info.value)
    assert set(info.value.characters) <= set("التوصيل بطيء")
    with pytest.raises(MissingGlyphsError):
        plotting.check_shaping(["המשלוח איטי"])
    plotting.check_shaping(["送餐慢", "late", "ส่งของช้า", "Привет"])  # no shaping needed
    assert "التوصيل".encode() in pareto_chart(pareto(arabic))  # SVG: the viewer shapes
    monkeypatch.setattr(plotting, "text_shaping", lambda: True)
    plotting.check_shaping(["التوصيل بطيء", "המשלוח איטי"])
    for junk in ("label", 5, [b"x"], {"a": 1}):
        for check in (plotting.check_shaping, plotting.check_glyphs):
            with pytest.raises(InvalidInputError):
                check(junk)  # type: ignore[arg-type]


def test_characters_no_font_has_refuse_the_png_not_the_svg() -> None:
    hieroglyphs = "\U00013000\U00013001"
    with pytest.raises(MissingGlyphsError) as info:
        trend_chart(_series([1, 2], key=hieroglyphs), fmt=ChartFormat.PNG)
    assert info.value.characters == hieroglyphs
    assert "fonts-noto-cjk" in str(info.value)
    assert isinstance(info.value, FaultkitError)
    assert hieroglyphs.encode() in trend_chart(_series([1, 2], key=hieroglyphs))


def test_the_y_axis_names_what_is_counted() -> None:
    assert b">feedback items<" in trend_chart(_series([1, 2]))
    assert b">faults<" in trend_chart(_series([1, 2]), unit="faults")
    assert b">feedback items<" not in trend_chart(_series([1, 2]), unit="faults")
    assert b">faults<" in pareto_chart(pareto({"a": 1}), unit="faults")
    with pytest.raises(InvalidInputError):
        trend_chart(_series([1]), unit=" ")


def test_a_pareto_of_29_categories_draws_the_top_and_other() -> None:
    counts = {f"component number {i:02d} of the plant": 100 - i for i in range(29)}
    rows = pareto(counts)
    svg = pareto_chart(rows, unit="faults")
    groups = _groups(svg)
    bars = sorted(key for key in groups if key.startswith("bar:"))
    assert len(bars) == 10
    assert "bar:other (20)" in groups
    heights = {key: _box(groups[key])[3] - _box(groups[key])[1] for key in bars}
    unit = heights[f"bar:{rows[0].key}"] / rows[0].count
    assert heights["bar:other (20)"] == pytest.approx(
        sum(r.count for r in rows[9:]) * unit, rel=1e-4
    )
    # long labels are shortened with an ellipsis, never overlapping the next bar's
    assert "component number 00 of\u2026".encode() in svg
    assert len(_groups(pareto_chart(rows, top=30))) > len(groups)
    with pytest.raises(InvalidInputError):
        pareto_chart(rows, top=1)


def test_pareto_labels_cut_alike_are_told_apart() -> None:
    """Two components equal up to the cut get distinct labels: beginning and end kept."""
    counts = {
        "Department of Housing Preservation and Development": 9,
        "Department of Housing Preservation and Dev. (HPD)": 5,
        "Department of Housing Preservation and Dev. (HPE)": 2,
        "DOT": 1,
    }
    svg = pareto_chart(pareto(counts), unit="faults")
    assert "Department\u2026Development".encode() in svg
    assert "Department\u2026d Dev. (HPD)".encode() in svg
    assert "Department\u2026d Dev. (HPE)".encode() in svg
    assert svg.count("Department of Housing P\u2026".encode()) == 0
