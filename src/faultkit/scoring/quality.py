"""Report quality: a 0-100 score of a fault report against the review standard.

The formula::

    score = round( sum over criteria c of  weight(c) x fraction(c) )

with the weights of :data:`faultkit.scoring._tables.REPORT_QUALITY_CRITERIA` (they sum
to 100) and each criterion's fraction met, 0 to 1:

- ``required_fields``: the share of the standard's required fields that are present
  (component, version, environment, affected users, preliminary cause by default) -
  and a title or description that is a placeholder (``"n/a"``, ``"tbd"``, ``"?"``)
  counts as missing;
- ``steps_to_reproduce``: 0 without steps; 0.5 when no step says what was expected and
  what happened instead; 0.75 for a single complete step; 1 for two or more steps
  with at least one complete;
- ``error_codes``: 1 when any is given, else 0;
- ``attachments``: 1 with a log, trace or dump among them, 0.6 with other evidence
  only (screenshots, photos), 0 with none;
- ``timestamps``: 1 when the step times are in order and fall between ``observed_at -
  max_lead`` and ``reported_at``, else 0 (``observed_at <= reported_at`` is already
  enforced by :class:`~faultkit.models.FaultReport`);
- ``description``: 1, halved for each weakness, 0 from two: shorter than
  ``min_description_chars`` or ``min_description_words``; the same text as the title;
  made mostly of generic phrases ("doesn't work", "broken", "error", "please fix").

Every criterion that is not fully met adds a :class:`QualityFinding` saying what is
missing (fraction 0) or weak (between 0 and 1).
"""

from __future__ import annotations

import enum
import re
from datetime import timedelta
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.models import AttachmentKind, FaultReport
from faultkit.scoring import _tables

__all__ = [
    "DEFAULT_REVIEW_STANDARD",
    "CriterionScore",
    "FindingKind",
    "QualityFinding",
    "QualityScore",
    "ReviewStandard",
    "report_quality",
]

_CRITERIA = {name: (weight, text) for name, weight, text in _tables.REPORT_QUALITY_CRITERIA}
_PLACEHOLDERS = frozenset(
    {"n/a", "na", "tbd", "todo", "?", "??", "-", "--", ".", "none", "unknown", "test", "xxx"}
)
_GENERIC = (
    "doesn't work",
    "does not work",
    "not working",
    "is broken",
    "broken",
    "error",
    "issue",
    "problem",
    "please fix",
    "help",
    "asap",
    "urgent",
    "it fails",
    "failed",
)
_WORD = re.compile(r"\w+")
_EVIDENCE = frozenset({AttachmentKind.LOG, AttachmentKind.TRACE, AttachmentKind.DUMP})
_REQUIRED_FIELDS = ("component", "version", "environment", "affected_users", "preliminary_cause")


class FindingKind(enum.StrEnum):
    """Whether a criterion is not met at all or only in part."""

    MISSING = "missing"
    WEAK = "weak"


@attrs.frozen
class QualityFinding:
    """What a report lacks for one criterion.

    Attributes:
        criterion: the criterion's name (``"steps_to_reproduce"``).
        kind: missing (nothing of it) or weak (only part of it).
        message: what to add or fix, in words.
    """

    criterion: str
    kind: FindingKind
    message: str


@attrs.frozen
class CriterionScore:
    """One criterion's share of the score.

    Attributes:
        criterion: the criterion's name.
        weight: its weight, out of the standard's total.
        fraction: how much of it the report meets, 0-1.
    """

    criterion: str
    weight: int
    fraction: float

    @property
    def points(self) -> float:
        """``weight x fraction``."""
        return self.weight * self.fraction


