"""Histories a feedback case must refuse: what an adversarial tester recorded on one.

Each test is one way the case could be made to hold a history that cannot have
happened; the command refuses it, naming the event's field and the value.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given

from faultkit import _validators as v
from faultkit.errors import InvalidInputError, TransitionRefusedError
from faultkit.feedback import (
    INTERNAL_CHANNELS,
    EmailFeedback,
    Feedback,
    FeedbackCase,
    SurveyKind,
    SurveyPlan,
    SurveyResponse,
    case_survey_response,
    first_reply,
    scheduled_surveys,
)
from faultkit.models import Attachment, AttachmentKind, IntakeChannel, Person
from faultkit.serialization import from_dict, to_dict
from faultkit.testing.feedback import feedback_cases

ANA = Person(id="ana", name="Ana")
BO = Person(id="bo", name="Bo")
T0 = datetime(2024, 5, 3, 16, 0, tzinfo=UTC)
H = timedelta(hours=1)
NY = ZoneInfo("America/New_York")
SHOT = Attachment(kind=AttachmentKind.SCREENSHOT, uri="s3://ev/1.png", media_type="image/png")


def email(at: datetime = T0) -> EmailFeedback:
    return EmailFeedback(id="fb-1", received_at=at, text="The app crashes on login")


# --------------------------------------------------------------------------- duplicates


def test_the_same_attachment_reference_twice_is_refused_by_its_uri() -> None:
    case = FeedbackCase.open(email()).attach(SHOT, actor=ANA, at=T0)
    # The same reference, even described again by someone else later, is one piece
    # of evidence: the uri says where it is.
    again = Attachment(kind=AttachmentKind.PHOTO, uri=SHOT.uri, media_type="image/jpeg")
    for repeat, who, at in ((SHOT, ANA, T0), (again, BO, T0 + H)):
        with pytest.raises(InvalidInputError) as caught:
            case.attach(repeat, actor=who, at=at)
        assert caught.value.field == "events[1].attachment.uri"
        assert caught.value.value == SHOT.uri
        assert "events[0]" in caught.value.reason
    other = Attachment(kind=AttachmentKind.LOG, uri="s3://ev/2.log", media_type="text/plain")
    assert case.attach(other, actor=ANA, at=T0).attachments == (SHOT, other)


def test_the_same_reply_twice_is_refused_and_a_resend_is_not() -> None:
    case = FeedbackCase.open(email()).reply(author=ANA, at=T0 + H, text_ref="msg-1")
    with pytest.raises(InvalidInputError) as caught:
        case.reply(author=ANA, at=T0 + H, text_ref="msg-1")
    assert caught.value.field == "events[1].text_ref"
    assert caught.value.value == "msg-1"
    assert "events[0]" in caught.value.reason
    # The same instant written in another zone is the same reply.
    with pytest.raises(InvalidInputError):
        case.reply(author=ANA, at=(T0 + H).astimezone(NY), text_ref="msg-1")
    # Any field that differs makes another reply: a later resend, another author,
    # another channel, another text.
    assert len(case.reply(author=ANA, at=T0 + 2 * H, text_ref="msg-1").replies) == 2
    assert len(case.reply(author=BO, at=T0 + H, text_ref="msg-1").replies) == 2
    hotline = case.reply(author=ANA, at=T0 + H, text_ref="msg-1", channel=IntakeChannel.HOTLINE)
    assert len(hotline.replies) == 2
    assert len(case.reply(author=ANA, at=T0 + H, text_ref="msg-2").replies) == 2


def test_a_stored_history_holding_a_repeat_reads_back_as_written() -> None:
    # written before the commands refused repeats: history is not rewritten, and a
    # command on it still refuses the same repeat
    case = (
        FeedbackCase.open(email())
        .attach(SHOT, actor=ANA, at=T0)
        .reply(author=ANA, at=T0 + H, text_ref="msg-1")
    )
    data = to_dict(case)
    data["events"].append(dict(data["events"][0]) | {"at": (T0 + H).isoformat()})
    data["events"].append(data["events"][1])
    stored = from_dict(data, FeedbackCase)
    assert to_dict(stored) == data
    assert (len(stored.events), stored.attachments, len(stored.replies)) == (4, (SHOT, SHOT), 2)
    with pytest.raises(InvalidInputError) as caught:
        stored.reply(author=ANA, at=T0 + H, text_ref="msg-1")
    assert (caught.value.field, caught.value.value) == ("events[4].text_ref", "msg-1")
    assert "events[1]" in caught.value.reason
    with pytest.raises(InvalidInputError) as caught:
        stored.attach(SHOT, actor=BO, at=T0 + 2 * H)
    assert caught.value.field == "events[4].attachment.uri"


def test_a_case_read_back_refuses_a_repeat_of_a_stored_reply_or_evidence() -> None:
    case = (
        FeedbackCase.open(email())
        .attach(SHOT, actor=ANA, at=T0)
        .reply(author=ANA, at=T0 + H, text_ref="msg-1")
    )
    stored = from_dict(to_dict(case), FeedbackCase)
    with pytest.raises(InvalidInputError, match=r"events\[0\]"):
        stored.attach(SHOT, actor=BO, at=T0 + H)
    with pytest.raises(InvalidInputError, match=r"events\[1\]"):
        stored.reply(author=ANA, at=T0 + H, text_ref="msg-1")
    # Two cases made from one do not see each other's replies.
    left = case.reply(author=BO, at=T0 + 2 * H, text_ref="msg-2")
    right = case.reply(author=BO, at=T0 + 2 * H, text_ref="msg-3")
    assert len(right.reply(author=BO, at=T0 + 3 * H, text_ref="msg-2").replies) == 3
    assert len(left.reply(author=BO, at=T0 + 3 * H, text_ref="msg-3").replies) == 3


def test_a_reply_does_not_read_the_earlier_events_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # Refusing a repeat once read every earlier reply again: n replies cost O(n^2)
    # instant conversions (4,000 replies took 4.7 s). Count the conversions one more
    # reply makes on a case of 5 and of 200 replies: the same.
    def conversions(replies: int) -> int:
        case = FeedbackCase.open(email())
        for i in range(replies):
            case = case.reply(author=ANA, at=T0 + i * H, text_ref=f"msg-{i}")
        calls = 0
        since_epoch = v.since_epoch

        def counted(at: datetime) -> timedelta:
            nonlocal calls
            calls += 1
            return since_epoch(at)

        with monkeypatch.context() as patch:
            patch.setattr(v, "since_epoch", counted)
            case.reply(author=ANA, at=T0 + replies * H, text_ref="last")
        return calls

    assert conversions(200) == conversions(5)


# --------------------------------------------------------------------------- first reply


def test_a_reply_on_an_internal_channel_is_not_the_first_reply() -> None:
    case = (
        FeedbackCase.open(email())
        .reply(author=ANA, at=T0 + H, text_ref="note-1", channel=IntakeChannel.STAFF)
        .reply(author=ANA, at=T0 + 2 * H, text_ref="alert-1", channel=IntakeChannel.MONITORING)
    )
    assert len(case.replies) == 2
    assert case.first_reply_at is None
    unanswered = first_reply(case, now=T0 + timedelta(days=4))
    assert unanswered.replied_at is None
    assert unanswered.met is False
    with pytest.raises(TransitionRefusedError) as caught:
        case.fire("answer", actor=ANA, at=T0 + 2 * H)  # the customer heard nothing
    assert caught.value.unmet[0][0] == "reply_recorded"
    case = case.reply(author=ANA, at=T0 + 3 * H, text_ref="msg-1", channel=IntakeChannel.HOTLINE)
    assert case.first_reply_at == T0 + 3 * H
    assert first_reply(case).replied_at == T0 + 3 * H
    assert case.fire("answer", actor=ANA, at=T0 + 3 * H).status.value == "answered"


def test_staff_feedback_is_answered_on_the_staff_channel() -> None:
    item = Feedback(id="fb-2", channel=IntakeChannel.STAFF, received_at=T0, text="Jam at QA")
    case = FeedbackCase.open(item).reply(author=ANA, at=T0 + H, text_ref="note-1")
    assert case.replies[0].channel is IntakeChannel.STAFF
    assert case.first_reply_at == T0 + H
    assert frozenset({IntakeChannel.MONITORING, IntakeChannel.STAFF}) == INTERNAL_CHANNELS


def _seen_by_the_customer(case: FeedbackCase) -> list[datetime]:
    """The reference rule, written apart: the feedback's own channel, or one outside."""
    outside = set(IntakeChannel) - {IntakeChannel.MONITORING, IntakeChannel.STAFF}
    return [
        r.at for r in case.replies if r.channel is case.feedback.channel or r.channel in outside
    ]


