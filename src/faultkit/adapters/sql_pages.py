"""Paged queries on SQL tables: the one helper the paging repositories of ``SqlStore`` share.

A :class:`PageQuery` reads ``(key, version, body)`` rows of one table, filtered by
``IN`` lists on indexed columns (or on a table of links: the rows with a link to one
of the values) and by bounds on integer columns, ordered by an integer
column (a time in microseconds) and then the key, after the position a cursor names:
keyset pagination, so a page never skips nor repeats a row whatever is written between
two pages. Each shape of query (which filters, how many values in each, which bounds,
a cursor or not) is built once, with the values as bound parameters, and kept.

Used by :class:`~faultkit.adapters.sql.SqlFaultRepository` (ordered by report time) and
:class:`~faultkit.adapters.sql_streams.SqlStreamRepository` (feedback cases by receipt
time, problems by opening time).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from typing import Any, Literal, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from faultkit.storage.records import Page, Versioned, decode_cursor, page_of

__all__ = ["Key", "PageQuery"]

T = TypeVar("T")

Key = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
"""The column type of keys and indexed text: sorted by code point on every database
(PostgreSQL's ``"C"`` collation, SQLite's ``BINARY``), so pages come in the same order."""

_Shape = tuple[tuple[tuple[str, int], ...], tuple[str, ...], bool]


class PageQuery:
    """Paged, filtered reads of one table's ``(key, version, body)`` rows.

    Args:
        key: the key column (unique; the second sort key).
        version: the version column.
        body: the stored body column.
        order: the integer column pages are ordered by first.
        filters: name -> column, for ``IN`` filters.
        links: name -> (value column, owner column) of a table of links: the filter
            keeps the rows whose key is the owner of a link to one of the values.
        bounds: name -> (column, ``">="`` or ``"<"``), for bounds on integer columns.
    """

    def __init__(
        self,
        *,
        key: sa.Column[Any],
        version: sa.Column[Any],
        body: sa.Column[Any],
        order: sa.Column[Any],
        filters: Mapping[str, sa.Column[Any]],
        links: Mapping[str, tuple[sa.Column[Any], sa.Column[Any]]] | None = None,
        bounds: Mapping[str, tuple[sa.Column[Any], Literal[">=", "<"]]],
    ) -> None:
        self._columns = (key, version, body, order)
        self._filters = dict(filters)
        self._links = dict(links or {})
        self._bounds = dict(bounds)
        self._statements: dict[_Shape, sa.Select[Any]] = {}

    def page(
        self,
        read: Callable[[], AbstractContextManager[Connection]],
        load: Callable[[str, Any], T],
        *,
        filters: Mapping[str, Iterable[Any] | None],
        bounds: Mapping[str, int | None],
        limit: int,
        cursor: str | None,
    ) -> Page[Versioned[T]]:
        """The page of up to ``limit`` rows after ``cursor``, each read with ``load(key, body)``.

        Args:
            read: opens a read (the store's).
            load: reads one stored body; a ``CorruptRecordError`` puts the row in the
                page's ``corrupt`` list instead.
            filters: name -> the values the column must be one of (``None``: no
                filter; empty: nothing matches). Values must be what the column holds.
            bounds: name -> the bound (``None``: no bound).
            limit: the page size (checked by the caller).
            cursor: a page's ``next_cursor``, or ``None`` for the first page.

        Raises:
            InvalidInputError: ``cursor`` was not made by this kind of query.
        """
        params: dict[str, Any] = {"limit": limit + 1}
        sizes: list[tuple[str, int]] = []
        for name, values in filters.items():
            if values is not None:
                chosen = sorted(values)
                sizes.append((name, len(chosen)))
                for index, value in enumerate(chosen):
                    params[f"{name}_{index}"] = value
        named = tuple(name for name, bound in bounds.items() if bound is not None)
        for name in named:
            params[name] = bounds[name]
        if cursor is not None:
            params["after_order"], params["after_key"] = decode_cursor(cursor, (int, str))
        shape = (tuple(sizes), named, cursor is not None)
        statement = self._statements.get(shape)
        if statement is None:
            statement = self._statements[shape] = self._statement(shape)
        with read() as conn:
            rows = conn.execute(statement, params).all()
        return page_of(
            rows,
            limit,
            lambda row: Versioned(load(row[0], row[2]), int(row[1])),
            lambda row: (int(row[3]), row[0]),
        )

    def _statement(self, shape: _Shape) -> sa.Select[Any]:
        """The statement for one shape; values go in as parameters (``states_0``...)."""
        sizes, named, after = shape
        key, _version, _body, order = self._columns
        statement = sa.select(*self._columns)
        for name, size in sizes:
            if size == 0:
                statement = statement.where(sa.false())
            else:
                values: list[Any] = [sa.bindparam(f"{name}_{index}") for index in range(size)]
                if name in self._links:
                    value, owner = self._links[name]
                    statement = statement.where(key.in_(sa.select(owner).where(value.in_(values))))
                else:
                    statement = statement.where(self._filters[name].in_(values))
        for name in named:
            column, op = self._bounds[name]
            bound: Any = sa.bindparam(name)
            statement = statement.where(column >= bound if op == ">=" else column < bound)
        if after:
            statement = statement.where(
                sa.tuple_(order, key)
                > sa.tuple_(sa.bindparam("after_order"), sa.bindparam("after_key"))
            )
        return statement.order_by(order, key).limit(sa.bindparam("limit"))
