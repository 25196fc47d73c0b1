"""The repository protocols: what a store must do, and nothing more.

Each protocol is as small as its users need. A store is any object with the
repositories as attributes (see :class:`Store`); faultkit ships two,
:class:`~faultkit.storage.MemoryStore` (the reference) and
:class:`~faultkit.adapters.sql.SqlStore`, and
:class:`faultkit.testing.storage_contract.StorageContract` checks that a third one
behaves like the reference.

Writes use optimistic concurrency: a caller saves with the version it read, and a
mismatch raises :class:`~faultkit.errors.StorageConflictError` naming the expected
and the found version; the caller re-reads, re-applies its change and saves again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, TypeVar, runtime_checkable

from faultkit.feedback import Cluster, Feedback, FeedbackCase, ResultNotice, SurveyResponse
from faultkit.lifecycle import Workflow
from faultkit.lifecycle.events import FaultEvent
from faultkit.lifecycle.fault import Fault
from faultkit.problems import Problem
from faultkit.rca import Action, MaintenancePlan, RiskItem, TrainingRecord
from faultkit.storage.kinds import NamedSlaPolicy
from faultkit.storage.problems import ProblemQuery
from faultkit.storage.records import (
    DEFAULT_PAGE_SIZE,
    Event,
    FaultQuery,
    FeedbackQuery,
    Page,
    Versioned,
)

__all__ = [
    "EventLog",
    "FaultRepository",
    "FeedbackCaseRepository",
    "ProblemRepository",
    "RecordRepository",
    "Store",
]

T = TypeVar("T")


@runtime_checkable
class FaultRepository(Protocol):
    """Faults in handling, versioned, with the queries a work queue needs.

    A stored fault is its event stream: saving a fault appends its new events to the
    store's :class:`EventLog`, in the same transaction, and nothing else ever writes
    to that stream.
    """

    def add(self, fault: Fault) -> int:
        """Store a new fault and its stream; returns its version, 1.

        Raises:
            StorageConflictError: a fault with this id is stored (expected 0, found
                its version), or a stream with its id exists (``"<id>/events"``).
        """
        ...

    def get(self, fault_id: str) -> Versioned[Fault]:
        """The stored fault (a fresh copy) and its version.

        Raises:
            RecordNotFoundError: no fault has this id.
            CorruptRecordError: the stored data cannot be read back (names the id).
        """
        ...

    def save(self, fault: Fault, *, expected_version: int) -> int:
        """Replace the stored fault if it is still at ``expected_version``; return the new version.

        The fault's stream must extend the stored one unchanged: a save only adds
        events, and its new events are appended to the event log.

        Raises:
            StorageConflictError: the stored version is not ``expected_version``.
            RecordNotFoundError: no fault has this id.
            InvalidInputError: the stream is shorter than the stored one or one of its
                events differs (the field names the first, ``events[i]``).
        """
        ...

    def query(
        self,
        query: FaultQuery | None = None,
        *,
        limit: int = DEFAULT_PAGE_SIZE,
        cursor: str | None = None,
    ) -> Page[Versioned[Fault]]:
        """The faults matching ``query``, by report time then id, one page at a time."""
        ...


@runtime_checkable
class EventLog(Protocol):
    """Every event of every fault, append-only: no update, no delete."""

    def append(
        self, fault_id: str, records: Sequence[FaultEvent], *, expected_length: int
    ) -> tuple[Event, ...]:
        """Append ``records`` to a stream, if it still has ``expected_length`` events.

        For streams kept without a fault record (an imported log). The stream of a
        stored fault grows only through :meth:`FaultRepository.save`.

        Raises:
            StorageConflictError: the stream's length is not ``expected_length``
                (versions here are lengths).
            InvalidInputError: ``fault_id`` is a stored fault's.
        """
        ...

    def for_fault(self, fault_id: str) -> tuple[Event, ...]:
        """The fault's events in order (empty when there are none).

        The events of a stored fault are those the fault reads: a stream written by an
        older release is read upgraded, as the fault is loaded (see
        :func:`~faultkit.storage.memory.read_stream`).

        Raises:
            CorruptRecordError: a stored event cannot be read back (names it).
        """
        ...

    def between(
        self,
        start: datetime,
        end: datetime,
        *,
        limit: int = DEFAULT_PAGE_SIZE,
        cursor: str | None = None,
    ) -> Page[Event]:
        """The events with ``start <= at < end``, by time, fault id and position.

        Events as stored, at their stored positions: upgrading an older release's
        events needs the whole stream (read it with :meth:`for_fault`).
        """
        ...


@runtime_checkable
class RecordRepository(Protocol[T]):
    """Records of one kind (feedback, clusters, ...) by key, versioned."""

    def add(self, record: T) -> int:
        """Store a new record; returns its version, 1.

        Raises:
            StorageConflictError: a record with this key is stored.
        """
        ...

    def get(self, key: str) -> Versioned[T]:
        """The stored record and its version.

        Raises:
            RecordNotFoundError: no record has this key.
            CorruptRecordError: the stored data cannot be read back.
        """
        ...

    def save(self, record: T, *, expected_version: int) -> int:
        """Replace the stored record if still at ``expected_version``; return the new version.

        Raises:
            StorageConflictError: the stored version is not ``expected_version``.
            RecordNotFoundError: no record has this key.
        """
        ...

    def query(
        self,
        *,
        fault_id: str | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        cursor: str | None = None,
    ) -> Page[Versioned[T]]:
        """Every record (or those linked to fault ``fault_id``), by key, one page at a time.

        A record is linked to a fault by its ``fault_id`` field (clusters, result
        notices, survey responses); kinds without one have no linked records.
        """
        ...


@runtime_checkable
class FeedbackCaseRepository(Protocol):
    """Feedback cases (a feedback item and its events), versioned, with filtered queries.

    A case's events only grow: a save whose events do not begin with the stored ones,
    or whose feedback item differs from the stored one, is refused.
    """

    def add(self, case: FeedbackCase) -> int:
        """Store a new case; returns its version, 1.

        Raises:
            StorageConflictError: a case with this id is stored.
        """
        ...

    def get(self, feedback_id: str) -> Versioned[FeedbackCase]:
        """The stored case and its version.

        Raises:
            RecordNotFoundError: no case has this id.
            CorruptRecordError: the stored data cannot be read back (names the id).
        """
        ...

    def save(self, case: FeedbackCase, *, expected_version: int) -> int:
        """Replace the stored case if still at ``expected_version``; return the new version.

        Raises:
            StorageConflictError: the stored version is not ``expected_version``.
            RecordNotFoundError: no case has this id.
            InvalidInputError: the case rewrites stored history (its events do not
                begin with the stored events, or its feedback item changed).
        """
        ...

    def query(
        self,
        query: FeedbackQuery | None = None,
        *,
        limit: int = DEFAULT_PAGE_SIZE,
        cursor: str | None = None,
    ) -> Page[Versioned[FeedbackCase]]:
        """The cases matching ``query``, by receipt time then id, one page at a time.

        Raises:
            InvalidInputError: a bad query, limit, or a cursor not made by this query.
        """
        ...


@runtime_checkable
class ProblemRepository(Protocol):
    """Problem records (a record and its events), versioned, with filtered queries.

    A problem's events only grow: a save whose events do not begin with the stored
    ones, or whose record differs from the stored one, is refused.
    """

    def add(self, problem: Problem) -> int:
        """Store a new problem; returns its version, 1.

        Raises:
            StorageConflictError: a problem with this id is stored.
        """
        ...

    def get(self, problem_id: str) -> Versioned[Problem]:
        """The stored problem and its version.

        Raises:
            RecordNotFoundError: no problem has this id.
            CorruptRecordError: the stored data cannot be read back (names the id).
        """
        ...

    def save(self, problem: Problem, *, expected_version: int) -> int:
        """Replace the stored problem if still at ``expected_version``; return the new version.

        Raises:
            StorageConflictError: the stored version is not ``expected_version``.
            RecordNotFoundError: no problem has this id.
            InvalidInputError: the problem rewrites stored history.
        """
        ...

    def query(
        self,
        query: ProblemQuery | None = None,
        *,
        limit: int = DEFAULT_PAGE_SIZE,
        cursor: str | None = None,
    ) -> Page[Versioned[Problem]]:
        """The problems matching ``query`` (status, product, component, linked fault,
        error code), by opening time then id, one page at a time.

        Raises:
            InvalidInputError: a bad query, limit, or a cursor not made by this query.
        """
        ...


@runtime_checkable
class Store(Protocol):
    """A store: the repositories, sharing one database (and one transaction for a save)."""

    @property
    def faults(self) -> FaultRepository:
        """The faults."""
        ...

    @property
    def events(self) -> EventLog:
        """The event log of the faults' transitions."""
        ...

    @property
    def feedback(self) -> RecordRepository[Feedback]:
        """Customer feedback records, any channel."""
        ...

    @property
    def feedback_cases(self) -> FeedbackCaseRepository:
        """Feedback cases: status, replies, evidence, links, queried by filters."""
        ...

    @property
    def clusters(self) -> RecordRepository[Cluster]:
        """Clusters of feedback about the same problem."""
        ...

    @property
    def actions(self) -> RecordRepository[Action]:
        """Corrective and preventive actions."""
        ...

    @property
    def risks(self) -> RecordRepository[RiskItem]:
        """Entries of the risk register (potential failure points)."""
        ...

    @property
    def notices(self) -> RecordRepository[ResultNotice]:
        """Result notices told to customers."""
        ...

    @property
    def survey_responses(self) -> RecordRepository[SurveyResponse]:
        """Answers to satisfaction surveys."""
        ...

    @property
    def plans(self) -> RecordRepository[MaintenancePlan]:
        """Maintenance and inspection plans."""
        ...

    @property
    def training(self) -> RecordRepository[TrainingRecord]:
        """Training records, by person and product area."""
        ...

    @property
    def sla_policies(self) -> RecordRepository[NamedSlaPolicy]:
        """SLA policies, by name."""
        ...

    @property
    def workflows(self) -> RecordRepository[Workflow]:
        """Workflow tables, by name."""
        ...

    @property
    def problems(self) -> ProblemRepository:
        """Problem records (ITIL 4 problem management) and their events."""
        ...
