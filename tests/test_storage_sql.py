"""The SQL store on SQLite and on PostgreSQL: the contract, the schema, processes, crashes.

PostgreSQL tests read ``FAULTKIT_TEST_POSTGRES_URL`` (``.ci/postgres.sh`` starts a
server and prints it). Without it they are skipped on a workstation, and fail in CI
(when ``CI`` is set): CI must test PostgreSQL for real.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from faultkit.adapters.sql import SCHEMA_VERSION, SqlStore, create_schema_v1, schema_version
from faultkit.errors import (
    CorruptRecordError,
    InvalidInputError,
    RecordNotFoundError,
    StorageError,
)
from faultkit.feedback import FeedbackCase, HotlineFeedback
from faultkit.lifecycle import Comment, Fault, TransitionRecord
from faultkit.models import Person
from faultkit.problems import Problem
from faultkit.serialization import to_dict
from faultkit.storage import FaultQuery, FeedbackQuery, ProblemQuery, Store
from faultkit.storage.records import micros
from faultkit.testing.storage_contract import (
    StorageContract,
    check_no_lost_update,
    sample_fault,
    with_note,
)
from process_kit import kill_after, kill_in_transaction, python, stalled_writer

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
ANA = Person(id="ana", name="Ana")


def postgres_url() -> str:
    """The test server's URL; skip without one, fail in CI without one."""
    url = os.environ.get("FAULTKIT_TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail("CI is set but FAULTKIT_TEST_POSTGRES_URL is not: run .ci/postgres.sh")
    pytest.skip("FAULTKIT_TEST_POSTGRES_URL is not set (see .ci/postgres.sh)")


def reset_postgres(url: str) -> None:
    """Drop every faultkit table of the test database."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for table in ("faultkit_events", "faultkit_faults", "faultkit_records"):
                conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
            for table in (
                "faultkit_feedback_cases",
                "faultkit_problems",
                "faultkit_problem_faults",
                "faultkit_problem_codes",
            ):
                conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
            conn.execute(sa.text("DROP TABLE IF EXISTS faultkit_schema"))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'faults.db'}"
    url = postgres_url()
    reset_postgres(url)
    return url


def _corrupt(store: Store, statement: Any) -> None:
    assert isinstance(store, SqlStore)
    with store.engine.begin() as conn:
        conn.execute(statement)


class _SqlContract(StorageContract):
    def close_store(self, store: Store) -> None:
        assert isinstance(store, SqlStore)
        store.close()

    def corrupt_fault(self, store: Store, fault_id: str) -> None:
        table = sa.table("faultkit_faults", sa.column("id"), sa.column("body"))
        _corrupt(store, table.update().where(table.c.id == fault_id).values(body="{not json"))

    def corrupt_event(self, store: Store, fault_id: str, seq: int) -> None:
        table = sa.table(
            "faultkit_events", sa.column("fault_id"), sa.column("seq"), sa.column("body")
        )
        body = json.dumps({"from_state": "a", "to_state": "b", "trigger": "t", "actor": ""})
        _corrupt(
            store,
            table.update()
            .where(table.c.fault_id == fault_id, table.c.seq == seq)
            .values(body=body),
        )


class TestSqliteStore(_SqlContract):
    concurrency_operations = 2_000

    @pytest.fixture(autouse=True)
    def _directory(self, tmp_path: Path) -> None:
        self.directory = tmp_path

    def make_store(self) -> Store:
        return SqlStore(f"sqlite:///{self.directory / 'contract.db'}")


class TestPostgresStore(_SqlContract):
    concurrency_operations = 2_000

    def make_store(self) -> Store:
        url = postgres_url()
        reset_postgres(url)
        return SqlStore(url)


# --------------------------------------------------------------------------- schema


def test_a_new_database_gets_the_current_schema(db_url: str) -> None:
    with SqlStore(db_url) as store, store.engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION == 5
    with SqlStore(db_url) as again:  # opening again changes nothing
        assert again.faults.query().items == ()


def test_upgrade_from_the_first_version(db_url: str) -> None:
    report = sample_fault("F-1", component="billing").report
    record = TransitionRecord(
        from_state="recorded", to_state="in_review", trigger="submit", actor="ana", at=T0
    )
    fault = Fault(report=report, state="in_review", events=[record])
    # The body as faultkit wrote it before the fault case: history and facts as fields.
    legacy = {"report": to_dict(report), "state": "in_review", "history": [to_dict(record)]}
    legacy |= {"severity": None, "priority": None, "assignee": None, "containment": None}
    legacy |= {"analysis": None, "verification": None, "result_notice_at": None}
    legacy |= {"maintenance_docs_updated": False, "duplicate_of": None}
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        create_schema_v1(conn)
        conn.execute(
            sa.text(
                "INSERT INTO faultkit_faults (id, version, history_len, state, severity, "
                "priority, reported_us, body) VALUES (:id, 3, 1, :state, NULL, NULL, :us, :body)"
            ),
            {
                "id": fault.id,
                "state": fault.state,
                "us": micros(fault.report.reported_at),
                "body": json.dumps(legacy),
            },
        )
        conn.execute(
            sa.text(
                "INSERT INTO faultkit_events (fault_id, seq, at_us, body) "
                "VALUES (:id, 0, :us, :body)"
            ),
            {
                "id": fault.id,
                "us": micros(fault.history[0].at),
                "body": json.dumps(to_dict(fault.history[0])),
            },
        )
        conn.execute(
            sa.text(
                "INSERT INTO faultkit_faults (id, version, history_len, state, reported_us, "
                "body) VALUES ('F-bad', 1, 0, 'recorded', 0, '[')"
            )
        )
        assert schema_version(conn) == 1
    engine.dispose()
    with pytest.raises(StorageError, match="schema version 1"):
        SqlStore(db_url, upgrade=False)
    with SqlStore(db_url) as store:
        with store.engine.connect() as conn:
            assert schema_version(conn) == SCHEMA_VERSION
        assert store.faults.get("F-1").item == fault
        assert store.faults.get("F-1").version == 3
        found = store.faults.query(FaultQuery(components="billing"))
        assert [v.item.id for v in found.items] == ["F-1"]  # component filled in
        with pytest.raises(CorruptRecordError):
            store.faults.get("F-bad")
        assert [e.record for e in store.events.for_fault("F-1")] == list(fault.history)
        assert store.feedback.query().items == ()  # the new table is there
        # A fault read from an old body is saved on as its stream.
        later = with_note(store.faults.get("F-1").item, actor="ben", at=T0)
        assert store.faults.save(later, expected_version=3) == 4
        assert store.faults.get("F-1").item == later
        assert [e.record for e in store.events.for_fault("F-1")] == list(later.events)


def test_the_upgrade_opens_a_case_for_every_stored_feedback(db_url: str) -> None:
    items = [
        HotlineFeedback(
            id=f"fb-{n}",
            received_at=T0,
            call_started_at=T0,
            agent="desk",
            text="slow",
            product="app",
        )
        for n in range(3)
    ]
    with SqlStore(db_url) as store:
        for item in items:
            store.feedback.add(item)
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:  # back to the schema before the cases table
        conn.execute(sa.text("DROP TABLE faultkit_feedback_cases"))
        conn.execute(sa.text("UPDATE faultkit_schema SET version = 3"))
        conn.execute(
            sa.text(
                "INSERT INTO faultkit_records (kind, key, version, body) "
                "VALUES ('feedback', 'fb-bad', 1, '{')"
            )
        )
    engine.dispose()
    with SqlStore(db_url) as store:
        with store.engine.connect() as conn:
            assert schema_version(conn) == SCHEMA_VERSION
        got = store.feedback_cases.query(FeedbackQuery(statuses="new", products="app"))
        assert [v.item for v in got.items] == [FeedbackCase.open(item) for item in items]
        with pytest.raises(CorruptRecordError):
            store.feedback.get("fb-bad")  # still reported where it was
        with pytest.raises(RecordNotFoundError):
            store.feedback_cases.get("fb-bad")


def test_a_newer_schema_is_refused(db_url: str) -> None:
    SqlStore(db_url).close()
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE faultkit_schema SET version = 99"))
    engine.dispose()
    with pytest.raises(StorageError, match="99"):
        SqlStore(db_url)


def test_only_parameterised_sql(db_url: str) -> None:
    hostile = "x'); DROP TABLE faultkit_faults; --"
    fault = sample_fault(hostile, component="a' OR '1'='1")
    with SqlStore(db_url) as store:
        store.faults.add(fault)
        assert store.faults.get(hostile).item == fault
        assert store.faults.query(FaultQuery(components="nothing")).items == ()
        assert [
            v.item for v in store.faults.query(FaultQuery(components=fault.report.component)).items
        ] == [fault]


def test_text_a_database_cannot_index_is_refused_and_bodies_keep_any_text(db_url: str) -> None:
    with SqlStore(db_url) as store:
        for bad in ("F-\x00", "F-\ud800"):
            with pytest.raises(InvalidInputError):
                store.faults.add(sample_fault(bad))
        fault = sample_fault("F-1")
        fault.mark_duplicate_of("odd \ud800 and \x00 text", actor=ANA, at=T0)
        store.faults.add(fault)
        assert store.faults.get("F-1").item == fault


def test_sqlite_is_in_wal_mode(tmp_path: Path) -> None:
    with SqlStore(f"sqlite:///{tmp_path / 'w.db'}") as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


# --------------------------------------------------------------------------- processes

_RACE = """
import json, sys
from faultkit.adapters.sql import SqlStore
from faultkit.testing.storage_contract import race
url, ids, worker, operations = sys.argv[1:]
with SqlStore(url) as store:
    print(json.dumps(race(store, json.loads(ids), int(worker), int(operations))))
"""


def test_processes_lose_no_update(db_url: str) -> None:
    """Four processes race 10,000 operations (5,000 read-change-save rounds) on eight faults."""
    processes, operations = 4, 10_000
    with SqlStore(db_url) as store:
        ids = [f"P-{n}" for n in range(8)]
        for fault_id in ids:
            store.faults.add(sample_fault(fault_id))
        workers = [
            python(_RACE, db_url, json.dumps(ids), str(w), str(operations // processes))
            for w in range(processes)
        ]
        successes = []
        for worker in workers:
            out, err = worker.communicate(timeout=300)
            assert worker.returncode == 0, err
            successes.extend(tuple(item) for item in json.loads(out))
        check_no_lost_update(store, ids, successes)
        assert len(successes) < operations // 2  # they did race


# --------------------------------------------------------------------------- crashes

_STALL = stalled_writer(
    "Insert",
    "faultkit_events",
    """
from datetime import datetime, timezone
from faultkit.models import Person
from faultkit.testing.storage_contract import with_note
current = store.faults.get("K-1")
at = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)
changed = with_note(current.item, actor="doomed", at=at, reason="never committed")
changed = with_note(changed, actor="doomed", at=at, reason="never committed either")
changed.set_priority(1, actor=Person(id="doomed", name="Doomed"), at=at)
store.faults.save(changed, expected_version=current.version)
""",
)

_LOOP = """
import sys
from faultkit.adapters.sql import SqlStore
from faultkit.testing.storage_contract import race
store = SqlStore(sys.argv[1])
print("started", flush=True)
for round in range(1000):
    race(store, ["K-1", "K-2", "K-3"], round, 50)
