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
(``pip install 'faultkit[dask]'``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import attrs

from faultkit.adapters.exports.score import Scorer, ScoreSummary
from faultkit.batch.arrow import _to_pandas, score_table
from faultkit.errors import InvalidInputError

try:
    import dask
    import dask.dataframe as dd
    import pyarrow as pa
except ImportError as error:  # pragma: no cover - depends on the installed extras
    raise ImportError("faultkit.batch.dask needs dask: pip install 'faultkit[dask]'") from error

__all__ = ["DaskScoring", "merge_summaries", "reduce_partitions", "score_dask"]


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
    scored = _to_pandas(result.scored)
    rejects = _to_pandas(result.rejects)
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
