"""What ``faultkit report`` says about exports it cannot give every figure for.

Two cases: an export without update times (the figures that need a clock are named
and the rest given, :func:`report_undated`), and an export none of whose state labels
maps into the workflow (a usage error that says so and points at the profile,
:func:`no_state_maps`, instead of a report of zeros).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import NoReturn

import attrs
import click

from faultkit.adapters.exports import ExportField, ExportFormat, Preset, open_input, read_event_log
from faultkit.adapters.exports.tabular import Header, read_csv
from faultkit.cli._common import (
    EXIT_OK,
    EXIT_REJECTED,
    ExportOptions,
    emit,
    log_rejects,
    read_by_rows,
    reject_lines,
    reject_summary,
    seekable_input,
    usage_errors,
)
from faultkit.lifecycle import Workflow
from faultkit.metrics import UNDATED_UNAVAILABLE, undated_figures

__all__ = ["has_times", "no_state_maps", "report_undated"]


def no_state_maps(flow: Workflow, examples: Sequence[str]) -> click.UsageError:
    """The usage error of an export whose state labels all miss the workflow's label map."""
    shown = ", ".join(repr(label) for label in list(examples)[:5])
    return click.UsageError(
        f"none of the export's state labels maps into workflow {flow.name!r} ({shown}, ...): "
        "no figure can be given. Map them under [values.state] in a profile "
        "(faultkit profile check PROFILE INPUT lists them) or pick another --workflow"
    )


def has_times(input_path: str, fmt: ExportFormat, layout: Preset, export: ExportOptions) -> bool:
    """Whether the export has an updated-at column: mapped and, in a CSV file, in the header."""
    column = layout.column(ExportField.UPDATED_AT)
    if column is None:
        return False
    if fmt is not ExportFormat.CSV or not seekable_input(input_path):
        return True  # a missing key (JSONL) or column (stdin, a pipe) is reported by the reader
    with (
        usage_errors(input_path, export.encoding),
        open_input(input_path, export.encoding) as source,
    ):
        reader, _ = read_csv(source, export.delimiter)
        header: list[str] = next(reader, [])
        # an empty file has no header to lack a column: the regular report handles it
        return not header or Header(header).find(column) is not None


def report_undated(
    input_path: str, fmt: ExportFormat, layout: Preset, flow: Workflow, export: ExportOptions
) -> NoReturn:
    """Report the figures file order gives, name the ones it cannot, and exit."""
    rejects = log_rejects(export.rejects_path, input_path)
    undated = attrs.evolve(
        layout,
        columns={f: c for f, c in layout.columns.items() if f is not ExportField.UPDATED_AT},
    )
    log = read_by_rows(read_event_log, input_path, fmt, undated, rejects, export.dates(), export)
    figures = undated_figures(log.events, flow)
    if log.events and figures["unknown_labels"] == len(log.events):
        raise no_state_maps(flow, list(dict.fromkeys(label for _i, label, _at in log.events)))
    summary = {
        "command": "report",
        "input": input_path,
        "workflow": flow.name,
        "timed": False,
        "rows_read": log.rows_read,
        "rows_rejected": log.rows_rejected,
        "stopped_early": log.stopped_early,
        "rejects": rejects.path if rejects.count else None,
        "reject_reasons": reject_summary(rejects),
        **figures,
        "unavailable": list(UNDATED_UNAVAILABLE),
    }
    states = ", ".join(f"{n} {category}" for category, n in figures["last_state"].items())
    lines = [
        f"{input_path}: {log.rows_read} rows read, {log.rows_rejected} rejected; "
        f"{figures['faults']} faults (workflow {flow.name})",
        f"  last state: {states or '-'}",
        f"  reopened (file order): {figures['reopened']}",
        "  this export has no updated-at column, so these figures cannot be given: "
        + ", ".join(UNDATED_UNAVAILABLE),
    ]
    if figures["unknown_labels"]:
        lines.append(f"  {figures['unknown_labels']} rows with state labels the workflow lacks")
    lines += reject_lines(rejects, log.rows_rejected)
    emit(summary, lines, as_json=export.as_json, to_stderr=False)
    sys.exit(EXIT_REJECTED if log.rows_rejected else EXIT_OK)
