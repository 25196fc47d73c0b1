"""Scoring: severity, impact, priority, FMEA risk and action priority, duration, report quality.

Tables live in :mod:`faultkit.scoring._tables` as data, each with its source; the
modules here hold the logic, each formula in its docstring. This package only
re-exports.
"""

from faultkit.scoring.duration import (
    DurationModel,
    DurationPrediction,
    OpenFault,
    ResolvedFault,
    predict_duration,
    quantile,
)
from faultkit.scoring.fmea import ActionPriority, FmeaRating, action_priority, rpn
from faultkit.scoring.impact import DataLoss, ImpactAssessment, ServiceInterruption, impact_level
from faultkit.scoring.infer import InferredCell, InferredMatrix, infer_matrix
from faultkit.scoring.matrix import (
    SERVICENOW_MATRIX,
    SERVICENOW_MATRIX_NO_PLANNING,
    Impact,
    Priority,
    PriorityMatrix,
    coded_level,
    priority,
)
from faultkit.scoring.quality import (
    DEFAULT_REVIEW_STANDARD,
    CriterionScore,
    FindingKind,
    QualityFinding,
    QualityScore,
    ReviewStandard,
    report_quality,
)
from faultkit.scoring.queue import Queueable, QueueItem, order_queue, queue_key
from faultkit.scoring.severity import (
    DEFAULT_SEVERITY_RULES,
    SeverityResult,
    SeverityRule,
    SeverityRules,
    assess_severity,
)
from faultkit.scoring.survival import KaplanMeier

__all__ = [
    "DEFAULT_REVIEW_STANDARD",
    "DEFAULT_SEVERITY_RULES",
    "SERVICENOW_MATRIX",
    "SERVICENOW_MATRIX_NO_PLANNING",
    "ActionPriority",
    "CriterionScore",
    "DataLoss",
    "DurationModel",
    "DurationPrediction",
    "FindingKind",
    "FmeaRating",
    "Impact",
    "ImpactAssessment",
    "InferredCell",
    "InferredMatrix",
    "KaplanMeier",
    "OpenFault",
    "Priority",
    "PriorityMatrix",
    "QualityFinding",
    "QualityScore",
    "QueueItem",
    "Queueable",
    "ResolvedFault",
    "ReviewStandard",
    "ServiceInterruption",
    "SeverityResult",
    "SeverityRule",
    "SeverityRules",
    "action_priority",
    "assess_severity",
    "coded_level",
    "impact_level",
    "infer_matrix",
    "order_queue",
    "predict_duration",
    "priority",
    "quantile",
    "queue_key",
    "report_quality",
    "rpn",
]
