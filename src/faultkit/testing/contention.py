"""Processes racing read-change-save on one fault, through `faultkit.storage.update_with_retry`.

Each update is an increment: it counts the fault's ``bump`` work notes, adds the next
one (an event) and saves with the version it read. If two saves ever succeeded from the
same read, one increment would be lost: the final counter would be short and two saves
would report the same new version. :func:`run_contention` checks neither happens and
returns how many attempts each update took.

The workers leave with their parent: each watches its parent's pid and exits when the
parent is gone (a benchmark killed mid-run leaves no process racing on for hours), and
they start together on a barrier given at their start, not through a manager process
that would outlive them.

Used by ``tests/test_storage_retry.py`` (a small count, on SQLite and PostgreSQL) and by
``benchmarks/bench_storage_contention.py`` (4 processes x 2,500 updates).
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import random
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from typing import Any

import attrs

from faultkit.errors import StorageConflictError
from faultkit.lifecycle.events import Comment
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


def _last_round(fault: Fault) -> int:
    """The round the fault's last ``bump`` note says (0 before the first).

    Read from the end of the stream, so an update does not grow with the fault; the
    final :func:`counter` counts every note, so a lost update is still seen.
    """
    for event in reversed(fault.events):
        if type(event) is Comment and event.text.startswith(_PREFIX):
            return int(event.text[len(_PREFIX) :])
    return 0


def bump(fault: Fault) -> None:
    """Add one to the fault's counter, in place (a work note, one event)."""
    at = max(_AT, fault.last_event_at)
    fault.comment(f"{_PREFIX}{_last_round(fault) + 1}", actor=_BUMPER, at=at, work_note=True)


@attrs.frozen(kw_only=True)
class ContentionResult:
    """What the racing processes did.

    Attributes:
        updates: updates saved, all processes together.
        gave_up: updates whose retries were spent (not saved).
        final_counter: the counter read back at the end (equal to ``updates``: none lost).
        attempts: how many updates took each number of attempts (``{1: 9000, 2: 700...}``).
        versions_unique: every save returned a version no other save returned.
        cpu_seconds: the CPU time (user and system) the racing processes spent on
            their updates, all together.
    """

    updates: int
    gave_up: int
    final_counter: int
    attempts: dict[int, int]
    versions_unique: bool
    cpu_seconds: float = 0.0

    @property
    def lost(self) -> int:
        """Updates saved whose increment is not in the final counter."""
        return self.updates - self.final_counter

    @property
    def max_attempts(self) -> int:
        """The most attempts one update took."""
        return max(self.attempts, default=0)


_WATCH_SECONDS = 0.5
_start: Any = None  # the workers' barrier, set in each worker by _begin


def _begin(start: Any, parent: int) -> None:
    """A worker's initializer: keep the barrier, exit when ``parent`` is gone."""
    global _start
    _start = start

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_WATCH_SECONDS)
        os._exit(1)  # nobody is left to report to

    threading.Thread(target=watch, name="faultkit-parent-watch", daemon=True).start()


def _work(
    url: str,
    fault_id: str,
    updates: int,
    seed: int,
    policy: RetryPolicy,
    locked: bool,
    progress: int,
) -> tuple[list[tuple[int, int]], int, float]:
    from faultkit.adapters.sql import SqlStore  # the sql extra is needed only here

    rng = random.Random(seed)
    done: list[tuple[int, int]] = []
    with SqlStore(url) as store:
        store.faults.get(fault_id)  # connected and warm
        _start.wait()  # every process begins together: they race from the first update
        began, cpu = time.perf_counter(), time.process_time()
        gave_up = 0
        for count in range(updates):
            if progress and count and count % progress == 0:
                print(
                    f"    worker 0: {count}/{updates} updates, "
                    f"{time.perf_counter() - began:.0f} s wall, "
                    f"{time.process_time() - cpu:.0f} s CPU",
                    flush=True,
                )
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
        cpu = time.process_time() - cpu
    return done, gave_up, cpu


def run_contention(
    url: str,
    fault_id: str,
    *,
    processes: int = 4,
    updates: int = 2_500,
    seed: int = 0,
    policy: RetryPolicy = DEFAULT_RETRY,
    locked: bool = False,
    progress: int = 0,
) -> ContentionResult:
    """``processes`` processes each make ``updates`` updates of the stored fault ``fault_id``.

    The fault must be stored, with a counter of 0. An update whose retries are spent
    (``policy``) is counted in ``gave_up`` and the worker goes on with the next. With
    ``locked``, each round holds the store's ``key_lock`` (a row-level wait on
    PostgreSQL instead of conflicts). With ``progress``, the first worker prints a
    line every ``progress`` updates (its count, wall and CPU seconds).
    """
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(processes)
    with ProcessPoolExecutor(
        processes, mp_context=context, initializer=_begin, initargs=(start, os.getpid())
    ) as pool:
        futures = [
            pool.submit(
                _work,
                url,
                fault_id,
                updates,
                seed + worker,
                policy,
                locked,
                progress if worker == 0 else 0,
            )
            for worker in range(processes)
        ]
        results = [future.result() for future in futures]
    done = [item for saved, _, _ in results for item in saved]
    from faultkit.adapters.sql import SqlStore

    with SqlStore(url) as store:
        final = counter(store.faults.get(fault_id).item)
    versions = [version for version, _ in done]
    return ContentionResult(
        updates=len(done),
        gave_up=sum(gave_up for _, gave_up, _ in results),
        final_counter=final,
        attempts=dict(sorted(collections.Counter(attempts for _, attempts in done).items())),
        versions_unique=len(set(versions)) == len(versions),
        cpu_seconds=sum(cpu for _, _, cpu in results),
    )
