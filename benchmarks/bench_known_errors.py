"""Matching new reports against the known-error database: an index, not a scan.

Generates ``--large`` known errors (symptom texts from sentence templates filled from a
vocabulary of products, parts, actions, conditions and effects; one to three error
codes each, from a space of a million codes), and ``--queries`` new reports: half
reword the symptoms of a known error (words dropped and reordered, a condition added),
half of those also show one of its codes; the other half are unrelated texts. Three
figures, CPU time, best of ``--repeat``:

- scaling: matching the reports against ``--large`` known errors over matching them
  against the first ``--small`` (target: at most 5x for 100,000 against 10,000);
- speed-up: :meth:`~faultkit.problems.KnownErrorIndex.match_exhaustive` (compare with
  every known error) over :meth:`~faultkit.problems.KnownErrorIndex.match`, both at
  ``--large`` (target: at least 50x);
- recall: the share of reworded reports whose source known error is the first match,
  for the index and for the exhaustive reference.

    python benchmarks/bench_known_errors.py [--small 10000] [--large 100000]
        [--queries 200] [--repeat 3] [--check-scaling 5] [--check-speedup 50]
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from _harness import best_times

from faultkit.problems import KnownError, KnownErrorIndex

PRODUCTS = ["printer", "router", "phone", "tablet", "scanner", "camera", "thermostat", "kiosk"]
PARTS = [
    "paper",
    "tray",
    "feeder",
    "roller",
    "fuser",
    "toner",
    "cartridge",
    "drum",
    "display",
    "touchscreen",
    "battery",
    "charger",
    "antenna",
    "radio",
    "modem",
    "firmware",
    "bootloader",
    "sensor",
    "fan",
    "motor",
    "hinge",
    "keypad",
    "speaker",
    "microphone",
    "lens",
    "shutter",
    "flash",
    "memory",
    "card",
    "slot",
    "port",
    "cable",
    "adapter",
    "valve",
    "relay",
    "controller",
    "panel",
]
ACTIONS = [
    "printing",
    "scanning",
    "charging",
    "booting",
    "updating",
    "pairing",
    "syncing",
    "streaming",
    "calibrating",
    "resuming",
    "sleeping",
    "waking",
    "restarting",
    "uploading",
    "downloading",
    "installing",
    "connecting",
    "heating",
    "cooling",
    "dialing",
    "recording",
    "playing",
    "rotating",
    "unlocking",
    "logging",
]
CONDITIONS = [
    "cold",
    "room",
    "humid",
    "weather",
    "high",
    "altitude",
    "low",
    "battery",
    "heavy",
    "load",
    "long",
    "idle",
    "power",
    "cut",
    "firmware",
    "update",
    "network",
    "outage",
    "daylight",
    "saving",
    "change",
    "full",
    "storage",
    "roaming",
    "abroad",
    "night",
    "mode",
    "dusty",
    "site",
    "vibration",
    "peak",
    "hours",
    "factory",
    "reset",
]
EFFECTS = [
    "jams",
    "stalls",
    "freezes",
    "overheats",
    "flickers",
    "reboots",
    "disconnects",
    "drains",
    "crashes",
    "squeaks",
    "smears",
    "blurs",
    "lags",
    "hangs",
    "beeps",
    "leaks",
    "stutters",
    "misfeeds",
    "resets",
    "dims",
]
TEMPLATES = [
    "the {part} {effect} while {action} after a {condition}",
    "{part} {effect} when {action} in {condition}, then the {part2} {effect2}",
    "after {condition} the {part} {effect} and {action} stops",
    "{action} fails: {part} {effect}, {part2} shows an error during {condition}",
    "each time we start {action} the {part} {effect} unless the {part2} is removed",
]


def symptom(rng: random.Random) -> str:
    template = rng.choice(TEMPLATES)
    return (
        template.format(
            part=rng.choice(PARTS),
            part2=rng.choice(PARTS),
            action=rng.choice(ACTIONS),
            condition=" ".join(rng.sample(CONDITIONS, 2)),
            effect=rng.choice(EFFECTS),
            effect2=rng.choice(EFFECTS),
        )
        + " "
        + " ".join(rng.sample(PARTS + ACTIONS, 3))
    )


def known_errors(n: int, seed: int) -> list[KnownError]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        out.append(
            KnownError(
                problem_id=f"PRB-{i:06d}",
                title=f"Known error {i}",
                product=rng.choice(PRODUCTS),
                component=rng.choice(PARTS),
                error_codes=[f"E-{rng.randrange(1_000_000):06d}" for _ in range(rng.randint(1, 3))],
                symptoms=symptom(rng),
                workaround="restart the unit",
                root_cause="see the problem",
            )
        )
    return out


def reword(text: str, rng: random.Random) -> str:
    words = text.split()
    kept = [w for w in words if rng.random() > 0.1]
    i = rng.randrange(len(kept))
    kept[i], kept[-1] = kept[-1], kept[i]
    return " ".join(kept) + " again today"


def queries(
    corpus: list[KnownError], small: int, count: int, seed: int
) -> list[tuple[dict[str, object], str | None]]:
    """(match arguments, expected problem id) per report; sources from the small set."""
    rng = random.Random(seed + 1)
    out: list[tuple[dict[str, object], str | None]] = []
    for i in range(count):
        if i % 2:
            out.append(({"symptoms": symptom(rng), "product": rng.choice(PRODUCTS)}, None))
            continue
        source = corpus[rng.randrange(small)]
        assert source.symptoms is not None
        args: dict[str, object] = {
            "symptoms": reword(source.symptoms, rng),
            "product": source.product,
        }
        if i % 4 == 0:
            args["error_codes"] = [source.error_codes[0]]
        out.append((args, source.problem_id))
    return out


def run_all(index: KnownErrorIndex, reports: list[tuple[dict[str, object], str | None]]) -> int:
    return sum(len(index.match(**args, limit=5)) for args, _ in reports)  # type: ignore[arg-type]


def scan_all(index: KnownErrorIndex, reports: list[tuple[dict[str, object], str | None]]) -> int:
    return sum(
        len(index.match_exhaustive(**args, limit=5))  # type: ignore[arg-type]
        for args, _ in reports
    )


def recall(
    index: KnownErrorIndex, reports: list[tuple[dict[str, object], str | None]]
) -> tuple[float, float]:
    """Share of reworded reports whose source is ranked first: index, exhaustive."""
    hits = scan_hits = total = 0
    for args, expected in reports:
        if expected is None:
            continue
        total += 1
        found = index.match(**args, limit=1)  # type: ignore[arg-type]
        hits += bool(found) and found[0].known_error.problem_id == expected
        found = index.match_exhaustive(**args, limit=1)  # type: ignore[arg-type]
        scan_hits += bool(found) and found[0].known_error.problem_id == expected
    return hits / total, scan_hits / total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check-scaling", type=float, default=None, help="fail above this")
    parser.add_argument("--check-speedup", type=float, default=None, help="fail below this")
    args = parser.parse_args(argv)
    corpus = known_errors(args.large, args.seed)
    start = time.perf_counter()
    large = KnownErrorIndex(corpus)
    built = time.perf_counter() - start
    small = KnownErrorIndex(corpus[: args.small])
    reports = queries(corpus, args.small, args.queries, args.seed)
    t_small, t_large = best_times(
        [lambda: run_all(small, reports), lambda: run_all(large, reports)], args.repeat
    )
    (t_scan,) = best_times([lambda: scan_all(large, reports)], 1)
    scaling = t_large / t_small
    speedup = t_scan / t_large
    per = 1e6 / len(reports)
    print(f"index of {args.large:,} known errors built in {built:.1f} s (wall)")
    print(
        f"match one report: {t_small * per:.0f} us against {args.small:,}, "
        f"{t_large * per:.0f} us against {args.large:,} -> {scaling:.2f}x (target <= 5x)"
    )
    print(
        f"compare with every known error at {args.large:,}: {t_scan * per:.0f} us a report "
        f"-> the index is {speedup:.0f}x faster (target >= 50x)"
    )
    by_index, by_scan = recall(large, reports)
    print(
        f"source ranked first for reworded reports: index {by_index:.1%}, exhaustive {by_scan:.1%}"
    )
    status = 0
    if args.check_scaling is not None and scaling > args.check_scaling:
        print(f"FAIL: scaling {scaling:.2f}x is above {args.check_scaling}x", file=sys.stderr)
        status = 1
    if args.check_speedup is not None and speedup < args.check_speedup:
        print(f"FAIL: speed-up {speedup:.1f}x is below {args.check_speedup}x", file=sys.stderr)
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
