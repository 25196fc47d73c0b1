"""The ``faultkit`` command: score exports, check event logs, report metrics, draw workflows.

Exit status: 0 when every row was good, 1 when rows were rejected or violations were
found, 2 for usage errors (bad options, an input the preset does not fit, an output
that is the input), 3 when a file cannot be read or written, 4 for an internal error
(a bug), 130 when interrupted (Ctrl-C), 143 on SIGTERM; see :mod:`faultkit.cli._guard`.

Every file written goes through :class:`faultkit.adapters.files.AtomicWriter`: a
temporary file renamed into place when the run ends well, so a failure of any kind
leaves an existing file as it was. A run that rejects every row does not replace an
existing output (its summary says so); a run that rejects none removes a stale
rejects file it finds at its rejects path, when faultkit wrote that file.
"""

from __future__ import annotations

import sys
from collections import Counter
from importlib.resources import files
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
    read_event_log,
    score_csv,
    score_jsonl,
)
from faultkit.adapters.exports.presets import MATRICES
from faultkit.adapters.files import AtomicWriter, write_atomically
from faultkit.cli._common import (
    EXIT_OK,
    EXIT_REJECTED,
    ExportOptions,
    check_date_order,
    check_input_file,
    dask_options,
    date_order_lines,
    emit,
    export_options,
    input_argument,
    input_size,
    log_rejects,
    progress_bar,
    refuse_overwrite,
    reject_lines,
    reject_summary,
    usage_errors,
    workflow_option,
)
from faultkit.cli._guard import GuardedGroup
from faultkit.cli.arrow_engine import (
    LOG_ENGINES,
    SCORE_ENGINES,
    check_log_with_arrow,
    choose_arrow,
    score_with_arrow,
)
from faultkit.cli.dask_engine import score_with_dask
from faultkit.cli.diagram import diagram
from faultkit.cli.infer import INFER, inferred_matrix
from faultkit.cli.profile import profile
from faultkit.cli.report import report
from faultkit.lifecycle.eventlog import ViolationKind, validate_event_log
from faultkit.lifecycle.sla import DEFAULT_SLA_POLICY
from faultkit.scoring import PriorityMatrix

__all__ = ["main"]

SHOWN_VIOLATIONS = 20
"""How many violations ``check-log`` lists on screen without ``--all``."""


EXAMPLE_NAME = "servicenow_incidents_sample.csv"
_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=GuardedGroup, context_settings=_CONTEXT)
@click.version_option(package_name="faultkit", prog_name="faultkit")
def main() -> None:
    """Score incident exports, check event logs, report metrics and draw workflows.

    \b
    Try it on the bundled sample (real ServiceNow data, CC BY 4.0):
      faultkit example
      faultkit score servicenow_incidents_sample.csv --preset servicenow --dayfirst
      faultkit check-log servicenow_incidents_sample.csv --preset servicenow --dayfirst
      faultkit report servicenow_incidents_sample.csv --preset servicenow --dayfirst

    \b
    Exit status: 0 all rows good, 1 rows rejected or violations found, 2 usage
    error, 3 a file could not be read or written, 4 internal error (a bug), 130
    interrupted (Ctrl-C), 143 terminated (SIGTERM). On any failure the files
    faultkit writes are left as they were: outputs are renamed into place only when
    the run ends.
    """


def _default_output(input_path: str, export_format: ExportFormat) -> str:
    if input_path == "-":
        return "-"
    return f"{Path(input_path).stem}.scored.{export_format.value}"


