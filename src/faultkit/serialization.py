"""Turning faultkit records into JSON-ready data and back, with cattrs.

The wire format is plain JSON data: records become objects keyed by field name,
datetimes become ISO 8601 strings with their offset, enumerations become their
values, tuples become lists. Structuring is strict: a string is never turned into
a number, a number never into a string, unknown keys are refused, and every record's
own validation runs.

Structuring runs on a fast converter (``detailed_validation=False``, hooks fetched
once per class). Only when a record fails is it structured again by a detailed
converter, to find the path to the offending field; the caller always gets an
:class:`~faultkit.errors.InvalidInputError`, never a cattrs exception group.
"""

from __future__ import annotations

import enum
import functools
import json
import re
import types
import typing
from collections.abc import Callable, Hashable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn

from faultkit.errors import MISSING, InvalidInputError

__all__ = [
    "from_dict",
    "from_json",
    "make_converter",
    "register_codec",
    "to_dict",
    "to_json",
]

T = TypeVar("T")

_Path = tuple[str | int, ...]


def _passthrough(value: Any, _type: Any) -> Any:
    # Records validate their own field types; the converter must not coerce
    # (cattrs' default would turn 5 into "5" and "false" into True).
    return value


def _structure_enum(value: Any, type_: type[enum.Enum]) -> enum.Enum:
    # A dict lookup is several times cheaper than Enum.__call__; the exact type check
    # refuses True and 1.0 for 1, which Enum.__call__ would accept.
    member = type_._value2member_map_.get(value)
    if member is None or type(member._value_) is not type(value):  # not the slower .value
        raise ValueError(value)
    return member


def _unstructure_enum(value: enum.Enum) -> Any:
    return value.value


def _iso_structure(
    cls: type[date] | type[time], what: str, example: str, *, exact: bool
) -> Callable[[Any, Any], Any]:
    """A hook reading ``cls`` from ISO 8601 text (``cls.fromisoformat``) or as given.

    ``exact`` refuses subclasses: a ``datetime`` is a ``date``, but not where a date is due.
    """

    def structure(value: Any, _type: Any) -> Any:
        if type(value) is str:
            try:
                return cls.fromisoformat(value)
            except ValueError:
                raise InvalidInputError(
                    "", value, f"expected an ISO 8601 {what} such as {example}"
                ) from None
        if type(value) is cls or (not exact and isinstance(value, cls)):
            return value
        raise InvalidInputError("", value, f"expected an ISO 8601 {what} string")

    return structure


def _isoformat(value: date | time) -> str:
    return value.isoformat()


_DURATION = re.compile(
    r"(?P<sign>-)?P(?:(?P<days>\d+)D)?(?:T(?=\d)(?:(?P<hours>\d+)H)?"
    r"(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)(?:\.(?P<micro>\d{1,6}))?S)?)?"
)


def _structure_timedelta(value: Any, _type: Any) -> timedelta:
    if type(value) is str:
        match = _DURATION.fullmatch(value)
        if match is not None and value.rstrip("-P"):
            parts = match.groupdict()
            duration = timedelta(
                days=int(parts["days"] or 0),
                hours=int(parts["hours"] or 0),
                minutes=int(parts["minutes"] or 0),
                seconds=int(parts["seconds"] or 0),
                microseconds=int((parts["micro"] or "0").ljust(6, "0")),
            )
            return -duration if parts["sign"] else duration
    elif isinstance(value, timedelta):
        return value
    raise InvalidInputError("", value, "expected an ISO 8601 duration such as P1DT2H30M or PT0.5S")


