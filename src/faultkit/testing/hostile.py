"""Hostile text shapes, and how a text function's time grows with them.

A regular expression with a part that can match the same text two ways, or that can
start at every position of a long run and scan to its end, takes time quadratic (or
worse) in its input: 100 kB of ``a`` took ``privacy.scrub`` 43 s. The shapes below are
those that expose it: long runs of one character class (letters, ``@``, ``.``, digits,
spaces), runs of two classes alternating (``a@``, ``1.``), CJK text mixed with ASCII,
nested brackets and repeated entity prefixes (``http://``, ``#``). :func:`growth_ratio`
times a function on a text of each shape at two sizes; linear time gives about the
size ratio (10x for 2 kB against 20 kB), quadratic time its square.

Use it on your own text functions and classification rules as faultkit's tests do::

    from faultkit.testing.hostile import worst_growth
    shape, ratio = worst_growth(my_function)
    assert ratio < 25, shape
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Mapping

__all__ = ["HOSTILE_UNITS", "growth_ratio", "hostile_text", "worst_growth"]

HOSTILE_UNITS: Mapping[str, str] = {
    "letters": "a",
    "at signs": "@",
    "dots": ".",
    "digits": "1",
    "spaces": " ",
    "newlines": "\n",
    "letter-at": "a@",
    "letter-dot": "a.",
    "digit-dot": "1.",
    "digit-space": "1 ",
    "digit-dash": "1-",
    "letter-at-letter-dot": "a@a.",
    "plus-digits": "+1",
    "words": "how why ",
    "question lines": "how\n",
    "hash": "#",
    "hash-letter": "#a",
    "url prefix": "http://",
    "www": "www.",
    "apostrophes": "a'",
    "letter-mark": "\u0939\u093f",  # a Devanagari letter and its vowel sign
    "cjk": "中文",
    "cjk-ascii": "中a1.@",
    "cjk-digits": "电话1",
    "brackets": "([{<",
    "nested": "(((a)))",
    "email-no-tld": "aaaaaaaa@bbbbbbbb ",
    "phone-like": "(1) 1-1.",
    "dates": "01/02/",
    "full-width letter-at-letter-dot": "\uff41\uff20\uff41\uff0e",
    "full-width digit-space": "\uff11 ",
    "contrast markers": "good, but ",
    "negated terms": "不不好吃",
    "hedged terms": "very not a bit ",
    "mixed script": "a\u0441",  # Latin a, Cyrillic es: one long word to make Latin
    "mixed words": "a\u0441 ",  # many short ones
    "zero-width digits": "1\u200b",  # digits split by zero-width spaces
    "accented-at": "\u00e9@",  # a local part beyond ASCII, no domain
    "cjk-at-dot": "\u4e2d\u6587@a.",  # a Chinese name and an @, no top-level domain
    "resident ids": "11010519491231002X\u8eab",  # valid Chinese resident ID numbers
    # scripts the package was not built for (measured on Japanese, Korean, Thai reviews)
    "thai": "ครับ",
    "thai-marks": "กิ่",
    "kana": "ですます",
    "hangul-number": "20년 ",
    "hangul-glued": "1가",
}
"""Each shape's repeating unit; :func:`hostile_text` repeats it to the size asked."""


def hostile_text(shape: str, size: int) -> str:
    """``size`` characters of the shape named ``shape`` (a key of :data:`HOSTILE_UNITS`)."""
    unit = HOSTILE_UNITS[shape]
    return (unit * (size // len(unit) + 1))[:size]


def _best_time(fn: Callable[[str], object], text: str, loops: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.disable()  # no gc.collect(): it would cost more than the calls timed
        try:
            start = time.process_time()
            for _ in range(loops):
                fn(text)
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def _quiet(fn: Callable[[str], object]) -> Callable[[str], object]:
    """``fn``, with a ``ValueError`` (refused input) counted as a result."""

    def call(text: str) -> object:
        try:
            return fn(text)
        except ValueError as exc:
            return exc

    return call


def growth_ratio(
    fn: Callable[[str], object],
    shape: str,
    *,
    small: int = 2_000,
    large: int = 20_000,
    repeat: int = 3,
    min_seconds: float = 0.002,
) -> float:
    """Time of ``fn`` on ``large`` characters of ``shape`` over its time on ``small``.

    Each size is timed best of ``repeat``, over enough calls that the small text takes
    at least ``min_seconds`` (the same number of calls for both sizes); a ``ValueError``
    the function raises (input refused) counts as its result.
    """
    call = _quiet(fn)
    short, long = hostile_text(shape, small), hostile_text(shape, large)
    loops = 1
    while _best_time(call, short, loops, 1) < min_seconds and loops < 1 << 16:
        loops *= 2
    return _best_time(call, long, loops, repeat) / _best_time(call, short, loops, repeat)


def worst_growth(
    fn: Callable[[str], object],
    *,
    small: int = 2_000,
    large: int = 20_000,
    repeat: int = 3,
    min_seconds: float = 0.002,
    shapes: Mapping[str, str] = HOSTILE_UNITS,
) -> tuple[str, float]:
    """The shape on which ``fn``'s time grows the most, and its :func:`growth_ratio`."""
    ratios = {
        shape: growth_ratio(
            fn, shape, small=small, large=large, repeat=repeat, min_seconds=min_seconds
        )
        for shape in shapes
    }
    worst = max(ratios, key=ratios.__getitem__)
    return worst, ratios[worst]
