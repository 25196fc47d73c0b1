"""The values stores hand back: versioned items, pages, queries, events, cursors.

Every store returns the same values, so code written against one store runs against
any other. Times are compared exactly: stores keep them as whole microseconds since
the Unix epoch (UTC), so ``2024-05-01T11:00+02:00`` and ``2024-05-01T09:00Z`` are the
same instant everywhere.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar

import attrs

from faultkit import _validators as v
from faultkit.errors import CorruptRecordError, InvalidInputError
from faultkit.feedback import FeedbackCase, FeedbackStatus
from faultkit.lifecycle.events import Comment, FactChange, FaultEvent, TransitionRecord
from faultkit.lifecycle.fault import Fault
from faultkit.models import IntakeChannel, Severity

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_COUNT",
    "MAX_KEY_LENGTH",
    "MAX_PAGE_SIZE",
    "CorruptRecord",
    "Event",
    "FaultQuery",
    "FeedbackQuery",
    "Page",
    "Versioned",
]

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_PAGE_SIZE = 100
"""Items per page when the caller does not say."""

MAX_PAGE_SIZE = 10_000
"""The largest page a store hands out in one call."""

MAX_KEY_LENGTH = 512
"""The longest key (id), state or component a store accepts, in characters."""

MAX_COUNT = 2**31 - 1
"""The largest version or stream length a store accepts (a 32-bit SQL integer)."""

_INT64 = 2**63

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def micros(at: datetime) -> int:
    """``at`` as whole microseconds since the Unix epoch (UTC); exact, sortable."""
    return (at - _EPOCH) // _MICROSECOND


def _fault_event(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, TransitionRecord | FactChange | Comment):
        raise InvalidInputError(attribute.name, value, "expected a fault event")


@attrs.frozen
class Versioned(Generic[T]):
    """A stored item with the version it was read at.

    Save it back with ``expected_version=version``; versions start at 1 and grow by
    one with each save.

    Attributes:
        item: the item (a fresh copy: changing it does not change the store).
        version: the stored version.
    """

    item: T
    version: int


@attrs.frozen(kw_only=True)
class CorruptRecord:
    """A stored record a query could not read back (it is reported, not skipped).

    Attributes:
        key: the record's key (for an event, ``"<fault id>#<position>"``).
        reason: what is wrong with the stored data.
    """

    key: str
    reason: str


@attrs.frozen(kw_only=True)
class Page(Generic[T]):
    """One page of a query's results, in the query's stable order.

    Attributes:
        items: the items read.
        next_cursor: pass it as ``cursor=`` to read the next page; ``None`` on the
            last page. Items added after the first page come in later pages only if
            they sort after the cursor; no item is returned twice.
        corrupt: stored records in this page's range that could not be read back,
            with their keys.
    """

    items: tuple[T, ...]
    next_cursor: str | None = None
    corrupt: tuple[CorruptRecord, ...] = ()


@attrs.frozen(kw_only=True)
class Event:
    """One entry of the event log: a fault's event at its position in the fault's stream.

    Attributes:
        fault_id: the fault's id.
        seq: the 0-based position of the event in the fault's stream.
        record: the event (a transition, a fact change or a comment).
    """

    fault_id: str = attrs.field(validator=v.non_empty_str)
    seq: int = attrs.field(validator=v.non_negative_int)
    record: FaultEvent = attrs.field(validator=_fault_event)

    @property
    def at(self) -> datetime:
        """When the event happened."""
        return self.record.at


def _str_set(value: Any) -> Any:
    if value is None or isinstance(value, frozenset):
        return value
    if isinstance(value, str):
        return frozenset((value,))
    if isinstance(value, Iterable):
        return frozenset(value)
    return value


def _severity_set(value: Any) -> Any:
    value = _str_set(value)
    if isinstance(value, frozenset):
        out = set()
        for item in value:
            if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= 5:
                raise InvalidInputError("severities", item, "expected a Severity (1 to 5)")
            out.add(Severity(item))
        return frozenset(out)
    return value


def _set_of(check: Any) -> Any:
    def validate(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if not isinstance(value, frozenset):
            raise InvalidInputError(attribute.name, value, "expected a set of values or None")
        for item in value:
            check(inst, attribute, item)

    return validate


def _priority(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInputError(attribute.name, value, "expected a priority number from 1 to 5")


@attrs.frozen(kw_only=True)
class FaultQuery:
    """Which faults to read: every filter given must match (``None``: any value).

    Results come ordered by report time, then id: a stable order that cursors page
    through.

    Attributes:
        states: the states to include.
        severities: the severities to include (faults not yet assessed never match).
        priorities: the priority numbers (1-5) to include (unassessed never match).
        components: the report components to include (faults without one never match).
        reported_from: earliest report time included (timezone-aware).
        reported_until: report time from which faults are excluded (timezone-aware).
        assignees: the ids of the persons assigned (unassigned faults never match).
        sla_due_before: only faults whose resolution falls due before this time
            (timezone-aware); see :class:`~faultkit.storage.ResolutionDue` for what
            the store keeps (faults without a running resolution clock never match).

    A single string is taken as a set of one (``states="diagnosing"``).
    """

    states: frozenset[str] | None = attrs.field(
        default=None, converter=_str_set, validator=_set_of(v.non_empty_str)
    )
    severities: frozenset[Severity] | None = attrs.field(
        default=None, converter=_severity_set, validator=_set_of(v.member_of(Severity))
    )
    priorities: frozenset[int] | None = attrs.field(
        default=None, converter=_str_set, validator=_set_of(_priority)
    )
    components: frozenset[str] | None = attrs.field(
        default=None, converter=_str_set, validator=_set_of(v.non_empty_str)
    )
    reported_from: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    reported_until: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    assignees: frozenset[str] | None = attrs.field(
        default=None, converter=_str_set, validator=_set_of(v.non_empty_str)
    )
    sla_due_before: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)

    def __attrs_post_init__(self) -> None:
        _check_time_range("reported", self.reported_from, self.reported_until)

    def matches(self, fault: Fault, due: datetime | None = None) -> bool:
        """Whether ``fault``, whose resolution is ``due`` then, passes every filter."""
        if self.assignees is not None and (
            fault.assignee is None or fault.assignee.id not in self.assignees
        ):
            return False
        if self.sla_due_before is not None and (
            due is None or v.since_epoch(due) >= v.since_epoch(self.sla_due_before)
        ):
            return False
        if self.states is not None and fault.state not in self.states:
            return False
        if self.severities is not None and fault.severity not in self.severities:
            return False
        if self.priorities is not None and fault.priority not in self.priorities:
            return False
        if self.components is not None and fault.report.component not in self.components:
            return False
        reported = v.since_epoch(fault.report.reported_at)
        if self.reported_from is not None and reported < v.since_epoch(self.reported_from):
            return False
        return self.reported_until is None or reported < v.since_epoch(self.reported_until)


def _check_time_range(name: str, start: datetime | None, end: datetime | None) -> None:
    """Refuse a query time range ``<name>_from`` .. ``<name>_until`` that runs backwards.

    The two ends are compared as instants (a time in a DST fold is not later than the
    same wall time before it); an empty period (``until == from``) is allowed.
    """
    if start is not None and end is not None and v.since_epoch(end) < v.since_epoch(start):
        raise InvalidInputError(
            f"{name}_until", end, f"is before {name}_from ({start.isoformat()})"
        )


def _members(enum_type: Any, name: str, value: Any) -> Any:
    value = _str_set(value)
    if not isinstance(value, frozenset):
        return value
    out = set()
    for item in value:
        try:
            out.add(enum_type(item))
        except ValueError:
            allowed = ", ".join(member.value for member in enum_type)
            raise InvalidInputError(name, item, f"expected one of {allowed}") from None
    return frozenset(out)


def _statuses(value: Any) -> Any:
    return _members(FeedbackStatus, "statuses", value)


def _channels(value: Any) -> Any:
    return _members(IntakeChannel, "channels", value)


@attrs.frozen(kw_only=True)
class FeedbackQuery:
    """Which feedback cases to read: every filter given must match (``None``: any value).

    Results come ordered by the time the feedback was received, then id: a stable
    order that cursors page through.

    Attributes:
        statuses: the statuses to include.
        channels: the intake channels to include.
        products: the products to include (feedback without one never matches).
        fault_ids: the faults the feedback is linked to (unlinked never matches).
        cluster_ids: the clusters the feedback is in (unclustered never matches).
        received_from: earliest receipt time included (timezone-aware).
        received_until: receipt time from which cases are excluded (timezone-aware);
            not before ``received_from`` (``InvalidInputError`` names it otherwise).

    A single string is taken as a set of one (``statuses="new"``).
    """

    statuses: frozenset[FeedbackStatus] | None = attrs.field(
        default=None,
        converter=_statuses,
        validator=_set_of(v.member_of(FeedbackStatus)),
    )
    channels: frozenset[IntakeChannel] | None = attrs.field(
        default=None,
        converter=_channels,
        validator=_set_of(v.member_of(IntakeChannel)),
    )
    products: frozenset[str] | None = attrs.field(
        default=None, converter=_str_set, validator=_set_of(v.non_empty_str)
    )
    fault_ids: frozenset[str] | None = attrs.field(
        default=None, converter=_str_set, validator=_set_of(v.non_empty_str)
    )
    cluster_ids: frozenset[str] | None = attrs.field(
        default=None, converter=_str_set, validator=_set_of(v.non_empty_str)
    )
    received_from: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)
    received_until: datetime | None = attrs.field(default=None, validator=v.optional_aware_datetime)

    def __attrs_post_init__(self) -> None:
        _check_time_range("received", self.received_from, self.received_until)

    def matches(self, case: FeedbackCase) -> bool:
        """Whether ``case`` passes every filter of this query."""
        item = case.feedback
        checks = (
            (self.statuses, case.status),
            (self.channels, item.channel),
            (self.products, item.product),
            (self.fault_ids, case.fault_id),
            (self.cluster_ids, case.cluster_id),
        )
        if any(allowed is not None and value not in allowed for allowed, value in checks):
            return False
        received = v.since_epoch(item.received_at)
        if self.received_from is not None and received < v.since_epoch(self.received_from):
            return False
        return self.received_until is None or received < v.since_epoch(self.received_until)


# --------------------------------------------------------------------------- cursors


def encode_cursor(position: tuple[int | str, ...]) -> str:
    """An opaque cursor for a position in a stable order."""
    raw = json.dumps(list(position), separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, shape: tuple[type, ...]) -> tuple[Any, ...]:
    """The position a cursor names, checked against ``shape`` (types of its parts).

    Integers must fit a 64-bit column and text must be indexable (:func:`check_no_nul`):
    a forged cursor is invalid input, never a driver error.

    Raises:
        InvalidInputError: the cursor was not made by this kind of query.
    """
    if type(cursor) is not str:
        raise InvalidInputError("cursor", cursor, "expected a cursor string from a Page")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        raise InvalidInputError("cursor", cursor, "not a cursor made by this store") from None
    if (
        type(data) is not list
        or len(data) != len(shape)
        or any(type(part) is not kind for part, kind in zip(data, shape, strict=True))
    ):
        raise InvalidInputError("cursor", cursor, "not a cursor for this kind of query")
    for part in data:
        if type(part) is int and not -_INT64 <= part < _INT64:
            raise InvalidInputError("cursor", cursor, "not a cursor made by this store")
        if type(part) is str:
            try:
                check_no_nul("cursor", part)
            except InvalidInputError:
                raise InvalidInputError(
                    "cursor", cursor, "not a cursor made by this store"
                ) from None
    return tuple(data)


def page_of(
    rows: Sequence[R],
    limit: int,
    load: Callable[[R], T],
    position: Callable[[R], tuple[int | str, ...]],
) -> Page[T]:
    """The page of the first ``limit`` rows, from rows fetched one past the limit.

    Each row is loaded with ``load``; a row whose ``load`` raises
    :class:`~faultkit.errors.CorruptRecordError` is listed in ``corrupt`` instead. The
    next cursor, given only when there was a row past the limit, names ``position`` of
    the last row on the page.
    """
    chosen = rows[:limit]
    items: list[T] = []
    corrupt: list[CorruptRecord] = []
    for row in chosen:
        try:
            items.append(load(row))
        except CorruptRecordError as exc:
            corrupt.append(CorruptRecord(key=exc.key, reason=exc.reason))
    next_cursor = encode_cursor(position(chosen[-1])) if len(rows) > limit else None
    return Page(items=tuple(items), next_cursor=next_cursor, corrupt=tuple(corrupt))


def read_stored(key: str, read: Callable[[Any], T], data: Any) -> T:
    """``read(data)``, a stored record; one that does not validate is corrupt.

    Raises:
        CorruptRecordError: ``read`` refused the data (naming ``key``).
    """
    try:
        return read(data)
    except InvalidInputError as exc:
        raise CorruptRecordError(key, str(exc)) from None


def check_limit(limit: Any) -> int:
    """``limit`` if it is a page size from 1 to :data:`MAX_PAGE_SIZE`."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInputError("limit", limit, f"expected a page size from 1 to {MAX_PAGE_SIZE}")
    return limit


