"""Round trips for every record, error paths, and malformed input from hypothesis."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faultkit import (
    Assignee,
    Attachment,
    Environment,
    FaultReport,
    InvalidInputError,
    Person,
    PreliminaryCause,
    Reporter,
    ReproductionStep,
    Reviewer,
    Training,
)
from faultkit.serialization import from_dict, from_json, make_converter, to_dict, to_json
from faultkit.testing import (
    assignees,
    attachments,
    environments,
    fault_reports,
    persons,
    preliminary_causes,
    reporters,
    reproduction_steps,
    reviewers,
    trainings,
)

RECORDS: list[tuple[type[Any], st.SearchStrategy[Any]]] = [
    (Person, persons()),
    (Reporter, reporters()),
    (Training, trainings()),
    (Reviewer, reviewers()),
    (Assignee, assignees()),
    (ReproductionStep, reproduction_steps()),
    (Environment, environments()),
    (Attachment, attachments()),
    (PreliminaryCause, preliminary_causes()),
    (FaultReport, fault_reports()),
]


@pytest.mark.parametrize(("cls", "strategy"), RECORDS, ids=lambda x: getattr(x, "__name__", ""))
@given(data=st.data())
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_round_trip_through_dicts_and_json(
    cls: type[Any], strategy: st.SearchStrategy[Any], data: st.DataObject
) -> None:
    record = data.draw(strategy)
    as_dict = to_dict(record)
    assert from_dict(as_dict, cls) == record
    # JSON-ready: only plain JSON types, and the text round-trips exactly, offsets included.
    assert json.loads(json.dumps(as_dict)) == as_dict
    again = from_json(to_json(record), cls)
    assert again == record
    assert to_dict(again) == as_dict


def sample_dict() -> dict[str, Any]:
    return {
        "id": "F-7",
        "title": "Login fails",
        "description": "SSO loops back to the login page.",
        "observed_at": "2024-05-01T08:00:00+02:00",
        "reported_at": "2024-05-01T08:30:00+02:00",
        "reporter": {"id": "u1", "name": "Ann"},
        "channel": "email",
        "product": "Portal",
        "frequency": "continuous",
        "impact_scope": "site_or_region",
        "urgency": 1,
        "steps": [
            {"action": "Open portal"},
            {"action": "Click SSO"},
            {"action": "Enter password", "at": "2024-05-01T07:59:00+02:00"},
        ],
    }


def test_wire_format_is_plain_json_values() -> None:
    built = from_dict(sample_dict(), FaultReport)
    wire = to_dict(built)
    assert wire["observed_at"] == "2024-05-01T08:00:00+02:00"
    assert wire["channel"] == "email"
    assert wire["urgency"] == 1
    assert isinstance(wire["steps"], list)
    assert type(wire["channel"]) is str


def explain(mutate: Any) -> InvalidInputError:
    data = sample_dict()
    mutate(data)
    with pytest.raises(InvalidInputError) as info:
        from_dict(data, FaultReport)
    return info.value


@pytest.mark.parametrize(
    ("mutate", "field", "words"),
    [
        (lambda d: d["steps"][2].update(at="2024-05-01T07:59:00"), "steps[2].at", "naive"),
        (lambda d: d["steps"][2].update(at="yesterday"), "steps[2].at", "ISO 8601"),
        (lambda d: d["steps"][1].pop("action"), "steps[1].action", "missing"),
        (lambda d: d.pop("title"), "title", "missing"),
        (lambda d: d.update(title=5), "title", "string"),
        (lambda d: d.update(urgency="1"), "urgency", "one of 1, 2, 3"),
        (lambda d: d.update(urgency=True), "urgency", "one of"),
        (lambda d: d.update(frequency="often"), "frequency", "'continuous'"),
        (lambda d: d.update(reporter="Ann"), "reporter", "expected an object"),
        (lambda d: d["reporter"].update(is_customer="false"), "reporter.is_customer", "true"),
        (lambda d: d.update(steps="click"), "steps", "list"),
        (lambda d: d.update(steps=[{"action": "a"}, 7]), "steps[1]", "expected an object"),
        (lambda d: d.update(titel="typo"), "titel", "unknown field"),
        (lambda d: d.update(observed_at="2024-06-01T00:00:00+00:00"), "observed_at", "after"),
        (lambda d: d.update(environment={"extra": {"site": 3}}), "environment.extra.site", ""),
        (lambda d: d.update(affected_users=-3), "affected_users", "negative"),
    ],
)
def test_errors_name_the_path_to_the_field(mutate: Any, field: str, words: str) -> None:
    error = explain(mutate)
    assert error.field == field
    assert words in str(error)
    assert str(error).startswith(field)


def test_several_problems_are_counted() -> None:
    error = explain(lambda d: d.update(urgency="1", frequency="often"))
    assert "1 more problem" in error.reason


def test_non_mapping_input_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="expected an object describing a FaultReport"):
        from_dict(["F-7"], FaultReport)


def test_bad_json_names_the_line() -> None:
    with pytest.raises(InvalidInputError) as info:
        from_json('{\n  "id": "F-1",\n  "title": \n}', FaultReport)
    assert info.value.line == 4


def test_python_values_are_accepted_too() -> None:
    data = sample_dict()
    data["observed_at"] = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
    assert from_dict(data, FaultReport).observed_at == data["observed_at"]


def test_make_converter_options() -> None:
    lenient = make_converter(forbid_extra_keys=False)
    data = {**sample_dict(), "added_by_a_newer_version": 1}
    assert lenient.structure(data, FaultReport).id == "F-7"
    assert make_converter(detailed=True).detailed_validation


# --------------------------------------------------------------------------- malformed input

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.integers(min_value=10_000, max_value=1_000_000).map(lambda n: "\u00e9" * n),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
NAIVE = st.datetimes().map(datetime.isoformat)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@st.composite
def malformed(draw: st.DrawFn) -> Any:
    """A valid report's dict with one place broken: replaced, removed, or made naive."""
    data = copy.deepcopy(to_dict(draw(fault_reports())))
    path = draw(st.sampled_from(_paths(data)))
    if not path:
        return draw(JSON_VALUES)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    action = draw(st.sampled_from(["replace", "delete", "naive"]))
    if action == "delete" and isinstance(parent, dict):
        del parent[path[-1]]
    elif action == "naive":
        parent[path[-1]] = draw(NAIVE)
    else:
        parent[path[-1]] = draw(JSON_VALUES)
    return data


@given(malformed())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_malformed_input_raises_only_invalid_input(data: Any) -> None:
    try:
        result: object = from_dict(data, FaultReport)
    except InvalidInputError as error:
        result = error
    # Some changes stay valid (an optional field set to None, say); anything else
    # must come out as an InvalidInputError with a message, never another exception.
    assert isinstance(result, FaultReport) or str(result)


@given(st.text(max_size=200) | st.binary(max_size=200))
def test_any_text_raises_only_invalid_input(text: str | bytes) -> None:
    with pytest.raises(InvalidInputError):
        from_json(text, FaultReport)


def test_dates_and_times_of_day_are_strict() -> None:
    from datetime import date, time

    converter = make_converter()
    assert converter.structure("2024-05-01", date) == date(2024, 5, 1)
    assert converter.structure("09:30", time) == time(9, 30)
    assert converter.unstructure(date(2024, 5, 1)) == "2024-05-01"
    with pytest.raises(InvalidInputError, match="ISO 8601 date string"):
        converter.structure(datetime(2024, 5, 1, tzinfo=UTC), date)  # a datetime is a date
    with pytest.raises(InvalidInputError, match="time of day such as 09:30"):
        converter.structure("half past nine", time)
