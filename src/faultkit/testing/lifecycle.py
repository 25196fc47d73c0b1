"""Hypothesis strategies for the lifecycle's records and for walks through workflows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from hypothesis import strategies as st

from faultkit.lifecycle.events import (
    Comment,
    Containment,
    Diagnosis,
    FactChange,
    FaultEvent,
    FeedbackLink,
    Notice,
    TransitionRecord,
    Verification,
)
from faultkit.lifecycle.facts import initial_value
from faultkit.lifecycle.fault import Fault
from faultkit.lifecycle.major import MajorIncidentPolicy
from faultkit.lifecycle.rca_policy import RcaPolicy, RcaRequirement, RcaRule
from faultkit.lifecycle.records import (
    ChangeLink,
    ChangeRelation,
    MajorIncident,
    PostIncidentReview,
    StakeholderUpdate,
)
from faultkit.lifecycle.sla import BusinessCalendar, SlaPolicy, SlaTarget
from faultkit.lifecycle.workflow import State, StateCategory, Transition, Workflow
from faultkit.models import CauseCategory, FaultReport, Severity
from faultkit.testing.scoring import impact_assessments
from faultkit.testing.strategies import aware_datetimes, text

__all__ = [
    "business_calendars",
    "change_links",
    "comments",
    "containments",
    "diagnoses",
    "fault_from_snapshot",
    "feedback_links",
    "legal_paths",
    "major_incident_policies",
    "major_incidents",
    "notices",
    "post_incident_reviews",
    "rca_policies",
    "rca_rules",
    "sla_policies",
    "stakeholder_updates",
    "state_sequences",
    "transition_records",
    "verifications",
    "workflows",
]

IMPORT_ACTOR = "faultkit-import"
"""The actor of the events :func:`fault_from_snapshot` makes up for facts."""


def fault_from_snapshot(
    report: FaultReport,
    state: str,
    history: Iterable[TransitionRecord] = (),
    *,
    result_notice_at: datetime | None = None,
    **facts: Any,
) -> Fault:
    """A fault with ``history`` and then one ``import`` event per given fact (test data).

    For data that holds a state history and the facts as they stand (an export, a
    fixture): each fact becomes a :class:`~faultkit.lifecycle.FactChange` of command
    ``"import"`` by :data:`IMPORT_ACTOR` at the last transition (or the report).
    ``result_notice_at`` becomes a notice to the reporter at that time.
    """
    events: list[FaultEvent] = list(history)
    at = events[-1].at if events else report.reported_at
    if result_notice_at is not None:
        facts["notices"] = (Notice(recipient=report.reporter.id, at=result_notice_at),)
    for fact, value in facts.items():
        events.append(
            FactChange(
                fact=fact,
                command="import",
                actor=IMPORT_ACTOR,
                at=at,
                before=initial_value(fact),
                after=value,
            )
        )
    return Fault(report=report, state=state, events=events)


_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)


def transition_records() -> st.SearchStrategy[TransitionRecord]:
    """Any valid :class:`~faultkit.lifecycle.TransitionRecord`."""
    return st.builds(
        TransitionRecord,
        from_state=_names,
        to_state=_names,
        trigger=_names,
        actor=_names,
        at=aware_datetimes(),
        reason=st.none() | text(),
    )


@st.composite
def containments(draw: st.DrawFn) -> Containment:
    """Any valid :class:`~faultkit.lifecycle.Containment` (at least one measure)."""
    isolated = draw(st.booleans())
    plan = draw(st.none() | text())
    workaround = draw(st.none() | text())
    if not isolated and plan is None and workaround is None:
        isolated = True
    return Containment(
        recorded_at=draw(aware_datetimes()),
        unit_isolated=isolated,
        emergency_plan=plan,
        workaround=workaround,
    )


def verifications() -> st.SearchStrategy[Verification]:
    """Any valid :class:`~faultkit.lifecycle.Verification`."""
    return st.builds(
        Verification,
        effective=st.booleans(),
        verified_at=aware_datetimes(),
        verified_by=_names,
        note=st.none() | text(),
        evidence=st.lists(text(), max_size=2).map(tuple),
    )


def notices() -> st.SearchStrategy[Notice]:
    """Any valid :class:`~faultkit.lifecycle.Notice`."""
    return st.builds(
        Notice, recipient=_names, at=aware_datetimes(), channel=st.none() | st.just("email")
    )


def feedback_links() -> st.SearchStrategy[FeedbackLink]:
    """Any valid :class:`~faultkit.lifecycle.FeedbackLink`."""
    return st.builds(FeedbackLink, feedback_id=_names, author=_names)


def comments() -> st.SearchStrategy[Comment]:
    """Any valid :class:`~faultkit.lifecycle.Comment`."""
    return st.builds(
        Comment, actor=_names, at=aware_datetimes(), text=text(), work_note=st.booleans()
    )


def diagnoses() -> st.SearchStrategy[Diagnosis]:
    """Any valid :class:`~faultkit.lifecycle.Diagnosis` (at least one part given)."""
    return st.builds(
        Diagnosis,
        cause=st.sampled_from(CauseCategory),
        impact=st.none() | impact_assessments(),
        expected_duration=st.none()
        | st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)),
        notes=st.none() | text(),
    )


@st.composite
def business_calendars(draw: st.DrawFn) -> BusinessCalendar:
    """Business calendars in a few real time zones, with and without holidays."""
    zone = draw(st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"]))
    workdays = tuple(sorted(draw(st.sets(st.integers(0, 6), min_size=1))))
    opens = draw(st.integers(0, 20))
    closes = draw(st.integers(opens + 1, 24))
    holidays = tuple(
        draw(st.lists(st.dates(date(2020, 1, 1), date(2030, 12, 31)), max_size=5, unique=True))
    )
    return BusinessCalendar(
        zone=zone,
        workdays=workdays,
        opens=time(opens),
        closes=time(closes % 24),
        holidays=holidays,
    )


@st.composite
def workflows(draw: st.DrawFn, max_states: int = 6) -> Workflow:
    """Random valid workflow tables: a spine from the initial state, extra edges, no guards."""
    count = draw(st.integers(2, max_states))
    names = [f"s{i}" for i in range(count)]
    categories = list(StateCategory)
    states = [
        State(name=name, category=draw(st.sampled_from(categories)), terminal=(i == count - 1))
        for i, name in enumerate(names)
    ]
    rows = [
        Transition(trigger=f"t{i}", sources=(names[i],), dest=names[i + 1])
        for i in range(count - 1)
    ]
    extra = draw(
        st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)), max_size=2 * count)
    )
    seen = set()
    for k, (source, dest) in enumerate(extra):
        if (source, dest) not in seen:
            seen.add((source, dest))
            rows.append(Transition(trigger=f"x{k}", sources=(source,), dest=dest))
    return Workflow(name="random", states=states, initial=names[0], transitions=rows)


def state_sequences(workflow: Workflow, max_size: int = 12) -> st.SearchStrategy[list[str]]:
    """Any sequence of the workflow's state names (legal or not), starting at the initial."""
    return st.lists(st.sampled_from(workflow.state_names), max_size=max_size).map(
        lambda rest: [workflow.initial, *rest]
    )


