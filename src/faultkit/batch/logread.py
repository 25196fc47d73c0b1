"""Reading the id, state and time columns of a CSV event log as Arrow arrays, in chunks.

The reading under the columnar ``check-log`` (:mod:`faultkit.batch.eventlog`) and
``report`` (:mod:`faultkit.batch.metric_rows`) engines. :class:`LogReader` converts
only the columns asked for and looks each chunk over for what the row engine would
reject (:class:`~faultkit.batch.fallback.ArrowFallback` then):

- a *plain* file (no double quote, no line long enough to hold a cell past the field
  limit) is mapped into memory and cut at line ends into segments
  (:func:`~faultkit.batch.lines.line_ranges`, the rule ``score`` cuts its blocks by)
  that worker threads (one per core) look over for quotes and long lines (``memchr``),
  parse (Arrow, without looking for line breaks in values) and encode, while the
  caller works on the segments before them, in order
  (:meth:`LogReader.plain_segments`; it raises :class:`NotPlain` when a segment is
  not plain);
- any other file is read by one streaming reader that handles quoted line breaks
  (:meth:`LogReader.batches`).

Each chunk (:class:`LogChunk`): the ids, whether each row has the id of the row
before and whether the ids ever go down (a log not sorted by incident), the labels
and times dictionary-encoded (each distinct text looked at once: missing, and for
times a date the :class:`~faultkit.adapters.exports.DateReader` reads, the usual
fixed-width shapes vouched for by numpy, :func:`~faultkit.batch.fixed_dates.surely_dates`,
the others read by the reader, memoised over the file), and the other columns asked
for, dictionary-encoded too.
"""

from __future__ import annotations

import csv
import mmap
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
import numpy as np

from faultkit.adapters.exports.dates import DateReader
from faultkit.adapters.exports.presets import ExportField, Preset
from faultkit.adapters.exports.tabular import FIELD_LIMIT, Header, SepLineReader, read_csv
from faultkit.batch.buffers import arrow_booleans, arrow_ints, arrow_texts, numpy_ints
from faultkit.batch.fallback import ArrowFallback
from faultkit.batch.fixed_dates import epoch_micros, surely_dates
from faultkit.batch.kernels import any_true, call, dictionary_encode, keep, matches, member_of, take
from faultkit.batch.lines import line_ranges
from faultkit.batch.memo import ScoreMemo
from faultkit.batch.scan import lone_cr, longest, row_ends, scan_file, utf8
from faultkit.errors import InvalidInputError

try:
    import pyarrow as pa
    import pyarrow.csv as pcsv
except ImportError as error:  # pragma: no cover - depends on the installed extras
    raise ImportError("faultkit.batch needs pyarrow: pip install '.[arrow]' in a clone") from error

__all__ = [
    "SEGMENT_SIZE",
    "WHITESPACE",
    "LogChunk",
    "LogReader",
    "NotPlain",
    "line_of",
    "missing_regex",
]

_UTF8 = frozenset({"utf-8", "utf8", "utf-8-sig", "utf_8", "utf_8_sig"})
WHITESPACE = (
    r"\x{9}-\x{d}\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
)
"""The characters :meth:`str.strip` removes, as the body of an RE2 character class."""
SEGMENT_SIZE = 16 << 20
"""Bytes per segment a worker thread reads of a plain file (cut at the next line end).

The most: the last segments shrink to 1 / (2 x workers) of what is left, down to an
eighth of the size (:func:`~faultkit.batch.lines.line_ranges` with ``parts``), so the
threads finish together. Measured on the 343 MB bench log, one thread: 8 MB
segments cost 0.79 s of CPU, 16 MB 0.75 s, 2 MB 0.95 s (about 1 ms a segment: the
parser's set-up, the per-chunk looks).
"""
_FIELDS = (ExportField.ID, ExportField.STATE, ExportField.UPDATED_AT)
_WINDOW = 1 << 16  # as in faultkit.batch.scan: a window without a line end: a long line
# Arrow's block within a segment, at most: measured on the bench log, one thread, a
# segment's CPU time is 2 % lower with 512 KiB blocks than with 1 MiB, 4 % than 2 MiB
_SEGMENT_BLOCK = 512 << 10
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


