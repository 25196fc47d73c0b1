"""Loading stored faults from SQLite: SqlStore against the standard sqlite3 module into dicts.

``--n`` faults (default 10,000), each with 20 history records (events), are stored once
with ``SqlStore`` in an SQLite file. Then, timed:

- candidate: every fault read back as a ``Fault`` through ``store.faults.query``, in
  pages of 1,000 (validated: the codec checks every field, every record);
- baseline: the same rows through ``sqlite3`` - ``SELECT id, version, body FROM
  faultkit_faults ORDER BY reported_us, id`` - each row a dict with its body parsed by
  ``json.loads`` (no validation, no records built).

SqlStore parses stored bodies with orjson when it is installed (the ``sql`` extra);
the same rows read by ``sqlite3`` + ``orjson.loads`` are printed for scale.

CPU times with the garbage collector off, best of ``--repeat`` interleaved rounds.
Target: at most 2x. Each fault holds 20 events (a severity, a priority, 18 work
notes), in the event-sourced fault case's format.

    python benchmarks/bench_storage_load.py [--n 10000] [--repeat 3] [--check 2.0]
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _harness import cpu_time, main

try:
    from orjson import loads as orjson_loads
except ImportError:  # orjson comes with the sql extra; without it SqlStore uses json
    orjson_loads = None

from faultkit.adapters.sql import SqlStore
from faultkit.lifecycle import Fault
from faultkit.models import Person, Severity
from faultkit.storage import FaultQuery
from faultkit.testing.storage_contract import sample_fault

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
EVENTS = 20
PAGE = 1_000


def stored_fault(i: int) -> Fault:
    """Fault ``i`` with ``EVENTS`` events: its severity, its priority and work notes."""
    fault = sample_fault(f"F-{i:06d}", reported_at=T0 + timedelta(minutes=i))
    agent = Person(id=f"agent-{i % 7}", name="Agent")
    at = T0 + timedelta(minutes=i, seconds=1)
    fault.set_severity(Severity((i % 5) + 1), actor=agent, at=at)
    fault.set_priority((i % 5) + 1, actor=agent, at=at)
    for k in range(EVENTS - 2):
        fault.comment(f"call {k} with the customer", actor=agent, at=at, work_note=True)
    return fault


def load_with_store(url: str) -> list[Fault]:
    with SqlStore(url) as store:
        faults: list[Fault] = []
        cursor = None
        while True:
            page = store.faults.query(FaultQuery(), limit=PAGE, cursor=cursor)
            assert not page.corrupt
            faults.extend(v.item for v in page.items)
            cursor = page.next_cursor
            if cursor is None:
                return faults


def load_with_sqlite3(path: Path, loads: Callable[[str], Any] = json.loads) -> list[dict[str, Any]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT id, version, body FROM faultkit_faults ORDER BY reported_us, id"
        ).fetchall()
        return [
            {"id": fault_id, "version": version, "body": loads(body)}
            for fault_id, version, body in rows
        ]
    finally:
        conn.close()


def run(n: int, repeat: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "load.db"
        url = f"sqlite:///{path}"
        with SqlStore(url) as store:
            for i in range(n):
                store.faults.add(stored_fault(i))
        best = {"store": float("inf"), "sqlite3": float("inf")}
        counts: dict[str, int] = {}
        for _ in range(repeat):
            out: list[Any] = []
            seconds = cpu_time(lambda out=out: out.append(load_with_store(url)))
            best["store"] = min(best["store"], seconds)
            counts["store"] = len(out[0])
            assert all(len(f.events) == EVENTS for f in out[0])
            raw: list[Any] = []
            seconds = cpu_time(lambda raw=raw: raw.append(load_with_sqlite3(path)))
            best["sqlite3"] = min(best["sqlite3"], seconds)
            counts["sqlite3"] = len(raw[0])
            if orjson_loads is not None:
                fast: list[Any] = []
                seconds = cpu_time(
                    lambda fast=fast: fast.append(load_with_sqlite3(path, orjson_loads))
                )
                best["orjson"] = min(best.get("orjson", float("inf")), seconds)
    assert counts == {"store": n, "sqlite3": n}, counts
    ratio = best["store"] / best["sqlite3"]
    print(
        f"load {n} faults x {EVENTS} events from SQLite: SqlStore (Fault records) "
        f"{best['store']:.2f} s, sqlite3 + json.loads (dicts) {best['sqlite3']:.2f} s "
        f"-> ratio {ratio:.2f}x (target <= 2x)"
    )
    if "orjson" in best:  # printed, not checked: the baseline is json.loads
        print(
            f"  for scale: sqlite3 + orjson.loads (dicts) {best['orjson']:.2f} s "
            f"-> SqlStore at {best['store'] / best['orjson']:.2f}x of it"
        )
    return ratio


if __name__ == "__main__":
    sys.exit(main(__doc__.splitlines()[0], run, default_n=10_000, default_repeat=3))