@given(feedback_cases(max_commands=16))
def test_the_first_reply_is_the_first_the_customer_could_see(case: FeedbackCase) -> None:
    seen = _seen_by_the_customer(case)
    expected = min(seen, key=v.since_epoch) if seen else None
    assert v.optional_since_epoch(case.first_reply_at) == v.optional_since_epoch(expected)
    assert v.optional_since_epoch(first_reply(case).replied_at) == v.optional_since_epoch(expected)
    replayed = from_dict(to_dict(case), FeedbackCase)
    assert v.optional_since_epoch(replayed.first_reply_at) == v.optional_since_epoch(expected)


# --------------------------------------------------------------------------- survey answers


def _closed(at: datetime) -> FeedbackCase:
    item = EmailFeedback(id="fb-3", received_at=at - H, text="Invoice wrong")
    return (
        FeedbackCase.open(item)
        .reply(author=ANA, at=at, text_ref="msg-1")
        .fire("answer", actor=ANA, at=at)
        .fire("close", actor=ANA, at=at)
    )


def _answer(case: FeedbackCase, at: datetime) -> SurveyResponse:
    return case_survey_response(case, id="s-1", kind=SurveyKind.CSAT, score=4, answered_at=at)


def test_a_survey_answer_before_the_closure_is_refused() -> None:
    case = _closed(T0)
    assert _answer(case, T0).answered_at == T0  # at the closure: accepted
    with pytest.raises(InvalidInputError) as caught:
        _answer(case, T0 - timedelta(seconds=1))
    assert caught.value.field == "answered_at"
    assert caught.value.value == T0 - timedelta(seconds=1)
    assert T0.isoformat() in caught.value.reason


