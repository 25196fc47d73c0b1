"""Readers and writers of incident exports (CSV, JSON Lines) and their column presets.

The I/O behind the ``faultkit`` command, usable on its own: open an export, map its
columns with a :class:`Preset`, score it row by row (:func:`score_csv`,
:func:`score_jsonl`) or read it as an event log (:func:`read_event_log`). Every row
comes out scored or rejected with its line, column, value and reason.
"""

from faultkit.adapters.exports.case_log import CASE_LOG_FIELDS, write_case_log
from faultkit.adapters.exports.dates import DateOrder, DateReader
from faultkit.adapters.exports.events import EventLog, MetricRows, read_event_log, read_metric_rows
from faultkit.adapters.exports.presets import MATRICES, ExportField, Preset, get_matrix
from faultkit.adapters.exports.profiles import (
    PRESETS,
    PROFILES,
    WORKFLOWS,
    Profile,
    ProfileError,
    builtin_profile_text,
    get_preset,
    get_profile,
    load_profile,
    load_workflow,
    parse_profile,
)
from faultkit.adapters.exports.score import (
    RowError,
    Scorer,
    ScoreSummary,
    score_csv,
    score_jsonl,
)
from faultkit.adapters.exports.tabular import (
    EXCEL_TRIGGERS,
    FIELD_LIMIT,
    ExportFormat,
    Reject,
    RejectsFile,
    default_rejects_path,
    detect_format,
    excel_safe,
    open_input,
    open_output,
)

__all__ = [
    "CASE_LOG_FIELDS",
    "EXCEL_TRIGGERS",
    "FIELD_LIMIT",
    "MATRICES",
    "PRESETS",
    "PROFILES",
    "WORKFLOWS",
    "DateOrder",
    "DateReader",
    "EventLog",
    "ExportField",
    "ExportFormat",
    "MetricRows",
    "Preset",
    "Profile",
    "ProfileError",
    "Reject",
    "RejectsFile",
    "RowError",
    "ScoreSummary",
    "Scorer",
    "builtin_profile_text",
    "default_rejects_path",
    "detect_format",
    "excel_safe",
    "get_matrix",
    "get_preset",
    "get_profile",
    "load_profile",
    "load_workflow",
    "open_input",
    "open_output",
    "parse_profile",
    "read_event_log",
    "read_metric_rows",
    "score_csv",
    "score_jsonl",
    "write_case_log",
]
