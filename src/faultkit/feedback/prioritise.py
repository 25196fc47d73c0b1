"""Prioritising feedback: the scoring module's priority matrix, then a ranked score.

Each case (usually a :class:`~faultkit.feedback.Cluster`: one problem reported by many)
first gets its :class:`~faultkit.scoring.Priority` from impact x urgency through
:func:`faultkit.scoring.priority` and a :class:`~faultkit.scoring.PriorityMatrix`
(ServiceNow's by default). Cases are then ranked by a score that adds points for
frequency, reach, customer tier and age, with the weights of :class:`RankWeights`::

    priority  = weights.priority  * (6 - priority number)        Critical 5x ... Planning 1x
    frequency = weights.frequency * log2(1 + reports)
    reach     = weights.reach     * log2(1 + distinct customers)
    tier      = weights.tiers[tier]                              0 for a tier not listed
    age       = weights.age       * min(days since first seen, weights.age_cap_days)
    score     = the sum of the five

Logarithms make the tenth report of a problem count less than the second. Every ranked
case carries its breakdown (the input and the points of each part), so a reader can see
why it is where it is. Ranking is deterministic and stable: by score (highest first),
then priority (most urgent first), then first seen (oldest first), then id.

A case linked to a fault takes the fault's priority (``PriorityCase.priority``), not the
matrix's: the fault has been assessed, the reports only hint at it, and one problem must
not rank as P2 on the fault queue and P4 on the feedback queue. :func:`case_from_cluster`
refuses a linked cluster without the fault's priority rather than guess one.

Two helpers derive the inputs where nothing better is known:
:func:`impact_from_reach` (how many customers) and :func:`urgency_from_severity`.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.feedback.grouping import Cluster
from faultkit.models import Severity, Urgency
from faultkit.scoring import SERVICENOW_MATRIX, Impact, Priority, PriorityMatrix, priority

__all__ = [
    "Factor",
    "PriorityCase",
    "RankWeights",
    "RankedCase",
    "ScorePart",
    "case_from_cluster",
    "impact_from_reach",
    "rank",
    "tier_of",
    "urgency_from_severity",
]


class Factor(enum.StrEnum):
    """A part of the ranking score."""

    PRIORITY = "priority"
    FREQUENCY = "frequency"
    REACH = "reach"
    TIER = "tier"
    AGE = "age"


def _finite_non_negative(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.float_between(0.0, 1e12)(_inst, attribute, value)


def _tier_weights(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not dict:
        raise InvalidInputError(attribute.name, value, "expected a mapping of tier to points")
    for tier, points in value.items():
        if type(tier) is not str or not tier.strip():
            raise InvalidInputError(attribute.name, tier, "tier names must be non-blank strings")
        if isinstance(points, bool) or not isinstance(points, int | float) or not points >= 0:
            raise InvalidInputError(f"{attribute.name}.{tier}", points, "expected points >= 0")


@attrs.frozen(kw_only=True)
class RankWeights:
    """The weights of the ranking score (see the module documentation for the formula).

    Attributes:
        priority: points per priority step (Planning 1 step ... Critical 5 steps).
        frequency: points per doubling of the number of reports.
        reach: points per doubling of the number of distinct customers.
        age: points per day since the case was first seen.
        age_cap_days: days after which age adds nothing more.
        tiers: points per customer tier (``{"enterprise": 5.0}``); other tiers get 0.
    """

    priority: float = attrs.field(default=10.0, validator=_finite_non_negative)
    frequency: float = attrs.field(default=3.0, validator=_finite_non_negative)
    reach: float = attrs.field(default=4.0, validator=_finite_non_negative)
    age: float = attrs.field(default=0.25, validator=_finite_non_negative)
    age_cap_days: float = attrs.field(default=30.0, validator=_finite_non_negative)
    tiers: dict[str, float] = attrs.field(
        factory=lambda: {"enterprise": 6.0, "premium": 3.0}, validator=_tier_weights
    )


@attrs.frozen(kw_only=True)
class PriorityCase:
    """What the ranking needs to know about one case.

    Attributes:
        id: the case's id (a cluster id, a feedback id); not blank.
        impact: how much of the business it touches (1 = widest).
        urgency: how soon it must be handled (1 = most urgent).
        frequency: how many reports; at least 1.
        reach: how many distinct customers reported it.
        tier: the highest customer tier among them, if known.
        first_seen: when the first report came in (timezone-aware).
        fault_id: the fault the case is linked to, if any.
        priority: the priority fixed from outside - the linked fault's - if any; the
            ranking then uses it instead of impact x urgency through the matrix.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    impact: Impact = attrs.field(validator=v.member_of(Impact))
    urgency: Urgency = attrs.field(validator=v.member_of(Urgency))
    frequency: int = attrs.field(default=1, validator=v.non_negative_int)
    reach: int = attrs.field(default=0, validator=v.non_negative_int)
    tier: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    first_seen: datetime = attrs.field(validator=v.aware_datetime, eq=v.since_epoch)
    fault_id: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    priority: Priority | None = attrs.field(default=None, validator=v.optional_member_of(Priority))

    def __attrs_post_init__(self) -> None:
        if self.frequency < 1:
            raise InvalidInputError("frequency", self.frequency, "a case has at least 1 report")


