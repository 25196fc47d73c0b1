"""Result notices: telling each customer what became of the problem they reported.

When a fault is resolved, the person who reported the fault and every customer whose
feedback sits in a cluster linked to it are owed a notice: what was found, what was
done, the workaround, and when. :func:`notice_recipients` lists them (for the fault
case to record whom it told); :func:`result_notices` builds the notices as data
(:class:`ResultNotice`); the user's own mailer, helpdesk or social media tool sends
them.

- The fault's reporter is answered at their e-mail address when it is known, else on
  the channel the fault was reported through; a fault raised by monitoring has no one
  to tell. The reporter and an author of linked feedback are one person when the
  reporter's id equals the feedback's ``customer_id``: they get one notice.
- A customer who reported several times gets one notice, answered on the channel of
  their latest report that gave a contact (an e-mail address, a callback number, a
  social media handle), or else of their latest report.
- Reports without a customer id cannot be answered and are returned apart, so nothing
  is silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.feedback.grouping import Cluster
from faultkit.feedback.intake import (
    EmailFeedback,
    Feedback,
    FormFeedback,
    HotlineFeedback,
    SocialFeedback,
)
from faultkit.feedback.privacy import PERSONAL
from faultkit.models import FaultReport, IntakeChannel

__all__ = [
    "FaultOutcome",
    "NoticePlan",
    "NoticeRecipient",
    "Recipients",
    "ResultNotice",
    "contact_of",
    "notice_recipients",
    "result_notices",
]

_PERSONAL = {PERSONAL: True}


@attrs.frozen(kw_only=True)
class FaultOutcome:
    """What became of a fault, in words a customer can read.

    Attributes:
        fault_id: the fault; not blank.
        found: what was found (the cause, in plain words); not blank.
        done: what was done about it; not blank.
        workaround: what the customer can do meanwhile or instead, if anything.
        resolved_at: when it was resolved (timezone-aware), if it is.
    """

    fault_id: str = attrs.field(validator=v.non_empty_str)
    found: str = attrs.field(validator=v.non_empty_str)
    done: str = attrs.field(validator=v.non_empty_str)
    workaround: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    resolved_at: datetime | None = attrs.field(
        default=None, validator=v.optional_aware_datetime, eq=v.optional_since_epoch
    )


@attrs.frozen(kw_only=True)
class ResultNotice:
    """A notice to one customer about the outcome of a fault they reported.

    Attributes:
        id: ``"N-<fault id>-<customer id>"``.
        fault_id: the fault.
        customer_id: the customer (personal data).
        customer_name: the customer's name, if known (personal data).
        channel: where to answer: the channel of the customer's latest report that gave
            a contact, or else of their latest report.
        contact: the address, number or handle to answer at, if the report gave one
            (personal data).
        feedback_ids: the customer's reports about this fault, earliest first.
        found: what was found.
        done: what was done.
        workaround: the workaround, if any.
        resolved_at: when the fault was resolved, if it is.
        to_reporter: whether the customer is the person who reported the fault.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    fault_id: str = attrs.field(validator=v.non_empty_str)
    customer_id: str | None = attrs.field(validator=v.optional_non_empty_str, metadata=_PERSONAL)
    customer_name: str | None = attrs.field(
        default=None, validator=v.optional_non_empty_str, metadata=_PERSONAL
    )
    channel: IntakeChannel = attrs.field(validator=v.member_of(IntakeChannel))
    contact: str | None = attrs.field(
        default=None, validator=v.optional_non_empty_str, metadata=_PERSONAL
    )
    feedback_ids: tuple[str, ...] = attrs.field(
        converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )
    found: str = attrs.field(validator=v.non_empty_str)
    done: str = attrs.field(validator=v.non_empty_str)
    workaround: str | None = attrs.field(default=None, validator=v.optional_non_empty_str)
    resolved_at: datetime | None = attrs.field(
        default=None, validator=v.optional_aware_datetime, eq=v.optional_since_epoch
    )
    to_reporter: bool = attrs.field(default=False, validator=v.is_bool)


