"""The feedback lifecycle: status table, events, replies, evidence, targets, surveys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError, TransitionRefusedError
from faultkit.feedback import (
    FEEDBACK_WORKFLOW,
    INTERNAL_CHANNELS,
    REPLY_TARGETS,
    Dimension,
    EmailFeedback,
    Feedback,
    FeedbackCase,
    FeedbackStatus,
    FeedbackTrigger,
    HotlineFeedback,
    ReplyTarget,
    SocialFeedback,
    SurveyKind,
    SurveyPlan,
    SurveyStep,
    case_survey_response,
    first_reply,
    normalise_rating,
    scheduled_surveys,
    survey_breakdown,
)
from faultkit.lifecycle import DEFAULT_CALENDAR, TransitionRecord, mermaid, validate_event_log
from faultkit.models import Attachment, AttachmentKind, IntakeChannel, Person
from faultkit.serialization import from_dict, to_dict
from faultkit.testing.feedback import (
    any_feedback,
    feedback_cases,
    feedback_events,
    reply_targets,
    survey_plans,
)

ANA = Person(id="ana", name="Ana")
T0 = datetime(2024, 5, 3, 16, 0, tzinfo=UTC)  # a Friday, 16:00 UTC
H = timedelta(hours=1)


def email(at: datetime = T0) -> EmailFeedback:
    return EmailFeedback(id="fb-1", received_at=at, text="The app crashes on login")


def answered(at: datetime = T0) -> FeedbackCase:
    return (
        FeedbackCase.open(email(at))
        .fire(FeedbackTrigger.ACKNOWLEDGE, actor=ANA, at=at)
        .reply(author=ANA, at=at + H, text_ref="msg-1")
        .fire(FeedbackTrigger.ANSWER, actor=ANA, at=at + H)
    )


# --------------------------------------------------------------------------- the table


def test_the_table_has_the_six_statuses_in_order() -> None:
    assert FEEDBACK_WORKFLOW.state_names == (
        "new",
        "acknowledged",
        "in_progress",
        "answered",
        "closed",
        "reopened",
    )
    assert FEEDBACK_WORKFLOW.initial == FeedbackStatus.NEW
    assert set(FEEDBACK_WORKFLOW.triggers) == {t.value for t in FeedbackTrigger}
    assert "reopened" in mermaid(FEEDBACK_WORKFLOW)


def test_a_new_case_is_new_with_nothing_recorded() -> None:
    case = FeedbackCase.open(email())
    assert case.status is FeedbackStatus.NEW
    assert case.events == ()
    assert case.replies == ()
    assert case.first_reply_at is None
    assert case.last_changed_at == T0


# --------------------------------------------------------------------------- refusals


def test_answer_without_a_reply_is_refused_and_appends_nothing() -> None:
    case = FeedbackCase.open(email()).fire("acknowledge", actor=ANA, at=T0)
    with pytest.raises(TransitionRefusedError) as caught:
        case.fire("answer", actor=ANA, at=T0 + H)
    error = caught.value
    assert error.state == "acknowledged"
    assert error.trigger == "answer"
    assert "answer" in error.allowed
    assert "start" in error.allowed
    assert [name for name, _ in error.unmet] == ["reply_recorded"]
    assert len(case.events) == 1
    assert case.status is FeedbackStatus.ACKNOWLEDGED


def test_a_trigger_with_no_move_names_what_is_allowed() -> None:
    with pytest.raises(TransitionRefusedError) as caught:
        FeedbackCase.open(email()).fire("reopen", actor=ANA, at=T0, reason="again")
    assert caught.value.state == "new"
    assert caught.value.unmet == ()
    assert caught.value.allowed == ("acknowledge", "start", "answer", "close")
    assert "not allowed from state 'new'" in str(caught.value)


@pytest.mark.parametrize("trigger", ["escalate", "", None, 3])
def test_an_unknown_trigger_is_bad_input(trigger: Any) -> None:
    with pytest.raises(InvalidInputError) as caught:
        FeedbackCase.open(email()).fire(trigger, actor=ANA, at=T0)
    assert caught.value.field == "trigger"


def test_reopen_and_closing_unanswered_need_a_reason() -> None:
    case = answered().fire("close", actor=ANA, at=T0 + 2 * H)  # answered: no reason needed
    with pytest.raises(TransitionRefusedError, match="reason_given"):
        case.fire("reopen", actor=ANA, at=T0 + 3 * H)
    with pytest.raises(TransitionRefusedError, match="reason_given"):
        FeedbackCase.open(email()).fire("close", actor=ANA, at=T0)
    spam = FeedbackCase.open(email()).fire("close", actor=ANA, at=T0, reason="spam")
    assert spam.status is FeedbackStatus.CLOSED
    assert spam.history[-1].reason == "spam"


def test_after_a_reopen_an_answer_needs_a_new_reply() -> None:
    case = answered().fire("reopen", actor=ANA, at=T0 + 2 * H, reason="still crashes")
    with pytest.raises(TransitionRefusedError, match="since the feedback was reopened"):
        case.fire("answer", actor=ANA, at=T0 + 3 * H)
    case = case.reply(author=ANA, at=T0 + 3 * H, text_ref="msg-2").fire(
        "answer", actor=ANA, at=T0 + 3 * H
    )
    assert case.status is FeedbackStatus.ANSWERED
    assert case.first_reply_at == T0 + H  # the first reply stays the first


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"actor": "ana", "at": T0}, "actor"),
        ({"actor": ANA, "at": datetime(2024, 5, 3)}, "at"),
        ({"actor": ANA, "at": T0, "reason": "  "}, "reason"),
    ],
)
def test_bad_command_input_names_the_field(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        FeedbackCase.open(email()).fire("acknowledge", **kwargs)
    assert caught.value.field == field


def test_an_event_earlier_than_the_last_is_refused() -> None:
    case = answered()
    with pytest.raises(InvalidInputError) as caught:
        case.reply(author=ANA, at=T0, text_ref="late")
    assert caught.value.field == f"events[{len(case.events)}].at"
    with pytest.raises(InvalidInputError):
        FeedbackCase.open(email()).fire("acknowledge", actor=ANA, at=T0 - H)


def test_assign_and_link_need_something_to_record() -> None:
    with pytest.raises(InvalidInputError, match="agent"):
        FeedbackCase.open(email()).assign(actor=ANA, at=T0)
    with pytest.raises(InvalidInputError, match="fault_id"):
        FeedbackCase.open(email()).link(actor=ANA, at=T0)


# --------------------------------------------------------------------------- what is recorded


def test_replies_evidence_assignment_and_links_are_recorded() -> None:
    shot = Attachment(kind=AttachmentKind.SCREENSHOT, uri="s3://ev/1.png", media_type="image/png")
    case = (
        answered()
        .reply(author=ANA, at=T0 + 2 * H, text_ref="call-7", channel=IntakeChannel.HOTLINE)
        .attach(shot, actor=ANA, at=T0 + 2 * H)
        .assign(actor=ANA, at=T0 + 2 * H, agent="ana", team="tier-1")
        .assign(actor=ANA, at=T0 + 3 * H, team="tier-2")
        .link(actor=ANA, at=T0 + 3 * H, fault_id="F-9", cluster_id="c-1")
    )
    assert [(r.channel, r.text_ref) for r in case.replies] == [
        (IntakeChannel.EMAIL, "msg-1"),  # the channel it came from, by default
        (IntakeChannel.HOTLINE, "call-7"),
    ]
    assert case.attachments == (shot,)
    assert (case.agent, case.team) == ("ana", "tier-2")  # the agent stays
    assert (case.fault_id, case.cluster_id) == ("F-9", "c-1")


def test_the_stored_form_round_trips_and_names_bad_events() -> None:
    case = answered().fire("close", actor=ANA, at=T0 + 2 * H)
    data = to_dict(case)
    assert [e["type"] for e in data["events"]] == [
        "status_changed",
        "reply_sent",
        "status_changed",
        "status_changed",
    ]
    assert from_dict(data, FeedbackCase) == case
    bad = to_dict(case)
    bad["events"][1]["type"] = "deleted"
    with pytest.raises(InvalidInputError) as caught:
        from_dict(bad, FeedbackCase)
    assert caught.value.field == "events[1].type"
    skipped = to_dict(case)
    del skipped["events"][0]  # answered straight from new, but from_state says acknowledged
    with pytest.raises(InvalidInputError) as caught:
        from_dict(skipped, FeedbackCase)
    assert caught.value.field == "events[1].from_state"
    forged = to_dict(case)
    forged["events"][3]["to_state"] = "in_progress"  # close does not lead there
    with pytest.raises(InvalidInputError) as caught:
        from_dict(forged, FeedbackCase)
    assert caught.value.field == "events[3].trigger"
    missing_at = to_dict(case)
    del missing_at["events"][2]["at"]
    with pytest.raises(InvalidInputError) as caught:
        from_dict(missing_at, FeedbackCase)
    assert caught.value.field == "events[2].at"


@given(any_feedback())
def test_feedback_stored_by_the_released_schema_reads_as_new(item: Feedback) -> None:
    case = from_dict(to_dict(item), FeedbackCase)
    assert case.feedback == item
    assert case.status is FeedbackStatus.NEW
    assert case.events == ()


@given(feedback_cases())
def test_cases_round_trip_and_replay_to_the_same_state(case: FeedbackCase) -> None:
    assert from_dict(to_dict(case), FeedbackCase) == case
    replayed = FeedbackCase(feedback=case.feedback, events=list(case.events))
    assert replayed.status is case.status
    assert replayed.replies == case.replies
    assert replayed.attachments == case.attachments
    assert (replayed.agent, replayed.team, replayed.fault_id, replayed.cluster_id) == (
        case.agent,
        case.team,
        case.fault_id,
        case.cluster_id,
    )
    assert replayed.closed_at == case.closed_at


@given(st.lists(feedback_cases(max_commands=10), max_size=4))
def test_the_event_log_validator_reads_case_histories_as_the_table_says(
    cases: list[FeedbackCase],
) -> None:
    # One id per case: rows of one id are one incident to the validator.
    cases = [
        FeedbackCase(feedback=attrs.evolve(c.feedback, id=f"c{i}"), events=c.events)
        for i, c in enumerate(cases)
    ]
    rows = [row for case in cases for row in case.status_rows()]
    report = validate_event_log(rows, FEEDBACK_WORKFLOW, check_start=True, check_order=True)
    assert report.violations == ()
    assert report.events == len(rows)
    assert report.transitions == sum(len(case.history) for case in cases)


def test_the_event_log_validator_flags_a_skipped_answer() -> None:
    rows = [("t-1", "new", T0), ("t-1", "closed", T0 + H), ("t-1", "in_progress", T0 + 2 * H)]
    report = validate_event_log(rows, FEEDBACK_WORKFLOW)
    assert [(v.incident, v.from_state, v.to_state) for v in report.violations] == [
        ("t-1", "closed", "in_progress")
    ]


@given(feedback_events())
def test_every_event_type_round_trips(event: Any) -> None:
    assert from_dict(to_dict(event), type(event)) == event


# --------------------------------------------------------------------------- first reply


@pytest.mark.parametrize(
    ("item", "reply_after", "due_after", "met"),
    [
        # Hotline: 15 minutes round the clock.
        (
            HotlineFeedback(id="h", received_at=T0, text="x", call_started_at=T0, agent="ana"),
            timedelta(minutes=14),
            timedelta(minutes=15),
            True,
        ),
        # Social media: 2 hours round the clock, even over a weekend night.
        (
            SocialFeedback(id="s", received_at=T0 + 6 * H, text="x", platform="X"),
            3 * H,
            2 * H,
            False,
        ),
        # E-mail on Friday 16:00: one business day (8 working hours) ends Monday 16:00.
        (email(), timedelta(days=3, minutes=-1), timedelta(days=3), True),
    ],
)
def test_first_reply_against_the_channel_target(
    item: Feedback, reply_after: timedelta, due_after: timedelta, met: bool
) -> None:
    case = FeedbackCase.open(item).reply(
        author=ANA, at=item.received_at + reply_after, text_ref="r"
    )
    result = first_reply(case)
    assert result.due_at == item.received_at + due_after
    assert result.replied_at == item.received_at + reply_after
    assert result.met is met


def test_email_first_reply_counts_business_time() -> None:
    case = FeedbackCase.open(email()).reply(author=ANA, at=T0 + timedelta(days=3), text_ref="r")
    result = first_reply(case)
    assert result.taken == timedelta(hours=8)  # Fri 16-17 and Mon 09-16
    assert result.met is True  # exactly at the due time


def test_unanswered_is_overdue_only_after_the_due_time() -> None:
    case = FeedbackCase.open(email())
    assert first_reply(case).met is None
    assert first_reply(case, now=T0 + H).met is None
    assert first_reply(case, now=T0 + timedelta(days=4)).met is False
    staff = FeedbackCase.open(
        Feedback(id="s", channel=IntakeChannel.STAFF, received_at=T0, text="x")
    )
    result = first_reply(staff, now=T0 + timedelta(days=400))
    assert result.due_at is None
    assert result.met is None


def test_targets_are_data_and_checked() -> None:
    own = {IntakeChannel.EMAIL: ReplyTarget(within=timedelta(minutes=30))}
    assert first_reply(FeedbackCase.open(email()), targets=own).due_at == T0 + timedelta(minutes=30)
    with pytest.raises(InvalidInputError):
        first_reply(FeedbackCase.open(email()), targets={IntakeChannel.EMAIL: 30})  # type: ignore[dict-item]
    with pytest.raises(InvalidInputError, match="within"):
        ReplyTarget(within=timedelta(0))
    assert REPLY_TARGETS[IntakeChannel.EMAIL].calendar == DEFAULT_CALENDAR


@given(feedback_cases(), reply_targets())
def test_met_means_the_first_reply_came_by_the_due_time(
    case: FeedbackCase, target: ReplyTarget
) -> None:
    result = first_reply(case, targets={case.feedback.channel: target})
    seen = [
        r.at
        for r in case.replies
        if r.channel is case.feedback.channel or r.channel not in INTERNAL_CHANNELS
    ]
    assert result.replied_at == (seen[0] if seen else None)  # the first the customer saw
    if result.replied_at is None:
        assert result.met is None
        assert result.taken is None
    else:
        assert result.due_at is not None
        assert result.taken is not None
        assert result.met is (result.replied_at <= result.due_at)
        assert result.met is (result.taken <= target.within)
        assert result.taken <= result.replied_at - result.received_at


# --------------------------------------------------------------------------- surveys


def test_surveys_follow_the_last_closure_and_a_reopen_cancels_them() -> None:
    closed = answered().fire("close", actor=ANA, at=T0 + 2 * H)
    steps = scheduled_surveys(closed)
    assert [(s.step, s.due_at) for s in steps] == [
        (SurveyStep.SURVEY, T0 + 2 * H + timedelta(days=1)),
        (SurveyStep.REMINDER, T0 + 2 * H + timedelta(days=3)),
    ]
    reopened = closed.fire("reopen", actor=ANA, at=T0 + 5 * H, reason="not fixed")
    assert scheduled_surveys(reopened) == ()
    assert scheduled_surveys(answered()) == ()
    again = (
        reopened.reply(author=ANA, at=T0 + 6 * H, text_ref="m")
        .fire("answer", actor=ANA, at=T0 + 6 * H)
        .fire("close", actor=ANA, at=T0 + 7 * H)
    )
    assert scheduled_surveys(again)[0].due_at == T0 + 7 * H + timedelta(days=1)


def test_an_answer_cancels_the_later_reminders_and_plans_use_calendar_months() -> None:
    closed = answered(datetime(2024, 1, 30, tzinfo=UTC)).fire(
        "close", actor=ANA, at=datetime(2024, 1, 31, tzinfo=UTC)
    )
    answer = case_survey_response(
        closed, id="s1", kind=SurveyKind.CSAT, score=5, answered_at=datetime(2024, 2, 2, tzinfo=UTC)
    )
    steps = scheduled_surveys(closed, responses=[answer])
    assert [s.step for s in steps] == [SurveyStep.SURVEY]
    plan = SurveyPlan(kind=SurveyKind.NPS, first=relativedelta(months=1), reminders=())
    assert scheduled_surveys(closed, plan)[0].due_at == datetime(2024, 2, 29, tzinfo=UTC)
    with pytest.raises(InvalidInputError, match="first"):
        SurveyPlan(first=relativedelta(days=-1))
    with pytest.raises(InvalidInputError):
        scheduled_surveys(closed, plan="daily")  # type: ignore[arg-type]


@given(feedback_cases(), survey_plans())
def test_surveys_exist_only_for_closed_cases_and_never_before_closure(
    case: FeedbackCase, plan: SurveyPlan
) -> None:
    steps = scheduled_surveys(case, plan)
    if case.status is not FeedbackStatus.CLOSED or case.history[-1].from_state != "answered":
        assert steps == ()  # not closed, or closed without an answer
        return
    assert case.closed_at is not None
    assert all(s.due_at > case.closed_at for s in steps)
    assert [s.due_at for s in steps] == sorted(s.due_at for s in steps)
    assert sum(s.step is SurveyStep.SURVEY for s in steps) == 1
    assert len(steps) == 1 + len(plan.reminders)


# --------------------------------------------------------------------------- satisfaction


def test_satisfaction_per_fault_team_agent_and_channel() -> None:
    def handled(ident: str, agent: str, team: str, fault: str) -> FeedbackCase:
        item = EmailFeedback(id=ident, received_at=T0, text="x")
        return (
            FeedbackCase.open(item)
            .assign(actor=ANA, at=T0, agent=agent, team=team)
            .link(actor=ANA, at=T0, fault_id=fault)
            .reply(author=ANA, at=T0, text_ref=f"msg-{ident}")
            .fire("answer", actor=ANA, at=T0)
            .fire("close", actor=ANA, at=T0)  # the survey follows closure
        )

    cases = [
        handled("a", "ana", "t1", "F-1"),
        handled("b", "ana", "t1", "F-2"),
        handled("c", "bo", "t2", "F-2"),
    ]
    scores = [5, 4, 1]
    answers = [
        case_survey_response(c, id=f"s-{c.id}", kind=SurveyKind.CSAT, score=s, answered_at=T0 + H)
        for c, s in zip(cases, scores, strict=True)
    ]
    by_agent = survey_breakdown(answers, SurveyKind.CSAT, Dimension.AGENT)
    assert [(g.key, g.result.score, g.result.n) for g in by_agent] == [
        ("ana", 100.0, 2),
        ("bo", 0.0, 1),
    ]
    by_fault = survey_breakdown(answers, SurveyKind.CSAT, Dimension.FAULT)
    assert [(g.key, g.result.n) for g in by_fault] == [("F-1", 1), ("F-2", 2)]
    by_team = survey_breakdown(answers, SurveyKind.CSAT, Dimension.TEAM)
    assert [g.key for g in by_team] == ["t1", "t2"]
    by_channel = survey_breakdown(answers, SurveyKind.CSAT, Dimension.CHANNEL)
    assert [(g.key, g.result.n) for g in by_channel] == [("email", 3)]
    assert answers[0].feedback_id == "a"


# --------------------------------------------------------------------------- ratings


@pytest.mark.parametrize(
    ("raw", "score"),
    [
        ({"id": "r1", "date": "2024-05-01T10:00Z", "stars": 4}, 4),
        ({"id": 17, "timestamp": 1714557600, "overall": 5.0, "text": ""}, 5),
        ({"id": "r3", "date": "2024-05-01T10:00Z", "rating": "2", "text": "   "}, 2),
    ],
)
def test_rating_only_reviews_are_survey_answers(raw: dict[str, Any], score: int) -> None:
    answer = normalise_rating(raw, channel=IntakeChannel.ONLINE_FORM)
    assert answer.score == score
    assert answer.kind is SurveyKind.CSAT
    assert answer.comment is None
    assert answer.channel is IntakeChannel.ONLINE_FORM


def test_a_rating_with_text_keeps_it_as_the_comment() -> None:
    raw = {"id": "r", "date": "2024-05-01T10:00Z", "score": 9, "kind": "NPS", "text": "good"}
    answer = normalise_rating(raw)
    assert (answer.kind, answer.score, answer.comment) == (SurveyKind.NPS, 9, "good")


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"id": "r", "date": "2024-05-01T10:00Z"}, "score"),
        ({"id": "r", "date": "2024-05-01T10:00Z", "stars": 6}, "stars"),
        ({"id": "r", "date": "2024-05-01T10:00Z", "stars": 4.5}, "stars"),
        ({"id": "r", "date": "2024-05-01T10:00Z", "stars": True}, "stars"),
        ({"id": "r", "date": "2024-05-01T10:00Z", "stars": "  "}, "stars"),
        ({"id": "r", "date": "2024-05-01T10:00Z", "stars": "4.0"}, "stars"),
        ({"id": "r", "stars": 4}, "received_at"),
        ({"date": "2024-05-01T10:00Z", "stars": 4}, "id"),
    ],
)
def test_bad_ratings_name_the_key(raw: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        normalise_rating(raw)
    assert caught.value.field == field


@given(st.integers(min_value=-5, max_value=15), st.sampled_from(SurveyKind))
def test_rating_scales_are_enforced(score: int, kind: SurveyKind) -> None:
    low, high = {SurveyKind.NPS: (0, 10), SurveyKind.CSAT: (1, 5), SurveyKind.CES: (1, 7)}[kind]
    raw = {"id": "r", "date": "2024-05-01T10:00Z", "stars": score}
    if low <= score <= high:
        assert normalise_rating(raw, kind=kind).score == score
    else:
        with pytest.raises(InvalidInputError):
            normalise_rating(raw, kind=kind)


def test_status_changed_is_the_history() -> None:
    case = answered()
    assert all(isinstance(e, TransitionRecord) for e in case.history)
    assert [e.to_state for e in case.history] == ["acknowledged", "answered"]
    assert [e.from_state for e in case.history] == ["new", "acknowledged"]


# --------------------------------------------------------------------------- the loop


def test_feedback_loop_counts_first_replies_against_the_targets() -> None:
    from faultkit.metrics import Rate, feedback_loop

    call = HotlineFeedback(id="h", received_at=T0, text="x", call_started_at=T0, agent="ana")
    post = SocialFeedback(id="s", received_at=T0, text="x", platform="X")
    staff = Feedback(id="st", channel=IntakeChannel.STAFF, received_at=T0, text="x")
    cases = [
        FeedbackCase.open(call).reply(author=ANA, at=T0 + timedelta(minutes=10), text_ref="r"),
        FeedbackCase.open(post).reply(author=ANA, at=T0 + 3 * H, text_ref="r"),
        FeedbackCase.open(email()),  # unanswered: missed once past due at `now`
        FeedbackCase.open(staff),  # no target: no decision
    ]
    items = [c.feedback for c in cases]
    loop = feedback_loop(items, cases=cases, now=T0 + timedelta(days=5))
    assert loop.reply_target_met == Rate(numerator=1, denominator=3)
    assert dict(loop.reply_target_met_by_channel) == {
        IntakeChannel.HOTLINE: Rate(numerator=1, denominator=1),
        IntakeChannel.SOCIAL_MEDIA: Rate(numerator=0, denominator=1),
        IntakeChannel.EMAIL: Rate(numerator=0, denominator=1),
    }
    assert loop.first_reply_time.n == 2
    assert loop.first_reply_time.maximum == 3 * H
    before_due = feedback_loop(items, cases=cases, now=T0 + H)
    assert before_due.reply_target_met == Rate(numerator=1, denominator=2)
    assert feedback_loop([]).reply_target_met.empty
    with pytest.raises(InvalidInputError) as caught:
        feedback_loop(items, cases=[items[0]])  # type: ignore[list-item]
    assert caught.value.field == "cases[0]"


# --------------------------------------------------------------------------- hostile input

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
_event_keys = st.sampled_from(
    ["type", "actor", "at", "trigger", "from_state", "to_state", "reason", "channel", "text_ref"]
)


@given(
    st.one_of(
        _json,
        st.fixed_dictionaries(
            {
                "feedback": st.just(to_dict(email())) | _json,
                "events": st.lists(st.dictionaries(_event_keys, _json, max_size=6), max_size=4)
                | _json,
            }
        ),
    )
)
def test_any_stored_data_reads_as_a_case_or_invalid_input(data: Any) -> None:
    try:
        case = from_dict(data, FeedbackCase)
    except InvalidInputError:
        return  # refused by name; any other exception fails the test
    assert from_dict(to_dict(case), FeedbackCase) == case


def test_deeply_nested_and_huge_stored_values_are_refused_by_name() -> None:
    deep: Any = "x"
    for _ in range(50_000):
        deep = {"a": deep}
    data = to_dict(answered())
    data["events"][1]["text_ref"] = deep
    with pytest.raises(InvalidInputError) as caught:
        from_dict(data, FeedbackCase)
    assert caught.value.field == "events[1].text_ref"
    huge = "r" * 5_000_000
    case = answered().reply(author=ANA, at=T0 + 2 * H, text_ref=huge)
    assert from_dict(to_dict(case), FeedbackCase).replies[-1].text_ref == huge
    assert len(str(InvalidInputError("text_ref", huge, "too long"))) < 300


def test_surveys_past_year_9999_are_refused_not_crashed() -> None:
    end = datetime(9999, 12, 31, tzinfo=UTC)
    item = Feedback(id="x", channel=IntakeChannel.STAFF, received_at=end, text="x")
    case = (
        FeedbackCase.open(item)
        .reply(author=ANA, at=end, text_ref="m")
        .fire("answer", actor=ANA, at=end)
        .fire("close", actor=ANA, at=end)
    )
    with pytest.raises(InvalidInputError) as caught:
        scheduled_surveys(case)
    assert caught.value.field == "closed_at"


def test_the_diagram_in_the_docs_is_the_table() -> None:
    """docs/feedback.md draws the workflow by hand: every arrow must be a row, and back."""
    import re
    from pathlib import Path

    page = (Path(__file__).resolve().parent.parent / "docs" / "feedback.md").read_text("utf-8")
    block = page.split("```mermaid", 1)[1].split("```", 1)[0]
    drawn = {
        (m["source"], m["dest"], m["trigger"])
        for m in re.finditer(r"(?P<source>\w+) --> (?P<dest>\w+): (?P<trigger>\w+)", block)
    }
    table = {
        (source, row.dest, row.trigger)
        for row in FEEDBACK_WORKFLOW.transitions
        for source in row.sources
    }
    assert drawn == table
