"""attrs validators that raise :class:`~faultkit.errors.InvalidInputError`.

Each validator names the attribute it checks, so an error raised while a nested
record is structured can be prefixed with the path to it (``steps[2].at``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import attrs

from faultkit.errors import InvalidInputError

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MEDIA_TYPE = re.compile(r"[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*(\s*;.*)?")


def _fail(attribute: attrs.Attribute[Any], value: Any, reason: str) -> InvalidInputError:
    return InvalidInputError(attribute.name, value, reason)


def non_empty_str(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A ``str`` with at least one non-blank character."""
    if type(value) is not str:
        raise _fail(attribute, value, f"expected a string, not {type(value).__name__}")
    if not value.strip():
        raise _fail(attribute, value, "must not be empty or blank")


def optional_non_empty_str(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """``None`` or a non-blank ``str``."""
    if value is not None:
        non_empty_str(inst, attribute, value)


def check_aware(name: str, value: Any) -> None:
    """Raise unless ``value`` is a timezone-aware datetime; ``name`` is the field's name."""
    if not isinstance(value, datetime):
        raise InvalidInputError(name, value, f"expected a datetime, not {type(value).__name__}")
    if value.utcoffset() is None:
        raise InvalidInputError(
            name,
            value,
            "naive datetime refused: give a timezone (for example +00:00 or tzinfo=UTC)",
        )


def since_epoch(at: datetime) -> timedelta:
    """The instant of the aware datetime ``at``, as the exact time since 1970-01-01 UTC.

    Compare and subtract aware datetimes through this, never directly: Python compares
    two datetimes that share a ``tzinfo`` object by their wall time alone, ignoring
    ``fold`` (language reference, datetime "naive" comparison within one zone). In a
    zone where a wall hour repeats (a DST fold), ``01:40`` (``fold=0``) then sorts after
    ``01:10`` (``fold=1``) that came 30 minutes later. Subtracting a UTC epoch goes
    through ``utcoffset()``, which honours ``fold`` (PEP 495).

    >>> from zoneinfo import ZoneInfo
    >>> ny = ZoneInfo("America/New_York")
    >>> first = datetime(2024, 11, 3, 1, 40, tzinfo=ny)
    >>> later = datetime(2024, 11, 3, 1, 10, tzinfo=ny, fold=1)
    >>> first < later, since_epoch(first) < since_epoch(later)
    (False, True)
    """
    return at - _EPOCH


def optional_since_epoch(at: datetime | None) -> timedelta | None:
    """:func:`since_epoch` of ``at``, or ``None``: the equality key of an optional time."""
    return None if at is None else since_epoch(at)


def aware_datetime(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A timezone-aware :class:`datetime.datetime`; naive ones are refused."""
    check_aware(attribute.name, value)


def optional_aware_datetime(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """``None`` or a timezone-aware datetime."""
    if value is not None:
        aware_datetime(inst, attribute, value)


def member_of(enum_type: type[enum.Enum]) -> Validator:
    """A member of ``enum_type`` (not its raw value)."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, enum_type):
            allowed = ", ".join(repr(m.value) for m in enum_type)
            raise _fail(attribute, value, f"expected a {enum_type.__name__} ({allowed})")

    return check


E = TypeVar("E", bound=enum.Enum)


def enum_member(name: str, value: Any, enum_type: type[E]) -> E:
    """``value`` as a member of ``enum_type``: a member, or a member's value.

    Raises:
        InvalidInputError: naming ``name``, the value and the allowed values (where
            ``enum_type(value)`` raises a bare ``ValueError``).
    """
    if isinstance(value, enum_type):
        return value
    for member in enum_type:
        if type(value) is type(member.value) and value == member.value:
            return member
    allowed = ", ".join(repr(m.value) for m in enum_type)
    raise InvalidInputError(name, value, f"expected a {enum_type.__name__} ({allowed})")


def optional_member_of(enum_type: type[enum.Enum]) -> Validator:
    """``None`` or a member of ``enum_type``."""
    check = member_of(enum_type)

    def optional(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            check(inst, attribute, value)

    return optional


def instance(cls: type[Any] | tuple[type[Any], ...]) -> Validator:
    """An instance of the record class ``cls`` (or of one of a tuple of classes)."""
    classes = cls if isinstance(cls, tuple) else (cls,)
    names = " or ".join(c.__name__ for c in classes)

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, classes):
            raise _fail(attribute, value, f"expected a {names}")

    return check


def optional_instance(cls: type[Any]) -> Validator:
    """``None`` or an instance of ``cls``."""
    check = instance(cls)

    def optional(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            check(inst, attribute, value)

    return optional


MAX_INT = 2**63 - 1
"""The largest whole number a record holds: a signed 64-bit integer, what every store
keeps exactly (SQLite's INTEGER, orjson); a larger one came back a float, and corrupt."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def non_negative_int(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An ``int`` (not ``bool``) from zero to :data:`MAX_INT`."""
    if not _is_int(value):
        raise _fail(attribute, value, f"expected an integer, not {type(value).__name__}")
    if value < 0:
        raise _fail(attribute, value, "must not be negative")
    if value > MAX_INT:
        raise _fail(attribute, value, "too large: at most 2**63 - 1")


_DECIMAL_DIGITS = 19  # len(str(MAX_INT)): more digits cannot be a stored whole number


def parse_whole(name: str, value: Any) -> int:
    """A whole number from ``0`` to :data:`MAX_INT`, given as an ``int`` or as text.

    Text is decimal digits of one script only, with white space around
    (``"42"``, full-width ``"\uff14\uff12"``, Arabic-Indic ``"٤٢"``); at most 19 digits. Not
    ``"²"`` or ``"①"`` (``str.isdigit`` says yes, they are no decimal number), not
    ``"4.0"``, ``"+4"``, ``"1e400"`` or mixed scripts (``"٤2"``). A ``float``, ``bool``
    or anything else is refused.

    Raises:
        InvalidInputError: naming ``name`` and the value.
    """
    if _is_int(value):
        number: int = value
    elif type(value) is str:
        digits = value.strip()
        if not digits or len(digits) > _DECIMAL_DIGITS or not digits.isdecimal():
            raise InvalidInputError(name, value, "expected a whole number in decimal digits")
        if len({ord(c) - int(c) for c in digits}) != 1:
            raise InvalidInputError(name, value, "expected digits of one script, not mixed")
        number = int(digits)
    else:
        raise InvalidInputError(name, value, f"expected a whole number, not {type(value).__name__}")
    if number < 0:
        raise InvalidInputError(name, value, "must not be negative")
    if number > MAX_INT:
        raise InvalidInputError(name, value, "too large: at most 2**63 - 1")
    return number


def optional_non_negative_int(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """``None`` or a non-negative ``int``."""
    if value is not None:
        non_negative_int(inst, attribute, value)


def optional_bool(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """``None``, ``True`` or ``False``."""
    if value is not None and type(value) is not bool:
        raise _fail(attribute, value, f"expected true, false or null, not {type(value).__name__}")


def is_bool(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """``True`` or ``False``."""
    if type(value) is not bool:
        raise _fail(attribute, value, f"expected true or false, not {type(value).__name__}")


def optional_float_between(low: float, high: float) -> Validator:
    """``None`` or a finite real number in ``[low, high]``."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(attribute, value, f"expected a number, not {type(value).__name__}")
        if not low <= value <= high:  # also refuses NaN
            raise _fail(attribute, value, f"must be between {low:g} and {high:g}")

    return check


def float_between(low: float, high: float) -> Validator:
    """A finite real number (``int`` or ``float``, not ``bool``) in ``[low, high]``."""
    optional = optional_float_between(low, high)

    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            raise _fail(attribute, value, "expected a number, not NoneType")
        optional(inst, attribute, value)

    return check


def tuple_of(check_item: Validator) -> Validator:
    """A ``tuple`` whose items each pass ``check_item``; errors name ``field[i]``."""

    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is not tuple:
            raise _fail(attribute, value, f"expected a sequence, not {type(value).__name__}")
        for index, item in enumerate(value):
            try:
                check_item(inst, attribute, item)
            except InvalidInputError as exc:
                raise InvalidInputError(
                    f"{attribute.name}[{index}]", exc.value, exc.reason
                ) from None

    return check


def str_mapping(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A ``dict`` of non-blank ``str`` keys to ``str`` values."""
    if type(value) is not dict:
        raise _fail(attribute, value, f"expected a mapping, not {type(value).__name__}")
    for key, item in value.items():
        if type(key) is not str or not key.strip():
            raise InvalidInputError(f"{attribute.name}", key, "keys must be non-blank strings")
        if type(item) is not str:
            raise InvalidInputError(
                f"{attribute.name}.{key}", item, f"expected a string, not {type(item).__name__}"
            )


def optional_sha256(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """``None`` or a SHA-256 digest: 64 lowercase hexadecimal characters."""
    if value is None:
        return
    if type(value) is not str or _SHA256.fullmatch(value) is None:
        raise _fail(attribute, value, "expected a sha256 digest of 64 hexadecimal characters")


def media_type(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An RFC 6838 media type such as ``text/plain`` or ``image/png``."""
    if type(value) is not str or _MEDIA_TYPE.fullmatch(value) is None:
        raise _fail(attribute, value, "expected a media type such as 'text/plain'")


def non_negative_timedelta(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A :class:`datetime.timedelta` that is zero or more."""
    if not isinstance(value, timedelta):
        raise _fail(attribute, value, f"expected a timedelta, not {type(value).__name__}")
    if value < timedelta(0):
        raise _fail(attribute, value, "must not be negative")


def optional_non_negative_timedelta(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """``None`` or a non-negative timedelta."""
    if value is not None:
        non_negative_timedelta(inst, attribute, value)


def items_of(name: str, value: Any) -> tuple[Any, ...]:
    """The items of the collection ``value``, read once (a generator is consumed here).

    A ``str`` (or ``bytes``) is refused, not taken as the collection of its characters:
    ``keywords="crash"`` would otherwise look for ``c``, ``r``, ``a``... A mapping is
    refused too (its keys are rarely what was meant), and so is anything not iterable.

    Raises:
        InvalidInputError: naming ``name`` and the value.
    """
    if isinstance(value, str | bytes | bytearray):
        raise InvalidInputError(
            name, value, f"expected a collection, not a single {type(value).__name__}"
        )
    if isinstance(value, Mapping):
        raise InvalidInputError(name, value, "expected a collection of items, not a mapping")
    try:
        return tuple(value)
    except TypeError:
        raise InvalidInputError(
            name, value, f"expected a collection, not {type(value).__name__}"
        ) from None


def lower_if_str(value: Any) -> Any:
    """attrs converter: lower-case strings, pass anything else on to the validator."""
    return value.lower() if type(value) is str else value


def list_to_tuple(value: Any) -> Any:
    """attrs converter: accept a ``list`` where a ``tuple`` is stored (records stay immutable)."""
    return tuple(value) if type(value) is list else value
