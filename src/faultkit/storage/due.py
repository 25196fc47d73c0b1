"""When a stored fault's resolution SLA falls due: the value "SLA due before T" queries read.

Stores keep it beside each fault, computed when the fault is saved, so the query is an
index range, not a pass over every fault. :class:`ResolutionDue` computes it with
:func:`faultkit.lifecycle.sla_status` at the fault's last change: the moment the
resolution clock breaches if it keeps running (``ClockStatus.breaches_at``).
"""

from __future__ import annotations

from datetime import datetime

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.lifecycle.fault import Fault
from faultkit.lifecycle.sla import DEFAULT_SLA_POLICY, SlaPolicy, sla_status
from faultkit.lifecycle.workflow import Workflow
from faultkit.lifecycle.workflows import PROCEDURE

__all__ = ["DEFAULT_DUE", "ResolutionDue"]


@attrs.frozen
class ResolutionDue:
    """The resolution due time of a fault under one workflow and SLA policy.

    ``due(fault)`` is ``sla_status(fault, now=fault.last_changed_at, workflow=workflow,
    policy=policy).resolution.breaches_at`` while the resolution clock runs (or has
    breached and still runs), and ``None`` when there is none to meet: no priority
    yet, no target for it in the policy, a state the workflow does not have, or the
    clock not running (paused on hold, resolved, closed). A fault on hold is therefore
    not "due": its due time moves on when it leaves the hold and is saved.

    Attributes:
        workflow: the workflow whose state categories and pauses drive the clock.
        policy: the targets and calendars.
    """

    workflow: Workflow = attrs.field(default=PROCEDURE, validator=v.instance(Workflow))
    policy: SlaPolicy = attrs.field(default=DEFAULT_SLA_POLICY, validator=v.instance(SlaPolicy))

    def __call__(self, fault: Fault) -> datetime | None:
        """The resolution due time of ``fault`` as of its last change (``None``: none)."""
        if fault.priority is None:
            return None
        try:
            status = sla_status(
                fault, now=fault.last_changed_at, workflow=self.workflow, policy=self.policy
            )
        except InvalidInputError:  # no target for its priority, or a state not in the workflow
            return None
        clock = status.resolution
        return clock.breaches_at if clock.running else None


DEFAULT_DUE = ResolutionDue()
"""The stores' default: the ``procedure`` workflow and the default SLA policy."""
