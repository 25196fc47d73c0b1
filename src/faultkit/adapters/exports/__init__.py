"""Readers and writers of incident exports (CSV, JSON Lines) and their column presets.

The I/O behind the ``faultkit`` command, usable on its own: open an export, map its
columns with a :class:`Preset`, score it row by row (:func:`score_csv`,
:func:`score_jsonl`) or read it as an event log (:func:`read_event_log`). Every row
comes out scored or rejected with its line, column, value and reason.
"""

from typing import TYPE_CHECKING

from faultkit._lazy import lazy_exports

if TYPE_CHECKING:
    from faultkit.adapters.exports.case_log import CASE_LOG_FIELDS, write_case_log
    from faultkit.adapters.exports.dates import DateOrder, DateReader
    from faultkit.adapters.exports.events import (
        EventLog,
        MetricRows,
        read_event_log,
        read_metric_rows,
    )
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
        RowError,
        default_rejects_path,
        detect_format,
        excel_safe,
        open_input,
        open_output,
    )
else:
    __getattr__ = lazy_exports(
        __name__,
        {
            "CASE_LOG_FIELDS": "faultkit.adapters.exports.case_log",
            "write_case_log": "faultkit.adapters.exports.case_log",
            "DateOrder": "faultkit.adapters.exports.dates",
            "DateReader": "faultkit.adapters.exports.dates",
            "EventLog": "faultkit.adapters.exports.events",
            "MetricRows": "faultkit.adapters.exports.events",
            "read_event_log": "faultkit.adapters.exports.events",
            "read_metric_rows": "faultkit.adapters.exports.events",
            "MATRICES": "faultkit.adapters.exports.presets",
            "ExportField": "faultkit.adapters.exports.presets",
            "Preset": "faultkit.adapters.exports.presets",
            "get_matrix": "faultkit.adapters.exports.presets",
            "PRESETS": "faultkit.adapters.exports.profiles",
            "PROFILES": "faultkit.adapters.exports.profiles",
            "WORKFLOWS": "faultkit.adapters.exports.profiles",
            "Profile": "faultkit.adapters.exports.profiles",
            "ProfileError": "faultkit.adapters.exports.profiles",
            "builtin_profile_text": "faultkit.adapters.exports.profiles",
            "get_preset": "faultkit.adapters.exports.profiles",
            "get_profile": "faultkit.adapters.exports.profiles",
            "load_profile": "faultkit.adapters.exports.profiles",
            "load_workflow": "faultkit.adapters.exports.profiles",
            "parse_profile": "faultkit.adapters.exports.profiles",
            "RowError": "faultkit.adapters.exports.tabular",
            "Scorer": "faultkit.adapters.exports.score",
            "ScoreSummary": "faultkit.adapters.exports.score",
            "score_csv": "faultkit.adapters.exports.score",
            "score_jsonl": "faultkit.adapters.exports.score",
            "EXCEL_TRIGGERS": "faultkit.adapters.exports.tabular",
            "FIELD_LIMIT": "faultkit.adapters.exports.tabular",
            "ExportFormat": "faultkit.adapters.exports.tabular",
            "Reject": "faultkit.adapters.exports.tabular",
            "RejectsFile": "faultkit.adapters.exports.tabular",
            "default_rejects_path": "faultkit.adapters.exports.tabular",
            "detect_format": "faultkit.adapters.exports.tabular",
            "excel_safe": "faultkit.adapters.exports.tabular",
            "open_input": "faultkit.adapters.exports.tabular",
            "open_output": "faultkit.adapters.exports.tabular",
        },
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
