"""The in-memory store: the reference every other store is checked against.

It keeps what a database would keep (each record as JSON-ready data, the indexed
values beside it) and follows the same rules in the same order, under one lock, so it
is safe to share between threads. Reads hand back fresh copies: changing a fault you
read changes nothing stored until you save it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

import attrs

from faultkit import _validators as v
from faultkit.errors import (
    InvalidInputError,
    RecordNotFoundError,
    StorageConflictError,
)
from faultkit.feedback import (
    Cluster,
    Feedback,
    ResultNotice,
    SurveyResponse,
    feedback_from_dict,
)
from faultkit.lifecycle.events import Comment, FactChange, FaultEvent, TransitionRecord
from faultkit.lifecycle.fault import Fault
from faultkit.lifecycle.migrations import upgrade_events
from faultkit.lifecycle.workflow import Workflow
from faultkit.rca import Action, RiskItem
from faultkit.rca.plans import MaintenancePlan
from faultkit.rca.training import TrainingRecord
from faultkit.storage.cases import MemoryFeedbackCaseRepository
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
from faultkit.storage.problems import MemoryProblemRepository
from faultkit.storage.records import (
    DEFAULT_PAGE_SIZE,
    Event,
    FaultQuery,
    Page,
    Versioned,
    check_indexed_facts,
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
from faultkit.storage.streams import check_extends

__all__ = [
    "ACTIONS",
    "CLUSTERS",
    "FEEDBACK",
    "RISKS",
    "MemoryEventLog",
    "MemoryFaultRepository",
    "MemoryFeedbackCaseRepository",
    "MemoryRecordRepository",
    "MemoryStore",
]

T = TypeVar("T")

FEEDBACK: RecordKind[Feedback] = RecordKind("feedback", Feedback, feedback_from_dict)
"""Feedback records of every channel (read back by their ``channel``)."""

CLUSTERS: RecordKind[Cluster] = RecordKind("cluster", Cluster)
"""Clusters of feedback."""

ACTIONS: RecordKind[Action] = RecordKind("action", Action)
"""Corrective and preventive actions."""

RISKS: RecordKind[RiskItem] = RecordKind("risk", RiskItem)
"""Entries of the risk register."""


def events_key(fault_id: str) -> str:
    """The key a conflict on a fault's event stream names."""
    return f"{fault_id}/events"


def event_key(fault_id: str, seq: int) -> str:
    """The key of one stored event, as errors name it."""
    return f"{fault_id}#{seq}"


def check_fault_query(query: Any) -> FaultQuery:
    """``query``, or an empty query for ``None``; text no key could hold is refused."""
    if query is None:
        return FaultQuery()
    if not isinstance(query, FaultQuery):
        raise InvalidInputError("query", query, "expected a FaultQuery or None")
    for name in ("states", "components", "assignees"):
        values: frozenset[str] | None = getattr(query, name)
        for value in values or ():
            check_no_nul(f"query.{name}", value)  # what no stored fault can hold
    return query


def check_records(records: Any) -> tuple[FaultEvent, ...]:
    """``records`` as a tuple of fault events."""
    if isinstance(records, str | bytes) or not isinstance(records, Sequence):
        raise InvalidInputError("records", records, "expected a sequence of fault events")
    for index, record in enumerate(records):
        if not isinstance(record, TransitionRecord | FactChange | Comment):
            raise InvalidInputError(f"records[{index}]", record, "expected a fault event")
    return tuple(records)


def check_fault_extends(fault_id: str, stored: Sequence[Any], new: Sequence[Any]) -> None:
    """Refuse a save of fault ``fault_id`` whose stream (``new``, as data) rewrites ``stored``.

    :func:`~faultkit.storage.streams.check_extends` on the fault's ``events``: the
    error names the first event that differs (``events[3]``).
    """
    check_extends(stored, new, field="events", owner=f"fault {fault_id!r}", rule=FAULT_STREAM_RULE)


