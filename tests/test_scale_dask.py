"""Scoring on a dask.distributed local cluster of two worker processes agrees with one process.

The row scorer, the batch scorer and Dask give the same values, rejects and counts on
the real ServiceNow export and on a generated one with bad rows.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from faultkit.adapters.exports import (  # noqa: E402
    DateOrder,
    DateReader,
    RejectsFile,
    Scorer,
    get_preset,
    score_csv,
)
from faultkit.batch import read_csv_table, score_table  # noqa: E402
from faultkit.batch.dask import merge_summaries, reduce_partitions, score_dask  # noqa: E402
from faultkit.testing.scale import generated_export, write_generated_csv  # noqa: E402


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """Two worker processes, one thread each (started once for the module)."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            worker_dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def scorer() -> Scorer:
    return Scorer(get_preset("servicenow"), dates=DateReader(order=DateOrder.DAY_FIRST))


def row_scored(text: str) -> tuple[list[list[str]], list[tuple[str, str, str]], Any]:
    """(added cells of scored rows, rejects as (column, value, reason), summary) by score_csv."""
    out = io.StringIO()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.csv"
        rejects = RejectsFile(str(path))
        summary = score_csv(io.StringIO(text, newline=""), out, rejects, scorer())
        rejects.close()
        refused = []
        if path.exists():
            with path.open(newline="", encoding="utf-8") as handle:
                refused = [(r["column"], r["value"], r["reason"]) for r in csv.DictReader(handle)]
    added = len(summary.columns_added)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    return [row[-added:] for row in rows[1:]], refused, summary


def cells_of(frame: Any, columns: tuple[str, ...]) -> list[list[str]]:
    def text(value: Any) -> str:
        if value is None or value is pa.NA or (isinstance(value, float) and value != value):
            return ""
        if value is True:
            return "true"
        if value is False:
            return "false"
        return str(value)

    values = [frame[name].astype(object).where(frame[name].notna(), None) for name in columns]
    return [[text(v) for v in row] for row in zip(*values, strict=True)]


def check_agreement(table: Any, text: str, client: Any, partitions: int) -> None:
    expected_cells, expected_rejects, expected = row_scored(text)

    batch = score_table(table, scorer())
    assert batch.summary.to_dict() == expected.to_dict()

    frame = dd.from_pandas(table.to_pandas(), npartitions=partitions, sort=False)
    job = score_dask(frame, scorer())
    scored, rejects, summary = job.compute()
    assert frame.npartitions == partitions
    assert summary.to_dict() == expected.to_dict()
    assert cells_of(scored, expected.columns_added) == expected_cells
    assert list(zip(rejects["column"], rejects["value"], rejects["reason"], strict=True)) == (
        expected_rejects
    )
    # a reject's (partition, row) points at its input row
    sizes = frame.map_partitions(len).compute().tolist()
    offsets = [sum(sizes[:i]) for i in range(len(sizes))]
    global_rows = [
        offsets[p] + r for p, r in zip(rejects["partition"], rejects["row"], strict=True)
    ]
    assert global_rows == batch.rejects.column("row").to_pylist()
    assert client.scheduler_info()["workers"]


def test_dask_agrees_on_the_real_export(servicenow_export: Path, client: Any) -> None:
    text = servicenow_export.read_text(encoding="utf-8-sig")
    check_agreement(read_csv_table(str(servicenow_export)), text, client, partitions=3)


def test_dask_agrees_on_a_generated_export_with_bad_rows(client: Any) -> None:
    buffer = io.StringIO(newline="")
    write_generated_csv(buffer, 3_000, seed=7, bad_share=0.02)
    columns = generated_export(3_000, seed=7, bad_share=0.02)
    table = pa.table(columns)
    check_agreement(table, buffer.getvalue(), client, partitions=4)


def test_bad_header_fails_before_anything_runs() -> None:
    from faultkit.errors import InvalidInputError

    frame = dd.from_pandas(pa.table({"urgency": ["1"]}).to_pandas(), npartitions=1)
    with pytest.raises(InvalidInputError):
        score_dask(frame, scorer())


def test_merge_summaries_adds_counts() -> None:
    table = pa.table(generated_export(3000, seed=3, bad_share=0.05))
    whole = score_table(table, scorer()).summary
    parts = [
        score_table(table.slice(start, 700), scorer()).summary for start in range(0, 3000, 700)
    ]
    assert merge_summaries(parts).to_dict() == whole.to_dict()
    assert merge_summaries([]).rows_read == 0


def test_duration_figures_as_a_dask_reduction(client: Any) -> None:
    from datetime import timedelta

    import pandas as pd

    from faultkit.metrics import summarize
    from faultkit.metrics.partial import DurationState, RateState

    seconds = [float((i * 7919) % 86_400) for i in range(5_000)]
    series = dd.from_pandas(pd.Series(seconds, name="seconds"), npartitions=6)
    for limit in (10_000, 100):  # exact, and sketched
        state = reduce_partitions(
            series,
            lambda part, limit=limit: DurationState.of(part.tolist(), limit=limit),
            DurationState.merge,
            split_every=2,
        ).compute()
        single = summarize([timedelta(seconds=s) for s in seconds], exact_limit=limit)
        figures = state.summary()
        assert (figures.n, figures.median, figures.p90, figures.exact) == (
            single.n,
            single.median,
            single.p90,
            single.exact,
        )
    flags = dd.from_pandas(pd.Series([i % 3 == 0 for i in range(1000)]), npartitions=5)
    rate = reduce_partitions(flags, lambda p: RateState.of(p.tolist()), RateState.merge)
    assert rate.compute().rate().numerator == 334


def test_handling_state_as_a_dask_reduction(servicenow_export: Path, client: Any) -> None:
    """Handling figures per priority from per-partition states equal the single pass."""
    import itertools
    from datetime import UTC, datetime

    import dask.bag as bag

    from faultkit.adapters.exports import ExportFormat, read_metric_rows
    from faultkit.lifecycle import DEFAULT_SLA_POLICY, ITIL
    from faultkit.metrics import Dimension, handling_metrics
    from faultkit.metrics.partial import HandlingState

    now = datetime(2016, 12, 31, tzinfo=UTC)
    with (
        tempfile.TemporaryDirectory() as folder,
        servicenow_export.open(encoding="utf-8-sig", newline="") as source,
    ):
        rejects = RejectsFile(str(Path(folder) / "r.csv"))
        rows = read_metric_rows(
            source,
            ExportFormat.CSV,
            get_preset("servicenow"),
            rejects,
            dates=DateReader(order=DateOrder.DAY_FIRST),
        ).rows
        rejects.close()
    faults = [list(group) for _key, group in itertools.groupby(rows, key=lambda r: r.incident)]
    options: dict[str, Any] = {"group_by": (Dimension.PRIORITY,), "sla": DEFAULT_SLA_POLICY}
    single = handling_metrics(rows, ITIL, now=now, **options)

    def chunk(part: list[list[Any]]) -> HandlingState:
        return HandlingState.of([row for fault in part for row in fault], ITIL, now=now, **options)

    faults_bag = bag.from_sequence(faults, npartitions=5)  # a fault never spans two partitions
    state = reduce_partitions(faults_bag, chunk, HandlingState.merge, split_every=2).compute()
    assert state.report() == single
    assert state.report().faults == 890
