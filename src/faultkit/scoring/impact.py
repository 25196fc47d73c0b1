"""The impact assessment: the facts about a fault's reach from which severity is derived.

Every fact is ordered from harmless to worst, so "making a fact worse" has a meaning
and severity can be shown never to drop when one does (see
:mod:`faultkit.scoring.severity`).
"""

from __future__ import annotations

import enum
from datetime import timedelta

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.models import ImpactScope
from faultkit.scoring.matrix import Impact

__all__ = [
    "SCOPE_ORDER",
    "DataLoss",
    "ImpactAssessment",
    "ServiceInterruption",
    "impact_level",
]


class ServiceInterruption(enum.StrEnum):
    """How much of the service stopped working (worst last)."""

    NONE = "none"
    """The service works as usual."""
    DEGRADED = "degraded"
    """It works, slower or with errors."""
    PARTIAL_OUTAGE = "partial_outage"
    """Some functions or some users cannot use it."""
    FULL_OUTAGE = "full_outage"
    """Nobody in scope can use it."""

    @property
    def rank(self) -> int:
        """0 (none) ... 3 (full outage)."""
        return _INTERRUPTION_RANK[self]


class DataLoss(enum.StrEnum):
    """Whether data was lost (worst last)."""

    NONE = "none"
    """No data lost."""
    RECOVERABLE = "recoverable"
    """Lost but recoverable: from backups, replicas or the source."""
    PERMANENT = "permanent"
    """Lost for good."""

    @property
    def rank(self) -> int:
        """0 (none) ... 2 (permanent)."""
        return _DATA_LOSS_RANK[self]


SCOPE_ORDER: tuple[ImpactScope, ...] = (
    ImpactScope.SINGLE_USER,
    ImpactScope.USER_GROUP,
    ImpactScope.SITE_OR_REGION,
    ImpactScope.WHOLE_SYSTEM,
)
"""Impact scopes from the narrowest to the widest."""

_SCOPE_RANK = {scope: rank for rank, scope in enumerate(SCOPE_ORDER)}
_INTERRUPTION_RANK = {member: rank for rank, member in enumerate(ServiceInterruption)}
_DATA_LOSS_RANK = {member: rank for rank, member in enumerate(DataLoss)}


def scope_rank(scope: ImpactScope) -> int:
    """0 (single user) ... 3 (whole system)."""
    return _SCOPE_RANK[scope]


@attrs.frozen(kw_only=True)
class ImpactAssessment:
    """What a fault does to the business, as facts; severity is derived from them.

    Attributes:
        scope: how far it reaches, from one user to the whole system.
        interruption: how much of the service stopped: none, degraded, partial or full
            outage.
        data_loss: none, recoverable or permanent.
        users_affected: how many users are affected, if known; not negative.
        user_base: how many users there are in all, if known; at least 1 and at least
            ``users_affected``. With both, :attr:`user_share` is known.
        safety: a risk to someone's health or safety.
        security: a security exposure (confidentiality, integrity, access).
        regulatory: a breach of a regulation or a contractual obligation.
        business_operations: a critical business function (sales, production,
            payroll...) is stopped or at risk.
        workaround_available: users can work around it for now.
        expected_duration: how long it is expected to last, if estimated (see
            :func:`faultkit.scoring.predict_duration`); not negative.
    """

    scope: ImpactScope = attrs.field(validator=v.member_of(ImpactScope))
    interruption: ServiceInterruption = attrs.field(
        default=ServiceInterruption.NONE, validator=v.member_of(ServiceInterruption)
    )
    data_loss: DataLoss = attrs.field(default=DataLoss.NONE, validator=v.member_of(DataLoss))
    users_affected: int | None = attrs.field(default=None, validator=v.optional_non_negative_int)
    user_base: int | None = attrs.field(default=None, validator=v.optional_non_negative_int)
    safety: bool = attrs.field(default=False, validator=v.is_bool)
    security: bool = attrs.field(default=False, validator=v.is_bool)
    regulatory: bool = attrs.field(default=False, validator=v.is_bool)
    business_operations: bool = attrs.field(default=False, validator=v.is_bool)
    workaround_available: bool = attrs.field(default=False, validator=v.is_bool)
    expected_duration: timedelta | None = attrs.field(
        default=None, validator=v.optional_non_negative_timedelta
    )

    def __attrs_post_init__(self) -> None:
        if self.user_base is not None:
            if self.user_base == 0:
                raise InvalidInputError("user_base", 0, "must be at least 1 when given")
            if self.users_affected is not None and self.users_affected > self.user_base:
                raise InvalidInputError(
                    "users_affected",
                    self.users_affected,
                    f"more users affected than the user base ({self.user_base})",
                )

    @property
    def user_share(self) -> float | None:
        """``users_affected / user_base`` (0-1) when both are known, else ``None``."""
        if self.users_affected is None or self.user_base is None:
            return None
        return self.users_affected / self.user_base


_HIGH_SCOPES = frozenset({ImpactScope.SITE_OR_REGION, ImpactScope.WHOLE_SYSTEM})


def impact_level(facts: ImpactAssessment) -> Impact:
    """The priority matrix's impact level of an impact assessment (ITIL / ServiceNow).

    The rule (ServiceNow's impact definitions, :class:`~faultkit.scoring.Impact`):

    - **1 High**: a site or region or the whole system is affected, or the service is
      fully down, or data is lost for good, or there is a safety, security or
      regulatory risk, or a critical business function is stopped;
    - **2 Medium**: a group of users is affected, or part of the service is down, or
      data is lost but recoverable;
    - **3 Low**: otherwise (one user, degraded or no interruption, no data lost).

    A workaround does not lower the impact (it lowers the urgency). Making any fact
    worse never lowers the level (a property test checks it).

    >>> impact_level(ImpactAssessment(scope=ImpactScope.SINGLE_USER))
    <Impact.LOW: 3>
    """
    if not isinstance(facts, ImpactAssessment):
        raise InvalidInputError("facts", facts, "expected an ImpactAssessment")
    if (
        facts.scope in _HIGH_SCOPES
        or facts.interruption is ServiceInterruption.FULL_OUTAGE
        or facts.data_loss is DataLoss.PERMANENT
        or facts.safety
        or facts.security
        or facts.regulatory
        or facts.business_operations
    ):
        return Impact.HIGH
    if (
        facts.scope is ImpactScope.USER_GROUP
        or facts.interruption is ServiceInterruption.PARTIAL_OUTAGE
        or facts.data_loss is DataLoss.RECOVERABLE
    ):
        return Impact.MEDIUM
    return Impact.LOW
