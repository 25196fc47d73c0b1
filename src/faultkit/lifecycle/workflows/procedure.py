"""The ``procedure`` workflow (the default): report to verified closure, as the procedure reads.

Source: the product fault handling and feedback procedure faultkit encodes (the
"procedure it encodes" section of the design): a report is recorded and submitted,
**reviewed** against the written standard by a trained reviewer (accepted, returned
for more information, rejected, or marked duplicate), diagnosed; a **severe** fault
is contained (faulty unit isolated, emergency plan started, workaround given) before
root-cause work; the root cause is analysed **in proportion** (the lifecycle's RCA
policy: a full analysis for SEV1-2, a problem link or an analysis for SEV3, a
resolution note for SEV4-5) and fixed (the fix may wait **on hold**
for the customer, a vendor, a change or a problem: ITIL's reasons, SLA clocks paused),
resolved, **verified** after the resolve (fix effective with evidence, by someone other
than the resolver and the assignee; every corrective action verified effective; the
analysis is this fault's; the customer and the authors of linked feedback told the
result after the verification; maintenance documentation updated; a major incident's
post-incident review held) and closed. A duplicate found at any stage before closure
is merged into its master fault (:meth:`Lifecycle.merge
<faultkit.lifecycle.Lifecycle.merge>`).
A fault can be reopened from resolved, verifying or closed (closed: within the
lifecycle's reopen window) and cancelled at any point before resolution.

Read the table top to bottom: it is the procedure.
"""

from __future__ import annotations

import enum
from datetime import timedelta
from typing import TYPE_CHECKING

from faultkit.lifecycle.workflow import State, StateCategory, Transition, Workflow

if TYPE_CHECKING:
    from faultkit.lifecycle.fault import Fault

__all__ = ["PROCEDURE", "ProcedureState", "ProcedureTrigger", "review_times"]


class ProcedureState(enum.StrEnum):
    """The states of the ``procedure`` workflow."""

    RECORDED = "recorded"
    IN_REVIEW = "in_review"
    NEEDS_INFO = "needs_info"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    DIAGNOSING = "diagnosing"
    CONTAINING = "containing"
    ANALYSING = "analysing"
    FIXING = "fixing"
    ON_HOLD = "on_hold"
    RESOLVED = "resolved"
    VERIFYING = "verifying"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class ProcedureTrigger(enum.StrEnum):
    """The triggers of the ``procedure`` workflow."""

    SUBMIT = "submit"
    ACCEPT = "accept"
    RETURN_FOR_INFO = "return_for_info"
    REJECT = "reject"
    MARK_DUPLICATE = "mark_duplicate"
    MERGE = "merge"
    CONTAIN = "contain"
    START_ANALYSIS = "start_analysis"
    START_FIX = "start_fix"
    HOLD = "hold"
    RESUME = "resume"
    RESOLVE = "resolve"
    START_VERIFICATION = "start_verification"
    CLOSE = "close"
    REOPEN = "reopen"
    CANCEL = "cancel"


S = ProcedureState
T = ProcedureTrigger
OPEN, ACTIVE, ON_HOLD = StateCategory.OPEN, StateCategory.ACTIVE, StateCategory.ON_HOLD
RESOLVED, CLOSED = StateCategory.RESOLVED, StateCategory.CLOSED

_REVIEW = ("reviewer_independent", "reviewer_qualified")

