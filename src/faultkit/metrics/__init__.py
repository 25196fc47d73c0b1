"""Continuous improvement: figures over faults, reviews, actions and feedback.

This package only re-exports; see the submodules for the details.
"""

from faultkit.metrics.coverage import (
    FIGURE_NEEDS,
    Coverage,
    EventFact,
    MissingFigure,
    facts_of,
    figure_coverage,
)
from faultkit.metrics.faults import fault_rows
from faultkit.metrics.feedback_loop import FeedbackLoopReport, feedback_loop
from faultkit.metrics.figures import Group, HandlingFigures, HandlingReport
from faultkit.metrics.grouping import Dimension, GroupValue
from faultkit.metrics.handling import handling_metrics
from faultkit.metrics.quality import (
    BacklogBar,
    BacklogBy,
    QualityFigures,
    QualityGroup,
    QualityReport,
    ScoreSummary,
    default_fingerprint,
    improvement_backlog,
    quality_metrics,
)
from faultkit.metrics.reliability import ReliabilityFigure, Timeline, reliability_figure
from faultkit.metrics.rows import EventRow
from faultkit.metrics.stats import DEFAULT_EXACT_LIMIT, DurationSummary, Rate, summarize
from faultkit.metrics.undated import UNDATED_UNAVAILABLE, undated_figures

__all__ = [
    "DEFAULT_EXACT_LIMIT",
    "FIGURE_NEEDS",
    "UNDATED_UNAVAILABLE",
    "BacklogBar",
    "BacklogBy",
    "Coverage",
    "Dimension",
    "DurationSummary",
    "EventFact",
    "EventRow",
    "FeedbackLoopReport",
    "Group",
    "GroupValue",
    "HandlingFigures",
    "HandlingReport",
    "MissingFigure",
    "QualityFigures",
    "QualityGroup",
    "QualityReport",
    "Rate",
    "ReliabilityFigure",
    "ScoreSummary",
    "Timeline",
    "default_fingerprint",
    "facts_of",
    "fault_rows",
    "feedback_loop",
    "figure_coverage",
    "handling_metrics",
    "improvement_backlog",
    "quality_metrics",
    "reliability_figure",
    "summarize",
    "undated_figures",
]