@attrs.frozen(kw_only=True)
class ScorePart:
    """One line of a score's breakdown.

    Attributes:
        factor: which part of the score.
        value: the input (priority number, reports, customers, tier points, days).
        points: the points it adds.
    """

    factor: Factor = attrs.field(validator=v.member_of(Factor))
    value: float = attrs.field(validator=v.float_between(0.0, math.inf))
    points: float = attrs.field(validator=v.float_between(0.0, math.inf))


@attrs.frozen(kw_only=True)
class RankedCase:
    """A case with its place in the ranking, its priority, score and breakdown.

    Attributes:
        rank: 1 for the first.
        id: the case's id.
        priority: the priority from the matrix.
        score: the sum of the breakdown's points.
        breakdown: one :class:`ScorePart` per factor, in :class:`Factor` order.
        fault_id: the fault the case is linked to, if any.
    """

    rank: int = attrs.field(validator=v.non_negative_int)
    id: str = attrs.field(validator=v.non_empty_str)
    priority: Priority = attrs.field(validator=v.member_of(Priority))
    score: float = attrs.field(validator=v.float_between(0.0, math.inf))
    breakdown: tuple[ScorePart, ...] = attrs.field(
        converter=v.list_to_tuple, validator=v.tuple_of(v.instance(ScorePart))
    )
    fault_id: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


