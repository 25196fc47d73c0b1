"""Aware datetimes in a zone whose wall hour repeats (a DST fold) are compared as instants.

Python compares two datetimes sharing one ``tzinfo`` by wall time, ignoring ``fold``:
on 2024-11-03 in New York, 01:40 (EDT, fold=0) sorts after 01:10 (EST, fold=1), which
came 30 minutes later. Every time rule of the feedback package must go by the instant.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.feedback import (
    Cluster,
    FeedbackCase,
    ReplyTarget,
    SocialFeedback,
    SurveyKind,
    SurveyPlan,
    case_survey_response,
    first_reply,
    scheduled_surveys,
)
from faultkit.models import IntakeChannel, Person
from faultkit.serialization import from_dict, to_dict
from faultkit.storage import FaultQuery, FeedbackQuery

NY = ZoneInfo("America/New_York")
EARLY = datetime(2024, 11, 3, 1, 40, tzinfo=NY)  # 05:40 UTC
LATE = datetime(2024, 11, 3, 1, 10, tzinfo=NY, fold=1)  # 06:10 UTC
ANA = Person(id="ana", name="Ana")


def _item(at: datetime = EARLY) -> SocialFeedback:
    return SocialFeedback(id="fb-1", received_at=at, text="Router drops wifi", platform="X")


def test_since_epoch_orders_by_instant() -> None:
    assert EARLY > LATE  # the trap: wall-time comparison
    assert v.since_epoch(LATE) - v.since_epoch(EARLY) == timedelta(minutes=30)
    assert v.since_epoch(EARLY) == EARLY.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)


def test_reply_in_the_repeated_hour_is_accepted_and_timed() -> None:
    case = FeedbackCase.open(_item()).reply(author=ANA, at=LATE, text_ref="m1")
    target = ReplyTarget(within=timedelta(minutes=20))
    result = first_reply(case, targets={IntakeChannel.SOCIAL_MEDIA: target})
    assert result.taken == timedelta(minutes=30)
    assert result.met is False  # due 06:00 UTC, replied 06:10 UTC


def test_reply_before_the_fold_is_refused() -> None:
    case = FeedbackCase.open(_item(LATE))
    with pytest.raises(InvalidInputError, match=r"events\[0\]\.at"):
        case.reply(author=ANA, at=EARLY, text_ref="m1")


def test_first_reply_without_target_takes_the_instant_difference() -> None:
    case = FeedbackCase.open(_item()).reply(author=ANA, at=LATE, text_ref="m1")
    assert first_reply(case, targets={}).taken == timedelta(minutes=30)


def test_overdue_at_now_in_the_repeated_hour() -> None:
    target = ReplyTarget(within=timedelta(minutes=20))
    case = FeedbackCase.open(_item())
    result = first_reply(case, targets={IntakeChannel.SOCIAL_MEDIA: target}, now=LATE)
    assert result.met is False


def test_survey_answered_in_the_repeated_hour_counts() -> None:
    case = (
        FeedbackCase.open(_item())
        .reply(author=ANA, at=EARLY, text_ref="m1")
        .fire("answer", actor=ANA, at=EARLY)
        .fire("close", actor=ANA, at=EARLY)
    )
    plan = SurveyPlan(first=relativedelta(minutes=10), reminders=(relativedelta(hours=1),))
    answer = case_survey_response(case, id="s1", kind=SurveyKind.CSAT, score=5, answered_at=LATE)
    steps = scheduled_surveys(case, plan, responses=[answer])
    assert [s.step.value for s in steps] == ["survey"]  # answered before the reminder


def test_cluster_order_and_query_bounds_use_instants() -> None:
    cluster = Cluster(
        id="C-a", feedback_ids=("a",), size=1, customers=0, first_seen=EARLY, last_seen=LATE
    )
    assert cluster.last_seen is LATE  # last_seen 30 minutes after first_seen is accepted
    query = FeedbackQuery(received_from=LATE)
    case = FeedbackCase.open(_item(EARLY))
    assert not query.matches(case)
    assert FeedbackQuery(received_until=LATE).matches(case)


def test_a_case_in_the_repeated_hour_equals_itself_after_a_round_trip() -> None:
    """Python calls two datetimes in different zones unequal whenever one is in a fold
    (PEP 495), even at the same instant: records compare their times as instants."""
    case = FeedbackCase.open(_item()).reply(author=ANA, at=LATE, text_ref="m1")
    assert LATE.astimezone(UTC) != LATE  # the trap
    loaded = from_dict(to_dict(case), FeedbackCase)
    assert loaded.events[0].at.tzinfo is not NY  # stored with its offset, not its zone
    assert loaded == case
    assert hash(loaded.events[0]) == hash(case.events[0])
    moved = _item(LATE.astimezone(UTC))
    assert moved == _item(LATE)


def test_a_feedback_query_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidInputError) as caught:
        FeedbackQuery(received_from=LATE, received_until=EARLY)  # 30 minutes before
    assert caught.value.field == "received_until"
    same = FeedbackQuery(received_from=EARLY, received_until=EARLY)  # empty, not wrong
    assert not same.matches(FeedbackCase.open(_item()))


def test_survey_hours_elapse_and_days_keep_the_wall_time_across_dst() -> None:
    closed_at = datetime(2024, 11, 3, 0, 30, tzinfo=NY)  # 04:30 UTC, before the fold
    case = FeedbackCase.open(_item(closed_at - timedelta(hours=1)))
    case = (
        case.reply(author=ANA, at=closed_at, text_ref="m1")
        .fire("answer", actor=ANA, at=closed_at)
        .fire("close", actor=ANA, at=closed_at)
    )
    plan = SurveyPlan(first=relativedelta(hours=2), reminders=(relativedelta(days=1),))
    survey, reminder = scheduled_surveys(case, plan)
    assert v.since_epoch(survey.due_at) - v.since_epoch(closed_at) == timedelta(hours=2)
    assert (survey.due_at.hour, survey.due_at.minute, survey.due_at.fold) == (1, 30, 1)
    assert (reminder.due_at.day, reminder.due_at.hour) == (4, 0)  # 00:30 the next day
    assert v.since_epoch(reminder.due_at) - v.since_epoch(closed_at) == timedelta(hours=25)


def test_a_fault_query_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidInputError) as caught:
        FaultQuery(reported_from=LATE, reported_until=EARLY)  # 30 minutes before
    assert caught.value.field == "reported_until"
    assert FaultQuery(reported_from=EARLY, reported_until=EARLY).reported_until == EARLY
