"""``faultkit score``: score each row of an export (priority, match, severity, SLA).

The engines: the columnar one (:mod:`faultkit.cli.arrow_engine`, the default with
pyarrow), the row engine (:func:`faultkit.adapters.exports.score_csv`, also the
fallback) and Dask (:mod:`faultkit.cli.dask_engine`). See :mod:`faultkit.cli.main` for
the exit statuses and the rules on files.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from faultkit.adapters.exports import (
    ExportFormat,
    RejectsFile,
    Scorer,
    ScoreSummary,
    default_rejects_path,
    get_matrix,
    open_input,
    score_csv,
    score_jsonl,
)
from faultkit.adapters.exports.presets import MATRICES
from faultkit.adapters.files import AtomicWriter
from faultkit.cli._common import (
    EXIT_OK,
    EXIT_REJECTED,
    ExportOptions,
    absent_columns,
    absent_lines,
    check_date_order,
    check_input_file,
    dask_options,
    date_order_lines,
    emit,
    export_options,
    input_size,
    progress_bar,
    refuse_empty_csv,
    refuse_overwrite,
    reject_lines,
    reject_summary,
    seekable_input,
    usage_errors,
)
from faultkit.cli._guard import CONTEXT_SETTINGS
from faultkit.cli.arrow_engine import SCORE_ENGINES, choose_arrow, score_with_arrow
from faultkit.cli.dask_engine import score_with_dask
from faultkit.cli.infer import INFER, inferred_matrix
from faultkit.lifecycle.sla import DEFAULT_SLA_POLICY
from faultkit.scoring import PriorityMatrix

__all__ = ["score"]


def _default_output(input_path: str, export_format: ExportFormat) -> str:
    if input_path == "-":
        return "-"
    return f"{Path(input_path).stem}.scored.{export_format.value}"


@click.command(
    context_settings=CONTEXT_SETTINGS,
    epilog="""\b
Examples:
  faultkit score incidents.csv --preset servicenow --dayfirst
  faultkit score incidents.csv --preset servicenow --dayfirst -o scored.csv --json
  faultkit score - --format jsonl --preset generic < export.jsonl > scored.jsonl
  faultkit score jira.csv --preset jira --map impact="Custom field (Business impact)"
  faultkit score incidents.csv --excel-safe --rejects bad-rows.csv --max-errors 100
  faultkit score exports/ --engine dask --workers 4 -o scored/ --preset servicenow --dayfirst
