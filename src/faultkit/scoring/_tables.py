"""The scoring tables, as plain data: no logic lives here.

Each table names its source. The modules beside this one read these tables, check
them when they build their lookups, and hold the formulas; users who need other
tables pass their own to the same constructors (a :class:`~faultkit.scoring.PriorityMatrix`,
:class:`~faultkit.scoring.SeverityRules`, :class:`~faultkit.scoring.QualityStandard`).

Levels are numbers here (1 = most severe / most urgent) so that this module imports
nothing from faultkit; the logic turns them into enumeration members.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "AIAG_VDA_ACTION_PRIORITY",
    "AIAG_VDA_DETECTION_BANDS",
    "AIAG_VDA_OCCURRENCE_BANDS",
    "AIAG_VDA_SEVERITY_BANDS",
    "DEFAULT_SEVERITY_RULES",
    "REPORT_QUALITY_CRITERIA",
    "SERVICENOW_PRIORITY",
    "SERVICENOW_PRIORITY_NO_PLANNING",
]

# --------------------------------------------------------------------------- priority

SERVICENOW_PRIORITY: Final[tuple[tuple[int, ...], ...]] = (
    # urgency: 1 High, 2 Medium, 3 Low
    (1, 2, 3),  # impact 1 - High
    (2, 3, 4),  # impact 2 - Medium
    (3, 4, 5),  # impact 3 - Low
)
"""ServiceNow's default incident priority matrix: ``SERVICENOW_PRIORITY[impact-1][urgency-1]``.

Source: ServiceNow product documentation, *Incident Management > Priority lookup
rules* (the ``dl_u_priority`` data lookup shipped with the Incident application):
impact 1 High / 2 Medium / 3 Low x urgency 1 High / 2 Medium / 3 Low gives priority
1 Critical, 2 High, 3 Moderate, 4 Low, 5 Planning::

                urgency 1   urgency 2   urgency 3
    impact 1        1           2           3
    impact 2        2           3           4
    impact 3        3           4           5
"""

SERVICENOW_PRIORITY_NO_PLANNING: Final[tuple[tuple[int, ...], ...]] = (
    (1, 2, 3),
    (2, 3, 4),
    (3, 4, 4),
)
"""ServiceNow's matrix on an instance without *5 - Planning*: impact 3 x urgency 3 is 4 Low.

Source: observed in the real export ``shared/data/servicenow_incident_event_log_sample.csv``
(UCI "Incident management process enriched event log", Amaral et al. 2018, CC BY 4.0),
whose priority column only holds ``1 - Critical`` ... ``4 - Low``. Every one of its
5,998 rows follows this matrix (the test ``tests/test_scoring_servicenow.py`` pins it);
the 401 rows with impact 3 and urgency 3 say ``4 - Low`` where the default matrix says 5.
"""

# --------------------------------------------------------------------------- FMEA

AIAG_VDA_SEVERITY_BANDS: Final[tuple[tuple[int, int], ...]] = (
    (9, 10),
    (7, 8),
    (4, 6),
    (2, 3),
    (1, 1),
)
"""Severity bands of the action priority table, most severe first (inclusive ranges)."""

AIAG_VDA_OCCURRENCE_BANDS: Final[tuple[tuple[int, int], ...]] = (
    (8, 10),
    (6, 7),
    (4, 5),
    (2, 3),
    (1, 1),
)
"""Occurrence bands of the action priority table, most frequent first (inclusive ranges)."""

AIAG_VDA_DETECTION_BANDS: Final[tuple[tuple[int, int], ...]] = ((7, 10), (5, 6), (2, 4), (1, 1))
"""Detection bands of the action priority table, worst detection first (inclusive ranges)."""

AIAG_VDA_ACTION_PRIORITY: Final[tuple[str, ...]] = (
    # One string per (severity band, occurrence band); its letters are the detection
    # bands D 7-10, 5-6, 2-4, 1 in that order.
    # S 9-10
    "HHHH",  # O 8-10
    "HHHH",  # O 6-7
    "HHHM",  # O 4-5
    "HMLL",  # O 2-3
    "LLLL",  # O 1
    # S 7-8
    "HHHH",  # O 8-10
    "HHHM",  # O 6-7
    "HMMM",  # O 4-5
    "MMLL",  # O 2-3
    "LLLL",  # O 1
    # S 4-6
    "HHMM",  # O 8-10
    "MMML",  # O 6-7
    "MLLL",  # O 4-5
    "LLLL",  # O 2-3
    "LLLL",  # O 1
    # S 2-3
    "MMLL",  # O 8-10
    "LLLL",  # O 6-7
    "LLLL",  # O 4-5
    "LLLL",  # O 2-3
    "LLLL",  # O 1
    # S 1
    "LLLL",  # O 8-10
    "LLLL",  # O 6-7
    "LLLL",  # O 4-5
    "LLLL",  # O 2-3
    "LLLL",  # O 1
)
"""The action priority (AP) table: H (high), M (medium), L (low).

