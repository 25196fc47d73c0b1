"""``faultkit score --matrix infer``: learn the instance's matrix from the export first."""

from __future__ import annotations

from typing import Any

import click

from faultkit.adapters.exports import Scorer, get_matrix, open_input
from faultkit.adapters.exports.audit import observe_levels
from faultkit.cli._common import ExportOptions, usage_errors
from faultkit.scoring import InferredMatrix, PriorityMatrix, infer_matrix

__all__ = ["INFER", "inferred_matrix"]

INFER = "infer"
"""The ``--matrix`` value that learns the matrix from the export."""


def inferred_matrix(
    input_path: str, export: ExportOptions
) -> tuple[PriorityMatrix, dict[str, Any], list[str]]:
    """The matrix INPUT's rows follow, its JSON summary and its lines beside the preset's.

    Reads INPUT once (so not standard input) before the scoring run, counting the
    (impact, urgency, source priority) of every row; each cell's priority is the
    majority (:func:`faultkit.scoring.infer_matrix`), cells no row has are the preset's.
    """
    if input_path == "-":
        raise click.UsageError("--matrix infer reads the input twice: give a file, not '-'")
    layout = export.layout()
    preset_matrix = get_matrix(layout.matrix)
    with usage_errors(input_path, export.encoding):
        with open_input(input_path, export.encoding) as source:
            observations, skipped = observe_levels(
                source,
                export.format_of(input_path),
                Scorer(layout, dates=export.dates(), sla=None),
                delimiter=export.delimiter,
            )
        inferred = infer_matrix(observations)
        if not inferred.cells:
            raise click.UsageError(
                "--matrix infer found no row with impact, urgency and priority to learn from"
            )
        matrix = inferred.matrix(preset_matrix, name="inferred")
    return (
        matrix,
        _summary(inferred, preset_matrix, skipped),
        _lines(inferred, matrix, preset_matrix, skipped),
    )


def _summary(inferred: InferredMatrix, preset: PriorityMatrix, skipped: int) -> dict[str, Any]:
    return {
        "rows": inferred.rows,
        "rows_skipped": skipped,
        "preset": preset.name,
        "preset_rows": [[int(c) for c in row] for row in preset.rows],
        "cells": [
            {
                "impact": c.impact,
                "urgency": c.urgency,
                "priority": c.priority,
                "agreeing": c.agreeing,
                "rows": c.rows,
                "counts": {str(k): v for k, v in c.counts.items()},
            }
            for c in inferred.cells
        ],
        "differs_from_preset": [
            {"impact": c.impact, "urgency": c.urgency, "priority": c.priority}
            for c in inferred.differences(preset)
        ],
    }


def _lines(
    inferred: InferredMatrix, matrix: PriorityMatrix, preset: PriorityMatrix, skipped: int
) -> list[str]:
    lines = [
        f"  matrix inferred from {inferred.rows} rows ({skipped} without a readable impact, "
        f"urgency and priority), beside {preset.name}:",
        f"    {'impact x urgency':18}{'inferred (agreeing/rows)':28}{preset.name}",
    ]
    for i, row in enumerate(matrix.rows, start=1):
        for u, value in enumerate(row, start=1):
            cell = inferred.cell(i, u)
            seen = f"{cell.agreeing}/{cell.rows}" if cell is not None else "no rows"
            theirs = (
                str(int(preset.lookup(i, u)))
                if i <= preset.impact_levels and u <= preset.urgency_levels
                else "-"
            )
            mark = "   <- differs" if cell is not None and theirs != str(cell.priority) else ""
            ours = f"{int(value)} ({seen})"
            lines.append(f"    {f'{i} x {u}':18}{ours:28}{theirs}{mark}")
    lines.append(
        "  faultkit_priority uses the inferred matrix; "
        "faultkit_priority_matches_source flags the rows that differ from it"
    )
    return lines
