"""Problems and known errors (ITIL 4 problem management).

A problem links many faults to one analysis and has its own lifecycle
(:data:`PROBLEM_WORKFLOW`); a problem with a root cause and a workaround is a known
error, searchable by error code and symptom similarity (:class:`KnownErrorIndex`), so
a new report is offered the known error and its workaround at intake
(:func:`offer_known_errors`). Each module holds one rule; this package only
re-exports them.
"""

from typing import TYPE_CHECKING

from faultkit._lazy import lazy_exports

if TYPE_CHECKING:
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
else:
    __getattr__ = lazy_exports(
        __name__,
        {
            "ERROR_CODE_PATTERN": "faultkit.problems.codes",
            "error_codes_in": "faultkit.problems.codes",
            "normalise_error_code": "faultkit.problems.codes",
            "normalise_error_codes": "faultkit.problems.codes",
            "MATCH_WEIGHTS": "faultkit.problems.index",
            "MAX_BUCKET": "faultkit.problems.index",
            "MAX_CANDIDATES": "faultkit.problems.index",
            "KnownErrorIndex": "faultkit.problems.index",
            "Match": "faultkit.problems.index",
            "MatchReason": "faultkit.problems.index",
            "MatchReasonKind": "faultkit.problems.index",
            "offer_known_errors": "faultkit.problems.intake",
            "report_error_codes": "faultkit.problems.intake",
            "KnownError": "faultkit.problems.known_error",
            "PROBLEM_FACTS": "faultkit.problems.problem",
            "PROBLEM_REQUIREMENTS": "faultkit.problems.problem",
            "Problem": "faultkit.problems.problem",
            "ProblemEvent": "faultkit.problems.problem",
            "ProblemRecord": "faultkit.problems.problem",
            "verified_root_causes": "faultkit.problems.problem",
            "PROBLEM_WORKFLOW": "faultkit.problems.workflow",
            "ProblemStatus": "faultkit.problems.workflow",
            "ProblemTrigger": "faultkit.problems.workflow",
        },
    )

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
