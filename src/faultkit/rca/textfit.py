"""Fitting label text into boxes: estimated glyph widths, wrapping, shortening.

The pictures are laid out without a font engine, so text widths are *estimated*, on
the safe side, from a table of advances in em (the font size) for DejaVu Sans, the
first font of every picture:

- ASCII counts its class width from :data:`ASCII_ADVANCES` (rounded up from DejaVu
  Sans' own advances);
- East Asian wide and fullwidth characters (Chinese, Japanese, Korean; Unicode
  ``East_Asian_Width`` W or F) count a full em;
- letters of Latin-1, Latin Extended-A, basic Greek and basic Cyrillic count 0.8 em,
  except the wide ones of :data:`WIDE_LETTERS` (1.1 em);
- combining marks count 0.12 em (matplotlib gives them an advance of their own) and
  invisible format characters (zero-width joiners, bidi marks) nothing;
- everything else (Hebrew, Arabic, symbols, emoji...) counts 1.2 em, except the few
  characters of :data:`OTHER_ADVANCES`, drawn wider.

The test suite checks the estimate against the widths matplotlib draws with the
installed fonts (unhinted, as :mod:`faultkit.rca.png` draws), character by character
over those ranges and at several font sizes.

An estimate at or above the real width means text never runs out of its box, in the
SVG (drawn by the viewer's fonts) or in the PNG (drawn by matplotlib with DejaVu Sans
and the CJK fonts of :mod:`faultkit.plotting`).

Before measuring, a label is cleaned for drawing: characters XML 1.0 forbids
(control characters, lone surrogates, U+FFFE/U+FFFF) are dropped, explicit bidi
embeddings, overrides and isolates are dropped (each line of a picture is laid out
on its own; an override left open would reorder what follows), and runs of
whitespace, line breaks included, become one space (no-break spaces stay, and
lines never break at them).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from faultkit.plotting import cluster_boundary

__all__ = [
    "ASCII_ADVANCES",
    "OTHER_ADVANCES",
    "WIDE_LETTERS",
    "clean_label",
    "text_width",
    "wrap_label",
]

ASCII_ADVANCES: dict[str, float] = {
    **dict.fromkeys(" ", 0.33),
    **dict.fromkeys("!'(),-./:;I[]fijlrt|", 0.42),
    **dict.fromkeys('"*\\_`', 0.55),
    **dict.fromkeys("abcdeghknopqsuvxyz0123456789$?{}", 0.64),
    **dict.fromkeys("#+<=>~^", 0.84),
    **dict.fromkeys("ABCDEFGHJKLNOPQRSTUVXYZ&", 0.8),
    **dict.fromkeys("%@MWmw", 1.0),
}
"""Estimated advance of each printable ASCII character, in em (DejaVu Sans, rounded up)."""

WIDE_LETTERS = frozenset("ÆæŒœĦŴŵŉМЖШЩЮЉЊЫФЪмжшщюљњыфωώΜΉΏΌΎ")
"""Letters of the 0.8 em ranges that DejaVu Sans draws wider (counted 1.1 em)."""

OTHER_ADVANCES: dict[str, float] = {
    **dict.fromkeys("ǄǱ\u2031\u22d8\u22d9", 1.8),
    **dict.fromkeys("\u27f5\u27f6\u27f7\u27f8\u27f9\u27fa\u27fb\u27fc\u27fd\u27fe\u27ff", 1.45),
    **dict.fromkeys("\u2326\u2328\u232b\u2152", 1.45),
    **dict.fromkeys("ǅǲ\u2030\u260e\u260f\u20a7\u20af\u2167", 1.35),
    **dict.fromkeys("\u26a4ѨѼ\u2180\u2182", 1.25),
    **dict.fromkeys("\u0488\u0489", 0.55),
    "\u00a0": 0.33,  # a no-break space is as wide as a space
}
"""Characters DejaVu Sans draws wider than the rule for their class gives, in em."""

_EUROPEAN = ((0x00C0, 0x017F), (0x0386, 0x03CE), (0x0400, 0x045F))
_EUROPEAN_LETTER = 0.8
_WIDE_LETTER = 1.1
_WIDE = 1.0
_MARK = 0.12
_OTHER = 1.2
_ELLIPSIS = "\u2026"

# Characters XML 1.0 does not allow, and explicit bidi embeddings / overrides / isolates.
_DROP = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
_SPACES = re.compile(r"[^\S\u00a0]+")  # whitespace but no-break spaces


def clean_label(text: str) -> str:
    """``text`` ready to draw: forbidden and bidi-control characters dropped, spaces folded."""
    return _SPACES.sub(" ", _DROP.sub("", text)).strip()


@functools.lru_cache(maxsize=4096)
def _advance(char: str) -> float:
    found = ASCII_ADVANCES.get(char, OTHER_ADVANCES.get(char))
    if found is not None:
        return found
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return _WIDE
    category = unicodedata.category(char)
    if category in ("Mn", "Me"):
        return _MARK
    if category == "Cf" and not 0x0600 <= ord(char) <= 0x06FF:  # Arabic's are visible
        return 0.0
    code = ord(char)
    if category.startswith("L") and any(low <= code <= high for low, high in _EUROPEAN):
        return _WIDE_LETTER if char in WIDE_LETTERS else _EUROPEAN_LETTER
    return _OTHER


def text_width(text: str, font_size: float) -> float:
    """The estimated width of ``text`` in pixels at ``font_size`` (module docstring)."""
    return sum(_advance(char) for char in text) * font_size


def _breakable(char: str) -> bool:
    """Whether a line may break before or after ``char`` without a space (CJK)."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _is_mark(char: str) -> bool:
    """Whether ``char`` is a combining mark (a Thai vowel sign or tone mark, an accent,
    a Japanese voicing mark): it belongs to the character before it."""
    return unicodedata.category(char).startswith("M")


