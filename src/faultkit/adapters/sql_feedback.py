"""Feedback cases on SQL: the ``faultkit_feedback_cases`` table and its repository.

Part of :class:`~faultkit.adapters.sql.SqlStore` (schema version 3), which builds the
repository and hands it its transactions; kept in a module of its own so each file
reads as one part. Each case is stored as JSON text beside the columns its queries
read: status, channel, product, receipt time, fault and cluster, each indexed with the
receipt time and id that order the pages.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from faultkit.adapters.sql_pages import Key, PageQuery
from faultkit.adapters.sql_versions import checked_row, conflict_on_add
from faultkit.errors import RecordNotFoundError
from faultkit.feedback import FeedbackCase
from faultkit.serialization import from_dict, to_dict
from faultkit.storage.memory import (
    FEEDBACK,
    check_case_extends,
    check_feedback_query,
    feedback_index,
)
from faultkit.storage.records import (
    DEFAULT_PAGE_SIZE,
    FeedbackQuery,
    Page,
    Versioned,
    check_key,
    check_limit,
    check_version,
    micros,
    read_stored,
)

__all__ = [
    "SqlFeedbackCaseRepository",
    "create_feedback_cases",
    "feedback_cases_table",
    "open_stored_feedback",
]

Transaction = Callable[[], AbstractContextManager[Connection]]
"""Opens a transaction (the store's write or read block)."""

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


_FILTERS = {
    "statuses": _c.c.status,
    "channels": _c.c.channel,
    "products": _c.c.product,
    "fault_ids": _c.c.fault_id,
    "cluster_ids": _c.c.cluster_id,
}


class SqlFeedbackCaseRepository:
    """The feedback cases of an :class:`~faultkit.adapters.sql.SqlStore`.

    Args:
        write: opens the store's write transaction.
        read: opens a read.
        dumps: JSON-ready data -> the stored text.
        loads: ``(key, stored text)`` -> the data (``CorruptRecordError`` when it is
            not JSON).
        postgres: lock the row (``SELECT ... FOR UPDATE``) before a save.
    """

    def __init__(
        self,
        *,
        write: Transaction,
        read: Transaction,
        dumps: Callable[[Any], str],
        loads: Callable[[str, Any], Any],
        postgres: bool,
    ) -> None:
        self._write = write
        self._read = read
        self._dumps = dumps
        self._loads = loads
        self._get = sa.select(_c.c.version, _c.c.body).where(_c.c.id == sa.bindparam("id"))
        self._lock_row = self._get.with_for_update() if postgres else self._get
        self._pages = PageQuery(
            key=_c.c.id,
            version=_c.c.version,
            body=_c.c.body,
            order=_c.c.received_us,
            filters=_FILTERS,
            bounds={
                "received_from": (_c.c.received_us, ">="),
                "received_until": (_c.c.received_us, "<"),
            },
        )

    def add(self, case: FeedbackCase) -> int:
        """See :meth:`faultkit.storage.FeedbackCaseRepository.add`."""
        index = feedback_index(case)
        body = self._dumps(to_dict(case))
        try:
            with self._write() as conn:
                conn.execute(sa.insert(_c).values(id=case.id, version=1, body=body, **index))
        except sa.exc.IntegrityError:
            raise conflict_on_add(self._read, self._get, {"id": case.id}, case.id) from None
        return 1

    def _load(self, key: str, body: Any) -> FeedbackCase:
        return read_stored(key, lambda data: from_dict(data, FeedbackCase), self._loads(key, body))

    def get(self, feedback_id: str) -> Versioned[FeedbackCase]:
        """See :meth:`faultkit.storage.FeedbackCaseRepository.get`."""
        check_key("feedback_id", feedback_id)
        with self._read() as conn:
            row = conn.execute(self._get, {"id": feedback_id}).first()
        if row is None:
            raise RecordNotFoundError(feedback_id)
        return Versioned(self._load(feedback_id, row[1]), int(row[0]))

    def save(self, case: FeedbackCase, *, expected_version: int) -> int:
        """See :meth:`faultkit.storage.FeedbackCaseRepository.save`."""
        check_version("expected_version", expected_version)
        index = feedback_index(case)
        body = self._dumps(to_dict(case))
        with self._write() as conn:
            row = checked_row(conn, self._lock_row, {"id": case.id}, case.id, expected_version)
            check_case_extends(case.id, self._loads(case.id, row[1]), json.loads(body))
            conn.execute(
                sa.update(_c)
                .where(_c.c.id == case.id)
                .values(version=expected_version + 1, body=body, **index)
            )
        return expected_version + 1

    def query(
        self,
        query: FeedbackQuery | None = None,
        *,
        limit: int = DEFAULT_PAGE_SIZE,
        cursor: str | None = None,
    ) -> Page[Versioned[FeedbackCase]]:
        """See :meth:`faultkit.storage.FeedbackCaseRepository.query`."""
        query = check_feedback_query(query)
        check_limit(limit)
        filters = {name: getattr(query, name) for name in _FILTERS}
        return self._pages.page(
            self._read,
            self._load,
            filters={
                name: None if values is None else [str.__str__(value) for value in values]
                for name, values in filters.items()
            },
            bounds={
                "received_from": None
                if query.received_from is None
                else micros(query.received_from),
                "received_until": None
                if query.received_until is None
                else micros(query.received_until),
            },
            limit=limit,
            cursor=cursor,
        )
