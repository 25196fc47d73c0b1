"""The columnar engine of ``faultkit score``: a CSV file as a stream of Arrow record batches.

:func:`score_csv_batches` gives the row engine's answer
(:func:`faultkit.adapters.exports.score_csv`) with Arrow doing the reading and most of
the writing:

1. the file is read by :func:`pyarrow.csv.open_csv` a block at a time (constant
   memory: the Arrow memory pool gives back what it holds unused every
   :data:`RELEASE_EVERY` batches), every column as text, empty cells as empty text,
   blank lines kept; a file without a double quote anywhere (one fast pass finds out)
   is read without looking for line breaks inside values, the faster way;
2. each batch is scored by :func:`~faultkit.batch.arrow.score_table` (each distinct
   impact x urgency x priority and severity facts once per batch, each opened-at x
   priority and resolved-at text once per file, bounded by a
   :class:`~faultkit.batch.arrow.ScoreMemo`, all by the row scorer's own cell
   functions);
3. the scored rows are written by Arrow's CSV writer when no cell of the batch holds the
   delimiter, a quote or a line break (the only cells :func:`csv.writer` quotes; none
   can in a file without quotes), else by :func:`csv.writer`; so the **bytes** are the
   row engine's, not only the cells;
4. each rejected row gets its line in the file (a batch's rows are counted on from the
   previous batch, plus the line breaks inside its cells) and its record as the row
   engine writes it.

A file without a double quote anywhere, no line long enough to hold a cell past the
field limit and one of :data:`~faultkit.adapters.exports.tabular.DELIMITERS` goes
another way, on every core: :func:`~faultkit.batch.plain.score_plain_file` cuts it into
line-aligned blocks, reads and writes them on worker threads and scores them in order
(:mod:`faultkit.batch.plain`); same bytes, rejects and counts.

The answer must be the row engine's or nothing: whenever this engine cannot promise
that, it raises :class:`ArrowFallback` before the caller commits anything, and the
caller runs the row engine on the whole file instead. That happens for a row Arrow
cannot parse (ragged, an unclosed quote, a blank line), text that is not UTF-8, a
header Arrow reads differently from :func:`csv.reader`, a one-column file, a header
the preset does not fit (the row engine names the problem), a date whose day order
contradicts ``--dayfirst`` (the row engine counts those per row), a cell with a ``\\r``
not followed by ``\\n`` (:func:`~faultkit.batch.scan.lone_cr`: Arrow may have lost a
``\\n``) and an unexpected error while scoring (the row engine turns it into one
rejected row).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any, TextIO

from faultkit.adapters.exports.score import Scorer, ScoreSummary
from faultkit.adapters.exports.tabular import (
    DELIMITERS,
    FIELD_LIMIT,
    Reject,
    RejectsFile,
    SepLineReader,
    csv_record,
    read_csv,
)
from faultkit.batch.arrow import score_table
from faultkit.batch.fallback import ArrowFallback
from faultkit.batch.lines import BLOCK_SIZE
from faultkit.batch.memo import ScoreMemo
from faultkit.batch.plain import (
    PLAIN_BLOCK_SIZE,
    PlainDeclined,
    default_workers,
    score_plain_file,
)
from faultkit.batch.scan import holds, lone_cr, longest, row_ends, scan_file

try:
    import pyarrow as pa
    import pyarrow.csv as pcsv
except ImportError as error:  # pragma: no cover - depends on the installed extras
    raise ImportError("faultkit.batch needs pyarrow: pip install '.[arrow]' in a clone") from error

__all__ = ["score_csv_batches"]


RELEASE_EVERY = 16
"""Batches between two calls of the Arrow memory pool's ``release_unused``.

