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
from faultkit.feedback.text import EMAIL_PATTERN

__all__ = ["PERSONAL", "REDACTED", "personal_fields", "redact", "scrub"]

PERSONAL = "faultkit.personal_data"
"""The ``attrs`` field metadata key that marks a field as personal data."""

REDACTED = "[redacted]"
"""What :func:`scrub` puts in place of an e-mail address or a phone number in free text."""

TEXT_FIELDS = ("text", "subject", "comment", "question")

_EMAIL = re.compile(EMAIL_PATTERN)
# A phone-number-like run: digits with spaces, dots, dashes or parentheses between them,
# maybe a leading + or (. It may touch letters of scripts without spaces (电话13812345678)
# but not ASCII letters or digits, and a match can only start at the start of a run, so
# the scan is linear. A mainland China mobile (1[3-9] and 9 digits) may touch anything
# but digits. Digits may be full-width (U+FF10-U+FF19), as a Chinese input method types them.
_D = "[0-9\uff10-\uff19]"
_MOBILE_PATTERN = rf"(?<!{_D})[1\uff11][3-9\uff13-\uff19]{_D}{{9}}(?!{_D})"
_MOBILE = re.compile(_MOBILE_PATTERN)
_PHONE = re.compile(
    _MOBILE_PATTERN
    + r"|(?<![0-9A-Za-z+(_/.=#&%\-\uff10-\uff19\uff21-\uff3a\uff41-\uff5a])"
    + rf"(?:\+|\(\+?)?{_D}[0-9\uff10-\uff19 ().-]{{5,}}{_D}(?!{_D})"
)
_ASCII_DIGITS = str.maketrans({0xFF10 + d: str(d) for d in range(10)})
_DATE = re.compile(r"\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
_NOT_A_PHONE = re.compile(
    r"\d{1,3}(?:\.\d{1,3}){3}"  # an IPv4 address
    r"|\d+\.\d+"  # a decimal number
    r"|(?:19|20)\d\d ?- ?(?:19|20)\d\d"  # a range of years
)
_MIN_PHONE_DIGITS = 8
_MAX_PHONE_DIGITS = 15  # E.164

T = TypeVar("T")


def personal_fields(record: Any) -> tuple[str, ...]:
    """Names of the fields of an attrs record (or record class) marked as personal data."""
    cls = record if isinstance(record, type) else type(record)
    if not attrs.has(cls):
        raise InvalidInputError("record", record, "expected an attrs record or record class")
    return tuple(a.name for a in attrs.fields(cls) if a.metadata.get(PERSONAL))


def scrub(text: str) -> str:
    """Replace e-mail addresses and phone numbers in ``text`` with :data:`REDACTED`.

    - An e-mail address is :data:`~faultkit.feedback.text.EMAIL_PATTERN`: local part
      and domain in ASCII or full-width characters (U+FF01-U+FF5E),
      found inside text of any script (``请发到ann@example.com谢谢`` keeps ``请发到``
      and ``谢谢``).
    - A phone number is a run of digits, spaces, dots, dashes and parentheses,
      optionally starting with ``+`` (``+86 138 0013 8000``, ``(020) 7946-0958``),
      holding 8 to 15 digits (E.164 has at most 15), not shaped like a date, an IPv4
      address, a decimal number or a range of years, and not touching an ASCII letter
      or digit or following ``-_/.=#&%`` (a piece of a web address or an identifier);
      it may touch Chinese text: ``电话13800138000``; a mainland China mobile number
      (``1[3-9]`` and 9 more digits) touching anything but digits; a bare run of
      digits only when it is such a mobile or starts with ``0`` and has 10 to 12
      digits (an area code), so order numbers stay. Digits may be full-width
      (U+FF10-U+FF19), as a Chinese input method types them.

    Linear in the length of ``text`` (no pattern can start inside a run it failed on).

    Examples:
        >>> scrub("call me on +44 20 7946 0958 or mail ann@example.com")
        'call me on [redacted] or mail [redacted]'
        >>> scrub("电话13812345678，邮箱ann@example.com谢谢，订单2024-05-01")
        '电话[redacted]，邮箱[redacted]谢谢，订单2024-05-01'
        >>> scrub("邮箱\uff41\uff20\uff42\uff0e\uff43\uff4e，"
        ...       "电话\uff11\uff13\uff18\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18。")
        '邮箱[redacted]，电话[redacted]。'
    """
    if type(text) is not str:
        raise InvalidInputError("text", text, "expected a string")
    return _PHONE.sub(_phone_or_not, _EMAIL.sub(REDACTED, text))


def _phone_or_not(match: re.Match[str]) -> str:
    original = match.group()
    found = original.translate(_ASCII_DIGITS)
    if found.isdigit():  # a bare run: a mobile or an area-coded number, not any order id
        if _MOBILE.fullmatch(found) or (found[0] == "0" and 10 <= len(found) <= 12):
            return REDACTED
        return original
    digits = sum(c.isdigit() for c in found)
    if digits > _MAX_PHONE_DIGITS:  # numbers side by side: find the mobiles among them
        return _MOBILE.sub(REDACTED, original)
    bare = found.strip(" ().-")
    if digits < _MIN_PHONE_DIGITS or _DATE.fullmatch(bare) or _NOT_A_PHONE.fullmatch(bare):
        return original
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
