"""``faultkit score --preset jira`` on a generated Jira export: one row per issue.

A Jira CSV export has one row per issue, so every row has dates of its own (Jira's
default ``25/Nov/26 4:41 PM``) and every row needs its own SLA due time; nothing is
shared between rows as in a ServiceNow event log. Measured in the same run, CPU time,
best of ``--repeat``:

1. ``faultkit score --preset jira`` (priority + SLA, the real command through click)
   and the same with ``--no-sla``, against a plain ``csv.reader`` -> ``csv.writer``
   copy of the file;
2. for scale, a loop that only reads the two date cells of each row with
   ``dateutil.parser.parse`` (what every Jira date cost before faultkit read this
   format itself).

Printed, not checked: the issue sets no target for Jira exports.

    python benchmarks/bench_jira.py [--n 200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import random
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from _harness import best_times
from bench_cli import csv_copy
from dateutil import parser as dateutil_parser

from faultkit.cli import main as faultkit_main

HEADER = [
    "Summary",
    "Issue key",
    "Status",
    "Priority",
    "Created",
    "Updated",
    "Resolved",
    "Custom field (Impact)",
    "Custom field (Urgency)",
    "Component/s",
]
IMPACTS = ["Extensive / Widespread", "Significant / Large", "Moderate / Limited"]
URGENCIES = ["Critical", "High", "Medium", "Low"]


def jira_text(at: datetime) -> str:
    """Jira's default date format, ``dd/Mon/yy h:mm AM``."""
    return f"{at:%d/%b/%y} {at.hour % 12 or 12}:{at:%M %p}"


def make_export(path: Path, n: int, seed: int = 7) -> None:
    """``n`` issues created over about a year, resolved minutes to weeks later."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(n):
            created = start + timedelta(minutes=rng.randrange(525_600))
            resolved = created + timedelta(minutes=rng.randrange(10, 30_000))
            writer.writerow(
                [
                    f"Checkout fails for user {i}",
                    f"OPS-{i}",
                    "Done",
                    rng.choice(["Highest", "High", "Medium", "Low"]),
                    jira_text(created),
                    jira_text(resolved),
                    jira_text(resolved),
                    rng.choice(IMPACTS),
                    rng.choice(URGENCIES),
                    "checkout",
                ]
            )


def faultkit_score(source: Path, target: Path, *extra: str) -> None:
    """The real command, in this process; its summary goes to a throwaway buffer."""
    args = ["score", str(source), "-o", str(target), "--preset", "jira", *extra]
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            faultkit_main.main(args, prog_name="faultkit", standalone_mode=False)
        except SystemExit as done:
            if done.code not in (0, None):
                raise RuntimeError(f"faultkit score exited with {done.code}") from None


def dateutil_dates(source: Path) -> None:
    """Read the Created and Resolved cells of every row with dateutil."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        for row in rows:
            dateutil_parser.parse(row[4])
            dateutil_parser.parse(row[6])


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="issues in the export")
    parser.add_argument("--repeat", type=int, default=3, help="rounds, best kept")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        export, out = Path(folder) / "jira.csv", Path(folder) / "out.csv"
        make_export(export, args.n)
        copy_t, score_t, plain_t, dateutil_t = best_times(
            [
                lambda: csv_copy(export, out),
                lambda: faultkit_score(export, out),
                lambda: faultkit_score(export, out, "--no-sla"),
                lambda: dateutil_dates(export),
            ],
            args.repeat,
        )
    per_row = 1e6 / args.n
    print(f"Jira export: {args.n:,} issues, one row each")
    print(f"csv.reader -> csv.writer copy:     {copy_t * per_row:7.2f} us/row")
    print(
        f"faultkit score (priority + SLA):   {score_t * per_row:7.2f} us/row  "
        f"ratio {score_t / copy_t:.2f}x"
    )
    print(
        f"faultkit score --no-sla:           {plain_t * per_row:7.2f} us/row  "
        f"ratio {plain_t / copy_t:.2f}x"
    )
    print(
        f"dateutil on the two dates alone:   {dateutil_t * per_row:7.2f} us/row  "
        f"ratio {dateutil_t / copy_t:.2f}x (not checked)"
    )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(cli())
