"""The columnar engine on a file without quotes: line-aligned blocks, on every core, in order.

A CSV file holding no double quote has no quoted cell, so every line is one row, every
line end ends a row and every cell is the text between two delimiters (what
:func:`csv.reader` reads too). Such a file can be cut anywhere after a line end and each
piece read on its own. :func:`score_plain_file` does that, three steps per block of
about ``block_size`` bytes (cut by :func:`~faultkit.batch.lines.file_blocks`):

1. **prepare** (a worker thread): find the line ends with numpy, check the bytes are
   UTF-8 and no line is blank, and let :func:`pyarrow.csv.read_csv` read only the
   columns the scorer needs (every row still checked for its number of cells);
2. **score** (the calling thread, blocks in input order, so the
   :class:`~faultkit.batch.arrow.ScoreMemo` and the scorer's date reader see rows as
   the row engine does): :func:`~faultkit.batch.arrow.score_table`;
3. **render** (a worker thread): each kept row's own bytes, unchanged (its line end
   cut off), then the delimiter, the added cells and ``\\r\\n``, joined by Arrow; a
   writer thread writes the blocks' bytes in input order.

Arrow's reading and joining, numpy's searches and the writes release the GIL, so the
workers, the writer and the scoring thread keep two cores busy; at most about
``2 * workers + 2`` blocks are in flight, so memory stays constant however large the
file. The output is byte for byte the row engine's: a line of a quote-free file *is*
:func:`csv.writer`'s text of its cells (no cell can hold the delimiter, a quote or a
line break), and the added cells (numbers, ``true``/``false``, ISO 8601 times) hold
none of :data:`~faultkit.adapters.exports.tabular.DELIMITERS`. A rejected row is on
line ``first line of its block + its position`` (one line per row), and its record
is its cells (the line split at the delimiter) as :func:`csv.writer` writes them.

Whatever this engine cannot promise raises :class:`PlainDeclined` (a blank line, a
ragged row, bytes that are not UTF-8, an unexpected error while scoring) before the
caller commits anything; :func:`~faultkit.batch.stream.score_csv_batches` turns it into
:class:`~faultkit.batch.fallback.ArrowFallback` and the row engine scores the file.
"""

from __future__ import annotations

import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, BinaryIO, TextIO

import attrs
import numpy as np

from faultkit.adapters.exports.score import Scorer, ScoreSummary
from faultkit.adapters.exports.tabular import Reject, RejectsFile, csv_record
from faultkit.batch.arrow import score_table
from faultkit.batch.buffers import arrow_ints, arrow_texts, numpy_ints
from faultkit.batch.kernels import as_text, coalesce, join_each, take, trim_right
from faultkit.batch.lines import Int64Array, file_blocks, line_bounds
from faultkit.batch.memo import ScoreMemo

try:
    import pyarrow as pa
    import pyarrow.csv as pcsv
except ImportError as error:  # pragma: no cover - depends on the installed extras
    raise ImportError("faultkit.batch needs pyarrow: pip install '.[arrow]' in a clone") from error

__all__ = [
    "PLAIN_BLOCK_SIZE",
    "PlainDeclined",
    "default_workers",
    "score_plain_file",
]

PLAIN_BLOCK_SIZE = 1 << 22
"""Bytes per block (4 MiB, plus the rest of its last line).

Scoring a block has a fixed cost in the scoring thread (the one the GIL makes serial):
measured on the bench export, 64 MiB scored in 1 MiB blocks took 0.069 s of CPU, in
4 MiB blocks 0.053 s, in 256 KiB blocks 0.19 s.
"""

_RELEASE_EVERY = 1 << 24  # bytes read between two calls of the Arrow pool's release_unused


class PlainDeclined(Exception):  # noqa: N818 - a signal to the caller, not an error
    """This engine cannot promise the row engine's answer for this file (the reason says why)."""


