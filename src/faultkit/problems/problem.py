"""A problem record (ITIL 4 problem management): many faults, one analysis, its events.

A :class:`Problem` is one aggregate, like a fault case: the :class:`ProblemRecord` it
was opened with and the stream of immutable events that happened to it since. It
changes only through its commands, each of which returns a new problem with exactly
one more event (a reopen of a verified fix two: see below), or raises
:class:`~faultkit.errors.ProblemRefusedError` (a rule refuses it) or
:class:`~faultkit.errors.InvalidInputError` (a bad value) and appends nothing. The
events are the fault's own kinds, from :mod:`faultkit.lifecycle.events`:

- :meth:`~Problem.fire` appends a :class:`~faultkit.lifecycle.TransitionRecord`,
  checked against :data:`~faultkit.problems.PROBLEM_WORKFLOW` and the requirements of
  :data:`PROBLEM_REQUIREMENTS`;
- the fact commands (:meth:`~Problem.link_fault`, :meth:`~Problem.attach_analysis`,
  :meth:`~Problem.record_root_cause`, :meth:`~Problem.record_workaround`,
  :meth:`~Problem.describe_symptoms`, :meth:`~Problem.set_error_codes`,
  :meth:`~Problem.record_fix`, :meth:`~Problem.record_verification`...) append a
  :class:`~faultkit.lifecycle.FactChange` (fact, before, after, who, when, why);
- :meth:`~Problem.comment` appends a :class:`~faultkit.lifecycle.Comment`.

The state is what the events say: building a problem from its events replays them,
checking each against the state before it (a fact's ``before`` must be its value
then, a status change must follow the table, time never goes back). Requirements are
checked when a command fires a trigger, as for faults.

**Reopen.** A trigger that leaves ``resolved`` or ``closed`` for ``analysing``
(:meth:`Workflow.reopens <faultkit.lifecycle.Workflow.reopens>`: the fix did not hold)
voids the verification of that fix by a second event, a
:class:`~faultkit.lifecycle.FactChange` of ``verification`` to ``None`` whose command
is the trigger and whose reason says ``voided by reopen: <why>``, as a fault's reopen
does; closing again needs a new verification after the new resolve.

**Known error.** A problem is a known error while its status is ``known_error``,
``resolved`` or ``closed`` and a root cause and a workaround are recorded; a reopen
(back to ``analysing``) ends it until it is declared again. A fault linked to a known
error may take its workaround (see :meth:`Problem.known_error_workaround`).

**Verified root cause** (:func:`verified_root_causes`): a root-cause step of a
five-whys tree marked ``verified``, or a fishbone cause with status ``verified``:
either analysis completes the problem's, as the procedure says (five whys *or* a
fishbone).

Stored data: :func:`~faultkit.serialization.to_dict` writes ``{"record": {...},
"events": [{"kind": "transition" | "fact" | "comment", ...}, ...]}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeAlias

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError, ProblemRefusedError, WorkflowDefinitionError
from faultkit.lifecycle.events import Comment, FactChange, TransitionRecord, Verification
from faultkit.lifecycle.workflow import check_actor, check_follows, check_reason
from faultkit.models import Person
from faultkit.problems.codes import normalise_error_codes
from faultkit.problems.known_error import KnownError
from faultkit.problems.workflow import PROBLEM_WORKFLOW, ProblemStatus
from faultkit.rca import Analysis, analysis_from_dict, analysis_to_dict
from faultkit.serialization import from_dict, to_dict

__all__ = [
    "PROBLEM_FACTS",
    "PROBLEM_REQUIREMENTS",
    "Problem",
    "ProblemEvent",
    "ProblemRecord",
    "verified_root_causes",
]

ProblemEvent: TypeAlias = TransitionRecord | FactChange | Comment
"""Any event of a problem's stream."""


