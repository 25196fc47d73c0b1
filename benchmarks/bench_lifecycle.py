"""The lifecycle's three budgets, each a ratio against a baseline measured in the same run.

1. A guarded, audited transition (``Lifecycle.fire``: requirements checked, ``at``
   checked, record appended to the history) against a bare ``transitions`` trigger on
   a shared headless machine (``model=None``, ``machine.events[name].trigger(obj)``)
   with no guards, over the same ten-trigger sequence of the ``itil`` workflow per
   fault (objects built before each timed round on both sides). Target: at most 1.5x.
1b. An audited fact command (``Fault.set_priority`` with a reason: who, when and
   value checked, before/after recorded as a ``FactChange``) against the same bare
   trigger, ten commands per fault. Target: at most 1.5x.
2. Lifecycle overhead per fault beyond the record itself: tracemalloc bytes for
   ``Lifecycle.open`` over 100,000 already built fault reports. Target: at most 200 bytes.
3. Validating 1,000,000 events of an event log (the real ServiceNow sample repeated
   with fresh incident ids) against a bare loop doing one dict lookup per event.
   Target: at most 3x.

Times are CPU times with the garbage collector off (``_harness.cpu_time``).

    python benchmarks/bench_lifecycle.py [--faults 20000] [--events 1000000] [--repeat 5]
        [--check]
"""

from __future__ import annotations

import argparse
import csv
import gc
import sys
import tracemalloc
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import attrs
from _harness import best_times, cpu_time
from transitions import Machine

from faultkit.lifecycle import ITIL, Fault, Lifecycle
from faultkit.lifecycle.eventlog import validate_event_log
from faultkit.models import (
    FaultReport,
    Frequency,
    ImpactScope,
    IntakeChannel,
    Person,
    Reporter,
    Urgency,
)

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
CYCLE = ("start", *(("hold", "resume") * 3), "resolve", "reopen", "hold")
"""Ten transitions per fault; hold and reopen check a requirement (a reason is given)."""


def make_reports(n: int) -> list[FaultReport]:
    """``n`` distinct, valid fault reports."""
    reporter = Reporter(id="u1", name="Ann Example")
    return [
        FaultReport(
            id=f"F-{i:07d}",
            title="Printer queue stalls",
            description="Jobs stay in the queue.",
            observed_at=T0,
            reported_at=T0,
            reporter=reporter,
            channel=IntakeChannel.HOTLINE,
            product="PrintHub",
            frequency=Frequency.RECURRING,
            impact_scope=ImpactScope.USER_GROUP,
            urgency=Urgency.MEDIUM,
        )
        for i in range(n)
    ]


@attrs.define(slots=True)
class _Bare:
    state: str


def bench_transitions(n_faults: int, repeat: int) -> float:
    """Ratio of ``Lifecycle.fire`` to a bare headless ``transitions`` trigger."""
    lifecycle = Lifecycle(ITIL)
    machine = Machine(
        model=None,
        states=list(ITIL.state_names),
        transitions=[
            {"trigger": row.trigger, "source": list(row.sources), "dest": row.dest}
            for row in ITIL.transitions
        ],
        initial=ITIL.initial,
        auto_transitions=False,
    )
    events = {name: machine.events[name] for name in ITIL.triggers}
    reports = make_reports(n_faults)
    actor = Person(id="agent-7", name="Agent Seven")
    times = [T0 + timedelta(minutes=k) for k in range(len(CYCLE))]
    steps = list(zip(CYCLE, times, strict=True))
    fire = lifecycle.fire

    def faultkit(faults: list[Fault]) -> None:
        for fault in faults:
            for trigger, at in steps:
                fire(fault, trigger, actor=actor, at=at, reason="awaiting caller")

    def bare(objects: list[_Bare]) -> None:
        for obj in objects:
            for trigger, _at in steps:
                events[trigger].trigger(obj)

    # Faults and bare objects are built before each timed round: creating a fault is
    # not part of a transition. Rounds interleave; the best CPU time of each is kept.
    base = fk = float("inf")
    for _ in range(repeat):
        objects = [_Bare("new") for _ in reports]
        faults = [lifecycle.open(report) for report in reports]
        base = min(base, cpu_time(partial(bare, objects)))
        fk = min(fk, cpu_time(partial(faultkit, faults)))
        assert all(fault.state == "on_hold" and len(fault.history) == 10 for fault in faults)
    n = n_faults * len(CYCLE)
    ratio = fk / base
    print(
        f"transitions x{n:,}: bare transitions trigger {base / n * 1e6:.2f} us, "
        f"Lifecycle.fire (guarded, audited) {fk / n * 1e6:.2f} us, ratio {ratio:.2f}x"
    )
    return ratio


