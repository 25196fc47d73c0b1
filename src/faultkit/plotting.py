"""Shared matplotlib plumbing for PNG and SVG pictures: loading, fonts, glyph checks, saving.

Used by the feedback charts (:mod:`faultkit.feedback.charts`) and the RCA pictures
(:mod:`faultkit.rca.png`). Needs the ``plot`` extra, matplotlib (``pip install
".[plot]"`` in a clone of faultkit); :func:`load_matplotlib` raises :class:`ImportError`
saying so. Importing this module does not import matplotlib.

**Labels in any script.** A PNG draws the glyphs itself: text is set in DejaVu Sans
(Latin, Greek, Cyrillic, Arabic, Hebrew...) with, as per-glyph fallbacks, the CJK fonts
found on the machine (:data:`CJK_FONTS`, first found first), then the fonts of other
scripts DejaVu lacks (:data:`SCRIPT_FONTS`: Thai, Lao, Khmer, Myanmar, Indic).
:func:`check_glyphs` refuses text holding characters no available font has, with
:class:`~faultkit.errors.MissingGlyphsError` naming them and the Debian package of a
font for their script (:data:`FONT_PACKAGES`), rather than letting matplotlib draw
empty boxes; :func:`check_shaping` refuses right-to-left and Indic text when matplotlib
is older than 3.11 and would draw it left to right with unjoined letters.
"""

from __future__ import annotations

import contextlib
import functools
import io
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from faultkit import _validators as v
from faultkit.errors import InvalidInputError, MissingGlyphsError

__all__ = [
    "BASE_FONT",
    "CJK_FONTS",
    "FONT_PACKAGES",
    "OTHER_FONT_PACKAGES",
    "SCRIPT_FONTS",
    "SHAPED_SCRIPTS",
    "check_glyphs",
    "check_shaping",
    "cluster_boundary",
    "font_families",
    "load_matplotlib",
    "plot_style",
    "save_figure",
    "text_shaping",
]

CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Arial Unicode MS",
)
"""Font families tried, in order, for glyphs DejaVu Sans lacks (Chinese, Japanese)."""

SCRIPT_FONTS: tuple[str, ...] = (
    # Thai: Noto, the TLWG fonts of Linux distributions, Windows, macOS
    "Noto Sans Thai",
    "Noto Sans Thai UI",
    "Loma",
    "Garuda",
    "Waree",
    "Umpush",
    "Norasi",
    "Leelawadee UI",
    "Tahoma",
    "Thonburi",
    # Lao, Khmer, Myanmar, Devanagari and other Indic scripts
    "Noto Sans Lao",
    "Phetsarath OT",
    "Noto Sans Khmer",
    "Khmer OS",
    "Noto Sans Myanmar",
    "Padauk",
    "Noto Sans Devanagari",
    "Lohit Devanagari",
    "Nirmala UI",
    "Kohinoor Devanagari",
)
"""Font families tried, in order, after :data:`CJK_FONTS`, for the glyphs of the other
scripts DejaVu Sans lacks: Thai (first found on Thai reviews), Lao, Khmer, Myanmar,
Devanagari."""

FONT_PACKAGES: Mapping[str, str] = {
    "CJK": "fonts-noto-cjk or fonts-wqy-microhei",
    "HIRAGANA": "fonts-noto-cjk or fonts-wqy-microhei",
    "KATAKANA": "fonts-noto-cjk or fonts-wqy-microhei",
    "HANGUL": "fonts-noto-cjk or fonts-wqy-microhei",
    "THAI": "fonts-thai-tlwg or fonts-noto-core",
    "LAO": "fonts-noto-core or fonts-lao",
    "KHMER": "fonts-noto-core or fonts-khmeros",
    "MYANMAR": "fonts-noto-core or fonts-sil-padauk",
    "DEVANAGARI": "fonts-noto-core or fonts-lohit-deva",
}
"""The Debian packages of a font for a script, keyed by the first word of the Unicode
names of its characters (``THAI CHARACTER KO KAI``); a script not listed gets
:data:`OTHER_FONT_PACKAGES`."""

