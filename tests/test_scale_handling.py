"""Handling figures from partial states: chunks of whole faults merged give the single pass.

On the real ServiceNow export (read with the export reader), split by incident into
chunks, and on a two-process Dask cluster through ``reduce_partitions``.
"""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest

from faultkit.adapters.exports import (
    DateOrder,
    DateReader,
    ExportFormat,
    RejectsFile,
    get_preset,
    read_metric_rows,
)
from faultkit.errors import InvalidInputError
from faultkit.lifecycle import ITIL, ROUND_THE_CLOCK, SlaPolicy, SlaTarget
from faultkit.metrics import Dimension, handling_metrics
from faultkit.metrics.partial import HandlingState, merge_all

NOW = datetime(2016, 12, 31, tzinfo=UTC)
SLA = SlaPolicy(
    targets={
        p: SlaTarget(response=timedelta(hours=p), resolution=timedelta(days=p)) for p in range(1, 6)
    },
    calendar=ROUND_THE_CLOCK,
)


@pytest.fixture(scope="module")
def faults(servicenow_export: Path, tmp_path_factory: pytest.TempPathFactory) -> list[list[Any]]:
    """The export's rows, grouped by incident (each group one fault's rows, in order)."""
    rejects = RejectsFile(str(tmp_path_factory.mktemp("r") / "rejects.csv"))
    with servicenow_export.open(encoding="utf-8-sig", newline="") as source:
        read = read_metric_rows(
            source,
            ExportFormat.CSV,
            get_preset("servicenow"),
            rejects,
            dates=DateReader(order=DateOrder.DAY_FIRST),
        )
    rejects.close()
    assert read.rows_rejected == 0
    return [list(rows) for _key, rows in itertools.groupby(read.rows, key=lambda r: r.incident)]


def chunked(faults: list[list[Any]], cuts: list[int]) -> list[list[Any]]:
    bounds = [0, *sorted(cuts), len(faults)]
    return [[row for fault in faults[a:b] for row in fault] for a, b in itertools.pairwise(bounds)]


CASES = [
    {"group_by": (Dimension.PRIORITY,), "sla": SLA},
    {"group_by": (Dimension.PERIOD, Dimension.COMPONENT)},
    {"group_by": (), "exact_limit": 40},  # sketched medians and P90
    {"group_by": (Dimension.PRIORITY,), "exact_limit": 25, "sla": SLA},
]


@pytest.mark.parametrize(
    ("case", "cuts"),
    [
        (CASES[0], [300, 301, 700]),
        (CASES[1], [1, 445, 889]),
        (CASES[2], [100, 500]),
        (CASES[3], [0, 222, 600, 890]),
    ],
)
def test_merged_chunks_equal_the_single_pass(
    faults: list[list[Any]], case: dict[str, Any], cuts: list[int]
) -> None:
    if case.get("exact_limit") is not None:
        # The single pass folds its values into the sketch every 4,096 faults: give it
        # more faults than that (the export five times, fresh ids) so that it sketches.
        faults = [
            [attrs.evolve(row, incident=f"{row.incident}-{copy}") for row in fault]
            for copy in range(5)
            for fault in faults
        ]
        cuts = [cut * 5 for cut in cuts]
    rows = [row for fault in faults for row in fault]
    single = handling_metrics(rows, ITIL, now=NOW, **case)
    parts = chunked(faults, cuts)
    random.Random(len(cuts)).shuffle(parts)  # chunks finish in any order
    states = [HandlingState.of(part, ITIL, now=NOW, **case) for part in parts]
    merged = merge_all(states, HandlingState()).report()
    if case.get("exact_limit") is None:
        assert merged == single
        return
    # sketched: everything equal but the mean, which may differ in the last float bit
    assert (merged.rows, merged.faults, merged.transitions) == (5 * 5998, 5 * 890, 5 * 2509)
    assert not merged.overall.time_to_resolve.exact
    assert merged.reliability == single.reliability
    for got, want in [(merged.overall, single.overall)] + [
        (g.figures, h.figures) for g, h in zip(merged.groups, single.groups, strict=True)
    ]:
        assert got.reopen_rate == want.reopen_rate
        assert got.resolution_sla == want.resolution_sla
        for name in ("time_to_acknowledge", "time_to_resolve", "time_to_close", "open_age"):
            a, b = getattr(got, name), getattr(want, name)
            assert (a.n, a.median, a.p90, a.minimum, a.maximum, a.exact) == (
                b.n,
                b.median,
                b.p90,
                b.minimum,
                b.maximum,
                b.exact,
            )
            if a.n:
                assert abs(a.mean - b.mean) <= timedelta(microseconds=1)


def test_states_of_other_arguments_do_not_merge(faults: list[list[Any]]) -> None:
    rows = faults[0]
    one = HandlingState.of(rows, ITIL, now=NOW)
    other = HandlingState.of(rows, ITIL, now=NOW, group_by=(Dimension.PRIORITY,))
    with pytest.raises(InvalidInputError):
        one.merge(other)
    with pytest.raises(InvalidInputError):
        HandlingState.of(rows, ITIL, now=datetime(2016, 12, 31))  # naive now
