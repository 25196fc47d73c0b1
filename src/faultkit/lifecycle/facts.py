"""The facts of a fault: the table of what a :class:`~faultkit.lifecycle.FactChange` may name.

Each row says the fact's type (for the codec), its initial value (before any event
changes it) and its check (run on every value an event brings, when a command is
given and when a stream is replayed). :class:`~faultkit.lifecycle.Fault` keeps one
slot per fact; :data:`FACT_COMMANDS` names the command that changes each, for the
error that refuses plain assignment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from faultkit.errors import MISSING, InvalidInputError
from faultkit.lifecycle.events import (
    Containment,
    Diagnosis,
    FeedbackLink,
    Notice,
    Verification,
)
from faultkit.lifecycle.protocols import RootCauseAnalysis
from faultkit.lifecycle.records import (
    ChangeLink,
    MajorIncident,
    PostIncidentReview,
    StakeholderUpdate,
)
from faultkit.models import Assignee, Severity
from faultkit.rca.actions import Action

__all__ = ["FACTS", "FACT_COMMANDS", "check_fact", "initial_value"]


def _check_priority(value: Any) -> str | None:
    if value is None or (type(value) is int and 1 <= value <= 5):
        return None
    return "expected a priority number from 1 (highest) to 5"


def _instance_or_none(cls: type[Any]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value is None or isinstance(value, cls) else f"expected a {cls.__name__}"

    return check


def _tuple_of(cls: type[Any]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if type(value) is tuple and all(isinstance(item, cls) for item in value):
            return None
        return f"expected a tuple of {cls.__name__}"

    return check


def _check_severity(value: Any) -> str | None:
    return None if value is None or type(value) is Severity else "expected a Severity"


def _check_analysis(value: Any) -> str | None:
    if value is None or isinstance(value, RootCauseAnalysis):
        return None
    return "expected a root-cause analysis (with incomplete_reasons() and has_corrective_action())"


def _check_bool(value: Any) -> str | None:
    return None if type(value) is bool else "expected true or false"


def _check_time(value: Any) -> str | None:
    if value is None or (isinstance(value, datetime) and value.utcoffset() is not None):
        return None
    return "expected a timezone-aware date-time"


def _check_id(value: Any) -> str | None:
    if value is None or (type(value) is str and value.strip()):
        return None
    return "expected a non-blank id"


def _check_text(value: Any) -> str | None:
    if value is None or (type(value) is str and value.strip()):
        return None
    return "expected a non-blank text"


def _check_ids(value: Any) -> str | None:
    if type(value) is tuple and all(type(item) is str and item.strip() for item in value):
        return None
    return "expected a tuple of non-blank ids"


_TABLE: dict[str, tuple[Any, Any, Callable[[Any], str | None]]] = {
    # fact: (type for the codec, initial value, check of a value)
    "severity": (Severity | None, None, _check_severity),
    "priority": (int | None, None, _check_priority),
    "assignee": (Assignee | None, None, _instance_or_none(Assignee)),
    "diagnosis": (Diagnosis | None, None, _instance_or_none(Diagnosis)),
    "containment": (Containment | None, None, _instance_or_none(Containment)),
    "analysis": (RootCauseAnalysis | None, None, _check_analysis),
    "actions": (tuple[Action, ...], (), _tuple_of(Action)),
    "verification": (Verification | None, None, _instance_or_none(Verification)),
    "notices": (tuple[Notice, ...], (), _tuple_of(Notice)),
    "feedback": (tuple[FeedbackLink, ...], (), _tuple_of(FeedbackLink)),
    "maintenance_docs_updated": (bool, False, _check_bool),
    "duplicate_of": (str | None, None, _check_id),
    "closed_at": (datetime | None, None, _check_time),
    # Links and major incidents (issue 19).
    "problem_id": (str | None, None, _check_id),
    "resolution_note": (str | None, None, _check_text),
    "duplicates": (tuple[str, ...], (), _check_ids),
    "changes": (tuple[ChangeLink, ...], (), _tuple_of(ChangeLink)),
    "major_incident": (MajorIncident | None, None, _instance_or_none(MajorIncident)),
    "stakeholder_updates": (tuple[StakeholderUpdate, ...], (), _tuple_of(StakeholderUpdate)),
    "post_incident_review": (
        PostIncidentReview | None,
        None,
        _instance_or_none(PostIncidentReview),
    ),
}

FACTS: Mapping[str, Any] = MappingProxyType({name: row[0] for name, row in _TABLE.items()})
"""Each fact a :class:`FactChange` may name, with the type of its values."""


def initial_value(fact: str) -> Any:
    """The value ``fact`` has before any event changes it (``None``, ``()`` or ``False``).

    Raises:
        InvalidInputError: ``fact`` is not a fact of a fault.
    """
    row = _TABLE.get(fact)
    if row is None:
        raise InvalidInputError(fact, MISSING, f"not a fact of a fault ({', '.join(_TABLE)})")
    return row[1]


def check_fact(fact: str, value: Any) -> str | None:
    """What is wrong with ``value`` as a value of ``fact`` (``None`` when it is valid).

    Raises:
        KeyError: ``fact`` is not a fact of a fault (callers check with :data:`FACTS`).
    """
    return _TABLE[fact][2](value)


FACT_COMMANDS: Mapping[str, str] = MappingProxyType(
    {
        "severity": "set_severity",
        "priority": "set_priority",
        "assignee": "assign",
        "diagnosis": "diagnose",
        "containment": "contain",
        "analysis": "attach_analysis",
        "actions": "add_action or fault.advance_action",
        "verification": "record_verification",
        "notices": "record_notice",
        "feedback": "link_feedback",
        "maintenance_docs_updated": "mark_docs_updated",
        "duplicate_of": "mark_duplicate_of",
        "problem_id": "link_problem",
        "resolution_note": "record_resolution_note",
        "duplicates": "Lifecycle.merge",
        "changes": "link_change",
        "major_incident": "declare_major_incident",
        "stakeholder_updates": "record_stakeholder_update",
        "post_incident_review": "record_post_incident_review",
    }
)
"""The command that changes each fact (plain assignment's error names it)."""
