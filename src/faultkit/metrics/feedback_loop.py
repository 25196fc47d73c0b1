"""The feedback loop: volume and trend, conversion to faults, result notices, CSAT / NPS.

- **volume**: feedback items per period (every period from the first to the last,
  empty ones at zero), overall and per channel, counted by
  :func:`faultkit.feedback.trend`;
- **conversion** = feedback items in a cluster linked to a fault
  (:func:`faultkit.feedback.link_fault`) / feedback items, overall, per channel and
  per period;
- **time to result notice**: for each fault with a result notice, from the first
  report of the problem (the earliest of the fault's report and the feedback linked
  to it) to the notice;
- **CSAT and NPS trends**: :func:`faultkit.feedback.survey_breakdown` per period.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, tzinfo

import attrs

from faultkit.errors import InvalidInputError
from faultkit.feedback import (
    Cluster,
    Feedback,
    Period,
    Series,
    SurveyDimension,
    SurveyGroup,
    SurveyKind,
    SurveyResponse,
    period_start,
    survey_breakdown,
    trend,
)
from faultkit.feedback import Dimension as FeedbackDimension
from faultkit.lifecycle import Fault
from faultkit.metrics.grouping import check_period, check_tz
from faultkit.metrics.stats import DurationSummary, Rate, summarize
from faultkit.models import IntakeChannel

__all__ = ["FeedbackLoopReport", "feedback_loop"]


@attrs.frozen(kw_only=True)
class FeedbackLoopReport:
    """The feedback-loop figures.

    Attributes:
        feedback: feedback items read.
        volume: items per period (one series keyed ``"all"``).
        volume_by_channel: items per period, one series per channel.
        conversion: items linked to a fault / items.
        conversion_by_channel: ``(channel, rate)`` per channel seen.
        conversion_by_period: ``(period start, rate)`` per period of :attr:`volume`.
        time_to_result_notice: first report -> result notice, per fault notified.
        csat: the CSAT score per period (empty without CSAT answers).
        nps: the NPS per period (empty without NPS answers).
    """

    feedback: int
    volume: Series | None
    volume_by_channel: tuple[Series, ...]
    conversion: Rate
    conversion_by_channel: tuple[tuple[IntakeChannel, Rate], ...]
    conversion_by_period: tuple[tuple[date, Rate], ...]
    time_to_result_notice: DurationSummary
    csat: tuple[SurveyGroup, ...]
    nps: tuple[SurveyGroup, ...]


def feedback_loop(
    feedback: Iterable[Feedback],
    *,
    clusters: Iterable[Cluster] = (),
    faults: Iterable[Fault] = (),
    surveys: Iterable[SurveyResponse] = (),
    period: Period = Period.MONTH,
    tz: tzinfo = UTC,
) -> FeedbackLoopReport:
    """The feedback-loop figures over feedback, its clusters, faults and surveys.

    Args:
        feedback: the feedback items.
        clusters: the clusters of those items (from
            :func:`faultkit.feedback.group_feedback`), some linked to faults.
        faults: the faults, for the time to result notice.
        surveys: satisfaction survey answers, for the CSAT and NPS trends.
        period: the period length of the trends.
        tz: the time zone whose calendar decides the period.

    Raises:
        InvalidInputError: a bad period or time zone, or an item that is not feedback.
    """
    check_period(period)
    check_tz(tz)
    items = list(feedback)
    for index, item in enumerate(items):
        if not isinstance(item, Feedback):
            raise InvalidInputError(f"feedback[{index}]", item, "expected a Feedback")
    fault_of: dict[str, str] = {}
    for cluster in clusters:
        if cluster.fault_id is not None:
            for feedback_id in cluster.feedback_ids:
                fault_of[feedback_id] = cluster.fault_id
    overall = trend(items, period=period, tz=tz)
    by_channel = trend(items, period=period, tz=tz, by=FeedbackDimension.CHANNEL)
    counts: dict[object, list[int]] = {}
    first_heard: dict[str, datetime] = {}
    for item in items:
        linked = fault_of.get(item.id)
        for key in (None, item.channel, period_start(item.received_at, period, tz)):
            tally = counts.setdefault(key, [0, 0])
            tally[1] += 1
            tally[0] += linked is not None
        if linked is not None:
            seen = first_heard.get(linked)
            if seen is None or item.received_at < seen:
                first_heard[linked] = item.received_at
    notices = []
    for fault in faults:
        notice = fault.result_notice_at
        if notice is None:
            continue
        start = fault.report.reported_at
        heard = first_heard.get(fault.id)
        if heard is not None and heard < start:
            start = heard
        notices.append(max(notice - start, notice - notice))

    def rate(key: object) -> Rate:
        linked, total = counts.get(key, (0, 0))
        return Rate(numerator=linked, denominator=total)

    answers = list(surveys)
    return FeedbackLoopReport(
        feedback=len(items),
        volume=overall[0] if overall else None,
        volume_by_channel=by_channel,
        conversion=rate(None),
        conversion_by_channel=tuple(
            (channel, rate(channel)) for channel in IntakeChannel if channel in counts
        ),
        conversion_by_period=tuple(
            (point.start, rate(point.start)) for point in (overall[0].points if overall else ())
        ),
        time_to_result_notice=summarize(notices),
        csat=_scores(answers, SurveyKind.CSAT, period, tz),
        nps=_scores(answers, SurveyKind.NPS, period, tz),
    )


def _scores(
    answers: list[SurveyResponse], kind: SurveyKind, period: Period, tz: tzinfo
) -> tuple[SurveyGroup, ...]:
    if not any(answer.kind is kind for answer in answers):
        return ()
    return survey_breakdown(answers, kind, SurveyDimension.PERIOD, period=period, tz=tz)
