"""Feedback cases in a store: the indexed values, the stream kind, and the in-memory repository.

A feedback case is kept as one append-only stream (see :mod:`faultkit.storage.streams`):
its feedback item, as it came in, never changes; its events only grow. Beside it a
store keeps the values its queries read (:func:`feedback_index`): status, channel,
product, receipt time, the linked fault and cluster.
"""

from __future__ import annotations

from typing import Any

from faultkit.errors import InvalidInputError
from faultkit.feedback import FeedbackCase
from faultkit.storage.records import FeedbackQuery, check_key, check_no_nul, micros
from faultkit.storage.streams import MemoryStreamRepository, StreamKind

__all__ = [
    "FEEDBACK_CASES",
    "MemoryFeedbackCaseRepository",
    "check_feedback_query",
    "feedback_index",
]


def check_feedback_query(query: Any) -> FeedbackQuery:
    """``query``, or an empty query for ``None``."""
    if query is None:
        return FeedbackQuery()
    if not isinstance(query, FeedbackQuery):
        raise InvalidInputError("query", query, "expected a FeedbackQuery or None")
    return query


def feedback_index(case: Any) -> dict[str, Any]:
    """What a store keeps of a feedback case beside its body, for queries and checks.

    ``events_len``, ``status``, ``channel``, ``product``, ``received_us``, ``fault_id``
    and ``cluster_id``; text that a database could not index is refused.
    """
    if not isinstance(case, FeedbackCase):
        raise InvalidInputError("case", case, "expected a FeedbackCase")
    check_key("case.id", case.id)
    item = case.feedback
    for name, value in (
        ("product", item.product),
        ("fault_id", case.fault_id),
        ("cluster_id", case.cluster_id),
    ):
        check_no_nul(f"case.{name}", value)
    return {
        "events_len": len(case.events),
        "status": case.status.value,
        "channel": item.channel.value,
        "product": item.product,
        "received_us": micros(item.received_at),
        "fault_id": case.fault_id,
        "cluster_id": case.cluster_id,
    }


def _as_stored(body: Any) -> Any:
    """A body an old release wrote (the feedback item alone) as a case without events."""
    if isinstance(body, dict) and "events" in body:
        return body
    return {"feedback": body, "events": []}


FEEDBACK_CASES: StreamKind[FeedbackCase, FeedbackQuery] = StreamKind(
    "feedback_case",
    FeedbackCase,
    noun="feedback case",
    key_field="feedback_id",
    head="feedback",
    head_reason="the feedback item is as it came in: it does not change",
    rule="a feedback case's history only grows",
    index=feedback_index,
    order="received_us",
    check_query=check_feedback_query,
    filters={
        "statuses": "status",
        "channels": "channel",
        "products": "product",
        "fault_ids": "fault_id",
        "cluster_ids": "cluster_id",
    },
    bounds={"received_from": ("received_us", ">="), "received_until": ("received_us", "<")},
    as_stored=_as_stored,
)
"""Feedback cases (by feedback id), ordered by receipt time."""


class MemoryFeedbackCaseRepository(MemoryStreamRepository[FeedbackCase, FeedbackQuery]):
    """The feedback cases of a :class:`~faultkit.storage.MemoryStore`.

    The :class:`~faultkit.storage.FeedbackCaseRepository` of :data:`FEEDBACK_CASES`;
    ``store`` is accepted for compatibility (the repository has a lock of its own).
    """

    def __init__(self, store: object = None) -> None:
        super().__init__(FEEDBACK_CASES)
