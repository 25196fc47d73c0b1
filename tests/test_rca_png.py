"""RCA pictures as PNG through the plot extra: the SVG's layout, fonts checked."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faultkit.errors import DiagramTooLargeError, FaultkitError, MissingGlyphsError
from faultkit.rca import (
    DiagramStyle,
    Fishbone,
    FishboneCause,
    FiveWhys,
    WhyStep,
    fishbone_layout,
    five_whys_layout,
)

pytest.importorskip("matplotlib", reason="PNG pictures need the plot extra (matplotlib)")

from matplotlib import image

from faultkit.plotting import CJK_FONTS, font_families
from faultkit.rca.png import MAX_PNG_SIDE, TEXT_SETTINGS, fishbone_png, five_whys_png
from faultkit.rca.textfit import text_width

TREE = FiveWhys(
    id="w1",
    problem="Printer stops mid-job",
    steps=[
        WhyStep(id="s1", answer="Paper jam in tray 2"),
        WhyStep(id="s2", parent="s1", answer="Worn feed roller"),
    ],
)
FISH = Fishbone(
    id="f1",
    effect="Printer stops",
    categories=["Machine", "Method"],
    causes=[FishboneCause(id="c1", text="Worn roller", category="Machine")],
)


def _pixels(png: bytes) -> tuple[int, int]:
    array = image.imread(io.BytesIO(png), format="png")
    return array.shape[1], array.shape[0]


@pytest.mark.parametrize("dpi", [100.0, 200.0])
def test_the_png_has_the_layout_size_scaled_by_dpi(dpi: float) -> None:
    for png, layout in (
        (five_whys_png(TREE, dpi=dpi), five_whys_layout(TREE)),
        (fishbone_png(FISH, dpi=dpi), fishbone_layout(FISH)),
    ):
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = _pixels(png)
        assert abs(width - layout.width * dpi / 100) <= 1
        assert abs(height - layout.height * dpi / 100) <= 1


def test_boxes_are_drawn_where_the_layout_puts_them() -> None:
    layout = five_whys_layout(TREE)
    array = image.imread(io.BytesIO(five_whys_png(TREE)), format="png")
    problem = layout.boxes[0]
    # the problem box is filled light blue (#e3ecfa); the page around it is white
    inside = array[int(problem.y + problem.height - 3), int(problem.x + 3)][:3]
    assert inside.tolist() == pytest.approx([0xE3 / 255, 0xEC / 255, 0xFA / 255], abs=0.02)
    outside = array[int(problem.bottom + 6), int(problem.x + 3)][:3]
    assert outside.tolist() == pytest.approx([1.0, 1.0, 1.0], abs=0.02)


def test_characters_no_font_has_refuse_the_png() -> None:
    hieroglyphs = "\U00013000\U00013001"
    tree = FiveWhys(id="w", problem=hieroglyphs)
    with pytest.raises(MissingGlyphsError) as info:
        five_whys_png(tree)
    assert info.value.characters == hieroglyphs
    assert "an RCA picture" in str(info.value)
    assert isinstance(info.value, FaultkitError)


def test_chinese_labels_draw_when_a_cjk_font_is_installed() -> None:
    if not set(font_families()).intersection(CJK_FONTS):
        pytest.skip("no CJK font on this machine (Debian: fonts-noto-cjk or fonts-wqy-microhei)")
    tree = FiveWhys(id="w", problem="打印机卡纸", steps=[WhyStep(id="s", answer="进纸辊磨损")])
    assert five_whys_png(tree).startswith(b"\x89PNG")


def test_an_image_past_the_renderer_limit_is_refused() -> None:
    wide = DiagramStyle(font_size=13, label_width=MAX_PNG_SIDE)
    tree = FiveWhys(id="w", problem="x" * 5_000)
    with pytest.raises(DiagramTooLargeError, match="MAX_PNG_SIDE"):
        five_whys_png(tree, style=wide)


RANGES = (
    (0x20, 0x7F),  # ASCII
    (0xA0, 0x250),  # Latin-1, Latin Extended-A and -B
    (0x370, 0x500),  # Greek, Cyrillic
    (0x590, 0x700),  # Hebrew, Arabic
    (0x2000, 0x2800),  # punctuation, arrows, maths, boxes, shapes, symbols, dingbats
    (0x3000, 0x3040),  # CJK punctuation
    (0x4E00, 0x5000),  # CJK ideographs (a sample)
    (0xAC00, 0xAD00),  # Hangul (a sample)
    (0xFF00, 0xFFF0),  # fullwidth forms
)


@pytest.mark.parametrize("size", [9.0, 13.0, 20.0])
def test_every_character_a_font_has_is_estimated_at_least_as_wide(
    measure: Any, size: float
) -> None:
    """Character by character, the estimate is never under the width matplotlib draws."""
    from faultkit.plotting import check_glyphs

    short = []
    for low, high in RANGES:
        for code in range(low, high):
            char = chr(code)
            try:
                check_glyphs([char])
            except MissingGlyphsError:
                continue  # no installed font has it: the PNG refuses it
            real = measure(char * 10, size) / 10
            if real > text_width(char, size) + 0.01:
                short.append((f"U+{code:04X}", round(real / size, 3)))
    assert short == []


ALPHABETS = {
    "ascii": "".join(chr(c) for c in range(32, 127)),
    "latin": "ÄÖÜßéèàçñøåæœłŁčšžğışİĞ",
    "greek-cyrillic": "αβγδεζηθλμπσωΩΣΔПриветмирЖЩЫЮЯ",
    "hebrew-arabic": "שלוםעולםمرحبابالعالم",
    "punctuation": "\u2026\u2014\u2013\u201c\u201d\u2018\u2019«»•·°±\u00d7÷✓✗",
    "cjk": "数据库连接池在高峰期耗尽日本語のテキスト한국어텍스트ＡＢＣ全角，。！",
}


@pytest.fixture(scope="module")
def measure() -> Any:
    """The real width in pixels of a text at a font size, as the PNG draws it."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    from faultkit.plotting import plot_style

    with plot_style(matplotlib, png=False, texts=[]), matplotlib.rc_context(TEXT_SETTINGS):
        renderer = FigureCanvasAgg(Figure(dpi=100)).get_renderer()
        families = list(font_families())

        def width(text: str, size: float = 13.0) -> float:
            prop = FontProperties(family=families, size=size * 0.72)
            found = renderer.get_text_width_height_descent(text, prop, ismath=False)
            return float(found[0])

        yield width


@pytest.mark.parametrize("name", sorted(ALPHABETS))
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_estimated_widths_are_at_least_the_real_ones(measure: Any, name: str, data: Any) -> None:
    """The layout's width estimate never falls short of the width matplotlib draws."""
    if name == "cjk" and not set(font_families()).intersection(CJK_FONTS):
        pytest.skip("no CJK font on this machine")
    text = data.draw(st.text(alphabet=ALPHABETS[name], min_size=1, max_size=40))
    assert measure(text) <= text_width(text, 13.0) + 1.0, text
