"""The small structural protocols the lifecycle's requirements read.

Other parts of faultkit (and your own code) plug into the lifecycle by having the
right methods, without importing the lifecycle: ``faultkit.scoring``'s
``ReviewStandard`` is a :class:`ReviewChecklist`, and ``faultkit.rca``'s analysis
objects are :class:`RootCauseAnalysis` objects; ``faultkit.problems``' problem records
are :class:`LinkedProblem` objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from faultkit.models import FaultReport
from faultkit.rca.actions import Action

__all__ = ["ChecklistOutcome", "LinkedProblem", "ReviewChecklist", "RootCauseAnalysis"]


@runtime_checkable
class ChecklistOutcome(Protocol):
    """The result of checking a report against a review checklist.

    Attributes:
        passed: whether the report meets the checklist.
        missing: the names of the required items the report lacks.
    """

    @property
    def passed(self) -> bool: ...

    @property
    def missing(self) -> tuple[str, ...]: ...


@runtime_checkable
class ReviewChecklist(Protocol):
    """A written review standard a report is checked against (submit and accept)."""

    def assess(self, report: FaultReport) -> ChecklistOutcome:
        """Check ``report`` and say whether it passes and what it lacks."""
        ...


@runtime_checkable
class RootCauseAnalysis(Protocol):
    """A root-cause analysis, as far as the lifecycle needs to know it.

    It holds no actions: the fault does (``fault.actions``), and passes them.
    """

    def incomplete_reasons(self, actions: Iterable[Action] = ()) -> tuple[str, ...]:
        """What is still missing given the fault's ``actions`` (no root cause recorded,
        a cause without a corrective action, ...); empty when the analysis is complete."""
        ...

    def has_corrective_action(self, actions: Iterable[Action] = ()) -> bool:
        """Whether one of the fault's ``actions`` is a corrective action of this analysis."""
        ...


@runtime_checkable
class LinkedProblem(Protocol):
    """What the lifecycle asks of the problem a fault is linked to (ITIL 4 problem management).

    A :class:`~faultkit.lifecycle.Lifecycle` given a ``problems`` lookup finds the
    fault's linked problem (:meth:`Fault.link_problem
    <faultkit.lifecycle.Fault.link_problem>`) when a trigger fires and hands it to the
    requirements as ``TransitionContext.problem``.
    """

    @property
    def id(self) -> str:
        """The problem's id."""
        ...

    def has_verified_root_cause(self) -> bool:
        """Whether its analysis (five whys or fishbone) reached a verified root cause."""
        ...

    def known_error_workaround(self) -> str | None:
        """The workaround when the problem is a known error, else ``None``."""
        ...
