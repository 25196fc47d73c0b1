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
from faultkit.lifecycle.events import (
    Comment,
    Containment,
    Diagnosis,
    FactChange,
    FaultEvent,
    FeedbackLink,
    Notice,
    TransitionRecord,
    Verification,
)
from faultkit.lifecycle.facts import FACTS
from faultkit.lifecycle.fault import Fault
from faultkit.lifecycle.major import (
    DEFAULT_MAJOR_INCIDENT_POLICY,
    MajorIncidentPolicy,
    UpdatesDue,
    stakeholder_updates_due,
)
from faultkit.lifecycle.protocols import (
    ChecklistOutcome,
    LinkedProblem,
    ReviewChecklist,
    RootCauseAnalysis,
)
from faultkit.lifecycle.rca_policy import (
    DEFAULT_RCA_POLICY,
    RcaPolicy,
    RcaRequirement,
    RcaRule,
)
from faultkit.lifecycle.records import (
    ChangeLink,
    ChangeRelation,
    MajorIncident,
    PostIncidentReview,
    StakeholderUpdate,
)
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
from faultkit.lifecycle.verifiers import VerifierRule
from faultkit.lifecycle.workflow import State, StateCategory, Transition, Workflow, check_follows
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
    "DEFAULT_MAJOR_INCIDENT_POLICY",
    "DEFAULT_RCA_POLICY",
    "DEFAULT_SLA_POLICY",
    "FACTS",
    "ITIL",
    "ITIL_HOLD_REASONS",
    "PROCEDURE",
    "ROUND_THE_CLOCK",
    "STANDARD_REQUIREMENTS",
    "BusinessCalendar",
    "ChangeLink",
    "ChangeRelation",
    "ChecklistOutcome",
    "ClockStatus",
    "Comment",
    "Containment",
    "Diagnosis",
    "EventLogReport",
    "FactChange",
    "Fault",
    "FaultCodec",
    "FaultEvent",
    "FeedbackLink",
    "HoldReason",
    "ItilState",
    "ItilTrigger",
    "Lifecycle",
    "LinkedProblem",
    "MajorIncident",
    "MajorIncidentPolicy",
    "NextStep",
    "Notice",
    "PostIncidentReview",
    "ProcedureState",
    "ProcedureTrigger",
    "RcaPolicy",
    "RcaRequirement",
    "RcaRule",
    "Requirement",
    "ReviewChecklist",
    "RootCauseAnalysis",
    "SlaPolicy",
    "SlaStatus",
    "SlaTarget",
    "StakeholderUpdate",
    "State",
    "StateCategory",
    "Transition",
    "TransitionContext",
    "TransitionRecord",
    "UpdatesDue",
    "Verification",
    "VerifierRule",
    "Violation",
    "ViolationKind",
    "Workflow",
    "check_follows",
    "mermaid",
    "review_times",
    "sla_status",
    "stakeholder_updates_due",
    "validate_event_log",
]
