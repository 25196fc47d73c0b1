"""The ``feedback`` workflow: the status of one feedback item, from receipt to closure.

Source: the customer feedback and result feedback parts of the procedure faultkit
encodes (see the design): feedback is received on a channel, **acknowledged**, worked
on, **answered** on the channel it came from (the customer is told the outcome), and
closed; a satisfaction survey follows closure. A customer who is not satisfied
reopens it. Feedback that needs no answer (spam, a duplicate, a message sent in error)
is closed without one, with a reason.

Read the table top to bottom. It is a :class:`~faultkit.lifecycle.Workflow`, so it is
checked when it is built (no unreachable state, no dead end) and the lifecycle
diagram, the event-log validator and :class:`~faultkit.feedback.FeedbackCase` read the
same data. The requirement names are checked by
:data:`~faultkit.feedback.case.FEEDBACK_REQUIREMENTS`.
"""

from __future__ import annotations

import enum

from faultkit.lifecycle.workflow import State, StateCategory, Transition, Workflow

__all__ = ["FEEDBACK_WORKFLOW", "FeedbackStatus", "FeedbackTrigger"]


class FeedbackStatus(enum.StrEnum):
    """The status of a feedback item."""

    NEW = "new"
    """Received; nobody has looked at it yet."""
    ACKNOWLEDGED = "acknowledged"
    """Someone has seen it and told the customer so."""
    IN_PROGRESS = "in_progress"
    """Being worked on (investigated, linked to a fault)."""
    ANSWERED = "answered"
    """The customer has been answered on a channel."""
    CLOSED = "closed"
    """Handling is over; a satisfaction survey may follow."""
    REOPENED = "reopened"
    """The customer came back after an answer or the closure."""


class FeedbackTrigger(enum.StrEnum):
    """The triggers of the ``feedback`` workflow."""

    ACKNOWLEDGE = "acknowledge"
    START = "start"
    ANSWER = "answer"
    CLOSE = "close"
    REOPEN = "reopen"


S = FeedbackStatus
T = FeedbackTrigger

FEEDBACK_WORKFLOW = Workflow(
    name="feedback",
    initial=S.NEW,
    states=(
        State(name=S.NEW, category=StateCategory.OPEN, description="Received."),
        State(
            name=S.ACKNOWLEDGED,
            category=StateCategory.OPEN,
            description="Seen; the customer knows it was received.",
        ),
        State(name=S.IN_PROGRESS, category=StateCategory.ACTIVE, description="Being worked on."),
        State(
            name=S.ANSWERED,
            category=StateCategory.RESOLVED,
            description="Answered on a channel; awaiting closure.",
        ),
        State(
            name=S.CLOSED,
            category=StateCategory.CLOSED,
            terminal=True,
            description="Handled; a survey may follow.",
        ),
        State(
            name=S.REOPENED,
            category=StateCategory.ACTIVE,
            description="The customer came back.",
        ),
    ),
    transitions=(
        Transition(trigger=T.ACKNOWLEDGE, sources=(S.NEW,), dest=S.ACKNOWLEDGED),
        Transition(
            trigger=T.START,
            sources=(S.NEW, S.ACKNOWLEDGED, S.REOPENED),
            dest=S.IN_PROGRESS,
        ),
        Transition(
            trigger=T.ANSWER,
            sources=(S.NEW, S.ACKNOWLEDGED, S.IN_PROGRESS, S.REOPENED),
            dest=S.ANSWERED,
            requires=("reply_recorded",),
            description=(
                "A reply the customer could see since receipt (or since the last "
                "reopen) is recorded."
            ),
        ),
        Transition(trigger=T.CLOSE, sources=(S.ANSWERED,), dest=S.CLOSED),
        Transition(
            trigger=T.CLOSE,
            sources=(S.NEW, S.ACKNOWLEDGED, S.IN_PROGRESS, S.REOPENED),
            dest=S.CLOSED,
            requires=("reason_given",),
            description="Closed without an answer (spam, duplicate): say why.",
        ),
        Transition(
            trigger=T.REOPEN,
            sources=(S.ANSWERED, S.CLOSED),
            dest=S.REOPENED,
            requires=("reason_given",),
        ),
    ),
)
"""The feedback workflow table."""