FAULT_STREAM_RULE = "a fault's history is never rewritten"
"""The rule a fault's stream follows (for :func:`check_fault_extends`)."""


def stored_fault_stream(fault_id: str) -> InvalidInputError:
    """The error of an append into the stream of a stored fault (the fault is its stream)."""
    return InvalidInputError(
        "fault_id",
        fault_id,
        "is a stored fault: its stream grows only through faults.save (the fault is its stream)",
    )


def read_stream(
    codec: FaultCodec, fault_id: str, stream: list[Any], of_fault: Callable[[], bool]
) -> tuple[Event, ...]:
    """The events of the stream of ``fault_id`` as its fault reads them (``EventLog.for_fault``).

    ``stream`` holds the events as stored, in order. The stream of a stored fault
    (``of_fault()``) written when the fault's analysis held its actions is read
    upgraded, by :func:`~faultkit.lifecycle.migrations.upgrade_events`, as
    :meth:`~faultkit.storage.FaultCodec.load` reads the fault: so the events read are
    the fault's events, and their positions those of the upgraded stream (an old
    analysis event that carried actions is followed by the ``actions`` event it
    implied). A stream in today's shape, or one kept without a fault
    (``EventLog.append``), is read as stored.

    Raises:
        CorruptRecordError: an event cannot be read back (its key
            ``"<fault id>#<position>"``).
    """
    upgraded = upgrade_events(stream)
    if upgraded is not stream and of_fault():
        stream = upgraded
    load = codec.load_event
    return tuple(
        Event(fault_id=fault_id, seq=seq, record=read_stored(event_key(fault_id, seq), load, body))
        for seq, body in enumerate(stream)
    )


def check_due(due: Any) -> Callable[[Fault], datetime | None]:
    """``due`` if it is a function of a fault (a :class:`ResolutionDue`)."""
    if not callable(due):
        raise InvalidInputError("resolution_due", due, "expected a function of a fault")
    return due  # type: ignore[no-any-return]


def check_range(start: Any, end: Any) -> tuple[int, int]:
    """``(start, end)`` as microseconds, both timezone-aware."""
    v.check_aware("start", start)
    v.check_aware("end", end)
    return micros(start), micros(end)


@attrs.define(slots=True)
class _FaultRow:
    version: int
    history_len: int
    body: dict[str, Any]
    state: str
    severity: int | None
    priority: int | None
    component: str | None
    reported_us: int
    assignee: str | None
    due_us: int | None


def fault_index(
    fault: Fault, due: Callable[[Fault], datetime | None] | None = None
) -> dict[str, Any]:
    """What a store keeps of a fault beside its body, for the queries and the checks.

    ``history_len`` (the length of its event stream), ``state``, ``severity``,
    ``priority``, ``component``, ``reported_us``, ``assignee`` (the person's id) and
    ``due_us`` (``due(fault)``, the resolution due time, see
    :class:`~faultkit.storage.ResolutionDue`); the text ones are refused if a database
    could not index them.
    """
    check_no_nul("fault.id", fault.id)
    check_no_nul("fault.state", fault.state)
    check_no_nul("fault.report.component", fault.report.component)
    check_no_nul("fault.assignee.id", None if fault.assignee is None else fault.assignee.id)
    check_indexed_facts(fault.severity, fault.priority)
    due_at = None if due is None else due(fault)
    return {
        "history_len": len(fault.events),
        "state": fault.state,
        "severity": None if fault.severity is None else int(fault.severity),
        "priority": fault.priority,
        "component": fault.report.component,
        "reported_us": micros(fault.report.reported_at),
        "assignee": None if fault.assignee is None else fault.assignee.id,
        "due_us": None if due_at is None else micros(due_at),
    }


def _fault_row(
    codec: FaultCodec,
    fault: Fault,
    version: int,
    due: Callable[[Fault], datetime | None] | None = None,
) -> _FaultRow:
    body = codec.dump(fault)
    return _FaultRow(version=version, body=body, **fault_index(fault, due))


