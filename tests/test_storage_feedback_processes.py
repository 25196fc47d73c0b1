"""A stored feedback case under concurrent writers and killed ones (SQLite, real processes).

Three processes each add 40 replies to one case through ``update_with_retry``: every
reply is kept, each writer's replies stay in its order, and every version a writer
saved is a prefix of the final history (it only grows). A writer killed with SIGKILL
in the middle of a save, or at a random moment of a loop of saves, leaves the store
readable, with the case as its last committed save and no half-written row.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from faultkit.adapters.sql import SqlStore
from faultkit.feedback import FeedbackCase, ReplySent, SocialFeedback
from faultkit.models import Person
from process_kit import kill_after, kill_in_transaction, python, stalled_writer

T0 = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)
KEY = "fb-1"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

# Each reply is at the later of now and the case's last change: the history's times
# never go back, whichever writer saved last.
_REPLIES = """
import json, sys
from datetime import UTC, datetime
from faultkit import _validators as v
from faultkit.adapters.sql import SqlStore
from faultkit.models import Person
from faultkit.storage import RetryPolicy, update_with_retry

url, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
author = Person(id=worker, name=worker)
policy = RetryPolicy(deadline=120.0)
saved = []
with SqlStore(url) as store:
    print("started", flush=True)
    for n in range(count if count else 10**9):
        def add_reply(case, n=n):
            now = datetime.now(UTC)
            last = case.last_changed_at
            at = now if v.since_epoch(now) > v.since_epoch(last) else last
            return case.reply(author=author, at=at, text_ref=f"{worker}-{n}")
        done = update_with_retry(store.feedback_cases, "fb-1", add_reply, policy=policy)
        saved.append([done.version, [r.text_ref for r in done.item.replies]])
        if not count:
            print(done.version, flush=True)
print(json.dumps(saved))
"""

# Stops inside the transaction of a save, after the row's UPDATE ran, not committed.
_STALL = stalled_writer(
    "Update",
    "faultkit_feedback_cases",
    """
from datetime import timedelta
from faultkit.models import Person
current = store.feedback_cases.get("fb-1")
case = current.item
at = case.last_changed_at + timedelta(minutes=1)
changed = case.reply(author=Person(id="doomed", name="Doomed"), at=at, text_ref="never")
store.feedback_cases.save(changed, expected_version=current.version)
""",
)


def _open_case(url: str) -> None:
    item = SocialFeedback(id=KEY, received_at=T0, text="Router drops wifi", platform="X")
    with SqlStore(url) as store:
        store.feedback_cases.add(FeedbackCase.open(item))


def _check_whole(store: SqlStore) -> FeedbackCase:
    """The case reads back whole: one row, its version one more than its replies."""
    current = store.feedback_cases.get(KEY)  # a half-written body would not load
    case = current.item
    assert all(isinstance(e, ReplySent) for e in case.events)
    assert current.version == 1 + len(case.replies)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT count(*) FROM faultkit_feedback_cases")).scalar_one()
    assert rows == 1
    return case


def test_three_processes_adding_40_replies_each_lose_none(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'feedback.db'}"
    _open_case(url)
    workers = [python(_REPLIES, url, f"w{n}", "40") for n in range(3)]
    saved: dict[str, list[tuple[int, list[str]]]] = {}
    for n, worker in enumerate(workers):
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        lines = out.splitlines()
        assert lines[0] == "started"
        saved[f"w{n}"] = [(version, refs) for version, refs in json.loads(lines[-1])]
    with SqlStore(url) as store:
        case = _check_whole(store)
        final = [r.text_ref for r in case.replies]
        assert len(final) == 120 == len(set(final))  # nothing lost, nothing twice
        for worker in saved:  # each writer's replies in its own order
            assert [ref for ref in final if ref.startswith(f"{worker}-")] == [
                f"{worker}-{n}" for n in range(40)
            ]
        versions = [version for runs in saved.values() for version, _ in runs]
        assert sorted(versions) == list(range(2, 122))  # one save per reply, none shared
        for runs in saved.values():  # every saved history is a prefix of the final one
            for version, refs in runs:
                assert refs == final[: version - 1]
        times = [e.at for e in case.events]
        assert times == sorted(times)


def test_a_writer_killed_inside_a_save_leaves_the_last_committed_case(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'feedback.db'}"
    _open_case(url)
    with SqlStore(url) as store:
        before = store.feedback_cases.get(KEY)
        kill_in_transaction(python(_STALL, url))
        assert store.feedback_cases.get(KEY) == before
        _check_whole(store)
        # The lock died with the writer: another writes at once.
        at = before.item.last_changed_at
        after = before.item.reply(author=Person(id="ben", name="Ben"), at=at, text_ref="next")
        assert store.feedback_cases.save(after, expected_version=before.version) == 2
        assert _check_whole(store).replies[-1].text_ref == "next"


def test_writers_killed_at_random_leave_a_readable_case(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'feedback.db'}"
    _open_case(url)
    version = 1
    for delay in (0.2, 0.45, 0.7):
        out = kill_after(python(_REPLIES, url, f"k{delay}", "0"), delay)  # replies until killed
        announced = [int(line) for line in out.split()]
        last = announced[-1] if announced else version
        with SqlStore(url) as store:
            case = _check_whole(store)
        # Every save it announced is there, and at most one more it had no time to.
        version = 1 + len(case.replies)
        assert last <= version <= last + 1
    assert version > 1  # they did write