"""


def _check_consistent(store: SqlStore, ids: list[str]) -> None:
    total = 0
    for fault_id in ids:
        current = store.faults.get(fault_id)  # readable: no half-written fault
        events = store.events.for_fault(fault_id)
        assert [e.record for e in events] == list(current.item.events)
        total += len(events)
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT count(*) FROM faultkit_events")).scalar_one()
    assert stored == total  # no orphan event


def test_a_writer_killed_mid_transaction_leaves_no_trace(db_url: str) -> None:
    with SqlStore(db_url) as store:
        store.faults.add(with_note(sample_fault("K-1"), actor="ana", at=T0, reason="kept"))
        before = store.faults.get("K-1")
        kill_in_transaction(python(_STALL, db_url))
        assert store.faults.get("K-1") == before
        _check_consistent(store, ["K-1"])
        # The lock died with the writer: others write at once.
        changed = with_note(before.item, actor="ben", at=T0, reason="after the crash")
        assert store.faults.save(changed, expected_version=before.version) == 2
        _check_consistent(store, ["K-1"])


def test_writers_killed_at_random_leave_the_store_consistent(db_url: str) -> None:
    ids = ["K-1", "K-2", "K-3"]
    with SqlStore(db_url) as store:
        for fault_id in ids:
            store.faults.add(sample_fault(fault_id))
        for delay in (0.3, 0.6):
            kill_after(python(_LOOP, db_url), delay)
            _check_consistent(store, ids)
        assert sum(store.faults.get(i).version for i in ids) > len(ids)  # they did write


def test_event_log_between_pages_over_faults(tmp_path: Path) -> None:
    with SqlStore(f"sqlite:///{tmp_path / 'e.db'}") as store:
        for n in range(3):
            fault = sample_fault(f"E-{n}")
            for k in range(3):
                fault = with_note(fault, actor="x", at=T0 + timedelta(minutes=k))
            store.faults.add(fault)
        page = store.events.between(T0, T0 + timedelta(minutes=2), limit=4)
        assert [(e.fault_id, e.seq) for e in page.items] == [
            ("E-0", 0),
            ("E-1", 0),
            ("E-2", 0),
            ("E-0", 1),
        ]
        assert page.next_cursor is not None
        rest = store.events.between(T0, T0 + timedelta(minutes=2), cursor=page.next_cursor)
        assert [(e.fault_id, e.seq) for e in rest.items] == [("E-1", 1), ("E-2", 1)]
        assert rest.next_cursor is None
        assert isinstance(rest.items[0].record, Comment)


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("sqlite://", "url"),
        ("sqlite:///:memory:", "url"),
        ("mysql://u@h/db", "url"),
        ("not a url", "url"),
        (42, "url"),
    ],
)
def test_bad_urls_are_refused(url: object, field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        SqlStore(url)  # type: ignore[arg-type]
    assert info.value.field == field


@pytest.mark.parametrize("timeout", [-1, True, "5", 10**6])
def test_bad_busy_timeouts_are_refused(tmp_path: Path, timeout: object) -> None:
    with pytest.raises(InvalidInputError) as info:
        SqlStore(f"sqlite:///{tmp_path / 'b.db'}", busy_timeout=timeout)  # type: ignore[arg-type]
    assert info.value.field == "busy_timeout"


def test_an_engine_can_be_given(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'g.db'}")
    with SqlStore(engine) as store:
        store.faults.add(sample_fault("G-1"))
        assert store.engine is engine
        assert store.faults.get("G-1").version == 1


def test_a_schema_4_database_upgrades_in_place_to_problems(db_url: str) -> None:
    with SqlStore(db_url) as store:
        store.faults.add(sample_fault("F-1"))
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:  # back to schema 4: no problem tables
        for table in ("faultkit_problems", "faultkit_problem_faults", "faultkit_problem_codes"):
            conn.execute(sa.text(f"DROP TABLE {table}"))
        conn.execute(sa.text("UPDATE faultkit_schema SET version = 4"))
    engine.dispose()
    with pytest.raises(StorageError, match="schema version 4"):
        SqlStore(db_url, upgrade=False)
    with SqlStore(db_url) as store:
        with store.engine.connect() as conn:
            assert schema_version(conn) == SCHEMA_VERSION == 5
        assert store.faults.get("F-1").item.id == "F-1"  # what schema 4 held reads back
        problem = Problem.open(id="PRB-1", title="Jams", product="printer", actor=ANA, at=T0)
        problem = problem.link_fault("F-1", actor=ANA, at=T0)
        assert store.problems.add(problem) == 1
        found = store.problems.query(ProblemQuery(fault_ids="F-1"))
        assert [v.item for v in found.items] == [problem]


@pytest.mark.parametrize(
    "text",
    [
        "lone \ud800 surrogate",  # stored escaped: orjson refuses it, json reads it
        "emoji \U0001f525 and 中文",
        'nul \x00 and escapes \\ " \n',
    ],
)
def test_a_body_the_fast_parser_refuses_reads_back_the_same(db_url: str, text: str) -> None:
    fault = with_note(sample_fault("F-json"), actor="ana", at=T0, reason=text)
    with SqlStore(db_url) as store:
        store.faults.add(fault)
        assert store.faults.get("F-json").item == fault
        assert store.faults.query().items[0].item == fault


def test_a_stored_body_json_reads_and_orjson_refuses_is_read(tmp_path: Path) -> None:
    # NaN and an integer past 64 bits: valid for json.loads, refused by orjson.
    url = f"sqlite:///{tmp_path / 'faults.db'}"
    with SqlStore(url) as store:
        store.faults.add(sample_fault("F-1"))
        with store.engine.begin() as conn:
            body = conn.execute(sa.text("SELECT body FROM faultkit_faults")).scalar_one()
            data = json.loads(body)
            data["report"]["affected_users"] = 2**70
            hostile = json.dumps(data).replace(
                '"affected_users": ' + str(2**70), '"affected_users": ' + str(2**70) + ', "x": NaN'
            )
            conn.execute(sa.text("UPDATE faultkit_faults SET body = :b"), {"b": hostile})
        # Parsed (by json.loads after orjson refused it), then refused by the codec,
        # which names the field: not a parser error.
        with pytest.raises(CorruptRecordError, match=r"report\.x: unknown field"):
            store.faults.get("F-1")