def default_workers() -> int:
    """Worker threads for parsing and rendering: the cores this process may use, 2 to 4.

    Two at least, so that one block is parsed while another is rendered even on one
    core (the scoring thread is the third); four at most, as the scoring thread (the
    GIL) is the bound past that.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return max(2, min(4, cores))


@attrs.frozen
class _Prepared:
    """A block read: its bytes, line bounds, and the needed columns as Arrow arrays."""

    block: bytes
    starts: Int64Array
    ends: Int64Array
    columns: dict[int, Any]


@attrs.frozen
class _Layout:
    """What every block is read with: the header, the delimiter and the needed columns."""

    header: tuple[str, ...]
    delimiter: str
    needed: tuple[int, ...]

    def read_options(self) -> Any:
        return pcsv.ReadOptions(
            column_names=[f"c{i}" for i in range(len(self.header))],
            use_threads=False,
            block_size=1 << 22,
        )

    def parse_options(self) -> Any:
        return pcsv.ParseOptions(
            delimiter=self.delimiter,
            quote_char=False,
            newlines_in_values=False,
            ignore_empty_lines=False,
        )

    def convert_options(self) -> Any:
        names = [f"c{i}" for i in self.needed]
        return pcsv.ConvertOptions(
            include_columns=names,
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            null_values=[],
        )


def _prepare(block: bytes, layout: _Layout, options: tuple[Any, Any, Any]) -> _Prepared:
    """Step 1 (a worker): line bounds, UTF-8 and blank-line checks, the needed columns."""
    starts, ends = line_bounds(block)
    rows = len(starts)
    if rows and bool(np.any(ends == starts)):
        raise PlainDeclined("a blank line (the row engine reads it as a row of no cells)")
    buffer = pa.py_buffer(block)
    offsets = np.append(starts, len(block)).astype(np.int32)
    lines = pa.StringArray.from_buffers(rows, pa.py_buffer(offsets), buffer)
    try:
        lines.validate(full=True)  # UTF-8, in C
        table = pcsv.read_csv(
            buffer, read_options=options[0], parse_options=options[1], convert_options=options[2]
        )
    except (pa.ArrowException, ValueError) as error:  # ragged, not UTF-8
        raise PlainDeclined(f"a block Arrow cannot read as the row engine does: {error}") from None
    if table.num_rows != rows:
        raise PlainDeclined(f"Arrow read {table.num_rows} rows of {rows} lines")
    columns = {i: table.column(k) for k, i in enumerate(layout.needed)}
    return _Prepared(block, starts, ends, columns)


def _render(
    prepared: _Prepared, added: Sequence[Any], kept: Int64Array | None, delimiter: str
) -> Any:
    """Step 3 (a worker): the output bytes of the kept rows, as an Arrow buffer.

    Each row is its line without the line end, then the delimiter and the added cells
    joined by the delimiter (null: empty), then ``\\r\\n``.
    """
    rows = len(prepared.starts)
    # each element runs from its line's start to the next one's: the line end is trimmed
    offsets = np.append(prepared.starts, len(prepared.block)).astype(np.int32)
    lines = pa.StringArray.from_buffers(rows, pa.py_buffer(offsets), pa.py_buffer(prepared.block))
    bare = trim_right(lines, "\r\n")
    if kept is not None:
        bare = take(bare, arrow_ints(kept))
    # Arrow scalars made from buffers: a Python str would make pyarrow import pandas
    empty, crlf, separator = arrow_texts(["", "\r\n", delimiter])
    texts = [_text(column, empty) for column in added]
    texts[-1] = join_each(texts[-1], empty, crlf)
    # the short cells first, then one join with the long line: a join costs per argument
    suffix = join_each(empty, *texts, separator)
    out = join_each(bare, suffix, empty)
    ends = numpy_ints(pa.Array.from_buffers(pa.int32(), len(out) + 1, [None, out.buffers()[1]]))
    data = out.buffers()[2]
    if data is None:
        return pa.py_buffer(b"")
    start = int(ends[out.offset])
    return data.slice(start, int(ends[out.offset + len(out)]) - start)


def _text(column: Any, empty: Any) -> Any:
    """An added column as the row engine writes its cells: text, ``true``/``false``, null empty."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    text = column if pa.types.is_string(column.type) else as_text(column)
    return coalesce(text, empty)


