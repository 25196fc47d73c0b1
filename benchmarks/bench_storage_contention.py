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
dropped first). Exits 1 when the helper lost or gave up an update.

    python benchmarks/bench_storage_contention.py [--processes 4] [--updates 2500]
        [--postgres URL] [--no-baseline]
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


def _drop(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for table in ("faultkit_events", "faultkit_faults", "faultkit_records", "faultkit_schema"):
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
        f"versions unique {result.versions_unique}, {seconds:.1f} s wall"
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
    locked: bool = False,
) -> tuple[ContentionResult, float]:
    with SqlStore(url) as store:
        store.faults.add(sample_fault(fault_id))
    started = time.perf_counter()
    result = run_contention(
        url, fault_id, processes=processes, updates=updates, policy=policy, locked=locked
    )
    return result, time.perf_counter() - started


def run(url: str, name: str, processes: int, updates: int, *, baseline: bool = True) -> bool:
    """Race the helper (alone, then locked), then the five-attempt loop, on ``url``.

    Returns whether the helper saved every update.
    """
    print(f"{name}: {processes} processes x {updates} updates of one fault")
    result, seconds = _race(url, "U-helper", processes, updates, DEFAULT_RETRY)
    _show("update_with_retry (default policy)", result, seconds)
    locked, seconds = _race(url, "U-locked", processes, updates, DEFAULT_RETRY, locked=True)
    _show("update_with_retry, lock=store.key_lock", locked, seconds)
    if baseline:
        five, seconds = _race(url, "U-five", processes, updates, FIVE_TRIES)
        _show("five attempts, no wait (the old docs loop)", five, seconds)
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
    args = parser.parse_args()
    baseline = not args.no_baseline
    ok = True
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'contention.db'}"
        ok &= run(url, "SQLite", args.processes, args.updates, baseline=baseline)
    if args.postgres:
        _drop(args.postgres)
        ok &= run(args.postgres, "PostgreSQL", args.processes, args.updates, baseline=baseline)
    else:
        print("PostgreSQL: skipped (no --postgres URL)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