Source: AIAG & VDA *FMEA Handbook*, 1st edition (2019), table "Action Priority (AP)
for DFMEA and PFMEA" (the same table serves both). Rows run severity band by severity
band (``AIAG_VDA_SEVERITY_BANDS``), each split into the five occurrence bands
(``AIAG_VDA_OCCURRENCE_BANDS``); a row's letters are the four detection bands
(``AIAG_VDA_DETECTION_BANDS``), worst detection first. Row ``5 * s_band + o_band``,
letter ``d_band``.

Cross-checked cell by cell against an independent public transcription of the
handbook table (a Python module headed "Utility functions and constants for AIAG-VDA
Action Priority (AP) logic", found through a public code search; its repository was
not named by the index), and against the worked examples of biz-pi.com's "FMEA Action
Priority (AP) lookup tables" page (S8 O6 D2 gives H; S2 O6 D8 gives L).
"""

# --------------------------------------------------------------------------- severity

DEFAULT_SEVERITY_RULES: Final[tuple[dict[str, object], ...]] = (
    # SEV1 - critical
    {"level": 1, "reason": "safety exposure", "safety": True},
    {"level": 1, "reason": "permanent data loss", "min_data_loss": "permanent"},
    {
        "level": 1,
        "reason": "full outage of the whole system",
        "min_scope": "whole_system",
        "min_interruption": "full_outage",
    },
    # SEV2 - major
    {"level": 2, "reason": "security exposure", "security": True},
    {"level": 2, "reason": "regulatory exposure", "regulatory": True},
    {
        "level": 2,
        "reason": "full outage of a site or region",
        "min_scope": "site_or_region",
        "min_interruption": "full_outage",
    },
    {
        "level": 2,
        "reason": "partial outage of the whole system",
        "min_scope": "whole_system",
        "min_interruption": "partial_outage",
    },
    {
        "level": 2,
        "reason": "outage for at least half of the user base",
        "min_interruption": "partial_outage",
        "min_user_share": 0.5,
    },
    {
        "level": 2,
        "reason": "recoverable data loss beyond a single group",
        "min_data_loss": "recoverable",
        "min_scope": "site_or_region",
    },
    # SEV3 - moderate
    {
        "level": 3,
        "reason": "outage with no workaround",
        "min_interruption": "partial_outage",
        "no_workaround": True,
    },
    {"level": 3, "reason": "recoverable data loss", "min_data_loss": "recoverable"},
    {
        "level": 3,
        "reason": "degraded service for a site, a region or more",
        "min_interruption": "degraded",
        "min_scope": "site_or_region",
    },
    {
        "level": 3,
        "reason": "outage for a group of users",
        "min_interruption": "partial_outage",
        "min_scope": "user_group",
    },
    {
        "level": 3,
        "reason": "service impact for 100 users or more",
        "min_interruption": "degraded",
        "min_users": 100,
    },
    # SEV4 - minor
    {"level": 4, "reason": "degraded or interrupted service", "min_interruption": "degraded"},
    {
        "level": 4,
        "reason": "expected to last a day or more with no workaround",
        "min_duration_hours": 24.0,
        "no_workaround": True,
    },
    # SEV5 - cosmetic or informational: the catch-all, always last
    {"level": 5, "reason": "no service, data or exposure impact (cosmetic or informational)"},
)
"""faultkit's built-in severity rules, most severe first; the first rule that matches decides.

Source: faultkit's own default, written for the procedure in ``shared/DESIGN.md``
(severity from service interruption and data loss, scope one user ... whole system).
Its SEV1 / SEV2 lines follow common incident-severity practice (the PagerDuty Incident
Response guide and Atlassian's incident severity levels put whole-service outages,
data loss and security exposure at the top two levels); the SEV3-SEV5 split is
faultkit's. Pass your own :class:`~faultkit.scoring.SeverityRules` to change it.

Each rule is a conjunction of thresholds, every one of them "at least this bad":
``min_scope``, ``min_interruption``, ``min_data_loss`` (enumeration values),
``min_users`` (count), ``min_user_share`` (0-1, needs the user base),
``min_duration_hours``, ``safety`` / ``security`` / ``regulatory`` (exposure present)
and ``no_workaround``. A rule without conditions matches everything; the table must
end with one. Because every condition is "at least", making a fact worse can only make
more rules match, never fewer, so severity never drops (the monotonic property).
"""

# --------------------------------------------------------------------------- report quality

REPORT_QUALITY_CRITERIA: Final[tuple[tuple[str, int, str], ...]] = (
    ("required_fields", 25, "the required reporting fields are present and not placeholders"),
    ("steps_to_reproduce", 20, "at least two steps, with the expected and actual result"),
    ("error_codes", 10, "the error codes shown or logged"),
    ("attachments", 15, "evidence attached: logs, screenshots, dumps (as references)"),
    ("timestamps", 10, "observed before reported; step times in order and within that span"),
    ("description", 20, "a specific description: long enough, not generic, says what happened"),
)
"""Criteria of the report review standard: (name, weight out of 100, what it asks).

Source: the reporting part of the procedure in ``shared/DESIGN.md`` ("record the symptom
and when it was observed; collect steps, environment, error codes; submit a report with
description, time, frequency, impact scope and user steps; attach logs, error codes,
screenshots"), weighted by faultkit. Weights sum to 100.
"""
