"""Marking and removing personal data in feedback records.

A field that holds personal data (a name, an e-mail address, a phone number, a social
media handle, a customer identifier) is declared with ``metadata={PERSONAL: True}`` in
its ``attrs.field``. :func:`personal_fields` lists them, and :func:`redact` returns a
copy of a record with each of them set to ``None`` (every personal field is optional
for that reason), recursively through nested records and tuples of records.

Free text (a message body, a comment) is not marked: it may hold personal data the
customer typed. Pass ``scrub_text=True`` to :func:`redact` to also replace e-mail
addresses and phone-number-like digit runs in the text fields with ``[redacted]``.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

import attrs

from faultkit.errors import InvalidInputError

__all__ = ["PERSONAL", "REDACTED", "personal_fields", "redact", "scrub"]

PERSONAL = "faultkit.personal_data"
"""The ``attrs`` field metadata key that marks a field as personal data."""

REDACTED = "[redacted]"
"""What :func:`scrub` puts in place of an e-mail address or a phone number in free text."""

TEXT_FIELDS = ("text", "subject", "comment", "question")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d ().-]{5,}\d(?![\w])")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
_MIN_PHONE_DIGITS = 8

T = TypeVar("T")


def personal_fields(record: Any) -> tuple[str, ...]:
    """Names of the fields of an attrs record (or record class) marked as personal data."""
    cls = record if isinstance(record, type) else type(record)
    if not attrs.has(cls):
        raise InvalidInputError("record", record, "expected an attrs record or record class")
    return tuple(a.name for a in attrs.fields(cls) if a.metadata.get(PERSONAL))


def scrub(text: str) -> str:
    """Replace e-mail addresses and phone-number-like digit runs in ``text``.

    A phone number is a run of digits, spaces, dots, dashes and parentheses, optionally
    starting with ``+``, holding at least 8 digits and not shaped like a date.

    Example:
        >>> scrub("call me on +44 20 7946 0958 or mail ann@example.com")
        'call me on [redacted] or mail [redacted]'
    """
    return _PHONE.sub(_phone_or_not, _EMAIL.sub(REDACTED, text))


def _phone_or_not(match: re.Match[str]) -> str:
    found = match.group()
    digits = sum(c.isdigit() for c in found)
    if digits < _MIN_PHONE_DIGITS or _DATE.fullmatch(found.strip()):
        return found
    return REDACTED


def _redact_value(value: Any, scrub_text: bool) -> Any:
    if attrs.has(type(value)):
        return redact(value, scrub_text=scrub_text)
    if type(value) is tuple:
        return tuple(_redact_value(item, scrub_text) for item in value)
    return value


def redact(record: T, *, scrub_text: bool = False) -> T:
    """Return a copy of ``record`` without its personal data.

    Args:
        record: any attrs record; fields marked with :data:`PERSONAL` become ``None``,
            nested records and tuples of records are redacted the same way.
        scrub_text: also :func:`scrub` the free-text fields (``text``, ``subject``,
            ``comment``, ``question``).

    Returns:
        A new record of the same class; the original is not changed.
    """
    cls = type(record)
    if not attrs.has(cls):
        raise InvalidInputError("record", record, "expected an attrs record")
    changes: dict[str, Any] = {}
    for attribute in attrs.fields(cls):
        value = getattr(record, attribute.name)
        if attribute.metadata.get(PERSONAL):
            if value is not None:
                changes[attribute.name] = None
        elif scrub_text and attribute.name in TEXT_FIELDS and isinstance(value, str):
            changes[attribute.name] = scrub(value)
        else:
            new = _redact_value(value, scrub_text)
            if new is not value:
                changes[attribute.name] = new
    if not changes:
        return record
    return attrs.evolve(record, **changes)  # type: ignore[misc]
