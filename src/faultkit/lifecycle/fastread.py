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
from operator import itemgetter
from typing import Any

from faultkit.errors import InvalidInputError
from faultkit.lifecycle.events import Comment, FactChange, FaultEvent, TransitionRecord
from faultkit.lifecycle.facts import FACTS
from faultkit.lifecycle.layouts import (
    COMMENT_FIELDS,
    FACT_FIELDS,
    FAST_REPORT,
    REPORT_FIELDS,
    REPORTER_FIELDS,
    TRANSITION_FIELDS,
)
from faultkit.models import (
    Attachment,
    Environment,
    FaultReport,
    Frequency,
    ImpactScope,
    IntakeChannel,
    PreliminaryCause,
    Reporter,
    ReproductionStep,
    Urgency,
)
from faultkit.serialization import from_dict

__all__ = ["read_events", "read_report"]

_new = object.__new__
_parse_time = datetime.fromisoformat
_ABSENT: Any = object()
_DECLINE: Any = object()
_TRANSITION_KEYS = frozenset({"kind", "from_state", "to_state", "trigger", "actor", "at", "reason"})
_FACT_KEYS = frozenset({"kind", "fact", "command", "actor", "at", "before", "after", "reason"})
_FACT_SIZE = len(_FACT_KEYS)
_fact_items = itemgetter("fact", "command", "actor", "at", "before", "after", "reason", "kind")
_SCALARS = (str, int, float, bool)
_MEMO_SIZE = 1024


def _setters(cls: type[Any], *names: str) -> tuple[Callable[[Any, Any], None], ...]:
    """The slots' own setters: they build a frozen record without running its validators.

    The records are slotted attrs classes; a test checks that these are all their fields.
    """
    return tuple(
        next(k.__dict__[name] for k in cls.__mro__ if name in k.__dict__).__set__ for name in names
    )


