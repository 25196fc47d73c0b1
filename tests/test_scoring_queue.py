"""Queue ordering: priority, then SLA time left, then age, then affected users, then id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faultkit.errors import InvalidInputError
from faultkit.scoring import Priority, QueueItem, order_queue, queue_key
from faultkit.testing.scoring import queue_items

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def item(
    id: str, priority: int, age_h: float, due_in_h: float | None, users: int | None = None
) -> QueueItem:
    return QueueItem(
        id=id,
        priority=priority,
        opened_at=NOW - timedelta(hours=age_h),
        sla_due_at=None if due_in_h is None else NOW + timedelta(hours=due_in_h),
        affected_users=users,
    )


def test_documented_order() -> None:
    items = [
        item("p2-breached", 2, age_h=30, due_in_h=-5),
        item("p1-no-sla", 1, age_h=1, due_in_h=None),
        item("p1-due-soon", 1, age_h=1, due_in_h=1),
        item("p1-due-later-old", 1, age_h=9, due_in_h=4),
        item("p1-due-later-new", 1, age_h=2, due_in_h=4),
        item("p3-same-b", 3, age_h=5, due_in_h=10, users=10),
        item("p3-same-a", 3, age_h=5, due_in_h=10, users=10),
        item("p3-more-users", 3, age_h=5, due_in_h=10, users=500),
        item("p3-unknown-users", 3, age_h=5, due_in_h=10),
    ]
    assert [i.id for i in order_queue(items, NOW)] == [
        "p1-due-soon",
        "p1-due-later-old",
        "p1-due-later-new",
        "p1-no-sla",
        "p2-breached",
        "p3-more-users",
        "p3-same-a",
        "p3-same-b",
        "p3-unknown-users",
    ]


def test_key_parts() -> None:
    key = queue_key(item("F-9", 2, age_h=3, due_in_h=-1, users=7), NOW)
    assert key == (2, -3600.0, -10800.0, -7, "F-9")
    assert queue_key(item("F-1", 5, age_h=0, due_in_h=None), NOW)[1] == float("inf")


@given(st.lists(queue_items(), max_size=20), st.randoms(use_true_random=False))
def test_deterministic_whatever_the_input_order(items: list[QueueItem], rnd: object) -> None:
    shuffled = list(items)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    now = NOW
    assert order_queue(items, now) == order_queue(shuffled, now)
    ordered = order_queue(items, now)
    assert [int(i.priority) for i in ordered] == sorted(int(i.priority) for i in items)


def test_refusals() -> None:
    with pytest.raises(InvalidInputError) as info:
        order_queue([], datetime(2024, 1, 1))
    assert info.value.field == "now"
    with pytest.raises(InvalidInputError) as info:
        queue_key(object(), NOW)  # type: ignore[arg-type]
    assert info.value.field == "item"
    with pytest.raises(InvalidInputError) as info:
        QueueItem(id="x", priority=6, opened_at=NOW)
    assert info.value.field == "priority"
    assert QueueItem(id="x", priority=1, opened_at=NOW).priority is Priority.CRITICAL
