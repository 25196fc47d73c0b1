"""Reading an exported event log into ``(incident, state label, timestamp)`` rows.

The rows feed :func:`faultkit.lifecycle.eventlog.validate_event_log`. Each input row
gives one event or one rejected row (a missing id or state, a missing or impossible
timestamp, a ragged or unreadable row), never neither.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sized
from datetime import datetime
from typing import Any, TextIO, TypeAlias

import attrs

from faultkit.adapters.exports.dates import DateReader
from faultkit.adapters.exports.presets import ExportField, Preset
from faultkit.adapters.exports.tabular import (
    FIELD_LIMIT,
    ExportFormat,
    Header,
    Reject,
    RejectsFile,
    csv_record,
    iter_jsonl,
    json_cell,
    missing_columns,
    ragged_reject,
    read_csv,
    too_deep,
    unexpected_reject,
)
from faultkit.errors import InvalidInputError
from faultkit.metrics import EventRow
from faultkit.models import Severity

__all__ = ["EventLog", "MetricRows", "read_event_log", "read_metric_rows"]

_FIELDS = (ExportField.ID, ExportField.STATE, ExportField.UPDATED_AT)


@attrs.frozen(kw_only=True)
class EventLog:
    """The events read from an export, with the line each came from.

    Attributes:
        events: ``(incident id, state label, timestamp)`` per accepted row, in order;
            the timestamp is ``None`` in a log without an updated-at column.
        lines: the input line of each event (``lines[i]`` for ``events[i]``).
        rows_read: data rows read; ``rows_read == len(events) + rows_rejected``.
        rows_rejected: rows written to the rejects file instead.
        stopped_early: ``max_errors`` was reached before the end of the input.
        timed: the log has an updated-at column (else the rows' order is their
            file order, and no figure that needs a time can be given).
    """

    events: tuple[tuple[str, str, datetime | None], ...]
    lines: tuple[int, ...]
    rows_read: int
    rows_rejected: int
    stopped_early: bool
    timed: bool = True


def read_event_log(
    source: TextIO,
    export_format: ExportFormat,
    preset: Preset,
    rejects: RejectsFile,
    *,
    dates: DateReader | None = None,
    max_errors: int | None = None,
    progress: Callable[[int], None] | None = None,
    delimiter: str | None = None,
) -> EventLog:
    """Read the id, state and update time of each row of an event-log export.

    Id and state are required. When the preset maps no updated-at column, or a CSV
    header lacks it, the events carry no time (``EventLog.timed`` is false) and keep
    the file's order.

    Args:
        source: the export, opened with ``newline=""``.
        export_format: CSV (with a header) or JSONL.
        preset: where the id, state and updated-at columns are.
        rejects: where rejected rows go.
        dates: how timestamps are read (ISO 8601, UTC for naive times, by default).
        max_errors: stop after this many rejected rows.
        progress: called now and then with the number of rows read so far.
        delimiter: the CSV delimiter; ``None`` sniffs it from the header.

    Raises:
        InvalidInputError: a CSV header without the id or state column, or one that
            repeats a mapped column.
    """
    read_date = dates if dates is not None else DateReader()
    columns = [preset.column(field) for field in _FIELDS]
    missing_values = preset.missing
    events: list[tuple[str, str, datetime | None]] = []
    lines: list[int] = []
    found = [column is not None for column in columns]  # CSV: filled from the header

    def accept(line: int, cells: list[str], raw: str | list[str]) -> Reject | None:
        def record() -> str:
            return raw if isinstance(raw, str) else csv_record(raw)

        timed = found[2]
        for field, column, cell in zip(_FIELDS, columns, cells, strict=True):
            if field is ExportField.UPDATED_AT and not timed:
                break
            if cell.strip() in missing_values:
                return Reject(
                    line=line,
                    column=column or str(field),
                    value=cell,
                    reason=f"{field} is missing; the event log needs it",
                    record=record(),
                )
        at: datetime | None = None
        if timed:
            try:
                at = read_date(cells[2], str(ExportField.UPDATED_AT))
            except InvalidInputError as error:
                return Reject.from_error(error, line=line, column=columns[2] or "", record=record())
        events.append((cells[0], cells[1], at))
        lines.append(line)
        return None

    rejected, stopped = _read_rows(
        source,
        export_format,
        columns,
        rejects,
        accept,
        events,
        max_errors,
        progress,
        required=2,
        delimiter=delimiter,
        found=found,
    )
    return EventLog(
        events=tuple(events),
        lines=tuple(lines),
        rows_read=len(events) + rejected,
        rows_rejected=rejected,
        stopped_early=stopped,
        timed=found[2],
    )


_Accept: TypeAlias = Callable[[int, list[str], str | list[str]], Reject | None]
"""Takes one good row (line, cells, raw record): ``None`` once kept, or its reject."""


def _read_rows(
    source: TextIO,
    export_format: ExportFormat,
    columns: list[str | None],
    rejects: RejectsFile,
    accept: _Accept,
    accepted: Sized,
    max_errors: int | None,
    progress: Callable[[int], None] | None,
    *,
    required: int = 3,
    delimiter: str | None = None,
    found: list[bool] | None = None,
) -> tuple[int, bool]:
    """Hand each row to ``accept``, write the rejects; ``(rows rejected, stopped early)``.

    Rows that cannot be read go straight to the rejects file. ``accepted`` is what
    ``accept`` fills, for the last progress count. ``columns[:required]`` must be in a
    CSV header; ``found`` (when given) is set, from the header, to whether each column
    is there.
    """
    rows: Any
    if export_format is ExportFormat.CSV:
        rows = _csv_rows(source, columns, required, delimiter, found)
    else:
        rows = _jsonl_rows(source, columns)
    limit = max_errors if max_errors is not None else -1
    rejected = 0
    stopped = False
    for count, (line, cells, record, problem) in enumerate(rows, start=1):
        if progress is not None and not count & 0x1FFF:
            progress(count)
        if problem is not None:
            reject: Reject | None = problem
        else:
            try:
                reject = accept(line, cells, record)
            except Exception as error:  # a bug must cost one row, never the run
                reject = unexpected_reject(error, line, record)
        if reject is not None:
            rejects.write(reject)
            rejected += 1
            if rejected == limit:
                stopped = True
                break
    if progress is not None:
        progress(len(accepted) + rejected)
    return rejected, stopped


def _csv_rows(
    source: TextIO,
    columns: list[str | None],
    required: int,
    delimiter: str | None,
    found: list[bool] | None,
) -> Any:
    """``(line, cells, raw row, reject)`` per row; ``columns[:required]`` must exist."""
    previous_limit = csv.field_size_limit(FIELD_LIMIT)
    try:
        reader, found_delimiter = read_csv(source, delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        index = Header(header)
        picks = [index.find(column) if column is not None else None for column in columns]
        missing = [
            (str(field), column)
            for field, column, pick in zip(_FIELDS, columns[:required], picks, strict=False)
            if pick is None
        ]
        if missing:
            raise missing_columns(missing, header)
        if found is not None:
            found[:] = [pick is not None for pick in picks]
        indices = [-1 if pick is None else pick for pick in picks]
        width = len(header)
        line = reader.line_num
        while True:
            try:
                for row in reader:
                    start = line + 1
                    line = reader.line_num
                    if len(row) != width:
                        yield (
                            start,
                            [],
                            "",
                            ragged_reject(
                                row, header, line=start, end=line, delimiter=found_delimiter
                            ),
                        )
                        continue
                    yield start, [row[i] if i >= 0 else "" for i in indices], row, None
                return
            except csv.Error as error:
                start = line + 1
                line = reader.line_num
                yield (
                    start,
                    [],
                    "",
                    Reject(line=start, column="", value="", reason=f"unreadable row: {error}"),
                )
    finally:
        csv.field_size_limit(previous_limit)


def _jsonl_rows(source: TextIO, columns: list[str | None]) -> Any:
    for line, text in iter_jsonl(source):
        record = text.strip()
        if len(text) > FIELD_LIMIT:
            yield (
                line,
                [],
                "",
                Reject(
                    line=line,
                    column="",
                    value=f"{len(text)} characters",
                    reason=f"line longer than the limit of {FIELD_LIMIT} characters",
                ),
            )
            continue
        try:
            obj = json.loads(text)
        except ValueError as error:
            yield line, [], "", Reject(line=line, column="", value=record[:80], reason=str(error))
            continue
        except RecursionError:
            yield line, [], "", too_deep(line, record)
            continue
        if type(obj) is not dict:
            yield (
                line,
                [],
                "",
                Reject(line=line, column="", value=record[:80], reason="expected a JSON object"),
            )
            continue
        cells = [json_cell(obj.get(column)) if column else "" for column in columns]
        yield line, cells, record, None


_METRIC_FIELDS = (
    ExportField.ID,
    ExportField.STATE,
    ExportField.UPDATED_AT,
    ExportField.OPENED_AT,
    ExportField.PRIORITY,
    ExportField.COMPONENT,
    ExportField.MADE_SLA,
    ExportField.SEVERITY,
)
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})


@attrs.frozen(kw_only=True)
class MetricRows:
    """The rows of an event log read for :func:`faultkit.metrics.handling_metrics`.

    Attributes:
        rows: one :class:`faultkit.metrics.EventRow` per accepted row, in order.
        rows_read: data rows read; ``rows_read == len(rows) + rows_rejected``.
        rows_rejected: rows written to the rejects file instead.
        stopped_early: ``max_errors`` was reached before the end of the input.
    """

    rows: tuple[EventRow, ...]
    rows_read: int
    rows_rejected: int
    stopped_early: bool


def read_metric_rows(
    source: TextIO,
    export_format: ExportFormat,
    preset: Preset,
    rejects: RejectsFile,
    *,
    dates: DateReader | None = None,
    max_errors: int | None = None,
    progress: Callable[[int], None] | None = None,
    delimiter: str | None = None,
) -> MetricRows:
    """Read an event-log export into :class:`faultkit.metrics.EventRow` values.

    Id, state and updated-at are required (as for :func:`read_event_log`); opened-at,
    priority (a level such as ``3 - Moderate``), component, the exported SLA flag
    (``made_sla``: true / false) and the severity at the row (1-5, SEV1 the most
    severe) are read when the export has them. A present but
    invalid value rejects the row, a missing one does not.

    Args: as :func:`read_event_log`.
    """
    read_date = dates if dates is not None else DateReader()
    columns = [preset.column(field) for field in _METRIC_FIELDS]
    missing_values = preset.missing
    accepted: list[EventRow] = []

    def accept(line: int, cells: list[str], raw: str | list[str]) -> Reject | None:
        def reject(column: str | None, value: str, reason: str) -> Reject:
            record = raw if isinstance(raw, str) else csv_record(raw)
            return Reject(line=line, column=column or "", value=value, reason=reason, record=record)

        present = [cell if cell.strip() not in missing_values else None for cell in cells]
        (
            incident,
            label,
            at_text,
            opened_text,
            priority_text,
            component,
            made_text,
            severity_text,
        ) = present
        for field, column, value, cell in zip(
            _FIELDS, columns, (incident, label, at_text), cells, strict=False
        ):
            if value is None:
                return reject(column, cell, f"{field} is missing; the event log needs it")
        assert incident is not None
        assert label is not None
        assert at_text is not None
        try:
            at = read_date(at_text, str(ExportField.UPDATED_AT))
            opened = (
                read_date(opened_text, str(ExportField.OPENED_AT))
                if opened_text is not None
                else None
            )
        except InvalidInputError as error:
            column = columns[2] if error.field == ExportField.UPDATED_AT else columns[3]
            return reject(column, str(error.value), error.reason)
        priority: int | None = None
        if priority_text is not None:
            try:
                priority = preset.level_of(ExportField.PRIORITY, priority_text)
            except InvalidInputError as error:
                return reject(columns[4], priority_text, error.reason)
            if not 1 <= priority <= 5:
                return reject(columns[4], priority_text, "expected a priority number 1-5")
        severity: Severity | None = None
        if severity_text is not None:
            try:
                level = preset.level_of(ExportField.SEVERITY, severity_text)
            except InvalidInputError as error:
                return reject(columns[7], severity_text, error.reason)
            if not 1 <= level <= 5:
                return reject(columns[7], severity_text, "expected a severity number 1-5")
            severity = Severity(level)
        made_sla: bool | None = None
        if made_text is not None:
            lowered = made_text.strip().casefold()
            if lowered in _TRUE:
                made_sla = True
            elif lowered in _FALSE:
                made_sla = False
            else:
                return reject(columns[6], made_text, "expected true or false")
        try:
            accepted.append(
                EventRow(
                    incident=incident,
                    label=label,
                    at=at,
                    opened_at=opened,
                    priority=priority,  # the converter turns 1-5 into a Priority
                    severity=severity,
                    component=component,
                    made_sla=made_sla,
                )
            )
        except InvalidInputError as error:
            return reject(error.field, str(error.value), error.reason)
        return None

    rejected, stopped = _read_rows(
        source,
        export_format,
        columns,
        rejects,
        accept,
        accepted,
        max_errors,
        progress,
        delimiter=delimiter,
    )
    return MetricRows(
        rows=tuple(accepted),
        rows_read=len(accepted) + rejected,
        rows_rejected=rejected,
        stopped_early=stopped,
    )
