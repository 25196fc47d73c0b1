"""``faultkit score`` and ``faultkit check-log`` on the real ServiceNow export.

The export is ``shared/data/servicenow_incident_event_log_sample.csv`` beside the
repository: 5,998 rows, 890 incidents of the UCI "Incident management process enriched
event log" (Amaral, Fantinato, Reijers, Peres, 2018; CC BY 4.0).

What is pinned here (the scoring helper's analysis, ``tests/test_scoring_servicenow.py``):
the instance has no *5 - Planning*, so with its matrix every exported priority follows
impact x urgency; no row was overridden by hand, and ``u_priority_confirmation`` does
not mark overrides. So ``faultkit score --preset servicenow --dayfirst`` must mark no
row as not matching; rows whose priority *is* changed by hand (in a copy) must be
exactly the ones marked ``false``; and ServiceNow's default matrix (with Planning)
must disagree on exactly the 401 impact 3 x urgency 3 rows.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from test_cli_score import rows_of, run


@pytest.fixture(scope="module")
def export(servicenow_export: Path) -> Path:
    return servicenow_export


@pytest.fixture(scope="module")
def source_rows(export: Path) -> list[dict[str, str]]:
    with export.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def scored(export: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("scored") / "scored.csv"
    result = run(
        "score", str(export), "--preset", "servicenow", "--dayfirst", "-o", str(out), "--json"
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), out


def test_every_row_is_scored(scored: tuple[dict, Path], source_rows: list[dict[str, str]]) -> None:
    summary, out = scored
    assert summary["rows_read"] == summary["rows_written"] == len(source_rows) == 5998
    assert summary["rows_rejected"] == 0
    rows = rows_of(out)
    assert len(rows) == 5998
    assert all(row["faultkit_priority"] in {"1", "2", "3", "4"} for row in rows)
    assert all(row["faultkit_sla_due"] for row in rows)  # every row has an opened_at


def test_no_row_is_marked_as_overridden(scored: tuple[dict, Path]) -> None:
    summary, out = scored
    assert summary["priority_mismatches"] == 0
    assert {row["faultkit_priority_matches_source"] for row in rows_of(out)} == {"true"}


def test_rows_overridden_by_hand_are_exactly_the_ones_marked(
    source_rows: list[dict[str, str]], tmp_path: Path
) -> None:
    changed = {}
    rows = [dict(row) for row in source_rows]
    for index in range(7, len(rows), 613):  # ten rows spread over the file
        level = int(rows[index]["priority"][0])
        rows[index]["priority"] = {1: "2 - High", 2: "1 - Critical"}.get(level, "1 - Critical")
        changed[index] = rows[index]["number"]
    copy = tmp_path / "overridden.csv"
    with copy.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "out.csv"
    result = run(
        "score",
        str(copy),
        "--preset",
        "servicenow",
        "--dayfirst",
        "-o",
        str(out),
        "--no-sla",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["priority_mismatches"] == len(changed) == 10
    marked = {
        i
        for i, row in enumerate(rows_of(out))
        if row["faultkit_priority_matches_source"] == "false"
    }
    assert marked == set(changed)


def test_default_matrix_disagrees_only_where_the_instance_lacks_planning(
    export: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    result = run(
        "score",
        str(export),
        "--preset",
        "servicenow",
        "--dayfirst",
        "--matrix",
        "servicenow",
        "--no-sla",
        "-o",
        str(out),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["priority_mismatches"] == 401
    differing = {
        (row["impact"], row["urgency"], row["priority"], row["faultkit_priority"])
        for row in rows_of(out)
        if row["faultkit_priority_matches_source"] == "false"
    }
    assert differing == {("3 - Low", "3 - Low", "4 - Low", "5")}


def test_without_dayfirst_the_dates_are_refused_not_guessed(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run(
        "score",
        str(export),
        "--preset",
        "servicenow",
        "-o",
        str(out),
        "--json",
        "--max-errors",
        "3",
    )
    assert result.returncode == 1
    summary = json.loads(result.stdout)
    assert summary["rows_rejected"] == 3
    rejects = rows_of(tmp_path / "out.rejects.csv")
    assert all(r["column"] == "opened_at" and "ambiguous" in r["reason"] for r in rejects)


def test_check_log_finds_no_illegal_transition(export: Path, tmp_path: Path) -> None:
    result = run(
        "check-log",
        str(export),
        "--preset",
        "servicenow",
        "--workflow",
        "itil",
        "--dayfirst",
        "--json",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["incidents"] == 890
    assert summary["events"] == summary["rows_read"] == 5998
    assert summary["rows_rejected"] == 0
    assert summary["illegal_transitions"] == 0
    assert summary["violations"] == []
    assert summary["transitions"] > 890


def test_check_log_lists_each_illegal_transition_with_incident_and_line(
    source_rows: list[dict[str, str]], tmp_path: Path
) -> None:
    rows = [dict(row) for row in source_rows[:40]]
    first = rows[0]["number"]
    end = max(i for i, row in enumerate(rows) if row["number"] == first)
    reopened = dict(rows[end], incident_state="New", sys_updated_at="31-12-2016 23:59")
    rows.insert(end + 1, reopened)  # Closed -> New: the itil workflow has no such move
    rows.insert(3, dict(rows[3], incident_state="Teleported"))
    rows.insert(5, dict(rows[5], sys_updated_at="31-02-2016 10:00"))
    log = tmp_path / "log.csv"
    with log.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = run(
        "check-log", str(log), "--preset", "servicenow", "--dayfirst", "--json", cwd=tmp_path
    )
    assert result.returncode == 1
    summary = json.loads(result.stdout)
    assert summary["rows_read"] == len(rows)
    assert summary["rows_rejected"] == 1
    assert summary["illegal_transitions"] == 1
    kinds = {(v["kind"], v["incident"], v["line"]) for v in summary["violations"]}
    line_of_reopen = next(i for i, row in enumerate(rows) if row is reopened) + 2  # 1 = header
    assert ("illegal_transition", first, line_of_reopen) in kinds
    assert ("unknown_label", rows[3]["number"], 5) in kinds
    illegal = next(v for v in summary["violations"] if v["kind"] == "illegal_transition")
    assert (illegal["from_state"], illegal["to_state"]) == ("closed", "new")
    rejects = rows_of(tmp_path / "log.rejects.csv")
    assert [(r["line"], r["column"]) for r in rejects] == [("7", "sys_updated_at")]


def test_report_counts_every_incident(export: Path, tmp_path: Path) -> None:
    result = run(
        "report", str(export), "--preset", "servicenow", "--dayfirst", "--json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["rows_read"], summary["rows_rejected"]) == (5998, 0)
    assert summary["faults"] == 890
    assert summary["unknown_labels"] == 0
    assert sum(group["figures"]["faults"] for group in summary["groups"]) == 890
    assert {tuple(group["key"]) for group in summary["groups"]} <= {(1,), (2,), (3,), (4,)}
