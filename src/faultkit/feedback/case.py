"""A feedback item in handling: its events, the state they make, and the commands.

A :class:`FeedbackCase` is one aggregate: the :class:`~faultkit.feedback.Feedback`
item as it came in and the stream of immutable, typed events that happened to it
since. It changes only through its commands, each of which returns a new case with
exactly one more event, or raises and appends nothing:

- :meth:`~FeedbackCase.fire` appends a status change, the
  :class:`~faultkit.lifecycle.TransitionRecord` a fault's transitions are recorded
  with (from, to, trigger, who, when, reason);
- :meth:`~FeedbackCase.reply` a :class:`ReplySent` (author, when, channel, where the
  text is kept);
- :meth:`~FeedbackCase.attach` an :class:`EvidenceAttached` (who, when, the reference);
- :meth:`~FeedbackCase.assign` an :class:`Assigned` (who, when, agent, team);
- :meth:`~FeedbackCase.link` a :class:`Linked` (who, when, fault, cluster).

The state (status, replies, attachments, agent, team, fault, cluster) is what the
events say: building a case from its events replays them, checking each status change
against :data:`~faultkit.feedback.FEEDBACK_WORKFLOW` and each time against the one
before. Requirements (``reply_recorded``, ``reason_given``) are checked when a command
fires a trigger, not on replay, as for imported fault histories.

A reply the customer could see is one on the channel the feedback came in on or on a
channel outside :data:`INTERNAL_CHANNELS` (monitoring, staff); any other reply is an
internal note: it is kept among :attr:`~FeedbackCase.replies`, but it is neither the
first reply (:attr:`~FeedbackCase.first_reply_at`) nor the reply that lets the
feedback be answered (``reply_recorded``).

Nothing is recorded twice (the commands refuse it with an ``InvalidInputError`` naming
``events[i].attachment.uri`` or ``events[i].text_ref``): the same evidence is the same
``Attachment.uri``; the same reply is the same author, instant, channel and
``text_ref`` (a reply has no id of its own). A repeated command is refused rather than
ignored, as a fault refuses an action, a feedback link or a change link it already
holds. A stored history that holds a repeat (written before these checks) still reads
back as it was written: history is never rewritten, and a command on it refuses the
same repeat again.

Stored data: :func:`~faultkit.serialization.to_dict` writes
``{"feedback": {...}, "events": [{"type": "status_changed", ...}, ...]}``; reading
a plain feedback record (as stores of earlier releases hold) gives a case with no
events, in status ``new``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, TypeAlias

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError, TransitionRefusedError, WorkflowDefinitionError
from faultkit.feedback.intake import Feedback, feedback_from_dict
from faultkit.feedback.workflow import FEEDBACK_WORKFLOW, FeedbackStatus
from faultkit.lifecycle import TransitionRecord, check_actor, check_follows, check_reason
from faultkit.models import Attachment, IntakeChannel, Person
from faultkit.serialization import from_dict, to_dict

__all__ = [
    "EVENT_TYPES",
    "FEEDBACK_REQUIREMENTS",
    "INTERNAL_CHANNELS",
    "AnyFeedbackEvent",
    "Assigned",
    "EvidenceAttached",
    "FeedbackCase",
    "FeedbackEvent",
    "Linked",
    "ReplySent",
]


# --------------------------------------------------------------------------- events


@attrs.frozen(kw_only=True)
class FeedbackEvent:
    """What the events of a feedback case other than status changes record.

    Attributes:
        actor: the id of the person who made the change; not blank.
        at: when (timezone-aware; never earlier than the event before it, nor than the
            feedback's ``received_at``).
    """

    actor: str = attrs.field(validator=v.non_empty_str)
    at: datetime = attrs.field(validator=v.aware_datetime, eq=v.since_epoch)


@attrs.frozen(kw_only=True)
class ReplySent(FeedbackEvent):
    """A reply to the customer, recorded (``actor`` is its author).

    Attributes:
        channel: the channel it went out on (by default the one the feedback came in on).
        text_ref: where the reply's text is kept (a message id, a URI); not blank.
    """

    channel: IntakeChannel = attrs.field(validator=v.member_of(IntakeChannel))
    text_ref: str = attrs.field(validator=v.non_empty_str)


@attrs.frozen(kw_only=True)
class EvidenceAttached(FeedbackEvent):
    """Evidence attached to the feedback, as a reference (faultkit never holds content).

    Attributes:
        attachment: the reference (the same record fault reports use).
    """

    attachment: Attachment = attrs.field(validator=v.instance(Attachment))


def _one_of(first: str, second: str) -> Callable[[Any], None]:
    def check(event: Any) -> None:
        if getattr(event, first) is None and getattr(event, second) is None:
            raise InvalidInputError(first, None, f"give {first}, {second} or both")

    return check


@attrs.frozen(kw_only=True)
class Assigned(FeedbackEvent):
    """The feedback was assigned to an agent and/or a team (at least one is given).

    Attributes:
        agent: the id of the agent handling it, if assigned to one.
        team: the team handling it, if assigned to one.
    """

    agent: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    team: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)

    def __attrs_post_init__(self) -> None:
        _one_of("agent", "team")(self)


@attrs.frozen(kw_only=True)
class Linked(FeedbackEvent):
    """The feedback was linked to a fault and/or a cluster (at least one is given).

    Attributes:
        fault_id: the fault it reports, if linked to one.
        cluster_id: the cluster of feedback about the same problem, if in one.
    """

    fault_id: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    cluster_id: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)

    def __attrs_post_init__(self) -> None:
        _one_of("fault_id", "cluster_id")(self)


AnyFeedbackEvent: TypeAlias = TransitionRecord | ReplySent | EvidenceAttached | Assigned | Linked
"""Any event of a feedback case."""

EVENT_TYPES: Mapping[str, type[Any]] = {
    "status_changed": TransitionRecord,
    "reply_sent": ReplySent,
    "evidence_attached": EvidenceAttached,
    "assigned": Assigned,
    "linked": Linked,
}
"""The ``type`` each event is stored under, and its class."""

_TYPE_NAMES = {cls: name for name, cls in EVENT_TYPES.items()}

INTERNAL_CHANNELS: frozenset[IntakeChannel] = frozenset(
    {IntakeChannel.MONITORING, IntakeChannel.STAFF}
)
"""The channels that reach no customer: automated alerts, and the staff's own.

A reply on one of them reaches the person who gave the feedback only when the feedback
came in on it (an employee who raised it on the staff channel reads a staff reply);
otherwise it is an internal note: it is kept among the replies, but it is not the first
reply and it does not answer the feedback.
"""


# --------------------------------------------------------------------------- state


_Key: TypeAlias = "str | tuple[str, timedelta, IntakeChannel, str]"
"""What makes a reply or evidence the same as another (see :class:`_Recorded`)."""


@attrs.frozen
class _View:
    """The state the events make, in scalars (kept beside them, one event at a time).

    Replies and attachments are read from the events when asked for, so replaying
    ``n`` events costs ``O(n)`` whatever they are. ``recorded`` holds the key of each
    reply and evidence (:meth:`_Recorded.key`), so a command refuses a repeat without
    reading the events again.
    """

    channel: IntakeChannel
    status: FeedbackStatus
    last_at: datetime
    first_reply_at: datetime | None = None
    agent: str | None = None
    team: str | None = None
    fault_id: str | None = None
    cluster_id: str | None = None
    replied_since_open: bool = False
    closed_at: datetime | None = None
    reopens: int = 0
    recorded: frozenset[_Key] = frozenset()

    def seen(self, reply: ReplySent) -> bool:
        """Whether the customer could see ``reply`` (see :data:`INTERNAL_CHANNELS`)."""
        return reply.channel is self.channel or reply.channel not in INTERNAL_CHANNELS


def _apply(view: _View, event: AnyFeedbackEvent) -> _View:
    """The state after ``event`` (which the caller has checked)."""
    evolve = attrs.evolve
    if isinstance(event, TransitionRecord):
        to = FeedbackStatus(event.to_state)
        return evolve(
            view,
            status=to,
            last_at=event.at,
            replied_since_open=False if to is FeedbackStatus.REOPENED else view.replied_since_open,
            closed_at=event.at if to is FeedbackStatus.CLOSED else None,
            reopens=view.reopens + (to is FeedbackStatus.REOPENED),
        )
    if isinstance(event, ReplySent):
        if not view.seen(event):
            return evolve(view, last_at=event.at)
        first = view.first_reply_at if view.first_reply_at is not None else event.at
        return evolve(view, last_at=event.at, first_reply_at=first, replied_since_open=True)
    if isinstance(event, Assigned):
        return evolve(
            view,
            last_at=event.at,
            agent=view.agent if event.agent is None else event.agent,
            team=view.team if event.team is None else event.team,
        )
    if isinstance(event, Linked):
        return evolve(
            view,
            last_at=event.at,
            fault_id=view.fault_id if event.fault_id is None else event.fault_id,
            cluster_id=view.cluster_id if event.cluster_id is None else event.cluster_id,
        )
    return evolve(view, last_at=event.at)  # EvidenceAttached


def _check_event(view: _View, event: Any, index: int) -> None:
    """Refuse an event that cannot follow ``view`` (replaying stored or given events)."""
    where = f"events[{index}]"
    if type(event) not in _TYPE_NAMES:
        raise InvalidInputError(where, event, "expected a feedback event")
    check_follows(FEEDBACK_WORKFLOW, view.status, view.last_at, event, where)


class _Recorded:
    """The replies and evidence references recorded so far, to refuse the same one again.

    An attachment is a reference: the same ``uri`` is the same evidence, however it is
    described. A reply has no id of its own: the same author, instant, channel and
    ``text_ref`` is the same reply (a resend later, or by someone else, is another).
    """

    def __init__(self) -> None:
        self.uris: dict[str, int] = {}
        self.replies: dict[_Key, int] = {}

    @staticmethod
    def key(event: EvidenceAttached | ReplySent) -> _Key:
        """What makes ``event`` the same as another: the uri, or the reply's four values."""
        if isinstance(event, EvidenceAttached):
            return event.attachment.uri
        return (event.actor, v.since_epoch(event.at), event.channel, event.text_ref)

    def add(self, event: AnyFeedbackEvent, index: int, *, refuse: bool = True) -> None:
        """Record ``event`` (``events[index]``), refusing a repeat of an earlier one
        (``refuse=False``: keeping the first, as when a stored history is read)."""
        if isinstance(event, EvidenceAttached):
            uri = event.attachment.uri
            first = self.uris.setdefault(uri, index)
            if refuse and first != index:
                raise InvalidInputError(
                    f"events[{index}].attachment.uri",
                    uri,
                    f"this evidence is already attached (events[{first}])",
                )
        elif isinstance(event, ReplySent):
            first = self.replies.setdefault(self.key(event), index)
            if refuse and first != index:
                raise InvalidInputError(
                    f"events[{index}].text_ref",
                    event.text_ref,
                    f"this reply (same author, time and channel) is already recorded "
                    f"(events[{first}])",
                )

    @classmethod
    def of(cls, events: tuple[AnyFeedbackEvent, ...]) -> _Recorded:
        """What ``events`` (already checked; a repeat in them is kept once) recorded."""
        recorded = cls()
        for index, event in enumerate(events):
            recorded.add(event, index, refuse=False)
        return recorded


def _changes_something(*fields: tuple[str, str | None, str | None]) -> None:
    """Refuse an assignment or a link whose every given value is the current one.

    ``fields`` are ``(name, given, current)``; a field not given (``None``) keeps its
    value. The first given field names the refusal.
    """
    given = [(name, new) for name, new, current in fields if new is not None]
    if given and all(new == current for name, new, current in fields if new is not None):
        name, value = given[0]
        raise InvalidInputError(
            name, value, "the case already has this value: nothing would change"
        )


_Check: TypeAlias = Callable[["FeedbackCase", "str | None"], "str | None"]


def _reply_recorded(case: FeedbackCase, _reason: str | None) -> str | None:
    if case._view.replied_since_open:
        return None
    if case._view.reopens:
        return "no reply the customer could see recorded since the feedback was reopened"
    return (
        "no reply the customer could see recorded yet (a reply on an internal channel "
        "does not count): record the reply on its channel first"
    )


def _reason_given(_case: FeedbackCase, reason: str | None) -> str | None:
    return None if reason is not None else "a reason is required"


FEEDBACK_REQUIREMENTS: Mapping[str, _Check] = {
    "reply_recorded": _reply_recorded,
    "reason_given": _reason_given,
}
"""The requirements the feedback workflow names: each returns what is missing, or ``None``."""

_unknown = sorted(FEEDBACK_WORKFLOW.requirement_names - FEEDBACK_REQUIREMENTS.keys())
if _unknown:  # pragma: no cover - the table and this module ship together
    raise WorkflowDefinitionError(f"the feedback workflow names unknown requirements {_unknown}")


# --------------------------------------------------------------------------- the case


@attrs.frozen(kw_only=True)
class FeedbackCase:
    """A feedback item and everything that happened to it, as immutable events.

    Start one with :meth:`open`; change it with its commands (each returns a new case).

    Attributes:
        feedback: the feedback as it came in.
        events: every change since, oldest first.

    Raises:
        InvalidInputError: an event does not follow the one before it (an earlier time,
            a status change the workflow has no move for); the field names the event.
    """

    feedback: Feedback = attrs.field(validator=v.instance(Feedback))
    events: tuple[AnyFeedbackEvent, ...] = attrs.field(default=(), converter=v.list_to_tuple)
    _view: _View = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.events, tuple):
            raise InvalidInputError("events", self.events, "expected a list of feedback events")
        view = _View(
            channel=self.feedback.channel,
            status=FeedbackStatus.NEW,
            last_at=self.feedback.received_at,
        )
        recorded = _Recorded()
        for index, event in enumerate(self.events):
            _check_event(view, event, index)
            recorded.add(event, index, refuse=False)  # history reads back as written
            view = _apply(view, event)
        keys = frozenset((*recorded.uris, *recorded.replies))
        object.__setattr__(self, "_view", attrs.evolve(view, recorded=keys))

    @classmethod
    def open(cls, feedback: Feedback) -> FeedbackCase:
        """A new case for ``feedback``: status ``new``, no events."""
        return cls(feedback=feedback)

    def _append(self, event: AnyFeedbackEvent) -> FeedbackCase:
        view = self._view
        _check_event(view, event, len(self.events))
        after = _apply(view, event)
        if isinstance(event, EvidenceAttached | ReplySent):
            key = _Recorded.key(event)
            if key in view.recorded:  # refused, naming the first (reading the events)
                _Recorded.of(self.events).add(event, len(self.events))
            after = attrs.evolve(after, recorded=view.recorded | {key})
        case: FeedbackCase = object.__new__(FeedbackCase)
        object.__setattr__(case, "feedback", self.feedback)
        object.__setattr__(case, "events", (*self.events, event))
        object.__setattr__(case, "_view", after)
        return case

    # ------------------------------------------------------------------ reading

    @property
    def id(self) -> str:
        """The feedback's id."""
        return self.feedback.id

    @property
    def status(self) -> FeedbackStatus:
        """The status the events leave the feedback in."""
        return self._view.status

    @property
    def history(self) -> tuple[TransitionRecord, ...]:
        """The status changes, oldest first."""
        return tuple(e for e in self.events if isinstance(e, TransitionRecord))

    @property
    def replies(self) -> tuple[ReplySent, ...]:
        """The replies recorded, oldest first."""
        return tuple(e for e in self.events if isinstance(e, ReplySent))

    @property
    def first_reply_at(self) -> datetime | None:
        """When the first reply the customer could see was sent, if one was.

        A reply on an internal channel (:data:`INTERNAL_CHANNELS`) other than the one
        the feedback came in on is an internal note: it is not the first reply.
        """
        return self._view.first_reply_at

    @property
    def attachments(self) -> tuple[Attachment, ...]:
        """The evidence attached, oldest first."""
        return tuple(e.attachment for e in self.events if isinstance(e, EvidenceAttached))

    @property
    def agent(self) -> str | None:
        """The agent it was last assigned to, if any."""
        return self._view.agent

    @property
    def team(self) -> str | None:
        """The team it was last assigned to, if any."""
        return self._view.team

    @property
    def fault_id(self) -> str | None:
        """The fault it was last linked to, if any."""
        return self._view.fault_id

    @property
    def cluster_id(self) -> str | None:
        """The cluster it was last linked to, if any."""
        return self._view.cluster_id

    @property
    def closed_at(self) -> datetime | None:
        """When it was closed, while it is closed (``None`` once reopened)."""
        return self._view.closed_at

    @property
    def last_changed_at(self) -> datetime:
        """The time of the last event, or when the feedback was received."""
        return self._view.last_at

    def status_rows(self) -> tuple[tuple[str, str, datetime], ...]:
        """The status history as event-log rows: ``(feedback id, status, since when)``.

        The first row is ``new`` at ``received_at``; one row follows per status change.
        :func:`faultkit.lifecycle.validate_event_log` reads them against
        :data:`~faultkit.feedback.FEEDBACK_WORKFLOW` as it reads an exported log (the
        table's second reader), so our feedback and a helpdesk's export of ticket
        statuses are checked the same way.
        """
        first = (self.id, FeedbackStatus.NEW.value, self.feedback.received_at)
        return (first, *((self.id, e.to_state, e.at) for e in self.history))

    def allowed_triggers(self) -> tuple[str, ...]:
        """The triggers the workflow defines from the current status (requirements aside)."""
        return FEEDBACK_WORKFLOW.triggers_from(self._view.status)

    # ------------------------------------------------------------------ commands

    def fire(
        self, trigger: str, *, actor: Person, at: datetime, reason: str | None = None
    ) -> FeedbackCase:
        """The case after ``trigger``: one status change (a ``TransitionRecord``) more.

        Args:
            trigger: a :class:`~faultkit.feedback.FeedbackTrigger` (or its value).
            actor: who fires it.
            at: when (timezone-aware; not before the last event).
            reason: why; required to reopen, and to close without an answer.

        Raises:
            TransitionRefusedError: the trigger leads nowhere from the status, or a
                requirement is unmet (named, with what is missing); nothing is appended.
            InvalidInputError: an unknown trigger, a bad actor, time or reason.
        """
        status = self._view.status
        triggers = FEEDBACK_WORKFLOW.triggers
        if not isinstance(trigger, str) or trigger not in triggers:
            raise InvalidInputError(
                "trigger", trigger, f"not a feedback trigger (triggers: {', '.join(triggers)})"
            )
        move = FEEDBACK_WORKFLOW.move(status, trigger)
        allowed = FEEDBACK_WORKFLOW.triggers_from(status)
        if move is None:
            raise TransitionRefusedError(status.value, str.__str__(trigger), allowed)
        actor_id = check_actor("actor", actor)
        v.check_aware("at", at)
        reason = check_reason(reason)
        unmet = tuple(
            (name, missing)
            for name in move.requires
            if (missing := FEEDBACK_REQUIREMENTS[name](self, reason)) is not None
        )
        if unmet:
            raise TransitionRefusedError(status.value, move.trigger, allowed, unmet)
        return self._append(
            TransitionRecord(
                from_state=status.value,
                to_state=move.dest,
                trigger=move.trigger,
                actor=actor_id,
                at=at,
                reason=reason,
            )
        )

    def reply(
        self,
        *,
        author: Person,
        at: datetime,
        text_ref: str,
        channel: IntakeChannel | None = None,
    ) -> FeedbackCase:
        """The case with a reply recorded (one :class:`ReplySent` event more).

        Args:
            author: who wrote it.
            at: when it was sent (timezone-aware; not before the last event).
            text_ref: where its text is kept (a message id, a URI).
            channel: the channel it went out on; the feedback's own by default.

        Raises:
            InvalidInputError: a bad value, a time before the last event, or the same
                reply (author, instant, channel, ``text_ref``) recorded already
                (``events[i].text_ref``).
        """
        return self._append(
            ReplySent(
                actor=check_actor("author", author),
                at=at,
                channel=self.feedback.channel if channel is None else channel,
                text_ref=text_ref,
            )
        )

    def attach(self, attachment: Attachment, *, actor: Person, at: datetime) -> FeedbackCase:
        """The case with evidence attached (one :class:`EvidenceAttached` event more).

        Raises:
            InvalidInputError: a bad value, a time before the last event, or evidence
                with the same ``uri`` attached already (``events[i].attachment.uri``).
        """
        return self._append(
            EvidenceAttached(actor=check_actor("actor", actor), at=at, attachment=attachment)
        )

    def assign(
        self,
        *,
        actor: Person,
        at: datetime,
        agent: str | None = None,
        team: str | None = None,
    ) -> FeedbackCase:
        """The case assigned to an agent and/or a team (one :class:`Assigned` event more).

        Raises:
            InvalidInputError: the case is already with that agent and team (an event that
                changes nothing is refused, as a fault refuses one), or a bad value.
        """
        event = Assigned(actor=check_actor("actor", actor), at=at, agent=agent, team=team)
        _changes_something(("agent", agent, self._view.agent), ("team", team, self._view.team))
        return self._append(event)

    def link(
        self,
        *,
        actor: Person,
        at: datetime,
        fault_id: str | None = None,
        cluster_id: str | None = None,
    ) -> FeedbackCase:
        """The case linked to a fault and/or a cluster (one :class:`Linked` event more).

        Raises:
            InvalidInputError: the case is already linked to that fault and cluster (an
                event that changes nothing is refused, as a fault refuses one), or a bad
                value.
        """
        event = Linked(
            actor=check_actor("actor", actor), at=at, fault_id=fault_id, cluster_id=cluster_id
        )
        view = self._view
        _changes_something(
            ("fault_id", fault_id, view.fault_id), ("cluster_id", cluster_id, view.cluster_id)
        )
        return self._append(event)

    # ------------------------------------------------------------------ stored form

    def __faultkit_unstructure__(self) -> dict[str, Any]:
        """JSON-ready data for :func:`faultkit.serialization.to_dict`."""
        return {
            "feedback": to_dict(self.feedback),
            "events": [{"type": _TYPE_NAMES[type(e)], **to_dict(e)} for e in self.events],
        }

    @classmethod
    def __faultkit_structure__(cls, data: Any) -> FeedbackCase:
        """The case :func:`faultkit.serialization.from_dict` reads from ``data``.

        A plain feedback record (no ``feedback`` and ``events`` keys, as stored by
        earlier releases) reads as a case with no events, in status ``new``.
        """
        if not isinstance(data, Mapping):
            raise InvalidInputError("", data, "expected an object describing a feedback case")
        if "feedback" not in data and "events" not in data:
            return cls(feedback=feedback_from_dict(data))
        extra = sorted(set(data) - {"feedback", "events"})
        if extra:
            raise InvalidInputError(extra[0], data[extra[0]], "not a field of a feedback case")
        try:
            feedback = feedback_from_dict(data.get("feedback"))
        except InvalidInputError as exc:
            raise exc.at_path("feedback") from None
        raw_events = data.get("events", [])
        if not isinstance(raw_events, list):
            raise InvalidInputError("events", raw_events, "expected a list of events")
        events = []
        for index, raw in enumerate(raw_events):
            where = f"events[{index}]"
            if not isinstance(raw, Mapping):
                raise InvalidInputError(where, raw, "expected an object describing an event")
            kind = raw.get("type")
            event_cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
            if event_cls is None:
                raise InvalidInputError(
                    f"{where}.type", kind, f"expected one of {', '.join(EVENT_TYPES)}"
                )
            body = {key: value for key, value in raw.items() if key != "type"}
            try:
                events.append(from_dict(body, event_cls))
            except InvalidInputError as exc:
                raise exc.at_path(where) from None
        return cls(feedback=feedback, events=events)
