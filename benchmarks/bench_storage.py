"""The SQL store on SQLite against the same work done with the standard library's sqlite3.

Both sides work on the same database file layout (the schema ``SqlStore`` creates, in
WAL mode with ``synchronous=NORMAL``), with the same faults, and produce the same
results:

1. ``--n`` saves (default 10,000): each save appends one event (a fact command: the
   severity changed, with its reason) to one of 500 faults, with the version read. By
   hand: ``BEGIN IMMEDIATE``, read the version and stream length,
   ``UPDATE ... WHERE id = ? AND version = ?``, insert the new event, ``COMMIT``;
   bodies are JSON from the same codec.
2. ``--n`` indexed queries (default 10,000): faults in one state and one component,
   first page of 5, each result read back into a ``Fault``. By hand: the same
   ``SELECT ... ORDER BY reported_us, id LIMIT 6`` and ``json.loads`` + the codec.

The faults to save are built before each timed round (on both sides). Times are CPU
times with the garbage collector off (``_harness.cpu_time``), best of ``--repeat``
interleaved rounds. Target: the SQL store costs at most 2x the hand-written code.

    python benchmarks/bench_storage.py [--n 10000] [--repeat 3] [--check 2.0]
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _harness import cpu_time, main

from faultkit.adapters.sql import SqlStore
from faultkit.lifecycle import Fault
from faultkit.models import Person, Severity
from faultkit.storage import FaultCodec, FaultQuery, Versioned
from faultkit.storage.records import micros
from faultkit.testing.storage_contract import sample_fault

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
FAULTS = 500
STATES = ("recorded", "diagnosing", "resolved")
COMPONENTS = ("api", "billing", "ui", "db")
PAGE = 5


def initial_faults() -> list[Fault]:
    """The faults stored before each round."""
    return [
        sample_fault(
            f"F-{i:05d}",
            reported_at=T0 + timedelta(minutes=i),
            component=COMPONENTS[i % len(COMPONENTS)],
            state=STATES[i % len(STATES)],
        )
        for i in range(FAULTS)
    ]


def planned_saves(faults: list[Fault], n: int) -> list[tuple[Fault, int]]:
    """``n`` (fault to save, version it was read at), one more event each time.

    Each save's fault is a copy of the previous one with its severity changed by one
    command (an audited event with a reason), so every save appends one event.
    """
    current = list(faults)
    versions = [1] * len(faults)
    plan = []
    actor = Person(id="bench", name="Benchmark")
    for i in range(n):
        k = i % len(current)
        fault = current[k]
        changed = Fault(report=fault.report, state=fault.state, events=fault.events)
        severity = Severity((fault.severity or 0) % 5 + 1)
        changed.set_severity(
            severity, actor=actor, at=fault.last_event_at + timedelta(minutes=1), reason=f"save {i}"
        )
        plan.append((changed, versions[k]))
        current[k] = changed
        versions[k] += 1
    return plan


def queries(n: int) -> list[FaultQuery]:
    """``n`` queries on one state and one component."""
    return [
        FaultQuery(states=STATES[i % len(STATES)], components=COMPONENTS[i % len(COMPONENTS)])
        for i in range(n)
    ]


def fresh_database(directory: Path, name: str) -> str:
    """A new database file with the store's schema and the initial faults."""
    path = directory / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    with SqlStore(url) as store:
        for fault in initial_faults():
            store.faults.add(fault)
    return str(path)


# --------------------------------------------------------------------------- candidate


def with_store(path: str, plan: list[tuple[Fault, int]], asks: list[FaultQuery]) -> Any:
    store = SqlStore(f"sqlite:///{path}")

    def work() -> tuple[int, int]:
        saved = 0
        for fault, version in plan:
            saved += store.faults.save(fault, expected_version=version)
        found = 0
        for query in asks:
            found += len(store.faults.query(query, limit=PAGE).items)
        return saved, found

    return store, work


# --------------------------------------------------------------------------- baseline


def by_hand(path: str, plan: list[tuple[Fault, int]], asks: list[FaultQuery]) -> Any:
    codec = FaultCodec()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")

    def save(fault: Fault, expected: int) -> int:
        data = codec.dump(fault)
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute(
                "SELECT version, history_len FROM faultkit_faults WHERE id = ?", (fault.id,)
            ).fetchone()
            if row is None or row[0] != expected:
                raise RuntimeError("conflict")
            stored_len = row[1]
            conn.execute(
                "UPDATE faultkit_faults SET version = ?, history_len = ?, state = ?, "
                "severity = ?, priority = ?, component = ?, reported_us = ?, body = ? "
                "WHERE id = ? AND version = ?",
                (
                    expected + 1,
                    len(fault.events),
                    fault.state,
                    None if fault.severity is None else int(fault.severity),
                    fault.priority,
                    fault.report.component,
                    micros(fault.report.reported_at),
                    body,
                    fault.id,
                    expected,
                ),
            )
            conn.executemany(
                "INSERT INTO faultkit_events (fault_id, seq, at_us, body) VALUES (?, ?, ?, ?)",
                [
                    (
                        fault.id,
                        stored_len + offset,
                        micros(event.at),
                        json.dumps(event_data, ensure_ascii=False, separators=(",", ":")),
                    )
                    for offset, (event, event_data) in enumerate(
                        zip(fault.events[stored_len:], data["events"][stored_len:], strict=True)
                    )
                ],
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return expected + 1

    def query(ask: FaultQuery) -> list[Versioned[Fault]]:
        (state,) = ask.states or ()
        (component,) = ask.components or ()
        rows = conn.execute(
            "SELECT id, version, body, reported_us FROM faultkit_faults "
            "WHERE state IN (?) AND component IN (?) ORDER BY reported_us, id LIMIT ?",
            (state, component, PAGE + 1),
        ).fetchall()
        return [
            Versioned(codec.load(json.loads(body)), version) for _, version, body, _ in rows[:PAGE]
        ]

    def work() -> tuple[int, int]:
        saved = 0
        for fault, version in plan:
            saved += save(fault, version)
        found = 0
        for ask in asks:
            found += len(query(ask))
        return saved, found

    return conn, work


def run(n: int, repeat: int) -> float:
    faults = initial_faults()
    plan = planned_saves(faults, n)
    asks = queries(n)
    best: dict[str, float] = {}
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for _ in range(repeat):
            for name, build in (("store", with_store), ("sqlite3", by_hand)):
                path = fresh_database(directory, name)
                handle, work = build(path, plan, asks)
                outcome: list[Any] = []
                seconds = cpu_time(lambda work=work, outcome=outcome: outcome.append(work()))
                handle.close()
                best[name] = min(best.get(name, float("inf")), seconds)
                results[name] = outcome[0]
    assert results["store"] == results["sqlite3"], results
    ratio = best["store"] / best["sqlite3"]
    print(
        f"{n} saves + {n} indexed queries (page of {PAGE}) on SQLite: "
        f"SqlStore {best['store']:.2f} s, sqlite3 by hand {best['sqlite3']:.2f} s "
        f"-> ratio {ratio:.2f}x (target <= 2x)"
    )
    return ratio


if __name__ == "__main__":
    sys.exit(main(__doc__.splitlines()[0], run, default_n=10_000, default_repeat=3))
