"""Rule-based classification and the classifier protocol."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings

from faultkit.errors import InvalidInputError
from faultkit.feedback import (
    Classification,
    Classifier,
    EmailFeedback,
    Feedback,
    FeedbackType,
    Rule,
    RuleClassifier,
    classify_all,
)
from faultkit.feedback.rules import DEFAULT_RULES
from faultkit.models import Frequency, IntakeChannel, Severity
from faultkit.serialization import from_dict, to_dict
from faultkit.testing.feedback import any_feedback, classifications, rules

AT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def item(text: str, **kw: object) -> Feedback:
    fields: dict[str, object] = {
        "id": "f1",
        "channel": IntakeChannel.STAFF,
        "received_at": AT,
        "text": text,
    }
    fields.update(kw)
    return Feedback(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "kind", "severity", "rule"),
    [
        (
            "I lost all my photos after the update",
            FeedbackType.DEFECT,
            Severity.SEV1,
            "safety-or-data-loss",
        ),
        ("The charger smells of smoke", FeedbackType.DEFECT, Severity.SEV1, "safety-or-data-loss"),
        ("Nobody can log in this morning", FeedbackType.DEFECT, Severity.SEV2, "outage"),
        ("The app crashes when I open settings", FeedbackType.DEFECT, Severity.SEV3, "defect"),
        ("Search takes forever to load", FeedbackType.PERFORMANCE, Severity.SEV4, "performance"),
        ("The export menu is confusing", FeedbackType.USABILITY, Severity.SEV4, "usability"),
        ("Please add a dark mode", FeedbackType.FEATURE_REQUEST, Severity.SEV5, "feature-request"),
        ("How do I export my invoices?", FeedbackType.QUESTION, Severity.SEV5, "question"),
        ("Your support was rude, I want a refund", FeedbackType.COMPLAINT, None, "complaint"),
        (
            "Thank you, the new version is brilliant",
            FeedbackType.PRAISE,
            Severity.SEV5,
            "mostly-praise",
        ),
        ("Lorem ipsum dolor", FeedbackType.OTHER, None, None),
    ],
)
def test_default_rules(
    text: str, kind: FeedbackType, severity: Severity | None, rule: str | None
) -> None:
    result = RuleClassifier().classify(item(text))
    assert result.type is kind
    assert result.severity is severity
    assert result.type_rule == rule


@pytest.mark.parametrize(
    ("text", "frequency"),
    [
        ("It crashes every time I print", Frequency.RECURRING),
        ("The screen flickers constantly", Frequency.CONTINUOUS),
        ("Sometimes the upload fails", Frequency.INTERMITTENT),
        ("It froze once", Frequency.ONCE),
        ("It froze", None),
    ],
)
def test_default_frequency_rules(text: str, frequency: Frequency | None) -> None:
    assert RuleClassifier().classify(item(text)).frequency is frequency


def test_keywords_match_whole_words_and_any_case() -> None:
    classifier = RuleClassifier(
        [Rule(name="jam", keywords=("paper jam",), type=FeedbackType.DEFECT)]
    )
    assert classifier.classify(item("PAPER   JAM in tray 2")).type is FeedbackType.DEFECT
    assert classifier.classify(item("paper jamming")).type is FeedbackType.OTHER
    assert classifier.classify(item("x", subject="Paper jam")).type_rule == "jam"


def test_keywords_and_sentiment_do_not_read_web_or_mail_addresses() -> None:
    # Found on Thai social-media posts (wisesight): a Thai post about heartbreak was SEV1
    # for the word "injury" in the address of the English article it cited.
    post = (
        "งานวิจัยเผยอาการอกหักส่งผลระยะยาวต่อหัวใจ ที่มา "
        "http://www.independent.co.uk/life-style/broken-heart-attack-damage-injury.html"
    )
    result = RuleClassifier().classify(item(post))
    assert result.severity is not Severity.SEV1
    assert "safety-or-data-loss" not in result.matched
    mail = RuleClassifier().classify(item("日志请发到 crash.reports@example.com"))
    assert mail.type is FeedbackType.OTHER
    # the words around an address are still read, and a pattern still sees the address
    near = RuleClassifier().classify(item("See www.example.com/help - the app crashes"))
    assert near.type_rule == "defect"
    status = RuleClassifier(
        [Rule(name="status", pattern=r"status\.example\.com", type=FeedbackType.QUESTION)]
    )
    assert status.classify(item("is https://status.example.com down?")).type_rule == "status"


def test_first_matching_rule_wins_each_outcome_and_all_matches_are_listed() -> None:
    classifier = RuleClassifier(
        [
            Rule(name="vip-printer", products=("PrintHub",), severity=Severity.SEV2),
            Rule(
                name="hotline-defect", channels=(IntakeChannel.HOTLINE,), type=FeedbackType.DEFECT
            ),
            Rule(
                name="codes",
                pattern=r"\bE-\d{3}\b",
                type=FeedbackType.QUESTION,
                severity=Severity.SEV4,
            ),
        ]
    )
    result = classifier.classify(item("shows e-301", product="printhub"))
    assert result == Classification(
        type=FeedbackType.QUESTION,
        severity=Severity.SEV2,
        type_rule="codes",
        severity_rule="vip-printer",
        matched=("vip-printer", "codes"),
    )
    other = classifier.classify(item("shows E-301", product="Other"))
    assert (other.severity, other.severity_rule) == (Severity.SEV4, "codes")


def test_custom_rules_before_the_defaults() -> None:
    classifier = RuleClassifier(
        (Rule(name="mine", keywords=("crashes",), type=FeedbackType.OTHER), *DEFAULT_RULES)
    )
    result = classifier.classify(item("It crashes"))
    assert (result.type, result.type_rule, result.severity_rule) == (
        FeedbackType.OTHER,
        "mine",
        "defect",
    )


def test_bad_rules_are_refused() -> None:
    with pytest.raises(InvalidInputError) as info:
        Rule(name="r", keywords=("x",), pattern="(unclosed", type=FeedbackType.DEFECT)
    assert (info.value.field, info.value.value) == ("pattern", "(unclosed")
    with pytest.raises(InvalidInputError, match="no outcome"):
        Rule(name="r", keywords=("x",))
    with pytest.raises(InvalidInputError, match="no condition"):
        Rule(name="r", type=FeedbackType.DEFECT)
    with pytest.raises(InvalidInputError):
        Rule(name="r", keywords=("x",), type="defect")  # type: ignore[arg-type]
    good = Rule(name="r", keywords=("x",), type=FeedbackType.DEFECT)
    with pytest.raises(InvalidInputError) as dup:
        RuleClassifier([good, good])
    assert dup.value.field == "rules[1].name"
    with pytest.raises(InvalidInputError):
        RuleClassifier(["not a rule"])  # type: ignore[list-item]
    with pytest.raises(InvalidInputError):
        RuleClassifier().classify("text")  # type: ignore[arg-type]


class _Model:
    """A stand-in for a wrapped ML model: everything e-mailed is a question."""

    def classify(self, feedback: Feedback) -> Classification:
        kind = (
            FeedbackType.QUESTION if feedback.channel is IntakeChannel.EMAIL else FeedbackType.OTHER
        )
        return Classification(type=kind, type_rule="model-v1")


def test_any_object_with_classify_is_a_classifier() -> None:
    assert isinstance(_Model(), Classifier)
    assert isinstance(RuleClassifier(), Classifier)
    mail = EmailFeedback(id="m1", received_at=AT, text="It crashes")
    results = classify_all([mail, item("It crashes")], _Model())
    assert results["m1"].type is FeedbackType.QUESTION
    assert classify_all([item("It crashes")])["f1"].type is FeedbackType.DEFECT


def test_classify_all_refuses_duplicates_and_bad_classifiers() -> None:
    with pytest.raises(InvalidInputError):
        classify_all([item("a"), item("b")])

    class Broken:
        def classify(self, feedback: Feedback) -> Classification:
            return "defect"  # type: ignore[return-value]

    with pytest.raises(InvalidInputError, match="Classification"):
        classify_all([item("a")], Broken())


@settings(max_examples=100, deadline=None)
@given(any_feedback())
def test_default_classifier_always_answers_and_names_real_rules(feedback: Feedback) -> None:
    result = RuleClassifier().classify(feedback)
    names = {r.name for r in DEFAULT_RULES}
    assert set(result.matched) <= names
    for rule_name in (result.type_rule, result.severity_rule, result.frequency_rule):
        assert rule_name is None or rule_name in result.matched
    assert (result.type_rule is None) == (
        result.type is FeedbackType.OTHER and not result.type_rule
    )


@settings(max_examples=60, deadline=None)
@given(rules())
def test_rule_round_trip(rule: Rule) -> None:
    assert from_dict(to_dict(rule), Rule) == rule
    RuleClassifier([rule])  # every valid rule compiles


@settings(max_examples=60, deadline=None)
@given(classifications())
def test_classification_round_trip(result: Classification) -> None:
    assert from_dict(to_dict(result), Classification) == result
