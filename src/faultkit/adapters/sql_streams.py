"""Append-only streams on SQL: the one repository ``SqlStore`` keeps feedback cases and problems in.

Each aggregate of a :class:`~faultkit.storage.streams.StreamKind` is one row of its
table: the key (``id``), the ``version``, the body as JSON text, and one column per
entry of the kind's index (same names). An index entry that holds many values (a tuple,
such as a problem's linked faults) is kept in a table of links instead, rewritten in
the same transaction as the row. The rules are the memory reference's
(:class:`~faultkit.storage.streams.MemoryStreamRepository`): version checks
(:mod:`~faultkit.adapters.sql_versions`), the append-only check
(:meth:`~faultkit.storage.streams.StreamKind.check_extends`), keyset pages
(:class:`~faultkit.adapters.sql_pages.PageQuery`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any, Generic, TypeVar

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from faultkit.adapters.sql_pages import PageQuery
from faultkit.adapters.sql_versions import checked_row, conflict_on_add
from faultkit.errors import RecordNotFoundError
from faultkit.storage.records import (
    DEFAULT_PAGE_SIZE,
    Page,
    Versioned,
    check_key,
    check_limit,
    check_version,
    read_stored,
)
from faultkit.storage.streams import StreamKind

__all__ = ["SqlAccess", "SqlLink", "SqlStreamRepository", "Transaction"]

A = TypeVar("A")
Q = TypeVar("Q")

Transaction = Callable[[], AbstractContextManager[Connection]]
"""Opens a transaction (the store's write or read block)."""


@attrs.frozen(kw_only=True)
class SqlAccess:
    """How a repository of an :class:`~faultkit.adapters.sql.SqlStore` reaches its database.

    Attributes:
        write: opens the store's write transaction.
        read: opens a read.
        dumps: JSON-ready data -> the stored text.
        loads: ``(key, stored text)`` -> the data (``CorruptRecordError`` when it is
            not JSON).
        postgres: lock the row (``SELECT ... FOR UPDATE``) before a save.
    """

    write: Transaction
    read: Transaction
    dumps: Callable[[Any], str]
    loads: Callable[[str, Any], Any]
    postgres: bool


@attrs.frozen
class SqlLink:
    """A table of links: the many values of one index entry, a row each.

    Attributes:
        table: the table.
        value: its column of the values (part of the primary key, indexed first).
        owner: its column of the owning aggregate's key.
    """

    table: sa.Table
    value: sa.Column[Any]
    owner: sa.Column[Any]


class SqlStreamRepository(Generic[A, Q]):
    """The aggregates of one :class:`~faultkit.storage.streams.StreamKind` on SQL.

    Args:
        kind: the kind (index, query, rules).
        table: its table: ``id``, ``version``, ``body`` and a column per index entry.
        access: the store's transactions and codec.
        links: index entry -> its table of links (for entries of many values).
    """

    def __init__(
        self,
        kind: StreamKind[A, Q],
        table: sa.Table,
        access: SqlAccess,
        *,
        links: Mapping[str, SqlLink] | None = None,
    ) -> None:
        self._kind = kind
        self._table = table
        self._links = dict(links or {})
        self._write = access.write
        self._read = access.read
        self._dumps = access.dumps
        self._loads = access.loads
        c = table.c
        self._get = sa.select(c.version, c.body).where(c.id == sa.bindparam("id"))
        self._lock_row = self._get.with_for_update() if access.postgres else self._get
        self._pages = PageQuery(
            key=c.id,
            version=c.version,
            body=c.body,
            order=c[kind.order],
            filters={
                name: c[entry] for name, entry in kind.filters.items() if entry not in self._links
            },
            links={
                name: (self._links[entry].value, self._links[entry].owner)
                for name, entry in kind.filters.items()
                if entry in self._links
            },
            bounds={name: (c[entry], op) for name, (entry, op) in kind.bounds.items()},
        )

    def _columns(self, index: dict[str, Any]) -> dict[str, Any]:
        return {name: value for name, value in index.items() if name not in self._links}

    def _write_links(self, conn: Connection, key: str, index: dict[str, Any]) -> None:
        for entry, link in self._links.items():
            conn.execute(sa.delete(link.table).where(link.owner == key))
            values = index[entry]
            if values:
                conn.execute(
                    sa.insert(link.table),
                    [{link.value.name: value, link.owner.name: key} for value in values],
                )

    def add(self, item: A) -> int:
        """See :meth:`faultkit.storage.streams.MemoryStreamRepository.add`."""
        index = self._kind.index(item)
        key = self._kind.key(item)
        body = self._dumps(self._kind.dump(item))
        try:
            with self._write() as conn:
                conn.execute(
                    sa.insert(self._table).values(
                        id=key, version=1, body=body, **self._columns(index)
                    )
                )
                self._write_links(conn, key, index)
        except sa.exc.IntegrityError:
            raise conflict_on_add(self._read, self._get, {"id": key}, key) from None
        return 1

    def _load(self, key: str, body: Any) -> A:
        return read_stored(key, self._kind.read, self._loads(key, body))

    def get(self, key: str) -> Versioned[A]:
        """See :meth:`faultkit.storage.streams.MemoryStreamRepository.get`."""
        check_key(self._kind.key_field, key)
        with self._read() as conn:
            row = conn.execute(self._get, {"id": key}).first()
        if row is None:
            raise RecordNotFoundError(key)
        return Versioned(self._load(key, row[1]), int(row[0]))

    def save(self, item: A, *, expected_version: int) -> int:
        """See :meth:`faultkit.storage.streams.MemoryStreamRepository.save`."""
        check_version("expected_version", expected_version)
        kind = self._kind
        index = kind.index(item)
        key = kind.key(item)
        body = self._dumps(kind.dump(item))
        with self._write() as conn:
            row = checked_row(conn, self._lock_row, {"id": key}, key, expected_version)
            kind.check_extends(key, self._loads(key, row[1]), json.loads(body))
            conn.execute(
                sa.update(self._table)
                .where(self._table.c.id == key)
                .values(version=expected_version + 1, body=body, **self._columns(index))
            )
            self._write_links(conn, key, index)
        return expected_version + 1

    def query(
        self,
        query: Q | None = None,
        *,
        limit: int = DEFAULT_PAGE_SIZE,
        cursor: str | None = None,
    ) -> Page[Versioned[A]]:
        """See :meth:`faultkit.storage.streams.MemoryStreamRepository.query`."""
        checked = self._kind.check_query(query)
        check_limit(limit)
        return self._pages.page(
            self._read,
            self._load,
            filters=self._kind.filter_values(checked),
            bounds=self._kind.bound_values(checked),
            limit=limit,
            cursor=cursor,
        )
