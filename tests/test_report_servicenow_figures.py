"""Every figure of ``faultkit report --json`` on the real ServiceNow export, recomputed.

The export is ``shared/data/servicenow_incident_event_log_sample.csv`` (5,998 rows,
890 incidents of the UCI "Incident management process enriched event log", Amaral et
al. 2018, CC BY 4.0). The expected figures come from a separate computation written
here with pandas and plain loops, not from faultkit's code: its own state categories
for ServiceNow's labels, its own business-hours clock (09:00-17:00 Monday to Friday,
UTC, for P3-P5 as the lifecycle's default SLA policy says; round the clock for P1-P2),
its own interval sweep for the outages per component.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from test_cli_score import run

FMT = "%d-%m-%Y %H:%M"
CATEGORY = {"New": "open", "Active": "active", "Resolved": "resolved", "Closed": "closed"}
# Default SLA policy: (response, resolution, business hours?) per priority.
TARGETS = {
    1: (timedelta(minutes=15), timedelta(hours=4), False),
    2: (timedelta(minutes=30), timedelta(hours=8), False),
    3: (timedelta(hours=4), timedelta(hours=24), True),
    4: (timedelta(hours=8), timedelta(hours=40), True),
}


def business(start: pd.Timestamp, end: pd.Timestamp) -> timedelta:
    """Working time from ``start`` to ``end``: 09:00-17:00, Monday to Friday."""
    total = timedelta(0)
    day = start.normalize()
    while day <= end:
        if day.weekday() < 5:
            low = max(start, day + pd.Timedelta(hours=9))
            high = min(end, day + pd.Timedelta(hours=17))
            if high > low:
                total += (high - low).to_pytimedelta()
        day += pd.Timedelta(days=1)
    return total


def clock(start: pd.Timestamp, end: pd.Timestamp, business_hours: bool) -> timedelta:
    if end <= start:
        return timedelta(0) if business_hours else (end - start).to_pytimedelta()
    return business(start, end) if business_hours else (end - start).to_pytimedelta()


def incident_facts(rows: pd.DataFrame, now: pd.Timestamp) -> dict[str, Any]:
    """One incident's figures, from its rows in file order."""
    opened = rows["opened"].iloc[0]
    stays: list[tuple[str, pd.Timestamp]] = []
    for label, at in zip(rows["incident_state"], rows["at"], strict=True):
        category = CATEGORY.get(label, "hold")  # every "Awaiting ..." label: on hold
        if not stays or stays[-1][0] != category:  # a repeated state is one stay
            stays.append((category, at))
    ack = resolved = closed = None
    resolved_once = reopened = False
    previous = None
    for category, at in stays:
        if category == "resolved":
            resolved, resolved_once = at, True
        elif category == "closed":
            closed = closed if closed is not None else at
        elif previous in ("resolved", "closed"):
            reopened = True
            resolved = closed = None
        if ack is None and category != "open":
            ack = at
        previous = category
    priority = int(rows["priority"].iloc[-1][0])
    response, resolution, business_hours = TARGETS[priority]
    # The resolution clock runs through consecutive open and active stays; a stretch
    # that ends before it begins (rows out of time order) counts as zero, and is counted.
    running = timedelta(0)
    fixes = 0
    begin = None
    stretches = []
    for index, (category, at) in enumerate(stays):
        runs = category in ("open", "active")
        if runs and begin is None:
            begin = opened if index == 0 else at
        elif not runs and begin is not None:
            stretches.append((begin, at))
            begin = None
    if begin is not None:
        stretches.append((begin, now))
    for low, high in stretches:
        if high < low:
            fixes += 1
        else:
            running += clock(low, high, business_hours)
    if ack is not None:
        response_met: bool | None = clock(opened, ack, business_hours) <= response
    else:
        response_met = False if clock(opened, now, business_hours) > response else None
    if resolved is not None:
        resolution_met: bool | None = running <= resolution
    else:
        resolution_met = False if running > resolution else None
    durations = {
        "ack": None if ack is None else ack - opened,
        "resolve": None if resolved is None else resolved - opened,
        "close": None if closed is None else closed - opened,
        "age": now - opened if resolved is None and closed is None else None,
    }
    return {
        "priority": priority,
        "rows": len(rows),
        "transitions": len(stays) - 1,
        **durations,
        "resolved_once": resolved_once,
        "reopened": reopened,
        "response_met": response_met,
        "resolution_met": resolution_met,
        "clock_fixes": fixes,
        "made_sla": rows["made_sla"].iloc[-1] == "TRUE",
        "component": None if rows["category"].iloc[-1] == "?" else rows["category"].iloc[-1],
        "opened": opened,
        "restored": resolved if resolved is not None else closed,
    }


