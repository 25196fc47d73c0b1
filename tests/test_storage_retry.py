"""faultkit.storage.update_with_retry: read-change-save with jittered backoff; processes racing."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from faultkit.adapters.sql import SqlStore
from faultkit.errors import InvalidInputError, RecordNotFoundError, StorageConflictError
from faultkit.storage import MemoryStore, RetryPolicy, Versioned, update_with_retry
from faultkit.testing.contention import bump, counter, run_contention
from faultkit.testing.rca import actions
from faultkit.testing.storage_contract import sample_fault
from test_storage_sql import db_url  # noqa: F401 - the fixture (SQLite and PostgreSQL)


class Flaky:
    """A repository whose first ``conflicts`` saves conflict (someone saved in between)."""

    def __init__(self, conflicts: int) -> None:
        self.conflicts = conflicts
        self.version = 1
        self.value = 0
        self.reads = 0

    def get(self, key: str, /) -> Versioned[list[int]]:
        self.reads += 1
        return Versioned([self.value], self.version)

    def save(self, item: list[int], /, *, expected_version: int) -> int:
        if self.conflicts:
            self.conflicts -= 1
            self.version += 1  # another writer got there first
            raise StorageConflictError("k", expected_version, self.version)
        assert expected_version == self.version
        self.value = item[0]
        self.version += 1
        return self.version


def _add_one(item: list[int]) -> None:
    item[0] += 1


@given(conflicts=st.integers(0, 40), seed=st.integers(0, 2**32))
def test_retries_until_saved_with_waits_under_the_ceiling(conflicts: int, seed: int) -> None:
    repo = Flaky(conflicts)
    waits: list[float] = []
    policy = RetryPolicy(base_delay=0.001, max_delay=0.02)
    done = update_with_retry(
        repo, "k", _add_one, policy=policy, rng=random.Random(seed), sleep=waits.append
    )
    assert done.attempts == conflicts + 1 == repo.reads
    assert repo.value == 1
    assert done.item == [1]
    assert done.version == repo.version
    assert len(waits) == conflicts
    for attempt, wait in enumerate(waits, start=1):
        assert 0 <= wait <= policy.ceiling(attempt) <= policy.max_delay


@given(st.integers(1, 200))
def test_the_ceiling_doubles_up_to_the_cap(attempt: int) -> None:
    policy = RetryPolicy(base_delay=0.001, max_delay=0.05)
    assert policy.ceiling(attempt) == min(0.05, 0.001 * 2 ** (attempt - 1))
    assert policy.ceiling(attempt) <= policy.ceiling(attempt + 1)


def test_gives_up_after_max_attempts_with_the_last_conflict() -> None:
    repo = Flaky(10)
    with pytest.raises(StorageConflictError) as caught:
        update_with_retry(
            repo, "k", _add_one, policy=RetryPolicy(max_attempts=3), sleep=lambda _: None
        )
    assert repo.reads == 3
    assert repo.value == 0
    assert (caught.value.expected, caught.value.found) == (3, 4)


def test_gives_up_after_the_deadline() -> None:
    repo = Flaky(10)
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += 1.0

    with pytest.raises(StorageConflictError):
        update_with_retry(
            repo,
            "k",
            _add_one,
            policy=RetryPolicy(deadline=2.5),
            sleep=sleep,
            clock=lambda: now[0],
        )
    assert repo.reads == 4  # at 0, 1, 2 and 3 seconds: none started after 2.5


def test_an_error_of_the_change_is_not_retried() -> None:
    repo = Flaky(0)

    def refuse(_item: list[int]) -> None:
        raise InvalidInputError("priority", "high", "expected a priority number from 1 to 5")

    with pytest.raises(InvalidInputError):
        update_with_retry(repo, "k", refuse)
    assert repo.reads == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"max_attempts": 0}, "max_attempts"),
        ({"max_attempts": True}, "max_attempts"),
        ({"base_delay": -1}, "base_delay"),
        ({"max_delay": "1"}, "max_delay"),
        ({"deadline": float("nan")}, "deadline"),
    ],
)
def test_bad_policies_are_refused(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        RetryPolicy(**kwargs)
    assert caught.value.field == field


def test_bad_arguments_are_refused() -> None:
    store = MemoryStore()
    store.faults.add(sample_fault("F-1"))
    with pytest.raises(InvalidInputError, match="policy"):
        update_with_retry(store.faults, "F-1", bump, policy=5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="change"):
        update_with_retry(store.faults, "F-1", 5)  # type: ignore[arg-type]
    with pytest.raises(RecordNotFoundError):
        update_with_retry(store.faults, "F-2", bump)


@given(actions())
def test_a_frozen_record_is_changed_by_returning_it(action: Any) -> None:
    assume(action.id.strip() and "\x00" not in action.id)
    store = MemoryStore()
    store.actions.add(action)
    done = update_with_retry(
        store.actions, action.id, lambda a: attrs.evolve(a, title=a.title + " (reviewed)")
    )
    assert done.attempts == 1
    assert done.version == 2
    assert store.actions.get(action.id) == Versioned(done.item, 2)
    assert done.item.title == action.title + " (reviewed)"


def test_a_fault_is_changed_in_place() -> None:
    store = MemoryStore()
    store.faults.add(sample_fault("F-1"))
    for _ in range(3):
        update_with_retry(store.faults, "F-1", bump)
    assert counter(store.faults.get("F-1").item) == 3


@pytest.mark.parametrize("locked", [False, True], ids=["retries", "key_lock"])
def test_processes_racing_on_one_fault_lose_nothing_and_give_up_nothing(
    db_url: str,  # noqa: F811 - the fixture imported above
    locked: bool,
) -> None:
    """4 processes x 60 updates of one fault (the benchmark runs 4 x 2,500)."""
    with SqlStore(db_url) as store:
        store.faults.add(sample_fault("U-1"))
    result = run_contention(db_url, "U-1", processes=4, updates=60, locked=locked)
    assert result.updates == 240 == result.final_counter
    assert result.lost == 0
    assert result.gave_up == 0
    assert result.versions_unique
    assert sum(result.attempts.values()) == 240
    if locked and db_url.startswith("postgresql"):
        assert result.attempts == {1: 240}  # they waited for the lock: no conflict at all


def test_key_lock_is_held_in_its_block_only(db_url: str) -> None:  # noqa: F811
    """On PostgreSQL a second taker waits while the block runs, and gets it after."""
    with SqlStore(db_url) as store:
        with pytest.raises(InvalidInputError), store.key_lock("a\x00b"):
            pass
        store.faults.add(sample_fault("L-1"))
        postgres = store.engine.dialect.name == "postgresql"
        taken = threading.Event()

        def second_taker() -> None:
            with store.key_lock("L-1"):
                taken.set()

        with store.key_lock("L-1"):
            other = threading.Thread(target=second_taker, daemon=True)
            other.start()
            if postgres:
                assert not taken.wait(0.3)  # it waits for this block
            saved = update_with_retry(store.faults, "L-1", bump)
        other.join(timeout=60)
        assert taken.is_set()
        with pytest.raises(RuntimeError), store.key_lock("L-1"):
            raise RuntimeError("the block failed")
        taken.clear()
        again = threading.Thread(target=second_taker, daemon=True)
        again.start()
        again.join(timeout=60)
        assert taken.is_set()  # released on error too
        assert store.faults.get("L-1").version == saved.version
        with pytest.raises(InvalidInputError, match="lock"):
            update_with_retry(store.faults, "L-1", bump, lock=5)  # type: ignore[arg-type]


_RACE_FOREVER = """
import sys
from faultkit.adapters.sql import SqlStore
from faultkit.testing.contention import run_contention
from faultkit.testing.storage_contract import sample_fault

if __name__ == "__main__":
    url = sys.argv[1]
    with SqlStore(url) as store:
        store.faults.add(sample_fault("U-1"))
    run_contention(url, "U-1", processes=2, updates=1_000_000)
"""


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_contention_workers_leave_with_a_killed_parent(tmp_path: Path) -> None:
    script = tmp_path / "race.py"
    script.write_text(_RACE_FOREVER)
    url = f"sqlite:///{tmp_path / 'race.db'}"
    parent = subprocess.Popen(
        [sys.executable, str(script), url],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        deadline = time.monotonic() + 120
        while _version(url) < 10:  # the workers are racing
            assert parent.poll() is None, "the race ended early"
            assert time.monotonic() < deadline, "the workers never started"
            time.sleep(0.2)
        children = _children(parent.pid)  # the pool's workers, and whatever else it started
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 30
    while alive := {pid for pid in children if _alive(pid)}:
        assert time.monotonic() < deadline, f"processes outlived their parent: {alive}"
        time.sleep(0.2)


def _version(url: str) -> int:
    try:
        with SqlStore(url) as store:
            return store.faults.get("U-1").version
    except Exception:  # not created yet, or created as we look
        return 0
