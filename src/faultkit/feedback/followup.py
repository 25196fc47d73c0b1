"""Satisfaction surveys after closure: when to send them, and answers tied to the case.

The procedure ends the feedback loop with a satisfaction survey once the customer has
been told the result. The rule (a :class:`SurveyPlan` is data; change it per channel
or product as you need):

- the survey is due ``plan.first`` after the case was **last** closed (one day by
  default, a ``dateutil.relativedelta``, so "1 month" means a calendar month): the
  years, months and days of a delay move the closure's wall time on the calendar of
  its zone (a day after 09:00 is 09:00, across a DST change too), then its hours,
  minutes and seconds elapse (two hours after 00:30 on the night the clocks go back
  is the second 01:30);
- each reminder is due ``plan.reminders[i]`` after that closure (three days by
  default), unless the customer answered the survey before it (an answer dated before
  the survey was due answers no survey of this closure, and cancels nothing);
- a case that is not closed (never closed, or reopened since) has none: a reopen
  cancels what the closure scheduled, and the next closure schedules afresh;
- a case closed without an answer has none: the workflow closes feedback that needs
  no answer (spam, a duplicate, a message sent in error) from any status but
  ``answered``, with a reason, and the survey asks how the customer liked the answer
  they were given. Only a closure from ``answered`` schedules surveys. (The reason is
  free text: it is not read.)

Due times and answers are compared as instants (a DST fold's repeated hour is in order).

:func:`case_survey_response` ties an answer to the case it follows up, so satisfaction
can be broken down per fault, team, agent and channel with
:func:`~faultkit.feedback.survey_breakdown`; an answer dated before the case was first
closed after an answer (or to a case never so closed, which had no survey) is refused,
naming ``answered_at``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.feedback.case import FeedbackCase
from faultkit.feedback.surveys import SurveyKind, SurveyResponse
from faultkit.feedback.workflow import FeedbackStatus

__all__ = [
    "ScheduledSurvey",
    "SurveyPlan",
    "SurveyStep",
    "case_survey_response",
    "scheduled_surveys",
]


_ABSOLUTE = ("year", "month", "day", "weekday", "hour", "minute", "second", "microsecond")
_RELATIVE = ("years", "months", "days", "hours", "minutes", "seconds", "microseconds")


def _check_delay(name: str, value: object) -> None:
    if not isinstance(value, relativedelta):
        raise InvalidInputError(name, value, "expected a dateutil relativedelta")
    for part in _ABSOLUTE:
        if getattr(value, part) is not None:
            raise InvalidInputError(
                name,
                value,
                f"absolute {part}={getattr(value, part)} refused: a delay after closure "
                f"is relative only ({part}s=..., not {part}=...)",
            )
    for part in _RELATIVE:
        if getattr(value, part) < 0:
            raise InvalidInputError(
                name, value, f"negative {part}={getattr(value, part)} refused: a delay goes forward"
            )
    if value.leapdays:
        raise InvalidInputError(name, value, "leapdays refused: give days")
    if not any(getattr(value, part) for part in _RELATIVE):
        raise InvalidInputError(name, value, "expected a delay after closure, not zero")


def _delay(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _check_delay(attribute.name, value)


def _delays(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple):
        raise InvalidInputError(attribute.name, value, "expected a tuple of relativedelta")
    for index, item in enumerate(value):
        _check_delay(f"{attribute.name}[{index}]", item)


class SurveyStep(enum.StrEnum):
    """Which message of a survey plan is due."""

    SURVEY = "survey"
    REMINDER = "reminder"


@attrs.frozen(kw_only=True)
class SurveyPlan:
    """When the satisfaction survey and its reminders go out after closure.

    Attributes:
        kind: the survey asked (CSAT by default).
        first: the delay from closure to the survey (one day by default).
        reminders: the delays from closure to each reminder (three days by default).

    A delay is a ``relativedelta`` of relative parts only (``days=1``, ``months=1``),
    none negative, not all zero: an absolute part (``day=1``, ``hour=9``, ``year=``,
    ``weekday=``) would put the survey at a fixed date or hour, possibly before the
    closure, and a negative part makes the delay's sign depend on the month
    (``months=1, days=-30`` is forward from January, back from February). ``leapdays``
    is refused too. Each is refused with an ``InvalidInputError`` naming ``first`` or
    ``reminders[i]`` and the part.
    """

    kind: SurveyKind = attrs.field(default=SurveyKind.CSAT, validator=v.member_of(SurveyKind))
    first: relativedelta = attrs.field(factory=lambda: relativedelta(days=1), validator=_delay)
    reminders: tuple[relativedelta, ...] = attrs.field(
        factory=lambda: (relativedelta(days=3),), converter=v.list_to_tuple, validator=_delays
    )


@attrs.frozen(kw_only=True)
class ScheduledSurvey:
    """One survey message due for a closed feedback case.

    Attributes:
        feedback_id: the feedback it follows up.
        kind: the survey asked.
        step: the survey itself or a reminder.
        due_at: when it is due.
    """

    feedback_id: str
    kind: SurveyKind
    step: SurveyStep
    due_at: datetime


def _due(closed: datetime, delay: relativedelta) -> datetime:
    calendar = relativedelta(years=delay.years, months=delay.months, days=delay.days)
    clock = timedelta(
        hours=delay.hours,
        minutes=delay.minutes,
        seconds=delay.seconds,
        microseconds=delay.microseconds,
    )
    try:
        day = closed + calendar  # the same wall time that many days/months later
        return (day.astimezone(UTC) + clock).astimezone(closed.tzinfo)  # hours elapse
    except (OverflowError, ValueError):  # past year 9999
        raise InvalidInputError(
            "closed_at", closed, f"a survey {delay} after closure falls after year 9999"
        ) from None


def scheduled_surveys(
    case: FeedbackCase,
    plan: SurveyPlan | None = None,
    *,
    responses: Iterable[SurveyResponse] = (),
) -> tuple[ScheduledSurvey, ...]:
    """The survey messages due for ``case``, in time order (see the module rule).

    Args:
        case: the feedback case.
        plan: the survey plan (one survey a day after closure, a reminder after three
            days, by default).
        responses: survey answers; one for this feedback, of the plan's kind, answered
            once the survey was due cancels the reminders due after it.

    Raises:
        InvalidInputError: ``case`` is not a FeedbackCase, ``plan`` not a SurveyPlan,
            ``responses`` not a collection of SurveyResponse values (naming
            ``responses[i]``), or a message would fall after year 9999.

    Example:
        >>> from datetime import UTC, datetime
        >>> from faultkit.feedback import Feedback, FeedbackCase
        >>> from faultkit.models import IntakeChannel, Person
        >>> ana = Person(id="a1", name="Ana")
        >>> at = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)
        >>> item = Feedback(id="f1", channel=IntakeChannel.STAFF, received_at=at, text="Hi")
        >>> case = (
        ...     FeedbackCase.open(item)
        ...     .reply(author=ana, at=at, text_ref="note-1")
        ...     .fire("answer", actor=ana, at=at)
        ...     .fire("close", actor=ana, at=at)
        ... )
        >>> [(s.step.value, s.due_at.day) for s in scheduled_surveys(case)]
        [('survey', 4), ('reminder', 6)]
        >>> spam = FeedbackCase.open(item).fire("close", actor=ana, at=at, reason="spam")
        >>> scheduled_surveys(spam)
        ()
    """
    if not isinstance(case, FeedbackCase):
        raise InvalidInputError("case", case, "expected a FeedbackCase")
    plan = SurveyPlan() if plan is None else plan
    if not isinstance(plan, SurveyPlan):
        raise InvalidInputError("plan", plan, "expected a SurveyPlan")
    answers = v.items_of("responses", responses)
    for index, response in enumerate(answers):
        if not isinstance(response, SurveyResponse):
            raise InvalidInputError(f"responses[{index}]", response, "expected a SurveyResponse")
    closed = case.closed_at
    if closed is None or case.history[-1].from_state != FeedbackStatus.ANSWERED:
        return ()  # not closed, or closed without an answer (spam, a duplicate)
    survey_due = _due(closed, plan.first)
    after = v.since_epoch(survey_due)  # an earlier answer answers no survey of this closure
    answered = min(
        (
            v.since_epoch(r.answered_at)
            for r in answers
            if r.feedback_id == case.id
            and r.kind is plan.kind
            and v.since_epoch(r.answered_at) >= after
        ),
        default=None,
    )
    out = [
        ScheduledSurvey(
            feedback_id=case.id,
            kind=plan.kind,
            step=SurveyStep.SURVEY,
            due_at=survey_due,
        )
    ]
    for delay in plan.reminders:
        due = _due(closed, delay)
        if answered is None or v.since_epoch(due) < answered:
            out.append(
                ScheduledSurvey(
                    feedback_id=case.id, kind=plan.kind, step=SurveyStep.REMINDER, due_at=due
                )
            )
    out.sort(key=lambda s: v.since_epoch(s.due_at))
    return tuple(out)


def case_survey_response(
    case: FeedbackCase,
    *,
    id: str,
    kind: SurveyKind,
    score: int,
    answered_at: datetime,
    comment: str | None = None,
    plan: SurveyPlan | None = None,
) -> SurveyResponse:
    """A survey answer following up ``case``, carrying what it is broken down by.

    The channel, product and customer are the feedback's; the fault, team and agent
    are the case's at the time of the call.

    The survey follows a closure after an answer (see :func:`scheduled_surveys`), so
    the answer is not dated before the case was first closed from ``answered``
    (compared as instants); an answer after a reopen is kept (it answers the survey of
    an earlier closure). Given the ``plan`` the survey was sent by, the answer is not
    dated before that survey was due (``plan.first`` after that closure), and is of
    the plan's kind.

    Raises:
        InvalidInputError: ``case`` is not a FeedbackCase, ``plan`` not a SurveyPlan,
            a value is not valid for :class:`~faultkit.feedback.SurveyResponse`,
            ``answered_at`` is before the case's first closure after an answer (or the
            survey's due time, given ``plan``), or there is none (never closed, or only
            closed without an answer), or ``kind`` is not the plan's.
    """
    if not isinstance(case, FeedbackCase):
        raise InvalidInputError("case", case, "expected a FeedbackCase")
    if plan is not None and not isinstance(plan, SurveyPlan):
        raise InvalidInputError("plan", plan, "expected a SurveyPlan or None")
    given: object = kind  # typed a SurveyKind; callers may pass its value
    if not isinstance(given, SurveyKind):  # as SurveyResponse refuses it, before the plan
        allowed = ", ".join(repr(k.value) for k in SurveyKind)
        raise InvalidInputError("kind", kind, f"expected a SurveyKind ({allowed})")
    if plan is not None and kind is not plan.kind:
        raise InvalidInputError("kind", kind, f"the plan's survey asks {plan.kind.value}")
    v.check_aware("answered_at", answered_at)
    closures = [e for e in case.history if e.to_state == FeedbackStatus.CLOSED]
    closed = next((e.at for e in closures if e.from_state == FeedbackStatus.ANSWERED), None)
    if closed is None:
        raise InvalidInputError(
            "answered_at",
            answered_at,
            f"feedback {case.id!r} has not been closed: a satisfaction survey follows closure"
            if not closures
            else f"feedback {case.id!r} was only closed without an answer (spam, a "
            "duplicate): no satisfaction survey was sent",
        )
    if v.since_epoch(answered_at) < v.since_epoch(closed):
        raise InvalidInputError(
            "answered_at",
            answered_at,
            f"is before feedback {case.id!r} was closed ({closed.isoformat()}): "
            "a satisfaction survey follows closure",
        )
    if plan is not None:
        due = _due(closed, plan.first)
        if v.since_epoch(answered_at) < v.since_epoch(due):
            raise InvalidInputError(
                "answered_at",
                answered_at,
                f"is before the survey of feedback {case.id!r} was due ({due.isoformat()})",
            )
    item = case.feedback
    return SurveyResponse(
        id=id,
        kind=kind,
        score=score,
        answered_at=answered_at,
        channel=item.channel,
        product=item.product,
        customer_id=item.customer_id,
        fault_id=case.fault_id,
        comment=comment,
        feedback_id=item.id,
        team=case.team,
        agent=case.agent,
    )
