"""``faultkit score --engine dask``: a directory or glob of CSV files scored on two workers.

The scored files hold the row engine's values; the counts are the row engine's summed
over the files; the rejects name file and data row.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

pytest.importorskip("click")
pytest.importorskip("pyarrow")
pytest.importorskip("distributed")

from click.testing import CliRunner

from faultkit.cli import main
from faultkit.testing.scale import write_generated_csv

OPTIONS = ["--preset", "servicenow", "--dayfirst", "--json"]


def rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_dask_engine_agrees_with_row_engine(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for seed in range(3):
        with (inputs / f"part{seed}.csv").open("w", newline="", encoding="utf-8") as handle:
            write_generated_csv(handle, 600, seed=seed, bad_share=0.03)
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(
        main, ["score", str(inputs), "--engine", "dask", "--workers", "2", "-o", str(out), *OPTIONS]
    )
    assert result.exit_code == 1, result.output  # some rows are bad on purpose
    report = json.loads(result.output)
    assert report["engine"] == "dask"
    totals = {"rows_read": 0, "rows_written": 0, "rows_rejected": 0, "sla_breaches": 0}
    reject_rows: list[tuple[str, str, str, str]] = []
    for seed in range(3):
        source = inputs / f"part{seed}.csv"
        row_out = tmp_path / f"row{seed}.csv"
        row_rejects = tmp_path / f"row{seed}.rejects.csv"
        single = runner.invoke(
            main,
            ["score", str(source), "-o", str(row_out), "--rejects", str(row_rejects), *OPTIONS],
        )
        expected = json.loads(single.output)
        for key in totals:
            totals[key] += expected[key]
        assert rows(out / f"part{seed}.scored.csv") == rows(row_out)
        assert (out / f"part{seed}.scored.csv").read_bytes() == row_out.read_bytes()
        reject_rows += [
            (str(source), str(int(r[0]) - 1), r[1], r[3]) for r in rows(row_rejects)[1:]
        ]
    for key, value in totals.items():
        assert report[key] == value
    got = [(r[0], r[1], r[2], r[4]) for r in rows(Path(report["rejects"]))[1:]]
    assert got == reject_rows


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", "jsonl"], "JSON Lines needs --engine row"),
        (["-o", "-"], "give -o a directory"),
        (["--excel-safe"], "--excel-safe needs --engine row"),
        (["--max-errors", "3"], "--max-errors needs --engine row"),
    ],
)
def test_dask_engine_usage_errors(tmp_path: Path, extra: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["score", str(tmp_path), "--engine", "dask", *extra])
    assert result.exit_code == 2
    assert message in result.output


def test_dask_engine_without_files_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["score", str(tmp_path / "*.csv"), "--engine", "dask", "-o", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "no CSV file found" in result.output


def test_row_engine_still_refuses_a_directory(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["score", str(tmp_path)])
    assert result.exit_code == 2
    assert "INPUT" in result.output


def test_report_dask_engine_agrees_with_row_engine(servicenow_export: Path, tmp_path: Path) -> None:
    """The real export split by incident into three files: the same figures."""
    import itertools

    with servicenow_export.open(encoding="utf-8-sig", newline="") as handle:
        header, *body = list(csv.reader(handle))
    faults = [list(g) for _key, g in itertools.groupby(body, key=lambda row: row[0])]
    folder = tmp_path / "log"
    folder.mkdir()
    for number, part in enumerate([faults[:300], faults[300:301], faults[301:]]):
        with (folder / f"part{number}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(row for fault in part for row in fault)
    runner = CliRunner()
    single = runner.invoke(main, ["report", str(servicenow_export), *OPTIONS])
    assert single.exit_code == 0, single.output
    distributed = pytest.importorskip("distributed")
    # --scheduler: join a running cluster (the --workers path is taken by the score test)
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        worker_dashboard_address=None,
    ) as cluster:
        spread = runner.invoke(
            main,
            [
                "report",
                str(folder / "*.csv"),
                "--engine",
                "dask",
                "--scheduler",
                cluster.scheduler_address,
                *OPTIONS,
            ],
        )
    assert spread.exit_code == 0, spread.output
    want, got = json.loads(single.output), json.loads(spread.output)
    assert got.pop("engine") == "dask"
    got.pop("input")
    want.pop("input")
    assert got == want
    assert got["faults"] == 890


def test_report_dask_engine_usage_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["report", str(tmp_path), "--engine", "dask", "--charts", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "--charts needs --engine row" in result.output
    result = CliRunner().invoke(main, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert "INPUT" in result.output
