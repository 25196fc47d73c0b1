"""A store on SQL databases through SQLAlchemy 2 Core: SQLite embedded, PostgreSQL for services.

Needs the ``sql`` extra (``pip install ".[sql]"`` in a clone). The same code runs on both:

- **SQLite** (``sqlite:///faults.db``), the embedded default: the file is put in WAL
  mode (readers never block the writer), writes take the write lock when they begin
  (``BEGIN IMMEDIATE``) and wait up to ``busy_timeout`` seconds for it, so threads
  and processes can share one file.
- **PostgreSQL** (``postgresql+psycopg://user:password@host/db``) for services: a save
  locks the fault's row (``SELECT ... FOR UPDATE``) before checking its version.

Records are written through the cattrs converter as JSON text, beside the indexed
columns the queries read (state, severity, priority, component, report time; event
time). Every statement is parameterised; nothing read back is unpickled or evaluated:
a stored record that does not parse or validate is reported as
:class:`~faultkit.errors.CorruptRecordError` naming its key.

The schema has a version, kept in the ``faultkit_schema`` table. Opening a store
creates the schema in an empty database and upgrades an older one in one
transaction; a database written by a newer faultkit is refused.

Schema history:

1. ``faultkit_faults`` (without ``component``) and ``faultkit_events``.
2. ``faultkit_faults.component`` (filled from the stored reports) with its index,
   and ``faultkit_records`` for feedback, clusters, actions and risk items.
3. ``faultkit_faults.assignee`` and ``faultkit_faults.due_us`` (the resolution due
   time) with their indexes, filled from the stored faults; ``faultkit_records.fault_id``
   (the fault a record is linked to) with its index, filled from the stored records.
4. ``faultkit_feedback_cases`` (feedback cases with their indexed status, channel,
   product, receipt time, fault and cluster); every feedback record stored before
   is opened as a case in status ``new``.
5. ``faultkit_problems`` (problem records with their indexed status, product,
   component and opening time), ``faultkit_problem_faults`` and
   ``faultkit_problem_codes`` (linked faults and error codes, one row each).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from faultkit.adapters.sql_bodies import FaultBody, appended_from, event_rows, write_body
from faultkit.adapters.sql_feedback import (
    SqlFeedbackCaseRepository,
    create_feedback_cases,
    open_stored_feedback,
)
from faultkit.adapters.sql_pages import Key, PageQuery
from faultkit.adapters.sql_problems import SqlProblemRepository, create_problems
from faultkit.adapters.sql_records import SqlRecordRepository
from faultkit.adapters.sql_streams import SqlAccess
from faultkit.adapters.sql_versions import checked_row
from faultkit.errors import (
    CorruptRecordError,
    InvalidInputError,
    RecordNotFoundError,
    StorageConflictError,
    StorageError,
)
from faultkit.feedback import Cluster, Feedback, ResultNotice, SurveyResponse
from faultkit.lifecycle.events import FaultEvent
from faultkit.lifecycle.fault import Fault
from faultkit.lifecycle.migrations import upgrade_events
from faultkit.lifecycle.workflow import Workflow
from faultkit.rca import Action, RiskItem
from faultkit.rca.plans import MaintenancePlan
from faultkit.rca.training import TrainingRecord
from faultkit.storage.codec import FaultCodec, RecordKind
from faultkit.storage.due import DEFAULT_DUE
from faultkit.storage.kinds import (
    MAINTENANCE_PLANS,
    NOTICES,
    SLA_POLICIES,
    SURVEY_RESPONSES,
    TRAINING_RECORDS,
    WORKFLOWS,
    NamedSlaPolicy,
)
from faultkit.storage.memory import (
    ACTIONS,
    CLUSTERS,
    FEEDBACK,
    RISKS,
    check_due,
    check_fault_extends,
    check_fault_query,
    check_range,
    check_records,
    event_key,
    events_key,
    fault_index,
    read_stream,
    stored_fault_stream,
)
from faultkit.storage.records import (
    DEFAULT_PAGE_SIZE,
    Event,
    FaultQuery,
    Page,
    Versioned,
    check_key,
    check_length,
    check_limit,
    check_no_nul,
    check_version,
    decode_cursor,
    micros,
    page_of,
    read_stored,
)

__all__ = [
    "SCHEMA_VERSION",
    "SqlEventLog",
    "SqlFaultRepository",
    "SqlFeedbackCaseRepository",
    "SqlStore",
]

T = TypeVar("T")

SCHEMA_VERSION = 5
"""The schema version this faultkit writes."""

_metadata = sa.MetaData()

schema_table = sa.Table(
    "faultkit_schema",
    _metadata,
    sa.Column("version", sa.Integer, nullable=False),
)

faults_table = sa.Table(
    "faultkit_faults",
    _metadata,
    sa.Column("id", Key, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("history_len", sa.Integer, nullable=False),
    sa.Column("state", Key, nullable=False),
    sa.Column("severity", sa.Integer),
    sa.Column("priority", sa.Integer),
    sa.Column("reported_us", sa.BigInteger, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("component", Key),
    sa.Column("assignee", Key),
    sa.Column("due_us", sa.BigInteger),
    sa.Index("faultkit_faults_reported", "reported_us", "id"),
    sa.Index("faultkit_faults_assignee", "assignee", "reported_us", "id"),
    sa.Index("faultkit_faults_due", "due_us", "reported_us", "id"),
    sa.Index("faultkit_faults_state", "state", "reported_us", "id"),
    sa.Index("faultkit_faults_severity", "severity", "reported_us", "id"),
    sa.Index("faultkit_faults_priority", "priority", "reported_us", "id"),
    sa.Index("faultkit_faults_component", "component", "reported_us", "id"),
)

events_table = sa.Table(
    "faultkit_events",
    _metadata,
    sa.Column("fault_id", Key, primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("at_us", sa.BigInteger, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Index("faultkit_events_at", "at_us", "fault_id", "seq"),
)

records_table = sa.Table(
    "faultkit_records",
    _metadata,
    sa.Column("kind", Key, primary_key=True),
    sa.Column("key", Key, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("fault_id", Key),
    sa.Index("faultkit_records_fault", "kind", "fault_id", "key"),
)

_ADVISORY_LOCK = 0x6661756C746B6974  # "faultkit": serialises schema changes on PostgreSQL


_fast_loads: Callable[[str], Any] | None
try:
    from orjson import loads as _fast_loads
except ImportError:  # pragma: no cover - orjson comes with the sql extra
    _fast_loads = None


def _dumps(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: escaped, it reads back the same
        return json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text


def _loads(key: str, text: Any) -> Any:
    """The JSON ``text`` stored under ``key``, parsed; CorruptRecordError when it is not JSON.

    orjson parses when it is installed (it comes with the ``sql`` extra: about 1.7x
    faster than :func:`json.loads` on stored faults); what it refuses and
    :func:`json.loads` may still read (an escaped lone surrogate, an integer past 64
    bits, ``NaN``, nesting past 1,024 levels) goes to :func:`json.loads`, so the value
    read is the same with or without it.
    """
    if type(text) is not str:
        raise CorruptRecordError(key, f"stored body is not text ({type(text).__name__})")
    if _fast_loads is not None:
        try:
            return _fast_loads(text)
        except ValueError:  # orjson.JSONDecodeError is a ValueError
            pass
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CorruptRecordError(key, f"stored body is not JSON: {exc}") from None


# --------------------------------------------------------------------------- schema


def create_schema_v1(conn: Connection) -> None:
    """Create the first version of the schema (kept to test upgrades from it)."""
    v1 = sa.MetaData()
    sa.Table("faultkit_schema", v1, sa.Column("version", sa.Integer, nullable=False))
    sa.Table(
        "faultkit_faults",
        v1,
        sa.Column("id", Key, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("history_len", sa.Integer, nullable=False),
        sa.Column("state", Key, nullable=False),
        sa.Column("severity", sa.Integer),
        sa.Column("priority", sa.Integer),
        sa.Column("reported_us", sa.BigInteger, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Index("faultkit_faults_reported", "reported_us", "id"),
        sa.Index("faultkit_faults_state", "state", "reported_us", "id"),
        sa.Index("faultkit_faults_severity", "severity", "reported_us", "id"),
        sa.Index("faultkit_faults_priority", "priority", "reported_us", "id"),
    )
    sa.Table(
        "faultkit_events",
        v1,
        sa.Column("fault_id", Key, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("at_us", sa.BigInteger, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Index("faultkit_events_at", "at_us", "fault_id", "seq"),
    )
    v1.create_all(conn)
    conn.execute(sa.insert(v1.tables["faultkit_schema"]).values(version=1))


def _upgrade_1_to_2(conn: Connection) -> None:
    collate = ' COLLATE "C"' if conn.dialect.name == "postgresql" else ""
    conn.execute(sa.text(f"ALTER TABLE faultkit_faults ADD COLUMN component TEXT{collate}"))
    conn.execute(
        sa.text(
            "CREATE INDEX faultkit_faults_component ON faultkit_faults (component, reported_us, id)"
        )
    )
    rows = conn.execute(sa.select(faults_table.c.id, faults_table.c.body)).all()
    for fault_id, body in rows:
        try:
            component = json.loads(body)["report"].get("component")
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            continue  # a corrupt record stays reported as such when read
        if isinstance(component, str):
            conn.execute(
                sa.update(faults_table)
                .where(faults_table.c.id == fault_id)
                .values(component=component)
            )
    v2 = sa.MetaData()  # the records table as version 2 made it (version 3 adds fault_id)
    sa.Table(
        "faultkit_records",
        v2,
        sa.Column("kind", Key, primary_key=True),
        sa.Column("key", Key, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    ).create(conn)


def _upgrade_2_to_3(conn: Connection, store: SqlStore) -> None:
    collate = ' COLLATE "C"' if conn.dialect.name == "postgresql" else ""
    for statement in (
        f"ALTER TABLE faultkit_faults ADD COLUMN assignee TEXT{collate}",
        "ALTER TABLE faultkit_faults ADD COLUMN due_us BIGINT",
        "CREATE INDEX faultkit_faults_assignee ON faultkit_faults (assignee, reported_us, id)",
        "CREATE INDEX faultkit_faults_due ON faultkit_faults (due_us, reported_us, id)",
        f"ALTER TABLE faultkit_records ADD COLUMN fault_id TEXT{collate}",
        "CREATE INDEX faultkit_records_fault ON faultkit_records (kind, fault_id, key)",
    ):
        conn.execute(sa.text(statement))
    for fault_id, body in conn.execute(sa.select(faults_table.c.id, faults_table.c.body)).all():
        try:
            fault = store._codec.load(json.loads(body))
            index = fault_index(fault, store._due)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            continue  # a corrupt record stays reported as such when read
        conn.execute(
            sa.update(faults_table)
            .where(faults_table.c.id == fault_id)
            .values(assignee=index["assignee"], due_us=index["due_us"])
        )
    rows = conn.execute(
        sa.select(records_table.c.kind, records_table.c.key, records_table.c.body)
    ).all()
    for kind, key, body in rows:
        try:
            linked = json.loads(body).get("fault_id")
        except (ValueError, AttributeError, RecursionError):
            continue
        if isinstance(linked, str):
            conn.execute(
                sa.update(records_table)
                .where(records_table.c.kind == kind, records_table.c.key == key)
                .values(fault_id=linked)
            )


def _upgrade_3_to_4(conn: Connection, _store: SqlStore) -> None:
    open_stored_feedback(conn, _dumps)


_UPGRADES: dict[int, Callable[[Connection, SqlStore], None]] = {
    1: lambda conn, _store: _upgrade_1_to_2(conn),
    2: _upgrade_2_to_3,
    3: _upgrade_3_to_4,
    4: lambda conn, _store: create_problems(conn),
}


def schema_version(conn: Connection) -> int | None:
    """The schema version of the database behind ``conn`` (``None``: no schema yet)."""
    if not sa.inspect(conn).has_table("faultkit_schema"):
        return None
    found = conn.execute(sa.select(schema_table.c.version)).scalar()
    if found is None:
        raise StorageError("the faultkit_schema table is empty: not a faultkit database")
    return int(found)


# --------------------------------------------------------------------------- the store


class SqlStore:
    """A store on an SQL database: SQLite embedded, PostgreSQL for services.

    Args:
        url: an SQLAlchemy URL (``"sqlite:///faults.db"``,
            ``"postgresql+psycopg://user:password@host/db"``) or an
            :class:`sqlalchemy.engine.Engine` made for the store (on SQLite, the store
            configures the connections the engine opens from then on).
        analysis_types: root-cause analysis classes faults may hold besides
            :class:`faultkit.rca.Analysis`.
        busy_timeout: SQLite only: seconds a writer waits for another's lock.
        upgrade: create or upgrade the schema when opening (otherwise a database
            at another version is refused).
        resolution_due: when a fault's resolution falls due, kept for
            ``FaultQuery(sla_due_before=...)`` (see :class:`~faultkit.storage.MemoryStore`).

    Raises:
        StorageError: the database has a schema this faultkit does not know, or an
            older one and ``upgrade`` is false.

    Attributes:
        faults: the :class:`~faultkit.storage.FaultRepository`.
        events: the :class:`~faultkit.storage.EventLog`.
        feedback: a :class:`~faultkit.storage.RecordRepository` of feedback.
        clusters: a :class:`~faultkit.storage.RecordRepository` of clusters.
        actions: a :class:`~faultkit.storage.RecordRepository` of corrective and
            preventive actions.
        risks: a :class:`~faultkit.storage.RecordRepository` of risk register entries.
        notices, survey_responses, plans, training, sla_policies, workflows: the
            repositories of the record kinds in :mod:`faultkit.storage.kinds`.
        feedback_cases: the :class:`~faultkit.storage.FeedbackCaseRepository`.
        problems: the :class:`~faultkit.storage.ProblemRepository`.

    Close it with :meth:`close` (or use it in a ``with`` block).
    """

    def __init__(
        self,
        url: str | Engine,
        *,
        analysis_types: Iterable[type[Any]] = (),
        busy_timeout: float = 30.0,
        upgrade: bool = True,
        resolution_due: Callable[[Fault], datetime | None] = DEFAULT_DUE,
    ) -> None:
        if isinstance(busy_timeout, bool) or not isinstance(busy_timeout, int | float):
            raise InvalidInputError("busy_timeout", busy_timeout, "expected seconds")
        if not 0 <= busy_timeout <= 86_400:
            raise InvalidInputError("busy_timeout", busy_timeout, "expected 0 to 86400 seconds")
        if isinstance(url, str):
            try:
                parsed = sa.engine.make_url(url)
            except sa.exc.ArgumentError as exc:
                raise InvalidInputError("url", url, f"not a database URL: {exc}") from None
            if parsed.get_backend_name() not in ("sqlite", "postgresql"):
                raise InvalidInputError(
                    "url",
                    url,
                    "faultkit stores on SQLite or PostgreSQL (sqlite:///..., "
                    "postgresql+psycopg://...)",
                )
            if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
                raise InvalidInputError(
                    "url",
                    url,
                    "an in-memory SQLite database is one per connection: give a file "
                    "(sqlite:///faults.db), or use MemoryStore",
                )
            engine = sa.create_engine(parsed)
        elif isinstance(url, Engine):
            engine = url
        else:
            raise InvalidInputError("url", url, "expected a database URL or an Engine")
        if engine.dialect.name not in ("sqlite", "postgresql"):
            raise InvalidInputError(
                "url", url, f"faultkit stores on SQLite or PostgreSQL, not {engine.dialect.name}"
            )
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine, busy_timeout)
        self._engine = engine
        self._codec = FaultCodec(analysis_types)
        self._due = check_due(resolution_due)
        self._postgres = engine.dialect.name == "postgresql"
        self._sqlite = not self._postgres
        try:
            self._open_schema(upgrade)
        except BaseException:
            if isinstance(url, str):  # the engine is ours: do not leak its connections
                engine.dispose()
            raise
        access = SqlAccess(
            write=self._write, read=self._read, dumps=_dumps, loads=_loads, postgres=self._postgres
        )
        self.faults = SqlFaultRepository(self)
        self.events = SqlEventLog(self)

        def records(kind: RecordKind[T]) -> SqlRecordRepository[T]:
            return SqlRecordRepository(access, records_table, kind)

        self.feedback: SqlRecordRepository[Feedback] = records(FEEDBACK)
        self.clusters: SqlRecordRepository[Cluster] = records(CLUSTERS)
        self.actions: SqlRecordRepository[Action] = records(ACTIONS)
        self.risks: SqlRecordRepository[RiskItem] = records(RISKS)
        self.notices: SqlRecordRepository[ResultNotice] = records(NOTICES)
        self.survey_responses: SqlRecordRepository[SurveyResponse] = records(SURVEY_RESPONSES)
        self.plans: SqlRecordRepository[MaintenancePlan] = records(MAINTENANCE_PLANS)
        self.training: SqlRecordRepository[TrainingRecord] = records(TRAINING_RECORDS)
        self.sla_policies: SqlRecordRepository[NamedSlaPolicy] = records(SLA_POLICIES)
        self.workflows: SqlRecordRepository[Workflow] = records(WORKFLOWS)
        self.feedback_cases = SqlFeedbackCaseRepository(access)
        self.problems = SqlProblemRepository(access)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for your own tables in the same database)."""
        return self._engine

    @contextmanager
    def key_lock(self, key: str) -> Iterator[None]:
        """Hold an exclusive lock named by ``key`` for the block, across processes.

        On PostgreSQL a session advisory lock (``pg_advisory_lock`` on a 64-bit hash
        of the key, on a connection of its own): writers of the same key that all take
        it wait for each other instead of conflicting, so
        :func:`~faultkit.storage.update_with_retry` with ``lock=store.key_lock`` reads,
        changes and saves in one attempt. On SQLite, where a write lock held across
        the read and the save would block the save itself, it does nothing: writers
        there rely on the retries (the write lock is taken per save).

        Raises:
            InvalidInputError: ``key`` is not a key a store accepts.
        """
        check_key("key", key)
        if not self._postgres:
            yield
            return
        digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
        number = int.from_bytes(digest, "big", signed=True)
        with _database_errors(), self._engine.connect() as conn:
            conn.execute(sa.select(sa.func.pg_advisory_lock(number)))
            conn.commit()
            try:
                yield
            finally:
                try:
                    conn.execute(sa.select(sa.func.pg_advisory_unlock(number)))
                    conn.commit()
                except sa.exc.SQLAlchemyError:  # pragma: no cover - connection lost
                    conn.invalidate()  # closing the session releases the lock
                    raise

    def close(self) -> None:
        """Close the store's connections."""
        self._engine.dispose()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction, committed at the end of the block (rolled back on error).

        On SQLite it takes the write lock up front (``BEGIN IMMEDIATE``: no deadlock
        upgrading a read lock); the driver's own transaction handling is off, and its
        ``commit()`` / ``rollback()`` end the transaction begun here. Reads are one
        ``SELECT`` each, which SQLite runs in its own implicit transaction.
        """
        with _database_errors(), self._engine.begin() as conn:
            if self._sqlite:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with _database_errors(), self._engine.connect() as conn:
            yield conn

    def _open_schema(self, upgrade: bool) -> None:
        with self._read() as conn:
            version = schema_version(conn)
        if version == SCHEMA_VERSION:
            return
        self._check_known(version)
        if not upgrade:
            raise StorageError(
                f"the database has schema version {version}, this faultkit uses "
                f"{SCHEMA_VERSION}: open it with upgrade=True"
            )
        with self._write() as conn:
            if self._postgres:
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_ADVISORY_LOCK)))
            version = schema_version(conn)  # again, under the lock
            self._check_known(version)
            if version is None:
                _metadata.create_all(conn)
                create_feedback_cases(conn)
                create_problems(conn)
                conn.execute(sa.insert(schema_table).values(version=SCHEMA_VERSION))
                return
            while version < SCHEMA_VERSION:
                _UPGRADES[version](conn, self)
                version += 1
            conn.execute(sa.update(schema_table).values(version=version))

    @staticmethod
    def _check_known(version: int | None) -> None:
        if version is not None and not 1 <= version <= SCHEMA_VERSION:
            raise StorageError(
                f"the database has schema version {version}; this faultkit knows versions "
                f"1 to {SCHEMA_VERSION} (written by a newer faultkit?)"
            )


@contextmanager
def _database_errors() -> Iterator[None]:
    """Driver errors become :class:`~faultkit.errors.StorageError` (the driver's in the cause).

    Integrity errors pass through: the repositories turn them into conflicts. Input
    is validated before any statement, so what is left is the database's side (lost
    connection, lock timeout, disk full, permissions).
    """
    try:
        yield
    except sa.exc.IntegrityError:
        raise
    except sa.exc.SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None)
        reason = str(orig if orig is not None else exc).strip().splitlines()
        raise StorageError(
            f"the database failed: {type(orig or exc).__name__}: {reason[0] if reason else ''}"
        ) from exc


def _configure_sqlite(engine: Engine, busy_timeout: float) -> None:
    """WAL, a busy timeout, and no transaction begun by the driver (faultkit begins them).

    The settings are made on each new connection of the engine's pool.
    """
    timeout_ms = int(busy_timeout * 1000)

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling is off: faultkit emits BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()


# --------------------------------------------------------------------------- faults

_f = faults_table
_e = events_table
_r = records_table


_EARLY_CHECK_EVENTS = 256
"""From this many events, a save reads the version before writing the fault out."""


class SqlFaultRepository:
    """The faults of an :class:`SqlStore`."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._codec = store._codec
        self._insert = sa.insert(_f)
        self._insert_events = sa.insert(_e)
        self._lock_row = sa.select(_f.c.version, _f.c.history_len, _f.c.body).where(
            _f.c.id == sa.bindparam("id")
        )
        if store._postgres:
            self._lock_row = self._lock_row.with_for_update()
        self._update = (
            sa.update(_f)
            .where(_f.c.id == sa.bindparam("key"))
            .where(_f.c.version == sa.bindparam("expected"))
        )
        self._get = sa.select(_f.c.version, _f.c.body).where(_f.c.id == sa.bindparam("id"))
        self._version = sa.select(_f.c.version).where(_f.c.id == sa.bindparam("id"))
        self._pages = PageQuery(
            key=_f.c.id,
            version=_f.c.version,
            body=_f.c.body,
            order=_f.c.reported_us,
            filters={
                "states": _f.c.state,
                "severities": _f.c.severity,
                "priorities": _f.c.priority,
                "components": _f.c.component,
                "assignees": _f.c.assignee,
            },
            bounds={
                "low": (_f.c.reported_us, ">="),
                "high": (_f.c.reported_us, "<"),
                "due": (_f.c.due_us, "<"),
            },
        )

    def _values(
        self, fault: Fault, version: int
    ) -> tuple[dict[str, Any], dict[str, Any], FaultBody]:
        data = self._codec.dump(fault)
        index = fault_index(fault, self._store._due)
        body = write_body(data, _dumps)
        return {"version": version, **index, "body": body.text}, data, body

    def add(self, fault: Fault) -> int:
        """See :meth:`faultkit.storage.FaultRepository.add`."""
        values, data, _ = self._values(fault, 1)
        events = _event_rows(fault.id, fault.events, data["events"], 0)
        inserting_events = False
        try:
            with self._store._write() as conn:
                stream = int(
                    conn.execute(
                        sa.select(sa.func.count()).select_from(_e).where(_e.c.fault_id == fault.id)
                    ).scalar_one()
                )
                if stream:
                    raise StorageConflictError(events_key(fault.id), 0, stream)
                conn.execute(self._insert, {"id": fault.id, **values})
                if events:
                    inserting_events = True
                    conn.execute(self._insert_events, events)
        except sa.exc.IntegrityError:
            if inserting_events:
                length = _stream_length(self._store, fault.id)
                raise StorageConflictError(events_key(fault.id), 0, length) from None
            raise StorageConflictError(fault.id, 0, self._found_version(fault.id)) from None
        return 1

    def _found_version(self, fault_id: str) -> int:
        with self._store._read() as conn:
            found = conn.execute(self._get, {"id": fault_id}).first()
        return 0 if found is None else int(found[0])

    def get(self, fault_id: str) -> Versioned[Fault]:
        """See :meth:`faultkit.storage.FaultRepository.get`."""
        check_key("fault_id", fault_id)
        with self._store._read() as conn:
            row = conn.execute(self._get, {"id": fault_id}).first()
        if row is None:
            raise RecordNotFoundError(fault_id)
        return Versioned(self._load(fault_id, row[1]), int(row[0]))

    def _load(self, fault_id: str, body: Any) -> Fault:
        return read_stored(fault_id, self._codec.load, _loads(fault_id, body))

    def save(self, fault: Fault, *, expected_version: int) -> int:
        """See :meth:`faultkit.storage.FaultRepository.save`.

        For a long fault the version is read first, without the write lock: a save
        that has already lost the race is refused before the fault is written out
        (for a short one the extra statement costs more than it saves). Under the
        lock, the stored text is checked to be extended by the new one on the texts
        (:func:`~faultkit.adapters.sql_bodies.appended_from`); only when that is not
        shown is the stored body parsed and compared event by event.
        """
        check_version("expected_version", expected_version)
        if not isinstance(fault, Fault):
            raise InvalidInputError("fault", fault, "expected a Fault")
        check_no_nul("fault.id", fault.id)  # before it reaches a statement
        if len(fault.events) >= _EARLY_CHECK_EVENTS:
            with self._store._read() as conn:
                checked_row(conn, self._version, {"id": fault.id}, fault.id, expected_version)
        values, data, body = self._values(fault, expected_version + 1)
        events = data["events"]
        stored_len = 0
        try:
            with self._store._write() as conn:
                row = checked_row(
                    conn, self._lock_row, {"id": fault.id}, fault.id, expected_version
                )
                found, stored_len = int(row[0]), int(row[1])
                appended = appended_from(
                    row[2], body, lambda index: _dumps(events[index]), len(events)
                )
                if appended is not None:
                    known, texts = appended
                else:
                    known = self._check_extends(fault, row[2], stored_len, events)
                    texts = [_dumps(event) for event in events[known:]]
                values["history_len"] = stored_len + len(fault.events) - known
                result = conn.execute(
                    self._update, {"key": fault.id, "expected": expected_version, **values}
                )
                if result.rowcount != 1:  # pragma: no cover - the row is locked
                    raise StorageConflictError(fault.id, expected_version, found + 1)
                rows = event_rows(fault.id, fault.events[known:], texts, stored_len)
                if rows:
                    conn.execute(self._insert_events, rows)
        except sa.exc.IntegrityError:
            length = _stream_length(self._store, fault.id)
            raise StorageConflictError(events_key(fault.id), stored_len, length) from None
        return expected_version + 1

    def _check_extends(self, fault: Fault, text: Any, stored_len: int, events: list[Any]) -> int:
        """Refuse ``events`` unless they extend the stored ones; how many those are.

        The stored body is parsed; a stream written before the fault case, or when the
        analysis held the actions, is read upgraded (the log keeps its events as they
        were written, so the count returned is that of the upgraded stream).
        """
        stored = _loads(fault.id, text)
        known = stored_len  # the fault's events the log already holds
        if "events" not in stored:  # written before the fault case
            stored = self._codec.dump(read_stored(fault.id, self._codec.load, stored))
        elif type(stored["events"]) is list:
            stored["events"] = upgrade_events(stored["events"])
            known = len(stored["events"])
        old = stored["events"]
        if type(old) is not list or events[: len(old)] != old:  # C-speed when they agree
            check_fault_extends(fault.id, old, events)
        return known

    def query(
        self,
        query: FaultQuery | None = None,
        *,
        limit: int = DEFAULT_PAGE_SIZE,
        cursor: str | None = None,
    ) -> Page[Versioned[Fault]]:
        """See :meth:`faultkit.storage.FaultRepository.query`."""
        query = check_fault_query(query)
        check_limit(limit)
        severities = query.severities
        return self._pages.page(
            self._store._read,
            self._load,
            filters={
                "states": query.states,
                "severities": None if severities is None else [int(s) for s in severities],
                "priorities": query.priorities,
                "components": query.components,
                "assignees": query.assignees,
            },
            bounds={
                "low": None if query.reported_from is None else micros(query.reported_from),
                "high": None if query.reported_until is None else micros(query.reported_until),
                "due": None if query.sla_due_before is None else micros(query.sla_due_before),
            },
            limit=limit,
            cursor=cursor,
        )


