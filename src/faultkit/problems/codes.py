"""Error codes: one spelling per code, and the codes written inside a text.

Two reports of the same known error rarely write its code the same way: ``e-301``,
``E-301 `` and the same code in full-width characters are one code. :func:`normalise_error_code`
gives the one spelling the known-error index compares: Unicode NFKC (full-width
letters, digits and hyphens become ASCII), surrounding white space removed, upper
case. Nothing else changes: ``E301`` and ``E-301`` stay two codes, as a vendor's
manual may list both.

:func:`error_codes_in` finds codes written inside free text (a fault's description),
for reports that do not list them separately. :data:`ERROR_CODE_PATTERN` takes:

- a code of letters and digits: 1 to 8 upper-case ASCII letters, an optional ``-``,
  ``_`` or ``.``, then 2 to 8 digits, optionally followed by one more separator and
  1 to 8 letters or digits (``E-301``, ``ERR_5023``, ``HTTP500``, ``0XE8-B``);
- a hexadecimal status: ``0x`` and 4 to 16 hexadecimal digits (``0x80070005``).

A match neither starts nor ends inside an ASCII word (``IPV6``, ``MP3`` and
``iso9001`` are not codes: lower case, or too few digits), but Chinese and other text
may touch it (``打印机报错E-301``). Every quantifier is bounded and a match can only
start where no ASCII word character precedes it, so finding the codes of a text takes
time linear in its length, whatever the text (hostile input is tested).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from faultkit.errors import InvalidInputError

__all__ = ["ERROR_CODE_PATTERN", "error_codes_in", "normalise_error_code", "normalise_error_codes"]

ERROR_CODE_PATTERN = (
    r"(?<![A-Za-z0-9_.-])"
    r"(?:0[xX][0-9A-Fa-f]{4,16}"
    r"|[A-Z]{1,8}[-_.]?[0-9]{2,8}(?:[-_.][A-Z0-9]{1,8})?)"
    r"(?![A-Za-z0-9_])"
)
"""The pattern :func:`error_codes_in` looks for (see the module documentation)."""

_CODE = re.compile(ERROR_CODE_PATTERN)
MAX_CODE_LENGTH = 200
"""The longest error code accepted (characters, after normalisation)."""


def normalise_error_code(code: str) -> str:
    """The one spelling of ``code`` the index compares: NFKC, stripped, upper case.

    Examples:
        >>> normalise_error_code(" e-301 ")
        'E-301'
        >>> normalise_error_code("\uff25\uff0d\uff13\uff10\uff11")  # full width
        'E-301'

    Raises:
        InvalidInputError: ``code`` is not a string, is blank, or is longer than
            :data:`MAX_CODE_LENGTH` characters.
    """
    if type(code) is not str:
        raise InvalidInputError("error_code", code, "expected a string")
    if len(code) > 4 * MAX_CODE_LENGTH:
        raise InvalidInputError("error_code", code, f"longer than {MAX_CODE_LENGTH} characters")
    plain = unicodedata.normalize("NFKC", code).strip().upper()
    if not plain:
        raise InvalidInputError("error_code", code, "blank")
    if len(plain) > MAX_CODE_LENGTH:
        raise InvalidInputError("error_code", code, f"longer than {MAX_CODE_LENGTH} characters")
    return plain


def normalise_error_codes(codes: Iterable[str], *, field: str = "error_codes") -> tuple[str, ...]:
    """Each code of ``codes`` normalised, each once, in the order first seen.

    Raises:
        InvalidInputError: ``codes`` is a string (not a list of codes), or one code is
            bad (the field names its index, ``error_codes[3]``).
    """
    if isinstance(codes, str | bytes):
        raise InvalidInputError(field, codes, "expected a list of error codes, not one string")
    seen: dict[str, None] = {}
    for index, code in enumerate(codes):
        try:
            seen.setdefault(normalise_error_code(code), None)
        except InvalidInputError as exc:
            raise InvalidInputError(f"{field}[{index}]", code, exc.reason) from None
    return tuple(seen)


def error_codes_in(text: str) -> tuple[str, ...]:
    """The error codes written in ``text``, normalised, each once, in order.

    The text is NFKC-normalised first (full-width codes are found too); see the
    module documentation for what counts as a code.

    Examples:
        >>> error_codes_in("Printer shows E-301, then 0x80070005; HTTP500 again, e-301")
        ('E-301', '0X80070005', 'HTTP500')
        >>> error_codes_in("打印机报错E-301，卡纸")
        ('E-301',)
        >>> error_codes_in("IPv6 and MP3 are not codes")
        ()

    Raises:
        InvalidInputError: ``text`` is not a string.
    """
    if type(text) is not str:
        raise InvalidInputError("text", text, "expected a string")
    plain = unicodedata.normalize("NFKC", text)
    return tuple(dict.fromkeys(m.group().upper() for m in _CODE.finditer(plain)))
