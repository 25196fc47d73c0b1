"""The contract of the helpdesk queries, for every store.

:class:`~faultkit.testing.storage_contract.StorageContract` inherits
:class:`HelpdeskQueriesContract`: faults by assignee and by "SLA due before T" (as the
store's default :data:`~faultkit.storage.DEFAULT_DUE` computes it) agree with a plain
filter over what was stored, page after page; records of a fault (clusters, notices,
survey responses) are found by ``query(fault_id=...)`` and only them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.feedback import Cluster
from faultkit.lifecycle.fault import Fault
from faultkit.models import (
    Assignee,
    FaultReport,
    Frequency,
    ImpactScope,
    IntakeChannel,
    Person,
    Reporter,
    Urgency,
)
from faultkit.storage.due import DEFAULT_DUE
from faultkit.storage.protocols import Store
from faultkit.storage.records import FaultQuery, micros
from faultkit.testing.feedback import result_notices, survey_responses
from faultkit.testing.storage_hooks import SHARED_STORE

__all__ = ["HelpdeskQueriesContract", "helpdesk_fault"]

_T0 = datetime(2024, 5, 6, 8, 0, tzinfo=UTC)  # a Monday
_PEOPLE = ("ana", "bo", "cy")
_SETTINGS = settings(SHARED_STORE, max_examples=20)


def helpdesk_fault(
    fault_id: str,
    *,
    hours: int,
    priority: int | None,
    assignee: str | None,
    state: str,
    component: str = "checkout",
) -> Fault:
    """A fault reported ``hours`` after a Monday 08:00 UTC, with the facts a desk sorts by."""
    reported = _T0 + timedelta(hours=hours)
    report = FaultReport(
        id=fault_id,
        title="Checkout times out",
        description="Payment page spins, then 504.",
        observed_at=reported,
        reported_at=reported,
        reporter=Reporter(id="u-1", name="Lee", is_customer=True),
        channel=IntakeChannel.HOTLINE,
        product="shop",
        component=component,
        frequency=Frequency.INTERMITTENT,
        impact_scope=ImpactScope.USER_GROUP,
        urgency=Urgency.HIGH,
    )
    fault = Fault(report=report, state=state)
    desk = Person(id="desk", name="Desk")
    if priority is not None:
        fault.set_priority(priority, actor=desk, at=reported)
    if assignee is not None:
        fault.assign(Assignee(id=assignee, name=assignee.title()), actor=desk, at=reported)
    return fault


_desk_faults = st.lists(
    st.tuples(
        st.integers(0, 24 * 14),
        st.none() | st.integers(1, 5),
        st.none() | st.sampled_from(_PEOPLE),
        st.sampled_from(("recorded", "diagnosing", "fixing", "on_hold", "resolved", "closed")),
    ),
    min_size=1,
    max_size=12,
)


class HelpdeskQueriesContract:
    """Faults by assignee and SLA due time; records by fault."""

    @_SETTINGS
    @given(
        rows=_desk_faults,
        who=st.none() | st.frozensets(st.sampled_from(_PEOPLE), max_size=2),
        due_hours=st.none() | st.integers(0, 24 * 30),
        limit=st.integers(1, 4),
    )
    def test_desk_queries_match_a_plain_filter(
        self, store: Store, rows: list[Any], who: Any, due_hours: int | None, limit: int
    ) -> None:
        prefix = f"d{micros(datetime.now(UTC))}-"
        faults = [
            helpdesk_fault(
                f"{prefix}{n:02d}", hours=h, priority=p, assignee=a, state=s, component=prefix
            )
            for n, (h, p, a, s) in enumerate(rows)
        ]
        for fault in faults:
            store.faults.add(fault)
        before = None if due_hours is None else _T0 + timedelta(hours=due_hours)
        query = FaultQuery(
            assignees=who,
            sla_due_before=before,
            components=prefix,  # only this example's faults (the store is shared)
            reported_from=_T0,
            reported_until=_T0 + timedelta(days=15),
        )
        expected = sorted(
            (micros(f.report.reported_at), f.id) for f in faults if query.matches(f, DEFAULT_DUE(f))
        )
        found: list[str] = []
        cursor = None
        for _ in range(len(faults) + 1):
            page = store.faults.query(query, limit=limit, cursor=cursor)
            found.extend(v.item.id for v in page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        assert cursor is None, "pagination does not end"
        assert found == [fault_id for _, fault_id in expected]

    def test_due_is_kept_from_the_last_save(self, store: Store) -> None:
        fault = helpdesk_fault("due-1", hours=0, priority=1, assignee="ana", state="fixing")
        store.faults.add(fault)
        due = DEFAULT_DUE(fault)
        assert due is not None
        assert due > fault.report.reported_at
        just_after = FaultQuery(sla_due_before=due + timedelta(microseconds=1))
        assert [v.item.id for v in store.faults.query(just_after).items] == ["due-1"]
        assert store.faults.query(FaultQuery(sla_due_before=due)).items == ()
        current = store.faults.get("due-1")
        desk = Person(id="desk", name="Desk")
        at = current.item.report.reported_at
        current.item.set_priority(5, actor=desk, at=at, reason="workaround found")
        store.faults.save(current.item, expected_version=current.version)  # due much later
        assert store.faults.query(just_after).items == ()
        by_ana = store.faults.query(FaultQuery(assignees="ana"))
        assert [v.item.id for v in by_ana.items] == ["due-1"]

    def test_records_of_a_fault(self, store: Store) -> None:
        cluster = Cluster(
            id="cl-linked",
            feedback_ids=("fb-1",),
            size=1,
            customers=1,
            first_seen=_T0,
            last_seen=_T0,
            fault_id="F-9",
        )
        store.clusters.add(cluster)
        store.clusters.add(attrs.evolve(cluster, id="cl-other", fault_id="F-8"))
        store.clusters.add(attrs.evolve(cluster, id="cl-none", fault_id=None))
        assert [v.item.id for v in store.clusters.query(fault_id="F-9").items] == ["cl-linked"]
        relinked = attrs.evolve(cluster, fault_id="F-8")
        store.clusters.save(relinked, expected_version=1)
        assert store.clusters.query(fault_id="F-9").items == ()
        assert [v.item.id for v in store.clusters.query(fault_id="F-8").items] == [
            "cl-linked",
            "cl-other",
        ]
        assert store.risks.query(fault_id="F-8").items == ()  # risks link to no fault
        with pytest.raises(InvalidInputError):
            store.clusters.query(fault_id="")
        with pytest.raises(InvalidInputError):
            store.clusters.query(fault_id="a\x00b")

    @_SETTINGS
    @given(notice=result_notices(), answer=survey_responses())
    def test_notices_and_survey_answers_of_a_fault(
        self, store: Store, notice: Any, answer: Any
    ) -> None:
        fault_id = f"nf{micros(datetime.now(UTC))}"
        notice = attrs.evolve(notice, id=fault_id + "-n", fault_id=fault_id)
        answer = attrs.evolve(answer, id=fault_id + "-s", fault_id=fault_id)
        store.notices.add(notice)
        store.survey_responses.add(answer)
        assert [v.item for v in store.notices.query(fault_id=fault_id).items] == [notice]
        assert [v.item for v in store.survey_responses.query(fault_id=fault_id).items] == [answer]