def test_a_survey_answer_for_a_case_never_closed_is_refused() -> None:
    case = FeedbackCase.open(email())
    with pytest.raises(InvalidInputError) as caught:
        _answer(case, T0 + H)
    assert caught.value.field == "answered_at"
    assert "not been closed" in caught.value.reason


def test_an_answer_to_the_first_closures_survey_after_a_reopen_is_kept() -> None:
    case = _closed(T0).fire("reopen", actor=ANA, at=T0 + 2 * H, reason="still wrong")
    assert _answer(case, T0 + 3 * H).answered_at == T0 + 3 * H


def test_survey_answers_are_compared_with_the_closure_as_instants() -> None:
    late = datetime(2024, 11, 3, 1, 10, tzinfo=NY, fold=1)  # 06:10 UTC
    early = datetime(2024, 11, 3, 1, 40, tzinfo=NY)  # 05:40 UTC, later on the wall
    case = _closed(late)
    with pytest.raises(InvalidInputError) as caught:
        _answer(case, early)
    assert caught.value.field == "answered_at"
    after = datetime(2024, 11, 3, 1, 40, tzinfo=NY, fold=1)  # 06:40 UTC
    assert _answer(case, after).answered_at == after


# --------------------------------------------------------------------------- no survey for spam


def test_a_case_closed_without_an_answer_gets_no_survey() -> None:
    for reason in ("spam", "duplicate of fb-0", "sent in error"):
        case = FeedbackCase.open(email()).fire("close", actor=ANA, at=T0, reason=reason)
        assert case.closed_at == T0
        assert scheduled_surveys(case) == ()
    # The reply does not make the difference: the close without an answer does.
    replied = (
        FeedbackCase.open(email())
        .reply(author=ANA, at=T0, text_ref="msg-1")
        .fire("close", actor=ANA, at=T0 + H, reason="duplicate of fb-0")
    )
    assert scheduled_surveys(replied) == ()
    # Resolved (answered) then closed: the surveys as before, also after a reopen that
    # was answered again; a reopen closed without a new answer has none.
    resolved = _closed(T0)
    assert [s.step.value for s in scheduled_surveys(resolved)] == ["survey", "reminder"]
    reopened = resolved.fire("reopen", actor=ANA, at=T0 + H, reason="again")
    dropped = reopened.fire("close", actor=ANA, at=T0 + 2 * H, reason="spam")
    assert scheduled_surveys(dropped) == ()
    again = (
        dropped.fire("reopen", actor=ANA, at=T0 + 3 * H, reason="real after all")
        .reply(author=ANA, at=T0 + 4 * H, text_ref="msg-2")
        .fire("answer", actor=ANA, at=T0 + 4 * H)
        .fire("close", actor=ANA, at=T0 + 5 * H)
    )
    assert scheduled_surveys(again)[0].due_at == T0 + 5 * H + timedelta(days=1)


