"""Sentiment weighed clause by clause: golden cases, properties of the rule, bad lexicons."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.feedback import Feedback, FeedbackType, Rule, RuleClassifier
from faultkit.feedback.lexicon import DEFAULT_LEXICON, ENGLISH_TERMS
from faultkit.feedback.sentiment import Lexicon, SentimentScorer, score_sentiment
from faultkit.models import IntakeChannel
from faultkit.serialization import from_dict, to_dict

SCORER = SentimentScorer(DEFAULT_LEXICON)
AT = datetime(2024, 1, 1, tzinfo=UTC)


def score(text: str) -> float:
    return SCORER.score(text).score


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the module's worked examples: 2 + 0.5 x (1.5 x -1.5); 0.5 x 2 + 1.5 x -1.5
        ("好吃，就是太咸了", 2 + 0.5 * (1.5 * -1.5)),
        ("好吃，但是太咸了", 0.5 * 2 + 1.5 * -1.5),
        ("not nice", 1.5 * -0.5),
        ("very good", 1.5 * 1.5),
        ("a bit slow", 0.5 * -1.5),
        ("不快", -0.5 * 1),
        ("虽然有点慢，味道很好", 0.5 * (0.5 * -1.5) + 2),
        ("依旧好吃", 2),  # 依旧 masks 旧 ("old")
        ("not bad", 1),  # a phrase wins over the negator inside it
        ("The box came on Monday", 0),
        ("It was great until it died", 0.5 * 2 + -2),  # "until" turns: what follows weighs
    ],
)
def test_golden_scores(text: str, expected: float) -> None:
    assert score(text) == pytest.approx(expected)


def test_the_result_names_the_clauses_and_their_weights() -> None:
    result = SCORER.score("Great tablet. The only con: a bit slow")
    assert result.explain() == (
        "+2 great tablet [great=+2]",
        "-0.75 x0.5 the only con: a bit slow [slow=-0.75]",
    )
    assert [c.weight for c in result.clauses] == [1, 0.5]


def test_a_turn_moves_the_weight_to_what_follows() -> None:
    assert score("love the screen, but the battery is terrible") < 0
    assert score("the battery is terrible, but I love the screen") > 0


@given(st.sampled_from(sorted(t for t, w in ENGLISH_TERMS.items() if w)))
def test_a_term_alone_scores_its_valence_and_a_negator_flips_it(term: str) -> None:
    weight = ENGLISH_TERMS[term]
    assert score(term) == pytest.approx(weight)
    assert score(f"Really {term}!") == pytest.approx(1.3 * weight)
    negated = f"never {term}"
    # a phrase of its own ("never buy" in "never buy it again") is weighed as itself
    phrase = any(other.startswith("never ") and other in negated for other in ENGLISH_TERMS)
    # a term that is itself a denial ("can't charge") is not negated again
    denial = term.startswith(tuple(f"{n} " for n in DEFAULT_LEXICON.negators))
    if not phrase and not denial and not term.startswith("do"):
        assert score(negated) == pytest.approx(-0.5 * weight)


NEUTRAL = st.sampled_from(["the box", "送到了", "on Monday", "我的订单", "version 2"])


@given(st.lists(NEUTRAL, max_size=4), st.lists(NEUTRAL, max_size=4))
def test_clauses_without_terms_change_nothing(before: list[str], after: list[str]) -> None:
    text = "好吃，就是太咸了"
    assert score("，".join([*before, text, *after])) == pytest.approx(score(text))


@given(st.text(max_size=200))
def test_any_text_scores_without_error_and_explains_every_counted_clause(text: str) -> None:
    result = SCORER.score(text)
    assert sum(c.weight * c.score for c in result.clauses) == pytest.approx(result.score)
    assert all(c.terms for c in result.clauses)


def test_a_lexicon_entry_listed_twice_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInputError, match="already listed in terms"):
        Lexicon(terms={"good": 1}, negators=("Good",))


@pytest.mark.parametrize(
    ("terms", "match"),
    [({"good": "x"}, "expected a number"), ({"": 1}, "expected a word"), ([1], "mapping")],
)
def test_a_bad_lexicon_is_refused_naming_the_field(terms: object, match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        Lexicon(terms=terms)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=match):  # also a ValueError
        Lexicon(terms=terms)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "weight", [float("nan"), float("inf"), -float("inf"), 10.5, -11, 1e308, 10**400, -(10**400)]
)
def test_a_term_valence_outside_minus_ten_to_ten_is_refused(weight: float) -> None:
    with pytest.raises(InvalidInputError, match="finite number") as caught:
        Lexicon(terms={"good": weight})
    assert caught.value.field == "terms['good']"


@pytest.mark.parametrize("weight", [float("nan"), float("inf"), 0, -1.5, 10.01, 10**400])
def test_an_intensifier_factor_outside_zero_to_ten_is_refused(weight: float) -> None:
    with pytest.raises(InvalidInputError, match="finite number") as caught:
        Lexicon(terms={"good": 1}, intensifiers={"very": weight})
    assert caught.value.field == "intensifiers['very']"


@given(
    st.dictionaries(
        st.sampled_from(["good", "bad", "slow", "great"]),
        st.floats(-10, 10, allow_nan=False),
        min_size=1,
    ),
    st.floats(min_value=0.01, max_value=10),
    st.lists(st.sampled_from(["good", "bad", "very", "slow", "great", ","]), max_size=40),
)
def test_any_lexicon_in_range_scores_finitely(
    terms: dict[str, float], factor: float, words: list[str]
) -> None:
    lexicon = Lexicon(terms=terms, intensifiers={"very": factor})
    score = score_sentiment(" ".join(words), lexicon).score
    assert math.isfinite(score)


def test_score_sentiment_takes_any_lexicon() -> None:
    mine = attrs.evolve(DEFAULT_LEXICON, terms={**DEFAULT_LEXICON.terms, "meh": 3})
    assert score_sentiment("meh", mine).score == 3
    with pytest.raises(InvalidInputError, match="lexicon"):
        SentimentScorer({"good": 1})  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="text"):
        SCORER.score(None)  # type: ignore[arg-type]


def _item(text: str) -> Feedback:
    return Feedback(id="f", channel=IntakeChannel.STAFF, received_at=AT, text=text)


def test_a_rule_may_weigh_sentiment_alone_and_the_result_says_why() -> None:
    classifier = RuleClassifier([Rule(name="happy", type=FeedbackType.PRAISE, sentiment_above=0.5)])
    result = classifier.classify(_item("好吃，就是太咸了"))
    assert (result.type, result.type_rule) == (FeedbackType.PRAISE, "happy")
    assert result.sentiment == pytest.approx(0.875)
    assert result.clauses == ("+2 好吃 [好吃=+2]", "-2.2 x0.5 就是太咸了 [咸=-2.25]")
    assert classifier.classify(_item("好吃，但是太咸了")).type is FeedbackType.OTHER


def test_the_default_rules_keep_a_mixed_review_praise_and_a_complaint_a_complaint() -> None:
    classifier = RuleClassifier()
    assert classifier.classify(_item("好吃，就是太咸了")).type is FeedbackType.PRAISE
    assert classifier.classify(_item("好吃，但是太咸了，再也不买了")).type is not (
        FeedbackType.PRAISE
    )
    great = "Great tablet, the only con is it's a bit slow"
    assert classifier.classify(_item(great)).type is FeedbackType.PRAISE
    assert classifier.classify(_item("Ridiculous. Pathetic.")).type is FeedbackType.COMPLAINT


def test_rules_without_sentiment_give_no_score() -> None:
    classifier = RuleClassifier([Rule(name="jam", keywords=("jam",), type=FeedbackType.DEFECT)])
    assert classifier.classify(_item("it jams, awful")).sentiment is None


def test_sentiment_bounds_are_checked() -> None:
    with pytest.raises(InvalidInputError, match="sentiment_below"):
        Rule(name="x", type=FeedbackType.PRAISE, sentiment_above=1, sentiment_below=0)
    with pytest.raises(InvalidInputError, match="sentiment_above"):
        Rule(name="x", type=FeedbackType.PRAISE, sentiment_above=float("nan"))


def test_a_rule_with_sentiment_stores_and_loads() -> None:
    rule = Rule(name="x", type=FeedbackType.COMPLAINT, sentiment_below=-1.5)
    assert from_dict(to_dict(rule), Rule) == rule


def test_a_verdict_clause_weighs_more_than_the_remarks_before_it() -> None:
    lexicon = Lexicon(terms={"good": 1.5, "noisy": -1}, verdicts=("overall",), verdict=2)
    scorer = SentimentScorer(lexicon)
    assert scorer.score("noisy, overall good").score == pytest.approx(-1 + 2 * 1.5)
    assert scorer.score("noisy, good").score == pytest.approx(-1 + 1.5)
    # the marker after a term opens a clause of its own, as turns and remarks do
    result = scorer.score("noisy overall good")
    assert [c.weight for c in result.clauses] == [1, 2]
    assert result.explain()[-1].startswith("+1.5 x2 overall good")


@given(st.sampled_from(["好", "差", "good", "bad"]), st.floats(1.0, 10.0))
def test_a_verdict_multiplies_its_clause_by_the_lexicon_weight(word: str, weight: float) -> None:
    lexicon = Lexicon(terms={"好": 1, "差": -2, "good": 1, "bad": -2}, verdicts=("总体",))
    plain = score_sentiment(word, lexicon).score
    weighed = score_sentiment(f"总体{word}", attrs.evolve(lexicon, verdict=weight)).score
    assert weighed == pytest.approx(weight * plain)


@pytest.mark.parametrize("weight", [0.5, 11.0, float("nan")])
def test_a_verdict_weight_outside_one_to_ten_is_refused(weight: float) -> None:
    with pytest.raises(ValueError, match="verdict"):
        Lexicon(terms={"good": 1}, verdicts=("overall",), verdict=weight)


def test_a_verdict_marker_listed_as_a_term_too_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="already listed"):
        Lexicon(terms={"overall": 1}, verdicts=("Overall",))


@pytest.mark.parametrize("text", ["won't or can't charge", "not: can't charge", "no can't charge"])
def test_a_term_that_is_itself_a_denial_is_not_negated_again(text: str) -> None:
    lexicon = Lexicon(
        terms={"can't charge": -2, "good": 1.5}, negators=("not", "no", "won't", "can't")
    )
    scorer = SentimentScorer(lexicon)
    assert scorer.score(text).score == -2
    assert scorer.score("not good").score == 1.5 * lexicon.negation
