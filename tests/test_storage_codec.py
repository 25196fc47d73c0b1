"""The fault codec: what stores write, and how bad stored data is reported."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings

from faultkit.errors import InvalidInputError
from faultkit.lifecycle import Fault
from faultkit.rca import Analysis
from faultkit.storage import FaultCodec, FaultQuery
from faultkit.storage.records import decode_cursor, encode_cursor, micros
from faultkit.testing.storage_contract import faults, sample_fault


@settings(max_examples=25, deadline=None)
@given(fault=faults())
def test_round_trip(fault: Fault) -> None:
    codec = FaultCodec()
    assert codec.load(codec.dump(fault)) == fault


def test_analysis_is_written_with_a_known_tag() -> None:
    fault = sample_fault("F-1")
    fault.update(analysis=Analysis(fault_id="F-1"))
    data = FaultCodec().dump(fault)
    assert data["analysis"]["type"] == "faultkit.rca.analysis.Analysis"
    assert FaultCodec().load(data) == fault


class Notes:
    """A root-cause analysis type of the caller's own."""

    def __init__(self, text: str = "") -> None:
        self.text = text

    def incomplete_reasons(self) -> tuple[str, ...]:
        return ()

    def has_corrective_action(self) -> bool:
        return True


def _bad(data: dict[str, Any], path: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        FaultCodec().load(data)
    assert info.value.field == path


def test_bad_data_names_the_path() -> None:
    good = FaultCodec().dump(sample_fault("F-1"))
    _bad({**good, "colour": "red"}, "colour")
    _bad({k: v for k, v in good.items() if k != "report"}, "report")
    _bad({**good, "history": "none"}, "history")
    _bad({**good, "history": [{"from_state": "a"}]}, "history[0].to_state")
    _bad({**good, "severity": 9}, "severity")
    _bad({**good, "report": {**good["report"], "reported_at": "yesterday"}}, "report.reported_at")
    _bad({**good, "analysis": {"type": "os.system", "data": {}}}, "analysis.type")
    _bad({**good, "analysis": "x"}, "analysis")
    _bad(
        {**good, "analysis": {"type": "faultkit.rca.analysis.Analysis", "data": {}}},
        "analysis.data.fault_id",
    )
    with pytest.raises(InvalidInputError):
        FaultCodec().load([])


def test_unknown_analysis_types_are_refused_unless_given() -> None:
    fault = sample_fault("F-1")
    fault.update(analysis=Notes())
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
