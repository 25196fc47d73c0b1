"""The kernels called by name give what :mod:`pyarrow.compute` gives; check-log avoids it.

``faultkit.batch.kernels`` calls Arrow's kernels through ``pyarrow._compute`` so that a
``check-log`` run never imports :mod:`pyarrow.compute` (about 45 ms of start-up). Each
function is compared with the ``pyarrow.compute`` function of the same name on random
arrays, and a ``check-log`` run in a fresh interpreter is checked not to load it, nor
``dateutil`` (read only for dates the fast readers cannot vouch for, and zone names),
nor :mod:`importlib.resources` (``faultkit._data`` reads the built-in profiles).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")
pc = pytest.importorskip("pyarrow.compute")

from faultkit.batch import kernels  # noqa: E402
from test_cli_lazy import command_in_fresh_process  # noqa: E402

_TEXTS = st.lists(st.text(alphabet="ab\r\n? \u3000", max_size=6), max_size=40)


@given(_TEXTS, st.data())
def test_take_keep_and_encode_equal_pyarrow_compute(texts: list[str], data: st.DataObject) -> None:
    array = pa.array(texts, pa.string())
    indices = data.draw(st.lists(st.integers(0, max(len(texts) - 1, 0)), max_size=30))
    if not texts:
        indices = []
    index_array = pa.array(indices, pa.int64())
    assert kernels.take(array, index_array).equals(pc.take(array, index_array))
    table = pa.table({"t": array})
    assert kernels.take(table, index_array).equals(pc.take(table, index_array))
    flags = data.draw(st.lists(st.booleans(), min_size=len(texts), max_size=len(texts)))
    mask = pa.array(flags, pa.bool_())
    assert kernels.keep(array, mask).equals(pc.filter(array, mask))
    assert kernels.dictionary_encode(array).equals(pc.dictionary_encode(array))


@given(_TEXTS, st.sampled_from(["\r(?:[^\n]|$)", r"\r\n|\r|\n", "^[ ]*(?:\\?|)[ ]*$", "a+b"]))
def test_regex_kernels_equal_pyarrow_compute(texts: list[str], pattern: str) -> None:
    array = pa.array(texts, pa.string())
    found = kernels.matches(array, pattern)
    assert found.equals(pc.match_substring_regex(array, pattern))
    assert kernels.any_true(found) is bool(pc.any(found).as_py())
    assert kernels.count_matches(array, pattern).equals(pc.count_substring_regex(array, pattern))


@given(_TEXTS, _TEXTS)
def test_calls_by_name_equal_pyarrow_compute(left: list[str], right: list[str]) -> None:
    a = pa.array(left, pa.string())
    b = pa.array((right + left)[: len(left)], pa.string())
    assert kernels.call("equal", a, b).equals(pc.equal(a, b))
    assert kernels.call("less", a, b).equals(pc.less(a, b))
    assert kernels.member_of(a, pa.array(right, pa.string())).equals(
        pc.is_in(a, pa.array(right, pa.string()))
    )
    assert kernels.call("max", kernels.call("binary_length", a)).equals(pc.max(pc.binary_length(a)))


_CELLS = st.lists(st.one_of(st.none(), st.text(alphabet='ab,\r\n"', max_size=5)), max_size=30)


@given(_CELLS, _CELLS)
def test_text_kernels_of_the_scorer_equal_pyarrow_compute(
    cells: list[str | None], others: list[str | None]
) -> None:
    a = pa.array(cells, pa.string())
    b = pa.array((others + cells)[: len(cells)], pa.string())
    comma = pa.scalar(",", pa.string())
    assert kernels.trim_right(a, "\r\n").equals(pc.utf8_rtrim(a, characters="\r\n"))
    assert kernels.join_each(a, b, comma).equals(pc.binary_join_element_wise(a, b, comma))
    empty = pa.scalar("", pa.string())
    assert kernels.coalesce(a, empty).equals(pc.fill_null(a, empty))
    for nulls in ("mask", "encode"):
        assert kernels.dictionary_encode(a, nulls=nulls).equals(
            pc.dictionary_encode(a, null_encoding=nulls)
        )


@given(st.lists(st.one_of(st.none(), st.integers(-(2**40), 2**40)), max_size=30))
def test_as_text_equals_a_safe_cast(values: list[int | None]) -> None:
    for array in (pa.array(values, pa.int64()), pa.array([v is None for v in values])):
        assert kernels.as_text(array).equals(pc.cast(array, pa.string()))
    assert kernels.as_text(pa.array([1.5, None])).equals(
        pc.cast(pa.array([1.5, None]), pa.string())
    )


def test_any_true_skips_nulls_and_is_false_when_empty() -> None:
    assert kernels.any_true(pa.array([None, False, None], pa.bool_())) is False
    assert kernels.any_true(pa.array([None, True], pa.bool_())) is True
    assert kernels.any_true(pa.array([], pa.bool_())) is False


def test_a_columnar_check_log_imports_neither_pyarrow_compute_nor_dateutil(
    tmp_path: Path,
) -> None:
    header = "number,incident_state,sys_updated_at,impact,urgency,priority\n"
    levels = "2 - Medium,2 - Medium,3 - Moderate"
    rows = [
        f"INC1,New,01-02-2024 10:00,{levels}\n",
        f"INC1,Active,01-02-2024 11:00,{levels}\n",
        f"INC1,New,02-02-2024 09:00,{levels}\n",  # Active -> New: not a move of ITIL
        f"INC2,New,03-02-2024 10:00,{levels}\n",
    ]
    path = tmp_path / "log.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    for options in ((), ("--check-order",)):
        status, loaded = command_in_fresh_process(
            "check-log", str(path), "--preset", "servicenow", "--dayfirst", *options
        )
        assert "faultkit.batch.eventlog" in loaded, "the columnar engine ran"
        assert status == 1, status
        assert "pyarrow.compute" not in loaded
        assert not {name for name in loaded if name.startswith("dateutil")}
        assert "importlib.resources" not in loaded  # the profiles are read as files


def test_a_kernels_module_missing_a_name_falls_back_to_pyarrow_compute() -> None:
    import types

    import pyarrow._compute
    import pyarrow.compute

    assert kernels.kernel_module(pyarrow._compute) is pyarrow._compute
    for name in kernels.KERNEL_NAMES:
        assert hasattr(pyarrow.compute, name)
        partial = types.ModuleType("moved")
        for other in kernels.KERNEL_NAMES:
            if other != name:
                setattr(partial, other, getattr(pyarrow._compute, other))
        assert kernels.kernel_module(partial) is pyarrow.compute
