"""The fast reader of stored fault events: the shapes the codec writes, checked in place.

:meth:`FaultCodec.load_event <faultkit.lifecycle.FaultCodec.load_event>` reads an event
through the generic converter (cattrs hooks, then the record's attrs validators), and a
store loading its faults spends most of its time there. :func:`read_events` reads the
shapes :meth:`FaultCodec.dump_event <faultkit.lifecycle.FaultCodec.dump_event>` writes
- a comment, a transition, a fact change of any fact but ``analysis`` - with one pass
per event:

- every key is a known field of its kind, every required field is present;
- text fields are ``str`` and not blank, optional ones ``None`` or that; ``work_note``
  is ``true`` or ``false``; ``at`` is ISO 8601 text with an offset, parsed with
  :meth:`datetime.fromisoformat` once per distinct text of a stream (``times``);
- a fact change names a fact of :data:`~faultkit.lifecycle.FACTS`, and its ``before``
  and ``after`` are read with :func:`faultkit.serialization.from_dict` and the fact's
  type (scalars once per stream).

These are the rules the records' validators apply, so the event is then built without
running them again. Whatever the reader does not take - another shape, a value of
another type, a blank text, a naive time - it declines (``None`` in its place), and the codec reads
that event the general way, which refuses it with the field named. So both paths give
equal events for every input the fast one takes (a property test compares them on
random streams), and nothing is accepted that the general path refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from faultkit.errors import InvalidInputError
from faultkit.lifecycle.events import Comment, FactChange, FaultEvent, TransitionRecord
from faultkit.lifecycle.facts import FACTS
from faultkit.serialization import from_dict

__all__ = ["read_events"]

_new = object.__new__
_parse_time = datetime.fromisoformat
_ABSENT: Any = object()
_DECLINE: Any = object()
_TRANSITION_KEYS = frozenset({"kind", "from_state", "to_state", "trigger", "actor", "at", "reason"})
_FACT_KEYS = frozenset({"kind", "fact", "command", "actor", "at", "before", "after", "reason"})
_SCALARS = (str, int, float, bool)
_MEMO_SIZE = 1024


def _setters(cls: type[Any], *names: str) -> tuple[Callable[[Any, Any], None], ...]:
    """The slots' own setters: they build a frozen record without running its validators.

    The records are slotted attrs classes; a test checks that these are all their fields.
    """
    return tuple(cls.__dict__[name].__set__ for name in names)


_COMMENT_FIELDS = ("actor", "at", "text", "work_note")
_TRANSITION_FIELDS = ("from_state", "to_state", "trigger", "actor", "at", "reason")
_FACT_FIELDS = ("fact", "command", "actor", "at", "before", "after", "reason")
_c_actor, _c_at, _c_text, _c_work_note = _setters(Comment, *_COMMENT_FIELDS)
_t_from, _t_to, _t_trigger, _t_actor, _t_at, _t_reason = _setters(
    TransitionRecord, *_TRANSITION_FIELDS
)
_f_fact, _f_command, _f_actor, _f_at, _f_before, _f_after, _f_reason = _setters(
    FactChange, *_FACT_FIELDS
)

# Fact values that are JSON scalars (a severity, a priority, a flag) read once: the
# result of from_dict on an immutable scalar is an immutable value. Bounded.
_values: dict[tuple[str, type, Any], Any] = {}


def _time(text: Any, times: dict[str, datetime]) -> datetime | None:
    """``text`` as an aware datetime (cached in ``times``), or ``None`` when it is not one."""
    if type(text) is not str:
        return None
    when = times.get(text)
    if when is None:
        try:
            when = _parse_time(text)
        except ValueError:
            return None
        if when.tzinfo is None:  # fromisoformat gives a fixed offset or nothing
            return None
        times[text] = when
    return when


def _is_text(value: Any) -> bool:
    return type(value) is str and bool(value) and not value.isspace()


def _is_optional_text(value: Any) -> bool:
    return value is None or (type(value) is str and bool(value) and not value.isspace())


def _transition(data: dict[str, Any], times: dict[str, datetime]) -> TransitionRecord | None:
    if not data.keys() <= _TRANSITION_KEYS:
        return None
    get = data.get
    from_state, to_state, trigger, actor = (
        get("from_state"),
        get("to_state"),
        get("trigger"),
        get("actor"),
    )
    reason = get("reason")
    if not (
        _is_text(from_state)
        and _is_text(to_state)
        and _is_text(trigger)
        and _is_text(actor)
        and _is_optional_text(reason)
    ):
        return None
    at = _time(get("at"), times)
    if at is None:
        return None
    event = _new(TransitionRecord)
    _t_from(event, from_state)
    _t_to(event, to_state)
    _t_trigger(event, trigger)
    _t_actor(event, actor)
    _t_at(event, at)
    _t_reason(event, reason)
    return event


def _value(fact: str, value: Any) -> Any:
    """A fact's value read with the fact's type, or ``_DECLINE`` when it does not read."""
    if value is None:
        return None
    scalar = type(value) in _SCALARS
    if scalar:
        key = (fact, type(value), value)
        known = _values.get(key, _DECLINE)
        if known is not _DECLINE:
            return known
    try:
        read = from_dict(value, FACTS[fact])
    except InvalidInputError:
        return _DECLINE
    if scalar and len(_values) < _MEMO_SIZE:
        _values[key] = read
    return read


def _fact(data: dict[str, Any], times: dict[str, datetime]) -> FactChange | None:
    if not data.keys() <= _FACT_KEYS:
        return None
    get = data.get
    fact, command, actor, reason = get("fact"), get("command"), get("actor"), get("reason")
    if type(fact) is not str or fact == "analysis" or fact not in FACTS:
        return None
    if not (_is_text(command) and _is_text(actor) and _is_optional_text(reason)):
        return None
    at = _time(get("at"), times)
    if at is None:
        return None
    before = _value(fact, get("before"))
    after = _value(fact, get("after"))
    if before is _DECLINE or after is _DECLINE:
        return None
    event = _new(FactChange)
    _f_fact(event, fact)
    _f_command(event, command)
    _f_actor(event, actor)
    _f_at(event, at)
    _f_before(event, before)
    _f_after(event, after)
    _f_reason(event, reason)
    return event


def read_events(items: list[Any]) -> list[FaultEvent | None]:
    """The events ``items`` describe, each one or ``None`` where the reader declines it.

    Args:
        items: a stream's events as :meth:`FaultCodec.dump_event
            <faultkit.lifecycle.FaultCodec.dump_event>` writes them (parsed JSON).

    A ``None`` means "read this one the general way" (:meth:`FaultCodec.load_event
    <faultkit.lifecycle.FaultCodec.load_event>`), which either reads it or raises
    :class:`~faultkit.errors.InvalidInputError` naming the field. Every event
    returned is equal to the one the general way reads from the same data.
    """
    times: dict[str, datetime] = {}
    out: list[FaultEvent | None] = []
    append = out.append
    for data in items:
        if type(data) is not dict:
            append(None)
            continue
        kind = data.get("kind", "transition")
        if kind != "comment":  # a comment is read inline below: most events are comments
            if kind == "transition":
                append(_transition(data, times))
            elif kind == "fact":
                append(_fact(data, times))
            else:
                append(None)
            continue
        # "kind" is there: with it, the keys are exactly the fields when the sizes agree.
        work_note = data.get("work_note", _ABSENT)
        if work_note is _ABSENT:
            work_note = False
            size = 4
        else:
            size = 5
        actor = data.get("actor")
        text = data.get("text")
        raw = data.get("at")
        at = times.get(raw) if type(raw) is str else None
        if at is None:
            at = _time(raw, times)
        if (
            at is None
            or len(data) != size
            or type(work_note) is not bool
            or type(actor) is not str
            or type(text) is not str
            or not actor
            or not text
            or actor.isspace()
            or text.isspace()
        ):
            append(None)
            continue
        event = _new(Comment)
        _c_actor(event, actor)
        _c_at(event, at)
        _c_text(event, text)
        _c_work_note(event, work_note)
        append(event)
    return out
