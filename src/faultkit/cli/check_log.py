"""``faultkit check-log``: check an event log against a workflow, list every illegal transition.

The columnar engine reads a CSV file when pyarrow is installed
(:func:`faultkit.cli.arrow_engine.check_log_with_arrow`), else the row engine
(:func:`faultkit.adapters.exports.read_event_log`); both give the same report.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

import click

from faultkit.adapters.exports import ExportFormat, read_event_log
from faultkit.cli._common import (
    EXIT_OK,
    EXIT_REJECTED,
    ExportOptions,
    absent_columns,
    absent_lines,
    date_order_lines,
    emit,
    export_options,
    input_argument,
    log_rejects,
    read_by_rows,
    refuse_empty_csv,
    reject_lines,
    reject_summary,
    seekable_input,
    workflow_option,
)
from faultkit.cli._guard import CONTEXT_SETTINGS
from faultkit.cli.arrow_engine import LOG_ENGINES, check_log_with_arrow, choose_arrow
from faultkit.lifecycle.eventlog import ViolationKind, validate_event_log

__all__ = ["SHOWN_VIOLATIONS", "check_log"]

SHOWN_VIOLATIONS = 20
"""How many violations ``check-log`` lists on screen without ``--all``."""


@click.command(
    "check-log",
    context_settings=CONTEXT_SETTINGS,
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
    refuse_empty_csv(input_path, fmt)
    layout = export.layout()
    dates = export.dates()
    flow = export.workflow(workflow)
    rejects = log_rejects(export.rejects_path, input_path)
    checked = None
    if choose_arrow(
        engine,
        csv_file=fmt is ExportFormat.CSV and seekable_input(input_path),
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
        log = read_by_rows(read_event_log, input_path, fmt, layout, rejects, dates, export)
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
        "missing_columns": absent_columns(input_path, fmt, export),
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
    lines += absent_lines(summary["missing_columns"])
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
