"""Scale-out: the columnar batch scorer vs pandas, and Dask on two workers vs one process.

1. **Batch scorer vs pandas** on ``--rows`` rows (default 1,000,000) of a generated
   ServiceNow-shaped export (:mod:`faultkit.testing.scale`). The pandas script computes
   the same priority column the way a script would: the level number of each coded
   label with ``str.extract``, then the ServiceNow matrix by numpy indexing. The batch
   scorer (:func:`faultkit.batch.score_table`, SLA columns off as the script has none)
   computes priority *and* the match with the source priority, and validates every
   cell. Measured twice, CPU time, best of ``--repeat``, interleaved
   (``_harness.best_times``): on data already in memory (a pandas DataFrame vs an
   Arrow table), and from the CSV file (``pandas.read_csv`` vs
   :func:`faultkit.batch.read_csv_table`). Target: at least 2x faster in both.
2. **Dask, two local workers vs one process** on ``--dask-rows`` rows (default
   4,000,000) split into ``--files`` CSV files. The single-process command is the row
   engine of ``faultkit score`` (:func:`faultkit.adapters.exports.score_csv`, what the
   command runs) on each file in turn; the Dask run is
   :func:`faultkit.batch.dask.score_files` on a ``LocalCluster`` of two worker
   processes with one thread each (``faultkit score DIR --engine dask --workers 2``),
   both reading the files and writing the scored files. Wall-clock time (CPU time
   cannot see other processes), cluster started before timing (its start-up, a few
   seconds, is printed apart). Also printed: the batch scorer on the same files in one
   process (``scheduler="synchronous"``), which shows the parallel speed-up alone.
   Target: at least 1.6x faster than the single-process command. With ``--sla`` both
   compute the SLA columns too (business-calendar arithmetic per distinct opening
   time, the same lifecycle code in both engines), which is much slower.

    python benchmarks/bench_scale.py [--rows 1000000] [--dask-rows 4000000] [--files 8]
                                     [--repeat 3] [--sla] [--check]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _harness import best_times

from faultkit.adapters.exports import (
    DateOrder,
    DateReader,
    RejectsFile,
    Scorer,
    get_preset,
    score_csv,
)
from faultkit.testing.scale import generated_export, write_generated_csv

BATCH_TARGET = 2.0
DASK_TARGET = 1.6
MATRIX = [[1, 2, 3], [2, 3, 4], [3, 4, 4]]  # ServiceNow without Planning


def scorer(sla: bool) -> Scorer:
    dates = DateReader(order=DateOrder.DAY_FIRST)
    if sla:
        return Scorer(get_preset("servicenow"), dates=dates)
    return Scorer(get_preset("servicenow"), dates=dates, sla=None)


def pandas_priority(frame: Any) -> Any:
    """The pandas script: the priority column from coded impact and urgency labels."""
    import numpy as np

    impact = frame["impact"].str.extract(r"^\s*(\d+)", expand=False).astype(int).to_numpy()
    urgency = frame["urgency"].str.extract(r"^\s*(\d+)", expand=False).astype(int).to_numpy()
    return np.array(MATRIX)[impact - 1, urgency - 1]


def bench_batch(rows: int, repeat: int) -> float:
    import pandas as pd
    import pyarrow as pa

    from faultkit.batch import read_csv_table, score_table

    columns = generated_export(rows, seed=11)
    table = pa.table(columns)
    frame = pd.DataFrame(columns)
    batch_scorer = scorer(sla=False)
    # the same answers (the generated export has no bad rows)
    expected = score_table(table, batch_scorer).scored.column("faultkit_priority").to_numpy()
    assert (pandas_priority(frame) == expected).all()

    pandas_t, batch_t = best_times(
        [lambda: pandas_priority(frame), lambda: score_table(table, batch_scorer)], repeat
    )
    print(f"in memory, {rows:,} rows (CPU s, best of {repeat}):")
    print(f"  pandas script (priority)            {pandas_t:8.3f}")
    print(
        f"  batch scorer (priority + match)     {batch_t:8.3f}   {pandas_t / batch_t:5.2f}x faster"
    )

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            write_generated_csv(handle, rows, seed=11)

        def pandas_file() -> Any:
            read = pd.read_csv(path, dtype=str, keep_default_na=False)
            return pandas_priority(read)

        def batch_file() -> Any:
            return score_table(read_csv_table(str(path)), batch_scorer)

        pandas_f, batch_f = best_times([pandas_file, batch_file], repeat)
    print("from the CSV file (read + score):")
    print(f"  pandas.read_csv + script            {pandas_f:8.3f}")
    print(
        f"  read_csv_table + batch scorer       {batch_f:8.3f}   {pandas_f / batch_f:5.2f}x faster"
    )
    return min(pandas_t / batch_t, pandas_f / batch_f)


def bench_dask(rows: int, files: int, sla: bool, repeat: int) -> float:
    import dask
    import distributed

    from faultkit.batch.dask import score_files

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        inputs = base / "in"
        inputs.mkdir()
        per_file = rows // files
        paths = []
        for number in range(files):
            path = inputs / f"part{number:02d}.csv"
            with path.open("w", newline="", encoding="utf-8") as handle:
                write_generated_csv(handle, per_file, seed=100 + number, bad_share=0.001)
            paths.append(str(path))
        out = base / "out"
        out.mkdir()

        def row_engine() -> None:
            for path in paths:
                with (
                    open(path, newline="", encoding="utf-8") as source,
                    open(out / "row.csv", "w", newline="", encoding="utf-8") as sink,
                    RejectsFile(str(out / "row.rejects.csv")) as rejects,
                ):
                    score_csv(source, sink, rejects, scorer(sla))

        def dask_engine() -> None:
            score_files(paths, str(out), scorer(sla))

        def one_process() -> None:
            with dask.config.set(scheduler="synchronous"):
                score_files(paths, str(out), scorer(sla))

        start = time.perf_counter()
        with (
            distributed.LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                worker_dashboard_address=None,
            ) as cluster,
            distributed.Client(cluster),
        ):
            startup = time.perf_counter() - start
            dask_engine()  # warm the workers (imports) once, untimed
            best = {"row": float("inf"), "dask": float("inf"), "one": float("inf")}
            for _ in range(repeat):
                for name, fn in (("row", row_engine), ("dask", dask_engine), ("one", one_process)):
                    began = time.perf_counter()
                    fn()
                    best[name] = min(best[name], time.perf_counter() - began)
    label = "with SLA columns" if sla else "priority + match, no SLA"
    print(f"{rows:,} rows in {files} files, {label} (wall s, best of {repeat}):")
    print(f"  single-process command (row engine) {best['row']:8.2f}")
    print(
        f"  batch scorer, one process           {best['one']:8.2f}   "
        f"{best['row'] / best['one']:5.2f}x faster"
    )
    print(
        f"  Dask, 2 worker processes            {best['dask']:8.2f}   "
        f"{best['row'] / best['dask']:5.2f}x faster "
        f"(vs the batch scorer in one process: {best['one'] / best['dask']:.2f}x)"
    )
    print(f"  (cluster start-up, not timed above: {startup:.1f} s)")
    return best["row"] / best["dask"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows for the batch part")
    parser.add_argument("--dask-rows", type=int, default=4_000_000, help="rows for the Dask part")
    parser.add_argument("--files", type=int, default=8, help="files the Dask input is split in")
    parser.add_argument("--repeat", type=int, default=3, help="rounds, best kept")
    parser.add_argument("--sla", action="store_true", help="compute the SLA columns too")
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"exit 1 below {BATCH_TARGET}x (batch) or {DASK_TARGET}x (Dask)",
    )
    args = parser.parse_args(argv)
    batch = bench_batch(args.rows, args.repeat)
    speedup = bench_dask(args.dask_rows, args.files, args.sla, max(1, args.repeat // 2))
    failed = False
    if args.check and batch < BATCH_TARGET:
        print(f"FAIL: batch scorer {batch:.2f}x is below {BATCH_TARGET}x", file=sys.stderr)
        failed = True
    if args.check and speedup < DASK_TARGET:
        print(f"FAIL: Dask {speedup:.2f}x is below {DASK_TARGET}x", file=sys.stderr)
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
