"""Classifying feedback by type, severity and frequency, with rules that say why.

The built-in :class:`RuleClassifier` reads an ordered list of :class:`Rule` values. A
rule *matches* a feedback item when every condition it sets holds:

- ``keywords``: at least one of the words or phrases occurs in the subject or text
  (ignoring case and Unicode width; whole words in scripts written with spaces, anywhere
  in running text for Chinese and Japanese), and not only inside one of the rule's
  ``exclude`` phrases or just after one of its ``negators``
  (see :mod:`faultkit.feedback.matching`). Web and e-mail addresses
  (:data:`~faultkit.feedback.text.URL_PATTERN`,
  :data:`~faultkit.feedback.text.EMAIL_PATTERN`) are not read: the words of
  ``.../heart-attack-injury.html`` are not the customer's;
- ``pattern``: the regular expression is found in the subject or text (in Unicode NFKC,
  so full-width ``E-301`` is ``E-301``; ignoring case; addresses included);
  it runs on RE2, in time linear in the text, and a pattern RE2 cannot run is refused
  when the rule is made;
- ``channels``: the item came in through one of them;
- ``products``: the item is about one of them;
- ``sentiment_above`` / ``sentiment_below``: the text's sentiment score (praise
  weighed against complaint clause by clause, see :mod:`faultkit.feedback.sentiment`;
  addresses not read) is above / below the number:
  ``Rule(type=PRAISE, sentiment_above=0.5)`` before the problem rules keeps
  "好吃，就是太咸了" (tasty, just a bit salty) a praise.

A rule sets one or more outcomes (``type``, ``severity``, ``frequency``). For each
outcome, the *first* matching rule that sets it wins, and the result names that rule,
so every decision can be traced; when a rule weighs sentiment, the result also gives
the score and the clauses that made it. Items no rule types are
:attr:`FeedbackType.OTHER`.
The default rules (:data:`faultkit.feedback.rules.DEFAULT_RULES`) cover English and
Chinese; replace or extend them - ``RuleClassifier((*my_rules, *DEFAULT_RULES))``.

Anything with a ``classify(feedback) -> Classification`` method follows the
:class:`Classifier` protocol and can stand in for the rules: a wrapped machine-learning
model, for example.
"""

from __future__ import annotations

import enum
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.feedback.intake import Feedback
from faultkit.feedback.lexicon import DEFAULT_LEXICON
from faultkit.feedback.matching import KeywordMatcher, Pattern, compile_pattern
from faultkit.feedback.sentiment import Lexicon, Sentiment, SentimentScorer
from faultkit.feedback.text import EMAIL_PATTERN, URL_PATTERN, fold
from faultkit.models import Frequency, IntakeChannel, Severity

__all__ = [
    "Classification",
    "Classifier",
    "FeedbackType",
    "Rule",
    "RuleClassifier",
    "classify_all",
]


class FeedbackType(enum.StrEnum):
    """What kind of feedback an item is."""

    DEFECT = "defect"
    """Something does not work as it should."""
    USABILITY = "usability"
    """It works, but it is hard to find, understand or use."""
    PERFORMANCE = "performance"
    """It works, but too slowly."""
    FEATURE_REQUEST = "feature_request"
    """A wish for something the product does not do."""
    QUESTION = "question"
    """A question about how to do something."""
    COMPLAINT = "complaint"
    """Dissatisfaction with the product, the service or the company."""
    PRAISE = "praise"
    """A compliment."""
    OTHER = "other"
    """None of the above, or no rule matched."""


