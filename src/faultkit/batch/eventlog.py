"""The columnar engine of ``faultkit check-log``: an event log read as Arrow record batches.

:func:`check_event_log_batches` gives the row engine's answer
(:func:`~faultkit.adapters.exports.read_event_log` then
:func:`~faultkit.lifecycle.eventlog.validate_event_log`) for a CSV file:

1. one pass over the file's bytes (:func:`~faultkit.batch.scan.scan_file`): without a
   double quote and without a line long enough to hold a cell past the field limit,
   Arrow converts only the id, state and updated-at columns (the others are split
   but never turned into text) and reads without looking for line breaks in values;
2. each batch is checked by columns: each distinct id, label and updated-at text is
   looked at once (missing, state of the workflow, a date the
   :class:`~faultkit.adapters.exports.DateReader` reads, memoised over the file); the
   rows of a log sorted by incident are compared with the row before (numpy: same
   incident, state changed, pair allowed by the workflow's table);
3. a log that is sorted by incident, every label a state, no transition illegal and
   neither ``check_start`` nor ``check_order`` asked for is done there: the counts are
   the row engine's fast pass's. Otherwise the events are read again from batches
   into the row engine's tuples and :func:`validate_event_log` gives every violation,
   so the details (rows, steps, labels, times) are the row engine's by construction.

Whatever the row engine would reject (a missing id, state or time, a time it cannot
read, a ragged or unreadable row, a blank line), a date contradicting the day order,
text that is not UTF-8, a header Arrow reads differently or that repeats a name, and
any unexpected error: :class:`~faultkit.batch.stream.ArrowFallback`, before anything
is written, and the caller runs the row engine.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import attrs
import numpy as np

from faultkit.adapters.exports.dates import DateReader
from faultkit.adapters.exports.presets import ExportField, Preset
from faultkit.adapters.exports.tabular import FIELD_LIMIT, Header, read_csv
from faultkit.batch.arrow import ScoreMemo
from faultkit.batch.buffers import numpy_ints
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

__all__ = ["WHITESPACE", "CheckedLog", "check_event_log_batches", "missing_regex"]

_UTF8 = frozenset({"utf-8", "utf8", "utf-8-sig", "utf_8", "utf_8_sig"})
WHITESPACE = (
    r"\x{9}-\x{d}\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
)
"""The characters :meth:`str.strip` removes, as the body of an RE2 character class."""
_FIELDS = (ExportField.ID, ExportField.STATE, ExportField.UPDATED_AT)


@attrs.frozen(kw_only=True)
class CheckedLog:
    """An event log read and checked by :func:`check_event_log_batches`.

    Attributes:
        report: the row engine's :class:`~faultkit.lifecycle.eventlog.EventLogReport`.
        lines: the input line of each event (``lines[v.row]`` for a violation ``v``);
            empty when the report has no violation (nothing to place).
        rows_read: data rows read (every one an event: a log with a rejected row is
            the row engine's).
        timed: the log has an updated-at column.
    """

    report: EventLogReport
    lines: tuple[int, ...]
    rows_read: int
    timed: bool


@attrs.define
class _Columns:
    """One batch's id, label and updated-at columns, and the line each row ends on.

    ``start`` is the line the row before the batch ended on.
    """

    ids: Any
    labels: tuple[Any, list[str]]  # codes per row, text per code
    times: tuple[Any, list[datetime]] | None  # codes per row, datetime per code
    ends: Any
    start: int


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
        progress: called after each batch with the rows read so far.
        block_size: bytes per batch.

    Raises:
        ArrowFallback: the row engine must read this file (see the module docstring).
    """
    reading = _Reading.open(path, preset, dates, encoding, delimiter, block_size)
    state_of = workflow.label_map
    names = list(workflow.state_names)
    number = {name: k for k, name in enumerate(names)}
    allowed = np.zeros((len(names), len(names)), np.bool_)
    for source, dest in workflow.pairs:
        allowed[number[source], number[dest]] = True
    labels: dict[str, int] = {}  # label -> state number, -1 for no state

    def state_numbers(encoded: tuple[Any, list[str]]) -> Any:
        codes, texts = encoded
        table = np.array([labels.setdefault(t, number.get(state_of.get(t, ""), -1)) for t in texts])
        return table[codes] if len(texts) else np.zeros(0, np.int64)

    clean = not check_start and not check_order
    rows = transitions = incidents = 0
    last_id: str | None = None
    last_state = -1
    for batch in reading.batches(progress) if clean else ():
        n = len(batch.ids)
        rows += n
        if n == 0:
            continue
        states = state_numbers(batch.labels)
        if (states < 0).any():
            clean = False  # an unknown label: the detailed pass names it
            break
        ids = batch.ids
        first = ids[0].as_py()
        if (last_id is not None and first < last_id) or (
            n > 1 and pc.any(pc.less(ids.slice(1), ids.slice(0, n - 1))).as_py()
        ):
            clean = False  # not sorted by incident: the row engine's reading parks states
            break
        same = np.zeros(n, np.bool_)
        if n > 1:
            same[1:] = _to_bool(pc.equal(ids.slice(1), ids.slice(0, n - 1)))
        same[0] = first == last_id
        previous = np.empty(n, np.int64)
        previous[1:] = states[:-1]
        previous[0] = last_state
        changed = same & (states != previous)
        if (changed & ~allowed[np.maximum(previous, 0), states]).any():
            clean = False  # an illegal transition: the detailed pass gives it
            break
        transitions += int(np.count_nonzero(changed))
        incidents += int(np.count_nonzero(~same))
        last_id, last_state = ids[n - 1].as_py(), int(states[-1])
    if clean:
        report = EventLogReport(
            workflow=workflow.name,
            events=rows,
            incidents=incidents,
            transitions=transitions,
            violations=(),
        )
        return CheckedLog(report=report, lines=(), rows_read=rows, timed=reading.timed)
    events: list[tuple[str, str, datetime | None]] = []
    lines: list[int] = []
    for batch in reading.batches(progress):
        ids = batch.ids.to_pylist()
        codes, texts = batch.labels
        labels_ = np.array(texts, dtype=object)[codes].tolist()
        if batch.times is None:
            events.extend(zip(ids, labels_, [None] * len(ids), strict=True))
        else:
            codes, moments = batch.times
            at = np.array(moments, dtype=object)[codes].tolist()
            events.extend(zip(ids, labels_, at, strict=True))
        if len(batch.ends):
            lines.append(batch.start + 1)
            lines.extend((batch.ends[:-1] + 1).tolist())
    report = validate_event_log(events, workflow, check_start=check_start, check_order=check_order)
    return CheckedLog(
        report=report,
        lines=tuple(lines) if report.violations else (),
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


@attrs.define
class _Reading:
    """An event-log file opened for Arrow: which columns, read how."""

    path: str
    header_lines: int
    delimiter: str
    names: list[str]  # the id, state and (if present) updated-at column names
    all_names: list[str]
    timed: bool
    narrow: bool  # only the three columns are converted (no quotes, no long line)
    quotes: bool
    missing: frozenset[str]
    missing_pattern: str | None  # matches a cell whose strip() is a missing value
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
        names = [header[i] for i in present]
        scan = scan_file(path)
        return cls(
            path=path,
            header_lines=header_lines,
            delimiter=delimiter,
            names=names,
            all_names=header,
            timed=picks[2] is not None,
            narrow=not scan.quotes and not scan.long_lines,
            quotes=scan.quotes,
            missing=preset.missing,
            missing_pattern=missing_regex(preset.missing),
            dates=dates,
            memo=ScoreMemo(),
            block_size=block_size,
        )

    def date(self, text: str) -> datetime:
        """The row engine's datetime of an updated-at text (memoised)."""
        return self.memo.recall(text, lambda: self.dates(text, str(ExportField.UPDATED_AT)))

    def batches(self, progress: Callable[[int], None] | None) -> Iterator[_Columns]:
        """The file's batches, each checked for what the row engine would reject."""
        try:
            reader = pcsv.open_csv(
                self.path,
                read_options=pcsv.ReadOptions(block_size=self.block_size, use_threads=True),
                parse_options=pcsv.ParseOptions(
                    delimiter=self.delimiter,
                    newlines_in_values=self.quotes,
                    ignore_empty_lines=False,
                ),
                convert_options=pcsv.ConvertOptions(
                    column_types=dict.fromkeys(self.all_names, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                    null_values=[],
                    include_columns=self.names if self.narrow else None,
                ),
            )
        except (pa.ArrowException, ValueError, OSError) as error:
            raise ArrowFallback(f"open: {error}") from None
        expected = self.names if self.narrow else self.all_names
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
            if not self.narrow and any(longest(c) > FIELD_LIMIT for c in table.columns):
                raise ArrowFallback("a cell past the field limit")
            columns = [_single(table.column(name)) for name in self.names]
            if self.quotes and any(lone_cr(column) for column in columns):
                raise ArrowFallback("a lone \\r in a cell (Arrow may have lost a \\n)")
            ids = columns[0]
            if self.missing_pattern is not None and (
                pc.any(pc.match_substring_regex(ids, self.missing_pattern)).as_py()
            ):
                raise ArrowFallback("a missing id: a rejected row")
            labels = _encode(columns[1])
            if any(text.strip() in self.missing for text in labels[1]):
                raise ArrowFallback("a missing state: a rejected row")
            times: tuple[Any, list[datetime]] | None = None
            if self.timed:
                codes, texts = _encode(columns[2])
                if any(text.strip() in self.missing for text in texts):
                    raise ArrowFallback("a missing updated-at: a rejected row")
                try:
                    times = codes, [self.date(text) for text in texts]
                except InvalidInputError:
                    raise ArrowFallback("an unreadable updated-at: a rejected row") from None
                if self.dates.contradictions:
                    raise ArrowFallback("day-order contradictions are counted per row")
            if self.narrow:
                ends = line + np.arange(1, table.num_rows + 1, dtype=np.int64)
            else:
                ends = row_ends(table, line, [True] * table.num_columns)
            start = line
            if len(ends):
                line = int(ends[-1])
            rows += table.num_rows
            if progress is not None:
                progress(rows)
            yield _Columns(ids=ids, labels=labels, times=times, ends=ends, start=start)


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
