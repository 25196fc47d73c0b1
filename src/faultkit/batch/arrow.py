"""Columnar batch scoring: a whole Arrow table at once, with the row scorer's exact values.

:func:`score_table` adds the same ``faultkit_*`` columns as the streaming row scorer
(:func:`faultkit.adapters.exports.score_csv`) and refuses the same rows with the same
column, value and reason, but works a column at a time:

1. each column the preset needs is dictionary-encoded by Arrow (one hash pass in C,
   nulls read as empty cells, like a JSON ``null``);
2. the codes of the columns a value depends on are combined into one group number per
   row with numpy (mixed radix, made dense again when it would overflow): impact x
   urgency x source priority for the priority, the seven facts for the severity,
   opened-at x computed priority for the SLA due time, resolved-at for the breach;
3. each *group* is scored once by the row scorer's own cell functions (the same
   :class:`~faultkit.adapters.exports.Scorer`), so mapping, level normalisation, the
   matrix, severity rules, business calendars and every error message are the row
   scorer's, not a copy of them;
4. the group results are spread back to the rows with ``numpy.take``, the breach is a
   vectorised comparison of UTC instants in microseconds, and each row's first error,
   in the row scorer's order (priority, severity, opened-at, resolved-at), sends it to
   the rejects table with its row number.

An export has few distinct impact/urgency/priority combinations, so step 3 costs
almost nothing and the run is bound by Arrow's encoding and numpy's gathers. A column
with many distinct values (opened-at of a large export) is scored once per distinct
value, which is also what the row scorer's caches do at best.

Arrow was picked over polars because Dask DataFrames are pandas frames backed by
Arrow strings already (``dask[dataframe]`` requires pyarrow): one dependency serves the
batch scorer, the Dask partitions and CSV/Parquet reading, with zero-copy hand-over.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from faultkit.adapters.exports.presets import ExportField
from faultkit.adapters.exports.score import (
    MATCHES,
    PRIORITY,
    SEVERITY,
    SLA_BREACHED,
    SLA_DUE,
    Scorer,
    ScoreSummary,
)
from faultkit.adapters.exports.tabular import RowError, json_cell
from faultkit.adapters.files import AtomicWriter
from faultkit.batch.buffers import arrow_booleans, arrow_ints, arrow_texts, numpy_ints
from faultkit.batch.kernels import any_true, as_text, dictionary_encode, matches, take
from faultkit.batch.memo import ScoreMemo

try:
    import pyarrow as pa
except ImportError as error:  # pragma: no cover - depends on the installed extras
    raise ImportError("faultkit.batch needs pyarrow: pip install '.[arrow]' in a clone") from error

__all__ = [
    "REJECT_COLUMNS",
    "BatchResult",
    "read_csv_table",
    "score_frame",
    "score_table",
    "write_csv_table",
]

REJECT_COLUMNS = ("row", "column", "value", "reason")
"""The columns of a rejects table: row number (0-based, plus the offset), and why."""

Int64Array = npt.NDArray[np.int64]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_NO_TIME = np.iinfo(np.int64).min  # "no date" in the microsecond arrays
_DENSE_LIMIT = 1 << 40


@attrs.frozen(kw_only=True)
class BatchResult:
    """What :func:`score_table` made of a table.

    Attributes:
        scored: the rows that were scored, in input order, with the ``faultkit_*``
            columns appended (priority and severity as integers, the true/false
            columns as booleans, the SLA due time as ISO 8601 text; null where the
            row scorer writes an empty cell).
        rejects: one row per refused input row: ``row`` (its 0-based position plus
            ``row_offset``), ``column``, ``value``, ``reason``.
        summary: the counts, as the row scorer's
            :class:`~faultkit.adapters.exports.ScoreSummary`.
    """

    scored: Any  # pyarrow.Table
    rejects: Any  # pyarrow.Table
    summary: ScoreSummary


def _empty_rejects() -> Any:
    no_text = arrow_texts([])
    return pa.Table.from_arrays(
        [arrow_ints(np.zeros(0, np.int64)), no_text, no_text, no_text], names=REJECT_COLUMNS
    )


def _encode(column: Any) -> tuple[Int64Array, list[str]]:
    """Codes per row and the cell text of each code (``null`` is the empty cell)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if pa.types.is_dictionary(column.type):
        column = take(column.dictionary, column.indices)
    encoded = dictionary_encode(column, nulls="encode")
    codes = numpy_ints(encoded.indices)
    dictionary = encoded.dictionary
    if pa.types.is_string(dictionary.type) or pa.types.is_large_string(dictionary.type):
        texts = ["" if text is None else text for text in dictionary.to_pylist()]
    else:
        texts = [json_cell(value) for value in dictionary.to_pylist()]
    return codes, texts