@attrs.define
class LogChunk:
    """One segment's (or batch's) id, label and updated-at columns, looked over.

    ``same[i]`` (``i >= 1``): row ``i`` has row ``i - 1``'s id; ``unsorted``: some
    id sorts before the one above it. ``times``: codes per row, the distinct texts
    and which of them are surely dates. ``ends`` is the line each row ends on (``None``
    for a plain file: one line a row) and ``start`` the line before the first row.
    ``extra``: each other column asked for, as codes per row and distinct texts.
    """

    ids: Any
    same: Any
    unsorted: bool
    labels: tuple[Any, list[str]]  # codes per row, text per code
    times: tuple[Any, Any, Any] | None  # codes per row, texts (Arrow), sure mask
    ends: Any
    start: int
    extra: dict[ExportField, tuple[Any, Any]] = attrs.Factory(dict)  # codes, texts (Arrow)

    @property
    def rows(self) -> int:
        return len(self.ids)

    def line_of(self, index: int) -> int:
        """The line the row ``index`` of this chunk starts on."""
        return line_of(self.ends, self.start, index)


def line_of(ends: Any, start: int, index: int) -> int:
    """The line row ``index`` starts on: ``ends`` each row's last line (``None``: one each)."""
    if ends is None:
        return start + index + 1
    return (start if index == 0 else int(ends[index - 1])) + 1


def _to_bool(array: Any) -> Any:
    """A boolean Arrow array without nulls as a numpy array."""
    return np.unpackbits(
        np.frombuffer(array.buffers()[1], np.uint8),
        bitorder="little",
        count=array.offset + len(array),
    )[array.offset :].astype(np.bool_)


def _encode(column: Any) -> tuple[Any, list[str]]:
    """Codes per row and the text of each code."""
    encoded = dictionary_encode(column)
    return numpy_ints(encoded.indices), encoded.dictionary.to_pylist()


class NotPlain(Exception):  # noqa: N818 - a signal, not an error
    """A segment holds a double quote or a long line: the file is read the careful way."""


