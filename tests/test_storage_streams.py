"""The one append-only rule and the stream kinds (feedback cases, problems) as data."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit.errors import MISSING, InvalidInputError
from faultkit.feedback import FeedbackStatus
from faultkit.storage.cases import FEEDBACK_CASES
from faultkit.storage.problems import PROBLEMS, ProblemQuery
from faultkit.storage.records import FeedbackQuery
from faultkit.storage.streams import check_extends
from faultkit.testing.storage_contract import feedback_queries, sample_case
from faultkit.testing.storage_problems import sample_problem

_events = st.lists(st.integers(min_value=0, max_value=3), max_size=6)


def _refusal(stored: list[Any], new: list[Any]) -> InvalidInputError | None:
    try:
        check_extends(stored, new, field="x.events", owner="thing 'x'", rule="it only grows")
    except InvalidInputError as error:
        return error
    return None


@given(stored=_events, new=_events)
def test_a_stream_extends_the_stored_one_exactly_when_it_begins_with_it(
    stored: list[int], new: list[int]
) -> None:
    error = _refusal(stored, new)
    assert (error is None) == (new[: len(stored)] == stored)
    if error is None:
        return
    first = next(
        (i for i, (old, now) in enumerate(zip(stored, new, strict=False)) if old != now),
        len(new),
    )
    assert error.field == f"x.events[{first}]"  # the first event that differs
    assert "thing 'x'" in error.reason
    assert "it only grows" in error.reason
    assert error.value == (new[first] if first < len(new) else MISSING)


@given(stored=_events, extra=_events)
def test_adding_events_is_always_accepted(stored: list[int], extra: list[int]) -> None:
    assert _refusal(stored, stored + extra) is None


def test_each_kind_names_its_rule_and_the_first_event_that_differs() -> None:
    case = sample_case("fb-1", status=FeedbackStatus.ANSWERED)
    stored = FEEDBACK_CASES.dump(case)
    forged = FEEDBACK_CASES.dump(case)
    forged["events"][1] = {**forged["events"][1], "at": "2030-01-01T00:00:00+00:00"}
    with pytest.raises(InvalidInputError, match="history only grows") as info:
        FEEDBACK_CASES.check_extends("fb-1", stored, forged)
    assert info.value.field == "fb-1.events[1]"
    problem = sample_problem("PRB-1")
    shorter = {**PROBLEMS.dump(problem), "events": PROBLEMS.dump(problem)["events"][:-2]}
    with pytest.raises(InvalidInputError, match="only adds events") as info:
        PROBLEMS.check_extends("PRB-1", PROBLEMS.dump(problem), shorter)
    assert info.value.field == f"PRB-1.events[{len(problem.events) - 2}]"


def test_a_case_body_an_old_release_wrote_is_the_item_without_events() -> None:
    case = sample_case("fb-2")
    item = FEEDBACK_CASES.dump(case)["feedback"]
    FEEDBACK_CASES.check_extends("fb-2", item, FEEDBACK_CASES.dump(case))  # only adds
    edited = FEEDBACK_CASES.dump(case)
    edited["feedback"] = {**item, "text": "edited"}
    with pytest.raises(InvalidInputError) as info:
        FEEDBACK_CASES.check_extends("fb-2", item, edited)
    assert info.value.field == "fb-2.feedback"


@given(query=feedback_queries(), status=st.sampled_from(FeedbackStatus), social=st.booleans())
def test_the_kind_filters_as_the_query_does(
    query: FeedbackQuery, status: FeedbackStatus, social: bool
) -> None:
    case = sample_case("fb-3", status=status, social=social, product="app", fault_id="F-1")
    assert FEEDBACK_CASES.matches(query, case) == query.matches(case)


def test_a_problem_query_on_many_valued_entries() -> None:
    problem = sample_problem("PRB-2")  # faults F-1, F-2; codes E-301, E-302
    assert ProblemQuery(fault_ids={"F-2", "F-9"}).matches(problem)
    assert not ProblemQuery(fault_ids="F-9").matches(problem)
    assert ProblemQuery(error_codes="e-301", products="printer").matches(problem)
    assert not ProblemQuery(error_codes="E-301", products="scanner").matches(problem)
    assert not ProblemQuery(fault_ids=frozenset()).matches(problem)
