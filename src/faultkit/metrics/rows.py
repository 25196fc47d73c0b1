"""One row of an event log, the input of :func:`faultkit.metrics.handling_metrics`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.models import IntakeChannel, Severity
from faultkit.scoring import Priority

__all__ = ["EventRow"]


def _to_priority(value: Any) -> Any:
    """attrs converter: a plain int 1-5 becomes a :class:`Priority`."""
    if type(value) is int and 1 <= value <= 5:
        return Priority(value)
    return value


@attrs.frozen(kw_only=True)
class EventRow:
    """One row of an event log: a fault's state at a time, and its facts then.

    Attributes:
        incident: the fault (incident) id.
        label: the state label as exported (``"Awaiting User Info"``) or a state name;
            the workflow's label map turns it into a state.
        at: when the row was recorded (timezone-aware).
        opened_at: when the fault was opened, if the export says (read from the
            fault's first row; defaults to that row's ``at``).
        priority: the priority then (1 highest to 5), if known.
        severity: the severity then, if known.
        component: the component (or configuration item) at fault, if known.
        channel: the channel the fault came in through, if known.
        made_sla: the export's own flag that the SLA was made, if it has one (read
            from the fault's last row).
    """

    incident: str = attrs.field(validator=v.non_empty_str)
    label: str = attrs.field(validator=v.non_empty_str)
    at: datetime = attrs.field(validator=v.aware_datetime)
    opened_at: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    priority: Priority | None = attrs.field(
        default=None, converter=_to_priority, validator=v.optional_member_of(Priority)
    )
    severity: Severity | None = attrs.field(default=None, validator=v.optional_member_of(Severity))
    component: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    channel: IntakeChannel | None = attrs.field(
        default=None, validator=v.optional_member_of(IntakeChannel)
    )
    made_sla: bool | None = attrs.field(default=None, validator=v.optional_bool)
