"""How rules find words in customer text, in any script, in time linear in the text.

Three kinds of condition, each compiled once when a classifier is made:

**Keywords** (:class:`KeywordMatcher`) are literal words or phrases. Text and keywords
are compared after :func:`faultkit.feedback.text.fold` (Unicode NFKC, case folding,
typographic apostrophes made ``'``; accents kept), with any run of white space between
the words of a phrase. Where a keyword begins or ends with a letter or digit of a
script written with spaces between words (Latin, Cyrillic, Greek, Hangul...), it
matches only as a whole word there: ``fire`` does not match ``firewall``. Where it
begins or ends with a character of a script written without spaces
(:data:`faultkit.feedback.text.UNSPACED`: Han, Hiragana, Katakana, Thai...), it
matches inside running text: ``问题`` is found in ``这个问题很严重``, where a ``\\b``
word boundary would fail (Han characters are word characters to ``\\b``).

**Exclusions** are phrases inside which a keyword does not count (product names and
idioms: ``fire tv``, ``security camera``, ``everyone loves``); **negators** are words
that cancel a keyword that follows them within two words, or within two characters for
scripts without spaces (``not broken``, ``never had a problem``, ``没有问题``,
``不太好吃``). Both are masked out of the text before the keywords are searched, so
``not broken, but it crashes`` still finds ``crashes``.

These three are regular expressions made by faultkit from escaped literals, with no
nested unbounded repetition: their time is linear in the text (tested on hostile text).

**Patterns** (:func:`compile_pattern`) are regular expressions a user writes, and rules
are data that can be stored and loaded, so a pattern is untrusted input. They run on
RE2 (the ``google-re2`` package), whose time is linear in the text for every pattern:
``(a+)+$`` takes microseconds, not the minutes Python's backtracking ``re`` takes. RE2
has no look-around and no back-references; a pattern using them is refused when the
rule is made, with an error naming the pattern.

RE2 reads UTF-8, which cannot carry a lone surrogate (``"\\ud800"``, left by text cut in
the middle of a UTF-16 pair or decoded with ``surrogateescape``). A pattern holding one
is refused; text holding one is searched with each lone surrogate read as U+FFFD (the
replacement character) and each split pair joined, as a UTF-16 decoder would.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import re2

from faultkit.errors import InvalidInputError
from faultkit.feedback.text import UNSPACED, fold

__all__ = ["KeywordMatcher", "Pattern", "compile_pattern", "phrase_pattern"]

_SPACED_WORD = f"[^\\W{UNSPACED}]"
_IS_SPACED_WORD = re.compile(_SPACED_WORD)
_RIGHT = f"(?!{_SPACED_WORD})"
"""The right edge of a phrase that ends in a letter or digit of a script with spaces."""
_MASK = " \u2063 "  # white space around an invisible separator: no keyword contains it
_PHRASE_GAP = r"\s+"
_SPACED_GAP = r"(?:\s+[\w'-]+?){0,2}?\s+"
_CJK_GAP = r"[^\W_]{0,2}?"


def _literal(phrase: str) -> str:
    """A regex for ``phrase`` (already folded): words joined by white space, edges bounded."""
    body = _PHRASE_GAP.join(re.escape(word) for word in phrase.split())
    left, right = _edges(phrase)
    return f"{left}{body}{right}"


def _edges(phrase: str) -> tuple[str, str]:
    """The look-arounds that bound ``phrase`` (already folded) as a whole word, where needed."""
    left = f"(?<!{_SPACED_WORD})" if _IS_SPACED_WORD.match(phrase[0]) else ""
    right = _RIGHT if _IS_SPACED_WORD.match(phrase[-1]) else ""
    return left, right


def _units(phrase: str) -> list[str]:
    """``phrase`` (folded) as regex units: each character escaped, a gap between words."""
    units: list[str] = []
    for number, word in enumerate(phrase.split()):
        if number:
            units.append(_PHRASE_GAP)
        units.extend(re.escape(char) for char in word)
    return units


_TRIE_DEPTH = 100
"""Phrases longer than this many units are joined as a plain alternation (no nesting)."""


def _alternatives(phrases: Sequence[str]) -> str:
    """One regex finding any of ``phrases``: the longest that matches at a place wins.

    Rule: the same matches as the alternation of every phrase, longest first (so that a
    phrase wins over a word it starts with), written as a trie: phrases that share a
    beginning share its regex, and at each branch the longer continuations are tried
    before the phrase that ends there. At a place in the text only one branch can go
    on (a character and a gap exclude each other, distinct characters too), so the
    first phrase the trie completes is the longest the alternation would have chosen.
    A phrase's edges (:func:`_edges`) depend only on its first and last characters,
    which the phrases meeting at a trie node share. ``re`` tries the one branch the
    next character allows instead of every phrase in turn: thousands of lexicon terms
    cost about what a few do, to compile and to search. Sets holding a phrase longer
    than :data:`_TRIE_DEPTH` units are joined plainly, longest first, so that the
    nesting stays shallow.
    """
    folded = sorted({fold(p).strip() for p in phrases} - {""}, key=len, reverse=True)
    if not folded or len(_units(folded[0])) > _TRIE_DEPTH:
        return "|".join(_literal(p) for p in folded)
    trie: dict[str | None, Any] = {}
    lefts: dict[str, str] = {}
    for phrase in folded:
        units = _units(phrase)
        left, right = _edges(phrase)
        lefts[units[0]] = left
        node = trie
        for unit in units:
            node = node.setdefault(unit, {})
        node[None] = right
    branches = []
    for first, below in trie.items():
        if first is not None:
            body, shared = _branch(below)
            branches.append(lefts[first] + first + body + (_RIGHT if shared else ""))
    return "|".join(branches)


def _branch(node: dict[str | None, Any]) -> tuple[str, bool]:
    """The regex of a trie node (longer continuations first, then its own end), and
    whether every phrase ending in it needs :data:`_RIGHT`, which is then left out.

    A right edge shared by every phrase below a node is written once after the node's
    group rather than after each phrase: the engine backtracks into the group to the
    next shorter phrase when the edge fails, as it would through the alternatives.
    That keeps the look-arounds few (``re`` takes about a millisecond to compile each,
    for the size of the character class), not one per phrase.
    """
    children = [(unit, *_branch(child)) for unit, child in node.items() if unit is not None]
    ends = [node[None]] if None in node else []
    shared = all(flag for _u, _b, flag in children) and all(end == _RIGHT for end in ends)
    if shared:
        parts = [unit + body for unit, body, _flag in children] + ["" for _end in ends]
    else:
        parts = [unit + body + (_RIGHT if flag else "") for unit, body, flag in children]
        parts += ends
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    return body, shared


def phrase_pattern(phrases: Sequence[str]) -> str:
    """A regular expression (``re`` syntax) that finds any of ``phrases`` in folded text.

    The phrases are folded and tried longest first, each as :class:`KeywordMatcher`
    finds a keyword: whole words in scripts written with spaces, anywhere in Chinese or
    Japanese, any white space between the words of a phrase. Escaped literals only, no
    nested repetition: linear in the text. Empty when no phrase is left.

    Example:
        >>> import re
        >>> re.findall(phrase_pattern(["slow", "太慢", "not slow"]), fold("Not slow! 送得太慢了"))
        ['not slow', '太慢']
    """
    return _alternatives(phrases)


class KeywordMatcher:
    """Finds any of a rule's keywords in folded text, minding exclusions and negators.

    Args:
        keywords: words or phrases; any one found is a match.
        exclude: phrases inside which a keyword does not count.
        negators: words that cancel a keyword following them closely (see the module).

    Example:
        >>> m = KeywordMatcher(["broken", "问题"], negators=["not", "没有"])
        >>> [m.search(fold(t)) for t in ("Not broken", "没有问题", "问题很大", "brokenness")]
        [False, False, True, False]
    """

    __slots__ = ("_keywords", "_mask")

    def __init__(
        self,
        keywords: Sequence[str],
        *,
        exclude: Sequence[str] = (),
        negators: Sequence[str] = (),
    ) -> None:
        words = _alternatives(keywords)
        self._keywords = re.compile(words) if words else None
        masks: list[str] = []
        excluded = _alternatives(exclude)
        if excluded:
            masks.append(excluded)
        if negators and words:
            spaced = [n for n in negators if _IS_SPACED_WORD.match(fold(n).strip()[-1:] or " ")]
            unspaced = [n for n in negators if n not in spaced and fold(n).strip()]
            for group, gap in ((spaced, _SPACED_GAP), (unspaced, _CJK_GAP)):
                if group:
                    masks.append(f"(?:{_alternatives(group)}){gap}(?:{words})")
        self._mask = re.compile("|".join(f"(?:{m})" for m in masks)) if masks else None

    def search(self, folded: str, times: int = 1) -> bool:
        """Whether keywords count at least ``times`` times in ``folded`` (text passed
        through :func:`fold`; occurrences do not overlap)."""
        if self._keywords is None or self._keywords.search(folded) is None:
            return False
        if self._mask is not None:
            folded = self._mask.sub(_MASK, folded)
        if times <= 1:
            return self._keywords.search(folded) is not None
        return any(
            count >= times for count, _match in enumerate(self._keywords.finditer(folded), 1)
        )


def _well_formed(text: str) -> str:
    """``text`` with surrogate pairs joined and lone surrogates made U+FFFD."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


