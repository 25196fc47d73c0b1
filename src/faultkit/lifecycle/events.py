"""The events of a fault's stream, and the values its fact commands record.

A fault changes only through commands (:class:`~faultkit.lifecycle.Fault`'s fact
commands and :meth:`Lifecycle.fire <faultkit.lifecycle.Lifecycle.fire>`); each one
appends exactly one immutable event to the fault's stream (a reopen also appends the
events that void what it makes stale: the verification, the notices, the closure time
and the resolution note). Every event says
who (``actor``) and when (``at``); the stream is the audit trail, complete by
construction. There are three kinds:

- :class:`TransitionRecord`: the state changed (``from_state`` -> ``to_state``).
- :class:`FactChange`: a fact changed (``fact``, ``before`` -> ``after``, ``reason``).
- :class:`Comment`: a comment or a work note; no fact changes.

The values recorded as facts (:class:`Containment`, :class:`Verification`,
:class:`Notice`, :class:`FeedbackLink`, :class:`Diagnosis`) are frozen records too, so
an event can never change after it is appended.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.models import CauseCategory
from faultkit.scoring.impact import ImpactAssessment

__all__ = [
    "Comment",
    "Containment",
    "Diagnosis",
    "FactChange",
    "FaultEvent",
    "FeedbackLink",
    "Notice",
    "TransitionRecord",
    "Verification",
]


@attrs.frozen(kw_only=True)
class TransitionRecord:
    """The event of a state change: one entry of a fault's state history.

    Attributes:
        from_state: the state before the transition.
        to_state: the state after it.
        trigger: the trigger that was fired.
        actor: the id of the person who fired it.
        at: when (timezone-aware; never earlier than the previous event).
        reason: why, in words, if given.
    """

    from_state: str = attrs.field(validator=v.non_empty_str)
    to_state: str = attrs.field(validator=v.non_empty_str)
    trigger: str = attrs.field(validator=v.non_empty_str)
    actor: str = attrs.field(validator=v.non_empty_str)
    at: datetime = attrs.field(validator=v.aware_datetime, eq=v.since_epoch)
    reason: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


@attrs.frozen(kw_only=True)
class FactChange:
    """The event of a fact command: one fact of the fault changed from ``before`` to ``after``.

    Attributes:
        fact: the fact changed (``"severity"``, ``"verification"``, ``"actions"``...;
            see :data:`faultkit.lifecycle.FACTS`).
        command: the command that changed it (``"set_severity"``, or the trigger of
            a reopen that voided it).
        actor: the id of the person who gave the command.
        at: when (timezone-aware; never earlier than the previous event nor than the
            report).
        before: the fact's value before (for ``"actions"``: every action of the
            fault before the command).
        after: the fact's value after.
        reason: why, in words, if given (an override of severity or priority needs one).
    """

    fact: str = attrs.field(validator=v.non_empty_str)
    command: str = attrs.field(validator=v.non_empty_str)
    actor: str = attrs.field(validator=v.non_empty_str)
    at: datetime = attrs.field(validator=v.aware_datetime, eq=v.since_epoch)
    before: Any = None
    after: Any = None
    reason: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


@attrs.frozen(kw_only=True)
class Comment:
    """The event of a comment (seen by the reporter) or a work note (staff only).

    Attributes:
        actor: the id of the author.
        at: when (timezone-aware).
        text: the comment; not blank.
        work_note: ``True`` for an internal work note, ``False`` for a comment.
    """

    actor: str = attrs.field(validator=v.non_empty_str)
    at: datetime = attrs.field(validator=v.aware_datetime, eq=v.since_epoch)
    text: str = attrs.field(validator=v.non_empty_str)
    work_note: bool = attrs.field(default=False, validator=v.is_bool)


FaultEvent = TransitionRecord | FactChange | Comment
"""Any event of a fault's stream."""


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

    recorded_at: datetime = attrs.field(validator=v.aware_datetime, eq=v.since_epoch)
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
    """The check that a fix works, made after it was resolved (ISO 9001 10.2, 8D D6).

    Attributes:
        effective: the fix was found effective.
        verified_at: when it was checked (timezone-aware).
        verified_by: the id of the person who checked it.
        note: how it was checked, if said.
        evidence: references to what shows it (test run, log excerpt, customer
            confirmation); closure needs at least one.
    """

    effective: bool = attrs.field(validator=v.is_bool)
    verified_at: datetime = attrs.field(validator=v.aware_datetime, eq=v.since_epoch)
    verified_by: str = attrs.field(validator=v.non_empty_str)
    note: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    evidence: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )


@attrs.frozen(kw_only=True)
class Notice:
    """A result notice sent to one person (procedure part 5: tell the customer the outcome).

    Attributes:
        recipient: the id of the person told (the reporter, or a feedback author).
        at: when it was sent (timezone-aware).
        channel: how (``"email"``, ``"hotline"``...), if said.
    """

    recipient: str = attrs.field(validator=v.non_empty_str)
    at: datetime = attrs.field(validator=v.aware_datetime, eq=v.since_epoch)
    channel: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


@attrs.frozen(kw_only=True)
class FeedbackLink:
    """A customer feedback item linked to the fault: its author is owed the result notice.

    Attributes:
        feedback_id: the feedback item's id.
        author: the id of the customer who gave it.
    """

    feedback_id: str = attrs.field(validator=v.non_empty_str)
    author: str = attrs.field(validator=v.non_empty_str)


@attrs.frozen(kw_only=True)
class Diagnosis:
    """The initial diagnosis of a fault (procedure part 2).

    Attributes:
        cause: the cause category (hardware, software defect, user operation,
            environment), once known.
        impact: the impact assessment (scope, interruption, data loss, safety,
            security, regulatory, business operations), once made; severity and
            priority are derived from it (:func:`faultkit.scoring.assess_severity`,
            :func:`faultkit.scoring.impact_level`).
        expected_duration: how long the fault is expected to last, if predicted
            (:func:`faultkit.scoring.predict_duration`).
        notes: what the initial diagnosis looked at (information, software logs,
            visual hardware check), in words.
    """

    cause: CauseCategory | None = attrs.field(
        default=None, validator=v.optional_member_of(CauseCategory)
    )
    impact: ImpactAssessment | None = attrs.field(
        default=None, validator=v.optional_instance(ImpactAssessment)
    )
    expected_duration: timedelta | None = attrs.field(
        default=None, validator=v.optional_non_negative_timedelta
    )
    notes: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)

    def __attrs_post_init__(self) -> None:
        if (
            self.cause is None
            and self.impact is None
            and self.expected_duration is None
            and self.notes is None
        ):
            raise InvalidInputError(
                "cause", None, "a diagnosis records a cause, an impact, a duration or notes"
            )
