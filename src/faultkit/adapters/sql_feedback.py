"""Feedback cases on SQL: the ``faultkit_feedback_cases`` table and its repository.

Part of :class:`~faultkit.adapters.sql.SqlStore` (schema version 4), which builds the
repository and hands it its transactions; the repository is the store's one append-only
stream repository (:mod:`faultkit.adapters.sql_streams`) on this table. Each case is
stored as JSON text beside the columns its queries read: status, channel, product,
receipt time, fault and cluster, each indexed with the receipt time and id that order
the pages.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from faultkit.adapters.sql_pages import Key
from faultkit.adapters.sql_streams import SqlAccess, SqlStreamRepository
from faultkit.feedback import FeedbackCase
from faultkit.serialization import to_dict
from faultkit.storage.cases import FEEDBACK_CASES, feedback_index
from faultkit.storage.memory import FEEDBACK
from faultkit.storage.records import FeedbackQuery

__all__ = [
    "SqlFeedbackCaseRepository",
    "create_feedback_cases",
    "feedback_cases_table",
    "open_stored_feedback",
]

_metadata = sa.MetaData()

feedback_cases_table = sa.Table(
    "faultkit_feedback_cases",
    _metadata,
    sa.Column("id", Key, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("events_len", sa.Integer, nullable=False),
    sa.Column("status", Key, nullable=False),
    sa.Column("channel", Key, nullable=False),
    sa.Column("product", Key),
    sa.Column("received_us", sa.BigInteger, nullable=False),
    sa.Column("fault_id", Key),
    sa.Column("cluster_id", Key),
    sa.Column("body", sa.Text, nullable=False),
    sa.Index("faultkit_feedback_received", "received_us", "id"),
    sa.Index("faultkit_feedback_status", "status", "received_us", "id"),
    sa.Index("faultkit_feedback_channel", "channel", "received_us", "id"),
    sa.Index("faultkit_feedback_product", "product", "received_us", "id"),
    sa.Index("faultkit_feedback_fault", "fault_id", "received_us", "id"),
    sa.Index("faultkit_feedback_cluster", "cluster_id", "received_us", "id"),
)
"""The feedback cases, with their indexed values."""

_c = feedback_cases_table

# The records table of schema 2, as far as the upgrade reads it.
_records = sa.table("faultkit_records", sa.column("kind"), sa.column("key"), sa.column("body"))


def create_feedback_cases(conn: Connection) -> None:
    """Create the feedback cases table and its indexes."""
    _metadata.create_all(conn)


def open_stored_feedback(conn: Connection, dumps: Callable[[Any], str]) -> None:
    """Schema 3 -> 4: create the table and open a case (status ``new``) per stored feedback.

    A stored feedback record that cannot be read is left where it is (the feedback
    repository reports it as corrupt); it gets no case.
    """
    create_feedback_cases(conn)
    rows = conn.execute(
        sa.select(_records.c.key, _records.c.body).where(_records.c.kind == FEEDBACK.name)
    ).all()
    for key, body in rows:
        try:
            case = FeedbackCase.open(FEEDBACK.read(json.loads(body)))
        except (ValueError, TypeError, RecursionError):
            continue
        if case.id == key:
            conn.execute(
                sa.insert(_c).values(
                    id=key, version=1, body=dumps(to_dict(case)), **feedback_index(case)
                )
            )


class SqlFeedbackCaseRepository(SqlStreamRepository[FeedbackCase, FeedbackQuery]):
    """The feedback cases of an :class:`~faultkit.adapters.sql.SqlStore`.

    The :class:`~faultkit.adapters.sql_streams.SqlStreamRepository` of
    :data:`~faultkit.storage.cases.FEEDBACK_CASES` on :data:`feedback_cases_table`.

    Args:
        access: the store's transactions and codec.
    """

    def __init__(self, access: SqlAccess) -> None:
        super().__init__(
            FEEDBACK_CASES,
            feedback_cases_table,
            access,
        )
