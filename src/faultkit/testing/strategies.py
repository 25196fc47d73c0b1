"""Hypothesis strategies that generate valid faultkit records.

Every strategy returns values that pass the record's validation; combine them with
``hypothesis.strategies`` to build what your own tests need::

    from hypothesis import given
    from faultkit.testing import fault_reports

    @given(fault_reports())
    def test_my_router_accepts_any_report(report): ...
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import strategies as st

from faultkit.models import (
    Assignee,
    Attachment,
    AttachmentKind,
    CauseCategory,
    Environment,
    FaultReport,
    Frequency,
    ImpactScope,
    IntakeChannel,
    Person,
    PreliminaryCause,
    Reporter,
    ReproductionStep,
    Reviewer,
    Training,
    Urgency,
)

__all__ = [
    "assignees",
    "attachments",
    "aware_datetimes",
    "environments",
    "fault_reports",
    "persons",
    "preliminary_causes",
    "reporters",
    "reproduction_steps",
    "reviewers",
    "text",
    "trainings",
]

_MIN = datetime(1990, 1, 1)
_MAX = datetime(2100, 1, 1)


def text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Non-blank text: any characters, at least one of them not whitespace."""
    return st.text(min_size=1, max_size=max_size).filter(str.strip)


def _optional_text(max_size: int = 40) -> st.SearchStrategy[str | None]:
    return st.none() | text(max_size)


def aware_datetimes() -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes between 1990 and 2100, with offsets from -12h to +14h."""
    offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(
        lambda minutes: timezone(timedelta(minutes=minutes))
    )
    return st.datetimes(min_value=_MIN, max_value=_MAX, timezones=offsets)


def _optional_datetimes() -> st.SearchStrategy[datetime | None]:
    return st.none() | aware_datetimes()


def persons() -> st.SearchStrategy[Person]:
    """:class:`~faultkit.models.Person` values."""
    return st.builds(Person, id=text(), name=text(), email=_optional_text())


def reporters() -> st.SearchStrategy[Reporter]:
    """:class:`~faultkit.models.Reporter` values, customers and staff."""
    return st.builds(
        Reporter,
        id=text(),
        name=text(),
        email=_optional_text(),
        is_customer=st.booleans(),
        organisation=_optional_text(),
    )


def trainings() -> st.SearchStrategy[Training]:
    """:class:`~faultkit.models.Training` values, some expiring, some not."""
    return st.builds(Training, product_area=text(), expires_at=_optional_datetimes())


def reviewers() -> st.SearchStrategy[Reviewer]:
    """:class:`~faultkit.models.Reviewer` values with up to four trainings."""
    return st.builds(
        Reviewer,
        id=text(),
        name=text(),
        email=_optional_text(),
        trainings=st.lists(trainings(), max_size=4).map(tuple),
    )


def assignees() -> st.SearchStrategy[Assignee]:
    """:class:`~faultkit.models.Assignee` values."""
    return st.builds(
        Assignee, id=text(), name=text(), email=_optional_text(), team=_optional_text()
    )


def reproduction_steps() -> st.SearchStrategy[ReproductionStep]:
    """:class:`~faultkit.models.ReproductionStep` values."""
    return st.builds(
        ReproductionStep,
        action=text(80),
        expected=_optional_text(),
        actual=_optional_text(),
        at=_optional_datetimes(),
    )


def environments() -> st.SearchStrategy[Environment]:
    """:class:`~faultkit.models.Environment` values, physical readings within range."""
    return st.builds(
        Environment,
        os=_optional_text(),
        product_version=_optional_text(),
        hardware=_optional_text(),
        temperature_c=st.none() | st.floats(min_value=-273.15, max_value=1000.0, allow_nan=False),
        humidity_pct=st.none() | st.floats(min_value=0.0, max_value=100.0, allow_nan=False),
        electromagnetic_interference=st.none() | st.booleans(),
        extra=st.dictionaries(text(20), st.text(max_size=20), max_size=3),
    )


def attachments() -> st.SearchStrategy[Attachment]:
    """:class:`~faultkit.models.Attachment` references."""
    return st.builds(
        Attachment,
        kind=st.sampled_from(AttachmentKind),
        uri=text(60),
        media_type=st.sampled_from(
            ["text/plain", "image/png", "application/octet-stream", "application/json"]
        ),
        size_bytes=st.none() | st.integers(min_value=0, max_value=2**40),
        sha256=st.none() | st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    )


def preliminary_causes() -> st.SearchStrategy[PreliminaryCause]:
    """:class:`~faultkit.models.PreliminaryCause` values."""
    return st.builds(
        PreliminaryCause, category=st.sampled_from(CauseCategory), text=_optional_text()
    )


@st.composite
def fault_reports(draw: st.DrawFn) -> FaultReport:
    """:class:`~faultkit.models.FaultReport` values, observed no later than reported."""
    observed_at = draw(aware_datetimes())
    delay = draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)))
    return FaultReport(
        id=draw(text(20)),
        title=draw(text(60)),
        description=draw(text(200)),
        observed_at=observed_at,
        reported_at=observed_at + delay,
        reporter=draw(reporters()),
        channel=draw(st.sampled_from(IntakeChannel)),
        product=draw(text(20)),
        component=draw(_optional_text(20)),
        version=draw(_optional_text(12)),
        frequency=draw(st.sampled_from(Frequency)),
        impact_scope=draw(st.sampled_from(ImpactScope)),
        affected_users=draw(st.none() | st.integers(min_value=0, max_value=10**7)),
        steps=tuple(draw(st.lists(reproduction_steps(), max_size=4))),
        environment=draw(st.none() | environments()),
        error_codes=tuple(draw(st.lists(text(12), max_size=3))),
        attachments=tuple(draw(st.lists(attachments(), max_size=3))),
        preliminary_cause=draw(st.none() | preliminary_causes()),
        suggested_fix=draw(_optional_text()),
        urgency=draw(st.sampled_from(Urgency)),
    )