def check_key(name: str, key: Any) -> str:
    """``key`` if it is a non-blank string a database can index (see :func:`check_no_nul`)."""
    if type(key) is not str or not key.strip():
        raise InvalidInputError(name, key, "expected a non-blank string")
    check_no_nul(name, key)
    return key


def check_no_nul(name: str, value: str | None) -> None:
    """Refuse text a database cannot index: NUL characters (PostgreSQL cannot store
    them), lone surrogates (not encodable as UTF-8), and more than
    :data:`MAX_KEY_LENGTH` characters (PostgreSQL refuses index entries past about
    2,700 bytes; a character is at most 4 bytes of UTF-8)."""
    if value is None:
        return
    if len(value) > MAX_KEY_LENGTH:
        raise InvalidInputError(
            name, value, f"longer than {MAX_KEY_LENGTH} characters ({len(value)}): not a key"
        )
    if "\x00" in value:
        raise InvalidInputError(name, value, "must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError(name, value, "must be valid Unicode (no lone surrogates)") from None


def check_indexed_facts(severity: Any, priority: Any) -> None:
    """Refuse a fault's severity or priority that is not a number from 1 to 5.

    The fault validates them when set through its commands; one set by plain assignment
    is refused here, before it reaches a database (an integer column).
    """
    if severity is not None and (
        type(severity) is not Severity and (type(severity) is not int or not 1 <= severity <= 5)
    ):
        raise InvalidInputError("fault.severity", severity, "expected a Severity (1 to 5)")
    if priority is not None and (type(priority) is not int or not 1 <= priority <= 5):
        raise InvalidInputError("fault.priority", priority, "expected a priority from 1 to 5")


def check_version(name: str, version: Any) -> int:
    """``version`` if it is a version number (1 to :data:`MAX_COUNT`)."""
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= MAX_COUNT:
        raise InvalidInputError(name, version, f"expected a version number (1 to {MAX_COUNT})")
    return version


def check_length(name: str, length: Any) -> int:
    """``length`` if it is a length (an int, 0 to :data:`MAX_COUNT`)."""
    if isinstance(length, bool) or not isinstance(length, int) or not 0 <= length <= MAX_COUNT:
        raise InvalidInputError(name, length, f"expected an int from 0 to {MAX_COUNT}")
    return length
