"""Append-only event streams: the kinds of aggregate kept so, their one rule, the memory repository.

A feedback case and a problem are each stored as one body (JSON-ready data: a part that
never changes and the stream of its events) beside the values its queries read. Both
follow the same rules, written here once:

- **versions**: an add makes version 1; a save names the version it read
  (``expected_version``) and makes the next one, or fails with
  :class:`~faultkit.errors.StorageConflictError` naming both versions;
- **append-only**: a save may only add events. :func:`check_extends` refuses a stream
  that changes or drops a stored event, naming the first event that differs (the same
  rule guards a fault's stream, see :class:`~faultkit.storage.MemoryFaultRepository`);
  the part that never changes (:attr:`StreamKind.head`) must stay as stored;
- **queries**: every filter given must match; pages come ordered by one time in
  microseconds (:attr:`StreamKind.order`), then the key, with keyset cursors.

What differs from one aggregate to the next is data, a :class:`StreamKind` (the idea of
:class:`~faultkit.storage.RecordKind` with a stream, an index and a query):
:data:`~faultkit.storage.cases.FEEDBACK_CASES` and :data:`~faultkit.storage.problems.PROBLEMS`.
:class:`MemoryStreamRepository` is the reference repository of any kind;
:class:`~faultkit.adapters.sql_streams.SqlStreamRepository` keeps the same kinds on SQL.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

import attrs

from faultkit.errors import (
    MISSING,
    InvalidInputError,
    RecordNotFoundError,
    StorageConflictError,
)
from faultkit.storage.codec import RecordKind
from faultkit.storage.records import (
    DEFAULT_PAGE_SIZE,
    Page,
    Versioned,
    check_key,
    check_limit,
    check_version,
    decode_cursor,
    micros,
    page_of,
    read_stored,
)

__all__ = [
    "MemoryStreamRepository",
    "StreamKind",
    "check_extends",
    "plain",
]

A = TypeVar("A")
Q = TypeVar("Q")

Bound = tuple[str, Literal[">=", "<"]]
"""An index entry and how a query's time bounds it (``">="``: from, ``"<"``: until)."""


def check_extends(
    stored: Sequence[Any], new: Sequence[Any], *, field: str, owner: str, rule: str
) -> None:
    """Refuse a stream (``new``, as data) that does not extend the ``stored`` one.

    A stream is append-only: the stored events must be the first events of the saved
    stream, unchanged. One rule for every stream a store keeps (faults, feedback cases,
    problems).

    Args:
        stored: the stored events, as data.
        new: the events of the save, as data.
        field: the field the events are in (``"events"``, ``"PRB-1.events"``); the
            error names ``<field>[<position>]`` of the first event that differs.
        owner: whose stream it is, for the message (``"fault 'F-1'"``).
        rule: the rule, for the message (``"a fault's history is never rewritten"``).

    Raises:
        InvalidInputError: an event differs (the value is the new event), or the
            stream is shorter (the field names the first missing event).
    """
    for index, (old, now) in enumerate(zip(stored, new, strict=False)):
        if old != now:
            raise InvalidInputError(
                f"{field}[{index}]",
                now,
                f"differs from the stored event {index} of {owner} ({old!r}): {rule}",
            )
    if len(new) < len(stored):
        raise InvalidInputError(
            f"{field}[{len(new)}]",
            MISSING,
            f"missing: the stored stream of {owner} has {len(stored)} events "
            f"and a save only adds events ({rule})",
        )


