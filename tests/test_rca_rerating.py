"""FMEA re-rating rules (AIAG-VDA 2019): what lowers a rating, and the re-rating events."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError, RerateRefusedError
from faultkit.rca import (
    Action,
    ActionKind,
    ActionStatus,
    DesignChange,
    Rerating,
    RiskItem,
    RiskRegister,
)
from faultkit.scoring import ActionPriority, FmeaRating
from faultkit.serialization import from_dict, from_json, to_dict, to_json
from faultkit.testing.rca import design_changes, reratings, risk_items
from faultkit.testing.scoring import fmea_ratings

T0 = datetime(2024, 6, 1, tzinfo=UTC)


def spooler(s: int = 9, o: int = 2, d: int = 7) -> RiskItem:
    return RiskItem(
        id="R-7",
        item="Spooler",
        failure_mode="Deadlock",
        effect="Printing stops",
        cause="Lock order",
        rating=FmeaRating(severity=s, occurrence=o, detection=d),
    )


def change(at: datetime = T0) -> DesignChange:
    return DesignChange(
        reference="ECN-42", description="jobs fail over to a second queue", by="eng-1", at=at
    )


def test_the_issue_example_severity_9_to_2_needs_a_design_change() -> None:
    # Issue 19: "FMEA re-rating drops severity from 9 to 2 with nothing recorded, moving
    # the action priority from H to L". AP(9, 2, 7) = H, AP(2, 2, 7) = L (AIAG-VDA 2019).
    item = spooler()
    low = FmeaRating(severity=2, occurrence=2, detection=7)
    with pytest.raises(RerateRefusedError) as info:
        item.rerate(low, by="u-1", at=T0, justification="feels safer now")
    err = info.value
    assert (err.item_id, err.rating, err.before, err.after) == ("R-7", "severity", 9, 2)
    assert err.rule == "severity_lowers_only_with_a_design_change"
    assert "R-7" in str(err)
    assert "severity 9 -> 2" in str(err)
    assert pickle.loads(pickle.dumps(err)).args == err.args

    after = item.rerate(low, by="u-1", at=T0, justification="failover", design_change=change())
    (event,) = after.reratings
    assert (event.ap_before, event.ap_after) == (ActionPriority.HIGH, ActionPriority.LOW)
    assert (event.before, event.after, event.by, event.at) == (item.rating, low, "u-1", T0)
    assert event.design_change == change()
    assert after.current == low
    assert after.rating == item.rating


@pytest.mark.parametrize("rating", ["occurrence", "detection"])
def test_occurrence_and_detection_lower_only_with_an_action(rating: str) -> None:
    item = spooler(9, 5, 7)
    values = {"severity": 9, "occurrence": 5, "detection": 7, rating: 1}
    lower = FmeaRating(**values)
    with pytest.raises(RerateRefusedError) as info:
        item.rerate(lower, by="u-1", at=T0, justification="x", design_change=change())
    assert (info.value.rating, info.value.after) == (rating, 1)
    assert info.value.rule == f"{rating}_lowers_only_with_an_action"
    after = item.rerate(lower, by="u-1", at=T0, justification="x", actions=["A-9"])
    assert after.reratings[-1].actions == ("A-9",)
    assert after.mitigations == ("A-9",)


def test_raising_needs_only_a_reason() -> None:
    item = spooler(4, 2, 2)
    higher = FmeaRating(severity=10, occurrence=9, detection=10)
    after = item.rerate(higher, by="u-2", at=T0, justification="field returns show data loss")
    assert after.action_priority is ActionPriority.HIGH
    with pytest.raises(InvalidInputError) as info:
        item.rerate(higher, by="u-2", at=T0, justification="  ")
    assert info.value.field == "justification"


def test_an_action_record_must_be_carried_out_by_the_rerating() -> None:
    item = spooler(9, 5, 7)
    lower = FmeaRating(severity=9, occurrence=2, detection=7)
    planned = Action(id="A-1", title="Lock order checker", kind=ActionKind.PREVENTIVE)
    with pytest.raises(RerateRefusedError) as info:
        item.rerate(lower, by="u", at=T0, justification="x", actions=[planned])
    assert (info.value.rating, info.value.before, info.value.after) == ("occurrence", 5, 2)
    assert info.value.rule == "only_a_carried_out_action_lowers_a_rating"
    done = planned.start().complete(at=T0)
    assert done.status is ActionStatus.DONE
    with pytest.raises(RerateRefusedError):  # completed after the re-rating
        item.rerate(lower, by="u", at=T0 - timedelta(days=1), justification="x", actions=[done])
    after = item.rerate(lower, by="u", at=T0, justification="x", actions=[done])
    assert after.reratings[-1].actions == ("A-1",)


def test_a_design_change_after_the_rerating_is_refused() -> None:
    item = spooler()
    low = FmeaRating(severity=5, occurrence=2, detection=7)
    with pytest.raises(RerateRefusedError) as info:
        item.rerate(low, by="u", at=T0, justification="x", design_change=change(T0 + timedelta(1)))
    assert info.value.rule == "design_change_not_after_the_rerating"


def test_rerating_back_in_time_is_refused() -> None:
    item = spooler().rerate(
        FmeaRating(severity=9, occurrence=3, detection=7),
        by="u",
        at=T0,
        justification="more frequent than thought",
    )
    with pytest.raises(InvalidInputError) as info:
        item.rerate(item.current, by="u", at=T0 - timedelta(seconds=1), justification="again")
    assert info.value.field == "at"


def test_a_stored_event_that_breaks_a_rule_or_its_priorities_is_bad_input() -> None:
    before = FmeaRating(severity=9, occurrence=2, detection=7)
    after = FmeaRating(severity=2, occurrence=2, detection=7)
    good: dict[str, Any] = {
        "by": "u",
        "at": T0,
        "before": before,
        "after": after,
        "ap_before": ActionPriority.HIGH,
        "ap_after": ActionPriority.LOW,
        "justification": "x",
        "design_change": change(),
    }
    Rerating(**good)
    with pytest.raises(InvalidInputError) as info:
        Rerating(**{**good, "design_change": None})
    assert info.value.field == "design_change"
    assert "severity_lowers_only_with_a_design_change" in info.value.reason
    with pytest.raises(InvalidInputError) as info:
        Rerating(**{**good, "ap_after": ActionPriority.HIGH})
    assert info.value.field == "ap_after"


# ------------------------------------------------------------------- random command sequences


@st.composite
def commands(draw: st.DrawFn) -> list[tuple[FmeaRating, bool, bool, int]]:
    """(new ratings, give a design change?, give an action?, minutes later) steps."""
    return draw(
        st.lists(
            st.tuples(fmea_ratings(), st.booleans(), st.booleans(), st.integers(-5, 600)),
            max_size=12,
        )
    )


@settings(max_examples=150, deadline=None)
@given(first=fmea_ratings(), steps=commands())
def test_replaying_the_events_gives_the_state(
    first: FmeaRating, steps: list[tuple[FmeaRating, bool, bool, int]]
) -> None:
    item = spooler(first.severity, first.occurrence, first.detection)
    states = [(None, first, first.action_priority)]
    at = T0
    for after, with_change, with_action, minutes in steps:
        at += timedelta(minutes=minutes)
        before = item.current
        kwargs: dict[str, Any] = {
            "design_change": change(at) if with_change else None,
            "actions": ["A-1"] if with_action else [],
        }
        expect_refusal = (
            (after.severity < before.severity and not with_change)
            or (after.occurrence < before.occurrence and not with_action)
            or (after.detection < before.detection and not with_action)
        )
        refused: RerateRefusedError | InvalidInputError | None = None
        try:
            new = item.rerate(after, by="u", at=at, justification="step", **kwargs)
        except (RerateRefusedError, InvalidInputError) as exc:
            refused = exc
        if isinstance(refused, RerateRefusedError):
            assert expect_refusal
            name = refused.rating
            assert getattr(before, name) == refused.before > refused.after == getattr(after, name)
            continue
        last = item.rerated_at
        if isinstance(refused, InvalidInputError):
            assert refused.field == "at"
            assert last is not None
            assert at < last
            continue
        assert last is None or at >= last
        assert not expect_refusal
        item = new
        states.append((at, after, after.action_priority))
    assert list(item.history()) == states
    replayed = RiskItem(
        id=item.id,
        item=item.item,
        failure_mode=item.failure_mode,
        effect=item.effect,
        cause=item.cause,
        rating=item.rating,
        reratings=item.reratings,
    )
    assert (replayed.current, replayed.action_priority) == (item.current, item.action_priority)
    for when, _rating, _ap in states[1:]:
        assert when is not None
        held = [r for t, r, _ in states if t is None or t <= when]
        assert item.rating_at(when) == held[-1]


@settings(max_examples=100, deadline=None)
@given(item=risk_items())
def test_risk_items_round_trip_with_their_events(item: RiskItem) -> None:
    assert from_dict(to_dict(item), RiskItem) == item
    assert from_json(to_json(item), RiskItem) == item
    register = RiskRegister(items=[item])
    assert from_dict(to_dict(register), RiskRegister) == register


@given(change=design_changes())
def test_design_changes_round_trip(change: DesignChange) -> None:
    assert from_dict(to_dict(change), DesignChange) == change


@given(event=reratings())
def test_rerating_events_round_trip_and_keep_the_rules(event: Rerating) -> None:
    assert from_json(to_json(event), Rerating) == event
    assert event.after.severity >= event.before.severity or event.design_change is not None


def test_faultkit_0_1_bodies_are_read_and_a_legacy_rerating_is_refused() -> None:
    body: dict[str, Any] = {
        "id": "R-1",
        "item": "export job",
        "failure_mode": "no retry",
        "effect": "export lost",
        "cause": "lock timeout",
        "rating": {"severity": 6, "occurrence": 4, "detection": 5},
        "controls": [],
        "mitigations": [],
        "rerating": None,
        "rerated_at": None,
    }
    assert from_dict(body, RiskItem).reratings == ()
    with pytest.raises(InvalidInputError) as info:
        from_dict({**body, "rerating": {"severity": 2, "occurrence": 4, "detection": 5}}, RiskItem)
    assert info.value.field == "rerating"
    with pytest.raises(InvalidInputError) as info:
        from_dict({**body, "rating": {"severity": 11, "occurrence": 4, "detection": 5}}, RiskItem)
    assert info.value.field == "rating.severity"
    with pytest.raises(InvalidInputError) as info:
        from_dict({**body, "colour": "red"}, RiskItem)
    assert info.value.field == "colour"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(reratings="x"), "reratings"),
        (lambda d: d["reratings"][0].update(ap_after="L"), "reratings[0].ap_after"),
        (lambda d: d["reratings"][0].update(actions=[]), "reratings[0].actions"),
        (lambda d: d["reratings"][0].update(at="2024-06-01T00:00:00"), "reratings[0].at"),
        (lambda d: d["reratings"][0].update(by=" "), "reratings[0].by"),
        (lambda d: d.update(rating=None), "rating"),
        (lambda d: d.pop("cause"), "cause"),
        (lambda d: d.update(reratings=[d["reratings"][0]] * 2), "reratings[1].before"),
    ],
)
def test_hostile_stored_risk_items_are_refused_naming_the_path(change: Any, field: str) -> None:
    item = spooler(9, 5, 7).rerate(
        FmeaRating(severity=9, occurrence=2, detection=7),
        by="u",
        at=T0,
        justification="prevention control",
        actions=["A-1"],
    )
    data = to_dict(item)
    change(data)
    with pytest.raises(InvalidInputError) as info:
        from_dict(data, RiskItem)
    assert info.value.field == field


def test_a_long_history_replays() -> None:
    item = spooler(9, 10, 10)
    at = T0
    for step in range(300):  # up and down, each with what the rules ask
        o = 10 - step % 9
        rating = FmeaRating(severity=9, occurrence=o, detection=10)
        item = item.rerate(rating, by="u", at=at, justification=f"review {step}", actions=["A"])
        at += timedelta(days=1)
    assert len(item.history()) == 301
    assert from_json(to_json(item), RiskItem) == item
    assert item.rating_at(T0 + timedelta(days=150, hours=1)).occurrence == 10 - 150 % 9
