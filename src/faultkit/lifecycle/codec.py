"""How a :class:`~faultkit.lifecycle.Fault` and its events become JSON-ready data and back.

A fault is written as its report, its state and its event stream; the facts are not
written, they are what the events say (reading a fault replays its stream). Each event
is an object with a ``kind`` (``"transition"``, ``"fact"``, ``"comment"``); the values
of a fact change go through :func:`faultkit.serialization.to_dict` / ``from_dict`` with
the fact's type (:data:`faultkit.lifecycle.FACTS`), and a root-cause analysis is written
with a type tag. A tag is looked up in the codec's table of known analysis types, never
imported or evaluated: data cannot make a reader load code.

Data written before the fault case (``history`` and the facts as fields) is still
read: the facts become :class:`~faultkit.lifecycle.FactChange` events of command
``"import"`` at the time of the last event, by the actor ``"faultkit-import"``.
Streams written while the analysis held copies of the actions (``"action"`` events,
an analysis with ``actions``) are read through
:func:`~faultkit.lifecycle.migrations.upgrade_events`: the actions move to the
fault's ``actions`` fact. :meth:`FaultCodec.load_event` reads such an old event
alone as it was written (an ``"action"`` event stays one; an analysis loses its
copied actions), for event logs kept beside the faults.

``to_dict(fault)`` / ``from_dict(data, Fault)`` use the default codec, which knows
:class:`faultkit.rca.Analysis`; stores take a codec with more types.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from typing import Any

from faultkit.errors import MISSING, InvalidInputError
from faultkit.lifecycle.events import (
    Comment,
    FactChange,
    FaultEvent,
    Notice,
    TransitionRecord,
)
from faultkit.lifecycle.facts import FACTS, initial_value
from faultkit.lifecycle.fastread import read_events, read_report
from faultkit.lifecycle.fastwrite import write_event, write_events, write_report
from faultkit.lifecycle.fault import Fault
from faultkit.lifecycle.migrations import split_analysis, upgrade_events
from faultkit.models import FaultReport
from faultkit.rca.actions import Action
from faultkit.rca.analysis import Analysis
from faultkit.serialization import from_dict, register_codec, to_dict

__all__ = ["FaultCodec", "default_codec"]

_TYPE = "type"
_DATA = "data"
_KIND = "kind"
_TRANSITION, _FACT, _COMMENT = "transition", "fact", "comment"
_KINDS: dict[str, type[Any]] = {
    _TRANSITION: TransitionRecord,
    _FACT: FactChange,
    _COMMENT: Comment,
}
_LEGACY_ACTOR = "faultkit-import"
_LEGACY_FACTS: dict[str, Any] = {"action": Action | None}
"""Facts of old streams that :meth:`FaultCodec.load_event` still reads alone."""
_FAULT_KEYS = frozenset({"report", "state", "events"})


def _tag(cls: type[Any]) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


class FaultCodec:
    """Writes a :class:`~faultkit.lifecycle.Fault` (and its events) as JSON-ready data and back.

    Args:
        analysis_types: the root-cause analysis classes faults may hold, besides
            :class:`faultkit.rca.Analysis`; each must round-trip through
            :func:`faultkit.serialization.to_dict` / ``from_dict``.
    """

    __slots__ = ("_by_cls", "_by_tag")

    def __init__(self, analysis_types: Iterable[type[Any]] = ()) -> None:
        types: tuple[type[Any], ...] = (Analysis, *analysis_types)
        for cls in types:
            if not isinstance(cls, type):
                raise InvalidInputError("analysis_types", cls, "expected a class")
        self._by_cls: dict[type[Any], str] = {cls: _tag(cls) for cls in types}
        self._by_tag: dict[str, type[Any]] = {_tag(cls): cls for cls in types}

    # ------------------------------------------------------------------ writing

    def dump(self, fault: Fault) -> dict[str, Any]:
        """``fault`` as JSON-ready data: ``report``, ``state`` and ``events``.

        Raises:
            InvalidInputError: ``fault`` is not a Fault, or its analysis is of a type
                this codec was not told about (``field`` is ``"analysis"``).
        """
        if not isinstance(fault, Fault):
            raise InvalidInputError("fault", fault, "expected a Fault")
        return {
            "report": write_report(fault.report),
            "state": fault.state,
            "events": write_events(fault.events, self._dump_value),
        }

    def dump_event(self, event: FaultEvent) -> dict[str, Any]:
        """One event as JSON-ready data (an object with its ``kind``)."""
        return write_event(event, self._dump_value)

    def _dump_value(self, fact: str, value: Any) -> Any:
        if value is None:
            return None
        if fact != "analysis":
            return to_dict(value)
        tag = self._by_cls.get(type(value))
        if tag is None:
            raise InvalidInputError(
                "analysis",
                value,
                f"a store cannot write a {type(value).__name__}: give its class "
                "in analysis_types (it must round-trip through to_dict/from_dict)",
            )
        return {_TYPE: tag, _DATA: to_dict(value)}

    # ------------------------------------------------------------------ reading

    def load(self, data: Any) -> Fault:
        """The Fault described by ``data`` (as written by :meth:`dump`): its stream replayed.

        Raises:
            InvalidInputError: ``data`` does not describe a valid fault; ``field``
                names the path to the offending value.
        """
        if type(data) is not dict and not isinstance(data, Mapping):
            raise InvalidInputError("", data, "expected an object describing a fault")
        if "events" not in data and ("history" in data or "state" in data):
            return self._load_legacy(data)
        if not data.keys() <= _FAULT_KEYS:
            extra = sorted(str(key) for key in data if key not in _FAULT_KEYS)
            raise InvalidInputError(extra[0], data[extra[0]], "unknown field of a fault")
        for key in ("report", "state"):
            if key not in data:
                raise InvalidInputError(key, MISSING, "required field is missing")
        events = data.get("events", [])
        if type(events) is not list:
            raise InvalidInputError("events", events, "expected a list")
        stream: list[Any] = read_events(events)
        if not all(stream):  # declined events: maybe a stream written before today's shape
            upgraded = upgrade_events(events)
            if upgraded is not events:
                events = upgraded
                stream = read_events(events)
            stream = [
                # None: a shape the fast reader does not take; the general way reads or
                # refuses it
                self._event_at(events, index, "events") if event is None else event
                for index, event in enumerate(stream)
            ]
        report = read_report(data["report"])
        if report is None:  # declined: the general way reads it or names the field
            report = _field(data, "report", FaultReport)
        return Fault(report=report, state=data["state"], events=stream)

    def load_event(self, data: Any) -> FaultEvent:
        """One event as written by :meth:`dump_event` (no ``kind``: a transition).

        Raises:
            InvalidInputError: ``data`` is not a valid event (the field names the path).
        """
        if not isinstance(data, Mapping):
            raise InvalidInputError("", data, "expected an object describing an event")
        kind = data.get(_KIND, _TRANSITION)
        cls = _KINDS.get(kind) if type(kind) is str else None
        if cls is None:
            raise InvalidInputError(_KIND, kind, f"not an event kind ({', '.join(_KINDS)})")
        body = {key: value for key, value in data.items() if key != _KIND}
        if cls is not FactChange:
            return from_dict(body, cls)  # type: ignore[no-any-return]
        fact = body.get("fact")
        if type(fact) is not str or (fact not in FACTS and fact not in _LEGACY_FACTS):
            raise InvalidInputError("fact", fact, f"not a fact of a fault ({', '.join(FACTS)})")
        known = {"fact", "command", "actor", "at", "before", "after", "reason"}
        extra = sorted(str(key) for key in body if key not in known)
        if extra:
            raise InvalidInputError(extra[0], body[extra[0]], "unknown field of a fact change")
        for key in ("command", "actor", "at"):
            if key not in body:
                raise InvalidInputError(key, MISSING, "required field is missing")
        return FactChange(
            fact=fact,
            command=body["command"],
            actor=body["actor"],
            at=_field(body, "at", datetime),
            before=self._load_value(fact, body.get("before"), "before"),
            after=self._load_value(fact, body.get("after"), "after"),
            reason=body.get("reason"),
        )

    def _event_at(self, events: list[Any], index: int, prefix: str) -> FaultEvent:
        try:
            return self.load_event(events[index])
        except InvalidInputError as exc:
            raise exc.at_path(f"{prefix}[{index}]") from None

    def _load_value(self, fact: str, value: Any, key: str) -> Any:
        if value is None:
            return None
        if fact == "analysis":
            return self._load_analysis(split_analysis(value)[0], key)
        try:
            return from_dict(value, FACTS[fact] if fact in FACTS else _LEGACY_FACTS[fact])
        except InvalidInputError as exc:
            raise exc.at_path(key) from None

    def _load_analysis(self, value: Any, key: str = "analysis") -> Any:
        if not isinstance(value, Mapping) or set(value) != {_TYPE, _DATA}:
            raise InvalidInputError(key, value, "expected an object with 'type' and 'data'")
        cls = self._by_tag.get(value[_TYPE]) if type(value[_TYPE]) is str else None
        if cls is None:
            known = ", ".join(sorted(self._by_tag)) or "none"
            raise InvalidInputError(
                f"{key}.type", value[_TYPE], f"not a known analysis type (known: {known})"
            )
        try:
            return from_dict(value[_DATA], cls)
        except InvalidInputError as exc:
            raise exc.at_path(f"{key}.data") from None

    def _load_legacy(self, data: Mapping[str, Any]) -> Fault:
        """A fault written before the fault case: its facts become ``import`` events."""
        facts = set(FACTS) | {"result_notice_at"}
        legacy = {"report", "state", "history", *facts, "notices", "feedback"}
        extra = sorted(str(key) for key in data if key not in legacy)
        if extra:
            raise InvalidInputError(extra[0], data[extra[0]], "unknown field of a fault")
        for key in ("report", "state"):
            if key not in data:
                raise InvalidInputError(key, MISSING, "required field is missing")
        report = _field(data, "report", FaultReport)
        history = data.get("history", [])
        if type(history) is not list:
            raise InvalidInputError("history", history, "expected a list")
        events: list[FaultEvent] = [
            _field(history, index, TransitionRecord, "history") for index in range(len(history))
        ]
        at = events[-1].at if events else report.reported_at
        carried: list[Any] | None = None
        for name in FACTS:
            value = data.get(name)
            if value is None or value is False:
                continue
            if name == "analysis":
                value, carried = split_analysis(value)
            after = self._load_value(name, value, name)
            events.append(self._import_event(name, initial_value(name), after, at))
            if carried:
                actions = self._load_value("actions", carried, "analysis.data.actions")
                events.append(self._import_event("actions", (), actions, at))
                carried = None
        notice_at = data.get("result_notice_at")
        if notice_at is not None:
            when = _field(data, "result_notice_at", datetime)
            notice = Notice(recipient=report.reporter.id, at=when)
            events.append(self._import_event("notices", (), (notice,), at))
        return Fault(report=report, state=data["state"], events=events)

    @staticmethod
    def _import_event(fact: str, before: Any, after: Any, at: Any) -> FactChange:
        return FactChange(
            fact=fact,
            command="import",
            actor=_LEGACY_ACTOR,
            at=at,
            before=before,
            after=after,
            reason="read from data written before the fault case",
        )


def _field(container: Any, key: str | int, type_: Any, prefix: str = "") -> Any:
    try:
        return from_dict(container[key], type_)
    except InvalidInputError as exc:
        path = f"{prefix}[{key}]" if isinstance(key, int) else key
        raise exc.at_path(path) from None


@cache
def default_codec() -> FaultCodec:
    """The codec ``to_dict(fault)`` and ``from_dict(data, Fault)`` use (rca analyses)."""
    return FaultCodec()


register_codec(
    Fault,
    dump=lambda fault: default_codec().dump(fault),
    load=lambda data: default_codec().load(data),
)
