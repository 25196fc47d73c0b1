"""The fast reader of stored events (faultkit.lifecycle.fastread) agrees with the general one.

For every input it takes, it gives the event the general way (``FaultCodec.load_event``:
the converter, then the records' validators) gives; whatever it declines, the general
way reads or refuses with the field named. Hostile values are planted in the events a
codec writes; corrupt bodies in a real SQLite store still come back as
``CorruptRecordError`` naming the field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import CorruptRecordError, InvalidInputError
from faultkit.lifecycle import Comment, FactChange, Fault, FaultCodec, TransitionRecord
from faultkit.lifecycle.fastread import read_events, read_report
from faultkit.models import FaultReport
from faultkit.serialization import from_dict, to_dict
from faultkit.testing.lifecycle import comments, transition_records
from faultkit.testing.storage_contract import faults, sample_fault
from faultkit.testing.strategies import fault_reports

CODEC = FaultCodec()

HOSTILE: list[Any] = [
    None,
    "",
    "   ",
    "\u2003\n",  # blank by str.strip / str.isspace, not by ASCII rules
    "\x1c",  # a separator Python counts as white space
    0,
    1,
    True,
    False,
    1.5,
    [],
    {},
    ["x"],
    {"x": 1},
    "2024-05-01T09:00:00",  # naive
    "2024-05-01T09:00:00Z",
    "2024-13-01T09:00:00+00:00",
    "not a time",
    "x" * 100_000,
    "\ud800",  # a lone surrogate
    "comment",
    "fact",
    "transition",
    "severity",
    "analysis",
    "no-such-fact",
    "S" * 3 + "\x00",
]


def _general(data: Any) -> Any:
    """The general way's answer: the event, or the error it raises."""
    try:
        return CODEC.load_event(data)
    except InvalidInputError as exc:
        return exc


def _check_agrees(data: Any) -> Any:
    fast = read_events([data])[0]
    general = _general(data)
    if fast is not None:
        assert not isinstance(general, InvalidInputError), (data, general)
        assert type(fast) is type(general)
        # every field is set (a missing slot raises here) and equal
        assert attrs.asdict(fast, recurse=False) == attrs.asdict(general, recurse=False)
        assert fast == general
    return fast


def _fact_events(fault: Fault) -> list[FactChange]:
    return [event for event in fault.events if type(event) is FactChange]


@settings(max_examples=60, deadline=None)
@given(faults(max_history=4))
def test_the_fast_reader_takes_what_the_codec_writes_and_agrees(fault: Fault) -> None:
    data = CODEC.dump(fault)
    fast = read_events(data["events"])
    assert len(fast) == len(fault.events)
    for event, dumped, read in zip(fault.events, data["events"], fast, strict=True):
        if type(event) is FactChange and event.fact == "analysis":
            assert read is None  # an analysis is read the general way (its type tag)
            continue
        assert read is not None, dumped  # the fast path is used, not silently dead
        assert read == event == CODEC.load_event(dumped)
    assert CODEC.load(data) == fault
    assert CODEC.load(json.loads(json.dumps(data))) == fault


@settings(max_examples=40, deadline=None)
@given(
    st.one_of(
        comments(),
        transition_records(),
        faults(max_history=2).map(_fact_events).filter(bool).flatmap(st.sampled_from),
    )
)
def test_hostile_values_are_declined_or_read_as_the_general_way_reads_them(event: Any) -> None:
    dumped = CODEC.dump_event(event)
    assert _check_agrees(dumped) is not None or (
        type(event) is FactChange and event.fact == "analysis"
    )
    for key in sorted(dumped):  # every field, every hostile value; dropped; and extras
        for value in HOSTILE:
            _check_agrees({**dumped, key: value})
        _check_agrees({name: item for name, item in dumped.items() if name != key})
    for extra in ("extra", "kind ", "Actor", "history"):
        _check_agrees({**dumped, extra: "x"})


@pytest.mark.parametrize("item", [None, "x", 3, [], ["kind", "comment"], {"kind": ["comment"]}])
def test_items_that_are_not_event_objects_are_declined(item: Any) -> None:
    assert read_events([item]) == [None]
    with pytest.raises(InvalidInputError):
        CODEC.load_event(item)


def test_times_are_shared_within_a_stream_and_stay_equal() -> None:
    base = Comment(actor="ana", at=sample_fault("F-1").report.reported_at, text="hi")
    dumped = [CODEC.dump_event(base), CODEC.dump_event(attrs.evolve(base, text="again"))]
    first, second = read_events(dumped)
    assert first == base
    assert second is not None
    assert second.at == base.at
    assert first is not None
    assert first.at is second.at  # parsed once per distinct text


