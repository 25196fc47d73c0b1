"""The columnar engine of ``faultkit check-log``: an event log read as Arrow record batches.

:func:`check_event_log_batches` gives the row engine's answer
(:func:`~faultkit.adapters.exports.read_event_log` then
:func:`~faultkit.lifecycle.eventlog.validate_event_log`) for a CSV file:

1. reading, only the id, state and updated-at columns converted. A file is first
   taken as plain (no double quote, no line long enough to hold a cell past the
   field limit): it is mapped into memory and cut at line ends into segments that
   worker threads (one per core) look over for quotes and long lines (``memchr``),
   parse (Arrow, without looking for line breaks in values) and encode, while the
   main thread checks the segments before them, in order. A file that is not plain
   is read again by one streaming reader that handles quotes;
2. each segment (or batch) is checked by columns: each distinct id, label and
   updated-at text is looked at once (missing, state of the workflow, a date the
   :class:`~faultkit.adapters.exports.DateReader` reads: the usual fixed-width shapes
   by numpy, :func:`~faultkit.batch.fixed_dates.surely_dates`, the others by the
   reader itself, memoised over the file);
3. a log sorted by incident is checked by numpy, every rule of the row engine's
   detailed pass (:class:`~faultkit.batch.logcheck.SortedLogCheck`): illegal
   transitions, unknown labels, ``check_start``, ``check_order``; Python builds only
   the violations. A log whose incidents interleave is read again into the row
   engine's tuples and :func:`validate_event_log` checks it.

Whatever the row engine would reject (a missing id, state or time, a time it cannot
read, a ragged or unreadable row, a blank line), a date contradicting the day order,
text that is not UTF-8, a header Arrow reads differently or that repeats a name, and
any unexpected error: :class:`~faultkit.batch.stream.ArrowFallback`, before anything
is written, and the caller runs the row engine.
"""

from __future__ import annotations

import csv
import mmap
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any, overload

import attrs
import numpy as np

from faultkit.adapters.exports.dates import DateReader
from faultkit.adapters.exports.presets import ExportField, Preset
from faultkit.adapters.exports.tabular import FIELD_LIMIT, Header, read_csv
from faultkit.batch.arrow import ScoreMemo
from faultkit.batch.buffers import arrow_booleans, arrow_ints, arrow_texts, numpy_ints
from faultkit.batch.fixed_dates import surely_dates
from faultkit.batch.logcheck import SortedLogCheck
from faultkit.batch.scan import lone_cr, longest, row_ends, scan_file
from faultkit.batch.stream import BLOCK_SIZE, ArrowFallback
from faultkit.errors import InvalidInputError
from faultkit.lifecycle.eventlog import EventLogReport, validate_event_log
from faultkit.lifecycle.workflow import Workflow

try:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv
except ImportError as error:  # pragma: no cover - depends on the installed extras
    raise ImportError("faultkit.batch needs pyarrow: pip install '.[arrow]' in a clone") from error

__all__ = [
    "SEGMENT_SIZE",
    "WHITESPACE",
    "CheckedLog",
    "RowLines",
    "check_event_log_batches",
    "missing_regex",
]

_UTF8 = frozenset({"utf-8", "utf8", "utf-8-sig", "utf_8", "utf_8_sig"})
WHITESPACE = (
    r"\x{9}-\x{d}\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
)
"""The characters :meth:`str.strip` removes, as the body of an RE2 character class."""
SEGMENT_SIZE = 8 << 20
"""Bytes per segment a worker thread reads of a plain file (cut at the next line end)."""
_FIELDS = (ExportField.ID, ExportField.STATE, ExportField.UPDATED_AT)
_WINDOW = 1 << 16  # as in faultkit.batch.scan: a window without a line end: a long line
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


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


@attrs.define
class _Columns:
    """One segment's (or batch's) id, label and updated-at columns, looked over.

    ``same[i]`` (``i >= 1``): row ``i`` has row ``i - 1``'s id; ``unsorted``: some
    id sorts before the one above it. ``times``: codes per row, the distinct texts
    and which of them are surely dates. ``ends`` is the line each row ends on (``None``
    for a plain file: one line a row) and ``start`` the line before the first row.
    """

    ids: Any
    same: Any
    unsorted: bool
    labels: tuple[Any, list[str]]  # codes per row, text per code
    times: tuple[Any, Any, Any] | None  # codes per row, texts (Arrow), sure mask
    ends: Any
    start: int

    @property
    def rows(self) -> int:
        return len(self.ids)

    def line_of(self, index: int) -> int:
        """The line the row ``index`` of this chunk starts on."""
        return _line_of(self.ends, self.start, index)


