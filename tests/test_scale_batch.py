"""The columnar batch scorer gives exactly the row scorer's values, rejects and counts.

The row scorer (:func:`faultkit.adapters.exports.score_csv` / ``score_jsonl``) is the
reference: random tables with nulls, bad values and missing columns are scored both
ways and compared cell by cell, reject by reject.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")

from faultkit.adapters.exports import (  # noqa: E402
    DateOrder,
    DateReader,
    RejectsFile,
    Scorer,
    get_preset,
    score_csv,
    score_jsonl,
)
from faultkit.batch import read_csv_table, score_frame, score_table  # noqa: E402
from faultkit.errors import InvalidInputError  # noqa: E402
from faultkit.models import ImpactScope  # noqa: E402
from faultkit.scoring import DataLoss, ServiceInterruption  # noqa: E402

LEVELS = [
    "1", "2", "3", "1 - High", "2 - Medium", " 3 - Low ", "high", "Medium", "LOW",
    "4", "0", "x", "", "?", None, "critical", "5 - Planning", "9 - Nine", "-1",
]  # fmt: skip
SCOPES = [*(s.value for s in ImpactScope), "WHOLE_SYSTEM", "bogus", "", None]
INTERRUPTIONS = [*(s.value for s in ServiceInterruption), "sideways", "", None]
LOSSES = [*(s.value for s in DataLoss), "all", "", None]
BOOLS = ["true", "false", "yes", "no", "1", "0", "TRUE", "maybe", "", None]
DATES = [
    "2016-02-29 01:16", "29-02-2016 01:16", "03-05-2016 10:00", "2016-03-01T10:00:00+01:00",
    "2016-03-04 16:59", "2016-03-07 09:00", "2016-03-05T23:30:00-05:00", "31-02-2016 10:00",
    "March 3, 2016", "not a date", "31-12-9999 23:00", "?", "", None,
]  # fmt: skip

GENERIC_COLUMNS = {
    "impact": LEVELS,
    "urgency": LEVELS,
    "priority": LEVELS,
    "impact_scope": SCOPES,
    "interruption": INTERRUPTIONS,
    "data_loss": LOSSES,
    "safety": BOOLS,
    "security": BOOLS,
    "regulatory": BOOLS,
    "workaround_available": BOOLS,
    "opened_at": DATES,
    "resolved_at": DATES,
}
SERVICENOW_COLUMNS = {
    "number": ["INC1", "INC2", None],
    "impact": LEVELS,
    "urgency": LEVELS,
    "priority": LEVELS,
    "opened_at": DATES,
    "resolved_at": DATES,
}
ORDERS = [DateOrder.ISO, DateOrder.DAY_FIRST, DateOrder.MONTH_FIRST]


@st.composite
def tables(draw: st.DrawFn) -> tuple[str, dict[str, list[str | None]], DateOrder, bool]:
    """(preset name, columns, date order, with SLA): impact and urgency always there."""
    preset = draw(st.sampled_from(["generic", "servicenow"]))
    pools = GENERIC_COLUMNS if preset == "generic" else SERVICENOW_COLUMNS
    optional = [name for name in pools if name not in ("impact", "urgency")]
    chosen = draw(st.lists(st.sampled_from(optional), unique=True))
    names = draw(st.permutations(["impact", "urgency", *chosen]))
    rows = draw(st.integers(0, 40))
    columns = {
        name: draw(st.lists(st.sampled_from(pools[name]), min_size=rows, max_size=rows))
        for name in names
    }
    return preset, columns, draw(st.sampled_from(ORDERS)), draw(st.booleans())


def scorer_for(preset: str, order: DateOrder, with_sla: bool) -> Scorer:
    if with_sla:
        return Scorer(get_preset(preset), dates=DateReader(order=order))
    return Scorer(get_preset(preset), dates=DateReader(order=order), sla=None)


def text(value: Any) -> str:
    """A typed output value as the row scorer's CSV cell."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def row_scorer(columns: dict[str, list[Any]], scorer: Scorer) -> tuple[list[list[str]], list[Any]]:
    """(added cells of each scored row, rejects as (row, column, value, reason)) via score_csv."""
    names = list(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(names)
    for row in zip(*columns.values(), strict=True):
        writer.writerow(["" if cell is None else cell for cell in row])
    buffer.seek(0)
    out = io.StringIO()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rejects.csv"
        rejects = RejectsFile(str(path))
        summary = score_csv(buffer, out, rejects, scorer)
        rejects.close()
        refused = []
        if path.exists():
            with path.open(newline="", encoding="utf-8") as handle:
                refused = [
                    (int(r["line"]) - 2, r["column"], r["value"], r["reason"])
                    for r in csv.DictReader(handle)
                ]
    written = list(csv.reader(io.StringIO(out.getvalue())))
    added = len(summary.columns_added)
    assert summary.rows_read == len(next(iter(columns.values()), []))
    return [row[len(names) :] for row in written[1:]] if added else [], refused


def batch_cells(result: Any) -> list[list[str]]:
    names = result.summary.columns_added
    values = [result.scored.column(name).to_pylist() for name in names]
    return [[text(v) for v in row] for row in zip(*values, strict=True)]


def batch_rejects(result: Any) -> list[tuple[int, str, str, str]]:
    return list(
        zip(
            *(result.rejects.column(c).to_pylist() for c in ("row", "column", "value", "reason")),
            strict=True,
        )
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_batch_scorer_equals_row_scorer_on_random_tables(
    case: tuple[str, dict[str, list[str | None]], DateOrder, bool],
) -> None:
    preset, columns, order, with_sla = case
    scorer = scorer_for(preset, order, with_sla)
    expected_cells, expected_rejects = row_scorer(columns, scorer)
    table = pa.table({name: pa.array(cells, pa.string()) for name, cells in columns.items()})
    result = score_table(table, scorer_for(preset, order, with_sla))
    assert batch_cells(result) == expected_cells
    assert batch_rejects(result) == expected_rejects
    assert result.summary.rows_read == table.num_rows
    assert result.summary.rows_written + result.summary.rows_rejected == table.num_rows
    # the input columns of the scored rows are kept as they were, in order
    kept = [i for i in range(table.num_rows) if i not in {r[0] for r in expected_rejects}]
    assert (
        result.scored.select(list(columns)).to_pylist()
        == table.take(pa.array(kept, pa.int64())).to_pylist()
    )


@settings(max_examples=60, deadline=None)
@given(tables())
def test_batch_summary_equals_row_scorer_summary(
    case: tuple[str, dict[str, list[str | None]], DateOrder, bool],
) -> None:
    preset, columns, order, with_sla = case
    names = list(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(names)
    for row in zip(*columns.values(), strict=True):
        writer.writerow(["" if cell is None else cell for cell in row])
    buffer.seek(0)
    with tempfile.TemporaryDirectory() as folder:
        rejects = RejectsFile(str(Path(folder) / "r.csv"))
        expected = score_csv(buffer, io.StringIO(), rejects, scorer_for(preset, order, with_sla))
        rejects.close()
    table = pa.table({name: pa.array(cells, pa.string()) for name, cells in columns.items()})
    got = score_table(table, scorer_for(preset, order, with_sla)).summary
    assert got.to_dict() == expected.to_dict()


TYPED = st.one_of(
    st.none(),
    st.integers(-2, 6),
    st.sampled_from(["1", "2 - Medium", "high", "", "?", "x"]),
)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_typed_columns_read_as_json_cells(data: st.DataObject) -> None:
    """Integer, float and boolean columns read as the JSONL scorer reads those values."""
    rows = data.draw(st.integers(0, 25))
    kind = data.draw(st.sampled_from(["int", "float", "bool"]))
    draw_value = {
        "int": st.one_of(st.none(), st.integers(-2, 6)),
        "float": st.one_of(st.none(), st.sampled_from([1.0, 2.0, 2.5, 3.0])),
        "bool": st.one_of(st.none(), st.booleans()),
    }[kind]
    impact = data.draw(st.lists(draw_value, min_size=rows, max_size=rows))
    urgency = data.draw(st.lists(st.sampled_from(LEVELS), min_size=rows, max_size=rows))
    scorer = Scorer(get_preset("generic"), sla=None)
    lines = "".join(
        json.dumps({"impact": i, "urgency": u}) + "\n" for i, u in zip(impact, urgency, strict=True)
    )
    out = io.StringIO()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.jsonl"
        rejects = RejectsFile(str(path))
        score_jsonl(io.StringIO(lines), out, rejects, scorer)
        rejects.close()
        refused = []
        if path.exists():
            refused = [
                (r["line"] - 1, r["column"], r["value"], r["reason"])
                for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())
            ]
    expected = [
        [text(obj["faultkit_priority"]), text(obj["faultkit_priority_matches_source"])]
        for obj in map(json.loads, out.getvalue().splitlines())
    ]
    arrow_type = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}[kind]
    table = pa.table({"impact": pa.array(impact, arrow_type), "urgency": pa.array(urgency)})
    result = score_table(table, Scorer(get_preset("generic"), sla=None))
    assert batch_cells(result) == expected
    assert batch_rejects(result) == refused


def test_rejects_name_row_column_value_reason_with_offset() -> None:
    table = pa.table(
        {
            "impact": ["1 - High", "x", None, "2"],
            "urgency": ["1", "2", "3", "7"],
        }
    )
    result = score_table(table, Scorer(get_preset("generic"), sla=None), row_offset=100)
    assert result.scored.column("faultkit_priority").to_pylist() == [1]
    rejects = result.rejects.to_pylist()
    assert [r["row"] for r in rejects] == [101, 102, 103]
    assert [r["column"] for r in rejects] == ["impact", "impact", "urgency"]
    assert [r["value"] for r in rejects] == ["x", "", "7"]
    assert "missing" in rejects[1]["reason"]
    assert result.summary.rows_rejected == 3


def test_a_row_without_an_sla_due_time_is_rejected_like_the_row_scorer_does() -> None:
    # opened on the last evening of year 9999: its due time would fall after it
    columns: dict[str, list[str | None]] = {
        "impact": ["1", "2", "3"],
        "urgency": ["1", "2", "3"],
        "opened_at": ["31-12-9999 23:00", "29-02-2016 01:16", "31-12-9999 23:00"],
    }
    scorer = scorer_for("generic", DateOrder.DAY_FIRST, True)
    expected_cells, expected_rejects = row_scorer(columns, scorer)
    result = score_table(pa.table(columns), scorer)
    assert batch_cells(result) == expected_cells
    assert batch_rejects(result) == expected_rejects
    assert [r["column"] for r in result.rejects.to_pylist()] == ["opened_at", "opened_at"]
    assert "no SLA due time" in result.rejects.to_pylist()[0]["reason"]


def test_missing_impact_column_is_a_usage_error() -> None:
    table = pa.table({"urgency": ["1"], "other": ["x"]})
    with pytest.raises(InvalidInputError) as caught:
        score_table(table, Scorer(get_preset("generic")))
    assert caught.value.field == "columns"


def test_empty_table_and_dictionary_columns() -> None:
    scorer = Scorer(get_preset("generic"), sla=None)
    empty = pa.table({"impact": pa.array([], pa.string()), "urgency": pa.array([], pa.string())})
    result = score_table(empty, scorer)
    assert result.scored.num_rows == 0
    assert result.rejects.num_rows == 0
    encoded = pa.table(
        {
            "impact": pa.array(["1", "3", None]).dictionary_encode(),
            "urgency": pa.chunked_array([["1"], ["3", "2"]]),
        }
    )
    result = score_table(encoded, scorer)
    assert result.scored.column("faultkit_priority").to_pylist() == [1, 5]
    assert result.rejects.column("row").to_pylist() == [2]


def test_score_frame_gives_pandas_frames() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"impact": ["1", "2", "x"], "urgency": ["1", "3", "1"]})
    scored, rejects = score_frame(frame, Scorer(get_preset("generic"), sla=None), row_offset=10)
    assert scored["faultkit_priority"].tolist() == [1, 4]
    assert rejects["row"].tolist() == [12]


