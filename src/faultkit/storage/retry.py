"""Apply a change to a stored item, retrying on conflict with capped, jittered backoff.

Optimistic concurrency makes a writer that lost a race re-read, re-apply its change
and save again. Retrying at once makes the losers collide again; retrying after a
fixed delay makes them collide later. :func:`update_with_retry` waits a random time between
zero and a ceiling that doubles with each conflict up to ``max_delay`` ("full
jitter", as in Brooker, *Exponential Backoff And Jitter*, AWS Architecture Blog,
2015), and gives up only when ``max_attempts`` or the ``deadline`` is spent, so a
writer under heavy contention keeps its turn instead of failing one update in ten.

Attempt ``n`` (1-based) that conflicts is followed by a sleep of
``uniform(0, min(max_delay, base_delay * 2 ** (n - 1)))`` seconds.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Generic, Protocol, TypeVar

import attrs

from faultkit.errors import InvalidInputError, StorageConflictError
from faultkit.storage.records import Versioned

__all__ = ["DEFAULT_RETRY", "RetryPolicy", "Updated", "VersionedRepository", "update_with_retry"]

T = TypeVar("T")


class VersionedRepository(Protocol[T]):
    """What :func:`update_with_retry` needs: ``get`` by key and ``save`` with the version read.

    Every repository of a :class:`~faultkit.storage.Store` is one (``store.faults``,
    ``store.actions``, ...).
    """

    def get(self, key: str, /) -> Versioned[T]:
        """The stored item and its version."""
        ...

    def save(self, item: T, /, *, expected_version: int) -> int:
        """Save ``item`` if the stored version is ``expected_version``; the new version."""
        ...


def _positive_seconds(_inst: object, attribute: attrs.Attribute[float], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 3600:
        raise InvalidInputError(attribute.name, value, "expected seconds from 0 to 3600")


def _attempts(_inst: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInputError(attribute.name, value, "expected at least 1 attempt")


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How :func:`update_with_retry` retries after a :class:`~faultkit.errors.StorageConflictError`.

    Attributes:
        max_attempts: attempts before giving up (the first one included).
        base_delay: the ceiling of the first wait, in seconds.
        max_delay: the largest ceiling, in seconds (the wait is uniform below it).
        deadline: seconds after the first attempt after which no new attempt starts.
    """

    max_attempts: int = attrs.field(default=10_000, validator=_attempts)
    base_delay: float = attrs.field(default=0.001, validator=_positive_seconds)
    max_delay: float = attrs.field(default=0.05, validator=_positive_seconds)
    deadline: float = attrs.field(default=60.0, validator=_positive_seconds)

    def ceiling(self, attempt: int) -> float:
        """The longest wait after conflicting attempt ``attempt`` (1-based)."""
        return min(self.max_delay, self.base_delay * 2.0 ** min(attempt - 1, 60))


DEFAULT_RETRY = RetryPolicy()
"""Up to 10,000 attempts within 60 seconds, waits from 1 ms doubling to a 50 ms ceiling."""


@attrs.frozen
class Updated(Generic[T]):
    """What :func:`update_with_retry` saved.

    Attributes:
        item: the item as saved.
        version: its new version.
        attempts: how many read-change-save rounds it took (1: no conflict).
    """

    item: T
    version: int
    attempts: int


def update_with_retry(
    repository: VersionedRepository[T],
    key: str,
    change: Callable[[T], object],
    *,
    policy: RetryPolicy = DEFAULT_RETRY,
    rng: random.Random | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    lock: Callable[[str], AbstractContextManager[object]] | None = None,
) -> Updated[T]:
    """Read the item under ``key``, apply ``change``, save it; on a conflict, wait and redo.

    ``change`` gets a fresh copy each round and either changes it in place (a
    :class:`~faultkit.lifecycle.Fault`, through its commands; what it returns then,
    ``None`` or the event, is ignored), or returns the new record, an instance of the
    item's type (frozen records: ``lambda a: attrs.evolve(a, status=...)``). It must only
    depend on what it is given: it runs again on every retry. An exception it raises
    (a refused transition, bad input) is not retried and reaches the caller as is.

    Args:
        repository: any repository with ``get`` and ``save(expected_version=)``.
        key: the item's key (a fault id, an action id...).
        change: the change to apply.
        policy: attempts, backoff and deadline.
        rng: the source of the jitter (seed it for reproducible runs).
        sleep: how to wait (tests pass a fake).
        clock: monotonic seconds, for the deadline.
        lock: a lock by key held around each read-change-save round (an
            :class:`~faultkit.adapters.sql.SqlStore`'s ``key_lock``): writers that all
            take it wait for each other instead of conflicting. Writers that do not
            can still conflict; the retries cover them.

    Raises:
        StorageConflictError: the last conflict, when the attempts or the deadline
            are spent.
        RecordNotFoundError: no item has this key.
        InvalidInputError: ``policy`` or ``change`` is not what is expected.
    """
    if not isinstance(policy, RetryPolicy):
        raise InvalidInputError("policy", policy, "expected a RetryPolicy")
    if lock is not None and not callable(lock):
        raise InvalidInputError("lock", lock, "expected a function of the key giving a lock")
    if not callable(change):
        raise InvalidInputError("change", change, "expected a function of the item")
    jitter = rng if rng is not None else random.Random()
    started = clock()
    attempt = 0
    while True:
        attempt += 1
        try:
            with nullcontext() if lock is None else lock(key):
                current = repository.get(key)
                changed = change(current.item)
                # A record of the item's type is the new record; anything else (None, the
                # event a fault's command returns) means the item was changed in place.
                item = changed if isinstance(changed, type(current.item)) else current.item
                version = repository.save(item, expected_version=current.version)
        except StorageConflictError:
            if attempt >= policy.max_attempts or clock() - started >= policy.deadline:
                raise
            sleep(jitter.uniform(0.0, policy.ceiling(attempt)))
            continue
        return Updated(item, version, attempt)
