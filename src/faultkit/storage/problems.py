"""Problem records in a store: the query, the indexed values, and the in-memory repository.

A problem is stored like a feedback case: its record and its event stream as JSON-ready
data, versioned (optimistic concurrency on the version), append-only (a save whose
events do not begin with the stored ones, or whose record differs, is refused), beside
the values its queries read: status, product, component, opening time, and the linked
fault ids and error codes (many per problem). Keys, filter values and cursors a
database could not index are :class:`~faultkit.errors.InvalidInputError` before any
database sees them (:func:`~faultkit.storage.records.check_key`,
:func:`~faultkit.storage.records.decode_cursor`).
"""

from __future__ import annotations

import threading
from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError, RecordNotFoundError, StorageConflictError
from faultkit.problems import Problem, ProblemStatus, normalise_error_code
from faultkit.serialization import from_dict, to_dict
from faultkit.storage.records import (
    DEFAULT_PAGE_SIZE,
    Page,
    Versioned,
    check_key,
    check_limit,
    check_no_nul,
    check_version,
    decode_cursor,
    micros,
    page_of,
    read_stored,
)

__all__ = [
    "MemoryProblemRepository",
    "ProblemQuery",
    "check_problem_extends",
    "check_problem_query",
    "problem_index",
]


def _str_set(value: Any) -> Any:
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(value)
    return value


def _statuses(value: Any) -> Any:
    value = _str_set(value)
    if isinstance(value, frozenset):
        try:
            return frozenset(ProblemStatus(item) for item in value)
        except ValueError:
            return value  # the validator names the bad member
    return value


def _codes(value: Any) -> Any:
    value = _str_set(value)
    if isinstance(value, frozenset) and all(type(item) is str for item in value):
        return frozenset(normalise_error_code(item) for item in value)
    return value


