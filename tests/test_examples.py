"""The example script of the README's first command, on the bundled data and on bad rows."""

from __future__ import annotations

import csv
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "examples" / "score_export.py"
SAMPLE = Path(str(files("faultkit").joinpath("data", "servicenow_incidents_sample.csv")))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False
    )


def test_bundled_sample_is_scored_whole() -> None:
    with SAMPLE.open(newline="", encoding="utf-8") as handle:
        rows = sum(1 for _ in csv.DictReader(handle))
    result = run()
    assert result.returncode == 0, result.stderr
    assert f"{rows} rows, {rows} scored, 0 rejected" in result.stdout


def test_bad_rows_are_counted_and_named(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "number,impact,urgency,priority\n"
        "INC1,1 - High,1 - High,1 - Critical\n"
        "INC2,?,2 - Medium,3 - Moderate\n"
        "INC3,3 - Low,3 - Low,2 - High\n",
        encoding="utf-8",
    )
    result = run(str(export))
    assert result.returncode == 1
    assert "3 rows, 2 scored, 1 rejected" in result.stdout
    assert "rejected: line 3: impact:" in result.stdout
    assert "line 4 INC3: source 2, matrix 4" in result.stdout