Without them the allocator keeps what the reader freed: measured on the 1,000,000-row
bench export, reading alone peaked 20 MB higher than on 100,000 rows; with them, 5 to
12 MB higher.
"""

_UTF8 = frozenset({"utf-8", "utf8", "utf-8-sig", "utf_8", "utf_8_sig"})


def score_csv_batches(
    path: str,
    sink: TextIO,
    rejects: RejectsFile,
    scorer: Scorer,
    *,
    encoding: str = "utf-8-sig",
    delimiter: str | None = None,
    progress: Callable[[int], None] | None = None,
    block_size: int | None = None,
    workers: int | None = None,
) -> ScoreSummary:
    """Score a CSV file batch by batch: the row engine's output bytes, rejects and counts.

    Args:
        path: the CSV file (a file: standard input goes to the row engine).
        sink: the output text stream (an :class:`~faultkit.adapters.files.AtomicWriter`'s
            :attr:`~faultkit.adapters.files.AtomicWriter.text`); it must have a
            ``buffer`` (Arrow writes bytes to it).
        rejects: where rejected rows go, as with the row engine.
        scorer: what to compute (the same :class:`~faultkit.adapters.exports.Scorer`).
        encoding: the input's encoding; only UTF-8 (with or without a byte-order mark)
            is read by Arrow.
        delimiter: as for :func:`~faultkit.adapters.exports.score_csv` (``None``
            sniffs it from the header the same way).
        progress: called after each batch with the rows read so far.
        block_size: bytes per batch; ``None``: :data:`~faultkit.batch.lines.BLOCK_SIZE`
            for the streaming reader, :data:`~faultkit.batch.plain.PLAIN_BLOCK_SIZE` for a
            file without quotes.
        workers: threads reading and writing blocks of a file without quotes
            (:mod:`faultkit.batch.plain`); ``None``: :func:`~faultkit.batch.plain.default_workers`.

    Raises:
        ArrowFallback: the row engine must score this file (see the module docstring).
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
    if len(header) < 2 or any(len(cell) > FIELD_LIMIT for cell in header):
        raise ArrowFallback("one column, or a huge header cell")
    try:
        bound = scorer.bind(header)
    except Exception as error:  # the row engine raises the usage error
        raise ArrowFallback(f"header does not fit: {error}") from None
    if any(name in header for name in bound.columns):
        raise ArrowFallback("already scored")
    scan = scan_file(path)
    quotes = scan.quotes
    if not quotes and not scan.long_lines and delimiter in DELIMITERS and header_lines == 1:
        plain = _score_plain(
            path,
            sink,
            rejects,
            scorer,
            header=header,
            delimiter=delimiter,
            needed=_needed(bound),
            progress=progress,
            block_size=PLAIN_BLOCK_SIZE if block_size is None else block_size,
            workers=default_workers() if workers is None else workers,
        )
        if plain is not None:
            return plain
    try:
        batches = pcsv.open_csv(
            path,
            read_options=pcsv.ReadOptions(
                block_size=BLOCK_SIZE if block_size is None else block_size, use_threads=True
            ),
            parse_options=pcsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=quotes, ignore_empty_lines=False
            ),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except (pa.ArrowException, ValueError, OSError) as error:
        raise ArrowFallback(f"open: {error}") from None
    if list(batches.schema.names) != header or any(
        not pa.types.is_string(kind) for kind in batches.schema.types
    ):
        raise ArrowFallback("Arrow reads the header differently")

    writer = csv.writer(sink, delimiter=delimiter)
    needs_quotes = (delimiter.encode(), b'"', b"\n", b"\r")
    memo = ScoreMemo()
    pool = pa.default_memory_pool()
    batches_read = 0
    writer.writerow([*header, *bound.columns])
    rows_read = written = rejected = mismatches = breaches = 0
    priorities: dict[int, int] = {}
    line = header_lines  # the line the previous row ended on
    while True:
        try:
            batch = batches.read_next_batch()
        except StopIteration:
            break
        except (pa.ArrowException, ValueError) as error:  # ragged, unclosed quote, not UTF-8
            raise ArrowFallback(f"row after line {line}: {error}") from None
        table = pa.Table.from_batches([batch])
        if any(longest(column) > FIELD_LIMIT for column in table.columns):
            raise ArrowFallback("a cell past the field limit (the row engine's unreadable row)")
        try:
            result = score_table(table, scorer, row_offset=0, memo=memo)
        except Exception as error:  # the row engine makes it one rejected row
            raise ArrowFallback(f"scoring: {error!r}") from None
        special = [quotes and holds(column, needs_quotes) for column in table.columns]
        if any(
            flagged and lone_cr(column)
            for column, flagged in zip(table.columns, special, strict=True)
        ):
            raise ArrowFallback("a lone \\r in a cell (Arrow may have lost a \\n)")
        ends = row_ends(table, line, special)
        # the added columns (numbers, true/false, ISO 8601 times) hold none of DELIMITERS
        quoted = any(special) or delimiter not in DELIMITERS
        _write_scored(result.scored, sink, writer, delimiter, quoted)
        for row, column, value, reason in zip(
            *(result.rejects.column(name).to_pylist() for name in result.rejects.column_names),
            strict=True,
        ):
            cells = [str(table.column(i)[row].as_py()) for i in range(table.num_columns)]
            start = (int(ends[row - 1]) if row else line) + 1
            rejects.write(
                Reject(
                    line=start, column=column, value=value, reason=reason, record=csv_record(cells)
                )
            )
        if len(ends):
            line = int(ends[-1])
        summary = result.summary
        rows_read += summary.rows_read
        written += summary.rows_written
        rejected += summary.rows_rejected
        mismatches += summary.mismatches
        breaches += summary.sla_breaches
        for number, count in summary.priorities.items():
            priorities[number] = priorities.get(number, 0) + count
        if progress is not None:
            progress(rows_read)
        batches_read += 1
        if batches_read % RELEASE_EVERY == 0:
            pool.release_unused()
    if scorer.dates.contradictions:
        raise ArrowFallback("day-order contradictions are counted per row by the row engine")
    return ScoreSummary(
        rows_read=rows_read,
        rows_written=written,
        rows_rejected=rejected,
        priorities=priorities,
        mismatches=mismatches,
        sla_breaches=breaches,
        stopped_early=False,
        columns_added=tuple(bound.columns),
    )


