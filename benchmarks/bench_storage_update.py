"""One update of a long fault on SQLite: SqlStore against the standard sqlite3 module.

For each size of ``--sizes`` (default 1,000, 5,000 and 10,000 events), a fault with that
many events (work notes, one second apart: no two share a time) is stored once with
``SqlStore`` in an SQLite file. Then, timed, ``--updates`` updates each way:

- candidate: :func:`faultkit.storage.update_with_retry` adding one work note
  (``store.faults.get``: the body parsed and every event validated into a ``Fault``;
  the command; ``store.faults.save``: the version read, the fault written out, the
  stored text checked to be extended, the row and the new event written);
- baseline: the same row through ``sqlite3`` in one write transaction - ``SELECT`` the
  body, ``json.loads``, append the note's dict, ``json.dumps``, ``UPDATE`` the body,
  ``INSERT`` the event row - what any store keeping a fault as one JSON text must do
  at least (no validation, no records built, no check of the history).

A store that keeps the whole stream in one body cannot update in less than linear
time; the ratio shows how far above that floor faultkit is, at each size. CPU times
with the garbage collector off, best of ``--repeat`` interleaved rounds.

    python benchmarks/bench_storage_update.py [--sizes 1000,5000,10000] [--updates 5]
        [--repeat 3] [--check RATIO]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _harness import best_times

from faultkit.adapters.sql import SqlStore
from faultkit.lifecycle import Fault
from faultkit.models import Person
from faultkit.storage import update_with_retry
from faultkit.testing.storage_contract import sample_fault

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
AGENT = Person(id="agent-3", name="Agent")


def long_fault(events: int) -> Fault:
    """A fault with ``events`` work notes, one second apart."""
    fault = sample_fault("F-LONG", reported_at=T0)
    for k in range(events):
        at = T0 + timedelta(seconds=k + 1)
        fault.comment(f"call {k} with the customer", actor=AGENT, at=at, work_note=True)
    return fault


def _note(fault: Fault) -> None:
    at = fault.last_event_at + timedelta(seconds=1)
    fault.comment("one more call", actor=AGENT, at=at, work_note=True)


def measure(directory: Path, events: int, updates: int, repeat: int) -> float:
    """Print and return the candidate / baseline ratio for a fault of ``events`` events."""
    path = directory / f"update-{events}.db"
    url = f"sqlite:///{path}"
    with SqlStore(url) as store:
        store.faults.add(long_fault(events))
    store = SqlStore(url)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")  # as SqlStore sets it

    def with_store() -> None:
        for _ in range(updates):
            update_with_retry(store.faults, "F-LONG", _note)

    def with_sqlite3() -> None:
        for _ in range(updates):
            conn.execute("BEGIN IMMEDIATE")
            body, version, length = conn.execute(
                "SELECT body, version, history_len FROM faultkit_faults WHERE id = ?",
                ("F-LONG",),
            ).fetchone()
            data = json.loads(body)
            last = datetime.fromisoformat(data["events"][-1]["at"])
            note = {
                "actor": AGENT.id,
                "at": (last + timedelta(seconds=1)).isoformat(),
                "text": "one more call",
                "work_note": True,
                "kind": "comment",
            }
            data["events"].append(note)
            conn.execute(
                "UPDATE faultkit_faults SET body = ?, version = ?, history_len = ? "
                "WHERE id = ? AND version = ?",
                (
                    json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                    version + 1,
                    length + 1,
                    "F-LONG",
                    version,
                ),
            )
            conn.execute(
                "INSERT INTO faultkit_events (fault_id, seq, at_us, body) VALUES (?, ?, ?, ?)",
                ("F-LONG", length, 0, json.dumps(note, separators=(",", ":"))),
            )
            conn.execute("COMMIT")

    try:
        store_s, raw_s = best_times([with_store, with_sqlite3], repeat)
    finally:
        conn.close()
        store.close()
    ratio = store_s / raw_s
    print(
        f"  {events:>6} events: SqlStore {store_s / updates * 1000:.1f} ms/update, "
        f"sqlite3 + json {raw_s / updates * 1000:.1f} ms/update -> ratio {ratio:.2f}x",
        flush=True,
    )
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,10000", help="events, comma-separated")
    parser.add_argument("--updates", type=int, default=5, help="updates per timed round")
    parser.add_argument("--repeat", type=int, default=3, help="rounds, best kept")
    parser.add_argument("--check", type=float, default=None, help="fail above this ratio")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"one update of a fault of N events on SQLite ({args.updates} per round, CPU time)")
    with tempfile.TemporaryDirectory() as directory:
        ratios = [measure(Path(directory), n, args.updates, args.repeat) for n in sizes]
    worst = max(ratios)
    print(f"worst ratio {worst:.2f}x")
    if args.check is not None and worst > args.check:
        print(f"FAIL: ratio {worst:.2f}x is above {args.check}x", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
