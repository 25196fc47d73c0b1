"""The counting rules of ``benchmarks/calibrate_duration.py`` (issue 19's calibration figure).

The script is loaded with ``runpy`` (it is a script, not a module of the package).
"""

from __future__ import annotations

import runpy
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from faultkit.scoring import DurationModel, ResolvedFault

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "calibrate_duration.py"
CALIBRATE: dict[str, Any] = runpy.run_path(str(SCRIPT))
H = timedelta(hours=1)
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def incident(
    hours: float | None, *, closed_after: float | None = None, opened: datetime = T0
) -> tuple[str, datetime, datetime | None, datetime | None, dict[str, Any]]:
    resolved = None if hours is None else opened + hours * H
    closed = None if closed_after is None else opened + closed_after * H
    return ("INC1", opened, resolved, closed, {})


@pytest.fixture(scope="module")
def band() -> Any:
    # 10 faults resolved after 1..10 h: P10 = 1 h, P90 = 9 h.
    model = DurationModel([ResolvedFault(duration=h * H) for h in range(1, 11)], keys=())
    p = model.predict({})
    assert (p.p10, p.p90) == (1 * H, 9 * H)
    return p


@pytest.mark.parametrize(
    ("later", "end_hours", "expected"),
    [
        (incident(1), 100, "inside"),  # both ends of the band are inside
        (incident(9), 100, "inside"),
        (incident(0.5), 100, "below"),
        (incident(9.5), 100, "above"),
        (incident(None, closed_after=5), 100, "unscored"),  # closed, never resolved
        (incident(50), 20, "above"),  # open for 20 h at the end, past P90: a certain miss
        (incident(None), 20, "above"),
        (incident(50), 5, "open_in_band"),  # open 5 h: not a miss yet
        (incident(None), 9, "open_in_band"),
        (incident(50), 0.5, "open_below"),  # open 30 min: anything can happen
        (incident(None, closed_after=30), 20, "above"),  # closed after the end: open then
    ],
)
def test_outcome_counts_open_incidents_as_the_docs_say(
    band: Any, later: Any, end_hours: float, expected: str
) -> None:
    assert CALIBRATE["outcome"](band, later, T0 + end_hours * H) == expected


def test_share_leaves_open_incidents_out_and_gives_bounds() -> None:
    counts = Counter(inside=6, below=1, above=1, open_in_band=2, unscored=5)
    text = CALIBRATE["share"](counts)
    assert text.startswith(" 75.0% inside P10-P90 (6/8;")
    assert "still open: 2 in band, 0 below P10, share between 60.0% and 80.0%" in text
    assert "share between" not in CALIBRATE["share"](Counter(inside=1))


def row(state: str, updated: str) -> dict[str, str]:
    return {"incident_state": state, "sys_updated_at": updated}


def test_resolution_read_from_the_rows_is_the_start_of_the_last_resolved_run() -> None:
    rows = [
        row("New", "01-03-2016 09:00"),
        row("Resolved", "01-03-2016 10:00"),
        row("Active", "02-03-2016 08:00"),  # reopened
        row("Resolved", "02-03-2016 11:00"),
        row("Resolved", "02-03-2016 12:00"),  # a field updated, still resolved
        row("Closed", "07-03-2016 12:00"),
    ]
    assert CALIBRATE["resolution_in_log"](rows) == datetime(2016, 3, 2, 11, tzinfo=UTC)
    assert CALIBRATE["resolution_in_log"](rows[:1]) is None


def test_rule_reproduces_resolved_at_on_the_real_sample(servicenow_export: Path) -> None:
    # Source: the shared ServiceNow sample (UCI incident event log, first 5,998 rows).
    # Where resolved_at is given the rule gives it for 844 of 861 incidents; the other
    # 17 are the last row of the same run. 29 incidents lack resolved_at.
    import csv

    rows: dict[str, list[dict[str, str]]] = {}
    with servicenow_export.open(encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            rows.setdefault(r["number"], []).append(r)
    when = CALIBRATE["when"]
    given = {n: when(r[-1]["resolved_at"]) for n, r in rows.items()}
    same = sum(
        CALIBRATE["resolution_in_log"](rows[n]) == t for n, t in given.items() if t is not None
    )
    assert (same, sum(t is not None for t in given.values())) == (844, 861)
    incidents = CALIBRATE["read_incidents"](servicenow_export)
    assert len(incidents) == 890
    assert sum(i[2] is None for i in incidents) == 0  # every incident has a resolution time
    inferred = [i for i in incidents if given[i[0]] is None]
    assert len(inferred) == 29
    assert all(i[2] is not None and i[3] is not None and i[2] < i[3] for i in inferred)
