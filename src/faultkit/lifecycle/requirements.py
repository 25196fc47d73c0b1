"""Requirements: the named rules a trigger checks before a transition.

A requirement is a plain function ``check(fault, context) -> str | None``: ``None``
when it is met, otherwise a short text saying what is missing. It is registered under
a name with :class:`Requirement`, and workflow tables name the requirements each
trigger checks. :data:`STANDARD_REQUIREMENTS` are the ones the built-in workflows use;
pass your own to :class:`~faultkit.lifecycle.Lifecycle` (``requirements=``) to add
rules or to replace a standard one.

Requirements read; they never change the fault.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any, NamedTuple

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.lifecycle.events import FactChange, TransitionRecord
from faultkit.lifecycle.fault import Fault
from faultkit.lifecycle.protocols import LinkedProblem, ReviewChecklist
from faultkit.lifecycle.rca_policy import DEFAULT_RCA_POLICY, RcaPolicy, RcaRequirement
from faultkit.lifecycle.verifiers import VerifierRule
from faultkit.lifecycle.workflow import StateCategory, Workflow
from faultkit.lifecycle.workflows.itil import HoldReason
from faultkit.models import Person, Reviewer
from faultkit.rca.actions import ActionKind, ActionStatus

__all__ = [
    "STANDARD_REQUIREMENTS",
    "Requirement",
    "TransitionContext",
    "actions_effective",
    "analysis_of_this_fault",
    "containment_if_severe",
    "corrective_action_if_severe",
    "duplicate_recorded",
    "fix_verified",
    "hold_reason_known",
    "last_resolve",
    "maintenance_docs_if_rca",
    "post_incident_review_if_major",
    "rca_in_proportion",
    "reason_given",
    "report_meets_standard",
    "result_notified_if_customer",
    "reviewer_independent",
    "reviewer_qualified",
    "root_cause_in_proportion",
    "root_cause_recorded",
    "severity_assessed",
    "within_reopen_window",
]


class TransitionContext(NamedTuple):
    """What a requirement knows about the transition being attempted.

    Attributes:
        trigger: the trigger fired.
        source: the state the fault is in.
        dest: the state it would move to.
        actor: who fires the trigger (a :class:`~faultkit.models.Reviewer` for reviews).
        at: when (timezone-aware).
        reason: the reason given, if any.
        checklist: the review checklist the lifecycle was configured with, if any.
        reopen_window: how long after closure a fault may still be reopened.
        workflow: the workflow the lifecycle runs (rules read state categories).
        problem: the problem the fault is linked to, as the lifecycle's ``problems``
            lookup found it (``None``: not linked, no lookup, or not found).
        rca_policy: the RCA policy the lifecycle runs (``None``: the default one).
        verifiers: who may verify a fix (the lifecycle's ``verifiers=``), if a rule
            is set.
    """

    trigger: str
    source: str
    dest: str
    actor: Person
    at: datetime
    reason: str | None
    checklist: ReviewChecklist | None
    reopen_window: timedelta
    workflow: Workflow
    problem: LinkedProblem | None = None
    rca_policy: RcaPolicy | None = None
    verifiers: VerifierRule | None = None


Check = Callable[[Fault, TransitionContext], "str | None"]


def _callable(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not callable(value):
        raise InvalidInputError(attribute.name, value, "expected a function (fault, context)")


@attrs.frozen(kw_only=True)
class Requirement:
    """A named rule: ``check(fault, context)`` returns ``None`` when met, else what is missing.

    Attributes:
        name: the name workflow tables use; not blank.
        check: the rule, a plain function over the fault and the transition context.
        description: the rule in words, for documentation and UIs.
    """

    name: str = attrs.field(validator=v.non_empty_str)
    check: Check = attrs.field(validator=_callable)
    description: str = attrs.field(validator=v.non_empty_str)


# --------------------------------------------------------------------------- reporting


def report_meets_standard(fault: Fault, ctx: TransitionContext) -> str | None:
    """The report passes the review checklist (submit, and again at accept)."""
    if ctx.checklist is None:
        return "no review checklist is configured"
    outcome = ctx.checklist.assess(fault.report)
    if outcome.passed:
        return None
    if outcome.missing:
        return (
            f"the report does not meet the review standard; missing: {', '.join(outcome.missing)}"
        )
    return "the report does not meet the review standard"


def reviewer_independent(fault: Fault, ctx: TransitionContext) -> str | None:
    """The reviewer is not the person who reported the fault."""
    if ctx.actor.id == fault.report.reporter.id:
        return f"the reviewer {ctx.actor.id!r} reported the fault; another reviewer must review it"
    return None


def reviewer_qualified(fault: Fault, ctx: TransitionContext) -> str | None:
    """The actor is a reviewer whose training for the report's product is valid at ``at``."""
    actor = ctx.actor
    if not isinstance(actor, Reviewer):
        return f"{actor.id!r} is not a trained reviewer"
    if not actor.is_qualified(fault.report.product, ctx.at):
        return (
            f"reviewer {actor.id!r} has no training for {fault.report.product!r} "
            f"valid at {ctx.at.isoformat()}"
        )
    return None


def reason_given(_fault: Fault, ctx: TransitionContext) -> str | None:
    """A reason is given (returning, rejecting, holding, reopening, cancelling)."""
    if ctx.reason is None:
        return f"a reason is required to {ctx.trigger.replace('_', ' ')}"
    return None


def duplicate_recorded(fault: Fault, _ctx: TransitionContext) -> str | None:
    """The id of the fault this one duplicates is recorded (and is not its own)."""
    if fault.duplicate_of is None:
        return "the fault it duplicates is not recorded (fault.mark_duplicate_of)"
    if fault.duplicate_of == fault.id:
        return "a fault cannot duplicate itself"
    return None


# --------------------------------------------------------------------------- handling


def severity_assessed(fault: Fault, _ctx: TransitionContext) -> str | None:
    """The severity is recorded."""
    return None if fault.severity is not None else "the severity is not assessed"


def containment_if_severe(fault: Fault, _ctx: TransitionContext) -> str | None:
    """Severity is known, and a severe fault (SEV1/SEV2) has its containment recorded."""
    if fault.severity is None:
        return "the severity is not assessed"
    if fault.severity.is_severe and fault.containment is None:
        return f"a {fault.severity.name} fault needs containment recorded before root-cause work"
    return None


def root_cause_recorded(fault: Fault, _ctx: TransitionContext) -> str | None:
    """A root-cause analysis is attached and complete."""
    if fault.analysis is None:
        return "no root-cause analysis is recorded"
    reasons = fault.analysis.incomplete_reasons(fault.actions)
    if reasons:
        return f"the root-cause analysis is incomplete: {'; '.join(reasons)}"
    return None


def corrective_action_if_severe(fault: Fault, _ctx: TransitionContext) -> str | None:
    """A severe fault's root-cause analysis records a corrective action."""
    if fault.severity is None or not fault.severity.is_severe:
        return None
    if fault.analysis is None or not fault.analysis.has_corrective_action(fault.actions):
        return f"a {fault.severity.name} fault needs a corrective action recorded"
    return None


# --------------------------------------------------------------------------- RCA in proportion


def _rca_unmet(fault: Fault, ctx: TransitionContext, *, at_resolve: bool) -> str | None:
    policy = ctx.rca_policy if ctx.rca_policy is not None else DEFAULT_RCA_POLICY
    product = fault.report.product
    rule = policy.rule_for(fault.severity, product)
    problem = ctx.problem
    found: list[str] = []
    analysis = fault.analysis
    if analysis is None:
        found.append("no analysis")
    else:
        reasons = analysis.incomplete_reasons(fault.actions)
        severe = fault.severity is not None and fault.severity.is_severe
        if reasons:
            found.append(f"the analysis is incomplete ({'; '.join(reasons)})")
        elif at_resolve and severe and not analysis.has_corrective_action(fault.actions):
            found.append("the analysis records no corrective action")
        else:
            return None  # a complete analysis of its own meets every level
    if fault.problem_id is None:
        found.append("no problem linked")
    elif problem is None:
        found.append(f"problem {fault.problem_id!r} could not be looked up")
    else:
        workaround = fault.containment.workaround if fault.containment is not None else None
        if rule.known_error_suffices and problem.known_error_workaround() is not None:
            if workaround is not None:
                return None
            found.append(
                f"problem {problem.id!r} is a known error but no workaround is recorded on "
                "the fault (fault.add_workaround)"
            )
        if rule.requires is not RcaRequirement.FULL_ANALYSIS:
            return None
        if problem.has_verified_root_cause():
            return None
        found.append(f"problem {problem.id!r} has no verified root cause")
    if rule.requires is RcaRequirement.RESOLUTION_NOTE:
        if not at_resolve or fault.resolution_note is not None:
            return None
        found.append("no resolution note")
    severity = fault.severity.name if fault.severity is not None else "unassessed"
    known = " (a known error with its workaround would do)" if rule.known_error_suffices else ""
    where = f" on product {product!r}" if product in policy.products else ""
    return (
        f"the RCA policy requires for a {severity} fault{where}: "
        f"{rule.requires.described}{known}; found: {', '.join(found)}"
    )


def rca_in_proportion(fault: Fault, ctx: TransitionContext) -> str | None:
    """The root-cause evidence the RCA policy requires for the fault's severity and product.

    Reads ``ctx.rca_policy`` (:class:`~faultkit.lifecycle.RcaPolicy`; the default one:
    SEV1-2 a full analysis or a problem with a verified root cause, SEV3 a problem
    link or an analysis, SEV4-5 a resolution note). A complete analysis of the
    fault's own meets every level; a linked known error with a workaround recorded
    on the fault meets any level whose row allows it. A severe fault's own analysis
    also records a corrective action (the rule ``corrective_action_if_severe``
    checked before). Checked at resolve and again at close (an action found
    ineffective makes the analysis incomplete again).
    """
    return _rca_unmet(fault, ctx, at_resolve=True)


def root_cause_in_proportion(fault: Fault, ctx: TransitionContext) -> str | None:
    """Before the fix starts, the root cause the RCA policy requires is known.

    As :func:`rca_in_proportion`, except that a fault whose policy asks only for a
    resolution note may start its fix at once (the note comes with the resolve).
    """
    return _rca_unmet(fault, ctx, at_resolve=False)


# --------------------------------------------------------------------------- closure


def last_resolve(fault: Fault, workflow: Workflow) -> tuple[int, TransitionRecord] | None:
    """The position in the stream and the event of the fault's last move into a resolved state."""
    events = fault.events
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if (
            type(event) is TransitionRecord
            and workflow.state(event.to_state).category is StateCategory.RESOLVED
        ):
            return index, event
    return None


def _last_change(fault: Fault, fact: str) -> int:
    """The position of the event that last changed ``fact`` (-1 if none did)."""
    events = fault.events
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if type(event) is FactChange and event.fact == fact:
            return index
    return -1


def fix_verified(fault: Fault, ctx: TransitionContext) -> str | None:
    """The fix was verified effective, with evidence, after the last resolve, independently.

    ISO 9001 10.2 ("review the effectiveness of any corrective action taken") and 8D
    D6 (verify the permanent corrective action): the verification is recorded after
    the fault's last move into a resolved state, found the fix effective, names its
    evidence, and was made by a person allowed to verify: neither the assignee nor the
    person who resolved it and, when the lifecycle has a verifier rule
    (:class:`~faultkit.lifecycle.VerifierRule`), one of the people it names. A reopen
    voids an earlier verification.
    """
    verification = fault.verification
    if verification is None:
        return "the fix is not verified (fault.record_verification)"
    problems = []
    if not verification.effective:
        problems.append("the fix was verified as not effective")
    if not verification.evidence:
        problems.append("the verification names no evidence")
    resolve = last_resolve(fault, ctx.workflow)
    if resolve is None:
        problems.append("the fault was never resolved")
    else:
        index, record = resolve
        if _last_change(fault, "verification") < index:
            problems.append(
                f"the verification ({verification.verified_at.isoformat()}) is not after the "
                f"last resolve ({record.at.isoformat()})"
            )
        if verification.verified_by == record.actor:
            problems.append(f"{record.actor!r} resolved the fault and cannot verify it")
    assignee = fault.assignee
    if assignee is not None and verification.verified_by == assignee.id:
        problems.append(f"{assignee.id!r} is the assignee and cannot verify the fix")
    rule = ctx.verifiers
    if rule is not None:
        refusal = rule.refusal(verification.verified_by)
        if refusal is not None:
            problems.append(refusal)
    return "; ".join(problems) or None


_FAILED = ActionStatus.INEFFECTIVE


def actions_effective(fault: Fault, _ctx: TransitionContext) -> str | None:
    """Every corrective action of the fault is done and verified effective (8D D6-D7).

    An action found ineffective keeps the fault open until it is superseded: every
    root cause it addresses is also addressed by a corrective action verified
    effective. :meth:`Lifecycle.advance_action
    <faultkit.lifecycle.Lifecycle.advance_action>` sends the fault back to work when
    it records the failed check.
    """
    corrective = [a for a in fault.actions if a.kind is ActionKind.CORRECTIVE]
    effective = {
        ref
        for a in corrective
        if a.status is ActionStatus.VERIFIED_EFFECTIVE
        for ref in a.addresses
    }
    pending = [
        f"{action.id} is {action.status.value}"
        + (" and not superseded by an effective action" if action.status is _FAILED else "")
        for action in corrective
        if action.status is not ActionStatus.VERIFIED_EFFECTIVE
        and not (
            action.status is _FAILED and action.addresses and effective.issuperset(action.addresses)
        )
    ]
    if pending:
        return f"corrective actions not verified effective: {', '.join(pending)}"
    return None


def analysis_of_this_fault(fault: Fault, _ctx: TransitionContext) -> str | None:
    """The attached analysis, if it names a fault, names this one."""
    owner = getattr(fault.analysis, "fault_id", fault.id)
    if owner != fault.id:
        return f"the analysis is of fault {owner!r}"
    return None


def result_notified_if_customer(fault: Fault, _ctx: TransitionContext) -> str | None:
    """The customer reporter and every author of linked feedback were told, after the verification.

    Procedure part 5: tell the customer the outcome. A notice counts when it was
    recorded after the verification (a reopen voids the notices sent before).
    """
    owed = [fault.report.reporter.id] if fault.report.reporter.is_customer else []
    owed += [link.author for link in fault.feedback if link.author not in owed]
    if not owed:
        return None
    verified_at = fault.verification.verified_at if fault.verification else None
    told = {
        notice.recipient
        for notice in fault.notices
        if verified_at is None or notice.at >= verified_at
    }
    missing = [person for person in owed if person not in told]
    if not missing:
        return None
    after = "" if verified_at is None else " after the verification"
    return f"not told the result{after}: {', '.join(missing)} (fault.record_notice)"


def maintenance_docs_if_rca(fault: Fault, _ctx: TransitionContext) -> str | None:
    """When a root-cause analysis was done, the maintenance documentation is updated."""
    if fault.analysis is not None and not fault.maintenance_docs_updated:
        return "the maintenance documentation is not marked updated after the RCA"
    return None


def post_incident_review_if_major(fault: Fault, _ctx: TransitionContext) -> str | None:
    """A major incident has its post-incident review recorded before it closes."""
    if fault.major_incident is None or fault.post_incident_review is not None:
        return None
    return (
        "a major incident needs its post-incident review before closure "
        "(fault.record_post_incident_review)"
    )


def within_reopen_window(fault: Fault, ctx: TransitionContext) -> str | None:
    """The fault is reopened within the reopen window of its last state change."""
    deadline = fault.last_changed_at + ctx.reopen_window
    if ctx.at > deadline:
        return f"the reopen window ended at {deadline.isoformat()}"
    return None


_HOLD_REASONS = tuple(reason.value for reason in HoldReason)


def hold_reason_known(_fault: Fault, ctx: TransitionContext) -> str | None:
    """The reason for a hold is one of ITIL's (:class:`~faultkit.lifecycle.HoldReason`)."""
    if ctx.reason not in _HOLD_REASONS:
        return f"the hold reason must be one of {', '.join(_HOLD_REASONS)}"
    return None


def _standard() -> Mapping[str, Requirement]:
    table = {
        "report_meets_standard": report_meets_standard,
        "reviewer_independent": reviewer_independent,
        "reviewer_qualified": reviewer_qualified,
        "reason_given": reason_given,
        "duplicate_recorded": duplicate_recorded,
        "severity_assessed": severity_assessed,
        "containment_if_severe": containment_if_severe,
        "root_cause_recorded": root_cause_recorded,
        "corrective_action_if_severe": corrective_action_if_severe,
        "fix_verified": fix_verified,
        "actions_effective": actions_effective,
        "analysis_of_this_fault": analysis_of_this_fault,
        "hold_reason_known": hold_reason_known,
        "result_notified_if_customer": result_notified_if_customer,
        "maintenance_docs_if_rca": maintenance_docs_if_rca,
        "within_reopen_window": within_reopen_window,
        "rca_in_proportion": rca_in_proportion,
        "root_cause_in_proportion": root_cause_in_proportion,
        "post_incident_review_if_major": post_incident_review_if_major,
    }
    return MappingProxyType(
        {
            name: Requirement(name=name, check=check, description=(check.__doc__ or name).strip())
            for name, check in table.items()
        }
    )


STANDARD_REQUIREMENTS: Mapping[str, Requirement] = _standard()
"""The requirements the built-in workflows name, by name."""
