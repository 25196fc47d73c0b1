"""The figures an event log without update times still gives: by file order alone.

An export without an updated-at column (a plain Jira issue list, one row per issue)
has no clock: no time to acknowledge, resolve or close, no SLA attainment, no ages, no
trend by period. What its rows still say, read in file order, is how many faults
there are, the state each ends in and how many were reopened (a resolved or closed
state followed by a working one). :func:`undated_figures` gives exactly that, and
:data:`UNDATED_UNAVAILABLE` names what it cannot give, for the report to say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from faultkit.lifecycle import StateCategory, Workflow
from faultkit.metrics.coverage import FIGURE_NEEDS, EventFact

__all__ = ["UNDATED_UNAVAILABLE", "undated_figures"]

UNDATED_UNAVAILABLE = (
    *(figure for figure, needs in FIGURE_NEEDS.items() if EventFact.UPDATED_AT in needs),
    "figures per period",
)
"""The report's figures that need update times."""

_DONE = frozenset({StateCategory.RESOLVED, StateCategory.CLOSED})


def undated_figures(
    events: Sequence[tuple[str, str, datetime | None]], workflow: Workflow
) -> dict[str, Any]:
    """Faults, their last state's category, reopened faults and unknown labels, by file order.

    A fault is reopened when a row in a resolved or closed state is followed (for the
    same fault) by a row in a state of another category.

    >>> from faultkit.lifecycle import ITIL
    >>> rows = [("A", "New", None), ("A", "Resolved", None), ("A", "Active", None),
    ...         ("B", "Closed", None), ("C", "Nope", None)]
    >>> figures = undated_figures(rows, ITIL)
    >>> figures["faults"], figures["reopened"], figures["last_state"], figures["unknown_labels"]
    (3, 1, {'active': 1, 'closed': 1}, 1)
    """
    label_map = workflow.label_map
    last: dict[str, StateCategory] = {}
    reopened: set[str] = set()
    seen: set[str] = set()
    unknown = 0
    for incident, label, _at in events:
        seen.add(incident)
        state = label_map.get(label)
        if state is None:
            unknown += 1
            continue
        category = workflow.state(state).category
        before = last.get(incident)
        if before in _DONE and category not in _DONE:
            reopened.add(incident)
        last[incident] = category
    by_category: dict[str, int] = {}
    for category in last.values():
        by_category[str(category)] = by_category.get(str(category), 0) + 1
    return {
        "faults": len(seen),
        "reopened": len(reopened),
        "last_state": dict(sorted(by_category.items())),
        "unknown_labels": unknown,
    }
