"""The engine: fire triggers on faults, check requirements, keep the audit trail.

:class:`Lifecycle` wraps one ``transitions`` state machine per workflow, built headless
(``model=None``) and shared by every fault: firing a trigger runs
``machine.events[trigger].trigger(fault)`` on the fault itself, so a fault costs no
more than its record. Requirements are checked by the engine before the machine moves,
so that a refusal can name every unmet requirement; the machine itself has no guards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

import attrs
from transitions import Machine

from faultkit._validators import check_aware
from faultkit.errors import (
    CommandRefusedError,
    InvalidInputError,
    TransitionRefusedError,
    WorkflowDefinitionError,
)
from faultkit.lifecycle.events import FactChange, FaultEvent, TransitionRecord
from faultkit.lifecycle.facts import initial_value
from faultkit.lifecycle.fault import Fault
from faultkit.lifecycle.major import DEFAULT_MAJOR_INCIDENT_POLICY, MajorIncidentPolicy
from faultkit.lifecycle.protocols import LinkedProblem, ReviewChecklist
from faultkit.lifecycle.rca_policy import DEFAULT_RCA_POLICY, RcaPolicy
from faultkit.lifecycle.requirements import (
    STANDARD_REQUIREMENTS,
    Check,
    Requirement,
    TransitionContext,
)
from faultkit.lifecycle.verifiers import VerifierRule
from faultkit.lifecycle.workflow import StateCategory, Workflow, check_actor, check_reason
from faultkit.lifecycle.workflows.procedure import PROCEDURE
from faultkit.models import FaultReport, Person
from faultkit.rca.actions import Action, ActionStatus
from faultkit.scoring.quality import ReviewStandard

__all__ = ["Lifecycle", "NextStep"]


@attrs.frozen(kw_only=True)
class NextStep:
    """One trigger a fault could take from where it is: what a helpdesk UI draws as a button.

    Attributes:
        trigger: the trigger's name.
        dest: the state it leads to.
        allowed: whether every requirement is met now.
        unmet: each unmet requirement as ``(name, what is missing)``.
    """

    trigger: str
    dest: str
    allowed: bool
    unmet: tuple[tuple[str, str], ...]


_new = object.__new__
_set = object.__setattr__


def _trusted_record(
    from_state: str, to_state: str, trigger: str, actor: str, at: datetime, reason: str | None
) -> TransitionRecord:
    """Build a record from values the engine has already checked (skips the validators).

    The engine checks ``at``, ``actor`` and ``reason`` before a transition and takes the
    state and trigger names from the workflow table, so validating them again would
    only cost time on the hot path.
    """
    record: TransitionRecord = _new(TransitionRecord)
    _set(record, "from_state", from_state)
    _set(record, "to_state", to_state)
    _set(record, "trigger", trigger)
    _set(record, "actor", actor)
    _set(record, "at", at)
    _set(record, "reason", reason)
    return record


_VOIDED: tuple[tuple[str, Any], ...] = (
    ("verification", None),
    ("notices", ()),
    ("closed_at", None),
    ("resolution_note", None),
)
"""What a reopen (:meth:`Workflow.reopens <faultkit.lifecycle.Workflow.reopens>`)
voids, each fact with its value once void: the check of the fix, the notices of the
result, the closure time and the note of what was done - all about a resolution that
did not hold (a minor fault resolved again writes a fresh note, as the RCA policy's
``resolution_note`` row asks)."""
_CLOSES, _VOIDS = "closes", "voids"
"""What a move does besides the transition: record ``closed_at``, or void."""


_tuple_new = tuple.__new__

_Move = tuple[str, tuple[tuple[str, Check], ...], str, "str | None"]


class Lifecycle:
    """Fires triggers of one workflow on faults, checking requirements and recording history.

    Args:
        workflow: the workflow table; the built-in ``procedure`` workflow by default.
        requirements: requirements to add to (or replace among)
            :data:`~faultkit.lifecycle.STANDARD_REQUIREMENTS`, by name.
        checklist: the review checklist ``report_meets_standard`` applies; by default
            scoring's review standard (``faultkit.scoring.ReviewStandard()``).
        reopen_window: how long after its last state change a closed fault may be
            reopened (30 days by default).
        rca_policy: which root-cause evidence each fault needs before it resolves
            (:class:`~faultkit.lifecycle.RcaPolicy`; SEV1-2 a full analysis, SEV3 a
            problem link or an analysis, SEV4-5 a resolution note by default).
        problems: a lookup from a problem id to the problem (the application's store,
            wrapped); the fault's linked problem is handed to the requirements as
            ``TransitionContext.problem``. ``None``: no problem is ever found.
        major_incidents: which faults are declared major incidents automatically
            (SEV1 by default, on entering an active state) and the stakeholder-update
            cadence (:class:`~faultkit.lifecycle.MajorIncidentPolicy`).
        verifiers: who may verify a fix, on top of "not the resolver, not the
            assignee" (``fix_verified``); anyone else by default.
        rework_trigger: the trigger that sends a resolved fault back to work when an
            action's effectiveness check fails (:meth:`advance_action`); ``"reopen"``
            by default when the workflow has it (both built-in workflows lead it from
            their resolved states to work: ``procedure`` to ``analysing``, ``itil`` to
            ``in_progress``), ``None`` to only record the check.
        merge_trigger: the trigger that moves a duplicate into its master; only
            :meth:`merge` fires it, because a merge records both faults and
            :meth:`fire` has only one (it refuses the trigger, naming
            :meth:`merge`). ``"merge"`` by default when the workflow has it (both
            built-in workflows do), ``None`` to let :meth:`fire` fire it alone.

    Raises:
        WorkflowDefinitionError: the table names a requirement that is not known, or
            ``rework_trigger`` or ``merge_trigger`` is not one of its triggers.
    """

    __slots__ = (
        "_active",
        "_automatic",
        "_checklist",
        "_events",
        "_major",
        "_merge",
        "_merge_moves",
        "_moves",
        "_problems",
        "_rca_policy",
        "_reopen_window",
        "_rework",
        "_triggers",
        "_verifiers",
        "_workflow",
    )

    def __init__(
        self,
        workflow: Workflow | None = None,
        *,
        requirements: Iterable[Requirement] = (),
        checklist: ReviewChecklist | None = None,
        reopen_window: timedelta = timedelta(days=30),
        rca_policy: RcaPolicy = DEFAULT_RCA_POLICY,
        problems: Callable[[str], LinkedProblem | None] | None = None,
        major_incidents: MajorIncidentPolicy = DEFAULT_MAJOR_INCIDENT_POLICY,
        verifiers: VerifierRule | None = None,
        rework_trigger: str | None = "reopen",
        merge_trigger: str | None = "merge",
    ) -> None:
        if workflow is None:
            workflow = PROCEDURE
        if not isinstance(workflow, Workflow):
            raise InvalidInputError("workflow", workflow, "expected a Workflow")
        if not isinstance(reopen_window, timedelta) or reopen_window < timedelta(0):
            raise InvalidInputError("reopen_window", reopen_window, "expected a timedelta >= 0")
        registry = dict(STANDARD_REQUIREMENTS)
        for requirement in requirements:
            if not isinstance(requirement, Requirement):
                raise InvalidInputError("requirements", requirement, "expected a Requirement")
            registry[requirement.name] = requirement
        unknown = sorted(workflow.requirement_names - registry.keys())
        if unknown:
            raise WorkflowDefinitionError(
                f"workflow {workflow.name!r} names unknown requirement(s) "
                f"{', '.join(map(repr, unknown))} (known: {', '.join(sorted(registry))})"
            )
        if not isinstance(rca_policy, RcaPolicy):
            raise InvalidInputError("rca_policy", rca_policy, "expected an RcaPolicy")
        if problems is not None and not callable(problems):
            raise InvalidInputError("problems", problems, "expected a function id -> problem")
        if not isinstance(major_incidents, MajorIncidentPolicy):
            raise InvalidInputError(
                "major_incidents", major_incidents, "expected a MajorIncidentPolicy"
            )
        self._rca_policy = rca_policy
        self._problems = problems
        self._major = major_incidents
        self._automatic = major_incidents.automatic
        self._active = frozenset(
            s.name for s in workflow.states if s.category is StateCategory.ACTIVE
        )
        if verifiers is not None and not isinstance(verifiers, VerifierRule):
            raise InvalidInputError("verifiers", verifiers, "expected a VerifierRule or None")
        if rework_trigger == "reopen" and rework_trigger not in workflow.triggers:
            rework_trigger = None  # the default, on a workflow without a reopen
        if rework_trigger is not None and rework_trigger not in workflow.triggers:
            raise WorkflowDefinitionError(
                f"rework_trigger {rework_trigger!r} is not a trigger of workflow "
                f"{workflow.name!r} (triggers: {', '.join(workflow.triggers)})"
            )
        if merge_trigger == "merge" and merge_trigger not in workflow.triggers:
            merge_trigger = None  # the default, on a workflow without a merge
        if merge_trigger is not None and merge_trigger not in workflow.triggers:
            raise WorkflowDefinitionError(
                f"merge_trigger {merge_trigger!r} is not a trigger of workflow "
                f"{workflow.name!r} (triggers: {', '.join(workflow.triggers)})"
            )
        self._verifiers = verifiers
        self._rework = None if rework_trigger is None else str.__str__(rework_trigger)
        self._merge = None if merge_trigger is None else str.__str__(merge_trigger)
        self._workflow = workflow
        self._checklist = checklist if checklist is not None else ReviewStandard()
        self._reopen_window = reopen_window
        self._triggers = frozenset(workflow.triggers)
        self._moves: dict[tuple[str, str], _Move] = {}
        for row in workflow.transitions:
            checks = tuple((name, registry[name].check) for name in row.requires)
            closes = workflow.state(row.dest).terminal
            for source in row.sources:
                voids = workflow.reopens(source, row.dest)
                effect = _CLOSES if closes else _VOIDS if voids else None
                self._moves[source, row.trigger] = (row.dest, checks, row.trigger, effect)
        # The merge trigger is left out of the moves fire() reads: only merge() fires it.
        self._merge_moves = {
            key: self._moves.pop(key) for key in list(self._moves) if key[1] == self._merge
        }
        machine = Machine(
            model=None,
            states=list(workflow.state_names),
            transitions=[
                {"trigger": row.trigger, "source": list(row.sources), "dest": row.dest}
                for row in workflow.transitions
            ],
            initial=workflow.initial,
            auto_transitions=False,
            model_attribute="_state",
            name=workflow.name,
        )
        self._events: dict[str, Any] = {name: machine.events[name] for name in self._triggers}

    @property
    def workflow(self) -> Workflow:
        """The workflow table this lifecycle runs."""
        return self._workflow

    @property
    def verifiers(self) -> VerifierRule | None:
        """Who may verify a fix, if a rule is set."""
        return self._verifiers

    def open(self, report: FaultReport, **facts: Any) -> Fault:
        """A new fault for ``report``, in the workflow's initial state.

        Args:
            report: the fault report.
            **facts: facts known with the report (``severity=``, ``priority=``...);
                each becomes a :class:`~faultkit.lifecycle.FactChange` of command
                ``"open"`` by the reporter at the report's time.

        Raises:
            InvalidInputError: a name is not a fact of a fault, or a value is not
                valid for it.
        """
        if not isinstance(report, FaultReport):
            raise InvalidInputError("report", report, "expected a FaultReport")
        events = [
            FactChange(
                fact=name,
                command="open",
                actor=report.reporter.id,
                at=report.reported_at,
                before=initial_value(name),
                after=value,
            )
            for name, value in facts.items()
        ]
        return Fault(report=report, state=self._workflow.initial, events=events)

    # ------------------------------------------------------------------ firing

    def fire(
        self,
        fault: Fault,
        trigger: str,
        *,
        actor: Person,
        at: datetime,
        reason: str | None = None,
    ) -> TransitionRecord:
        """Fire ``trigger`` on ``fault``: check, move, and append the record to its history.

        Args:
            fault: the fault; its state and history change in place.
            trigger: the trigger's name.
            actor: who fires it (a :class:`~faultkit.models.Reviewer` to review).
            at: when (timezone-aware; not earlier than the fault's last record, nor
                than its report).
            reason: why, in words (some triggers require one); a ``StrEnum`` member
                such as :class:`~faultkit.lifecycle.HoldReason` is recorded by its value.

        Returns:
            The :class:`TransitionRecord` appended to ``fault.history``.

        Raises:
            TransitionRefusedError: the trigger does not lead anywhere from the
                fault's state, or requirements are unmet (each is named), or it is
                the lifecycle's merge trigger (rule ``merged_by_lifecycle_merge``:
                :meth:`merge` records both faults).
            InvalidInputError: the trigger is not one of the workflow's, ``at`` is
                naive or earlier than the last record, or ``actor`` / ``reason`` are
                not valid.
        """
        try:
            source = fault._state
        except AttributeError:
            raise InvalidInputError("fault", fault, "expected a Fault") from None
        move = self._moves.get((source, trigger))
        if move is None:
            raise self._not_allowed(fault, trigger)
        if type(at) is not datetime or at.utcoffset() is None:
            check_aware("at", at)
        events = fault._events
        last = events[-1].at if events else fault._report.reported_at
        if at < last:
            raise InvalidInputError(
                "at",
                at,
                f"is earlier than the fault's last event or its report ({last.isoformat()})",
            )
        # check_actor and check_reason, written out: the hot path of every trigger
        if not isinstance(actor, Person):
            raise InvalidInputError("actor", actor, "expected a Person")
        if reason is not None and type(reason) is not str:
            if not isinstance(reason, str):
                raise InvalidInputError("reason", reason, "must be None or a non-blank string")
            reason = str.__str__(reason)  # a StrEnum member such as HoldReason: its value
        if reason is not None and not reason.strip():
            raise InvalidInputError("reason", reason, "must be None or a non-blank string")
        dest, checks, trigger, effect = move  # the table's own (plain str) names
        if checks:
            # tuple.__new__ skips the NamedTuple's Python-level __new__ (hot path).
            ctx = _tuple_new(
                TransitionContext,
                (
                    trigger,
                    source,
                    dest,
                    actor,
                    at,
                    reason,
                    self._checklist,
                    self._reopen_window,
                    self._workflow,
                    None if fault._more is None else self._problem_of(fault),
                    self._rca_policy,
                    self._verifiers,
                ),
            )
            unmet = []
            for name, check in checks:
                missing = check(fault, ctx)
                if missing is not None:
                    unmet.append((name, missing))
            if unmet:
                raise TransitionRefusedError(
                    source, trigger, self._workflow.triggers_from(source), tuple(unmet)
                )
        self._events[trigger].trigger(fault)
        record = _trusted_record(source, dest, trigger, actor.id, at, reason)
        fault._commit(record)
        if effect is not None:
            self._after(fault, record, effect)
        if (
            dest in self._active
            and fault._severity in self._automatic
            and fault.major_incident is None
        ):
            self._declare_if_severe(fault, actor, at)
        return record

    def _context(
        self,
        fault: Fault,
        trigger: str,
        source: str,
        dest: str,
        actor: Person,
        at: datetime,
        reason: str | None,
    ) -> TransitionContext:
        """What the requirements of ``trigger`` on ``fault`` are told (see :meth:`fire`)."""
        return TransitionContext(
            trigger,
            source,
            dest,
            actor,
            at,
            reason,
            self._checklist,
            self._reopen_window,
            self._workflow,
            self._problem_of(fault),
            self._rca_policy,
            self._verifiers,
        )

    def _problem_of(self, fault: Fault) -> LinkedProblem | None:
        """The fault's linked problem, as the ``problems`` lookup finds it (or ``None``)."""
        problem_id = fault.problem_id
        if problem_id is None or self._problems is None:
            return None
        problem = self._problems(problem_id)
        if problem is not None and not isinstance(problem, LinkedProblem):
            raise InvalidInputError(
                "problems", problem, f"the lookup of {problem_id!r} did not return a problem"
            )
        return problem

    def _declare_if_severe(self, fault: Fault, actor: Person, at: datetime) -> None:
        """Declare a major incident when the policy does for the fault's severity."""
        severity = fault._severity
        if severity is not None and severity in self._major.automatic:
            fault._declare(
                actor=actor,
                at=at,
                reason=f"automatic: a {severity.name} fault (major-incident policy)",
                automatic=True,
            )

    @property
    def rca_policy(self) -> RcaPolicy:
        """The RCA policy the requirements read."""
        return self._rca_policy

    @property
    def major_incidents(self) -> MajorIncidentPolicy:
        """The major-incident policy (automatic declaration, update cadence)."""
        return self._major

    def merge(
        self,
        duplicate: Fault,
        master: Fault,
        *,
        actor: Person,
        at: datetime,
        reason: str | None = None,
        trigger: str | None = None,
    ) -> TransitionRecord:
        """Merge ``duplicate`` into ``master`` from any stage before closure; keep both histories.

        The duplicate records the master (a ``duplicate_of`` fact change) and moves
        to the duplicate state by ``trigger`` (by default the lifecycle's
        ``merge_trigger``: ``merge``, which both built-in workflows allow from every
        state that is not terminal, and which :meth:`fire` refuses so that no merge
        is recorded on one side only); the master records the merged fault in its
        ``duplicates`` (one fact change). Nothing is deleted or rewritten: each fault
        keeps its own stream.

        No chains: the master must not itself be a duplicate (the refusal names the
        fault it duplicates; merge into that one), so ``duplicate_of`` always names
        a root. A fault that already has duplicates may be merged: its duplicates keep
        naming it, and the new master lists only it.

        Returns:
            The duplicate's :class:`TransitionRecord`.

        Raises:
            CommandRefusedError: merging a fault into itself, into a master that is
                closed, cancelled or otherwise terminal, or into a duplicate; nothing
                is appended to either fault.
            TransitionRefusedError: ``trigger`` does not lead anywhere from the
                duplicate's state (it is already terminal), or a requirement is unmet.
            InvalidInputError: not faults, ``at`` earlier than either fault's last
                event, or an invalid actor / reason.
        """
        if trigger is None:
            trigger = self._merge or "merge"
        for name, fault in (("duplicate", duplicate), ("master", master)):
            if not isinstance(fault, Fault):
                raise InvalidInputError(name, fault, "expected a Fault")
        if duplicate is master or duplicate.id == master.id:
            raise CommandRefusedError(
                duplicate.id, "merge", "not_itself", "a fault cannot be merged into itself"
            )
        if master.duplicate_of is not None:
            raise CommandRefusedError(
                duplicate.id,
                "merge",
                "no_chains",
                f"the master {master.id!r} is itself a duplicate of "
                f"{master.duplicate_of!r}: merge into that one",
            )
        master_state = self._check_state(master)
        if self._workflow.state(master_state).terminal:
            raise CommandRefusedError(
                duplicate.id,
                "merge",
                "master_open",
                f"the master {master.id!r} is {master_state!r}; merge into an open fault",
            )
        source = self._check_state(duplicate)
        move = self._moves.get((source, trigger)) or self._merge_moves.get((source, trigger))
        if move is None:
            raise self._not_allowed(duplicate, trigger)
        check_aware("at", at)
        for fault in (duplicate, master):
            if at < fault.last_event_at:
                raise InvalidInputError(
                    "at",
                    at,
                    f"merge: earlier than the last event of fault {fault.id!r} "
                    f"({fault.last_event_at.isoformat()})",
                )
        check_actor("actor", actor)
        reason = check_reason(reason)
        dest, checks, trigger, effect = move  # the table's own (plain str) names
        ctx = self._context(duplicate, trigger, source, dest, actor, at, reason)
        unmet = tuple(
            (name, missing)
            for name, check in checks
            if name != "duplicate_recorded" and (missing := check(duplicate, ctx)) is not None
        )
        if unmet:
            raise TransitionRefusedError(
                source, trigger, self._workflow.triggers_from(source), unmet
            )
        if duplicate.duplicate_of != master.id:
            duplicate._change("merge", "duplicate_of", master.id, actor=actor, at=at, reason=reason)
        # The move itself, as fire makes it (fire refuses the merge trigger); every
        # requirement is met now that the duplicate names its master.
        self._events[trigger].trigger(duplicate)
        record = _trusted_record(source, dest, trigger, actor.id, at, reason)
        duplicate._commit(record)
        if effect is not None:
            self._after(duplicate, record, effect)
        master._change(
            "merge",
            "duplicates",
            (*master.duplicates, duplicate.id),
            actor=actor,
            at=at,
            reason=reason,
        )
        return record

    @staticmethod
    def _after(fault: Fault, record: TransitionRecord, effect: str) -> None:
        """Entering a terminal state records ``closed_at``; a reopen voids the verification,
        the notices, ``closed_at`` and the resolution note: one :class:`FactChange`
        each, when set (:data:`_VOIDED`)."""
        if effect == _CLOSES:
            fault._commit(
                FactChange(
                    fact="closed_at",
                    command=record.trigger,
                    actor=record.actor,
                    at=record.at,
                    before=fault.closed_at,
                    after=record.at,
                )
            )
            return
        why = f"voided by {record.trigger}" + (f": {record.reason}" if record.reason else "")
        for fact, after in _VOIDED:
            before = getattr(fault, fact)
            if before != after:
                fault._commit(
                    FactChange(
                        fact=fact,
                        command=record.trigger,
                        actor=record.actor,
                        at=record.at,
                        before=before,
                        after=after,
                        reason=why,
                    )
                )

    # ------------------------------------------------------------------ commands

    def advance_action(
        self,
        fault: Fault,
        action: Action,
        *,
        actor: Person,
        at: datetime,
        reason: str | None = None,
    ) -> tuple[FaultEvent, ...]:
        """Record the next version of one of the fault's actions; a failed check sends it back.

        The rule (ISO 9001 10.2.1 b-c and 10.2.1 d "review the effectiveness of any
        corrective action taken"; 8D D6-D7): when the effectiveness check of an action
        fails (``action.status`` is ``ineffective``) while the fault is in a resolved
        state (``resolved``, ``verifying``), the fix did not remove the cause, so the
        fault goes back to root-cause work: the lifecycle's ``rework_trigger``
        (``reopen``, to ``analysing`` in the ``procedure`` workflow) is fired in the
        same command, by the same actor at the same time, with the reason
        ``"effectiveness check of action A-1 failed: <its result>"`` unless one is
        given. The reopen voids the verification, the notices and the resolution note,
        as any reopen does.
        Back to analysing and not to fixing: the root cause the action addressed is
        open again (:meth:`faultkit.rca.Analysis.incomplete_reasons` says so), and
        8D's D4 (root cause) comes before D5-D6 (choose and implement the fix).

        Both events are appended, or none: the transition is checked before the
        action's event is appended. Elsewhere (not resolved, or no rework trigger)
        this is :meth:`Fault.advance_action <faultkit.lifecycle.Fault.advance_action>`.

        Returns:
            The events appended, oldest first: the action's
            :class:`~faultkit.lifecycle.FactChange`, then (when sent back) the
            :class:`~faultkit.lifecycle.TransitionRecord` and the voiding events.

        Raises:
            CommandRefusedError: :meth:`Fault.advance_action` refuses the action, or the
                fault cannot be sent back from its state (rule ``rework_possible``,
                naming the unmet requirements).
            InvalidInputError: a value is invalid.
        """
        source = self._check_state(fault)
        failed = isinstance(action, Action) and action.status is ActionStatus.INEFFECTIVE
        category = self._workflow.state(source).category
        if not failed or self._rework is None or category is not StateCategory.RESOLVED:
            return (fault.advance_action(action, actor=actor, at=at, reason=reason),)
        why = reason
        if why is None:
            found = f": {action.verification_result}" if action.verification_result else ""
            why = f"effectiveness check of action {action.id!r} failed{found}"
        trigger = self._rework
        self._need_rework(fault, source, trigger, actor, at, why)
        start = len(fault.events)
        fault.advance_action(action, actor=actor, at=at, reason=why)
        try:
            self.fire(fault, trigger, actor=actor, at=at, reason=why)
        except (TransitionRefusedError, InvalidInputError):  # pragma: no cover - checked above
            Fault.__init__(fault, report=fault.report, state=source, events=fault.events[:start])
            raise
        return fault.events[start:]

    def _need_rework(
        self, fault: Fault, source: str, trigger: str, actor: Person, at: datetime, why: str
    ) -> None:
        """Refuse (appending nothing) when ``trigger`` cannot send the fault back now."""
        move = self._moves.get((source, trigger))
        if move is None:
            raise CommandRefusedError(
                fault.id,
                "advance_action",
                "rework_possible",
                f"the failed effectiveness check would send the fault back with "
                f"{trigger!r}, which does not lead anywhere from {source!r}",
            )
        dest, checks, _, _ = move
        ctx = self._context(fault, trigger, source, dest, actor, at, why)
        unmet = [f"{name}: {text}" for name, check in checks if (text := check(fault, ctx))]
        if unmet:
            raise CommandRefusedError(
                fault.id,
                "advance_action",
                "rework_possible",
                f"the failed effectiveness check would send the fault back with "
                f"{trigger!r}, which is refused: {'; '.join(unmet)}",
            )

    def _check_state(self, fault: Fault) -> str:
        if not isinstance(fault, Fault):
            raise InvalidInputError("fault", fault, "expected a Fault")
        state = fault._state
        if state not in self._workflow.label_map or self._workflow.label_map[state] != state:
            raise InvalidInputError(
                "fault.state",
                state,
                f"not a state of workflow {self._workflow.name!r} "
                f"(states: {', '.join(self._workflow.state_names)})",
            )
        return state

    def _not_allowed(self, fault: Fault, trigger: str) -> FaultkitErrorType:
        source = self._check_state(fault)
        if trigger not in self._triggers:
            return InvalidInputError(
                "trigger",
                trigger,
                f"not a trigger of workflow {self._workflow.name!r} "
                f"(triggers: {', '.join(self._workflow.triggers)})",
            )
        allowed = self._workflow.triggers_from(source)
        if (source, trigger) in self._merge_moves:
            return TransitionRefusedError(source, trigger, allowed, (self._merge_only(),))
        return TransitionRefusedError(source, trigger, allowed)

    def _merge_only(self) -> tuple[str, str]:
        """Why :meth:`fire` refuses the merge trigger: ``(rule, what to do instead)``."""
        return (
            "merged_by_lifecycle_merge",
            f"{self._merge!r} records the duplicate and its master: call "
            "Lifecycle.merge(duplicate, master, ...), not fire",
        )

    # ------------------------------------------------------------------ asking

    def next_steps(
        self, fault: Fault, *, actor: Person, at: datetime, reason: str | None = None
    ) -> tuple[NextStep, ...]:
        """Each trigger defined from the fault's state, whether it is allowed now, and why not.

        Args:
            fault: the fault.
            actor: who would fire the triggers.
            at: when (timezone-aware).
            reason: the reason that would be given, if any.
        """
        check_aware("at", at)
        source = self._check_state(fault)
        steps = []
        for trigger in self._workflow.triggers_from(source):
            merge_move = self._merge_moves.get((source, trigger))
            if merge_move is not None:  # fire refuses it: Lifecycle.merge does it
                step = NextStep(
                    trigger=trigger, dest=merge_move[0], allowed=False, unmet=(self._merge_only(),)
                )
                steps.append(step)
                continue
            dest, checks, _, _ = self._moves[source, trigger]
            ctx = self._context(fault, trigger, source, dest, actor, at, reason)
            unmet = tuple(
                (name, missing)
                for name, check in checks
                if (missing := check(fault, ctx)) is not None
            )
            steps.append(NextStep(trigger=trigger, dest=dest, allowed=not unmet, unmet=unmet))
        return tuple(steps)

    def can_fire(
        self,
        fault: Fault,
        trigger: str,
        *,
        actor: Person,
        at: datetime,
        reason: str | None = None,
    ) -> bool:
        """Whether :meth:`fire` would accept ``trigger`` now (without firing it)."""
        return any(
            step.trigger == trigger and step.allowed
            for step in self.next_steps(fault, actor=actor, at=at, reason=reason)
        )


FaultkitErrorType = InvalidInputError | TransitionRefusedError