_c_actor, _c_at, _c_text, _c_work_note = _setters(Comment, *COMMENT_FIELDS)
_t_from, _t_to, _t_trigger, _t_actor, _t_at, _t_reason = _setters(
    TransitionRecord, *TRANSITION_FIELDS
)
_f_fact, _f_command, _f_actor, _f_at, _f_before, _f_after, _f_reason = _setters(
    FactChange, *FACT_FIELDS
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
    if len(data) == _FACT_SIZE:  # every key written, as dump_event writes a fact change
        try:
            fact, command, actor, raw, before, after, reason, _ = _fact_items(data)
        except KeyError:  # as many keys, not these: one is unknown
            return None
    elif data.keys() <= _FACT_KEYS:
        get = data.get
        fact, command, actor, raw = get("fact"), get("command"), get("actor"), get("at")
        before, after, reason = get("before"), get("after"), get("reason")
    else:
        return None
    if type(fact) is not str or fact == "analysis" or fact not in FACTS:
        return None
    if not (_is_text(command) and _is_text(actor) and _is_optional_text(reason)):
        return None
    at = _time(raw, times)
    if at is None:
        return None
    before = _value(fact, before)
    after = _value(fact, after)
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


# ---------------------------------------------------------------------- the report

_REPORT_KEYS = frozenset(REPORT_FIELDS)
_REPORTER_KEYS = frozenset(REPORTER_FIELDS)
(
    _r_id,
    _r_title,
    _r_description,
    _r_observed,
    _r_reported,
    _r_reporter,
    _r_channel,
    _r_product,
    _r_component,
    _r_version,
    _r_frequency,
    _r_scope,
    _r_users,
    _r_steps,
    _r_environment,
    _r_codes,
    _r_attachments,
    _r_cause,
    _r_fix,
    _r_urgency,
) = _setters(FaultReport, *REPORT_FIELDS)
_p_id, _p_name, _p_email, _p_customer, _p_organisation = _setters(Reporter, *REPORTER_FIELDS)
# Nested records read the general way (their own validators run): the report's own
# check on these fields is only "an instance of the class".
_NESTED: dict[str, tuple[Any, Any]] = {  # name: (its type, the value when absent)
    "steps": (tuple[ReproductionStep, ...], ()),
    "attachments": (tuple[Attachment, ...], ()),
    "environment": (Environment | None, None),
    "preliminary_cause": (PreliminaryCause | None, None),
}


def _nested(get: Callable[[str, Any], Any], name: str) -> Any:
    """The nested record(s) ``name`` of a report, read by ``from_dict``, or ``_DECLINE``.

    Absent, ``null`` for a record or ``[]`` for a tuple: the field's empty value, without
    a call to the converter (most reports have no steps, environment, attachments nor
    preliminary cause).
    """
    type_, empty = _NESTED[name]
    value = get(name, _ABSENT)
    if value is _ABSENT or (value is None and empty is None) or (value == [] and empty == ()):
        return empty
    try:
        return from_dict(value, type_)
    except InvalidInputError:
        return _DECLINE


def _member(cls: Any, value: Any) -> Any:
    """``value`` read as a member of the enumeration ``cls`` (memoised), or ``_DECLINE``."""
    key = (cls, type(value), value)
    try:
        known = _values.get(key, _DECLINE)
    except TypeError:  # not hashable: not a member's value
        return _DECLINE
    if known is _DECLINE:
        try:
            known = from_dict(value, cls)
        except InvalidInputError:
            return _DECLINE
        if len(_values) < _MEMO_SIZE:
            _values[key] = known
    return known


def _reporter(data: Any) -> Reporter | None:
    if type(data) is not dict or not data.keys() <= _REPORTER_KEYS:
        return None
    get = data.get
    person_id, name, email = get("id"), get("name"), get("email")
    is_customer, organisation = get("is_customer", True), get("organisation")
    if not (
        _is_text(person_id)
        and _is_text(name)
        and _is_optional_text(email)
        and type(is_customer) is bool
        and _is_optional_text(organisation)
    ):
        return None
    reporter = _new(Reporter)
    _p_id(reporter, person_id)
    _p_name(reporter, name)
    _p_email(reporter, email)
    _p_customer(reporter, is_customer)
    _p_organisation(reporter, organisation)
    return reporter


def read_report(data: Any) -> FaultReport | None:
    """The :class:`~faultkit.models.FaultReport` ``data`` describes, or ``None`` to decline.

    The same contract as :func:`read_events`: the fields are checked with the rules of
    the record's validators (texts not blank, times with an offset and observed no
    later than reported, members of the enumerations, a count not negative, error
    codes not blank); nested records (steps, attachments, environment, preliminary
    cause) are read by :func:`~faultkit.serialization.from_dict`, their own
    validators included. Whatever it declines, ``from_dict(data, FaultReport)`` reads
    or refuses naming the field; what it returns equals what that reads.
    """
    if not FAST_REPORT or type(data) is not dict or not data.keys() <= _REPORT_KEYS:
        return None
    get = data.get
    times: dict[str, datetime] = {}
    observed = _time(get("observed_at"), times)
    reported = _time(get("reported_at"), times)
    if observed is None or reported is None or observed > reported:
        return None
    reporter = _reporter(get("reporter"))
    if reporter is None:
        return None
    channel = _member(IntakeChannel, get("channel"))
    frequency = _member(Frequency, get("frequency"))
    scope = _member(ImpactScope, get("impact_scope"))
    urgency = _member(Urgency, get("urgency"))
    if _DECLINE in (channel, frequency, scope, urgency):
        return None
    report_id, title, description, product = (
        get("id"),
        get("title"),
        get("description"),
        get("product"),
    )
    component, version, fix = get("component"), get("version"), get("suggested_fix")
    if not (
        _is_text(report_id)
        and _is_text(title)
        and _is_text(description)
        and _is_text(product)
        and _is_optional_text(component)
        and _is_optional_text(version)
        and _is_optional_text(fix)
    ):
        return None
    users = get("affected_users")
    if users is not None and (type(users) is not int or users < 0):
        return None
    codes = get("error_codes", [])
    if type(codes) is not list or not all(_is_text(code) for code in codes):
        return None
    steps, environment = _nested(get, "steps"), _nested(get, "environment")
    attachments, cause = _nested(get, "attachments"), _nested(get, "preliminary_cause")
    if _DECLINE in (steps, environment, attachments, cause):
        return None
    report = _new(FaultReport)
    _r_id(report, report_id)
    _r_title(report, title)
    _r_description(report, description)
    _r_observed(report, observed)
    _r_reported(report, reported)
    _r_reporter(report, reporter)
    _r_channel(report, channel)
    _r_product(report, product)
    _r_component(report, component)
    _r_version(report, version)
    _r_frequency(report, frequency)
    _r_scope(report, scope)
    _r_users(report, users)
    _r_steps(report, steps)
    _r_environment(report, environment)
    _r_codes(report, tuple(codes))
    _r_attachments(report, attachments)
    _r_cause(report, cause)
    _r_fix(report, fix)
    _r_urgency(report, urgency)
    return report