OTHER_FONT_PACKAGES = "fonts-noto-core, fonts-noto-extra or fonts-noto-cjk"
"""The packages :class:`~faultkit.errors.MissingGlyphsError` names for a script that
:data:`FONT_PACKAGES` does not list."""

SHAPED_SCRIPTS: tuple[tuple[int, int], ...] = (
    (0x0590, 0x08FF),  # Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic
    (0x0900, 0x0DFF),  # Devanagari and the other Indic scripts, Sinhala
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0xFB1D, 0xFDFF),  # Hebrew and Arabic presentation forms A
    (0xFE70, 0xFEFF),  # Arabic presentation forms B
)
"""Code point ranges of the scripts a PNG draws right only with text shaping (right to
left, joined letters, reordered vowel signs): matplotlib does it from 3.11 (libraqm),
earlier versions draw Arabic and Hebrew left to right with unjoined letters."""

BASE_FONT = "DejaVu Sans"
"""The first font family of every picture (matplotlib ships it)."""

# File names of the fallback fonts, to register those installed after matplotlib built
# its font cache.
_FALLBACK_FILES = (
    "notosanscjk",
    "sourcehansans",
    "wqy-microhei",
    "wqy-zenhei",
    "droidsansfallback",
    "notosansthai",
    "notosanslao",
    "notosanskhmer",
    "notosansmyanmar",
    "notosansdevanagari",
    "/tlwg/",
    "loma",
    "garuda",
    "padauk",
    "khmeros",
    "lohit-devanagari",
)


def load_matplotlib(user: str) -> tuple[Any, Any]:
    """``(matplotlib, Figure)``, or :class:`ImportError` naming ``user`` and the extra."""
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            f"{user} needs matplotlib: install faultkit[plot] "
            "(pip install '.[plot]' in a clone of faultkit)"
        ) from exc
    return matplotlib, Figure