@attrs.frozen(kw_only=True)
class NoticeRecipient:
    """One person owed a result notice, and where to reach them.

    Attributes:
        customer_id: the person: the reporter's id or the feedback's customer id
            (personal data).
        name: their name, if known (personal data).
        channel: where to answer (see the module for the rule).
        contact: the address, number or handle to answer at, if known (personal data).
        reporter: whether they reported the fault.
        feedback_ids: their linked feedback, earliest first (empty for a reporter who
            wrote no linked feedback).
    """

    customer_id: str = attrs.field(validator=v.non_empty_str, metadata=_PERSONAL)
    name: str | None = attrs.field(
        default=None, validator=v.optional_non_empty_str, metadata=_PERSONAL
    )
    channel: IntakeChannel = attrs.field(validator=v.member_of(IntakeChannel))
    contact: str | None = attrs.field(
        default=None, validator=v.optional_non_empty_str, metadata=_PERSONAL
    )
    reporter: bool = attrs.field(default=False, validator=v.is_bool)
    feedback_ids: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )


@attrs.frozen(kw_only=True)
class Recipients:
    """Everyone owed a notice about one fault, and the reports no one can answer.

    Attributes:
        fault_id: the fault.
        recipients: one per person, ordered by id.
        unreachable: ids of linked reports that carry no customer id.
    """

    fault_id: str = attrs.field(validator=v.non_empty_str)
    recipients: tuple[NoticeRecipient, ...] = attrs.field(
        converter=v.list_to_tuple, validator=v.tuple_of(v.instance(NoticeRecipient))
    )
    unreachable: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )


@attrs.frozen(kw_only=True)
class NoticePlan:
    """The notices for one fault, and the reports no notice can answer.

    Attributes:
        notices: one notice per customer, ordered by customer id.
        unreachable: ids of linked reports that carry no customer id.
    """

    notices: tuple[ResultNotice, ...] = attrs.field(
        converter=v.list_to_tuple, validator=v.tuple_of(v.instance(ResultNotice))
    )
    unreachable: tuple[str, ...] = attrs.field(
        default=(), converter=v.list_to_tuple, validator=v.tuple_of(v.non_empty_str)
    )


def contact_of(item: Feedback) -> str | None:
    """The address to answer ``item`` at: e-mail, callback number or social handle."""
    if isinstance(item, EmailFeedback):
        return item.from_address
    if isinstance(item, FormFeedback):
        return item.email
    if isinstance(item, HotlineFeedback):
        return item.callback_number
    if isinstance(item, SocialFeedback):
        return None if item.author_handle is None else f"@{item.author_handle}"
    return None


def _linked(
    fault_id: str, clusters: Iterable[Cluster], feedback: Iterable[Feedback]
) -> list[Feedback]:
    by_id = {item.id: item for item in feedback}
    linked: list[Feedback] = []
    for cluster in clusters:
        if not isinstance(cluster, Cluster):
            raise InvalidInputError("clusters", cluster, "expected a Cluster")
        if cluster.fault_id != fault_id:
            continue
        for feedback_id in cluster.feedback_ids:
            item = by_id.get(feedback_id)
            if item is None:
                raise InvalidInputError(
                    f"clusters[{cluster.id}].feedback_ids", feedback_id, "no such feedback item"
                )
            linked.append(item)
    linked.sort(key=lambda f: (v.since_epoch(f.received_at), f.id))
    return linked


