"""``faultkit score`` (the columnar engine, the default) against a polars script and a copy.

Whole processes, as a user runs them, on an export generated like ``bench_cli.py``'s
(the bundled ServiceNow sample's rows repeated with fresh incident numbers, 36 columns,
day-first dates), runs interleaved (one of each command per round), wall time: the
ratios use the best of ``--repeat``; the median and the CPU time (user + system, all
threads: polars and Arrow use several) are printed beside it, since the machine may be
shared:

1. ``faultkit score --preset servicenow --dayfirst`` (priority, match and SLA columns)
   against ``benchmarks/polars_score.py`` (priority and match only: read, join impact x
   urgency to the matrix, compare, write). Target (issue 17): at most 1.0x. The same
   with ``--no-sla`` is printed beside it.
2. the same run against a ``csv.reader`` -> ``csv.writer`` copy of the file in a Python
   process. Target: at most 0.5x.
3. memory: the peak resident set size of the ``faultkit score`` process on ``--n`` rows
   minus on ``--n / 10`` rows (``wait4``'s ``ru_maxrss``: Arrow's buffers included,
   which tracemalloc does not see). Target: at most 20 MB.
4. with ``--row``, ``faultkit score --engine row`` too, for scale.

The outputs of faultkit's and polars' runs are checked to agree on the priority columns
of every row before anything is timed.

    python benchmarks/bench_columnar.py [--n 1000000] [--repeat 3] [--check]

Needs polars (``pip install '.[bench]'`` in a clone) for the baseline.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_cli import make_export

HERE = Path(__file__).resolve().parent
COPY = """
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f, \\
        open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    w = csv.writer(out)
    for row in csv.reader(f):
        w.writerow(row)
"""
SCORE = [sys.executable, "-m", "faultkit.cli", "score"]
SN = ["--preset", "servicenow", "--dayfirst"]


def run(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident megabytes of a process running ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        stderr = process.stderr.read().decode() if process.stderr else ""
        raise RuntimeError(f"{command} exited with {code}: {stderr[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def check_same_priorities(faultkit_out: Path, polars_out: Path) -> None:
    """faultkit's and the polars script's priority columns agree on every row."""
    with faultkit_out.open(newline="") as a, polars_out.open(newline="") as b:
        first, second = csv.reader(a), csv.reader(b)
        ha, hb = next(first), next(second)
        ia = [ha.index("faultkit_priority"), ha.index("faultkit_priority_matches_source")]
        ib = [hb.index("faultkit_priority"), hb.index("faultkit_priority_matches_source")]
        rows = 0
        for ra, rb in zip(first, second, strict=True):
            if [ra[i] for i in ia] != [rb[i] for i in ib]:
                raise AssertionError(f"row {rows + 2}: faultkit {ra} vs polars {rb}")
            rows += 1
    print(f"checked: faultkit and polars agree on the priority columns of {rows} rows")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="rows")
    parser.add_argument("--repeat", type=int, default=3, help="rounds, best kept")
    parser.add_argument("--row", action="store_true", help="also time --engine row")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        big, small = folder / "big.csv", folder / "small.csv"
        make_export(big, args.n)
        make_export(small, max(1, args.n // 10))
        out = folder / "out.csv"
        commands = {
            "faultkit score (priority + SLA)": [*SCORE, str(big), "-o", str(out), *SN],
            "faultkit score --no-sla": [*SCORE, str(big), "-o", str(out), *SN, "--no-sla"],
            "polars script (priority only)": [
                sys.executable,
                str(HERE / "polars_score.py"),
                str(big),
                str(folder / "polars.csv"),
            ],
            "csv.reader -> csv.writer copy": [sys.executable, "-c", COPY, str(big), str(out)],
        }
        if args.row:
            commands["faultkit score --engine row"] = [
                *commands["faultkit score (priority + SLA)"],
                "--engine",
                "row",
            ]
        run(commands["faultkit score --no-sla"])
        run(commands["polars script (priority only)"])
        check_same_priorities(out, folder / "polars.csv")
        walls: dict[str, list[float]] = {what: [] for what in commands}
        cpus: dict[str, list[float]] = {what: [] for what in commands}
        peak_big = peak_small = 0.0
        for _ in range(args.repeat):
            for what, command in commands.items():
                wall, cpu, peak = run(command)
                walls[what].append(wall)
                cpus[what].append(cpu)
                if what == "faultkit score (priority + SLA)":
                    peak_big = max(peak_big, peak)
            # the small run in every round too: peaks vary from run to run
            peak_small = max(peak_small, run([*SCORE, str(small), "-o", str(out), *SN])[2])
    best = {what: min(values) for what, values in walls.items()}
    print(f"{args.n} rows, {args.repeat} rounds: wall best / median, CPU best (seconds)")
    for what, seconds in best.items():
        print(
            f"  {what:34s} {seconds:7.2f} {statistics.median(walls[what]):7.2f}"
            f" {min(cpus[what]):7.2f}"
        )
    score = best["faultkit score (priority + SLA)"]
    polars = best["polars script (priority only)"]
    copy = best["csv.reader -> csv.writer copy"]
    median = {what: statistics.median(values) for what, values in walls.items()}
    cpu = {what: min(values) for what, values in cpus.items()}
    ratios = {
        "score / polars (target <= 1.0)": (score / polars, 1.0),
        "  the same, medians": (
            median["faultkit score (priority + SLA)"] / median["polars script (priority only)"],
            None,
        ),
        "  the same, CPU time": (
            cpu["faultkit score (priority + SLA)"] / cpu["polars script (priority only)"],
            None,
        ),
        "score --no-sla / polars": (best["faultkit score --no-sla"] / polars, None),
        "score / csv copy (target <= 0.5)": (score / copy, 0.5),
        "peak MB at n minus at n/10 (target <= 20)": (peak_big - peak_small, 20.0),
    }
    print(
        f"  peak resident: {peak_small:.1f} MB at {max(1, args.n // 10)} rows, "
        f"{peak_big:.1f} MB at {args.n} rows"
    )
    missed = []
    for what, (value, target) in ratios.items():
        print(f"  {what:44s} {value:6.2f}")
        if target is not None and value > target:
            missed.append(what)
    if args.check and missed:
        print(f"FAIL: missed {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
