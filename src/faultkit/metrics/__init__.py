"""Continuous improvement: figures over faults, reviews, actions and feedback.

This package only re-exports; see the submodules for the details.
"""

from faultkit.metrics.faults import fault_rows
from faultkit.metrics.grouping import Dimension, GroupValue
from faultkit.metrics.handling import (
    EventRow,
    Group,
    HandlingFigures,
    HandlingReport,
    MtbfFigure,
    handling_metrics,
)
from faultkit.metrics.stats import DEFAULT_EXACT_LIMIT, DurationSummary, Rate, summarize

__all__ = [
    "DEFAULT_EXACT_LIMIT",
    "Dimension",
    "DurationSummary",
    "EventRow",
    "Group",
    "GroupValue",
    "HandlingFigures",
    "HandlingReport",
    "MtbfFigure",
    "Rate",
    "fault_rows",
    "handling_metrics",
    "summarize",
]
