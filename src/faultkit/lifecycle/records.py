"""The values the fault case records for links and major incidents (issue 19).

Frozen records, held as facts of a :class:`~faultkit.lifecycle.Fault` and written
in its events like :class:`~faultkit.lifecycle.Containment` or
:class:`~faultkit.lifecycle.Verification`:

- :class:`ChangeLink`: the change that caused or fixed the fault (ITIL 4 change
  enablement: a failed change is a common cause of incidents, and the fix ships as a
  change);
- :class:`MajorIncident`: the fault was declared a major incident, automatically by
  its severity or by hand with a reason;
- :class:`StakeholderUpdate`: an update sent to the stakeholders of a major incident;
- :class:`PostIncidentReview`: the review held after a major incident (PagerDuty and
  Google SRE "postmortem"), required before closure.
"""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError

__all__ = [
    "ChangeLink",
    "ChangeRelation",
    "MajorIncident",
    "PostIncidentReview",
    "StakeholderUpdate",
]


class ChangeRelation(enum.StrEnum):
    """How a change relates to a fault."""

    CAUSED_BY = "caused_by"
    """The fault was caused by the change (a failed change)."""
    FIXED_BY = "fixed_by"
    """The fault is fixed by the change."""


@attrs.frozen(kw_only=True)
class ChangeLink:
    """A change (a change request, a release, a merge) linked to the fault.

    Attributes:
        change_ref: the change's reference in its own system (``"CHG0030012"``); not blank.
        relation: caused by or fixed by.
        note: what the link means, if said.
    """

    change_ref: str = attrs.field(validator=v.non_empty_str)
    relation: ChangeRelation = attrs.field(validator=v.member_of(ChangeRelation))
    note: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


@attrs.frozen(kw_only=True)
class MajorIncident:
    """The declaration that a fault is a major incident.

    Attributes:
        declared_at: when (timezone-aware).
        declared_by: the id of the person who declared it (for an automatic
            declaration: who fired the trigger that made it).
        reason: why; an automatic declaration names the severity and the policy.
        automatic: declared by the lifecycle's major-incident policy (by severity),
            not by hand.
    """

    declared_at: datetime = attrs.field(validator=v.aware_datetime)
    declared_by: str = attrs.field(validator=v.non_empty_str)
    reason: str = attrs.field(validator=v.non_empty_str)
    automatic: bool = attrs.field(default=False, validator=v.is_bool)


@attrs.frozen(kw_only=True)
class StakeholderUpdate:
    """An update sent to the stakeholders of a major incident.

    Attributes:
        at: when it was sent (timezone-aware).
        by: the id of the person who sent it.
        summary: what it said; not blank.
        audience: who it went to (``"customers"``, ``"executives"``), if said.
    """

    at: datetime = attrs.field(validator=v.aware_datetime)
    by: str = attrs.field(validator=v.non_empty_str)
    summary: str = attrs.field(validator=v.non_empty_str)
    audience: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)


@attrs.frozen(kw_only=True)
class PostIncidentReview:
    """The review held after a major incident (a postmortem), required before closure.

    Attributes:
        held_at: when it was held (timezone-aware).
        participants: the ids of who took part; at least one.
        summary: what was learnt; not blank.
        analysis_ref: the id of the root-cause analysis (or problem) it refers to, if any.
    """

    held_at: datetime = attrs.field(validator=v.aware_datetime)
    participants: tuple[str, ...] = attrs.field(
        converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    summary: str = attrs.field(validator=v.non_empty_str)
    analysis_ref: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)

    def __attrs_post_init__(self) -> None:
        if not self.participants:
            raise InvalidInputError(
                "participants", self.participants, "a review names who took part"
            )
