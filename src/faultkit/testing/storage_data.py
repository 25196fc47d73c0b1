"""Test data for the storage contract kit: faults, feedback cases, queries, unique ids.

:class:`~faultkit.testing.storage_contract.StorageContract` and its parts build their
data with these; they are public so that tests of your own store (or of code using a
store) can build the same data. Ids, states and components never contain NUL
(databases refuse it in keys).

Needs the ``test`` extra (pytest and hypothesis).
"""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
from hypothesis import strategies as st

from faultkit.feedback import (
    Feedback,
    FeedbackCase,
    FeedbackStatus,
    HotlineFeedback,
    SocialFeedback,
)
from faultkit.lifecycle.events import Comment, FactChange, TransitionRecord
from faultkit.lifecycle.facts import initial_value
from faultkit.lifecycle.fault import Fault
from faultkit.models import (
    FaultReport,
    Frequency,
    ImpactScope,
    IntakeChannel,
    Person,
    Reporter,
    Severity,
    Urgency,
)
from faultkit.storage.records import FaultQuery, FeedbackQuery, micros
from faultkit.testing.lifecycle import (
    change_links,
    containments,
    fault_from_snapshot,
    major_incidents,
    notices,
    post_incident_reviews,
    stakeholder_updates,
    verifications,
)
from faultkit.testing.rca import analyses_with_actions
from faultkit.testing.strategies import assignees, aware_datetimes, fault_reports

__all__ = [
    "AGENT",
    "CASE_LINKS",
    "CASE_PRODUCTS",
    "T0",
    "fact_change",
    "fault_queries",
    "faults",
    "feedback_queries",
    "fresh_fault",
    "indexed_values",
    "next_number",
    "no_nul",
    "rebuilt",
    "report_order",
    "sample_case",
    "sample_fault",
    "unique_fault",
    "unique_id",
    "with_note",
]

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
"""A time the contract's data happens at."""

_STATES = ("recorded", "in_review", "diagnosing", "resolved", "closed")
_COMPONENTS = ("api", "billing", "ui")


def no_nul(text: str | None) -> bool:
    """Whether ``text`` is ``None`` or holds no NUL (which databases refuse in keys)."""
    return text is None or "\x00" not in text


@st.composite
def faults(draw: st.DrawFn, max_history: int = 4) -> Fault:
    """Faults with a consistent history and random facts, storable by any store.

    States and components come from small sets so that queries find something; ids,
    states and components never contain NUL (databases refuse it in keys).
    """
    report = draw(fault_reports().filter(lambda r: no_nul(r.id)))
    report = attrs.evolve(report, component=draw(st.none() | st.sampled_from(_COMPONENTS)))
    length = draw(st.integers(min_value=0, max_value=max_history))
    states = draw(st.lists(st.sampled_from(_STATES), min_size=length + 1, max_size=length + 1))
    gaps = draw(
        st.lists(
            st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
            min_size=length,
            max_size=length,
        )
    )
    at = report.reported_at
    history = []
    for index in range(length):
        at = at + gaps[index]
        history.append(
            TransitionRecord(
                from_state=states[index],
                to_state=states[index + 1],
                trigger=f"t{index}",
                actor=draw(st.sampled_from(("ana", "ben", "chloé"))),
                at=at,
                reason=draw(st.none() | st.text(min_size=1, max_size=20).filter(str.strip)),
            )
        )
    facts = {
        "severity": draw(st.none() | st.sampled_from(Severity)),
        "priority": draw(st.none() | st.integers(min_value=1, max_value=5)),
        # an assignee id is an indexed column: one with a NUL is refused (tested apart)
        "assignee": draw(st.none() | assignees().filter(lambda a: "\x00" not in a.id)),
        "containment": draw(st.none() | containments()),
        "verification": draw(st.none() | verifications()),
        "analysis": None,
        "notices": draw(st.lists(notices(), max_size=2).map(tuple)),
        "maintenance_docs_updated": draw(st.booleans()),
        "duplicate_of": draw(st.none() | st.text(min_size=1, max_size=10).filter(str.strip)),
        # Links and major incidents (issue 19).
        "problem_id": draw(st.none() | st.text(min_size=1, max_size=10).filter(str.strip)),
        "resolution_note": draw(st.none() | st.text(min_size=1, max_size=20).filter(str.strip)),
        "duplicates": draw(st.lists(st.sampled_from(("F-2", "F-3")), max_size=2).map(tuple)),
        "changes": draw(st.lists(change_links(), max_size=2).map(tuple)),
        "major_incident": draw(st.none() | major_incidents()),
        "stakeholder_updates": draw(st.lists(stakeholder_updates(), max_size=2).map(tuple)),
        "post_incident_review": draw(st.none() | post_incident_reviews()),
    }
    if draw(st.booleans()):
        analysis, acts = draw(analyses_with_actions(max_trees=1, max_steps=3, max_actions=3))
        facts["analysis"], facts["actions"] = analysis, acts
    given: dict[str, Any] = {f: value for f, value in facts.items() if value != initial_value(f)}
    fault = fault_from_snapshot(report, states[length], history, **given)
    if draw(st.booleans()):
        note = Comment(actor="ben", at=fault.last_event_at, text="called", work_note=True)
        fault = rebuilt(fault, events=(*fault.events, note))
    return fault