def impact_from_reach(reach: int, *, high: int = 50, medium: int = 5) -> Impact:
    """Impact from the number of customers reached: ``>= high`` HIGH, ``>= medium`` MEDIUM.

    Example:
        >>> impact_from_reach(7)
        <Impact.MEDIUM: 2>
    """
    for name, value in (("reach", reach), ("high", high), ("medium", medium)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInputError(name, value, "expected a non-negative integer")
    if medium > high:
        raise InvalidInputError("medium", medium, f"is above high ({high})")
    if reach >= high:
        return Impact.HIGH
    return Impact.MEDIUM if reach >= medium else Impact.LOW


_URGENCY = {
    Severity.SEV1: Urgency.HIGH,
    Severity.SEV2: Urgency.HIGH,
    Severity.SEV3: Urgency.MEDIUM,
    Severity.SEV4: Urgency.LOW,
    Severity.SEV5: Urgency.LOW,
}


def urgency_from_severity(severity: Severity | None) -> Urgency:
    """Urgency from a classified severity: SEV1-2 HIGH, SEV3 MEDIUM, SEV4-5 and unknown LOW."""
    if severity is None:
        return Urgency.LOW
    if not isinstance(severity, Severity):
        raise InvalidInputError("severity", severity, "expected a Severity or None")
    return _URGENCY[severity]


def case_from_cluster(
    cluster: Cluster,
    *,
    urgency: Urgency,
    impact: Impact | None = None,
    tier: str | None = None,
    fault_priority: Priority | None = None,
) -> PriorityCase:
    """A :class:`PriorityCase` from a cluster: its size, reach, first seen and fault link.

    Args:
        cluster: the cluster.
        urgency: the urgency (see :func:`urgency_from_severity`).
        impact: the impact; from the cluster's reach (:func:`impact_from_reach`) when
            omitted.
        tier: the highest customer tier among the cluster's customers, if known.
        fault_priority: the priority of the fault the cluster is linked to; required
            when it is linked (the case takes it), refused when it is not.

    Raises:
        InvalidInputError: a linked cluster without ``fault_priority``, or
            ``fault_priority`` for a cluster linked to no fault.

    Example:
        >>> from datetime import UTC, datetime
        >>> linked = Cluster(id="C-1", feedback_ids=("f1",), size=1, customers=1,
        ...     first_seen=datetime(2024, 5, 1, tzinfo=UTC),
        ...     last_seen=datetime(2024, 5, 1, tzinfo=UTC), fault_id="F-7")
        >>> case = case_from_cluster(linked, urgency=Urgency.LOW, fault_priority=Priority.HIGH)
        >>> rank([case], now=datetime(2024, 5, 2, tzinfo=UTC))[0].priority
        <Priority.HIGH: 2>
    """
    if not isinstance(cluster, Cluster):
        raise InvalidInputError("cluster", cluster, "expected a Cluster")
    if fault_priority is not None and not isinstance(fault_priority, Priority):
        raise InvalidInputError("fault_priority", fault_priority, "expected a Priority")
    if cluster.fault_id is not None and fault_priority is None:
        raise InvalidInputError(
            "fault_priority",
            None,
            f"cluster {cluster.id!r} is linked to fault {cluster.fault_id!r}: give the "
            "fault's priority (the case takes it; none is guessed from the reports)",
        )
    if cluster.fault_id is None and fault_priority is not None:
        raise InvalidInputError(
            "fault_priority", fault_priority, f"cluster {cluster.id!r} is linked to no fault"
        )
    return PriorityCase(
        id=cluster.id,
        impact=impact_from_reach(cluster.reach) if impact is None else impact,
        urgency=urgency,
        frequency=cluster.size,
        reach=cluster.reach,
        tier=tier,
        first_seen=cluster.first_seen,
        fault_id=cluster.fault_id,
        priority=fault_priority,
    )


def _score(
    case: PriorityCase, now: datetime, weights: RankWeights, matrix: PriorityMatrix
) -> tuple[Priority, tuple[ScorePart, ...]]:
    found = priority(case.impact, case.urgency, matrix) if case.priority is None else case.priority
    days = max(0.0, (v.since_epoch(now) - v.since_epoch(case.first_seen)).total_seconds() / 86_400)
    tier_points = 0.0 if case.tier is None else float(weights.tiers.get(case.tier, 0.0))
    parts = (
        ScorePart(
            factor=Factor.PRIORITY,
            value=float(found),
            points=weights.priority * (6 - int(found)),
        ),
        ScorePart(
            factor=Factor.FREQUENCY,
            value=float(case.frequency),
            points=weights.frequency * math.log2(1 + case.frequency),
        ),
        ScorePart(
            factor=Factor.REACH,
            value=float(case.reach),
            points=weights.reach * math.log2(1 + case.reach),
        ),
        ScorePart(factor=Factor.TIER, value=tier_points, points=tier_points),
        ScorePart(
            factor=Factor.AGE, value=days, points=weights.age * min(days, weights.age_cap_days)
        ),
    )
    return found, parts


def rank(
    cases: Iterable[PriorityCase],
    *,
    now: datetime,
    weights: RankWeights | None = None,
    matrix: PriorityMatrix = SERVICENOW_MATRIX,
) -> tuple[RankedCase, ...]:
    """Rank cases by score, each with its priority and breakdown.

    Args:
        cases: the cases; ids must be unique.
        now: the time ages are measured at (timezone-aware).
        weights: the weights; :class:`RankWeights` defaults when omitted.
        matrix: the priority matrix (ServiceNow's 3 x 3 by default).

    Returns:
        The ranked cases, first first; ranks run 1, 2, 3 ... with no ties.

    Raises:
        InvalidInputError: a naive ``now``, duplicate ids, an item that is not a
            :class:`PriorityCase`, or an impact / urgency outside the matrix.
    """
    v.check_aware("now", now)
    chosen = RankWeights() if weights is None else weights
    if not isinstance(chosen, RankWeights):
        raise InvalidInputError("weights", weights, "expected RankWeights")
    scored: list[tuple[float, int, timedelta, str, PriorityCase, tuple[ScorePart, ...]]] = []
    seen: set[str] = set()
    for index, case in enumerate(cases):
        if not isinstance(case, PriorityCase):
            raise InvalidInputError(f"cases[{index}]", case, "expected a PriorityCase")
        if case.id in seen:
            raise InvalidInputError(f"cases[{index}].id", case.id, "duplicate case id")
        seen.add(case.id)
        found, parts = _score(case, now, chosen, matrix)
        # Rounded so that float noise never decides an order the tie-breakers should.
        total = round(math.fsum(p.points for p in parts), 9)
        scored.append((total, int(found), v.since_epoch(case.first_seen), case.id, case, parts))
    scored.sort(key=lambda s: (-s[0], s[1], s[2], s[3]))
    return tuple(
        RankedCase(
            rank=position,
            id=case.id,
            priority=Priority(level),
            score=total,
            breakdown=parts,
            fault_id=case.fault_id,
        )
        for position, (total, level, _, _, case, parts) in enumerate(scored, start=1)
    )


def tier_of(tiers: Iterable[str | None], weights: RankWeights | None = None) -> str | None:
    """The tier worth the most points among ``tiers`` (``None`` when none is listed).

    Raises:
        InvalidInputError: ``tiers`` is not a collection of strings (or ``None``), or
            ``weights`` is not RankWeights.
    """
    chosen = RankWeights() if weights is None else weights
    if not isinstance(chosen, RankWeights):
        raise InvalidInputError("weights", weights, "expected RankWeights")
    table: Mapping[str, float] = chosen.tiers
    listed = v.items_of("tiers", tiers)
    for index, tier in enumerate(listed):
        if tier is not None and type(tier) is not str:
            raise InvalidInputError(f"tiers[{index}]", tier, "expected a string or None")
    best: tuple[float, str] | None = None
    for tier in sorted({t for t in listed if t is not None}):
        points = table.get(tier, 0.0)
        if best is None or points > best[0]:
            best = (points, tier)
    return None if best is None else best[1]