""",
)
@click.argument("input_path", metavar="INPUT", type=click.Path(allow_dash=True))
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    help="Where scored rows go ('-' for stdout); "
    "by default INPUT's name + .scored in the current directory (stdout for stdin).",
)
@export_options
@click.option(
    "--matrix",
    type=click.Choice([*sorted(MATRICES), INFER]),
    help="Priority matrix; by default the profile's (servicenow-no-planning for servicenow; "
    "servicenow is ServiceNow's out-of-box one). infer: learn it from INPUT's own "
    "priorities (the majority of each impact x urgency cell) and flag the rows that differ.",
)
@click.option("--excel-safe", is_flag=True, help="Prefix cells starting with = + - @ tab CR by '.")
@click.option("--no-sla", is_flag=True, help="Leave out the faultkit_sla_* columns.")
@dask_options(
    "auto: arrow when pyarrow is installed, else row. arrow: read, score and write a CSV "
    "file in Arrow record batches (needs pyarrow; the row engine's output, byte for byte; "
    "a file it cannot promise that for is scored by the row engine). row: stream one file "
    "in this process, a row at a time. dask: score a CSV file, a directory "
    "or a glob of them in parallel, one file per task (needs faultkit[dask]); -o is a "
    "directory.",
    engines=SCORE_ENGINES,
    default="auto",
)
def score(
    input_path: str,
    output: str | None,
    export: ExportOptions,
    matrix: str | None,
    excel_safe: bool,
    no_sla: bool,
    engine: str,
    workers: int,
    scheduler: str | None,
) -> None:
    """Score each row of an export: priority, match with the source, severity, SLA.

    Every row of INPUT (CSV or JSON Lines; '-' for stdin) is written back with its
    own columns and faultkit_priority (1 = most urgent),
    faultkit_priority_matches_source (true / false / empty without a source
    priority), faultkit_severity (when the export has impact facts) and
    faultkit_sla_due / faultkit_sla_breached (when it has opening times). A row
    with a bad value is written to the rejects file instead, with its line, column,
    value and reason: rows read = rows written + rows rejected.

    With --engine dask, INPUT may be a directory or a glob of CSV files: each is
    scored by the columnar batch scorer on a Dask cluster (same values and rejects)
    into OUTPUT/<name>.scored.csv; rejects carry the file and data row number.
    """
    inferred: tuple[dict[str, Any], list[str]] = ({}, [])
    chosen: PriorityMatrix | None = None
    if matrix == INFER:
        if engine == "dask":
            raise click.UsageError("--matrix infer works with --engine row only")
        chosen, inferred_json, inferred_lines = inferred_matrix(input_path, export)
        inferred = (inferred_json, inferred_lines)
    elif matrix:
        chosen = get_matrix(matrix)

    def new_scorer() -> Scorer:
        return Scorer(
            export.layout(),
            matrix=chosen,
            dates=export.dates(),
            sla=None if no_sla else DEFAULT_SLA_POLICY,
        )

    scorer = new_scorer()
    if engine == "dask":
        if export.strict_dates:
            raise click.UsageError("--strict-dates needs --engine row")
        export.check_dask()
        summary, report_dict, lines = score_with_dask(
            input_path,
            output=output,
            rejects_path=export.rejects_path,
            scorer=scorer,
            workers=workers,
            scheduler=scheduler,
            export_format=export.given_format(),
            excel_safe=excel_safe,
            max_errors=export.max_errors,
        )
        emit(report_dict, lines, as_json=export.as_json, to_stderr=False)
        sys.exit(EXIT_REJECTED if summary.rows_rejected else EXIT_OK)
    check_input_file(input_path)
    fmt = export.format_of(input_path)
    refuse_empty_csv(input_path, fmt)
    out_path = output or _default_output(input_path, fmt)
    rejects_path = export.rejects_path or default_rejects_path(out_path, input_path)
    refuse_overwrite(input_path, {"--output": out_path, "--rejects": rejects_path})
    use_arrow = choose_arrow(
        engine,
        csv_file=fmt is ExportFormat.CSV and seekable_input(input_path) and out_path != "-",
        plain=not excel_safe and export.max_errors is None and matrix != INFER,
    )
    if use_arrow:
        scored = score_with_arrow(
            input_path, out_path, rejects_path, scorer, export, input_size(input_path)
        )
        if scored is not None:
            _finish_score(scored[0], scorer, input_path, out_path, scored[1], scored[2], export)
            return
        scorer = new_scorer()  # fresh caches and date counts for the row engine
    rejects = RejectsFile(rejects_path, excel_safe=excel_safe and fmt is ExportFormat.CSV)
    with (
        usage_errors(input_path, export.encoding),
        open_input(input_path, export.encoding) as source,
        AtomicWriter(out_path) as sink,
        rejects,
        progress_bar(export.progress, input_size(input_path), "scoring") as tick,
    ):
        if fmt is ExportFormat.CSV:
            summary = score_csv(
                source,
                sink.text,
                rejects,
                scorer,
                excel_safe=excel_safe,
                max_errors=export.max_errors,
                progress=tick,
                delimiter=export.delimiter,
            )
        else:
            summary = score_jsonl(
                source, sink.text, rejects, scorer, max_errors=export.max_errors, progress=tick
            )
        check_date_order(scorer.dates, export.strict_dates)
        if summary.rows_rejected and not summary.rows_written and out_path != "-":
            sink.discard()  # every row rejected: a good earlier output is not replaced
    _finish_score(summary, scorer, input_path, out_path, rejects, sink.committed, export, inferred)


def _finish_score(
    summary: ScoreSummary,
    scorer: Scorer,
    input_path: str,
    out_path: str,
    rejects: RejectsFile,
    written: bool,
    export: ExportOptions,
    inferred: tuple[dict[str, Any], list[str]] = ({}, []),
) -> None:
    """Print the summary of a score run and exit with its status (whichever engine ran)."""
    report = _score_report(summary, input_path, out_path, rejects, written)
    lines = _score_lines(summary, input_path, out_path, rejects, written)
    lines += date_order_lines(scorer.dates)
    report["date_order_contradictions"] = scorer.dates.contradictions
    absent = absent_columns(input_path, export.format_of(input_path), export)
    report["missing_columns"] = absent
    lines += absent_lines(absent)
    if inferred[0]:
        report["matrix_inferred"] = inferred[0]
    lines += inferred[1]
    emit(report, lines, as_json=export.as_json, to_stderr=out_path == "-")
    sys.exit(EXIT_REJECTED if summary.rows_rejected else EXIT_OK)


def _score_report(
    summary: ScoreSummary, input_path: str, out_path: str, rejects: RejectsFile, written: bool
) -> dict[str, Any]:
    return {
        "command": "score",
        "input": input_path,
        "output": out_path,
        "output_written": written,
        "rejects": rejects.path if rejects.count else None,
        **summary.to_dict(),
        "reject_reasons": reject_summary(rejects),
    }


def _score_lines(
    summary: ScoreSummary, input_path: str, out_path: str, rejects: RejectsFile, written: bool
) -> list[str]:
    target = "stdout" if out_path == "-" else out_path
    if written:
        where = f"written to {target}"
    else:
        where = f"{target} not written: every row was rejected, an existing file is left as it was"
    lines = [
        f"{input_path}: {summary.rows_read} rows read, {summary.rows_written} scored "
        f"({where}), {summary.rows_rejected} rejected",
    ]
    lines += [
        f"  priority {number}: {count} rows" for number, count in sorted(summary.priorities.items())
    ]
    lines.append(f"  {summary.mismatches} rows where the source priority differs")
    if "faultkit_sla_breached" in summary.columns_added:
        lines.append(f"  {summary.sla_breaches} rows resolved after their SLA due time")
    lines += reject_lines(rejects, summary.rows_rejected)
    if summary.stopped_early:
        lines.append(f"  stopped after {rejects.count} rejected rows (--max-errors)")
    return lines
