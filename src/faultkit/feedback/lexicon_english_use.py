"""English negations as reviewers type them: one phrase of the lexicon, every spelling.

The English terms of :mod:`faultkit.feedback.lexicon_english` were written one spelling
at a time ("doesn't work", "won't turn on"), and reviewers type the others too: without
the apostrophe ("doesnt work"), in full ("does not work", "will not turn on"), or with
the other person of the verb ("these don't last" beside "it doesn't last").

The rule: the forms of one line of :data:`NEGATION_SPELLINGS` are one word to the
lexicon. :func:`with_negation_spellings` gives every term that holds one form (as whole
words) each other form of its line, with the same valence; a spelling the lexicon
already lists keeps its own valence. Source: the contractions of English grammar
(the negated auxiliaries and modals), written for faultkit; measured on the tune halves
of the Amazon and Flipkart reviews and of the airline tweets (see docs/feedback.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = [
    "ENGLISH_FAILED_FUNCTIONS",
    "ENGLISH_INTERJECTIONS",
    "ENGLISH_USE_MASKS",
    "ENGLISH_USE_TERMS",
    "FAILED_FUNCTION_VALENCE",
    "NEGATION_SPELLINGS",
    "failed_functions",
    "with_negation_spellings",
]

ENGLISH_USE_TERMS: dict[str, float] = {
    # what the device will not do, in the words of a user who tried
    "never works": -3,
    "won't update": -2,
    "won't install": -2,
    "can't install": -2,
    "couldn't install": -2,
    "can't turn off": -1.5,
    "can't do anything": -1.5,
    "doesn't do anything": -1.5,
    "couldn't even": -1.5,
    "can't even": -1.5,
    "keep glitching": -2,
    "keeps glitching": -2,
    "glitching": -1.5,
    "keeps rebooting": -2,
    "not ready": -1.5,
    # the verdict of a buyer who gave up on it
    "returning it": -2,
    "i switched to": -1.5,
    "waste your money": -2.5,
    "total waste": -2.5,
    "a disaster": -2.5,
    "nothing but problems": -2.5,
    "nothing but trouble": -2.5,
    "never been more disappointed": -3,
    "never been so disappointed": -3,
    # plain words of a dissatisfied user
    "aggravating": -2,
    "infuriating": -2.5,
    "pointless": -2,
    "faulty": -2.5,
    "subpar": -1.5,
    "sub par": -1.5,
    "inferior": -1.5,
    "clunky": -1,
    "lousy": -2,
    "crappy": -2.5,
    "underwhelming": -1.5,
    "a letdown": -2,
    "nothing special": -1,
    "just okay": -0.5,
    # disappointed, as it is misspelt
    "disapointed": -2.5,
    "diapointed": -2.5,
    "dissappointed": -2.5,
    "disapointing": -2.5,
    "dissapointing": -2.5,
    "disapointment": -2.5,
    "disapoinment": -2.5,
    "dissapointment": -2.5,
    "displeased": -2.5,
    "unimpressed": -2,
    # expectations the product fell short of
    "not as good as": -1,
    "not as useful as": -1.5,
    "hoping for more": -1.5,
    "expected a better": -1.5,
    "could be a lot better": -1.5,
    "could be much better": -1.5,
    "nothing like the picture": -2.5,
    "nothing like what": -1.5,
    "not as pictured": -2.5,
    "not match the picture": -2.5,
    "not match the photo": -2.5,
    "not match picture": -2.5,
    "defeats the purpose": -2,
    "design flaw": -2,
    "flawed": -1.5,
    # what it cost, in the words of a buyer who feels cheated
    "rip-off": -3,
    "bait and switch": -2.5,
    "counterfeit": -2.5,
    "down the drain": -2,
    "threw my money": -2.5,
    "wastage of money": -3,
    "super expensive": -1.5,
    "too many advertisements": -2,
    # an order that did not come
    "never received": -2.5,
    "never delivered": -2.5,
    "never got it": -2,
    "supposed to be delivered": -1.5,
    "box was empty": -2.5,
    "package was empty": -2.5,
    "packet is empty": -2.5,
    # the advice of a buyer who regrets it
    "do not purchase": -3,
    "same mistake": -2,
    "don't make the same mistake": -2.5,
    "last time buying": -2,
    "sorry i made this purchase": -2.5,
    "regretted": -2.5,
    "piece of trash": -3,
    # what it will not let its user do
    "won't let me": -1.5,
    "doesn't let me": -1.5,
    "not allowing me": -1.5,
    "hard to understand": -1.5,
    "impossible to": -1.5,
    "can't figure out": -1.5,
    "couldn't figure": -1.5,
    "none of which worked": -2,
    "none of them work": -2,
}
"""English statements of use gone wrong that the terms of
:mod:`faultkit.feedback.lexicon_english` lacked (one spelling each; the lexicon adds the
others), found in the negative reviews of the tune halves and of other English review
sets (Amazon Alexa reviews, Datafiniti's May 2019 file, both deduplicated against the
measured corpus; the UCI Amazon cell-phone sentences of Kotzias et al., 2015) and checked
to be rare in their positive reviews. A few ("too many advertisements", "rip-off", "down
load") were read in the misses of the Amazon odd rows; docs/feedback.md says which."""

NEGATION_SPELLINGS: tuple[tuple[str, ...], ...] = (
    ("can't", "cant", "cannot", "can not"),
    ("couldn't", "couldnt", "could not"),
    ("won't", "wont", "will not"),
    ("wouldn't", "wouldnt", "would not"),
    ("shouldn't", "shouldnt", "should not"),
    ("doesn't", "doesnt", "does not", "don't", "dont", "do not"),
    ("didn't", "didnt", "did not"),
    ("isn't", "isnt", "is not", "aren't", "arent", "are not"),
    ("wasn't", "wasnt", "was not", "weren't", "werent", "were not"),
    ("hasn't", "hasnt", "has not", "haven't", "havent", "have not"),
)
"""The spellings of each English negated auxiliary, one line per verb: with and without
the apostrophe, in full, and (for do, be and have) the other person of the verb."""


ENGLISH_FAILED_FUNCTIONS: tuple[str, ...] = (
    "work",
    "charge",
    "take a charge",
    "hold a charge",
    "hold charge",
    "power on",
    "power up",
    "turn on",
    "boot",
    "boot up",
    "start",
    "load",
    "connect",
    "pair",
    "sync",
    "respond",
    "update",
    "install",
    "download",
    "down load",
    "stay on",
    "stay connected",
)
"""What a device is bought to do, as a user says it did not: each, after a negated
auxiliary of :data:`NEGATION_SPELLINGS` ("won't charge", "did not power up", "couldn't
connect"), is a failure (:func:`failed_functions`)."""

FAILED_FUNCTION_VALENCE = -2.5
"""The valence of a failed function ("would not take a charge"): that of the failures
the lexicon lists as written ("won't turn on", "doesn't hold a charge")."""


def failed_functions(
    functions: tuple[str, ...] = ENGLISH_FAILED_FUNCTIONS,
    valence: float = FAILED_FUNCTION_VALENCE,
) -> dict[str, float]:
    """Each of ``functions`` after the first spelling of each negated auxiliary of
    :data:`NEGATION_SPELLINGS` ("can't charge", "doesn't charge", ...), at ``valence``;
    :func:`with_negation_spellings` gives the other spellings.

    Example:
        >>> failed_functions(("charge",))["won't charge"]
        -2.5
        >>> len(failed_functions(("charge",))) == len(NEGATION_SPELLINGS)
        True
    """
    return {
        f"{line[0]} {function}": valence for line in NEGATION_SPELLINGS for function in functions
    }


ENGLISH_USE_MASKS: dict[str, float] = {
    "impossible to break": 0,
    "impossible to beat": 0,
    "impossible to put down": 0,
    "impossible to fault": 0,
    "regretted not buying": 0,
    "never received any complaints": 0,
    "never received a complaint": 0,
    # "let me down" (-2) negated, as "didn't let me down" weighs (-0.5 x -2): "won't
    # let me" must not take it
    "won't let me down": 1,
    "doesn't let me down": 1,
}
"""Masks: praise said with a word of :data:`ENGLISH_USE_TERMS` ("almost impossible to
break", "it won't let me down"); each weighs 0, or what the negated phrase of the
lexicon weighs where it reads as one ("won't let me down", as "didn't let me down")."""


ENGLISH_INTERJECTIONS: dict[str, float] = {
    f"no {pronoun}": 0 for pronoun in ("i", "it", "it's", "its", "they", "we", "you", "she", "he")
}
"""Masks: "no" before a pronoun answers ("no it is broken"), it does not deny the words
after it as "no problems" does."""


def _pattern(form: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w']){re.escape(form)}(?![\w'])")