def _tokens(text: str) -> list[str]:
    """Words and spaces; each wide character is a word of its own (CJK breaks anywhere),
    with the combining marks that follow it."""
    tokens: list[str] = []
    word: list[str] = []
    for char in text:
        if not word and tokens and tokens[-1] != " " and _is_mark(char):
            tokens[-1] += char  # a mark after a wide character stays with it
        elif char == " " or _breakable(char):
            if word:
                tokens.append("".join(word))
                word = []
            tokens.append(char)
        else:
            word.append(char)
    if word:
        tokens.append("".join(word))
    return tokens


def _shorten(line: str, width: float, font_size: float) -> str:
    """``line`` cut so that it and an ellipsis fit in ``width``."""
    room = width - text_width(_ELLIPSIS, font_size)
    used = 0.0
    cut = 0
    for i, char in enumerate(line):
        used += _advance(char) * font_size
        if used > room:
            break
        cut = i + 1
    return line[: cluster_boundary(line, cut)].rstrip(" ") + _ELLIPSIS


def wrap_label(text: str, width: float, font_size: float, max_lines: int) -> tuple[str, ...]:
    """``text`` cleaned (:func:`clean_label`) and wrapped into lines at most ``width`` wide.

    Lines break at spaces, and anywhere between wide (CJK) characters; a word wider
    than ``width`` (a Thai phrase, written without spaces) is broken between
    characters, never before a combining mark nor after a preposed vowel (a Thai vowel
    sign or tone mark stays with its letter, ``เ`` with the consonant after it, unless
    these alone are wider than a line).
    Beyond ``max_lines`` the last line ends with an ellipsis. Every line's
    :func:`text_width` is at most ``width`` (``width`` must hold at least one wide
    character and the ellipsis). Stops reading once ``max_lines`` are full, so a 10 kB
    label costs no more than a short one.
    """
    tokens = _tokens(clean_label(text))
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    index = 0
    while index < len(tokens) and len(lines) < max_lines:
        token = tokens[index]
        size = text_width(token, font_size)
        if token == " " and not current:
            index += 1
        elif used + size <= width:
            current.append(token)
            used += size
            index += 1
        elif current:
            lines.append("".join(current).rstrip(" "))
            current, used = [], 0.0
        else:  # a word longer than a line: break it between characters
            taken, part = 0.0, 0
            for char in token:
                step = _advance(char) * font_size
                if taken + step > width and part:
                    break
                taken += step
                part += 1
            part = cluster_boundary(token, part)  # never between a letter and its marks
            lines.append(token[:part])
            rest = token[part:]
            if rest:
                tokens[index] = rest
            else:
                index += 1
    if current and len(lines) < max_lines:
        lines.append("".join(current).rstrip(" "))
        current = []
    truncated = bool(current) or any(t != " " for t in tokens[index:])
    if truncated and lines:
        lines[-1] = _shorten(lines[-1], width, font_size)
    return tuple(lines) or ("",)
