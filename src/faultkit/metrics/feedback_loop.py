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
- **CSAT and NPS trends**: :func:`faultkit.feedback.survey_breakdown` per period;
- **first reply** (over feedback cases): the business time from receipt to the first
  reply (:func:`faultkit.feedback.first_reply`, on each channel's target calendar) and
  the share of cases whose first reply met its channel's target, out of the cases the
  target has decided (replied, or unanswered past the due time at ``now``), overall
  and per channel.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo

import attrs

from faultkit.dimensions import Dimension
from faultkit.errors import InvalidInputError
from faultkit.feedback import (
    REPLY_TARGETS,
    Cluster,
    Feedback,
    FeedbackCase,
    Period,
    ReplyTarget,
    Series,
    SurveyGroup,
    SurveyKind,
    SurveyResponse,
    first_reply,
    period_start,
    survey_breakdown,
    trend,
)
from faultkit.feedback.periods import check_period, check_tz
from faultkit.lifecycle import Fault
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
        first_reply_time: receipt -> first reply, per feedback case replied to.
        reply_target_met: cases whose first reply met the channel's target / cases
            the target has decided.
        reply_target_met_by_channel: ``(channel, rate)`` per channel with a decision.
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
    first_reply_time: DurationSummary = attrs.field(factory=lambda: summarize(()))
    reply_target_met: Rate = attrs.field(factory=lambda: Rate(numerator=0, denominator=0))
    reply_target_met_by_channel: tuple[tuple[IntakeChannel, Rate], ...] = ()


def feedback_loop(
    feedback: Iterable[Feedback],
    *,
    clusters: Iterable[Cluster] = (),
    faults: Iterable[Fault] = (),
    surveys: Iterable[SurveyResponse] = (),
    cases: Iterable[FeedbackCase] = (),
    targets: Mapping[IntakeChannel, ReplyTarget] = REPLY_TARGETS,
    now: datetime | None = None,
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
        cases: feedback cases, for the first-reply figures.
        targets: the first-reply target per channel.
        now: the current time (timezone-aware), to count unanswered cases past their
            due time as missed.
        period: the period length of the trends.
        tz: the time zone whose calendar decides the period.

    Raises:
        InvalidInputError: a bad period or time zone, an item that is not feedback, a
            case that is not a FeedbackCase, or a naive ``now``.
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
    by_channel = trend(items, period=period, tz=tz, by=Dimension.CHANNEL)
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
    taken, met = _first_replies(cases, targets, now)
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
        first_reply_time=summarize(taken),
        reply_target_met=met.get(None, Rate(numerator=0, denominator=0)),
        reply_target_met_by_channel=tuple(
            (channel, met[channel]) for channel in IntakeChannel if channel in met
        ),
    )


def _first_replies(
    cases: Iterable[FeedbackCase],
    targets: Mapping[IntakeChannel, ReplyTarget],
    now: datetime | None,
) -> tuple[list[timedelta], dict[IntakeChannel | None, Rate]]:
    taken: list[timedelta] = []
    tally: dict[IntakeChannel | None, list[int]] = {}
    for index, case in enumerate(cases):
        if not isinstance(case, FeedbackCase):
            raise InvalidInputError(f"cases[{index}]", case, "expected a FeedbackCase")
        result = first_reply(case, targets=targets, now=now)
        if result.taken is not None:
            taken.append(result.taken)
        if result.met is not None:
            for key in (None, result.channel):
                counts = tally.setdefault(key, [0, 0])
                counts[0] += result.met
                counts[1] += 1
    return taken, {key: Rate(numerator=a, denominator=b) for key, (a, b) in tally.items()}


def _scores(
    answers: list[SurveyResponse], kind: SurveyKind, period: Period, tz: tzinfo
) -> tuple[SurveyGroup, ...]:
    if not any(answer.kind is kind for answer in answers):
        return ()
    return survey_breakdown(answers, kind, Dimension.PERIOD, period=period, tz=tz)
