"""Problem records on SQL: the ``faultkit_problems`` tables and their repository.

Part of :class:`~faultkit.adapters.sql.SqlStore` (schema version 5), which builds the
repository and hands it its transactions. Each problem is stored as JSON text beside
the columns its queries read (status, product, component, opening time, each indexed
with the opening time and id that order the pages); the linked faults and the error
codes, many per problem, are rows of ``faultkit_problem_faults`` and
``faultkit_problem_codes``, rewritten in the same transaction as the problem.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from faultkit.adapters.sql_pages import Key
from faultkit.adapters.sql_versions import checked_row, conflict_on_add
from faultkit.errors import RecordNotFoundError
from faultkit.problems import Problem
from faultkit.serialization import from_dict, to_dict
from faultkit.storage.problems import (
    ProblemQuery,
    check_problem_extends,
    check_problem_query,
    problem_index,
)
from faultkit.storage.records import (
    DEFAULT_PAGE_SIZE,
    Page,
    Versioned,
    check_key,
    check_limit,
    check_version,
    decode_cursor,
    page_of,
    read_stored,
)

__all__ = ["SqlProblemRepository", "create_problems", "problems_table"]

Transaction = Callable[[], AbstractContextManager[Connection]]
"""Opens a transaction (the store's write or read block)."""


_metadata = sa.MetaData()

problems_table = sa.Table(
    "faultkit_problems",
    _metadata,
    sa.Column("id", Key, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("events_len", sa.Integer, nullable=False),
    sa.Column("status", Key, nullable=False),
    sa.Column("product", Key, nullable=False),
    sa.Column("component", Key),
    sa.Column("opened_us", sa.BigInteger, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Index("faultkit_problems_opened", "opened_us", "id"),
    sa.Index("faultkit_problems_status", "status", "opened_us", "id"),
    sa.Index("faultkit_problems_product", "product", "opened_us", "id"),
    sa.Index("faultkit_problems_component", "component", "opened_us", "id"),
)
"""The problems, with their indexed values."""

problem_faults_table = sa.Table(
    "faultkit_problem_faults",
    _metadata,
    sa.Column("fault_id", Key, primary_key=True),
    sa.Column("problem_id", Key, primary_key=True),
)
"""Which faults each problem links (looked up by fault)."""

problem_codes_table = sa.Table(
    "faultkit_problem_codes",
    _metadata,
    sa.Column("code", Key, primary_key=True),
    sa.Column("problem_id", Key, primary_key=True),
)
"""Which error codes each problem shows (looked up by code)."""

_c = problems_table
_pf = problem_faults_table
_pc = problem_codes_table


def create_problems(conn: Connection) -> None:
    """Create the problem tables and their indexes (schema 4 -> 5 adds nothing else)."""
    _metadata.create_all(conn)


_FILTERS = {"statuses": _c.c.status, "products": _c.c.product, "components": _c.c.component}


class SqlProblemRepository:
    """The problems of an :class:`~faultkit.adapters.sql.SqlStore`.

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

    @staticmethod
    def _columns(index: dict[str, Any]) -> dict[str, Any]:
        return {k: val for k, val in index.items() if k not in ("fault_ids", "error_codes")}

    @staticmethod
    def _write_links(conn: Connection, problem_id: str, index: dict[str, Any]) -> None:
        conn.execute(sa.delete(_pf).where(_pf.c.problem_id == problem_id))
        conn.execute(sa.delete(_pc).where(_pc.c.problem_id == problem_id))
        if index["fault_ids"]:
            conn.execute(
                sa.insert(_pf),
                [{"fault_id": f, "problem_id": problem_id} for f in index["fault_ids"]],
            )
        if index["error_codes"]:
            conn.execute(
                sa.insert(_pc),
                [{"code": c, "problem_id": problem_id} for c in index["error_codes"]],
            )

    def add(self, problem: Problem) -> int:
        """See :meth:`faultkit.storage.ProblemRepository.add`."""
        index = problem_index(problem)
        body = self._dumps(to_dict(problem))
        try:
            with self._write() as conn:
                conn.execute(
                    sa.insert(_c).values(
                        id=problem.id, version=1, body=body, **self._columns(index)
                    )
                )
                self._write_links(conn, problem.id, index)
        except sa.exc.IntegrityError:
            raise conflict_on_add(self._read, self._get, {"id": problem.id}, problem.id) from None
        return 1

    def _load(self, key: str, body: Any) -> Problem:
        return read_stored(key, lambda data: from_dict(data, Problem), self._loads(key, body))

    def get(self, problem_id: str) -> Versioned[Problem]:
        """See :meth:`faultkit.storage.ProblemRepository.get`."""
        check_key("problem_id", problem_id)
        with self._read() as conn:
            row = conn.execute(self._get, {"id": problem_id}).first()
        if row is None:
            raise RecordNotFoundError(problem_id)
        return Versioned(self._load(problem_id, row[1]), int(row[0]))

    def save(self, problem: Problem, *, expected_version: int) -> int:
        """See :meth:`faultkit.storage.ProblemRepository.save`."""
        check_version("expected_version", expected_version)
        index = problem_index(problem)
        body = self._dumps(to_dict(problem))
        with self._write() as conn:
            row = checked_row(
                conn, self._lock_row, {"id": problem.id}, problem.id, expected_version
            )
            check_problem_extends(problem.id, self._loads(problem.id, row[1]), json.loads(body))
            conn.execute(
                sa.update(_c)
                .where(_c.c.id == problem.id)
                .values(version=expected_version + 1, body=body, **self._columns(index))
            )
            self._write_links(conn, problem.id, index)
        return expected_version + 1

    def query(
        self,
        query: ProblemQuery | None = None,
        *,
        limit: int = DEFAULT_PAGE_SIZE,
        cursor: str | None = None,
    ) -> Page[Versioned[Problem]]:
        """See :meth:`faultkit.storage.ProblemRepository.query`."""
        query = check_problem_query(query)
        check_limit(limit)
        statement = sa.select(_c.c.id, _c.c.version, _c.c.body, _c.c.opened_us)
        for name, column in _FILTERS.items():
            values = getattr(query, name)
            if values is not None:
                plain = sorted(str.__str__(value) for value in values)
                statement = statement.where(column.in_(plain) if plain else sa.false())
        for values, link, column in (
            (query.fault_ids, _pf, _pf.c.fault_id),
            (query.error_codes, _pc, _pc.c.code),
        ):
            if values is not None:
                linked = sa.select(link.c.problem_id).where(column.in_(sorted(values)))
                statement = statement.where(_c.c.id.in_(linked))
        if cursor is not None:
            after_us, after_id = decode_cursor(cursor, (int, str))
            statement = statement.where(
                sa.tuple_(_c.c.opened_us, _c.c.id) > sa.tuple_(after_us, after_id)
            )
        statement = statement.order_by(_c.c.opened_us, _c.c.id).limit(limit + 1)
        with self._read() as conn:
            rows = conn.execute(statement).all()
        return page_of(
            rows,
            limit,
            lambda row: Versioned(self._load(row[0], row[2]), int(row[1])),
            lambda row: (int(row[3]), row[0]),
        )
