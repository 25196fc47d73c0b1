"""The contract under concurrency: writers racing on the same faults lose no update.

:class:`~faultkit.testing.storage_contract.StorageContract` inherits
:class:`ConcurrencyContract`. :func:`race` and :func:`check_no_lost_update` are public
so that tests of a store across processes (see :mod:`faultkit.testing.contention`) can
check the same invariants.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import ClassVar

from faultkit.errors import (
    StorageConflictError,
)
from faultkit.models import (
    Assignee,
    Person,
)
from faultkit.storage.protocols import Store
from faultkit.testing.storage_data import T0, fresh_fault, with_note
from faultkit.testing.storage_hooks import StoreHooks

__all__ = ["NOTE_EVERY", "ConcurrencyContract", "Success", "check_no_lost_update", "race"]


class ConcurrencyContract(StoreHooks):
    """Threads racing read-change-save on a few faults.

    Attributes:
        concurrency_threads: threads racing in the concurrency test.
        concurrency_operations: store operations over all threads; each
            read-change-save round is two (a ``get`` and a ``save``).
        concurrency_faults: faults they race on.
    """

    concurrency_threads: ClassVar[int] = 8
    concurrency_operations: ClassVar[int] = 10_000
    concurrency_faults: ClassVar[int] = 8

    def test_threads_lose_no_update(self, store: Store) -> None:
        """Threads race read-change-save on a few faults: no update is lost."""
        ids = []
        for _ in range(self.concurrency_faults):
            fault = fresh_fault("race")
            store.faults.add(fault)
            ids.append(fault.id)
        per_thread = self.concurrency_operations // self.concurrency_threads
        results: list[list[Success]] = [[] for _ in range(self.concurrency_threads)]
        errors: list[BaseException] = []

        def work(worker: int) -> None:
            try:
                results[worker] = race(store, ids, worker, per_thread)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [
            threading.Thread(target=work, args=(w,)) for w in range(self.concurrency_threads)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        check_no_lost_update(store, ids, [s for worker in results for s in worker])


Success = tuple[str, int, str, bool]
"""A save that succeeded: fault id, the version it made, its marker, whether it noted."""


def race(store: Store, ids: list[str], worker: int, operations: int) -> list[Success]:
    """Run ``operations`` store operations of read-change-save on faults from ``ids``.

    Each round is two operations: it reads a fault (``get``), sets its assignee to a
    marker unique to the round and, one round in :data:`NOTE_EVERY`, appends a history
    record with the same marker, then saves with the version read (``save``). A
    conflict is dropped (the next round re-reads).

    Returns:
        The successful saves, as :data:`Success` tuples.
    """
    successes: list[Success] = []
    for n in range(operations // 2):
        fault_id = ids[(n * 7 + worker * 3 + n // len(ids)) % len(ids)]
        current = store.faults.get(fault_id)
        marker = f"w{worker}-{n}"
        changed = current.item
        noted = n % NOTE_EVERY == 0
        if noted:
            changed = with_note(changed, actor=f"w{worker}", at=T0, reason=marker)
        changed.assign(
            Assignee(id=marker, name=f"worker {worker}"),
            actor=Person(id=f"w{worker}", name=f"worker {worker}"),
            at=changed.last_event_at,
        )
        try:
            version = store.faults.save(changed, expected_version=current.version)
        except StorageConflictError:
            continue
        successes.append((fault_id, version, marker, noted))
    return successes


NOTE_EVERY = 16
"""One race round in this many also appends a history record."""


def check_no_lost_update(store: Store, ids: list[str], successes: list[Success]) -> None:
    """Check what racing writers left: no lost update, every event exactly once.

    For each fault, the successful saves made the versions 2, 3, ... up to the stored
    one, each exactly once (two saves based on the same version would make the same
    version: one of them would be lost); the stored assignee is the marker of the save
    that made the last version (every other success is superseded by a later one);
    the history holds the marker of every noting success exactly once, and the event
    log holds the history exactly.

    Args:
        store: the store raced on.
        ids: the faults raced on (stored at version 1, with an empty history).
        successes: the successful saves of every writer (see :func:`race`).
    """
    assert successes, "no save succeeded"
    for fault_id in ids:
        final = store.faults.get(fault_id)
        mine = [s for s in successes if s[0] == fault_id]
        versions = sorted(s[1] for s in mine)
        assert versions == list(range(2, final.version + 1)), "a version made twice or lost"
        if mine:
            last = max(mine, key=lambda s: s[1])
            assert final.item.assignee is not None
            assert final.item.assignee.id == last[2]
        notes = [comment.text for comment in final.item.comments]
        assert Counter(notes) == Counter(s[2] for s in mine if s[3])
        events = store.events.for_fault(fault_id)
        assert [e.record for e in events] == list(final.item.events)
        assert [e.seq for e in events] == list(range(len(events)))
