"""Priority recomputed on a real ServiceNow export matches the exported priority.

The export is ``shared/data/servicenow_incident_event_log_sample.csv`` (beside the
repository): 5,998 rows of the UCI "Incident management process enriched event log"
(Amaral, Fantinato, Reijers, Peres, 2018; CC BY 4.0). ``?`` marks a missing value;
impact / urgency are ``1 - High`` ... ``3 - Low``, priority ``1 - Critical`` ...
``4 - Low``.

What the data shows (pinned below):

- The instance has no ``5 - Planning``: every row with impact 3 and urgency 3 says
  ``4 - Low``. Those 401 rows are the only ones where ServiceNow's default matrix
  differs from the export.
- With the instance's own matrix (the default with 3 x 3 -> 4,
  ``SERVICENOW_MATRIX_NO_PLANNING``) every one of the 5,998 rows matches: no row of
  this sample was overridden by hand.
- ``u_priority_confirmation`` does not mark overrides: it is ``TRUE`` on 457 rows,
  spread over every impact x urgency cell, and on none of them does the priority
  differ from the instance matrix. Where a priority changes within an incident (39 of
  the 890 incidents), its impact or urgency changed with it.
"""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from pathlib import Path

import pytest

from faultkit.scoring import (
    SERVICENOW_MATRIX,
    SERVICENOW_MATRIX_NO_PLANNING,
    PriorityMatrix,
    coded_level,
    priority,
)

Row = dict[str, str]


@pytest.fixture(scope="module")
def rows(servicenow_export: Path) -> list[Row]:
    with servicenow_export.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def differing(rows: list[Row], matrix: PriorityMatrix) -> list[tuple[int, Row, int]]:
    """(line, row, recomputed priority) of every row whose exported priority differs."""
    out = []
    for line, row in enumerate(rows, start=2):
        computed = priority(
            coded_level(row["impact"], field="impact"),
            coded_level(row["urgency"], field="urgency"),
            matrix,
        )
        if coded_level(row["priority"], field="priority") != computed:
            out.append((line, row, computed.value))
    return out


def test_export_shape(rows: list[Row]) -> None:
    assert len(rows) == 5998
    assert len({r["number"] for r in rows}) == 890
    assert not [r for r in rows for c in ("impact", "urgency", "priority") if r[c] in ("?", "")]
    assert {r["priority"] for r in rows} == {"1 - Critical", "2 - High", "3 - Moderate", "4 - Low"}


def test_instance_matrix_matches_every_row(rows: list[Row]) -> None:
    assert differing(rows, SERVICENOW_MATRIX_NO_PLANNING) == []


def test_default_matrix_differs_only_where_the_instance_lacks_planning(rows: list[Row]) -> None:
    diff = differing(rows, SERVICENOW_MATRIX)
    assert len(diff) == 401
    assert {(r["impact"], r["urgency"], r["priority"], p) for _, r, p in diff} == {
        ("3 - Low", "3 - Low", "4 - Low", 5)
    }


def test_priority_confirmation_does_not_mark_overrides(rows: list[Row]) -> None:
    confirmed = [r for r in rows if r["u_priority_confirmation"] == "TRUE"]
    assert len(confirmed) == 457
    assert Counter(r["u_priority_confirmation"] for r in rows) == {"FALSE": 5541, "TRUE": 457}
    assert len({(r["impact"], r["urgency"]) for r in confirmed}) == 8  # every cell seen
    assert differing(confirmed, SERVICENOW_MATRIX_NO_PLANNING) == []


def test_priority_changes_come_with_impact_or_urgency_changes(rows: list[Row]) -> None:
    by_incident: dict[str, list[Row]] = {}
    for row in rows:
        by_incident.setdefault(row["number"], []).append(row)
    changed = 0
    for incident_rows in by_incident.values():
        for before, after in itertools.pairwise(incident_rows):
            if before["priority"] != after["priority"]:
                changed += 1
                assert (before["impact"], before["urgency"]) != (after["impact"], after["urgency"])
    assert changed > 0
    incidents_changed = sum(
        len({r["priority"] for r in incident_rows}) > 1 for incident_rows in by_incident.values()
    )
    assert incidents_changed == 39