@pytest.fixture(scope="module")
def expected(servicenow_export: Path) -> pd.DataFrame:
    frame = pd.read_csv(servicenow_export, dtype=str, keep_default_na=False)
    frame["at"] = pd.to_datetime(frame["sys_updated_at"], format=FMT, utc=True)
    frame["opened"] = pd.to_datetime(frame["opened_at"], format=FMT, utc=True)
    now = frame["at"].max()
    facts = [incident_facts(rows, now) for _number, rows in frame.groupby("number", sort=False)]
    return pd.DataFrame(facts)


@pytest.fixture(scope="module")
def summary(servicenow_export: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    result = run(
        "report",
        str(servicenow_export),
        "--preset",
        "servicenow",
        "--dayfirst",
        "--json",
        cwd=tmp_path_factory.mktemp("report"),
    )
    assert result.returncode == 0, result.stderr
    out: dict[str, Any] = json.loads(result.stdout)
    return out


def seconds(values: pd.Series, q: float) -> float:
    return float(values.dropna().map(lambda d: max(d.total_seconds(), 0.0)).quantile(q))


def test_counts_and_corrections(summary: dict[str, Any], expected: pd.DataFrame) -> None:
    assert summary["faults"] == len(expected) == 890
    assert summary["transitions"] == expected["transitions"].sum()
    negative = sum(
        int((expected[name].dropna().map(lambda d: d.total_seconds()) < 0).sum())
        for name in ("ack", "resolve", "close", "age")
    )
    assert negative > 0  # the sample has rows updated before their opening time
    fixes = int(expected["clock_fixes"].sum())
    assert summary["corrections"] == {
        "negative_times_set_to_zero": negative + fixes,
        "sla_clocks_out_of_range": 0,
    }
    assert summary["approximate"] == []  # 890 faults: every quantile exact
    assert summary["not_computed"] == []
    # The preset maps resolved_at, which report does not read (times come from states).
    assert summary["caveats"] == [
        "the resolved-at column 'resolved_at' is not read: times to resolve run to the "
        "update time of the row that last enters a resolved state"
    ]


@pytest.mark.parametrize("level", [None, 1, 2, 3, 4])
def test_figures_per_priority(
    level: int | None, summary: dict[str, Any], expected: pd.DataFrame
) -> None:
    if level is None:
        fig, rows = summary["overall"], expected
    else:
        (group,) = [g for g in summary["groups"] if g["key"] == [level]]
        fig, rows = group["figures"], expected[expected["priority"] == level]
    assert fig["faults"] == len(rows)
    for name, key in [("ack", "time_to_acknowledge"), ("resolve", "time_to_resolve")]:
        assert fig[key]["n"] == rows[name].notna().sum()
        assert fig[key]["median_s"] == pytest.approx(seconds(rows[name], 0.5), abs=1e-6)
        assert fig[key]["p90_s"] == pytest.approx(seconds(rows[name], 0.9), abs=1e-6)
        assert fig[key]["exact"] is True
    once = rows[rows["resolved_once"]]
    assert fig["reopen_rate"]["numerator"] == once["reopened"].sum()
    assert fig["reopen_rate"]["denominator"] == len(once)
    decided = rows[rows["resolution_met"].notna()]
    met = int((decided["resolution_met"] == True).sum())  # noqa: E712 - object column
    assert fig["resolution_sla"]["numerator"] == met
    assert fig["resolution_sla"]["denominator"] == len(decided)
    breached = decided[decided["resolution_met"] == False]  # noqa: E712
    assert fig["resolution_sla_breaches"] == {
        "faults": len(breached),
        "rows": int(breached["rows"].sum()),
    }
    responded = rows[rows["response_met"].notna()]
    assert fig["response_sla"]["numerator"] == int((responded["response_met"] == True).sum())  # noqa: E712
    assert fig["response_sla"]["denominator"] == len(responded)
    assert fig["exported_sla"]["numerator"] == rows["made_sla"].sum()
    assert fig["exported_sla"]["denominator"] == len(rows)


def test_breaches_per_fault_and_per_row_differ(summary: dict[str, Any]) -> None:
    breaches = summary["overall"]["resolution_sla_breaches"]
    assert breaches["rows"] > breaches["faults"] > 0


def test_reliability_per_component(summary: dict[str, Any], expected: pd.DataFrame) -> None:
    got = {item["component"]: item for item in summary["reliability"]}
    for component, rows in expected.groupby("component", dropna=False, sort=False):
        name = None if pd.isna(component) else component
        item = got[name]
        assert item["faults"] == len(rows)
        restored = rows[rows["restored"].notna()]
        assert item["restored"] == len(restored)
        if len(restored):
            mean = (restored["restored"] - restored["opened"]).clip(lower=pd.Timedelta(0)).mean()
            assert item["mtrs_s"] == pytest.approx(mean.total_seconds(), abs=1e-3)
        if len(rows) < 2:
            assert item["mtbsi_s"] is None
            continue
        first, last = rows["opened"].min(), rows["opened"].max()
        span = (last - first).total_seconds()
        assert item["mtbsi_s"] == pytest.approx(span / (len(rows) - 1), abs=1e-3)
        # Downtime: sweep the outages in start order, cut to [first, last].
        down = 0.0
        reach = first
        for start, end in sorted(zip(rows["opened"], rows["restored"].fillna(last), strict=True)):
            end = max(min(end, last), start)
            start = max(start, reach)
            if end > start:
                down += (end - start).total_seconds()
                reach = end
        assert item["mtbf_s"] == pytest.approx((span - down) / (len(rows) - 1), abs=1e-3)


def test_sketched_medians_are_marked_approximate(tmp_path: Path) -> None:
    """Over 10,000 faults in a group, medians come from the sketch: marked, not hidden.

    A generated ServiceNow-shaped export (``faultkit.testing.scale``) of 48,000 rows,
    about 12,000 incidents, with its opening time standing in for the update time.
    """
    from faultkit.testing.scale import write_generated_csv

    export = tmp_path / "big.csv"
    with export.open("w", newline="", encoding="utf-8") as sink:
        write_generated_csv(sink, 48_000, seed=3)
    args = ["report", str(export), "--preset", "servicenow", "--dayfirst"]
    args += ["--map", "updated_at=opened_at", "--group-by", "period", "--period", "month"]
    summary = json.loads(run(*args, "--json", cwd=tmp_path).stdout)
    assert summary["faults"] > 10_000
    overall = summary["overall"]["time_to_acknowledge"]
    assert overall["exact"] is False
    assert "time to acknowledge" in summary["approximate"]
    assert all(g["figures"]["time_to_acknowledge"]["exact"] for g in summary["groups"])
    text = run(*args, cwd=tmp_path).stdout.decode()
    (all_line,) = [line for line in text.splitlines() if line.startswith("all ")]
    assert "~" in all_line
    month_lines = [line for line in text.splitlines() if line.startswith("2016-")]
    assert month_lines
    assert not any("~" in line for line in month_lines)  # each month is under the limit
    assert "~ approximate: time to acknowledge" in text
