"""``faultkit score --engine dask``: score a file, a directory or a glob of CSV files on Dask.

The row engine streams one file in the command's own process. The Dask engine starts a
local cluster of ``--workers`` processes (one thread each), or joins the cluster at
``--scheduler``, and scores one file per task with the columnar batch scorer
(:func:`faultkit.batch.dask.score_files`): the same values and rejects as the row
engine, several files at once. Needs the ``dask`` extra.
"""

from __future__ import annotations

import csv
import logging
import os
from typing import Any

import click

from faultkit.adapters.exports import DateReader, ExportFormat, Preset, Scorer, ScoreSummary
from faultkit.adapters.files import AtomicWriter, refuse_same_file
from faultkit.cli._common import refuse_empty_csv
from faultkit.errors import InvalidInputError

__all__ = ["report_with_dask", "score_with_dask"]


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


def _cluster(workers: int, scheduler: str | None) -> Any:
    """A client of the cluster at ``scheduler``, or of a new local one (closed with it)."""
    import contextlib

    import distributed

    stack = contextlib.ExitStack()
    if scheduler:
        stack.enter_context(distributed.Client(scheduler))
        return stack
    cluster = stack.enter_context(
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            worker_dashboard_address=None,
            # a task's error comes back to the command, which says it in one line; the
            # workers' own "Compute Failed" log with its traceback would repeat it
            silence_logs=logging.CRITICAL,
        )
    )
    stack.enter_context(distributed.Client(cluster))
    return stack


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
        from faultkit.batch.dask import expand_inputs, score_files
    except ImportError:
        raise click.UsageError(
            "--engine dask needs the dask extra: pip install '.[dask]' in a clone"
        ) from None
    out_dir = output or "."
    try:
        paths = expand_inputs(input_spec)
        _refuse_empty(paths)
        _refuse_input(paths, rejects_path or os.path.join(out_dir, "faultkit-rejects.csv"))
        os.makedirs(out_dir, exist_ok=True)
        with _cluster(workers, scheduler):
            result = score_files(paths, out_dir, scorer)
    except InvalidInputError as error:
        raise click.UsageError(str(error)) from None
    summary = result.summary
    written_rejects = None
    if len(result.rejects):
        written_rejects = rejects_path or os.path.join(out_dir, "faultkit-rejects.csv")
        with AtomicWriter(written_rejects) as out:
            writer = csv.writer(out.text)
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


def _refuse_empty(paths: list[str]) -> None:
    """A usage error for a CSV file of 0 bytes among the inputs, as the other engines give."""
    for path in paths:
        refuse_empty_csv(path, ExportFormat.CSV)


def _refuse_input(paths: list[str], rejects: str) -> None:
    """A usage error when the rejects file is one of the inputs."""
    try:
        for path in paths:
            refuse_same_file(path, {"--rejects": rejects})
    except InvalidInputError as error:
        raise click.UsageError(str(error)) from None


def report_with_dask(
    input_spec: str,
    *,
    preset: Preset,
    dates: DateReader,
    workflow: Any,
    now: Any,
    rejects_path: str | None,
    workers: int,
    scheduler: str | None,
    options: dict[str, Any],
    export_format: ExportFormat | None = None,
    charts: bool = False,
    max_errors: int | None = None,
) -> tuple[Any, str | None]:
    """``faultkit report --engine dask``: the figures over a file, directory or glob.

    One task per file reads its rows and turns them into a partial state
    (:func:`faultkit.batch.dask.report_files`); a fault's rows must all be in one file.

    Returns:
        The :class:`~faultkit.batch.dask.FileReport` and the rejects file written
        (``file, line, column, value, reason``; ``faultkit-rejects.csv`` in the current
        directory by default), or ``None`` when no row was refused.

    Raises:
        click.UsageError: an option the Dask engine does not take, no input file, or
            the ``dask`` extra missing.
    """
    if export_format is ExportFormat.JSONL:
        raise click.UsageError("--engine dask reads CSV files; JSON Lines needs --engine row")
    if charts:
        raise click.UsageError("--charts needs --engine row")
    if max_errors is not None:
        raise click.UsageError("--max-errors needs --engine row")
    try:
        from faultkit.batch.dask import expand_inputs, report_files
    except ImportError:
        raise click.UsageError(
            "--engine dask needs the dask extra: pip install '.[dask]' in a clone"
        ) from None
    try:
        paths = expand_inputs(input_spec)
        _refuse_empty(paths)
        _refuse_input(paths, rejects_path or "faultkit-rejects.csv")
        with _cluster(workers, scheduler):
            result = report_files(paths, preset, dates, workflow, now=now, **options)
    except InvalidInputError as error:
        raise click.UsageError(str(error)) from None
    written = None
    if result.rejects:
        written = rejects_path or "faultkit-rejects.csv"
        with AtomicWriter(written) as out:
            writer = csv.writer(out.text)
            writer.writerow(["file", "line", "column", "value", "reason"])
            writer.writerows(result.rejects)
    return result, written