def _row_matches(
    row: _FaultRow, query: FaultQuery, low: int | None, high: int | None, due: int | None
) -> bool:
    if query.assignees is not None and row.assignee not in query.assignees:
        return False
    if due is not None and (row.due_us is None or row.due_us >= due):
        return False
    if query.states is not None and row.state not in query.states:
        return False
    if query.severities is not None and row.severity not in query.severities:
        return False
    if query.priorities is not None and row.priority not in query.priorities:
        return False
    if query.components is not None and row.component not in query.components:
        return False
    if low is not None and row.reported_us < low:
        return False
    return high is None or row.reported_us < high


class MemoryStore:
    """A store in memory: the reference implementation, thread-safe.

    Args:
        analysis_types: root-cause analysis classes faults may hold besides
            :class:`faultkit.rca.Analysis` (see :class:`~faultkit.storage.FaultCodec`).
        resolution_due: when a fault's resolution falls due, kept for
            ``FaultQuery(sla_due_before=...)`` (by default :data:`~faultkit.storage.DEFAULT_DUE`:
            the ``procedure`` workflow and the default SLA policy).

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
    """

    def __init__(
        self,
        *,
        analysis_types: Iterable[type[Any]] = (),
        resolution_due: Callable[[Fault], datetime | None] = DEFAULT_DUE,
    ) -> None:
        self._lock = threading.RLock()
        self._codec = FaultCodec(analysis_types)
        self._due = check_due(resolution_due)
        self._faults: dict[str, _FaultRow] = {}
        self._events: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.faults = MemoryFaultRepository(self)
        self.events = MemoryEventLog(self)
        self.feedback: MemoryRecordRepository[Feedback] = MemoryRecordRepository(self, FEEDBACK)
        self.clusters: MemoryRecordRepository[Cluster] = MemoryRecordRepository(self, CLUSTERS)
        self.actions: MemoryRecordRepository[Action] = MemoryRecordRepository(self, ACTIONS)
        self.risks: MemoryRecordRepository[RiskItem] = MemoryRecordRepository(self, RISKS)
        self.notices: MemoryRecordRepository[ResultNotice] = MemoryRecordRepository(self, NOTICES)
        self.survey_responses: MemoryRecordRepository[SurveyResponse] = MemoryRecordRepository(
            self, SURVEY_RESPONSES
        )
        self.plans: MemoryRecordRepository[MaintenancePlan] = MemoryRecordRepository(
            self, MAINTENANCE_PLANS
        )
        self.training: MemoryRecordRepository[TrainingRecord] = MemoryRecordRepository(
            self, TRAINING_RECORDS
        )
        self.sla_policies: MemoryRecordRepository[NamedSlaPolicy] = MemoryRecordRepository(
            self, SLA_POLICIES
        )
        self.workflows: MemoryRecordRepository[Workflow] = MemoryRecordRepository(self, WORKFLOWS)
        self.feedback_cases = MemoryFeedbackCaseRepository(self)
        self.problems = MemoryProblemRepository()

    def _append_events(
        self, fault_id: str, records: Sequence[FaultEvent], start: int
    ) -> tuple[Event, ...]:
        """Append under the lock; the caller has checked the stream's length."""
        stream = self._events.setdefault(fault_id, [])
        events = []
        dump = self._codec.dump_event
        for offset, record in enumerate(records):
            stream.append((micros(record.at), dump(record)))
            events.append(Event(fault_id=fault_id, seq=start + offset, record=record))
        return tuple(events)


