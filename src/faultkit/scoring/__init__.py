"""Scoring: severity, impact, priority, FMEA risk and action priority, duration, report quality.

Tables live in :mod:`faultkit.scoring._tables` as data, each with its source; the
modules here hold the logic, each formula in its docstring. This package only
re-exports.
"""

from faultkit.scoring.fmea import ActionPriority, FmeaRating, action_priority, rpn
from faultkit.scoring.matrix import (
    SERVICENOW_MATRIX,
    SERVICENOW_MATRIX_NO_PLANNING,
    Impact,
    Priority,
    PriorityMatrix,
    coded_level,
    priority,
)

__all__ = [
    "SERVICENOW_MATRIX",
    "SERVICENOW_MATRIX_NO_PLANNING",
    "ActionPriority",
    "FmeaRating",
    "Impact",
    "Priority",
    "PriorityMatrix",
    "action_priority",
    "coded_level",
    "priority",
    "rpn",
]