@main.command(
    context_settings=_CONTEXT,
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
    out_path = output or _default_output(input_path, fmt)
    rejects_path = export.rejects_path or default_rejects_path(out_path, input_path)
    refuse_overwrite(input_path, {"--output": out_path, "--rejects": rejects_path})
    use_arrow = choose_arrow(
        engine,
        csv_file=fmt is ExportFormat.CSV and "-" not in (input_path, out_path),
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


@main.command(
    "check-log",
    context_settings=_CONTEXT,
    epilog="""\b
Examples:
  faultkit check-log incidents.csv --preset servicenow --workflow itil --dayfirst
  faultkit check-log incidents.csv --preset servicenow --dayfirst --json
  faultkit check-log events.jsonl --check-start --check-order
""",
)
@input_argument
@workflow_option("The workflow the log must follow.", from_profile=True)
@export_options
@click.option("--check-start", is_flag=True, help="Also report incidents not starting in New.")
@click.option("--check-order", is_flag=True, help="Also report rows timestamped out of order.")
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help=f"List every violation on screen, not only the first {SHOWN_VIOLATIONS} "
    "(--json always lists every one).",
)
@click.option(
    "--engine",
    type=click.Choice(LOG_ENGINES),
    default="auto",
    show_default=True,
    help="auto: the columnar (Arrow) engine for a CSV file when pyarrow is installed, "
    "else the row engine; both give the same report.",
)
def check_log(
    input_path: str,
    workflow: str | None,
    export: ExportOptions,
    check_start: bool,
    check_order: bool,
    show_all: bool,
    engine: str,
) -> None:
    """Check an event log against a workflow and list every illegal transition.

    INPUT has one row per update of an incident (id, state label, update time; the
    preset says which columns). Consecutive rows in the same state are one state;
    each change of state must be a transition of the workflow. Rows without id,
    state or a readable time go to the rejects file (default: INPUT's name +
    .rejects.csv in the current directory). The screen shows a summary and the first
    violations, each at its line in INPUT.
    """
    fmt = export.format_of(input_path)
    layout = export.layout()
    dates = export.dates()
    flow = export.workflow(workflow)
    rejects = log_rejects(export.rejects_path, input_path)
    checked = None
    if choose_arrow(
        engine,
        csv_file=fmt is ExportFormat.CSV and input_path != "-",
        plain=True,
        needs="reads a CSV file (not standard input or JSON Lines)",
    ):
        checked = check_log_with_arrow(
            input_path, export, flow, dates, check_start=check_start, check_order=check_order
        )
        if checked is None:
            dates = export.dates()  # fresh day-order counts for the row engine
    if checked is not None:
        with rejects:  # nothing rejected: removes a stale rejects file, as the row engine does
            pass
        report = checked.report
        lines_of, rows_read, rows_rejected = checked.lines, checked.rows_read, 0
        stopped_early, timed = False, checked.timed
    else:
        with (
            usage_errors(input_path, export.encoding),
            open_input(input_path, export.encoding) as source,
            rejects,
            progress_bar(export.progress, input_size(input_path), "reading") as tick,
        ):
            log = read_event_log(
                source,
                fmt,
                layout,
                rejects,
                dates=dates,
                max_errors=export.max_errors,
                progress=tick,
                delimiter=export.delimiter,
            )
            check_date_order(dates, export.strict_dates)
        report = None
        lines_of, rows_read, rows_rejected = log.lines, log.rows_read, log.rows_rejected
        stopped_early, timed = log.stopped_early, log.timed
    if check_order and not timed:
        raise click.UsageError(
            "--check-order needs an updated-at column; this export has none "
            "(map one with --map updated_at=COLUMN or in the profile's [columns])"
        )
    if report is None:
        report = validate_event_log(
            log.events, flow, check_start=check_start, check_order=check_order
        )
    violations: list[dict[str, Any]] = [
        {
            "kind": str(item.kind),
            "incident": item.incident,
            "line": lines_of[item.row],
            "step": item.step,
            "from_label": item.from_label,
            "to_label": item.label,
            "from_state": item.from_state,
            "to_state": item.to_state,
            "at": None if item.at is None else item.at.isoformat(),
        }
        for item in report.violations
    ]
    summary = {
        "command": "check-log",
        "input": input_path,
        "workflow": flow.name,
        "rows_read": rows_read,
        "rows_rejected": rows_rejected,
        "events": report.events,
        "incidents": report.incidents,
        "transitions": report.transitions,
        "illegal_transitions": len(report.illegal_transitions),
        "stopped_early": stopped_early,
        "timed": timed,
        "rejects": rejects.path if rejects.count else None,
        "reject_reasons": reject_summary(rejects),
        "date_order_contradictions": dates.contradictions,
        "violations": violations,
    }
    by_kind = Counter(v["kind"] for v in violations)
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(by_kind.items()))
    lines = [
        f"{input_path}: {rows_read} rows read, {report.events} events of "
        f"{report.incidents} incidents, {report.transitions} transitions, "
        f"{rows_rejected} rows rejected",
        f"  {len(report.illegal_transitions)} illegal transitions against workflow "
        f"{flow.name}; {len(violations)} violations in all" + (f" ({kinds})" if kinds else ""),
    ]
    if report.events and len(report.of_kind(ViolationKind.UNKNOWN_LABEL)) == report.events:
        lines.append(
            f"  none of the export's state labels maps into workflow {flow.name!r}: map them "
            "under [values.state] in a profile (faultkit profile check PROFILE INPUT) "
            "or pick another --workflow"
        )
    if not timed:
        lines.append(
            "  no updated-at column: transitions were checked in file order; "
            "times and the order check (--check-order) cannot be given"
        )
    shown = violations if show_all else violations[:SHOWN_VIOLATIONS]
    lines += [_violation_line(v) for v in shown]
    if len(shown) < len(violations):
        lines.append(
            f"  ... {len(violations) - len(shown)} more violations: --all lists every one, "
            "--json gives them all"
        )
    lines += reject_lines(rejects, rows_rejected)
    lines += date_order_lines(dates)
    emit(summary, lines, as_json=export.as_json, to_stderr=False)
    bad = rows_rejected or report.violations
    sys.exit(EXIT_REJECTED if bad else EXIT_OK)