def _unstructure_timedelta(value: timedelta) -> str:
    """An ISO 8601 duration in days, hours, minutes and seconds, exact to the microsecond.

    ``timedelta(days=1, hours=2)`` -> ``"P1DT2H"``, ``timedelta(0)`` -> ``"PT0S"``; a
    negative duration gets a leading ``-``.
    """
    sign = "-" if value < timedelta(0) else ""
    value = abs(value)
    hours, rest = divmod(value.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    time = ""
    if hours:
        time += f"{hours}H"
    if minutes:
        time += f"{minutes}M"
    if seconds or value.microseconds or not (value.days or time):
        micro = f".{value.microseconds:06d}".rstrip("0") if value.microseconds else ""
        time += f"{seconds}{micro}S"
    days = f"{value.days}D" if value.days else ""
    return f"{sign}P{days}" + (f"T{time}" if time else "")


def _is_optional(type_: Any) -> bool:
    args = typing.get_args(type_)
    return (
        typing.get_origin(type_) in (typing.Union, types.UnionType)
        and len(args) == 2
        and type(None) in args
    )


def _optional_factory(type_: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    inner_type = next(arg for arg in typing.get_args(type_) if arg is not type(None))
    inner = converter.get_structure_hook(inner_type)
    if inner is _passthrough:
        return _passthrough  # the record's validator checks None and the type

    def structure(value: Any, _type: Any) -> Any:
        return None if value is None else inner(value, inner_type)

    return structure


def _is_homogeneous_tuple(type_: Any) -> bool:
    args = typing.get_args(type_)
    return typing.get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _strict_tuple_factory(type_: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    base = homogenous_tuple_structure_factory(type_, converter)

    def structure(value: Any, _type: Any) -> Any:
        # A string or a mapping is iterable, but it is never meant as a list.
        if type(value) is not list and type(value) is not tuple:
            raise InvalidInputError("", value, "expected a list")
        return base(value, _type)

    return structure


_CODECS: dict[type[Any], tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {}


def register_codec(
    cls: type[Any], *, dump: Callable[[Any], Any], load: Callable[[Any], Any]
) -> None:
    """Make :func:`to_dict` / :func:`from_dict` use ``dump`` / ``load`` for ``cls``.

    For records that are not attrs classes or whose data has another shape than their
    fields (a :class:`~faultkit.lifecycle.Fault` is written as its report, state and
    event stream). Register before the first ``to_dict`` / ``from_dict`` of ``cls``.
    """
    _CODECS[cls] = (dump, load)


def _has_own_codec(type_: Any) -> bool:
    # Records whose shape cattrs must not walk field by field (deep trees) bring their
    # own iterative, bounded (un)structuring (see faultkit.rca.codec); others register
    # a codec (register_codec).
    return isinstance(type_, type) and (
        type_ in _CODECS or hasattr(type_, "__faultkit_structure__")
    )


def _own_structure(type_: Any) -> Callable[[Any, Any], Any]:
    structure = _CODECS[type_][1] if type_ in _CODECS else type_.__faultkit_structure__

    def hook(value: Any, _type: Any) -> Any:
        return structure(value)

    return hook


def _own_unstructure(type_: Any) -> Callable[[Any], Any]:
    if type_ in _CODECS:
        return _CODECS[type_][0]

    def hook(value: Any) -> Any:
        return value.__faultkit_unstructure__()

    return hook


_FACTORY: type[Any] = type(attrs.Factory(list))  # attrs types Factory as a function


def _fast_attrs_factory(
    cls: type[Any], converter: cattrs.Converter, *, forbid_extra_keys: bool
) -> Callable[[Any, Any], Any]:
    """Generate ``structure(o, _) -> cls(...)`` with one keyword argument per field.

    Fields whose hook is the passthrough are read straight from the dict (the record's
    validators check them), others go through their hook. Compared with cattrs' own
    generated code, there is no intermediate dict, no per-field ``try`` and no set built
    per record for the extra-keys check. Any failure is explained afterwards by the
    detailed converter, so this code needs no error handling of its own. Classes with
    features it does not cover (``init=False`` fields, factories taking ``self``) get
    cattrs' generated hook.
    """
    fields = attrs.fields(attrs.resolve_types(cls))
    if any(
        not a.init or (isinstance(a.default, _FACTORY) and a.default.takes_self) for a in fields
    ):
        return make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=forbid_extra_keys)
    namespace: dict[str, Any] = {"cls": cls, "known": frozenset(a.name for a in fields)}
    arguments = []
    for index, a in enumerate(fields):
        try:
            hook = converter.get_structure_hook(a.type)
        except RecursionError:  # a self-referencing record: bind late
            hook = converter.structure
        key = repr(a.name)
        if hook is _passthrough:
            read = f"o[{key}]"
        else:
            namespace[f"h{index}"], namespace[f"t{index}"] = hook, a.type
            read = f"h{index}(o[{key}], t{index})"
        if a.default is attrs.NOTHING:
            value = read
        elif isinstance(a.default, _FACTORY):
            namespace[f"f{index}"] = a.default.factory
            value = f"({read} if {key} in o else f{index}())"
        elif hook is _passthrough:
            namespace[f"d{index}"] = a.default
            value = f"o.get({key}, d{index})"
        else:
            namespace[f"d{index}"] = a.default
            value = f"({read} if {key} in o else d{index})"
        arguments.append(f"{a.alias}={value}")
    check = "    if not o.keys() <= known:\n        raise ValueError(o)\n"
    source = (
        "def structure(o, _=None):\n"
        + (check if forbid_extra_keys else "")
        + f"    return cls({', '.join(arguments)})\n"
    )
    exec(compile(source, f"<faultkit structure {cls.__qualname__}>", "exec"), namespace)
    return namespace["structure"]  # type: ignore[no-any-return]


def make_converter(*, detailed: bool = False, forbid_extra_keys: bool = True) -> cattrs.Converter:
    """Build the cattrs converter preconfigured for faultkit records.

    Args:
        detailed: use cattrs' detailed validation, which collects every error with
            its path (about 60% slower; :func:`from_dict` uses it only after a
            failure, to explain it).
        forbid_extra_keys: refuse keys that are not fields of the record (catches
            typos; turn off to read data written by a newer faultkit).

    Returns:
        A :class:`cattrs.Converter` that unstructures records to JSON-ready data
        (ISO 8601 datetimes with offset, enums by value, lists) and structures them
        back strictly.
    """
    converter = cattrs.Converter(
        detailed_validation=detailed,
        forbid_extra_keys=forbid_extra_keys,
        unstruct_collection_overrides={tuple: list},
    )
    for primitive in (str, int, float, bool):
        converter.register_structure_hook(primitive, _passthrough)
    # Class hooks dispatch along the MRO: StrEnum and IntEnum must come before str and int.
    for enum_base in (enum.Enum, enum.StrEnum, enum.IntEnum):
        converter.register_structure_hook(enum_base, _structure_enum)
        converter.register_unstructure_hook(enum_base, _unstructure_enum)
    converter.register_structure_hook_factory(_is_optional, _optional_factory)
    if not detailed:
        converter.register_structure_hook_factory(
            attrs.has, functools.partial(_fast_attrs_factory, forbid_extra_keys=forbid_extra_keys)
        )
    for cls, what, example, exact in (
        (datetime, "date-time", "2024-05-01T09:30:00+00:00", False),
        (date, "date", "2024-05-01", True),
        (time, "time of day", "09:30", True),
    ):
        converter.register_structure_hook(cls, _iso_structure(cls, what, example, exact=exact))
        converter.register_unstructure_hook(cls, _isoformat)
    converter.register_structure_hook(timedelta, _structure_timedelta)
    # Values typed Hashable (grouping keys) are checked by the record's own validator.
    # A predicate, not a class hook: every hashable class is a subclass of the ABC.
    converter.register_structure_hook_func(lambda t: t is Hashable, _passthrough)
    converter.register_unstructure_hook(timedelta, _unstructure_timedelta)
    converter.register_structure_hook_factory(_is_homogeneous_tuple, _strict_tuple_factory)
    converter.register_structure_hook_factory(_has_own_codec, _own_structure)
    converter.register_unstructure_hook_factory(_has_own_codec, _own_unstructure)
    return converter


_fast = make_converter()
_detailed = make_converter(detailed=True)
_structure_hooks: dict[Any, Callable[[Any, Any], Any]] = {}
_unstructure_hooks: dict[Any, Callable[[Any], Any]] = {}


def to_dict(record: Any) -> Any:
    """Unstructure a faultkit record into JSON-ready data (dicts, lists, str, numbers)."""
    cls = type(record)
    hook = _unstructure_hooks.get(cls)
    if hook is None:
        hook = _unstructure_hooks[cls] = _fast.get_unstructure_hook(cls)
    return hook(record)


def from_dict(data: Any, cls: type[T]) -> T:
    """Structure ``data`` (as produced by :func:`to_dict` or read from JSON) into ``cls``.

    Raises:
        InvalidInputError: ``data`` does not describe a valid ``cls``; ``field`` is
            the path to the first offending field (``"steps[2].at"``).
    """
    hook = _structure_hooks.get(cls)
    if hook is None:
        hook = _structure_hooks[cls] = _fast.get_structure_hook(cls)
    try:
        return hook(data, cls)  # type: ignore[no-any-return]
    except Exception as exc:
        raise _explain(data, cls, exc) from None


def to_json(record: Any, *, indent: int | None = None) -> str:
    """Serialise a faultkit record to a JSON string (see :func:`to_dict`)."""
    return json.dumps(to_dict(record), ensure_ascii=False, indent=indent)


def from_json(text: str | bytes, cls: type[T]) -> T:
    """Parse a JSON document and structure it into ``cls``.

    Raises:
        InvalidInputError: the text is not JSON (``line`` names the line), or it does
            not describe a valid ``cls`` (see :func:`from_dict`).
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            "", exc.doc[exc.pos : exc.pos + 20], exc.msg, line=exc.lineno
        ) from None
    except (ValueError, TypeError, RecursionError) as exc:
        raise InvalidInputError("", text, f"not a JSON document: {exc}") from None
    return from_dict(data, cls)


# --------------------------------------------------------------------------- explaining


def _format_path(path: _Path) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text = f"{text}.{part}" if text else part
    return text


def _leaves(
    exc: BaseException, path: _Path, type_: Any
) -> Iterator[tuple[_Path, BaseException, Any]]:
    """Walk a cattrs error tree down to the single errors, with the path to each."""
    if isinstance(exc, ClassValidationError | IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            step = note.name if hasattr(note, "name") else note.index
            yield from _leaves(sub, (*path, step), note.type)
        for sub in without:
            yield from _leaves(sub, path, type_)
    elif isinstance(exc, BaseExceptionGroup):
        for member in exc.exceptions:
            yield from _leaves(member, path, type_)
    else:
        yield path, exc, type_


def _lookup(data: Any, path: _Path) -> tuple[_Path, Any, str | None]:
    """Follow ``path`` into ``data``; stop early where the data has the wrong shape.

    Returns the path actually followed, the value there, and a reason when the walk
    stopped because a mapping or a list was expected but something else was found.
    """
    current = data
    for depth, part in enumerate(path):
        here = path[:depth]
        if isinstance(part, int):
            if type(current) not in (list, tuple):
                return here, current, "expected a list"
            current = current[part] if part < len(current) else MISSING
        else:
            if not isinstance(current, Mapping):
                return here, current, "expected an object (a mapping of field names to values)"
            current = current.get(part, MISSING)
    return path, current, None


def _describe_type(type_: Any) -> str:
    if attrs.has(type_):
        return f"an object describing a {type_.__name__}"
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        return f"one of {', '.join(repr(m.value) for m in type_)}"
    if isinstance(type_, type):
        return f"a {type_.__name__}"
    return f"a {type_}"


def _leaf_error(data: Any, path: _Path, exc: BaseException, type_: Any) -> InvalidInputError:
    if isinstance(exc, ForbiddenExtraKeysError):
        extra = sorted(map(str, exc.extra_fields))
        full = (*path, extra[0])
        _, value, _ = _lookup(data, full)
        return InvalidInputError(
            _format_path(full), value, f"unknown field (unknown: {', '.join(extra)})"
        )
    followed, value, shape = _lookup(data, path)
    if shape is not None:
        return InvalidInputError(_format_path(followed), value, shape)
    if isinstance(exc, InvalidInputError):
        return exc.at_path(_format_path(path))
    if value is MISSING or isinstance(exc, KeyError):
        return InvalidInputError(_format_path(path), MISSING, "required field is missing")
    return InvalidInputError(_format_path(path), value, f"expected {_describe_type(type_)}")


def _explain(data: Any, cls: type[Any], fast_error: Exception) -> InvalidInputError:
    """Turn a structuring failure into one InvalidInputError naming the field path."""
    if attrs.has(cls) and not isinstance(data, Mapping):
        return InvalidInputError("", data, f"expected {_describe_type(cls)}")
    try:
        _detailed.structure(data, cls)
    except Exception as detailed_error:
        leaves = list(_leaves(detailed_error, (), cls))
        error = _leaf_error(data, *leaves[0])
        if len(leaves) > 1:
            error = InvalidInputError(
                error.field,
                error.value,
                f"{error.reason} (and {len(leaves) - 1} more problem(s))",
                line=error.line,
            )
        return error
    # The detailed converter accepted what the fast one refused: report the original.
    if isinstance(fast_error, InvalidInputError):
        return fast_error
    return InvalidInputError("", data, f"cannot build a {cls.__name__}: {fast_error}")
