"""``faultkit score`` on a large export: speed against a plain csv copy, memory, pandas.

The export is generated, shaped like the bundled ServiceNow sample (the sample's rows
repeated with fresh incident numbers, 36 columns, day-first dates, ``?`` for missing
values), and written to a temporary file. Measured in the same run:

1. speed: ``faultkit score --preset servicenow --dayfirst --engine row`` (the real
   command's row engine, run in this process through click; the Arrow engine, the
   default, is measured by ``bench_columnar.py`` in whole processes) against a plain
   Python ``csv.reader`` -> ``csv.writer`` copy of the same file; CPU time, best of
   ``--repeat``. Target: at most 1.5x. The same with ``--no-sla``, and with
   ``--profile FILE`` (a profile giving the sample's columns, its day-first dates and
   value maps for every level label, instead of ``--preset servicenow --dayfirst``),
   are printed beside it; ``--check`` applies to both the preset and the profile run.
2. memory: the tracemalloc peak of the command on ``--n`` rows minus its peak on
   ``--n / 10`` rows. Target: at most 20 MB (streaming: memory does not grow with the
   file).
3. pandas (only if installed; never a dependency): a pandas script computing the same
   priority and match columns and writing the same CSV, against ``faultkit score
   --no-sla``.

    python benchmarks/bench_cli.py [--n 1000000] [--repeat 3] [--check 1.5] [--check-memory-mb 20]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import sys
import tempfile
import tracemalloc
from importlib.resources import files
from pathlib import Path

from _harness import best_times, cpu_time

from faultkit.cli import main as faultkit_main

SAMPLE = files("faultkit").joinpath("data", "servicenow_incidents_sample.csv")


def make_export(path: Path, n: int) -> None:
    """``n`` data rows shaped like the sample, each repetition with new incident numbers."""
    with SAMPLE.open("r", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    number = header.index("number")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        written = 0
        repetition = 0
        while written < n:
            for row in rows[: n - written]:
                copy = list(row)
                copy[number] = f"INC{repetition:05d}{row[number][3:]}"
                writer.writerow(copy)
            written += min(len(rows), n - written)
            repetition += 1


def csv_copy(source: Path, target: Path) -> None:
    """The baseline: read every row with csv.reader and write it with csv.writer."""
    with (
        source.open("r", encoding="utf-8-sig", newline="") as handle,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        writer = csv.writer(out)
        for row in csv.reader(handle):
            writer.writerow(row)


PROFILE = """
[profile]
name = "bench-servicenow"
missing = ["", "?"]
matrix = "servicenow-no-planning"

[columns]
id = "number"
state = "incident_state"
updated_at = "sys_updated_at"
opened_at = "opened_at"
resolved_at = "resolved_at"
impact = "impact"
urgency = "urgency"
priority = "priority"

[values.impact]
"1 - High" = 1
"2 - Medium" = 2
"3 - Low" = 3

[values.urgency]
"1 - High" = 1
"2 - Medium" = 2
"3 - Low" = 3

[values.priority]
"1 - Critical" = 1
"2 - High" = 2
"3 - Moderate" = 3
"4 - Low" = 4

[dates]
order = "dayfirst"
"""
"""The profile of the ``--profile`` variant: the sample's layout with every label mapped."""

PRESET = ("--preset", "servicenow", "--dayfirst")


def faultkit_score(
    source: Path, target: Path, *extra: str, layout: tuple[str, ...] = PRESET
) -> None:
    """The real command, in this process; its summary goes to a throwaway buffer."""
    args = ["score", str(source), "-o", str(target), "--engine", "row", *layout]
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            faultkit_main.main([*args, *extra], prog_name="faultkit", standalone_mode=False)
        except SystemExit as done:
            if done.code not in (0, None):
                raise RuntimeError(f"faultkit score exited with {done.code}") from None


