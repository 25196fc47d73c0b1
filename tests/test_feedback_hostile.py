"""Hostile input to the feedback package: each case once found a crash or a silent loss.

Every public entry point either answers or refuses with a FaultkitError subclass naming
the field; none raises a bare TypeError, AttributeError, ValueError or
UnicodeEncodeError.
"""

from __future__ import annotations

import contextlib
import enum
import inspect
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

import faultkit.feedback as fb
from faultkit.errors import FaultkitError, InvalidInputError
from faultkit.feedback import (
    Feedback,
    FeedbackType,
    Rule,
    RuleClassifier,
    SurveyPlan,
    normalise_hotline,
    normalise_rating,
)
from faultkit.feedback.matching import compile_pattern
from faultkit.models import IntakeChannel

AT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def item(text: str) -> Feedback:
    return Feedback(id="f1", channel=IntakeChannel.STAFF, received_at=AT, text=text)


# ----------------------------------------------------------------- lone surrogates


@pytest.mark.parametrize(
    "text",
    [f"x{chr(0xD800)}crash", f"{chr(0xDFFF)}crash", f"crash{chr(0xDC80)}", f"{chr(0xD83D)}crash"],
)
def test_a_pattern_searches_text_holding_a_lone_surrogate(text: str) -> None:
    assert compile_pattern("crash").search(text)
    assert not compile_pattern("boom").search(text)


def test_a_lone_surrogate_reads_as_the_replacement_character() -> None:
    assert compile_pattern("x\ufffdy").search("x\ud800y")
    assert compile_pattern("\U0001f600").search("\ud83d\ude00")  # a split pair is joined


def test_classifying_text_with_a_lone_surrogate() -> None:
    rule = Rule(name="crash", type=FeedbackType.DEFECT, pattern="cras+h")
    result = RuleClassifier(rules=[rule]).classify(item("app \ud800 crashes"))
    assert result.type_rule == "crash"
    assert RuleClassifier().classify(item("the app crashes \ud800")).type is FeedbackType.DEFECT


def test_a_pattern_holding_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="surrogate") as caught:
        Rule(name="r", type=FeedbackType.DEFECT, pattern="a\ud800")
    assert caught.value.field == "pattern"
    with pytest.raises(InvalidInputError, match="expected a string"):
        compile_pattern(42)  # type: ignore[arg-type]


# ----------------------------------------------------------------- rules read once


def test_rules_from_a_generator_are_all_kept() -> None:
    made = [
        Rule(name="jam", type=FeedbackType.DEFECT, keywords=("jam",)),
        Rule(name="slow", type=FeedbackType.PERFORMANCE, keywords=("slow",)),
    ]
    classifier = RuleClassifier(rules=(rule for rule in made))
    assert [r.name for r in classifier.rules] == ["jam", "slow"]
    assert classifier.classify(item("paper jam")).type is FeedbackType.DEFECT


@pytest.mark.parametrize("rules", ["jam", b"jam", {"jam": 1}, 42])
def test_rules_that_are_not_a_collection_are_refused(rules: object) -> None:
    with pytest.raises(InvalidInputError) as caught:
        RuleClassifier(rules=rules)  # type: ignore[arg-type]
    assert caught.value.field == "rules"


# ----------------------------------------------------------------- survey plans


@pytest.mark.parametrize(
    ("delay", "part"),
    [
        (relativedelta(year=2030), "year"),
        (relativedelta(month=2), "month"),
        (relativedelta(days=1, day=31), "day"),
        (relativedelta(weekday=0), "weekday"),
        (relativedelta(days=1, hour=9), "hour"),
        (relativedelta(days=1, hours=-1), "hours"),
        (relativedelta(months=1, days=-30), "days"),
        (relativedelta(days=-1), "days"),
        (relativedelta(leapdays=1), "leapdays"),
        (relativedelta(), "zero"),
    ],
)
def test_survey_plans_refuse_absolute_negative_and_zero_delays(
    delay: relativedelta, part: str
) -> None:
    with pytest.raises(InvalidInputError, match=part) as caught:
        SurveyPlan(first=delay)
    assert caught.value.field == "first"
    with pytest.raises(InvalidInputError, match=part) as caught:
        SurveyPlan(reminders=[relativedelta(days=3), delay])
    assert caught.value.field == "reminders[1]"


def test_survey_plans_take_relative_delays() -> None:
    plan = SurveyPlan(first=relativedelta(months=1), reminders=(relativedelta(weeks=1, hours=2),))
    assert plan.first == relativedelta(months=1)


# ----------------------------------------------------------------- numbers

RATING = {"id": 7, "date": "2024-05-01T10:00Z"}
HOTLINE = {
    "id": "h1",
    "date": "2024-05-01T10:00Z",
    "call_started_at": "2024-05-01T10:00Z",
    "agent": "ana",
    "text": "no dial tone",
}