class MemoryFaultRepository:
    """The faults of a :class:`MemoryStore`."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def add(self, fault: Fault) -> int:
        """See :meth:`faultkit.storage.FaultRepository.add`."""
        store = self._store
        row = _fault_row(store._codec, fault, 1, store._due)
        with store._lock:
            existing = store._faults.get(fault.id)
            if existing is not None:
                raise StorageConflictError(fault.id, 0, existing.version)
            stream = store._events.get(fault.id, ())
            if stream:
                raise StorageConflictError(events_key(fault.id), 0, len(stream))
            store._faults[fault.id] = row
            store._append_events(fault.id, fault.events, 0)
        return 1

    def get(self, fault_id: str) -> Versioned[Fault]:
        """See :meth:`faultkit.storage.FaultRepository.get`."""
        check_key("fault_id", fault_id)
        with self._store._lock:
            row = self._store._faults.get(fault_id)
        if row is None:
            raise RecordNotFoundError(fault_id)
        return Versioned(self._load(fault_id, row.body), row.version)

    def _load(self, fault_id: str, body: dict[str, Any]) -> Fault:
        return read_stored(fault_id, self._store._codec.load, body)

    def save(self, fault: Fault, *, expected_version: int) -> int:
        """See :meth:`faultkit.storage.FaultRepository.save`."""
        check_version("expected_version", expected_version)
        store = self._store
        row = _fault_row(store._codec, fault, expected_version + 1, store._due)
        with store._lock:
            old = store._faults.get(fault.id)
            if old is None:
                raise RecordNotFoundError(fault.id)
            if old.version != expected_version:
                raise StorageConflictError(fault.id, expected_version, old.version)
            stored, events = old.body["events"], row.body["events"]
            if events[: len(stored)] != stored:  # one C-speed compare when they agree
                check_fault_extends(fault.id, stored, events)
            new = fault.events[old.history_len :]
            store._faults[fault.id] = row
            store._append_events(fault.id, new, old.history_len)
        return row.version

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
        after = None if cursor is None else decode_cursor(cursor, (int, str))
        low = None if query.reported_from is None else micros(query.reported_from)
        high = None if query.reported_until is None else micros(query.reported_until)
        due = None if query.sla_due_before is None else micros(query.sla_due_before)
        with self._store._lock:
            rows = [
                ((row.reported_us, key), row)
                for key, row in self._store._faults.items()
                if _row_matches(row, query, low, high, due)
            ]
        rows = [item for item in rows if after is None or item[0] > after]
        rows.sort(key=lambda item: item[0])
        return page_of(
            rows,
            limit,
            lambda item: Versioned(self._load(item[0][1], item[1].body), item[1].version),
            lambda item: item[0],
        )


class MemoryEventLog:
    """The event log of a :class:`MemoryStore`."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def append(
        self, fault_id: str, records: Sequence[FaultEvent], *, expected_length: int
    ) -> tuple[Event, ...]:
        """See :meth:`faultkit.storage.EventLog.append`."""
        check_key("fault_id", fault_id)
        records = check_records(records)
        check_length("expected_length", expected_length)
        store = self._store
        with store._lock:
            if fault_id in store._faults:
                raise stored_fault_stream(fault_id)
            found = len(store._events.get(fault_id, ()))
            if found != expected_length:
                raise StorageConflictError(events_key(fault_id), expected_length, found)
            return store._append_events(fault_id, records, found)

    def _event(self, fault_id: str, seq: int, body: dict[str, Any]) -> Event:
        record = read_stored(event_key(fault_id, seq), self._store._codec.load_event, body)
        return Event(fault_id=fault_id, seq=seq, record=record)

    def for_fault(self, fault_id: str) -> tuple[Event, ...]:
        """See :meth:`faultkit.storage.EventLog.for_fault` (and :func:`read_stream`)."""
        check_key("fault_id", fault_id)
        store = self._store
        with store._lock:
            stream = [body for _, body in store._events.get(fault_id, ())]
        return read_stream(store._codec, fault_id, stream, lambda: fault_id in store._faults)

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
        after = None if cursor is None else decode_cursor(cursor, (int, str, int))
        with self._store._lock:
            found = [
                ((at_us, fault_id, seq), body)
                for fault_id, stream in self._store._events.items()
                for seq, (at_us, body) in enumerate(stream)
                if low <= at_us < high
            ]
        found = [item for item in found if after is None or item[0] > after]
        found.sort(key=lambda item: item[0])
        return page_of(
            found,
            limit,
            lambda item: self._event(item[0][1], item[0][2], item[1]),
            lambda item: item[0],
        )


