"""The fault lifecycle: workflows as data, the engine, requirements, SLA clocks, event logs."""

from faultkit.lifecycle.codec import FaultCodec
from faultkit.lifecycle.diagram import mermaid
from faultkit.lifecycle.engine import Lifecycle, NextStep
from faultkit.lifecycle.eventlog import (
    EventLogReport,
    Violation,
    ViolationKind,
    validate_event_log,
)
from faultkit.lifecycle.fault import Containment, Fault, TransitionRecord, Verification
from faultkit.lifecycle.protocols import ChecklistOutcome, ReviewChecklist, RootCauseAnalysis
from faultkit.lifecycle.requirements import STANDARD_REQUIREMENTS, Requirement, TransitionContext
from faultkit.lifecycle.sla import (
    DEFAULT_CALENDAR,
    DEFAULT_SLA_POLICY,
    ROUND_THE_CLOCK,
    BusinessCalendar,
    ClockStatus,
    SlaPolicy,
    SlaStatus,
    SlaTarget,
    sla_status,
)
from faultkit.lifecycle.workflow import State, StateCategory, Transition, Workflow
from faultkit.lifecycle.workflows.itil import (
    ITIL,
    ITIL_HOLD_REASONS,
    HoldReason,
    ItilState,
    ItilTrigger,
)
from faultkit.lifecycle.workflows.procedure import (
    PROCEDURE,
    ProcedureState,
    ProcedureTrigger,
    review_times,
)

__all__ = [
    "DEFAULT_CALENDAR",
    "DEFAULT_SLA_POLICY",
    "ITIL",
    "ITIL_HOLD_REASONS",
    "PROCEDURE",
    "ROUND_THE_CLOCK",
    "STANDARD_REQUIREMENTS",
    "BusinessCalendar",
    "ChecklistOutcome",
    "ClockStatus",
    "Containment",
    "EventLogReport",
    "Fault",
    "FaultCodec",
    "HoldReason",
    "ItilState",
    "ItilTrigger",
    "Lifecycle",
    "NextStep",
    "ProcedureState",
    "ProcedureTrigger",
    "Requirement",
    "ReviewChecklist",
    "RootCauseAnalysis",
    "SlaPolicy",
    "SlaStatus",
    "SlaTarget",
    "State",
    "StateCategory",
    "Transition",
    "TransitionContext",
    "TransitionRecord",
    "Verification",
    "Violation",
    "ViolationKind",
    "Workflow",
    "mermaid",
    "review_times",
    "sla_status",
    "validate_event_log",
]
