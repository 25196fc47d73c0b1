"""The fast writer of fault events: the mirror of :mod:`faultkit.lifecycle.fastread`.

A store writes the whole stream of a fault on every save, and
:func:`faultkit.serialization.to_dict` (cattrs' generic unstructuring, one hook call per
field) spent most of a save there. :func:`write_events` gives, for each event, exactly
the object the general way gives (the same keys in the same order, the same values)
with plain attribute reads:

- a comment: ``actor``, ``at``, ``text``, ``work_note``, then ``kind``;
- a transition: ``from_state``, ``to_state``, ``trigger``, ``actor``, ``at``,
  ``reason``, then ``kind``;
- a fact change: ``kind``, ``fact``, ``command``, ``actor``, ``at``, ``before``,
  ``after``, ``reason``; a value that is ``None``, a JSON scalar (``str``, ``int``,
  ``float``, ``bool``), an enumeration member (its value) or a date-time is written
  here, any other (a record, a tuple, an analysis) by the codec's own writer.

Times are written by :func:`write_time`, :meth:`datetime.isoformat` (the text the
converter writes), once per time object of a stream: events read from a store share
the object of each distinct text (see :func:`~faultkit.lifecycle.fastread.read_events`).
:func:`write_report` does the same for the :class:`~faultkit.models.FaultReport`; its
nested records (steps, environment, attachments, preliminary cause) go through
:func:`~faultkit.serialization.to_dict`. A property test checks that both ways give
equal data, and the same JSON text, for every event kind and for random reports.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from faultkit.errors import InvalidInputError
from faultkit.lifecycle.events import Comment, FactChange, FaultEvent, TransitionRecord
from faultkit.lifecycle.layouts import FAST_EVENTS, FAST_REPORT
from faultkit.models import FaultReport, Reporter
from faultkit.serialization import to_dict

__all__ = ["write_event", "write_events", "write_report", "write_time"]

ValueWriter = Callable[[str, Any], Any]
"""Writes a fact's value the general way: ``(fact, value) -> JSON-ready data``."""

_isoformat = datetime.isoformat
_SCALARS = frozenset({str, int, float, bool})
_ERROR = "expected a fault event"


def write_time(at: datetime, memo: dict[int, str]) -> str:
    """``at`` as ISO 8601 text with its offset (``at.isoformat()``), memoised by object.

    ``memo`` maps ``id(at)`` to its text; it must live no longer than the objects whose
    ids it holds (one stream being written), so that no id is reused meanwhile.
    """
    text = memo.get(id(at))
    if text is None:
        text = memo[id(at)] = _isoformat(at)
    return text


def _value(fact: str, value: Any, general: ValueWriter, memo: dict[int, str]) -> Any:
    """A fact's value as JSON-ready data: the simple kinds here, the rest by ``general``."""
    if value is None:
        return None
    if fact == "analysis":  # written with its type tag
        return general(fact, value)
    cls = type(value)
    if cls in _SCALARS:
        return value
    if isinstance(value, enum.Enum):
        return value.value  # as the converter writes every enumeration
    if cls is datetime:
        return write_time(value, memo)
    return general(fact, value)


def _write(event: Any, general: ValueWriter, memo: dict[int, str]) -> dict[str, Any] | None:
    """One event as data, or ``None`` when it is not a fault event."""
    cls = type(event)
    if cls is Comment:
        return {
            "actor": event.actor,
            "at": write_time(event.at, memo),
            "text": event.text,
            "work_note": event.work_note,
            "kind": "comment",
        }
    if cls is TransitionRecord:
        return {
            "from_state": event.from_state,
            "to_state": event.to_state,
            "trigger": event.trigger,
            "actor": event.actor,
            "at": write_time(event.at, memo),
            "reason": event.reason,
            "kind": "transition",
        }
    if cls is FactChange:
        fact = event.fact
        return {
            "kind": "fact",
            "fact": fact,
            "command": event.command,
            "actor": event.actor,
            "at": write_time(event.at, memo),
            "before": _value(fact, event.before, general, memo),
            "after": _value(fact, event.after, general, memo),
            "reason": event.reason,
        }
    return None