def check_record(kind: RecordKind[T], record: Any) -> str:
    """The key of ``record``, after checking it is of ``kind``."""
    if not isinstance(record, kind.type):
        raise InvalidInputError("record", record, f"expected a {kind.type.__name__}")
    return check_key("key", kind.key(record))


def record_fault(kind: RecordKind[T], record: T) -> str | None:
    """The fault id ``record`` is indexed under (:meth:`RecordKind.fault_of`).

    A ``fault_id`` no stored fault can have (a NUL, a lone surrogate, past
    :data:`~faultkit.storage.records.MAX_KEY_LENGTH`) is kept in the record but not
    indexed: no fault query could name it.
    """
    linked = kind.fault_of(record)
    try:
        check_no_nul("record.fault_id", linked)
    except InvalidInputError:
        return None
    return linked


def check_fault_filter(fault_id: Any) -> str | None:
    """``fault_id`` of a record query: ``None`` (every record) or a fault id."""
    return None if fault_id is None else check_key("fault_id", fault_id)


class MemoryRecordRepository(Generic[T]):
    """Records of one kind in a :class:`MemoryStore`."""

    def __init__(self, store: MemoryStore, kind: RecordKind[T]) -> None:
        self._store = store
        self._kind = kind
        self._rows: dict[str, tuple[int, Any, str | None]] = {}

    def add(self, record: T) -> int:
        """See :meth:`faultkit.storage.RecordRepository.add`."""
        key = check_record(self._kind, record)
        linked = record_fault(self._kind, record)
        body = self._kind.dump(record)
        with self._store._lock:
            existing = self._rows.get(key)
            if existing is not None:
                raise StorageConflictError(key, 0, existing[0])
            self._rows[key] = (1, body, linked)
        return 1

    def _load(self, key: str, body: Any) -> T:
        return read_stored(key, self._kind.read, body)

    def get(self, key: str) -> Versioned[T]:
        """See :meth:`faultkit.storage.RecordRepository.get`."""
        check_key("key", key)
        with self._store._lock:
            row = self._rows.get(key)
        if row is None:
            raise RecordNotFoundError(key)
        return Versioned(self._load(key, row[1]), row[0])

    def save(self, record: T, *, expected_version: int) -> int:
        """See :meth:`faultkit.storage.RecordRepository.save`."""
        check_version("expected_version", expected_version)
        key = check_record(self._kind, record)
        linked = record_fault(self._kind, record)
        body = self._kind.dump(record)
        with self._store._lock:
            row = self._rows.get(key)
            if row is None:
                raise RecordNotFoundError(key)
            if row[0] != expected_version:
                raise StorageConflictError(key, expected_version, row[0])
            self._rows[key] = (expected_version + 1, body, linked)
        return expected_version + 1

    def query(
        self,
        *,
        fault_id: str | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        cursor: str | None = None,
    ) -> Page[Versioned[T]]:
        """See :meth:`faultkit.storage.RecordRepository.query`."""
        linked = check_fault_filter(fault_id)
        check_limit(limit)
        after = None if cursor is None else decode_cursor(cursor, (str,))[0]
        with self._store._lock:
            rows = sorted(
                (key, row)
                for key, row in self._rows.items()
                if (after is None or key > after) and (linked is None or row[2] == linked)
            )
        return page_of(
            rows,
            limit,
            lambda item: Versioned(self._load(item[0], item[1][1]), item[1][0]),
            lambda item: (item[0],),
        )