@attrs.frozen(kw_only=True)
class ProblemRecord:
    """A problem as it was opened.

    Attributes:
        id: the problem's identifier; not blank.
        title: a one-line summary; not blank.
        product: the product concerned; not blank.
        component: the component or module, if known.
        opened_at: when it was opened (timezone-aware); no event is earlier.
        opened_by: the id of the person who opened it; not blank.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    title: str = attrs.field(validator=v.non_empty_str)
    product: str = attrs.field(validator=v.non_empty_str)
    component: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    opened_at: datetime = attrs.field(validator=v.aware_datetime)
    opened_by: str = attrs.field(validator=v.non_empty_str)


def verified_root_causes(analysis: Analysis) -> tuple[str, ...]:
    """The ids of the verified root causes an analysis reached: five whys **or** a fishbone.

    Rule (the procedure: "RCA with five whys or a fishbone diagram"): a five-whys step
    with role ``root_cause`` marked ``verified``; or a fishbone cause verified
    (``CauseStatus.VERIFIED``) with at least one piece of evidence, none of whose
    sub-causes is still open or verified (each is ruled out, or it has none) and from
    which no five-whys tree was started (that tree's root causes count instead).
    Five-whys steps first, tree by tree, then fishbone causes in diagram order: the
    ids behind :meth:`faultkit.rca.Analysis.has_verified_root_cause`
    (``Fishbone.root_causes`` for the fishbone).
    """
    steps = [step.id for step in analysis.root_causes() if step.verified]
    steps.extend(cause.id for cause in analysis.fishbone_root_causes())
    return tuple(steps)


# --------------------------------------------------------------------------- facts


def _text(value: Any) -> str:
    if type(value) is not str or not value.strip():
        raise InvalidInputError("value", value, "expected a non-blank string")
    return value


def _decode_analysis(data: Any) -> Analysis:
    return data if isinstance(data, Analysis) else analysis_from_dict(data)


def _decode_verification(data: Any) -> Verification:
    return data if isinstance(data, Verification) else from_dict(data, Verification)


@attrs.frozen
class _Fact:
    """One fact: its command, its value before any event, and how its values are kept."""

    command: str
    initial: Any
    check: Callable[[Any], Any]
    encode: Callable[[Any], Any] = attrs.field(default=lambda value: value)


_FACT_TABLE: dict[str, _Fact] = {
    "linked_fault": _Fact("link_fault", None, _text),
    "analysis": _Fact("attach_analysis", None, _decode_analysis, analysis_to_dict),
    "root_cause": _Fact("record_root_cause", None, _text),
    "workaround": _Fact("record_workaround", None, _text),
    "symptoms": _Fact("describe_symptoms", None, _text),
    "error_codes": _Fact("set_error_codes", (), normalise_error_codes, list),
    "fix": _Fact("record_fix", None, _text),
    "verification": _Fact("record_verification", None, _decode_verification, to_dict),
}

PROBLEM_FACTS: Mapping[str, str] = {name: row.command for name, row in _FACT_TABLE.items()}
"""Each fact a problem's :class:`~faultkit.lifecycle.FactChange` may name, and its command.

``linked_fault`` is special: a link has ``before=None, after=<fault id>``, an unlink
(command ``unlink_fault``) ``before=<fault id>, after=None``.
"""

_COMMANDS = {*PROBLEM_FACTS.values(), "unlink_fault"}
_TRIGGERS = frozenset(PROBLEM_WORKFLOW.triggers)
"""A trigger names the fact change it makes: a reopen voids the verification."""


# --------------------------------------------------------------------------- state


@attrs.frozen
class _View:
    """The state the events make, one event at a time."""

    status: ProblemStatus
    last_at: datetime
    faults: tuple[str, ...] = ()
    facts: Mapping[str, Any] = attrs.field(
        factory=lambda: {name: row.initial for name, row in _FACT_TABLE.items()}
    )
    resolved_at: datetime | None = None


def _apply(view: _View, event: ProblemEvent) -> _View:
    """The state after ``event`` (which the caller has checked)."""
    evolve = attrs.evolve
    if isinstance(event, TransitionRecord):
        to = ProblemStatus(event.to_state)
        resolved = event.at if to is ProblemStatus.RESOLVED else view.resolved_at
        return evolve(view, status=to, last_at=event.at, resolved_at=resolved)
    if isinstance(event, FactChange):
        if event.fact == "linked_fault":
            if event.after is None:
                faults = tuple(f for f in view.faults if f != event.before)
            else:
                faults = (*view.faults, event.after)
            return evolve(view, last_at=event.at, faults=faults)
        facts = dict(view.facts)
        facts[event.fact] = event.after
        return evolve(view, last_at=event.at, facts=facts)
    return evolve(view, last_at=event.at)


def _check_fact(view: _View, event: FactChange, where: str) -> None:
    row = _FACT_TABLE.get(event.fact)
    if row is None:
        raise InvalidInputError(
            f"{where}.fact", event.fact, f"not a fact of a problem ({', '.join(_FACT_TABLE)})"
        )
    voids = event.fact == "verification" and event.after is None
    if event.command not in _COMMANDS and not (voids and event.command in _TRIGGERS):
        raise InvalidInputError(f"{where}.command", event.command, "not a command of a problem")
    if event.fact == "linked_fault":
        if event.after is not None:
            _text(event.after)
            if event.before is not None or event.after in view.faults:
                raise InvalidInputError(
                    f"{where}.after", event.after, "a fault already linked, or a before value"
                )
        elif event.before not in view.faults:
            raise InvalidInputError(f"{where}.before", event.before, "unlinks no linked fault")
        return
    if event.after is not None:
        try:
            checked = row.check(event.after)
        except InvalidInputError as exc:
            raise exc.at_path(f"{where}.after") from None
        if checked != event.after:
            raise InvalidInputError(f"{where}.after", event.after, "not in its one spelling")
    if event.before != view.facts[event.fact]:
        raise InvalidInputError(
            f"{where}.before",
            event.before,
            f"is not the value of {event.fact!r} before the event",
        )


def _check_event(view: _View, event: Any, index: int) -> None:
    """Refuse an event that cannot follow ``view`` (replaying stored or given events)."""
    where = f"events[{index}]"
    if not isinstance(event, TransitionRecord | FactChange | Comment):
        raise InvalidInputError(where, event, "expected a problem event")
    check_follows(PROBLEM_WORKFLOW, view.status, view.last_at, event, where)
    if isinstance(event, FactChange):
        _check_fact(view, event, where)


# --------------------------------------------------------------------------- requirements

_Check: TypeAlias = Callable[["Problem", "str | None"], "str | None"]


def _root_cause_recorded(problem: Problem, _reason: str | None) -> str | None:
    return None if problem.root_cause is not None else "no root cause recorded"


def _workaround_recorded(problem: Problem, _reason: str | None) -> str | None:
    return None if problem.workaround is not None else "no workaround documented"


def _verified_root_cause(problem: Problem, _reason: str | None) -> str | None:
    if problem.analysis is None:
        return "no analysis attached"
    if problem.has_verified_root_cause():
        return None
    return "the analysis has no verified root cause (five-whys root cause or fishbone cause)"


def _corrective_action(problem: Problem, _reason: str | None) -> str | None:
    if problem.fix is not None:
        return None
    return "no fix recorded (the change or the corrective action that removes the root cause)"


def _fix_verified(problem: Problem, _reason: str | None) -> str | None:
    check = problem.verification
    resolved = problem._view.resolved_at
    if check is None:
        return "no verification of the fix recorded"
    if resolved is not None and check.verified_at < resolved:
        return f"the verification ({check.verified_at}) is before the last resolve ({resolved})"
    if not check.effective:
        return "the fix was verified ineffective: reopen the problem"
    if not check.evidence:
        return "the verification gives no evidence"
    return None


def _reason_given(_problem: Problem, reason: str | None) -> str | None:
    return None if reason is not None else "a reason is required"


PROBLEM_REQUIREMENTS: Mapping[str, _Check] = {
    "root_cause_recorded": _root_cause_recorded,
    "workaround_recorded": _workaround_recorded,
    "verified_root_cause": _verified_root_cause,
    "corrective_action": _corrective_action,
    "fix_verified": _fix_verified,
    "reason_given": _reason_given,
}
"""The requirements the problem workflow names: each returns what is missing, or ``None``.

- ``root_cause_recorded``: a root cause in words (:meth:`Problem.record_root_cause`);
- ``workaround_recorded``: a workaround (:meth:`Problem.record_workaround`);
- ``verified_root_cause``: the attached analysis reached a verified root cause
  (:func:`verified_root_causes`);
- ``corrective_action``: a fix recorded (:meth:`Problem.record_fix`: the change or the
  corrective action that removes the root cause; an analysis holds no actions);
- ``fix_verified``: a verification after the last resolve, effective, with evidence;
- ``reason_given``: the trigger was given a reason.
"""

_unknown = sorted(PROBLEM_WORKFLOW.requirement_names - PROBLEM_REQUIREMENTS.keys())
if _unknown:  # pragma: no cover - the table and this module ship together
    raise WorkflowDefinitionError(f"the problem workflow names unknown requirements {_unknown}")

_KINDS: dict[str, type[Any]] = {
    "transition": TransitionRecord,
    "fact": FactChange,
    "comment": Comment,
}
_KIND_OF = {cls: kind for kind, cls in _KINDS.items()}


# --------------------------------------------------------------------------- the problem


@attrs.frozen(kw_only=True)
class Problem:
    """A problem record and everything that happened to it, as immutable events.

    Start one with :meth:`open`; change it with its commands (each returns a new
    problem). It satisfies the lifecycle's ``LinkedProblem`` protocol (``id``,
    :meth:`has_verified_root_cause`, :meth:`known_error_workaround`) without importing
    the lifecycle.

    Attributes:
        record: the problem as it was opened.
        events: every change since, oldest first.

    Raises:
        InvalidInputError: an event does not follow the one before it (an earlier
            time, a move the workflow lacks, a fact's ``before`` that is not its value
            then); the field names the event.
    """

    record: ProblemRecord = attrs.field(validator=v.instance(ProblemRecord))
    events: tuple[ProblemEvent, ...] = attrs.field(default=(), converter=v.list_to_tuple)
    _view: _View = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.events, tuple):
            raise InvalidInputError("events", self.events, "expected a list of problem events")
        view = _View(status=ProblemStatus.NEW, last_at=self.record.opened_at)
        for index, event in enumerate(self.events):
            _check_event(view, event, index)
            view = _apply(view, event)
        object.__setattr__(self, "_view", view)

    @classmethod
    def open(
        cls,
        *,
        id: str,
        title: str,
        product: str,
        actor: Person,
        at: datetime,
        component: str | None = None,
    ) -> Problem:
        """A new problem in status ``new``, with no events."""
        return cls(
            record=ProblemRecord(
                id=id,
                title=title,
                product=product,
                component=component,
                opened_at=at,
                opened_by=check_actor("actor", actor),
            )
        )

    def _append(self, event: ProblemEvent) -> Problem:
        view = self._view
        _check_event(view, event, len(self.events))
        problem: Problem = object.__new__(Problem)
        object.__setattr__(problem, "record", self.record)
        object.__setattr__(problem, "events", (*self.events, event))
        object.__setattr__(problem, "_view", _apply(view, event))
        return problem

    def _refuse(self, command: str, rule: str, detail: str) -> ProblemRefusedError:
        return ProblemRefusedError(self.id, command, rule, detail)

    # ------------------------------------------------------------------ reading

    @property
    def id(self) -> str:
        """The problem's id."""
        return self.record.id

    @property
    def title(self) -> str:
        """The one-line summary."""
        return self.record.title

    @property
    def product(self) -> str:
        """The product concerned."""
        return self.record.product

    @property
    def component(self) -> str | None:
        """The component concerned, if known."""
        return self.record.component

    @property
    def status(self) -> ProblemStatus:
        """The status the events leave the problem in."""
        return self._view.status

    @property
    def linked_faults(self) -> tuple[str, ...]:
        """The ids of the faults linked to it, in the order they were linked."""
        return self._view.faults

    @property
    def analysis(self) -> Analysis | None:
        """The root-cause analysis attached last, if any."""
        found: Analysis | None = self._view.facts["analysis"]
        return found

    @property
    def root_cause(self) -> str | None:
        """The root cause in words, if recorded."""
        found: str | None = self._view.facts["root_cause"]
        return found

    @property
    def workaround(self) -> str | None:
        """The workaround, if documented."""
        found: str | None = self._view.facts["workaround"]
        return found

    @property
    def symptoms(self) -> str | None:
        """The symptoms in words, if described."""
        found: str | None = self._view.facts["symptoms"]
        return found

    @property
    def error_codes(self) -> tuple[str, ...]:
        """The error codes it shows, normalised."""
        found: tuple[str, ...] = self._view.facts["error_codes"]
        return found

    @property
    def fix(self) -> str | None:
        """The fix (a change or action reference, in words), if recorded."""
        found: str | None = self._view.facts["fix"]
        return found

    @property
    def verification(self) -> Verification | None:
        """The last verification of the fix, if recorded."""
        found: Verification | None = self._view.facts["verification"]
        return found

    @property
    def history(self) -> tuple[TransitionRecord, ...]:
        """The status changes, oldest first."""
        return tuple(e for e in self.events if isinstance(e, TransitionRecord))

    @property
    def comments(self) -> tuple[Comment, ...]:
        """The comments and work notes, oldest first."""
        return tuple(e for e in self.events if isinstance(e, Comment))

    @property
    def last_changed_at(self) -> datetime:
        """The time of the last event, or when the problem was opened."""
        return self._view.last_at

    @property
    def is_known_error(self) -> bool:
        """Whether it is a known error (see the module documentation)."""
        return (
            self._view.status
            in (ProblemStatus.KNOWN_ERROR, ProblemStatus.RESOLVED, ProblemStatus.CLOSED)
            and self.root_cause is not None
            and self.workaround is not None
        )

    def has_verified_root_cause(self) -> bool:
        """Whether its analysis reached a verified root cause (:func:`verified_root_causes`)."""
        analysis = self.analysis
        return analysis is not None and analysis.has_verified_root_cause()

    def known_error_workaround(self) -> str | None:
        """The workaround while it is a known error, else ``None``."""
        return self.workaround if self.is_known_error else None

    def known_error(self) -> KnownError | None:
        """The known-error record the index searches, while it is a known error."""
        if not self.is_known_error:
            return None
        assert self.workaround is not None
        assert self.root_cause is not None
        return KnownError(
            problem_id=self.id,
            title=self.title,
            product=self.product,
            component=self.component,
            error_codes=self.error_codes,
            symptoms=self.symptoms,
            workaround=self.workaround,
            root_cause=self.root_cause,
        )

    def allowed_triggers(self) -> tuple[str, ...]:
        """The triggers the workflow defines from the current status (requirements aside)."""
        return PROBLEM_WORKFLOW.triggers_from(self._view.status)

    def status_rows(self) -> tuple[tuple[str, str, datetime], ...]:
        """The status history as event-log rows ``(problem id, status, since when)``.

        :func:`faultkit.lifecycle.validate_event_log` reads them against
        :data:`~faultkit.problems.PROBLEM_WORKFLOW` as it reads an exported log.
        """
        first = (self.id, ProblemStatus.NEW.value, self.record.opened_at)
        return (first, *((self.id, e.to_state, e.at) for e in self.history))

    # ------------------------------------------------------------------ commands

    def fire(
        self, trigger: str, *, actor: Person, at: datetime, reason: str | None = None
    ) -> Problem:
        """The problem after ``trigger``: one status change more.

        Args:
            trigger: a :class:`~faultkit.problems.ProblemTrigger` (or its value).
            actor: who fires it.
            at: when (timezone-aware; not before the last event).
            reason: why; required to close without a fix and to reopen.

        Raises:
            ProblemRefusedError: the trigger leads nowhere from the status (rule
                ``workflow``), or requirements are unmet (rule: their names; the
                detail says what each lacks); nothing is appended.
            InvalidInputError: an unknown trigger, a bad actor, time or reason.
        """
        status = self._view.status
        triggers = PROBLEM_WORKFLOW.triggers
        if not isinstance(trigger, str) or trigger not in triggers:
            raise InvalidInputError(
                "trigger", trigger, f"not a problem trigger (triggers: {', '.join(triggers)})"
            )
        trigger = str.__str__(trigger)
        allowed = ", ".join(PROBLEM_WORKFLOW.triggers_from(status)) or "none"
        move = PROBLEM_WORKFLOW.move(status, trigger)
        if move is None:
            raise self._refuse(
                trigger,
                "workflow",
                f"not allowed from status {status.value!r} (allowed from there: {allowed})",
            )
        actor_id = check_actor("actor", actor)
        v.check_aware("at", at)
        reason = check_reason(reason)
        unmet = [
            (name, missing)
            for name in move.requires
            if (missing := PROBLEM_REQUIREMENTS[name](self, reason)) is not None
        ]
        if unmet:
            raise self._refuse(
                trigger,
                ", ".join(name for name, _ in unmet),
                f"in status {status.value!r}: "
                + "; ".join(f"{name}: {text}" for name, text in unmet)
                + f" (allowed from there: {allowed})",
            )
        problem = self._append(
            TransitionRecord(
                from_state=status.value,
                to_state=move.dest,
                trigger=trigger,
                actor=actor_id,
                at=at,
                reason=reason,
            )
        )
        checked = self._view.facts["verification"]
        if checked is not None and PROBLEM_WORKFLOW.reopens(status, move.dest):
            # The fix did not hold: its verification is void, by an event of its own.
            why = f"voided by {trigger}" + (f": {reason}" if reason else "")
            problem = problem._append(
                FactChange(
                    fact="verification",
                    command=trigger,
                    actor=actor_id,
                    at=at,
                    before=checked,
                    after=None,
                    reason=why,
                )
            )
        return problem

    def _change(
        self, fact: str, value: Any, *, actor: Person, at: datetime, reason: str | None
    ) -> Problem:
        row = _FACT_TABLE[fact]
        actor_id = check_actor("actor", actor)
        v.check_aware("at", at)
        reason = check_reason(reason)
        try:
            value = row.check(value)
        except InvalidInputError as exc:
            if exc.field.startswith(fact):
                raise
            raise InvalidInputError(fact, value, exc.reason) from None
        if self._view.status is ProblemStatus.CLOSED:
            raise self._refuse(row.command, "closed", "the problem is closed: reopen it first")
        before = self._view.facts[fact]
        if value == before:
            raise self._refuse(row.command, "no_change", f"{fact} is already {value!r}")
        return self._append(
            FactChange(
                fact=fact,
                command=row.command,
                actor=actor_id,
                at=at,
                before=before,
                after=value,
                reason=reason,
            )
        )

    def link_fault(
        self, fault_id: str, *, actor: Person, at: datetime, reason: str | None = None
    ) -> Problem:
        """The problem with fault ``fault_id`` linked (one fault, many problems are fine).

        Raises:
            ProblemRefusedError: the fault is already linked (rule ``linked_once``).
        """
        fault_id = _text(fault_id) if type(fault_id) is str else fault_id
        if type(fault_id) is not str:
            raise InvalidInputError("fault_id", fault_id, "expected a non-blank string")
        if fault_id in self._view.faults:
            raise self._refuse("link_fault", "linked_once", f"fault {fault_id!r} is linked")
        actor_id = check_actor("actor", actor)
        v.check_aware("at", at)
        return self._append(
            FactChange(
                fact="linked_fault",
                command="link_fault",
                actor=actor_id,
                at=at,
                after=fault_id,
                reason=check_reason(reason),
            )
        )

    def unlink_fault(
        self, fault_id: str, *, actor: Person, at: datetime, reason: str | None = None
    ) -> Problem:
        """The problem without fault ``fault_id`` (linked by mistake).

        Raises:
            ProblemRefusedError: the fault is not linked (rule ``linked_first``).
        """
        if fault_id not in self._view.faults:
            raise self._refuse("unlink_fault", "linked_first", f"fault {fault_id!r} is not linked")
        actor_id = check_actor("actor", actor)
        v.check_aware("at", at)
        return self._append(
            FactChange(
                fact="linked_fault",
                command="unlink_fault",
                actor=actor_id,
                at=at,
                before=fault_id,
                reason=check_reason(reason),
            )
        )

    def attach_analysis(
        self, analysis: Analysis, *, actor: Person, at: datetime, reason: str | None = None
    ) -> Problem:
        """The problem with ``analysis`` attached (replacing any earlier one).

        Raises:
            InvalidInputError: ``analysis`` is not a :class:`faultkit.rca.Analysis`.
            ProblemRefusedError: its ``fault_id`` is not this problem's id (rule
                ``analysis_of_this_problem``).
        """
        if not isinstance(analysis, Analysis):
            raise InvalidInputError("analysis", analysis, "expected a faultkit.rca.Analysis")
        if analysis.fault_id != self.id:
            raise self._refuse(
                "attach_analysis",
                "analysis_of_this_problem",
                f"the analysis is of {analysis.fault_id!r}, not of this problem",
            )
        return self._change("analysis", analysis, actor=actor, at=at, reason=reason)

    def record_root_cause(
        self, root_cause: str, *, actor: Person, at: datetime, reason: str | None = None
    ) -> Problem:
        """The problem with its root cause recorded in words."""
        return self._change("root_cause", root_cause, actor=actor, at=at, reason=reason)

    def record_workaround(
        self, workaround: str, *, actor: Person, at: datetime, reason: str | None = None
    ) -> Problem:
        """The problem with a workaround documented (what users do until it is fixed)."""
        return self._change("workaround", workaround, actor=actor, at=at, reason=reason)

    def describe_symptoms(
        self, symptoms: str, *, actor: Person, at: datetime, reason: str | None = None
    ) -> Problem:
        """The problem with its symptoms described (the text new reports are matched to)."""
        return self._change("symptoms", symptoms, actor=actor, at=at, reason=reason)

    def set_error_codes(
        self,
        error_codes: list[str] | tuple[str, ...],
        *,
        actor: Person,
        at: datetime,
        reason: str | None = None,
    ) -> Problem:
        """The problem with its error codes (normalised, each once) replacing the earlier."""
        return self._change("error_codes", error_codes, actor=actor, at=at, reason=reason)

    def record_fix(
        self, fix: str, *, actor: Person, at: datetime, reason: str | None = None
    ) -> Problem:
        """The problem with its fix recorded (a change or action reference, in words)."""
        return self._change("fix", fix, actor=actor, at=at, reason=reason)

    def record_verification(
        self, verification: Verification, *, actor: Person, at: datetime
    ) -> Problem:
        """The problem with the check of its fix recorded.

        Raises:
            InvalidInputError: ``verification`` is not a
                :class:`~faultkit.lifecycle.Verification`.
            ProblemRefusedError: the problem is not resolved (rule ``resolved_first``).
        """
        if not isinstance(verification, Verification):
            raise InvalidInputError("verification", verification, "expected a Verification")
        if self._view.status is not ProblemStatus.RESOLVED:
            raise self._refuse(
                "record_verification",
                "resolved_first",
                f"status is {self._view.status.value!r}: a fix is verified once resolved",
            )
        return self._change("verification", verification, actor=actor, at=at, reason=None)

    def comment(
        self, text: str, *, actor: Person, at: datetime, work_note: bool = False
    ) -> Problem:
        """The problem with a comment (or a staff-only work note) added."""
        return self._append(
            Comment(actor=check_actor("actor", actor), at=at, text=text, work_note=work_note)
        )

    # ------------------------------------------------------------------ stored form

    def __faultkit_unstructure__(self) -> dict[str, Any]:
        """JSON-ready data for :func:`faultkit.serialization.to_dict`."""
        events = []
        for event in self.events:
            data = {"kind": _KIND_OF[type(event)], **to_dict(event)}
            if isinstance(event, FactChange):
                encode = _FACT_TABLE[event.fact].encode
                for side in ("before", "after"):
                    value = getattr(event, side)
                    data[side] = None if value is None else encode(value)
            events.append(data)
        return {"record": to_dict(self.record), "events": events}

    @classmethod
    def __faultkit_structure__(cls, data: Any) -> Problem:
        """The problem :func:`faultkit.serialization.from_dict` reads from ``data``."""
        if not isinstance(data, Mapping):
            raise InvalidInputError("", data, "expected an object describing a problem")
        extra = sorted(set(data) - {"record", "events"})
        if extra:
            raise InvalidInputError(extra[0], data[extra[0]], "not a field of a problem")
        try:
            record = from_dict(data.get("record"), ProblemRecord)
        except InvalidInputError as exc:
            raise exc.at_path("record") from None
        raw_events = data.get("events", [])
        if not isinstance(raw_events, list):
            raise InvalidInputError("events", raw_events, "expected a list of events")
        return cls(record=record, events=[_read_event(raw, i) for i, raw in enumerate(raw_events)])


def _read_event(raw: Any, index: int) -> ProblemEvent:
    where = f"events[{index}]"
    if not isinstance(raw, Mapping):
        raise InvalidInputError(where, raw, "expected an object describing an event")
    kind = raw.get("kind")
    event_cls = _KINDS.get(kind) if isinstance(kind, str) else None
    if event_cls is None:
        raise InvalidInputError(f"{where}.kind", kind, f"expected one of {', '.join(_KINDS)}")
    body = {key: value for key, value in raw.items() if key != "kind"}
    try:
        if event_cls is FactChange:
            row = _FACT_TABLE.get(body.get("fact"))  # type: ignore[arg-type]
            if row is None:
                raise InvalidInputError("fact", body.get("fact"), "not a fact of a problem")
            for side in ("before", "after"):
                value = body.get(side)
                if value is not None:
                    try:
                        body[side] = row.check(value)
                    except InvalidInputError as exc:
                        raise exc.at_path(side) from None
        event: ProblemEvent = from_dict(body, event_cls)
    except InvalidInputError as exc:
        raise exc.at_path(where) from None
    return event
