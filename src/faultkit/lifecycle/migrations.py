"""Reading fault streams written before the fault held its actions once.

Until this change a fault's corrective and preventive actions lived inside its
root-cause analysis (``Analysis.actions``), and each ``add_action`` /
``advance_action`` appended a ``FactChange`` of the pseudo-fact ``"action"`` whose
``after`` replaced one action of the analysis. Now the fault holds them in its own
``actions`` fact, and the analysis refers to them through the step ids each action
addresses.

:func:`upgrade_events` rewrites such a stream, as JSON-ready data, into today's
shape before it is decoded:

- an ``"action"`` event becomes an ``"actions"`` event (same command, actor, time
  and reason) whose ``before`` / ``after`` are the fault's actions before and after;
- an ``"analysis"`` event loses the actions copied into its analyses; when the
  attached analysis brought actions other than the fault's (attaching an analysis
  used to replace the actions), an ``"actions"`` event of the same command, actor
  and time follows it, with the reason :data:`MIGRATED_REASON`.

Anything it does not recognise is left as it is, for the decoder to judge (and to
name the field). Data in today's shape is returned unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["ANALYSIS_TAG", "MIGRATED_REASON", "split_analysis", "upgrade_events"]

ANALYSIS_TAG = "faultkit.rca.analysis.Analysis"
"""The type tag :class:`faultkit.rca.Analysis` is written with in a fault's stream."""

MIGRATED_REASON = "read from a stream written when the attached analysis held the actions"
"""The reason of an ``actions`` event added when an old analysis event is read."""

_LEGACY_ACTION = "action"


def split_analysis(value: Any) -> tuple[Any, list[Any] | None]:
    """A tagged analysis value without its copied actions, and those actions.

    ``(value, None)`` when ``value`` is not an :class:`~faultkit.rca.Analysis` written
    with an ``actions`` list.
    """
    if not isinstance(value, Mapping) or value.get("type") != ANALYSIS_TAG:
        return value, None
    data = value.get("data")
    if not isinstance(data, Mapping) or "actions" not in data:
        return value, None
    actions = data["actions"]
    stripped = {key: item for key, item in data.items() if key != "actions"}
    return {**value, "data": stripped}, actions if type(actions) is list else None


def _replace(actions: list[Any], action: Mapping[str, Any]) -> list[Any]:
    """``actions`` with ``action`` replacing the one with its id, or added at the end."""
    ident = action.get("id")
    for index, known in enumerate(actions):
        if isinstance(known, Mapping) and known.get("id") == ident:
            return [*actions[:index], dict(action), *actions[index + 1 :]]
    return [*actions, dict(action)]


def _old(item: Any) -> bool:
    """Whether the event ``item`` (as data) is of the old shape."""
    if type(item) is dict:  # what json.loads gives: the common case, checked cheaply
        fact = item.get("fact")
        if fact is None:
            return False
    elif not isinstance(item, Mapping):
        return False
    else:
        fact = item.get("fact")
    if fact == _LEGACY_ACTION:
        return True
    return fact == "analysis" and any(
        split_analysis(item.get(key))[1] is not None for key in ("before", "after")
    )


def upgrade_events(events: list[Any]) -> list[Any]:
    """``events`` (a fault's stream as data) in today's shape; see the module's docstring."""
    if not any(_old(item) for item in events):
        return events  # today's shape: the same list
    actions: list[Any] = []
    out: list[Any] = []
    for item in events:
        if not isinstance(item, Mapping) or item.get("kind") != "fact":
            out.append(item)
            continue
        fact = item.get("fact")
        if fact == _LEGACY_ACTION:
            after = item.get("after")
            if not isinstance(after, Mapping):
                out.append(item)  # the decoder names what is wrong
                continue
            new = _replace(actions, after)
            out.append({**item, "fact": "actions", "before": actions, "after": new})
            actions = new
        elif fact == "analysis":
            before, _ = split_analysis(item.get("before"))
            after, carried = split_analysis(item.get("after"))
            out.append({**item, "before": before, "after": after})
            if carried is not None and carried != actions:
                out.append(
                    {
                        "kind": "fact",
                        "fact": "actions",
                        "command": item.get("command"),
                        "actor": item.get("actor"),
                        "at": item.get("at"),
                        "before": actions,
                        "after": carried,
                        "reason": MIGRATED_REASON,
                    }
                )
                actions = carried
        else:
            if fact == "actions" and type(item.get("after")) is list:
                actions = item["after"]
            out.append(item)
    return out
