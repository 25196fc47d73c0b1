"""Result notices: telling each customer what became of the problem they reported.

When a fault is resolved, every customer whose feedback sits in a cluster linked to it
is owed a notice: what was found, what was done, the workaround, and when. faultkit
builds the notices as data (:class:`ResultNotice`); the user's own mailer, helpdesk or
social media tool sends them. A customer who reported several times gets one notice,
answered on the channel of their latest report that gave a contact (an e-mail
address, a callback number, a social media handle), or else of their latest report.
Reports without a customer id cannot be answered and are returned apart, so nothing is
silently dropped.
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
from faultkit.models import IntakeChannel

__all__ = ["FaultOutcome", "NoticePlan", "ResultNotice", "contact_of", "result_notices"]

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
    resolved_at: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)


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
    resolved_at: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)


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


def result_notices(
    outcome: FaultOutcome, clusters: Iterable[Cluster], feedback: Iterable[Feedback]
) -> NoticePlan:
    """Build one result notice per customer whose feedback is linked to the fault.

    Args:
        outcome: what became of the fault.
        clusters: clusters; those linked to ``outcome.fault_id`` are used.
        feedback: the feedback items (at least those of the linked clusters).

    Returns:
        The notices and the reports that cannot be answered.

    Raises:
        InvalidInputError: a linked cluster names a feedback id not in ``feedback``.
    """
    if not isinstance(outcome, FaultOutcome):
        raise InvalidInputError("outcome", outcome, "expected a FaultOutcome")
    by_id = {item.id: item for item in feedback}
    linked: list[Feedback] = []
    for cluster in clusters:
        if cluster.fault_id != outcome.fault_id:
            continue
        for feedback_id in cluster.feedback_ids:
            item = by_id.get(feedback_id)
            if item is None:
                raise InvalidInputError(
                    f"clusters[{cluster.id}].feedback_ids", feedback_id, "no such feedback item"
                )
            linked.append(item)
    linked.sort(key=lambda f: (f.received_at, f.id))
    per_customer: dict[str, list[Feedback]] = {}
    unreachable: list[str] = []
    for item in linked:
        if item.customer_id is None:
            unreachable.append(item.id)
        else:
            per_customer.setdefault(item.customer_id, []).append(item)
    notices = []
    for customer_id in sorted(per_customer):
        items = per_customer[customer_id]
        # Answer where the customer last left a way to reach them; else where they last wrote.
        reply = next((i for i in reversed(items) if contact_of(i) is not None), items[-1])
        name = next((i.customer_name for i in reversed(items) if i.customer_name), None)
        notices.append(
            ResultNotice(
                id=f"N-{outcome.fault_id}-{customer_id}",
                fault_id=outcome.fault_id,
                customer_id=customer_id,
                customer_name=name,
                channel=reply.channel,
                contact=contact_of(reply),
                feedback_ids=tuple(dict.fromkeys(i.id for i in items)),
                found=outcome.found,
                done=outcome.done,
                workaround=outcome.workaround,
                resolved_at=outcome.resolved_at,
            )
        )
    return NoticePlan(notices=tuple(notices), unreachable=tuple(dict.fromkeys(unreachable)))
