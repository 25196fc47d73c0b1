"""Arrays built from their buffers equal pyarrow's own; scoring does not import pandas."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")

from faultkit.adapters.exports import RowError, Scorer, get_preset  # noqa: E402
from faultkit.batch.arrow import score_table  # noqa: E402
from faultkit.batch.buffers import (  # noqa: E402
    arrow_booleans,
    arrow_ints,
    arrow_texts,
    numpy_ints,
)
from faultkit.batch.memo import ScoreMemo  # noqa: E402

_INTS = st.lists(st.integers(-(2**63), 2**63 - 1), max_size=70)


@given(values=_INTS, nulls=st.lists(st.booleans(), max_size=70))
def test_arrow_ints_equal_pyarrows(values: list[int], nulls: list[bool]) -> None:
    mask = np.array((nulls + [False] * len(values))[: len(values)], np.bool_)
    built = arrow_ints(np.array(values, np.int64), mask)
    built.validate(full=True)
    assert built.equals(pa.array(values, pa.int64(), mask=mask))


@given(values=st.lists(st.booleans(), max_size=70), nulls=st.lists(st.booleans(), max_size=70))
def test_arrow_booleans_equal_pyarrows(values: list[bool], nulls: list[bool]) -> None:
    mask = np.array((nulls + [False] * len(values))[: len(values)], np.bool_)
    built = arrow_booleans(np.array(values, np.bool_), mask)
    built.validate(full=True)
    assert built.equals(pa.array(values, pa.bool_(), mask=mask))


@given(texts=st.lists(st.none() | st.text(max_size=8), max_size=40))
def test_arrow_texts_equal_pyarrows(texts: list[str | None]) -> None:
    built = arrow_texts(texts)
    built.validate(full=True)
    assert built.equals(pa.array(texts, pa.string()))


@given(
    values=_INTS,
    start=st.integers(0, 10),
    kind=st.sampled_from(["int8", "int16", "int32", "int64", "uint8", "uint32"]),
)
def test_numpy_ints_read_any_slice_and_chunking(values: list[int], start: int, kind: str) -> None:
    arrow_type = getattr(pa, kind)()
    info = np.iinfo(np.dtype(kind))
    values = [min(max(v, int(info.min)), int(info.max)) for v in values]
    array = pa.array(values, arrow_type).slice(start)
    assert numpy_ints(array).tolist() == values[start:]
    chunked = pa.chunked_array([array, array], arrow_type)
    assert numpy_ints(chunked).tolist() == values[start:] * 2


def test_numpy_ints_refuses_nulls_and_text() -> None:
    with pytest.raises(ValueError, match="nulls"):
        numpy_ints(pa.array([1, None]))
    with pytest.raises(ValueError, match="string"):
        numpy_ints(pa.array(["1"]))


def test_memo_is_bounded_and_raises_a_fresh_refusal_each_time() -> None:
    memo = ScoreMemo(limit=3)
    calls: list[int] = []

    def compute(k: int) -> int:
        calls.append(k)
        return k * 10

    for k in [1, 2, 1, 2, 3]:
        assert memo.recall(k, lambda k=k: compute(k)) == k * 10
    assert calls == [1, 2, 3]
    memo.recall(4, lambda: compute(4))  # the memo was full: forgotten, then 4 kept
    memo.recall(1, lambda: compute(1))
    assert calls == [1, 2, 3, 4, 1]

    def refuse() -> int:
        raise RowError("opened_at", "x", "not a date")

    errors = []
    for _ in range(2):
        with pytest.raises(RowError) as caught:
            memo.recall("bad", refuse)
        errors.append(caught.value)
    assert errors[0] is not errors[1]
    assert (errors[1].column, errors[1].value, errors[1].reason) == ("opened_at", "x", "not a date")


_DATES = ["2016-03-01 10:00", "2016-02-30 10:00", "", "2016-03-02T11:00:00+02:00", "x"]
_LEVELS = ["1 - High", "2", "3 - Low", "9", ""]


@given(
    rows=st.lists(
        st.tuples(*[st.sampled_from(_LEVELS)] * 2, *[st.sampled_from(_DATES)] * 2), max_size=30
    ),
    split=st.integers(0, 30),
)
def test_score_table_with_a_memo_across_tables_equals_without(
    rows: list[tuple[str, str, str, str]], split: int
) -> None:
    """A memo kept over two tables gives each table the answer it gets alone."""
    from faultkit.lifecycle.sla import DEFAULT_SLA_POLICY

    names = ["impact", "urgency", "opened_at", "resolved_at"]
    scorer = Scorer(get_preset("generic"), sla=DEFAULT_SLA_POLICY)
    memo = ScoreMemo(limit=4)
    for part in (rows[:split], rows[split:]):
        columns = [pa.array([r[i] for r in part], pa.string()) for i in range(len(names))]
        table = pa.Table.from_arrays(columns, names=names)
        alone = score_table(table, scorer)
        remembered = score_table(table, scorer, memo=memo)
        assert remembered.scored.equals(alone.scored)
        assert remembered.rejects.equals(alone.rejects)
        assert remembered.summary == alone.summary
    assert "faultkit_sla_due" in alone.scored.column_names


def test_the_columnar_engine_does_not_import_pandas(tmp_path: Path) -> None:
    """pyarrow would import pandas (0.3 s, 54 MB) on its first ``pa.array``: not here."""
    script = (
        "import io, sys\n"
        "from importlib.resources import files\n"
        "from faultkit.adapters.exports import RejectsFile, Scorer, get_preset\n"
        "from faultkit.adapters.exports.dates import DateOrder, DateReader\n"
        "from faultkit.lifecycle.sla import DEFAULT_SLA_POLICY\n"
        "from faultkit.batch.stream import score_csv_batches\n"
        "path = str(files('faultkit').joinpath('data', 'servicenow_incidents_sample.csv'))\n"
        "scorer = Scorer(get_preset('servicenow'), dates=DateReader(order=DateOrder.DAY_FIRST),"
        " sla=DEFAULT_SLA_POLICY)\n"
        "rejects = RejectsFile(sys.argv[1])\n"
        "with rejects:\n"
        "    summary = score_csv_batches(path, io.StringIO(), rejects, scorer)\n"
        "assert summary.rows_written > 300, summary\n"
        "print('pandas' in sys.modules)\n"
    )
    rejects = str(tmp_path / "rejects.csv")
    done = subprocess.run(
        [sys.executable, "-c", script, rejects], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False", done.stderr