def notice_recipients(
    report: FaultReport, clusters: Iterable[Cluster], feedback: Iterable[Feedback]
) -> Recipients:
    """Everyone owed a result notice about the fault of ``report``: its reporter and
    the customer behind each linked feedback item, one entry per person.

    Args:
        report: the fault's report (its id is the fault id; its reporter is told too).
        clusters: clusters; those linked to the fault are used.
        feedback: the feedback items (at least those of the linked clusters).

    Returns:
        The recipients (ordered by id) and the linked reports that cannot be answered.

    Raises:
        InvalidInputError: ``report`` is not a :class:`~faultkit.models.FaultReport`,
            or a linked cluster names a feedback id not in ``feedback``.
    """
    if not isinstance(report, FaultReport):
        raise InvalidInputError("report", report, "expected a FaultReport")
    per_customer: dict[str, list[Feedback]] = {}
    unreachable: list[str] = []
    for item in _linked(report.id, clusters, feedback):
        if item.customer_id is None:
            unreachable.append(item.id)
        else:
            per_customer.setdefault(item.customer_id, []).append(item)
    reporter = report.reporter
    tell_reporter = report.channel is not IntakeChannel.MONITORING
    found: dict[str, NoticeRecipient] = {}
    for customer_id, items in per_customer.items():
        # Answer where the customer last left a way to reach them; else where they last wrote.
        reply = next((i for i in reversed(items) if contact_of(i) is not None), items[-1])
        name = next((i.customer_name for i in reversed(items) if i.customer_name), None)
        is_reporter = tell_reporter and customer_id == reporter.id
        found[customer_id] = NoticeRecipient(
            customer_id=customer_id,
            name=name or (reporter.name if is_reporter else None),
            channel=reply.channel,
            contact=contact_of(reply) or (reporter.email if is_reporter else None),
            reporter=is_reporter,
            feedback_ids=tuple(dict.fromkeys(i.id for i in items)),
        )
    if tell_reporter and reporter.id not in found:
        found[reporter.id] = NoticeRecipient(
            customer_id=reporter.id,
            name=reporter.name,
            channel=IntakeChannel.EMAIL if reporter.email else report.channel,
            contact=reporter.email,
            reporter=True,
        )
    return Recipients(
        fault_id=report.id,
        recipients=tuple(found[key] for key in sorted(found)),
        unreachable=tuple(dict.fromkeys(unreachable)),
    )


def result_notices(
    outcome: FaultOutcome,
    clusters: Iterable[Cluster],
    feedback: Iterable[Feedback],
    *,
    report: FaultReport,
) -> NoticePlan:
    """Build one result notice per person owed one: the fault's reporter and every
    customer whose feedback is linked to the fault (see :func:`notice_recipients`).

    Args:
        outcome: what became of the fault.
        clusters: clusters; those linked to ``outcome.fault_id`` are used.
        feedback: the feedback items (at least those of the linked clusters).
        report: the fault's report, whose reporter is told too; required, so that the
            reporter is never left out by omission.

    Returns:
        The notices and the reports that cannot be answered.

    Raises:
        InvalidInputError: ``report`` is of another fault, or a linked cluster names a
            feedback id not in ``feedback``.
    """
    if not isinstance(outcome, FaultOutcome):
        raise InvalidInputError("outcome", outcome, "expected a FaultOutcome")
    if isinstance(report, FaultReport) and report.id != outcome.fault_id:
        raise InvalidInputError(
            "report.id", report.id, f"is not the fault of the outcome ({outcome.fault_id!r})"
        )
    found = notice_recipients(report, clusters, feedback)
    notices = tuple(
        ResultNotice(
            id=f"N-{outcome.fault_id}-{person.customer_id}",
            fault_id=outcome.fault_id,
            customer_id=person.customer_id,
            customer_name=person.name,
            channel=person.channel,
            contact=person.contact,
            feedback_ids=person.feedback_ids,
            found=outcome.found,
            done=outcome.done,
            workaround=outcome.workaround,
            resolved_at=outcome.resolved_at,
            to_reporter=person.reporter,
        )
        for person in found.recipients
    )
    return NoticePlan(notices=notices, unreachable=found.unreachable)
