"""Scoring on Dask: the batch scorer on each partition, the counts merged at the end.

:func:`score_dask` turns a Dask DataFrame of export rows into a scored Dask DataFrame,
a rejects Dask DataFrame and the per-partition
:class:`~faultkit.adapters.exports.ScoreSummary` to merge.
Each partition is scored by :func:`faultkit.batch.score_table` in one task whose three
results (scored rows, rejects, counts) feed the three outputs, so computing them
together reads and scores each partition once. The counts are partial states merged
by :func:`merge_summaries` (sums of counts: the result does not depend on how the rows
were split).

It runs on whatever scheduler is active: a ``dask.distributed`` cluster
(``Client(...)``) or the local threads. Needs the ``dask`` extra
(``pip install '.[dask]'`` in a clone).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import attrs

from faultkit.adapters.exports.score import Scorer, ScoreSummary
from faultkit.adapters.exports.tabular import Reject, RejectsFile
from faultkit.adapters.files import refuse_same_file
from faultkit.batch.arrow import score_table, to_pandas
from faultkit.errors import InvalidInputError

try:
    import dask
    import dask.dataframe as dd
    import pyarrow as pa
except ImportError as error:  # pragma: no cover - depends on the installed extras
    raise ImportError("faultkit.batch.dask needs dask: pip install '.[dask]' in a clone") from error

__all__ = [
    "DaskScoring",
    "FileReport",
    "FileScoring",
    "expand_inputs",
    "merge_summaries",
    "reduce_partitions",
    "report_files",
    "score_dask",
    "score_files",
]


def merge_summaries(summaries: Iterable[ScoreSummary]) -> ScoreSummary:
    """One summary for several parts of an input: counts added, columns of the first part.

    ``stopped_early`` is true when any part stopped early. An empty iterable gives the
    summary of an empty input.
    """
    read = written = rejected = mismatches = breaches = 0
    priorities: dict[int, int] = {}
    stopped = False
    columns: tuple[str, ...] = ()
    for part in summaries:
        read += part.rows_read
        written += part.rows_written
        rejected += part.rows_rejected
        mismatches += part.mismatches
        breaches += part.sla_breaches
        stopped = stopped or part.stopped_early
        for number, count in part.priorities.items():
            priorities[number] = priorities.get(number, 0) + count
        columns = columns or part.columns_added
    return ScoreSummary(
        rows_read=read,
        rows_written=written,
        rows_rejected=rejected,
        priorities=dict(sorted(priorities.items())),
        mismatches=mismatches,
        sla_breaches=breaches,
        stopped_early=stopped,
        columns_added=columns,
    )


@attrs.frozen(kw_only=True)
class DaskScoring:
    """The lazy results of :func:`score_dask`; compute them together for a single pass.

    Attributes:
        scored: the scored rows (input columns and the ``faultkit_*`` columns), one
            partition per input partition.
        rejects: ``partition``, ``row`` (position in that partition), ``column``,
            ``value``, ``reason`` of every refused row.
        summaries: one row of counts per partition (rows read, written, rejected,
            mismatches, SLA breaches, ``p1`` ... ``p5`` rows per priority): partial
            states, added up by :meth:`compute` and :meth:`summary`.
        columns_added: the ``faultkit_*`` columns the scored rows get.
    """

    scored: Any  # dask.dataframe.DataFrame
    rejects: Any  # dask.dataframe.DataFrame
    summaries: Any  # dask.dataframe.DataFrame
    columns_added: tuple[str, ...]

    def compute(self, **kwargs: Any) -> tuple[Any, Any, ScoreSummary]:
        """``(scored, rejects, summary)`` as pandas frames and a merged summary, in one pass.

        Args:
            **kwargs: passed to :func:`dask.compute` (``scheduler=...``).
        """
        scored, rejects, summaries = dask.compute(
            self.scored, self.rejects, self.summaries, **kwargs
        )
        return scored, rejects, _from_frame(summaries, self.columns_added)

    def summary(self, **kwargs: Any) -> ScoreSummary:
        """Only the merged counts (scores every partition, keeps no rows)."""
        (summaries,) = dask.compute(self.summaries, **kwargs)
        return _from_frame(summaries, self.columns_added)


def _score_parts(frame: Any, scorer: Scorer, number: int) -> tuple[Any, Any, ScoreSummary]:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    result = score_table(table, scorer)
    scored = to_pandas(result.scored)
    rejects = to_pandas(result.rejects)
    rejects.insert(0, "partition", number)
    rejects["partition"] = rejects["partition"].astype("int64")
    return scored, rejects, result.summary


def score_dask(frame: Any, scorer: Scorer) -> DaskScoring:
    """Score a Dask DataFrame partition by partition with the batch scorer.

    Args:
        frame: a ``dask.dataframe.DataFrame`` with the export's columns (text columns
            are read exactly; see :func:`faultkit.batch.score_table` for other types).
        scorer: what to compute; it travels to the workers (it pickles).

    Returns:
        The lazy scored rows, rejects and summary (:class:`DaskScoring`).

    Raises:
        InvalidInputError: the frame has no impact or urgency column (checked here,
            on the frame's columns, before anything runs).
    """
    meta_scored, meta_rejects, meta_summary = _score_parts(frame._meta, scorer, 0)
    parts = [
        dask.delayed(_score_parts, nout=3, pure=True)(part, scorer, number)
        for number, part in enumerate(frame.to_delayed())
    ]
    scored = dd.from_delayed([p[0] for p in parts], meta=meta_scored, verify_meta=False)
    rejects = dd.from_delayed([p[1] for p in parts], meta=meta_rejects, verify_meta=False)
    summaries = dd.from_delayed(
        [dask.delayed(_summary_frame, pure=True)(p[2]) for p in parts],
        meta=_summary_frame(None),
        verify_meta=False,
    )
    return DaskScoring(
        scored=scored,
        rejects=rejects,
        summaries=summaries,
        columns_added=meta_summary.columns_added,
    )


_COUNTS = ("rows_read", "rows_written", "rows_rejected", "mismatches", "sla_breaches")
_PRIORITY_NUMBERS = (1, 2, 3, 4, 5)


def _summary_frame(summary: ScoreSummary | None) -> Any:
    """A partition's counts as a one-row frame of integers, so Dask can carry them."""
    import pandas as pd

    if summary is None:
        values: dict[str, list[int]] = {name: [] for name in _COUNTS}
        values.update({f"p{n}": [] for n in _PRIORITY_NUMBERS})
        values["stopped_early"] = []
    else:
        values = {name: [getattr(summary, name)] for name in _COUNTS}
        values.update({f"p{n}": [summary.priorities.get(n, 0)] for n in _PRIORITY_NUMBERS})
        values["stopped_early"] = [int(summary.stopped_early)]
    return pd.DataFrame({name: pd.Series(cells, dtype="int64") for name, cells in values.items()})


def _from_frame(frame: Any, columns: tuple[str, ...]) -> ScoreSummary:
    """The merged summary of the per-partition rows of :func:`_summary_frame`."""
    totals = {name: int(frame[name].sum()) for name in frame.columns}
    return ScoreSummary(
        rows_read=totals["rows_read"],
        rows_written=totals["rows_written"],
        rows_rejected=totals["rows_rejected"],
        priorities={n: totals[f"p{n}"] for n in _PRIORITY_NUMBERS if totals[f"p{n}"]},
        mismatches=totals["mismatches"],
        sla_breaches=totals["sla_breaches"],
        stopped_early=bool(totals["stopped_early"]),
        columns_added=columns,
    )


_S = TypeVar("_S")


def reduce_partitions(
    frame: Any,
    chunk: Callable[[Any], _S],
    merge: Callable[[_S, _S], _S],
    *,
    split_every: int = 8,
) -> Any:
    """A Dask reduction with partial states: ``chunk`` per partition, ``merge`` in a tree.

    The same shape as a Spark ``mapInPandas`` (``chunk``) followed by a ``reduce``
    (``merge``): see the scaling guide. ``merge`` must be associative (and, as
    partitions finish in any order, commutative); the states of
    :mod:`faultkit.metrics.partial` are.

    Args:
        frame: a Dask DataFrame or Series.
        chunk: the partial state of one partition (a pandas DataFrame or Series).
        merge: two states into one.
        split_every: how many states one merge task combines.

    Returns:
        A ``dask.delayed`` object; ``.compute()`` gives the state of the whole input.

    Raises:
        InvalidInputError: ``split_every`` is below 2.
    """
    if type(split_every) is not int or split_every < 2:
        raise InvalidInputError("split_every", split_every, "expected a whole number >= 2")
    level = [dask.delayed(chunk, pure=True)(part) for part in frame.to_delayed()]
    if not level:
        raise InvalidInputError("frame", frame, "has no partitions")
    while len(level) > 1:
        level = [
            dask.delayed(_merge_many, pure=True)(merge, level[i : i + split_every])
            for i in range(0, len(level), split_every)
        ]
    return level[0]


def _merge_many(merge: Callable[[_S, _S], _S], states: list[_S]) -> _S:
    result = states[0]
    for state in states[1:]:
        result = merge(result, state)
    return result


@attrs.frozen(kw_only=True)
class FileScoring:
    """What :func:`score_files` did.

    Attributes:
        summary: the counts over every file (merged partial states).
        outputs: the scored file written for each input, in input order.
        rejects: ``file``, ``row`` (1-based data row of that file), ``column``, ``value``,
            ``reason`` of every refused row, as a pandas DataFrame.
    """

    summary: ScoreSummary
    outputs: tuple[str, ...]
    rejects: Any


def expand_inputs(spec: str) -> list[str]:
    """The CSV files a command-line INPUT names: a file, a directory (its ``*.csv``) or a glob.

    Sorted by name, so the output and rejects come in a stable order.

    Raises:
        InvalidInputError: nothing matches.
    """
    import glob
    import os

    if os.path.isdir(spec):
        found = sorted(glob.glob(os.path.join(glob.escape(spec), "*.csv")))
    elif os.path.isfile(spec):
        found = [spec]
    else:
        found = sorted(p for p in glob.glob(spec) if os.path.isfile(p))
    if not found:
        raise InvalidInputError("input", spec, "no CSV file found (a file, a directory or a glob)")
    return found


def _output_path(path: str, out_dir: str) -> str:
    import os

    stem = os.path.splitext(os.path.basename(path))[0]
    return os.path.join(out_dir, f"{stem}.scored.csv")


def _not_utf8(path: str) -> InvalidInputError:
    """The error of an input that is not UTF-8: the byte, its line, the encoding it looks like."""
    from faultkit.adapters.exports.encodings import describe_fault, first_undecodable

    try:
        fault = first_undecodable(path, "utf-8-sig")
    except OSError:
        fault = None
    found = describe_fault(fault)
    return InvalidInputError(
        "input",
        path,
        f"not UTF-8 ({found}); --engine dask reads UTF-8 only: "
        "use --engine row with --encoding, or convert the file",
    )


def _score_file(path: str, output: str, scorer: Scorer) -> tuple[ScoreSummary, Any]:
    """Read, score and write one file (runs on a worker); the counts and rejects come back.

    A file Arrow cannot parse (a ragged row, an unclosed quote) or with a cell past the
    field limit is scored by the row engine instead (:func:`_score_file_by_rows`), so
    its rows are rejected exactly as ``--engine row`` rejects them; a file that is not UTF-8 is an
    :class:`~faultkit.errors.InvalidInputError` naming the byte (a usage error).
    """
    from faultkit.batch.arrow import read_csv_table, write_csv_table

    try:
        table = read_csv_table(path)
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    except pa.ArrowInvalid as error:
        if "UTF8" in str(error) or "UTF-8" in str(error):
            raise _not_utf8(path) from None
        return _score_file_by_rows(path, output, scorer)
    if _has_long_cell(table):  # the row engine rejects such a row; Arrow would score it
        return _score_file_by_rows(path, output, scorer)
    result = score_table(table, scorer)
    write_csv_table(result.scored, output)
    rejects = to_pandas(result.rejects)
    rejects["row"] = rejects["row"] + 1
    rejects.insert(0, "file", path)
    return result.summary, rejects


def _has_long_cell(table: Any) -> bool:
    """Whether a cell of ``table`` is longer than the field limit the row engine keeps."""
    import pyarrow.compute as pc

    from faultkit.adapters.exports.tabular import FIELD_LIMIT

    for column in table.columns:
        longest = pc.max(pc.utf8_length(column)).as_py()
        if longest is not None and longest > FIELD_LIMIT:
            return True
    return False


class _KeptRejects(RejectsFile):
    """The rejects of the row engine kept in memory (on a worker), not written."""

    def __init__(self) -> None:
        super().__init__(os.devnull)
        self.kept: list[Reject] = []

    def write(self, reject: Reject) -> None:
        """Keep one rejected row."""
        self.count += 1
        self.reasons[(reject.column, reject.reason)] += 1
        self.kept.append(reject)


def _score_file_by_rows(path: str, output: str, scorer: Scorer) -> tuple[ScoreSummary, Any]:
    """:func:`_score_file` by the row engine: each reject's ``row`` is its line less one."""
    import pandas as pd

    from faultkit.adapters.exports.score import score_csv
    from faultkit.adapters.files import AtomicWriter

    kept = _KeptRejects()
    try:
        with (
            open(path, encoding="utf-8-sig", newline="") as source,
            AtomicWriter(output) as sink,
        ):
            summary = score_csv(source, sink.text, kept, scorer, delimiter=",")
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    rejects = pd.DataFrame(
        [(path, r.line - 1, r.column, r.value, r.reason) for r in kept.kept],
        columns=["file", "row", "column", "value", "reason"],
    )
    return summary, rejects


def score_files(paths: Iterable[str], out_dir: str, scorer: Scorer) -> FileScoring:
    """Score CSV files in parallel on the active Dask scheduler, one task per file.

    Each task reads its file with Arrow (every column as text), scores it with
    :func:`faultkit.batch.score_table` and writes ``<out_dir>/<name>.scored.csv``
    itself, so only the counts and the rejects travel back. With a
    ``dask.distributed`` client the files must be readable and ``out_dir`` writable
    by the workers (a shared file system).

    Args:
        paths: the CSV files (see :func:`expand_inputs`).
        out_dir: where the scored files go.
        scorer: what to compute.

    Raises:
        InvalidInputError: a file lacks the impact or urgency column.
    """
    import pandas as pd

    inputs = list(paths)
    outputs = [_output_path(path, out_dir) for path in inputs]
    if len(set(outputs)) != len(outputs):
        raise InvalidInputError("input", inputs, "two inputs have the same file name")
    for path, output in zip(inputs, outputs, strict=True):
        refuse_same_file(path, {"--output": output})
    tasks = [
        dask.delayed(_score_file, pure=False)(path, output, scorer)
        for path, output in zip(inputs, outputs, strict=True)
    ]
    results = dask.compute(*tasks)
    rejects = [frame for _summary, frame in results]
    return FileScoring(
        summary=merge_summaries(summary for summary, _frame in results),
        outputs=tuple(outputs),
        rejects=pd.concat(rejects, ignore_index=True) if rejects else pd.DataFrame(),
    )


@attrs.frozen(kw_only=True)
class FileReport:
    """What :func:`report_files` computed.

    Attributes:
        report: the handling figures over every file (merged partial states).
        now: the time the figures are taken at.
        rows_read: data rows read over every file.
        rows_rejected: rows refused by the reader over every file.
        rejects: ``file``, ``line``, ``column``, ``value``, ``reason`` of each refused row.
    """

    report: Any  # faultkit.metrics.HandlingReport
    now: Any  # datetime
    rows_read: int
    rows_rejected: int
    rejects: tuple[tuple[str, int, str, str, str], ...]


def _read_rows(path: str, preset: Any, dates: Any) -> tuple[Any, int, int, Any, list[Any]]:
    """Read one event-log file on a worker: rows, counts, latest time, rejects."""
    import json
    import os
    import tempfile

    from faultkit.adapters.exports import ExportFormat, RejectsFile, read_metric_rows

    with tempfile.TemporaryDirectory() as folder:
        rejects_path = os.path.join(folder, "rejects.jsonl")
        rejects = RejectsFile(rejects_path)
        try:
            with open(path, encoding="utf-8-sig", newline="") as source:
                read = read_metric_rows(source, ExportFormat.CSV, preset, rejects, dates=dates)
        except UnicodeDecodeError:
            raise _not_utf8(path) from None
        rejects.close()
        refused = []
        if os.path.exists(rejects_path):
            with open(rejects_path, encoding="utf-8") as handle:
                for text in handle:
                    item = json.loads(text)
                    refused.append(
                        (path, item["line"], item["column"], item["value"], item["reason"])
                    )
    latest = max((row.at for row in read.rows), default=None)
    return read.rows, read.rows_read, read.rows_rejected, latest, refused


def _state_of(read: tuple[Any, ...], now: Any, workflow: Any, options: dict[str, Any]) -> Any:
    from faultkit.metrics.partial import HandlingState

    return HandlingState.of(read[0], workflow, now=now, **options)


def _tally(read: tuple[Any, ...]) -> tuple[Any, ...]:
    """The small part of a file's read (counts, latest time, rejects), without the rows."""
    return read[1:]


def _latest(tallies: list[tuple[Any, ...]], given: Any, fallback: Any) -> Any:
    if given is not None:
        return given
    times = [tally[2] for tally in tallies if tally[2] is not None]
    return max(times) if times else fallback


def report_files(
    paths: Sequence[str],
    preset: Any,
    dates: Any,
    workflow: Any,
    *,
    now: Any = None,
    **options: Any,
) -> FileReport:
    """:func:`faultkit.metrics.handling_metrics` over event-log CSV files, one task per file.

    Each task reads its file (:func:`faultkit.adapters.exports.read_metric_rows`) and
    keeps the rows on its worker; only counts, the latest time and the rejects travel.
    Once every file is read, ``now`` is known (given, or the latest row time over all
    files) and each worker turns its rows into a
    :class:`~faultkit.metrics.partial.HandlingState`; the states are merged in a tree.
    The files are read once.

    A fault's rows must all be in one file (split exports by incident, by opening
    month or by instance, never in the middle of an incident).

    Args:
        paths: the CSV files.
        preset: the column layout (:class:`~faultkit.adapters.exports.Preset`).
        dates: the :class:`~faultkit.adapters.exports.DateReader`.
        workflow: the :class:`~faultkit.lifecycle.Workflow` of the states.
        now: when the figures are taken; by default the latest row time.
        **options: the other arguments of ``handling_metrics`` (``group_by``,
            ``period``, ``tz``, ``sla``, ``calendar``, ``exact_limit``).
    """
    from datetime import datetime

    from faultkit.metrics.partial import HandlingState

    fallback = datetime(1970, 1, 1, tzinfo=dates.tz)
    reads = [dask.delayed(_read_rows, pure=False)(path, preset, dates) for path in paths]
    tallies = [dask.delayed(_tally, pure=True)(read) for read in reads]
    moment = dask.delayed(_latest, pure=True)(tallies, now, fallback)
    level = [dask.delayed(_state_of, pure=True)(read, moment, workflow, options) for read in reads]
    while len(level) > 1:
        level = [
            dask.delayed(_merge_many, pure=True)(HandlingState.merge, level[i : i + 8])
            for i in range(0, len(level), 8)
        ]
    state, taken, counts = dask.compute(level[0], moment, tallies)
    return FileReport(
        report=state.report(),
        now=taken,
        rows_read=sum(t[0] for t in counts),
        rows_rejected=sum(t[1] for t in counts),
        rejects=tuple(item for t in counts for item in t[3]),
    )
