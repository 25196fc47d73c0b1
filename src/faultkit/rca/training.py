"""Training records: who is trained on what, and until when.

A record pairs a :class:`~faultkit.models.Person` with a
:class:`~faultkit.models.Training` (product area and expiry), the same notion the
lifecycle's reviewer check uses through :class:`~faultkit.models.Reviewer`; a
register turns its records into reviewers with :meth:`TrainingRegister.reviewer`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.models import Person, Reviewer, Training

__all__ = ["TrainingRecord", "TrainingRegister"]


@attrs.frozen(kw_only=True)
class TrainingRecord:
    """One person's training in one product area.

    Attributes:
        person: who was trained.
        training: the product area and when it expires.
        completed_at: when the training was completed, if recorded.
    """

    person: Person = attrs.field(validator=v.instance(Person))
    training: Training = attrs.field(validator=v.instance(Training))
    completed_at: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)

    def __attrs_post_init__(self) -> None:
        expires = self.training.expires_at
        if self.completed_at is not None and expires is not None and expires <= self.completed_at:
            raise InvalidInputError("training.expires_at", expires, "must be after completed_at")

    def valid_at(self, at: datetime) -> bool:
        """Whether the training is valid at ``at`` (see :meth:`Training.valid_at`)."""
        return self.training.valid_at(at)


@attrs.frozen(kw_only=True)
class TrainingRegister:
    """Everyone's training records.

    Attributes:
        records: the records, in any order.
    """

    records: tuple[TrainingRecord, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.instance(TrainingRecord))
    )

    def with_record(self, record: TrainingRecord) -> TrainingRegister:
        """A copy with ``record`` added."""
        return TrainingRegister(records=(*self.records, record))

    def is_trained(self, person_id: str, product_area: str, at: datetime) -> bool:
        """Whether ``person_id`` holds a training for ``product_area`` valid at ``at``."""
        return any(
            r.person.id == person_id and r.training.product_area == product_area and r.valid_at(at)
            for r in self.records
        )

    def trained(self, product_area: str, at: datetime) -> tuple[Person, ...]:
        """The people trained for ``product_area`` at ``at``, each once, in record order."""
        people: dict[str, Person] = {}
        for r in self.records:
            if r.training.product_area == product_area and r.valid_at(at):
                people.setdefault(r.person.id, r.person)
        return tuple(people.values())

    def expiring(self, now: datetime, within: timedelta) -> tuple[TrainingRecord, ...]:
        """Records still valid at ``now`` that expire within ``within``, soonest first."""
        v.check_aware("now", now)
        end = now + within
        soon = [
            r
            for r in self.records
            if r.training.expires_at is not None and now < r.training.expires_at <= end
        ]
        return tuple(sorted(soon, key=lambda r: r.training.expires_at))  # type: ignore[arg-type,return-value]

    def expired(self, now: datetime) -> tuple[TrainingRecord, ...]:
        """Records no longer valid at ``now``."""
        return tuple(r for r in self.records if not r.valid_at(now))

    def reviewer(self, person_id: str) -> Reviewer:
        """The person as a :class:`~faultkit.models.Reviewer` carrying all their trainings.

        Raises:
            InvalidInputError: the register has no record for ``person_id``.
        """
        mine = [r for r in self.records if r.person.id == person_id]
        if not mine:
            raise InvalidInputError("person_id", person_id, "no training record for this person")
        person = mine[0].person
        return Reviewer(
            id=person.id,
            name=person.name,
            email=person.email,
            trainings=tuple(r.training for r in mine),
        )
