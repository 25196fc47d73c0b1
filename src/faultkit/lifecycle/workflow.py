"""Workflows as data: states, triggers, and the requirements each trigger checks.

A :class:`Workflow` is a plain table (it round-trips through
:func:`faultkit.serialization.to_dict` / ``from_dict``, so it can be kept in JSON or
YAML). It is checked when it is built: unknown state names, ambiguous triggers,
unreachable states and non-terminal dead ends raise
:class:`~faultkit.errors.WorkflowDefinitionError` naming the problem. Requirement
*names* are checked when a :class:`~faultkit.lifecycle.Lifecycle` is built over the
table, against the requirement functions it is given.

One table has two readers: the engine (:class:`~faultkit.lifecycle.Lifecycle`) that
fires triggers on one fault at a time, and the bulk event-log validator
(:func:`~faultkit.lifecycle.validate_event_log`) that reads the table directly. The
aggregates that replay their own events against a table (problems, feedback cases)
check each event with :func:`check_follows`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError, WorkflowDefinitionError
from faultkit.lifecycle.events import TransitionRecord
from faultkit.models import Person

__all__ = [
    "State",
    "StateCategory",
    "Transition",
    "Workflow",
    "check_actor",
    "check_follows",
    "check_reason",
]


class StateCategory(enum.StrEnum):
    """The kind of a state, shared by every workflow (metrics and SLA clocks read it)."""

    OPEN = "open"
    """Reported, not yet taken into work: the response clock runs."""
    ACTIVE = "active"
    """Being worked on."""
    ON_HOLD = "on_hold"
    """Waiting for someone outside the team (the caller, a vendor, a change)."""
    RESOLVED = "resolved"
    """A fix or an answer is in place; awaiting confirmation."""
    CLOSED = "closed"
    """Handling is over (closed, rejected, cancelled, duplicate)."""


def _plain(value: Any) -> Any:
    """attrs converter: a ``str`` subclass (a ``StrEnum`` member) becomes a plain ``str``."""
    if isinstance(value, str) and type(value) is not str:
        return str.__str__(value)
    return value


def _plain_tuple(value: Any) -> Any:
    """attrs converter: a list or tuple of names becomes a tuple of plain strings."""
    if type(value) is list or type(value) is tuple:
        return tuple(_plain(item) for item in value)
    return value


def _plain_mapping(value: Any) -> Any:
    """attrs converter: keys and values of a label map become plain strings."""
    if isinstance(value, Mapping):
        return {_plain(key): _plain(item) for key, item in value.items()}
    return value


@attrs.frozen(kw_only=True)
class State:
    """One state of a workflow.

    Attributes:
        name: the state's name, unique in its workflow; not blank.
        category: open, active, on hold, resolved or closed.
        terminal: handling ends here (a terminal state may still be reopened).
        pauses_sla: SLA clocks stop while a fault is in this state.
        description: what the state means, for people.
    """

    name: str = attrs.field(converter=_plain, validator=v.non_empty_str)
    category: StateCategory = attrs.field(validator=v.member_of(StateCategory))
    terminal: bool = attrs.field(default=False, validator=v.is_bool)
    pauses_sla: bool = attrs.field(default=False, validator=v.is_bool)
    description: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


@attrs.frozen(kw_only=True)
class Transition:
    """One row of a workflow table: ``trigger`` leads from each of ``sources`` to ``dest``.

    Attributes:
        trigger: the trigger's name (``"accept"``); not blank.
        sources: the states the trigger may be fired from; at least one.
        dest: the state the fault is in afterwards.
        requires: the names of the requirements checked before the transition.
        description: what the transition means, for people.
    """

    trigger: str = attrs.field(converter=_plain, validator=v.non_empty_str)
    sources: tuple[str, ...] = attrs.field(
        converter=_plain_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    dest: str = attrs.field(converter=_plain, validator=v.non_empty_str)
    requires: tuple[str, ...] = attrs.field(
        default=(), converter=_plain_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    description: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


@attrs.frozen(kw_only=True)
class Workflow:
    """A workflow table, checked when it is built.

    Attributes:
        name: the workflow's name (``"procedure"``, ``"itil"``); not blank.
        states: the states, in reading order.
        initial: the state a new fault starts in.
        transitions: the table rows, in reading order.
        labels: how state labels of exported event logs map to this workflow's state
            names (``{"Awaiting User Info": "on_hold"}``); the state names themselves
            are always accepted.

    Raises:
        WorkflowDefinitionError: the table is not a valid workflow (the message names
            the state, trigger or label at fault).
    """

    name: str = attrs.field(validator=v.non_empty_str)
    states: tuple[State, ...] = attrs.field(
        converter=v.list_to_tuple, validator=v.tuple_of(v.instance(State))
    )
    initial: str = attrs.field(converter=_plain, validator=v.non_empty_str)
    transitions: tuple[Transition, ...] = attrs.field(
        converter=v.list_to_tuple, validator=v.tuple_of(v.instance(Transition))
    )
    labels: dict[str, str] = attrs.field(
        factory=dict, converter=_plain_mapping, validator=v.str_mapping
    )

    # Lookups derived from the table (not part of the data).
    _by_name: dict[str, State] = attrs.field(init=False, eq=False, repr=False)
    _moves: dict[tuple[str, str], Transition] = attrs.field(init=False, eq=False, repr=False)
    _pairs: frozenset[tuple[str, str]] = attrs.field(init=False, eq=False, repr=False)
    _triggers_from: dict[str, tuple[str, ...]] = attrs.field(init=False, eq=False, repr=False)
    _label_map: dict[str, str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        by_name: dict[str, State] = {}
        for state in self.states:
            if state.name in by_name:
                raise WorkflowDefinitionError(
                    f"workflow {self.name!r}: state {state.name!r} is defined twice"
                )
            by_name[state.name] = state
        if not by_name:
            raise WorkflowDefinitionError(f"workflow {self.name!r} has no states")
        self._known(by_name, self.initial, "the initial state")
        moves: dict[tuple[str, str], Transition] = {}
        triggers_from: dict[str, list[str]] = {name: [] for name in by_name}
        for row in self.transitions:
            where = f"trigger {row.trigger!r}"
            if not row.sources:
                raise WorkflowDefinitionError(
                    f"workflow {self.name!r}: {where} has no source state"
                )
            self._known(by_name, row.dest, f"the destination of {where}")
            for source in row.sources:
                self._known(by_name, source, f"a source of {where}")
                if (source, row.trigger) in moves:
                    raise WorkflowDefinitionError(
                        f"workflow {self.name!r}: {where} is ambiguous from state "
                        f"{source!r} (it leads to {moves[source, row.trigger].dest!r} "
                        f"and to {row.dest!r})"
                    )
                moves[source, row.trigger] = row
                triggers_from[source].append(row.trigger)
        reachable = {self.initial}
        frontier = [self.initial]
        while frontier:
            here = frontier.pop()
            for trigger in triggers_from[here]:
                there = moves[here, trigger].dest
                if there not in reachable:
                    reachable.add(there)
                    frontier.append(there)
        unreachable = [s.name for s in self.states if s.name not in reachable]
        if unreachable:
            raise WorkflowDefinitionError(
                f"workflow {self.name!r}: state(s) {', '.join(map(repr, unreachable))} "
                f"cannot be reached from the initial state {self.initial!r}"
            )
        for state in self.states:
            if not state.terminal and not triggers_from[state.name]:
                raise WorkflowDefinitionError(
                    f"workflow {self.name!r}: state {state.name!r} is a dead end "
                    "(no trigger leaves it) but is not marked terminal"
                )
        # Map every label to the state's own name object, so bulk readers can compare
        # states by identity.
        label_map = {name: name for name in by_name}
        for label, target in self.labels.items():
            self._known(by_name, target, f"the target of label {label!r}")
            label_map[label] = by_name[target].name
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_moves", moves)
        object.__setattr__(
            self, "_pairs", frozenset((src, row.dest) for (src, _), row in moves.items())
        )
        object.__setattr__(
            self, "_triggers_from", {name: tuple(ts) for name, ts in triggers_from.items()}
        )
        object.__setattr__(self, "_label_map", label_map)

    def _known(self, by_name: Mapping[str, State], name: str, what: str) -> None:
        if name not in by_name:
            known = ", ".join(by_name)
            raise WorkflowDefinitionError(
                f"workflow {self.name!r}: {what} is {name!r}, which is not a state "
                f"(states: {known})"
            )

    # ------------------------------------------------------------------ reading the table

    def state(self, name: str) -> State:
        """The state called ``name``.

        Raises:
            KeyError: there is no such state.
        """
        return self._by_name[name]

    @property
    def state_names(self) -> tuple[str, ...]:
        """The state names, in table order."""
        return tuple(self._by_name)

    @property
    def triggers(self) -> tuple[str, ...]:
        """Every trigger name, in table order, each once."""
        return tuple(dict.fromkeys(row.trigger for row in self.transitions))

    def triggers_from(self, state: str) -> tuple[str, ...]:
        """The triggers defined from ``state``, in table order."""
        return self._triggers_from[state]

    def move(self, state: str, trigger: str) -> Transition | None:
        """The table row ``trigger`` follows from ``state``, or ``None`` if there is none."""
        return self._moves.get((state, trigger))

    def reopens(self, source: str, dest: str) -> bool:
        """Whether a move from ``source`` to ``dest`` is a reopen.

        Rule: it leaves a resolved or closed state (:class:`StateCategory` ``RESOLVED``
        or ``CLOSED``) for one that is neither. What the resolution or the closure
        established (its verification, notices, closure time, resolution note) no
        longer holds: the lifecycle and the problem record void it by events.
        """
        done = (StateCategory.RESOLVED, StateCategory.CLOSED)
        return self.state(source).category in done and self.state(dest).category not in done

    def allows(self, source: str, dest: str) -> bool:
        """Whether some trigger leads from ``source`` to ``dest`` (requirements aside)."""
        return (source, dest) in self._pairs

    @property
    def pairs(self) -> frozenset[tuple[str, str]]:
        """Every ``(source, dest)`` pair some trigger connects (for bulk readers)."""
        return self._pairs

    @property
    def label_map(self) -> Mapping[str, str]:
        """Export label -> state name, including each state name mapped to itself."""
        return self._label_map

    @property
    def requirement_names(self) -> frozenset[str]:
        """Every requirement name the table uses."""
        return frozenset(name for row in self.transitions for name in row.requires)

    def without_requirements(self) -> Workflow:
        """The same table with no requirement on any trigger (to replay imported history)."""
        return attrs.evolve(
            self, transitions=tuple(attrs.evolve(row, requires=()) for row in self.transitions)
        )


def check_follows(
    workflow: Workflow, state: str, last_at: datetime, event: Any, where: str
) -> None:
    """Refuse an event that cannot follow the ones before it in an aggregate's stream.

    The rule a problem (:class:`~faultkit.problems.Problem`) and a feedback case
    (:class:`~faultkit.feedback.FeedbackCase`) replay their events by, one event at a
    time, ``state`` and ``last_at`` being what the events before left:

    - time never goes back: ``event.at >= last_at`` (the event before, or the opening),
      compared as instants (:func:`~faultkit._validators.since_epoch`: a DST fold's
      repeated hour is in order);
    - a :class:`~faultkit.lifecycle.TransitionRecord` starts where the events before
      left the aggregate (``from_state == state``) and is a move of ``workflow``: the
      row ``workflow.move(state, trigger)`` exists and leads to ``to_state``.

    Other events (fact changes, comments...) are checked for time only; what they
    change is the aggregate's own rule.

    >>> from datetime import UTC, datetime
    >>> from faultkit.lifecycle import ITIL, TransitionRecord
    >>> t = datetime(2026, 3, 1, tzinfo=UTC)
    >>> start = TransitionRecord(
    ...     from_state="new", to_state="in_progress", trigger="start", actor="bob", at=t
    ... )
    >>> check_follows(ITIL, "new", t, start, "events[0]")  # it follows: nothing raised
    >>> check_follows(ITIL, "resolved", t, start, "events[3]")
    Traceback (most recent call last):
    ...
    faultkit.errors.InvalidInputError: events[3].from_state: ...

    Args:
        workflow: the aggregate's workflow table.
        state: the state (status) the events before left it in.
        last_at: the time of the event before (or when the aggregate was opened).
        event: the next event (anything with an ``at``).
        where: the event's path in messages (``"events[3]"``).

    Raises:
        InvalidInputError: naming ``<where>.at``, ``<where>.from_state`` or
            ``<where>.trigger`` and the value.
    """
    if v.since_epoch(event.at) < v.since_epoch(last_at):
        raise InvalidInputError(
            f"{where}.at", event.at, f"is earlier than the event before ({last_at})"
        )
    if isinstance(event, TransitionRecord):
        if event.from_state != state:
            raise InvalidInputError(
                f"{where}.from_state",
                event.from_state,
                f"does not follow on from the status before ({str(state)!r})",
            )
        move = workflow.move(state, event.trigger)
        if move is None or move.dest != event.to_state:
            raise InvalidInputError(
                f"{where}.trigger",
                event.trigger,
                f"the {workflow.name} workflow has no move from {str(state)!r} "
                f"to {event.to_state!r} by it",
            )


def check_actor(name: str, actor: Any) -> str:
    """The id of ``actor``, who gives an aggregate's command (a :class:`~faultkit.models.Person`).

    Raises:
        InvalidInputError: ``actor`` is not a Person (``field`` is ``name``).
    """
    if not isinstance(actor, Person):
        raise InvalidInputError(name, actor, "expected a Person")
    return actor.id


def check_reason(reason: Any) -> str | None:
    """The reason a command was given: ``None``, or a non-blank plain ``str``.

    Raises:
        InvalidInputError: ``reason`` is neither (``field`` is ``"reason"``).
    """
    if reason is None:
        return None
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInputError("reason", reason, "must be None or a non-blank string")
    return str.__str__(reason)
