"""Random command sequences on a stored feedback case, against a model written apart from the table.

The model below is the procedure in words, coded by hand: it does not read
``FEEDBACK_WORKFLOW``, so a wrong row in the table shows up as a disagreement.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from faultkit.errors import InvalidInputError, TransitionRefusedError
from faultkit.feedback import (
    FeedbackCase,
    FeedbackStatus,
    ReplySent,
    SocialFeedback,
    first_reply,
    scheduled_surveys,
)
from faultkit.models import Attachment, AttachmentKind, Person
from faultkit.serialization import from_dict, to_dict
from faultkit.storage import FeedbackQuery, MemoryStore

ANA = Person(id="ana", name="Ana")
T0 = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)

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
gaps = st.integers(min_value=0, max_value=3 * 24 * 60).map(lambda m: timedelta(minutes=m))


class FeedbackMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        item = SocialFeedback(id="fb-1", received_at=T0, text="Router drops wifi", platform="X")
        self.case = FeedbackCase.open(item)
        self.previous = self.case
        self.status = "new"
        self.replied_since_open = False
        self.now = T0
        self.first_reply: datetime | None = None
        self.refused = 0
        self.store = MemoryStore()
        self.version = self.store.feedback_cases.add(self.case)

    def _moved(self, case: FeedbackCase) -> None:
        self.previous, self.case = self.case, case
        self.version = self.store.feedback_cases.save(case, expected_version=self.version)

    @rule(trigger=st.sampled_from(TRIGGERS), reason=st.none() | st.just("why"), gap=gaps)
    def fire(self, trigger: str, reason: str | None, gap: timedelta) -> None:
        self.now += gap
        move = MODEL[self.status].get(trigger)
        allowed = (
            move is not None
            and (reason is not None or not move[1])
            and (self.replied_since_open or not move[2])
        )
        before = self.case
        if not allowed:
            with pytest.raises((TransitionRefusedError, InvalidInputError)) as caught:
                self.case.fire(trigger, actor=ANA, at=self.now, reason=reason)
            error = caught.value
            assert self.case is before  # nothing appended
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
        case = self.case.fire(trigger, actor=ANA, at=self.now, reason=reason)
        assert allowed, f"{trigger} from {self.status} was accepted"
        assert move is not None
        self.status = move[0]
        if self.status == "reopened":
            self.replied_since_open = False
        self._moved(case)

    @rule(gap=gaps)
    def reply(self, gap: timedelta) -> None:
        self.now += gap
        self._moved(self.case.reply(author=ANA, at=self.now, text_ref=f"r-{len(self.case.events)}"))
        self.replied_since_open = True
        if self.first_reply is None:
            self.first_reply = self.now

    @rule(gap=gaps)
    def attach(self, gap: timedelta) -> None:
        self.now += gap
        shot = Attachment(kind=AttachmentKind.PHOTO, uri="s3://p.jpg", media_type="image/jpeg")
        self._moved(self.case.attach(shot, actor=ANA, at=self.now))

    @rule(gap=gaps, agent=st.sampled_from(["ana", "bo"]))
    def assign(self, gap: timedelta, agent: str) -> None:
        self.now += gap
        self._moved(self.case.assign(actor=ANA, at=self.now, agent=agent, team="desk"))

    @precondition(lambda self: self.case.events)
    @rule(back=st.integers(min_value=1, max_value=600))
    def travel_back_in_time(self, back: int) -> None:
        before = self.case
        late = self.case.last_changed_at - timedelta(seconds=back)
        with pytest.raises(InvalidInputError) as caught:
            self.case.reply(author=ANA, at=late, text_ref="late")
        assert caught.value.field.endswith(".at")
        assert self.case is before

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
    def the_store_holds_the_case_and_finds_it_by_status(self) -> None:
        stored = self.store.feedback_cases.get(self.case.id)
        assert stored.item == self.case
        assert stored.version == self.version
        found = self.store.feedback_cases.query(FeedbackQuery(statuses=self.status)).items
        assert [v.item.id for v in found] == [self.case.id]
        others = {s.value for s in FeedbackStatus} - {self.status}
        assert self.store.feedback_cases.query(FeedbackQuery(statuses=others)).items == ()

    @invariant()
    def first_reply_is_the_first_replys(self) -> None:
        assert self.case.first_reply_at == self.first_reply
        replies = [e for e in self.case.events if isinstance(e, ReplySent)]
        assert first_reply(self.case).replied_at == (replies[0].at if replies else None)

    @invariant()
    def surveys_only_while_closed(self) -> None:
        surveys = scheduled_surveys(self.case)
        assert bool(surveys) == (self.case.status is FeedbackStatus.CLOSED)


FeedbackMachine.TestCase.settings = settings(
    max_examples=150, stateful_step_count=40, deadline=None
)
TestFeedbackLifecycle = FeedbackMachine.TestCase