def _needed(bound: Any) -> list[int]:
    """The positions of the columns a bound scorer reads."""
    found = [*bound.key_indices, bound.i_opened, bound.i_resolved, *(bound.i_facts or ())]
    return sorted({i for i in found if i is not None})


def _score_plain(
    path: str,
    sink: TextIO,
    rejects: RejectsFile,
    scorer: Scorer,
    *,
    header: list[str],
    delimiter: str,
    needed: list[int],
    progress: Callable[[int], None] | None,
    block_size: int,
    workers: int,
) -> ScoreSummary | None:
    """A file without quotes through :func:`~faultkit.batch.plain.score_plain_file`.

    ``None`` when its first line is not the header's cells joined by the delimiter (the
    streaming reader takes the file then).
    """
    with open(path, "rb") as source:
        start = source.read(1 << 18)
        skip = 3 if start.startswith(b"\xef\xbb\xbf") else 0
        ends = [at for at in (start.find(b"\n", skip), start.find(b"\r", skip)) if at >= 0]
        end = min(ends) if ends else len(start)
        after = end + 2 if start[end : end + 2] == b"\r\n" else min(end + 1, len(start))
        try:
            if start[skip:end].decode("utf-8") != delimiter.join(header):
                return None
        except UnicodeDecodeError:
            return None
        source.seek(after)
        writer = csv.writer(sink, delimiter=delimiter)
        writer.writerow([*header, *scorer.bind(header).columns])
        try:
            summary = score_plain_file(
                source,
                sink,
                rejects,
                scorer,
                header=header,
                delimiter=delimiter,
                needed=needed,
                first_line=2,
                progress=progress,
                block_size=block_size,
                workers=workers,
                memo=ScoreMemo(),
            )
        except PlainDeclined as error:
            raise ArrowFallback(str(error)) from None
    if scorer.dates.contradictions:
        raise ArrowFallback("day-order contradictions are counted per row by the row engine")
    return summary


def _write_scored(table: Any, sink: TextIO, writer: Any, delimiter: str, quoted: bool) -> None:
    """Append ``table``'s rows as :func:`csv.writer` writes them (the row engine's bytes).

    ``quoted``: a cell may hold the delimiter, a quote or a line break, so
    :func:`csv.writer` writes the rows (Arrow's writer would quote every text cell);
    else Arrow's writer writes them, unquoted.
    """
    if table.num_rows == 0:
        return
    if not quoted:
        options = pcsv.WriteOptions(
            include_header=False, delimiter=delimiter, quoting_style="none", eol="\r\n"
        )
        raw = getattr(sink, "buffer", None)
        if raw is not None:  # a text file over a byte stream: Arrow writes the bytes
            sink.flush()
            pcsv.write_csv(table, raw, write_options=options)
        else:  # any other text stream gets the text
            out = pa.BufferOutputStream()
            pcsv.write_csv(table, out, write_options=options)
            sink.write(out.getvalue().to_pybytes().decode("utf-8"))
        return
    columns = [[_cell(value) for value in column.to_pylist()] for column in table.columns]
    writer.writerows(zip(*columns, strict=True))


def _cell(value: Any) -> str:
    """An added cell's text as the row engine writes it (null: empty)."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)
