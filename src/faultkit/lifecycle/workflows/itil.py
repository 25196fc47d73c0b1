"""The ``itil`` workflow: the incident states ServiceNow and other ITSM tools use.

Source: the ITIL incident life cycle as ServiceNow implements it (incident states
New, In Progress, On Hold, Resolved, Closed, Canceled; On Hold reasons Awaiting
Caller, Awaiting Evidence, Awaiting Problem, Awaiting Vendor, Awaiting Change). New ->
Resolved is allowed (solved at first contact), Resolved -> In Progress is a reopen.
An incident found to repeat one already logged is closed as its duplicate (ITIL 4
incident management matches new incidents to open ones; ServiceNow links such a child
incident to its parent incident): ``merge``, from any state before closure, to the
terminal ``duplicate``, through :meth:`Lifecycle.merge
<faultkit.lifecycle.Lifecycle.merge>`, which records both incidents. Exports have no
label for it (they show a closed state), so the label map has none.
The label map turns the state labels of real exports into these states: the
"Incident management process enriched event log" (UCI Machine Learning Repository,
Amaral et al. 2018; a sample is in the project's shared data) labels In Progress
``Active`` and On Hold by its reason (``Awaiting User Info``...). Changing from one
"Awaiting ..." label to another changes the reason, not the state.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from faultkit.lifecycle.workflow import State, StateCategory, Transition, Workflow

__all__ = ["ITIL", "ITIL_HOLD_REASONS", "HoldReason", "ItilState", "ItilTrigger"]


class ItilState(enum.StrEnum):
    """The states of the ``itil`` workflow."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELED = "canceled"
    DUPLICATE = "duplicate"


class ItilTrigger(enum.StrEnum):
    """The triggers of the ``itil`` workflow."""

    START = "start"
    HOLD = "hold"
    RESUME = "resume"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    CLOSE = "close"
    CANCEL = "cancel"
    MERGE = "merge"


class HoldReason(enum.StrEnum):
    """Why an incident is on hold (ServiceNow's on-hold reasons)."""

    AWAITING_CALLER = "awaiting_caller"
    AWAITING_EVIDENCE = "awaiting_evidence"
    AWAITING_PROBLEM = "awaiting_problem"
    AWAITING_VENDOR = "awaiting_vendor"
    AWAITING_CHANGE = "awaiting_change"


S = ItilState
T = ItilTrigger
_WORKING = (S.NEW, S.IN_PROGRESS, S.ON_HOLD)

ITIL = Workflow(
    name="itil",
    initial=S.NEW,
    states=(
        State(name=S.NEW, category=StateCategory.OPEN, description="Logged, not yet worked."),
        State(name=S.IN_PROGRESS, category=StateCategory.ACTIVE, description="Being worked."),
        State(
            name=S.ON_HOLD,
            category=StateCategory.ON_HOLD,
            pauses_sla=True,
            description="Waiting for the caller, evidence, a problem, a vendor or a change.",
        ),
        State(name=S.RESOLVED, category=StateCategory.RESOLVED, description="Solution given."),
        State(
            name=S.CLOSED,
            category=StateCategory.CLOSED,
            terminal=True,
            description="Resolution confirmed.",
        ),
        State(
            name=S.CANCELED,
            category=StateCategory.CLOSED,
            terminal=True,
            description="Withdrawn or logged in error.",
        ),
        State(
            name=S.DUPLICATE,
            category=StateCategory.CLOSED,
            terminal=True,
            description="Closed as a duplicate of another incident.",
        ),
    ),
    transitions=(
        Transition(trigger=T.START, sources=(S.NEW,), dest=S.IN_PROGRESS),
        Transition(
            trigger=T.HOLD,
            sources=(S.NEW, S.IN_PROGRESS),
            dest=S.ON_HOLD,
            requires=("reason_given",),
        ),
        Transition(trigger=T.RESUME, sources=(S.ON_HOLD,), dest=S.IN_PROGRESS),
        Transition(trigger=T.RESOLVE, sources=_WORKING, dest=S.RESOLVED),
        Transition(
            trigger=T.REOPEN,
            sources=(S.RESOLVED,),
            dest=S.IN_PROGRESS,
            requires=("reason_given",),
        ),
        Transition(trigger=T.CLOSE, sources=(S.RESOLVED,), dest=S.CLOSED),
        Transition(trigger=T.CANCEL, sources=_WORKING, dest=S.CANCELED, requires=("reason_given",)),
        Transition(
            trigger=T.MERGE,
            sources=(*_WORKING, S.RESOLVED),
            dest=S.DUPLICATE,
            requires=("duplicate_recorded",),
            description="Closed as a duplicate of the incident it repeats (Lifecycle.merge).",
        ),
    ),
    labels={
        "New": S.NEW,
        "Active": S.IN_PROGRESS,
        "In Progress": S.IN_PROGRESS,
        "On Hold": S.ON_HOLD,
        "Awaiting Caller": S.ON_HOLD,
        "Awaiting User Info": S.ON_HOLD,
        "Awaiting Evidence": S.ON_HOLD,
        "Awaiting Problem": S.ON_HOLD,
        "Awaiting Vendor": S.ON_HOLD,
        "Awaiting Change": S.ON_HOLD,
        "Resolved": S.RESOLVED,
        "Closed": S.CLOSED,
        "Canceled": S.CANCELED,
        "Cancelled": S.CANCELED,
    },
)
"""The ITIL / ServiceNow incident workflow, with the label map of ServiceNow exports."""

ITIL_HOLD_REASONS: Mapping[str, HoldReason] = MappingProxyType(
    {
        "Awaiting Caller": HoldReason.AWAITING_CALLER,
        "Awaiting User Info": HoldReason.AWAITING_CALLER,
        "Awaiting Evidence": HoldReason.AWAITING_EVIDENCE,
        "Awaiting Problem": HoldReason.AWAITING_PROBLEM,
        "Awaiting Vendor": HoldReason.AWAITING_VENDOR,
        "Awaiting Change": HoldReason.AWAITING_CHANGE,
    }
)
"""The on-hold reason each ServiceNow "Awaiting ..." label stands for."""
