"""Which figures an export gives: the table of needs, read by hand."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from faultkit.errors import InvalidInputError
from faultkit.metrics import EventRow
from faultkit.metrics.coverage import (
    FIGURE_NEEDS,
    EventFact,
    facts_of,
    figure_coverage,
)
from test_cli_score import run

EVERYTHING = list(EventFact)


def test_a_full_export_gives_every_figure() -> None:
    coverage = figure_coverage(EVERYTHING)
    assert coverage.complete
    assert coverage.given == tuple(FIGURE_NEEDS)
    assert coverage.lines() == []


def test_a_priority_only_export_gives_counts_and_per_priority_figures() -> None:
    coverage = figure_coverage(["priority"])
    assert coverage.given == (
        "faults",
        "open at the end (count)",
        "reopen rate",
        "figures per priority",
    )
    missing = {item.figure: item.needs for item in coverage.missing}
    assert missing["time to resolve"] == (EventFact.UPDATED_AT,)
    assert missing["MTRS, MTBF, MTBSI per component"] == (
        EventFact.UPDATED_AT,
        EventFact.COMPONENT,
    )
    # No caveat about opening times: without any date there is no time figure at all.
    assert coverage.caveats == ()
    (line,) = coverage.lines()
    assert line.startswith("not computed, the export has no component, made_sla, updated_at:")


def test_without_opening_times_the_durations_carry_a_caveat() -> None:
    coverage = figure_coverage(set(EVERYTHING) - {EventFact.OPENED_AT})
    assert not coverage.missing
    assert not coverage.complete
    assert "lower bounds" in coverage.caveats[0]


def test_an_unknown_fact_is_refused_by_name() -> None:
    with pytest.raises(InvalidInputError) as caught:
        figure_coverage(["priority", "due_date"])
    assert isinstance(caught.value, ValueError)
    assert "facts[1]" in str(caught.value)
    assert "due_date" in str(caught.value)


def test_facts_of_rows() -> None:
    at = datetime(2024, 1, 1, tzinfo=UTC)
    rows = [
        EventRow(incident="A", label="New", at=at),
        EventRow(incident="A", label="Active", at=at, priority=3),
    ]
    assert facts_of(rows) == {EventFact.UPDATED_AT, EventFact.PRIORITY}
    assert facts_of([]) == frozenset()


def test_report_states_what_an_export_without_opening_times_cannot_give(
    servicenow_export: Path, tmp_path: Path
) -> None:
    frame = pd.read_csv(servicenow_export, dtype=str, keep_default_na=False).head(300)
    lean = tmp_path / "lean.csv"
    frame.drop(columns=["opened_at", "priority", "category", "made_sla"]).to_csv(lean, index=False)
    result = run("report", str(lean), "--preset", "servicenow", "--dayfirst", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "not computed, the export has no component, made_sla, priority:" in out
    assert "caveat: no opening times" in out
    result = run(
        "report", str(lean), "--preset", "servicenow", "--dayfirst", "--json", cwd=tmp_path
    )
    summary = json.loads(result.stdout)
    assert {item["figure"] for item in summary["not_computed"]} == {
        "response SLA",
        "resolution SLA and its breaches",
        "figures per priority",
        "MTRS, MTBF, MTBSI per component",
        "the export's SLA flag",
    }
    assert summary["overall"]["resolution_sla"]["denominator"] == 0


def test_report_says_when_the_workflow_matches_no_row(
    servicenow_export: Path, tmp_path: Path
) -> None:
    """Never a silent report of 0 faults: a line below the table says so (or, where the
    command refuses such a run as a usage error, the error names the workflow)."""
    args = ["report", str(servicenow_export), "--preset", "servicenow", "--dayfirst"]
    result = run(*args, "--workflow", "procedure", cwd=tmp_path)
    if result.returncode == 2:
        assert b"workflow" in result.stderr
    else:
        out = result.stdout.decode()
        assert "5998 rows with unknown state labels" in out
        assert "is --workflow right?" in out
    assert "is --workflow right?" not in run(*args, cwd=tmp_path).stdout.decode()