@st.composite
def legal_paths(draw: st.DrawFn, workflow: Workflow, max_steps: int = 12) -> list[str]:
    """Trigger names of a random walk through ``workflow`` from its initial state."""
    state = workflow.initial
    triggers: list[str] = []
    for _ in range(draw(st.integers(0, max_steps))):
        options = workflow.triggers_from(state)
        if not options:
            break
        trigger = draw(st.sampled_from(options))
        triggers.append(trigger)
        row = workflow.move(state, trigger)
        assert row is not None
        state = row.dest
    return triggers


_minutes = st.integers(1, 60 * 24 * 30).map(lambda m: timedelta(minutes=m))


@st.composite
def sla_policies(draw: st.DrawFn) -> SlaPolicy:
    """SLA policies: targets for some priorities, some on a calendar of their own."""
    targets = {}
    for priority in sorted(draw(st.sets(st.integers(1, 5), min_size=1))):
        response, resolution = sorted((draw(_minutes), draw(_minutes)))
        calendar = draw(st.none() | business_calendars())
        targets[priority] = SlaTarget(response=response, resolution=resolution, calendar=calendar)
    return SlaPolicy(targets=targets, calendar=draw(business_calendars()))


# --------------------------------------------------------------------------- issue 19


def change_links() -> st.SearchStrategy[ChangeLink]:
    """Any valid :class:`~faultkit.lifecycle.ChangeLink`."""
    return st.builds(
        ChangeLink,
        change_ref=text(),
        relation=st.sampled_from(ChangeRelation),
        note=st.none() | text(),
    )


def major_incidents() -> st.SearchStrategy[MajorIncident]:
    """Any valid :class:`~faultkit.lifecycle.MajorIncident` declaration."""
    return st.builds(
        MajorIncident,
        declared_at=aware_datetimes(),
        declared_by=_names,
        reason=text(),
        automatic=st.booleans(),
    )


def stakeholder_updates() -> st.SearchStrategy[StakeholderUpdate]:
    """Any valid :class:`~faultkit.lifecycle.StakeholderUpdate`."""
    return st.builds(
        StakeholderUpdate,
        at=aware_datetimes(),
        by=_names,
        summary=text(),
        audience=st.none() | text(),
    )


def post_incident_reviews() -> st.SearchStrategy[PostIncidentReview]:
    """Any valid :class:`~faultkit.lifecycle.PostIncidentReview`."""
    return st.builds(
        PostIncidentReview,
        held_at=aware_datetimes(),
        participants=st.lists(_names, min_size=1, max_size=3).map(tuple),
        summary=text(),
        analysis_ref=st.none() | text(),
    )


def rca_rules() -> st.SearchStrategy[RcaRule]:
    """Any :class:`~faultkit.lifecycle.RcaRule`."""
    return st.builds(
        RcaRule, requires=st.sampled_from(RcaRequirement), known_error_suffices=st.booleans()
    )


@st.composite
def rca_policies(draw: st.DrawFn) -> RcaPolicy:
    """Any valid :class:`~faultkit.lifecycle.RcaPolicy`, with or without product overrides."""
    severities = {severity: draw(rca_rules()) for severity in Severity}
    products = draw(
        st.dictionaries(
            text(16),
            st.dictionaries(st.sampled_from(Severity), rca_rules(), max_size=3),
            max_size=2,
        )
    )
    return RcaPolicy(severities=severities, unassessed=draw(rca_rules()), products=products)


def major_incident_policies() -> st.SearchStrategy[MajorIncidentPolicy]:
    """Any valid :class:`~faultkit.lifecycle.MajorIncidentPolicy` (whole-minute cadences)."""
    minutes = st.integers(min_value=1, max_value=24 * 60).map(lambda m: timedelta(minutes=m))
    return st.builds(
        MajorIncidentPolicy,
        automatic=st.frozensets(st.sampled_from(Severity)),
        cadence=st.dictionaries(st.sampled_from(Severity), minutes, max_size=5),
        default_cadence=minutes,
    )