def plain(value: Any) -> Any:
    """``value`` as an index holds it: an enumeration member's value, a time in microseconds."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return micros(value)
    return value


def _as_stored(body: Any) -> Any:
    return body


@attrs.frozen(kw_only=True)
class StreamKind(RecordKind[A], Generic[A, Q]):
    """A kind of aggregate stored as one append-only stream, with its index and query.

    A :class:`~faultkit.storage.RecordKind` (``name``, ``type``, ``load``, ``key``:
    how the aggregate is written and read back, and its key) and:

    Attributes:
        noun: what one is called in messages (``"problem"``).
        key_field: the name ``get`` checks its key under (``"problem_id"``).
        head: the body's entry that never changes (``"record"``: a save that changes
            it is refused naming ``<key>.<head>``).
        head_reason: why it never changes, for that error.
        rule: the stream's rule, for the error of :func:`check_extends`.
        index: the aggregate -> the values kept beside its body (each checked: a
            value no database could index is :class:`~faultkit.errors.InvalidInputError`).
            A tuple value holds many (a database keeps them in a table of links).
        order: the index entry, a time in microseconds, pages are ordered by (then
            the key).
        check_query: the query argument of ``query`` -> the query (``None``: all).
        filters: the query's attribute -> the index entry it filters (every filter
            given must match: the entry is one of the values, or, for a tuple entry,
            shares one with them).
        bounds: the query's attribute (a time) -> the index entry and the comparison.
        as_stored: a stored body -> the body as today's release writes it (for
            bodies an older release wrote), before the append-only check.
    """

    noun: str = attrs.field(kw_only=True)
    key_field: str = attrs.field(kw_only=True)
    head: str = attrs.field(kw_only=True)
    head_reason: str = attrs.field(kw_only=True)
    rule: str = attrs.field(kw_only=True)
    index: Callable[[Any], dict[str, Any]] = attrs.field(kw_only=True)
    order: str = attrs.field(kw_only=True)
    check_query: Callable[[Any], Q] = attrs.field(kw_only=True)
    filters: Mapping[str, str] = attrs.field(kw_only=True)
    bounds: Mapping[str, Bound] = attrs.field(kw_only=True, factory=dict)
    as_stored: Callable[[Any], Any] = attrs.field(kw_only=True, default=_as_stored)

    def check_extends(self, key: str, stored: Any, body: Mapping[str, Any]) -> None:
        """Refuse ``body`` (a save of ``key``, as data) unless it extends the ``stored`` body.

        Raises:
            InvalidInputError: the head differs (``<key>.<head>``), or the events do
                not begin with the stored events (``<key>.events[<i>]``, the first
                event that differs; see :func:`check_extends`).
        """
        stored = self.as_stored(stored)
        if not isinstance(stored, Mapping):
            stored = {}
        if body[self.head] != stored.get(self.head):
            raise InvalidInputError(f"{key}.{self.head}", body[self.head], self.head_reason)
        old = stored.get("events")
        check_extends(
            old if isinstance(old, list) else [],
            body["events"],
            field=f"{key}.events",
            owner=f"{self.noun} {key!r}",
            rule=self.rule,
        )

    def filter_values(self, query: Q) -> dict[str, frozenset[Any] | None]:
        """The query's filters as plain values (:func:`plain`), ``None`` where not given."""
        out: dict[str, frozenset[Any] | None] = {}
        for name in self.filters:
            values = getattr(query, name)
            out[name] = None if values is None else frozenset(plain(v) for v in values)
        return out

    def bound_values(self, query: Q) -> dict[str, int | None]:
        """The query's time bounds in microseconds, ``None`` where not given."""
        out: dict[str, int | None] = {}
        for name in self.bounds:
            value = getattr(query, name)
            out[name] = None if value is None else micros(value)
        return out

    def matcher(self, query: Q) -> Callable[[Mapping[str, Any]], bool]:
        """Whether an index (see :attr:`index`) passes every filter and bound of ``query``."""
        checks = [
            (self.filters[name], allowed)
            for name, allowed in self.filter_values(query).items()
            if allowed is not None
        ]
        limits = [
            (*self.bounds[name], bound)
            for name, bound in self.bound_values(query).items()
            if bound is not None
        ]

        def matches(index: Mapping[str, Any]) -> bool:
            for entry, allowed in checks:
                value = index[entry]
                if isinstance(value, tuple):
                    if allowed.isdisjoint(value):
                        return False
                elif value not in allowed:
                    return False
            for entry, op, bound in limits:
                at = index[entry]
                if (at < bound) if op == ">=" else (at >= bound):
                    return False
            return True

        return matches

    def matches(self, query: Q, item: A) -> bool:
        """Whether ``item`` passes every filter of ``query`` (as a store would find it)."""
        return self.matcher(query)(self.index(item))


