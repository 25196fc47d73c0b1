"""Optimistic concurrency on SQL rows: the version checks the ``SqlStore`` repositories share.

A record row holds its ``version`` first (column 0 of the statements passed here). A
save reads the row under the write lock and refuses it unless the stored version is the
one the caller read; an add that hits the primary key reports the version already
stored. Used by the record, feedback-case and problem repositories.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy.engine import Connection

from faultkit.errors import RecordNotFoundError, StorageConflictError

__all__ = ["checked_row", "conflict_on_add"]


def checked_row(
    conn: Connection, locked: Any, params: dict[str, Any], key: str, expected_version: int
) -> Sequence[Any]:
    """The row ``locked`` selects (version first), checked to be at ``expected_version``.

    Raises:
        RecordNotFoundError: no row has ``key``.
        StorageConflictError: the stored version is not ``expected_version``.
    """
    row = conn.execute(locked, params).first()
    if row is None:
        raise RecordNotFoundError(key)
    if int(row[0]) != expected_version:
        raise StorageConflictError(key, expected_version, int(row[0]))
    return row


def conflict_on_add(
    read: Callable[[], AbstractContextManager[Connection]],
    get: Any,
    params: dict[str, Any],
    key: str,
) -> StorageConflictError:
    """The conflict of adding ``key`` when the insert hit an existing row.

    The stored version is read again (``get`` selects the version first); 0 when the
    row has gone since.
    """
    with read() as conn:
        found = conn.execute(get, params).first()
    return StorageConflictError(key, 0, 0 if found is None else int(found[0]))
