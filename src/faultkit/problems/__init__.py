"""Problems and known errors (ITIL 4 problem management).

A problem links many faults to one analysis and has its own lifecycle
(:data:`PROBLEM_WORKFLOW`); a problem with a root cause and a workaround is a known
error, searchable by error code and symptom similarity (:class:`KnownErrorIndex`), so
a new report is offered the known error and its workaround at intake
(:func:`offer_known_errors`). Each module holds one rule; this package only
re-exports them.
"""

from faultkit.problems.codes import (
    ERROR_CODE_PATTERN,
    error_codes_in,
    normalise_error_code,
    normalise_error_codes,
)
from faultkit.problems.index import (
    MATCH_WEIGHTS,
    MAX_BUCKET,
    MAX_CANDIDATES,
    KnownErrorIndex,
    Match,
    MatchReason,
    MatchReasonKind,
)
from faultkit.problems.intake import offer_known_errors, report_error_codes
from faultkit.problems.known_error import KnownError
from faultkit.problems.problem import (
    PROBLEM_FACTS,
    PROBLEM_REQUIREMENTS,
    Problem,
    ProblemEvent,
    ProblemRecord,
    verified_root_causes,
)
from faultkit.problems.workflow import PROBLEM_WORKFLOW, ProblemStatus, ProblemTrigger

__all__ = [
    "ERROR_CODE_PATTERN",
    "MATCH_WEIGHTS",
    "MAX_BUCKET",
    "MAX_CANDIDATES",
    "PROBLEM_FACTS",
    "PROBLEM_REQUIREMENTS",
    "PROBLEM_WORKFLOW",
    "KnownError",
    "KnownErrorIndex",
    "Match",
    "MatchReason",
    "MatchReasonKind",
    "Problem",
    "ProblemEvent",
    "ProblemRecord",
    "ProblemStatus",
    "ProblemTrigger",
    "error_codes_in",
    "normalise_error_code",
    "normalise_error_codes",
    "offer_known_errors",
    "report_error_codes",
    "verified_root_causes",
]
