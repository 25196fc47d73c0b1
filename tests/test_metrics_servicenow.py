"""The real ServiceNow export: time to resolve and reopen rate per priority, pinned.

Source: ``shared/data/servicenow_incident_event_log_sample.csv`` (the first 5,998 rows
of the "Incident management process enriched event log", UCI Machine Learning
Repository, Amaral et al. 2018, CC BY 4.0). Labels go through the lifecycle's ``itil``
label map; timestamps are the rows' ``sys_updated_at`` (day-first, no zone: read as
UTC), the opening time is ``opened_at``, the priority is the coded ``priority``
column. The reopen figures are checked against the export's own ``reopen_count``
column, which faultkit does not read.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from faultkit.lifecycle import DEFAULT_CALENDAR, ITIL
from faultkit.metrics import Dimension, EventRow, Rate, handling_metrics
from faultkit.scoring import Priority, coded_level


def _when(text: str) -> datetime:
    return datetime.strptime(text, "%d-%m-%Y %H:%M").replace(tzinfo=UTC)


def _rows(path: Path) -> Iterator[EventRow]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            yield EventRow(
                incident=row["number"],
                label=row["incident_state"],
                at=_when(row["sys_updated_at"]),
                opened_at=_when(row["opened_at"]),
                priority=coded_level(row["priority"], field="priority"),
                component=None if row["category"] == "?" else row["category"],
                made_sla=row["made_sla"] == "TRUE",
            )


NOW = datetime(2016, 12, 31, tzinfo=UTC)


@pytest.fixture(scope="module")
def rows(servicenow_export: Path) -> list[EventRow]:
    return list(_rows(servicenow_export))


def test_counts(servicenow_export: Path) -> None:
    # Streamed straight from the file.
    report = handling_metrics(
        _rows(servicenow_export), ITIL, now=NOW, group_by=(Dimension.PRIORITY,)
    )
    assert (report.rows, report.faults, report.transitions) == (5998, 890, 2509)
    assert report.unknown_labels == 0
    assert report.overall.open_at_end == 0
    assert report.overall.reopen_rate == Rate(numerator=10, denominator=890)


# priority: faults (all resolved), time to resolve (median, mean, P90), reopened.
D = timedelta
PINNED = {
    Priority.CRITICAL: (
        15,
        D(days=7, seconds=49920),
        D(days=20, seconds=70888),
        D(days=27, seconds=708),
        0,
    ),
    Priority.HIGH: (
        33,
        D(days=1, seconds=10020),
        D(days=4, seconds=5981, microseconds=818182),
        D(days=13, seconds=44472),
        0,
    ),
    Priority.MODERATE: (
        757,
        D(days=2, seconds=17340),
        D(days=10, seconds=66225, microseconds=495376),
        D(days=26, seconds=54192),
        10,
    ),
    Priority.LOW: (
        85,
        D(days=6, seconds=22920),
        D(days=31, seconds=23836, microseconds=235294),
        D(days=62, seconds=72252),
        0,
    ),
}


@pytest.mark.parametrize("level", list(PINNED))
def test_time_to_resolve_and_reopen_per_priority(level: Priority, rows: list[EventRow]) -> None:
    report = handling_metrics(rows, ITIL, now=NOW, group_by=(Dimension.PRIORITY,))
    faults, median, mean, p90, reopened = PINNED[level]
    figures = report.group(level)
    assert figures.faults == faults
    resolve = figures.time_to_resolve
    assert (resolve.n, resolve.median, resolve.mean, resolve.p90) == (faults, median, mean, p90)
    assert resolve.exact
    assert figures.reopen_rate == Rate(numerator=reopened, denominator=faults)


def test_reopens_agree_with_the_exports_own_reopen_count(
    servicenow_export: Path, rows: list[EventRow]
) -> None:
    reopened: dict[int, set[str]] = {}
    with servicenow_export.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if int(row["reopen_count"]) > 0:
                level = coded_level(row["priority"], field="priority")
                reopened.setdefault(level, set()).add(row["number"])
    report = handling_metrics(rows, ITIL, now=NOW, group_by=(Dimension.PRIORITY,))
    for group in report.groups:
        (level,) = group.key
        assert group.figures.reopen_rate.numerator == len(reopened.get(level, ()))


def test_business_time_is_at_most_wall_time(rows: list[EventRow]) -> None:
    # The first 600 rows (business time walks the calendar day by day).
    first = rows[:600]
    wall = handling_metrics(first, ITIL, now=NOW).overall.time_to_resolve
    business = handling_metrics(first, ITIL, now=NOW, calendar=DEFAULT_CALENDAR)
    resolve = business.overall.time_to_resolve
    assert resolve.n == wall.n > 50
    assert resolve.maximum is not None
    assert wall.maximum is not None
    assert resolve.mean is not None
    assert wall.mean is not None
    assert resolve.mean < wall.mean
    assert resolve.maximum <= wall.maximum
