"""``faultkit report``'s columnar reading gives the row engine's figures, to the byte.

Each test runs ``report --json`` with ``--engine row`` and ``--engine arrow`` and
compares the JSON and the exit status; the columnar engine must also *not* decline
ordinary logs (the real export, random well-formed ones), or its speed would be a lie.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("pyarrow")

from faultkit.adapters.exports import DateOrder, DateReader, get_preset
from faultkit.batch.fallback import ArrowFallback
from faultkit.batch.metric_rows import read_metric_rows_batches
from faultkit.cli import main


def _both(path: Path, *flags: str) -> tuple[dict[str, object], dict[str, object]]:
    """The JSON of ``report`` by each engine (rejects file names aside)."""
    results = []
    for engine in ("row", "arrow"):
        args = ["report", str(path), "--preset", "servicenow", "--dayfirst", "--json"]
        args += ["--engine", engine, "--rejects", str(path.parent / f"{engine}.rejects.csv")]
        result = CliRunner().invoke(main, [*args, *flags])
        assert result.exit_code in (0, 1, 2), result.output
        body = json.loads(result.output) if result.exit_code != 2 else {"usage": result.output}
        body.pop("rejects", None)
        body["exit"] = result.exit_code
        results.append(body)
    return results[0], results[1]


def _declined(path: Path, segment: int = 1 << 20) -> bool:
    try:
        read_metric_rows_batches(
            str(path),
            get_preset("servicenow"),
            dates=DateReader(order=DateOrder.DAY_FIRST),
            segment_size=segment,
        )
    except ArrowFallback:
        return True
    return False


def test_real_export_same_figures(servicenow_export: Path, tmp_path: Path) -> None:
    """The real ServiceNow event log: the same figures per priority, and per component."""
    path = tmp_path / "log.csv"
    path.write_bytes(servicenow_export.read_bytes())
    for flags in ([], ["--group-by", "component"], ["--group-by", "period"]):
        row, arrow = _both(path, *flags)
        assert row == arrow
    assert row["rows_read"] == 5998
    assert not _declined(path)
    assert not _declined(path, segment=4096)  # many segments


_LABELS = ["New", "Active", "Resolved", "Closed", "Awaiting User Info", "Limbo"]
_PRIORITIES = ["1 - Critical", "2 - High", "3 - Moderate", "4 - Low", "?", "9 - Odd"]
_TIMES = ["01-03-2016 10:00", "01-03-2016 09:00", "02-03-2016 10:00", "2016-03-05 10:00"]
_BAD_TIMES = ["31-02-2016 10:00", "", "x", "?"]


@st.composite
def _logs(draw: st.DrawFn) -> str:
    header = ["number", "incident_state", "sys_updated_at", "opened_at", "priority"]
    header += ["category", "made_sla", "caller_id"]
    ids = sorted(f"INC{draw(st.integers(0, 6))}" for _ in range(draw(st.integers(0, 30))))
    if draw(st.booleans()):
        ids.reverse()  # incidents come together, not sorted
    bad = draw(st.booleans())
    times = _TIMES + _BAD_TIMES if bad else _TIMES
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for incident in ids:
        writer.writerow(
            [
                incident,
                draw(st.sampled_from(_LABELS)),
                draw(st.sampled_from(times)),
                draw(st.sampled_from([*_TIMES, "?"])),
                draw(st.sampled_from(_PRIORITIES if bad else _PRIORITIES[:5])),
                draw(st.sampled_from(["Category 1", "Category 2", "?", " "])),
                draw(st.sampled_from(["TRUE", "false", "?"] + (["maybe"] if bad else []))),
                draw(st.sampled_from(["a", "b,c", '"q"', "x\r\ny"] if bad else ["a", "b"])),
            ]
        )
    return buffer.getvalue()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_logs(), group=st.sampled_from(["priority", "component"]))
def test_random_logs_same_figures(text: str, group: str, tmp_path: Path) -> None:
    """Random logs, rejected rows and quoted cells too: the same JSON by both engines."""
    path = tmp_path / "random.csv"
    path.write_text(text, encoding="utf-8", newline="")
    row, arrow = _both(path, "--group-by", group)
    assert row == arrow
    if row.get("rows_rejected") == 0 and row.get("exit") == 0:
        assert not _declined(path)
