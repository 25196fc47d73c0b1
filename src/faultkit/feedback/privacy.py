"""Marking and removing personal data in feedback records.

A field that holds personal data (a name, an e-mail address, a phone number, a social
media handle, a customer identifier) is declared with ``metadata={PERSONAL: True}`` in
its ``attrs.field``. :func:`personal_fields` lists them, and :func:`redact` returns a
copy of a record with each of them set to ``None`` (every personal field is optional
for that reason), recursively through nested records and tuples of records.

Free text (a message body, a comment) is not marked: it may hold personal data the
customer typed. Pass ``scrub_text=True`` to :func:`redact` to also replace e-mail
addresses, phone-number-like digit runs and Chinese resident ID numbers in the text
fields with ``[redacted]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import attrs

from faultkit.errors import InvalidInputError
from faultkit.feedback.text import EMAIL_PATTERN

__all__ = ["PERSONAL", "REDACTED", "personal_fields", "redact", "scrub"]

PERSONAL = "faultkit.personal_data"
"""The ``attrs`` field metadata key that marks a field as personal data."""

REDACTED = "[redacted]"
"""What :func:`scrub` puts in place of an e-mail address, a phone number or a resident ID
number in free text."""

TEXT_FIELDS = ("text", "subject", "comment", "question")

_EMAIL = re.compile(EMAIL_PATTERN)
# A phone-number-like run: digits with spaces, dots, dashes or parentheses between them,
# maybe a leading + or (. It may touch letters of scripts without spaces (电话13812345678)
# but not ASCII letters or digits, and a match can only start at the start of a run, so
# the scan is linear. A mainland China mobile (1[3-9] and 9 digits) may touch anything
# but digits. The patterns run on a shadow of the text of the same length in which the
# full-width forms (U+FF01-U+FF5E, as a Chinese input method types them), the other
# spaces and the other dashes are their ASCII look-alikes; the replacement is spliced
# into the original text at the same positions.
_MOBILE_PATTERN = r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])"
_MOBILE = re.compile(_MOBILE_PATTERN)
_PHONE = re.compile(
    _MOBILE_PATTERN
    + r"|(?<![0-9A-Za-z+(_/.=#&%\-])"
    + r"(?:\+|\(\+?)?[0-9][0-9 ().-]{5,}[0-9](?![0-9])"
)
_SHADOW: dict[int, str] = {
    **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},  # full-width ASCII
    **dict.fromkeys((0x00A0, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000), " "),
    **dict.fromkeys((*range(0x2010, 0x2016), 0x2212, 0xFE63, 0x30FC), "-"),
}
_INVISIBLE_CHARS = frozenset("\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")
_INVISIBLE = re.compile("[" + "".join(sorted(_INVISIBLE_CHARS)) + "]")
"""Characters that show nothing (soft hyphen, Mongolian vowel separator, zero-width
space, non-joiner and joiner, word joiner and the invisible operators, byte order
mark): the shadow leaves them out, so ``138\u200b1234\u200b5678`` is a number."""
_DATE = re.compile(r"\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
_NOT_A_PHONE = re.compile(
    r"\d{1,3}(?:\.\d{1,3}){3}"  # an IPv4 address
    r"|\d+\.\d+"  # a decimal number
    r"|(?:19|20)\d\d ?- ?(?:19|20)\d\d"  # a range of years
)
# A Chinese resident ID number (GB 11643-1999): a region code of six digits, a birth
# date YYYYMMDD, a sequence of three digits and a check character, 0-9 or X; on the
# shadow, so full-width and split by invisible characters too. It may touch Chinese
# text, not an ASCII letter or digit.
_RESIDENT_ID = re.compile(
    r"(?<![0-9A-Za-z])[1-9][0-9]{5}(?:18|19|20)[0-9]{9}[0-9Xx](?![0-9A-Za-z])"
)
_MOD_11_2 = tuple(pow(2, 17 - i, 11) for i in range(17))
"""The weights of ISO 7064 MOD 11-2 for 17 digits: 2 to the power of the position from the
right (the check character's own is 0) modulo 11."""
_MOD_11_2_CHECK = "10X98765432"
"""The check character for each remainder of the weighted sum modulo 11."""
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
    """Replace e-mail addresses, phone numbers and resident ID numbers in ``text`` with
    :data:`REDACTED`.

    - An e-mail address is :data:`~faultkit.feedback.text.EMAIL_PATTERN`: domain in
      ASCII or full-width characters (U+FF01-U+FF5E), local part in those or in
      letters beyond ASCII (RFC 6531: ``josé@example.com``, ``иван@example.ru``), found
      inside text of any script without swallowing it (``请发到ann@example.com谢谢``
      keeps ``请发到`` and ``谢谢``); a local part in Chinese (``张三@example.com``) only
      where it is one to four characters set off on its left by the start of the text,
      white space or punctuation (``联系人：张三@example.com``), since where it starts
      inside running Chinese text cannot be told.
    - A phone number is a run of digits, spaces, dots, dashes and parentheses,
      optionally starting with ``+`` (``+86 138 0013 8000``, ``(020) 7946-0958``),
      holding 8 to 15 digits (E.164 has at most 15), not shaped like a date, an IPv4
      address, a decimal number or a range of years, and not touching an ASCII letter
      or digit or following ``-_/.=#&%`` (a piece of a web address or an identifier);
      it may touch Chinese text: ``电话13800138000``; a mainland China mobile number
      (``1[3-9]`` and 9 more digits) touching anything but digits; a bare run of
      digits only when it is such a mobile or starts with ``0`` and has 10 to 12
      digits (an area code), so order numbers stay. Digits, separators and ``+`` may
      be full-width (U+FF01-U+FF5E, as a Chinese input method types them:
      ``\uff11\uff13\uff18\uff0d\uff11...``), spaces any Unicode space (the ideographic
      ``138\u30001234\u30005678``), dashes any Unicode dash.
    - A Chinese resident ID number (GB 11643-1999: 17 digits, a region code, a birth
      date and a sequence, and a check character, a digit or ``X``) whose birth date is
      a date and whose check character is the ISO 7064 MOD 11-2 check of the 17
      digits: ``11010519491231002X``. It may touch Chinese text, not an ASCII letter
      or digit; another 18-character number (an order number) stays.
    - Characters that show nothing (zero-width space, non-joiner and joiner, word
      joiner, byte order mark, soft hyphen) are read through, in a number and in an
      address: ``138\u200b1234\u200b5678`` is a mobile number, and is replaced with the
      invisible characters inside it.

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
    text = _splice(_splice(text, _EMAIL, _redacted), _RESIDENT_ID, _resident_id_or_not)
    return _splice(text, _PHONE, _phone_or_not)


def _splice(text: str, pattern: re.Pattern[str], decide: Callable[[str, str], str | None]) -> str:
    """``text`` with each match of ``pattern`` in its shadow replaced by ``decide``'s
    answer for the match in the shadow and in ``text`` (``None``: left as it is).

    The shadow is ``text`` with look-alikes made ASCII (:data:`_SHADOW`) and the
    characters that show nothing left out (:data:`_INVISIBLE`); ``where[i]`` is the
    position in ``text`` of the shadow's character ``i``, so a match spans
    ``text[where[start] : where[end - 1] + 1]``, the invisible characters inside it too.
    """
    shadow = text.translate(_SHADOW)
    where: list[int] | None = None
    if _INVISIBLE.search(shadow) is not None:
        where = [i for i, char in enumerate(shadow) if char not in _INVISIBLE_CHARS]
        shadow = "".join(shadow[i] for i in where)
    parts: list[str] = []
    last = 0
    for match in pattern.finditer(shadow):
        start, end = match.span()
        if where is not None:
            start, end = where[start], where[end - 1] + 1
        replacement = decide(match.group(), text[start:end])
        if replacement is not None:
            parts += (text[last:start], replacement)
            last = end
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def _redacted(_found: str, _original: str) -> str:
    return REDACTED


def _resident_id_or_not(found: str, _original: str) -> str | None:
    """:data:`REDACTED` for a resident ID number whose birth date is a date and whose
    check character is its ISO 7064 MOD 11-2 check (GB 11643-1999, section 6)."""
    try:
        date(int(found[6:10]), int(found[10:12]), int(found[12:14]))
    except ValueError:
        return None
    total = sum(int(digit) * weight for digit, weight in zip(found, _MOD_11_2, strict=False))
    if _MOD_11_2_CHECK[total % 11] != found[17].upper():
        return None
    return REDACTED


def _phone_or_not(found: str, original: str) -> str | None:
    if found.isdigit():  # a bare run: a mobile or an area-coded number, not any order id
        if _MOBILE.fullmatch(found) or (found[0] == "0" and 10 <= len(found) <= 12):
            return REDACTED
        return None
    digits = sum(c.isdigit() for c in found)
    if digits > _MAX_PHONE_DIGITS:  # numbers side by side: find the mobiles among them
        return _splice(original, _MOBILE, _redacted)
    bare = found.strip(" ().-")
    if digits < _MIN_PHONE_DIGITS or _DATE.fullmatch(bare) or _NOT_A_PHONE.fullmatch(bare):
        return None
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
