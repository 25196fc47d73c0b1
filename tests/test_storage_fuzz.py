"""Hostile input to every public method of every store: only FaultkitError comes out.

Keys are any text (NUL, lone surrogates, 3,000 characters, blanks), cursors any text
and forged ones (valid base64 JSON holding 2**70, NUL, surrogates), versions and
lengths any integer, and faults whose priority or severity was set by plain
assignment. Each call either works or raises a :class:`~faultkit.errors.FaultkitError`;
a driver exception, ``OverflowError`` or ``UnicodeEncodeError`` fails the test.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.adapters.sql import SqlStore
from faultkit.errors import FaultkitError, InvalidInputError, RecordNotFoundError
from faultkit.models import Assignee, Person
from faultkit.storage import FaultQuery, MemoryStore, Store
from faultkit.storage.records import MAX_KEY_LENGTH, check_indexed_facts
from faultkit.testing.rca import actions
from faultkit.testing.storage_contract import sample_fault
from test_storage_sql import postgres_url, reset_postgres

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
AGENT = Person(id="agent-1", name="Agent")

any_char = st.characters(exclude_categories=())  # surrogates included
hostile_text = st.one_of(
    st.text(any_char, max_size=12),
    st.sampled_from(["", " ", "\x00", "a\x00b", "\ud800", "x\udfff", "F-1", "../etc", "'; --"]),
    st.builds(lambda c, n: c * n, any_char, st.integers(MAX_KEY_LENGTH - 2, 3_000)),
)


def _forge(parts: list[Any]) -> str:
    raw = json.dumps(parts, ensure_ascii=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


cursor_parts = st.one_of(
    st.integers(-(2**70), 2**70), st.sampled_from([2**63, -(2**63) - 1, 2**64]), hostile_text
)
cursors = st.one_of(
    hostile_text,
    st.lists(cursor_parts, max_size=4).map(_forge),
    st.tuples(st.integers(-(2**70), 2**70), hostile_text).map(lambda t: _forge(list(t))),
    st.tuples(st.integers(-(2**70), 2**70), hostile_text, st.integers(-(2**70), 2**70)).map(
        lambda t: _forge(list(t))
    ),
)
numbers = st.one_of(st.integers(), st.sampled_from([0, -1, 2**31, 2**63, 2**64, True]))


@pytest.fixture(scope="module", params=["memory", "sqlite", "postgresql"])
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """One store of each kind for the module (hypothesis runs many examples on it)."""
    if request.param == "memory":
        memory = MemoryStore()
        memory.faults.add(sample_fault("F-1"))
        yield memory
        return
    if request.param == "sqlite":
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('fuzz')) / 'fuzz.db'}"
    else:
        url = postgres_url()
        reset_postgres(url)
    with SqlStore(url) as sql:
        sql.faults.add(sample_fault("F-1"))
        yield sql


def only_faultkit_errors(call: Callable[[], Any]) -> Any:
    """``call()``; a FaultkitError is an answer, anything else fails the test."""
    try:
        return call()
    except FaultkitError as exc:
        return exc


@settings(max_examples=60)
@given(key=hostile_text, cursor=cursors, number=numbers)
def test_reads_refuse_or_answer(store: Store, key: str, cursor: str, number: int) -> None:
    for repository in (store.faults, store.feedback, store.clusters, store.actions, store.risks):
        got = only_faultkit_errors(lambda r=repository: r.get(key))
        assert isinstance(got, RecordNotFoundError | InvalidInputError) or got.version >= 1
    only_faultkit_errors(lambda: store.events.for_fault(key))
    only_faultkit_errors(lambda: store.faults.query(cursor=cursor))
    only_faultkit_errors(lambda: store.faults.query(FaultQuery(states=key), cursor=cursor))
    only_faultkit_errors(lambda: store.faults.query(FaultQuery(assignees=key, components=key)))
    only_faultkit_errors(lambda: store.clusters.query(fault_id=key, cursor=cursor))
    only_faultkit_errors(lambda: store.actions.query(cursor=cursor))
    only_faultkit_errors(lambda: store.events.between(T0, T0 + timedelta(days=1), cursor=cursor))
    only_faultkit_errors(lambda: store.faults.query(limit=number))


@settings(max_examples=60)
@given(key=hostile_text, number=numbers)
def test_writes_refuse_or_store_what_reads_back(store: Store, key: str, number: int) -> None:
    fault = only_faultkit_errors(lambda: sample_fault(key, component=key))
    if not isinstance(fault, FaultkitError):
        added = only_faultkit_errors(lambda: store.faults.add(fault))
        if added == 1:
            assert store.faults.get(key).item == fault
        only_faultkit_errors(lambda: store.faults.save(fault, expected_version=number))
    only_faultkit_errors(lambda: store.events.append(key, [], expected_length=number))
    current = store.faults.get("F-1")
    only_faultkit_errors(lambda: store.faults.save(current.item, expected_version=number))


@settings(max_examples=30)
@given(action=actions(), key=hostile_text, number=numbers)
def test_records_with_hostile_keys(store: Store, action: Any, key: str, number: int) -> None:
    forged = only_faultkit_errors(lambda: attrs.evolve(action, id=key))
    if isinstance(forged, FaultkitError):
        return
    added = only_faultkit_errors(lambda: store.actions.add(forged))
    if added == 1:
        assert store.actions.get(key).item == forged
    only_faultkit_errors(lambda: store.actions.save(forged, expected_version=number))


@pytest.mark.parametrize(
    ("fact", "value"),
    [("priority", "high"), ("priority", 9), ("priority", 2.0), ("severity", 99), ("severity", "1")],
)
def test_facts_set_by_plain_assignment_are_refused_before_the_database(
    store: Store, fact: str, value: Any
) -> None:
    """The fault case refuses the assignment itself; the store's own check
    (``check_indexed_facts``) stays as a second line for faults built otherwise."""
    current = store.faults.get("F-1")
    with pytest.raises(InvalidInputError) as caught:
        setattr(current.item, fact, value)
    assert caught.value.field == fact
    assert caught.value.value == value
    assert store.faults.save(current.item, expected_version=current.version) == (
        current.version + 1
    )
    with pytest.raises(InvalidInputError) as again:
        check_indexed_facts(
            value if fact == "severity" else None, value if fact == "priority" else None
        )
    assert again.value.field == f"fault.{fact}"


def test_a_long_id_is_invalid_input_naming_it(store: Store) -> None:
    long_id = "F" * 2_700
    with pytest.raises(InvalidInputError) as caught:
        store.faults.add(sample_fault(long_id))
    assert caught.value.field == "fault.id"
    with pytest.raises(InvalidInputError, match="longer than 512"):
        store.faults.get(long_id)


@pytest.mark.parametrize("assignee_id", ["ann\x00", "a" * 2_700, "\ud800"])
def test_an_assignee_id_no_index_can_hold_is_invalid_input_naming_it(
    store: Store, assignee_id: str
) -> None:
    """The assignee id is an indexed column: PostgreSQL refuses NUL and long entries."""
    fault = sample_fault(f"F-assignee-{len(assignee_id)}-{assignee_id[-1] == chr(0)}")
    fault.assign(Assignee(id=assignee_id, name="Ann"), actor=AGENT, at=T0 + timedelta(hours=1))
    with pytest.raises(InvalidInputError) as caught:
        store.faults.add(fault)
    assert caught.value.field == "fault.assignee.id"


def test_a_forged_cursor_is_invalid_input_naming_it(store: Store) -> None:
    forged = _forge([2**70, "F-1"])
    with pytest.raises(InvalidInputError) as caught:
        store.faults.query(cursor=forged)
    assert (caught.value.field, caught.value.value) == ("cursor", forged)


@pytest.mark.parametrize(
    "query",
    [
        lambda: FaultQuery(states="a\x00b"),
        lambda: FaultQuery(components="\ud800"),
        lambda: FaultQuery(assignees="x" * 600),
    ],
)
def test_query_text_no_key_could_hold_is_invalid_input(store: Store, query: Any) -> None:
    with pytest.raises(InvalidInputError) as caught:
        store.faults.query(query())
    assert caught.value.field.startswith("query.")
    with pytest.raises(InvalidInputError):
        store.clusters.query(fault_id="a\x00b")
