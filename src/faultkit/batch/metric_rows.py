"""The columnar reading under ``faultkit report``: an event log's metric rows from Arrow chunks.

:func:`read_metric_rows_batches` gives the rows
:func:`~faultkit.adapters.exports.read_metric_rows` gives (the same values, in file
order) for a CSV file, read by :class:`~faultkit.batch.logread.LogReader` (worker
threads on a plain file, only the columns the figures need). Each *distinct* text of a
column is turned into its value once, by the row engine's own rules: the update and
opening times by the same :class:`~faultkit.adapters.exports.DateReader`, priority and
severity levels by the preset's :meth:`~faultkit.adapters.exports.Preset.level_of`,
the SLA flag by the same words (true / yes / y / 1, false / no / n / 0), and the
values :class:`~faultkit.metrics.EventRow` would refuse (a blank id, label or
component) are looked for the same way. The values are then spread to the rows with
numpy, and each row is a :class:`MetricRow`: the attributes of an
:class:`~faultkit.metrics.EventRow`, without running its validators a million times
(every value was checked once). :func:`~faultkit.metrics.handling_metrics` takes any
object with those attributes, so the figures are the row engine's by construction; a
property test compares the two readers.

Whatever the row engine would reject (a missing id, state or time, a value it
refuses, a ragged row, a day-order contradiction, ...) raises
:class:`~faultkit.batch.fallback.ArrowFallback`: the caller reads the file with the row
engine, which writes the rejects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from functools import partial
from typing import Any, NamedTuple

import attrs
import numpy as np

from faultkit.adapters.exports.dates import DateReader
from faultkit.adapters.exports.presets import ExportField, Preset
from faultkit.batch.fallback import ArrowFallback
from faultkit.batch.lines import BLOCK_SIZE
from faultkit.batch.logread import SEGMENT_SIZE, LogChunk, LogReader, NotPlain
from faultkit.errors import InvalidInputError
from faultkit.models import IntakeChannel, Severity
from faultkit.scoring import Priority

__all__ = ["BatchMetricRows", "MetricRow", "read_metric_rows_batches"]

_OPTIONAL = (
    ExportField.OPENED_AT,
    ExportField.PRIORITY,
    ExportField.COMPONENT,
    ExportField.MADE_SLA,
    ExportField.SEVERITY,
)
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})


class MetricRow(NamedTuple):
    """One row of an event log, with the attributes of :class:`~faultkit.metrics.EventRow`.

    Built by :func:`read_metric_rows_batches` from values each checked once.
    """

    incident: str
    label: str
    at: datetime
    opened_at: datetime | None
    priority: Priority | None
    severity: Severity | None
    component: str | None
    channel: IntakeChannel | None
    made_sla: bool | None


_new_row = partial(tuple.__new__, MetricRow)


@attrs.frozen(kw_only=True)
class BatchMetricRows:
    """The rows read by :func:`read_metric_rows_batches` (nothing rejected).

    Attributes:
        rows: one :class:`MetricRow` per data row, in file order.
        rows_read: data rows read.
        rows_rejected: always 0 (a file with a rejected row is the row engine's).
        stopped_early: always false.
    """

    rows: tuple[MetricRow, ...]
    rows_read: int
    rows_rejected: int = 0
    stopped_early: bool = False


def read_metric_rows_batches(
    path: str,
    preset: Preset,
    *,
    dates: DateReader,
    encoding: str = "utf-8-sig",
    delimiter: str | None = None,
    progress: Callable[[int], None] | None = None,
    block_size: int = BLOCK_SIZE,
    segment_size: int = SEGMENT_SIZE,
) -> BatchMetricRows:
    """Read a CSV event log into metric rows, column by column (see the module docstring).

    Args:
        path: the CSV file.
        preset: the columns, missing values and level maps.
        dates: how times are read (its contradiction count must stay 0).
        encoding: the input's encoding; only UTF-8 is read by Arrow.
        delimiter: the CSV delimiter; ``None`` sniffs it as the row engine does.
        progress: called after each chunk with the rows read so far.
        block_size: bytes per Arrow block.
        segment_size: bytes per segment of a plain file.

    Raises:
        ArrowFallback: the row engine must read this file.
    """
    reading = LogReader.open(path, preset, dates, encoding, delimiter, block_size, extra=_OPTIONAL)
    if not reading.timed:
        raise ArrowFallback("no updated-at column: the row engine names it")
    for field in _OPTIONAL:
        if field not in reading.extra and preset.column(field) and "" not in preset.missing:
            raise ArrowFallback("an absent column read as empty cells the row engine refuses")
    values = _Values(preset, reading)
    try:
        rows = values.read(reading.plain_segments(segment_size, progress))
    except NotPlain:
        values = _Values(preset, reading)
        rows = values.read(reading.batches(progress))
    return BatchMetricRows(rows=tuple(rows), rows_read=len(rows))


@attrs.define
class _Values:
    """The value of each distinct text of each column, kept over the file."""

    preset: Preset
    reading: LogReader
    seen: dict[tuple[ExportField, str], Any] = attrs.Factory(dict)

    def read(self, chunks: Iterator[LogChunk]) -> list[MetricRow]:
        rows: list[MetricRow] = []
        for chunk in chunks:
            if chunk.rows:
                rows.extend(self._rows(chunk))
        return rows

    def _rows(self, chunk: LogChunk) -> Iterator[MetricRow]:
        n = chunk.rows
        ids = chunk.ids.to_pylist()
        if any(not text.strip() for text in _run_starts(ids, chunk.same)):
            raise ArrowFallback("a blank id: EventRow refuses it, a rejected row")
        codes, texts = chunk.labels
        if any(not text.strip() for text in texts):
            raise ArrowFallback("a blank label: EventRow refuses it, a rejected row")
        labels = _spread(codes, texts)
        assert chunk.times is not None
        time_codes, time_texts, _sure = chunk.times
        at = _spread(time_codes, [self.reading.date(t) for t in time_texts.to_pylist()])
        columns: list[Sequence[Any]] = [ids, labels, at]
        for field in _OPTIONAL:
            found = chunk.extra.get(field)
            if found is None:
                columns.append([None] * n)
                continue
            field_codes, field_texts = found
            converted = [self._value(field, text) for text in field_texts.to_pylist()]
            columns.append(_spread(field_codes, converted))
        opened, priority, component, made_sla, severity = columns[3:]
        channel = [None] * n
        fields = zip(
            ids, labels, at, opened, priority, severity, component, channel, made_sla, strict=True
        )
        return map(_new_row, fields)  # tuple.__new__ from C: no Python call per row

    def _value(self, field: ExportField, text: str) -> Any:
        """The row engine's value of one cell text (``None`` when missing), memoised."""
        key = (field, text)
        try:
            return self.seen[key]
        except KeyError:
            pass
        if text.strip() in self.preset.missing:
            value: Any = None
        else:
            try:
                value = _convert(self.preset, self.reading.dates, field, text)
            except (InvalidInputError, ValueError):
                raise ArrowFallback(f"{field}: a value the row engine rejects") from None
            if self.reading.dates.contradictions:
                raise ArrowFallback("day-order contradictions are counted per row")
        self.seen[key] = value
        return value


def _convert(preset: Preset, dates: DateReader, field: ExportField, text: str) -> Any:
    """The value :func:`~faultkit.adapters.exports.read_metric_rows` gives a present cell.

    Raises:
        InvalidInputError: or ValueError, where that function rejects the row.
    """
    if field is ExportField.OPENED_AT:
        return dates(text, str(field))
    if field is ExportField.PRIORITY or field is ExportField.SEVERITY:
        level = preset.level_of(field, text)
        if not 1 <= level <= 5:
            raise ValueError(f"{field} level {level}")
        return Priority(level) if field is ExportField.PRIORITY else Severity(level)
    if field is ExportField.MADE_SLA:
        lowered = text.strip().casefold()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError("expected true or false")
    if not text.strip():  # the component: EventRow refuses a blank one
        raise ValueError("blank")
    return text


def _spread(codes: Any, values: list[Any]) -> list[Any]:
    """The value of each row's code."""
    if not values:
        return []
    table = np.empty(len(values), dtype=object)
    table[:] = values
    spread: list[Any] = table[codes].tolist()
    return spread


def _run_starts(ids: list[str], same: Any) -> list[str]:
    """The id of the first row of each run of equal ids (every distinct text of the chunk)."""
    return [ids[i] for i in np.flatnonzero(~same).tolist()]
