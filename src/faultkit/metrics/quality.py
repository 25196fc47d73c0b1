"""Quality of handling, the review process and the improvement backlog, over faults.

These figures read :class:`~faultkit.lifecycle.Fault` records: their report, history
and facts (severity, root-cause analysis, result notice). Per group (see
:class:`~faultkit.metrics.Dimension`; :attr:`~faultkit.metrics.Dimension.REPORTER`
too):

- **severe faults with a finished RCA** = severe faults (SEV1, SEV2) whose analysis
  has no :meth:`incomplete_reasons() <faultkit.rca.Analysis.incomplete_reasons>` /
  severe faults;
- **corrective-action effectiveness** = corrective actions verified effective /
  corrective actions verified (effective or ineffective), from the faults'
  :class:`~faultkit.rca.Action` records;
- **overdue actions** = actions still open after their due date at ``now`` / open
  actions (the overdue ones are listed by id);
- **recurrence** = closed faults followed, within ``window`` after their closure, by a
  new fault with the same fingerprint / closed faults with a fingerprint. The
  fingerprint is yours to choose (``fingerprint=``: a root-cause id, a problem
  record...); by default it is the product, component and error codes of the report,
  and a report without error codes has none;
- **review turnaround**: each review round of the ``procedure`` workflow, from
  submission to the reviewer's decision (:func:`faultkit.lifecycle.review_times`);
- **returned for information** = faults returned to the reporter at least once /
  faults reviewed at least once;
- **report quality**: the :func:`faultkit.scoring.report_quality` score (0-100) of
  each report; grouped by period and channel or reporter it is the trend the
  procedure asks for;
- **time to result notice**: from the report to the customer's result notice.

The **improvement backlog** (:func:`improvement_backlog`) is a Pareto of root-cause
categories or components, each bar linked to the faults behind it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from statistics import median
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.dimensions import Dimension
from faultkit.errors import InvalidInputError
from faultkit.feedback.periods import Period, check_period, check_tz
from faultkit.feedback.trends import pareto
from faultkit.lifecycle import Fault, ProcedureState, StateCategory, Workflow, review_times
from faultkit.metrics.grouping import (
    GroupValue,
    check_dimensions,
    fault_keyer,
    sort_key,
)
from faultkit.metrics.stats import DEFAULT_EXACT_LIMIT, DurationAccumulator, DurationSummary, Rate
from faultkit.rca import ActionKind, ActionStatus, Analysis
from faultkit.scoring import DEFAULT_REVIEW_STANDARD, ReviewStandard, report_quality

__all__ = [
    "BacklogBar",
    "BacklogBy",
    "QualityFigures",
    "QualityGroup",
    "QualityReport",
    "ScoreSummary",
    "default_fingerprint",
    "improvement_backlog",
    "quality_metrics",
]


@attrs.frozen(kw_only=True)
class ScoreSummary:
    """Mean, median, minimum and maximum of ``n`` scores (report quality, 0-100).

    Attributes:
        n: the sample size.
        mean: the arithmetic mean, or ``None`` when ``n == 0``.
        median: the median, or ``None`` when ``n == 0``.
        minimum: the lowest score, or ``None`` when ``n == 0``.
        maximum: the highest score, or ``None`` when ``n == 0``.
    """

    n: int = attrs.field(validator=v.non_negative_int)
    mean: float | None = None
    median: float | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def empty(self) -> bool:
        """No score was measured."""
        return self.n == 0

    @classmethod
    def of(cls, scores: Sequence[float]) -> ScoreSummary:
        """The summary of ``scores``."""
        if not scores:
            return cls(n=0)
        return cls(
            n=len(scores),
            mean=sum(scores) / len(scores),
            median=float(median(scores)),
            minimum=float(min(scores)),
            maximum=float(max(scores)),
        )


@attrs.frozen(kw_only=True)
class QualityFigures:
    """The quality, review and feedback-loop figures of one group of faults.

    Attributes:
        faults: how many faults the group holds.
        severe_rca_finished: severe faults with a finished analysis / severe faults.
        action_effectiveness: corrective actions verified effective / verified.
        overdue_actions: open actions past their due date / open actions.
        recurrence: closed faults that recurred within the window / closed faults
            with a fingerprint.
        review_turnaround: the duration of each review round.
        returned_for_info: faults returned for more information / faults reviewed.
        report_quality: the report quality scores.
        time_to_result_notice: report -> customer result notice.
    """

    faults: int
    severe_rca_finished: Rate
    action_effectiveness: Rate
    overdue_actions: Rate
    recurrence: Rate
    review_turnaround: DurationSummary
    returned_for_info: Rate
    report_quality: ScoreSummary
    time_to_result_notice: DurationSummary

    @property
    def empty(self) -> bool:
        """The group holds no fault."""
        return self.faults == 0


@attrs.frozen(kw_only=True)
class QualityGroup:
    """The figures of the faults sharing one group key.

    Attributes:
        key: one value per grouping dimension, in the order asked for.
        figures: the group's figures.
    """

    key: tuple[GroupValue, ...]
    figures: QualityFigures


@attrs.frozen(kw_only=True)
class QualityReport:
    """Quality of handling, review and result-notice figures, overall and per group.

    Attributes:
        faults: faults read.
        group_by: the dimensions of the group keys.
        overall: the figures over every fault.
        groups: the figures per group key, sorted by key (``None`` last).
        overdue: the ids of the overdue actions, as ``(fault id, action id)``.
        recurred: the ids of the closed faults that recurred, with the id of the
            first fault that followed, as ``(fault id, recurrence id)``.
    """

    faults: int
    group_by: tuple[Dimension, ...]
    overall: QualityFigures
    groups: tuple[QualityGroup, ...]
    overdue: tuple[tuple[str, str], ...]
    recurred: tuple[tuple[str, str], ...]

    def group(self, *key: GroupValue) -> QualityFigures:
        """The figures of the group with this key, or empty figures if it has no fault.

        Raises:
            InvalidInputError: the key has the wrong number of values.
        """
        if len(key) != len(self.group_by):
            raise InvalidInputError(
                "key", key, f"expected {len(self.group_by)} value(s), one per {self.group_by}"
            )
        for group in self.groups:
            if group.key == key:
                return group.figures
        return _QAcc(1).figures()


class _QAcc:
    __slots__ = (
        "effective",
        "faults",
        "notice",
        "open_actions",
        "overdue",
        "quality",
        "recurred",
        "recurrence_base",
        "returned",
        "reviewed",
        "reviews",
        "severe",
        "severe_done",
        "verified",
    )

    def __init__(self, limit: int) -> None:
        self.faults = 0
        self.severe = self.severe_done = 0
        self.effective = self.verified = 0
        self.overdue = self.open_actions = 0
        self.recurred = self.recurrence_base = 0
        self.reviews = DurationAccumulator(limit)
        self.notice = DurationAccumulator(limit)
        self.returned = self.reviewed = 0
        self.quality: list[float] = []

    def figures(self) -> QualityFigures:
        return QualityFigures(
            faults=self.faults,
            severe_rca_finished=Rate(numerator=self.severe_done, denominator=self.severe),
            action_effectiveness=Rate(numerator=self.effective, denominator=self.verified),
            overdue_actions=Rate(numerator=self.overdue, denominator=self.open_actions),
            recurrence=Rate(numerator=self.recurred, denominator=self.recurrence_base),
            review_turnaround=self.reviews.summary(),
            returned_for_info=Rate(numerator=self.returned, denominator=self.reviewed),
            report_quality=ScoreSummary.of(self.quality),
            time_to_result_notice=self.notice.summary(),
        )


def default_fingerprint(fault: Fault) -> Hashable | None:
    """``(product, component, error codes)`` of the report; ``None`` without error codes."""
    report = fault.report
    if not report.error_codes:
        return None
    return (report.product, report.component, report.error_codes)


def _closed_at(fault: Fault, closed: frozenset[str]) -> datetime | None:
    """When the fault last entered a closed state, if it is in one now."""
    if fault.state not in closed:
        return None
    for record in reversed(fault.history):
        if record.to_state in closed and record.from_state not in closed:
            return record.at
    return fault.report.reported_at


def quality_metrics(
    faults: Iterable[Fault],
    workflow: Workflow,
    *,
    now: datetime,
    group_by: Sequence[Dimension] = (),
    period: Period = Period.MONTH,
    tz: tzinfo = UTC,
    window: timedelta = timedelta(days=30),
    fingerprint: Callable[[Fault], Hashable | None] = default_fingerprint,
    standard: ReviewStandard = DEFAULT_REVIEW_STANDARD,
) -> QualityReport:
    """Quality of handling, review and result-notice figures over faults.

    Args:
        faults: the faults, read once.
        workflow: the workflow the faults run in (its closed states end a fault, for
            recurrence).
        now: the time the figures are taken at (overdue actions); timezone-aware.
        group_by: the dimensions of the group keys.
        period: the period length when grouping by period (of the report time).
        tz: the time zone whose calendar decides the period.
        window: how long after its closure a fault with the same fingerprint counts
            as a recurrence.
        fingerprint: what makes two faults "the same" for recurrence; ``None`` for a
            fault that has none.
        standard: the review standard report quality is scored against.

    Returns:
        The :class:`QualityReport`.

    Raises:
        InvalidInputError: a bad argument (naive ``now``, unknown dimension,
            non-positive window).
    """
    v.check_aware("now", now)
    dims = check_dimensions(group_by)
    check_period(period)
    check_tz(tz)
    if not isinstance(window, timedelta) or window <= timedelta(0):
        raise InvalidInputError("window", window, "expected a positive timedelta")
    if not isinstance(workflow, Workflow):
        raise InvalidInputError("workflow", workflow, "expected a faultkit.lifecycle.Workflow")
    closed = frozenset(s.name for s in workflow.states if s.category is StateCategory.CLOSED)
    key_of = fault_keyer(dims, period, tz)
    overall = _QAcc(DEFAULT_EXACT_LIMIT)
    groups: dict[tuple[GroupValue, ...], _QAcc] = {}
    overdue: list[tuple[str, str]] = []
    # fingerprint -> [(reported_at, closed_at, fault id, accumulators)]
    by_print: dict[Hashable, list[tuple[datetime, datetime | None, str, tuple[_QAcc, ...]]]] = {}
    n = 0
    for n, fault in enumerate(faults, 1):
        if not isinstance(fault, Fault):
            raise InvalidInputError(f"faults[{n - 1}]", fault, "expected a lifecycle Fault")
        accs: tuple[_QAcc, ...] = (overall,)
        if dims:
            key = key_of(fault)
            group = groups.get(key)
            if group is None:
                group = groups[key] = _QAcc(DEFAULT_EXACT_LIMIT)
            accs = (overall, group)
        report = fault.report
        analysis = fault.analysis
        severe = fault.severity is not None and fault.severity.is_severe
        actions = fault.actions
        finished = analysis is not None and not analysis.incomplete_reasons(actions)
        effective = verified = open_actions = late = 0
        for action in actions:
            if action.kind is ActionKind.CORRECTIVE and action.status in (
                ActionStatus.VERIFIED_EFFECTIVE,
                ActionStatus.INEFFECTIVE,
            ):
                verified += 1
                effective += action.status is ActionStatus.VERIFIED_EFFECTIVE
            if action.status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS):
                open_actions += 1
                if action.is_overdue(now):
                    late += 1
                    overdue.append((fault.id, action.id))
        reviews = review_times(fault)
        returned = any(r.to_state == ProcedureState.NEEDS_INFO for r in fault.history)
        score = report_quality(report, standard).score
        notice = fault.result_notice_at
        for acc in accs:
            acc.faults += 1
            if severe:
                acc.severe += 1
                acc.severe_done += finished
            acc.effective += effective
            acc.verified += verified
            acc.open_actions += open_actions
            acc.overdue += late
            for took in reviews:
                acc.reviews.add(took.total_seconds())
            if reviews or returned:
                acc.reviewed += 1
                acc.returned += returned
            acc.quality.append(score)
            if notice is not None:
                acc.notice.add(max(0.0, (notice - report.reported_at).total_seconds()))
        mark = fingerprint(fault)
        if mark is not None:
            by_print.setdefault(mark, []).append(
                (report.reported_at, _closed_at(fault, closed), fault.id, accs)
            )
    recurred = _recurrences(by_print, window)
    ordered = sorted(groups.items(), key=lambda item: sort_key(item[0]))
    return QualityReport(
        faults=n,
        group_by=dims,
        overall=overall.figures(),
        groups=tuple(QualityGroup(key=key, figures=acc.figures()) for key, acc in ordered),
        overdue=tuple(overdue),
        recurred=tuple(recurred),
    )


def _recurrences(
    by_print: dict[Hashable, list[tuple[datetime, datetime | None, str, tuple[_QAcc, ...]]]],
    window: timedelta,
) -> list[tuple[str, str]]:
    """Count, per closed fault, whether a same-print fault came within the window."""
    out = []
    for items in by_print.values():
        items.sort(key=lambda item: item[0])
        for _reported, closed_at, fault_id, accs in items:
            if closed_at is None:
                continue
            follower = next(
                (
                    other_id
                    for other_reported, _c, other_id, _a in items
                    if other_id != fault_id and closed_at < other_reported <= closed_at + window
                ),
                None,
            )
            for acc in accs:
                acc.recurrence_base += 1
                if follower is not None:
                    acc.recurred += 1
            if follower is not None:
                out.append((fault_id, follower))
    return out


class BacklogBy(enum.StrEnum):
    """What the improvement backlog ranks."""

    ROOT_CAUSE = "root_cause"
    """The categories of the root causes found by the faults' analyses."""
    COMPONENT = "component"
    """The components the faults were reported in."""


