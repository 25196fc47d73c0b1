"""The baseline of ``bench_report.py``: per-priority figures of an event log, by polars.

What a user who knows polars writes for the head of ``faultkit report --preset
servicenow --dayfirst``: per incident its last priority, opening time, first time
out of ``New`` and last time ``Resolved``; per priority the number of incidents and
the median times to acknowledge and to resolve. No SLA, reopen, P90, sketch,
rejects or coverage notes: less than faultkit computes. Prints the table.

    python benchmarks/polars_report.py INPUT

Needs polars (the ``bench`` extra); it is never a dependency of faultkit.
"""

from __future__ import annotations

import sys

import polars as pl

DAY_FIRST = "%d-%m-%Y %H:%M"


def main(source: str) -> None:
    at = pl.col("sys_updated_at").str.strptime(pl.Datetime, DAY_FIRST)
    opened = pl.col("opened_at").str.strptime(pl.Datetime, DAY_FIRST, strict=False)
    per_incident = (
        pl.scan_csv(source, infer_schema=False)
        .select("number", "incident_state", "sys_updated_at", "opened_at", "priority")
        .with_columns(at=at, opened=opened)
        .group_by("number", maintain_order=True)
        .agg(
            priority=pl.col("priority").last(),
            opened=pl.col("opened").first().fill_null(pl.col("at").first()),
            acknowledged=pl.col("at").filter(pl.col("incident_state") != "New").first(),
            resolved=pl.col("at").filter(pl.col("incident_state") == "Resolved").last(),
        )
    )
    table = (
        per_incident.group_by("priority")
        .agg(
            faults=pl.len(),
            acknowledge=(pl.col("acknowledged") - pl.col("opened")).median(),
            resolve=(pl.col("resolved") - pl.col("opened")).median(),
        )
        .sort("priority")
        .collect()
    )
    for priority, faults, acknowledge, resolve in table.iter_rows():
        print(f"{priority}\t{faults}\t{acknowledge}\t{resolve}")


if __name__ == "__main__":
    main(sys.argv[1])
