"""Weighing praise against complaint, clause by clause: how positive a text is, and why.

A review that praises and names a minor problem ("好吃，就是太咸了", "great tablet, a bit
slow") is not a complaint. Keywords alone cannot tell, so rules can also ask how the
text weighs overall (``Rule(sentiment_above=...)`` / ``sentiment_below``); this module
computes that weight from a :class:`Lexicon` - data, like the rules.

The rule (linear in the text, explainable clause by clause):

1. The text is folded (:func:`faultkit.feedback.text.fold`) and the lexicon's
   entries are found in it, longest first, as the rules find keywords (whole words in
   scripts written with spaces, inside running text in Chinese and Japanese).
2. It is cut into **clauses** at punctuation (``，。！？；,.!?;`` and line breaks) and
   where a contrast marker follows a term of the same clause.
3. Each **term** found counts its valence (``好吃`` +2, ``咸`` -1.5, ``crashes`` -2),
   times the **intensifier** or **hedge** just before it (``很`` x1.5, ``有点`` x0.5,
   ``very`` x1.5, ``a bit`` x0.5), times ``negation`` (-0.5) when a **negator** comes
   at most two words (two characters in Chinese) before it in the same clause
   (``not good``, ``不快``); a term that opens with a negator of its own is a denial
   and is not negated again ("won't or can't charge" stays a failure).
4. Each **clause** weighs 1, except:

   - a clause opened by a **remark** marker (``就是``, ``只是``, ``美中不足``,
     ``except``, ``only complaint``) is a minor remark: it weighs ``remark`` (0.5);
   - a clause opened by a **concession** marker (``虽然``, ``although``) weighs
     ``concession`` (0.5): what is conceded counts less than what follows;
   - a **turn** marker (``但是``, ``不过``, ``but``, ``however``) moves the weight to
     what follows: every clause before it weighs ``turn`` (0.5) times as much. A term
     that starts inside a turn marker and ends after it still counts: in ``其他都好``
     (all else good) the turn ``其他都`` holds the 都 of the praise ``都好``;
   - a clause opened by a **verdict** marker (``总的来说``, ``总体``) sums the text up:
     it weighs ``verdict`` (2) times as much.

5. The **score** is the sum, over clauses, of weight times the sum of their terms.
   Positive means praise outweighs complaint.

So ``好吃，就是太咸了`` scores ``+2 + 0.5 x (1.5 x -1.5) = +0.875`` (praise with a
remark), ``好吃，但是太咸了`` ``0.5 x 2 + 1.5 x -1.5 = -1.25`` (the complaint carries the
weight).

Every :class:`Sentiment` lists its clauses with their weight and terms, so a
classification decided by the score can say which clauses decided it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.feedback.matching import phrase_pattern
from faultkit.feedback.text import fold

__all__ = ["Lexicon", "ScoredClause", "Sentiment", "SentimentScorer", "score_sentiment"]

_BOUNDARY = "\n,.!?;~。…"
"""Characters that end a clause (after folding: full-width forms are ASCII by then)."""


# The largest valence a term may carry, either way (the default lexicon stays within 3),
# and the largest factor an intensifier may apply (the default lexicon stays within 2).
_MAX_VALENCE = 10.0
_MAX_FACTOR = 10.0


def _weights_between(low: float, high: float, *, low_open: bool) -> v.Validator:
    below = "above" if low_open else "at least"

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, Mapping):
            raise InvalidInputError(attribute.name, value, "expected a mapping of term to number")
        for term, weight in value.items():
            if not isinstance(term, str) or not fold(term).strip():
                raise InvalidInputError(f"{attribute.name}[{term!r}]", term, "expected a word")
            field = f"{attribute.name}[{term!r}]"
            if isinstance(weight, bool) or not isinstance(weight, int | float):
                raise InvalidInputError(field, weight, "expected a number")
            # Compared as given: no float() of a huge int (OverflowError), NaN fails both.
            if not (low < weight if low_open else low <= weight) or not weight <= high:
                raise InvalidInputError(
                    field, weight, f"expected a finite number {below} {low:g} and at most {high:g}"
                )

    return check


_valences = _weights_between(-_MAX_VALENCE, _MAX_VALENCE, low_open=False)
_factors = _weights_between(0.0, _MAX_FACTOR, low_open=True)


def _to_dict(value: Any) -> Any:
    return dict(value) if isinstance(value, Mapping) else value


_WEIGHT = v.float_between(0.0, 1.0)


@attrs.frozen(kw_only=True)
class Lexicon:
    """The words :func:`score_sentiment` weighs, as data (copy it, extend it, store it).

    Attributes:
        terms: word or phrase to valence: positive for praise (``"好吃": 2``), negative
            for complaint (``"太咸": -2``); a phrase wins over a word it contains
            (``"不错": 1.5`` over the negator ``不``). A valence is a finite number
            from -10 to 10.
        negators: words that flip the next term within two words (two characters in
            Chinese) in the same clause, times ``negation``.
        intensifiers: word to factor for the next term within two words: above 1 an
            intensifier (``"很": 1.5``), below 1 a hedge (``"有点": 0.5``); above 0
            (flipping is a negator's work) and at most 10.
        turns: contrast markers after which the text carries the weight (``但是``,
            ``but``): clauses before one weigh ``turn`` times as much.
        concessions: markers of a conceded clause (``虽然``, ``although``): it weighs
            ``concession``.
        remarks: markers of a minor remark (``就是``, ``except``): the clause weighs
            ``remark``.
        verdicts: markers of the clause that sums the text up (``总的来说``, ``总体``):
            it weighs ``verdict``.
        negation: the factor a negator applies (-0.5: "not good" is mildly negative).
        turn: the weight of clauses before a turn (0.5).
        concession: the weight of a conceded clause (0.5).
        remark: the weight of a remark clause (0.5).
        verdict: the weight of a verdict clause (2).

    An entry may appear in one list only, and a weight outside its range (NaN,
    infinity, ``10**400``) is refused: ``InvalidInputError`` names it (``terms['good']``).
    """

    terms: dict[str, float] = attrs.field(converter=_to_dict, validator=_valences)
    negators: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    intensifiers: dict[str, float] = attrs.field(
        factory=dict, converter=_to_dict, validator=_factors
    )
    turns: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    concessions: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    remarks: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    verdicts: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    negation: float = attrs.field(default=-0.5, validator=v.float_between(-1.0, 0.0))
    turn: float = attrs.field(default=0.5, validator=_WEIGHT)
    concession: float = attrs.field(default=0.5, validator=_WEIGHT)
    remark: float = attrs.field(default=0.5, validator=_WEIGHT)
    verdict: float = attrs.field(default=2.0, validator=v.float_between(1.0, 10.0))

    def __attrs_post_init__(self) -> None:
        seen: dict[str, str] = {}
        kinds = ("terms", "negators", "intensifiers", "turns", "concessions", "remarks", "verdicts")
        for kind in kinds:
            for entry in getattr(self, kind):
                key = " ".join(fold(entry).split())
                if key in seen and seen[key] != kind:
                    raise InvalidInputError(
                        f"{kind}[{entry!r}]", entry, f"already listed in {seen[key]}"
                    )
                seen[key] = kind


@attrs.frozen(kw_only=True)
class ScoredClause:
    """One clause of a scored text.

    Attributes:
        text: the clause, folded (as matched).
        weight: its weight (1, or less after a turn, as a concession or a remark, more
            as a verdict).
        score: the sum of its terms' valences, before the weight.
        terms: the terms found in it, each as ``term=valence`` after modifiers.
    """

    text: str
    weight: float
    score: float
    terms: tuple[str, ...] = ()

    def __str__(self) -> str:
        weight = "" if self.weight == 1 else f" x{self.weight:g}"
        return f"{self.score:+.2g}{weight} {self.text.strip()} [{', '.join(self.terms)}]"


@attrs.frozen(kw_only=True)
class Sentiment:
    """How positive a text is: the weighted sum over its clauses, and the clauses.

    Attributes:
        score: the sum of each clause's weight times its score.
        clauses: the clauses that hold at least one term, in order.
    """

    score: float
    clauses: tuple[ScoredClause, ...] = ()

    def explain(self) -> tuple[str, ...]:
        """Each clause that counted, as ``score xweight text [terms]``."""
        return tuple(str(c) for c in self.clauses)


_NEGATOR, _INTENSIFIER, _TURN, _CONCESSION, _REMARK, _VERDICT, _TERM = range(7)
_MAX_GAP_WORDS = 2
_MAX_GAP_CHARS = 2


def _key(text: str) -> str:
    return " ".join(text.split())


def _close(gap: str) -> bool:
    """Whether a modifier ending where ``gap`` starts reaches the term after it."""
    stripped = gap.strip()
    if not stripped:
        return True
    if stripped.isascii():
        return len(stripped.split()) <= _MAX_GAP_WORDS
    return len(stripped) <= _MAX_GAP_CHARS


class SentimentScorer:
    """A :class:`Lexicon` compiled once; ``score(text)`` gives the :class:`Sentiment`.

    Example:
        >>> from faultkit.feedback.lexicon import DEFAULT_LEXICON
        >>> scorer = SentimentScorer(DEFAULT_LEXICON)
        >>> scorer.score("好吃，就是太咸了").score > 0 > scorer.score("好吃，但是太咸了").score
        True
    """

    __slots__ = ("_denials", "_kinds", "_pattern", "_terms", "lexicon")

    def __init__(self, lexicon: Lexicon) -> None:
        if not isinstance(lexicon, Lexicon):
            raise InvalidInputError("lexicon", lexicon, "expected a Lexicon")
        self.lexicon = lexicon
        kinds: dict[str, tuple[int, float]] = {}
        for term, weight in lexicon.terms.items():
            kinds[_key(fold(term))] = (_TERM, float(weight))
        for word in lexicon.negators:
            kinds[_key(fold(word))] = (_NEGATOR, lexicon.negation)
        for word, factor in lexicon.intensifiers.items():
            kinds[_key(fold(word))] = (_INTENSIFIER, float(factor))
        for kind, words in (
            (_TURN, lexicon.turns),
            (_CONCESSION, lexicon.concessions),
            (_REMARK, lexicon.remarks),
            (_VERDICT, lexicon.verdicts),
        ):
            for word in words:
                kinds[_key(fold(word))] = (kind, 0.0)
        self._kinds = kinds
        spaced = tuple(f"{_key(fold(n))} " for n in lexicon.negators if _key(fold(n)).isascii())
        self._denials = frozenset(
            key for key, (kind, _v) in kinds.items() if kind == _TERM and key.startswith(spaced)
        )
        boundary = "[" + re.escape(_BOUNDARY) + "]"
        entries = phrase_pattern(list(kinds))
        self._pattern = re.compile(f"(?P<end>{boundary})" + (f"|{entries}" if entries else ""))
        terms = phrase_pattern([term for term, (kind, _v) in kinds.items() if kind == _TERM])
        self._terms = re.compile(terms) if terms else None

    def _term_inside(self, folded: str, start: int, end: int) -> re.Match[str] | None:
        """The term that starts earliest inside ``folded[start:end]`` (a turn marker) and
        ends after it, the longest one at that place: ``都好`` in ``其他都好``."""
        if self._terms is None:
            return None
        for inside in range(start + 1, end):
            match = self._terms.match(folded, inside)
            if match is not None and match.end() > end:
                return match
        return None

    def score(self, text: str) -> Sentiment:
        """Score ``text`` (any script): the clause-weighted sum of its terms."""
        if type(text) is not str:
            raise InvalidInputError("text", text, "expected a string")
        folded = fold(text)
        lexicon = self.lexicon
        # Per clause: [start, weight, score, terms, turns seen]; a clause opens at a
        # boundary or a marker. A turn weighs every clause before it: counted, not applied
        # to each (that would be quadratic on "a, but b, but c, ...").
        turns = 0
        clauses: list[list[Any]] = [[0, 1.0, 0.0, [], 0]]
        modifier_end = -1
        modifier = 1.0
        negator_end = -1
        position = 0
        while (found := self._pattern.search(folded, position)) is not None:
            match: re.Match[str] = found
            start, end = match.span()
            position = end if end > start else end + 1
            if match.lastgroup == "end":
                clauses.append([end, 1.0, 0.0, [], turns])
                negator_end = modifier_end = -1
                continue
            kind, value = self._kinds[_key(match.group())]
            if kind in (_TURN, _CONCESSION, _REMARK, _VERDICT):
                current = clauses[-1]
                if current[3]:  # a marker after a term opens a clause of its own
                    clauses.append([start, 1.0, 0.0, [], turns])
                    current = clauses[-1]
                if kind == _TURN:
                    turns += 1
                    current[4] = turns
                    inside = self._term_inside(folded, start, end)
                    if inside is not None:  # counted as a term next time round
                        position = inside.start()
                elif kind == _CONCESSION:
                    current[1] *= lexicon.concession
                elif kind == _VERDICT:
                    current[1] *= lexicon.verdict
                else:
                    current[1] *= lexicon.remark
                negator_end = modifier_end = -1
            elif kind == _NEGATOR:
                negator_end = end
            elif kind == _INTENSIFIER:
                modifier_end, modifier = end, value
            else:
                factor = 1.0
                key = _key(match.group())
                if modifier_end >= 0 and _close(folded[modifier_end:start]):
                    factor *= modifier
                if (
                    negator_end >= 0
                    and key not in self._denials
                    and _close(folded[negator_end:start])
                ):
                    factor *= lexicon.negation
                negator_end = modifier_end = -1
                if not value:  # a mask: it only keeps the words inside it from counting
                    continue
                current = clauses[-1]
                current[2] += value * factor
                current[3].append(f"{key}={value * factor:+.3g}")
        out: list[ScoredClause] = []
        total = 0.0
        for index, (start, weight, score, terms, seen) in enumerate(clauses):
            if not terms:
                continue
            if seen < turns:
                weight *= lexicon.turn ** (turns - seen)
            stop = clauses[index + 1][0] if index + 1 < len(clauses) else len(folded)
            total += weight * score
            out.append(
                ScoredClause(
                    text=folded[start:stop].strip(_BOUNDARY + " \t"),
                    weight=weight,
                    score=score,
                    terms=tuple(terms),
                )
            )
        return Sentiment(score=total, clauses=tuple(out))


def score_sentiment(text: str, lexicon: Lexicon) -> Sentiment:
    """Score ``text`` with ``lexicon`` (:data:`faultkit.feedback.lexicon.DEFAULT_LEXICON`
    for English and Chinese).

    Compiles the lexicon on every call: to score many texts, make one
    :class:`SentimentScorer` and call its ``score``.

    Example:
        >>> from faultkit.feedback.lexicon import DEFAULT_LEXICON
        >>> result = score_sentiment("Great tablet. The only con: a bit slow", DEFAULT_LEXICON)
        >>> result.score > 0
        True
        >>> result.explain()
        ('+2 great tablet [great=+2]', '-0.75 x0.5 the only con: a bit slow [slow=-0.75]')
    """
    return SentimentScorer(lexicon).score(text)
