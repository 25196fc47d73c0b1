"""Result notices: one per customer linked to a resolved fault, as data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings

from faultkit.errors import InvalidInputError
from faultkit.feedback import (
    EmailFeedback,
    FaultOutcome,
    Feedback,
    HotlineFeedback,
    NoticePlan,
    Recipients,
    ResultNotice,
    SocialFeedback,
    SurveyFeedback,
    contact_of,
    group_feedback,
    link_fault,
    notice_recipients,
    redact,
    result_notices,
)
from faultkit.models import (
    FaultReport,
    Frequency,
    ImpactScope,
    IntakeChannel,
    Reporter,
    Urgency,
)
from faultkit.serialization import from_dict, to_dict
from faultkit.testing.feedback import fault_outcomes
from faultkit.testing.feedback import result_notices as notices_strategy

AT = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
OUTCOME = FaultOutcome(
    fault_id="F-7",
    found="A firmware timing bug stalled the print spooler.",
    done="Firmware 4.2.2 fixes the timing; it installs automatically.",
    workaround="Restart the printer before large jobs.",
    resolved_at=AT + timedelta(days=3),
)


def _report(
    reporter: Reporter | None = None, channel: IntakeChannel = IntakeChannel.STAFF
) -> FaultReport:
    return FaultReport(
        id="F-7",
        title="Printer jams after firmware 4.2.1",
        description="Jobs stall; the tray jams.",
        observed_at=AT,
        reported_at=AT,
        reporter=reporter or Reporter(id="qa-1", name="QA North", email="qa@example.com"),
        channel=channel,
        product="PrintHub",
        frequency=Frequency.RECURRING,
        impact_scope=ImpactScope.USER_GROUP,
        urgency=Urgency.MEDIUM,
    )


REPORT = _report()


def _items() -> list[Feedback]:
    return [
        EmailFeedback(
            id="m1",
            received_at=AT,
            text="printer jams after firmware update",
            customer_id="ann",
            customer_name="Ann",
            from_address="ann@example.com",
        ),
        SocialFeedback(
            id="s1",
            received_at=AT + timedelta(hours=2),
            text="my printer jams after the firmware update",
            platform="x",
            customer_id="ann",
        ),
        HotlineFeedback(
            id="h1",
            received_at=AT + timedelta(hours=1),
            call_started_at=AT + timedelta(hours=1),
            agent="a7",
            text="printer jams since firmware update",
            customer_id="bob",
            callback_number="+4930123456",
        ),
        SurveyFeedback(
            id="q1",
            received_at=AT + timedelta(hours=3),
            survey_id="s",
            text="printer jams after firmware update again",
        ),
        EmailFeedback(id="m2", received_at=AT, text="please add dark mode", customer_id="cy"),
    ]


def test_one_notice_per_customer_of_the_linked_clusters() -> None:
    items = _items()
    clusters = group_feedback(items)
    printer = next(c for c in clusters if "m1" in c.feedback_ids)
    linked = [link_fault(printer, "F-7"), *(c for c in clusters if c is not printer)]
    plan = result_notices(OUTCOME, linked, items, report=REPORT)
    assert [n.customer_id for n in plan.notices] == ["ann", "bob", "qa-1"]
    ann, bob, reporter = plan.notices
    assert (reporter.channel, reporter.contact, reporter.to_reporter) == (
        IntakeChannel.EMAIL,
        "qa@example.com",
        True,
    )
    assert reporter.feedback_ids == ()
    assert not ann.to_reporter
    assert ann.feedback_ids == ("m1", "s1")
    # Ann's latest report (social) gave no handle: answer where she left a contact.
    assert (ann.channel, ann.contact, ann.customer_name) == (
        IntakeChannel.EMAIL,
        "ann@example.com",
        "Ann",
    )
    assert (bob.channel, bob.contact) == (IntakeChannel.HOTLINE, "+4930123456")
    assert ann.id == "N-F-7-ann"
    assert (ann.found, ann.done, ann.workaround, ann.resolved_at) == (
        OUTCOME.found,
        OUTCOME.done,
        OUTCOME.workaround,
        OUTCOME.resolved_at,
    )
    assert plan.unreachable == ("q1",)
    # Nothing linked: only the reporter is told.
    alone = result_notices(OUTCOME, clusters, items, report=REPORT)
    assert [n.customer_id for n in alone.notices] == ["qa-1"]


def test_the_reporter_is_told_once_and_the_recipients_are_listed() -> None:
    items = _items()
    printer = link_fault(next(c for c in group_feedback(items) if "m1" in c.feedback_ids), "F-7")
    # Bob reported the fault by phone and also called the hotline: one notice, both roles.
    bob = Reporter(id="bob", name="Bob Smith")
    found = notice_recipients(_report(bob, IntakeChannel.HOTLINE), [printer], items)
    assert found.fault_id == "F-7"
    assert [(r.customer_id, r.reporter) for r in found.recipients] == [
        ("ann", False),
        ("bob", True),
    ]
    assert found.recipients[1].channel is IntakeChannel.HOTLINE
    assert found.recipients[1].name == "Bob Smith"
    # A reporter without e-mail who wrote nothing linked: the channel of the report.
    dee = notice_recipients(_report(Reporter(id="dee", name="Dee"), IntakeChannel.HOTLINE), [], [])
    assert [(r.customer_id, r.channel, r.contact) for r in dee.recipients] == [
        ("dee", IntakeChannel.HOTLINE, None)
    ]
    # Monitoring raised it: no one to tell but the customers.
    nagios = Reporter(id="nagios", name="Nagios", is_customer=False)
    robot = _report(nagios, IntakeChannel.MONITORING)
    assert [r.customer_id for r in notice_recipients(robot, [printer], items).recipients] == [
        "ann",
        "bob",
    ]
    with pytest.raises(InvalidInputError, match="FaultReport"):
        notice_recipients("F-7", [printer], items)  # type: ignore[arg-type]
    assert from_dict(to_dict(found), Recipients) == found  # recorded on the fault as data
    other = attrs.evolve(REPORT, id="F-8")
    with pytest.raises(InvalidInputError) as wrong:
        result_notices(OUTCOME, [printer], items, report=other)
    assert wrong.value.field == "report.id"


def test_contact_of_each_channel() -> None:
    items = {i.id: i for i in _items()}
    assert contact_of(items["m1"]) == "ann@example.com"
    assert contact_of(items["h1"]) == "+4930123456"
    assert contact_of(items["q1"]) is None
    handle = SocialFeedback(id="s", received_at=AT, text="t", platform="x", author_handle="ann")
    assert contact_of(handle) == "@ann"


def test_notices_are_personal_data_aware() -> None:
    items = _items()
    printer = link_fault(next(c for c in group_feedback(items) if "m1" in c.feedback_ids), "F-7")
    notice = result_notices(OUTCOME, [printer], items, report=REPORT).notices[0]
    clean = redact(notice)
    assert (clean.customer_id, clean.customer_name, clean.contact) == (None, None, None)
    assert clean.found == notice.found


def test_bad_input() -> None:
    items = _items()
    printer = link_fault(next(c for c in group_feedback(items) if "m1" in c.feedback_ids), "F-7")
    with pytest.raises(InvalidInputError) as info:
        result_notices(OUTCOME, [printer], items[2:], report=REPORT)
    assert info.value.value in {"m1", "s1"}
    with pytest.raises(InvalidInputError):
        result_notices("F-7", [printer], items, report=REPORT)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        FaultOutcome(fault_id="F", found=" ", done="x")


@settings(max_examples=50, deadline=None)
@given(fault_outcomes(), notices_strategy())
def test_round_trip(outcome: FaultOutcome, notice: ResultNotice) -> None:
    assert from_dict(to_dict(outcome), FaultOutcome) == outcome
    assert from_dict(to_dict(notice), ResultNotice) == notice
    plan = NoticePlan(notices=(notice,), unreachable=("x",))
    assert from_dict(to_dict(plan), NoticePlan) == plan
