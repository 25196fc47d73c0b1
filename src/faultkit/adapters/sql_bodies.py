"""The stored text of a fault, and the check that a save only appends to it, on the text.

An SQL store keeps a fault as one JSON text, ``{"report":R,"state":S,"events":[...]}``
(compact separators, the keys in that order). A save must refuse a stream that does
not extend the stored one, naming the first event that differs
(:func:`~faultkit.storage.memory.check_fault_extends`); parsing the whole stored text and
comparing event by event cost a save of a fault of 10,000 events more than writing it.

:func:`appended_from` proves the common case on the texts instead, with C-speed
string comparisons: the stored events text is ``[t0,...,tk-1]`` and the new one
``[t0,...,tk-1,tk,...,tn-1]``, where each ``ti`` is the text of event ``i`` written
alone. It checks that the stored text, without its closing ``]``, begins the new events
text, and that what follows is exactly ``,tk,...,tn-1]`` (each text written again,
right to left, and found in place). Since the new events text is
``"[" + ",".join(t0, ..., tn-1) + "]"``, the stored events are then the first ``k``
new events, unchanged. Whenever anything else is found (another head, a changed
report, escapes written another way, a rewritten event), it answers ``None`` and the
store runs the full check, which names the event that differs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from faultkit.lifecycle.events import FaultEvent
from faultkit.storage.records import micros

__all__ = ["FaultBody", "appended_from", "event_rows", "write_body"]

_EVENTS = ',"events":'
_string_at = json.JSONDecoder().raw_decode


class FaultBody(NamedTuple):
    """A fault's stored text and its parts.

    Attributes:
        text: the whole text, ``report_head + state + ',"events":' + events + "}"``.
        report_head: ``{"report":R,"state":`` (the report written, then the state's key).
        head: ``report_head`` with the state's text and the events' key.
        events: the events' text, a JSON array.
    """

    text: str
    report_head: str
    head: str
    events: str


def write_body(data: dict[str, Any], dumps: Callable[[Any], str]) -> FaultBody:
    """The text of ``data`` (a fault as ``FaultCodec.dump`` gives it: report, state, events).

    ``dumps`` writes one value as compact JSON (separators ``,`` and ``:``); the text
    reads back as ``data``.
    """
    report_head = '{"report":' + dumps(data["report"]) + ',"state":'
    head = report_head + dumps(data["state"]) + _EVENTS
    events = dumps(data["events"])
    return FaultBody(head + events + "}", report_head, head, events)


def _stored_events(stored: str, body: FaultBody) -> str | None:
    """The events' text of ``stored`` when it has ``body``'s report (any state), else None."""
    if stored.startswith(body.head):
        start = len(body.head)
    elif stored.startswith(body.report_head + '"'):  # the state changed since
        try:
            _, end = _string_at(stored, len(body.report_head))
        except ValueError:
            return None
        if not stored.startswith(_EVENTS, end):
            return None
        start = end + len(_EVENTS)
    else:
        return None
    events = stored[start:-1]
    return events if events.startswith("[") and events.endswith("]") else None


def appended_from(
    stored: Any, body: FaultBody, event_text: Callable[[int], str], count: int
) -> tuple[int, list[str]] | None:
    """How many events ``stored`` holds, when they are provably ``body``'s first ones.

    Args:
        stored: the stored text of the fault.
        body: the text of the fault being saved (:func:`write_body`).
        event_text: the text of the saved fault's event ``i`` written alone, as
            ``dumps`` writes it in :func:`write_body`.
        count: how many events the saved fault has.

    Returns:
        ``(k, texts)``: the stored text holds exactly the first ``k`` events of
        ``body``, unchanged, and ``texts`` are the texts of events ``k`` to
        ``count - 1``; or ``None`` when that is not shown (the caller checks the
        parsed events instead).
    """
    if type(stored) is not str or not stored.endswith("]}"):
        return None
    old = _stored_events(stored, body)
    if old is None:
        return None
    new = body.events
    lead = old != "[]"  # a "," separates the stored events from the new ones
    if lead and not new.startswith(old[:-1]):
        return None
    end = len(old) - 1 if lead else 1  # where the stored events end in the new text
    texts: list[str] = []
    pos = len(new) - 1  # the end of the last event not yet matched
    index = count
    while pos > end:
        if index == 0:
            return None
        index -= 1
        text = event_text(index)
        begin = pos - len(text)
        if begin < end or not new.startswith(text, begin):
            return None
        texts.append(text)
        if begin == end and not lead:
            pos = begin
            break
        if begin == end or new[begin - 1] != ",":
            return None
        pos = begin - 1
    if pos != end or (index == 0) == lead:  # stored events: none exactly when "[]"
        return None
    texts.reverse()
    return index, texts


def event_rows(
    fault_id: str, records: Sequence[FaultEvent], texts: Sequence[str], start: int
) -> list[dict[str, Any]]:
    """The rows of the events table for ``records`` (written as ``texts``), from ``start``."""
    return [
        {"fault_id": fault_id, "seq": start + offset, "at_us": micros(record.at), "body": text}
        for offset, (record, text) in enumerate(zip(records, texts, strict=True))
    ]
