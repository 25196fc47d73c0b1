"""The contract of the problem repository, for every store.

:class:`~faultkit.testing.storage_contract.StorageContract` inherits
:class:`ProblemsContract`: problems round-trip, are versioned (optimistic concurrency),
only grow (a rewritten or shortened history and a changed record are refused), and the
queries by status, product, component, linked fault and error code agree with a plain
filter over what was stored, page after page. Bad keys, filter values and forged
cursors are :class:`~faultkit.errors.InvalidInputError` before the database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import (
    InvalidInputError,
    RecordNotFoundError,
    StorageConflictError,
)
from faultkit.models import Person
from faultkit.problems import Problem, ProblemRecord, ProblemStatus
from faultkit.storage.problems import ProblemQuery
from faultkit.storage.protocols import Store
from faultkit.storage.records import encode_cursor
from faultkit.testing.problems import problems
from faultkit.testing.storage_data import unique_id
from faultkit.testing.storage_hooks import SHARED_STORE

__all__ = ["ProblemsContract", "sample_problem"]

_T0 = datetime(2024, 5, 6, 8, 0, tzinfo=UTC)
_ANN = Person(id="ann", name="Ann")
_SETTINGS = settings(SHARED_STORE, max_examples=15)


def sample_problem(problem_id: str, *, hours: int = 0, product: str = "printer") -> Problem:
    """A known error with two linked faults and two error codes, opened ``hours`` in."""
    at = _T0 + timedelta(hours=hours)
    p = Problem.open(
        id=problem_id, title="Jams", product=product, component="tray", actor=_ANN, at=at
    )
    p = p.fire("start_analysis", actor=_ANN, at=at)
    p = p.link_fault("F-1", actor=_ANN, at=at).link_fault("F-2", actor=_ANN, at=at)
    p = p.set_error_codes(["E-301", "E-302"], actor=_ANN, at=at)
    p = p.record_root_cause("feed timing", actor=_ANN, at=at)
    p = p.record_workaround("roll back", actor=_ANN, at=at)
    return p.fire("declare_known_error", actor=_ANN, at=at)


def _all(store: Store, query: ProblemQuery | None, limit: int) -> list[Problem]:
    out: list[Problem] = []
    cursor = None
    for _ in range(10_000):
        page = store.problems.query(query, limit=limit, cursor=cursor)
        assert not page.corrupt
        out.extend(v.item for v in page.items)
        cursor = page.next_cursor
        if cursor is None:
            return out
    raise AssertionError("pagination does not end")  # pragma: no cover


class ProblemsContract:
    """Problem storage: every store behaves like the in-memory reference."""

    def test_problem_round_trips_and_is_versioned(self, store: Store) -> None:
        pid = unique_id("PRB-")
        problem = sample_problem(pid)
        assert store.problems.add(problem) == 1
        got = store.problems.get(pid)
        assert (got.item, got.version) == (problem, 1)
        with pytest.raises(StorageConflictError) as caught:
            store.problems.add(problem)
        assert (caught.value.expected, caught.value.found) == (0, 1)
        later = problem.comment("seen again", actor=_ANN, at=problem.last_changed_at)
        assert store.problems.save(later, expected_version=1) == 2
        with pytest.raises(StorageConflictError) as caught:
            store.problems.save(later.link_fault("F-9", actor=_ANN, at=_T0), expected_version=1)
        assert (caught.value.expected, caught.value.found) == (1, 2)
        assert store.problems.get(pid).item == later
        with pytest.raises(RecordNotFoundError):
            store.problems.get(unique_id("PRB-"))
        with pytest.raises(RecordNotFoundError):
            store.problems.save(sample_problem(unique_id("PRB-")), expected_version=1)

    def test_problem_history_only_grows(self, store: Store) -> None:
        pid = unique_id("PRB-")
        problem = sample_problem(pid)
        store.problems.add(problem)
        shorter = Problem(record=problem.record, events=problem.events[:-1])
        with pytest.raises(InvalidInputError, match="only adds events"):
            store.problems.save(shorter, expected_version=1)
        rewritten = Problem(
            record=problem.record,
            events=(attrs.evolve(problem.events[0], actor="mallory"), *problem.events[1:]),
        )
        with pytest.raises(InvalidInputError, match=r"events\[0\]"):
            store.problems.save(rewritten, expected_version=1)
        renamed = Problem(record=attrs.evolve(problem.record, title="Other"))
        with pytest.raises(InvalidInputError, match="record"):
            store.problems.save(renamed, expected_version=1)
        assert store.problems.get(pid).version == 1  # nothing was written

    def test_problem_bad_keys_and_forged_cursors_are_invalid_input(self, store: Store) -> None:
        for bad in ("", "a\x00b", "x" * 5_000, 42):
            with pytest.raises(InvalidInputError):
                store.problems.get(bad)  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError):
            store.problems.add(Problem(record=attrs.evolve(sample_problem("P").record, id="a\x00")))
        for cursor in ("not base64!", encode_cursor((2**70, "x")), encode_cursor(("x", 1))):
            with pytest.raises(InvalidInputError, match="cursor"):
                store.problems.query(cursor=cursor)
        with pytest.raises(InvalidInputError):
            store.problems.query(ProblemQuery(fault_ids="F\x00"))
        with pytest.raises(InvalidInputError):
            store.problems.query("status = 'new'")  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError):
            store.problems.query(limit=0)

    def test_problem_with_ten_thousand_codes_is_found_by_each(self, store: Store) -> None:
        pid = unique_id("PRB-")
        base = sample_problem(pid)
        codes = [f"E-{i:05d}" for i in range(10_000)]
        problem = base.set_error_codes(codes, actor=_ANN, at=base.last_changed_at)
        store.problems.add(problem)
        for code in ("E-00000", "e-09999"):
            found = _all(store, ProblemQuery(error_codes=code), 50)
            assert [p.id for p in found] == [pid]

    @_SETTINGS
    @given(
        stored=st.lists(problems(max_commands=12), min_size=1, max_size=6),
        statuses=st.none() | st.sets(st.sampled_from(list(ProblemStatus))),
        products=st.none() | st.sets(st.sampled_from(["printer", "router", "phone"])),
        faults=st.none() | st.sets(st.sampled_from(["F-1", "F-2", "F-9"])),
        codes=st.none() | st.sets(st.sampled_from(["E-100", "ERR_10", "0x1000"])),
        limit=st.integers(1, 4),
    )
    def test_problem_queries_agree_with_a_plain_filter(
        self,
        store: Store,
        stored: list[Problem],
        statuses: Any,
        products: Any,
        faults: Any,
        codes: Any,
        limit: int,
    ) -> None:
        prefix = unique_id("Q")
        mine = []
        for i, problem in enumerate(stored):
            record: ProblemRecord = attrs.evolve(problem.record, id=f"{prefix}-{i}")
            mine.append(Problem(record=record, events=problem.events))
            store.problems.add(mine[-1])
        query = ProblemQuery(
            statuses=statuses, products=products, fault_ids=faults, error_codes=codes
        )
        ids = {p.id for p in mine}
        found = [p for p in _all(store, query, limit) if p.id in ids]
        expected = sorted(
            (p for p in mine if query.matches(p)), key=lambda p: (p.record.opened_at, p.id)
        )
        assert [p.id for p in found] == [p.id for p in expected]
        assert found == expected
