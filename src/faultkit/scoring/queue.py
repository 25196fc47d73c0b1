"""Queue ordering: which open fault to work next.

The sort key, compared left to right (smaller first)::

    key(item, now) = ( priority number,                  1 Critical first
                       seconds left on the SLA,          breached (negative) first;
                                                         no SLA = +infinity, last
                       -age in seconds,                  older first (age = now - opened_at)
                       -affected users,                  more users first (unknown = 0)
                       id )                              ties broken by id, so the order
                                                         is total and deterministic

Priority dominates: a P2 with a breached SLA still waits behind any P1. Within a
priority the SLA clock decides, then age, then reach.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol, TypeVar

import attrs

from faultkit import _validators as v
from faultkit.errors import InvalidInputError
from faultkit.scoring.matrix import Priority

__all__ = [
    "QueueItem",
    "Queueable",
    "order_queue",
    "queue_key",
]

QueueKey = tuple[int, float, float, int, str]


class Queueable(Protocol):
    """What :func:`queue_key` reads from an item; any object with these attributes works."""

    @property
    def id(self) -> str: ...
    @property
    def priority(self) -> int: ...
    @property
    def opened_at(self) -> datetime: ...
    @property
    def sla_due_at(self) -> datetime | None: ...
    @property
    def affected_users(self) -> int | None: ...


def _priority(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return Priority(value)
    return value


@attrs.frozen(kw_only=True)
class QueueItem:
    """A work-queue entry.

    Attributes:
        id: the fault's identifier; not blank.
        priority: its priority (an int 1-5 is accepted).
        opened_at: when it was opened (timezone-aware).
        sla_due_at: when its resolution SLA breaches (timezone-aware), if it has one.
        affected_users: how many users it affects, if known.
    """

    id: str = attrs.field(validator=v.non_empty_str)
    priority: Priority = attrs.field(converter=_priority, validator=v.member_of(Priority))
    opened_at: datetime = attrs.field(validator=v.aware_datetime)
    sla_due_at: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    affected_users: int | None = attrs.field(default=None, validator=v.optional_non_negative_int)


def queue_key(item: Queueable, now: datetime) -> QueueKey:
    """The sort key of ``item`` at ``now``; see the module docstring for its parts.

    Raises:
        InvalidInputError: ``now`` is naive, or the item lacks a part of the key.
    """
    v.check_aware("now", now)
    try:
        due = item.sla_due_at
        left = math.inf if due is None else (due - now).total_seconds()
        age = (now - item.opened_at).total_seconds()
        return (int(item.priority), left, -age, -(item.affected_users or 0), str(item.id))
    except (AttributeError, TypeError) as exc:
        raise InvalidInputError("item", item, f"cannot order it in a queue: {exc}") from None


_Item = TypeVar("_Item", bound=Queueable)


def order_queue(items: Iterable[_Item], now: datetime) -> list[_Item]:
    """``items`` sorted by :func:`queue_key` at ``now``: the first is the one to work next."""
    v.check_aware("now", now)
    return sorted(items, key=lambda item: queue_key(item, now))
