"""``faultkit report`` (the columnar engine, the default) against the row engine and polars.

Whole processes, as a user runs them, on an event log generated like ``bench_cli.py``'s
export (the bundled ServiceNow sample repeated with fresh incident numbers: sorted by
incident, 36 columns, day-first times), runs interleaved, wall time: the ratios use
the best of ``--repeat``; medians and CPU times (user + system, all threads) are
printed beside them.

1. ``faultkit report --preset servicenow --dayfirst`` (figures per priority: times
   to acknowledge, resolve and close with medians and P90, reopen rate, SLA
   attainment, the export's SLA flag, reliability per component) against
   ``--engine row`` (issue 17: the same figures from record batches, faster);
2. against ``benchmarks/polars_report.py``, which computes less (per priority: the
   incidents, the median times to acknowledge and to resolve), for scale.

The number of faults per priority of faultkit and polars is checked to agree first.

    python benchmarks/bench_report.py [--n 1000000] [--repeat 3] [--no-row]

Needs polars (``pip install '.[bench]'`` in a clone) for the baseline.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_cli import make_export
from bench_columnar import run

HERE = Path(__file__).resolve().parent
REPORT = [sys.executable, "-m", "faultkit.cli", "report"]
SN = ["--preset", "servicenow", "--dayfirst"]


def check_same_faults(path: Path) -> None:
    """faultkit's and the polars script's faults per priority agree."""
    done = subprocess.run(
        [*REPORT, str(path), *SN, "--json"], capture_output=True, text=True, check=False
    )
    body = json.loads(done.stdout)
    mine = sorted(group["figures"]["faults"] for group in body["groups"])
    polars = subprocess.run(
        [sys.executable, str(HERE / "polars_report.py"), str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    theirs = sorted(int(line.split("\t")[1]) for line in polars)
    if mine != theirs:
        raise AssertionError(f"faults per priority: faultkit {mine} vs polars {theirs}")
    print(f"checked: faults per priority {mine}, both")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="events")
    parser.add_argument("--repeat", type=int, default=3, help="rounds, best kept")
    parser.add_argument("--no-row", action="store_true", help="skip --engine row")
    parser.add_argument("--check", type=float, default=None, help="fail above this ratio to row")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "log.csv"
        make_export(path, args.n)
        check_same_faults(path)
        commands = {
            "report (columnar)": [*REPORT, str(path), *SN],
            "polars script": [sys.executable, str(HERE / "polars_report.py"), str(path)],
        }
        if not args.no_row:
            commands["report --engine row"] = [*REPORT, str(path), *SN, "--engine", "row"]
        walls: dict[str, list[float]] = {what: [] for what in commands}
        cpus: dict[str, list[float]] = {what: [] for what in commands}
        for _ in range(args.repeat):
            for what, command in commands.items():
                wall, cpu, _peak = run(command)
                walls[what].append(wall)
                cpus[what].append(cpu)
    print(f"{args.n} events, {args.repeat} rounds: wall best / median, CPU best (seconds)")
    for what in commands:
        print(
            f"  {what:24s} {min(walls[what]):7.2f} {statistics.median(walls[what]):7.2f}"
            f" {min(cpus[what]):7.2f}"
        )
    mine = "report (columnar)"
    baselines = ["polars script"] + ([] if args.no_row else ["report --engine row"])
    ratio_to_row = None
    for baseline in baselines:
        ratio = min(walls[mine]) / min(walls[baseline])
        median = statistics.median(walls[mine]) / statistics.median(walls[baseline])
        cpu = min(cpus[mine]) / min(cpus[baseline])
        print(f"  columnar / {baseline:20s} {ratio:6.2f}   medians {median:5.2f}   CPU {cpu:5.2f}")
        if baseline == "report --engine row":
            ratio_to_row = ratio
    if args.check is not None and ratio_to_row is not None and ratio_to_row > args.check:
        print(f"FAIL: {ratio_to_row:.2f}x the row engine, above {args.check}x", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