@given(feedback_cases(max_commands=16))
def test_surveys_only_after_a_close_from_answered(case: FeedbackCase) -> None:
    closes = [e for e in case.history if e.to_state == "closed"]
    last = case.history[-1] if case.history else None
    expected = last is not None and last.to_state == "closed" and last.from_state == "answered"
    assert bool(scheduled_surveys(case)) == expected
    assert expected <= bool(closes)


def test_no_survey_answer_for_a_case_only_closed_without_an_answer() -> None:
    spam = FeedbackCase.open(email()).fire("close", actor=ANA, at=T0, reason="spam")
    with pytest.raises(InvalidInputError) as caught:
        _answer(spam, T0 + H)  # no survey was sent: it cannot be answered
    assert caught.value.field == "answered_at"
    assert "without an answer" in caught.value.reason
    # Closed as spam after a reopen: the survey of the answered closure may be answered.
    resolved = _closed(T0)
    dropped = resolved.fire("reopen", actor=ANA, at=T0 + H, reason="again").fire(
        "close", actor=ANA, at=T0 + 2 * H, reason="spam"
    )
    assert _answer(dropped, T0 + 3 * H).feedback_id == "fb-3"
    # A closure without an answer that came first does not open the window.
    late = (
        spam.fire("reopen", actor=ANA, at=T0 + H, reason="real after all")
        .reply(author=ANA, at=T0 + 2 * H, text_ref="msg-1")
        .fire("answer", actor=ANA, at=T0 + 2 * H)
        .fire("close", actor=ANA, at=T0 + 3 * H)
    )
    with pytest.raises(InvalidInputError):
        _answer(late, T0 + 2 * H)
    assert _answer(late, T0 + 3 * H).answered_at == T0 + 3 * H


def test_with_its_plan_a_survey_answer_before_the_survey_went_out_is_refused() -> None:
    case = _closed(T0)
    plan = SurveyPlan(first=relativedelta(days=1))
    due = scheduled_surveys(case, plan)[0].due_at
    with pytest.raises(InvalidInputError) as caught:
        case_survey_response(
            case, id="s-1", kind=SurveyKind.CSAT, score=4, answered_at=due - H, plan=plan
        )
    assert caught.value.field == "answered_at"
    assert due.isoformat() in caught.value.reason
    answer = case_survey_response(
        case, id="s-1", kind=SurveyKind.CSAT, score=4, answered_at=due, plan=plan
    )
    assert answer.answered_at == due
    with pytest.raises(InvalidInputError) as caught:
        case_survey_response(
            case, id="s-1", kind=SurveyKind.NPS, score=9, answered_at=due, plan=plan
        )
    assert caught.value.field == "kind"
    with pytest.raises(InvalidInputError) as caught:
        case_survey_response(
            case, id="s-1", kind=SurveyKind.CSAT, score=4, answered_at=due, plan="daily"
        )
    assert caught.value.field == "plan"


