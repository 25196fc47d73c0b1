"""How a :class:`~faultkit.lifecycle.Fault` becomes JSON-ready data and back.

A fault changes in place, keeps its state and history in private fields, and holds a
root-cause analysis of any type the caller chose, so it has its own codec: each field
goes through :func:`faultkit.serialization.to_dict` / ``from_dict`` with its declared
type, and the analysis is written with a type tag. A tag is looked up in the codec's
table of known analysis types, never imported or evaluated: data cannot make a reader
load code. ``to_dict(fault)`` / ``from_dict(data, Fault)`` use the default codec, which
knows :class:`faultkit.rca.Analysis`; stores take a codec with more types.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import attrs

from faultkit.errors import MISSING, InvalidInputError
from faultkit.lifecycle.fault import Fault, TransitionRecord
from faultkit.models import FaultReport
from faultkit.serialization import from_dict, to_dict

__all__ = ["FaultCodec", "default_codec"]

_TYPE = "type"
_DATA = "data"


def _default_analysis_types() -> tuple[type[Any], ...]:
    try:
        from faultkit.rca import Analysis
    except ImportError:  # pragma: no cover - rca ships with faultkit
        return ()
    return (Analysis,)


def _tag(cls: type[Any]) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


class FaultCodec:
    """Writes a :class:`~faultkit.lifecycle.Fault` as JSON-ready data and reads it back.

    Args:
        analysis_types: the root-cause analysis classes faults may hold, besides
            :class:`faultkit.rca.Analysis`; each must round-trip through
            :func:`faultkit.serialization.to_dict` / ``from_dict``.
    """

    __slots__ = ("_by_cls", "_by_tag", "_facts")

    def __init__(self, analysis_types: Iterable[type[Any]] = ()) -> None:
        types = (*_default_analysis_types(), *analysis_types)
        for cls in types:
            if not isinstance(cls, type):
                raise InvalidInputError("analysis_types", cls, "expected a class")
        self._by_cls: dict[type[Any], str] = {cls: _tag(cls) for cls in types}
        self._by_tag: dict[str, type[Any]] = {_tag(cls): cls for cls in types}
        hints = typing.get_type_hints(Fault)
        self._facts: tuple[tuple[str, str, Any], ...] = tuple(
            (a.name, a.alias or a.name, hints[a.name])
            for a in attrs.fields(Fault)
            if a.name not in ("report", "_state", "_history", "analysis")
        )

    def dump(self, fault: Fault) -> dict[str, Any]:
        """``fault`` as JSON-ready data (its report, state, history and facts).

        Raises:
            InvalidInputError: ``fault`` is not a Fault, or its analysis is of a type
                this codec was not told about (``field`` is ``"analysis"``).
        """
        if not isinstance(fault, Fault):
            raise InvalidInputError("fault", fault, "expected a Fault")
        data: dict[str, Any] = {
            "report": to_dict(fault.report),
            "state": fault.state,
            "history": [to_dict(record) for record in fault.history],
        }
        for name, alias, _type in self._facts:
            value = getattr(fault, name)
            data[alias] = None if value is None else to_dict(value)
        analysis = fault.analysis
        if analysis is None:
            data["analysis"] = None
        else:
            tag = self._by_cls.get(type(analysis))
            if tag is None:
                raise InvalidInputError(
                    "analysis",
                    analysis,
                    f"a store cannot write a {type(analysis).__name__}: give its class "
                    "in analysis_types (it must round-trip through to_dict/from_dict)",
                )
            data["analysis"] = {_TYPE: tag, _DATA: to_dict(analysis)}
        return data

    def load(self, data: Any) -> Fault:
        """The Fault described by ``data`` (as written by :meth:`dump`).

        Raises:
            InvalidInputError: ``data`` does not describe a valid fault; ``field``
                names the path to the offending value.
        """
        if not isinstance(data, Mapping):
            raise InvalidInputError("", data, "expected an object describing a fault")
        known = {"report", "state", "history", "analysis", *(a for _, a, _ in self._facts)}
        extra = sorted(str(key) for key in data if key not in known)
        if extra:
            raise InvalidInputError(extra[0], data[extra[0]], "unknown field of a fault")
        for key in ("report", "state"):
            if key not in data:
                raise InvalidInputError(key, MISSING, "required field is missing")
        kwargs: dict[str, Any] = {
            "report": _field(data, "report", FaultReport),
            "state": data["state"],
        }
        history = data.get("history", [])
        if type(history) is not list:
            raise InvalidInputError("history", history, "expected a list")
        kwargs["history"] = tuple(
            _field(history, index, TransitionRecord, "history") for index in range(len(history))
        )
        for _name, alias, type_ in self._facts:
            if alias in data and data[alias] is not None:
                kwargs[alias] = _field(data, alias, type_)
        analysis = data.get("analysis")
        if analysis is not None:
            kwargs["analysis"] = self._load_analysis(analysis)
        return Fault(**kwargs)

    def _load_analysis(self, value: Any) -> Any:
        if not isinstance(value, Mapping) or set(value) != {_TYPE, _DATA}:
            raise InvalidInputError("analysis", value, "expected an object with 'type' and 'data'")
        cls = self._by_tag.get(value[_TYPE]) if type(value[_TYPE]) is str else None
        if cls is None:
            known = ", ".join(sorted(self._by_tag)) or "none"
            raise InvalidInputError(
                "analysis.type", value[_TYPE], f"not a known analysis type (known: {known})"
            )
        try:
            return from_dict(value[_DATA], cls)
        except InvalidInputError as exc:
            raise exc.at_path("analysis.data") from None


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
