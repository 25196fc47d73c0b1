"""Processes racing updates of one fault: none lost, none given up, and how many attempts.

``--processes`` processes (default 4) each make ``--updates`` updates (default 2,500) of
the same stored fault through :func:`faultkit.storage.update_with_retry` (the default
:class:`~faultkit.storage.RetryPolicy`: full jitter, 1 ms doubling to 50 ms). Each
update increments a counter kept in the fault (``faultkit.testing.contention``): the
final counter equals the updates saved only if no update was lost.

The same again with ``lock=store.key_lock`` (a PostgreSQL advisory lock per fault;
nothing on SQLite). The baseline, run the same way on the same database, is the loop docs/storage.md
showed before: up to five attempts, no wait between them. Its give-ups are printed.

Runs on an SQLite file, and on PostgreSQL when ``--postgres URL`` (or the
``FAULTKIT_TEST_POSTGRES_URL`` variable) names a database (its faultkit tables are
dropped first; give a database, or a schema through ``?options=-csearch_path=NAME``,
of your own). Each phase prints a line when it starts and one when it ends (wall time,
and the CPU time of the racing processes together); the first worker prints its
progress every ``--progress`` updates (a tenth by default). Each update adds an event:
the fault grows to processes x updates events, and an update reads and writes the
whole fault, so the time grows with the square of the updates. Exits 1 when the
helper lost or gave up an update.

    python benchmarks/bench_storage_contention.py [--processes 4] [--updates 2500]
        [--postgres URL] [--no-sqlite] [--no-baseline] [--progress N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from faultkit.adapters.sql import SqlStore
from faultkit.storage import DEFAULT_RETRY, RetryPolicy
from faultkit.testing.contention import ContentionResult, run_contention
from faultkit.testing.storage_contract import sample_fault

FIVE_TRIES = RetryPolicy(max_attempts=5, base_delay=0.0, max_delay=0.0)


_TABLES = (
    "faultkit_events",
    "faultkit_faults",
    "faultkit_records",
    "faultkit_feedback_cases",
    "faultkit_problem_faults",
    "faultkit_problem_codes",
    "faultkit_problems",
    "faultkit_schema",
)


def _drop(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for table in _TABLES:
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
    engine.dispose()


def _percentile(attempts: dict[int, int], share: float) -> int:
    total = sum(attempts.values())
    seen = 0
    for count, updates in sorted(attempts.items()):
        seen += updates
        if seen >= share * total:
            return count
    return 0


def _show(label: str, result: ContentionResult, seconds: float) -> None:
    print(
        f"  {label}: saved {result.updates}, lost {result.lost}, gave up {result.gave_up}, "
        f"versions unique {result.versions_unique}, {seconds:.1f} s wall, "
        f"{result.cpu_seconds:.1f} s CPU (processes together)",
        flush=True,
    )
    if result.attempts:
        print(
            f"    attempts: median {_percentile(result.attempts, 0.5)}, "
            f"p90 {_percentile(result.attempts, 0.9)}, p99 {_percentile(result.attempts, 0.99)}, "
            f"max {result.max_attempts}"
        )
        print(f"    distribution (attempts: updates): {result.attempts}")


def _race(
    url: str,
    fault_id: str,
    processes: int,
    updates: int,
    policy: RetryPolicy,
    *,
    label: str,
    progress: int,
    locked: bool = False,
) -> ContentionResult:
    print(f"  {label}: started", flush=True)
    with SqlStore(url) as store:
        store.faults.add(sample_fault(fault_id))
    started = time.perf_counter()
    result = run_contention(
        url,
        fault_id,
        processes=processes,
        updates=updates,
        policy=policy,
        locked=locked,
        progress=progress,
    )
    _show(label, result, time.perf_counter() - started)
    return result


def run(
    url: str,
    name: str,
    processes: int,
    updates: int,
    *,
    baseline: bool = True,
    progress: int = 0,
) -> bool:
    """Race the helper (alone, then locked), then the five-attempt loop, on ``url``.

    Returns whether the helper saved every update.
    """
    print(f"{name}: {processes} processes x {updates} updates of one fault", flush=True)
    result = _race(
        url,
        "U-helper",
        processes,
        updates,
        DEFAULT_RETRY,
        label="update_with_retry (default policy)",
        progress=progress,
    )
    locked = _race(
        url,
        "U-locked",
        processes,
        updates,
        DEFAULT_RETRY,
        label="update_with_retry, lock=store.key_lock",
        progress=progress,
        locked=True,
    )
    if baseline:
        _race(
            url,
            "U-five",
            processes,
            updates,
            FIVE_TRIES,
            label="five attempts, no wait (the old docs loop)",
            progress=progress,
        )
    return all(
        done.lost == 0
        and done.gave_up == 0
        and done.versions_unique
        and done.updates == processes * updates
        for done in (result, locked)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--updates", type=int, default=2_500)
    parser.add_argument("--postgres", default=os.environ.get("FAULTKIT_TEST_POSTGRES_URL"))
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the five-attempt loop (quick runs)"
    )
    parser.add_argument("--no-sqlite", action="store_true", help="race on PostgreSQL only")
    parser.add_argument("--progress", type=int, default=None, help="updates between progress lines")
    args = parser.parse_args()
    baseline = not args.no_baseline
    progress = args.progress if args.progress is not None else max(args.updates // 10, 1)
    ok = True
    if args.no_sqlite:
        print("SQLite: skipped (--no-sqlite)")
    else:
        with tempfile.TemporaryDirectory() as directory:
            url = f"sqlite:///{Path(directory) / 'contention.db'}"
            ok &= run(
                url, "SQLite", args.processes, args.updates, baseline=baseline, progress=progress
            )
    if args.postgres:
        _drop(args.postgres)
        ok &= run(
            args.postgres,
            "PostgreSQL",
            args.processes,
            args.updates,
            baseline=baseline,
            progress=progress,
        )
    else:
        print("PostgreSQL: skipped (no --postgres URL)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
