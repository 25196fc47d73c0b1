"""Scoring: severity, impact, priority, FMEA risk and action priority, duration, report quality.

Tables live in :mod:`faultkit.scoring._tables` as data, each with its source; the
modules here hold the logic, each formula in its docstring. This package only
re-exports.
"""

from typing import TYPE_CHECKING

from faultkit._lazy import lazy_exports

if TYPE_CHECKING:
    from faultkit.scoring.duration import (
        DurationModel,
        DurationPrediction,
        OpenFault,
        ResolvedFault,
        predict_duration,
        quantile,
    )
    from faultkit.scoring.fmea import ActionPriority, FmeaRating, action_priority, rpn
    from faultkit.scoring.impact import (
        DataLoss,
        ImpactAssessment,
        ServiceInterruption,
        impact_level,
    )
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
else:
    __getattr__ = lazy_exports(
        __name__,
        {
            "DurationModel": "faultkit.scoring.duration",
            "DurationPrediction": "faultkit.scoring.duration",
            "OpenFault": "faultkit.scoring.duration",
            "ResolvedFault": "faultkit.scoring.duration",
            "predict_duration": "faultkit.scoring.duration",
            "quantile": "faultkit.scoring.duration",
            "ActionPriority": "faultkit.scoring.fmea",
            "FmeaRating": "faultkit.scoring.fmea",
            "action_priority": "faultkit.scoring.fmea",
            "rpn": "faultkit.scoring.fmea",
            "DataLoss": "faultkit.scoring.impact",
            "ImpactAssessment": "faultkit.scoring.impact",
            "ServiceInterruption": "faultkit.scoring.impact",
            "impact_level": "faultkit.scoring.impact",
            "InferredCell": "faultkit.scoring.infer",
            "InferredMatrix": "faultkit.scoring.infer",
            "infer_matrix": "faultkit.scoring.infer",
            "SERVICENOW_MATRIX": "faultkit.scoring.matrix",
            "SERVICENOW_MATRIX_NO_PLANNING": "faultkit.scoring.matrix",
            "Impact": "faultkit.scoring.matrix",
            "Priority": "faultkit.scoring.matrix",
            "PriorityMatrix": "faultkit.scoring.matrix",
            "coded_level": "faultkit.scoring.matrix",
            "priority": "faultkit.scoring.matrix",
            "DEFAULT_REVIEW_STANDARD": "faultkit.scoring.quality",
            "CriterionScore": "faultkit.scoring.quality",
            "FindingKind": "faultkit.scoring.quality",
            "QualityFinding": "faultkit.scoring.quality",
            "QualityScore": "faultkit.scoring.quality",
            "ReviewStandard": "faultkit.scoring.quality",
            "report_quality": "faultkit.scoring.quality",
            "Queueable": "faultkit.scoring.queue",
            "QueueItem": "faultkit.scoring.queue",
            "order_queue": "faultkit.scoring.queue",
            "queue_key": "faultkit.scoring.queue",
            "DEFAULT_SEVERITY_RULES": "faultkit.scoring.severity",
            "SeverityResult": "faultkit.scoring.severity",
            "SeverityRule": "faultkit.scoring.severity",
            "SeverityRules": "faultkit.scoring.severity",
            "assess_severity": "faultkit.scoring.severity",
            "KaplanMeier": "faultkit.scoring.survival",
        },
    )

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
