"""Satisfaction surveys: NPS, CSAT and CES with confidence intervals and breakdowns.

The three scores, how they are computed, and where the formulas come from:

**Net Promoter Score** (Reichheld, F. F. (2003), "The One Number You Need to Grow",
*Harvard Business Review* 81(12)). Answers are integers 0-10 to "How likely are you to
recommend ...". Promoters answer 9-10, passives 7-8, detractors 0-6::

    NPS = 100 * (promoters - detractors) / n             (-100 .. 100)

Its interval is the Wald interval of a difference of two multinomial proportions
(see Rocks, B. (2016), "Interval estimation for the 'net promoter score'",
*The American Statistician* 70(4)), with ``pP = promoters / n`` and
``pD = detractors / n``::

    Var(pP - pD) = (pP + pD - (pP - pD)^2) / n
    NPS +- 100 * z * sqrt(Var)                           (clipped to -100 .. 100)

**Customer satisfaction** (CSAT), top-two-box: the percentage of answers in the two
highest boxes of a ``1..scale`` scale (4 and 5 on the usual five-point scale; see
Sauro, J. & Lewis, J. R. (2016), *Quantifying the User Experience*, 2nd ed.,
"top-box scoring"). Its interval is the Wilson score interval (Wilson, E. B. (1927),
*JASA* 22:209-212), as percentages.

**Customer effort score** (CES): the mean answer on a 1-7 scale ("The company made it
easy for me to handle my issue", 7 = strongly agree; Dixon, M., Freeman, K. & Toman, N.
(2010), "Stop Trying to Delight Your Customers", *Harvard Business Review*, and the
CES 2.0 wording of CEB, 2013). Its interval is the Student *t* interval of a mean,
``mean +- t(df = n - 1) * s / sqrt(n)`` with the sample standard deviation ``s``,
clipped to the scale; there is none for a single answer.

Every result carries the number of answers ``n`` and, when the number of people
surveyed is given, the response rate ``100 * n / surveyed``.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any, TypeAlias

import attrs

from faultkit import _validators as v
from faultkit.dimensions import SURVEY_DIMENSIONS, Dimension, check_dimension
from faultkit.errors import InvalidInputError
from faultkit.feedback import _stats
from faultkit.feedback.periods import Period, period_start
from faultkit.feedback.privacy import PERSONAL
from faultkit.models import IntakeChannel

__all__ = [
    "CesResult",
    "ConfidenceInterval",
    "CsatResult",
    "IntervalMethod",
    "NpsResult",
    "SurveyGroup",
    "SurveyKind",
    "SurveyResponse",
    "SurveyResult",
    "ces",
    "csat",
    "nps",
    "survey_breakdown",
]


class IntervalMethod(enum.StrEnum):
    """How a confidence interval was computed."""

    WILSON = "wilson"
    """Wilson score interval for a proportion."""
    WALD_MULTINOMIAL = "wald_multinomial"
    """Wald interval for a difference of multinomial proportions (NPS)."""
    STUDENT_T = "student_t"
    """Student *t* interval for a mean."""


class SurveyKind(enum.StrEnum):
    """Which question a survey answer belongs to."""

    NPS = "nps"
    """Likelihood to recommend, 0-10."""
    CSAT = "csat"
    """Satisfaction on a ``1..scale`` scale (usually 1-5)."""
    CES = "ces"
    """Effort, agreement on 1-7 that it was easy."""


def _level(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.float_between(0.0, 1.0)(_inst, attribute, value)
    if not 0 < value < 1:
        raise InvalidInputError(attribute.name, value, "must be strictly between 0 and 1")


@attrs.frozen(kw_only=True)
class ConfidenceInterval:
    """A two-sided confidence interval, on the same scale as the score it belongs to.

    Attributes:
        low: the lower bound.
        high: the upper bound (not below ``low``).
        level: the confidence level, such as 0.95.
        method: how it was computed.
    """

    low: float = attrs.field(validator=v.float_between(-math.inf, math.inf))
    high: float = attrs.field(validator=v.float_between(-math.inf, math.inf))
    level: float = attrs.field(validator=_level)
    method: IntervalMethod = attrs.field(validator=v.member_of(IntervalMethod))

    def __attrs_post_init__(self) -> None:
        if self.high < self.low:
            raise InvalidInputError("high", self.high, f"is below low ({self.low})")


_percent = v.float_between(0.0, 100.0)
_optional_percent = v.optional_float_between(0.0, 100.0)


def _optional_interval(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.optional_instance(ConfidenceInterval)(_inst, attribute, value)


@attrs.frozen(kw_only=True)
class NpsResult:
    """A Net Promoter Score.

    Attributes:
        score: percentage of promoters minus percentage of detractors, -100 to 100.
        promoters: answers of 9 or 10.
        passives: answers of 7 or 8.
        detractors: answers of 0 to 6.
        n: the number of answers.
        interval: the confidence interval of ``score`` (Wald, multinomial variance).
        surveyed: how many people were asked, if given.
        response_rate: ``100 * n / surveyed`` when ``surveyed`` is given.
    """

    score: float = attrs.field(validator=v.float_between(-100.0, 100.0))
    promoters: int = attrs.field(validator=v.non_negative_int)
    passives: int = attrs.field(validator=v.non_negative_int)
    detractors: int = attrs.field(validator=v.non_negative_int)
    n: int = attrs.field(validator=v.non_negative_int)
    interval: ConfidenceInterval = attrs.field(validator=v.instance(ConfidenceInterval))
    surveyed: int | None = attrs.field(default=None, validator=v.optional_non_negative_int)
    response_rate: float | None = attrs.field(default=None, validator=_optional_percent)


@attrs.frozen(kw_only=True)
class CsatResult:
    """A customer satisfaction score (top-two-box).

    Attributes:
        score: percentage of answers in the two top boxes, 0 to 100.
        satisfied: the number of answers in the two top boxes.
        n: the number of answers.
        scale: the highest answer on the scale (answers run from 1 to ``scale``).
        interval: the Wilson confidence interval of ``score``, in percent.
        surveyed: how many people were asked, if given.
        response_rate: ``100 * n / surveyed`` when ``surveyed`` is given.
    """

    score: float = attrs.field(validator=_percent)
    satisfied: int = attrs.field(validator=v.non_negative_int)
    n: int = attrs.field(validator=v.non_negative_int)
    scale: int = attrs.field(validator=v.non_negative_int)
    interval: ConfidenceInterval = attrs.field(validator=v.instance(ConfidenceInterval))
    surveyed: int | None = attrs.field(default=None, validator=v.optional_non_negative_int)
    response_rate: float | None = attrs.field(default=None, validator=_optional_percent)


@attrs.frozen(kw_only=True)
class CesResult:
    """A customer effort score: the mean answer.

    Attributes:
        score: the mean answer, 1 to ``scale``.
        n: the number of answers.
        scale: the highest answer on the scale (7 for CES 2.0).
        std_dev: the sample standard deviation; ``None`` for a single answer.
        interval: the Student *t* interval of the mean; ``None`` for a single answer.
        surveyed: how many people were asked, if given.
        response_rate: ``100 * n / surveyed`` when ``surveyed`` is given.
    """

    score: float = attrs.field(validator=v.float_between(1.0, math.inf))
    n: int = attrs.field(validator=v.non_negative_int)
    scale: int = attrs.field(validator=v.non_negative_int)
    std_dev: float | None = attrs.field(default=None, validator=v.optional_float_between(0, 1e9))
    interval: ConfidenceInterval | None = attrs.field(default=None, validator=_optional_interval)
    surveyed: int | None = attrs.field(default=None, validator=v.optional_non_negative_int)
    response_rate: float | None = attrs.field(default=None, validator=_optional_percent)


SurveyResult: TypeAlias = NpsResult | CsatResult | CesResult
"""Any of the three survey results."""


# --------------------------------------------------------------------------- validation


def _check_level(level: Any) -> float:
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0 < level < 1:
        raise InvalidInputError("level", level, "expected a confidence level between 0 and 1")
    return float(level)


def _check_scores(scores: Iterable[Any], low: int, high: int, what: str) -> list[int]:
    checked: list[int] = []
    for index, score in enumerate(v.items_of("scores", scores)):
        if isinstance(score, bool) or not isinstance(score, int) or not low <= score <= high:
            raise InvalidInputError(
                f"scores[{index}]", score, f"{what} scores are integers from {low} to {high}"
            )
        checked.append(score)
    if not checked:
        raise InvalidInputError("scores", [], "at least one score is needed")
    return checked


def _response_rate(n: int, surveyed: Any) -> float | None:
    if surveyed is None:
        return None
    if isinstance(surveyed, bool) or not isinstance(surveyed, int):
        raise InvalidInputError("surveyed", surveyed, "expected an integer number of people")
    if surveyed < n:
        raise InvalidInputError(
            "surveyed", surveyed, f"fewer people surveyed than answers received ({n})"
        )
    return 100.0 * n / surveyed


def _check_scale(scale: Any, minimum: int) -> int:
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < minimum:
        raise InvalidInputError("scale", scale, f"expected an integer of at least {minimum}")
    return scale


# --------------------------------------------------------------------------- the scores


def nps(scores: Iterable[int], *, surveyed: int | None = None, level: float = 0.95) -> NpsResult:
    """Net Promoter Score of answers 0-10, with its confidence interval.

    Args:
        scores: the answers, integers from 0 to 10.
        surveyed: how many people were asked, to compute the response rate.
        level: the confidence level of the interval.

    Returns:
        The score (-100 to 100), the three counts, ``n``, the interval (see the module
        documentation for the variance formula) and the response rate.

    Raises:
        InvalidInputError: a score outside 0-10 or not an integer (``field`` is
            ``scores[i]``), no scores, fewer surveyed than answers, or a bad level.

    Example:
        >>> nps([10, 9, 8, 6, 10]).score
        40.0
    """
    level = _check_level(level)
    checked = _check_scores(scores, 0, 10, "NPS")
    n = len(checked)
    promoters = sum(1 for s in checked if s >= 9)
    detractors = sum(1 for s in checked if s <= 6)
    p_p, p_d = promoters / n, detractors / n
    value = p_p - p_d
    variance = max(0.0, (p_p + p_d - value * value) / n)
    half = _stats.z_value(level) * math.sqrt(variance)
    return NpsResult(
        score=100.0 * value,
        promoters=promoters,
        passives=n - promoters - detractors,
        detractors=detractors,
        n=n,
        interval=ConfidenceInterval(
            low=max(-100.0, 100.0 * (value - half)),
            high=min(100.0, 100.0 * (value + half)),
            level=level,
            method=IntervalMethod.WALD_MULTINOMIAL,
        ),
        surveyed=surveyed,
        response_rate=_response_rate(n, surveyed),
    )


def csat(
    scores: Iterable[int], scale: int = 5, *, surveyed: int | None = None, level: float = 0.95
) -> CsatResult:
    """Customer satisfaction: the percentage of top-two-box answers, with a Wilson interval.

    Args:
        scores: the answers, integers from 1 to ``scale``.
        scale: the highest answer (5 for the usual five-point scale; at least 3).
        surveyed: how many people were asked, to compute the response rate.
        level: the confidence level of the interval.

    Returns:
        The score (0-100), the number satisfied, ``n``, the interval and the response rate.

    Raises:
        InvalidInputError: a score outside ``1..scale`` (``field`` is ``scores[i]``),
            no scores, a bad scale or level, fewer surveyed than answers.

    Example:
        >>> csat([5, 4, 3, 2]).score
        50.0
    """
    level = _check_level(level)
    scale = _check_scale(scale, 3)
    checked = _check_scores(scores, 1, scale, "CSAT")
    n = len(checked)
    satisfied = sum(1 for s in checked if s >= scale - 1)
    low, high = _stats.wilson(satisfied, n, level)
    return CsatResult(
        score=100.0 * satisfied / n,
        satisfied=satisfied,
        n=n,
        scale=scale,
        interval=ConfidenceInterval(
            low=100.0 * low, high=100.0 * high, level=level, method=IntervalMethod.WILSON
        ),
        surveyed=surveyed,
        response_rate=_response_rate(n, surveyed),
    )


def ces(
    scores: Iterable[int], scale: int = 7, *, surveyed: int | None = None, level: float = 0.95
) -> CesResult:
    """Customer effort score: the mean answer on 1-7, with a Student *t* interval.

    Args:
        scores: the answers, integers from 1 to ``scale`` (7 = it was easy).
        scale: the highest answer (7 for CES 2.0; at least 2).
        surveyed: how many people were asked, to compute the response rate.
        level: the confidence level of the interval.

    Returns:
        The mean, ``n``, the sample standard deviation and interval (``None`` for a single
        answer) and the response rate.

    Raises:
        InvalidInputError: a score outside ``1..scale`` (``field`` is ``scores[i]``),
            no scores, a bad scale or level, fewer surveyed than answers.

    Example:
        >>> ces([7, 6, 5]).score
        6.0
    """
    level = _check_level(level)
    scale = _check_scale(scale, 2)
    checked = _check_scores(scores, 1, scale, "CES")
    n = len(checked)
    mean = math.fsum(checked) / n
    std_dev: float | None = None
    interval: ConfidenceInterval | None = None
    if n >= 2:
        std_dev = math.sqrt(math.fsum((s - mean) ** 2 for s in checked) / (n - 1))
        half = _stats.t_value(level, n - 1) * std_dev / math.sqrt(n)
        interval = ConfidenceInterval(
            low=max(1.0, mean - half),
            high=min(float(scale), mean + half),
            level=level,
            method=IntervalMethod.STUDENT_T,
        )
    return CesResult(
        score=mean,
        n=n,
        scale=scale,
        std_dev=std_dev,
        interval=interval,
        surveyed=surveyed,
        response_rate=_response_rate(n, surveyed),
    )


# --------------------------------------------------------------------------- breakdowns


@attrs.frozen(kw_only=True)
class SurveyResponse:
    """One answer to a satisfaction survey.

    Attributes:
        id: the answer's identifier; not blank.
        kind: which question it answers (NPS, CSAT, CES).
        score: the answer, an integer (its range is checked when a score is computed,
            because it depends on the scale).
        answered_at: when it was answered (timezone-aware).
        channel: the channel the surveyed contact came through, if known.
        product: the product concerned, if known.
        customer_id: who answered, if known (personal data).
        fault_id: the fault the survey followed up, if any.
        comment: the free-text comment, if any.
        feedback_id: the feedback item the survey followed up, if any.
        team: the team that handled it, if known.
        agent: the agent who handled it, if known.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    kind: SurveyKind = attrs.field(validator=v.member_of(SurveyKind))
    score: int = attrs.field(validator=v.non_negative_int)
    answered_at: datetime = attrs.field(validator=v.aware_datetime, eq=v.since_epoch)
    channel: IntakeChannel | None = attrs.field(
        default=None, validator=v.optional_member_of(IntakeChannel)
    )
    product: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    customer_id: str | None = attrs.field(
        default=None, validator=v.optional_non_empty_str, metadata={PERSONAL: True}
    )
    fault_id: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    comment: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    feedback_id: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    team: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    agent: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


