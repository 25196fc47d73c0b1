"""The commands on odd input, in process: never a traceback, always the counts.

Random exports for every preset, CSV and JSON Lines, with dates at the edges of what
Python holds (years 1 and 9999, offsets from -12:00 to +14:00), placeholder and
impossible dates, labels that fit no level, ragged rows and lines that are not JSON.
Whatever the input, each command ends with exit status 0, 1 or 2; status 2 only for
an export without the columns its preset needs (or, for ``report``, without one state
label the workflow knows); and the summary's counts add up.
These inputs found three crashes before they were fixed (an SLA due time past year
9999, a decades-long fault in ``report``, the standard streams closed in process).
"""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import datetime
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faultkit.cli import main

EDGE_DATES = [
    "31-12-9999 23:00",
    "01-01-0001 00:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
    "31-12-9999 23:50",
    "29-02-2016 01:16",
    "01-03-2016 09:00",
    "2016-02-29 01:16",
    "2016-02-29T01:16:00.123456+05:45",
    "25/Nov/26 4:41 PM",
    "March 3, 2016",
    "31-02-2016 10:00",
    "10:00",
    "?",
    "",
]
edge_dates = st.sampled_from(EDGE_DATES)
dates = st.one_of(  # half of them from the edge list
    edge_dates,
    edge_dates,
    edge_dates,
    st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30)).map(
        lambda at: at.strftime("%d-%m-%Y %H:%M")
    ),
    st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30)).map(datetime.isoformat),
    st.text(max_size=12),
)
good_levels = st.sampled_from(["1", "2", "3", "1 - High", "3 - Low", "Highest", "critical"])
levels = st.one_of(  # mostly ones a preset reads, so that rows get as far as their dates
    good_levels,
    good_levels,
    st.sampled_from(["5 - Planning", "-1", "?", ""]),
    st.text(max_size=8),
)
states = st.sampled_from(
    ["New", "Active", "Awaiting User Info", "Resolved", "Closed", "Done", "open", "?", ""]
)
ids = st.sampled_from(["A", "B", "C", "?", ""])

COLUMNS = {
    "servicenow": {
        "number": ids,
        "incident_state": states,
        "sys_updated_at": dates,
        "impact": levels,
        "urgency": levels,
        "priority": levels,
        "opened_at": dates,
        "resolved_at": dates,
        "made_sla": st.sampled_from(["true", "false", "?", "maybe"]),
        "cmdb_ci": st.text(max_size=6),
    },
    "jira": {
        "Issue key": ids,
        "Status": states,
        "Updated": dates,
        "Custom field (Impact)": levels,
        "Custom field (Urgency)": levels,
        "Priority": levels,
        "Created": dates,
        "Resolved": dates,
        "Component/s": st.text(max_size=6),
    },
    "generic": {
        "id": ids,
        "state": states,
        "updated_at": dates,
        "impact": levels,
        "urgency": levels,
        "priority": levels,
        "opened_at": dates,
        "resolved_at": dates,
        "impact_scope": st.sampled_from(["single_user", "whole_system", "bogus", ""]),
        "safety": st.sampled_from(["true", "no", "maybe", ""]),
    },
}


@st.composite
def exports(draw: st.DrawFn) -> tuple[str, str, str]:
    """(preset, format, text): the preset's columns (some left out), odd rows."""
    preset = draw(st.sampled_from(sorted(COLUMNS)))
    pools = COLUMNS[preset]
    names = draw(st.lists(st.sampled_from(sorted(pools)), unique=True, min_size=1))
    rows = [[draw(pools[name]) for name in names] for _ in range(draw(st.integers(0, 8)))]
    broken = draw(st.booleans())
    if draw(st.sampled_from(["csv", "jsonl"])) == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(names)
        for row in rows:
            writer.writerow(row[:-1] if broken and len(row) > 1 else row)
        return preset, "csv", buffer.getvalue()
    lines = [json.dumps(dict(zip(names, row, strict=True))) for row in rows]
    if broken:
        lines.append("{not json")
    return preset, "jsonl", "".join(line + "\n" for line in lines)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    exports(),
    st.sampled_from(["score", "check-log", "report"]),
    st.sampled_from(["--dayfirst", "--monthfirst", None]),
    st.sampled_from(["UTC", "Pacific/Kiritimati", "America/Adak"]),
)
def test_commands_end_with_a_status_and_counts_that_add_up(
    export: tuple[str, str, str], command: str, order: str | None, zone: str
) -> None:
    preset, export_format, text = export
    args = [command, "-", "--format", export_format, "--preset", preset, "--tz", zone]
    args += ["--rejects", os.devnull, "--json"]
    if command == "score":
        args += ["-o", "-"]
    elif command == "check-log":
        args += ["--workflow", "itil"]
    else:
        args += ["--now", "2026-11-25T00:00:00+00:00"]
    if order is not None:
        args.append(order)

    result = CliRunner().invoke(main, args, input=text)

    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the bug this test is for
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 2:
        # only a preset that does not fit: a column it lacks, or no state label it maps
        assert "column" in result.output or "maps into workflow" in result.output, result.output
        return
    summary: dict[str, Any] = json.loads(result.stderr if command == "score" else result.stdout)
    if command == "score":
        assert summary["rows_read"] == summary["rows_written"] + summary["rows_rejected"]
        if export_format == "csv":  # cells may hold line breaks: count records
            written = len(list(csv.reader(io.StringIO(result.stdout)))) - 1
        else:
            written = result.stdout.count("\n")  # JSON escapes the breaks in values
        assert written == summary["rows_written"]
        assert (result.exit_code == 1) == (summary["rows_rejected"] > 0)
    elif command == "check-log":
        assert summary["rows_read"] == summary["events"] + summary["rows_rejected"]
        assert summary["illegal_transitions"] <= len(summary["violations"])
        failed = summary["rows_rejected"] > 0 or len(summary["violations"]) > 0
        assert (result.exit_code == 1) == failed
    else:
        assert 0 <= summary["rows_rejected"] <= summary["rows_read"]
        assert (result.exit_code == 1) == (summary["rows_rejected"] > 0)