def _stored(tmp_path: Path) -> tuple[str, Fault]:
    from faultkit.adapters.sql import SqlStore
    from faultkit.models import Person, Severity

    fault = sample_fault("F-7")
    agent = Person(id="agent", name="Agent")
    at = fault.report.reported_at
    fault.set_severity(Severity.SEV2, actor=agent, at=at)  # events[0]
    fault.set_priority(2, actor=agent, at=at)  # events[1]; then four work notes
    for k in range(4):
        fault.comment(f"call {k}", actor=agent, at=at, work_note=True)
    url = f"sqlite:///{tmp_path / 'fast.db'}"
    with SqlStore(url) as store:
        store.faults.add(fault)
    return url, fault


@pytest.mark.parametrize(
    ("index", "key", "value", "field"),
    [
        (2, "actor", "  ", "events[2].actor"),
        (3, "at", "2024-05-01T09:00:00", "events[3].at"),
        (4, "work_note", "yes", "events[4].work_note"),
        (1, "after", 9, "events[1].after"),
        (1, "after", "2", "events[1].after"),
        (2, "at", "2024-04-01T09:00:00+00:00", "events[2].at"),
        (5, "text", "\u2003", "events[5].text"),
    ],
)
def test_corrupt_bodies_in_a_store_are_refused_naming_the_field(
    tmp_path: Path, index: int, key: str, value: Any, field: str
) -> None:
    import sqlalchemy as sa

    from faultkit.adapters.sql import SqlStore
    from faultkit.storage import FaultQuery

    url, fault = _stored(tmp_path)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        body = json.loads(conn.execute(sa.text("SELECT body FROM faultkit_faults")).scalar_one())
        body["events"][index][key] = value
        conn.execute(sa.text("UPDATE faultkit_faults SET body = :b"), {"b": json.dumps(body)})
    engine.dispose()
    with SqlStore(url) as store:
        with pytest.raises(CorruptRecordError) as caught:
            store.faults.get(fault.id)
        assert caught.value.key == fault.id
        assert field in caught.value.reason
        page = store.faults.query(FaultQuery())
        assert page.items == ()
        assert [c.key for c in page.corrupt] == [fault.id]
        assert field in page.corrupt[0].reason


def test_a_stored_fault_reads_back_equal(tmp_path: Path) -> None:
    from faultkit.adapters.sql import SqlStore

    url, fault = _stored(tmp_path)
    with SqlStore(url) as store:
        assert store.faults.get(fault.id).item == fault


def test_event_records_are_built_whole() -> None:
    # The fast reader builds these classes slot by slot: a field it does not know of
    # would be left unset. Each field of each class must be one it sets.
    dumped = {
        Comment: {"kind": "comment", "actor": "a", "at": "2024-05-01T09:00:00+00:00", "text": "t"},
        TransitionRecord: {
            "from_state": "a",
            "to_state": "b",
            "trigger": "go",
            "actor": "a",
            "at": "2024-05-01T09:00:00+00:00",
        },
        FactChange: {
            "kind": "fact",
            "fact": "priority",
            "command": "set_priority",
            "actor": "a",
            "at": "2024-05-01T09:00:00+00:00",
            "after": 2,
        },
    }
    for cls, data in dumped.items():
        (event,) = read_events([data])
        assert type(event) is cls
        for field in attrs.fields(cls):
            getattr(event, field.name)  # AttributeError if a slot were left unset
        assert event == CODEC.load_event(data)


def _check_report_agrees(data: Any) -> FaultReport | None:
    fast = read_report(data)
    try:
        general: Any = from_dict(data, FaultReport)
    except InvalidInputError as exc:
        general = exc
    if fast is not None:
        assert not isinstance(general, InvalidInputError), (data, general)
        assert attrs.asdict(fast) == attrs.asdict(general)
        assert fast == general
    return fast


@settings(max_examples=80, deadline=None)
@given(fault_reports())
def test_the_fast_report_reader_takes_what_to_dict_writes_and_agrees(report: FaultReport) -> None:
    data = json.loads(json.dumps(to_dict(report)))
    assert _check_report_agrees(data) == report  # taken, not declined


@settings(max_examples=150, deadline=None)
@given(fault_reports(), st.data())
def test_hostile_report_values_are_declined_or_read_as_from_dict_reads_them(
    report: FaultReport, data: st.DataObject
) -> None:
    dumped = json.loads(json.dumps(to_dict(report)))
    target = dumped
    if data.draw(st.booleans()):
        target = dumped["reporter"]
    how = data.draw(st.sampled_from(["replace", "drop", "add"]))
    key = data.draw(st.sampled_from(sorted(target)))
    if how == "replace":
        target[key] = data.draw(
            st.sampled_from([*HOSTILE, -1, 10**30, ["E1", " "], [{"x": 1}], [None]])
        )
    elif how == "drop":
        del target[key]
    else:
        target["extra"] = 1
    _check_report_agrees(dumped)