def fact_change(fact: str, value: Any, *, actor: str, at: datetime) -> FactChange:
    """The event that sets ``fact`` from its initial value to ``value`` (for test data)."""
    return FactChange(
        fact=fact, command="import", actor=actor, at=at, before=initial_value(fact), after=value
    )


def rebuilt(fault: Fault, **changes: Any) -> Fault:
    """A copy of ``fault`` with another ``report``, ``state`` or ``events`` (replayed)."""
    parts: dict[str, Any] = {"report": fault.report, "state": fault.state, "events": fault.events}
    parts.update(changes)
    return Fault(**parts)


def indexed_values() -> st.SearchStrategy[dict[str, Any]]:
    """What queries filter on: state, severity, priority, component (the rest is fixed)."""
    return st.fixed_dictionaries(
        {
            "state": st.sampled_from(_STATES),
            "severity": st.none() | st.sampled_from(Severity),
            "priority": st.none() | st.integers(min_value=1, max_value=5),
            "component": st.none() | st.sampled_from(_COMPONENTS),
        }
    )


@st.composite
def fault_queries(draw: st.DrawFn) -> FaultQuery:
    """Queries over the states, severities, priorities and components :func:`faults` uses."""

    def maybe(values: Any) -> Any:
        return draw(st.none() | st.frozensets(st.sampled_from(values), max_size=3))

    low = draw(st.none() | aware_datetimes())
    high = draw(st.none() | aware_datetimes())
    if low is not None and high is not None and high.astimezone(UTC) < low.astimezone(UTC):
        low, high = high, low  # a query's period runs forwards
    return FaultQuery(
        states=maybe(_STATES),
        severities=maybe(tuple(Severity)),
        priorities=maybe((1, 2, 3, 4, 5)),
        components=maybe(_COMPONENTS),
        reported_from=low,
        reported_until=high,
    )


def sample_fault(
    fault_id: str,
    *,
    reported_at: datetime = datetime(2024, 5, 1, 8, 0, tzinfo=UTC),
    component: str | None = "api",
    state: str = "recorded",
) -> Fault:
    """A small valid fault with an empty history (for examples and tests)."""
    report = FaultReport(
        id=fault_id,
        title="Export fails",
        description="The nightly export stops with E42.",
        observed_at=reported_at - timedelta(hours=1),
        reported_at=reported_at,
        reporter=Reporter(id="u-7", name="Kim", is_customer=True),
        channel=IntakeChannel.EMAIL,
        product="faultkit-demo",
        component=component,
        frequency=Frequency.INTERMITTENT,
        impact_scope=ImpactScope.USER_GROUP,
        urgency=Urgency.MEDIUM,
    )
    return Fault(report=report, state=state)