def test_an_answer_before_the_survey_was_due_does_not_cancel_its_reminders() -> None:
    case = _closed(T0)
    survey, reminder = scheduled_surveys(case)
    early = SurveyResponse(
        id="s-0", kind=SurveyKind.CSAT, score=5, answered_at=survey.due_at - H, feedback_id="fb-3"
    )  # after the closure, before this survey went out: it answers no survey of this one
    assert scheduled_surveys(case, responses=[early]) == (survey, reminder)
    on_time = attrs.evolve(early, answered_at=survey.due_at)
    assert scheduled_surveys(case, responses=[on_time]) == (survey,)


def test_survey_answers_of_the_wrong_type_are_refused_naming_the_field() -> None:
    case = _closed(T0)
    answer = SurveyResponse(
        id="s-0", kind=SurveyKind.CSAT, score=5, answered_at=T0 + 30 * H, feedback_id="fb-3"
    )
    # Once an AttributeError ('int' has no feedback_id) or a TypeError (None), and no
    # check at all on a case not closed.
    for case_ in (case, FeedbackCase.open(email())):
        for responses, field in (([answer, 1], "responses[1]"), (None, "responses")):
            with pytest.raises(InvalidInputError) as caught:
                scheduled_surveys(case_, responses=responses)  # type: ignore[arg-type]
            assert caught.value.field == field
    # A generator is read once.
    assert scheduled_surveys(case, responses=iter([answer])) == scheduled_surveys(
        case, responses=[answer]
    )
    # A kind's value where its member is expected is refused as such, plan or not
    # (with a plan it was once "the plan's survey asks csat" for "csat").
    for plan in (None, SurveyPlan()):
        with pytest.raises(InvalidInputError, match="expected a SurveyKind") as caught:
            case_survey_response(
                case,
                id="s-1",
                kind="csat",  # type: ignore[arg-type]
                score=4,
                answered_at=T0 + 30 * H,
                plan=plan,
            )
        assert caught.value.field == "kind"


# --------------------------------------------------------------------------- no-op changes


def test_an_assignment_or_link_that_changes_nothing_is_refused() -> None:
    case = (
        FeedbackCase.open(email())
        .assign(actor=ANA, at=T0, agent="ana", team="desk")
        .link(actor=ANA, at=T0, fault_id="F-1", cluster_id="c-1")
    )
    for repeat, field, value in (
        (lambda: case.assign(actor=BO, at=T0 + H, agent="ana"), "agent", "ana"),
        (lambda: case.assign(actor=BO, at=T0 + H, team="desk"), "team", "desk"),
        (lambda: case.assign(actor=BO, at=T0 + H, agent="ana", team="desk"), "agent", "ana"),
        (lambda: case.link(actor=BO, at=T0 + H, fault_id="F-1"), "fault_id", "F-1"),
        (lambda: case.link(actor=BO, at=T0 + H, cluster_id="c-1"), "cluster_id", "c-1"),
    ):
        with pytest.raises(InvalidInputError, match="nothing would change") as caught:
            repeat()
        assert (caught.value.field, caught.value.value) == (field, value)
    # a change of one of the two is a change
    moved = case.assign(actor=BO, at=T0 + H, agent="ana", team="billing")
    assert (moved.agent, moved.team, len(moved.events)) == ("ana", "billing", 3)
    relinked = case.link(actor=BO, at=T0 + H, fault_id="F-2", cluster_id="c-1")
    assert (relinked.fault_id, relinked.cluster_id) == ("F-2", "c-1")


@given(feedback_cases())
def test_assigning_a_case_to_what_it_has_is_refused_whatever_its_history(
    case: FeedbackCase,
) -> None:
    at = case.events[-1].at if case.events else case.feedback.received_at
    if case.agent is not None:
        with pytest.raises(InvalidInputError, match="nothing would change"):
            case.assign(actor=ANA, at=at, agent=case.agent)
    if case.fault_id is not None:
        with pytest.raises(InvalidInputError, match="nothing would change"):
            case.link(actor=ANA, at=at, fault_id=case.fault_id)
    # a history holding such an event, written before this check, still reads back
    # (the last assignment recorded twice in a row)
    stored = [*case.events]
    last = max((i for i, e in enumerate(stored) if hasattr(e, "agent")), default=None)
    if last is not None:
        stored.insert(last + 1, stored[last])
    assert FeedbackCase(feedback=case.feedback, events=stored).agent == case.agent
