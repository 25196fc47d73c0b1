"""The fault lifecycle: workflows as data, the engine, requirements, SLA clocks, event logs."""

from faultkit.lifecycle.engine import Lifecycle, NextStep
from faultkit.lifecycle.fault import Containment, Fault, TransitionRecord, Verification
from faultkit.lifecycle.protocols import ChecklistOutcome, ReviewChecklist, RootCauseAnalysis
from faultkit.lifecycle.requirements import STANDARD_REQUIREMENTS, Requirement, TransitionContext
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
    "ITIL",
    "ITIL_HOLD_REASONS",
    "PROCEDURE",
    "STANDARD_REQUIREMENTS",
    "ChecklistOutcome",
    "Containment",
    "Fault",
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
    "State",
    "StateCategory",
    "Transition",
    "TransitionContext",
    "TransitionRecord",
    "Verification",
    "Workflow",
    "review_times",
]
