"""Corrective and preventive actions (CAPA), with verification and an effectiveness check.

An action names the root causes (or risk items) it addresses, its kind, owner and due
date, and moves through ``planned -> in_progress -> done -> verified_effective`` or
``ineffective``. Completing an action starts a clock: an effectiveness check ("did
the fault recur?") falls due ``effectiveness_check_days`` after completion. An
ineffective action reopens the question: the analysis it belongs to becomes
incomplete again (see :meth:`faultkit.rca.Analysis.incomplete_reasons`).

Nothing here reads the clock: pass ``now`` / ``at``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.models import Person

__all__ = [
    "Action",
    "ActionKind",
    "ActionStatus",
    "DocumentKind",
    "documentation_updated",
    "effectiveness_checks_due",
    "overdue_actions",
]


class ActionKind(enum.StrEnum):
    """What an action does."""

    CORRECTIVE = "corrective"
    """Removes a root cause of a fault that happened."""
    PREVENTIVE = "preventive"
    """Removes the cause of a fault that could happen (from the risk register)."""
    DOCUMENTATION_UPDATE = "documentation_update"
    """Updates the maintenance documentation or the operating manual."""
    TRAINING = "training"
    """Trains staff (see :mod:`faultkit.rca.training`)."""


class DocumentKind(enum.StrEnum):
    """Which documentation a documentation update changes."""

    MAINTENANCE_DOCS = "maintenance_docs"
    OPERATING_MANUAL = "operating_manual"


class ActionStatus(enum.StrEnum):
    """Where an action stands."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    """Carried out; its effectiveness is not known yet."""
    VERIFIED_EFFECTIVE = "verified_effective"
    """Verified: the fault did not recur."""
    INEFFECTIVE = "ineffective"
    """Verified: the fault recurred, or the cause is still there."""


OPEN_STATUSES = frozenset({ActionStatus.PLANNED, ActionStatus.IN_PROGRESS})
_COMPLETED = frozenset(
    {ActionStatus.DONE, ActionStatus.VERIFIED_EFFECTIVE, ActionStatus.INEFFECTIVE}
)
_VERIFIED = frozenset({ActionStatus.VERIFIED_EFFECTIVE, ActionStatus.INEFFECTIVE})


def _check_days(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.non_negative_int(_inst, attribute, value)
    if value > 36_600:
        raise InvalidInputError(attribute.name, value, "must be at most 36600 days")


@attrs.frozen(kw_only=True)
class Action:
    """A corrective or preventive action.

    Attributes:
        id: identifier; not blank.
        title: what is to be done; not blank.
        kind: corrective, preventive, documentation update or training.
        addresses: ids of the root causes (five-whys steps) or risk items it addresses.
        owner: who is responsible, if assigned.
        due: when it must be done (timezone-aware), if set.
        status: where it stands.
        document: for a documentation update, which documentation.
        completed_at: when it was done (required from ``done`` on).
        verification_method: how effectiveness is (to be) verified.
        verification_result: what verification found (required once verified).
        verified_at: when it was verified (required once verified).
        effectiveness_check_days: days after completion when the effectiveness
            check falls due.

    Raises:
        InvalidInputError: a field has the wrong type, or the fields disagree with
            the status (a completed action without ``completed_at`` ...).
    """

    id: str = attrs.field(validator=v.non_empty_str)
    title: str = attrs.field(validator=v.non_empty_str)
    kind: ActionKind = attrs.field(validator=v.member_of(ActionKind))
    addresses: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    owner: Person | None = attrs.field(default=None, validator=v.optional_instance(Person))
    due: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    status: ActionStatus = attrs.field(
        default=ActionStatus.PLANNED, validator=v.member_of(ActionStatus)
    )
    document: DocumentKind | None = attrs.field(
        default=None, validator=v.optional_member_of(DocumentKind)
    )
    completed_at: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    verification_method: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    verification_result: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    verified_at: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    effectiveness_check_days: int = attrs.field(default=30, validator=_check_days)

    def __attrs_post_init__(self) -> None:
        if (self.kind is ActionKind.DOCUMENTATION_UPDATE) != (self.document is not None):
            raise InvalidInputError(
                "document",
                self.document,
                "a documentation update names its document; other kinds leave it empty",
            )
        completed = self.status in _COMPLETED
        if completed != (self.completed_at is not None):
            raise InvalidInputError(
                "completed_at",
                self.completed_at,
                f"must be set exactly when the action is done (status {self.status.value})",
            )
        verified = self.status in _VERIFIED
        if verified != (self.verified_at is not None):
            raise InvalidInputError(
                "verified_at",
                self.verified_at,
                f"must be set exactly when the action is verified (status {self.status.value})",
            )
        if verified and self.verification_result is None:
            raise InvalidInputError(
                "verification_result", None, "a verified action records what was found"
            )
        if (
            self.verified_at is not None
            and self.completed_at is not None
            and self.verified_at < self.completed_at
        ):
            raise InvalidInputError(
                "verified_at", self.verified_at, "must not be before completed_at"
            )

    # ------------------------------------------------------------------ state changes

    def start(self) -> Action:
        """A copy in progress.

        Raises:
            InvalidInputError: the action is not planned.
        """
        if self.status is not ActionStatus.PLANNED:
            raise InvalidInputError("status", self.status, "only a planned action can start")
        return attrs.evolve(self, status=ActionStatus.IN_PROGRESS)

    def complete(self, at: datetime) -> Action:
        """A copy done at ``at``; its effectiveness check now has a due date.

        Raises:
            InvalidInputError: the action is already done, or ``at`` is naive.
        """
        v.check_aware("at", at)
        if self.status not in OPEN_STATUSES:
            raise InvalidInputError(
                "status", self.status, "only a planned or in-progress action can be completed"
            )
        return attrs.evolve(self, status=ActionStatus.DONE, completed_at=at)

    def verify(
        self, *, effective: bool, at: datetime, result: str, method: str | None = None
    ) -> Action:
        """A copy verified at ``at``: effective, or ineffective (the question reopens).

        Args:
            effective: whether the fault stayed away.
            at: when it was verified (timezone-aware, not before completion).
            result: what verification found.
            method: how it was verified (keeps the planned method when ``None``).

        Raises:
            InvalidInputError: the action is not done, or a value is invalid.
        """
        if self.status is not ActionStatus.DONE:
            raise InvalidInputError("status", self.status, "only a done action can be verified")
        v.check_aware("at", at)
        return attrs.evolve(
            self,
            status=ActionStatus.VERIFIED_EFFECTIVE if effective else ActionStatus.INEFFECTIVE,
            verified_at=at,
            verification_result=result,
            verification_method=self.verification_method if method is None else method,
        )

    # ------------------------------------------------------------------ dates

    def is_overdue(self, now: datetime) -> bool:
        """Whether the action is still open after its due date."""
        v.check_aware("now", now)
        return self.status in OPEN_STATUSES and self.due is not None and now > self.due

    @property
    def effectiveness_check_due(self) -> datetime | None:
        """When the effectiveness check falls due: completion plus the configured days."""
        if self.completed_at is None:
            return None
        return self.completed_at + timedelta(days=self.effectiveness_check_days)

    def effectiveness_check_pending(self, now: datetime) -> bool:
        """Whether the action is done, not yet verified, and its check is due by ``now``."""
        v.check_aware("now", now)
        due = self.effectiveness_check_due
        return self.status is ActionStatus.DONE and due is not None and now >= due


def overdue_actions(actions: Iterable[Action], now: datetime) -> tuple[Action, ...]:
    """The open actions past their due date at ``now``, earliest due first."""
    late = [a for a in actions if a.is_overdue(now)]
    return tuple(sorted(late, key=lambda a: a.due))  # type: ignore[arg-type,return-value]


def effectiveness_checks_due(actions: Iterable[Action], now: datetime) -> tuple[Action, ...]:
    """The done actions whose effectiveness check is due at ``now``, oldest first."""
    due = [a for a in actions if a.effectiveness_check_pending(now)]
    return tuple(sorted(due, key=lambda a: a.effectiveness_check_due))  # type: ignore[arg-type,return-value]


def documentation_updated(
    actions: Iterable[Action], document: DocumentKind = DocumentKind.MAINTENANCE_DOCS
) -> bool:
    """Whether one of ``actions`` updates ``document`` and is done (or verified effective).

    The fault's ``maintenance_docs_updated`` fact can be set from
    ``documentation_updated(fault.actions, DocumentKind.MAINTENANCE_DOCS)``.
    """
    return any(
        a.kind is ActionKind.DOCUMENTATION_UPDATE
        and a.document is document
        and a.status in (ActionStatus.DONE, ActionStatus.VERIFIED_EFFECTIVE)
        for a in actions
    )
