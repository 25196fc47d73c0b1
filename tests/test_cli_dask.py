"""``--engine dask`` on hostile files: the row engine's rejects, one-line usage errors.

A file Arrow cannot parse (a ragged row, an unclosed quote) is scored by the row engine
on its worker: the same scored bytes and the same reasons as ``--engine row``. A file
that is not UTF-8 is a usage error (exit 2) naming the byte, its line and the encoding
it looks like, with no worker traceback on stderr.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")
pytest.importorskip("distributed")

HEADER = "number,incident_state,opened_at,resolved_at,impact,urgency,priority,sys_updated_at\r\n"
GOOD = "INC{},New,01-03-2016 10:00,,1 - High,2 - Medium,2 - High,01-03-2016 10:00\r\n"
OPTIONS = ["--preset", "servicenow", "--dayfirst", "--workers", "1"]


def _faultkit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("faultkit")
    program = [str(script)] if script.exists() else [sys.executable, "-m", "faultkit.cli"]
    return subprocess.run(
        [*program, *args], capture_output=True, text=True, cwd=cwd, check=False, timeout=300
    )


def _reasons(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["column"], row["reason"]) for row in csv.DictReader(handle)]


def _score_on_dask_and_row(tmp_path: Path) -> list[tuple[str, str]]:
    """Score ``in.csv`` on both engines (exit 1 each), check the scored bytes are the same,
    and give the dask run's reject reasons, checked equal to the row engine's."""
    dask = _faultkit("score", "in.csv", "--engine", "dask", "-o", "out", *OPTIONS, cwd=tmp_path)
    assert dask.returncode == 1, dask.stderr
    assert "Traceback" not in dask.stderr
    row = _faultkit(
        "score",
        "in.csv",
        "--engine",
        "row",
        "-o",
        "row.csv",
        "--rejects",
        "r.csv",
        *OPTIONS[:-2],  # without --workers
        cwd=tmp_path,
    )
    assert row.returncode == 1, row.stderr
    assert (tmp_path / "out" / "in.scored.csv").read_bytes() == (tmp_path / "row.csv").read_bytes()
    got = _reasons(tmp_path / "out" / "faultkit-rejects.csv")
    assert got == _reasons(tmp_path / "r.csv")
    return got


def test_a_file_arrow_cannot_parse_is_scored_as_the_row_engine_scores_it(tmp_path: Path) -> None:
    text = (
        HEADER
        + GOOD.format(1)
        + "INC2,New\r\n"
        + GOOD.format(3)
        + 'INC4,"New,01-03-2016 10:00,,1,1,1,x\r\n'
        + GOOD.format(5) * 2
    )
    (tmp_path / "in.csv").write_text(text, encoding="utf-8", newline="")
    got = _score_on_dask_and_row(tmp_path)
    assert got[1][1].startswith("unclosed quote")
    with (tmp_path / "out" / "faultkit-rejects.csv").open(encoding="utf-8") as handle:
        assert [r["row"] for r in csv.DictReader(handle)] == ["2", "4"]  # line less one


@pytest.mark.parametrize("command", ["score", "report"])
def test_an_input_not_in_utf8_is_a_usage_error_without_a_worker_traceback(
    tmp_path: Path, command: str
) -> None:
    data = (HEADER + GOOD.format(1) + GOOD.format("\u00e9")).encode("cp1252")
    (tmp_path / "in.csv").write_bytes(data)
    done = _faultkit(
        command,
        "in.csv",
        "--engine",
        "dask",
        "-o" if command == "score" else "--tz",
        "out" if command == "score" else "UTC",
        *OPTIONS,
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "Compute Failed" not in done.stderr
    offset = data.index(b"\xe9")
    assert f"not UTF-8 (invalid continuation byte at byte {offset}, line 3" in done.stderr
    assert "it looks like cp1252" in done.stderr
    assert not list(tmp_path.glob("out/*.scored.csv"))


def test_report_on_dask_gives_the_row_engine_json(tmp_path: Path) -> None:
    """Also the caveats and missing columns the row engine's summary has."""
    import json
    from importlib.resources import files

    sample = Path(str(files("faultkit").joinpath("data", "servicenow_incidents_sample.csv")))
    args = ["report", str(sample), "--preset", "servicenow", "--dayfirst", "--json"]
    args += ["--map", "impact=impact_x", "--map", "component=cmdb_ci_x"]
    row = _faultkit(*args, "--engine", "row", cwd=tmp_path)
    dask = _faultkit(*args, "--engine", "dask", "--workers", "1", cwd=tmp_path)
    assert row.returncode == dask.returncode == 0, dask.stderr
    want, got = json.loads(row.stdout), json.loads(dask.stdout)
    assert got.pop("engine") == "dask"
    assert got == want
    assert want["missing_columns"] == [
        {"field": "impact", "column": "impact_x"},
        {"field": "component", "column": "cmdb_ci_x"},
    ]
    assert want["not_computed"][0]["needs"] == ["component"]
    assert any("resolved-at" in caveat for caveat in want["caveats"])


@pytest.mark.parametrize("command", ["score", "report"])
def test_a_csv_file_of_0_bytes_is_a_usage_error_on_dask_too(tmp_path: Path, command: str) -> None:
    (tmp_path / "in.csv").write_bytes(b"")
    done = _faultkit(command, "in.csv", "--engine", "dask", *OPTIONS, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "in.csv is empty (0 bytes)" in done.stderr


def test_a_cell_past_the_field_limit_is_rejected_as_the_row_engine_does(tmp_path: Path) -> None:
    """Arrow has no field limit: the file goes to the row engine, which rejects the row."""
    text = HEADER + GOOD.format("X" * 140_000) + GOOD.format(2)
    (tmp_path / "in.csv").write_text(text, encoding="utf-8", newline="")
    _score_on_dask_and_row(tmp_path)
