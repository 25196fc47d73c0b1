"""The baseline of ``bench_check_log.py``: a hand-written polars script finding illegal moves.

What a user who knows polars writes (issue 17): read the id, state and update time of
an event log, map the state labels to the workflow's states (ITIL, with ServiceNow's
labels, as ``faultkit check-log --preset servicenow`` does), parse the day-first
times, keep the labels that map, take each incident's previous state (shift within the
incident, file order), keep the rows where the state changed and anti-join them to the
allowed pairs. Prints the number of transitions and of illegal ones. No rejects, no
lines, no check of the time order.

    python benchmarks/polars_check_log.py INPUT

Needs polars (the ``bench`` extra); it is never a dependency of faultkit.
"""

from __future__ import annotations

import sys

import polars as pl

STATES = {
    "New": "new",
    "Active": "in_progress",
    "In Progress": "in_progress",
    "On Hold": "on_hold",
    "Awaiting Caller": "on_hold",
    "Awaiting User Info": "on_hold",
    "Awaiting Evidence": "on_hold",
    "Awaiting Problem": "on_hold",
    "Awaiting Vendor": "on_hold",
    "Awaiting Change": "on_hold",
    "Resolved": "resolved",
    "Closed": "closed",
    "Canceled": "canceled",
    "Cancelled": "canceled",
}
ALLOWED = [
    ("new", "in_progress"),
    ("new", "on_hold"),
    ("new", "resolved"),
    ("new", "canceled"),
    ("in_progress", "on_hold"),
    ("in_progress", "resolved"),
    ("in_progress", "canceled"),
    ("on_hold", "in_progress"),
    ("on_hold", "resolved"),
    ("on_hold", "canceled"),
    ("resolved", "closed"),
    ("resolved", "in_progress"),
]


def main(source: str) -> None:
    labels = pl.LazyFrame({"incident_state": list(STATES), "state": list(STATES.values())})
    allowed = pl.LazyFrame({"previous": [a for a, _ in ALLOWED], "state": [b for _, b in ALLOWED]})
    moves = (
        pl.scan_csv(source, infer_schema=False)
        .select("number", "incident_state", "sys_updated_at")
        .with_row_index("row")
        .with_columns(at=pl.col("sys_updated_at").str.strptime(pl.Datetime, "%d-%m-%Y %H:%M"))
        .join(labels, on="incident_state", how="inner", maintain_order="left")
        .with_columns(previous=pl.col("state").shift(1).over("number"))
        .filter(pl.col("previous").is_not_null() & (pl.col("previous") != pl.col("state")))
    )
    illegal = moves.join(allowed, on=["previous", "state"], how="anti", maintain_order="left")
    counts = pl.concat(
        [moves.select(pl.len().alias("n")), illegal.select(pl.len().alias("n"))]
    ).collect()
    transitions, illegal_transitions = counts["n"].to_list()
    print(f"transitions {transitions} illegal {illegal_transitions}")


if __name__ == "__main__":
    main(sys.argv[1])
