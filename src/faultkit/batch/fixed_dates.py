"""Which date texts :class:`~faultkit.adapters.exports.DateReader` surely reads, by numpy.

An export's update times come in one fixed-width shape, and the reader takes those
with :meth:`datetime.fromisoformat` (see :mod:`faultkit.adapters.exports.dates`):

- ``yyyy-mm-dd HH:MM[:SS]`` (``T`` or a space between date and time), ISO 8601, in
  every :class:`~faultkit.adapters.exports.DateOrder`;
- ``dd-mm-yyyy HH:MM[:SS]`` (the same one of ``-/.`` twice; month first with
  :attr:`~faultkit.adapters.exports.DateOrder.MONTH_FIRST`) when a day order is named.

:func:`surely_dates` looks at the distinct texts of a column at once (their bytes
gathered into a matrix, one row per text): a text of one of these shapes whose
every digit is a digit and whose date and time exist (month 1-12, the day within the
month, leap years by the Gregorian rule, hour 0-23, minute and second 0-59) is one
the reader returns a datetime for, without a day-order contradiction. The answer is
one-sided: ``False`` only means "ask the reader" (it may still read the text, or
refuse it with its reason). A property test compares it with the reader.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from faultkit.adapters.exports.dates import DateOrder

__all__ = ["surely_dates"]

BoolArray = npt.NDArray[np.bool_]
_DIGIT_LOW, _DIGIT_HIGH = ord("0"), ord("9")
_DAY_FIRST_SEPARATORS = (ord("-"), ord("/"), ord("."))
_DAYS = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], np.int64)


def surely_dates(texts: Any, order: DateOrder) -> BoolArray:
    """Per text of ``texts`` (an Arrow string array): the reader surely reads it.

    Args:
        texts: an Arrow ``string`` array (nulls are never sure).
        order: the reader's day order (``dd-mm-yyyy`` is only read with a named one).

    Returns:
        A boolean numpy array, one value per text; see the module docstring.

    >>> import pyarrow as pa
    >>> texts = pa.array(["29-02-2016 01:16", "29-02-2015 01:16", "2016-02-29T01:16:05", "x"])
    >>> surely_dates(texts, DateOrder.DAY_FIRST).tolist()
    [True, False, True, False]
    """
    count = len(texts)
    sure = np.zeros(count, np.bool_)
    if count == 0:
        return sure
    offsets = np.frombuffer(texts.buffers()[1], np.int32, count=count + 1, offset=texts.offset * 4)
    data_buffer = texts.buffers()[2]
    if data_buffer is None:
        return sure
    data = np.frombuffer(data_buffer, np.uint8)
    lengths = np.diff(offsets)
    valid = np.ones(count, np.bool_)
    if texts.null_count:
        valid = np.asarray(texts.is_valid().to_numpy(zero_copy_only=False), np.bool_)
    for width in (16, 19):
        picked = np.flatnonzero((lengths == width) & valid)
        if not len(picked):
            continue
        chars = data[offsets[picked, None] + np.arange(width)]
        sure[picked] = _iso(chars, width)
        if order is not DateOrder.ISO:
            sure[picked] |= _day_order(chars, width, day_first=order is DateOrder.DAY_FIRST)
    return sure


def _digits(chars: Any, start: int, stop: int) -> tuple[Any, Any]:
    """Whether ``chars[:, start:stop]`` are all ASCII digits, and their number."""
    part = chars[:, start:stop].astype(np.int64)
    ok = ((part >= _DIGIT_LOW) & (part <= _DIGIT_HIGH)).all(axis=1)
    value = np.zeros(len(chars), np.int64)
    for column in range(stop - start):
        value = value * 10 + (part[:, column] - _DIGIT_LOW)
    return ok, value


def _exists(year: Any, month: Any, day: Any) -> Any:
    """The date exists (years 1-9999, the Gregorian calendar)."""
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    days = _DAYS[np.where(month_ok, month, 0)] - ((month == 2) & ~leap)
    return (year >= 1) & month_ok & (day >= 1) & (day <= days)


def _time(chars: Any, width: int) -> Any:
    """``HH:MM[:SS]`` from column 11 on, every part in range."""
    hour_ok, hour = _digits(chars, 11, 13)
    minute_ok, minute = _digits(chars, 14, 16)
    ok = hour_ok & minute_ok & (chars[:, 13] == ord(":")) & (hour <= 23) & (minute <= 59)
    if width == 19:
        second_ok, second = _digits(chars, 17, 19)
        ok &= second_ok & (chars[:, 16] == ord(":")) & (second <= 59)
    return ok


def _iso(chars: Any, width: int) -> Any:
    """``yyyy-mm-dd HH:MM[:SS]`` (or ``T``), a date and time that exist."""
    year_ok, year = _digits(chars, 0, 4)
    month_ok, month = _digits(chars, 5, 7)
    day_ok, day = _digits(chars, 8, 10)
    shape = (chars[:, 4] == ord("-")) & (chars[:, 7] == ord("-"))
    shape &= (chars[:, 10] == ord(" ")) | (chars[:, 10] == ord("T"))
    return year_ok & month_ok & day_ok & shape & _exists(year, month, day) & _time(chars, width)


def _day_order(chars: Any, width: int, *, day_first: bool) -> Any:
    """``dd-mm-yyyy HH:MM[:SS]`` (``mm-dd-yyyy`` month first), a date and time that exist."""
    first_ok, first = _digits(chars, 0, 2)
    second_ok, second = _digits(chars, 3, 5)
    year_ok, year = _digits(chars, 6, 10)
    separator = chars[:, 2]
    shape = np.isin(separator, _DAY_FIRST_SEPARATORS) & (chars[:, 5] == separator)
    shape &= chars[:, 10] == ord(" ")
    day, month = (first, second) if day_first else (second, first)
    ok = first_ok & second_ok & year_ok & shape
    return ok & _exists(year, month, day) & _time(chars, width)
