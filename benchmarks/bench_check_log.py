"""``faultkit check-log`` (the columnar engine, the default) against a polars script.

Whole processes, as a user runs them, on an event log generated like ``bench_cli.py``'s
export (the bundled ServiceNow sample, which is one row per update of an incident,
repeated with fresh incident numbers: sorted by incident, 36 columns, day-first
times), runs interleaved, wall time: the ratios use the best of ``--repeat``; medians
and CPU times (user + system, all threads) are printed beside them.

1. ``faultkit check-log --preset servicenow --dayfirst`` against
   ``benchmarks/polars_check_log.py`` (shift within incident, anti-join to the allowed
   pairs). Target (issue 17): at most 1.0x. On the clean log (no illegal transition:
   the columnar engine's fast pass) and on a log where one row in 997 is made
   ``Closed`` (illegal transitions: every violation placed at its line, through
   :func:`~faultkit.lifecycle.eventlog.validate_event_log`).
2. ``check-log --engine row`` on the clean log, for scale.

The transition counts of faultkit and polars are checked to agree before timing.

    python benchmarks/bench_check_log.py [--n 1000000] [--repeat 3] [--check]

Needs polars (``pip install '.[bench]'`` in a clone) for the baseline.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_cli import make_export
from bench_columnar import run

HERE = Path(__file__).resolve().parent
CHECK = [sys.executable, "-m", "faultkit.cli", "check-log"]
SN = ["--preset", "servicenow", "--dayfirst"]


def make_dirty(source: Path, target: Path, every: int = 997) -> None:
    """``source`` with one row in ``every`` set to state ``Closed``."""
    with (
        source.open(encoding="utf-8", newline="") as handle,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        reader, writer = csv.reader(handle), csv.writer(out)
        header = next(reader)
        writer.writerow(header)
        state = header.index("incident_state")
        for k, row in enumerate(reader):
            if k % every == every - 1:
                row[state] = "Closed"
            writer.writerow(row)


def check_same_counts(path: Path) -> None:
    """faultkit's and the polars script's transition counts agree."""
    done = subprocess.run(
        [*CHECK, str(path), *SN, "--json"], capture_output=True, text=True, check=False
    )
    body = json.loads(done.stdout)
    polars = subprocess.run(
        [sys.executable, str(HERE / "polars_check_log.py"), str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    mine = [body["transitions"], body["illegal_transitions"]]
    theirs = [int(polars[1]), int(polars[3])]
    if mine != theirs:
        raise AssertionError(f"{path.name}: faultkit {mine} vs polars {theirs}")
    print(f"checked: {path.name}: {mine[0]} transitions, {mine[1]} illegal, both")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="events")
    parser.add_argument("--repeat", type=int, default=3, help="rounds, best kept")
    parser.add_argument("--no-row", action="store_true", help="skip --engine row")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        clean, dirty = folder / "clean.csv", folder / "dirty.csv"
        make_export(clean, args.n)
        make_dirty(clean, dirty)
        for path in (clean, dirty):
            check_same_counts(path)
        polars = [sys.executable, str(HERE / "polars_check_log.py")]
        commands = {
            "check-log, clean log": [*CHECK, str(clean), *SN],
            "polars script, clean log": [*polars, str(clean)],
            "check-log, illegal moves": [*CHECK, str(dirty), *SN],
            "polars script, illegal moves": [*polars, str(dirty)],
        }
        if not args.no_row:
            commands["check-log --engine row, clean"] = [*CHECK, str(clean), *SN, "--engine", "row"]
        walls: dict[str, list[float]] = {what: [] for what in commands}
        cpus: dict[str, list[float]] = {what: [] for what in commands}
        for _ in range(args.repeat):
            for what, command in commands.items():
                wall, cpu, _peak = run(command)
                walls[what].append(wall)
                cpus[what].append(cpu)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"{args.n} events, {args.repeat} rounds: wall best / median, CPU best (seconds)")
    print(f"  load average at the end (1, 5, 15 min): {load}")
    for what in commands:
        print(
            f"  {what:34s} {min(walls[what]):7.2f} {statistics.median(walls[what]):7.2f}"
            f" {min(cpus[what]):7.2f}"
        )
    missed = []
    for log in ("clean log", "illegal moves"):
        mine, theirs = f"check-log, {log}", f"polars script, {log}"
        ratio = min(walls[mine]) / min(walls[theirs])
        median = statistics.median(walls[mine]) / statistics.median(walls[theirs])
        cpu = min(cpus[mine]) / min(cpus[theirs])
        print(
            f"  check-log / polars, {log:14s} (target <= 1.0) {ratio:6.2f}"
            f"   medians {median:5.2f}   CPU {cpu:5.2f}"
        )
        if ratio > 1.0:
            missed.append(log)
    if not args.no_row:
        row = min(walls["check-log --engine row, clean"]) / min(walls["check-log, clean log"])
        print(f"  --engine row / columnar engine, clean log      {row:6.2f}")
    if args.check and missed:
        print(f"FAIL: missed {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
