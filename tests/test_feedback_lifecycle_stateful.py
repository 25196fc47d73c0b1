"""Random command sequences on a stored feedback case, against a model written apart from the table.

The model below is the procedure in words, coded by hand: it does not read
``FEEDBACK_WORKFLOW``, so a wrong row in the table shows up as a disagreement.

Each run takes one of three zones: UTC, Shanghai (no DST) and New York, starting at 01:45
on the first pass of the hour that repeats when DST ends (2024-11-03 01:00-01:59 twice), with
short gaps among the long ones, so events fall on both passes of the repeated hour. The
model keeps time in UTC; commands get the zone's local time (``fold`` set). Every step
saves the case to a SQLite store and reads it back.

Histories that cannot have happened are tried too, and must be refused with nothing
appended: an event before the last one or before the feedback was received, the last
reply recorded again, the same evidence attached again, and a survey answer dated
before the first closure after an answer. Replies on the staff and monitoring channels
are internal notes: neither the first reply nor a reply that lets the feedback be
answered.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from faultkit import _validators as v
from faultkit.adapters.sql import SqlStore
from faultkit.errors import InvalidInputError, TransitionRefusedError
from faultkit.feedback import (
    FeedbackCase,
    FeedbackStatus,
    ReplySent,
    SocialFeedback,
    SurveyKind,
    case_survey_response,
    first_reply,
    scheduled_surveys,
)
from faultkit.models import Attachment, AttachmentKind, IntakeChannel, Person
from faultkit.serialization import from_dict, to_dict
from faultkit.storage import FeedbackQuery, MemoryStore

ANA = Person(id="ana", name="Ana")
T0 = datetime(2024, 11, 3, 5, 45, tzinfo=UTC)  # 01:45 in New York, first pass
ZONES = [UTC, ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York")]

# status -> trigger -> (next status, needs a reason, needs a reply since receipt/reopen)
MODEL: dict[str, dict[str, tuple[str, bool, bool]]] = {
    "new": {
        "acknowledge": ("acknowledged", False, False),
        "start": ("in_progress", False, False),
        "answer": ("answered", False, True),
        "close": ("closed", True, False),
    },
    "acknowledged": {
        "start": ("in_progress", False, False),
        "answer": ("answered", False, True),
        "close": ("closed", True, False),
    },
    "in_progress": {
        "answer": ("answered", False, True),
        "close": ("closed", True, False),
    },
    "answered": {
        "close": ("closed", False, False),
        "reopen": ("reopened", True, False),
    },
    "closed": {"reopen": ("reopened", True, False)},
    "reopened": {
        "start": ("in_progress", False, False),
        "answer": ("answered", False, True),
        "close": ("closed", True, False),
    },
}
TRIGGERS = ["acknowledge", "start", "answer", "close", "reopen", "escalate"]
# The feedback's own channel, another one that reaches customers, and the internal two.
CHANNELS = [
    IntakeChannel.SOCIAL_MEDIA,
    IntakeChannel.EMAIL,
    IntakeChannel.STAFF,
    IntakeChannel.MONITORING,
]
gaps = st.one_of(
    st.integers(min_value=0, max_value=40),  # within the repeated hour
    st.integers(min_value=0, max_value=3 * 24 * 60),
).map(lambda m: timedelta(minutes=m))


class FeedbackMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.zone: tzinfo = UTC
        # In-memory SQLite (one connection kept): the SQL, codec and schema of a file
        # store without a disk sync per step, so the run stays within seconds.
        self.sql = SqlStore(create_engine("sqlite://", poolclass=StaticPool))
        self.store = MemoryStore()

    @initialize(zone=st.sampled_from(ZONES))
    def open_case(self, zone: tzinfo) -> None:
        self.zone = zone
        self.now = T0
        item = SocialFeedback(
            id="fb-1", received_at=self._at(), text="Router drops wifi", platform="X"
        )
        self.case = FeedbackCase.open(item)
        self.previous = self.case
        self.status = "new"
        self.replied_since_open = False
        self.first_reply: datetime | None = None
        self.refused = 0
        self.closed_answered = False  # the last status change closed an answered case
        self.first_closed: datetime | None = None  # the first close from answered, UTC
        self.last_reply: tuple[datetime, str, IntakeChannel | None] | None = None
        self.uris: set[str] = set()
        self.version = self.store.feedback_cases.add(self.case)
        self.sql_version = self.sql.feedback_cases.add(self.case)

    def teardown(self) -> None:
        self.sql.close()

    def _at(self) -> datetime:
        """The model's time (UTC) as the zone's local time, ``fold`` set by astimezone."""
        local = self.now.astimezone(self.zone)
        if local.fold:
            event("a time on the second pass of the repeated hour")
        return local

    def _moved(self, case: FeedbackCase) -> None:
        self.previous, self.case = self.case, case
        self.version = self.store.feedback_cases.save(case, expected_version=self.version)
        self.sql_version = self.sql.feedback_cases.save(case, expected_version=self.sql_version)
        loaded = self.sql.feedback_cases.get(case.id)
        assert loaded.version == self.sql_version
        assert loaded.item == case  # times compared as instants, the zone's fold too
        assert [v.since_epoch(e.at) for e in loaded.item.events] == [
            v.since_epoch(e.at) for e in case.events
        ]
        self.case = loaded.item  # go on from what the store gave back

    @rule(trigger=st.sampled_from(TRIGGERS), reason=st.none() | st.just("why"), gap=gaps)
    def fire(self, trigger: str, reason: str | None, gap: timedelta) -> None:
        self.now += gap
        move = MODEL[self.status].get(trigger)
        allowed = (
            move is not None
            and (reason is not None or not move[1])
            and (self.replied_since_open or not move[2])
        )
        if not allowed:
            with pytest.raises((TransitionRefusedError, InvalidInputError)) as caught:
                self.case.fire(trigger, actor=ANA, at=self._at(), reason=reason)
            error = caught.value
            if trigger == "escalate":
                assert isinstance(error, InvalidInputError)
                assert error.field == "trigger"
                return
            assert isinstance(error, TransitionRefusedError)
            assert error.state == self.status
            assert error.trigger == trigger
            assert set(error.allowed) == set(MODEL[self.status])
            assert (move is None) == (error.unmet == ())
            self.refused += 1
            return
        case = self.case.fire(trigger, actor=ANA, at=self._at(), reason=reason)
        assert allowed, f"{trigger} from {self.status} was accepted"
        assert move is not None
        self.closed_answered = self.status == "answered" and trigger == "close"
        self.status = move[0]
        if self.closed_answered and self.first_closed is None:
            self.first_closed = self.now
        if self.status == "reopened":
            self.replied_since_open = False
        self._moved(case)

    @rule(gap=gaps, channel=st.sampled_from([None, *CHANNELS]))
    def reply(self, gap: timedelta, channel: IntakeChannel | None) -> None:
        self.now += gap
        text_ref = f"r-{len(self.case.events)}"
        self._moved(self.case.reply(author=ANA, at=self._at(), text_ref=text_ref, channel=channel))
        self.last_reply = (self.now, text_ref, channel)
        if channel in (IntakeChannel.STAFF, IntakeChannel.MONITORING):
            return  # an internal note: the customer (on social media) does not see it
        self.replied_since_open = True
        if self.first_reply is None:
            self.first_reply = self._at()

    @precondition(lambda self: self.last_reply is not None)
    @rule()
    def reply_again(self) -> None:
        """The last reply recorded again: the same author, instant, channel and text."""
        assert self.last_reply is not None
        at, text_ref, channel = self.last_reply
        before = self.case
        with pytest.raises(InvalidInputError) as caught:
            self.case.reply(
                author=ANA, at=at.astimezone(self.zone), text_ref=text_ref, channel=channel
            )
        where = f"events[{len(before.events)}]"
        # A repeat of a reply older than the last event is refused for its time first.
        late = v.since_epoch(at) < v.since_epoch(before.last_changed_at)
        assert caught.value.field == (f"{where}.at" if late else f"{where}.text_ref")
        event("a reply repeated late" if late else "a reply repeated")

    @rule(gap=gaps, back=st.integers(min_value=0, max_value=3 * 24 * 60))
    def answer_survey(self, gap: timedelta, back: int) -> None:
        """A survey answer ``back`` minutes ago: refused unless after an answered closure."""
        self.now += gap
        answered = (self.now - timedelta(minutes=back)).astimezone(self.zone)
        allowed = self.first_closed is not None and v.since_epoch(answered) >= v.since_epoch(
            self.first_closed
        )
        if not allowed:
            with pytest.raises(InvalidInputError) as caught:
                case_survey_response(
                    self.case, id="s", kind=SurveyKind.CSAT, score=5, answered_at=answered
                )
            assert caught.value.field == "answered_at"
            event("a survey answer refused")
            return
        event("a survey answer accepted")
        answer = case_survey_response(
            self.case, id="s", kind=SurveyKind.CSAT, score=5, answered_at=answered
        )
        assert answer.feedback_id == self.case.id

    @rule(gap=gaps, uri=st.sampled_from(["s3://p.jpg", "s3://q.jpg"]))
    def attach(self, gap: timedelta, uri: str) -> None:
        self.now += gap
        shot = Attachment(kind=AttachmentKind.PHOTO, uri=uri, media_type="image/jpeg")
        if uri in self.uris:  # the same evidence again
            before = self.case
            with pytest.raises(InvalidInputError) as caught:
                self.case.attach(shot, actor=ANA, at=self._at())
            assert caught.value.field == f"events[{len(before.events)}].attachment.uri"
            return
        self.uris.add(uri)
        self._moved(self.case.attach(shot, actor=ANA, at=self._at()))

    @rule(gap=gaps, agent=st.sampled_from(["ana", "bo"]))
    def assign(self, gap: timedelta, agent: str) -> None:
        self.now += gap
        if self.case.agent == agent and self.case.team == "desk":  # it would change nothing
            with pytest.raises(InvalidInputError, match="nothing would change"):
                self.case.assign(actor=ANA, at=self._at(), agent=agent, team="desk")
            return
        self._moved(self.case.assign(actor=ANA, at=self._at(), agent=agent, team="desk"))

    @rule(back=st.integers(min_value=1, max_value=600))
    def travel_back_in_time(self, back: int) -> None:
        """An event before the last one, or before the feedback was received."""
        # Back in UTC: wall-clock arithmetic in a zone with DST can land later.
        late = (self.case.last_changed_at.astimezone(UTC) - timedelta(seconds=back)).astimezone(
            self.zone
        )
        with pytest.raises(InvalidInputError) as caught:
            self.case.reply(author=ANA, at=late, text_ref="late")
        assert caught.value.field.endswith(".at")

    @invariant()
    def history_only_grows(self) -> None:
        old, new = self.previous.events, self.case.events
        assert new[: len(old)] == old
        assert len(new) >= len(old)

    @invariant()
    def replay_equals_state(self) -> None:
        replayed = FeedbackCase(feedback=self.case.feedback, events=list(self.case.events))
        assert replayed.status == self.case.status == self.status
        assert replayed.replies == self.case.replies
        assert replayed.attachments == self.case.attachments
        assert replayed.agent == self.case.agent
        assert replayed.closed_at == self.case.closed_at
        assert from_dict(to_dict(self.case), FeedbackCase) == self.case

    @invariant()
    def the_stores_hold_the_case_and_find_it_by_status(self) -> None:
        for store, version in ((self.store, self.version), (self.sql, self.sql_version)):
            stored = store.feedback_cases.get(self.case.id)
            assert stored.item == self.case
            assert stored.version == version
            found = store.feedback_cases.query(FeedbackQuery(statuses=self.status)).items
            assert [f.item.id for f in found] == [self.case.id]
            others = {s.value for s in FeedbackStatus} - {self.status}
            assert store.feedback_cases.query(FeedbackQuery(statuses=others)).items == ()

    @invariant()
    def first_reply_is_the_first_replys(self) -> None:
        assert v.optional_since_epoch(self.case.first_reply_at) == v.optional_since_epoch(
            self.first_reply
        )
        internal = (IntakeChannel.STAFF, IntakeChannel.MONITORING)
        replies = [
            e for e in self.case.events if isinstance(e, ReplySent) and e.channel not in internal
        ]
        found = first_reply(self.case)
        assert v.optional_since_epoch(found.replied_at) == (
            v.since_epoch(replies[0].at) if replies else None
        )
        if found.taken is not None and self.first_reply is not None:
            assert found.taken == self.first_reply - T0  # round the clock: instants apart

    @invariant()
    def surveys_only_after_an_answered_closure(self) -> None:
        surveys = scheduled_surveys(self.case)
        assert bool(surveys) == (self.status == "closed" and self.closed_answered)


FeedbackMachine.TestCase.settings = settings(
    max_examples=100, stateful_step_count=40, deadline=None
)
TestFeedbackLifecycle = FeedbackMachine.TestCase
