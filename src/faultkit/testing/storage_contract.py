"""The storage contract kit: tests that prove a store behaves like the reference.

Subclass :class:`StorageContract` in a test module, name the subclass ``Test...`` so
pytest collects it, and give it a way to make an empty store::

    from faultkit.testing.storage_contract import StorageContract

    class TestMyStore(StorageContract):
        def make_store(self):
            return MyStore(...)

Every test of the contract then runs against your store: versions and conflicts,
copies, queries and cursor pagination (compared with a plain filter over what was
stored, on generated faults), the event log, feedback and clusters, and threads
racing to update the same faults. Override :meth:`StorageContract.close_store` if
your store needs closing, and :meth:`StorageContract.corrupt_fault` /
:meth:`StorageContract.corrupt_event` to let the contract check that a corrupted
record is reported with its key (those tests are skipped otherwise).

Needs the ``test`` extra (pytest and hypothesis).
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faultkit.errors import (
    CorruptRecordError,
    InvalidInputError,
    RecordNotFoundError,
    StorageConflictError,
)
from faultkit.feedback import (
    Cluster,
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
    Assignee,
    FaultReport,
    Frequency,
    ImpactScope,
    IntakeChannel,
    Person,
    Reporter,
    Severity,
    Urgency,
)
from faultkit.rca import Action, RiskItem
from faultkit.storage.protocols import Store
from faultkit.storage.records import Event, FaultQuery, FeedbackQuery, Versioned, micros
from faultkit.testing.feedback import any_feedback, clusters, feedback_cases
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
from faultkit.testing.rca import actions, analyses_with_actions, risk_items
from faultkit.testing.storage_kinds import RecordKindsContract
from faultkit.testing.storage_problems import ProblemsContract
from faultkit.testing.storage_queries import HelpdeskQueriesContract
from faultkit.testing.strategies import assignees, aware_datetimes, fault_reports

__all__ = [
    "NOTE_EVERY",
    "StorageContract",
    "Success",
    "check_no_lost_update",
    "fact_change",
    "fault_queries",
    "faults",
    "feedback_queries",
    "race",
    "rebuilt",
    "sample_case",
    "sample_fault",
    "with_note",
]

_STATES = ("recorded", "in_review", "diagnosing", "resolved", "closed")
_COMPONENTS = ("api", "billing", "ui")


def _no_nul(text: str | None) -> bool:
    return text is None or "\x00" not in text


@st.composite
def faults(draw: st.DrawFn, max_history: int = 4) -> Fault:
    """Faults with a consistent history and random facts, storable by any store.

    States and components come from small sets so that queries find something; ids,
    states and components never contain NUL (databases refuse it in keys).
    """
    report = draw(fault_reports().filter(lambda r: _no_nul(r.id)))
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


def _indexed_values() -> st.SearchStrategy[dict[str, Any]]:
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


def _unique(fault: Fault, prefix: str = "c") -> Fault:
    """``fault`` under an id no other example of this run uses."""
    with _ids_lock:
        number = next(_ids)
    report = attrs.evolve(fault.report, id=f"{prefix}{number:08d}-{fault.report.id}")
    return rebuilt(fault, report=report)


def _fresh(prefix: str = "s", **kwargs: Any) -> Fault:
    with _ids_lock:
        number = next(_ids)
    return sample_fault(f"{prefix}{number:08d}", **kwargs)


def _order(fault: Fault) -> tuple[int, str]:
    return micros(fault.report.reported_at), fault.id


_CASE_PRODUCTS = ("app", "router", None)
_CASE_LINKS = ("F-1", "F-2", None)
_STATUS_PATHS: dict[FeedbackStatus, tuple[tuple[str, str | None], ...]] = {
    FeedbackStatus.NEW: (),
    FeedbackStatus.ACKNOWLEDGED: (("acknowledge", None),),
    FeedbackStatus.IN_PROGRESS: (("start", None),),
    FeedbackStatus.ANSWERED: (("reply", None), ("answer", None)),
    FeedbackStatus.CLOSED: (("close", "spam"),),
    FeedbackStatus.REOPENED: (("reply", None), ("answer", None), ("reopen", "not fixed")),
}
_AGENT = Person(id="agent-1", name="Agent")


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
            case = case.reply(author=_AGENT, at=at, text_ref="r-1")
        else:
            case = case.fire(command, actor=_AGENT, at=at, reason=reason)
    if fault_id is not None or cluster_id is not None:
        case = case.link(actor=_AGENT, at=at, fault_id=fault_id, cluster_id=cluster_id)
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


def _all_pages(read: Any, limit: int) -> list[Any]:
    items: list[Any] = []
    cursor = None
    for _ in range(100_000):
        page = read(limit=limit, cursor=cursor)
        assert not page.corrupt
        assert len(page.items) <= limit
        items.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return items
        assert len(page.items) == limit, "a page before the last is full"
    raise AssertionError("pagination does not end")  # pragma: no cover


_T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)

_SHARED_STORE = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        # One test method, many store classes: each subclass is its own executor.
        HealthCheck.differing_executors,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

_QUERIES = settings(_SHARED_STORE, max_examples=30)


class StorageContract(RecordKindsContract, HelpdeskQueriesContract, ProblemsContract):
    """The contract every store must meet; subclass it as ``Test<YourStore>``.

    Attributes:
        concurrency_threads: threads racing in the concurrency test.
        concurrency_operations: store operations over all threads; each
            read-change-save round is two (a ``get`` and a ``save``).
        concurrency_faults: faults they race on.
    """

    concurrency_threads: ClassVar[int] = 8
    concurrency_operations: ClassVar[int] = 10_000
    concurrency_faults: ClassVar[int] = 8

    # ------------------------------------------------------------------ hooks

    def make_store(self) -> Store:
        """An empty store (override this)."""
        raise NotImplementedError

    def close_store(self, store: Store) -> None:
        """Release the store after a test (override if it needs closing)."""

    def corrupt_fault(self, store: Store, fault_id: str) -> None:
        """Damage the stored data of ``fault_id`` (override to run the corruption tests)."""
        raise NotImplementedError

    def corrupt_event(self, store: Store, fault_id: str, seq: int) -> None:
        """Damage the stored event ``seq`` of ``fault_id`` (override to run its test)."""
        raise NotImplementedError

    @pytest.fixture
    def store(self) -> Iterator[Store]:
        """A fresh store from :meth:`make_store`, closed after the test."""
        made = self.make_store()
        try:
            yield made
        finally:
            self.close_store(made)

    # ------------------------------------------------------------------ faults

    def test_is_a_store(self, store: Store) -> None:
        assert isinstance(store, Store)

    @_SHARED_STORE
    @given(fault=faults())
    def test_fault_round_trip(self, store: Store, fault: Fault) -> None:
        fault = _unique(fault)
        assert store.faults.add(fault) == 1
        got = store.faults.get(fault.id)
        assert got == Versioned(fault, 1)
        assert got.item is not fault
        assert [e.record for e in store.events.for_fault(fault.id)] == list(fault.events)

    def test_add_twice_conflicts(self, store: Store) -> None:
        fault = _fresh()
        store.faults.add(fault)
        with pytest.raises(StorageConflictError) as info:
            store.faults.add(fault)
        assert (info.value.key, info.value.expected, info.value.found) == (fault.id, 0, 1)

    def test_get_missing(self, store: Store) -> None:
        with pytest.raises(RecordNotFoundError) as info:
            store.faults.get("no-such-fault")
        assert info.value.key == "no-such-fault"
        assert isinstance(info.value, KeyError)

    def test_save_checks_the_version(self, store: Store) -> None:
        fault = _fresh()
        store.faults.add(fault)
        first = store.faults.get(fault.id)
        changed = with_note(first.item, actor="ana", at=_T0, reason="first")
        assert store.faults.save(changed, expected_version=first.version) == 2
        stale = with_note(first.item, actor="ben", at=_T0, reason="stale")
        with pytest.raises(StorageConflictError) as info:
            store.faults.save(stale, expected_version=first.version)
        assert (info.value.expected, info.value.found) == (1, 2)
        assert store.faults.get(fault.id) == Versioned(changed, 2)
        assert [e.record for e in store.events.for_fault(fault.id)] == list(changed.events)

    def test_save_missing(self, store: Store) -> None:
        fault = _fresh()
        with pytest.raises(RecordNotFoundError):
            store.faults.save(fault, expected_version=1)

    def test_save_refuses_a_shorter_history(self, store: Store) -> None:
        fault = _fresh()
        noted = with_note(fault, actor="ana", at=_T0)
        store.faults.add(noted)
        with pytest.raises(InvalidInputError) as info:
            store.faults.save(fault, expected_version=1)
        assert info.value.field == "events[0]"
        assert store.faults.get(fault.id).version == 1

    def test_save_refuses_a_rewritten_history(self, store: Store) -> None:
        fault = with_note(with_note(_fresh(), actor="ana", at=_T0), actor="ben", at=_T0)
        store.faults.add(fault)
        first, second = fault.events
        forged = attrs.evolve(second, actor="eve")  # same length, another actor
        rewritten = rebuilt(fault, events=(first, forged))
        with pytest.raises(InvalidInputError) as info:
            store.faults.save(rewritten, expected_version=1)
        assert info.value.field == "events[1]"
        longer = with_note(rewritten, actor="eve", at=_T0)  # also refused when it grows
        with pytest.raises(InvalidInputError) as info:
            store.faults.save(longer, expected_version=1)
        assert info.value.field == "events[1]"
        assert store.faults.get(fault.id) == Versioned(fault, 1)
        assert [e.record for e in store.events.for_fault(fault.id)] == [first, second]

    def test_a_stored_fault_is_its_stream(self, store: Store) -> None:
        fault = _fresh()
        store.faults.add(fault)
        note = Comment(actor="x", at=_T0, text="side door")
        with pytest.raises(InvalidInputError) as info:
            store.events.append(fault.id, [note], expected_length=0)
        assert info.value.field == "fault_id"
        assert store.events.for_fault(fault.id) == ()
        later = with_note(fault, actor="ana", at=_T0)
        assert store.faults.save(later, expected_version=1) == 2  # saves still work
        log_only = _fresh()
        store.events.append(log_only.id, [note], expected_length=0)
        with pytest.raises(StorageConflictError):  # a stream with no fault: not adopted
            store.faults.add(log_only)

    def test_bad_versions_and_keys(self, store: Store) -> None:
        fault = _fresh()
        store.faults.add(fault)
        for bad in (0, -1, True, "1", 1.0):
            with pytest.raises(InvalidInputError):
                store.faults.save(fault, expected_version=bad)  # type: ignore[arg-type]
        for key in ("", "  ", 5, None, "a\x00b"):
            with pytest.raises(InvalidInputError):
                store.faults.get(key)  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError):
            store.faults.add("not a fault")  # type: ignore[arg-type]

    def test_reads_are_copies(self, store: Store) -> None:
        fault = _fresh()
        store.faults.add(fault)
        got = store.faults.get(fault.id).item
        actor = Person(id="ana", name="Ana")
        got.set_severity(Severity.SEV1, actor=actor, at=_T0)
        got.mark_duplicate_of("elsewhere", actor=actor, at=_T0)
        assert store.faults.get(fault.id).item.severity is None
        fault.set_priority(1, actor=actor, at=_T0)  # nor is the caller's object
        assert store.faults.get(fault.id).item.priority is None

    def test_unknown_analysis_type_is_refused(self, store: Store) -> None:
        class Notes:
            def incomplete_reasons(self, actions: Iterable[Action] = ()) -> tuple[str, ...]:
                return ()

            def has_corrective_action(self, actions: Iterable[Action] = ()) -> bool:
                return True

        fault = _fresh()
        fault.attach_analysis(Notes(), actor=Person(id="ana", name="Ana"), at=_T0)
        with pytest.raises(InvalidInputError) as info:
            store.faults.add(fault)
        assert info.value.field == "analysis"
        with pytest.raises(RecordNotFoundError):
            store.faults.get(fault.id)

    @_QUERIES
    @given(
        batch=st.lists(
            st.tuples(_indexed_values(), st.integers(min_value=0, max_value=20)),
            max_size=8,
        ),
        query=fault_queries(),
        window=st.tuples(
            st.none() | st.integers(min_value=-1, max_value=21),
            st.none() | st.integers(min_value=-1, max_value=21),
        ),
        limit=st.integers(min_value=1, max_value=5),
    )
    def test_query_matches_a_plain_filter(
        self,
        store: Store,
        batch: list[tuple[dict[str, Any], int]],
        query: FaultQuery,
        window: tuple[int | None, int | None],
        limit: int,
    ) -> None:
        # Each example reports its faults on a day of its own and asks only for that day.
        with _ids_lock:
            number = next(_ids)
        day = _T0 + timedelta(days=1000 + number)
        mine = []
        for values, minute in batch:
            at = day + timedelta(minutes=minute)
            fault = _fresh("q", reported_at=at, component=values.pop("component"))
            facts = [
                fact_change(fact, values.pop(fact), actor="ana", at=at)
                for fact in ("severity", "priority")
                if values[fact] is not None
            ]
            fault = rebuilt(fault, state=values["state"], events=facts)
            mine.append(fault)
        for fault in mine:
            store.faults.add(fault)
        low, high = window
        query = attrs.evolve(
            query,
            reported_from=day if low is None else day + timedelta(minutes=low),
            reported_until=day + timedelta(days=1)
            if high is None
            else day + timedelta(minutes=high),
        )
        expected = sorted((f for f in mine if query.matches(f)), key=_order)
        got = _all_pages(lambda **kw: store.faults.query(query, **kw), limit)
        assert [item.item for item in got] == expected
        assert all(item.version == 1 for item in got)

    def test_query_pages_are_stable(self, store: Store) -> None:
        batch = [_fresh("p", reported_at=_T0 + timedelta(minutes=next(_ids) % 5)) for _ in range(7)]
        for fault in batch:
            store.faults.add(fault)
        first = store.faults.query(limit=3)
        assert len(first.items) == 3
        assert first.next_cursor is not None
        # A fault added before the cursor's position is not returned later; none twice.
        early = _fresh("p", reported_at=datetime(1980, 1, 1, tzinfo=UTC))
        store.faults.add(early)
        rest = _all_pages(lambda **kw: store.faults.query(**kw) if kw["cursor"] else first, limit=3)
        ids = [item.item.id for item in rest]
        assert len(ids) == len(set(ids)) == len(batch)
        assert early.id not in ids
        assert sorted(batch, key=_order) == [item.item for item in rest]

    def test_query_refuses_bad_arguments(self, store: Store) -> None:
        for limit in (0, -1, True, 10**9, "5"):
            with pytest.raises(InvalidInputError):
                store.faults.query(limit=limit)  # type: ignore[arg-type]
        for cursor in ("garbage!", "", "W10", 7):
            with pytest.raises(InvalidInputError) as info:
                store.faults.query(cursor=cursor)  # type: ignore[arg-type]
            assert info.value.field == "cursor"
        events_cursor = self._two_page_events(store)
        with pytest.raises(InvalidInputError):
            store.faults.query(cursor=events_cursor)
        with pytest.raises(InvalidInputError):
            store.faults.query("state")  # type: ignore[arg-type]

    def _two_page_events(self, store: Store) -> str:
        record = TransitionRecord(from_state="a", to_state="b", trigger="t", actor="x", at=_T0)
        store.events.append("log-x", [record, record], expected_length=0)
        page = store.events.between(_T0, _T0 + timedelta(seconds=1), limit=1)
        assert page.next_cursor is not None
        return page.next_cursor

    def test_corrupt_fault_is_reported_with_its_key(self, store: Store) -> None:
        fault = _fresh("z")
        store.faults.add(fault)
        try:
            self.corrupt_fault(store, fault.id)
        except NotImplementedError:
            pytest.skip("the store has no corrupt_fault hook")
        with pytest.raises(CorruptRecordError) as info:
            store.faults.get(fault.id)
        assert info.value.key == fault.id
        page = store.faults.query(limit=10)
        assert fault.id in [c.key for c in page.corrupt]
        assert fault.id not in [i.item.id for i in page.items]

    # ------------------------------------------------------------------ events

    def test_event_log_append_and_read(self, store: Store) -> None:
        one = TransitionRecord(from_state="a", to_state="b", trigger="go", actor="x", at=_T0)
        two = attrs.evolve(one, at=_T0 + timedelta(hours=1), reason="later")
        appended = store.events.append("log-1", [one], expected_length=0)
        assert appended == (Event(fault_id="log-1", seq=0, record=one),)
        with pytest.raises(StorageConflictError) as info:
            store.events.append("log-1", [two], expected_length=0)
        assert (info.value.expected, info.value.found) == (0, 1)
        store.events.append("log-1", [two], expected_length=1)
        assert [e.record for e in store.events.for_fault("log-1")] == [one, two]
        assert [e.seq for e in store.events.for_fault("log-1")] == [0, 1]
        assert store.events.for_fault("log-2") == ()
        assert store.events.append("log-1", [], expected_length=2) == ()

    def test_event_log_refuses_bad_input(self, store: Store) -> None:
        with pytest.raises(InvalidInputError):
            store.events.append("log", ["not a record"], expected_length=0)  # type: ignore[list-item]
        with pytest.raises(InvalidInputError):
            store.events.append("log", [], expected_length=-1)
        with pytest.raises(InvalidInputError):
            store.events.between(datetime(2024, 1, 1), _T0)  # naive
        assert store.events.for_fault("log") == ()

    @_SHARED_STORE
    @given(
        times=st.lists(
            st.integers(min_value=0, max_value=50).map(lambda m: _T0 + timedelta(minutes=m)),
            max_size=12,
        ),
        low=st.integers(min_value=-5, max_value=55),
        width=st.integers(min_value=0, max_value=60),
        limit=st.integers(min_value=1, max_value=4),
    )
    def test_events_between(
        self, store: Store, times: list[datetime], low: int, width: int, limit: int
    ) -> None:
        day = _T0 - timedelta(days=400 + next(_ids))  # this example's own period
        shift = day - _T0
        written: list[Event] = []
        for index, at in enumerate(times):
            record = TransitionRecord(
                from_state="a", to_state="a", trigger="t", actor="x", at=at + shift
            )
            fault_id = f"ev-{index % 3}-{day.date()}"
            length = len(store.events.for_fault(fault_id))
            written.extend(store.events.append(fault_id, [record], expected_length=length))
        start = _T0 + shift + timedelta(minutes=low)
        end = start + timedelta(minutes=width)
        expected = sorted(
            (e for e in written if start <= e.at < end),
            key=lambda e: (micros(e.at), e.fault_id, e.seq),
        )
        got = _all_pages(lambda **kw: store.events.between(start, end, **kw), limit)
        assert got == expected

    def test_save_appends_only_the_new_records(self, store: Store) -> None:
        fault = _fresh()
        store.faults.add(fault)
        current = store.faults.get(fault.id)
        for n in range(3):
            changed = with_note(current.item, actor="ana", at=_T0, reason=f"n{n}")
            store.faults.save(changed, expected_version=current.version)
            current = store.faults.get(fault.id)
        # A save without new events appends nothing.
        store.faults.save(current.item, expected_version=current.version)
        events = store.events.for_fault(fault.id)
        assert [e.record for e in events] == list(store.faults.get(fault.id).item.events)
        assert [e.seq for e in events] == list(range(len(fault.events) + 3))

    def test_corrupt_event_is_reported_with_its_key(self, store: Store) -> None:
        record = TransitionRecord(from_state="a", to_state="b", trigger="t", actor="x", at=_T0)
        store.events.append("log-c", [record, record], expected_length=0)
        try:
            self.corrupt_event(store, "log-c", 1)
        except NotImplementedError:
            pytest.skip("the store has no corrupt_event hook")
        with pytest.raises(CorruptRecordError) as info:
            store.events.for_fault("log-c")
        assert info.value.key == "log-c#1"
        page = store.events.between(_T0, _T0 + timedelta(seconds=1))
        assert [c.key for c in page.corrupt] == ["log-c#1"]
        assert [e.seq for e in page.items] == [0]

    # ------------------------------------------------------------------ records

    @_SHARED_STORE
    @given(item=any_feedback())
    def test_feedback_round_trip(self, store: Store, item: Feedback) -> None:
        with _ids_lock:
            number = next(_ids)
        item = attrs.evolve(item, id=f"fb{number:08d}")
        assert store.feedback.add(item) == 1
        assert store.feedback.get(item.id) == Versioned(item, 1)

    @_SHARED_STORE
    @given(item=actions())
    def test_action_round_trip(self, store: Store, item: Action) -> None:
        with _ids_lock:
            number = next(_ids)
        item = attrs.evolve(item, id=f"ac{number:08d}")
        assert store.actions.add(item) == 1
        assert store.actions.get(item.id) == Versioned(item, 1)
        done = item.complete(_T0) if item.status.value in ("planned", "in_progress") else item
        assert store.actions.save(done, expected_version=1) == 2
        assert store.actions.get(item.id) == Versioned(done, 2)

    @_SHARED_STORE
    @given(item=risk_items())
    def test_risk_round_trip(self, store: Store, item: RiskItem) -> None:
        with _ids_lock:
            number = next(_ids)
        item = attrs.evolve(item, id=f"rk{number:08d}")
        assert store.risks.add(item) == 1
        assert store.risks.get(item.id) == Versioned(item, 1)

    @_SHARED_STORE
    @given(item=clusters())
    def test_cluster_round_trip(self, store: Store, item: Cluster) -> None:
        with _ids_lock:
            number = next(_ids)
        item = attrs.evolve(item, id=f"cl{number:08d}")
        assert store.clusters.add(item) == 1
        assert store.clusters.get(item.id) == Versioned(item, 1)

    def test_records_versions_and_pages(self, store: Store) -> None:
        items = [
            HotlineFeedback(
                id=f"r-{n:03d}",
                received_at=_T0 + timedelta(minutes=n),
                call_started_at=_T0 + timedelta(minutes=n),
                agent="desk-1",
                text=f"text {n}",
            )
            for n in range(7)
        ]
        for item in reversed(items):
            store.feedback.add(item)
        with pytest.raises(StorageConflictError) as info:
            store.feedback.add(items[0])
        assert (info.value.expected, info.value.found) == (0, 1)
        changed = attrs.evolve(items[0], text="changed")
        assert store.feedback.save(changed, expected_version=1) == 2
        with pytest.raises(StorageConflictError) as info:
            store.feedback.save(items[0], expected_version=1)
        assert (info.value.expected, info.value.found) == (1, 2)
        with pytest.raises(RecordNotFoundError):
            store.feedback.get("r-999")
        with pytest.raises(RecordNotFoundError):
            store.feedback.save(attrs.evolve(items[0], id="r-999"), expected_version=1)
        got = _all_pages(store.feedback.query, limit=3)
        assert [v.item for v in got] == [changed, *items[1:]]
        assert [v.version for v in got] == [2] + [1] * 6
        assert store.clusters.query().items == ()
        assert store.actions.query().items == ()
        assert store.risks.query().items == ()
        with pytest.raises(InvalidInputError):
            store.feedback.add("text")  # type: ignore[arg-type]

    # ------------------------------------------------------------------ feedback cases

    @_SHARED_STORE
    @given(
        case=feedback_cases(max_commands=8).filter(
            lambda c: all(map(_no_nul, (c.feedback.product, c.fault_id, c.cluster_id)))
        )
    )
    def test_feedback_case_round_trip(self, store: Store, case: FeedbackCase) -> None:
        with _ids_lock:
            number = next(_ids)
        item = attrs.evolve(case.feedback, id=f"fc{number:08d}")
        case = FeedbackCase(feedback=item, events=case.events)
        assert store.feedback_cases.add(case) == 1
        assert store.feedback_cases.get(item.id) == Versioned(case, 1)

    def test_feedback_case_versions_and_history(self, store: Store) -> None:
        with _ids_lock:
            number = next(_ids)
        case = sample_case(f"fv{number:08d}")
        cases = store.feedback_cases
        assert cases.add(case) == 1
        with pytest.raises(StorageConflictError) as info:
            cases.add(case)
        assert (info.value.expected, info.value.found) == (0, 1)
        later = case.fire("acknowledge", actor=_AGENT, at=_T0)
        assert cases.save(later, expected_version=1) == 2
        assert cases.get(case.id) == Versioned(later, 2)
        with pytest.raises(StorageConflictError) as info:
            cases.save(later, expected_version=1)
        assert (info.value.expected, info.value.found) == (1, 2)
        with pytest.raises(InvalidInputError, match="history only grows"):
            cases.save(case, expected_version=2)  # one event fewer
        other = case.fire("start", actor=_AGENT, at=_T0)  # same length, other event
        with pytest.raises(InvalidInputError, match="history only grows"):
            cases.save(other, expected_version=2)
        edited = FeedbackCase(
            feedback=attrs.evolve(case.feedback, text="edited"), events=later.events
        )
        with pytest.raises(InvalidInputError, match="feedback"):
            cases.save(edited, expected_version=2)
        assert cases.get(case.id) == Versioned(later, 2)  # nothing was written
        with pytest.raises(RecordNotFoundError):
            cases.get("fv-missing")
        with pytest.raises(RecordNotFoundError):
            cases.save(sample_case("fv-missing"), expected_version=1)
        with pytest.raises(InvalidInputError):
            cases.add(case.feedback)  # type: ignore[arg-type]

    @_QUERIES
    @given(
        batch=st.lists(
            st.tuples(
                st.sampled_from(FeedbackStatus),
                st.booleans(),
                st.sampled_from(_CASE_PRODUCTS),
                st.sampled_from(_CASE_LINKS),
                st.sampled_from(_CASE_LINKS),
                st.integers(min_value=0, max_value=20),
            ),
            max_size=8,
        ),
        query=feedback_queries(),
        window=st.tuples(
            st.none() | st.integers(min_value=-1, max_value=21),
            st.none() | st.integers(min_value=-1, max_value=21),
        ),
        limit=st.integers(min_value=1, max_value=5),
    )
    def test_feedback_query_matches_a_plain_filter(
        self,
        store: Store,
        batch: list[tuple[FeedbackStatus, bool, str | None, str | None, str | None, int]],
        query: FeedbackQuery,
        window: tuple[int | None, int | None],
        limit: int,
    ) -> None:
        with _ids_lock:
            number = next(_ids)
        day = _T0 + timedelta(days=1000 + number)
        mine = []
        for index, (status, social, product, fault, cluster, minute) in enumerate(batch):
            case = sample_case(
                f"fq{number:08d}-{index}",
                received_at=day + timedelta(minutes=minute),
                status=status,
                social=social,
                product=product,
                fault_id=fault,
                cluster_id=cluster,
            )
            store.feedback_cases.add(case)
            mine.append(case)
        low, high = window
        query = attrs.evolve(
            query,
            received_from=day if low is None else day + timedelta(minutes=low),
            received_until=day + timedelta(days=1)
            if high is None
            else day + timedelta(minutes=high),
        )
        expected = sorted(
            (c for c in mine if query.matches(c)),
            key=lambda c: (micros(c.feedback.received_at), c.id),
        )
        got = _all_pages(lambda **kw: store.feedback_cases.query(query, **kw), limit)
        assert [item.item for item in got] == expected
        assert all(item.version == 1 for item in got)

    def test_feedback_query_refuses_bad_arguments(self, store: Store) -> None:
        for limit in (0, True, 10**9):
            with pytest.raises(InvalidInputError):
                store.feedback_cases.query(limit=limit)
        for cursor in ("garbage!", "", "W10", 7):
            with pytest.raises(InvalidInputError) as info:
                store.feedback_cases.query(cursor=cursor)  # type: ignore[arg-type]
            assert info.value.field == "cursor"
        with pytest.raises(InvalidInputError):
            store.feedback_cases.query(cursor=self._two_page_events(store))
        with pytest.raises(InvalidInputError):
            store.feedback_cases.query(FaultQuery())  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError) as info:
            FeedbackQuery(statuses="lost")
        assert info.value.field == "statuses"

    # ------------------------------------------------------------------ concurrency

    def test_threads_lose_no_update(self, store: Store) -> None:
        """Threads race read-change-save on a few faults: no update is lost."""
        ids = []
        for _ in range(self.concurrency_faults):
            fault = _fresh("race")
            store.faults.add(fault)
            ids.append(fault.id)
        per_thread = self.concurrency_operations // self.concurrency_threads
        results: list[list[Success]] = [[] for _ in range(self.concurrency_threads)]
        errors: list[BaseException] = []

        def work(worker: int) -> None:
            try:
                results[worker] = race(store, ids, worker, per_thread)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [
            threading.Thread(target=work, args=(w,)) for w in range(self.concurrency_threads)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        check_no_lost_update(store, ids, [s for worker in results for s in worker])


Success = tuple[str, int, str, bool]
"""A save that succeeded: fault id, the version it made, its marker, whether it noted."""


def race(store: Store, ids: list[str], worker: int, operations: int) -> list[Success]:
    """Run ``operations`` store operations of read-change-save on faults from ``ids``.

    Each round is two operations: it reads a fault (``get``), sets its assignee to a
    marker unique to the round and, one round in :data:`NOTE_EVERY`, appends a history
    record with the same marker, then saves with the version read (``save``). A
    conflict is dropped (the next round re-reads).

    Returns:
        The successful saves, as :data:`Success` tuples.
    """
    successes: list[Success] = []
    for n in range(operations // 2):
        fault_id = ids[(n * 7 + worker * 3 + n // len(ids)) % len(ids)]
        current = store.faults.get(fault_id)
        marker = f"w{worker}-{n}"
        changed = current.item
        noted = n % NOTE_EVERY == 0
        if noted:
            changed = with_note(changed, actor=f"w{worker}", at=_T0, reason=marker)
        changed.assign(
            Assignee(id=marker, name=f"worker {worker}"),
            actor=Person(id=f"w{worker}", name=f"worker {worker}"),
            at=changed.last_event_at,
        )
        try:
            version = store.faults.save(changed, expected_version=current.version)
        except StorageConflictError:
            continue
        successes.append((fault_id, version, marker, noted))
    return successes


NOTE_EVERY = 16
"""One race round in this many also appends a history record."""


def check_no_lost_update(store: Store, ids: list[str], successes: list[Success]) -> None:
    """Check what racing writers left: no lost update, every event exactly once.

    For each fault, the successful saves made the versions 2, 3, ... up to the stored
    one, each exactly once (two saves based on the same version would make the same
    version: one of them would be lost); the stored assignee is the marker of the save
    that made the last version (every other success is superseded by a later one);
    the history holds the marker of every noting success exactly once, and the event
    log holds the history exactly.

    Args:
        store: the store raced on.
        ids: the faults raced on (stored at version 1, with an empty history).
        successes: the successful saves of every writer (see :func:`race`).
    """
    assert successes, "no save succeeded"
    for fault_id in ids:
        final = store.faults.get(fault_id)
        mine = [s for s in successes if s[0] == fault_id]
        versions = sorted(s[1] for s in mine)
        assert versions == list(range(2, final.version + 1)), "a version made twice or lost"
        if mine:
            last = max(mine, key=lambda s: s[1])
            assert final.item.assignee is not None
            assert final.item.assignee.id == last[2]
        notes = [comment.text for comment in final.item.comments]
        assert Counter(notes) == Counter(s[2] for s in mine if s[3])
        events = store.events.for_fault(fault_id)
        assert [e.record for e in events] == list(final.item.events)
        assert [e.seq for e in events] == list(range(len(events)))
