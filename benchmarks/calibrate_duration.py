"""Calibration of the duration prediction on a real export: does P10-P90 hold 80 %?

Reads a ServiceNow incident event log (the bundled sample: the first 5,998 rows of the
UCI "Incident management process enriched event log", CC BY 4.0), one incident per
``number``: opened at ``opened_at`` (the first row), resolved at ``resolved_at`` (the
last row; the export writes the final value on every row), grouped by ``category``.

The incidents are split by opening time: the earlier 70 % are the history, the later
30 % are predicted, and each later incident's time to resolve is compared with the
P10-P90 band of its group (``DurationModel``, keys ``--keys``, fallback to all history
below ``--min-samples``). Two points of view:

- ``end``: the history as it stands at the end of the data (the last update in the
  file). An incident not resolved by then, or closed without a resolution time, is an
  open fault, censored at that time (at ``closed_at`` for the latter).
- ``split``: the history as it stood when the first later incident was opened - what a
  live predictor would have had. Incidents resolved after that moment were still open
  then: censored at the split.

Each is printed with the open faults (Kaplan-Meier) and without them (resolved only,
as faultkit 0.1 predicted). A later incident is *inside* when ``P10 <= time <= P90``
(a P90 of ``None`` - the curve never got that low - counts as no upper bound, and is
counted apart); a later incident closed without a resolution time has no time to
score: it is counted as *unscored*, never as inside.

    python benchmarks/calibrate_duration.py [CSV] [--keys category] [--min-samples 10]

Without CSV it reads ``shared/data/servicenow_incident_event_log_sample.csv`` beside the
checkout, or in the folder ``FAULTKIT_SHARED_DATA`` names (as the tests do).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections import Counter
from collections.abc import Hashable
from datetime import UTC, datetime
from pathlib import Path

from faultkit.scoring import DurationModel, OpenFault, ResolvedFault

# The shared data beside the checkout, or where FAULTKIT_SHARED_DATA says (as the tests).
SAMPLE = (
    Path(
        os.environ.get("FAULTKIT_SHARED_DATA")
        or Path(__file__).resolve().parents[1].parent / "shared" / "data"
    )
    / "servicenow_incident_event_log_sample.csv"
)


def when(text: str) -> datetime | None:
    """A day-first ``dd-mm-yyyy HH:MM`` cell (no zone: read as UTC), ``None`` for ``?``."""
    if text in ("", "?"):
        return None
    return datetime.strptime(text, "%d-%m-%Y %H:%M").replace(tzinfo=UTC)


Incident = tuple[str, datetime, datetime | None, datetime | None, dict[str, Hashable]]


def read_incidents(path: Path) -> list[Incident]:
    """(number, opened, resolved, closed, groups) per incident, ordered by opening time."""
    first: dict[str, dict[str, str]] = {}
    last: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            first.setdefault(row["number"], row)
            last[row["number"]] = row
    incidents = []
    for number, row in first.items():
        opened = when(row["opened_at"])
        if opened is None:
            print(f"{number}: no opened_at, skipped", file=sys.stderr)
            continue
        final = last[number]
        groups: dict[str, Hashable] = {
            "category": None if final["category"] == "?" else final["category"],
            "priority": None if final["priority"] == "?" else final["priority"],
        }
        incidents.append(
            (number, opened, when(final["resolved_at"]), when(final["closed_at"]), groups)
        )
    incidents.sort(key=lambda i: i[1])
    return incidents


def history(earlier: list[Incident], now: datetime) -> list[ResolvedFault | OpenFault]:
    """The earlier incidents as they stood at ``now``."""
    faults: list[ResolvedFault | OpenFault] = []
    for number, opened, resolved, closed, groups in earlier:
        if resolved is not None and resolved <= now:
            faults.append(ResolvedFault(duration=resolved - opened, groups=groups, id=number))
        elif resolved is None and closed is not None and closed <= now:
            # Closed without a resolution: observed unresolved until it was closed.
            faults.append(OpenFault(reported_at=opened - (now - closed), groups=groups))
        else:
            faults.append(OpenFault(reported_at=opened, groups=groups, id=number))
    return faults


def score(
    model: DurationModel, later: list[Incident]
) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """Counts of inside / below / above / unscored, overall and per group used."""
    overall: Counter[str] = Counter()
    groups: dict[str, Counter[str]] = {}
    for _number, opened, resolved, _closed, values in later:
        p = model.predict(values)
        name = ", ".join(str(v) for _, v in p.group) or "(all history)"
        counts = groups.setdefault(name, Counter())
        if resolved is None:
            outcome = "unscored"
        else:
            took = resolved - opened
            if p.p10 is None or took < p.p10:
                outcome = "below"
            elif p.p90 is not None and took > p.p90:
                outcome = "above"
            else:
                outcome = "inside" if p.p90 is not None else "inside_open_ended"
        for c in (overall, counts):
            c[outcome] += 1
    return overall, groups


def share(c: Counter[str]) -> str:
    scored = sum(c.values()) - c["unscored"]
    if not scored:
        return "nothing scored"
    inside = c["inside"] + c["inside_open_ended"]
    return (
        f"{inside / scored:6.1%} inside P10-P90 ({inside}/{scored}; below {c['below']}, "
        f"above {c['above']}, no P90 {c['inside_open_ended']}, unscored {c['unscored']})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--keys", default="category", help="grouping keys, comma separated")
    parser.add_argument("--min-samples", type=int, default=10)
    parser.add_argument("--fit-share", type=float, default=0.7)
    parser.add_argument("--groups", action="store_true", help="print every group")
    args = parser.parse_args(argv)
    if not args.csv.is_file():
        print(
            f"no export at {args.csv}: give its path, or set FAULTKIT_SHARED_DATA",
            file=sys.stderr,
        )
        return 2
    incidents = read_incidents(args.csv)
    cut = round(len(incidents) * args.fit_share)
    earlier, later = incidents[:cut], incidents[cut:]
    split = later[0][1]
    end = max(t for i in incidents for t in (i[1], i[2], i[3]) if t is not None)
    keys = tuple(k.strip() for k in args.keys.split(",") if k.strip())
    print(
        f"{len(incidents)} incidents; history: the first {len(earlier)} opened "
        f"(to {earlier[-1][1]:%Y-%m-%d %H:%M}), predicted: the {len(later)} opened from "
        f"{split:%Y-%m-%d %H:%M}; keys {keys}, min_samples {args.min_samples}"
    )
    took = [i[2] - i[1] for i in later if i[2] is not None]
    took.sort()
    print(
        f"later incidents' times to resolve: median {took[len(took) // 2]}, "
        f"P90 {took[int(len(took) * 0.9)]}"
    )
    for view, now in (("end", end), ("split", split)):
        faults = history(earlier, now)
        n_open = sum(isinstance(f, OpenFault) for f in faults)
        for label, used in (
            ("with open faults (Kaplan-Meier)", faults),
            ("resolved only (faultkit 0.1)", [f for f in faults if isinstance(f, ResolvedFault)]),
        ):
            model = DurationModel(used, now=now, keys=keys, min_samples=args.min_samples)
            overall, groups = score(model, later)
            print(f"\n[{view}: now {now:%Y-%m-%d %H:%M}, {n_open} of the history open] {label}")
            print(f"  overall: {share(overall)}")
            whole = model.predict({})
            print(
                f"  all history: P10 {whole.p10}, P50 {whole.p50}, P90 {whole.p90} "
                f"({whole.samples} faults, {whole.open} open)"
            )
            shown = (
                groups.items()
                if args.groups
                else sorted(groups.items(), key=lambda kv: -sum(kv[1].values()))[:6]
            )
            for name, counts in shown:
                print(f"  {name:>24}: {share(counts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
