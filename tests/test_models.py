"""Validation rules of the fault-reporting records, one test per rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit import (
    Attachment,
    AttachmentKind,
    Environment,
    FaultkitError,
    FaultReport,
    Frequency,
    ImpactScope,
    IntakeChannel,
    InvalidInputError,
    Person,
    Reporter,
    ReproductionStep,
    Reviewer,
    Severity,
    Training,
    Urgency,
)
from faultkit.testing import fault_reports

T0 = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def report(**changes: Any) -> FaultReport:
    fields: dict[str, Any] = {
        "id": "F-1",
        "title": "Printer stalls",
        "description": "Jobs stay queued after the update.",
        "observed_at": T0,
        "reported_at": T0 + timedelta(hours=1),
        "reporter": Reporter(id="u1", name="Ann"),
        "channel": IntakeChannel.HOTLINE,
        "product": "PrintHub",
        "frequency": Frequency.RECURRING,
        "impact_scope": ImpactScope.USER_GROUP,
        "urgency": Urgency.MEDIUM,
    }
    fields.update(changes)
    return FaultReport(**fields)


def refused(field: str, **changes: Any) -> InvalidInputError:
    with pytest.raises(InvalidInputError) as info:
        report(**changes)
    assert info.value.field == field
    return info.value


def test_a_valid_report_builds() -> None:
    built = report(steps=[ReproductionStep(action="Print")], error_codes=["E-301"])
    assert built.steps == (ReproductionStep(action="Print"),)
    assert built.error_codes == ("E-301",)


@pytest.mark.parametrize("field", ["observed_at", "reported_at"])
def test_naive_datetimes_are_refused(field: str) -> None:
    error = refused(field, **{field: datetime(2024, 5, 1, 9, 30)})
    assert "naive datetime" in str(error)
    assert field in str(error)


def test_observed_after_reported_is_refused() -> None:
    error = refused("observed_at", observed_at=T0 + timedelta(days=2))
    assert "after it was reported" in error.reason
    assert error.value == T0 + timedelta(days=2)


def test_observed_equal_to_reported_is_fine() -> None:
    assert report(reported_at=T0).observed_at == T0


def test_comparison_crosses_time_zones() -> None:
    # 10:00+02:00 is 08:00 UTC: before 09:30 UTC, so observed <= reported holds.
    observed = datetime(2024, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    assert report(observed_at=observed, reported_at=T0).observed_at == observed


@pytest.mark.parametrize("field", ["id", "title", "description", "product"])
@pytest.mark.parametrize("bad", ["", "   ", "\n\t"])
def test_identifiers_and_descriptions_must_not_be_blank(field: str, bad: str) -> None:
    refused(field, **{field: bad})


@pytest.mark.parametrize("bad", [5, None, b"F-1"])
def test_identifiers_must_be_strings(bad: object) -> None:
    error = refused("id", id=bad)
    assert "expected a string" in error.reason


def test_affected_users_must_not_be_negative() -> None:
    error = refused("affected_users", affected_users=-1)
    assert error.value == -1


@pytest.mark.parametrize("bad", [True, 1.5, "3"])
def test_affected_users_must_be_an_integer(bad: object) -> None:
    refused("affected_users", affected_users=bad)


def test_enumerations_refuse_raw_values() -> None:
    error = refused("frequency", frequency="recurring")
    assert "Frequency" in error.reason


def test_list_items_are_checked_with_their_index() -> None:
    error = refused("error_codes[1]", error_codes=["E1", ""])
    assert error.value == ""
    step_error = refused("steps[0]", steps=["Print"])
    assert "ReproductionStep" in step_error.reason


def test_steps_keep_their_order() -> None:
    steps = [ReproductionStep(action=a) for a in ("one", "two", "three")]
    assert [s.action for s in report(steps=steps).steps] == ["one", "two", "three"]


def test_step_time_must_be_aware() -> None:
    with pytest.raises(InvalidInputError) as info:
        ReproductionStep(action="x", at=datetime(2024, 1, 1))
    assert info.value.field == "at"


ATTACHMENT: dict[str, Any] = {
    "kind": AttachmentKind.LOG,
    "uri": "s3://logs/1.txt",
    "media_type": "text/plain",
}


@pytest.mark.parametrize("digest", ["0" * 63, "0" * 65, "g" * 64, "", 12])
def test_sha256_must_be_64_hex_characters(digest: object) -> None:
    with pytest.raises(InvalidInputError) as info:
        Attachment(**ATTACHMENT, sha256=digest)
    assert info.value.field == "sha256"


def test_sha256_is_stored_lower_case() -> None:
    assert Attachment(**ATTACHMENT, sha256="AB" * 32).sha256 == "ab" * 32


@pytest.mark.parametrize("media", ["text", "text/", "/plain", "", "text plain"])
def test_media_type_is_checked(media: str) -> None:
    with pytest.raises(InvalidInputError):
        Attachment(**{**ATTACHMENT, "media_type": media})


def test_attachment_size_must_not_be_negative() -> None:
    with pytest.raises(InvalidInputError, match="size_bytes"):
        Attachment(**ATTACHMENT, size_bytes=-5)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("humidity_pct", 100.5),
        ("humidity_pct", -1),
        ("humidity_pct", float("nan")),
        ("temperature_c", -300.0),
        ("temperature_c", "21"),
        ("electromagnetic_interference", "yes"),
        ("extra", {"": "x"}),
        ("extra.site", 5),
    ],
)
def test_environment_readings_are_checked(field: str, value: object) -> None:
    name = field.split(".")[0]
    arg = {"site": value} if "." in field else value
    with pytest.raises(InvalidInputError) as info:
        Environment(**{name: arg})
    assert info.value.field == field


def test_reviewer_qualification_needs_area_and_unexpired_training() -> None:
    reviewer = Reviewer(
        id="r1",
        name="Rae",
        trainings=[
            Training(product_area="PrintHub", expires_at=T0 + timedelta(days=30)),
            Training(product_area="ScanHub"),
        ],
    )
    assert reviewer.is_qualified("PrintHub", T0)
    assert not reviewer.is_qualified("PrintHub", T0 + timedelta(days=30))
    assert reviewer.is_qualified("ScanHub", T0 + timedelta(days=10_000))
    assert not reviewer.is_qualified("FaxHub", T0)
    with pytest.raises(InvalidInputError, match="naive"):
        reviewer.is_qualified("PrintHub", datetime(2024, 1, 1))


def test_people_need_id_and_name() -> None:
    with pytest.raises(InvalidInputError, match="name"):
        Person(id="p", name=" ")
    with pytest.raises(InvalidInputError, match="is_customer"):
        Reporter(id="p", name="P", is_customer="no")  # type: ignore[arg-type]


def test_severity_order_and_severe_levels() -> None:
    assert Severity.SEV1 < Severity.SEV5
    assert [s.is_severe for s in Severity] == [True, True, False, False, False]


def test_invalid_input_is_a_value_error_and_a_faultkit_error() -> None:
    error = refused("title", title="")
    assert isinstance(error, ValueError)
    assert isinstance(error, FaultkitError)


def test_records_are_immutable() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        report().title = "changed"  # type: ignore[misc]


@given(fault_reports(), st.data())
def test_any_generated_report_survives_evolve_with_valid_values(
    built: FaultReport, data: st.DataObject
) -> None:
    later = built.reported_at + data.draw(
        st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=365))
    )
    assert attrs.evolve(built, reported_at=later).reported_at == later