def _set_of(check: Any) -> Any:
    def validate(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if not isinstance(value, frozenset):
            raise InvalidInputError(attribute.name, value, "expected a set of values or None")
        for item in value:
            check(inst, attribute, item)
            if isinstance(item, str):
                check_no_nul(attribute.name, item)

    return validate


@attrs.frozen(kw_only=True)
class ProblemQuery:
    """Which problems to read: every filter given must match (``None``: any value).

    Results come ordered by opening time, then id. A single string is taken as a set
    of one (``statuses="known_error"``).

    Attributes:
        statuses: the statuses to include.
        products: the products to include.
        components: the components to include (problems without one never match).
        fault_ids: problems linked to any of these faults.
        error_codes: problems showing any of these codes (normalised here).
    """

    statuses: frozenset[ProblemStatus] | None = attrs.field(
        default=None, converter=_statuses, validator=_set_of(v.member_of(ProblemStatus))
    )
    products: frozenset[str] | None = attrs.field(
        default=None, converter=_str_set, validator=_set_of(v.non_empty_str)
    )
    components: frozenset[str] | None = attrs.field(
        default=None, converter=_str_set, validator=_set_of(v.non_empty_str)
    )
    fault_ids: frozenset[str] | None = attrs.field(
        default=None, converter=_str_set, validator=_set_of(v.non_empty_str)
    )
    error_codes: frozenset[str] | None = attrs.field(
        default=None, converter=_codes, validator=_set_of(v.non_empty_str)
    )

    def matches(self, problem: Problem) -> bool:
        """Whether ``problem`` passes every filter of this query."""
        return _matches(self, problem_index(problem))


def _matches(query: ProblemQuery, index: dict[str, Any]) -> bool:
    for allowed, value in (
        (query.statuses, index["status"]),
        (query.products, index["product"]),
        (query.components, index["component"]),
    ):
        if allowed is not None and value not in allowed:
            return False
    if query.fault_ids is not None and query.fault_ids.isdisjoint(index["fault_ids"]):
        return False
    return query.error_codes is None or not query.error_codes.isdisjoint(index["error_codes"])


def check_problem_query(query: Any) -> ProblemQuery:
    """``query``, or an empty query for ``None``."""
    if query is None:
        return ProblemQuery()
    if not isinstance(query, ProblemQuery):
        raise InvalidInputError("query", query, "expected a ProblemQuery or None")
    return query


def problem_index(problem: Any) -> dict[str, Any]:
    """What a store keeps of a problem beside its body, for queries and checks.

    ``events_len``, ``status``, ``product``, ``component``, ``opened_us``, and the
    tuples ``fault_ids`` and ``error_codes``; text a database could not index is
    refused (naming the field and the value).
    """
    if not isinstance(problem, Problem):
        raise InvalidInputError("problem", problem, "expected a Problem")
    check_key("problem.id", problem.id)
    check_no_nul("problem.product", problem.product)
    check_no_nul("problem.component", problem.component)
    for i, fault_id in enumerate(problem.linked_faults):
        check_no_nul(f"problem.linked_faults[{i}]", fault_id)
    for i, code in enumerate(problem.error_codes):
        check_no_nul(f"problem.error_codes[{i}]", code)
    return {
        "events_len": len(problem.events),
        "status": problem.status.value,
        "product": problem.product,
        "component": problem.component,
        "opened_us": micros(problem.record.opened_at),
        "fault_ids": problem.linked_faults,
        "error_codes": problem.error_codes,
    }


def check_problem_extends(key: str, stored: Any, body: dict[str, Any]) -> None:
    """Refuse a problem body that rewrites the stored one's record or events.

    Raises:
        InvalidInputError: the record differs, or the events do not begin with the
            stored events (the field names the first event that differs).
    """
    if not isinstance(stored, dict):
        stored = {}
    if body["record"] != stored.get("record"):
        raise InvalidInputError(
            f"{key}.record", body["record"], "the problem's record is as opened: it does not change"
        )
    old = stored.get("events")
    old = old if isinstance(old, list) else []
    new = body["events"]
    for index, (before, now) in enumerate(zip(old, new, strict=False)):
        if before != now:
            raise InvalidInputError(
                f"{key}.events[{index}]",
                now,
                f"differs from the stored event {index}: a problem's history is never rewritten",
            )
    if len(new) < len(old):
        raise InvalidInputError(
            f"{key}.events",
            len(new),
            f"the stored stream has {len(old)} events and a save only adds events",
        )


def load_problem(key: str, body: Any) -> Problem:
    """The stored problem of ``key`` (:class:`~faultkit.errors.CorruptRecordError` if bad)."""
    return read_stored(key, lambda data: from_dict(data, Problem), body)


@attrs.define(slots=True)
class _Row:
    version: int
    body: dict[str, Any]
    index: dict[str, Any]


class MemoryProblemRepository:
    """The problems of a :class:`~faultkit.storage.MemoryStore` (the reference)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._rows: dict[str, _Row] = {}

    def add(self, problem: Problem) -> int:
        """See :meth:`faultkit.storage.ProblemRepository.add`."""
        row = _Row(version=1, index=problem_index(problem), body=to_dict(problem))
        with self._lock:
            existing = self._rows.get(problem.id)
            if existing is not None:
                raise StorageConflictError(problem.id, 0, existing.version)
            self._rows[problem.id] = row
        return 1

    def get(self, problem_id: str) -> Versioned[Problem]:
        """See :meth:`faultkit.storage.ProblemRepository.get`."""
        check_key("problem_id", problem_id)
        with self._lock:
            row = self._rows.get(problem_id)
        if row is None:
            raise RecordNotFoundError(problem_id)
        return Versioned(load_problem(problem_id, row.body), row.version)

    def save(self, problem: Problem, *, expected_version: int) -> int:
        """See :meth:`faultkit.storage.ProblemRepository.save`."""
        check_version("expected_version", expected_version)
        index = problem_index(problem)
        body = to_dict(problem)
        with self._lock:
            row = self._rows.get(problem.id)
            if row is None:
                raise RecordNotFoundError(problem.id)
            if row.version != expected_version:
                raise StorageConflictError(problem.id, expected_version, row.version)
            check_problem_extends(problem.id, row.body, body)
            self._rows[problem.id] = _Row(version=expected_version + 1, body=body, index=index)
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
        after = None if cursor is None else decode_cursor(cursor, (int, str))
        with self._lock:
            found = [
                ((row.index["opened_us"], key), row)
                for key, row in self._rows.items()
                if _matches(query, row.index)
                and (after is None or (row.index["opened_us"], key) > after)
            ]
        found.sort(key=lambda item: item[0])
        return page_of(
            found,
            limit,
            lambda item: Versioned(load_problem(item[0][1], item[1].body), item[1].version),
            lambda item: item[0],
        )