@attrs.define(slots=True)
class _Row:
    version: int
    body: Any
    index: dict[str, Any]


class MemoryStreamRepository(Generic[A, Q]):
    """The aggregates of one :class:`StreamKind` in memory (the reference), thread-safe.

    Reads hand back fresh copies (each read structures the stored data again).
    """

    def __init__(self, kind: StreamKind[A, Q]) -> None:
        self._kind = kind
        self._lock = threading.RLock()
        self._rows: dict[str, _Row] = {}

    def add(self, item: A) -> int:
        """Store a new aggregate at version 1.

        Raises:
            StorageConflictError: one with this key is stored (found: its version).
            InvalidInputError: not of the kind, or a value no index could hold.
        """
        kind = self._kind
        index = kind.index(item)
        key = kind.key(item)
        row = _Row(version=1, body=kind.dump(item), index=index)
        with self._lock:
            existing = self._rows.get(key)
            if existing is not None:
                raise StorageConflictError(key, 0, existing.version)
            self._rows[key] = row
        return 1

    def _load(self, key: str, body: Any) -> A:
        return read_stored(key, self._kind.read, body)

    def get(self, key: str) -> Versioned[A]:
        """The stored aggregate of ``key`` with its version.

        Raises:
            RecordNotFoundError: none has this key.
            CorruptRecordError: the stored data cannot be read back (names the key).
        """
        check_key(self._kind.key_field, key)
        with self._lock:
            row = self._rows.get(key)
        if row is None:
            raise RecordNotFoundError(key)
        return Versioned(self._load(key, row.body), row.version)

    def save(self, item: A, *, expected_version: int) -> int:
        """Store ``item`` over the version read; returns the new version.

        Raises:
            StorageConflictError: the stored version is not ``expected_version``.
            RecordNotFoundError: none has this key.
            InvalidInputError: the save rewrites the stored head or events
                (:meth:`StreamKind.check_extends`); nothing is written.
        """
        check_version("expected_version", expected_version)
        kind = self._kind
        index = kind.index(item)
        key = kind.key(item)
        body = kind.dump(item)
        with self._lock:
            row = self._rows.get(key)
            if row is None:
                raise RecordNotFoundError(key)
            if row.version != expected_version:
                raise StorageConflictError(key, expected_version, row.version)
            kind.check_extends(key, row.body, body)
            self._rows[key] = _Row(version=expected_version + 1, body=body, index=index)
        return expected_version + 1

    def query(
        self,
        query: Q | None = None,
        *,
        limit: int = DEFAULT_PAGE_SIZE,
        cursor: str | None = None,
    ) -> Page[Versioned[A]]:
        """The page of aggregates ``query`` matches after ``cursor``, in the kind's order.

        Raises:
            InvalidInputError: a bad query, limit, or a cursor not made by this query.
        """
        kind = self._kind
        matches = kind.matcher(kind.check_query(query))
        check_limit(limit)
        after = None if cursor is None else decode_cursor(cursor, (int, str))
        order = kind.order
        with self._lock:
            found = [
                ((row.index[order], key), row)
                for key, row in self._rows.items()
                if matches(row.index) and (after is None or (row.index[order], key) > after)
            ]
        found.sort(key=lambda item: item[0])
        return page_of(
            found,
            limit,
            lambda item: Versioned(self._load(item[0][1], item[1].body), item[1].version),
            lambda item: item[0],
        )
