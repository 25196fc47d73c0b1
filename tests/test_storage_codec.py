"""The fault codec: what stores write, and how bad stored data is reported."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings

from faultkit.errors import InvalidInputError
from faultkit.lifecycle import Fault
from faultkit.models import Person
from faultkit.rca import Action, Analysis
from faultkit.storage import FaultCodec, FaultQuery
from faultkit.storage.records import decode_cursor, encode_cursor, micros
from faultkit.testing.storage_contract import faults, sample_fault


@settings(max_examples=25, deadline=None)
@given(fault=faults())
def test_round_trip(fault: Fault) -> None:
    codec = FaultCodec()
    assert codec.load(codec.dump(fault)) == fault


_ANA = Person(id="ana", name="Ana")
_AT = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def test_analysis_is_written_with_a_known_tag() -> None:
    fault = sample_fault("F-1")
    fault.attach_analysis(Analysis(fault_id="F-1"), actor=_ANA, at=_AT)
    data = FaultCodec().dump(fault)
    assert data["events"][0]["after"]["type"] == "faultkit.rca.analysis.Analysis"
    assert FaultCodec().load(data) == fault


class Notes:
    """A root-cause analysis type of the caller's own."""

    def __init__(self, text: str = "") -> None:
        self.text = text

    def incomplete_reasons(self, actions: Iterable[Action] = ()) -> tuple[str, ...]:
        return ()

    def has_corrective_action(self, actions: Iterable[Action] = ()) -> bool:
        return True


def _bad(data: dict[str, Any], path: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        FaultCodec().load(data)
    assert info.value.field == path


def test_bad_data_names_the_path() -> None:
    good = FaultCodec().dump(sample_fault("F-1"))
    _bad({**good, "colour": "red"}, "colour")
    _bad({k: v for k, v in good.items() if k != "report"}, "report")
    _bad({**good, "events": "none"}, "events")
    _bad({**good, "events": [{"from_state": "a"}]}, "events[0].to_state")
    _bad({**good, "severity": 9}, "severity")
    _bad({**good, "report": {**good["report"], "reported_at": "yesterday"}}, "report.reported_at")
    fact = {"kind": "fact", "command": "c", "actor": "a", "at": "2024-05-01T09:00:00+00:00"}
    _bad({**good, "events": [{**fact, "fact": "severity", "after": 9}]}, "events[0].after")
    analysis = {**fact, "fact": "analysis"}
    _bad({**good, "events": [{**analysis, "after": "x"}]}, "events[0].after")
    _bad(
        {**good, "events": [{**analysis, "after": {"type": "os.system", "data": {}}}]},
        "events[0].after.type",
    )
    _bad(
        {
            **good,
            "events": [
                {**analysis, "after": {"type": "faultkit.rca.analysis.Analysis", "data": {}}}
            ],
        },
        "events[0].after.data.fault_id",
    )
    # An event's before must be what the stream says the fact was.
    _bad(
        {**good, "events": [{**fact, "fact": "priority", "before": 2, "after": 1}]},
        "events[0].before",
    )
    # Data written before the fault case is still read: its facts become import events.
    legacy = {k: v for k, v in good.items() if k != "events"}
    old = FaultCodec().load({**legacy, "history": [], "severity": 2, "priority": None})
    assert old.severity == 2
    assert old.events[0].command == "import"
    _bad({**legacy, "history": [{"from_state": "a"}]}, "history[0].to_state")
    _bad({**legacy, "severity": 9}, "severity")
    with pytest.raises(InvalidInputError):
        FaultCodec().load([])


def test_unknown_analysis_types_are_refused_unless_given() -> None:
    fault = sample_fault("F-1")
    fault.attach_analysis(Notes(), actor=_ANA, at=_AT)
    with pytest.raises(InvalidInputError) as info:
        FaultCodec().dump(fault)
    assert info.value.field == "analysis"
    with pytest.raises(InvalidInputError):
        FaultCodec(analysis_types=["not a class"])  # type: ignore[list-item]


def test_cursor_round_trip_and_refusals() -> None:
    cursor = encode_cursor((5, "F-ü"))
    assert decode_cursor(cursor, (int, str)) == (5, "F-ü")
    for bad in ("", "!!", encode_cursor(("5", "F")), encode_cursor((5,)), 5):
        with pytest.raises(InvalidInputError):
            decode_cursor(bad, (int, str))  # type: ignore[arg-type]


def test_micros_is_exact_across_offsets() -> None:
    from datetime import timedelta, timezone

    utc = datetime(2024, 5, 1, 9, 0, 0, 1, tzinfo=UTC)
    paris = utc.astimezone(timezone(timedelta(hours=2)))
    assert micros(utc) == micros(paris) == 1_714_554_000_000_001


def test_queries_validate() -> None:
    assert FaultQuery(states="a").states == frozenset({"a"})
    assert FaultQuery(severities=[1, 2]).severities is not None
    for bad in ({"severities": [0]}, {"priorities": [6]}, {"states": [""]}, {"states": 5}):
        with pytest.raises(InvalidInputError):
            FaultQuery(**bad)
    with pytest.raises(InvalidInputError):
        FaultQuery(reported_from=datetime(2024, 1, 1))  # naive
