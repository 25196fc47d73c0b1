"""The fault in handling: its report, its state, its history and the facts rules read.

:class:`Fault` is the one record of the lifecycle that changes. Its state and its
history change only through :meth:`Lifecycle.fire <faultkit.lifecycle.Lifecycle.fire>`:
``state`` and ``history`` are read-only properties, and the history is a tuple of
:class:`TransitionRecord` values that only ever grows. The facts the requirements read
(severity, containment, root-cause analysis, verification, result notice, ...) are
plain attributes the caller sets as handling goes on; they are validated on every
assignment.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.lifecycle.protocols import RootCauseAnalysis
from faultkit.models import Assignee, FaultReport, Severity

__all__ = ["Containment", "Fault", "TransitionRecord", "Verification"]


@attrs.frozen(kw_only=True)
class TransitionRecord:
    """One entry of a fault's audit trail.

    Attributes:
        from_state: the state before the transition.
        to_state: the state after it.
        trigger: the trigger that was fired.
        actor: the id of the person who fired it.
        at: when (timezone-aware; never earlier than the previous record).
        reason: why, in words, if given.
    """

    from_state: str = attrs.field(validator=v.non_empty_str)
    to_state: str = attrs.field(validator=v.non_empty_str)
    trigger: str = attrs.field(validator=v.non_empty_str)
    actor: str = attrs.field(validator=v.non_empty_str)
    at: datetime = attrs.field(validator=v.aware_datetime)
    reason: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


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


@attrs.frozen(kw_only=True)
class Containment:
    """The emergency response recorded for a (severe) fault before root-cause work.

    Attributes:
        recorded_at: when containment was recorded (timezone-aware).
        unit_isolated: the faulty unit was isolated.
        emergency_plan: the emergency plan started (failover, emergency team), if any.
        workaround: the temporary workaround given to users, if any.

    At least one of the three measures must be given.
    """

    recorded_at: datetime = attrs.field(validator=v.aware_datetime)
    unit_isolated: bool = attrs.field(default=False, validator=v.is_bool)
    emergency_plan: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    workaround: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)

    def __attrs_post_init__(self) -> None:
        if not self.unit_isolated and self.emergency_plan is None and self.workaround is None:
            raise InvalidInputError(
                "unit_isolated",
                self.unit_isolated,
                "containment records no measure: isolate the unit, start an emergency "
                "plan or give a workaround",
            )


@attrs.frozen(kw_only=True)
class Verification:
    """The check that a fix works, made before closure.

    Attributes:
        effective: the fix was found effective.
        verified_at: when it was checked (timezone-aware).
        verified_by: the id of the person who checked it.
        note: how it was checked, if said.
    """

    effective: bool = attrs.field(validator=v.is_bool)
    verified_at: datetime = attrs.field(validator=v.aware_datetime)
    verified_by: str = attrs.field(validator=v.non_empty_str)
    note: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


def _optional_priority(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise InvalidInputError(
            attribute.name, value, "expected a priority number from 1 (highest) to 5"
        )


def _optional_analysis(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, RootCauseAnalysis):
        raise InvalidInputError(
            attribute.name,
            value,
            "expected a root-cause analysis (with incomplete_reasons() and "
            "has_corrective_action())",
        )


_NOT_FACTS = frozenset({"report", "_state", "_history"})


@attrs.define(slots=True, kw_only=True, weakref_slot=False, on_setattr=attrs.setters.NO_OP)
class Fault:
    """A fault in handling: the report, where it stands, how it got there, and the facts.

    Create one with :meth:`Lifecycle.open <faultkit.lifecycle.Lifecycle.open>` (or
    directly, giving ``state`` and, to continue an imported history, ``history``).

    Attributes:
        report: the fault report as submitted.
        severity: SEV1 (worst) to SEV5, once assessed (``faultkit.scoring`` computes it).
        priority: 1 (highest) to 5, once assessed; selects the SLA targets.
        assignee: who works on it, if assigned.
        containment: the emergency response, once recorded.
        analysis: the root-cause analysis, once started (any object with
            ``incomplete_reasons()`` and ``has_corrective_action()``).
        verification: the check that the fix works, once made.
        result_notice_at: when the customer was told the result, if they were.
        maintenance_docs_updated: the maintenance documentation was updated after RCA.
        duplicate_of: the id of the fault this one duplicates, if it does.
    """

    report: FaultReport = attrs.field(validator=v.instance(FaultReport))
    _state: str = attrs.field(
        alias="state", validator=v.non_empty_str, on_setattr=attrs.setters.NO_OP
    )
    _history: tuple[TransitionRecord, ...] = attrs.field(
        alias="history",
        default=(),
        converter=v.list_to_tuple,
        validator=v.tuple_of(v.instance(TransitionRecord)),
    )
    severity: Severity | None = attrs.field(default=None, validator=v.optional_member_of(Severity))
    priority: int | None = attrs.field(default=None, validator=_optional_priority)
    assignee: Assignee | None = attrs.field(default=None, validator=v.optional_instance(Assignee))
    containment: Containment | None = attrs.field(
        default=None, validator=v.optional_instance(Containment)
    )
    analysis: RootCauseAnalysis | None = attrs.field(default=None, validator=_optional_analysis)
    verification: Verification | None = attrs.field(
        default=None, validator=v.optional_instance(Verification)
    )
    result_notice_at: datetime | None = attrs.field(
        default=None, validator=v.optional_aware_datetime
    )
    maintenance_docs_updated: bool = attrs.field(default=False, validator=v.is_bool)
    duplicate_of: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)

    def __attrs_post_init__(self) -> None:
        history = self._history
        if history and history[-1].to_state != self._state:
            raise InvalidInputError(
                "state",
                self._state,
                f"the history ends in {history[-1].to_state!r}, not in the given state",
            )
        for index in range(1, len(history)):
            before, after = history[index - 1], history[index]
            if after.from_state != before.to_state:
                raise InvalidInputError(
                    f"history[{index}].from_state",
                    after.from_state,
                    f"does not follow on from the previous record ({before.to_state!r})",
                )
            if after.at < before.at:
                raise InvalidInputError(
                    f"history[{index}].at", after.at, "is earlier than the previous record"
                )

    def update(self, **facts: Any) -> None:
        """Set fact attributes, validating each value first (all or nothing).

        Args:
            **facts: new values by attribute name (``severity=Severity.SEV2``,
                ``containment=Containment(...)``); ``state`` and ``history`` change only
                through ``Lifecycle.fire``.

        Raises:
            InvalidInputError: a name is not a fact of a fault, or a value is not valid
                for it (the error names the attribute and the value).
        """
        fields = attrs.fields_dict(Fault)
        for name, value in facts.items():
            field = fields.get(name)
            if field is None or name in _NOT_FACTS:
                raise InvalidInputError(name, value, "not a fact of a fault that can be set")
            if field.validator is not None:
                field.validator(self, field, value)
        for name, value in facts.items():
            setattr(self, name, value)

    @property
    def id(self) -> str:
        """The fault's id (the report's)."""
        return self.report.id

    @property
    def state(self) -> str:
        """The state the fault is in (change it with ``Lifecycle.fire``)."""
        return self._state

    @property
    def history(self) -> tuple[TransitionRecord, ...]:
        """Every transition so far, oldest first; append-only through ``Lifecycle.fire``."""
        return self._history

    @property
    def last_changed_at(self) -> datetime:
        """When the state last changed, or when the fault was reported."""
        history = self._history
        return history[-1].at if history else self.report.reported_at

    def __faultkit_unstructure__(self) -> dict[str, Any]:
        """JSON-ready data for :func:`faultkit.serialization.to_dict` (the default codec)."""
        from faultkit.lifecycle.codec import default_codec  # the codec imports this module

        return default_codec().dump(self)

    @classmethod
    def __faultkit_structure__(cls, data: Any) -> Fault:
        """The fault :func:`faultkit.serialization.from_dict` reads from ``data``."""
        from faultkit.lifecycle.codec import default_codec

        return default_codec().load(data)
