"""Writing faultkit's own faults as an event-log export (one row per state change).

Our faults and an exported ServiceNow or Jira log have one shape: the rows of
:func:`faultkit.metrics.fault_rows` (the state a fault started in at its report time,
then one row per :class:`~faultkit.lifecycle.TransitionRecord` and per change of the
priority or the severity, each with the priority and severity of that time). This
module writes them as CSV in the ``generic`` preset's columns, so ``faultkit report
--preset generic --workflow procedure`` and ``faultkit check-log`` read a faultkit
database export exactly as they read an export of another tool (the round trip is
tested: the rows read back are the rows written).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from faultkit.adapters.exports.presets import ExportField
from faultkit.adapters.exports.profiles import get_preset
from faultkit.lifecycle import Fault
from faultkit.metrics import fault_rows

__all__ = ["CASE_LOG_FIELDS", "write_case_log"]

CASE_LOG_FIELDS: tuple[ExportField, ...] = (
    ExportField.ID,
    ExportField.STATE,
    ExportField.UPDATED_AT,
    ExportField.OPENED_AT,
    ExportField.PRIORITY,
    ExportField.COMPONENT,
    ExportField.SEVERITY,
)
"""The columns written, in order (named as the ``generic`` preset names them)."""


def write_case_log(faults: Iterable[Fault], target: TextIO) -> int:
    """Write the event rows of ``faults`` as CSV (with a header); return the rows written.

    Times are ISO 8601 with their offset; a missing priority, component or severity
    is an empty cell (the severity as its number, 1 for SEV1). Cells are written as
    they are, so the rows read back equal the rows written; the file is data for
    tools, not a sheet to open in a spreadsheet (which would run a cell starting with
    ``=`` as a formula: see :func:`~faultkit.adapters.exports.excel_safe` for files
    meant for people).

    Args:
        faults: the faults, read once (``store.faults.query`` pages, a list...).
        target: a text file opened with ``newline=""``.
    """
    columns = get_preset("generic").columns
    writer = csv.writer(target)
    writer.writerow([columns[field] for field in CASE_LOG_FIELDS])
    written = 0
    for row in fault_rows(faults):
        opened = row.opened_at if row.opened_at is not None else row.at
        writer.writerow(
            [
                row.incident,
                row.label,
                row.at.isoformat(),
                opened.isoformat(),
                "" if row.priority is None else str(int(row.priority)),
                "" if row.component is None else row.component,
                "" if row.severity is None else str(int(row.severity)),
            ]
        )
        written += 1
    return written