def _violation_line(violation: dict[str, Any]) -> str:
    """One violation at its line in the input: incident, kind, labels (states), time."""

    def state(label: str | None, name: str | None) -> str:
        if label is None:
            return "(start)"
        return label if name is None or name == label else f"{label} ({name})"

    head = f"  line {violation['line']}: {violation['incident']}: {violation['kind']}: "
    at = f" at {violation['at']}" if violation["at"] is not None else ""  # an undated log
    if violation["to_state"] is None:  # an unknown label: no transition to show
        return f"{head}{violation['to_label']!r} is no state of the workflow{at}"
    return (
        f"{head}{state(violation['from_label'], violation['from_state'])} -> "
        f"{state(violation['to_label'], violation['to_state'])}{at}"
    )


@main.command(
    context_settings=_CONTEXT,
    epilog="""\b
Examples:
  faultkit example
  faultkit example incidents.csv
  faultkit example - | head
""",
)
@click.argument("dest", default=EXAMPLE_NAME, metavar="[DEST]")
@click.option("--force", is_flag=True, help="Overwrite DEST if it holds something else.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def example(dest: str, force: bool, as_json: bool) -> None:
    """Write the bundled example export (real ServiceNow data) to DEST.

    The sample is the first 50 incidents (308 rows) of the "Incident management
    process enriched event log", UCI Machine Learning Repository (Amaral, Fantinato,
    Reijers, Peres, 2018), licensed CC BY 4.0. DEST defaults to
    servicenow_incidents_sample.csv in the current directory; '-' writes to stdout.
    """
    data = files("faultkit").joinpath("data", EXAMPLE_NAME).read_bytes()
    rows = data.count(b"\n") - 1
    if dest == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    target = Path(dest)
    if target.exists() and not force and target.read_bytes() != data:
        raise click.UsageError(f"{dest} exists and differs from the example; pass --force")
    write_atomically(dest, data)
    summary = {
        "command": "example",
        "output": dest,
        "rows": rows,
        "source": "Incident management process enriched event log, UCI Machine Learning "
        "Repository (Amaral, Fantinato, Reijers, Peres, 2018)",
        "licence": "CC BY 4.0",
    }
    lines = [
        f"wrote {dest}: {rows} rows of a real ServiceNow incident event log",
        f"  source: {summary['source']}; licence: {summary['licence']}",
        f"  next: faultkit score {dest} --preset servicenow --dayfirst",
    ]
    emit(summary, lines, as_json=as_json, to_stderr=False)


main.add_command(report)
main.add_command(diagram)
main.add_command(profile)