@pytest.mark.parametrize(
    "stars",
    [
        "\u00b2",  # superscript two: isdigit() but no decimal number
        "\u2462",  # circled three
        "\u0663" + "3",  # Arabic-Indic three and an ASCII three: mixed scripts
        "1e400",
        "9" * 5000,  # more digits than int() reads by default
        "4.5",
        "+4",
        float("inf"),
        float("nan"),
        1e400,
        10**400,
        2**63,
        "",
        " ",
        True,
        [4],
    ],
)
def test_a_rating_that_is_no_whole_number_in_range_is_refused_naming_the_key(
    stars: object,
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        normalise_rating({**RATING, "stars": stars})
    assert caught.value.field == "stars"


@pytest.mark.parametrize(
    ("stars", "score"),
    [("4", 4), (" 4 ", 4), ("\uff14", 4), ("\u0664", 4), (4, 4), (4.0, 4), ("0004", 4)],
)
def test_a_rating_in_decimal_digits_of_one_script_is_read(stars: object, score: int) -> None:
    assert normalise_rating({**RATING, "stars": stars}).score == score


@pytest.mark.parametrize("duration", [2**63, 10**30, "9" * 20, "\u00b2", "-5", -5])
def test_a_call_duration_too_large_or_not_decimal_is_refused(duration: object) -> None:
    with pytest.raises(InvalidInputError) as caught:
        normalise_hotline({**HOTLINE, "call_duration_s": duration})
    assert caught.value.field == "call_duration_s"


def test_the_largest_whole_number_a_store_keeps_is_accepted() -> None:
    item = normalise_hotline({**HOTLINE, "call_duration_s": str(2**63 - 1)})
    assert item.call_duration_s == 2**63 - 1


# ----------------------------------------------------------------- junk over the public API


def _public_callables() -> list[tuple[str, Callable[..., Any]]]:
    out = []
    for name in sorted(fb.__all__):
        found = getattr(fb, name)
        if not callable(found) or (isinstance(found, type) and issubclass(found, enum.Enum)):
            continue  # an enum's own constructor raises ValueError by Python's design
        try:
            inspect.signature(found)
        except (TypeError, ValueError):
            continue
        out.append((name, found))
    return out


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=5),
    st.binary(max_size=5),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
    st.datetimes(),
    st.builds(object),
)


@pytest.mark.parametrize(("name", "function"), _public_callables())
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_junk_given_to_a_public_function_is_refused_with_a_faultkit_error(
    name: str, function: Callable[..., Any], data: st.DataObject
) -> None:
    """Each parameter in turn gets junk, the required others a string: only a
    FaultkitError may come out, never a bare TypeError, AttributeError or ValueError."""
    parameters = [
        p
        for p in inspect.signature(function).parameters.values()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    if not parameters:
        return
    target = data.draw(st.sampled_from(parameters), label="parameter")
    kwargs = {p.name: "x" for p in parameters if p.default is p.empty}
    kwargs[target.name] = data.draw(JUNK, label="junk")
    with contextlib.suppress(FaultkitError):
        function(**kwargs)


# ----------------------------------------------------------------- invisible characters


@pytest.mark.parametrize(
    "mark",
    # the invisible operators U+2061-U+2064 dodged the rules, though scrub read through them
    ["\u200b", "\u2060", "\ufeff", "\u00ad", "\u2061", "\u2062", "\u2063", "\u2064"],
)
def test_a_keyword_split_by_an_invisible_character_is_still_found(mark: str) -> None:
    text = f"the app cr{mark}ashes every time"
    assert RuleClassifier().classify(item(text)).type is FeedbackType.DEFECT
    assert fb.fold(f"cr{mark}ash") == "crash"


def test_joiners_that_shape_words_are_kept() -> None:
    assert fb.fold("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645") == (
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    )  # Persian "I want": the non-joiner stays


@pytest.mark.parametrize("field", ["keywords", "exclude", "negators"])
def test_a_rule_word_of_invisible_characters_only_is_refused(field: str) -> None:
    words = {"keywords": ("crash",), field: ("ok", "\u200b\u00ad")}
    with pytest.raises(InvalidInputError, match="no visible character") as caught:
        Rule(name="r", type=FeedbackType.DEFECT, **words)  # type: ignore[arg-type]
    assert caught.value.field == f"{field}[1]"


def test_grouping_text_with_a_lone_surrogate_in_a_tag() -> None:
    """A #tag# keeps any character, a lone surrogate too; hashing it raised
    UnicodeEncodeError."""
    text = f"#{chr(0xD800)}# router drops wifi"
    assert fb.group_texts([text, text, "printer jams"]) == [[0, 1], [2]]
