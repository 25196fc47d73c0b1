"""What the tests of the default rules on Chinese and on English text share.

``test_feedback_rules_chinese`` and ``test_feedback_rules_english`` classify short
texts with the default rules and score them with the default lexicon.
"""

from __future__ import annotations

from datetime import UTC, datetime

from faultkit.feedback import Feedback, FeedbackType, RuleClassifier
from faultkit.feedback.lexicon import DEFAULT_LEXICON
from faultkit.feedback.sentiment import SentimentScorer
from faultkit.models import IntakeChannel, Severity

AT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
CLASSIFIER = RuleClassifier()
SCORER = SentimentScorer(DEFAULT_LEXICON)
PROBLEMS = {
    FeedbackType.DEFECT,
    FeedbackType.COMPLAINT,
    FeedbackType.PERFORMANCE,
    FeedbackType.USABILITY,
}
"""The types issue 18's figures count as a problem."""


def classify(text: str) -> tuple[FeedbackType, Severity | None, str | None]:
    """The type, severity and deciding rule the default rules give ``text``."""
    result = CLASSIFIER.classify(
        Feedback(id="f", channel=IntakeChannel.STAFF, received_at=AT, text=text)
    )
    return result.type, result.severity, result.type_rule
