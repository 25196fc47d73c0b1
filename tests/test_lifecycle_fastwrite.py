"""The fast writer of fault events (faultkit.lifecycle.fastwrite) agrees with the general one.

The general way is what ``FaultCodec.dump_event`` did before the fast writer: the
converter (``to_dict``) for comments and transitions, ``to_dict`` of each value for a
fact change, the analysis with its type tag. For every event kind, every fact of
:data:`~faultkit.lifecycle.FACTS` and random reports, the fast writer gives equal data
and the same JSON text (key order included), and the fast reader reads it back equal.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.lifecycle import (
    FACTS,
    Comment,
    FactChange,
    Fault,
    FaultCodec,
    TransitionRecord,
    fastwrite,
)
from faultkit.lifecycle.fastread import read_events, read_report
from faultkit.lifecycle.fastwrite import write_event, write_events, write_report, write_time
from faultkit.models import Reporter, Severity
from faultkit.serialization import to_dict
from faultkit.testing import assignees, aware_datetimes, fault_reports, text
from faultkit.testing.lifecycle import (
    change_links,
    comments,
    containments,
    diagnoses,
    feedback_links,
    major_incidents,
    notices,
    post_incident_reviews,
    stakeholder_updates,
    transition_records,
    verifications,
)
from faultkit.testing.rca import analyses_with_actions
from faultkit.testing.storage_contract import faults, sample_fault

CODEC = FaultCodec()

_KIND = {Comment: "comment", TransitionRecord: "transition", FactChange: "fact"}


def general_event(event: Any) -> dict[str, Any]:
    """The event as the converter writes it (the codec's way before the fast writer)."""
    if type(event) is not FactChange:
        data: dict[str, Any] = to_dict(event)
        data["kind"] = _KIND[type(event)]
        return data
    return {
        "kind": "fact",
        "fact": event.fact,
        "command": event.command,
        "actor": event.actor,
        "at": to_dict(event.at),
        "before": CODEC._dump_value(event.fact, event.before),
        "after": CODEC._dump_value(event.fact, event.after),
        "reason": event.reason,
    }


def _same(fast: Any, general: Any) -> None:
    assert fast == general
    assert json.dumps(fast, ensure_ascii=False) == json.dumps(general, ensure_ascii=False)


_analyses = analyses_with_actions(max_trees=1, max_steps=3, max_actions=3)
_ids = text(max_size=10)
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "severity": st.sampled_from(Severity),
    "priority": st.integers(min_value=1, max_value=5),
    "assignee": assignees(),
    "diagnosis": diagnoses(),
    "containment": containments(),
    "analysis": _analyses.map(lambda pair: pair[0]),
    "actions": _analyses.map(lambda pair: tuple(pair[1])),
    "verification": verifications(),
    "notices": st.lists(notices(), max_size=3).map(tuple),
    "feedback": st.lists(feedback_links(), max_size=3).map(tuple),
    "maintenance_docs_updated": st.booleans(),
    "duplicate_of": _ids,
    "closed_at": aware_datetimes(),
    "problem_id": _ids,
    "resolution_note": text(),
    "duplicates": st.lists(_ids, max_size=3).map(tuple),
    "changes": st.lists(change_links(), max_size=2).map(tuple),
    "major_incident": major_incidents(),
    "stakeholder_updates": st.lists(stakeholder_updates(), max_size=2).map(tuple),
    "post_incident_review": post_incident_reviews(),
}


def test_every_fact_has_a_value_strategy_here() -> None:
    assert set(VALUES) == set(FACTS)  # a new fact must be drawn by the tests below


@st.composite
def fact_changes(draw: st.DrawFn) -> FactChange:
    """A fact change of any fact, with a value of its type (or ``None``) before and after."""
    fact = draw(st.sampled_from(sorted(FACTS)))
    values = st.none() | VALUES[fact]
    return FactChange(
        fact=fact,
        command=draw(text(max_size=12)),
        actor=draw(text(max_size=12)),
        at=draw(aware_datetimes()),
        before=draw(values),
        after=draw(values),
        reason=draw(st.none() | text()),
    )


events = st.one_of(comments(), transition_records(), fact_changes())