@attrs.frozen(kw_only=True)
class BacklogBar:
    """One bar of the improvement backlog's Pareto.

    Attributes:
        key: the root-cause category or component (``None``: faults without one).
        count: how many faults are behind the bar.
        share: the bar's share of all counted faults, in percent.
        cumulative: the cumulative share up to this bar, in percent.
        vital: among the vital few (the bars up to the cut-off).
        faults: the ids of the faults behind the bar, in the order read.
    """

    key: str | None
    count: int
    share: float
    cumulative: float
    vital: bool
    faults: tuple[str, ...]


def improvement_backlog(
    faults: Iterable[Fault],
    by: BacklogBy = BacklogBy.ROOT_CAUSE,
    *,
    cutoff: float = 80.0,
) -> tuple[BacklogBar, ...]:
    """A Pareto of root-cause categories or components, each bar linked to its faults.

    Bars come largest first (ties by key); the shares come from
    :func:`faultkit.feedback.pareto` (the vital few reach ``cutoff`` percent). A fault
    whose analysis finds root causes of two categories counts once in each; a fault
    with no analysis (or no root cause yet) counts under ``None``.

    Args:
        faults: the faults, read once.
        by: rank root-cause categories or components.
        cutoff: the cumulative share, in percent, that the vital few make up.

    Raises:
        InvalidInputError: ``by`` is not a :class:`BacklogBy`, or a bad ``cutoff``.
    """
    if not isinstance(by, BacklogBy):
        raise InvalidInputError("by", by, "expected a BacklogBy (root_cause, component)")
    linked: dict[str | None, list[str]] = {}
    for fault in faults:
        keys: Iterable[str | None]
        if by is BacklogBy.COMPONENT:
            keys = (fault.report.component,)
        else:
            analysis: Any = fault.analysis
            found: list[str | None] = []
            if isinstance(analysis, Analysis):
                found = list(dict.fromkeys(step.category for step in analysis.root_causes()))
            keys = found or (None,)
        for key in keys:
            linked.setdefault(key, []).append(fault.id)
    rows = pareto({key: len(ids) for key, ids in linked.items()}, cutoff=cutoff)
    return tuple(
        BacklogBar(
            key=row.key,
            count=row.count,
            share=row.share,
            cumulative=row.cumulative,
            vital=row.vital,
            faults=tuple(linked[row.key]),
        )
        for row in rows
    )
