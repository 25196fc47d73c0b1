"""Metrics over an event log: speed against a read-only pass, and flat memory.

1. **Speed.** Every figure of :func:`faultkit.metrics.handling_metrics` (times to
   acknowledge, resolve and close with mean / median / P90, reopen rate, response and
   resolution SLA attainment on a round-the-clock policy, the export's SLA flag, open
   backlog, MTRS / MTBF / MTBSI per component), grouped by priority, over ``--events``
   rows (the real ServiceNow sample repeated with fresh incident ids: about 6.7 rows and
   2.8 changes of state per incident), against one pass that only reads the records (every field
   of every :class:`~faultkit.metrics.EventRow`). Measured twice: with the records
   streamed from a generator that builds each one (as an export reader yields them;
   this is the checked ratio, target at most 3x), and over a list of records built
   before timing (printed, not checked: there the read-only pass is a bare attribute
   loop, about 70 ns a row; the figures cost about nine times that: the per-row
   dispatch alone is about twice the bare loop, and each fault's two to three
   durations cost a timedelta-to-seconds conversion and a sketch bucket each).
2. **Memory.** tracemalloc peak while the figures are computed over rows streamed from
   a generator, for ``--events`` rows and for a tenth of that: the peak must not grow
   with the number of rows (the grouped results and the bounded quantile buffers
   aside; a tenth of the rows must already fill those buffers, hence the 1,000,000
   default). Target: the large run's peak at most 1.5x the small one's.

Also printed, not checked: the ratio with business-time SLA clocks
(``DEFAULT_SLA_POLICY``: P3-P5 on an 8x5 calendar), which walk the calendar day by day.

Times are CPU times with the garbage collector off (``_harness.best_times``).

    python benchmarks/bench_metrics.py [--events 1000000] [--memory-events 1000000]
        [--repeat 3] [--check]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _harness import best_times

from faultkit.lifecycle import DEFAULT_SLA_POLICY, ITIL, ROUND_THE_CLOCK, SlaPolicy, SlaTarget
from faultkit.metrics import Dimension, EventRow, handling_metrics
from faultkit.scoring import coded_level

SAMPLE = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "servicenow_incident_event_log_sample.csv"
)
H = timedelta(hours=1)
POLICY_24X7 = SlaPolicy(
    targets={
        level: SlaTarget(response=level * H, resolution=8 * level * H) for level in range(1, 6)
    },
    calendar=ROUND_THE_CLOCK,
)
T0 = datetime(2016, 3, 1, tzinfo=UTC)


def _when(text: str) -> datetime:
    return datetime.strptime(text, "%d-%m-%Y %H:%M").replace(tzinfo=UTC)


def sample_fields() -> list[dict[str, Any]]:
    """The fields of each row of the real sample, or of a ServiceNow-like synthetic log."""
    if SAMPLE.exists():
        with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
            return [
                {
                    "incident": row["number"],
                    "label": row["incident_state"],
                    "at": _when(row["sys_updated_at"]),
                    "opened_at": _when(row["opened_at"]),
                    "priority": coded_level(row["priority"]),
                    "component": None if row["category"] == "?" else row["category"],
                    "made_sla": row["made_sla"] == "TRUE",
                }
                for row in csv.DictReader(handle)
            ]
    path = ("New", "New", "Active", "Awaiting User Info", "Active", "Resolved", "Closed")
    out = []
    for incident in range(1000):
        opened = T0 + incident * H
        for step, label in enumerate(path):
            out.append(
                {
                    "incident": f"INC{incident:07d}",
                    "label": label,
                    "at": opened + step * H,
                    "opened_at": opened,
                    "priority": 1 + incident % 4,
                    "component": f"Category {incident % 40}",
                    "made_sla": incident % 3 > 0,
                }
            )
    return out


def stream(n: int, fields: list[dict[str, Any]]) -> Iterator[EventRow]:
    """``n`` rows: the sample over and over, each copy with fresh incident ids."""
    made = 0
    copy = 0
    while True:
        for row in fields:
            if made == n:
                return
            yield EventRow(**{**row, "incident": f"{copy:05d}-{row['incident']}"})
            made += 1
        copy += 1


def read_only(rows: list[EventRow]) -> None:
    """The baseline: one pass that reads every field of every record."""
    for row in rows:
        row.incident  # noqa: B018 - reading is the point
        row.label  # noqa: B018
        row.at  # noqa: B018
        row.opened_at  # noqa: B018
        row.priority  # noqa: B018
        row.severity  # noqa: B018
        row.component  # noqa: B018
        row.channel  # noqa: B018
        row.made_sla  # noqa: B018


def bench_speed(n: int, repeat: int, fields: list[dict[str, Any]]) -> tuple[float, float]:
    """(streamed ratio, in-memory ratio) of all figures against a read-only pass."""
    rows = list(stream(n, fields))
    now = max(row.at for row in rows)

    def figures(source: Any) -> None:
        handling_metrics(source, ITIL, now=now, group_by=(Dimension.PRIORITY,), sla=POLICY_24X7)

    base, fk, base_s, fk_s = best_times(
        [
            lambda: read_only(rows),
            lambda: figures(rows),
            lambda: read_only(stream(n, fields)),
            lambda: figures(stream(n, fields)),
        ],
        repeat,
    )
    report = handling_metrics(rows, ITIL, now=now, group_by=(Dimension.PRIORITY,))
    print(
        f"{n:,} rows, {report.faults:,} incidents, {report.transitions:,} changes of state; "
        "all figures grouped by priority, SLA on a 24x7 policy"
    )
    print(
        f"  streamed (each record built as a reader yields it): read-only pass {base_s:.3f}s, "
        f"figures {fk_s:.3f}s, ratio {fk_s / base_s:.2f}x"
    )
    print(
        f"  in memory (records built before timing): read-only pass {base:.3f}s, "
        f"figures {fk:.3f}s, ratio {fk / base:.2f}x"
    )
    return fk_s / base_s, fk / base


def bench_business_time(n: int, fields: list[dict[str, Any]]) -> None:
    rows = list(stream(n, fields))
    now = max(row.at for row in rows)
    base, fk = best_times(
        [
            lambda: read_only(rows),
            lambda: handling_metrics(rows, ITIL, now=now, sla=DEFAULT_SLA_POLICY),
        ],
        1,
    )
    print(
        f"business-time SLA clocks (DEFAULT_SLA_POLICY), {n:,} rows: read-only {base:.3f}s, "
        f"figures {fk:.3f}s, ratio {fk / base:.1f}x (not checked)"
    )


def peak(n: int, fields: list[dict[str, Any]]) -> int:
    """tracemalloc peak (bytes) of the figures over ``n`` rows streamed from a generator."""
    now = T0 + timedelta(days=3650)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        handling_metrics(
            stream(n, fields), ITIL, now=now, group_by=(Dimension.PRIORITY,), sla=POLICY_24X7
        )
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bench_memory(n: int, fields: list[dict[str, Any]]) -> float:
    small, large = peak(n // 10, fields), peak(n, fields)
    ratio = large / small
    print(
        f"memory, streamed: peak {small / 1e6:.2f} MB over {n // 10:,} rows, "
        f"{large / 1e6:.2f} MB over {n:,} rows, ratio {ratio:.2f}x"
    )
    return ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--memory-events",
        type=int,
        default=1_000_000,
        help="rows of the large memory run (the small one has a tenth); it says something "
        "once a tenth of it holds more faults per group than the exact limit (10,000); "
        "0 skips it",
    )
    parser.add_argument("--business-events", type=int, default=20_000)
    parser.add_argument("--check", action="store_true", help="exit 1 above 3x / 1.5x")
    args = parser.parse_args(argv)
    fields = sample_fields()
    speed, in_memory = bench_speed(args.events, args.repeat, fields)
    memory = bench_memory(args.memory_events, fields) if args.memory_events else 1.0
    bench_business_time(args.business_events, fields)
    failures = []
    if speed > 3.0:
        failures.append(f"streamed speed ratio {speed:.2f}x is above 3x")
    if in_memory > 3.0:
        print(f"note: in-memory ratio {in_memory:.2f}x is above 3x (not checked)", file=sys.stderr)
    if memory > 1.5:
        failures.append(f"memory ratio {memory:.2f}x is above 1.5x")
    for failure in failures:
        print(f"{'FAIL' if args.check else 'over budget'}: {failure}", file=sys.stderr)
    return 1 if failures and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