def _optional_finite(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInputError(attribute.name, value, "expected a finite number or None")


def _word(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A non-blank string that is still a word once folded (not only invisible marks)."""
    v.non_empty_str(inst, attribute, value)
    if not fold(value).strip():
        raise InvalidInputError(
            attribute.name, value, "has no visible character: it would never match"
        )


def _pattern(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    v.non_empty_str(_inst, attribute, value)
    compile_pattern(value, field=attribute.name)


@attrs.frozen(kw_only=True)
class Rule:
    """One classification rule: conditions, and the outcomes it sets when they hold.

    Attributes:
        name: the rule's name, reported in the :class:`Classification`; not blank.
        type: the feedback type it sets, if any.
        severity: the severity it sets, if any.
        frequency: the frequency it sets, if any.
        keywords: words or phrases, any of which must occur (whole words in scripts
            written with spaces, anywhere in Chinese or Japanese text; any case).
        exclude: phrases inside which a keyword does not count: product names and
            idioms (``"fire tv"`` for a rule with ``"fire"``).
        negators: words that cancel a keyword following them within two words (two
            characters in Chinese or Japanese): ``"not"`` for ``"broken"``, ``"没有"``
            for ``"问题"``.
        times: how many occurrences of the keywords are needed (1 by default): ``2``
            makes a rule for text that says it twice ("great sound, great bass").
        pattern: a regular expression that must be found (any case), in RE2 syntax
            (no look-around or back-references: it runs in linear time).
        channels: the channels the item must come from (any channel when empty).
        products: the products the item must be about (any product when empty).
        sentiment_above: the text's sentiment score must be above this (praise
            outweighs complaint; see :mod:`faultkit.feedback.sentiment`).
        sentiment_below: the text's sentiment score must be below this.
    """

    name: str = attrs.field(validator=v.non_empty_str)
    type: FeedbackType | None = attrs.field(
        default=None, validator=v.optional_member_of(FeedbackType)
    )
    severity: Severity | None = attrs.field(default=None, validator=v.optional_member_of(Severity))
    frequency: Frequency | None = attrs.field(
        default=None, validator=v.optional_member_of(Frequency)
    )
    keywords: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(_word)
    )
    exclude: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(_word)
    )
    negators: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(_word)
    )
    times: int = attrs.field(default=1, validator=v.non_negative_int)
    pattern: str | None = attrs.field(default=None, validator=_pattern)
    channels: tuple[IntakeChannel, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.member_of(IntakeChannel))
    )
    products: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    sentiment_above: float | None = attrs.field(default=None, validator=_optional_finite)
    sentiment_below: float | None = attrs.field(default=None, validator=_optional_finite)

    def __attrs_post_init__(self) -> None:
        if self.type is None and self.severity is None and self.frequency is None:
            raise InvalidInputError(
                "type", None, f"rule {self.name!r} sets no outcome (type, severity or frequency)"
            )
        if self.times < 1:
            raise InvalidInputError("times", self.times, f"rule {self.name!r}: at least 1")
        if (
            self.sentiment_above is not None
            and self.sentiment_below is not None
            and self.sentiment_above >= self.sentiment_below
        ):
            raise InvalidInputError(
                "sentiment_below",
                self.sentiment_below,
                f"rule {self.name!r}: must be above sentiment_above ({self.sentiment_above})",
            )
        if not (
            self.keywords or self.pattern or self.channels or self.products or self.weighs_sentiment
        ):
            raise InvalidInputError(
                "keywords", (), f"rule {self.name!r} has no condition: it would match everything"
            )

    @property
    def weighs_sentiment(self) -> bool:
        """Whether the rule has a sentiment condition."""
        return self.sentiment_above is not None or self.sentiment_below is not None


@attrs.frozen(kw_only=True)
class Classification:
    """What a classifier decided about one feedback item, and which rule decided it.

    Attributes:
        type: the feedback type.
        severity: the severity, if a rule set one.
        frequency: how often the customer says it happens, if a rule set it.
        type_rule: the name of the rule that set ``type`` (``None`` for the default).
        severity_rule: the name of the rule that set ``severity``.
        frequency_rule: the name of the rule that set ``frequency``.
        matched: the names of every rule that matched, in rule order.
        sentiment: the text's sentiment score, when a rule weighs sentiment.
        clauses: the clauses that made the score, each as ``score xweight clause
            [terms]`` (see :meth:`faultkit.feedback.sentiment.Sentiment.explain`).
    """

    type: FeedbackType = attrs.field(validator=v.member_of(FeedbackType))
    severity: Severity | None = attrs.field(default=None, validator=v.optional_member_of(Severity))
    frequency: Frequency | None = attrs.field(
        default=None, validator=v.optional_member_of(Frequency)
    )
    type_rule: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    severity_rule: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    frequency_rule: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    matched: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    sentiment: float | None = attrs.field(default=None, validator=_optional_finite)
    clauses: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )


@runtime_checkable
class Classifier(Protocol):
    """Anything that classifies a feedback item: the rules, or a model you wrap."""

    def classify(self, feedback: Feedback) -> Classification:
        """Classify one feedback item."""
        ...  # pragma: no cover


# Web and e-mail addresses, which keywords and sentiment do not read (linear: a match
# starts only at an address's prefix or at the start of a local part).
_ADDRESSES = re.compile(f"{URL_PATTERN}|{EMAIL_PATTERN}")


class _Compiled:
    __slots__ = ("channels", "keywords", "pattern", "products", "rule")

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.keywords: KeywordMatcher | None = None
        if rule.keywords:
            self.keywords = KeywordMatcher(
                rule.keywords, exclude=rule.exclude, negators=rule.negators
            )
        self.pattern: Pattern | None = (
            None if rule.pattern is None else compile_pattern(rule.pattern)
        )
        self.channels = frozenset(rule.channels)
        self.products = frozenset(p.casefold() for p in rule.products)

    def matches(
        self, feedback: Feedback, text: str, folded: str, sentiment: Sentiment | None
    ) -> bool:
        if self.channels and feedback.channel not in self.channels:
            return False
        if self.products and (
            feedback.product is None or feedback.product.casefold() not in self.products
        ):
            return False
        if self.keywords is not None and not self.keywords.search(folded, self.rule.times):
            return False
        if sentiment is not None:
            above, below = self.rule.sentiment_above, self.rule.sentiment_below
            if above is not None and not sentiment.score > above:
                return False
            if below is not None and not sentiment.score < below:
                return False
        return self.pattern is None or self.pattern.search(text)


class RuleClassifier:
    """The built-in classifier: an ordered list of rules, first match wins per outcome.

    Args:
        rules: the rules, in order of precedence (any iterable, read once: a
            generator works); the default English and Chinese rules when omitted
            (:data:`faultkit.feedback.rules.DEFAULT_RULES`).
        lexicon: the words that rules with a sentiment condition weigh; the default
            English and Chinese lexicon when omitted
            (:data:`faultkit.feedback.lexicon.DEFAULT_LEXICON`).

    Raises:
        InvalidInputError: ``rules`` is not a collection (a single string, a mapping,
            a number), an item of it is not a :class:`Rule`, or two rules share a name.

    Example:
        >>> from faultkit.feedback import Rule, FeedbackType
        >>> classifier = RuleClassifier([Rule(name="jam", keywords=("jam",),
        ...                                   type=FeedbackType.DEFECT)])
        >>> [r.name for r in classifier.rules]
        ['jam']
    """

    __slots__ = ("_compiled", "_scorer", "rules")

    rules: tuple[Rule, ...]

    def __init__(
        self, rules: Iterable[Rule] | None = None, *, lexicon: Lexicon | None = None
    ) -> None:
        if rules is None:
            from faultkit.feedback.rules import DEFAULT_RULES

            rules = DEFAULT_RULES
        listed = v.items_of("rules", rules)  # read once: a generator is not read twice
        seen: set[str] = set()
        for index, rule in enumerate(listed):
            if not isinstance(rule, Rule):
                raise InvalidInputError(f"rules[{index}]", rule, "expected a Rule")
            if rule.name in seen:
                raise InvalidInputError(f"rules[{index}].name", rule.name, "duplicate rule name")
            seen.add(rule.name)
        self.rules = listed
        self._compiled = tuple(_Compiled(rule) for rule in self.rules)
        self._scorer: SentimentScorer | None = None
        if any(rule.weighs_sentiment for rule in self.rules):
            self._scorer = SentimentScorer(DEFAULT_LEXICON if lexicon is None else lexicon)
        elif lexicon is not None and not isinstance(lexicon, Lexicon):
            raise InvalidInputError("lexicon", lexicon, "expected a Lexicon")

    def __repr__(self) -> str:
        return f"RuleClassifier(<{len(self.rules)} rules>)"

    def classify(self, feedback: Feedback) -> Classification:
        """Classify one item: the first matching rule decides each outcome.

        Args:
            feedback: any feedback record.

        Returns:
            The :class:`Classification`, naming the rule behind each outcome.
        """
        if not isinstance(feedback, Feedback):
            raise InvalidInputError("feedback", feedback, "expected a Feedback record")
        text = feedback.text if feedback.subject is None else f"{feedback.subject}\n{feedback.text}"
        # Patterns see the text in Unicode NFKC (full-width letters and digits as ASCII);
        # keywords the folded text.
        text = unicodedata.normalize("NFKC", text)
        words = _ADDRESSES.sub(" ", text)  # keywords and sentiment read the customer's words
        folded = fold(words)
        sentiment = None if self._scorer is None else self._scorer.score(words)
        found: dict[str, Any] = {}
        matched: list[str] = []
        for compiled in self._compiled:
            if not compiled.matches(feedback, text, folded, sentiment):
                continue
            rule = compiled.rule
            matched.append(rule.name)
            for outcome in ("type", "severity", "frequency"):
                value = getattr(rule, outcome)
                if value is not None and outcome not in found:
                    found[outcome] = value
                    found[f"{outcome}_rule"] = rule.name
        found.setdefault("type", FeedbackType.OTHER)
        if sentiment is not None:
            found["sentiment"] = round(sentiment.score, 6)
            found["clauses"] = sentiment.explain()
        return Classification(matched=tuple(matched), **found)


def classify_all(
    items: Iterable[Feedback], classifier: Classifier | None = None
) -> dict[str, Classification]:
    """Classify many items; the result maps each item's id to its classification.

    Args:
        items: the feedback; ids must be unique.
        classifier: any :class:`Classifier`; a :class:`RuleClassifier` with the default
            rules when omitted.

    Raises:
        InvalidInputError: ``items`` is not a collection of Feedback, two items share
            an id, the classifier has no ``classify`` method, or it returns something
            that is not a :class:`Classification`.
    """
    chosen: Classifier = RuleClassifier() if classifier is None else classifier
    if not isinstance(chosen, Classifier):
        raise InvalidInputError("classifier", classifier, "expected a Classifier")
    out: dict[str, Classification] = {}
    for index, item in enumerate(v.items_of("items", items)):
        if not isinstance(item, Feedback):
            raise InvalidInputError(f"items[{index}]", item, "expected a Feedback record")
        if item.id in out:
            raise InvalidInputError("items", item.id, "duplicate feedback id")
        result = chosen.classify(item)
        if not isinstance(result, Classification):
            raise InvalidInputError("classifier", result, "classify() must return a Classification")
        out[item.id] = result
    return out