class Pattern:
    """A user's regular expression compiled on RE2: linear time, any case.

    Made by :func:`compile_pattern`; ``search(text)`` says whether it is found.
    """

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str, compiled: Any) -> None:
        self.source = source
        self._compiled = compiled

    def search(self, text: str) -> bool:
        """Whether the pattern is found anywhere in ``text`` (lone surrogates read as U+FFFD)."""
        try:
            return self._compiled.search(text) is not None
        except UnicodeEncodeError:  # a surrogate: RE2 reads UTF-8 only
            return self._compiled.search(_well_formed(text)) is not None


def _options() -> Any:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    return options


_OPTIONS = _options()


def compile_pattern(pattern: str, *, field: str = "pattern") -> Pattern:
    """Compile a user's regular expression on RE2, or refuse it naming the pattern.

    The syntax is RE2's (Python's ``re`` without look-around, back-references,
    possessive quantifiers or atomic groups); matching ignores case.

    Args:
        pattern: the regular expression.
        field: the field name to report in the error.

    Raises:
        InvalidInputError: the pattern is not a string, holds a lone surrogate, or is
            not a regular expression RE2 accepts.

    Example:
        >>> compile_pattern("(a+)+$").search("a" * 10_000 + "!")
        False
        >>> compile_pattern(r"(?<!x)y")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        faultkit.errors.InvalidInputError: pattern: not a regular expression faultkit can run ...
    """
    if not isinstance(pattern, str):
        raise InvalidInputError(field, pattern, f"expected a string, not {type(pattern).__name__}")
    try:
        pattern.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInputError(
            field, pattern, f"holds a lone surrogate at position {exc.start}: not text"
        ) from None
    try:
        compiled = re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise InvalidInputError(
            field,
            pattern,
            "not a regular expression faultkit can run in linear time "
            f"(RE2 syntax: no look-around or back-references): {reason}",
        ) from None
    return Pattern(pattern, compiled)
