"""A save checks on the texts that it only appends (faultkit.adapters.sql_bodies).

``appended_from`` may only answer when the stored events are, parsed, exactly the
first events of the save; whatever it cannot show, it leaves to the full check. Random
streams of JSON values with hostile text (quotes, backslashes, brackets, the key
``"events"`` itself, non-ASCII, lone surrogates) are stored and saved shorter,
rewritten, reordered and extended. In a real store, bodies written another way (an
older writer's spacing, ASCII escapes) still take the full check, which accepts an
extension and refuses a rewrite naming the event.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.adapters.sql import SqlFaultRepository, SqlStore
from faultkit.adapters.sql_bodies import appended_from, write_body
from faultkit.errors import InvalidInputError
from faultkit.lifecycle import Comment, Fault, TransitionRecord
from faultkit.models import Person
from faultkit.testing.contention import bump, counter
from faultkit.testing.storage_contract import rebuilt, sample_fault, with_note
from test_storage_sql import db_url  # noqa: F401 - the fixture (SQLite and PostgreSQL)

NASTY = st.sampled_from(
    ['"', "\\", '\\"', "]", "]}", "[", ',"events":[', '"events"', "é", "漢", "\ud800", "\x00"]
)
texts = st.lists(NASTY | st.text(max_size=6), max_size=4).map("".join)
scalars = st.none() | st.booleans() | st.integers() | texts
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
events = st.dictionaries(texts, values, max_size=4)


def dumps(data: Any) -> str:
    """As the SQL store writes JSON: compact, UTF-8, ASCII escapes for a lone surrogate."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text


def _answer(stored: dict[str, Any], new: dict[str, Any]) -> tuple[int, list[str]] | None:
    body = write_body(new, dumps)
    assert json.loads(body.text) == new  # the body reads back as the data
    stream = new["events"]
    return appended_from(
        write_body(stored, dumps).text, body, lambda i: dumps(stream[i]), len(stream)
    )


def _check_sound(stored: dict[str, Any], new: dict[str, Any]) -> tuple[int, list[str]] | None:
    answer = _answer(stored, new)
    if answer is not None:
        known, written = answer
        assert known == len(stored["events"])
        assert new["events"][:known] == stored["events"]
        assert written == [dumps(event) for event in new["events"][known:]]
        assert new["report"] == stored["report"]
    return answer


report = st.fixed_dictionaries({"id": texts, "title": texts})
states = st.sampled_from(["recorded", "resolved", 'odd "state"', "ré\\"])


@settings(max_examples=400)
@given(report, states, states, st.lists(events, max_size=5), st.lists(events, max_size=3))
def test_an_extension_is_shown_on_the_texts(
    head: dict[str, Any], state: str, later: str, stream: list[Any], extra: list[Any]
) -> None:
    stored = {"report": head, "state": state, "events": stream}
    new = {"report": head, "state": later, "events": stream + extra}
    answer = _check_sound(stored, new)
    if "\ud800" not in json.dumps([head, state, later, stream, extra], ensure_ascii=False):
        assert answer is not None  # the fast check is used, not silently dead


@settings(max_examples=400)
@given(
    report,
    report,
    states,
    st.lists(events, max_size=5),
    st.lists(events, max_size=5),
)
def test_nothing_else_is_ever_taken_for_an_extension(
    head: dict[str, Any],
    other: dict[str, Any],
    state: str,
    stream: list[Any],
    new_stream: list[Any],
) -> None:
    stored = {"report": head, "state": state, "events": stream}
    for candidate in (
        new_stream,
        stream[:-1],
        stream[1:],
        stream[::-1] + new_stream,
        new_stream + stream,
        stream[:1] + new_stream + stream[1:],
    ):
        _check_sound(stored, {"report": head, "state": state, "events": candidate})
        _check_sound(stored, {"report": other, "state": state, "events": candidate})


@given(st.lists(events, min_size=1, max_size=4), events, st.data())
def test_a_changed_event_is_never_taken(stream: list[Any], extra: Any, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(stream) - 1))
    changed = [*stream]
    changed[index] = {"changed": stream[index]}  # never equal to what it replaces
    stored = {"report": {}, "state": "s", "events": stream}
    assert _check_sound(stored, {"report": {}, "state": "s", "events": [*changed, extra]}) is None


@pytest.mark.parametrize(
    "stored",
    [
        None,
        5,
        "",
        "]}",
        '{"report":{},"state":"s","events":[]',
        '{"report":{},"state":"s","events":{}}',
        '{"report":{},"state":"s\\","events":[]}',
        '{"report":{},"state":"s","events":[1]}x',
    ],
)
def test_texts_of_another_shape_are_left_to_the_full_check(stored: Any) -> None:
    new = {"report": {}, "state": "s", "events": [1, 2]}
    body = write_body(new, dumps)
    assert appended_from(stored, body, lambda i: dumps(new["events"][i]), 2) is None


# --------------------------------------------------------------------------- in a store

ANA = Person(id="ana", name="Ana")


