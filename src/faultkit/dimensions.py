"""What a figure is broken down by: one :class:`Dimension` for faults, feedback and surveys.

Each breakdown takes the dimensions its items carry, listed below as sets: the fault
figures of :mod:`faultkit.metrics` (``group_by``), the feedback counts of
:func:`faultkit.feedback.trend` and :func:`~faultkit.feedback.category_counts` (``by``),
the survey scores of :func:`faultkit.feedback.survey_breakdown` (``by``). A dimension
outside a breakdown's set is refused with an :class:`~faultkit.errors.InvalidInputError`
naming the argument, the value and the dimensions allowed.

>>> sorted(d.value for d in FEEDBACK_DIMENSIONS)
['channel', 'product', 'type']
>>> check_dimension(Dimension.TEAM, SURVEY_DIMENSIONS, "by")
<Dimension.TEAM: 'team'>
"""

from __future__ import annotations

import enum

from faultkit.errors import InvalidInputError

__all__ = [
    "FAULT_DIMENSIONS",
    "FEEDBACK_DIMENSIONS",
    "ROW_DIMENSIONS",
    "SURVEY_DIMENSIONS",
    "Dimension",
    "check_dimension",
]


class Dimension(enum.StrEnum):
    """What a figure can be grouped by."""

    PERIOD = "period"
    """The period (day, week, month) the fault was opened in, or the answer given."""
    PRIORITY = "priority"
    """The fault's priority (1 highest to 5)."""
    SEVERITY = "severity"
    """The fault's severity (SEV1 worst to SEV5)."""
    COMPONENT = "component"
    """The component the fault is in."""
    CHANNEL = "channel"
    """The channel the fault, the feedback or the surveyed feedback came in through."""
    REPORTER = "reporter"
    """The id of the person who reported the fault (figures over faults only)."""
    PRODUCT = "product"
    """The product the feedback is about."""
    TYPE = "type"
    """The feedback type, from the classifications the caller made (never a default)."""
    FAULT = "fault"
    """The fault the surveyed feedback was linked to."""
    TEAM = "team"
    """The team that handled the surveyed feedback."""
    AGENT = "agent"
    """The agent who handled the surveyed feedback."""


FAULT_DIMENSIONS = frozenset(
    {
        Dimension.PERIOD,
        Dimension.PRIORITY,
        Dimension.SEVERITY,
        Dimension.COMPONENT,
        Dimension.CHANNEL,
        Dimension.REPORTER,
    }
)
"""What the fault figures of :mod:`faultkit.metrics` can be grouped by."""

ROW_DIMENSIONS = FAULT_DIMENSIONS - {Dimension.REPORTER}
"""What the figures over event rows (:func:`faultkit.metrics.handling_metrics`,
``faultkit report``) can be grouped by: an event row does not name the reporter."""

FEEDBACK_DIMENSIONS = frozenset({Dimension.TYPE, Dimension.PRODUCT, Dimension.CHANNEL})
"""What feedback counts (:func:`faultkit.feedback.trend`) are broken down by."""

SURVEY_DIMENSIONS = frozenset(
    {
        Dimension.CHANNEL,
        Dimension.PRODUCT,
        Dimension.PERIOD,
        Dimension.FAULT,
        Dimension.TEAM,
        Dimension.AGENT,
    }
)
"""What survey scores (:func:`faultkit.feedback.survey_breakdown`) are grouped by."""


def check_dimension(value: object, allowed: frozenset[Dimension], field: str) -> Dimension:
    """``value`` if it is a :class:`Dimension` of ``allowed``.

    A text such as ``"priority"`` is refused, as the other enumerations of the figures
    are (``Period``): a typo would otherwise pass for a dimension until it is looked up.

    Raises:
        InvalidInputError: ``value`` is no :class:`Dimension`, or not one of ``allowed``
            (``field`` names the argument).
    """
    if isinstance(value, Dimension) and value in allowed:
        return value
    names = ", ".join(sorted(d.value for d in allowed))
    if not isinstance(value, Dimension):
        raise InvalidInputError(field, value, f"expected a Dimension ({names})")
    raise InvalidInputError(field, value, f"cannot break these figures down by it ({names})")
