"""Which figures an export can give, and which it cannot, from the facts its rows carry.

An export of another tool may lack dates (a Jira issue list: key, priority, status),
opening times, priorities, components or an SLA flag. :func:`figure_coverage` says,
from the facts an export carries, which handling figures cannot be computed and why,
and which ones are computed with a caveat, so a report states it plainly instead of
printing zeros. The table :data:`FIGURE_NEEDS` is the rule, as data; the command's
``report`` and export profiles call the same function.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from faultkit.errors import InvalidInputError

__all__ = ["FIGURE_NEEDS", "Coverage", "EventFact", "MissingFigure", "facts_of", "figure_coverage"]


class EventFact(enum.StrEnum):
    """A fact an event-log row may carry (the names of the export fields)."""

    UPDATED_AT = "updated_at"
    """When the row's update happened: every time figure needs it."""
    OPENED_AT = "opened_at"
    """When the fault was opened (else its first row's time stands in for it)."""
    PRIORITY = "priority"
    """The priority: SLA targets and per-priority figures need it."""
    COMPONENT = "component"
    """The component (configuration item): reliability per component needs it."""
    MADE_SLA = "made_sla"
    """The export's own SLA flag."""


_U, _O, _P, _C, _M = (
    EventFact.UPDATED_AT,
    EventFact.OPENED_AT,
    EventFact.PRIORITY,
    EventFact.COMPONENT,
    EventFact.MADE_SLA,
)

FIGURE_NEEDS: Mapping[str, tuple[EventFact, ...]] = MappingProxyType(
    {
        "faults": (),
        "open at the end (count)": (),
        "time to acknowledge": (_U,),
        "time to resolve": (_U,),
        "time to close": (_U,),
        "open age": (_U,),
        "reopen rate": (),  # by the order of a fault's rows, dated or not
        "response SLA": (_U, _P),
        "resolution SLA and its breaches": (_U, _P),
        "figures per priority": (_P,),
        "MTRS, MTBF, MTBSI per component": (_U, _C),
        "the export's SLA flag": (_M,),
    }
)
"""Each handling figure and the facts it cannot do without."""

_CAVEATS: Mapping[EventFact, str] = MappingProxyType(
    {
        _O: "no opening times: each fault's times are measured from its first row, "
        "so times to acknowledge, resolve and close are lower bounds",
    }
)


@attrs.frozen(kw_only=True)
class MissingFigure:
    """A figure an export cannot give.

    Attributes:
        figure: the figure's name, as in :data:`FIGURE_NEEDS`.
        needs: the facts it needs that the export lacks.
    """

    figure: str
    needs: tuple[EventFact, ...]

    def __str__(self) -> str:
        return f"{self.figure} (needs {', '.join(self.needs)})"


@attrs.frozen(kw_only=True)
class Coverage:
    """What an export can give.

    Attributes:
        facts: the facts the export carries.
        given: the figures it gives, in the order of :data:`FIGURE_NEEDS`.
        missing: the figures it cannot give, each with the facts it lacks.
        caveats: figures it gives with a caveat, as sentences.
    """

    facts: frozenset[EventFact]
    given: tuple[str, ...]
    missing: tuple[MissingFigure, ...]
    caveats: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Every figure is given, none with a caveat."""
        return not self.missing and not self.caveats

    def lines(self) -> list[str]:
        """Plain statements for a person: nothing when the coverage is complete."""
        out = []
        if self.missing:
            lacking = sorted({fact for item in self.missing for fact in item.needs})
            out.append(
                f"not computed, the export has no {', '.join(lacking)}: "
                + "; ".join(item.figure for item in self.missing)
            )
        out += [f"caveat: {caveat}" for caveat in self.caveats]
        return out


def figure_coverage(facts: Iterable[EventFact | str]) -> Coverage:
    """Which handling figures an export carrying ``facts`` gives, and which not.

    Args:
        facts: the facts the export's rows carry, as :class:`EventFact` members or
            their names (``"updated_at"``, ``"priority"``, ... as export profiles
            name the fields); the id and state are taken as given.

    Raises:
        InvalidInputError: a name that is not an :class:`EventFact`.

    >>> coverage = figure_coverage(["priority"])  # a priority-only export
    >>> [item.figure for item in coverage.missing][:2]
    ['time to acknowledge', 'time to resolve']
    >>> figure_coverage(["updated_at", "opened_at", "priority", "component", "made_sla"]).complete
    True
    """
    have: set[EventFact] = set()
    for index, fact in enumerate(facts):
        try:
            have.add(EventFact(fact))
        except ValueError:
            raise InvalidInputError(
                f"facts[{index}]", fact, f"expected one of {', '.join(EventFact)}"
            ) from None
    given: list[str] = []
    missing: list[MissingFigure] = []
    for figure, needs in FIGURE_NEEDS.items():
        lacking = tuple(fact for fact in needs if fact not in have)
        if lacking:
            missing.append(MissingFigure(figure=figure, needs=lacking))
        else:
            given.append(figure)
    caveats = tuple(text for fact, text in _CAVEATS.items() if fact not in have and _U in have)
    return Coverage(
        facts=frozenset(have), given=tuple(given), missing=tuple(missing), caveats=caveats
    )


def facts_of(rows: Iterable[Any]) -> frozenset[EventFact]:
    """The facts event rows carry: a fact counts when at least one row has it.

    Any object with the attributes of :class:`~faultkit.metrics.EventRow` will do; a
    row's ``at`` stands for :attr:`EventFact.UPDATED_AT`.
    """
    found: set[EventFact] = set()
    checks = (
        (EventFact.UPDATED_AT, "at"),
        (EventFact.OPENED_AT, "opened_at"),
        (EventFact.PRIORITY, "priority"),
        (EventFact.COMPONENT, "component"),
        (EventFact.MADE_SLA, "made_sla"),
    )
    for row in rows:
        for fact, name in checks:
            if fact not in found and getattr(row, name, None) is not None:
                found.add(fact)
        if len(found) == len(checks):
            break
    return frozenset(found)