def _rewrite_stored_body(url: str, fault_id: str, **options: Any) -> None:
    """Write the stored body again the way another writer might (same data, other text)."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        text = conn.execute(
            sa.text("SELECT body FROM faultkit_faults WHERE id = :id"), {"id": fault_id}
        ).scalar_one()
        again = json.dumps(json.loads(text), **options)
        assert again != text
        conn.execute(
            sa.text("UPDATE faultkit_faults SET body = :b WHERE id = :id"),
            {"b": again, "id": fault_id},
        )
    engine.dispose()


def _noted(count: int) -> Fault:
    fault = sample_fault("F-1")
    for k in range(count):
        fault.comment(f"call {k} — «ok»", actor=ANA, at=fault.report.reported_at, work_note=True)
    return fault


@pytest.mark.parametrize(
    "options", [{"indent": 2}, {"ensure_ascii": True}, {"sort_keys": True}], ids=str
)
def test_a_body_written_another_way_takes_the_full_check(
    db_url: str,  # noqa: F811 - the fixture imported above
    options: dict[str, Any],
) -> None:
    fault = _noted(3)
    with SqlStore(db_url) as store:
        store.faults.add(fault)
    _rewrite_stored_body(db_url, fault.id, **options)
    with SqlStore(db_url) as store:
        first, second, third = fault.events
        forged = rebuilt(fault, events=(first, attrs.evolve(second, actor="eve"), third))
        with pytest.raises(InvalidInputError) as caught:
            store.faults.save(with_note(forged, actor="eve", at=third.at), expected_version=1)
        assert caught.value.field == "events[1]"
        with pytest.raises(InvalidInputError) as caught:
            store.faults.save(rebuilt(fault, events=(first, second)), expected_version=1)
        assert caught.value.field == "events[2]"
        longer = with_note(fault, actor="ana", at=third.at)
        assert store.faults.save(longer, expected_version=1) == 2
        assert store.faults.get(fault.id).item == longer
        assert [e.record for e in store.events.for_fault(fault.id)] == list(longer.events)
        again = store.faults.get(fault.id)  # the body is now written the store's way
        bump(again.item)
        assert store.faults.save(again.item, expected_version=2) == 3
        assert counter(store.faults.get(fault.id).item) == 1


def test_a_state_change_and_many_new_events_are_saved_in_one_go(
    db_url: str,  # noqa: F811 - the fixture imported above
) -> None:
    fault = _noted(2)
    at = fault.report.reported_at
    with SqlStore(db_url) as store:
        store.faults.add(fault)
        got = store.faults.get(fault.id)
        moved = TransitionRecord(
            from_state=fault.state, to_state="in_review", trigger="submit", actor="ana", at=at
        )
        later = rebuilt(got.item, state="in_review", events=(*got.item.events, moved))
        for k in range(5):
            later.comment(f"more {k}", actor=ANA, at=at)
        assert store.faults.save(later, expected_version=1) == 2
        assert store.faults.get(fault.id).item == later
        assert [e.record for e in store.events.for_fault(fault.id)] == list(later.events)
        stale = _noted(2)
        stale.comment("late", actor=ANA, at=at)  # the transition is missing: events[2]
        with pytest.raises(InvalidInputError) as caught:
            store.faults.save(with_note(stale, actor="x", at=at), expected_version=2)
        assert caught.value.field == "events[2]"


def test_a_save_of_what_is_not_a_fault_or_has_a_bad_id_is_bad_input(
    db_url: str,  # noqa: F811 - the fixture imported above
) -> None:
    with SqlStore(db_url) as store:
        with pytest.raises(InvalidInputError) as caught:
            store.faults.save("F-1", expected_version=1)  # type: ignore[arg-type]
        assert caught.value.field == "fault"
        bad = sample_fault("F\x00-1")
        with pytest.raises(InvalidInputError) as caught:
            store.faults.save(bad, expected_version=1)
        assert caught.value.field == "fault.id"


def test_a_comment_text_that_looks_like_the_body_is_stored_as_text(
    db_url: str,  # noqa: F811 - the fixture imported above
) -> None:
    fault = _noted(1)
    with SqlStore(db_url) as store:
        store.faults.add(fault)
        got = store.faults.get(fault.id)
        sly = '"}],"events":[],"x":{"a":"'
        got.item.comment(sly, actor=ANA, at=fault.report.reported_at)
        assert store.faults.save(got.item, expected_version=1) == 2
        back = store.faults.get(fault.id).item
        assert back == got.item
        last = back.events[-1]
        assert isinstance(last, Comment)
        assert last.text == sly


def test_an_ordinary_save_does_not_parse_the_stored_body(
    db_url: str,  # noqa: F811 - the fixture imported above
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def parse(*args: Any) -> int:
        raise AssertionError("the stored body was parsed")

    monkeypatch.setattr(SqlFaultRepository, "_check_extends", parse)
    with SqlStore(db_url) as store:
        store.faults.add(_noted(2))
        for _ in range(3):
            got = store.faults.get("F-1")
            bump(got.item)
            store.faults.save(got.item, expected_version=got.version)
        assert counter(store.faults.get("F-1").item) == 3