def _line_of(ends: Any, start: int, index: int) -> int:
    """The line row ``index`` starts on: ``ends`` each row's last line (``None``: one each)."""
    if ends is None:
        return start + index + 1
    return (start if index == 0 else int(ends[index - 1])) + 1


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
    reading = _Reading.open(path, preset, dates, encoding, delimiter, block_size)
    names = list(workflow.state_names)
    number = {name: k for k, name in enumerate(names)}
    allowed = np.zeros((len(names), len(names)), np.bool_)
    for source, dest in workflow.pairs:
        allowed[number[source], number[dest]] = True
    checker = SortedLogCheck(
        allowed=allowed,
        names=names,
        initial=number[workflow.initial],
        check_start=check_start,
        check_order=check_order,
    )
    try:
        checked = _check_sorted(
            reading, reading.plain_segments(segment_size, progress), workflow, checker
        )
    except _NotPlain:
        checker = attrs.evolve(checker, rows=0, transitions=0, incidents=0, violations=[])
        checked = _check_sorted(reading, reading.batches(progress), workflow, checker)
    if checked is None:
        return _interleaved(reading, workflow, check_start, check_order, progress)
    return checked


def _check_sorted(
    reading: _Reading, chunks: Iterator[_Columns], workflow: Workflow, checker: SortedLogCheck
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
        states = table[codes]
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
    chunk: _Columns, reading: _Reading
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
    reading: _Reading,
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
    lines: dict[int, int] = {}
    if report.violations:
        wanted = {v.row for v in report.violations}
        offset = 0
        for rows, ends, start in places:
            for row in range(offset, offset + rows):
                if row in wanted:
                    lines[row] = _line_of(ends, start, row - offset)
            offset += rows
    return CheckedLog(
        report=report,
        lines=RowLines(lines, len(events)),
        rows_read=len(events),
        timed=reading.timed,
    )


def _to_bool(array: Any) -> Any:
    """A boolean Arrow array without nulls as a numpy array."""
    return np.unpackbits(
        np.frombuffer(array.buffers()[1], np.uint8),
        bitorder="little",
        count=array.offset + len(array),
    )[array.offset :].astype(np.bool_)


def _encode(column: Any) -> tuple[Any, list[str]]:
    """Codes per row and the text of each code."""
    encoded = pc.dictionary_encode(column)
    return numpy_ints(encoded.indices), encoded.dictionary.to_pylist()


class _NotPlain(Exception):  # noqa: N818 - a signal, not an error
    """A segment holds a double quote or a long line: the file is read the careful way."""


@attrs.define
class _Reading:
    """An event-log file opened for Arrow: which columns, read how."""

    path: str
    header_lines: int
    delimiter: str
    names: list[str]  # the id, state and (if present) updated-at column names
    all_names: list[str]
    timed: bool
    plain: bool  # no quote, no long line: known after the first look at the bytes
    missing: frozenset[str]
    missing_pattern: str | None  # matches a cell whose strip() is a missing value
    missing_array: Any  # the missing values, as an Arrow array
    dates: DateReader
    memo: ScoreMemo
    block_size: int

    @classmethod
    def open(
        cls,
        path: str,
        preset: Preset,
        dates: DateReader,
        encoding: str,
        delimiter: str | None,
        block_size: int,
    ) -> _Reading:
        if encoding.lower() not in _UTF8:
            raise ArrowFallback(f"encoding {encoding}")
        with open(path, encoding="utf-8-sig", newline="") as source:
            try:
                reader, delimiter = read_csv(source, delimiter)
                header = next(reader)
                header_lines = reader.line_num
            except (StopIteration, csv.Error, UnicodeDecodeError) as error:
                raise ArrowFallback(f"header: {error!r}") from None
        if len(set(header)) != len(header) or any(len(cell) > FIELD_LIMIT for cell in header):
            raise ArrowFallback("a repeated or huge header cell")
        index = Header(header)
        try:
            picks = [index.find(c) if c else None for c in map(preset.column, _FIELDS)]
        except InvalidInputError:
            raise ArrowFallback("the row engine names the column problem") from None
        present = [i for i in picks if i is not None]
        if picks[0] is None or picks[1] is None or len(set(present)) < len(present):
            raise ArrowFallback("no id or state column, or one column twice")
        if len(header) < 2:
            raise ArrowFallback("one column")
        return cls(
            path=path,
            header_lines=header_lines,
            delimiter=delimiter,
            names=[header[i] for i in present],
            all_names=header,
            timed=picks[2] is not None,
            plain=header_lines == 1,
            missing=preset.missing,
            missing_pattern=missing_regex(preset.missing),
            missing_array=arrow_texts(sorted(preset.missing)),
            dates=dates,
            memo=ScoreMemo(),
            block_size=block_size,
        )

    def date(self, text: str) -> datetime:
        """The row engine's datetime of an updated-at text (memoised).

        Raises:
            ArrowFallback: the text is missing or the reader refuses it (a rejected row).
        """
        if text.strip() in self.missing:
            raise ArrowFallback("a missing updated-at: a rejected row")
        try:
            return self.memo.recall(text, lambda: self.dates(text, str(ExportField.UPDATED_AT)))
        except InvalidInputError:
            raise ArrowFallback("an unreadable updated-at: a rejected row") from None

    def moments(self, chunk: _Columns) -> Any:
        """Each row's updated-at in microseconds since the epoch (UTC), for the order check."""
        assert chunk.times is not None
        codes, texts, _sure = chunk.times
        values = np.array(
            [(self.date(text) - _EPOCH) // _US for text in texts.to_pylist()], np.int64
        )
        return values[codes] if len(values) else np.zeros(0, np.int64)

    def plain_segments(
        self, size: int, progress: Callable[[int], None] | None
    ) -> Iterator[_Columns]:
        """A plain file's segments, looked over by worker threads, in file order.

        Raises:
            _NotPlain: a segment holds a quote or a long line (before any is yielded
                when it is the first; the caller reads the file again the careful way).
        """
        if not self.plain:
            raise _NotPlain
        with open(self.path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                raise _NotPlain
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        # not closed here: Arrow may still hold views of it (an exception's frames);
        # it is unmapped when the last reference goes
        data_start = mapped.find(b"\n") + 1
        if data_start == 0 or b"\r" in mapped[: data_start - 2] or b'"' in mapped[:data_start]:
            raise _NotPlain
        buffer = pa.py_buffer(mapped)
        workers = max(1, os.cpu_count() or 1)
        pending: deque[Future[_Columns]] = deque()
        line, rows = self.header_lines, 0
        with ThreadPoolExecutor(max_workers=workers) as pool:
            try:
                for start, end in _cuts(mapped, data_start, size):
                    pending.append(pool.submit(self._segment, mapped, buffer, start, end))
                    while len(pending) > 2 * workers or (pending and end == len(mapped)):
                        chunk = pending.popleft().result()
                        self.check_dates(chunk)
                        chunk.start = line
                        line += chunk.rows
                        rows += chunk.rows
                        if progress is not None:
                            progress(rows)
                        yield chunk
            finally:
                for future in pending:
                    future.cancel()

    def _segment(self, mapped: mmap.mmap, buffer: Any, start: int, end: int) -> _Columns:
        """Bytes ``start:end`` of a plain file: checked plain, parsed, looked over."""
        if mapped.find(b'"', start, end) >= 0:
            raise _NotPlain
        for window in range(start, end - _WINDOW + 1, _WINDOW):
            if (
                mapped.find(b"\n", window, window + _WINDOW) < 0
                and mapped.find(b"\r", window, window + _WINDOW) < 0
            ):
                raise _NotPlain
        try:
            table = pcsv.read_csv(
                pa.BufferReader(buffer.slice(start, end - start)),
                read_options=pcsv.ReadOptions(
                    column_names=self.all_names,
                    block_size=self.block_size,
                    use_threads=False,
                ),
                parse_options=self._parse_options(newlines=False),
                convert_options=self._convert_options(narrow=True),
            )
        except (pa.ArrowException, ValueError) as error:
            raise ArrowFallback(f"bytes {start}-{end}: {error}") from None
        if list(table.schema.names) != self.names:
            raise ArrowFallback("Arrow reads the header differently")
        return self._look([_single(table.column(name)) for name in self.names], None, 0)

    def _parse_options(self, *, newlines: bool) -> Any:
        return pcsv.ParseOptions(
            delimiter=self.delimiter, newlines_in_values=newlines, ignore_empty_lines=False
        )

    def _convert_options(self, *, narrow: bool) -> Any:
        return pcsv.ConvertOptions(
            column_types=dict.fromkeys(self.all_names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            null_values=[],
            include_columns=self.names if narrow else None,
        )

    def _look(self, columns: list[Any], ends: Any, start: int) -> _Columns:
        """One chunk's columns looked over for what the row engine would reject.

        Runs in worker threads too: Arrow and numpy only, no shared state.
        """
        ids = columns[0]
        n = len(ids)
        same = np.zeros(n, np.bool_)
        unsorted = False
        if n > 1:
            same[1:] = _to_bool(pc.equal(ids.slice(1), ids.slice(0, n - 1)))
            unsorted = bool(pc.any(pc.less(ids.slice(1), ids.slice(0, n - 1))).as_py())
        if self.missing_pattern is not None and n:
            runs = ids.take(arrow_ints(np.flatnonzero(~same)))
            if pc.any(pc.match_substring_regex(runs, self.missing_pattern)).as_py():
                raise ArrowFallback("a missing id: a rejected row")
        labels = _encode(columns[1])
        if any(text.strip() in self.missing for text in labels[1]):
            raise ArrowFallback("a missing state: a rejected row")
        times: tuple[Any, Any, Any] | None = None
        if self.timed:
            encoded = pc.dictionary_encode(columns[2])
            texts = encoded.dictionary
            if len(self.missing_array) and pc.any(pc.is_in(texts, self.missing_array)).as_py():
                raise ArrowFallback("a missing updated-at: a rejected row")
            times = numpy_ints(encoded.indices), texts, surely_dates(texts, self.dates.order)
        return _Columns(
            ids=ids,
            same=same,
            unsorted=unsorted,
            labels=labels,
            times=times,
            ends=ends,
            start=start,
        )

    def check_dates(self, chunk: _Columns) -> None:
        """Read the updated-at texts the fast look could not vouch for (memoised)."""
        if chunk.times is None:
            return
        _codes, texts, sure = chunk.times
        if sure.all():
            return
        for text in texts.filter(arrow_booleans(~sure)).to_pylist():
            self.date(text)
        if self.dates.contradictions:
            raise ArrowFallback("day-order contradictions are counted per row")

    def batches(self, progress: Callable[[int], None] | None) -> Iterator[_Columns]:
        """The file's batches read by one streaming reader (quotes, long lines and all)."""
        scan = scan_file(self.path)
        narrow = not scan.quotes and not scan.long_lines
        try:
            reader = pcsv.open_csv(
                self.path,
                read_options=pcsv.ReadOptions(block_size=self.block_size, use_threads=True),
                parse_options=self._parse_options(newlines=scan.quotes),
                convert_options=self._convert_options(narrow=narrow),
            )
        except (pa.ArrowException, ValueError, OSError) as error:
            raise ArrowFallback(f"open: {error}") from None
        expected = self.names if narrow else self.all_names
        if list(reader.schema.names) != expected:
            raise ArrowFallback("Arrow reads the header differently")
        line = self.header_lines
        rows = 0
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except (pa.ArrowException, ValueError) as error:
                raise ArrowFallback(f"row after line {line}: {error}") from None
            table = pa.Table.from_batches([batch])
            if not narrow and any(longest(c) > FIELD_LIMIT for c in table.columns):
                raise ArrowFallback("a cell past the field limit")
            columns = [_single(table.column(name)) for name in self.names]
            if scan.quotes and any(lone_cr(column) for column in columns):
                raise ArrowFallback("a lone \\r in a cell (Arrow may have lost a \\n)")
            ends = None if narrow else row_ends(table, line, [True] * table.num_columns)
            chunk = self._look(columns, ends, line)
            self.check_dates(chunk)
            if ends is None:
                line += table.num_rows
            elif len(ends):
                line = int(ends[-1])
            rows += table.num_rows
            if progress is not None:
                progress(rows)
            yield chunk


def _cuts(mapped: mmap.mmap, start: int, size: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` byte ranges of about ``size`` bytes, each ending after a ``\\n``."""
    total = len(mapped)
    while start < total:
        end = min(start + size, total)
        if end < total:
            found = mapped.find(b"\n", end - 1)
            end = total if found < 0 else found + 1
        yield start, end
        start = end


def missing_regex(missing: frozenset[str]) -> str | None:
    r"""An RE2 pattern matching exactly the cells ``c`` with ``c.strip() in missing``.

    ``None`` when nothing can be missing. (A missing value with whitespace at an end
    can match no stripped cell: left out.)

    >>> import pyarrow as pa, pyarrow.compute as pc
    >>> cells = pa.array(["?", " ? ", "", "x?", "\u3000?\x1c", "?\n?"])
    >>> pc.match_substring_regex(cells, missing_regex(frozenset({"", "?"}))).to_pylist()
    [True, True, True, False, True, False]
    """
    kept = sorted(value for value in missing if value == value.strip())
    values = "|".join(_re2_escape(value) for value in kept)
    if not kept:
        return None
    return f"^[{WHITESPACE}]*(?:{values})[{WHITESPACE}]*$"


def _re2_escape(text: str) -> str:
    """``text`` as an RE2 literal (every character but letters and digits escaped)."""
    return "".join(c if c.isalnum() and c.isascii() else f"\\x{{{ord(c):x}}}" for c in text)


def _single(column: Any) -> Any:
    """A chunked column as one array."""
    if isinstance(column, pa.ChunkedArray):
        return column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    return column