PROCEDURE = Workflow(
    name="procedure",
    initial=S.RECORDED,
    states=(
        State(name=S.RECORDED, category=OPEN, description="The report is being recorded."),
        State(name=S.IN_REVIEW, category=OPEN, description="Submitted; awaiting review."),
        State(
            name=S.NEEDS_INFO,
            category=ON_HOLD,
            pauses_sla=True,
            description="Returned to the reporter for more information.",
        ),
        State(name=S.REJECTED, category=CLOSED, terminal=True, description="Not a fault."),
        State(
            name=S.DUPLICATE,
            category=CLOSED,
            terminal=True,
            description="Handled as part of another fault.",
        ),
        State(name=S.DIAGNOSING, category=ACTIVE, description="Accepted; initial diagnosis."),
        State(
            name=S.CONTAINING,
            category=ACTIVE,
            description="Emergency response: isolate, emergency plan, workaround.",
        ),
        State(name=S.ANALYSING, category=ACTIVE, description="Root-cause analysis."),
        State(name=S.FIXING, category=ACTIVE, description="The targeted fix is being made."),
        State(
            name=S.ON_HOLD,
            category=ON_HOLD,
            pauses_sla=True,
            description="The fix waits for the customer, a vendor, a change or a problem.",
        ),
        State(name=S.RESOLVED, category=RESOLVED, description="Fixed; awaiting verification."),
        State(
            name=S.VERIFYING,
            category=RESOLVED,
            description="Checking the fix works; telling the customer.",
        ),
        State(name=S.CLOSED, category=CLOSED, terminal=True, description="Verified and closed."),
        State(
            name=S.CANCELLED,
            category=CLOSED,
            terminal=True,
            description="Withdrawn before resolution.",
        ),
    ),
    transitions=(
        # Reporting and review.
        Transition(
            trigger=T.SUBMIT,
            sources=(S.RECORDED, S.NEEDS_INFO),
            dest=S.IN_REVIEW,
            requires=("report_meets_standard",),
        ),
        Transition(
            trigger=T.ACCEPT,
            sources=(S.IN_REVIEW,),
            dest=S.DIAGNOSING,
            requires=(*_REVIEW, "report_meets_standard"),
        ),
        Transition(
            trigger=T.RETURN_FOR_INFO,
            sources=(S.IN_REVIEW,),
            dest=S.NEEDS_INFO,
            requires=(*_REVIEW, "reason_given"),
        ),
        Transition(
            trigger=T.REJECT,
            sources=(S.IN_REVIEW,),
            dest=S.REJECTED,
            requires=(*_REVIEW, "reason_given"),
        ),
        Transition(
            trigger=T.MARK_DUPLICATE,
            sources=(S.IN_REVIEW,),
            dest=S.DUPLICATE,
            requires=(*_REVIEW, "duplicate_recorded"),
        ),
        # Diagnosis and handling.
        Transition(
            trigger=T.CONTAIN,
            sources=(S.DIAGNOSING,),
            dest=S.CONTAINING,
            requires=("severity_assessed",),
        ),
        Transition(
            trigger=T.START_ANALYSIS,
            sources=(S.DIAGNOSING, S.CONTAINING),
            dest=S.ANALYSING,
            requires=("containment_if_severe",),
        ),
        Transition(
            trigger=T.START_FIX,
            sources=(S.ANALYSING,),
            dest=S.FIXING,
            requires=("root_cause_in_proportion",),
        ),
        Transition(
            trigger=T.HOLD,
            sources=(S.FIXING,),
            dest=S.ON_HOLD,
            requires=("reason_given", "hold_reason_known"),
        ),
        Transition(trigger=T.RESUME, sources=(S.ON_HOLD,), dest=S.FIXING),
        Transition(
            trigger=T.RESOLVE,
            sources=(S.FIXING,),
            dest=S.RESOLVED,
            requires=("rca_in_proportion",),
        ),
        # Verification and closure.
        Transition(trigger=T.START_VERIFICATION, sources=(S.RESOLVED,), dest=S.VERIFYING),
        Transition(
            trigger=T.CLOSE,
            sources=(S.VERIFYING,),
            dest=S.CLOSED,
            requires=(
                "fix_verified",
                "actions_effective",
                "analysis_of_this_fault",
                "result_notified_if_customer",
                "maintenance_docs_if_rca",
                "rca_in_proportion",
                "post_incident_review_if_major",
            ),
        ),
        # A duplicate found at any stage is merged into its master (Lifecycle.merge).
        Transition(
            trigger=T.MERGE,
            sources=(
                S.RECORDED,
                S.IN_REVIEW,
                S.NEEDS_INFO,
                S.DIAGNOSING,
                S.CONTAINING,
                S.ANALYSING,
                S.FIXING,
                S.ON_HOLD,
                S.RESOLVED,
                S.VERIFYING,
            ),
            dest=S.DUPLICATE,
            requires=("duplicate_recorded",),
        ),
        # Reopening and cancelling.
        Transition(
            trigger=T.REOPEN,
            sources=(S.RESOLVED, S.VERIFYING),
            dest=S.ANALYSING,
            requires=("reason_given",),
        ),
        Transition(
            trigger=T.REOPEN,
            sources=(S.CLOSED,),
            dest=S.ANALYSING,
            requires=("reason_given", "within_reopen_window"),
        ),
        Transition(
            trigger=T.CANCEL,
            sources=(
                S.RECORDED,
                S.IN_REVIEW,
                S.NEEDS_INFO,
                S.DIAGNOSING,
                S.CONTAINING,
                S.ANALYSING,
                S.FIXING,
                S.ON_HOLD,
            ),
            dest=S.CANCELLED,
            requires=("reason_given",),
        ),
    ),
)
"""The default workflow, from report to verified closure."""


def review_times(fault: Fault) -> tuple[timedelta, ...]:
    """How long each review of the fault took: submit to the reviewer's decision.

    A fault returned for more information is reviewed again after it is resubmitted;
    each round is one entry, oldest first. A review still pending is not counted.
    """
    times = []
    started = None
    for record in fault.history:
        if record.to_state == S.IN_REVIEW:
            started = record.at
        elif record.from_state == S.IN_REVIEW and started is not None:
            times.append(record.at - started)
            started = None
    return tuple(times)
