"""The printer fault the lifecycle tests share: its people, its clock and its report.

``test_lifecycle_engine``, ``test_lifecycle_incident``, ``test_lifecycle_case`` and
``test_lifecycle_case_rules`` build their faults from these (a fault reported at
:data:`T0` by Ann about PrintHub, worked by Bob, verified by Quinn, reviewed by Rita).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs

from faultkit.models import (
    FaultReport,
    Frequency,
    ImpactScope,
    IntakeChannel,
    Person,
    Reporter,
    Reviewer,
    Training,
    Urgency,
)

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
AGENT = Person(id="bob", name="Bob")
QA = Person(id="quinn", name="Quinn")
REVIEWER = Reviewer(id="rita", name="Rita", trainings=[Training(product_area="PrintHub")])


def at(hours: float) -> datetime:
    """``hours`` after :data:`T0`."""
    return T0 + timedelta(hours=hours)


def printer_report(
    fault_id: str = "F-1", *, product: str = "PrintHub", customer: bool = True
) -> FaultReport:
    """Ann's report of a stalled printer queue (a customer unless ``customer=False``)."""
    return FaultReport(
        id=fault_id,
        title="Printer queue stalls",
        description="Jobs stay in the queue.",
        observed_at=T0,
        reported_at=T0,
        reporter=Reporter(id="ann", name="Ann", is_customer=customer),
        channel=IntakeChannel.HOTLINE,
        product=product,
        frequency=Frequency.RECURRING,
        impact_scope=ImpactScope.USER_GROUP,
        urgency=Urgency.HIGH,
    )


@attrs.frozen
class Outcome:
    """A review checklist's outcome (the protocol's attributes)."""

    passed: bool = True
    missing: tuple[str, ...] = ()


class PassingChecklist:
    """A review checklist every report passes."""

    def assess(self, report: FaultReport) -> Outcome:
        """Passed, nothing missing."""
        return Outcome()