@settings(max_examples=300)
@given(events)
def test_every_event_kind_is_written_as_the_general_way_writes_it(event: Any) -> None:
    fast = write_event(event, CODEC._dump_value)
    _same(fast, general_event(event))
    assert CODEC.dump_event(event) == fast
    read = read_events(json.loads(json.dumps(fast)))
    if type(event) is FactChange and event.fact == "analysis" and event.after is not None:
        return  # the fast reader leaves an analysis to the general way (its type tag)
    back = read[0] if read[0] is not None else CODEC.load_event(json.loads(json.dumps(fast)))
    assert back == event


@settings(max_examples=100)
@given(st.lists(events, max_size=8))
def test_a_stream_is_written_event_by_event(stream: list[Any]) -> None:
    fast = write_events(stream, CODEC._dump_value)
    _same(fast, [general_event(event) for event in stream])


@settings(max_examples=100)
@given(faults(max_history=4))
def test_a_fault_is_written_as_before_and_reads_back_equal(fault: Fault) -> None:
    data = CODEC.dump(fault)
    _same(
        data,
        {
            "report": to_dict(fault.report),
            "state": fault.state,
            "events": [general_event(event) for event in fault.events],
        },
    )
    assert CODEC.load(json.loads(json.dumps(data))) == fault


@settings(max_examples=200)
@given(fault_reports())
def test_a_report_is_written_as_the_converter_writes_it(report: Any) -> None:
    fast = write_report(report)
    _same(fast, to_dict(report))
    assert read_report(json.loads(json.dumps(fast))) == report


def test_a_report_by_a_reporter_of_a_subclass_is_written_by_the_converter() -> None:
    @attrs.frozen(kw_only=True)
    class Partner(Reporter):
        tier: str = "gold"

    report = sample_fault("F-1").report
    partner = Partner(id="p-1", name="Pat")
    odd = attrs.evolve(report, reporter=partner)
    _same(write_report(odd), to_dict(odd))


@given(aware_datetimes())
def test_a_time_is_written_as_isoformat(at: datetime) -> None:
    assert write_time(at, {}) == at.isoformat() == to_dict(at)


def test_equal_instants_with_other_offsets_keep_their_own_text() -> None:
    utc = datetime(2024, 5, 1, 9, 30, 0, 1, tzinfo=UTC)
    paris = utc.astimezone(timezone(timedelta(hours=2)))
    assert utc == paris
    stream = [
        Comment(actor="ana", at=utc, text="a"),
        Comment(actor="ana", at=paris, text="b"),
        FactChange(fact="closed_at", command="close", actor="ana", at=paris, after=utc),
        FactChange(fact="closed_at", command="close", actor="ana", at=utc, before=utc, after=paris),
    ]
    written = write_events(stream, CODEC._dump_value)
    assert [item["at"] for item in written] == [
        "2024-05-01T09:30:00.000001+00:00",
        "2024-05-01T11:30:00.000001+02:00",
        "2024-05-01T11:30:00.000001+02:00",
        "2024-05-01T09:30:00.000001+00:00",
    ]
    assert written[3]["after"] == paris.isoformat()
    _same(written, [general_event(event) for event in stream])


@pytest.mark.parametrize("item", [None, "comment", {"kind": "comment"}, sample_fault("F-1")])
def test_what_is_not_an_event_is_refused_naming_it(item: Any) -> None:
    with pytest.raises(InvalidInputError) as caught:
        CODEC.dump_event(item)
    assert caught.value.field == "event"
    note = Comment(actor="ana", at=datetime(2024, 5, 1, tzinfo=UTC), text="hi")
    with pytest.raises(InvalidInputError) as caught:
        write_events([note, item], CODEC._dump_value)
    assert caught.value.field == "events[1]"
    assert isinstance(caught.value, ValueError)


def test_an_analysis_of_an_unknown_type_is_refused_as_before() -> None:
    at = datetime(2024, 5, 1, tzinfo=UTC)
    odd = FactChange(fact="analysis", command="attach", actor="ana", at=at, after="no analysis")
    with pytest.raises(InvalidInputError) as caught:
        CODEC.dump_event(odd)
    assert caught.value.field == "analysis"


@settings(max_examples=60)
@given(st.lists(events, max_size=6))
def test_the_general_fallback_writes_the_same(stream: list[Any]) -> None:
    with pytest.MonkeyPatch.context() as patch:  # records whose fields are not the ones known
        patch.setattr(fastwrite, "FAST_EVENTS", False)
        slow = write_events(stream, CODEC._dump_value)
        single = [write_event(event, CODEC._dump_value) for event in stream]
    _same(slow, write_events(stream, CODEC._dump_value))
    _same(single, slow)