def _groups(codes: Sequence[Int64Array], rows: int) -> tuple[Int64Array, Int64Array]:
    """A dense group number per row for the combination of ``codes``, and one row of each group.

    Rows share a group exactly when they share every code.
    """
    if rows == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    combined = codes[0]
    size = int(combined.max()) + 1
    for more in codes[1:]:
        width = int(more.max()) + 1
        if size * width >= _DENSE_LIMIT:
            combined, size = _dense(combined, size)
        combined = combined * width + more
        size *= width
    group, count = _dense(combined, size)
    representative = np.empty(count, np.int64)
    representative[group] = np.arange(rows, dtype=np.int64)  # any row of the group will do
    return group, representative


def _dense(combined: Int64Array, size: int) -> tuple[Int64Array, int]:
    """Renumber codes 0..k-1 (k distinct codes), keeping equal codes equal."""
    if size <= 4 * len(combined) + 4096:
        present = np.zeros(size, np.bool_)
        present[combined] = True
        number = np.cumsum(present, dtype=np.int64) - 1
        return number[combined], int(number[-1]) + 1
    unique, inverse = np.unique(combined, return_inverse=True)
    return inverse.astype(np.int64, copy=False).reshape(-1), len(unique)


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


class _Errors:
    """The distinct errors met, numbered; ``-1`` means no error."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, str]] = []

    def add(self, error: RowError) -> int:
        self.items.append((error.column, error.value, error.reason))
        return len(self.items) - 1


def _per_group(
    count: int, evaluate: Callable[[int], Any], errors: _Errors
) -> tuple[list[Any], Int64Array]:
    """``evaluate(g)`` for each group: its results, and its error number (or -1)."""
    results: list[Any] = [None] * count
    failed = np.full(count, -1, np.int64)
    for g in range(count):
        try:
            results[g] = evaluate(g)
        except RowError as error:
            failed[g] = errors.add(error)
    return results, failed


def score_table(
    table: Any, scorer: Scorer, *, row_offset: int = 0, memo: ScoreMemo | None = None
) -> BatchResult:
    """Score every row of an Arrow table; the values are exactly the row scorer's.

    Cells are read as the row scorer reads the cells of a JSON Lines object: text as
    it is, ``null`` as an empty cell, numbers and booleans as their JSON text.

    Args:
        table: a ``pyarrow.Table`` with the export's columns (names as the preset, or
            its ``--map`` overrides, expect; other columns are kept as they are).
        scorer: what to compute, as for :func:`~faultkit.adapters.exports.score_csv`.
        row_offset: added to the row numbers of the rejects (the position of this
            table in a larger input, for a Dask partition or a file read in batches).
        memo: dates and SLA due times already worked out by ``scorer`` for earlier
            tables (:class:`ScoreMemo`); ``None`` works them out for this table only.

    Returns:
        The scored rows, the rejects and the counts (:class:`BatchResult`).

    Raises:
        InvalidInputError: the table has no impact or urgency column.

    >>> import pyarrow as pa
    >>> from faultkit.adapters.exports import Scorer, get_preset
    >>> table = pa.table({"impact": ["1 - High", "3 - Low"], "urgency": ["2", "x"]})
    >>> result = score_table(table, Scorer(get_preset("generic"), sla=None))
    >>> result.scored.column("faultkit_priority").to_pylist()
    [2]
    >>> result.rejects.column("reason").to_pylist()
    ["unknown urgency label (the profile's values.urgency has: high, medium, low; ...)"]
    """
    header = list(table.column_names)
    bound = scorer.bind(header)
    rows = table.num_rows
    errors = _Errors()
    width = len(header)
    encoded: dict[int, tuple[Int64Array, list[str]]] = {}

    def cells(index: int) -> tuple[Int64Array, list[str]]:
        if index not in encoded:
            encoded[index] = _encode(table.column(index))
        return encoded[index]

    def row_of(indices: Sequence[int], representative: int) -> list[str]:
        row = [""] * width
        for index in indices:
            codes, texts = cells(index)
            row[index] = texts[codes[representative]]
        return row

    # -- priority: impact x urgency [x source priority]
    key_indices = list(bound.key_indices)
    group, rep = _groups([cells(i)[0] for i in key_indices], rows)

    def priority_of(g: int) -> tuple[int, int]:
        row = row_of(key_indices, int(rep[g]))
        entry = bound.priority_entry(tuple(row[i] for i in key_indices))
        matches = entry[0][1]
        return entry[1], (-1 if matches == "" else int(matches == "true"))

    found, failed = _per_group(len(rep), priority_of, errors)
    prio_g = np.array([0 if f is None else f[0] for f in found], np.int64)
    match_g = np.array([-1 if f is None else f[1] for f in found], np.int64)
    priority = prio_g[group] if rows else np.zeros(0, np.int64)
    matches = match_g[group] if rows else np.zeros(0, np.int64)
    error = failed[group] if rows else np.zeros(0, np.int64)

    # -- severity: the seven facts
    severity: Int64Array | None = None
    if bound.i_facts is not None:
        fact_indices = [i for i in bound.i_facts if i is not None]
        group, rep = _groups([cells(i)[0] for i in fact_indices], rows)

        def severity_of(g: int) -> int:
            text = bound.severity(row_of(fact_indices, int(rep[g])))
            return 0 if text == "" else int(text)

        found, failed = _per_group(len(rep), severity_of, errors)
        sev_g = np.array([0 if f is None else f for f in found], np.int64)
        severity = sev_g[group]
        error = np.where(error >= 0, error, failed[group])

    # -- SLA: due from opened-at and the computed priority; breached against resolved-at
    due_text: Any = None
    due_group: Int64Array | None = None
    breached: Int64Array | None = None
    breaches = 0
    if bound.i_opened is not None:
        i_opened = bound.i_opened
        opened_codes, opened_texts = cells(i_opened)
        group, rep = _groups([opened_codes, priority], rows)

        def due_of(g: int) -> tuple[str, int]:
            r = int(rep[g])
            computed = int(priority[r])
            if computed == 0:  # the row is refused for its priority already
                return "", _NO_TIME
            opened_text = opened_texts[opened_codes[r]]
            if memo is None:
                return due_at(computed, opened_text)
            return memo.recall(
                ("due", computed, opened_text), lambda: due_at(computed, opened_text)
            )

        def due_at(computed: int, opened_text: str) -> tuple[str, int]:
            opened = scorer.date(ExportField.OPENED_AT, opened_text)
            if opened is None:
                return "", _NO_TIME
            due = scorer.sla_due(computed, opened, opened_text)
            return due.isoformat(), _micros(due)

        found, failed = _per_group(len(rep), due_of, errors)
        due_us_g = np.array([_NO_TIME if f is None else f[1] for f in found], np.int64)
        due_text_g: list[str | None] = [None if f is None or f[0] == "" else f[0] for f in found]
        error = np.where(error >= 0, error, failed[group])
        due_us = due_us_g[group]
        due_text = arrow_texts(due_text_g)
        due_group = group
        breached = np.full(rows, -1, np.int64)
        if bound.i_resolved is not None:
            resolved_codes, resolved_texts = cells(bound.i_resolved)

            def resolved_of(code: int) -> int:
                text = resolved_texts[code]
                if memo is None:
                    return resolved_at(text)
                return memo.recall(("resolved", text), lambda: resolved_at(text))

            def resolved_at(text: str) -> int:
                moment = scorer.date(ExportField.RESOLVED_AT, text)
                return _NO_TIME if moment is None else _micros(moment)

            found, failed = _per_group(len(resolved_texts), resolved_of, errors)
            resolved_g = np.array([_NO_TIME if f is None else f for f in found], np.int64)
            resolved_us = resolved_g[resolved_codes]
            error = np.where(error >= 0, error, failed[resolved_codes])
            known = (resolved_us != _NO_TIME) & (due_us != _NO_TIME)
            breached = np.where(known, (resolved_us > due_us).astype(np.int64), -1)

    ok = error < 0
    kept = np.flatnonzero(ok)
    scored = take(table, arrow_ints(kept)) if len(kept) < rows else table
    added: dict[str, Any] = {
        PRIORITY: arrow_ints(priority[kept]),
        MATCHES: _booleans(matches[kept]),
    }
    if severity is not None:
        kept_severity = severity[kept]
        added[SEVERITY] = arrow_ints(kept_severity, kept_severity == 0)
    if due_text is not None and due_group is not None and breached is not None:
        added[SLA_DUE] = take(due_text, arrow_ints(due_group[kept]))
        added[SLA_BREACHED] = _booleans(breached[kept])
        breaches = int(np.count_nonzero(breached[kept] == 1))
    for name in bound.columns:
        scored = scored.append_column(name, added[name])

    refused = np.flatnonzero(~ok)
    if len(refused):
        picked = [errors.items[e] for e in error[refused].tolist()]
        rejects = pa.table(
            {
                "row": arrow_ints(refused + row_offset),
                "column": arrow_texts([p[0] for p in picked]),
                "value": arrow_texts([p[1] for p in picked]),
                "reason": arrow_texts([p[2] for p in picked]),
            }
        )
    else:
        rejects = _empty_rejects()

    kept_priority = priority[kept]
    counts = np.bincount(kept_priority, minlength=6) if len(kept) else np.zeros(6, np.int64)
    summary = ScoreSummary(
        rows_read=rows,
        rows_written=len(kept),
        rows_rejected=len(refused),
        priorities={p: int(n) for p, n in enumerate(counts.tolist()) if n},
        mismatches=int(np.count_nonzero(matches[kept] == 0)),  # 0: differs from the source
        sla_breaches=breaches,
        stopped_early=False,
        columns_added=tuple(bound.columns),
    )
    return BatchResult(scored=scored, rejects=rejects, summary=summary)


def _booleans(values: Int64Array) -> Any:
    """-1/0/1 as null/false/true."""
    return arrow_booleans(values == 1, values < 0)


def score_frame(frame: Any, scorer: Scorer, *, row_offset: int = 0) -> tuple[Any, Any]:
    """:func:`score_table` for a pandas DataFrame: ``(scored, rejects)`` as DataFrames.

    The frame's index is not kept (row numbers in the rejects are positions plus
    ``row_offset``). This is the function Dask runs on each partition.
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    result = score_table(table, scorer, row_offset=row_offset)
    return to_pandas(result.scored), to_pandas(result.rejects)