_DIMENSION_TEXTS = frozenset(d.value for d in SURVEY_DIMENSIONS)
_KEY_OF: dict[Dimension, Callable[[SurveyResponse], str | None]] = {
    Dimension.CHANNEL: lambda r: None if r.channel is None else r.channel.value,
    Dimension.PRODUCT: lambda r: r.product,
    Dimension.FAULT: lambda r: r.fault_id,
    Dimension.TEAM: lambda r: r.team,
    Dimension.AGENT: lambda r: r.agent,
}
"""The group key of an answer, per dimension (the period is computed apart)."""


@attrs.frozen(kw_only=True)
class SurveyGroup:
    """The score of one group of a survey breakdown.

    Attributes:
        key: the channel value, the product name, the fault id, the team, the agent,
            or the ISO date the period starts on; ``None`` for answers that do not say.
        result: the score of the answers in the group.
    """

    key: str | None = attrs.field(validator=v.optional_non_empty_str)
    result: NpsResult | CsatResult | CesResult = attrs.field(
        validator=v.instance((NpsResult, CsatResult, CesResult)),
    )


def survey_breakdown(
    responses: Iterable[SurveyResponse],
    kind: SurveyKind,
    by: Dimension,
    *,
    period: Period = Period.MONTH,
    tz: tzinfo = UTC,
    scale: int | None = None,
    surveyed: Mapping[str | None, int] | None = None,
    level: float = 0.95,
) -> tuple[SurveyGroup, ...]:
    """Score the answers of one ``kind``, grouped by channel, product, fault, team, agent
    or period.

    Answers of other kinds are left out. Groups come sorted by key (``None`` first).

    Args:
        responses: the answers.
        kind: which score to compute (NPS, CSAT or CES).
        by: the dimension to group by, one of :data:`~faultkit.dimensions.SURVEY_DIMENSIONS`
            (or its text).
        period: the period length when grouping by period.
        tz: the time zone whose calendar decides the period.
        scale: the scale for CSAT (default 5) or CES (default 7); ignored for NPS.
        surveyed: how many people were asked, per group key, for response rates.
        level: the confidence level of the intervals.

    Returns:
        One :class:`SurveyGroup` per key that has answers.

    Raises:
        InvalidInputError: a score outside the scale (``field`` names the answer, as
            ``responses[id].score``), or any error of :func:`nps`, :func:`csat`, :func:`ces`.
    """
    kind = v.enum_member("kind", kind, SurveyKind)
    if type(by) is str and by in _DIMENSION_TEXTS:  # the text of a dimension, as before
        by = Dimension(by)
    by = check_dimension(by, SURVEY_DIMENSIONS, "by")
    key_of = _KEY_OF.get(by)
    if key_of is None:
        key_of = lambda r: period_start(r.answered_at, period, tz).isoformat()  # noqa: E731
    groups: dict[str | None, list[SurveyResponse]] = {}
    for response in responses:
        if response.kind is kind:
            groups.setdefault(key_of(response), []).append(response)
    out = []
    for key in sorted(groups, key=lambda k: (k is not None, k or "")):
        members = groups[key]
        asked = None if surveyed is None else surveyed.get(key)
        try:
            result = _score(kind, [r.score for r in members], scale, asked, level)
        except InvalidInputError as exc:
            if exc.field.startswith("scores["):
                index = int(exc.field[len("scores[") : -1])
                raise InvalidInputError(
                    f"responses[{members[index].id}].score", exc.value, exc.reason
                ) from None
            raise
        out.append(SurveyGroup(key=key, result=result))
    return tuple(out)


def _score(
    kind: SurveyKind, scores: list[int], scale: int | None, surveyed: int | None, level: float
) -> SurveyResult:
    if kind is SurveyKind.NPS:
        return nps(scores, surveyed=surveyed, level=level)
    if kind is SurveyKind.CSAT:
        return csat(scores, 5 if scale is None else scale, surveyed=surveyed, level=level)
    return ces(scores, 7 if scale is None else scale, surveyed=surveyed, level=level)