@functools.cache
def _fonts() -> tuple[tuple[str, frozenset[int]], ...]:
    """(family, code points) of DejaVu Sans and of each CJK font found, in fallback order."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    manager = font_manager.fontManager
    registered = {entry.fname for entry in manager.ttflist}
    # Fonts installed after matplotlib built its cache: register them by file name.
    for path in font_manager.findSystemFonts():
        if path not in registered and any(
            part in path.lower().replace("_", "") for part in _FALLBACK_FILES
        ):
            with contextlib.suppress(Exception):
                manager.addfont(path)
    known = {entry.name for entry in manager.ttflist}
    found = []
    for family in (BASE_FONT, *CJK_FONTS, *SCRIPT_FONTS):
        if family not in known:
            continue
        path = font_manager.findfont(
            font_manager.FontProperties(family=family), fallback_to_default=False
        )
        found.append((family, frozenset(FT2Font(path).get_charmap())))
    return tuple(found)


def font_families() -> tuple[str, ...]:
    """The font families a picture is set in: DejaVu Sans, then the fallbacks found."""
    return tuple(family for family, _codes in _fonts()) or (BASE_FONT,)


def _texts(texts: Iterable[str]) -> tuple[str, ...]:
    items = v.items_of("texts", texts)
    for index, text in enumerate(items):
        if type(text) is not str:
            raise InvalidInputError(f"texts[{index}]", text, "expected a string")
    return items


def check_glyphs(texts: Iterable[str], *, what: str = "a PNG chart") -> None:
    """Refuse texts holding characters no available font has.

    Raises:
        MissingGlyphsError: naming the characters (the first 20) and what to install.
        InvalidInputError: ``texts`` is not a collection of strings.
    """
    texts = _texts(texts)
    covered = [codes for _family, codes in _fonts()]
    missing = sorted(
        {
            char
            for text in texts
            for char in text
            if not char.isspace() and not any(ord(char) in codes for codes in covered)
        }
    )
    if missing:
        shown = "".join(missing[:20])
        packages = dict.fromkeys(
            FONT_PACKAGES.get(unicodedata.name(char, "?").split()[0], OTHER_FONT_PACKAGES)
            for char in missing
        )
        raise MissingGlyphsError(
            shown,
            f"no installed font draws these characters in {what}: install a font that "
            f"has them (Debian: apt-get install {'; '.join(packages)}), or draw it as SVG",
        )


# Thai and Lao vowels written before the consonant they follow in speech (เ แ โ ใ ไ).
_PREPOSED = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")


def cluster_boundary(text: str, at: int) -> int:
    """Where ``text`` may be cut or broken at ``at`` or before it, for a label.

    Rule: never before a combining mark (a Thai vowel sign or tone mark, an accent, a
    Japanese voicing mark: it belongs to the letter before it), nor just after a Thai
    or Lao vowel written before its consonant (``เ``, ``แ``, ``โ``, ``ใ``, ``ไ``). ``at``
    is moved back to the first such place; when there is none after the start of
    ``text``, ``at`` is returned as it is (a letter with marks wider than a line is cut
    inside).

    Example:
        >>> text = "สั่งซื้อ"  # "buy": ส ั ่ ง ซ ื ้ อ, marks on ส and on ซ
        >>> [cluster_boundary(text, at) for at in range(4, 9)]
        [4, 4, 4, 7, 8]
        >>> cluster_boundary("ไม่ได้", 4)  # not after ไ: before it
        3
    """
    cut = at
    while 0 < cut < len(text) and (
        unicodedata.category(text[cut]).startswith("M") or text[cut - 1] in _PREPOSED
    ):
        cut -= 1
    return cut or at


def text_shaping() -> bool:
    """Whether the installed matplotlib shapes text (3.11 and later: libraqm, HarfBuzz)."""
    from matplotlib import ft2font

    return hasattr(ft2font, "__libraqm_version__")


def check_shaping(texts: Iterable[str], *, what: str = "a PNG chart") -> None:
    """Refuse texts in a script that needs shaping (:data:`SHAPED_SCRIPTS`: Arabic,
    Hebrew, Indic...) when the installed matplotlib does not shape text.

    Raises:
        MissingGlyphsError: naming the characters (the first 20), matplotlib 3.11 and SVG.
        InvalidInputError: ``texts`` is not a collection of strings.
    """
    texts = _texts(texts)
    needs = sorted(
        {
            char
            for text in texts
            for char in text
            if any(low <= ord(char) <= high for low, high in SHAPED_SCRIPTS)
        }
    )
    if needs and not text_shaping():
        raise MissingGlyphsError(
            "".join(needs[:20]),
            f"this matplotlib cannot shape these characters in {what} (it would draw them "
            "left to right, unjoined): install matplotlib 3.11 or later, or draw it as SVG",
        )


@contextlib.contextmanager
def plot_style(
    matplotlib: Any, *, png: bool, texts: Iterable[str], what: str = "a PNG chart"
) -> Iterator[None]:
    """The settings a picture is built and saved under (fonts resolve at creation).

    For a PNG, the texts are checked first (:func:`check_glyphs`, :func:`check_shaping`).
    """
    if png:
        texts = list(texts)
        check_glyphs(texts, what=what)
        check_shaping(texts, what=what)
    settings = {
        "svg.hashsalt": "faultkit",
        "svg.fonttype": "none",
        "font.family": list(font_families()),
    }
    with matplotlib.rc_context(settings):
        yield


def save_figure(figure: Any, fmt: str, dpi: float) -> bytes:
    """``figure`` as ``fmt`` (``"png"`` or ``"svg"``) bytes, without a date or software tag."""
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    figure.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
    return buffer.getvalue()