def test_real_servicenow_export_agrees_with_row_scorer(servicenow_export: Path) -> None:
    scorer = Scorer(get_preset("servicenow"), dates=DateReader(order=DateOrder.DAY_FIRST))
    out = io.StringIO()
    with tempfile.TemporaryDirectory() as folder:
        rejects = RejectsFile(str(Path(folder) / "r.csv"))
        with servicenow_export.open(newline="", encoding="utf-8-sig") as source:
            expected = score_csv(source, out, rejects, scorer)
        rejects.close()
    result = score_table(read_csv_table(str(servicenow_export)), scorer)
    assert result.summary.to_dict() == expected.to_dict()
    assert expected.rows_read == 5998
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    added = len(expected.columns_added)
    assert batch_cells(result) == [row[-added:] for row in rows[1:]]
    original = rows[0][:-added]
    assert result.scored.column_names[: len(original)] == original


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.text(alphabet='ab ,"\r\n=-', max_size=6)),
            st.one_of(st.none(), st.integers(-5, 10**12)),
            st.one_of(st.none(), st.booleans()),
        ),
        max_size=30,
    ),
    st.sampled_from(["id", "a,b", 'say "x"']),
)
def test_csv_tables_are_written_as_csv_writer_writes_them(
    rows: list[tuple[str | None, int | None, bool | None]], first: str
) -> None:
    import csv
    import io
    import os
    import tempfile

    from faultkit.batch.arrow import write_csv_table

    table = pa.table(
        {
            first: pa.array([r[0] for r in rows], pa.string()),
            "n": pa.array([r[1] for r in rows], pa.int64()),
            "ok": pa.array([r[2] for r in rows], pa.bool_()),
        }
    )
    expected = io.StringIO(newline="")
    writer = csv.writer(expected)
    writer.writerow([first, "n", "ok"])
    for text, number, flag in rows:
        writer.writerow(
            [
                "" if text is None else text,
                "" if number is None else str(number),
                "" if flag is None else str(flag).lower(),
            ]
        )
    handle, path = tempfile.mkstemp(suffix=".csv")
    os.close(handle)
    try:
        write_csv_table(table, path)
        with open(path, "rb") as written:
            assert written.read() == expected.getvalue().encode("utf-8")
    finally:
        os.unlink(path)