def with_note(fault: Fault, *, actor: str, at: datetime, reason: str = "note") -> Fault:
    """A copy of ``fault`` with one more event: a work note saying ``reason``.

    The note is timed at ``at`` or at the last event, whichever is later: a way for
    tests to change a fault many times without a workflow.
    """
    note = Comment(actor=actor, at=max(at, fault.last_event_at), text=reason, work_note=True)
    return rebuilt(fault, events=(*fault.events, note))


_ids = itertools.count()
_ids_lock = threading.Lock()


def next_number() -> int:
    """A number no other call of this run returns (thread-safe): for unique ids."""
    with _ids_lock:
        return next(_ids)


def unique_id(prefix: str) -> str:
    """``prefix`` and a number no other call of this run uses (``"PRB-00000042"``)."""
    return f"{prefix}{next_number():08d}"


def unique_fault(fault: Fault, prefix: str = "c") -> Fault:
    """``fault`` under an id no other example of this run uses."""
    report = attrs.evolve(fault.report, id=f"{unique_id(prefix)}-{fault.report.id}")
    return rebuilt(fault, report=report)


def fresh_fault(prefix: str = "s", **kwargs: Any) -> Fault:
    """A :func:`sample_fault` under an id no other call of this run uses."""
    return sample_fault(unique_id(prefix), **kwargs)


def report_order(fault: Fault) -> tuple[int, str]:
    """Where ``fault`` comes in a page of faults: report time, then id."""
    return micros(fault.report.reported_at), fault.id


CASE_PRODUCTS = ("app", "router", None)
CASE_LINKS = ("F-1", "F-2", None)
_STATUS_PATHS: dict[FeedbackStatus, tuple[tuple[str, str | None], ...]] = {
    FeedbackStatus.NEW: (),
    FeedbackStatus.ACKNOWLEDGED: (("acknowledge", None),),
    FeedbackStatus.IN_PROGRESS: (("start", None),),
    FeedbackStatus.ANSWERED: (("reply", None), ("answer", None)),
    FeedbackStatus.CLOSED: (("close", "spam"),),
    FeedbackStatus.REOPENED: (("reply", None), ("answer", None), ("reopen", "not fixed")),
}
AGENT = Person(id="agent-1", name="Agent")


def sample_case(
    feedback_id: str,
    *,
    received_at: datetime = datetime(2024, 5, 1, 9, 0, tzinfo=UTC),
    status: FeedbackStatus = FeedbackStatus.NEW,
    social: bool = False,
    product: str | None = None,
    fault_id: str | None = None,
    cluster_id: str | None = None,
) -> FeedbackCase:
    """A feedback case in ``status``, on the hotline (or social media), linked as asked."""
    if social:
        item: Feedback = SocialFeedback(
            id=feedback_id, received_at=received_at, text="slow", platform="X", product=product
        )
    else:
        item = HotlineFeedback(
            id=feedback_id,
            received_at=received_at,
            call_started_at=received_at,
            agent="desk-1",
            text="slow",
            product=product,
        )
    case = FeedbackCase.open(item)
    at = received_at
    for command, reason in _STATUS_PATHS[status]:
        if command == "reply":
            case = case.reply(author=AGENT, at=at, text_ref="r-1")
        else:
            case = case.fire(command, actor=AGENT, at=at, reason=reason)
    if fault_id is not None or cluster_id is not None:
        case = case.link(actor=AGENT, at=at, fault_id=fault_id, cluster_id=cluster_id)
    return case


@st.composite
def feedback_queries(draw: st.DrawFn) -> FeedbackQuery:
    """Feedback queries over the values :func:`sample_case` uses (no time window)."""

    def maybe(values: Any) -> Any:
        return draw(st.none() | st.frozensets(values, max_size=3))

    return FeedbackQuery(
        statuses=maybe(st.sampled_from(FeedbackStatus)),
        channels=maybe(st.sampled_from([IntakeChannel.HOTLINE, IntakeChannel.SOCIAL_MEDIA])),
        products=maybe(st.sampled_from(["app", "router"])),
        fault_ids=maybe(st.sampled_from(["F-1", "F-2"])),
        cluster_ids=maybe(st.sampled_from(["F-1", "F-2"])),
    )