def pandas_score(source: Path, target: Path) -> None:
    """A pandas script computing the same priority and match columns."""
    import numpy as np
    import pandas as pd

    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    impact = frame["impact"].str.extract(r"^\s*(\d+)", expand=False).astype(int)
    urgency = frame["urgency"].str.extract(r"^\s*(\d+)", expand=False).astype(int)
    matrix = np.array([[1, 2, 3], [2, 3, 4], [3, 4, 4]])  # ServiceNow without Planning
    computed = matrix[impact.to_numpy() - 1, urgency.to_numpy() - 1]
    source_priority = frame["priority"].str.extract(r"^\s*(\d+)", expand=False)
    frame["faultkit_priority"] = computed
    matches = np.where(source_priority.astype(float).to_numpy() == computed, "true", "false")
    frame["faultkit_priority_matches_source"] = np.where(source_priority.isna(), "", matches)
    frame.to_csv(target, index=False)


def peak_bytes(source: Path, target: Path) -> int:
    """The tracemalloc peak while the command scores ``source``."""
    tracemalloc.start()
    try:
        faultkit_score(source, target)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def run(n: int, repeat: int, folder: Path) -> tuple[float, float]:
    """Print the figures; return (speed ratio, memory growth in MB)."""
    big = folder / "export.csv"
    small = folder / "export-small.csv"
    out = folder / "out.csv"
    make_export(big, n)
    make_export(small, max(n // 10, 1))
    size_mb = big.stat().st_size / 1e6
    print(f"export: {n:,} rows, {size_mb:.0f} MB (shaped like the bundled ServiceNow sample)")

    profile = folder / "profile.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    with_profile = ("--profile", str(profile))
    copy_t, score_t, plain_t, profile_t = best_times(
        [
            lambda: csv_copy(big, out),
            lambda: faultkit_score(big, out),
            lambda: faultkit_score(big, out, "--no-sla"),
            lambda: faultkit_score(big, out, layout=with_profile),
        ],
        repeat,
    )
    ratio = score_t / copy_t
    profile_ratio = profile_t / copy_t
    print(f"csv.reader -> csv.writer copy:      {copy_t:8.2f} s CPU")
    print(f"faultkit score (priority + SLA):    {score_t:8.2f} s CPU  ratio {ratio:.2f}x")
    print(
        f"faultkit score --no-sla:            {plain_t:8.2f} s CPU  ratio {plain_t / copy_t:.2f}x"
    )
    print(f"faultkit score --profile FILE:      {profile_t:8.2f} s CPU  ratio {profile_ratio:.2f}x")

    small_peak = peak_bytes(small, out)
    big_peak = peak_bytes(big, out)
    growth = (big_peak - small_peak) / 1e6
    print(
        f"tracemalloc peak: {small_peak / 1e6:.2f} MB for {max(n // 10, 1):,} rows, "
        f"{big_peak / 1e6:.2f} MB for {n:,} rows: growth {growth:+.2f} MB"
    )

    try:
        import pandas  # noqa: F401
    except ImportError:
        print("pandas: not installed, comparison skipped")
    else:
        pandas_t = min(cpu_time(lambda: pandas_score(big, out)) for _ in range(repeat))
        print(
            f"pandas script (priority + match):   {pandas_t:8.2f} s CPU; "
            f"faultkit score --no-sla / pandas = {plain_t / pandas_t:.2f}x"
        )
    return max(ratio, profile_ratio), growth


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="rows of the large export")
    parser.add_argument("--repeat", type=int, default=3, help="rounds, best kept")
    parser.add_argument("--check", type=float, default=None, help="fail above this ratio")
    parser.add_argument(
        "--check-memory-mb", type=float, default=None, help="fail above this memory growth"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        ratio, growth = run(args.n, args.repeat, Path(folder))
    status = 0
    if args.check is not None and ratio > args.check:
        print(f"FAIL: ratio {ratio:.2f}x is above {args.check}x", file=sys.stderr)
        status = 1
    if args.check_memory_mb is not None and growth > args.check_memory_mb:
        print(
            f"FAIL: memory grew {growth:.2f} MB, above {args.check_memory_mb} MB", file=sys.stderr
        )
        status = 1
    return status


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(cli())
