"""What the batch readers work out per distinct text, kept from one batch to the next.

:class:`ScoreMemo` serves the columnar scorer (:func:`faultkit.batch.score_table`) and
the event-log reader (:mod:`faultkit.batch.logread`); it lives apart from both so that
``check-log`` does not import the scorer.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

import attrs

from faultkit.adapters.exports.tabular import RowError

__all__ = ["ScoreMemo"]


_T = TypeVar("_T")


class ScoreMemo:
    """What :func:`score_table` worked out per text, kept from one batch to the next.

    A file read in batches meets the same opened-at and resolved-at texts in every
    batch; with a memo each is parsed (and its SLA due time computed) once per file
    instead of once per batch. It belongs to one :class:`~faultkit.adapters.exports.Scorer`
    (results depend on its dates and SLA policy). Memory is bounded: when ``limit``
    results are kept, they are all forgotten and the memo starts again. A refusal is
    kept as its column, value and reason and raised again as a fresh
    :class:`~faultkit.adapters.exports.RowError`.

    >>> memo = ScoreMemo(limit=2)
    >>> memo.recall(("due", "x"), lambda: 1), memo.recall(("due", "x"), lambda: 2)
    (1, 1)
    """

    __slots__ = ("_seen", "limit")

    def __init__(self, *, limit: int = 65_536) -> None:
        self.limit = limit
        self._seen: dict[Hashable, Any] = {}

    def recall(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """``compute()``'s result for ``key``, computed the first time only.

        Raises:
            RowError: what ``compute()`` raised for ``key`` (a fresh copy each time).
        """
        found = self._seen.get(key, _MISSING)
        if found is _MISSING:
            try:
                found = compute()
            except RowError as error:
                found = _Refused(error.column, error.value, error.reason)
            if len(self._seen) >= self.limit:
                self._seen.clear()
            self._seen[key] = found
        if isinstance(found, _Refused):
            raise RowError(found.column, found.value, found.reason)
        return cast(_T, found)


@attrs.frozen
class _Refused:
    column: str
    value: str
    reason: str


_MISSING = object()
