"""``faultkit score --engine dask``: score a file, a directory or a glob of CSV files on Dask.

The row engine streams one file in the command's own process. The Dask engine starts a
local cluster of ``--workers`` processes (one thread each), or joins the cluster at
``--scheduler``, and scores one file per task with the columnar batch scorer
(:func:`faultkit.batch.dask.score_files`): the same values and rejects as the row
engine, several files at once. Needs the ``dask`` extra.
"""

from __future__ import annotations

import csv
import os
from typing import Any

import click

from faultkit.adapters.exports import ExportFormat, Scorer, ScoreSummary
from faultkit.errors import InvalidInputError

__all__ = ["ENGINES", "score_with_dask"]

ENGINES = ("row", "dask")
"""The values of ``--engine``."""


def _check_options(
    export_format: ExportFormat | None, output: str | None, excel_safe: bool, max_errors: int | None
) -> None:
    if export_format is ExportFormat.JSONL:
        raise click.UsageError("--engine dask reads CSV files; JSON Lines needs --engine row")
    if output == "-":
        raise click.UsageError("--engine dask writes files: give -o a directory, not '-'")
    if excel_safe:
        raise click.UsageError("--excel-safe needs --engine row")
    if max_errors is not None:
        raise click.UsageError("--max-errors needs --engine row")


def score_with_dask(
    input_spec: str,
    *,
    output: str | None,
    rejects_path: str | None,
    scorer: Scorer,
    workers: int,
    scheduler: str | None,
    export_format: ExportFormat | None = None,
    excel_safe: bool = False,
    max_errors: int | None = None,
) -> tuple[ScoreSummary, dict[str, Any], list[str]]:
    """Run the Dask engine; ``(summary, JSON report, text lines)`` for the command to print.

    Args:
        input_spec: a CSV file, a directory (its ``*.csv`` files) or a glob.
        output: the directory the ``<name>.scored.csv`` files go to (created; the
            current directory by default).
        rejects_path: the rejects CSV (``file, row, column, value, reason``); by default
            ``faultkit-rejects.csv`` in the output directory, written only when rows
            were rejected.
        scorer: what to compute.
        workers: worker processes of the local cluster.
        scheduler: the address of a running Dask scheduler to use instead.
        export_format: ``--format``, refused unless CSV.
        excel_safe: ``--excel-safe``, refused (row engine only).
        max_errors: ``--max-errors``, refused (row engine only).

    Raises:
        click.UsageError: an option the Dask engine does not take, no input file, a
            file the preset does not fit, or the ``dask`` extra missing.
    """
    _check_options(export_format, output, excel_safe, max_errors)
    try:
        import distributed

        from faultkit.batch.dask import expand_inputs, score_files
    except ImportError:
        raise click.UsageError(
            "--engine dask needs the dask extra: pip install 'faultkit[dask]'"
        ) from None
    out_dir = output or "."
    try:
        paths = expand_inputs(input_spec)
        os.makedirs(out_dir, exist_ok=True)
        if scheduler:
            with distributed.Client(scheduler):
                result = score_files(paths, out_dir, scorer)
        else:
            with (
                distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    worker_dashboard_address=None,
                ) as cluster,
                distributed.Client(cluster),
            ):
                result = score_files(paths, out_dir, scorer)
    except InvalidInputError as error:
        raise click.UsageError(str(error)) from None
    summary = result.summary
    written_rejects = None
    if len(result.rejects):
        written_rejects = rejects_path or os.path.join(out_dir, "faultkit-rejects.csv")
        with open(written_rejects, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "row", "column", "value", "reason"])
            writer.writerows(result.rejects.itertuples(index=False, name=None))
    report = {
        "command": "score",
        "engine": "dask",
        "input": input_spec,
        "files": paths,
        "outputs": list(result.outputs),
        "rejects": written_rejects,
        **summary.to_dict(),
    }
    lines = [
        f"{input_spec}: {len(paths)} files, {summary.rows_read} rows read, "
        f"{summary.rows_written} scored (written to {out_dir}), "
        f"{summary.rows_rejected} rejected",
        *(f"  priority {n}: {count} rows" for n, count in sorted(summary.priorities.items())),
        f"  {summary.mismatches} rows where the source priority differs",
    ]
    if "faultkit_sla_breached" in summary.columns_added:
        lines.append(f"  {summary.sla_breaches} rows resolved after their SLA due time")
    if written_rejects:
        lines.append(f"  rejected rows (file, row, column, value, reason) are in {written_rejects}")
    return summary, report, lines
