"""The baseline of ``bench_columnar.py``: a hand-written polars script scoring priorities.

What a user who knows polars writes in a dozen lines (issue 17): read the export with
every column as text, take the level number in front of the impact, urgency and
priority labels (``"2 - Medium"`` is 2), join impact x urgency to the priority matrix
(ServiceNow's without the planning level, the ``servicenow`` preset's), compare with the
export's own priority and write every column plus the two priority columns. No SLA
columns, no rejects, no checks: a row with an unknown label gets an empty priority.

    python benchmarks/polars_score.py INPUT OUTPUT

Needs polars (the ``bench`` extra); it is never a dependency of faultkit.
"""

from __future__ import annotations

import sys

import polars as pl

MATRIX = pl.DataFrame(
    {
        "_impact": [1, 1, 1, 2, 2, 2, 3, 3, 3],
        "_urgency": [1, 2, 3, 1, 2, 3, 1, 2, 3],
        "faultkit_priority": [1, 2, 3, 2, 3, 4, 3, 4, 4],
    },
    schema={"_impact": pl.Int8, "_urgency": pl.Int8, "faultkit_priority": pl.Int8},
)


def level(column: str) -> pl.Expr:
    """The number in front of a label (``"2 - Medium"`` -> 2), null when there is none."""
    return pl.col(column).str.extract(r"^\s*(\d+)", 1).cast(pl.Int8, strict=False)


def main(source: str, target: str) -> None:
    frame = pl.scan_csv(source, infer_schema=False)
    scored = (
        frame.with_columns(_impact=level("impact"), _urgency=level("urgency"))
        .join(MATRIX.lazy(), on=["_impact", "_urgency"], how="left", maintain_order="left")
        .with_columns(
            faultkit_priority_matches_source=level("priority") == pl.col("faultkit_priority")
        )
        .drop("_impact", "_urgency")
    )
    scored.sink_csv(target, line_terminator="\r\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