def _general_event(event: Any, general: ValueWriter) -> dict[str, Any] | None:
    """The converter's way (used when the records' fields are not the ones written here)."""
    kind = {Comment: "comment", TransitionRecord: "transition", FactChange: "fact"}.get(type(event))
    if kind is None:
        return None
    if type(event) is not FactChange:
        data: dict[str, Any] = to_dict(event)
        data["kind"] = kind
        return data
    return {
        "kind": kind,
        "fact": event.fact,
        "command": event.command,
        "actor": event.actor,
        "at": to_dict(event.at),
        "before": None if event.before is None else general(event.fact, event.before),
        "after": None if event.after is None else general(event.fact, event.after),
        "reason": event.reason,
    }


def write_event(event: FaultEvent, general: ValueWriter) -> dict[str, Any]:
    """One event as JSON-ready data (an object with its ``kind``).

    Args:
        event: a :class:`~faultkit.lifecycle.Comment`,
            :class:`~faultkit.lifecycle.TransitionRecord` or
            :class:`~faultkit.lifecycle.FactChange`.
        general: writes a fact's value the general way (the codec's writer, which
            knows the analysis types).

    Raises:
        InvalidInputError: ``event`` is not a fault event (``field`` is ``"event"``).
    """
    data = _write(event, general, {}) if FAST_EVENTS else _general_event(event, general)
    if data is None:
        raise InvalidInputError("event", event, _ERROR)
    return data


def write_events(events: Iterable[FaultEvent], general: ValueWriter) -> list[dict[str, Any]]:
    """A stream's events as JSON-ready data, each as :func:`write_event` writes it.

    Raises:
        InvalidInputError: an item is not a fault event (``field`` is ``events[<i>]``).
    """
    memo: dict[int, str] = {}
    known = memo.get
    out: list[dict[str, Any]] = []
    append = out.append
    for index, event in enumerate(events):
        if FAST_EVENTS and type(event) is Comment:  # most events are comments: inline
            at = event.at
            text = known(id(at))
            if text is None:
                text = memo[id(at)] = _isoformat(at)
            append(
                {
                    "actor": event.actor,
                    "at": text,
                    "text": event.text,
                    "work_note": event.work_note,
                    "kind": "comment",
                }
            )
            continue
        data = _write(event, general, memo) if FAST_EVENTS else _general_event(event, general)
        if data is None:
            raise InvalidInputError(f"events[{index}]", event, _ERROR)
        append(data)
    return out


# ---------------------------------------------------------------------- the report


def write_report(report: FaultReport) -> dict[str, Any]:
    """``report`` as JSON-ready data: exactly ``to_dict(report)``, with plain reads.

    The nested records (steps, environment, attachments, preliminary cause) are
    written by :func:`~faultkit.serialization.to_dict`; a report whose reporter is of
    a subclass of :class:`~faultkit.models.Reporter` is written by it whole.
    """
    reporter = report.reporter
    if not FAST_REPORT or type(report) is not FaultReport or type(reporter) is not Reporter:
        return to_dict(report)  # type: ignore[no-any-return]
    environment, cause = report.environment, report.preliminary_cause
    return {
        "id": report.id,
        "title": report.title,
        "description": report.description,
        "observed_at": _isoformat(report.observed_at),
        "reported_at": _isoformat(report.reported_at),
        "reporter": {
            "id": reporter.id,
            "name": reporter.name,
            "email": reporter.email,
            "is_customer": reporter.is_customer,
            "organisation": reporter.organisation,
        },
        "channel": report.channel.value,
        "product": report.product,
        "component": report.component,
        "version": report.version,
        "frequency": report.frequency.value,
        "impact_scope": report.impact_scope.value,
        "affected_users": report.affected_users,
        "steps": [to_dict(step) for step in report.steps],
        "environment": None if environment is None else to_dict(environment),
        "error_codes": list(report.error_codes),
        "attachments": [to_dict(item) for item in report.attachments],
        "preliminary_cause": None if cause is None else to_dict(cause),
        "suggested_fix": report.suggested_fix,
        "urgency": report.urgency.value,
    }
