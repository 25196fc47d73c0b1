"""Calibration of the duration prediction on a real export: does P10-P90 hold 80 %?

Reads a ServiceNow incident event log (the bundled sample: the first 5,998 rows of the
UCI "Incident management process enriched event log", CC BY 4.0), one incident per
``number``: opened at ``opened_at`` (the first row), resolved at ``resolved_at`` (the
last row; the export writes the final value on every row), grouped by ``category``.
Where ``resolved_at`` is ``?`` (29 incidents of the sample, each logged first already
``Resolved`` and closed five days later, as the instance closes resolved incidents) the
resolution time is read from the rows: the update of the first row of the last run of
``Resolved`` rows, the rule that gives ``resolved_at`` itself for 844 of the 861
incidents that have it.

The incidents are split by opening time: the earlier 70 % are the history, the later
30 % are predicted, and each later incident's time to resolve is compared with the
P10-P90 band of its group (``DurationModel``, keys ``--keys``, fallback to all history
below ``--min-samples``). Two points of view:

- ``end``: the history as it stands at the end of the data (the last update in the
  file, or ``--end``). An incident not resolved by then is an open fault, censored at
  that time; one closed without ever being resolved, censored at ``closed_at``.
- ``split``: the history as it stood when the first later incident was opened - what a
  live predictor would have had. Incidents resolved after that moment were still open
  then: censored at the split.

Each is printed with the open faults (Kaplan-Meier) and without them (resolved only,
as faultkit 0.1 predicted). How a later incident is counted, with ``t`` its time to
resolve:

- resolved by the end: *inside* when ``P10 <= t <= P90`` (a P90 of ``None`` - the curve
  never got that low - is no upper bound, and such an incident is counted apart as
  *no P90*), else *below* or *above*;
- still open at the end, open for ``c`` so far (right-censored: ``t > c``): *above*
  when ``c > P90`` (a miss already certain); *open in band* when ``P10 <= c <= P90``
  (not a miss yet: it ends inside or above); *open below P10* when ``c < P10``
  (unknown: below, inside or above). Both open kinds are left out of the share and
  counted apart, and the share is printed with its bounds: all of them misses, all of
  them inside;
- closed without ever being resolved: no time to resolve, *unscored*, never inside.

    python benchmarks/calibrate_duration.py [CSV] [--keys category] [--min-samples 10]
        [--end 2016-04-01T00:00]

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

from faultkit.scoring import DurationModel, DurationPrediction, OpenFault, ResolvedFault

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


def resolution_in_log(rows: list[dict[str, str]]) -> datetime | None:
    """When the incident was last resolved, read from its rows (``None`` if never).

    The update (``sys_updated_at``) of the first row of the last run of ``Resolved``
    rows: the rule that gives ``resolved_at`` itself for 844 of the sample's 861
    incidents that have one (the other 17: the last row of that run, minutes later).
    """
    start = None
    for before, row in zip([None, *rows], rows, strict=False):
        resolved = row["incident_state"] == "Resolved"
        if resolved and (before is None or before["incident_state"] != "Resolved"):
            start = row
    return None if start is None else when(start["sys_updated_at"])


def read_incidents(path: Path) -> list[Incident]:
    """(number, opened, resolved, closed, groups) per incident, ordered by opening time.

    ``resolved`` is ``resolved_at``; where the export leaves it ``?`` (29 incidents of
    the sample, each logged first as already ``Resolved`` and closed about five days
    later), the time the log shows it resolved (:func:`resolution_in_log`).
    """
    rows: dict[str, list[dict[str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows.setdefault(row["number"], []).append(row)
    incidents = []
    inferred = 0
    for number, updates in rows.items():
        opened = when(updates[0]["opened_at"])
        if opened is None:
            print(f"{number}: no opened_at, skipped", file=sys.stderr)
            continue
        final = updates[-1]
        groups: dict[str, Hashable] = {
            "category": None if final["category"] == "?" else final["category"],
            "priority": None if final["priority"] == "?" else final["priority"],
        }
        resolved = when(final["resolved_at"])
        if resolved is None:
            resolved = resolution_in_log(updates)
            inferred += resolved is not None
        incidents.append((number, opened, resolved, when(final["closed_at"]), groups))
    if inferred:
        print(f"{inferred} incidents without resolved_at: resolution time read from their rows")
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


def outcome(p: DurationPrediction, incident: Incident, end: datetime) -> str:
    """How the later ``incident`` counts against the band ``p`` (the module's rules)."""
    _number, opened, resolved, closed, _groups = incident
    if resolved is not None and resolved <= end:
        took = resolved - opened
        if p.p10 is None or took < p.p10:
            return "below"
        if p.p90 is not None and took > p.p90:
            return "above"
        return "inside" if p.p90 is not None else "inside_open_ended"
    if closed is not None and closed <= end:
        return "unscored"  # closed without being resolved: no time to resolve
    so_far = end - opened  # right-censored: it will take longer than this
    if p.p90 is not None and so_far > p.p90:
        return "above"
    if p.p10 is not None and so_far >= p.p10:
        return "open_in_band"
    return "open_below"


def score(
    model: DurationModel, later: list[Incident], end: datetime
) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """Counts of each :func:`outcome`, overall and per group used."""
    overall: Counter[str] = Counter()
    groups: dict[str, Counter[str]] = {}
    for incident in later:
        p = model.predict(incident[4])
        name = ", ".join(str(v) for _, v in p.group) or "(all history)"
        result = outcome(p, incident, end)
        for c in (overall, groups.setdefault(name, Counter())):
            c[result] += 1
    return overall, groups


def share(c: Counter[str]) -> str:
    """The share inside among the known outcomes, and its bounds when some are still open."""
    still_open = c["open_in_band"] + c["open_below"]
    scored = sum(c.values()) - c["unscored"] - still_open
    inside = c["inside"] + c["inside_open_ended"]
    text = (
        f"{inside / scored:6.1%} inside P10-P90 ({inside}/{scored}; "
        if scored
        else "nothing scored ("
    )
    text += (
        f"below {c['below']}, above {c['above']}, no P90 {c['inside_open_ended']}, "
        f"unscored {c['unscored']}"
    )
    if still_open:
        total = scored + still_open
        text += (
            f"; still open: {c['open_in_band']} in band, {c['open_below']} below P10, "
            f"share between {inside / total:.1%} and {(inside + still_open) / total:.1%}"
        )
    return text + ")"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--keys", default="category", help="grouping keys, comma separated")
    parser.add_argument("--min-samples", type=int, default=10)
    parser.add_argument("--fit-share", type=float, default=0.7)
    parser.add_argument("--groups", action="store_true", help="print every group")
    parser.add_argument(
        "--end",
        type=lambda text: datetime.fromisoformat(text).replace(tzinfo=UTC),
        default=None,
        help="score as of this time (UTC, ISO 8601) instead of the last update in the file",
    )
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
    end = args.end or max(t for i in incidents for t in (i[1], i[2], i[3]) if t is not None)
    if end < later[-1][1]:
        print(f"--end {end:%Y-%m-%d %H:%M} is before the last incident opened", file=sys.stderr)
        return 2
    keys = tuple(k.strip() for k in args.keys.split(",") if k.strip())
    print(
        f"{len(incidents)} incidents; history: the first {len(earlier)} opened "
        f"(to {earlier[-1][1]:%Y-%m-%d %H:%M}), predicted: the {len(later)} opened from "
        f"{split:%Y-%m-%d %H:%M}; keys {keys}, min_samples {args.min_samples}"
    )
    took = sorted(i[2] - i[1] for i in later if i[2] is not None and i[2] <= end)
    if took:
        print(
            f"later incidents resolved by {end:%Y-%m-%d %H:%M}: {len(took)}, median time "
            f"to resolve {took[len(took) // 2]}, P90 {took[int(len(took) * 0.9)]}"
        )
    for view, now in (("end", end), ("split", split)):
        faults = history(earlier, now)
        n_open = sum(isinstance(f, OpenFault) for f in faults)
        for label, used in (
            ("with open faults (Kaplan-Meier)", faults),
            ("resolved only (faultkit 0.1)", [f for f in faults if isinstance(f, ResolvedFault)]),
        ):
            model = DurationModel(used, now=now, keys=keys, min_samples=args.min_samples)
            overall, groups = score(model, later, end)
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
