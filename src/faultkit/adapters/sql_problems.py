"""Problem records on SQL: the ``faultkit_problems`` tables and their repository.

Part of :class:`~faultkit.adapters.sql.SqlStore` (schema version 5), which builds the
repository and hands it its transactions; the repository is the store's one append-only
stream repository (:mod:`faultkit.adapters.sql_streams`). Each problem is stored as JSON
text beside the columns its queries read (status, product, component, opening time, each
indexed with the opening time and id that order the pages); the linked faults and the
error codes, many per problem, are rows of ``faultkit_problem_faults`` and
``faultkit_problem_codes``, rewritten in the same transaction as the problem.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from faultkit.adapters.sql_pages import Key
from faultkit.adapters.sql_streams import SqlAccess, SqlLink, SqlStreamRepository
from faultkit.problems import Problem
from faultkit.storage.problems import PROBLEMS, ProblemQuery

__all__ = ["SqlProblemRepository", "create_problems", "problems_table"]

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


class SqlProblemRepository(SqlStreamRepository[Problem, ProblemQuery]):
    """The problems of an :class:`~faultkit.adapters.sql.SqlStore`.

    The :class:`~faultkit.adapters.sql_streams.SqlStreamRepository` of
    :data:`~faultkit.storage.problems.PROBLEMS` on :data:`problems_table`, the linked
    faults and error codes in their tables of links.

    Args:
        access: the store's transactions and codec.
    """

    def __init__(self, access: SqlAccess) -> None:
        super().__init__(
            PROBLEMS,
            problems_table,
            access,
            links={
                "fault_ids": SqlLink(_pf, _pf.c.fault_id, _pf.c.problem_id),
                "error_codes": SqlLink(_pc, _pc.c.code, _pc.c.problem_id),
            },
        )
