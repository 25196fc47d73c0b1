"""The ``problem`` workflow: a problem record from identification to closure (ITIL 4).

Source: ITIL 4 problem management (problem identification, problem control, error
control): a problem is the cause, or potential cause, of one or more incidents
(faults). It is **identified** (``new``), **analysed** (five whys and/or a fishbone),
becomes a **known error** once its root cause is recorded and a workaround is
documented, is **resolved** by a corrective action that removes a verified root
cause, and is **closed** once the fix is verified effective. A problem that needs no
further work (a duplicate, an accepted risk, no longer reproducible) is closed with a
reason; a fix that did not hold reopens it.

Read the table top to bottom. It is a :class:`~faultkit.lifecycle.Workflow`, checked
when it is built (no unreachable state, no dead end), so the lifecycle diagram, the
event-log validator and :class:`~faultkit.problems.Problem` read the same data. The
requirement names are checked against
:data:`~faultkit.problems.problem.PROBLEM_REQUIREMENTS` when the problem module is
imported.
"""

from __future__ import annotations

import enum

from faultkit.lifecycle.workflow import State, StateCategory, Transition, Workflow

__all__ = ["PROBLEM_WORKFLOW", "ProblemStatus", "ProblemTrigger"]


class ProblemStatus(enum.StrEnum):
    """The status of a problem record."""

    NEW = "new"
    """Identified (from one or more faults, or proactively); not yet analysed."""
    ANALYSING = "analysing"
    """Root-cause analysis under way (five whys, fishbone)."""
    KNOWN_ERROR = "known_error"
    """The root cause is recorded and a workaround documented: a known error."""
    RESOLVED = "resolved"
    """A corrective action removed a verified root cause; awaiting verification."""
    CLOSED = "closed"
    """The fix was verified effective, or no further work is needed (with a reason)."""


class ProblemTrigger(enum.StrEnum):
    """The triggers of the ``problem`` workflow."""

    START_ANALYSIS = "start_analysis"
    DECLARE_KNOWN_ERROR = "declare_known_error"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"


S = ProblemStatus
T = ProblemTrigger

PROBLEM_WORKFLOW = Workflow(
    name="problem",
    initial=S.NEW,
    states=(
        State(name=S.NEW, category=StateCategory.OPEN, description="Identified."),
        State(name=S.ANALYSING, category=StateCategory.ACTIVE, description="Being analysed."),
        State(
            name=S.KNOWN_ERROR,
            category=StateCategory.ACTIVE,
            description="Root cause and workaround known; the fix is still to come.",
        ),
        State(
            name=S.RESOLVED,
            category=StateCategory.RESOLVED,
            description="Fixed; awaiting the check that the fix works.",
        ),
        State(
            name=S.CLOSED,
            category=StateCategory.CLOSED,
            terminal=True,
            description="Fix verified, or closed with a reason.",
        ),
    ),
    transitions=(
        Transition(trigger=T.START_ANALYSIS, sources=(S.NEW,), dest=S.ANALYSING),
        Transition(
            trigger=T.DECLARE_KNOWN_ERROR,
            sources=(S.ANALYSING,),
            dest=S.KNOWN_ERROR,
            requires=("root_cause_recorded", "workaround_recorded"),
            description="ITIL error control: a root cause and a documented workaround.",
        ),
        Transition(
            trigger=T.RESOLVE,
            sources=(S.ANALYSING, S.KNOWN_ERROR),
            dest=S.RESOLVED,
            requires=("verified_root_cause", "corrective_action"),
            description="The analysis reached a verified root cause, and a fix removes it.",
        ),
        Transition(
            trigger=T.CLOSE,
            sources=(S.RESOLVED,),
            dest=S.CLOSED,
            requires=("fix_verified",),
            description="The fix was verified effective, with evidence, after the resolve.",
        ),
        Transition(
            trigger=T.CLOSE,
            sources=(S.NEW, S.ANALYSING, S.KNOWN_ERROR),
            dest=S.CLOSED,
            requires=("reason_given",),
            description="No further work (duplicate, accepted risk, not reproducible): say why.",
        ),
        Transition(
            trigger=T.REOPEN,
            sources=(S.RESOLVED, S.CLOSED),
            dest=S.ANALYSING,
            requires=("reason_given",),
            description="The fix did not hold, or the problem came back.",
        ),
    ),
)
"""The problem workflow table."""
