"""Score an incident export: recompute each row's priority and compare it with the source.

Runs on the ServiceNow sample bundled with faultkit, or on any export of the same shape:

    python examples/score_export.py [PATH.csv]

Every row is either scored or rejected with its line, field, value and reason; both are
counted, none is dropped. (The `faultkit score` command will do this for every preset.)
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from importlib.resources import files
from pathlib import Path

from faultkit import InvalidInputError
from faultkit.scoring import SERVICENOW_MATRIX_NO_PLANNING, coded_level, priority


def score(path: Path) -> int:
    """Print a summary of ``path`` scored row by row; return 0 if no row was rejected."""
    scored: Counter[int] = Counter()
    differs: list[tuple[int, str, int, int]] = []
    rejected: list[InvalidInputError] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                impact = coded_level(row["impact"], field="impact")
                urgency = coded_level(row["urgency"], field="urgency")
                computed = priority(impact, urgency, matrix=SERVICENOW_MATRIX_NO_PLANNING)
            except InvalidInputError as error:
                rejected.append(error.at_line(line))
                continue
            scored[computed.value] += 1
            source = row.get("priority", "?")
            if source != "?" and coded_level(source, field="priority") != computed.value:
                differs.append((line, row["number"], coded_level(source), computed.value))
    total = sum(scored.values()) + len(rejected)
    print(f"{path.name}: {total} rows, {sum(scored.values())} scored, {len(rejected)} rejected")
    for number in sorted(scored):
        print(f"  priority {number}: {scored[number]} rows")
    print(f"  {len(differs)} rows where the source priority differs (set by hand):")
    for line, incident, source_priority, computed_priority in differs[:5]:
        print(f"    line {line} {incident}: source {source_priority}, matrix {computed_priority}")
    for error in rejected[:5]:
        print(f"  rejected: {error}")
    return 0 if not rejected else 1


if __name__ == "__main__":
    default = files("faultkit").joinpath("data", "servicenow_incidents_sample.csv")
    sys.exit(score(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(str(default))))
