"""Faults through the plain serialization helpers (their default codec)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from faultkit import InvalidInputError
from faultkit.lifecycle import FACTS, Fault, FaultCodec
from faultkit.serialization import from_dict, from_json, to_dict, to_json
from faultkit.testing.storage_contract import faults, sample_fault


@settings(max_examples=40)
@given(faults())
def test_faults_round_trip_through_to_dict_and_json(fault: Fault) -> None:
    data = to_dict(fault)
    assert set(data) == {"report", "state", "events"}  # facts are what the events say
    assert len(data["events"]) == len(fault.events)
    again = from_dict(data, Fault)
    assert again == fault
    assert again.state == fault.state
    assert again.history == fault.history
    assert again.events == fault.events
    for fact in FACTS:
        if fact != "action":
            assert getattr(again, fact) == getattr(fault, fact)
    assert from_json(to_json(fault), Fault) == fault


def test_the_default_codec_is_the_lifecycle_codec() -> None:
    fault = sample_fault("F-9")
    assert to_dict(fault) == FaultCodec().dump(fault)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.pop("state"), "state"),
        (lambda d: d.update(events="none"), "events"),
        (lambda d: d["report"].update(title=""), "report.title"),
        (lambda d: d.update(events=[{"kind": "fact", "fact": "colour"}]), "events[0].fact"),
        (lambda d: d.update(events=[{"kind": "party"}]), "events[0].kind"),
        (
            lambda d: d.update(
                events=[
                    {
                        "kind": "fact",
                        "fact": "analysis",
                        "command": "attach_analysis",
                        "actor": "a",
                        "at": "2024-05-01T09:00:00+00:00",
                        "after": {"type": "os.system", "data": {}},
                    }
                ]
            ),
            "events[0].after.type",
        ),
        (lambda d: d.update(surprise=1), "surprise"),
    ],
)
def test_bad_fault_data_names_the_field(change: Any, field: str) -> None:
    data = to_dict(sample_fault("F-9"))
    change(data)
    with pytest.raises(InvalidInputError) as info:
        from_dict(data, Fault)
    assert info.value.field == field
