"""Severity + priority for many records: faultkit against a hand-written dict lookup.

Both sides score the same records (an impact assessment, an impact level and an
urgency level each) and give the same answers, checked on every record first:

- baseline: what a developer would write by hand for the default tables - read the
  facts, turn the three numeric thresholds of the default severity rules (100 users,
  half the user base, a day) into booleans, look the 10-tuple up in a prebuilt
  ``dict`` of severities, and look ``(impact, urgency)`` up in a ``dict`` of
  priorities;
- faultkit: ``assess_severity(facts)`` and ``priority(impact, urgency)``, the public
  calls, with their input checks.

The ratio faultkit / baseline is measured in the same run, best of ``--repeat``,
the two loops interleaved.

    python benchmarks/bench_scoring.py [--n 1000000] [--repeat 5] [--check 2.0]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from itertools import product

from faultkit.models import Severity, Urgency
from faultkit.scoring import (
    DataLoss,
    Impact,
    ImpactAssessment,
    Priority,
    ServiceInterruption,
    assess_severity,
    priority,
)
from faultkit.scoring.impact import SCOPE_ORDER

Record = tuple[ImpactAssessment, Impact, Urgency]
DAY = timedelta(days=1)


def make_records(n: int, seed: int = 5, distinct: int = 20_000) -> list[Record]:
    """``n`` records drawn from ``distinct`` random assessments (seeded)."""
    rng = random.Random(seed)
    pool = []
    for _ in range(distinct):
        base = rng.choice((None, 1000))
        users = rng.choice((None, 1, 20, 150, 600))
        pool.append(
            ImpactAssessment(
                scope=rng.choice(SCOPE_ORDER),
                interruption=rng.choice(list(ServiceInterruption)),
                data_loss=rng.choices(list(DataLoss), weights=(90, 8, 2))[0],
                users_affected=users,
                user_base=base,
                safety=rng.random() < 0.02,
                security=rng.random() < 0.05,
                regulatory=rng.random() < 0.03,
                workaround_available=rng.random() < 0.5,
                expected_duration=rng.choice((None, timedelta(hours=2), timedelta(days=2))),
            )
        )
    impacts = list(Impact)
    urgencies = list(Urgency)
    return [(rng.choice(pool), rng.choice(impacts), rng.choice(urgencies)) for _ in range(n)]


def build_baseline_tables() -> tuple[dict[tuple[object, ...], Severity], dict[object, Priority]]:
    """The hand-written side's dicts, filled once from the reference rules."""
    sev: dict[tuple[object, ...], Severity] = {}
    for key in product(
        SCOPE_ORDER, ServiceInterruption, DataLoss, (False, True), (False, True),
        (False, True), (False, True), (False, True), (False, True), (False, True),
    ):  # fmt: skip
        scope, interruption, loss, safety, security, regulatory, workaround, many, half, long_ = key
        facts = ImpactAssessment(
            scope=scope,
            interruption=interruption,
            data_loss=loss,
            safety=safety,
            security=security,
            regulatory=regulatory,
            workaround_available=workaround,
            users_affected=500 if half else (100 if many else 0),
            user_base=1000 if half or many else None,
            expected_duration=DAY if long_ else None,
        )
        sev[key] = assess_severity(facts).level
    prio = {(i, u): priority(i, u) for i in Impact for u in Urgency}
    return sev, prio


def baseline_loop(
    records: list[Record], sev: dict[tuple[object, ...], Severity], prio: dict[object, Priority]
) -> list[tuple[Severity, Priority]]:
    out = []
    append = out.append
    for a, impact, urgency in records:
        users = a.users_affected or 0
        base = a.user_base
        duration = a.expected_duration
        level = sev[
            (
                a.scope,
                a.interruption,
                a.data_loss,
                a.safety,
                a.security,
                a.regulatory,
                a.workaround_available,
                users >= 100,
                base is not None and users * 2 >= base,
                duration is not None and duration >= DAY,
            )
        ]
        append((level, prio[(impact, urgency)]))
    return out


def faultkit_loop(records: list[Record]) -> list[tuple[Severity, Priority]]:
    out = []
    append = out.append
    for a, impact, urgency in records:
        append((assess_severity(a).level, priority(impact, urgency)))
    return out


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(n: int, repeat: int) -> float:
    """Time both loops, interleaved, best of ``repeat``; print and return the ratio."""
    records = make_records(n)
    sev, prio = build_baseline_tables()
    assert baseline_loop(records, sev, prio) == faultkit_loop(records), "answers differ"
    baseline = faultkit = float("inf")
    for _ in range(repeat):  # interleave so both see the same machine load
        baseline = min(baseline, _timed(lambda: baseline_loop(records, sev, prio)))
        faultkit = min(faultkit, _timed(lambda: faultkit_loop(records)))
    ratio = faultkit / baseline
    print(
        f"severity + priority for {n:,} records: hand-written dict lookup {baseline:.3f}s, "
        f"faultkit {faultkit:.3f}s, ratio {ratio:.2f}x"
    )
    return ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--check", type=float, default=None, help="fail above this ratio")
    args = parser.parse_args(argv)
    ratio = run(args.n, args.repeat)
    if args.check is not None and ratio > args.check:
        print(f"FAIL: ratio {ratio:.2f}x is above {args.check}x", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
