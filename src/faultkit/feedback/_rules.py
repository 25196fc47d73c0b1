"""The default classification rules, as data: English keyword lists, in precedence order.

Source: written for faultkit from the feedback types the procedure names (defect,
usability, performance, feature request, question, complaint, praise) and the severity
scale of :class:`faultkit.models.Severity` (SEV1 data loss or safety, SEV2 outage for
many). They are a starting point, not a trained model: each organisation should extend
them with its own product names, error codes and language. Rule order matters - the
first matching rule sets each outcome - so the most severe and the most specific come
first.
"""

from __future__ import annotations

from faultkit.feedback.classify import FeedbackType, Rule
from faultkit.models import Frequency, Severity

__all__ = ["DEFAULT_RULES"]

DEFAULT_RULES: tuple[Rule, ...] = (
    # ---- severity first: the worst consequences
    Rule(
        name="safety-or-data-loss",
        type=FeedbackType.DEFECT,
        severity=Severity.SEV1,
        keywords=(
            "data loss",
            "lost data",
            "lost all",
            "data was deleted",
            "deleted my data",
            "corrupted",
            "security",
            "breach",
            "hacked",
            "leaked",
            "fire",
            "smoke",
            "overheating",
            "electric shock",
            "injury",
            "injured",
        ),
    ),
    Rule(
        name="outage",
        type=FeedbackType.DEFECT,
        severity=Severity.SEV2,
        keywords=(
            "outage",
            "is down",
            "went down",
            "not available",
            "unavailable",
            "cannot log in",
            "can't log in",
            "cannot login",
            "can't login",
            "unable to log in",
            "nobody can",
            "no one can",
            "everyone",
            "all users",
        ),
    ),
    # ---- types
    Rule(
        name="defect",
        type=FeedbackType.DEFECT,
        severity=Severity.SEV3,
        keywords=(
            "bug",
            "crash",
            "crashes",
            "crashed",
            "crashing",
            "error",
            "errors",
            "broken",
            "doesn't work",
            "does not work",
            "not working",
            "stopped working",
            "fails",
            "failed",
            "failure",
            "exception",
            "freeze",
            "freezes",
            "frozen",
            "jam",
            "jams",
            "jammed",
            "wrong",
            "incorrect",
            "blank",
            "missing",
        ),
    ),
    Rule(
        name="performance",
        type=FeedbackType.PERFORMANCE,
        severity=Severity.SEV4,
        keywords=(
            "slow",
            "slowly",
            "slower",
            "lag",
            "laggy",
            "lagging",
            "takes forever",
            "timeout",
            "timed out",
            "times out",
            "latency",
            "sluggish",
            "hangs",
            "loading",
        ),
    ),
    Rule(
        name="usability",
        type=FeedbackType.USABILITY,
        severity=Severity.SEV4,
        keywords=(
            "confusing",
            "confused",
            "hard to find",
            "can't find",
            "cannot find",
            "unclear",
            "not intuitive",
            "unintuitive",
            "difficult to use",
            "hard to use",
            "too many clicks",
        ),
    ),
    Rule(
        name="feature-request",
        type=FeedbackType.FEATURE_REQUEST,
        severity=Severity.SEV5,
        keywords=(
            "feature request",
            "please add",
            "could you add",
            "can you add",
            "would be nice",
            "would be great",
            "would love",
            "i wish",
            "suggestion",
            "it would help",
        ),
    ),
    Rule(
        name="complaint",
        type=FeedbackType.COMPLAINT,
        keywords=(
            "disappointed",
            "unacceptable",
            "terrible",
            "awful",
            "worst",
            "refund",
            "angry",
            "frustrated",
            "frustrating",
            "complaint",
            "cancel my",
            "rude",
        ),
    ),
    Rule(
        name="question",
        type=FeedbackType.QUESTION,
        severity=Severity.SEV5,
        pattern=r"(?m)^\s*(how|where|what|when|why|which|can|is|are|do|does)\b[^.!]*\?",
    ),
    Rule(
        name="praise",
        type=FeedbackType.PRAISE,
        severity=Severity.SEV5,
        keywords=(
            "thank you",
            "thanks",
            "great job",
            "well done",
            "love it",
            "love the",
            "awesome",
            "excellent",
            "fantastic",
            "brilliant",
            "perfect",
        ),
    ),
    # ---- how often the customer says it happens
    Rule(
        name="continuous",
        frequency=Frequency.CONTINUOUS,
        keywords=("constantly", "all the time", "non-stop", "permanently", "since yesterday"),
    ),
    Rule(
        name="recurring",
        frequency=Frequency.RECURRING,
        keywords=("always", "every time", "each time", "whenever", "every day", "daily"),
    ),
    Rule(
        name="intermittent",
        frequency=Frequency.INTERMITTENT,
        keywords=("sometimes", "occasionally", "randomly", "intermittent", "now and then"),
    ),
    Rule(
        name="once",
        frequency=Frequency.ONCE,
        keywords=("once", "one time", "just happened", "for the first time"),
    ),
)
