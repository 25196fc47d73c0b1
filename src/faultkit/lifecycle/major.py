"""Major incidents: which faults are declared one, and when stakeholders are owed an update.

A major incident (ITIL 4 incident management; PagerDuty's incident response) is a
fault whose impact calls for its own handling: a declaration, stakeholder updates at
a set cadence while it is open, and a post-incident review before it closes. The
:class:`MajorIncidentPolicy` is data: the severities declared automatically, and the
update cadence by severity. :class:`~faultkit.lifecycle.Lifecycle` takes it as
``major_incidents=``: on every transition into an active state (accept into
diagnosis, contain, start analysis...), a fault whose severity the policy declares
automatically and that is not yet a major incident is declared one, as an event of
its own. Anyone may declare one by hand with a reason
(:meth:`Fault.declare_major_incident <faultkit.lifecycle.Fault.declare_major_incident>`).

The default cadence (every 30 minutes for SEV1, every hour otherwise) follows
PagerDuty's incident response guide (status updates "every 20-30 minutes" for a major
incident) and ServiceNow's major incident communication plans.

:func:`stakeholder_updates_due` is a pure function of the fault and ``now``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.lifecycle.fault import Fault
from faultkit.lifecycle.workflow import StateCategory, Workflow
from faultkit.models import Severity

__all__ = [
    "DEFAULT_MAJOR_INCIDENT_POLICY",
    "MajorIncidentPolicy",
    "UpdatesDue",
    "stakeholder_updates_due",
]


def _severities(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(value)
    return value


def _check_severities(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, frozenset) or any(type(s) is not Severity for s in value):
        raise InvalidInputError(attribute.name, value, "expected a set of Severity")


def _cadence_table(value: Any) -> Any:
    return MappingProxyType(dict(value)) if isinstance(value, Mapping) else value


def _positive(name: str, value: Any) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise InvalidInputError(name, value, "expected a positive timedelta")


def _check_cadence(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Mapping):
        raise InvalidInputError(attribute.name, value, "expected a table of severity -> cadence")
    for severity, every in value.items():
        if type(severity) is not Severity:
            raise InvalidInputError(f"{attribute.name}.{severity}", severity, "expected a Severity")
        _positive(f"{attribute.name}.{severity.name}", every)


def _check_default(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _positive(attribute.name, value)


@attrs.frozen(kw_only=True)
class MajorIncidentPolicy:
    """Which faults become major incidents by severity, and how often stakeholders hear.

    Attributes:
        automatic: the severities declared a major incident automatically.
        cadence: how often a major incident of each severity owes its stakeholders an
            update.
        default_cadence: the cadence of a severity the table does not name (and of a
            fault declared by hand with no severity).
    """

    automatic: frozenset[Severity] = attrs.field(
        default=frozenset({Severity.SEV1}), converter=_severities, validator=_check_severities
    )
    cadence: Mapping[Severity, timedelta] = attrs.field(
        factory=lambda: {Severity.SEV1: timedelta(minutes=30)},
        converter=_cadence_table,
        validator=_check_cadence,
    )
    default_cadence: timedelta = attrs.field(default=timedelta(hours=1), validator=_check_default)

    def cadence_for(self, severity: Severity | None) -> timedelta:
        """How often a major incident of ``severity`` owes an update."""
        if severity is None:
            return self.default_cadence
        return self.cadence.get(severity, self.default_cadence)

    def to_dict(self) -> dict[str, Any]:
        """The policy as plain data: severities by name, cadences in minutes."""
        return {
            "automatic": sorted(s.name for s in self.automatic),
            "cadence_minutes": {s.name: d / timedelta(minutes=1) for s, d in self.cadence.items()},
            "default_cadence_minutes": self.default_cadence / timedelta(minutes=1),
        }

    @classmethod
    def from_dict(cls, data: Any) -> MajorIncidentPolicy:
        """Read a policy written by :meth:`to_dict` (or by hand in TOML / JSON).

        Raises:
            InvalidInputError: naming the key path (``cadence_minutes.SEV2``) and the value.
        """
        if not isinstance(data, Mapping):
            raise InvalidInputError("", data, "expected a table")
        known = ("automatic", "cadence_minutes", "default_cadence_minutes")
        extra = sorted(str(k) for k in data if k not in known)
        if extra:
            raise InvalidInputError(extra[0], data[extra[0]], "unknown key of the policy")
        names = [s.name for s in Severity]
        automatic = data.get("automatic", ["SEV1"])
        if not isinstance(automatic, list):
            raise InvalidInputError("automatic", automatic, "expected a list of severities")
        for i, name in enumerate(automatic):
            if name not in names:
                raise InvalidInputError(f"automatic[{i}]", name, f"not one of {', '.join(names)}")
        cadence = data.get("cadence_minutes", {"SEV1": 30})
        if not isinstance(cadence, Mapping):
            raise InvalidInputError("cadence_minutes", cadence, "expected severity -> minutes")
        table = {}
        for name, minutes in cadence.items():
            if name not in names:
                raise InvalidInputError(
                    f"cadence_minutes.{name}", name, f"not one of {', '.join(names)}"
                )
            table[Severity[name]] = _minutes(f"cadence_minutes.{name}", minutes)
        default = _minutes("default_cadence_minutes", data.get("default_cadence_minutes", 60))
        return cls(
            automatic=frozenset(Severity[n] for n in automatic),
            cadence=table,
            default_cadence=default,
        )


def _minutes(path: str, value: Any) -> timedelta:
    if type(value) not in (int, float) or not 0 < value < 10**7:
        raise InvalidInputError(path, value, "expected a positive number of minutes")
    return timedelta(minutes=value)


DEFAULT_MAJOR_INCIDENT_POLICY = MajorIncidentPolicy()
"""SEV1 declared automatically; updates every 30 minutes for SEV1, every hour otherwise."""


@attrs.frozen(kw_only=True)
class UpdatesDue:
    """Where a major incident's stakeholder updates stand at ``now``.

    Attributes:
        due_at: when the next update is due: the last update (or the declaration)
            plus the cadence; ``None`` when none is owed (not a major incident, or
            resolved or closed).
        overdue: ``now`` is past ``due_at``.
        overdue_by: how far past (zero when not overdue).
        cadence: the cadence that applies.
    """

    due_at: datetime | None = attrs.field(validator=v.optional_aware_datetime)
    overdue: bool = attrs.field(validator=v.is_bool)
    overdue_by: timedelta
    cadence: timedelta


def stakeholder_updates_due(
    fault: Fault,
    now: datetime,
    *,
    policy: MajorIncidentPolicy = DEFAULT_MAJOR_INCIDENT_POLICY,
    workflow: Workflow | None = None,
) -> UpdatesDue:
    """When the next stakeholder update of a major incident is due at ``now``, and if overdue.

    Rule: ``due_at = (last update or the declaration) + policy.cadence_for(severity)``;
    overdue when ``now > due_at``. Nothing is owed by a fault that is not a major
    incident, nor once it is closed (``closed_at``) or, given its ``workflow``, in a
    resolved state (service is restored: the review takes over).

    Raises:
        InvalidInputError: ``now`` is naive, or ``fault`` is not a Fault.
    """
    if not isinstance(fault, Fault):
        raise InvalidInputError("fault", fault, "expected a Fault")
    v.check_aware("now", now)
    cadence = policy.cadence_for(fault.severity)
    declared = fault.major_incident
    done = fault.closed_at is not None or (
        workflow is not None
        and fault.state in workflow.state_names
        and workflow.state(fault.state).category in (StateCategory.RESOLVED, StateCategory.CLOSED)
    )
    if declared is None or done:
        return UpdatesDue(due_at=None, overdue=False, overdue_by=timedelta(0), cadence=cadence)
    updates = fault.stakeholder_updates
    last = updates[-1].at if updates else declared.declared_at
    due_at = last + cadence
    late = now - due_at
    return UpdatesDue(
        due_at=due_at,
        overdue=late > timedelta(0),
        overdue_by=max(late, timedelta(0)),
        cadence=cadence,
    )
