"""The columnar engine of ``faultkit check-log``: an event log read as Arrow record batches.

:func:`check_event_log_batches` gives the row engine's answer
(:func:`~faultkit.adapters.exports.read_event_log` then
:func:`~faultkit.lifecycle.eventlog.validate_event_log`) for a CSV file:

1. reading (:class:`~faultkit.batch.logread.LogReader`), only the id, state and
   updated-at columns converted. A file is first taken as plain (no double quote, no
   line long enough to hold a cell past the field limit): worker threads (one per
   core) parse its segments while the main thread checks the segments before them,
   in order. A file that is not plain is read again by one streaming reader that
   handles quotes;
2. each segment (or batch) is looked over by columns: each distinct id, label and
   updated-at text is looked at once (missing, state of the workflow, a date the
   :class:`~faultkit.adapters.exports.DateReader` reads);
3. a log sorted by incident is checked by numpy, every rule of the row engine's
   detailed pass (:class:`~faultkit.batch.logcheck.SortedLogCheck`): illegal
   transitions, unknown labels, ``check_start``, ``check_order``; Python builds only
   the violations. A log whose incidents interleave is read again into the row
   engine's tuples and :func:`validate_event_log` checks it.

Whatever the row engine would reject (a missing id, state or time, a time it cannot
read, a ragged or unreadable row, a blank line), a date contradicting the day order,
text that is not UTF-8, a header Arrow reads differently or that repeats a name, and
any unexpected error: :class:`~faultkit.batch.fallback.ArrowFallback`, before anything
is written, and the caller runs the row engine.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from itertools import accumulate
from typing import Any, overload

import attrs
import numpy as np

from faultkit.adapters.exports.dates import DateReader
from faultkit.adapters.exports.presets import Preset
from faultkit.batch.lines import BLOCK_SIZE
from faultkit.batch.logcheck import SortedLogCheck
from faultkit.batch.logread import SEGMENT_SIZE, LogChunk, LogReader, NotPlain, line_of
from faultkit.lifecycle.eventlog import EventLogReport, validate_event_log
from faultkit.lifecycle.workflow import Workflow

__all__ = ["CheckedLog", "RowLines", "check_event_log_batches"]


class RowLines(Sequence[int]):
    """The input line of the rows violations name: ``lines[row]``, as the row engine's list.

    Only those rows are kept (a log of a million rows needs a few lines, not a
    million); any other row raises :class:`IndexError`.
    """

    __slots__ = ("_lines", "_rows")

    def __init__(self, lines: dict[int, int], rows: int) -> None:
        self._lines = lines
        self._rows = rows

    def __len__(self) -> int:
        return self._rows

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...

    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._rows))]
        try:
            return self._lines[index]
        except KeyError:
            raise IndexError(f"no line kept for row {index}") from None


@attrs.frozen(kw_only=True)
class CheckedLog:
    """An event log read and checked by :func:`check_event_log_batches`.

    Attributes:
        report: the row engine's :class:`~faultkit.lifecycle.eventlog.EventLogReport`.
        lines: the input line of each row a violation names (``lines[v.row]``).
        rows_read: data rows read (every one an event: a log with a rejected row is
            the row engine's).
        timed: the log has an updated-at column.
    """

    report: EventLogReport
    lines: Sequence[int]
    rows_read: int
    timed: bool


def check_event_log_batches(
    path: str,
    preset: Preset,
    workflow: Workflow,
    *,
    dates: DateReader,
    encoding: str = "utf-8-sig",
    delimiter: str | None = None,
    check_start: bool = False,
    check_order: bool = False,
    progress: Callable[[int], None] | None = None,
    block_size: int = BLOCK_SIZE,
    segment_size: int = SEGMENT_SIZE,
) -> CheckedLog:
    """Read and check a CSV event log batch by batch: the row engine's report and lines.

    Args:
        path: the CSV file.
        preset: where the id, state and updated-at columns are.
        workflow: the workflow the log must follow.
        dates: how timestamps are read (its contradiction count must stay 0).
        encoding: the input's encoding; only UTF-8 is read by Arrow.
        delimiter: the CSV delimiter; ``None`` sniffs it as the row engine does.
        check_start: as for :func:`~faultkit.lifecycle.eventlog.validate_event_log`.
        check_order: as for :func:`~faultkit.lifecycle.eventlog.validate_event_log`.
        progress: called after each segment or batch with the rows read so far.
        block_size: bytes per Arrow block (per batch of a file that is not plain).
        segment_size: bytes per segment of a plain file.

    Raises:
        ArrowFallback: the row engine must read this file (see the module docstring).
    """
    reading = LogReader.open(path, preset, dates, encoding, delimiter, block_size)
    names = list(workflow.state_names)
    number = {name: k for k, name in enumerate(names)}
    allowed = np.zeros((len(names), len(names)), np.bool_)
    for source, dest in workflow.pairs:
        allowed[number[source], number[dest]] = True

    def checker() -> SortedLogCheck:
        return SortedLogCheck(
            allowed=allowed,
            names=names,
            initial=number[workflow.initial],
            check_start=check_start,
            check_order=check_order,
        )

    try:
        plain = reading.plain_segments(segment_size, progress)
        checked = _check_sorted(reading, plain, workflow, checker())
    except NotPlain:  # a quote or a long line, maybe far into the file: start again
        checked = _check_sorted(reading, reading.batches(progress), workflow, checker())
    if checked is None:
        return _interleaved(reading, workflow, check_start, check_order, progress)
    return checked


def _check_sorted(
    reading: LogReader, chunks: Iterator[LogChunk], workflow: Workflow, checker: SortedLogCheck
) -> CheckedLog | None:
    """Check the chunks with numpy; ``None`` when the log turns out not sorted by incident."""
    state_of = workflow.label_map
    number = {name: k for k, name in enumerate(checker.names)}
    labels: dict[str, int] = {}  # label -> state number, -1 for no state
    lines: dict[int, int] = {}
    last_id: str | None = None
    for chunk in chunks:
        if chunk.rows == 0:
            continue
        first_id, final_id = chunk.ids[0].as_py(), chunk.ids[-1].as_py()
        if chunk.unsorted or (last_id is not None and first_id < last_id):
            return None  # incidents interleave: the row engine's detailed pass checks the log
        last_id = final_id
        codes, texts = chunk.labels
        table = np.array(
            [labels.setdefault(t, number.get(state_of.get(t, ""), -1)) for t in texts], np.int64
        )
        states = table.take(codes)  # take: a fifth of fancy indexing's time here
        timed = checker.check_order and chunk.times is not None
        moments = reading.moments(chunk) if timed else None
        done = len(checker.violations)
        base = checker.rows
        checker.add(chunk.same, states, moments, first_id, final_id, _describer(chunk, reading))
        for violation in checker.violations[done:]:
            lines[violation.row] = chunk.line_of(violation.row - base)
    report = EventLogReport(
        workflow=workflow.name,
        events=checker.rows,
        incidents=checker.incidents,
        transitions=checker.transitions,
        violations=tuple(checker.violations),
    )
    return CheckedLog(
        report=report,
        lines=RowLines(lines, checker.rows),
        rows_read=checker.rows,
        timed=reading.timed,
    )


def _describer(
    chunk: LogChunk, reading: LogReader
) -> Callable[[int], tuple[str, str, datetime | None]]:
    """Row ``i`` of the chunk -> its id, label and time (for a violation)."""
    label_codes, label_texts = chunk.labels

    def describe(i: int) -> tuple[str, str, datetime | None]:
        at: datetime | None = None
        if chunk.times is not None:
            codes, texts, _sure = chunk.times
            at = reading.date(texts[int(codes[i])].as_py())
        return chunk.ids[i].as_py(), label_texts[int(label_codes[i])], at

    return describe


def _interleaved(
    reading: LogReader,
    workflow: Workflow,
    check_start: bool,
    check_order: bool,
    progress: Callable[[int], None] | None,
) -> CheckedLog:
    """A log whose incidents interleave: read into tuples, checked by the row engine."""
    events: list[tuple[str, str, datetime | None]] = []
    places: list[tuple[int, Any, int]] = []  # rows, line ends and start of each batch
    for batch in reading.batches(progress):
        ids = batch.ids.to_pylist()
        codes, texts = batch.labels
        labels_ = np.array(texts, dtype=object)[codes].tolist()
        if batch.times is None:
            events.extend(zip(ids, labels_, [None] * len(ids), strict=True))
        else:
            time_codes, time_texts, _sure = batch.times
            moments = np.array(
                [reading.date(text) for text in time_texts.to_pylist()], dtype=object
            )
            events.extend(zip(ids, labels_, moments[time_codes].tolist(), strict=True))
        places.append((batch.rows, batch.ends, batch.start))
    report = validate_event_log(events, workflow, check_start=check_start, check_order=check_order)
    firsts = list(accumulate((rows for rows, _ends, _start in places), initial=0))
    lines: dict[int, int] = {}
    for violation in report.violations:
        held = bisect_right(firsts, violation.row) - 1  # the batch holding the row
        _rows, ends, start = places[held]
        lines[violation.row] = line_of(ends, start, violation.row - firsts[held])
    return CheckedLog(
        report=report,
        lines=RowLines(lines, len(events)),
        rows_read=len(events),
        timed=reading.timed,
    )