@attrs.define
class LogReader:
    """An event-log file opened for Arrow: which columns, read how."""

    path: str
    header_lines: int
    delimiter: str
    names: list[str]  # the id, state and (if present) updated-at column names
    extra: dict[ExportField, str]  # the other columns read, by field
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
        extra: Sequence[ExportField] = (),
    ) -> LogReader:
        """Open ``path``: its header read as the row engine reads it, the columns found.

        ``extra``: other fields whose columns are read too, when mapped and present.

        Raises:
            ArrowFallback: an encoding other than UTF-8, a header the row engine reads
                differently or complains about, no id or state column.
        """
        if encoding.lower() not in _UTF8:
            raise ArrowFallback(f"encoding {encoding}")
        with open(path, encoding="utf-8-sig", newline="") as source:
            try:
                reader, delimiter = read_csv(source, delimiter)
                header = next(reader)
                if isinstance(reader, SepLineReader):
                    raise ArrowFallback("an Excel sep= first line")
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
        others: dict[ExportField, str] = {}
        for field in extra:
            column = preset.column(field)
            try:
                found = index.find(column) if column else None
            except InvalidInputError:
                raise ArrowFallback("the row engine names the column problem") from None
            if found is not None:
                if found in present or header[found] in others.values():
                    raise ArrowFallback("one column for two fields")
                others[field] = header[found]
        return cls(
            path=path,
            header_lines=header_lines,
            delimiter=delimiter,
            names=[header[i] for i in present],
            extra=others,
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

    def moments(self, chunk: LogChunk) -> Any:
        """Each row's updated-at in microseconds since the epoch (UTC), for the order check.

        With a fixed-offset zone (UTC by default) numpy gives the texts of the usual
        shapes (:func:`~faultkit.batch.fixed_dates.epoch_micros`); the reader the others.
        """
        assert chunk.times is not None
        codes, texts, _sure = chunk.times
        zone = self.dates.tz
        if type(zone) is timezone:
            sure, values = epoch_micros(texts, self.dates.order, zone.utcoffset(None))
        else:  # a zone with daylight saving: the reader places each time
            sure, values = np.zeros(len(texts), np.bool_), np.zeros(len(texts), np.int64)
        rest = np.flatnonzero(~sure)
        for k, text in zip(rest.tolist(), take(texts, arrow_ints(rest)).to_pylist(), strict=True):
            values[k] = (self.date(text) - _EPOCH) // _US
        return values.take(codes) if len(values) else np.zeros(0, np.int64)

    def plain_segments(
        self, size: int, progress: Callable[[int], None] | None
    ) -> Iterator[LogChunk]:
        """A plain file's segments, looked over by worker threads, in file order.

        Segments of ``size`` bytes, the last ones shrinking down to ``size // 8``
        (see :data:`SEGMENT_SIZE`).

        Raises:
            NotPlain: a segment holds a quote or a long line (before any is yielded
                when it is the first; the caller reads the file again the careful way).
        """
        if not self.plain:
            raise NotPlain
        with open(self.path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                raise NotPlain
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        # not closed here: Arrow may still hold views of it (an exception's frames);
        # it is unmapped when the last reference goes
        data_start = mapped.find(b"\n") + 1
        if data_start == 0 or b"\r" in mapped[: data_start - 2] or b'"' in mapped[:data_start]:
            raise NotPlain
        buffer = pa.py_buffer(mapped)
        workers = max(1, os.cpu_count() or 1)
        pending: deque[Future[LogChunk]] = deque()
        line, rows = self.header_lines, 0
        with ThreadPoolExecutor(max_workers=workers) as pool:
            try:
                ranges = line_ranges(
                    mapped,
                    data_start,
                    size,
                    parts=2 * workers,
                    smallest=max(1, size // 8),
                )
                for start, end in ranges:
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

    def _segment(self, mapped: mmap.mmap, buffer: Any, start: int, end: int) -> LogChunk:
        """Bytes ``start:end`` of a plain file: checked plain, parsed, looked over."""
        if mapped.find(b'"', start, end) >= 0:
            raise NotPlain
        for window in range(start, end - _WINDOW + 1, _WINDOW):
            if (
                mapped.find(b"\n", window, window + _WINDOW) < 0
                and mapped.find(b"\r", window, window + _WINDOW) < 0
            ):
                raise NotPlain
        segment = buffer.slice(start, end - start)
        if not utf8(segment):  # in a column not read too: the row engine stops on it
            raise ArrowFallback(f"bytes {start}-{end}: text that is not UTF-8")
        try:
            table = pcsv.read_csv(
                pa.BufferReader(segment),
                read_options=pcsv.ReadOptions(
                    column_names=self.all_names,
                    block_size=min(self.block_size, _SEGMENT_BLOCK),
                    use_threads=False,
                ),
                parse_options=self._parse_options(newlines=False),
                convert_options=self._convert_options(narrow=True, checked_utf8=True),
            )
        except (pa.ArrowException, ValueError) as error:
            raise ArrowFallback(f"bytes {start}-{end}: {error}") from None
        if list(table.schema.names) != self.included:
            raise ArrowFallback("Arrow reads the header differently")
        return self._look(table, None, 0)

    def _parse_options(self, *, newlines: bool) -> Any:
        return pcsv.ParseOptions(
            delimiter=self.delimiter, newlines_in_values=newlines, ignore_empty_lines=False
        )

    def _convert_options(self, *, narrow: bool, checked_utf8: bool = False) -> Any:
        """Every column as text; ``checked_utf8``: the bytes are known UTF-8 (not checked again).

        A cell of bytes known to be UTF-8 is UTF-8: a cell ends at a delimiter or a line
        end, ASCII bytes that never fall inside a multi-byte sequence.
        """
        return pcsv.ConvertOptions(
            check_utf8=not checked_utf8,
            column_types=dict.fromkeys(self.all_names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            null_values=[],
            include_columns=self.included if narrow else None,
        )

    @property
    def included(self) -> list[str]:
        """The columns read, in file order (as Arrow gives them)."""
        wanted = {*self.names, *self.extra.values()}
        return [name for name in self.all_names if name in wanted]

    def _look(self, table: Any, ends: Any, start: int) -> LogChunk:
        """One chunk's columns looked over for what the row engine would reject.

        Runs in worker threads too: Arrow and numpy only, no shared state.
        """
        columns = [_single(table.column(name)) for name in self.names]
        ids = columns[0]
        n = len(ids)
        same = np.zeros(n, np.bool_)
        unsorted = False
        if n > 1:
            same[1:] = _to_bool(call("equal", ids.slice(1), ids.slice(0, n - 1)))
            unsorted = any_true(call("less", ids.slice(1), ids.slice(0, n - 1)))
        if self.missing_pattern is not None and n:
            runs = take(ids, arrow_ints(np.flatnonzero(~same)))
            if any_true(matches(runs, self.missing_pattern)):
                raise ArrowFallback("a missing id: a rejected row")
        labels = _encode(columns[1])
        if any(text.strip() in self.missing for text in labels[1]):
            raise ArrowFallback("a missing state: a rejected row")
        times: tuple[Any, Any, Any] | None = None
        if self.timed:
            encoded = dictionary_encode(columns[2])
            texts = encoded.dictionary
            if len(self.missing_array) and any_true(member_of(texts, self.missing_array)):
                raise ArrowFallback("a missing updated-at: a rejected row")
            times = numpy_ints(encoded.indices), texts, surely_dates(texts, self.dates.order)
        extra = {}
        for field, name in self.extra.items():
            encoded = dictionary_encode(_single(table.column(name)))
            extra[field] = numpy_ints(encoded.indices), encoded.dictionary
        return LogChunk(
            ids=ids,
            same=same,
            unsorted=unsorted,
            labels=labels,
            times=times,
            ends=ends,
            start=start,
            extra=extra,
        )

    def check_dates(self, chunk: LogChunk) -> None:
        """Read the updated-at texts the fast look could not vouch for (memoised)."""
        if chunk.times is None:
            return
        _codes, texts, sure = chunk.times
        if sure.all():
            return
        for text in keep(texts, arrow_booleans(~sure)).to_pylist():
            self.date(text)
        if self.dates.contradictions:
            raise ArrowFallback("day-order contradictions are counted per row")

    def batches(self, progress: Callable[[int], None] | None) -> Iterator[LogChunk]:
        """The file's batches read by one streaming reader (quotes, long lines and all)."""
        scan = scan_file(self.path)
        narrow = not scan.quotes and not scan.long_lines
        if narrow and not _file_utf8(self.path):  # the columns not read are not validated
            raise ArrowFallback("text that is not UTF-8")
        try:
            reader = pcsv.open_csv(
                self.path,
                read_options=pcsv.ReadOptions(block_size=self.block_size, use_threads=True),
                parse_options=self._parse_options(newlines=scan.quotes),
                convert_options=self._convert_options(narrow=narrow),
            )
        except (pa.ArrowException, ValueError, OSError) as error:
            raise ArrowFallback(f"open: {error}") from None
        expected = self.included if narrow else self.all_names
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
            columns = [_single(table.column(name)) for name in self.included]
            if scan.quotes and any(lone_cr(column) for column in columns):
                raise ArrowFallback("a lone \\r in a cell (Arrow may have lost a \\n)")
            ends = None if narrow else row_ends(table, line, [True] * table.num_columns)
            chunk = self._look(table, ends, line)
            self.check_dates(chunk)
            if ends is None:
                line += table.num_rows
            elif len(ends):
                line = int(ends[-1])
            rows += table.num_rows
            if progress is not None:
                progress(rows)
            yield chunk


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


def _file_utf8(path: str) -> bool:
    """Whether the whole file is UTF-8 (:func:`~faultkit.batch.scan.utf8` over a map of it)."""
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return True
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            view = pa.py_buffer(mapped)
            try:
                return utf8(view)
            finally:
                del view  # the map closes only without exported views


def _single(column: Any) -> Any:
    """A chunked column as one array."""
    if isinstance(column, pa.ChunkedArray):
        return column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    return column
