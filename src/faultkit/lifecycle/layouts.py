"""The field layouts of the records the fast codecs write and build slot by slot.

:mod:`~faultkit.lifecycle.fastwrite` reads a record's fields by name and
:mod:`~faultkit.lifecycle.fastread` sets its slots directly (no validators run twice).
Both rely on the layouts below, written once here: a record whose fields no longer
match (a field added, renamed or moved) turns its fast path off (:data:`FAST_EVENTS`,
:data:`FAST_REPORT`), and the codecs take the general way through
:func:`faultkit.serialization.to_dict` / ``from_dict``.
"""

from __future__ import annotations

from typing import Any

import attrs

from faultkit.lifecycle.events import Comment, FactChange, TransitionRecord
from faultkit.models import FaultReport, Reporter

__all__ = [
    "COMMENT_FIELDS",
    "FACT_FIELDS",
    "FAST_EVENTS",
    "FAST_REPORT",
    "REPORTER_FIELDS",
    "REPORT_FIELDS",
    "TRANSITION_FIELDS",
    "fields_are",
]

COMMENT_FIELDS = ("actor", "at", "text", "work_note")
"""The fields of :class:`~faultkit.lifecycle.Comment`, in order."""
TRANSITION_FIELDS = ("from_state", "to_state", "trigger", "actor", "at", "reason")
"""The fields of :class:`~faultkit.lifecycle.TransitionRecord`, in order."""
FACT_FIELDS = ("fact", "command", "actor", "at", "before", "after", "reason")
"""The fields of :class:`~faultkit.lifecycle.FactChange`, in order."""
REPORT_FIELDS = (
    "id",
    "title",
    "description",
    "observed_at",
    "reported_at",
    "reporter",
    "channel",
    "product",
    "component",
    "version",
    "frequency",
    "impact_scope",
    "affected_users",
    "steps",
    "environment",
    "error_codes",
    "attachments",
    "preliminary_cause",
    "suggested_fix",
    "urgency",
)
"""The fields of :class:`~faultkit.models.FaultReport`, in order."""
REPORTER_FIELDS = ("id", "name", "email", "is_customer", "organisation")
"""The fields of :class:`~faultkit.models.Reporter`, in order."""


def fields_are(cls: type[Any], names: tuple[str, ...]) -> bool:
    """Whether ``names`` are exactly the fields of the attrs class ``cls``, in order."""
    return tuple(field.name for field in attrs.fields(cls)) == names


FAST_EVENTS = (
    fields_are(Comment, COMMENT_FIELDS)
    and fields_are(TransitionRecord, TRANSITION_FIELDS)
    and fields_are(FactChange, FACT_FIELDS)
)
"""Whether the event records have the layouts above (else events go the general way)."""
FAST_REPORT = fields_are(FaultReport, REPORT_FIELDS) and fields_are(Reporter, REPORTER_FIELDS)
"""Whether the report and reporter have the layouts above (else the general way)."""
