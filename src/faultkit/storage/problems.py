"""Problems in a store: the query, the indexed values, the stream kind, the memory repository.

A problem is stored like a feedback case, as one append-only stream (see
:mod:`faultkit.storage.streams`): its record and its event stream as JSON-ready data,
versioned (optimistic concurrency on the version), append-only (a save whose events
do not begin with the stored ones, or whose record differs, is refused), beside
the values its queries read: status, product, component, opening time, and the linked
fault ids and error codes (many per problem). Keys, filter values and cursors a
database could not index are :class:`~faultkit.errors.InvalidInputError` before any
database sees them (:func:`~faultkit.storage.records.check_key`,
:func:`~faultkit.storage.records.decode_cursor`).
"""

from __future__ import annotations

from typing import Any

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.problems import Problem, ProblemStatus, normalise_error_code
from faultkit.storage.records import check_key, check_no_nul, micros
from faultkit.storage.streams import MemoryStreamRepository, StreamKind

__all__ = [
    "PROBLEMS",
    "MemoryProblemRepository",
    "ProblemQuery",
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
        """Whether ``problem`` passes every filter of this query (:data:`PROBLEMS`' filters)."""
        return PROBLEMS.matches(self, problem)


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


PROBLEMS: StreamKind[Problem, ProblemQuery] = StreamKind(
    "problem",
    Problem,
    noun="problem",
    key_field="problem_id",
    head="record",
    head_reason="the problem's record is as opened: it does not change",
    rule="a problem's history is never rewritten",
    index=problem_index,
    order="opened_us",
    check_query=check_problem_query,
    filters={
        "statuses": "status",
        "products": "product",
        "components": "component",
        "fault_ids": "fault_ids",
        "error_codes": "error_codes",
    },
)
"""Problems (by id), ordered by opening time; linked faults and error codes are many each."""


class MemoryProblemRepository(MemoryStreamRepository[Problem, ProblemQuery]):
    """The problems of a :class:`~faultkit.storage.MemoryStore` (the reference).

    The :class:`~faultkit.storage.ProblemRepository` of :data:`PROBLEMS`.
    """

    def __init__(self) -> None:
        super().__init__(PROBLEMS)