def to_pandas(table: Any) -> Any:
    import pandas as pd

    return table.to_pandas(types_mapper=_nullable_types(pd))


def _nullable_types(pd: Any) -> Callable[[Any], Any]:
    mapping = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}

    def types_mapper(arrow_type: Any) -> Any:
        return mapping.get(arrow_type)

    return types_mapper


def read_csv_table(path: str, *, encoding: str = "utf-8") -> Any:
    """A CSV export as an Arrow table of text columns, cells exactly as written.

    Every column is read as text (no type guessing), empty cells stay empty strings,
    as :func:`csv.reader` gives them to the row scorer. A byte-order mark is skipped.

    Args:
        path: the CSV file.
        encoding: its encoding (UTF-8 by default).
    """
    import csv

    import pyarrow.csv as pcsv

    with open(path, encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="") as f:
        header = next(csv.reader(f), [])
    return pcsv.read_csv(
        path,
        read_options=pcsv.ReadOptions(encoding=encoding),
        parse_options=pcsv.ParseOptions(newlines_in_values=True),
        convert_options=pcsv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            null_values=[],
        ),
    )


_NEEDS_QUOTES = r'[,"\r\n]'  # what makes csv.writer (QUOTE_MINIMAL) quote a cell


def write_csv_table(table: Any, path: str) -> None:
    """Write an Arrow table byte for byte as the row engine writes CSV.

    That is :func:`csv.writer`'s dialect: CRLF line ends, a cell quoted only
    when it holds a comma, a quote or a line break, booleans as ``true`` / ``false``
    and nulls as empty cells. Arrow's own writer does the work when no cell needs
    quotes (Arrow would quote every text cell otherwise); a table with such a cell
    goes through :func:`csv.writer` a batch at a time.

    Args:
        table: a ``pyarrow.Table`` (text, integer and boolean columns).
        path: the file to write, through
            :class:`~faultkit.adapters.files.AtomicWriter` (an existing file is replaced
            only when the whole table is written).
    """
    import csv

    import pyarrow.csv as pcsv

    quoted = any(re.search(_NEEDS_QUOTES, name) for name in table.column_names) or any(
        _may_need_quotes(column) for column in table.columns
    )
    if not quoted:
        options = pcsv.WriteOptions(quoting_style="none", quoting_header="none", eol="\r\n")
        with AtomicWriter(path, binary=True) as out:
            pcsv.write_csv(table, out.stream, write_options=options)
        return
    with AtomicWriter(path) as out:
        writer = csv.writer(out.text)
        writer.writerow(table.column_names)
        for batch in table.to_batches(max_chunksize=65_536):
            columns = [
                [json_cell(value) for value in column.to_pylist()] for column in batch.columns
            ]
            writer.writerows(zip(*columns, strict=True))


def _may_need_quotes(column: Any) -> bool:
    """Whether a cell of the column holds a comma, a quote or a line break."""
    kind = column.type
    if pa.types.is_integer(kind) or pa.types.is_boolean(kind) or pa.types.is_null(kind):
        return False
    try:
        text = as_text(column)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return True  # the csv.writer path writes each value's text
    return any_true(matches(text, _NEEDS_QUOTES))