def score_plain_file(
    source: BinaryIO,
    sink: TextIO,
    rejects: RejectsFile,
    scorer: Scorer,
    *,
    header: Sequence[str],
    delimiter: str,
    needed: Sequence[int],
    first_line: int,
    progress: Callable[[int], None] | None,
    block_size: int,
    workers: int,
    memo: ScoreMemo,
) -> ScoreSummary:
    """Score the rest of ``source`` (just past the header) block by block (module docstring).

    The header row is already written to ``sink``.

    Args:
        source: the file, positioned at its first data row.
        sink: the output text stream; its ``buffer`` takes the bytes when it has one.
        rejects: where rejected rows go.
        scorer: what to compute.
        header: the header's cells.
        delimiter: the file's delimiter (one of
            :data:`~faultkit.adapters.exports.tabular.DELIMITERS`).
        needed: the columns the scorer reads (their positions in ``header``).
        first_line: the line number of the first data row.
        progress: called after each block with the rows read so far.
        block_size: bytes per block (a block grows to hold its last line).
        workers: worker threads (at least 1).
        memo: the scorer's results kept from block to block.

    Raises:
        PlainDeclined: the row engine must score this file; nothing was committed.
    """
    layout = _Layout(tuple(header), delimiter, tuple(sorted(set(needed))))
    options = (layout.read_options(), layout.parse_options(), layout.convert_options())
    width = len(header)
    placeholder: dict[int, Any] = {}
    raw = getattr(sink, "buffer", None)
    sink.flush()
    pool_memory = pa.default_memory_pool()
    counts = _Counts(columns_added=tuple(scorer.bind(header).columns))
    prepared: deque[Future[_Prepared]] = deque()
    line = first_line
    ahead = max(1, workers)

    def write(data: Any) -> None:
        if raw is not None:
            raw.write(data)
        else:  # any other text stream gets the text
            sink.write(data.to_pybytes().decode("utf-8"))

    writer = _OrderedWriter(write, depth=ahead)

    def score_next() -> None:
        nonlocal line
        block = prepared.popleft().result()
        rows = len(block.starts)
        if rows not in placeholder:
            placeholder.clear()
            placeholder[rows] = pa.nulls(rows, pa.string())
        nothing = placeholder[rows]
        table = pa.Table.from_arrays(
            [block.columns.get(i, nothing) for i in range(width)],
            names=list(header),
        )
        try:
            result = score_table(table, scorer, row_offset=0, memo=memo)
        except Exception as error:  # the row engine makes it one rejected row
            raise PlainDeclined(f"scoring: {error!r}") from None
        summary = result.summary
        kept: Int64Array | None = None
        if summary.rows_rejected:
            refused = numpy_ints(result.rejects.column("row"))
            mask = np.ones(rows, np.bool_)
            mask[refused] = False
            kept = np.flatnonzero(mask).astype(np.int64)
            for row, column, value, reason in zip(
                refused.tolist(),
                *(result.rejects.column(n).to_pylist() for n in ("column", "value", "reason")),
                strict=True,
            ):
                cells = block.block[block.starts[row] : block.ends[row]].decode().split(delimiter)
                rejects.write(
                    Reject(
                        line=line + row,
                        column=column,
                        value=value,
                        reason=reason,
                        record=csv_record(cells),
                    )
                )
        line += rows
        counts.add(summary)
        added = result.scored.columns[width:]
        if summary.rows_written:
            writer.put(pool.submit(_render, block, added, kept, delimiter))
        if progress is not None:
            progress(counts.rows_read)

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="faultkit-block")
    unreleased = 0
    try:
        for block in file_blocks(source, block_size):
            prepared.append(pool.submit(_prepare, block, layout, options))
            if len(prepared) > ahead:
                score_next()
            unreleased += len(block)
            if unreleased >= _RELEASE_EVERY:
                pool_memory.release_unused()
                unreleased = 0
        while prepared:
            score_next()
        writer.close()
    finally:
        writer.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
    if raw is not None:
        raw.flush()
    return counts.summary()


class _OrderedWriter:
    """A thread writing rendered blocks in the order they were put, ``depth`` at most waiting.

    :meth:`put` blocks while ``depth`` blocks wait (the memory bound) and raises what
    the thread met; :meth:`close` waits for the last write; :meth:`cancel` (always
    called, after :meth:`close` or on a failure) drops what is left unwritten.
    """

    def __init__(self, write: Callable[[Any], None], *, depth: int) -> None:
        self._write = write
        self._queue: queue.Queue[Future[Any] | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._cancelled = False
        self._thread = threading.Thread(target=self._run, name="faultkit-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is not None or self._cancelled:
                continue
            try:
                data = item.result()
            except PlainDeclined as error:
                self._error = error
                continue
            except Exception as error:  # an unexpected failure of Arrow: the row engine runs
                self._error = PlainDeclined(f"rendering: {error!r}")
                continue
            try:
                self._write(data)
            except BaseException as error:  # a full disk, a closed sink: the caller's error
                self._error = error

    def put(self, item: Future[Any]) -> None:
        """Queue ``item`` (a future of the block's bytes) to be written after the others."""
        self._raise()
        self._queue.put(item)

    def close(self) -> None:
        """Wait until every queued block is written; raise what the thread met."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._raise()

    def cancel(self) -> None:
        """Stop writing; the blocks still queued are dropped."""
        self._cancelled = True
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error


@attrs.define
class _Counts:
    """The summary of the blocks scored so far."""

    rows_read: int = 0
    rows_written: int = 0
    rows_rejected: int = 0
    mismatches: int = 0
    sla_breaches: int = 0
    priorities: dict[int, int] = attrs.Factory(dict)
    columns_added: tuple[str, ...] = ()

    def add(self, summary: ScoreSummary) -> None:
        self.rows_read += summary.rows_read
        self.rows_written += summary.rows_written
        self.rows_rejected += summary.rows_rejected
        self.mismatches += summary.mismatches
        self.sla_breaches += summary.sla_breaches
        for number, count in summary.priorities.items():
            self.priorities[number] = self.priorities.get(number, 0) + count

    def summary(self) -> ScoreSummary:
        return ScoreSummary(
            rows_read=self.rows_read,
            rows_written=self.rows_written,
            rows_rejected=self.rows_rejected,
            priorities=self.priorities,
            mismatches=self.mismatches,
            sla_breaches=self.sla_breaches,
            stopped_early=False,
            columns_added=self.columns_added,
        )
