"""RCA pictures as PNG through the plot extra: the SVG's layout, fonts checked."""

from __future__ import annotations

import io

import pytest

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
from faultkit.rca.png import MAX_PNG_SIDE, fishbone_png, five_whys_png

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
