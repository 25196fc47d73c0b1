"""Hypothesis strategies for the scoring values of :mod:`faultkit.scoring`.

Every strategy returns valid values::

    from hypothesis import given
    from faultkit.testing.scoring import impact_assessments

    @given(impact_assessments())
    def test_my_pager_handles_every_severity(facts): ...
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import strategies as st

from faultkit.models import ImpactScope, Severity, Urgency
from faultkit.scoring import (
    DataLoss,
    FmeaRating,
    Impact,
    ImpactAssessment,
    OpenFault,
    Priority,
    PriorityMatrix,
    QueueItem,
    ResolvedFault,
    ServiceInterruption,
)
from faultkit.testing.strategies import aware_datetimes, text

__all__ = [
    "fmea_ratings",
    "impact_assessments",
    "impact_levels",
    "open_faults",
    "priority_matrices",
    "queue_items",
    "ratings",
    "resolved_faults",
    "urgency_levels",
]


def ratings() -> st.SearchStrategy[int]:
    """An FMEA rating, 1-10."""
    return st.integers(min_value=1, max_value=10)


def fmea_ratings() -> st.SearchStrategy[FmeaRating]:
    """:class:`~faultkit.scoring.FmeaRating` values."""
    return st.builds(FmeaRating, severity=ratings(), occurrence=ratings(), detection=ratings())


def impact_levels() -> st.SearchStrategy[int]:
    """Impact levels for the default matrix: :class:`~faultkit.scoring.Impact` members or ints."""
    return st.sampled_from(Impact) | st.integers(min_value=1, max_value=3)


def urgency_levels() -> st.SearchStrategy[int]:
    """Urgency levels for the default matrix: :class:`~faultkit.models.Urgency` members or ints."""
    return st.sampled_from(Urgency) | st.integers(min_value=1, max_value=3)


@st.composite
def impact_assessments(draw: st.DrawFn) -> ImpactAssessment:
    """:class:`~faultkit.scoring.ImpactAssessment` values, user counts within the user base."""
    user_base = draw(st.none() | st.integers(min_value=1, max_value=10**6))
    cap = 10**6 if user_base is None else user_base
    return ImpactAssessment(
        scope=draw(st.sampled_from(ImpactScope)),
        interruption=draw(st.sampled_from(ServiceInterruption)),
        data_loss=draw(st.sampled_from(DataLoss)),
        users_affected=draw(st.none() | st.integers(min_value=0, max_value=cap)),
        user_base=user_base,
        safety=draw(st.booleans()),
        security=draw(st.booleans()),
        regulatory=draw(st.booleans()),
        business_operations=draw(st.booleans()),
        workaround_available=draw(st.booleans()),
        expected_duration=draw(
            st.none() | st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=90))
        ),
    )


@st.composite
def priority_matrices(
    draw: st.DrawFn, max_impacts: int = 6, max_urgencies: int = 6
) -> PriorityMatrix:
    """Valid N x M :class:`~faultkit.scoring.PriorityMatrix` values (complete, monotonic).

    Each cell is drawn at least as large as its neighbours above and to the left.
    """
    n = draw(st.integers(min_value=1, max_value=max_impacts))
    m = draw(st.integers(min_value=1, max_value=max_urgencies))
    rows: list[list[int]] = []
    for i in range(n):
        row: list[int] = []
        for j in range(m):
            low = max(
                rows[i - 1][j] if i else 1,
                row[j - 1] if j else 1,
            )
            row.append(draw(st.integers(min_value=low, max_value=len(Priority))))
        rows.append(row)
    return PriorityMatrix(rows)


def resolved_faults(
    categories: tuple[str, ...] = ("hardware", "software_defect", "environment"),
    components: tuple[str, ...] = ("psu", "fan", "firmware", "ui"),
) -> st.SearchStrategy[ResolvedFault]:
    """:class:`~faultkit.scoring.ResolvedFault` values grouped by category, component, severity.

    Values come from small pools so that groups fill up; any grouping value may be
    unknown (``None``).
    """
    return st.builds(
        ResolvedFault,
        duration=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
        groups=_duration_groups(categories, components),
    )


def _duration_groups(
    categories: tuple[str, ...], components: tuple[str, ...]
) -> st.SearchStrategy[dict[str, object]]:
    return st.fixed_dictionaries(
        {
            "category": st.none() | st.sampled_from(categories),
            "component": st.none() | st.sampled_from(components),
            "severity": st.none() | st.sampled_from(Severity),
        }
    )


def open_faults(
    now: datetime,
    categories: tuple[str, ...] = ("hardware", "software_defect", "environment"),
    components: tuple[str, ...] = ("psu", "fan", "firmware", "ui"),
) -> st.SearchStrategy[OpenFault]:
    """:class:`~faultkit.scoring.OpenFault` values reported up to 120 days before ``now``.

    Grouped like :func:`resolved_faults`, so that open and resolved faults share groups.
    """
    return st.builds(
        OpenFault,
        reported_at=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=120)).map(
            lambda age: now - age
        ),
        groups=_duration_groups(categories, components),
    )


@st.composite
def queue_items(draw: st.DrawFn) -> QueueItem:
    """:class:`~faultkit.scoring.QueueItem` values, with or without an SLA due time."""
    opened_at = draw(aware_datetimes())
    due = draw(st.none() | st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)))
    return QueueItem(
        id=draw(text(12)),
        priority=draw(st.sampled_from(Priority)),
        opened_at=opened_at,
        sla_due_at=None if due is None else opened_at + due,
        affected_users=draw(st.none() | st.integers(min_value=0, max_value=10**6)),
    )
