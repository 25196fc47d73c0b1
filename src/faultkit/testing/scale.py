"""Generated exports for scale tests and benchmarks: ServiceNow-shaped, seeded, with bad rows.

:func:`generated_export` writes the columns of the ``servicenow`` preset the scorer reads
(plus an id, a state and a category), several rows per incident as in a real event log,
with a chosen share of bad cells (unknown labels, impossible dates) so that rejects are
exercised too. Pure Python and deterministic for a seed: no extra needed.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TextIO

__all__ = ["EXPORT_COLUMNS", "generated_export", "generated_rows", "write_generated_csv"]

EXPORT_COLUMNS = (
    "number",
    "incident_state",
    "category",
    "opened_at",
    "impact",
    "urgency",
    "priority",
    "resolved_at",
)
"""The columns of a generated export, in order (``servicenow`` preset names)."""

_LEVELS = ("1 - High", "2 - Medium", "3 - Low")
_PRIORITIES = ("1 - Critical", "2 - High", "3 - Moderate", "4 - Low")
_MATRIX = ((1, 2, 3), (2, 3, 4), (3, 4, 4))  # ServiceNow without Planning
_STATES = ("New", "Active", "Awaiting User Info", "Resolved", "Closed")
_BAD_LEVELS = ("?", "", "9 - Nine", "High-ish")
_BAD_DATES = ("31-02-2016 10:00", "someday")
_START = datetime(2016, 2, 29, 1, 16)


def generated_rows(rows: int, *, seed: int = 0, bad_share: float = 0.0) -> Iterator[list[str]]:
    """``rows`` data rows (no header) of a ServiceNow-like event log, cells as text.

    Args:
        rows: how many rows.
        seed: the random seed (same seed, same rows).
        bad_share: the share of rows (0..1) given one bad cell: a missing or unknown
            impact/urgency label, or an impossible opened-at date.
    """
    rng = random.Random(seed)
    produced = 0
    incident = 0
    while produced < rows:
        incident += 1
        impact = rng.randrange(3)
        urgency = rng.randrange(3)
        computed = _MATRIX[impact][urgency]
        source = computed if rng.random() > 0.05 else rng.randrange(1, 5)
        opened = _START + timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
        resolved = opened + timedelta(minutes=rng.randrange(5, 60 * 24 * 12))
        updates = rng.randrange(1, 8)
        category = f"Category {rng.randrange(1, 60)}"
        for update in range(updates):
            if produced == rows:
                break
            last = update == updates - 1
            row = [
                f"INC{incident:07d}",
                _STATES[min(update, 2)] if not last else rng.choice(_STATES[3:]),
                category,
                opened.strftime("%d-%m-%Y %H:%M"),
                _LEVELS[impact],
                _LEVELS[urgency],
                _PRIORITIES[source - 1],
                resolved.strftime("%d-%m-%Y %H:%M") if last else "?",
            ]
            if bad_share and rng.random() < bad_share:
                spot = rng.randrange(3)
                if spot == 2:
                    row[3] = rng.choice(_BAD_DATES)
                else:
                    row[4 + spot] = rng.choice(_BAD_LEVELS)
            produced += 1
            yield row


def generated_export(rows: int, *, seed: int = 0, bad_share: float = 0.0) -> dict[str, list[str]]:
    """:func:`generated_rows` as columns: ``{column name: cells}`` (see :data:`EXPORT_COLUMNS`)."""
    columns: dict[str, list[str]] = {name: [] for name in EXPORT_COLUMNS}
    lists = list(columns.values())
    for row in generated_rows(rows, seed=seed, bad_share=bad_share):
        for cells, cell in zip(lists, row, strict=True):
            cells.append(cell)
    return columns


def write_generated_csv(sink: TextIO, rows: int, *, seed: int = 0, bad_share: float = 0.0) -> None:
    """Write a generated export as CSV (header first) to ``sink``, opened with ``newline=""``."""
    writer = csv.writer(sink)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(generated_rows(rows, seed=seed, bad_share=bad_share))