def _event_rows(
    fault_id: str, records: Sequence[FaultEvent], bodies: Sequence[Any], start: int
) -> list[Any]:
    return [
        {
            "fault_id": fault_id,
            "seq": start + offset,
            "at_us": micros(record.at),
            "body": _dumps(body),
        }
        for offset, (record, body) in enumerate(zip(records, bodies, strict=True))
    ]


def _stream_length(store: SqlStore, fault_id: str) -> int:
    with store._read() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count()).select_from(_e).where(_e.c.fault_id == fault_id)
            ).scalar_one()
        )


# --------------------------------------------------------------------------- events


class SqlEventLog:
    """The event log of an :class:`SqlStore`."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._count = (
            sa.select(sa.func.count())
            .select_from(_e)
            .where(_e.c.fault_id == sa.bindparam("fault_id"))
        )
        self._stream = (
            sa.select(_e.c.seq, _e.c.body)
            .where(_e.c.fault_id == sa.bindparam("fault_id"))
            .order_by(_e.c.seq)
        )
        self._is_fault = sa.select(_f.c.id).where(_f.c.id == sa.bindparam("id"))

    def append(
        self, fault_id: str, records: Sequence[FaultEvent], *, expected_length: int
    ) -> tuple[Event, ...]:
        """See :meth:`faultkit.storage.EventLog.append`."""
        check_key("fault_id", fault_id)
        check_no_nul("fault_id", fault_id)
        records = check_records(records)
        check_length("expected_length", expected_length)
        dump = self._store._codec.dump_event
        rows = _event_rows(fault_id, records, [dump(r) for r in records], expected_length)
        try:
            with self._store._write() as conn:
                if conn.execute(self._is_fault, {"id": fault_id}).first() is not None:
                    raise stored_fault_stream(fault_id)
                found = int(conn.execute(self._count, {"fault_id": fault_id}).scalar_one())
                if found != expected_length:
                    raise StorageConflictError(events_key(fault_id), expected_length, found)
                if rows:
                    conn.execute(sa.insert(_e), rows)
        except sa.exc.IntegrityError:
            found = _stream_length(self._store, fault_id)
            raise StorageConflictError(events_key(fault_id), expected_length, found) from None
        return tuple(
            Event(fault_id=fault_id, seq=expected_length + offset, record=record)
            for offset, record in enumerate(records)
        )

    def _event(self, fault_id: str, seq: int, body: Any) -> Event:
        key = event_key(fault_id, seq)
        record = read_stored(key, self._store._codec.load_event, _loads(key, body))
        return Event(fault_id=fault_id, seq=seq, record=record)

    def for_fault(self, fault_id: str) -> tuple[Event, ...]:
        """See :meth:`faultkit.storage.EventLog.for_fault`: the fault's events, upgraded."""
        check_key("fault_id", fault_id)
        with self._store._read() as conn:
            rows = conn.execute(self._stream, {"fault_id": fault_id}).all()
        stream = [_loads(event_key(fault_id, int(seq)), body) for seq, body in rows]
        return read_stream(self._store._codec, fault_id, stream, lambda: self._of_fault(fault_id))

    def _of_fault(self, fault_id: str) -> bool:
        with self._store._read() as conn:
            return conn.execute(self._is_fault, {"id": fault_id}).first() is not None

    def between(
        self,
        start: datetime,
        end: datetime,
        *,
        limit: int = DEFAULT_PAGE_SIZE,
        cursor: str | None = None,
    ) -> Page[Event]:
        """See :meth:`faultkit.storage.EventLog.between`."""
        low, high = check_range(start, end)
        check_limit(limit)
        statement = sa.select(_e.c.at_us, _e.c.fault_id, _e.c.seq, _e.c.body).where(
            _e.c.at_us >= low, _e.c.at_us < high
        )
        if cursor is not None:
            at_us, fault_id, seq = decode_cursor(cursor, (int, str, int))
            statement = statement.where(
                sa.tuple_(_e.c.at_us, _e.c.fault_id, _e.c.seq) > sa.tuple_(at_us, fault_id, seq)
            )
        statement = statement.order_by(_e.c.at_us, _e.c.fault_id, _e.c.seq).limit(limit + 1)
        with self._store._read() as conn:
            rows = conn.execute(statement).all()
        return page_of(
            rows,
            limit,
            lambda row: self._event(row[1], int(row[2]), row[3]),
            lambda row: (int(row[0]), row[1], int(row[2])),
        )