def bench_fact_commands(n_faults: int, repeat: int) -> float:
    """Ratio of an audited fact command to a bare headless ``transitions`` trigger."""
    lifecycle = Lifecycle(ITIL)
    machine = Machine(
        model=None,
        states=list(ITIL.state_names),
        transitions=[
            {"trigger": row.trigger, "source": list(row.sources), "dest": row.dest}
            for row in ITIL.transitions
        ],
        initial=ITIL.initial,
        auto_transitions=False,
    )
    events = {name: machine.events[name] for name in ITIL.triggers}
    reports = make_reports(n_faults)
    actor = Person(id="agent-7", name="Agent Seven")
    steps = [(1 + k % 5, T0 + timedelta(minutes=k), f"reassessed {k}") for k in range(len(CYCLE))]
    bare_steps = list(zip(CYCLE, range(len(CYCLE)), strict=True))

    def faultkit(faults: list[Fault]) -> None:
        for fault in faults:
            set_priority = fault.set_priority
            for priority, at, reason in steps:
                set_priority(priority, actor=actor, at=at, reason=reason)

    def bare(objects: list[_Bare]) -> None:
        for obj in objects:
            for trigger, _k in bare_steps:
                events[trigger].trigger(obj)

    base = fk = float("inf")
    for _ in range(repeat):
        objects = [_Bare("new") for _ in reports]
        faults = [lifecycle.open(report) for report in reports]
        base = min(base, cpu_time(partial(bare, objects)))
        fk = min(fk, cpu_time(partial(faultkit, faults)))
        assert all(len(fault.events) == 10 and fault.priority == 5 for fault in faults)
    n = n_faults * len(CYCLE)
    ratio = fk / base
    print(
        f"fact commands x{n:,}: bare transitions trigger {base / n * 1e6:.2f} us, "
        f"Fault.set_priority (audited) {fk / n * 1e6:.2f} us, ratio {ratio:.2f}x"
    )
    return ratio


def bench_memory(n: int) -> float:
    """tracemalloc bytes per fault for ``Lifecycle.open`` beyond the report itself."""
    lifecycle = Lifecycle(ITIL)
    reports = make_reports(n)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    faults = [lifecycle.open(report) for report in reports]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    per_fault = (after - before) / n
    print(f"memory over {n:,} faults: {per_fault:.1f} bytes per fault beyond its report")
    del faults
    return per_fault


SAMPLE = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "servicenow_incident_event_log_sample.csv"
)


def make_events(n: int) -> list[tuple[str, str, datetime]]:
    """``n`` rows of a real ServiceNow event log (the shared sample, repeated with fresh
    incident ids), or of a ServiceNow-like synthetic log when the sample is absent."""
    if SAMPLE.exists():
        with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
            sample = [
                (
                    row["number"],
                    row["incident_state"],
                    datetime.strptime(row["sys_updated_at"], "%d-%m-%Y %H:%M"),
                )
                for row in csv.DictReader(handle)
            ]
        rows: list[tuple[str, str, datetime]] = []
        copy = 0
        while len(rows) < n:
            rows.extend((f"{copy:05d}-{incident}", label, at) for incident, label, at in sample)
            copy += 1
        return rows[:n]
    return make_synthetic_events(n)


def make_synthetic_events(n: int) -> list[tuple[str, str, datetime]]:
    """``n`` rows of a ServiceNow-like log: repeated states, holds, reopens, closures."""
    path = (
        "New",
        "New",
        "Active",
        "Awaiting User Info",
        "Awaiting User Info",
        "Active",
        "Resolved",
        "Active",
        "Resolved",
        "Closed",
    )
    rows = []
    incident = 0
    while len(rows) < n:
        name = f"INC{incident:07d}"
        for k, label in enumerate(path):
            rows.append((name, label, T0 + timedelta(minutes=k)))
        incident += 1
    return rows[:n]


def bench_event_log(n: int, repeat: int) -> float:
    """Ratio of ``validate_event_log`` to a bare loop with one dict lookup per event."""
    rows = make_events(n)
    label_map = dict(ITIL.label_map)

    def bare() -> None:
        for _incident, label, _at in rows:
            label_map[label]

    def faultkit() -> None:
        report = validate_event_log(rows, ITIL)
        assert not report.illegal_transitions, report.violations[:3]

    base, fk = best_times([bare, faultkit], repeat)
    ratio = fk / base
    print(
        f"event log {n:,} events: bare dict-lookup loop {base:.3f}s, "
        f"validate_event_log {fk:.3f}s, ratio {ratio:.2f}x"
    )
    return ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faults", type=int, default=20_000, help="faults for the trigger run")
    parser.add_argument("--memory-faults", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 above 1.5x / 1.5x / 200 bytes / 3x"
    )
    args = parser.parse_args(argv)
    trigger_ratio = bench_transitions(args.faults, args.repeat)
    command_ratio = bench_fact_commands(args.faults, args.repeat)
    per_fault = bench_memory(args.memory_faults)
    log_ratio = bench_event_log(args.events, args.repeat)
    failures = []
    if trigger_ratio > 1.5:
        failures.append(f"transition ratio {trigger_ratio:.2f}x is above 1.5x")
    if command_ratio > 1.5:
        failures.append(f"fact command ratio {command_ratio:.2f}x is above 1.5x")
    if per_fault > 200:
        failures.append(f"{per_fault:.0f} bytes per fault is above 200")
    if log_ratio > 3.0:
        failures.append(f"event-log ratio {log_ratio:.2f}x is above 3x")
    for failure in failures:
        print(f"{'FAIL' if args.check else 'over budget'}: {failure}", file=sys.stderr)
    return 1 if failures and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
