"""The contract of the feedback case repository, for every store.

:class:`~faultkit.testing.storage_contract.StorageContract` inherits
:class:`FeedbackCasesContract`: cases round-trip, are versioned, only grow (a shorter
or rewritten history and a changed feedback item are refused), and queries by status,
channel, product, fault, cluster and receipt time agree with a plain filter over what
was stored, page after page.
"""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit.errors import (
    InvalidInputError,
    RecordNotFoundError,
    StorageConflictError,
)
from faultkit.feedback import (
    FeedbackCase,
    FeedbackStatus,
)
from faultkit.storage.protocols import Store
from faultkit.storage.records import FaultQuery, FeedbackQuery, Versioned, micros
from faultkit.testing.feedback import feedback_cases
from faultkit.testing.storage_data import (
    AGENT,
    CASE_LINKS,
    CASE_PRODUCTS,
    T0,
    feedback_queries,
    next_number,
    no_nul,
    sample_case,
    unique_id,
)
from faultkit.testing.storage_hooks import (
    QUERIES,
    SHARED_STORE,
    StoreHooks,
    all_pages,
    events_cursor,
)

__all__ = ["FeedbackCasesContract"]


class FeedbackCasesContract(StoreHooks):
    """Feedback cases: round trips, versions, append-only history, queries."""

    @SHARED_STORE
    @given(
        case=feedback_cases(max_commands=8).filter(
            lambda c: all(map(no_nul, (c.feedback.product, c.fault_id, c.cluster_id)))
        )
    )
    def test_feedback_case_round_trip(self, store: Store, case: FeedbackCase) -> None:
        item = attrs.evolve(case.feedback, id=unique_id("fc"))
        case = FeedbackCase(feedback=item, events=case.events)
        assert store.feedback_cases.add(case) == 1
        assert store.feedback_cases.get(item.id) == Versioned(case, 1)

    def test_feedback_case_versions_and_history(self, store: Store) -> None:
        case = sample_case(unique_id("fv"))
        cases = store.feedback_cases
        assert cases.add(case) == 1
        with pytest.raises(StorageConflictError) as info:
            cases.add(case)
        assert (info.value.expected, info.value.found) == (0, 1)
        later = case.fire("acknowledge", actor=AGENT, at=T0)
        assert cases.save(later, expected_version=1) == 2
        assert cases.get(case.id) == Versioned(later, 2)
        with pytest.raises(StorageConflictError) as info:
            cases.save(later, expected_version=1)
        assert (info.value.expected, info.value.found) == (1, 2)
        with pytest.raises(InvalidInputError, match="history only grows"):
            cases.save(case, expected_version=2)  # one event fewer
        other = case.fire("start", actor=AGENT, at=T0)  # same length, other event
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

    @QUERIES
    @given(
        batch=st.lists(
            st.tuples(
                st.sampled_from(FeedbackStatus),
                st.booleans(),
                st.sampled_from(CASE_PRODUCTS),
                st.sampled_from(CASE_LINKS),
                st.sampled_from(CASE_LINKS),
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
        number = next_number()
        day = T0 + timedelta(days=1000 + number)
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
        start = day if low is None else day + timedelta(minutes=low)
        end = day + timedelta(days=1) if high is None else day + timedelta(minutes=high)
        start, end = min(start, end), max(start, end)  # a query's period runs forwards
        query = attrs.evolve(query, received_from=start, received_until=end)
        expected = sorted(
            (c for c in mine if query.matches(c)),
            key=lambda c: (micros(c.feedback.received_at), c.id),
        )
        got = all_pages(lambda **kw: store.feedback_cases.query(query, **kw), limit)
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
            store.feedback_cases.query(cursor=events_cursor(store))
        with pytest.raises(InvalidInputError):
            store.feedback_cases.query(FaultQuery())  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError) as info:
            FeedbackQuery(statuses="lost")
        assert info.value.field == "statuses"