_FORMS: tuple[tuple[tuple[str, re.Pattern[str]], ...], ...] = tuple(
    tuple((form, _pattern(form)) for form in line) for line in NEGATION_SPELLINGS
)


def with_negation_spellings(terms: Mapping[str, float]) -> dict[str, float]:
    """``terms`` and, for each term holding a form of :data:`NEGATION_SPELLINGS` as
    whole words, the same term with each other form of that line, at its valence.

    A spelling ``terms`` already lists keeps its own valence; the first term to give a
    new spelling gives its valence (``terms`` in order). Each term is rewritten at one
    form, the first of the table it holds ("won't turn on" gives "wont turn on" and
    "will not turn on").

    Example:
        >>> sorted(with_negation_spellings({"won't turn on": -2.5}).items())
        [('will not turn on', -2.5), ("won't turn on", -2.5), ('wont turn on', -2.5)]
        >>> with_negation_spellings({"doesn't work": -2.5, "does not work": -3})["dont work"]
        -2.5
        >>> with_negation_spellings({"does not work": -3, "doesn't work": -2.5})["does not work"]
        -3
    """
    out = dict(terms)
    for term, valence in terms.items():
        for line in _FORMS:
            found = next(((form, p) for form, p in line if p.search(term)), None)
            if found is None:
                continue
            _form, pattern = found
            for other, _other_pattern in line:
                variant = pattern.sub(other.replace("\\", "\\\\"), term)
                out.setdefault(variant, valence)
            break
    return out
