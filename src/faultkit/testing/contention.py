"""Processes racing read-change-save on one fault, through `faultkit.storage.update_with_retry`.

Each update is an increment: it counts the fault's ``bump`` work notes, adds the next
one (an event) and saves with the version it read. If two saves ever succeeded from the
same read, one increment would be lost: the final counter would be short and two saves
would report the same new version. :func:`run_contention` checks neither happens and
returns how many attempts each update took.

Used by ``tests/test_storage_retry.py`` (a small count, on SQLite and PostgreSQL) and by
``benchmarks/bench_storage_contention.py`` (4 processes x 2,500 updates).
"""

from __future__ import annotations

import collections
import multiprocessing
import random
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from typing import Any

import attrs

from faultkit.errors import StorageConflictError
from faultkit.lifecycle.fault import Fault
from faultkit.models import Person
from faultkit.storage.retry import DEFAULT_RETRY, RetryPolicy, update_with_retry

__all__ = ["ContentionResult", "bump", "counter", "run_contention"]

_PREFIX = "restart, round "
_AT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
_BUMPER = Person(id="bumper", name="Bumper")


def counter(fault: Fault) -> int:
    """The counter :func:`bump` keeps in the fault: its work notes that say ``bump``."""
    return sum(1 for note in fault.comments if note.text.startswith(_PREFIX))


def bump(fault: Fault) -> None:
    """Add one to the fault's counter, in place (a work note, one event)."""
    at = max(_AT, fault.last_event_at)
    fault.comment(f"{_PREFIX}{counter(fault) + 1}", actor=_BUMPER, at=at, work_note=True)


@attrs.frozen(kw_only=True)
class ContentionResult:
    """What the racing processes did.

    Attributes:
        updates: updates saved, all processes together.
        gave_up: updates whose retries were spent (not saved).
        final_counter: the counter read back at the end (equal to ``updates``: none lost).
        attempts: how many updates took each number of attempts (``{1: 9000, 2: 700...}``).
        versions_unique: every save returned a version no other save returned.
    """

    updates: int
    gave_up: int
    final_counter: int
    attempts: dict[int, int]
    versions_unique: bool

    @property
    def lost(self) -> int:
        """Updates saved whose increment is not in the final counter."""
        return self.updates - self.final_counter

    @property
    def max_attempts(self) -> int:
        """The most attempts one update took."""
        return max(self.attempts, default=0)


def _work(
    url: str,
    fault_id: str,
    updates: int,
    seed: int,
    policy: RetryPolicy,
    locked: bool,
    start: Any,
) -> tuple[list[tuple[int, int]], int]:
    from faultkit.adapters.sql import SqlStore  # the sql extra is needed only here

    rng = random.Random(seed)
    done: list[tuple[int, int]] = []
    with SqlStore(url) as store:
        store.faults.get(fault_id)  # connected and warm
        start.wait()  # every process begins together: they race from the first update
        gave_up = 0
        for _ in range(updates):
            try:
                saved = update_with_retry(
                    store.faults,
                    fault_id,
                    bump,
                    policy=policy,
                    rng=rng,
                    lock=store.key_lock if locked else None,
                )
            except StorageConflictError:
                gave_up += 1
                continue
            done.append((saved.version, saved.attempts))
    return done, gave_up


def run_contention(
    url: str,
    fault_id: str,
    *,
    processes: int = 4,
    updates: int = 2_500,
    seed: int = 0,
    policy: RetryPolicy = DEFAULT_RETRY,
    locked: bool = False,
) -> ContentionResult:
    """``processes`` processes each make ``updates`` updates of the stored fault ``fault_id``.

    The fault must be stored, with a counter of 0. An update whose retries are spent
    (``policy``) is counted in ``gave_up`` and the worker goes on with the next. With
    ``locked``, each round holds the store's ``key_lock`` (a row-level wait on
    PostgreSQL instead of conflicts).
    """
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(processes, mp_context=context) as pool:
        start = manager.Barrier(processes)
        futures = [
            pool.submit(_work, url, fault_id, updates, seed + worker, policy, locked, start)
            for worker in range(processes)
        ]
        results = [future.result() for future in futures]
    done = [item for saved, _ in results for item in saved]
    from faultkit.adapters.sql import SqlStore

    with SqlStore(url) as store:
        final = counter(store.faults.get(fault_id).item)
    versions = [version for version, _ in done]
    return ContentionResult(
        updates=len(done),
        gave_up=sum(gave_up for _, gave_up in results),
        final_counter=final,
        attempts=dict(sorted(collections.Counter(attempts for _, attempts in done).items())),
        versions_unique=len(set(versions)) == len(versions),
    )
