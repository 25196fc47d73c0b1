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
from faultkit.lifecycle.fault import Fault
from faultkit.lifecycle.protocols import ReviewChecklist
from faultkit.models import Person, Reviewer

__all__ = [
    "STANDARD_REQUIREMENTS",
    "Requirement",
    "TransitionContext",
    "containment_if_severe",
    "corrective_action_if_severe",
    "duplicate_recorded",
    "fix_verified",
    "maintenance_docs_if_rca",
    "reason_given",
    "report_meets_standard",
    "result_notified_if_customer",
    "reviewer_independent",
    "reviewer_qualified",
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
    """

    trigger: str
    source: str
    dest: str
    actor: Person
    at: datetime
    reason: str | None
    checklist: ReviewChecklist | None
    reopen_window: timedelta


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
        return "the fault it duplicates is not recorded (set duplicate_of)"
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
    reasons = fault.analysis.incomplete_reasons()
    if reasons:
        return f"the root-cause analysis is incomplete: {'; '.join(reasons)}"
    return None


def corrective_action_if_severe(fault: Fault, _ctx: TransitionContext) -> str | None:
    """A severe fault's root-cause analysis records a corrective action."""
    if fault.severity is None or not fault.severity.is_severe:
        return None
    if fault.analysis is None or not fault.analysis.has_corrective_action():
        return f"a {fault.severity.name} fault needs a corrective action recorded"
    return None


# --------------------------------------------------------------------------- closure


def fix_verified(fault: Fault, _ctx: TransitionContext) -> str | None:
    """The fix was verified effective."""
    if fault.verification is None:
        return "the fix is not verified"
    if not fault.verification.effective:
        return "the fix was verified as not effective"
    return None


def result_notified_if_customer(fault: Fault, _ctx: TransitionContext) -> str | None:
    """A customer-reported fault has its result notice recorded."""
    if fault.report.reporter.is_customer and fault.result_notice_at is None:
        return "the customer has not been told the result (set result_notice_at)"
    return None


def maintenance_docs_if_rca(fault: Fault, _ctx: TransitionContext) -> str | None:
    """When a root-cause analysis was done, the maintenance documentation is updated."""
    if fault.analysis is not None and not fault.maintenance_docs_updated:
        return "the maintenance documentation is not marked updated after the RCA"
    return None


def within_reopen_window(fault: Fault, ctx: TransitionContext) -> str | None:
    """The fault is reopened within the reopen window of its last state change."""
    deadline = fault.last_changed_at + ctx.reopen_window
    if ctx.at > deadline:
        return f"the reopen window ended at {deadline.isoformat()}"
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
        "result_notified_if_customer": result_notified_if_customer,
        "maintenance_docs_if_rca": maintenance_docs_if_rca,
        "within_reopen_window": within_reopen_window,
    }
    return MappingProxyType(
        {
            name: Requirement(name=name, check=check, description=(check.__doc__ or name).strip())
            for name, check in table.items()
        }
    )


STANDARD_REQUIREMENTS: Mapping[str, Requirement] = _standard()
"""The requirements the built-in workflows name, by name."""