@attrs.frozen
class QualityScore:
    """A report's quality against the review standard.

    Attributes:
        score: 0-100, rounded.
        passed: whether ``score`` reaches the standard's ``pass_score``.
        findings: what is missing or weak, in criterion order; empty for a full score.
        breakdown: each criterion's weight and fraction met.
    """

    score: int
    passed: bool
    findings: tuple[QualityFinding, ...]
    breakdown: tuple[CriterionScore, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        """The names of the criteria with nothing met."""
        return tuple(f.criterion for f in self.findings if f.kind is FindingKind.MISSING)

    @property
    def weak(self) -> tuple[str, ...]:
        """The names of the criteria met only in part."""
        return tuple(f.criterion for f in self.findings if f.kind is FindingKind.WEAK)


def _weights(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, dict) or not value:
        raise InvalidInputError(attribute.name, value, "expected a non-empty mapping")
    for name, weight in value.items():
        if name not in _CRITERIA:
            allowed = ", ".join(_CRITERIA)
            raise InvalidInputError(
                f"{attribute.name}", name, f"unknown criterion (known: {allowed})"
            )
        if type(weight) is not int or weight < 0:
            raise InvalidInputError(f"{attribute.name}.{name}", weight, "expected an int >= 0")
    if sum(value.values()) != 100:
        raise InvalidInputError(attribute.name, value, "weights must sum to 100")


def _positive_int(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not int or value < 0:
        raise InvalidInputError(attribute.name, value, "expected a whole number >= 0")


def _pass_score(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not int or not 0 <= value <= 100:
        raise InvalidInputError(attribute.name, value, "expected a whole number 0-100")


def _required(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not tuple:
        raise InvalidInputError(attribute.name, value, "expected a sequence of field names")
    known = {a.name for a in attrs.fields(FaultReport)}
    for name in value:
        if name not in known:
            raise InvalidInputError(attribute.name, name, "not a FaultReport field")


@attrs.frozen(kw_only=True)
class ReviewStandard:
    """The written review standard a report is scored against; every threshold configurable.

    Attributes:
        weights: weight of each criterion, summing to 100 (default: the table's).
        required_fields: :class:`~faultkit.models.FaultReport` fields that the
            standard requires on top of the record's own required ones.
        min_description_chars: a shorter description is weak.
        min_description_words: a description with fewer words is weak.
        max_lead: how long before ``observed_at`` a reproduction step may be.
        pass_score: the lowest score that passes review.
    """

    weights: dict[str, int] = attrs.field(
        factory=lambda: {name: weight for name, (weight, _) in _CRITERIA.items()},
        validator=_weights,
    )
    required_fields: tuple[str, ...] = attrs.field(
        default=_REQUIRED_FIELDS, converter=v.list_to_tuple, validator=_required
    )
    min_description_chars: int = attrs.field(default=40, validator=_positive_int)
    min_description_words: int = attrs.field(default=8, validator=_positive_int)
    max_lead: timedelta = attrs.field(default=timedelta(days=1), validator=v.non_negative_timedelta)
    pass_score: int = attrs.field(default=70, validator=_pass_score)

    def assess(self, report: FaultReport) -> QualityScore:
        """Score ``report`` against this standard: ``report_quality(report, self)``.

        This makes the standard a ``faultkit.lifecycle`` review checklist: the result
        has ``passed`` and ``missing``.
        """
        return report_quality(report, self)


DEFAULT_REVIEW_STANDARD = ReviewStandard()
"""The built-in review standard (weights from ``_tables.REPORT_QUALITY_CRITERIA``)."""


def _is_placeholder(text: str) -> bool:
    return text.strip().lower() in _PLACEHOLDERS


def _required_fields(report: FaultReport, standard: ReviewStandard) -> tuple[float, str | None]:
    missing = [name for name in standard.required_fields if getattr(report, name) in (None, (), {})]
    missing += [name for name in ("title", "description") if _is_placeholder(getattr(report, name))]
    total = len(standard.required_fields) + 2
    if not missing:
        return 1.0, None
    return 1.0 - len(missing) / total, "missing or placeholder: " + ", ".join(missing)


def _steps(report: FaultReport) -> tuple[float, str | None]:
    steps = report.steps
    if not steps:
        return 0.0, "no steps to reproduce"
    complete = any(s.expected is not None and s.actual is not None for s in steps)
    if not complete:
        return 0.5, "no step says what was expected and what happened instead"
    if len(steps) == 1:
        return 0.75, "a single step: give the whole path to the symptom"
    return 1.0, None


def _error_codes(report: FaultReport) -> tuple[float, str | None]:
    return (1.0, None) if report.error_codes else (0.0, "no error codes")


def _attachments(report: FaultReport) -> tuple[float, str | None]:
    if not report.attachments:
        return 0.0, "no attachments: add logs, screenshots or dumps"
    if any(a.kind in _EVIDENCE for a in report.attachments):
        return 1.0, None
    return 0.6, "no log, trace or dump among the attachments"


def _timestamps(report: FaultReport, standard: ReviewStandard) -> tuple[float, str | None]:
    times = [s.at for s in report.steps if s.at is not None]
    earliest = report.observed_at - standard.max_lead
    for i, at in enumerate(times):
        if at > report.reported_at:
            return 0.0, f"a step time ({at.isoformat()}) is after the report was made"
        if at < earliest:
            return 0.0, f"a step time ({at.isoformat()}) is long before the symptom was observed"
        if i and at < times[i - 1]:
            return 0.0, "step times are not in order"
    return 1.0, None


def _description(report: FaultReport, standard: ReviewStandard) -> tuple[float, str | None]:
    text = report.description.strip()
    lowered = text.lower()
    weaknesses = []
    words = _WORD.findall(lowered)
    if len(text) < standard.min_description_chars or len(words) < standard.min_description_words:
        weaknesses.append(
            f"too short (at least {standard.min_description_chars} characters and "
            f"{standard.min_description_words} words)"
        )
    if lowered == report.title.strip().lower():
        weaknesses.append("repeats the title")
    remainder = lowered
    for phrase in _GENERIC:
        remainder = remainder.replace(phrase, " ")
    if words and len(_WORD.findall(remainder)) * 2 < len(words):
        weaknesses.append("mostly generic words: say what happened, where and when")
    if not weaknesses:
        return 1.0, None
    return (0.5 if len(weaknesses) == 1 else 0.0), "; ".join(weaknesses)


def report_quality(
    report: FaultReport, standard: ReviewStandard = DEFAULT_REVIEW_STANDARD
) -> QualityScore:
    """Score ``report`` 0-100 against the review ``standard`` and list what is missing or weak.

    See the module docstring for the formula and each criterion.

    Raises:
        InvalidInputError: ``report`` is not a :class:`~faultkit.models.FaultReport`.
    """
    if not isinstance(report, FaultReport):
        raise InvalidInputError("report", report, "expected a FaultReport")
    checks = {
        "required_fields": _required_fields(report, standard),
        "steps_to_reproduce": _steps(report),
        "error_codes": _error_codes(report),
        "attachments": _attachments(report),
        "timestamps": _timestamps(report, standard),
        "description": _description(report, standard),
    }
    breakdown = []
    findings = []
    for name, weight in standard.weights.items():
        fraction, message = checks[name]
        breakdown.append(CriterionScore(name, weight, fraction))
        if message is not None and weight:
            kind = FindingKind.MISSING if fraction == 0.0 else FindingKind.WEAK
            findings.append(QualityFinding(name, kind, message))
    score = round(sum(c.points for c in breakdown))
    return QualityScore(
        score=score,
        passed=score >= standard.pass_score,
        findings=tuple(findings),
        breakdown=tuple(breakdown),
    )
