"""Continuous improvement: figures over faults, reviews, actions and feedback.

This package only re-exports; see the submodules for the details.
"""

from typing import TYPE_CHECKING

from faultkit._lazy import lazy_exports

if TYPE_CHECKING:
    from faultkit.dimensions import Dimension
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
    from faultkit.metrics.grouping import GroupValue
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
else:
    __getattr__ = lazy_exports(
        __name__,
        {
            "FIGURE_NEEDS": "faultkit.metrics.coverage",
            "Coverage": "faultkit.metrics.coverage",
            "EventFact": "faultkit.metrics.coverage",
            "MissingFigure": "faultkit.metrics.coverage",
            "facts_of": "faultkit.metrics.coverage",
            "figure_coverage": "faultkit.metrics.coverage",
            "fault_rows": "faultkit.metrics.faults",
            "FeedbackLoopReport": "faultkit.metrics.feedback_loop",
            "feedback_loop": "faultkit.metrics.feedback_loop",
            "Group": "faultkit.metrics.figures",
            "HandlingFigures": "faultkit.metrics.figures",
            "HandlingReport": "faultkit.metrics.figures",
            "Dimension": "faultkit.dimensions",
            "GroupValue": "faultkit.metrics.grouping",
            "handling_metrics": "faultkit.metrics.handling",
            "BacklogBar": "faultkit.metrics.quality",
            "BacklogBy": "faultkit.metrics.quality",
            "QualityFigures": "faultkit.metrics.quality",
            "QualityGroup": "faultkit.metrics.quality",
            "QualityReport": "faultkit.metrics.quality",
            "ScoreSummary": "faultkit.metrics.quality",
            "default_fingerprint": "faultkit.metrics.quality",
            "improvement_backlog": "faultkit.metrics.quality",
            "quality_metrics": "faultkit.metrics.quality",
            "ReliabilityFigure": "faultkit.metrics.reliability",
            "Timeline": "faultkit.metrics.reliability",
            "reliability_figure": "faultkit.metrics.reliability",
            "EventRow": "faultkit.metrics.rows",
            "DEFAULT_EXACT_LIMIT": "faultkit.metrics.stats",
            "DurationSummary": "faultkit.metrics.stats",
            "Rate": "faultkit.metrics.stats",
            "summarize": "faultkit.metrics.stats",
            "UNDATED_UNAVAILABLE": "faultkit.metrics.undated",
            "undated_figures": "faultkit.metrics.undated",
        },
    )

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
