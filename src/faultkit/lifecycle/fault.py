"""The fault case: one aggregate whose every change is an event.

A :class:`Fault` is its report, the state it is in and its event stream
(:mod:`faultkit.lifecycle.events`). Everything else (severity, priority, assignee,
diagnosis, containment, analysis, actions, verification, notices, linked
feedback, ...) is a *fact* derived from the stream: building a fault replays its events,
and each fact command both appends its event and applies it, so the state is always
what the events say (a property test replays every stream and compares).

Facts change only through the commands below, each checked before anything is
appended (a refused command appends nothing):

- state: :meth:`Lifecycle.fire <faultkit.lifecycle.Lifecycle.fire>`;
- diagnosis: :meth:`Fault.diagnose`, :meth:`Fault.set_severity`,
  :meth:`Fault.set_priority` (an override of a set value needs a reason);
- handling: :meth:`Fault.assign`, :meth:`Fault.contain`, :meth:`Fault.add_workaround`,
  :meth:`Fault.attach_analysis`, :meth:`Fault.add_action`, :meth:`Fault.advance_action`
  (the fault holds its actions once, in the ``actions`` fact; the analysis refers to
  them through the step ids each action addresses),
  :meth:`Fault.mark_docs_updated`, :meth:`Fault.mark_duplicate_of`;
- closure: :meth:`Fault.record_verification`, :meth:`Fault.record_notice`,
  :meth:`Fault.link_feedback`;
- links and major incidents: :meth:`Fault.link_problem`, :meth:`Fault.link_change`,
  :meth:`Fault.record_resolution_note`, :meth:`Fault.declare_major_incident`,
  :meth:`Fault.record_stakeholder_update`, :meth:`Fault.record_post_incident_review`
  (merging a duplicate into its master is :meth:`Lifecycle.merge
  <faultkit.lifecycle.Lifecycle.merge>`: an event on each);
- talk: :meth:`Fault.comment` (a comment or a work note).

Plain assignment (``fault.severity = Severity.SEV1``) raises
:class:`~faultkit.errors.InvalidInputError` naming the command to use. Events never go
back in time, and none is earlier than the report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from faultkit import _validators as v
from faultkit.errors import CommandRefusedError, InvalidInputError
from faultkit.lifecycle.events import (
    Comment,
    Containment,
    Diagnosis,
    FactChange,
    FaultEvent,
    FeedbackLink,
    Notice,
    TransitionRecord,
    Verification,
)
from faultkit.lifecycle.facts import FACT_COMMANDS, FACTS, check_fact, initial_value
from faultkit.lifecycle.protocols import RootCauseAnalysis
from faultkit.lifecycle.records import (
    ChangeLink,
    ChangeRelation,
    MajorIncident,
    PostIncidentReview,
    StakeholderUpdate,
)
from faultkit.lifecycle.workflow import check_actor, check_reason
from faultkit.models import Assignee, FaultReport, Person, Severity
from faultkit.rca.actions import Action, ActionStatus

__all__ = ["Fault"]

_set = object.__setattr__

# --------------------------------------------------------------------------- the facts

_MORE = frozenset(
    {
        "problem_id",
        "resolution_note",
        "duplicates",
        "changes",
        "major_incident",
        "stakeholder_updates",
        "post_incident_review",
    }
)
"""Facts most faults never set (issue 19's links and major incidents): they share one
slot, a dict made on first use, so a fault stays within its memory budget."""
_SLOT = {name: f"_{name}" for name in FACTS if name not in _MORE}
_EVENT_TYPES = (TransitionRecord, FactChange, Comment)
_STATUS_RANK = {
    ActionStatus.PLANNED: 0,
    ActionStatus.IN_PROGRESS: 1,
    ActionStatus.DONE: 2,
    ActionStatus.VERIFIED_EFFECTIVE: 3,
    ActionStatus.INEFFECTIVE: 3,
}


def _action_of(actions: tuple[Action, ...], action_id: str) -> Action | None:
    for action in actions:
        if action.id == action_id:
            return action
    return None


class Fault:
    """A fault in handling: its report, its state, its event stream, and the facts they say.

    Create one with :meth:`Lifecycle.open <faultkit.lifecycle.Lifecycle.open>`, or
    rebuild one from its stream: ``Fault(report=..., state=..., events=...)`` replays
    the events (a stored or imported case). Equal faults have equal reports, states
    and streams.

    Args:
        report: the fault report as submitted.
        state: the state the fault is in (the last transition's ``to_state`` when the
            stream has transitions).
        events: the stream, oldest first: :class:`~faultkit.lifecycle.TransitionRecord`,
            :class:`~faultkit.lifecycle.FactChange` and :class:`~faultkit.lifecycle.Comment`.

    Raises:
        InvalidInputError: an event is earlier than the one before it or than the
            report, transitions do not follow on from each other or do not end in
            ``state``, a fact change names an unknown fact, holds an invalid value, or
            its ``before`` is not the value the stream says the fact had (the field
            is ``events[i]...``).
    """

    __slots__ = (
        "_actions",
        "_analysis",
        "_assignee",
        "_closed_at",
        "_containment",
        "_diagnosis",
        "_duplicate_of",
        "_events",
        "_feedback",
        "_maintenance_docs_updated",
        "_more",
        "_notices",
        "_priority",
        "_report",
        "_severity",
        "_state",
        "_verification",
    )

    _report: FaultReport
    _state: str
    _events: tuple[FaultEvent, ...]
    _severity: Severity | None
    _priority: int | None
    _assignee: Assignee | None
    _diagnosis: Diagnosis | None
    _containment: Containment | None
    _analysis: RootCauseAnalysis | None
    _actions: tuple[Action, ...]
    _verification: Verification | None
    _notices: tuple[Notice, ...]
    _feedback: tuple[FeedbackLink, ...]
    _maintenance_docs_updated: bool
    _duplicate_of: str | None
    _closed_at: datetime | None
    _more: dict[str, Any] | None

    def __init__(
        self, *, report: FaultReport, state: str, events: Iterable[FaultEvent] = ()
    ) -> None:
        if not isinstance(report, FaultReport):
            raise InvalidInputError("report", report, "expected a FaultReport")
        if type(state) is not str or not state.strip():
            raise InvalidInputError("state", state, "expected a non-blank state name")
        if (
            type(events) is not tuple
            and type(events) is not list
            and (isinstance(events, str | bytes | Mapping) or not isinstance(events, Iterable))
        ):
            raise InvalidInputError("events", events, "expected a sequence of events")
        stream = tuple(events)
        _set(self, "_report", report)
        _set(self, "_events", ())
        for put, initial in _INITIAL_PUT:
            put(self, initial)
        _set(self, "_more", None)
        last_at = report.reported_at
        last_transition: TransitionRecord | None = None
        for index, event in enumerate(stream):
            kind = type(event)
            if kind is Comment:  # most events of a stored fault: only its time to check
                at = event.at
                if at is not last_at:  # a stream read from storage shares equal times
                    if at < last_at:
                        self._too_early(index, at, last_at)
                    last_at = at
                continue
            if kind not in _EVENT_TYPES and not isinstance(event, _EVENT_TYPES):
                raise InvalidInputError(f"events[{index}]", event, "expected a fault event")
            at = event.at
            if at is not last_at:
                if at < last_at:
                    self._too_early(index, at, last_at)
                last_at = at
            if kind is TransitionRecord:
                if last_transition is not None and event.from_state != last_transition.to_state:
                    raise InvalidInputError(
                        f"events[{index}].from_state",
                        event.from_state,
                        f"does not follow on from the previous transition "
                        f"({last_transition.to_state!r})",
                    )
                last_transition = event
            elif kind is FactChange:
                self._replay(f"events[{index}]", event)
        if last_transition is not None and last_transition.to_state != state:
            raise InvalidInputError(
                "state", state, f"the stream ends in {last_transition.to_state!r}, not in it"
            )
        _set(self, "_state", state)
        _set(self, "_events", stream)

    @staticmethod
    def _too_early(index: int, at: datetime, last_at: datetime) -> None:
        raise InvalidInputError(
            f"events[{index}].at",
            at,
            f"is earlier than the event before it or the report ({last_at.isoformat()})",
        )

    def _replay(self, where: str, event: FactChange) -> None:
        fact = event.fact
        slot = _SLOTS.get(fact)
        if slot is None and fact not in FACTS:
            raise InvalidInputError(
                f"{where}.fact", fact, f"not a fact of a fault ({', '.join(FACTS)})"
            )
        after = event.after
        problem = check_fact(fact, after)
        if problem is not None:
            raise InvalidInputError(f"{where}.after", after, problem)
        current = self._fact(fact) if slot is None else slot.__get__(self)
        if current != event.before:
            raise InvalidInputError(
                f"{where}.before", event.before, f"the stream says the fact was {current!r}"
            )
        if slot is None:
            self._put(fact, after)
        else:
            slot.__set__(self, after)

    # ------------------------------------------------------------------ reading

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "_state" and type(value) is str:
            # The lifecycle's shared ``transitions`` machine moves the state; the engine
            # appends the transition event in the same call.
            _set(self, name, value)
            return
        command = FACT_COMMANDS.get(name)
        how = f"use fault.{command}(...)" if command else "the case changes only through commands"
        raise InvalidInputError(
            name, value, f"a fault's facts change only through its commands: {how}"
        )

    def __eq__(self, other: object) -> bool:
        if type(other) is not Fault:
            return NotImplemented
        return (self._report, self._state, self._events) == (
            other._report,
            other._state,
            other._events,
        )

    __hash__ = None  # type: ignore[assignment]  # a fault changes: not hashable

    def __repr__(self) -> str:
        return (
            f"Fault(id={self.id!r}, state={self._state!r}, events={len(self._events)}, "
            f"severity={self._severity!r}, priority={self._priority!r})"
        )

    @property
    def id(self) -> str:
        """The fault's id (the report's)."""
        return self._report.id

    @property
    def report(self) -> FaultReport:
        """The fault report as submitted."""
        return self._report

    @property
    def state(self) -> str:
        """The state the fault is in (change it with ``Lifecycle.fire``)."""
        return self._state

    @property
    def events(self) -> tuple[FaultEvent, ...]:
        """The stream: every event so far, oldest first; it only ever grows."""
        return self._events

    @property
    def history(self) -> tuple[TransitionRecord, ...]:
        """The state changes of the stream, oldest first."""
        return tuple(e for e in self._events if type(e) is TransitionRecord)

    @property
    def last_event_at(self) -> datetime:
        """When the last event happened, or when the fault was reported."""
        events = self._events
        return events[-1].at if events else self._report.reported_at

    @property
    def last_changed_at(self) -> datetime:
        """When the state last changed, or when the fault was reported."""
        for event in reversed(self._events):
            if type(event) is TransitionRecord:
                return event.at
        return self._report.reported_at

    @property
    def severity(self) -> Severity | None:
        """SEV1 (worst) to SEV5, once assessed (:meth:`set_severity`)."""
        return self._severity

    @property
    def priority(self) -> int | None:
        """1 (highest) to 5, once assessed (:meth:`set_priority`); selects the SLA targets."""
        return self._priority

    @property
    def assignee(self) -> Assignee | None:
        """Who works on it, if assigned (:meth:`assign`)."""
        return self._assignee

    @property
    def diagnosis(self) -> Diagnosis | None:
        """The initial diagnosis, once recorded (:meth:`diagnose`)."""
        return self._diagnosis

    @property
    def containment(self) -> Containment | None:
        """The emergency response, once recorded (:meth:`contain`)."""
        return self._containment

    @property
    def analysis(self) -> RootCauseAnalysis | None:
        """The root-cause analysis, once attached (:meth:`attach_analysis`).

        It holds no actions: ask it with the fault's, e.g.
        ``fault.analysis.incomplete_reasons(fault.actions)``.
        """
        return self._analysis

    @property
    def actions(self) -> tuple[Action, ...]:
        """The fault's corrective and preventive actions, each held once, in the order added.

        Each names the root causes (analysis step ids) it addresses; change them with
        :meth:`add_action` and :meth:`advance_action`.
        """
        return self._actions

    @property
    def verification(self) -> Verification | None:
        """The check that the fix works (:meth:`record_verification`); a reopen voids it."""
        return self._verification

    @property
    def notices(self) -> tuple[Notice, ...]:
        """The result notices sent (:meth:`record_notice`); a reopen voids them."""
        return self._notices

    @property
    def feedback(self) -> tuple[FeedbackLink, ...]:
        """The customer feedback linked to the fault (:meth:`link_feedback`)."""
        return self._feedback

    @property
    def maintenance_docs_updated(self) -> bool:
        """The maintenance documentation was updated after RCA (:meth:`mark_docs_updated`)."""
        return self._maintenance_docs_updated

    @property
    def duplicate_of(self) -> str | None:
        """The id of the fault this one duplicates, if it does (:meth:`mark_duplicate_of`)."""
        return self._duplicate_of

    @property
    def closed_at(self) -> datetime | None:
        """When the fault entered a terminal state, until a reopen; facts are frozen meanwhile.

        Set by :meth:`Lifecycle.fire <faultkit.lifecycle.Lifecycle.fire>` with its own
        :class:`~faultkit.lifecycle.FactChange`; while it is set, every fact command is
        refused (comments are still taken).
        """
        return self._closed_at

    @property
    def result_notice_at(self) -> datetime | None:
        """When the reporter was first told the result (their earliest notice), if they were."""
        reporter = self._report.reporter.id
        times = [n.at for n in self._notices if n.recipient == reporter]
        return min(times) if times else None

    @property
    def comments(self) -> tuple[Comment, ...]:
        """The comments and work notes, oldest first."""
        return tuple(e for e in self._events if type(e) is Comment)

    # ------------------------------------------------------------------ the event path

    def _fact(self, fact: str) -> Any:
        """The value of ``fact`` (a slot, or the shared slot of the rare facts)."""
        slot = _SLOT.get(fact)
        if slot is not None:
            return getattr(self, slot)
        more = self._more
        return initial_value(fact) if more is None or fact not in more else more[fact]

    def _put(self, fact: str, value: Any) -> None:
        slot = _SLOT.get(fact)
        if slot is not None:
            _set(self, slot, value)
            return
        more = self._more
        if more is None:
            more = {}
            _set(self, "_more", more)
        more[fact] = value

    def _check_event(self, command: str, actor: Any, at: Any, reason: Any) -> str | None:
        """Check who, when and why of a command; return the reason as a plain str."""
        check_actor("actor", actor)
        v.check_aware("at", at)
        last = self.last_event_at
        if at < last:
            raise InvalidInputError(
                "at",
                at,
                f"{command} on fault {self.id!r}: earlier than its last event or its report "
                f"({last.isoformat()}); events never go back in time",
            )
        return check_reason(reason)

    def _commit(self, event: FaultEvent) -> None:
        """Append ``event`` (already checked) and apply it. Used by commands and the engine."""
        if type(event) is FactChange:
            self._put(event.fact, event.after)
        elif type(event) is TransitionRecord:
            _set(self, "_state", event.to_state)
        _set(self, "_events", (*self._events, event))

    def _change(
        self,
        command: str,
        fact: str,
        after: Any,
        *,
        actor: Any,
        at: Any,
        reason: Any = None,
    ) -> FactChange:
        reason = self._check_event(command, actor, at, reason)
        if self._closed_at is not None:
            raise CommandRefusedError(
                self.id,
                command,
                "fault_not_closed",
                f"the fault was closed at {self._closed_at.isoformat()} (state "
                f"{self._state!r}); reopen it first",
            )
        problem = check_fact(fact, after)
        if problem is not None:
            raise InvalidInputError(fact, after, problem)
        before = self._fact(fact)
        if before == after:
            raise CommandRefusedError(
                self.id, command, "changes_something", f"{fact} is already {after!r}"
            )
        event = FactChange(
            fact=fact,
            command=command,
            actor=actor.id,
            at=at,
            before=before,
            after=after,
            reason=reason,
        )
        self._commit(event)
        return event

    # ------------------------------------------------------------------ diagnosis

    def diagnose(
        self, diagnosis: Diagnosis, *, actor: Person, at: datetime, reason: str | None = None
    ) -> FactChange:
        """Record (or revise) the initial diagnosis: cause, impact, expected duration, notes."""
        return self._change("diagnose", "diagnosis", diagnosis, actor=actor, at=at, reason=reason)

    def set_severity(
        self, severity: Severity | None, *, actor: Person, at: datetime, reason: str | None = None
    ) -> FactChange:
        """Set the severity, or clear it (``None``); an override or a clearing needs a ``reason``.

        Clearing sends the fault back to "not assessed" (a re-triage): the rules that
        need a severity (``severity_assessed``, ``containment_if_severe``) hold it up
        until it is set again.

        Raises:
            InvalidInputError: ``severity`` is not a :class:`~faultkit.models.Severity` or None.
            CommandRefusedError: an override or a clearing without a reason, or no change.
        """
        if severity is not None and type(severity) is not Severity:
            raise InvalidInputError("severity", severity, "expected a Severity or None")
        self._need_reason_to_override("set_severity", self._severity, reason)
        return self._change("set_severity", "severity", severity, actor=actor, at=at, reason=reason)

    def set_priority(
        self, priority: int | None, *, actor: Person, at: datetime, reason: str | None = None
    ) -> FactChange:
        """Set the priority (1 highest ... 5, or a ``Priority``), or clear it with ``None``.

        An override of a set priority, or clearing it, needs a ``reason``.

        Raises:
            InvalidInputError: ``priority`` is not an int from 1 to 5 nor None.
            CommandRefusedError: an override or a clearing without a reason, or no change.
        """
        if isinstance(priority, int) and not isinstance(priority, bool):
            priority = int(priority)  # a faultkit.scoring.Priority member: its number
        if check_fact("priority", priority) is not None:
            raise InvalidInputError(
                "priority", priority, "expected a priority number from 1 to 5, or None"
            )
        self._need_reason_to_override("set_priority", self._priority, reason)
        return self._change("set_priority", "priority", priority, actor=actor, at=at, reason=reason)

    def _need_reason_to_override(self, command: str, current: Any, reason: Any) -> None:
        """An override of a set value (or clearing it) needs a reason."""
        if current is not None and reason is None:
            raise CommandRefusedError(
                self.id,
                command,
                "override_needs_reason",
                f"the value is already {current!r}; an override or a clearing needs a reason",
            )

    # ------------------------------------------------------------------ handling

    def assign(
        self, assignee: Assignee | None, *, actor: Person, at: datetime, reason: str | None = None
    ) -> FactChange:
        """Assign the fault to ``assignee`` (``None`` unassigns it)."""
        return self._change("assign", "assignee", assignee, actor=actor, at=at, reason=reason)

    def contain(
        self,
        *,
        actor: Person,
        at: datetime,
        unit_isolated: bool = False,
        emergency_plan: str | None = None,
        workaround: str | None = None,
    ) -> FactChange:
        """Record the emergency response (procedure part 3), as of ``at``.

        Raises:
            InvalidInputError: no measure is given, or a value is invalid.
        """
        v.check_aware("at", at)
        containment = Containment(
            recorded_at=at,
            unit_isolated=unit_isolated,
            emergency_plan=emergency_plan,
            workaround=workaround,
        )
        return self._change("contain", "containment", containment, actor=actor, at=at)

    def add_workaround(self, workaround: str, *, actor: Person, at: datetime) -> FactChange:
        """Give users a temporary workaround (kept in the containment record)."""
        v.check_aware("at", at)
        current = self._containment
        if current is None:
            containment = Containment(recorded_at=at, workaround=workaround)
        else:
            containment = Containment(
                recorded_at=current.recorded_at,
                unit_isolated=current.unit_isolated,
                emergency_plan=current.emergency_plan,
                workaround=workaround,
            )
        return self._change("add_workaround", "containment", containment, actor=actor, at=at)

    def attach_analysis(
        self, analysis: RootCauseAnalysis, *, actor: Person, at: datetime, reason: str | None = None
    ) -> FactChange:
        """Attach the root-cause analysis; one with a ``fault_id`` must name this fault.

        Raises:
            CommandRefusedError: the analysis belongs to another fault.
        """
        owner = getattr(analysis, "fault_id", self.id)
        if owner != self.id:
            raise CommandRefusedError(
                self.id,
                "attach_analysis",
                "analysis_of_this_fault",
                f"the analysis is of fault {owner!r}",
            )
        return self._change(
            "attach_analysis", "analysis", analysis, actor=actor, at=at, reason=reason
        )

    def add_action(self, action: Action, *, actor: Person, at: datetime) -> FactChange:
        """Add a corrective or preventive action to the fault's ``actions``.

        The fault holds its actions once; the analysis refers to them through the step
        ids each action addresses. The event's ``before`` and ``after`` are the
        fault's actions before and after.

        Raises:
            CommandRefusedError: no analysis is attached, or the fault has an action
                with this id.
        """
        if not isinstance(action, Action):
            raise InvalidInputError("action", action, "expected an Action")
        self._need_analysis("add_action")
        if _action_of(self._actions, action.id) is not None:
            raise CommandRefusedError(
                self.id, "add_action", "new_action", f"action {action.id!r} is already recorded"
            )
        return self._change("add_action", "actions", (*self._actions, action), actor=actor, at=at)

    def advance_action(
        self, action: Action, *, actor: Person, at: datetime, reason: str | None = None
    ) -> FactChange:
        """Record the next version of an action (``start()``, ``complete(at)``, ``verify()``).

        The status only moves forward (planned, in progress, done, verified effective
        or ineffective). An ineffective effectiveness check makes the analysis
        incomplete again, so the fault cannot close until it is reopened and worked;
        :meth:`Lifecycle.advance_action <faultkit.lifecycle.Lifecycle.advance_action>`
        records the check and sends a resolved fault back to work in one command.

        Raises:
            CommandRefusedError: no analysis, no action with this id, or the status
                would not move forward.
        """
        if not isinstance(action, Action):
            raise InvalidInputError("action", action, "expected an Action")
        self._need_analysis("advance_action")
        before = _action_of(self._actions, action.id)
        if before is None:
            raise CommandRefusedError(
                self.id, "advance_action", "known_action", f"no action {action.id!r} is recorded"
            )
        if _STATUS_RANK[action.status] <= _STATUS_RANK[before.status]:
            raise CommandRefusedError(
                self.id,
                "advance_action",
                "status_moves_forward",
                f"action {action.id!r} is {before.status.value}; it cannot become "
                f"{action.status.value}",
            )
        actions = tuple(action if a.id == action.id else a for a in self._actions)
        return self._change("advance_action", "actions", actions, actor=actor, at=at, reason=reason)

    def _need_analysis(self, command: str) -> None:
        if self._analysis is None:
            raise CommandRefusedError(
                self.id, command, "analysis_attached", "no analysis is attached"
            )

    def mark_docs_updated(self, *, actor: Person, at: datetime) -> FactChange:
        """Record that the maintenance documentation was updated after the RCA."""
        return self._change(
            "mark_docs_updated", "maintenance_docs_updated", True, actor=actor, at=at
        )

    def mark_duplicate_of(
        self, fault_id: str | None, *, actor: Person, at: datetime, reason: str | None = None
    ) -> FactChange:
        """Record the id of the fault this one duplicates (not its own).

        ``None`` clears a mark made in error; clearing, or changing the mark, needs a
        ``reason``.

        Raises:
            CommandRefusedError: the fault would duplicate itself, a clearing or a
                change without a reason, or no change.
        """
        if fault_id == self.id:
            raise CommandRefusedError(
                self.id, "mark_duplicate_of", "not_itself", "a fault cannot duplicate itself"
            )
        self._need_reason_to_override("mark_duplicate_of", self._duplicate_of, reason)
        return self._change(
            "mark_duplicate_of", "duplicate_of", fault_id, actor=actor, at=at, reason=reason
        )

    # ------------------------------------------------------------------ closure

    def record_verification(
        self,
        *,
        effective: bool,
        evidence: Iterable[str],
        actor: Person,
        at: datetime,
        note: str | None = None,
    ) -> FactChange:
        """Record the check of the fix, by ``actor`` at ``at``, with its evidence.

        Closing needs it to be effective, after the last resolve, with evidence, and by
        someone other than the assignee and the person who resolved it (see
        :func:`~faultkit.lifecycle.requirements.fix_verified`).
        """
        check_actor("actor", actor)
        v.check_aware("at", at)
        verification = Verification(
            effective=effective,
            verified_at=at,
            verified_by=actor.id,
            note=note,
            evidence=tuple(evidence) if not isinstance(evidence, str) else (evidence,),
        )
        return self._change("record_verification", "verification", verification, actor=actor, at=at)

    def record_notice(
        self, recipient: str, *, actor: Person, at: datetime, channel: str | None = None
    ) -> FactChange:
        """Record that ``recipient`` (a person's id) was told the result at ``at``."""
        v.check_aware("at", at)
        notice = Notice(recipient=recipient, at=at, channel=channel)
        return self._change(
            "record_notice", "notices", (*self._notices, notice), actor=actor, at=at
        )

    def link_feedback(
        self, feedback_id: str, author: str, *, actor: Person, at: datetime
    ) -> FactChange:
        """Link a customer feedback item; its ``author`` is then owed the result notice."""
        link = FeedbackLink(feedback_id=feedback_id, author=author)
        if any(known.feedback_id == feedback_id for known in self._feedback):
            raise CommandRefusedError(
                self.id, "link_feedback", "new_link", f"feedback {feedback_id!r} is already linked"
            )
        return self._change(
            "link_feedback", "feedback", (*self._feedback, link), actor=actor, at=at
        )

    # ------------------------------------------------------------------ talk

    def comment(
        self, text: str, *, actor: Person, at: datetime, work_note: bool = False
    ) -> Comment:
        """Add a comment (``work_note=False``) or an internal work note to the stream."""
        self._check_event("comment", actor, at, None)
        event = Comment(actor=actor.id, at=at, text=text, work_note=work_note)
        self._commit(event)
        return event

    # ------------------------------------------------------------------ links (issue 19)

    @property
    def problem_id(self) -> str | None:
        """The id of the problem this fault is linked to, if it is (:meth:`link_problem`)."""
        return self._fact("problem_id")  # type: ignore[no-any-return]

    @property
    def resolution_note(self) -> str | None:
        """What was done to resolve it (:meth:`record_resolution_note`); a reopen voids it."""
        return self._fact("resolution_note")  # type: ignore[no-any-return]

    @property
    def duplicates(self) -> tuple[str, ...]:
        """The ids of the faults merged into this one as duplicates, oldest first
        (:meth:`Lifecycle.merge <faultkit.lifecycle.Lifecycle.merge>`)."""
        return self._fact("duplicates")  # type: ignore[no-any-return]

    @property
    def changes(self) -> tuple[ChangeLink, ...]:
        """The changes linked to the fault, oldest first (:meth:`link_change`)."""
        return self._fact("changes")  # type: ignore[no-any-return]

    def changes_by(self, relation: ChangeRelation) -> tuple[str, ...]:
        """The references of the changes linked with ``relation`` (caused by, fixed by)."""
        return tuple(link.change_ref for link in self.changes if link.relation is relation)

    def link_problem(
        self, problem_id: str, *, actor: Person, at: datetime, reason: str | None = None
    ) -> FactChange:
        """Link the fault to a problem (ITIL 4 problem management); relinking needs a ``reason``.

        A :class:`~faultkit.lifecycle.Lifecycle` given a ``problems`` lookup hands the
        problem to the requirements; the RCA policy may accept the problem's analysis
        (or its known error and workaround) instead of one of the fault's own.

        Raises:
            InvalidInputError: ``problem_id`` is blank or not a string.
            CommandRefusedError: a relink without a reason, or the same problem again.
        """
        if type(problem_id) is not str or not problem_id.strip():
            raise InvalidInputError("problem_id", problem_id, "expected a non-blank id")
        self._need_reason_to_override("link_problem", self.problem_id, reason)
        return self._change(
            "link_problem", "problem_id", problem_id, actor=actor, at=at, reason=reason
        )

    def record_resolution_note(self, text: str, *, actor: Person, at: datetime) -> FactChange:
        """Record what was done to resolve the fault: what the RCA policy asks of minor faults."""
        if type(text) is not str or not text.strip():
            raise InvalidInputError("text", text, "expected a non-blank resolution note")
        return self._change("record_resolution_note", "resolution_note", text, actor=actor, at=at)

    def link_change(
        self,
        change_ref: str,
        relation: ChangeRelation,
        *,
        actor: Person,
        at: datetime,
        note: str | None = None,
    ) -> FactChange:
        """Link a change that caused (``CAUSED_BY``) or fixed (``FIXED_BY``) the fault.

        Raises:
            InvalidInputError: a blank reference, or ``relation`` is not a ChangeRelation.
            CommandRefusedError: the change is already linked with this relation.
        """
        if not isinstance(relation, ChangeRelation):
            raise InvalidInputError("relation", relation, "expected a ChangeRelation")
        link = ChangeLink(change_ref=change_ref, relation=relation, note=note)
        if any(
            known.change_ref == change_ref and known.relation is relation for known in self.changes
        ):
            raise CommandRefusedError(
                self.id,
                "link_change",
                "new_link",
                f"change {change_ref!r} is already linked as {relation.value}",
            )
        return self._change("link_change", "changes", (*self.changes, link), actor=actor, at=at)

    # ------------------------------------------------------------------ major incidents

    @property
    def major_incident(self) -> MajorIncident | None:
        """The major-incident declaration, if the fault is one (:meth:`declare_major_incident`,
        or the lifecycle's major-incident policy by severity)."""
        return self._fact("major_incident")  # type: ignore[no-any-return]

    @property
    def stakeholder_updates(self) -> tuple[StakeholderUpdate, ...]:
        """The updates sent to stakeholders, oldest first (:meth:`record_stakeholder_update`)."""
        return self._fact("stakeholder_updates")  # type: ignore[no-any-return]

    @property
    def post_incident_review(self) -> PostIncidentReview | None:
        """The post-incident review, once held (:meth:`record_post_incident_review`)."""
        return self._fact("post_incident_review")  # type: ignore[no-any-return]

    def declare_major_incident(self, *, actor: Person, at: datetime, reason: str) -> FactChange:
        """Declare the fault a major incident by hand; a ``reason`` is required.

        Raises:
            InvalidInputError: no reason, or a blank one.
            CommandRefusedError: the fault is already a major incident.
        """
        if reason is None:
            raise InvalidInputError("reason", reason, "declaring a major incident needs a reason")
        return self._declare(actor=actor, at=at, reason=reason, automatic=False)

    def _declare(self, *, actor: Any, at: Any, reason: Any, automatic: bool) -> FactChange:
        reason = self._check_event("declare_major_incident", actor, at, reason)
        if self.major_incident is not None:
            raise CommandRefusedError(
                self.id,
                "declare_major_incident",
                "changes_something",
                f"declared a major incident at {self.major_incident.declared_at.isoformat()}",
            )
        declaration = MajorIncident(
            declared_at=at, declared_by=actor.id, reason=reason, automatic=automatic
        )
        return self._change(
            "declare_major_incident",
            "major_incident",
            declaration,
            actor=actor,
            at=at,
            reason=reason,
        )

    def record_stakeholder_update(
        self, summary: str, *, actor: Person, at: datetime, audience: str | None = None
    ) -> FactChange:
        """Record an update sent to the stakeholders of a major incident.

        Raises:
            CommandRefusedError: the fault is not a major incident.
        """
        self._check_event("record_stakeholder_update", actor, at, None)
        if self.major_incident is None:
            raise CommandRefusedError(
                self.id,
                "record_stakeholder_update",
                "major_incident",
                "the fault is not a major incident (fault.declare_major_incident)",
            )
        update = StakeholderUpdate(at=at, by=actor.id, summary=summary, audience=audience)
        return self._change(
            "record_stakeholder_update",
            "stakeholder_updates",
            (*self.stakeholder_updates, update),
            actor=actor,
            at=at,
        )

    def record_post_incident_review(
        self,
        participants: Iterable[str],
        summary: str,
        *,
        actor: Person,
        at: datetime,
        held_at: datetime | None = None,
        analysis_ref: str | None = None,
    ) -> FactChange:
        """Record the post-incident review: when it was held (``held_at``, by default
        ``at``), who took part, what was learnt and the analysis it refers to.

        Raises:
            InvalidInputError: no participants, a blank summary, or ``held_at`` after ``at``.
            CommandRefusedError: the review predates the major-incident declaration.
        """
        self._check_event("record_post_incident_review", actor, at, None)
        held = at if held_at is None else held_at
        v.check_aware("held_at", held)
        if held > at:
            raise InvalidInputError("held_at", held, f"is after the record ({at.isoformat()})")
        declared = self.major_incident
        if declared is not None and held < declared.declared_at:
            raise CommandRefusedError(
                self.id,
                "record_post_incident_review",
                "after_declaration",
                f"held at {held.isoformat()}, before the major incident was declared "
                f"({declared.declared_at.isoformat()})",
            )
        if isinstance(participants, str):
            participants = (participants,)
        review = PostIncidentReview(
            held_at=held,
            participants=tuple(participants),
            summary=summary,
            analysis_ref=analysis_ref,
        )
        return self._change(
            "record_post_incident_review", "post_incident_review", review, actor=actor, at=at
        )


_SLOTS: dict[str, Any] = {fact: Fault.__dict__[slot] for fact, slot in _SLOT.items()}
"""Each slotted fact's slot (its member descriptor: get and set without a name lookup)."""
_INITIAL_PUT = tuple((_SLOTS[fact].__set__, initial_value(fact)) for fact in _SLOT)
"""Each slot's setter with the value its fact has before any event (set when a fault is built)."""
