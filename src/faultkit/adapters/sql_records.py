"""The record repositories of an SQL store: one table, records of every kind, a row each.

Feedback, clusters, actions, risks, notices, survey responses, maintenance plans,
training records, SLA policies and workflows are each a kind
(:class:`~faultkit.storage.codec.RecordKind`) stored as JSON text in one table, keyed by
kind and key, with the id of the fault a record is linked to as an indexed column. A
save goes through the row's version (:func:`~faultkit.adapters.sql_versions.checked_row`).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from faultkit.adapters.sql_streams import SqlAccess
from faultkit.adapters.sql_versions import checked_row, conflict_on_add
from faultkit.errors import RecordNotFoundError
from faultkit.storage.codec import RecordKind
from faultkit.storage.memory import check_fault_filter, check_record, record_fault
from faultkit.storage.records import (
    DEFAULT_PAGE_SIZE,
    Page,
    Versioned,
    check_key,
    check_limit,
    check_no_nul,
    check_version,
    decode_cursor,
    page_of,
    read_stored,
)

__all__ = ["SqlRecordRepository"]

T = TypeVar("T")


class SqlRecordRepository(Generic[T]):
    """Records of one kind in an :class:`~faultkit.adapters.sql.SqlStore`: one table, a row each.

    Each record is a row of ``table`` (kind, key, version, JSON body, linked fault id),
    saved under its expected version like every stored item.
    """

    def __init__(self, access: SqlAccess, table: sa.Table, kind: RecordKind[T]) -> None:
        self._access = access
        self._table = table
        self._kind = kind
        self._get = sa.select(table.c.version, table.c.body).where(
            table.c.kind == kind.name, table.c.key == sa.bindparam("key")
        )
        self._lock_row = self._get.with_for_update() if access.postgres else self._get

    def add(self, record: T) -> int:
        """See :meth:`faultkit.storage.RecordRepository.add`."""
        table = self._table
        key = check_record(self._kind, record)
        check_no_nul("key", key)
        linked = record_fault(self._kind, record)
        body = self._access.dumps(self._kind.dump(record))
        try:
            with self._access.write() as conn:
                conn.execute(
                    sa.insert(table).values(
                        kind=self._kind.name, key=key, version=1, body=body, fault_id=linked
                    )
                )
        except sa.exc.IntegrityError:
            raise conflict_on_add(self._access.read, self._get, {"key": key}, key) from None
        return 1

    def _load(self, key: str, body: Any) -> T:
        return read_stored(key, self._kind.read, self._access.loads(key, body))

    def get(self, key: str) -> Versioned[T]:
        """See :meth:`faultkit.storage.RecordRepository.get`."""
        check_key("key", key)
        with self._access.read() as conn:
            row = conn.execute(self._get, {"key": key}).first()
        if row is None:
            raise RecordNotFoundError(key)
        return Versioned(self._load(key, row[1]), int(row[0]))

    def save(self, record: T, *, expected_version: int) -> int:
        """See :meth:`faultkit.storage.RecordRepository.save`."""
        table = self._table
        check_version("expected_version", expected_version)
        key = check_record(self._kind, record)
        linked = record_fault(self._kind, record)
        body = self._access.dumps(self._kind.dump(record))
        with self._access.write() as conn:
            checked_row(conn, self._lock_row, {"key": key}, key, expected_version)
            conn.execute(
                sa.update(table)
                .where(table.c.kind == self._kind.name, table.c.key == key)
                .values(version=expected_version + 1, body=body, fault_id=linked)
            )
        return expected_version + 1

    def query(
        self,
        *,
        fault_id: str | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        cursor: str | None = None,
    ) -> Page[Versioned[T]]:
        """See :meth:`faultkit.storage.RecordRepository.query`."""
        table = self._table
        linked = check_fault_filter(fault_id)
        check_limit(limit)
        statement = sa.select(table.c.key, table.c.version, table.c.body).where(
            table.c.kind == self._kind.name
        )
        if linked is not None:
            statement = statement.where(table.c.fault_id == linked)
        if cursor is not None:
            (after,) = decode_cursor(cursor, (str,))
            statement = statement.where(table.c.key > after)
        statement = statement.order_by(table.c.key).limit(limit + 1)
        with self._access.read() as conn:
            rows = conn.execute(statement).all()
        return page_of(
            rows,
            limit,
            lambda row: Versioned(self._load(row[0], row[2]), int(row[1])),
            lambda row: (row[0],),
        )
