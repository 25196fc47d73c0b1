"""First-reply time and the reply target of each channel.

The procedure asks for prompt replies on every channel; how prompt depends on the
channel. :data:`REPLY_TARGETS` is the table (data, replace it with your own): the
24-hour hotline within minutes, round the clock; social media within hours, round the
clock (a public complaint does not wait for Monday); e-mail and the online form within
one business day (8 working hours of
:data:`~faultkit.lifecycle.DEFAULT_CALENDAR`, Monday to Friday 09:00-17:00); in-product
surveys within two business days. Monitoring and staff channels have no target.

The rule, for a feedback item received at ``r`` on a channel with target ``t`` measured
on calendar ``c``::

    due      = c.add(r, t)                 the earliest moment t of business time after r
    taken    = c.between(r, first reply)   business time to the first reply
    met      = first reply <= due          (None while unanswered and not yet due)

Times are compared as instants (a DST fold's repeated hour is in order).

The first reply is the first one the customer could see
(:attr:`~faultkit.feedback.FeedbackCase.first_reply_at`): a reply on the channel the
feedback came in on, or on a channel that reaches customers. Monitoring and staff
channels (:data:`~faultkit.feedback.INTERNAL_CHANNELS`) reach no customer: a reply on
one of them to feedback from another channel is an internal note and is not timed
(staff feedback answered on the staff channel is).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.feedback.case import FeedbackCase
from faultkit.lifecycle.sla import DEFAULT_CALENDAR, ROUND_THE_CLOCK, BusinessCalendar
from faultkit.models import IntakeChannel

__all__ = ["REPLY_TARGETS", "FirstReply", "ReplyTarget", "first_reply"]


def _positive(_inst: object, attribute: attrs.Attribute[timedelta], value: object) -> None:
    if type(value) is not timedelta or value <= timedelta(0):
        raise InvalidInputError(attribute.name, value, "expected a positive duration")


@attrs.frozen(kw_only=True)
class ReplyTarget:
    """How soon feedback on one channel must get its first reply.

    Attributes:
        within: the business time allowed (positive).
        calendar: the calendar it is measured on (round the clock by default).
    """

    within: timedelta = attrs.field(validator=_positive)
    calendar: BusinessCalendar = attrs.field(
        default=ROUND_THE_CLOCK, validator=v.instance(BusinessCalendar)
    )


_BUSINESS_DAY = timedelta(hours=8)

REPLY_TARGETS: Mapping[IntakeChannel, ReplyTarget] = {
    IntakeChannel.HOTLINE: ReplyTarget(within=timedelta(minutes=15)),
    IntakeChannel.SOCIAL_MEDIA: ReplyTarget(within=timedelta(hours=2)),
    IntakeChannel.EMAIL: ReplyTarget(within=_BUSINESS_DAY, calendar=DEFAULT_CALENDAR),
    IntakeChannel.ONLINE_FORM: ReplyTarget(within=_BUSINESS_DAY, calendar=DEFAULT_CALENDAR),
    IntakeChannel.IN_PRODUCT_SURVEY: ReplyTarget(
        within=2 * _BUSINESS_DAY, calendar=DEFAULT_CALENDAR
    ),
}
"""The default first-reply target of each channel (channels not listed have none)."""


@attrs.frozen(kw_only=True)
class FirstReply:
    """A feedback item's first reply against its channel's target.

    Attributes:
        feedback_id: the feedback's id.
        channel: the channel it came in on.
        received_at: when it came in.
        replied_at: when the first reply the customer could see went out, if one has.
        due_at: when the first reply is due, if the channel has a target.
        taken: business time from receipt to the first reply (on the target's
            calendar; wall-clock time when there is no target), if replied.
        met: ``True`` replied by ``due_at``; ``False`` replied later, or unanswered
            after ``due_at`` (at ``now``); ``None`` no target, or unanswered and not due.
    """

    feedback_id: str
    channel: IntakeChannel
    received_at: datetime
    replied_at: datetime | None
    due_at: datetime | None
    taken: timedelta | None
    met: bool | None


def first_reply(
    case: FeedbackCase,
    *,
    targets: Mapping[IntakeChannel, ReplyTarget] = REPLY_TARGETS,
    now: datetime | None = None,
) -> FirstReply:
    """The first reply of ``case`` against its channel's target (see the module rule).

    Args:
        case: the feedback case.
        targets: the reply target per channel.
        now: the current time (timezone-aware), to call an unanswered item overdue.

    Raises:
        InvalidInputError: ``case`` is not a FeedbackCase, a target is not a
            ReplyTarget, or ``now`` is naive.

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from faultkit.feedback import EmailFeedback, FeedbackCase
        >>> from faultkit.models import Person
        >>> agent = Person(id="a1", name="Ana")
        >>> at = datetime(2024, 5, 3, 16, 0, tzinfo=UTC)  # a Friday, 16:00
        >>> item = EmailFeedback(id="f1", received_at=at, text="Hi")
        >>> case = FeedbackCase.open(item).reply(
        ...     author=agent, at=at + timedelta(days=2, hours=18), text_ref="msg-1"
        ... )
        >>> result = first_reply(case)
        >>> result.due_at.isoformat(), result.taken, result.met
        ('2024-05-06T16:00:00+00:00', datetime.timedelta(seconds=7200), True)
    """
    if not isinstance(case, FeedbackCase):
        raise InvalidInputError("case", case, "expected a FeedbackCase")
    if now is not None:
        v.check_aware("now", now)
    item = case.feedback
    target = targets.get(item.channel)
    if target is not None and not isinstance(target, ReplyTarget):
        raise InvalidInputError(f"targets[{item.channel.value}]", target, "expected a ReplyTarget")
    replied = case.first_reply_at
    received = item.received_at
    due = None if target is None else target.calendar.add(received, target.within)
    taken: timedelta | None = None
    if replied is not None:
        taken = (
            v.since_epoch(replied) - v.since_epoch(received)
            if target is None
            else target.calendar.between(received, replied)
        )
    met: bool | None = None
    if due is not None:
        if replied is not None:
            met = v.since_epoch(replied) <= v.since_epoch(due)
        elif now is not None and v.since_epoch(now) > v.since_epoch(due):
            met = False
    return FirstReply(
        feedback_id=item.id,
        channel=item.channel,
        received_at=received,
        replied_at=replied,
        due_at=due,
        taken=taken,
        met=met,
    )
