"""Our faults as an exported event log: the rows read back are the rows written.

``faultkit report`` and ``faultkit check-log`` then read a faultkit database export as
they read a ServiceNow export.
"""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.adapters.exports import (
    ExportFormat,
    RejectsFile,
    get_preset,
    read_event_log,
    read_metric_rows,
    write_case_log,
)
from faultkit.adapters.sql import SqlStore
from faultkit.lifecycle import PROCEDURE, Fault, Lifecycle, validate_event_log
from faultkit.metrics import fault_rows, handling_metrics
from faultkit.models import Person, Severity
from faultkit.testing.lifecycle import legal_paths
from faultkit.testing.storage_contract import sample_fault
from test_cli_score import run

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
AGENT = Person(id="bob", name="Bob")
RELAXED = Lifecycle(PROCEDURE.without_requirements(), merge_trigger=None)  # walks the table


@st.composite
def walked_faults(draw: st.DrawFn) -> list[Fault]:
    """Faults walked through the procedure, with priorities, components and odd ids."""
    faults = []
    for n in range(draw(st.integers(1, 4))):
        fault_id = draw(st.sampled_from(["F", "=1+1", 'F,"q"', "Fü\nx"])) + f"-{n}"
        component = draw(st.none() | st.sampled_from(["api", "a,b", " spaced "]))
        fault = RELAXED.open(sample_fault(fault_id, reported_at=T0, component=component).report)
        priority = draw(st.none() | st.integers(1, 5))
        if priority is not None:
            fault.set_priority(priority, actor=AGENT, at=T0)
        at = T0
        for trigger in draw(legal_paths(PROCEDURE)):
            at += timedelta(minutes=draw(st.integers(0, 600)), microseconds=draw(st.integers(0, 9)))
            if fault.closed_at is None and draw(st.booleans()):  # re-triage on the way
                new = draw(st.none() | st.integers(1, 5))
                if new != fault.priority:
                    fault.set_priority(new, actor=AGENT, at=at, reason="re-triage")
                severity = draw(st.sampled_from(Severity))
                if severity != fault.severity:
                    fault.set_severity(severity, actor=AGENT, at=at, reason="re-triage")
            RELAXED.fire(fault, trigger, actor=AGENT, at=at, reason="because")
        faults.append(fault)
    return faults


def _read_back(text: str) -> list[object]:
    with RejectsFile(os.devnull) as rejects:
        read = read_metric_rows(io.StringIO(text), ExportFormat.CSV, get_preset("generic"), rejects)
    assert read.rows_rejected == 0
    return list(read.rows)


@settings(max_examples=60, deadline=None)
@given(faults=walked_faults())
def test_rows_read_back_are_the_rows_written(faults: list[Fault]) -> None:
    target = io.StringIO(newline="")
    written = write_case_log(faults, target)
    expected = [attrs.evolve(r, channel=None) for r in fault_rows(faults)]
    assert written == len(expected)
    assert _read_back(target.getvalue()) == expected
    with RejectsFile(os.devnull) as rejects:
        log = read_event_log(
            io.StringIO(target.getvalue()), ExportFormat.CSV, get_preset("generic"), rejects
        )
    report = validate_event_log(log.events, PROCEDURE)
    assert not report.illegal_transitions, report.violations[:3]


def test_a_sqlite_database_export_reads_like_any_export(tmp_path: Path) -> None:
    lifecycle = Lifecycle(PROCEDURE.without_requirements())
    with SqlStore(f"sqlite:///{tmp_path / 'faults.db'}") as store:
        for n in range(6):
            fault = lifecycle.open(sample_fault(f"F-{n}", component="api").report)
            fault.set_priority(1 + n % 4, actor=AGENT, at=T0)
            for k, trigger in enumerate(["submit", "accept", "start_analysis", "start_fix"]):
                lifecycle.fire(fault, trigger, actor=AGENT, at=T0 + timedelta(hours=k + n))
            if n % 2:
                lifecycle.fire(fault, "resolve", actor=AGENT, at=T0 + timedelta(days=1, hours=n))
            store.faults.add(fault)
        stored = [v.item for v in store.faults.query(limit=100).items]
    export = tmp_path / "faults.csv"
    with export.open("w", newline="", encoding="utf-8") as handle:
        write_case_log(stored, handle)
    # The figures from the export are those from the faults themselves.
    now = T0 + timedelta(days=30)
    direct = handling_metrics(fault_rows(stored), PROCEDURE, now=now)
    rows = _read_back(export.read_text(encoding="utf-8"))
    assert handling_metrics(rows, PROCEDURE, now=now) == direct  # type: ignore[arg-type]
    checked = run("check-log", str(export), "--workflow", "procedure", "--json", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["illegal_transitions"] == 0
    reported = run("report", str(export), "--workflow", "procedure", "--json", cwd=tmp_path)
    assert reported.returncode == 0, reported.stderr
    summary = json.loads(reported.stdout)
    assert (summary["faults"], summary["rows_rejected"]) == (6, 0)


def test_each_row_carries_the_priority_and_severity_of_its_time() -> None:
    """Golden rows of one walked fault: values as they were at each event, not current."""
    fault = RELAXED.open(sample_fault("F-9", reported_at=T0).report, priority=3)
    fault.set_severity(Severity.SEV3, actor=AGENT, at=T0)  # given with the report
    at = T0 + timedelta(hours=1)
    RELAXED.fire(fault, "submit", actor=AGENT, at=at)
    fault.set_priority(1, actor=AGENT, at=at + timedelta(minutes=5), reason="two sites down")
    RELAXED.fire(fault, "accept", actor=AGENT, at=at + timedelta(hours=1))
    fault.set_severity(None, actor=AGENT, at=at + timedelta(hours=2), reason="re-assess")
    rows = [(r.label, r.at - T0, r.priority, r.severity) for r in fault_rows([fault])]
    hour = timedelta(hours=1)
    assert rows == [
        ("recorded", timedelta(0), 3, Severity.SEV3),
        ("in_review", hour, 3, Severity.SEV3),
        ("in_review", hour + timedelta(minutes=5), 1, Severity.SEV3),
        ("diagnosing", 2 * hour, 1, Severity.SEV3),
        ("diagnosing", 3 * hour, 1, None),
    ]
    target = io.StringIO(newline="")
    write_case_log([fault], target)
    assert target.getvalue().splitlines()[0].endswith(",severity")
    assert _read_back(target.getvalue()) == [
        attrs.evolve(r, channel=None) for r in fault_rows([fault])
    ]


def test_a_bad_severity_cell_rejects_its_row() -> None:
    head = "id,state,updated_at,severity\n"
    text = head + "F-1,new,2024-05-01T09:00:00+00:00,7\nF-1,new,2024-05-01T10:00:00+00:00,x\n"
    with RejectsFile(os.devnull) as rejects:
        read = read_metric_rows(io.StringIO(text), ExportFormat.CSV, get_preset("generic"), rejects)
    assert (read.rows_read, read.rows_rejected) == (2, 2)
